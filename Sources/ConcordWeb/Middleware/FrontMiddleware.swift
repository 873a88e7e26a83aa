import ConcordDomain
import ConcordStorage
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The outermost middleware: request id, security headers, metrics, and turning every error into a friendly
/// page or an RFC 9457 problem+json answer. No stack trace or SQL ever reaches a response.
struct FrontMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: Services
    /// `WebConfiguration.trustedProxyHeader`, when set.
    let proxyHeader: HTTPField.Name?

    init(services: Services) {
        self.services = services
        proxyHeader = services.configuration.trustedProxyHeader.flatMap { HTTPField.Name($0) }
    }

    /// No inline script or style anywhere: everything comes from /assets.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        + "frame-ancestors 'none'; form-action 'self'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.maxUploadSize = services.configuration.maximumBodyBytes
        if let proxyHeader, let forwarded = request.headers[proxyHeader] {
            context.proxiedClientAddress = Self.lastAddress(in: forwarded)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorResponse(error, request: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        if services.configuration.secureCookies {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        let elapsed = ContinuousClock.now - started
        services.metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                                status: Int(response.status.code), duration: elapsed)
        // The access log: the path only, never the query string (searches may hold names). The request id is
        // on every line through the request's logger.
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "ms": "\((milliseconds * 10).rounded() / 10)",
        ])
        return response
    }

    /// The address a proxy appended last to a forwarding header ("client, proxy1, …": the ones before it are the
    /// client's to write), or nil when that is not an IPv4 or IPv6 address.
    static func lastAddress(in header: String) -> String? {
        guard let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              (try? SocketAddress(ipAddress: last, port: 0)) != nil else { return nil }
        return last
    }

    func errorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        let isAPI = request.uri.path.hasPrefix("/api/")
        let appError: AppError
        if let known = AppError.from(error) {
            appError = known
        } else {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return isAPI
                ? Problem.response(status: .internalServerError, title: "Something went wrong",
                                   detail: "Quote reference \(context.id) to the service desk.", context: context)
                : ErrorPage.render(services: services, context: context, status: .internalServerError,
                                   title: "Sorry, there is a problem with the service",
                                   detail: "Try again later. If it keeps happening, give the service desk the reference below.")
        }
        if let unavailable = error as? DatabaseUnavailableError {
            context.logger.error("database unavailable", metadata: ["error": "\(String(reflecting: unavailable.underlying))"])
        }
        if isAPI {
            var response = Problem.response(status: appError.status, title: appError.title, detail: appError.detail,
                                            issues: { if case .invalid(let issues) = appError { return issues } else { return [] } }(),
                                            context: context)
            if case .tooManyRequests(_, let seconds) = appError { response.headers[.retryAfter] = String(seconds) }
            if case .signInRequired = appError { response.headers[.wwwAuthenticate] = "Bearer realm=\"concord\"" }
            return response
        }
        if case .signInRequired = appError {
            let target = request.method == .get ? request.uri.path : "/"
            return Response.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        var response = ErrorPage.render(services: services, context: context, status: appError.status, title: appError.title,
                                        detail: appError.detail)
        if case .tooManyRequests(_, let seconds) = appError { response.headers[.retryAfter] = String(seconds) }
        return response
    }
}

/// RFC 9457 problem details, with the fields at fault under `errors`.
enum Problem {
    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String
        let errors: [FieldIssue]?
    }

    static func response(status: HTTPResponse.Status, title: String, detail: String, issues: [FieldIssue] = [],
                         context: AppRequestContext) -> Response {
        let body = Body(type: "about:blank", title: title, status: Int(status.code), detail: detail,
                        instance: "urn:concord:request:\(context.id)", errors: issues.isEmpty ? nil : issues)
        return Response(status: status, headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: (try? ResponseJSON.bytes(body)) ?? Array("{}".utf8))))
    }
}

/// The friendly 4xx/5xx pages, each with the request's reference (its id, on every log line about it).
enum ErrorPage {
    struct Model {
        let heading: String
        let detail: String
        let status: Int
        let reference: String
    }

    static func render(services: Services, context: AppRequestContext, status: HTTPResponse.Status, title: String,
                       detail: String) -> Response {
        let layout = PageLayout.make(services: services, context: context, title: title, agencyName: nil)
        return services.templates.render("error", layout: layout,
                                         page: Model(heading: title, detail: detail, status: Int(status.code), reference: context.id), status: status)
    }
}
