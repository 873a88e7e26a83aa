import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// ASB Case Review in the browser: applications, the threshold result with every complaint counted or excluded,
/// stage clocks, steps, recommendations, printable letters, and the annual statutory counts.
struct CaseReviewPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/case-reviews", use: list)
        router.get("/case-reviews/new", use: newApplication)
        router.post("/case-reviews", use: create)
        router.get("/case-reviews/counts", use: counts)
        router.get("/case-reviews/counts.csv", use: countsCSV)
        router.get("/case-reviews/{id}", use: show)
        router.post("/case-reviews/{id}/steps", use: step)
        router.get("/case-reviews/{id}/letters/{kind}", use: letter)
    }

    private func principalAndFilter(_ context: AppRequestContext) async throws -> (Principal, VisibilityFilter) {
        let principal = try await services.require(.useCases, context)
        return (principal, try await services.visibility(for: principal))
    }

    private func areaNames() async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await services.directory.cspAreas().map { ($0.id, $0.name) })
    }

    // MARK: List

    struct ListModel {
        struct Row {
            let id: Int64
            let reference: String
            let area: String
            let received: String
            let stage: String
            let threshold: String
        }

        let areas: [Option]
        let rows: [Row]
        let isEmpty: Bool
        let nextHref: String?
        let canSeeCounts: Bool
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let areaId = request.uri.queryParameters["areaId"].flatMap { Int64(String($0)) }
        let page = try await services.caseReviews.list(areaId: areaId, filter: filter,
                                                       cursor: request.uri.queryParameters["cursor"].flatMap { Int64(String($0)) },
                                                       limit: 50, audit: context.audit)
        let areas = try await areaNames()
        let model = ListModel(
            areas: areas.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: $0.key == areaId) },
            rows: page.items.map {
                ListModel.Row(id: $0.caseId, reference: $0.reference, area: areas[$0.areaId] ?? "", received: $0.receivedOn.long,
                              stage: $0.stage.label, threshold: $0.thresholdMet ? "Met" : "Not met")
            },
            isEmpty: page.items.isEmpty,
            nextHref: page.nextCursor.map { "/case-reviews?" + (areaId.map { "areaId=\($0)&" } ?? "") + "cursor=\($0)" },
            canSeeCounts: AccessPolicy.may(principal, .readStatutoryCounts))
        return try await services.page("case-reviews/list", context, title: "ASB Case Review applications", page: model,
                                       classification: .officialSensitivePersonal)
    }

    // MARK: New application

    struct NewModel {
        let areas: [Option]
        let channels: [Option]
        let agencies: [Option]
        let reports: [Option]
        let hasReports: Bool
        /// The complainants' complaints on their other cases within the look-back window.
        let otherReports: [Option]
        let hasOtherReports: Bool
        let lookBackMonths: Int
        let asbCase: String
        let form: [String: String]
        let applicantRows: [ApplicantRow]
    }

    struct ApplicantRow {
        let index: Int
        let name: String
        let isMember: Bool
        let people: [Option]
    }

    private func applicationForm(_ context: AppRequestContext, principal: Principal, filter: VisibilityFilter, asbCase: Int64?,
                                 form: Form?, errors: [FieldIssue] = []) async throws -> Response {
        let values = form?.redisplay ?? [:]
        let chosenReports = Set(form?.int64s("reportIds") ?? [])
        var reports: [Option] = []
        var otherReports: [Option] = []
        var lookBackMonths = 0
        if let asbCase, let found = try await services.asb.load(id: asbCase, filter: filter, audit: context.audit) {
            let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
            for incident in found.incidents {
                for report in incident.reports {
                    let who = report.complainantId.flatMap { id in found.parties.first { $0.id == id }?.displayName } ?? "no complainant"
                    reports.append(Option(value: String(report.id),
                                          label: "\(incident.occurredOn.long), \(incident.category.label): reported to "
                                              + "\(agencies[report.agencyId] ?? "an agency") on \(report.reportedOn.long) by \(who)",
                                          selected: form == nil || chosenReports.contains(report.id)))
                }
            }
            // The same complainants' complaints on other cases count towards the individual threshold too.
            let complainants = found.parties.filter { $0.role == .complainant }.compactMap(\.name).map(ASBRules.matchKey).filter { !$0.isEmpty }
            if !complainants.isEmpty {
                let receivedOn = values["receivedOn"].flatMap(CalendarDate.init(iso:)) ?? CalendarDate(Date())
                lookBackMonths = CaseReviewRules.lookBackMonths(for: values["areaId"].flatMap { Int64($0) }, on: receivedOn,
                                                                from: try await services.caseReviews.ruleSets())
                otherReports = try await services.caseReviews.complaintsInWindow(
                    complainantKeys: complainants, caseIds: [], excludingCase: asbCase, receivedOn: receivedOn, windowMonths: lookBackMonths,
                    filter: filter, audit: context.audit
                ).map { other in
                    Option(value: other.complaint.id,
                           label: "\(other.caseReference): \(other.complaint.behaviourOn.long), \(other.category.label): reported on "
                               + "\(other.complaint.reportedOn.long) by \(other.complainantName ?? "no complainant")",
                           selected: form == nil || chosenReports.contains(Int64(other.complaint.id) ?? 0))
                }
            }
        }
        let people = try await services.directory.people()
        let shared = Set(form?.int64s("sharedWith") ?? [])
        let model = NewModel(
            areas: try await services.directory.cspAreas().map { Option(value: String($0.id), label: $0.name, selected: String($0.id) == values["areaId"]) },
            channels: ApplicationChannel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["channel"]) },
            agencies: try await services.directory.agencies().filter { $0.id != principal.agencyId && $0.isActive(on: CalendarDate(Date())) }
                .map { Option(value: String($0.id), label: $0.name, selected: shared.contains($0.id)) },
            reports: reports, hasReports: !reports.isEmpty, otherReports: otherReports, hasOtherReports: !otherReports.isEmpty,
            lookBackMonths: lookBackMonths, asbCase: asbCase.map(String.init) ?? "", form: values,
            applicantRows: (0..<4).map { index in
                ApplicantRow(index: index, name: values["applicant\(index)_name"] ?? "", isMember: values["applicant\(index)_isMember"] == "true",
                             people: people.map { Option(value: String($0.id), label: $0.name,
                                                         selected: String($0.id) == values["applicant\(index)_personId"]) })
            })
        return try await services.page("case-reviews/new", context, title: "Record an ASB Case Review application", page: model,
                                       errors: errors, classification: .officialSensitivePersonal)
    }

    func newApplication(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        return try await applicationForm(context, principal: principal, filter: filter,
                                         asbCase: request.uri.queryParameters["asbCase"].flatMap { Int64(String($0)) }, form: nil)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        let applicants = (0..<4).compactMap { index -> Applicant? in
            guard let name = form["applicant\(index).name"], !name.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return Applicant(name: name, isMember: form.bool("applicant\(index).isMember"), personId: form.int64("applicant\(index).personId"))
        }
        let typedIds = (form["otherReportIds"] ?? "").split { $0 == "," || $0 == " " }.compactMap { Int64($0) }
        do {
            let input = try CaseReviewRules.application(
                areaId: form.int64("areaId"), knownAreas: Set(try await services.directory.cspAreas().map(\.id)),
                receivedOn: form["receivedOn"], channel: form["channel"], applicants: applicants, onBehalfOf: form["onBehalfOf"],
                reportIds: form.int64s("reportIds") + typedIds, today: CalendarDate(Date()))
            try await services.requireCreate(principal, CaseAccessFacts(caseType: .caseReview, owningAgencyId: principal.agencyId,
                                                                        classification: .officialSensitivePersonal), filter: filter, context)
            let id = try await services.caseReviews.create(input, sharedWith: Set(form.int64s("sharedWith")), principal: principal,
                                                           filter: filter, audit: context.audit)
            return .seeOther("/case-reviews/\(id)")
        } catch let error as ValidationError {
            return try await applicationForm(context, principal: principal, filter: filter, asbCase: form.int64("asbCase"), form: form,
                                             errors: error.issues)
        }
    }

    // MARK: One application

    struct ShowModel {
        struct Clock {
            let name: String
            let start: String
            let limit: Int
            let due: String
            /// The bank holidays and closure days the clock stepped over.
            let notCounted: String?
            let state: String
            let overdue: Bool
        }

        struct Counted {
            let id: String
            let rules: String
        }

        struct Excluded {
            let id: String
            let explanation: String
        }

        struct RecommendationRow {
            let id: Int64
            let text: String
            let owner: String
            let due: String
            let status: String
            let version: Int
            let statuses: [Option]
        }

        let record: CaseRecord
        let area: String
        let received: String
        let channel: String
        let applicants: [String]
        let onBehalfOf: String
        let stage: String
        let thresholdMet: Bool
        let ruleSet: String
        let mostIncidents: Int
        let mostPeople: Int
        let windowStart: String
        let counted: [Counted]
        let excluded: [Excluded]
        let hasExcluded: Bool
        let clocks: [Clock]
        let reviewBody: String
        let finding: String
        let findingReason: String
        let outcome: String
        let wardMemberNoticeOpen: Bool
        let wardMemberNotified: String
        let reviewers: [String]
        let recommendations: [RecommendationRow]
        let atReceived: Bool
        let atUnderReview: Bool
        let canRecommend: Bool
        let canBeDissatisfied: Bool
        let atDissatisfaction: Bool
        let decisionLetter: Bool
        let outcomeLetter: Bool
        let findings: [Option]
        let routes: [Option]
        let agencies: [Option]
        let people: [Option]
        let today: String
        let form: [String: String]
    }

    private func showPage(id: Int64, _ context: AppRequestContext, filter: VisibilityFilter, form: Form? = nil, errors: [FieldIssue] = [],
                          notice: String? = nil) async throws -> Response {
        guard let application = try await services.caseReviews.load(id: id, filter: filter, audit: context.audit) else {
            throw AppError.notFound
        }
        let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let people = try await services.directory.people()
        let peopleNames = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        let clocks = try await services.caseReviewClocks(for: application.dates)
        let threshold = application.threshold
        let model = ShowModel(
            record: application.record, area: try await areaNames()[application.areaId] ?? "", received: application.receivedOn.long,
            channel: application.channel.label,
            applicants: application.applicants.map { $0.name + ($0.isMember ? " (ward Member)" : "") },
            onBehalfOf: application.onBehalfOf ?? "", stage: application.stage.label, thresholdMet: threshold.met,
            ruleSet: threshold.ruleSet.summary, mostIncidents: threshold.mostIncidentsByOnePerson, mostPeople: threshold.mostPeopleAboutOneProblem,
            windowStart: threshold.windowStart.long,
            counted: threshold.counted.map { ShowModel.Counted(id: $0.complaintId, rules: $0.rules.map(\.rawValue).joined(separator: ", ")) },
            excluded: threshold.excluded.map { ShowModel.Excluded(id: $0.complaintId, explanation: $0.explanation) },
            hasExcluded: !threshold.excluded.isEmpty,
            clocks: clocks.map {
                ShowModel.Clock(name: $0.name, start: $0.clock.start.long, limit: $0.clock.limit, due: $0.clock.due.long,
                                notCounted: $0.clock.daysNotCountedSummary, state: $0.clock.summary, overdue: $0.clock.isOverdue)
            },
            reviewBody: application.reviewBody.label, finding: application.actionFinding?.label ?? "",
            findingReason: application.actionFindingReason ?? "", outcome: application.reviewOutcome ?? "",
            wardMemberNoticeOpen: application.wardMemberNoticeDue && application.wardMemberNotifiedOn == nil,
            wardMemberNotified: application.wardMemberNotifiedOn?.long ?? "",
            reviewers: application.reviewerPersonIds.compactMap { peopleNames[$0] },
            recommendations: application.recommendations.map { recommendation in
                ShowModel.RecommendationRow(id: recommendation.id, text: recommendation.text, owner: agencies[recommendation.ownerAgencyId] ?? "",
                                            due: recommendation.dueOn.long, status: recommendation.status.label, version: recommendation.version,
                                            statuses: RecommendationStatus.allCases.map {
                                                Option(value: $0.rawValue, label: $0.label, selected: $0 == recommendation.status)
                                            })
            },
            atReceived: application.stage == .received, atUnderReview: application.stage == .underReview,
            canRecommend: [.underReview, .reviewed, .dissatisfaction].contains(application.stage),
            canBeDissatisfied: [.thresholdNotMet, .reviewed].contains(application.stage), atDissatisfaction: application.stage == .dissatisfaction,
            decisionLetter: application.initialDecisionOn != nil, outcomeLetter: application.reviewOutcomeOn != nil,
            findings: ActionFinding.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            routes: DissatisfactionRoute.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            agencies: agencies.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: false) },
            people: people.map { Option(value: String($0.id), label: $0.name, selected: false) },
            today: CalendarDate(Date()).iso, form: form?.redisplay ?? [:])
        return try await services.page("case-reviews/show", context, title: "\(application.record.reference): ASB Case Review",
                                       page: model, errors: errors, notice: notice, classification: application.record.classification)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        return try await showPage(id: try APIRoutes.id(context), context, filter: filter,
                                  notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    func step(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (principal, filter) = try await principalAndFilter(context)
        let id = try APIRoutes.id(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            let step = try CaseReviewSteps.parse(form.fields, today: CalendarDate(Date()))
            try await services.caseReviews.record(step, caseId: id, principal: principal, filter: filter, audit: context.audit)
            return .seeOther("/case-reviews/\(id)?saved=1")
        } catch let error as ValidationError {
            return try await showPage(id: id, context, filter: filter, form: form, errors: error.issues)
        } catch let error as DuplicateRecordError {
            return try await showPage(id: id, context, filter: filter, form: form, errors: [FieldIssue(error.field, error.message)])
        } catch let error as StaleRecordError {
            return try await showPage(id: id, context, filter: filter, form: form, errors: [FieldIssue("status", error.description)])
        }
    }

    // MARK: Letters

    struct LetterModel {
        let reference: String
        let date: String
        let applicants: String
        let area: String
        let received: String
        let heading: String
        let paragraphs: [String]
    }

    /// The decision (threshold met or not) and the review outcome, as letters to print and send.
    func letter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, filter) = try await principalAndFilter(context)
        guard let application = try await services.caseReviews.load(id: try APIRoutes.id(context), filter: filter, audit: context.audit)
        else { throw AppError.notFound }
        let area = try await areaNames()[application.areaId] ?? ""
        let threshold = application.threshold
        let model: LetterModel
        switch context.parameters.get("kind") {
        case "decision":
            guard let decided = application.initialDecisionOn else { throw AppError.notFound }
            model = LetterModel(
                reference: application.record.reference, date: decided.long, applicants: application.applicants.map(\.name).joined(separator: ", "),
                area: area, received: application.receivedOn.long, heading: "Your application for an ASB Case Review",
                paragraphs: threshold.met ? [
                    "We received your application on \(application.receivedOn.long). It meets the threshold for an ASB Case Review "
                        + "(\(threshold.ruleSet.summary)).",
                    "The \(application.reviewBody.label.lowercased()) will review how the agencies have responded. We will write to you "
                        + "with the outcome.",
                ] : [
                    "We received your application on \(application.receivedOn.long). It does not meet the threshold for an ASB Case Review "
                        + "(\(threshold.ruleSet.summary)).",
                    "The complaints we counted: \(threshold.counted.count). The most separate incidents complained of by one person: "
                        + "\(threshold.mostIncidentsByOnePerson); the most people complaining about one problem: \(threshold.mostPeopleAboutOneProblem).",
                    "If you are not satisfied with how your application was handled, you can ask for this to be looked at again.",
                ] + (application.initialDecisionNotes.map { [$0] } ?? []))
        case "outcome":
            guard let outcomeOn = application.reviewOutcomeOn else { throw AppError.notFound }
            model = LetterModel(
                reference: application.record.reference, date: outcomeOn.long, applicants: application.applicants.map(\.name).joined(separator: ", "),
                area: area, received: application.receivedOn.long, heading: "The outcome of your ASB Case Review",
                paragraphs: [
                    "The \(application.reviewBody.label.lowercased()) has reviewed the response to the anti-social behaviour you reported.",
                    "Finding: \(application.actionFinding?.label ?? ""). \(application.actionFindingReason ?? "")",
                    application.reviewOutcome ?? "",
                ] + (application.recommendations.isEmpty ? [] : ["Recommendations: "
                    + application.recommendations.map { "\($0.text) (by \($0.dueOn.long))" }.joined(separator: "; ") + "."])
                    + ["If you are not satisfied with how the review was carried out, you can ask for it to be looked at again."])
        default:
            throw AppError.notFound
        }
        return try await services.page("case-reviews/letter", context, title: model.heading, page: model,
                                       classification: application.record.classification)
    }

    // MARK: Statutory counts

    struct CountsModel {
        let year: Int
        let previousYear: Int
        let nextYear: Int
        let rows: [CaseReviewCounts]
        let total: CaseReviewCounts
    }

    func counts(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readStatutoryCounts, context)
        let year = try CaseReviewSteps.year(request.uri.queryParameters["year"].map(String.init))
        let rows = try await services.caseReviews.annualCounts(year: year)
        let total = CaseReviewCounts(areaId: 0, areaName: "All areas", year: year,
                                     applicationsReceived: rows.reduce(0) { $0 + $1.applicationsReceived },
                                     thresholdNotMet: rows.reduce(0) { $0 + $1.thresholdNotMet },
                                     reviewsCarriedOut: rows.reduce(0) { $0 + $1.reviewsCarriedOut },
                                     reviewsWithRecommendations: rows.reduce(0) { $0 + $1.reviewsWithRecommendations })
        return try await services.page("case-reviews/counts", context, title: "ASB Case Review counts \(year)",
                                       page: CountsModel(year: year, previousYear: year - 1, nextYear: year + 1, rows: rows, total: total))
    }

    func countsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readStatutoryCounts, context)
        let year = try CaseReviewSteps.year(request.uri.queryParameters["year"].map(String.init))
        var csv = CSV.line(["area", "year", "applications_received", "threshold_not_met", "reviews_carried_out", "reviews_with_recommendations"])
        for row in try await services.caseReviews.annualCounts(year: year) {
            csv += CSV.line([row.areaName, String(year), String(row.applicationsReceived), String(row.thresholdNotMet),
                             String(row.reviewsCarriedOut), String(row.reviewsWithRecommendations)])
        }
        try await services.audit.record(AuditRecord(context: context.audit, action: .export, recordType: "case-review-counts",
                                                    note: "ASB Case Review counts \(year) exported as CSV"))
        return CSV.response(csv, classification: .official, filename: "asb-case-review-counts-\(year).csv")
    }
}
