import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Domestic Homicide Reviews in the browser, for the DHR team and the agencies' leads on review panels: the
/// reviews each may see with their stages, clocks and late actions; one review with its history, action plan,
/// updates and sign-off; the restricted-session status report (a page, and the paper for a restricted agenda
/// item); and the lessons learned with the briefings that cascaded them.
struct DHRPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dhr", use: index)
        router.post("/dhr", use: notify)
        router.get("/dhr/status-report", use: statusReport)
        router.post("/dhr/status-report/attach", use: attachStatusReport)
        router.get("/dhr/lessons", use: lessons)
        router.post("/dhr/lessons", use: addLesson)
        router.post("/dhr/briefings", use: addBriefing)
        router.get("/dhr/{id}", use: show)
        router.post("/dhr/{id}/stages", use: advance)
        router.post("/dhr/{id}/actions", use: addAction)
        router.post("/dhr/{id}/actions/{actionId}/updates", use: addUpdate)
        router.post("/dhr/{id}/sign-off", use: signOff)
        router.post("/dhr/{id}/commissioner", use: recordCommissioner)
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    private func access(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.readDHR, context)
        return (principal, try await services.visibility(for: principal))
    }

    /// The partnership's DHR settings: clock lengths and the escalation ladder.
    struct Settings {
        let decisionMonths: Int
        let completionMonths: Int
        let ladder: [String]
        let stepDays: Int

        static func load(_ services: Services) async throws -> Settings {
            let values = try await services.settings.values()
            return Settings(decisionMonths: values.int(PartnershipSettings.dhrDecisionMonths), completionMonths: values.int(PartnershipSettings.dhrCompletionMonths),
                            ladder: DHRRules.ladder(values.string(PartnershipSettings.dhrEscalationLadder)),
                            stepDays: values.int(PartnershipSettings.dhrEscalationStepDays))
        }
    }

    // MARK: The reviews and the status report

    struct Row {
        let id: Int64
        let reference: String
        let pseudonym: String
        let area: String?
        let notified: String
        let stage: String
        let clocks: [String]
        let overdueClock: Bool
        let lateActions: Int?
        let openActions: Int
    }

    private func rows(_ reviews: [DHRReview], filter: VisibilityFilter, settings: Settings) async throws -> [Row] {
        var rows: [Row] = []
        for review in reviews {
            let actions = try await services.dhr.actions(caseId: review.caseId, filter: filter)
            let clocks = DHRRules.clocks(for: review, decisionMonths: settings.decisionMonths, completionMonths: settings.completionMonths)
            let late = actions.filter { DHRRules.escalation(of: $0, ladder: settings.ladder, stepDays: settings.stepDays, today: today) != nil }.count
            rows.append(Row(id: review.caseId, reference: review.reference, pseudonym: review.pseudonym, area: review.cspArea, notified: review.notifiedOn.long,
                            stage: review.stage.label + (review.isCommissioned == false ? " (not commissioned)" : ""),
                            clocks: clocks.map { "\($0.name): due \($0.due.long)" + ($0.met.map { ", met \($0.long)" } ?? ($0.isOverdue(today: today) ? ", overdue" : "")) },
                            overdueClock: clocks.contains { $0.isOverdue(today: today) }, lateActions: late > 0 ? late : nil,
                            openActions: actions.filter { $0.completedOn == nil }.count))
        }
        return rows
    }

    struct IndexModel {
        let rows: [Row]
        let agencies: [Option]
        let areas: [Option]
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context)
    }

    private func indexPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let (_, filter) = try await access(context)
        let reviews = try await services.dhr.reviews(filter: filter, audit: context.audit)
        let model = IndexModel(rows: try await rows(reviews, filter: filter, settings: try await Settings.load(services)),
                               agencies: try await services.directory.agencies().map { Option(value: String($0.id), label: $0.name, selected: false) },
                               areas: try await services.directory.cspAreas().map { Option(value: $0.name, label: $0.name, selected: false) })
        return try await services.page("dhr/index", context, title: "Domestic Homicide Reviews", page: model, errors: errors,
                                       classification: .officialSensitive)
    }

    func notify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, _) = try await access(context)
        var created: Int64 = 0
        let response = try await Form.post(request, context, success: "/dhr", staleField: "pseudonym") { form in
            var v = Validator()
            let notified = v.date(form["notifiedOn"], field: "notifiedOn", label: "the date of notification", required: true)
            try v.check()
            created = try await services.dhr.notify(DHRStore.Notification(pseudonym: form["pseudonym"] ?? "", cspArea: form["cspArea"].flatMap { $0.isEmpty ? nil : $0 },
                                                                          notifiedOn: notified!, panelAgencyIds: Set(form.int64s("panelAgencyIds"))),
                                                    principal: principal, audit: context.audit)
        } refused: { _, issues in
            try await indexPage(context, errors: issues)
        }
        return response.status == .seeOther ? .seeOther("/dhr/\(created)") : response
    }

    struct ReportModel {
        let date: String
        let rows: [Row]
        let marking: String
    }

    private func statusReportHTML(_ context: AppRequestContext) async throws -> String {
        let (_, filter) = try await access(context)
        let model = ReportModel(date: today.long, rows: try await rows(try await services.dhr.reviews(filter: filter, audit: context.audit), filter: filter,
                                                                      settings: try await Settings.load(services)),
                                marking: Classification.officialSensitivePersonal.marking)
        return services.templates.renderBare("dhr/status-report", model) ?? ""
    }

    /// The restricted-session status report: every review the reader may see, with its stage, clocks and late actions.
    func statusReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: try await statusReportHTML(context))))
    }

    /// Attaches the status report as the paper of a restricted agenda item (never an unrestricted one).
    func attachStatusReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        var meetingId: Int64 = 0
        let response = try await Form.post(request, context, success: "/dhr", staleField: "itemId") { form in
            guard let itemId = form.int64("itemId"), let item = try await services.governance.item(id: itemId) else {
                throw ValidationError(field: "itemId", "Choose the agenda item")
            }
            guard item.restriction != nil else { throw ValidationError(field: "itemId", "The DHR status report goes only to a restricted item") }
            meetingId = item.meetingId
            try await services.governance.addPaper(itemId: itemId, fileName: "dhr-status-report-\(today.iso).html", bytes: Data(try await statusReportHTML(context).utf8),
                                                   accepted: PaperRules.generatedHTML, pageCount: nil, scanStatus: .clean, uploadedBy: context.user?.id,
                                                   audit: context.audit)
        } refused: { _, issues in
            try await indexPage(context, errors: issues)
        }
        return response.status == .seeOther ? .seeOther("/meetings/\(meetingId)?saved=1") : response
    }

    // MARK: One review

    struct ShowModel {
        struct ActionView {
            let id: Int64
            let recommendation: String
            let agency: String
            let action: String
            let due: String
            let done: String?
            let rung: String?
            let updates: [String]
            let mayUpdate: Bool
            let version: Int
        }

        let id: Int64
        let reference: String
        let pseudonym: String
        let area: String?
        let stage: String
        let chair: String?
        let published: String?
        let clocks: [String]
        let history: [String]
        let panel: String
        let actions: [ActionView]
        let nextStage: String?
        let nextStageLabel: String?
        let repeatQA: Bool
        let signedOff: Bool
        let mayAdvance: Bool
        let readyToSignOff: Bool
        let sentToCommissioner: Bool
        let commissionerRecommendationsOn: String?
        let commissionerResponseOn: String?
        let version: Int
        let agencies: [Option]
        let colleagues: [Option]
        let today: String
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showPage(try APIRoutes.id(context), context)
    }

    private func showPage(_ id: Int64, _ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let (principal, filter) = try await access(context)
        guard let review = try await services.dhr.review(caseId: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        let settings = try await Settings.load(services)
        let names = try await DirectoryNames.load(services)
        let isTeam = review.teamAgencyId == principal.agencyId
        let actions = try await services.dhr.actions(caseId: id, filter: filter)
        let next = DHRStage.allCases.first { $0 > review.stage }
        let model = ShowModel(
            id: id, reference: review.reference, pseudonym: review.pseudonym, area: review.cspArea,
            stage: review.stage.label + (review.isCommissioned == false ? " (not commissioned)" : ""), chair: review.independentChair,
            published: review.publishedURL,
            clocks: DHRRules.clocks(for: review, decisionMonths: settings.decisionMonths, completionMonths: settings.completionMonths).map {
                "\($0.name): due \($0.due.long)" + ($0.met.map { ", met \($0.long)" } ?? ($0.isOverdue(today: today) ? " — overdue" : ""))
            },
            history: review.events.map { event in
                "\(event.on.long): \(event.stage.label)" + (event.outcome.map { " (\($0))" } ?? "") + (event.note.map { ". \($0)" } ?? "")
                    + (event.byUserId.map { " — \(names.user($0))" } ?? "")
            },
            panel: review.panelAgencyIds.map { names.agency($0) }.sorted().joined(separator: ", "),
            actions: actions.map { action in
                ShowModel.ActionView(id: action.id, recommendation: action.recommendation, agency: names.agency(action.agencyId), action: action.action,
                                     due: action.dueOn.long, done: action.completedOn?.long,
                                     rung: DHRRules.escalation(of: action, ladder: settings.ladder, stepDays: settings.stepDays, today: today),
                                     updates: action.updates.map { "\($0.on.long): \($0.text)" + ($0.evidence.map { " (evidence: \($0))" } ?? "") },
                                     mayUpdate: action.completedOn == nil && (isTeam || action.agencyId == principal.agencyId), version: action.version)
            },
            nextStage: next == .signedOff ? nil : next?.rawValue, nextStageLabel: next == .signedOff ? nil : next?.label,
            repeatQA: review.stage == .qualityAssurance && review.reached(.qualityAssurance)?.outcome == "resubmit",
            signedOff: review.stage == .signedOff, mayAdvance: isTeam && review.isCommissioned != false,
            readyToSignOff: isTeam && review.stage == .actionPlanMonitored, sentToCommissioner: isTeam && review.stage >= .sentToCommissioner,
            commissionerRecommendationsOn: review.commissionerRecommendationsOn?.iso, commissionerResponseOn: review.commissionerResponseOn?.iso,
            version: review.version,
            agencies: try await services.directory.agencies().map { Option(value: String($0.id), label: $0.name, selected: false) },
            colleagues: try await services.users.users().filter { $0.agencyId == principal.agencyId && $0.roles.contains(.dhrOfficer) && $0.id != principal.userId }
                .map { Option(value: String($0.id), label: $0.displayName, selected: false) },
            today: today.iso)
        return try await services.page("dhr/show", context, title: "\(review.reference) \(review.pseudonym)", page: model, errors: errors,
                                       classification: .officialSensitivePersonal)
    }

    private func change(_ request: Request, _ context: AppRequestContext, staleField: String,
                        _ body: @escaping (Form, Int64, Principal, VisibilityFilter) async throws -> Void) async throws -> Response {
        let (principal, filter) = try await access(context)
        let id = try APIRoutes.id(context)
        return try await Form.post(request, context, success: "/dhr/\(id)", staleField: staleField) { form in
            try await body(form, id, principal, filter)
        } refused: { _, issues in
            try await showPage(id, context, errors: issues)
        }
    }

    func advance(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "stage") { form, id, _, filter in
            var v = Validator()
            let on = v.date(form["on"], field: "on", label: "the date", required: true)
            guard let stage = DHRStage(rawValue: form["stage"] ?? "") else { throw ValidationError(field: "stage", "Choose the stage reached") }
            try v.check()
            try await services.dhr.advance(caseId: id, expectedVersion: try form.version(), to: stage, on: on!,
                                           outcome: form["outcome"].flatMap { $0.isEmpty ? nil : $0 }, note: form["note"].flatMap { $0.isEmpty ? nil : $0 },
                                           filter: filter, audit: context.audit)
        }
    }

    func addAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "recommendation") { form, id, _, filter in
            var v = Validator()
            let due = v.date(form["dueOn"], field: "dueOn", label: "the due date", required: true)
            guard let agency = form.int64("agencyId") else { throw ValidationError(field: "agencyId", "Choose the agency that owns the action") }
            try v.check()
            try await services.dhr.addAction(caseId: id, recommendation: form["recommendation"] ?? "", agencyId: agency, action: form["action"] ?? "",
                                             dueOn: due!, filter: filter, audit: context.audit)
        }
    }

    func addUpdate(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actionId = context.parameters.get("actionId", as: Int64.self) else { throw AppError.notFound }
        return try await change(request, context, staleField: "text") { form, _, principal, filter in
            var v = Validator()
            let on = v.date(form["on"], field: "on", label: "the date of the update", required: true)
            try v.check()
            try await services.dhr.addUpdate(actionId: actionId, expectedVersion: try form.version(), on: on!, text: form["text"] ?? "",
                                             evidence: form["evidence"].flatMap { $0.isEmpty ? nil : $0 }, complete: form.bool("complete"),
                                             principal: principal, filter: filter, audit: context.audit)
        }
    }

    func signOff(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "overrideReason") { form, id, _, filter in
            try await services.dhr.signOff(caseId: id, expectedVersion: try form.version(), on: today,
                                           overrideReason: form["overrideReason"].flatMap { $0.isEmpty ? nil : $0 }, confirmedBy: form.int64("confirmedBy"),
                                           filter: filter, audit: context.audit)
        }
    }

    func recordCommissioner(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "recommendationsOn") { form, id, _, filter in
            var v = Validator()
            let received = v.date(form["recommendationsOn"], field: "recommendationsOn", label: "the date the recommendations arrived", required: true)
            let answered = v.date(form["responseOn"], field: "responseOn", label: "the date of the response")
            try v.check()
            try await services.dhr.recordCommissioner(caseId: id, recommendationsOn: received!, responseOn: answered, filter: filter, audit: context.audit)
        }
    }

    // MARK: Lessons and briefings

    struct LessonsModel {
        struct Theme {
            let theme: String
            let lessons: [String]
        }

        let themes: [Theme]
        let briefings: [String]
    }

    func lessons(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await lessonsPage(context)
    }

    private func lessonsPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let (_, filter) = try await access(context)
        let visible = Set(try await services.dhr.reviews(filter: filter, audit: context.audit).map(\.caseId))
        let lessons = try await services.dhr.lessons().filter { $0.caseId.map { visible.contains($0) } ?? true }
        let grouped = Dictionary(grouping: lessons, by: \.theme)
        let model = LessonsModel(themes: grouped.keys.sorted().map { LessonsModel.Theme(theme: $0, lessons: grouped[$0]!.map(\.text)) },
                                 briefings: try await services.dhr.briefings().map { briefing in
                                     "\(briefing.heldOn.long): \(briefing.title) — \(briefing.attendance) attended"
                                         + (briefing.rating.map { String(format: ", rated %.1f out of 5", $0) } ?? "")
                                         + (briefing.themes.isEmpty ? "" : " (themes: \(briefing.themes.joined(separator: ", ")))")
                                 })
        return try await services.page("dhr/lessons", context, title: "Lessons learned from reviews", page: model, errors: errors,
                                       classification: .officialSensitive)
    }

    func addLesson(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await access(context)
        return try await Form.post(request, context, success: "/dhr/lessons", staleField: "theme") { form in
            try await services.dhr.addLesson(DHRLesson(caseId: nil, theme: form["theme"] ?? "", text: form["lesson"] ?? ""), audit: context.audit)
        } refused: { _, issues in
            try await lessonsPage(context, errors: issues)
        }
    }

    func addBriefing(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await access(context)
        return try await Form.post(request, context, success: "/dhr/lessons", staleField: "title") { form in
            var v = Validator()
            let held = v.date(form["heldOn"], field: "heldOn", label: "the date held", required: true)
            let attendance = Int(form["attendance"] ?? "")
            if attendance == nil { v.add("attendance", "Enter how many attended") }
            let ratingText = form["rating"] ?? ""
            let rating = Double(ratingText)
            if !ratingText.isEmpty, rating == nil { v.add("rating", "The rating is a number out of 5") }
            try v.check()
            try await services.dhr.addBriefing(DHRBriefing(title: form["title"] ?? "", heldOn: held!,
                                                           themes: (form["themes"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                                                               .filter { !$0.isEmpty }, attendance: attendance!, rating: rating), audit: context.audit)
        } refused: { _, issues in
            try await lessonsPage(context, errors: issues)
        }
    }
}
