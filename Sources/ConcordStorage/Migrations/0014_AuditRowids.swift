/// On SQLite, `id BIGINT PRIMARY KEY` (0004) is not the table's rowid: every audit entry was written to the table
/// under a hidden rowid and again to a separate index of its id. Rebuilt with `INTEGER PRIMARY KEY` (the rowid
/// itself), entries copied as they are, so the hash chain is unchanged; indexes and the append-only triggers are
/// made again. PostgreSQL's primary key is already the table's own key: nothing to do there.
let m0014AuditRowids = Migration(id: "0014", name: "audit entry ids as SQLite rowids") { d in
    guard d.engine == .sqlite else { return [] }
    let columns = AuditEventsTable.columnNames
    return [
        AuditEventsTable.create("audit_events_rebuilt", id: "INTEGER PRIMARY KEY"),
        "INSERT INTO audit_events_rebuilt (\(columns)) SELECT \(columns) FROM audit_events ORDER BY id",
        "DROP TABLE audit_events",
        "ALTER TABLE audit_events_rebuilt RENAME TO audit_events",
    ] + AuditEventsTable.indexes + d.appendOnly("audit_events")
}
