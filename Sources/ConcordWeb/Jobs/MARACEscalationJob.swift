import ConcordDomain
import ConcordStorage
import Foundation
import Logging
import ServiceLifecycle

/// Moves MARAC escalations on: overdue actions up the ladder, and last quarter's low attendance to the Tactical
/// and Executive Groups. It runs in every `concord serve`, but only the instance holding the database lease does
/// the work, so several instances behind a load balancer escalate once.
public struct MARACEscalationJob: Service {
    let database: ConcordDatabase
    let lease: JobLease
    let interval: Duration
    let logger: Logger

    public init(database: ConcordDatabase, interval: Duration = .seconds(300), logger: Logger = Logger(label: "concord.jobs")) {
        self.database = database
        self.lease = JobLease(database: database, name: "marac-escalations")
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [self] in
                while true {
                    do {
                        if let made = try await runOnce(today: CalendarDate(Date())) {
                            logger.info("MARAC escalations", metadata: ["actions": "\(made.actions)", "attendance": "\(made.attendance)"])
                        }
                    } catch {
                        logger.error("MARAC escalation run failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One run, if this instance holds the lease: nil when another instance has it.
    public func runOnce(today: CalendarDate) async throws -> (actions: Int, attendance: Int)? {
        guard try await lease.acquire(for: TimeInterval(interval.components.seconds * 2)) else { return nil }
        let values = try await SettingsStore(database: database).values()
        let ladder = EscalationLadder.parse(values.string(PartnershipSettings.maracEscalationLadder))
        let store = MARACStore(database: database)
        let actions = try await store.escalateOverdueActions(
            today: today, ladder: ladder, stepWorkingDays: values.int(PartnershipSettings.maracEscalationStepWorkingDays),
            calendar: try await CalendarStore(database: database).calendar())
        let attendance = try await store.escalateAttendance(quarter: Quarter(containing: today).previous,
                                                            thresholdPercent: values.int(PartnershipSettings.maracAttendancePercent),
                                                            ladder: ladder)
        return (actions, attendance)
    }
}
