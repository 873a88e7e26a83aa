import AsyncKit
import PostgresNIO
import VaporCSQLite

/// The database could not be reached or stopped answering: the PostgreSQL server is down or restarting, a connection
/// broke, the pool is closed, or another process held the SQLite file past the busy timeout. Nothing was saved (a
/// transaction that fails rolls back). Issue 2: "A database that is down gives 503, not a crash"; the web layer
/// answers 503 with a reference number and logs `underlying`.
public struct DatabaseUnavailableError: Error, CustomStringConvertible {
    public let underlying: any Error

    public var description: String { "the database is unavailable: \(String(reflecting: underlying))" }

    /// A connection could not be had: whatever the pool or the server said.
    init(connecting error: any Error) {
        underlying = error
    }

    /// `error` as unavailability when it is one of the failures above, else nil.
    init?(classifying error: any Error) {
        if let already = error as? DatabaseUnavailableError {
            self = already
            return
        }
        guard Self.isUnavailability(error) else { return nil }
        underlying = error
    }

    private static func isUnavailability(_ error: any Error) -> Bool {
        switch error {
        case is SQLiteDirectPool.ClosedError, is ConnectionPoolError, is ConnectionPoolTimeoutError:
            return true
        case let error as SQLiteDirectError:
            return sqliteUnavailableCodes.contains(error.code & 0xff)
        case let error as PSQLError:
            if postgresConnectionCodes.contains(error.code) { return true }
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || postgresUnavailableStates.contains(state)
        default:
            return false
        }
    }

    /// The file is locked by another process past the busy timeout, cannot be opened, or cannot be read or written.
    private static let sqliteUnavailableCodes: Set<Int32> = [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_IOERR]

    /// No connection could be made, or the one in use was closed.
    private static let postgresConnectionCodes: Set<PSQLError.Code> = [
        .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
    ]

    /// SQLSTATE besides class 08 (connection exception): the server shutting down or starting (57P01–57P03), and
    /// too many connections (53300).
    private static let postgresUnavailableStates: Set<String> = ["57P01", "57P02", "57P03", "53300"]
}
