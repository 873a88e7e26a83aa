import ConcordDomain
import Foundation
import SQLKit

/// Domestic Homicide Reviews. A review is a restricted `dhr` case record owned by the DHR team's agency and shared
/// with the agencies on its panel, so `VisibleQuery` alone decides who sees it: no one else learns it exists, in
/// lists, counts or searches. Every read and write of a review is audited.
public struct DHRStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public struct Notification: Sendable {
        public var pseudonym: String
        public var cspArea: String?
        public var notifiedOn: CalendarDate
        public var panelAgencyIds: Set<Int64>

        public init(pseudonym: String, cspArea: String?, notifiedOn: CalendarDate, panelAgencyIds: Set<Int64>) {
            self.pseudonym = pseudonym
            self.cspArea = cspArea
            self.notifiedOn = notifiedOn
            self.panelAgencyIds = panelAgencyIds
        }
    }

    /// Records a notified death as a new review owned by the principal's agency (the DHR team).
    public func notify(_ input: Notification, principal: Principal, audit: AuditContext) async throws -> Int64 {
        var v = Validator()
        let pseudonym = v.required(input.pseudonym, field: "pseudonym", label: "the anonymised name (e.g. Adult A)", maxLength: 100) ?? ""
        try v.check()
        let engine = database.engine
        return try await database.write { db in
            let record = try await CaseStore.insert(
                CaseInput(caseType: .dhr, title: "DHR: \(pseudonym)", owningAgencyId: principal.agencyId,
                          sharedWith: input.panelAgencyIds.subtracting([principal.agencyId]), classification: .officialSensitivePersonal, isRestricted: true),
                createdBy: principal.userId > 0 ? principal.userId : nil, audit: audit, on: db, engine: engine)
            try await db.raw("""
                INSERT INTO dhr_reviews (case_id, pseudonym, csp_area, notified_on, stage)
                VALUES (\(bind: record.id), \(bind: pseudonym), \(bind: input.cspArea), \(bind: input.notifiedOn.iso), \(bind: DHRStage.notified.rawValue))
                """).run()
            try await db.raw("""
                INSERT INTO dhr_stage_events (case_id, stage, on_date, by_user_id, recorded_at)
                VALUES (\(bind: record.id), 'notified', \(bind: input.notifiedOn.iso), \(bind: audit.userId), \(bind: Instant.storage(Date())))
                """).run()
            return record.id
        }
    }

    /// The reviews the filter admits, newest notification first; the listing is audited like any case list.
    public func reviews(filter: VisibilityFilter, audit: AuditContext) async throws -> [DHRReview] {
        let reviews = try await database.read { db in
            let ids = try await db.raw("""
                SELECT r.case_id FROM dhr_reviews r JOIN case_records c ON c.id = r.case_id WHERE
                """ + VisibleQuery.predicate(for: filter) + " ORDER BY r.notified_on DESC, r.case_id DESC").all().map { try $0.int64("case_id") }
            var reviews: [DHRReview] = []
            for id in ids { if let review = try await Self.review(caseId: id, on: db) { reviews.append(review) } }
            return reviews
        }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-list",
                                                                  note: "\(reviews.count) case(s) listed of type dhr: "
                                                                      + reviews.map(\.reference).joined(separator: ", ")))
        return reviews
    }

    static func review(caseId: Int64, on db: any SQLDatabase) async throws -> DHRReview? {
        guard let row = try await db.raw("""
            SELECT r.*, c.reference, c.owning_agency_id FROM dhr_reviews r JOIN case_records c ON c.id = r.case_id WHERE r.case_id = \(bind: caseId)
            """).first() else { return nil }
        let events = try await db.raw("SELECT * FROM dhr_stage_events WHERE case_id = \(bind: caseId) ORDER BY on_date, id").all().map { event in
            DHRStageEvent(stage: DHRStage(rawValue: try event.string("stage")) ?? .notified, on: try event.date("on_date")!,
                          byUserId: try event.optionalInt64("by_user_id"), outcome: try event.optionalString("outcome"), note: try event.optionalString("note"))
        }
        let panel = Set(try await db.raw("SELECT agency_id FROM case_shares WHERE case_id = \(bind: caseId)").all().map { try $0.int64("agency_id") })
        return DHRReview(caseId: caseId, reference: try row.string("reference"), pseudonym: try row.string("pseudonym"), cspArea: try row.optionalString("csp_area"),
                         notifiedOn: try row.date("notified_on")!, stage: DHRStage(rawValue: try row.string("stage")) ?? .notified,
                         isCommissioned: try row.decode(column: "is_commissioned", as: Int?.self).map { $0 != 0 },
                         independentChair: try row.optionalString("independent_chair"), publishedURL: try row.optionalString("published_url"),
                         commissionerRecommendationsOn: try row.date("commissioner_recommendations_on"),
                         commissionerResponseOn: try row.date("commissioner_response_on"), events: events, panelAgencyIds: panel, teamAgencyId: try row.int64("owning_agency_id"),
                         signOffOverride: try row.optionalString("sign_off_override"), version: try row.int("version"))
    }

    /// One review, when the filter admits it; the read is audited.
    public func review(caseId: Int64, filter: VisibilityFilter, audit: AuditContext) async throws -> DHRReview? {
        guard try await CaseStore(database: database).view(id: caseId, filter: filter, audit: audit) != nil else { return nil }
        return try await database.read { db in try await Self.review(caseId: caseId, on: db) }
    }

    private func visible(_ caseId: Int64, filter: VisibilityFilter, on db: any SQLDatabase) async throws {
        guard try await CaseStore.load(id: caseId, filter: filter, on: db) != nil,
              try await db.raw("SELECT case_id FROM dhr_reviews WHERE case_id = \(bind: caseId)").first() != nil else { throw RecordNotFoundError(recordType: "review", id: String(caseId)) }
    }

    /// Moves a review to its next stage (`DHRRules.checkMove`), with what the stage records.
    public func advance(caseId: Int64, expectedVersion: Int, to stage: DHRStage, on date: CalendarDate, outcome: String?, note: String?,
                        filter: VisibilityFilter, audit: AuditContext) async throws {
        try DHRRules.checkDetails(stage, outcome: outcome, note: note)
        let engine = database.engine
        try await database.write { db in
            try await visible(caseId, filter: filter, on: db)
            guard let review = try await Self.review(caseId: caseId, on: db) else { throw RecordNotFoundError(recordType: "review", id: String(caseId)) }
            if stage == .signedOff { throw ValidationError(field: "stage", "Sign a review off with the sign-off form") }
            try DHRRules.checkMove(from: review.stage, to: stage, isCommissioned: review.isCommissioned)
            if let last = review.events.last, date < last.on {
                throw ValidationError(field: "on", "The date cannot be before the last stage (\(last.on.long))")
            }
            var extra: SQLQueryString = ""
            switch stage {
            case .decided: extra = ", is_commissioned = \(bind: outcome == "commissioned" ? 1 : 0)"
            case .chairAppointed: extra = ", independent_chair = \(bind: note)"
            case .published: extra = ", published_url = \(bind: note)"
            default: break
            }
            guard try await db.raw("""
                UPDATE dhr_reviews SET stage = \(bind: stage.rawValue), version = version + 1
                """ + extra + " WHERE case_id = \(bind: caseId) AND version = \(bind: expectedVersion) RETURNING case_id").first() != nil else {
                throw StaleRecordError(recordType: "review", id: caseId)
            }
            try await db.raw("""
                INSERT INTO dhr_stage_events (case_id, stage, on_date, by_user_id, outcome, note, recorded_at)
                VALUES (\(bind: caseId), \(bind: stage.rawValue), \(bind: date.iso), \(bind: audit.userId), \(bind: outcome), \(bind: note),
                        \(bind: Instant.storage(Date())))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                  changes: [FieldChange(field: "stage", before: review.stage.rawValue, after: stage.rawValue),
                                                            FieldChange(field: "outcome", before: nil, after: outcome)]),
                                      on: db, engine: engine)
        }
    }

    public func actions(caseId: Int64, filter: VisibilityFilter) async throws -> [DHRAction] {
        try await database.read { db in
            try await visible(caseId, filter: filter, on: db)
            var updates: [Int64: [DHRActionUpdate]] = [:]
            for row in try await db.raw("""
                SELECT u.* FROM dhr_action_updates u JOIN dhr_actions a ON a.id = u.action_id WHERE a.case_id = \(bind: caseId) ORDER BY u.on_date, u.id
                """).all() {
                updates[try row.int64("action_id"), default: []].append(
                    DHRActionUpdate(on: try row.date("on_date")!, text: try row.string("text"), evidence: try row.optionalString("evidence"),
                                    byUserId: try row.optionalInt64("by_user_id")))
            }
            return try await db.raw("SELECT * FROM dhr_actions WHERE case_id = \(bind: caseId) ORDER BY due_on, id").all().map { row in
                let id = try row.int64("id")
                return DHRAction(id: id, caseId: caseId, recommendation: try row.string("recommendation"), agencyId: try row.int64("agency_id"),
                                 action: try row.string("action"), dueOn: try row.date("due_on")!, completedOn: try row.date("completed_on"),
                                 updates: updates[id] ?? [], version: try row.int("version"))
            }
        }
    }

    /// Adds an action for an agency; an agency not yet on the panel joins it (the review is shared with it).
    @discardableResult
    public func addAction(caseId: Int64, recommendation: String, agencyId: Int64, action: String, dueOn: CalendarDate, filter: VisibilityFilter,
                          audit: AuditContext) async throws -> Int64 {
        var v = Validator()
        let recommendation = v.required(recommendation, field: "recommendation", label: "the recommendation", maxLength: 2_000) ?? ""
        let action = v.required(action, field: "action", label: "the action", maxLength: 2_000) ?? ""
        try v.check()
        let engine = database.engine
        return try await database.write { db in
            try await visible(caseId, filter: filter, on: db)
            try await CaseStore.requireExisting(table: "agencies", ids: [agencyId], field: "agencyId", label: "agency", on: db)
            if try await db.raw("""
                SELECT 1 AS shared FROM case_shares WHERE case_id = \(bind: caseId) AND agency_id = \(bind: agencyId)
                UNION SELECT 1 FROM case_records WHERE id = \(bind: caseId) AND owning_agency_id = \(bind: agencyId)
                """).first() == nil {
                try await db.raw("INSERT INTO case_shares (case_id, agency_id) VALUES (\(bind: caseId), \(bind: agencyId))").run()
            }
            let id = try await db.raw("""
                INSERT INTO dhr_actions (case_id, recommendation, agency_id, action, due_on)
                VALUES (\(bind: caseId), \(bind: recommendation), \(bind: agencyId), \(bind: action), \(bind: dueOn.iso)) RETURNING id
                """).first()!.int64("id")
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                  changes: FieldChange.created([("dhrAction", String(id)), ("agencyId", String(agencyId)),
                                                                                ("action", action), ("dueOn", dueOn.iso)])),
                                      on: db, engine: engine)
            return id
        }
    }

    /// An agency's update on its own action (the DHR team may update any), with evidence; `complete` closes it.
    public func addUpdate(actionId: Int64, expectedVersion: Int, on date: CalendarDate, text: String, evidence: String?, complete: Bool,
                          principal: Principal, filter: VisibilityFilter, audit: AuditContext) async throws {
        var v = Validator()
        let text = v.required(text, field: "text", label: "the update", maxLength: 5_000) ?? ""
        if complete, (evidence ?? "").trimmingCharacters(in: .whitespaces).isEmpty { v.add("evidence", "Give the evidence that the action is complete") }
        try v.check()
        let engine = database.engine
        try await CaseStore.auditingDenial(of: actionId, recordType: "dhr-action", in: database, audit: audit) { try await database.write { db in
            guard let row = try await db.raw("""
                SELECT a.case_id, a.agency_id, c.owning_agency_id FROM dhr_actions a JOIN case_records c ON c.id = a.case_id WHERE a.id = \(bind: actionId)
                """).first() else { throw RecordNotFoundError(recordType: "DHR action", id: String(actionId)) }
            let caseId = try row.int64("case_id")
            try await visible(caseId, filter: filter, on: db)
            let actionAgency = try row.int64("agency_id"), team = try row.int64("owning_agency_id")
            guard principal.agencyId == actionAgency || principal.agencyId == team else {
                throw AccessDeniedError(action: "update", recordType: "DHR action of another agency")
            }
            guard try await db.raw("""
                UPDATE dhr_actions SET version = version + 1, completed_on = \(bind: complete ? date.iso : nil)
                WHERE id = \(bind: actionId) AND version = \(bind: expectedVersion) AND completed_on IS NULL RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "action", id: actionId) }
            try await db.raw("""
                INSERT INTO dhr_action_updates (action_id, on_date, text, evidence, by_user_id, recorded_at)
                VALUES (\(bind: actionId), \(bind: date.iso), \(bind: text), \(bind: evidence), \(bind: audit.userId), \(bind: Instant.storage(Date())))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                  changes: [FieldChange(field: "dhrAction:\(actionId)", before: nil, after: complete ? "complete" : "update")]),
                                      on: db, engine: engine)
        } }
    }

    /// Signs a review off: every action complete, or an override with its reason confirmed by a second person.
    public func signOff(caseId: Int64, expectedVersion: Int, on date: CalendarDate, overrideReason: String?, confirmedBy: Int64?,
                        filter: VisibilityFilter, audit: AuditContext) async throws {
        let actions = try await actions(caseId: caseId, filter: filter)
        try DHRRules.checkSignOff(actions: actions, overrideReason: overrideReason, requestedBy: audit.userId, confirmedBy: confirmedBy)
        let engine = database.engine
        try await database.write { db in
            guard let review = try await Self.review(caseId: caseId, on: db) else { throw RecordNotFoundError(recordType: "review", id: String(caseId)) }
            try DHRRules.checkMove(from: review.stage, to: .signedOff, isCommissioned: review.isCommissioned)
            if let confirmedBy {
                try await CaseStore.requireExisting(table: "users", ids: [confirmedBy], field: "confirmedBy", label: "user", on: db)
            }
            let override = actions.contains { $0.completedOn == nil } ? overrideReason : nil
            guard try await db.raw("""
                UPDATE dhr_reviews SET stage = 'signed-off', sign_off_override = \(bind: override), version = version + 1
                WHERE case_id = \(bind: caseId) AND version = \(bind: expectedVersion) RETURNING case_id
                """).first() != nil else { throw StaleRecordError(recordType: "review", id: caseId) }
            try await db.raw("""
                INSERT INTO dhr_stage_events (case_id, stage, on_date, by_user_id, note, recorded_at)
                VALUES (\(bind: caseId), 'signed-off', \(bind: date.iso), \(bind: audit.userId),
                        \(bind: override.map { "Override: \($0) (confirmed by user \(confirmedBy ?? 0))" }), \(bind: Instant.storage(Date())))
                """).run()
            try await db.raw("UPDATE case_records SET status = 'closed' WHERE id = \(bind: caseId)").run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                  changes: [FieldChange(field: "stage", before: review.stage.rawValue, after: "signed-off"),
                                                            FieldChange(field: "override", before: nil, after: override)]),
                                      on: db, engine: engine)
        }
    }

    /// Records when the Domestic Abuse Commissioner's recommendations arrived and when the partnership answered
    /// them (56 days: `DHRRules.clocks`).
    public func recordCommissioner(caseId: Int64, recommendationsOn: CalendarDate, responseOn: CalendarDate?, filter: VisibilityFilter,
                                   audit: AuditContext) async throws {
        if let responseOn, responseOn < recommendationsOn {
            throw ValidationError(field: "responseOn", "The response cannot come before the recommendations")
        }
        let engine = database.engine
        try await database.write { db in
            try await visible(caseId, filter: filter, on: db)
            guard let review = try await Self.review(caseId: caseId, on: db), review.stage >= .sentToCommissioner else {
                throw ValidationError(field: "recommendationsOn", "Record the Commissioner's recommendations once the review has been sent")
            }
            try await db.raw("""
                UPDATE dhr_reviews SET commissioner_recommendations_on = \(bind: recommendationsOn.iso), commissioner_response_on = \(bind: responseOn?.iso),
                    version = version + 1 WHERE case_id = \(bind: caseId)
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "case", recordId: String(caseId),
                                                  changes: [FieldChange(field: "commissionerRecommendationsOn", before: nil, after: recommendationsOn.iso),
                                                            FieldChange(field: "commissionerResponseOn", before: nil, after: responseOn?.iso)]),
                                      on: db, engine: engine)
        }
    }

    /// Escalates late actions up the ladder, one notification per rung reached: the team's DHR officers, the
    /// owning agency's DHR lead, a body's members (a rung named as the body is), and the partnership's chair.
    /// Returns how many escalations it made.
    public func escalateLateActions(today: CalendarDate, ladder: [String], stepDays: Int) async throws -> Int {
        let candidates = try await database.read { db in
            try await db.raw("""
                SELECT a.id, a.case_id, a.escalation_level, c.owning_agency_id, c.reference FROM dhr_actions a JOIN case_records c ON c.id = a.case_id
                WHERE a.completed_on IS NULL AND a.escalation_level < \(bind: ladder.count)
                """).all().map { (id: try $0.int64("id"), caseId: try $0.int64("case_id"), level: try $0.int("escalation_level"),
                                  team: try $0.int64("owning_agency_id"), reference: try $0.string("reference")) }
        }
        var made = 0
        for candidate in candidates {
            guard let action = try await database.read({ db in try await Self.action(id: candidate.id, on: db) }) else { continue }
            let target = DHRRules.escalationLevel(of: action, rungs: ladder.count, stepDays: stepDays, today: today)
            guard target > candidate.level else { continue }
            made += target - candidate.level
            try await database.write(touchesCases: false) { db in
                for level in (candidate.level + 1)...target {
                    let rung = ladder[level - 1]
                    let (users, emails) = try await Self.recipients(rung, teamAgencyId: candidate.team, actionAgencyId: action.agencyId, on: db)
                    let reached = try await NotificationStore.send(toUsers: users, extraEmails: emails,
                                                                   subject: "Late DHR action on \(candidate.reference) (with \(rung))",
                                                                   body: "\(action.action)\nDue \(action.dueOn.long).", link: "/dhr/\(candidate.caseId)", on: db)
                    try await AuditLog.append(AuditRecord(context: .commandLine, action: .update, recordType: "case", recordId: String(candidate.caseId),
                                                          changes: [FieldChange(field: "dhrAction:\(action.id):escalation", before: nil, after: rung)],
                                                          note: "\(reached) notified"), on: db, engine: database.engine)
                }
                try await db.raw("UPDATE dhr_actions SET escalation_level = \(bind: target) WHERE id = \(bind: action.id)").run()
            }
        }
        return made
    }

    static func action(id: Int64, on db: any SQLDatabase) async throws -> DHRAction? {
        guard let row = try await db.raw("SELECT * FROM dhr_actions WHERE id = \(bind: id)").first() else { return nil }
        let updates = try await db.raw("SELECT * FROM dhr_action_updates WHERE action_id = \(bind: id) ORDER BY on_date").all().map {
            DHRActionUpdate(on: try $0.date("on_date")!, text: try $0.string("text"), evidence: try $0.optionalString("evidence"),
                            byUserId: try $0.optionalInt64("by_user_id"))
        }
        return DHRAction(id: id, caseId: try row.int64("case_id"), recommendation: try row.string("recommendation"), agencyId: try row.int64("agency_id"),
                         action: try row.string("action"), dueOn: try row.date("due_on")!, completedOn: try row.date("completed_on"), updates: updates,
                         version: try row.int("version"))
    }

    /// Who a rung reaches: "DHR officer" the team's DHR officers; "agency lead" the owning agency's; a rung naming
    /// a body its current members (users by email, others by email only); a rung naming the chair the chair of
    /// the partnership.
    static func recipients(_ rung: String, teamAgencyId: Int64, actionAgencyId: Int64, on db: any SQLDatabase) async throws -> (Set<Int64>, Set<String>) {
        let lowered = rung.lowercased()
        func dhrOfficers(of agency: Int64) async throws -> Set<Int64> {
            Set(try await db.raw("""
                SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.agency_id = \(bind: agency) AND r.role = 'dhr-officer'
                """).all().map { try $0.int64("id") })
        }
        func members(_ condition: SQLQueryString) async throws -> (Set<Int64>, Set<String>) {
            let today = CalendarDate(Date()).iso
            let emails = Set(try await db.raw("""
                SELECT p.email FROM memberships s JOIN people p ON p.id = s.person_id JOIN bodies b ON b.id = s.body_id
                WHERE p.email IS NOT NULL AND (s.from_date IS NULL OR s.from_date <= \(bind: today)) AND (s.to_date IS NULL OR s.to_date >= \(bind: today))
                  AND \(condition)
                """).all().map { try $0.string("email").lowercased() })
            let users = emails.isEmpty ? [] : try await db.raw("SELECT id, email FROM users WHERE LOWER(email) IN (\(binds: emails.sorted()))").all()
            let userEmails = Set(try users.map { try $0.string("email").lowercased() })
            return (Set(try users.map { try $0.int64("id") }), emails.subtracting(userEmails))
        }
        if lowered.contains("dhr officer") { return (try await dhrOfficers(of: teamAgencyId), []) }
        if lowered.contains("agency lead") { return (try await dhrOfficers(of: actionAgencyId), []) }
        if lowered.contains("chair") { return try await members("b.kind = 'partnership' AND s.role = 'chair'") }
        return try await members("b.name = \(bind: rung)")
    }

    // MARK: Lessons and briefings

    public func lessons() async throws -> [DHRLesson] {
        try await database.read { db in
            try await db.raw("SELECT * FROM dhr_lessons ORDER BY theme, id").all().map {
                DHRLesson(caseId: try $0.optionalInt64("case_id"), theme: try $0.string("theme"), text: try $0.string("text"))
            }
        }
    }

    public func addLesson(_ lesson: DHRLesson, audit: AuditContext) async throws {
        var v = Validator()
        let theme = v.required(lesson.theme, field: "theme", label: "the theme") ?? ""
        let text = v.required(lesson.text, field: "lesson", label: "the lesson", maxLength: 5_000) ?? ""
        try v.check()
        let engine = database.engine
        try await database.write(touchesCases: false) { db in
            try await db.raw("INSERT INTO dhr_lessons (case_id, theme, text) VALUES (\(bind: lesson.caseId), \(bind: theme), \(bind: text))").run()
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "dhr-lesson", recordId: lesson.caseId.map(String.init),
                                                  changes: FieldChange.created([("theme", theme)])), on: db, engine: engine)
        }
    }

    public func briefings() async throws -> [DHRBriefing] {
        try await database.read { db in
            try await db.raw("SELECT * FROM dhr_briefings ORDER BY held_on DESC").all().map {
                DHRBriefing(title: try $0.string("title"), heldOn: try $0.date("held_on")!,
                            themes: try JSONDecoder().decode([String].self, from: Data(try $0.string("themes").utf8)), attendance: try $0.int("attendance"),
                            rating: try $0.decode(column: "rating", as: Double?.self))
            }
        }
    }

    public func addBriefing(_ briefing: DHRBriefing, audit: AuditContext) async throws {
        var v = Validator()
        let title = v.required(briefing.title, field: "title", label: "the briefing's title") ?? ""
        if briefing.attendance < 0 { v.add("attendance", "Attendance cannot be negative") }
        if let rating = briefing.rating, !(0...5).contains(rating) { v.add("rating", "The rating is out of 5") }
        try v.check()
        let engine = database.engine
        try await database.write(touchesCases: false) { db in
            try await db.raw("""
                INSERT INTO dhr_briefings (title, held_on, themes, attendance, rating)
                VALUES (\(bind: title), \(bind: briefing.heldOn.iso), \(bind: String(decoding: try JSONEncoder().encode(briefing.themes), as: UTF8.self)),
                        \(bind: briefing.attendance), \(bind: briefing.rating))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "dhr-briefing", changes: FieldChange.created([("title", title)])),
                                      on: db, engine: engine)
        }
    }
}
