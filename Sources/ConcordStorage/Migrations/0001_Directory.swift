/// Agencies, districts and CSP areas, people, users and roles, bodies and memberships, information-sharing
/// agreements, partnership settings.
let m0001Directory = Migration(id: "0001", name: "directory") { d in
    [
        """
        CREATE TABLE agencies (
            id \(d.id),
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            responsible_authority INTEGER NOT NULL DEFAULT 0,
            active_from TEXT,
            active_to TEXT,
            replaced_by BIGINT REFERENCES agencies(id),
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)
        """,
        "CREATE TABLE csp_areas (id \(d.id), name TEXT NOT NULL UNIQUE)",
        """
        CREATE TABLE districts (
            id \(d.id),
            name TEXT NOT NULL UNIQUE,
            is_unitary INTEGER NOT NULL DEFAULT 0,
            csp_area_id BIGINT REFERENCES csp_areas(id))
        """,
        """
        CREATE TABLE people (
            id \(d.id),
            name TEXT NOT NULL,
            job_title TEXT,
            agency_id BIGINT REFERENCES agencies(id),
            email TEXT)
        """,
        """
        CREATE TABLE users (
            id \(d.id),
            email TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            password_hash TEXT NOT NULL,
            is_active INTEGER NOT NULL DEFAULT 1,
            password_changed_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE user_roles (
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (user_id, role))
        """,
        """
        CREATE TABLE bodies (
            id \(d.id),
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            parent_id BIGINT REFERENCES bodies(id))
        """,
        """
        CREATE TABLE memberships (
            id \(d.id),
            body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
            person_id BIGINT NOT NULL REFERENCES people(id),
            role TEXT NOT NULL,
            representing TEXT,
            from_date TEXT,
            to_date TEXT)
        """,
        "CREATE INDEX memberships_body ON memberships (body_id)",
        """
        CREATE TABLE sharing_agreements (
            id \(d.id),
            title TEXT NOT NULL,
            purpose TEXT NOT NULL,
            lawful_basis TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            review_on TEXT,
            ends_on TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE sharing_agreement_parties (
            agreement_id BIGINT NOT NULL REFERENCES sharing_agreements(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            PRIMARY KEY (agreement_id, agency_id))
        """,
        """
        CREATE TABLE sharing_agreement_case_types (
            agreement_id BIGINT NOT NULL REFERENCES sharing_agreements(id) ON DELETE CASCADE,
            case_type TEXT NOT NULL,
            PRIMARY KEY (agreement_id, case_type))
        """,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            updated_by BIGINT REFERENCES users(id))
        """,
    ]
}
