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
        router.get("/assets/concord.css", use: stylesheet)
    }

    struct HomeModel {
        struct Count {
            let label: String
            let count: Int
            let href: String
        }

        let counts: [Count]
        let canUseCases: Bool
    }

    func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let filter = try await services.visibility(for: principal)
        var counts: [HomeModel.Count] = []
        for type in CaseType.allCases where filter.caseTypes.contains(type) {
            counts.append(.init(label: type.label, count: try await services.cases.count(filter: filter, caseType: type),
                                href: "/cases?type=\(type.rawValue)"))
        }
        let layout = try await PageLayout.build(services: services, context: context, title: "My work")
        return services.templates.render("home", layout: layout,
                                         page: HomeModel(counts: counts, canUseCases: !filter.seesNothing))
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
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: services.metrics.text())))
    }

    func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = Resources.path("public/concord.css")
        guard let css = FileManager.default.contents(atPath: path) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: css)))
    }
}
