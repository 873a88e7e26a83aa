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
    let schedule: JobSchedule

    public init(database: ConcordDatabase, interval: Duration = .seconds(300), logger: Logger = Logger(label: "concord.jobs")) {
        self.database = database
        schedule = JobSchedule(database: database, job: "escalations", interval: interval, logger: logger)
    }

    public func run() async throws {
        try await schedule.repeatUntilShutdown { [self] in
            if let made = try await runOnce(today: CalendarDate(Date())) {
                schedule.logger.info("escalations", metadata: ["maracActions": "\(made.actions)", "attendance": "\(made.attendance)",
                                                      "dhrActions": "\(made.dhrActions)"])
            }
        }
    }

    /// One run, if this instance holds the lease: nil when another instance has it.
    public func runOnce(today: CalendarDate) async throws -> (actions: Int, attendance: Int, dhrActions: Int)? {
        guard try await schedule.holdsLease() else { return nil }
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
