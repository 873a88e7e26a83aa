import Foundation
import Synchronization

/// A date on the calendar with no time and no time zone: deadlines, active-from dates, meeting dates.
/// Stored and exchanged as ISO 8601 `YYYY-MM-DD`, so it never drifts across a clock change.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`, reading the ASCII digits directly (imports parse millions of dates).
    public init?(iso text: String) {
        let bytes = text.utf8
        guard bytes.count == 10 else { return nil }
        var year = 0, month = 0, day = 0
        for (offset, byte) in bytes.enumerated() {
            if offset == 4 || offset == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            switch offset {
            case 0..<4: year = year * 10 + digit
            case 5..<7: month = month * 10 + digit
            default: day = day * 10 + digit
            }
        }
        self.init(year: year, month: month, day: day)
    }

    /// The calendar date of an instant as it is in London (a case worker's "today"). The London day last asked
    /// for is kept with its start and end: every request asks for today, and working it out through Foundation's
    /// calendar was a fiftieth of an authenticated API read.
    public init(_ instant: Date) {
        if let known = Self.lastLondonDay.withLock({ $0 }), known.bounds.contains(instant) {
            self = known.date
            return
        }
        let calendar = Self.londonCalendar
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
        let start = calendar.startOfDay(for: instant)
        if let end = calendar.date(byAdding: .day, value: 1, to: start) {
            let day = LondonDay(bounds: start..<end, date: self)
            Self.lastLondonDay.withLock { $0 = day }
        }
    }

    private struct LondonDay {
        let bounds: Range<Date>
        let date: CalendarDate
    }

    private static let lastLondonDay = Mutex<LondonDay?>(nil)

    /// Made once: every request asks for today's date.
    private static let londonCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar
    }()

    /// "2026-04-01". Written by hand as bytes into the string (ten bytes fit inside a String, so nothing is
    /// allocated): `String(format:)` is slow on Linux, and a million-row import writes two of these per row.
    public var iso: String {
        guard (0...9999).contains(year) else { return zeroPadded(year, 4) + "-" + zeroPadded(month, 2) + "-" + zeroPadded(day, 2) }
        return String(unsafeUninitializedCapacity: 10) { writeISO(into: $0) }
    }

    /// Writes "YYYY-MM-DD" (a year of four digits) at the start of `buffer`; returns the length, 10.
    fileprivate func writeISO(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var end = writeDigits(year, width: 4, into: buffer, at: 0)
        buffer[end] = UInt8(ascii: "-")
        end = writeDigits(month, width: 2, into: buffer, at: end + 1)
        buffer[end] = UInt8(ascii: "-")
        return writeDigits(day, width: 2, into: buffer, at: end + 1)
    }

    public var description: String { iso }

    /// "1 July 2022": how dates are written in the papers.
    public var long: String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        return "\(day) \(months[month - 1]) \(year)"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "must be a date like 2026-04-01"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// Day arithmetic without Foundation's Calendar (hot in clocks and threshold checks): days since 1970-01-01 by
/// Howard Hinnant's civil-from-days algorithm, proleptic Gregorian.
extension CalendarDate {
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(valid: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday: Monday 1 … Sunday 7.
    public var weekday: Int {
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// The same day `months` later (or earlier), clamped to the end of a shorter month: 31 Aug − 6 months = 28/29 Feb.
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let (y, m) = (index / 12, index % 12 + 1)
        let lastDay = CalendarDate.daysIn(month: m, year: y)
        return CalendarDate(valid: y, m, min(day, lastDay))
    }

    /// For components already known to be a real date.
    fileprivate init(valid year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whole years from this date (a date of birth) to `date`.
    public func age(on date: CalendarDate) -> Int {
        date.year - year - ((date.month, date.day) < (month, day) ? 1 : 0)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int {
        other.dayNumber - dayNumber
    }
}

extension TimeZone {
    /// Concord shows instants in UK local time.
    public static let london = TimeZone(identifier: "Europe/London")!
}

/// `value` in decimal with leading zeros to `width` digits.
/// `value` in decimal with leading zeros up to `width` digits ("000042"), without `String(format:)`, which is slow on
/// Linux.
package func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Writes `value` (0 ≤ value < 10^width) in decimal with leading zeros into `buffer` from `start`; returns the end.
private func writeDigits(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
    var remaining = value
    for position in stride(from: start + width - 1, through: start, by: -1) {
        buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
        remaining /= 10
    }
    return start + width
}

/// UTC instants: stored as ISO 8601 text with milliseconds (sortable as text on both engines), shown in London time.
public enum Instant {
    /// "2026-11-30T22:03:29.123Z", to the nearest millisecond. Written by hand from the day number, as `iso` is:
    /// Foundation's ISO 8601 style took microseconds, and every audit entry and session write stores one.
    public static func storage(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let dayNumber = dayMilliseconds < 0 ? days - 1 : days
        let sinceMidnight = dayMilliseconds < 0 ? dayMilliseconds + 86_400_000 : dayMilliseconds
        let day = CalendarDate(dayNumber: dayNumber)
        guard (0...9999).contains(day.year) else {
            return day.iso + "T" + zeroPadded(sinceMidnight / 3_600_000, 2) + ":" + zeroPadded(sinceMidnight / 60_000 % 60, 2) + ":"
                + zeroPadded(sinceMidnight / 1000 % 60, 2) + "." + zeroPadded(sinceMidnight % 1000, 3) + "Z"
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var end = day.writeISO(into: buffer)
            func field(_ separator: Unicode.Scalar, _ value: Int, width: Int) {
                buffer[end] = UInt8(ascii: separator)
                end = writeDigits(value, width: width, into: buffer, at: end + 1)
            }
            field("T", sinceMidnight / 3_600_000, width: 2)
            field(":", sinceMidnight / 60_000 % 60, width: 2)
            field(":", sinceMidnight / 1000 % 60, width: 2)
            field(".", sinceMidnight % 1000, width: 3)
            buffer[end] = UInt8(ascii: "Z")
            return end + 1
        }
    }

    public static func parse(_ text: String) -> Date? {
        if let date = parseStorage(text) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }

    /// Reads exactly the stored shape, `YYYY-MM-DDTHH:MM:SS.sssZ`; anything else goes to Foundation.
    private static func parseStorage(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z"),
              let date = CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let hour = number(11..<13), hour < 24, let minute = number(14..<16), minute < 60,
              let second = number(17..<19), second < 60, let millisecond = number(20..<23) else { return nil }
        let milliseconds = ((date.dayNumber * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// "23 Nov 2026 14:05" in Europe/London.
    public static func display(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = .london
        formatter.dateFormat = "d MMM yyyy HH:mm"
        return formatter.string(from: date)
    }
}
