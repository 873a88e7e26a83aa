import ConcordDomain
@testable import ConcordStorage
import Testing

@Suite struct AuditQueueTests {
    static func entry(_ index: Int) -> AuditRecord {
        AuditRecord(context: AuditContext(userId: nil, agencyId: nil, requestId: "g\(index)"), action: .view, recordType: "case",
                    recordId: String(index))
    }

    static func saved(_ db: ConcordDatabase) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE request_id LIKE 'g%'").first()!.decode(column: "n", as: Int.self)
        }
    }

    /// An entry after a quiet spell is committed at once, however long the window: were it held for the window
    /// (ten minutes), the test would run out of time.
    @Test(.timeLimit(.minutes(1)), arguments: TestEngine.available)
    func anEntryAfterAQuietSpellIsCommittedAtOnce(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let queue = AuditQueue(gatherWindow: .seconds(600))
        try await queue.submit(Self.entry(0), to: db)
        #expect(queue.totals == .init(transactions: 1, entries: 1))
        #expect(try await Self.saved(db) == 1)
    }

    /// Entries that arrive within the window after a commit wait for it to pass and share the next commit. The times
    /// checked are lower bounds, which a slow or busy test machine cannot break.
    @Test(arguments: TestEngine.available)
    func entriesArrivingWithinTheGatherWindowShareOneCommit(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let window = Duration.seconds(1)
        let queue = AuditQueue(gatherWindow: window)
        let started = ContinuousClock.now
        try await queue.submit(Self.entry(0), to: db)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...20 {
                group.addTask { try await queue.submit(Self.entry(index), to: db) }
            }
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started >= window)
        #expect(queue.totals.entries == 21 && queue.totals.transactions <= 3, "\(queue.totals)")
        #expect(try await Self.saved(db) == 21)
        #expect(try await AuditLog(database: db).verify().isIntact)
    }
}
