import ArgumentParser
import ConcordDomain
import ConcordStorage
import ConcordWeb
import Foundation
import Hummingbird
import Logging

@main
struct Concord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "The Community Safety Partnership's shared working system.",
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, TokenCommand.self, CalendarCommand.self,
                      HolidaysCommand.self, ASBCommand.self, Backup.self, Restore.self, AuditCommand.self])
}

/// Where the store is: `--database-url`, else `DATABASE_URL`, else a SQLite file in `CONCORD_DATA_DIR` (default ./data).
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "sqlite:///path/to/file.sqlite or postgres://user:pass@host/db")
    var databaseURL: String?

    var resolvedURL: String {
        if let databaseURL { return databaseURL }
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        let directory = environment["CONCORD_DATA_DIR"] ?? FileManager.default.currentDirectoryPath + "/data"
        return "sqlite://" + directory + "/concord.sqlite"
    }

    func open(migrate: Bool = true) async throws -> ConcordDatabase {
        let database = try await ConcordDatabase.open(url: resolvedURL)
        if migrate { try await Migrator(database: database).migrate() }
        return database
    }

    /// Opens the store, runs `body`, and closes the store whether or not `body` succeeded.
    func with<T>(migrate: Bool = true, _ body: (ConcordDatabase) async throws -> T) async throws -> T {
        let database = try await open(migrate: migrate)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

/// Loads the demo partnership with a fresh random password, printed once.
func loadDemo(into database: ConcordDatabase) async throws -> String {
    let password = "demo-" + Secrets.randomToken().prefix(16)
    try await DemoPartnership.load(into: database, passwordHash: try await PasswordHashing.hash(String(password)))
    return String(password)
}

func printDemoSignIns(password: String) {
    print("Demo sign-ins (password for all: \(password) — shown once):")
    for user in DemoPartnership.users {
        print("  \(user.email.padding(toLength: 26, withPad: " ", startingAt: 0)) \(user.role.label), \(user.agency)")
    }
    // Shown once, so written out now even when standard output is a file or a pipe.
    fflush(nil)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (migrates the store first).")
    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = ProcessInfo.processInfo.environment["CONCORD_HOST"] ?? "127.0.0.1"
    @Option(help: "Port to listen on.") var port = Int(ProcessInfo.processInfo.environment["CONCORD_PORT"] ?? "") ?? 8080
    @Flag(help: "Load the demo partnership first when the store is empty.") var demo = false
    @Flag(help: "Mark cookies Secure and send HSTS (serve behind TLS).") var secureCookies = ProcessInfo.processInfo.environment["CONCORD_SECURE_COOKIES"] == "1"
    @Option(help: "Header in which a trusted reverse proxy gives the client's address (e.g. X-Forwarded-For); set only when every request comes through it.")
    var trustedProxyHeader = ProcessInfo.processInfo.environment["CONCORD_TRUSTED_PROXY_HEADER"] ?? ""
    @Option(help: "Largest request body accepted, in bytes (papers have their own limit).")
    var maximumBodyBytes = Int(ProcessInfo.processInfo.environment["CONCORD_MAXIMUM_BODY_BYTES"] ?? "") ?? WebConfiguration.defaultMaximumBodyBytes
    @Option(help: "Virus-scan hook for uploaded papers: a shell command given the file on standard input, exiting 0 when clean and 1 when infected.")
    var paperScanCommand = ProcessInfo.processInfo.environment["CONCORD_PAPER_SCAN_COMMAND"] ?? ""

    func validate() throws {
        if !trustedProxyHeader.isEmpty, !WebConfiguration.isHeaderName(trustedProxyHeader) {
            throw ValidationError("--trusted-proxy-header must be an HTTP header name, like X-Forwarded-For (got \(trustedProxyHeader))")
        }
        if maximumBodyBytes < 1024 {
            throw ValidationError("--maximum-body-bytes must be at least 1024 (got \(maximumBodyBytes))")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? .info
            return handler
        }
        let database = try await store.open()
        if demo, try await UserStore(database: database).count() == 0 {
            printDemoSignIns(password: try await loadDemo(into: database))
        }
        try await database.optimize()
        let app = try await buildApplication(database: database,
                                             configuration: WebConfiguration(host: host, port: port, secureCookies: secureCookies,
                                                                              trustedProxyHeader: trustedProxyHeader.isEmpty ? nil : trustedProxyHeader,
                                                                              maximumBodyBytes: maximumBodyBytes,
                                                                              paperScanCommand: paperScanCommand.isEmpty ? nil : paperScanCommand))
        print("Concord is running at http://\(host):\(port) on \(database.engine.rawValue)")
        try await app.runService()
        await database.close()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations, or show their status.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "List migrations and whether each is applied; change nothing.") var status = false

    func run() async throws {
        try await store.with(migrate: false) { database in
            let migrator = Migrator(database: database)
            if status {
                for migration in try await migrator.status() {
                    print("\(migration.id)  \(migration.appliedAt.map { "applied \($0)" } ?? "pending")  \(migration.name)")
                }
            } else {
                let applied = try await migrator.migrate()
                print(applied.isEmpty ? "Nothing to apply: the store is up to date." : "Applied \(applied.joined(separator: ", ")).")
            }
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo Kent partnership into an empty store.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await store.with { database in
            printDemoSignIns(password: try await loadDemo(into: database))
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var store: StoreOptions
        @Option var email: String
        @Option var name: String
        @Option(help: "The agency's name exactly as in the directory.") var agency: String
        @Option(help: "A role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). Repeat for more.") var role: [String]

        func run() async throws {
            try await store.with { database in
                guard let agencyId = try await DirectoryStore(database: database).agencies().first(where: { $0.name == agency })?.id else {
                    throw ValidationFailure("--agency: there is no agency called \(agency)")
                }
                do {
                    let input = try DirectoryRules.user(email: email, displayName: name, agencyId: agencyId, roles: role)
                    print("Password (at least \(PasswordPolicy.minimumLength) characters): ", terminator: "")
                    let password = readLine(strippingNewline: true) ?? ""
                    try PasswordPolicy.check(password, email: input.email)
                    let user = try await UserStore(database: database).create(input, passwordHash: try await PasswordHashing.hash(password),
                                                                              audit: .commandLine)
                    print("Added user \(user.id): \(user.email)")
                } catch let error as ConcordDomain.ValidationError {
                    throw ValidationFailure(error.issues.map { "--\($0.field): \($0.message)" }.joined(separator: "\n"))
                } catch let error as DuplicateRecordError {
                    throw ValidationFailure("--\(error.field): \(error.message)")
                }
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Personal access tokens for the JSON API.",
                                                    subcommands: [Add.self])

    /// For service accounts and scripts: the same token a user makes on /account/tokens, printed once.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token for a user and print it (shown once).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The user's email address.") var email: String
        @Option(help: "What the token is for.") var name: String

        func run() async throws {
            try await store.with { database in
                guard let user = try await UserStore(database: database).credentials(email: email)?.user, user.isActive else {
                    throw ValidationFailure("--email: there is no active user \(email)")
                }
                print(try await APITokenStore(database: database).create(userId: user.id, name: name, audit: .commandLine).secret)
            }
        }
    }
}

/// Parses a command-line date, naming the option when it is not `YYYY-MM-DD`.
func commandLineDate(_ text: String, option: String) throws -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { throw ValidationFailure("--\(option): \(text) is not a date like 2026-12-18") }
    return date
}

/// `--division`, defaulting to the partnership's setting.
struct DivisionOption: ParsableArguments {
    @Option(help: "england-and-wales, scotland or northern-ireland (default: the partnership's setting).") var division: String?

    func resolved() throws -> HolidayDivision? {
        guard let division else { return nil }
        do {
            return try HolidayDivision.parse(division)
        } catch let error as ConcordDomain.ValidationError {
            throw ValidationFailure("--division: " + (error.issues.first?.message ?? "unknown division"))
        }
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "Working-day arithmetic.",
                                                    subcommands: [AddWorkingDays.self, WorkingDays.self])

    struct AddWorkingDays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the due date (ISO) of a limit of N working days from a date; the date itself does not count.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var division: DivisionOption
        @Option(help: "The start date, YYYY-MM-DD.") var from: String
        @Option(help: "How many working days.") var days: Int

        func run() async throws {
            let start = try commandLineDate(from, option: "from")
            guard days >= 0 else { throw ValidationFailure("--days: must be 0 or more") }
            let chosen = try division.resolved()
            let calendar = try await store.with { try await CalendarStore(database: $0).calendar(division: chosen) }
            print(calendar.adding(workingDays: days, to: start).iso)
        }
    }

    struct WorkingDays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print how many working days there are after --from up to and including --to.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var division: DivisionOption
        @Option(help: "YYYY-MM-DD (not counted).") var from: String
        @Option(help: "YYYY-MM-DD (counted).") var to: String

        func run() async throws {
            let start = try commandLineDate(from, option: "from")
            let end = try commandLineDate(to, option: "to")
            let chosen = try division.resolved()
            let calendar = try await store.with { try await CalendarStore(database: $0).calendar(division: chosen) }
            print(calendar.workingDays(from: start, to: end))
        }
    }
}

struct HolidaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "holidays", abstract: "Bank holidays.",
                                                    subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the bank holidays with a gov.uk bank-holidays.json file (for the years it covers).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "A file in gov.uk's format, e.g. downloaded from https://www.gov.uk/bank-holidays.json") var file: String

        func run() async throws {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationFailure("FILE: cannot read \(file)") }
            do {
                let data = try await store.with { try await CalendarStore(database: $0).importHolidays(contents, audit: .commandLine) }
                for division in HolidayDivision.allCases {
                    let years = data.years(division).map { "\($0.lowerBound)–\($0.upperBound)" } ?? "none"
                    print("\(division.rawValue): \(data.holidays[division]?.count ?? 0) bank holidays, \(years)")
                }
            } catch let error as ConcordDomain.ValidationError {
                throw ValidationFailure("FILE: " + error.issues.map(\.message).joined(separator: "; "))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a year's bank holidays and closure days.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var division: DivisionOption
        @Option(help: "The year.") var year: Int

        func run() async throws {
            guard WorkingDayCalendar.supportedYears.contains(year) else {
                throw ValidationFailure("--year: must be between \(WorkingDayCalendar.supportedYears.lowerBound) and "
                                        + "\(WorkingDayCalendar.supportedYears.upperBound)")
            }
            let chosen = try division.resolved()
            let calendar = try await store.with { try await CalendarStore(database: $0).calendar(division: chosen) }
            for holiday in calendar.holidays(in: year) {
                print("\(holiday.date.iso)  \(holiday.title)\(holiday.isProvisional ? "  (provisional)" : "")")
            }
            for (day, reason) in calendar.closures.sorted(by: { $0.key < $1.key }) where day.year == year {
                print("\(day.iso)  \(reason)  (local closure)")
            }
        }
    }
}

struct ASBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "asb", abstract: "ASB cases.", subcommands: [Import.self])

    /// `concord asb import FILE [--dry-run]`: every bad row is reported by line and column and nothing is imported;
    /// a good file is imported in one transaction (all or nothing), with a progress bar on a terminal.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import incidents from a CSV file (columns in README.md).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The CSV file, with a header row.") var file: String
        @Flag(help: "Check every row and report what would be created; import nothing.") var dryRun = false

        func run() async throws {
            // Mapped, not read: the check starts on the first rows at once instead of after a copy of the whole file.
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) else {
                throw ValidationFailure("FILE: cannot read \(file)")
            }
            try await store.with { database in
                let directory = DirectoryStore(database: database)
                let agencies = Dictionary(try await directory.agencies().map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
                let districts = Dictionary(try await directory.districts().map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
                let today = CalendarDate(Date())
                let expectedRows = ASBImport.estimatedRows(in: data)
                // The file is checked in a task of its own, and its rows are written as they pass: the check, the
                // importer's building of table rows and the writing run side by side.
                let (batches, delivery) = ASBImporter.Batches.makeStream()
                let checking = Task {
                    do {
                        let issues = try ASBImport.check(data, expectedRows: expectedRows, agencies: agencies, districts: districts,
                                                         today: today) { batch in
                            if case .terminated = delivery.yield(batch) { throw CancellationError() }
                        }
                        delivery.finish(throwing: issues.isEmpty ? nil : RowsRejected())
                        return issues
                    } catch {
                        delivery.finish(throwing: RowsRejected())
                        throw error
                    }
                }
                defer { checking.cancel() }
                func rejection() async throws -> Never {
                    let issues: [ASBImport.RowIssue]
                    do {
                        issues = try await checking.value
                    } catch let error as ConcordDomain.ValidationError {
                        throw ValidationFailure(error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
                    }
                    for issue in issues.sorted(by: { ($0.line, $0.column) < ($1.line, $1.column) }) { print(issue) }
                    print("\(issues.count) problem(s) in \(Set(issues.map(\.line)).count) row(s). Nothing was imported.")
                    throw ExitCode(1)
                }
                if dryRun {
                    var rows: [ASBImport.Row] = []
                    do {
                        for try await batch in batches { rows += batch }
                    } catch is RowsRejected {
                        try await rejection()
                    }
                    let plan = ASBImporter.plan(rows)
                    print("Dry run: all \(rows.count) rows are valid. An import would create \(plan.cases) case(s), \(plan.incidents) "
                          + "incident(s), \(plan.reports) report(s) and \(plan.people) people. Nothing was imported.")
                    return
                }
                let bar = ProgressBar(total: expectedRows)
                let summary: ASBImporter.Summary
                do {
                    summary = try await ASBImporter(database: database).run(batches: batches, expectedRows: expectedRows, createdBy: nil,
                                                                            audit: .commandLine, progress: { bar.show($0) })
                } catch is RowsRejected {
                    try await rejection()
                }
                bar.finish()
                print("Imported \(summary.reports) row(s): \(summary.cases) case(s), \(summary.incidents) incident(s), "
                      + "\(summary.people) people.")
            }
        }

        /// Ends the stream of rows when the file had a problem (or could not be read), so nothing is imported.
        struct RowsRejected: Error {}
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar: Sendable {
    let total: Int
    let isTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int) {
        self.total = total
    }

    /// Draws `done` of `total`; more than `total` shows as a full bar (a total can be an estimate).
    func show(_ done: Int) {
        guard isTerminal, total > 0 else { return }
        let width = 40
        let share = min(done, total)
        let filled = width * share / total
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(100 * share / total)% \(done)/\(total) rows"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the SQLite store to FILE while Concord runs, then check the copy.")
    @OptionGroup var store: StoreOptions
    @Argument var file: String

    func run() async throws {
        try await store.with(migrate: false) { database in
            let counts = try await SQLiteBackup.backup(database, to: file)
            print("Backed up to \(file): verified, \(counts.migrations) migrations, \(counts.auditEntries) audit entries.")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replace the SQLite store with a backup FILE (stop Concord first).")
    @OptionGroup var store: StoreOptions
    @Argument var file: String

    func run() async throws {
        let url = store.resolvedURL
        guard url.hasPrefix("sqlite://") else { throw SQLiteBackup.BackupError.notSQLite }
        let counts = try await SQLiteBackup.restore(from: file, to: String(url.dropFirst("sqlite://".count)))
        print("Restored from \(file): \(counts.migrations) migrations, \(counts.auditEntries) audit entries.")
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the hash chain; name the first altered or removed entry.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.with(migrate: false) { database in
                let result = try await AuditLog(database: database).verify()
                if result.isIntact {
                    print("Audit log intact: \(result.checked) entries verified.")
                } else {
                    print("Audit log BROKEN at entry \(result.firstBrokenId!): \(result.problem ?? "")")
                    throw ExitCode(2)
                }
            }
        }
    }
}

struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
