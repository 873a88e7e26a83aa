import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The bodies that meet (the partnership, its working group, steering groups) and who sits on them: chair,
/// vice-chair, members, substitutes and officers, each from a date and, when they leave, to a date. Members
/// whose email matches a user read their body's restricted items. Read with `readMeetings`, changed with
/// `manageMeetings`.
struct BodyPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/bodies", use: show)
        router.post("/bodies", use: createBody)
        router.post("/bodies/people", use: createPerson)
        router.post("/bodies/members", use: addMember)
        router.post("/bodies/members/{id}/end", use: endMembership)
    }

    struct Model {
        struct BodyView {
            let id: Int64
            let name: String
            let kind: String
            let parent: String?
            let members: [MemberView]
        }

        struct MemberView {
            let id: Int64
            let name: String
            let role: String
            let representing: String?
            let term: String
            let current: Bool
        }

        let bodies: [BodyView]
        let mayManage: Bool
        let kinds: [Option]
        let roles: [Option]
        let bodyOptions: [Option]
        let people: [Option]
        let agencies: [Option]
        let today: String
        let form: [String: String]
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context)
    }

    private func page(_ context: AppRequestContext, form: Form? = nil, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let today = CalendarDate(Date())
        let bodies = try await services.directory.bodies()
        let people = try await services.directory.people()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        var views: [Model.BodyView] = []
        for body in bodies {
            let members = try await services.directory.memberships(bodyId: body.id).map { membership in
                let current = (membership.from.map { $0 <= today } ?? true) && (membership.to.map { $0 >= today } ?? true)
                return Model.MemberView(id: membership.id, name: names[membership.personId] ?? "", role: membership.role.label,
                                        representing: membership.representing,
                                        term: [membership.from.map { "from \($0.long)" }, membership.to.map { "to \($0.long)" }].compactMap { $0 }
                                            .joined(separator: " "),
                                        current: current)
            }
            views.append(Model.BodyView(id: body.id, name: body.name, kind: body.kind.label,
                                        parent: bodies.first { $0.id == body.parentId }?.name, members: members))
        }
        let values = form?.redisplay ?? [:]
        return try await services.page("meetings/bodies", context, title: "Bodies and members", page: Model(
            bodies: views, mayManage: AccessPolicy.may(principal, .manageMeetings),
            kinds: BodyKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue) },
            roles: MembershipRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["role"] == $0.rawValue) },
            bodyOptions: bodies.map { Option(value: String($0.id), label: $0.name, selected: values["bodyId"] == String($0.id)) },
            people: people.map { Option(value: String($0.id), label: $0.name, selected: values["personId"] == String($0.id)) },
            agencies: try await services.directory.agencies().map { Option(value: String($0.id), label: $0.name, selected: values["agencyId"] == String($0.id)) },
            today: today.iso, form: values), errors: errors)
    }

    private func change(_ request: Request, _ context: AppRequestContext, staleField: String,
                        _ body: @escaping (Form) async throws -> Void) async throws -> Response {
        _ = try await services.require(.manageMeetings, context)
        return try await Form.post(request, context, success: "/bodies", staleField: staleField, body) { form, issues in
            try await page(context, form: form, errors: issues)
        }
    }

    func createBody(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "name") { form in
            guard let kind = BodyKind(rawValue: form["kind"] ?? "") else { throw ValidationError(field: "kind", "Choose the kind of body") }
            _ = try await services.directory.createBody(name: form["name"] ?? "", kind: kind, parentId: form.int64("parentId"), audit: context.audit)
        }
    }

    func createPerson(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "personName") { form in
            let text = { (name: String) in form[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
            do {
                _ = try await services.directory.createPerson(Person(id: 0, name: form["personName"] ?? "", jobTitle: text("jobTitle"),
                                                                     agencyId: form.int64("agencyId"), email: text("email")),
                                                              audit: context.audit)
            } catch let error as ValidationError {
                throw ValidationError(error.issues.map { $0.field == "name" ? FieldIssue("personName", $0.message) : $0 })
            }
        }
    }

    func addMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "personId") { form in
            var v = Validator()
            let bodyId = form.int64("bodyId")
            if bodyId == nil { v.add("bodyId", "Choose the body") }
            let personId = form.int64("personId")
            if personId == nil { v.add("personId", "Choose the person") }
            let role = MembershipRole(rawValue: form["role"] ?? "")
            if role == nil { v.add("role", "Choose the role") }
            let from = v.date(form["from"], field: "from", label: "the start date")
            let to = v.date(form["to"], field: "to", label: "the end date")
            let representing = v.optional(form["representing"], field: "representing", label: "who they represent")
            try v.check()
            try await services.directory.addMembership(bodyId: bodyId!, personId: personId!, role: role!, representing: representing, from: from,
                                                       to: to, audit: context.audit)
        }
    }

    func endMembership(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try APIRoutes.id(context)
        return try await change(request, context, staleField: "to") { form in
            var v = Validator()
            let to = v.date(form["to"], field: "to", label: "the date the membership ends", required: true)
            try v.check()
            try await services.directory.endMembership(id: id, on: to!, audit: context.audit)
        }
    }
}
