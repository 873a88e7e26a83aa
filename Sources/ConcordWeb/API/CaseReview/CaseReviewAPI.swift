import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// ASB Case Review over JSON: applications (list, record, read with their clocks, record a step), the annual
/// statutory counts, the complaints an application could rely on, and a stateless threshold check of complaints
/// the caller supplies.
struct CaseReviewAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/case-reviews", list),
            (.post, "/case-reviews", create),
            (.post, "/case-reviews/threshold-check", thresholdCheck),
            (.get, "/case-reviews/complaints", complaints),
            (.get, "/case-reviews/counts", counts),
            (.get, "/case-reviews/{id}", show),
            (.post, "/case-reviews/{id}/steps", step),
        ]
    }

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    struct ThresholdCheckBody: Decodable {
        let areaId: Int64
        let receivedOn: CalendarDate
        let complaints: [ThresholdComplaint]
    }

    /// Checks supplied complaints against the rule set in force for the area on the received date. Nothing is
    /// stored or read from cases, so nothing is audited.
    func thresholdCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.useCases, context)
        var request = request
        let body = try await JSONBody.decode(ThresholdCheckBody.self, from: &request, context: context,
                                             allowed: ["areaId", "receivedOn", "complaints"])
        let areas = Set(try await services.directory.cspAreas().map(\.id))
        guard areas.contains(body.areaId) else {
            throw AppError.invalid([FieldIssue("areaId", "There is no CSP area \(body.areaId)")])
        }
        try CaseReviewRules.validate(body.complaints, receivedOn: body.receivedOn, today: CalendarDate(Date()))
        guard let ruleSet = CaseReviewRules.ruleSet(for: body.areaId, on: body.receivedOn, from: try await services.caseReviews.ruleSets())
        else {
            throw AppError.invalid([FieldIssue("receivedOn", "No threshold rule set was in force for this area on \(body.receivedOn.long)")])
        }
        return try APIRoutes.json(CaseReviewRules.check(body.complaints, receivedOn: body.receivedOn, ruleSet: ruleSet))
    }

    struct WindowComplaints: Encodable {
        let windowMonths: Int
        let from: CalendarDate
        let to: CalendarDate
        /// Each `complaint` is ready to send to the threshold check, and its `id` (the report) to an application's `reportIds`.
        let items: [CaseReviewStore.WindowComplaint]
    }

    /// The complaints an application could rely on, as the application form gathers them: every complaint by the
    /// named complainants (matched by name as at intake) and every complaint on the given ASB cases, in the
    /// look-back window before `receivedOn` (the window of the area's rule set, else the longest in force). Only
    /// cases the caller may see; audited as a search naming the cases found.
    func complaints(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        let query = request.uri.queryParameters
        let today = CalendarDate(Date())
        var v = Validator()
        let complainantKeys = query.getAll("complainant").map(ASBRules.matchKey).filter { !$0.isEmpty }
        let caseTexts = query.getAll("case")
        let caseIds = caseTexts.compactMap { Int64($0) }
        if caseIds.count != caseTexts.count { v.add("case", "case must be the id of an ASB case") }
        if complainantKeys.isEmpty && caseTexts.isEmpty { v.add("complainant", "Give at least one complainant or case") }
        let receivedOn = v.date(query["receivedOn"].map(String.init), field: "receivedOn", label: "the date received") ?? today
        if receivedOn > today { v.add("receivedOn", "The received date cannot be in the future") }
        var areaId: Int64?
        if let text = query["areaId"] {
            let areas = Set(try await services.directory.cspAreas().map(\.id))
            areaId = Int64(text).flatMap { areas.contains($0) ? $0 : nil }
            if areaId == nil { v.add("areaId", "There is no CSP area \(text)") }
        }
        try v.check()
        let months = CaseReviewRules.lookBackMonths(for: areaId, on: receivedOn, from: try await services.caseReviews.ruleSets())
        let found = try await services.caseReviews.complaintsInWindow(complainantKeys: complainantKeys, caseIds: caseIds, receivedOn: receivedOn,
                                                                      windowMonths: months, filter: filter, audit: context.audit)
        return try APIRoutes.json(WindowComplaints(windowMonths: months, from: receivedOn.adding(months: -months), to: receivedOn,
                                                   items: found))
    }

    struct NewApplication: Decodable {
        struct NewApplicant: Decodable {
            let name: String
            let isMember: Bool?
            let personId: Int64?
        }

        let areaId: Int64?
        let receivedOn: String?
        let channel: String?
        let applicants: [NewApplicant]?
        let onBehalfOf: String?
        let reportIds: [Int64]?
        let sharedWith: [Int64]?
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        var request = request
        let body = try await JSONBody.decode(NewApplication.self, from: &request, context: context,
                                             allowed: ["areaId", "receivedOn", "channel", "applicants", "onBehalfOf", "reportIds", "sharedWith"])
        let input = try CaseReviewRules.application(
            areaId: body.areaId, knownAreas: Set(try await services.directory.cspAreas().map(\.id)), receivedOn: body.receivedOn,
            channel: body.channel, applicants: (body.applicants ?? []).map { Applicant(name: $0.name, isMember: $0.isMember ?? false,
                                                                                         personId: $0.personId) },
            onBehalfOf: body.onBehalfOf, reportIds: body.reportIds ?? [], today: CalendarDate(Date()))
        try await services.requireCreate(principal, CaseAccessFacts(caseType: .caseReview, owningAgencyId: principal.agencyId,
                                                                    classification: .officialSensitivePersonal), filter: filter, context)
        let id = try await services.caseReviews.create(input, sharedWith: Set(body.sharedWith ?? []), principal: principal, filter: filter,
                                                       audit: context.audit)
        return try await detail(id: id, filter: filter, context: context, status: .created)
    }

    struct ClockBody: Encodable {
        let name: String
        let start: CalendarDate
        let limitWorkingDays: Int
        let due: CalendarDate
        let state: String
        let overdue: Bool
    }

    struct DetailBody: Encodable {
        let application: CaseReviewApplication
        let clocks: [ClockBody]
    }

    func detail(id: Int64, filter: VisibilityFilter, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let application = try await services.caseReviews.load(id: id, filter: filter, audit: context.audit) else {
            throw AppError.notFound
        }
        let clocks = try await services.caseReviewClocks(for: application.dates)
        return try APIRoutes.json(DetailBody(application: application, clocks: clocks.map {
            ClockBody(name: $0.name, start: $0.clock.start, limitWorkingDays: $0.clock.limit, due: $0.clock.due, state: $0.clock.summary,
                      overdue: $0.clock.isOverdue)
        }), status: status)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        return try await detail(id: try APIRoutes.id(context), filter: filter, context: context)
    }

    struct SummaryBody: Encodable {
        let id: Int64
        let reference: String
        let areaId: Int64
        let receivedOn: CalendarDate
        let stage: String
        let thresholdMet: Bool
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        let (limit, cursor) = try APIRoutes.paging(request)
        var areaId: Int64?
        if let text = request.uri.queryParameters["areaId"] {
            guard let id = Int64(String(text)) else { throw AppError.invalid([FieldIssue("areaId", "areaId must be a whole number")]) }
            areaId = id
        }
        let page = try await services.caseReviews.list(areaId: areaId, filter: filter, cursor: cursor, limit: limit, audit: context.audit)
        return try APIRoutes.json(APIRoutes.ListBody(items: page.items.map {
            SummaryBody(id: $0.caseId, reference: $0.reference, areaId: $0.areaId, receivedOn: $0.receivedOn, stage: $0.stage.rawValue,
                        thresholdMet: $0.thresholdMet)
        }, nextCursor: page.nextCursor))
    }

    /// `step`: initial-decision, review-outcome, ward-member-notified, dissatisfied, dissatisfaction-outcome, reviewer,
    /// recommendation, recommendation-status; with that step's fields.
    func step(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: CaseReviewSteps.fields)
        let step = try CaseReviewSteps.parse(body.fields, today: CalendarDate(Date()))
        try await services.caseReviews.record(step, caseId: id, principal: principal, filter: filter, audit: context.audit)
        return try await detail(id: id, filter: filter, context: context)
    }

    func counts(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readStatutoryCounts, context)
        let year = try CaseReviewSteps.year(request.uri.queryParameters["year"].map(String.init))
        return try APIRoutes.json(try await services.caseReviews.annualCounts(year: year))
    }
}

/// Reads a Case Review step from form or JSON fields (shared by the pages and the API).
enum CaseReviewSteps {
    static let fields: Set<String> = ["step", "on", "notes", "finding", "reason", "outcome", "route", "personId", "text",
                                      "ownerAgencyId", "dueOn", "recommendationId", "version", "status"]

    static func parse(_ fields: [String: String], today: CalendarDate) throws -> CaseReviewStore.Step {
        var v = Validator()
        func text(_ name: String, _ label: String) -> String? { v.required(fields[name], field: name, label: label, maxLength: 4_000) }
        func number(_ name: String, _ label: String) -> Int64? {
            guard let value = fields[name].flatMap({ Int64($0) }) else {
                v.add(name, "Choose \(label)")
                return nil
            }
            return value
        }
        let on = { v.date(fields["on"], field: "on", label: "the date", required: true) }
        let step: CaseReviewStore.Step?
        switch fields["step"] ?? "" {
        case "initial-decision":
            let date = on()
            step = date.map { .initialDecision(on: $0, notes: fields["notes"].flatMap { $0.isEmpty ? nil : $0 }) }
        case "review-outcome":
            let date = on()
            let finding = fields["finding"].flatMap(ActionFinding.init(rawValue:))
            if finding == nil { v.add("finding", "Record the finding on the action taken") }
            let reason = text("reason", "the reason for the finding")
            let outcome = text("outcome", "the outcome sent to the applicant")
            step = date.flatMap { d in finding.flatMap { f in reason.flatMap { r in outcome.map { .reviewOutcome(on: d, finding: f, reason: r, outcome: $0) } } } }
        case "ward-member-notified":
            step = on().map { .wardMemberNotified(on: $0) }
        case "dissatisfied":
            let date = on()
            let route = fields["route"].flatMap(DissatisfactionRoute.init(rawValue:))
            if route == nil { v.add("route", "Choose the route for the dissatisfied applicant") }
            step = date.flatMap { d in route.map { .dissatisfied(on: d, route: $0) } }
        case "dissatisfaction-outcome":
            let date = on()
            let outcome = text("outcome", "the response to the applicant")
            step = date.flatMap { d in outcome.map { .dissatisfactionOutcome(on: d, outcome: $0) } }
        case "reviewer":
            step = number("personId", "a reviewer").map { .reviewer(personId: $0) }
        case "recommendation":
            let body = text("text", "the recommendation")
            let owner = number("ownerAgencyId", "the agency that owns it")
            let due = v.date(fields["dueOn"], field: "dueOn", label: "the due date", required: true)
            step = body.flatMap { b in owner.flatMap { o in due.map { .recommendation(text: b, ownerAgencyId: o, dueOn: $0) } } }
        case "recommendation-status":
            let id = number("recommendationId", "a recommendation")
            let version = fields["version"].flatMap { Int($0) }
            if version == nil { v.add("version", "The form is missing the recommendation's version") }
            let status = fields["status"].flatMap(RecommendationStatus.init(rawValue:))
            if status == nil { v.add("status", "Choose the recommendation's status") }
            step = id.flatMap { i in version.flatMap { ver in status.map { .recommendationStatus(id: i, expectedVersion: ver, status: $0) } } }
        default:
            v.add("step", "step must be one of initial-decision, review-outcome, ward-member-notified, dissatisfied, "
                  + "dissatisfaction-outcome, reviewer, recommendation, recommendation-status")
            step = nil
        }
        try v.check()
        guard let step else { throw AppError.badRequest("The step could not be read.") }
        return step
    }

    /// `year` from a query (default: this year), refused by name when it is not a plausible year.
    static func year(_ text: String?) throws -> Int {
        guard let text, !text.isEmpty else { return CalendarDate(Date()).year }
        guard let year = Int(text), (2014...2200).contains(year) else {
            throw AppError.invalid([FieldIssue("year", "year must be a year from 2014 (the Act) onwards")])
        }
        return year
    }
}
