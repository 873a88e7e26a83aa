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
final class AuditQueue: Sendable {
    private typealias Waiter = CheckedContinuation<Void, any Error>

    private struct State {
        var pending: [(record: AuditRecord, waiter: Waiter)] = []
        var writing = false
    }

    private let state = Mutex(State())

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
        while true {
            let batch = state.withLock { state in
                defer { state.pending = [] }
                if state.pending.isEmpty { state.writing = false }
                return state.pending
            }
            guard !batch.isEmpty else { return }
            do {
                // Audit entries change no case, so they leave the cached counts alone (`bulkWrite`, not `write`).
                try await database.bulkWrite { db, _ in try await AuditLog.append(batch.map(\.record), on: db, engine: engine) }
                for entry in batch { entry.waiter.resume() }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
    }
}
