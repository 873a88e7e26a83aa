import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A demo-less store with one agency per need and a user per role, and a router over it.
struct WebFixture {
    let database: ConcordDatabase
    let app: Application<RouterResponder<AppRequestContext>>
    let tokens: [Role: String]
    /// A signed-in browser session per role: the cookie token and its CSRF token.
    let sessions: [Role: (token: String, csrf: String)]
    let hiddenCaseId: Int64
    let ownCaseId: Int64
    /// A full ASB case (spine and detail) owned by the council.
    let asbCaseId: Int64
    /// A MARAC area at which the council is represented, one of its meetings, and a case referred there.
    let maracAreaId: Int64
    let meetingId: Int64
    let maracCaseId: Int64
    let councilId: Int64
    /// A published partnership meeting with one public item (B1), one restricted item (D1, readable by DHR officers)
    /// and one minute; the partnership member's person record sits on the body.
    let governanceMeetingId: Int64
    let governanceMinuteId: Int64
    let publicMeetingId: String
    /// An agreement with a priority, a theme, one action led by the council and one by the police, and a
    /// percentage measure reported by financial year.
    let agreementId: Int64
    let councilActionId: Int64
    let policeActionId: Int64
    let measureId: Int64
    /// A £10,000 grant with a £6,000 pot and one undecided £5,000 bid on it.
    let allocationId: Int64
    let potId: Int64
    let bidId: Int64
    /// A review owned by the council's DHR team, just notified.
    let dhrId: Int64
    static let password = "correct kettle lantern"

    static func make() async throws -> WebFixture {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString).sqlite").path
        let database = try await ConcordDatabase.open(url: "sqlite://" + path)
        try await Migrator(database: database).migrate()
        let directory = DirectoryStore(database: database)
        let council = try await directory.createAgency(AgencyInput(name: "Council", kind: .council, isResponsibleAuthority: true), audit: .commandLine)
        let police = try await directory.createAgency(AgencyInput(name: "Police", kind: .police, isResponsibleAuthority: true), audit: .commandLine)
        let hash = try await PasswordHashing.hash(password, cost: 4)
        var tokens: [Role: String] = [:]
        var sessions: [Role: (token: String, csrf: String)] = [:]
        var principals: [Role: Principal] = [:]
        for role in Role.allCases {
            let user = try await UserStore(database: database).create(
                UserInput(email: "\(role.rawValue)@test.gov.uk", displayName: role.label, agencyId: council.id, roles: [role]),
                passwordHash: hash, audit: .commandLine)
            tokens[role] = try await APITokenStore(database: database).create(userId: user.id, name: "t", audit: .commandLine).secret
            let session = try await SessionStore(database: database).create(userId: user.id, clientAddress: nil,
                                                                            absoluteLifetime: .seconds(3_600))
            sessions[role] = (session.token, session.csrfToken)
            principals[role] = Principal(user)
        }
        let cases = CaseStore(database: database)
        let hidden = try await cases.create(CaseInput(caseType: .asb, title: "Police only", owningAgencyId: police.id, sharedWith: [],
                                                      classification: .officialSensitive, isRestricted: false), createdBy: nil, audit: .commandLine)
        let own = try await cases.create(CaseInput(caseType: .asb, title: "Council", owningAgencyId: council.id, sharedWith: [],
                                                   classification: .officialSensitive, isRestricted: false), createdBy: nil, audit: .commandLine)
        let today = CalendarDate(Date())
        let asb = try await ASBStore(database: database).create(ASBCaseInput(
            record: CaseInput(caseType: .asb, title: "Noise", owningAgencyId: council.id, sharedWith: [], classification: .officialSensitivePersonal,
                              isRestricted: false),
            districtId: nil, leadOfficerId: nil, risk: .standard,
            complainant: PartyInput(role: .complainant, name: "Amy", address: nil, postcode: nil, phone: nil, email: nil, contactPreference: nil,
                                    isVulnerable: false, vulnerabilityNotes: nil),
            perpetrator: PartyInput(role: .perpetrator, name: nil, address: nil, postcode: nil, phone: nil, email: nil, contactPreference: nil,
                                    isVulnerable: false, vulnerabilityNotes: nil),
            incident: IncidentInput(details: IncidentDetails(occurredOn: today, occurredAt: nil, address: nil, postcode: nil, ward: nil,
                                                             districtId: nil, category: .nuisance, isHateMotivated: false, description: "Music"),
                                    channel: .phone, reportedOn: today, reportingAgencyId: council.id, reference: nil)),
            createdBy: nil, audit: .commandLine)
        let marac = MARACStore(database: database)
        let areaId = try await marac.saveArea(id: nil, expectedVersion: nil, name: "West Kent", frequency: .weekly,
                                              firstMeetingOn: today.adding(days: -28), adultFemalePopulation: 100_000, districtIds: [],
                                              audit: .commandLine)
        try await marac.represent(areaId: areaId, agencyId: council.id, pointOfContactUserId: principals[.caseOfficer]!.userId, audit: .commandLine)
        let meeting = try await marac.meetings(areaId: areaId, from: today, to: today.adding(days: 14))[0]
        let coordinator = principals[.maracCoordinator]!
        let maracCase = try await marac.refer(
            ReferralInput(areaId: areaId, victimName: "Jane Doe", victimDateOfBirth: nil, contact: VictimContact(address: "1 Safe Street"),
                          diversity: VictimDiversity(), perpetrators: [NamedPerson(name: "John Doe", age: 30)], children: [],
                          referringAgencyId: council.id, referringOfficer: "IDVA", referredOn: today,
                          checklist: RiskChecklist(answers: Array(repeating: .yes, count: 24)), professionalJudgement: nil,
                          incidentsInLast12Months: 0, isComplex: true),
            principal: coordinator, settings: MARACStore.ReferralSettings(SettingValues()),
            calendar: try await CalendarStore(database: database).calendar(), audit: .commandLine)
        let governance = GovernanceStore(database: database)
        let body = try await directory.createBody(name: "Test Partnership", kind: .partnership, parentId: nil, audit: .commandLine)
        let member = try await directory.createPerson(Person(id: 0, name: "Mel Member", email: "partnership-member@test.gov.uk"), audit: .commandLine)
        try await directory.addMembership(bodyId: body.id, personId: member.id, role: .member, representing: nil, from: nil, audit: .commandLine)
        let governanceMeeting = try await governance.saveMeeting(
            id: nil, expectedVersion: nil, MeetingInput(bodyId: body.id, heldOn: today.adding(days: 7), startsAt: "10:00", venue: "Darent Room"),
            audit: .commandLine)
        try await governance.addItem(meetingId: governanceMeeting, AgendaItemInput(section: .discussion, title: "Community Trigger criteria", kind: .report,
                                                                                  pageCount: 6), audit: .commandLine)
        try await governance.addItem(meetingId: governanceMeeting,
                                     AgendaItemInput(section: .restricted, title: "Domestic Homicide Review of Case Q", kind: .tabled,
                                                     restriction: Restriction(paragraph: .individual, reason: "Information about the family",
                                                                              audience: [.dhrOfficer])), audit: .commandLine)
        try await governance.publishAgenda(meetingId: governanceMeeting, expectedVersion: 1, audit: .commandLine)
        let minute = try await governance.addMinute(meetingId: governanceMeeting, MinuteInput(title: "Apologies"), audit: .commandLine)
        let publicId = try await governance.meeting(id: governanceMeeting)!.publicId
        let strategy = StrategyStore(database: database)
        let agreementId = try await strategy.createAgreement(title: "Test CSA", startsOn: CalendarDate(year: 2023, month: 4, day: 1)!, endsOn: nil,
                                                             audit: .commandLine)
        let theme = try await strategy.addTopic(Topic(id: 0, agreementId: agreementId, kind: .theme, name: "Early intervention",
                                                      lineage: [LineageEvent(kind: .created, year: 2023)]), audit: .commandLine)
        let priority = try await strategy.addTopic(Topic(id: 0, agreementId: agreementId, kind: .priority, name: "Domestic Abuse", leadRole: "Chair",
                                                         lineage: [LineageEvent(kind: .created, year: 2023)]), audit: .commandLine)
        let aim = try await strategy.addAim(agreementId: agreementId, priorityId: priority, number: nil, text: "Support victims", audit: .commandLine)
        let councilAction = try await strategy.addAction(aimId: aim, text: "Council action", leadAgencyId: council.id, timescale: .ongoing, themeIds: [theme],
                                                         year: 2023, audit: .commandLine)
        let policeAction = try await strategy.addAction(aimId: aim, text: "Police action", leadAgencyId: police.id, timescale: .toBeConfirmed, themeIds: [],
                                                        year: 2023, audit: .commandLine)
        let measure = try await strategy.addMeasure(Measure(id: 0, agreementId: agreementId, priorityId: priority, name: "% of repeat victims",
                                                            geography: "Kent", unit: .percentage, polarity: .lowerIsBetter, periodKinds: [.financialYear],
                                                            baseline: Baseline(label: "'10/11", value: 24)), audit: .commandLine)
        let funding = FundingStore(database: database)
        let allocation = try await funding.addAllocation(name: "Grant", funder: "PCC", recipient: "CSP", financialYear: "2026/27", amount: Pence(1_000_000),
                                                         audit: .commandLine)
        let pot = try await funding.addPot(allocationId: allocation, name: "Upfront", amount: Pence(600_000), opensOn: nil, closesOn: nil, afterPotId: nil,
                                           audit: .commandLine)
        let bid = try await funding.addBid(Bid(id: 0, allocationId: allocation, potId: pot, project: "School tour", leadPartner: "Police",
                                               requested: Pence(500_000), totalCost: nil, round: nil, submittedOn: today), audit: .commandLine)
        let dhr = try await DHRStore(database: database).notify(
            DHRStore.Notification(pseudonym: "Adult Q", cspArea: nil, notifiedOn: today.adding(days: -30), panelAgencyIds: [police.id]),
            principal: principals[.dhrOfficer]!, audit: .commandLine)
        let (router, _) = try await buildRouter(database: database, configuration: WebConfiguration(bcryptCost: 4))
        return WebFixture(database: database, app: Application(router: router), tokens: tokens, sessions: sessions,
                          hiddenCaseId: hidden.id, ownCaseId: own.id, asbCaseId: asb, maracAreaId: areaId, meetingId: meeting.id,
                          maracCaseId: maracCase, councilId: council.id, governanceMeetingId: governanceMeeting, governanceMinuteId: minute.id,
                          publicMeetingId: publicId, agreementId: agreementId, councilActionId: councilAction, policeActionId: policeAction,
                          measureId: measure, allocationId: allocation, potId: pot, bidId: bid, dhrId: dhr)
    }
}

@Suite struct WebTests {
    /// The authorisation harness: route × role × expected status. Every module adds its rows here. API routes are
    /// called with the role's bearer token, pages with its session cookie (and, for posts, its CSRF token plus
    /// `form`).
    static let harness: [(method: HTTPRequest.Method, path: String, role: Role?, expected: Int, form: String)] = [
        (.get, "/api/v1/me", nil, 401, ""),
        (.get, "/api/v1/me", .auditor, 200, ""),
        (.get, "/api/v1/cases", .caseOfficer, 200, ""),
        (.get, "/api/v1/cases/OWN", .caseOfficer, 200, ""),
        (.get, "/api/v1/cases/OWN", .partnershipManager, 200, ""),
        (.get, "/api/v1/cases/OWN", .maracCoordinator, 404, ""),
        (.get, "/api/v1/cases/OWN", .administrator, 404, ""),
        (.get, "/api/v1/cases/OWN", .auditor, 404, ""),
        (.get, "/api/v1/cases/HIDDEN", .caseOfficer, 404, ""),
        (.get, "/api/v1/cases/HIDDEN", .partnershipManager, 404, ""),
        (.get, "/api/v1/audit-events", .auditor, 200, ""),
        (.get, "/api/v1/audit-events", .administrator, 200, ""),
        (.get, "/api/v1/audit-events", .caseOfficer, 403, ""),
        (.get, "/api/v1/agencies", .partnershipMember, 200, ""),
        (.get, "/asb", nil, 303, ""),
        (.get, "/asb", .caseOfficer, 200, ""),
        (.get, "/asb?view=repeat", .partnershipManager, 200, ""),
        (.get, "/asb", .auditor, 403, ""),
        (.get, "/asb.csv", .caseOfficer, 200, ""),
        (.get, "/cases.csv", .caseOfficer, 200, ""),
        (.get, "/asb/new", .caseOfficer, 200, ""),
        (.post, "/asb", .caseOfficer, 422, "title=&incident.occurredOn=2026-02-30"),
        (.post, "/asb", .partnershipMember, 403, "title=x"),
        (.get, "/asb/cases/ASB", .caseOfficer, 200, ""),
        (.get, "/asb/cases/ASB", .maracCoordinator, 404, ""),
        (.get, "/asb/cases/HIDDEN", .caseOfficer, 404, ""),
        (.post, "/asb/cases/ASB/actions", .caseOfficer, 422, "type=no-action&takenOn=2026-01-05"),
        (.post, "/asb/cases/ASB/actions", .caseOfficer, 303, "type=warning-letter&takenOn=2026-01-05"),
        (.post, "/asb/cases/ASB/actions", .maracCoordinator, 404, "type=warning-letter&takenOn=2026-01-05"),
        (.post, "/asb/cases/ASB/status", .caseOfficer, 422, "version=7&status=open&risk=high"),
        (.post, "/asb/cases/ASB/parties", .caseOfficer, 303, "role=perpetrator&person.name=Zed"),
        (.get, "/asb/cases/ASB/incidents/1", .caseOfficer, 200, ""),
        (.get, "/asb/cases/ASB/incidents/1", .maracCoordinator, 404, ""),
        (.get, "/asb/cases/HIDDEN/incidents/1", .caseOfficer, 404, ""),
        (.post, "/asb/cases/ASB/incidents/1", .caseOfficer, 422, "version=1&occurredOn=2026-02-30&category=nuisance&description=x&reason=typo"),
        (.post, "/asb/cases/ASB/incidents/1", .caseOfficer, 422, "version=9&occurredOn=2026-01-01&category=nuisance&description=x&reason=typo"),
        (.post, "/asb/cases/ASB/incidents/1/remove", .caseOfficer, 422, "removalReason="),
        (.post, "/asb/cases/ASB/incidents/1/remove", .partnershipMember, 403, "removalReason=wrong+case"),
        (.post, "/asb/cases/ASB/incidents/1", .caseOfficer, 303, "version=1&occurredOn=2026-01-01&category=personal&description=Threats&reason=Wrong+day"),
        (.post, "/asb/cases/ASB/incidents/1", .caseOfficer, 422, "version=1&occurredOn=2026-01-01&category=personal&description=Threats&reason=Again"),
        (.post, "/asb/cases/ASB/incidents/1/remove", .caseOfficer, 303, "removalReason=Entered+on+the+wrong+case"),
        (.get, "/asb/cases/ASB/incidents/1", .caseOfficer, 404, ""),
        (.post, "/asb/cases/ASB/parties", .caseOfficer, 422, "role=perpetrator&person.postcode=nowhere"),
        (.get, "/api/v1/asb/cases", .caseOfficer, 200, ""),
        (.get, "/api/v1/asb/cases/ASB", .caseOfficer, 200, ""),
        (.get, "/api/v1/asb/cases/ASB", .partnershipMember, 403, ""),
        (.get, "/api/v1/asb/cases/ASB", .dhrOfficer, 404, ""),
        (.get, "/api/v1/asb/cases/ASB/incidents/999999", .caseOfficer, 404, ""),
        (.get, "/api/v1/asb/cases/HIDDEN/incidents/1", .caseOfficer, 404, ""),
        (.patch, "/api/v1/asb/cases/HIDDEN/incidents/1", .caseOfficer, 400, ""),
        (.delete, "/api/v1/asb/cases/HIDDEN/incidents/1?reason=wrong", .caseOfficer, 404, ""),
        (.delete, "/api/v1/asb/cases/ASB/incidents/1", .partnershipMember, 403, ""),
        (.delete, "/api/v1/asb/cases/ASB/incidents/999999?reason=wrong", .caseOfficer, 404, ""),
        (.get, "/api/v1/case-reviews", .caseOfficer, 200, ""),
        (.get, "/api/v1/case-reviews/counts", .auditor, 200, ""),
        (.get, "/api/v1/case-reviews/counts", .caseOfficer, 403, ""),
        (.get, "/api/v1/case-reviews/complaints?complainant=Amy+Smith", .caseOfficer, 200, ""),
        (.get, "/api/v1/case-reviews/complaints?complainant=Amy+Smith", .auditor, 403, ""),
        (.get, "/api/v1/case-reviews/complaints?case=ASB&receivedOn=2026-02-30", .caseOfficer, 422, ""),
        (.get, "/case-reviews", .caseOfficer, 200, ""),
        (.get, "/case-reviews", .auditor, 403, ""),
        (.get, "/case-reviews/new?asbCase=ASB", .caseOfficer, 200, ""),
        (.post, "/case-reviews", .caseOfficer, 422, "areaId=999999&receivedOn=2099-01-01&channel=fax"),
        (.get, "/case-reviews/counts", .partnershipManager, 200, ""),
        (.get, "/case-reviews/counts", .caseOfficer, 403, ""),
        (.get, "/case-reviews/counts?year=1990", .partnershipManager, 422, ""),
        (.get, "/case-reviews/counts.csv?year=2026", .auditor, 200, ""),
        (.get, "/case-reviews/HIDDEN", .caseOfficer, 404, ""),
        (.get, "/admin/case-review", .administrator, 200, ""),
        (.get, "/admin/case-review", .caseOfficer, 403, ""),
        (.post, "/admin/case-review/rule-sets", .administrator, 303,
         "effectiveFrom=2026-01-01&individualComplaints=2&communityPeople=4&windowMonths=6&qualifyingReportMonths=1&hateIncidentSuffices=true"),
        (.post, "/admin/case-review/rule-sets", .administrator, 422,
         "effectiveFrom=2026-13-01&individualComplaints=x&communityPeople=0&windowMonths=99&qualifyingReportMonths=1"),
        (.post, "/admin/case-review/rule-sets", .partnershipManager, 303,
         "effectiveFrom=2026-02-01&individualComplaints=3&communityPeople=5&windowMonths=6&qualifyingReportMonths=1"),
        (.post, "/admin/case-review/areas/999999", .administrator, 404, "reviewBody=asb-group&route=csp"),
        (.get, "/admin/calendar", nil, 303, ""),
        (.get, "/admin/calendar", .administrator, 200, ""),
        (.get, "/admin/calendar?year=2031", .administrator, 200, ""),
        (.get, "/admin/calendar", .caseOfficer, 403, ""),
        (.post, "/admin/calendar/closures", .caseOfficer, 403, "date=2026-12-24&reason=Closed"),
        (.post, "/admin/calendar/closures", .administrator, 422, "date=2026-12-26&reason=Closed"),
        (.post, "/admin/calendar/closures", .administrator, 422, "date=2026-02-30&reason=Closed"),
        (.post, "/admin/calendar/closures", .administrator, 303, "date=2026-12-24&reason=Christmas+Eve"),
        (.post, "/admin/calendar/closures", .administrator, 422, "date=2026-12-24&reason=Again"),
        (.post, "/admin/calendar/closures/2026-12-24/remove", .administrator, 303, ""),
        (.post, "/admin/calendar/closures/2026-12-24/remove", .administrator, 404, ""),
        (.get, "/marac", nil, 303, ""),
        (.get, "/marac", .caseOfficer, 200, ""),
        (.get, "/marac?areaId=AREA", .maracCoordinator, 200, ""),
        (.get, "/marac", .auditor, 403, ""),
        (.get, "/marac.csv", .caseOfficer, 200, ""),
        (.get, "/marac/referrals/new", .maracCoordinator, 200, ""),
        (.post, "/marac/referrals", .maracCoordinator, 422, "areaId=&victim.name=&q1=yes"),
        (.post, "/marac/referrals", .partnershipManager, 403, "areaId=AREA"),
        (.post, "/marac/referrals", .partnershipMember, 403, "areaId=AREA"),
        (.get, "/marac/cases/MARAC", .caseOfficer, 200, ""),
        (.get, "/marac/cases/MARAC", .maracCoordinator, 200, ""),
        (.get, "/marac/cases/MARAC", .partnershipManager, 404, ""),
        (.get, "/marac/cases/MARAC", .dhrOfficer, 404, ""),
        (.get, "/marac/cases/MARAC", .auditor, 403, ""),
        (.get, "/marac/cases/HIDDEN", .maracCoordinator, 404, ""),
        (.get, "/marac/cases/ASB", .caseOfficer, 404, ""),
        (.post, "/marac/cases/MARAC/research", .caseOfficer, 422, "body="),
        (.post, "/marac/cases/MARAC/research", .caseOfficer, 303, "body=Known+to+housing+since+2024"),
        (.post, "/marac/cases/MARAC/research", .partnershipManager, 404, "body=x"),
        (.post, "/marac/cases/MARAC/actions", .maracCoordinator, 422, "description=Visit&requestedOn=2026-01-10&dueOn=2026-01-05"),
        (.post, "/marac/cases/MARAC/actions", .maracCoordinator, 303, "agencyId=COUNCIL&description=Safety+visit&requestedOn=2026-01-05&dueOn=2026-01-09"),
        (.post, "/marac/cases/MARAC/actions/1", .caseOfficer, 422, "status=not-completed&version=1"),
        (.post, "/marac/cases/MARAC/actions/1", .caseOfficer, 303, "status=completed&version=1"),
        (.post, "/marac/cases/MARAC/actions/1", .caseOfficer, 422, "status=open&version=1"),
        (.post, "/marac/cases/MARAC/meeting-request", .caseOfficer, 422, "reason="),
        (.post, "/marac/cases/MARAC/meeting-request", .caseOfficer, 303, "reason=Escalating+threats"),
        (.post, "/marac/cases/MARAC/meeting-request", .partnershipMember, 403, "reason=x"),
        (.get, "/marac/actions/overdue", .caseOfficer, 200, ""),
        (.get, "/marac/actions/overdue?scope=hub", .maracCoordinator, 200, ""),
        (.get, "/marac/meetings", .maracCoordinator, 200, ""),
        (.get, "/marac/meetings?areaId=AREA", .caseOfficer, 200, ""),
        (.get, "/marac/meetings/MEETING", .maracCoordinator, 200, ""),
        (.get, "/marac/meetings/MEETING", .auditor, 403, ""),
        (.get, "/marac/meetings/999999", .maracCoordinator, 404, ""),
        (.post, "/marac/meetings/MEETING/attendance", .caseOfficer, 403, "attended.COUNCIL=true"),
        (.post, "/marac/meetings/MEETING/attendance", .maracCoordinator, 422, "attended.COUNCIL=true"),
        (.post, "/marac/meetings/MEETING/attendance", .maracCoordinator, 303, "attended.COUNCIL=true&confidentiality.COUNCIL=true"),
        (.post, "/marac/meetings/MEETING/agenda", .maracCoordinator, 422, "version=1&chairUserId=999999"),
        (.post, "/marac/meetings/MEETING/minutes", .caseOfficer, 303, "caseId=MARAC&decisions=Safety+plan+agreed"),
        (.post, "/marac/meetings/MEETING/minutes", .caseOfficer, 422, "caseId=MARAC&decisions="),
        (.post, "/marac/meetings/MEETING/issue", .maracCoordinator, 422, "issuedOn=2099-01-01"),
        (.get, "/marac/kpis", .partnershipManager, 200, ""),
        (.get, "/marac/kpis?quarter=2026-Q9", .partnershipManager, 422, ""),
        (.get, "/marac/kpis", .caseOfficer, 403, ""),
        (.get, "/marac/kpis.csv?quarter=2026-Q1", .auditor, 200, ""),
        (.get, "/admin/marac", .maracCoordinator, 200, ""),
        (.get, "/admin/marac", .administrator, 200, ""),
        (.get, "/admin/marac", .caseOfficer, 403, ""),
        (.get, "/admin", .maracCoordinator, 200, ""),
        (.post, "/admin/marac/areas", .administrator, 422, "name=&frequency=yearly&firstMeetingOn=2026-02-30"),
        (.post, "/admin/marac/areas", .administrator, 303, "name=North+Kent&frequency=monthly&firstMeetingOn=2026-01-13&adultFemalePopulation=120000"),
        (.post, "/admin/marac/areas", .administrator, 422, "name=North+Kent&frequency=monthly&firstMeetingOn=2026-01-13"),
        (.post, "/admin/marac/areas", .maracCoordinator, 422, "id=AREA&version=9&name=West+Kent&frequency=weekly&firstMeetingOn=2026-01-13"),
        (.post, "/admin/marac/representation", .maracCoordinator, 422, "areaId=AREA"),
        (.post, "/admin/marac/hub", .maracCoordinator, 422, "userId=1&hubRole=chief"),
        (.post, "/admin/marac/checklist", .maracCoordinator, 422, "q1="),
        (.post, "/admin/marac/checklist", .caseOfficer, 403, "q1=x"),
        (.get, "/inbox", nil, 303, ""),
        (.get, "/inbox", .caseOfficer, 200, ""),
        (.post, "/inbox/read", .caseOfficer, 303, ""),
        (.get, "/api/v1/marac/cases", .caseOfficer, 200, ""),
        (.get, "/api/v1/marac/cases?areaId=x", .caseOfficer, 422, ""),
        (.get, "/api/v1/marac/cases/MARAC", .caseOfficer, 200, ""),
        (.get, "/api/v1/marac/cases/MARAC", .partnershipManager, 404, ""),
        (.get, "/api/v1/marac/cases/MARAC", .partnershipMember, 403, ""),
        (.post, "/api/v1/marac/referrals", .maracCoordinator, 400, ""),
        (.post, "/api/v1/marac/referrals", .partnershipMember, 403, ""),
        (.post, "/api/v1/marac/cases/MARAC/research", .partnershipManager, 400, ""),
        (.get, "/api/v1/marac/actions/overdue?scope=hub", .maracCoordinator, 200, ""),
        (.get, "/api/v1/marac/meetings?areaId=AREA", .caseOfficer, 200, ""),
        (.get, "/api/v1/marac/meetings", .caseOfficer, 422, ""),
        (.get, "/api/v1/marac/meetings?areaId=999999", .caseOfficer, 422, ""),
        (.get, "/marac/escalations", .partnershipManager, 200, ""),
        (.get, "/marac/escalations", .caseOfficer, 403, ""),
        (.get, "/api/v1/marac/meetings/MEETING", .caseOfficer, 200, ""),
        (.get, "/api/v1/marac/meetings/999999", .caseOfficer, 404, ""),
        (.put, "/api/v1/marac/meetings/MEETING/attendance", .caseOfficer, 403, ""),
        (.get, "/api/v1/marac/kpis?areaId=AREA", .partnershipManager, 200, ""),
        (.get, "/api/v1/marac/kpis?areaId=AREA", .caseOfficer, 403, ""),
        (.get, "/api/v1/marac/kpis", .partnershipManager, 422, ""),
        (.get, "/meetings", nil, 303, ""),
        (.get, "/meetings", .auditor, 200, ""),
        (.get, "/meetings/GOVMEETING", .caseOfficer, 200, ""),
        (.get, "/meetings/999999", .caseOfficer, 404, ""),
        (.get, "/meetings/GOVMEETING/pack", .partnershipMember, 200, ""),
        (.post, "/meetings", .partnershipMember, 403, "bodyId=1&heldOn=2027-01-01&startsAt=10:00&venue=Room"),
        (.post, "/meetings", .democraticServicesClerk, 422, "bodyId=&heldOn=2027-02-30&startsAt=25:00"),
        (.post, "/meetings/GOVMEETING/items", .caseOfficer, 403, "section=B&title=x&kind=report"),
        (.post, "/meetings/GOVMEETING/items", .democraticServicesClerk, 422, "section=B&code=B1&title=Clash&kind=report"),
        (.post, "/meetings/GOVMEETING/items", .democraticServicesClerk, 422, "section=D&title=DHR&kind=tabled&restrictedParagraph=1&restrictionReason="),
        (.post, "/meetings/GOVMEETING/items", .democraticServicesClerk, 303, "section=C&title=Date+of+next+meeting&kind=verbal-update"),
        (.post, "/meetings/GOVMEETING/minutes", .democraticServicesClerk, 422, "number=9&title=Gap"),
        (.post, "/meetings/GOVMEETING/minutes", .democraticServicesClerk, 303, "title=Declarations+of+interest"),
        (.post, "/meetings/GOVMEETING/minutes/GOVMINUTE/actions", .democraticServicesClerk, 422, "ownerName=&description=Report+back"),
        (.post, "/meetings/GOVMEETING/minutes/GOVMINUTE/actions", .partnershipManager, 303, "ownerName=Jim+Parris&description=Report+back"),
        (.get, "/action-log", .partnershipMember, 200, ""),
        (.get, "/bodies", .partnershipMember, 200, ""),
        (.post, "/bodies", .partnershipMember, 403, "name=Working+Group&kind=group"),
        (.post, "/bodies", .democraticServicesClerk, 422, "name=Test+Partnership&kind=partnership"),
        (.post, "/bodies", .democraticServicesClerk, 422, "name=+&kind=group"),
        (.post, "/bodies", .democraticServicesClerk, 303, "name=Working+Group&kind=group"),
        (.post, "/bodies/people", .democraticServicesClerk, 422, "personName=&email=not-an-address"),
        (.post, "/bodies/members", .democraticServicesClerk, 422, "bodyId=&personId=&role=member&from=2027-02-30"),
        (.post, "/forward-plan", .partnershipMember, 403, "bodyId=1&title=x"),
        (.get, "/public/meetings", nil, 200, ""),
        (.get, "/public/meetings/PUBLICID", nil, 200, ""),
        (.get, "/public/meetings/PUBLICID/pack", nil, 200, ""),
        (.get, "/public/meetings/PUBLICID/event.json", nil, 200, ""),
        (.get, "/public/meetings.ics", nil, 200, ""),
        (.get, "/public/meetings/not-a-meeting", nil, 404, ""),
        (.get, "/api/v1/bodies", .auditor, 200, ""),
        (.get, "/api/v1/meetings", .caseOfficer, 200, ""),
        (.get, "/api/v1/meetings", nil, 401, ""),
        (.get, "/api/v1/meetings/GOVMEETING", .partnershipMember, 200, ""),
        (.post, "/api/v1/meetings", .caseOfficer, 403, ""),
        (.post, "/api/v1/meetings/GOVMEETING/items", .partnershipMember, 403, ""),
        (.post, "/api/v1/minutes/GOVMINUTE/actions", .auditor, 403, ""),
        (.get, "/api/v1/actions", .partnershipMember, 200, ""),
        (.get, "/api/v1/forward-plan", .partnershipMember, 200, ""),
        (.get, "/strategy", nil, 303, ""),
        (.get, "/strategy", .auditor, 200, ""),
        (.get, "/strategy/AGREEMENT", .caseOfficer, 200, ""),
        (.get, "/strategy/999999", .caseOfficer, 404, ""),
        (.get, "/strategy/AGREEMENT/plan", .partnershipMember, 200, ""),
        (.get, "/strategy/AGREEMENT/plan?since=2026-13-01", .partnershipMember, 422, ""),
        (.get, "/strategy/AGREEMENT/measures", .partnershipMember, 200, ""),
        (.get, "/strategy/AGREEMENT/appendix", .partnershipMember, 200, ""),
        (.get, "/strategy/AGREEMENT/appendix.csv?on=2026-11-30", .auditor, 200, ""),
        (.get, "/public/strategy/AGREEMENT/appendix", nil, 200, ""),
        (.post, "/strategy", .caseOfficer, 403, "title=CSA&startsOn=2027-04-01"),
        (.post, "/strategy/AGREEMENT/plan/actions/COUNCILACTION/progress", .caseOfficer, 422, "version=1&on=2026-11-01&status=amber&text=Started"),
        (.post, "/strategy/AGREEMENT/plan/actions/COUNCILACTION/progress", .caseOfficer, 303, "version=1&on=2026-11-01&status=in-progress&text=Started"),
        (.post, "/strategy/AGREEMENT/plan/actions/POLICEACTION/progress", .caseOfficer, 403, "version=1&on=2026-11-01&status=complete&text=Done"),
        (.post, "/strategy/AGREEMENT/plan/actions/POLICEACTION/progress", .partnershipManager, 303, "version=1&on=2026-11-01&status=complete&text=Done"),
        (.post, "/strategy/AGREEMENT/plan/actions", .partnershipManager, 422, "aimId=1&text=Covid+recovery&themeIds=999"),
        (.post, "/strategy/AGREEMENT/measures/values", .caseOfficer, 403, "measureId=MEASURE&periodKind=financial-year&period=2013/14&value=24.8"),
        (.post, "/strategy/AGREEMENT/measures/values", .partnershipManager, 422, "measureId=MEASURE&periodKind=financial-year&period=2013/14&value=124.8"),
        (.post, "/strategy/AGREEMENT/measures/values", .partnershipManager, 422, "measureId=MEASURE&periodKind=calendar-year&period=2013&value=24.8"),
        (.post, "/strategy/AGREEMENT/measures/values", .partnershipManager, 303, "measureId=MEASURE&periodKind=financial-year&period=2013/14&value=24.8"),
        (.post, "/strategy/AGREEMENT/measures/values", .partnershipManager, 422, "measureId=MEASURE&periodKind=financial-year&period=2013/14&value=25"),
        (.post, "/strategy/AGREEMENT/measures", .partnershipManager, 422, "name=Incidents&unit=count&polarity=lower-is-better&periodKinds=financial-year"),
        (.post, "/strategy/AGREEMENT/measures/restatements", .partnershipManager, 422, "measureId=MEASURE&newValue=120&on=2026-11-01&note=Definition+changed"),
        (.post, "/strategy/AGREEMENT/measures/restatements", .partnershipManager, 303, "measureId=MEASURE&newValue=24.5&on=2026-11-01&note=Definition+changed"),
        (.post, "/strategy/AGREEMENT/measures/commentary", .partnershipManager, 422, "measureId=MEASURE&on=2026-11-01&text="),
        (.post, "/strategy/AGREEMENT/measures/commentary", .partnershipManager, 303, "measureId=MEASURE&on=2026-11-01&text=Repeat+victims+fell"),
        (.post, "/strategy/AGREEMENT/measures/retire", .caseOfficer, 403, "measureId=MEASURE"),
        (.post, "/strategy/AGREEMENT/topics/lineage", .partnershipManager, 422, "topicId=999999&lineageKind=retired&lineageYear=2024"),
        (.post, "/strategy/AGREEMENT/topics/lineage", .partnershipManager, 422, "topicId=1&lineageKind=created&lineageYear=2024"),
        (.post, "/strategy/AGREEMENT/topics/lineage", .partnershipManager, 303, "topicId=1&lineageKind=retired&lineageYear=2024&lineageNote=Merged"),
        (.post, "/strategy/AGREEMENT/topics/lead", .partnershipManager, 303, "priorityId=2&leadRole=TBC"),
        (.post, "/strategy/AGREEMENT/topics/lead", .caseOfficer, 403, "priorityId=2&leadRole=Chair"),
        (.get, "/api/v1/agreements", .caseOfficer, 200, ""),
        (.get, "/api/v1/agreements/AGREEMENT", .auditor, 200, ""),
        (.get, "/api/v1/agreements/AGREEMENT/appendix?on=2026-11-30", .caseOfficer, 200, ""),
        (.get, "/api/v1/agreements/AGREEMENT/measures", .caseOfficer, 200, ""),
        (.post, "/api/v1/agreements/AGREEMENT/measures", .caseOfficer, 403, ""),
        (.post, "/api/v1/agreements/AGREEMENT/measure-values", .partnershipMember, 403, ""),
        (.post, "/api/v1/agreements", .caseOfficer, 403, ""),
        (.post, "/api/v1/agreements/AGREEMENT/topics", .dhrOfficer, 403, ""),
        (.post, "/api/v1/agreements/AGREEMENT/actions", .partnershipManager, 400, ""),
        (.get, "/funding", nil, 303, ""),
        (.get, "/funding", .auditor, 200, ""),
        (.get, "/funding/FUNDING", .caseOfficer, 200, ""),
        (.get, "/funding/FUNDING?on=2026-02-30", .caseOfficer, 422, ""),
        (.get, "/funding/999999", .caseOfficer, 404, ""),
        (.get, "/funding/FUNDING/report.csv", .auditor, 200, ""),
        (.get, "/funding/FUNDING/360giving.json", .auditor, 200, ""),
        (.get, "/funding/contributions", .partnershipMember, 200, ""),
        (.post, "/funding", .caseOfficer, 403, "name=G&funder=PCC&recipient=CSP&financialYear=2026/27&amount=10"),
        (.post, "/funding", .partnershipManager, 422, "name=G2&funder=PCC&recipient=CSP&financialYear=2026/27&amount=10.005"),
        (.post, "/funding/FUNDING/bids", .partnershipManager, 422, "project=Big&leadPartner=Council&potId=POT&requested=1000.01&submittedOn=2026-05-01"),
        (.post, "/funding/FUNDING/bids/BID/decision", .partnershipManager, 422, "version=1&decision=declined&decidedBy=funder&decidedOn=2026-06-01&decisionReason="),
        (.post, "/funding/FUNDING/bids/BID/decision", .partnershipMember, 403, "version=1&decision=approved&decidedBy=funder&decidedOn=2026-06-01"),
        (.post, "/funding/FUNDING/bids/BID/decision", .partnershipManager, 303, "version=1&decision=approved&decidedBy=chair-delegated-powers&decidedOn=2026-06-01"),
        (.post, "/funding/contributions", .partnershipManager, 422, "partner=Kent+Police&purpose=DHR&financialYear=2026/27&expected=abc"),
        (.get, "/api/v1/allocations", .caseOfficer, 200, ""),
        (.get, "/api/v1/allocations/FUNDING?on=2026-11-30", .caseOfficer, 200, ""),
        (.post, "/api/v1/allocations", .caseOfficer, 403, ""),
        (.get, "/api/v1/contributions", .auditor, 200, ""),
        (.post, "/api/v1/contributions", .auditor, 403, ""),
        (.get, "/dhr", nil, 303, ""),
        (.get, "/dhr", .dhrOfficer, 200, ""),
        (.get, "/dhr", .caseOfficer, 403, ""),
        (.get, "/dhr", .partnershipManager, 403, ""),
        (.get, "/dhr/DHRCASE", .dhrOfficer, 200, ""),
        (.get, "/dhr/DHRCASE", .auditor, 403, ""),
        (.get, "/dhr/999999", .dhrOfficer, 404, ""),
        (.get, "/dhr/status-report", .dhrOfficer, 200, ""),
        (.get, "/dhr/lessons", .dhrOfficer, 200, ""),
        (.post, "/dhr/DHRCASE/stages", .dhrOfficer, 422, "version=1&stage=panel&on=2099-01-01"),
        (.post, "/dhr/DHRCASE/stages", .dhrOfficer, 422, "version=1&stage=decided&on=2099-01-01&outcome=not-commissioned"),
        (.post, "/dhr/DHRCASE/stages", .dhrOfficer, 303, "version=1&stage=decided&on=2099-01-01&outcome=commissioned"),
        (.post, "/dhr/DHRCASE/sign-off", .dhrOfficer, 422, "version=2"),
        (.post, "/dhr/DHRCASE/commissioner", .dhrOfficer, 422, "recommendationsOn=2099-02-01"),
        (.post, "/dhr/DHRCASE/actions", .dhrOfficer, 422, "recommendation=&agencyId=COUNCIL&action=x&dueOn=2099-02-01"),
        (.post, "/dhr/briefings", .dhrOfficer, 422, "title=Seminar&heldOn=2026-06-14&attendance=-3"),
        (.post, "/dhr/status-report/attach", .democraticServicesClerk, 403, "itemId=1"),
        (.get, "/api/v1/dhr/reviews", .dhrOfficer, 200, ""),
        (.get, "/api/v1/dhr/reviews", .caseOfficer, 403, ""),
        (.get, "/api/v1/dhr/reviews/DHRCASE", .dhrOfficer, 200, ""),
        (.get, "/api/v1/dhr/reviews/999999", .dhrOfficer, 404, ""),
        (.post, "/api/v1/dhr/reviews", .partnershipMember, 403, ""),
    ]

    /// The harness's placeholders, replaced in paths and forms by the fixture's ids.
    static func substitute(_ text: String, _ fixture: WebFixture) -> String {
        [("OWN", fixture.ownCaseId), ("HIDDEN", fixture.hiddenCaseId), ("MARAC", fixture.maracCaseId), ("ASB", fixture.asbCaseId),
         ("AREA", fixture.maracAreaId), ("GOVMEETING", fixture.governanceMeetingId), ("GOVMINUTE", fixture.governanceMinuteId),
         ("MEETING", fixture.meetingId), ("COUNCILACTION", fixture.councilActionId), ("POLICEACTION", fixture.policeActionId),
         ("AGREEMENT", fixture.agreementId), ("MEASURE", fixture.measureId), ("FUNDING", fixture.allocationId), ("POT", fixture.potId),
         ("BID", fixture.bidId), ("DHRCASE", fixture.dhrId), ("COUNCIL", fixture.councilId)]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: String($1.1)) }
            .replacingOccurrences(of: "PUBLICID", with: fixture.publicMeetingId)
    }

    @Test func authorisationHarness() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            for row in Self.harness {
                let path = Self.substitute(row.path, fixture)
                var headers = HTTPFields()
                var body = ByteBuffer()
                if let role = row.role {
                    if path.hasPrefix("/api/") {
                        headers[.authorization] = "Bearer " + fixture.tokens[role]!
                    } else {
                        let session = fixture.sessions[role]!
                        headers[.cookie] = "concord_session=" + session.token
                        if row.method == .post {
                            headers[.contentType] = "application/x-www-form-urlencoded"
                            body = ByteBuffer(string: "_csrf=\(session.csrf)" + (row.form.isEmpty ? "" : "&" + Self.substitute(row.form, fixture)))
                        }
                    }
                }
                let response = try await client.execute(uri: path, method: row.method, headers: headers, body: body)
                #expect(Int(response.status.code) == row.expected, "\(row.method) \(path) as \(row.role?.rawValue ?? "nobody")")
                if response.status == .ok, response.headers[.contentType]?.hasPrefix("text/csv") == true {
                    // Every export carries its classification on its first and last lines.
                    let lines = String(buffer: response.body).split(separator: "\r\n")
                    #expect(lines.count >= 3 && (try? Classification.stored(String(lines[0]))) != nil && lines.first == lines.last,
                            "\(path) is not marked with its classification at the top and bottom")
                }
            }
        }
        let views = try await AuditLog(database: fixture.database).viewers(recordType: "case", recordId: String(fixture.ownCaseId))
        #expect(views.reduce(0) { $0 + $1.views } == 2)
        await fixture.database.close()
    }

    @Test func openAPIDocumentsExactlyTheRegisteredRoutes() async throws {
        let fixture = try await WebFixture.make()
        let registered = Set(try await registeredAPIRoutes(database: fixture.database).map { "\($0.method) \($0.path)" })
        let document = try JSONSerialization.jsonObject(with: try OpenAPIDocument.data()) as! [String: Any]
        #expect(document["openapi"] as? String == "3.1.0")
        var documented = Set<String>()
        for (path, item) in document["paths"] as! [String: [String: Any]] {
            for method in item.keys { documented.insert("\(method) \(path)") }
        }
        #expect(registered == documented)
        await fixture.database.close()
    }

    @Test func apiRejectsUnknownFieldsAndWrongTypesWithProblemJSON() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer " + fixture.tokens[.caseOfficer]!, .contentType: "application/json"]
            let unknown = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"caseType":"marac","title":"x","classification":"OFFICIAL","colour":"red"}"#))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: unknown.body).contains("\"field\":\"colour\""))
            let secret = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers,
                                                  body: ByteBuffer(string: #"{"caseType":"marac","title":"x","classification":"SECRET"}"#))
            #expect(secret.status == .unprocessableContent)
            #expect(String(buffer: secret.body).contains("\"field\":\"classification\""))
            let wrongType = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers,
                                                     body: ByteBuffer(string: #"{"caseType":"marac","title":5,"classification":"OFFICIAL"}"#))
            #expect(String(buffer: wrongType.body).contains("\"field\":\"title\""))
            let huge = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"caseType":"marac","title":"x","classification":"OFFICIAL","sharedWith":[1e40]}"#))
            #expect(huge.status == .unprocessableContent)
            #expect(String(buffer: huge.body).contains("\"field\":\"sharedWith\""))
            let big = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers,
                                               body: ByteBuffer(string: String(repeating: "x", count: 2 << 20)))
            #expect(big.status == .contentTooLarge)
            #expect(try await CaseStore(database: fixture.database).count(filter: VisibilityFilter(
                agencyId: 0, caseTypes: Set(CaseType.allCases), maximumLevel: .officialSensitive, agreementGrants: [:])) == 0)
        }
        await fixture.database.close()
    }

    /// The housekeeping job removes sessions past their idle expiry and failed sign-ins older than the lockout
    /// period, and leaves live ones; a second instance finds the lease taken.
    @Test func housekeepingRemovesExpiredSessionsAndOldSignInFailures() async throws {
        let fixture = try await WebFixture.make()
        let sessions = SessionStore(database: fixture.database)
        let userId = try #require(try await UserStore(database: fixture.database).users().first?.id)
        let now = Date()
        let abandoned = try await sessions.create(userId: userId, clientAddress: nil, absoluteLifetime: .seconds(12 * 3600),
                                                  now: now.addingTimeInterval(-31 * 60))
        let live = try await sessions.create(userId: userId, clientAddress: nil, absoluteLifetime: .seconds(12 * 3600), now: now)
        try await sessions.recordFailure(keys: ["address:198.51.100.7"], now: now.addingTimeInterval(-16 * 60))
        try await sessions.recordFailure(keys: ["address:198.51.100.7"], now: now.addingTimeInterval(-60))
        let job = HousekeepingJob(database: fixture.database)
        let removed = try #require(try await job.runOnce(now: now))
        #expect(removed.failures == 1)
        #expect(removed.sessions >= 1)
        #expect(try await HousekeepingJob(database: fixture.database).runOnce(now: now) == nil)
        let rows = try await fixture.database.read { db in
            try await db.raw("SELECT id_hash FROM sessions").all().map { try $0.decode(column: "id_hash", as: String.self) }
        }
        #expect(!rows.contains(Secrets.digest(abandoned.token)))
        #expect(rows.contains(Secrets.digest(live.token)))
        #expect(try await sessions.failures(key: "address:198.51.100.7", since: .distantPast).count == 1)
        await fixture.database.close()
    }

    /// The body limit is the configured one (1 MiB by default), and the refusal says what it is.
    @Test func requestBodiesOverTheConfiguredLimitAreRefused() async throws {
        let fixture = try await WebFixture.make()
        let body = #"{"caseType":"marac","title":""# + String(repeating: "x", count: 3000) + #"","classification":"OFFICIAL"}"#
        let headers: HTTPFields = [.authorization: "Bearer " + fixture.tokens[.caseOfficer]!, .contentType: "application/json"]
        for (limit, refused) in [(2048, true), (WebConfiguration.defaultMaximumBodyBytes, false)] {
            let (router, _) = try await buildRouter(database: fixture.database,
                                                    configuration: WebConfiguration(maximumBodyBytes: limit, bcryptCost: 4))
            try await Application(router: router).test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect((response.status == .contentTooLarge) == refused, "limit \(limit): \(response.status)")
                if refused { #expect(String(buffer: response.body).contains("larger than 2 KiB")) }
            }
        }
        await fixture.database.close()
    }

    @Test func signInNeedsCSRFAndSetsHardenedCookie() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let csrf = page.headers[values: .setCookie].first { $0.hasPrefix("concord_csrf=") }!
                .split(separator: ";")[0].dropFirst("concord_csrf=".count)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "concord_csrf=\(csrf)"]
            let forged = try await client.execute(uri: "/login", method: .post, headers: form,
                                                  body: ByteBuffer(string: "email=auditor%40test.gov.uk&password=correct+kettle+lantern"))
            #expect(forged.status == .badRequest)
            let ok = try await client.execute(uri: "/login", method: .post, headers: form,
                                              body: ByteBuffer(string: "_csrf=\(csrf)&email=auditor%40test.gov.uk&password=correct+kettle+lantern&next=//evil.example"))
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/")
            let cookie = ok.headers[values: .setCookie].first { $0.hasPrefix("concord_session=") }!
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let session = cookie.split(separator: ";")[0]
            let audit = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: String(session)])
            #expect(audit.status == .ok)
            let wrong = try await client.execute(uri: "/login", method: .post, headers: form,
                                                 body: ByteBuffer(string: "_csrf=\(csrf)&email=auditor%40test.gov.uk&password=wrong+password+here"))
            #expect(wrong.status == .unauthorized)
            #expect(!String(buffer: wrong.body).contains("SQL"))
        }
        await fixture.database.close()
    }

    /// Behind a trusted reverse proxy, throttling and the audit log use the client address it reports; without the
    /// setting the header is ignored, so a client cannot choose the address it is recorded under.
    @Test func clientAddressComesFromATrustedProxyHeaderOnlyWhenConfigured() async throws {
        let fixture = try await WebFixture.make()
        for trustedProxyHeader in ["X-Forwarded-For", nil] {
            let (router, _) = try await buildRouter(database: fixture.database,
                                                    configuration: WebConfiguration(trustedProxyHeader: trustedProxyHeader, bcryptCost: 4))
            try await Application(router: router).test(.router) { client in
                let page = try await client.execute(uri: "/login", method: .get)
                let csrf = page.headers[values: .setCookie].first { $0.hasPrefix("concord_csrf=") }!
                    .split(separator: ";")[0].dropFirst("concord_csrf=".count)
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "concord_csrf=\(csrf)",
                                        HTTPField.Name("X-Forwarded-For")!: "203.0.113.9, 198.51.100.7"]
                let wrong = try await client.execute(uri: "/login", method: .post, headers: form,
                                                     body: ByteBuffer(string: "_csrf=\(csrf)&email=auditor%40test.gov.uk&password=wrong+password+here"))
                #expect(wrong.status == .unauthorized)
            }
            let recorded = try await fixture.database.read { db in
                try await db.raw("SELECT client_address FROM audit_events WHERE action = 'sign-in-failed' ORDER BY id DESC").first()?
                    .decode(column: "client_address", as: String?.self)
            }
            #expect(recorded == (trustedProxyHeader == nil ? nil : "198.51.100.7"), "\(trustedProxyHeader ?? "no proxy header")")
        }
        await fixture.database.close()
    }

    /// The proxy's own entry is the last in the header; anything that is not an IP address is not used.
    @Test(arguments: [("203.0.113.9, 198.51.100.7", "198.51.100.7"), ("198.51.100.7 ", "198.51.100.7"), ("2001:db8::1", "2001:db8::1"),
                      ("198.51.100.7, unknown", nil), ("", nil), ("evil.example", nil)] as [(String, String?)])
    func forwardedAddressIsTheLastOneInTheHeader(header: String, address: String?) {
        #expect(FrontMiddleware.lastAddress(in: header) == address)
    }

    @Test func everyTemplateUsesScalarEscapingAndResistsCombiningQuote() async throws {
        let directory = Templates.directory
        let files = FileManager.default.enumerator(atPath: directory)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("{{% CONTENT_TYPE: HTML5 }}"), "\(file)")
        }
        let templates = try await Templates.load()
        let payload = "\"\u{0301} autofocus onfocus=alert(1) x=\""
        let layout = Layout(title: payload, userName: payload, agencyName: nil, csrfToken: payload, classification: "OFFICIAL",
                            navigation: [], errors: [], notice: nil)
        let html = templates.renderBare("login", ["layout": layout, "page": SessionPages.LoginModel(email: payload, next: "/", csrf: payload)])!
        let unescaped = "\"\u{0301} autofocus"
        let escaped = "&quot;\u{0301} autofocus"
        let leaked = html.contains(unescaped)
        let safe = html.contains(escaped)
        #expect(!leaked)
        #expect(safe)
    }

    /// The API's `Authorization` header: the Bearer scheme in any case, the token between any spaces; other schemes
    /// are not read as a token.
    @Test(arguments: [("Bearer cnc_abc", "cnc_abc"), ("bearer   cnc_abc  ", "cnc_abc"), ("BEARER\tcnc_abc", "cnc_abc"),
                      ("Bearer ", ""), ("Basic cnc_abc", nil), ("Bearercnc_abc", nil), ("cnc_abc", nil)] as [(String, String?)])
    func bearerTokenIsReadFromTheAuthorizationHeader(header: String, token: String?) {
        #expect(AuthenticationMiddleware.bearerToken(header).map(String.init) == token)
    }

    @Test func healthAndMetrics() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let up = try await client.execute(uri: "/health", method: .get)
            #expect(up.status == .ok)
            let refused = try await client.execute(uri: "/api/v1/cases", method: .get, headers: [.authorization: "Bearer concord_unknown"])
            #expect(refused.status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains("concord_http_requests_total") && text.contains("concord_db_up"))
            // The refused token's audit entry went through the audit writer.
            let value = { (name: String) in
                text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
            }
            #expect((value("concord_audit_entries_total") ?? 0) >= 1 && (value("concord_audit_transactions_total") ?? 0) >= 1)
        }
        await fixture.database.close()
        try await fixture.app.test(.router) { client in
            let down = try await client.execute(uri: "/health", method: .get)
            #expect(down.status == .serviceUnavailable)
        }
    }

    /// The stylesheet and the icon are served to anyone, with their types; no other file under /assets is, whatever
    /// its name.
    @Test func assetsAreTheListedFilesOnly() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            for (name, type) in [("concord.css", "text/css; charset=utf-8"), ("favicon.svg", "image/svg+xml")] {
                let response = try await client.execute(uri: "/assets/" + name, method: .get)
                #expect(response.status == .ok && response.headers[.contentType] == type && response.body.readableBytes > 100, "\(name)")
            }
            for name in ["layout.mustache", "..%2Fopenapi.json", "%2E%2E%2FResources%2Fopenapi.json", "public"] {
                #expect(try await client.execute(uri: "/assets/" + name, method: .get).status == .notFound, "\(name)")
            }
        }
    }

    /// Every refusal is in the audit log as permission denied: a capability a role lacks, and a case it may not open.
    @Test func refusalsAreAuditedAsPermissionDenied() async throws {
        let fixture = try await WebFixture.make()
        func denials() async throws -> [String] {
            try await fixture.database.read { db in
                try await db.raw("SELECT record_type, note FROM audit_events WHERE action = 'permission-denied' ORDER BY id").all().map {
                    try $0.decode(column: "record_type", as: String.self) + " " + ($0.decode(column: "note", as: String?.self) ?? "")
                }
            }
        }
        try await fixture.app.test(.router) { client in
            let page = try await client.execute(uri: "/audit", method: .get,
                                                headers: [.cookie: "concord_session=" + fixture.sessions[.caseOfficer]!.token])
            #expect(page.status == .forbidden)
            let today = CalendarDate(Date()).iso
            let create = try await client.execute(uri: "/api/v1/asb/cases", method: .post,
                                                  headers: [.authorization: "Bearer " + fixture.tokens[.maracCoordinator]!, .contentType: "application/json"],
                                                  body: ByteBuffer(string: #"{"title":"Noise","confirmNoExistingCase":true,"complainant":{"anonymous":true},"#
                                                      + #""perpetrator":{"anonymous":true},"incident":{"occurredOn":""# + today + #"","reportedOn":""# + today
                                                      + #"","category":"nuisance","channel":"phone","description":"Noise"}}"#))
            #expect(create.status == .forbidden)
            let officer = fixture.sessions[.caseOfficer]!
            let progress = try await client.execute(
                uri: "/strategy/\(fixture.agreementId)/plan/actions/\(fixture.policeActionId)/progress", method: .post,
                headers: [.cookie: "concord_session=" + officer.token, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(officer.csrf)&version=1&on=2026-11-01&status=complete&text=Done"))
            #expect(progress.status == .forbidden)
        }
        let recorded = try await denials()
        #expect(recorded.contains("csa-action update"))
        #expect(recorded.contains("capability readAuditLog"))
        #expect(recorded.contains("case create asb"))
        await fixture.database.close()
    }

    /// domain-rules.md: the old marking CONFIDENTIAL is refused until an administrator maps it; then a case marked
    /// with it is taken in as OFFICIAL-SENSITIVE.
    @Test func legacyConfidentialIsRefusedUntilMapped() async throws {
        let fixture = try await WebFixture.make()
        let headers: HTTPFields = [.authorization: "Bearer " + fixture.tokens[.dhrOfficer]!, .contentType: "application/json"]
        let body = #"{"caseType":"dhr","title":"Adult R","classification":"CONFIDENTIAL"}"#
        try await fixture.app.test(.router) { client in
            let refused = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("\"field\":\"classification\""))
        }
        let settings = SettingsStore(database: fixture.database)
        try await settings.save([PartnershipSettings.legacyConfidential.id: "OFFICIAL-SENSITIVE"],
                                expectedRevision: try await settings.values().revision, audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let taken = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(taken.status == .created)
            #expect(String(buffer: taken.body).contains("\"classification\":\"OFFICIAL-SENSITIVE\""))
        }
        await fixture.database.close()
    }

    /// The 404 and 403 pages are friendly and carry the request's reference (its X-Request-Id, on its log lines).
    @Test func errorPagesCarryTheRequestReference() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            let cookie: HTTPFields = [.cookie: "concord_session=" + fixture.sessions[.caseOfficer]!.token]
            for (path, status) in [("/no-such-page", HTTPResponse.Status.notFound), ("/audit", .forbidden)] {
                let response = try await client.execute(uri: path, method: .get, headers: cookie)
                #expect(response.status == status)
                let reference = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(String(buffer: response.body).contains("Reference: \(reference)"), "\(path)")
            }
        }
        await fixture.database.close()
    }

    /// Issue 2: "A database that is down gives 503, not a crash": a page and an API call answer 503 with the reason
    /// and a reference, and nothing of the underlying error.
    @Test func aDatabaseThatIsDownAnswers503() async throws {
        let fixture = try await WebFixture.make()
        await fixture.database.close()
        try await fixture.app.test(.router) { client in
            let page = try await client.execute(uri: "/asb", method: .get,
                                                headers: [.cookie: "concord_session=" + fixture.sessions[.caseOfficer]!.token])
            #expect(page.status == .serviceUnavailable)
            let html = String(buffer: page.body)
            #expect(html.contains("Concord cannot reach its database") && html.contains("Reference:"))
            #expect(!html.contains("has been closed"))
            let api = try await client.execute(uri: "/api/v1/cases", method: .get,
                                               headers: [.authorization: "Bearer " + fixture.tokens[.caseOfficer]!])
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: api.body).contains("\"status\":503"))
        }
    }
}

@Suite struct CaseReviewPageTests {
    /// A case officer records an application from the ASB case, sees the threshold and the clock, records the
    /// decision and prints the letter; a partnership manager sees it in the annual counts.
    @Test func applicationFromAnASBCaseThroughToTheDecisionLetter() async throws {
        let fixture = try await WebFixture.make()
        let area = try await DirectoryStore(database: fixture.database).createCSPArea(name: "Dover", districts: [("Dover", false)],
                                                                                     audit: .commandLine)
        let officer = fixture.sessions[.caseOfficer]!
        let users = try await UserStore(database: fixture.database).users()
        let principal = Principal(try #require(users.first { $0.roles.contains(.caseOfficer) }))
        let filter = AccessPolicy.visibilityFilter(for: principal, agreements: [], on: CalendarDate(Date()))
        let loaded = try await ASBStore(database: fixture.database).load(id: fixture.asbCaseId, filter: filter, audit: .commandLine)
        let asb = try #require(loaded)
        let reportId = try #require(asb.incidents.first?.reports.first?.id)
        // A closure on the next working day: the clocks step over it and say so.
        let calendar = CalendarStore(database: fixture.database)
        let working = try await calendar.calendar()
        let closed = try #require((1...10).map { CalendarDate(Date()).adding(days: $0) }.first(where: working.isWorkingDay))
        try await calendar.addClosure(ClosureDay(date: closed, reason: "Office move"), audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let form: HTTPFields = [.cookie: "concord_session=" + officer.token, .contentType: "application/x-www-form-urlencoded"]
            let created = try await client.execute(uri: "/case-reviews", method: .post, headers: form, body: ByteBuffer(string:
                "_csrf=\(officer.csrf)&areaId=\(area.id)&receivedOn=\(CalendarDate(Date()).iso)&channel=phone&applicant0.name=Amy&reportIds=\(reportId)"))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: [.cookie: "concord_session=" + officer.token])
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains("Threshold not met") && html.contains("Initial decision in writing") && html.contains("5 working days"))
            #expect(html.contains("<span class=\"hint\">Not counted: \(closed.long): Office move</span>"))
            let decided = try await client.execute(uri: location + "/steps", method: .post, headers: form, body: ByteBuffer(string:
                "_csrf=\(officer.csrf)&step=initial-decision&on=\(CalendarDate(Date()).iso)"))
            #expect(decided.status == .seeOther)
            let wrongStage = try await client.execute(uri: location + "/steps", method: .post, headers: form, body: ByteBuffer(string:
                "_csrf=\(officer.csrf)&step=initial-decision&on=\(CalendarDate(Date()).iso)"))
            #expect(wrongStage.status == .unprocessableContent)
            let letter = try await client.execute(uri: location + "/letters/decision", method: .get,
                                                  headers: [.cookie: "concord_session=" + officer.token])
            #expect(String(buffer: letter.body).contains("does not meet the threshold"))
            let manager = fixture.sessions[.partnershipManager]!
            let counts = try await client.execute(uri: "/case-reviews/counts.csv", method: .get,
                                                  headers: [.cookie: "concord_session=" + manager.token])
            let csv = String(buffer: counts.body)
            #expect(csv.hasPrefix("OFFICIAL\r\n") && csv.contains("Dover,\(CalendarDate(Date()).year),1,1,0,0"))
        }
        await fixture.database.close()
    }
}
