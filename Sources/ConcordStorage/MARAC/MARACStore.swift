import ConcordDomain
import Foundation
import SQLKit

/// MARAC Hub case management (2023-03-21 pack, report B3). A MARAC case is a restricted `marac` case record owned
/// by the referring agency and shared with every agency represented at its area MARAC and with the Hub's, so
/// `VisibleQuery` alone decides who sees it and information-sharing agreements never widen it. Every read and
/// write of a case is audited.
public struct MARACStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    // MARK: Areas, representation, the Hub and the checklist

    public func areas() async throws -> [MARACArea] {
        try await database.read { db in
            var districts: [Int64: [Int64]] = [:]
            for row in try await db.raw("SELECT area_id, district_id FROM marac_area_districts ORDER BY district_id").all() {
                districts[try row.int64("area_id"), default: []].append(try row.int64("district_id"))
            }
            return try await db.raw("SELECT * FROM marac_areas ORDER BY name").all().map { row in
                let id = try row.int64("id")
                return MARACArea(id: id, name: try row.string("name"),
                                 frequency: MeetingFrequency(rawValue: try row.string("frequency")) ?? .monthly,
                                 firstMeetingOn: try row.date("first_meeting_on")!,
                                 adultFemalePopulation: try row.decode(column: "adult_female_population", as: Int?.self),
                                 districtIds: districts[id] ?? [], version: try row.int("version"))
            }
        }
    }

    public func area(id: Int64) async throws -> MARACArea? {
        try await areas().first { $0.id == id }
    }

    /// Adds an area, or changes one when `id` is given and `expectedVersion` is current.
    @discardableResult
    public func saveArea(id: Int64?, expectedVersion: Int?, name: String, frequency: MeetingFrequency, firstMeetingOn: CalendarDate,
                         adultFemalePopulation: Int?, districtIds: [Int64], audit: AuditContext) async throws -> Int64 {
        let engine = database.engine
        return try await rethrowingDuplicate(field: "name", message: "There is already an area MARAC called \(name)") {
            try await database.write { db in
                try await CaseStore.requireExisting(table: "districts", ids: districtIds, field: "districtIds", label: "district", on: db)
                let areaId: Int64
                if let id {
                    guard try await db.raw("""
                        UPDATE marac_areas SET name = \(bind: name), frequency = \(bind: frequency.rawValue),
                            first_meeting_on = \(bind: firstMeetingOn.iso), adult_female_population = \(bind: adultFemalePopulation),
                            version = version + 1
                        WHERE id = \(bind: id) AND version = \(bind: expectedVersion ?? 0) RETURNING id
                        """).first() != nil else { throw StaleRecordError(recordType: "area MARAC", id: id) }
                    try await db.raw("DELETE FROM marac_area_districts WHERE area_id = \(bind: id)").run()
                    areaId = id
                } else {
                    areaId = try await db.raw("""
                        INSERT INTO marac_areas (name, frequency, first_meeting_on, adult_female_population)
                        VALUES (\(bind: name), \(bind: frequency.rawValue), \(bind: firstMeetingOn.iso), \(bind: adultFemalePopulation))
                        RETURNING id
                        """).first()!.int64("id")
                }
                for district in Set(districtIds).sorted() {
                    try await db.raw("INSERT INTO marac_area_districts (area_id, district_id) VALUES (\(bind: areaId), \(bind: district))").run()
                }
                try await AuditLog.append(AuditRecord(context: audit, action: id == nil ? .create : .update, recordType: "marac-area",
                                                      recordId: String(areaId),
                                                      changes: FieldChange.created([("name", name), ("frequency", frequency.rawValue),
                                                                                    ("firstMeetingOn", firstMeetingOn.iso),
                                                                                    ("adultFemalePopulation", adultFemalePopulation.map(String.init)),
                                                                                    ("districts", districtIds.map(String.init).joined(separator: ","))])),
                                          on: db, engine: engine)
                return areaId
            }
        }
    }

    public func representation(areaId: Int64? = nil) async throws -> [MARACRepresentation] {
        try await database.read { db in
            var sql: SQLQueryString = "SELECT * FROM marac_area_agencies"
            if let areaId { sql += " WHERE area_id = \(bind: areaId)" }
            return try await db.raw(sql + " ORDER BY area_id, agency_id").all().map {
                MARACRepresentation(areaId: try $0.int64("area_id"), agencyId: try $0.int64("agency_id"),
                                    pointOfContactUserId: try $0.optionalInt64("point_of_contact_user_id"))
            }
        }
    }

    /// Names an agency as represented at an area MARAC (or changes its point of contact). The area's open cases
    /// are shared with it at once, so its point of contact can research them.
    public func represent(areaId: Int64, agencyId: Int64, pointOfContactUserId: Int64?, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            try await CaseStore.requireExisting(table: "marac_areas", ids: [areaId], field: "areaId", label: "area MARAC", on: db)
            try await CaseStore.requireExisting(table: "agencies", ids: [agencyId], field: "agencyId", label: "agency", on: db)
            if let pointOfContactUserId {
                guard try await db.raw("SELECT id FROM users WHERE id = \(bind: pointOfContactUserId) AND agency_id = \(bind: agencyId)")
                    .first() != nil else {
                    throw ValidationError(field: "pointOfContactUserId", "The point of contact must be a user of the agency")
                }
            }
            try await db.raw("DELETE FROM marac_area_agencies WHERE area_id = \(bind: areaId) AND agency_id = \(bind: agencyId)").run()
            try await db.raw("""
                INSERT INTO marac_area_agencies (area_id, agency_id, point_of_contact_user_id)
                VALUES (\(bind: areaId), \(bind: agencyId), \(bind: pointOfContactUserId))
                """).run()
            try await db.raw("""
                INSERT INTO case_shares (case_id, agency_id)
                SELECT m.case_id, \(bind: agencyId) FROM marac_cases m JOIN case_records c ON c.id = m.case_id
                WHERE m.area_id = \(bind: areaId) AND c.status = 'open' AND c.owning_agency_id <> \(bind: agencyId)
                  AND NOT EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = m.case_id AND s.agency_id = \(bind: agencyId))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "marac-representation",
                                                  recordId: "\(areaId):\(agencyId)",
                                                  changes: [FieldChange(field: "pointOfContactUserId", before: nil,
                                                                        after: pointOfContactUserId.map(String.init))]),
                                      on: db, engine: engine)
        }
    }

    public func hubStaff() async throws -> [Int64: HubRole] {
        try await database.read { db in
            var staff: [Int64: HubRole] = [:]
            for row in try await db.raw("SELECT * FROM marac_hub_staff").all() {
                staff[try row.int64("user_id")] = HubRole(rawValue: try row.string("hub_role"))
            }
            return staff
        }
    }

    /// Gives a user a Hub role, or takes it away (nil).
    public func setHubRole(userId: Int64, role: HubRole?, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            try await CaseStore.requireExisting(table: "users", ids: [userId], field: "userId", label: "user", on: db)
            try await db.raw("DELETE FROM marac_hub_staff WHERE user_id = \(bind: userId)").run()
            if let role {
                try await db.raw("INSERT INTO marac_hub_staff (user_id, hub_role) VALUES (\(bind: userId), \(bind: role.rawValue))").run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "marac-hub-staff",
                                                  recordId: String(userId),
                                                  changes: [FieldChange(field: "hubRole", before: nil, after: role?.rawValue)]),
                                      on: db, engine: engine)
        }
    }

    /// The checklist's 24 labels: the partnership's own where it set one, else the shipped topic.
    public func checklistLabels() async throws -> [String] {
        let stored = try await database.read { db in
            var labels: [Int: String] = [:]
            for row in try await db.raw("SELECT number, label FROM marac_checklist_questions").all() {
                labels[try row.int("number")] = try row.string("label")
            }
            return labels
        }
        return MARACRules.checklistTopics.enumerated().map { stored[$0.offset + 1] ?? $0.element }
    }

    /// Relabels the checklist: exactly 24 labels, none blank.
    public func setChecklistLabels(_ labels: [String], audit: AuditContext) async throws {
        var v = Validator()
        if labels.count != MARACRules.checklistLength { v.add("labels", "The checklist has \(MARACRules.checklistLength) questions") }
        for (index, label) in labels.enumerated() {
            _ = v.required(label, field: "q\(index + 1)", label: "a label for question \(index + 1)")
        }
        try v.check()
        let engine = database.engine
        let trimmed = labels.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try await database.write { db in
            try await db.raw("DELETE FROM marac_checklist_questions").run()
            for (index, label) in trimmed.enumerated() {
                try await db.raw("INSERT INTO marac_checklist_questions (number, label) VALUES (\(bind: index + 1), \(bind: label))").run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "marac-checklist"), on: db, engine: engine)
        }
    }

    // MARK: Referral

    /// The partnership's referral settings, read once per referral.
    public struct ReferralSettings: Sendable {
        public var visibleHighRiskScore: Int
        public var escalationIncidents: Int
        public var researchWorkingDays: Int

        public init(_ values: SettingValues) {
            visibleHighRiskScore = values.int(PartnershipSettings.maracVisibleHighRiskScore)
            escalationIncidents = values.int(PartnershipSettings.maracEscalationIncidents)
            researchWorkingDays = values.int(PartnershipSettings.maracResearchWorkingDays)
        }
    }

    /// Records a referral as a new MARAC case: refuses a second referral of the same victim on the same day,
    /// marks a repeat from the victim's last referral, refuses a referral that meets no route, and gives the case
    /// its MARAC date from the area's schedule. The caller has checked `AccessPolicy.decide(.create)`.
    public func refer(_ input: ReferralInput, principal: Principal, settings: ReferralSettings, calendar: WorkingDayCalendar,
                      audit: AuditContext) async throws -> Int64 {
        let engine = database.engine
        let victimKey = MARACRules.victimKey(name: input.victimName, dateOfBirth: input.victimDateOfBirth)
        return try await database.write { db in
            guard let areaRow = try await db.raw("SELECT * FROM marac_areas WHERE id = \(bind: input.areaId)").first() else {
                throw ValidationError(field: "areaId", "There is no area MARAC with id \(input.areaId)")
            }
            if let duplicate = try await db.raw("""
                SELECT c.reference FROM marac_cases m JOIN case_records c ON c.id = m.case_id
                WHERE m.victim_key = \(bind: victimKey) AND m.referred_on = \(bind: input.referredOn.iso)
                """).first() {
                throw ValidationError(field: "victim.name", "This victim was already referred on \(input.referredOn.long) "
                                          + "(\(try duplicate.string("reference"))): add to that case instead")
            }
            let previous = try await db.raw("""
                SELECT MAX(referred_on) AS last FROM marac_cases
                WHERE victim_key = \(bind: victimKey) AND referred_on < \(bind: input.referredOn.iso)
                """).first()?.date("last")
            let routes = MARACRules.routes(score: input.checklist.score, visibleHighRiskScore: settings.visibleHighRiskScore,
                                           professionalJudgement: input.professionalJudgement != nil,
                                           incidentsInLast12Months: input.incidentsInLast12Months,
                                           escalationIncidents: settings.escalationIncidents, previousReferralOn: previous,
                                           referredOn: input.referredOn)
            guard !routes.isEmpty else {
                throw ValidationError(field: "professionalJudgement",
                                      "The referral meets no MARAC criterion: \(input.checklist.score) yes answers (\(settings.visibleHighRiskScore) "
                                          + "are needed), \(input.incidentsInLast12Months) incidents in 12 months (\(settings.escalationIncidents) "
                                          + "are needed) and no referral in the last 12 months. Give your professional judgement to refer")
            }
            let frequency = MeetingFrequency(rawValue: try areaRow.string("frequency")) ?? .monthly
            let meetings = MARACRules.meetingDates(frequency: frequency, firstMeetingOn: try areaRow.date("first_meeting_on")!,
                                                   from: input.referredOn, to: input.referredOn.adding(months: 6))
            let maracDate = MARACRules.maracDate(referredOn: input.referredOn, meetings: meetings,
                                                 researchWorkingDays: settings.researchWorkingDays, calendar: calendar)
            let shares = Set(try await db.raw("""
                SELECT agency_id FROM marac_area_agencies WHERE area_id = \(bind: input.areaId)
                UNION SELECT u.agency_id FROM marac_hub_staff h JOIN users u ON u.id = h.user_id
                """).all().map { try $0.int64("agency_id") })
            try await CaseStore.requireExisting(table: "agencies", ids: [input.referringAgencyId], field: "referringAgencyId",
                                                label: "agency", on: db)
            let record = try await CaseStore.insert(
                CaseInput(caseType: .marac, title: input.victimName, owningAgencyId: input.referringAgencyId,
                          sharedWith: shares.subtracting([input.referringAgencyId]), classification: .officialSensitivePersonal,
                          isRestricted: true),
                createdBy: principal.userId, audit: audit, on: db, engine: engine)
            let d = input.diversity, c = input.contact
            try await db.raw("""
                INSERT INTO marac_cases (case_id, area_id, victim_name, victim_key, victim_date_of_birth, victim_age, victim_sex,
                    victim_ethnic_group, victim_disability, victim_lgbt, victim_address, victim_postcode, victim_phone, victim_email,
                    victim_safe_contact, referring_agency_id, referring_officer, referred_on, checklist, score, routes, is_repeat,
                    professional_judgement, incidents_12_months, is_complex, marac_date, children)
                VALUES (\(bind: record.id), \(bind: input.areaId), \(bind: input.victimName), \(bind: victimKey),
                    \(bind: input.victimDateOfBirth?.iso), \(bind: d.age), \(bind: d.sex?.rawValue), \(bind: d.ethnicGroup?.rawValue),
                    \(bind: d.disability?.rawValue), \(bind: d.lgbt?.rawValue), \(bind: c.address), \(bind: c.postcode), \(bind: c.phone),
                    \(bind: c.email), \(bind: c.safeContactNotes), \(bind: input.referringAgencyId), \(bind: input.referringOfficer),
                    \(bind: input.referredOn.iso), \(bind: input.checklist.encoded), \(bind: input.checklist.score),
                    \(bind: routes.sorted().map(\.rawValue).joined(separator: ",")), \(bind: routes.contains(.repeat).sqlInteger),
                    \(bind: input.professionalJudgement), \(bind: input.incidentsInLast12Months), \(bind: input.isComplex.sqlInteger),
                    \(bind: maracDate?.iso), \(bind: input.children.count))
                """).run()
            for (role, people) in [("perpetrator", input.perpetrators), ("child", input.children)] {
                for person in people {
                    try await db.raw("""
                        INSERT INTO marac_people (case_id, role, name, age)
                        VALUES (\(bind: record.id), \(bind: role), \(bind: person.name), \(bind: person.age))
                        """).run()
                }
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "marac-referral", recordId: String(record.id),
                                                  changes: FieldChange.created([
                                                      ("areaId", String(input.areaId)), ("referredOn", input.referredOn.iso),
                                                      ("score", String(input.checklist.score)),
                                                      ("routes", routes.sorted().map(\.rawValue).joined(separator: ",")),
                                                      ("maracDate", maracDate?.iso),
                                                  ])), on: db, engine: engine)
            return record.id
        }
    }

    // MARK: Cases

    public struct Research: Sendable, Equatable {
        public let id: Int64
        public let agencyId: Int64
        public let authorUserId: Int64?
        public let body: String
        public let addedAt: Date
    }

    public struct Action: Sendable, Equatable {
        public let id: Int64
        public let caseId: Int64
        public let agencyId: Int64
        public let assigneeUserId: Int64?
        public let description: String
        public let requestedOn: CalendarDate
        public let dueOn: CalendarDate
        public let status: MARACActionStatus
        public let reason: NotCompletedReason?
        public let note: String?
        public let escalationLevel: Int
        public let version: Int

        public func isOverdue(today: CalendarDate) -> Bool { status == .open && dueOn < today }
    }

    public struct Minute: Sendable, Equatable {
        public let meetingId: Int64
        public let heldOn: CalendarDate
        public let decisions: String
    }

    public struct Detail: Sendable {
        public let record: CaseRecord
        public let areaId: Int64
        public let victimName: String
        public let victimDateOfBirth: CalendarDate?
        /// Nil for those who may not see the victim's contact details.
        public let contact: VictimContact?
        public let diversity: VictimDiversity
        public let referringAgencyId: Int64
        public let referringOfficer: String
        public let referredOn: CalendarDate
        public let checklist: RiskChecklist
        public let routes: [ReferralRoute]
        public let professionalJudgement: String?
        public let incidentsInLast12Months: Int
        public let isComplex: Bool
        public let maracDate: CalendarDate?
        public let meetingId: Int64?
        public let meetingRequest: (on: CalendarDate, byUserId: Int64?, reason: String)?
        public let perpetrators: [NamedPerson]
        public let children: [NamedPerson]
        public let research: [Research]
        public let actions: [Action]
        public let minutes: [Minute]
        /// The victim's other referrals: (case id, reference, referred on); only those the principal may see.
        public let otherReferrals: [(caseId: Int64, reference: String, referredOn: CalendarDate)]
    }

    /// One case with everything recorded on it, if the principal may see it; the view is audited (and says
    /// whether the contact details were shown).
    public func detail(caseId: Int64, filter: VisibilityFilter, showContact: Bool, audit: AuditContext) async throws -> Detail? {
        let loaded = try await database.read { db -> Detail? in
            guard let record = try await CaseStore.load(id: caseId, filter: filter, on: db), record.caseType == .marac,
                  let row = try await db.raw("SELECT * FROM marac_cases WHERE case_id = \(bind: caseId)").first() else { return nil }
            let people = try await db.raw("SELECT * FROM marac_people WHERE case_id = \(bind: caseId) ORDER BY id").all()
            func named(_ role: String) throws -> [NamedPerson] {
                try people.filter { try $0.string("role") == role }.map {
                    NamedPerson(name: try $0.optionalString("name"), age: try $0.decode(column: "age", as: Int?.self))
                }
            }
            let research = try await db.raw("SELECT * FROM marac_research WHERE case_id = \(bind: caseId) ORDER BY id").all().map {
                Research(id: try $0.int64("id"), agencyId: try $0.int64("agency_id"), authorUserId: try $0.optionalInt64("author_user_id"),
                         body: try $0.string("body"), addedAt: try $0.instant("added_at"))
            }
            let actions = try await db.raw("SELECT * FROM marac_actions WHERE case_id = \(bind: caseId) ORDER BY id").all().map(Self.action)
            let minutes = try await db.raw("""
                SELECT n.meeting_id, n.decisions, m.held_on FROM marac_minutes n JOIN marac_meetings m ON m.id = n.meeting_id
                WHERE n.case_id = \(bind: caseId) ORDER BY m.held_on
                """).all().map { Minute(meetingId: try $0.int64("meeting_id"), heldOn: try $0.date("held_on")!, decisions: try $0.string("decisions")) }
            let others = try await db.raw("""
                SELECT c.id, c.reference, m.referred_on FROM marac_cases m JOIN case_records c ON c.id = m.case_id
                WHERE m.victim_key = \(bind: try row.string("victim_key")) AND m.case_id <> \(bind: caseId) AND
                """ + " " + VisibleQuery.predicate(for: filter) + " ORDER BY m.referred_on DESC").all().map {
                (caseId: try $0.int64("id"), reference: try $0.string("reference"), referredOn: try $0.date("referred_on")!)
            }
            let request: (on: CalendarDate, byUserId: Int64?, reason: String)? = try row.date("meeting_requested_on").map {
                (on: $0, byUserId: try row.optionalInt64("meeting_requested_by"), reason: try row.optionalString("meeting_request_reason") ?? "")
            }
            return Detail(
                record: record, areaId: try row.int64("area_id"), victimName: try row.string("victim_name"),
                victimDateOfBirth: try row.date("victim_date_of_birth"),
                contact: showContact ? VictimContact(address: try row.optionalString("victim_address"),
                                                     postcode: try row.optionalString("victim_postcode"),
                                                     phone: try row.optionalString("victim_phone"), email: try row.optionalString("victim_email"),
                                                     safeContactNotes: try row.optionalString("victim_safe_contact")) : nil,
                diversity: try Self.diversity(row), referringAgencyId: try row.int64("referring_agency_id"),
                referringOfficer: try row.string("referring_officer"), referredOn: try row.date("referred_on")!,
                checklist: RiskChecklist(encoded: try row.string("checklist")) ?? RiskChecklist(answers: []),
                routes: Self.routes(try row.string("routes")), professionalJudgement: try row.optionalString("professional_judgement"),
                incidentsInLast12Months: try row.int("incidents_12_months"), isComplex: try row.bool("is_complex"),
                maracDate: try row.date("marac_date"), meetingId: try row.optionalInt64("meeting_id"), meetingRequest: request,
                perpetrators: try named("perpetrator"), children: try named("child"), research: research, actions: actions,
                minutes: minutes, otherReferrals: others)
        }
        guard let loaded else { return nil }
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case", recordId: String(caseId),
                                                                  note: showContact ? "with the victim's contact details" : nil))
        return loaded
    }

    /// A row of the MARAC case list.
    public struct Summary: Sendable, Equatable {
        public let caseId: Int64
        public let reference: String
        public let victimName: String
        public let areaId: Int64
        public let referredOn: CalendarDate
        public let maracDate: CalendarDate?
        public let routes: [ReferralRoute]
        public let score: Int
        public let isComplex: Bool
        public let meetingRequested: Bool
        public let meetingId: Int64?
        public let openActions: Int
        public let overdueActions: Int
    }

    /// Visible MARAC cases, newest first; optionally one area's, or those whose MARAC date is `maracDate`. The list
    /// is audited as one view. (`CROSS JOIN` keeps SQLite walking from the newest case: see `ASBStore.list`.)
    public func list(filter: VisibilityFilter, areaId: Int64? = nil, maracDate: CalendarDate? = nil, today: CalendarDate,
                     cursor: Int64? = nil, limit: Int = 50, audit: AuditContext?) async throws -> Page<Summary> {
        let limit = max(1, min(limit, CaseStore.maximumPageSize))
        let rows = try await database.read { db in
            var sql: SQLQueryString = """
                SELECT c.id, c.reference, m.victim_name, m.area_id, m.referred_on, m.marac_date, m.routes, m.score, m.is_complex,
                    m.meeting_requested_on, m.meeting_id,
                    (SELECT COUNT(*) FROM marac_actions a WHERE a.case_id = c.id AND a.status = 'open') AS open_actions,
                    (SELECT COUNT(*) FROM marac_actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.due_on < \(bind: today.iso)) AS overdue
                FROM marac_cases m CROSS JOIN case_records c WHERE c.id = m.case_id AND
                """
            sql += " " + VisibleQuery.predicate(for: filter)
            if let areaId { sql += " AND m.area_id = \(bind: areaId)" }
            if let maracDate { sql += " AND m.marac_date = \(bind: maracDate.iso)" }
            if let cursor { sql += " AND m.case_id < \(bind: cursor)" }
            sql += " ORDER BY m.case_id DESC LIMIT \(literal: limit + 1)"
            return try await db.raw(sql).all()
        }
        let items = try rows.prefix(limit).map(Self.summary)
        if let audit {
            try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "case-list",
                                                                      note: "\(items.count) MARAC case(s) listed"))
        }
        return Page(items: items, nextCursor: rows.count > limit ? items.last?.caseId : nil)
    }

    /// Runs a change to a visible MARAC case the principal may update, in one write transaction; a refusal is audited.
    private func changing<T: Sendable>(caseId: Int64, principal: Principal, filter: VisibilityFilter, audit: AuditContext,
                                       _ body: @escaping @Sendable (any SQLDatabase, CaseRecord, ConcordDatabase.Engine) async throws -> T) async throws -> T {
        let engine = database.engine
        return try await CaseStore.auditingDenial(of: caseId, in: database, audit: audit) {
            try await database.write { db in
                let record = try await CaseStore.loadForUpdate(id: caseId, principal: principal, filter: filter, on: db)
                guard record.caseType == .marac else { throw RecordNotFoundError(recordType: "case", id: String(caseId)) }
                return try await body(db, record, engine)
            }
        }
    }

    /// An agency's research: what it holds about the victim, perpetrator and children, added online before the
    /// MARAC date.
    public func addResearch(caseId: Int64, body text: String, principal: Principal, filter: VisibilityFilter,
                            audit: AuditContext) async throws {
        var v = Validator()
        let body = v.required(text, field: "body", label: "the information your agency holds", maxLength: 20_000)
        try v.check()
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, _, engine in
            let id = try await db.raw("""
                INSERT INTO marac_research (case_id, agency_id, author_user_id, body, added_at)
                VALUES (\(bind: caseId), \(bind: principal.agencyId), \(bind: principal.userId), \(bind: body!), \(bind: Instant.storage(Date())))
                RETURNING id
                """).first()!.int64("id")
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "marac-research", recordId: String(id),
                                                  changes: FieldChange.created([("caseId", String(caseId)), ("body", body)])),
                                      on: db, engine: engine)
        }
    }

    /// Requests an action of an agency, assigned to its point of contact at the case's area MARAC. The agency is
    /// given the case (a share) if it did not have it, so it can see what it is asked to do.
    @discardableResult
    public func requestAction(caseId: Int64, _ request: MARACActionRequest, principal: Principal, filter: VisibilityFilter,
                              audit: AuditContext) async throws -> Int64 {
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, record, engine in
            try await CaseStore.requireExisting(table: "agencies", ids: [request.agencyId], field: "agencyId", label: "agency", on: db)
            let areaId = try await db.raw("SELECT area_id FROM marac_cases WHERE case_id = \(bind: caseId)").first()!.int64("area_id")
            let assignee = try await db.raw("""
                SELECT point_of_contact_user_id FROM marac_area_agencies WHERE area_id = \(bind: areaId) AND agency_id = \(bind: request.agencyId)
                """).first()?.optionalInt64("point_of_contact_user_id")
            if request.agencyId != record.owningAgencyId, !record.sharedWith.contains(request.agencyId) {
                try await db.raw("INSERT INTO case_shares (case_id, agency_id) VALUES (\(bind: caseId), \(bind: request.agencyId))").run()
            }
            let id = try await db.raw("""
                INSERT INTO marac_actions (case_id, area_id, agency_id, assignee_user_id, description, requested_on, requested_by, due_on, status)
                VALUES (\(bind: caseId), \(bind: areaId), \(bind: request.agencyId), \(bind: assignee), \(bind: request.description),
                    \(bind: request.requestedOn.iso), \(bind: principal.userId), \(bind: request.dueOn.iso), 'open')
                RETURNING id
                """).first()!.int64("id")
            if let assignee {
                _ = try await NotificationStore.send(toUsers: [assignee], subject: "MARAC action for your agency: \(record.reference)",
                                                     body: "\(request.description)\nDue \(request.dueOn.long).",
                                                     link: "/marac/cases/\(caseId)", on: db)
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .create, recordType: "marac-action", recordId: String(id),
                                                  changes: FieldChange.created([("caseId", String(caseId)), ("agencyId", String(request.agencyId)),
                                                                                ("description", request.description),
                                                                                ("dueOn", request.dueOn.iso)])),
                                      on: db, engine: engine)
            return id
        }
    }

    /// Records an action's new status. Only the agency the action is for, or the Hub's coordinators, may (see
    /// `AccessPolicy.mayUpdateMARACAction`); a stale version is refused.
    public func updateAction(actionId: Int64, _ update: MARACActionUpdate, principal: Principal, filter: VisibilityFilter,
                             today: CalendarDate, audit: AuditContext) async throws {
        guard let caseId = try await database.read({ db in
            try await db.raw("SELECT case_id FROM marac_actions WHERE id = \(bind: actionId)").first()?.int64("case_id")
        }) else { throw RecordNotFoundError(recordType: "action", id: String(actionId)) }
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, _, engine in
            let row = try await db.raw("SELECT * FROM marac_actions WHERE id = \(bind: actionId)").first()!
            let before = try Self.action(row)
            guard AccessPolicy.mayUpdateMARACAction(principal, actionAgencyId: before.agencyId) else {
                throw AccessDeniedError(action: "update", recordType: "MARAC action")
            }
            guard try await db.raw("""
                UPDATE marac_actions SET status = \(bind: update.status.rawValue), reason = \(bind: update.reason?.rawValue),
                    note = \(bind: update.note), closed_on = \(bind: update.status == .open ? nil : today.iso), version = version + 1
                WHERE id = \(bind: actionId) AND version = \(bind: update.expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "action", id: actionId) }
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-action", recordId: String(actionId),
                                                  changes: FieldChange.diff(
                                                      before: [("status", before.status.rawValue), ("reason", before.reason?.rawValue),
                                                               ("note", before.note)],
                                                      after: [("status", update.status.rawValue), ("reason", update.reason?.rawValue),
                                                              ("note", update.note)])),
                                      on: db, engine: engine)
        }
    }

    /// Any partner may ask for a case to be heard at a meeting, at any time, saying why (2023-03-21 pack B3).
    public func requestMeeting(caseId: Int64, reason text: String?, principal: Principal, filter: VisibilityFilter, today: CalendarDate,
                               audit: AuditContext) async throws {
        var v = Validator()
        let reason = v.required(text, field: "reason", label: "why the case needs a meeting", maxLength: 2_000)
        try v.check()
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, record, engine in
            try await db.raw("""
                UPDATE marac_cases SET meeting_requested_on = \(bind: today.iso), meeting_requested_by = \(bind: principal.userId),
                    meeting_request_reason = \(bind: reason!)
                WHERE case_id = \(bind: caseId)
                """).run()
            let coordinators = try await Self.coordinatorIds(on: db)
            _ = try await NotificationStore.send(toUsers: coordinators, subject: "Meeting requested on \(record.reference)",
                                                 body: "\(principal.displayName) asked for a meeting: \(reason!)",
                                                 link: "/marac/cases/\(caseId)", on: db)
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-case", recordId: String(caseId),
                                                  changes: [FieldChange(field: "meetingRequested", before: nil, after: reason)]),
                                      on: db, engine: engine)
        }
    }

    // MARK: Overdue actions

    public struct OverdueAction: Sendable, Equatable, Encodable {
        public let actionId: Int64
        public let caseId: Int64
        public let reference: String
        public let agencyId: Int64
        public let description: String
        public let dueOn: CalendarDate
        public let escalationLevel: Int
    }

    /// Open actions past their due date on cases the principal may see, longest overdue first; `agencyId` narrows
    /// to one agency's own list.
    public func overdueActions(filter: VisibilityFilter, agencyId: Int64? = nil, today: CalendarDate,
                               limit: Int = CaseStore.maximumPageSize) async throws -> [OverdueAction] {
        try await database.read { db in
            let sql: SQLQueryString = """
                SELECT a.id, a.case_id, c.reference, a.agency_id, a.description, a.due_on, a.escalation_level
                FROM marac_actions a JOIN case_records c ON c.id = a.case_id WHERE
                """
            return try await db.raw(sql + " " + Self.overdue(filter: filter, agencyId: agencyId, today: today)
                                    + " ORDER BY a.due_on, a.id LIMIT \(literal: limit)").all().map {
                OverdueAction(actionId: try $0.int64("id"), caseId: try $0.int64("case_id"), reference: try $0.string("reference"),
                              agencyId: try $0.int64("agency_id"), description: try $0.string("description"),
                              dueOn: try $0.date("due_on")!, escalationLevel: try $0.int("escalation_level"))
            }
        }
    }

    /// How many actions `overdueActions` would list without its limit.
    public func overdueActionCount(filter: VisibilityFilter, agencyId: Int64? = nil, today: CalendarDate) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM marac_actions a JOIN case_records c ON c.id = a.case_id WHERE "
                             + Self.overdue(filter: filter, agencyId: agencyId, today: today)).first()!.int("n")
        }
    }

    /// Open actions past due on visible cases (`a` actions joined to `c` cases), optionally one agency's.
    private static func overdue(filter: VisibilityFilter, agencyId: Int64?, today: CalendarDate) -> SQLQueryString {
        var sql: SQLQueryString = "a.status = 'open' AND a.due_on < \(bind: today.iso)"
        if let agencyId { sql += " AND a.agency_id = \(bind: agencyId)" }
        return sql + " AND " + VisibleQuery.predicate(for: filter)
    }

    // MARK: Escalation

    /// Moves every overdue action up the ladder to the rung its lateness has reached, notifying each new rung and
    /// logging it. Run by the background job under its lease; safe to run again (an action never climbs twice to
    /// the same rung). Returns how many escalations it made.
    public func escalateOverdueActions(today: CalendarDate, ladder: EscalationLadder, stepWorkingDays: Int,
                                       calendar: WorkingDayCalendar) async throws -> Int {
        let candidates = try await database.read { db in
            try await db.raw("""
                SELECT a.id, a.case_id, a.area_id, a.agency_id, a.description, a.due_on, a.escalation_level, c.reference
                FROM marac_actions a JOIN case_records c ON c.id = a.case_id
                WHERE a.status = 'open' AND a.due_on < \(bind: today.iso) AND a.escalation_level < \(bind: ladder.rungs.count)
                """).all().map { row in
                (id: try row.int64("id"), caseId: try row.int64("case_id"), areaId: try row.int64("area_id"),
                 agencyId: try row.int64("agency_id"), description: try row.string("description"), dueOn: try row.date("due_on")!,
                 level: try row.int("escalation_level"), reference: try row.string("reference"))
            }
        }
        var made = 0
        for action in candidates {
            let target = MARACRules.escalationLevel(dueOn: action.dueOn, today: today, rungs: ladder.rungs.count,
                                                    stepWorkingDays: stepWorkingDays, calendar: calendar)
            guard target > action.level else { continue }
            let rungs = Array(ladder.rungs[action.level..<target])
            made += rungs.count
            try await database.write { db in
                for (offset, rung) in rungs.enumerated() {
                    let level = action.level + offset + 1
                    let (users, emails) = try await Self.recipients(rung, areaId: action.areaId, agencyId: action.agencyId, on: db)
                    let reached = try await NotificationStore.send(
                        toUsers: users, extraEmails: emails, subject: "Overdue MARAC action on \(action.reference) (escalation \(level))",
                        body: "\(action.description)\nDue \(action.dueOn.long); escalated to \(rung.label).", link: "/marac/cases/\(action.caseId)",
                        on: db)
                    try await db.raw("""
                        INSERT INTO marac_escalations (subject, action_id, area_id, agency_id, level, rung, recipients, escalated_at, note)
                        VALUES ('action', \(bind: action.id), \(bind: action.areaId), \(bind: action.agencyId), \(bind: level),
                            \(bind: rung.description), \(bind: reached), \(bind: Instant.storage(Date())),
                            \(bind: reached == 0 ? "No one to notify at this rung" : "Due \(action.dueOn.iso)"))
                        """).run()
                }
                try await db.raw("UPDATE marac_actions SET escalation_level = \(bind: target) WHERE id = \(bind: action.id)").run()
            }
        }
        return made
    }

    /// Escalates agencies whose attendance at an area's meetings in `quarter` fell below `thresholdPercent`: to
    /// the ladder's first body (the Tactical Group), or its second (the Executive Group) when the quarter before was
    /// low too. Each agency-quarter is escalated once. Returns how many escalations it made.
    public func escalateAttendance(quarter: Quarter, thresholdPercent: Int, ladder: EscalationLadder) async throws -> Int {
        let bodies = ladder.rungs.filter { if case .body = $0 { true } else { false } }
        guard !bodies.isEmpty else { return 0 }
        var made = 0
        for area in try await areas() {
            let now = try await attendance(areaId: area.id, quarter: quarter)
            let before = try await attendance(areaId: area.id, quarter: quarter.previous)
            for row in now {
                let percent = MARACRules.attendancePercent(attended: row.attended, meetings: row.meetings)
                let previous = before.first { $0.agencyId == row.agencyId }.flatMap {
                    MARACRules.attendancePercent(attended: $0.attended, meetings: $0.meetings)
                }
                let level = MARACRules.attendanceEscalationLevel(percent: percent, previousPercent: previous, threshold: thresholdPercent)
                guard level > 0 else { continue }
                let rung = bodies[min(level, bodies.count) - 1]
                let inserted = try await database.write { db -> Bool in
                    guard try await db.raw("""
                        SELECT 1 FROM marac_escalations WHERE subject = 'attendance' AND area_id = \(bind: area.id)
                            AND agency_id = \(bind: row.agencyId) AND quarter = \(bind: quarter.description)
                        """).first() == nil else { return false }
                    let agency = try await db.raw("SELECT name FROM agencies WHERE id = \(bind: row.agencyId)").first()!.string("name")
                    let (users, emails) = try await Self.recipients(rung, areaId: area.id, agencyId: row.agencyId, on: db)
                    let reached = try await NotificationStore.send(
                        toUsers: users, extraEmails: emails, subject: "Low MARAC attendance: \(agency), \(area.name)",
                        body: "\(agency) attended \(row.attended) of \(row.meetings) \(area.name) MARAC meetings in \(quarter.label) "
                            + "(\(percent ?? 0)%; the expectation is \(thresholdPercent)%).", link: "/marac/kpis?areaId=\(area.id)&quarter=\(quarter)",
                        on: db)
                    try await db.raw("""
                        INSERT INTO marac_escalations (subject, area_id, agency_id, quarter, level, rung, recipients, escalated_at, note)
                        VALUES ('attendance', \(bind: area.id), \(bind: row.agencyId), \(bind: quarter.description), \(bind: level),
                            \(bind: rung.description), \(bind: reached), \(bind: Instant.storage(Date())),
                            \(bind: "\(row.attended) of \(row.meetings) meetings attended"))
                        """).run()
                    return true
                }
                if inserted { made += 1 }
            }
        }
        return made
    }

    public struct Escalation: Sendable, Equatable {
        public let subject: String
        public let actionId: Int64?
        /// The action's case, for a link (the case page decides who may open it).
        public let caseId: Int64?
        public let agencyId: Int64
        public let level: Int
        public let rung: String
        public let recipients: Int
        public let escalatedAt: Date
        public let note: String
    }

    /// The escalation log, newest first: one action's, or all of them.
    public func escalations(actionId: Int64? = nil, limit: Int = 200) async throws -> [Escalation] {
        try await database.read { db in
            var sql: SQLQueryString = "SELECT e.*, a.case_id FROM marac_escalations e LEFT JOIN marac_actions a ON a.id = e.action_id"
            if let actionId { sql += " WHERE e.action_id = \(bind: actionId)" }
            return try await db.raw(sql + " ORDER BY e.id DESC LIMIT \(literal: limit)").all().map {
                Escalation(subject: try $0.string("subject"), actionId: try $0.optionalInt64("action_id"), caseId: try $0.optionalInt64("case_id"),
                           agencyId: try $0.int64("agency_id"),
                           level: try $0.int("level"), rung: try $0.string("rung"), recipients: try $0.int("recipients"),
                           escalatedAt: try $0.instant("escalated_at"), note: try $0.string("note"))
            }
        }
    }

    /// Who a rung reaches: users (inbox and email) and, for a body's members who do not sign in, email addresses.
    static func recipients(_ rung: EscalationRung, areaId: Int64, agencyId: Int64,
                           on db: any SQLDatabase) async throws -> (users: Set<Int64>, emails: Set<String>) {
        switch rung {
        case .coordinators:
            return (try await coordinatorIds(on: db), [])
        case .pointOfContact:
            let row = try await db.raw("""
                SELECT point_of_contact_user_id FROM marac_area_agencies WHERE area_id = \(bind: areaId) AND agency_id = \(bind: agencyId)
                """).first()
            return (Set([try row?.optionalInt64("point_of_contact_user_id")].compactMap { $0 }), [])
        case .body(let name):
            let emails = Set(try await db.raw("""
                SELECT p.email FROM bodies b JOIN memberships m ON m.body_id = b.id JOIN people p ON p.id = m.person_id
                WHERE b.name = \(bind: name) AND p.email IS NOT NULL AND m.to_date IS NULL
                """).all().map { try $0.string("email").lowercased() })
            guard !emails.isEmpty else { return ([], []) }
            let users = try await db.raw("SELECT id, email FROM users WHERE email IN (\(binds: emails.sorted()))").all()
            let userEmails = Set(try users.map { try $0.string("email") })
            return (Set(try users.map { try $0.int64("id") }), emails.subtracting(userEmails))
        }
    }

    /// The Hub's coordinators, or, where the Hub names none, every user with the MARAC coordinator role.
    static func coordinatorIds(on db: any SQLDatabase) async throws -> Set<Int64> {
        let hub = Set(try await db.raw("SELECT user_id FROM marac_hub_staff WHERE hub_role = 'coordinator'").all().map { try $0.int64("user_id") })
        if !hub.isEmpty { return hub }
        return Set(try await db.raw("SELECT user_id FROM user_roles WHERE role = 'marac-coordinator'").all().map { try $0.int64("user_id") })
    }

    // MARK: Meetings

    public struct Meeting: Sendable, Equatable, Identifiable, Encodable {
        public let id: Int64
        public let areaId: Int64
        public let heldOn: CalendarDate
        public let chairUserId: Int64?
        public let minutesIssuedOn: CalendarDate?
        public let version: Int
    }

    /// An area's meetings in `from…to`, generated from its schedule the first time they are asked for.
    public func meetings(areaId: Int64, from: CalendarDate, to: CalendarDate) async throws -> [Meeting] {
        guard let area = try await area(id: areaId) else { throw ValidationError(field: "areaId", "There is no area MARAC with id \(areaId)") }
        let dates = MARACRules.meetingDates(frequency: area.frequency, firstMeetingOn: area.firstMeetingOn, from: from, to: to)
        return try await database.write { db in
            let existing = Set(try await db.raw("""
                SELECT held_on FROM marac_meetings WHERE area_id = \(bind: areaId) AND held_on BETWEEN \(bind: from.iso) AND \(bind: to.iso)
                """).all().compactMap { try $0.date("held_on") })
            for date in dates where !existing.contains(date) {
                try await db.raw("INSERT INTO marac_meetings (area_id, held_on) VALUES (\(bind: areaId), \(bind: date.iso))").run()
            }
            return try await db.raw("""
                SELECT * FROM marac_meetings WHERE area_id = \(bind: areaId) AND held_on BETWEEN \(bind: from.iso) AND \(bind: to.iso)
                ORDER BY held_on
                """).all().map(Self.meeting)
        }
    }

    public func meeting(id: Int64) async throws -> Meeting? {
        try await database.read { db in try await db.raw("SELECT * FROM marac_meetings WHERE id = \(bind: id)").first().map(Self.meeting) }
    }

    /// The agenda: the area's cases whose MARAC date is the meeting's, and cases a partner asked to discuss that
    /// have not been heard, ordered by `MARACRules.agenda`.
    public func agenda(meeting: Meeting, filter: VisibilityFilter, today: CalendarDate,
                       audit: AuditContext) async throws -> (heard: [Summary], withoutMeeting: [Summary]) {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT c.id, c.reference, m.victim_name, m.area_id, m.referred_on, m.marac_date, m.routes, m.score, m.is_complex,
                    m.meeting_requested_on, m.meeting_id,
                    (SELECT COUNT(*) FROM marac_actions a WHERE a.case_id = c.id AND a.status = 'open') AS open_actions,
                    (SELECT COUNT(*) FROM marac_actions a WHERE a.case_id = c.id AND a.status = 'open'
                        AND a.due_on <= \(bind: meeting.heldOn.iso)) AS overdue
                FROM case_records c JOIN marac_cases m ON m.case_id = c.id
                WHERE m.area_id = \(bind: meeting.areaId) AND (m.marac_date = \(bind: meeting.heldOn.iso) OR m.meeting_id = \(bind: meeting.id)
                    OR (m.meeting_requested_on IS NOT NULL AND m.meeting_id IS NULL AND m.meeting_requested_on <= \(bind: meeting.heldOn.iso)))
                AND
                """ + " " + VisibleQuery.predicate(for: filter) + " ORDER BY c.id").all()
        }
        let cases = try rows.map(Self.summary)
        let order = MARACRules.agenda(cases.map {
            MARACRules.AgendaCandidate(caseId: $0.caseId, isComplex: $0.isComplex, meetingRequested: $0.meetingRequested,
                                       incompleteActions: $0.overdueActions)
        })
        let byId = Dictionary(uniqueKeysWithValues: cases.map { ($0.caseId, $0) })
        try await AuditLog(database: database).record(AuditRecord(context: audit, action: .view, recordType: "marac-agenda",
                                                                  recordId: String(meeting.id), note: "\(cases.count) case(s)"))
        return (order.heard.compactMap { byId[$0.caseId] }, order.withoutMeeting.compactMap { byId[$0.caseId] })
    }

    /// Confirms who chairs and which cases are heard at a meeting: heard cases take the meeting as their MARAC
    /// date; the rest keep theirs as the research deadline. Only a Hub manager or supervisor may chair.
    public func confirmAgenda(meetingId: Int64, chairUserId: Int64?, heardCaseIds: [Int64], expectedVersion: Int,
                              audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            if let chairUserId {
                let role = try await db.raw("SELECT hub_role FROM marac_hub_staff WHERE user_id = \(bind: chairUserId)").first()?
                    .string("hub_role")
                guard role.flatMap(HubRole.init(rawValue:))?.mayChair == true else {
                    throw ValidationError(field: "chairUserId", "The chair must be the MARAC manager or supervisor")
                }
            }
            guard let meeting = try await db.raw("""
                UPDATE marac_meetings SET chair_user_id = \(bind: chairUserId), version = version + 1
                WHERE id = \(bind: meetingId) AND version = \(bind: expectedVersion) RETURNING *
                """).first().map(Self.meeting) else { throw StaleRecordError(recordType: "meeting", id: meetingId) }
            try await db.raw("UPDATE marac_cases SET meeting_id = NULL WHERE meeting_id = \(bind: meetingId)").run()
            if !heardCaseIds.isEmpty {
                try await db.raw("""
                    UPDATE marac_cases SET meeting_id = \(bind: meetingId), marac_date = \(bind: meeting.heldOn.iso)
                    WHERE area_id = \(bind: meeting.areaId) AND case_id IN (\(binds: heardCaseIds))
                    """).run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-meeting", recordId: String(meetingId),
                                                  changes: [FieldChange(field: "chairUserId", before: nil, after: chairUserId.map(String.init)),
                                                            FieldChange(field: "heardCases", before: nil,
                                                                        after: heardCaseIds.map(String.init).joined(separator: ","))]),
                                      on: db, engine: engine)
        }
    }

    public struct Attendance: Sendable, Equatable {
        public let agencyId: Int64
        public var attended: Bool
        public var representative: String?
        public var confidentialityAcknowledged: Bool
        public var informationSent: Bool

        public init(agencyId: Int64, attended: Bool, representative: String?, confidentialityAcknowledged: Bool, informationSent: Bool) {
            self.agencyId = agencyId
            self.attended = attended
            self.representative = representative
            self.confidentialityAcknowledged = confidentialityAcknowledged
            self.informationSent = informationSent
        }
    }

    public func attendance(meetingId: Int64) async throws -> [Attendance] {
        try await database.read { db in
            try await db.raw("SELECT * FROM marac_attendance WHERE meeting_id = \(bind: meetingId) ORDER BY agency_id").all().map {
                Attendance(agencyId: try $0.int64("agency_id"), attended: try $0.bool("attended"),
                           representative: try $0.optionalString("representative"),
                           confidentialityAcknowledged: try $0.bool("confidentiality_acknowledged"),
                           informationSent: try $0.bool("information_sent"))
            }
        }
    }

    /// Records who attended, replacing what was recorded. An agency present must have acknowledged the
    /// confidentiality statement (SafeLives minutes checklist).
    public func recordAttendance(meetingId: Int64, _ entries: [Attendance], audit: AuditContext) async throws {
        var v = Validator()
        for entry in entries where entry.attended && !entry.confidentialityAcknowledged {
            v.add("confidentiality.\(entry.agencyId)", "An agency present must acknowledge the confidentiality statement")
        }
        try v.check()
        let engine = database.engine
        try await database.write { db in
            try await CaseStore.requireExisting(table: "marac_meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            try await db.raw("DELETE FROM marac_attendance WHERE meeting_id = \(bind: meetingId)").run()
            for entry in entries {
                try await db.raw("""
                    INSERT INTO marac_attendance (meeting_id, agency_id, attended, representative, confidentiality_acknowledged, information_sent)
                    VALUES (\(bind: meetingId), \(bind: entry.agencyId), \(bind: entry.attended.sqlInteger), \(bind: entry.representative),
                        \(bind: entry.confidentialityAcknowledged.sqlInteger), \(bind: entry.informationSent.sqlInteger))
                    """).run()
            }
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-attendance", recordId: String(meetingId),
                                                  note: "\(entries.count { $0.attended }) of \(entries.count) agencies present"),
                                      on: db, engine: engine)
        }
    }

    /// Attendance per represented agency at an area's meetings held in a quarter (up to today's meetings only).
    public func attendance(areaId: Int64, quarter: Quarter) async throws -> [(agencyId: Int64, attended: Int, meetings: Int)] {
        try await database.read { db in
            let meetings = try await db.raw("""
                SELECT COUNT(*) AS n FROM marac_meetings WHERE area_id = \(bind: areaId)
                AND held_on BETWEEN \(bind: quarter.first.iso) AND \(bind: quarter.last.iso)
                AND EXISTS (SELECT 1 FROM marac_attendance t WHERE t.meeting_id = marac_meetings.id)
                """).first()!.int("n")
            guard meetings > 0 else { return [] }
            return try await db.raw("""
                SELECT r.agency_id, (SELECT COUNT(*) FROM marac_attendance t JOIN marac_meetings m ON m.id = t.meeting_id
                    WHERE m.area_id = r.area_id AND t.agency_id = r.agency_id AND t.attended = 1
                    AND m.held_on BETWEEN \(bind: quarter.first.iso) AND \(bind: quarter.last.iso)) AS attended
                FROM marac_area_agencies r WHERE r.area_id = \(bind: areaId) ORDER BY r.agency_id
                """).all().map { (agencyId: try $0.int64("agency_id"), attended: try $0.int("attended"), meetings: meetings) }
        }
    }

    /// Per-case minutes: the decisions taken on a case heard at the meeting.
    public func recordMinutes(meetingId: Int64, caseId: Int64, decisions text: String?, principal: Principal, filter: VisibilityFilter,
                              audit: AuditContext) async throws {
        var v = Validator()
        let decisions = v.required(text, field: "decisions", label: "the decisions taken", maxLength: 20_000)
        try v.check()
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, _, engine in
            try await CaseStore.requireExisting(table: "marac_meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            try await db.raw("DELETE FROM marac_minutes WHERE meeting_id = \(bind: meetingId) AND case_id = \(bind: caseId)").run()
            try await db.raw("""
                INSERT INTO marac_minutes (meeting_id, case_id, decisions, recorded_by, recorded_at)
                VALUES (\(bind: meetingId), \(bind: caseId), \(bind: decisions!), \(bind: principal.userId), \(bind: Instant.storage(Date())))
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-minutes", recordId: "\(meetingId):\(caseId)",
                                                  changes: [FieldChange(field: "decisions", before: nil, after: decisions)]),
                                      on: db, engine: engine)
        }
    }

    /// Records that the meeting's minutes were sent out (stops its minutes clock).
    public func issueMinutes(meetingId: Int64, on date: CalendarDate, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            guard try await db.raw("""
                UPDATE marac_meetings SET minutes_issued_on = \(bind: date.iso), version = version + 1 WHERE id = \(bind: meetingId) RETURNING id
                """).first() != nil else { throw RecordNotFoundError(recordType: "meeting", id: String(meetingId)) }
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-meeting", recordId: String(meetingId),
                                                  changes: [FieldChange(field: "minutesIssuedOn", before: nil, after: date.iso)]),
                                      on: db, engine: engine)
        }
    }

    /// Open actions on the area's cases that were due by the meeting: the incomplete actions it reviews.
    public func incompleteActions(meeting: Meeting, filter: VisibilityFilter) async throws -> [Action] {
        try await database.read { db in
            try await db.raw("""
                SELECT a.* FROM marac_actions a JOIN case_records c ON c.id = a.case_id
                WHERE a.area_id = \(bind: meeting.areaId) AND a.status = 'open' AND a.due_on <= \(bind: meeting.heldOn.iso) AND
                """ + " " + VisibleQuery.predicate(for: filter) + " ORDER BY a.due_on, a.id").all().map(Self.action)
        }
    }

    /// The meeting's review of an incomplete action: why it was not done. The action is closed as not completed
    /// with that reason.
    public func reviewIncompleteAction(meetingId: Int64, actionId: Int64, reason: NotCompletedReason, note: String?, principal: Principal,
                                       filter: VisibilityFilter, today: CalendarDate, audit: AuditContext) async throws {
        guard let caseId = try await database.read({ db in
            try await db.raw("SELECT case_id FROM marac_actions WHERE id = \(bind: actionId)").first()?.int64("case_id")
        }) else { throw RecordNotFoundError(recordType: "action", id: String(actionId)) }
        try await changing(caseId: caseId, principal: principal, filter: filter, audit: audit) { db, _, engine in
            try await CaseStore.requireExisting(table: "marac_meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            try await db.raw("DELETE FROM marac_action_reviews WHERE meeting_id = \(bind: meetingId) AND action_id = \(bind: actionId)").run()
            try await db.raw("""
                INSERT INTO marac_action_reviews (meeting_id, action_id, reason, note, reviewed_by)
                VALUES (\(bind: meetingId), \(bind: actionId), \(bind: reason.rawValue), \(bind: note), \(bind: principal.userId))
                """).run()
            try await db.raw("""
                UPDATE marac_actions SET status = 'not-completed', reason = \(bind: reason.rawValue), note = \(bind: note),
                    closed_on = \(bind: today.iso), version = version + 1
                WHERE id = \(bind: actionId)
                """).run()
            try await AuditLog.append(AuditRecord(context: audit, action: .update, recordType: "marac-action", recordId: String(actionId),
                                                  changes: [FieldChange(field: "status", before: "open", after: "not-completed"),
                                                            FieldChange(field: "reason", before: nil, after: reason.rawValue)],
                                                  note: "reviewed at meeting \(meetingId)"),
                                      on: db, engine: engine)
        }
    }

    // MARK: Indicators

    /// The cases of one area whose MARAC date falls in the quarter, as the indicators read them. Aggregates, not
    /// case content: every case of the area counts, whoever asks (only roles with `readMARACIndicators` do).
    public func indicatorCases(areaId: Int64, quarter: Quarter) async throws -> [KPICase] {
        try await database.read { db in
            let range: SQLQueryString = "m.area_id = \(bind: areaId) AND m.marac_date BETWEEN \(bind: quarter.first.iso) AND \(bind: quarter.last.iso)"
            var ages: [Int64: [Int?]] = [:]
            for row in try await db.raw("""
                SELECT p.case_id, p.age FROM marac_people p JOIN marac_cases m ON m.case_id = p.case_id
                WHERE p.role = 'perpetrator' AND
                """ + " " + range).all() {
                ages[try row.int64("case_id"), default: []].append(try row.decode(column: "age", as: Int?.self))
            }
            return try await db.raw("""
                SELECT m.case_id, m.is_repeat, m.victim_age, m.victim_sex, m.victim_ethnic_group, m.victim_disability, m.victim_lgbt,
                    m.children, m.meeting_id, g.kind FROM marac_cases m JOIN agencies g ON g.id = m.referring_agency_id WHERE
                """ + " " + range).all().map { row in
                KPICase(isRepeat: try row.bool("is_repeat"), referredByPolice: try row.string("kind") == AgencyKind.police.rawValue,
                        diversity: try Self.diversity(row), perpetratorAges: ages[try row.int64("case_id")] ?? [],
                        children: try row.int("children"), heardAtMeeting: try row.optionalInt64("meeting_id") != nil)
            }
        }
    }

    /// Open overdue actions per agency for an area (the indicators' "actions overdue by agency").
    public func overdueByAgency(areaId: Int64, today: CalendarDate) async throws -> [(agencyId: Int64, count: Int)] {
        try await database.read { db in
            try await db.raw("""
                SELECT agency_id, COUNT(*) AS n FROM marac_actions
                WHERE area_id = \(bind: areaId) AND status = 'open' AND due_on < \(bind: today.iso) GROUP BY agency_id ORDER BY agency_id
                """).all().map { (agencyId: try $0.int64("agency_id"), count: try $0.int("n")) }
        }
    }

    // MARK: Rows

    static func action(_ row: any SQLRow) throws -> Action {
        Action(id: try row.int64("id"), caseId: try row.int64("case_id"), agencyId: try row.int64("agency_id"),
               assigneeUserId: try row.optionalInt64("assignee_user_id"), description: try row.string("description"),
               requestedOn: try row.date("requested_on")!, dueOn: try row.date("due_on")!,
               status: MARACActionStatus(rawValue: try row.string("status")) ?? .open,
               reason: try row.optionalString("reason").flatMap(NotCompletedReason.init(rawValue:)), note: try row.optionalString("note"),
               escalationLevel: try row.int("escalation_level"), version: try row.int("version"))
    }

    static func meeting(_ row: any SQLRow) throws -> Meeting {
        Meeting(id: try row.int64("id"), areaId: try row.int64("area_id"), heldOn: try row.date("held_on")!,
                chairUserId: try row.optionalInt64("chair_user_id"), minutesIssuedOn: try row.date("minutes_issued_on"),
                version: try row.int("version"))
    }

    static func summary(_ row: any SQLRow) throws -> Summary {
        Summary(caseId: try row.int64("id"), reference: try row.string("reference"), victimName: try row.string("victim_name"),
                areaId: try row.int64("area_id"), referredOn: try row.date("referred_on")!, maracDate: try row.date("marac_date"),
                routes: routes(try row.string("routes")), score: try row.int("score"), isComplex: try row.bool("is_complex"),
                meetingRequested: try row.optionalString("meeting_requested_on") != nil, meetingId: try row.optionalInt64("meeting_id"),
                openActions: try row.int("open_actions"), overdueActions: try row.int("overdue"))
    }

    static func diversity(_ row: any SQLRow) throws -> VictimDiversity {
        VictimDiversity(age: try row.decode(column: "victim_age", as: Int?.self),
                        sex: try row.optionalString("victim_sex").flatMap(RecordedSex.init(rawValue:)),
                        ethnicGroup: try row.optionalString("victim_ethnic_group").flatMap(EthnicGroup.init(rawValue:)),
                        disability: try row.optionalString("victim_disability").flatMap(DeclinableAnswer.init(rawValue:)),
                        lgbt: try row.optionalString("victim_lgbt").flatMap(DeclinableAnswer.init(rawValue:)))
    }

    static func routes(_ text: String) -> [ReferralRoute] {
        text.split(separator: ",").compactMap { ReferralRoute(rawValue: String($0)) }.sorted()
    }
}
