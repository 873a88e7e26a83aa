import ConcordDomain
import Foundation
import Hummingbird

enum PageLayout {
    /// The layout for a page: who is signed in, the navigation they may use, the classification banner.
    static func make(services: Services, context: AppRequestContext, title: String, agencyName: String?,
                     errors: [FieldIssue] = [], notice: String? = nil,
                     classification: Classification = .official) -> Layout {
        var items: [Layout.NavigationItem] = []
        if let principal = context.principal {
            func add(_ label: String, _ href: String) {
                items.append(.init(label: label, href: href, current: title.hasPrefix(label)))
            }
            add("My work", "/")
            if AccessPolicy.may(principal, .useCases) {
                add("ASB", "/asb")
                add("Case Reviews", "/case-reviews")
                add("MARAC", "/marac")
                add("Cases", "/cases")
            }
            add("Meetings", "/meetings")
            add("Community Safety Agreement", "/strategy")
            add("Funding", "/funding")
            if AccessPolicy.may(principal, .readDHR) { add("DHR", "/dhr") }
            if AccessPolicy.may(principal, .administerDirectory) || AccessPolicy.may(principal, .administerSettings)
                || AccessPolicy.may(principal, .administerSharingAgreements) || AccessPolicy.may(principal, .administerMARAC) {
                add("Administration", "/admin")
            }
            if AccessPolicy.may(principal, .readAuditLog) { add("Audit log", "/audit") }
            add("Inbox", "/inbox")
            add("API tokens", "/account/tokens")
        }
        return Layout(title: title, userName: context.user?.displayName, agencyName: agencyName,
                      csrfToken: context.csrfToken, classification: classification.marking, navigation: items,
                      errors: errors, notice: notice)
    }

    /// As `make`, looking up the signed-in user's agency name.
    static func build(services: Services, context: AppRequestContext, title: String, errors: [FieldIssue] = [],
                      notice: String? = nil, classification: Classification = .official) async throws -> Layout {
        var agencyName: String?
        if let agencyId = context.user?.agencyId { agencyName = try await services.directory.agency(id: agencyId)?.name }
        return make(services: services, context: context, title: title, agencyName: agencyName, errors: errors,
                    notice: notice, classification: classification)
    }
}

/// Names for the directory ids that case pages show.
struct DirectoryNames {
    let agencies: [Int64: String]
    let districts: [Int64: String]
    let users: [Int64: String]

    static func load(_ services: Services) async throws -> DirectoryNames {
        DirectoryNames(agencies: Dictionary(uniqueKeysWithValues: try await services.directory.agencies().map { ($0.id, $0.name) }),
                       districts: Dictionary(uniqueKeysWithValues: try await services.directory.districts().map { ($0.id, $0.name) }),
                       users: Dictionary(uniqueKeysWithValues: try await services.users.users().map { ($0.id, $0.displayName) }))
    }

    func agency(_ id: Int64) -> String { agencies[id] ?? "Agency \(id)" }
    func user(_ id: Int64?) -> String { id.flatMap { users[$0] } ?? "" }
}

/// A choice in a select or checkbox list.
struct Option: TemplateFieldsProviding {
    let value: String
    let label: String
    let selected: Bool

    var templateFields: [String: Any] { ["value": value, "label": label, "selected": selected] }
}

extension Response {
    /// 303 See Other after a successful form post (Post/Redirect/Get).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
