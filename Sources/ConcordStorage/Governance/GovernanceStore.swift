import ConcordDomain
import Crypto
import Foundation
import SQLKit

/// Partnership governance: meetings, agendas, papers, attendance, minutes, the action log and the forward plan.
/// Every change is audited in its own transaction; no case record is touched.
public struct GovernanceStore: PartnershipRecordStore {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// Marks a meeting's published content as changed (its agenda, papers or minutes), so cached public pages
    /// of it are rendered again. `version` stays for optimistic locking of the meeting's own details.
    static func touch(meetingId: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE meetings SET revision = revision + 1 WHERE id = \(bind: meetingId)").run()
    }

    static func touch(itemId: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE meetings SET revision = revision + 1 WHERE id = (SELECT meeting_id FROM agenda_items WHERE id = \(bind: itemId))").run()
    }

    /// A meeting by its public id, with its body's name and the revision of its published content, for the
    /// public pages (one indexed read).
    public func publicMeeting(publicId: String) async throws -> (meeting: Meeting, bodyName: String, revision: Int)? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT m.*, b.name AS body_name FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.public_id = \(bind: publicId)
                """).first() else { return nil }
            return (try Self.meeting(row), try row.string("body_name"), try row.int("revision"))
        }
    }

    // MARK: Meetings

    public func meetings(bodyId: Int64? = nil) async throws -> [Meeting] {
        try await database.read { db in
            var sql: SQLQueryString = "SELECT * FROM meetings"
            if let bodyId { sql += " WHERE body_id = \(bind: bodyId)" }
            return try await db.raw(sql + " ORDER BY held_on, starts_at").all().map(Self.meeting)
        }
    }

    public func meeting(id: Int64) async throws -> Meeting? {
        try await database.read { db in try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id)").first().map(Self.meeting) }
    }

    static func meeting(_ row: any SQLRow) throws -> Meeting {
        Meeting(id: try row.int64("id"), bodyId: try row.int64("body_id"), heldOn: try row.date("held_on")!,
                startsAt: try row.string("starts_at"), venue: try row.optionalString("venue"), contactName: try row.optionalString("contact_name"),
                contactPhone: try row.optionalString("contact_phone"), contactEmail: try row.optionalString("contact_email"),
                publicId: try row.string("public_id"), isCancelled: try row.bool("is_cancelled"),
                agendaPublishedAt: try row.optionalInstant("agenda_published_at"), packFirstPage: try row.int("pack_first_page"),
                minutesStartAt: try row.decode(column: "minutes_start_at", as: Int?.self),
                minutesStatus: MinutesStatus(rawValue: try row.string("minutes_status")) ?? .draft,
                minutesPublishedAt: try row.optionalInstant("minutes_published_at"),
                minutesAgreedAtMeetingId: try row.optionalInt64("minutes_agreed_at_meeting_id"),
                minutesSignedBy: try row.optionalString("minutes_signed_by"), version: try row.int("version"))
    }

    static func fields(_ input: MeetingInput) -> [(String, String?)] {
        [("bodyId", String(input.bodyId)), ("heldOn", input.heldOn.iso), ("startsAt", input.startsAt), ("venue", input.venue),
         ("contactName", input.contactName), ("contactPhone", input.contactPhone), ("contactEmail", input.contactEmail),
         ("packFirstPage", String(input.packFirstPage)), ("minutesStartAt", input.minutesStartAt.map(String.init))]
    }

    /// Schedules a meeting, or changes one when `id` is given and `expectedVersion` is current.
    @discardableResult
    public func saveMeeting(id: Int64?, expectedVersion: Int?, _ input: MeetingInput, audit context: AuditContext) async throws -> Int64 {
        try await rethrowingDuplicate(field: "heldOn", message: "The body already meets at that date and time") {
            try await write { db in
                try await CaseStore.requireExisting(table: "bodies", ids: [input.bodyId], field: "bodyId", label: "body", on: db)
                if let id {
                    guard let before = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id)").first().map(Self.meeting),
                          try await db.raw("""
                              UPDATE meetings SET body_id = \(bind: input.bodyId), held_on = \(bind: input.heldOn.iso),
                                  starts_at = \(bind: input.startsAt), venue = \(bind: input.venue), contact_name = \(bind: input.contactName),
                                  contact_phone = \(bind: input.contactPhone), contact_email = \(bind: input.contactEmail),
                                  pack_first_page = \(bind: input.packFirstPage), minutes_start_at = \(bind: input.minutesStartAt),
                                  version = version + 1
                              WHERE id = \(bind: id) AND version = \(bind: expectedVersion ?? 0) RETURNING id
                              """).first() != nil
                    else { throw StaleRecordError(recordType: "meeting", id: id) }
                    let old = MeetingInput(bodyId: before.bodyId, heldOn: before.heldOn, startsAt: before.startsAt, venue: before.venue,
                                           contactName: before.contactName, contactPhone: before.contactPhone,
                                           contactEmail: before.contactEmail, packFirstPage: before.packFirstPage,
                                           minutesStartAt: before.minutesStartAt)
                    try await audit(.update, "meeting", id, FieldChange.diff(before: Self.fields(old), after: Self.fields(input)), context, on: db)
                    try await Self.touch(meetingId: id, on: db)
                    return id
                }
                let newId = try await db.raw("""
                    INSERT INTO meetings (body_id, held_on, starts_at, venue, contact_name, contact_phone, contact_email, public_id,
                                          pack_first_page, minutes_start_at)
                    VALUES (\(bind: input.bodyId), \(bind: input.heldOn.iso), \(bind: input.startsAt), \(bind: input.venue),
                            \(bind: input.contactName), \(bind: input.contactPhone), \(bind: input.contactEmail),
                            \(bind: UUID().uuidString.lowercased()), \(bind: input.packFirstPage), \(bind: input.minutesStartAt))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "meeting", newId, FieldChange.created(Self.fields(input)), context, on: db)
                try await Self.copyStandingItems(to: newId, bodyId: input.bodyId, heldOn: input.heldOn, on: db)
                return newId
            }
        }
    }

    /// A new meeting's agenda starts with the standing items of the body's latest earlier meeting (apologies,
    /// declarations of interest, the notes of the last meeting…), numbered in order within their sections.
    static func copyStandingItems(to meetingId: Int64, bodyId: Int64, heldOn: CalendarDate, on db: any SQLDatabase) async throws {
        guard let previous = try await db.raw("""
            SELECT id FROM meetings WHERE body_id = \(bind: bodyId) AND id <> \(bind: meetingId) AND held_on <= \(bind: heldOn.iso)
            ORDER BY held_on DESC, starts_at DESC LIMIT 1
            """).first()?.int64("id") else { return }
        var numbers: [AgendaSection: Int] = [:]
        for item in try await items(where: "i.meeting_id = \(bind: previous) AND i.is_standing = 1 AND i.is_withdrawn = 0", on: db)
        where item.restriction == nil {
            let number = numbers[item.section, default: 0] + 1
            numbers[item.section] = number
            try await db.raw("""
                INSERT INTO agenda_items (meeting_id, section, number, title, kind, presenter, is_standing)
                VALUES (\(bind: meetingId), \(bind: item.section.rawValue), \(bind: number), \(bind: item.title), \(bind: item.kind.rawValue),
                        \(bind: item.presenter), 1)
                """).run()
        }
    }

    /// Publishes the agenda: from now on its item codes are fixed and the public page and pack show it.
    public func publishAgenda(meetingId: Int64, expectedVersion: Int, at instant: Date = Date(), audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE meetings SET agenda_published_at = \(bind: Instant.storage(instant)), version = version + 1
                WHERE id = \(bind: meetingId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "meeting", id: meetingId) }
            guard try await db.raw("SELECT id FROM agenda_items WHERE meeting_id = \(bind: meetingId)").first() != nil else {
                throw ValidationError(field: "agenda", "Add the agenda's items before publishing it")
            }
            try await audit(.update, "meeting", meetingId, [FieldChange(field: "agendaPublishedAt", before: nil, after: Instant.storage(instant))],
                            context, on: db)
            try await Self.touch(meetingId: meetingId, on: db)
        }
    }

    public func setCancelled(meetingId: Int64, expectedVersion: Int, _ cancelled: Bool, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE meetings SET is_cancelled = \(bind: cancelled.sqlInteger), version = version + 1
                WHERE id = \(bind: meetingId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "meeting", id: meetingId) }
            try await audit(.update, "meeting", meetingId, [FieldChange(field: "isCancelled", before: nil, after: String(cancelled))], context, on: db)
            try await Self.touch(meetingId: meetingId, on: db)
        }
    }

    // MARK: Agenda items and papers

    /// The meeting's items in agenda order, each with its papers (without their bytes).
    public func items(meetingId: Int64) async throws -> [AgendaItem] {
        try await database.read { db in
            try await Self.items(where: "i.meeting_id = \(bind: meetingId)", on: db)
        }
    }

    public func item(id: Int64) async throws -> AgendaItem? {
        try await database.read { db in try await Self.items(where: "i.id = \(bind: id)", on: db).first }
    }

    static func items(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [AgendaItem] {
        var papers: [Int64: [Paper]] = [:]
        for row in try await db.raw("""
            SELECT p.id, p.agenda_item_id, p.file_name, p.content_type, p.byte_count, p.sha256, p.page_count, p.scan_status, p.uploaded_at
            FROM papers p JOIN agenda_items i ON i.id = p.agenda_item_id WHERE\u{20}
            """ + condition + " ORDER BY p.id").all() {
            let paper = Paper(id: try row.int64("id"), agendaItemId: try row.int64("agenda_item_id"), fileName: try row.string("file_name"),
                              contentType: try row.string("content_type"), byteCount: try row.int("byte_count"),
                              sha256: try row.string("sha256"), pageCount: try row.decode(column: "page_count", as: Int?.self),
                              scanStatus: PaperScanStatus(rawValue: try row.string("scan_status")) ?? .notScanned,
                              uploadedAt: try row.instant("uploaded_at"))
            papers[paper.agendaItemId, default: []].append(paper)
        }
        return try await db.raw("SELECT i.* FROM agenda_items i WHERE " + condition + " ORDER BY i.section, i.number").all().map { row in
            let id = try row.int64("id")
            let restriction = try row.decode(column: "restricted_paragraph", as: Int?.self).flatMap(ExemptionParagraph.init).map {
                Restriction(paragraph: $0, reason: (try? row.string("restricted_reason")) ?? "",
                            audience: Set(((try? row.optionalString("restricted_audience")) ?? nil ?? "")
                                .split(separator: ",").compactMap { Role(rawValue: String($0)) }),
                            releaseOn: try? row.date("release_on"))
            }
            return AgendaItem(id: id, meetingId: try row.int64("meeting_id"), section: AgendaSection(rawValue: try row.string("section"))!,
                              number: try row.int("number"), title: try row.string("title"),
                              kind: AgendaItemKind(rawValue: try row.string("kind")) ?? .report, presenter: try row.optionalString("presenter"),
                              isStanding: try row.bool("is_standing"), restriction: restriction,
                              pageCount: try row.decode(column: "page_count", as: Int?.self),
                              forwardPlanEntryId: try row.optionalInt64("forward_plan_id"), isWithdrawn: try row.bool("is_withdrawn"),
                              version: try row.int("version"), papers: papers[id] ?? [])
        }
    }

    static func fields(_ input: AgendaItemInput, code: String) -> [(String, String?)] {
        [("code", code), ("title", input.title), ("kind", input.kind.rawValue), ("presenter", input.presenter),
         ("isStanding", String(input.isStanding)), ("restrictedParagraph", input.restriction.map { String($0.paragraph.rawValue) }),
         ("restrictedReason", input.restriction?.reason), ("audience", input.restriction.map { $0.audience.map(\.rawValue).sorted().joined(separator: ",") }),
         ("releaseOn", input.restriction?.releaseOn?.iso), ("pageCount", input.pageCount.map(String.init)),
         ("forwardPlanEntryId", input.forwardPlanEntryId.map(String.init))]
    }

    /// Adds an item with the next code in its section (or the code asked for, when free).
    @discardableResult
    public func addItem(meetingId: Int64, _ input: AgendaItemInput, audit context: AuditContext) async throws -> AgendaItem {
        try await write { db in
            try await CaseStore.requireExisting(table: "meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            if let entry = input.forwardPlanEntryId {
                try await CaseStore.requireExisting(table: "forward_plan", ids: [entry], field: "forwardPlanEntryId",
                                                    label: "forward plan entry", on: db)
            }
            let existing = try await Self.items(where: "i.meeting_id = \(bind: meetingId)", on: db)
            let number = try GovernanceRules.placeItem(input, among: existing)
            let restriction = input.restriction
            let id = try await db.raw("""
                INSERT INTO agenda_items (meeting_id, section, number, title, kind, presenter, is_standing, restricted_paragraph,
                    restricted_reason, restricted_audience, release_on, page_count, forward_plan_id)
                VALUES (\(bind: meetingId), \(bind: input.section.rawValue), \(bind: number), \(bind: input.title.trimmingCharacters(in: .whitespaces)),
                        \(bind: input.kind.rawValue), \(bind: input.presenter), \(bind: input.isStanding.sqlInteger),
                        \(bind: restriction?.paragraph.rawValue), \(bind: restriction?.reason),
                        \(bind: restriction.map { $0.audience.map(\.rawValue).sorted().joined(separator: ",") }),
                        \(bind: restriction?.releaseOn?.iso), \(bind: input.pageCount), \(bind: input.forwardPlanEntryId))
                RETURNING id
                """).first()!.int64("id")
            let code = "\(input.section.rawValue)\(number)"
            try await audit(.create, "agenda-item", id, FieldChange.created(Self.fields(input, code: code)), context, on: db)
            try await Self.touch(meetingId: meetingId, on: db)
            return try await Self.items(where: "i.id = \(bind: id)", on: db)[0]
        }
    }

    /// Changes an item's details. Its code stays as it is: codes are fixed so minutes and papers can cite them.
    public func updateItem(id: Int64, expectedVersion: Int, _ input: AgendaItemInput, audit context: AuditContext) async throws {
        try await write { db in
            guard let before = try await Self.items(where: "i.id = \(bind: id)", on: db).first else {
                throw ValidationError(field: "itemId", "There is no agenda item with id \(id)")
            }
            var checked = input
            checked.section = before.section
            checked.code = nil
            _ = try GovernanceRules.placeItem(checked, among: [])
            let restriction = input.restriction
            guard try await db.raw("""
                UPDATE agenda_items SET title = \(bind: input.title.trimmingCharacters(in: .whitespaces)), kind = \(bind: input.kind.rawValue),
                    presenter = \(bind: input.presenter), is_standing = \(bind: input.isStanding.sqlInteger),
                    restricted_paragraph = \(bind: restriction?.paragraph.rawValue), restricted_reason = \(bind: restriction?.reason),
                    restricted_audience = \(bind: restriction.map { $0.audience.map(\.rawValue).sorted().joined(separator: ",") }),
                    release_on = \(bind: restriction?.releaseOn?.iso), page_count = \(bind: input.pageCount),
                    forward_plan_id = \(bind: input.forwardPlanEntryId), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "agenda item", id: id) }
            let old = AgendaItemInput(section: before.section, title: before.title, kind: before.kind, presenter: before.presenter,
                                      isStanding: before.isStanding, restriction: before.restriction, pageCount: before.pageCount,
                                      forwardPlanEntryId: before.forwardPlanEntryId)
            try await audit(.update, "agenda-item", id, FieldChange.diff(before: Self.fields(old, code: before.code),
                                                                         after: Self.fields(checked, code: before.code)), context, on: db)
            try await Self.touch(meetingId: before.meetingId, on: db)
        }
    }

    /// Takes an item off an unpublished agenda (the items after it in its section move up a number); once the
    /// agenda is published the item can only be withdrawn, so its code is never reused for something else.
    public func removeItem(id: Int64, audit context: AuditContext) async throws {
        try await write { db in
            guard let row = try await db.raw("""
                SELECT m.agenda_published_at, i.meeting_id, i.section, i.number FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id
                WHERE i.id = \(bind: id)
                """).first() else { throw ValidationError(field: "itemId", "There is no agenda item with id \(id)") }
            if try row.optionalString("agenda_published_at") != nil {
                throw ValidationError(field: "itemId", "The agenda is published, so its codes are fixed: withdraw the item instead")
            }
            if try await db.raw("SELECT id FROM minutes WHERE agenda_item_id = \(bind: id)").first() != nil {
                throw ValidationError(field: "itemId", "A minute cites this item: it cannot be removed")
            }
            try await db.raw("DELETE FROM agenda_items WHERE id = \(bind: id)").run()
            try await Self.touch(meetingId: try row.int64("meeting_id"), on: db)
            // Until the agenda is published the section's later items close the gap, in order, so codes stay A1, A2…
            for later in try await db.raw("""
                SELECT id FROM agenda_items WHERE meeting_id = \(bind: try row.int64("meeting_id")) AND section = \(bind: try row.string("section"))
                  AND number > \(bind: try row.int("number")) ORDER BY number
                """).all() {
                try await db.raw("UPDATE agenda_items SET number = number - 1, version = version + 1 WHERE id = \(bind: try later.int64("id"))").run()
            }
            try await audit(.delete, "agenda-item", id, [FieldChange(field: "code", before: "\(try row.string("section"))\(try row.int("number"))", after: nil)],
                            context, on: db)
        }
    }

    public func withdrawItem(id: Int64, expectedVersion: Int, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE agenda_items SET is_withdrawn = 1, version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expectedVersion)
                RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "agenda item", id: id) }
            try await audit(.update, "agenda-item", id, [FieldChange(field: "isWithdrawn", before: "false", after: "true")], context, on: db)
            try await Self.touch(itemId: id, on: db)
        }
    }

    /// Stores a paper's bytes with their SHA-256 checksum and what the scan hook said of them.
    @discardableResult
    public func addPaper(itemId: Int64, fileName: String, bytes: Data, accepted: PaperRules.Accepted, pageCount: Int?,
                         scanStatus: PaperScanStatus, uploadedBy: Int64?, audit context: AuditContext) async throws -> Int64 {
        let checksum = SHA256.hash(data: bytes).hexString
        return try await write { db in
            try await CaseStore.requireExisting(table: "agenda_items", ids: [itemId], field: "itemId", label: "agenda item", on: db)
            let id = try await db.raw("""
                INSERT INTO papers (agenda_item_id, file_name, content_type, byte_count, sha256, page_count, scan_status, content, uploaded_at, uploaded_by)
                VALUES (\(bind: itemId), \(bind: fileName), \(bind: accepted.contentType), \(bind: bytes.count), \(bind: checksum),
                        \(bind: pageCount ?? accepted.pageCount), \(bind: scanStatus.rawValue), \(bind: bytes), \(bind: Instant.storage(Date())),
                        \(bind: uploadedBy))
                RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "paper", id, FieldChange.created([("agendaItemId", String(itemId)), ("fileName", fileName),
                                                                       ("sha256", checksum), ("bytes", String(bytes.count)),
                                                                       ("scanStatus", scanStatus.rawValue)]), context, on: db)
            try await Self.touch(itemId: itemId, on: db)
            return id
        }
    }

    /// A paper with its bytes, checked against the stored checksum.
    public func paper(id: Int64) async throws -> (paper: Paper, bytes: Data)? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM papers WHERE id = \(bind: id)").first() else { return nil }
            let bytes = try row.decode(column: "content", as: Data.self)
            let paper = Paper(id: id, agendaItemId: try row.int64("agenda_item_id"), fileName: try row.string("file_name"),
                              contentType: try row.string("content_type"), byteCount: try row.int("byte_count"),
                              sha256: try row.string("sha256"), pageCount: try row.decode(column: "page_count", as: Int?.self),
                              scanStatus: PaperScanStatus(rawValue: try row.string("scan_status")) ?? .notScanned,
                              uploadedAt: try row.instant("uploaded_at"))
            guard SHA256.hash(data: bytes).hexString == paper.sha256 else { throw PaperIntegrityError(paperId: id) }
            return (paper, bytes)
        }
    }

    public func removePaper(id: Int64, audit context: AuditContext) async throws {
        try await write { db in
            guard let row = try await db.raw("SELECT file_name, sha256, agenda_item_id FROM papers WHERE id = \(bind: id)").first() else {
                throw ValidationError(field: "paperId", "There is no paper with id \(id)")
            }
            try await db.raw("DELETE FROM papers WHERE id = \(bind: id)").run()
            try await Self.touch(itemId: try row.int64("agenda_item_id"), on: db)
            try await audit(.delete, "paper", id, [FieldChange(field: "fileName", before: try row.string("file_name"), after: nil),
                                                   FieldChange(field: "sha256", before: try row.string("sha256"), after: nil)], context, on: db)
        }
    }

    // MARK: At the meeting

    public func attendance(meetingId: Int64) async throws -> [AttendanceEntry] {
        try await database.read { db in
            try await db.raw("""
                SELECT a.*, p.name, s.name AS substitute_name FROM meeting_attendance a JOIN people p ON p.id = a.person_id
                LEFT JOIN people s ON s.id = a.substitute_for_person_id WHERE a.meeting_id = \(bind: meetingId) ORDER BY p.name
                """).all().map { row in
                AttendanceEntry(personId: try row.int64("person_id"), personName: try row.string("name"),
                                kind: AttendanceKind(rawValue: try row.string("kind")) ?? .present,
                                substituteForPersonId: try row.optionalInt64("substitute_for_person_id"),
                                substituteForName: try row.optionalString("substitute_name"), capacity: try row.optionalString("capacity"))
            }
        }
    }

    /// Records how someone attended (replacing what was recorded for them before).
    public func recordAttendance(meetingId: Int64, personId: Int64, kind: AttendanceKind, substituteForPersonId: Int64?, capacity: String?,
                                 audit context: AuditContext) async throws {
        try await write { db in
            try await CaseStore.requireExisting(table: "meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            try await CaseStore.requireExisting(table: "people", ids: [personId] + (substituteForPersonId.map { [$0] } ?? []),
                                                field: "personId", label: "person", on: db)
            if substituteForPersonId == personId {
                throw ValidationError(field: "substituteForPersonId", "A person cannot substitute for themselves")
            }
            try await db.raw("DELETE FROM meeting_attendance WHERE meeting_id = \(bind: meetingId) AND person_id = \(bind: personId)").run()
            try await db.raw("""
                INSERT INTO meeting_attendance (meeting_id, person_id, kind, substitute_for_person_id, capacity)
                VALUES (\(bind: meetingId), \(bind: personId), \(bind: kind.rawValue), \(bind: substituteForPersonId), \(bind: capacity))
                """).run()
            try await audit(.update, "meeting-attendance", meetingId,
                            [FieldChange(field: "person:\(personId)", before: nil, after: kind.rawValue)], context, on: db)
        }
    }

    public func chairChanges(meetingId: Int64) async throws -> [ChairChange] {
        try await database.read { db in
            try await db.raw("""
                SELECT c.*, p.name FROM chair_changes c JOIN people p ON p.id = c.person_id WHERE c.meeting_id = \(bind: meetingId) ORDER BY c.id
                """).all().map { row in
                ChairChange(id: try row.int64("id"), personId: try row.int64("person_id"), personName: try row.string("name"),
                            atMinuteNumber: try row.decode(column: "at_minute_number", as: Int?.self), note: try row.optionalString("note"))
            }
        }
    }

    public func recordChairChange(meetingId: Int64, personId: Int64, atMinuteNumber: Int?, note: String?, audit context: AuditContext) async throws {
        try await write { db in
            try await CaseStore.requireExisting(table: "meetings", ids: [meetingId], field: "meetingId", label: "meeting", on: db)
            try await CaseStore.requireExisting(table: "people", ids: [personId], field: "personId", label: "person", on: db)
            let id = try await db.raw("""
                INSERT INTO chair_changes (meeting_id, person_id, at_minute_number, note)
                VALUES (\(bind: meetingId), \(bind: personId), \(bind: atMinuteNumber), \(bind: note)) RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "chair-change", id, FieldChange.created([("meetingId", String(meetingId)), ("personId", String(personId)),
                                                                              ("atMinute", atMinuteNumber.map(String.init))]), context, on: db)
        }
    }

    public func declarations(meetingId: Int64) async throws -> [Declaration] {
        try await database.read { db in
            try await db.raw("""
                SELECT d.*, p.name FROM declarations d JOIN people p ON p.id = d.person_id JOIN agenda_items i ON i.id = d.agenda_item_id
                WHERE i.meeting_id = \(bind: meetingId) ORDER BY i.section, i.number, d.id
                """).all().map { row in
                Declaration(id: try row.int64("id"), agendaItemId: try row.int64("agenda_item_id"), personId: try row.int64("person_id"),
                            personName: try row.string("name"), interest: try row.string("interest"))
            }
        }
    }

    public func declareInterest(itemId: Int64, personId: Int64, interest: String, audit context: AuditContext) async throws {
        let text = interest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError(field: "interest", "Describe the interest declared") }
        try await write { db in
            try await CaseStore.requireExisting(table: "agenda_items", ids: [itemId], field: "itemId", label: "agenda item", on: db)
            try await CaseStore.requireExisting(table: "people", ids: [personId], field: "personId", label: "person", on: db)
            let id = try await db.raw("""
                INSERT INTO declarations (agenda_item_id, person_id, interest) VALUES (\(bind: itemId), \(bind: personId), \(bind: text)) RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "declaration", id, FieldChange.created([("itemId", String(itemId)), ("personId", String(personId)),
                                                                             ("interest", text)]), context, on: db)
        }
    }

    // MARK: Minutes

    public func minutes(meetingId: Int64) async throws -> [Minute] {
        try await database.read { db in
            try await db.raw("SELECT * FROM minutes WHERE meeting_id = \(bind: meetingId) ORDER BY number").all().map(Self.minute)
        }
    }

    static func minute(_ row: any SQLRow) throws -> Minute {
        let paragraphs = try JSONDecoder().decode([String].self, from: Data(try row.string("paragraphs").utf8))
        return Minute(id: try row.int64("id"), meetingId: try row.int64("meeting_id"), number: try row.int("number"), title: try row.string("title"),
                      agendaItemId: try row.optionalInt64("agenda_item_id"), citedItemCode: try row.optionalString("cited_item_code"),
                      isPrivate: try row.bool("is_private"), paragraphs: paragraphs,
                      resolution: try row.optionalString("resolution").flatMap(ResolutionKind.init),
                      resolutionText: try row.optionalString("resolution_text"), version: try row.int("version"))
    }

    /// Adds a minute with the next number in the body's sequence (or the number asked for, which must be that).
    @discardableResult
    public func addMinute(meetingId: Int64, _ input: MinuteInput, audit context: AuditContext) async throws -> Minute {
        guard !input.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(field: "title", "Enter the minute's heading") }
        return try await rethrowingDuplicate(field: "number", message: "That minute number is already used") {
            try await write { db in
                guard let meeting = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: meetingId)").first().map(Self.meeting) else {
                    throw ValidationError(field: "meetingId", "There is no meeting with id \(meetingId)")
                }
                if meeting.minutesStatus == .agreed {
                    throw ValidationError(field: "number", "These minutes were agreed as a true record and can no longer change")
                }
                if let item = input.agendaItemId {
                    guard try await db.raw("SELECT id FROM agenda_items WHERE id = \(bind: item) AND meeting_id = \(bind: meetingId)").first() != nil else {
                        throw ValidationError(field: "agendaItemId", "That item is not on this meeting's agenda")
                    }
                }
                var numbers: [Int64: [Int]] = [:]
                for row in try await db.raw("SELECT meeting_id, number FROM minutes WHERE body_id = \(bind: meeting.bodyId)").all() {
                    numbers[try row.int64("meeting_id"), default: []].append(try row.int("number"))
                }
                let bodyMinutes = try await db.raw("SELECT * FROM meetings WHERE body_id = \(bind: meeting.bodyId)").all().map(Self.meeting)
                    .map { (meeting: $0, numbers: numbers[$0.id] ?? []) }
                let number = try GovernanceRules.minuteNumber(asked: input.number, for: meeting, bodyMinutes: bodyMinutes)
                let paragraphs = input.paragraphs.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                let json = String(decoding: try JSONEncoder().encode(paragraphs), as: UTF8.self)
                let id = try await db.raw("""
                    INSERT INTO minutes (meeting_id, body_id, number, title, agenda_item_id, cited_item_code, is_private, paragraphs,
                                         resolution, resolution_text)
                    VALUES (\(bind: meetingId), \(bind: meeting.bodyId), \(bind: number), \(bind: input.title.trimmingCharacters(in: .whitespaces)),
                            \(bind: input.agendaItemId), \(bind: input.citedItemCode), \(bind: input.isPrivate.sqlInteger), \(bind: json),
                            \(bind: input.resolution?.rawValue), \(bind: input.resolutionText))
                    RETURNING id
                    """).first()!.int64("id")
                try await audit(.create, "minute", id, FieldChange.created([("number", String(number)), ("title", input.title),
                                                                            ("agendaItemId", input.agendaItemId.map(String.init)),
                                                                            ("isPrivate", String(input.isPrivate)),
                                                                            ("resolution", input.resolution?.rawValue)]), context, on: db)
                try await Self.touch(meetingId: meetingId, on: db)
                return try await db.raw("SELECT * FROM minutes WHERE id = \(bind: id)").first().map(Self.minute)!
            }
        }
    }

    /// Publishes draft minutes (the public see their public part from now on).
    public func publishMinutes(meetingId: Int64, expectedVersion: Int, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("SELECT id FROM minutes WHERE meeting_id = \(bind: meetingId)").first() != nil else {
                throw ValidationError(field: "minutes", "There are no minutes to publish")
            }
            guard try await db.raw("""
                UPDATE meetings SET minutes_status = 'published', minutes_published_at = \(bind: Instant.storage(Date())), version = version + 1
                WHERE id = \(bind: meetingId) AND version = \(bind: expectedVersion) AND minutes_status = 'draft' RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "meeting", id: meetingId) }
            try await audit(.update, "meeting", meetingId, [FieldChange(field: "minutesStatus", before: "draft", after: "published")], context, on: db)
            try await Self.touch(meetingId: meetingId, on: db)
        }
    }

    /// Records that the minutes were "agreed as a true record and signed by the Chairman" at a later meeting.
    public func agreeMinutes(meetingId: Int64, expectedVersion: Int, atMeetingId: Int64, signedBy: String, audit context: AuditContext) async throws {
        let signer = signedBy.trimmingCharacters(in: .whitespaces)
        guard !signer.isEmpty else { throw ValidationError(field: "signedBy", "Enter who signed the minutes") }
        try await write { db in
            guard let meeting = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: meetingId)").first().map(Self.meeting),
                  let at = try await db.raw("SELECT * FROM meetings WHERE id = \(bind: atMeetingId)").first().map(Self.meeting) else {
                throw ValidationError(field: "atMeetingId", "There is no such meeting")
            }
            guard at.bodyId == meeting.bodyId, at.heldOn > meeting.heldOn else {
                throw ValidationError(field: "atMeetingId", "Minutes are agreed at a later meeting of the same body")
            }
            guard meeting.minutesStatus == .published else {
                throw ValidationError(field: "minutes", "Publish the minutes before recording them as agreed")
            }
            guard try await db.raw("""
                UPDATE meetings SET minutes_status = 'agreed', minutes_agreed_at_meeting_id = \(bind: atMeetingId),
                    minutes_signed_by = \(bind: signer), version = version + 1
                WHERE id = \(bind: meetingId) AND version = \(bind: expectedVersion) RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "meeting", id: meetingId) }
            try await audit(.update, "meeting", meetingId, [FieldChange(field: "minutesStatus", before: "published", after: "agreed"),
                                                            FieldChange(field: "signedBy", before: nil, after: signer)], context, on: db)
            try await Self.touch(meetingId: meetingId, on: db)
        }
    }

    // MARK: Action log and forward plan

    public func actions(bodyId: Int64? = nil) async throws -> [GovernanceAction] {
        try await database.read { db in
            var sql: SQLQueryString = """
                SELECT a.*, n.number, m.held_on AS raised_on, d.held_on AS due_meeting_on FROM governance_actions a
                JOIN minutes n ON n.id = a.minute_id JOIN meetings m ON m.id = n.meeting_id
                LEFT JOIN meetings d ON d.id = a.due_meeting_id
                """
            if let bodyId { sql += " WHERE a.body_id = \(bind: bodyId)" }
            return try await db.raw(sql + " ORDER BY n.number, a.id").all().map { row in
                GovernanceAction(id: try row.int64("id"), bodyId: try row.int64("body_id"), minuteId: try row.int64("minute_id"),
                                 minuteNumber: try row.int("number"), raisedOn: try row.date("raised_on")!, ownerName: try row.string("owner_name"),
                                 ownerPersonId: try row.optionalInt64("owner_person_id"), description: try row.string("description"),
                                 dueMeetingId: try row.optionalInt64("due_meeting_id"),
                                 dueOn: try row.date("due_meeting_on") ?? row.date("due_on"), completedOn: try row.date("completed_on"),
                                 completionNote: try row.optionalString("completion_note"), version: try row.int("version"))
            }
        }
    }

    /// Records an action against a minute. An action needs an owner and a description.
    @discardableResult
    public func addAction(minuteId: Int64, _ input: GovernanceActionInput, audit context: AuditContext) async throws -> Int64 {
        var validator = Validator()
        let owner = validator.required(input.ownerName, field: "ownerName", label: "the action's owner")
        let description = validator.required(input.description, field: "description", label: "what is to be done", maxLength: 2_000)
        try validator.check()
        return try await write { db in
            guard let minute = try await db.raw("""
                SELECT n.body_id, m.held_on FROM minutes n JOIN meetings m ON m.id = n.meeting_id WHERE n.id = \(bind: minuteId)
                """).first() else { throw ValidationError(field: "minuteId", "There is no minute with id \(minuteId)") }
            let bodyId = try minute.int64("body_id")
            if let due = input.dueMeetingId {
                guard let row = try await db.raw("SELECT body_id, held_on FROM meetings WHERE id = \(bind: due)").first(),
                      try row.int64("body_id") == bodyId, try row.date("held_on")! > minute.date("held_on")! else {
                    throw ValidationError(field: "dueMeetingId", "The due meeting must be a later meeting of the same body")
                }
            }
            if let ownerPersonId = input.ownerPersonId {
                try await CaseStore.requireExisting(table: "people", ids: [ownerPersonId], field: "ownerPersonId", label: "person", on: db)
            }
            let id = try await db.raw("""
                INSERT INTO governance_actions (body_id, minute_id, owner_name, owner_person_id, description, due_meeting_id, due_on)
                VALUES (\(bind: bodyId), \(bind: minuteId), \(bind: owner!), \(bind: input.ownerPersonId), \(bind: description!),
                        \(bind: input.dueMeetingId), \(bind: input.dueOn?.iso))
                RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "governance-action", id, FieldChange.created([("minuteId", String(minuteId)), ("owner", owner),
                                                                                   ("description", description),
                                                                                   ("dueMeetingId", input.dueMeetingId.map(String.init)),
                                                                                   ("dueOn", input.dueOn?.iso)]), context, on: db)
            return id
        }
    }

    /// Marks an action done (it leaves the action log after the next meeting).
    public func completeAction(id: Int64, expectedVersion: Int, on date: CalendarDate, note: String?, audit context: AuditContext) async throws {
        try await write { db in
            guard try await db.raw("""
                UPDATE governance_actions SET completed_on = \(bind: date.iso), completion_note = \(bind: note), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion) AND completed_on IS NULL RETURNING id
                """).first() != nil else { throw StaleRecordError(recordType: "action", id: id) }
            try await audit(.update, "governance-action", id, [FieldChange(field: "completedOn", before: nil, after: date.iso),
                                                               FieldChange(field: "completionNote", before: nil, after: note)], context, on: db)
        }
    }

    public func forwardPlan(bodyId: Int64? = nil) async throws -> [ForwardPlanEntry] {
        try await database.read { db in
            var sql: SQLQueryString = "SELECT f.*, n.number FROM forward_plan f LEFT JOIN minutes n ON n.id = f.source_minute_id"
            if let bodyId { sql += " WHERE f.body_id = \(bind: bodyId)" }
            return try await db.raw(sql + " ORDER BY f.id").all().map { row in
                ForwardPlanEntry(id: try row.int64("id"), bodyId: try row.int64("body_id"), title: try row.string("title"),
                                 sourceMinuteId: try row.optionalInt64("source_minute_id"),
                                 sourceMinuteNumber: try row.decode(column: "number", as: Int?.self),
                                 forMeetingId: try row.optionalInt64("for_meeting_id"), dueBy: try row.date("due_by"))
            }
        }
    }

    /// Items that name forward-plan entries, across the body's meetings.
    public func plannedItems(bodyId: Int64) async throws -> [AgendaItem] {
        try await database.read { db in
            try await Self.items(where: """
                i.forward_plan_id IS NOT NULL AND i.meeting_id IN (SELECT id FROM meetings WHERE body_id = \(bind: bodyId))
                """, on: db)
        }
    }

    /// Promises business to a future meeting (or by a date when the meeting is not yet known).
    @discardableResult
    public func addForwardPlanEntry(bodyId: Int64, title: String, sourceMinuteId: Int64?, forMeetingId: Int64?, dueBy: CalendarDate?,
                                    audit context: AuditContext) async throws -> Int64 {
        var validator = Validator()
        let title = validator.required(title, field: "title", label: "what is to come to the meeting", maxLength: 300)
        try validator.check()
        return try await write { db in
            try await CaseStore.requireExisting(table: "bodies", ids: [bodyId], field: "bodyId", label: "body", on: db)
            if let forMeetingId {
                guard let row = try await db.raw("SELECT body_id FROM meetings WHERE id = \(bind: forMeetingId)").first(),
                      try row.int64("body_id") == bodyId else {
                    throw ValidationError(field: "forMeetingId", "The meeting must be one of the same body")
                }
            }
            if let sourceMinuteId {
                try await CaseStore.requireExisting(table: "minutes", ids: [sourceMinuteId], field: "sourceMinuteId", label: "minute", on: db)
            }
            let id = try await db.raw("""
                INSERT INTO forward_plan (body_id, title, source_minute_id, for_meeting_id, due_by)
                VALUES (\(bind: bodyId), \(bind: title!), \(bind: sourceMinuteId), \(bind: forMeetingId), \(bind: dueBy?.iso)) RETURNING id
                """).first()!.int64("id")
            try await audit(.create, "forward-plan", id, FieldChange.created([("title", title), ("forMeetingId", forMeetingId.map(String.init)),
                                                                              ("dueBy", dueBy?.iso)]), context, on: db)
            return id
        }
    }

    /// Whether a signed-in user sits on the body: a person with the user's email holds a membership in force.
    public func isMember(bodyId: Int64, email: String, on date: CalendarDate) async throws -> Bool {
        try await database.read { db in
            try await db.raw("""
                SELECT 1 AS found FROM memberships s JOIN people p ON p.id = s.person_id
                WHERE s.body_id = \(bind: bodyId) AND LOWER(p.email) = \(bind: email.lowercased())
                  AND (s.from_date IS NULL OR s.from_date <= \(bind: date.iso)) AND (s.to_date IS NULL OR s.to_date >= \(bind: date.iso))
                """).first() != nil
        }
    }
}

/// A stored paper no longer matches its checksum: it is not served.
public struct PaperIntegrityError: Error, Sendable, CustomStringConvertible {
    public let paperId: Int64
    public var description: String { "Paper \(paperId) does not match its stored checksum" }
}
