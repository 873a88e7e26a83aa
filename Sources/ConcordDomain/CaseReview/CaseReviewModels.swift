import Foundation

/// The thresholds an ASB Case Review application is checked against, for one area from a date.
/// Kent & Medway defaults (2014-07-08 KCSP pack, appendix A to report B1, L307–L312): 3 complaints about separate
/// incidents by one person, or 5 people complaining separately about similar incidents, in the 6 months before
/// the application. A qualifying complaint is made within one month of the behaviour (ASB, Crime and Policing
/// Act 2014 s.104 and the statutory guidance).
public struct ThresholdRuleSet: Sendable, Equatable, Codable {
    public var id: Int64?
    /// Nil: the partnership-wide rule set.
    public var areaId: Int64?
    public var effectiveFrom: CalendarDate
    public var individualComplaints: Int
    public var communityPeople: Int
    public var windowMonths: Int
    public var qualifyingReportMonths: Int
    /// The Welsh model: one hate incident reported by one person is enough.
    public var hateIncidentSuffices: Bool

    public init(id: Int64? = nil, areaId: Int64? = nil, effectiveFrom: CalendarDate, individualComplaints: Int = 3,
                communityPeople: Int = 5, windowMonths: Int = 6, qualifyingReportMonths: Int = 1, hateIncidentSuffices: Bool = false) {
        self.id = id
        self.areaId = areaId
        self.effectiveFrom = effectiveFrom
        self.individualComplaints = individualComplaints
        self.communityPeople = communityPeople
        self.windowMonths = windowMonths
        self.qualifyingReportMonths = qualifyingReportMonths
        self.hateIncidentSuffices = hateIncidentSuffices
    }

    /// The day the ASB Case Review came into force (Anti-social Behaviour, Crime and Policing Act 2014 s.104,
    /// commenced 20 October 2014), from which the partnership-wide rule set applies.
    public static let commencement = CalendarDate(iso: "2014-10-20")!

    /// Kent & Medway's 2014 rule set.
    public static let kent2014 = ThresholdRuleSet(effectiveFrom: commencement)

    public var summary: String {
        "\(individualComplaints) complaints about separate incidents by one person, or \(communityPeople) people complaining "
            + "separately about similar incidents, in the \(windowMonths) months before the application"
            + (hateIncidentSuffices ? "; or one hate incident" : "")
    }
}

/// One complaint an application relies on. Keys are opaque: a complainant, an incident (the same incident
/// reported to several agencies has one key), and what makes incidents "similar" (the same problem: location,
/// perpetrator or case).
public struct ThresholdComplaint: Sendable, Equatable, Codable {
    public var id: String
    public var complainant: String
    public var incident: String
    public var behaviourOn: CalendarDate
    public var reportedOn: CalendarDate
    public var similarityKey: String
    public var isHateIncident: Bool

    public init(id: String, complainant: String, incident: String, behaviourOn: CalendarDate, reportedOn: CalendarDate,
                similarityKey: String, isHateIncident: Bool = false) {
        self.id = id
        self.complainant = complainant
        self.incident = incident
        self.behaviourOn = behaviourOn
        self.reportedOn = reportedOn
        self.similarityKey = similarityKey
        self.isHateIncident = isHateIncident
    }
}

/// The result of a threshold check: met or not, by which rule, and every complaint counted or excluded with why.
public struct ThresholdResult: Sendable, Equatable, Codable {
    public enum Rule: String, Sendable, Codable, CaseIterable {
        case individual, community, hateIncident
    }

    public enum Exclusion: String, Sendable, Codable {
        case outsideWindow = "outside-window"
        case sameIncidentReportedTwice = "same-incident-reported-twice"
        case reportedMoreThanAMonthAfterBehaviour = "reported-too-late"
        case notSimilar = "not-similar"

        public var explanation: String {
            switch self {
            case .outsideWindow: "made outside the look-back window before the application"
            case .sameIncidentReportedTwice: "the same incident reported again by the same person (counted once)"
            case .reportedMoreThanAMonthAfterBehaviour: "made more than the qualifying period after the behaviour"
            case .notSimilar: "not about the same problem as the complaints counted, nor by the person counted"
            }
        }
    }

    public struct Counted: Sendable, Equatable, Codable {
        public var complaintId: String
        public var rules: [Rule]
    }

    public struct Excluded: Sendable, Equatable, Codable {
        public var complaintId: String
        public var reason: Exclusion
        public var explanation: String
    }

    public var met: Bool
    public var rulesMet: [Rule]
    /// The most separate incidents any one complainant complained of, and who.
    public var mostIncidentsByOnePerson: Int
    /// The most people complaining separately about one problem, and which.
    public var mostPeopleAboutOneProblem: Int
    public var windowStart: CalendarDate
    public var ruleSet: ThresholdRuleSet
    public var counted: [Counted]
    public var excluded: [Excluded]
}

/// How an application reached the local authority (2025 statutory guidance: accessible routes).
public enum ApplicationChannel: String, Sendable, Codable, CaseIterable {
    case onlineForm = "online-form", phone, paper, inPerson = "in-person"

    public var label: String {
        switch self {
        case .onlineForm: "Online form"
        case .phone: "Phone"
        case .paper: "Paper form"
        case .inPerson: "In person"
        }
    }
}

/// Who reviews an area's applications (2014-07-08 pack, appendix A to B1, L323–L329).
public enum ReviewBody: String, Sendable, Codable, CaseIterable {
    case asbGroup = "asb-group", cspMeeting = "csp-meeting", peerCSP = "peer-csp"

    public var label: String {
        switch self {
        case .asbGroup: "ASB group"
        case .cspMeeting: "CSP meeting with officers"
        case .peerCSP: "Peer review by a neighbouring CSP"
        }
    }
}

/// Where a dissatisfied applicant goes (2014-07-08 pack, L331–L339).
public enum DissatisfactionRoute: String, Sendable, Codable, CaseIterable {
    case pccOffice = "pcc-office", scrutinyCommittee = "scrutiny-committee", csp, peerReview = "peer-review"

    public var label: String {
        switch self {
        case .pccOffice: "Police and Crime Commissioner's office"
        case .scrutinyCommittee: "Overview and scrutiny committee"
        case .csp: "Community Safety Partnership"
        case .peerReview: "Peer review"
        }
    }
}

/// The stages of an application, in order.
public enum ApplicationStage: String, Sendable, Codable, CaseIterable {
    case received, thresholdNotMet = "threshold-not-met", underReview = "under-review", reviewed
    case dissatisfaction, closed

    public var label: String {
        switch self {
        case .received: "Received: initial decision due"
        case .thresholdNotMet: "Threshold not met"
        case .underReview: "Under review"
        case .reviewed: "Review outcome sent"
        case .dissatisfaction: "Applicant dissatisfied: with the route"
        case .closed: "Closed"
        }
    }
}

/// The statutory annual counts for one area and year (anchors §1.1 "Statutory publication").
public struct CaseReviewCounts: Sendable, Equatable, Codable {
    public var areaId: Int64
    public var areaName: String
    public var year: Int
    public var applicationsReceived: Int
    public var thresholdNotMet: Int
    public var reviewsCarriedOut: Int
    public var reviewsWithRecommendations: Int

    public init(areaId: Int64, areaName: String, year: Int, applicationsReceived: Int, thresholdNotMet: Int,
                reviewsCarriedOut: Int, reviewsWithRecommendations: Int) {
        self.areaId = areaId
        self.areaName = areaName
        self.year = year
        self.applicationsReceived = applicationsReceived
        self.thresholdNotMet = thresholdNotMet
        self.reviewsCarriedOut = reviewsCarriedOut
        self.reviewsWithRecommendations = reviewsWithRecommendations
    }
}

/// The reviewer's finding on the action taken: recorded with a reason, never computed (domain-rules.md).
public enum ActionFinding: String, Sendable, Codable, CaseIterable {
    case noAction = "no-action", inadequateAction = "inadequate-action", adequateAction = "adequate-action"

    public var label: String {
        switch self {
        case .noAction: "No action was taken"
        case .inadequateAction: "The action taken was inadequate"
        case .adequateAction: "The action taken was adequate"
        }
    }
}

public enum RecommendationStatus: String, Sendable, Codable, CaseIterable {
    case open, inProgress = "in-progress", done, notAccepted = "not-accepted"

    public var label: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .done: "Done"
        case .notAccepted: "Not accepted"
        }
    }
}

public struct Recommendation: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var text: String
    public var ownerAgencyId: Int64
    public var dueOn: CalendarDate
    public var status: RecommendationStatus
    public var version: Int

    public init(id: Int64, text: String, ownerAgencyId: Int64, dueOn: CalendarDate, status: RecommendationStatus, version: Int) {
        self.id = id
        self.text = text
        self.ownerAgencyId = ownerAgencyId
        self.dueOn = dueOn
        self.status = status
        self.version = version
    }
}

public struct Applicant: Sendable, Codable, Equatable {
    public var name: String
    /// A ward Member applying on residents' behalf.
    public var isMember: Bool
    /// The Member's entry in the directory, used to bar them from the review.
    public var personId: Int64?

    public init(name: String, isMember: Bool, personId: Int64?) {
        self.name = name
        self.isMember = isMember
        self.personId = personId
    }
}

/// A new application as typed: who applied (and for whom), where, when, how, and the complaints it relies on.
public struct ApplicationInput: Sendable, Equatable {
    public var areaId: Int64
    public var receivedOn: CalendarDate
    public var channel: ApplicationChannel
    public var applicants: [Applicant]
    public var onBehalfOf: String?
    /// Incident reports (ids) on ASB cases the applicants point to.
    public var reportIds: [Int64]

    public init(areaId: Int64, receivedOn: CalendarDate, channel: ApplicationChannel, applicants: [Applicant], onBehalfOf: String?,
                reportIds: [Int64]) {
        self.areaId = areaId
        self.receivedOn = receivedOn
        self.channel = channel
        self.applicants = applicants
        self.onBehalfOf = onBehalfOf
        self.reportIds = reportIds
    }
}

/// The dates an application's clocks run from and stop on.
public struct ApplicationDates: Sendable, Equatable {
    public var receivedOn: CalendarDate
    public var thresholdMet: Bool
    public var initialDecisionOn: CalendarDate?
    public var reviewOutcomeOn: CalendarDate?
    public var dissatisfiedOn: CalendarDate?
    public var dissatisfactionOutcomeOn: CalendarDate?

    public init(receivedOn: CalendarDate, thresholdMet: Bool, initialDecisionOn: CalendarDate?, reviewOutcomeOn: CalendarDate?,
                dissatisfiedOn: CalendarDate?, dissatisfactionOutcomeOn: CalendarDate?) {
        self.receivedOn = receivedOn
        self.thresholdMet = thresholdMet
        self.initialDecisionOn = initialDecisionOn
        self.reviewOutcomeOn = reviewOutcomeOn
        self.dissatisfiedOn = dissatisfiedOn
        self.dissatisfactionOutcomeOn = dissatisfactionOutcomeOn
    }
}

/// An application and where it has got to.
public struct CaseReviewApplication: Sendable, Codable, Equatable {
    public var record: CaseRecord
    public var areaId: Int64
    public var receivedOn: CalendarDate
    public var channel: ApplicationChannel
    public var onBehalfOf: String?
    public var applicants: [Applicant]
    public var stage: ApplicationStage
    public var threshold: ThresholdResult
    public var initialDecisionOn: CalendarDate?
    public var initialDecisionNotes: String?
    public var reviewBody: ReviewBody
    public var actionFinding: ActionFinding?
    public var actionFindingReason: String?
    public var reviewOutcomeOn: CalendarDate?
    public var reviewOutcome: String?
    public var wardMemberNoticeDue: Bool
    public var wardMemberNotifiedOn: CalendarDate?
    public var dissatisfiedOn: CalendarDate?
    public var dissatisfactionRoute: DissatisfactionRoute?
    public var dissatisfactionOutcomeOn: CalendarDate?
    public var dissatisfactionOutcome: String?
    public var reviewerPersonIds: [Int64]
    public var recommendations: [Recommendation]

    public var dates: ApplicationDates {
        ApplicationDates(receivedOn: receivedOn, thresholdMet: threshold.met, initialDecisionOn: initialDecisionOn,
                         reviewOutcomeOn: reviewOutcomeOn, dissatisfiedOn: dissatisfiedOn, dissatisfactionOutcomeOn: dissatisfactionOutcomeOn)
    }

    public init(record: CaseRecord, areaId: Int64, receivedOn: CalendarDate, channel: ApplicationChannel, onBehalfOf: String?,
                applicants: [Applicant], stage: ApplicationStage, threshold: ThresholdResult, reviewBody: ReviewBody) {
        self.record = record
        self.areaId = areaId
        self.receivedOn = receivedOn
        self.channel = channel
        self.onBehalfOf = onBehalfOf
        self.applicants = applicants
        self.stage = stage
        self.threshold = threshold
        self.reviewBody = reviewBody
        self.wardMemberNoticeDue = false
        self.reviewerPersonIds = []
        self.recommendations = []
    }
}
