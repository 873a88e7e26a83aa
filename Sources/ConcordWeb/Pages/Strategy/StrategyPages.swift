import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Everything about one agreement that its pages, appendix and API read.
struct AgreementData {
    let agreement: Agreement
    let versions: [AgreementVersion]
    let topics: [Topic]
    let measures: [Measure]
    let values: [MeasureValue]
    let commentary: [Commentary]
    let aims: [Aim]
    let actions: [PlanAction]

    static func load(_ services: Services, id: Int64) async throws -> AgreementData {
        let store = services.strategy
        guard let agreement = try await store.agreements().first(where: { $0.id == id }) else { throw AppError.notFound }
        return AgreementData(agreement: agreement, versions: try await store.versions(agreementId: id), topics: try await store.topics(agreementId: id),
                             measures: try await store.measures(agreementId: id), values: try await store.values(agreementId: id),
                             commentary: try await store.commentary(agreementId: id), aims: try await store.aims(agreementId: id),
                             actions: try await store.actions(agreementId: id))
    }

    func appendix(on date: CalendarDate, agencyNames: [Int64: String], includePractitionerOnly: Bool, tolerance: Double) -> StrategyAppendix {
        StrategyAppendix.build(agreement: agreement, topics: topics, measures: measures, values: values, commentary: commentary, aims: aims,
                               actions: actions, agencyNames: agencyNames, on: date, includePractitionerOnly: includePractitionerOnly,
                               defaultTolerance: tolerance)
    }
}

/// The Community Safety Agreement in the browser: agreements with their versions, priorities, themes and the
/// inputs to a refresh; the action plan, which partners update for their own agency; the performance measures
/// with their values, CSV upload and trend charts; and the "CSA Performance Monitoring" appendix for a date, as a
/// printable page, as CSV, for the public without practitioner-only data, and attached to a meeting's agenda item.
struct StrategyPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/strategy", use: index)
        router.post("/strategy", use: createAgreement)
        router.get("/strategy/{id}", use: show)
        router.post("/strategy/{id}/versions", use: addVersion)
        router.post("/strategy/{id}/versions/{versionId}/status", use: setStatus)
        router.post("/strategy/{id}/topics", use: addTopic)
        router.post("/strategy/{id}/topics/lineage", use: addLineage)
        router.post("/strategy/{id}/topics/lead", use: setLead)
        router.post("/strategy/{id}/assessments", use: addAssessment)
        router.post("/strategy/{id}/morile", use: setMoRiLE)
        router.post("/strategy/{id}/horizon", use: addHorizon)
        router.get("/strategy/{id}/plan", use: plan)
        router.post("/strategy/{id}/plan/aims", use: addAim)
        router.post("/strategy/{id}/plan/actions", use: addAction)
        router.post("/strategy/{id}/plan/actions/{actionId}/progress", use: recordProgress)
        router.get("/strategy/{id}/measures", use: measures)
        router.post("/strategy/{id}/measures", use: addMeasure)
        router.post("/strategy/{id}/measures/values", use: addValue)
        router.post("/strategy/{id}/measures/upload", use: uploadValues)
        router.post("/strategy/{id}/measures/commentary", use: addCommentary)
        router.post("/strategy/{id}/measures/restatements", use: restateBaseline)
        router.post("/strategy/{id}/measures/retire", use: retireMeasure)
        router.get("/strategy/{id}/appendix", use: appendix)
        router.get("/strategy/{id}/appendix.csv", use: appendixCSV)
        router.post("/strategy/{id}/appendix/attach", use: attachAppendix)
        router.get("/public/strategy/{id}/appendix", use: publicAppendix)
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    private func tolerance() async throws -> Double {
        Double(try await services.settings.values().int(PartnershipSettings.strategyRAGTolerance))
    }

    private func agencyNames() async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
    }

    /// The date an appendix or the "changed since" view is for: `?on=` (or `?since=`), else a default.
    private func date(_ request: Request, _ name: String, default fallback: CalendarDate) throws -> CalendarDate {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else { return fallback }
        guard let date = CalendarDate(iso: text) else { throw AppError.invalid([FieldIssue(name, "\(name) must be a date like 2014-07-08")]) }
        return date
    }

    // MARK: Agreements

    struct IndexModel {
        struct Row {
            let id: Int64
            let title: String
            let period: String
            let version: String?
        }

        let rows: [Row]
        let mayManage: Bool
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context)
    }

    private func indexPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        var rows: [IndexModel.Row] = []
        for agreement in try await services.strategy.agreements().reversed() {
            let latest = try await services.strategy.versions(agreementId: agreement.id).last
            rows.append(.init(id: agreement.id, title: agreement.title,
                              period: "From \(agreement.startsOn.long)" + (agreement.endsOn.map { " to \($0.long)" } ?? ""),
                              version: latest.map { "Version \($0.number), \($0.status.rawValue), effective \($0.effectiveOn.long)" }))
        }
        return try await services.page("strategy/index", context, title: "Community Safety Agreements",
                                       page: IndexModel(rows: rows, mayManage: AccessPolicy.may(principal, .manageStrategy)), errors: errors)
    }

    func createAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        return try await Form.post(request, context, success: "/strategy", staleField: "title") { form in
            var v = Validator()
            let starts = v.date(form["startsOn"], field: "startsOn", label: "the start date", required: true)
            let ends = v.date(form["endsOn"], field: "endsOn", label: "the end date")
            try v.check()
            try await services.strategy.createAgreement(title: form["title"] ?? "", startsOn: starts!, endsOn: ends, audit: context.audit)
        } refused: { _, issues in
            try await indexPage(context, errors: issues)
        }
    }

    struct ShowModel {
        struct VersionRow {
            let id: Int64
            let number: String
            let effective: String
            let status: String
            let changes: [String]
            let draft: Bool
            let approved: Bool
            let version: Int
        }

        struct TopicRow {
            let name: String
            let lead: String
            let tbc: Bool
            let includes: String?
            let lineage: String?
            let pcp: String?
            let retired: Bool
        }

        struct ListView {
            let label: String
            let items: [String]
        }

        struct TallyRow {
            let issue: String
            let count: Int
        }

        let id: Int64
        let title: String
        let versions: [VersionRow]
        let warnings: [String]
        let priorities: [TopicRow]
        let themes: [TopicRow]
        let lists: [ListView]
        let tallyVersion: String?
        let tally: [TallyRow]
        let responding: Int
        let morile: [MoRiLEScore]
        let horizon: [ListView]
        let mayManage: Bool
        let kinds: [Option]
        let topicOptions: [Option]
        let priorityOptions: [Option]
        let lineageKinds: [Option]
        let csps: [Option]
        let categories: [Option]
        let classifications: [Option]
        /// Agenda items of meetings from a month ago on, to attach the appendix to.
        let agendaItems: [Option]
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showPage(try APIRoutes.id(context), context)
    }

    private func showPage(_ id: Int64, _ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let data = try await AgreementData.load(services, id: id)
        let names = Dictionary(uniqueKeysWithValues: data.topics.map { ($0.id, $0.name) })
        let year = data.versions.last?.effectiveOn.year ?? today.year
        func row(_ topic: Topic) -> ShowModel.TopicRow {
            ShowModel.TopicRow(
                name: topic.name, lead: topic.lead, tbc: topic.kind == .priority && topic.leadRole == nil,
                includes: topic.includes.isEmpty ? nil : topic.includes.joined(separator: ", "),
                lineage: topic.lineage.isEmpty ? nil : topic.lineage.map { event in
                    "\(event.kind.rawValue.capitalized) \(event.year)" + (event.relatedTopicIds.isEmpty ? "" : " ("
                        + (event.kind == .retired ? "into " : "from ") + event.relatedTopicIds.compactMap { names[$0] }.joined(separator: ", ") + ")")
                }.joined(separator: "; "),
                pcp: topic.policeAndCrimePlanLinks.isEmpty ? nil : topic.policeAndCrimePlanLinks.joined(separator: ", "),
                retired: !topic.isActive(in: year))
        }
        let latest = data.versions.last
        var entries: [AssessmentEntry] = [], horizon: [HorizonItem] = [], morile: [MoRiLEScore] = []
        if let latest {
            entries = try await services.strategy.assessments(versionId: latest.id)
            horizon = try await services.strategy.horizon(versionId: latest.id)
            morile = try await services.strategy.morile(versionId: latest.id)
        }
        let tally = StrategyRules.tally(entries)
        let lists = try await services.strategy.lists(agreementId: id)
        var agendaItems: [Option] = []
        for meeting in try await services.governance.meetings() where meeting.heldOn >= today.adding(days: -31) {
            agendaItems += try await services.governance.items(meetingId: meeting.id).map {
                Option(value: String($0.id), label: "\(meeting.heldOn.long): \($0.code) \($0.title)", selected: false)
            }
        }
        let model = ShowModel(
            id: id, title: data.agreement.title,
            versions: data.versions.reversed().map { version in
                ShowModel.VersionRow(id: version.id, number: version.number, effective: version.effectiveOn.long, status: version.status.rawValue.capitalized,
                                     changes: version.changes.map { "\($0.section): \($0.text)" + ($0.toBeUpdated ? " (to be updated)" : "") },
                                     draft: version.status == .draft, approved: version.status == .approved, version: version.version)
            },
            warnings: latest.map { StrategyRules.publicationWarnings(priorities: data.topics.filter { $0.isActive(in: year) }, version: $0) } ?? [],
            priorities: data.topics.filter { $0.kind == .priority }.map(row), themes: data.topics.filter { $0.kind == .theme }.map(row),
            lists: AgreementListKind.allCases.compactMap { kind in lists[kind].map { ShowModel.ListView(label: kind.label, items: $0) } },
            tallyVersion: latest.map { "version \($0.number)" }, tally: tally.rows.map { .init(issue: $0.issue, count: $0.count) },
            responding: tally.responding, morile: StrategyRules.ranked(morile),
            horizon: PESTELOCategory.allCases.compactMap { category in
                let items = horizon.filter { $0.category == category }.map(\.text)
                return items.isEmpty ? nil : ShowModel.ListView(label: category.label, items: items)
            },
            mayManage: AccessPolicy.may(principal, .manageStrategy),
            kinds: TopicKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            topicOptions: data.topics.map { Option(value: String($0.id), label: "\($0.name) (\($0.kind.label.lowercased()))", selected: false) },
            priorityOptions: data.topics.filter { $0.kind == .priority }.map { Option(value: String($0.id), label: $0.name, selected: false) },
            lineageKinds: LineageKind.allCases.filter { $0 != .created }.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            csps: try await services.directory.cspAreas().map { Option(value: String($0.id), label: $0.name, selected: false) },
            categories: PESTELOCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            classifications: AssessmentClassification.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "-", with: " "),
                                                                            selected: false) },
            agendaItems: agendaItems)
        return try await services.page("strategy/show", context, title: data.agreement.title, page: model, errors: errors)
    }

    /// A change to an agreement by the working group or the Kent Community Safety Team.
    private func change(_ request: Request, _ context: AppRequestContext, to page: String = "", staleField: String,
                        _ body: @escaping (Form, Int64) async throws -> Void) async throws -> Response {
        _ = try await services.require(.manageStrategy, context)
        let id = try APIRoutes.id(context)
        return try await Form.post(request, context, success: "/strategy/\(id)\(page)", staleField: staleField) { form in
            try await body(form, id)
        } refused: { _, issues in
            switch page {
            case "/plan": try await planPage(id, context, since: nil, errors: issues)
            case "/measures": try await measuresPage(id, context, errors: issues)
            default: try await showPage(id, context, errors: issues)
            }
        }
    }

    func addVersion(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "number") { form, id in
            var v = Validator()
            let effective = v.date(form["effectiveOn"], field: "effectiveOn", label: "the effective date", required: true)
            try v.check()
            let changes = (form["changes"] ?? "").split(separator: "\n").map { line -> VersionChange in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let text = parts.count > 1 ? parts[1] : parts[0]
                return VersionChange(section: parts.count > 1 ? parts[0] : "General", text: text, toBeUpdated: text.lowercased().contains("to be updated"))
            }.filter { !$0.text.isEmpty }
            try await services.strategy.addVersion(agreementId: id, number: form["number"] ?? "", effectiveOn: effective!, status: .draft,
                                                   changes: changes, audit: context.audit)
        }
    }

    func setStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let versionId = context.parameters.get("versionId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, staleField: "acknowledgeWarnings") { form, _ in
            guard let status = VersionStatus(rawValue: form["status"] ?? "") else { throw ValidationError(field: "status", "Choose approved or published") }
            try await services.strategy.setStatus(versionId: versionId, expectedVersion: try form.version(), to: status,
                                                  acknowledgingWarnings: form.bool("acknowledgeWarnings"), audit: context.audit)
        }
    }

    func addTopic(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "name") { form, id in
            guard let kind = TopicKind(rawValue: form["kind"] ?? "") else { throw ValidationError(field: "kind", "Choose priority or cross-cutting theme") }
            guard let year = form["year"].flatMap({ Int($0) }), (2000...2100).contains(year) else {
                throw ValidationError(field: "year", "Enter the year it was introduced, like 2023")
            }
            let lead = form["leadRole"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.uppercased() == "TBC" ? nil : $0 }
            func list(_ name: String) -> [String] {
                (form[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            try await services.strategy.addTopic(Topic(id: 0, agreementId: id, kind: kind, name: form["name"] ?? "", includes: list("includes"),
                                                       leadRole: lead, leadPerson: form["leadPerson"].flatMap { $0.isEmpty ? nil : $0 },
                                                       policeAndCrimePlanLinks: list("pcpLinks"), lineage: [LineageEvent(kind: .created, year: year)]),
                                                 audit: context.audit)
        }
    }

    /// Records what a refresh did to a priority or theme: renamed, expanded, split, merged or retired (with the
    /// topics it came from or went into).
    func addLineage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "lineage") { form, id in
            let topics = try await services.strategy.topics(agreementId: id)
            guard let topicId = form.int64("topicId"), topics.contains(where: { $0.id == topicId }) else {
                throw ValidationError(field: "lineage", "Choose the priority or theme")
            }
            guard let kind = LineageKind(rawValue: form["lineageKind"] ?? ""), kind != .created else {
                throw ValidationError(field: "lineage", "Choose what happened: renamed, expanded, split, merged or retired")
            }
            guard let year = form["lineageYear"].flatMap({ Int($0) }), (2000...2100).contains(year) else {
                throw ValidationError(field: "lineage", "Enter the year of the refresh, like 2022")
            }
            let related = form.int64s("relatedTopicIds").filter { related in topics.contains { $0.id == related } && related != topicId }
            try await services.strategy.addLineage(topicId: topicId, LineageEvent(kind: kind, year: year, relatedTopicIds: related,
                                                                                  note: form["lineageNote"].flatMap { $0.isEmpty ? nil : $0 }),
                                                   audit: context.audit)
        }
    }

    /// Names a priority's lead (a role, and the person now in it), or leaves it TBC.
    func setLead(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "lead") { form, id in
            guard let topicId = form.int64("priorityId"), try await services.strategy.topics(agreementId: id).contains(where: { $0.id == topicId }) else {
                throw ValidationError(field: "lead", "Choose the priority")
            }
            let role = form["leadRole"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.uppercased() == "TBC" ? nil : $0 }
            try await services.strategy.setLead(topicId: topicId, role: role, person: role == nil ? nil : form["leadPerson"].flatMap { $0.isEmpty ? nil : $0 },
                                                audit: context.audit)
        }
    }

    private func latestVersion(_ id: Int64) async throws -> AgreementVersion {
        guard let version = try await services.strategy.versions(agreementId: id).last else {
            throw ValidationError(field: "version", "Add a version of the agreement first")
        }
        return version
    }

    func addAssessment(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "issue") { form, id in
            guard let csp = form.int64("cspAreaId") else { throw ValidationError(field: "cspAreaId", "Choose the CSP") }
            let classification = AssessmentClassification(rawValue: form["classification"] ?? "") ?? .mainPriority
            try await services.strategy.addAssessment(versionId: try await latestVersion(id).id, cspAreaId: csp, issue: form["issue"] ?? "",
                                                      classification: classification, isAgreed: form.bool("isAgreed"), audit: context.audit)
        }
    }

    func setMoRiLE(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "element") { form, id in
            var v = Validator()
            var scores: [String: Int] = [:]
            for name in ["threat", "risk", "harm"] {
                if let value = form[name].flatMap({ Int($0) }) { scores[name] = value } else { v.add(name, "Enter the \(name) score as a whole number") }
            }
            try v.check()
            try await services.strategy.setMoRiLE(versionId: try await latestVersion(id).id,
                                                  MoRiLEScore(element: form["element"] ?? "", threat: scores["threat"]!, risk: scores["risk"]!,
                                                              harm: scores["harm"]!), audit: context.audit)
        }
    }

    func addHorizon(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "text") { form, id in
            guard let category = PESTELOCategory(rawValue: form["category"] ?? "") else { throw ValidationError(field: "category", "Choose the PESTELO category") }
            try await services.strategy.addHorizon(versionId: try await latestVersion(id).id, HorizonItem(category: category, text: form["text"] ?? ""),
                                                   audit: context.audit)
        }
    }

    // MARK: Action plan

    struct PlanModel {
        struct ActionView {
            let id: Int64
            let text: String
            let lead: String?
            let timescale: String?
            let themes: String?
            let status: String?
            let colour: String?
            let progress: String?
            let progressOn: String?
            let history: [String]
            let changed: Bool
            let mayUpdate: Bool
            let version: Int
        }

        struct AimView {
            let number: Int
            let text: String
            let actions: [ActionView]
        }

        struct PriorityView {
            let name: String
            let lead: String
            let aims: [AimView]
        }

        let id: Int64
        let title: String
        let since: String
        let changedCount: Int
        let priorities: [PriorityView]
        let mayManage: Bool
        let statuses: [Option]
        let priorityOptions: [Option]
        let aimOptions: [Option]
        let themeOptions: [Option]
        let agencies: [Option]
        let today: String
    }

    /// The date the working group last met, for "what changed since the last meeting".
    private func lastWorkingGroupMeeting() async throws -> CalendarDate? {
        guard let group = try await services.directory.bodies().first(where: { $0.name.contains("Working Group") }) else { return nil }
        return try await services.governance.meetings(bodyId: group.id).filter { $0.heldOn < today }.last?.heldOn
    }

    func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await planPage(try APIRoutes.id(context), context, since: try date(request, "since", default: try await lastWorkingGroupMeeting()
            ?? today.adding(days: -90)))
    }

    private func planPage(_ id: Int64, _ context: AppRequestContext, since: CalendarDate?, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let since = since ?? today.adding(days: -90)
        let data = try await AgreementData.load(services, id: id)
        let agencies = try await agencyNames()
        let themeNames = Dictionary(uniqueKeysWithValues: data.topics.filter { $0.kind == .theme }.map { ($0.id, $0.name) })
        let year = data.versions.last?.effectiveOn.year ?? today.year
        let sinceInstant = GovernanceRules.startInstant(of: Meeting(id: 0, bodyId: 0, heldOn: since, startsAt: "00:00", venue: nil, publicId: ""))
        var changed = 0
        let priorities: [Topic?] = data.topics.filter { $0.kind == .priority } + (data.aims.contains { $0.priorityId == nil } ? [nil] : [])
        let views = priorities.map { priority in
            PlanModel.PriorityView(name: priority?.name ?? "Miscellaneous — N/A", lead: priority?.lead ?? "N/A", aims: data.aims.filter { $0.priorityId == priority?.id }.map { aim in
                PlanModel.AimView(number: aim.number, text: aim.text, actions: data.actions.filter { $0.aimId == aim.id }.map { action in
                    let latest = action.progress.last
                    let isChanged = action.progress.contains { $0.recordedAt >= sinceInstant }
                    if isChanged { changed += 1 }
                    return PlanModel.ActionView(
                        id: action.id, text: action.text, lead: action.leadAgencyId.flatMap { agencies[$0] }, timescale: action.timescale?.label,
                        themes: action.themeIds.isEmpty ? nil : action.themeIds.compactMap { themeNames[$0] }.joined(separator: ", "),
                        status: latest?.status.label, colour: latest?.status.colour.rawValue, progress: latest?.text, progressOn: latest?.on.long,
                        history: action.progress.dropLast().reversed().map { "\($0.on.long), \($0.status.label): \($0.text)" },
                        changed: isChanged, mayUpdate: AccessPolicy.mayUpdatePlanAction(principal, leadAgencyId: action.leadAgencyId),
                        version: action.version)
                })
            })
        }
        let model = PlanModel(
            id: id, title: data.agreement.title, since: since.iso, changedCount: changed, priorities: views,
            mayManage: AccessPolicy.may(principal, .manageStrategy),
            statuses: ActionStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            priorityOptions: data.topics.filter { $0.kind == .priority && $0.isActive(in: year) }.map { Option(value: String($0.id), label: $0.name, selected: false) },
            aimOptions: data.aims.map { Option(value: String($0.id), label: "\($0.number). \($0.text)", selected: false) },
            themeOptions: data.topics.filter { $0.kind == .theme && $0.isActive(in: year) }.map { Option(value: String($0.id), label: $0.name, selected: false) },
            agencies: agencies.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: false) },
            today: today.iso)
        return try await services.page("strategy/plan", context, title: "Action plan: \(data.agreement.title)", page: model, errors: errors)
    }

    func addAim(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/plan", staleField: "aimText") { form, id in
            do {
                try await services.strategy.addAim(agreementId: id, priorityId: form.int64("priorityId"), number: nil, text: form["aimText"] ?? "",
                                                   audit: context.audit)
            } catch let error as ValidationError {
                throw ValidationError(error.issues.map { $0.field == "text" ? FieldIssue("aimText", $0.message) : $0 })
            }
        }
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/plan", staleField: "text") { form, id in
            guard let aimId = form.int64("aimId") else { throw ValidationError(field: "aimId", "Choose the aim") }
            let timescaleText = form["timescale"] ?? ""
            let timescale = Timescale(timescaleText)
            if !timescaleText.trimmingCharacters(in: .whitespaces).isEmpty, timescale == nil {
                throw ValidationError(field: "timescale", "Enter the timescale as a year (2015), a date (2015-03-31), TBC or Ongoing")
            }
            let year = try await services.strategy.versions(agreementId: id).last?.effectiveOn.year ?? today.year
            try await services.strategy.addAction(aimId: aimId, text: form["text"] ?? "", leadAgencyId: form.int64("leadAgencyId"), timescale: timescale,
                                                  themeIds: form.int64s("themeIds"), year: year, audit: context.audit)
        }
    }

    /// A partner records progress on its own agency's action (the working group and KCST on any).
    func recordProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let id = try APIRoutes.id(context)
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        return try await Form.post(request, context, success: "/strategy/\(id)/plan", staleField: "progress-\(actionId)") { form in
            var v = Validator()
            let on = v.date(form["on"], field: "on", label: "the date of the update", required: true)
            guard let status = ActionStatus(rawValue: form["status"] ?? "") else {
                throw ValidationError(field: "status", "Choose Complete, In Progress or Incomplete")
            }
            try v.check()
            try await services.strategy.recordProgress(actionId: actionId, expectedVersion: try form.version(), on: on!, status: status,
                                                       text: form["text"] ?? "", principal: principal, audit: context.audit)
        } refused: { _, issues in
            try await planPage(id, context, since: nil, errors: issues)
        }
    }

    // MARK: Measures

    struct MeasuresModel {
        struct MeasureView {
            let id: Int64
            let name: String
            let priority: String?
            let geography: String?
            let unit: String
            let polarity: String
            let baseline: String
            let status: String
            let practitionerOnly: Bool
            let latest: String?
            let change: String?
            let difference: String?
            let rag: String?
            let ragClass: String?
            let chartSVG: String?
            let values: [String]
        }

        let id: Int64
        let title: String
        let measures: [MeasureView]
        let mayManage: Bool
        let priorities: [Option]
        let kinds: [Option]
        let measureOptions: [Option]
        let units: [Option]
        let polarities: [Option]
    }

    func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await measuresPage(try APIRoutes.id(context), context)
    }

    private func measuresPage(_ id: Int64, _ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let data = try await AgreementData.load(services, id: id)
        let tolerance = try await tolerance()
        let names = Dictionary(uniqueKeysWithValues: data.topics.map { ($0.id, $0.name) })
        let views = data.measures.map { measure in
            let values = data.values.filter { $0.measureId == measure.id }
            let figures = StrategyRules.figures(for: measure, values: values, on: today, defaultTolerance: tolerance)
            let series = values.filter { $0.period.kind == figures.latest?.period.kind && $0.heading == figures.latest?.heading }
            return MeasuresModel.MeasureView(
                id: measure.id, name: measure.name, priority: measure.priorityId.flatMap { names[$0] }, geography: measure.geography,
                unit: measure.unit.rawValue, polarity: measure.polarity == .higherIsBetter ? "Higher is better" : "Lower is better",
                baseline: measure.baseline.map { "\($0.label): \(StrategyRules.formatValue($0.value, unit: measure.unit))" } ?? "None",
                status: measure.status.label, practitionerOnly: measure.isPractitionerOnly,
                latest: figures.latest.map { "\($0.period.label): \($0.display ?? StrategyRules.formatValue($0.value, unit: measure.unit))" },
                change: figures.previous == nil ? nil : StrategyRules.formatChange(figures.change, unit: measure.unit),
                difference: StrategyRules.formatChange(figures.differenceToBaseline, unit: measure.unit),
                rag: figures.rag?.label, ragClass: figures.rag?.rawValue,
                chartSVG: series.isEmpty ? nil : TrendChart.svg(title: measure.name, series: series.map { ($0.period.label, $0.value) },
                                                                baseline: figures.baseline, unit: measure.unit),
                values: values.map { "\($0.period.kind.label) \($0.period.label)\($0.heading.map { " (\($0))" } ?? ""): "
                    + ($0.display ?? StrategyRules.formatValue($0.value, unit: measure.unit)) + ($0.isUnvalidated ? " (unvalidated)" : "") })
        }
        let model = MeasuresModel(
            id: id, title: data.agreement.title, measures: views, mayManage: AccessPolicy.may(principal, .manageStrategy),
            priorities: data.topics.filter { $0.kind == .priority }.map { Option(value: String($0.id), label: $0.name, selected: false) },
            kinds: PeriodKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            measureOptions: data.measures.map { Option(value: String($0.id), label: $0.name, selected: false) },
            units: MeasureUnit.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            polarities: Polarity.allCases.map { Option(value: $0.rawValue, label: $0 == .higherIsBetter ? "Higher is better" : "Lower is better",
                                                       selected: false) })
        return try await services.page("strategy/measures", context, title: "Performance measures: \(data.agreement.title)", page: model, errors: errors)
    }

    func addMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "name") { form, id in
            var v = Validator()
            let unit = MeasureUnit(rawValue: form["unit"] ?? "")
            if unit == nil { v.add("unit", "Choose count or percentage") }
            let polarity = Polarity(rawValue: form["polarity"] ?? "")
            if polarity == nil { v.add("polarity", "Choose whether higher or lower is better") }
            let kinds = Set(form.all("periodKinds").compactMap(PeriodKind.init))
            let baselineLabel = v.optional(form["baselineLabel"], field: "baseline", label: "the baseline period", maxLength: 40)
            let baselineValue = form["baselineValue"].flatMap { Double($0.replacingOccurrences(of: ",", with: "")) }
            if form["baselineValue"].map({ !$0.isEmpty }) == true, baselineValue == nil { v.add("baseline", "The baseline value must be a number") }
            try v.check()
            let baseline = baselineLabel.flatMap { label in baselineValue.map { Baseline(label: label, value: $0) } }
            try await services.strategy.addMeasure(Measure(id: 0, agreementId: id, priorityId: form.int64("priorityId"), name: form["name"] ?? "",
                                                           geography: form["geography"].flatMap { $0.isEmpty ? nil : $0 }, unit: unit!, polarity: polarity!,
                                                           source: form["source"].flatMap { $0.isEmpty ? nil : $0 }, periodKinds: kinds, baseline: baseline,
                                                           isPractitionerOnly: form.bool("practitionerOnly")), audit: context.audit)
        }
    }

    func addValue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "value") { form, _ in
            let names = ["measure_id": "measureId", "period_kind": "periodKind", "ends_on": "endsOn", "final_due_on": "finalDueOn"]
            let value = try MeasureValuesCSV.value { name in form[names[name] ?? name].flatMap { $0.isEmpty ? nil : $0 } }
            try await services.strategy.addValues([value], audit: context.audit)
        }
    }

    /// Bulk upload of measure values as CSV (a multipart form with the file as `values`): all or nothing.
    func uploadValues(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "values") { form, _ in
            guard let file = form.files["values"] else { throw ValidationError(field: "values", "Choose a CSV file of values") }
            try await services.strategy.addValues(try MeasureValuesCSV.parse(file.bytes), audit: context.audit)
        }
    }

    func addCommentary(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "commentary") { form, _ in
            var v = Validator()
            let on = v.date(form["on"], field: "commentary", label: "the date of the commentary", required: true)
            guard let measureId = form.int64("measureId") else { throw ValidationError(field: "commentary", "Choose the measure") }
            try v.check()
            do {
                try await services.strategy.addCommentary(Commentary(measureId: measureId, on: on!, text: form["text"] ?? "", isNote: form.bool("isNote")),
                                                          audit: context.audit)
            } catch let error as ValidationError {
                throw ValidationError(error.issues.map { FieldIssue("commentary", $0.message) })
            }
        }
    }

    func restateBaseline(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "restatement") { form, _ in
            var v = Validator()
            let on = v.date(form["on"], field: "restatement", label: "the date of the restatement", required: true)
            let value = form["newValue"].flatMap { Double($0.replacingOccurrences(of: ",", with: "")) }
            if value == nil { v.add("restatement", "The new baseline must be a number") }
            guard let measureId = form.int64("measureId") else { throw ValidationError(field: "restatement", "Choose the measure") }
            try v.check()
            do {
                try await services.strategy.restateBaseline(measureId: measureId, newValue: value!, on: on!, note: form["note"] ?? "", audit: context.audit)
            } catch let error as ValidationError {
                throw ValidationError(error.issues.map { FieldIssue("restatement", $0.message) })
            }
        }
    }

    func retireMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, to: "/measures", staleField: "retire") { form, _ in
            guard let measureId = form.int64("measureId") else { throw ValidationError(field: "retire", "Choose the measure") }
            let replacement = form.int64("replacedBy")
            if replacement == measureId { throw ValidationError(field: "retire", "A measure cannot replace itself") }
            try await services.strategy.retireMeasure(id: measureId, replacedBy: replacement, audit: context.audit)
        }
    }

    // MARK: The appendix

    struct AppendixModel {
        struct SectionView {
            let priority: String
            let lead: String
            let measures: [RowView]
            let withheld: String?
            let aims: [AimView]
        }

        struct RowView {
            let name: String
            let geography: String?
            let heading: String
            let baselineLabel: String
            let baseline: String
            let previousLabel: String
            let previous: String
            let latestLabel: String
            let latest: String
            let change: String
            let difference: String
            let rag: String?
            let ragClass: String?
            let status: String?
            let notes: [String]
            let commentary: [String]
            let chartSVG: String?
        }

        struct AimView {
            let number: Int
            let text: String
            let actions: [ActionView]
        }

        struct ActionView {
            let text: String
            let status: String?
            let statusClass: String?
            let progress: String?
            let themes: String?
        }

        let title: String
        let date: String
        let marking: String
        let sections: [SectionView]
        let csvHref: String
    }

    static func appendixModel(_ appendix: StrategyAppendix, marking: String, csvHref: String) -> AppendixModel {
        AppendixModel(
            title: appendix.title, date: appendix.on.long, marking: marking,
            sections: appendix.sections.map { section in
                AppendixModel.SectionView(
                    priority: section.priority, lead: section.lead,
                    measures: section.measures.map { row in
                        AppendixModel.RowView(name: row.name, geography: row.geography, heading: row.heading, baselineLabel: row.baselineLabel,
                                              baseline: row.baseline, previousLabel: row.previousLabel, previous: row.previous, latestLabel: row.latestLabel,
                                              latest: row.latest, change: row.change, difference: row.differenceToBaseline, rag: row.rag?.label,
                                              ragClass: row.rag?.rawValue, status: row.status == .active ? nil : row.status.label, notes: row.notes,
                                              commentary: row.commentary,
                                              chartSVG: row.series.count > 1 ? TrendChart.svg(title: row.name, series: row.series,
                                                                                              baseline: row.baselineValue, unit: row.unit) : nil)
                    },
                    withheld: section.withheld > 0 ? "\(section.withheld) measure\(section.withheld == 1 ? " is" : "s are") practitioner-only data, not for publication." : nil,
                    aims: section.aims.map { aim in
                        AppendixModel.AimView(number: aim.number, text: aim.text, actions: aim.actions.map { action in
                            AppendixModel.ActionView(text: action.text, status: action.status?.label, statusClass: action.status?.colour.rawValue,
                                                     progress: action.progress, themes: action.themes.isEmpty ? nil : action.themes.joined(separator: ", "))
                        })
                    })
            }, csvHref: csvHref)
    }

    private func appendixHTML(_ id: Int64, on date: CalendarDate, practitioner: Bool, csvHref: String) async throws -> (String, StrategyAppendix) {
        let data = try await AgreementData.load(services, id: id)
        let appendix = data.appendix(on: date, agencyNames: try await agencyNames(), includePractitionerOnly: practitioner, tolerance: try await tolerance())
        let marking = Self.appendixClassification(data, practitioner: practitioner).marking
        return (services.templates.renderBare("strategy/appendix", Self.appendixModel(appendix, marking: marking, csvHref: csvHref)) ?? "", appendix)
    }

    /// The appendix is OFFICIAL-SENSITIVE when it shows measures for practitioners only, OFFICIAL otherwise.
    private static func appendixClassification(_ data: AgreementData, practitioner: Bool) -> Classification {
        practitioner && data.measures.contains(where: \.isPractitionerOnly) ? .officialSensitive : .official
    }

    private static func html(_ text: String, cache: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: cache], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func appendix(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let id = try APIRoutes.id(context)
        let on = try date(request, "on", default: today)
        let (html, _) = try await appendixHTML(id, on: on, practitioner: true, csvHref: "/strategy/\(id)/appendix.csv?on=\(on.iso)")
        return Self.html(html, cache: "no-store")
    }

    func publicAppendix(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try APIRoutes.id(context)
        let on = try date(request, "on", default: today)
        let (html, _) = try await appendixHTML(id, on: on, practitioner: false, csvHref: "")
        return Self.html(html, cache: "public, max-age=60")
    }

    func appendixCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let id = try APIRoutes.id(context)
        let on = try date(request, "on", default: today)
        let data = try await AgreementData.load(services, id: id)
        let csv = data.appendix(on: on, agencyNames: try await agencyNames(), includePractitionerOnly: true, tolerance: try await tolerance()).csv
        return CSV.response(csv, classification: Self.appendixClassification(data, practitioner: true), filename: "csa-appendix-\(on.iso).csv")
    }

    /// Attaches the appendix for a date to a meeting's agenda item as its paper (an HTML file Concord wrote).
    func attachAppendix(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        let id = try APIRoutes.id(context)
        var meetingId: Int64 = 0
        let response = try await Form.post(request, context, success: "/strategy/\(id)", staleField: "itemId") { form in
            var v = Validator()
            let on = v.date(form["on"], field: "on", label: "the appendix date", required: true)
            try v.check()
            guard let itemId = form.int64("itemId"), let item = try await services.governance.item(id: itemId) else {
                throw ValidationError(field: "itemId", "Choose the agenda item")
            }
            meetingId = item.meetingId
            let practitioner = item.restriction != nil
            let (html, _) = try await appendixHTML(id, on: on!, practitioner: practitioner, csvHref: "")
            let bytes = Data(html.utf8)
            try await services.governance.addPaper(itemId: itemId, fileName: "csa-performance-monitoring-\(on!.iso).html", bytes: bytes,
                                                   accepted: PaperRules.generatedHTML, pageCount: nil, scanStatus: .clean,
                                                   uploadedBy: context.user?.id, audit: context.audit)
        } refused: { _, issues in
            try await showPage(id, context, errors: issues)
        }
        return response.status == .seeOther ? .seeOther("/meetings/\(meetingId)?saved=1") : response
    }
}
