/// ASB Case Review (Community Trigger): threshold rule sets by area and date, each area's review body and
/// dissatisfaction route, applications (the detail of a `case-review` case record) with their applicants, the
/// complaints relied on, reviewers, and recommendations.
let m0007CaseReview = Migration(id: "0007", name: "asb case review") { d in
    [
        """
        CREATE TABLE case_review_rule_sets (
            id \(d.id),
            area_id BIGINT REFERENCES csp_areas(id),
            effective_from TEXT NOT NULL,
            individual_complaints INTEGER NOT NULL,
            community_people INTEGER NOT NULL,
            window_months INTEGER NOT NULL,
            qualifying_report_months INTEGER NOT NULL,
            hate_incident_suffices INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id))
        """,
        """
        CREATE TABLE case_review_areas (
            area_id BIGINT PRIMARY KEY REFERENCES csp_areas(id),
            review_body TEXT NOT NULL,
            dissatisfaction_route TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        """
        CREATE TABLE case_review_applications (
            case_id BIGINT PRIMARY KEY REFERENCES case_records(id) ON DELETE CASCADE,
            area_id BIGINT NOT NULL REFERENCES csp_areas(id),
            received_on TEXT NOT NULL,
            channel TEXT NOT NULL,
            on_behalf_of TEXT,
            stage TEXT NOT NULL,
            threshold_met INTEGER NOT NULL,
            threshold_result TEXT NOT NULL,
            initial_decision_on TEXT,
            initial_decision_notes TEXT,
            review_body TEXT NOT NULL,
            action_finding TEXT,
            action_finding_reason TEXT,
            review_outcome_on TEXT,
            review_outcome TEXT,
            ward_member_notice_due INTEGER NOT NULL DEFAULT 0,
            ward_member_notified_on TEXT,
            dissatisfied_on TEXT,
            dissatisfaction_route TEXT,
            dissatisfaction_outcome_on TEXT,
            dissatisfaction_outcome TEXT)
        """,
        "CREATE INDEX case_review_applications_area ON case_review_applications (area_id, received_on)",
        """
        CREATE TABLE case_review_applicants (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            is_member INTEGER NOT NULL DEFAULT 0,
            person_id BIGINT REFERENCES people(id))
        """,
        "CREATE INDEX case_review_applicants_case ON case_review_applicants (case_id)",
        """
        CREATE TABLE case_review_complaints (
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            report_id BIGINT NOT NULL REFERENCES asb_incident_reports(id),
            PRIMARY KEY (case_id, report_id))
        """,
        """
        CREATE TABLE case_review_reviewers (
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            person_id BIGINT NOT NULL REFERENCES people(id),
            PRIMARY KEY (case_id, person_id))
        """,
        """
        CREATE TABLE case_review_recommendations (
            id \(d.id),
            case_id BIGINT NOT NULL REFERENCES case_records(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            owner_agency_id BIGINT NOT NULL REFERENCES agencies(id),
            due_on TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX case_review_recommendations_case ON case_review_recommendations (case_id)",
    ]
}
