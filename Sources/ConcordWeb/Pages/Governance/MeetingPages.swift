import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The partnership's meetings for members, officers and the democratic services clerk: scheduling, the agenda with
/// its papers and restricted items, publication, attendance, chair changes, declarations, minutes with their
/// resolutions and actions, the action log and the forward plan. Reading needs `readMeetings`; changing needs
/// `manageMeetings`; restricted items are decided by `MeetingReading`.
struct MeetingPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/meetings", use: index)
        router.post("/meetings", use: schedule)
        router.get("/meetings/{id}", use: show)
        router.post("/meetings/{id}", use: update)
        router.post("/meetings/{id}/publish", use: publish)
        router.post("/meetings/{id}/cancel", use: cancel)
        router.get("/meetings/{id}/pack", use: pack)
        router.post("/meetings/{id}/items", use: addItem)
        router.post("/meetings/{id}/items/{itemId}", use: updateItem)
        router.post("/meetings/{id}/items/{itemId}/remove", use: removeItem)
        router.post("/meetings/{id}/items/{itemId}/withdraw", use: withdrawItem)
        router.post("/meetings/{id}/items/{itemId}/papers", use: uploadPaper)
        router.get("/meetings/{id}/papers/{paperId}", use: downloadPaper)
        router.post("/meetings/{id}/papers/{paperId}/remove", use: removePaper)
        router.post("/meetings/{id}/attendance", use: recordAttendance)
        router.post("/meetings/{id}/chair", use: recordChairChange)
        router.post("/meetings/{id}/declarations", use: declare)
        router.post("/meetings/{id}/minutes", use: addMinute)
        router.post("/meetings/{id}/minutes/publish", use: publishMinutes)
        router.post("/meetings/{id}/minutes/agree", use: agreeMinutes)
        router.post("/meetings/{id}/minutes/{minuteId}/actions", use: addAction)
        router.get("/action-log", use: actionLog)
        router.post("/action-log/{actionId}/complete", use: completeAction)
        router.post("/forward-plan", use: addForwardPlanEntry)
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    private func reading(_ meetingId: Int64, _ context: AppRequestContext) async throws -> MeetingReading {
        let principal = try await services.require(.readMeetings, context)
        guard let meeting = try await services.governance.meeting(id: meetingId) else { throw AppError.notFound }
        return try await MeetingReading.load(services, meeting: meeting, principal: principal, email: context.user?.email)
    }

    /// Reading restricted items or private minutes is recorded in the audit log, as reading a case is.
    private func auditRestrictedRead(_ reading: MeetingReading, _ context: AppRequestContext, what: String) async throws {
        guard reading.seesRestricted else { return }
        try await services.audit.record(AuditRecord(context: context.audit, action: .view, recordType: "meeting",
                                                    recordId: String(reading.meeting.id), note: what))
    }

    // MARK: Index and scheduling

    struct IndexModel {
        struct Row {
            let id: Int64
            let body: String
            let when: String
            let location: String
            let agenda: String
            let minutes: String
            let cancelled: Bool
        }

        let upcoming: [Row]
        let past: [Row]
        let mayManage: Bool
        let bodies: [Option]
        let form: [String: String]
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context)
    }

    private func indexPage(_ context: AppRequestContext, form: Form? = nil, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let bodies = try await services.directory.bodies()
        let names = Dictionary(uniqueKeysWithValues: bodies.map { ($0.id, $0.name) })
        let rows = try await services.governance.meetings().map { meeting in
            (meeting.heldOn, IndexModel.Row(id: meeting.id, body: names[meeting.bodyId] ?? "", when: "\(meeting.heldOn.long), \(meeting.startsAt)",
                                            location: meeting.location,
                                            agenda: meeting.agendaPublishedAt.map { "Published \(CalendarDate($0).long)" } ?? "In preparation",
                                            minutes: meeting.minutesStatus.label, cancelled: meeting.isCancelled))
        }
        let values = form?.redisplay ?? [:]
        return try await services.page("meetings/index", context, title: "Meetings", page: IndexModel(
            upcoming: rows.filter { $0.0 >= today }.map(\.1), past: rows.filter { $0.0 < today }.reversed().map(\.1),
            mayManage: AccessPolicy.may(principal, .manageMeetings),
            bodies: bodies.map { Option(value: String($0.id), label: $0.name, selected: values["bodyId"] == String($0.id)) },
            form: values), errors: errors)
    }

    func schedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        var created: Int64 = 0
        let response = try await Form.post(request, context, success: "/meetings", staleField: "heldOn") { form in
            created = try await services.governance.saveMeeting(id: nil, expectedVersion: nil, try GovernanceForms.meeting(form.fields),
                                                                audit: context.audit)
        } refused: { form, issues in
            try await indexPage(context, form: form, errors: issues)
        }
        return response.status == .seeOther ? .seeOther("/meetings/\(created)") : response
    }

    // MARK: One meeting

    struct ShowModel {
        struct AttendanceRow {
            let name: String
            let kind: String
            let note: String?
        }

        struct ChairRow {
            let name: String
            let minute: String?
            let note: String?
        }

        struct DeclarationRow {
            let item: String
            let name: String
            let interest: String
        }

        struct ActionRow {
            let id: Int64
            let minute: Int
            let owner: String
            let description: String
            let due: String?
            let done: String?
            let overdue: Bool
            let version: Int
        }

        let meeting: Meeting
        let agenda: PublicMeetingPages.AgendaModel
        let privateMinutes: [MeetingReading.MinuteView]
        let mayManage: Bool
        let published: Bool
        let minutesDraft: Bool
        let minutesPublished: Bool
        let minutesAgreed: String?
        let attendance: [AttendanceRow]
        let chairChanges: [ChairRow]
        let declarations: [DeclarationRow]
        let carriedForward: [ActionRow]
        let raisedHere: [ActionRow]
        let forwardPlanDue: [String]
        let sections: [Option]
        let kinds: [Option]
        let paragraphs: [Option]
        let resolutions: [Option]
        let attendanceKinds: [Option]
        let people: [Option]
        let items: [Option]
        let minuteOptions: [Option]
        let laterMeetings: [Option]
        let forwardPlan: [Option]
        let bodyOptions: [Option]
        let online: Bool
        let form: [String: String]
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await meetingPage(try APIRoutes.id(context), context, notice: request.uri.queryParameters["saved"] != nil ? "Saved." : nil)
    }

    private func meetingPage(_ id: Int64, _ context: AppRequestContext, form: Form? = nil, errors: [FieldIssue] = [],
                             notice: String? = nil) async throws -> Response {
        let reading = try await reading(id, context)
        try await auditRestrictedRead(reading, context, what: "meeting page with restricted items")
        let meeting = reading.meeting
        let store = services.governance
        let meetings = try await store.meetings(bodyId: meeting.bodyId)
        let actions = try await store.actions(bodyId: meeting.bodyId)
        let minuteNumbers = Dictionary(uniqueKeysWithValues: reading.minutes.map { ($0.id, $0.number) })
        func row(_ action: GovernanceAction) -> ShowModel.ActionRow {
            ShowModel.ActionRow(id: action.id, minute: action.minuteNumber, owner: action.ownerName, description: action.description,
                                due: action.dueOn?.long, done: action.completedOn?.long,
                                overdue: GovernanceRules.isOverdue(action, today: today), version: action.version)
        }
        let plan = try await store.forwardPlan(bodyId: meeting.bodyId)
        let people = try await services.directory.people()
        let values = form?.redisplay ?? [:]
        let items = reading.items.filter { reading.readable.contains($0.id) }
        let model = ShowModel(
            meeting: meeting,
            agenda: PublicMeetingPages.agendaModel(reading) { "/meetings/\(id)/papers/\($0)" },
            privateMinutes: reading.minuteViews().closed,
            mayManage: reading.mayManage, published: meeting.isPublished, minutesDraft: meeting.minutesStatus == .draft,
            minutesPublished: meeting.minutesStatus == .published,
            minutesAgreed: meeting.minutesStatus == .agreed ? [meeting.minutesSignedBy.map { "Signed by \($0)" },
                                                               meetings.first { $0.id == meeting.minutesAgreedAtMeetingId }.map { "at the meeting of \($0.heldOn.long)" }]
                .compactMap { $0 }.joined(separator: " ") : nil,
            attendance: try await store.attendance(meetingId: id).sorted { ($0.kind.label, $0.personName) < ($1.kind.label, $1.personName) }.map {
                ShowModel.AttendanceRow(name: $0.personName, kind: $0.kind.label,
                                        note: [$0.capacity, $0.substituteForName.map { "substitute for \($0)" }].compactMap { $0 }.joined(separator: ", "))
            },
            chairChanges: try await store.chairChanges(meetingId: id).map {
                ShowModel.ChairRow(name: $0.personName, minute: $0.atMinuteNumber.map { "From minute \($0)" }, note: $0.note)
            },
            declarations: try await store.declarations(meetingId: id).compactMap { declaration in
                reading.items.first { $0.id == declaration.agendaItemId && reading.readable.contains($0.id) }.map {
                    ShowModel.DeclarationRow(item: $0.code, name: declaration.personName, interest: declaration.interest)
                }
            },
            carriedForward: GovernanceRules.carriedForward(actions, to: meeting.heldOn).map(row),
            raisedHere: actions.filter { minuteNumbers[$0.minuteId] != nil }.map(row),
            forwardPlanDue: plan.filter { $0.forMeetingId == id }.map { entry in
                let status = GovernanceRules.status(of: entry, forMeeting: meeting, agendaItems: reading.items, today: today)
                return "\(entry.title): \(status.label)"
            },
            sections: AgendaSection.allCases.map { Option(value: $0.rawValue, label: "\($0.rawValue) \($0.label)", selected: values["section"] == $0.rawValue) },
            kinds: AgendaItemKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue) },
            paragraphs: ExemptionParagraph.allCases.map {
                Option(value: String($0.rawValue), label: "\($0.rawValue): \($0.label)", selected: values["restrictedParagraph"] == String($0.rawValue))
            },
            resolutions: ResolutionKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["resolution"] == $0.rawValue) },
            attendanceKinds: AttendanceKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue) },
            people: people.sorted { $0.name < $1.name }.map { Option(value: String($0.id), label: $0.name, selected: false) },
            items: items.map { Option(value: String($0.id), label: "\($0.code) \($0.title)", selected: values["agendaItemId"] == String($0.id)) },
            minuteOptions: reading.minutes.map { Option(value: String($0.id), label: "\($0.number). \($0.title)", selected: false) },
            laterMeetings: meetings.filter { $0.heldOn > meeting.heldOn }.map { Option(value: String($0.id), label: $0.heldOn.long, selected: false) },
            forwardPlan: plan.map { Option(value: String($0.id), label: $0.title, selected: values["forwardPlanEntryId"] == String($0.id)) },
            bodyOptions: try await services.directory.bodies().map { Option(value: String($0.id), label: $0.name, selected: $0.id == meeting.bodyId) },
            online: meeting.venue == nil, form: values)
        return try await services.page("meetings/show", context, title: "\(reading.bodyName), \(meeting.heldOn.long)", page: model,
                                       errors: errors, notice: notice,
                                       classification: reading.seesRestricted ? .officialSensitive : .official)
    }

    /// A change to one meeting by someone who manages meetings: on success back to the meeting, otherwise the
    /// page again with the problems by field.
    private func change(_ request: Request, _ context: AppRequestContext, staleField: String = "version",
                        _ body: @escaping (Form, Meeting) async throws -> Void) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        let id = try APIRoutes.id(context)
        guard let meeting = try await services.governance.meeting(id: id) else { throw AppError.notFound }
        return try await Form.post(request, context, success: "/meetings/\(id)?saved=1", staleField: staleField) { form in
            try await body(form, meeting)
        } refused: { form, issues in
            try await meetingPage(id, context, form: form, errors: issues)
        }
    }

    private func itemId(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("itemId", as: Int64.self) else { throw AppError.notFound }
        return id
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, meeting in
            try await services.governance.saveMeeting(id: meeting.id, expectedVersion: try form.version(), try GovernanceForms.meeting(form.fields),
                                                      audit: context.audit)
        }
    }

    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, meeting in
            try await services.governance.publishAgenda(meetingId: meeting.id, expectedVersion: try form.version(), audit: context.audit)
        }
    }

    func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, meeting in
            try await services.governance.setCancelled(meetingId: meeting.id, expectedVersion: try form.version(), !meeting.isCancelled,
                                                       audit: context.audit)
        }
    }

    func pack(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reading = try await reading(try APIRoutes.id(context), context)
        try await auditRestrictedRead(reading, context, what: "full agenda pack")
        let id = reading.meeting.id
        let html = PackPage.html(services, reading: reading, isFull: true) { "/meetings/\(id)/papers/\($0)" }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    // MARK: Agenda items and papers

    func addItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "title") { form, meeting in
            try await services.governance.addItem(meetingId: meeting.id, try GovernanceForms.item(form.fields), audit: context.audit)
        }
    }

    func updateItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let itemId = try itemId(context)
        return try await change(request, context, staleField: "title") { form, _ in
            try await services.governance.updateItem(id: itemId, expectedVersion: try form.version(), try GovernanceForms.item(form.fields),
                                                     audit: context.audit)
        }
    }

    func removeItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let itemId = try itemId(context)
        return try await change(request, context, staleField: "itemId") { _, _ in
            try await services.governance.removeItem(id: itemId, audit: context.audit)
        }
    }

    func withdrawItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let itemId = try itemId(context)
        return try await change(request, context, staleField: "itemId") { form, _ in
            try await services.governance.withdrawItem(id: itemId, expectedVersion: try form.version(), audit: context.audit)
        }
    }

    /// Accepts a PDF, Word, Excel, PNG or JPEG paper within the partnership's size limit, runs the scan hook, and
    /// stores it with its checksum. A file the scanner refuses is not stored.
    func uploadPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let itemId = try itemId(context)
        return try await change(request, context, staleField: "paper") { form, meeting in
            guard let item = try await services.governance.item(id: itemId), item.meetingId == meeting.id else { throw AppError.notFound }
            guard let file = form.files["paper"] else { throw ValidationError(field: "paper", "Choose a file to upload") }
            let limit = try await services.settings.values().int(PartnershipSettings.paperMaxMegabytes)
            let accepted = try PaperRules.accept(fileName: file.fileName, bytes: file.bytes, maxMegabytes: limit)
            var v = Validator()
            let pages = GovernanceForms.pageCount(form.fields, into: &v)
            try v.check()
            let scan = try await services.paperScanner.scan(file.bytes)
            guard scan != .refused else {
                throw ValidationError(field: "paper", "The virus scanner refused “\(file.fileName)”: it was not stored")
            }
            try await services.governance.addPaper(itemId: itemId, fileName: file.fileName, bytes: file.bytes, accepted: accepted, pageCount: pages,
                                                   scanStatus: scan, uploadedBy: context.user?.id, audit: context.audit)
        }
    }

    func downloadPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reading = try await reading(try APIRoutes.id(context), context)
        guard let paperId = context.parameters.get("paperId", as: Int64.self), let stored = try await services.governance.paper(id: paperId),
              reading.readable.contains(stored.paper.agendaItemId), reading.items.contains(where: { $0.id == stored.paper.agendaItemId }),
              stored.paper.scanStatus != .refused else { throw AppError.notFound }
        if let item = reading.items.first(where: { $0.id == stored.paper.agendaItemId }), item.isRestricted(on: today) {
            try await services.audit.record(AuditRecord(context: context.audit, action: .view, recordType: "paper", recordId: String(paperId),
                                                        note: "restricted item \(item.code)"))
        }
        return PaperDownload.response(stored.paper, bytes: stored.bytes)
    }

    func removePaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let paperId = context.parameters.get("paperId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, staleField: "paper") { _, _ in
            try await services.governance.removePaper(id: paperId, audit: context.audit)
        }
    }

    // MARK: At the meeting

    func recordAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "personId") { form, meeting in
            guard let personId = form.int64("personId") else { throw ValidationError(field: "personId", "Choose who attended") }
            guard let kind = AttendanceKind(rawValue: form["kind"] ?? "") else { throw ValidationError(field: "kind", "Choose how they attended") }
            try await services.governance.recordAttendance(meetingId: meeting.id, personId: personId, kind: kind,
                                                           substituteForPersonId: form.int64("substituteForPersonId"),
                                                           capacity: form["capacity"].flatMap { $0.isEmpty ? nil : $0 }, audit: context.audit)
        }
    }

    func recordChairChange(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "chairPersonId") { form, meeting in
            guard let personId = form.int64("chairPersonId") else { throw ValidationError(field: "chairPersonId", "Choose who took the chair") }
            try await services.governance.recordChairChange(meetingId: meeting.id, personId: personId,
                                                            atMinuteNumber: form["atMinuteNumber"].flatMap { Int($0) },
                                                            note: form["note"].flatMap { $0.isEmpty ? nil : $0 }, audit: context.audit)
        }
    }

    func declare(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "interest") { form, meeting in
            guard let itemId = form.int64("declarationItemId"), let item = try await services.governance.item(id: itemId), item.meetingId == meeting.id else {
                throw ValidationError(field: "declarationItemId", "Choose the agenda item")
            }
            guard let personId = form.int64("declarantId") else { throw ValidationError(field: "declarantId", "Choose who declared the interest") }
            try await services.governance.declareInterest(itemId: itemId, personId: personId, interest: form["interest"] ?? "", audit: context.audit)
        }
    }

    // MARK: Minutes and actions

    func addMinute(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "number") { form, meeting in
            try await services.governance.addMinute(meetingId: meeting.id, try GovernanceForms.minute(form.fields), audit: context.audit)
        }
    }

    func publishMinutes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "minutes") { form, meeting in
            try await services.governance.publishMinutes(meetingId: meeting.id, expectedVersion: try form.version(), audit: context.audit)
        }
    }

    func agreeMinutes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "atMeetingId") { form, meeting in
            guard let at = form.int64("atMeetingId") else { throw ValidationError(field: "atMeetingId", "Choose the meeting that agreed the minutes") }
            try await services.governance.agreeMinutes(meetingId: meeting.id, expectedVersion: try form.version(), atMeetingId: at,
                                                       signedBy: form["signedBy"] ?? "", audit: context.audit)
        }
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let minuteId = context.parameters.get("minuteId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, staleField: "ownerName") { form, meeting in
            guard try await services.governance.minutes(meetingId: meeting.id).contains(where: { $0.id == minuteId }) else { throw AppError.notFound }
            try await services.governance.addAction(minuteId: minuteId, try GovernanceForms.action(form.fields), audit: context.audit)
        }
    }

    // MARK: Action log and forward plan

    struct ActionLogModel {
        struct Row {
            let id: Int64
            let body: String
            let minute: Int
            let raised: String
            let owner: String
            let description: String
            let due: String?
            let overdue: Bool
            let version: Int
        }

        struct PlanRow {
            let body: String
            let title: String
            let source: String?
            let forMeeting: String?
            let status: String
            let flagged: Bool
        }

        let open: [Row]
        let overdueCount: Int?
        let plan: [PlanRow]
        let mayManage: Bool
        let bodies: [Option]
        let meetings: [Option]
        let today: String
    }

    func actionLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await actionLogPage(context)
    }

    private func actionLogPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let bodies = try await services.directory.bodies()
        let names = Dictionary(uniqueKeysWithValues: bodies.map { ($0.id, $0.name) })
        let meetings = try await services.governance.meetings()
        let open = try await services.governance.actions().filter(\.isOpen).map { action in
            ActionLogModel.Row(id: action.id, body: names[action.bodyId] ?? "", minute: action.minuteNumber, raised: action.raisedOn.long,
                               owner: action.ownerName, description: action.description, due: action.dueOn?.long,
                               overdue: GovernanceRules.isOverdue(action, today: today), version: action.version)
        }
        var planRows: [ActionLogModel.PlanRow] = []
        for body in bodies {
            let planned = try await services.governance.plannedItems(bodyId: body.id)
            for entry in try await services.governance.forwardPlan(bodyId: body.id) {
                let meeting = meetings.first { $0.id == entry.forMeetingId }
                let status = GovernanceRules.status(of: entry, forMeeting: meeting, agendaItems: planned, today: today)
                planRows.append(.init(body: body.name, title: entry.title, source: entry.sourceMinuteNumber.map { "Minute \($0)" },
                                      forMeeting: meeting?.heldOn.long ?? entry.dueBy.map { "By \($0.long)" }, status: status.label,
                                      flagged: status.isFlagged))
            }
        }
        let overdue = open.filter(\.overdue).count
        return try await services.page("meetings/action-log", context, title: "Action log and forward plan", page: ActionLogModel(
            open: open, overdueCount: overdue > 0 ? overdue : nil, plan: planRows, mayManage: AccessPolicy.may(principal, .manageMeetings),
            bodies: bodies.map { Option(value: String($0.id), label: $0.name, selected: false) },
            meetings: meetings.filter { $0.heldOn >= today }.map { Option(value: String($0.id), label: "\(names[$0.bodyId] ?? ""), \($0.heldOn.long)", selected: false) },
            today: today.iso), errors: errors)
    }

    func completeAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        return try await Form.post(request, context, success: "/action-log", staleField: "completedOn") { form in
            var v = Validator()
            let on = v.date(form["completedOn"], field: "completedOn", label: "the date it was done", required: true)
            try v.check()
            try await services.governance.completeAction(id: actionId, expectedVersion: try form.version(), on: on!,
                                                         note: form["note"].flatMap { $0.isEmpty ? nil : $0 }, audit: context.audit)
        } refused: { _, issues in
            try await actionLogPage(context, errors: issues)
        }
    }

    func addForwardPlanEntry(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        return try await Form.post(request, context, success: "/action-log", staleField: "title") { form in
            var v = Validator()
            let dueBy = v.date(form["dueBy"], field: "dueBy", label: "the date it is due by")
            guard let bodyId = form.int64("bodyId") else { throw ValidationError(field: "bodyId", "Choose the body") }
            try v.check()
            try await services.governance.addForwardPlanEntry(bodyId: bodyId, title: form["title"] ?? "", sourceMinuteId: form.int64("sourceMinuteId"),
                                                              forMeetingId: form.int64("forMeetingId"), dueBy: dueBy, audit: context.audit)
        } refused: { _, issues in
            try await actionLogPage(context, errors: issues)
        }
    }
}
