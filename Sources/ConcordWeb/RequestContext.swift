import ConcordDomain
import Hummingbird
import NIOCore

/// What a request carries through the middleware: who is signed in and their session's CSRF token.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The signed-in user, from the session cookie (pages) or a bearer token (API).
    public var user: User?
    /// The token compared with the `_csrf` field of every state-changing form.
    public var csrfToken: String?
    /// The session cookie's token, for sign-out.
    public var sessionToken: String?
    /// The client's address as the trusted reverse proxy reported it (`WebConfiguration.trustedProxyHeader`).
    public var proxiedClientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Request bodies larger than this are refused (413): `WebConfiguration.maximumBodyBytes`, set for each
    /// request by `FrontMiddleware`.
    public var maxUploadSize = WebConfiguration.defaultMaximumBodyBytes

    public var principal: Principal? { user.map(Principal.init) }

    /// The client's address as text, for throttling and the audit log: the one the trusted proxy reported, when
    /// Concord is configured behind one, else the connection's.
    public var clientAddress: String? { proxiedClientAddress ?? remoteAddress?.ipAddress }

    public var audit: AuditContext {
        AuditContext(userId: user?.id, agencyId: user?.agencyId, requestId: id, clientAddress: clientAddress)
    }

    /// The signed-in principal; throws 401 (sign-in page or problem+json) when there is none.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw AppError.signInRequired }
        return principal
    }
}
