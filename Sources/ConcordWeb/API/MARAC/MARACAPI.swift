import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// MARAC over JSON: referrals, cases, research, actions, meetings and indicators. The same rules, visibility and
/// audit as the pages (`MARACRules`, `MARACStore`).
struct MARACAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/marac/cases", list),
            (.post, "/marac/referrals", refer),
            (.get, "/marac/cases/{id}", show),
            (.post, "/marac/cases/{id}/research", addResearch),
            (.post, "/marac/cases/{id}/actions", requestAction),
            (.patch, "/marac/cases/{id}/actions/{actionId}", updateAction),
            (.post, "/marac/cases/{id}/meeting-request", requestMeeting),
            (.get, "/marac/actions/overdue", overdue),
            (.get, "/marac/meetings", meetings),
            (.get, "/marac/meetings/{id}", meeting),
            (.put, "/marac/meetings/{id}/attendance", recordAttendance),
            (.get, "/marac/kpis", indicators),
        ]
    }

    static let referralFields = ["areaId", "referredOn", "referringOfficer", "professionalJudgement", "incidentsInLast12Months", "isComplex"]
        + ["name", "dateOfBirth", "age", "address", "postcode", "phone", "email", "safeContactNotes", "sex", "ethnicGroup", "disability", "lgbt"]
        .map { "victim." + $0 }

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    struct SummaryBody: Encodable {
        let id: Int64
        let reference: String
        let victimName: String
        let areaId: Int64
        let referredOn: CalendarDate
        let maracDate: CalendarDate?
        let heardAtMeetingId: Int64?
        let routes: [ReferralRoute]
        let score: Int
        let isComplex: Bool
        let meetingRequested: Bool
        let openActions: Int
        let overdueActions: Int

        init(_ s: MARACStore.Summary) {
            id = s.caseId
            reference = s.reference
            victimName = s.victimName
            areaId = s.areaId
            referredOn = s.referredOn
            maracDate = s.maracDate
            heardAtMeetingId = s.meetingId
            routes = s.routes
            score = s.score
            isComplex = s.isComplex
            meetingRequested = s.meetingRequested
            openActions = s.openActions
            overdueActions = s.overdueActions
        }
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        let (limit, cursor) = try APIRoutes.paging(request)
        var areaId: Int64?
        if let text = request.uri.queryParameters["areaId"] {
            guard let value = Int64(String(text)) else { throw AppError.invalid([FieldIssue("areaId", "areaId must be a whole number")]) }
            areaId = value
        }
        let page = try await services.marac.list(filter: filter, areaId: areaId, today: today, cursor: cursor, limit: limit, audit: context.audit)
        return try APIRoutes.json(APIRoutes.ListBody(items: page.items.map(SummaryBody.init), nextCursor: page.nextCursor))
    }

    struct DetailBody: Encodable {
        struct Request: Encodable {
            let on: CalendarDate
            let byUserId: Int64?
            let reason: String
        }

        struct ActionBody: Encodable {
            let id: Int64
            let agencyId: Int64
            let assigneeUserId: Int64?
            let description: String
            let requestedOn: CalendarDate
            let dueOn: CalendarDate
            let status: MARACActionStatus
            let reason: NotCompletedReason?
            let note: String?
            let overdue: Bool
            let escalationLevel: Int
            let version: Int
        }

        struct ResearchBody: Encodable {
            let agencyId: Int64
            let authorUserId: Int64?
            let body: String
            let addedAt: Date
        }

        struct MinuteBody: Encodable {
            let meetingId: Int64
            let heldOn: CalendarDate
            let decisions: String
        }

        let record: CaseRecord
        let areaId: Int64
        let victimName: String
        let victimDateOfBirth: CalendarDate?
        /// Absent for those who may not see the victim's contact details.
        let contact: VictimContact?
        let diversity: VictimDiversity
        let referringAgencyId: Int64
        let referringOfficer: String
        let referredOn: CalendarDate
        let checklist: [ChecklistAnswer]
        let score: Int
        let routes: [ReferralRoute]
        let professionalJudgement: String?
        let incidentsInLast12Months: Int
        let isComplex: Bool
        let maracDate: CalendarDate?
        let heardAtMeetingId: Int64?
        let meetingRequest: Request?
        let perpetrators: [NamedPerson]
        let children: [NamedPerson]
        let research: [ResearchBody]
        let actions: [ActionBody]
        let minutes: [MinuteBody]
        let otherReferralIds: [Int64]

        init(_ d: MARACStore.Detail, today: CalendarDate) {
            record = d.record
            areaId = d.areaId
            victimName = d.victimName
            victimDateOfBirth = d.victimDateOfBirth
            contact = d.contact
            diversity = d.diversity
            referringAgencyId = d.referringAgencyId
            referringOfficer = d.referringOfficer
            referredOn = d.referredOn
            checklist = d.checklist.answers
            score = d.checklist.score
            routes = d.routes
            professionalJudgement = d.professionalJudgement
            incidentsInLast12Months = d.incidentsInLast12Months
            isComplex = d.isComplex
            maracDate = d.maracDate
            heardAtMeetingId = d.meetingId
            meetingRequest = d.meetingRequest.map { Request(on: $0.on, byUserId: $0.byUserId, reason: $0.reason) }
            perpetrators = d.perpetrators
            children = d.children
            research = d.research.map { ResearchBody(agencyId: $0.agencyId, authorUserId: $0.authorUserId, body: $0.body, addedAt: $0.addedAt) }
            actions = d.actions.map {
                ActionBody(id: $0.id, agencyId: $0.agencyId, assigneeUserId: $0.assigneeUserId, description: $0.description,
                           requestedOn: $0.requestedOn, dueOn: $0.dueOn, status: $0.status, reason: $0.reason, note: $0.note,
                           overdue: $0.isOverdue(today: today), escalationLevel: $0.escalationLevel, version: $0.version)
            }
            minutes = d.minutes.map { MinuteBody(meetingId: $0.meetingId, heldOn: $0.heldOn, decisions: $0.decisions) }
            otherReferralIds = d.otherReferrals.map(\.caseId)
        }
    }

    private func detail(_ id: Int64, principal: Principal, filter: VisibilityFilter, context: AppRequestContext,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let found = try await services.marac.detail(caseId: id, filter: filter, showContact: try await services.maySeeVictimContact(principal),
                                                          audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(DetailBody(found, today: today), status: status)
    }

    /// A referral: the checklist is a list of 24 answers (`yes`, `no`, `not-known`); `perpetrators` and `children`
    /// are lists of `{name, age}`; the victim's fields sit under `victim`.
    func refer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        try await services.requireCreate(principal, CaseAccessFacts(caseType: .marac, owningAgencyId: principal.agencyId,
                                                                    classification: .officialSensitivePersonal), filter: filter, context)
        var request = request
        let people = (1...10).flatMap { ["perpetrator\($0).name", "perpetrator\($0).age", "child\($0).name", "child\($0).age"] }
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: Set(Self.referralFields + people),
                                                textLists: ["checklist"], objectLists: ["perpetrators": "perpetrator", "children": "child"])
        let input = try MARACRules.referral(body.fields, checklist: body.texts["checklist"], referringAgencyId: principal.agencyId, today: today)
        let id = try await services.referMARAC(input, principal: principal, audit: context.audit)
        return try await detail(id, principal: principal, filter: filter, context: context, status: .created)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        return try await detail(try APIRoutes.id(context), principal: principal, filter: filter, context: context)
    }

    /// Runs a change to a case, then answers with the case as it now is.
    private func change(_ request: Request, _ context: AppRequestContext, allowed: Set<String>,
                        _ body: ([String: String], Int64, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: allowed).fields
        try await body(fields, id, principal, filter)
        return try await detail(id, principal: principal, filter: filter, context: context)
    }

    func addResearch(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: ["body"]) { fields, id, principal, filter in
            try await services.marac.addResearch(caseId: id, body: fields["body"] ?? "", principal: principal, filter: filter, audit: context.audit)
        }
    }

    func requestAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: ["agencyId", "description", "requestedOn", "dueOn"]) { fields, id, principal, filter in
            try await services.marac.requestAction(caseId: id, try MARACRules.actionRequest(fields, today: today), principal: principal,
                                                   filter: filter, audit: context.audit)
        }
    }

    func updateAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, allowed: ["status", "reason", "note", "version"]) { fields, _, principal, filter in
            try await services.marac.updateAction(actionId: actionId, try MARACRules.actionUpdate(fields), principal: principal, filter: filter,
                                                  today: today, audit: context.audit)
        }
    }

    func requestMeeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, allowed: ["reason"]) { fields, id, principal, filter in
            try await services.marac.requestMeeting(caseId: id, reason: fields["reason"], principal: principal, filter: filter, today: today,
                                                    audit: context.audit)
        }
    }

    /// `scope=hub` for every visible overdue action; otherwise the caller's agency's own.
    func overdue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let hub = request.uri.queryParameters["scope"] == "hub"
        let actions = try await services.marac.overdueActions(filter: filter, agencyId: hub ? nil : principal.agencyId, today: today)
        try await services.audit.record(AuditRecord(context: context.audit, action: .view, recordType: "case-list",
                                                    note: "\(actions.count) overdue MARAC action(s) listed"))
        return try APIRoutes.json(APIRoutes.ListBody(items: actions, nextCursor: nil))
    }

    /// An area's meetings between `from` and `to` (default: the next three months).
    func meetings(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await principalAndFilter(context)
        let q = request.uri.queryParameters
        var v = Validator()
        let areaId = q["areaId"].flatMap { Int64(String($0)) }
        if areaId == nil { v.add("areaId", "areaId is required: the area MARAC's id") }
        let from = v.date(q["from"].map(String.init), field: "from", label: "from") ?? today
        let to = v.date(q["to"].map(String.init), field: "to", label: "to") ?? today.adding(months: 3)
        if to < from { v.add("to", "to must be on or after from") }
        if from.days(to: to) > 731 { v.add("to", "Ask for at most two years of meetings at a time") }
        try v.check()
        let meetings = try await services.marac.meetings(areaId: areaId!, from: from, to: to)
        return try APIRoutes.json(APIRoutes.ListBody(items: meetings, nextCursor: nil))
    }

    struct AgendaBody: Encodable {
        let meeting: MARACStore.Meeting
        let heard: [SummaryBody]
        let managedWithoutMeeting: [SummaryBody]
        let attendance: [AttendanceBody]
    }

    struct AttendanceBody: Codable {
        let agencyId: Int64
        let attended: Bool
        let representative: String?
        let confidentialityAcknowledged: Bool
        let informationSent: Bool
    }

    func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        guard let meeting = try await services.marac.meeting(id: try APIRoutes.id(context)) else { throw AppError.notFound }
        let agenda = try await services.marac.agenda(meeting: meeting, filter: filter, today: today, audit: context.audit)
        let attendance = try await services.marac.attendance(meetingId: meeting.id).map {
            AttendanceBody(agencyId: $0.agencyId, attended: $0.attended, representative: $0.representative,
                           confidentialityAcknowledged: $0.confidentialityAcknowledged, informationSent: $0.informationSent)
        }
        return try APIRoutes.json(AgendaBody(meeting: meeting, heard: agenda.heard.map(SummaryBody.init),
                                             managedWithoutMeeting: agenda.withoutMeeting.map(SummaryBody.init), attendance: attendance))
    }

    struct AttendanceRequest: Decodable {
        let attendance: [AttendanceBody]
    }

    /// Replaces the meeting's attendance; the Hub's roles only.
    func recordAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerMARAC, context)
        guard let meeting = try await services.marac.meeting(id: try APIRoutes.id(context)) else { throw AppError.notFound }
        var request = request
        let body = try await JSONBody.decode(AttendanceRequest.self, from: &request, context: context, allowed: ["attendance"])
        try await services.marac.recordAttendance(meetingId: meeting.id, body.attendance.map {
            MARACStore.Attendance(agencyId: $0.agencyId, attended: $0.attended, representative: $0.representative,
                                  confidentialityAcknowledged: $0.confidentialityAcknowledged, informationSent: $0.informationSent)
        }, audit: context.audit)
        return try APIRoutes.json(body.attendance)
    }

    struct IndicatorsBody: Encodable {
        let areaId: Int64
        let quarter: String
        let indicators: MARACIndicators
        let overdueActionsByAgency: [String: Int]
    }

    func indicators(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMARACIndicators, context)
        let q = request.uri.queryParameters
        var v = Validator()
        let areaId = q["areaId"].flatMap { Int64(String($0)) }
        if areaId == nil { v.add("areaId", "areaId is required: the area MARAC's id") }
        let quarter = q["quarter"].map { Quarter(String($0)) } ?? Quarter(containing: today).previous
        if quarter == nil { v.add("quarter", "quarter must look like 2026-Q3") }
        try v.check()
        guard let area = try await services.marac.area(id: areaId!) else { throw AppError.notFound }
        let kpis = MARACRules.indicators(try await services.marac.indicatorCases(areaId: area.id, quarter: quarter!),
                                         adultFemalePopulation: area.adultFemalePopulation)
        let overdue = try await services.marac.overdueByAgency(areaId: area.id, today: today)
        return try APIRoutes.json(IndicatorsBody(areaId: area.id, quarter: quarter!.description, indicators: kpis,
                                                 overdueActionsByAgency: Dictionary(uniqueKeysWithValues: overdue.map { (String($0.agencyId), $0.count) })))
    }
}
