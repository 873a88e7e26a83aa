import Foundation

/// The stages of a Domestic Homicide Review (since 2024, Domestic Abuse Related Death Review), in order: Domestic
/// Violence, Crime and Victims Act 2004 s.9 and the Home Office statutory guidance; the packs' restricted items.
public enum DHRStage: String, Sendable, Codable, CaseIterable, Comparable {
    case notified
    case decided
    case chairAppointed = "chair-appointed"
    case panel
    case overviewReport = "overview-report"
    case completed
    case qualityAssurance = "quality-assurance"
    case published
    case sentToCommissioner = "sent-to-commissioner"
    case actionPlanMonitored = "action-plan-monitored"
    case signedOff = "signed-off"

    public var label: String {
        switch self {
        case .notified: "Notified"
        case .decided: "Decision to commission"
        case .chairAppointed: "Independent chair appointed"
        case .panel: "Panel, IMRs and chronologies"
        case .overviewReport: "Overview report"
        case .completed: "Completed"
        case .qualityAssurance: "Home Office quality assurance"
        case .published: "Published"
        case .sentToCommissioner: "Sent to the Domestic Abuse Commissioner"
        case .actionPlanMonitored: "Action plan monitored"
        case .signedOff: "Signed off"
        }
    }

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: DHRStage, b: DHRStage) -> Bool { a.order < b.order }
}

/// A stage reached: when, by whom, and what it recorded.
public struct DHRStageEvent: Sendable, Codable, Equatable {
    public var stage: DHRStage
    public var on: CalendarDate
    public var byUserId: Int64?
    /// Decided: commissioned or not; quality assurance: accepted or to be resubmitted.
    public var outcome: String?
    public var note: String?

    public init(stage: DHRStage, on: CalendarDate, byUserId: Int64?, outcome: String? = nil, note: String? = nil) {
        self.stage = stage
        self.on = on
        self.byUserId = byUserId
        self.outcome = outcome
        self.note = note
    }
}

/// A review: the detail of a restricted `dhr` case record, seen only by the DHR team and its panel's agencies.
public struct DHRReview: Sendable, Codable, Equatable {
    public var caseId: Int64
    public var reference: String
    /// An anonymised name ("Adult A").
    public var pseudonym: String
    public var cspArea: String?
    public var notifiedOn: CalendarDate
    public var stage: DHRStage
    public var isCommissioned: Bool?
    public var independentChair: String?
    public var publishedURL: String?
    public var commissionerRecommendationsOn: CalendarDate?
    public var commissionerResponseOn: CalendarDate?
    public var events: [DHRStageEvent]
    public var panelAgencyIds: Set<Int64>
    /// The DHR team's agency, which owns the review.
    public var teamAgencyId: Int64
    public var signOffOverride: String?
    public var version: Int

    public init(caseId: Int64, reference: String, pseudonym: String, cspArea: String?, notifiedOn: CalendarDate, stage: DHRStage,
                isCommissioned: Bool?, independentChair: String?, publishedURL: String?, commissionerRecommendationsOn: CalendarDate?,
                commissionerResponseOn: CalendarDate? = nil, events: [DHRStageEvent], panelAgencyIds: Set<Int64>, teamAgencyId: Int64, signOffOverride: String?, version: Int) {
        self.caseId = caseId
        self.reference = reference
        self.pseudonym = pseudonym
        self.cspArea = cspArea
        self.notifiedOn = notifiedOn
        self.stage = stage
        self.isCommissioned = isCommissioned
        self.independentChair = independentChair
        self.publishedURL = publishedURL
        self.commissionerRecommendationsOn = commissionerRecommendationsOn
        self.commissionerResponseOn = commissionerResponseOn
        self.events = events
        self.panelAgencyIds = panelAgencyIds
        self.teamAgencyId = teamAgencyId
        self.signOffOverride = signOffOverride
        self.version = version
    }

    public func reached(_ stage: DHRStage) -> DHRStageEvent? { events.last { $0.stage == stage } }
}

/// An action of a review's action plan, owned by an agency, with dated updates and evidence.
public struct DHRAction: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var caseId: Int64
    public var recommendation: String
    public var agencyId: Int64
    public var action: String
    public var dueOn: CalendarDate
    public var completedOn: CalendarDate?
    public var updates: [DHRActionUpdate]
    public var version: Int

    public init(id: Int64, caseId: Int64, recommendation: String, agencyId: Int64, action: String, dueOn: CalendarDate, completedOn: CalendarDate?,
                updates: [DHRActionUpdate], version: Int) {
        self.id = id
        self.caseId = caseId
        self.recommendation = recommendation
        self.agencyId = agencyId
        self.action = action
        self.dueOn = dueOn
        self.completedOn = completedOn
        self.updates = updates
        self.version = version
    }
}

public struct DHRActionUpdate: Sendable, Codable, Equatable {
    public var on: CalendarDate
    public var text: String
    public var evidence: String?
    public var byUserId: Int64?

    public init(on: CalendarDate, text: String, evidence: String?, byUserId: Int64?) {
        self.on = on
        self.text = text
        self.evidence = evidence
        self.byUserId = byUserId
    }
}

/// A lesson learned from reviews, with its theme, and the briefings and seminars that cascaded lessons.
public struct DHRLesson: Sendable, Codable, Equatable {
    public var caseId: Int64?
    public var theme: String
    public var text: String

    public init(caseId: Int64?, theme: String, text: String) {
        self.caseId = caseId
        self.theme = theme
        self.text = text
    }
}

public struct DHRBriefing: Sendable, Codable, Equatable {
    public var title: String
    public var heldOn: CalendarDate
    public var themes: [String]
    public var attendance: Int
    /// The attendees' average rating out of 5, if collected.
    public var rating: Double?

    public init(title: String, heldOn: CalendarDate, themes: [String], attendance: Int, rating: Double?) {
        self.title = title
        self.heldOn = heldOn
        self.themes = themes
        self.attendance = attendance
        self.rating = rating
    }
}
