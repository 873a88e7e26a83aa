import Dispatch

/// Runs work that may hold a thread for a long time (an aggregate over every case) on a thread of its own
/// rather than on Swift's cooperative pool, which has one thread per core: SQLite statements run in the calling
/// task, so a 150 ms count there would leave half of a two-core machine's requests waiting behind it.
final class BackgroundExecutor: TaskExecutor {
    static let shared = BackgroundExecutor()

    private let queue = DispatchQueue(label: "concord.background", qos: .utility)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
