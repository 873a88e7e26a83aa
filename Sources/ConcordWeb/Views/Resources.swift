import Foundation

/// Files bundled with ConcordWeb (templates, stylesheet, OpenAPI document), found the same way on Linux and macOS.
enum Resources {
    static func path(_ relative: String) -> String {
        Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent(relative).path
    }
}
