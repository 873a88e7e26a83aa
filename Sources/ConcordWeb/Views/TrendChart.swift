import ConcordDomain
import Foundation

/// A measure's trend as an inline SVG drawn on the server: the values as a line, the baseline as a dashed line
/// labelled "Baseline", and marked points with their values written as text, so the chart reads without colour. A
/// short series marks and labels every period; a long one (ten years of months) marks the first, the last, the
/// lowest and the highest, and labels about eight periods along the axis. A title and description name it for
/// screen readers.
enum TrendChart {
    static func svg(title: String, series: [(label: String, value: Double)], baseline: Double?, unit: MeasureUnit) -> String {
        let width = 560.0, height = 200.0, left = 50.0, right = 20.0, top = 20.0, bottom = 40.0
        let values = series.map(\.value) + (baseline.map { [$0] } ?? [])
        guard let low = values.min(), let high = values.max() else { return "" }
        let span = high - low == 0 ? max(abs(high), 1) : high - low
        let minimum = low - span * 0.15, maximum = high + span * 0.15
        func x(_ index: Int) -> Double {
            series.count == 1 ? left + (width - left - right) / 2 : left + Double(index) * (width - left - right) / Double(series.count - 1)
        }
        func y(_ value: Double) -> Double { top + (maximum - value) / (maximum - minimum) * (height - top - bottom) }
        func text(_ value: Double) -> String { escape(StrategyRules.formatValue(value, unit: unit)) }
        let marked: Set<Int> = series.count <= 24 ? Set(series.indices) : Set([0, series.count - 1]
            + [series.indices.min { series[$0].value < series[$1].value }!, series.indices.max { series[$0].value < series[$1].value }!])
        let axisStep = max(1, Int((Double(series.count) / 8).rounded(.up)))
        let described = series.count <= 24 ? Array(series.indices) : marked.sorted()
        let description = described.map { "\(series[$0].label): \(StrategyRules.formatValue(series[$0].value, unit: unit))" }.joined(separator: "; ")
            + (series.count > 24 ? " (first, last, lowest and highest of \(series.count) periods)" : "")
            + (baseline.map { "; baseline \(StrategyRules.formatValue($0, unit: unit))" } ?? "")
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
                     + "aria-labelledby=\"t\" width=\"\(Int(width))\" height=\"\(Int(height))\">",
                     "<title>\(escape(title))</title><desc>\(escape(description))</desc>",
                     "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#0b0c0c\"/>"]
        if let baseline {
            parts.append("<line x1=\"\(left)\" y1=\"\(y(baseline))\" x2=\"\(width - right)\" y2=\"\(y(baseline))\" stroke=\"#505a5f\" stroke-dasharray=\"6 4\"/>")
            parts.append("<text x=\"\(left - 4)\" y=\"\(y(baseline) + 4)\" text-anchor=\"end\" font-size=\"11\">Baseline</text>")
        }
        if series.count > 1 {
            let points = series.indices.map { "\(x($0)),\(y(series[$0].value))" }.joined(separator: " ")
            parts.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"2\"/>")
        }
        for index in marked.sorted() {
            let point = series[index]
            parts.append("<circle cx=\"\(x(index))\" cy=\"\(y(point.value))\" r=\"4\" fill=\"#0b0c0c\"/>")
            parts.append("<text x=\"\(x(index))\" y=\"\(y(point.value) - 8)\" text-anchor=\"middle\" font-size=\"11\">\(text(point.value))</text>")
        }
        for index in stride(from: 0, to: series.count, by: axisStep) {
            parts.append("<text x=\"\(x(index))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"11\">\(escape(series[index].label))</text>")
        }
        parts.append("</svg>")
        return parts.joined()
    }

    static func escape(_ text: String) -> String {
        ScalarHTMLEscaping().escapeText(text)
    }
}
