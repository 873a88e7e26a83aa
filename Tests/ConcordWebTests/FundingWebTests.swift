import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct FundingWebTests {
    typealias API = ASBAndCaseReviewAPITests

    @Test func bidsOverTheAPIAreCheckedAndTheReportsListTheApprovedGrants() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let manager = API.headers(fixture, .partnershipManager)
            let path = "/api/v1/allocations/\(fixture.allocationId)"
            let fractional = try await client.execute(uri: path + "/bids", method: .post, headers: manager, body: ByteBuffer(
                string: #"{"project":"Stickers","leadPartner":"Districts","requested":"622.505","submittedOn":"2026-05-02","potId":\#(fixture.potId)}"#))
            #expect(try API.fields(fractional) == ["requested"])
            let over = try await client.execute(uri: path + "/bids", method: .post, headers: manager, body: ByteBuffer(
                string: #"{"project":"Stickers","leadPartner":"Districts","requested":"1000.01","submittedOn":"2026-05-02","potId":\#(fixture.potId)}"#))
            #expect(String(buffer: over.body).contains("£1,000.01 is more than the £1,000 left in Upfront"))
            let created = try await client.execute(uri: path + "/bids", method: .post, headers: manager, body: ByteBuffer(
                string: #"{"project":"Best Bar None","leadPartner":"Districts","requested":"622.50","submittedOn":"2026-05-02","potId":\#(fixture.potId),"priorities":["VAWG"]}"#))
            #expect(created.status == .created)
            let bids = try #require(try API.json(created)["bids"] as? [[String: Any]])
            let stickers = try #require(bids.first { $0["project"] as? String == "Best Bar None" })
            let decision = try await client.execute(uri: path + "/bids/\(stickers["id"] as! Int)/decision", method: .post, headers: manager, body: ByteBuffer(
                string: #"{"version":1,"decision":"approved","decidedBy":"funder","decidedOn":"2026-06-01"}"#))
            let balances = try #require(try API.json(decision)["balances"] as? [String: Any])
            #expect(balances["approvedPence"] as? Int == 62_250 && balances["remainingPence"] as? Int == 937_750 && balances["requestedPence"] as? Int == 500_000)

            let cookie: HTTPFields = [.cookie: "concord_session=" + fixture.sessions[.auditor]!.token]
            let csv = String(buffer: try await client.execute(uri: "/funding/\(fixture.allocationId)/report.csv", method: .get, headers: cookie).body)
            #expect(csv.contains("Best Bar None,Districts,Upfront,,2026-05-02,622.50,approved,The funder,2026-06-01,,622.50,VAWG"))
            #expect(csv.contains("School tour,Police,Upfront,,") && csv.contains(",pending,"))
            let giving = try API.json(try await client.execute(uri: "/funding/\(fixture.allocationId)/360giving.json", method: .get, headers: cookie))
            let grants = try #require(giving["grants"] as? [[String: Any]])
            #expect(grants.count == 1 && grants[0]["amountAwarded"] as? Double == 622.5 && grants[0]["currency"] as? String == "GBP")
            #expect((grants[0]["fundingOrganization"] as? [[String: Any]])?.first?["name"] as? String == "PCC")
        }
        await fixture.database.close()
    }
}
