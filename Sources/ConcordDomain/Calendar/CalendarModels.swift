import Foundation

/// The UK's bank-holiday divisions, named as in gov.uk's bank-holidays.json.
public enum HolidayDivision: String, Sendable, CaseIterable, Codable {
    case englandAndWales = "england-and-wales"
    case scotland
    case northernIreland = "northern-ireland"

    public var label: String {
        switch self {
        case .englandAndWales: "England and Wales"
        case .scotland: "Scotland"
        case .northernIreland: "Northern Ireland"
        }
    }

    /// Parses a `--division` or form value, naming the field when it is unknown.
    public static func parse(_ text: String?, field: String = "division") throws -> HolidayDivision {
        guard let text, let division = HolidayDivision(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ValidationError(field: field, "Division must be one of " + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return division
    }
}

/// One bank holiday. Provisional when projected from the regular rules past the published data.
public struct BankHoliday: Sendable, Hashable, Codable {
    public var date: CalendarDate
    public var title: String
    public var isProvisional: Bool

    public init(date: CalendarDate, title: String, isProvisional: Bool = false) {
        self.date = date
        self.title = title
        self.isProvisional = isProvisional
    }
}

/// A day the partnership's offices are closed besides bank holidays (added by an administrator).
public struct ClosureDay: Sendable, Hashable, Codable {
    public var date: CalendarDate
    public var reason: String

    public init(date: CalendarDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}

/// Published bank holidays per division, in gov.uk's `bank-holidays.json` format:
/// `{division: {division, events: [{title, date, notes, bunting}]}}`.
public struct BankHolidayData: Sendable, Equatable {
    public private(set) var holidays: [HolidayDivision: [BankHoliday]]

    public init(holidays: [HolidayDivision: [BankHoliday]]) {
        self.holidays = holidays.mapValues { $0.sorted { $0.date < $1.date } }
    }

    private struct File: Codable {
        struct Division: Codable {
            let division: String
            let events: [Event]
        }

        struct Event: Codable {
            let title: String
            let date: CalendarDate
            let notes: String?
            let bunting: Bool?
        }
    }

    /// Reads a gov.uk file. Every division must be present; each problem is named by division and position.
    public static func decode(_ data: Data) throws -> BankHolidayData {
        let file: [String: File.Division]
        do {
            file = try JSONDecoder().decode([String: File.Division].self, from: data)
        } catch {
            throw ValidationError(field: "file", "This is not a gov.uk bank-holidays.json file: \(Self.reason(error))")
        }
        var holidays: [HolidayDivision: [BankHoliday]] = [:]
        for division in HolidayDivision.allCases {
            guard let entry = file[division.rawValue], !entry.events.isEmpty else {
                throw ValidationError(field: "file", "The file has no bank holidays for \(division.rawValue)")
            }
            holidays[division] = entry.events.map { BankHoliday(date: $0.date, title: $0.title) }
        }
        return BankHolidayData(holidays: holidays)
    }

    /// The same data in gov.uk's format (what `holidays import` stores and an export gives back).
    public func encoded() throws -> Data {
        var file: [String: File.Division] = [:]
        for (division, days) in holidays {
            file[division.rawValue] = File.Division(division: division.rawValue, events: days.map {
                File.Event(title: $0.title, date: $0.date, notes: "", bunting: true)
            })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(file)
    }

    /// Data from `other` replaces this data for the years `other` covers; earlier years are kept.
    public func merging(_ other: BankHolidayData) -> BankHolidayData {
        var merged = holidays
        for (division, days) in other.holidays {
            guard let first = days.first?.date.year else { continue }
            merged[division] = (merged[division] ?? []).filter { $0.date.year < first } + days
        }
        return BankHolidayData(holidays: merged)
    }

    /// The years the data covers for a division (first to last year with any event).
    public func years(_ division: HolidayDivision) -> ClosedRange<Int>? {
        guard let days = holidays[division], let first = days.first, let last = days.last else { return nil }
        return first.date.year...last.date.year
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it could not be read" }
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let path = (context.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "\(path) is missing"
        @unknown default:
            return "it could not be read"
        }
    }
}

/// A statutory or local time limit counted in working days, with the intervals it was paused.
public struct WorkingDayClock: Sendable, Equatable {
    public struct Pause: Sendable, Equatable, Codable {
        public var from: CalendarDate
        /// Nil while the clock is still paused.
        public var to: CalendarDate?
        public var reason: String

        public init(from: CalendarDate, to: CalendarDate?, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    public enum State: Sendable, Equatable {
        case running(workingDaysLeft: Int)
        case dueToday
        case overdue(workingDays: Int)
        case paused(since: CalendarDate)
        case stopped(onTime: Bool)
    }

    /// A weekday the clock stepped over without counting it: a bank holiday or a local closure day.
    public struct DayNotCounted: Sendable, Equatable {
        public var date: CalendarDate
        public var reason: String
    }

    public var start: CalendarDate
    public var limit: Int
    public var due: CalendarDate
    public var pauses: [Pause]
    public var stoppedOn: CalendarDate?
    public var state: State
    /// The bank holidays and closure days between the start and the due date, in date order, so that a due date
    /// later than the limit suggests explains itself (weekends are not listed).
    public var daysNotCounted: [DayNotCounted]

    /// "25 December 2026: Christmas Day; 28 December 2026: Boxing Day", or nil when no weekday was skipped.
    public var daysNotCountedSummary: String? {
        daysNotCounted.isEmpty ? nil : daysNotCounted.map { "\($0.date.long): \($0.reason)" }.joined(separator: "; ")
    }

    /// "3 working days left", "overdue by 2 working days", "paused since 1 March 2026 (…)".
    public var summary: String {
        switch state {
        case .running(let left): return "\(left) working day\(left == 1 ? "" : "s") left"
        case .dueToday: return "due today"
        case .overdue(let days): return "overdue by \(days) working day\(days == 1 ? "" : "s")"
        case .paused(let since): return "paused since \(since.long)" + (pauses.last.map { " (\($0.reason))" } ?? "")
        case .stopped(let onTime): return onTime ? "met" : "completed late"
        }
    }

    public var isOverdue: Bool {
        switch state {
        case .overdue: true
        case .stopped(let onTime): !onTime
        default: false
        }
    }
}
