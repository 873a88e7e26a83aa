import Foundation

/// A Community Safety Agreement: the statutory county agreement in two-tier areas (Crime and Disorder Act 1998
/// as amended in 2006; 2014-07-08 pack appendix A, 2023-03-21 pack report B1).
public struct Agreement: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var title: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?

    public init(id: Int64, title: String, startsOn: CalendarDate, endsOn: CalendarDate?) {
        self.id = id
        self.title = title
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}

public enum VersionStatus: String, Sendable, Codable, CaseIterable {
    case draft, approved, published
}

/// One entry of a version's change log: the chapter or appendix and what changed, or that it is still to be
/// updated ("Foreword – to be updated", 2023-03-21 pack L287).
public struct VersionChange: Sendable, Codable, Equatable {
    public var section: String
    public var text: String
    public var toBeUpdated: Bool

    public init(section: String, text: String, toBeUpdated: Bool = false) {
        self.section = section
        self.text = text
        self.toBeUpdated = toBeUpdated
    }
}

/// A version of an agreement (1.0 … 7.0), effective on 1 April.
public struct AgreementVersion: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agreementId: Int64
    public var number: String
    public var effectiveOn: CalendarDate
    public var status: VersionStatus
    public var changes: [VersionChange]
    public var version: Int

    public init(id: Int64, agreementId: Int64, number: String, effectiveOn: CalendarDate, status: VersionStatus, changes: [VersionChange],
                version: Int = 1) {
        self.id = id
        self.agreementId = agreementId
        self.number = number
        self.effectiveOn = effectiveOn
        self.status = status
        self.changes = changes
        self.version = version
    }
}

public enum TopicKind: String, Sendable, Codable, CaseIterable {
    case priority
    case theme = "cross-cutting-theme"

    public var label: String { self == .priority ? "Priority" : "Cross-cutting theme" }
}

/// What happened to a priority or theme in a year's refresh.
public enum LineageKind: String, Sendable, Codable, CaseIterable {
    case created, renamed, expanded, split, merged, retired
}

public struct LineageEvent: Sendable, Codable, Equatable {
    public var kind: LineageKind
    public var year: Int
    /// The topics it came from (renamed, expanded, split, merged) or went into (retired into).
    public var relatedTopicIds: [Int64]
    public var note: String?

    public init(kind: LineageKind, year: Int, relatedTopicIds: [Int64] = [], note: String? = nil) {
        self.kind = kind
        self.year = year
        self.relatedTopicIds = relatedTopicIds
        self.note = note
    }
}

/// A priority or a cross-cutting theme of an agreement.
public struct Topic: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agreementId: Int64
    public var kind: TopicKind
    public var name: String
    /// "Includes" sub-topics (2023-03-21 pack L446–L451).
    public var includes: [String]
    /// The lead's role; nil is "TBC".
    public var leadRole: String?
    public var leadPerson: String?
    /// The Police and Crime Plan priorities this one links to.
    public var policeAndCrimePlanLinks: [String]
    public var lineage: [LineageEvent]

    public init(id: Int64, agreementId: Int64, kind: TopicKind, name: String, includes: [String] = [], leadRole: String? = nil,
                leadPerson: String? = nil, policeAndCrimePlanLinks: [String] = [], lineage: [LineageEvent] = []) {
        self.id = id
        self.agreementId = agreementId
        self.kind = kind
        self.name = name
        self.includes = includes
        self.leadRole = leadRole
        self.leadPerson = leadPerson
        self.policeAndCrimePlanLinks = policeAndCrimePlanLinks
        self.lineage = lineage
    }

    /// Whether the topic stands in `year`: created (or renamed, expanded, split, merged into being) by then and not
    /// retired by then.
    public func isActive(in year: Int) -> Bool {
        let started = lineage.filter { $0.kind != .retired }.map(\.year).min() ?? Int.min
        let retired = lineage.filter { $0.kind == .retired }.map(\.year).min() ?? Int.max
        return started <= year && year < retired
    }

    public var lead: String {
        guard let leadRole else { return "TBC" }
        return leadPerson.map { "\($0) (\(leadRole))" } ?? leadRole
    }
}

/// The lists an agreement keeps: plans it links to, responsible authorities, signatories, possible future areas.
public enum AgreementListKind: String, Sendable, Codable, CaseIterable {
    case linkedPlan = "linked-plan"
    case responsibleAuthority = "responsible-authority"
    case signatory
    case futureArea = "future-area"

    public var label: String {
        switch self {
        case .linkedPlan: "Links to plans"
        case .responsibleAuthority: "Responsible authorities"
        case .signatory: "Signatories"
        case .futureArea: "Possible future areas"
        }
    }
}

// MARK: Inputs to a refresh

/// How a local CSP's strategic assessment holds an issue.
public enum AssessmentClassification: String, Sendable, Codable, CaseIterable {
    case mainPriority = "main-priority"
    case crossCuttingTheme = "cross-cutting-theme"
    case broaderTheme = "part-of-broader-theme"
}

public struct AssessmentEntry: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var versionId: Int64
    public var cspAreaId: Int64
    public var issue: String
    public var classification: AssessmentClassification
    public var isAgreed: Bool

    public init(id: Int64, versionId: Int64, cspAreaId: Int64, issue: String, classification: AssessmentClassification, isAgreed: Bool) {
        self.id = id
        self.versionId = versionId
        self.cspAreaId = cspAreaId
        self.issue = issue
        self.classification = classification
        self.isAgreed = isAgreed
    }
}

/// A MoRiLE (Management of Risk in Law Enforcement) score for one element of community safety.
public struct MoRiLEScore: Sendable, Codable, Equatable {
    public var element: String
    public var threat: Int
    public var risk: Int
    public var harm: Int

    public init(element: String, threat: Int, risk: Int, harm: Int) {
        self.element = element
        self.threat = threat
        self.risk = risk
        self.harm = harm
    }

    public var total: Int { threat + risk + harm }
}

/// PESTELO horizon scanning categories (2023-03-21 pack appendix C).
public enum PESTELOCategory: String, Sendable, Codable, CaseIterable {
    case political, economic, social, technological, environmental, legal, organisational

    public var label: String {
        self == .social ? "Social / Demographic" : rawValue.prefix(1).uppercased() + rawValue.dropFirst()
    }
}

public struct HorizonItem: Sendable, Codable, Equatable {
    public var category: PESTELOCategory
    public var text: String

    public init(category: PESTELOCategory, text: String) {
        self.category = category
        self.text = text
    }
}

// MARK: Action plan

/// Progress against an action, as the appendices' "Key to Progress against Actions" gives it.
public enum ActionStatus: String, Sendable, Codable, CaseIterable {
    case complete
    case inProgress = "in-progress"
    case incomplete

    public var label: String {
        switch self {
        case .complete: "Complete"
        case .inProgress: "In Progress"
        case .incomplete: "Incomplete"
        }
    }

    /// The RAG colour, always shown with the label (never colour alone).
    public var colour: RAG {
        switch self {
        case .complete: .green
        case .inProgress: .amber
        case .incomplete: .red
        }
    }
}

public enum RAG: String, Sendable, Codable {
    case red, amber, green

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// When an action is due: a year, a date, "TBC" or "Ongoing" (the 2014–17 plan leaves many blank).
public enum Timescale: Sendable, Codable, Equatable {
    case year(Int)
    case date(CalendarDate)
    case toBeConfirmed
    case ongoing

    public var label: String {
        switch self {
        case .year(let year): String(year)
        case .date(let date): date.long
        case .toBeConfirmed: "TBC"
        case .ongoing: "Ongoing"
        }
    }

    /// The stored text: "2015", "2015-03-31", "TBC", "ongoing".
    public var storage: String {
        switch self {
        case .year(let year): String(year)
        case .date(let date): date.iso
        case .toBeConfirmed: "TBC"
        case .ongoing: "ongoing"
        }
    }

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.uppercased() == "TBC" { self = .toBeConfirmed; return }
        if trimmed.lowercased() == "ongoing" { self = .ongoing; return }
        if let date = CalendarDate(iso: trimmed) { self = .date(date); return }
        if trimmed.count == 4, let year = Int(trimmed), (2000...2100).contains(year) { self = .year(year); return }
        return nil
    }
}

public struct Aim: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agreementId: Int64
    /// Nil: "Miscellaneous — N/A".
    public var priorityId: Int64?
    public var number: Int
    public var text: String

    public init(id: Int64, agreementId: Int64, priorityId: Int64?, number: Int, text: String) {
        self.id = id
        self.agreementId = agreementId
        self.priorityId = priorityId
        self.number = number
        self.text = text
    }
}

public struct ProgressEntry: Sendable, Codable, Equatable {
    public var on: CalendarDate
    public var status: ActionStatus
    public var text: String
    public var byUserId: Int64?
    public var recordedAt: Date

    public init(on: CalendarDate, status: ActionStatus, text: String, byUserId: Int64?, recordedAt: Date) {
        self.on = on
        self.status = status
        self.text = text
        self.byUserId = byUserId
        self.recordedAt = recordedAt
    }
}

public struct PlanAction: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var aimId: Int64
    public var text: String
    public var leadAgencyId: Int64?
    public var timescale: Timescale?
    public var themeIds: [Int64]
    /// Dated progress, oldest first; the status is the latest entry's.
    public var progress: [ProgressEntry]
    public var version: Int

    public init(id: Int64, aimId: Int64, text: String, leadAgencyId: Int64?, timescale: Timescale?, themeIds: [Int64],
                progress: [ProgressEntry], version: Int = 1) {
        self.id = id
        self.aimId = aimId
        self.text = text
        self.leadAgencyId = leadAgencyId
        self.timescale = timescale
        self.themeIds = themeIds
        self.progress = progress
        self.version = version
    }

    /// Progress as it stood on `date`: the latest entry dated on or before it.
    public func progress(on date: CalendarDate) -> ProgressEntry? {
        progress.last { $0.on <= date }
    }
}

// MARK: Performance measures

public enum MeasureUnit: String, Sendable, Codable, CaseIterable {
    case count, percentage
}

public enum Polarity: String, Sendable, Codable, CaseIterable {
    case higherIsBetter = "higher-is-better"
    case lowerIsBetter = "lower-is-better"
}

public enum MeasureStatus: String, Sendable, Codable, CaseIterable {
    case active
    case noLongerMonitored = "no-longer-monitored"
    case replaced

    public var label: String {
        switch self {
        case .active: "Active"
        case .noLongerMonitored: "No longer monitored"
        case .replaced: "Replaced"
        }
    }
}

/// How a measure's periods run.
public enum PeriodKind: String, Sendable, Codable, CaseIterable {
    /// April–March: "2013/14".
    case financialYear = "financial-year"
    /// January–December: "2013".
    case calendarYear = "calendar-year"
    /// Financial-year quarters: "Q1 2013/14" (April–June).
    case quarter
    /// A month: "2014-03".
    case month
    /// The 12 months to a month: "12 months to 2013-06".
    case rolling12 = "rolling-12-months"
    /// Any other span, labelled as the paper does ("2012/13" for July–June) with its end date.
    case custom

    public var label: String {
        switch self {
        case .financialYear: "April – March"
        case .calendarYear: "Jan – Dec"
        case .quarter: "Quarter"
        case .month: "Month"
        case .rolling12: "Rolling 12 months"
        case .custom: "Custom"
        }
    }
}

public struct Period: Sendable, Codable, Hashable {
    public var kind: PeriodKind
    public var label: String
    public var endsOn: CalendarDate

    public init(kind: PeriodKind, label: String, endsOn: CalendarDate) {
        self.kind = kind
        self.label = label
        self.endsOn = endsOn
    }
}

public struct Baseline: Sendable, Codable, Equatable {
    /// "'10/11", "Jan-Dec '10".
    public var label: String
    public var value: Double

    public init(label: String, value: Double) {
        self.label = label
        self.value = value
    }
}

/// A baseline changed after the fact, kept with its previous value and why ("the January to December 2010
/// baseline has been amended from 545 to 547", 2014-07-08 pack L885).
public struct BaselineRestatement: Sendable, Codable, Equatable {
    public var on: CalendarDate
    public var previousValue: Double
    public var newValue: Double
    public var note: String

    public init(on: CalendarDate, previousValue: Double, newValue: Double, note: String) {
        self.on = on
        self.previousValue = previousValue
        self.newValue = newValue
        self.note = note
    }
}

public struct Measure: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agreementId: Int64
    public var priorityId: Int64?
    public var name: String
    /// "Kent excluding Medway".
    public var geography: String?
    public var unit: MeasureUnit
    public var polarity: Polarity
    public var source: String?
    public var periodKinds: Set<PeriodKind>
    public var baseline: Baseline?
    public var restatements: [BaselineRestatement]
    public var status: MeasureStatus
    public var replacedById: Int64?
    /// Practitioner-only data ("not intended for publication", 2014-07-08 pack L810): hidden from the public view.
    public var isPractitionerOnly: Bool
    /// The RAG tolerance for this measure, in percent (counts) or points (percentages); nil takes the setting.
    public var ragTolerance: Double?
    public var version: Int

    public init(id: Int64, agreementId: Int64, priorityId: Int64?, name: String, geography: String?, unit: MeasureUnit, polarity: Polarity,
                source: String? = nil, periodKinds: Set<PeriodKind>, baseline: Baseline?, restatements: [BaselineRestatement] = [],
                status: MeasureStatus = .active, replacedById: Int64? = nil, isPractitionerOnly: Bool = false, ragTolerance: Double? = nil,
                version: Int = 1) {
        self.id = id
        self.agreementId = agreementId
        self.priorityId = priorityId
        self.name = name
        self.geography = geography
        self.unit = unit
        self.polarity = polarity
        self.source = source
        self.periodKinds = periodKinds
        self.baseline = baseline
        self.restatements = restatements
        self.status = status
        self.replacedById = replacedById
        self.isPractitionerOnly = isPractitionerOnly
        self.ragTolerance = ragTolerance
        self.version = version
    }

    /// The baseline as it stood on `date`: a later restatement is undone by taking its previous value.
    public func baselineValue(on date: CalendarDate) -> Double? {
        guard let baseline else { return nil }
        return restatements.sorted { $0.on > $1.on }.filter { $0.on > date }.last?.previousValue ?? baseline.value
    }
}

public struct MeasureValue: Sendable, Codable, Equatable {
    public var measureId: Int64
    public var period: Period
    /// The column heading of its series when it is not the kind's ("July – June", "Sep - Aug").
    public var heading: String?
    public var value: Double
    /// Shown instead of the number when the paper prints more ("577 (20%)").
    public var display: String?
    public var isUnvalidated: Bool
    /// When final figures are due ("final figures will be released in April 2015").
    public var finalDueOn: CalendarDate?

    public init(measureId: Int64, period: Period, heading: String? = nil, value: Double, display: String? = nil, isUnvalidated: Bool = false,
                finalDueOn: CalendarDate? = nil) {
        self.measureId = measureId
        self.period = period
        self.heading = heading
        self.value = value
        self.display = display
        self.isUnvalidated = isUnvalidated
        self.finalDueOn = finalDueOn
    }
}

/// A dated commentary on a measure (or a note on it: a restated baseline, a definition change).
public struct Commentary: Sendable, Codable, Equatable {
    public var measureId: Int64
    public var on: CalendarDate
    public var text: String
    public var isNote: Bool

    public init(measureId: Int64, on: CalendarDate, text: String, isNote: Bool = false) {
        self.measureId = measureId
        self.on = on
        self.text = text
        self.isNote = isNote
    }
}
