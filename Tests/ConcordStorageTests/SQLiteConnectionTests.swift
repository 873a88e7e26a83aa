@testable import ConcordStorage
import SQLKit
import Testing

@Suite struct SQLiteConnectionTests {
    /// Every connection of the pool, reading or writing, opens with Concord's settings (`SQLiteDirectConnection.init`).
    @Test func readAndWriteConnectionsOpenWithConcordsSettings() async throws {
        let db = try await TestEngine.sqlite.makeDatabase()
        defer { Task { await db.close() } }
        @Sendable func settings(_ sql: any SQLDatabase) async throws -> [String: String] {
            var values: [String: String] = [:]
            for name in ["foreign_keys", "busy_timeout", "synchronous", "journal_size_limit", "journal_mode"] {
                // Each answers one row of one column (busy_timeout's is called "timeout").
                let row = try #require(try await sql.raw(SQLQueryString("PRAGMA " + name)).first())
                let column = try #require(row.allColumns.first)
                values[name] = name == "journal_mode" ? try row.decode(column: column, as: String.self)
                    : String(try row.decode(column: column, as: Int.self))
            }
            return values
        }
        let expected = ["foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1" /* NORMAL */,
                        "journal_size_limit": String(SQLiteDirectConnection.walSizeLimit), "journal_mode": "wal"]
        #expect(try await db.read { sql in try await settings(sql) } == expected)
        #expect(try await db.write(touchesCases: false) { sql in try await settings(sql) } == expected)
    }
}
