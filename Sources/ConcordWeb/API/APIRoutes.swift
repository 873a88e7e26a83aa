import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The JSON API under /api/v1: bearer personal access tokens, RFC 9457 problem+json errors, limit/cursor
/// pagination. Every route is registered through `add`, which records it so a test can compare the routes with
/// the OpenAPI document served at /api/v1/openapi.json.
struct APIRoutes {
    let services: Services
    static let prefix = "/api/v1"
    static let maximumLimit = 200

    /// A module's route, registered through `add` like the others.
    typealias Route = (method: HTTPRequest.Method, path: String, handler: @Sendable (Request, AppRequestContext) async throws -> Response)

    struct Registered: Hashable, Sendable {
        let method: String
        let path: String
    }

    /// Registers the API on `router`; returns what was registered.
    @discardableResult
    func addRoutes(to router: Router<AppRequestContext>) -> [Registered] {
        var registered: [Registered] = []
        func add(_ method: HTTPRequest.Method, _ path: String,
                 _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
            router.on(RouterPath(Self.prefix + path), method: method, use: handler)
            registered.append(Registered(method: method.rawValue.lowercased(), path: Self.prefix + path))
        }
        add(.get, "/openapi.json", openAPI)
        add(.get, "/me", me)
        add(.get, "/agencies", agencies)
        add(.get, "/agencies/{id}", agency)
        add(.get, "/cases", cases)
        add(.post, "/cases", createCase)
        add(.get, "/cases/{id}", caseRecord)
        add(.get, "/audit-events", auditEvents)
        for route in ASBAPI(services: services).routes + CaseReviewAPI(services: services).routes + MARACAPI(services: services).routes
            + GovernanceAPI(services: services).routes + StrategyAPI(services: services).routes
            + FundingAPI(services: services).routes + DHRAPI(services: services).routes {
            add(route.method, route.path, route.handler)
        }
        return registered
    }

    // MARK: Helpers

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try ResponseJSON.bytes(value))))
    }

    /// `limit` (1…200, default 50) and `cursor` (an id from the previous page's `next_cursor`).
    static func paging(_ request: Request) throws -> (limit: Int, cursor: Int64?) {
        let q = request.uri.queryParameters
        var limit = 50
        if let text = q["limit"] {
            guard let value = Int(String(text)), (1...maximumLimit).contains(value) else {
                throw AppError.invalid([FieldIssue("limit", "limit must be a whole number from 1 to \(maximumLimit)")])
            }
            limit = value
        }
        var cursor: Int64?
        if let text = q["cursor"] {
            guard let value = Int64(String(text)) else { throw AppError.invalid([FieldIssue("cursor", "cursor must be a value from next_cursor")]) }
            cursor = value
        }
        return (limit, cursor)
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw AppError.notFound }
        return id
    }

    struct ListBody<Item: Encodable>: Encodable {
        let items: [Item]
        let nextCursor: Int64?

        enum CodingKeys: String, CodingKey {
            case items
            case nextCursor = "next_cursor"
        }
    }

    // MARK: Handlers

    func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.data())))
    }

    struct MeBody: Encodable {
        let id: Int64
        let email: String
        let displayName: String
        let agencyId: Int64
        let roles: [String]
    }

    func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let user = context.user!
        return try Self.json(MeBody(id: user.id, email: user.email, displayName: user.displayName, agencyId: user.agencyId,
                                    roles: user.sortedRoles.map(\.rawValue)))
    }

    func agencies(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        let (limit, cursor) = try Self.paging(request)
        let all = try await services.directory.agencies().sorted { $0.id < $1.id }.filter { cursor == nil || $0.id > cursor! }
        let items = Array(all.prefix(limit))
        return try Self.json(ListBody(items: items, nextCursor: all.count > limit ? items.last?.id : nil))
    }

    func agency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requirePrincipal()
        guard let agency = try await services.directory.agency(id: try Self.id(context)) else { throw AppError.notFound }
        return try Self.json(agency)
    }

    func cases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (limit, cursor) = try Self.paging(request)
        var type: CaseType?
        if let text = request.uri.queryParameters["type"] {
            guard let parsed = CaseType(rawValue: String(text)) else {
                throw AppError.invalid([FieldIssue("type", "type must be one of \(CaseType.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            type = parsed
        }
        let page = try await services.cases.list(filter: try await services.visibility(for: principal), caseType: type, cursor: cursor,
                                                  limit: limit, audit: context.audit)
        return try Self.json(ListBody(items: page.items, nextCursor: page.nextCursor))
    }

    func caseRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let record = try await services.cases.view(id: try Self.id(context), filter: try await services.visibility(for: principal),
                                                         audit: context.audit) else {
            throw AppError.notFound
        }
        return try Self.json(record)
    }

    struct NewCase: Decodable {
        let caseType: String
        let title: String
        let classification: String
        let sharedWith: [Int64]?
        let isRestricted: Bool?
    }

    func createCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var request = request
        let body: NewCase = try await JSONBody.decode(NewCase.self, from: &request, context: context,
                                                      allowed: ["caseType", "title", "classification", "sharedWith", "isRestricted"])
        let input = try CaseInput.validate(caseType: body.caseType, title: body.title, classification: body.classification,
                                           sharedWith: body.sharedWith ?? [], isRestricted: body.isRestricted ?? false,
                                           owningAgencyId: principal.agencyId,
                                           legacyMappings: PartnershipSettings.legacyMappings(try await services.settings.values()))
        let filter = try await services.visibility(for: principal)
        try await services.requireCreate(principal, CaseAccessFacts(caseType: input.caseType, owningAgencyId: input.owningAgencyId,
                                                                    classification: input.classification), filter: filter, context)
        let agencyIds = Set(try await services.directory.agencies().map(\.id))
        if let unknown = input.sharedWith.first(where: { !agencyIds.contains($0) }) {
            throw AppError.invalid([FieldIssue("sharedWith", "There is no agency with id \(unknown)")])
        }
        let record = try await services.cases.create(input, createdBy: principal.userId, audit: context.audit)
        return try Self.json(record, status: .created)
    }

    struct AuditEventBody: Encodable {
        let id: Int64
        let occurredAt: Date
        let userId: Int64?
        let agencyId: Int64?
        let action: String
        let recordType: String
        let recordId: String?
        let outcome: String
        let changes: [FieldChange]
        let note: String?
        let requestId: String?
        let clientAddress: String?
        let hash: String
    }

    func auditEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readAuditLog, context)
        let (limit, cursor) = try Self.paging(request)
        let q = request.uri.queryParameters
        let page = try await services.audit.search(AuditQuery(recordType: q["recordType"].map(String.init),
                                                              recordId: q["recordId"].map(String.init), beforeId: cursor, limit: limit))
        let items = page.items.map {
            AuditEventBody(id: $0.id, occurredAt: $0.record.occurredAt, userId: $0.record.context.userId, agencyId: $0.record.context.agencyId,
                           action: $0.record.action.rawValue, recordType: $0.record.recordType, recordId: $0.record.recordId,
                           outcome: $0.record.outcome, changes: $0.record.changes, note: $0.record.note,
                           requestId: $0.record.context.requestId, clientAddress: $0.record.context.clientAddress, hash: $0.hash)
        }
        return try Self.json(ListBody(items: items, nextCursor: page.nextCursor))
    }
}

/// Reads a JSON request body strictly: an object, no unknown fields, the right types, each problem named by field.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: inout Request, context: AppRequestContext,
                                     allowed: Set<String>) async throws -> T {
        let buffer = try await Form.collectLimitedBody(&request, context: context)
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AppError.badRequest("The body must be a JSON object.")
        }
        let unknown = object.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw AppError.invalid(unknown.map { FieldIssue($0, "\($0) is not a field of this request") })
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw AppError.invalid([FieldIssue(key.stringValue, "\(key.stringValue) is required")])
        } catch let DecodingError.typeMismatch(expected, error) {
            let field = error.codingPath.map(\.stringValue).joined(separator: ".")
            throw AppError.invalid([FieldIssue(field, "\(field) must be \(Self.describe(expected))")])
        } catch let DecodingError.valueNotFound(expected, error) {
            let field = error.codingPath.map(\.stringValue).joined(separator: ".")
            throw AppError.invalid([FieldIssue(field, "\(field) must be \(Self.describe(expected)), not null")])
        } catch let DecodingError.dataCorrupted(error) {
            let field = error.codingPath.map(\.stringValue).joined(separator: ".")
            // Foundation reports a number too large for its field with no field named.
            if field.isEmpty, let tooLarge = Self.fieldHoldingAHugeNumber(in: object) {
                throw AppError.invalid([FieldIssue(tooLarge, "\(tooLarge) holds a number too large for it")])
            }
            throw AppError.invalid([FieldIssue(field, "\(field): \(error.debugDescription)")])
        }
    }

    /// The dotted name of the first field (or list) holding a number beyond the 64-bit integers, if any.
    static func fieldHoldingAHugeNumber(in object: [String: Any], prefix: String = "") -> String? {
        func isHuge(_ value: Any) -> Bool {
            switch value {
            case let number as NSNumber: !(abs(number.doubleValue) < 9.2e18)
            case let list as [Any]: list.contains(where: isHuge)
            default: false
            }
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if let nested = value as? [String: Any] {
                if let found = fieldHoldingAHugeNumber(in: nested, prefix: prefix + key + ".") { return found }
            } else if isHuge(value) {
                return prefix + key
            }
        }
        return nil
    }

    /// Reads a JSON object whose nested objects are flattened to dotted names ("complainant.name"), for the
    /// module parsers that take form-style fields. Unknown fields at any depth are refused by name; lists of
    /// whole numbers and lists of text are returned separately; a list of objects named in `objectLists` becomes
    /// numbered fields as a form sends them (`"perpetrators": [{"name": …}]` → `perpetrator1.name`); any other
    /// list or a wrong type is refused.
    static func flattened(from request: inout Request, context: AppRequestContext, allowed: Set<String>,
                          numberLists: Set<String> = [], textLists: Set<String> = [], objectLists: [String: String] = [:]) async throws
        -> (fields: [String: String], lists: [String: [Int64]], texts: [String: [String]]) {
        let buffer = try await Form.collectLimitedBody(&request, context: context)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw AppError.badRequest("The body must be a JSON object.")
        }
        var fields: [String: String] = [:]
        var lists: [String: [Int64]] = [:]
        var texts: [String: [String]] = [:]
        var issues: [FieldIssue] = []
        func walk(_ object: [String: Any], prefix: String) {
            for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                let name = prefix + key
                if let nested = value as? [String: Any] {
                    walk(nested, prefix: name + ".")
                    continue
                }
                if let fieldPrefix = objectLists[name] {
                    guard let items = value as? [[String: Any]] else {
                        issues.append(FieldIssue(name, "\(name) must be a list of objects"))
                        continue
                    }
                    for (index, item) in items.enumerated() { walk(item, prefix: "\(fieldPrefix)\(index + 1).") }
                    continue
                }
                if textLists.contains(name) {
                    guard let items = value as? [String] else {
                        issues.append(FieldIssue(name, "\(name) must be a list of text"))
                        continue
                    }
                    texts[name] = items
                    continue
                }
                guard allowed.contains(name) || numberLists.contains(name) else {
                    issues.append(FieldIssue(name, "\(name) is not a field of this request"))
                    continue
                }
                if numberLists.contains(name) {
                    guard let items = value as? [Any], let numbers = items.map({ ($0 as? NSNumber).flatMap { Int64(exactly: $0.doubleValue) } }) as? [Int64] else {
                        issues.append(FieldIssue(name, "\(name) must be a list of whole numbers"))
                        continue
                    }
                    lists[name] = numbers
                } else if value is NSNull {
                    continue
                } else if let text = value as? String {
                    fields[name] = text
                } else if let number = value as? NSNumber {
                    // JSON true/false arrive as NSNumber with the char type code "c".
                    let isBoolean = String(cString: number.objCType) == "c"
                    fields[name] = isBoolean ? (number.boolValue ? "true" : "false") : number.stringValue
                } else {
                    issues.append(FieldIssue(name, "\(name) must be text, a number or true/false"))
                }
            }
        }
        walk(object, prefix: "")
        if !issues.isEmpty { throw AppError.invalid(issues) }
        return (fields, lists, texts)
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Int64.Type, is Int.Type: "a whole number"
        case is [Any].Type: "a list"
        default: "of type \(type)"
        }
    }
}
