import ConcordDomain
import ConcordStorage
import Foundation
import Testing

/// Two agencies, a case officer in each, and an ASB case owned by the council.
struct ASBFixture {
    let db: ConcordDatabase
    let store: ASBStore
    let council: Principal
    let police: Principal
    let councilFilter: VisibilityFilter
    let policeFilter: VisibilityFilter
    let caseId: Int64

    static let today = CalendarDate(Date())

    static func incident(_ occurred: CalendarDate, reported: CalendarDate? = nil, agency: Int64, postcode: String? = "ME14 1XQ",
                         description: String = "Loud music after midnight") -> IncidentInput {
        IncidentInput(details: IncidentDetails(occurredOn: occurred, occurredAt: "23:30", address: "1 Hill Street", postcode: postcode,
                                               ward: "High Street", districtId: nil, category: .nuisance, isHateMotivated: false,
                                               description: description),
                      channel: .phone, reportedOn: reported ?? occurred, reportingAgencyId: agency, reference: nil)
    }

    /// A new case of `officer`'s agency, led by them, whose complainant is Amy Smith of Hill Street.
    static func caseInput(title: String, officer: Principal, incident: IncidentInput) -> ASBCaseInput {
        ASBCaseInput(
            record: CaseInput(caseType: .asb, title: title, owningAgencyId: officer.agencyId, sharedWith: [],
                              classification: .officialSensitivePersonal, isRestricted: false),
            districtId: nil, leadOfficerId: officer.userId, risk: .medium,
            complainant: PartyInput(role: .complainant, name: "Amy  Smith", address: "3 Hill Street", postcode: "ME14 1XQ",
                                    phone: nil, email: nil, contactPreference: .phone, isVulnerable: false, vulnerabilityNotes: nil),
            perpetrator: PartyInput(role: .perpetrator, name: nil, address: nil, postcode: nil, phone: nil, email: nil,
                                    contactPreference: nil, isVulnerable: false, vulnerabilityNotes: nil),
            incident: incident)
    }

    static func make(_ engine: TestEngine) async throws -> ASBFixture {
        let db = try await engine.makeDatabase()
        let councilAgency = try await StorageTests.agency(db, "Maidstone Borough Council")
        let policeAgency = try await StorageTests.agency(db, "Kent Police", .police)
        func officer(_ agency: Agency, _ email: String) async throws -> Principal {
            Principal(try await UserStore(database: db).create(UserInput(email: email, displayName: email, agencyId: agency.id,
                                                                          roles: [.caseOfficer]),
                                                               passwordHash: "x", audit: .commandLine))
        }
        let council = try await officer(councilAgency, "council@test.gov.uk")
        let police = try await officer(policeAgency, "police@test.gov.uk")
        let store = ASBStore(database: db)
        let caseId = try await store.create(caseInput(title: "Noise, Hill Street", officer: council, incident: incident(today.adding(days: -60),
                                                                                                                        agency: councilAgency.id)),
                                            createdBy: council.userId, audit: .commandLine)
        return ASBFixture(db: db, store: store, council: council, police: police,
                          councilFilter: AccessPolicy.visibilityFilter(for: council, agreements: [], on: today),
                          policeFilter: AccessPolicy.visibilityFilter(for: police, agreements: [], on: today), caseId: caseId)
    }
}

@Suite struct ASBStoreTests {
    @Test(arguments: TestEngine.available)
    func secondReportWithinSixMonthsRaisesThePromptAndExplainingClearsIt(_ engine: TestEngine) async throws {
        let f = try await ASBFixture.make(engine)
        defer { Task { await f.db.close() } }
        var loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        #expect(!loaded.isPromptOpen && !loaded.isRepeatVictim)
        let complainant = try #require(loaded.parties.first { $0.role == .complainant })
        try await f.store.addIncident(caseId: f.caseId, complainantId: complainant.id,
                                      ASBFixture.incident(ASBFixture.today.adding(days: -5), agency: f.council.agencyId),
                                      principal: f.council, filter: f.councilFilter, audit: .commandLine)
        loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        #expect(loaded.isPromptOpen && loaded.isRepeatVictim)
        #expect(loaded.incidents.count == 2)
        try await f.store.recordPromptExplained(caseId: f.caseId, on: ASBFixture.today, principal: f.council,
                                                filter: f.councilFilter, audit: .commandLine)
        loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        #expect(!loaded.isPromptOpen && loaded.promptExplainedOn == ASBFixture.today)
    }

    /// The same incident reported to a second agency is one incident with two reports; the same agency twice is refused.
    @Test(arguments: TestEngine.available)
    func anotherAgencysReportOfTheSameIncidentIsOneIncident(_ engine: TestEngine) async throws {
        let f = try await ASBFixture.make(engine)
        defer { Task { await f.db.close() } }
        let loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        let incident = try #require(loaded.incidents.first)
        try await f.store.addReport(caseId: f.caseId, incidentId: incident.id, agencyId: f.police.agencyId, complainantId: nil,
                                    reportedOn: incident.occurredOn, channel: .phone, reference: "KP/123", principal: f.council,
                                    filter: f.councilFilter, audit: .commandLine)
        await #expect(throws: DuplicateRecordError.self) {
            try await f.store.addReport(caseId: f.caseId, incidentId: incident.id, agencyId: f.police.agencyId, complainantId: nil,
                                        reportedOn: incident.occurredOn, channel: .phone, reference: nil, principal: f.council,
                                        filter: f.councilFilter, audit: .commandLine)
        }
        let after = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        #expect(after.incidents.count == 1 && after.incidents[0].reports.count == 2)
    }

    /// Another agency neither sees the case nor can add to it, nor finds it at intake; the attempt is audited.
    @Test(arguments: TestEngine.available)
    func otherAgenciesCannotSeeOrChangeTheCase(_ engine: TestEngine) async throws {
        let f = try await ASBFixture.make(engine)
        defer { Task { await f.db.close() } }
        #expect(try await f.store.load(id: f.caseId, filter: f.policeFilter, audit: .commandLine) == nil)
        await #expect(throws: RecordNotFoundError.self) {
            try await f.store.addAction(caseId: f.caseId, ActionInput(agencyId: f.police.agencyId, type: .warningLetter,
                                                                      takenOn: ASBFixture.today, reason: nil, notes: nil),
                                        principal: f.police, filter: f.policeFilter, audit: .commandLine)
        }
        #expect(try await f.store.list(.init(), filter: f.policeFilter, audit: .commandLine).items.isEmpty)
        #expect(try await f.store.similarCases(complainantName: "amy smith", perpetratorName: nil, postcode: nil,
                                               filter: f.policeFilter, audit: .commandLine).isEmpty)
        let found = try await f.store.similarCases(complainantName: "AMY SMITH", perpetratorName: nil, postcode: "me141xq",
                                                   filter: f.councilFilter, audit: .commandLine)
        #expect(found.map(\.caseId) == [f.caseId])
        #expect(found.first?.reasons == ["same complainant", "same postcode"])
    }

    @Test(arguments: TestEngine.available)
    func listsFilterByStatusAndRepeatOrVulnerable(_ engine: TestEngine) async throws {
        let f = try await ASBFixture.make(engine)
        defer { Task { await f.db.close() } }
        #expect(try await f.store.list(.init(repeatOrVulnerableOnly: true), filter: f.councilFilter, audit: .commandLine).items.isEmpty)
        #expect(try await f.store.countsByDistrictAndStatus(filter: f.councilFilter).map(\.status) == [.open])
        let record = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine)).record
        try await f.store.updateCase(caseId: f.caseId, expectedVersion: record.version, status: .closed, outcome: .resolved,
                                     risk: .standard, leadOfficerId: f.council.userId, principal: f.council, filter: f.councilFilter,
                                     audit: .commandLine)
        await #expect(throws: StaleRecordError.self) {
            try await f.store.updateCase(caseId: f.caseId, expectedVersion: record.version, status: .open, outcome: nil,
                                         risk: .high, leadOfficerId: nil, principal: f.council, filter: f.councilFilter, audit: .commandLine)
        }
        #expect(try await f.store.list(.init(status: .open), filter: f.councilFilter, audit: .commandLine).items.isEmpty)
        #expect(try await f.store.list(.init(status: .closed), filter: f.councilFilter, audit: .commandLine).items.count == 1)
        // The dashboard's cached counts follow the change at once.
        #expect(try await f.store.countsByDistrictAndStatus(filter: f.councilFilter).map(\.status) == [.closed])
    }
}

@Suite struct ASBImporterTests {
    static func row(_ line: Int, caseKey: String, incident: String, agency: Int64, complainant: String?) -> ASBImport.Row {
        let day = ASBFixture.today.adding(days: -line)
        return ASBImport.Row(line: line, caseKey: caseKey, caseTitle: "Noise", districtId: nil, occurredOn: day, occurredAt: nil,
                             address: nil, postcode: nil, ward: nil, category: .nuisance, isHateMotivated: false, description: "d",
                             channel: .phone, incidentKey: incident, reportedOn: day, agencyId: agency, reference: nil,
                             complainantName: complainant, complainantPostcode: nil, perpetratorName: nil)
    }

    /// The SQLite schema's index definitions (none are listed on PostgreSQL, where an import keeps its indexes).
    static func indexes(_ db: ConcordDatabase) async throws -> [String] {
        guard db.engine == .sqlite else { return [] }
        return try await db.read { sql in
            try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all()
                .map { try $0.decode(column: "sql", as: String.self) }
        }
    }

    /// Rows group into cases and incidents (one incident, two agencies, counted once); a failure part-way leaves nothing.
    @Test(arguments: TestEngine.available)
    func importGroupsRowsAndIsAllOrNothing(_ engine: TestEngine) async throws {
        let f = try await ASBFixture.make(engine)
        defer { Task { await f.db.close() } }
        let importer = ASBImporter(database: f.db)
        let rows = [Self.row(2, caseKey: "a", incident: "1", agency: f.council.agencyId, complainant: "Amy"),
                    Self.row(3, caseKey: "a", incident: "1", agency: f.police.agencyId, complainant: "Amy"),
                    Self.row(4, caseKey: "a", incident: "2", agency: f.council.agencyId, complainant: "Amy"),
                    Self.row(5, caseKey: "b", incident: "1", agency: f.council.agencyId, complainant: nil)]
        let before = try await CaseStore(database: f.db).count(filter: f.councilFilter)
        // SQLite does not look up each row's parents during an import; the importer checks the agencies itself.
        await #expect(throws: ValidationError(field: "agencies", "there is no row with id 999999")) {
            _ = try await importer.run(rows + [Self.row(9, caseKey: "c", incident: "1", agency: 999_999, complainant: nil)], createdBy: nil,
                                       audit: .commandLine)
        }
        #expect(try await CaseStore(database: f.db).count(filter: f.councilFilter) == before)
        // Rows already written are undone when the file turns out to have a problem further on.
        struct LaterRowRefused: Error {}
        await #expect(throws: LaterRowRefused.self) {
            _ = try await importer.run(batches: ASBImporter.Batches { $0.yield(rows); $0.finish(throwing: LaterRowRefused()) },
                                       expectedRows: rows.count + 1, createdBy: nil, audit: .commandLine)
        }
        #expect(try await CaseStore(database: f.db).count(filter: f.councilFilter) == before)
        let indexes = try await Self.indexes(f.db)
        // Two batches, one incident reported in both: ids and grouping carry on from one batch to the next.
        let twoBatches = ASBImporter.Batches { batches in
            batches.yield(Array(rows[..<1]))
            batches.yield(Array(rows[1...]))
            batches.finish()
        }
        let summary = try await importer.run(batches: twoBatches, expectedRows: rows.count, createdBy: nil, audit: .commandLine)
        // A large import (here, more rows than the tables held) drops the secondary indexes and builds them again.
        #expect(try await Self.indexes(f.db) == indexes)
        #expect((summary.cases, summary.incidents, summary.reports) == (2, 3, 4))
        let cases = try await f.store.list(.init(), filter: f.councilFilter, audit: .commandLine).items
        let imported = try #require(cases.first { $0.title == "Noise" && $0.isRepeatVictim })
        #expect(imported.isPromptOpen)
        // References are read out on the phone: the id with at least six digits.
        #expect(imported.reference.wholeMatch(of: /ASB-[0-9]{6,}/) != nil && Int64(imported.reference.dropFirst(4)) == imported.caseId)
        let loaded = try #require(try await f.store.load(id: imported.caseId, filter: f.councilFilter, audit: .commandLine))
        #expect(loaded.incidents.count == 2 && loaded.incidents.map(\.reports.count).sorted() == [1, 2])
        // Ids handed out after an import do not collide (PostgreSQL sequences are moved on).
        try await f.store.addIncident(caseId: imported.caseId, complainantId: nil,
                                      ASBFixture.incident(ASBFixture.today, agency: f.council.agencyId),
                                      principal: f.council, filter: f.councilFilter, audit: .commandLine)
        #expect(try await AuditLog(database: f.db).verify().isIntact)
    }
}
