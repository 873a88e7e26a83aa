import ConcordDomain
import Foundation
import Testing

@Suite struct ClassificationTests {
    @Test func parsesMarkingsWithDescriptors() throws {
        #expect(try Classification.parse("OFFICIAL-SENSITIVE PERSONAL") == .officialSensitivePersonal)
        #expect(try Classification.parse("official sensitive").marking == "OFFICIAL-SENSITIVE")
    }

    @Test(arguments: ["SECRET", "TOP SECRET"])
    func refusesAboveOfficial(_ marking: String) {
        #expect(throws: Classification.ParseError.self) { try Classification.parse(marking) }
    }

    /// domain-rules.md: PROTECT → OFFICIAL, RESTRICTED → OFFICIAL-SENSITIVE, CONFIDENTIAL refused unless mapped.
    @Test func mapsLegacyGPMSMarkings() throws {
        #expect(try Classification.parse("PROTECT") == .official)
        #expect(try Classification.parse("RESTRICTED") == .officialSensitive)
        #expect(throws: Classification.ParseError.legacyNeedsMapping("CONFIDENTIAL")) { try Classification.parse("CONFIDENTIAL") }
        #expect(try Classification.parse("CONFIDENTIAL", legacyMappings: ["CONFIDENTIAL": .officialSensitive]) == .officialSensitive)
    }
}

@Suite struct PasswordPolicyTests {
    @Test func refusesShortCommonAndOwnName() {
        #expect(throws: ValidationError.self) { try PasswordPolicy.check("short") }
        #expect(throws: ValidationError.self) { try PasswordPolicy.check("Password1234") }
        #expect(throws: ValidationError.self) { try PasswordPolicy.check("liverpool2024!") }
        #expect(throws: ValidationError.self) { try PasswordPolicy.check("aaaaaaaaaaaaaa") }
        #expect(throws: ValidationError.self) { try PasswordPolicy.check("jane.smith-garden", email: "jane.smith@kent.gov.uk") }
        #expect(throws: ValidationError.self) { try PasswordPolicy.check(String(repeating: "horse battery ", count: 6)) }
    }

    @Test func acceptsLongUncommonPassphrase() throws {
        try PasswordPolicy.check("correct kettle lantern", email: "jane.smith@kent.gov.uk")
    }
}

@Suite struct CalendarDateTests {
    @Test func rejectsImpossibleDates() {
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2026-4-1") == nil)
        #expect(CalendarDate(iso: "2022-07-01")?.long == "1 July 2022")
    }

    @Test func londonDateOfAnInstantAcrossMidnightBST() {
        // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        let instant = Date(timeIntervalSince1970: 1_656_631_800)
        #expect(CalendarDate(instant).iso == "2022-07-01")
    }

    /// The London day last asked for is remembered with its bounds; each instant must still get its own date,
    /// on either side of a midnight and across the 23-hour and 25-hour days of the clock changes.
    @Test func londonDatesOfNeighbouringInstants() {
        let cases: [(String, String)] = [
            ("2026-06-30T22:59:59.999Z", "2026-06-30"), ("2026-06-30T23:00:00.000Z", "2026-07-01"),
            ("2026-06-30T22:59:59.999Z", "2026-06-30"), ("2026-06-30T00:00:00.000Z", "2026-06-30"),
            ("2026-06-29T23:00:00.000Z", "2026-06-30"), ("2026-06-29T22:59:59.999Z", "2026-06-29"),
            // 29 March 2026: the clocks go forward at 01:00 GMT, so London's day ends at 23:00 UTC.
            ("2026-03-29T00:30:00.000Z", "2026-03-29"), ("2026-03-29T22:59:59.999Z", "2026-03-29"),
            ("2026-03-29T23:00:00.000Z", "2026-03-30"), ("2026-03-28T23:59:59.999Z", "2026-03-28"),
            // 25 October 2026: the clocks go back at 01:00 GMT, so London's day runs from 23:00 UTC to 00:00 UTC.
            ("2026-10-24T23:00:00.000Z", "2026-10-25"), ("2026-10-25T23:59:59.999Z", "2026-10-25"),
            ("2026-10-26T00:00:00.000Z", "2026-10-26"), ("2026-10-24T22:59:59.999Z", "2026-10-24"),
        ]
        for (instant, date) in cases {
            #expect(CalendarDate(Instant.parse(instant)!).iso == date, "\(instant)")
        }
    }
}

@Suite struct AccessPolicyTests {
    let police: Int64 = 1, council: Int64 = 2, fire: Int64 = 3, housing: Int64 = 4

    func principal(_ agency: Int64, _ roles: Set<Role>) -> Principal {
        Principal(userId: 9, agencyId: agency, roles: roles, displayName: "T")
    }

    var agreement: SharingAgreement {
        SharingAgreement(id: 1, title: "ASB ISA", purpose: "p", lawfulBasis: "s.115", parties: [police, council, fire],
                         caseTypes: [.asb], startsOn: CalendarDate(iso: "2014-04-01")!, endsOn: CalendarDate(iso: "2030-03-31"))
    }

    @Test func agreementGrantsReadNotWrite() {
        let viewer = principal(fire, [.caseOfficer])
        let filter = AccessPolicy.visibilityFilter(for: viewer, agreements: [agreement], on: CalendarDate(iso: "2026-11-23")!)
        let facts = CaseAccessFacts(caseType: .asb, owningAgencyId: council, classification: .officialSensitivePersonal)
        #expect(AccessPolicy.decide(viewer, .view, facts, filter: filter) == .allowed)
        #expect(AccessPolicy.decide(viewer, .update, facts, filter: filter) == .forbidden)
        var restricted = facts
        restricted.isRestricted = true
        #expect(AccessPolicy.decide(viewer, .view, restricted, filter: filter) == .hidden)
    }

    @Test func agreementOutOfForceOrOtherTypeGrantsNothing() {
        let viewer = principal(fire, [.caseOfficer, .maracCoordinator])
        let expired = AccessPolicy.visibilityFilter(for: viewer, agreements: [agreement], on: CalendarDate(iso: "2031-01-01")!)
        #expect(!expired.admits(CaseAccessFacts(caseType: .asb, owningAgencyId: council, classification: .official)))
        let inForce = AccessPolicy.visibilityFilter(for: viewer, agreements: [agreement], on: CalendarDate(iso: "2026-01-01")!)
        #expect(!inForce.admits(CaseAccessFacts(caseType: .marac, owningAgencyId: council, classification: .official)))
    }

    @Test func rolesWithoutCaseWorkSeeNoCases() {
        for role in [Role.administrator, .auditor, .democraticServicesClerk, .partnershipMember] {
            let filter = AccessPolicy.visibilityFilter(for: principal(council, [role]), agreements: [agreement], on: CalendarDate(iso: "2026-01-01")!)
            #expect(filter.seesNothing)
            #expect(!filter.admits(CaseAccessFacts(caseType: .asb, owningAgencyId: council, classification: .official)))
        }
    }

    @Test func sharedAgencyMayUpdateButOnlyOwnerDeletes() {
        let filterFor = { (p: Principal) in AccessPolicy.visibilityFilter(for: p, agreements: [], on: CalendarDate(iso: "2026-01-01")!) }
        let facts = CaseAccessFacts(caseType: .dhr, owningAgencyId: council, sharedWith: [police], classification: .officialSensitive,
                                    isRestricted: true)
        let panel = principal(police, [.dhrOfficer])
        #expect(AccessPolicy.decide(panel, .update, facts, filter: filterFor(panel)) == .allowed)
        #expect(AccessPolicy.decide(panel, .delete, facts, filter: filterFor(panel)) == .forbidden)
        let outsider = principal(housing, [.dhrOfficer])
        #expect(AccessPolicy.decide(outsider, .view, facts, filter: filterFor(outsider)) == .hidden)
    }
}

@Suite struct AuditModelTests {
    @Test func secretsAreRedactedInChanges() {
        let change = FieldChange(field: "passwordHash", before: "$2b$old", after: "$2b$new")
        #expect(change.before == FieldChange.redacted && change.after == FieldChange.redacted)
        let diff = FieldChange.diff(before: [("name", "A"), ("kind", "police")], after: [("name", "B"), ("kind", "police")])
        #expect(diff == [FieldChange(field: "name", before: "A", after: "B")])
    }

    @Test func canonicalFormSeparatesFieldsUnambiguously() {
        let a = AuditRecord(context: AuditContext(requestId: "a|b"), action: .view, recordType: "case")
        let b = AuditRecord(context: AuditContext(requestId: "a"), action: .view, recordType: "case", note: "b")
        #expect(AuditEntry.canonical(id: 1, occurredAt: "t", record: a, changesJSON: "[]")
            != AuditEntry.canonical(id: 1, occurredAt: "t", record: b, changesJSON: "[]"))
    }
}

/// The byte-level parsers the CSV import leans on: the same answers as a careful reading of the text.
@Suite struct FastParsingTests {
    @Test(arguments: [("me14 1xq", "ME14 1XQ"), ("ME141XQ", "ME14 1XQ"), ("  sw1a\t2aa ", "SW1A 2AA"), ("M1 1AE", "M1 1AE"),
                      ("EC1A 1BB", "EC1A 1BB")])
    func postcodesAreNormalised(_ text: String, _ expected: String) {
        #expect(ASBRules.normalisedPostcode(text) == expected)
    }

    @Test(arguments: ["", "ME14", "1E14 1XQ", "MEE 1XQ", "ME14 XXQ", "ME14 11Q", "ME14-1XQ", "ME14 1XQQ", "ME١4 1XQ", "ME14\u{A0}1XQ"])
    func nonPostcodesAreRefused(_ text: String) {
        #expect(ASBRules.normalisedPostcode(text) == nil)
    }

    @Test func isoDatesAreReadDigitByDigit() {
        #expect(CalendarDate(iso: "2026-12-31") == CalendarDate(year: 2026, month: 12, day: 31))
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(CalendarDate(iso: "2026-00-10") == nil)
        #expect(CalendarDate(iso: "2026-04-31") == nil)
        #expect(CalendarDate(iso: "2026/04/01") == nil)
        #expect(CalendarDate(iso: "２026-04-01") == nil)
        #expect(CalendarDate(iso: "0000-01-01") == nil)
    }
}
