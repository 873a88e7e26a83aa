import ConcordDomain
import Foundation
import SQLKit

/// Community Safety Agreements, their action plans and performance measures. Every change is audited; no case
/// record is touched.
public struct StrategyStore: PartnershipRecordStore {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONDecoder().decode(type, from: Data(text.utf8)) }

    // MARK: Agreements and versions

    public func agreements() async throws -> [Agreement] {
        try await database.read { db in
            try await db.raw("SELECT * FROM agreements ORDER BY starts_on").all().map {
                Agreement(id: try $0.int64("id"), title: try $0.string("title"), startsOn: try $0.date("starts_on")!, endsOn: try $0.date("ends_on"))
            }
        }
    }

    @discardableResult
    public func createAgreement(title: String, startsOn: CalendarDate, endsOn: CalendarDate?, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let title = v.required(title, field: "title", label: "the agreement's title") ?? ""
        if let endsOn, endsOn < startsOn { v.add("endsOn", "The agreement must end after it starts") }
        try v.check()
        return try await rethrowingDuplicate(field: "title", message: "There is already an agreement called \(title)") {
            try await write { db in
                let id = try await db.raw("""
                    INSERT INTO agreements (title, starts_on, ends_on) VALUES (\(bind: title), \(bind: startsOn.iso), \(bind: endsOn?.iso)) RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "agreement", id, FieldChange.created([("title", title), ("startsOn", startsOn.iso)]), context, on: db)
                return id
            }
        }
    }

    public func versions(agreementId: Int64) async throws -> [AgreementVersion] {
        try await database.read { db in
            try await db.raw("SELECT * FROM agreement_versions WHERE agreement_id = \(bind: agreementId) ORDER BY effective_on").all().map { row in
                AgreementVersion(id: try row.int64("id"), agreementId: agreementId, number: try row.string("number"),
                                 effectiveOn: try row.date("effective_on")!, status: VersionStatus(rawValue: try row.string("status")) ?? .draft,
                                 changes: try Self.decode([VersionChange].self, try row.string("changes")), version: try row.int("version"))
            }
        }
    }

    @discardableResult
    public func addVersion(agreementId: Int64, number: String, effectiveOn: CalendarDate, status: VersionStatus, changes: [VersionChange],
                           audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let number = v.required(number, field: "number", label: "the version number", maxLength: 10) ?? ""
        if effectiveOn.month != 4 || effectiveOn.day != 1 { v.add("effectiveOn", "A version takes effect on 1 April") }
        try v.check()
        return try await rethrowingDuplicate(field: "number", message: "Version \(number) already exists") {
            try await write { db in
                try await CaseStore.requireExisting(table: "agreements", ids: [agreementId], field: "agreementId", label: "agreement", on: db)
                let id = try await db.raw("""
                    INSERT INTO agreement_versions (agreement_id, number, effective_on, status, changes)
                    VALUES (\(bind: agreementId), \(bind: number), \(bind: effectiveOn.iso), \(bind: status.rawValue), \(bind: JSONText.encode(changes)))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "agreement-version", id, FieldChange.created([("number", number), ("status", status.rawValue)]),
                                context, on: db)
                return id
            }
        }
    }

    /// Moves a version on (draft → approved → published). Publishing with warnings (a lead TBC, a section to be
    /// updated) needs them acknowledged; they are returned so the page can show them.
    public func setStatus(versionId: Int64, expectedVersion: Int, to status: VersionStatus, acknowledgingWarnings: Bool,
                          audit context: AuditContext) async throws {
        try await write { db in
            guard let row = try await db.raw("SELECT * FROM agreement_versions WHERE id = \(bind: versionId)").first() else {
                throw ValidationError(field: "versionId", "There is no version with id \(versionId)")
            }
            if status == .published, !acknowledgingWarnings {
                let version = AgreementVersion(id: versionId, agreementId: try row.int64("agreement_id"), number: try row.string("number"),
                                               effectiveOn: try row.date("effective_on")!, status: .draft,
                                               changes: try Self.decode([VersionChange].self, try row.string("changes")))
                let topics = try await Self.topics(agreementId: version.agreementId, on: db)
                let warnings = StrategyRules.publicationWarnings(priorities: topics.filter { $0.isActive(in: version.effectiveOn.year) },
                                                                 version: version)
                if !warnings.isEmpty {
                    throw ValidationError(warnings.map { FieldIssue("acknowledgeWarnings", $0 + ": confirm to publish anyway") })
                }
            }
            guard try await db.raw("""
                UPDATE agreement_versions SET status = \(bind: status.rawValue), version = version + 1
                WHERE id = \(bind: versionId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "agreement version", id: versionId) }
            try await audit(.update, "agreement-version", versionId,
                            [FieldChange(field: "status", before: try row.string("status"), after: status.rawValue)], context, on: db)
        }
    }

    // MARK: Priorities, themes and lists

    public func topics(agreementId: Int64) async throws -> [Topic] {
        try await database.read { db in try await Self.topics(agreementId: agreementId, on: db) }
    }

    static func topics(agreementId: Int64, on db: any SQLDatabase) async throws -> [Topic] {
        try await db.raw("SELECT * FROM csa_topics WHERE agreement_id = \(bind: agreementId) ORDER BY id").all().map { row in
            Topic(id: try row.int64("id"), agreementId: agreementId, kind: TopicKind(rawValue: try row.string("kind")) ?? .priority,
                  name: try row.string("name"), includes: try decode([String].self, try row.string("includes")),
                  leadRole: try row.optionalString("lead_role"), leadPerson: try row.optionalString("lead_person"),
                  policeAndCrimePlanLinks: try decode([String].self, try row.string("pcp_links")),
                  lineage: try decode([LineageEvent].self, try row.string("lineage")))
        }
    }

    @discardableResult
    public func addTopic(_ topic: Topic, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let name = v.required(topic.name, field: "name", label: "the name") ?? ""
        try v.check()
        return try await rethrowingDuplicate(field: "name", message: "There is already a \(topic.kind.label.lowercased()) called \(name)") {
            try await write { db in
                try await CaseStore.requireExisting(table: "agreements", ids: [topic.agreementId], field: "agreementId", label: "agreement", on: db)
                let id = try await db.raw("""
                    INSERT INTO csa_topics (agreement_id, kind, name, includes, lead_role, lead_person, pcp_links, lineage)
                    VALUES (\(bind: topic.agreementId), \(bind: topic.kind.rawValue), \(bind: name), \(bind: JSONText.encode(topic.includes)),
                            \(bind: topic.leadRole), \(bind: topic.leadPerson), \(bind: JSONText.encode(topic.policeAndCrimePlanLinks)),
                            \(bind: JSONText.encode(topic.lineage)))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "csa-topic", id, FieldChange.created([("kind", topic.kind.rawValue), ("name", name),
                                                                                       ("lead", topic.lead)]), context, on: db)
                return id
            }
        }
    }

    /// Records a later event in a topic's lineage (renamed, expanded, retired…).
    public func addLineage(topicId: Int64, _ event: LineageEvent, audit context: AuditContext) async throws {
        try await write { db in
            guard let row = try await db.raw("SELECT lineage FROM csa_topics WHERE id = \(bind: topicId)").first() else {
                throw ValidationError(field: "topicId", "There is no priority or theme with id \(topicId)")
            }
            let lineage = try Self.decode([LineageEvent].self, try row.string("lineage")) + [event]
            try await db.raw("UPDATE csa_topics SET lineage = \(bind: JSONText.encode(lineage)), version = version + 1 WHERE id = \(bind: topicId)").run()
            try await audit(.update, "csa-topic", topicId, [FieldChange(field: "lineage", before: nil, after: "\(event.kind.rawValue) \(event.year)")],
                            context, on: db)
        }
    }

    public func setLead(topicId: Int64, role: String?, person: String?, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE csa_topics SET lead_role = \(bind: role), lead_person = \(bind: person), version = version + 1
                WHERE id = \(bind: topicId) AND kind = 'priority' RETURNING id
                """).first() != nil else { throw ValidationError(field: "topicId", "There is no priority with id \(topicId)") }
            try await audit(.update, "csa-topic", topicId, [FieldChange(field: "lead", before: nil, after: role ?? "TBC")], context, on: db)
        }
    }

    public func lists(agreementId: Int64) async throws -> [AgreementListKind: [String]] {
        try await database.read { db in
            var lists: [AgreementListKind: [String]] = [:]
            for row in try await db.raw("SELECT kind, text FROM agreement_lists WHERE agreement_id = \(bind: agreementId) ORDER BY id").all() {
                if let kind = AgreementListKind(rawValue: try row.string("kind")) { lists[kind, default: []].append(try row.string("text")) }
            }
            return lists
        }
    }

    public func addListItem(agreementId: Int64, kind: AgreementListKind, text: String, audit context: AuditContext) async throws {
        var v = Validator()
        let text = v.required(text, field: "text", label: "the entry", maxLength: 300) ?? ""
        try v.check()
        try await write { db in
            try await CaseStore.requireExisting(table: "agreements", ids: [agreementId], field: "agreementId", label: "agreement", on: db)
            try await db.raw("INSERT INTO agreement_lists (agreement_id, kind, text) VALUES (\(bind: agreementId), \(bind: kind.rawValue), \(bind: text))").run()
            try await audit(.update, "agreement", agreementId, [FieldChange(field: kind.rawValue, before: nil, after: text)], context, on: db)
        }
    }

    // MARK: Inputs to a refresh

    public func assessments(versionId: Int64) async throws -> [AssessmentEntry] {
        try await database.read { db in
            try await db.raw("SELECT * FROM assessment_entries WHERE version_id = \(bind: versionId) ORDER BY id").all().map { row in
                AssessmentEntry(id: try row.int64("id"), versionId: versionId, cspAreaId: try row.int64("csp_area_id"), issue: try row.string("issue"),
                                classification: AssessmentClassification(rawValue: try row.string("classification")) ?? .mainPriority,
                                isAgreed: try row.bool("is_agreed"))
            }
        }
    }

    public func addAssessment(versionId: Int64, cspAreaId: Int64, issue: String, classification: AssessmentClassification, isAgreed: Bool,
                              audit context: AuditContext) async throws {
        var v = Validator()
        let issue = v.required(issue, field: "issue", label: "the issue") ?? ""
        try v.check()
        try await rethrowingDuplicate(field: "issue", message: "That CSP's assessment already has \(issue)") {
            try await write { db in
                try await CaseStore.requireExisting(table: "csp_areas", ids: [cspAreaId], field: "cspAreaId", label: "CSP area", on: db)
                try await db.raw("""
                    INSERT INTO assessment_entries (version_id, csp_area_id, issue, classification, is_agreed)
                    VALUES (\(bind: versionId), \(bind: cspAreaId), \(bind: issue), \(bind: classification.rawValue), \(bind: isAgreed.sqlInteger))
                    """).run()
                try await audit(.update, "agreement-version", versionId, [FieldChange(field: "assessment", before: nil, after: issue)],
                                context, on: db)
            }
        }
    }

    public func morile(versionId: Int64) async throws -> [MoRiLEScore] {
        try await database.read { db in
            try await db.raw("SELECT * FROM morile_scores WHERE version_id = \(bind: versionId)").all().map {
                MoRiLEScore(element: try $0.string("element"), threat: try $0.int("threat"), risk: try $0.int("risk"), harm: try $0.int("harm"))
            }
        }
    }

    public func setMoRiLE(versionId: Int64, _ score: MoRiLEScore, audit context: AuditContext) async throws {
        var v = Validator()
        let element = v.required(score.element, field: "element", label: "the element") ?? ""
        for (field, value) in [("threat", score.threat), ("risk", score.risk), ("harm", score.harm)] where !(0...100).contains(value) {
            v.add(field, "The \(field) score must be between 0 and 100")
        }
        try v.check()
        try await write { db in
            try await db.raw("DELETE FROM morile_scores WHERE version_id = \(bind: versionId) AND element = \(bind: element)").run()
            try await db.raw("""
                INSERT INTO morile_scores (version_id, element, threat, risk, harm)
                VALUES (\(bind: versionId), \(bind: element), \(bind: score.threat), \(bind: score.risk), \(bind: score.harm))
                """).run()
            try await audit(.update, "agreement-version", versionId, [FieldChange(field: "morile:\(element)", before: nil, after: String(score.total))],
                            context, on: db)
        }
    }

    public func horizon(versionId: Int64) async throws -> [HorizonItem] {
        try await database.read { db in
            try await db.raw("SELECT * FROM horizon_items WHERE version_id = \(bind: versionId) ORDER BY id").all().compactMap { row in
                PESTELOCategory(rawValue: try row.string("category")).map { HorizonItem(category: $0, text: (try? row.string("text")) ?? "") }
            }
        }
    }

    public func addHorizon(versionId: Int64, _ item: HorizonItem, audit context: AuditContext) async throws {
        var v = Validator()
        let text = v.required(item.text, field: "text", label: "the issue", maxLength: 500) ?? ""
        try v.check()
        try await write { db in
            try await db.raw("INSERT INTO horizon_items (version_id, category, text) VALUES (\(bind: versionId), \(bind: item.category.rawValue), \(bind: text))").run()
            try await audit(.update, "agreement-version", versionId, [FieldChange(field: "horizon", before: nil, after: text)], context, on: db)
        }
    }

    // MARK: Action plan

    public func aims(agreementId: Int64) async throws -> [Aim] {
        try await database.read { db in
            try await db.raw("SELECT * FROM csa_aims WHERE agreement_id = \(bind: agreementId) ORDER BY number").all().map {
                Aim(id: try $0.int64("id"), agreementId: agreementId, priorityId: try $0.optionalInt64("priority_id"), number: try $0.int("number"),
                    text: try $0.string("text"))
            }
        }
    }

    @discardableResult
    public func addAim(agreementId: Int64, priorityId: Int64?, number: Int?, text: String, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let text = v.required(text, field: "text", label: "the aim", maxLength: 1_000) ?? ""
        try v.check()
        return try await rethrowingDuplicate(field: "number", message: "That aim number is already used") {
            try await write { db in
                if let priorityId {
                    guard try await db.raw("""
                        SELECT id FROM csa_topics WHERE id = \(bind: priorityId) AND agreement_id = \(bind: agreementId) AND kind = 'priority'
                        """).first() != nil else { throw ValidationError(field: "priorityId", "That is not a priority of this agreement") }
                }
                let next = try await db.raw("SELECT MAX(number) AS last FROM csa_aims WHERE agreement_id = \(bind: agreementId)").first()?
                    .decode(column: "last", as: Int?.self) ?? 0
                let id = try await db.raw("""
                    INSERT INTO csa_aims (agreement_id, priority_id, number, text)
                    VALUES (\(bind: agreementId), \(bind: priorityId), \(bind: number ?? next + 1), \(bind: text)) RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "csa-aim", id, FieldChange.created([("number", String(number ?? next + 1)), ("text", text)]), context, on: db)
                return id
            }
        }
    }

    /// The agreement's actions with their themes and dated progress.
    public func actions(agreementId: Int64) async throws -> [PlanAction] {
        try await database.read { db in
            var themes: [Int64: [Int64]] = [:]
            for row in try await db.raw("""
                SELECT t.action_id, t.topic_id FROM csa_action_themes t JOIN csa_actions a ON a.id = t.action_id JOIN csa_aims m ON m.id = a.aim_id
                WHERE m.agreement_id = \(bind: agreementId) ORDER BY t.topic_id
                """).all() {
                themes[try row.int64("action_id"), default: []].append(try row.int64("topic_id"))
            }
            var progress: [Int64: [ProgressEntry]] = [:]
            for row in try await db.raw("""
                SELECT p.* FROM csa_action_progress p JOIN csa_actions a ON a.id = p.action_id JOIN csa_aims m ON m.id = a.aim_id
                WHERE m.agreement_id = \(bind: agreementId) ORDER BY p.on_date, p.id
                """).all() {
                progress[try row.int64("action_id"), default: []].append(
                    ProgressEntry(on: try row.date("on_date")!, status: ActionStatus(rawValue: try row.string("status")) ?? .inProgress,
                                  text: try row.string("text"), byUserId: try row.optionalInt64("by_user_id"), recordedAt: try row.instant("recorded_at")))
            }
            return try await db.raw("""
                SELECT a.* FROM csa_actions a JOIN csa_aims m ON m.id = a.aim_id WHERE m.agreement_id = \(bind: agreementId) ORDER BY m.number, a.id
                """).all().map { row in
                let id = try row.int64("id")
                return PlanAction(id: id, aimId: try row.int64("aim_id"), text: try row.string("text"), leadAgencyId: try row.optionalInt64("lead_agency_id"),
                                  timescale: try row.optionalString("timescale").flatMap(Timescale.init), themeIds: themes[id] ?? [],
                                  progress: progress[id] ?? [], version: try row.int("version"))
            }
        }
    }

    /// Adds an action to an aim, linked to themes of the agreement still in use.
    @discardableResult
    public func addAction(aimId: Int64, text: String, leadAgencyId: Int64?, timescale: Timescale?, themeIds: [Int64], year: Int,
                          audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let text = v.required(text, field: "text", label: "the action", maxLength: 2_000) ?? ""
        try v.check()
        return try await write { db in
            guard let aim = try await db.raw("SELECT agreement_id FROM csa_aims WHERE id = \(bind: aimId)").first() else {
                throw ValidationError(field: "aimId", "There is no aim with id \(aimId)")
            }
            try StrategyRules.checkThemes(themeIds, themes: try await Self.topics(agreementId: try aim.int64("agreement_id"), on: db), year: year)
            if let leadAgencyId {
                try await CaseStore.requireExisting(table: "agencies", ids: [leadAgencyId], field: "leadAgencyId", label: "agency", on: db)
            }
            let id = try await db.raw("""
                INSERT INTO csa_actions (aim_id, text, lead_agency_id, timescale)
                VALUES (\(bind: aimId), \(bind: text), \(bind: leadAgencyId), \(bind: timescale?.storage)) RETURNING id
                """).first()!.int64("id")
            for theme in Set(themeIds).sorted() {
                try await db.raw("INSERT INTO csa_action_themes (action_id, topic_id) VALUES (\(bind: id), \(bind: theme))").run()
            }
            try await audit(.create, "csa-action", id, FieldChange.created([("aimId", String(aimId)), ("text", text),
                                                                                    ("leadAgencyId", leadAgencyId.map(String.init)),
                                                                                    ("timescale", timescale?.storage),
                                                                                    ("themes", themeIds.map(String.init).joined(separator: ","))]),
                            context, on: db)
            return id
        }
    }

    /// Adds a dated progress update. Partners update their own agency's actions; the working group and the
    /// Kent Community Safety Team (`manageStrategy`) update any.
    public func recordProgress(actionId: Int64, expectedVersion: Int, on date: CalendarDate, status: ActionStatus, text: String,
                               principal: Principal, audit context: AuditContext) async throws {
        var v = Validator()
        let text = v.required(text, field: "text", label: "the progress made", maxLength: 10_000) ?? ""
        try v.check()
        try await CaseStore.auditingDenial(of: actionId, recordType: "csa-action", in: database, audit: context) { try await write { db in
            guard let row = try await db.raw("SELECT lead_agency_id FROM csa_actions WHERE id = \(bind: actionId)").first() else {
                throw ValidationError(field: "actionId", "There is no action with id \(actionId)")
            }
            guard AccessPolicy.mayUpdatePlanAction(principal, leadAgencyId: try row.optionalInt64("lead_agency_id")) else {
                throw AccessDeniedError(action: "update", recordType: "action led by another agency")
            }
            guard try await db.raw("""
                UPDATE csa_actions SET version = version + 1 WHERE id = \(bind: actionId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "action", id: actionId) }
            try await db.raw("""
                INSERT INTO csa_action_progress (action_id, on_date, status, text, by_user_id, recorded_at)
                VALUES (\(bind: actionId), \(bind: date.iso), \(bind: status.rawValue), \(bind: text), \(bind: context.userId),
                        \(bind: Instant.storage(Date())))
                """).run()
            try await audit(.update, "csa-action", actionId, [FieldChange(field: "status", before: nil, after: status.rawValue),
                                                                      FieldChange(field: "progress", before: nil, after: text)], context, on: db)
        } }
    }

    // MARK: Measures, values and commentary

    public func measures(agreementId: Int64) async throws -> [Measure] {
        try await database.read { db in
            var restatements: [Int64: [BaselineRestatement]] = [:]
            for row in try await db.raw("""
                SELECT r.* FROM csa_baseline_restatements r JOIN csa_measures m ON m.id = r.measure_id WHERE m.agreement_id = \(bind: agreementId)
                ORDER BY r.on_date
                """).all() {
                restatements[try row.int64("measure_id"), default: []].append(
                    BaselineRestatement(on: try row.date("on_date")!, previousValue: try row.decode(column: "previous_value", as: Double.self),
                                        newValue: try row.decode(column: "new_value", as: Double.self), note: try row.string("note")))
            }
            return try await db.raw("SELECT * FROM csa_measures WHERE agreement_id = \(bind: agreementId) ORDER BY id").all().map { row in
                let id = try row.int64("id")
                let baseline = try row.optionalString("baseline_label").map { label in
                    Baseline(label: label, value: (try? row.decode(column: "baseline_value", as: Double.self)) ?? 0)
                }
                return Measure(id: id, agreementId: agreementId, priorityId: try row.optionalInt64("priority_id"), name: try row.string("name"),
                               geography: try row.optionalString("geography"), unit: MeasureUnit(rawValue: try row.string("unit")) ?? .count,
                               polarity: Polarity(rawValue: try row.string("polarity")) ?? .higherIsBetter, source: try row.optionalString("source"),
                               periodKinds: Set(try row.string("period_kinds").split(separator: ",").compactMap { PeriodKind(rawValue: String($0)) }),
                               baseline: baseline, restatements: restatements[id] ?? [],
                               status: MeasureStatus(rawValue: try row.string("status")) ?? .active, replacedById: try row.optionalInt64("replaced_by"),
                               isPractitionerOnly: try row.bool("practitioner_only"),
                               ragTolerance: try row.decode(column: "rag_tolerance", as: Double?.self), version: try row.int("version"))
            }
        }
    }

    /// Adds a measure. A measure needs its baseline (period and value); a percentage baseline lies within 0–100.
    @discardableResult
    public func addMeasure(_ measure: Measure, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let name = v.required(measure.name, field: "name", label: "the measure's name", maxLength: 300) ?? ""
        if measure.baseline == nil { v.add("baseline", "Give the baseline: its period and value") }
        if let baseline = measure.baseline, measure.unit == .percentage, !(0...100).contains(baseline.value) {
            v.add("baseline", "A percentage baseline must be between 0 and 100")
        }
        if measure.periodKinds.isEmpty { v.add("periodKinds", "Choose the periods the measure is reported by") }
        try v.check()
        return try await rethrowingDuplicate(field: "name", message: "There is already a measure called \(name)") {
            try await write { db in
                try await CaseStore.requireExisting(table: "agreements", ids: [measure.agreementId], field: "agreementId", label: "agreement", on: db)
                let id = try await db.raw("""
                    INSERT INTO csa_measures (agreement_id, priority_id, name, geography, unit, polarity, source, period_kinds, baseline_label,
                        baseline_value, status, replaced_by, practitioner_only, rag_tolerance)
                    VALUES (\(bind: measure.agreementId), \(bind: measure.priorityId), \(bind: name), \(bind: measure.geography),
                            \(bind: measure.unit.rawValue), \(bind: measure.polarity.rawValue), \(bind: measure.source),
                            \(bind: measure.periodKinds.map(\.rawValue).sorted().joined(separator: ",")), \(bind: measure.baseline?.label),
                            \(bind: measure.baseline?.value), \(bind: measure.status.rawValue), \(bind: measure.replacedById),
                            \(bind: measure.isPractitionerOnly.sqlInteger), \(bind: measure.ragTolerance))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "csa-measure", id, FieldChange.created([("name", name), ("unit", measure.unit.rawValue),
                                                                                         ("baseline", measure.baseline.map { "\($0.label) \($0.value)" })]),
                                context, on: db)
                return id
            }
        }
    }

    /// Ends a measure's monitoring, or replaces it by another.
    public func retireMeasure(id: Int64, replacedBy: Int64?, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE csa_measures SET status = \(bind: replacedBy == nil ? MeasureStatus.noLongerMonitored.rawValue : MeasureStatus.replaced.rawValue),
                    replaced_by = \(bind: replacedBy), version = version + 1 WHERE id = \(bind: id) RETURNING id
                """).first() != nil else { throw ValidationError(field: "measureId", "There is no measure with id \(id)") }
            try await audit(.update, "csa-measure", id, [FieldChange(field: "status", before: "active", after: replacedBy.map { "replaced by \($0)" })],
                            context, on: db)
        }
    }

    /// Restates a measure's baseline from `date`, keeping the previous value and why.
    public func restateBaseline(measureId: Int64, newValue: Double, on date: CalendarDate, note: String, audit context: AuditContext) async throws {
        var v = Validator()
        let note = v.required(note, field: "note", label: "why the baseline changed", maxLength: 1_000) ?? ""
        try v.check()
        try await write { db in
            guard let row = try await db.raw("SELECT baseline_value, unit FROM csa_measures WHERE id = \(bind: measureId)").first(),
                  let previous = try row.decode(column: "baseline_value", as: Double?.self) else {
                throw ValidationError(field: "measureId", "The measure has no baseline to restate")
            }
            if try row.string("unit") == MeasureUnit.percentage.rawValue, !(0...100).contains(newValue) {
                throw ValidationError(field: "newValue", "A percentage baseline must be between 0 and 100")
            }
            try await db.raw("UPDATE csa_measures SET baseline_value = \(bind: newValue), version = version + 1 WHERE id = \(bind: measureId)").run()
            try await db.raw("""
                INSERT INTO csa_baseline_restatements (measure_id, on_date, previous_value, new_value, note)
                VALUES (\(bind: measureId), \(bind: date.iso), \(bind: previous), \(bind: newValue), \(bind: note))
                """).run()
            try await audit(.update, "csa-measure", measureId, [FieldChange(field: "baseline", before: String(previous), after: String(newValue))],
                            context, on: db)
        }
    }

    public func values(agreementId: Int64) async throws -> [MeasureValue] {
        try await database.read { db in
            try await db.raw("""
                SELECT v.* FROM csa_measure_values v JOIN csa_measures m ON m.id = v.measure_id WHERE m.agreement_id = \(bind: agreementId)
                ORDER BY v.measure_id, v.ends_on
                """).all().map(Self.value)
        }
    }

    static func value(_ row: any SQLRow) throws -> MeasureValue {
        MeasureValue(measureId: try row.int64("measure_id"),
                     period: Period(kind: PeriodKind(rawValue: try row.string("period_kind")) ?? .custom, label: try row.string("period_label"),
                                    endsOn: try row.date("ends_on")!),
                     heading: try row.optionalString("heading"), value: try row.decode(column: "value", as: Double.self),
                     display: try row.optionalString("display"), isUnvalidated: try row.bool("is_unvalidated"), finalDueOn: try row.date("final_due_on"))
    }

    /// Adds values, all or none: each is checked against its measure (period kind, percentage range, duplicate
    /// period, including duplicates within the batch). Problems name the row (`row N: …`) when there are several.
    public func addValues(_ values: [MeasureValue], audit context: AuditContext) async throws {
        try await write { db in
            var measures: [Int64: Measure] = [:]
            var existing: [Int64: [MeasureValue]] = [:]
            var issues: [FieldIssue] = []
            for (index, value) in values.enumerated() {
                if measures[value.measureId] == nil {
                    guard let row = try await db.raw("SELECT agreement_id FROM csa_measures WHERE id = \(bind: value.measureId)").first() else {
                        issues.append(FieldIssue(values.count > 1 ? "row \(index + 1)" : "measureId", "There is no measure with id \(value.measureId)"))
                        continue
                    }
                    let all = try await Self.measuresForChecking(agreementId: try row.int64("agreement_id"), on: db)
                    for measure in all { measures[measure.id] = measure }
                    existing[value.measureId] = try await db.raw("SELECT * FROM csa_measure_values WHERE measure_id = \(bind: value.measureId)")
                        .all().map(Self.value)
                }
                guard let measure = measures[value.measureId] else { continue }
                do throws(ValidationError) {
                    try StrategyRules.check(value, for: measure, existing: existing[value.measureId] ?? [])
                    existing[value.measureId, default: []].append(value)
                } catch {
                    issues += error.issues.map { values.count > 1 ? FieldIssue("row \(index + 1)", "\($0.field): \($0.message)") : $0 }
                }
            }
            if !issues.isEmpty { throw ValidationError(issues) }
            for value in values {
                try await db.raw("""
                    INSERT INTO csa_measure_values (measure_id, period_kind, period_label, ends_on, heading, value, display, is_unvalidated, final_due_on)
                    VALUES (\(bind: value.measureId), \(bind: value.period.kind.rawValue), \(bind: value.period.label), \(bind: value.period.endsOn.iso),
                            \(bind: value.heading), \(bind: value.value), \(bind: value.display), \(bind: value.isUnvalidated.sqlInteger),
                            \(bind: value.finalDueOn?.iso))
                    """).run()
            }
            try await audit(.create, "csa-measure-values", values.first.map { String($0.measureId) } ?? "",
                            [FieldChange(field: "values", before: nil, after: String(values.count))], context, on: db)
        }
    }

    /// What `StrategyRules.check` needs of an agreement's measures (their units and period kinds), read inside the
    /// transaction that adds values.
    static func measuresForChecking(agreementId: Int64, on db: any SQLDatabase) async throws -> [Measure] {
        try await db.raw("SELECT * FROM csa_measures WHERE agreement_id = \(bind: agreementId)").all().map { row in
            Measure(id: try row.int64("id"), agreementId: agreementId, priorityId: try row.optionalInt64("priority_id"), name: try row.string("name"),
                    geography: nil, unit: MeasureUnit(rawValue: try row.string("unit")) ?? .count, polarity: .higherIsBetter,
                    periodKinds: Set(try row.string("period_kinds").split(separator: ",").compactMap { PeriodKind(rawValue: String($0)) }), baseline: nil)
        }
    }

    public func commentary(agreementId: Int64) async throws -> [Commentary] {
        try await database.read { db in
            try await db.raw("""
                SELECT c.* FROM csa_commentary c JOIN csa_measures m ON m.id = c.measure_id WHERE m.agreement_id = \(bind: agreementId)
                ORDER BY c.on_date, c.id
                """).all().map {
                Commentary(measureId: try $0.int64("measure_id"), on: try $0.date("on_date")!, text: try $0.string("text"), isNote: try $0.bool("is_note"))
            }
        }
    }

    public func addCommentary(_ commentary: Commentary, audit context: AuditContext) async throws {
        var v = Validator()
        let text = v.required(commentary.text, field: "text", label: "the commentary", maxLength: 10_000) ?? ""
        try v.check()
        try await write { db in
            try await CaseStore.requireExisting(table: "csa_measures", ids: [commentary.measureId], field: "measureId", label: "measure", on: db)
            try await db.raw("""
                INSERT INTO csa_commentary (measure_id, on_date, text, is_note)
                VALUES (\(bind: commentary.measureId), \(bind: commentary.on.iso), \(bind: text), \(bind: commentary.isNote.sqlInteger))
                """).run()
            try await audit(.create, "csa-commentary", commentary.measureId, [FieldChange(field: "text", before: nil, after: text)], context, on: db)
        }
    }
}
