import Foundation

/// A ladder that overdue actions (and low attendance) climb: one rung a step, in order.
public struct EscalationLadder: Sendable, Equatable {
    public let rungs: [EscalationRung]
    public let problem: String?

    /// Reads "coordinators, point-of-contact, body:NAME, …"; `problem` says what is wrong when it cannot.
    public static func parse(_ text: String) -> EscalationLadder {
        var rungs: [EscalationRung] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            switch part {
            case "coordinators": rungs.append(.coordinators)
            case "point-of-contact": rungs.append(.pointOfContact)
            default:
                guard part.hasPrefix("body:"), !part.dropFirst(5).trimmingCharacters(in: .whitespaces).isEmpty else {
                    return EscalationLadder(rungs: [], problem: "\"\(part)\" is not coordinators, point-of-contact or body:NAME")
                }
                rungs.append(.body(part.dropFirst(5).trimmingCharacters(in: .whitespaces)))
            }
        }
        return EscalationLadder(rungs: rungs, problem: rungs.isEmpty ? "name at least one rung" : nil)
    }
}

/// The MARAC rules: referral criteria, repeats, meeting dates, agendas, action deadlines, escalation, attendance
/// and the SafeLives indicators. Sources: domain-rules.md "MARAC"; 2023-03-21 pack report B3 (the Hub and its
/// case management system); SafeLives referral criteria, repeat definition and national dataset
/// (anchors-and-statutory-rules.md §1.2).
public enum MARACRules {
    /// The 24 topics of the risk checklist, in the checklist's order, as short labels in our own words (the
    /// SafeLives DASH wording is theirs). A partnership may relabel them; there are always 24.
    public static let checklistTopics = [
        "Injured in the current incident", "Very frightened", "Afraid of further injury or violence",
        "Isolated from family or friends", "Depressed or having suicidal thoughts", "Separated or tried to in the past year",
        "Conflict over child contact", "Constant contact, following or harassment", "Pregnant or recently had a baby",
        "Abuse happening more often", "Abuse getting worse", "Controlling or excessively jealous",
        "Weapons or objects used to hurt", "Threats to kill believed", "Strangling, choking, suffocating or drowning",
        "Sexual abuse", "Another person threatening the victim", "Abuser known to have hurt others",
        "Abuser has mistreated an animal", "Financial issues", "Abuser's drug, alcohol or mental health problems",
        "Abuser has threatened or attempted suicide", "Abuser has broken bail, an injunction or an agreement",
        "Abuser has a criminal history",
    ]
    public static let checklistLength = 24

    /// Victims are adults; 16 and 17 year olds count (SafeLives).
    public static let youngestVictimAge = 16

    /// The routes a referral meets. Visible high risk: `score ≥ threshold` (14). Professional judgement: the
    /// referrer's reason, at any score; it is added to, never replaces, what the score shows, so a judgement never
    /// downgrades a case. Potential escalation: `incidents ≥ escalationIncidents` (3) in 12 months. Repeat: a
    /// referral within 12 months of the victim's last (SafeLives definition of a repeat).
    public static func routes(score: Int, visibleHighRiskScore: Int, professionalJudgement: Bool, incidentsInLast12Months: Int,
                              escalationIncidents: Int, previousReferralOn: CalendarDate?, referredOn: CalendarDate) -> Set<ReferralRoute> {
        var routes: Set<ReferralRoute> = []
        if score >= visibleHighRiskScore { routes.insert(.visibleHighRisk) }
        if professionalJudgement { routes.insert(.professionalJudgement) }
        if incidentsInLast12Months >= escalationIncidents { routes.insert(.potentialEscalation) }
        if let previousReferralOn, isRepeat(referredOn: referredOn, previousReferralOn: previousReferralOn) { routes.insert(.repeat) }
        return routes
    }

    /// A repeat: referred again within 12 months of the date of the last referral (on the anniversary counts).
    public static func isRepeat(referredOn: CalendarDate, previousReferralOn: CalendarDate) -> Bool {
        previousReferralOn <= referredOn && referredOn <= previousReferralOn.adding(months: 12)
    }

    /// The same victim across referrals: the name as matched elsewhere, with the date of birth when known.
    public static func victimKey(name: String, dateOfBirth: CalendarDate?) -> String {
        ASBRules.matchKey(name) + "|" + (dateOfBirth?.iso ?? "")
    }

    /// Meeting dates of an area from its first meeting on, within `from…to`. Monthly meetings keep the weekday
    /// and its week of the month (the 2nd Tuesday); in a month without a 5th such weekday, the last one is used.
    public static func meetingDates(frequency: MeetingFrequency, firstMeetingOn: CalendarDate, from: CalendarDate,
                                    to: CalendarDate) -> [CalendarDate] {
        guard from <= to else { return [] }
        var dates: [CalendarDate] = []
        switch frequency {
        case .weekly, .fortnightly:
            let step = frequency == .weekly ? 7 : 14
            var day = firstMeetingOn
            if day < from {
                let steps = (firstMeetingOn.days(to: from) + step - 1) / step
                day = firstMeetingOn.adding(days: steps * step)
            }
            while day <= to {
                dates.append(day)
                day = day.adding(days: step)
            }
        case .monthly:
            let week = (firstMeetingOn.day - 1) / 7
            let weekday = firstMeetingOn.weekday
            var month = CalendarDate(year: firstMeetingOn.year, month: firstMeetingOn.month, day: 1)!
            if month < from { month = CalendarDate(year: from.year, month: from.month, day: 1)! }
            while month <= to {
                var day = month
                while day.weekday != weekday { day = day.adding(days: 1) }
                var candidate = day.adding(days: 7 * week)
                while candidate.month != month.month { candidate = candidate.adding(days: -7) }
                if candidate >= firstMeetingOn, candidate >= from, candidate <= to { dates.append(candidate) }
                month = month.adding(months: 1)
            }
        }
        return dates
    }

    /// A case's MARAC date: the area's first meeting at least `researchWorkingDays` working days after referral.
    /// Heard at that meeting, it is the meeting's date; managed without a meeting, it is the deadline for agencies'
    /// research (the Norfolk model the 2023 Hub follows).
    public static func maracDate(referredOn: CalendarDate, meetings: [CalendarDate], researchWorkingDays: Int,
                                 calendar: WorkingDayCalendar) -> CalendarDate? {
        let earliest = calendar.adding(workingDays: researchWorkingDays, to: referredOn)
        return meetings.sorted().first { $0 >= earliest }
    }

    /// A case as the agenda reads it.
    public struct AgendaCandidate: Sendable, Equatable {
        public var caseId: Int64
        public var isComplex: Bool
        public var meetingRequested: Bool
        public var incompleteActions: Int

        public init(caseId: Int64, isComplex: Bool, meetingRequested: Bool, incompleteActions: Int) {
            self.caseId = caseId
            self.isComplex = isComplex
            self.meetingRequested = meetingRequested
            self.incompleteActions = incompleteActions
        }
    }

    /// The agenda of a meeting: complex multi-agency cases and cases a partner asked to discuss first, then cases
    /// with incomplete actions (most first); every other case is managed without a meeting (2023-03-21 pack B3:
    /// "The CMS will allow for some cases to be managed without partners meeting … A meeting on a case can be
    /// requested by partners at any time").
    public static func agenda(_ candidates: [AgendaCandidate]) -> (heard: [AgendaCandidate], withoutMeeting: [AgendaCandidate]) {
        let priority = candidates.filter { $0.isComplex || $0.meetingRequested }.sorted { $0.caseId < $1.caseId }
        let incomplete = candidates.filter { !($0.isComplex || $0.meetingRequested) && $0.incompleteActions > 0 }
            .sorted { ($0.incompleteActions, -$0.caseId) > ($1.incompleteActions, -$1.caseId) }
        let rest = candidates.filter { !$0.isComplex && !$0.meetingRequested && $0.incompleteActions == 0 }.sorted { $0.caseId < $1.caseId }
        return (priority + incomplete, rest)
    }

    /// How many rungs of the ladder an open action has climbed by `today`: 0 while not overdue; the first rung on
    /// the first working day after it was due; one more after every `stepWorkingDays` working days; never past the top.
    public static func escalationLevel(dueOn: CalendarDate, today: CalendarDate, rungs: Int, stepWorkingDays: Int,
                                       calendar: WorkingDayCalendar) -> Int {
        let late = calendar.workingDays(from: dueOn, to: today)
        guard late >= 1, rungs > 0 else { return 0 }
        return min(rungs, 1 + (late - 1) / max(1, stepWorkingDays))
    }

    /// Share of an area's meetings in a quarter that an agency attended, as a whole percentage; nil without meetings.
    public static func attendancePercent(attended: Int, meetings: Int) -> Int? {
        guard meetings > 0 else { return nil }
        return (attended * 100) / meetings
    }

    /// Low attendance climbs to the Tactical Group, and to the Executive Group when the quarter before was low too
    /// (2023-03-21 pack B3: "Non or low attendance at MARAC will be escalated to the Kent and Medway Domestic and
    /// Sexual Abuse Tactical Group, and, if required, to the … Executive Group"). 0 = no escalation.
    public static func attendanceEscalationLevel(percent: Int?, previousPercent: Int?, threshold: Int) -> Int {
        guard let percent, percent < threshold else { return 0 }
        if let previousPercent, previousPercent < threshold { return 2 }
        return 1
    }

    /// Victims' addresses and contact details are for those who must reach them safely: MARAC coordinators and the
    /// agencies the partnership names (default police and the IDVA service).
    public static func maySeeContactDetails(_ principal: Principal, agencyName: String, setting: String) -> Bool {
        if principal.has(.maracCoordinator) { return true }
        let named = setting.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return named.contains(agencyName.lowercased())
    }

    /// The national dataset's indicators over the cases of one area-quarter (anchors-and-statutory-rules.md §1.2).
    /// Percentages are of all cases; the rate per 10,000 adult women is annualised (cases × 4) so it compares with
    /// the SafeLives benchmark of 40 a year.
    public static func indicators(_ cases: [KPICase], adultFemalePopulation: Int?) -> MARACIndicators {
        let total = cases.count
        func percent(_ n: Int) -> Double? { total == 0 ? nil : (Double(n) * 1000 / Double(total)).rounded() / 10 }
        let repeats = cases.count(where: \.isRepeat)
        let nonPolice = cases.count { !$0.referredByPolice }
        let minoritised = cases.count { $0.diversity.ethnicGroup?.isRaciallyMinoritised == true }
        let lgbt = cases.count { $0.diversity.lgbt == .yes }
        let disabled = cases.count { $0.diversity.disability == .yes }
        let male = cases.count { $0.diversity.sex == .male }
        let young = cases.count { ($0.diversity.age ?? 0) >= 16 && ($0.diversity.age ?? 99) <= 17 }
        let rate = adultFemalePopulation.flatMap { population in
            population > 0 ? (Double(total * 4) * 10_000 / Double(population) * 10).rounded() / 10 : nil
        }
        return MARACIndicators(
            cases: total, casesHeardAtMeeting: cases.count(where: \.heardAtMeeting), repeats: repeats, repeatPercent: percent(repeats),
            casesPer10kAdultFemales: rate, nonPoliceReferrals: nonPolice, nonPoliceReferralPercent: percent(nonPolice),
            raciallyMinoritised: minoritised, raciallyMinoritisedPercent: percent(minoritised), lgbt: lgbt, lgbtPercent: percent(lgbt),
            disabled: disabled, disabledPercent: percent(disabled), male: male, malePercent: percent(male), aged16To17: young,
            aged16To17Percent: percent(young),
            perpetratorsUnder18: cases.reduce(0) { $0 + $1.perpetratorAges.count { ($0 ?? 99) < 18 } },
            childrenInHouseholds: cases.reduce(0) { $0 + $1.children })
    }

    // MARK: Reading input

    /// A referral from form or JSON fields: `areaId`, `victim.*`, `perpetrator1.*`…, `child1.*`…, `q1`…`q24`
    /// (`yes` / `no` / `not-known`), `referredOn`, `referringOfficer`, `professionalJudgement` (the reason),
    /// `incidentsInLast12Months`, `isComplex`. Every problem is reported together. Whether the routes are met is
    /// decided by the store, which knows the victim's previous referral.
    public static func referral(_ fields: [String: String], checklist answers: [String]?, referringAgencyId: Int64,
                                today: CalendarDate) throws(ValidationError) -> ReferralInput {
        var v = Validator()
        let areaId = ASBRules.optional(fields["areaId"]).flatMap { Int64($0) }
        if areaId == nil { v.add("areaId", "Choose the area MARAC") }
        let name = v.required(fields["victim.name"], field: "victim.name", label: "the victim's name")
        let dateOfBirth = v.date(fields["victim.dateOfBirth"], field: "victim.dateOfBirth", label: "the victim's date of birth")
        if let dateOfBirth, dateOfBirth > today { v.add("victim.dateOfBirth", "The date of birth cannot be in the future") }
        let referredOn = v.date(fields["referredOn"], field: "referredOn", label: "the date of referral", required: true)
        if let referredOn, referredOn > today { v.add("referredOn", "The date of referral cannot be in the future") }
        var age = whole(fields["victim.age"], field: "victim.age", label: "The victim's age", range: 0...120, into: &v)
        if age == nil, let dateOfBirth, let referredOn { age = dateOfBirth.age(on: referredOn) }
        if let age, age < youngestVictimAge {
            v.add(dateOfBirth != nil && fields["victim.age"] == nil ? "victim.dateOfBirth" : "victim.age",
                  "MARAC is for victims aged 16 or over; refer a younger victim to children's services")
        }
        var postcode: String?
        if let text = ASBRules.optional(fields["victim.postcode"]) {
            postcode = ASBRules.normalisedPostcode(text)
            if postcode == nil { v.add("victim.postcode", "Enter a real UK postcode, like ME14 1XQ") }
        }
        let email = v.optional(fields["victim.email"], field: "victim.email", label: "the email address")
        if let email, !email.contains("@") { v.add("victim.email", "Enter an email address like name@example.com") }
        let diversity = VictimDiversity(
            age: age, sex: choice(fields["victim.sex"], field: "victim.sex", label: "sex", into: &v),
            ethnicGroup: choice(fields["victim.ethnicGroup"], field: "victim.ethnicGroup", label: "ethnic group", into: &v),
            disability: choice(fields["victim.disability"], field: "victim.disability", label: "an answer about disability", into: &v),
            lgbt: choice(fields["victim.lgbt"], field: "victim.lgbt", label: "an answer about LGBT+", into: &v))
        let perpetrators = people(fields, prefix: "perpetrator", label: "perpetrator", into: &v)
        if perpetrators.isEmpty { v.add("perpetrator1.name", "Enter the alleged perpetrator's name, or their age if the name is not known") }
        let children = people(fields, prefix: "child", label: "child", into: &v)
        let officer = v.required(fields["referringOfficer"], field: "referringOfficer", label: "the referring officer's name")
        let incidents = whole(fields["incidentsInLast12Months"], field: "incidentsInLast12Months",
                              label: "Incidents in the last 12 months", range: 0...500, into: &v) ?? 0
        let checklist = Self.checklist(answers, into: &v)
        let judgement = v.optional(fields["professionalJudgement"], field: "professionalJudgement",
                                   label: "the professional judgement", maxLength: 2_000)
        try v.check()
        return ReferralInput(
            areaId: areaId!, victimName: name!, victimDateOfBirth: dateOfBirth,
            contact: VictimContact(address: ASBRules.optional(fields["victim.address"]), postcode: postcode,
                                   phone: ASBRules.optional(fields["victim.phone"]), email: email,
                                   safeContactNotes: ASBRules.optional(fields["victim.safeContactNotes"])),
            diversity: diversity, perpetrators: perpetrators, children: children, referringAgencyId: referringAgencyId,
            referringOfficer: officer!, referredOn: referredOn!, checklist: checklist!, professionalJudgement: judgement,
            incidentsInLast12Months: incidents, isComplex: fields["isComplex"] == "true")
    }

    /// The checklist: exactly 24 answers, each yes / no / not-known. A form sends `q1`…`q24` (an unanswered
    /// question is named); an API body sends an array.
    static func checklist(_ answers: [String]?, into v: inout Validator) -> RiskChecklist? {
        guard let answers else {
            v.add("checklist", "Answer the \(checklistLength) questions of the risk checklist")
            return nil
        }
        guard answers.count == checklistLength else {
            v.add("checklist", "The risk checklist has \(checklistLength) questions; \(answers.count) answer\(answers.count == 1 ? " was" : "s were") given")
            return nil
        }
        var parsed: [ChecklistAnswer] = []
        for (index, text) in answers.enumerated() {
            if let answer = ChecklistAnswer(rawValue: text) {
                parsed.append(answer)
            } else {
                v.add("q\(index + 1)", "Answer question \(index + 1) (\(checklistTopics[index])) with yes, no or not known")
            }
        }
        return parsed.count == checklistLength ? RiskChecklist(answers: parsed) : nil
    }

    /// The checklist answers of a form (`q1`…`q24`), in order, blanks kept so they are named.
    public static func formChecklist(_ fields: [String: String]) -> [String] {
        (1...checklistLength).map { fields["q\($0)"] ?? "" }
    }

    /// An action requested of an agency: an agency, what to do, and a due date on or after the request.
    public static func actionRequest(_ fields: [String: String], today: CalendarDate) throws(ValidationError) -> MARACActionRequest {
        var v = Validator()
        let agencyId = ASBRules.optional(fields["agencyId"]).flatMap { Int64($0) }
        if agencyId == nil { v.add("agencyId", "Choose the agency the action is requested of") }
        let description = v.required(fields["description"], field: "description", label: "what the agency is asked to do", maxLength: 2_000)
        let requestedOn = v.date(fields["requestedOn"], field: "requestedOn", label: "the date of the request") ?? today
        if requestedOn > today { v.add("requestedOn", "The date of the request cannot be in the future") }
        let dueOn = v.date(fields["dueOn"], field: "dueOn", label: "the due date", required: true)
        if let dueOn, dueOn < requestedOn { v.add("dueOn", "The due date cannot be before the request (\(requestedOn.iso))") }
        try v.check()
        return MARACActionRequest(agencyId: agencyId!, description: description!, requestedOn: requestedOn, dueOn: dueOn!)
    }

    /// A new status for an action: "not completed" needs its reason; `version` guards against a stale form.
    public static func actionUpdate(_ fields: [String: String]) throws(ValidationError) -> MARACActionUpdate {
        var v = Validator()
        let status = fields["status"].flatMap(MARACActionStatus.init(rawValue:))
        if status == nil { v.add("status", "Choose open, completed or not completed") }
        let reason = ASBRules.optional(fields["reason"]).flatMap(NotCompletedReason.init(rawValue:))
        if status == .notCompleted, reason == nil {
            v.add("reason", "Say why it was not completed: circumstances changed, or the agency did not act")
        }
        let note = v.optional(fields["note"], field: "note", label: "the note", maxLength: 2_000)
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required: the version of the action you are updating") }
        try v.check()
        return MARACActionUpdate(status: status!, reason: status == .notCompleted ? reason : nil, note: note, expectedVersion: version!)
    }

    static func whole(_ text: String?, field: String, label: String, range: ClosedRange<Int>, into v: inout Validator) -> Int? {
        guard let text = ASBRules.optional(text) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            v.add(field, "\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ text: String?, field: String, label: String,
                                                          into v: inout Validator) -> T? where T.RawValue == String {
        guard let text = ASBRules.optional(text) else { return nil }
        guard let value = T(rawValue: text) else {
            v.add(field, "Choose \(label) from the list, or prefer not to say")
            return nil
        }
        return value
    }

    /// `prefix1.name`, `prefix1.age`, … up to 10 people; a row with neither is skipped.
    static func people(_ fields: [String: String], prefix: String, label: String, into v: inout Validator) -> [NamedPerson] {
        (1...10).compactMap { index in
            let name = v.optional(fields["\(prefix)\(index).name"], field: "\(prefix)\(index).name", label: "the \(label)'s name")
            let age = whole(fields["\(prefix)\(index).age"], field: "\(prefix)\(index).age", label: "The \(label)'s age", range: 0...120,
                            into: &v)
            return name == nil && age == nil ? nil : NamedPerson(name: name, age: age)
        }
    }
}
