import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird
import Logging

/// Builds the Concord web application on an open, migrated database. Used by `concord serve` and by tests.
public func buildApplication(database: ConcordDatabase, configuration: WebConfiguration,
                             logger: Logger = Logger(label: "concord")) async throws -> some ApplicationProtocol {
    let (router, _) = try await buildRouter(database: database, configuration: configuration)
    return Application(router: router,
                       configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                       services: [EscalationJob(database: database), HousekeepingJob(database: database)], logger: logger)
}

/// The router and the API routes it registered (for the OpenAPI check).
func buildRouter(database: ConcordDatabase, configuration: WebConfiguration) async throws
    -> (Router<AppRequestContext>, [APIRoutes.Registered]) {
    let services = Services(database: database, configuration: configuration, templates: try await Templates.load(),
                            metrics: HTTPMetrics())
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: FrontMiddleware(services: services))
    router.add(middleware: AuthenticationMiddleware(services: services))
    router.add(middleware: CSRFMiddleware())
    HomePages(services: services).addRoutes(to: router)
    SessionPages(services: services).addRoutes(to: router)
    CasePages(services: services).addRoutes(to: router)
    AdminPages(services: services).addRoutes(to: router)
    CalendarPages(services: services).addRoutes(to: router)
    ASBPages(services: services).addRoutes(to: router)
    CaseReviewPages(services: services).addRoutes(to: router)
    CaseReviewAdminPages(services: services).addRoutes(to: router)
    MARACPages(services: services).addRoutes(to: router)
    MARACAdminPages(services: services).addRoutes(to: router)
    InboxPages(services: services).addRoutes(to: router)
    AuditPages(services: services).addRoutes(to: router)
    TokenPages(services: services).addRoutes(to: router)
    MeetingPages(services: services).addRoutes(to: router)
    BodyPages(services: services).addRoutes(to: router)
    StrategyPages(services: services).addRoutes(to: router)
    FundingPages(services: services).addRoutes(to: router)
    DHRPages(services: services).addRoutes(to: router)
    PublicMeetingPages(services: services).addRoutes(to: router)
    let api = APIRoutes(services: services).addRoutes(to: router)
    return (router, api)
}

/// The API routes as registered, for the OpenAPI test.
public func registeredAPIRoutes(database: ConcordDatabase) async throws -> [(method: String, path: String)] {
    try await buildRouter(database: database, configuration: WebConfiguration()).1.map { ($0.method, $0.path) }
}
