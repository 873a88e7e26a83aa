import Foundation

/// The four parts of every KCSP agenda (2013-10-17, 2014-07-08 and 2023-03-21 packs, front sheets).
public enum AgendaSection: String, Sendable, Codable, CaseIterable, Comparable {
    case committeeBusiness = "A"
    case discussion = "B"
    case information = "C"
    case restricted = "D"

    public var label: String {
        switch self {
        case .committeeBusiness: "Committee business"
        case .discussion: "Matters for discussion"
        case .information: "Matters for information"
        case .restricted: "Restricted items"
        }
    }

    public static func < (a: AgendaSection, b: AgendaSection) -> Bool { a.rawValue < b.rawValue }
}

/// How an item comes to the meeting: the packs show reports with page ranges, verbal updates, presentations,
/// papers "to be tabled" at the meeting and papers "to follow".
public enum AgendaItemKind: String, Sendable, Codable, CaseIterable {
    case report
    case verbalUpdate = "verbal-update"
    case presentation
    case tabled
    case toFollow = "to-follow"

    public var label: String {
        switch self {
        case .report: "Report"
        case .verbalUpdate: "Verbal update"
        case .presentation: "Presentation"
        case .tabled: "To be tabled"
        case .toFollow: "To follow"
        }
    }
}

/// The descriptions of exempt information in Local Government Act 1972 Schedule 12A Part 1 (as substituted in
/// England by SI 2006/88): the grounds on which an item is taken with the press and public excluded.
public enum ExemptionParagraph: Int, Sendable, Codable, CaseIterable {
    case individual = 1
    case identity = 2
    case financialAffairs = 3
    case labourRelations = 4
    case legalPrivilege = 5
    case statutoryNotice = 6
    case crime = 7

    public var label: String {
        switch self {
        case .individual: "Information relating to any individual"
        case .identity: "Information which is likely to reveal the identity of an individual"
        case .financialAffairs: "Information relating to the financial or business affairs of any particular person"
        case .labourRelations: "Consultations or negotiations in connection with any labour relations matter"
        case .legalPrivilege: "Information in respect of which a claim to legal professional privilege could be maintained"
        case .statutoryNotice: "Information revealing an intention to give a notice or make an order or direction under an enactment"
        case .crime: "Information relating to action taken or to be taken in connection with the prevention, investigation or prosecution of crime"
        }
    }

    public var citation: String { "LGA 1972 Sch. 12A para. \(rawValue)" }
}

/// Why an item is restricted, who may read it and when it may be released.
public struct Restriction: Sendable, Codable, Equatable {
    public var paragraph: ExemptionParagraph
    public var reason: String
    /// Roles that may read the item besides the body's members and the clerks.
    public var audience: Set<Role>
    /// The date from which the item and its papers may be published; nil keeps it restricted.
    public var releaseOn: CalendarDate?

    public init(paragraph: ExemptionParagraph, reason: String, audience: Set<Role> = [], releaseOn: CalendarDate? = nil) {
        self.paragraph = paragraph
        self.reason = reason
        self.audience = audience
        self.releaseOn = releaseOn
    }

    /// Whether the restriction still holds on `date`.
    public func applies(on date: CalendarDate) -> Bool {
        guard let releaseOn else { return true }
        return date < releaseOn
    }
}

/// A paper attached to an agenda item: its bytes are stored once, with a SHA-256 checksum.
public struct Paper: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agendaItemId: Int64
    public var fileName: String
    public var contentType: String
    public var byteCount: Int
    public var sha256: String
    public var pageCount: Int?
    public var scanStatus: PaperScanStatus
    public var uploadedAt: Date

    public init(id: Int64, agendaItemId: Int64, fileName: String, contentType: String, byteCount: Int, sha256: String,
                pageCount: Int?, scanStatus: PaperScanStatus, uploadedAt: Date) {
        self.id = id
        self.agendaItemId = agendaItemId
        self.fileName = fileName
        self.contentType = contentType
        self.byteCount = byteCount
        self.sha256 = sha256
        self.pageCount = pageCount
        self.scanStatus = scanStatus
        self.uploadedAt = uploadedAt
    }
}

/// What the virus-scan hook said of a paper. Papers are served only when the hook has not refused them.
public enum PaperScanStatus: String, Sendable, Codable {
    case notScanned = "not-scanned"
    case clean
    case refused
}

public struct AgendaItem: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var meetingId: Int64
    public var section: AgendaSection
    public var number: Int
    public var title: String
    public var kind: AgendaItemKind
    public var presenter: String?
    public var isStanding: Bool
    public var restriction: Restriction?
    /// Pages in the pack when no paper is uploaded (a paper's own page count is used otherwise).
    public var pageCount: Int?
    /// The forward-plan entry this item answers, if any.
    public var forwardPlanEntryId: Int64?
    public var isWithdrawn: Bool
    public var version: Int
    public var papers: [Paper]

    public init(id: Int64, meetingId: Int64, section: AgendaSection, number: Int, title: String, kind: AgendaItemKind,
                presenter: String? = nil, isStanding: Bool = false, restriction: Restriction? = nil, pageCount: Int? = nil,
                forwardPlanEntryId: Int64? = nil, isWithdrawn: Bool = false, version: Int = 1, papers: [Paper] = []) {
        self.id = id
        self.meetingId = meetingId
        self.section = section
        self.number = number
        self.title = title
        self.kind = kind
        self.presenter = presenter
        self.isStanding = isStanding
        self.restriction = restriction
        self.pageCount = pageCount
        self.forwardPlanEntryId = forwardPlanEntryId
        self.isWithdrawn = isWithdrawn
        self.version = version
        self.papers = papers
    }

    /// "A1", "B3", "D2": the code the packs and the minutes cite.
    public var code: String { "\(section.rawValue)\(number)" }

    /// Pages this item takes in the pack: its papers' pages, or the count the clerk gave.
    public var packPages: Int {
        let fromPapers = papers.compactMap(\.pageCount).reduce(0, +)
        return fromPapers > 0 ? fromPapers : pageCount ?? 0
    }

    public func isRestricted(on date: CalendarDate) -> Bool { restriction?.applies(on: date) ?? false }
}

/// The fields a clerk gives for an agenda item.
public struct AgendaItemInput: Sendable, Equatable {
    public var section: AgendaSection
    /// A code asked for explicitly ("B3"); nil takes the next free number in the section.
    public var code: String?
    public var title: String
    public var kind: AgendaItemKind
    public var presenter: String?
    public var isStanding: Bool
    public var restriction: Restriction?
    public var pageCount: Int?
    public var forwardPlanEntryId: Int64?

    public init(section: AgendaSection, code: String? = nil, title: String, kind: AgendaItemKind, presenter: String? = nil,
                isStanding: Bool = false, restriction: Restriction? = nil, pageCount: Int? = nil, forwardPlanEntryId: Int64? = nil) {
        self.section = section
        self.code = code
        self.title = title
        self.kind = kind
        self.presenter = presenter
        self.isStanding = isStanding
        self.restriction = restriction
        self.pageCount = pageCount
        self.forwardPlanEntryId = forwardPlanEntryId
    }
}

/// Where minutes stand: drafted by the clerk, published, then agreed as a true record at the next meeting.
public enum MinutesStatus: String, Sendable, Codable, CaseIterable {
    case draft, published, agreed

    public var label: String {
        switch self {
        case .draft: "Draft"
        case .published: "Published"
        case .agreed: "Agreed as a true record"
        }
    }
}

public struct Meeting: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var bodyId: Int64
    public var heldOn: CalendarDate
    /// Local start time in London, "HH:MM".
    public var startsAt: String
    /// The room and building; nil for an online meeting.
    public var venue: String?
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?
    /// A stable identifier for iCalendar UIDs and Open Civic Data ids.
    public var publicId: String
    public var isCancelled: Bool
    public var agendaPublishedAt: Date?
    /// The first page number of the pack (the 2013 and 2014 packs start items at page 3, after the agenda).
    public var packFirstPage: Int
    /// The number the meeting's minutes start from when earlier minutes are kept outside Concord.
    public var minutesStartAt: Int?
    public var minutesStatus: MinutesStatus
    public var minutesPublishedAt: Date?
    public var minutesAgreedAtMeetingId: Int64?
    public var minutesSignedBy: String?
    public var version: Int

    public init(id: Int64, bodyId: Int64, heldOn: CalendarDate, startsAt: String, venue: String?, contactName: String? = nil,
                contactPhone: String? = nil, contactEmail: String? = nil, publicId: String, isCancelled: Bool = false,
                agendaPublishedAt: Date? = nil, packFirstPage: Int = 1, minutesStartAt: Int? = nil,
                minutesStatus: MinutesStatus = .draft, minutesPublishedAt: Date? = nil, minutesAgreedAtMeetingId: Int64? = nil,
                minutesSignedBy: String? = nil, version: Int = 1) {
        self.id = id
        self.bodyId = bodyId
        self.heldOn = heldOn
        self.startsAt = startsAt
        self.venue = venue
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
        self.publicId = publicId
        self.isCancelled = isCancelled
        self.agendaPublishedAt = agendaPublishedAt
        self.packFirstPage = packFirstPage
        self.minutesStartAt = minutesStartAt
        self.minutesStatus = minutesStatus
        self.minutesPublishedAt = minutesPublishedAt
        self.minutesAgreedAtMeetingId = minutesAgreedAtMeetingId
        self.minutesSignedBy = minutesSignedBy
        self.version = version
    }

    public var isPublished: Bool { agendaPublishedAt != nil }
    public var location: String { venue ?? "Online" }
}

public struct MeetingInput: Sendable, Equatable {
    public var bodyId: Int64
    public var heldOn: CalendarDate
    public var startsAt: String
    public var venue: String?
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?
    public var packFirstPage: Int
    public var minutesStartAt: Int?

    public init(bodyId: Int64, heldOn: CalendarDate, startsAt: String, venue: String?, contactName: String? = nil,
                contactPhone: String? = nil, contactEmail: String? = nil, packFirstPage: Int = 1, minutesStartAt: Int? = nil) {
        self.bodyId = bodyId
        self.heldOn = heldOn
        self.startsAt = startsAt
        self.venue = venue
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
        self.packFirstPage = packFirstPage
        self.minutesStartAt = minutesStartAt
    }
}

/// The headings the minutes record attendance under (2014-07-08 pack L57–L61).
public enum AttendanceKind: String, Sendable, Codable, CaseIterable {
    case present
    case alsoPresent = "also-present"
    case inAttendance = "in-attendance"
    case apologies

    public var label: String {
        switch self {
        case .present: "Present"
        case .alsoPresent: "Also present"
        case .inAttendance: "In attendance"
        case .apologies: "Apologies"
        }
    }
}

public struct AttendanceEntry: Sendable, Codable, Equatable {
    public var personId: Int64
    public var personName: String
    public var kind: AttendanceKind
    /// The member this person stood in for ("Substitute for Ms S Billiald").
    public var substituteForPersonId: Int64?
    public var substituteForName: String?
    /// "Chairman", "Vice-Chairman", or an officer's job title as the minutes give it.
    public var capacity: String?

    public init(personId: Int64, personName: String, kind: AttendanceKind, substituteForPersonId: Int64? = nil,
                substituteForName: String? = nil, capacity: String? = nil) {
        self.personId = personId
        self.personName = personName
        self.kind = kind
        self.substituteForPersonId = substituteForPersonId
        self.substituteForName = substituteForName
        self.capacity = capacity
    }
}

/// Someone taking the chair part-way through a meeting ("50. Vice-Chairman in the Chair", "56. Chairman").
public struct ChairChange: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var personId: Int64
    public var personName: String
    /// The minute at which the change took effect, if one records it.
    public var atMinuteNumber: Int?
    public var note: String?

    public init(id: Int64, personId: Int64, personName: String, atMinuteNumber: Int?, note: String?) {
        self.id = id
        self.personId = personId
        self.personName = personName
        self.atMinuteNumber = atMinuteNumber
        self.note = note
    }
}

public struct Declaration: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var agendaItemId: Int64
    public var personId: Int64
    public var personName: String
    public var interest: String

    public init(id: Int64, agendaItemId: Int64, personId: Int64, personName: String, interest: String) {
        self.id = id
        self.agendaItemId = agendaItemId
        self.personId = personId
        self.personName = personName
        self.interest = interest
    }
}

/// What the body decided on a minute.
public enum ResolutionKind: String, Sendable, Codable, CaseIterable {
    case noted, agreed, approved, withdrawn, deferred

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

public struct Minute: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var meetingId: Int64
    public var number: Int
    public var title: String
    /// The agenda item the minute deals with, when it is on this meeting's agenda.
    public var agendaItemId: Int64?
    /// The item code as the minute cites it ("(Item C2)"): kept as written, even when it disagrees with the agenda.
    public var citedItemCode: String?
    /// Taken in private session (a restricted item): kept apart from the public minutes.
    public var isPrivate: Bool
    /// Numbered paragraphs (1), (2)…
    public var paragraphs: [String]
    public var resolution: ResolutionKind?
    public var resolutionText: String?
    public var version: Int

    public init(id: Int64, meetingId: Int64, number: Int, title: String, agendaItemId: Int64? = nil, citedItemCode: String? = nil,
                isPrivate: Bool = false, paragraphs: [String] = [], resolution: ResolutionKind? = nil, resolutionText: String? = nil,
                version: Int = 1) {
        self.id = id
        self.meetingId = meetingId
        self.number = number
        self.title = title
        self.agendaItemId = agendaItemId
        self.citedItemCode = citedItemCode
        self.isPrivate = isPrivate
        self.paragraphs = paragraphs
        self.resolution = resolution
        self.resolutionText = resolutionText
        self.version = version
    }
}

public struct MinuteInput: Sendable, Equatable {
    /// The number asked for; nil takes the next in the body's sequence.
    public var number: Int?
    public var title: String
    public var agendaItemId: Int64?
    public var citedItemCode: String?
    public var isPrivate: Bool
    public var paragraphs: [String]
    public var resolution: ResolutionKind?
    public var resolutionText: String?

    public init(number: Int? = nil, title: String, agendaItemId: Int64? = nil, citedItemCode: String? = nil, isPrivate: Bool = false,
                paragraphs: [String] = [], resolution: ResolutionKind? = nil, resolutionText: String? = nil) {
        self.number = number
        self.title = title
        self.agendaItemId = agendaItemId
        self.citedItemCode = citedItemCode
        self.isPrivate = isPrivate
        self.paragraphs = paragraphs
        self.resolution = resolution
        self.resolutionText = resolutionText
    }
}

/// An action recorded in a minute ("Action: Jim Parris"), on the body's action log until it is done.
public struct GovernanceAction: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var bodyId: Int64
    public var minuteId: Int64
    public var minuteNumber: Int
    /// The date of the meeting whose minute recorded the action.
    public var raisedOn: CalendarDate
    public var ownerName: String
    public var ownerPersonId: Int64?
    public var description: String
    public var dueMeetingId: Int64?
    /// The due meeting's date, or the date given when no meeting was named.
    public var dueOn: CalendarDate?
    public var completedOn: CalendarDate?
    public var completionNote: String?
    public var version: Int

    public init(id: Int64, bodyId: Int64, minuteId: Int64, minuteNumber: Int, raisedOn: CalendarDate, ownerName: String,
                ownerPersonId: Int64? = nil, description: String, dueMeetingId: Int64? = nil, dueOn: CalendarDate? = nil,
                completedOn: CalendarDate? = nil, completionNote: String? = nil, version: Int = 1) {
        self.id = id
        self.bodyId = bodyId
        self.minuteId = minuteId
        self.minuteNumber = minuteNumber
        self.raisedOn = raisedOn
        self.ownerName = ownerName
        self.ownerPersonId = ownerPersonId
        self.description = description
        self.dueMeetingId = dueMeetingId
        self.dueOn = dueOn
        self.completedOn = completedOn
        self.completionNote = completionNote
        self.version = version
    }

    public var isOpen: Bool { completedOn == nil }
}

public struct GovernanceActionInput: Sendable, Equatable {
    public var ownerName: String
    public var ownerPersonId: Int64?
    public var description: String
    public var dueMeetingId: Int64?
    public var dueOn: CalendarDate?

    public init(ownerName: String, ownerPersonId: Int64? = nil, description: String, dueMeetingId: Int64? = nil, dueOn: CalendarDate? = nil) {
        self.ownerName = ownerName
        self.ownerPersonId = ownerPersonId
        self.description = description
        self.dueMeetingId = dueMeetingId
        self.dueOn = dueOn
    }
}

/// Business promised to a future meeting ("a further report … at the next meeting").
public struct ForwardPlanEntry: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var bodyId: Int64
    public var title: String
    public var sourceMinuteId: Int64?
    public var sourceMinuteNumber: Int?
    public var forMeetingId: Int64?
    /// When no meeting is named: the date by which it should come.
    public var dueBy: CalendarDate?

    public init(id: Int64, bodyId: Int64, title: String, sourceMinuteId: Int64? = nil, sourceMinuteNumber: Int? = nil,
                forMeetingId: Int64? = nil, dueBy: CalendarDate? = nil) {
        self.id = id
        self.bodyId = bodyId
        self.title = title
        self.sourceMinuteId = sourceMinuteId
        self.sourceMinuteNumber = sourceMinuteNumber
        self.forMeetingId = forMeetingId
        self.dueBy = dueBy
    }
}
