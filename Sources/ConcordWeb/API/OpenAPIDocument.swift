import Foundation

/// The OpenAPI 3.1 description of /api/v1, kept in Resources/openapi.json and checked against the registered
/// routes by ConcordWebTests.
public enum OpenAPIDocument {
    public static func data() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Resources.path("openapi.json")))
    }
}
