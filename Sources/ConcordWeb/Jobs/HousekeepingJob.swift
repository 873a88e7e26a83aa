import ConcordDomain
import ConcordStorage
import Foundation
import Logging
import ServiceLifecycle

/// Clears what signing in leaves behind: sessions past their idle or absolute expiry (a session abandoned without
/// signing out was refused once expired but stayed in the table) and failed sign-ins older than the lockout period
/// (they no longer count towards throttling; the audit log keeps every one). It runs in every `concord serve`;
/// the database lease lets one instance do the work.
public struct HousekeepingJob: Service {
    let database: ConcordDatabase
    let schedule: JobSchedule

    public init(database: ConcordDatabase, interval: Duration = .seconds(900), logger: Logger = Logger(label: "concord.jobs")) {
        self.database = database
        schedule = JobSchedule(database: database, job: "housekeeping", interval: interval, logger: logger)
    }

    public func run() async throws {
        try await schedule.repeatUntilShutdown { [self] in
            if let removed = try await runOnce(now: Date()), removed.sessions + removed.failures > 0 {
                schedule.logger.info("housekeeping", metadata: ["expiredSessions": "\(removed.sessions)", "oldSignInFailures": "\(removed.failures)"])
            }
        }
    }

    /// One run, if this instance holds the lease: nil when another instance has it.
    public func runOnce(now: Date) async throws -> (sessions: Int, failures: Int)? {
        guard try await schedule.holdsLease(now: now) else { return nil }
        let values = try await SettingsStore(database: database).values()
        let sessions = SessionStore(database: database)
        let expired = try await sessions.purgeExpired(idleTimeout: .seconds(values.int(PartnershipSettings.sessionIdleMinutes) * 60), now: now)
        let lockout = TimeInterval(values.int(PartnershipSettings.lockoutMinutes) * 60)
        let failures = try await sessions.purgeFailures(before: now.addingTimeInterval(-lockout))
        return (expired, failures)
    }
}
