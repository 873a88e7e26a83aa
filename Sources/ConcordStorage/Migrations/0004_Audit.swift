/// The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, with the chain's head
/// kept in one row so concurrent writers on PostgreSQL take turns (`SELECT … FOR UPDATE`).
let m0004Audit = Migration(id: "0004", name: "audit log") { d in
    [AuditEventsTable.create("audit_events", id: "BIGINT PRIMARY KEY")] + AuditEventsTable.indexes + [
        "CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, last_id BIGINT NOT NULL, last_hash TEXT NOT NULL)",
        "INSERT INTO audit_chain (id, last_id, last_hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
    ] + d.appendOnly("audit_events")
}

/// The audit table's columns and indexes: created by 0004, rebuilt with the same ones by 0014. Their text is part
/// of both migrations' checksums, so it never changes.
enum AuditEventsTable {
    static let columns = [
        ("occurred_at", "TEXT NOT NULL"), ("user_id", "BIGINT"), ("agency_id", "BIGINT"), ("action", "TEXT NOT NULL"),
        ("record_type", "TEXT NOT NULL"), ("record_id", "TEXT"), ("outcome", "TEXT NOT NULL"), ("request_id", "TEXT"),
        ("client_address", "TEXT"), ("changes", "TEXT NOT NULL"), ("note", "TEXT"), ("prev_hash", "TEXT NOT NULL"),
        ("hash", "TEXT NOT NULL"),
    ]

    /// Every column's name, the id first.
    static let columnNames = (["id"] + columns.map(\.0)).joined(separator: ", ")

    static func create(_ table: String, id: String) -> String {
        "CREATE TABLE \(table) (\n    id \(id),\n" + columns.map { "    \($0.0) \($0.1)" }.joined(separator: ",\n") + ")"
    }

    static let indexes = [
        "CREATE INDEX audit_events_record ON audit_events (record_type, record_id)",
        "CREATE INDEX audit_events_user ON audit_events (user_id, id)",
        "CREATE INDEX audit_events_time ON audit_events (occurred_at)",
    ]
}
