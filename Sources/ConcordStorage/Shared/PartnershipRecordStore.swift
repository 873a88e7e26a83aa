import ConcordDomain
import SQLKit

/// A store of the partnership's own records rather than cases (governance, strategy, funding): its writes leave the
/// cached case counts alone, and each change is audited inside the transaction that makes it.
protocol PartnershipRecordStore: Sendable {
    var database: ConcordDatabase { get }
}

extension PartnershipRecordStore {
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.write(touchesCases: false, body)
    }

    func audit(_ action: AuditAction, _ type: String, _ id: String, _ changes: [FieldChange], _ context: AuditContext,
               on db: any SQLDatabase) async throws {
        try await AuditLog.append(AuditRecord(context: context, action: action, recordType: type, recordId: id, changes: changes),
                                  on: db, engine: database.engine)
    }

    func audit(_ action: AuditAction, _ type: String, _ id: Int64, _ changes: [FieldChange], _ context: AuditContext,
               on db: any SQLDatabase) async throws {
        try await audit(action, type, String(id), changes, context, on: db)
    }
}
