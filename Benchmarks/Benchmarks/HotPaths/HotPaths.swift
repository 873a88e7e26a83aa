import Benchmark
import ConcordDomain
import ConcordStorage
import Foundation

/// The work every authenticated request to a case does before any module code runs: find the session,
/// decide what the user may see (agreements in force → visibility filter → decision), and append the audit
/// entry in its own write transaction. Target (issue 2): median < 0.2 ms on SQLite.
struct HotPathFixture: Sendable {
    let database: ConcordDatabase
    let sessions: SessionStore
    let agreements: SharingAgreementStore
    let audit: AuditLog
    let token: String
    let facts: CaseAccessFacts
    let folder: URL

    static func make() async throws -> HotPathFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try await ConcordDatabase.open(url: "sqlite://" + folder.appendingPathComponent("concord.sqlite").path)
        _ = try await Migrator(database: database).migrate()
        try await DemoPartnership.load(into: database, passwordHash: "not-used-by-the-benchmark")
        let email = DemoPartnership.users.first { $0.role == .caseOfficer }!.email
        let user = try await UserStore(database: database).credentials(email: email)!.user
        let sessions = SessionStore(database: database)
        let session = try await sessions.create(userId: user.id, clientAddress: "127.0.0.1", absoluteLifetime: .seconds(43_200))
        let facts = CaseAccessFacts(caseType: .asb, owningAgencyId: user.agencyId,
                                    classification: Classification(.officialSensitive))
        return HotPathFixture(database: database, sessions: sessions, agreements: SharingAgreementStore(database: database),
                              audit: AuditLog(database: database), token: session.token, facts: facts, folder: folder)
    }

    func tearDown() async {
        await database.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

nonisolated(unsafe) var fixture: HotPathFixture?

/// A store of `complaints` incident reports (ten per case, one complainant per case, over the last two years) for
/// the ASB Case Review threshold check. Target (issue 3): median < 1 ms at 1,000,000, and no more than 2× the
/// median at 10,000.
struct ThresholdFixture: Sendable {
    let hot: HotPathFixture
    let store: CaseReviewStore
    let filter: VisibilityFilter
    let cases: Int
    let ruleSet = ThresholdRuleSet.kent2014
    let today = CalendarDate(Date())

    static func make(complaints: Int) async throws -> ThresholdFixture {
        let hot = try await HotPathFixture.make()
        let email = DemoPartnership.users.first { $0.role == .caseOfficer }!.email
        let user = try await UserStore(database: hot.database).credentials(email: email)!.user
        let today = CalendarDate(Date())
        var generator = SystemRandomNumberGenerator()
        let rows = (0..<complaints).map { line in
            let day = today.adding(days: -Int.random(in: 1...730, using: &generator))
            return ASBImport.Row(line: line + 2, caseKey: "case-\(line / 10)", caseTitle: "Noise", districtId: nil, occurredOn: day,
                                 occurredAt: nil, address: nil, postcode: nil, ward: nil, category: .nuisance, isHateMotivated: false,
                                 description: "Noise", channel: .phone, incidentKey: "i\(line % 10)", reportedOn: day,
                                 agencyId: user.agencyId, reference: nil, complainantName: "Resident \(line / 10)",
                                 complainantPostcode: nil, perpetratorName: nil)
        }
        _ = try await ASBImporter(database: hot.database).run(rows, createdBy: nil, audit: .commandLine)
        let principal = Principal(user)
        return ThresholdFixture(hot: hot, store: CaseReviewStore(database: hot.database),
                                filter: AccessPolicy.visibilityFilter(for: principal, agreements: [], on: today),
                                cases: max(1, complaints / 10))
    }

    /// Gathers one complainant's complaints and their problem's (case's) in the window, then checks them.
    func check() async throws -> ThresholdResult {
        let resident = Int.random(in: 0..<cases)
        let complaints = try await store.complaintsInWindow(complainantKeys: [ASBRules.matchKey("Resident \(resident)")],
                                                            caseIds: [], receivedOn: today, windowMonths: ruleSet.windowMonths,
                                                            filter: filter)
        return CaseReviewRules.check(complaints, receivedOn: today, ruleSet: ruleSet)
    }
}

nonisolated(unsafe) var thresholdFixture: ThresholdFixture?

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(5), maxIterations: 20_000)

    Benchmark("Session lookup + policy decision + audit append (SQLite)") { benchmark in
        let hot = fixture!
        for _ in benchmark.scaledIterations {
            guard let session = try await hot.sessions.session(token: hot.token, idleTimeout: .seconds(1_800)) else {
                benchmark.error("the session was not found")
                return
            }
            let principal = Principal(session.user)
            let filter = AccessPolicy.visibilityFilter(for: principal, agreements: try await hot.agreements.all(),
                                                       on: CalendarDate(Date()))
            let decision = AccessPolicy.decide(principal, .view, hot.facts, filter: filter)
            blackHole(decision)
            try await hot.audit.record(AuditRecord(context: AuditContext(principal, requestId: "bench", clientAddress: "127.0.0.1"),
                                                   action: .view, recordType: "case", recordId: "1"))
        }
    } setup: {
        fixture = try await HotPathFixture.make()
    } teardown: {
        await fixture?.tearDown()
    }

    for complaints in [10_000, 1_000_000] {
        Benchmark("Threshold check against \(complaints) stored complaints (SQLite)",
                  configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5), maxIterations: 5_000)) { benchmark in
            let threshold = thresholdFixture!
            for _ in benchmark.scaledIterations {
                blackHole(try await threshold.check())
            }
        } setup: {
            thresholdFixture = try await ThresholdFixture.make(complaints: complaints)
        } teardown: {
            await thresholdFixture?.hot.tearDown()
        }
    }

    /// The floor under everything above: one statement through SQLiteNIO (thread-pool and event-loop hops).
    Benchmark("One SELECT 1 round trip (SQLite)") { benchmark in
        let hot = fixture!
        for _ in benchmark.scaledIterations {
            blackHole(await hot.database.isReachable())
        }
    } setup: {
        fixture = try await HotPathFixture.make()
    } teardown: {
        await fixture?.tearDown()
    }

    Benchmark("Audit append alone (SQLite)") { benchmark in
        let hot = fixture!
        for _ in benchmark.scaledIterations {
            try await hot.audit.record(AuditRecord(context: AuditContext(userId: 1, agencyId: 1, requestId: "bench"),
                                                   action: .view, recordType: "case", recordId: "1"))
        }
    } setup: {
        fixture = try await HotPathFixture.make()
    } teardown: {
        await fixture?.tearDown()
    }
}
