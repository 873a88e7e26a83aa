import Foundation

/// The kinds of case Concord holds; information-sharing agreements name which of them they cover.
public enum CaseType: String, Sendable, Codable, CaseIterable, Comparable {
    case asb
    case caseReview = "case-review"
    case marac
    case dhr

    public var label: String {
        switch self {
        case .asb: "ASB case"
        case .caseReview: "ASB Case Review"
        case .marac: "MARAC case"
        case .dhr: "Domestic Homicide Review"
        }
    }

    public static func < (a: CaseType, b: CaseType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Where a module has its own intake, cases of its type are opened there (with their detail), never as a
    /// bare case record.
    public var intakePath: String? {
        switch self {
        case .asb: "/asb/new"
        case .caseReview: "/case-reviews/new"
        case .marac: "/marac/referrals/new"
        case .dhr: nil
        }
    }

    /// The module's own page for a case of this type, when it has one.
    public func pagePath(id: Int64) -> String? {
        switch self {
        case .asb: "/asb/cases/\(id)"
        case .caseReview: "/case-reviews/\(id)"
        case .marac: "/marac/cases/\(id)"
        case .dhr: nil
        }
    }
}

/// The signed-in person on whose behalf a request runs.
public struct Principal: Sendable, Equatable {
    public let userId: Int64
    public let agencyId: Int64
    public let roles: Set<Role>
    public let displayName: String

    public init(userId: Int64, agencyId: Int64, roles: Set<Role>, displayName: String) {
        self.userId = userId
        self.agencyId = agencyId
        self.roles = roles
        self.displayName = displayName
    }

    public init(_ user: User) {
        self.init(userId: user.id, agencyId: user.agencyId, roles: user.roles, displayName: user.displayName)
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

/// What a user asks to do with a case record.
public enum CaseAction: String, Sendable, CaseIterable {
    case view, create, update, delete, export
}

/// The facts about one case record that decide who may see it: everything the policy reads, nothing else.
public struct CaseAccessFacts: Sendable, Equatable {
    public var caseType: CaseType
    public var owningAgencyId: Int64
    public var sharedWith: Set<Int64>
    public var classification: Classification
    /// A restricted record is seen only by its owning agency and the agencies it is explicitly shared with
    /// (a DHR's panel, for example): information-sharing agreements do not reach it.
    public var isRestricted: Bool

    public init(caseType: CaseType, owningAgencyId: Int64, sharedWith: Set<Int64> = [],
                classification: Classification, isRestricted: Bool = false) {
        self.caseType = caseType
        self.owningAgencyId = owningAgencyId
        self.sharedWith = sharedWith
        self.classification = classification
        self.isRestricted = isRestricted
    }
}

/// An information-sharing agreement between agencies: which parties may see each other's cases of which types,
/// for what purpose, on what lawful basis, until when. Source: domain-rules.md "Security classification and
/// information governance"; Crime and Disorder Act 1998 s.115 is the usual lawful basis.
public struct SharingAgreement: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var title: String
    public var purpose: String
    public var lawfulBasis: String
    public var parties: Set<Int64>
    public var caseTypes: Set<CaseType>
    public var startsOn: CalendarDate
    public var reviewOn: CalendarDate?
    public var endsOn: CalendarDate?
    public var version: Int

    public init(id: Int64, title: String, purpose: String, lawfulBasis: String, parties: Set<Int64>,
                caseTypes: Set<CaseType>, startsOn: CalendarDate, reviewOn: CalendarDate? = nil,
                endsOn: CalendarDate? = nil, version: Int = 1) {
        self.id = id
        self.title = title
        self.purpose = purpose
        self.lawfulBasis = lawfulBasis
        self.parties = parties
        self.caseTypes = caseTypes
        self.startsOn = startsOn
        self.reviewOn = reviewOn
        self.endsOn = endsOn
        self.version = version
    }

    public func isInForce(on date: CalendarDate) -> Bool {
        if date < startsOn { return false }
        if let endsOn, date > endsOn { return false }
        return true
    }

    public var sortedCaseTypes: [CaseType] { caseTypes.sorted() }
}

public struct SharingAgreementInput: Sendable, Equatable {
    public var title: String
    public var purpose: String
    public var lawfulBasis: String
    public var parties: Set<Int64>
    public var caseTypes: Set<CaseType>
    public var startsOn: CalendarDate
    public var reviewOn: CalendarDate?
    public var endsOn: CalendarDate?

    public init(title: String, purpose: String, lawfulBasis: String, parties: Set<Int64>, caseTypes: Set<CaseType>,
                startsOn: CalendarDate, reviewOn: CalendarDate?, endsOn: CalendarDate?) {
        self.title = title
        self.purpose = purpose
        self.lawfulBasis = lawfulBasis
        self.parties = parties
        self.caseTypes = caseTypes
        self.startsOn = startsOn
        self.reviewOn = reviewOn
        self.endsOn = endsOn
    }

    public static func validate(title: String?, purpose: String?, lawfulBasis: String?, parties: [Int64],
                                caseTypes: [String], startsOn: String?, reviewOn: String?,
                                endsOn: String?) throws(ValidationError) -> SharingAgreementInput {
        var v = Validator()
        let title = v.required(title, field: "title", label: "a title", maxLength: 200)
        let purpose = v.required(purpose, field: "purpose", label: "the purpose of sharing", maxLength: 2000)
        let basis = v.required(lawfulBasis, field: "lawfulBasis", label: "the lawful basis", maxLength: 500)
        if Set(parties).count < 2 { v.add("parties", "Choose at least two agencies that are party to the agreement") }
        var types = Set<CaseType>()
        for raw in caseTypes {
            if let type = CaseType(rawValue: raw) { types.insert(type) } else { v.add("caseTypes", "\(raw) is not a case type") }
        }
        if caseTypes.isEmpty { v.add("caseTypes", "Choose at least one case type the agreement covers") }
        let start = v.date(startsOn, field: "startsOn", label: "the start date", required: true)
        let review = v.date(reviewOn, field: "reviewOn", label: "the review date")
        let end = v.date(endsOn, field: "endsOn", label: "the end date")
        if let start, let end, end < start { v.add("endsOn", "The end date must be on or after the start date") }
        try v.check()
        return SharingAgreementInput(title: title!, purpose: purpose!, lawfulBasis: basis!, parties: Set(parties),
                                     caseTypes: types, startsOn: start!, reviewOn: review, endsOn: end)
    }
}
