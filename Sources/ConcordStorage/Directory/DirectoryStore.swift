import ConcordDomain
import Foundation
import SQLKit

/// Agencies, districts and CSP areas, people, users, bodies and memberships. Every change is audited in the
/// same transaction; editable records carry a version and a stale update is refused.
public struct DirectoryStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    // MARK: Agencies

    public func agencies() async throws -> [Agency] {
        try await database.read { db in
            try await db.raw("SELECT * FROM agencies ORDER BY name").all().map(Self.agency)
        }
    }

    public func agency(id: Int64) async throws -> Agency? {
        try await database.read { db in
            try await db.raw("SELECT * FROM agencies WHERE id = \(bind: id)").first().map(Self.agency)
        }
    }

    public func createAgency(_ input: AgencyInput, audit: AuditContext) async throws -> Agency {
        let engine = database.engine
        return try await rethrowingDuplicate(field: "name", message: "An agency with this name already exists") {
            try await database.write { db in
                let now = Instant.storage(Date())
                let row = try await db.raw("""
                    INSERT INTO agencies (name, kind, responsible_authority, active_from, active_to, replaced_by, version, created_at, updated_at)
                    VALUES (\(bind: input.name), \(bind: input.kind.rawValue), \(bind: input.isResponsibleAuthority.sqlInteger),
                        \(bind: input.activeFrom?.iso), \(bind: input.activeTo?.iso), \(bind: input.replacedBy), 1, \(bind: now), \(bind: now))
                    RETURNING *
                    """).first()
                let agency = try Self.agency(row!)
                try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "agency",
                                                      recordId: String(agency.id), changes: FieldChange.created(Self.fields(agency))),
                                          on: db, engine: engine)
                return agency
            }
        }
    }

    /// Saves the new values when `expectedVersion` is still the stored one; otherwise throws `StaleRecordError`.
    public func updateAgency(id: Int64, expectedVersion: Int, _ input: AgencyInput, audit: AuditContext) async throws -> Agency {
        let engine = database.engine
        return try await rethrowingDuplicate(field: "name", message: "An agency with this name already exists") {
            try await database.write { db in
                guard let beforeRow = try await db.raw("SELECT * FROM agencies WHERE id = \(bind: id)").first() else {
                    throw RecordNotFoundError(recordType: "agency", id: String(id))
                }
                let before = try Self.agency(beforeRow)
                guard let row = try await db.raw("""
                    UPDATE agencies SET name = \(bind: input.name), kind = \(bind: input.kind.rawValue),
                        responsible_authority = \(bind: input.isResponsibleAuthority.sqlInteger),
                        active_from = \(bind: input.activeFrom?.iso), active_to = \(bind: input.activeTo?.iso),
                        replaced_by = \(bind: input.replacedBy), version = version + 1, updated_at = \(bind: Instant.storage(Date()))
                    WHERE id = \(bind: id) AND version = \(bind: expectedVersion)
                    RETURNING *
                    """).first() else {
                    throw StaleRecordError(recordType: "agency", id: id)
                }
                let after = try Self.agency(row)
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "agency", recordId: String(id),
                                                      changes: FieldChange.diff(before: Self.fields(before), after: Self.fields(after))),
                                          on: db, engine: engine)
                return after
            }
        }
    }

    static func fields(_ a: Agency) -> [(String, String?)] {
        [("name", a.name), ("kind", a.kind.rawValue), ("responsibleAuthority", String(a.isResponsibleAuthority)),
         ("activeFrom", a.activeFrom?.iso), ("activeTo", a.activeTo?.iso), ("replacedBy", a.replacedBy.map(String.init))]
    }

    static func agency(_ row: any SQLRow) throws -> Agency {
        Agency(id: try row.int64("id"), name: try row.string("name"),
               kind: AgencyKind(rawValue: try row.string("kind")) ?? .voluntary,
               isResponsibleAuthority: try row.bool("responsible_authority"), activeFrom: try row.date("active_from"),
               activeTo: try row.date("active_to"), replacedBy: try row.optionalInt64("replaced_by"), version: try row.int("version"))
    }

    // MARK: Districts and CSP areas

    public func cspAreas() async throws -> [CSPArea] {
        try await database.read { db in
            try await db.raw("SELECT id, name FROM csp_areas ORDER BY name").all().map {
                CSPArea(id: try $0.int64("id"), name: try $0.string("name"))
            }
        }
    }

    public func districts() async throws -> [District] {
        try await database.read { db in
            try await db.raw("SELECT * FROM districts ORDER BY name").all().map {
                District(id: try $0.int64("id"), name: try $0.string("name"), isUnitary: try $0.bool("is_unitary"),
                         cspAreaId: try $0.optionalInt64("csp_area_id"))
            }
        }
    }

    /// Creates a CSP area and its districts together.
    public func createCSPArea(name: String, districts: [(name: String, isUnitary: Bool)], audit: AuditContext) async throws -> CSPArea {
        let engine = database.engine
        return try await database.write { db in
            let row = try await db.raw("INSERT INTO csp_areas (name) VALUES (\(bind: name)) RETURNING id").first()
            let area = CSPArea(id: try row!.int64("id"), name: name)
            for district in districts {
                try await db.raw("""
                    INSERT INTO districts (name, is_unitary, csp_area_id)
                    VALUES (\(bind: district.name), \(bind: district.isUnitary.sqlInteger), \(bind: area.id))
                    """).run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "csp-area",
                                                  recordId: String(area.id),
                                                  changes: FieldChange.created([("name", name),
                                                                                ("districts", districts.map(\.name).joined(separator: ", "))])),
                                      on: db, engine: engine)
            return area
        }
    }

    // MARK: People, bodies and memberships

    public func people() async throws -> [Person] {
        try await database.read { db in
            try await db.raw("SELECT * FROM people ORDER BY name").all().map(Self.person)
        }
    }

    public func createPerson(_ person: Person, audit: AuditContext) async throws -> Person {
        var validator = Validator()
        _ = validator.required(person.name, field: "name", label: "the person's name")
        if let email = person.email, !email.contains("@") { validator.add("email", "Enter the email address like name@kent.gov.uk") }
        try validator.check()
        let engine = database.engine
        return try await database.write { db in
            if let agencyId = person.agencyId {
                try await CaseStore.requireExisting(table: "agencies", ids: [agencyId], field: "agencyId", label: "agency", on: db)
            }
            let row = try await db.raw("""
                INSERT INTO people (name, job_title, agency_id, email)
                VALUES (\(bind: person.name), \(bind: person.jobTitle), \(bind: person.agencyId), \(bind: person.email))
                RETURNING *
                """).first()
            let created = try Self.person(row!)
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "person", recordId: String(created.id),
                                                  changes: FieldChange.created([("name", created.name), ("jobTitle", created.jobTitle)])),
                                      on: db, engine: engine)
            return created
        }
    }

    static func person(_ row: any SQLRow) throws -> Person {
        Person(id: try row.int64("id"), name: try row.string("name"), jobTitle: try row.optionalString("job_title"),
               agencyId: try row.optionalInt64("agency_id"), email: try row.optionalString("email"))
    }

    public func bodies() async throws -> [Body] {
        try await database.read { db in
            try await db.raw("SELECT * FROM bodies ORDER BY id").all().map {
                Body(id: try $0.int64("id"), name: try $0.string("name"), kind: BodyKind(rawValue: try $0.string("kind")) ?? .group,
                     parentId: try $0.optionalInt64("parent_id"))
            }
        }
    }

    public func createBody(name: String, kind: BodyKind, parentId: Int64?, audit: AuditContext) async throws -> Body {
        var validator = Validator()
        let name = validator.required(name, field: "name", label: "the body's name") ?? ""
        try validator.check()
        let engine = database.engine
        return try await rethrowingDuplicate(field: "name", message: "There is already a body called \(name)") {
            try await database.write { db in
                if let parentId {
                    try await CaseStore.requireExisting(table: "bodies", ids: [parentId], field: "parentId", label: "body", on: db)
                }
                let row = try await db.raw("""
                    INSERT INTO bodies (name, kind, parent_id) VALUES (\(bind: name), \(bind: kind.rawValue), \(bind: parentId)) RETURNING id
                    """).first()
                let body = Body(id: try row!.int64("id"), name: name, kind: kind, parentId: parentId)
                try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "body", recordId: String(body.id),
                                                      changes: FieldChange.created([("name", name), ("kind", kind.rawValue)])),
                                          on: db, engine: engine)
                return body
            }
        }
    }

    public func memberships(bodyId: Int64) async throws -> [Membership] {
        try await database.read { db in
            try await db.raw("SELECT * FROM memberships WHERE body_id = \(bind: bodyId) ORDER BY id").all().map {
                Membership(id: try $0.int64("id"), bodyId: try $0.int64("body_id"), personId: try $0.int64("person_id"),
                           role: MembershipRole(rawValue: try $0.string("role")) ?? .member,
                           representing: try $0.optionalString("representing"), from: try $0.date("from_date"), to: try $0.date("to_date"))
            }
        }
    }

    public func addMembership(bodyId: Int64, personId: Int64, role: MembershipRole, representing: String?,
                              from: CalendarDate?, to: CalendarDate? = nil, audit: AuditContext) async throws {
        if let from, let to, to < from { throw ValidationError(field: "to", "The membership must end on or after it starts") }
        let engine = database.engine
        try await database.write { db in
            try await CaseStore.requireExisting(table: "bodies", ids: [bodyId], field: "bodyId", label: "body", on: db)
            try await CaseStore.requireExisting(table: "people", ids: [personId], field: "personId", label: "person", on: db)
            let row = try await db.raw("""
                INSERT INTO memberships (body_id, person_id, role, representing, from_date, to_date)
                VALUES (\(bind: bodyId), \(bind: personId), \(bind: role.rawValue), \(bind: representing), \(bind: from?.iso), \(bind: to?.iso))
                RETURNING id
                """).first()
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "membership",
                                                  recordId: String(try row!.int64("id")),
                                                  changes: FieldChange.created([("body", String(bodyId)), ("person", String(personId)),
                                                                                ("role", role.rawValue)])),
                                      on: db, engine: engine)
        }
    }

    /// Ends a membership on `date` (the person stays on the body's past attendance and minutes).
    public func endMembership(id: Int64, on date: CalendarDate, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            guard let row = try await db.raw("SELECT from_date FROM memberships WHERE id = \(bind: id)").first() else {
                throw ValidationError(field: "membershipId", "There is no membership with id \(id)")
            }
            if let from = try row.date("from_date"), date < from {
                throw ValidationError(field: "to", "The membership must end on or after it starts (\(from.long))")
            }
            try await db.raw("UPDATE memberships SET to_date = \(bind: date.iso) WHERE id = \(bind: id)").run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "membership", recordId: String(id),
                                                  changes: [FieldChange(field: "to", before: nil, after: date.iso)]),
                                      on: db, engine: engine)
        }
    }
}
