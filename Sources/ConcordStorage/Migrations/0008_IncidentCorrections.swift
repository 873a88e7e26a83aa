/// ASB incidents become correctable: a version column for optimistic locking (existing rows start at 1).
let m0008IncidentCorrections = Migration(id: "0008", name: "asb incident versions") { _ in
    ["ALTER TABLE asb_incidents ADD COLUMN version INTEGER NOT NULL DEFAULT 1"]
}
