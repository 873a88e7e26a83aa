import Foundation
import SQLiteNIO
import SQLKit

/// Rows written in multi-row INSERT statements, each value given as SQLite stores it. On the direct SQLite
/// connection the values are bound as they are, through statements prepared once (see
/// `SQLiteDirectConnection.insert`); elsewhere (PostgreSQL) through SQLKit, in statements of at most 500 rows and
/// 30,000 values.
enum BulkInsert {
    static func run(_ rows: some Collection<[SQLiteData]>, into table: String, columns: [String], on db: any SQLDatabase) async throws {
        if let direct = db as? SQLiteDirectDatabase {
            try direct.connection.insert(rows, into: table, columns: columns)
            return
        }
        let head = SQLQueryString("INSERT INTO " + table + " (" + columns.joined(separator: ", ") + ") VALUES ")
        let rows = Array(rows)
        let chunkSize = max(1, min(500, 30_000 / columns.count))
        for start in stride(from: 0, to: rows.count, by: chunkSize) {
            let tuples = rows[start..<min(start + chunkSize, rows.count)].map { row in
                SQLQueryString("(\(binds: row.map(\.encodable)))")
            }
            try await db.raw(head + tuples.joined(separator: ", ")).run()
        }
    }
}

extension SQLiteData {
    init(_ value: Int64?) { self = value.map { .integer(Int($0)) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }

    static func integer(_ value: Int64) -> SQLiteData { .integer(Int(value)) }

    /// The value bound through SQLKit.
    fileprivate var encodable: any Encodable & Sendable {
        switch self {
        case .integer(let value): Int64(value)
        case .float(let value): value
        case .text(let value): value
        case .blob(let value): Data(buffer: value)
        case .null: Int64?.none
        }
    }
}
