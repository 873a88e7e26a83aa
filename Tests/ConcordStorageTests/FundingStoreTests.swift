import ConcordDomain
import ConcordStorage
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct FundingStoreTests {
    /// The demo reproduces the papers' balances: £15,507 remaining in 2013/14, £10,621 returned in 2022/23.
    @Test(arguments: TestEngine.available)
    func theDemoGrantsBalanceAsThePapersSay(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        try await DemoPartnership.load(into: db, passwordHash: "x")
        let store = FundingStore(database: db)
        let allocations = try await store.allocations()
        let grant2013 = try #require(allocations.first { $0.financialYear == "2013/14" })
        let balances2013 = FundingRules.balances(grant2013, pots: try await store.pots(allocationId: grant2013.id),
                                                 bids: try await store.bids(allocationId: grant2013.id), on: day("2013-10-17"))
        #expect(balances2013.approved.description == "£33,000" && balances2013.remaining.description == "£15,507")
        let grant2022 = try #require(allocations.first { $0.financialYear == "2022/23" })
        let pots = try await store.pots(allocationId: grant2022.id)
        let bids = try await store.bids(allocationId: grant2022.id)
        let balances2022 = FundingRules.balances(grant2022, pots: pots, bids: bids, on: day("2023-03-21"))
        #expect(balances2022.approved.description == "£29,040" && balances2022.returned?.description == "£10,621" && balances2022.rounding.description == "£1")
        #expect(bids.first { $0.project == "Best Bar None" }?.requested.value == 62_250)
        let contributions = try await store.contributions()
        #expect(contributions.filter { $0.purpose == "Domestic Homicide Reviews" }.map(\.expected.value).reduce(0, +) == 2_500_000)
    }

    @Test(arguments: TestEngine.available)
    func bidsOverThePotAndDecisionsWithoutReasonsAreRefused(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let store = FundingStore(database: db)
        let grant = try await store.addAllocation(name: "Grant", funder: "PCC", recipient: "CSP", financialYear: "2026/27", amount: Pence(1_000_000),
                                                  audit: .commandLine)
        let pot = try await store.addPot(allocationId: grant, name: "Upfront", amount: Pence(600_000), opensOn: nil, closesOn: nil, afterPotId: nil,
                                         audit: .commandLine)
        await #expect(throws: ValidationError.self) {
            try await store.addPot(allocationId: grant, name: "Tactical", amount: Pence(400_001), opensOn: nil, closesOn: nil, afterPotId: pot, audit: .commandLine)
        }
        do {
            try await store.addBid(Bid(id: 0, allocationId: grant, potId: pot, project: "Too big", leadPartner: "Council", requested: Pence(600_001),
                                       totalCost: nil, round: nil, submittedOn: day("2026-05-01")), audit: .commandLine)
            Issue.record("a bid over the pot was accepted")
        } catch let error as ValidationError {
            #expect(error.issues == [FieldIssue("requested", "£6,000.01 is more than the £6,000 left in Upfront")])
        }
        let bid = try await store.addBid(Bid(id: 0, allocationId: grant, potId: pot, project: "Tour", leadPartner: "Police", requested: Pence(500_000),
                                             totalCost: Pence(2_000_000), round: nil, submittedOn: day("2026-05-01")), audit: .commandLine)
        await #expect(throws: ValidationError.self) {
            try await store.decide(bidId: bid, expectedVersion: 1, .declined, reason: "", decidedBy: .funder, on: day("2026-06-01"), audit: .commandLine)
        }
        #expect(try await store.bids(allocationId: grant).first?.decision == nil)
        try await store.decide(bidId: bid, expectedVersion: 1, .approved, reason: nil, decidedBy: .chairDelegated, on: day("2026-06-01"), audit: .commandLine)
        try await store.extend(bidId: bid, expectedVersion: 2, by: Pence(50_000), on: day("2026-09-01"), audit: .commandLine)
        #expect(try await store.bids(allocationId: grant).first?.approvedAmount == Pence(550_000))
    }
}
