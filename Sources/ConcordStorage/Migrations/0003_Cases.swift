/// The shared spine of every case: type, owning agency, shares, classification, restriction. Module tables
/// (ASB, Case Review, MARAC, DHR) hang their detail off `case_records.id`.
let m0003Cases = Migration(id: "0003", name: "case records") { d in
    [
        """
        CREATE TABLE case_records (
            id \(d.id),
            case_type TEXT NOT NULL,
            reference TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            owning_agency_id BIGINT NOT NULL REFERENCES agencies(id),
            classification_level INTEGER NOT NULL,
            classification TEXT NOT NULL,
            is_restricted INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX case_records_visibility ON case_records (case_type, owning_agency_id)",
        """
        CREATE TABLE case_shares (
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            PRIMARY KEY (case_id, agency_id))
        """,
        "CREATE INDEX case_shares_agency ON case_shares (agency_id, case_id)",
    ]
}
