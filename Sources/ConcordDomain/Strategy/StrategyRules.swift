import Foundation

/// The Community Safety Agreement's rules (shared/design/domain-rules.md, Strategy; the "CSA Performance
/// Monitoring" appendices of the 2013-10-17 and 2014-07-08 packs).
public enum StrategyRules {
    // MARK: Periods

    /// Reads a period label for a kind of period; nil when the label is not one of that kind. A custom period
    /// needs its end date.
    public static func period(_ kind: PeriodKind, label: String, endsOn: CalendarDate? = nil) -> Period? {
        let text = label.trimmingCharacters(in: .whitespaces)
        func financialYear(_ text: Substring) -> Int? {
            let parts = text.split(separator: "/")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let start = Int(parts[0]), let end = Int(parts[1]),
                  (start + 1) % 100 == end else { return nil }
            return start
        }
        switch kind {
        case .financialYear:
            return financialYear(Substring(text)).map { Period(kind: kind, label: text, endsOn: CalendarDate(year: $0 + 1, month: 3, day: 31)!) }
        case .calendarYear:
            guard text.count == 4, let year = Int(text), (1990...2100).contains(year) else { return nil }
            return Period(kind: kind, label: text, endsOn: CalendarDate(year: year, month: 12, day: 31)!)
        case .quarter:
            let parts = text.split(separator: " ")
            guard parts.count == 2, parts[0].count == 2, parts[0].first == "Q", let quarter = Int(parts[0].dropFirst()), (1...4).contains(quarter),
                  let start = financialYear(parts[1]) else { return nil }
            let endMonth = quarter == 4 ? 3 : 3 + quarter * 3
            let year = quarter == 4 ? start + 1 : start
            return Period(kind: kind, label: text, endsOn: CalendarDate(year: year, month: endMonth, day: CalendarDate.daysIn(month: endMonth, year: year))!)
        case .month:
            guard let first = CalendarDate(iso: text + "-01") else { return nil }
            return Period(kind: kind, label: text, endsOn: CalendarDate(year: first.year, month: first.month,
                                                                         day: CalendarDate.daysIn(month: first.month, year: first.year))!)
        case .rolling12:
            guard text.hasPrefix("12 months to "), let month = period(.month, label: String(text.dropFirst("12 months to ".count))) else { return nil }
            return Period(kind: kind, label: text, endsOn: month.endsOn)
        case .custom:
            guard !text.isEmpty, text.count <= 40, let endsOn else { return nil }
            return Period(kind: kind, label: text, endsOn: endsOn)
        }
    }

    /// Checks a value for a measure: a period the measure uses, a percentage within 0–100, not a duplicate.
    public static func check(_ value: MeasureValue, for measure: Measure, existing: [MeasureValue]) throws(ValidationError) {
        var v = Validator()
        if !measure.periodKinds.contains(value.period.kind) {
            v.add("period", "“\(measure.name)” is not measured by \(value.period.kind.label.lowercased()) periods: it uses "
                  + measure.periodKinds.map(\.label).sorted().joined(separator: ", "))
        }
        if measure.unit == .percentage, !(0...100).contains(value.value) {
            v.add("value", "A percentage must be between 0 and 100, not \(format(value.value))")
        }
        if measure.unit == .count, value.value < 0 { v.add("value", "A count cannot be negative") }
        if existing.contains(where: { $0.period.kind == value.period.kind && $0.period.label == value.period.label }) {
            v.add("period", "There is already a value for \(value.period.label) (\(value.period.kind.label))")
        }
        try v.check()
    }

    // MARK: Change and difference to baseline

    /// Count measures: (to − from) / from, in percent. Percentage measures: to − from, in percentage points.
    public static func change(_ unit: MeasureUnit, from: Double, to: Double) -> Double? {
        switch unit {
        case .count: from == 0 ? nil : (to - from) / from * 100
        case .percentage: to - from
        }
    }

    /// "▲ 5.3%" for counts, "▼ 0.4" for percentages: one decimal, an arrow for the direction, "–" for none.
    public static func formatChange(_ delta: Double?, unit: MeasureUnit, decimals: Int = 1) -> String {
        guard let delta else { return "n/a" }
        let rounded = (delta * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))
        let arrow = rounded > 0 ? "▲" : rounded < 0 ? "▼" : "–"
        return "\(arrow) \(String(format: "%.\(decimals)f", abs(rounded)))\(unit == .count ? "%" : "")"
    }

    /// A value as the appendix prints it: counts with thousands separators, percentages with one decimal and %.
    public static func formatValue(_ value: Double, unit: MeasureUnit) -> String {
        switch unit {
        case .percentage: String(format: "%.1f%%", value)
        case .count:
            value == value.rounded() ? Int(value).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB"))) : format(value)
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// Green when the measure has moved from its baseline the way its polarity wants by more than the tolerance,
    /// red when it has moved the other way by more than the tolerance, amber within it.
    public static func rag(differenceToBaseline: Double?, polarity: Polarity, tolerance: Double) -> RAG? {
        guard let difference = differenceToBaseline else { return nil }
        let improvement = polarity == .higherIsBetter ? difference : -difference
        if improvement > tolerance { return .green }
        if improvement < -tolerance { return .red }
        return .amber
    }

    /// The figures an appendix row shows on `date`: the latest value on or before it, the previous value of the
    /// same series (the same kind and heading), the baseline as it stood then, and the change and difference.
    public struct Figures: Sendable, Equatable {
        public let baseline: Double?
        public let previous: MeasureValue?
        public let latest: MeasureValue?
        public let change: Double?
        public let differenceToBaseline: Double?
        public let rag: RAG?
    }

    public static func figures(for measure: Measure, values: [MeasureValue], on date: CalendarDate, defaultTolerance: Double) -> Figures {
        let known = values.filter { $0.measureId == measure.id && $0.period.endsOn <= date }.sorted { $0.period.endsOn < $1.period.endsOn }
        let latest = known.last
        let previous = latest.flatMap { latest in
            known.dropLast().last { $0.period.kind == latest.period.kind && $0.heading == latest.heading }
        }
        let baseline = measure.baselineValue(on: date)
        let change = latest.flatMap { latest in previous.flatMap { Self.change(measure.unit, from: $0.value, to: latest.value) } }
        let difference = latest.flatMap { latest in baseline.flatMap { Self.change(measure.unit, from: $0, to: latest.value) } }
        return Figures(baseline: baseline, previous: previous, latest: latest, change: change, differenceToBaseline: difference,
                       rag: rag(differenceToBaseline: difference, polarity: measure.polarity, tolerance: measure.ragTolerance ?? defaultTolerance))
    }

    // MARK: Strategic assessment tally and MoRiLE

    public struct TallyRow: Sendable, Equatable {
        public let issue: String
        public let count: Int
    }

    /// "No. of CSPs selecting the priority", most first, and how many CSPs have responded (2014-07-08 pack
    /// L602–L614; 2023-03-21 pack L521–L533: "to date 7 CSPs have set draft priorities").
    public static func tally(_ entries: [AssessmentEntry]) -> (rows: [TallyRow], responding: Int) {
        var byIssue: [String: Set<Int64>] = [:]
        for entry in entries { byIssue[entry.issue, default: []].insert(entry.cspAreaId) }
        let rows = byIssue.map { TallyRow(issue: $0.key, count: $0.value.count) }.sorted { ($1.count, $0.issue) < ($0.count, $1.issue) }
        return (rows, Set(entries.map(\.cspAreaId)).count)
    }

    /// MoRiLE elements ranked by threat + risk + harm, highest first.
    public static func ranked(_ scores: [MoRiLEScore]) -> [MoRiLEScore] {
        scores.sorted { ($1.total, $0.element) < ($0.total, $1.element) }
    }

    // MARK: Action plan and publication

    /// An action may be linked only to themes of its agreement that are still in use.
    public static func checkThemes(_ themeIds: [Int64], themes: [Topic], year: Int) throws(ValidationError) {
        for id in themeIds {
            guard let theme = themes.first(where: { $0.id == id && $0.kind == .theme }) else {
                throw ValidationError(field: "themeIds", "There is no cross-cutting theme with id \(id) in this agreement")
            }
            if !theme.isActive(in: year) {
                throw ValidationError(field: "themeIds", "“\(theme.name)” is retired: link the action to a theme in use")
            }
        }
    }

    /// What to settle before a version is published: priorities whose lead is TBC, and sections marked "to be
    /// updated".
    public static func publicationWarnings(priorities: [Topic], version: AgreementVersion) -> [String] {
        priorities.filter { $0.kind == .priority && $0.leadRole == nil }.map { "The lead for “\($0.name)” is TBC" }
            + version.changes.filter(\.toBeUpdated).map { "\($0.section) is still to be updated" }
    }
}

/// Measure values uploaded in bulk as CSV, with a header naming these columns in any order: `measure_id`,
/// `period_kind` (financial-year, calendar-year, quarter, month, rolling-12-months, custom), `period`, `value`, and
/// optionally `ends_on` (custom periods), `heading`, `display`, `unvalidated` (true/false), `final_due_on`.
public enum MeasureValuesCSV {
    static let required = ["measure_id", "period_kind", "period", "value"]
    static let optional = ["ends_on", "heading", "display", "unvalidated", "final_due_on"]

    /// One value from named fields (the CSV's columns, or a form's fields named the same).
    public static func value(_ field: (String) -> String?) throws(ValidationError) -> MeasureValue {
        guard let measureId = field("measure_id").flatMap({ Int64($0) }) else { throw ValidationError(field: "measure_id", "measure_id must be a measure's number") }
        guard let kind = field("period_kind").flatMap(PeriodKind.init) else {
            throw ValidationError(field: "period_kind", "period_kind must be one of " + PeriodKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let number = field("value").flatMap({ Double($0.replacingOccurrences(of: ",", with: "")) }) else {
            throw ValidationError(field: "value", "value must be a number")
        }
        let endsOn = field("ends_on").flatMap(CalendarDate.init(iso:))
        guard let period = StrategyRules.period(kind, label: field("period") ?? "", endsOn: endsOn) else {
            throw ValidationError(field: "period", "period “\(field("period") ?? "")” is not a \(kind.label.lowercased()) period"
                                  + (kind == .custom ? " with an ends_on date" : ""))
        }
        return MeasureValue(measureId: measureId, period: period, heading: field("heading"), value: number, display: field("display"),
                            isUnvalidated: field("unvalidated")?.lowercased() == "true", finalDueOn: field("final_due_on").flatMap(CalendarDate.init(iso:)))
    }

    /// The values, or every problem as `line N: …` with nothing taken.
    public static func parse(_ data: Data) throws(ValidationError) -> [MeasureValue] {
        var header: [String: Int]?
        var values: [MeasureValue] = []
        var issues: [FieldIssue] = []
        CSVReader.read(data) { fields, line in
            guard let columns = header else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                for name in names where !(required + optional).contains(name) { issues.append(FieldIssue("file", "Unknown column \(name)")) }
                for name in required where !names.contains(name) { issues.append(FieldIssue("file", "The column \(name) is missing")) }
                header = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                return
            }
            func field(_ name: String) -> String? {
                columns[name].flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            do throws(ValidationError) {
                values.append(try value(field))
            } catch {
                issues += error.issues.map { FieldIssue("line \(line)", $0.message) }
            }
        }
        if header == nil { issues.append(FieldIssue("file", "The file is empty")) }
        if values.isEmpty, issues.isEmpty { issues.append(FieldIssue("file", "The file has no values")) }
        if !issues.isEmpty { throw ValidationError(issues) }
        return values
    }
}
