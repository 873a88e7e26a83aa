/// Every migration, in the order applied. Append new ones at the end; never edit or reorder released ones.
enum Migrations {
    static let all: [Migration] = [
        m0001Directory,
        m0002Security,
        m0003Cases,
        m0004Audit,
        m0005Calendar,
        m0006ASB,
        m0007CaseReview,
        m0008IncidentCorrections,
        m0009MARAC,
        m0010Governance,
        m0011Strategy,
        m0012Funding,
        m0013DHR,
        m0014AuditRowids,
    ]
}
