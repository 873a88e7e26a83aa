import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Finds who is making the request. Pages: the session cookie. The JSON API: a bearer personal access token
/// only — never the session cookie, so the API needs no CSRF defence.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: Services
    static let sessionCookie = "concord_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.uri.path.hasPrefix("/api/") {
            if let header = request.headers[.authorization], let secret = Self.bearerToken(header) {
                guard let user = try await services.tokens.authenticate(secret: String(secret)) else {
                    try await services.audit.record(AuditRecord(context: context.audit, action: .signInFailed,
                                                                recordType: "api-token", outcome: "denied",
                                                                note: "unknown, revoked or disabled token"))
                    throw AppError.signInRequired
                }
                context.user = user
            }
        } else if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            let values = try await services.settings.values()
            let idle = Duration.seconds(values.int(PartnershipSettings.sessionIdleMinutes) * 60)
            if let session = try await services.sessions.session(token: token, idleTimeout: idle) {
                context.user = session.user
                context.csrfToken = session.csrfToken
                context.sessionToken = token
            }
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header: the scheme in any case, then spaces (RFC 6750 §2.1,
    /// RFC 9110 §11.1); nil for another scheme. Read character by character: lowercasing the header and trimming it
    /// with Foundation's character sets was a twentieth of an authenticated API read's CPU.
    static func bearerToken(_ header: String) -> Substring? {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        guard let space = header.firstIndex(where: isBlank), header[..<space].lowercased() == "bearer" else { return nil }
        var token = header[space...].drop(while: isBlank)
        while let last = token.last, isBlank(last) { token.removeLast() }
        return token
    }
}

/// Refuses state-changing browser requests that did not come from Concord's own forms: the Origin (when sent)
/// must be this site, and the `_csrf` field must match the session's token (or, before sign-in, the
/// `concord_csrf` cookie: a double-submit token). Source: OWASP CSRF Prevention Cheat Sheet.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let anonymousCookie = "concord_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let unsafe: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
        guard unsafe.contains(request.method), !request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        if let origin = request.headers[.origin], let host = request.head.authority {
            let originHost = URL(string: origin)?.host.map { host in
                URL(string: origin)?.port.map { "\(host):\($0)" } ?? host
            }
            guard originHost == host else { throw AppError.forbidden }
        }
        var request = request
        let form = try await Form.read(&request, context: context)
        let expected = context.csrfToken ?? request.cookies[Self.anonymousCookie]?.value
        guard let expected, let given = form["_csrf"], Secrets.constantTimeEqual(expected, given) else {
            throw AppError.badRequest("The form had expired or did not come from Concord. Go back, reload the page and try again.")
        }
        return try await next(request, context)
    }
}
