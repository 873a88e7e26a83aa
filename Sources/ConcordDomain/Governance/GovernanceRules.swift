import Foundation

/// The rules of the partnership's meetings, from the KCSP packs (2013-10-17, 2014-07-08, 2023-03-21) and
/// shared/design/domain-rules.md (Governance).
public enum GovernanceRules {
    // MARK: Agenda

    /// Reads an item code such as "B3": a section letter and a number from 1.
    public static func parseCode(_ text: String) -> (section: AgendaSection, number: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard let letter = trimmed.first, let section = AgendaSection(rawValue: String(letter)),
              let number = Int(trimmed.dropFirst()), number >= 1, number <= 99 else { return nil }
        return (section, number)
    }

    /// The number a new item takes: the next after the highest in its section, or the code asked for. Codes are
    /// never reused within a meeting, so a code once published keeps meaning the same item.
    public static func placeItem(_ input: AgendaItemInput, among items: [AgendaItem]) throws(ValidationError) -> Int {
        var validator = Validator()
        if input.title.trimmingCharacters(in: .whitespaces).isEmpty { validator.add("title", "Enter the item's title") }
        if input.section == .restricted, input.restriction == nil {
            validator.add("restricted", "Items in section D are restricted: give the Schedule 12A paragraph and the reason")
        }
        if let restriction = input.restriction, restriction.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            validator.add("restrictionReason", "Enter why the item is restricted")
        }
        if let pages = input.pageCount, pages < 0 || pages > 2000 { validator.add("pageCount", "Pages must be between 0 and 2000") }
        var number = (items.filter { $0.section == input.section }.map(\.number).max() ?? 0) + 1
        if let code = input.code?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            if let parsed = parseCode(code) {
                if parsed.section != input.section {
                    validator.add("code", "Code \(code.uppercased()) is not in section \(input.section.rawValue): codes start with their section's letter")
                } else if let clash = items.first(where: { $0.code == code.uppercased() }) {
                    validator.add("code", "Code \(clash.code) is already used on this agenda by “\(clash.title)”")
                } else {
                    number = parsed.number
                }
            } else {
                validator.add("code", "Enter the code as a section letter and a number, like B3")
            }
        }
        try validator.check()
        return number
    }

    /// A meeting's start time as the packs give it ("10.00 am", "2.00pm") or "HH:MM", normalised to "HH:MM".
    public static func startTime(_ text: String) -> String? {
        let lowered = text.lowercased().replacingOccurrences(of: " ", with: "")
        let isPM = lowered.hasSuffix("pm"), isAM = lowered.hasSuffix("am")
        let digits = (isPM || isAM) ? String(lowered.dropLast(2)) : lowered
        let parts = digits.split(whereSeparator: { $0 == ":" || $0 == "." }).map(String.init)
        guard (1...2).contains(parts.count), var hour = Int(parts[0]) else { return nil }
        let minute = parts.count == 2 ? Int(parts[1]) : 0
        guard let minute, (0...59).contains(minute) else { return nil }
        if isPM || isAM {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (isPM ? 12 : 0)
        }
        guard (0...23).contains(hour) else { return nil }
        return String(format: "%02d:%02d", hour, minute)
    }

    /// The instant a meeting starts, from its London date and time.
    public static func startInstant(of meeting: Meeting) -> Date {
        let parts = meeting.startsAt.split(separator: ":").compactMap { Int($0) }
        var components = DateComponents(year: meeting.heldOn.year, month: meeting.heldOn.month, day: meeting.heldOn.day,
                                         hour: parts.first ?? 0, minute: parts.count > 1 ? parts[1] : 0)
        components.timeZone = .london
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    /// The items the public may see on `date`: restricted items are left out until their release date, and
    /// withdrawn items stay on the agenda (their codes are published) but are marked.
    public static func publicItems(_ items: [AgendaItem], on date: CalendarDate) -> [AgendaItem] {
        items.filter { !$0.isRestricted(on: date) }
    }

    /// Page ranges of the pack: items with pages take consecutive pages from the meeting's first page, in agenda
    /// order ("A3 Notes of meeting held on 18 March 2014 (Pages 3 - 10)").
    public static func pageRanges(_ items: [AgendaItem], firstPage: Int) -> [Int64: ClosedRange<Int>] {
        var next = firstPage
        var ranges: [Int64: ClosedRange<Int>] = [:]
        for item in items.sorted(by: agendaOrder) where item.packPages > 0 {
            ranges[item.id] = next...(next + item.packPages - 1)
            next += item.packPages
        }
        return ranges
    }

    public static func agendaOrder(_ a: AgendaItem, _ b: AgendaItem) -> Bool {
        (a.section, a.number) < (b.section, b.number)
    }

    // MARK: Minutes

    /// Minutes are numbered continuously across the body's meetings (50–63 on 18 March 2014, 64–74 on 8 July
    /// 2014). A meeting with `minutesStartAt` starts the numbering again from that number (a new series, as the
    /// KCSP's had by November 2022, minutes 70–79), or skips numbers whose minutes are kept outside Concord.
    /// The next number runs on from the meeting's own last minute, else from `minutesStartAt`, else from the last
    /// minute of the series' earlier meetings. A number used in the series is a duplicate; any other number than
    /// the next is a gap.
    public static func minuteNumber(asked: Int?, for meeting: Meeting,
                                    bodyMinutes: [(meeting: Meeting, numbers: [Int])]) throws(ValidationError) -> Int {
        let ordered = bodyMinutes.sorted { ($0.meeting.heldOn, $0.meeting.startsAt) < ($1.meeting.heldOn, $1.meeting.startsAt) }
        let position = ordered.firstIndex { $0.meeting.id == meeting.id } ?? ordered.endIndex
        let seriesStart = ordered[..<position].lastIndex { $0.meeting.minutesStartAt != nil }
        let start = meeting.minutesStartAt != nil ? position : (seriesStart ?? ordered.startIndex)
        let seriesEnd = ordered[min(position + 1, ordered.endIndex)...].firstIndex { $0.meeting.minutesStartAt != nil } ?? ordered.endIndex
        let series = ordered[start..<seriesEnd]
        let own = ordered.indices.contains(position) ? ordered[position].numbers : []
        let earlierLast = series.filter { $0.meeting.id != meeting.id && $0.meeting.heldOn < meeting.heldOn }.flatMap(\.numbers).max()
        let used = Set(series.flatMap(\.numbers))
        let next = own.max().map { $0 + 1 } ?? meeting.minutesStartAt ?? earlierLast.map { $0 + 1 } ?? 1
        guard let asked else {
            if used.contains(next) {
                throw ValidationError(field: "number", "Minute \(next) is already used by a later meeting: set where this meeting's minutes start")
            }
            return next
        }
        if used.contains(asked) {
            throw ValidationError(field: "number", "Minute \(asked) already exists: each minute number is used once")
        }
        if asked != next {
            throw ValidationError(field: "number", "Minute numbers run on without a gap: the next minute is \(next), not \(asked)")
        }
        return asked
    }

    // MARK: Action log and forward plan

    /// An action is overdue when it is open and its due meeting (or date) has passed.
    public static func isOverdue(_ action: GovernanceAction, today: CalendarDate) -> Bool {
        guard action.isOpen, let due = action.dueOn else { return false }
        return due < today
    }

    /// The actions a meeting's action log carries: those raised at earlier meetings that were still open on the
    /// meeting's date. They are carried forward meeting to meeting until done.
    public static func carriedForward(_ actions: [GovernanceAction], to meetingDate: CalendarDate) -> [GovernanceAction] {
        actions.filter { action in
            action.raisedOn < meetingDate && (action.completedOn.map { $0 >= meetingDate } ?? true)
        }
        .sorted { ($0.minuteNumber, $0.id) < ($1.minuteNumber, $1.id) }
    }

    public enum ForwardPlanStatus: Sendable, Equatable {
        /// On the named meeting's agenda, as item `code`.
        case onAgenda(code: String)
        /// The named meeting's agenda is published without it.
        case missingFromAgenda
        /// The named meeting's agenda is not published yet.
        case awaitingAgenda
        /// No meeting named and the date it was due by has passed.
        case overdue
        /// No meeting named yet.
        case unscheduled

        public var isFlagged: Bool { self == .missingFromAgenda || self == .overdue }

        public var label: String {
            switch self {
            case .onAgenda(let code): "On the agenda as \(code)"
            case .missingFromAgenda: "Not on the published agenda"
            case .awaitingAgenda: "Agenda not yet published"
            case .overdue: "Overdue: not yet on an agenda"
            case .unscheduled: "Not yet scheduled"
            }
        }
    }

    /// Whether business promised to a meeting has reached its agenda. `agendaItems` are the items (of any meeting)
    /// that name the entry; `forMeeting` is the meeting it was promised to.
    public static func status(of entry: ForwardPlanEntry, forMeeting: Meeting?, agendaItems: [AgendaItem],
                              today: CalendarDate) -> ForwardPlanStatus {
        if let item = agendaItems.first(where: { $0.forwardPlanEntryId == entry.id }) { return .onAgenda(code: item.code) }
        if let forMeeting { return forMeeting.isPublished ? .missingFromAgenda : .awaitingAgenda }
        if let dueBy = entry.dueBy, dueBy < today { return .overdue }
        return .unscheduled
    }
}

/// An RFC 5545 calendar of meetings, for subscribing from Outlook or any calendar program.
public enum ICalendarFeed {
    public struct Event: Sendable {
        public var uid: String
        public var start: Date
        public var minutes: Int
        public var summary: String
        public var location: String
        public var description: String
        public var url: String?
        public var isCancelled: Bool

        public init(uid: String, start: Date, minutes: Int, summary: String, location: String, description: String, url: String?,
                    isCancelled: Bool) {
            self.uid = uid
            self.start = start
            self.minutes = minutes
            self.summary = summary
            self.location = location
            self.description = description
            self.url = url
            self.isCancelled = isCancelled
        }
    }

    public static func render(name: String, events: [Event], stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Concord//Community Safety Partnership//EN", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:\(text(name))", "X-WR-TIMEZONE:Europe/London"]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:\(event.uid)", "DTSTAMP:\(utc(stamp))", "DTSTART:\(utc(event.start))",
                      "DTEND:\(utc(event.start.addingTimeInterval(Double(event.minutes) * 60)))",
                      "SUMMARY:\(text(event.summary))", "LOCATION:\(text(event.location))",
                      "DESCRIPTION:\(text(event.description))", "STATUS:\(event.isCancelled ? "CANCELLED" : "CONFIRMED")"]
            if let url = event.url { lines.append("URL:\(url)") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT values escape backslash, semicolon, comma and newline (RFC 5545 §3.3.11).
    static func text(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 sequence (§3.1).
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += size
        }
        return result
    }
}

/// Reads governance input from named text fields, as both the pages' forms and the API's flattened JSON give
/// them, naming the field at fault.
public enum GovernanceForms {
    static func int(_ fields: [String: String], _ name: String, label: String, range: ClosedRange<Int>, into v: inout Validator) -> Int? {
        guard let text = fields[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            v.add(name, "\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    static func id(_ fields: [String: String], _ name: String, label: String, into v: inout Validator) -> Int64? {
        guard let text = fields[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int64(text) else {
            v.add(name, "Choose \(label)")
            return nil
        }
        return value
    }

    static func flag(_ fields: [String: String], _ name: String) -> Bool {
        ["on", "true", "yes", "1"].contains(fields[name]?.lowercased() ?? "")
    }

    /// The pages a paper takes, when the clerk gives them (a Word or Excel file's pages are not counted).
    public static func pageCount(_ fields: [String: String], into v: inout Validator) -> Int? {
        int(fields, "pageCount", label: "Pages", range: 1...2000, into: &v)
    }

    public static func meeting(_ fields: [String: String]) throws(ValidationError) -> MeetingInput {
        var v = Validator()
        let bodyId = id(fields, "bodyId", label: "the body that meets", into: &v)
        if fields["bodyId"]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true { v.add("bodyId", "Choose the body that meets") }
        let heldOn = v.date(fields["heldOn"], field: "heldOn", label: "the meeting's date", required: true)
        let timeText = v.required(fields["startsAt"], field: "startsAt", label: "the start time", maxLength: 10)
        let startsAt = timeText.flatMap(GovernanceRules.startTime)
        if timeText != nil, startsAt == nil { v.add("startsAt", "Enter the start time like 10:00 or 2.00pm") }
        let venue = flag(fields, "online") ? nil : v.optional(fields["venue"], field: "venue", label: "the venue", maxLength: 200)
        if !flag(fields, "online"), venue == nil, v.issues.allSatisfy({ $0.field != "venue" }) {
            v.add("venue", "Enter the venue, or say the meeting is online")
        }
        let contactName = v.optional(fields["contactName"], field: "contactName", label: "the contact officer", maxLength: 120)
        let contactPhone = v.optional(fields["contactPhone"], field: "contactPhone", label: "the telephone number", maxLength: 40)
        let contactEmail = v.optional(fields["contactEmail"], field: "contactEmail", label: "the email address", maxLength: 200)
        if let contactEmail, !contactEmail.contains("@") { v.add("contactEmail", "Enter the email address like name@kent.gov.uk") }
        let firstPage = int(fields, "packFirstPage", label: "The pack's first page", range: 1...999, into: &v) ?? 1
        let startAt = int(fields, "minutesStartAt", label: "The first minute number", range: 1...99_999, into: &v)
        try v.check()
        return MeetingInput(bodyId: bodyId!, heldOn: heldOn!, startsAt: startsAt!, venue: venue, contactName: contactName,
                            contactPhone: contactPhone, contactEmail: contactEmail, packFirstPage: firstPage, minutesStartAt: startAt)
    }

    public static func item(_ fields: [String: String]) throws(ValidationError) -> AgendaItemInput {
        var v = Validator()
        let section = AgendaSection(rawValue: fields["section"]?.trimmingCharacters(in: .whitespaces).uppercased() ?? "")
        if section == nil { v.add("section", "Choose the agenda section (A, B, C or D)") }
        let title = v.required(fields["title"], field: "title", label: "the item's title", maxLength: 300)
        let kind = AgendaItemKind(rawValue: fields["kind"] ?? "")
        if kind == nil { v.add("kind", "Choose how the item comes to the meeting") }
        let presenter = v.optional(fields["presenter"], field: "presenter", label: "the presenter", maxLength: 200)
        let pageCount = int(fields, "pageCount", label: "Pages", range: 0...2000, into: &v)
        let forwardPlan = id(fields, "forwardPlanEntryId", label: "the forward plan entry", into: &v)
        var restriction: Restriction?
        let paragraphText = fields["restrictedParagraph"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if !paragraphText.isEmpty {
            if let paragraph = Int(paragraphText).flatMap(ExemptionParagraph.init) {
                let reason = v.required(fields["restrictionReason"], field: "restrictionReason", label: "why the item is restricted", maxLength: 500)
                var audience: Set<Role> = []
                for name in (fields["audience"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                    if let role = Role(rawValue: name) { audience.insert(role) } else { v.add("audience", "“\(name)” is not a role") }
                }
                let releaseOn = v.date(fields["releaseOn"], field: "releaseOn", label: "the release date")
                restriction = Restriction(paragraph: paragraph, reason: reason ?? "", audience: audience, releaseOn: releaseOn)
            } else {
                v.add("restrictedParagraph", "Choose the Schedule 12A paragraph (1 to 7)")
            }
        } else if !(fields["restrictionReason"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            v.add("restrictedParagraph", "Choose the Schedule 12A paragraph the item is restricted under")
        }
        try v.check()
        let code = fields["code"]?.trimmingCharacters(in: .whitespaces)
        return AgendaItemInput(section: section!, code: code?.isEmpty == false ? code : nil, title: title!, kind: kind!, presenter: presenter,
                               isStanding: flag(fields, "isStanding"), restriction: restriction, pageCount: pageCount,
                               forwardPlanEntryId: forwardPlan)
    }

    /// Paragraphs are separated by blank lines.
    public static func minute(_ fields: [String: String]) throws(ValidationError) -> MinuteInput {
        var v = Validator()
        let number = int(fields, "number", label: "The minute number", range: 1...99_999, into: &v)
        let title = v.required(fields["title"], field: "title", label: "the minute's heading", maxLength: 300)
        let item = id(fields, "agendaItemId", label: "the agenda item", into: &v)
        let cited = v.optional(fields["citedItemCode"], field: "citedItemCode", label: "the item cited", maxLength: 10)
        let resolutionText = fields["resolution"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let resolution = ResolutionKind(rawValue: resolutionText)
        if !resolutionText.isEmpty, resolution == nil { v.add("resolution", "Choose noted, agreed, approved, withdrawn or deferred") }
        let wording = v.optional(fields["resolutionText"], field: "resolutionText", label: "the resolution", maxLength: 4_000)
        let body = (fields["paragraphs"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let paragraphs = body.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if paragraphs.contains(where: { $0.count > 10_000 }) { v.add("paragraphs", "A paragraph must be 10,000 characters or fewer") }
        try v.check()
        return MinuteInput(number: number, title: title!, agendaItemId: item, citedItemCode: cited?.uppercased(), isPrivate: flag(fields, "isPrivate"),
                           paragraphs: paragraphs, resolution: resolution, resolutionText: wording)
    }

    public static func action(_ fields: [String: String]) throws(ValidationError) -> GovernanceActionInput {
        var v = Validator()
        let owner = v.required(fields["ownerName"], field: "ownerName", label: "the action's owner", maxLength: 200)
        let ownerPerson = id(fields, "ownerPersonId", label: "the owner", into: &v)
        let description = v.required(fields["description"], field: "description", label: "what is to be done", maxLength: 2_000)
        let dueMeeting = id(fields, "dueMeetingId", label: "the meeting it is due at", into: &v)
        let dueOn = v.date(fields["dueOn"], field: "dueOn", label: "the due date")
        try v.check()
        return GovernanceActionInput(ownerName: owner!, ownerPersonId: ownerPerson, description: description!, dueMeetingId: dueMeeting, dueOn: dueOn)
    }
}
