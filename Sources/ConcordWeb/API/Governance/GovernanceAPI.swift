import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Governance over JSON: bodies and members, meetings with their agendas, attendance and minutes, the action log
/// and the forward plan. The same rules, restricted-item decisions (`MeetingReading`) and audit as the pages.
struct GovernanceAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/bodies", bodies),
            (.get, "/meetings", meetings),
            (.post, "/meetings", schedule),
            (.get, "/meetings/{id}", meeting),
            (.post, "/meetings/{id}/publish", publish),
            (.post, "/meetings/{id}/items", addItem),
            (.patch, "/meetings/{id}/items/{itemId}", updateItem),
            (.post, "/meetings/{id}/minutes", addMinute),
            (.post, "/minutes/{id}/actions", addAction),
            (.get, "/actions", actions),
            (.post, "/actions/{id}/complete", completeAction),
            (.get, "/forward-plan", forwardPlan),
        ]
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    static let meetingFields: Set<String> = ["bodyId", "heldOn", "startsAt", "venue", "online", "contactName", "contactPhone", "contactEmail",
                                             "packFirstPage", "minutesStartAt"]
    static let itemFields: Set<String> = ["section", "code", "title", "kind", "presenter", "isStanding", "restrictedParagraph", "restrictionReason",
                                          "releaseOn", "pageCount", "forwardPlanEntryId"]

    struct BodyBody: Encodable {
        struct Member: Encodable {
            let personId: Int64
            let name: String
            let role: MembershipRole
            let from: CalendarDate?
            let to: CalendarDate?
        }

        let id: Int64
        let name: String
        let kind: BodyKind
        let parentId: Int64?
        let members: [Member]
    }

    func bodies(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let people = Dictionary(uniqueKeysWithValues: try await services.directory.people().map { ($0.id, $0.name) })
        var result: [BodyBody] = []
        for body in try await services.directory.bodies() {
            let members = try await services.directory.memberships(bodyId: body.id).map {
                BodyBody.Member(personId: $0.personId, name: people[$0.personId] ?? "", role: $0.role, from: $0.from, to: $0.to)
            }
            result.append(BodyBody(id: body.id, name: body.name, kind: body.kind, parentId: body.parentId, members: members))
        }
        return try APIRoutes.json(APIRoutes.ListBody(items: result, nextCursor: nil))
    }

    func meetings(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        var bodyId: Int64?
        if let text = request.uri.queryParameters["bodyId"] {
            guard let value = Int64(String(text)) else { throw AppError.invalid([FieldIssue("bodyId", "bodyId must be a whole number")]) }
            bodyId = value
        }
        return try APIRoutes.json(APIRoutes.ListBody(items: try await services.governance.meetings(bodyId: bodyId), nextCursor: nil))
    }

    func schedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: Self.meetingFields).fields
        let id = try await services.governance.saveMeeting(id: nil, expectedVersion: nil, try GovernanceForms.meeting(fields), audit: context.audit)
        return try await detail(id, context, status: .created)
    }

    struct DetailBody: Encodable {
        let meeting: Meeting
        let body: String
        /// The items this caller may read, with their pack page ranges.
        let items: [ItemBody]
        /// Restricted items this caller may not read: only how many there are.
        let restrictedItemsWithheld: Int
        let attendance: [AttendanceEntry]
        let chairChanges: [ChairChange]
        let minutes: [Minute]
        let actions: [GovernanceAction]
    }

    struct ItemBody: Encodable {
        let item: AgendaItem
        let code: String
        let firstPage: Int?
        let lastPage: Int?
    }

    func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(try APIRoutes.id(context), context)
    }

    private func detail(_ id: Int64, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        guard let meeting = try await services.governance.meeting(id: id) else { throw AppError.notFound }
        let reading = try await MeetingReading.load(services, meeting: meeting, principal: principal, email: context.user?.email)
        if reading.seesRestricted {
            try await services.audit.record(AuditRecord(context: context.audit, action: .view, recordType: "meeting", recordId: String(id),
                                                        note: "meeting with restricted items (API)"))
        }
        let minuteIds = Set(reading.minutes.map(\.id))
        let body = DetailBody(
            meeting: meeting, body: reading.bodyName,
            items: reading.items.filter { reading.readable.contains($0.id) }.map {
                ItemBody(item: $0, code: $0.code, firstPage: reading.pageRanges[$0.id]?.lowerBound, lastPage: reading.pageRanges[$0.id]?.upperBound)
            },
            restrictedItemsWithheld: reading.restrictedHidden.count,
            attendance: try await services.governance.attendance(meetingId: id), chairChanges: try await services.governance.chairChanges(meetingId: id),
            minutes: reading.minutes, actions: try await services.governance.actions(bodyId: meeting.bodyId).filter { minuteIds.contains($0.minuteId) })
        return try APIRoutes.json(body, status: status)
    }

    private func change(_ request: Request, _ context: AppRequestContext, allowed: Set<String>, textLists: Set<String> = [],
                        _ body: ([String: String], [String: [String]], Int64) async throws -> Void) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        let id = try APIRoutes.id(context)
        guard try await services.governance.meeting(id: id) != nil else { throw AppError.notFound }
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context, allowed: allowed, textLists: textLists)
        try await body(parsed.fields, parsed.texts, id)
        return try await detail(id, context)
    }

    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: ["version"]) { fields, _, id in
            guard let version = fields["version"].flatMap({ Int($0) }) else { throw ValidationError(field: "version", "version is required") }
            try await services.governance.publishAgenda(meetingId: id, expectedVersion: version, audit: context.audit)
        }
    }

    func addItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: Self.itemFields, textLists: ["audience"]) { fields, texts, id in
            var fields = fields
            fields["audience"] = texts["audience"]?.joined(separator: ",")
            try await services.governance.addItem(meetingId: id, try GovernanceForms.item(fields), audit: context.audit)
        }
    }

    func updateItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let itemId = context.parameters.get("itemId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, allowed: Self.itemFields.union(["version"]), textLists: ["audience"]) { fields, texts, id in
            guard let item = try await services.governance.item(id: itemId), item.meetingId == id else { throw AppError.notFound }
            guard let version = fields["version"].flatMap({ Int($0) }) else { throw ValidationError(field: "version", "version is required") }
            var fields = fields
            fields["audience"] = texts["audience"]?.joined(separator: ",")
            fields["section"] = item.section.rawValue
            try await services.governance.updateItem(id: itemId, expectedVersion: version, try GovernanceForms.item(fields), audit: context.audit)
        }
    }

    func addMinute(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: ["number", "title", "agendaItemId", "citedItemCode", "isPrivate", "resolution", "resolutionText"],
                         textLists: ["paragraphs"]) { fields, texts, id in
            var input = try GovernanceForms.minute(fields)
            input.paragraphs = texts["paragraphs"] ?? []
            try await services.governance.addMinute(meetingId: id, input, audit: context.audit)
        }
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        let minuteId = try APIRoutes.id(context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context,
                                                  allowed: ["ownerName", "ownerPersonId", "description", "dueMeetingId", "dueOn"]).fields
        let id = try await services.governance.addAction(minuteId: minuteId, try GovernanceForms.action(fields), audit: context.audit)
        guard let action = try await services.governance.actions().first(where: { $0.id == id }) else { throw AppError.notFound }
        return try APIRoutes.json(ActionBody(action, today: today), status: .created)
    }

    struct ActionBody: Encodable {
        let action: GovernanceAction
        let overdue: Bool

        init(_ action: GovernanceAction, today: CalendarDate) {
            self.action = action
            overdue = GovernanceRules.isOverdue(action, today: today)
        }
    }

    /// The action log: open actions (or all with `status=all`), each flagged when overdue.
    func actions(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let q = request.uri.queryParameters
        var bodyId: Int64?
        if let text = q["bodyId"] {
            guard let value = Int64(String(text)) else { throw AppError.invalid([FieldIssue("bodyId", "bodyId must be a whole number")]) }
            bodyId = value
        }
        let all = q["status"].map(String.init) == "all"
        let actions = try await services.governance.actions(bodyId: bodyId).filter { all || $0.isOpen }
        return try APIRoutes.json(APIRoutes.ListBody(items: actions.map { ActionBody($0, today: today) }, nextCursor: nil))
    }

    func completeAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        let id = try APIRoutes.id(context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["version", "completedOn", "note"]).fields
        var v = Validator()
        let on = v.date(fields["completedOn"], field: "completedOn", label: "the date it was done", required: true)
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required") }
        try v.check()
        try await services.governance.completeAction(id: id, expectedVersion: version!, on: on!, note: fields["note"], audit: context.audit)
        guard let action = try await services.governance.actions().first(where: { $0.id == id }) else { throw AppError.notFound }
        return try APIRoutes.json(ActionBody(action, today: today))
    }

    struct PlanBody: Encodable {
        let entry: ForwardPlanEntry
        let status: String
        let agendaCode: String?
        let flagged: Bool
    }

    func forwardPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let meetings = try await services.governance.meetings()
        var rows: [PlanBody] = []
        for body in try await services.directory.bodies() {
            let planned = try await services.governance.plannedItems(bodyId: body.id)
            for entry in try await services.governance.forwardPlan(bodyId: body.id) {
                let status = GovernanceRules.status(of: entry, forMeeting: meetings.first { $0.id == entry.forMeetingId }, agendaItems: planned,
                                                    today: today)
                var code: String?
                if case .onAgenda(let onAgenda) = status { code = onAgenda }
                rows.append(PlanBody(entry: entry, status: status.label, agendaCode: code, flagged: status.isFlagged))
            }
        }
        return try APIRoutes.json(APIRoutes.ListBody(items: rows, nextCursor: nil))
    }
}
