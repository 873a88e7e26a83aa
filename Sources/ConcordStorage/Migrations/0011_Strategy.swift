/// Strategy: Community Safety Agreements with their versions, priorities and themes (with lineage, leads and
/// links to the Police and Crime Plan), lists (linked plans, responsible authorities, signatories, future areas),
/// the inputs to a refresh (strategic assessments, MoRiLE, PESTELO), the action plan with its dated progress, and
/// performance measures with their values, restated baselines and commentary.
let m0011Strategy = Migration(id: "0011", name: "strategy") { d in
    [
        """
        CREATE TABLE agreements (
            id \(d.id),
            title TEXT NOT NULL UNIQUE,
            starts_on TEXT NOT NULL,
            ends_on TEXT)
        """,
        """
        CREATE TABLE agreement_versions (
            id \(d.id),
            agreement_id BIGINT NOT NULL REFERENCES agreements(id),
            number TEXT NOT NULL,
            effective_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'published')),
            changes TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (agreement_id, number))
        """,
        """
        CREATE TABLE csa_topics (
            id \(d.id),
            agreement_id BIGINT NOT NULL REFERENCES agreements(id),
            kind TEXT NOT NULL CHECK (kind IN ('priority', 'cross-cutting-theme')),
            name TEXT NOT NULL,
            includes TEXT NOT NULL,
            lead_role TEXT,
            lead_person TEXT,
            pcp_links TEXT NOT NULL,
            lineage TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (agreement_id, kind, name))
        """,
        """
        CREATE TABLE agreement_lists (
            id \(d.id),
            agreement_id BIGINT NOT NULL REFERENCES agreements(id),
            kind TEXT NOT NULL,
            text TEXT NOT NULL)
        """,
        """
        CREATE TABLE assessment_entries (
            id \(d.id),
            version_id BIGINT NOT NULL REFERENCES agreement_versions(id),
            csp_area_id BIGINT NOT NULL REFERENCES csp_areas(id),
            issue TEXT NOT NULL,
            classification TEXT NOT NULL CHECK (classification IN ('main-priority', 'cross-cutting-theme', 'part-of-broader-theme')),
            is_agreed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (version_id, csp_area_id, issue))
        """,
        """
        CREATE TABLE morile_scores (
            version_id BIGINT NOT NULL REFERENCES agreement_versions(id),
            element TEXT NOT NULL,
            threat INTEGER NOT NULL,
            risk INTEGER NOT NULL,
            harm INTEGER NOT NULL,
            PRIMARY KEY (version_id, element))
        """,
        """
        CREATE TABLE horizon_items (
            id \(d.id),
            version_id BIGINT NOT NULL REFERENCES agreement_versions(id),
            category TEXT NOT NULL,
            text TEXT NOT NULL)
        """,
        """
        CREATE TABLE csa_aims (
            id \(d.id),
            agreement_id BIGINT NOT NULL REFERENCES agreements(id),
            priority_id BIGINT REFERENCES csa_topics(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (agreement_id, number))
        """,
        """
        CREATE TABLE csa_actions (
            id \(d.id),
            aim_id BIGINT NOT NULL REFERENCES csa_aims(id),
            text TEXT NOT NULL,
            lead_agency_id BIGINT REFERENCES agencies(id),
            timescale TEXT,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE csa_action_themes (
            action_id BIGINT NOT NULL REFERENCES csa_actions(id) ON DELETE CASCADE,
            topic_id BIGINT NOT NULL REFERENCES csa_topics(id),
            PRIMARY KEY (action_id, topic_id))
        """,
        """
        CREATE TABLE csa_action_progress (
            id \(d.id),
            action_id BIGINT NOT NULL REFERENCES csa_actions(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('complete', 'in-progress', 'incomplete')),
            text TEXT NOT NULL,
            by_user_id BIGINT REFERENCES users(id),
            recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX csa_action_progress_action ON csa_action_progress (action_id, on_date)",
        """
        CREATE TABLE csa_measures (
            id \(d.id),
            agreement_id BIGINT NOT NULL REFERENCES agreements(id),
            priority_id BIGINT REFERENCES csa_topics(id),
            name TEXT NOT NULL,
            geography TEXT,
            unit TEXT NOT NULL CHECK (unit IN ('count', 'percentage')),
            polarity TEXT NOT NULL CHECK (polarity IN ('higher-is-better', 'lower-is-better')),
            source TEXT,
            period_kinds TEXT NOT NULL,
            baseline_label TEXT,
            baseline_value \(d.real),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'no-longer-monitored', 'replaced')),
            replaced_by BIGINT REFERENCES csa_measures(id),
            practitioner_only INTEGER NOT NULL DEFAULT 0,
            rag_tolerance \(d.real),
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (agreement_id, name))
        """,
        """
        CREATE TABLE csa_baseline_restatements (
            id \(d.id),
            measure_id BIGINT NOT NULL REFERENCES csa_measures(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            previous_value \(d.real) NOT NULL,
            new_value \(d.real) NOT NULL,
            note TEXT NOT NULL)
        """,
        """
        CREATE TABLE csa_measure_values (
            measure_id BIGINT NOT NULL REFERENCES csa_measures(id) ON DELETE CASCADE,
            period_kind TEXT NOT NULL,
            period_label TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            heading TEXT,
            value \(d.real) NOT NULL,
            display TEXT,
            is_unvalidated INTEGER NOT NULL DEFAULT 0,
            final_due_on TEXT,
            PRIMARY KEY (measure_id, period_kind, period_label))
        """,
        "CREATE INDEX csa_measure_values_ends ON csa_measure_values (measure_id, ends_on)",
        """
        CREATE TABLE csa_commentary (
            id \(d.id),
            measure_id BIGINT NOT NULL REFERENCES csa_measures(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            text TEXT NOT NULL,
            is_note INTEGER NOT NULL DEFAULT 0)
        """,
    ]
}
