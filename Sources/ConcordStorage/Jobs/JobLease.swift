import ConcordDomain
import Foundation
import SQLKit

/// A lease in the database that lets only one of several `concord serve` instances run a background job at a
/// time: whoever holds an unexpired lease keeps it by renewing; anyone may take an expired one.
public struct JobLease: Sendable {
    let database: ConcordDatabase
    public let name: String
    public let holder: String

    public init(database: ConcordDatabase, name: String, holder: String = Secrets.randomToken()) {
        self.database = database
        self.name = name
        self.holder = holder
    }

    /// Takes or renews the lease for `duration`; false when another holder has it.
    public func acquire(for duration: TimeInterval, now: Date = Date()) async throws -> Bool {
        let expires = Instant.storage(now.addingTimeInterval(duration))
        let current = Instant.storage(now)
        let (name, holder) = (name, holder)
        return try await database.write { db in
            try await db.raw("""
                INSERT INTO job_leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: expires))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE job_leases.expires_at < \(bind: current) OR job_leases.holder = excluded.holder
                RETURNING holder
                """).first() != nil
        }
    }
}
