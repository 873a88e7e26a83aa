import ConcordDomain
@testable import ConcordStorage
import Testing

@Suite struct AuditQueueTests {
    static func entry(_ index: Int) -> AuditRecord {
        AuditRecord(context: AuditContext(userId: nil, agencyId: nil, requestId: "g\(index)"), action: .view, recordType: "case",
                    recordId: String(index))
    }

    /// A fresh store and a queue of its own with the given window.
    static func queue(_ engine: TestEngine, window: Duration) async throws -> (ConcordDatabase, AuditQueue) {
        (try await engine.makeDatabase(), AuditQueue(gatherWindow: window))
    }

    static func saved(_ db: ConcordDatabase) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE request_id LIKE 'g%'").first()!.decode(column: "n", as: Int.self)
        }
    }

    /// Entries that come one at a time (each sent once the one before is saved) are committed at once, not held for
    /// the window (here half a minute, far longer than any stall of a busy test machine).
    @Test(arguments: TestEngine.available)
    func entriesThatComeOneAtATimeAreCommittedAtOnce(_ engine: TestEngine) async throws {
        let window = Duration.seconds(30)
        let (db, queue) = try await Self.queue(engine, window: window)
        defer { Task { await db.close() } }
        let started = ContinuousClock.now
        try await queue.submit(Self.entry(0), to: db)
        try await queue.submit(Self.entry(1), to: db)
        #expect(ContinuousClock.now - started < window)
        #expect(queue.totals == .init(transactions: 2, entries: 2))
        #expect(try await Self.saved(db) == 2)
    }

    /// Entries that arrive while a commit is under way wait for the window after it, and then share one commit. Here
    /// the first entry's commit is held up by another writer (the audit chain's head is locked) while twenty more
    /// arrive. The time checked is a lower bound, which a slow or busy test machine cannot break.
    @Test(arguments: TestEngine.available)
    func entriesArrivingDuringACommitWaitForTheWindowAndShareTheNext(_ engine: TestEngine) async throws {
        let window = Duration.seconds(1)
        let (db, queue) = try await Self.queue(engine, window: window)
        defer { Task { await db.close() } }
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let otherWriter = Task {
            try await db.write(touchesCases: false) { sql in
                try await sql.raw("UPDATE audit_chain SET last_id = last_id WHERE id = 1").run()
                enteredSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in entered { break }

        let (submitted, submittedSignal) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await queue.submit(Self.entry(0), to: db) }
            // The writer has taken the first entry and waits for the lock.
            try await Task.sleep(for: .milliseconds(200))
            for index in 1...20 {
                group.addTask {
                    submittedSignal.yield()
                    try await queue.submit(Self.entry(index), to: db)
                }
            }
            var count = 0
            for await _ in submitted {
                count += 1
                if count == 20 { break }
            }
            try await Task.sleep(for: .milliseconds(50))
            let released = ContinuousClock.now
            releaseSignal.yield()
            try await group.waitForAll()
            #expect(ContinuousClock.now - released >= window)
        }
        try await otherWriter.value
        #expect(queue.totals.entries == 21 && (2...3).contains(queue.totals.transactions), "\(queue.totals)")
        #expect(try await Self.saved(db) == 21)
        #expect(try await AuditLog(database: db).verify().isIntact)
    }
}
