/// The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, with the chain's head
/// kept in one row so concurrent writers on PostgreSQL take turns (`SELECT … FOR UPDATE`).
let m0004Audit = Migration(id: "0004", name: "audit log") { d in
    [
        """
        CREATE TABLE audit_events (
            id BIGINT PRIMARY KEY,
            occurred_at TEXT NOT NULL,
            user_id BIGINT,
            agency_id BIGINT,
            action TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT,
            outcome TEXT NOT NULL,
            request_id TEXT,
            client_address TEXT,
            changes TEXT NOT NULL,
            note TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)
        """,
        "CREATE INDEX audit_events_record ON audit_events (record_type, record_id)",
        "CREATE INDEX audit_events_user ON audit_events (user_id, id)",
        "CREATE INDEX audit_events_time ON audit_events (occurred_at)",
        "CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, last_id BIGINT NOT NULL, last_hash TEXT NOT NULL)",
        "INSERT INTO audit_chain (id, last_id, last_hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
    ] + d.appendOnly("audit_events")
}
