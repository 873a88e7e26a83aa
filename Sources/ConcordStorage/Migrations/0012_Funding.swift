/// Funding: allocations from a funder for a financial year, their pots, bids with the team's review, the decision
/// and extensions, and partners' contributions. Money is integer pence.
let m0012Funding = Migration(id: "0012", name: "funding") { d in
    [
        """
        CREATE TABLE allocations (
            id \(d.id),
            name TEXT NOT NULL,
            funder TEXT NOT NULL,
            recipient TEXT NOT NULL,
            financial_year TEXT NOT NULL,
            amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
            UNIQUE (funder, recipient, financial_year, name))
        """,
        """
        CREATE TABLE pots (
            id \(d.id),
            allocation_id BIGINT NOT NULL REFERENCES allocations(id),
            name TEXT NOT NULL,
            amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
            opens_on TEXT,
            closes_on TEXT,
            after_pot_id BIGINT REFERENCES pots(id),
            UNIQUE (allocation_id, name))
        """,
        """
        CREATE TABLE bids (
            id \(d.id),
            allocation_id BIGINT NOT NULL REFERENCES allocations(id),
            pot_id BIGINT REFERENCES pots(id),
            project TEXT NOT NULL,
            lead_partner TEXT NOT NULL,
            requested_pence BIGINT NOT NULL CHECK (requested_pence > 0),
            total_cost_pence BIGINT,
            round TEXT,
            submitted_on TEXT NOT NULL,
            priorities TEXT NOT NULL,
            review TEXT NOT NULL,
            decision TEXT CHECK (decision IN ('approved', 'declined', 'withdrawn')),
            decision_reason TEXT,
            decided_by TEXT,
            decided_on TEXT,
            extensions TEXT NOT NULL,
            outcomes TEXT,
            version INTEGER NOT NULL DEFAULT 1)
        """,
        "CREATE INDEX bids_allocation ON bids (allocation_id)",
        """
        CREATE TABLE contributions (
            id \(d.id),
            partner TEXT NOT NULL,
            purpose TEXT NOT NULL,
            financial_year TEXT NOT NULL,
            expected_pence BIGINT NOT NULL CHECK (expected_pence >= 0),
            received_pence BIGINT NOT NULL DEFAULT 0,
            received_on TEXT,
            UNIQUE (partner, purpose, financial_year))
        """,
    ]
}
