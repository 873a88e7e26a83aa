import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MARACWebTests {
    typealias API = ASBAndCaseReviewAPITests
    static let today = CalendarDate(Date())

    static func referral(_ fixture: WebFixture, victim: String, answers: Int = 24, yes: Int = 15, extra: String = "") -> String {
        let checklist = (0..<answers).map { $0 < yes ? "\"yes\"" : "\"not-known\"" }.joined(separator: ",")
        return """
            {"areaId":\(fixture.maracAreaId),"referredOn":"\(today.iso)","referringOfficer":"PC Smith",\(extra)
             "victim":{"name":"\(victim)","age":17,"address":"9 Quiet Lane","postcode":"me14 1xq","sex":"female","lgbt":"prefer-not-to-say"},
             "perpetrators":[{"name":"Sam Roe","age":19}],"children":[{"name":"Kit","age":3},{"age":1}],
             "checklist":[\(checklist)]}
            """
    }

    /// The police and the IDVA service (by the partnership's setting) and the Hub see where the victim lives;
    /// other partners on the case do not.
    @Test func referralOverTheAPIShowsContactDetailsOnlyToThoseWhoNeedThem() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: "/api/v1/marac/referrals", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                   body: ByteBuffer(string: Self.referral(fixture, victim: "Ann Other")))
            #expect(created.status == .created)
            let body = try API.json(created)
            #expect(body["routes"] as? [String] == ["visible-high-risk"] && body["score"] as? Int == 15)
            #expect((body["contact"] as? [String: Any])?["postcode"] as? String == "ME14 1XQ")
            #expect((body["children"] as? [Any])?.count == 2 && (body["diversity"] as? [String: Any])?["age"] as? Int == 17)
            let id = try #require((body["record"] as? [String: Any])?["id"] as? Int)

            let asOfficer = try await client.execute(uri: "/api/v1/marac/cases/\(id)", method: .get, headers: API.headers(fixture, .caseOfficer))
            #expect(asOfficer.status == .ok)
            #expect(try API.json(asOfficer)["contact"] == nil)
            let page = try await client.execute(uri: "/marac/cases/\(id)", method: .get,
                                                headers: [.cookie: "concord_session=" + fixture.sessions[.caseOfficer]!.token])
            #expect(String(buffer: page.body).contains("Ann Other") && !String(buffer: page.body).contains("9 Quiet Lane"))

            let duplicate = try await client.execute(uri: "/api/v1/marac/referrals", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                     body: ByteBuffer(string: Self.referral(fixture, victim: "Ann Other")))
            #expect(duplicate.status == .unprocessableContent)
            #expect(try API.fields(duplicate) == ["victim.name"])
            let short = try await client.execute(uri: "/api/v1/marac/referrals", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                 body: ByteBuffer(string: Self.referral(fixture, victim: "B", answers: 23)))
            #expect(try API.fields(short) == ["checklist"])
            let unknown = try await client.execute(uri: "/api/v1/marac/referrals", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                   body: ByteBuffer(string: Self.referral(fixture, victim: "C", extra: "\"colour\":\"red\",")))
            #expect(try API.fields(unknown) == ["colour"])
            let belowEveryRoute = try await client.execute(uri: "/api/v1/marac/referrals", method: .post,
                                                           headers: API.headers(fixture, .maracCoordinator),
                                                           body: ByteBuffer(string: Self.referral(fixture, victim: "D", yes: 2)))
            #expect(try API.fields(belowEveryRoute) == ["professionalJudgement"])
            let judged = try await client.execute(uri: "/api/v1/marac/referrals", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                  body: ByteBuffer(string: Self.referral(fixture, victim: "D", yes: 2,
                                                                                         extra: "\"professionalJudgement\":\"Stalking after separation\",")))
            #expect(judged.status == .created)
            #expect(try API.json(judged)["routes"] as? [String] == ["professional-judgement"])

            let action = try await client.execute(uri: "/api/v1/marac/cases/\(id)/actions", method: .post, headers: API.headers(fixture, .maracCoordinator),
                                                  body: ByteBuffer(string: #"{"agencyId":\#(fixture.councilId),"description":"Housing safety visit","dueOn":"\#(Self.today.adding(days: 7).iso)"}"#))
            let actions = try #require(try API.json(action)["actions"] as? [[String: Any]])
            #expect(actions.count == 1 && actions[0]["status"] as? String == "open")
            let stale = try await client.execute(uri: "/api/v1/marac/cases/\(id)/actions/\(actions[0]["id"] as! Int)", method: .patch,
                                                 headers: API.headers(fixture, .caseOfficer),
                                                 body: ByteBuffer(string: #"{"status":"completed","version":5}"#))
            #expect(stale.status == .conflict)
        }
        await fixture.database.close()
    }

    /// The referral form keeps what was typed when it is refused, names each unanswered question, and once accepted
    /// opens the case page with the routes and the checklist.
    @Test func referralFormRedisplaysAndThenOpensTheCase() async throws {
        let fixture = try await WebFixture.make()
        let session = fixture.sessions[.maracCoordinator]!
        try await fixture.app.test(.router) { client in
            var form = ["areaId=\(fixture.maracAreaId)", "referredOn=\(Self.today.iso)", "referringOfficer=IDVA+Jones", "victim.name=Pat+Example",
                        "victim.age=40", "perpetrator1.name=Lee+Example", "incidentsInLast12Months=3"]
            form += (1...23).map { "q\($0)=no" }
            func post(_ fields: [String]) async throws -> TestResponse {
                try await client.execute(uri: "/marac/referrals", method: .post,
                                         headers: [.cookie: "concord_session=" + session.token, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: (["_csrf=\(session.csrf)"] + fields).joined(separator: "&")))
            }
            let refused = try await post(form)
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("Answer question 24 (Abuser has a criminal history) with yes, no or not known"))
            #expect(html.contains("value=\"Pat Example\""))
            let accepted = try await post(form + ["q24=not-known"])
            #expect(accepted.status == .seeOther)
            let location = try #require(accepted.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: [.cookie: "concord_session=" + session.token])
            let shown = String(buffer: page.body)
            #expect(shown.contains("Potential escalation") && shown.contains("Score 0 of 24"))
            #expect(shown.contains("OFFICIAL-SENSITIVE PERSONAL"))
        }
        await fixture.database.close()
    }

    /// The minutes clock of a meeting names the closure day it stepped over.
    @Test func minutesClockNamesTheDaysItDidNotCount() async throws {
        let fixture = try await WebFixture.make()
        let meeting = try #require(try await MARACStore(database: fixture.database).meeting(id: fixture.meetingId))
        let calendar = CalendarStore(database: fixture.database)
        let working = try await calendar.calendar()
        let closed = try #require((1...10).map { meeting.heldOn.adding(days: $0) }.first(where: working.isWorkingDay))
        try await calendar.addClosure(ClosureDay(date: closed, reason: "Office move"), audit: .commandLine)
        let session = fixture.sessions[.maracCoordinator]!
        try await fixture.app.test(.router) { client in
            let page = try await client.execute(uri: "/marac/meetings/\(fixture.meetingId)", method: .get,
                                                headers: [.cookie: "concord_session=" + session.token])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Not counted: \(closed.long): Office move"))
        }
        await fixture.database.close()
    }

    /// The job escalates MARAC and DHR actions once per rung across runs, and an instance without the lease does nothing.
    @Test func escalationJobRunsUnderTheLease() async throws {
        let fixture = try await WebFixture.make()
        let store = MARACStore(database: fixture.database)
        let coordinator = try #require(try await UserStore(database: fixture.database).users().first { $0.roles.contains(.maracCoordinator) })
        let principal = Principal(coordinator)
        let filter = AccessPolicy.visibilityFilter(for: principal, agreements: [], on: Self.today)
        try await store.requestAction(caseId: fixture.maracCaseId,
                                      MARACActionRequest(agencyId: fixture.councilId, description: "Visit", requestedOn: Self.today.adding(days: -30),
                                                         dueOn: Self.today.adding(days: -20)),
                                      principal: principal, filter: filter, audit: .commandLine)
        let dhrOfficer = try #require(try await UserStore(database: fixture.database).users().first { $0.roles.contains(.dhrOfficer) })
        try await DHRStore(database: fixture.database).addAction(
            caseId: fixture.dhrId, recommendation: "Check previous reports", agencyId: fixture.councilId, action: "Update the checklist",
            dueOn: Self.today.adding(days: -20), filter: AccessPolicy.visibilityFilter(for: Principal(dhrOfficer), agreements: [], on: Self.today),
            audit: .commandLine)
        let job = EscalationJob(database: fixture.database)
        let other = EscalationJob(database: fixture.database)
        let first = try #require(try await job.runOnce(today: Self.today))
        #expect(first.actions >= 2)
        // 20 days late with a rung every 14 days: the DHR officers, then the agency's lead.
        #expect(first.dhrActions == 2)
        #expect(try await NotificationStore(database: fixture.database).inbox(userId: dhrOfficer.id).contains { $0.subject.hasPrefix("Late DHR action") })
        #expect(try await other.runOnce(today: Self.today) == nil)
        #expect(try await job.runOnce(today: Self.today).map { $0.actions + $0.dhrActions } == 0)
        let inbox = try await NotificationStore(database: fixture.database).inbox(userId: coordinator.id)
        #expect(inbox.contains { $0.subject.hasPrefix("Overdue MARAC action") })
        await fixture.database.close()
    }
}

/// Templates read view models as lookup tables: nested values become field tables and arrays once, a nil optional is
/// left out (so the enclosing contexts are searched, as with Mustache's own reflection), leaves stay as they are.
@Suite struct TemplateLookupTableTests {
    struct Inner { let name: String; let note: String? }
    struct Outer { let title: String; let count: Int; let flag: Bool; let date: CalendarDate; let missing: String?; let present: String?
                   let rows: [Inner]; let form: [String: String] }

    @Test func viewModelsBecomeNestedTablesWithNilsLeftOut() throws {
        let value = Outer(title: "T", count: 0, flag: false, date: CalendarDate(year: 2026, month: 12, day: 1)!, missing: nil, present: "p",
                          rows: [Inner(name: "a", note: nil), Inner(name: "b", note: "n")], form: ["x": "1"])
        let table = try #require(Templates.lookupTable(value) as? TemplateFields).fields
        #expect(Set(table.keys) == ["title", "count", "flag", "date", "present", "rows", "form"])
        #expect(table["title"] as? String == "T" && table["count"] as? Int == 0 && table["flag"] as? Bool == false)
        #expect(table["date"] as? CalendarDate == CalendarDate(year: 2026, month: 12, day: 1))
        #expect(table["present"] as? String == "p" && table["form"] as? [String: String] == ["x": "1"])
        let rows = try #require(table["rows"] as? [TemplateFields])
        #expect(rows.map { Set($0.fields.keys) } == [["name"], ["name", "note"]])
        #expect((rows[1].child(named: "note") as? TemplateText)?.text == "n")
    }
}
