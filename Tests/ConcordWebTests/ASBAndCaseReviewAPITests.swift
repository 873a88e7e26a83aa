import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ASBAndCaseReviewAPITests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func fields(_ response: TestResponse) throws -> [String] {
        try (json(response)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    static func headers(_ fixture: WebFixture, _ role: Role) -> HTTPFields {
        [.authorization: "Bearer " + fixture.tokens[role]!, .contentType: "application/json"]
    }

    static let today = CalendarDate(Date())

    static func intake(complainant: String, extra: String = "") -> String {
        """
        {"title":"Noise, Hill Street","risk":"medium",\(extra)
         "complainant":{"name":"\(complainant)","postcode":"me14 1xq","contactPreference":"phone"},
         "perpetrator":{"anonymous":true},
         "incident":{"occurredOn":"\(today.adding(days: -3).iso)","reportedOn":"\(today.adding(days: -2).iso)","category":"nuisance",
                     "channel":"phone","description":"Loud music","postcode":"ME14 1XQ"}}
        """
    }

    @Test func thresholdCheckAnswersWithCountedAndExcludedComplaintsAndNamesBadFields() async throws {
        let fixture = try await WebFixture.make()
        let area = try await DirectoryStore(database: fixture.database).createCSPArea(name: "Swale", districts: [("Swale", false)],
                                                                                     audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let headers = Self.headers(fixture, .caseOfficer)
            func complaint(_ id: String, _ incident: String, _ reported: CalendarDate) -> String {
                """
                {"id":"\(id)","complainant":"amy","incident":"\(incident)","behaviourOn":"\(reported.iso)","reportedOn":"\(reported.iso)",
                 "similarityKey":"hill-street","isHateIncident":false}
                """
            }
            let received = Self.today
            let body = """
                {"areaId":\(area.id),"receivedOn":"\(received.iso)","complaints":[\(complaint("a", "i1", received.adding(days: -40))),
                \(complaint("b", "i2", received.adding(days: -20))),\(complaint("c", "i2", received.adding(days: -19))),
                \(complaint("d", "i3", received.adding(days: -2)))]}
                """
            let met = try await client.execute(uri: "/api/v1/case-reviews/threshold-check", method: .post, headers: headers,
                                               body: ByteBuffer(string: body))
            #expect(met.status == .ok)
            let result = try Self.json(met)
            #expect(result["met"] as? Bool == true)
            #expect((result["counted"] as? [Any])?.count == 3)
            let excluded = try #require(result["excluded"] as? [[String: Any]])
            #expect(excluded.first?["complaintId"] as? String == "c")
            #expect(excluded.first?["reason"] as? String == "same-incident-reported-twice")

            let unknownArea = try await client.execute(uri: "/api/v1/case-reviews/threshold-check", method: .post, headers: headers,
                                                       body: ByteBuffer(string: #"{"areaId":999999,"receivedOn":"2026-01-01","complaints":[]}"#))
            #expect(unknownArea.status == .unprocessableContent)
            #expect(try Self.fields(unknownArea) == ["areaId"])

            let future = received.adding(days: 3)
            let impossible = try await client.execute(uri: "/api/v1/case-reviews/threshold-check", method: .post, headers: headers,
                                                      body: ByteBuffer(string: """
                {"areaId":\(area.id),"receivedOn":"\(received.iso)","complaints":[\(complaint("f", "i9", future))]}
                """))
            #expect(impossible.status == .unprocessableContent)
            #expect(try Self.fields(impossible) == ["complaints[0].reportedOn"])

            let none = try await client.execute(uri: "/api/v1/case-reviews/threshold-check", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"areaId":\#(area.id),"receivedOn":"2026-01-01","complaints":[]}"#))
            #expect(none.status == .unprocessableContent)
            #expect(try Self.fields(none) == ["complaints"])
        }
        await fixture.database.close()
    }

    @Test func intakeShowsSimilarCasesFirstAndOtherAgenciesCannotSeeTheCase() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let headers = Self.headers(fixture, .caseOfficer)
            let first = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                 body: ByteBuffer(string: Self.intake(complainant: "Amy Smith")))
            #expect(first.status == .created, "\(String(buffer: first.body))")
            let record = try #require(try Self.json(first)["record"] as? [String: Any])
            let id = try #require(record["id"] as? Int)

            let again = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                 body: ByteBuffer(string: Self.intake(complainant: "amy  SMITH")))
            #expect(again.status == .conflict)
            let similar = try #require(try Self.json(again)["similarCases"] as? [[String: Any]])
            #expect(similar.first?["caseId"] as? Int == id)

            let confirmed = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                     body: ByteBuffer(string: Self.intake(complainant: "Amy Smith",
                                                                                          extra: #""confirmNoExistingCase":true,"#)))
            #expect(confirmed.status == .created)

            let bad = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers, body: ByteBuffer(string: """
                {"title":"x","complainant":{"name":"A","colour":"red","postcode":"nowhere"},"perpetrator":{"anonymous":true},
                 "incident":{"occurredOn":"2026-02-30"}}
                """))
            #expect(bad.status == .unprocessableContent)
            #expect(try Self.fields(bad) == ["complainant.colour"])
            let invalid = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers, body: ByteBuffer(string: """
                {"title":"x","complainant":{"name":"A","postcode":"nowhere"},"perpetrator":{"anonymous":true},
                 "incident":{"occurredOn":"2026-02-30","reportedOn":"\(Self.today.iso)","category":"nuisance","channel":"phone","description":"d"}}
                """))
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(try Self.fields(invalid)) == ["complainant.postcode", "incident.occurredOn"])

            let hidden = try await client.execute(uri: "/api/v1/asb/cases/\(id)", method: .get, headers: Self.headers(fixture, .maracCoordinator))
            #expect(hidden.status == .notFound)
            let stale = try await client.execute(uri: "/api/v1/asb/cases/\(id)", method: .patch, headers: headers,
                                                 body: ByteBuffer(string: #"{"version":99,"status":"closed","outcome":"resolved","risk":"standard"}"#))
            #expect(stale.status == .conflict)
            let closed = try await client.execute(uri: "/api/v1/asb/cases/\(id)", method: .patch, headers: headers,
                                                  body: ByteBuffer(string: #"{"version":1,"status":"closed","outcome":"resolved","risk":"standard"}"#))
            #expect(closed.status == .ok)
        }
        await fixture.database.close()
    }

    /// An officer of an agency that sees a case only through an information-sharing agreement reads it, but is not
    /// offered the forms that record on it, which would be refused; the owning agency's officer is.
    @Test func onlyTheAgenciesThatMayRecordOnACaseAreOfferedItsForms() async throws {
        let fixture = try await WebFixture.make()
        let police = try #require(try await DirectoryStore(database: fixture.database).agencies().first { $0.name == "Police" })
        _ = try await SharingAgreementStore(database: fixture.database).create(
            SharingAgreementInput(title: "ASB", purpose: "Tackling ASB", lawfulBasis: "Crime and Disorder Act 1998 s.115",
                                  parties: [fixture.councilId, police.id], caseTypes: [.asb], startsOn: Self.today.adding(days: -1),
                                  reviewOn: nil, endsOn: nil), audit: .commandLine)
        let officer = try await UserStore(database: fixture.database).create(
            UserInput(email: "pc@police.test", displayName: "PC Partner", agencyId: police.id, roles: [.caseOfficer]),
            passwordHash: try await PasswordHashing.hash(WebFixture.password, cost: 4), audit: .commandLine)
        let partner = try await SessionStore(database: fixture.database).create(userId: officer.id, clientAddress: nil,
                                                                                absoluteLifetime: .seconds(3_600))
        let owner = fixture.sessions[.caseOfficer]!
        let forms = ["/incidents\"", "/reports\"", "/actions\"", "/parties\"", "/status\"", "Correct or remove this incident"]
        try await fixture.app.test(.router) { client in
            let path = "/asb/cases/\(fixture.asbCaseId)"
            let partnerPage = try await client.execute(uri: path, method: .get, headers: [.cookie: "concord_session=" + partner.token])
            #expect(partnerPage.status == .ok)
            let partnerHTML = String(buffer: partnerPage.body)
            #expect(partnerHTML.contains("Noise"))
            #expect(forms.allSatisfy { !partnerHTML.contains($0) })
            let ownerHTML = String(buffer: try await client.execute(uri: path, method: .get, headers: [.cookie: "concord_session=" + owner.token]).body)
            #expect(forms.allSatisfy { ownerHTML.contains($0) })
            let refused = try await client.execute(
                uri: path + "/status", method: .post,
                headers: [.cookie: "concord_session=" + partner.token, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(partner.csrfToken)&version=1&status=open&risk=standard"))
            #expect(refused.status == .forbidden)
        }
        await fixture.database.close()
    }

    /// The application form started from one case also offers the complainant's complaints on her other cases
    /// (preselected, with the case reference), and the search that found them is in the audit log; the API gathers
    /// the same complaints.
    @Test func applicationFormAndAPIGatherTheComplainantsComplaintsOnHerOtherCases() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let headers = Self.headers(fixture, .caseOfficer)
            var cases: [(id: Int, reference: String)] = []
            for extra in ["", #""confirmNoExistingCase":true,"#] {
                let created = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                       body: ByteBuffer(string: Self.intake(complainant: "Amy Smith", extra: extra)))
                let record = try #require(try Self.json(created)["record"] as? [String: Any])
                cases.append((try #require(record["id"] as? Int), try #require(record["reference"] as? String)))
            }
            let form = try await client.execute(uri: "/case-reviews/new?asbCase=\(cases[0].id)", method: .get,
                                                headers: GovernanceWebTests.cookie(fixture, .caseOfficer))
            let html = String(buffer: form.body)
            #expect(form.status == .ok)
            #expect(html.contains("complaints on other cases in the 6 months before the date received"))
            #expect(html.contains("checked> \(cases[1].reference): \(Self.today.adding(days: -3).long), Nuisance: reported on "
                + "\(Self.today.adding(days: -2).long) by Amy Smith</label>"))
            #expect(!html.contains("checked> \(cases[0].reference):"))

            let searches = try await AuditLog(database: fixture.database).search(AuditQuery(recordType: "case-search"))
            let search = try #require(searches.items.first { $0.record.note?.hasPrefix("Case Review") == true })
            #expect(search.record.note == "Case Review complaints in the window: 1 found on \(cases[1].reference)")
            #expect(search.record.context.userId != nil && search.record.context.requestId != nil)

            // The API gathers the same way: by complainant name and by case, over the window.
            let gathered = try await client.execute(uri: "/api/v1/case-reviews/complaints?complainant=amy%20SMITH&case=\(cases[0].id)",
                                                    method: .get, headers: headers)
            #expect(gathered.status == .ok)
            let body = try Self.json(gathered)
            #expect(body["windowMonths"] as? Int == 6 && body["to"] as? String == Self.today.iso)
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["caseReference"] as? String }) == [cases[0].reference, cases[1].reference])
            #expect(items.allSatisfy { ($0["complaint"] as? [String: Any])?["reportedOn"] as? String == Self.today.adding(days: -2).iso })
            let bad = try await client.execute(uri: "/api/v1/case-reviews/complaints?case=x&receivedOn=2099-01-01&areaId=999999",
                                               method: .get, headers: headers)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try Self.fields(bad)) == ["case", "receivedOn", "areaId"])
        }
        await fixture.database.close()
    }

    /// The list page shows each visible case as a row (its rows and counts list their own fields for the
    /// template) with the chosen view selected and the counts by district and status.
    @Test func caseListPageShowsTheRowsAndCounts() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: Self.headers(fixture, .caseOfficer),
                                                   body: ByteBuffer(string: Self.intake(complainant: "Amy Smith")))
            let record = try #require(try Self.json(created)["record"] as? [String: Any])
            let id = try #require(record["id"] as? Int)
            let page = try await client.execute(uri: "/asb?view=all", method: .get, headers: GovernanceWebTests.cookie(fixture, .caseOfficer))
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains("<tr><td><a href=\"/asb/cases/\(id)\">\(record["reference"] as? String ?? "?")</a></td><td>Noise, Hill Street</td>"))
            #expect(html.contains("<option value=\"all\" selected>All cases I can see</option>"))
            let rows = html.components(separatedBy: "<tr><td><a href=\"/asb/cases/").count - 1
            #expect(rows >= 1 && html.contains("<tr><td>Not recorded</td><td>\(rows)</td><td>0</td><td>0</td></tr>"))
        }
    }

    @Test func applicationRecordedThroughTheAPICarriesItsClocksAndCountsAreForManagers() async throws {
        let fixture = try await WebFixture.make()
        let area = try await DirectoryStore(database: fixture.database).createCSPArea(name: "Ashford", districts: [("Ashford", false)],
                                                                                     audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let headers = Self.headers(fixture, .caseOfficer)
            let created = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                   body: ByteBuffer(string: Self.intake(complainant: "Bob Jones")))
            let incidents = try #require(try Self.json(created)["incidents"] as? [[String: Any]])
            let reports = try #require(incidents.first?["reports"] as? [[String: Any]])
            let reportId = try #require(reports.first?["id"] as? Int)
            let application = try await client.execute(uri: "/api/v1/case-reviews", method: .post, headers: headers, body: ByteBuffer(string: """
                {"areaId":\(area.id),"receivedOn":"\(Self.today.iso)","channel":"phone","applicants":[{"name":"Bob Jones"}],
                 "reportIds":[\(reportId)]}
                """))
            #expect(application.status == .created)
            let detail = try Self.json(application)
            let clocks = try #require(detail["clocks"] as? [[String: Any]])
            #expect(clocks.count == 1)
            #expect(clocks.first?["limitWorkingDays"] as? Int == 5)
            let body = try #require(detail["application"] as? [String: Any])
            let threshold = try #require(body["threshold"] as? [String: Any])
            #expect(threshold["met"] as? Bool == false)

            let counts = try await client.execute(uri: "/api/v1/case-reviews/counts?year=\(Self.today.year)", method: .get,
                                                  headers: Self.headers(fixture, .partnershipManager))
            #expect(counts.status == .ok)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: counts.body)) as? [[String: Any]])
            let ashford = try #require(rows.first { $0["areaName"] as? String == "Ashford" })
            #expect(ashford["applicationsReceived"] as? Int == 1 && ashford["thresholdNotMet"] as? Int == 1)
            let denied = try await client.execute(uri: "/api/v1/case-reviews/counts", method: .get, headers: headers)
            #expect(denied.status == .forbidden)
            let badYear = try await client.execute(uri: "/api/v1/case-reviews/counts?year=1999", method: .get,
                                                   headers: Self.headers(fixture, .partnershipManager))
            #expect(badYear.status == .unprocessableContent)
        }
        await fixture.database.close()
    }

    @Test func incidentsAreReadCorrectedAndRemovedWithTheReasonInTheAuditLog() async throws {
        let fixture = try await WebFixture.make()
        let area = try await DirectoryStore(database: fixture.database).createCSPArea(name: "Dover", districts: [("Dover", false)],
                                                                                     audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let headers = Self.headers(fixture, .caseOfficer)
            let created = try await client.execute(uri: "/api/v1/asb/cases", method: .post, headers: headers,
                                                   body: ByteBuffer(string: Self.intake(complainant: "Cara Lee")))
            let caseJSON = try Self.json(created)
            let caseId = try #require((caseJSON["record"] as? [String: Any])?["id"] as? Int)
            let first = try #require((caseJSON["incidents"] as? [[String: Any]])?.first)
            let firstId = try #require(first["id"] as? Int)
            let reportId = try #require((first["reports"] as? [[String: Any]])?.first?["id"] as? Int)
            let added = try await client.execute(uri: "/api/v1/asb/cases/\(caseId)/incidents", method: .post, headers: headers,
                                                 body: ByteBuffer(string: """
                {"occurredOn":"\(Self.today.adding(days: -1).iso)","reportedOn":"\(Self.today.iso)","category":"nuisance",
                 "channel":"online","description":"Shouting"}
                """))
            #expect(added.status == .created)
            let secondId = try #require((try Self.json(added)["incidents"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
                .first { $0 != firstId })
            let uri = "/api/v1/asb/cases/\(caseId)/incidents/\(secondId)"

            let read = try await client.execute(uri: uri, method: .get, headers: headers)
            #expect(read.status == .ok)
            #expect(try Self.json(read)["version"] as? Int == 1)
            #expect(try await client.execute(uri: uri, method: .get, headers: Self.headers(fixture, .maracCoordinator)).status == .notFound)

            func correction(version: Int, occurredOn: CalendarDate, reason: String) -> ByteBuffer {
                ByteBuffer(string: """
                    {"occurredOn":"\(occurredOn.iso)","category":"personal","description":"Shouting and threats","postcode":"ct16 1aa",
                     "version":\(version),"reason":"\(reason)"}
                    """)
            }
            let afterReport = try await client.execute(uri: uri, method: .patch, headers: headers,
                                                       body: correction(version: 1, occurredOn: Self.today.adding(days: 1), reason: "typo"))
            #expect(afterReport.status == .unprocessableContent)
            #expect(try Self.fields(afterReport) == ["occurredOn"])
            let noReason = try await client.execute(uri: uri, method: .patch, headers: headers,
                                                    body: correction(version: 1, occurredOn: Self.today.adding(days: -2), reason: " "))
            #expect(try Self.fields(noReason) == ["reason"])
            let corrected = try await client.execute(uri: uri, method: .patch, headers: headers,
                                                     body: correction(version: 1, occurredOn: Self.today.adding(days: -2),
                                                                      reason: "Caller gave the wrong day"))
            #expect(corrected.status == .ok, "\(String(buffer: corrected.body))")
            let after = try Self.json(corrected)
            #expect(after["version"] as? Int == 2 && after["category"] as? String == "personal" && after["postcode"] as? String == "CT16 1AA")
            #expect((after["reports"] as? [Any])?.count == 1)
            let stale = try await client.execute(uri: uri, method: .patch, headers: headers,
                                                 body: correction(version: 1, occurredOn: Self.today.adding(days: -2), reason: "again"))
            #expect(stale.status == .conflict)

            let log = try await AuditLog(database: fixture.database).search(AuditQuery(recordType: "case", recordId: String(caseId)))
            let entry = try #require(log.items.first { $0.record.note == "correction: Caller gave the wrong day" })
            let category = try #require(entry.record.changes.first { $0.field == "incident \(secondId) category" })
            #expect(category.before == "nuisance" && category.after == "personal")

            let application = try await client.execute(uri: "/api/v1/case-reviews", method: .post, headers: headers, body: ByteBuffer(string: """
                {"areaId":\(area.id),"receivedOn":"\(Self.today.iso)","channel":"phone","applicants":[{"name":"Cara Lee"}],
                 "reportIds":[\(reportId)]}
                """))
            #expect(application.status == .created)
            let relied = try await client.execute(uri: "/api/v1/asb/cases/\(caseId)/incidents/\(firstId)?reason=duplicate",
                                                  method: .delete, headers: headers)
            #expect(relied.status == .unprocessableContent)
            #expect(try Self.fields(relied) == ["incidentId"])
            let noRemovalReason = try await client.execute(uri: uri, method: .delete, headers: headers)
            #expect(try Self.fields(noRemovalReason) == ["reason"])
            let removed = try await client.execute(uri: uri + "?reason=Entered%20on%20the%20wrong%20case", method: .delete, headers: headers)
            #expect(removed.status == .noContent)
            #expect(try await client.execute(uri: uri, method: .get, headers: headers).status == .notFound)
            let removal = try await AuditLog(database: fixture.database).search(AuditQuery(action: .delete, recordType: "case",
                                                                                           recordId: String(caseId)))
            #expect(removal.items.first?.record.note == "incident removed: Entered on the wrong case")
            #expect(removal.items.first?.record.changes.contains { $0.field == "incident \(secondId) description" && $0.before == "Shouting and threats" } == true)
        }
        await fixture.database.close()
    }
}
