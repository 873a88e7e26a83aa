import Foundation

/// A value stored as JSON text in a column (lists of names, change logs, lineage).
enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
