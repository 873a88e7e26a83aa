import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit
import Synchronization
import VaporCSQLite

/// One connection to the SQLite file, driven through the C API of the SQLite that SQLiteNIO builds (the same
/// copy of the library, so the same process-wide file locks). Statements run in the calling task and stay
/// prepared for the connection's life. SQLiteNIO runs each statement on a thread pool and hands every row back
/// to an event loop: those hand-offs, and preparing every statement again, were most of the cost of a short
/// query (a `SELECT 1` took 185 µs). A connection is used by one task at a time (the pool sees to that), so it
/// is opened without SQLite's own mutex.
final class SQLiteDirectConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    /// Statements kept prepared; past this the cache is emptied (queries with varying IN lists are not worth keeping).
    private static let statementCacheLimit = 200

    /// A prepared statement and its result column names, read once.
    final class Statement {
        let handle: OpaquePointer
        let columns: [String]

        init(handle: OpaquePointer) {
            self.handle = handle
            self.columns = (0..<sqlite_nio_sqlite3_column_count(handle)).map { index in
                sqlite_nio_sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
            }
        }

        deinit { sqlite_nio_sqlite3_finalize(handle) }
    }

    /// Opens the file with Concord's settings: foreign keys on, a 5-second busy timeout (a second process, such as
    /// the CLI, waits for the write lock instead of failing), NORMAL sync, which with WAL survives a crash of the
    /// process, and a WAL file cut back to `walSizeLimit` whenever a checkpoint lets it start again. Without that
    /// limit the file keeps its largest size until the last connection closes: under a saturating load a long read
    /// (an idle-priority recount) holds back checkpoints, and the WAL grew by 8 MB a second and stayed at 125 MB.
    /// SQLite's automatic checkpoint gives way to the pool's (`SQLiteDirectPool.committed(walPages:)`): after each
    /// commit the connection tells `pool` how long the WAL has grown (`sqlite3_wal_hook`, which replaces the hook
    /// SQLite checkpoints from).
    init(path: String, pool: SQLiteDirectPool) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close_v2(handle)
            throw SQLiteDirectError(code: status, message: "\(message) (\(path))")
        }
        self.handle = handle
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000", "PRAGMA synchronous = NORMAL",
                       "PRAGMA journal_size_limit = \(Self.walSizeLimit)"] {
            try run(pragma, []) { _ in }
        }
        // The pool outlives its connections: it closes them, and a leased one is in use inside its `withConnection`.
        sqlite_nio_sqlite3_wal_hook(handle, { pool, _, _, pages in
            Unmanaged<SQLiteDirectPool>.fromOpaque(pool!).takeUnretainedValue().committed(walPages: Int(pages))
            return SQLITE_OK
        }, Unmanaged.passUnretained(pool).toOpaque())
    }

    /// The most the WAL file keeps on disk once a checkpoint has emptied it (64 MiB, in bytes).
    static let walSizeLimit = 64 << 20

    deinit {
        statements.removeAll()
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// Runs one statement with its values bound, handing each result row to `onRow`.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteDirectRow) throws -> Void) throws {
        let statement = try prepared(sql)
        let holdsLargeValue = try bind(binds, to: statement)
        defer { reset(statement, releasingValues: holdsLargeValue) }
        while true {
            let status = sqlite_nio_sqlite3_step(statement.handle)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(status) }
            try onRow(SQLiteDirectRow(columns: statement.columns, values: try values(of: statement)))
        }
    }

    /// Inserts rows into `table`, their `values` one row after another, through one statement of `rowsPerInsert`
    /// rows, prepared once, and a single-row one for the rest. SQLite sets up a statement's cursors and checks at
    /// every run: a single-row insert run once per row cost twice SQLite's own `INSERT … SELECT` of the same rows.
    func insert(_ values: [SQLiteData], into table: String, columns: [String]) throws {
        let texts = insertTexts(table: table, columns: columns)
        let valuesPerStatement = texts.rowsPerStatement * columns.count
        var start = values.startIndex
        if values.count >= valuesPerStatement {
            let full = try prepared(texts.manyRows)
            while values.endIndex - start >= valuesPerStatement {
                try runOnce(full, values: values[start..<start + valuesPerStatement])
                start += valuesPerStatement
            }
        }
        guard start < values.endIndex else { return }
        let single = try prepared(texts.oneRow)
        for row in stride(from: start, to: values.endIndex, by: columns.count) {
            try runOnce(single, values: values[row..<row + columns.count])
        }
    }

    /// The SQL of a table's one-row and many-row inserts, written once per connection: joining the column names
    /// and placeholders again for every batch of audit entries was a tenth of the audit writer's time.
    private struct InsertShape: Hashable {
        let table: String
        let columns: [String]
    }

    private struct InsertTexts {
        let oneRow: String
        let manyRows: String
        let rowsPerStatement: Int
    }

    private var insertTextCache: [InsertShape: InsertTexts] = [:]

    private func insertTexts(table: String, columns: [String]) -> InsertTexts {
        let shape = InsertShape(table: table, columns: columns)
        if let texts = insertTextCache[shape] { return texts }
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let rowsPerStatement = max(1, min(Self.rowsPerInsert, Self.bindLimit / columns.count))
        let texts = InsertTexts(oneRow: head + tuple, manyRows: head + Array(repeating: tuple, count: rowsPerStatement).joined(separator: ", "),
                                rowsPerStatement: rowsPerStatement)
        insertTextCache[shape] = texts
        return texts
    }

    /// Rows in one multi-row insert, and the most values one statement may bind (SQLite's limit is 32,766).
    private static let rowsPerInsert = 100
    private static let bindLimit = 30_000

    /// Binds `values` in order and runs a statement that returns no rows.
    private func runOnce(_ statement: Statement, values: some Sequence<SQLiteData>) throws {
        let holdsLargeValue = try bind(values, to: statement)
        defer { reset(statement, releasingValues: holdsLargeValue) }
        let status = sqlite_nio_sqlite3_step(statement.handle)
        guard status == SQLITE_DONE || status == SQLITE_ROW else { throw error(status) }
    }

    /// Binds `values` to the statement's parameters in order; true when one of them is a file or a long text. When
    /// one cannot be bound, none stays bound.
    private func bind(_ values: some Sequence<SQLiteData>, to statement: Statement) throws -> Bool {
        var holdsLargeValue = false
        var index: Int32 = 1
        do {
            for value in values {
                switch value {
                case .blob: holdsLargeValue = true
                case .text(let text) where text.utf8.count > 4096: holdsLargeValue = true
                default: break
                }
                try bind(value, at: index, to: statement.handle)
                index += 1
            }
        } catch {
            sqlite_nio_sqlite3_clear_bindings(statement.handle)
            throw error
        }
        return holdsLargeValue
    }

    /// Readies a statement to run again. It keeps its bound values until they are bound again, except a file or a
    /// long text, let go at once. Values are not cleared after every run: `sqlite3_clear_bindings` marks a statement
    /// whose plan looked at a bound value (`x = ?` is costed by whether ? is 0 or 1) as expired, and it would be
    /// prepared again each time.
    private func reset(_ statement: Statement, releasingValues holdsLargeValue: Bool) {
        sqlite_nio_sqlite3_reset(statement.handle)
        if holdsLargeValue { sqlite_nio_sqlite3_clear_bindings(statement.handle) }
    }

    private func prepared(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        var raw: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let status = sql.withCString { text in
            let status = sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, &tail)
            if status == SQLITE_OK, let rest = tail, !String(cString: rest).allSatisfy({ $0.isWhitespace || $0 == ";" }) {
                tail = nil
                return SQLITE_MISUSE
            }
            return status
        }
        guard status == SQLITE_OK, let raw else {
            sqlite_nio_sqlite3_finalize(raw)
            if status == SQLITE_MISUSE, tail == nil {
                throw SQLiteDirectError(code: status, message: "one statement at a time: \(sql.prefix(60))…")
            }
            throw error(status)
        }
        if statements.count >= Self.statementCacheLimit { statements.removeAll() }
        let statement = Statement(handle: raw)
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) throws {
        let status: Int32
        switch value {
        case .integer(let number):
            status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number):
            status = sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text):
            var text = text
            status = text.withUTF8 { bytes in
                sqlite_nio_sqlite3_bind_text64(statement, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                               UInt64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        case .blob(let buffer):
            status = buffer.withUnsafeReadableBytes { bytes in
                sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress, UInt64(bytes.count), sqliteTransient)
            }
        case .null:
            status = sqlite_nio_sqlite3_bind_null(statement, index)
        }
        guard status == SQLITE_OK else { throw error(status) }
    }

    private func values(of statement: Statement) throws -> [SQLiteData] {
        let handle = statement.handle
        return try (0..<Int32(statement.columns.count)).map { column in
            switch sqlite_nio_sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER:
                return .integer(Int(sqlite_nio_sqlite3_column_int64(handle, column)))
            case SQLITE_FLOAT:
                return .float(sqlite_nio_sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
                guard let text = sqlite_nio_sqlite3_column_text(handle, column) else { return .text("") }
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            case SQLITE_BLOB:
                let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
                var buffer = ByteBufferAllocator().buffer(capacity: count)
                if let bytes = sqlite_nio_sqlite3_column_blob(handle, column) {
                    buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
                }
                return .blob(buffer)
            case SQLITE_NULL:
                return .null
            default:
                throw SQLiteDirectError(code: SQLITE_MISMATCH, message: "unexpected column type")
            }
        }
    }

    private func error(_ status: Int32) -> SQLiteDirectError {
        SQLiteDirectError(code: status, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "error \(status)")
    }
}

/// SQLite's "copy the value now" destructor, which the C header spells as a cast of -1.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failed SQLite call: its result code and SQLite's message (e.g. "UNIQUE constraint failed: users.email").
struct SQLiteDirectError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
}

/// A result row, read through SQLKit's `SQLRow` with SQLiteKit's decoder (so values decode exactly as they
/// did through SQLiteKit).
struct SQLiteDirectRow: SQLRow {
    let columns: [String]
    let values: [SQLiteData]

    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.firstIndex(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.firstIndex(of: column) else { throw MissingColumnError(column: column) }
        let value = values[index]
        if let common = Self.commonValue(value, as: D.self) { return common }
        return try Self.decoder.decode(D.self, from: value)
    }

    /// Text and integers as the types most columns are read as, compared by type rather than through SQLiteKit's
    /// decoder, whose protocol casts cost a few hundred nanoseconds each in this runtime (a 50-row case list
    /// decodes 600 values). Anything else, or a value of another storage class, goes to the decoder.
    private static func commonValue<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        switch value {
        case .text(let text):
            if D.self == String.self { return (text as! D) }
            if D.self == String?.self { return (Optional(text) as! D) }
        case .integer(let number):
            if D.self == Int.self { return (number as! D) }
            if D.self == Int64.self { return (Int64(number) as! D) }
            if D.self == Int?.self { return (Optional(number) as! D) }
            if D.self == Int64?.self { return (Optional(Int64(number)) as! D) }
        case .null:
            if D.self == String?.self { return (String?.none as! D) }
            if D.self == Int?.self { return (Int?.none as! D) }
            if D.self == Int64?.self { return (Int64?.none as! D) }
        default:
            break
        }
        return nil
    }

    struct MissingColumnError: Error, CustomStringConvertible {
        let column: String
        var description: String { "no column \(column) in the result" }
    }
}

/// SQLKit over one leased direct connection.
struct SQLiteDirectDatabase: SQLDatabase {
    let connection: SQLiteDirectConnection
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    private static let encoder = SQLiteDataEncoder()

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try connection.run(sql, try binds.map { try Self.encoder.encode($0) }) { onRow($0) }
    }
}

/// Direct connections to one SQLite file, opened as needed up to `limit` and kept open. A task leases one for the
/// length of a `read` or `write` (across its suspension points); beyond the limit, tasks wait their turn.
final class SQLiteDirectPool: Sendable {
    let path: String
    private let limit: Int
    /// Writers in this process queue here: SQLite allows one writer at a time.
    let writeGate = AsyncGate()
    private struct State {
        var idle: [SQLiteDirectConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<SQLiteDirectConnection?, Never>] = []
        var closed = false
    }

    private let state = Mutex(State())

    private struct Checkpoints {
        var running: Task<Void, Never>?
        var finished = 0
    }

    private let checkpoints = Mutex(Checkpoints())

    init(path: String, limit: Int) {
        self.path = path
        self.limit = limit
    }

    /// The WAL's length in pages past which it is checkpointed (SQLite's own default).
    static let checkpointPages = 1000

    /// Called by a connection after each commit with the WAL's length. Past `checkpointPages`, the WAL is copied back
    /// into the database file on a thread of its own (`BackgroundExecutor.checkpointer`) while writers go on, in
    /// passes, each over what the writers committed during the one before, until few frames are left; only a last
    /// pass over those holds the writers at the gate, so that the checkpoint reaches the end of the WAL and the next
    /// commit starts it again from its beginning (checkpoints beside continuous writers alone never catch up).
    /// SQLite's automatic checkpoint, inside the commit that crossed the limit, held every writer (and so every
    /// audited read waiting for its entry) for both its `fsync`s: 15–20 ms every half second under load on the
    /// development machine's disk. The authenticated read at 64 connections (`scripts/bench-http.sh`): p99 28–34 ms
    /// with SQLite's checkpoint, 17–22 ms with this one, about 18 ms with none at all.
    func committed(walPages: Int) {
        guard walPages >= Self.checkpointPages else { return }
        checkpoints.withLock { checkpoints in
            guard checkpoints.running == nil else { return }
            // Started under the lock, so that the task, which clears `running` under it, finds itself there.
            checkpoints.running = Task(executorPreference: BackgroundExecutor.checkpointer) { [self] in
                defer {
                    self.checkpoints.withLock { checkpoints in
                        checkpoints.running = nil
                        checkpoints.finished += 1
                    }
                }
                // A pass that cannot run (the pool closed, another process checkpointing) is tried again after a later commit.
                var passes = 0
                var framesLeft = Int.max
                while framesLeft > Self.framesLeftForLastPass, passes < Self.passesBesideWriters {
                    framesLeft = (try? await withConnection(Self.checkpointPass)) ?? 0
                    passes += 1
                }
                _ = try? await writeGate.run { try await withConnection(Self.checkpointPass) }
            }
        }
    }

    /// At most this many frames of the WAL are left for the checkpoint's last pass, the one that holds the writers,
    /// unless `passesBesideWriters` have run (writers committing faster than the disk syncs).
    static let framesLeftForLastPass = 20
    static let passesBesideWriters = 8

    /// Copies what it can of the WAL into the database file (`PRAGMA wal_checkpoint(PASSIVE)`); returns how many
    /// frames are left.
    private static func checkpointPass(on connection: SQLiteDirectConnection) throws -> Int {
        var framesLeft = 0
        try connection.run("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
            framesLeft = try row.decode(column: "log", as: Int.self) - row.decode(column: "checkpointed", as: Int.self)
        }
        return framesLeft
    }

    /// How many checkpoints the pool has run.
    var checkpointsFinished: Int { checkpoints.withLock(\.finished) }

    struct ClosedError: Error, CustomStringConvertible {
        var description: String { "the database has been closed" }
    }

    func withConnection<T>(_ body: (SQLiteDirectConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        defer { release(connection) }
        return try await body(connection)
    }

    private func lease() async throws -> SQLiteDirectConnection {
        enum Next { case use(SQLiteDirectConnection), open, wait, closed }
        let next: Next = state.withLock { state in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .use(connection) }
            if state.open < limit {
                state.open += 1
                return .open
            }
            return .wait
        }
        switch next {
        case .use(let connection):
            return connection
        case .closed:
            throw ClosedError()
        case .open:
            do {
                return try SQLiteDirectConnection(path: path, pool: self)
            } catch {
                state.withLock { $0.open -= 1 }
                throw error
            }
        case .wait:
            let handed = await withCheckedContinuation { waiter in
                let immediate: SQLiteDirectConnection?? = state.withLock { state in
                    if state.closed { return .some(nil) }
                    if let connection = state.idle.popLast() { return .some(connection) }
                    state.waiters.append(waiter)
                    return .none
                }
                if let immediate { waiter.resume(returning: immediate) }
            }
            guard let handed else { throw ClosedError() }
            return handed
        }
    }

    private func release(_ connection: SQLiteDirectConnection) {
        let waiter: CheckedContinuation<SQLiteDirectConnection?, Never>? = state.withLock { state in
            if state.closed {
                state.open -= 1
                return nil
            }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }

    /// Closes the idle connections now and the leased ones as they come back; later leases fail. A checkpoint under
    /// way finishes first, so that no connection of its is open when the others close: the last connection to a
    /// file to close checkpoints what is left of the WAL and removes it (`concord asb import` left a 400 MB WAL to
    /// the server otherwise, whose case list then took 0.8 s at the 99th percentile until it was checkpointed).
    func close() async {
        await checkpoints.withLock(\.running)?.value
        let waiters = state.withLock { state in
            state.closed = true
            state.open -= state.idle.count
            state.idle.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
