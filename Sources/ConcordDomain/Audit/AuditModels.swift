import Foundation

public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case view, create, update, delete, export
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signOut = "sign-out"
    case permissionDenied = "permission-denied"
    case administration
}

/// One changed field: the value before and after. Secrets never appear (see `FieldChange.redacted`).
public struct FieldChange: Sendable, Codable, Equatable {
    public let field: String
    public let before: String?
    public let after: String?

    public init(field: String, before: String?, after: String?) {
        let secret = FieldChange.isSecret(field)
        self.field = field
        self.before = secret && before != nil ? FieldChange.redacted : before
        self.after = secret && after != nil ? FieldChange.redacted : after
    }

    public static let redacted = "[redacted]"

    static func isSecret(_ field: String) -> Bool {
        let lowered = field.lowercased()
        return ["password", "token", "secret", "hash"].contains { lowered.contains($0) }
    }

    /// The fields whose values differ between two snapshots, in field order.
    public static func diff(before: [(String, String?)], after: [(String, String?)]) -> [FieldChange] {
        let old = Dictionary(before, uniquingKeysWith: { a, _ in a })
        return after.compactMap { field, value in
            let previous = old[field] ?? nil
            return previous == value ? nil : FieldChange(field: field, before: previous, after: value)
        }
    }

    /// Every field of a new record, as changed from nothing.
    public static func created(_ fields: [(String, String?)]) -> [FieldChange] {
        fields.compactMap { field, value in value == nil ? nil : FieldChange(field: field, before: nil, after: value) }
    }
}

/// Who is acting, from where, in which request: carried into every store write so the audit entry is written in
/// the same transaction as the change.
public struct AuditContext: Sendable, Equatable {
    public var userId: Int64?
    public var agencyId: Int64?
    public var requestId: String?
    public var clientAddress: String?

    public init(userId: Int64? = nil, agencyId: Int64? = nil, requestId: String? = nil, clientAddress: String? = nil) {
        self.userId = userId
        self.agencyId = agencyId
        self.requestId = requestId
        self.clientAddress = clientAddress
    }

    public init(_ principal: Principal, requestId: String?, clientAddress: String?) {
        self.init(userId: principal.userId, agencyId: principal.agencyId, requestId: requestId, clientAddress: clientAddress)
    }

    /// The command line acting as itself (`concord user add`, `concord demo`).
    public static let commandLine = AuditContext(requestId: "cli")
}

/// What an audit entry says, before it is chained.
public struct AuditRecord: Sendable, Equatable {
    public var occurredAt: Date
    public var context: AuditContext
    public var action: AuditAction
    public var recordType: String
    public var recordId: String?
    public var outcome: String
    public var changes: [FieldChange]
    public var note: String?

    public init(occurredAt: Date = Date(), context: AuditContext, action: AuditAction, recordType: String,
                recordId: String? = nil, outcome: String = "allowed", changes: [FieldChange] = [], note: String? = nil) {
        self.occurredAt = occurredAt
        self.context = context
        self.action = action
        self.recordType = recordType
        self.recordId = recordId
        self.outcome = outcome
        self.changes = changes
        self.note = note
    }
}

/// A stored audit entry with its place in the hash chain.
public struct AuditEntry: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var record: AuditRecord
    public var previousHash: String
    public var hash: String

    public init(id: Int64, record: AuditRecord, previousHash: String, hash: String) {
        self.id = id
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The text the chain hashes: every field, in a fixed order, unambiguously separated.
    /// hash(n) = SHA-256(hash(n−1) ‖ canonical(n)); the first entry chains from 64 zeros.
    public static func canonical(id: Int64, occurredAt: String, record: AuditRecord, changesJSON: String) -> String {
        let fields: [String] = [
            String(id), occurredAt, record.context.userId.map(String.init) ?? "", record.context.agencyId.map(String.init) ?? "",
            record.action.rawValue, record.recordType, record.recordId ?? "", record.outcome,
            record.context.requestId ?? "", record.context.clientAddress ?? "", changesJSON, record.note ?? "",
        ]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public static let genesisHash = String(repeating: "0", count: 64)
}

/// A search of the audit log by an auditor.
public struct AuditQuery: Sendable, Equatable {
    public var userId: Int64?
    public var action: AuditAction?
    public var recordType: String?
    public var recordId: String?
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var beforeId: Int64?
    public var limit: Int

    public init(userId: Int64? = nil, action: AuditAction? = nil, recordType: String? = nil, recordId: String? = nil,
                from: CalendarDate? = nil, to: CalendarDate? = nil, beforeId: Int64? = nil, limit: Int = 50) {
        self.userId = userId
        self.action = action
        self.recordType = recordType
        self.recordId = recordId
        self.from = from
        self.to = to
        self.beforeId = beforeId
        self.limit = limit
    }
}
