import ConcordDomain
import Foundation

/// The demo partnership: Kent and Medway's agencies, districts, CSP areas and bodies as the papers name them
/// (2014-07-08 pack L508–L592: responsible authorities and signatories; 2023-03-21 pack L383–L394: the ICB
/// replaced the CCGs on 1 July 2022), one user for each role, and the partnership's meetings, Community Safety Agreements and grants from the packs.
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
        DemoUser(email: "marac-manager@concord.demo", name: "Max MARAC-Manager", agency: "Kent Police", role: .maracCoordinator),
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
        byName["Kent and Medway IDVA Service"] = try await agency("Kent and Medway IDVA Service", .voluntary, responsible: false).id
        byName["NHS Kent and Medway Integrated Care Board"] = icb.id
        byName["Probation Service"] = probation.id

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

        var userIds: [String: Int64] = [:]
        for user in users {
            userIds[user.email] = try await userStore.create(UserInput(email: user.email, displayName: user.name, agencyId: byName[user.agency]!,
                                                                       roles: [user.role]),
                                                             passwordHash: passwordHash, audit: audit).id
        }
        try await loadMARAC(into: database, agencies: byName, users: userIds)
        try await DemoMeetings.load(into: database, bodyId: kcsp.id)
        try await DemoStrategy.load(into: database, agencies: byName)
        try await DemoFunding.load(into: database)
        try await DemoDHR.load(into: database, agencies: byName, dhrOfficer: userIds["dhr@concord.demo"]!)
    }

    /// The 2023 MARAC model: five area MARACs meeting monthly, chaired by the Hub (2023-03-21 pack, report B3). The
    /// papers do not name the five areas or their districts; these groupings and the adult female populations are
    /// illustrative. Three referrals in West Kent show a heard case, a case managed without a meeting and an
    /// overdue action.
    static func loadMARAC(into database: ConcordDatabase, agencies: [String: Int64], users: [String: Int64]) async throws {
        let store = MARACStore(database: database)
        let audit = AuditContext.commandLine
        let districts = Dictionary(uniqueKeysWithValues: try await DirectoryStore(database: database).districts().map { ($0.name, $0.id) })
        let areas: [(name: String, districts: [String], councils: [String], population: Int, firstMeeting: String)] = [
            ("West Kent", ["Maidstone", "Sevenoaks", "Tonbridge and Malling", "Tunbridge Wells"],
             ["Maidstone Borough Council", "Sevenoaks District Council", "Tonbridge and Malling Borough Council", "Tunbridge Wells Borough Council"],
             250_000, "2023-07-11"),
            ("North Kent", ["Dartford", "Gravesham", "Swale"], ["Dartford Borough Council", "Gravesham Borough Council", "Swale Borough Council"],
             160_000, "2023-07-12"),
            ("East Kent", ["Canterbury", "Thanet"], ["Canterbury City Council", "Thanet District Council"], 140_000, "2023-07-13"),
            ("South Kent", ["Ashford", "Dover", "Folkestone and Hythe"],
             ["Ashford Borough Council", "Dover District Council", "Folkestone and Hythe District Council"], 135_000, "2023-07-18"),
            ("Medway", ["Medway"], ["Medway Council"], 110_000, "2023-07-19"),
        ]
        let police = agencies["Kent Police"]!
        let coordinator = users["marac@concord.demo"]!
        var westKent: Int64 = 0
        for area in areas {
            let id = try await store.saveArea(id: nil, expectedVersion: nil, name: area.name, frequency: .monthly,
                                              firstMeetingOn: CalendarDate(iso: area.firstMeeting)!, adultFemalePopulation: area.population,
                                              districtIds: area.districts.compactMap { districts[$0] }, audit: audit)
            if area.name == "West Kent" { westKent = id }
            try await store.represent(areaId: id, agencyId: police, pointOfContactUserId: coordinator, audit: audit)
            for partner in ["Kent County Council", "NHS Kent and Medway Integrated Care Board", "Probation Service", "Kent and Medway IDVA Service",
                            "Demo Housing Association"] + area.councils {
                let pointOfContact = partner == "Maidstone Borough Council" ? users["caseofficer@concord.demo"] : nil
                try await store.represent(areaId: id, agencyId: agencies[partner]!, pointOfContactUserId: pointOfContact, audit: audit)
            }
        }
        try await store.setHubRole(userId: coordinator, role: .coordinator, audit: audit)
        try await store.setHubRole(userId: users["marac-manager@concord.demo"]!, role: .manager, audit: audit)

        let principal = Principal(userId: coordinator, agencyId: police, roles: [.maracCoordinator], displayName: "Demo")
        let calendar = try await CalendarStore(database: database).calendar()
        let settings = MARACStore.ReferralSettings(try await SettingsStore(database: database).values())
        let today = CalendarDate(Date())
        func refer(_ name: String, daysAgo: Int, yes: Int, complex: Bool, judgement: String? = nil) async throws -> Int64 {
            try await store.refer(
                ReferralInput(areaId: westKent, victimName: name, victimDateOfBirth: nil,
                              contact: VictimContact(address: "Flat 2, 14 Example Road, Maidstone", postcode: "ME14 1XQ", phone: "07700 900123",
                                                     safeContactNotes: "Call on weekday mornings only"),
                              diversity: VictimDiversity(age: 34, sex: .female, ethnicGroup: .white, disability: .no, lgbt: .no),
                              perpetrators: [NamedPerson(name: "Alex Demo", age: 36)], children: [NamedPerson(name: "Sam", age: 5)],
                              referringAgencyId: police, referringOfficer: "PC Demo", referredOn: today.adding(days: -daysAgo),
                              checklist: RiskChecklist(answers: (0..<MARACRules.checklistLength).map { $0 < yes ? .yes : .no }),
                              professionalJudgement: judgement, incidentsInLast12Months: 1, isComplex: complex),
                principal: principal, settings: settings, calendar: calendar, audit: audit)
        }
        let filter = AccessPolicy.visibilityFilter(for: principal, agreements: [], on: today)
        let heard = try await refer("Jordan Example", daysAgo: 20, yes: 17, complex: true)
        _ = try await refer("Riley Sample", daysAgo: 9, yes: 14, complex: false)
        _ = try await refer("Casey Placeholder", daysAgo: 2, yes: 6, complex: false,
                            judgement: "Recent separation and escalating threats; the score understates the risk")
        try await store.requestAction(caseId: heard, MARACActionRequest(agencyId: agencies["Maidstone Borough Council"]!,
                                                                        description: "Housing: consider a move under the reciprocal scheme",
                                                                        requestedOn: today.adding(days: -18), dueOn: today.adding(days: -4)),
                                      principal: principal, filter: filter, audit: audit)
        try await store.requestAction(caseId: heard, MARACActionRequest(agencyId: agencies["Kent and Medway IDVA Service"]!,
                                                                        description: "IDVA to agree a safety plan with the victim",
                                                                        requestedOn: today.adding(days: -18), dueOn: today.adding(days: 10)),
                                      principal: principal, filter: filter, audit: audit)
    }
}
