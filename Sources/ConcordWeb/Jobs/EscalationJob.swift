import ConcordDomain
import ConcordStorage
import Foundation
import Logging
import ServiceLifecycle

/// Moves escalations on: overdue MARAC actions up the MARAC ladder, last quarter's low MARAC attendance to the
/// Tactical and Executive Groups, and late DHR actions up the DHR ladder. It runs in every `concord serve`, but only
/// the instance holding the database lease does the work, so several instances behind a load balancer escalate once.
public struct EscalationJob: Service {
    let database: ConcordDatabase
    let lease: JobLease
    let interval: Duration
    let logger: Logger

    public init(database: ConcordDatabase, interval: Duration = .seconds(300), logger: Logger = Logger(label: "concord.jobs")) {
        self.database = database
        self.lease = JobLease(database: database, name: "escalations")
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await repeatUntilShutdown(every: interval, logger: logger, job: "escalation") { [self] in
            if let made = try await runOnce(today: CalendarDate(Date())) {
                logger.info("escalations", metadata: ["maracActions": "\(made.actions)", "attendance": "\(made.attendance)",
                                                      "dhrActions": "\(made.dhrActions)"])
            }
        }
    }

    /// One run, if this instance holds the lease: nil when another instance has it.
    public func runOnce(today: CalendarDate) async throws -> (actions: Int, attendance: Int, dhrActions: Int)? {
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
        let dhrActions = try await DHRStore(database: database).escalateLateActions(
            today: today, ladder: DHRRules.ladder(values.string(PartnershipSettings.dhrEscalationLadder)),
            stepDays: values.int(PartnershipSettings.dhrEscalationStepDays))
        return (actions, attendance, dhrActions)
    }
}
