import ConcordDomain
import Foundation
import SQLKit

/// The partnership's own values for the settings of `PartnershipSettings`; absent keys take the defaults.
public struct SettingsStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public func values() async throws -> SettingValues {
        try await database.read(Self.values)
    }

    static func values(on db: any SQLDatabase) async throws -> SettingValues {
        var stored: [String: String] = [:]
        var revision = 0
        for row in try await db.raw("SELECT key, value, version FROM settings").all() {
            stored[try row.string("key")] = try row.string("value")
            revision += try row.int("version")
        }
        return SettingValues(stored: stored, revision: revision)
    }

    /// Saves the changed values together, audited; values equal to what is in force are not rewritten.
    /// Refused with `StaleRecordError` when the settings changed since the editor loaded `expectedRevision`.
    public func save(_ changes: [String: String], expectedRevision: Int, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            let current = try await Self.values(on: db)
            guard current.revision == expectedRevision else {
                throw StaleRecordError(recordType: "settings page", id: 0)
            }
            let stored = current.stored
            var fieldChanges: [FieldChange] = []
            let now = Instant.storage(Date())
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
                guard let definition = PartnershipSettings.definition(key) else { continue }
                let before = current.string(definition)
                guard before != value else { continue }
                if stored[key] == nil {
                    try await db.raw("""
                        INSERT INTO settings (key, value, version, updated_at, updated_by)
                        VALUES (\(bind: key), \(bind: value), 1, \(bind: now), \(bind: audit.userId))
                        """).run()
                } else {
                    try await db.raw("""
                        UPDATE settings SET value = \(bind: value), version = version + 1, updated_at = \(bind: now),
                            updated_by = \(bind: audit.userId) WHERE key = \(bind: key)
                        """).run()
                }
                fieldChanges.append(FieldChange(field: key, before: before, after: value))
            }
            if !fieldChanges.isEmpty {
                try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "settings",
                                                      changes: fieldChanges, note: "partnership settings changed"),
                                          on: db, engine: engine)
            }
        }
    }
}
