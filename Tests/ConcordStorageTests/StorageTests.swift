import ConcordDomain
import ConcordStorage
import Foundation
import SQLKit
import Testing

@Suite struct StorageTests {
    static func agency(_ db: ConcordDatabase, _ name: String, _ kind: AgencyKind = .council) async throws -> Agency {
        try await DirectoryStore(database: db).createAgency(AgencyInput(name: name, kind: kind, isResponsibleAuthority: true),
                                                           audit: .commandLine)
    }

    @Test(arguments: TestEngine.available)
    func migrationsApplyOnceAndReportStatus(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let migrator = Migrator(database: db)
        #expect(try await migrator.migrate().isEmpty)
        let status = try await migrator.status()
        #expect(!status.isEmpty && status.allSatisfy { $0.appliedAt != nil })
    }

    @Test(arguments: TestEngine.available)
    func staleUpdateIsRefusedAndNothingChanges(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = DirectoryStore(database: db)
        let created = try await Self.agency(db, "Kent Police", .police)
        var input = AgencyInput(name: "Kent Police (renamed)", kind: .police, isResponsibleAuthority: true)
        let updated = try await store.updateAgency(id: created.id, expectedVersion: created.version, input, audit: .commandLine)
        #expect(updated.version == created.version + 1)
        input.name = "Lost update"
        await #expect(throws: StaleRecordError.self) {
            try await store.updateAgency(id: created.id, expectedVersion: created.version, input, audit: .commandLine)
        }
        #expect(try await store.agency(id: created.id)?.name == "Kent Police (renamed)")
    }

    /// Token owners and agreements are cached for a few seconds; a revocation, a disabled user or a new agreement
    /// made through this process must take effect on the very next request, visibility filters included.
    @Test(arguments: TestEngine.available)
    func cachedTokensAndAgreementsFollowChangesAtOnce(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let council = try await Self.agency(db, "Council")
        let police = try await Self.agency(db, "Police", .police)
        let users = UserStore(database: db)
        let user = try await users.create(UserInput(email: "officer@test.gov.uk", displayName: "Officer", agencyId: council.id,
                                                    roles: [.caseOfficer]), passwordHash: "x", audit: .commandLine)
        let tokens = APITokenStore(database: db)
        let first = try await tokens.create(userId: user.id, name: "a", audit: .commandLine)
        #expect(try await tokens.authenticate(secret: first.secret)?.id == user.id)
        #expect(try await tokens.authenticate(secret: first.secret)?.id == user.id)
        #expect(try await tokens.tokens(userId: user.id).first?.lastUsedAt != nil)
        #expect(try await tokens.revoke(id: first.token.id, userId: user.id, audit: .commandLine))
        #expect(try await tokens.authenticate(secret: first.secret) == nil)

        let second = try await tokens.create(userId: user.id, name: "b", audit: .commandLine)
        #expect(try await tokens.authenticate(secret: second.secret) != nil)
        try await users.setActive(id: user.id, expectedVersion: user.version, active: false, audit: .commandLine)
        #expect(try await tokens.authenticate(secret: second.secret) == nil)

        let agreements = SharingAgreementStore(database: db)
        #expect(try await agreements.all().isEmpty)
        let policeOfficer = Principal(userId: 2, agencyId: police.id, roles: [.caseOfficer], displayName: "Police officer")
        let today = CalendarDate(Date())
        #expect(try await agreements.visibilityFilter(for: policeOfficer, on: today).agreementGrants.isEmpty)
        _ = try await agreements.create(SharingAgreementInput(title: "ASB", purpose: "p", lawfulBasis: "s.115", parties: [council.id, police.id],
                                                              caseTypes: [.asb], startsOn: CalendarDate(year: 2026, month: 1, day: 1)!,
                                                              reviewOn: nil, endsOn: nil), audit: .commandLine)
        #expect(try await agreements.all().map(\.title) == ["ASB"])
        let filter = try await agreements.visibilityFilter(for: policeOfficer, on: today)
        #expect(filter.agreementGrants == [.asb: [council.id]])
        #expect(filter == AccessPolicy.visibilityFilter(for: policeOfficer, agreements: try await agreements.all(), on: today))
    }

    @Test(arguments: TestEngine.available)
    func staleSettingsFormIsRefused(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = SettingsStore(database: db)
        let opened = try await store.values()
        try await store.save([PartnershipSettings.caseReviewInitialDecisionDays.id: "6"], expectedRevision: opened.revision,
                             audit: .commandLine)
        await #expect(throws: StaleRecordError.self) {
            try await store.save([PartnershipSettings.caseReviewInitialDecisionDays.id: "9"], expectedRevision: opened.revision,
                                 audit: .commandLine)
        }
        #expect(try await store.values().int(PartnershipSettings.caseReviewInitialDecisionDays) == 6)
    }

    @Test(arguments: TestEngine.available)
    func duplicateAgencyNameNamesTheField(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        _ = try await Self.agency(db, "Medway Council")
        await #expect(throws: DuplicateRecordError(field: "name", message: "An agency with this name already exists")) {
            _ = try await Self.agency(db, "Medway Council")
        }
    }

    /// The SQL visibility predicate and `VisibilityFilter.admits` agree for every viewer and every case.
    @Test(arguments: TestEngine.available)
    func visibleQueryAgreesWithPolicy(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let agencies = [try await Self.agency(db, "Police", .police), try await Self.agency(db, "Council"),
                        try await Self.agency(db, "Fire", .fireAndRescue), try await Self.agency(db, "Housing", .housingProvider)]
        let ids = agencies.map(\.id)
        let agreements = SharingAgreementStore(database: db)
        _ = try await agreements.create(SharingAgreementInput(title: "ASB", purpose: "p", lawfulBasis: "s.115", parties: [ids[0], ids[1], ids[2]],
                                                              caseTypes: [.asb, .caseReview], startsOn: CalendarDate(iso: "2014-04-01")!,
                                                              reviewOn: nil, endsOn: nil), audit: .commandLine)
        _ = try await agreements.create(SharingAgreementInput(title: "Old", purpose: "p", lawfulBasis: "s.115", parties: [ids[3], ids[1]],
                                                              caseTypes: [.asb], startsOn: CalendarDate(iso: "2010-04-01")!,
                                                              reviewOn: nil, endsOn: CalendarDate(iso: "2012-03-31")), audit: .commandLine)
        let cases = CaseStore(database: db)
        var created: [CaseRecord] = []
        for type in CaseType.allCases {
            for owner in ids {
                for marking in [Classification.official, .officialSensitivePersonal] {
                    for restricted in [false, true] {
                        created.append(try await cases.create(CaseInput(caseType: type, title: "t", owningAgencyId: owner,
                                                                        sharedWith: restricted ? [ids[(ids.firstIndex(of: owner)! + 1) % 4]] : [],
                                                                        classification: marking, isRestricted: restricted),
                                                              createdBy: nil, audit: .commandLine))
                    }
                }
            }
        }
        let all = try await agreements.all()
        let today = CalendarDate(Date())
        for agency in ids {
            for roles in [Set<Role>([.caseOfficer]), [.maracCoordinator], [.dhrOfficer], [.partnershipMember, .caseOfficer],
                          [.partnershipMember], [.auditor], [.administrator]] {
                let principal = Principal(userId: 1, agencyId: agency, roles: roles, displayName: "t")
                let filter = AccessPolicy.visibilityFilter(for: principal, agreements: all, on: today)
                let expected = Set(created.filter { filter.admits($0.accessFacts) }.map(\.id))
                var listed = Set<Int64>()
                var cursor: Int64?
                repeat {
                    let page = try await cases.list(filter: filter, cursor: cursor, limit: 7, audit: .commandLine)
                    listed.formUnion(page.items.map(\.id))
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(listed == expected, "agency \(agency) roles \(roles)")
                #expect(try await cases.count(filter: filter) == expected.count)
                for record in created {
                    let loaded = try await cases.view(id: record.id, filter: filter, audit: .commandLine)
                    #expect((loaded != nil) == expected.contains(record.id))
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func auditChainDetectsAlteredAndRemovedEntries(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        for name in ["A", "B", "C", "D"] { _ = try await Self.agency(db, name) }
        let log = AuditLog(database: db)
        let intact = try await log.verify()
        #expect(intact.isIntact && intact.checked == 4)
        await #expect(throws: (any Error).self) {
            try await db.write { sql in try await sql.raw("UPDATE audit_events SET note = 'x' WHERE id = 2").run() }
        }
        let dropTrigger: SQLQueryString = engine == .sqlite ? "DROP TRIGGER audit_events_no_update" : "DROP TRIGGER audit_events_no_change ON audit_events"
        try await db.write { sql in
            try await sql.raw(dropTrigger).run()
            try await sql.raw("UPDATE audit_events SET record_id = '999' WHERE id = 3").run()
        }
        #expect(try await log.verify().firstBrokenId == 3)
    }

    /// Standalone entries recorded at once are committed in shared transactions (group commit): each caller
    /// returns once its own entry is saved, none is lost or doubled, and the chain stays whole.
    @Test(arguments: TestEngine.available)
    func concurrentAuditEntriesAreAllSavedInOneChain(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let log = AuditLog(database: db)
        let before = try await log.verify().checked
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask {
                    try await log.record(AuditRecord(context: AuditContext(userId: nil, agencyId: nil, requestId: "r\(index)"),
                                                     action: .view, recordType: "case", recordId: String(index)))
                    let saved = try await db.read { sql in
                        try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE request_id = \(bind: "r\(index)")").first()!
                            .decode(column: "n", as: Int.self)
                    }
                    #expect(saved == 1)
                }
            }
            try await group.waitForAll()
        }
        let verification = try await log.verify()
        #expect(verification.isIntact && verification.checked == before + 300)
    }

    /// When a group commit fails, every caller whose entry it carried is told so (none returns as if saved), and
    /// the next entries are committed once the cause is gone.
    @Test(arguments: TestEngine.available)
    func aFailedAuditCommitReachesEveryCallerAndLaterEntriesAreSaved(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let log = AuditLog(database: db)
        @Sendable func entry(_ index: Int) -> AuditRecord {
            AuditRecord(context: AuditContext(userId: nil, agencyId: nil, requestId: "f\(index)"), action: .view, recordType: "case",
                        recordId: String(index))
        }
        let head = try await db.read { sql in try await sql.raw("SELECT last_id, last_hash FROM audit_chain").first()! }
        let lastId = try head.decode(column: "last_id", as: Int64.self)
        let lastHash = try head.decode(column: "last_hash", as: String.self)
        try await db.write { sql in try await sql.raw("DELETE FROM audit_chain").run() }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        try await log.record(entry(index))
                        return false
                    } catch {
                        return error is AuditLog.AuditChainError
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 40)
        try await db.write { sql in
            try await sql.raw("INSERT INTO audit_chain (id, last_id, last_hash) VALUES (1, \(bind: lastId), \(bind: lastHash))").run()
        }
        try await log.record(entry(40))
        let saved = try await db.read { sql in
            try await sql.raw("SELECT request_id FROM audit_events WHERE request_id LIKE 'f%'").all().map { try $0.decode(column: "request_id", as: String.self) }
        }
        #expect(saved == ["f40"])
        #expect(try await log.verify().isIntact)
    }

    /// Migration 0014 rebuilds SQLite's audit table around its rowid: entries written before it keep their ids,
    /// hashes and chain, the separate id index is gone, and the table still refuses changes.
    @Test func auditRowidRebuildKeepsTheChain() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-test-\(UUID().uuidString).sqlite").path
        let db = try await ConcordDatabase.open(url: "sqlite://" + path)
        defer { Task { await db.close() } }
        let migrator = Migrator(database: db)
        try await migrator.migrate(through: "0013")
        for name in ["A", "B", "C"] { _ = try await Self.agency(db, name) }
        let indexes: @Sendable () async throws -> [String] = {
            try await db.read { sql in try await sql.raw("PRAGMA index_list(audit_events)").all().map { try $0.decode(column: "name", as: String.self) } }
        }
        #expect(try await indexes().contains { $0.hasPrefix("sqlite_autoindex") })
        #expect(try await migrator.migrate() == ["0014"])
        #expect(try await !indexes().contains { $0.hasPrefix("sqlite_autoindex") })
        _ = try await Self.agency(db, "D")
        let verification = try await AuditLog(database: db).verify()
        #expect(verification.isIntact && verification.checked == 4)
        await #expect(throws: (any Error).self) {
            try await db.write { sql in try await sql.raw("DELETE FROM audit_events WHERE id = 1").run() }
        }
    }

    @Test(arguments: TestEngine.available)
    func sessionsExpireWhenIdleOrPastAbsoluteLimitAndCookieIsNotStored(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let agency = try await Self.agency(db, "Council")
        let user = try await UserStore(database: db).create(UserInput(email: "a@b.gov.uk", displayName: "A", agencyId: agency.id,
                                                                      roles: [.caseOfficer]), passwordHash: "x", audit: .commandLine)
        let sessions = SessionStore(database: db)
        let start = Date()
        let s = try await sessions.create(userId: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600), now: start)
        let stored = try await db.read { sql in try await sql.raw("SELECT id_hash FROM sessions").all().map { try $0.decode(column: "id_hash", as: String.self) } }
        #expect(!stored.contains(s.token))
        #expect(try await sessions.session(token: s.token, idleTimeout: .seconds(1800), now: start.addingTimeInterval(1700)) != nil)
        #expect(try await sessions.session(token: s.token, idleTimeout: .seconds(1800), now: start.addingTimeInterval(1700 + 1801)) == nil)
        let t = try await sessions.create(userId: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600), now: start)
        var now = start
        for _ in 0..<5 {
            now = now.addingTimeInterval(900)
            _ = try await sessions.session(token: t.token, idleTimeout: .seconds(1800), now: now)
        }
        #expect(try await sessions.session(token: t.token, idleTimeout: .seconds(1800), now: start.addingTimeInterval(3601)) == nil)
    }

    /// A store that cannot be reached is reported as unavailable (the web layer answers 503); an ordinary failure
    /// is not.
    @Test(arguments: TestEngine.available)
    func aClosedStoreIsUnavailable(engine: TestEngine) async throws {
        let database = try await engine.makeDatabase()
        let ordinary = await #expect(throws: (any Error).self) {
            try await database.read { db in try await db.raw("SELECT * FROM no_such_table").run() }
        }
        #expect(!(ordinary is DatabaseUnavailableError))
        await database.close()
        await #expect(throws: DatabaseUnavailableError.self) { try await database.read { db in try await db.raw("SELECT 1").run() } }
        await #expect(throws: DatabaseUnavailableError.self) { try await database.write { db in try await db.raw("SELECT 1").run() } }
    }

    /// A PostgreSQL server with nothing listening: every use of the store reports it unavailable.
    @Test func aPostgreSQLServerThatDoesNotAnswerIsUnavailable() async throws {
        let database = try await ConcordDatabase.open(url: "postgres://concord:secret@127.0.0.1:1/concord")
        await #expect(throws: DatabaseUnavailableError.self) { try await database.read { db in try await db.raw("SELECT 1").run() } }
        #expect(await !database.isReachable())
        await database.close()
    }

    @Test func backupIsVerifiedAndRestorable() async throws {
        let db = try await TestEngine.sqlite.makeDatabase()
        _ = try await Self.agency(db, "Kent Police", .police)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString).sqlite").path
        let counts = try await SQLiteBackup.backup(db, to: file)
        #expect(counts.auditEntries == 1)
        await db.close()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("restored-\(UUID().uuidString).sqlite").path
        _ = try await SQLiteBackup.restore(from: file, to: target)
        let restored = try await ConcordDatabase.open(url: "sqlite://" + target)
        #expect(try await DirectoryStore(database: restored).agencies().map(\.name) == ["Kent Police"])
        await restored.close()
    }
}
