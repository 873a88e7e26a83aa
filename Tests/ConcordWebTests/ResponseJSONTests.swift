import ConcordDomain
@testable import ConcordWeb
import Foundation
import Testing

/// The API's own JSON writer must write exactly what `JSONEncoder` (sorted keys, ISO 8601 dates) writes, and hand
/// back to it what it does not write.
@Suite struct ResponseJSONTests {
    func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try ResponseJSON.foundationEncoder().encode(value))
    }

    func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let own = try #require(ResponseJSON.encode(value), sourceLocation: sourceLocation)
        #expect(String(decoding: own, as: UTF8.self) == String(decoding: try foundation(value), as: UTF8.self),
                sourceLocation: sourceLocation)
    }

    struct Member: Encodable {
        let zeta: Int
        let alpha: String?
        let nested: [Member]
        let when: Date
        let flag: Bool
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    struct WithDouble: Encodable {
        let name = "rating"
        let rating: Double
    }

    struct SameKeyTwice: Encodable {
        enum Keys: String, CodingKey { case b, a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .b)
            try container.encode(2, forKey: .a)
            try container.encode(3, forKey: .b)
        }
    }

    @Test func aCaseRecordIsWrittenAsJSONEncoderWritesIt() throws {
        let record = CaseRecord(id: 42, caseType: .asb, reference: "ASB-000042", title: "Noise at \"The Oaks\" / flat 3",
                                owningAgencyId: 7, sharedWith: [3, 9, 12], classification: .officialSensitivePersonal,
                                isRestricted: true, status: "open", createdAt: Date(timeIntervalSince1970: 1_764_936_000.789),
                                updatedAt: Date(timeIntervalSince1970: 1_764_939_601), version: 3)
        try expectSame(record)
        try expectSame([record, record])
    }

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        try expectSame(["text": "a/b\"c\\d\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}\u{2028}é😀", "plain": "nothing to escape"])
    }

    @Test func keysAreInTheOrderOfTheirBytes() throws {
        try expectSame(["b": 1, "a": 2, "B": 3, "_a": 4, "a_b": 5, "aB": 6, "é": 7, "a1": 8, "a10": 9, "a2": 10, "ab": 12])
        try expectSame([10: "ten", 2: "two", 1: "one"])
        try expectSame(Member(zeta: 1, alpha: nil, nested: [Member(zeta: -2, alpha: "x", nested: [], when: Date(timeIntervalSince1970: -86_401), flag: false)],
                              when: Date(timeIntervalSince1970: 0), flag: true))
    }

    @Test func numbersDatesAndEmptyValues() throws {
        try expectSame([Int64.min, Int64.max, 0, -1])
        try expectSame([UInt64.max])
        try expectSame([Date(timeIntervalSince1970: 1.9996), Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 1e9)])
        try expectSame([Int?.none, 1])
        try expectSame([String: [Int]]())
        try expectSame([[Int]]())
        try expectSame(["nothing": Nothing()])
        try expectSame([Date(timeIntervalSince1970: -2_208_988_800), Date(timeIntervalSince1970: 253_402_300_798.5), Date(timeIntervalSince1970: 253_402_300_799)])
    }

    @Test func whatItDoesNotWriteGoesToJSONEncoder() throws {
        #expect(ResponseJSON.encode(WithDouble(rating: 4.5)) == nil)
        #expect(try ResponseJSON.bytes(WithDouble(rating: 4.5)) == foundation(WithDouble(rating: 4.5)))
        #expect(ResponseJSON.encode(["address": URL(string: "https://example.org/a")!]) == nil)
        #expect(ResponseJSON.encode(SameKeyTwice()) == nil)
        #expect(try ResponseJSON.bytes(SameKeyTwice()) == foundation(SameKeyTwice()))
        #expect(ResponseJSON.encode([Date.distantPast]) == nil)
        #expect(try ResponseJSON.bytes([Date.distantPast]) == foundation([Date.distantPast]))
        // Nothing at the top level is an error for both.
        #expect(ResponseJSON.encode(Nothing()) == nil)
        #expect(throws: EncodingError.self) { try ResponseJSON.bytes(Nothing()) }
    }
}
