import ConcordDomain
import ConcordStorage
@testable import ConcordWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct StrategyWebTests {
    typealias API = ASBAndCaseReviewAPITests

    @Test func valuesUploadedAsCSVAreAllOrNothingAndTheAppendixShowsThem() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.app.test(.router) { client in
            var headers = API.headers(fixture, .partnershipManager)
            headers[.contentType] = "text/csv"
            let path = "/api/v1/agreements/\(fixture.agreementId)/measure-values"
            let bad = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: """
                measure_id,period_kind,period,value
                \(fixture.measureId),financial-year,2012/13,24.2
                \(fixture.measureId),financial-year,2013/14,124.8
                \(fixture.measureId),quarter,2013,24
                """))
            #expect(bad.status == .unprocessableContent)
            #expect(try API.fields(bad) == ["line 4"])
            let badValue = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: """
                measure_id,period_kind,period,value
                \(fixture.measureId),financial-year,2012/13,24.2
                \(fixture.measureId),financial-year,2013/14,124.8
                """))
            #expect(String(buffer: badValue.body).contains("A percentage must be between 0 and 100, not 124.8"))
            #expect(try await StrategyStore(database: fixture.database).values(agreementId: fixture.agreementId).isEmpty)
            let good = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: """
                measure_id,period_kind,period,value
                \(fixture.measureId),financial-year,2012/13,24.2
                \(fixture.measureId),financial-year,2013/14,24.8
                """))
            #expect(good.status == .created)
            let appendix = try API.json(try await client.execute(uri: "/api/v1/agreements/\(fixture.agreementId)/appendix?on=2014-07-08", method: .get,
                                                                 headers: API.headers(fixture, .caseOfficer)))
            let row = try #require(((appendix["sections"] as? [[String: Any]])?.first?["measures"] as? [[String: Any]])?.first)
            #expect(row["change"] as? String == "▲ 0.6" && row["differenceToBaseline"] as? String == "▲ 0.8" && row["rag"] as? String == "amber")
            let json = try await client.execute(uri: path, method: .post, headers: API.headers(fixture, .partnershipManager), body: ByteBuffer(
                string: #"{"values":[{"measure_id":\#(fixture.measureId),"period_kind":"financial-year","period":"2014/15","value":"ninety"}]}"#))
            #expect(try API.fields(json) == ["values[0].value"])
        }
        await fixture.database.close()
    }

    @Test func thePublicAppendixLeavesOutPractitionerOnlyDataAndChartsAreEscaped() async throws {
        let fixture = try await WebFixture.make()
        let store = StrategyStore(database: fixture.database)
        let secret = try await store.addMeasure(Measure(id: 0, agreementId: fixture.agreementId, priorityId: nil, name: "Treatment completions <script>x</script>",
                                                        geography: nil, unit: .count, polarity: .higherIsBetter, periodKinds: [.quarter],
                                                        baseline: Baseline(label: "'11/12", value: 887), isPractitionerOnly: true), audit: .commandLine)
        try await store.addValues([MeasureValue(measureId: secret, period: StrategyRules.period(.quarter, label: "Q4 2012/13")!, value: 618),
                                   MeasureValue(measureId: secret, period: StrategyRules.period(.quarter, label: "Q1 2013/14")!, value: 577)],
                                  audit: .commandLine)
        try await fixture.app.test(.router) { client in
            let cookie: HTTPFields = [.cookie: "concord_session=" + fixture.sessions[.partnershipMember]!.token]
            let measures = String(buffer: try await client.execute(uri: "/strategy/\(fixture.agreementId)/measures", method: .get, headers: cookie).body)
            #expect(measures.contains("<svg") && measures.contains("Treatment completions &lt;script&gt;"))
            #expect(!measures.contains("<script>x"))
            let publicPage = String(buffer: try await client.execute(uri: "/public/strategy/\(fixture.agreementId)/appendix?on=2014-01-01", method: .get).body)
            #expect(!publicPage.contains("Treatment completions") && publicPage.contains("OFFICIAL"))
            let inside = String(buffer: try await client.execute(uri: "/strategy/\(fixture.agreementId)/appendix?on=2014-01-01", method: .get,
                                                                  headers: cookie).body)
            #expect(inside.contains("Treatment completions") && inside.contains("▼ 6.6%") && inside.contains("OFFICIAL-SENSITIVE"))
        }
        await fixture.database.close()
    }

    @Test func theAppendixIsAttachedToAnAgendaItemAsItsPaper() async throws {
        let fixture = try await WebFixture.make()
        let items = try await GovernanceStore(database: fixture.database).items(meetingId: fixture.governanceMeetingId)
        let b1 = try #require(items.first { $0.code == "B1" })
        try await fixture.app.test(.router) { client in
            let session = fixture.sessions[.partnershipManager]!
            let response = try await client.execute(uri: "/strategy/\(fixture.agreementId)/appendix/attach", method: .post,
                                                    headers: [.cookie: "concord_session=" + session.token, .contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "_csrf=\(session.csrf)&itemId=\(b1.id)&on=2026-11-30"))
            #expect(response.status == .seeOther)
            let paper = try #require(try await GovernanceStore(database: fixture.database).item(id: b1.id)?.papers.first)
            #expect(paper.fileName == "csa-performance-monitoring-2026-11-30.html" && paper.contentType.hasPrefix("text/html"))
            let download = try await client.execute(uri: "/public/meetings/\(fixture.publicMeetingId)/papers/\(paper.id)", method: .get)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(String(buffer: download.body).contains("Priority: Domestic Abuse"))
        }
        await fixture.database.close()
    }
}
