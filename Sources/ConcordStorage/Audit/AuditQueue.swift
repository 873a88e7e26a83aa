import ConcordDomain
import Synchronization

/// Group commit for standalone audit entries. A caller who finds no commit under way leads: it commits its own
/// entry together with every entry queued while the previous commit ran, then hands the lead to the first caller
/// still waiting. Under load one transaction carries many entries, so audited reads do not queue one by one
/// behind SQLite's single writer; alone, an entry is committed in the caller's own task with no hand-off.
final class AuditQueue: Sendable {
    private enum Turn {
        case saved
        case failed(any Error)
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
        try await lead(with: record, database)
    }

    private func lead(with record: AuditRecord, _ database: ConcordDatabase) async throws {
        let queued = state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
        let records = [record] + queued.map(\.record)
        let engine = database.engine
        var failure: (any Error)?
        do {
            // Audit entries change no case, so they leave the cached counts alone (`bulkWrite`, not `write`).
            try await database.bulkWrite { db, _ in try await AuditLog.append(records, on: db, engine: engine) }
        } catch {
            failure = error
        }
        for entry in queued { entry.waiter.resume(returning: failure.map(Turn.failed) ?? .saved) }
        let next: Waiter? = state.withLock { state in
            guard !state.pending.isEmpty else {
                state.committing = false
                return nil
            }
            return state.pending.removeFirst().waiter
        }
        next?.resume(returning: .lead)
        if let failure { throw failure }
    }
}
