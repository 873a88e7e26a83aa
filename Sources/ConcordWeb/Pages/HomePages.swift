import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// "My work", the operations endpoints and the stylesheet.
struct HomePages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: home)
        router.get("/health", use: health)
        router.get("/metrics", use: metrics)
        router.get("/assets/{file}", use: asset)
    }

    struct HomeModel {
        struct Count {
            let label: String
            let count: Int
            let href: String
        }

        struct OverdueClock {
            let id: Int64
            let reference: String
            let clock: String
            let state: String
        }

        let counts: [Count]
        let asb: [Count]
        let marac: [Count]
        let canWorkMARAC: Bool
        let inbox: Count
        let overdue: [OverdueClock]
        let hasOverdue: Bool
        let canUseCases: Bool
        let canWorkASB: Bool
    }

    /// The signed-in person's work: ASB cases they lead, complainants still to be told about the Case Review,
    /// Case Review clocks that are overdue, overdue MARAC actions, unread messages, and how many cases of each type
    /// they can see.
    func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let filter = try await services.visibility(for: principal)
        var counts: [HomeModel.Count] = []
        for type in CaseType.allCases where filter.caseTypes.contains(type) {
            counts.append(.init(label: type.label, count: try await services.cases.count(filter: filter, caseType: type),
                                href: "/cases?type=\(type.rawValue)"))
        }
        var asb: [HomeModel.Count] = []
        var overdue: [HomeModel.OverdueClock] = []
        let canWorkASB = filter.caseTypes.contains(.asb)
        if canWorkASB {
            let mine = ASBStore.ListQuery(status: .open, leadOfficerId: principal.userId)
            asb = [
                .init(label: "Open ASB cases I lead", count: try await services.asb.count(mine, filter: filter), href: "/asb?view=mine&status=open"),
                .init(label: "Complainants to tell about the ASB Case Review",
                      count: try await services.asb.count(ASBStore.ListQuery(), promptOpenOnly: true, filter: filter), href: "/asb?view=all"),
                .init(label: "Open cases with repeat or vulnerable victims",
                      count: try await services.asb.count(ASBStore.ListQuery(status: .open, repeatOrVulnerableOnly: true), filter: filter),
                      href: "/asb?view=repeat&status=open"),
            ]
        }
        var marac: [HomeModel.Count] = []
        let canWorkMARAC = filter.caseTypes.contains(.marac)
        if canWorkMARAC {
            let today = CalendarDate(Date())
            marac = [
                .init(label: "My agency's overdue MARAC actions",
                      count: try await services.marac.overdueActionCount(filter: filter, agencyId: principal.agencyId, today: today),
                      href: "/marac/actions/overdue"),
                .init(label: "Overdue MARAC actions on cases I can see",
                      count: try await services.marac.overdueActionCount(filter: filter, today: today), href: "/marac/actions/overdue?scope=hub"),
            ]
        }
        let inbox = HomeModel.Count(label: "Unread messages", count: try await services.notifications.unreadCount(userId: principal.userId),
                                    href: "/inbox")
        if filter.caseTypes.contains(.caseReview) {
            let open = try await services.caseReviews.list(areaId: nil, openOnly: true, filter: filter, cursor: nil,
                                                           limit: CaseStore.maximumPageSize, audit: context.audit).items
            for (application, clocks) in zip(open, try await services.caseReviewClocks(for: open.map(\.dates))) {
                for clock in clocks where clock.clock.isOverdue && clock.clock.stoppedOn == nil {
                    overdue.append(.init(id: application.caseId, reference: application.reference, clock: clock.name, state: clock.clock.summary))
                }
            }
        }
        let layout = try await PageLayout.build(services: services, context: context, title: "My work")
        return services.templates.render("home", layout: layout,
                                         page: HomeModel(counts: counts, asb: asb, marac: marac, canWorkMARAC: canWorkMARAC, inbox: inbox,
                                                         overdue: overdue, hasOverdue: !overdue.isEmpty,
                                                         canUseCases: !filter.seesNothing, canWorkASB: canWorkASB))
    }

    /// 200 when the database answers, 503 when it does not.
    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reachable = await services.database.isReachable()
        let body = "{\"status\":\"\(reachable ? "ok" : "unavailable")\",\"database\":\"\(services.database.engine.rawValue)\"}"
        return Response(status: reachable ? .ok : .serviceUnavailable, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pool = services.database.poolDescription
        services.metrics.setDatabase(engine: pool.engine, maximumConnections: pool.maximumConnections,
                                     reachable: await services.database.isReachable())
        let audit = services.database.auditCommits
        services.metrics.setAuditCommits(transactions: audit.transactions, entries: audit.entries)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: services.metrics.text())))
    }

    /// The files of Resources/public, each with its content type. No other name is served.
    static let assets = ["concord.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"]

    func asset(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let contentType = Self.assets[name],
              let bytes = FileManager.default.contents(atPath: Resources.path("public/" + name)) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
