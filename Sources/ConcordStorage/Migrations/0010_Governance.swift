/// Governance: meetings of the partnership's bodies, agenda items in sections A–D (restricted items with their
/// Schedule 12A paragraph, reason, audience and release date), papers with their bytes and checksum,
/// attendance, chair changes, declarations of interest, minutes numbered across the body's meetings, the action
/// log and the forward plan.
let m0010Governance = Migration(id: "0010", name: "governance") { d in
    [
        """
        CREATE TABLE meetings (
            id \(d.id),
            body_id BIGINT NOT NULL REFERENCES bodies(id),
            held_on TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            venue TEXT,
            contact_name TEXT,
            contact_phone TEXT,
            contact_email TEXT,
            public_id TEXT NOT NULL UNIQUE,
            is_cancelled INTEGER NOT NULL DEFAULT 0,
            agenda_published_at TEXT,
            pack_first_page INTEGER NOT NULL DEFAULT 1,
            minutes_start_at INTEGER,
            minutes_status TEXT NOT NULL DEFAULT 'draft' CHECK (minutes_status IN ('draft', 'published', 'agreed')),
            minutes_published_at TEXT,
            minutes_agreed_at_meeting_id BIGINT REFERENCES meetings(id),
            minutes_signed_by TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            revision INTEGER NOT NULL DEFAULT 1,
            UNIQUE (body_id, held_on, starts_at))
        """,
        "CREATE INDEX meetings_held_on ON meetings (held_on)",
        """
        CREATE TABLE forward_plan (
            id \(d.id),
            body_id BIGINT NOT NULL REFERENCES bodies(id),
            title TEXT NOT NULL,
            source_minute_id BIGINT,
            for_meeting_id BIGINT REFERENCES meetings(id),
            due_by TEXT)
        """,
        """
        CREATE TABLE agenda_items (
            id \(d.id),
            meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK (section IN ('A', 'B', 'C', 'D')),
            number INTEGER NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            presenter TEXT,
            is_standing INTEGER NOT NULL DEFAULT 0,
            restricted_paragraph INTEGER,
            restricted_reason TEXT,
            restricted_audience TEXT,
            release_on TEXT,
            page_count INTEGER,
            forward_plan_id BIGINT REFERENCES forward_plan(id),
            is_withdrawn INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (meeting_id, section, number),
            CHECK (restricted_paragraph IS NULL OR restricted_reason IS NOT NULL))
        """,
        """
        CREATE TABLE papers (
            id \(d.id),
            agenda_item_id BIGINT NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            content_type TEXT NOT NULL,
            byte_count INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            page_count INTEGER,
            scan_status TEXT NOT NULL,
            content \(d.bytes) NOT NULL,
            uploaded_at TEXT NOT NULL,
            uploaded_by BIGINT REFERENCES users(id))
        """,
        "CREATE INDEX papers_item ON papers (agenda_item_id)",
        """
        CREATE TABLE meeting_attendance (
            meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            person_id BIGINT NOT NULL REFERENCES people(id),
            kind TEXT NOT NULL CHECK (kind IN ('present', 'also-present', 'in-attendance', 'apologies')),
            substitute_for_person_id BIGINT REFERENCES people(id),
            capacity TEXT,
            PRIMARY KEY (meeting_id, person_id))
        """,
        """
        CREATE TABLE chair_changes (
            id \(d.id),
            meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            person_id BIGINT NOT NULL REFERENCES people(id),
            at_minute_number INTEGER,
            note TEXT)
        """,
        """
        CREATE TABLE declarations (
            id \(d.id),
            agenda_item_id BIGINT NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
            person_id BIGINT NOT NULL REFERENCES people(id),
            interest TEXT NOT NULL)
        """,
        """
        CREATE TABLE minutes (
            id \(d.id),
            meeting_id BIGINT NOT NULL REFERENCES meetings(id),
            body_id BIGINT NOT NULL REFERENCES bodies(id),
            number INTEGER NOT NULL,
            title TEXT NOT NULL,
            agenda_item_id BIGINT REFERENCES agenda_items(id),
            cited_item_code TEXT,
            is_private INTEGER NOT NULL DEFAULT 0,
            paragraphs TEXT NOT NULL,
            resolution TEXT CHECK (resolution IN ('noted', 'agreed', 'approved', 'withdrawn', 'deferred')),
            resolution_text TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (meeting_id, number))
        """,
        "CREATE INDEX minutes_meeting ON minutes (meeting_id)",
        """
        CREATE TABLE governance_actions (
            id \(d.id),
            body_id BIGINT NOT NULL REFERENCES bodies(id),
            minute_id BIGINT NOT NULL REFERENCES minutes(id),
            owner_name TEXT NOT NULL,
            owner_person_id BIGINT REFERENCES people(id),
            description TEXT NOT NULL,
            due_meeting_id BIGINT REFERENCES meetings(id),
            due_on TEXT,
            completed_on TEXT,
            completion_note TEXT,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX governance_actions_body ON governance_actions (body_id, completed_on)",
    ]
}
