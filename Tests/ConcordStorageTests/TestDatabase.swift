import ConcordStorage
import Foundation
import SQLKit

/// The engines the storage suite runs on: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.
enum TestEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [TestEngine] {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].map { !$0.isEmpty } == true ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated store: a new SQLite file, or a new PostgreSQL database.
    func makeDatabase() async throws -> ConcordDatabase {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-test-\(UUID().uuidString).sqlite").path
            let database = try await ConcordDatabase.open(url: "sqlite://" + path)
            try await Migrator(database: database).migrate()
            return database
        case .postgres:
            let adminURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]!
            let name = "concord_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try await ConcordDatabase.open(url: adminURL)
            try await admin.read { db in try await db.raw(SQLQueryString("CREATE DATABASE " + name)).run() }
            await admin.close()
            var components = URLComponents(string: adminURL)!
            components.path = "/" + name
            let database = try await ConcordDatabase.open(url: components.string!)
            try await Migrator(database: database).migrate()
            return database
        }
    }
}

import Testing
