/// One CSV field for an export: quoted when it must be (RFC 4180), and with a leading =, +, - or @ prefixed by an
/// apostrophe so a spreadsheet does not run it as a formula (OWASP CSV injection).
public enum CSVField {
    public static func escape(_ text: String) -> String {
        let safe = ["=", "+", "-", "@"].contains(where: { text.hasPrefix($0) }) ? "'" + text : text
        let needsQuotes = safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
        return needsQuotes ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }
}
