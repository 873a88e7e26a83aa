@testable import ConcordStorage
import Foundation
import Synchronization
import Testing

@Suite struct ShortLivedCacheTests {
    /// An expired count is served while one background load replaces it; a clear (a change made here) is never
    /// undone by a load that started before it.
    @Test func expiredValuesAreServedWhileOneLoadReplacesThem() async throws {
        let cache = ShortLivedCache<String, Int>(lifetime: .milliseconds(50))
        let loads = Atomic<Int>(0)
        let load: @Sendable () async throws -> Int? = { loads.add(1, ordering: .relaxed).newValue * 10 }
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10)
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10 && loads.load(ordering: .relaxed) == 1)
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 10)
        for _ in 0..<50 where try await cache.value(for: "cases", load: { nil }) != 20 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 20 && loads.load(ordering: .relaxed) == 2)
        cache.removeAll()
        #expect(try await cache.valueServingStale(for: "cases", load: load) == 30)
    }
}
