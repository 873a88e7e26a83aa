/// On SQLite, `id BIGINT PRIMARY KEY` (0004) is not the table's rowid: every audit entry was written to the table
/// under a hidden rowid and again to a separate index of its id. Rebuilt with `INTEGER PRIMARY KEY` (the rowid
/// itself), entries copied as they are, so the hash chain is unchanged; indexes and the append-only triggers are
/// made again. PostgreSQL's primary key is already the table's own key: nothing to do there.
let m0014AuditRowids = Migration(id: "0014", name: "audit entry ids as SQLite rowids") { d in
    guard d.engine == .sqlite else { return [] }
    let columns = "id, occurred_at, user_id, agency_id, action, record_type, record_id, outcome, request_id, client_address, "
        + "changes, note, prev_hash, hash"
    return [
        """
        CREATE TABLE audit_events_rebuilt (
            id INTEGER PRIMARY KEY,
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
        "INSERT INTO audit_events_rebuilt (\(columns)) SELECT \(columns) FROM audit_events ORDER BY id",
        "DROP TABLE audit_events",
        "ALTER TABLE audit_events_rebuilt RENAME TO audit_events",
        "CREATE INDEX audit_events_record ON audit_events (record_type, record_id)",
        "CREATE INDEX audit_events_user ON audit_events (user_id, id)",
        "CREATE INDEX audit_events_time ON audit_events (occurred_at)",
    ] + d.appendOnly("audit_events")
}
