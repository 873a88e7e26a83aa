import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The auditor's pages: search the log, and who has viewed a record.
struct AuditPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/audit", use: search)
        router.get("/audit/viewers/{type}/{id}", use: viewers)
    }

    struct EntryRow {
        let id: Int64
        let when: String
        let user: String
        let action: String
        let record: String
        let outcome: String
        let changes: String
        let client: String
        let requestId: String
    }

    struct SearchModel {
        let rows: [EntryRow]
        let actions: [Option]
        let recordType: String
        let recordId: String
        let userId: String
        let from: String
        let to: String
        let nextHref: String?
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readAuditLog, context)
        let q = request.uri.queryParameters
        func text(_ name: String) -> String { q[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        var v = Validator()
        let from = v.date(text("from"), field: "from", label: "the from date")
        let to = v.date(text("to"), field: "to", label: "the to date")
        let userId = Int64(text("userId"))
        if !text("userId").isEmpty && userId == nil { v.add("userId", "User id must be a number") }
        let query = AuditQuery(userId: userId, action: AuditAction(rawValue: text("action")), recordType: text("recordType").nonEmpty,
                               recordId: text("recordId").nonEmpty, from: from, to: to, beforeId: Int64(text("cursor")), limit: 50)
        let page = try await services.audit.search(query)
        let names = Dictionary(uniqueKeysWithValues: try await services.users.users().map { ($0.id, $0.displayName) })
        let rows = page.items.map { entry in
            EntryRow(id: entry.id, when: Instant.display(entry.record.occurredAt),
                     user: entry.record.context.userId.map { names[$0] ?? "user \($0)" } ?? "system",
                     action: entry.record.action.rawValue,
                     record: entry.record.recordType + (entry.record.recordId.map { " " + $0 } ?? ""),
                     outcome: entry.record.outcome,
                     changes: (entry.record.changes.map { "\($0.field): \($0.before ?? "–") → \($0.after ?? "–")" }
                        + [entry.record.note].compactMap { $0 }).joined(separator: "; "),
                     client: entry.record.context.clientAddress ?? "", requestId: entry.record.context.requestId ?? "")
        }
        var next: String?
        if let cursor = page.nextCursor {
            var components = URLComponents()
            components.queryItems = ["userId", "action", "recordType", "recordId", "from", "to"]
                .compactMap { name in text(name).nonEmpty.map { URLQueryItem(name: name, value: $0) } } + [URLQueryItem(name: "cursor", value: String(cursor))]
            next = "/audit?" + (components.percentEncodedQuery ?? "")
        }
        let model = SearchModel(rows: rows,
                                actions: AuditAction.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.action) },
                                recordType: text("recordType"), recordId: text("recordId"), userId: text("userId"),
                                from: text("from"), to: text("to"), nextHref: next)
        let layout = try await PageLayout.build(services: services, context: context, title: "Audit log", errors: v.issues)
        return services.templates.render("audit/search", layout: layout, page: model)
    }

    struct ViewerRow {
        let user: String
        let agency: String
        let views: Int
        let first: String
        let last: String
    }

    func viewers(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readAuditLog, context)
        guard let type = context.parameters.get("type"), let id = context.parameters.get("id") else { throw AppError.notFound }
        let names = Dictionary(uniqueKeysWithValues: try await services.users.users().map { ($0.id, $0.displayName) })
        let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let rows = try await services.audit.viewers(recordType: type, recordId: id).map {
            ViewerRow(user: $0.userId.map { names[$0] ?? "user \($0)" } ?? "system", agency: $0.agencyId.flatMap { agencies[$0] } ?? "",
                      views: $0.views, first: Instant.display($0.firstViewedAt), last: Instant.display($0.lastViewedAt))
        }
        let layout = try await PageLayout.build(services: services, context: context, title: "Who has viewed \(type) \(id)")
        return services.templates.render("audit/viewers", layout: layout,
                                         page: ["rows": rows, "recordType": type, "recordId": id, "isEmpty": rows.isEmpty] as [String: Any])
    }
}
