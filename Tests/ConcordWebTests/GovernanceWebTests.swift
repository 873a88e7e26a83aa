import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct GovernanceWebTests {
    typealias API = ASBAndCaseReviewAPITests

    static func cookie(_ fixture: WebFixture, _ role: Role) -> HTTPFields {
        [.cookie: "concord_session=" + fixture.sessions[role]!.token]
    }

    /// A multipart form with the session's CSRF token, some fields and one file.
    static func multipart(_ fixture: WebFixture, _ role: Role, fields: [String: String] = [:], fileName: String, bytes: Data,
                          csrf: Bool = true) -> (HTTPFields, ByteBuffer) {
        let boundary = "----concord-test-boundary"
        var body = Data()
        var all = fields
        if csrf { all["_csrf"] = fixture.sessions[role]!.csrf }
        for (name, value) in all.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"paper\"; filename=\"C:\\\\papers\\\\\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(bytes)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = cookie(fixture, role)
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (headers, ByteBuffer(bytes: body))
    }

    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Pages /Count 3 >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type /Page >>\n4 0 obj << /Type /Page >>\n%%EOF".utf8)

    @Test func thePublicSeeThePublishedAgendaWithoutItsRestrictedItems() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)", method: .get).body)
            #expect(page.contains("Community Trigger criteria") && page.contains("Pages 1 - 6"))
            #expect(!page.contains("Case Q") && page.contains("1 item will be considered with the press and public excluded"))
            #expect(page.contains("paragraph 1"))
            let pack = String(buffer: try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)/pack", method: .get).body)
            #expect(pack.contains("Item B1 · Pages 1 - 6") && !pack.contains("Case Q") && pack.contains("OFFICIAL"))
            // Draft minutes are not public; once published they are, and the cached page is rendered again.
            #expect(!page.contains("Apologies"))
            let store = GovernanceStore(database: fixture.database)
            let meeting = try #require(try await store.meeting(id: fixture.governanceMeetingId))
            try await store.publishMinutes(meetingId: meeting.id, expectedVersion: meeting.version, audit: .commandLine)
            try await store.addItem(meetingId: meeting.id, AgendaItemInput(section: .information, title: "Date of next meeting", kind: .verbalUpdate),
                                    audit: .commandLine)
            let again = String(buffer: try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)", method: .get).body)
            #expect(again.contains("Apologies") && again.contains("C1</strong> Date of next meeting"))

            let feed = try await client.execute(uri: "/public/meetings.ics", method: .get)
            let ics = String(buffer: feed.body)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.contains("UID:\(fixture.publicMeetingId)@concord") && ics.contains("LOCATION:Darent Room"))
            let event = try API.json(try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)/event.json", method: .get))
            #expect(event["_type"] as? String == "event" && event["id"] as? String == "ocd-event/\(fixture.publicMeetingId)")
            #expect((event["when"] as? String)?.hasPrefix(CalendarDate(Date()).adding(days: 7).iso + "T") == true && event["status"] as? String == "confirmed")
            #expect(event.keys.contains("end") && (event["sources"] as? [Any])?.count == 1)
            #expect((event["location"] as? [String: Any])?.keys.sorted() == ["coordinates", "name", "note"])
            let agenda = try #require(event["agenda"] as? [[String: Any]])
            #expect(agenda.map { $0["description"] as? String } == ["B1 Community Trigger criteria", "C1 Date of next meeting"])
            #expect(agenda.first?["related_entities"] is [Any] && (agenda.first?["notes"] as? [[String: Any]])?.first?["description"] as? String == "Report")
        }
        await fixture.database.close()
    }

    @Test func restrictedItemsAreReadByMembersAndTheirAudienceOnlyAndEachReadIsAudited() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let path = "/meetings/\(fixture.governanceMeetingId)"
            let asOfficer = String(buffer: try await client.execute(uri: path, method: .get, headers: Self.cookie(fixture, .caseOfficer)).body)
            #expect(asOfficer.contains("Community Trigger criteria") && !asOfficer.contains("Case Q"))
            let asDHR = String(buffer: try await client.execute(uri: path, method: .get, headers: Self.cookie(fixture, .dhrOfficer)).body)
            #expect(asDHR.contains("Domestic Homicide Review of Case Q") && asDHR.contains("LGA 1972 Sch. 12A para. 1"))
            #expect(asDHR.contains("OFFICIAL-SENSITIVE"))
            // The partnership member sits on the body (a person with the user's email): the full pack is theirs.
            let pack = String(buffer: try await client.execute(uri: path + "/pack", method: .get, headers: Self.cookie(fixture, .partnershipMember)).body)
            #expect(pack.contains("Case Q") && pack.contains("OFFICIAL-SENSITIVE"))
            let api = try API.json(try await client.execute(uri: "/api/v1/meetings/\(fixture.governanceMeetingId)", method: .get,
                                                            headers: API.headers(fixture, .caseOfficer)))
            #expect(api["restrictedItemsWithheld"] as? Int == 1 && (api["items"] as? [Any])?.count == 1)
        }
        let reads = try await AuditLog(database: fixture.database).viewers(recordType: "meeting", recordId: String(fixture.governanceMeetingId))
        let users = try await UserStore(database: fixture.database).users()
        let readers = Set(reads.compactMap { read in users.first { $0.id == read.userId }?.roles.first })
        #expect(readers == [.dhrOfficer, .partnershipMember])
        await fixture.database.close()
    }

    @Test func papersAreCheckedStoredWithTheirChecksumAndServedOnlyWhereTheItemMayBeRead() async throws {
        let fixture = try await WebFixture.make()
        let items = try await GovernanceStore(database: fixture.database).items(meetingId: fixture.governanceMeetingId)
        let b1 = try #require(items.first { $0.code == "B1" })
        let d1 = try #require(items.first { $0.code == "D1" })
        try await SettingsStore(database: fixture.database).save([PartnershipSettings.paperMaxMegabytes.id: "1"], expectedRevision: 0,
                                                                 audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let base = "/meetings/\(fixture.governanceMeetingId)/items"
            let (headers, body) = Self.multipart(fixture, .democraticServicesClerk, fileName: "criteria.pdf", bytes: Self.pdf)
            let uploaded = try await client.execute(uri: "\(base)/\(b1.id)/papers", method: .post, headers: headers, body: body)
            #expect(uploaded.status == .seeOther)

            let renamed = Self.multipart(fixture, .democraticServicesClerk, fileName: "virus.pdf", bytes: Data("MZ\u{90}\u{00}".utf8))
            let refused = try await client.execute(uri: "\(base)/\(b1.id)/papers", method: .post, headers: renamed.0, body: renamed.1)
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("“virus.pdf” is named .pdf but its contents are not that kind of file"))
            let exe = Self.multipart(fixture, .democraticServicesClerk, fileName: "setup.exe", bytes: Data("MZ".utf8))
            #expect(String(buffer: try await client.execute(uri: "\(base)/\(b1.id)/papers", method: .post, headers: exe.0, body: exe.1).body)
                .contains("is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file"))
            let big = Self.multipart(fixture, .democraticServicesClerk, fileName: "big.pdf", bytes: Self.pdf + Data(count: 1 << 20))
            let tooBig = try await client.execute(uri: "\(base)/\(b1.id)/papers", method: .post, headers: big.0, body: big.1)
            #expect(tooBig.status == .unprocessableContent && String(buffer: tooBig.body).contains("papers must be 1 MB or smaller"))
            let forged = Self.multipart(fixture, .democraticServicesClerk, fileName: "criteria.pdf", bytes: Self.pdf, csrf: false)
            #expect(try await client.execute(uri: "\(base)/\(b1.id)/papers", method: .post, headers: forged.0, body: forged.1).status == .badRequest)
            let secret = Self.multipart(fixture, .democraticServicesClerk, fileName: "case-q.pdf", bytes: Self.pdf)
            #expect(try await client.execute(uri: "\(base)/\(d1.id)/papers", method: .post, headers: secret.0, body: secret.1).status == .seeOther)

            let stored = try await GovernanceStore(database: fixture.database).items(meetingId: fixture.governanceMeetingId)
            let paper = try #require(stored.first { $0.code == "B1" }?.papers.first)
            let restrictedPaper = try #require(stored.first { $0.code == "D1" }?.papers.first)
            #expect(stored.first { $0.code == "B1" }?.papers.count == 1 && paper.fileName == "criteria.pdf" && paper.pageCount == 3)
            let download = try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)/papers/\(paper.id)", method: .get)
            #expect(download.status == .ok && Data(buffer: download.body) == Self.pdf)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"criteria.pdf\"")
            #expect(try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)/papers/\(restrictedPaper.id)", method: .get).status
                == .notFound)
            #expect(try await client.execute(uri: "/meetings/\(fixture.governanceMeetingId)/papers/\(restrictedPaper.id)", method: .get,
                                             headers: Self.cookie(fixture, .caseOfficer)).status == .notFound)
            #expect(try await client.execute(uri: "/meetings/\(fixture.governanceMeetingId)/papers/\(restrictedPaper.id)", method: .get,
                                             headers: Self.cookie(fixture, .dhrOfficer)).status == .ok)
        }
        await fixture.database.close()
    }

    @Test func theAPISchedulesBuildsAndMinutesAMeeting() async throws {
        let fixture = try await WebFixture.make()
        let bodyId = try #require(try await DirectoryStore(database: fixture.database).bodies().first?.id)
        try await fixture.app.test(.router) { client in
            let clerk = API.headers(fixture, .democraticServicesClerk)
            let created = try await client.execute(uri: "/api/v1/meetings", method: .post, headers: clerk, body: ByteBuffer(
                string: #"{"bodyId":\#(bodyId),"heldOn":"2027-03-16","startsAt":"2.00pm","online":true,"minutesStartAt":80}"#))
            #expect(created.status == .created)
            let meeting = try #require(try API.json(created)["meeting"] as? [String: Any])
            #expect(meeting["startsAt"] as? String == "14:00" && meeting["venue"] == nil)
            let id = try #require(meeting["id"] as? Int)
            let item = try await client.execute(uri: "/api/v1/meetings/\(id)/items", method: .post, headers: clerk, body: ByteBuffer(
                string: #"{"section":"D","title":"Prevent","kind":"verbal-update","restrictedParagraph":7,"restrictionReason":"Counter-terrorism intelligence","audience":["partnership-manager"]}"#))
            #expect(item.status == .ok)
            let clash = try await client.execute(uri: "/api/v1/meetings/\(id)/items", method: .post, headers: clerk,
                                                 body: ByteBuffer(string: #"{"section":"D","code":"D1","title":"Again","kind":"report","restrictedParagraph":7,"restrictionReason":"x"}"#))
            #expect(clash.status == .unprocessableContent)
            #expect(try API.fields(clash) == ["code"])
            let minute = try await client.execute(uri: "/api/v1/meetings/\(id)/minutes", method: .post, headers: clerk, body: ByteBuffer(
                string: #"{"title":"Prevent","isPrivate":true,"paragraphs":["An update was given."],"resolution":"noted"}"#))
            let minutes = try #require(try API.json(minute)["minutes"] as? [[String: Any]])
            #expect(minutes.map { $0["number"] as? Int } == [80])
            let minuteId = try #require(minutes.first?["id"] as? Int)
            let action = try await client.execute(uri: "/api/v1/minutes/\(minuteId)/actions", method: .post, headers: clerk, body: ByteBuffer(
                string: #"{"ownerName":"Jim Parris","description":"Report back","dueOn":"2027-01-01"}"#))
            #expect(action.status == .created)
            let log = try API.json(try await client.execute(uri: "/api/v1/actions?bodyId=\(bodyId)", method: .get, headers: clerk))
            let entry = try #require((log["items"] as? [[String: Any]])?.first)
            #expect(entry["overdue"] as? Bool == (CalendarDate(Date()) > CalendarDate(iso: "2027-01-01")!))
            let noOwner = try await client.execute(uri: "/api/v1/minutes/\(minuteId)/actions", method: .post, headers: clerk,
                                                   body: ByteBuffer(string: #"{"ownerName":"","description":"x"}"#))
            #expect(try API.fields(noOwner) == ["ownerName"])
        }
        await fixture.database.close()
    }
}
