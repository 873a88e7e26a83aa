import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
private let calendar = WorkingDayCalendar(division: .englandAndWales, published: BankHolidayData(holidays: [:]))

/// A referral form filled in as a coordinator would, with `overrides` on top.
private func referralFields(_ overrides: [String: String] = [:]) -> [String: String] {
    var fields = ["areaId": "1", "victim.name": "Jane Doe", "victim.dateOfBirth": "1990-05-01", "perpetrator1.name": "John Doe",
                  "perpetrator1.age": "34", "child1.name": "Amy", "child1.age": "6", "referredOn": "2026-11-02",
                  "referringOfficer": "PC Smith", "incidentsInLast12Months": "1"]
    for (key, value) in overrides { fields[key] = value }
    return fields
}

private func answers(yes: Int) -> [String] {
    (0..<MARACRules.checklistLength).map { $0 < yes ? "yes" : ($0 % 2 == 0 ? "no" : "not-known") }
}

/// SafeLives referral criteria (anchors-and-statutory-rules.md §1.2; domain-rules.md "MARAC").
@Suite struct MARACReferralRouteTests {
    let referred = day("2026-11-02")

    func routes(score: Int, judgement: Bool = false, incidents: Int = 0, previous: CalendarDate? = nil) -> Set<ReferralRoute> {
        MARACRules.routes(score: score, visibleHighRiskScore: 14, professionalJudgement: judgement, incidentsInLast12Months: incidents,
                          escalationIncidents: 3, previousReferralOn: previous, referredOn: referred)
    }

    @Test func fourteenYesAnswersAreVisibleHighRiskAndThirteenAreNot() {
        #expect(routes(score: 14) == [.visibleHighRisk])
        #expect(routes(score: 24) == [.visibleHighRisk])
        #expect(routes(score: 13).isEmpty)
    }

    /// Professional judgement refers at any score and never takes away what the score shows.
    @Test func professionalJudgementAddsToTheScoreAndNeverDowngradesIt() {
        #expect(routes(score: 3, judgement: true) == [.professionalJudgement])
        #expect(routes(score: 16, judgement: true) == [.visibleHighRisk, .professionalJudgement])
    }

    @Test func threeIncidentsInTwelveMonthsArePotentialEscalation() {
        #expect(routes(score: 2, incidents: 3) == [.potentialEscalation])
        #expect(routes(score: 2, incidents: 2).isEmpty)
    }

    /// A repeat is a referral within 12 months of the victim's last one; later is a new referral.
    @Test func aReferralWithinTwelveMonthsOfTheLastIsARepeat() {
        #expect(routes(score: 0, previous: day("2025-11-02")) == [.repeat])
        #expect(routes(score: 0, previous: day("2025-11-01")).isEmpty)
        #expect(routes(score: 15, previous: day("2026-06-30")) == [.visibleHighRisk, .repeat])
    }

    @Test func theChecklistScoresItsYesAnswersAndRoundTripsThroughStorage() throws {
        let input = try MARACRules.referral(referralFields(), checklist: answers(yes: 15), referringAgencyId: 7, today: day("2026-11-30"))
        #expect(input.checklist.score == 15)
        #expect(RiskChecklist(encoded: input.checklist.encoded) == input.checklist)
        #expect(input.diversity.age == 36)
        #expect(input.perpetrators == [NamedPerson(name: "John Doe", age: 34)])
        #expect(input.children == [NamedPerson(name: "Amy", age: 6)])
    }
}

@Suite struct MARACReferralInputTests {
    let today = day("2026-11-30")

    func issues(_ fields: [String: String], checklist: [String]?) -> [FieldIssue] {
        do {
            _ = try MARACRules.referral(fields, checklist: checklist, referringAgencyId: 1, today: today)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func aChecklistWithMoreOrFewerThan24AnswersIsRefusedByName() {
        let short = issues(referralFields(), checklist: Array(answers(yes: 3).prefix(23)))
        #expect(short == [FieldIssue("checklist", "The risk checklist has 24 questions; 23 answers were given")])
        let long = issues(referralFields(), checklist: answers(yes: 3) + ["yes"])
        #expect(long.map(\.field) == ["checklist"])
    }

    @Test func anUnansweredQuestionIsNamedWithItsTopic() {
        var form = answers(yes: 2)
        form[4] = ""
        #expect(issues(referralFields(), checklist: form)
            == [FieldIssue("q5", "Answer question 5 (Depressed or having suicidal thoughts) with yes, no or not known")])
    }

    @Test func everyProblemIsReportedTogether() {
        let found = issues(referralFields(["victim.name": "", "referredOn": "2026-12-25", "victim.ethnicGroup": "purple",
                                           "areaId": "", "perpetrator1.name": "", "perpetrator1.age": ""]),
                           checklist: answers(yes: 14))
        #expect(Set(found.map(\.field)) == ["areaId", "victim.name", "referredOn", "victim.ethnicGroup", "perpetrator1.name"])
    }

    @Test func victimsUnder16AreRefusedAnd16Or17YearOldsCount() {
        #expect(issues(referralFields(["victim.dateOfBirth": "2011-01-01"]), checklist: answers(yes: 14)).map(\.field)
            == ["victim.dateOfBirth"])
        #expect(issues(referralFields(["victim.dateOfBirth": "", "victim.age": "16"]), checklist: answers(yes: 14)).isEmpty)
    }

    @Test func diversityFieldsAreOptionalAndMayBeDeclined() throws {
        let input = try MARACRules.referral(referralFields(["victim.sex": "prefer-not-to-say", "victim.lgbt": "prefer-not-to-say"]),
                                            checklist: answers(yes: 14), referringAgencyId: 1, today: today)
        #expect(input.diversity.sex == .preferNotToSay && input.diversity.lgbt == .preferNotToSay && input.diversity.ethnicGroup == nil)
    }
}

@Suite struct MARACActionTests {
    let today = day("2026-11-30")

    @Test func anActionNeedsAnAgencyAndADueDateOnOrAfterTheRequest() {
        #expect(throws: ValidationError([FieldIssue("agencyId", "Choose the agency the action is requested of"),
                                         FieldIssue("dueOn", "The due date cannot be before the request (2026-11-20)")])) {
            try MARACRules.actionRequest(["description": "Safety visit", "requestedOn": "2026-11-20", "dueOn": "2026-11-19"], today: today)
        }
        let request = try? MARACRules.actionRequest(["agencyId": "3", "description": "Safety visit", "dueOn": "2026-12-04"], today: today)
        #expect(request == MARACActionRequest(agencyId: 3, description: "Safety visit", requestedOn: today, dueOn: day("2026-12-04")))
    }

    /// "Not completed" must say whether circumstances changed or the agency did not act (SafeLives minutes checklist).
    @Test func notCompletedNeedsItsReason() {
        #expect(throws: ValidationError.self) { try MARACRules.actionUpdate(["status": "not-completed", "version": "1"]) }
        let update = try? MARACRules.actionUpdate(["status": "not-completed", "reason": "agency-did-not-act", "version": "2"])
        #expect(update?.reason == .agencyDidNotAct && update?.expectedVersion == 2)
    }

    /// Due Friday 4 December 2026; steps of 5 working days.
    @Test(arguments: [("2026-12-04", 0), ("2026-12-05", 0), ("2026-12-07", 1), ("2026-12-11", 1), ("2026-12-14", 2),
                      ("2026-12-21", 3), ("2027-01-04", 4), ("2027-03-01", 4)])
    func overdueActionsClimbOneRungEveryStep(_ today: String, _ level: Int) {
        #expect(MARACRules.escalationLevel(dueOn: day("2026-12-04"), today: day(today), rungs: 4, stepWorkingDays: 5,
                                           calendar: calendar) == level)
    }

    @Test func theDefaultLadderIsCoordinatorsThenPointOfContactThenTheTwoGroups() {
        let ladder = EscalationLadder.parse(PartnershipSettings.maracEscalationLadder.defaultValue)
        #expect(ladder.problem == nil)
        #expect(ladder.rungs == [.coordinators, .pointOfContact, .body("Kent and Medway Domestic and Sexual Abuse Tactical Group"),
                                 .body("Kent and Medway Domestic and Sexual Abuse Executive Group")])
        #expect(EscalationLadder.parse("coordinators, chief constable").problem != nil)
        #expect(throws: ValidationError.self) { try PartnershipSettings.maracEscalationLadder.validate("body:") }
    }
}

@Suite struct MARACMeetingTests {
    @Test func monthlyMeetingsKeepTheWeekdayAndItsWeekOfTheMonth() {
        // The second Tuesday of each month, from 13 January 2026.
        let dates = MARACRules.meetingDates(frequency: .monthly, firstMeetingOn: day("2026-01-13"), from: day("2026-01-01"),
                                            to: day("2026-04-30"))
        #expect(dates == [day("2026-01-13"), day("2026-02-10"), day("2026-03-10"), day("2026-04-14")])
        // A fifth Thursday falls back to the last Thursday in a month without one.
        let fifth = MARACRules.meetingDates(frequency: .monthly, firstMeetingOn: day("2026-01-29"), from: day("2026-02-01"),
                                            to: day("2026-02-28"))
        #expect(fifth == [day("2026-02-26")])
    }

    @Test func weeklyAndFortnightlyMeetingsStepFromTheFirst() {
        #expect(MARACRules.meetingDates(frequency: .fortnightly, firstMeetingOn: day("2026-01-06"), from: day("2026-01-15"),
                                        to: day("2026-02-10")) == [day("2026-01-20"), day("2026-02-03")])
        #expect(MARACRules.meetingDates(frequency: .weekly, firstMeetingOn: day("2026-01-07"), from: day("2025-12-01"),
                                        to: day("2026-01-21")) == [day("2026-01-07"), day("2026-01-14"), day("2026-01-21")])
    }

    /// Referred Friday 18 December 2026 with 5 working days for research: Christmas and Boxing Day (substitute
    /// Monday 28th) are not working days, so research runs to Tuesday 29th, a meeting day; with 6 it runs past it.
    @Test func theMaracDateIsTheFirstMeetingAfterTheResearchTime() {
        let meetings = [day("2026-12-22"), day("2026-12-29"), day("2027-01-05")]
        #expect(MARACRules.maracDate(referredOn: day("2026-12-18"), meetings: meetings, researchWorkingDays: 5, calendar: calendar)
            == day("2026-12-29"))
        #expect(MARACRules.maracDate(referredOn: day("2026-12-18"), meetings: meetings, researchWorkingDays: 6, calendar: calendar)
            == day("2027-01-05"))
        #expect(MARACRules.maracDate(referredOn: day("2027-01-05"), meetings: meetings, researchWorkingDays: 1, calendar: calendar) == nil)
    }

    @Test func theAgendaHearsComplexAndRequestedCasesFirstThenIncompleteActions() {
        typealias C = MARACRules.AgendaCandidate
        let agenda = MARACRules.agenda([
            C(caseId: 1, isComplex: false, meetingRequested: false, incompleteActions: 0),
            C(caseId: 2, isComplex: false, meetingRequested: false, incompleteActions: 1),
            C(caseId: 3, isComplex: true, meetingRequested: false, incompleteActions: 0),
            C(caseId: 4, isComplex: false, meetingRequested: false, incompleteActions: 3),
            C(caseId: 5, isComplex: false, meetingRequested: true, incompleteActions: 2),
        ])
        #expect(agenda.heard.map(\.caseId) == [3, 5, 4, 2])
        #expect(agenda.withoutMeeting.map(\.caseId) == [1])
    }

    /// Non or low attendance goes to the Tactical Group, then the Executive Group (2023-03-21 pack B3, L858–860).
    @Test func lowAttendanceClimbsToTheTacticalThenTheExecutiveGroup() {
        #expect(MARACRules.attendancePercent(attended: 2, meetings: 3) == 66)
        #expect(MARACRules.attendanceEscalationLevel(percent: 66, previousPercent: 100, threshold: 75) == 1)
        #expect(MARACRules.attendanceEscalationLevel(percent: 0, previousPercent: 50, threshold: 75) == 2)
        #expect(MARACRules.attendanceEscalationLevel(percent: 75, previousPercent: 0, threshold: 75) == 0)
        #expect(MARACRules.attendanceEscalationLevel(percent: nil, previousPercent: 0, threshold: 75) == 0)
    }

    @Test func quartersAreCalendarQuartersForTheNationalDataset() {
        let quarter = Quarter(containing: day("2026-05-17"))
        #expect(quarter.description == "2026-Q2" && quarter.label == "April to June 2026")
        #expect(quarter.first == day("2026-04-01") && quarter.last == day("2026-06-30"))
        #expect(Quarter("2026-q4")?.next == Quarter(year: 2027, number: 1) && Quarter("2026-Q5") == nil)
    }
}

@Suite struct MARACIndicatorTests {
    /// Kent, April 2013 – March 2014: 1,229 cases, 283 repeats → 23.0% (domain-rules.md "MARAC").
    @Test func repeatRateMatchesKent2013To14() {
        let cases = (0..<1_229).map { index in
            KPICase(isRepeat: index < 283, referredByPolice: true, diversity: VictimDiversity(), perpetratorAges: [], children: 0,
                    heardAtMeeting: true)
        }
        #expect(MARACRules.indicators(cases, adultFemalePopulation: nil).repeatPercent == 23.0)
    }

    @Test func indicatorsCountEachDatasetField() {
        let cases = [
            KPICase(isRepeat: true, referredByPolice: true,
                    diversity: VictimDiversity(age: 17, sex: .female, ethnicGroup: .black, disability: .yes, lgbt: .no),
                    perpetratorAges: [17, nil], children: 2, heardAtMeeting: true),
            KPICase(isRepeat: false, referredByPolice: false,
                    diversity: VictimDiversity(age: 40, sex: .male, ethnicGroup: .white, disability: .preferNotToSay, lgbt: .yes),
                    perpetratorAges: [45], children: 0, heardAtMeeting: false),
            KPICase(isRepeat: false, referredByPolice: false, diversity: VictimDiversity(), perpetratorAges: [16], children: 1,
                    heardAtMeeting: true),
            KPICase(isRepeat: false, referredByPolice: true,
                    diversity: VictimDiversity(sex: .preferNotToSay, ethnicGroup: .preferNotToSay), perpetratorAges: [], children: 0,
                    heardAtMeeting: true),
        ]
        let kpis = MARACRules.indicators(cases, adultFemalePopulation: 2_000)
        #expect(kpis.cases == 4 && kpis.casesHeardAtMeeting == 3 && kpis.repeats == 1 && kpis.repeatPercent == 25.0)
        #expect(kpis.nonPoliceReferrals == 2 && kpis.nonPoliceReferralPercent == 50.0)
        #expect(kpis.raciallyMinoritised == 1 && kpis.lgbt == 1 && kpis.disabled == 1 && kpis.male == 1)
        #expect(kpis.aged16To17 == 1 && kpis.aged16To17Percent == 25.0)
        #expect(kpis.perpetratorsUnder18 == 2 && kpis.childrenInHouseholds == 3)
        // 4 cases a quarter = 16 a year per 2,000 adult women = 80 per 10,000.
        #expect(kpis.casesPer10kAdultFemales == 80.0)
        #expect(MARACRules.indicators([], adultFemalePopulation: 100).repeatPercent == nil)
    }

    @Test func contactDetailsAreForCoordinatorsAndTheNamedAgencies() {
        let setting = PartnershipSettings.maracContactDetailsAgencies.defaultValue
        let officer = Principal(userId: 1, agencyId: 1, roles: [.caseOfficer], displayName: "A")
        let coordinator = Principal(userId: 2, agencyId: 2, roles: [.maracCoordinator], displayName: "B")
        #expect(MARACRules.maySeeContactDetails(officer, agencyName: "Kent Police", setting: setting))
        #expect(MARACRules.maySeeContactDetails(officer, agencyName: "kent and medway idva service", setting: setting))
        #expect(!MARACRules.maySeeContactDetails(officer, agencyName: "Maidstone Borough Council", setting: setting))
        #expect(MARACRules.maySeeContactDetails(coordinator, agencyName: "Maidstone Borough Council", setting: setting))
    }
}
