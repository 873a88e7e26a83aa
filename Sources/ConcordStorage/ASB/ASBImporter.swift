import ConcordDomain
import Foundation
import SQLiteNIO
import SQLKit

/// Bulk import of checked CSV rows as new ASB cases, all in one transaction: everything or nothing. Rows go in as
/// multi-row INSERTs with ids assigned here (the write lock is held), which is what makes a million rows practical
/// on SQLite; on PostgreSQL the identity sequences are moved past the new ids afterwards.
public struct ASBImporter: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public struct Summary: Sendable, Equatable {
        public var cases = 0
        public var incidents = 0
        public var reports = 0
        public var people = 0
    }

    /// Problems only visible across rows: one incident reported to the same agency twice.
    public static func crossRowIssues(_ rows: [ASBImport.Row]) -> [ASBImport.RowIssue] {
        var seen: [String: Int] = [:]
        var issues: [ASBImport.RowIssue] = []
        for row in rows {
            let key = "\(row.caseKey)\u{1F}\(row.incidentKey)\u{1F}\(row.agencyId)"
            if let first = seen[key] {
                issues.append(.init(line: row.line, column: "reporting_agency",
                                    message: "the same incident was already reported to this agency on line \(first)"))
            } else {
                seen[key] = row.line
            }
        }
        return issues
    }

    /// What an import would create, without writing anything (the dry run).
    public static func plan(_ rows: [ASBImport.Row]) -> Summary {
        var summary = Summary()
        var cases = Set<String>(), incidents = Set<String>(), people = Set<String>()
        for row in rows {
            cases.insert(row.caseKey)
            incidents.insert(row.caseKey + "\u{1F}" + row.incidentKey)
            if let name = row.complainantName { people.insert(row.caseKey + "\u{1F}c\u{1F}" + ASBRules.matchKey(name)) }
            if let name = row.perpetratorName { people.insert(row.caseKey + "\u{1F}p\u{1F}" + ASBRules.matchKey(name)) }
        }
        summary.cases = cases.count
        summary.incidents = incidents.count
        summary.reports = rows.count
        summary.people = people.count
        return summary
    }

    /// Imports `rows` (already checked, with no cross-row issues) in one transaction, then refreshes the query
    /// planner's statistics for the new volume. `progress` is told how many rows are written.
    public func run(_ rows: [ASBImport.Row], createdBy: Int64?, audit: AuditContext,
                    progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        defer { database.caches.clearCounts() }
        let summary = try await insert(rows, createdBy: createdBy, audit: audit, progress: progress)
        try await database.optimize()
        return summary
    }

    /// The import's one transaction.
    private func insert(_ rows: [ASBImport.Row], createdBy: Int64?, audit: AuditContext,
                        progress: @escaping @Sendable (Int) -> Void) async throws -> Summary {
        let engine = database.engine
        let today = CalendarDate(Date())
        let now = Instant.storage(Date())
        return try await database.bulkWrite { db, sqlite in
            func nextId(_ table: String) async throws -> Int64 {
                try await db.raw("SELECT COALESCE(MAX(id), 0) AS n FROM " + SQLQueryString(table)).first()!.int64("n") + 1
            }
            var caseId = try await nextId("case_records")
            var partyId = try await nextId("asb_parties")
            var incidentId = try await nextId("asb_incidents")
            var reportId = try await nextId("asb_incident_reports")

            var caseIds: [String: Int64] = [:]
            var caseRows: [[Cell]] = []
            var detailRows: [[Cell]] = []
            var partyRows: [[Cell]] = []
            var incidentRows: [[Cell]] = []
            var reportRows: [[Cell]] = []
            var parties: [String: Int64] = [:]
            var incidents: [String: Int64] = [:]
            var complainantReports: [Int64: (caseId: Int64, incidents: Set<Int64>, dates: [CalendarDate])] = [:]
            var incidentCounts: [Int64: Int] = [:]

            func party(_ name: String?, postcode: String?, role: ASBParty.Role, caseId: Int64, caseKey: String) -> Int64? {
                guard let name else { return nil }
                let key = "\(caseKey)\u{1F}\(role.rawValue)\u{1F}\(ASBRules.matchKey(name))"
                if let id = parties[key] { return id }
                defer { partyId += 1 }
                parties[key] = partyId
                partyRows.append([.init(partyId), .init(caseId), .init(role.rawValue), .init(name), .init(ASBRules.matchKey(name)),
                                  .init(postcode), .init(now)])
                return partyId
            }

            for row in rows {
                let thisCase: Int64
                if let existing = caseIds[row.caseKey] {
                    thisCase = existing
                } else {
                    thisCase = caseId
                    caseId += 1
                    caseIds[row.caseKey] = thisCase
                    caseRows.append([.init(thisCase), .init(CaseType.asb.rawValue), .init(CaseStore.reference(type: .asb, id: thisCase)),
                                     .init(row.caseTitle), .init(row.agencyId),
                                     .init(Int64(Classification.officialSensitivePersonal.level.rawValue)),
                                     .init(Classification.officialSensitivePersonal.marking), .init(Int64(0)), .init("open"), .init(createdBy),
                                     .init(now), .init(now), .init(Int64(1))])
                    detailRows.append([.init(thisCase), .init(row.districtId), .init(VictimRisk.standard.rawValue), .init("open")])
                }
                let complainant = party(row.complainantName, postcode: row.complainantPostcode, role: .complainant, caseId: thisCase,
                                        caseKey: row.caseKey)
                _ = party(row.perpetratorName, postcode: nil, role: .perpetrator, caseId: thisCase, caseKey: row.caseKey)
                let incidentKey = row.caseKey + "\u{1F}" + row.incidentKey
                let thisIncident: Int64
                if let existing = incidents[incidentKey] {
                    thisIncident = existing
                } else {
                    thisIncident = incidentId
                    incidentId += 1
                    incidents[incidentKey] = thisIncident
                    incidentCounts[thisCase, default: 0] += 1
                    incidentRows.append([.init(thisIncident), .init(thisCase), .init(row.occurredOn.iso), .init(row.occurredAt),
                                         .init(row.address), .init(row.postcode), .init(row.ward), .init(row.districtId),
                                         .init(row.category.rawValue), .init(Int64(row.isHateMotivated.sqlInteger)), .init(row.description),
                                         .init(now), .init(createdBy)])
                }
                reportRows.append([.init(reportId), .init(thisIncident), .init(row.agencyId), .init(complainant),
                                   .init(row.reportedOn.iso), .init(row.channel.rawValue), .init(row.reference), .init(now)])
                reportId += 1
                if let complainant {
                    var entry = complainantReports[complainant] ?? (thisCase, [], [])
                    entry.incidents.insert(thisIncident)
                    entry.dates.append(row.reportedOn)
                    complainantReports[complainant] = entry
                }
            }

            var written = 0
            // Index pages for a large import do not fit SQLite's default 2 MB cache, which then spills to the WAL
            // mid-transaction and reads pages back; a cache of up to 512 MB for this transaction only (1,000,000
            // rows: 45 s with 128 MB, 40 s with 512 MB).
            try sqlite?.run("PRAGMA cache_size = -524288", []) { _ in }
            defer { try? sqlite?.run("PRAGMA cache_size = -2000", []) { _ in } }
            func insert(_ table: String, _ columns: [String], _ values: [[Cell]], counts: Bool) async throws {
                let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                // On SQLite one prepared single-row insert runs for each row; PostgreSQL takes multi-row statements.
                let oneRow = head + "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
                let chunkSize = max(1, min(500, 30_000 / columns.count))
                for start in stride(from: 0, to: values.count, by: chunkSize) {
                    let chunk = values[start..<min(start + chunkSize, values.count)]
                    if let sqlite {
                        try sqlite.runEach(oneRow, chunk.lazy.map { $0.map(\.sqlite) })
                    } else {
                        let tuples = chunk.map { row in SQLQueryString("(\(binds: row.map(\.encodable)))") }
                        try await db.raw(SQLQueryString(head) + tuples.joined(separator: ", ")).run()
                    }
                    if counts {
                        written += chunk.count
                        progress(written)
                    }
                }
            }
            try await insert("case_records", ["id", "case_type", "reference", "title", "owning_agency_id", "classification_level",
                                              "classification", "is_restricted", "status", "created_by", "created_at", "updated_at", "version"],
                             caseRows, counts: false)
            try await insert("asb_cases", ["case_id", "district_id", "risk", "status"], detailRows, counts: false)
            try await insert("asb_parties", ["id", "case_id", "role", "name", "name_key", "postcode", "created_at"], partyRows, counts: false)
            try await insert("asb_incidents", ["id", "case_id", "occurred_on", "occurred_at", "address", "postcode", "ward", "district_id",
                                               "category", "is_hate_motivated", "description", "created_at", "created_by"],
                             incidentRows, counts: false)
            try await insert("asb_incident_reports", ["id", "incident_id", "agency_id", "complainant_id", "reported_on", "channel",
                                                      "reference", "created_at"], reportRows, counts: true)

            let repeatCases = Set(complainantReports.values.filter { ASBRules.isRepeatVictim(incidentsReported: $0.incidents.count) }.map(\.caseId))
            let promptCases = Set(complainantReports.values.filter { CaseReviewPrompt.isDue(reportDates: $0.dates) }.map(\.caseId))
            for (flagged, sql) in [(repeatCases, "UPDATE asb_cases SET is_repeat_victim = 1 WHERE case_id IN "),
                                   (promptCases, "UPDATE asb_cases SET prompt_raised_on = '\(today.iso)' WHERE case_id IN ")] {
                let ids = Array(flagged)
                for start in stride(from: 0, to: ids.count, by: 500) {
                    try await db.raw(SQLQueryString(sql) + "(\(binds: Array(ids[start..<min(start + 500, ids.count)])))").run()
                }
            }
            if engine == .postgres {
                for table in ["case_records", "asb_parties", "asb_incidents", "asb_incident_reports"] {
                    try await db.raw("SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))").run()
                }
            }
            let records = caseIds.sorted { $0.value < $1.value }.map { key, id in
                AuditRecord(context: audit, action: .create, recordType: "case", recordId: String(id),
                            note: "imported from CSV (case key \(key)): \(incidentCounts[id] ?? 0) incident(s)")
            }
            for start in stride(from: 0, to: records.count, by: 500) {
                try await AuditLog.append(Array(records[start..<min(start + 500, records.count)]), on: db, engine: engine)
            }
            return Summary(cases: caseRows.count, incidents: incidentRows.count, reports: reportRows.count, people: partyRows.count)
        }
    }
}

/// One value of an imported row, bound straight to SQLite's prepared insert, or through SQLKit on PostgreSQL.
enum Cell: Sendable {
    case integer(Int64)
    case text(String)
    case null

    init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }

    var sqlite: SQLiteData {
        switch self {
        case .integer(let value): .integer(Int(value))
        case .text(let value): .text(value)
        case .null: .null
        }
    }

    var encodable: any Encodable & Sendable {
        switch self {
        case .integer(let value): value
        case .text(let value): value
        case .null: Int64?.none
        }
    }
}
