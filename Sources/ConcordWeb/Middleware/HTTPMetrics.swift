import Foundation
import Hummingbird
import Prometheus
import Synchronization

/// Request counts and latency by route, the database pool and the audit writer, in Prometheus text format at `/metrics`.
final class HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Held while the audit counters are set and while the text is written, so that no scrape adds its totals to
    /// another's or sees a counter part-way through being set (which would read as a reset).
    private let scrapeLock = Mutex(())
    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
                                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                      .seconds(2.5), .seconds(5)]

    func record(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: .init(namespace: "concord", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by route, method and status"),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "concord", metricName: "http_request_duration", unitName: "seconds",
                                                         helpText: "HTTP request latency by route"),
                                       labels: [("route", route)], buckets: Self.buckets).record(duration)
    }

    func setDatabase(engine: String, maximumConnections: Int, reachable: Bool) {
        registry.makeGauge(descriptor: .init(namespace: "concord", metricName: "db_pool_max_connections", unitName: "connections",
                                             helpText: "Most connections the database pool opens"),
                           labels: [("engine", engine)]).set(to: Double(maximumConnections))
        registry.makeGauge(descriptor: .init(namespace: "concord", metricName: "db_up", unitName: "",
                                             helpText: "1 when the database answered the last check"),
                           labels: [("engine", engine)]).set(to: reachable ? 1 : 0)
    }

    /// The audit writer's transactions and the entries they carried since start: counters, set on each scrape to the
    /// totals the database keeps.
    func setAuditCommits(transactions: Int, entries: Int) {
        scrapeLock.withLock { _ in
            for (name, help, total) in [("audit_transactions", "Transactions the audit writer has committed", transactions),
                                        ("audit_entries", "Audit entries the audit writer has committed", entries)] {
                let counter = registry.makeCounter(descriptor: .init(namespace: "concord", metricName: name, unitName: "total", helpText: help))
                counter.reset()
                counter.increment(by: Int64(total))
            }
        }
    }

    func text() -> String { scrapeLock.withLock { _ in registry.emitToString() } }
}
