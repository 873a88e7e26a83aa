/// Someone else saved the record after this person loaded it. Nothing was written: optimistic locking refuses
/// a stale update rather than silently overwrite the other person's change.
public struct StaleRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public let recordType: String
    public let id: Int64

    public init(recordType: String, id: Int64) {
        self.recordType = recordType
        self.id = id
    }

    public var description: String {
        "This \(recordType) was changed by someone else after you opened it. Your changes have not been saved: "
            + "open it again to see the latest version, then make your changes again."
    }
}

/// No such record, or one the principal may not know exists.
public struct RecordNotFoundError: Error, Sendable, Equatable {
    public let recordType: String
    public let id: String

    public init(recordType: String, id: String) {
        self.recordType = recordType
        self.id = id
    }
}

/// A write that would break a uniqueness rule, such as a second user with the same email.
public struct DuplicateRecordError: Error, Sendable, Equatable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The principal may see the record but may not do this to it (403). Records they may not see at all are
/// `RecordNotFoundError` instead, so their existence is not revealed.
public struct AccessDeniedError: Error, Sendable, Equatable {
    public let action: String
    public let recordType: String

    public init(action: String, recordType: String) {
        self.action = action
        self.recordType = recordType
    }
}
