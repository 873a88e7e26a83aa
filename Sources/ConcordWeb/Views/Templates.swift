import ConcordDomain
import Foundation
import Hummingbird
import Mustache

/// HTML escaping that walks Unicode scalars. swift-mustache 2.1.1 escapes per Character, so a quote followed
/// by a combining mark would pass unescaped into an attribute (the bug LeafKit fixed as CVE-2026-27120;
/// shared/design/swift-stack-notes.md §4.5). Every template and partial starts with
/// `{{% CONTENT_TYPE: HTML5 }}` to use this instead.
struct ScalarHTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        // Most values have nothing to escape: one pass over the bytes finds that (the five are all ASCII, and
        // UTF-8 never uses an ASCII byte inside a multi-byte sequence).
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}

/// The page templates, loaded once at start-up from the bundled Resources/templates.
public struct Templates: Sendable {
    public static let contentTypeName = "HTML5"
    let library: MustacheLibrary

    public static var directory: String {
        Resources.path("templates")
    }

    public static func load() async throws -> Templates {
        MustacheContentTypes.register(ScalarHTMLEscaping(), named: contentTypeName)
        return Templates(library: try await MustacheLibrary(directory: directory))
    }

    /// Renders `template` inside the layout. `layout` carries the user, navigation, classification and CSRF token.
    func render(_ template: String, layout: Layout, page: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = renderHTML(template, layout: layout, page: page)
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The HTML of `template` inside the layout.
    func renderHTML(_ template: String, layout: Layout, page: Any) -> String {
        library.render(TemplateFields(["layout": Self.lookupTable(layout), "page": Self.lookupTable(page)]), withTemplate: template)
            ?? "Template \(template) is missing"
    }

    /// Renders a template with no layout (used by the pack and by tests).
    func renderBare(_ template: String, _ object: Any) -> String? {
        library.render(Self.lookupTable(object), withTemplate: template)
    }

    /// A view model as nested field tables and arrays, built with one reflection pass. swift-mustache otherwise
    /// reflects a struct afresh for every key it looks up (a case list of 50 rows spent 69% of its time there).
    /// A nil optional is left out, which is what a lookup through `Mirror` makes of it too (not found: the
    /// enclosing contexts are searched). Leaves stay as they are: text, numbers, booleans, enums, and anything
    /// with its own description (dates), as well as dictionaries, which swift-mustache reads by key already.
    static func lookupTable(_ value: Any) -> Any {
        tableValue(value) as Any
    }

    private static func tableValue(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { tableValue($0.value) }
        case .collection, .set:
            return mirror.children.map { tableValue($0.value) as Any }
        case .struct, .class:
            if let provider = value as? any TemplateFieldsProviding { return TemplateFields(provider.templateFields) }
            if value is any CustomStringConvertible || value is any MustacheParent { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let field = tableValue(child.value) else { continue }
                fields[label] = field
            }
            return TemplateFields(fields)
        default:
            return value
        }
    }
}

/// A view model that lists its own fields for templates: for the rows a page repeats many times and the layout
/// every page has, as reflecting a struct costs a few microseconds a field. Values are leaves (text, numbers,
/// flags) or tables already built (`TemplateFields`, `Templates.lookupTable`); a nil is left out.
protocol TemplateFieldsProviding {
    var templateFields: [String: Any] { get }
}

/// A view model's fields by name. A final class, so swift-mustache's cast of each context object to
/// `MustacheParent` finds a plain conformance (a `[String: Any]`'s is conditional on its key type, a slower
/// look-up repeated for every object on the context stack at every variable).
///
/// swift-mustache tries several protocol casts on every context object and every value, and in this runtime a
/// cast costs 0.2–0.6 µs, one that fails about twice one that succeeds. So a table also "represents itself"
/// (the first cast it is given succeeds instead of failing), and hands out text as `TemplateText`, which the
/// renderer takes at its second cast rather than trying two more and printing it through `String(describing:)`.
final class TemplateFields: MustacheParent, MustacheCustomRepresentation {
    let fields: [String: Any]

    init(_ fields: [String: Any]) {
        self.fields = fields
    }

    var representation: Any? { self }

    func child(named name: String) -> Any? {
        let value = fields[name]
        if let text = value as? String { return TemplateText(text: text) }
        return value
    }
}

/// Text from a view model, as the renderer's own kind of value: escaped like any other unless the template uses
/// `{{{…}}}`, and in a section it behaves as text does (present, so the section renders once).
struct TemplateText: MustacheCustomRenderable {
    let text: String

    var renderText: String { text }
    var isNull: Bool { false }
}

/// What the layout shows around every page. It lists its own fields (`TemplateFieldsProviding`): every page
/// would otherwise reflect it and its navigation afresh.
struct Layout: TemplateFieldsProviding {
    let title: String
    let serviceName = "Concord"
    let userName: String?
    let agencyName: String?
    let csrfToken: String?
    let classification: String
    let navigation: [NavigationItem]
    let errors: [FieldIssue]
    let notice: String?
    let hasErrors: Bool
    let signedIn: Bool

    init(title: String, userName: String?, agencyName: String?, csrfToken: String?, classification: String,
         navigation: [NavigationItem], errors: [FieldIssue], notice: String?) {
        self.title = title
        self.userName = userName
        self.agencyName = agencyName
        self.csrfToken = csrfToken
        self.classification = classification
        self.navigation = navigation
        self.errors = errors
        self.notice = notice
        self.hasErrors = !errors.isEmpty
        self.signedIn = userName != nil
    }

    struct NavigationItem {
        let label: String
        let href: String
        let current: Bool
    }

    var templateFields: [String: Any] {
        var fields: [String: Any] = [
            "title": title, "serviceName": serviceName, "classification": classification, "hasErrors": hasErrors,
            "signedIn": signedIn, "errors": Templates.lookupTable(errors),
            "navigation": navigation.map { TemplateFields(["label": $0.label, "href": $0.href, "current": $0.current]) },
        ]
        for (name, value) in [("userName", userName), ("agencyName", agencyName), ("csrfToken", csrfToken), ("notice", notice)] {
            if let value { fields[name] = value }
        }
        return fields
    }
}
