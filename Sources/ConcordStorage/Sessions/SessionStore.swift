import ConcordDomain
import Crypto
import Foundation
import SQLKit

/// A signed-in browser session as the web layer needs it.
public struct SessionInfo: Sendable, Equatable {
    public let user: User
    public let csrfToken: String
    public let createdAt: Date
}

/// Sessions, kept in the database so they survive a restart and every instance shares them. The cookie
/// carries a random 256-bit token; only its SHA-256 digest is stored, so a copy of the database cannot be
/// replayed as a cookie.
public struct SessionStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// Starts a session; returns the token for the cookie and the session's CSRF token.
    public func create(userId: Int64, clientAddress: String?, absoluteLifetime: Duration,
                       now: Date = Date()) async throws -> (token: String, csrfToken: String) {
        let token = Secrets.randomToken()
        let csrf = Secrets.randomToken()
        let expires = now.addingTimeInterval(TimeInterval(absoluteLifetime.components.seconds))
        try await database.write(touchesCases: false) { db in
            try await db.raw("""
                INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, absolute_expires_at, client_address)
                VALUES (\(bind: Secrets.digest(token)), \(bind: userId), \(bind: csrf), \(bind: Instant.storage(now)),
                    \(bind: Instant.storage(now)), \(bind: Instant.storage(expires)), \(bind: clientAddress))
                """).run()
        }
        return (token, csrf)
    }

    /// The live session for a cookie token, or nil when there is none, it has been idle longer than
    /// `idleTimeout`, it has passed its absolute expiry, or its user is disabled. Activity is recorded at most
    /// once a minute, so most requests cost one read.
    public func session(token: String, idleTimeout: Duration, now: Date = Date()) async throws -> SessionInfo? {
        let digest = Secrets.digest(token)
        let found: (SessionInfo, lastSeen: Date, expires: Date)? = try await database.read { db in
            guard let row = try await db.raw("""
                    SELECT u.*, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, s.absolute_expires_at
                    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = \(bind: digest)
                    """).first()
            else { return nil }
            let user = try UserStore.user(row, roles: try await UserStore.roles(on: db, userIds: [try row.int64("id")]))
            guard user.isActive else { return nil }
            let info = SessionInfo(user: user, csrfToken: try row.string("csrf_token"), createdAt: try row.instant("session_created_at"))
            return (info, try row.instant("last_seen_at"), try row.instant("absolute_expires_at"))
        }
        guard let found else { return nil }
        let idleLimit = found.lastSeen.addingTimeInterval(TimeInterval(idleTimeout.components.seconds))
        if now >= idleLimit || now >= found.expires {
            try await delete(token: token)
            return nil
        }
        if now.timeIntervalSince(found.lastSeen) >= 60 {
            try await database.write(touchesCases: false) { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: Instant.storage(now)) WHERE id_hash = \(bind: digest)").run()
            }
        }
        return found.0
    }

    public func delete(token: String) async throws {
        let digest = Secrets.digest(token)
        try await database.write(touchesCases: false) { db in
            try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: digest)").run()
        }
    }

    /// Removes sessions past their absolute expiry or idle for longer than `idleTimeout` (refused already, but
    /// kept until their cookie came back); returns how many.
    public func purgeExpired(idleTimeout: Duration, now: Date = Date()) async throws -> Int {
        let idleCutoff = Instant.storage(now.addingTimeInterval(-TimeInterval(idleTimeout.components.seconds)))
        let nowText = Instant.storage(now)
        return try await database.write(touchesCases: false) { db in
            try await db.raw("""
                DELETE FROM sessions WHERE absolute_expires_at <= \(bind: nowText) OR last_seen_at <= \(bind: idleCutoff)
                RETURNING id_hash
                """).all().count
        }
    }

    // MARK: Sign-in throttling

    /// Failed sign-ins under `key` (an account or a client address) since `since`.
    public func failures(key: String, since: Date) async throws -> (count: Int, latest: Date?) {
        try await database.read { db in
            let row = try await db.raw("""
                SELECT COUNT(*) AS n, MAX(occurred_at) AS latest FROM login_failures
                WHERE throttle_key = \(bind: key) AND occurred_at > \(bind: Instant.storage(since))
                """).first()!
            return (try row.int("n"), try row.optionalInstant("latest"))
        }
    }

    public func recordFailure(keys: [String], now: Date = Date()) async throws {
        try await database.write(touchesCases: false) { db in
            for key in keys {
                try await db.raw("""
                    INSERT INTO login_failures (throttle_key, occurred_at) VALUES (\(bind: key), \(bind: Instant.storage(now)))
                    """).run()
            }
        }
    }

    /// Removes failed sign-ins from before `cutoff` (the start of the lockout period: they no longer count; the
    /// audit log keeps every one); returns how many.
    public func purgeFailures(before cutoff: Date) async throws -> Int {
        try await database.write(touchesCases: false) { db in
            try await db.raw("""
                DELETE FROM login_failures WHERE occurred_at <= \(bind: Instant.storage(cutoff)) RETURNING id
                """).all().count
        }
    }

    public func clearFailures(key: String) async throws {
        try await database.write(touchesCases: false) { db in
            try await db.raw("DELETE FROM login_failures WHERE throttle_key = \(bind: key)").run()
        }
    }
}

/// Random tokens and their digests.
public enum Secrets {
    /// 32 random bytes, base64url without padding (safe in a cookie and a header).
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func digest(_ token: String) -> String {
        SHA256.hexDigest(of: token)
    }

    /// Compares two secrets in time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(SHA256.hash(data: Data(a.utf8)))
        let y = Array(SHA256.hash(data: Data(b.utf8)))
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
