import Foundation

/// The regular bank holidays of each division, for years past the published data (marked provisional).
/// Source: Banking and Financial Dealings Act 1971 sch. 1 and the annual Royal Proclamations as gov.uk lists
/// them; domain-rules.md "Working days". One-off days (jubilees, state funeral, coronation, moved days) come only
/// from published data.
public enum BankHolidayRules {
    /// Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// The first `weekday` (ISO, Monday 1) of a month.
    static func first(_ weekday: Int, of month: Int, _ year: Int) -> CalendarDate {
        let start = CalendarDate(year: year, month: month, day: 1)!
        return start.adding(days: (weekday - start.weekday + 7) % 7)
    }

    /// The last `weekday` (ISO) of a month.
    static func last(_ weekday: Int, of month: Int, _ year: Int) -> CalendarDate {
        let end = CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
        return end.adding(days: -((end.weekday - weekday + 7) % 7))
    }

    /// The regular bank holidays of `year`, provisional. A fixed-date holiday that falls on a weekend moves to the
    /// next weekday that is not already a holiday, after the days that fall on weekdays have taken theirs (so
    /// Christmas on a Sunday gives Boxing Day Monday 26 and a substitute Christmas Day on Tuesday 27).
    public static func projected(_ year: Int, _ division: HolidayDivision) -> [BankHoliday] {
        func date(_ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        let easter = easterSunday(year)
        var fixed: [(CalendarDate, String)] = [(date(1, 1), "New Year’s Day")]
        var moving: [(CalendarDate, String)] = [
            (easter.adding(days: -2), "Good Friday"),
            (first(1, of: 5, year), "Early May bank holiday"),
            (last(1, of: 5, year), "Spring bank holiday"),
        ]
        switch division {
        case .englandAndWales:
            moving += [(easter.adding(days: 1), "Easter Monday"), (last(1, of: 8, year), "Summer bank holiday")]
        case .scotland:
            fixed.append((date(1, 2), "2nd January"))
            moving.append((first(1, of: 8, year), "Summer bank holiday"))
            fixed.append((date(11, 30), "St Andrew’s Day"))
        case .northernIreland:
            fixed.append((date(3, 17), "St Patrick’s Day"))
            moving += [(easter.adding(days: 1), "Easter Monday"), (last(1, of: 8, year), "Summer bank holiday")]
            fixed.append((date(7, 12), "Battle of the Boyne (Orangemen’s Day)"))
        }
        fixed += [(date(12, 25), "Christmas Day"), (date(12, 26), "Boxing Day")]

        var taken = Set(moving.map(\.0.dayNumber))
        var result = moving.map { BankHoliday(date: $0.0, title: $0.1, isProvisional: true) }
        for (day, title) in fixed where !day.isWeekend {
            taken.insert(day.dayNumber)
            result.append(BankHoliday(date: day, title: title, isProvisional: true))
        }
        for (day, title) in fixed where day.isWeekend {
            var substitute = day
            while substitute.isWeekend || taken.contains(substitute.dayNumber) { substitute = substitute.adding(days: 1) }
            taken.insert(substitute.dayNumber)
            result.append(BankHoliday(date: substitute, title: title, isProvisional: true))
        }
        return result.sorted { $0.date < $1.date }
    }
}

/// Working days for one division: Monday to Friday, not a bank holiday (published, else projected) and not a
/// local closure day. Source: domain-rules.md "Working days".
public struct WorkingDayCalendar: Sendable {
    public let division: HolidayDivision
    public let closures: [CalendarDate: String]
    /// Published and projected holidays by day number, for every year the calendar answers for.
    private let holidays: [Int: BankHoliday]
    public let publishedYears: ClosedRange<Int>?
    /// Years outside this range are refused rather than guessed at.
    public static let supportedYears = 1_970...2_200

    public init(division: HolidayDivision, published: BankHolidayData, closures: [ClosureDay] = []) {
        self.division = division
        self.closures = Dictionary(closures.map { ($0.date, $0.reason) }, uniquingKeysWith: { first, _ in first })
        let years = published.years(division)
        publishedYears = years
        var holidays: [Int: BankHoliday] = [:]
        for holiday in published.holidays[division] ?? [] { holidays[holiday.date.dayNumber] = holiday }
        for year in Self.supportedYears where !(years?.contains(year) ?? false) {
            for holiday in BankHolidayRules.projected(year, division) { holidays[holiday.date.dayNumber] = holiday }
        }
        self.holidays = holidays
    }

    public func holiday(on date: CalendarDate) -> BankHoliday? {
        holidays[date.dayNumber]
    }

    public func holidays(in year: Int) -> [BankHoliday] {
        let start = CalendarDate(year: year, month: 1, day: 1)!.dayNumber
        let end = CalendarDate(year: year, month: 12, day: 31)!.dayNumber
        return (start...end).compactMap { holidays[$0] }
    }

    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && holidays[date.dayNumber] == nil && closures[date] == nil
    }

    /// Why a date is not a working day, or nil when it is one.
    public func closedReason(_ date: CalendarDate) -> String? {
        if let holiday = holiday(on: date) { return holiday.title + (holiday.isProvisional ? " (provisional)" : "") }
        if let reason = closures[date] { return reason }
        return date.isWeekend ? "weekend" : nil
    }

    /// "Within N working days of D": the N-th working day after D; D itself does not count. N = 0 gives D.
    /// Negative N counts back.
    public func adding(workingDays n: Int, to date: CalendarDate) -> CalendarDate {
        var day = date
        var remaining = abs(n)
        let step = n < 0 ? -1 : 1
        while remaining > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// Working days after `from` up to and including `to`, so `workingDays(from: d, to: adding(workingDays: n, to: d)) == n`.
    /// Negative when `to` is before `from`.
    public func workingDays(from: CalendarDate, to: CalendarDate) -> Int {
        if to < from { return -workingDays(from: to, to: from) }
        var count = 0
        var day = from.dayNumber + 1
        while day <= to.dayNumber {
            if isWorkingDay(CalendarDate(dayNumber: day)) { count += 1 }
            day += 1
        }
        return count
    }

    /// A working-day clock started on `start` with `limit` working days. Working days inside a pause (inclusive)
    /// do not count, so the due date moves on by them; an open pause runs to `today`.
    public func clock(start: CalendarDate, limit: Int, pauses: [WorkingDayClock.Pause] = [], stoppedOn: CalendarDate? = nil,
                      today: CalendarDate) -> WorkingDayClock {
        let paused = pauses.reduce(0) { total, pause in
            let end = pause.to ?? max(today, pause.from)
            return total + workingDays(from: pause.from.adding(days: -1), to: end)
        }
        let due = adding(workingDays: limit + paused, to: start)
        let state: WorkingDayClock.State
        if let stoppedOn {
            state = .stopped(onTime: stoppedOn <= due)
        } else if let open = pauses.last(where: { $0.to == nil }) {
            state = .paused(since: open.from)
        } else if today < due {
            state = .running(workingDaysLeft: workingDays(from: today, to: due))
        } else if today == due {
            state = .dueToday
        } else {
            state = .overdue(workingDays: workingDays(from: due, to: today))
        }
        var daysNotCounted: [WorkingDayClock.DayNotCounted] = []
        var day = start.adding(days: 1)
        while day <= due {
            if !day.isWeekend, let reason = closedReason(day) { daysNotCounted.append(.init(date: day, reason: reason)) }
            day = day.adding(days: 1)
        }
        return WorkingDayClock(start: start, limit: limit, due: due, pauses: pauses, stoppedOn: stoppedOn, state: state,
                               daysNotCounted: daysNotCounted)
    }
}
