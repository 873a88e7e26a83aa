import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// ASB cases over JSON: list, intake (with the similar-case check), one case, change status, incidents (add,
/// read, correct, remove), reports of an incident to another agency, and actions. Fields are those of the intake form; nested objects
/// (`complainant`, `perpetrator`, `incident`) hold the prefixed ones.
struct ASBAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/asb/cases", list),
            (.post, "/asb/cases", create),
            (.get, "/asb/cases/{id}", show),
            (.patch, "/asb/cases/{id}", update),
            (.post, "/asb/cases/{id}/incidents", addIncident),
            (.get, "/asb/cases/{id}/incidents/{incidentId}", showIncident),
            (.patch, "/asb/cases/{id}/incidents/{incidentId}", correctIncident),
            (.delete, "/asb/cases/{id}/incidents/{incidentId}", removeIncident),
            (.post, "/asb/cases/{id}/incidents/{incidentId}/reports", addReport),
            (.post, "/asb/cases/{id}/actions", addAction),
        ]
    }

    static let partyFields = ["name", "anonymous", "address", "postcode", "phone", "email", "contactPreference", "isVulnerable",
                              "vulnerabilityNotes"]
    static let incidentFields = ["occurredOn", "occurredAt", "address", "postcode", "ward", "districtId", "category",
                                 "isHateMotivated", "description", "channel", "reportedOn", "reference"]

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    struct SummaryBody: Encodable {
        let id: Int64
        let reference: String
        let title: String
        let districtId: Int64?
        let owningAgencyId: Int64
        let risk: String
        let status: String
        let repeatVictim: Bool
        let vulnerableVictim: Bool
        let caseReviewPromptOpen: Bool
        let lastIncidentOn: CalendarDate?
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let (limit, cursor) = try APIRoutes.paging(request)
        let q = request.uri.queryParameters
        var query = ASBStore.ListQuery(cursor: cursor, limit: limit)
        if let text = q["status"] {
            guard let status = ASBCaseStatus(rawValue: String(text)) else {
                throw AppError.invalid([FieldIssue("status", "status must be open, monitoring or closed")])
            }
            query.status = status
        }
        if let text = q["districtId"] {
            guard let district = Int64(String(text)) else { throw AppError.invalid([FieldIssue("districtId", "districtId must be a whole number")]) }
            query.districtId = district
        }
        if q["mine"] == "true" { query.leadOfficerId = principal.userId }
        query.repeatOrVulnerableOnly = q["repeatOrVulnerable"] == "true"
        let page = try await services.asb.list(query, filter: filter, audit: context.audit)
        return try APIRoutes.json(APIRoutes.ListBody(items: page.items.map {
            SummaryBody(id: $0.caseId, reference: $0.reference, title: $0.title, districtId: $0.districtId, owningAgencyId: $0.owningAgencyId,
                        risk: $0.risk.rawValue, status: $0.status.rawValue, repeatVictim: $0.isRepeatVictim,
                        vulnerableVictim: $0.isVulnerableVictim, caseReviewPromptOpen: $0.isPromptOpen, lastIncidentOn: $0.lastIncidentOn)
        }, nextCursor: page.nextCursor))
    }

    struct SimilarBody: Encodable {
        let similarCases: [SimilarCase]
        let detail: String
    }

    /// Opens a case. When visible cases look like the same problem, answers 409 with them unless
    /// `confirmNoExistingCase` is true (intake shows similar cases before a new case is made).
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        var request = request
        let allowed = Set(["title", "districtId", "risk", "leadOfficerId", "confirmNoExistingCase"]
            + Self.partyFields.map { "complainant." + $0 } + Self.partyFields.map { "perpetrator." + $0 }
            + Self.incidentFields.map { "incident." + $0 })
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: allowed, numberLists: ["sharedWith"])
        let input = try ASBRules.newCase(body.fields, sharedWith: body.lists["sharedWith"] ?? [], owningAgencyId: principal.agencyId,
                                         today: CalendarDate(Date()))
        try await services.requireCreate(principal, CaseAccessFacts(caseType: .asb, owningAgencyId: principal.agencyId,
                                                                    classification: input.record.classification), filter: filter, context)
        if body.fields["confirmNoExistingCase"] != "true" {
            let similar = try await services.asb.similarCases(complainantName: input.complainant.name, perpetratorName: input.perpetrator.name,
                                                              postcode: input.incident.details.postcode ?? input.complainant.postcode,
                                                              filter: filter, audit: context.audit)
            if !similar.isEmpty {
                return try APIRoutes.json(SimilarBody(similarCases: similar,
                                                      detail: "Cases you can see look like the same problem. Add to one of them, "
                                                          + "or send confirmNoExistingCase: true to open a new case."),
                                          status: .conflict)
            }
        }
        let id = try await services.asb.create(input, createdBy: principal.userId, audit: context.audit)
        guard let created = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(created, status: .created)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        guard let found = try await services.asb.load(id: try APIRoutes.id(context), filter: filter, audit: context.audit) else {
            throw AppError.notFound
        }
        return try APIRoutes.json(found)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let body = try await JSONBody.flattened(from: &request, context: context,
                                                allowed: ["version", "status", "outcome", "risk", "leadOfficerId"])
        var v = Validator()
        let version = body.fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required: the version of the case you are changing") }
        let status = body.fields["status"].flatMap(ASBCaseStatus.init(rawValue:))
        if status == nil { v.add("status", "status must be open, monitoring or closed") }
        let risk = body.fields["risk"].flatMap(VictimRisk.init(rawValue:))
        if risk == nil { v.add("risk", "risk must be standard, medium or high") }
        var outcome: ASBOutcome?
        if let text = body.fields["outcome"] {
            outcome = ASBOutcome(rawValue: text)
            if outcome == nil { v.add("outcome", "outcome must be one of " + ASBOutcome.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        if status == .closed, outcome == nil { v.add("outcome", "Record the outcome when closing a case") }
        try v.check()
        try await services.asb.updateCase(caseId: id, expectedVersion: version!, status: status!, outcome: outcome, risk: risk!,
                                          leadOfficerId: body.fields["leadOfficerId"].flatMap { Int64($0) }, principal: principal,
                                          filter: filter, audit: context.audit)
        guard let updated = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(updated)
    }

    func addIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: Set(Self.incidentFields + ["complainantId"]))
        let input = try ASBRules.incident(body.fields, reportingAgencyId: principal.agencyId, today: CalendarDate(Date()))
        try await services.asb.addIncident(caseId: id, complainantId: body.fields["complainantId"].flatMap { Int64($0) }, input,
                                           principal: principal, filter: filter, audit: context.audit)
        guard let updated = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(updated, status: .created)
    }

    /// One incident of a visible case, with its reports; reading it is a view of the case and is audited.
    func showIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        let incidentId = try Self.incidentId(context)
        guard let found = try await services.asb.load(id: try APIRoutes.id(context), filter: filter, audit: context.audit),
              let incident = found.incidents.first(where: { $0.id == incidentId }) else { throw AppError.notFound }
        return try APIRoutes.json(incident)
    }

    /// Corrects an incident's own facts: the full set of incident fields, its `version` and the `reason`.
    func correctIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        let incidentId = try Self.incidentId(context)
        var request = request
        let allowed = Set(["occurredOn", "occurredAt", "address", "postcode", "ward", "districtId", "category", "isHateMotivated",
                           "description", "version", "reason"])
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: allowed)
        let correction = try ASBRules.incidentCorrection(body.fields, today: CalendarDate(Date()))
        try await services.asb.correctIncident(caseId: id, incidentId: incidentId, correction, principal: principal, filter: filter,
                                               audit: context.audit)
        return try await showIncident(request, context: context)
    }

    /// Removes an incident recorded in error; `reason` (query) is required and kept in the audit log.
    func removeIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        try await services.asb.removeIncident(caseId: try APIRoutes.id(context), incidentId: try Self.incidentId(context),
                                              reason: request.uri.queryParameters["reason"].map(String.init) ?? "",
                                              principal: principal, filter: filter, audit: context.audit)
        return Response(status: .noContent)
    }

    static func incidentId(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("incidentId", as: Int64.self) else { throw AppError.notFound }
        return id
    }

    func addReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        let incidentId = try Self.incidentId(context)
        var request = request
        let body = try await JSONBody.flattened(from: &request, context: context,
                                                allowed: ["agencyId", "complainantId", "reportedOn", "channel", "reference"])
        var v = Validator()
        let agencyId = body.fields["agencyId"].flatMap { Int64($0) }
        if agencyId == nil { v.add("agencyId", "agencyId is required: the agency the incident was reported to") }
        let reportedOn = v.date(body.fields["reportedOn"], field: "reportedOn", label: "the date it was reported", required: true)
        if let reportedOn, reportedOn > CalendarDate(Date()) { v.add("reportedOn", "The date it was reported cannot be in the future") }
        let channel = body.fields["channel"].flatMap(ReportingChannel.init(rawValue:))
        if channel == nil { v.add("channel", "channel must be one of " + ReportingChannel.allCases.map(\.rawValue).joined(separator: ", ")) }
        try v.check()
        try await services.asb.addReport(caseId: id, incidentId: incidentId, agencyId: agencyId!,
                                         complainantId: body.fields["complainantId"].flatMap { Int64($0) }, reportedOn: reportedOn!,
                                         channel: channel!, reference: body.fields["reference"], principal: principal, filter: filter,
                                         audit: context.audit)
        guard let updated = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(updated, status: .created)
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let body = try await JSONBody.flattened(from: &request, context: context, allowed: ["type", "takenOn", "reason", "notes"])
        let input = try ASBRules.action(body.fields, agencyId: principal.agencyId, today: CalendarDate(Date()))
        try await services.asb.addAction(caseId: id, input, principal: principal, filter: filter, audit: context.audit)
        guard let updated = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        return try APIRoutes.json(updated, status: .created)
    }
}
