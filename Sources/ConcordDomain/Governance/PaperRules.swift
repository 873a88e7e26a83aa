import Foundation

/// What may be uploaded as a paper for an agenda item: PDF, Word (DOCX), Excel (XLSX), PNG and JPEG, judged by
/// the file's own first bytes as well as its name, so a renamed executable is refused.
public enum PaperRules {
    public struct Accepted: Sendable, Equatable {
        public let contentType: String
        public let pageCount: Int?
    }

    /// A paper Concord writes itself (the CSA performance appendix), never an upload: served as a download.
    public static let generatedHTML = Accepted(contentType: "text/html; charset=utf-8", pageCount: nil)

    static let types: [(extensions: [String], contentType: String, magic: [UInt8])] = [
        (["pdf"], "application/pdf", Array("%PDF-".utf8)),
        (["docx"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [0x50, 0x4B, 0x03, 0x04]),
        (["xlsx"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [0x50, 0x4B, 0x03, 0x04]),
        (["png"], "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (["jpg", "jpeg"], "image/jpeg", [0xFF, 0xD8, 0xFF]),
    ]

    /// Checks a file and says what it is; an image counts as one page, a PDF's pages are counted.
    public static func accept(fileName: String, bytes: Data, maxMegabytes: Int) throws(ValidationError) -> Accepted {
        let name = fileName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !bytes.isEmpty else { throw ValidationError(field: "paper", "Choose a file to upload") }
        let limit = maxMegabytes * 1_048_576
        guard bytes.count <= limit else {
            throw ValidationError(field: "paper", "The file is \(megabytes(bytes.count)) MB: papers must be \(maxMegabytes) MB or smaller")
        }
        let fileExtension = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard let type = types.first(where: { $0.extensions.contains(fileExtension) }) else {
            throw ValidationError(field: "paper", "“\(name)” is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file")
        }
        guard bytes.starts(with: type.magic) else {
            throw ValidationError(field: "paper", "“\(name)” is named .\(fileExtension) but its contents are not that kind of file")
        }
        let pages: Int? = switch type.contentType {
        case "application/pdf": pdfPageCount(bytes)
        case "image/png", "image/jpeg": 1
        default: nil
        }
        return Accepted(contentType: type.contentType, pageCount: pages)
    }

    /// Counts the page objects of a PDF ("/Type /Page", not "/Type /Pages"); nil when none are found (a
    /// compressed object stream), so the clerk gives the count.
    static func pdfPageCount(_ bytes: Data) -> Int? {
        let needle = Array("/Type".utf8)
        let page = Array("/Page".utf8)
        var count = 0
        var index = bytes.startIndex
        while let found = bytes[index...].firstRange(of: needle) {
            var cursor = found.upperBound
            while cursor < bytes.endIndex, bytes[cursor] == 0x20 || bytes[cursor] == 0x0A || bytes[cursor] == 0x0D { cursor += 1 }
            if bytes[cursor...].starts(with: page) {
                let after = cursor + page.count
                if after >= bytes.endIndex || !(bytes[after] == UInt8(ascii: "s")) { count += 1 }
            }
            index = found.upperBound
        }
        return count > 0 ? count : nil
    }

    static func megabytes(_ count: Int) -> String {
        String(format: "%.1f", Double(count) / 1_048_576)
    }
}
