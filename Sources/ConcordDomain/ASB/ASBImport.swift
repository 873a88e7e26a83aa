import Foundation

/// CSV import of ASB incidents (columns in README.md, "Importing incidents"). Each row is one report of an
/// incident to one agency; rows with the same `case_key` make one case, and rows with the same `case_key` and
/// `incident_key` are one incident reported to several agencies (one incident, counted once).
public enum ASBImport {
    /// The columns a file may have, by name in the header.
    public enum Column: Int, CaseIterable, Sendable {
        case caseKey, caseTitle, district, occurredOn, occurredAt, address, postcode, ward, category, hateMotivated, description,
             channel, incidentKey, reportedOn, reportingAgency, reference, complainantName, complainantPostcode, perpetratorName

        public var name: String { ASBImport.columns[rawValue] }
    }

    /// The names of the columns, in `Column` order.
    public static let columns = ["case_key", "case_title", "district", "occurred_on", "occurred_at", "address", "postcode", "ward",
                                 "category", "hate_motivated", "description", "channel", "incident_key", "reported_on",
                                 "reporting_agency", "reference", "complainant_name", "complainant_postcode", "perpetrator_name"]
    static let required: [Column] = [.caseKey, .caseTitle, .occurredOn, .category, .description, .channel, .reportedOn, .reportingAgency]

    /// Where each column is in the rows of one file, found once from its header: a row is then read by position,
    /// without hashing a column name for every value (a fifth of the check of a million rows).
    public struct Header: Sendable, Equatable {
        /// The position of each column in `Column` order; nil when the file does not have it.
        let positions: [Int?]
        /// How many fields the header has, and so every row must have.
        let count: Int

        func position(_ column: Column) -> Int? { positions[column.rawValue] }
    }

    /// A problem with one row: its line in the file (1 is the header), the column and what is wrong.
    public struct RowIssue: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: String
        public let message: String

        public init(line: Int, column: String, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String { "line \(line), \(column): \(message)" }
    }

    /// A row that passed every check, with names resolved to ids.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var caseKey: String
        public var caseTitle: String
        public var districtId: Int64?
        public var occurredOn: CalendarDate
        public var occurredAt: String?
        public var address: String?
        public var postcode: String?
        public var ward: String?
        public var category: ASBCategory
        public var isHateMotivated: Bool
        public var description: String
        public var channel: ReportingChannel
        public var incidentKey: String
        public var reportedOn: CalendarDate
        public var agencyId: Int64
        public var reference: String?
        public var complainantName: String?
        public var complainantPostcode: String?
        public var perpetratorName: String?

        public init(line: Int, caseKey: String, caseTitle: String, districtId: Int64?, occurredOn: CalendarDate,
                    occurredAt: String?, address: String?, postcode: String?, ward: String?, category: ASBCategory,
                    isHateMotivated: Bool, description: String, channel: ReportingChannel, incidentKey: String,
                    reportedOn: CalendarDate, agencyId: Int64, reference: String?, complainantName: String?,
                    complainantPostcode: String?, perpetratorName: String?) {
            self.line = line
            self.caseKey = caseKey
            self.caseTitle = caseTitle
            self.districtId = districtId
            self.occurredOn = occurredOn
            self.occurredAt = occurredAt
            self.address = address
            self.postcode = postcode
            self.ward = ward
            self.category = category
            self.isHateMotivated = isHateMotivated
            self.description = description
            self.channel = channel
            self.incidentKey = incidentKey
            self.reportedOn = reportedOn
            self.agencyId = agencyId
            self.reference = reference
            self.complainantName = complainantName
            self.complainantPostcode = complainantPostcode
            self.perpetratorName = perpetratorName
        }
    }

    /// The header must name every column once, in any order; unknown columns are refused so nothing is silently dropped.
    public static func columnIndex(header: [String]) throws(ValidationError) -> Header {
        var positions = [Int?](repeating: nil, count: columns.count)
        var v = Validator()
        for (position, name) in header.enumerated() {
            let column = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let known = columns.firstIndex(of: column) else {
                v.add("line 1", "unknown column \"\(name)\"")
                continue
            }
            if positions[known] != nil { v.add("line 1", "column \(column) appears twice") }
            positions[known] = position
        }
        for column in required where positions[column.rawValue] == nil { v.add("line 1", "the required column \(column.name) is missing") }
        try v.check()
        return Header(positions: positions, count: header.count)
    }

    public enum Checked: Sendable, Equatable {
        case valid(Row)
        case invalid([RowIssue])
    }

    /// A field without the spaces and tabs around it, or nil when nothing is left. Works on the UTF-8 bytes in place:
    /// Foundation's `trimmingCharacters` goes through NSString on Linux and dominated a million-row import, and
    /// stepping through the string's UTF-8 view was still a tenth of the check.
    static func trimmedField(_ text: String) -> String? {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        func kept(_ bytes: some BidirectionalCollection<UInt8>) -> Range<Int>? {
            guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
                return nil
            }
            return bytes.distance(from: bytes.startIndex, to: first)..<bytes.distance(from: bytes.startIndex, to: last) + 1
        }
        let count = text.utf8.count
        let range = text.utf8.withContiguousStorageIfAvailable { kept($0) } ?? kept(text.utf8)
        guard let range else { return nil }
        if range.count == count { return text }
        let utf8 = text.utf8
        return String(text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
    }

    /// Checks one row, naming every problem by line and column.
    public static func row(_ fields: [String], line: Int, index: Header, agencies: [String: Int64], districts: [String: Int64],
                           today: CalendarDate) -> Checked {
        var issues: [RowIssue] = []
        // Trimmed as each is asked for, not into an array of its own (an allocation and a retain of every field, per row).
        func value(_ column: Column) -> String? {
            guard let position = index.position(column), position < fields.count else { return nil }
            return trimmedField(fields[position])
        }
        func fail(_ column: Column, _ message: String) { issues.append(RowIssue(line: line, column: column.name, message: message)) }
        for column in required where value(column) == nil { fail(column, "is required") }
        if fields.count != index.count {
            issues.append(RowIssue(line: line, column: "row", message: "has \(fields.count) fields; the header has \(index.count)"))
        }
        func date(_ column: Column) -> CalendarDate? {
            guard let text = value(column) else { return nil }
            guard let date = CalendarDate(iso: text) else {
                fail(column, "\"\(text)\" is not a date like 2026-04-01")
                return nil
            }
            if date > today { fail(column, "\(text) is in the future") }
            return date
        }
        let occurredOn = date(.occurredOn)
        let reportedOn = date(.reportedOn)
        if let occurredOn, let reportedOn, occurredOn > reportedOn { fail(.occurredOn, "is after reported_on") }
        let occurredAt = value(.occurredAt)
        if let occurredAt, !ASBRules.isTime(occurredAt) { fail(.occurredAt, "\"\(occurredAt)\" is not a time like 21:30") }
        let categoryText = value(.category)
        let category = categoryText.flatMap { ASBCategory(rawValue: $0) ?? ASBCategory(rawValue: $0.lowercased()) }
        if categoryText != nil, category == nil { fail(.category, "must be personal, nuisance or environmental") }
        let channelText = value(.channel)
        let channel = channelText.flatMap { ReportingChannel(rawValue: $0) ?? ReportingChannel(rawValue: $0.lowercased()) }
        if channelText != nil, channel == nil {
            fail(.channel, "must be one of " + ReportingChannel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let agencyName = value(.reportingAgency)
        let agency = agencyName.flatMap { agencies[$0] }
        if let agencyName, agency == nil { fail(.reportingAgency, "there is no agency called \"\(agencyName)\"") }
        var districtId: Int64?
        if let name = value(.district) {
            districtId = districts[name]
            if districtId == nil { fail(.district, "there is no district called \"\(name)\"") }
        }
        func postcode(_ column: Column) -> String? {
            guard let text = value(column) else { return nil }
            guard let normalised = ASBRules.normalisedPostcode(text) else {
                fail(column, "\"\(text)\" is not a UK postcode")
                return nil
            }
            return normalised
        }
        let incidentPostcode = postcode(.postcode)
        let complainantPostcode = postcode(.complainantPostcode)
        var isHateMotivated = false
        if let text = value(.hateMotivated) {
            switch text.lowercased() {
            case "true", "yes", "1": isHateMotivated = true
            case "false", "no", "0": isHateMotivated = false
            default: fail(.hateMotivated, "must be true or false")
            }
        }
        let description = value(.description)
        if let description, description.utf8.count > 4_000, description.count > 4_000 {
            fail(.description, "must be 4,000 characters or fewer")
        }
        guard issues.isEmpty, let caseKey = value(.caseKey), let caseTitle = value(.caseTitle), let description, let occurredOn,
              let reportedOn, let category, let channel, let agency else { return .invalid(issues) }
        return .valid(Row(line: line, caseKey: caseKey, caseTitle: caseTitle, districtId: districtId, occurredOn: occurredOn,
                          occurredAt: occurredAt, address: value(.address), postcode: incidentPostcode, ward: value(.ward),
                          category: category, isHateMotivated: isHateMotivated, description: description, channel: channel,
                          incidentKey: value(.incidentKey) ?? "line \(line)", reportedOn: reportedOn, agencyId: agency,
                          reference: value(.reference), complainantName: value(.complainantName),
                          complainantPostcode: complainantPostcode, perpetratorName: value(.perpetratorName)))
    }
}

extension ASBImport {
    /// About how many rows a file holds: one per line after the header (a quoted field may hold a line break, and the
    /// last line may have no end), counted with `memchr`.
    public static func estimatedRows(in data: Data) -> Int {
        data.withUnsafeBytes { bytes in
            guard var next = bytes.baseAddress else { return 0 }
            let end = next + bytes.count
            var lines = 0
            while next < end, let found = memchr(next, Int32(UInt8(ascii: "\n")), end - next) {
                lines += 1
                next = UnsafeRawPointer(found) + 1
            }
            return max(0, lines - 1)
        }
    }

    /// Reads and checks a whole file: valid rows go to `deliver` in batches of `batchSize` while the file is read, so
    /// an import can write them meanwhile; once a row has a problem nothing more is delivered (a file with a problem
    /// imports nothing, and the importer is told by the returned problems). Returns every problem, including one
    /// incident reported to the same agency twice. Throws when the header is missing or wrong. `expectedRows`, when
    /// known, sizes the table of reports seen up front.
    public static func check(_ data: Data, expectedRows: Int = 0, agencies: [String: Int64], districts: [String: Int64],
                             today: CalendarDate, batchSize: Int = 5_000, deliver: ([Row]) throws -> Void) throws -> [RowIssue] {
        var index: Header?
        var batch: [Row] = []
        var issues: [RowIssue] = []
        var duplicates = DuplicateReports(expectedRows: expectedRows)
        try CSVReader.read(data) { fields, line in
            guard let columns = index else {
                index = try columnIndex(header: fields)
                return
            }
            switch row(fields, line: line, index: columns, agencies: agencies, districts: districts, today: today) {
            case .valid(let row):
                if let duplicate = duplicates.issue(row) {
                    issues.append(duplicate)
                } else if issues.isEmpty {
                    batch.append(row)
                    if batch.count == batchSize {
                        try deliver(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            case .invalid(let rowIssues):
                issues += rowIssues
            }
        }
        guard index != nil else { throw ValidationError(field: "FILE", "the file is empty; it needs a header row") }
        if issues.isEmpty, !batch.isEmpty { try deliver(batch) }
        return issues
    }

    /// Problems only visible across rows: one incident reported to the same agency twice.
    public struct DuplicateReports: Sendable {
        private struct Report: Hashable, Sendable {
            let caseKey: String
            let incidentKey: String
            let agencyId: Int64
        }

        private var seen: [Report: Int]

        /// Room for `expectedRows` reports from the start: growing the table as a million rows arrive rehashed every
        /// key about once more, a tenth of the check's time.
        public init(expectedRows: Int = 0) {
            seen = Dictionary(minimumCapacity: expectedRows)
        }

        /// The problem with `row`, when an earlier row already reported its incident to its agency.
        public mutating func issue(_ row: borrowing Row) -> RowIssue? {
            let report = Report(caseKey: row.caseKey, incidentKey: row.incidentKey, agencyId: row.agencyId)
            if let first = seen[report] {
                return RowIssue(line: row.line, column: Column.reportingAgency.name,
                                message: "the same incident was already reported to this agency on line \(first)")
            }
            seen[report] = row.line
            return nil
        }
    }
}

/// RFC 4180 CSV, read from bytes: quoted fields with doubled quotes, CRLF or LF line ends. Calls `row` with each
/// record's fields and the line its record starts on.
public enum CSVReader {
    public static func read(_ data: Data, row: (_ fields: [String], _ line: Int) throws -> Void) rethrows {
        try data.withUnsafeBytes { try read(bytes: $0, row: row) }
    }

    /// RFC 4180 records over raw bytes: an unquoted field becomes a String straight from its slice; a quoted one
    /// ("" for a quote, newlines allowed) is copied. Lines are counted from 1 at each record's first line; blank
    /// lines are skipped.
    static func read(bytes: UnsafeRawBufferPointer, row: (_ fields: [String], _ line: Int) throws -> Void) rethrows {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let count = bytes.count
        var fields: [String] = []
        var quoted: [UInt8] = []
        var i = 0
        var line = 1
        while true {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            while true {
                if i < count, bytes[i] == quote {
                    quoted.removeAll(keepingCapacity: true)
                    i += 1
                    while i < count {
                        let byte = bytes[i]
                        if byte == quote {
                            if i + 1 < count, bytes[i + 1] == quote {
                                quoted.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if byte == lf { line += 1 }
                        quoted.append(byte)
                        i += 1
                    }
                    let rest = i
                    while i < count, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
                    quoted.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[rest..<i]))
                    fields.append(String(decoding: quoted, as: UTF8.self))
                } else {
                    let start = i
                    while i < count, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
                    fields.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                }
                guard i < count, bytes[i] == comma else { break }
                i += 1
            }
            let atEnd = i >= count
            if !atEnd {
                if bytes[i] == cr, i + 1 < count, bytes[i + 1] == lf { i += 1 }
                i += 1
            }
            if !(fields.count == 1 && fields[0].isEmpty) { try row(fields, recordLine) }
            if atEnd { return }
            line += 1
        }
    }
}
