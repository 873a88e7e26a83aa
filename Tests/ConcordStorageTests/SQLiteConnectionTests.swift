@testable import ConcordStorage
import Foundation
import SQLKit
import Testing

@Suite struct SQLiteConnectionTests {
    /// Every connection of the pool, reading or writing, opens with Concord's settings (`SQLiteDirectConnection.init`).
    @Test func readAndWriteConnectionsOpenWithConcordsSettings() async throws {
        let db = try await TestEngine.sqlite.makeDatabase()
        defer { Task { await db.close() } }
        @Sendable func settings(_ sql: any SQLDatabase) async throws -> [String: String] {
            var values: [String: String] = [:]
            for name in ["foreign_keys", "busy_timeout", "synchronous", "journal_size_limit", "journal_mode", "wal_autocheckpoint"] {
                // Each answers one row of one column (busy_timeout's is called "timeout").
                let row = try #require(try await sql.raw(SQLQueryString("PRAGMA " + name)).first())
                let column = try #require(row.allColumns.first)
                values[name] = name == "journal_mode" ? try row.decode(column: column, as: String.self)
                    : String(try row.decode(column: column, as: Int.self))
            }
            return values
        }
        let expected = ["foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1" /* NORMAL */,
                        "journal_size_limit": String(SQLiteDirectConnection.walSizeLimit), "journal_mode": "wal",
                        // SQLite's own checkpoint is off: the pool checkpoints (`SQLiteDirectPool.committed(walPages:)`).
                        "wal_autocheckpoint": "0"]
        #expect(try await db.read { sql in try await settings(sql) } == expected)
        #expect(try await db.write(touchesCases: false) { sql in try await settings(sql) } == expected)
    }

    /// Once commits take the WAL past `checkpointPages`, the pool checkpoints it, and the next commit starts the WAL
    /// again from its beginning (SQLite's own checkpoint being off, nothing else would).
    @Test func thePoolCheckpointsTheWriteAheadLogPastItsLimit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-wal-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = SQLiteDirectPool(path: path, limit: 4)
        @Sendable func write(_ sql: String) async throws {
            try await pool.writeGate.run { try await pool.withConnection { try $0.run(sql, []) { _ in } } }
        }
        try await write("PRAGMA journal_mode = WAL")
        try await write("CREATE TABLE filler (body BLOB)")
        // Each commit adds about 25 pages (100 rows of 1,000 bytes): 50 take the WAL well past the limit.
        for _ in 0..<50 {
            try await write("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                INSERT INTO filler (body) SELECT randomblob(1000) FROM n
                """)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while pool.checkpointsFinished == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.checkpointsFinished >= 1)
        try await write("INSERT INTO filler (body) VALUES (x'00')")
        var walFrames = -1
        try await pool.withConnection { connection in
            try connection.run("PRAGMA wal_checkpoint(PASSIVE)", []) { row in walFrames = try row.decode(column: "log", as: Int.self) }
        }
        // Written: over 1,250 frames. The WAL starts again after a checkpoint, which begins at 1,000 frames: what was
        // committed after it is left, and commits may have gone on while it ran.
        #expect((1..<SQLiteDirectPool.checkpointPages / 2).contains(walFrames), "the WAL holds \(walFrames) frames")
        var rows = 0
        try await pool.withConnection { try $0.run("SELECT COUNT(*) AS n FROM filler", []) { row in rows = try row.decode(column: "n", as: Int.self) } }
        #expect(rows == 50 * 100 + 1)
        await pool.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last connection to close removes the WAL")
    }
}
