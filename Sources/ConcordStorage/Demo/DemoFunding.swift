import ConcordDomain
import Foundation

/// The partnership's grants as the packs record them: the PCC's 2013/14 community safety grant of £48,507 and the
/// four bids approved by the Chair under delegated powers (2013-10-17 pack item C2: £15,507 remaining), and the
/// 2022/23 Crime Reduction Grant of £39,661 in an upfront and a tactical pot (2023-03-21 pack item B2: £10,621
/// returned). Partners' contributions: £5,000 a year from each key agency towards DHRs (agreed 18 March 2014,
/// minute 62) and the interim MARAC post's £34,500 from five partners (2014-07-08 pack report B3).
///
/// Where the papers are silent the values are the demo's own: submission and decision dates within the months the
/// papers give, the unnamed fifth upfront project (£5,000, the difference between the upfront pot and the four
/// approved), which agencies are the "key agencies", and what each has paid.
enum DemoFunding {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    static func money(_ text: String) -> Pence { Pence(text: text)! }

    static func load(into database: ConcordDatabase) async throws {
        let store = FundingStore(database: database)
        let audit = AuditContext.commandLine
        let pcc = "Kent Police and Crime Commissioner", kcsp = "Kent Community Safety Partnership"
        let criteria = [CriterionReview(criterion: "Meets the grant funding protocols agreed by the KCSP on 26 September 2011", met: true),
                        CriterionReview(criterion: "Contributes to the delivery of the Kent Community Safety Agreement", met: true)]

        let grant2013 = try await store.addAllocation(name: "Kent Community Safety Grant", funder: pcc, recipient: kcsp, financialYear: "2013/14",
                                                      amount: money("48507"), audit: audit)
        let bids2013: [(String, String, String, String?, [String])] = [
            ("ASB School Tour", "Kent Police", "10000", "60000", ["Anti-Social Behaviour including Environmental", "Violent Crime"]),
            ("Domestic Homicide Reviews", "Kent County Council", "8000", nil, ["Domestic Abuse"]),
            ("Licence to Kill", "Kent Fire and Rescue Service", "10000", "55000", ["Road Safety"]),
            ("Mental Health First Aid", "Kent Community Safety Team", "5000", nil, ["Anti-Social Behaviour including Environmental"]),
        ]
        for (project, lead, amount, total, priorities) in bids2013 {
            let id = try await store.addBid(Bid(id: 0, allocationId: grant2013, potId: nil, project: project, leadPartner: lead, requested: money(amount),
                                                totalCost: total.map(money), round: "September 2013", submittedOn: day("2013-09-02"), priorities: priorities),
                                            audit: audit)
            try await store.review(bidId: id, expectedVersion: 1, criteria, audit: audit)
            try await store.decide(bidId: id, expectedVersion: 2, .approved, reason: nil, decidedBy: .chairDelegated, on: day("2013-09-27"), audit: audit)
        }

        let grant2022 = try await store.addAllocation(name: "Crime Reduction Grant", funder: pcc, recipient: kcsp, financialYear: "2022/23",
                                                      amount: money("39661"), audit: audit)
        let upfront = try await store.addPot(allocationId: grant2022, name: "Upfront (two thirds)", amount: money("26440"), opensOn: day("2022-04-01"),
                                             closesOn: nil, afterPotId: nil, audit: audit)
        let tactical = try await store.addPot(allocationId: grant2022, name: "Tactical (one third)", amount: money("13220"), opensOn: nil,
                                              closesOn: day("2023-02-24"), afterPotId: upfront, audit: audit)
        func bid(_ pot: Int64, _ project: String, _ lead: String, _ amount: String, _ round: String, _ submitted: String, _ priorities: [String],
                 decision: BidDecision, reason: String? = nil, decided: String, outcomes: String? = nil) async throws {
            let id = try await store.addBid(Bid(id: 0, allocationId: grant2022, potId: pot, project: project, leadPartner: lead, requested: money(amount),
                                                totalCost: nil, round: round, submittedOn: day(submitted), priorities: priorities), audit: audit)
            try await store.review(bidId: id, expectedVersion: 1, criteria, audit: audit)
            try await store.decide(bidId: id, expectedVersion: 2, decision, reason: reason, decidedBy: .funder, on: day(decided), audit: audit)
            if let outcomes { try await store.reportOutcomes(bidId: id, outcomes, audit: audit) }
        }
        let businessCase = "Upfront business case"
        try await bid(upfront, "Best Bar None", "District partners", "622.50", businessCase, "2022-05-03",
                      ["Violence Against Women & Girls (VAWG)", "Preventing Neighbourhood Crime & ASB"], decision: .approved, decided: "2022-06-30",
                      outcomes: "400 stickers bought for accredited licensed premises.")
        try await bid(upfront, "Trauma Awareness Programme", "Kent County Council", "13000", businessCase, "2022-05-03", ["Safeguarding Vulnerable People"],
                      decision: .approved, decided: "2022-06-30", outcomes: "The toolkit and training package were updated and professionals trained to deliver it.")
        try await bid(upfront, "Community Safety Conference", "Kent Community Safety Team", "5980", businessCase, "2022-05-03",
                      ["Violence Against Women & Girls (VAWG)"], decision: .approved, decided: "2022-06-30",
                      outcomes: "A hybrid VAWG conference on 28 March 2023 at the Detling Showground.")
        try await bid(upfront, "Promotional Materials for Awareness Weeks", "Kent Community Safety Team", "1837.50", businessCase, "2022-05-03",
                      ["Safeguarding Vulnerable People", "Preventing Extremism and Hate"], decision: .approved, decided: "2022-06-30",
                      outcomes: "Safeguarding adult awareness cards and hate crime literature and translations.")
        try await bid(upfront, "Fifth upfront project (not named in the paper)", "Not named in the paper", "5000", businessCase, "2022-05-03", [],
                      decision: .declined, reason: "Not approved by the OPCC (the paper gives no reason)", decided: "2022-06-30")
        try await bid(tactical, "Gaming & Online Awareness of Hate and Extremism", "Kent and Medway Prevent Team", "4600", "November 2022", "2022-11-14",
                      ["Preventing Extremism and Hate"], decision: .approved, decided: "2022-11-30")
        try await bid(tactical, "Hateful Extremism CPD Event", "Kent and Medway Prevent Team", "3000", "November 2022", "2022-11-14",
                      ["Preventing Extremism and Hate"], decision: .approved, decided: "2022-11-30",
                      outcomes: "A hybrid CPD event on 28 February 2023 for partners and professionals.")
        try await bid(tactical, "Cost of Living Warn & Inform Campaign, BSL translation of the KMSAB leaflet and an extension of the Hateful Extremism event",
                      "Kent Community Safety Team", "6300", "January 2023", "2023-01-16", ["Safeguarding Vulnerable People"], decision: .declined,
                      reason: "The proposals did not meet some of the criteria set out in the grant funding guidance", decided: "2023-02-10")

        for partner in ["Kent County Council", "Kent Police", "Medway Council", "Kent and Medway Clinical Commissioning Groups", "Kent Probation Trust"] {
            let id = try await store.addContribution(partner: partner, purpose: "Domestic Homicide Reviews", financialYear: "2014/15", expected: money("5000"),
                                                     audit: audit)
            if partner != "Kent Probation Trust" { try await store.recordReceipt(contributionId: id, amount: money("5000"), on: day("2014-06-30"), audit: audit) }
        }
        for partner in ["Kent Police", "Kent County Council", "Medway Council", "Kent and Medway Clinical Commissioning Groups", "Kent Fire and Rescue Service"] {
            try await store.addContribution(partner: partner, purpose: "MARAC interim administration post", financialYear: "2014/15", expected: money("6900"),
                                            audit: audit)
        }
    }
}
