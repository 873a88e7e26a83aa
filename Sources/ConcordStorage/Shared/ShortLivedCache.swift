import ConcordDomain
import Foundation
import Synchronization

/// Values read on every request that change rarely (the sharing agreements, who owns an API token), kept in
/// memory for a few seconds. A change made through this process clears the cache at once; with several
/// instances on one PostgreSQL database, a change made by another instance is seen here within `lifetime`.
final class ShortLivedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[Key: Entry]>([:])
    /// Keys being loaded again in the background (`valueServingStale`), and how many times the cache was cleared,
    /// so a background load that started before a clear does not put back what the clear removed.
    private let refreshing = Mutex<Set<Key>>([])
    /// Loads under way for callers who found nothing cached (`value(for:load:)`).
    private let loading = Mutex<[Key: (generation: Int, task: Task<Value?, any Error>)]>([:])
    private let generation = Atomic<Int>(0)
    let lifetime: Duration
    /// Past this many entries the cache starts again empty, so unbounded keys cannot grow it without limit.
    let capacity: Int

    /// The time now (a test sets its own, to expire entries without sleeping).
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(lifetime: Duration = .seconds(5), capacity: Int = 10_000,
         clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// The cached value for `key`, or what `load` returns (cached unless nil: absence is always read again).
    /// Callers that miss at the same time share one load, so a cleared count is computed once however many
    /// requests are waiting for it, not once each.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        let now = clock()
        if let entry = entries.withLock({ $0[key] }), entry.expires > now { return entry.value }
        let started = generation.load(ordering: .acquiring)
        let (load, isOwn) = loading.withLock { loading in
            // A load that began before the cache was last cleared may not see that change: start another.
            if let shared = loading[key], shared.generation == started { return (shared.task, false) }
            let own = Task { try await load() }
            loading[key] = (started, own)
            return (own, true)
        }
        defer {
            if isOwn { loading.withLock { if $0[key]?.generation == started { $0.removeValue(forKey: key) } } }
        }
        guard let value = try await load.value else { return nil }
        if isOwn {
            entries.withLock { entries in
                guard generation.load(ordering: .acquiring) == started else { return }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[key] = Entry(value: value, expires: now + lifetime)
            }
        }
        return value
    }

    /// As `value(for:load:)`, but an expired entry is still served while one background load replaces it, so a slow
    /// aggregate is computed on a request's time only when nothing is cached (at first, and after this process
    /// changed something). For figures where another instance's change showing a few seconds late is harmless
    /// (dashboard counts); not for who an API token belongs to.
    func valueServingStale(for key: Key, load: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        let now = clock()
        if let entry = entries.withLock({ $0[key] }) {
            if entry.expires > now { return entry.value }
            if refreshing.withLock({ $0.insert(key).inserted }) {
                let started = generation.load(ordering: .acquiring)
                Task(executorPreference: BackgroundExecutor.shared) { [self] in
                    defer { _ = refreshing.withLock { $0.remove(key) } }
                    guard let value = try? await load() else { return }
                    entries.withLock { entries in
                        if generation.load(ordering: .acquiring) == started { entries[key] = Entry(value: value, expires: clock() + lifetime) }
                    }
                }
            }
            return entry.value
        }
        return try await value(for: key, load: load)
    }

    /// Replaces the value for `key`, when it is cached, keeping its expiry.
    func replace(_ key: Key, with value: Value) {
        entries.withLock { entries in
            if let entry = entries[key] { entries[key] = Entry(value: value, expires: entry.expires) }
        }
    }

    func removeAll() {
        entries.withLock { entries in
            generation.add(1, ordering: .releasing)
            entries.removeAll()
        }
    }
}

/// The caches a database's stores share: cleared by the stores that change what they hold.
struct StoreCaches: Sendable {
    let agreements = ShortLivedCache<Int, [SharingAgreement]>()
    /// Each visibility filter in use: a function of the agency, the roles, the day and the agreements.
    let visibility = ShortLivedCache<VisibilityKey, VisibilityFilter>()
    let tokenOwners = ShortLivedCache<String, TokenOwner>()
    /// Dashboard counts (aggregates over every visible case, which busy lists and home pages would otherwise
    /// compute on every request), per visibility filter and question. Any write transaction of this process
    /// clears them (`ConcordDatabase.write`); another instance's changes show within the lifetime.
    let asbCounts = ShortLivedCache<VisibilityFilter, [ASBStore.DistrictStatusCount]>()
    let counts = ShortLivedCache<CountKey, Int>()

    func clearAgreements() {
        agreements.removeAll()
        visibility.removeAll()
    }

    func clearCounts() {
        asbCounts.removeAll()
        counts.removeAll()
    }
}

/// A dashboard count: whose view (the visibility filter) and which question.
struct CountKey: Hashable, Sendable {
    let filter: VisibilityFilter
    let question: String
}

/// What a visibility filter depends on besides the agreements (`AccessPolicy.visibilityFilter`).
struct VisibilityKey: Hashable, Sendable {
    let agencyId: Int64
    let roles: Set<Role>
    let date: CalendarDate
}

/// Who an API token belongs to, and when it was last recorded as used.
struct TokenOwner: Sendable {
    let user: User
    let tokenId: Int64
    let lastUsedAt: Date?
}
