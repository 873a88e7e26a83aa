import ConcordDomain
import Foundation

/// Illustrative Domestic Homicide Reviews. The packs take DHRs only in restricted session and name no case, so
/// these four are the demo's own, anonymised as the reports are ("Adult A"): one signed off, one whose action plan
/// is being monitored with a late action, one not commissioned, one at its panel stage. The lessons' themes are
/// those the partnership has drawn (young people, carers, suicide, harmful practices); the seminar's attendance and
/// rating are illustrative.
enum DemoDHR {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    static func load(into database: ConcordDatabase, agencies: [String: Int64], dhrOfficer: Int64) async throws {
        let store = DHRStore(database: database)
        let audit = AuditContext(userId: dhrOfficer, agencyId: agencies["Kent County Council"], requestId: "demo", clientAddress: nil)
        let team = Principal(userId: dhrOfficer, agencyId: agencies["Kent County Council"]!, roles: [.dhrOfficer], displayName: "Demo")
        let filter = AccessPolicy.visibilityFilter(for: team, agreements: [], on: CalendarDate(Date()))
        let panel: Set<Int64> = [agencies["Kent Police"]!, agencies["NHS Kent and Medway Integrated Care Board"]!, agencies["Probation Service"]!]
        func review(_ name: String, _ area: String, _ notified: String, through stages: [(DHRStage, String, String?, String?)]) async throws -> Int64 {
            let id = try await store.notify(DHRStore.Notification(pseudonym: name, cspArea: area, notifiedOn: day(notified), panelAgencyIds: panel),
                                            principal: team, audit: audit)
            for (index, stage) in stages.enumerated() {
                try await store.advance(caseId: id, expectedVersion: index + 1, to: stage.0, on: day(stage.1), outcome: stage.2, note: stage.3,
                                        filter: filter, audit: audit)
            }
            return id
        }
        let throughPublication: [(DHRStage, String, String?, String?)] = [
            (.decided, "2021-05-20", "commissioned", nil), (.chairAppointed, "2021-06-15", nil, "Independent chair (demo)"),
            (.panel, "2021-07-20", nil, "IMRs and chronologies requested from six agencies"), (.overviewReport, "2021-11-30", nil, nil),
            (.completed, "2022-01-10", nil, nil), (.qualityAssurance, "2022-05-12", "resubmit", "The panel asked for more on the family's voice"),
            (.qualityAssurance, "2022-08-04", "accepted", nil),
            (.published, "2022-09-01", nil, "https://www.kent.gov.uk/about-the-council/partnerships/kent-community-safety-partnership/domestic-homicide-reviews"),
            (.sentToCommissioner, "2022-09-02", nil, nil), (.actionPlanMonitored, "2022-10-20", nil, "Commissioner's recommendations answered"),
        ]
        let adultA = try await review("Adult A", "Maidstone", "2021-04-26", through: throughPublication)
        try await store.recordCommissioner(caseId: adultA, recommendationsOn: day("2022-09-20"), responseOn: day("2022-10-20"), filter: filter, audit: audit)
        let done = try await store.addAction(caseId: adultA, recommendation: "Agencies should ask about domestic abuse routinely when carers are assessed",
                                             agencyId: agencies["Kent County Council"]!, action: "Add routine enquiry to the carer's assessment",
                                             dueOn: day("2023-03-31"), filter: filter, audit: audit)
        try await store.addUpdate(actionId: done, expectedVersion: 1, on: day("2023-03-20"), text: "Routine enquiry added to the assessment form",
                                  evidence: "Carer's assessment form v4, section 7", complete: true, principal: team, filter: filter, audit: audit)
        try await store.signOff(caseId: adultA, expectedVersion: 12, on: day("2023-04-18"), overrideReason: nil, confirmedBy: nil, filter: filter, audit: audit)

        let adultB = try await review("Adult B", "Thanet", "2022-02-14", through: throughPublication.map { ($0.0, shift($0.1), $0.2, $0.3) })
        try await store.recordCommissioner(caseId: adultB, recommendationsOn: day("2023-09-20"), responseOn: day("2023-10-20"), filter: filter, audit: audit)
        try await store.addAction(caseId: adultB, recommendation: "GP practices should record and share concerns about coercive control",
                                  agencyId: agencies["NHS Kent and Medway Integrated Care Board"]!, action: "Issue guidance to GP practices and audit its use",
                                  dueOn: CalendarDate(Date()).adding(days: -40), filter: filter, audit: audit)
        let police = try await store.addAction(caseId: adultB, recommendation: "Officers should check for previous reports before closing a domestic incident",
                                               agencyId: agencies["Kent Police"]!, action: "Update the domestic abuse investigation checklist",
                                               dueOn: CalendarDate(Date()).adding(days: 60), filter: filter, audit: audit)
        try await store.addUpdate(actionId: police, expectedVersion: 1, on: CalendarDate(Date()).adding(days: -10), text: "Checklist revised; in consultation",
                                  evidence: nil, complete: false, principal: team, filter: filter, audit: audit)

        _ = try await review("Adult C", "Swale", "2024-01-08", through: [
            (.decided, "2024-02-02", "not-commissioned", "The death did not meet the criteria for a review under section 9 of the 2004 Act"),
        ])
        _ = try await review("Adult D", "Dartford and Gravesham", CalendarDate(Date()).adding(days: -70).iso, through: [
            (.decided, CalendarDate(Date()).adding(days: -45).iso, "commissioned", nil),
            (.chairAppointed, CalendarDate(Date()).adding(days: -30).iso, nil, "Independent chair (demo)"),
            (.panel, CalendarDate(Date()).adding(days: -10).iso, nil, nil),
        ])

        for (theme, text) in [("Young people", "Teenage relationship abuse was not recognised as domestic abuse by the services that saw it."),
                              ("Carers", "Carer's assessments did not ask about abuse by the person cared for."),
                              ("Suicide", "Domestic abuse was not explored when the victim presented with suicidal thoughts."),
                              ("Harmful practices", "Professionals lacked confidence to ask about honour-based abuse.")] {
            try await store.addLesson(DHRLesson(caseId: adultA, theme: theme, text: text), audit: audit)
        }
        try await store.addBriefing(DHRBriefing(title: "Lessons Learned Seminar", heldOn: day("2023-06-14"), themes: ["Carers", "Suicide"], attendance: 112,
                                                rating: 4.4), audit: audit)
    }

    /// The second review's dates run a year after the first's.
    static func shift(_ iso: String) -> String { day(iso).adding(months: 12).iso }
}
