import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct GovernanceTests {
    static func meeting(_ id: Int64, _ date: String, startAt: Int? = nil) -> Meeting {
        Meeting(id: id, bodyId: 1, heldOn: day(date), startsAt: "10:00", venue: "Darent Room", publicId: "m\(id)", minutesStartAt: startAt)
    }

    static func item(_ id: Int64, _ code: String, pages: Int? = nil, restricted: Bool = false) -> AgendaItem {
        let parsed = GovernanceRules.parseCode(code)!
        return AgendaItem(id: id, meetingId: 1, section: parsed.section, number: parsed.number, title: code, kind: .report,
                          restriction: restricted ? Restriction(paragraph: .individual, reason: "DHR") : nil, pageCount: pages)
    }

    /// The 8 July 2014 front sheet (2014-07-08 pack L21–L31): A3 Pages 3 - 10, B1 11 - 16, B2 17 - 70, B3 71 - 76.
    @Test func pageRangesRunOnFromTheFirstPageInAgendaOrder() {
        let items = [Self.item(4, "B2", pages: 54), Self.item(1, "A1"), Self.item(3, "B1", pages: 6), Self.item(2, "A3", pages: 8),
                     Self.item(5, "B3", pages: 6), Self.item(6, "D1", restricted: true)]
        let ranges = GovernanceRules.pageRanges(items, firstPage: 3)
        #expect(ranges == [2: 3...10, 3: 11...16, 4: 17...70, 5: 71...76])
        #expect(GovernanceRules.publicItems(items, on: day("2026-11-30")).map(\.code).sorted() == ["A1", "A3", "B1", "B2", "B3"])
    }

    @Test func codesTakeTheNextNumberInTheirSectionAndClashesAreNamed() throws {
        let items = [Self.item(1, "B1"), Self.item(2, "B2"), Self.item(3, "D1", restricted: true)]
        #expect(try GovernanceRules.placeItem(AgendaItemInput(section: .discussion, title: "MARAC Event", kind: .report), among: items) == 3)
        #expect(try GovernanceRules.placeItem(AgendaItemInput(section: .information, title: "Date of next meeting", kind: .verbalUpdate), among: items) == 1)
        #expect(try GovernanceRules.placeItem(AgendaItemInput(section: .discussion, code: "b6", title: "Conference", kind: .verbalUpdate), among: items) == 6)
        for (code, message) in [("B2", "Code B2 is already used on this agenda by “B2”"),
                                ("C1", "Code C1 is not in section B: codes start with their section's letter"),
                                ("B", "Enter the code as a section letter and a number, like B3")] {
            #expect(throws: ValidationError([FieldIssue("code", message)])) {
                try GovernanceRules.placeItem(AgendaItemInput(section: .discussion, code: code, title: "x", kind: .report), among: items)
            }
        }
        #expect(throws: ValidationError([FieldIssue("restricted", "Items in section D are restricted: give the Schedule 12A paragraph and the reason")])) {
            try GovernanceRules.placeItem(AgendaItemInput(section: .restricted, title: "DHR update", kind: .tabled), among: items)
        }
    }

    @Test func startTimesAsThePacksWriteThem() {
        #expect(GovernanceRules.startTime("10.00 am") == "10:00")
        #expect(GovernanceRules.startTime("2.00pm") == "14:00")
        #expect(GovernanceRules.startTime("12.30pm") == "12:30")
        #expect(GovernanceRules.startTime("12am") == "00:00")
        #expect(GovernanceRules.startTime("9:05") == "09:05")
        #expect(GovernanceRules.startTime("13pm") == nil && GovernanceRules.startTime("25:00") == nil && GovernanceRules.startTime("ten") == nil)
        // 10:00 in London on 8 July 2014 (BST) is 09:00 UTC; on 18 March 2014 (GMT) it is 10:00 UTC.
        func dtstart(_ date: String) -> String? {
            let event = ICalendarFeed.Event(uid: "u", start: GovernanceRules.startInstant(of: Self.meeting(1, date)), minutes: 60, summary: "s",
                                            location: "l", description: "d", url: nil, isCancelled: false)
            return ICalendarFeed.render(name: "n", events: [event], stamp: Date()).components(separatedBy: "\r\n").first { $0.hasPrefix("DTSTART:") }
        }
        #expect(dtstart("2014-07-08") == "DTSTART:20140708T090000Z")
        #expect(dtstart("2014-03-18") == "DTSTART:20140318T100000Z")
    }

    /// Minutes 50–63 (18 March 2014) run on to 64–74 (8 July 2014); the KCSP's numbering had started again by
    /// November 2022 (minutes 70–79).
    @Test func minuteNumbersRunOnWithinASeries() throws {
        let march = Self.meeting(1, "2014-03-18", startAt: 50), july = Self.meeting(2, "2014-07-08"), november = Self.meeting(3, "2022-11-17", startAt: 70)
        let body: [(meeting: Meeting, numbers: [Int])] = [(march, Array(50...63)), (july, []), (november, [])]
        #expect(try GovernanceRules.minuteNumber(asked: nil, for: july, bodyMinutes: body) == 64)
        #expect(try GovernanceRules.minuteNumber(asked: 70, for: november, bodyMinutes: body) == 70)
        #expect(throws: ValidationError([FieldIssue("number", "Minute numbers run on without a gap: the next minute is 64, not 66")])) {
            try GovernanceRules.minuteNumber(asked: 66, for: july, bodyMinutes: body)
        }
        #expect(throws: ValidationError([FieldIssue("number", "Minute 63 already exists: each minute number is used once")])) {
            try GovernanceRules.minuteNumber(asked: 63, for: july, bodyMinutes: body)
        }
        // 70 is used in the 2014 series and again in 2022: each series is checked on its own.
        let later: [(meeting: Meeting, numbers: [Int])] = [(march, Array(50...63)), (july, Array(64...74)), (november, [])]
        #expect(try GovernanceRules.minuteNumber(asked: nil, for: november, bodyMinutes: later) == 70)
        #expect(try GovernanceRules.minuteNumber(asked: nil, for: Self.meeting(4, "2013-07-17", startAt: 23), bodyMinutes: later) == 23)
    }

    @Test func actionsAreCarriedForwardUntilDoneAndOverdueOnceTheirMeetingHasPassed() {
        func action(_ id: Int64, raised: String, due: String?, done: String? = nil) -> GovernanceAction {
            GovernanceAction(id: id, bodyId: 1, minuteId: id, minuteNumber: Int(id), raisedOn: day(raised), ownerName: "Jim Parris",
                             description: "Report", dueOn: due.map(day), completedOn: done.map(day))
        }
        let maracReport = action(60, raised: "2014-03-18", due: "2014-07-08", done: "2014-07-08")
        let schoolTours = action(57, raised: "2014-03-18", due: nil)
        let trigger = action(66, raised: "2014-07-08", due: "2014-10-14")
        let actions = [trigger, maracReport, schoolTours]
        #expect(GovernanceRules.carriedForward(actions, to: day("2014-07-08")).map(\.id) == [57, 60])
        #expect(GovernanceRules.carriedForward(actions, to: day("2014-10-14")).map(\.id) == [57, 66])
        #expect(GovernanceRules.isOverdue(trigger, today: day("2014-10-15")) && !GovernanceRules.isOverdue(trigger, today: day("2014-10-14")))
        #expect(!GovernanceRules.isOverdue(maracReport, today: day("2026-11-30")) && !GovernanceRules.isOverdue(schoolTours, today: day("2026-11-30")))
    }

    @Test func forwardPlanEntriesAreFlaggedWhenAPublishedAgendaLacksThem() {
        let entry = ForwardPlanEntry(id: 9, bodyId: 1, title: "Community Trigger criteria", forMeetingId: 2)
        var october = Self.meeting(2, "2014-10-14")
        #expect(GovernanceRules.status(of: entry, forMeeting: october, agendaItems: [], today: day("2014-09-01")) == .awaitingAgenda)
        october.agendaPublishedAt = Date()
        #expect(GovernanceRules.status(of: entry, forMeeting: october, agendaItems: [], today: day("2014-10-06")) == .missingFromAgenda)
        var b1 = Self.item(1, "B1")
        b1.forwardPlanEntryId = 9
        #expect(GovernanceRules.status(of: entry, forMeeting: october, agendaItems: [b1], today: day("2014-10-06")) == .onAgenda(code: "B1"))
        let legalHighs = ForwardPlanEntry(id: 10, bodyId: 1, title: "Legal highs", dueBy: day("2014-12-31"))
        #expect(GovernanceRules.status(of: legalHighs, forMeeting: nil, agendaItems: [], today: day("2014-12-31")) == .unscheduled)
        #expect(GovernanceRules.status(of: legalHighs, forMeeting: nil, agendaItems: [], today: day("2015-01-01")).isFlagged)
    }

    @Test func restrictedItemsAreReadByMembersClerksAndTheirAudience() {
        let restriction = Restriction(paragraph: .individual, reason: "DHR", audience: [.dhrOfficer], releaseOn: day("2030-01-01"))
        let officer = Principal(userId: 1, agencyId: 1, roles: [.caseOfficer], displayName: "o")
        #expect(!AccessPolicy.mayReadRestricted(officer, restriction, isBodyMember: false))
        #expect(AccessPolicy.mayReadRestricted(officer, restriction, isBodyMember: true))
        #expect(AccessPolicy.mayReadRestricted(Principal(userId: 2, agencyId: 1, roles: [.dhrOfficer], displayName: "d"), restriction, isBodyMember: false))
        #expect(AccessPolicy.mayReadRestricted(Principal(userId: 3, agencyId: 1, roles: [.democraticServicesClerk], displayName: "c"), restriction,
                                               isBodyMember: false))
        #expect(restriction.applies(on: day("2029-12-31")) && !restriction.applies(on: day("2030-01-01")))
    }

    @Test func papersAreJudgedByTheirContentsAsWellAsTheirName() throws {
        let pdf = Data("%PDF-1.7\n<< /Type /Pages /Kids [2 0 R] >>\n<< /Type /Page >>\n<</Type/Page>>".utf8)
        #expect(try PaperRules.accept(fileName: "B2 CSA.pdf", bytes: pdf, maxMegabytes: 10).pageCount == 2)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])
        let image = try PaperRules.accept(fileName: "chart.PNG", bytes: png, maxMegabytes: 10)
        #expect(image.contentType == "image/png" && image.pageCount == 1)
        let zip = Data([0x50, 0x4B, 0x03, 0x04, 0])
        #expect(try PaperRules.accept(fileName: "plan.xlsx", bytes: zip, maxMegabytes: 10).contentType.hasSuffix("spreadsheetml.sheet"))
        #expect(throws: ValidationError.self) { try PaperRules.accept(fileName: "plan.docx", bytes: pdf, maxMegabytes: 10) }
        #expect(throws: ValidationError.self) { try PaperRules.accept(fileName: "run.sh", bytes: Data("#!".utf8), maxMegabytes: 10) }
        #expect(throws: ValidationError([FieldIssue("paper", "The file is 2.0 MB: papers must be 1 MB or smaller")])) {
            try PaperRules.accept(fileName: "big.pdf", bytes: pdf + Data(count: 2 * 1_048_576 - pdf.count), maxMegabytes: 1)
        }
        #expect(throws: ValidationError.self) { try PaperRules.accept(fileName: "empty.pdf", bytes: Data(), maxMegabytes: 1) }
    }

    @Test func theCalendarFeedEscapesAndFoldsItsLines() {
        let start = GovernanceRules.startInstant(of: Self.meeting(1, "2014-07-08"))
        let text = ICalendarFeed.render(name: "KCSP", events: [
            .init(uid: "m1@concord", start: start, minutes: 120, summary: "Kent Community Safety Partnership; Working Group, Kent",
                  location: "Medway Room, Sessions House, County Hall, Maidstone — a very long location line that needs folding for sure",
                  description: "Line one\nLine two", url: nil, isCancelled: false),
        ], stamp: start)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("DTSTART:20140708T090000Z") && lines.contains("DTEND:20140708T110000Z"))
        #expect(lines.contains("SUMMARY:Kent Community Safety Partnership\\; Working Group\\, Kent"))
        #expect(lines.contains("DESCRIPTION:Line one\\nLine two"))
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:Medway Room\\, Sessions House\\, County Hall\\, Maidstone — a very long location line"))
    }
}
