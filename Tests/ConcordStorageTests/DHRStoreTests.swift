import ConcordDomain
import ConcordStorage
import Foundation
import Testing

private func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite struct DHRStoreTests {
    @Test(arguments: TestEngine.available)
    func aReviewIsSeenOnlyByTheTeamAndItsPanelAndMovesStageByStage(_ engine: TestEngine) async throws {
        let db = try await engine.makeDatabase()
        defer { Task { await db.close() } }
        let council = try await StorageTests.agency(db, "Kent County Council")
        let police = try await StorageTests.agency(db, "Kent Police", .police)
        let fire = try await StorageTests.agency(db, "Kent Fire and Rescue Service", .fireAndRescue)
        func user(_ agency: Agency, _ email: String, _ role: Role) async throws -> Principal {
            Principal(try await UserStore(database: db).create(UserInput(email: email, displayName: email, agencyId: agency.id, roles: [role]),
                                                               passwordHash: "x", audit: .commandLine))
        }
        let team = try await user(council, "dhr@kcc.test", .dhrOfficer)
        let second = try await user(council, "dhr2@kcc.test", .dhrOfficer)
        let policeLead = try await user(police, "dhr@police.test", .dhrOfficer)
        let fireLead = try await user(fire, "dhr@fire.test", .dhrOfficer)
        let policeCaseOfficer = try await user(police, "asb@police.test", .caseOfficer)
        func filter(_ p: Principal) -> VisibilityFilter { AccessPolicy.visibilityFilter(for: p, agreements: [], on: day("2026-11-30")) }
        func audit(_ p: Principal) -> AuditContext { AuditContext(p, requestId: "t", clientAddress: nil) }
        let store = DHRStore(database: db)
        let id = try await store.notify(DHRStore.Notification(pseudonym: "Adult Z", cspArea: "Ashford", notifiedOn: day("2026-01-05"),
                                                              panelAgencyIds: [police.id]), principal: team, audit: audit(team))
        #expect(try await store.reviews(filter: filter(team), audit: audit(team)).map(\.caseId) == [id])
        #expect(try await store.reviews(filter: filter(policeLead), audit: audit(policeLead)).map(\.caseId) == [id])
        #expect(try await store.reviews(filter: filter(fireLead), audit: audit(fireLead)).isEmpty)
        #expect(try await store.reviews(filter: filter(policeCaseOfficer), audit: audit(policeCaseOfficer)).isEmpty)
        #expect(try await CaseStore(database: db).count(filter: filter(fireLead), caseType: .dhr) == 0)

        // Stages run in order; skipping one, or a decision without its outcome, is refused.
        await #expect(throws: ValidationError.self) {
            try await store.advance(caseId: id, expectedVersion: 1, to: .panel, on: day("2026-01-20"), outcome: nil, note: nil, filter: filter(team), audit: audit(team))
        }
        await #expect(throws: ValidationError.self) {
            try await store.advance(caseId: id, expectedVersion: 1, to: .decided, on: day("2026-01-20"), outcome: "not-commissioned", note: " ",
                                    filter: filter(team), audit: audit(team))
        }
        try await store.advance(caseId: id, expectedVersion: 1, to: .decided, on: day("2026-02-20"), outcome: "commissioned", note: nil, filter: filter(team),
                                audit: audit(team))
        var review = try #require(try await store.review(caseId: id, filter: filter(team), audit: audit(team)))
        let clocks = DHRRules.clocks(for: review, decisionMonths: 1, completionMonths: 6)
        #expect(clocks.map(\.due) == [day("2026-02-05"), day("2026-08-20")] && clocks[0].met == day("2026-02-20"))
        #expect(review.stage == .decided && review.isCommissioned == true)

        // The fire service joins the panel when an action is asked of it, and updates only its own action.
        let action = try await store.addAction(caseId: id, recommendation: "Home fire safety visits should ask about abuse", agencyId: fire.id,
                                               action: "Add a question to the visit script", dueOn: day("2026-06-30"), filter: filter(team), audit: audit(team))
        let policeAction = try await store.addAction(caseId: id, recommendation: "Check previous reports", agencyId: police.id, action: "Update the checklist",
                                                     dueOn: day("2026-06-30"), filter: filter(team), audit: audit(team))
        #expect(try await store.reviews(filter: filter(fireLead), audit: audit(fireLead)).map(\.caseId) == [id])
        await #expect(throws: AccessDeniedError.self) {
            try await store.addUpdate(actionId: policeAction, expectedVersion: 1, on: day("2026-05-01"), text: "Done", evidence: "x", complete: true,
                                      principal: fireLead, filter: filter(fireLead), audit: audit(fireLead))
        }
        let refusals = try await AuditLog(database: db).search(AuditQuery(action: .permissionDenied, recordType: "dhr-action",
                                                                           recordId: String(policeAction))).items
        #expect(refusals.count == 1 && refusals.first?.record.context.userId == fireLead.userId)
        await #expect(throws: ValidationError.self) {
            try await store.addUpdate(actionId: action, expectedVersion: 1, on: day("2026-05-01"), text: "Done", evidence: nil, complete: true,
                                      principal: fireLead, filter: filter(fireLead), audit: audit(fireLead))
        }
        try await store.addUpdate(actionId: action, expectedVersion: 1, on: day("2026-05-01"), text: "Question added", evidence: "Visit script v3",
                                  complete: true, principal: fireLead, filter: filter(fireLead), audit: audit(fireLead))
        let actions = try await store.actions(caseId: id, filter: filter(team))
        let ladder = DHRRules.ladder("DHR officer, agency lead, steering group, chair")
        #expect(DHRRules.escalation(of: actions.first { $0.id == policeAction }!, ladder: ladder, stepDays: 14, today: day("2026-07-20")) == "agency lead")
        #expect(DHRRules.escalation(of: actions.first { $0.id == action }!, ladder: ladder, stepDays: 14, today: day("2026-07-20")) == nil)

        // Sign-off with an open action needs a reason and a second person.
        for stage in [DHRStage.chairAppointed, .panel, .overviewReport, .completed, .qualityAssurance, .published, .sentToCommissioner, .actionPlanMonitored] {
            review = try #require(try await store.review(caseId: id, filter: filter(team), audit: audit(team)))
            let outcome = stage == .qualityAssurance ? "accepted" : nil
            let note = stage == .chairAppointed ? "Chair" : stage == .published ? "https://example.gov.uk/dhr" : nil
            try await store.advance(caseId: id, expectedVersion: review.version, to: stage, on: day("2026-09-01"), outcome: outcome, note: note,
                                    filter: filter(team), audit: audit(team))
        }
        review = try #require(try await store.review(caseId: id, filter: filter(team), audit: audit(team)))
        await #expect(throws: ValidationError.self) {
            try await store.signOff(caseId: id, expectedVersion: review.version, on: day("2026-10-01"), overrideReason: "Superseded", confirmedBy: team.userId,
                                    filter: filter(team), audit: audit(team))
        }
        try await store.signOff(caseId: id, expectedVersion: review.version, on: day("2026-10-01"), overrideReason: "Superseded by a national change",
                                confirmedBy: second.userId, filter: filter(team), audit: audit(team))
        #expect(try await store.review(caseId: id, filter: filter(team), audit: audit(team))?.stage == .signedOff)
    }
}
