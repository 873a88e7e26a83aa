import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix

/// Everything the routes need, built once per application.
public struct Services: Sendable {
    public let database: ConcordDatabase
    public let configuration: WebConfiguration
    let templates: Templates
    let metrics: HTTPMetrics
    public let directory: DirectoryStore
    public let users: UserStore
    public let sessions: SessionStore
    public let tokens: APITokenStore
    public let cases: CaseStore
    public let agreements: SharingAgreementStore
    public let settings: SettingsStore
    public let audit: AuditLog
    public let calendar: CalendarStore
    public let asb: ASBStore
    public let caseReviews: CaseReviewStore
    public let marac: MARACStore
    public let notifications: NotificationStore
    public let governance: GovernanceStore
    public let strategy: StrategyStore
    public let funding: FundingStore
    public let dhr: DHRStore
    let paperScanner: PaperScanner
    let publicPages = PublicPageCache()

    init(database: ConcordDatabase, configuration: WebConfiguration, templates: Templates, metrics: HTTPMetrics) {
        self.database = database
        self.configuration = configuration
        self.templates = templates
        self.metrics = metrics
        directory = DirectoryStore(database: database)
        users = UserStore(database: database)
        sessions = SessionStore(database: database)
        tokens = APITokenStore(database: database)
        cases = CaseStore(database: database)
        agreements = SharingAgreementStore(database: database)
        settings = SettingsStore(database: database)
        audit = AuditLog(database: database)
        calendar = CalendarStore(database: database)
        asb = ASBStore(database: database)
        caseReviews = CaseReviewStore(database: database)
        marac = MARACStore(database: database)
        notifications = NotificationStore(database: database)
        governance = GovernanceStore(database: database)
        strategy = StrategyStore(database: database)
        funding = FundingStore(database: database)
        dhr = DHRStore(database: database)
        paperScanner = PaperScanner(command: configuration.paperScanCommand)
    }

    /// The one gate for routes that need a capability: the signed-in principal, or 403 with the denial audited.
    func require(_ capability: AccessPolicy.Capability, _ context: AppRequestContext) async throws -> Principal {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.may(principal, capability) else {
            throw try await denial(context, recordType: "capability", note: capability.rawValue)
        }
        return principal
    }

    /// Refuses (403) unless the policy lets `principal` open a case with `facts`.
    func requireCreate(_ principal: Principal, _ facts: CaseAccessFacts, filter: VisibilityFilter, _ context: AppRequestContext) async throws {
        guard AccessPolicy.decide(principal, .create, facts, filter: filter) == .allowed else {
            throw try await denial(context, recordType: "case", note: "create \(facts.caseType.rawValue)")
        }
    }

    /// The 403 to throw, once the refusal is in the audit log: every permission denied is audited (issue 2).
    func denial(_ context: AppRequestContext, recordType: String, recordId: String? = nil, note: String) async throws -> AppError {
        try await audit.record(AuditRecord(context: context.audit, action: .permissionDenied, recordType: recordType, recordId: recordId,
                                           outcome: "denied", note: note))
        return .forbidden
    }

    /// A page in the layout: 200, or 422 when it shows field errors.
    func page(_ template: String, _ context: AppRequestContext, title: String, page: Any, errors: [FieldIssue] = [],
              notice: String? = nil, classification: Classification = .official) async throws -> Response {
        let layout = try await PageLayout.build(services: self, context: context, title: title, errors: errors, notice: notice,
                                                classification: classification)
        return templates.render(template, layout: layout, page: page, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// An application's stage clocks on today's working-day calendar, with the partnership's limits.
    func caseReviewClocks(for application: ApplicationDates) async throws -> [(name: String, clock: WorkingDayClock)] {
        try await caseReviewClocks(for: [application]).first ?? []
    }

    /// Clocks for several applications, reading the calendar and settings once.
    func caseReviewClocks(for applications: [ApplicationDates]) async throws -> [[(name: String, clock: WorkingDayClock)]] {
        let values = try await settings.values()
        let calendar = try await calendar.calendar()
        return applications.map { application in CaseReviewRules.clocks(for: application, calendar: calendar,
                                      initialDecisionDays: values.int(PartnershipSettings.caseReviewInitialDecisionDays),
                                      outcomeDays: values.int(PartnershipSettings.caseReviewOutcomeDays),
                                      dissatisfactionDays: values.int(PartnershipSettings.caseReviewDissatisfactionDays),
                                      today: CalendarDate(Date())) }
    }

    /// Records a MARAC referral with the partnership's criteria and today's working-day calendar.
    func referMARAC(_ input: ReferralInput, principal: Principal, audit: AuditContext) async throws -> Int64 {
        try await marac.refer(input, principal: principal, settings: MARACStore.ReferralSettings(try await settings.values()),
                              calendar: try await calendar.calendar(), audit: audit)
    }

    /// Whether the principal sees MARAC victims' addresses and contact details (`MARACRules.maySeeContactDetails`).
    func maySeeVictimContact(_ principal: Principal) async throws -> Bool {
        let agency = try await directory.agency(id: principal.agencyId)?.name ?? ""
        return MARACRules.maySeeContactDetails(principal, agencyName: agency,
                                               setting: try await settings.values().string(PartnershipSettings.maracContactDetailsAgencies))
    }

    /// The working-day calendar and the limit for MARAC minutes (3 working days by default).
    func maracMinutesClockSettings() async throws -> (WorkingDayCalendar, Int) {
        (try await calendar.calendar(), try await settings.values().int(PartnershipSettings.maracMinutesWorkingDays))
    }

    /// The visibility filter for a principal today, from the agreements in force.
    func visibility(for principal: Principal) async throws -> VisibilityFilter {
        try await agreements.visibilityFilter(for: principal, on: CalendarDate(Date()))
    }
}

/// Bcrypt, run off the event loops (it is deliberately slow).
public enum PasswordHashing {
    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Verified when there is no such user, so a wrong email takes as long as a wrong password.
    static let decoyHash = Bcrypt.hash("concord-decoy-password", cost: 12)
}
