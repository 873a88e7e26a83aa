import ConcordDomain
import Synchronization

/// Group commit for standalone audit entries, written by one task on a thread of its own
/// (`BackgroundExecutor.auditWriter`): it commits every entry queued while its previous commit ran, in one
/// transaction, and tells each caller, until none is left. Under load one transaction carries many entries, so
/// audited reads do not queue one by one behind SQLite's single writer. No commit runs on the cooperative pool
/// (one thread per core), where it held a thread the requests' own jobs were waiting for and each next commit
/// waited its turn behind them: committing there (in the first caller's task, then in the next queued caller's)
/// left the slowest 1% of case list pages 4–6 times slower (`scripts/bench-case-list.sh` at 10 connections:
/// p99 77–127 ms, against 19–23 ms with this thread).
///
/// When entries arrive together (a commit carried more than one, or more arrived while it ran), the next commit
/// waits until `gatherWindow` after it and carries every entry that arrives meanwhile; an entry that comes alone is
/// committed at once. This is PostgreSQL's `commit_delay` with `commit_siblings`: each transaction costs about
/// 100 µs whatever it carries (`Benchmarks/`, "Audit append alone"), and under load the queue alone committed 3–4
/// entries at a time, which made the audit writer a seventh of an authenticated read's CPU.
final class AuditQueue: Sendable {
    private typealias Waiter = CheckedContinuation<Void, any Error>

    private struct State {
        var pending: [(record: AuditRecord, waiter: Waiter)] = []
        var writing = false
        var totals = Totals()
    }

    /// What the queue has committed since it started: transactions, and the entries they carried.
    struct Totals: Sendable, Equatable {
        var transactions = 0
        var entries = 0
    }

    private let state = Mutex(State())
    let gatherWindow: Duration

    /// The authenticated read at 64 connections (`scripts/bench-http.sh`), alternated with the build before: 0.45–0.46
    /// of `/health`'s requests/s without the window (4 entries a commit), 0.50–0.51 with it (about 20 a commit; read
    /// +11%, p99 13–15 ms against 14–18). Windows of 0.5 and 1 ms gathered less; 4 and 6 ms did no better. The case
    /// list at 10 connections is unchanged (`scripts/bench-case-list.sh`: 407–434 req/s before, 425–441 after).
    init(gatherWindow: Duration = .milliseconds(2)) {
        self.gatherWindow = gatherWindow
    }

    var totals: Totals { state.withLock(\.totals) }

    /// Returns once `record` is saved; a read is never answered without its audit entry.
    func submit(_ record: AuditRecord, to database: ConcordDatabase) async throws {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startsWriter = state.withLock { state in
                state.pending.append((record, waiter))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startsWriter {
                Task(executorPreference: BackgroundExecutor.auditWriter) { await self.writeQueued(to: database) }
            }
        }
    }

    private func writeQueued(to database: ConcordDatabase) async {
        let engine = database.engine
        var nextCommitNotBefore: ContinuousClock.Instant?
        while true {
            if let nextCommitNotBefore { try? await Task.sleep(until: nextCommitNotBefore, clock: .continuous) }
            let batch = state.withLock { state in
                defer { state.pending = [] }
                if state.pending.isEmpty { state.writing = false }
                return state.pending
            }
            guard !batch.isEmpty else { return }
            do {
                // Audit entries change no case, so they leave the cached counts alone (`bulkWrite`, not `write`).
                try await database.bulkWrite { db, _ in try await AuditLog.append(batch.map(\.record), on: db, engine: engine) }
                // Looked at before the callers are told: an entry a caller sends after hearing of its last one did
                // not arrive during the commit.
                let arrivingTogether = state.withLock { state in
                    state.totals.transactions += 1
                    state.totals.entries += batch.count
                    return batch.count > 1 || !state.pending.isEmpty
                }
                nextCommitNotBefore = arrivingTogether ? .now + gatherWindow : nil
                for entry in batch { entry.waiter.resume() }
            } catch {
                nextCommitNotBefore = nil
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
    }
}
