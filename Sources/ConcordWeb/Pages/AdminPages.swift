import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Administration: agencies, users, information-sharing agreements, partnership settings, and the directory.
struct AdminPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin", use: index)
        router.get("/admin/agencies", use: agencies)
        router.get("/admin/agencies/new", use: newAgency)
        router.post("/admin/agencies", use: createAgency)
        router.get("/admin/agencies/{id}", use: editAgency)
        router.post("/admin/agencies/{id}", use: updateAgency)
        router.get("/admin/users", use: users)
        router.get("/admin/users/new", use: newUser)
        router.post("/admin/users", use: createUser)
        router.get("/admin/users/{id}", use: editUser)
        router.post("/admin/users/{id}", use: updateUser)
        router.post("/admin/users/{id}/password", use: resetPassword)
        router.post("/admin/users/{id}/active", use: setActive)
        router.get("/admin/sharing-agreements", use: agreements)
        router.get("/admin/sharing-agreements/new", use: newAgreement)
        router.post("/admin/sharing-agreements", use: createAgreement)
        router.get("/admin/sharing-agreements/{id}", use: editAgreement)
        router.post("/admin/sharing-agreements/{id}", use: updateAgreement)
        router.get("/admin/settings", use: settings)
        router.post("/admin/settings", use: saveSettings)
        router.get("/admin/directory", use: directory)
    }

    struct IndexModel {
        let directory: Bool
        let sharing: Bool
        let settings: Bool
        let marac: Bool
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let model = IndexModel(directory: AccessPolicy.may(principal, .administerDirectory),
                               sharing: AccessPolicy.may(principal, .administerSharingAgreements),
                               settings: AccessPolicy.may(principal, .administerSettings),
                               marac: AccessPolicy.may(principal, .administerMARAC))
        guard model.directory || model.sharing || model.settings || model.marac else {
            throw try await services.denial(context, recordType: "capability", note: "administration")
        }
        return try await services.page("admin/index", context, title: "Administration", page: model)
    }

    // MARK: Agencies

    struct AgencyRow {
        let agency: Agency
        let kind: String
        let active: String
        let replacedBy: String?
    }

    func agencies(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let all = try await services.directory.agencies()
        let names = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.name) })
        let rows = all.map { agency in
            AgencyRow(agency: agency, kind: agency.kind.label,
                      active: [agency.activeFrom.map { "from \($0.long)" }, agency.activeTo.map { "to \($0.long)" }]
                        .compactMap { $0 }.joined(separator: " ").nonEmpty ?? "Always",
                      replacedBy: agency.replacedBy.flatMap { names[$0] })
        }
        return try await services.page("admin/agencies", context, title: "Agencies", page: ["rows": rows],
                                notice: request.uri.queryParameters["saved"] != nil ? "Agency saved" : nil)
    }

    struct AgencyForm {
        let id: Int64?
        let version: Int
        let name: String
        let kinds: [Option]
        let responsible: Bool
        let activeFrom: String
        let activeTo: String
        let replacements: [Option]
        let action: String
    }

    private func agencyForm(id: Int64?, version: Int, form: Form?, agency: Agency?) async throws -> AgencyForm {
        let kind = form?["kind"] ?? agency?.kind.rawValue
        let replacedBy = form?.int64("replacedBy") ?? agency?.replacedBy
        return AgencyForm(
            id: id, version: version, name: form?["name"] ?? agency?.name ?? "",
            kinds: AgencyKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind) },
            responsible: form.map { $0.bool("responsibleAuthority") } ?? agency?.isResponsibleAuthority ?? false,
            activeFrom: form?["activeFrom"] ?? agency?.activeFrom?.iso ?? "", activeTo: form?["activeTo"] ?? agency?.activeTo?.iso ?? "",
            replacements: try await services.directory.agencies().filter { $0.id != id }
                .map { Option(value: String($0.id), label: $0.name, selected: $0.id == replacedBy) },
            action: id.map { "/admin/agencies/\($0)" } ?? "/admin/agencies")
    }

    func newAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        return try await services.page("admin/agency-form", context, title: "Add an agency",
                                page: try await agencyForm(id: nil, version: 0, form: nil, agency: nil))
    }

    private func agencyInput(_ form: Form) throws(ValidationError) -> AgencyInput {
        try DirectoryRules.agency(name: form["name"], kind: form["kind"], isResponsibleAuthority: form.bool("responsibleAuthority"),
                                  activeFrom: form["activeFrom"], activeTo: form["activeTo"], replacedBy: form.int64("replacedBy"))
    }

    func createAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            _ = try await services.directory.createAgency(try agencyInput(form), audit: context.audit)
            return .seeOther("/admin/agencies?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/agency-form", context, title: "Add an agency",
                                    page: try await agencyForm(id: nil, version: 0, form: form, agency: nil), errors: error.issues)
        } catch let error as DuplicateRecordError {
            return try await services.page("admin/agency-form", context, title: "Add an agency",
                                    page: try await agencyForm(id: nil, version: 0, form: form, agency: nil),
                                    errors: [FieldIssue(error.field, error.message)])
        }
    }

    func editAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        guard let id = context.parameters.get("id", as: Int64.self), let agency = try await services.directory.agency(id: id) else {
            throw AppError.notFound
        }
        return try await services.page("admin/agency-form", context, title: "Change \(agency.name)",
                                page: try await agencyForm(id: id, version: agency.version, form: nil, agency: agency))
    }

    func updateAgency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw AppError.notFound }
        var request = request
        let form = try await Form.read(&request, context: context)
        let version = try form.version()
        do {
            _ = try await services.directory.updateAgency(id: id, expectedVersion: version, try agencyInput(form), audit: context.audit)
            return .seeOther("/admin/agencies?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/agency-form", context, title: "Change agency",
                                    page: try await agencyForm(id: id, version: version, form: form, agency: nil), errors: error.issues)
        } catch let error as StaleRecordError {
            return try await services.page("admin/agency-form", context, title: "Change agency",
                                    page: try await agencyForm(id: id, version: version, form: form, agency: nil),
                                    errors: [FieldIssue("name", error.description)])
        }
    }

    // MARK: Users

    struct UserRow {
        let user: User
        let agency: String
        let roles: String
    }

    func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let names = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let rows = try await services.users.users().map {
            UserRow(user: $0, agency: names[$0.agencyId] ?? "", roles: $0.sortedRoles.map(\.label).joined(separator: ", "))
        }
        return try await services.page("admin/users", context, title: "Users", page: ["rows": rows],
                                notice: request.uri.queryParameters["saved"] != nil ? "User saved" : nil)
    }

    struct UserForm {
        let id: Int64?
        let version: Int
        let email: String
        let displayName: String
        let agencies: [Option]
        let roles: [Option]
        let isActive: Bool
        let isNew: Bool
        let action: String
    }

    private func userForm(user: User?, form: Form?) async throws -> UserForm {
        let agencyId = form?.int64("agencyId") ?? user?.agencyId
        let roles = form.map { Set($0.all("roles")) } ?? Set(user?.roles.map(\.rawValue) ?? [])
        return UserForm(
            id: user?.id, version: user?.version ?? 0, email: form?["email"] ?? user?.email ?? "",
            displayName: form?["displayName"] ?? user?.displayName ?? "",
            agencies: try await services.directory.agencies().map { Option(value: String($0.id), label: $0.name, selected: $0.id == agencyId) },
            roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: roles.contains($0.rawValue)) },
            isActive: user?.isActive ?? true, isNew: user == nil,
            action: user.map { "/admin/users/\($0.id)" } ?? "/admin/users")
    }

    func newUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        return try await services.page("admin/user-form", context, title: "Add a user", page: try await userForm(user: nil, form: nil))
    }

    func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            let input = try DirectoryRules.user(email: form["email"], displayName: form["displayName"], agencyId: form.int64("agencyId"),
                                                roles: form.all("roles"))
            let password = form["password"] ?? ""
            try PasswordPolicy.check(password, email: input.email)
            let hash = try await PasswordHashing.hash(password, cost: services.configuration.bcryptCost)
            _ = try await services.users.create(input, passwordHash: hash, audit: context.audit)
            return .seeOther("/admin/users?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/user-form", context, title: "Add a user", page: try await userForm(user: nil, form: form),
                                    errors: error.issues)
        } catch let error as DuplicateRecordError {
            return try await services.page("admin/user-form", context, title: "Add a user", page: try await userForm(user: nil, form: form),
                                    errors: [FieldIssue(error.field, error.message)])
        }
    }

    private func loadUser(_ context: AppRequestContext) async throws -> User {
        guard let id = context.parameters.get("id", as: Int64.self), let user = try await services.users.user(id: id) else {
            throw AppError.notFound
        }
        return user
    }

    func editUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let user = try await loadUser(context)
        return try await services.page("admin/user-form", context, title: "Change \(user.displayName)", page: try await userForm(user: user, form: nil),
                                notice: request.uri.queryParameters["saved"].map { _ in "Saved" })
    }

    func updateUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let user = try await loadUser(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            let input = try DirectoryRules.user(email: form["email"], displayName: form["displayName"], agencyId: form.int64("agencyId"),
                                                roles: form.all("roles"))
            _ = try await services.users.update(id: user.id, expectedVersion: try form.version(), input, audit: context.audit)
            return .seeOther("/admin/users?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/user-form", context, title: "Change \(user.displayName)",
                                    page: try await userForm(user: user, form: form), errors: error.issues)
        } catch let error as StaleRecordError {
            return try await services.page("admin/user-form", context, title: "Change \(user.displayName)",
                                    page: try await userForm(user: user, form: form), errors: [FieldIssue("email", error.description)])
        }
    }

    func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let user = try await loadUser(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            let password = form["newPassword"] ?? ""
            try PasswordPolicy.check(password, email: user.email, field: "newPassword")
            let hash = try await PasswordHashing.hash(password, cost: services.configuration.bcryptCost)
            try await services.users.setPassword(id: user.id, passwordHash: hash, audit: context.audit)
            return .seeOther("/admin/users/\(user.id)?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/user-form", context, title: "Change \(user.displayName)",
                                    page: try await userForm(user: user, form: nil), errors: error.issues)
        }
    }

    func setActive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try await services.require(.administerDirectory, context)
        let user = try await loadUser(context)
        var request = request
        let form = try await Form.read(&request, context: context)
        let active = form["active"] == "true"
        if !active && user.id == principal.userId {
            throw AppError.badRequest("You cannot disable your own account.")
        }
        try await services.users.setActive(id: user.id, expectedVersion: try form.version(), active: active, audit: context.audit)
        return .seeOther("/admin/users/\(user.id)?saved=1")
    }

    // MARK: Information-sharing agreements

    struct AgreementRow {
        let agreement: SharingAgreement
        let parties: String
        let caseTypes: String
        let inForce: Bool
    }

    func agreements(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSharingAgreements, context)
        let names = Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) })
        let today = CalendarDate(Date())
        let rows = try await services.agreements.all().map {
            AgreementRow(agreement: $0, parties: $0.parties.compactMap { names[$0] }.sorted().joined(separator: ", "),
                         caseTypes: $0.sortedCaseTypes.map(\.label).joined(separator: ", "), inForce: $0.isInForce(on: today))
        }
        return try await services.page("admin/agreements", context, title: "Information-sharing agreements", page: ["rows": rows],
                                notice: request.uri.queryParameters["saved"] != nil ? "Agreement saved" : nil)
    }

    struct AgreementForm {
        let id: Int64?
        let version: Int
        let title: String
        let purpose: String
        let lawfulBasis: String
        let parties: [Option]
        let caseTypes: [Option]
        let startsOn: String
        let reviewOn: String
        let endsOn: String
        let action: String
    }

    private func agreementForm(_ agreement: SharingAgreement?, form: Form?) async throws -> AgreementForm {
        let parties = form.map { Set($0.int64s("parties")) } ?? agreement?.parties ?? []
        let types = form.map { Set($0.all("caseTypes")) } ?? Set(agreement?.caseTypes.map(\.rawValue) ?? [])
        return AgreementForm(
            id: agreement?.id, version: agreement?.version ?? 0, title: form?["title"] ?? agreement?.title ?? "",
            purpose: form?["purpose"] ?? agreement?.purpose ?? "", lawfulBasis: form?["lawfulBasis"] ?? agreement?.lawfulBasis ?? "",
            parties: try await services.directory.agencies().map { Option(value: String($0.id), label: $0.name, selected: parties.contains($0.id)) },
            caseTypes: CaseType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: types.contains($0.rawValue)) },
            startsOn: form?["startsOn"] ?? agreement?.startsOn.iso ?? "", reviewOn: form?["reviewOn"] ?? agreement?.reviewOn?.iso ?? "",
            endsOn: form?["endsOn"] ?? agreement?.endsOn?.iso ?? "",
            action: agreement.map { "/admin/sharing-agreements/\($0.id)" } ?? "/admin/sharing-agreements")
    }

    private func agreementInput(_ form: Form) throws(ValidationError) -> SharingAgreementInput {
        try SharingAgreementInput.validate(title: form["title"], purpose: form["purpose"], lawfulBasis: form["lawfulBasis"],
                                           parties: form.int64s("parties"), caseTypes: form.all("caseTypes"),
                                           startsOn: form["startsOn"], reviewOn: form["reviewOn"], endsOn: form["endsOn"])
    }

    func newAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSharingAgreements, context)
        return try await services.page("admin/agreement-form", context, title: "Add an information-sharing agreement",
                                page: try await agreementForm(nil, form: nil))
    }

    func createAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSharingAgreements, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            _ = try await services.agreements.create(try agreementInput(form), audit: context.audit)
            return .seeOther("/admin/sharing-agreements?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/agreement-form", context, title: "Add an information-sharing agreement",
                                    page: try await agreementForm(nil, form: form), errors: error.issues)
        }
    }

    func editAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSharingAgreements, context)
        guard let id = context.parameters.get("id", as: Int64.self), let agreement = try await services.agreements.agreement(id: id) else {
            throw AppError.notFound
        }
        return try await services.page("admin/agreement-form", context, title: "Change \(agreement.title)",
                                page: try await agreementForm(agreement, form: nil))
    }

    func updateAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSharingAgreements, context)
        guard let id = context.parameters.get("id", as: Int64.self), let agreement = try await services.agreements.agreement(id: id) else {
            throw AppError.notFound
        }
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            _ = try await services.agreements.update(id: id, expectedVersion: try form.version(), try agreementInput(form), audit: context.audit)
            return .seeOther("/admin/sharing-agreements?saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/agreement-form", context, title: "Change \(agreement.title)",
                                    page: try await agreementForm(agreement, form: form), errors: error.issues)
        } catch let error as StaleRecordError {
            return try await services.page("admin/agreement-form", context, title: "Change \(agreement.title)",
                                    page: try await agreementForm(agreement, form: form), errors: [FieldIssue("title", error.description)])
        }
    }

    // MARK: Settings and directory

    struct SettingGroup {
        let name: String
        let settings: [SettingRow]
    }

    struct SettingRow {
        let id: String
        let label: String
        let hint: String
        let value: String
        let choices: [Option]
        let hasChoices: Bool
        let isText: Bool
    }

    private func settingGroups(values: SettingValues, form: Form?) -> [SettingGroup] {
        var groups: [SettingGroup] = []
        for definition in PartnershipSettings.all {
            let value = form?[definition.id] ?? values.string(definition)
            var choices: [Option] = []
            if case .choice(let options) = definition.kind {
                choices = options.map { Option(value: $0, label: $0, selected: $0 == value) }
            }
            var isText = false
            if case .text = definition.kind { isText = true }
            let row = SettingRow(id: definition.id, label: definition.label, hint: definition.hint, value: value, choices: choices,
                                 hasChoices: !choices.isEmpty, isText: isText)
            if let index = groups.firstIndex(where: { $0.name == definition.group }) {
                groups[index] = SettingGroup(name: definition.group, settings: groups[index].settings + [row])
            } else {
                groups.append(SettingGroup(name: definition.group, settings: [row]))
            }
        }
        return groups
    }

    struct SettingsModel {
        let groups: [SettingGroup]
        let revision: Int
    }

    func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        let values = try await services.settings.values()
        return try await services.page("admin/settings", context, title: "Partnership settings",
                                page: SettingsModel(groups: settingGroups(values: values, form: nil), revision: values.revision),
                                notice: request.uri.queryParameters["saved"] != nil ? "Settings saved" : nil)
    }

    func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        var changes: [String: String] = [:]
        var issues: [FieldIssue] = []
        for definition in PartnershipSettings.all where form[definition.id] != nil {
            do {
                changes[definition.id] = try definition.validate(form[definition.id])
            } catch {
                issues += error.issues
            }
        }
        let revision = try form.version("revision")
        func again(_ issues: [FieldIssue]) async throws -> Response {
            try await services.page("admin/settings", context, title: "Partnership settings",
                             page: SettingsModel(groups: settingGroups(values: try await services.settings.values(), form: form),
                                                 revision: revision),
                             errors: issues)
        }
        if !issues.isEmpty { return try await again(issues) }
        do {
            try await services.settings.save(changes, expectedRevision: revision, audit: context.audit)
        } catch let error as StaleRecordError {
            return try await again([FieldIssue(PartnershipSettings.all[0].id, error.description)])
        }
        return .seeOther("/admin/settings?saved=1")
    }

    struct DirectoryModel {
        struct Area {
            let name: String
            let districts: String
        }

        struct BodyRow {
            let name: String
            let kind: String
        }

        let areas: [Area]
        let bodies: [BodyRow]
    }

    func directory(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerDirectory, context)
        let districts = try await services.directory.districts()
        let areas = try await services.directory.cspAreas().map { area in
            DirectoryModel.Area(name: area.name,
                                districts: districts.filter { $0.cspAreaId == area.id }
                                    .map { $0.name + ($0.isUnitary ? " (unitary)" : "") }.joined(separator: ", "))
        }
        let bodies = try await services.directory.bodies().map { DirectoryModel.BodyRow(name: $0.name, kind: $0.kind.label) }
        return try await services.page("admin/directory", context, title: "Districts, CSP areas and bodies",
                                page: DirectoryModel(areas: areas, bodies: bodies))
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
