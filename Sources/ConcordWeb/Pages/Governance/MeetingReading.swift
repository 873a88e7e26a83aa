import ConcordDomain
import ConcordStorage
import Foundation

/// One meeting as one reader may see it, decided once per request by `AccessPolicy.mayReadRestricted`: the public
/// (no principal) see published agendas without restricted items and published minutes without private ones;
/// members, officers and clerks see everything; other signed-in users see what each item's audience allows.
struct MeetingReading {
    let meeting: Meeting
    let bodyName: String
    let items: [AgendaItem]
    /// Items whose title, papers and minutes this reader may read.
    let readable: Set<Int64>
    let minutes: [Minute]
    let pageRanges: [Int64: ClosedRange<Int>]
    let mayManage: Bool
    let isMember: Bool
    /// True when the reader sees something the public does not (restricted items or private minutes): audited.
    let seesRestricted: Bool

    var restrictedHidden: [AgendaItem] { items.filter { !readable.contains($0.id) } }

    static func load(_ services: Services, meeting: Meeting, principal: Principal?, email: String?) async throws -> MeetingReading {
        let today = CalendarDate(Date())
        let items = try await services.governance.items(meetingId: meeting.id)
        let bodyName = try await services.directory.bodies().first { $0.id == meeting.bodyId }?.name ?? "Body \(meeting.bodyId)"
        let mayManage = principal.map { AccessPolicy.may($0, .manageMeetings) } ?? false
        var isMember = false
        if principal != nil, let email { isMember = try await services.governance.isMember(bodyId: meeting.bodyId, email: email, on: today) }
        let readable = Set(items.filter { item in
            guard let restriction = item.restriction, item.isRestricted(on: today) else { return true }
            guard let principal else { return false }
            return AccessPolicy.mayReadRestricted(principal, restriction, isBodyMember: isMember)
        }.map(\.id))
        let mayReadDrafts = mayManage || isMember
        let minutes = (principal == nil && meeting.minutesStatus == .draft) || (principal != nil && meeting.minutesStatus == .draft && !mayReadDrafts)
            ? [] : try await services.governance.minutes(meetingId: meeting.id).filter { minute in
                guard minute.isPrivate else { return true }
                guard principal != nil else { return false }
                return minute.agendaItemId.map { readable.contains($0) } ?? (isMember || mayManage)
            }
        // Page ranges run over the items in the reader's pack, so the public pack's pages are its own.
        let packItems = items.filter { readable.contains($0.id) }
        let seesRestricted = readable.count > GovernanceRules.publicItems(items, on: today).count || minutes.contains(where: \.isPrivate)
        return MeetingReading(meeting: meeting, bodyName: bodyName, items: items, readable: readable, minutes: minutes,
                              pageRanges: GovernanceRules.pageRanges(packItems, firstPage: meeting.packFirstPage),
                              mayManage: mayManage, isMember: isMember, seesRestricted: seesRestricted)
    }

    /// The view of the agenda shared by the meeting page, the public page and the pack.
    struct AgendaSectionView {
        let letter: String
        let label: String
        let isRestricted: Bool
        let items: [ItemView]
        /// For readers who may not see restricted items: how many there are and on what grounds.
        let hiddenNote: String?
    }

    struct ItemView {
        let id: Int64
        let code: String
        let title: String
        let kind: String
        let presenter: String?
        let pages: String?
        let restriction: String?
        let withdrawn: Bool
        let papers: [PaperView]
        let version: Int
    }

    struct PaperView {
        let id: Int64
        let fileName: String
        let size: String
        let pages: String?
        let sha256: String
        let scan: String
        let href: String
    }

    /// `paperPath` makes a paper's link: the public route for the public, the signed-in route otherwise.
    func sections(paperPath: (Int64) -> String) -> [AgendaSectionView] {
        AgendaSection.allCases.compactMap { section in
            let inSection = items.filter { $0.section == section }
            guard !inSection.isEmpty else { return nil }
            let shown = inSection.filter { readable.contains($0.id) }
            let hidden = inSection.filter { !readable.contains($0.id) }
            let grounds = Set(hidden.compactMap { $0.restriction?.paragraph.rawValue }).sorted().map(String.init).joined(separator: ", ")
            let note = hidden.isEmpty ? nil
                : "\(hidden.count) item\(hidden.count == 1 ? "" : "s") will be considered with the press and public excluded "
                    + "(Local Government Act 1972, Schedule 12A, paragraph\(grounds.contains(",") ? "s" : "") \(grounds))."
            return AgendaSectionView(
                letter: section.rawValue, label: section.label, isRestricted: section == .restricted, items: shown.map { item in
                    ItemView(id: item.id, code: item.code, title: item.title, kind: item.kind.label, presenter: item.presenter,
                             pages: pageRanges[item.id].map { $0.count == 1 ? "Page \($0.lowerBound)" : "Pages \($0.lowerBound) - \($0.upperBound)" },
                             restriction: item.restriction.map { r in
                                 "Restricted: \(r.paragraph.citation), \(r.reason)" + (r.releaseOn.map { ". May be released from \($0.long)" } ?? "")
                             },
                             withdrawn: item.isWithdrawn,
                             papers: item.papers.filter { $0.scanStatus != .refused }.map { paper in
                                 PaperView(id: paper.id, fileName: paper.fileName, size: Self.size(paper.byteCount),
                                           pages: paper.pageCount.map { "\($0) page\($0 == 1 ? "" : "s")" }, sha256: paper.sha256,
                                           scan: paper.scanStatus == .clean ? "Virus-checked" : "Not virus-checked", href: paperPath(paper.id))
                             },
                             version: item.version)
                }, hiddenNote: note)
        }
    }

    struct MinuteView {
        let id: Int64
        let number: Int
        let title: String
        let cites: String?
        let paragraphs: [Paragraph]
        let resolution: String?
        let isPrivate: Bool
    }

    struct Paragraph {
        let number: Int
        let text: String
    }

    func minuteViews() -> (open: [MinuteView], closed: [MinuteView]) {
        let views = minutes.map { minute in
            MinuteView(id: minute.id, number: minute.number, title: minute.title, cites: minute.citedItemCode.map { "(Item \($0))" },
                       paragraphs: minute.paragraphs.enumerated().map { Paragraph(number: $0.offset + 1, text: $0.element) },
                       resolution: minute.resolutionText ?? minute.resolution?.label, isPrivate: minute.isPrivate)
        }
        return (views.filter { !$0.isPrivate }, views.filter(\.isPrivate))
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? "\(max(1, bytes / 1024)) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// "Tuesday 8 July 2014, 10:00": the meeting's date and London start time.
    var when: String { "\(Self.weekday(meeting.heldOn)) \(meeting.heldOn.long), \(meeting.startsAt)" }

    static func weekday(_ date: CalendarDate) -> String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][date.weekday - 1]
    }
}
