import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The case list every module fills, one case's summary, and opening a case. Visibility comes only from
/// `CaseStore` (VisibleQuery): a hidden case is a 404 here.
struct CasePages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/cases", use: list)
        router.get("/cases.csv", use: export)
        router.get("/cases/new", use: newCase)
        router.post("/cases", use: create)
        router.get("/cases/{id}", use: show)
    }

    struct Row {
        let id: Int64
        /// The module's own page for the case, else the case summary.
        let href: String
        let reference: String
        let title: String
        let type: String
        let agency: String
        let status: String
        let classification: String
        let updated: String
    }

    struct ListModel {
        let rows: [Row]
        let types: [Option]
        let nextHref: String?
        let exportHref: String
        let canCreate: Bool
        let isEmpty: Bool
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.useCases, context)
        let filter = try await services.visibility(for: principal)
        let type = request.uri.queryParameters["type"].flatMap { CaseType(rawValue: String($0)) }
        let cursor = request.uri.queryParameters["cursor"].flatMap { Int64(String($0)) }
        let page = try await services.cases.list(filter: filter, caseType: type, cursor: cursor, limit: 50, audit: context.audit)
        let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let rows = page.items.map {
            Row(id: $0.id, href: $0.caseType.pagePath(id: $0.id) ?? "/cases/\($0.id)", reference: $0.reference, title: $0.title, type: $0.caseType.label, agency: agencies[$0.owningAgencyId] ?? "",
                status: $0.status, classification: $0.classification.marking, updated: Instant.display($0.updatedAt))
        }
        let typeQuery = type.map { "type=\($0.rawValue)&" } ?? ""
        let model = ListModel(
            rows: rows,
            types: CaseType.allCases.filter { filter.caseTypes.contains($0) && $0.intakePath == nil }.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            nextHref: page.nextCursor.map { "/cases?\(typeQuery)cursor=\($0)" }, exportHref: "/cases.csv?\(typeQuery)",
            canCreate: !filter.seesNothing, isEmpty: rows.isEmpty)
        let layout = try await PageLayout.build(services: services, context: context, title: "Cases",
                                                classification: rows.isEmpty ? .official : .officialSensitivePersonal)
        return services.templates.render("cases/list", layout: layout, page: model)
    }

    /// Every visible case as CSV, marked with its classification at the top and bottom; audited as an export.
    func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.useCases, context)
        let filter = try await services.visibility(for: principal)
        let type = request.uri.queryParameters["type"].flatMap { CaseType(rawValue: String($0)) }
        var cases: [CaseRecord] = []
        var cursor: Int64?
        repeat {
            let page = try await services.cases.list(filter: filter, caseType: type, cursor: cursor, limit: CaseStore.maximumPageSize,
                                                     audit: context.audit)
            cases += page.items
            cursor = page.nextCursor
        } while cursor != nil
        try await services.audit.record(AuditRecord(context: context.audit, action: .export, recordType: "case-list",
                                                    note: "\(cases.count) case(s) exported as CSV"))
        var csv = CSV.line(["reference", "type", "title", "owning_agency_id", "shared_with", "classification", "restricted", "status", "updated_at"])
        for c in cases {
            csv += CSV.line([c.reference, c.caseType.rawValue, c.title, String(c.owningAgencyId),
                             c.sharedWith.sorted().map(String.init).joined(separator: ";"), c.classification.marking,
                             String(c.isRestricted), c.status, Instant.storage(c.updatedAt)])
        }
        return CSV.response(csv, classification: cases.map(\.classification).max() ?? .official, filename: "cases.csv")
    }

    struct ShowModel {
        let record: CaseRecord
        let classification: String
        let type: String
        let agency: String
        let sharedWith: [String]
        let created: String
        let updated: String
        let canSeeViewers: Bool
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id", as: Int64.self) else { throw AppError.notFound }
        let filter = try await services.visibility(for: principal)
        guard let record = try await services.cases.view(id: id, filter: filter, audit: context.audit) else { throw AppError.notFound }
        if let path = record.caseType.pagePath(id: id) { return Response.redirect(to: path) }
        let agencies = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let model = ShowModel(record: record, classification: record.classification.marking, type: record.caseType.label, agency: agencies[record.owningAgencyId] ?? "",
                              sharedWith: record.sharedWith.sorted().compactMap { agencies[$0] },
                              created: Instant.display(record.createdAt), updated: Instant.display(record.updatedAt),
                              canSeeViewers: AccessPolicy.may(principal, .readAuditLog))
        let layout = try await PageLayout.build(services: services, context: context, title: record.reference,
                                                classification: record.classification)
        return services.templates.render("cases/show", layout: layout, page: model)
    }

    struct NewModel {
        let types: [Option]
        let agencies: [Option]
        let title: String
        let classifications: [Option]
        let restricted: Bool
    }

    func newCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await newCaseForm(context: context, form: nil, errors: [])
    }

    private func newCaseForm(context: AppRequestContext, form: Form?, errors: [FieldIssue]) async throws -> Response {
        let principal = try context.requirePrincipal()
        let filter = try await services.visibility(for: principal)
        guard !filter.seesNothing else { throw try await services.denial(context, recordType: "capability", note: AccessPolicy.Capability.useCases.rawValue) }
        let chosenType = form?["caseType"]
        let shared = Set(form?.int64s("sharedWith") ?? [])
        let chosenMarking = form?["classification"] ?? Classification.officialSensitivePersonal.marking
        let model = NewModel(
            types: CaseType.allCases.filter { filter.caseTypes.contains($0) && $0.intakePath == nil }.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenType) },
            agencies: try await services.directory.agencies().filter { $0.id != principal.agencyId && $0.isActive(on: CalendarDate(Date())) }
                .map { Option(value: String($0.id), label: $0.name, selected: shared.contains($0.id)) },
            title: form?["title"] ?? "",
            classifications: [Classification.official, .officialSensitive, .officialSensitivePersonal].map {
                Option(value: $0.marking, label: $0.marking, selected: $0.marking == chosenMarking)
            },
            restricted: form?.bool("restricted") ?? false)
        let layout = try await PageLayout.build(services: services, context: context, title: "Open a case", errors: errors)
        return services.templates.render("cases/new", layout: layout, page: model, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var request = request
        let form = try await Form.read(&request, context: context)
        let legacyMappings = PartnershipSettings.legacyMappings(try await services.settings.values())
        let input: CaseInput
        do {
            input = try CaseInput.validate(caseType: form["caseType"], title: form["title"], classification: form["classification"],
                                           sharedWith: form.int64s("sharedWith"), isRestricted: form.bool("restricted"),
                                           owningAgencyId: principal.agencyId, legacyMappings: legacyMappings)
        } catch {
            return try await newCaseForm(context: context, form: form, errors: error.issues)
        }
        let filter = try await services.visibility(for: principal)
        try await services.requireCreate(principal, CaseAccessFacts(caseType: input.caseType, owningAgencyId: input.owningAgencyId,
                                                                    classification: input.classification), filter: filter, context)
        let record = try await services.cases.create(input, createdBy: principal.userId, audit: context.audit)
        return .seeOther("/cases/\(record.id)")
    }
}

/// RFC 4180 CSV exports.
enum CSV {
    /// A download of `lines` marked with `classification` on its first and last lines, as every export is (issue 2:
    /// "a banner at the top and bottom of every page and export"); never cached.
    static func response(_ lines: String, classification: Classification, filename: String) -> Response {
        let banner = line([classification.marking])
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: banner + lines + banner)))
    }

    static func line(_ fields: [String]) -> String {
        fields.map(CSVField.escape).joined(separator: ",") + "\r\n"
    }
}
