import ConcordDomain
import Foundation
import SQLKit

/// ASB cases. Every read goes through the case spine's `VisibleQuery` filter and is audited; every change checks
/// the principal may update the case and is audited in its own transaction.
public struct ASBStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// A row of an ASB case list.
    public struct Summary: Sendable, Equatable {
        public let caseId: Int64
        public let reference: String
        public let title: String
        public let districtId: Int64?
        public let owningAgencyId: Int64
        public let risk: VictimRisk
        public let status: ASBCaseStatus
        public let isRepeatVictim: Bool
        public let isVulnerableVictim: Bool
        public let isPromptOpen: Bool
        public let lastIncidentOn: CalendarDate?
    }

    public struct ListQuery: Sendable, Equatable {
        public var districtId: Int64?
        public var status: ASBCaseStatus?
        public var leadOfficerId: Int64?
        public var repeatOrVulnerableOnly: Bool
        public var cursor: Int64?
        public var limit: Int

        public init(districtId: Int64? = nil, status: ASBCaseStatus? = nil, leadOfficerId: Int64? = nil,
                    repeatOrVulnerableOnly: Bool = false, cursor: Int64? = nil, limit: Int = 50) {
            self.districtId = districtId
            self.status = status
            self.leadOfficerId = leadOfficerId
            self.repeatOrVulnerableOnly = repeatOrVulnerableOnly
            self.cursor = cursor
            self.limit = limit
        }
    }

    // MARK: Creating and changing

    /// Opens a case with its first complainant, alleged perpetrator and incident, in one transaction. The caller
    /// has checked `AccessPolicy.decide(.create)`.
    public func create(_ input: ASBCaseInput, createdBy: Int64?, audit: AuditContext) async throws -> Int64 {
        let engine = database.engine
        return try await database.write { db in
            try await CaseStore.requireExisting(table: "districts", ids: [input.districtId, input.incident.details.districtId].compactMap { $0 },
                                                field: "districtId", label: "district", on: db)
            try await CaseStore.requireExisting(table: "users", ids: [input.leadOfficerId].compactMap { $0 }, field: "leadOfficerId",
                                                label: "user", on: db)
            let record = try await CaseStore.insert(input.record, createdBy: createdBy, audit: audit, on: db, engine: engine)
            try await db.raw("""
                INSERT INTO asb_cases (case_id, district_id, lead_officer_id, risk, is_vulnerable_victim, status)
                VALUES (\(bind: record.id), \(bind: input.districtId), \(bind: input.leadOfficerId), \(bind: input.risk.rawValue),
                    \(bind: input.complainant.isVulnerable.sqlInteger), 'open')
                """).run()
            let complainant = try await Self.insertParty(input.complainant, caseId: record.id, audit: audit, on: db, engine: engine)
            _ = try await Self.insertParty(input.perpetrator, caseId: record.id, audit: audit, on: db, engine: engine)
            try await Self.insertIncident(input.incident, caseId: record.id, complainantId: complainant, createdBy: createdBy,
                                          audit: audit, on: db, engine: engine)
            return record.id
        }
    }

    /// Adds an incident (with its report to the principal's agency) to a case. When the complainant has now
    /// reported twice within 6 months, the Case Review prompt is raised; two or more incidents make them a repeat victim.
    public func addIncident(caseId: Int64, complainantId: Int64?, _ input: IncidentInput, principal: Principal,
                            filter: VisibilityFilter, audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                if let complainantId { try await Self.requireParty(complainantId, role: .complainant, caseId: caseId, on: db) }
                try await CaseStore.requireExisting(table: "districts", ids: [input.details.districtId].compactMap { $0 }, field: "districtId",
                                                    label: "district", on: db)
                try await Self.insertIncident(input, caseId: caseId, complainantId: complainantId, createdBy: principal.userId,
                                              audit: audit, on: db, engine: engine)
            }
        }
    }

    /// Records that another agency was told of an incident already on the case: the same incident, one more report.
    public func addReport(caseId: Int64, incidentId: Int64, agencyId: Int64, complainantId: Int64?, reportedOn: CalendarDate,
                          channel: ReportingChannel, reference: String?, principal: Principal, filter: VisibilityFilter,
                          audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                guard let incident = try await db.raw("""
                    SELECT occurred_on FROM asb_incidents WHERE id = \(bind: incidentId) AND case_id = \(bind: caseId)
                    """).first() else { throw RecordNotFoundError(recordType: "incident", id: String(incidentId)) }
                if let occurred = try incident.date("occurred_on"), reportedOn < occurred {
                    throw ValidationError(field: "reportedOn", "The report cannot be before the incident (\(occurred.iso))")
                }
                if let complainantId { try await Self.requireParty(complainantId, role: .complainant, caseId: caseId, on: db) }
                try await CaseStore.requireExisting(table: "agencies", ids: [agencyId], field: "agencyId", label: "agency", on: db)
                try await rethrowingDuplicate(field: "agencyId", message: "That agency's report of this incident is already recorded") {
                    try await Self.insertReport(incidentId: incidentId, agencyId: agencyId, complainantId: complainantId,
                                                reportedOn: reportedOn, channel: channel, reference: reference, on: db)
                }
                try await Self.refreshVictimFlags(caseId: caseId, complainantId: complainantId, today: CalendarDate(Date()), on: db)
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: [FieldChange(field: "incident \(incidentId) report", before: nil,
                                                                            after: "agency \(agencyId) on \(reportedOn.iso)")]),
                                          on: db, engine: engine)
            }
        }
    }

    /// Corrects an incident's own facts (a wrong date, place, category or description). Its reports are kept;
    /// a date after the earliest of them is refused. The audit entry holds each changed field before and after,
    /// and the reason.
    public func correctIncident(caseId: Int64, incidentId: Int64, _ correction: IncidentCorrection, principal: Principal,
                                filter: VisibilityFilter, audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                let before = try await Self.incident(id: incidentId, caseId: caseId, on: db)
                let d = correction.details
                try await CaseStore.requireExisting(table: "districts", ids: [d.districtId].compactMap { $0 }, field: "districtId",
                                                    label: "district", on: db)
                if let firstReported = before.reports.map(\.reportedOn).min(), d.occurredOn > firstReported {
                    throw ValidationError(field: "occurredOn",
                                          "The incident cannot have happened after it was first reported (\(firstReported.iso))")
                }
                guard try await db.raw("""
                    UPDATE asb_incidents SET occurred_on = \(bind: d.occurredOn.iso), occurred_at = \(bind: d.occurredAt),
                        address = \(bind: d.address), postcode = \(bind: d.postcode), ward = \(bind: d.ward),
                        district_id = \(bind: d.districtId), category = \(bind: d.category.rawValue),
                        is_hate_motivated = \(bind: d.isHateMotivated.sqlInteger), description = \(bind: d.description),
                        version = version + 1
                    WHERE id = \(bind: incidentId) AND case_id = \(bind: caseId) AND version = \(bind: correction.expectedVersion)
                    RETURNING id
                    """).first() != nil else { throw StaleRecordError(recordType: "incident", id: incidentId) }
                let after = try await Self.incident(id: incidentId, caseId: caseId, on: db)
                let prefix = "incident \(incidentId) "
                let changes = FieldChange.diff(before: Self.fields(before).map { (prefix + $0.0, $0.1) },
                                               after: Self.fields(after).map { (prefix + $0.0, $0.1) })
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: changes, note: "correction: " + correction.reason),
                                          on: db, engine: engine)
            }
        }
    }

    /// Removes an incident recorded in error, with its reports, keeping its facts and the reason in the audit log.
    /// An incident whose reports a Case Review application relies on stays: the application's threshold was
    /// decided on them.
    public func removeIncident(caseId: Int64, incidentId: Int64, reason: String, principal: Principal, filter: VisibilityFilter,
                               audit: AuditContext) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationError(field: "reason", "Say why the incident is being removed") }
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                let incident = try await Self.incident(id: incidentId, caseId: caseId, on: db)
                if try await db.raw("""
                    SELECT 1 AS relied FROM case_review_complaints c JOIN asb_incident_reports r ON r.id = c.report_id
                    WHERE r.incident_id = \(bind: incidentId) LIMIT 1
                    """).first() != nil {
                    throw ValidationError(field: "incidentId", "A Case Review application relies on this incident's reports, "
                                          + "so it cannot be removed; correct it instead")
                }
                try await db.raw("DELETE FROM asb_incidents WHERE id = \(bind: incidentId)").run()
                let changes = FieldChange.diff(before: Self.fields(incident).map { ("incident \(incidentId) " + $0.0, $0.1) },
                                               after: Self.fields(incident).map { ("incident \(incidentId) " + $0.0, nil) })
                try await AuditLog.append(AuditRecord(context: audit, action: .delete, recordType: "case", recordId: String(caseId),
                                                      changes: changes, note: "incident removed: " + reason),
                                          on: db, engine: engine)
            }
        }
    }

    public func addParty(caseId: Int64, _ input: PartyInput, principal: Principal, filter: VisibilityFilter,
                         audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                _ = try await Self.insertParty(input, caseId: caseId, audit: audit, on: db, engine: engine)
                if input.isVulnerable {
                    try await db.raw("UPDATE asb_cases SET is_vulnerable_victim = 1 WHERE case_id = \(bind: caseId)").run()
                }
            }
        }
    }

    public func addAction(caseId: Int64, _ input: ActionInput, principal: Principal, filter: VisibilityFilter,
                          audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                try await db.raw("""
                    INSERT INTO asb_actions (case_id, agency_id, action_type, taken_on, reason, notes, created_at, created_by)
                    VALUES (\(bind: caseId), \(bind: input.agencyId), \(bind: input.type.rawValue), \(bind: input.takenOn.iso),
                        \(bind: input.reason), \(bind: input.notes), \(bind: Instant.storage(Date())), \(bind: principal.userId))
                    """).run()
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: [FieldChange(field: "action", before: nil,
                                                                            after: "\(input.type.rawValue) on \(input.takenOn.iso)")]),
                                          on: db, engine: engine)
            }
        }
    }

    /// Status, outcome, risk and lead officer; the spine's status follows the ASB status.
    public func updateCase(caseId: Int64, expectedVersion: Int, status: ASBCaseStatus, outcome: ASBOutcome?, risk: VictimRisk,
                           leadOfficerId: Int64?, principal: Principal, filter: VisibilityFilter, audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                try await CaseStore.requireExisting(table: "users", ids: [leadOfficerId].compactMap { $0 }, field: "leadOfficerId",
                                                    label: "user", on: db)
                let before = try await db.raw("SELECT * FROM asb_cases WHERE case_id = \(bind: caseId)").first()!
                guard try await db.raw("""
                    UPDATE case_records SET status = \(bind: status.rawValue), version = version + 1,
                        updated_at = \(bind: Instant.storage(Date()))
                    WHERE id = \(bind: caseId) AND version = \(bind: expectedVersion) RETURNING id
                    """).first() != nil else { throw StaleRecordError(recordType: "case", id: caseId) }
                try await db.raw("""
                    UPDATE asb_cases SET status = \(bind: status.rawValue), outcome = \(bind: outcome?.rawValue),
                        risk = \(bind: risk.rawValue), lead_officer_id = \(bind: leadOfficerId) WHERE case_id = \(bind: caseId)
                    """).run()
                let changes = FieldChange.diff(
                    before: [("status", try before.string("status")), ("outcome", try before.optionalString("outcome")),
                             ("risk", try before.string("risk")), ("leadOfficerId", try before.optionalInt64("lead_officer_id").map(String.init))],
                    after: [("status", status.rawValue), ("outcome", outcome?.rawValue), ("risk", risk.rawValue),
                            ("leadOfficerId", leadOfficerId.map(String.init))])
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: changes), on: db, engine: engine)
            }
        }
    }

    /// Records that the Case Review was explained to the complainant, which clears the prompt.
    public func recordPromptExplained(caseId: Int64, on date: CalendarDate, principal: Principal, filter: VisibilityFilter,
                                      audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                try await db.raw("""
                    UPDATE asb_cases SET prompt_explained_on = \(bind: date.iso), prompt_explained_by = \(bind: principal.userId)
                    WHERE case_id = \(bind: caseId)
                    """).run()
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: [FieldChange(field: "caseReviewExplainedOn", before: nil, after: date.iso)]),
                                          on: db, engine: engine)
            }
        }
    }

    // MARK: Reading

    /// One ASB case with everything recorded on it, if the principal may see it; the view is audited.
    public func load(id: Int64, filter: VisibilityFilter, audit: AuditContext) async throws -> ASBCase? {
        let found: ASBCase? = try await database.read { db in
            guard let record = try await CaseStore.load(id: id, filter: filter, on: db), record.caseType == .asb,
                  let row = try await db.raw("SELECT * FROM asb_cases WHERE case_id = \(bind: id)").first() else { return nil }
            let parties = try await db.raw("SELECT * FROM asb_parties WHERE case_id = \(bind: id) ORDER BY id").all().map(Self.party)
            var reports: [Int64: [IncidentReport]] = [:]
            for report in try await db.raw("""
                SELECT r.* FROM asb_incident_reports r JOIN asb_incidents i ON i.id = r.incident_id
                WHERE i.case_id = \(bind: id) ORDER BY r.reported_on, r.id
                """).all().map(Self.report) {
                reports[report.incidentId, default: []].append(report)
            }
            let incidents = try await db.raw("""
                SELECT * FROM asb_incidents WHERE case_id = \(bind: id) ORDER BY occurred_on DESC, id DESC
                """).all().map { row in
                var incident = try Self.incident(row)
                incident.reports = reports[incident.id] ?? []
                return incident
            }
            let actions = try await db.raw("SELECT * FROM asb_actions WHERE case_id = \(bind: id) ORDER BY taken_on DESC, id DESC")
                .all().map(Self.action)
            return ASBCase(record: record, districtId: try row.optionalInt64("district_id"), leadOfficerId: try row.optionalInt64("lead_officer_id"),
                           risk: VictimRisk(rawValue: try row.string("risk")) ?? .standard, isRepeatVictim: try row.bool("is_repeat_victim"),
                           isVulnerableVictim: try row.bool("is_vulnerable_victim"),
                           status: ASBCaseStatus(rawValue: try row.string("status")) ?? .open,
                           outcome: try row.optionalString("outcome").flatMap(ASBOutcome.init(rawValue:)),
                           promptRaisedOn: try row.date("prompt_raised_on"), promptExplainedOn: try row.date("prompt_explained_on"),
                           parties: parties, incidents: incidents, actions: actions)
        }
        guard let found else { return nil }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case", recordId: String(id)))
        return found
    }

    /// Visible ASB cases, newest first; audited as one list view.
    /// Visible cases, newest first. `CROSS JOIN` is SQLite's join-order hint: it walks `asb_cases` from the newest
    /// case and stops at the page, where its planner would otherwise sort every visible case (97 ms → 2 ms at
    /// 83,000 cases); PostgreSQL reads it as a plain join.
    public func list(_ query: ListQuery, filter: VisibilityFilter, audit: AuditContext) async throws -> Page<Summary> {
        let limit = max(1, min(query.limit, CaseStore.maximumPageSize))
        let rows = try await database.read { db in
            var sql: SQLQueryString = """
                SELECT c.id, c.reference, c.title, c.owning_agency_id, a.district_id, a.risk, a.status, a.is_repeat_victim,
                    a.is_vulnerable_victim, a.prompt_raised_on, a.prompt_explained_on,
                    (SELECT MAX(i.occurred_on) FROM asb_incidents i WHERE i.case_id = c.id) AS last_incident_on
                FROM asb_cases a CROSS JOIN case_records c WHERE c.id = a.case_id AND
                """ + Self.conditions(query, filter: filter)
            if let cursor = query.cursor { sql += " AND a.case_id < \(bind: cursor)" }
            sql += " ORDER BY a.case_id DESC LIMIT \(literal: limit + 1)"
            return try await db.raw(sql).all()
        }
        let items = try rows.prefix(limit).map { row in
            Summary(caseId: try row.int64("id"), reference: try row.string("reference"), title: try row.string("title"),
                    districtId: try row.optionalInt64("district_id"), owningAgencyId: try row.int64("owning_agency_id"),
                    risk: VictimRisk(rawValue: try row.string("risk")) ?? .standard,
                    status: ASBCaseStatus(rawValue: try row.string("status")) ?? .open,
                    isRepeatVictim: try row.bool("is_repeat_victim"), isVulnerableVictim: try row.bool("is_vulnerable_victim"),
                    isPromptOpen: try row.optionalString("prompt_raised_on") != nil && row.optionalString("prompt_explained_on") == nil,
                    lastIncidentOn: try row.date("last_incident_on"))
        }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-list",
                                                                  note: "\(items.count) ASB case(s) listed"))
        return Page(items: items, nextCursor: rows.count > limit ? items.last?.caseId : nil)
    }

    /// How many visible cases match (dashboards: counts only, not audited); `promptOpenOnly` counts the cases
    /// whose complainant is still to be told about the Case Review.
    public func count(_ query: ListQuery, promptOpenOnly: Bool = false, filter: VisibilityFilter) async throws -> Int {
        let question = "asb \(query.districtId.map(String.init) ?? "") \(query.status?.rawValue ?? "") "
            + "\(query.leadOfficerId.map(String.init) ?? "") \(query.repeatOrVulnerableOnly) \(promptOpenOnly)"
        return try await database.caches.counts.valueServingStale(for: CountKey(filter: filter, question: question)) {
            try await database.read { db in
                var sql: SQLQueryString = "SELECT COUNT(*) AS n FROM case_records c JOIN asb_cases a ON a.case_id = c.id WHERE "
                    + Self.conditions(query, filter: filter)
                if promptOpenOnly { sql += " AND a.prompt_raised_on IS NOT NULL AND a.prompt_explained_on IS NULL" }
                return try await db.raw(sql).first()!.int("n")
            }
        } ?? 0
    }

    static func conditions(_ query: ListQuery, filter: VisibilityFilter) -> SQLQueryString {
        var sql = VisibleQuery.predicate(for: filter)
        if let district = query.districtId { sql += " AND a.district_id = \(bind: district)" }
        if let status = query.status { sql += " AND a.status = \(bind: status.rawValue)" }
        if let lead = query.leadOfficerId { sql += " AND a.lead_officer_id = \(bind: lead)" }
        if query.repeatOrVulnerableOnly { sql += " AND (a.is_repeat_victim = 1 OR a.is_vulnerable_victim = 1)" }
        return sql
    }

    public struct DistrictStatusCount: Sendable, Equatable {
        public let districtId: Int64?
        public let status: ASBCaseStatus
        public let count: Int
    }

    /// Visible cases by district and status, for the dashboard (counts only: not audited), kept for a few seconds
    /// per visibility filter (`StoreCaches`).
    public func countsByDistrictAndStatus(filter: VisibilityFilter) async throws -> [DistrictStatusCount] {
        try await database.caches.asbCounts.valueServingStale(for: filter) {
            try await database.read { db in
                try await db.raw("""
                    SELECT a.district_id, a.status, COUNT(*) AS n FROM case_records c JOIN asb_cases a ON a.case_id = c.id
                    WHERE
                    """ + VisibleQuery.predicate(for: filter) + " GROUP BY a.district_id, a.status").all().map { row in
                    DistrictStatusCount(districtId: try row.optionalInt64("district_id"),
                                        status: ASBCaseStatus(rawValue: try row.string("status")) ?? .open, count: try row.int("n"))
                }
            }
        } ?? []
    }

    /// Existing visible cases that look like the same problem: the same complainant or perpetrator (by name) or
    /// the same postcode (of a party or an incident). Shown at intake before a new case is made; audited as a search.
    public func similarCases(complainantName: String?, perpetratorName: String?, postcode: String?, filter: VisibilityFilter,
                             audit: AuditContext) async throws -> [SimilarCase] {
        let complainant = complainantName.map(ASBRules.matchKey).flatMap { $0.isEmpty ? nil : $0 }
        let perpetrator = perpetratorName.map(ASBRules.matchKey).flatMap { $0.isEmpty ? nil : $0 }
        let postcode = postcode.flatMap(ASBRules.normalisedPostcode)
        guard complainant != nil || perpetrator != nil || postcode != nil else { return [] }
        let rows = try await database.read { db in
            var matches: [SQLQueryString] = []
            if let complainant {
                matches.append("SELECT case_id, 'same complainant' AS reason FROM asb_parties WHERE role = 'complainant' AND name_key = \(bind: complainant)")
            }
            if let perpetrator {
                matches.append("SELECT case_id, 'same alleged perpetrator' AS reason FROM asb_parties WHERE role = 'perpetrator' AND name_key = \(bind: perpetrator)")
            }
            if let postcode {
                matches.append("SELECT case_id, 'same postcode' AS reason FROM asb_parties WHERE postcode = \(bind: postcode)")
                matches.append("SELECT case_id, 'same postcode' AS reason FROM asb_incidents WHERE postcode = \(bind: postcode)")
            }
            let sql: SQLQueryString = "SELECT c.id, c.reference, c.title, m.reason FROM (" + matches.joined(separator: " UNION ")
                + ") m JOIN case_records c ON c.id = m.case_id WHERE " + VisibleQuery.predicate(for: filter)
                + " ORDER BY c.id DESC LIMIT 100"
            return try await db.raw(sql).all()
        }
        var found: [Int64: SimilarCase] = [:]
        var order: [Int64] = []
        for row in rows {
            let id = try row.int64("id")
            if found[id] == nil {
                order.append(id)
                found[id] = SimilarCase(caseId: id, reference: try row.string("reference"), title: try row.string("title"), reasons: [])
            }
            let reason = try row.string("reason")
            if !found[id]!.reasons.contains(reason) { found[id]!.reasons.append(reason) }
        }
        let similar = order.prefix(20).map { id in
            var match = found[id]!
            match.reasons.sort()
            return match
        }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-search",
                                                                  note: "intake similar-case check: \(similar.count) found"))
        return similar
    }

    // MARK: Rows

    static func insertParty(_ input: PartyInput, caseId: Int64, audit: AuditContext, on db: any SQLDatabase,
                            engine: ConcordDatabase.Engine) async throws -> Int64 {
        let row = try await db.raw("""
            INSERT INTO asb_parties (case_id, role, name, name_key, address, postcode, phone, email, contact_preference,
                is_vulnerable, vulnerability_notes, created_at)
            VALUES (\(bind: caseId), \(bind: input.role.rawValue), \(bind: input.name), \(bind: input.name.map(ASBRules.matchKey)),
                \(bind: input.address), \(bind: input.postcode), \(bind: input.phone), \(bind: input.email),
                \(bind: input.contactPreference?.rawValue), \(bind: input.isVulnerable.sqlInteger), \(bind: input.vulnerabilityNotes),
                \(bind: Instant.storage(Date())))
            RETURNING id
            """).first()
        let id = try row!.int64("id")
        try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                              changes: [FieldChange(field: "\(input.role.rawValue) \(id)", before: nil,
                                                                    after: input.name ?? "not named")]),
                                  on: db, engine: engine)
        return id
    }

    static func insertIncident(_ input: IncidentInput, caseId: Int64, complainantId: Int64?, createdBy: Int64?, audit: AuditContext,
                               on db: any SQLDatabase, engine: ConcordDatabase.Engine) async throws {
        let details = input.details
        let row = try await db.raw("""
            INSERT INTO asb_incidents (case_id, occurred_on, occurred_at, address, postcode, ward, district_id, category,
                is_hate_motivated, description, created_at, created_by)
            VALUES (\(bind: caseId), \(bind: details.occurredOn.iso), \(bind: details.occurredAt), \(bind: details.address),
                \(bind: details.postcode), \(bind: details.ward), \(bind: details.districtId), \(bind: details.category.rawValue),
                \(bind: details.isHateMotivated.sqlInteger), \(bind: details.description), \(bind: Instant.storage(Date())), \(bind: createdBy))
            RETURNING id
            """).first()
        let incidentId = try row!.int64("id")
        try await insertReport(incidentId: incidentId, agencyId: input.reportingAgencyId, complainantId: complainantId,
                               reportedOn: input.reportedOn, channel: input.channel, reference: input.reference, on: db)
        try await refreshVictimFlags(caseId: caseId, complainantId: complainantId, today: CalendarDate(Date()), on: db)
        try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                              changes: [FieldChange(field: "incident \(incidentId)", before: nil,
                                                                    after: "\(details.category.rawValue) on \(details.occurredOn.iso)")]),
                                  on: db, engine: engine)
    }

    static func insertReport(incidentId: Int64, agencyId: Int64, complainantId: Int64?, reportedOn: CalendarDate,
                             channel: ReportingChannel, reference: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO asb_incident_reports (incident_id, agency_id, complainant_id, reported_on, channel, reference, created_at)
            VALUES (\(bind: incidentId), \(bind: agencyId), \(bind: complainantId), \(bind: reportedOn.iso), \(bind: channel.rawValue),
                \(bind: reference), \(bind: Instant.storage(Date())))
            """).run()
    }

    /// Repeat victim: the complainant has reported two or more incidents. Prompt: their 2nd report within any
    /// 6 months raises the Case Review prompt once (until it is explained).
    static func refreshVictimFlags(caseId: Int64, complainantId: Int64?, today: CalendarDate, on db: any SQLDatabase) async throws {
        guard let complainantId else { return }
        let reports = try await db.raw("""
            SELECT incident_id, reported_on FROM asb_incident_reports WHERE complainant_id = \(bind: complainantId)
            """).all()
        let incidents = Set(try reports.map { try $0.int64("incident_id") })
        let dates = try reports.compactMap { try $0.date("reported_on") }
        if ASBRules.isRepeatVictim(incidentsReported: incidents.count) {
            try await db.raw("UPDATE asb_cases SET is_repeat_victim = 1 WHERE case_id = \(bind: caseId)").run()
        }
        if CaseReviewPrompt.isDue(reportDates: dates) {
            try await db.raw("""
                UPDATE asb_cases SET prompt_raised_on = \(bind: today.iso)
                WHERE case_id = \(bind: caseId) AND prompt_raised_on IS NULL
                """).run()
        }
    }

    static func requireParty(_ id: Int64, role: ASBParty.Role, caseId: Int64, on db: any SQLDatabase) async throws {
        guard try await db.raw("""
            SELECT id FROM asb_parties WHERE id = \(bind: id) AND case_id = \(bind: caseId) AND role = \(bind: role.rawValue)
            """).first() != nil else {
            throw ValidationError(field: "complainantId", "Choose a complainant recorded on this case")
        }
    }

    /// One incident of a case with its reports, within a transaction; `RecordNotFoundError` when the case has no such incident.
    static func incident(id: Int64, caseId: Int64, on db: any SQLDatabase) async throws -> ASBIncident {
        guard let row = try await db.raw("SELECT * FROM asb_incidents WHERE id = \(bind: id) AND case_id = \(bind: caseId)").first() else {
            throw RecordNotFoundError(recordType: "incident", id: String(id))
        }
        var incident = try Self.incident(row)
        incident.reports = try await db.raw("""
            SELECT * FROM asb_incident_reports WHERE incident_id = \(bind: id) ORDER BY reported_on, id
            """).all().map(Self.report)
        return incident
    }

    /// An incident's facts as the audit log records them.
    static func fields(_ i: ASBIncident) -> [(String, String?)] {
        [("occurredOn", i.occurredOn.iso), ("occurredAt", i.occurredAt), ("address", i.address), ("postcode", i.postcode),
         ("ward", i.ward), ("districtId", i.districtId.map(String.init)), ("category", i.category.rawValue),
         ("isHateMotivated", String(i.isHateMotivated)), ("description", i.description),
         ("reports", i.reports.map { "agency \($0.agencyId) on \($0.reportedOn.iso)" }.joined(separator: "; "))]
    }

    static func party(_ row: any SQLRow) throws -> ASBParty {
        ASBParty(id: try row.int64("id"), caseId: try row.int64("case_id"),
                 role: ASBParty.Role(rawValue: try row.string("role")) ?? .complainant, name: try row.optionalString("name"),
                 address: try row.optionalString("address"), postcode: try row.optionalString("postcode"),
                 phone: try row.optionalString("phone"), email: try row.optionalString("email"),
                 contactPreference: try row.optionalString("contact_preference").flatMap(ContactPreference.init(rawValue:)),
                 isVulnerable: try row.bool("is_vulnerable"), vulnerabilityNotes: try row.optionalString("vulnerability_notes"))
    }

    static func incident(_ row: any SQLRow) throws -> ASBIncident {
        ASBIncident(id: try row.int64("id"), caseId: try row.int64("case_id"), occurredOn: try row.date("occurred_on") ?? CalendarDate(Date()),
                    occurredAt: try row.optionalString("occurred_at"), address: try row.optionalString("address"),
                    postcode: try row.optionalString("postcode"), ward: try row.optionalString("ward"),
                    districtId: try row.optionalInt64("district_id"),
                    category: ASBCategory(rawValue: try row.string("category")) ?? .nuisance,
                    isHateMotivated: try row.bool("is_hate_motivated"), description: try row.string("description"),
                    version: try row.int("version"))
    }

    static func report(_ row: any SQLRow) throws -> IncidentReport {
        IncidentReport(id: try row.int64("id"), incidentId: try row.int64("incident_id"), agencyId: try row.int64("agency_id"),
                       complainantId: try row.optionalInt64("complainant_id"), reportedOn: try row.date("reported_on") ?? CalendarDate(Date()),
                       channel: ReportingChannel(rawValue: try row.string("channel")) ?? .phone, reference: try row.optionalString("reference"))
    }

    static func action(_ row: any SQLRow) throws -> ASBAction {
        ASBAction(id: try row.int64("id"), caseId: try row.int64("case_id"), agencyId: try row.int64("agency_id"),
                  type: ASBActionType(rawValue: try row.string("action_type")) ?? .noAction, takenOn: try row.date("taken_on") ?? CalendarDate(Date()),
                  reason: try row.optionalString("reason"), notes: try row.optionalString("notes"))
    }
}
