import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct DHRWebTests {
    typealias API = ASBAndCaseReviewAPITests

    /// Another agency's DHR lead does not learn a review exists until it sits on the panel; the status report
    /// lists what the reader may see; the report goes only to a restricted agenda item.
    @Test func reviewsAreHiddenFromAgenciesNotOnThePanel() async throws {
        let fixture = try await WebFixture.make()
        let fire = try await DirectoryStore(database: fixture.database).createAgency(AgencyInput(name: "Fire", kind: .fireAndRescue, isResponsibleAuthority: true),
                                                                                     audit: .commandLine)
        let fireUser = try await UserStore(database: fixture.database).create(
            UserInput(email: "dhr@fire.test", displayName: "Fire DHR lead", agencyId: fire.id, roles: [.dhrOfficer]), passwordHash: "x", audit: .commandLine)
        let fireToken = try await APITokenStore(database: fixture.database).create(userId: fireUser.id, name: "t", audit: .commandLine).secret
        try await fixture.app.test(.router) { client in
            let fireHeaders: HTTPFields = [.authorization: "Bearer " + fireToken, .contentType: "application/json"]
            #expect(try await client.execute(uri: "/api/v1/dhr/reviews/\(fixture.dhrId)", method: .get, headers: fireHeaders).status == .notFound)
            let list = try API.json(try await client.execute(uri: "/api/v1/dhr/reviews", method: .get, headers: fireHeaders))
            #expect((list["items"] as? [Any])?.isEmpty == true)
            let team = API.headers(fixture, .dhrOfficer)
            let added = try await client.execute(uri: "/api/v1/dhr/reviews/\(fixture.dhrId)/actions", method: .post, headers: team, body: ByteBuffer(
                string: #"{"recommendation":"Ask about abuse on home safety visits","agencyId":\#(fire.id),"action":"Add the question","dueOn":"2099-01-31"}"#))
            #expect(added.status == .created)
            let seen = try API.json(try await client.execute(uri: "/api/v1/dhr/reviews/\(fixture.dhrId)", method: .get, headers: fireHeaders))
            let action = try #require((seen["actions"] as? [[String: Any]])?.first)
            let update = try await client.execute(uri: "/api/v1/dhr/reviews/\(fixture.dhrId)/actions/\(action["id"] as! Int)/updates", method: .post,
                                                  headers: fireHeaders, body: ByteBuffer(string: #"{"version":1,"on":"2099-01-10","text":"Done","complete":true}"#))
            #expect(try API.fields(update) == ["evidence"])

            let cookie: HTTPFields = [.cookie: "concord_session=" + fixture.sessions[.dhrOfficer]!.token]
            let report = String(buffer: try await client.execute(uri: "/dhr/status-report", method: .get, headers: cookie).body)
            #expect(report.contains("Adult Q") && report.contains("OFFICIAL-SENSITIVE PERSONAL"))
        }
        let reads = try await AuditLog(database: fixture.database).viewers(recordType: "case", recordId: String(fixture.dhrId))
        #expect(reads.contains { $0.userId == fireUser.id })
        await fixture.database.close()
    }
}
