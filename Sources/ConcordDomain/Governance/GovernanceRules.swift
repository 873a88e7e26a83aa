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
