import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Setting up the MARAC Hub: area MARACs and their schedules and populations, the agencies represented at each with
/// their points of contact, the Hub team's roles, and the checklist's labels. For the Hub's coordinators and
/// administrators (`administerMARAC`).
struct MARACAdminPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin/marac", use: show)
        router.post("/admin/marac/areas", use: saveArea)
        router.post("/admin/marac/representation", use: represent)
        router.post("/admin/marac/hub", use: setHubRole)
        router.post("/admin/marac/checklist", use: relabel)
    }

    struct Model {
        struct AreaRow {
            let id: Int64
            let name: String
            let frequency: String
            let firstMeeting: String
            let population: String
            let districts: String?
            let agencies: [String]
            let version: Int
            let frequencies: [Option]
            let firstMeetingOn: String
            let populationValue: String
        }

        struct StaffRow {
            let name: String
            let role: String
        }

        let areas: [AreaRow]
        let areaOptions: [Option]
        let agencyOptions: [Option]
        let userOptions: [Option]
        let frequencies: [Option]
        let districts: [Option]
        let hubRoles: [Option]
        let staff: [StaffRow]
        let questions: [Option]
        let form: [String: String]
    }

    private func page(_ context: AppRequestContext, form: Form? = nil, errors: [FieldIssue] = [], notice: String? = nil) async throws -> Response {
        let names = try await DirectoryNames.load(services)
        let areas = try await services.marac.areas()
        let representation = try await services.marac.representation()
        let values = form?.redisplay ?? [:]
        let model = Model(
            areas: areas.map { area in
                Model.AreaRow(
                    id: area.id, name: area.name, frequency: area.frequency.label, firstMeeting: area.firstMeetingOn.long,
                    population: area.adultFemalePopulation.map { "\($0) adult women" } ?? "Not set",
                    districts: area.districtIds.isEmpty ? nil : area.districtIds.compactMap { names.districts[$0] }.joined(separator: ", "),
                    agencies: representation.filter { $0.areaId == area.id }.map {
                        names.agency($0.agencyId) + ($0.pointOfContactUserId.map { " (point of contact: \(names.user($0)))" } ?? " (no point of contact)")
                    },
                    version: area.version,
                    frequencies: MeetingFrequency.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == area.frequency) },
                    firstMeetingOn: area.firstMeetingOn.iso, populationValue: area.adultFemalePopulation.map(String.init) ?? "")
            },
            areaOptions: areas.map { Option(value: String($0.id), label: $0.name, selected: String($0.id) == values["areaId"]) },
            agencyOptions: names.agencies.sorted { $0.value < $1.value }.map {
                Option(value: String($0.key), label: $0.value, selected: String($0.key) == values["agencyId"])
            },
            userOptions: names.users.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: false) },
            frequencies: MeetingFrequency.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["frequency"]) },
            districts: names.districts.sorted { $0.value < $1.value }.map { Option(value: String($0.key), label: $0.value, selected: false) },
            hubRoles: HubRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            staff: try await services.marac.hubStaff().map { Model.StaffRow(name: names.user($0.key), role: $0.value.label) }
                .sorted { $0.name < $1.name },
            questions: try await services.marac.checklistLabels().enumerated().map {
                Option(value: "q\($0.offset + 1)", label: values["q\($0.offset + 1)"] ?? $0.element, selected: false)
            },
            form: values)
        return try await services.page("admin/marac", context, title: "MARAC areas and Hub", page: model, errors: errors, notice: notice)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerMARAC, context)
        return try await page(context, notice: request.uri.queryParameters["saved"] != nil ? "Saved" : nil)
    }

    private func change(_ request: Request, _ context: AppRequestContext, _ body: (Form) async throws -> Void) async throws -> Response {
        _ = try await services.require(.administerMARAC, context)
        return try await Form.post(request, context, success: "/admin/marac?saved=1", staleField: "name", body) { form, issues in
            try await page(context, form: form, errors: issues)
        }
    }

    /// Adds an area (no `id`) or changes one (`id` and `version`).
    func saveArea(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form in
            var v = Validator()
            let name = v.required(form["name"], field: "name", label: "the area's name")
            let frequency = form["frequency"].flatMap(MeetingFrequency.init(rawValue:))
            if frequency == nil { v.add("frequency", "Choose weekly, fortnightly or monthly") }
            let first = v.date(form["firstMeetingOn"], field: "firstMeetingOn", label: "the date of the first meeting", required: true)
            var population: Int?
            if let text = form["adultFemalePopulation"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                population = Int(text.trimmingCharacters(in: .whitespaces))
                if population.map({ $0 < 1 }) ?? true { v.add("adultFemalePopulation", "The population must be a whole number above 0") }
            }
            let id = form.int64("id")
            try v.check()
            try await services.marac.saveArea(id: id, expectedVersion: id == nil ? nil : try form.version(), name: name!, frequency: frequency!,
                                              firstMeetingOn: first!, adultFemalePopulation: population, districtIds: form.int64s("districtIds"),
                                              audit: context.audit)
        }
    }

    func represent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form in
            var v = Validator()
            let areaId = form.int64("areaId")
            if areaId == nil { v.add("areaId", "Choose the area MARAC") }
            let agencyId = form.int64("agencyId")
            if agencyId == nil { v.add("agencyId", "Choose the agency") }
            try v.check()
            try await services.marac.represent(areaId: areaId!, agencyId: agencyId!, pointOfContactUserId: form.int64("pointOfContactUserId"),
                                               audit: context.audit)
        }
    }

    func setHubRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form in
            guard let userId = form.int64("userId") else { throw ValidationError(field: "userId", "Choose the person") }
            let text = form["hubRole"] ?? ""
            let role = HubRole(rawValue: text)
            if role == nil, text != "none" { throw ValidationError(field: "hubRole", "Choose a Hub role, or none to remove it") }
            try await services.marac.setHubRole(userId: userId, role: role, audit: context.audit)
        }
    }

    func relabel(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form in
            try await services.marac.setChecklistLabels((1...MARACRules.checklistLength).map { form["q\($0)"] ?? "" }, audit: context.audit)
        }
    }
}

/// The signed-in user's in-app notifications (MARAC actions and escalations, meeting requests).
struct InboxPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/inbox", use: show)
        router.post("/inbox/read", use: markRead)
    }

    struct Model {
        struct Row {
            let subject: String
            let body: String
            let link: String?
            let received: String
            let unread: Bool
        }

        let rows: [Row]
        let isEmpty: Bool
        let hasUnread: Bool
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let messages = try await services.notifications.inbox(userId: principal.userId)
        let model = Model(rows: messages.map {
            Model.Row(subject: $0.subject, body: $0.body, link: $0.link, received: Instant.display($0.createdAt), unread: !$0.isRead)
        }, isEmpty: messages.isEmpty, hasUnread: messages.contains { !$0.isRead })
        return try await services.page("inbox", context, title: "Inbox", page: model)
    }

    func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try await services.notifications.markRead(userId: principal.userId)
        return .seeOther("/inbox")
    }
}
