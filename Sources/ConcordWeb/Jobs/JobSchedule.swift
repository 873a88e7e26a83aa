import ConcordStorage
import Foundation
import Logging
import ServiceLifecycle

/// How a background job runs in every `concord serve`: every `interval`, doing the work only while this instance
/// holds the job's database lease, so several instances on one PostgreSQL store do it once.
struct JobSchedule: Sendable {
    let lease: JobLease
    let interval: Duration
    let logger: Logger

    init(database: ConcordDatabase, job: String, interval: Duration, logger: Logger) {
        lease = JobLease(database: database, name: job)
        self.interval = interval
        self.logger = logger
    }

    /// Takes or renews the lease for two intervals; false when another instance holds it.
    func holdsLease(now: Date = Date()) async throws -> Bool {
        try await lease.acquire(for: TimeInterval(interval.components.seconds * 2), now: now)
    }

    /// Runs `body` every `interval` until the service group shuts down; a run that fails is logged (its error's type
    /// only: no case data reaches the log) and the next one goes ahead.
    func repeatUntilShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await cancelWhenGracefulShutdown { [self] in
                while true {
                    do {
                        try await body()
                    } catch {
                        logger.error("\(lease.name) run failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
