import ConcordDomain
import Synchronization

/// Group commit for standalone audit entries: the first caller to find the queue idle becomes the writer and
/// commits everything queued, batch after batch, until the queue is empty. Under load one transaction carries
/// many entries, so audited reads do not queue one by one behind SQLite's single writer.
final class AuditQueue: Sendable {
    private struct State {
        var pending: [(record: AuditRecord, done: CheckedContinuation<Void, any Error>)] = []
        var writing = false
    }

    private let state = Mutex(State())

    func submit(_ record: AuditRecord, to database: ConcordDatabase) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let becomesWriter = state.withLock { state in
                state.pending.append((record, done))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if becomesWriter {
                Task { await self.drain(database) }
            }
        }
    }

    private func drain(_ database: ConcordDatabase) async {
        while true {
            // Let the requests already running reach the queue first, so one commit carries them all.
            await Task.yield()
            let batch = state.withLock { state in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            let engine = database.engine
            let records = batch.map(\.record)
            do {
                // Audit entries change no case, so they leave the cached counts alone (`bulkWrite`, not `write`).
                try await database.bulkWrite { db, _ in try await AuditLog.append(records, on: db, engine: engine) }
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
    }
}
