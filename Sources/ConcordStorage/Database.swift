import AsyncKit
import ConcordDomain
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import SQLKit
import Synchronization

/// The store Concord runs on: an embedded SQLite file by default, PostgreSQL when `DATABASE_URL=postgres://…`.
/// Every repository works through `read` and `write` with the same SQL on both engines.
public final class ConcordDatabase: Sendable {
    public enum Engine: String, Sendable {
        case sqlite, postgres
    }

    public let engine: Engine
    public let url: String
    /// The SQLite file, when the engine is SQLite.
    public let sqlitePath: String?
    let logger: Logger
    private let pool: Pool
    /// Standalone audit entries (views, lists, denials) waiting to be committed together.
    let auditQueue = AuditQueue()
    /// Rarely changed values every request reads (agreements, token owners), kept for a few seconds.
    let caches = StoreCaches()

    /// How many transactions the audit writer has committed since the database was opened, and the entries they
    /// carried (`/metrics`).
    public var auditCommits: (transactions: Int, entries: Int) {
        let totals = auditQueue.totals
        return (totals.transactions, totals.entries)
    }

    /// async-kit's pool guards its state with a lock but predates Sendable annotations.
    private enum Pool: @unchecked Sendable {
        case sqlite(SQLiteDirectPool)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    public enum OpenError: Error, CustomStringConvertible {
        case unsupportedURL(String)

        public var description: String {
            switch self {
            case .unsupportedURL(let url):
                "DATABASE_URL must start with sqlite:// or postgres:// (got \(url.prefix(12))…)"
            }
        }
    }

    private init(engine: Engine, url: String, sqlitePath: String?, pool: Pool, logger: Logger) {
        self.engine = engine
        self.url = url
        self.sqlitePath = sqlitePath
        self.pool = pool
        self.logger = logger
    }

    /// Opens (creating if need be) the database at `url`: `sqlite:///absolute/path.sqlite`, `sqlite://relative.sqlite`
    /// or `postgres://user:password@host:port/database`.
    public static func open(url: String, logger: Logger = Logger(label: "concord.db")) async throws -> ConcordDatabase {
        var quietLogger = logger
        quietLogger.logLevel = max(logger.logLevel, .notice)
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let pool = SQLiteDirectPool(path: path, limit: sqliteConnectionLimit)
            let database = ConcordDatabase(engine: .sqlite, url: url, sqlitePath: path, pool: .sqlite(pool), logger: quietLogger)
            // WAL lets readers work while one writer commits; it is a property of the file, so set it once.
            try await database.read { db in try await db.raw("PRAGMA journal_mode = WAL").run() }
            return database
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: configuration),
                                                    maxConnectionsPerEventLoop: 4, logger: quietLogger,
                                                    on: MultiThreadedEventLoopGroup.singleton)
            return ConcordDatabase(engine: .postgres, url: url, sqlitePath: nil, pool: .postgres(pool), logger: quietLogger)
        }
        throw OpenError.unsupportedURL(url)
    }

    /// Runs `body` on one pooled connection, outside a transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db, _ in try await body(db) }
    }

    /// Runs `body` in one transaction: all of it is saved, or none of it. On SQLite, writers in this process
    /// queue at the pool's gate (SQLite allows one writer at a time) and take the write lock up front
    /// (`BEGIN IMMEDIATE`). The cached dashboard counts are cleared once it has run, unless the caller says it
    /// changes no case (sessions and tokens, written on every request).
    public func write<T: Sendable>(touchesCases: Bool = true,
                                   _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        defer { if touchesCases { caches.clearCounts() } }
        return try await bulkWrite { db, _ in try await body(db) }
    }

    /// As `write`, also handing `body` the SQLite connection itself (nil on PostgreSQL), so that a bulk import can
    /// set the connection up for it (its cache size, sorting threads).
    /// With `checksOwnForeignKeys`, SQLite does not look up the parent of every row's foreign keys: `body` has
    /// assigned the ids its rows link to each other and checks the few others itself, once each, inside the
    /// transaction. (PostgreSQL checks them as always.)
    func bulkWrite<T: Sendable>(checksOwnForeignKeys: Bool = false,
                                _ body: @escaping @Sendable (any SQLDatabase, SQLiteDirectConnection?) async throws -> T) async throws -> T {
        let begin: SQLQueryString = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        let transaction: @Sendable (any SQLDatabase, SQLiteDirectConnection?) async throws -> T = { db, sqlite in
            // The setting cannot change inside a transaction, so it is switched around it, on this connection only.
            if checksOwnForeignKeys { try sqlite?.run("PRAGMA foreign_keys = OFF", []) { _ in } }
            defer { if checksOwnForeignKeys { try? sqlite?.run("PRAGMA foreign_keys = ON", []) { _ in } } }
            try await db.raw(begin).run()
            do {
                let result = try await body(db, sqlite)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
        if case .sqlite(let pool) = pool {
            return try await pool.writeGate.run { try await self.withConnection(transaction) }
        }
        return try await withConnection(transaction)
    }

    /// Runs `body` in the calling task on a pooled connection, returned to the pool afterwards. (async-kit's pool's
    /// own `withConnection` wants a future, which costs a task and two thread hand-offs more per use: measured as
    /// the main cost of an audited read on two cores.) A database that cannot be reached, or stops answering,
    /// throws `DatabaseUnavailableError`.
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase, SQLiteDirectConnection?) async throws -> T) async throws -> T {
        do {
            switch pool {
            case .sqlite(let pool):
                return try await pool.withConnection { connection in
                    try await body(SQLiteDirectDatabase(connection: connection, logger: logger,
                                                        eventLoop: MultiThreadedEventLoopGroup.singleton.any()), connection)
                }
            case .postgres(let pool):
                let connection: PostgresConnection
                do {
                    connection = try await pool.requestConnection(logger: logger).get()
                } catch {
                    throw DatabaseUnavailableError(connecting: error)
                }
                defer { pool.releaseConnection(connection, logger: logger) }
                return try await body(connection.sql(queryLogLevel: nil), nil)
            }
        } catch {
            if let unavailable = DatabaseUnavailableError(classifying: error) { throw unavailable }
            throw error
        }
    }

    /// Brings SQLite's query-planner statistics up to date (`PRAGMA optimize`, as sqlite.org advises for
    /// long-lived connections; sampled, so quick). Without them SQLite reads every visible case through the
    /// case-type index and sorts them for a page of 50 (93 ms against 1 ms at 83,000 cases). PostgreSQL keeps its
    /// own statistics (autovacuum).
    public func optimize() async throws {
        guard engine == .sqlite else { return }
        try await write(touchesCases: false) { db in
            // ANALYZE reads at most about 1,000 rows of each index (as sqlite.org advises with optimize): a full pass
            // over a million imported rows took 0.4 s, for statistics no better for choosing plans.
            try await db.raw("PRAGMA analysis_limit = 1000").run()
            try await db.raw("PRAGMA optimize=0x10002").run()
        }
    }

    /// True when the database answers a trivial query.
    public func isReachable() async -> Bool {
        do {
            return try await read { db in try await db.raw("SELECT 1 AS ok").first() != nil }
        } catch {
            return false
        }
    }

    /// SQLite connections open at most: statements run in the calling task, so more than the tasks that can be
    /// inside a `read` or `write` at once buys nothing; WAL lets them all read while one writes.
    private static let sqliteConnectionLimit = 16

    /// Connections in the pool, for `/metrics`.
    public var poolDescription: (engine: String, maximumConnections: Int) {
        switch pool {
        case .sqlite: (Engine.sqlite.rawValue, Self.sqliteConnectionLimit)
        case .postgres: (Engine.postgres.rawValue, 4 * System.coreCount)
        }
    }

    public func close() async {
        switch pool {
        case .sqlite(let pool): await pool.close()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }
}

/// Lets one task at a time through, in arrival order. A task that finds it free goes straight in, without a hop
/// to another executor; one that waits is handed the gate by the task leaving it.
final class AsyncGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        let entered = state.withLock { state in
            guard !state.busy else { return false }
            state.busy = true
            return true
        }
        if entered { return }
        await withCheckedContinuation { waiter in
            let enteredNow = state.withLock { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiters.append(waiter)
                return false
            }
            if enteredNow { waiter.resume() }
        }
    }

    private func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
