import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Domestic Homicide Reviews over JSON, with the same visibility (a review not admitted does not exist: 404),
/// rules and audit as the pages.
struct DHRAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/dhr/reviews", reviews),
            (.post, "/dhr/reviews", notify),
            (.get, "/dhr/reviews/{id}", review),
            (.post, "/dhr/reviews/{id}/stages", advance),
            (.post, "/dhr/reviews/{id}/actions", addAction),
            (.post, "/dhr/reviews/{id}/actions/{actionId}/updates", addUpdate),
        ]
    }

    private func access(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.readDHR, context)
        return (principal, try await services.visibility(for: principal))
    }

    func reviews(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await access(context)
        return try APIRoutes.json(APIRoutes.ListBody(items: try await services.dhr.reviews(filter: filter, audit: context.audit), nextCursor: nil))
    }

    struct DetailBody: Encodable {
        let review: DHRReview
        let actions: [DHRAction]
        let clocks: [ClockBody]
    }

    struct ClockBody: Encodable {
        let name: String
        let due: CalendarDate
        let met: CalendarDate?
        let overdue: Bool
    }

    private func detail(_ id: Int64, _ context: AppRequestContext, filter: VisibilityFilter, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let review = try await services.dhr.review(caseId: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        let values = try await services.settings.values()
        let clocks = DHRRules.clocks(for: review, decisionMonths: values.int(PartnershipSettings.dhrDecisionMonths),
                                     completionMonths: values.int(PartnershipSettings.dhrCompletionMonths))
        return try APIRoutes.json(DetailBody(review: review, actions: try await services.dhr.actions(caseId: id, filter: filter),
                                             clocks: clocks.map { ClockBody(name: $0.name, due: $0.due, met: $0.met, overdue: $0.isOverdue(today: CalendarDate(Date()))) }),
                                  status: status)
    }

    func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await access(context)
        return try await detail(try APIRoutes.id(context), context, filter: filter)
    }

    func notify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await access(context)
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context, allowed: ["pseudonym", "cspArea", "notifiedOn"],
                                                  numberLists: ["panelAgencyIds"])
        var v = Validator()
        let notified = v.date(parsed.fields["notifiedOn"], field: "notifiedOn", label: "the date of notification", required: true)
        try v.check()
        let id = try await services.dhr.notify(DHRStore.Notification(pseudonym: parsed.fields["pseudonym"] ?? "", cspArea: parsed.fields["cspArea"],
                                                                     notifiedOn: notified!, panelAgencyIds: Set(parsed.lists["panelAgencyIds"] ?? [])),
                                               principal: principal, audit: context.audit)
        return try await detail(id, context, filter: filter, status: .created)
    }

    func advance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await access(context)
        let id = try APIRoutes.id(context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["version", "stage", "on", "outcome", "note"]).fields
        var v = Validator()
        let on = v.date(fields["on"], field: "on", label: "the date", required: true)
        let stage = DHRStage(rawValue: fields["stage"] ?? "")
        if stage == nil { v.add("stage", "stage must be one of " + DHRStage.allCases.map(\.rawValue).joined(separator: ", ")) }
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required") }
        try v.check()
        if stage == .signedOff {
            try await services.dhr.signOff(caseId: id, expectedVersion: version!, on: on!, overrideReason: fields["note"], confirmedBy: nil, filter: filter,
                                           audit: context.audit)
        } else {
            try await services.dhr.advance(caseId: id, expectedVersion: version!, to: stage!, on: on!, outcome: fields["outcome"], note: fields["note"],
                                           filter: filter, audit: context.audit)
        }
        return try await detail(id, context, filter: filter)
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await access(context)
        let id = try APIRoutes.id(context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["recommendation", "agencyId", "action", "dueOn"]).fields
        var v = Validator()
        let due = v.date(fields["dueOn"], field: "dueOn", label: "the due date", required: true)
        let agency = fields["agencyId"].flatMap { Int64($0) }
        if agency == nil { v.add("agencyId", "agencyId is required") }
        try v.check()
        try await services.dhr.addAction(caseId: id, recommendation: fields["recommendation"] ?? "", agencyId: agency!, action: fields["action"] ?? "",
                                         dueOn: due!, filter: filter, audit: context.audit)
        return try await detail(id, context, filter: filter, status: .created)
    }

    func addUpdate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await access(context)
        let id = try APIRoutes.id(context)
        guard let actionId = context.parameters.get("actionId", as: Int64.self),
              try await services.dhr.actions(caseId: id, filter: filter).contains(where: { $0.id == actionId }) else { throw AppError.notFound }
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["version", "on", "text", "evidence", "complete"]).fields
        var v = Validator()
        let on = v.date(fields["on"], field: "on", label: "the date of the update", required: true)
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required") }
        try v.check()
        try await services.dhr.addUpdate(actionId: actionId, expectedVersion: version!, on: on!, text: fields["text"] ?? "", evidence: fields["evidence"],
                                         complete: fields["complete"] == "true", principal: principal, filter: filter, audit: context.audit)
        return try await detail(id, context, filter: filter)
    }
}
