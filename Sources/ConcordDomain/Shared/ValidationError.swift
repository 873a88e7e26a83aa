/// A problem with one field of the input, phrased for the person who typed it.
public struct FieldIssue: Sendable, Equatable, Codable {
    /// The field's name as the form or JSON body spells it (`name`, `activeFrom`…).
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Bad input: one or more fields with what is wrong with each. Nothing was saved.
public struct ValidationError: Error, Sendable, Equatable {
    public let issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public init(field: String, _ message: String) {
        self.issues = [FieldIssue(field, message)]
    }
}

/// Collects field issues while input is checked, then throws them together.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        issues.append(FieldIssue(field, message))
    }

    /// The trimmed text, or nil with an issue recorded when it is empty or longer than `maxLength`.
    public mutating func required(_ value: String?, field: String, label: String, maxLength: Int = 200) -> String? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            add(field, "Enter \(label)")
            return nil
        }
        if trimmed.count > maxLength {
            add(field, "\(label.prefix(1).uppercased() + label.dropFirst()) must be \(maxLength) characters or fewer")
            return nil
        }
        return trimmed
    }

    /// The trimmed text or nil when blank; an issue when longer than `maxLength`.
    public mutating func optional(_ value: String?, field: String, label: String, maxLength: Int = 200) -> String? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        if trimmed.count > maxLength {
            add(field, "\(label.prefix(1).uppercased() + label.dropFirst()) must be \(maxLength) characters or fewer")
            return nil
        }
        return trimmed
    }

    /// A calendar date from `YYYY-MM-DD`, or nil (with an issue when the text is not blank but invalid).
    public mutating func date(_ value: String?, field: String, label: String, required: Bool = false) -> CalendarDate? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            if required { add(field, "Enter \(label)") }
            return nil
        }
        guard let date = CalendarDate(iso: trimmed) else {
            add(field, "\(label.prefix(1).uppercased() + label.dropFirst()) must be a real date, like 2026-04-01")
            return nil
        }
        return date
    }

    public func check() throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}
