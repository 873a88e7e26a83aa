/// The working-day calendar: an imported gov.uk bank-holidays file (when there is one, it replaces the bundled
/// data for the years it covers) and the local closure days an administrator adds.
let m0005Calendar = Migration(id: "0005", name: "working-day calendar") { _ in
    [
        """
        CREATE TABLE bank_holiday_imports (
            id INTEGER PRIMARY KEY,
            data TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by BIGINT REFERENCES users(id))
        """,
        """
        CREATE TABLE closure_days (
            day TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by BIGINT REFERENCES users(id))
        """,
    ]
}
