import ConcordDomain
import Foundation
import SQLKit

/// A personal access token as its owner sees it: never the secret itself after creation.
public struct APIToken: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let userId: Int64
    public let name: String
    /// The first characters of the token, so its owner can tell tokens apart.
    public let prefix: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?

    public var isRevoked: Bool { revokedAt != nil }
}

/// Personal access tokens for the JSON API: shown once, stored as a SHA-256 digest, revocable, with the time
/// each was last used.
public struct APITokenStore: Sendable {
    let database: ConcordDatabase
    static let scheme = "concord_"

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// Issues a token; the returned secret is shown to the user once and cannot be recovered.
    public func create(userId: Int64, name: String, audit: AuditContext) async throws -> (secret: String, token: APIToken) {
        let secret = Self.scheme + Secrets.randomToken()
        let prefix = String(secret.prefix(Self.scheme.count + 6))
        let engine = database.engine
        let token = try await database.write(touchesCases: false) { db in
            let row = try await db.raw("""
                INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
                VALUES (\(bind: userId), \(bind: name), \(bind: Secrets.digest(secret)), \(bind: prefix), \(bind: Instant.storage(Date())))
                RETURNING *
                """).first()
            let token = try Self.token(row!)
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "api-token",
                                                  recordId: String(token.id), changes: FieldChange.created([("name", name), ("prefix", prefix)]),
                                                  note: "API token created"),
                                      on: db, engine: engine)
            return token
        }
        return (secret, token)
    }

    public func tokens(userId: Int64) async throws -> [APIToken] {
        try await database.read { db in
            try await db.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY id DESC").all().map(Self.token)
        }
    }

    /// Revokes one of the user's own tokens; false when there is no such live token.
    public func revoke(id: Int64, userId: Int64, audit: AuditContext) async throws -> Bool {
        defer { database.caches.tokenOwners.removeAll() }
        let engine = database.engine
        return try await database.write(touchesCases: false) { db in
            guard try await db.raw("""
                UPDATE api_tokens SET revoked_at = \(bind: Instant.storage(Date()))
                WHERE id = \(bind: id) AND user_id = \(bind: userId) AND revoked_at IS NULL RETURNING id
                """).first() != nil else { return false }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "api-token",
                                                  recordId: String(id), note: "API token revoked"),
                                      on: db, engine: engine)
            return true
        }
    }

    /// The active user a bearer token belongs to, or nil for an unknown, revoked or disabled one (owners are
    /// cached for a few seconds; revoking a token or changing a user clears the cache). Records the time of use
    /// at most once a minute.
    public func authenticate(secret: String, now: Date = Date()) async throws -> User? {
        guard secret.hasPrefix(Self.scheme) else { return nil }
        let digest = Secrets.digest(secret)
        let found = try await database.caches.tokenOwners.value(for: digest) {
            try await database.read { db -> TokenOwner? in
                guard let row = try await db.raw("""
                    SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = \(bind: digest) AND revoked_at IS NULL
                    """).first(),
                    let user = try await UserStore.user(id: try row.int64("user_id"), on: db), user.isActive
                else { return nil }
                return TokenOwner(user: user, tokenId: try row.int64("id"), lastUsedAt: try row.optionalInstant("last_used_at"))
            }
        }
        guard let found else { return nil }
        if found.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await database.write(touchesCases: false) { db in
                try await db.raw("""
                    UPDATE api_tokens SET last_used_at = \(bind: Instant.storage(now))
                    WHERE id = \(bind: found.tokenId) AND (last_used_at IS NULL OR last_used_at < \(bind: Instant.storage(now.addingTimeInterval(-60))))
                    """).run()
            }
            database.caches.tokenOwners.replace(digest, with: TokenOwner(user: found.user, tokenId: found.tokenId, lastUsedAt: now))
        }
        return found.user
    }

    static func token(_ row: any SQLRow) throws -> APIToken {
        APIToken(id: try row.int64("id"), userId: try row.int64("user_id"), name: try row.string("name"),
                 prefix: try row.string("prefix"), createdAt: try row.instant("created_at"),
                 lastUsedAt: try row.optionalInstant("last_used_at"), revokedAt: try row.optionalInstant("revoked_at"))
    }
}
