import ConcordDomain
import SQLKit

/// The one place visibility becomes SQL. Every query that lists, counts, searches, exports or loads case
/// records adds `predicate(for:)`; it states in SQL what `VisibilityFilter.admits` states in Swift, and the
/// storage tests check the two agree for every combination of role, agency, share, agreement, classification
/// and restriction.
public enum VisibleQuery {
    /// A boolean SQL expression over `case_records` aliased as `alias`.
    public static func predicate(for filter: VisibilityFilter, alias: String = "c") -> SQLQueryString {
        if filter.seesNothing { return "1 = 0" }
        let types = filter.caseTypes.sorted().map(\.rawValue)
        var sql: SQLQueryString = "(\(unsafeRaw: alias).case_type IN (\(binds: types))"
        sql += " AND \(unsafeRaw: alias).classification_level <= \(bind: filter.maximumLevel.rawValue)"
        sql += " AND (\(unsafeRaw: alias).owning_agency_id = \(bind: filter.agencyId)"
        sql += " OR EXISTS (SELECT 1 FROM case_shares cs WHERE cs.case_id = \(unsafeRaw: alias).id AND cs.agency_id = \(bind: filter.agencyId))"
        let grants = filter.agreementGrants.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !grants.isEmpty {
            sql += " OR (\(unsafeRaw: alias).is_restricted = 0 AND ("
            for (index, grant) in grants.enumerated() {
                if index > 0 { sql += " OR " }
                sql += "(\(unsafeRaw: alias).case_type = \(bind: grant.key.rawValue) AND \(unsafeRaw: alias).owning_agency_id IN (\(binds: grant.value.sorted())))"
            }
            sql += "))"
        }
        sql += "))"
        return sql
    }
}
