import Foundation

/// What kind of organisation a partner agency is. The responsible authorities of a CSP are set by the Crime
/// and Disorder Act 1998 s.5 (council, police, fire and rescue, health, probation).
public enum AgencyKind: String, Sendable, Codable, CaseIterable {
    case council
    case countyCouncil = "county-council"
    case police
    case fireAndRescue = "fire-and-rescue"
    case health
    case probation
    case housingProvider = "housing-provider"
    case pccOffice = "pcc-office"
    case voluntary

    public var label: String {
        switch self {
        case .council: "Council"
        case .countyCouncil: "County council"
        case .police: "Police"
        case .fireAndRescue: "Fire and rescue"
        case .health: "Health (ICB)"
        case .probation: "Probation"
        case .housingProvider: "Housing provider"
        case .pccOffice: "PCC office"
        case .voluntary: "Voluntary sector"
        }
    }
}

public struct Agency: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var kind: AgencyKind
    public var isResponsibleAuthority: Bool
    public var activeFrom: CalendarDate?
    public var activeTo: CalendarDate?
    /// The agency that took over this one's duties, e.g. the CCGs replaced by the Kent and Medway ICB on 1 July 2022.
    public var replacedBy: Int64?
    public var version: Int

    public init(id: Int64, name: String, kind: AgencyKind, isResponsibleAuthority: Bool,
                activeFrom: CalendarDate? = nil, activeTo: CalendarDate? = nil, replacedBy: Int64? = nil, version: Int = 1) {
        self.id = id
        self.name = name
        self.kind = kind
        self.isResponsibleAuthority = isResponsibleAuthority
        self.activeFrom = activeFrom
        self.activeTo = activeTo
        self.replacedBy = replacedBy
        self.version = version
    }

    public func isActive(on date: CalendarDate) -> Bool {
        if let from = activeFrom, date < from { return false }
        if let to = activeTo, date > to { return false }
        return true
    }
}

/// The fields of an agency a person enters; validated by `DirectoryRules.agency`.
public struct AgencyInput: Sendable, Equatable {
    public var name: String
    public var kind: AgencyKind
    public var isResponsibleAuthority: Bool
    public var activeFrom: CalendarDate?
    public var activeTo: CalendarDate?
    public var replacedBy: Int64?

    public init(name: String, kind: AgencyKind, isResponsibleAuthority: Bool, activeFrom: CalendarDate? = nil,
                activeTo: CalendarDate? = nil, replacedBy: Int64? = nil) {
        self.name = name
        self.kind = kind
        self.isResponsibleAuthority = isResponsibleAuthority
        self.activeFrom = activeFrom
        self.activeTo = activeTo
        self.replacedBy = replacedBy
    }
}

/// A local authority district (Kent has 12) or a unitary authority (Medway).
public struct District: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var isUnitary: Bool
    public var cspAreaId: Int64?

    public init(id: Int64, name: String, isUnitary: Bool, cspAreaId: Int64?) {
        self.id = id
        self.name = name
        self.isUnitary = isUnitary
        self.cspAreaId = cspAreaId
    }
}

/// A Community Safety Partnership area: one or more districts (Dartford and Gravesham share one).
public struct CSPArea: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

/// What a user may do, granted by an administrator. A user holds one or more.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case administrator
    case partnershipManager = "partnership-manager"
    case caseOfficer = "case-officer"
    case maracCoordinator = "marac-coordinator"
    case dhrOfficer = "dhr-officer"
    case democraticServicesClerk = "democratic-services-clerk"
    case partnershipMember = "partnership-member"
    case auditor

    public var label: String {
        switch self {
        case .administrator: "Administrator"
        case .partnershipManager: "Partnership manager"
        case .caseOfficer: "Case officer"
        case .maracCoordinator: "MARAC coordinator"
        case .dhrOfficer: "DHR officer"
        case .democraticServicesClerk: "Democratic services clerk"
        case .partnershipMember: "Partnership member"
        case .auditor: "Auditor"
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public struct User: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    /// Sign-in name: the work email address, lower-cased.
    public var email: String
    public var displayName: String
    public var agencyId: Int64
    public var roles: Set<Role>
    public var isActive: Bool
    public var version: Int

    public init(id: Int64, email: String, displayName: String, agencyId: Int64, roles: Set<Role>,
                isActive: Bool = true, version: Int = 1) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.agencyId = agencyId
        self.roles = roles
        self.isActive = isActive
        self.version = version
    }

    public var sortedRoles: [Role] { roles.sorted() }
}

public struct UserInput: Sendable, Equatable {
    public var email: String
    public var displayName: String
    public var agencyId: Int64
    public var roles: Set<Role>

    public init(email: String, displayName: String, agencyId: Int64, roles: Set<Role>) {
        self.email = email
        self.displayName = displayName
        self.agencyId = agencyId
        self.roles = roles
    }
}

/// Someone the partnership works with who need not sign in: members of boards, officers, leads.
public struct Person: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var jobTitle: String?
    public var agencyId: Int64?
    public var email: String?

    public init(id: Int64, name: String, jobTitle: String? = nil, agencyId: Int64? = nil, email: String? = nil) {
        self.id = id
        self.name = name
        self.jobTitle = jobTitle
        self.agencyId = agencyId
        self.email = email
    }
}

public enum BodyKind: String, Sendable, Codable, CaseIterable {
    case partnership, board, group, steeringGroup = "steering-group"

    public var label: String {
        switch self {
        case .partnership: "Partnership"
        case .board: "Board"
        case .group: "Group"
        case .steeringGroup: "Steering group"
        }
    }
}

/// A board or group that meets: the Kent Community Safety Partnership, its working group, steering groups.
public struct Body: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var kind: BodyKind
    public var parentId: Int64?

    public init(id: Int64, name: String, kind: BodyKind, parentId: Int64? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentId = parentId
    }
}

public enum MembershipRole: String, Sendable, Codable, CaseIterable {
    case chair, viceChair = "vice-chair", member, substitute, officer

    public var label: String {
        switch self {
        case .chair: "Chair"
        case .viceChair: "Vice-chair"
        case .member: "Member"
        case .substitute: "Substitute"
        case .officer: "Officer in attendance"
        }
    }
}

public struct Membership: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var bodyId: Int64
    public var personId: Int64
    public var role: MembershipRole
    /// The agency or interest the member represents on the body.
    public var representing: String?
    public var from: CalendarDate?
    public var to: CalendarDate?

    public init(id: Int64, bodyId: Int64, personId: Int64, role: MembershipRole, representing: String? = nil,
                from: CalendarDate? = nil, to: CalendarDate? = nil) {
        self.id = id
        self.bodyId = bodyId
        self.personId = personId
        self.role = role
        self.representing = representing
        self.from = from
        self.to = to
    }
}
