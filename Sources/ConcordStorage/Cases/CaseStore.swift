import ConcordDomain
import Foundation
import SQLKit

/// The shared spine of every case. Every read goes through `VisibleQuery`, so a case the principal may not
/// see is absent from lists and counts and loads as nil; every read and write of a case is audited.
public struct CaseStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public static let maximumPageSize = 200

    /// Visible cases, newest first, from `cursor` (an id) onwards. The list itself is audited as one view.
    public func list(filter: VisibilityFilter, caseType: CaseType? = nil, cursor: Int64? = nil, limit: Int = 50,
                     audit: AuditContext) async throws -> Page<CaseRecord> {
        let limit = max(1, min(limit, Self.maximumPageSize))
        let rows = try await database.read { db in
            var sql: SQLQueryString = "SELECT c.* FROM case_records c WHERE " + VisibleQuery.predicate(for: filter)
            if let caseType { sql += " AND c.case_type = \(bind: caseType.rawValue)" }
            if let cursor { sql += " AND c.id < \(bind: cursor)" }
            sql += " ORDER BY c.id DESC LIMIT \(literal: limit + 1)"
            return try await db.raw(sql).all()
        }
        let page = rows.prefix(limit)
        let cases = try await withShares(try page.map(Self.caseRecord))
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-list",
                                                                  note: "\(cases.count) case(s) listed"
                                                                      + (caseType.map { " of type \($0.rawValue)" } ?? "")))
        return Page(items: cases, nextCursor: rows.count > limit ? cases.last?.id : nil)
    }

    /// How many cases the principal may see (dashboards), kept for a few seconds (`StoreCaches`). Counts are not
    /// case content and are not audited.
    public func count(filter: VisibilityFilter, caseType: CaseType? = nil) async throws -> Int {
        try await database.caches.counts.valueServingStale(for: CountKey(filter: filter, question: "cases \(caseType?.rawValue ?? "")")) {
            try await database.read { db in
                var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM case_records c WHERE " + VisibleQuery.predicate(for: filter)
                if let caseType { sql += " AND c.case_type = \(bind: caseType.rawValue)" }
                return try await db.raw(sql).first()!.int("n")
            }
        } ?? 0
    }

    /// One case, if the principal may see it; the view is audited. Nil means "no such case" to the caller,
    /// whether it does not exist or is hidden.
    /// The audit entry is saved before the record is returned (through the audit queue's group commit).
    public func view(id: Int64, filter: VisibilityFilter, audit: AuditContext, action: AuditAction = .view) async throws -> CaseRecord? {
        guard let record = try await database.read({ db in try await Self.load(id: id, filter: filter, on: db) }) else { return nil }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: action, recordType: "case",
                                                                  recordId: String(id)))
        return record
    }

    /// One query: the case joined to its shares, one row per share (or one row with none); nil when the filter
    /// does not admit it. A single record is judged by `VisibilityFilter.admits` on the facts just loaded, the rule
    /// that `VisibleQuery` writes as SQL (the storage tests hold the two equal): the short query by id is prepared
    /// far faster than one carrying every agreement's agencies, and SQLite prepares each statement anew.
    static func load(id: Int64, filter: VisibilityFilter, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard !filter.seesNothing else { return nil }
        let rows = try await db.raw("""
            SELECT c.*, cs.agency_id AS shared_agency_id FROM case_records c LEFT JOIN case_shares cs ON cs.case_id = c.id
            WHERE c.id = \(bind: id)
            """).all()
        guard let first = rows.first else { return nil }
        var record = try caseRecord(first)
        record.sharedWith = Set(try rows.compactMap { try $0.optionalInt64("shared_agency_id") })
        return filter.admits(record.accessFacts) ? record : nil
    }

    /// Opens a case for the principal's agency. The caller has checked `AccessPolicy.decide(.create)`.
    public func create(_ input: CaseInput, createdBy: Int64?, audit: AuditContext) async throws -> CaseRecord {
        let engine = database.engine
        return try await database.write { db in try await Self.insert(input, createdBy: createdBy, audit: audit, on: db, engine: engine) }
    }

    /// Inserts the spine of a case within an open write transaction (modules add their detail in the same one).
    static func insert(_ input: CaseInput, createdBy: Int64?, audit: AuditContext, on db: any SQLDatabase,
                       engine: ConcordDatabase.Engine) async throws -> CaseRecord {
        try await Self.requireExisting(table: "agencies", ids: input.sharedWith, field: "sharedWith", label: "agency", on: db)
        let now = Instant.storage(Date())
        let provisional = "new-" + Secrets.randomToken()
        let row = try await db.raw("""
            INSERT INTO case_records (case_type, reference, title, owning_agency_id, classification_level, classification,
                is_restricted, status, created_by, created_at, updated_at, version)
            VALUES (\(bind: input.caseType.rawValue), \(bind: provisional), \(bind: input.title), \(bind: input.owningAgencyId),
                \(bind: input.classification.level.rawValue), \(bind: input.classification.marking), \(bind: input.isRestricted.sqlInteger),
                'open', \(bind: createdBy), \(bind: now), \(bind: now), 1)
            RETURNING id
            """).first()
        let id = try row!.int64("id")
        let reference = Self.reference(type: input.caseType, id: id)
        try await db.raw("UPDATE case_records SET reference = \(bind: reference) WHERE id = \(bind: id)").run()
        for agency in input.sharedWith.sorted() {
            try await db.raw("INSERT INTO case_shares (case_id, agency_id) VALUES (\(bind: id), \(bind: agency))").run()
        }
        let created = try await Self.loadUnfiltered(id: id, on: db)!
        try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "case", recordId: String(id),
                                              changes: FieldChange.created(Self.fields(created))),
                                  on: db, engine: engine)
        return created
    }

    /// Changes a case's title, status or shares when the principal may update it and `expectedVersion` is current.
    public func update(id: Int64, expectedVersion: Int, title: String, status: String, sharedWith: Set<Int64>,
                       principal: Principal, filter: VisibilityFilter, audit: AuditContext) async throws -> CaseRecord {
        let engine = database.engine
        return try await Self.auditingDenial(of: id, in: database, audit: audit) { try await database.write { db in
            let before = try await Self.loadForUpdate(id: id, principal: principal, filter: filter, on: db)
            guard try await db.raw("""
                UPDATE case_records SET title = \(bind: title), status = \(bind: status), version = version + 1,
                    updated_at = \(bind: Instant.storage(Date()))
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else {
                throw StaleRecordError(recordType: "case", id: id)
            }
            try await db.raw("DELETE FROM case_shares WHERE case_id = \(bind: id)").run()
            for agency in sharedWith.subtracting([before.owningAgencyId]).sorted() {
                try await db.raw("INSERT INTO case_shares (case_id, agency_id) VALUES (\(bind: id), \(bind: agency))").run()
            }
            let after = try await Self.loadUnfiltered(id: id, on: db)!
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(id),
                                                  changes: FieldChange.diff(before: Self.fields(before), after: Self.fields(after))),
                                      on: db, engine: engine)
            return after
        } }
    }

    /// The case, within an open write transaction, when the principal may change it (or anything recorded on it):
    /// hidden → `RecordNotFoundError` (404); visible but not theirs to change → `AccessDeniedError` (see
    /// `auditingDenial`).
    static func loadForUpdate(id: Int64, principal: Principal, filter: VisibilityFilter, on db: any SQLDatabase) async throws -> CaseRecord {
        guard let record = try await load(id: id, filter: filter, on: db) else {
            throw RecordNotFoundError(recordType: "case", id: String(id))
        }
        guard AccessPolicy.decide(principal, .update, record.accessFacts, filter: filter) == .allowed else {
            throw AccessDeniedError(action: "update", recordType: "case")
        }
        return record
    }

    /// Runs a change to record `id` (a case unless `recordType` says otherwise); a refusal is audited after its
    /// transaction has rolled back, so it is kept.
    static func auditingDenial<T>(of id: Int64, recordType: String = "case", in database: ConcordDatabase, audit: AuditContext,
                                  _ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch let error as AccessDeniedError {
            try await AuditLog(database: database).record(AuditRecord(context: audit, action: .permissionDenied, recordType: recordType,
                                                                      recordId: String(id), outcome: "denied", note: error.action))
            throw error
        }
    }

    /// Refuses ids that name no row of `table`, by field, before a foreign key would fail.
    static func requireExisting(table: String, ids: some Collection<Int64>, field: String, label: String,
                                on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let found = Set(try await db.raw("SELECT id FROM " + SQLQueryString(table) + " WHERE id IN (\(binds: Array(ids)))")
            .all().map { try $0.int64("id") })
        if let missing = ids.first(where: { !found.contains($0) }) {
            throw ValidationError(field: field, "There is no \(label) with id \(missing)")
        }
    }

    /// "ASB-000042": a reference people can read out on the phone.
    static func reference(type: CaseType, id: Int64) -> String {
        let prefix = switch type {
        case .asb: "ASB"
        case .caseReview: "CR"
        case .marac: "MARAC"
        case .dhr: "DHR"
        }
        return prefix + "-" + zeroPadded(Int(id), 6)
    }

    static func loadUnfiltered(id: Int64, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard let row = try await db.raw("SELECT * FROM case_records WHERE id = \(bind: id)").first() else { return nil }
        var record = try caseRecord(row)
        record.sharedWith = try await shares(of: [id], on: db)[id] ?? []
        return record
    }

    private func withShares(_ records: [CaseRecord]) async throws -> [CaseRecord] {
        guard !records.isEmpty else { return records }
        let ids = records.map(\.id)
        let shares = try await database.read { db in try await Self.shares(of: ids, on: db) }
        return records.map { record in
            var copy = record
            copy.sharedWith = shares[record.id] ?? []
            return copy
        }
    }

    static func shares(of ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: Set<Int64>] {
        var result: [Int64: Set<Int64>] = [:]
        for row in try await db.raw("SELECT case_id, agency_id FROM case_shares WHERE case_id IN (\(binds: ids))").all() {
            result[try row.int64("case_id"), default: []].insert(try row.int64("agency_id"))
        }
        return result
    }

    static func fields(_ c: CaseRecord) -> [(String, String?)] {
        [("caseType", c.caseType.rawValue), ("reference", c.reference), ("title", c.title),
         ("owningAgencyId", String(c.owningAgencyId)), ("sharedWith", c.sharedWith.sorted().map(String.init).joined(separator: ",")),
         ("classification", c.classification.marking), ("restricted", String(c.isRestricted)), ("status", c.status)]
    }

    static func caseRecord(_ row: any SQLRow) throws -> CaseRecord {
        CaseRecord(id: try row.int64("id"), caseType: CaseType(rawValue: try row.string("case_type")) ?? .asb,
                   reference: try row.string("reference"), title: try row.string("title"),
                   owningAgencyId: try row.int64("owning_agency_id"), sharedWith: [],
                   classification: (try? Classification.stored(try row.string("classification"))) ?? .officialSensitive,
                   isRestricted: try row.bool("is_restricted"), status: try row.string("status"),
                   createdAt: try row.instant("created_at"), updatedAt: try row.instant("updated_at"), version: try row.int("version"))
    }
}
