@testable import ConcordStorage
import Foundation
import Synchronization
import Testing

@Suite struct ShortLivedCacheTests {
    /// An expired count is served while one background load replaces it; a clear (a change made here) is never
    /// undone by a load that started before it.
    @Test func expiredValuesAreServedWhileOneLoadReplacesThem() async throws {
        let start = ContinuousClock.now
        let elapsedMilliseconds = Atomic<Int>(0)
        let cache = ShortLivedCache<String, Int>(lifetime: .milliseconds(50)) {
            start + .milliseconds(elapsedMilliseconds.load(ordering: .relaxed))
        }
        let loads = Atomic<Int>(0)
        let load: @Sendable () async throws -> Int? = { loads.add(1, ordering: .relaxed).newValue * 10 }
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10)
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10 && loads.load(ordering: .relaxed) == 1)
        elapsedMilliseconds.store(80, ordering: .relaxed)
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10)
        // The replacement loads at idle priority: on a busy machine it may take a while.
        for _ in 0..<1_000 where try await cache.value(for: "cases", load: { nil }) != 20 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 20 && loads.load(ordering: .relaxed) == 2)
        cache.removeAll()
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 30)
    }

    /// Callers that find nothing cached at the same moment share one load; a caller arriving after a clear does
    /// not join a load that began before it, so a change made here is never answered with the figure before it.
    @Test func simultaneousMissesShareOneLoadUnlessTheCacheWasClearedMeanwhile() async throws {
        let cache = ShortLivedCache<String, Int>()
        let loads = Atomic<Int>(0)
        let release = AsyncStream<Void>.makeStream()
        let slowLoad: @Sendable () async throws -> Int? = {
            let number = loads.add(1, ordering: .relaxed).newValue
            for await _ in release.stream { break }
            return number
        }
        let first = Task { try await cache.value(for: "cases", load: slowLoad) }
        while loads.load(ordering: .relaxed) == 0 { await Task.yield() }
        let asking = Atomic<Int>(0)
        let ask: @Sendable () async throws -> Int? = {
            asking.add(1, ordering: .relaxed)
            return try await cache.value(for: "cases", load: slowLoad)
        }
        let joined = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<20 { group.addTask(operation: ask) }
            while asking.load(ordering: .relaxed) < 20 { await Task.yield() }
            try await Task.sleep(for: .milliseconds(50))
            #expect(loads.load(ordering: .relaxed) == 1)
            cache.removeAll()
            let afterClear = Task { try await cache.value(for: "cases", load: { 99 }) }
            #expect(try await afterClear.value == 99)
            release.continuation.yield()
            release.continuation.finish()
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(try await first.value == 1 && joined.allSatisfy { $0 == 1 } && loads.load(ordering: .relaxed) == 1)
        #expect(try await cache.value(for: "cases", load: { 7 }) == 99)
    }
}
