import Foundation

/// The rules of a Domestic Homicide Review: stages in order, the clocks (decision to commission within a month of
/// notification, completion within six months of the decision: statutory guidance, settings dhr.decisionMonths and
/// dhr.completionMonths; the Domestic Abuse Commissioner's recommendations answered within 56 days: Domestic
/// Abuse Act 2021 s.16), escalation of late action updates, and sign-off.
public enum DHRRules {
    /// The stage a review may move to from `current`: the next one, except that a review not commissioned stops
    /// at the decision, and quality assurance may be repeated (a resubmission).
    public static func checkMove(from current: DHRStage, to next: DHRStage, isCommissioned: Bool?) throws(ValidationError) {
        if current == .decided, isCommissioned == false {
            throw ValidationError(field: "stage", "The review was not commissioned: it goes no further")
        }
        if next == current, next == .qualityAssurance { return }
        guard let expected = DHRStage.allCases.first(where: { $0 > current }), next == expected else {
            let expected = DHRStage.allCases.first(where: { $0 > current })
            throw ValidationError(field: "stage", "Stages run in order: after “\(current.label)” comes “\(expected?.label ?? "nothing")”, not “\(next.label)”")
        }
    }

    /// What a stage needs recorded with it.
    public static func checkDetails(_ stage: DHRStage, outcome: String?, note: String?) throws(ValidationError) {
        switch stage {
        case .decided:
            guard let outcome, ["commissioned", "not-commissioned"].contains(outcome) else {
                throw ValidationError(field: "outcome", "Record whether the review was commissioned")
            }
            if outcome == "not-commissioned", (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError(field: "note", "Give the reason the review was not commissioned")
            }
        case .chairAppointed:
            if (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError(field: "note", "Name the independent chair") }
        case .qualityAssurance:
            guard let outcome, ["accepted", "resubmit"].contains(outcome) else {
                throw ValidationError(field: "outcome", "Record the Home Office panel's outcome: accepted or resubmit")
            }
        case .published:
            guard let note, note.hasPrefix("https://") else { throw ValidationError(field: "note", "Give the address the anonymised report is published at") }
        default: break
        }
    }

    public struct Clock: Sendable, Equatable {
        public let name: String
        public let due: CalendarDate
        public let met: CalendarDate?

        public func isOverdue(today: CalendarDate) -> Bool { met == nil && today > due }
    }

    /// The review's clocks: decision (calendar months from notification), completion (months from the decision)
    /// and the response to the Commissioner's recommendations (56 days).
    public static func clocks(for review: DHRReview, decisionMonths: Int, completionMonths: Int) -> [Clock] {
        var clocks = [Clock(name: "Decision to commission", due: review.notifiedOn.adding(months: decisionMonths), met: review.reached(.decided)?.on)]
        if let decided = review.reached(.decided), review.isCommissioned == true {
            clocks.append(Clock(name: "Completion", due: decided.on.adding(months: completionMonths), met: review.reached(.completed)?.on))
        }
        if let received = review.commissionerRecommendationsOn {
            clocks.append(Clock(name: "Response to the Domestic Abuse Commissioner", due: received.adding(days: 56),
                                met: review.commissionerResponseOn))
        }
        return clocks
    }

    /// How many rungs of the escalation ladder a late action has climbed (0: none). An action is late when it is
    /// past due and open, or when no update has come for `stepDays`; it reaches the first rung then, and each
    /// further `stepDays` climbs one more, up to the top.
    public static func escalationLevel(of action: DHRAction, rungs: Int, stepDays: Int, today: CalendarDate) -> Int {
        guard action.completedOn == nil, rungs > 0 else { return 0 }
        let lastHeard = action.updates.map(\.on).max()
        let overdueSince = today > action.dueOn ? action.dueOn : nil
        let silentSince = lastHeard.map { $0.adding(days: stepDays) }.flatMap { today > $0 ? $0 : nil }
        guard let since = [overdueSince, silentSince].compactMap({ $0 }).min() else { return 0 }
        return min(rungs, since.days(to: today) / max(stepDays, 1) + 1)
    }

    /// The rung a late action is with, by name.
    public static func escalation(of action: DHRAction, ladder: [String], stepDays: Int, today: CalendarDate) -> String? {
        let level = escalationLevel(of: action, rungs: ladder.count, stepDays: stepDays, today: today)
        return level > 0 ? ladder[level - 1] : nil
    }

    /// A review is signed off when every action is complete, or with an override that gives its reason and is
    /// confirmed by a second person.
    public static func checkSignOff(actions: [DHRAction], overrideReason: String?, requestedBy: Int64?, confirmedBy: Int64?) throws(ValidationError) {
        let open = actions.filter { $0.completedOn == nil }
        guard !open.isEmpty else { return }
        guard let reason = overrideReason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
            throw ValidationError(field: "overrideReason", "\(open.count) action\(open.count == 1 ? " is" : "s are") still open: complete them, or give the reason to sign off regardless")
        }
        guard let confirmedBy, confirmedBy != requestedBy else {
            throw ValidationError(field: "confirmedBy", "Signing off with open actions needs a second person to confirm")
        }
    }

    /// Reads the ladder setting: rung names separated by commas.
    public static func ladder(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
