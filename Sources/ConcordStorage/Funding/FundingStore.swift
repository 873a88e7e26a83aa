import ConcordDomain
import Foundation
import SQLKit

/// Grant allocations, pots, bids and partner contributions. Every change is audited; amounts are whole pence.
public struct FundingStore: PartnershipRecordStore {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    // MARK: Allocations and pots

    public func allocations() async throws -> [Allocation] {
        try await database.read { db in try await db.raw("SELECT * FROM allocations ORDER BY financial_year, id").all().map(Self.allocation) }
    }

    static func allocation(_ row: any SQLRow) throws -> Allocation {
        Allocation(id: try row.int64("id"), funder: try row.string("funder"), recipient: try row.string("recipient"),
                   financialYear: try row.string("financial_year"), amount: Pence(try row.int("amount_pence")), name: try row.string("name"))
    }

    @discardableResult
    public func addAllocation(name: String, funder: String, recipient: String, financialYear: String, amount: Pence,
                              audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let name = v.required(name, field: "name", label: "the grant's name") ?? ""
        let funder = v.required(funder, field: "funder", label: "the funder") ?? ""
        let recipient = v.required(recipient, field: "recipient", label: "the recipient") ?? ""
        if FundingRules.yearEnd(financialYear) == nil { v.add("financialYear", "Enter the financial year like 2022/23") }
        if amount.value <= 0 { v.add("amount", "Enter the amount granted") }
        try v.check()
        return try await rethrowingDuplicate(field: "name", message: "That grant is already recorded for \(financialYear)") {
            try await write { db in
                let id = try await db.raw("""
                    INSERT INTO allocations (name, funder, recipient, financial_year, amount_pence)
                    VALUES (\(bind: name), \(bind: funder), \(bind: recipient), \(bind: financialYear), \(bind: amount.value)) RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "allocation", id, FieldChange.created([("name", name), ("funder", funder), ("financialYear", financialYear),
                                                                                 ("amountPence", String(amount.value))]), context, on: db)
                return id
            }
        }
    }

    public func pots(allocationId: Int64) async throws -> [Pot] {
        try await database.read { db in try await Self.pots(allocationId: allocationId, on: db) }
    }

    static func pots(allocationId: Int64, on db: any SQLDatabase) async throws -> [Pot] {
        try await db.raw("SELECT * FROM pots WHERE allocation_id = \(bind: allocationId) ORDER BY id").all().map { row in
            Pot(id: try row.int64("id"), allocationId: allocationId, name: try row.string("name"), amount: Pence(try row.int("amount_pence")),
                opensOn: try row.date("opens_on"), closesOn: try row.date("closes_on"), afterPotId: try row.optionalInt64("after_pot_id"))
        }
    }

    /// Adds a pot; the pots of an allocation may not add up to more than it.
    @discardableResult
    public func addPot(allocationId: Int64, name: String, amount: Pence, opensOn: CalendarDate?, closesOn: CalendarDate?, afterPotId: Int64?,
                       audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let name = v.required(name, field: "potName", label: "the pot's name") ?? ""
        if let opensOn, let closesOn, closesOn < opensOn { v.add("closesOn", "The pot must close after it opens") }
        try v.check()
        return try await rethrowingDuplicate(field: "potName", message: "There is already a pot called \(name)") {
            try await write { db in
                guard let allocation = try await db.raw("SELECT * FROM allocations WHERE id = \(bind: allocationId)").first().map(Self.allocation) else {
                    throw ValidationError(field: "allocationId", "There is no allocation with id \(allocationId)")
                }
                let pots = try await Self.pots(allocationId: allocationId, on: db)
                if let afterPotId, !pots.contains(where: { $0.id == afterPotId }) {
                    throw ValidationError(field: "afterPotId", "The pot it follows must be part of the same allocation")
                }
                let total = pots.map(\.amount).reduce(amount, +)
                if total > allocation.amount {
                    throw ValidationError(field: "potAmount", "The pots would come to \(total), more than the \(allocation.amount) granted")
                }
                let id = try await db.raw("""
                    INSERT INTO pots (allocation_id, name, amount_pence, opens_on, closes_on, after_pot_id)
                    VALUES (\(bind: allocationId), \(bind: name), \(bind: amount.value), \(bind: opensOn?.iso), \(bind: closesOn?.iso), \(bind: afterPotId))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "pot", id, FieldChange.created([("name", name), ("amountPence", String(amount.value))]), context, on: db)
                return id
            }
        }
    }

    // MARK: Bids

    public func bids(allocationId: Int64) async throws -> [Bid] {
        try await database.read { db in try await Self.bids(allocationId: allocationId, on: db) }
    }

    static func bids(allocationId: Int64, on db: any SQLDatabase) async throws -> [Bid] {
        try await db.raw("SELECT * FROM bids WHERE allocation_id = \(bind: allocationId) ORDER BY submitted_on, id").all().map(bid)
    }

    static func bid(_ row: any SQLRow) throws -> Bid {
        let decoder = JSONDecoder()
        return Bid(id: try row.int64("id"), allocationId: try row.int64("allocation_id"), potId: try row.optionalInt64("pot_id"),
                   project: try row.string("project"), leadPartner: try row.string("lead_partner"), requested: Pence(try row.int("requested_pence")),
                   totalCost: try row.decode(column: "total_cost_pence", as: Int?.self).map(Pence.init), round: try row.optionalString("round"),
                   submittedOn: try row.date("submitted_on")!, priorities: try decoder.decode([String].self, from: Data(try row.string("priorities").utf8)),
                   review: try decoder.decode([CriterionReview].self, from: Data(try row.string("review").utf8)),
                   decision: try row.optionalString("decision").flatMap(BidDecision.init), decisionReason: try row.optionalString("decision_reason"),
                   decidedBy: try row.optionalString("decided_by").flatMap(DecisionMaker.init), decidedOn: try row.date("decided_on"),
                   extensions: try decoder.decode([Int].self, from: Data(try row.string("extensions").utf8)).map(Pence.init),
                   outcomes: try row.optionalString("outcomes"), version: try row.int("version"))
    }

    /// Records a bid, checked against the pot's window and what is left in it (`FundingRules.checkBid`).
    @discardableResult
    public func addBid(_ bid: Bid, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let project = v.required(bid.project, field: "project", label: "the project") ?? ""
        let lead = v.required(bid.leadPartner, field: "leadPartner", label: "the lead partner") ?? ""
        if let total = bid.totalCost, total < bid.requested { v.add("totalCost", "The total project cost cannot be less than the amount requested") }
        try v.check()
        return try await write { db in
            guard let allocation = try await db.raw("SELECT * FROM allocations WHERE id = \(bind: bid.allocationId)").first().map(Self.allocation) else {
                throw ValidationError(field: "allocationId", "There is no allocation with id \(bid.allocationId)")
            }
            try FundingRules.checkBid(requested: bid.requested, potId: bid.potId, pots: try await Self.pots(allocationId: allocation.id, on: db),
                                      bids: try await Self.bids(allocationId: allocation.id, on: db), allocation: allocation, on: bid.submittedOn)
            let id = try await db.raw("""
                INSERT INTO bids (allocation_id, pot_id, project, lead_partner, requested_pence, total_cost_pence, round, submitted_on, priorities, review,
                                  extensions)
                VALUES (\(bind: allocation.id), \(bind: bid.potId), \(bind: project), \(bind: lead), \(bind: bid.requested.value),
                        \(bind: bid.totalCost?.value), \(bind: bid.round), \(bind: bid.submittedOn.iso), \(bind: JSONText.encode(bid.priorities)),
                        \(bind: JSONText.encode(bid.review)), '[]')
                RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "bid", id, FieldChange.created([("project", project), ("leadPartner", lead), ("requestedPence", String(bid.requested.value)),
                                                                     ("potId", bid.potId.map(String.init))]), context, on: db)
            return id
        }
    }

    /// Records the community safety team's review against the grant criteria.
    public func review(bidId: Int64, expectedVersion: Int, _ review: [CriterionReview], audit context: AuditContext) async throws {
        guard !review.isEmpty, review.allSatisfy({ !$0.criterion.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ValidationError(field: "review", "Record each criterion the bid was reviewed against")
        }
        try await write { db in
            guard try await db.raw("""
                UPDATE bids SET review = \(bind: JSONText.encode(review)), version = version + 1 WHERE id = \(bind: bidId) AND version = \(bind: expectedVersion)
                RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "bid", id: bidId) }
            try await audit(.update, "bid", bidId, [FieldChange(field: "review", before: nil, after: review.map { "\($0.criterion): \($0.met)" }
                .joined(separator: "; "))], context, on: db)
        }
    }

    /// Records the decision on an undecided bid (a decline or withdrawal with its reason).
    public func decide(bidId: Int64, expectedVersion: Int, _ decision: BidDecision, reason: String?, decidedBy: DecisionMaker?, on date: CalendarDate,
                       audit context: AuditContext) async throws {
        try FundingRules.checkDecision(decision, reason: reason, decidedBy: decidedBy)
        try await write { db in
            guard try await db.raw("""
                UPDATE bids SET decision = \(bind: decision.rawValue), decision_reason = \(bind: reason), decided_by = \(bind: decidedBy?.rawValue),
                    decided_on = \(bind: date.iso), version = version + 1
                WHERE id = \(bind: bidId) AND version = \(bind: expectedVersion) AND decision IS NULL RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "bid", id: bidId) }
            try await audit(.update, "bid", bidId, [FieldChange(field: "decision", before: nil, after: decision.rawValue),
                                                    FieldChange(field: "decidedBy", before: nil, after: decidedBy?.rawValue)], context, on: db)
        }
    }

    /// Extends an approved project, if what is left in the allocation allows.
    public func extend(bidId: Int64, expectedVersion: Int, by amount: Pence, on date: CalendarDate, audit context: AuditContext) async throws {
        try await write { db in
            guard let bid = try await db.raw("SELECT * FROM bids WHERE id = \(bind: bidId)").first().map(Self.bid), bid.decision == .approved else {
                throw ValidationError(field: "extension", "Only an approved project can be extended")
            }
            let allocation = try await db.raw("SELECT * FROM allocations WHERE id = \(bind: bid.allocationId)").first().map(Self.allocation)!
            let balances = FundingRules.balances(allocation, pots: try await Self.pots(allocationId: allocation.id, on: db),
                                                 bids: try await Self.bids(allocationId: allocation.id, on: db), on: date)
            guard amount.value > 0, amount <= balances.remaining - balances.requested else {
                throw ValidationError(field: "extension", "An extension must be more than £0 and within the \(balances.remaining - balances.requested) left")
            }
            guard try await db.raw("""
                UPDATE bids SET extensions = \(bind: JSONText.encode((bid.extensions + [amount]).map(\.value))), version = version + 1
                WHERE id = \(bind: bidId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "bid", id: bidId) }
            try await audit(.update, "bid", bidId, [FieldChange(field: "extension", before: nil, after: String(amount.value))], context, on: db)
        }
    }

    public func reportOutcomes(bidId: Int64, _ text: String, audit context: AuditContext) async throws {
        var v = Validator()
        let text = v.required(text, field: "outcomes", label: "the outputs and outcomes", maxLength: 5_000) ?? ""
        try v.check()
        try await write { db in
            guard try await db.raw("UPDATE bids SET outcomes = \(bind: text), version = version + 1 WHERE id = \(bind: bidId) RETURNING id").first() != nil else {
                throw ValidationError(field: "bidId", "There is no bid with id \(bidId)")
            }
            try await audit(.update, "bid", bidId, [FieldChange(field: "outcomes", before: nil, after: text)], context, on: db)
        }
    }

    // MARK: Contributions

    public func contributions() async throws -> [Contribution] {
        try await database.read { db in
            try await db.raw("SELECT * FROM contributions ORDER BY financial_year, purpose, partner").all().map { row in
                Contribution(id: try row.int64("id"), partner: try row.string("partner"), purpose: try row.string("purpose"),
                             financialYear: try row.string("financial_year"), expected: Pence(try row.int("expected_pence")),
                             received: Pence(try row.int("received_pence")), receivedOn: try row.date("received_on"))
            }
        }
    }

    @discardableResult
    public func addContribution(partner: String, purpose: String, financialYear: String, expected: Pence, audit context: AuditContext) async throws -> Int64 {
        var v = Validator()
        let partner = v.required(partner, field: "partner", label: "the partner") ?? ""
        let purpose = v.required(purpose, field: "purpose", label: "what it is towards") ?? ""
        if FundingRules.yearEnd(financialYear) == nil { v.add("financialYear", "Enter the financial year like 2014/15") }
        try v.check()
        return try await rethrowingDuplicate(field: "partner", message: "\(partner) already has a contribution towards \(purpose) for \(financialYear)") {
            try await write { db in
                let id = try await db.raw("""
                    INSERT INTO contributions (partner, purpose, financial_year, expected_pence)
                    VALUES (\(bind: partner), \(bind: purpose), \(bind: financialYear), \(bind: expected.value)) RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "contribution", id, FieldChange.created([("partner", partner), ("purpose", purpose),
                                                                                   ("expectedPence", String(expected.value))]), context, on: db)
                return id
            }
        }
    }

    /// Records money received against a contribution (added to what was received before).
    public func recordReceipt(contributionId: Int64, amount: Pence, on date: CalendarDate, audit context: AuditContext) async throws {
        guard amount.value > 0 else { throw ValidationError(field: "received", "Enter the amount received") }
        try await write { db in
            guard try await db.raw("""
                UPDATE contributions SET received_pence = received_pence + \(bind: amount.value), received_on = \(bind: date.iso)
                WHERE id = \(bind: contributionId) RETURNING id
                """).first() != nil else { throw ValidationError(field: "contributionId", "There is no contribution with id \(contributionId)") }
            try await audit(.update, "contribution", contributionId, [FieldChange(field: "receivedPence", before: nil, after: String(amount.value))],
                            context, on: db)
        }
    }
}
