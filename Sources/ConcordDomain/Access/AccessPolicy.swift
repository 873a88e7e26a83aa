/// The one place Concord decides who may see and do what.
///
/// Case records: `VisibilityFilter` states which records a principal may see; ConcordStorage translates the
/// same filter into SQL (`VisibleQuery`), so lists, counts, searches, exports and single loads agree with
/// `decide`. A record the principal may not see does not exist for them (404).
public enum AccessPolicy {
    /// Roles that work cases of each type. Administrators and auditors run the system and read the audit log:
    /// they do not read case contents unless they also hold a case-working role.
    public static func caseRoles(for type: CaseType) -> Set<Role> {
        switch type {
        case .asb: [.caseOfficer, .partnershipManager]
        case .caseReview: [.caseOfficer, .partnershipManager]
        case .marac: [.maracCoordinator, .caseOfficer]
        case .dhr: [.dhrOfficer]
        }
    }

    /// The highest classification a principal may handle. Partnership members (elected Members, board
    /// representatives) see OFFICIAL papers; anyone with a case-working or administrative role handles
    /// OFFICIAL-SENSITIVE.
    public static func clearance(of principal: Principal) -> Classification.Level {
        principal.roles.subtracting([.partnershipMember]).isEmpty ? .official : .officialSensitive
    }

    /// What the principal may see, as plain data: the same predicate in Swift (`admits`) and in SQL.
    public static func visibilityFilter(for principal: Principal, agreements: [SharingAgreement],
                                        on date: CalendarDate) -> VisibilityFilter {
        let types = Set(CaseType.allCases.filter { !caseRoles(for: $0).isDisjoint(with: principal.roles) })
        var grants: [CaseType: Set<Int64>] = [:]
        for agreement in agreements where agreement.isInForce(on: date) && agreement.parties.contains(principal.agencyId) {
            for type in agreement.caseTypes where types.contains(type) {
                grants[type, default: []].formUnion(agreement.parties.subtracting([principal.agencyId]))
            }
        }
        return VisibilityFilter(agencyId: principal.agencyId, caseTypes: types, maximumLevel: clearance(of: principal),
                                agreementGrants: grants)
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// The principal may not know the record exists: answer 404.
        case hidden
        /// The principal sees the record but may not do this to it: answer 403.
        case forbidden
    }

    /// Whether the principal may take `action` on a case with these facts.
    /// - view, export: visible through own agency, an explicit share, or an agreement in force.
    /// - update: own agency or an explicit share (an agreement gives read access only).
    /// - delete: the owning agency only, by a partnership manager.
    /// - create: a case-working role for the type, for the principal's own agency.
    public static func decide(_ principal: Principal, _ action: CaseAction, _ facts: CaseAccessFacts,
                              filter: VisibilityFilter) -> Decision {
        if action == .create {
            guard filter.caseTypes.contains(facts.caseType), facts.owningAgencyId == principal.agencyId,
                  facts.classification.level <= filter.maximumLevel else { return .forbidden }
            return .allowed
        }
        guard filter.admits(facts) else { return .hidden }
        switch action {
        case .view, .export, .create:
            return .allowed
        case .update:
            return facts.owningAgencyId == principal.agencyId || facts.sharedWith.contains(principal.agencyId)
                ? .allowed : .forbidden
        case .delete:
            return facts.owningAgencyId == principal.agencyId && principal.has(.partnershipManager) ? .allowed : .forbidden
        }
    }

    /// Things done outside case records: administration, the audit log, settings, meetings.
    public enum Capability: String, Sendable, CaseIterable {
        case administerDirectory
        case administerSharingAgreements
        case administerSettings
        case readAuditLog
        case useCases
        /// Aggregate counts a partnership must publish (e.g. the ASB Case Review annual counts): not case
        /// content, so they cover every case, and only these roles see them.
        case readStatutoryCounts
        /// The MARAC national dataset indicators, attendance and overdue counts by agency: aggregates for the Hub,
        /// the MARAC Steering Group and the Tactical Group, not case content.
        case readMARACIndicators
        /// Area MARACs, their schedules, represented agencies and the Hub team.
        case administerMARAC
        /// Partnership meetings as members and officers see them: draft agendas and minutes, the action log and
        /// forward plan. Restricted items are decided item by item (`mayReadRestricted`).
        case readMeetings
        /// Scheduling meetings, building and publishing agendas, papers, attendance, minutes and actions.
        case manageMeetings
        /// The Community Safety Agreement, its action plan and its performance measures, for the KCSP Working
        /// Group and the Kent Community Safety Team (partners update their own actions: `mayUpdatePlanAction`).
        case manageStrategy
        /// Grant allocations, pots, bids and decisions, and the partners' contributions ledger.
        case manageFunding
        /// Domestic Homicide Reviews: the DHR team and the agencies' leads on review panels. Which reviews they see
        /// is decided case by case (`VisibleQuery`: a review is shared with its panel's agencies).
        case readDHR

        public var roles: Set<Role> {
            switch self {
            case .administerDirectory: [.administrator]
            case .administerSharingAgreements: [.administrator, .partnershipManager]
            case .administerSettings: [.administrator, .partnershipManager]
            case .readAuditLog: [.auditor, .administrator]
            case .useCases: Set(CaseType.allCases.flatMap { AccessPolicy.caseRoles(for: $0) })
            case .readStatutoryCounts: [.partnershipManager, .administrator, .auditor]
            case .readMARACIndicators: [.maracCoordinator, .partnershipManager, .administrator, .auditor]
            case .administerMARAC: [.maracCoordinator, .administrator]
            case .readMeetings: Set(Role.allCases)
            case .manageMeetings: [.democraticServicesClerk, .partnershipManager, .administrator]
            case .manageStrategy: [.partnershipManager, .administrator]
            case .manageFunding: [.partnershipManager, .administrator]
            case .readDHR: caseRoles(for: .dhr)
            }
        }
    }

    public static func may(_ principal: Principal, _ capability: Capability) -> Bool {
        !capability.roles.isDisjoint(with: principal.roles)
    }

    /// A restricted agenda item, its papers and its private minutes are read by the body's members and
    /// officers, by those who manage meetings, and by the roles the item names. Everyone else, and the public
    /// pack, sees only how many items will be taken in private and on which Schedule 12A grounds.
    public static func mayReadRestricted(_ principal: Principal, _ restriction: Restriction, isBodyMember: Bool) -> Bool {
        isBodyMember || may(principal, .manageMeetings) || !restriction.audience.isDisjoint(with: principal.roles)
    }

    /// A CSA action's progress is updated by the agency that leads it, or by the working group and the Kent
    /// Community Safety Team (2023-03-21 pack B1 6.1: the Working Group monitors the action plan).
    public static func mayUpdatePlanAction(_ principal: Principal, leadAgencyId: Int64?) -> Bool {
        may(principal, .manageStrategy) || (leadAgencyId != nil && principal.agencyId == leadAgencyId)
    }

    /// A MARAC action is updated by the agency it was requested of (its responsibility stays with the agency,
    /// SafeLives operating protocols) or by the Hub's coordinators; other partners on the case see it only.
    public static func mayUpdateMARACAction(_ principal: Principal, actionAgencyId: Int64) -> Bool {
        principal.agencyId == actionAgencyId || principal.has(.maracCoordinator)
    }
}

/// Which case records a principal may see. `admits` is the rule; ConcordStorage's `VisibleQuery` writes the
/// same rule as a WHERE clause, and the storage tests check the two agree record by record.
public struct VisibilityFilter: Sendable, Hashable {
    public let agencyId: Int64
    public let caseTypes: Set<CaseType>
    public let maximumLevel: Classification.Level
    /// For each case type, the owning agencies whose unrestricted cases an agreement in force lets this agency see.
    public let agreementGrants: [CaseType: Set<Int64>]

    public init(agencyId: Int64, caseTypes: Set<CaseType>, maximumLevel: Classification.Level,
                agreementGrants: [CaseType: Set<Int64>]) {
        self.agencyId = agencyId
        self.caseTypes = caseTypes
        self.maximumLevel = maximumLevel
        self.agreementGrants = agreementGrants
    }

    public func admits(_ facts: CaseAccessFacts) -> Bool {
        guard caseTypes.contains(facts.caseType), facts.classification.level <= maximumLevel else { return false }
        if facts.owningAgencyId == agencyId || facts.sharedWith.contains(agencyId) { return true }
        return !facts.isRestricted && (agreementGrants[facts.caseType]?.contains(facts.owningAgencyId) ?? false)
    }

    /// True when the principal can see no case at all (no case-working role): lists short-circuit to empty.
    public var seesNothing: Bool { caseTypes.isEmpty }
}
