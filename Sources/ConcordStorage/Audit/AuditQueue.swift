import ConcordDomain
import Synchronization

/// Group commit for standalone audit entries. A caller who finds no commit under way commits its own entry in
/// its own task, with no hand-off. Entries submitted while a commit runs wait together; when it ends, the audit
/// writer thread commits them all in one transaction (and so on while more arrive), then each caller goes on.
/// Under load audited reads thus do not queue one by one behind SQLite's single writer, and the next commit
/// starts at once rather than when a waiting request's turn on the cooperative pool comes round.
final class AuditQueue: Sendable {
    private enum Turn {
        case saved
        case failed(any Error)
        /// The commit under way ended before this caller queued: it commits its own entry after all.
        case lead
    }

    private typealias Waiter = CheckedContinuation<Turn, Never>

    private struct State {
        var pending: [(record: AuditRecord, waiter: Waiter)] = []
        var committing = false
    }

    private let state = Mutex(State())

    /// Returns once `record` is saved; a read is never answered without its audit entry.
    func submit(_ record: AuditRecord, to database: ConcordDatabase) async throws {
        let leads = state.withLock { state in
            guard !state.committing else { return false }
            state.committing = true
            return true
        }
        if !leads {
            let turn = await withCheckedContinuation { (waiter: Waiter) in
                let queued = state.withLock { state in
                    guard state.committing else {
                        state.committing = true
                        return false
                    }
                    state.pending.append((record, waiter))
                    return true
                }
                if !queued { waiter.resume(returning: .lead) }
            }
            switch turn {
            case .saved: return
            case .failed(let error): throw error
            case .lead: break
            }
        }
        defer { commitQueued(to: database) }
        try await Self.commit([record], to: database)
    }

    /// Ends the commit under way: the writer thread takes what queued meanwhile, or the queue goes idle.
    private func commitQueued(to database: ConcordDatabase) {
        let more = state.withLock { state in
            state.committing = !state.pending.isEmpty
            return state.committing
        }
        guard more else { return }
        Task(executorPreference: DedicatedThreadExecutor.auditWriter) { [self] in
            let queued = state.withLock { state in
                defer { state.pending = [] }
                return state.pending
            }
            var failure: (any Error)?
            do {
                try await Self.commit(queued.map(\.record), to: database)
            } catch {
                failure = error
            }
            for entry in queued { entry.waiter.resume(returning: failure.map(Turn.failed) ?? .saved) }
            commitQueued(to: database)
        }
    }

    private static func commit(_ records: [AuditRecord], to database: ConcordDatabase) async throws {
        let engine = database.engine
        // Audit entries change no case, so they leave the cached counts alone (`bulkWrite`, not `write`).
        try await database.bulkWrite { db, _ in try await AuditLog.append(records, on: db, engine: engine) }
    }
}
