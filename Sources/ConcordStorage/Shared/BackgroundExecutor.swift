import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs work that may hold a thread for a long time (an aggregate over every case) on a thread of its own at idle
/// priority, rather than on Swift's cooperative pool, which has one thread per core: SQLite statements run in the
/// calling task, so a 150 ms count there would leave half of a two-core machine's requests waiting behind it, and
/// even beside the pool it would take a core from them. At idle priority (Linux `SCHED_IDLE`) it runs on what the
/// requests leave; callers serve the previous value meanwhile (`ShortLivedCache.valueServingStale`).
final class BackgroundExecutor: TaskExecutor, Sendable {
    static let shared = BackgroundExecutor()

    private let jobs = Mutex<[UnownedJob]>([])
    private let waiting = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            #if canImport(Glibc)
            // SCHED_IDLE (5 in <linux/sched.h>; glibc declares it only under _GNU_SOURCE), for this thread alone.
            var parameters = sched_param(sched_priority: 0)
            _ = sched_setscheduler(0, 5, &parameters)
            #endif
            while true {
                waiting.wait()
                guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.name = "concord.background"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        waiting.signal()
    }
}
