import ConcordDomain
import Foundation

/// The demo partnership: Kent and Medway's agencies, districts, CSP areas and bodies as the papers name them
/// (2014-07-08 pack L508–L592: responsible authorities and signatories; 2023-03-21 pack L383–L394: the ICB
/// replaced the CCGs on 1 July 2022), and one user for each role.
public enum DemoPartnership {
    public struct DemoUser: Sendable {
        public let email: String
        public let name: String
        public let agency: String
        public let role: Role
    }

    public enum DemoError: Error, CustomStringConvertible {
        case notEmpty

        public var description: String {
            "The demo partnership loads only into an empty store, and this one already has users"
        }
    }

    static let districtsByCSP: [(csp: String, districts: [String])] = [
        ("Ashford", ["Ashford"]), ("Canterbury", ["Canterbury"]), ("Dartford and Gravesham", ["Dartford", "Gravesham"]),
        ("Dover", ["Dover"]), ("Folkestone and Hythe", ["Folkestone and Hythe"]), ("Maidstone", ["Maidstone"]),
        ("Sevenoaks", ["Sevenoaks"]), ("Swale", ["Swale"]), ("Thanet", ["Thanet"]),
        ("Tonbridge and Malling", ["Tonbridge and Malling"]), ("Tunbridge Wells", ["Tunbridge Wells"]),
    ]

    static let districtCouncils = [
        "Ashford Borough Council", "Canterbury City Council", "Dartford Borough Council", "Dover District Council",
        "Folkestone and Hythe District Council", "Gravesham Borough Council", "Maidstone Borough Council",
        "Sevenoaks District Council", "Swale Borough Council", "Thanet District Council",
        "Tonbridge and Malling Borough Council", "Tunbridge Wells Borough Council",
    ]

    public static let users: [DemoUser] = [
        DemoUser(email: "admin@concord.demo", name: "Alex Administrator", agency: "Kent County Council", role: .administrator),
        DemoUser(email: "manager@concord.demo", name: "Pat Partnership-Manager", agency: "Kent County Council", role: .partnershipManager),
        DemoUser(email: "caseofficer@concord.demo", name: "Casey Case-Officer", agency: "Maidstone Borough Council", role: .caseOfficer),
        DemoUser(email: "marac@concord.demo", name: "Morgan MARAC-Coordinator", agency: "Kent Police", role: .maracCoordinator),
        DemoUser(email: "dhr@concord.demo", name: "Dana DHR-Officer", agency: "Kent County Council", role: .dhrOfficer),
        DemoUser(email: "clerk@concord.demo", name: "Chris Clerk", agency: "Kent County Council", role: .democraticServicesClerk),
        DemoUser(email: "member@concord.demo", name: "Mel Member", agency: "Kent Fire and Rescue Service", role: .partnershipMember),
        DemoUser(email: "auditor@concord.demo", name: "Avery Auditor", agency: "Kent County Council", role: .auditor),
    ]

    /// Loads the demo partnership into an empty store. `hashPassword` hashes the one demo password (the caller
    /// prints it once).
    public static func load(into database: ConcordDatabase, passwordHash: String) async throws {
        let userStore = UserStore(database: database)
        guard try await userStore.count() == 0 else { throw DemoError.notEmpty }
        let directory = DirectoryStore(database: database)
        let audit = AuditContext.commandLine
        func agency(_ name: String, _ kind: AgencyKind, responsible: Bool, from: String? = nil, to: String? = nil,
                    replacedBy: Int64? = nil) async throws -> Agency {
            try await directory.createAgency(
                AgencyInput(name: name, kind: kind, isResponsibleAuthority: responsible,
                            activeFrom: from.flatMap(CalendarDate.init(iso:)), activeTo: to.flatMap(CalendarDate.init(iso:)),
                            replacedBy: replacedBy), audit: audit)
        }
        var byName: [String: Int64] = [:]
        for (name, kind) in [("Kent Police", AgencyKind.police), ("Kent Fire and Rescue Service", .fireAndRescue),
                             ("Kent County Council", .countyCouncil), ("Medway Council", .council)] {
            byName[name] = try await agency(name, kind, responsible: true).id
        }
        for name in districtCouncils {
            byName[name] = try await agency(name, .council, responsible: true).id
        }
        let icb = try await agency("NHS Kent and Medway Integrated Care Board", .health, responsible: true, from: "2022-07-01")
        _ = try await agency("Kent and Medway Clinical Commissioning Groups", .health, responsible: true, to: "2022-06-30",
                             replacedBy: icb.id)
        let probation = try await agency("Probation Service", .probation, responsible: true, from: "2021-06-26")
        let crc = try await agency("Kent, Surrey and Sussex Community Rehabilitation Company", .probation, responsible: true,
                                   from: "2014-06-01", to: "2021-06-25", replacedBy: probation.id)
        _ = try await agency("Kent Probation Trust", .probation, responsible: true, to: "2014-05-31", replacedBy: crc.id)
        byName["Office of the Kent Police and Crime Commissioner"] =
            try await agency("Office of the Kent Police and Crime Commissioner", .pccOffice, responsible: false).id
        byName["Demo Housing Association"] = try await agency("Demo Housing Association", .housingProvider, responsible: false).id
        byName["Victim Support"] = try await agency("Victim Support", .voluntary, responsible: false).id

        for (csp, districts) in districtsByCSP {
            _ = try await directory.createCSPArea(name: csp, districts: districts.map { ($0, false) }, audit: audit)
        }
        _ = try await directory.createCSPArea(name: "Medway", districts: [("Medway", true)], audit: audit)

        let kcsp = try await directory.createBody(name: "Kent Community Safety Partnership", kind: .partnership, parentId: nil, audit: audit)
        _ = try await directory.createBody(name: "KCSP Working Group", kind: .group, parentId: kcsp.id, audit: audit)
        _ = try await directory.createBody(name: "Kent and Medway DHR Steering Group", kind: .steeringGroup, parentId: kcsp.id, audit: audit)
        _ = try await directory.createBody(name: "Kent and Medway Domestic and Sexual Abuse Tactical Group", kind: .group,
                                           parentId: nil, audit: audit)
        _ = try await directory.createBody(name: "Kent and Medway Domestic and Sexual Abuse Executive Group", kind: .board,
                                           parentId: nil, audit: audit)

        let councils = districtCouncils.compactMap { byName[$0] } + [byName["Kent County Council"]!, byName["Medway Council"]!]
        _ = try await SharingAgreementStore(database: database).create(
            SharingAgreementInput(
                title: "Kent and Medway Information Sharing Agreement (ASB)",
                purpose: "Sharing incidents of anti-social behaviour and the actions taken across all agencies, to protect repeat and vulnerable victims",
                lawfulBasis: "Crime and Disorder Act 1998 s.115; UK GDPR Art. 6(1)(e)",
                parties: Set(councils + [byName["Kent Police"]!, byName["Kent Fire and Rescue Service"]!, byName["Demo Housing Association"]!]),
                caseTypes: [.asb, .caseReview], startsOn: CalendarDate(year: 2014, month: 4, day: 1)!,
                reviewOn: CalendarDate(year: 2027, month: 3, day: 31), endsOn: nil),
            audit: audit)

        for user in users {
            _ = try await userStore.create(UserInput(email: user.email, displayName: user.name, agencyId: byName[user.agency]!,
                                                     roles: [user.role]),
                                           passwordHash: passwordHash, audit: audit)
        }
    }
}
