import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

private func complaint(_ id: String, by complainant: String, incident: String, on reported: String, behaviour: String? = nil,
                       problem: String = "Hill Street", hate: Bool = false) -> ThresholdComplaint {
    ThresholdComplaint(id: id, complainant: complainant, incident: incident, behaviourOn: day(behaviour ?? reported),
                       reportedOn: day(reported), similarityKey: problem, isHateIncident: hate)
}

/// Kent & Medway 2014 criteria (2014-07-08 KCSP pack, appendix A to report B1, L307–L312).
@Suite struct ThresholdEngineTests {
    let received = day("2026-06-15")
    let kent = ThresholdRuleSet.kent2014

    @Test func threeSeparateIncidentsByOnePersonMeetTheIndividualThreshold() {
        let result = CaseReviewRules.check([
            complaint("c1", by: "amy", incident: "i1", on: "2026-01-20"),
            complaint("c2", by: "amy", incident: "i2", on: "2026-03-02"),
            complaint("c3", by: "amy", incident: "i3", on: "2026-06-01"),
        ], receivedOn: received, ruleSet: kent)
        #expect(result.met && result.rulesMet == [.individual])
        #expect(result.counted.map(\.complaintId) == ["c1", "c2", "c3"])
        #expect(result.windowStart == day("2025-12-15"))
    }

    /// One incident reported to three agencies is one incident: three reports do not make three complaints.
    @Test func oneIncidentReportedToSeveralAgenciesCountsOnce() {
        let result = CaseReviewRules.check([
            complaint("police", by: "amy", incident: "i1", on: "2026-05-01"),
            complaint("council", by: "amy", incident: "i1", on: "2026-05-02"),
            complaint("housing", by: "amy", incident: "i1", on: "2026-05-03"),
            complaint("c4", by: "amy", incident: "i2", on: "2026-05-10"),
        ], receivedOn: received, ruleSet: kent)
        #expect(!result.met)
        #expect(result.mostIncidentsByOnePerson == 2)
        #expect(result.excluded.map(\.complaintId) == ["council", "housing"])
        #expect(result.excluded.allSatisfy { $0.reason == .sameIncidentReportedTwice })
    }

    @Test func complaintsOutsideTheWindowOrReportedLateAreExcludedWithReasons() {
        let result = CaseReviewRules.check([
            complaint("old", by: "amy", incident: "i1", on: "2025-12-14"),
            complaint("late", by: "amy", incident: "i2", on: "2026-04-20", behaviour: "2026-03-19"),
            complaint("edge", by: "amy", incident: "i3", on: "2026-04-19", behaviour: "2026-03-19"),
            complaint("first-day", by: "amy", incident: "i4", on: "2025-12-15"),
        ], receivedOn: received, ruleSet: kent)
        #expect(result.excluded.map(\.reason) == [.outsideWindow, .reportedMoreThanAMonthAfterBehaviour])
        #expect(Set(result.counted.map(\.complaintId)) == ["edge", "first-day"])
    }

    @Test func fivePeopleAboutOneProblemMeetTheCommunityThresholdAndOthersAreNotSimilar() {
        var complaints = (1...5).map { complaint("n\($0)", by: "resident\($0)", incident: "i\($0)", on: "2026-05-0\($0)") }
        complaints.append(complaint("elsewhere", by: "zed", incident: "z1", on: "2026-05-09", problem: "Park Road"))
        let result = CaseReviewRules.check(complaints, receivedOn: received, ruleSet: kent)
        #expect(result.met && result.rulesMet == [.community])
        #expect(result.mostPeopleAboutOneProblem == 5)
        #expect(result.counted.count == 5 && result.counted.allSatisfy { $0.rules.contains(.community) })
        #expect(result.excluded.map(\.complaintId) == ["elsewhere"])
        #expect(result.excluded.first?.reason == .notSimilar)
    }

    /// Four people, or one person complaining five times, do not make five people complaining separately.
    @Test func communityThresholdNeedsSeparatePeople() {
        let complaints = (1...4).map { complaint("p\($0)", by: "resident\($0)", incident: "i\($0)", on: "2026-05-0\($0)") }
            + [complaint("again", by: "resident1", incident: "i9", on: "2026-05-09")]
        let result = CaseReviewRules.check(complaints, receivedOn: received, ruleSet: kent)
        #expect(!result.met && result.mostPeopleAboutOneProblem == 4)
    }

    /// The Welsh model as an extra rule: one hate incident is enough when the rule set says so.
    @Test func oneHateIncidentIsEnoughOnlyWhenTheRuleSetSaysSo() {
        let complaints = [complaint("h", by: "amy", incident: "i1", on: "2026-06-01", hate: true)]
        #expect(!CaseReviewRules.check(complaints, receivedOn: received, ruleSet: kent).met)
        var welsh = kent
        welsh.hateIncidentSuffices = true
        let result = CaseReviewRules.check(complaints, receivedOn: received, ruleSet: welsh)
        #expect(result.met && result.rulesMet == [.hateIncident])
    }

    @Test func theAreasOwnRuleSetInForceOnTheReceivedDateApplies() {
        let countywide = ThresholdRuleSet(id: 1, effectiveFrom: day("2014-10-20"))
        let swaleOld = ThresholdRuleSet(id: 2, areaId: 7, effectiveFrom: day("2015-01-01"), individualComplaints: 4)
        let swaleNew = ThresholdRuleSet(id: 3, areaId: 7, effectiveFrom: day("2026-07-01"), individualComplaints: 2)
        let all = [countywide, swaleOld, swaleNew]
        #expect(CaseReviewRules.ruleSet(for: 7, on: day("2026-06-30"), from: all)?.id == 2)
        #expect(CaseReviewRules.ruleSet(for: 7, on: day("2026-07-01"), from: all)?.id == 3)
        #expect(CaseReviewRules.ruleSet(for: 8, on: day("2026-07-01"), from: all)?.id == 1)
        #expect(CaseReviewRules.ruleSet(for: 8, on: day("2014-01-01"), from: all) == nil)
    }

    /// Before the area is chosen, complaints are gathered over the longest window any area uses.
    @Test func complaintsAreGatheredOverTheAreasWindowOrTheLongestInForce() {
        let countywide = ThresholdRuleSet(id: 1, effectiveFrom: day("2014-10-20"))
        let swale = ThresholdRuleSet(id: 2, areaId: 7, effectiveFrom: day("2015-01-01"), windowMonths: 12)
        let medwayLater = ThresholdRuleSet(id: 3, areaId: 9, effectiveFrom: day("2027-01-01"), windowMonths: 18)
        let all = [countywide, swale, medwayLater]
        #expect(CaseReviewRules.lookBackMonths(for: 7, on: day("2026-06-30"), from: all) == 12)
        #expect(CaseReviewRules.lookBackMonths(for: 8, on: day("2026-06-30"), from: all) == 6)
        #expect(CaseReviewRules.lookBackMonths(for: nil, on: day("2026-06-30"), from: all) == 12)
        #expect(CaseReviewRules.lookBackMonths(for: nil, on: day("2026-06-30"), from: []) == 6)
    }

    @Test func impossibleComplaintsAreRefusedNamingTheField() {
        let today = day("2026-06-15")
        #expect(throws: ValidationError(field: "complaints", "An application must rely on at least one complaint")) {
            try CaseReviewRules.validate([], receivedOn: today, today: today)
        }
        do {
            try CaseReviewRules.validate([complaint("f", by: "a", incident: "i", on: "2026-06-20"),
                                          complaint("b", by: "a", incident: "j", on: "2026-06-01", behaviour: "2026-06-02")],
                                         receivedOn: today, today: today)
            Issue.record("expected a validation error")
        } catch {
            #expect(error.issues.map(\.field) == ["complaints[0].reportedOn", "complaints[1].behaviourOn"])
        }
    }

    /// Statutory guidance (2025): a 2nd report within any 6 months raises the prompt.
    @Test func secondReportWithinSixMonthsRaisesThePrompt() {
        #expect(!CaseReviewPrompt.isDue(reportDates: [day("2026-01-10")]))
        #expect(!CaseReviewPrompt.isDue(reportDates: [day("2025-01-10"), day("2025-07-11"), day("2026-02-01")]))
        #expect(CaseReviewPrompt.isDue(reportDates: [day("2026-03-01"), day("2025-09-01")]))
    }

    @Test func memberWhoAppliedMayNotReviewAndGroupApplicationsNotifyTheMember() {
        #expect(!CaseReviewRules.mayReview(memberPersonId: 4, applicantPersonIds: [4, 9]))
        #expect(CaseReviewRules.mayReview(memberPersonId: 5, applicantPersonIds: [4, 9]))
        #expect(CaseReviewRules.notifiesWardMember(residentApplicants: 2))
        #expect(!CaseReviewRules.notifiesWardMember(residentApplicants: 1))
    }
}

@Suite struct ASBImportTests {
    @Test func csvReaderHandlesQuotesCommasNewlinesAndCRLF() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,row,here"
        var records: [([String], Int)] = []
        CSVReader.read(Data(text.utf8)) { fields, line in records.append((fields, line)) }
        #expect(records.map(\.0) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "row", "here"]])
        #expect(records.map(\.1) == [1, 2, 5])
    }

    @Test func csvReaderEdgeCases() {
        func read(_ text: String) -> [[String]] {
            var records: [[String]] = []
            CSVReader.read(Data(text.utf8)) { fields, _ in records.append(fields) }
            return records
        }
        #expect(read("").isEmpty)
        #expect(read("\n\n").isEmpty)
        #expect(read("a,b,") == [["a", "b", ""]])
        #expect(read(",\n") == [["", ""]])
        #expect(read("Zoë,Łódź,東京\n") == [["Zoë", "Łódź", "東京"]])
        #expect(read("\"quoted\"tail,x") == [["quotedtail", "x"]])
        #expect(read("\"unterminated, still") == [["unterminated, still"]])
    }

    /// The ASCII fast path gives what the Unicode path gives.
    @Test(arguments: ["  Amy   O'Brien-Smith ", "J.R.R. Tolkien", "flat 3b, 12 High St.", "---", "", "MCDONALD  2nd"])
    func matchKeyFastPathAgreesWithTheGeneralRule(_ name: String) {
        #expect(ASBRules.matchKey(name) == name.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " "))
        #expect(ASBRules.matchKey("Zoë  O'Neill") == "zoë o neill")
    }

    @Test func everyProblemInARowIsNamedByLineAndColumn() throws {
        let index = try ASBImport.columnIndex(header: ASBImport.columns)
        var fields = Array(repeating: "", count: ASBImport.columns.count)
        func set(_ column: String, _ value: String) { fields[ASBImport.columns.firstIndex(of: column)!] = value }
        set("case_key", "k")
        set("case_title", "Noise")
        set("occurred_on", "2026-03-02")
        set("reported_on", "2026-03-01")
        set("category", "loud")
        set("description", "d")
        set("channel", "phone")
        set("reporting_agency", "Kent Police")
        set("postcode", "ME14 1XQ")
        let checked = ASBImport.row(fields, line: 7, index: index, agencies: ["Kent Police": 1], districts: [:],
                                    today: CalendarDate(iso: "2026-06-01")!)
        guard case .invalid(let issues) = checked else {
            Issue.record("expected the row to be refused")
            return
        }
        #expect(issues.map(\.description) == ["line 7, occurred_on: is after reported_on",
                                              "line 7, category: must be personal, nuisance or environmental"])
        #expect(throws: ValidationError.self) { try ASBImport.columnIndex(header: ["case_key", "colour"]) }
    }

    /// occurred_at is a time of day as HH:MM on the 24-hour clock; anything else is refused, naming the column.
    @Test(arguments: [("21:30", true), ("00:00", true), ("23:59", true), ("24:00", false), ("12:60", false), ("9:30", false),
                      ("21::30", false), ("+1:30", false), ("2130", false), ("21:300", false), ("ab:cd", false)])
    func occurredAtIsATimeOfDay(_ time: String, _ isValid: Bool) throws {
        let values = ["case_key": "k", "case_title": "Noise", "occurred_on": "2026-03-01", "occurred_at": time, "category": "personal",
                      "description": "d", "channel": "phone", "reported_on": "2026-03-01", "reporting_agency": "Kent Police"]
        let fields = ASBImport.columns.map { values[$0] ?? "" }
        let checked = ASBImport.row(fields, line: 2, index: try ASBImport.columnIndex(header: ASBImport.columns),
                                    agencies: ["Kent Police": 1], districts: [:], today: CalendarDate(iso: "2026-06-01")!)
        switch checked {
        case .valid(let row): #expect(isValid && row.occurredAt == time)
        case .invalid(let issues): #expect(!isValid && issues.map(\.description) == ["line 2, occurred_at: \"\(time)\" is not a time like 21:30"])
        }
    }

    /// Spaces and tabs around a value are not part of it, and a field of nothing but blanks is empty.
    @Test func blanksAroundValuesAreNotPartOfThem() throws {
        let values = ["case_key": " k ", "case_title": "\tNoise at Zoë's  ", "occurred_on": "2026-03-01", "category": " personal",
                      "description": "d", "channel": "phone\t", "reported_on": "2026-03-01", "reporting_agency": "  Kent Police", "ward": " \t "]
        let index = try ASBImport.columnIndex(header: ASBImport.columns)
        func check(_ fields: [String]) -> ASBImport.Checked {
            ASBImport.row(fields, line: 2, index: index, agencies: ["Kent Police": 1], districts: [:], today: CalendarDate(iso: "2026-06-01")!)
        }
        var fields = ASBImport.columns.map { values[$0] ?? "" }
        guard case .valid(let row) = check(fields) else {
            Issue.record("expected the row to be accepted")
            return
        }
        #expect(row.caseKey == "k" && row.caseTitle == "Noise at Zoë's" && row.category == .personal && row.channel == .phone)
        #expect(row.agencyId == 1 && row.ward == nil)
        fields[ASBImport.Column.description.rawValue] = "  "
        #expect(check(fields) == .invalid([ASBImport.RowIssue(line: 2, column: "description", message: "is required")]))
    }

    /// A file is checked whole: valid rows are handed over in batches until the first problem, after which nothing
    /// more is, and every problem is returned, an incident reported twice to one agency among them.
    @Test func checkingAFileDeliversBatchesUntilTheFirstProblemAndNamesEveryProblem() throws {
        func line(_ key: String, incident: String, agency: String = "Kent Police", reported: String = "2026-03-02") -> String {
            "\(key),Noise,2026-03-01,personal,loud music,phone,\(incident),\(reported),\(agency)"
        }
        let header = "case_key,case_title,occurred_on,category,description,channel,incident_key,reported_on,reporting_agency"
        let agencies: [String: Int64] = ["Kent Police": 1, "Dover District Council": 2]
        let today = CalendarDate(iso: "2026-06-01")!
        func check(_ lines: [String]) throws -> (batches: [[Int]], issues: [String]) {
            var batches: [[Int]] = []
            let issues = try ASBImport.check(Data(([header] + lines).joined(separator: "\n").utf8), agencies: agencies, districts: [:],
                                             today: today, batchSize: 2) { batches.append($0.map(\.line)) }
            return (batches, issues.map(\.description))
        }
        let good = [line("a", incident: "1"), line("a", incident: "1", agency: "Dover District Council"), line("a", incident: "2"),
                    line("b", incident: "1"), line("c", incident: "1")]
        #expect(try check(good) == ([[2, 3], [4, 5], [6]], []))

        let bad = try check(good[0..<3] + [line("a", incident: "1"), line("d", incident: "1", reported: "someday"), line("e", incident: "1")])
        #expect(bad.batches == [[2, 3]])
        #expect(bad.issues == ["line 5, reporting_agency: the same incident was already reported to this agency on line 2",
                                   "line 6, reported_on: \"someday\" is not a date like 2026-04-01"])
        #expect(throws: ValidationError(field: "FILE", "the file is empty; it needs a header row")) {
            try ASBImport.check(Data(), agencies: agencies, districts: [:], today: today) { _ in }
        }
        #expect(throws: ValidationError.self) {
            try ASBImport.check(Data("case_key,colour\n".utf8), agencies: agencies, districts: [:], today: today) { _ in }
        }
    }
}
