import ConcordDomain
import ConcordStorage
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct GovernanceStoreTests {
    static func meeting(_ db: ConcordDatabase, on date: String = "2026-12-08", startAt: Int? = nil) async throws -> (bodyId: Int64, meetingId: Int64) {
        let directory = DirectoryStore(database: db)
        var body = try await directory.bodies().first { $0.name == "Test Partnership" }
        if body == nil { body = try await directory.createBody(name: "Test Partnership", kind: .partnership, parentId: nil, audit: .commandLine) }
        guard let body else { throw ValidationError(field: "body", "no body") }
        let id = try await GovernanceStore(database: db).saveMeeting(
            id: nil, expectedVersion: nil,
            MeetingInput(bodyId: body.id, heldOn: day(date), startsAt: "10:00", venue: "Darent Room", minutesStartAt: startAt), audit: .commandLine)
        return (body.id, id)
    }

    @Test(arguments: TestEngine.available)
    func theDemoHoldsThePartnershipsMeetingsAsThePapersRecordThem(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        try await DemoPartnership.load(into: db, passwordHash: "x")
        let store = GovernanceStore(database: db)
        let meetings = try await store.meetings()
        #expect(meetings.map(\.heldOn.iso) == ["2013-07-17", "2013-10-17", "2014-03-18", "2014-07-08", "2014-10-14", "2022-11-17", "2023-03-21"])
        let byDate = Dictionary(uniqueKeysWithValues: meetings.map { ($0.heldOn.iso, $0) })
        func numbers(_ date: String) async throws -> [Int] { try await store.minutes(meetingId: byDate[date]!.id).map(\.number) }
        #expect(try await numbers("2013-07-17") == Array(23...35))
        #expect(try await numbers("2014-03-18") == Array(50...63))
        #expect(try await numbers("2014-07-08") == Array(64...74))
        #expect(try await numbers("2022-11-17") == Array(70...79))

        // 17 October 2013 front sheet: A3 Pages 3 - 8 … C2 Pages 67 - 70; D1 and D2 restricted.
        let october = try await store.items(meetingId: byDate["2013-10-17"]!.id)
        let ranges = GovernanceRules.pageRanges(october, firstPage: byDate["2013-10-17"]!.packFirstPage)
        let code = Dictionary(uniqueKeysWithValues: october.map { ($0.code, $0.id) })
        #expect(ranges[code["A3"]!] == 3...8 && ranges[code["B2"]!] == 9...38 && ranges[code["C2"]!] == 67...70)
        #expect(october.filter { $0.isRestricted(on: day("2026-11-30")) }.map(\.code) == ["D1", "D2"])

        // 18 March 2014: the Vice-Chairman at minute 50, the Chairman from minute 56; three substitutes.
        let march = byDate["2014-03-18"]!
        #expect(try await store.chairChanges(meetingId: march.id).map(\.atMinuteNumber) == [50, 56])
        let attendance = try await store.attendance(meetingId: march.id)
        #expect(attendance.filter { $0.substituteForName != nil }.count == 3)
        #expect(attendance.first { $0.personName == "Ms C Allen" }?.substituteForName == "Ms S Billiald")
        #expect(march.minutesStatus == .agreed && march.minutesAgreedAtMeetingId == byDate["2014-07-08"]!.id)
        // Minute 63 cites "(Item C1)" although it was taken in private: kept as written.
        let minute63 = try #require(try await store.minutes(meetingId: march.id).first { $0.number == 63 })
        #expect(minute63.citedItemCode == "C1" && minute63.isPrivate)

        // The action log: Jim Parris's MARAC report was done at the July meeting; his Community Trigger report is
        // still open and overdue; actions carried to 8 July 2014 include those from March still open then.
        let actions = try await store.actions(bodyId: march.bodyId)
        let maracReport = try #require(actions.first { $0.minuteNumber == 60 })
        #expect(maracReport.completedOn == day("2014-07-08") && maracReport.dueOn == day("2014-07-08"))
        let trigger = try #require(actions.first { $0.minuteNumber == 66 })
        #expect(GovernanceRules.isOverdue(trigger, today: day("2026-11-30")) && trigger.dueOn == day("2014-10-14"))
        let carried = GovernanceRules.carriedForward(actions, to: day("2014-07-08"))
        #expect(carried.contains { $0.minuteNumber == 60 } && carried.contains { $0.minuteNumber == 25 })
        #expect(!carried.contains { $0.minuteNumber == 23 })

        // The forward plan: the promised PCC report is missing from the published October agenda.
        let plan = try await store.forwardPlan(bodyId: march.bodyId)
        let planned = try await store.plannedItems(bodyId: march.bodyId)
        func status(_ title: String) -> GovernanceRules.ForwardPlanStatus? {
            plan.first { $0.title.hasPrefix(title) }.map { entry in
                GovernanceRules.status(of: entry, forMeeting: meetings.first { $0.id == entry.forMeetingId }, agendaItems: planned,
                                       today: day("2026-11-30"))
            }
        }
        #expect(status("Police and Crime Commissioner") == .missingFromAgenda)
        #expect(status("MARAC") == .onAgenda(code: "B3"))
        #expect(status("Community Trigger") == .awaitingAgenda)
        #expect(status("Legal highs") == .unscheduled)
    }

    @Test(arguments: TestEngine.available)
    func agendaCodesAreAssignedInOrderAndFixedOncePublished(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = GovernanceStore(database: db)
        let (_, meetingId) = try await Self.meeting(db)
        for title in ["Apologies", "Declarations of Interest", "Notes of the last meeting"] {
            try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .committeeBusiness, title: title, kind: .verbalUpdate), audit: .commandLine)
        }
        let b1 = try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .discussion, title: "Community Trigger", kind: .report),
                                         audit: .commandLine)
        #expect(b1.code == "B1")
        do {
            try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .discussion, code: "B1", title: "MARAC", kind: .report),
                                    audit: .commandLine)
            Issue.record("a code clash was accepted")
        } catch let error as ValidationError {
            #expect(error.issues == [FieldIssue("code", "Code B1 is already used on this agenda by “Community Trigger”")])
        }
        do {
            try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .restricted, title: "DHR update", kind: .tabled), audit: .commandLine)
            Issue.record("a section D item without a reason was accepted")
        } catch let error as ValidationError {
            #expect(error.issues.map(\.field) == ["restricted"])
        }
        await #expect(throws: ValidationError.self) {
            try await store.addItem(meetingId: meetingId,
                                    AgendaItemInput(section: .restricted, title: "DHR", kind: .tabled, restriction: Restriction(paragraph: .individual, reason: " ")),
                                    audit: .commandLine)
        }
        // Before publication, removing A2 closes the gap; afterwards codes are fixed.
        let items = try await store.items(meetingId: meetingId)
        try await store.removeItem(id: items.first { $0.code == "A2" }!.id, audit: .commandLine)
        #expect(try await store.items(meetingId: meetingId).map(\.code) == ["A1", "A2", "B1"])
        let meeting = try #require(try await store.meeting(id: meetingId))
        try await store.publishAgenda(meetingId: meetingId, expectedVersion: meeting.version, audit: .commandLine)
        await #expect(throws: ValidationError.self) { try await store.removeItem(id: b1.id, audit: .commandLine) }
        let next = try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .discussion, title: "MARAC", kind: .report), audit: .commandLine)
        #expect(next.code == "B2")
        #expect(try await store.items(meetingId: meetingId).count == 4)

        // The next meeting starts with the standing items (none were marked here), then with those marked standing.
        let (_, following) = try await Self.meeting(db, on: "2027-03-16")
        #expect(try await store.items(meetingId: following).isEmpty)
        for title in ["Apologies", "Declarations of Interest"] {
            try await store.addItem(meetingId: following, AgendaItemInput(section: .committeeBusiness, title: title, kind: .verbalUpdate, isStanding: true),
                                    audit: .commandLine)
        }
        try await store.addItem(meetingId: following, AgendaItemInput(section: .discussion, title: "Working Group update", kind: .report, isStanding: true),
                                audit: .commandLine)
        try await store.addItem(meetingId: following, AgendaItemInput(section: .discussion, title: "One-off report", kind: .report), audit: .commandLine)
        let (_, july) = try await Self.meeting(db, on: "2027-07-12")
        #expect(try await store.items(meetingId: july).map { "\($0.code) \($0.title)" }
            == ["A1 Apologies", "A2 Declarations of Interest", "B1 Working Group update"])
    }

    @Test(arguments: TestEngine.available)
    func minuteNumbersRunOnAcrossMeetingsWithoutGapsOrDuplicates(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = GovernanceStore(database: db)
        let (_, march) = try await Self.meeting(db, on: "2014-03-18", startAt: 50)
        let (_, july) = try await Self.meeting(db, on: "2014-07-08")
        for title in ["Vice-Chairman in the Chair", "Notes of meeting held on 17 October 2013"] {
            try await store.addMinute(meetingId: march, MinuteInput(title: title), audit: .commandLine)
        }
        #expect(try await store.minutes(meetingId: march).map(\.number) == [50, 51])
        let first = try await store.addMinute(meetingId: july, MinuteInput(title: "Vice-Chairman in the Chair"), audit: .commandLine)
        #expect(first.number == 52)
        do {
            try await store.addMinute(meetingId: july, MinuteInput(number: 55, title: "Community Trigger"), audit: .commandLine)
            Issue.record("a gap was accepted")
        } catch let error as ValidationError {
            #expect(error.issues == [FieldIssue("number", "Minute numbers run on without a gap: the next minute is 53, not 55")])
        }
        do {
            try await store.addMinute(meetingId: july, MinuteInput(number: 51, title: "Again"), audit: .commandLine)
            Issue.record("a duplicate was accepted")
        } catch let error as ValidationError {
            #expect(error.issues.first?.message == "Minute 51 already exists: each minute number is used once")
        }
        #expect(try await store.minutes(meetingId: july).map(\.number) == [52])

        // An action needs an owner; minutes are published, then agreed at the next meeting with who signed.
        do {
            try await store.addAction(minuteId: first.id, GovernanceActionInput(ownerName: " ", description: "Report back"), audit: .commandLine)
            Issue.record("an action without an owner was accepted")
        } catch let error as ValidationError {
            #expect(error.issues.map(\.field) == ["ownerName"])
        }
        var meeting = try #require(try await store.meeting(id: march))
        await #expect(throws: ValidationError.self) {
            try await store.agreeMinutes(meetingId: march, expectedVersion: meeting.version, atMeetingId: july, signedBy: "Chairman", audit: .commandLine)
        }
        try await store.publishMinutes(meetingId: march, expectedVersion: meeting.version, audit: .commandLine)
        meeting = try #require(try await store.meeting(id: march))
        try await store.agreeMinutes(meetingId: march, expectedVersion: meeting.version, atMeetingId: july, signedBy: "Mr P M Hill, OBE", audit: .commandLine)
        meeting = try #require(try await store.meeting(id: march))
        #expect(meeting.minutesStatus == .agreed && meeting.minutesSignedBy == "Mr P M Hill, OBE")
        await #expect(throws: ValidationError.self) {
            try await store.addMinute(meetingId: march, MinuteInput(title: "Late addition"), audit: .commandLine)
        }
    }

    @Test(arguments: TestEngine.available)
    func papersKeepTheirBytesAndChecksum(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = GovernanceStore(database: db)
        let (_, meetingId) = try await Self.meeting(db)
        let item = try await store.addItem(meetingId: meetingId, AgendaItemInput(section: .discussion, title: "Report", kind: .report), audit: .commandLine)
        let bytes = Data("%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type/Page >>\n%%EOF".utf8)
        let accepted = try PaperRules.accept(fileName: "report.pdf", bytes: bytes, maxMegabytes: 10)
        #expect(accepted.pageCount == 2)
        let id = try await store.addPaper(itemId: item.id, fileName: "report.pdf", bytes: bytes, accepted: accepted, pageCount: nil,
                                          scanStatus: .notScanned, uploadedBy: nil, audit: .commandLine)
        let stored = try #require(try await store.paper(id: id))
        #expect(stored.bytes == bytes && stored.paper.pageCount == 2 && stored.paper.byteCount == bytes.count)
        #expect(try await store.items(meetingId: meetingId).first?.packPages == 2)
        try await store.removePaper(id: id, audit: .commandLine)
        #expect(try await store.paper(id: id) == nil)
    }

    @Test(arguments: TestEngine.available)
    func membershipDecidesWhoReadsABodysRestrictedItemsUntilItEnds(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let directory = DirectoryStore(database: db)
        let (bodyId, _) = try await Self.meeting(db)
        let person = try await directory.createPerson(Person(id: 0, name: "Mr J Rivers", email: "J.Rivers@kent.gov.uk"), audit: .commandLine)
        try await directory.addMembership(bodyId: bodyId, personId: person.id, role: .viceChair, representing: "Kent County Council",
                                          from: day("2021-05-06"), audit: .commandLine)
        let store = GovernanceStore(database: db)
        #expect(try await store.isMember(bodyId: bodyId, email: "j.rivers@kent.gov.uk", on: day("2026-11-30")))
        #expect(try await !store.isMember(bodyId: bodyId, email: "j.rivers@kent.gov.uk", on: day("2021-05-05")))
        let membership = try #require(try await directory.memberships(bodyId: bodyId).first)
        await #expect(throws: ValidationError.self) { try await directory.endMembership(id: membership.id, on: day("2020-01-01"), audit: .commandLine) }
        try await directory.endMembership(id: membership.id, on: day("2026-12-31"), audit: .commandLine)
        #expect(try await store.isMember(bodyId: bodyId, email: "j.rivers@kent.gov.uk", on: day("2026-12-31")))
        #expect(try await !store.isMember(bodyId: bodyId, email: "j.rivers@kent.gov.uk", on: day("2027-01-01")))
        await #expect(throws: DuplicateRecordError.self) {
            try await directory.createBody(name: "Test Partnership", kind: .group, parentId: nil, audit: .commandLine)
        }
    }
}
