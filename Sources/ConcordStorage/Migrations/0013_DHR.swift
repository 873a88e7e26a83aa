/// Domestic Homicide Reviews: the detail of restricted `dhr` case records (stage, commissioning, chair,
/// publication, the Commissioner's recommendations), every stage reached, the action plan with agencies' dated
/// updates and evidence, lessons learned and the briefings that cascaded them.
let m0013DHR = Migration(id: "0013", name: "dhr") { d in
    [
        """
        CREATE TABLE dhr_reviews (
            case_id BIGINT PRIMARY KEY REFERENCES case_records(id) ON DELETE CASCADE,
            pseudonym TEXT NOT NULL,
            csp_area TEXT,
            notified_on TEXT NOT NULL,
            stage TEXT NOT NULL,
            is_commissioned INTEGER,
            independent_chair TEXT,
            published_url TEXT,
            commissioner_recommendations_on TEXT,
            commissioner_response_on TEXT,
            sign_off_override TEXT,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE dhr_stage_events (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES dhr_reviews(case_id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            on_date TEXT NOT NULL,
            by_user_id BIGINT REFERENCES users(id),
            outcome TEXT,
            note TEXT,
            recorded_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE dhr_actions (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES dhr_reviews(case_id) ON DELETE CASCADE,
            recommendation TEXT NOT NULL,
            agency_id BIGINT NOT NULL REFERENCES agencies(id),
            action TEXT NOT NULL,
            due_on TEXT NOT NULL,
            completed_on TEXT,
            escalation_level INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX dhr_actions_case ON dhr_actions (case_id)",
        """
        CREATE TABLE dhr_action_updates (
            id \(d.id),
            action_id BIGINT NOT NULL REFERENCES dhr_actions(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            text TEXT NOT NULL,
            evidence TEXT,
            by_user_id BIGINT REFERENCES users(id),
            recorded_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE dhr_lessons (
            id \(d.id),
            case_id BIGINT REFERENCES dhr_reviews(case_id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            text TEXT NOT NULL)
        """,
        """
        CREATE TABLE dhr_briefings (
            id \(d.id),
            title TEXT NOT NULL,
            held_on TEXT NOT NULL,
            themes TEXT NOT NULL,
            attendance INTEGER NOT NULL CHECK (attendance >= 0),
            rating \(d.real))
        """,
    ]
}
