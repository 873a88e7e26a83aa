import Foundation
import Hummingbird
import Prometheus

/// Request counts and latency by route, and the database pool, in Prometheus text format at `/metrics`.
struct HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
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

    func text() -> String { registry.emitToString() }
}
