import ConcordDomain
import ConcordStorage
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct StrategyStoreTests {
    static func appendix(_ db: ConcordDatabase, title: String, on date: String, practitioner: Bool = true) async throws -> StrategyAppendix {
        let store = StrategyStore(database: db)
        let agreement = try #require(try await store.agreements().first { $0.title == title })
        return StrategyAppendix.build(agreement: agreement, topics: try await store.topics(agreementId: agreement.id),
                                      measures: try await store.measures(agreementId: agreement.id), values: try await store.values(agreementId: agreement.id),
                                      commentary: try await store.commentary(agreementId: agreement.id), aims: try await store.aims(agreementId: agreement.id),
                                      actions: try await store.actions(agreementId: agreement.id), agencyNames: [:], on: day(date),
                                      includePractitionerOnly: practitioner, defaultTolerance: 2)
    }

    /// The demo's appendices reproduce the papers' figures wherever they follow from the printed values
    /// (2014-07-08 pack appendix B; 2013-10-17 pack appendix A).
    @Test(arguments: TestEngine.available)
    func theDemoAppendicesShowThePapersFigures(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        try await DemoPartnership.load(into: db, passwordHash: "x")
        let july = try await Self.appendix(db, title: "Kent Community Safety Agreement 2011-14", on: "2014-07-08")
        func row(_ appendix: StrategyAppendix, _ prefix: String) -> StrategyAppendix.MeasureRow? {
            appendix.sections.flatMap(\.measures).first { $0.name.hasPrefix(prefix) }
        }
        func figures(_ appendix: StrategyAppendix, _ prefix: String) -> [String] {
            row(appendix, prefix).map { [$0.baseline, $0.previous, $0.latest, $0.change, $0.differenceToBaseline] } ?? []
        }
        #expect(figures(july, "Number of Domestic Abuse") == ["18,376", "19,259", "20,276", "▲ 5.3%", "▲ 10.3%"])
        #expect(figures(july, "% of repeat victims") == ["24.0%", "24.2%", "24.8%", "▲ 0.6", "▲ 0.8"])
        #expect(figures(july, "% of repeat MARAC") == ["14.9%", "22.4%", "23.0%", "▲ 0.6", "▲ 8.1"])
        #expect(figures(july, "Level of Theft") == ["25,335", "23,491", "24,482", "▲ 4.2%", "▼ 3.4%"])
        #expect(figures(july, "Level of Domestic Burglary") == ["4,354", "5,294", "5,322", "▲ 0.5%", "▲ 22.2%"])
        #expect(figures(july, "Level of Violence against") == ["14,946", "15,660", "21,199", "▲ 35.4%", "▲ 41.8%"])
        #expect(figures(july, "Percentage of people who perceive") == ["4.5%", "2.4%", "2.0%", "▼ 0.4", "▼ 2.5"])
        #expect(row(july, "Percentage of people who perceive")?.status == .replaced)
        // KSI: calendar years 2012 and 2013 against the restated baseline of 547 (the paper prints whole percents, ▲ 13% and ▲ 9%).
        let ksi = try #require(row(july, "Number of all KSI"))
        #expect([ksi.baseline, ksi.previousLabel, ksi.latestLabel, ksi.change, ksi.differenceToBaseline] == ["547", "2012", "2013", "▲ 13.4%", "▲ 8.6%"])
        #expect(ksi.notes.contains { $0.contains("from 545 to 547") } && ksi.commentary.first?.hasPrefix("2013 recorded 13% more") == true)
        #expect(july.sections.first { $0.priority == "Domestic Abuse" }?.aims.map(\.number) == [3, 4, 5])
        #expect(july.sections.first { $0.priority == "Anti-Social Behaviour including Environmental" }?.aims[1].actions.first?.status == .complete)

        let october = try await Self.appendix(db, title: "Kent Community Safety Agreement 2011-14", on: "2013-10-17")
        #expect(figures(october, "Number of Domestic Abuse") == ["18,376", "18,881", "19,375", "▲ 2.6%", "▲ 5.4%"])
        #expect(row(october, "Number of Domestic Abuse")?.heading == "Sep - Aug")
        #expect(figures(october, "Level of Domestic Burglary") == ["4,354", "4,417", "5,548", "▲ 25.6%", "▲ 27.4%"])
        #expect(figures(october, "Level of Violent Crime") == ["16,715", "16,427", "18,262", "▲ 11.2%", "▲ 9.3%"])
        #expect(figures(october, "Percentage of victims and witnesses") == ["78.7%", "80.8%", "81.1%", "▲ 0.3", "▲ 2.4"])
        #expect(figures(october, "Number of all KSI") == ["545", "517", "531", "▲ 2.7%", "▼ 2.6%"])
        #expect(figures(october, "No. of drug users") == ["887", "618", "577 (20%)", "▼ 6.6%", "▼ 34.9%"])
        // Practitioner-only data is left out of the public appendix and only counted.
        let publicOctober = try await Self.appendix(db, title: "Kent Community Safety Agreement 2011-14", on: "2013-10-17", practitioner: false)
        let substance = try #require(publicOctober.sections.first { $0.priority == "Substance Misuse" })
        #expect(substance.measures.isEmpty && substance.withheld == 3)
        #expect(publicOctober.csv.contains("\"Level of Domestic Burglary\"") || publicOctober.csv.contains("Level of Domestic Burglary,"))
    }

    @Test(arguments: TestEngine.available)
    func badValuesAndRetiredThemesAreRefusedAndNothingIsSaved(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = StrategyStore(database: db)
        let agreement = try await store.createAgreement(title: "CSA", startsOn: day("2017-04-01"), endsOn: nil, audit: .commandLine)
        await #expect(throws: ValidationError.self) {
            try await store.addMeasure(Measure(id: 0, agreementId: agreement, priorityId: nil, name: "No baseline", geography: nil, unit: .count,
                                               polarity: .lowerIsBetter, periodKinds: [.financialYear], baseline: nil), audit: .commandLine)
        }
        let measure = try await store.addMeasure(Measure(id: 0, agreementId: agreement, priorityId: nil, name: "Repeat victims", geography: nil,
                                                         unit: .percentage, polarity: .lowerIsBetter, periodKinds: [.financialYear],
                                                         baseline: Baseline(label: "'10/11", value: 24)), audit: .commandLine)
        let fy = StrategyRules.period(.financialYear, label: "2013/14")!
        do {
            try await store.addValues([MeasureValue(measureId: measure, period: fy, value: 24.8),
                                       MeasureValue(measureId: measure, period: fy, value: 25.0),
                                       MeasureValue(measureId: measure, period: StrategyRules.period(.calendarYear, label: "2013")!, value: 101)],
                                      audit: .commandLine)
            Issue.record("bad values were accepted")
        } catch let error as ValidationError {
            #expect(error.issues.map(\.field) == ["row 2", "row 3", "row 3"])
        }
        #expect(try await store.values(agreementId: agreement).isEmpty)
        let covid = try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: .theme, name: "COVID-19",
                                                   lineage: [LineageEvent(kind: .created, year: 2021), LineageEvent(kind: .retired, year: 2022)]),
                                             audit: .commandLine)
        let aim = try await store.addAim(agreementId: agreement, priorityId: nil, number: nil, text: "Miscellaneous", audit: .commandLine)
        await #expect(throws: ValidationError.self) {
            try await store.addAction(aimId: aim, text: "Recovery", leadAgencyId: nil, timescale: .ongoing, themeIds: [covid], year: 2023, audit: .commandLine)
        }
        #expect(try await store.actions(agreementId: agreement).isEmpty)
    }
}
