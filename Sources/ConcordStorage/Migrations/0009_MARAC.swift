/// MARAC: area MARACs with their schedules, districts, represented agencies and points of contact; the Hub team;
/// the checklist's question labels; referrals (the detail of a `marac` case record) with perpetrators and
/// children; agencies' research; actions and their escalation log; meetings with attendance, per-case minutes and
/// the review of incomplete actions. Also the cross-cutting in-app inbox, the email outbox a mail relay reads, and
/// the database leases that keep background jobs to one instance.
let m0009MARAC = Migration(id: "0009", name: "marac") { d in
    [
        """
        CREATE TABLE marac_areas (
            id \(d.id),
            name TEXT NOT NULL UNIQUE,
            frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'monthly')),
            first_meeting_on TEXT NOT NULL,
            adult_female_population INTEGER,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE marac_area_districts (
            area_id BIGINT NOT NULL REFERENCES marac_areas(id) ON DELETE CASCADE,
            district_id BIGINT NOT NULL REFERENCES districts(id),
            PRIMARY KEY (area_id, district_id))
        """,
        """
        CREATE TABLE marac_area_agencies (
            area_id BIGINT NOT NULL REFERENCES marac_areas(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            point_of_contact_user_id BIGINT REFERENCES users(id),
            PRIMARY KEY (area_id, agency_id))
        """,
        """
        CREATE TABLE marac_hub_staff (
            user_id BIGINT PRIMARY KEY REFERENCES users(id),
            hub_role TEXT NOT NULL CHECK (hub_role IN ('manager', 'supervisor', 'coordinator')))
        """,
        """
        CREATE TABLE marac_checklist_questions (
            number INTEGER PRIMARY KEY,
            label TEXT NOT NULL)
        """,
        """
        CREATE TABLE marac_meetings (
            id \(d.id),
            area_id BIGINT NOT NULL REFERENCES marac_areas(id),
            held_on TEXT NOT NULL,
            chair_user_id BIGINT REFERENCES users(id),
            minutes_issued_on TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (area_id, held_on))
        """,
        """
        CREATE TABLE marac_cases (
            case_id BIGINT PRIMARY KEY REFERENCES case_records(id) ON DELETE CASCADE,
            area_id BIGINT NOT NULL REFERENCES marac_areas(id),
            victim_name TEXT NOT NULL,
            victim_key TEXT NOT NULL,
            victim_date_of_birth TEXT,
            victim_age INTEGER,
            victim_sex TEXT,
            victim_ethnic_group TEXT,
            victim_disability TEXT,
            victim_lgbt TEXT,
            victim_address TEXT,
            victim_postcode TEXT,
            victim_phone TEXT,
            victim_email TEXT,
            victim_safe_contact TEXT,
            referring_agency_id BIGINT NOT NULL REFERENCES agencies(id),
            referring_officer TEXT NOT NULL,
            referred_on TEXT NOT NULL,
            checklist TEXT NOT NULL,
            score INTEGER NOT NULL,
            routes TEXT NOT NULL,
            is_repeat INTEGER NOT NULL,
            professional_judgement TEXT,
            incidents_12_months INTEGER NOT NULL,
            is_complex INTEGER NOT NULL DEFAULT 0,
            marac_date TEXT,
            meeting_id BIGINT REFERENCES marac_meetings(id),
            meeting_requested_on TEXT,
            meeting_requested_by BIGINT REFERENCES users(id),
            meeting_request_reason TEXT,
            children INTEGER NOT NULL DEFAULT 0,
            UNIQUE (victim_key, referred_on))
        """,
        "CREATE INDEX marac_cases_area_date ON marac_cases (area_id, marac_date)",
        "CREATE INDEX marac_cases_victim ON marac_cases (victim_key, referred_on)",
        """
        CREATE TABLE marac_people (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('perpetrator', 'child')),
            name TEXT,
            age INTEGER)
        """,
        "CREATE INDEX marac_people_case ON marac_people (case_id)",
        """
        CREATE TABLE marac_research (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            author_user_id BIGINT REFERENCES users(id),
            body TEXT NOT NULL,
            added_at TEXT NOT NULL)
        """,
        "CREATE INDEX marac_research_case ON marac_research (case_id)",
        """
        CREATE TABLE marac_actions (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            area_id BIGINT NOT NULL REFERENCES marac_areas(id),
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            assignee_user_id BIGINT REFERENCES users(id),
            description TEXT NOT NULL,
            requested_on TEXT NOT NULL,
            requested_by BIGINT REFERENCES users(id),
            due_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'not-completed')),
            reason TEXT CHECK (reason IS NULL OR reason IN ('circumstances-changed', 'agency-did-not-act')),
            note TEXT,
            closed_on TEXT,
            escalation_level INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX marac_actions_open ON marac_actions (status, due_on)",
        "CREATE INDEX marac_actions_case ON marac_actions (case_id)",
        "CREATE INDEX marac_actions_agency ON marac_actions (agency_id, status, due_on)",
        """
        CREATE TABLE marac_escalations (
            id \(d.id),
            subject TEXT NOT NULL CHECK (subject IN ('action', 'attendance')),
            action_id BIGINT REFERENCES marac_actions(id) ON DELETE CASCADE,
            area_id BIGINT NOT NULL REFERENCES marac_areas(id),
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            quarter TEXT,
            level INTEGER NOT NULL,
            rung TEXT NOT NULL,
            recipients INTEGER NOT NULL,
            escalated_at TEXT NOT NULL,
            note TEXT NOT NULL)
        """,
        "CREATE INDEX marac_escalations_action ON marac_escalations (action_id)",
        "CREATE UNIQUE INDEX marac_escalations_attendance ON marac_escalations (area_id, agency_id, quarter, level)",
        """
        CREATE TABLE marac_attendance (
            meeting_id BIGINT NOT NULL REFERENCES marac_meetings(id) ON DELETE CASCADE,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            attended INTEGER NOT NULL,
            representative TEXT,
            confidentiality_acknowledged INTEGER NOT NULL DEFAULT 0,
            information_sent INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (meeting_id, agency_id))
        """,
        """
        CREATE TABLE marac_minutes (
            meeting_id BIGINT NOT NULL REFERENCES marac_meetings(id) ON DELETE CASCADE,
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            decisions TEXT NOT NULL,
            recorded_by BIGINT REFERENCES users(id),
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, case_id))
        """,
        """
        CREATE TABLE marac_action_reviews (
            meeting_id BIGINT NOT NULL REFERENCES marac_meetings(id) ON DELETE CASCADE,
            action_id BIGINT NOT NULL REFERENCES marac_actions(id) ON DELETE CASCADE,
            reason TEXT NOT NULL CHECK (reason IN ('circumstances-changed', 'agency-did-not-act')),
            note TEXT,
            reviewed_by BIGINT REFERENCES users(id),
            PRIMARY KEY (meeting_id, action_id))
        """,
        """
        CREATE TABLE notifications (
            id \(d.id),
            user_id BIGINT NOT NULL REFERENCES users(id),
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            link TEXT,
            created_at TEXT NOT NULL,
            read_at TEXT)
        """,
        "CREATE INDEX notifications_user ON notifications (user_id, read_at)",
        """
        CREATE TABLE email_outbox (
            id \(d.id),
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT)
        """,
        """
        CREATE TABLE job_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at TEXT NOT NULL)
        """,
    ]
}
