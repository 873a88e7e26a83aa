import ConcordDomain
import Foundation

/// The JSON of API responses: byte for byte what `JSONEncoder` writes with `.sortedKeys` and `.iso8601` dates, written
/// straight into one buffer. Foundation's encoder first builds a tree of boxed values, a dictionary per object, then
/// sorts and writes it: a case record took it 11–17 µs (this writer: 4.5), about as long as loading the record from
/// SQLite. Values this writer does not handle (floating-point numbers, `Data`, `URL`, `Decimal`, dates before 1900 or
/// after 9999, nested and super encoders, an object asked for twice, a key written twice) make `encode` return nil;
/// the caller then uses `JSONEncoder`.
enum ResponseJSON {
    /// The JSON of `value`, or nil when it holds something only `JSONEncoder` writes.
    static func encode<T: Encodable>(_ value: T) -> [UInt8]? {
        let writer = ResponseJSONWriter()
        do {
            try writer.write(value, isTopLevel: true)
        } catch {
            return nil
        }
        return writer.isUnsupported ? nil : writer.bytes
    }

    /// The encoder the fallback uses, and the tests compare with.
    static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `value` as JSON: this writer's, or Foundation's for what it does not handle.
    /// In debug builds (the tests) every response is checked against `JSONEncoder`'s.
    static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let bytes = encode(value) {
            assert(bytes == (try? foundationEncoder().encode(value)).map(Array.init), "ResponseJSON and JSONEncoder differ for \(T.self)")
            return bytes
        }
        return Array(try foundationEncoder().encode(value))
    }
}

/// Writes one value. An object's members are written as they come, each remembered by its key and its place in the
/// buffer; when the value that opened the object has finished encoding, they are put in key order (the bytes of the
/// keys' UTF-8, as `JSONEncoder` sorts them) and the object is closed.
final class ResponseJSONWriter: Encoder {
    // One encoder on one thread, its accesses never overlapping: Swift's run-time exclusivity checks on these were a
    // quarter of the time spent encoding.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    @exclusivity(unchecked) private(set) var isUnsupported = false
    /// The container the value now being encoded asked for, if any.
    @exclusivity(unchecked) private var opened: Container?

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {
        bytes.reserveCapacity(512)
    }

    private enum Container {
        case object(ObjectFrame)
        case array(ArrayFrame)
        case single
    }

    final class ObjectFrame {
        struct Member {
            let key: String
            let range: Range<Int>
        }

        let start: Int
        @exclusivity(unchecked) var members: [Member] = []

        init(start: Int) {
            self.start = start
        }
    }

    final class ArrayFrame {
        @exclusivity(unchecked) var count = 0
    }

    struct Unsupported: Error {}

    func markUnsupported() {
        isUnsupported = true
    }

    // MARK: Values

    /// Writes `value`: strings, integers, booleans and dates directly; anything else through its `encode(to:)`.
    func write<T: Encodable>(_ value: T, isTopLevel: Bool = false) throws {
        if isUnsupported { throw Unsupported() }
        // Compared as types, not cast: a cast to each special type cost more than writing the value.
        if T.self == String.self { return writeString(value as! String) }
        if T.self == Date.self { return try writeDate(value as! Date) }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self { throw Unsupported() }
        let outer = opened
        opened = nil
        defer { opened = outer }
        let before = bytes.count
        try value.encode(to: self)
        switch opened {
        case .object(let frame): close(frame)
        case .array: bytes.append(UInt8(ascii: "]"))
        case .single: break
        case nil:
            // `JSONEncoder` writes `{}` for a member that encoded nothing, and refuses such a value at the top.
            guard bytes.count == before, !isTopLevel else { throw Unsupported() }
            bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        }
        if isUnsupported { throw Unsupported() }
    }

    private static let null = Array("null".utf8), `true` = Array("true".utf8), `false` = Array("false".utf8)
    /// 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since 1970.
    private static let earliestDate: TimeInterval = -2_208_988_800, latestDate: TimeInterval = 253_402_300_799
    private static let hexDigits = Array("0123456789abcdef".utf8)

    func writeNull() {
        bytes.append(contentsOf: Self.null)
    }

    func writeBool(_ value: Bool) {
        bytes.append(contentsOf: value ? Self.true : Self.false)
    }

    func writeInteger<I: BinaryInteger>(_ value: I) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude, as the most negative value's does not fit its own type.
        guard var magnitude = UInt64(exactly: value.magnitude) else {
            bytes.append(contentsOf: String(value.magnitude).utf8)
            return
        }
        let start = bytes.count
        repeat {
            let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
            bytes.append(UInt8(ascii: "0") + UInt8(digit))
            magnitude = quotient
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Escaped as `JSONEncoder` escapes: quote, backslash and slash, the short escapes for backspace, tab, line feed,
    /// form feed and carriage return, and `\u00xx` for the other control characters.
    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
        let plain = utf8.withContiguousStorageIfAvailable { !$0.contains(where: Self.needsEscape) } ?? !utf8.contains(where: Self.needsEscape)
        if plain {
            bytes.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                guard Self.needsEscape(byte) else {
                    bytes.append(byte)
                    continue
                }
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x00..<0x20:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    /// As `.iso8601` writes it: UTC, whole seconds (the fraction dropped), "Z". Only from 1900 to 9999: Foundation's
    /// calendar is Julian before 1582, and a year past 9999 has more digits.
    func writeDate(_ date: Date) throws {
        guard (Self.earliestDate...Self.latestDate).contains(date.timeIntervalSince1970) else { throw Unsupported() }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, remainder) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let sinceMidnight = remainder < 0 ? remainder + 86_400 : remainder
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: CalendarDate(dayNumber: remainder < 0 ? days - 1 : days).iso.utf8)
        func field(_ separator: Unicode.Scalar, _ value: Int) {
            bytes.append(contentsOf: [UInt8(ascii: separator), UInt8(ascii: "0") + UInt8(value / 10), UInt8(ascii: "0") + UInt8(value % 10)])
        }
        field("T", sinceMidnight / 3600)
        field(":", sinceMidnight / 60 % 60)
        field(":", sinceMidnight % 60)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    // MARK: Objects and arrays

    private func open(_ container: Container) -> Bool {
        guard opened == nil else {
            isUnsupported = true
            return false
        }
        opened = container
        return true
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = ObjectFrame(start: bytes.count)
        if open(.object(frame)) { bytes.append(UInt8(ascii: "{")) }
        return KeyedEncodingContainer(KeyedContainer<Key>(writer: self, frame: frame))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = ArrayFrame()
        if open(.array(frame)) { bytes.append(UInt8(ascii: "[")) }
        return UnkeyedContainer(writer: self, frame: frame)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        _ = open(.single)
        return SingleValueContainer(writer: self)
    }

    /// Starts a member: a comma after the one before, then the key.
    func beginMember(_ key: String, of frame: ObjectFrame) -> Int {
        if !frame.members.isEmpty { bytes.append(UInt8(ascii: ",")) }
        let start = bytes.count
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        return start
    }

    func endMember(_ key: String, startingAt start: Int, of frame: ObjectFrame) {
        frame.members.append(.init(key: key, range: start..<bytes.count))
    }

    /// Puts the members in key order, when they are not, and closes the object.
    private func close(_ frame: ObjectFrame) {
        let members = frame.members
        if zip(members, members.dropFirst()).contains(where: { !Self.precedes($0.key, $1.key) }) {
            let sorted = members.sorted { Self.precedes($0.key, $1.key) }
            // `JSONEncoder` keeps the last of a key written twice; none of Concord's types does that.
            if zip(sorted, sorted.dropFirst()).contains(where: { $0.key == $1.key }) { isUnsupported = true }
            let contentStart = frame.start + 1
            var reordered: [UInt8] = []
            reordered.reserveCapacity(bytes.count - contentStart)
            for member in sorted {
                if !reordered.isEmpty { reordered.append(UInt8(ascii: ",")) }
                reordered.append(contentsOf: bytes[member.range])
            }
            bytes.replaceSubrange(contentStart..., with: reordered)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static func precedes(_ a: String, _ b: String) -> Bool {
        let inPlace = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in a.lexicographicallyPrecedes(b) }
        }
        return (inPlace ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    func beginElement(of frame: ArrayFrame) {
        if frame.count > 0 { bytes.append(UInt8(ascii: ",")) }
        frame.count += 1
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: ResponseJSONWriter
    let frame: ResponseJSONWriter.ObjectFrame
    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key, _ write: () throws -> Void) rethrows {
        let name = key.stringValue
        let start = writer.beginMember(name, of: frame)
        try write()
        writer.endMember(name, startingAt: start, of: frame)
    }

    mutating func encodeNil(forKey key: Key) throws { member(key) { writer.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { member(key) { writer.writeBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key) { writer.writeString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Int, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { member(key) { writer.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key) { try writer.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.markUnsupported()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer, frame: .init(start: 0)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.markUnsupported()
        return UnkeyedContainer(writer: writer, frame: .init())
    }

    mutating func superEncoder() -> any Encoder {
        writer.markUnsupported()
        return writer
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.markUnsupported()
        return writer
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let writer: ResponseJSONWriter
    let frame: ResponseJSONWriter.ArrayFrame
    var codingPath: [any CodingKey] { [] }
    var count: Int { frame.count }

    private func element(_ write: () throws -> Void) rethrows {
        writer.beginElement(of: frame)
        try write()
    }

    mutating func encodeNil() throws { element { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { element { writer.writeBool(value) } }
    mutating func encode(_ value: String) throws { element { writer.writeString(value) } }
    mutating func encode(_ value: Double) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Float) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Int) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { element { writer.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { element { writer.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try element { try writer.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.markUnsupported()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer, frame: .init(start: 0)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.markUnsupported()
        return UnkeyedContainer(writer: writer, frame: .init())
    }

    mutating func superEncoder() -> any Encoder {
        writer.markUnsupported()
        return writer
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let writer: ResponseJSONWriter
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.writeBool(value) }
    mutating func encode(_ value: String) throws { writer.writeString(value) }
    mutating func encode(_ value: Double) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Float) throws { throw ResponseJSONWriter.Unsupported() }
    mutating func encode(_ value: Int) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.write(value) }
}
