import ConcordDomain
import ConcordStorage
import Foundation
import Testing

@Suite struct CalendarStoreTests {
    /// The projection rules give exactly the published dates in every year with no one-off or moved day
    /// (2011 royal wedding; 2012, 2022 jubilees; 2020 VE day; 2022 state funeral; 2023 coronation).
    @Test(arguments: HolidayDivision.allCases)
    func projectionMatchesPublishedDataInRegularYears(_ division: HolidayDivision) throws {
        let published = CalendarStore.bundled
        let years = try #require(published.years(division))
        #expect(years.lowerBound <= 2010 && years.upperBound >= 2028)
        let oneOffYears: Set<Int> = [2011, 2012, 2020, 2022, 2023]
        for year in years where !oneOffYears.contains(year) {
            let expected = published.holidays[division, default: []].filter { $0.date.year == year }.map(\.date)
            let projected = BankHolidayRules.projected(year, division).map(\.date)
            #expect(projected == expected, "\(division.rawValue) \(year)")
        }
    }

    @Test(arguments: TestEngine.available)
    func closureDaysAndImportsChangeTheCalendarAndAreAudited(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = CalendarStore(database: db)
        let received = CalendarDate(iso: "2026-12-18")!
        #expect(try await store.calendar().adding(workingDays: 5, to: received) == CalendarDate(iso: "2026-12-29")!)

        try await store.addClosure(ClosureDay(date: CalendarDate(iso: "2026-12-24")!, reason: "Christmas Eve closure"), audit: .commandLine)
        await #expect(throws: DuplicateRecordError.self) {
            try await store.addClosure(ClosureDay(date: CalendarDate(iso: "2026-12-24")!, reason: "again"), audit: .commandLine)
        }
        #expect(try await store.calendar().adding(workingDays: 5, to: received) == CalendarDate(iso: "2026-12-30")!)

        // An imported file with an extra holiday on 29 December 2026 replaces the bundled 2026 data.
        var imported = CalendarStore.bundled.holidays
        for division in HolidayDivision.allCases {
            imported[division] = imported[division, default: []].filter { $0.date.year >= 2026 }
                + [BankHoliday(date: CalendarDate(iso: "2026-12-29")!, title: "Extra day")]
        }
        try await store.importHolidays(try BankHolidayData(holidays: imported).encoded(), audit: .commandLine)
        let calendar = try await store.calendar(division: .scotland)
        #expect(calendar.holiday(on: CalendarDate(iso: "2026-12-29")!)?.title == "Extra day")
        #expect(calendar.holiday(on: CalendarDate(iso: "2011-04-29")!)?.title == "Royal wedding")

        await #expect(throws: ValidationError.self) {
            try await store.importHolidays(Data("not json".utf8), audit: .commandLine)
        }
        #expect(try await store.calendar(division: .scotland).holiday(on: CalendarDate(iso: "2026-12-29")!) != nil)

        try await store.removeClosure(CalendarDate(iso: "2026-12-24")!, audit: .commandLine)
        let entries = try await AuditLog(database: db).search(AuditQuery(recordType: "closure-day")).items
        #expect(entries.count == 2)
    }
}
