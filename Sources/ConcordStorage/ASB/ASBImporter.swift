import ConcordDomain
import Foundation
import SQLiteNIO
import SQLKit

/// Bulk import of checked CSV rows as new ASB cases, all in one transaction: everything or nothing. Rows arrive in
/// batches while the file is still being checked, and go in with ids assigned here (the write lock is held) through
/// multi-row inserts (`BulkInsert`); on PostgreSQL the identity sequences are moved past the new ids afterwards.
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

    /// Rows already checked, handed over in batches while the rest of the file is still being read; the stream ends
    /// with an error when a later row has a problem, and then nothing is imported.
    public typealias Batches = AsyncThrowingStream<[ASBImport.Row], any Error>

    /// Imports `rows` (already checked, with no cross-row issues): see `run(batches:expectedRows:…)`.
    public func run(_ rows: [ASBImport.Row], createdBy: Int64?, audit: AuditContext,
                    progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        try await run(batches: Batches { $0.yield(rows); $0.finish() }, expectedRows: rows.count, createdBy: createdBy, audit: audit,
                      progress: progress)
    }

    /// Imports every batch in one transaction (a stream that ends with an error imports nothing), then refreshes
    /// the query planner's statistics for the new volume. `expectedRows` is about how many rows the batches hold;
    /// `progress` is told how many rows are written.
    public func run(batches: Batches, expectedRows: Int, createdBy: Int64?, audit: AuditContext,
                    progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        defer { database.caches.clearCounts() }
        let summary = try await insert(batches, expectedRows: expectedRows, createdBy: createdBy, audit: audit, progress: progress)
        try await database.optimize()
        return summary
    }

    /// The tables an import writes and their columns.
    private static let caseRecords = (name: "case_records", columns: ["id", "case_type", "reference", "title", "owning_agency_id",
                                                                     "classification_level", "classification", "is_restricted", "status",
                                                                     "created_by", "created_at", "updated_at", "version"])
    private static let asbCases = (name: "asb_cases", columns: ["case_id", "district_id", "risk", "status", "is_repeat_victim",
                                                               "prompt_raised_on"])
    private static let parties = (name: "asb_parties", columns: ["id", "case_id", "role", "name", "name_key", "postcode", "created_at"])
    private static let incidents = (name: "asb_incidents", columns: ["id", "case_id", "occurred_on", "occurred_at", "address", "postcode",
                                                                    "ward", "district_id", "category", "is_hate_motivated", "description",
                                                                    "created_at", "created_by"])
    private static let reports = (name: "asb_incident_reports", columns: ["id", "incident_id", "agency_id", "complainant_id",
                                                                         "reported_on", "channel", "reference", "created_at"])

    /// Checks that the rows of `table` (agencies, districts, users) with `ids` exist, once each: those already in
    /// `checked` are skipped, and the rest are added to it.
    private static func checkExist(_ ids: some Sequence<Int64>, in table: String, on db: any SQLDatabase,
                                   checked: inout Set<Int64>) async throws {
        let unchecked = Set(ids).subtracting(checked).sorted()
        guard !unchecked.isEmpty else { return }
        let found = Set(try await db.raw("SELECT id FROM \(ident: table) WHERE id IN (\(binds: unchecked))").all()
            .map { try $0.decode(column: "id", as: Int64.self) })
        if let missing = unchecked.first(where: { !found.contains($0) }) {
            throw ValidationError(field: table, "there is no row with id \(missing)")
        }
        checked.formUnion(unchecked)
    }

    /// What one complainant reported in the import: the incidents and the dates, for the repeat-victim flag and
    /// the Case Review prompt of their case.
    private struct ComplainantReports: Sendable {
        let caseId: Int64
        var incidents: Set<Int64> = []
        var dates: [CalendarDate] = []

        mutating func add(_ incident: Int64, reportedOn date: CalendarDate) {
            incidents.insert(incident)
            dates.append(date)
        }
    }

    /// One person in one role on one case: rows naming them alike are the same party.
    private struct PartyKey: Hashable, Sendable {
        let caseId: Int64
        let role: ASBParty.Role
        let nameKey: String
    }

    /// One incident of one case: rows with its key are reports of it to different agencies.
    private struct IncidentKey: Hashable, Sendable {
        let caseId: Int64
        let key: String
    }

    /// Turns checked rows into the rows of each table, assigning every id a row links to (its agency, district and
    /// creator are checked by the writer, once each). It runs on a thread of its own (`BackgroundExecutor.importBuilder`)
    /// while the writer inserts what it built before, so the writer, which holds the write lock throughout and still has
    /// the indexes and the commit to do once the rows are in, only binds values and steps statements.
    private struct Builder: Sendable {
        /// The rows one batch adds to each table (their values one row after another, as `BulkInsert` takes
        /// them), and the agencies and districts they name.
        struct Batch: Sendable {
            var cases: [SQLiteData] = []
            var parties: [SQLiteData] = []
            var incidents: [SQLiteData] = []
            var reports: [SQLiteData] = []
            var agencyIds: Set<Int64> = []
            var districtIds: Set<Int64> = []
        }

        var nextCase: Int64
        var nextParty: Int64
        var nextIncident: Int64
        var nextReport: Int64
        let createdBy: Int64?
        let now: String
        private(set) var caseIds: [String: Int64] = [:]
        private var caseDistricts: [(caseId: Int64, districtId: Int64?)] = []
        private var parties: [PartyKey: Int64] = [:]
        private var incidents: [IncidentKey: Int64]
        private var complainantReports: [Int64: ComplainantReports] = [:]
        private(set) var incidentCounts: [Int64: Int] = [:]
        private static let classification = Classification.officialSensitivePersonal

        /// `expectedRows` sizes the table of incidents up front (there is at most one per row).
        init(nextCase: Int64, nextParty: Int64, nextIncident: Int64, nextReport: Int64, expectedRows: Int, createdBy: Int64?, now: String) {
            self.nextCase = nextCase
            self.nextParty = nextParty
            self.nextIncident = nextIncident
            self.nextReport = nextReport
            self.createdBy = createdBy
            self.now = now
            incidents = Dictionary(minimumCapacity: expectedRows)
        }

        mutating func build(_ rows: [ASBImport.Row]) -> Batch {
            var batch = Batch()
            // Room for every report, and for as many new incidents (the most a batch can add), so neither grows.
            batch.reports.reserveCapacity(rows.count * ASBImporter.reports.columns.count)
            batch.incidents.reserveCapacity(rows.count * ASBImporter.incidents.columns.count)
            // Each row read where it lies, through a pointer: passed as a value, even a borrowed one, it was copied
            // (a retain of each of its strings, and a release after), a sixth of the builder's time.
            rows.withUnsafeBufferPointer { rows in
                for index in rows.indices { add(rows.baseAddress! + index, to: &batch) }
            }
            return batch
        }

        private mutating func add(_ row: UnsafePointer<ASBImport.Row>, to batch: inout Batch) {
            batch.agencyIds.insert(row.pointee.agencyId)
            if let district = row.pointee.districtId { batch.districtIds.insert(district) }
            let caseId: Int64
            if let existing = caseIds[row.pointee.caseKey] {
                caseId = existing
            } else {
                caseId = nextCase
                nextCase += 1
                caseIds[row.pointee.caseKey] = caseId
                let classification = Self.classification
                batch.cases.append(contentsOf: [.integer(caseId), .text(CaseType.asb.rawValue),
                                                .text(CaseStore.reference(type: .asb, id: caseId)), .text(row.pointee.caseTitle),
                                                .integer(row.pointee.agencyId), .integer(Int64(classification.level.rawValue)),
                                                .text(classification.marking), .integer(0), .text("open"), .init(createdBy), .text(now),
                                                .text(now), .integer(1)])
                caseDistricts.append((caseId, row.pointee.districtId))
            }
            let complainant = party(row.pointee.complainantName, postcode: row.pointee.complainantPostcode, role: .complainant,
                                    caseId: caseId, to: &batch)
            _ = party(row.pointee.perpetratorName, postcode: nil, role: .perpetrator, caseId: caseId, to: &batch)
            let incidentKey = IncidentKey(caseId: caseId, key: row.pointee.incidentKey)
            let incidentId: Int64
            if let existing = incidents[incidentKey] {
                incidentId = existing
            } else {
                incidentId = nextIncident
                nextIncident += 1
                incidents[incidentKey] = incidentId
                incidentCounts[caseId, default: 0] += 1
                batch.incidents.append(contentsOf: [.integer(incidentId), .integer(caseId), .text(row.pointee.occurredOn.iso),
                                                    .init(row.pointee.occurredAt), .init(row.pointee.address), .init(row.pointee.postcode),
                                                    .init(row.pointee.ward), .init(row.pointee.districtId),
                                                    .text(row.pointee.category.rawValue), .integer(Int64(row.pointee.isHateMotivated.sqlInteger)),
                                                    .text(row.pointee.description), .text(now), .init(createdBy)])
            }
            batch.reports.append(contentsOf: [.integer(nextReport), .integer(incidentId), .integer(row.pointee.agencyId), .init(complainant),
                                              .text(row.pointee.reportedOn.iso), .text(row.pointee.channel.rawValue),
                                              .init(row.pointee.reference), .text(now)])
            nextReport += 1
            if let complainant {
                complainantReports[complainant, default: ComplainantReports(caseId: caseId)]
                    .add(incidentId, reportedOn: row.pointee.reportedOn)
            }
        }

        /// The party with this name in this role on this case, added to the batch the first time it is named.
        private mutating func party(_ name: String?, postcode: String?, role: ASBParty.Role, caseId: Int64,
                                    to batch: inout Batch) -> Int64? {
            guard let name else { return nil }
            let nameKey = ASBRules.matchKey(name)
            let key = PartyKey(caseId: caseId, role: role, nameKey: nameKey)
            if let id = parties[key] { return id }
            let id = nextParty
            nextParty += 1
            parties[key] = id
            batch.parties.append(contentsOf: [.integer(id), .integer(caseId), .text(role.rawValue), .text(name), .text(nameKey),
                                              .init(postcode), .text(now)])
            return id
        }

        /// The ASB details of each case, written once its complainants' reports are all known: the repeat-victim
        /// flag and the Case Review prompt are set as they are written.
        func detailRows(today: CalendarDate) -> [SQLiteData] {
            let repeatCases = Set(complainantReports.values.filter { ASBRules.isRepeatVictim(incidentsReported: $0.incidents.count) }.map(\.caseId))
            let promptCases = Set(complainantReports.values.filter { CaseReviewPrompt.isDue(reportDates: $0.dates) }.map(\.caseId))
            return caseDistricts.flatMap { caseId, districtId -> [SQLiteData] in
                [.integer(caseId), .init(districtId), .text(VictimRisk.standard.rawValue), .text("open"),
                 .integer(Int64(repeatCases.contains(caseId).sqlInteger)), promptCases.contains(caseId) ? .text(today.iso) : .null]
            }
        }
    }

    /// The import's one transaction.
    private func insert(_ batches: Batches, expectedRows: Int, createdBy: Int64?, audit: AuditContext,
                        progress: @escaping @Sendable (Int) -> Void) async throws -> Summary {
        let engine = database.engine
        let today = CalendarDate(Date())
        let now = Instant.storage(Date())
        return try await database.bulkWrite(checksOwnForeignKeys: true) { db, sqlite in
            func nextId(_ table: String) async throws -> Int64 {
                try await db.raw("SELECT COALESCE(MAX(id), 0) AS n FROM " + SQLQueryString(table)).first()!.int64("n") + 1
            }
            let start = Builder(nextCase: try await nextId("case_records"), nextParty: try await nextId("asb_parties"),
                                nextIncident: try await nextId("asb_incidents"), nextReport: try await nextId("asb_incident_reports"),
                                expectedRows: expectedRows, createdBy: createdBy, now: now)

            // Index pages for a large import do not fit SQLite's default 2 MB cache, which then spills to the WAL
            // mid-transaction and reads pages back; a cache of up to 512 MB for this transaction only (1,000,000
            // rows: 45 s with 128 MB, 40 s with 512 MB).
            try sqlite?.run("PRAGMA cache_size = -524288", []) { _ in }
            defer { try? sqlite?.run("PRAGMA cache_size = -2000", []) { _ in } }
            // An import that at least doubles the reports is written without the tables' secondary indexes, which
            // are built again, sorted, at the end of the same transaction (readers see the old tables meanwhile).
            // Copying 1,000,000 imported rows into the tables with sqlite3: 11.4 s keeping the indexes up row by row,
            // 8.4 s dropping and rebuilding them.
            let rebuiltIndexes = sqlite != nil && Int64(expectedRows) >= start.nextReport ? try await dropSecondaryIndexes(on: db) : []

            var checkedUsers: Set<Int64> = [], checkedAgencies: Set<Int64> = [], checkedDistricts: Set<Int64> = []
            try await Self.checkExist(createdBy.map { [$0] } ?? [], in: "users", on: db, checked: &checkedUsers)
            let (built, output) = AsyncThrowingStream<Builder.Batch, any Error>.makeStream()
            let building = Task(executorPreference: BackgroundExecutor.importBuilder) {
                var builder = start
                do {
                    for try await rows in batches { output.yield(builder.build(rows)) }
                    output.finish()
                } catch {
                    output.finish(throwing: error)
                }
                return (builder, details: builder.detailRows(today: today))
            }
            defer { building.cancel() }
            var summary = Summary()
            for try await batch in built {
                try await Self.checkExist(batch.agencyIds, in: "agencies", on: db, checked: &checkedAgencies)
                try await Self.checkExist(batch.districtIds, in: "districts", on: db, checked: &checkedDistricts)
                for (table, values) in [(Self.caseRecords, batch.cases), (Self.parties, batch.parties), (Self.incidents, batch.incidents),
                                        (Self.reports, batch.reports)] {
                    try await BulkInsert.run(values, into: table.name, columns: table.columns, on: db)
                }
                summary.cases += batch.cases.count / Self.caseRecords.columns.count
                summary.people += batch.parties.count / Self.parties.columns.count
                summary.incidents += batch.incidents.count / Self.incidents.columns.count
                summary.reports += batch.reports.count / Self.reports.columns.count
                progress(summary.reports)
            }
            let (builder, details) = await building.value
            try await BulkInsert.run(details, into: Self.asbCases.name, columns: Self.asbCases.columns, on: db)
            // The audit entries, each hashed on the one before, are made on the builder's thread while the writer
            // rebuilds the indexes (the chain head cannot move: this transaction holds the write lock).
            let head = try await AuditLog.chainHead(on: db, engine: engine)
            let auditing = Task(executorPreference: BackgroundExecutor.importBuilder) {
                var head = head
                let records = builder.caseIds.sorted { $0.value < $1.value }.map { key, id in
                    AuditRecord(context: audit, action: .create, recordType: "case", recordId: String(id),
                                note: "imported from CSV (case key \(key)): \(builder.incidentCounts[id] ?? 0) incident(s)")
                }
                let rows = try AuditLog.rows(records, after: &head)
                return (rows, head)
            }
            defer { auditing.cancel() }
            if !rebuiltIndexes.isEmpty {
                // Each index is built by sorting its keys; SQLite may sort with a second thread.
                try sqlite?.run("PRAGMA threads = 2", []) { _ in }
                defer { try? sqlite?.run("PRAGMA threads = 0", []) { _ in } }
                for sql in rebuiltIndexes { try await db.raw(SQLQueryString(sql)).run() }
            }

            if engine == .postgres {
                for table in ["case_records", "asb_parties", "asb_incidents", "asb_incident_reports"] {
                    try await db.raw("SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))").run()
                }
            }
            let (auditRows, newHead) = try await auditing.value
            try await AuditLog.write(auditRows, head: newHead, on: db)
            return summary
        }
    }

    /// Drops the secondary indexes of the tables an import writes and returns the statements that build them again.
    /// (Indexes behind UNIQUE and PRIMARY KEY constraints have no statement and stay.)
    private func dropSecondaryIndexes(on db: any SQLDatabase) async throws -> [String] {
        let names = [Self.caseRecords, Self.asbCases, Self.parties, Self.incidents, Self.reports].map { "'\($0.name)'" }
            .joined(separator: ", ")
        let indexes = try await db.raw(SQLQueryString("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                                      + "AND tbl_name IN (\(names)) ORDER BY name")).all()
        var statements: [String] = []
        for index in indexes {
            let name = try index.decode(column: "name", as: String.self)
            statements.append(try index.decode(column: "sql", as: String.self))
            try await db.raw("DROP INDEX \(ident: name)").run()
        }
        return statements
    }
}
