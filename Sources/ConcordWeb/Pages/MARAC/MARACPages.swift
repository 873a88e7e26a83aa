import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The MARAC Hub in the browser: the case list, referral with the risk checklist, one case with agencies' research
/// and actions, the overdue lists, meetings (agenda, attendance, minutes, review of incomplete actions) and the
/// indicators with the quarterly return. Visibility and audit come from `MARACStore`.
struct MARACPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/marac", use: list)
        router.get("/marac.csv", use: export)
        router.get("/marac/referrals/new", use: newReferral)
        router.post("/marac/referrals", use: refer)
        router.get("/marac/cases/{id}", use: show)
        router.post("/marac/cases/{id}/research", use: addResearch)
        router.post("/marac/cases/{id}/actions", use: requestAction)
        router.post("/marac/cases/{id}/actions/{actionId}", use: updateAction)
        router.post("/marac/cases/{id}/meeting-request", use: requestMeeting)
        router.get("/marac/actions/overdue", use: overdue)
        router.get("/marac/escalations", use: escalations)
        router.get("/marac/meetings", use: meetings)
        router.get("/marac/meetings/{id}", use: meeting)
        router.post("/marac/meetings/{id}/agenda", use: confirmAgenda)
        router.post("/marac/meetings/{id}/attendance", use: recordAttendance)
        router.post("/marac/meetings/{id}/minutes", use: recordMinutes)
        router.post("/marac/meetings/{id}/reviews", use: reviewAction)
        router.post("/marac/meetings/{id}/issue", use: issueMinutes)
        router.get("/marac/kpis", use: indicators)
        router.get("/marac/kpis.csv", use: quarterlyReturn)
    }

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    private func areaOptions(selected: Int64?) async throws -> [Option] {
        try await services.marac.areas().map { Option(value: String($0.id), label: $0.name, selected: $0.id == selected) }
    }

    // MARK: List

    struct ListModel {
        struct Row {
            let id: Int64
            let reference: String
            let victim: String
            let area: String
            let referred: String
            let maracDate: String
            let routes: String
            let score: Int
            let openActions: Int
            /// Nil when none are overdue (Mustache treats 0 as true).
            let overdueActions: Int?
            let meetingRequested: Bool
            let heard: Bool
        }

        let areas: [Option]
        let rows: [Row]
        let isEmpty: Bool
        let nextHref: String?
        let exportHref: String
        let mayRefer: Bool
        let mayReadIndicators: Bool
        let ownOverdue: Int
    }

    private func rows(_ items: [MARACStore.Summary], areas: [Int64: String]) -> [ListModel.Row] {
        items.map {
            ListModel.Row(id: $0.caseId, reference: $0.reference, victim: $0.victimName, area: areas[$0.areaId] ?? "",
                          referred: $0.referredOn.long, maracDate: $0.maracDate?.long ?? "No meeting scheduled",
                          routes: $0.routes.map(\.label).joined(separator: ", "), score: $0.score, openActions: $0.openActions,
                          overdueActions: $0.overdueActions == 0 ? nil : $0.overdueActions, meetingRequested: $0.meetingRequested, heard: $0.meetingId != nil)
        }
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let areaId = request.uri.queryParameters["areaId"].flatMap { Int64(String($0)) }
        let cursor = request.uri.queryParameters["cursor"].flatMap { Int64(String($0)) }
        let page = try await services.marac.list(filter: filter, areaId: areaId, today: today, cursor: cursor, audit: context.audit)
        let areas = Dictionary(uniqueKeysWithValues: try await services.marac.areas().map { ($0.id, $0.name) })
        let query = areaId.map { "areaId=\($0)" } ?? ""
        let model = ListModel(
            areas: try await areaOptions(selected: areaId), rows: rows(page.items, areas: areas), isEmpty: page.items.isEmpty,
            nextHref: page.nextCursor.map { "/marac?\(query)&cursor=\($0)" }, exportHref: "/marac.csv?\(query)",
            mayRefer: filter.caseTypes.contains(.marac), mayReadIndicators: AccessPolicy.may(principal, .readMARACIndicators),
            ownOverdue: try await services.marac.overdueActions(filter: filter, agencyId: principal.agencyId, today: today).count)
        return try await services.page("marac/list", context, title: "MARAC cases", page: model, classification: .officialSensitivePersonal)
    }

    /// Every visible case as CSV, marked top and bottom; audited as an export.
    func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        let areaId = request.uri.queryParameters["areaId"].flatMap { Int64(String($0)) }
        var items: [MARACStore.Summary] = []
        var cursor: Int64?
        repeat {
            let page = try await services.marac.list(filter: filter, areaId: areaId, today: today, cursor: cursor,
                                                     limit: CaseStore.maximumPageSize, audit: nil)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        try await services.audit.record(AuditRecord(context: context.audit, action: .export, recordType: "case-list",
                                                    note: "\(items.count) MARAC case(s) exported as CSV"))
        let areas = Dictionary(uniqueKeysWithValues: try await services.marac.areas().map { ($0.id, $0.name) })
        var csv = CSV.line(["reference", "victim", "area", "referred_on", "marac_date", "heard_at_meeting", "routes", "score", "open_actions",
                         "overdue_actions", "meeting_requested"])
        for row in items {
            csv += CSV.line([row.reference, row.victimName, areas[row.areaId] ?? "", row.referredOn.iso, row.maracDate?.iso ?? "",
                             String(row.meetingId != nil), row.routes.map(\.rawValue).joined(separator: " "), String(row.score),
                             String(row.openActions), String(row.overdueActions), String(row.meetingRequested)])
        }
        return CSV.response(csv, classification: .officialSensitivePersonal, filename: "marac-cases.csv")
    }

    // MARK: Referral

    struct ReferralModel {
        struct Question {
            let number: Int
            let label: String
            let answers: [Option]
        }

        let areas: [Option]
        let sexes: [Option]
        let ethnicGroups: [Option]
        let disability: [Option]
        let lgbt: [Option]
        let questions: [Question]
        let perpetrators: [Int]
        let children: [Int]
        let form: [String: String]
        let today: String
        let visibleHighRiskScore: Int
        let escalationIncidents: Int
    }

    private func referralForm(_ context: AppRequestContext, form: Form?, errors: [FieldIssue] = []) async throws -> Response {
        let values = form?.redisplay ?? [:]
        let labels = try await services.marac.checklistLabels()
        let settings = try await services.settings.values()
        func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ field: String, label: (T) -> String) -> [Option]
            where T.RawValue == String {
            T.allCases.map { Option(value: $0.rawValue, label: label($0), selected: values[field] == $0.rawValue) }
        }
        let model = ReferralModel(
            areas: try await areaOptions(selected: values["areaId"].flatMap { Int64($0) }),
            sexes: options(RecordedSex.self, "victim_sex") { $0.label },
            ethnicGroups: options(EthnicGroup.self, "victim_ethnicGroup") { $0.label },
            disability: options(DeclinableAnswer.self, "victim_disability") { $0.label },
            lgbt: options(DeclinableAnswer.self, "victim_lgbt") { $0.label },
            questions: labels.enumerated().map { index, label in
                ReferralModel.Question(number: index + 1, label: label, answers: ChecklistAnswer.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: values["q\(index + 1)"] == $0.rawValue)
                })
            },
            perpetrators: [1, 2], children: [1, 2, 3, 4], form: values, today: today.iso,
            visibleHighRiskScore: settings.int(PartnershipSettings.maracVisibleHighRiskScore),
            escalationIncidents: settings.int(PartnershipSettings.maracEscalationIncidents))
        return try await services.page("marac/refer", context, title: "Refer to MARAC", page: model, errors: errors,
                                       classification: .officialSensitivePersonal)
    }

    func newReferral(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await principalAndFilter(context)
        return try await referralForm(context, form: nil)
    }

    func refer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        try await services.requireCreate(principal, CaseAccessFacts(caseType: .marac, owningAgencyId: principal.agencyId,
                                                                    classification: .officialSensitivePersonal), filter: filter, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            let input = try MARACRules.referral(form.fields, checklist: MARACRules.formChecklist(form.fields),
                                                referringAgencyId: principal.agencyId, today: today)
            let id = try await services.referMARAC(input, principal: principal, audit: context.audit)
            return .seeOther("/marac/cases/\(id)?saved=1")
        } catch let error as ValidationError {
            return try await referralForm(context, form: form, errors: error.issues)
        }
    }

    // MARK: One case

    struct CaseModel {
        struct Line {
            let heading: String
            let detail: String
        }

        struct ActionRow {
            let id: Int64
            let agency: String
            let assignee: String?
            let description: String
            let requested: String
            let due: String
            let status: String
            let reason: String?
            let note: String?
            let overdue: Bool
            let escalation: String?
            let escalations: [String]
            let version: Int
            let mayUpdate: Bool
            let statuses: [Option]
            let reasons: [Option]
        }

        let record: CaseRecord
        let area: String
        let victim: String
        let dateOfBirth: String
        let contact: [Line]
        let contactHidden: Bool
        let diversity: [Line]
        let perpetrators: [String]
        let children: [String]
        let referringAgency: String
        let referringOfficer: String
        let referred: String
        let score: Int
        let routes: String
        let professionalJudgement: String?
        let incidents: Int
        let complex: Bool
        let maracDate: String
        let heard: Bool
        let meetingRequest: String?
        let checklist: [Line]
        let sharedWith: [String]
        let research: [Line]
        let actions: [ActionRow]
        let minutes: [Line]
        let otherReferrals: [Line]
        let agencyOptions: [Option]
        let form: [String: String]
        let today: String
        let canSeeViewers: Bool
    }

    private func casePage(id: Int64, _ context: AppRequestContext, principal: Principal, filter: VisibilityFilter, form: Form? = nil,
                          errors: [FieldIssue] = [], notice: String? = nil) async throws -> Response {
        let showContact = try await services.maySeeVictimContact(principal)
        guard let found = try await services.marac.detail(caseId: id, filter: filter, showContact: showContact, audit: context.audit) else {
            throw AppError.notFound
        }
        let names = try await DirectoryNames.load(services)
        let labels = try await services.marac.checklistLabels()
        let area = try await services.marac.area(id: found.areaId)
        func person(_ p: NamedPerson) -> String {
            [p.name ?? "Name not known", p.age.map { "aged \($0)" }].compactMap { $0 }.joined(separator: ", ")
        }
        var escalations: [Int64: [MARACStore.Escalation]] = [:]
        for action in found.actions where action.escalationLevel > 0 {
            escalations[action.id] = try await services.marac.escalations(actionId: action.id)
        }
        let d = found.diversity
        let model = CaseModel(
            record: found.record, area: area?.name ?? "", victim: found.victimName, dateOfBirth: found.victimDateOfBirth?.long ?? "Not recorded",
            contact: found.contact.map { c in
                [("Address", [c.address, c.postcode].compactMap { $0 }.joined(separator: ", ")), ("Phone", c.phone ?? ""),
                 ("Email", c.email ?? ""), ("Safe contact", c.safeContactNotes ?? "")]
                    .map { CaseModel.Line(heading: $0.0, detail: $0.1.isEmpty ? "Not recorded" : $0.1) }
            } ?? [],
            contactHidden: found.contact == nil,
            diversity: [("Age", d.age.map(String.init)), ("Sex", d.sex?.label), ("Ethnic group", d.ethnicGroup?.label),
                        ("Disability", d.disability?.label), ("LGBT+", d.lgbt?.label)]
                .map { CaseModel.Line(heading: $0.0, detail: $0.1 ?? "Not recorded") },
            perpetrators: found.perpetrators.map(person), children: found.children.map(person),
            referringAgency: names.agency(found.referringAgencyId), referringOfficer: found.referringOfficer, referred: found.referredOn.long,
            score: found.checklist.score, routes: found.routes.map(\.label).joined(separator: ", "),
            professionalJudgement: found.professionalJudgement, incidents: found.incidentsInLast12Months, complex: found.isComplex,
            maracDate: found.maracDate?.long ?? "No meeting scheduled", heard: found.meetingId != nil,
            meetingRequest: found.meetingRequest.map { "Requested \($0.on.long) by \(names.user($0.byUserId)): \($0.reason)" },
            checklist: zip(labels, found.checklist.answers).enumerated().map {
                CaseModel.Line(heading: "\($0.offset + 1). \($0.element.0)", detail: $0.element.1.label)
            },
            sharedWith: found.record.sharedWith.sorted().map(names.agency),
            research: found.research.map {
                CaseModel.Line(heading: "\(names.agency($0.agencyId)) · \(names.user($0.authorUserId)) · \(Instant.display($0.addedAt))", detail: $0.body)
            },
            actions: found.actions.map { action in
                CaseModel.ActionRow(
                    id: action.id, agency: names.agency(action.agencyId), assignee: action.assigneeUserId.map { names.user($0) },
                    description: action.description, requested: action.requestedOn.long, due: action.dueOn.long, status: action.status.label,
                    reason: action.reason?.label, note: action.note, overdue: action.isOverdue(today: today),
                    escalation: action.escalationLevel == 0 ? nil : "Escalated \(action.escalationLevel) time\(action.escalationLevel == 1 ? "" : "s")",
                    escalations: (escalations[action.id] ?? []).map { Self.describe($0) },
                    version: action.version, mayUpdate: AccessPolicy.mayUpdateMARACAction(principal, actionAgencyId: action.agencyId),
                    statuses: MARACActionStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == action.status) },
                    reasons: NotCompletedReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == action.reason) })
            },
            minutes: found.minutes.map { CaseModel.Line(heading: "Meeting of \($0.heldOn.long)", detail: $0.decisions) },
            otherReferrals: found.otherReferrals.map { CaseModel.Line(heading: $0.reference, detail: "Referred \($0.referredOn.long)") },
            agencyOptions: names.agencies.sorted { $0.value < $1.value }.map {
                Option(value: String($0.key), label: $0.value, selected: form?["agencyId"] == String($0.key))
            },
            form: form?.redisplay ?? [:], today: today.iso, canSeeViewers: AccessPolicy.may(principal, .readAuditLog))
        return try await services.page("marac/case", context, title: "\(found.record.reference): \(found.record.title)", page: model,
                                       errors: errors, notice: notice, classification: found.record.classification)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        return try await casePage(id: try APIRoutes.id(context), context, principal: principal, filter: filter,
                                  notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    /// Reads the form, runs `change`, then shows the case again: redirected on success, or with the errors and what
    /// was typed.
    private func change(_ request: Request, _ context: AppRequestContext,
                        _ body: (Form, Int64, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        return try await Form.post(request, context, success: "/marac/cases/\(id)?saved=1", staleField: "actions") { form in
            try await body(form, id, principal, filter)
        } refused: { form, issues in
            try await casePage(id: id, context, principal: principal, filter: filter, form: form, errors: issues)
        }
    }

    func addResearch(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            try await services.marac.addResearch(caseId: id, body: form["body"] ?? "", principal: principal, filter: filter, audit: context.audit)
        }
    }

    func requestAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            let input = try MARACRules.actionRequest(form.fields, today: today)
            try await services.marac.requestAction(caseId: id, input, principal: principal, filter: filter, audit: context.audit)
        }
    }

    func updateAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context) { form, _, principal, filter in
            let update = try MARACRules.actionUpdate(form.fields)
            try await services.marac.updateAction(actionId: actionId, update, principal: principal, filter: filter, today: today,
                                                  audit: context.audit)
        }
    }

    func requestMeeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            try await services.marac.requestMeeting(caseId: id, reason: form["reason"], principal: principal, filter: filter, today: today,
                                                    audit: context.audit)
        }
    }

    // MARK: Overdue

    struct OverdueModel {
        struct Row {
            let caseId: Int64
            let reference: String
            let agency: String
            let description: String
            let due: String
            let daysLate: Int
            let escalation: Int
        }

        let scope: [Option]
        let rows: [Row]
        let isEmpty: Bool
        let heading: String
    }

    /// The Hub's overdue list (every visible case) or the signed-in user's agency's own.
    func overdue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let hub = request.uri.queryParameters["scope"].map(String.init) == "hub"
        let actions = try await services.marac.overdueActions(filter: filter, agencyId: hub ? nil : principal.agencyId, today: today)
        try await services.audit.record(AuditRecord(context: context.audit, action: .view, recordType: "case-list",
                                                    note: "\(actions.count) overdue MARAC action(s) listed"))
        let names = try await DirectoryNames.load(services)
        let model = OverdueModel(
            scope: [Option(value: "agency", label: "My agency's actions", selected: !hub), Option(value: "hub", label: "All overdue actions I can see", selected: hub)],
            rows: actions.map {
                OverdueModel.Row(caseId: $0.caseId, reference: $0.reference, agency: names.agency($0.agencyId), description: $0.description,
                                 due: $0.dueOn.long, daysLate: $0.dueOn.days(to: today), escalation: $0.escalationLevel)
            },
            isEmpty: actions.isEmpty, heading: hub ? "Overdue MARAC actions" : "My agency's overdue MARAC actions")
        return try await services.page("marac/overdue", context, title: "Overdue MARAC actions", page: model,
                                       classification: .officialSensitivePersonal)
    }

    /// "2 December 2026 14:05: escalated to the point of contact (level 2), 1 person told".
    static func describe(_ e: MARACStore.Escalation) -> String {
        "\(Instant.display(e.escalatedAt)): escalated to \(EscalationLadder.parse(e.rung).rungs.first?.label ?? e.rung) (level \(e.level)), "
            + "\(e.recipients) \(e.recipients == 1 ? "person" : "people") told" + (e.recipients == 0 ? ": \(e.note)" : "")
    }

    struct EscalationModel {
        struct Row {
            let when: String
            let subject: String
            let agency: String
            let level: Int
            let rung: String
            let recipients: Int
            let note: String
            let caseHref: String?
        }

        let rows: [Row]
        let isEmpty: Bool
    }

    /// The escalation log: overdue actions and low attendance, newest first. Action ids and agencies only, no
    /// case content, for those who oversee the Hub (`readMARACIndicators`).
    func escalations(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMARACIndicators, context)
        let log = try await services.marac.escalations()
        let names = try await DirectoryNames.load(services)
        let model = EscalationModel(rows: log.map {
            EscalationModel.Row(when: Instant.display($0.escalatedAt), subject: $0.subject == "action" ? "Overdue action \($0.actionId ?? 0)" : "Low attendance",
                                agency: names.agency($0.agencyId), level: $0.level,
                                rung: EscalationLadder.parse($0.rung).rungs.first?.label ?? $0.rung, recipients: $0.recipients, note: $0.note,
                                caseHref: $0.caseId.map { "/marac/cases/\($0)#actions" })
        }, isEmpty: log.isEmpty)
        return try await services.page("marac/escalations", context, title: "MARAC escalation log", page: model)
    }

    // MARK: Meetings

    struct MeetingsModel {
        struct Row {
            let id: Int64
            let date: String
            let chair: String
            let minutes: String
            let late: Bool
        }

        let areas: [Option]
        let area: String?
        let rows: [Row]
        let hasRows: Bool
    }

    /// An area's meetings from three months back to three months ahead, with each one's minutes clock.
    func meetings(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await principalAndFilter(context)
        let areas = try await services.marac.areas()
        let areaId = request.uri.queryParameters["areaId"].flatMap { Int64(String($0)) } ?? areas.first?.id
        guard let area = areas.first(where: { $0.id == areaId }) else {
            return try await services.page("marac/meetings", context, title: "MARAC meetings",
                                           page: MeetingsModel(areas: [], area: nil, rows: [], hasRows: false))
        }
        let meetings = try await services.marac.meetings(areaId: area.id, from: today.adding(months: -3), to: today.adding(months: 3))
        let names = try await DirectoryNames.load(services)
        let (calendar, limit) = try await services.maracMinutesClockSettings()
        var rows: [MeetingsModel.Row] = []
        for meeting in meetings {
            // A meeting is held once its attendance is recorded; from then its minutes clock runs.
            let attendance = meeting.heldOn <= today ? try await services.marac.attendance(meetingId: meeting.id) : []
            let held = !attendance.isEmpty
            let clock = calendar.clock(start: meeting.heldOn, limit: limit, stoppedOn: meeting.minutesIssuedOn, today: today)
            rows.append(MeetingsModel.Row(
                id: meeting.id, date: meeting.heldOn.long, chair: names.user(meeting.chairUserId),
                minutes: held ? "Minutes due \(clock.due.long): \(clock.summary)" : meeting.heldOn > today ? "" : "No attendance recorded",
                late: held && clock.isOverdue))
        }
        let model = MeetingsModel(areas: areas.map { Option(value: String($0.id), label: $0.name, selected: $0.id == area.id) }, area: area.name,
                                  rows: rows, hasRows: !rows.isEmpty)
        return try await services.page("marac/meetings", context, title: "MARAC meetings", page: model)
    }

    struct MeetingModel {
        struct AgendaRow {
            let caseId: Int64
            let reference: String
            let victim: String
            let why: String
            let heard: Bool
        }

        struct AttendanceRow {
            let agencyId: Int64
            let agency: String
            let attended: Bool
            let representative: String
            let confidentiality: Bool
            let informationSent: Bool
        }

        struct ActionRow {
            let id: Int64
            let reference: String
            let agency: String
            let description: String
            let due: String
        }

        let meeting: MARACStore.Meeting
        let area: String
        let date: String
        let chairs: [Option]
        let heard: [AgendaRow]
        let withoutMeeting: [AgendaRow]
        let attendance: [AttendanceRow]
        let incomplete: [ActionRow]
        let reasons: [Option]
        let minutesClock: String
        let minutesIssued: String?
        let today: String
        let mayManage: Bool
    }

    private func meetingPage(id: Int64, _ context: AppRequestContext, errors: [FieldIssue] = [], notice: String? = nil) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        guard let meeting = try await services.marac.meeting(id: id), let area = try await services.marac.area(id: meeting.areaId) else {
            throw AppError.notFound
        }
        let agenda = try await services.marac.agenda(meeting: meeting, filter: filter, today: today, audit: context.audit)
        let names = try await DirectoryNames.load(services)
        let recorded = Dictionary(uniqueKeysWithValues: try await services.marac.attendance(meetingId: id).map { ($0.agencyId, $0) })
        let represented = try await services.marac.representation(areaId: area.id)
        let staff = try await services.marac.hubStaff()
        let (calendar, limit) = try await services.maracMinutesClockSettings()
        let clock = calendar.clock(start: meeting.heldOn, limit: limit, stoppedOn: meeting.minutesIssuedOn, today: today)
        func row(_ summary: MARACStore.Summary, heard: Bool) -> MeetingModel.AgendaRow {
            let why = [summary.isComplex ? "Complex multi-agency case" : nil, summary.meetingRequested ? "Meeting requested" : nil,
                       summary.overdueActions > 0 ? "\(summary.overdueActions) incomplete action\(summary.overdueActions == 1 ? "" : "s")" : nil]
                .compactMap { $0 }
            return MeetingModel.AgendaRow(caseId: summary.caseId, reference: summary.reference, victim: summary.victimName,
                                          why: why.isEmpty ? "Managed without a meeting: research by \(meeting.heldOn.long)" : why.joined(separator: "; "),
                                          heard: heard)
        }
        let model = MeetingModel(
            meeting: meeting, area: area.name, date: meeting.heldOn.long,
            chairs: staff.filter { $0.value.mayChair }.map { Option(value: String($0.key), label: "\(names.user($0.key)) (\($0.value.label))",
                                                                 selected: $0.key == meeting.chairUserId) }.sorted { $0.label < $1.label },
            heard: agenda.heard.map { row($0, heard: true) }, withoutMeeting: agenda.withoutMeeting.map { row($0, heard: false) },
            attendance: represented.map { r in
                let entry = recorded[r.agencyId]
                return MeetingModel.AttendanceRow(agencyId: r.agencyId, agency: names.agency(r.agencyId), attended: entry?.attended ?? false,
                                                  representative: entry?.representative ?? "",
                                                  confidentiality: entry?.confidentialityAcknowledged ?? false,
                                                  informationSent: entry?.informationSent ?? false)
            },
            incomplete: try await services.marac.incompleteActions(meeting: meeting, filter: filter).map { action in
                MeetingModel.ActionRow(id: action.id, reference: agenda.heard.first { $0.caseId == action.caseId }?.reference ?? "Case \(action.caseId)",
                                       agency: names.agency(action.agencyId), description: action.description, due: action.dueOn.long)
            },
            reasons: NotCompletedReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            minutesClock: "Due \(clock.due.long): \(clock.summary)" + (clock.daysNotCountedSummary.map { ". Not counted: \($0)" } ?? ""),
            minutesIssued: meeting.minutesIssuedOn?.long,
            today: today.iso, mayManage: AccessPolicy.may(principal, .administerMARAC))
        return try await services.page("marac/meeting", context, title: "\(area.name) MARAC, \(meeting.heldOn.long)", page: model, errors: errors,
                                       notice: notice, classification: .officialSensitivePersonal)
    }

    func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await meetingPage(id: try APIRoutes.id(context), context, notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    /// Runs a change to a meeting and shows it again; the Hub's roles (`administerMARAC`) manage meetings.
    private func changeMeeting(_ request: Request, _ context: AppRequestContext, capability: AccessPolicy.Capability = .administerMARAC,
                               _ body: (Form, MARACStore.Meeting, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let principal = try await services.require(capability, context)
        let filter = try await services.visibility(for: principal)
        let id = try APIRoutes.id(context)
        guard let meeting = try await services.marac.meeting(id: id) else { throw AppError.notFound }
        return try await Form.post(request, context, success: "/marac/meetings/\(id)?saved=1", staleField: "chairUserId") { form in
            try await body(form, meeting, principal, filter)
        } refused: { _, issues in
            try await meetingPage(id: id, context, errors: issues)
        }
    }

    func confirmAgenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeMeeting(request, context) { form, meeting, _, _ in
            try await services.marac.confirmAgenda(meetingId: meeting.id, chairUserId: form.int64("chairUserId"), heardCaseIds: form.int64s("heard"),
                                                   expectedVersion: try form.version(), audit: context.audit)
        }
    }

    func recordAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeMeeting(request, context) { form, meeting, _, _ in
            let entries = try await services.marac.representation(areaId: meeting.areaId).map { r in
                MARACStore.Attendance(agencyId: r.agencyId, attended: form.bool("attended.\(r.agencyId)"),
                                      representative: form["representative.\(r.agencyId)"].flatMap { $0.isEmpty ? nil : $0 },
                                      confidentialityAcknowledged: form.bool("confidentiality.\(r.agencyId)"),
                                      informationSent: form.bool("informationSent.\(r.agencyId)"))
            }
            try await services.marac.recordAttendance(meetingId: meeting.id, entries, audit: context.audit)
        }
    }

    func recordMinutes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeMeeting(request, context, capability: .useCases) { form, meeting, principal, filter in
            guard let caseId = form.int64("caseId") else { throw ValidationError(field: "caseId", "Choose the case the minutes are for") }
            try await services.marac.recordMinutes(meetingId: meeting.id, caseId: caseId, decisions: form["decisions"], principal: principal,
                                                   filter: filter, audit: context.audit)
        }
    }

    func reviewAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeMeeting(request, context, capability: .useCases) { form, meeting, principal, filter in
            guard let actionId = form.int64("actionId") else { throw ValidationError(field: "actionId", "Choose the action reviewed") }
            guard let reason = form["reason"].flatMap(NotCompletedReason.init(rawValue:)) else {
                throw ValidationError(field: "reason", "Say why it was not done: circumstances changed, or the agency did not act")
            }
            try await services.marac.reviewIncompleteAction(meetingId: meeting.id, actionId: actionId, reason: reason,
                                                            note: form["note"].flatMap { $0.isEmpty ? nil : $0 }, principal: principal,
                                                            filter: filter, today: today, audit: context.audit)
        }
    }

    func issueMinutes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeMeeting(request, context) { form, meeting, _, _ in
            var v = Validator()
            let date = v.date(form["issuedOn"], field: "issuedOn", label: "the date the minutes were sent", required: true)
            if let date, date > today { v.add("issuedOn", "The date the minutes were sent cannot be in the future") }
            if let date, date < meeting.heldOn { v.add("issuedOn", "Minutes cannot be sent before the meeting (\(meeting.heldOn.long))") }
            try v.check()
            try await services.marac.issueMinutes(meetingId: meeting.id, on: date!, audit: context.audit)
        }
    }

    // MARK: Indicators

    struct IndicatorModel {
        struct Line {
            let label: String
            let value: String
        }

        let areas: [Option]
        let quarters: [Option]
        let area: String?
        let quarter: String
        let lines: [Line]
        let overdue: [Line]
        let attendance: [Line]
        let csvHref: String
    }

    /// The quarter asked for (`2026-Q3`), else the last complete one.
    private func quarter(_ request: Request) throws -> Quarter {
        guard let text = request.uri.queryParameters["quarter"].map(String.init) else { return Quarter(containing: today).previous }
        guard let quarter = Quarter(text) else { throw AppError.invalid([FieldIssue("quarter", "Quarter must look like 2026-Q3")]) }
        return quarter
    }

    func indicators(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMARACIndicators, context)
        let quarter = try quarter(request)
        let areas = try await services.marac.areas()
        let areaId = request.uri.queryParameters["areaId"].flatMap { Int64(String($0)) } ?? areas.first?.id
        let area = areas.first { $0.id == areaId }
        let names = try await DirectoryNames.load(services)
        var lines: [IndicatorModel.Line] = []
        var overdue: [IndicatorModel.Line] = []
        var attendance: [IndicatorModel.Line] = []
        if let area {
            let k = MARACRules.indicators(try await services.marac.indicatorCases(areaId: area.id, quarter: quarter),
                                          adultFemalePopulation: area.adultFemalePopulation)
            lines = Self.indicatorLines(k).map { IndicatorModel.Line(label: $0.0, value: $0.1) }
            overdue = try await services.marac.overdueByAgency(areaId: area.id, today: today).map {
                IndicatorModel.Line(label: names.agency($0.agencyId), value: String($0.count))
            }
            attendance = try await services.marac.attendance(areaId: area.id, quarter: quarter).map {
                IndicatorModel.Line(label: names.agency($0.agencyId),
                                    value: "\($0.attended) of \($0.meetings) (\(MARACRules.attendancePercent(attended: $0.attended, meetings: $0.meetings) ?? 0)%)")
            }
        }
        let recent = (0..<8).reduce(into: [Quarter(containing: today)]) { list, _ in list.append(list.last!.previous) }
        let model = IndicatorModel(
            areas: areas.map { Option(value: String($0.id), label: $0.name, selected: $0.id == area?.id) },
            quarters: recent.map { Option(value: $0.description, label: $0.label, selected: $0 == quarter) },
            area: area?.name, quarter: quarter.label, lines: lines, overdue: overdue, attendance: attendance,
            csvHref: "/marac/kpis.csv?quarter=\(quarter)")
        return try await services.page("marac/kpis", context, title: "MARAC indicators", page: model)
    }

    /// The national dataset's indicators as label–value pairs, in the order SafeLives publishes them.
    static func indicatorLines(_ k: MARACIndicators) -> [(String, String)] {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "–" }
        return [
            ("Cases discussed", "\(k.cases) (\(k.casesHeardAtMeeting) at a meeting)"),
            ("Repeat cases", "\(k.repeats) (\(percent(k.repeatPercent)))"),
            ("Cases per 10,000 adult women (a year; SafeLives benchmark \(Int(MARACIndicators.casesPer10kBenchmark)))", k.casesPer10kAdultFemales.map { String(format: "%.1f", $0) } ?? "Population not set"),
            ("Referrals from partner (non-police) agencies", "\(k.nonPoliceReferrals) (\(percent(k.nonPoliceReferralPercent)))"),
            ("Victims who are Black, Asian or racially minoritised", "\(k.raciallyMinoritised) (\(percent(k.raciallyMinoritisedPercent)))"),
            ("Victims who are LGBT+", "\(k.lgbt) (\(percent(k.lgbtPercent)))"),
            ("Victims who are disabled", "\(k.disabled) (\(percent(k.disabledPercent)))"),
            ("Male victims", "\(k.male) (\(percent(k.malePercent)))"),
            ("Victims aged 16–17", "\(k.aged16To17) (\(percent(k.aged16To17Percent)))"),
            ("Perpetrators under 18", String(k.perpetratorsUnder18)),
            ("Children in the households", String(k.childrenInHouseholds)),
        ]
    }

    /// The quarterly return: one row per area MARAC with the dataset's counts (meeting level, not case level).
    func quarterlyReturn(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMARACIndicators, context)
        let quarter = try quarter(request)
        var csv = CSV.line(["area", "quarter", "meetings", "cases", "cases_at_meeting", "repeat_cases", "repeat_percent", "cases_per_10k_adult_females",
                         "non_police_referrals", "non_police_percent", "racially_minoritised", "lgbt", "disabled", "male", "aged_16_17",
                         "perpetrators_under_18", "children_in_households"])
        for area in try await services.marac.areas() {
            let k = MARACRules.indicators(try await services.marac.indicatorCases(areaId: area.id, quarter: quarter),
                                          adultFemalePopulation: area.adultFemalePopulation)
            let meetings = try await services.marac.meetings(areaId: area.id, from: quarter.first, to: min(quarter.last, today)).count
            csv += CSV.line([area.name, quarter.description, String(meetings), String(k.cases), String(k.casesHeardAtMeeting), String(k.repeats),
                             k.repeatPercent.map { String($0) } ?? "", k.casesPer10kAdultFemales.map { String($0) } ?? "",
                             String(k.nonPoliceReferrals), k.nonPoliceReferralPercent.map { String($0) } ?? "", String(k.raciallyMinoritised),
                             String(k.lgbt), String(k.disabled), String(k.male), String(k.aged16To17), String(k.perpetratorsUnder18),
                             String(k.childrenInHouseholds)])
        }
        try await services.audit.record(AuditRecord(context: context.audit, action: .export, recordType: "marac-return", note: quarter.description))
        return CSV.response(csv, classification: .official, filename: "marac-return-\(quarter).csv")
    }
}
