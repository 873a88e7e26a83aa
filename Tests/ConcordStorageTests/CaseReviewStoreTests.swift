import ConcordDomain
import ConcordStorage
import Foundation
import Testing

@Suite struct CaseReviewStoreTests {
    /// An ASB case whose complainant reported three separate incidents recently, and an application relying on them.
    static func applicationFixture(_ engine: TestEngine) async throws -> (ASBFixture, CaseReviewStore, areaId: Int64, reportIds: [Int64]) {
        let f = try await ASBFixture.make(engine)
        let area = try await DirectoryStore(database: f.db).createCSPArea(name: "Maidstone", districts: [("Maidstone", false)],
                                                                          audit: .commandLine)
        var loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        let complainant = try #require(loaded.parties.first { $0.role == .complainant })
        for daysAgo in [20, 10] {
            try await f.store.addIncident(caseId: f.caseId, complainantId: complainant.id,
                                          ASBFixture.incident(ASBFixture.today.adding(days: -daysAgo), agency: f.council.agencyId),
                                          principal: f.council, filter: f.councilFilter, audit: .commandLine)
        }
        loaded = try #require(try await f.store.load(id: f.caseId, filter: f.councilFilter, audit: .commandLine))
        return (f, CaseReviewStore(database: f.db), area.id, loaded.incidents.flatMap(\.reports).map(\.id))
    }

    @Test(arguments: TestEngine.available)
    func applicationChecksTheThresholdAgainstStoredComplaintsAndMovesThroughItsStages(_ engine: TestEngine) async throws {
        let (f, store, areaId, reports) = try await Self.applicationFixture(engine)
        defer { Task { await f.db.close() } }
        let input = ApplicationInput(areaId: areaId, receivedOn: ASBFixture.today, channel: .phone,
                                     applicants: [Applicant(name: "Amy Smith", isMember: false, personId: nil)], onBehalfOf: nil,
                                     reportIds: reports)
        let id = try await store.create(input, sharedWith: [f.police.agencyId], principal: f.council, filter: f.councilFilter,
                                        audit: .commandLine)
        var application = try #require(try await store.load(id: id, filter: f.councilFilter, audit: .commandLine))
        #expect(application.threshold.met && application.threshold.rulesMet == [.individual])
        #expect(application.threshold.counted.count == 3)
        #expect(application.stage == .received && !application.wardMemberNoticeDue)

        // The police are a relevant body the application is shared with.
        #expect(try await store.load(id: id, filter: f.policeFilter, audit: .commandLine) != nil)

        await #expect(throws: ValidationError.self) {
            try await store.record(.reviewOutcome(on: ASBFixture.today, finding: .inadequateAction, reason: "r", outcome: "o"),
                                   caseId: id, principal: f.council, filter: f.councilFilter, audit: .commandLine)
        }
        try await store.record(.initialDecision(on: ASBFixture.today, notes: "Threshold met"), caseId: id, principal: f.council,
                               filter: f.councilFilter, audit: .commandLine)
        try await store.record(.recommendation(text: "Joint visit", ownerAgencyId: f.police.agencyId, dueOn: ASBFixture.today.adding(days: 30)),
                               caseId: id, principal: f.council, filter: f.councilFilter, audit: .commandLine)
        try await store.record(.reviewOutcome(on: ASBFixture.today, finding: .inadequateAction, reason: "No follow-up after the 2nd report",
                                              outcome: "Action plan agreed"),
                               caseId: id, principal: f.council, filter: f.councilFilter, audit: .commandLine)
        application = try #require(try await store.load(id: id, filter: f.councilFilter, audit: .commandLine))
        #expect(application.stage == .reviewed && application.actionFinding == .inadequateAction)
        #expect(application.recommendations.count == 1)

        let counts = try await store.annualCounts(year: ASBFixture.today.year)
        let maidstone = try #require(counts.first { $0.areaId == areaId })
        #expect((maidstone.applicationsReceived, maidstone.thresholdNotMet, maidstone.reviewsCarriedOut, maidstone.reviewsWithRecommendations)
            == (1, 0, 1, 1))
    }

    @Test(arguments: TestEngine.available)
    func aMemberWhoAppliedMayNotReviewAndAGroupApplicationNeedsTheMemberTold(_ engine: TestEngine) async throws {
        let (f, store, areaId, reports) = try await Self.applicationFixture(engine)
        defer { Task { await f.db.close() } }
        let member = try await DirectoryStore(database: f.db).createPerson(Person(id: 0, name: "Cllr Jones"), audit: .commandLine)
        let input = ApplicationInput(areaId: areaId, receivedOn: ASBFixture.today, channel: .paper,
                                     applicants: [Applicant(name: "Cllr Jones", isMember: true, personId: member.id),
                                                  Applicant(name: "Amy Smith", isMember: false, personId: nil),
                                                  Applicant(name: "Bob Smith", isMember: false, personId: nil)],
                                     onBehalfOf: "Residents of Hill Street", reportIds: reports)
        let id = try await store.create(input, sharedWith: [], principal: f.council, filter: f.councilFilter, audit: .commandLine)
        #expect(try await store.load(id: id, filter: f.councilFilter, audit: .commandLine)?.wardMemberNoticeDue == true)
        await #expect(throws: ValidationError.self) {
            try await store.record(.reviewer(personId: member.id), caseId: id, principal: f.council, filter: f.councilFilter,
                                   audit: .commandLine)
        }
        #expect(try await store.load(id: id, filter: f.policeFilter, audit: .commandLine) == nil)
    }

    /// Complaints on cases the principal may not see cannot be relied on: they do not exist for them.
    @Test(arguments: TestEngine.available)
    func hiddenComplaintsAreUnknown(_ engine: TestEngine) async throws {
        let (f, store, _, reports) = try await Self.applicationFixture(engine)
        defer { Task { await f.db.close() } }
        await #expect(throws: ValidationError.self) {
            _ = try await store.complaints(reportIds: reports, filter: f.policeFilter)
        }
        let gathered = try await store.complaintsInWindow(complainantKeys: ["amy smith"], caseIds: [], receivedOn: ASBFixture.today,
                                                          windowMonths: 6, filter: f.councilFilter, audit: .commandLine)
        #expect(gathered.count == 3)
        #expect(try await store.complaintsInWindow(complainantKeys: ["amy smith"], caseIds: [], receivedOn: ASBFixture.today,
                                                   windowMonths: 6, filter: f.policeFilter, audit: .commandLine).isEmpty)
    }

    /// The application form offers the complainant's complaints on their other cases; finding them is audited as a
    /// search naming those cases, and the case the application starts from is left out (its reports are listed already).
    @Test(arguments: TestEngine.available)
    func complaintsOnTheComplainantsOtherCasesAreGatheredAndTheSearchAudited(_ engine: TestEngine) async throws {
        let (f, store, _, _) = try await Self.applicationFixture(engine)
        defer { Task { await f.db.close() } }
        let other = try await f.store.create(ASBFixture.caseInput(title: "Bins, Hill Street", officer: f.council,
                                                                  incident: ASBFixture.incident(ASBFixture.today.adding(days: -5),
                                                                                                agency: f.council.agencyId)),
                                             createdBy: f.council.userId, audit: .commandLine)
        // Her complaint of 300 days ago is outside the six-month window.
        _ = try await f.store.create(ASBFixture.caseInput(title: "Graffiti, Hill Street", officer: f.council,
                                                          incident: ASBFixture.incident(ASBFixture.today.adding(days: -300),
                                                                                        agency: f.council.agencyId)),
                                     createdBy: f.council.userId, audit: .commandLine)
        let audit = AuditContext(userId: f.council.userId, agencyId: f.council.agencyId, requestId: "window-search")
        let found = try await store.complaintsInWindow(complainantKeys: [ASBRules.matchKey("Amy Smith")], caseIds: [], excludingCase: f.caseId,
                                                       receivedOn: ASBFixture.today, windowMonths: 6, filter: f.councilFilter, audit: audit)
        #expect(found.map(\.caseId) == [other])
        #expect(found.first?.complainantName == "Amy  Smith" && found.first?.category == .nuisance)
        #expect(found.first?.complaint.reportedOn == ASBFixture.today.adding(days: -5))

        let entries = try await AuditLog(database: f.db).search(AuditQuery(userId: f.council.userId, action: .view, recordType: "case-search"))
        let reference = try #require(found.first?.caseReference)
        #expect(entries.items.first?.record.note == "Case Review complaints in the window: 1 found on \(reference)")
        #expect(entries.items.first?.record.context.requestId == "window-search")
    }
}
