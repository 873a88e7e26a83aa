import ConcordDomain
import Crypto
import Foundation
import SQLiteNIO
import SQLKit

/// Writes and reads the audit log. Entries are appended inside the caller's transaction, so an audited change
/// and its entry are saved together or not at all; each entry's hash covers the previous entry's hash.
public struct AuditLog: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// The audit table's columns, in the order entries are written.
    static let columns = ["id"] + AuditEventsTable.columns.map(\.0)

    /// Appends an entry within an open write transaction.
    static func append(_ record: AuditRecord, on db: any SQLDatabase, engine: ConcordDatabase.Engine) async throws {
        try await append([record], on: db, engine: engine)
    }

    /// Appends entries in order within an open write transaction: one read of the chain head, multi-row inserts,
    /// one update of the head.
    static func append(_ records: [AuditRecord], on db: any SQLDatabase, engine: ConcordDatabase.Engine) async throws {
        guard !records.isEmpty else { return }
        var head = try await chainHead(on: db, engine: engine)
        let values = try rows(records, after: &head)
        try await write(values, head: head, on: db)
    }

    /// The last entry of the chain: its id and hash.
    struct ChainHead: Sendable {
        var id: Int64
        var hash: String
    }

    /// Reads the chain head within an open write transaction (on PostgreSQL the row stays locked until it ends).
    static func chainHead(on db: any SQLDatabase, engine: ConcordDatabase.Engine) async throws -> ChainHead {
        let lock: SQLQueryString = engine == .postgres ? " FOR UPDATE" : ""
        guard let head = try await db.raw("SELECT last_id, last_hash FROM audit_chain WHERE id = 1" + lock).first() else {
            throw AuditChainError.missingHead
        }
        return ChainHead(id: try head.decode(column: "last_id", as: Int64.self), hash: try head.decode(column: "last_hash", as: String.self))
    }

    /// The rows of `records` as entries after `head`, each hashed on the one before, and `head` moved to the last.
    /// No database is touched: an import makes its entries on another thread while its writer builds indexes.
    static func rows(_ records: [AuditRecord], after head: inout ChainHead) throws -> [SQLiteData] {
        var values: [SQLiteData] = []
        values.reserveCapacity(records.count * Self.columns.count)
        for record in records {
            head.id += 1
            let occurredAt = Instant.storage(record.occurredAt)
            let changes = try encodeChanges(record.changes)
            let hash = chainHash(previous: head.hash,
                                 canonical: AuditEntry.canonical(id: head.id, occurredAt: occurredAt, record: record, changesJSON: changes))
            values.append(contentsOf: [.integer(head.id), .text(occurredAt), .init(record.context.userId), .init(record.context.agencyId),
                                       .text(record.action.rawValue), .text(record.recordType), .init(record.recordId), .text(record.outcome),
                                       .init(record.context.requestId), .init(record.context.clientAddress), .text(changes), .init(record.note),
                                       .text(head.hash), .text(hash)])
            head.hash = hash
        }
        return values
    }

    /// Inserts rows made by `rows(_:after:)` and moves the chain head to `head`, the one they ended at.
    static func write(_ values: [SQLiteData], head: ChainHead, on db: any SQLDatabase) async throws {
        try await BulkInsert.run(values, into: "audit_events", columns: Self.columns, on: db)
        try await db.raw("UPDATE audit_chain SET last_id = \(bind: head.id), last_hash = \(bind: head.hash) WHERE id = 1").run()
    }

    /// Appends an entry in a transaction of its own (sign-in events, reads, denials). Entries that arrive while a
    /// commit is under way are committed together in the next transaction (group commit); each caller returns
    /// only once its entry is saved, so a read is never answered without its audit entry.
    public func record(_ record: AuditRecord) async throws {
        try await database.auditQueue.submit(record, to: database)
    }

    static func encodeChanges(_ changes: [FieldChange]) throws -> String {
        // Most entries (views, lists, sign-ins) change nothing.
        if changes.isEmpty { return "[]" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(changes), as: UTF8.self)
    }

    static func chainHash(previous: String, canonical: String) -> String {
        SHA256.hexDigest(of: previous, canonical)
    }

    public enum AuditChainError: Error {
        case missingHead
    }

    /// The result of walking the chain: how many entries were checked and the first that is wrong.
    public struct Verification: Sendable, Equatable {
        public let checked: Int
        public let firstBrokenId: Int64?
        public let problem: String?

        public var isIntact: Bool { firstBrokenId == nil }
    }

    /// Walks the whole chain in id order. An altered entry fails its own hash; a removed entry leaves a gap in
    /// the ids or a previous-hash that does not match; a truncated tail no longer matches the chain head.
    public func verify() async throws -> Verification {
        try await database.read { db in
            var expectedPrevious = AuditEntry.genesisHash
            var expectedId: Int64 = 1
            var checked = 0
            let batch = 5000
            while true {
                let rows = try await db.raw("""
                    SELECT * FROM audit_events WHERE id >= \(bind: expectedId) ORDER BY id LIMIT \(literal: batch)
                    """).all()
                for row in rows {
                    let entry = try AuditLog.decode(row)
                    if entry.id != expectedId {
                        return Verification(checked: checked, firstBrokenId: expectedId,
                                            problem: "entry \(expectedId) is missing (next present is \(entry.id))")
                    }
                    if entry.previousHash != expectedPrevious {
                        return Verification(checked: checked, firstBrokenId: entry.id,
                                            problem: "entry \(entry.id) does not follow the entry before it")
                    }
                    let canonical = AuditEntry.canonical(id: entry.id, occurredAt: try row.decode(column: "occurred_at", as: String.self),
                                                         record: entry.record,
                                                         changesJSON: try row.decode(column: "changes", as: String.self))
                    if AuditLog.chainHash(previous: expectedPrevious, canonical: canonical) != entry.hash {
                        return Verification(checked: checked, firstBrokenId: entry.id,
                                            problem: "entry \(entry.id) was altered after it was written")
                    }
                    expectedPrevious = entry.hash
                    expectedId += 1
                    checked += 1
                }
                if rows.count < batch { break }
            }
            if let head = try await db.raw("SELECT last_id, last_hash FROM audit_chain WHERE id = 1").first() {
                let lastId = try head.decode(column: "last_id", as: Int64.self)
                let lastHash = try head.decode(column: "last_hash", as: String.self)
                if lastId != expectedId - 1 || lastHash != expectedPrevious {
                    return Verification(checked: checked, firstBrokenId: expectedId,
                                        problem: "entries from \(expectedId) to \(lastId) were removed")
                }
            }
            return Verification(checked: checked, firstBrokenId: nil, problem: nil)
        }
    }

    /// Entries matching the query, newest first.
    public func search(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        let limit = max(1, min(query.limit, 200))
        return try await database.read { db in
            var sql: SQLQueryString = "SELECT * FROM audit_events WHERE 1 = 1"
            if let userId = query.userId { sql += " AND user_id = \(bind: userId)" }
            if let action = query.action { sql += " AND action = \(bind: action.rawValue)" }
            if let recordType = query.recordType { sql += " AND record_type = \(bind: recordType)" }
            if let recordId = query.recordId { sql += " AND record_id = \(bind: recordId)" }
            if let from = query.from { sql += " AND occurred_at >= \(bind: from.iso)" }
            if let to = query.to { sql += " AND occurred_at < \(bind: to.iso + "T99")" }
            if let before = query.beforeId { sql += " AND id < \(bind: before)" }
            sql += " ORDER BY id DESC LIMIT \(literal: limit + 1)"
            let rows = try await db.raw(sql).all()
            let entries = try rows.prefix(limit).map(AuditLog.decode)
            return Page(items: entries, nextCursor: rows.count > limit ? entries.last?.id : nil)
        }
    }

    /// Who has viewed a record: each user with their first and last view and how many.
    public struct Viewer: Sendable, Equatable {
        public let userId: Int64?
        public let agencyId: Int64?
        public let views: Int
        public let firstViewedAt: Date
        public let lastViewedAt: Date
    }

    public func viewers(recordType: String, recordId: String) async throws -> [Viewer] {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT user_id, agency_id, COUNT(*) AS views, MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at
                FROM audit_events
                WHERE record_type = \(bind: recordType) AND record_id = \(bind: recordId) AND action IN ('view', 'export')
                GROUP BY user_id, agency_id ORDER BY MAX(occurred_at) DESC
                """).all()
            return try rows.map { row in
                Viewer(userId: try row.decode(column: "user_id", as: Int64?.self),
                       agencyId: try row.decode(column: "agency_id", as: Int64?.self),
                       views: try row.decode(column: "views", as: Int.self),
                       firstViewedAt: Instant.parse(try row.decode(column: "first_at", as: String.self)) ?? .distantPast,
                       lastViewedAt: Instant.parse(try row.decode(column: "last_at", as: String.self)) ?? .distantPast)
            }
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        let changesText = try row.decode(column: "changes", as: String.self)
        let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(changesText.utf8))) ?? []
        let context = AuditContext(userId: try row.decode(column: "user_id", as: Int64?.self),
                                   agencyId: try row.decode(column: "agency_id", as: Int64?.self),
                                   requestId: try row.decode(column: "request_id", as: String?.self),
                                   clientAddress: try row.decode(column: "client_address", as: String?.self))
        let actionText = try row.decode(column: "action", as: String.self)
        let record = AuditRecord(
            occurredAt: Instant.parse(try row.decode(column: "occurred_at", as: String.self)) ?? .distantPast,
            context: context, action: AuditAction(rawValue: actionText) ?? .administration,
            recordType: try row.decode(column: "record_type", as: String.self),
            recordId: try row.decode(column: "record_id", as: String?.self),
            outcome: try row.decode(column: "outcome", as: String.self), changes: changes,
            note: try row.decode(column: "note", as: String?.self))
        return AuditEntry(id: try row.decode(column: "id", as: Int64.self), record: record,
                          previousHash: try row.decode(column: "prev_hash", as: String.self),
                          hash: try row.decode(column: "hash", as: String.self))
    }
}
