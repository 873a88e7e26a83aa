import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The partnership's ASB Case Review arrangements: threshold rule sets by area and effective date, and each area's
/// review body and route for dissatisfied applicants (2014-07-08 pack, appendix A to report B1).
struct CaseReviewAdminPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin/case-review", use: show)
        router.post("/admin/case-review/rule-sets", use: addRuleSet)
        router.post("/admin/case-review/areas/{id}", use: setArrangements)
    }

    struct Model {
        struct RuleSetRow {
            let area: String
            let effectiveFrom: String
            let summary: String
        }

        struct AreaRow {
            let id: Int64
            let name: String
            let bodies: [Option]
            let routes: [Option]
        }

        let ruleSets: [RuleSetRow]
        let areas: [AreaRow]
        let areaOptions: [Option]
        let form: [String: String]
    }

    private func page(_ context: AppRequestContext, form: Form?, errors: [FieldIssue] = [], notice: String? = nil) async throws -> Response {
        let areas = try await services.directory.cspAreas()
        let names = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0.name) })
        var rows: [Model.AreaRow] = []
        for area in areas {
            let arrangements = try await services.caseReviews.arrangements(areaId: area.id)
            rows.append(Model.AreaRow(
                id: area.id, name: area.name,
                bodies: ReviewBody.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == arrangements.reviewBody) },
                routes: DissatisfactionRoute.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == arrangements.route) }))
        }
        let values = form?.redisplay ?? [:]
        let model = Model(
            ruleSets: try await services.caseReviews.ruleSets().map {
                Model.RuleSetRow(area: $0.areaId.flatMap { names[$0] } ?? "Every area (partnership settings)",
                                 effectiveFrom: $0.effectiveFrom.long, summary: $0.summary)
            },
            areas: rows,
            areaOptions: areas.map { Option(value: String($0.id), label: $0.name, selected: String($0.id) == values["areaId"]) },
            form: values)
        return try await services.page("admin/case-review", context, title: "ASB Case Review arrangements", page: model, errors: errors,
                                       notice: notice)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        return try await page(context, form: nil, notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    func addRuleSet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.administerSettings, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        var v = Validator()
        let areaId = form.int64("areaId")
        if let areaId, !(try await services.directory.cspAreas().contains { $0.id == areaId }) { v.add("areaId", "Choose an area from the list") }
        let from = v.date(form["effectiveFrom"], field: "effectiveFrom", label: "the date the rules take effect", required: true)
        func number(_ name: String, _ label: String) -> Int {
            guard let value = form[name].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                v.add(name, "Enter \(label) as a whole number")
                return 0
            }
            return value
        }
        let individual = number("individualComplaints", "the complaints by one person")
        let community = number("communityPeople", "the people complaining separately")
        let window = number("windowMonths", "the look-back window in months")
        let qualifying = number("qualifyingReportMonths", "the months within which a complaint must be made")
        do {
            try v.check()
            _ = try await services.caseReviews.addRuleSet(
                ThresholdRuleSet(areaId: areaId, effectiveFrom: from!, individualComplaints: individual, communityPeople: community,
                                 windowMonths: window, qualifyingReportMonths: qualifying, hateIncidentSuffices: form.bool("hateIncidentSuffices")),
                createdBy: principal.userId, audit: context.audit)
            return .seeOther("/admin/case-review?saved=1")
        } catch let error as ValidationError {
            return try await page(context, form: form, errors: error.issues)
        }
    }

    func setArrangements(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        let id = try APIRoutes.id(context)
        guard try await services.directory.cspAreas().contains(where: { $0.id == id }) else { throw AppError.notFound }
        var request = request
        let form = try await Form.read(&request, context: context)
        guard let body = form["reviewBody"].flatMap(ReviewBody.init(rawValue:)),
              let route = form["route"].flatMap(DissatisfactionRoute.init(rawValue:)) else {
            return try await page(context, form: form, errors: [FieldIssue("area-\(id)", "Choose a review body and a route")])
        }
        try await services.caseReviews.setArrangements(areaId: id, reviewBody: body, route: route, audit: context.audit)
        return .seeOther("/admin/case-review?saved=1")
    }
}
