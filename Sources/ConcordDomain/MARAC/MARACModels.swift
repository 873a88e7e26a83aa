import Foundation

/// How often an area MARAC meets. The 2023 model is five area MARACs meeting monthly; before it, 13 areas met
/// fortnightly and Medway weekly (2023-03-21 pack, report B3).
public enum MeetingFrequency: String, Sendable, Codable, CaseIterable {
    case weekly, fortnightly, monthly

    public var label: String {
        switch self {
        case .weekly: "Weekly"
        case .fortnightly: "Fortnightly"
        case .monthly: "Monthly"
        }
    }
}

/// An area MARAC: the districts it covers, when it meets, the agencies represented at it (each with its point of
/// contact) and the adult female population the SafeLives rate is counted against.
public struct MARACArea: Sendable, Codable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var frequency: MeetingFrequency
    /// The first meeting; later ones follow the frequency (monthly: the same weekday of the same week of the month).
    public var firstMeetingOn: CalendarDate
    public var adultFemalePopulation: Int?
    public var districtIds: [Int64]
    public var version: Int

    public init(id: Int64, name: String, frequency: MeetingFrequency, firstMeetingOn: CalendarDate,
                adultFemalePopulation: Int?, districtIds: [Int64], version: Int = 1) {
        self.id = id
        self.name = name
        self.frequency = frequency
        self.firstMeetingOn = firstMeetingOn
        self.adultFemalePopulation = adultFemalePopulation
        self.districtIds = districtIds
        self.version = version
    }
}

/// An agency represented at an area MARAC, and the person who answers for its actions: the Point of Contact with
/// authority to commit resources (SafeLives operating protocols).
public struct MARACRepresentation: Sendable, Codable, Equatable {
    public var areaId: Int64
    public var agencyId: Int64
    public var pointOfContactUserId: Int64?

    public init(areaId: Int64, agencyId: Int64, pointOfContactUserId: Int64?) {
        self.areaId = areaId
        self.agencyId = agencyId
        self.pointOfContactUserId = pointOfContactUserId
    }
}

/// The MARAC Hub team: "a MARAC manager, supervisor and four full time MARAC coordinators" who chair and
/// coordinate every area MARAC (2023-03-21 pack, report B3).
public enum HubRole: String, Sendable, Codable, CaseIterable {
    case manager, supervisor, coordinator

    public var label: String {
        switch self {
        case .manager: "MARAC manager"
        case .supervisor: "MARAC supervisor"
        case .coordinator: "MARAC coordinator"
        }
    }

    /// Meetings are chaired by the manager or the supervisor, for consistent chairing.
    public var mayChair: Bool { self != .coordinator }
}

/// One answer on the risk checklist.
public enum ChecklistAnswer: String, Sendable, Codable, CaseIterable {
    case yes, no
    case notKnown = "not-known"

    public var label: String {
        switch self {
        case .yes: "Yes"
        case .no: "No"
        case .notKnown: "Not known"
        }
    }

    /// One letter per answer, for storage ("Y", "N", "U").
    var code: Character {
        switch self {
        case .yes: "Y"
        case .no: "N"
        case .notKnown: "U"
        }
    }
}

/// The answers to the risk checklist, in question order. Score = the number of yes answers (SafeLives DASH).
public struct RiskChecklist: Sendable, Equatable {
    public let answers: [ChecklistAnswer]

    public init(answers: [ChecklistAnswer]) {
        self.answers = answers
    }

    public var score: Int { answers.count { $0 == .yes } }

    /// "YNUY…": one letter per answer.
    public var encoded: String { String(answers.map(\.code)) }

    public init?(encoded: String) {
        var answers: [ChecklistAnswer] = []
        for letter in encoded {
            guard let answer = ChecklistAnswer.allCases.first(where: { $0.code == letter }) else { return nil }
            answers.append(answer)
        }
        self.answers = answers
    }
}

/// Why a case came to MARAC (SafeLives referral criteria). A referral may meet several.
public enum ReferralRoute: String, Sendable, Codable, CaseIterable, Comparable {
    case visibleHighRisk = "visible-high-risk"
    case professionalJudgement = "professional-judgement"
    case potentialEscalation = "potential-escalation"
    case `repeat`

    public var label: String {
        switch self {
        case .visibleHighRisk: "Visible high risk"
        case .professionalJudgement: "Professional judgement"
        case .potentialEscalation: "Potential escalation"
        case .repeat: "Repeat"
        }
    }

    public static func < (a: ReferralRoute, b: ReferralRoute) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Sex of the victim, for the national dataset ("% male victims"). Optional; "prefer not to say" is an answer.
public enum RecordedSex: String, Sendable, Codable, CaseIterable {
    case female, male
    case another
    case preferNotToSay = "prefer-not-to-say"

    public var label: String {
        switch self {
        case .female: "Female"
        case .male: "Male"
        case .another: "Another term"
        case .preferNotToSay: "Prefer not to say"
        }
    }
}

/// Ethnic group at the ONS's top level. SafeLives counts victims who are Black, Asian or racially minoritised:
/// every group here but White (a White minority such as Gypsy or Irish Traveller is recorded as Other).
public enum EthnicGroup: String, Sendable, Codable, CaseIterable {
    case white, mixed, asian, black, other
    case preferNotToSay = "prefer-not-to-say"

    public var label: String {
        switch self {
        case .white: "White"
        case .mixed: "Mixed or multiple ethnic groups"
        case .asian: "Asian or Asian British"
        case .black: "Black, Black British, Caribbean or African"
        case .other: "Other ethnic group"
        case .preferNotToSay: "Prefer not to say"
        }
    }

    public var isRaciallyMinoritised: Bool { self != .white && self != .preferNotToSay }
}

/// A yes/no question the person may decline (disability, LGBT+).
public enum DeclinableAnswer: String, Sendable, Codable, CaseIterable {
    case yes, no
    case preferNotToSay = "prefer-not-to-say"

    public var label: String {
        switch self {
        case .yes: "Yes"
        case .no: "No"
        case .preferNotToSay: "Prefer not to say"
        }
    }
}

/// The national dataset's diversity fields; every one optional.
public struct VictimDiversity: Sendable, Codable, Equatable {
    public var age: Int?
    public var sex: RecordedSex?
    public var ethnicGroup: EthnicGroup?
    public var disability: DeclinableAnswer?
    public var lgbt: DeclinableAnswer?

    public init(age: Int? = nil, sex: RecordedSex? = nil, ethnicGroup: EthnicGroup? = nil, disability: DeclinableAnswer? = nil,
                lgbt: DeclinableAnswer? = nil) {
        self.age = age
        self.sex = sex
        self.ethnicGroup = ethnicGroup
        self.disability = disability
        self.lgbt = lgbt
    }
}

/// The victim's contact details: shown only to those who need them (see `MARACRules.maySeeContactDetails`).
public struct VictimContact: Sendable, Codable, Equatable {
    public var address: String?
    public var postcode: String?
    public var phone: String?
    public var email: String?
    /// How to contact them safely ("only call on weekday mornings").
    public var safeContactNotes: String?

    public init(address: String? = nil, postcode: String? = nil, phone: String? = nil, email: String? = nil,
                safeContactNotes: String? = nil) {
        self.address = address
        self.postcode = postcode
        self.phone = phone
        self.email = email
        self.safeContactNotes = safeContactNotes
    }
}

/// Someone named on a referral besides the victim: an alleged perpetrator or a child in the household.
public struct NamedPerson: Sendable, Codable, Equatable {
    public var name: String?
    public var age: Int?

    public init(name: String?, age: Int?) {
        self.name = name
        self.age = age
    }
}

/// A referral as typed, checked by `MARACRules.referral`.
public struct ReferralInput: Sendable, Equatable {
    public var areaId: Int64
    public var victimName: String
    public var victimDateOfBirth: CalendarDate?
    public var contact: VictimContact
    public var diversity: VictimDiversity
    public var perpetrators: [NamedPerson]
    public var children: [NamedPerson]
    public var referringAgencyId: Int64
    public var referringOfficer: String
    public var referredOn: CalendarDate
    public var checklist: RiskChecklist
    /// The referrer's reason when they refer on professional judgement.
    public var professionalJudgement: String?
    public var incidentsInLast12Months: Int
    /// A complex multi-agency case, prioritised for a meeting.
    public var isComplex: Bool

    public init(areaId: Int64, victimName: String, victimDateOfBirth: CalendarDate?, contact: VictimContact,
                diversity: VictimDiversity, perpetrators: [NamedPerson], children: [NamedPerson], referringAgencyId: Int64,
                referringOfficer: String, referredOn: CalendarDate, checklist: RiskChecklist, professionalJudgement: String?,
                incidentsInLast12Months: Int, isComplex: Bool) {
        self.areaId = areaId
        self.victimName = victimName
        self.victimDateOfBirth = victimDateOfBirth
        self.contact = contact
        self.diversity = diversity
        self.perpetrators = perpetrators
        self.children = children
        self.referringAgencyId = referringAgencyId
        self.referringOfficer = referringOfficer
        self.referredOn = referredOn
        self.checklist = checklist
        self.professionalJudgement = professionalJudgement
        self.incidentsInLast12Months = incidentsInLast12Months
        self.isComplex = isComplex
    }
}

/// Where a MARAC action stands. "Not completed" always carries why (SafeLives minutes checklist).
public enum MARACActionStatus: String, Sendable, Codable, CaseIterable {
    case open, completed
    case notCompleted = "not-completed"

    public var label: String {
        switch self {
        case .open: "Open"
        case .completed: "Completed"
        case .notCompleted: "Not completed"
        }
    }
}

/// Why an action was not completed: the minutes must say whether it became impossible or was simply not done.
public enum NotCompletedReason: String, Sendable, Codable, CaseIterable {
    case circumstancesChanged = "circumstances-changed"
    case agencyDidNotAct = "agency-did-not-act"

    public var label: String {
        switch self {
        case .circumstancesChanged: "Circumstances changed"
        case .agencyDidNotAct: "Agency did not act"
        }
    }
}

/// An action requested of an agency on a case.
public struct MARACActionRequest: Sendable, Equatable {
    public var agencyId: Int64
    public var description: String
    public var requestedOn: CalendarDate
    public var dueOn: CalendarDate

    public init(agencyId: Int64, description: String, requestedOn: CalendarDate, dueOn: CalendarDate) {
        self.agencyId = agencyId
        self.description = description
        self.requestedOn = requestedOn
        self.dueOn = dueOn
    }
}

/// An action's new status, with the reason when it was not completed.
public struct MARACActionUpdate: Sendable, Equatable {
    public var status: MARACActionStatus
    public var reason: NotCompletedReason?
    public var note: String?
    public var expectedVersion: Int

    public init(status: MARACActionStatus, reason: NotCompletedReason?, note: String?, expectedVersion: Int) {
        self.status = status
        self.reason = reason
        self.note = note
        self.expectedVersion = expectedVersion
    }
}

/// Who a rung of an escalation ladder reaches.
public enum EscalationRung: Sendable, Equatable, CustomStringConvertible {
    /// The Hub's MARAC coordinators.
    case coordinators
    /// The action's agency's point of contact at the area MARAC.
    case pointOfContact
    /// The members of a body in the directory, by name (the Tactical Group, the Executive Group).
    case body(String)

    public var description: String {
        switch self {
        case .coordinators: "coordinators"
        case .pointOfContact: "point-of-contact"
        case .body(let name): "body:" + name
        }
    }

    public var label: String {
        switch self {
        case .coordinators: "MARAC coordinators"
        case .pointOfContact: "Agency point of contact"
        case .body(let name): name
        }
    }
}

/// A quarter of a calendar year (SafeLives' quarterly dataset): 1 = January to March.
public struct Quarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number), (1970...2200).contains(year) else { return nil }
        self.year = year
        self.number = number
    }

    /// The quarter a date falls in.
    public init(containing date: CalendarDate) {
        self.year = date.year
        self.number = (date.month - 1) / 3 + 1
    }

    /// Parses "2024-Q2".
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-Q")
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        self.init(year: year, number: number)
    }

    public var first: CalendarDate { CalendarDate(year: year, month: (number - 1) * 3 + 1, day: 1)! }
    public var last: CalendarDate { next.first.adding(days: -1) }
    public var next: Quarter { number == 4 ? Quarter(year: year + 1, number: 1)! : Quarter(year: year, number: number + 1)! }
    public var previous: Quarter { number == 1 ? Quarter(year: year - 1, number: 4)! : Quarter(year: year, number: number - 1)! }

    /// "2024-Q2"
    public var description: String { "\(year)-Q\(number)" }

    /// "April to June 2024"
    public var label: String {
        let months = ["January to March", "April to June", "July to September", "October to December"]
        return "\(months[number - 1]) \(year)"
    }

    public static func < (a: Quarter, b: Quarter) -> Bool {
        (a.year, a.number) < (b.year, b.number)
    }
}

/// One case as the KPIs read it: plain facts from the referral.
public struct KPICase: Sendable, Equatable {
    public var isRepeat: Bool
    public var referredByPolice: Bool
    public var diversity: VictimDiversity
    public var perpetratorAges: [Int?]
    public var children: Int
    public var heardAtMeeting: Bool

    public init(isRepeat: Bool, referredByPolice: Bool, diversity: VictimDiversity, perpetratorAges: [Int?], children: Int,
                heardAtMeeting: Bool) {
        self.isRepeat = isRepeat
        self.referredByPolice = referredByPolice
        self.diversity = diversity
        self.perpetratorAges = perpetratorAges
        self.children = children
        self.heardAtMeeting = heardAtMeeting
    }
}

/// The SafeLives national dataset indicators for one area and quarter (anchors-and-statutory-rules.md §1.2).
public struct MARACIndicators: Sendable, Equatable, Codable {
    public var cases: Int
    public var casesHeardAtMeeting: Int
    public var repeats: Int
    public var repeatPercent: Double?
    /// Cases in the quarter × 4 per 10,000 adult women in the area: the annual rate SafeLives benchmarks at 40.
    public var casesPer10kAdultFemales: Double?
    public static let casesPer10kBenchmark = 40.0
    public var nonPoliceReferrals: Int
    public var nonPoliceReferralPercent: Double?
    public var raciallyMinoritised: Int
    public var raciallyMinoritisedPercent: Double?
    public var lgbt: Int
    public var lgbtPercent: Double?
    public var disabled: Int
    public var disabledPercent: Double?
    public var male: Int
    public var malePercent: Double?
    public var aged16To17: Int
    public var aged16To17Percent: Double?
    public var perpetratorsUnder18: Int
    public var childrenInHouseholds: Int
}
