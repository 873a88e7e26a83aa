import ConcordDomain
import Foundation
import SQLKit

/// ASB Case Review applications: the threshold checked against the complaints stored on ASB cases, the stages and
/// their clocks, reviewers, recommendations and the annual statutory counts.
public struct CaseReviewStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    // MARK: Rule sets and area arrangements

    /// Stored rule sets, plus the partnership-wide one from the settings (in force from the Act's commencement).
    public func ruleSets() async throws -> [ThresholdRuleSet] {
        let values = try await SettingsStore(database: database).values()
        let fromSettings = ThresholdRuleSet(effectiveFrom: ThresholdRuleSet.commencement,
                                            individualComplaints: values.int(PartnershipSettings.caseReviewIndividualComplaints),
                                            communityPeople: values.int(PartnershipSettings.caseReviewCommunityPeople),
                                            windowMonths: values.int(PartnershipSettings.caseReviewWindowMonths))
        let stored = try await database.read { db in
            try await db.raw("SELECT * FROM case_review_rule_sets ORDER BY effective_from, id").all().map(Self.ruleSet)
        }
        return [fromSettings] + stored
    }

    public func addRuleSet(_ ruleSet: ThresholdRuleSet, createdBy: Int64?, audit: AuditContext) async throws -> Int64 {
        var v = Validator()
        if ruleSet.individualComplaints < 1 { v.add("individualComplaints", "Must be 1 or more") }
        if ruleSet.communityPeople < 1 { v.add("communityPeople", "Must be 1 or more") }
        if !(1...24).contains(ruleSet.windowMonths) { v.add("windowMonths", "Must be between 1 and 24 months") }
        if !(1...12).contains(ruleSet.qualifyingReportMonths) { v.add("qualifyingReportMonths", "Must be between 1 and 12 months") }
        try v.check()
        let engine = database.engine
        return try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO case_review_rule_sets (area_id, effective_from, individual_complaints, community_people, window_months,
                    qualifying_report_months, hate_incident_suffices, created_at, created_by)
                VALUES (\(bind: ruleSet.areaId), \(bind: ruleSet.effectiveFrom.iso), \(bind: ruleSet.individualComplaints),
                    \(bind: ruleSet.communityPeople), \(bind: ruleSet.windowMonths), \(bind: ruleSet.qualifyingReportMonths),
                    \(bind: ruleSet.hateIncidentSuffices.sqlInteger), \(bind: Instant.storage(Date())), \(bind: createdBy))
                RETURNING id
                """).first()
            let id = try row!.int64("id")
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "case-review-rule-set",
                                                  recordId: String(id), note: ruleSet.summary), on: db, engine: engine)
            return id
        }
    }

    /// The area's review body and dissatisfaction route (defaults: ASB group; PCC office).
    public func arrangements(areaId: Int64) async throws -> (reviewBody: ReviewBody, route: DissatisfactionRoute) {
        let row = try await database.read { db in
            try await db.raw("SELECT * FROM case_review_areas WHERE area_id = \(bind: areaId)").first()
        }
        return (try row.flatMap { ReviewBody(rawValue: try $0.string("review_body")) } ?? .asbGroup,
                try row.flatMap { DissatisfactionRoute(rawValue: try $0.string("dissatisfaction_route")) } ?? .pccOffice)
    }

    public func setArrangements(areaId: Int64, reviewBody: ReviewBody, route: DissatisfactionRoute, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            try await db.raw("DELETE FROM case_review_areas WHERE area_id = \(bind: areaId)").run()
            try await db.raw("""
                INSERT INTO case_review_areas (area_id, review_body, dissatisfaction_route)
                VALUES (\(bind: areaId), \(bind: reviewBody.rawValue), \(bind: route.rawValue))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "case-review-area",
                                                  recordId: String(areaId), changes: [
                                                      FieldChange(field: "reviewBody", before: nil, after: reviewBody.rawValue),
                                                      FieldChange(field: "dissatisfactionRoute", before: nil, after: route.rawValue),
                                                  ]), on: db, engine: engine)
        }
    }

    // MARK: Threshold against stored complaints

    /// The complaints behind incident reports on ASB cases the principal may see. The complainant is the person
    /// (by name, so one person on two cases is one complainant; an anonymous complainant by their record), the
    /// incident is the incident (so its reports to several agencies count once), and "similar" means the same
    /// case (a case groups incidents about one problem). An unknown or hidden report is refused by field.
    public func complaints(reportIds: [Int64], filter: VisibilityFilter) async throws -> [ThresholdComplaint] {
        guard !reportIds.isEmpty else { return [] }
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT r.id, r.reported_on, r.complainant_id, p.name_key, i.id AS incident_id, i.occurred_on, i.is_hate_motivated,
                    i.case_id
                FROM asb_incident_reports r JOIN asb_incidents i ON i.id = r.incident_id
                JOIN case_records c ON c.id = i.case_id
                LEFT JOIN asb_parties p ON p.id = r.complainant_id
                WHERE r.id IN (\(binds: reportIds)) AND
                """ + VisibleQuery.predicate(for: filter)).all()
        }
        let complaints = try rows.map(Self.complaint)
        let missing = Set(reportIds).subtracting(complaints.compactMap { Int64($0.id) })
        if !missing.isEmpty {
            throw ValidationError(field: "complaints", "No such complaint: report " + missing.sorted().map(String.init).joined(separator: ", "))
        }
        return complaints
    }

    /// A complaint found in the look-back window, with the case it was made on, for an officer to choose from.
    public struct WindowComplaint: Sendable, Equatable, Encodable {
        public let complaint: ThresholdComplaint
        public let caseId: Int64
        public let caseReference: String
        public let category: ASBCategory
        public let complainantName: String?
    }

    /// Every complaint made by these complainants (name keys) and every complaint about the same problems (ASB
    /// cases) in the look-back window before `receivedOn`, leaving out those on `excludedCaseId` (the case the
    /// application starts from, whose reports the form lists already): what an officer would gather by hand. Uses
    /// the indexes on complainant and case; visibility as everywhere; audited as a search naming the cases found.
    public func complaintsInWindow(complainantKeys: [String], caseIds: [Int64], excludingCase excludedCaseId: Int64? = nil,
                                   receivedOn: CalendarDate, windowMonths: Int, filter: VisibilityFilter,
                                   audit: AuditContext) async throws -> [WindowComplaint] {
        let from = receivedOn.adding(months: -windowMonths).iso
        let to = receivedOn.iso
        let rows: [any SQLRow] = try await database.read { db in
            var ids: [SQLQueryString] = []
            if !complainantKeys.isEmpty {
                ids.append("""
                    SELECT r.id FROM asb_parties p JOIN asb_incident_reports r ON r.complainant_id = p.id
                    WHERE p.name_key IN (\(binds: complainantKeys)) AND r.reported_on BETWEEN \(bind: from) AND \(bind: to)
                    """)
            }
            if !caseIds.isEmpty {
                ids.append("""
                    SELECT r.id FROM asb_incidents i JOIN asb_incident_reports r ON r.incident_id = i.id
                    WHERE i.case_id IN (\(binds: caseIds)) AND r.reported_on BETWEEN \(bind: from) AND \(bind: to)
                    """)
            }
            guard !ids.isEmpty else { return [] }
            let excluded: SQLQueryString = excludedCaseId.map { " AND i.case_id <> \(bind: $0)" } ?? ""
            return try await db.raw("""
                SELECT r.id, r.reported_on, r.complainant_id, p.name_key, p.name AS complainant_name, i.id AS incident_id,
                    i.occurred_on, i.category, i.is_hate_motivated, i.case_id, c.reference
                FROM asb_incident_reports r JOIN asb_incidents i ON i.id = r.incident_id
                JOIN case_records c ON c.id = i.case_id
                LEFT JOIN asb_parties p ON p.id = r.complainant_id
                WHERE r.id IN (
                """ + ids.joined(separator: " UNION ") + ")" + excluded + " AND " + VisibleQuery.predicate(for: filter)
                + " ORDER BY r.reported_on DESC, r.id DESC").all()
        }
        let found = try rows.map { row in
            WindowComplaint(complaint: try Self.complaint(row), caseId: try row.int64("case_id"), caseReference: try row.string("reference"),
                            category: ASBCategory(rawValue: try row.string("category")) ?? .nuisance,
                            complainantName: try row.optionalString("complainant_name"))
        }
        var references: [String] = []
        for complaint in found where !references.contains(complaint.caseReference) { references.append(complaint.caseReference) }
        try await AuditLog(database: database).record(AuditRecord(
            context: audit, action: .view, recordType: "case-search",
            note: "Case Review complaints in the window: \(found.count) found" + (references.isEmpty ? "" : " on " + references.joined(separator: ", "))))
        return found
    }

    static func complaint(_ row: any SQLRow) throws -> ThresholdComplaint {
        let complainant = try row.optionalString("name_key") ?? (try row.optionalInt64("complainant_id")).map { "party:\($0)" } ?? "agency"
        return ThresholdComplaint(id: String(try row.int64("id")), complainant: complainant,
                                  incident: String(try row.int64("incident_id")),
                                  behaviourOn: try row.date("occurred_on") ?? CalendarDate(Date()),
                                  reportedOn: try row.date("reported_on") ?? CalendarDate(Date()),
                                  similarityKey: "case:\(try row.int64("case_id"))", isHateIncident: try row.bool("is_hate_motivated"))
    }

    // MARK: Applications

    /// Records an application: checks the threshold against the rule set in force for the area on the received
    /// date, opens a `case-review` case for the principal's agency (shared with `sharedWith`, the relevant bodies),
    /// and flags the ward Member notice for a multiple-resident application. Returns the case id.
    public func create(_ input: ApplicationInput, sharedWith: Set<Int64>, principal: Principal, filter: VisibilityFilter,
                       audit: AuditContext) async throws -> Int64 {
        let complaints = try await complaints(reportIds: input.reportIds, filter: filter)
        try CaseReviewRules.validate(complaints, receivedOn: input.receivedOn, today: CalendarDate(Date()))
        guard let ruleSet = CaseReviewRules.ruleSet(for: input.areaId, on: input.receivedOn, from: try await ruleSets()) else {
            throw ValidationError(field: "receivedOn", "No threshold rule set was in force for this area on \(input.receivedOn.long)")
        }
        let result = CaseReviewRules.check(complaints, receivedOn: input.receivedOn, ruleSet: ruleSet)
        let arrangements = try await arrangements(areaId: input.areaId)
        let areaName = try await DirectoryStore(database: database).cspAreas().first { $0.id == input.areaId }?.name ?? "area"
        let residents = input.applicants.filter { !$0.isMember }.count
        let resultJSON = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        let engine = database.engine
        return try await database.write { db in
            let record = try await CaseStore.insert(
                CaseInput(caseType: .caseReview, title: "ASB Case Review, \(areaName), received \(input.receivedOn.long)",
                          owningAgencyId: principal.agencyId, sharedWith: sharedWith.subtracting([principal.agencyId]),
                          classification: .officialSensitivePersonal, isRestricted: false),
                createdBy: principal.userId, audit: audit, on: db, engine: engine)
            try await db.raw("""
                INSERT INTO case_review_applications (case_id, area_id, received_on, channel, on_behalf_of, stage, threshold_met,
                    threshold_result, review_body, ward_member_notice_due)
                VALUES (\(bind: record.id), \(bind: input.areaId), \(bind: input.receivedOn.iso), \(bind: input.channel.rawValue),
                    \(bind: input.onBehalfOf), \(bind: ApplicationStage.received.rawValue), \(bind: result.met.sqlInteger),
                    \(bind: resultJSON), \(bind: arrangements.reviewBody.rawValue),
                    \(bind: CaseReviewRules.notifiesWardMember(residentApplicants: residents).sqlInteger))
                """).run()
            for applicant in input.applicants {
                try await db.raw("""
                    INSERT INTO case_review_applicants (case_id, name, name_key, is_member, person_id)
                    VALUES (\(bind: record.id), \(bind: applicant.name), \(bind: ASBRules.matchKey(applicant.name)),
                        \(bind: applicant.isMember.sqlInteger), \(bind: applicant.personId))
                    """).run()
            }
            for report in input.reportIds {
                try await db.raw("INSERT INTO case_review_complaints (case_id, report_id) VALUES (\(bind: record.id), \(bind: report))").run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(record.id),
                                                  changes: [FieldChange(field: "threshold", before: nil,
                                                                        after: result.met ? "met" : "not met")]),
                                      on: db, engine: engine)
            return record.id
        }
    }

    /// One application, if the principal may see it; the view is audited.
    public func load(id: Int64, filter: VisibilityFilter, audit: AuditContext) async throws -> CaseReviewApplication? {
        let found: CaseReviewApplication? = try await database.read { db in
            guard let record = try await CaseStore.load(id: id, filter: filter, on: db), record.caseType == .caseReview,
                  let row = try await db.raw("SELECT * FROM case_review_applications WHERE case_id = \(bind: id)").first()
            else { return nil }
            var application = try Self.application(row, record: record)
            application.applicants = try await db.raw("SELECT * FROM case_review_applicants WHERE case_id = \(bind: id) ORDER BY id")
                .all().map { Applicant(name: try $0.string("name"), isMember: try $0.bool("is_member"), personId: try $0.optionalInt64("person_id")) }
            application.reviewerPersonIds = try await db.raw("SELECT person_id FROM case_review_reviewers WHERE case_id = \(bind: id)")
                .all().map { try $0.int64("person_id") }.sorted()
            application.recommendations = try await db.raw("SELECT * FROM case_review_recommendations WHERE case_id = \(bind: id) ORDER BY id")
                .all().map(Self.recommendation)
            return application
        }
        guard let found else { return nil }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case", recordId: String(id)))
        return found
    }

    public struct Summary: Sendable, Equatable {
        public let caseId: Int64
        public let reference: String
        public let areaId: Int64
        public let receivedOn: CalendarDate
        public let stage: ApplicationStage
        public let dates: ApplicationDates

        public var thresholdMet: Bool { dates.thresholdMet }
    }

    /// Visible applications, newest first (only those still open when `openOnly`); audited as one list view.
    /// (`CROSS JOIN` keeps SQLite walking from the newest: see `ASBStore.list`.)
    public func list(areaId: Int64?, openOnly: Bool = false, filter: VisibilityFilter, cursor: Int64?, limit: Int,
                     audit: AuditContext) async throws -> Page<Summary> {
        let limit = max(1, min(limit, CaseStore.maximumPageSize))
        let rows = try await database.read { db in
            var sql: SQLQueryString = """
                SELECT c.id, c.reference, a.area_id, a.received_on, a.stage, a.threshold_met, a.initial_decision_on,
                    a.review_outcome_on, a.dissatisfied_on, a.dissatisfaction_outcome_on
                FROM case_review_applications a CROSS JOIN case_records c WHERE c.id = a.case_id AND
                """ + VisibleQuery.predicate(for: filter)
            if let areaId { sql += " AND a.area_id = \(bind: areaId)" }
            if openOnly { sql += " AND a.stage IN ('received', 'under-review', 'dissatisfaction')" }
            if let cursor { sql += " AND a.case_id < \(bind: cursor)" }
            sql += " ORDER BY a.case_id DESC LIMIT \(literal: limit + 1)"
            return try await db.raw(sql).all()
        }
        let items = try rows.prefix(limit).map { row in
            Summary(caseId: try row.int64("id"), reference: try row.string("reference"), areaId: try row.int64("area_id"),
                    receivedOn: try row.date("received_on") ?? CalendarDate(Date()),
                    stage: ApplicationStage(rawValue: try row.string("stage")) ?? .received,
                    dates: ApplicationDates(receivedOn: try row.date("received_on") ?? CalendarDate(Date()),
                                            thresholdMet: try row.bool("threshold_met"), initialDecisionOn: try row.date("initial_decision_on"),
                                            reviewOutcomeOn: try row.date("review_outcome_on"), dissatisfiedOn: try row.date("dissatisfied_on"),
                                            dissatisfactionOutcomeOn: try row.date("dissatisfaction_outcome_on")))
        }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-list",
                                                                  note: "\(items.count) Case Review application(s) listed"))
        return Page(items: items, nextCursor: rows.count > limit ? items.last?.caseId : nil)
    }

    /// A step in an application's life, recorded by a case worker.
    public enum Step: Sendable, Equatable {
        case initialDecision(on: CalendarDate, notes: String?)
        case reviewOutcome(on: CalendarDate, finding: ActionFinding, reason: String, outcome: String)
        case wardMemberNotified(on: CalendarDate)
        case dissatisfied(on: CalendarDate, route: DissatisfactionRoute)
        case dissatisfactionOutcome(on: CalendarDate, outcome: String)
        case reviewer(personId: Int64)
        case recommendation(text: String, ownerAgencyId: Int64, dueOn: CalendarDate)
        case recommendationStatus(id: Int64, expectedVersion: Int, status: RecommendationStatus)
    }

    /// Records a step when the application is at a stage that allows it; otherwise a message naming the stage.
    public func record(_ step: Step, caseId: Int64, principal: Principal, filter: VisibilityFilter, audit: AuditContext) async throws {
        let engine = database.engine
        try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                _ = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                let row = try await db.raw("SELECT * FROM case_review_applications WHERE case_id = \(bind: caseId)").first()!
                let stage = ApplicationStage(rawValue: try row.string("stage")) ?? .received
                let received = try row.date("received_on")!
                func require(_ allowed: [ApplicationStage], _ what: String) throws {
                    guard allowed.contains(stage) else {
                        throw ValidationError(field: "stage", "The application is at “\(stage.label)”: \(what) cannot be recorded now")
                    }
                }
                func notBefore(_ date: CalendarDate, _ earliest: CalendarDate, field: String) throws {
                    if date < earliest { throw ValidationError(field: field, "The date cannot be before \(earliest.long)") }
                    if date > CalendarDate(Date()) { throw ValidationError(field: field, "The date cannot be in the future") }
                }
                var change: FieldChange
                switch step {
                case .initialDecision(let on, let notes):
                    try require([.received], "the initial decision")
                    try notBefore(on, received, field: "decidedOn")
                    let next: ApplicationStage = try row.bool("threshold_met") ? .underReview : .thresholdNotMet
                    try await db.raw("""
                        UPDATE case_review_applications SET initial_decision_on = \(bind: on.iso), initial_decision_notes = \(bind: notes),
                            stage = \(bind: next.rawValue) WHERE case_id = \(bind: caseId)
                        """).run()
                    change = FieldChange(field: "stage", before: stage.rawValue, after: next.rawValue)
                case .reviewOutcome(let on, let finding, let reason, let outcome):
                    try require([.underReview], "the review outcome")
                    try notBefore(on, received, field: "outcomeOn")
                    try await db.raw("""
                        UPDATE case_review_applications SET review_outcome_on = \(bind: on.iso), review_outcome = \(bind: outcome),
                            action_finding = \(bind: finding.rawValue), action_finding_reason = \(bind: reason),
                            stage = \(bind: ApplicationStage.reviewed.rawValue) WHERE case_id = \(bind: caseId)
                        """).run()
                    change = FieldChange(field: "stage", before: stage.rawValue, after: ApplicationStage.reviewed.rawValue)
                case .wardMemberNotified(let on):
                    try notBefore(on, received, field: "notifiedOn")
                    try await db.raw("""
                        UPDATE case_review_applications SET ward_member_notified_on = \(bind: on.iso) WHERE case_id = \(bind: caseId)
                        """).run()
                    change = FieldChange(field: "wardMemberNotifiedOn", before: nil, after: on.iso)
                case .dissatisfied(let on, let route):
                    try require([.thresholdNotMet, .reviewed], "the applicant's dissatisfaction")
                    try notBefore(on, received, field: "dissatisfiedOn")
                    try await db.raw("""
                        UPDATE case_review_applications SET dissatisfied_on = \(bind: on.iso), dissatisfaction_route = \(bind: route.rawValue),
                            stage = \(bind: ApplicationStage.dissatisfaction.rawValue) WHERE case_id = \(bind: caseId)
                        """).run()
                    change = FieldChange(field: "stage", before: stage.rawValue, after: ApplicationStage.dissatisfaction.rawValue)
                case .dissatisfactionOutcome(let on, let outcome):
                    try require([.dissatisfaction], "the response to the dissatisfied applicant")
                    try notBefore(on, try row.date("dissatisfied_on") ?? received, field: "respondedOn")
                    try await db.raw("""
                        UPDATE case_review_applications SET dissatisfaction_outcome_on = \(bind: on.iso),
                            dissatisfaction_outcome = \(bind: outcome), stage = \(bind: ApplicationStage.closed.rawValue)
                        WHERE case_id = \(bind: caseId)
                        """).run()
                    change = FieldChange(field: "stage", before: stage.rawValue, after: ApplicationStage.closed.rawValue)
                case .reviewer(let personId):
                    let applicants = Set(try await db.raw("""
                        SELECT person_id FROM case_review_applicants WHERE case_id = \(bind: caseId) AND person_id IS NOT NULL
                        """).all().map { try $0.int64("person_id") })
                    guard CaseReviewRules.mayReview(memberPersonId: personId, applicantPersonIds: applicants) else {
                        throw ValidationError(field: "personId", "This person applied for the review and may not sit on it (conflict of interest)")
                    }
                    try await rethrowingDuplicate(field: "personId", message: "This person is already a reviewer") {
                        try await db.raw("INSERT INTO case_review_reviewers (case_id, person_id) VALUES (\(bind: caseId), \(bind: personId))").run()
                    }
                    change = FieldChange(field: "reviewer", before: nil, after: String(personId))
                case .recommendation(let text, let owner, let due):
                    try require([.underReview, .reviewed, .dissatisfaction], "a recommendation")
                    try await db.raw("""
                        INSERT INTO case_review_recommendations (case_id, text, owner_agency_id, due_on, status, created_at)
                        VALUES (\(bind: caseId), \(bind: text), \(bind: owner), \(bind: due.iso), 'open', \(bind: Instant.storage(Date())))
                        """).run()
                    change = FieldChange(field: "recommendation", before: nil, after: text)
                case .recommendationStatus(let id, let version, let status):
                    guard try await db.raw("""
                        UPDATE case_review_recommendations SET status = \(bind: status.rawValue), version = version + 1
                        WHERE id = \(bind: id) AND case_id = \(bind: caseId) AND version = \(bind: version) RETURNING id
                        """).first() != nil else { throw StaleRecordError(recordType: "recommendation", id: id) }
                    change = FieldChange(field: "recommendation \(id) status", before: nil, after: status.rawValue)
                }
                try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                      changes: [change]), on: db, engine: engine)
            }
        }
    }

    /// The statutory counts per area for a calendar year, over every application (aggregates, not case content:
    /// the caller has checked `readStatutoryCounts`). A review is "carried out" once its outcome is recorded.
    public func annualCounts(year: Int) async throws -> [CaseReviewCounts] {
        let from = "\(year)-01-01", to = "\(year)-12-31"
        return try await database.read { db in
            try await db.raw("""
                SELECT ar.id, ar.name,
                    COUNT(a.case_id) AS received,
                    COALESCE(SUM(CASE WHEN a.threshold_met = 0 THEN 1 ELSE 0 END), 0) AS not_met,
                    COALESCE(SUM(CASE WHEN a.review_outcome_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS reviewed,
                    COALESCE(SUM(CASE WHEN a.review_outcome_on IS NOT NULL AND EXISTS (
                        SELECT 1 FROM case_review_recommendations r WHERE r.case_id = a.case_id) THEN 1 ELSE 0 END), 0) AS recommended
                FROM csp_areas ar LEFT JOIN case_review_applications a
                    ON a.area_id = ar.id AND a.received_on BETWEEN \(bind: from) AND \(bind: to)
                GROUP BY ar.id, ar.name ORDER BY ar.name
                """).all().map { row in
                CaseReviewCounts(areaId: try row.int64("id"), areaName: try row.string("name"), year: year,
                                 applicationsReceived: try row.int("received"), thresholdNotMet: try row.int("not_met"),
                                 reviewsCarriedOut: try row.int("reviewed"), reviewsWithRecommendations: try row.int("recommended"))
            }
        }
    }

    // MARK: Rows

    static func ruleSet(_ row: any SQLRow) throws -> ThresholdRuleSet {
        ThresholdRuleSet(id: try row.int64("id"), areaId: try row.optionalInt64("area_id"),
                         effectiveFrom: try row.date("effective_from") ?? ThresholdRuleSet.commencement,
                         individualComplaints: try row.int("individual_complaints"), communityPeople: try row.int("community_people"),
                         windowMonths: try row.int("window_months"), qualifyingReportMonths: try row.int("qualifying_report_months"),
                         hateIncidentSuffices: try row.bool("hate_incident_suffices"))
    }

    static func application(_ row: any SQLRow, record: CaseRecord) throws -> CaseReviewApplication {
        let result = try JSONDecoder().decode(ThresholdResult.self, from: Data(try row.string("threshold_result").utf8))
        var application = CaseReviewApplication(
            record: record, areaId: try row.int64("area_id"), receivedOn: try row.date("received_on") ?? CalendarDate(Date()),
            channel: ApplicationChannel(rawValue: try row.string("channel")) ?? .onlineForm, onBehalfOf: try row.optionalString("on_behalf_of"),
            applicants: [], stage: ApplicationStage(rawValue: try row.string("stage")) ?? .received, threshold: result,
            reviewBody: ReviewBody(rawValue: try row.string("review_body")) ?? .asbGroup)
        application.initialDecisionOn = try row.date("initial_decision_on")
        application.initialDecisionNotes = try row.optionalString("initial_decision_notes")
        application.actionFinding = try row.optionalString("action_finding").flatMap(ActionFinding.init(rawValue:))
        application.actionFindingReason = try row.optionalString("action_finding_reason")
        application.reviewOutcomeOn = try row.date("review_outcome_on")
        application.reviewOutcome = try row.optionalString("review_outcome")
        application.wardMemberNoticeDue = try row.bool("ward_member_notice_due")
        application.wardMemberNotifiedOn = try row.date("ward_member_notified_on")
        application.dissatisfiedOn = try row.date("dissatisfied_on")
        application.dissatisfactionRoute = try row.optionalString("dissatisfaction_route").flatMap(DissatisfactionRoute.init(rawValue:))
        application.dissatisfactionOutcomeOn = try row.date("dissatisfaction_outcome_on")
        application.dissatisfactionOutcome = try row.optionalString("dissatisfaction_outcome")
        return application
    }

    static func recommendation(_ row: any SQLRow) throws -> Recommendation {
        Recommendation(id: try row.int64("id"), text: try row.string("text"), ownerAgencyId: try row.int64("owner_agency_id"),
                       dueOn: try row.date("due_on") ?? CalendarDate(Date()),
                       status: RecommendationStatus(rawValue: try row.string("status")) ?? .open, version: try row.int("version"))
    }
}
