@testable import ConcordStorage
import SQLiteKit
import Testing

/// A row from the direct SQLite connection reads common columns without SQLiteKit's decoder, and must read them
/// exactly as that decoder does; other types and storage classes still go to it.
@Suite struct SQLiteDirectRowTests {
    let row = SQLiteDirectRow(columns: ["text", "number", "nothing", "real"],
                              values: [.text("Maidstone"), .integer(42), .null, .float(2.5)])

    @Test func commonColumnsReadAsTheDecoderReadsThem() throws {
        #expect(try row.decode(column: "text", as: String.self) == "Maidstone")
        #expect(try row.decode(column: "text", as: String?.self) == "Maidstone")
        #expect(try row.decode(column: "number", as: Int.self) == 42)
        #expect(try row.decode(column: "number", as: Int64.self) == 42)
        #expect(try row.decode(column: "number", as: Int?.self) == 42)
        #expect(try row.decode(column: "number", as: Int64?.self) == 42)
        #expect(try row.decode(column: "nothing", as: String?.self) == nil)
        #expect(try row.decode(column: "nothing", as: Int64?.self) == nil)
        #expect(try row.decode(column: "real", as: Double.self) == 2.5)
        #expect(try row.decode(column: "number", as: String.self) == SQLiteDataDecoder().decode(String.self, from: .integer(42)))
        #expect(throws: (any Error).self) { try row.decode(column: "nothing", as: String.self) }
        #expect(throws: (any Error).self) { try row.decode(column: "text", as: Int.self) }
        #expect(throws: (any Error).self) { try row.decode(column: "missing", as: String.self) }
    }
}
