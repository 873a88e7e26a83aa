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

    /// Callers that find nothing cached at the same moment share one load (however late each arrives, it joins the
    /// load or finds its result); a caller arriving after a clear does not join a load that began before it, so a
    /// change made here is never answered with the figure before it.
    @Test func simultaneousMissesShareOneLoadUnlessTheCacheWasClearedMeanwhile() async throws {
        let cache = ShortLivedCache<String, Int>()
        let loads = Atomic<Int>(0)
        let gates = (first: AsyncStream<Void>.makeStream(), afterClear: AsyncStream<Void>.makeStream())
        // The first load waits to be let go; any other returns at once (and would fail the checks below).
        let slowLoad: @Sendable () async throws -> Int? = {
            let number = loads.add(1, ordering: .relaxed).newValue
            if number == 1 { for await _ in gates.first.stream { break } }
            return number
        }
        let ask: @Sendable () async throws -> Int? = { try await cache.value(for: "cases", load: slowLoad) }

        let first = Task(operation: ask)
        while loads.load(ordering: .relaxed) == 0 { await Task.yield() }
        let others = (0..<20).map { _ in Task(operation: ask) }
        try await Task.sleep(for: .milliseconds(20))
        gates.first.continuation.finish()
        #expect(try await first.value == 1)
        for other in others { #expect(try await other.value == 1) }
        #expect(loads.load(ordering: .relaxed) == 1)

        cache.removeAll()
        let beforeClear = Task {
            try await cache.value(for: "cases") {
                let number = loads.add(1, ordering: .relaxed).newValue
                for await _ in gates.afterClear.stream { break }
                return number
            }
        }
        while loads.load(ordering: .relaxed) == 1 { await Task.yield() }
        cache.removeAll()
        let afterClear = Task { try await cache.value(for: "cases", load: { 99 }) }
        try await Task.sleep(for: .milliseconds(20))
        gates.afterClear.continuation.finish()
        #expect(try await afterClear.value == 99)
        #expect(try await beforeClear.value == 2)
        #expect(try await cache.value(for: "cases", load: { 7 }) == 99 && loads.load(ordering: .relaxed) == 2)
    }
}
