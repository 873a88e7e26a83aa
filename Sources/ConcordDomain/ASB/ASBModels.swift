import Foundation

/// The three categories of ASB in the national guidance (personal, nuisance, environmental).
public enum ASBCategory: String, Sendable, Codable, CaseIterable {
    case personal, nuisance, environmental

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// How an incident or complaint reached an agency.
public enum ReportingChannel: String, Sendable, Codable, CaseIterable {
    case phone, online, email, inPerson = "in-person", letter, patrol, partnerReferral = "partner-referral"

    public var label: String {
        switch self {
        case .phone: "Phone"
        case .online: "Online"
        case .email: "Email"
        case .inPerson: "In person"
        case .letter: "Letter"
        case .patrol: "Seen on patrol"
        case .partnerReferral: "Referral from a partner"
        }
    }
}

/// Risk to the victim (domain-rules.md "ASB cases").
public enum VictimRisk: String, Sendable, Codable, CaseIterable, Comparable {
    case standard, medium, high

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public static func < (a: VictimRisk, b: VictimRisk) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What an agency did about the behaviour. Sources: ASB, Crime and Policing Act 2014 (CPW/CPN Part 4 ch.1,
/// injunctions Part 1, closure Part 4 ch.3) and domain-rules.md "ASB cases".
public enum ASBActionType: String, Sendable, Codable, CaseIterable {
    case warningLetter = "warning-letter"
    case acceptableBehaviourAgreement = "acceptable-behaviour-agreement"
    case communityProtectionWarning = "community-protection-warning"
    case communityProtectionNotice = "community-protection-notice"
    case injunction
    case closureOrder = "closure-order"
    case mediation
    case referral
    case noAction = "no-action"

    public var label: String {
        switch self {
        case .warningLetter: "Warning letter"
        case .acceptableBehaviourAgreement: "Acceptable behaviour agreement"
        case .communityProtectionWarning: "Community protection warning"
        case .communityProtectionNotice: "Community protection notice"
        case .injunction: "Injunction"
        case .closureOrder: "Closure order"
        case .mediation: "Mediation"
        case .referral: "Referral"
        case .noAction: "No action"
        }
    }
}

public enum ASBCaseStatus: String, Sendable, Codable, CaseIterable {
    case open, monitoring, closed

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

public enum ASBOutcome: String, Sendable, Codable, CaseIterable {
    case resolved, reduced, unresolved, referredOn = "referred-on", noFurtherAction = "no-further-action"

    public var label: String {
        switch self {
        case .resolved: "Resolved"
        case .reduced: "Reduced"
        case .unresolved: "Unresolved"
        case .referredOn: "Referred on"
        case .noFurtherAction: "No further action"
        }
    }
}

public enum ContactPreference: String, Sendable, Codable, CaseIterable {
    case phone, email, letter, inPerson = "in-person", noContact = "no-contact"

    public var label: String {
        switch self {
        case .phone: "Phone"
        case .email: "Email"
        case .letter: "Letter"
        case .inPerson: "In person"
        case .noContact: "Does not want contact"
        }
    }
}

/// A complainant or an alleged perpetrator on a case. A complainant may be anonymous and a perpetrator unknown:
/// then there is no name.
public struct ASBParty: Sendable, Codable, Equatable, Identifiable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case complainant, perpetrator
    }

    public var id: Int64
    public var caseId: Int64
    public var role: Role
    public var name: String?
    public var address: String?
    public var postcode: String?
    public var phone: String?
    public var email: String?
    public var contactPreference: ContactPreference?
    public var isVulnerable: Bool
    public var vulnerabilityNotes: String?

    public var displayName: String { name ?? (role == .complainant ? "Anonymous complainant" : "Unknown person") }

    public init(id: Int64, caseId: Int64, role: Role, name: String?, address: String? = nil, postcode: String? = nil,
                phone: String? = nil, email: String? = nil, contactPreference: ContactPreference? = nil,
                isVulnerable: Bool = false, vulnerabilityNotes: String? = nil) {
        self.id = id
        self.caseId = caseId
        self.role = role
        self.name = name
        self.address = address
        self.postcode = postcode
        self.phone = phone
        self.email = email
        self.contactPreference = contactPreference
        self.isVulnerable = isVulnerable
        self.vulnerabilityNotes = vulnerabilityNotes
    }
}

/// A report of an incident to one agency. One incident reported to three agencies is one incident with three
/// reports, and counts once everywhere (domain-rules.md "ASB cases").
public struct IncidentReport: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var incidentId: Int64
    public var agencyId: Int64
    public var complainantId: Int64?
    public var reportedOn: CalendarDate
    public var channel: ReportingChannel
    public var reference: String?

    public init(id: Int64, incidentId: Int64, agencyId: Int64, complainantId: Int64?, reportedOn: CalendarDate,
                channel: ReportingChannel, reference: String?) {
        self.id = id
        self.incidentId = incidentId
        self.agencyId = agencyId
        self.complainantId = complainantId
        self.reportedOn = reportedOn
        self.channel = channel
        self.reference = reference
    }
}

public struct ASBIncident: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var caseId: Int64
    public var occurredOn: CalendarDate
    /// "HH:MM" local time, when known.
    public var occurredAt: String?
    public var address: String?
    public var postcode: String?
    public var ward: String?
    public var districtId: Int64?
    public var category: ASBCategory
    public var isHateMotivated: Bool
    public var description: String
    public var reports: [IncidentReport]
    /// Optimistic locking for corrections.
    public var version: Int

    public init(id: Int64, caseId: Int64, occurredOn: CalendarDate, occurredAt: String?, address: String?, postcode: String?,
                ward: String?, districtId: Int64?, category: ASBCategory, isHateMotivated: Bool, description: String,
                reports: [IncidentReport] = [], version: Int = 1) {
        self.id = id
        self.caseId = caseId
        self.occurredOn = occurredOn
        self.occurredAt = occurredAt
        self.address = address
        self.postcode = postcode
        self.ward = ward
        self.districtId = districtId
        self.category = category
        self.isHateMotivated = isHateMotivated
        self.description = description
        self.reports = reports
        self.version = version
    }
}

public struct ASBAction: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var caseId: Int64
    public var agencyId: Int64
    public var type: ASBActionType
    public var takenOn: CalendarDate
    /// Required for "no action".
    public var reason: String?
    public var notes: String?

    public init(id: Int64, caseId: Int64, agencyId: Int64, type: ASBActionType, takenOn: CalendarDate, reason: String?, notes: String?) {
        self.id = id
        self.caseId = caseId
        self.agencyId = agencyId
        self.type = type
        self.takenOn = takenOn
        self.reason = reason
        self.notes = notes
    }
}

/// The ASB detail of a case: the spine (`CaseRecord`) carries owner, shares, classification and status.
public struct ASBCase: Sendable, Codable, Equatable {
    public var record: CaseRecord
    public var districtId: Int64?
    public var leadOfficerId: Int64?
    public var risk: VictimRisk
    public var isRepeatVictim: Bool
    public var isVulnerableVictim: Bool
    public var status: ASBCaseStatus
    public var outcome: ASBOutcome?
    /// When the 2nd report in 6 months raised the Case Review prompt, and when it was explained (clears it).
    public var promptRaisedOn: CalendarDate?
    public var promptExplainedOn: CalendarDate?
    public var parties: [ASBParty]
    public var incidents: [ASBIncident]
    public var actions: [ASBAction]

    public var isPromptOpen: Bool { promptRaisedOn != nil && promptExplainedOn == nil }

    public init(record: CaseRecord, districtId: Int64?, leadOfficerId: Int64?, risk: VictimRisk, isRepeatVictim: Bool,
                isVulnerableVictim: Bool, status: ASBCaseStatus, outcome: ASBOutcome?, promptRaisedOn: CalendarDate?,
                promptExplainedOn: CalendarDate?, parties: [ASBParty] = [], incidents: [ASBIncident] = [], actions: [ASBAction] = []) {
        self.record = record
        self.districtId = districtId
        self.leadOfficerId = leadOfficerId
        self.risk = risk
        self.isRepeatVictim = isRepeatVictim
        self.isVulnerableVictim = isVulnerableVictim
        self.status = status
        self.outcome = outcome
        self.promptRaisedOn = promptRaisedOn
        self.promptExplainedOn = promptExplainedOn
        self.parties = parties
        self.incidents = incidents
        self.actions = actions
    }
}

/// What intake has to say before a new case is made: existing visible cases that look like the same problem.
public struct SimilarCase: Sendable, Codable, Equatable {
    public var caseId: Int64
    public var reference: String
    public var title: String
    public var reasons: [String]

    public init(caseId: Int64, reference: String, title: String, reasons: [String]) {
        self.caseId = caseId
        self.reference = reference
        self.title = title
        self.reasons = reasons
    }
}
