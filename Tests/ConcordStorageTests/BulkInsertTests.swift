@testable import ConcordStorage
import SQLiteNIO
import SQLKit
import Testing

@Suite struct BulkInsertTests {
    /// Rows past one multi-row statement (100 on SQLite) and a remainder all arrive, values and nulls as given.
    @Test(arguments: TestEngine.available)
    func rowsInFullStatementsAndTheRemainderAllArrive(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let values: [SQLiteData] = (1...253).flatMap { id in [.integer(Int64(id)), .text("row \(id)"), id.isMultiple(of: 3) ? .null : .text("n")] }
        let stored = try await db.write(touchesCases: false) { sql in
            try await sql.raw("CREATE TEMPORARY TABLE bulk_rows (id BIGINT, name TEXT, note TEXT)").run()
            try await BulkInsert.run(values, into: "bulk_rows", columns: ["id", "name", "note"], on: sql)
            return try await sql.raw("SELECT id, name, note FROM bulk_rows ORDER BY id").all().map { row in
                [try row.decode(column: "id", as: Int64.self).description, try row.decode(column: "name", as: String.self),
                 try row.decode(column: "note", as: String?.self) ?? "null"]
            }
        }
        #expect(stored == (1...253).map { id in [String(id), "row \(id)", id.isMultiple(of: 3) ? "null" : "n"] })
    }

    /// The insert's SQL is kept per table and column list: another list for the same table, and another table,
    /// on the same connection, each get their own.
    @Test func eachTableAndColumnListGetsItsOwnInsert() async throws {
        let db = try await TestEngine.sqlite.makeDatabase()
        defer { Task { await db.close() } }
        let stored = try await db.write(touchesCases: false) { sql in
            try await sql.raw("CREATE TEMPORARY TABLE first_rows (id BIGINT, name TEXT, note TEXT)").run()
            try await sql.raw("CREATE TEMPORARY TABLE second_rows (id BIGINT, note TEXT)").run()
            try await BulkInsert.run([.integer(1), .text("one"), .text("a")], into: "first_rows", columns: ["id", "name", "note"], on: sql)
            try await BulkInsert.run([.integer(2), .text("b")], into: "first_rows", columns: ["id", "note"], on: sql)
            try await BulkInsert.run([.integer(3), .text("c")], into: "second_rows", columns: ["id", "note"], on: sql)
            try await BulkInsert.run([.integer(4), .text("four"), .text("d")], into: "first_rows", columns: ["id", "name", "note"], on: sql)
            return try await sql.raw("""
                SELECT id, name, note FROM first_rows UNION ALL SELECT id, NULL, note FROM second_rows ORDER BY id
                """).all().map { row in
                "\(try row.decode(column: "id", as: Int64.self)) \(try row.decode(column: "name", as: String?.self) ?? "-") \(try row.decode(column: "note", as: String.self))"
            }
        }
        #expect(stored == ["1 one a", "2 - b", "3 - c", "4 four d"])
    }

    /// An import's transaction runs without SQLite's foreign-key lookups on its connection, and the connection has
    /// them again afterwards, whether the transaction committed or failed.
    @Test func foreignKeysAreEnforcedAgainAfterABulkWriteThatChecksItsOwn() async throws {
        let db = try await TestEngine.sqlite.makeDatabase()
        defer { Task { await db.close() } }
        struct Connection: Error, Equatable {
            let id: ObjectIdentifier
            let enforcesForeignKeys: Bool
        }
        @Sendable func connection(_ sqlite: SQLiteDirectConnection?) throws -> Connection {
            var enforced = false
            try sqlite?.run("PRAGMA foreign_keys", []) { row in enforced = try row.decode(column: "foreign_keys", as: Int.self) == 1 }
            return Connection(id: ObjectIdentifier(try #require(sqlite)), enforcesForeignKeys: enforced)
        }
        for fails in [false, true] {
            // A failing transaction throws the connection it ran on, so both cases can be compared.
            let during: Connection
            do {
                during = try await db.bulkWrite(checksOwnForeignKeys: true) { _, sqlite in
                    let state = try connection(sqlite)
                    if fails { throw state }
                    return state
                }
                #expect(!fails)
            } catch let thrown as Connection {
                #expect(fails)
                during = thrown
            }
            // Idle connections are handed out last-in first-out, so this is the same connection again.
            let after = try await db.bulkWrite { _, sqlite in try connection(sqlite) }
            #expect(!during.enforcesForeignKeys)
            #expect(after == Connection(id: during.id, enforcesForeignKeys: true))
        }
    }
}
