import Foundation

/// A new incident as typed at intake or on a case: what happened, where, and the report of it to one agency.
public struct IncidentInput: Sendable, Equatable {
    public var details: IncidentDetails
    public var channel: ReportingChannel
    public var reportedOn: CalendarDate
    public var reportingAgencyId: Int64
    public var reference: String?

    public init(details: IncidentDetails, channel: ReportingChannel, reportedOn: CalendarDate, reportingAgencyId: Int64,
                reference: String?) {
        self.details = details
        self.channel = channel
        self.reportedOn = reportedOn
        self.reportingAgencyId = reportingAgencyId
        self.reference = reference
    }
}

/// What an incident was: when, where, what kind and what happened, apart from who reported it to whom.
public struct IncidentDetails: Sendable, Equatable {
    public var occurredOn: CalendarDate
    public var occurredAt: String?
    public var address: String?
    public var postcode: String?
    public var ward: String?
    public var districtId: Int64?
    public var category: ASBCategory
    public var isHateMotivated: Bool
    public var description: String

    public init(occurredOn: CalendarDate, occurredAt: String?, address: String?, postcode: String?, ward: String?,
                districtId: Int64?, category: ASBCategory, isHateMotivated: Bool, description: String) {
        self.occurredOn = occurredOn
        self.occurredAt = occurredAt
        self.address = address
        self.postcode = postcode
        self.ward = ward
        self.districtId = districtId
        self.category = category
        self.isHateMotivated = isHateMotivated
        self.description = description
    }
}

/// A corrected incident, the version it corrects and why.
public struct IncidentCorrection: Sendable, Equatable {
    public var details: IncidentDetails
    public var expectedVersion: Int
    public var reason: String
}

/// A complainant or perpetrator as typed. No name means anonymous (complainant) or unknown (perpetrator).
public struct PartyInput: Sendable, Equatable {
    public var role: ASBParty.Role
    public var name: String?
    public var address: String?
    public var postcode: String?
    public var phone: String?
    public var email: String?
    public var contactPreference: ContactPreference?
    public var isVulnerable: Bool
    public var vulnerabilityNotes: String?

    public init(role: ASBParty.Role, name: String?, address: String?, postcode: String?, phone: String?, email: String?,
                contactPreference: ContactPreference?, isVulnerable: Bool, vulnerabilityNotes: String?) {
        self.role = role
        self.name = name
        self.address = address
        self.postcode = postcode
        self.phone = phone
        self.email = email
        self.contactPreference = contactPreference
        self.isVulnerable = isVulnerable
        self.vulnerabilityNotes = vulnerabilityNotes
    }
}

/// A new ASB case: the spine, the ASB detail, its first complainant, perpetrator and incident.
public struct ASBCaseInput: Sendable, Equatable {
    public var record: CaseInput
    public var districtId: Int64?
    public var leadOfficerId: Int64?
    public var risk: VictimRisk
    public var complainant: PartyInput
    public var perpetrator: PartyInput
    public var incident: IncidentInput

    public init(record: CaseInput, districtId: Int64?, leadOfficerId: Int64?, risk: VictimRisk, complainant: PartyInput,
                perpetrator: PartyInput, incident: IncidentInput) {
        self.record = record
        self.districtId = districtId
        self.leadOfficerId = leadOfficerId
        self.risk = risk
        self.complainant = complainant
        self.perpetrator = perpetrator
        self.incident = incident
    }
}

public struct ActionInput: Sendable, Equatable {
    public var agencyId: Int64
    public var type: ASBActionType
    public var takenOn: CalendarDate
    public var reason: String?
    public var notes: String?

    public init(agencyId: Int64, type: ASBActionType, takenOn: CalendarDate, reason: String?, notes: String?) {
        self.agencyId = agencyId
        self.type = type
        self.takenOn = takenOn
        self.reason = reason
        self.notes = notes
    }
}

/// The ASB rules: checking what case workers type, the repeat/vulnerable flags and similar-case keys.
/// Source: domain-rules.md "ASB cases"; 2014-07-08 KCSP pack (countywide ASB system for "repeat and vulnerable
/// victims").
public enum ASBRules {
    /// A UK postcode, normalised to upper case with one space before the inward code ("ME14 1XQ"), or nil.
    /// Reads ASCII bytes straight into the new string, with no array between (imports check millions of
    /// postcodes): outward code a letter then letters and digits with at least one digit; inward code a digit and
    /// two letters.
    public static func normalisedPostcode(_ text: String) -> String? {
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        // At most seven characters and the space: a string of up to 15 bytes needs no allocation.
        let postcode = String(unsafeUninitializedCapacity: 8) { buffer -> Int in
            var count = 0
            for byte in text.utf8 where byte != 0x20 && byte != 0x09 {
                guard count < 7 else { return 0 }
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): buffer[count] = byte - 32
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): buffer[count] = byte
                default: return 0
                }
                count += 1
            }
            guard count >= 5 else { return 0 }
            let outward = buffer[0..<count - 3], inward = buffer[count - 3..<count]
            guard isDigit(inward.first!), !inward.dropFirst().contains(where: isDigit), !isDigit(outward.first!),
                  outward.contains(where: isDigit) else { return 0 }
            buffer[count] = buffer[count - 1]
            buffer[count - 1] = buffer[count - 2]
            buffer[count - 2] = buffer[count - 3]
            buffer[count - 3] = UInt8(ascii: " ")
            return count + 1
        }
        return postcode.isEmpty ? nil : postcode
    }

    /// A person's name reduced for matching: lower case, single spaces, no punctuation. Plain ASCII names (most
    /// of an import's) take a byte path with the same result.
    public static func matchKey(_ name: String) -> String {
        let utf8 = name.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return name.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
        }
        // Written straight into the new string (a key of up to 15 bytes needs no allocation at all).
        return String(unsafeUninitializedCapacity: utf8.count) { key in
            var count = 0
            var gap = false
            for byte in utf8 {
                let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
                guard (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lower) else {
                    gap = true
                    continue
                }
                if gap, count > 0 {
                    key[count] = UInt8(ascii: " ")
                    count += 1
                }
                gap = false
                key[count] = lower
                count += 1
            }
            return count
        }
    }

    /// Reads the incident fields of a form or JSON body; `prefix` namespaces the field names ("incident.").
    public static func incident(_ fields: [String: String], prefix: String = "", reportingAgencyId: Int64,
                                today: CalendarDate) throws(ValidationError) -> IncidentInput {
        var v = Validator()
        let details = incidentDetails(fields, prefix: prefix, today: today, into: &v)
        let reportedOn = v.date(fields[prefix + "reportedOn"], field: prefix + "reportedOn", label: "the date it was reported",
                                required: true)
        if let reportedOn, reportedOn > today { v.add(prefix + "reportedOn", "The date it was reported cannot be in the future") }
        if let occurredOn = details?.occurredOn, let reportedOn, occurredOn > reportedOn {
            v.add(prefix + "occurredOn", "The incident cannot have happened after it was reported (\(reportedOn.iso))")
        }
        let channel = fields[prefix + "channel"].flatMap(ReportingChannel.init(rawValue:))
        if channel == nil { v.add(prefix + "channel", "Choose how it was reported") }
        try v.check()
        return IncidentInput(details: details!, channel: channel!, reportedOn: reportedOn!, reportingAgencyId: reportingAgencyId,
                             reference: optional(fields[prefix + "reference"]))
    }

    /// A correction of an incident already recorded: its own facts, with `version` (optimistic locking) and the
    /// `reason` for the correction, which the audit log keeps beside the before and after values. Its reports
    /// to agencies are not changed; the store refuses a date after the earliest of them.
    public static func incidentCorrection(_ fields: [String: String], today: CalendarDate) throws(ValidationError) -> IncidentCorrection {
        var v = Validator()
        let details = incidentDetails(fields, prefix: "", today: today, into: &v)
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required: the version of the incident you are correcting") }
        let reason = v.required(fields["reason"], field: "reason", label: "why the incident is being corrected", maxLength: 1_000)
        try v.check()
        return IncidentCorrection(details: details!, expectedVersion: version!, reason: reason!)
    }

    /// The incident's own facts (not its reports); problems go into `v`, whose `check()` the caller runs before
    /// using the result.
    static func incidentDetails(_ fields: [String: String], prefix: String, today: CalendarDate,
                                into v: inout Validator) -> IncidentDetails? {
        let occurredOn = v.date(fields[prefix + "occurredOn"], field: prefix + "occurredOn", label: "the date of the incident", required: true)
        if let occurredOn, occurredOn > today { v.add(prefix + "occurredOn", "The date of the incident cannot be in the future") }
        let time = optional(fields[prefix + "occurredAt"])
        if let time, !isTime(time) { v.add(prefix + "occurredAt", "Enter the time as HH:MM, like 21:30") }
        var postcode: String?
        if let text = optional(fields[prefix + "postcode"]) {
            postcode = normalisedPostcode(text)
            if postcode == nil { v.add(prefix + "postcode", "Enter a real UK postcode, like ME14 1XQ") }
        }
        let category = fields[prefix + "category"].flatMap(ASBCategory.init(rawValue:))
        if category == nil { v.add(prefix + "category", "Choose personal, nuisance or environmental") }
        let description = v.required(fields[prefix + "description"], field: prefix + "description", label: "what happened",
                                     maxLength: 4_000)
        var districtId: Int64?
        if let text = optional(fields[prefix + "districtId"]) {
            districtId = Int64(text)
            if districtId == nil { v.add(prefix + "districtId", "Choose a district from the list") }
        }
        guard let occurredOn, let category, let description else { return nil }
        return IncidentDetails(occurredOn: occurredOn, occurredAt: time, address: optional(fields[prefix + "address"]),
                               postcode: postcode, ward: optional(fields[prefix + "ward"]), districtId: districtId,
                               category: category, isHateMotivated: fields[prefix + "isHateMotivated"] == "true",
                               description: description)
    }

    public static func party(_ fields: [String: String], role: ASBParty.Role) throws(ValidationError) -> PartyInput {
        let prefix = role.rawValue + "."
        var v = Validator()
        let anonymous = fields[prefix + "anonymous"] == "true"
        let name = anonymous ? nil : optional(fields[prefix + "name"])
        if !anonymous, name == nil {
            v.add(prefix + "name", role == .complainant ? "Enter the complainant's name, or tick anonymous"
                                                        : "Enter the person's name, or tick not known")
        }
        if let name, name.count > 200 { v.add(prefix + "name", "Name must be 200 characters or fewer") }
        var postcode: String?
        if let text = optional(fields[prefix + "postcode"]) {
            postcode = normalisedPostcode(text)
            if postcode == nil { v.add(prefix + "postcode", "Enter a real UK postcode, like ME14 1XQ") }
        }
        let email = optional(fields[prefix + "email"])
        if let email, !email.contains("@") { v.add(prefix + "email", "Enter an email address like name@example.com") }
        var preference: ContactPreference?
        if let text = optional(fields[prefix + "contactPreference"]) {
            preference = ContactPreference(rawValue: text)
            if preference == nil { v.add(prefix + "contactPreference", "Choose how they want to be contacted") }
        }
        try v.check()
        return PartyInput(role: role, name: name, address: optional(fields[prefix + "address"]), postcode: postcode,
                          phone: optional(fields[prefix + "phone"]), email: email, contactPreference: preference,
                          isVulnerable: fields[prefix + "isVulnerable"] == "true",
                          vulnerabilityNotes: optional(fields[prefix + "vulnerabilityNotes"]))
    }

    /// A new case from intake fields: `title`, `districtId`, `risk`, `leadOfficerId`, `complainant.*`,
    /// `perpetrator.*`, `incident.*`. Every problem in every part is reported together.
    public static func newCase(_ fields: [String: String], sharedWith: [Int64], owningAgencyId: Int64,
                               today: CalendarDate) throws(ValidationError) -> ASBCaseInput {
        var v = Validator()
        let title = v.required(fields["title"], field: "title", label: "a short title for the case")
        var risk = VictimRisk.standard
        if let text = optional(fields["risk"]) {
            if let parsed = VictimRisk(rawValue: text) { risk = parsed } else { v.add("risk", "Choose standard, medium or high risk") }
        }
        var parts: (complainant: PartyInput?, perpetrator: PartyInput?, incident: IncidentInput?) = (nil, nil, nil)
        var issues = v.issues
        do { parts.complainant = try party(fields, role: .complainant) } catch { issues += error.issues }
        do { parts.perpetrator = try party(fields, role: .perpetrator) } catch { issues += error.issues }
        do {
            parts.incident = try incident(fields, prefix: "incident.", reportingAgencyId: owningAgencyId, today: today)
        } catch {
            issues += error.issues
        }
        guard issues.isEmpty, let title, let complainant = parts.complainant, let perpetrator = parts.perpetrator,
              let incident = parts.incident else { throw ValidationError(issues) }
        let districtId = optional(fields["districtId"]).flatMap { Int64($0) } ?? incident.details.districtId
        return ASBCaseInput(record: CaseInput(caseType: .asb, title: title, owningAgencyId: owningAgencyId,
                                              sharedWith: Set(sharedWith).subtracting([owningAgencyId]),
                                              classification: .officialSensitivePersonal, isRestricted: false),
                            districtId: districtId, leadOfficerId: optional(fields["leadOfficerId"]).flatMap { Int64($0) },
                            risk: risk, complainant: complainant, perpetrator: perpetrator, incident: incident)
    }

    /// "No action" must say why (the Case Review asks whether action was adequate).
    public static func action(_ fields: [String: String], agencyId: Int64, today: CalendarDate) throws(ValidationError) -> ActionInput {
        var v = Validator()
        let type = fields["type"].flatMap(ASBActionType.init(rawValue:))
        if type == nil { v.add("type", "Choose what was done") }
        let takenOn = v.date(fields["takenOn"], field: "takenOn", label: "the date of the action", required: true)
        if let takenOn, takenOn > today { v.add("takenOn", "The date of the action cannot be in the future") }
        let reason = optional(fields["reason"])
        if type == .noAction, reason == nil { v.add("reason", "Say why no action was taken") }
        try v.check()
        return ActionInput(agencyId: agencyId, type: type!, takenOn: takenOn!, reason: reason, notes: optional(fields["notes"]))
    }

    /// A repeat victim: the complainant has reported more than one incident (Kent ASB strategy, "repeat and
    /// vulnerable victims").
    public static func isRepeatVictim(incidentsReported: Int) -> Bool {
        incidentsReported >= 2
    }

    static func optional(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A time of day as HH:MM on the 24-hour clock, like 21:30. Read byte by byte: splitting the text was a tenth of
    /// the check of a million imported rows.
    static func isTime(_ text: String) -> Bool {
        var hour = 0, minute = 0, length = 0
        for byte in text.utf8 {
            defer { length += 1 }
            if length == 2 {
                guard byte == UInt8(ascii: ":") else { return false }
                continue
            }
            guard length < 5, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            let digit = Int(byte - UInt8(ascii: "0"))
            if length < 2 { hour = hour * 10 + digit } else { minute = minute * 10 + digit }
        }
        return length == 5 && hour < 24 && minute < 60
    }
}
