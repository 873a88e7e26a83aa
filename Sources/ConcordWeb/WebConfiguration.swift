import ConcordDomain
import Foundation
import HTTPTypes

/// How the web server runs. Read by `concord serve` from flags, then the environment, then these defaults.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Set when Concord is served over TLS (directly or behind a proxy): cookies get the Secure flag.
    public var secureCookies: Bool
    /// Header holding the client address when behind a trusted reverse proxy (e.g. `X-Forwarded-For`, `X-Real-IP`):
    /// throttling and the audit log then use the address the proxy put last in it. Set only when every request
    /// comes through the proxy; otherwise a client could name any address it liked.
    public var trustedProxyHeader: String?
    /// Request bodies larger than this are refused with 413 (issue 2: "oversized bodies (default limit 1 MiB)"); papers
    /// have their own limit (`Form.maxMultipartBytes`).
    public var maximumBodyBytes: Int
    public static let defaultMaximumBodyBytes = 1 << 20
    /// Bcrypt cost for new password hashes (12 in production; tests may lower it to run fast).
    public var bcryptCost: UInt8
    /// The virus-scan hook for uploaded papers: a shell command given the file on standard input that exits 0
    /// when the file is clean and 1 when it is infected (`clamdscan --no-summary -` does). Nil: papers are stored
    /// marked "not scanned".
    public var paperScanCommand: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, trustedProxyHeader: String? = nil,
                maximumBodyBytes: Int = defaultMaximumBodyBytes, bcryptCost: UInt8 = 12, paperScanCommand: String? = nil) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.trustedProxyHeader = trustedProxyHeader
        self.maximumBodyBytes = maximumBodyBytes
        self.bcryptCost = bcryptCost
        self.paperScanCommand = paperScanCommand
    }

    /// Whether `name` can be the `trustedProxyHeader` (a valid HTTP field name).
    public static func isHeaderName(_ name: String) -> Bool {
        HTTPField.Name(name) != nil
    }
}
