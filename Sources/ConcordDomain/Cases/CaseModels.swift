import Foundation

/// The part of every case that access control, the audit log and the case list need. Each module (ASB, Case
/// Review, MARAC, DHR) keeps its own detail in its own tables keyed by this record's id.
public struct CaseRecord: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var caseType: CaseType
    public var reference: String
    public var title: String
    public var owningAgencyId: Int64
    public var sharedWith: Set<Int64>
    public var classification: Classification
    public var isRestricted: Bool
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(id: Int64, caseType: CaseType, reference: String, title: String, owningAgencyId: Int64,
                sharedWith: Set<Int64>, classification: Classification, isRestricted: Bool, status: String,
                createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.caseType = caseType
        self.reference = reference
        self.title = title
        self.owningAgencyId = owningAgencyId
        self.sharedWith = sharedWith
        self.classification = classification
        self.isRestricted = isRestricted
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    public var accessFacts: CaseAccessFacts {
        CaseAccessFacts(caseType: caseType, owningAgencyId: owningAgencyId, sharedWith: sharedWith,
                        classification: classification, isRestricted: isRestricted)
    }
}

public struct CaseInput: Sendable, Equatable {
    public var caseType: CaseType
    public var title: String
    public var owningAgencyId: Int64
    public var sharedWith: Set<Int64>
    public var classification: Classification
    public var isRestricted: Bool

    public init(caseType: CaseType, title: String, owningAgencyId: Int64, sharedWith: Set<Int64>,
                classification: Classification, isRestricted: Bool) {
        self.caseType = caseType
        self.title = title
        self.owningAgencyId = owningAgencyId
        self.sharedWith = sharedWith
        self.classification = classification
        self.isRestricted = isRestricted
    }

    /// Checks a new case's fields. The owning agency is the creator's own; `sharedWith` excludes it. A legacy marking
    /// is taken as `legacyMappings` (`PartnershipSettings.legacyMappings`) says.
    public static func validate(caseType: String?, title: String?, classification: String?, sharedWith: [Int64],
                                isRestricted: Bool, owningAgencyId: Int64,
                                legacyMappings: [String: Classification] = [:]) throws(ValidationError) -> CaseInput {
        var v = Validator()
        let type = caseType.flatMap(CaseType.init(rawValue:))
        if type == nil { v.add("caseType", "Choose the type of case") }
        if let path = type?.intakePath { v.add("caseType", "\(type!.label)s are opened through their own intake (\(path))") }
        let title = v.required(title, field: "title", label: "a short title for the case", maxLength: 200)
        var marking: Classification?
        do {
            marking = try Classification.parse(classification ?? "", legacyMappings: legacyMappings)
        } catch {
            v.add("classification", error.description)
        }
        try v.check()
        return CaseInput(caseType: type!, title: title!, owningAgencyId: owningAgencyId,
                         sharedWith: Set(sharedWith).subtracting([owningAgencyId]), classification: marking!,
                         isRestricted: isRestricted)
    }
}

/// A page of results and the cursor for the next one (keyset pagination on id, newest first).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: Int64?

    public init(items: [Item], nextCursor: Int64?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
