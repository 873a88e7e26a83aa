import Foundation

/// A value a partnership may set for itself. The defaults are Kent's (2014 and 2023 papers) and national
/// guidance, as listed in shared/design/domain-rules.md; an administrator or partnership manager edits them.
public struct SettingDefinition: Sendable, Identifiable {
    public enum Kind: Sendable {
        case integer(ClosedRange<Int>)
        case choice([String])
        /// Free text up to a length, checked by `check` when given (an escalation ladder, a list of agencies).
        case text(maxLength: Int, check: @Sendable (String) -> String?)
    }

    public let id: String
    public let group: String
    public let label: String
    public let hint: String
    public let kind: Kind
    public let defaultValue: String

    /// Checks a value typed for this setting and returns it normalised.
    public func validate(_ raw: String?) throws(ValidationError) -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        switch kind {
        case .integer(let range):
            guard let number = Int(text) else { throw ValidationError(field: id, "\(label) must be a whole number") }
            guard range.contains(number) else {
                throw ValidationError(field: id, "\(label) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return String(number)
        case .choice(let options):
            guard options.contains(text) else {
                throw ValidationError(field: id, "\(label) must be one of: \(options.joined(separator: ", "))")
            }
            return text
        case .text(let maxLength, let check):
            guard !text.isEmpty else { throw ValidationError(field: id, "Enter \(label.lowercased())") }
            guard text.count <= maxLength else { throw ValidationError(field: id, "\(label) must be \(maxLength) characters or fewer") }
            if let problem = check(text) { throw ValidationError(field: id, "\(label): \(problem)") }
            return text
        }
    }
}

public enum PartnershipSettings {
    public static let sessionIdleMinutes = SettingDefinition(
        id: "session.idleMinutes", group: "Sign-in", label: "Idle session expiry (minutes)",
        hint: "A session with no activity for this long ends.", kind: .integer(5...240), defaultValue: "30")
    public static let sessionAbsoluteHours = SettingDefinition(
        id: "session.absoluteHours", group: "Sign-in", label: "Absolute session expiry (hours)",
        hint: "A session ends this long after sign-in, however active.", kind: .integer(1...24), defaultValue: "12")
    public static let loginFailuresPerAccount = SettingDefinition(
        id: "login.failuresPerAccount", group: "Sign-in", label: "Failed sign-ins before an account is paused",
        hint: "Counted over the lockout period.", kind: .integer(3...50), defaultValue: "5")
    public static let loginFailuresPerAddress = SettingDefinition(
        id: "login.failuresPerAddress", group: "Sign-in", label: "Failed sign-ins before a network address is paused",
        hint: "Counted over the lockout period, across all accounts.", kind: .integer(5...500), defaultValue: "20")
    public static let lockoutMinutes = SettingDefinition(
        id: "login.lockoutMinutes", group: "Sign-in", label: "Lockout period (minutes)",
        hint: "How long failures count, and how long a pause lasts.", kind: .integer(1...1440), defaultValue: "15")
    public static let bankHolidayDivision = SettingDefinition(
        id: "calendar.division", group: "Working days", label: "Bank holiday division",
        hint: "Whose bank holidays are not working days.",
        kind: .choice(["england-and-wales", "scotland", "northern-ireland"]), defaultValue: "england-and-wales")
    public static let caseReviewIndividualComplaints = SettingDefinition(
        id: "caseReview.individualComplaints", group: "ASB Case Review", label: "Complaints by one person",
        hint: "Separate incidents complained of by one applicant (Kent 2014: 3).", kind: .integer(1...20), defaultValue: "3")
    public static let caseReviewCommunityPeople = SettingDefinition(
        id: "caseReview.communityPeople", group: "ASB Case Review", label: "People complaining separately",
        hint: "Individuals complaining about similar incidents (Kent 2014: 5).", kind: .integer(1...50), defaultValue: "5")
    public static let caseReviewWindowMonths = SettingDefinition(
        id: "caseReview.windowMonths", group: "ASB Case Review", label: "Look-back window (months)",
        hint: "Complaints in this many months before the application count (Kent 2014: 6).", kind: .integer(1...24), defaultValue: "6")
    public static let caseReviewInitialDecisionDays = SettingDefinition(
        id: "caseReview.initialDecisionWorkingDays", group: "ASB Case Review", label: "Initial decision (working days)",
        hint: "Decision in writing within this many working days of receipt.", kind: .integer(1...60), defaultValue: "5")
    public static let caseReviewOutcomeDays = SettingDefinition(
        id: "caseReview.outcomeWorkingDays", group: "ASB Case Review", label: "Review outcome (working days)",
        hint: "Outcome within this many working days.", kind: .integer(1...120), defaultValue: "20")
    public static let caseReviewDissatisfactionDays = SettingDefinition(
        id: "caseReview.dissatisfactionWorkingDays", group: "ASB Case Review", label: "Dissatisfied applicant (working days)",
        hint: "Response by the dissatisfaction route within this many working days of the applicant's request.",
        kind: .integer(1...120), defaultValue: "20")
    public static let maracVisibleHighRiskScore = SettingDefinition(
        id: "marac.visibleHighRiskScore", group: "MARAC", label: "Visible high risk score",
        hint: "Yes answers on the 24-question checklist that make a referral (SafeLives: 14).", kind: .integer(1...24), defaultValue: "14")
    public static let maracEscalationIncidents = SettingDefinition(
        id: "marac.escalationIncidents", group: "MARAC", label: "Potential escalation: incidents in 12 months",
        hint: "Domestic abuse incidents in 12 months that make a referral (default 3).", kind: .integer(1...20), defaultValue: "3")
    public static let maracResearchWorkingDays = SettingDefinition(
        id: "marac.researchWorkingDays", group: "MARAC", label: "Research time before the MARAC date (working days)",
        hint: "A case's MARAC date is the area's first meeting at least this many working days after referral.",
        kind: .integer(0...30), defaultValue: "5")
    public static let maracMinutesWorkingDays = SettingDefinition(
        id: "marac.minutesWorkingDays", group: "MARAC", label: "Minutes issued within (working days)",
        hint: "Per-case minutes go out within this many working days of the meeting (operating protocols: 3).",
        kind: .integer(1...20), defaultValue: "3")
    public static let maracEscalationLadder = SettingDefinition(
        id: "marac.escalationLadder", group: "MARAC", label: "Escalation ladder for overdue actions",
        hint: "Rungs in order, separated by commas: coordinators, point-of-contact, or body:NAME for a body in the directory.",
        kind: .text(maxLength: 500, check: { EscalationLadder.parse($0).problem }),
        defaultValue: "coordinators, point-of-contact, body:Kent and Medway Domestic and Sexual Abuse Tactical Group, "
            + "body:Kent and Medway Domestic and Sexual Abuse Executive Group")
    public static let maracEscalationStepWorkingDays = SettingDefinition(
        id: "marac.escalationStepWorkingDays", group: "MARAC", label: "Working days on each rung",
        hint: "An overdue action reaches the first rung the day after it was due, and the next one after this many working days.",
        kind: .integer(1...60), defaultValue: "5")
    public static let maracAttendancePercent = SettingDefinition(
        id: "marac.attendanceThresholdPercent", group: "MARAC", label: "Low attendance below (% of meetings in a quarter)",
        hint: "An agency represented at an area MARAC that attends fewer of its meetings is escalated to the Tactical Group, "
            + "and to the Executive Group when it happens two quarters running.",
        kind: .integer(1...100), defaultValue: "75")
    public static let maracContactDetailsAgencies = SettingDefinition(
        id: "marac.contactDetailsAgencies", group: "MARAC", label: "Agencies that see victims' contact details",
        hint: "Agency names, separated by commas; MARAC coordinators always see them.",
        kind: .text(maxLength: 1_000, check: { _ in nil }), defaultValue: "Kent Police, Kent and Medway IDVA Service")
    public static let dhrDecisionMonths = SettingDefinition(
        id: "dhr.decisionMonths", group: "DHR", label: "Decision to commission (months)",
        hint: "From notification (statutory guidance: 1 month).", kind: .integer(1...6), defaultValue: "1")
    public static let dhrCompletionMonths = SettingDefinition(
        id: "dhr.completionMonths", group: "DHR", label: "Completion (months from decision)",
        hint: "Statutory guidance: 6 months.", kind: .integer(1...36), defaultValue: "6")
    public static let dhrEscalationLadder = SettingDefinition(
        id: "dhr.escalationLadder", group: "DHR", label: "Escalation ladder for late action updates",
        hint: "Rungs in order, separated by commas.",
        kind: .text(maxLength: 500, check: { DHRRules.ladder($0).isEmpty ? "name at least one rung" : nil }),
        defaultValue: "DHR officer, agency lead, Kent and Medway DHR Steering Group, partnership chair")
    public static let dhrEscalationStepDays = SettingDefinition(
        id: "dhr.escalationStepDays", group: "DHR", label: "Days on each rung",
        hint: "An action past due, or with no update for this long, climbs a rung each time this many days pass.",
        kind: .integer(1...90), defaultValue: "14")
    public static let paperMaxMegabytes = SettingDefinition(
        id: "governance.paperMaxMegabytes", group: "Meetings", label: "Largest paper (MB)",
        hint: "Papers for agenda items (PDF, Word, Excel, PNG or JPEG) over this size are refused.",
        kind: .integer(1...20), defaultValue: "10")
    /// domain-rules.md, "Security classification": legacy GPMS markings map on import, PROTECT to OFFICIAL and RESTRICTED
    /// to OFFICIAL-SENSITIVE; CONFIDENTIAL is refused unless an administrator maps it (the Government Security
    /// Classifications of 2014 gave it no single equivalent: much of it became SECRET, which Concord refuses).
    public static let legacyConfidential = SettingDefinition(
        id: "classification.legacyConfidential", group: "Security classification", label: "Old CONFIDENTIAL marking",
        hint: "Records marked with the old protective marking CONFIDENTIAL are refused, or taken in as OFFICIAL-SENSITIVE once you "
            + "have confirmed nothing so marked belongs at SECRET.",
        kind: .choice(["refuse", "OFFICIAL-SENSITIVE"]), defaultValue: "refuse")

    /// The legacy markings an administrator has mapped, for `Classification.parse`.
    public static func legacyMappings(_ values: SettingValues) -> [String: Classification] {
        values.string(legacyConfidential) == "OFFICIAL-SENSITIVE" ? ["CONFIDENTIAL": Classification(.officialSensitive)] : [:]
    }

    public static let strategyRAGTolerance = SettingDefinition(
        id: "strategy.ragTolerance", group: "Community Safety Agreement", label: "RAG tolerance (% for counts, points for percentages)",
        hint: "A measure within this of its baseline is amber; further the right way is green, further the wrong way red.",
        kind: .integer(0...50), defaultValue: "2")

    public static let all: [SettingDefinition] = [
        sessionIdleMinutes, sessionAbsoluteHours, loginFailuresPerAccount, loginFailuresPerAddress, lockoutMinutes,
        bankHolidayDivision, caseReviewIndividualComplaints, caseReviewCommunityPeople, caseReviewWindowMonths,
        caseReviewInitialDecisionDays, caseReviewOutcomeDays, caseReviewDissatisfactionDays, maracVisibleHighRiskScore, maracEscalationIncidents,
        maracResearchWorkingDays, maracMinutesWorkingDays, maracEscalationLadder, maracEscalationStepWorkingDays, maracAttendancePercent,
        maracContactDetailsAgencies, dhrDecisionMonths, dhrCompletionMonths, dhrEscalationLadder, dhrEscalationStepDays, paperMaxMegabytes, legacyConfidential,
        strategyRAGTolerance,
    ]

    public static func definition(_ id: String) -> SettingDefinition? {
        all.first { $0.id == id }
    }
}

/// The settings in force: stored values over the defaults.
public struct SettingValues: Sendable, Equatable {
    public var stored: [String: String]
    /// The settings page is edited as one record: its revision is the sum of the stored rows' versions, which
    /// grows with every saved change (rows are never deleted), so a form carrying an older revision is stale.
    public var revision: Int

    public init(stored: [String: String] = [:], revision: Int = 0) {
        self.stored = stored
        self.revision = revision
    }

    public func string(_ definition: SettingDefinition) -> String {
        stored[definition.id] ?? definition.defaultValue
    }

    public func int(_ definition: SettingDefinition) -> Int {
        Int(string(definition)) ?? Int(definition.defaultValue)!
    }
}
