import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct StrategyTests {
    static func measure(_ unit: MeasureUnit, baseline: Double, polarity: Polarity = .lowerIsBetter, kinds: Set<PeriodKind> = [.financialYear]) -> Measure {
        Measure(id: 1, agreementId: 1, priorityId: 1, name: "m", geography: "Kent excluding Medway", unit: unit, polarity: polarity,
                periodKinds: kinds, baseline: Baseline(label: "'10/11", value: baseline))
    }

    static func row(_ unit: MeasureUnit, _ baseline: Double, _ previous: Double, _ latest: Double) -> (String, String) {
        let measure = measure(unit, baseline: baseline)
        let values = [MeasureValue(measureId: 1, period: StrategyRules.period(.financialYear, label: "2012/13")!, value: previous),
                      MeasureValue(measureId: 1, period: StrategyRules.period(.financialYear, label: "2013/14")!, value: latest)]
        let figures = StrategyRules.figures(for: measure, values: values, on: day("2014-07-08"), defaultTolerance: 2)
        return (StrategyRules.formatChange(figures.change, unit: unit), StrategyRules.formatChange(figures.differenceToBaseline, unit: unit))
    }

    /// 2014-07-08 pack appendix B: every printed change and difference that follows from the printed values.
    @Test func theJuly2014AppendixFigures() {
        #expect(Self.row(.count, 18_376, 19_259, 20_276) == ("▲ 5.3%", "▲ 10.3%"))      // domestic abuse incidents
        #expect(Self.row(.percentage, 24.0, 24.2, 24.8) == ("▲ 0.6", "▲ 0.8"))          // repeat victims
        #expect(Self.row(.percentage, 14.9, 22.4, 23) == ("▲ 0.6", "▲ 8.1"))            // repeat MARAC cases
        #expect(Self.row(.count, 25_335, 23_491, 24_482) == ("▲ 4.2%", "▼ 3.4%"))       // theft and handling
        #expect(Self.row(.count, 4_354, 5_294, 5_322) == ("▲ 0.5%", "▲ 22.2%"))         // domestic burglary
        #expect(Self.row(.count, 14_946, 15_660, 21_199) == ("▲ 35.4%", "▲ 41.8%"))     // violence against the person
        #expect(Self.row(.percentage, 4.5, 2.4, 2.0) == ("▼ 0.4", "▼ 2.5"))             // ASB perception (old)
        // Printed ▲ 36.3% / ▲ 43.0% and ▼ 1.6 / ▲ 1.9 do not follow from the printed values (domain-rules.md).
        #expect(Self.row(.count, 16_715, 17_537, 23_914) == ("▲ 36.4%", "▲ 43.1%"))
        #expect(Self.row(.percentage, 78.7, 82.2, 80.5) == ("▼ 1.7", "▲ 1.8"))
    }

    @Test func periodsOfEachKind() {
        #expect(StrategyRules.period(.financialYear, label: "2013/14")?.endsOn == day("2014-03-31"))
        #expect(StrategyRules.period(.financialYear, label: "2013/15") == nil)
        #expect(StrategyRules.period(.calendarYear, label: "2013")?.endsOn == day("2013-12-31"))
        #expect(StrategyRules.period(.quarter, label: "Q1 2013/14")?.endsOn == day("2013-06-30"))
        #expect(StrategyRules.period(.quarter, label: "Q4 2012/13")?.endsOn == day("2013-03-31"))
        #expect(StrategyRules.period(.month, label: "2014-02")?.endsOn == day("2014-02-28"))
        #expect(StrategyRules.period(.rolling12, label: "12 months to 2013-06")?.endsOn == day("2013-06-30"))
        #expect(StrategyRules.period(.custom, label: "2012/13") == nil)
        #expect(StrategyRules.period(.custom, label: "2012/13", endsOn: day("2013-06-30"))?.endsOn == day("2013-06-30"))
    }

    @Test func badValuesAreNamed() {
        let measure = Self.measure(.percentage, baseline: 24.0)
        let fy = StrategyRules.period(.financialYear, label: "2013/14")!
        #expect(throws: ValidationError([FieldIssue("value", "A percentage must be between 0 and 100, not 124.8")])) {
            try StrategyRules.check(MeasureValue(measureId: 1, period: fy, value: 124.8), for: measure, existing: [])
        }
        #expect(throws: ValidationError.self) {
            try StrategyRules.check(MeasureValue(measureId: 1, period: StrategyRules.period(.calendarYear, label: "2013")!, value: 24), for: measure,
                                    existing: [])
        }
        let existing = [MeasureValue(measureId: 1, period: fy, value: 24.8)]
        #expect(throws: ValidationError([FieldIssue("period", "There is already a value for 2013/14 (April – March)")])) {
            try StrategyRules.check(MeasureValue(measureId: 1, period: fy, value: 25), for: measure, existing: existing)
        }
    }

    /// A later restatement does not change an earlier appendix: KSI baseline 545 in October 2013, 547 from 2014.
    @Test func restatedBaselinesApplyFromTheirDate() {
        var ksi = Self.measure(.count, baseline: 547, kinds: [.calendarYear, .financialYear])
        ksi.restatements = [BaselineRestatement(on: day("2014-06-01"), previousValue: 545, newValue: 547, note: "cross checks in severity")]
        #expect(ksi.baselineValue(on: day("2013-10-17")) == 545 && ksi.baselineValue(on: day("2014-07-08")) == 547)
        let values = [MeasureValue(measureId: 1, period: StrategyRules.period(.financialYear, label: "2011/12")!, value: 517),
                      MeasureValue(measureId: 1, period: StrategyRules.period(.financialYear, label: "2012/13")!, value: 531),
                      MeasureValue(measureId: 1, period: StrategyRules.period(.calendarYear, label: "2012")!, value: 524),
                      MeasureValue(measureId: 1, period: StrategyRules.period(.calendarYear, label: "2013")!, value: 594, isUnvalidated: true)]
        let october = StrategyRules.figures(for: ksi, values: values, on: day("2013-10-17"), defaultTolerance: 2)
        #expect(StrategyRules.formatChange(october.change, unit: .count) == "▲ 2.7%")
        #expect(StrategyRules.formatChange(october.differenceToBaseline, unit: .count) == "▼ 2.6%")
        let july = StrategyRules.figures(for: ksi, values: values, on: day("2014-07-08"), defaultTolerance: 2)
        #expect(july.previous?.period.label == "2012" && july.latest?.period.label == "2013")
        #expect(StrategyRules.formatChange(july.change, unit: .count, decimals: 0) == "▲ 13%")
        #expect(StrategyRules.formatChange(july.differenceToBaseline, unit: .count, decimals: 0) == "▲ 9%")
        #expect(july.rag == .red)
    }

    @Test func ragFollowsPolarityWithATolerance() {
        #expect(StrategyRules.rag(differenceToBaseline: 1.8, polarity: .higherIsBetter, tolerance: 1) == .green)
        #expect(StrategyRules.rag(differenceToBaseline: 1.8, polarity: .lowerIsBetter, tolerance: 1) == .red)
        #expect(StrategyRules.rag(differenceToBaseline: -0.5, polarity: .higherIsBetter, tolerance: 1) == .amber)
        #expect(StrategyRules.rag(differenceToBaseline: nil, polarity: .higherIsBetter, tolerance: 1) == nil)
    }

    @Test func theTallyCountsEachCSPOnceAndSaysHowManyResponded() {
        let entries = [(1, "Domestic Abuse"), (2, "Domestic Abuse"), (3, "Domestic Abuse"), (1, "Road Safety"), (2, "ASB / Environmental"),
                       (2, "Domestic Abuse")].enumerated().map { index, entry in
            AssessmentEntry(id: Int64(index), versionId: 1, cspAreaId: Int64(entry.0), issue: entry.1, classification: .mainPriority, isAgreed: false)
        }
        let tally = StrategyRules.tally(entries)
        #expect(tally.responding == 3)
        #expect(tally.rows.map { "\($0.issue) \($0.count)" } == ["Domestic Abuse 3", "ASB / Environmental 1", "Road Safety 1"])
    }

    @Test func lineageRetiredThemesAndTBCLeads() {
        let soc = Topic(id: 1, agreementId: 1, kind: .priority, name: "Serious and Organised Crime", leadRole: "Head of Crime Command",
                        lineage: [LineageEvent(kind: .created, year: 2017), LineageEvent(kind: .retired, year: 2020, relatedTopicIds: [2])])
        let svoc = Topic(id: 2, agreementId: 1, kind: .priority, name: "Serious Violence and Organised Crime",
                         lineage: [LineageEvent(kind: .expanded, year: 2020, relatedTopicIds: [1])])
        #expect(soc.isActive(in: 2019) && !soc.isActive(in: 2020) && svoc.isActive(in: 2020) && !svoc.isActive(in: 2019))
        let covid = Topic(id: 3, agreementId: 1, kind: .theme, name: "Response and Recovery from the COVID-19 pandemic",
                          lineage: [LineageEvent(kind: .created, year: 2021), LineageEvent(kind: .retired, year: 2022)])
        #expect(throws: ValidationError([FieldIssue("themeIds", "“Response and Recovery from the COVID-19 pandemic” is retired: link the action to a theme in use")])) {
            try StrategyRules.checkThemes([3], themes: [covid], year: 2023)
        }
        let version = AgreementVersion(id: 1, agreementId: 1, number: "7.0", effectiveOn: day("2023-04-01"), status: .draft,
                                       changes: [VersionChange(section: "Foreword", text: "to be updated", toBeUpdated: true)])
        #expect(StrategyRules.publicationWarnings(priorities: [soc, svoc], version: version)
            == ["The lead for “Serious Violence and Organised Crime” is TBC", "Foreword is still to be updated"])
    }
}
