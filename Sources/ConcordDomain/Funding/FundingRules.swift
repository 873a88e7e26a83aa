import Foundation

/// The partnership's grant funding (shared/design/domain-rules.md, Funding; 2013-10-17 pack item C2, 2023-03-21
/// pack item B2).
public enum FundingRules {
    /// The end of a financial year written "2022/23": 31 March 2023.
    public static func yearEnd(_ financialYear: String) -> CalendarDate? {
        StrategyRules.period(.financialYear, label: financialYear)?.endsOn
    }

    public struct Balances: Sendable, Equatable {
        public let allocated: Pence
        /// What the pots do not add up to ("two thirds £26,440, one third £13,220" of £39,661: £1), kept visible.
        public let rounding: Pence
        public let requested: Pence
        public let approved: Pence
        public let remaining: Pence
        /// What goes back to the funder: the remainder once every pot has closed or the year has ended.
        public let returned: Pence?
    }

    /// Balances as they stood on `date`, counting bids submitted and decided by then.
    public static func balances(_ allocation: Allocation, pots: [Pot], bids: [Bid], on date: CalendarDate) -> Balances {
        let known = bids.filter { $0.submittedOn <= date }
        let approved = known.filter { ($0.decidedOn ?? .init(year: 9999, month: 12, day: 31)!) <= date }.map(\.approvedAmount).reduce(.zero, +)
        let pending = known.filter { $0.decision == nil || ($0.decidedOn.map { $0 > date } ?? true) }.map(\.requested).reduce(.zero, +)
        let inPots = pots.map(\.amount).reduce(.zero, +)
        let remaining = allocation.amount - approved
        let yearOver = yearEnd(allocation.financialYear).map { date > $0 } ?? false
        let potsClosed = !pots.isEmpty && pots.allSatisfy { isClosed($0, pots: pots, bids: known, on: date) }
        return Balances(allocated: allocation.amount, rounding: pots.isEmpty ? .zero : allocation.amount - inPots, requested: pending,
                        approved: approved, remaining: remaining, returned: yearOver || potsClosed ? remaining : nil)
    }

    /// A pot is closed after its close date; a pot that another follows closes once all its bids are decided (its
    /// remainder then passes to the pot that follows, as the 2022/23 upfront remainder joined the tactical pot).
    public static func isClosed(_ pot: Pot, pots: [Pot], bids: [Bid], on date: CalendarDate) -> Bool {
        if let closes = pot.closesOn, date > closes { return true }
        let followed = pots.contains { $0.afterPotId == pot.id }
        let potBids = bids.filter { $0.potId == pot.id }
        return followed && !potBids.isEmpty && potBids.allSatisfy { $0.decision != nil }
    }

    /// What a pot can still fund: its amount, plus the remainder of the pot it follows once that one has closed,
    /// less what is approved or awaiting a decision.
    public static func available(_ pot: Pot, pots: [Pot], bids: [Bid], on date: CalendarDate) -> Pence {
        func committed(_ id: Int64) -> Pence {
            bids.filter { $0.potId == id && $0.decision != .declined && $0.decision != .withdrawn }
                .map { $0.decision == .approved ? $0.approvedAmount : $0.requested }.reduce(.zero, +)
        }
        var total = pot.amount
        if let before = pots.first(where: { $0.id == pot.afterPotId }), isClosed(before, pots: pots, bids: bids, on: date) {
            total = total + before.amount - committed(before.id)
        }
        return total - committed(pot.id)
    }

    /// A new bid must name a pot that is open on its submission date and has room for the amount.
    public static func checkBid(requested: Pence, potId: Int64?, pots: [Pot], bids: [Bid], allocation: Allocation, on date: CalendarDate)
        throws(ValidationError) {
        guard requested.value > 0 else { throw ValidationError(field: "requested", "Enter the amount requested, more than £0") }
        guard let potId else {
            if !pots.isEmpty { throw ValidationError(field: "potId", "Choose the pot the bid is for") }
            let room = balances(allocation, pots: pots, bids: bids, on: date)
            if requested > room.remaining - room.requested {
                throw ValidationError(field: "requested", "\(requested) is more than the \(room.remaining - room.requested) left to bid for")
            }
            return
        }
        guard let pot = pots.first(where: { $0.id == potId }) else { throw ValidationError(field: "potId", "That pot is not part of this allocation") }
        if let opens = pot.opensOn, date < opens { throw ValidationError(field: "potId", "\(pot.name) opens on \(opens.long)") }
        if let closes = pot.closesOn, date > closes { throw ValidationError(field: "potId", "\(pot.name) closed on \(closes.long)") }
        if let before = pots.first(where: { $0.id == pot.afterPotId }), !isClosed(before, pots: pots, bids: bids, on: date) {
            throw ValidationError(field: "potId", "\(pot.name) opens once every bid on \(before.name) has been decided")
        }
        let room = available(pot, pots: pots, bids: bids, on: date)
        if requested > room {
            throw ValidationError(field: "requested", "\(requested) is more than the \(room) left in \(pot.name)")
        }
    }

    /// A decline or withdrawal gives its reason; every decision names who made it.
    public static func checkDecision(_ decision: BidDecision, reason: String?, decidedBy: DecisionMaker?) throws(ValidationError) {
        var v = Validator()
        if decision != .approved, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            v.add("decisionReason", "Give the reason the bid was \(decision.rawValue)")
        }
        if decidedBy == nil { v.add("decidedBy", "Say who made the decision: the Chair under delegated powers or the funder") }
        try v.check()
    }

    /// The reading of a money field for forms and the API, naming the field.
    public static func pence(_ text: String?, field: String, label: String, required: Bool = true) throws(ValidationError) -> Pence? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            if required { throw ValidationError(field: field, "Enter \(label)") }
            return nil
        }
        guard let value = Pence(text: text) else {
            throw ValidationError(field: field, "\(label.prefix(1).uppercased() + label.dropFirst()) must be pounds and pence, like 622.50 (no fractions of a penny)")
        }
        return value
    }
}
