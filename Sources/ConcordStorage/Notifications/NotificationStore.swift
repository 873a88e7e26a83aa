import ConcordDomain
import Foundation
import SQLKit

/// The in-app inbox, and the email outbox a mail relay reads (it sends rows whose `sent_at` is null, then sets
/// it). Written in the same transaction as whatever caused them.
public struct NotificationStore: Sendable {
    let database: ConcordDatabase

    public init(database: ConcordDatabase) {
        self.database = database
    }

    public struct Message: Sendable, Equatable, Identifiable {
        public let id: Int64
        public let subject: String
        public let body: String
        public let link: String?
        public let createdAt: Date
        public let isRead: Bool
    }

    /// Puts a message in each user's inbox and an email to each of them (and to `extraEmails`, people who do not
    /// sign in) in the outbox. Returns how many people it reached.
    static func send(toUsers userIds: Set<Int64>, extraEmails: Set<String> = [], subject: String, body: String, link: String?,
                     on db: any SQLDatabase) async throws -> Int {
        let now = Instant.storage(Date())
        var emails = extraEmails
        if !userIds.isEmpty {
            for row in try await db.raw("SELECT id, email FROM users WHERE is_active = 1 AND id IN (\(binds: userIds.sorted()))").all() {
                try await db.raw("""
                    INSERT INTO notifications (user_id, subject, body, link, created_at)
                    VALUES (\(bind: try row.int64("id")), \(bind: subject), \(bind: body), \(bind: link), \(bind: now))
                    """).run()
                emails.insert(try row.string("email"))
            }
        }
        for email in emails.sorted() {
            try await db.raw("""
                INSERT INTO email_outbox (to_address, subject, body, created_at)
                VALUES (\(bind: email), \(bind: subject), \(bind: body + (link.map { "\n\n" + $0 } ?? "")), \(bind: now))
                """).run()
        }
        return emails.count
    }

    /// The user's messages, newest first.
    public func inbox(userId: Int64, limit: Int = 100) async throws -> [Message] {
        try await database.read { db in
            try await db.raw("""
                SELECT * FROM notifications WHERE user_id = \(bind: userId) ORDER BY id DESC LIMIT \(literal: limit)
                """).all().map {
                Message(id: try $0.int64("id"), subject: try $0.string("subject"), body: try $0.string("body"),
                        link: try $0.optionalString("link"), createdAt: try $0.instant("created_at"),
                        isRead: try $0.optionalString("read_at") != nil)
            }
        }
    }

    public func unreadCount(userId: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL").first()!.int("n")
        }
    }

    /// Marks all the user's messages read.
    public func markRead(userId: Int64) async throws {
        try await database.write { db in
            try await db.raw("""
                UPDATE notifications SET read_at = \(bind: Instant.storage(Date())) WHERE user_id = \(bind: userId) AND read_at IS NULL
                """).run()
        }
    }

    /// Emails not yet sent, oldest first (what a relay reads).
    public func unsentEmails() async throws -> [(to: String, subject: String)] {
        try await database.read { db in
            try await db.raw("SELECT to_address, subject FROM email_outbox WHERE sent_at IS NULL ORDER BY id").all().map {
                (try $0.string("to_address"), try $0.string("subject"))
            }
        }
    }
}
