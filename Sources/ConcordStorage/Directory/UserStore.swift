import ConcordDomain
import Foundation
import SQLKit

/// Users and their roles. Password hashes are written and read here but never returned with a `User`.
public struct UserStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public func users() async throws -> [User] {
        try await database.read { db in
            let rows = try await db.raw("SELECT * FROM users ORDER BY display_name").all()
            let roles = try await Self.roles(on: db, userIds: nil)
            return try rows.map { try Self.user($0, roles: roles) }
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await database.read { db in try await Self.user(id: id, on: db) }
    }

    static func user(id: Int64, on db: any SQLDatabase) async throws -> User? {
        guard let row = try await db.raw("SELECT * FROM users WHERE id = \(bind: id)").first() else { return nil }
        return try Self.user(row, roles: try await roles(on: db, userIds: [id]))
    }

    /// The user and stored password hash for a sign-in name, if there is such a user.
    public func credentials(email: String) async throws -> (user: User, passwordHash: String)? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM users WHERE email = \(bind: email.lowercased())").first() else {
                return nil
            }
            let id = try row.int64("id")
            return (try Self.user(row, roles: try await Self.roles(on: db, userIds: [id])), try row.string("password_hash"))
        }
    }

    public func create(_ input: UserInput, passwordHash: String, audit: AuditContext) async throws -> User {
        let engine = database.engine
        return try await rethrowingDuplicate(field: "email", message: "A user with this email address already exists") {
            try await database.write { db in
                let now = Instant.storage(Date())
                let row = try await db.raw("""
                    INSERT INTO users (email, display_name, agency_id, password_hash, is_active, password_changed_at, version, created_at, updated_at)
                    VALUES (\(bind: input.email), \(bind: input.displayName), \(bind: input.agencyId), \(bind: passwordHash), 1,
                        \(bind: now), 1, \(bind: now), \(bind: now))
                    RETURNING id
                    """).first()
                let id = try row!.int64("id")
                for role in input.roles.sorted() {
                    try await db.raw("INSERT INTO user_roles (user_id, role) VALUES (\(bind: id), \(bind: role.rawValue))").run()
                }
                let user = try await Self.user(id: id, on: db)!
                try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "user", recordId: String(id),
                                                      changes: FieldChange.created(Self.fields(user)), note: "user created"),
                                          on: db, engine: engine)
                return user
            }
        }
    }

    public func update(id: Int64, expectedVersion: Int, _ input: UserInput, audit: AuditContext) async throws -> User {
        // Roles, agency or active state may change: API tokens are looked up afresh.
        defer { database.caches.tokenOwners.removeAll() }
        let engine = database.engine
        return try await rethrowingDuplicate(field: "email", message: "A user with this email address already exists") {
            try await database.write { db in
                guard let before = try await Self.user(id: id, on: db) else { throw RecordNotFoundError(recordType: "user", id: String(id)) }
                guard try await db.raw("""
                    UPDATE users SET email = \(bind: input.email), display_name = \(bind: input.displayName),
                        agency_id = \(bind: input.agencyId), version = version + 1, updated_at = \(bind: Instant.storage(Date()))
                    WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                    """).first() != nil else {
                    throw StaleRecordError(recordType: "user", id: id)
                }
                try await db.raw("DELETE FROM user_roles WHERE user_id = \(bind: id)").run()
                for role in input.roles.sorted() {
                    try await db.raw("INSERT INTO user_roles (user_id, role) VALUES (\(bind: id), \(bind: role.rawValue))").run()
                }
                let after = try await Self.user(id: id, on: db)!
                try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "user", recordId: String(id),
                                                      changes: FieldChange.diff(before: Self.fields(before), after: Self.fields(after)),
                                                      note: "user updated"),
                                          on: db, engine: engine)
                return after
            }
        }
    }

    /// Enables or disables sign-in. Disabling ends the user's sessions and revokes their API tokens' use
    /// (tokens of an inactive user are refused at authentication).
    public func setActive(id: Int64, expectedVersion: Int, active: Bool, audit: AuditContext) async throws {
        // Roles, agency or active state may change: API tokens are looked up afresh.
        defer { database.caches.tokenOwners.removeAll() }
        let engine = database.engine
        try await database.write { db in
            guard try await db.raw("""
                UPDATE users SET is_active = \(bind: active.sqlInteger), version = version + 1, updated_at = \(bind: Instant.storage(Date()))
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else {
                throw StaleRecordError(recordType: "user", id: id)
            }
            if !active { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run() }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "user", recordId: String(id),
                                                  changes: [FieldChange(field: "active", before: String(!active), after: String(active))],
                                                  note: active ? "user enabled" : "user disabled"),
                                      on: db, engine: engine)
        }
    }

    /// Stores a new password hash and ends every session of the user (a reset signs them out everywhere).
    public func setPassword(id: Int64, passwordHash: String, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            let now = Instant.storage(Date())
            guard try await db.raw("""
                UPDATE users SET password_hash = \(bind: passwordHash), password_changed_at = \(bind: now),
                    version = version + 1, updated_at = \(bind: now)
                WHERE id = \(bind: id) RETURNING id
                """).first() != nil else {
                throw RecordNotFoundError(recordType: "user", id: String(id))
            }
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "user", recordId: String(id),
                                                  changes: [FieldChange(field: "password", before: "", after: "")],
                                                  note: "password set"),
                                      on: db, engine: engine)
        }
    }

    public func count() async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM users").first()!.int("n")
        }
    }

    static func fields(_ u: User) -> [(String, String?)] {
        [("email", u.email), ("displayName", u.displayName), ("agencyId", String(u.agencyId)),
         ("roles", u.sortedRoles.map(\.rawValue).joined(separator: ",")), ("active", String(u.isActive))]
    }

    static func roles(on db: any SQLDatabase, userIds: [Int64]?) async throws -> [Int64: Set<Role>] {
        var sql: SQLQueryString = "SELECT user_id, role FROM user_roles"
        if let userIds { sql += " WHERE user_id IN (\(binds: userIds))" }
        var result: [Int64: Set<Role>] = [:]
        for row in try await db.raw(sql).all() {
            if let role = Role(rawValue: try row.string("role")) {
                result[try row.int64("user_id"), default: []].insert(role)
            }
        }
        return result
    }

    static func user(_ row: any SQLRow, roles: [Int64: Set<Role>]) throws -> User {
        let id = try row.int64("id")
        return User(id: id, email: try row.string("email"), displayName: try row.string("display_name"),
                    agencyId: try row.int64("agency_id"), roles: roles[id] ?? [], isActive: try row.bool("is_active"),
                    version: try row.int("version"))
    }
}
