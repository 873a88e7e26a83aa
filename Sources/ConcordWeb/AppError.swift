import ConcordDomain
import ConcordStorage
import Hummingbird

/// Errors the web layer turns into a page or a problem+json answer. Nothing else reaches a user: any other
/// error becomes a 500 page with a reference number, and the detail goes to the log only.
public enum AppError: Error, Sendable {
    case signInRequired
    case forbidden
    case notFound
    case badRequest(String)
    case invalid([FieldIssue])
    case conflict(String)
    case tooManyRequests(String, retryAfterSeconds: Int)
    /// The body was over `limit` bytes (nil: a limit this layer did not set).
    case payloadTooLarge(limit: Int?)
    case unavailable

    var status: HTTPResponse.Status {
        switch self {
        case .signInRequired: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        }
    }

    var title: String {
        switch self {
        case .signInRequired: "Sign in required"
        case .forbidden: "You do not have permission to do this"
        case .notFound: "Page not found"
        case .badRequest: "There is a problem with the request"
        case .invalid: "There is a problem with what was entered"
        case .conflict: "This record has changed"
        case .tooManyRequests: "Too many attempts"
        case .payloadTooLarge: "The request is too large"
        case .unavailable: "Sorry, the service is unavailable"
        }
    }

    var detail: String {
        switch self {
        case .signInRequired: "Sign in to continue."
        case .forbidden: "Your role or agency does not allow this. If you think it should, contact your Concord administrator."
        case .notFound: "If you typed the web address, check it is correct. If you followed a link, the record may not exist or you may not have access to it."
        case .badRequest(let message), .conflict(let message), .tooManyRequests(let message, _): message
        case .invalid(let issues): issues.map(\.message).joined(separator: "; ")
        case .payloadTooLarge(let limit): limit.map { "The request body is larger than \(Self.describe(bytes: $0))." } ?? "The request body is too large."
        case .unavailable: "Concord cannot reach its database. Try again in a few minutes."
        }
    }

    /// A size limit as people say it: "1 MiB", "512 KiB".
    static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// Maps domain and storage errors to what the user is told.
    static func from(_ error: any Error) -> AppError? {
        switch error {
        case let error as AppError: return error
        case let error as ValidationError: return .invalid(error.issues)
        case let error as StaleRecordError: return .conflict(error.description)
        case let error as DuplicateRecordError: return .invalid([FieldIssue(error.field, error.message)])
        case is RecordNotFoundError: return .notFound
        case is AccessDeniedError: return .forbidden
        case is DatabaseUnavailableError: return .unavailable
        case let error as HTTPError where error.status == .contentTooLarge: return .payloadTooLarge(limit: nil)
        case let error as HTTPError where error.status == .notFound: return .notFound
        case let error as HTTPError where error.status == .badRequest: return .badRequest(error.body ?? "The request could not be read.")
        default: return nil
        }
    }
}
