import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// ASB case work in the browser: the list and dashboard, intake (similar cases first), one case with its
/// timeline, and the forms that add to it. Visibility and audit come from `ASBStore`.
struct ASBPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/asb", use: list)
        router.get("/asb.csv", use: export)
        router.get("/asb/new", use: newCase)
        router.post("/asb", use: create)
        router.get("/asb/cases/{id}", use: show)
        router.post("/asb/cases/{id}/incidents", use: addIncident)
        router.get("/asb/cases/{id}/incidents/{incidentId}", use: incident)
        router.post("/asb/cases/{id}/incidents/{incidentId}", use: correctIncident)
        router.post("/asb/cases/{id}/incidents/{incidentId}/remove", use: removeIncident)
        router.post("/asb/cases/{id}/reports", use: addReport)
        router.post("/asb/cases/{id}/actions", use: addAction)
        router.post("/asb/cases/{id}/parties", use: addParty)
        router.post("/asb/cases/{id}/status", use: updateStatus)
        router.post("/asb/cases/{id}/prompt", use: explainPrompt)
    }

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    // MARK: List and dashboard

    struct ListModel {
        struct Row: TemplateFieldsProviding {
            let id: Int64
            let reference: String
            let title: String
            let district: String
            let risk: String
            let status: String
            let flags: String
            let prompt: Bool
            let lastIncident: String

            var templateFields: [String: Any] {
                ["id": id, "reference": reference, "title": title, "district": district, "risk": risk, "status": status,
                 "flags": flags, "prompt": prompt, "lastIncident": lastIncident]
            }
        }

        struct CountRow: TemplateFieldsProviding {
            let district: String
            let open: Int
            let monitoring: Int
            let closed: Int

            var templateFields: [String: Any] { ["district": district, "open": open, "monitoring": monitoring, "closed": closed] }
        }

        let views: [Option]
        let districts: [Option]
        let statuses: [Option]
        let rows: [Row]
        let isEmpty: Bool
        let counts: [CountRow]
        let nextHref: String?
        let exportHref: String
    }

    private func query(_ request: Request, principal: Principal) -> (ASBStore.ListQuery, view: String, queryString: String) {
        let q = request.uri.queryParameters
        let view = q["view"].map(String.init) ?? "mine"
        var query = ASBStore.ListQuery(districtId: q["districtId"].flatMap { Int64(String($0)) },
                                       status: q["status"].flatMap { ASBCaseStatus(rawValue: String($0)) },
                                       cursor: q["cursor"].flatMap { Int64(String($0)) })
        if view == "mine" { query.leadOfficerId = principal.userId }
        query.repeatOrVulnerableOnly = view == "repeat"
        let queryString = "view=\(view)" + (query.districtId.map { "&districtId=\($0)" } ?? "")
            + (query.status.map { "&status=\($0.rawValue)" } ?? "")
        return (query, view, queryString)
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let (query, view, queryString) = query(request, principal: principal)
        let page = try await services.asb.list(query, filter: filter, audit: context.audit)
        let names = try await DirectoryNames.load(services)
        var counts: [Int64?: [ASBCaseStatus: Int]] = [:]
        for row in try await services.asb.countsByDistrictAndStatus(filter: filter) { counts[row.districtId, default: [:]][row.status] = row.count }
        let model = ListModel(
            views: [("mine", "Cases I lead"), ("all", "All cases I can see"), ("repeat", "Repeat and vulnerable victims")]
                .map { Option(value: $0.0, label: $0.1, selected: $0.0 == view) },
            districts: names.districts.sorted { $0.value < $1.value }
                .map { Option(value: String($0.key), label: $0.value, selected: $0.key == query.districtId) },
            statuses: ASBCaseStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == query.status) },
            rows: page.items.map {
                ListModel.Row(id: $0.caseId, reference: $0.reference, title: $0.title,
                              district: $0.districtId.flatMap { names.districts[$0] } ?? "Not recorded", risk: $0.risk.label,
                              status: $0.status.label,
                              flags: [$0.isRepeatVictim ? "Repeat victim" : nil, $0.isVulnerableVictim ? "Vulnerable" : nil]
                                  .compactMap { $0 }.joined(separator: ", "),
                              prompt: $0.isPromptOpen, lastIncident: $0.lastIncidentOn?.long ?? "")
            },
            isEmpty: page.items.isEmpty,
            counts: counts.sorted { (names.districts[$0.key ?? 0] ?? "~") < (names.districts[$1.key ?? 0] ?? "~") }.map {
                ListModel.CountRow(district: $0.key.flatMap { names.districts[$0] } ?? "Not recorded", open: $0.value[.open] ?? 0,
                                   monitoring: $0.value[.monitoring] ?? 0, closed: $0.value[.closed] ?? 0)
            },
            nextHref: page.nextCursor.map { "/asb?\(queryString)&cursor=\($0)" }, exportHref: "/asb.csv?\(queryString)")
        return try await services.page("asb/list", context, title: "ASB cases", page: model, classification: .officialSensitivePersonal)
    }

    /// The list as CSV (every page), marked with its classification at the top and bottom; audited as an export.
    func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        var (query, _, _) = query(request, principal: principal)
        query.limit = CaseStore.maximumPageSize
        var rows: [ASBStore.Summary] = []
        repeat {
            let page = try await services.asb.list(query, filter: filter, audit: context.audit)
            rows += page.items
            query.cursor = page.nextCursor
        } while query.cursor != nil
        try await services.audit.record(AuditRecord(context: context.audit, action: .export, recordType: "case-list",
                                                    note: "\(rows.count) ASB case(s) exported as CSV"))
        let names = try await DirectoryNames.load(services)
        var csv = CSV.line(["reference", "title", "district", "lead_agency", "risk", "status", "repeat_victim", "vulnerable_victim",
                         "case_review_prompt_open", "last_incident_on"])
        for row in rows {
            csv += CSV.line([row.reference, row.title, row.districtId.flatMap { names.districts[$0] } ?? "", names.agencies[row.owningAgencyId] ?? "",
                             row.risk.rawValue, row.status.rawValue, String(row.isRepeatVictim), String(row.isVulnerableVictim),
                             String(row.isPromptOpen), row.lastIncidentOn?.iso ?? ""])
        }
        return CSV.response(csv, classification: .officialSensitivePersonal, filename: "asb-cases.csv")
    }

    // MARK: Intake

    struct NewModel {
        let districts: [Option]
        let agencies: [Option]
        let risks: [Option]
        let categories: [Option]
        let channels: [Option]
        let preferences: [Option]
        let form: [String: String]
        let similar: [SimilarCase]
        let hasSimilar: Bool
    }

    private func intakeForm(_ context: AppRequestContext, principal: Principal, form: Form?, similar: [SimilarCase] = [],
                            errors: [FieldIssue] = []) async throws -> Response {
        let values = form?.redisplay ?? [:]
        let shared = Set(form?.int64s("sharedWith") ?? [])
        let model = NewModel(
            districts: try await services.directory.districts().sorted { $0.name < $1.name }
                .map { Option(value: String($0.id), label: $0.name, selected: String($0.id) == values["districtId"]) },
            agencies: try await services.directory.agencies().filter { $0.id != principal.agencyId && $0.isActive(on: CalendarDate(Date())) }
                .map { Option(value: String($0.id), label: $0.name, selected: shared.contains($0.id)) },
            risks: VictimRisk.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (values["risk"] ?? "standard")) },
            categories: ASBCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["incident_category"]) },
            channels: ReportingChannel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["incident_channel"]) },
            preferences: ContactPreference.allCases.map {
                Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["complainant_contactPreference"])
            },
            form: values, similar: similar, hasSimilar: !similar.isEmpty)
        return try await services.page("asb/new", context, title: "Open an ASB case", page: model, errors: errors,
                                       classification: .officialSensitivePersonal)
    }

    func newCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, _) = try await principalAndFilter(context)
        return try await intakeForm(context, principal: principal, form: nil)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        let input: ASBCaseInput
        do {
            input = try ASBRules.newCase(form.fields, sharedWith: form.int64s("sharedWith"), owningAgencyId: principal.agencyId,
                                         today: CalendarDate(Date()))
        } catch {
            return try await intakeForm(context, principal: principal, form: form, errors: error.issues)
        }
        try await services.requireCreate(principal, CaseAccessFacts(caseType: .asb, owningAgencyId: principal.agencyId,
                                                                    classification: input.record.classification), filter: filter, context)
        if form["confirmNoExistingCase"] != "true" {
            let similar = try await services.asb.similarCases(complainantName: input.complainant.name, perpetratorName: input.perpetrator.name,
                                                              postcode: input.incident.details.postcode ?? input.complainant.postcode,
                                                              filter: filter, audit: context.audit)
            if !similar.isEmpty { return try await intakeForm(context, principal: principal, form: form, similar: similar) }
        }
        do {
            let id = try await services.asb.create(input, createdBy: principal.userId, audit: context.audit)
            return .seeOther("/asb/cases/\(id)")
        } catch let error as ValidationError {
            return try await intakeForm(context, principal: principal, form: form, errors: error.issues)
        }
    }

    // MARK: One case

    struct ShowModel {
        struct Party {
            let id: Int64
            let role: String
            let name: String
            let contact: String
            let vulnerable: Bool
            let vulnerabilityNotes: String
        }

        struct Event {
            let date: String
            let kind: String
            let heading: String
            let detail: String
            let reports: [String]
            /// The page that corrects or removes the event (incidents only).
            let editHref: String?
        }

        let record: CaseRecord
        let classification: String
        let status: String
        let risk: String
        let outcome: String
        let repeatVictim: Bool
        let vulnerableVictim: Bool
        let promptOpen: Bool
        let promptRaised: String
        let promptExplained: String
        let agency: String
        let leadOfficer: String
        let district: String
        let sharedWith: [String]
        let complainants: [Party]
        let perpetrators: [Party]
        let timeline: [Event]
        let incidentOptions: [Option]
        let complainantOptions: [Option]
        let agencyOptions: [Option]
        let categories: [Option]
        let channels: [Option]
        let actionTypes: [Option]
        let statuses: [Option]
        let outcomes: [Option]
        let risks: [Option]
        let officers: [Option]
        let preferences: [Option]
        let today: String
        let form: [String: String]
        let canSeeViewers: Bool
        /// The owning agency and the agencies the case is shared with record on it; others who may see it (through
        /// an information-sharing agreement) are not offered the forms.
        let mayUpdate: Bool
    }

    private func showPage(id: Int64, _ context: AppRequestContext, principal: Principal, filter: VisibilityFilter, form: Form? = nil,
                          errors: [FieldIssue] = [], notice: String? = nil) async throws -> Response {
        guard let found = try await services.asb.load(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        let names = try await DirectoryNames.load(services)
        func party(_ p: ASBParty) -> ShowModel.Party {
            ShowModel.Party(id: p.id, role: p.role.rawValue, name: p.displayName,
                            contact: [p.address, p.postcode, p.phone, p.email, p.contactPreference.map { "prefers \($0.label.lowercased())" }]
                                .compactMap { $0 }.joined(separator: ", "),
                            vulnerable: p.isVulnerable, vulnerabilityNotes: p.vulnerabilityNotes ?? "")
        }
        let parties = Dictionary(grouping: found.parties, by: \.role)
        let mayUpdate = AccessPolicy.decide(principal, .update, found.record.accessFacts, filter: filter) == .allowed
        var timeline: [(CalendarDate, Int64, ShowModel.Event)] = found.incidents.map { incident in
            (incident.occurredOn, incident.id, ShowModel.Event(
                date: incident.occurredOn.long + (incident.occurredAt.map { " \($0)" } ?? ""), kind: "Incident",
                heading: incident.category.label + (incident.isHateMotivated ? " (hate-motivated)" : "")
                    + ([incident.address, incident.postcode].compactMap { $0 }.isEmpty ? "" : " at " + [incident.address, incident.postcode].compactMap { $0 }.joined(separator: ", ")),
                detail: incident.description,
                reports: incident.reports.map { report in
                    "Reported to \(names.agencies[report.agencyId] ?? "agency \(report.agencyId)") on \(report.reportedOn.long) by \(report.channel.label.lowercased())"
                        + (report.complainantId.flatMap { id in found.parties.first { $0.id == id }?.displayName }.map { " (\($0))" } ?? "")
                },
                editHref: mayUpdate ? "/asb/cases/\(found.record.id)/incidents/\(incident.id)" : nil))
        }
        timeline += found.actions.map { action in
            (action.takenOn, action.id, ShowModel.Event(date: action.takenOn.long, kind: "Action",
                                                        heading: "\(action.type.label) by \(names.agencies[action.agencyId] ?? "an agency")",
                                                        detail: [action.reason.map { "Why: \($0)" }, action.notes].compactMap { $0 }.joined(separator: ". "),
                                                        reports: [], editHref: nil))
        }
        let values = form?.redisplay ?? [:]
        let model = ShowModel(
            record: found.record, classification: found.record.classification.marking, status: found.status.label,
            risk: found.risk.label, outcome: found.outcome?.label ?? "None yet", repeatVictim: found.isRepeatVictim,
            vulnerableVictim: found.isVulnerableVictim, promptOpen: found.isPromptOpen, promptRaised: found.promptRaisedOn?.long ?? "",
            promptExplained: found.promptExplainedOn?.long ?? "Not yet", agency: names.agencies[found.record.owningAgencyId] ?? "",
            leadOfficer: found.leadOfficerId.flatMap { names.users[$0] } ?? "Not assigned",
            district: found.districtId.flatMap { names.districts[$0] } ?? "Not recorded",
            sharedWith: found.record.sharedWith.sorted().compactMap { names.agencies[$0] },
            complainants: (parties[.complainant] ?? []).map(party), perpetrators: (parties[.perpetrator] ?? []).map(party),
            timeline: timeline.sorted { ($0.0, $0.1) > ($1.0, $1.1) }.map(\.2),
            incidentOptions: found.incidents.map { Option(value: String($0.id), label: "\($0.occurredOn.long): \($0.category.label)", selected: false) },
            complainantOptions: (parties[.complainant] ?? []).map { Option(value: String($0.id), label: $0.displayName, selected: false) },
            agencyOptions: names.agencies.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: false) },
            categories: ASBCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            channels: ReportingChannel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            actionTypes: ASBActionType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["type"]) },
            statuses: ASBCaseStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == found.status) },
            outcomes: ASBOutcome.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == found.outcome) },
            risks: VictimRisk.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == found.risk) },
            officers: names.users.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: $0.key == found.leadOfficerId) },
            preferences: ContactPreference.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            today: CalendarDate(Date()).iso, form: values, canSeeViewers: AccessPolicy.may(principal, .readAuditLog),
            mayUpdate: mayUpdate)
        return try await services.page("asb/show", context, title: "\(found.record.reference): \(found.record.title)", page: model,
                                       errors: errors, notice: notice, classification: found.record.classification)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        return try await showPage(id: try APIRoutes.id(context), context, principal: principal, filter: filter,
                                  notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    /// Reads the form, runs `change`, and answers with the case again: redirected on success, or the page with the
    /// errors (and what was typed) when the input or the version was refused.
    private func change(_ request: Request, _ context: AppRequestContext,
                        _ body: (Form, Int64, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        return try await Form.post(request, context, success: "/asb/cases/\(id)?saved=1", staleField: "status") { form in
            try await body(form, id, principal, filter)
        } refused: { form, issues in
            try await showPage(id: id, context, principal: principal, filter: filter, form: form, errors: issues)
        }
    }

    func addIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            let input = try ASBRules.incident(form.fields, reportingAgencyId: principal.agencyId, today: CalendarDate(Date()))
            try await services.asb.addIncident(caseId: id, complainantId: form.int64("complainantId"), input, principal: principal,
                                               filter: filter, audit: context.audit)
        }
    }

    // MARK: Correcting an incident

    struct IncidentModel {
        let record: CaseRecord
        let incident: ASBIncident
        let reports: [String]
        let form: [String: String]
        let categories: [Option]
        let districts: [Option]
        let hateMotivated: Bool
    }

    /// The correction form for one incident, filled with what is recorded (or, after a refusal, what was typed).
    private func incidentPage(caseId: Int64, incidentId: Int64, _ context: AppRequestContext, filter: VisibilityFilter,
                              form: Form? = nil, errors: [FieldIssue] = []) async throws -> Response {
        guard let found = try await services.asb.load(id: caseId, filter: filter, audit: context.audit),
              let incident = found.incidents.first(where: { $0.id == incidentId }) else { throw AppError.notFound }
        let names = try await DirectoryNames.load(services)
        let recorded: [String: String] = [
            "occurredOn": incident.occurredOn.iso, "occurredAt": incident.occurredAt ?? "", "address": incident.address ?? "",
            "postcode": incident.postcode ?? "", "ward": incident.ward ?? "", "description": incident.description,
            "version": String(incident.version),
        ]
        let values = form?.redisplay ?? recorded
        let category = values["category"] ?? incident.category.rawValue
        let district = values["districtId"] ?? incident.districtId.map(String.init) ?? ""
        let model = IncidentModel(
            record: found.record, incident: incident,
            reports: incident.reports.map { "\(names.agencies[$0.agencyId] ?? "Agency \($0.agencyId)") on \($0.reportedOn.long)" },
            form: values.merging(["version": values["version"] ?? String(incident.version)]) { current, _ in current },
            categories: ASBCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == category) },
            districts: names.districts.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value,
                                                                                   selected: String($0.key) == district) },
            hateMotivated: form.map { $0.bool("isHateMotivated") } ?? incident.isHateMotivated)
        return try await services.page("asb/incident", context, title: "Correct an incident: \(found.record.reference)", page: model,
                                       errors: errors, classification: found.record.classification)
    }

    func incident(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        return try await incidentPage(caseId: try APIRoutes.id(context), incidentId: try ASBAPI.incidentId(context), context, filter: filter)
    }

    /// Runs a correction or removal of an incident; refusals show the incident form again with what was typed.
    private func changeIncident(_ request: Request, _ context: AppRequestContext,
                                _ body: (Form, Int64, Int64, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        let incidentId = try ASBAPI.incidentId(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            try await body(form, id, incidentId, principal, filter)
            return .seeOther("/asb/cases/\(id)?saved=1")
        } catch let error as ValidationError {
            return try await incidentPage(caseId: id, incidentId: incidentId, context, filter: filter, form: form, errors: error.issues)
        } catch let error as StaleRecordError {
            return try await incidentPage(caseId: id, incidentId: incidentId, context, filter: filter,
                                          errors: [FieldIssue("version", error.description)])
        }
    }

    func correctIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeIncident(request, context) { form, id, incidentId, principal, filter in
            let correction = try ASBRules.incidentCorrection(form.fields, today: CalendarDate(Date()))
            try await services.asb.correctIncident(caseId: id, incidentId: incidentId, correction, principal: principal, filter: filter,
                                                   audit: context.audit)
        }
    }

    func removeIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeIncident(request, context) { form, id, incidentId, principal, filter in
            do {
                try await services.asb.removeIncident(caseId: id, incidentId: incidentId, reason: form["removalReason"] ?? "",
                                                      principal: principal, filter: filter, audit: context.audit)
            } catch let error as ValidationError {
                // The removal form names its reason field apart from the correction form's.
                throw ValidationError(error.issues.map { FieldIssue($0.field == "reason" ? "removalReason" : $0.field, $0.message) })
            }
        }
    }

    func addReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            var v = Validator()
            let incident = form.int64("incidentId")
            if incident == nil { v.add("incidentId", "Choose the incident") }
            let agency = form.int64("agencyId")
            if agency == nil { v.add("agencyId", "Choose the agency it was reported to") }
            let reportedOn = v.date(form["reportedOn"], field: "reportedOn", label: "the date it was reported", required: true)
            if let reportedOn, reportedOn > CalendarDate(Date()) { v.add("reportedOn", "The date it was reported cannot be in the future") }
            let channel = form["channel"].flatMap(ReportingChannel.init(rawValue:))
            if channel == nil { v.add("channel", "Choose how it was reported") }
            try v.check()
            try await services.asb.addReport(caseId: id, incidentId: incident!, agencyId: agency!, complainantId: form.int64("complainantId"),
                                             reportedOn: reportedOn!, channel: channel!, reference: form["reference"].flatMap { $0.isEmpty ? nil : $0 },
                                             principal: principal, filter: filter, audit: context.audit)
        }
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            let input = try ASBRules.action(form.fields, agencyId: principal.agencyId, today: CalendarDate(Date()))
            try await services.asb.addAction(caseId: id, input, principal: principal, filter: filter, audit: context.audit)
        }
    }

    func addParty(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            guard let role = form["role"].flatMap(ASBParty.Role.init(rawValue:)) else {
                throw ValidationError(field: "role", "Choose complainant or alleged perpetrator")
            }
            // The form names its fields "person.*" whichever role is chosen; the rules read "<role>.*".
            var fields: [String: String] = [:]
            for (name, value) in form.fields where name.hasPrefix("person.") { fields[role.rawValue + name.dropFirst("person".count)] = value }
            let input: PartyInput
            do {
                input = try ASBRules.party(fields, role: role)
            } catch let error as ValidationError {
                throw ValidationError(error.issues.map { FieldIssue("person." + $0.field.split(separator: ".").dropFirst().joined(separator: "."),
                                                                    $0.message) })
            }
            try await services.asb.addParty(caseId: id, input, principal: principal, filter: filter, audit: context.audit)
        }
    }

    func updateStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            var v = Validator()
            let status = form["status"].flatMap(ASBCaseStatus.init(rawValue:))
            if status == nil { v.add("status", "Choose the status") }
            let risk = form["risk"].flatMap(VictimRisk.init(rawValue:))
            if risk == nil { v.add("risk", "Choose the risk to the victim") }
            let outcome = form["outcome"].flatMap(ASBOutcome.init(rawValue:))
            if status == .closed, outcome == nil { v.add("outcome", "Record the outcome when closing a case") }
            try v.check()
            try await services.asb.updateCase(caseId: id, expectedVersion: try form.version(), status: status!, outcome: outcome, risk: risk!,
                                              leadOfficerId: form.int64("leadOfficerId"), principal: principal, filter: filter,
                                              audit: context.audit)
        }
    }

    func explainPrompt(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal, filter in
            var v = Validator()
            let date = v.date(form["explainedOn"], field: "explainedOn", label: "the date it was explained", required: true)
            if let date, date > CalendarDate(Date()) { v.add("explainedOn", "The date cannot be in the future") }
            try v.check()
            try await services.asb.recordPromptExplained(caseId: id, on: date!, principal: principal, filter: filter, audit: context.audit)
        }
    }
}
