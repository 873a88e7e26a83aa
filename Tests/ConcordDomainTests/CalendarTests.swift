import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

/// A calendar of projected holidays only (no published data), so these tests need no files.
private func projectedCalendar(_ division: HolidayDivision = .englandAndWales, closures: [ClosureDay] = []) -> WorkingDayCalendar {
    WorkingDayCalendar(division: division, published: BankHolidayData(holidays: [:]), closures: closures)
}

@Suite struct CalendarDateArithmeticTests {
    @Test func dayNumbersRoundTripAndKnowTheirWeekday() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2026-11-23").weekday == 1)
        #expect(day("2026-12-25").weekday == 5)
        var date = day("1999-12-25")
        for _ in 0..<20_000 {
            #expect(CalendarDate(dayNumber: date.dayNumber) == date)
            let next = date.adding(days: 1)
            #expect(next.dayNumber == date.dayNumber + 1 && next.weekday == date.weekday % 7 + 1)
            date = next
        }
    }

    @Test func addingMonthsClampsToTheEndOfAShorterMonth() {
        #expect(day("2026-08-31").adding(months: -6) == day("2026-02-28"))
        #expect(day("2024-08-31").adding(months: -6) == day("2024-02-29"))
        #expect(day("2026-01-15").adding(months: -6) == day("2025-07-15"))
        #expect(day("2026-11-30").adding(months: 3) == day("2027-02-28"))
    }
}

@Suite struct InstantTests {
    /// The hand-written storage form is Foundation's ISO 8601 form with milliseconds (compared where both are
    /// exact: binary fractions of a second), and the text reads back to the same text, either side of 1970.
    @Test func storageTextMatchesFoundationAndReadsBack() {
        let foundation = Date.ISO8601FormatStyle().year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator))
            let exact = Date(timeIntervalSince1970: seconds + [0, 0.125, 0.25, 0.5, 0.75].randomElement(using: &generator)!)
            #expect(Instant.storage(exact) == exact.formatted(foundation))
            let any = Date(timeIntervalSince1970: seconds + Double.random(in: 0..<1, using: &generator))
            let text = Instant.storage(any)
            #expect(Instant.parse(text).map(Instant.storage) == text)
            #expect(abs(Instant.parse(text)!.timeIntervalSince(any)) < 0.000501)
        }
        #expect(Instant.storage(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Instant.storage(Date(timeIntervalSince1970: 1_782_864_000.9994)) == "2026-07-01T00:00:00.999Z")
        #expect(Instant.parse("2026-07-01T1a:00:00.000Z") == nil)
        #expect(Instant.parse("2026-07-01T10:00:00Z") == Date(timeIntervalSince1970: 1_782_900_000))
    }
}

@Suite struct BankHolidayRulesTests {
    @Test(arguments: [("2024", "2024-03-31"), ("2025", "2025-04-20"), ("2026", "2026-04-05"), ("2038", "2038-04-25"),
                      ("2285", "2285-03-22"), ("2011", "2011-04-24")])
    func easterSunday(_ year: String, _ expected: String) {
        #expect(BankHolidayRules.easterSunday(Int(year)!) == day(expected))
    }

    /// Christmas on a Sunday: Boxing Day keeps Monday 26 and Christmas is substituted on Tuesday 27 (as gov.uk, 2022).
    @Test func weekendFixedDaysMoveToTheNextFreeWeekday() {
        let dates = BankHolidayRules.projected(2022, .englandAndWales).filter { $0.date.month == 12 }
        #expect(dates.map(\.date) == [day("2022-12-26"), day("2022-12-27")])
        #expect(dates.map(\.title) == ["Boxing Day", "Christmas Day"])
        let scotland = BankHolidayRules.projected(2028, .scotland).filter { $0.date.month == 1 }.map(\.date)
        #expect(scotland == [day("2028-01-03"), day("2028-01-04")])
        #expect(BankHolidayRules.projected(2026, .northernIreland).contains { $0.date == day("2026-07-13") })
        #expect(BankHolidayRules.projected(2030, .englandAndWales).allSatisfy { $0.isProvisional })
    }

    @Test func divisionsDiffer() {
        let scotland = Set(BankHolidayRules.projected(2031, .scotland).map(\.title))
        let northernIreland = Set(BankHolidayRules.projected(2031, .northernIreland).map(\.title))
        let englandAndWales = BankHolidayRules.projected(2031, .englandAndWales)
        #expect(scotland.contains("St Andrew’s Day"))
        #expect(!scotland.contains("Easter Monday"))
        #expect(northernIreland.contains("St Patrick’s Day"))
        #expect(englandAndWales.count == 8)
    }

    @Test func unknownDivisionNamesTheField() {
        #expect(throws: ValidationError(field: "division", "Division must be one of england-and-wales, scotland, northern-ireland")) {
            try HolidayDivision.parse("wales")
        }
    }

    @Test func aFileWithoutEveryDivisionIsRefused() {
        let file = Data(#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"x","date":"2030-01-01"}]}}"#.utf8)
        #expect(throws: ValidationError.self) { try BankHolidayData.decode(file) }
        let badDate = Data(#"{"england-and-wales":{"division":"e","events":[{"title":"x","date":"2030-02-30"}]}}"#.utf8)
        #expect(throws: ValidationError.self) { try BankHolidayData.decode(badDate) }
    }
}

@Suite struct WorkingDayCalendarTests {
    /// domain-rules.md "Working days": received Fri 18 Dec 2026, 5 working days → Tue 29 Dec 2026.
    @Test func domainRulesExample() {
        let calendar = projectedCalendar()
        #expect(calendar.adding(workingDays: 5, to: day("2026-12-18")) == day("2026-12-29"))
        #expect(calendar.workingDays(from: day("2026-12-18"), to: day("2026-12-29")) == 5)
        #expect(calendar.adding(workingDays: 0, to: day("2026-12-19")) == day("2026-12-19"))
    }

    /// A clock lists the holidays and closure days it stepped over, but not weekends, so its due date explains itself.
    @Test func aClockNamesTheWeekdaysItDidNotCount() {
        let closed = projectedCalendar(closures: [ClosureDay(date: day("2026-12-21"), reason: "Office move")])
        let clock = closed.clock(start: day("2026-12-18"), limit: 5, today: day("2026-12-18"))
        #expect(clock.due == day("2026-12-30"))
        #expect(clock.daysNotCounted.map(\.date) == [day("2026-12-21"), day("2026-12-25"), day("2026-12-28")])
        #expect(clock.daysNotCountedSummary == "21 December 2026: Office move; 25 December 2026: Christmas Day (provisional); "
            + "28 December 2026: Boxing Day (provisional)")
        #expect(closed.clock(start: day("2026-11-02"), limit: 5, today: day("2026-11-02")).daysNotCountedSummary == nil)
    }

    @Test func closureDaysAreNotWorkingDays() {
        let closed = projectedCalendar(closures: [ClosureDay(date: day("2026-12-21"), reason: "Office move")])
        #expect(closed.adding(workingDays: 5, to: day("2026-12-18")) == day("2026-12-30"))
        #expect(closed.closedReason(day("2026-12-21")) == "Office move")
        #expect(closed.closedReason(day("2026-12-28")) == "Boxing Day (provisional)")
        #expect(closed.closedReason(day("2026-12-22")) == nil)
    }

    /// Counting is the inverse of adding, and adding never lands on a closed day, for many starts and limits.
    @Test func countingInvertsAdding() {
        var generator = SeededGenerator(seed: 2014)
        for division in HolidayDivision.allCases {
            let calendar = projectedCalendar(division)
            for _ in 0..<400 {
                let start = day("2010-01-01").adding(days: Int.random(in: 0..<7_000, using: &generator))
                let limit = Int.random(in: 0..<40, using: &generator)
                let due = calendar.adding(workingDays: limit, to: start)
                #expect(calendar.workingDays(from: start, to: due) == limit)
                #expect(limit == 0 || calendar.isWorkingDay(due))
                #expect(calendar.adding(workingDays: -limit, to: due) <= start)
            }
        }
    }

    @Test func clockStatesAndPauses() {
        let calendar = projectedCalendar()
        let start = day("2026-12-18")
        #expect(calendar.clock(start: start, limit: 5, today: day("2026-12-22")).state == .running(workingDaysLeft: 3))
        #expect(calendar.clock(start: start, limit: 5, today: day("2026-12-29")).state == .dueToday)
        let late = calendar.clock(start: start, limit: 5, today: day("2027-01-05"))
        #expect(late.state == .overdue(workingDays: 4) && late.summary == "overdue by 4 working days")
        let pause = WorkingDayClock.Pause(from: day("2026-12-21"), to: day("2026-12-22"), reason: "awaiting applicant")
        let paused = calendar.clock(start: start, limit: 5, pauses: [pause], today: day("2026-12-22"))
        #expect(paused.due == day("2026-12-31"))
        let open = WorkingDayClock.Pause(from: day("2026-12-21"), to: nil, reason: "awaiting applicant")
        #expect(calendar.clock(start: start, limit: 5, pauses: [open], today: day("2026-12-22")).state == .paused(since: day("2026-12-21")))
        #expect(calendar.clock(start: start, limit: 5, stoppedOn: day("2026-12-30"), today: day("2027-01-10")).isOverdue)
        #expect(!calendar.clock(start: start, limit: 5, stoppedOn: day("2026-12-29"), today: day("2027-01-10")).isOverdue)
    }
}

/// A small deterministic generator (SplitMix64) so randomised tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
