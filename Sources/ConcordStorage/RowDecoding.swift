import ConcordDomain
import Foundation
import PostgresNIO
import SQLKit

/// Column readers shared by every repository. Booleans are stored as INTEGER 0/1 on both engines, dates as
/// `YYYY-MM-DD` text and instants as ISO 8601 UTC text.
extension SQLRow {
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func bool(_ column: String) throws -> Bool { try decode(column: column, as: Int.self) != 0 }
    func date(_ column: String) throws -> CalendarDate? { try optionalString(column).flatMap(CalendarDate.init(iso:)) }
    func instant(_ column: String) throws -> Date { Instant.parse(try string(column)) ?? .distantPast }
    func optionalInstant(_ column: String) throws -> Date? { try optionalString(column).flatMap(Instant.parse) }
}

extension Bool {
    /// The INTEGER stored for a boolean column.
    var sqlInteger: Int { self ? 1 : 0 }
}

/// Maps a unique-constraint failure from either engine to a `DuplicateRecordError` for `field`.
func rethrowingDuplicate<T>(field: String, message: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        let isPostgresDuplicate = (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
        if isPostgresDuplicate || String(describing: error).contains("UNIQUE constraint failed") {
            throw DuplicateRecordError(field: field, message: message)
        }
        throw error
    }
}
