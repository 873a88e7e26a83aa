import ConcordDomain
import ConcordStorage
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

/// One area MARAC (West Kent, meeting on the second Tuesday of each month) with the police (the Hub's host) and
/// a council represented; a fire service officer who is not represented; the Hub's manager and a coordinator.
struct MARACFixture {
    let db: ConcordDatabase
    let store: MARACStore
    let areaId: Int64
    let police: Agency
    let council: Agency
    let fire: Agency
    let coordinator: Principal
    let manager: Principal
    let councilOfficer: Principal
    let fireOfficer: Principal
    static let calendar = WorkingDayCalendar(division: .englandAndWales, published: BankHolidayData(holidays: [:]))
    static let settings = MARACStore.ReferralSettings(SettingValues())

    func filter(_ principal: Principal) -> VisibilityFilter {
        AccessPolicy.visibilityFilter(for: principal, agreements: [], on: day("2026-11-30"))
    }

    func audit(_ principal: Principal) -> AuditContext { AuditContext(principal, requestId: "test", clientAddress: nil) }

    static func make(_ engine: TestEngine) async throws -> MARACFixture {
        let db = try await engine.makeDatabase()
        let police = try await StorageTests.agency(db, "Kent Police", .police)
        let council = try await StorageTests.agency(db, "Maidstone Borough Council")
        let fire = try await StorageTests.agency(db, "Kent Fire and Rescue Service", .fireAndRescue)
        func user(_ agency: Agency, _ email: String, _ role: Role) async throws -> Principal {
            Principal(try await UserStore(database: db).create(UserInput(email: email, displayName: email, agencyId: agency.id, roles: [role]),
                                                               passwordHash: "x", audit: .commandLine))
        }
        let coordinator = try await user(police, "coordinator@police.test", .maracCoordinator)
        let manager = try await user(police, "manager@police.test", .maracCoordinator)
        let councilOfficer = try await user(council, "officer@council.test", .caseOfficer)
        let fireOfficer = try await user(fire, "officer@fire.test", .caseOfficer)
        let store = MARACStore(database: db)
        let areaId = try await store.saveArea(id: nil, expectedVersion: nil, name: "West Kent", frequency: .monthly,
                                              firstMeetingOn: day("2026-01-13"), adultFemalePopulation: 250_000, districtIds: [],
                                              audit: .commandLine)
        try await store.represent(areaId: areaId, agencyId: police.id, pointOfContactUserId: coordinator.userId, audit: .commandLine)
        try await store.represent(areaId: areaId, agencyId: council.id, pointOfContactUserId: councilOfficer.userId, audit: .commandLine)
        try await store.setHubRole(userId: coordinator.userId, role: .coordinator, audit: .commandLine)
        try await store.setHubRole(userId: manager.userId, role: .manager, audit: .commandLine)
        return MARACFixture(db: db, store: store, areaId: areaId, police: police, council: council, fire: fire, coordinator: coordinator,
                            manager: manager, councilOfficer: councilOfficer, fireOfficer: fireOfficer)
    }

    func referral(_ name: String = "Jane Doe", on date: String = "2026-11-02", yes: Int = 15, judgement: String? = nil,
                  by agency: Agency? = nil, complex: Bool = false, diversity: VictimDiversity = VictimDiversity(age: 30, sex: .female)) -> ReferralInput {
        ReferralInput(areaId: areaId, victimName: name, victimDateOfBirth: nil,
                      contact: VictimContact(address: "1 Safe Street", postcode: "ME14 1XQ", phone: "07700 900000"),
                      diversity: diversity, perpetrators: [NamedPerson(name: "John Doe", age: 17)], children: [NamedPerson(name: "A", age: 4)],
                      referringAgencyId: (agency ?? police).id, referringOfficer: "PC Smith", referredOn: day(date),
                      checklist: RiskChecklist(answers: (0..<24).map { $0 < yes ? .yes : .no }), professionalJudgement: judgement,
                      incidentsInLast12Months: 0, isComplex: complex)
    }

    @discardableResult
    func refer(_ input: ReferralInput, as principal: Principal? = nil) async throws -> Int64 {
        let principal = principal ?? coordinator
        return try await store.refer(input, principal: principal, settings: Self.settings, calendar: Self.calendar, audit: audit(principal))
    }
}

@Suite struct MARACStoreTests {
    @Test(arguments: TestEngine.available)
    func aReferralIsSeenByTheAreasAgenciesAndByNoOneElse(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let id = try await f.refer(f.referral())
        let detail = try #require(try await f.store.detail(caseId: id, filter: f.filter(f.councilOfficer), showContact: false,
                                                           audit: f.audit(f.councilOfficer)))
        #expect(detail.routes == [.visibleHighRisk] && detail.checklist.score == 15 && detail.contact == nil)
        #expect(detail.record.isRestricted && detail.record.sharedWith == [f.council.id])
        #expect(detail.perpetrators == [NamedPerson(name: "John Doe", age: 17)] && detail.children.count == 1)
        // The first meeting at least 5 working days after Monday 2 November 2026: Tuesday 10 November (2nd Tuesday).
        #expect(detail.maracDate == day("2026-11-10"))
        let shown = try await f.store.detail(caseId: id, filter: f.filter(f.coordinator), showContact: true, audit: f.audit(f.coordinator))
        #expect(shown?.contact?.address == "1 Safe Street")
        // Not represented, so not told the case exists — even under an agreement that names MARAC cases.
        let agreement = SharingAgreement(id: 1, title: "All", purpose: "p", lawfulBasis: "b", parties: [f.police.id, f.fire.id],
                                         caseTypes: [.marac], startsOn: day("2020-01-01"))
        let fireFilter = AccessPolicy.visibilityFilter(for: f.fireOfficer, agreements: [agreement], on: day("2026-11-30"))
        #expect(try await f.store.detail(caseId: id, filter: fireFilter, showContact: true, audit: f.audit(f.fireOfficer)) == nil)
        #expect(try await f.store.list(filter: fireFilter, today: day("2026-11-30"), audit: nil).items.isEmpty)
        #expect(try await f.store.list(filter: f.filter(f.councilOfficer), today: day("2026-11-30"), audit: nil).items.map(\.caseId) == [id])
        let views = try await AuditLog(database: f.db).viewers(recordType: "case", recordId: String(id))
        #expect(Set(views.map(\.userId)) == [f.councilOfficer.userId, f.coordinator.userId])
    }

    @Test(arguments: TestEngine.available)
    func repeatsDuplicatesAndReferralsBelowEveryCriterion(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let first = try await f.refer(f.referral(on: "2026-01-05"))
        let again = try await f.refer(f.referral("  jane DOE ", on: "2026-11-02", yes: 3))
        let repeatCase = try #require(try await f.store.detail(caseId: again, filter: f.filter(f.coordinator), showContact: false,
                                                                audit: .commandLine))
        #expect(repeatCase.routes == [.repeat])
        #expect(repeatCase.otherReferrals.map(\.caseId) == [first])
        await #expect(throws: ValidationError.self) { try await f.refer(f.referral("Jane Doe", on: "2026-11-02")) }
        do {
            try await f.refer(f.referral("Someone Else", yes: 13))
            Issue.record("a referral meeting no criterion was accepted")
        } catch let error as ValidationError {
            #expect(error.issues.map(\.field) == ["professionalJudgement"])
        }
        let judged = try await f.refer(f.referral("Someone Else", yes: 13, judgement: "Recent escalation in controlling behaviour"))
        #expect(try await f.store.detail(caseId: judged, filter: f.filter(f.coordinator), showContact: false, audit: .commandLine)?.routes
            == [.professionalJudgement])
        await #expect(throws: ValidationError.self) {
            var unknownArea = f.referral("Third Person")
            unknownArea.areaId = 999
            try await f.refer(unknownArea)
        }
    }

    @Test(arguments: TestEngine.available)
    func actionsGoToThePointOfContactAndOnlyTheirAgencyOrTheHubUpdatesThem(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let id = try await f.refer(f.referral())
        let actionId = try await f.store.requestAction(
            caseId: id, MARACActionRequest(agencyId: f.council.id, description: "Housing safety visit", requestedOn: day("2026-11-10"),
                                           dueOn: day("2026-11-17")),
            principal: f.coordinator, filter: f.filter(f.coordinator), audit: f.audit(f.coordinator))
        let inbox = try await NotificationStore(database: f.db).inbox(userId: f.councilOfficer.userId)
        #expect(inbox.map(\.link) == ["/marac/cases/\(id)"])
        // The fire service is asked too: the case is shared with it so it can see what it is asked to do.
        try await f.store.requestAction(
            caseId: id, MARACActionRequest(agencyId: f.fire.id, description: "Home fire safety check", requestedOn: day("2026-11-10"),
                                           dueOn: day("2026-11-24")),
            principal: f.coordinator, filter: f.filter(f.coordinator), audit: f.audit(f.coordinator))
        let fireView = try #require(try await f.store.detail(caseId: id, filter: f.filter(f.fireOfficer), showContact: false, audit: .commandLine))
        #expect(fireView.actions.count == 2)
        // The fire officer may not close the council's action.
        await #expect(throws: AccessDeniedError.self) {
            try await f.store.updateAction(actionId: actionId, MARACActionUpdate(status: .completed, reason: nil, note: nil, expectedVersion: 1),
                                           principal: f.fireOfficer, filter: f.filter(f.fireOfficer), today: day("2026-11-30"),
                                           audit: f.audit(f.fireOfficer))
        }
        let denials = try await AuditLog(database: f.db).search(AuditQuery(action: .permissionDenied))
        #expect(denials.items.contains { $0.record.recordId == String(id) })
        // Overdue on 30 November: on the Hub's list and on the council's own list, not on the fire service's own list.
        let hub = try await f.store.overdueActions(filter: f.filter(f.coordinator), today: day("2026-11-30"))
        #expect(hub.map(\.actionId).contains(actionId) && hub.count == 2)
        #expect(try await f.store.overdueActions(filter: f.filter(f.councilOfficer), agencyId: f.council.id, today: day("2026-11-30"))
            .map(\.actionId) == [actionId])
        try await f.store.updateAction(actionId: actionId, MARACActionUpdate(status: .notCompleted, reason: .circumstancesChanged,
                                                                             note: "Victim moved out of area", expectedVersion: 1),
                                       principal: f.councilOfficer, filter: f.filter(f.councilOfficer), today: day("2026-11-30"),
                                       audit: f.audit(f.councilOfficer))
        await #expect(throws: StaleRecordError.self) {
            try await f.store.updateAction(actionId: actionId, MARACActionUpdate(status: .completed, reason: nil, note: nil, expectedVersion: 1),
                                           principal: f.coordinator, filter: f.filter(f.coordinator), today: day("2026-11-30"),
                                           audit: f.audit(f.coordinator))
        }
        #expect(try await f.store.overdueActions(filter: f.filter(f.coordinator), today: day("2026-11-30")).map(\.agencyId) == [f.fire.id])
    }

    /// Default ladder, 5 working days a rung: due Tuesday 17 November 2026.
    @Test(arguments: TestEngine.available)
    func overdueActionsClimbTheLadderOnceEachWithNotificationsAndALog(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let directory = DirectoryStore(database: f.db)
        let tactical = try await directory.createBody(name: "Kent and Medway Domestic and Sexual Abuse Tactical Group", kind: .group,
                                                      parentId: nil, audit: .commandLine)
        let chair = try await directory.createPerson(Person(id: 0, name: "Tactical Chair", email: "chair@tactical.test"), audit: .commandLine)
        try await directory.addMembership(bodyId: tactical.id, personId: chair.id, role: .chair, representing: nil, from: nil, audit: .commandLine)
        let id = try await f.refer(f.referral())
        let actionId = try await f.store.requestAction(
            caseId: id, MARACActionRequest(agencyId: f.council.id, description: "Safety visit", requestedOn: day("2026-11-10"),
                                           dueOn: day("2026-11-17")),
            principal: f.coordinator, filter: f.filter(f.coordinator), audit: f.audit(f.coordinator))
        let ladder = EscalationLadder.parse(PartnershipSettings.maracEscalationLadder.defaultValue)
        func run(_ today: String) async throws -> Int {
            try await f.store.escalateOverdueActions(today: day(today), ladder: ladder, stepWorkingDays: 5, calendar: MARACFixture.calendar)
        }
        #expect(try await run("2026-11-17") == 0)
        #expect(try await run("2026-11-18") == 1)
        #expect(try await run("2026-11-18") == 0)
        // 25 November is the 6th working day late: the point of contact; 2 December: the Tactical Group.
        #expect(try await run("2026-12-02") == 2)
        let log = try await f.store.escalations(actionId: actionId)
        #expect(log.map(\.level) == [3, 2, 1])
        #expect(log.map(\.rung) == ["body:Kent and Medway Domestic and Sexual Abuse Tactical Group", "point-of-contact", "coordinators"])
        #expect(log.allSatisfy { $0.recipients == 1 && $0.caseId == id })
        let outbox = try await NotificationStore(database: f.db).unsentEmails().map(\.to)
        #expect(outbox.contains("chair@tactical.test") && outbox.contains("officer@council.test"))
        // The Executive Group has no members here: the rung is logged as reaching no one.
        #expect(try await run("2027-01-04") == 1)
        #expect(try await f.store.escalations(actionId: actionId).first?.recipients == 0)
        #expect(try await run("2027-03-01") == 0)
    }

    @Test(arguments: TestEngine.available)
    func onlyOneHolderHasTheJobLeaseUntilItExpires(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let now = Date()
        let first = JobLease(database: f.db, name: "escalations", holder: "instance-a")
        let second = JobLease(database: f.db, name: "escalations", holder: "instance-b")
        #expect(try await first.acquire(for: 60, now: now))
        #expect(try await !second.acquire(for: 60, now: now))
        #expect(try await first.acquire(for: 60, now: now.addingTimeInterval(30)))
        #expect(try await second.acquire(for: 60, now: now.addingTimeInterval(120)))
        #expect(try await !first.acquire(for: 60, now: now.addingTimeInterval(121)))
    }

    @Test(arguments: TestEngine.available)
    func meetingsAgendaAttendanceAndTheReviewOfIncompleteActions(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        let meetings = try await f.store.meetings(areaId: f.areaId, from: day("2026-11-01"), to: day("2026-12-31"))
        #expect(meetings.map(\.heldOn) == [day("2026-11-10"), day("2026-12-08")])
        #expect(try await f.store.meetings(areaId: f.areaId, from: day("2026-11-01"), to: day("2026-12-31")).map(\.id) == meetings.map(\.id))
        let plain = try await f.refer(f.referral("Plain Case"))
        let complex = try await f.refer(f.referral("Complex Case", complex: true))
        let withAction = try await f.refer(f.referral("Action Case"))
        let actionId = try await f.store.requestAction(
            caseId: withAction, MARACActionRequest(agencyId: f.council.id, description: "Visit", requestedOn: day("2026-11-02"),
                                                   dueOn: day("2026-11-06")),
            principal: f.coordinator, filter: f.filter(f.coordinator), audit: .commandLine)
        let november = meetings[0]
        let agenda = try await f.store.agenda(meeting: november, filter: f.filter(f.coordinator), today: day("2026-11-10"), audit: .commandLine)
        #expect(agenda.heard.map(\.caseId) == [complex, withAction])
        #expect(agenda.withoutMeeting.map(\.caseId) == [plain])
        await #expect(throws: ValidationError.self) {
            try await f.store.confirmAgenda(meetingId: november.id, chairUserId: f.coordinator.userId, heardCaseIds: [complex],
                                            expectedVersion: november.version, audit: .commandLine)
        }
        try await f.store.confirmAgenda(meetingId: november.id, chairUserId: f.manager.userId, heardCaseIds: [complex, withAction],
                                        expectedVersion: november.version, audit: .commandLine)
        #expect(try await f.store.meeting(id: november.id)?.chairUserId == f.manager.userId)
        await #expect(throws: ValidationError.self) {
            try await f.store.recordAttendance(meetingId: november.id, [
                .init(agencyId: f.police.id, attended: true, representative: "DS Jones", confidentialityAcknowledged: false, informationSent: true),
            ], audit: .commandLine)
        }
        try await f.store.recordAttendance(meetingId: november.id, [
            .init(agencyId: f.police.id, attended: true, representative: "DS Jones", confidentialityAcknowledged: true, informationSent: true),
            .init(agencyId: f.council.id, attended: false, representative: nil, confidentialityAcknowledged: false, informationSent: true),
        ], audit: .commandLine)
        #expect(try await f.store.incompleteActions(meeting: november, filter: f.filter(f.coordinator)).map(\.id) == [actionId])
        try await f.store.reviewIncompleteAction(meetingId: november.id, actionId: actionId, reason: .agencyDidNotAct, note: "No reply",
                                                 principal: f.coordinator, filter: f.filter(f.coordinator), today: day("2026-11-10"),
                                                 audit: .commandLine)
        #expect(try await f.store.incompleteActions(meeting: november, filter: f.filter(f.coordinator)).isEmpty)
        try await f.store.recordMinutes(meetingId: november.id, caseId: complex, decisions: "Joint safety plan agreed", principal: f.coordinator,
                                        filter: f.filter(f.coordinator), audit: .commandLine)
        let heard = try await f.store.detail(caseId: complex, filter: f.filter(f.coordinator), showContact: false, audit: .commandLine)
        #expect(heard?.minutes.map(\.decisions) == ["Joint safety plan agreed"] && heard?.meetingId == november.id)

        // The council attended none of the quarter's meetings: the Tactical Group hears of it, once.
        let ladder = EscalationLadder.parse(PartnershipSettings.maracEscalationLadder.defaultValue)
        let quarter = Quarter(year: 2026, number: 4)!
        #expect(try await f.store.escalateAttendance(quarter: quarter, thresholdPercent: 75, ladder: ladder) == 1)
        #expect(try await f.store.escalateAttendance(quarter: quarter, thresholdPercent: 75, ladder: ladder) == 0)
        #expect(try await f.store.escalations().first?.rung == "body:Kent and Medway Domestic and Sexual Abuse Tactical Group")
        let attendance = try await f.store.attendance(areaId: f.areaId, quarter: quarter)
        #expect(attendance.map(\.attended) == [1, 0] && attendance.allSatisfy { $0.meetings == 1 })
    }

    @Test(arguments: TestEngine.available)
    func indicatorsReadTheQuartersCases(_ engine: TestEngine) async throws {
        let f = try await MARACFixture.make(engine)
        defer { Task { await f.db.close() } }
        try await f.refer(f.referral("A", on: "2026-01-05"))
        try await f.refer(f.referral("A", on: "2026-11-02"))
        try await f.refer(f.referral("B", on: "2026-11-03", by: f.council,
                                     diversity: VictimDiversity(age: 17, sex: .male, ethnicGroup: .asian, disability: .yes, lgbt: .yes)),
                          as: f.councilOfficer)
        let cases = try await f.store.indicatorCases(areaId: f.areaId, quarter: Quarter(year: 2026, number: 4)!)
        let kpis = MARACRules.indicators(cases, adultFemalePopulation: 250_000)
        #expect(kpis.cases == 2 && kpis.repeats == 1 && kpis.nonPoliceReferrals == 1 && kpis.male == 1 && kpis.aged16To17 == 1)
        #expect(kpis.perpetratorsUnder18 == 2 && kpis.childrenInHouseholds == 2 && kpis.raciallyMinoritised == 1)
        #expect(try await f.store.indicatorCases(areaId: f.areaId, quarter: Quarter(year: 2026, number: 1)!).count == 1)
    }
}
