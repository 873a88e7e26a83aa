import Foundation

/// The ASB Case Review rules: which rule set applies, whether an application meets the threshold, and the
/// working-day limits of its stages. Sources: 2014-07-08 KCSP pack, appendix A to report B1; ASB, Crime and
/// Policing Act 2014 s.104; domain-rules.md "ASB Case Review".
public enum CaseReviewRules {
    /// The rule set in force for an area on a date: the area's own latest rule set that has started, else the
    /// partnership-wide one (area nil) that has started, else nil.
    public static func ruleSet(for areaId: Int64, on date: CalendarDate, from ruleSets: [ThresholdRuleSet]) -> ThresholdRuleSet? {
        func latest(_ candidates: [ThresholdRuleSet]) -> ThresholdRuleSet? {
            candidates.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
        }
        return latest(ruleSets.filter { $0.areaId == areaId }) ?? latest(ruleSets.filter { $0.areaId == nil })
    }

    /// How many months before `date` to gather complaints over for an application not yet checked: the window of the
    /// rule set in force for the area when it is known, else the longest window of any rule set in force for any
    /// area (so no complaint that could count is missed), else the default rule set's.
    public static func lookBackMonths(for areaId: Int64?, on date: CalendarDate, from ruleSets: [ThresholdRuleSet]) -> Int {
        if let areaId, let inForce = ruleSet(for: areaId, on: date, from: ruleSets) { return inForce.windowMonths }
        let started = ruleSets.filter { $0.effectiveFrom <= date }
        return started.map(\.windowMonths).max() ?? ThresholdRuleSet(effectiveFrom: date).windowMonths
    }

    /// Refuses complaints that cannot be true, naming the complaint and field: dated after the application or in
    /// the future, behaviour after its report, or none at all.
    public static func validate(_ complaints: [ThresholdComplaint], receivedOn: CalendarDate, today: CalendarDate) throws(ValidationError) {
        var validator = Validator()
        if receivedOn > today { validator.add("receivedOn", "The received date cannot be in the future") }
        if complaints.isEmpty { validator.add("complaints", "An application must rely on at least one complaint") }
        for (index, complaint) in complaints.enumerated() {
            let field = "complaints[\(index)]"
            if complaint.reportedOn > today {
                validator.add("\(field).reportedOn", "Complaint \(complaint.id) is dated in the future (\(complaint.reportedOn.iso))")
            }
            if complaint.behaviourOn > complaint.reportedOn {
                validator.add("\(field).behaviourOn", "Complaint \(complaint.id): the behaviour (\(complaint.behaviourOn.iso)) "
                              + "cannot be after it was reported (\(complaint.reportedOn.iso))")
            }
            if complaint.complainant.isEmpty { validator.add("\(field).complainant", "Complaint \(complaint.id) has no complainant") }
            if complaint.incident.isEmpty { validator.add("\(field).incident", "Complaint \(complaint.id) has no incident") }
        }
        try validator.check()
    }

    /// Checks an application received on `receivedOn` against `ruleSet`. Steps: (1) exclude complaints outside the
    /// window or made more than the qualifying period after the behaviour; (2) count one incident reported by the
    /// same person more than once (e.g. to several agencies) once; (3) individual: most separate incidents by one
    /// complainant; community: most separate complainants about one problem; hate: any hate incident when the
    /// rule set allows it; (4) a qualifying complaint that supports none of the counts is excluded as not similar.
    /// "No or inadequate action" is the reviewer's finding, recorded separately, never computed here.
    public static func check(_ complaints: [ThresholdComplaint], receivedOn: CalendarDate, ruleSet: ThresholdRuleSet) -> ThresholdResult {
        let windowStart = receivedOn.adding(months: -ruleSet.windowMonths)
        var excluded: [ThresholdResult.Excluded] = []
        func exclude(_ complaint: ThresholdComplaint, _ reason: ThresholdResult.Exclusion) {
            excluded.append(.init(complaintId: complaint.id, reason: reason, explanation: reason.explanation))
        }

        var qualifying: [ThresholdComplaint] = []
        var seen = Set<[String]>()
        let ordered = complaints.sorted { ($0.reportedOn, $0.id) < ($1.reportedOn, $1.id) }
        for complaint in ordered {
            if complaint.reportedOn < windowStart || complaint.reportedOn > receivedOn {
                exclude(complaint, .outsideWindow)
            } else if complaint.reportedOn > complaint.behaviourOn.adding(months: ruleSet.qualifyingReportMonths) {
                exclude(complaint, .reportedMoreThanAMonthAfterBehaviour)
            } else if !seen.insert([complaint.complainant, complaint.incident]).inserted {
                exclude(complaint, .sameIncidentReportedTwice)
            } else {
                qualifying.append(complaint)
            }
        }

        var incidentsByComplainant: [String: Set<String>] = [:]
        var peopleByProblem: [String: Set<String>] = [:]
        for complaint in qualifying {
            incidentsByComplainant[complaint.complainant, default: []].insert(complaint.incident)
            peopleByProblem[complaint.similarityKey, default: []].insert(complaint.complainant)
        }
        let mostIncidents = incidentsByComplainant.values.map(\.count).max() ?? 0
        let mostPeople = peopleByProblem.values.map(\.count).max() ?? 0
        let individualMet = mostIncidents >= ruleSet.individualComplaints
        let communityMet = mostPeople >= ruleSet.communityPeople
        let hateMet = ruleSet.hateIncidentSuffices && qualifying.contains(where: \.isHateIncident)

        // Who and what the counts are about: when a rule is met, the complainants and problems that meet it; when
        // none is, the largest (the nearest miss), so the reviewer sees what came closest.
        let anyMet = individualMet || communityMet || hateMet
        let countedComplainants = Set(incidentsByComplainant.filter {
            individualMet ? $0.value.count >= ruleSet.individualComplaints : !anyMet && $0.value.count == mostIncidents
        }.keys)
        let countedProblems = Set(peopleByProblem.filter {
            communityMet ? $0.value.count >= ruleSet.communityPeople : !anyMet && $0.value.count == mostPeople
        }.keys)

        var counted: [ThresholdResult.Counted] = []
        for complaint in qualifying {
            var rules: [ThresholdResult.Rule] = []
            if countedComplainants.contains(complaint.complainant) { rules.append(.individual) }
            if countedProblems.contains(complaint.similarityKey) { rules.append(.community) }
            if ruleSet.hateIncidentSuffices && complaint.isHateIncident { rules.append(.hateIncident) }
            if rules.isEmpty {
                exclude(complaint, .notSimilar)
            } else {
                counted.append(.init(complaintId: complaint.id, rules: rules))
            }
        }
        let rulesMet = [(ThresholdResult.Rule.individual, individualMet), (.community, communityMet), (.hateIncident, hateMet)]
            .filter(\.1).map(\.0)
        return ThresholdResult(met: !rulesMet.isEmpty, rulesMet: rulesMet, mostIncidentsByOnePerson: mostIncidents,
                               mostPeopleAboutOneProblem: mostPeople, windowStart: windowStart, ruleSet: ruleSet,
                               counted: counted, excluded: excluded)
    }

    /// Checks a new application: a known area, a real received date not in the future, a channel, at least one
    /// applicant and at least one complaint relied on.
    public static func application(areaId: Int64?, knownAreas: Set<Int64>, receivedOn: String?, channel: String?,
                                   applicants: [Applicant], onBehalfOf: String?, reportIds: [Int64],
                                   today: CalendarDate) throws(ValidationError) -> ApplicationInput {
        var v = Validator()
        if let areaId {
            if !knownAreas.contains(areaId) { v.add("areaId", "There is no CSP area \(areaId): choose one from the list") }
        } else {
            v.add("areaId", "Choose the area the application is about")
        }
        let received = v.date(receivedOn, field: "receivedOn", label: "the date the application was received", required: true)
        if let received, received > today { v.add("receivedOn", "The received date cannot be in the future") }
        let channel = channel.flatMap(ApplicationChannel.init(rawValue:))
        if channel == nil { v.add("channel", "Choose how the application was made") }
        let named = applicants.filter { !$0.name.trimmingCharacters(in: .whitespaces).isEmpty }
        if named.isEmpty { v.add("applicants", "Enter at least one applicant") }
        if named.contains(where: { $0.name.count > 200 }) { v.add("applicants", "Names must be 200 characters or fewer") }
        if reportIds.isEmpty { v.add("complaints", "An application must rely on at least one complaint") }
        try v.check()
        let behalf = onBehalfOf?.trimmingCharacters(in: .whitespacesAndNewlines)
        return ApplicationInput(areaId: areaId!, receivedOn: received!, channel: channel!, applicants: named,
                                onBehalfOf: behalf?.isEmpty == false ? behalf : nil, reportIds: Array(Set(reportIds)).sorted())
    }

    /// The stage clocks of an application (Kent 2014: both limits counted from receipt; the dissatisfied
    /// applicant's clock from their request). A clock stops when its step is recorded.
    public static func clocks(for application: ApplicationDates, calendar: WorkingDayCalendar, initialDecisionDays: Int,
                              outcomeDays: Int, dissatisfactionDays: Int, today: CalendarDate) -> [(name: String, clock: WorkingDayClock)] {
        var clocks = [("Initial decision in writing",
                       calendar.clock(start: application.receivedOn, limit: initialDecisionDays,
                                      stoppedOn: application.initialDecisionOn, today: today))]
        if application.thresholdMet {
            clocks.append(("Review outcome to the applicant",
                           calendar.clock(start: application.receivedOn, limit: outcomeDays,
                                          stoppedOn: application.reviewOutcomeOn, today: today)))
        }
        if let dissatisfied = application.dissatisfiedOn {
            clocks.append(("Response to the dissatisfied applicant",
                           calendar.clock(start: dissatisfied, limit: dissatisfactionDays,
                                          stoppedOn: application.dissatisfactionOutcomeOn, today: today)))
        }
        return clocks
    }

    /// A ward Member who applied on residents' behalf may not sit on the review (2014-07-08 pack, L268–L270).
    public static func mayReview(memberPersonId: Int64, applicantPersonIds: Set<Int64>) -> Bool {
        !applicantPersonIds.contains(memberPersonId)
    }

    /// More than one resident applying together: the ward Member is told (2014-07-08 pack, L314–L321).
    public static func notifiesWardMember(residentApplicants: Int) -> Bool {
        residentApplicants > 1
    }
}

/// The 2nd report by a complainant within any 6 months raises the prompt to explain the Case Review to them
/// (statutory guidance, July 2025 revision; domain-rules.md "Prompt").
public enum CaseReviewPrompt {
    /// True when any two of the dates are no more than `months` apart.
    public static func isDue(reportDates: [CalendarDate], months: Int = 6) -> Bool {
        let sorted = reportDates.sorted()
        return zip(sorted, sorted.dropFirst()).contains { earlier, later in later <= earlier.adding(months: months) }
    }
}
