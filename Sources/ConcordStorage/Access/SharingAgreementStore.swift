import ConcordDomain
import Foundation
import SQLKit

/// Information-sharing agreements: which agencies may see each other's cases of which types.
public struct SharingAgreementStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// Every agreement, as read at most a few seconds ago (every request's visibility filter needs them).
    public func all() async throws -> [SharingAgreement] {
        try await database.caches.agreements.value(for: 0) {
            try await database.read { db in try await Self.load(on: db, id: nil) }
        } ?? []
    }

    /// What `principal` may see on `date` (`AccessPolicy.visibilityFilter`), as worked out at most a few seconds
    /// ago from the agreements then in force: every request asks, and its users share a few agencies and sets of
    /// roles. Read from the agreements table, not `all()`, so another instance's change shows within one lifetime.
    public func visibilityFilter(for principal: Principal, on date: CalendarDate) async throws -> VisibilityFilter {
        let key = VisibilityKey(agencyId: principal.agencyId, roles: principal.roles, date: date)
        // The load always returns a filter, so the cache always answers one.
        return try await database.caches.visibility.value(for: key) {
            AccessPolicy.visibilityFilter(for: principal, agreements: try await database.read { db in try await Self.load(on: db, id: nil) },
                                          on: date)
        }!
    }

    public func agreement(id: Int64) async throws -> SharingAgreement? {
        try await database.read { db in try await Self.load(on: db, id: id).first }
    }

    public func create(_ input: SharingAgreementInput, audit: AuditContext) async throws -> SharingAgreement {
        defer { database.caches.clearAgreements() }
        let engine = database.engine
        return try await database.write { db in
            let now = Instant.storage(Date())
            let row = try await db.raw("""
                INSERT INTO sharing_agreements (title, purpose, lawful_basis, starts_on, review_on, ends_on, version, created_at, updated_at)
                VALUES (\(bind: input.title), \(bind: input.purpose), \(bind: input.lawfulBasis), \(bind: input.startsOn.iso),
                    \(bind: input.reviewOn?.iso), \(bind: input.endsOn?.iso), 1, \(bind: now), \(bind: now))
                RETURNING id
                """).first()
            let id = try row!.int64("id")
            try await Self.writeMembers(id: id, input, on: db)
            let created = try await Self.load(on: db, id: id).first!
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "sharing-agreement",
                                                  recordId: String(id), changes: FieldChange.created(Self.fields(created)),
                                                  note: "agreement created"),
                                      on: db, engine: engine)
            return created
        }
    }

    public func update(id: Int64, expectedVersion: Int, _ input: SharingAgreementInput, audit: AuditContext) async throws -> SharingAgreement {
        defer { database.caches.clearAgreements() }
        let engine = database.engine
        return try await database.write { db in
            guard let before = try await Self.load(on: db, id: id).first else {
                throw RecordNotFoundError(recordType: "sharing agreement", id: String(id))
            }
            guard try await db.raw("""
                UPDATE sharing_agreements SET title = \(bind: input.title), purpose = \(bind: input.purpose),
                    lawful_basis = \(bind: input.lawfulBasis), starts_on = \(bind: input.startsOn.iso), review_on = \(bind: input.reviewOn?.iso),
                    ends_on = \(bind: input.endsOn?.iso), version = version + 1, updated_at = \(bind: Instant.storage(Date()))
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else {
                throw StaleRecordError(recordType: "sharing agreement", id: id)
            }
            try await db.raw("DELETE FROM sharing_agreement_parties WHERE agreement_id = \(bind: id)").run()
            try await db.raw("DELETE FROM sharing_agreement_case_types WHERE agreement_id = \(bind: id)").run()
            try await Self.writeMembers(id: id, input, on: db)
            let after = try await Self.load(on: db, id: id).first!
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "sharing-agreement",
                                                  recordId: String(id),
                                                  changes: FieldChange.diff(before: Self.fields(before), after: Self.fields(after)),
                                                  note: "agreement updated"),
                                      on: db, engine: engine)
            return after
        }
    }

    static func writeMembers(id: Int64, _ input: SharingAgreementInput, on db: any SQLDatabase) async throws {
        for agency in input.parties.sorted() {
            try await db.raw("INSERT INTO sharing_agreement_parties (agreement_id, agency_id) VALUES (\(bind: id), \(bind: agency))").run()
        }
        for type in input.caseTypes.sorted() {
            try await db.raw("INSERT INTO sharing_agreement_case_types (agreement_id, case_type) VALUES (\(bind: id), \(bind: type.rawValue))").run()
        }
    }

    static func fields(_ a: SharingAgreement) -> [(String, String?)] {
        [("title", a.title), ("purpose", a.purpose), ("lawfulBasis", a.lawfulBasis),
         ("parties", a.parties.sorted().map(String.init).joined(separator: ",")),
         ("caseTypes", a.sortedCaseTypes.map(\.rawValue).joined(separator: ",")),
         ("startsOn", a.startsOn.iso), ("reviewOn", a.reviewOn?.iso), ("endsOn", a.endsOn?.iso)]
    }

    static func load(on db: any SQLDatabase, id: Int64?) async throws -> [SharingAgreement] {
        var sql: SQLQueryString = "SELECT * FROM sharing_agreements"
        if let id { sql += " WHERE id = \(bind: id)" }
        sql += " ORDER BY title"
        let rows = try await db.raw(sql).all()
        var parties: [Int64: Set<Int64>] = [:]
        for row in try await db.raw("SELECT agreement_id, agency_id FROM sharing_agreement_parties").all() {
            parties[try row.int64("agreement_id"), default: []].insert(try row.int64("agency_id"))
        }
        var types: [Int64: Set<CaseType>] = [:]
        for row in try await db.raw("SELECT agreement_id, case_type FROM sharing_agreement_case_types").all() {
            if let type = CaseType(rawValue: try row.string("case_type")) {
                types[try row.int64("agreement_id"), default: []].insert(type)
            }
        }
        return try rows.map { row in
            let id = try row.int64("id")
            return SharingAgreement(id: id, title: try row.string("title"), purpose: try row.string("purpose"),
                                    lawfulBasis: try row.string("lawful_basis"), parties: parties[id] ?? [],
                                    caseTypes: types[id] ?? [], startsOn: try row.date("starts_on")!,
                                    reviewOn: try row.date("review_on"), endsOn: try row.date("ends_on"),
                                    version: try row.int("version"))
        }
    }
}
