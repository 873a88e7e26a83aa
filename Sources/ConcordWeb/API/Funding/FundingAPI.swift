import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Grant funding over JSON: allocations with their balances, pots and bids, decisions, and the contributions
/// ledger. Amounts are written in pounds and pence ("622.50") and returned in pence.
struct FundingAPI {
    let services: Services

    var routes: [APIRoutes.Route] {
        [
            (.get, "/allocations", allocations),
            (.post, "/allocations", addAllocation),
            (.get, "/allocations/{id}", allocation),
            (.post, "/allocations/{id}/bids", addBid),
            (.post, "/allocations/{id}/bids/{bidId}/decision", decide),
            (.get, "/contributions", contributions),
            (.post, "/contributions", addContribution),
        ]
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    struct BalancesBody: Encodable {
        let allocatedPence: Int
        let roundingPence: Int
        let requestedPence: Int
        let approvedPence: Int
        let remainingPence: Int
        let returnedPence: Int?

        init(_ b: FundingRules.Balances) {
            allocatedPence = b.allocated.value
            roundingPence = b.rounding.value
            requestedPence = b.requested.value
            approvedPence = b.approved.value
            remainingPence = b.remaining.value
            returnedPence = b.returned?.value
        }
    }

    struct AllocationBody: Encodable {
        let allocation: Allocation
        let balances: BalancesBody
        let pots: [Pot]?
        let bids: [Bid]?
    }

    func allocations(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        var items: [AllocationBody] = []
        for allocation in try await services.funding.allocations() {
            let balances = FundingRules.balances(allocation, pots: try await services.funding.pots(allocationId: allocation.id),
                                                 bids: try await services.funding.bids(allocationId: allocation.id), on: today)
            items.append(AllocationBody(allocation: allocation, balances: BalancesBody(balances), pots: nil, bids: nil))
        }
        return try APIRoutes.json(APIRoutes.ListBody(items: items, nextCursor: nil))
    }

    func allocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        var on = today
        if let text = request.uri.queryParameters["on"] {
            guard let date = CalendarDate(iso: String(text)) else { throw AppError.invalid([FieldIssue("on", "on must be a date like 2023-03-21")]) }
            on = date
        }
        return try await detail(try APIRoutes.id(context), on: on)
    }

    private func detail(_ id: Int64, on date: CalendarDate, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let allocation = try await services.funding.allocations().first(where: { $0.id == id }) else { throw AppError.notFound }
        let pots = try await services.funding.pots(allocationId: id), bids = try await services.funding.bids(allocationId: id)
        return try APIRoutes.json(AllocationBody(allocation: allocation, balances: BalancesBody(FundingRules.balances(allocation, pots: pots, bids: bids, on: date)),
                                                 pots: pots, bids: bids), status: status)
    }

    func addAllocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["name", "funder", "recipient", "financialYear", "amount"]).fields
        let amount = try FundingRules.pence(fields["amount"], field: "amount", label: "the amount granted")!
        let id = try await services.funding.addAllocation(name: fields["name"] ?? "", funder: fields["funder"] ?? "", recipient: fields["recipient"] ?? "",
                                                          financialYear: fields["financialYear"] ?? "", amount: amount, audit: context.audit)
        return try await detail(id, on: today, status: .created)
    }

    func addBid(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        let id = try APIRoutes.id(context)
        var request = request
        let parsed = try await JSONBody.flattened(from: &request, context: context,
                                                  allowed: ["potId", "project", "leadPartner", "requested", "totalCost", "round", "submittedOn"],
                                                  textLists: ["priorities"])
        let fields = parsed.fields
        var v = Validator()
        let submitted = v.date(fields["submittedOn"], field: "submittedOn", label: "the date submitted", required: true)
        try v.check()
        let requested = try FundingRules.pence(fields["requested"], field: "requested", label: "the amount requested")!
        let total = try FundingRules.pence(fields["totalCost"], field: "totalCost", label: "the total project cost", required: false)
        try await services.funding.addBid(Bid(id: 0, allocationId: id, potId: fields["potId"].flatMap { Int64($0) }, project: fields["project"] ?? "",
                                              leadPartner: fields["leadPartner"] ?? "", requested: requested, totalCost: total, round: fields["round"],
                                              submittedOn: submitted!, priorities: parsed.texts["priorities"] ?? []), audit: context.audit)
        return try await detail(id, on: today, status: .created)
    }

    func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        let id = try APIRoutes.id(context)
        guard let bidId = context.parameters.get("bidId", as: Int64.self),
              try await services.funding.bids(allocationId: id).contains(where: { $0.id == bidId }) else { throw AppError.notFound }
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context,
                                                  allowed: ["version", "decision", "reason", "decidedBy", "decidedOn"]).fields
        var v = Validator()
        let on = v.date(fields["decidedOn"], field: "decidedOn", label: "the date of the decision", required: true)
        let decision = BidDecision(rawValue: fields["decision"] ?? "")
        if decision == nil { v.add("decision", "decision must be approved, declined or withdrawn") }
        let version = fields["version"].flatMap { Int($0) }
        if version == nil { v.add("version", "version is required") }
        try v.check()
        try await services.funding.decide(bidId: bidId, expectedVersion: version!, decision!, reason: fields["reason"],
                                          decidedBy: fields["decidedBy"].flatMap(DecisionMaker.init), on: on!, audit: context.audit)
        return try await detail(id, on: today)
    }

    func contributions(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        return try APIRoutes.json(APIRoutes.ListBody(items: try await services.funding.contributions(), nextCursor: nil))
    }

    func addContribution(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        var request = request
        let fields = try await JSONBody.flattened(from: &request, context: context, allowed: ["partner", "purpose", "financialYear", "expected"]).fields
        let expected = try FundingRules.pence(fields["expected"], field: "expected", label: "the amount expected")!
        let id = try await services.funding.addContribution(partner: fields["partner"] ?? "", purpose: fields["purpose"] ?? "",
                                                            financialYear: fields["financialYear"] ?? "", expected: expected, audit: context.audit)
        return try APIRoutes.json(["id": id], status: .created)
    }
}
