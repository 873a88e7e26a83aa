import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// What the public may see without signing in: published agendas without restricted items, published minutes
/// without private ones, the printable public pack, unrestricted papers, an iCalendar feed of meetings and an
/// Open Civic Data event for each meeting.
struct PublicMeetingPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/public/meetings", use: index)
        router.get("/public/meetings.ics", use: calendar)
        router.get("/public/meetings/{publicId}", use: agenda)
        router.get("/public/meetings/{publicId}/pack", use: pack)
        router.get("/public/meetings/{publicId}/event.json", use: event)
        router.get("/public/meetings/{publicId}/papers/{paperId}", use: paper)
    }

    /// A published meeting by its public id, with the key its cached pages are valid for; anything else does not
    /// exist for the public.
    private func published(_ context: AppRequestContext) async throws -> (meeting: Meeting, cacheKey: String) {
        let publicId = context.parameters.get("publicId") ?? ""
        guard let found = try await services.governance.publicMeeting(publicId: publicId), found.meeting.isPublished else {
            throw AppError.notFound
        }
        return (found.meeting, "\(found.revision)|\(found.bodyName)|\(CalendarDate(Date()).iso)")
    }

    /// The page for the public from the cache; a signed-in reader's copy (with their name in the header) is not kept.
    private func cached(_ request: Request, _ context: AppRequestContext, key: String,
                        render: () async throws -> (html: String, contentType: String)) async throws -> Response {
        guard context.user == nil else {
            let page = try await render()
            return Response(status: .ok, headers: [.contentType: page.contentType, .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: page.html)))
        }
        return try await services.publicPages.page(request.uri.path, key: key, render: render)
    }

    struct IndexModel {
        struct Row {
            let publicId: String
            let body: String
            let when: String
            let location: String
            let cancelled: Bool
        }

        let upcoming: [Row]
        let past: [Row]
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bodies = Dictionary(uniqueKeysWithValues: try await services.directory.bodies().map { ($0.id, $0.name) })
        let today = CalendarDate(Date())
        let rows = try await services.governance.meetings().filter(\.isPublished).reversed().map { meeting in
            (meeting.heldOn, IndexModel.Row(publicId: meeting.publicId, body: bodies[meeting.bodyId] ?? "", when: meeting.heldOn.long + ", " + meeting.startsAt,
                                            location: meeting.location, cancelled: meeting.isCancelled))
        }
        return try await services.page("meetings/public-index", context, title: "Meetings",
                                       page: IndexModel(upcoming: rows.filter { $0.0 >= today }.map(\.1).reversed(), past: rows.filter { $0.0 < today }.map(\.1)))
    }

    struct AgendaModel {
        let publicId: String
        let body: String
        let when: String
        let location: String
        let contact: String?
        let cancelled: Bool
        let issued: String?
        let sections: [MeetingReading.AgendaSectionView]
        let minutesStatus: String?
        let minutes: [MeetingReading.MinuteView]
    }

    static func agendaModel(_ reading: MeetingReading, paperPath: (Int64) -> String) -> AgendaModel {
        let meeting = reading.meeting
        let contact = [meeting.contactName, meeting.contactPhone, meeting.contactEmail].compactMap { $0 }.joined(separator: ", ")
        return AgendaModel(publicId: meeting.publicId, body: reading.bodyName, when: reading.when, location: meeting.location,
                           contact: contact.isEmpty ? nil : contact, cancelled: meeting.isCancelled,
                           issued: meeting.agendaPublishedAt.map { CalendarDate($0).long },
                           sections: reading.sections(paperPath: paperPath),
                           minutesStatus: reading.minutes.isEmpty ? nil : meeting.minutesStatus.label, minutes: reading.minuteViews().open)
    }

    func agenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (meeting, key) = try await published(context)
        return try await cached(request, context, key: key) {
            let reading = try await MeetingReading.load(services, meeting: meeting, principal: nil, email: nil)
            let layout = try await PageLayout.build(services: services, context: context, title: "\(reading.bodyName), \(meeting.heldOn.long)")
            let model = Self.agendaModel(reading) { "/public/meetings/\(meeting.publicId)/papers/\($0)" }
            return (services.templates.renderHTML("meetings/public-agenda", layout: layout, page: model), "text/html; charset=utf-8")
        }
    }

    func pack(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (meeting, key) = try await published(context)
        return try await cached(request, context, key: key) {
            let reading = try await MeetingReading.load(services, meeting: meeting, principal: nil, email: nil)
            return (PackPage.html(services, reading: reading, isFull: false) { "/public/meetings/\(meeting.publicId)/papers/\($0)" },
                    "text/html; charset=utf-8")
        }
    }

    /// An unrestricted item's paper on a published agenda; anything else is not found.
    func paper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (meeting, _) = try await published(context)
        guard let paperId = context.parameters.get("paperId", as: Int64.self),
              let stored = try await services.governance.paper(id: paperId),
              let item = try await services.governance.item(id: stored.paper.agendaItemId), item.meetingId == meeting.id,
              !item.isRestricted(on: CalendarDate(Date())), stored.paper.scanStatus != .refused else { throw AppError.notFound }
        return PaperDownload.response(stored.paper, bytes: stored.bytes)
    }

    func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bodies = Dictionary(uniqueKeysWithValues: try await services.directory.bodies().map { ($0.id, $0.name) })
        let base = Self.baseURL(request)
        let events = try await services.governance.meetings().filter(\.isPublished).map { meeting in
            ICalendarFeed.Event(uid: "\(meeting.publicId)@concord", start: GovernanceRules.startInstant(of: meeting), minutes: 120,
                                summary: bodies[meeting.bodyId] ?? "Meeting", location: meeting.location,
                                description: "Agenda: \(base)/public/meetings/\(meeting.publicId)", url: "\(base)/public/meetings/\(meeting.publicId)",
                                isCancelled: meeting.isCancelled)
        }
        let text = ICalendarFeed.render(name: "Community Safety Partnership meetings", events: events, stamp: Date())
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The meeting as an Open Civic Data event (docs.opencivicdata.org, data/event), public items only.
    func event(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reading = try await MeetingReading.load(services, meeting: try await published(context).meeting, principal: nil, email: nil)
        let base = Self.baseURL(request)
        let meeting = reading.meeting
        let start = GovernanceRules.startInstant(of: meeting)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .london
        let page = "\(base)/public/meetings/\(meeting.publicId)"
        let agenda = reading.items.filter { reading.readable.contains($0.id) }.map { item in
            OpenCivicEvent.AgendaItem(
                description: "\(item.code) \(item.title)", order: item.code, subjects: [], relatedEntities: [],
                notes: ([item.kind.label] + (item.isWithdrawn ? ["Withdrawn"] : []) + (item.presenter.map { ["Presenter: \($0)"] } ?? []))
                    .map(OpenCivicEvent.Note.init),
                media: item.papers.filter { $0.scanStatus != .refused }.map {
                    OpenCivicEvent.Media(date: Nullable(meeting.heldOn.iso), type: "paper", name: $0.fileName,
                                         links: [.init(mimetype: Nullable($0.contentType), url: "\(page)/papers/\($0.id)")])
                })
        }
        let body = OpenCivicEvent(
            id: "ocd-event/\(meeting.publicId)", name: "\(reading.bodyName) meeting", description: "Meeting of the \(reading.bodyName)",
            when: formatter.string(from: start), end: Nullable(nil),
            status: meeting.isCancelled ? "cancelled" : (meeting.heldOn < CalendarDate(Date()) ? "passed" : "confirmed"),
            location: .init(note: Nullable(meeting.venue == nil ? "Online meeting" : nil), name: meeting.location, coordinates: Nullable(nil)),
            media: [], links: [.init(note: Nullable("Agenda"), url: page)],
            participants: [.init(note: "host", chamber: Nullable(nil), type: "organization", name: reading.bodyName, id: Nullable(nil))], agenda: agenda,
            documents: [.init(url: "\(page)/pack", mimetype: "text/html", name: "Agenda pack")], sources: [.init(note: Nullable(nil), url: page)])
        return try APIRoutes.json(body)
    }

    /// The address the request was made to, for links in feeds.
    static func baseURL(_ request: Request) -> String {
        "http://\(request.head.authority ?? "localhost")"
    }
}

/// An optional written as JSON null rather than left out: the Open Civic Data schema's nullable fields are present.
struct Nullable<Wrapped: Encodable>: Encodable {
    let value: Wrapped?

    init(_ value: Wrapped?) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// An Open Civic Data event (docs.opencivicdata.org, data/event: the fields every event carries).
struct OpenCivicEvent: Encodable {
    struct Link: Encodable {
        let note: Nullable<String>
        let url: String
    }

    struct MediaLink: Encodable {
        let mimetype: Nullable<String>
        let url: String
    }

    struct Media: Encodable {
        let date: Nullable<String>
        let type: String
        let name: String
        let links: [MediaLink]
    }

    struct Location: Encodable {
        let note: Nullable<String>
        let name: String
        let coordinates: Nullable<[String: String]>
    }

    struct Participant: Encodable {
        let note: String
        let chamber: Nullable<String>
        let type: String
        let name: String
        let id: Nullable<String>
    }

    struct Note: Encodable {
        let description: String
    }

    struct AgendaItem: Encodable {
        let description: String
        let order: String
        let subjects: [String]
        let relatedEntities: [String]
        let notes: [Note]
        let media: [Media]

        enum CodingKeys: String, CodingKey { case description, order, subjects, relatedEntities = "related_entities", notes, media }
    }

    struct Document: Encodable {
        let url: String
        let mimetype: String
        let name: String
    }

    /// Written as `_type`.
    let type = "event"
    let id: String
    let name: String
    let description: String
    let when: String
    let end: Nullable<String>
    let status: String
    let location: Location
    let media: [Media]
    let links: [Link]
    let participants: [Participant]
    let agenda: [AgendaItem]
    let documents: [Document]
    let sources: [Link]

    enum CodingKeys: String, CodingKey {
        case type = "_type", id, name, description, when, end, status, location, media, links, participants, agenda, documents, sources
    }
}

/// A stored paper as a download, named as uploaded.
enum PaperDownload {
    static func response(_ paper: Paper, bytes: Data) -> Response {
        let safeName = paper.fileName.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }.map(String.init).joined()
        var response = Response(status: .ok, headers: [.contentType: paper.contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        response.headers[.contentDisposition] = "attachment; filename=\"\(safeName)\""
        response.headers[.init("Digest")!] = "sha-256=\(Data(hex: paper.sha256).base64EncodedString())"
        return response
    }
}

extension Data {
    /// Bytes from a lowercase hexadecimal string (a stored checksum).
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        self.init(bytes)
    }
}

/// The printable agenda pack: the front sheet with each item's pages, each item's papers, and the minutes. The
/// public pack leaves out restricted items and private minutes; the full pack is for members and officers.
enum PackPage {
    struct Model {
        let agenda: PublicMeetingPages.AgendaModel
        let isFull: Bool
        let marking: String
        let privateMinutes: [MeetingReading.MinuteView]
        let hasPrivateMinutes: Bool
    }

    static func html(_ services: Services, reading: MeetingReading, isFull: Bool, paperPath: (Int64) -> String) -> String {
        let marking = isFull && reading.seesRestricted ? Classification.officialSensitive.marking : Classification.official.marking
        let privateMinutes = isFull ? reading.minuteViews().closed : []
        let model = Model(agenda: PublicMeetingPages.agendaModel(reading, paperPath: paperPath), isFull: isFull, marking: marking,
                          privateMinutes: privateMinutes, hasPrivateMinutes: !privateMinutes.isEmpty)
        return services.templates.renderBare("meetings/pack", model) ?? ""
    }
}
