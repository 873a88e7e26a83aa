import ConcordDomain
import Foundation
import SQLKit

/// Online backup and restore of the embedded SQLite store.
public enum SQLiteBackup {
    public enum BackupError: Error, CustomStringConvertible {
        case notSQLite
        case exists(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .notSQLite: "Backup and restore are for the embedded SQLite store; use pg_dump for PostgreSQL"
            case .exists(let path): "\(path) already exists: choose a new file name"
            case .invalid(let why): "The backup is not usable: \(why)"
            }
        }
    }

    /// Writes a consistent copy while Concord keeps running (`VACUUM INTO` reads one snapshot), then reopens
    /// the copy to check it. Returns the number of migrations and audit entries the copy holds.
    public static func backup(_ database: ConcordDatabase, to path: String) async throws -> (migrations: Int, auditEntries: Int) {
        guard database.engine == .sqlite else { throw BackupError.notSQLite }
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.exists(path) }
        try await database.read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
        return try await verify(path: path)
    }

    /// Opens a backup file on its own and checks its integrity and that it is a Concord store.
    public static func verify(path: String) async throws -> (migrations: Int, auditEntries: Int) {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError.invalid("\(path) does not exist") }
        let copy = try await ConcordDatabase.open(url: "sqlite://" + path)
        defer { Task { await copy.close() } }
        return try await copy.read { db in
            let check = try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            guard check == "ok" else { throw BackupError.invalid("integrity check says \(check ?? "nothing")") }
            guard let migrations = try? await db.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?.int("n") else {
                throw BackupError.invalid("it is not a Concord database")
            }
            let audit = try await db.raw("SELECT COUNT(*) AS n FROM audit_events").first()?.int("n") ?? 0
            return (migrations, audit)
        }
    }

    /// Replaces the store at `target` with a verified backup. Concord must not be running on that store.
    public static func restore(from path: String, to target: String) async throws -> (migrations: Int, auditEntries: Int) {
        let counts = try await verify(path: path)
        let manager = FileManager.default
        let directory = (target as NSString).deletingLastPathComponent
        if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let staging = target + ".restoring"
        try? manager.removeItem(atPath: staging)
        try manager.copyItem(atPath: path, toPath: staging)
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: target + suffix) }
        if manager.fileExists(atPath: target) {
            _ = try manager.replaceItemAt(URL(fileURLWithPath: target), withItemAt: URL(fileURLWithPath: staging))
        } else {
            try manager.moveItem(atPath: staging, toPath: target)
        }
        return counts
    }
}
