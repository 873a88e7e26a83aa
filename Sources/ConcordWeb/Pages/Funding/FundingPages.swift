import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Grant funding in the browser: allocations with their pots and balances at a date, bids with the team's review,
/// decisions, extensions and outcomes, the year-end "distribution of grant funding" report (page, CSV and
/// 360Giving JSON), and the partners' contributions ledger. Reading needs `readMeetings`; changes `manageFunding`.
struct FundingPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/funding", use: index)
        router.post("/funding", use: addAllocation)
        router.get("/funding/contributions", use: contributions)
        router.post("/funding/contributions", use: addContribution)
        router.post("/funding/contributions/{id}/receipts", use: recordReceipt)
        router.get("/funding/{id}", use: show)
        router.post("/funding/{id}/pots", use: addPot)
        router.post("/funding/{id}/bids", use: addBid)
        router.post("/funding/{id}/bids/{bidId}/review", use: review)
        router.post("/funding/{id}/bids/{bidId}/decision", use: decide)
        router.post("/funding/{id}/bids/{bidId}/extension", use: extend)
        router.post("/funding/{id}/bids/{bidId}/outcomes", use: reportOutcomes)
        router.get("/funding/{id}/report.csv", use: reportCSV)
        router.get("/funding/{id}/360giving.json", use: threeSixtyGiving)
    }

    private var today: CalendarDate { CalendarDate(Date()) }

    private func bidId(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("bidId", as: Int64.self) else { throw AppError.notFound }
        return id
    }

    struct FundingData {
        let allocation: Allocation
        let pots: [Pot]
        let bids: [Bid]

        static func load(_ services: Services, id: Int64) async throws -> FundingData {
            guard let allocation = try await services.funding.allocations().first(where: { $0.id == id }) else { throw AppError.notFound }
            return FundingData(allocation: allocation, pots: try await services.funding.pots(allocationId: id),
                               bids: try await services.funding.bids(allocationId: id))
        }
    }

    // MARK: Allocations

    struct IndexModel {
        struct Row {
            let id: Int64
            let name: String
            let year: String
            let funder: String
            let amount: String
            let remaining: String
            let returned: String?
        }

        let rows: [Row]
        let mayManage: Bool
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await indexPage(context)
    }

    private func indexPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        var rows: [IndexModel.Row] = []
        for allocation in try await services.funding.allocations().reversed() {
            let data = try await FundingData.load(services, id: allocation.id)
            let balances = FundingRules.balances(allocation, pots: data.pots, bids: data.bids, on: today)
            rows.append(.init(id: allocation.id, name: allocation.name, year: allocation.financialYear, funder: allocation.funder,
                              amount: allocation.amount.description, remaining: balances.remaining.description, returned: balances.returned?.description))
        }
        return try await services.page("funding/index", context, title: "Grant funding",
                                       page: IndexModel(rows: rows, mayManage: AccessPolicy.may(principal, .manageFunding)), errors: errors)
    }

    func addAllocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        return try await Form.post(request, context, success: "/funding", staleField: "name") { form in
            let amount = try FundingRules.pence(form["amount"], field: "amount", label: "the amount granted")!
            try await services.funding.addAllocation(name: form["name"] ?? "", funder: form["funder"] ?? "", recipient: form["recipient"] ?? "",
                                                     financialYear: form["financialYear"] ?? "", amount: amount, audit: context.audit)
        } refused: { _, issues in
            try await indexPage(context, errors: issues)
        }
    }

    struct ShowModel {
        struct PotView {
            let id: Int64
            let name: String
            let amount: String
            let window: String?
            let available: String
            let closed: Bool
        }

        struct BidView {
            let id: Int64
            let project: String
            let lead: String
            let pot: String?
            let requested: String
            let totalCost: String?
            let round: String?
            let submitted: String
            let priorities: String?
            let review: [String]
            let decision: String?
            let decisionClass: String?
            let decisionDetail: String?
            let approvedAmount: String?
            let extensions: String?
            let outcomes: String?
            let undecided: Bool
            let approved: Bool
            let version: Int
        }

        let id: Int64
        let name: String
        let year: String
        let funder: String
        let recipient: String
        let on: String
        let allocated: String
        let rounding: String?
        let requested: String
        let approved: String
        let remaining: String
        let returned: String?
        let pots: [PotView]
        let bids: [BidView]
        let mayManage: Bool
        let potOptions: [Option]
        let decisions: [Option]
        let deciders: [Option]
        let today: String
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        var on = today
        if let text = request.uri.queryParameters["on"] {
            guard let date = CalendarDate(iso: String(text)) else { throw AppError.invalid([FieldIssue("on", "on must be a date like 2023-03-21")]) }
            on = date
        }
        return try await showPage(try APIRoutes.id(context), context, on: on)
    }

    private func showPage(_ id: Int64, _ context: AppRequestContext, on date: CalendarDate? = nil, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let date = date ?? today
        let data = try await FundingData.load(services, id: id)
        let balances = FundingRules.balances(data.allocation, pots: data.pots, bids: data.bids, on: date)
        let potNames = Dictionary(uniqueKeysWithValues: data.pots.map { ($0.id, $0.name) })
        let model = ShowModel(
            id: id, name: data.allocation.name, year: data.allocation.financialYear, funder: data.allocation.funder, recipient: data.allocation.recipient,
            on: date.long, allocated: balances.allocated.description, rounding: balances.rounding.value == 0 ? nil : balances.rounding.description,
            requested: balances.requested.description, approved: balances.approved.description, remaining: balances.remaining.description,
            returned: balances.returned?.description,
            pots: data.pots.map { pot in
                ShowModel.PotView(id: pot.id, name: pot.name, amount: pot.amount.description,
                                  window: [pot.opensOn.map { "opens \($0.long)" }, pot.closesOn.map { "closes \($0.long)" },
                                           pot.afterPotId.flatMap { potNames[$0] }.map { "after \($0)" }].compactMap { $0 }.joined(separator: ", "),
                                  available: FundingRules.available(pot, pots: data.pots, bids: data.bids, on: date).description,
                                  closed: FundingRules.isClosed(pot, pots: data.pots, bids: data.bids, on: date))
            },
            bids: data.bids.map { bid in
                ShowModel.BidView(
                    id: bid.id, project: bid.project, lead: bid.leadPartner, pot: bid.potId.flatMap { potNames[$0] }, requested: bid.requested.description,
                    totalCost: bid.totalCost?.description, round: bid.round, submitted: bid.submittedOn.long,
                    priorities: bid.priorities.isEmpty ? nil : bid.priorities.joined(separator: ", "),
                    review: bid.review.map { "\($0.criterion): \($0.met ? "met" : "not met")" + ($0.note.map { " (\($0))" } ?? "") },
                    decision: bid.decision?.rawValue.capitalized, decisionClass: bid.decision.map { $0 == .approved ? "green" : "red" },
                    decisionDetail: bid.decision.map { _ in [bid.decidedBy?.label, bid.decidedOn?.long, bid.decisionReason].compactMap { $0 }.joined(separator: ", ") },
                    approvedAmount: bid.decision == .approved ? bid.approvedAmount.description : nil,
                    extensions: bid.extensions.isEmpty ? nil : bid.extensions.map(\.description).joined(separator: ", "), outcomes: bid.outcomes,
                    undecided: bid.decision == nil, approved: bid.decision == .approved, version: bid.version)
            },
            mayManage: AccessPolicy.may(principal, .manageFunding),
            potOptions: data.pots.map { Option(value: String($0.id), label: $0.name, selected: false) },
            decisions: BidDecision.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            deciders: DecisionMaker.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) }, today: today.iso)
        return try await services.page("funding/show", context, title: "\(data.allocation.name) \(data.allocation.financialYear)", page: model, errors: errors)
    }

    private func change(_ request: Request, _ context: AppRequestContext, staleField: String,
                        _ body: @escaping (Form, Int64) async throws -> Void) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        let id = try APIRoutes.id(context)
        _ = try await FundingData.load(services, id: id)
        return try await Form.post(request, context, success: "/funding/\(id)", staleField: staleField) { form in
            try await body(form, id)
        } refused: { _, issues in
            try await showPage(id, context, errors: issues)
        }
    }

    func addPot(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "potName") { form, id in
            var v = Validator()
            let opens = v.date(form["opensOn"], field: "opensOn", label: "the opening date")
            let closes = v.date(form["closesOn"], field: "closesOn", label: "the closing date")
            try v.check()
            let amount = try FundingRules.pence(form["potAmount"], field: "potAmount", label: "the pot's amount")!
            try await services.funding.addPot(allocationId: id, name: form["potName"] ?? "", amount: amount, opensOn: opens, closesOn: closes,
                                              afterPotId: form.int64("afterPotId"), audit: context.audit)
        }
    }

    func addBid(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context, staleField: "project") { form, id in
            var v = Validator()
            let submitted = v.date(form["submittedOn"], field: "submittedOn", label: "the date submitted", required: true)
            try v.check()
            let requested = try FundingRules.pence(form["requested"], field: "requested", label: "the amount requested")!
            let total = try FundingRules.pence(form["totalCost"], field: "totalCost", label: "the total project cost", required: false)
            try await services.funding.addBid(Bid(id: 0, allocationId: id, potId: form.int64("potId"), project: form["project"] ?? "",
                                                  leadPartner: form["leadPartner"] ?? "", requested: requested, totalCost: total,
                                                  round: form["round"].flatMap { $0.isEmpty ? nil : $0 }, submittedOn: submitted!,
                                                  priorities: (form["priorities"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                                                      .filter { !$0.isEmpty }), audit: context.audit)
        }
    }

    /// The team's review: one line per criterion, "criterion: met" or "criterion: not met".
    func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bidId = try bidId(context)
        return try await change(request, context, staleField: "review") { form, _ in
            let review = (form["review"] ?? "").split(separator: "\n").map { line -> CriterionReview in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return CriterionReview(criterion: parts[0], met: parts.count > 1 && !parts[1].lowercased().hasPrefix("not"))
            }.filter { !$0.criterion.isEmpty }
            try await services.funding.review(bidId: bidId, expectedVersion: try form.version(), review, audit: context.audit)
        }
    }

    func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bidId = try bidId(context)
        return try await change(request, context, staleField: "decision") { form, _ in
            var v = Validator()
            let on = v.date(form["decidedOn"], field: "decidedOn", label: "the date of the decision", required: true)
            guard let decision = BidDecision(rawValue: form["decision"] ?? "") else {
                throw ValidationError(field: "decision", "Choose approved, declined or withdrawn")
            }
            try v.check()
            try await services.funding.decide(bidId: bidId, expectedVersion: try form.version(), decision,
                                              reason: form["decisionReason"].flatMap { $0.isEmpty ? nil : $0 },
                                              decidedBy: DecisionMaker(rawValue: form["decidedBy"] ?? ""), on: on!, audit: context.audit)
        }
    }

    func extend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bidId = try bidId(context)
        return try await change(request, context, staleField: "extension") { form, _ in
            let amount = try FundingRules.pence(form["extension"], field: "extension", label: "the extension")!
            try await services.funding.extend(bidId: bidId, expectedVersion: try form.version(), by: amount, on: today, audit: context.audit)
        }
    }

    func reportOutcomes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bidId = try bidId(context)
        return try await change(request, context, staleField: "outcomes") { form, _ in
            try await services.funding.reportOutcomes(bidId: bidId, form["outcomes"] ?? "", audit: context.audit)
        }
    }

    // MARK: The year-end report

    /// The "distribution of grant funding" as CSV: every bid with its decision and amount.
    func reportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let data = try await FundingData.load(services, id: try APIRoutes.id(context))
        let potNames = Dictionary(uniqueKeysWithValues: data.pots.map { ($0.id, $0.name) })
        var csv = CSV.line(["Project", "Lead partner", "Pot", "Round", "Submitted", "Requested", "Decision", "Decided by", "Decided on", "Reason", "Approved",
                            "CSA priorities"])
        for bid in data.bids {
            csv += CSV.line([bid.project, bid.leadPartner, bid.potId.flatMap { potNames[$0] } ?? "", bid.round ?? "", bid.submittedOn.iso,
                             String(format: "%.2f", Double(bid.requested.value) / 100), bid.decision?.rawValue ?? "pending", bid.decidedBy?.label ?? "",
                             bid.decidedOn?.iso ?? "", bid.decisionReason ?? "", String(format: "%.2f", Double(bid.approvedAmount.value) / 100),
                             bid.priorities.joined(separator: "; ")])
        }
        return CSV.response(csv, classification: .official,
                            filename: "grant-funding-\(data.allocation.financialYear.replacingOccurrences(of: "/", with: "-")).csv")
    }

    /// Approved grants in the 360Giving Data Standard's JSON (https://standard.threesixtygiving.org): one grant per
    /// approved bid, amounts in pounds.
    func threeSixtyGiving(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.readMeetings, context)
        let data = try await FundingData.load(services, id: try APIRoutes.id(context))
        struct Organisation: Encodable { let id: String; let name: String }
        struct Grant: Encodable {
            let id: String
            let title: String
            let description: String
            let currency: String
            let amountAwarded: Double
            let awardDate: String
            let recipientOrganization: [Organisation]
            let fundingOrganization: [Organisation]
        }
        func orgId(_ name: String) -> String {
            "GB-CONCORD-" + name.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
        }
        let grants = data.bids.filter { $0.decision == .approved }.map { bid in
            Grant(id: "360G-concord-\(data.allocation.id)-\(bid.id)", title: bid.project,
                  description: ([bid.round].compactMap { $0 } + (bid.outcomes.map { [$0] } ?? [])).joined(separator: ". "),
                  currency: "GBP", amountAwarded: Double(bid.approvedAmount.value) / 100, awardDate: bid.decidedOn?.iso ?? bid.submittedOn.iso,
                  recipientOrganization: [Organisation(id: orgId(bid.leadPartner), name: bid.leadPartner)],
                  fundingOrganization: [Organisation(id: orgId(data.allocation.funder), name: data.allocation.funder)])
        }
        return try APIRoutes.json(["grants": grants])
    }

    // MARK: Contributions

    struct ContributionsModel {
        struct Row {
            let id: Int64
            let partner: String
            let purpose: String
            let year: String
            let expected: String
            let received: String
            let outstanding: String?
        }

        let rows: [Row]
        let totals: [String]
        let mayManage: Bool
        let today: String
    }

    func contributions(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await contributionsPage(context)
    }

    private func contributionsPage(_ context: AppRequestContext, errors: [FieldIssue] = []) async throws -> Response {
        let principal = try await services.require(.readMeetings, context)
        let all = try await services.funding.contributions()
        let groups = Dictionary(grouping: all) { "\($0.purpose), \($0.financialYear)" }
        let model = ContributionsModel(
            rows: all.map { c in
                ContributionsModel.Row(id: c.id, partner: c.partner, purpose: c.purpose, year: c.financialYear, expected: c.expected.description,
                                       received: c.received.description, outstanding: c.received < c.expected ? (c.expected - c.received).description : nil)
            },
            totals: groups.keys.sorted().map { key in
                let group = groups[key]!
                return "\(key): expected \(group.map(\.expected).reduce(.zero, +)), received \(group.map(\.received).reduce(.zero, +))"
            },
            mayManage: AccessPolicy.may(principal, .manageFunding), today: today.iso)
        return try await services.page("funding/contributions", context, title: "Partner contributions", page: model, errors: errors)
    }

    func addContribution(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        return try await Form.post(request, context, success: "/funding/contributions", staleField: "partner") { form in
            let expected = try FundingRules.pence(form["expected"], field: "expected", label: "the amount expected")!
            try await services.funding.addContribution(partner: form["partner"] ?? "", purpose: form["purpose"] ?? "",
                                                       financialYear: form["financialYear"] ?? "", expected: expected, audit: context.audit)
        } refused: { _, issues in
            try await contributionsPage(context, errors: issues)
        }
    }

    func recordReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.manageFunding, context)
        let id = try APIRoutes.id(context)
        return try await Form.post(request, context, success: "/funding/contributions", staleField: "received") { form in
            var v = Validator()
            let on = v.date(form["receivedOn"], field: "receivedOn", label: "the date received", required: true)
            try v.check()
            let amount = try FundingRules.pence(form["received"], field: "received", label: "the amount received")!
            try await services.funding.recordReceipt(contributionId: id, amount: amount, on: on!, audit: context.audit)
        } refused: { _, issues in
            // Each outstanding contribution has its own receipt form: the errors point at this one's fields.
            let rowFields = ["received": "r-\(id)", "receivedOn": "ron-\(id)"]
            return try await contributionsPage(context, errors: issues.map { FieldIssue(rowFields[$0.field] ?? $0.field, $0.message) })
        }
    }
}
