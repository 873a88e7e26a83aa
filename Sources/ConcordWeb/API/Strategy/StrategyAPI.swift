import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The Community Safety Agreement over JSON: agreements with their priorities and themes, the action plan (partners
/// update their own agency's actions), measures and values (one by one or in bulk as CSV), and the appendix.
struct StrategyAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/agreements", agreements),
            (.post, "/agreements", createAgreement),
            (.get, "/agreements/{id}", agreement),
            (.post, "/agreements/{id}/topics", addTopic),
            (.post, "/agreements/{id}/aims", addAim),
            (.post, "/agreements/{id}/actions", addAction),
            (.get, "/agreements/{id}/actions", actions),
            (.post, "/agreements/{id}/actions/{actionId}/progress", recordProgress),
            (.get, "/agreements/{id}/measures", measures),
            (.post, "/agreements/{id}/measures", addMeasure),
            (.post, "/agreements/{id}/measure-values", addValues),
            (.get, "/agreements/{id}/appendix", appendix),
        ]
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    func agreements(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        return try APIRoutes.json(APIRoutes.ListBody(items: try await services.strategy.agreements(), nextCursor: nil))
    }

    func createAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["title", "startsOn", "endsOn"]).fields
        var v = Validator()
        let starts = v.date(fields["startsOn"], field: "startsOn", label: "the start date", required: true)
        let ends = v.date(fields["endsOn"], field: "endsOn", label: "the end date")
        try v.check()
        let id = try await services.strategy.createAgreement(title: fields["title"] ?? "", startsOn: starts!, endsOn: ends, audit: context.audit)
        return try APIRoutes.json(["id": id], status: .created)
    }

    /// A priority or cross-cutting theme (`kind`), created in `year`; a priority without `leadRole` has its lead TBC.
    func addTopic(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        _ = try await AgreementData.load(services, id: id)
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context, allowed: ["kind", "name", "leadRole", "leadPerson", "year"],
                                                  textLists: ["includes", "policeAndCrimePlanLinks"])
        var v = Validator()
        let kind = TopicKind(rawValue: parsed.fields["kind"] ?? "")
        if kind == nil { v.add("kind", "kind must be priority or cross-cutting-theme") }
        let year = parsed.fields["year"].flatMap { Int($0) }
        if year == nil { v.add("year", "year must be the year it was introduced, like 2023") }
        try v.check()
        let topicId = try await services.strategy.addTopic(
            Topic(id: 0, agreementId: id, kind: kind!, name: parsed.fields["name"] ?? "", includes: parsed.texts["includes"] ?? [],
                  leadRole: parsed.fields["leadRole"], leadPerson: parsed.fields["leadPerson"],
                  policeAndCrimePlanLinks: parsed.texts["policeAndCrimePlanLinks"] ?? [], lineage: [LineageEvent(kind: .created, year: year!)]),
            audit: context.audit)
        return try APIRoutes.json(["id": topicId], status: .created)
    }

    func addAim(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        _ = try await AgreementData.load(services, id: id)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["priorityId", "text"]).fields
        let aimId = try await services.strategy.addAim(agreementId: id, priorityId: fields["priorityId"].flatMap { Int64($0) }, number: nil,
                                                       text: fields["text"] ?? "", audit: context.audit)
        return try APIRoutes.json(["id": aimId], status: .created)
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        let data = try await AgreementData.load(services, id: id)
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context, allowed: ["aimId", "text", "leadAgencyId", "timescale"],
                                                  numberLists: ["themeIds"])
        let fields = parsed.fields
        guard let aimId = fields["aimId"].flatMap({ Int64($0) }), data.aims.contains(where: { $0.id == aimId }) else {
            throw ValidationError(field: "aimId", "aimId must be an aim of this agreement")
        }
        let timescale = fields["timescale"].flatMap(Timescale.init)
        if fields["timescale"] != nil, timescale == nil {
            throw ValidationError(field: "timescale", "timescale must be a year (2015), a date (2015-03-31), TBC or ongoing")
        }
        let actionId = try await services.strategy.addAction(aimId: aimId, text: fields["text"] ?? "", leadAgencyId: fields["leadAgencyId"].flatMap { Int64($0) },
                                                             timescale: timescale, themeIds: parsed.lists["themeIds"] ?? [],
                                                             year: data.versions.last?.effectiveOn.year ?? today.year, audit: context.audit)
        return try APIRoutes.json(["id": actionId], status: .created)
    }

    struct AgreementBody: Encodable {
        let agreement: Agreement
        let versions: [AgreementVersion]
        let priorities: [Topic]
        let themes: [Topic]
        let lists: [String: [String]]
        let publicationWarnings: [String]
    }

    func agreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let data = try await AgreementData.load(services, id: try APIRoutes.id(context))
        let lists = try await services.strategy.lists(agreementId: data.agreement.id)
        let year = data.versions.last?.effectiveOn.year ?? today.year
        return try APIRoutes.json(AgreementBody(
            agreement: data.agreement, versions: data.versions, priorities: data.topics.filter { $0.kind == .priority },
            themes: data.topics.filter { $0.kind == .theme }, lists: Dictionary(uniqueKeysWithValues: lists.map { ($0.key.rawValue, $0.value) }),
            publicationWarnings: data.versions.last.map {
                StrategyRules.publicationWarnings(priorities: data.topics.filter { $0.isActive(in: year) }, version: $0)
            } ?? []))
    }

    struct PlanBody: Encodable {
        let aims: [Aim]
        let actions: [PlanAction]
    }

    func actions(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let id = try APIRoutes.id(context)
        _ = try await AgreementData.load(services, id: id)
        return try APIRoutes.json(PlanBody(aims: try await services.strategy.aims(agreementId: id), actions: try await services.strategy.actions(agreementId: id)))
    }

    func recordProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let id = try APIRoutes.id(context)
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["version", "on", "status", "text"]).fields
        var v = Validator()
        let on = v.date(fields["on"], field: "on", label: "the date of the update", required: true)
        let status = ActionStatus(rawValue: fields["status"] ?? "")
        if status == nil { v.add("status", "status must be complete, in-progress or incomplete") }
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required") }
        try v.check()
        guard try await services.strategy.actions(agreementId: id).contains(where: { $0.id == actionId }) else { throw AppError.notFound }
        try await services.strategy.recordProgress(actionId: actionId, expectedVersion: version!, on: on!, status: status!, text: fields["text"] ?? "",
                                                   principal: principal, audit: context.audit)
        return try await self.actions(request, context: context)
    }

    struct MeasuresBody: Encodable {
        let measures: [Measure]
        let values: [MeasureValue]
    }

    func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let data = try await AgreementData.load(services, id: try APIRoutes.id(context))
        return try APIRoutes.json(MeasuresBody(measures: data.measures, values: data.values))
    }

    func addMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        _ = try await AgreementData.load(services, id: id)
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context,
                                                  allowed: ["name", "priorityId", "geography", "unit", "polarity", "source", "baseline.label", "baseline.value",
                                                            "practitionerOnly", "ragTolerance"], textLists: ["periodKinds"])
        let fields = parsed.fields
        var v = Validator()
        let unit = MeasureUnit(rawValue: fields["unit"] ?? "")
        if unit == nil { v.add("unit", "unit must be count or percentage") }
        let polarity = Polarity(rawValue: fields["polarity"] ?? "")
        if polarity == nil { v.add("polarity", "polarity must be higher-is-better or lower-is-better") }
        var kinds: Set<PeriodKind> = []
        for name in parsed.texts["periodKinds"] ?? [] {
            if let kind = PeriodKind(rawValue: name) { kinds.insert(kind) } else { v.add("periodKinds", "“\(name)” is not a period kind") }
        }
        let baselineValue = fields["baseline.value"].flatMap(Double.init)
        if fields["baseline.value"] != nil, baselineValue == nil { v.add("baseline.value", "baseline.value must be a number") }
        try v.check()
        let baseline = fields["baseline.label"].flatMap { label in baselineValue.map { Baseline(label: label, value: $0) } }
        let measureId = try await services.strategy.addMeasure(
            Measure(id: 0, agreementId: id, priorityId: fields["priorityId"].flatMap { Int64($0) }, name: fields["name"] ?? "",
                    geography: fields["geography"], unit: unit!, polarity: polarity!, source: fields["source"], periodKinds: kinds, baseline: baseline,
                    isPractitionerOnly: fields["practitionerOnly"] == "true", ragTolerance: fields["ragTolerance"].flatMap(Double.init)),
            audit: context.audit)
        guard let measure = try await services.strategy.measures(agreementId: id).first(where: { $0.id == measureId }) else { throw AppError.notFound }
        return try APIRoutes.json(measure, status: .created)
    }

    /// Values in bulk: a CSV body (`Content-Type: text/csv`, the columns of `MeasureValuesCSV`) or a JSON object
    /// `{"values": [{"measure_id": …, "period_kind": …, "period": …, "value": …}]}`. All or nothing.
    func addValues(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        let measureIds = Set(try await services.strategy.measures(agreementId: id).map(\.id))
        var request = request
        let values: [MeasureValue]
        if (request.headers[.contentType] ?? "").lowercased().hasPrefix("text/csv") {
            let body = try await Form.collectLimitedBody(&request, context: context)
            values = try MeasureValuesCSV.parse(Data(buffer: body))
        } else {
            let body = try await Form.collectLimitedBody(&request, context: context)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], object.keys.sorted() == ["values"],
                  let rows = object["values"] as? [[String: Any]] else {
                throw AppError.badRequest("The body must be CSV (Content-Type: text/csv) or a JSON object {\"values\": [ … ]}.")
            }
            let text: ([String: Any], String) -> String? = { row, name in
                switch row[name] {
                case let string as String: string.isEmpty ? nil : string
                case let number as NSNumber: String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : number.stringValue
                default: nil
                }
            }
            var issues: [FieldIssue] = []
            var parsed: [MeasureValue] = []
            for (index, row) in rows.enumerated() {
                do throws(ValidationError) {
                    parsed.append(try MeasureValuesCSV.value { text(row, $0) })
                } catch {
                    issues += error.issues.map { FieldIssue("values[\(index)].\($0.field)", $0.message) }
                }
            }
            if !issues.isEmpty { throw ValidationError(issues) }
            values = parsed
        }
        if let stranger = values.first(where: { !measureIds.contains($0.measureId) }) {
            throw ValidationError(field: "measure_id", "Measure \(stranger.measureId) is not one of this agreement's")
        }
        try await services.strategy.addValues(values, audit: context.audit)
        return try APIRoutes.json(["added": values.count], status: .created)
    }

    struct AppendixBody: Encodable {
        struct Row: Encodable {
            let measureId: Int64
            let name: String
            let baseline: String
            let previousPeriod: String
            let previous: String
            let latestPeriod: String
            let latest: String
            let change: String
            let differenceToBaseline: String
            let rag: RAG?
        }

        struct Section: Encodable {
            let priority: String
            let lead: String
            let measures: [Row]
            let withheld: Int
        }

        let title: String
        let on: CalendarDate
        let sections: [Section]
    }

    func appendix(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let data = try await AgreementData.load(services, id: try APIRoutes.id(context))
        var on = today
        if let text = request.uri.queryParameters["on"] {
            guard let date = CalendarDate(iso: String(text)) else { throw AppError.invalid([FieldIssue("on", "on must be a date like 2014-07-08")]) }
            on = date
        }
        let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let appendix = data.appendix(on: on, agencyNames: agencies, includePractitionerOnly: true,
                                     tolerance: Double(try await services.settings.values().int(PartnershipSettings.strategyRAGTolerance)))
        return try APIRoutes.json(AppendixBody(title: appendix.title, on: on, sections: appendix.sections.map { section in
            AppendixBody.Section(priority: section.priority, lead: section.lead, measures: section.measures.map {
                AppendixBody.Row(measureId: $0.measureId, name: $0.name, baseline: $0.baseline, previousPeriod: $0.previousLabel, previous: $0.previous,
                                 latestPeriod: $0.latestLabel, latest: $0.latest, change: $0.change, differenceToBaseline: $0.differenceToBaseline, rag: $0.rag)
            }, withheld: section.withheld)
        }))
    }
}
