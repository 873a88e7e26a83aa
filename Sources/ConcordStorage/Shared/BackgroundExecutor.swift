import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own that runs the tasks which prefer it, off Swift's cooperative pool (one thread per core).
/// SQLite statements run in the calling task, so work that holds a thread would otherwise leave the pool's other
/// jobs, and so the requests, queued behind it.
final class BackgroundExecutor: TaskExecutor, Sendable {
    /// For aggregates over every case (a 150 ms count): at idle priority (Linux `SCHED_IDLE`) it runs on what the
    /// requests leave; callers serve the previous value meanwhile (`ShortLivedCache.valueServingStale`).
    static let shared = BackgroundExecutor(name: "concord.background", idlePriority: true)
    /// For the audit log's group commit (`AuditQueue`): at normal priority, as every audited read waits for it.
    static let auditWriter = BackgroundExecutor(name: "concord.audit", idlePriority: false)
    /// For checkpoints of SQLite's write-ahead log (`SQLiteDirectPool.committed(walPages:)`): at normal priority, as
    /// the log grows until one has run.
    static let checkpointer = BackgroundExecutor(name: "concord.checkpoint", idlePriority: false)
    /// For a bulk import's row building (`ASBImporter`), beside the task that writes the rows and the one that checks
    /// them; started by the first import.
    static let importBuilder = BackgroundExecutor(name: "concord.import", idlePriority: false)

    private let jobs = Mutex<[UnownedJob]>([])
    private let waiting = DispatchSemaphore(value: 0)

    private init(name: String, idlePriority: Bool) {
        let thread = Thread { [self] in
            #if canImport(Glibc)
            if idlePriority {
                // SCHED_IDLE (5 in <linux/sched.h>; glibc declares it only under _GNU_SOURCE), for this thread alone.
                var parameters = sched_param(sched_priority: 0)
                _ = sched_setscheduler(0, 5, &parameters)
            }
            #endif
            while true {
                waiting.wait()
                guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        waiting.signal()
    }
}
