import ConcordDomain
import Foundation
import SQLKit
import Synchronization

/// The working-day calendar every clock uses. Bank holidays: the bundled gov.uk data (2010 onwards: 2010–2011
/// from the Royal Proclamations, 2012–2028 from gov.uk's bank-holidays.json, Open Government Licence v3.0),
/// replaced for the years it covers by a file imported with `concord holidays import`; projected past the data.
public struct CalendarStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    /// The bank holidays bundled with Concord.
    public static let bundled: BankHolidayData = {
        guard let url = Bundle.module.url(forResource: "Resources/bank-holidays", withExtension: "json")
                ?? Bundle.module.url(forResource: "bank-holidays", withExtension: "json"),
              let data = try? Data(contentsOf: url), let decoded = try? BankHolidayData.decode(data)
        else { preconditionFailure("the bundled bank-holidays.json is missing or unreadable") }
        return decoded
    }()

    /// Decoded imports, keyed by when they were imported, so each request does not parse the file again.
    private static let importCache = Mutex<(stamp: String, data: BankHolidayData)?>(nil)

    /// The data in force: the bundled data, with the latest import (if any) replacing the years it covers.
    public func published() async throws -> BankHolidayData {
        let row = try await database.read { db in
            try await db.raw("SELECT imported_at FROM bank_holiday_imports WHERE id = 1").first()
        }
        guard let stamp = try row?.string("imported_at") else { return Self.bundled }
        if let cached = Self.importCache.withLock({ $0 }), cached.stamp == stamp { return cached.data }
        let text = try await database.read { db in
            try await db.raw("SELECT data FROM bank_holiday_imports WHERE id = 1").first()?.string("data")
        }
        let merged = Self.bundled.merging(try BankHolidayData.decode(Data((text ?? "").utf8)))
        Self.importCache.withLock { $0 = (stamp, merged) }
        return merged
    }

    /// Replaces the bank holidays with a gov.uk file (validated first: a bad file changes nothing).
    @discardableResult
    public func importHolidays(_ file: Data, audit: AuditContext) async throws -> BankHolidayData {
        let data = try BankHolidayData.decode(file)
        let text = String(decoding: try data.encoded(), as: UTF8.self)
        let engine = database.engine
        try await database.write { db in
            try await db.raw("DELETE FROM bank_holiday_imports").run()
            try await db.raw("""
                INSERT INTO bank_holiday_imports (id, data, imported_at, imported_by)
                VALUES (1, \(bind: text), \(bind: Instant.storage(Date())), \(bind: audit.userId))
                """).run()
            let years = HolidayDivision.allCases.compactMap { data.years($0).map { "\($0.lowerBound)–\($0.upperBound)" } }
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "bank-holidays",
                                                  note: "bank holidays imported (\(Set(years).sorted().joined(separator: ", ")))"),
                                      on: db, engine: engine)
        }
        return data
    }

    public func closures() async throws -> [ClosureDay] {
        try await database.read { db in
            try await db.raw("SELECT day, reason FROM closure_days ORDER BY day").all().compactMap { row in
                try row.date("day").map { ClosureDay(date: $0, reason: try row.string("reason")) }
            }
        }
    }

    public func addClosure(_ closure: ClosureDay, audit: AuditContext) async throws {
        let engine = database.engine
        try await rethrowingDuplicate(field: "date", message: "That day is already a closure day") {
            try await database.write { db in
                try await db.raw("""
                    INSERT INTO closure_days (day, reason, created_at, created_by)
                    VALUES (\(bind: closure.date.iso), \(bind: closure.reason), \(bind: Instant.storage(Date())), \(bind: audit.userId))
                    """).run()
                try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "closure-day",
                                                      recordId: closure.date.iso,
                                                      changes: [FieldChange(field: "reason", before: nil, after: closure.reason)]),
                                          on: db, engine: engine)
            }
        }
    }

    public func removeClosure(_ date: CalendarDate, audit: AuditContext) async throws {
        let engine = database.engine
        try await database.write { db in
            guard let row = try await db.raw("SELECT reason FROM closure_days WHERE day = \(bind: date.iso)").first() else {
                throw RecordNotFoundError(recordType: "closure day", id: date.iso)
            }
            try await db.raw("DELETE FROM closure_days WHERE day = \(bind: date.iso)").run()
            try await AuditLog.append(AuditRecord(context: audit, action: .administration, recordType: "closure-day",
                                                  recordId: date.iso,
                                                  changes: [FieldChange(field: "reason", before: try row.string("reason"), after: nil)]),
                                      on: db, engine: engine)
        }
    }

    /// The calendar for a division (the partnership's setting when nil), with the closure days.
    public func calendar(division: HolidayDivision? = nil) async throws -> WorkingDayCalendar {
        let chosen: HolidayDivision
        if let division {
            chosen = division
        } else {
            let setting = try await SettingsStore(database: database).values().string(PartnershipSettings.bankHolidayDivision)
            chosen = HolidayDivision(rawValue: setting) ?? .englandAndWales
        }
        return WorkingDayCalendar(division: chosen, published: try await published(), closures: try await closures())
    }
}
