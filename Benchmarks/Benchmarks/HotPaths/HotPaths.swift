import Benchmark
import ConcordDomain
import ConcordStorage
import Foundation
import SQLKit

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
                                                            filter: filter, audit: .commandLine)
        return CaseReviewRules.check(complaints.map(\.complaint), receivedOn: today, ruleSet: ruleSet)
    }
}

nonisolated(unsafe) var thresholdFixture: ThresholdFixture?

/// A MARAC Hub at scale: 100,000 cases across the demo's five area MARACs (consecutive ids) over two years, each shared with its
/// area's represented agencies, with one perpetrator and ten actions each (1,000,000 actions: nine in ten closed,
/// the open ones due across the two years). Generated in SQL; targets (issue 4): the overdue-actions list median
/// < 50 ms, one area-quarter's indicators median < 100 ms, on SQLite.
struct MARACFixture: Sendable {
    let hot: HotPathFixture
    let store: MARACStore
    let hubFilter: VisibilityFilter
    let councilFilter: VisibilityFilter
    let councilId: Int64
    let today = CalendarDate(Date())

    static func make(cases: Int, actionsPerCase: Int) async throws -> MARACFixture {
        let hot = try await HotPathFixture.make()
        let users = UserStore(database: hot.database)
        let coordinator = try await users.credentials(email: DemoPartnership.users.first { $0.role == .maracCoordinator }!.email)!.user
        let officer = try await users.credentials(email: DemoPartnership.users.first { $0.role == .caseOfficer }!.email)!.user
        let now = Instant.storage(Date())
        let start = CalendarDate(Date()).adding(days: -730).iso
        let statements = [
            "CREATE TEMP TABLE n AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(cases)) SELECT i FROM n",
            """
            INSERT INTO case_records (id, case_type, reference, title, owning_agency_id, classification_level, classification, is_restricted,
                status, created_at, updated_at, version)
            SELECT 100000 + i, 'marac', 'MARAC-B' || i, 'Victim ' || i, CASE WHEN i % 3 = 0 THEN \(officer.agencyId) ELSE \(coordinator.agencyId) END,
                1, 'OFFICIAL-SENSITIVE PERSONAL', 1, 'open', '\(now)', '\(now)', 1 FROM n
            """,
            """
            INSERT INTO marac_cases (case_id, area_id, victim_name, victim_key, victim_age, victim_sex, victim_ethnic_group, victim_disability,
                victim_lgbt, referring_agency_id, referring_officer, referred_on, checklist, score, routes, is_repeat, incidents_12_months,
                is_complex, marac_date, children)
            SELECT 100000 + i, (SELECT MIN(id) FROM marac_areas) + i % 5, 'Victim ' || i, 'victim ' || i || '|', 16 + i % 60,
                CASE WHEN i % 10 = 0 THEN 'male' ELSE 'female' END, CASE WHEN i % 7 = 0 THEN 'asian' ELSE 'white' END,
                CASE WHEN i % 9 = 0 THEN 'yes' ELSE 'no' END, CASE WHEN i % 11 = 0 THEN 'yes' ELSE 'prefer-not-to-say' END,
                CASE WHEN i % 3 = 0 THEN \(officer.agencyId) ELSE \(coordinator.agencyId) END, 'PC Bench', date('\(start)', '+' || (i % 730) || ' days'),
                'YYYYYYYYYYYYYYNNNNNNNNNN', 14, 'visible-high-risk', i % 4 = 0, 0, i % 5 = 0, date('\(start)', '+' || (i % 730 + 14) || ' days'), i % 3
            FROM n
            """,
            """
            INSERT INTO case_shares (case_id, agency_id)
            SELECT m.case_id, r.agency_id FROM marac_cases m JOIN marac_area_agencies r ON r.area_id = m.area_id
            JOIN case_records c ON c.id = m.case_id WHERE m.case_id >= 100000 AND r.agency_id <> c.owning_agency_id
            """,
            "INSERT INTO marac_people (case_id, role, name, age) SELECT 100000 + i, 'perpetrator', 'Perpetrator ' || i, 15 + i % 50 FROM n",
            "CREATE TEMP TABLE k AS WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < \(actionsPerCase)) SELECT j FROM k",
            """
            INSERT INTO marac_actions (case_id, area_id, agency_id, description, requested_on, due_on, status, version)
            SELECT m.case_id, m.area_id, CASE WHEN j % 2 = 0 THEN \(officer.agencyId) ELSE \(coordinator.agencyId) END, 'Action ' || j,
                m.referred_on, date(m.referred_on, '+' || (7 * j) || ' days'),
                CASE WHEN (m.case_id + j) % 10 = 0 THEN 'open' ELSE 'completed' END, 1
            FROM marac_cases m CROSS JOIN k WHERE m.case_id >= 100000
            """,
            "ANALYZE",
        ]
        try await hot.database.write { db in
            for sql in statements { try await db.raw(SQLQueryString(sql)).run() }
        }
        let today = CalendarDate(Date())
        return MARACFixture(hot: hot, store: MARACStore(database: hot.database),
                            hubFilter: AccessPolicy.visibilityFilter(for: Principal(coordinator), agreements: [], on: today),
                            councilFilter: AccessPolicy.visibilityFilter(for: Principal(officer), agreements: [], on: today),
                            councilId: officer.agencyId)
    }
}

nonisolated(unsafe) var maracFixture: MARACFixture?

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

    let maracScale = (cases: 100_000, actionsPerCase: 10)
    Benchmark("MARAC overdue actions, the Hub's list (100,000 cases, 1,000,000 actions, SQLite)",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        let marac = maracFixture!
        for _ in benchmark.scaledIterations {
            blackHole(try await marac.store.overdueActions(filter: marac.hubFilter, today: marac.today))
        }
    } setup: {
        maracFixture = try await MARACFixture.make(cases: maracScale.cases, actionsPerCase: maracScale.actionsPerCase)
    } teardown: {
        await maracFixture?.hot.tearDown()
    }

    Benchmark("MARAC overdue actions, one agency's own list (100,000 cases, 1,000,000 actions, SQLite)",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        let marac = maracFixture!
        for _ in benchmark.scaledIterations {
            blackHole(try await marac.store.overdueActions(filter: marac.councilFilter, agencyId: marac.councilId, today: marac.today))
        }
    } setup: {
        maracFixture = try await MARACFixture.make(cases: maracScale.cases, actionsPerCase: maracScale.actionsPerCase)
    } teardown: {
        await maracFixture?.hot.tearDown()
    }

    Benchmark("MARAC indicators for one area-quarter (100,000 cases, SQLite)",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        let marac = maracFixture!
        let area = try await marac.store.areas()[0]
        let quarter = Quarter(containing: marac.today).previous
        for _ in benchmark.scaledIterations {
            blackHole(MARACRules.indicators(try await marac.store.indicatorCases(areaId: area.id, quarter: quarter),
                                            adultFemalePopulation: area.adultFemalePopulation))
        }
    } setup: {
        maracFixture = try await MARACFixture.make(cases: maracScale.cases, actionsPerCase: maracScale.actionsPerCase)
    } teardown: {
        await maracFixture?.hot.tearDown()
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
