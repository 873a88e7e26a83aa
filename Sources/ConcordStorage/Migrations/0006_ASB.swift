/// ASB cases: the detail of an `asb` case record, its complainants and alleged perpetrators, incidents with one
/// report per agency told (one incident, counted once), and the actions each agency took.
let m0006ASB = Migration(id: "0006", name: "asb cases") { d in
    [
        """
        CREATE TABLE asb_cases (
            case_id BIGINT PRIMARY KEY REFERENCES case_records(id) ON DELETE CASCADE,
            district_id BIGINT REFERENCES districts(id),
            lead_officer_id BIGINT REFERENCES users(id),
            risk TEXT NOT NULL,
            is_repeat_victim INTEGER NOT NULL DEFAULT 0,
            is_vulnerable_victim INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            outcome TEXT,
            prompt_raised_on TEXT,
            prompt_explained_on TEXT,
            prompt_explained_by BIGINT REFERENCES users(id))
        """,
        "CREATE INDEX asb_cases_district ON asb_cases (district_id, status)",
        "CREATE INDEX asb_cases_lead ON asb_cases (lead_officer_id, status)",
        """
        CREATE TABLE asb_parties (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            name TEXT,
            name_key TEXT,
            address TEXT,
            postcode TEXT,
            phone TEXT,
            email TEXT,
            contact_preference TEXT,
            is_vulnerable INTEGER NOT NULL DEFAULT 0,
            vulnerability_notes TEXT,
            created_at TEXT NOT NULL)
        """,
        "CREATE INDEX asb_parties_case ON asb_parties (case_id)",
        "CREATE INDEX asb_parties_name ON asb_parties (name_key)",
        "CREATE INDEX asb_parties_postcode ON asb_parties (postcode)",
        """
        CREATE TABLE asb_incidents (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            occurred_on TEXT NOT NULL,
            occurred_at TEXT,
            address TEXT,
            postcode TEXT,
            ward TEXT,
            district_id BIGINT REFERENCES districts(id),
            category TEXT NOT NULL,
            is_hate_motivated INTEGER NOT NULL DEFAULT 0,
            description TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id))
        """,
        "CREATE INDEX asb_incidents_case ON asb_incidents (case_id, occurred_on)",
        "CREATE INDEX asb_incidents_postcode ON asb_incidents (postcode)",
        """
        CREATE TABLE asb_incident_reports (
            id \(d.id),
            incident_id BIGINT NOT NULL REFERENCES asb_incidents(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            complainant_id BIGINT REFERENCES asb_parties(id),
            reported_on TEXT NOT NULL,
            channel TEXT NOT NULL,
            reference TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (incident_id, agency_id))
        """,
        "CREATE INDEX asb_reports_complainant ON asb_incident_reports (complainant_id, reported_on)",
        """
        CREATE TABLE asb_actions (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            action_type TEXT NOT NULL,
            taken_on TEXT NOT NULL,
            reason TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id))
        """,
        "CREATE INDEX asb_actions_case ON asb_actions (case_id, taken_on)",
    ]
}
