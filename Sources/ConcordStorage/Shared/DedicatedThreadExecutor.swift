import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own for tasks that prefer it (`Task(executorPreference:)`), rather than Swift's cooperative
/// pool, which has one thread per core: SQLite statements run in the calling task, so work there holds one of
/// the two threads a two-core machine serves requests with, and work queued there waits behind every request.
final class DedicatedThreadExecutor: TaskExecutor, Sendable {
    /// Work that may hold a thread for a long time (an aggregate over every case), at idle priority (Linux
    /// `SCHED_IDLE`): it runs on what the requests leave, and callers serve the previous value meanwhile
    /// (`ShortLivedCache.valueServingStale`).
    static let background = DedicatedThreadExecutor(name: "concord.background", idlePriority: true)
    /// Copying SQLite's write-ahead log back into the database (`SQLiteDirectPool`), off the committing request.
    static let checkpointer = DedicatedThreadExecutor(name: "concord.checkpointer", idlePriority: false)

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
