import Foundation

public enum DirectoryRules {
    /// Checks an agency's fields: a name, and an active period that ends after it starts.
    public static func agency(name: String?, kind: String?, isResponsibleAuthority: Bool, activeFrom: String?,
                              activeTo: String?, replacedBy: Int64?) throws(ValidationError) -> AgencyInput {
        var v = Validator()
        let name = v.required(name, field: "name", label: "the agency's name", maxLength: 120)
        let kindValue: AgencyKind?
        if let kind, let parsed = AgencyKind(rawValue: kind) {
            kindValue = parsed
        } else {
            kindValue = nil
            v.add("kind", "Choose what kind of agency this is")
        }
        let from = v.date(activeFrom, field: "activeFrom", label: "the active-from date")
        let to = v.date(activeTo, field: "activeTo", label: "the active-to date")
        if let from, let to, to < from {
            v.add("activeTo", "The active-to date must be on or after the active-from date")
        }
        try v.check()
        return AgencyInput(name: name!, kind: kindValue!, isResponsibleAuthority: isResponsibleAuthority,
                           activeFrom: from, activeTo: to, replacedBy: replacedBy)
    }

    /// Checks a user's fields: a work email, a name, an agency and at least one role.
    public static func user(email: String?, displayName: String?, agencyId: Int64?, roles: [String]) throws(ValidationError) -> UserInput {
        var v = Validator()
        let email = v.required(email, field: "email", label: "an email address", maxLength: 254)?.lowercased()
        if let email, !isPlausibleEmail(email) {
            v.add("email", "Enter an email address in the correct format, like name@kent.gov.uk")
        }
        let name = v.required(displayName, field: "displayName", label: "the user's full name", maxLength: 120)
        if agencyId == nil { v.add("agencyId", "Choose the agency the user works for") }
        var parsed = Set<Role>()
        for raw in roles {
            if let role = Role(rawValue: raw) { parsed.insert(role) } else { v.add("roles", "\(raw) is not a role") }
        }
        if roles.isEmpty { v.add("roles", "Choose at least one role") }
        try v.check()
        return UserInput(email: email!, displayName: name!, agencyId: agencyId!, roles: parsed)
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: { $0.isWhitespace })
    }
}

/// The password rule: at least 12 characters (NCSC password guidance, 2018: length over complexity, and a
/// deny-list of the commonest passwords), at most 72 bytes (bcrypt reads no further), and not the user's email.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumBytes = 72

    public static func check(_ password: String, email: String? = nil, field: String = "password") throws(ValidationError) {
        if password.count < minimumLength {
            throw ValidationError(field: field, "Password must be at least \(minimumLength) characters")
        }
        if password.utf8.count > maximumBytes {
            throw ValidationError(field: field, "Password must be \(maximumBytes) bytes or fewer")
        }
        let lowered = password.lowercased()
        if isCommon(lowered) {
            throw ValidationError(field: field, "That password is too common: choose a less guessable one, such as three random words")
        }
        if let email, let local = email.split(separator: "@").first, local.count >= 4, lowered.contains(local.lowercased()) {
            throw ValidationError(field: field, "Password must not contain your email name")
        }
    }

    /// True when the password, ignoring case and trailing digits or symbols, is on the deny-list or is one
    /// character repeated.
    static func isCommon(_ lowered: String) -> Bool {
        if Set(lowered).count <= 2 { return true }
        if commonPasswords.contains(lowered) { return true }
        let stem = String(lowered.reversed().drop(while: { !$0.isLetter }).reversed())
        return commonPasswords.contains(stem) || commonStems.contains(stem)
    }

    /// Stems that, padded with digits or symbols to 12 characters, make the commonest long passwords
    /// (NCSC "PwnedPasswordsTop100k" top entries of 12+ characters, and UK-specific favourites).
    static let commonStems: Set<String> = [
        "password", "passw0rd", "qwerty", "qwertyuiop", "qwertyuiopasdfghjkl", "letmein", "welcome", "iloveyou",
        "abc", "abcdef", "abcdefghijkl", "admin", "administrator", "monkey", "dragon", "football", "liverpool",
        "arsenal", "chelsea", "manchester", "sunshine", "princess", "baseball", "superman", "trustno", "starwars",
        "whatever", "changeme", "secret", "london", "england", "kent", "concord", "summer", "winter", "spring",
        "autumn", "january", "february", "march", "april", "september", "october", "november", "december",
        "computer", "internet", "council", "police", "asdfghjkl", "zxcvbnm", "qazwsx", "1qaz2wsx", "master",
    ]

    static let commonPasswords: Set<String> = [
        "123456789012", "1234567890123", "12345678910", "123456123456", "111111111111", "000000000000",
        "123123123123", "password1234", "password123!", "password12345", "passwordpassword", "qwerty123456",
        "qwertyuiop12", "qwertyuiop123", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "iloveyou1234",
        "welcome12345", "welcome@1234", "letmein12345", "abcdefghijkl", "abcd12345678", "abc123456789",
        "monkey123456", "football1234", "liverpool123", "chelsea12345", "arsenal12345", "sunshine1234",
        "princess1234", "administrator", "admin1234567", "changeme1234", "trustno11234", "starwars1234",
        "superman1234", "baseball1234", "whatever1234", "computer1234", "internet1234", "correcthorsebatterystaple",
        "mypassword123", "password2024", "password2025", "password2026", "summer2026!!", "winter2026!!",
    ]
}
