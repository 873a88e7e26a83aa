import ConcordDomain
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
private func money(_ text: String) -> Pence { Pence(text: text)! }

@Suite struct FundingTests {
    @Test func moneyIsWholePence() {
        #expect(money("£1,837.50").value == 183_750 && money("622.5").value == 62_250 && money("26440").value == 2_644_000)
        #expect(Pence(text: "622.505") == nil && Pence(text: "12.3.4") == nil && Pence(text: "-5") == nil && Pence(text: "£") == nil)
        #expect(money("48507").description == "£48,507" && money("622.50").description == "£622.50")
    }

    /// 2013-10-17 pack item C2: £48,507 granted, four bids approved by the Chair, £33,000, leaving £15,507.
    @Test func the2013GrantLeaves15507() {
        let allocation = Allocation(id: 1, funder: "Kent PCC", recipient: "KCSP", financialYear: "2013/14", amount: money("48507"), name: "Grant")
        let bids = [("ASB School Tour", "10000"), ("Domestic Homicide Reviews", "8000"), ("Licence to Kill", "10000"), ("Mental Health First Aid", "5000")]
            .enumerated().map { index, bid in
                Bid(id: Int64(index), allocationId: 1, potId: nil, project: bid.0, leadPartner: "x", requested: money(bid.1), totalCost: nil, round: "September 2013",
                    submittedOn: day("2013-09-01"), decision: .approved, decidedBy: .chairDelegated, decidedOn: day("2013-09-30"))
            }
        let balances = FundingRules.balances(allocation, pots: [], bids: bids, on: day("2013-10-17"))
        #expect(balances.approved == money("33000") && balances.remaining == money("15507") && balances.returned == nil)
        #expect(throws: ValidationError.self) {
            try FundingRules.checkBid(requested: money("15507.01"), potId: nil, pots: [], bids: bids, allocation: allocation, on: day("2013-10-17"))
        }
    }

    /// 2023-03-21 pack item B2: £39,661 in two pots (£26,440 upfront, £13,220 tactical: £1 rounding), £21,440 and
    /// £7,600 approved, the tactical pot closed on 24 February 2023: £10,621 returned.
    @Test func the2022GrantReturns10621() throws {
        let allocation = Allocation(id: 1, funder: "Kent PCC", recipient: "KCSP", financialYear: "2022/23", amount: money("39661"), name: "Crime Reduction Grant")
        let upfront = Pot(id: 1, allocationId: 1, name: "Upfront", amount: money("26440"), opensOn: day("2022-04-01"), closesOn: nil, afterPotId: nil)
        let tactical = Pot(id: 2, allocationId: 1, name: "Tactical", amount: money("13220"), opensOn: nil, closesOn: day("2023-02-24"), afterPotId: 1)
        func bid(_ id: Int64, _ pot: Int64, _ amount: String, _ decision: BidDecision?, on: String = "2022-05-01") -> Bid {
            Bid(id: id, allocationId: 1, potId: pot, project: "P\(id)", leadPartner: "x", requested: money(amount), totalCost: nil, round: nil,
                submittedOn: day(on), decision: decision, decisionReason: decision == .declined ? "criteria" : nil, decidedBy: decision.map { _ in .funder },
                decidedOn: decision.map { _ in day("2022-07-01") })
        }
        var bids = [bid(1, 1, "622.50", .approved), bid(2, 1, "13000", .approved), bid(3, 1, "5980", nil), bid(4, 1, "1837.50", .approved),
                    bid(5, 1, "5000", .declined)]
        // The tactical pot opens only once every upfront bid is decided.
        #expect(throws: ValidationError([FieldIssue("potId", "Tactical opens once every bid on Upfront has been decided")])) {
            try FundingRules.checkBid(requested: money("4600"), potId: 2, pots: [upfront, tactical], bids: bids, allocation: allocation, on: day("2022-11-01"))
        }
        bids[2].decision = .approved
        bids[2].decidedBy = .funder
        bids[2].decidedOn = day("2022-07-01")
        #expect(FundingRules.available(tactical, pots: [upfront, tactical], bids: bids, on: day("2022-11-01")) == money("18220"))
        bids += [bid(6, 2, "4600", .approved, on: "2022-11-01"), bid(7, 2, "3000", .approved, on: "2022-11-01")]
        #expect(throws: ValidationError.self) {
            try FundingRules.checkBid(requested: money("20000"), potId: 2, pots: [upfront, tactical], bids: bids, allocation: allocation, on: day("2023-01-10"))
        }
        #expect(throws: ValidationError([FieldIssue("potId", "Tactical closed on 24 February 2023")])) {
            try FundingRules.checkBid(requested: money("100"), potId: 2, pots: [upfront, tactical], bids: bids, allocation: allocation, on: day("2023-03-01"))
        }
        let before = FundingRules.balances(allocation, pots: [upfront, tactical], bids: bids, on: day("2023-02-01"))
        #expect(before.returned == nil && before.rounding == money("1"))
        let after = FundingRules.balances(allocation, pots: [upfront, tactical], bids: bids, on: day("2023-03-21"))
        #expect(after.approved == money("29040") && after.returned == money("10621"))
    }

    @Test func decisionsNeedAReasonAndADecider() {
        #expect(throws: ValidationError([FieldIssue("decisionReason", "Give the reason the bid was declined")])) {
            try FundingRules.checkDecision(.declined, reason: " ", decidedBy: .funder)
        }
        #expect(throws: ValidationError.self) { try FundingRules.checkDecision(.approved, reason: nil, decidedBy: nil) }
        #expect(throws: ValidationError([FieldIssue("requested", "Requested must be pounds and pence, like 622.50 (no fractions of a penny)")])) {
            try FundingRules.pence("10.005", field: "requested", label: "requested")
        }
    }
}
