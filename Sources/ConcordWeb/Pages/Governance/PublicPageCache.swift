import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Rendered public meeting pages, kept while the meeting's published content is unchanged. An entry is found by
/// the page's address and is valid only for the same key: the meeting's revision (bumped by every change to its
/// agenda, papers or minutes), its body's name and the day (restricted items are released by date). Only pages
/// for the public (no one signed in) are kept, so no user's name or token is ever served to another.
final class PublicPageCache: Sendable {
    private struct Entry {
        let key: String
        let body: ByteBuffer
        let contentType: String
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The cached page at `address` for `key`, or the page `render` makes (kept for next time).
    func page(_ address: String, key: String, render: () async throws -> (html: String, contentType: String)) async rethrows -> Response {
        if let entry = entries.withLock({ $0[address] }), entry.key == key {
            return Self.response(entry.body, contentType: entry.contentType)
        }
        let rendered = try await render()
        let entry = Entry(key: key, body: ByteBuffer(string: rendered.html), contentType: rendered.contentType)
        entries.withLock { entries in
            if entries.count >= capacity, entries[address] == nil, let victim = entries.keys.first { entries[victim] = nil }
            entries[address] = entry
        }
        return Self.response(entry.body, contentType: entry.contentType)
    }

    private static func response(_ body: ByteBuffer, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "public, max-age=60"], body: .init(byteBuffer: body))
    }
}
