import Foundation

/// Money as whole pence (never a floating-point amount).
public struct Pence: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) {
        self.value = value
    }

    public static func < (a: Pence, b: Pence) -> Bool { a.value < b.value }
    public static func + (a: Pence, b: Pence) -> Pence { Pence(a.value + b.value) }
    public static func - (a: Pence, b: Pence) -> Pence { Pence(a.value - b.value) }
    public static let zero = Pence(0)

    /// "£48,507" or "£622.50".
    public var description: String {
        let pounds = abs(value) / 100, pence = abs(value) % 100
        let grouped = pounds.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB")))
        return (value < 0 ? "−" : "") + "£" + grouped + (pence == 0 ? "" : String(format: ".%02d", pence))
    }

    /// Reads "£1,837.50", "1837.5" or "26440"; nil when it is not money or has fractions of a penny.
    public init?(text: String) {
        var cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if cleaned.hasPrefix("£") { cleaned.removeFirst() }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber), let pounds = Int(parts[0]), pounds < 1_000_000_000 else {
            return nil
        }
        var pence = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber) else { return nil }
            pence = Int(parts[1].count == 1 ? parts[1] + "0" : parts[1])!
        }
        self.init(pounds * 100 + pence)
    }
}

/// A grant from a funder to a recipient for a financial year (the PCC's community safety grant to the KCSP).
public struct Allocation: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var funder: String
    public var recipient: String
    /// "2022/23".
    public var financialYear: String
    public var amount: Pence
    public var name: String

    public init(id: Int64, funder: String, recipient: String, financialYear: String, amount: Pence, name: String) {
        self.id = id
        self.funder = funder
        self.recipient = recipient
        self.financialYear = financialYear
        self.amount = amount
        self.name = name
    }
}

/// Part of an allocation with its own window (2022/23: two thirds upfront, one third tactical).
public struct Pot: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var allocationId: Int64
    public var name: String
    public var amount: Pence
    public var opensOn: CalendarDate?
    public var closesOn: CalendarDate?
    /// A pot that opens only once every bid on this other pot has been decided ("following approval of the four
    /// initial projects, the KCSP was then given access to the tactical pot", 2023-03-21 pack B2 2.5).
    public var afterPotId: Int64?

    public init(id: Int64, allocationId: Int64, name: String, amount: Pence, opensOn: CalendarDate?, closesOn: CalendarDate?, afterPotId: Int64?) {
        self.id = id
        self.allocationId = allocationId
        self.name = name
        self.amount = amount
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.afterPotId = afterPotId
    }
}

public enum BidDecision: String, Sendable, Codable, CaseIterable {
    case approved, declined, withdrawn
}

/// Who decided a bid: the partnership's Chair under delegated powers (2013-10-17 pack C2), or the funder
/// (2023: the OPCC).
public enum DecisionMaker: String, Sendable, Codable, CaseIterable {
    case chairDelegated = "chair-delegated-powers"
    case funder

    public var label: String { self == .funder ? "The funder" : "The Chair under delegated powers" }
}

/// One criterion of the grant protocol, as the community safety team judged it.
public struct CriterionReview: Sendable, Codable, Equatable {
    public var criterion: String
    public var met: Bool
    public var note: String?

    public init(criterion: String, met: Bool, note: String? = nil) {
        self.criterion = criterion
        self.met = met
        self.note = note
    }
}

public struct Bid: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var allocationId: Int64
    public var potId: Int64?
    public var project: String
    public var leadPartner: String
    public var requested: Pence
    public var totalCost: Pence?
    public var round: String?
    public var submittedOn: CalendarDate
    /// CSA priorities the bid serves, by name.
    public var priorities: [String]
    public var review: [CriterionReview]
    public var decision: BidDecision?
    public var decisionReason: String?
    public var decidedBy: DecisionMaker?
    public var decidedOn: CalendarDate?
    /// Extensions granted to an approved project (amount added).
    public var extensions: [Pence]
    public var outcomes: String?
    public var version: Int

    public init(id: Int64, allocationId: Int64, potId: Int64?, project: String, leadPartner: String, requested: Pence, totalCost: Pence?, round: String?,
                submittedOn: CalendarDate, priorities: [String] = [], review: [CriterionReview] = [], decision: BidDecision? = nil,
                decisionReason: String? = nil, decidedBy: DecisionMaker? = nil, decidedOn: CalendarDate? = nil, extensions: [Pence] = [],
                outcomes: String? = nil, version: Int = 1) {
        self.id = id
        self.allocationId = allocationId
        self.potId = potId
        self.project = project
        self.leadPartner = leadPartner
        self.requested = requested
        self.totalCost = totalCost
        self.round = round
        self.submittedOn = submittedOn
        self.priorities = priorities
        self.review = review
        self.decision = decision
        self.decisionReason = decisionReason
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.extensions = extensions
        self.outcomes = outcomes
        self.version = version
    }

    /// What an approved bid is granted: the request and any extensions.
    public var approvedAmount: Pence { decision == .approved ? extensions.reduce(requested, +) : .zero }
}

/// A partner's contribution towards something (DHRs, MARAC co-funding): expected and received.
public struct Contribution: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var partner: String
    public var purpose: String
    public var financialYear: String
    public var expected: Pence
    public var received: Pence
    public var receivedOn: CalendarDate?

    public init(id: Int64, partner: String, purpose: String, financialYear: String, expected: Pence, received: Pence, receivedOn: CalendarDate?) {
        self.id = id
        self.partner = partner
        self.purpose = purpose
        self.financialYear = financialYear
        self.expected = expected
        self.received = received
        self.receivedOn = receivedOn
    }
}
