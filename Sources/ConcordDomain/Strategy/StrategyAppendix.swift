import Foundation

/// The "CSA Performance Monitoring" appendix for a date (2013-10-17 pack appendix A, 2014-07-08 pack appendix B):
/// per priority its lead, the measure table (baseline, the two latest periods, change and difference to baseline),
/// the commentary and notes, and the aims and actions with their status and progress as they stood on that date.
public struct StrategyAppendix: Sendable {
    public struct MeasureRow: Sendable {
        public let measureId: Int64
        public let name: String
        public let geography: String?
        public let heading: String
        public let baselineLabel: String
        public let baseline: String
        public let baselineValue: Double?
        public let previousLabel: String
        public let previous: String
        public let latestLabel: String
        public let latest: String
        public let change: String
        public let differenceToBaseline: String
        public let rag: RAG?
        public let status: MeasureStatus
        public let notes: [String]
        public let commentary: [String]
        /// The values, oldest first, for the trend chart.
        public let series: [(label: String, value: Double)]
        public let unit: MeasureUnit
    }

    public struct ActionRow: Sendable {
        public let id: Int64
        public let text: String
        public let leadAgency: String?
        public let timescale: String?
        public let themes: [String]
        public let status: ActionStatus?
        public let progress: String?
        public let progressOn: CalendarDate?
    }

    public struct AimRow: Sendable {
        public let number: Int
        public let text: String
        public let actions: [ActionRow]
    }

    public struct Section: Sendable {
        public let priority: String
        public let lead: String
        public let measures: [MeasureRow]
        /// Practitioner-only measures left out of this (public) appendix.
        public let withheld: Int
        public let aims: [AimRow]
    }

    public let title: String
    public let on: CalendarDate
    public let sections: [Section]

    /// Builds the appendix. `includePractitionerOnly` is false for the public; `agencyNames` names lead agencies.
    public static func build(agreement: Agreement, topics: [Topic], measures: [Measure], values: [MeasureValue], commentary: [Commentary],
                             aims: [Aim], actions: [PlanAction], agencyNames: [Int64: String], on date: CalendarDate,
                             includePractitionerOnly: Bool, defaultTolerance: Double) -> StrategyAppendix {
        let valuesByMeasure = Dictionary(grouping: values.filter { $0.period.endsOn <= date }, by: \.measureId)
        let commentaryByMeasure = Dictionary(grouping: commentary.filter { $0.on <= date }, by: \.measureId)
        let actionsByAim = Dictionary(grouping: actions, by: \.aimId)
        let themeNames = Dictionary(uniqueKeysWithValues: topics.filter { $0.kind == .theme }.map { ($0.id, $0.name) })
        let miscellaneous = aims.contains { $0.priorityId == nil } || measures.contains { $0.priorityId == nil }
        let priorities: [Topic?] = topics.filter { $0.kind == .priority } + (miscellaneous ? [nil] : [])
        let sections = priorities.compactMap { priority -> Section? in
            let priorityMeasures = measures.filter { $0.priorityId == priority?.id }
            let shown = priorityMeasures.filter { includePractitionerOnly || !$0.isPractitionerOnly }
            let rows = shown.compactMap { measure -> MeasureRow? in
                let series = valuesByMeasure[measure.id] ?? []
                guard !series.isEmpty else { return nil }
                let figures = StrategyRules.figures(for: measure, values: series, on: date, defaultTolerance: defaultTolerance)
                let latestSeries = series.filter { $0.period.kind == figures.latest?.period.kind && $0.heading == figures.latest?.heading }
                    .sorted { $0.period.endsOn < $1.period.endsOn }
                let entries = commentaryByMeasure[measure.id] ?? []
                let latestCommentaryDate = entries.filter { !$0.isNote }.map(\.on).max()
                let restated = measure.restatements.filter { $0.on <= date }.map {
                    "The baseline has been restated from \(StrategyRules.formatValue($0.previousValue, unit: measure.unit)) to "
                        + "\(StrategyRules.formatValue($0.newValue, unit: measure.unit)): \($0.note)"
                }
                let unvalidated = latestSeries.filter(\.isUnvalidated).compactMap { value in
                    value.finalDueOn.map { "\(value.period.label) data is unvalidated and subject to change: final figures are due \($0.long)" }
                        ?? "\(value.period.label) data is unvalidated and subject to change"
                }
                func shownValue(_ value: MeasureValue?) -> String {
                    value.map { $0.display ?? StrategyRules.formatValue($0.value, unit: measure.unit) } ?? "–"
                }
                return MeasureRow(
                    measureId: measure.id, name: measure.name, geography: measure.geography,
                    heading: figures.latest?.heading ?? figures.latest?.period.kind.label ?? "",
                    baselineLabel: measure.baseline.map { "Baseline \($0.label)" } ?? "Baseline",
                    baseline: figures.baseline.map { StrategyRules.formatValue($0, unit: measure.unit) } ?? "–", baselineValue: figures.baseline,
                    previousLabel: figures.previous?.period.label ?? "", previous: shownValue(figures.previous),
                    latestLabel: figures.latest?.period.label ?? "", latest: shownValue(figures.latest),
                    change: StrategyRules.formatChange(figures.change, unit: measure.unit),
                    differenceToBaseline: StrategyRules.formatChange(figures.differenceToBaseline, unit: measure.unit),
                    rag: figures.rag, status: measure.status,
                    notes: entries.filter(\.isNote).map(\.text) + restated + unvalidated,
                    commentary: entries.filter { !$0.isNote && $0.on == latestCommentaryDate }.map(\.text),
                    series: latestSeries.map { ($0.period.label, $0.value) }, unit: measure.unit)
            }
            let aimRows = aims.filter { $0.priorityId == priority?.id }.map { aim in
                AimRow(number: aim.number, text: aim.text, actions: (actionsByAim[aim.id] ?? []).map { action in
                    let progress = action.progress(on: date)
                    return ActionRow(id: action.id, text: action.text, leadAgency: action.leadAgencyId.flatMap { agencyNames[$0] },
                                     timescale: action.timescale?.label, themes: action.themeIds.compactMap { themeNames[$0] },
                                     status: progress?.status, progress: progress?.text, progressOn: progress?.on)
                })
            }
            if priority == nil, aimRows.isEmpty, priorityMeasures.isEmpty { return nil }
            return Section(priority: priority?.name ?? "Miscellaneous", lead: priority?.lead ?? "N/A", measures: rows,
                           withheld: priorityMeasures.count - shown.count, aims: aimRows)
        }
        return StrategyAppendix(title: "\(agreement.title) Performance Monitoring", on: date, sections: sections)
    }

    /// The appendix as CSV: one row per measure (priority, measure, baseline, periods, change, difference, RAG).
    public var csv: String {
        var lines = [["Priority", "Lead", "Measure", "Geography", "Baseline period", "Baseline", "Previous period", "Previous", "Latest period",
                      "Latest", "Change", "Difference to baseline", "RAG", "Status"].joined(separator: ",")]
        for section in sections {
            for row in section.measures {
                lines.append([section.priority, section.lead, row.name, row.geography ?? "", row.baselineLabel, row.baseline, row.previousLabel,
                              row.previous, row.latestLabel, row.latest, row.change, row.differenceToBaseline, row.rag?.label ?? "",
                              row.status.label].map(CSVField.escape).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
