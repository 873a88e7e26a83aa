import Foundation

/// The Government Security Classification marking every record and export carries.
///
/// Only OFFICIAL (optionally with the SENSITIVE handling caveat) is held in Concord; SECRET and TOP SECRET
/// material is refused. Descriptors (PERSONAL, COMMERCIAL, LOCSEN) refine handling.
/// Source: Cabinet Office, Government Security Classifications (2014, rev. 2018); shared/design/domain-rules.md
/// "Security classification and information governance".
public struct Classification: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public enum Level: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case official = 0
        case officialSensitive = 1

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public var marking: String {
            switch self {
            case .official: "OFFICIAL"
            case .officialSensitive: "OFFICIAL-SENSITIVE"
            }
        }
    }

    public enum Descriptor: String, Sendable, Hashable, Codable, CaseIterable {
        case personal = "PERSONAL"
        case commercial = "COMMERCIAL"
        case locsen = "LOCSEN"
    }

    public let level: Level
    public let descriptors: [Descriptor]

    public init(_ level: Level, _ descriptors: [Descriptor] = []) {
        self.level = level
        self.descriptors = Descriptor.allCases.filter(descriptors.contains)
    }

    public static let official = Classification(.official)
    public static let officialSensitive = Classification(.officialSensitive)
    public static let officialSensitivePersonal = Classification(.officialSensitive, [.personal])

    /// "OFFICIAL-SENSITIVE PERSONAL"
    public var marking: String {
        ([level.marking] + descriptors.map(\.rawValue)).joined(separator: " ")
    }

    public var description: String { marking }

    public static func < (a: Classification, b: Classification) -> Bool {
        a.level.rawValue < b.level.rawValue
    }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case aboveOfficial(String)
        case legacyNeedsMapping(String)
        case unknown(String)

        public var description: String {
            switch self {
            case .empty:
                "Enter a security classification"
            case .aboveOfficial(let marking):
                "\(marking) material must not be held in Concord: only OFFICIAL and OFFICIAL-SENSITIVE are allowed"
            case .legacyNeedsMapping(let marking):
                "The old marking \(marking) has no automatic equivalent: an administrator must set how it maps"
            case .unknown(let word):
                "\(word) is not a recognised classification or descriptor"
            }
        }
    }

    /// Parses a marking such as `OFFICIAL-SENSITIVE PERSONAL` or `OFFICIAL SENSITIVE`. Legacy Government
    /// Protective Marking Scheme (GPMS) markings are mapped as domain-rules.md says: PROTECT → OFFICIAL,
    /// RESTRICTED → OFFICIAL-SENSITIVE; CONFIDENTIAL only through `legacyMappings` set by an administrator.
    public static func parse(_ text: String, legacyMappings: [String: Classification] = [:]) throws(ParseError) -> Classification {
        let words = text.uppercased()
            .replacingOccurrences(of: "OFFICIAL SENSITIVE", with: "OFFICIAL-SENSITIVE")
            .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" || $0 == ":" })
            .map(String.init)
        guard let head = words.first else { throw .empty }
        let level: Level
        switch head {
        case "OFFICIAL": level = .official
        case "OFFICIAL-SENSITIVE": level = .officialSensitive
        case "PROTECT": level = .official
        case "RESTRICTED": level = .officialSensitive
        case "SECRET", "TOP", "TOP-SECRET": throw .aboveOfficial(words.joined(separator: " "))
        case "CONFIDENTIAL":
            guard let mapped = legacyMappings["CONFIDENTIAL"] else { throw .legacyNeedsMapping("CONFIDENTIAL") }
            return mapped
        default: throw .unknown(head)
        }
        var descriptors: [Descriptor] = []
        for word in words.dropFirst() {
            guard let descriptor = Descriptor(rawValue: word) else { throw .unknown(word) }
            descriptors.append(descriptor)
        }
        return Classification(level, descriptors)
    }

    /// A marking as Concord stores it (always `marking`'s canonical form): the usual ones from a table, any other
    /// parsed. Case lists read one per row.
    public static func stored(_ marking: String) throws(ParseError) -> Classification {
        if let known = canonical[marking] { return known }
        return try parse(marking)
    }

    private static let canonical: [String: Classification] = Dictionary(
        uniqueKeysWithValues: [Classification.official, .officialSensitive, .officialSensitivePersonal].map { ($0.marking, $0) })

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Classification.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(marking)
    }
}
