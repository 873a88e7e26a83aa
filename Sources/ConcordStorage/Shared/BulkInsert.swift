import Foundation
import SQLiteNIO
import SQLKit

/// Rows written in multi-row INSERT statements, each value given as SQLite stores it, the rows one after another
/// in one array (an array per row cost an allocation and a free per row: a tenth of the writer's time in a
/// million-row import). On the direct SQLite connection the values are bound as they are, through statements
/// prepared once (see `SQLiteDirectConnection.insert`); elsewhere (PostgreSQL) through SQLKit, in statements of at
/// most 500 rows and 30,000 values.
enum BulkInsert {
    static func run(_ values: [SQLiteData], into table: String, columns: [String], on db: any SQLDatabase) async throws {
        precondition(values.count.isMultiple(of: columns.count), "\(values.count) values do not fill rows of \(columns.count) columns")
        if let direct = db as? SQLiteDirectDatabase {
            try direct.connection.insert(values, into: table, columns: columns)
            return
        }
        let head = SQLQueryString("INSERT INTO " + table + " (" + columns.joined(separator: ", ") + ") VALUES ")
        let valuesPerStatement = max(1, min(500, 30_000 / columns.count)) * columns.count
        for start in stride(from: 0, to: values.count, by: valuesPerStatement) {
            let tuples = stride(from: start, to: min(start + valuesPerStatement, values.count), by: columns.count).map { row in
                SQLQueryString("(\(binds: values[row..<row + columns.count].map(\.encodable)))")
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
