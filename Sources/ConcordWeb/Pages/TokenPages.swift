import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// A user's personal access tokens for the JSON API.
struct TokenPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/tokens", use: list)
        router.post("/account/tokens", use: create)
        router.post("/account/tokens/{id}/revoke", use: revoke)
    }

    struct Row {
        let id: Int64
        let name: String
        let prefix: String
        let created: String
        let lastUsed: String
        let revoked: Bool
    }

    private func page(_ context: AppRequestContext, newSecret: String?, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try context.requirePrincipal()
        let rows = try await services.tokens.tokens(userId: principal.userId).map {
            Row(id: $0.id, name: $0.name, prefix: $0.prefix, created: Instant.display($0.createdAt),
                lastUsed: $0.lastUsedAt.map(Instant.display) ?? "Never", revoked: $0.isRevoked)
        }
        let layout = try await PageLayout.build(services: services, context: context, title: "API tokens", errors: errors)
        return services.templates.render("account/tokens", layout: layout,
                                         page: ["rows": rows, "newSecret": newSecret as Any, "hasRows": !rows.isEmpty] as [String: Any],
                                         status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context, newSecret: nil)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var request = request
        let form = try await Form.read(&request, context: context)
        var v = Validator()
        guard let name = v.required(form["name"], field: "name", label: "a name for the token", maxLength: 80) else {
            return try await page(context, newSecret: nil, errors: v.issues)
        }
        let created = try await services.tokens.create(userId: principal.userId, name: name, audit: context.audit)
        return try await page(context, newSecret: created.secret)
    }

    func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id", as: Int64.self),
              try await services.tokens.revoke(id: id, userId: principal.userId, audit: context.audit) else {
            throw AppError.notFound
        }
        return .seeOther("/account/tokens")
    }
}
