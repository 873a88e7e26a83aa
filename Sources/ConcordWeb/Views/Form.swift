import ConcordDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import NIOCore

/// A file sent in a `multipart/form-data` form.
struct UploadedFile: Sendable {
    let fileName: String
    let bytes: Data
}

/// A form body, `application/x-www-form-urlencoded` or `multipart/form-data` (for papers): each name with every
/// value given for it, in order, and any files sent.
struct Form: Sendable {
    private var values: [String: [String]] = [:]
    private(set) var files: [String: UploadedFile] = [:]

    /// The largest multipart body taken (the largest paper a partnership may allow, 20 MB, and the form around it).
    static let maxMultipartBytes = 21 << 20

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Form.decode(parts[0])
            let value = parts.count > 1 ? Form.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    /// Parses a `multipart/form-data` body (RFC 7578): text parts become fields, parts with a file name become
    /// files. The body is already in memory (within the size limit), so the boundary is found with `memchr` and
    /// `memcmp` rather than byte by byte in Swift: a 10 MB paper is split in milliseconds.
    init(multipart body: ByteBuffer, boundary: String) throws {
        let bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []
        let delimiter = Array("--\(boundary)".utf8)
        let nextDelimiter = Array("\r\n--\(boundary)".utf8)
        guard var position = Self.find(delimiter, in: bytes, from: 0, to: bytes.count) else { throw MultipartError.malformed }
        position += delimiter.count
        while position + 2 <= bytes.count, !(bytes[position] == 45 && bytes[position + 1] == 45) {
            guard bytes[position] == 13, bytes[position + 1] == 10,
                  let end = Self.find(nextDelimiter, in: bytes, from: position + 2, to: bytes.count),
                  let split = Self.find([13, 10, 13, 10], in: bytes, from: position + 2, to: end) else { throw MultipartError.malformed }
            let headerLines = String(decoding: bytes[(position + 2)..<split], as: UTF8.self).components(separatedBy: "\r\n")
            let content = bytes[(split + 4)..<end]
            if let disposition = headerLines.first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
               let name = Self.parameter("name", in: disposition) {
                if let path = Self.parameter("filename", in: disposition) {
                    let fileName = String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
                    if !fileName.isEmpty { files[name] = UploadedFile(fileName: fileName, bytes: Data(content)) }
                } else {
                    values[name, default: []].append(String(decoding: content, as: UTF8.self))
                }
            }
            position = end + nextDelimiter.count
        }
    }

    enum MultipartError: Error { case malformed }

    /// Where `needle` first occurs wholly within `haystack[start..<end]`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, to end: Int) -> Int? {
        guard start <= end, end <= haystack.count, !needle.isEmpty else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pattern = pin.baseAddress else { return nil }
                var index = start
                while index + pin.count <= end {
                    guard let hit = memchr(base + index, Int32(needle[0]), end - pin.count + 1 - index) else { return nil }
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, pattern, pin.count) == 0 { return offset }
                    index = offset + 1
                }
                return nil
            }
        }
    }

    /// A quoted or bare parameter of a header value (`name`, `filename`, `boundary`).
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// Reads the body of a form post: `context.maxUploadSize` at most (1 MiB unless configured), or
    /// `maxMultipartBytes` for a multipart form with a file.
    static func read(_ request: inout Request, context: AppRequestContext) async throws -> Form {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty else {
                throw AppError.badRequest("The form was sent without its boundary.")
            }
            let body = try await collectLimitedBody(&request, limit: maxMultipartBytes)
            do {
                return try Form(multipart: body, boundary: boundary)
            } catch {
                throw AppError.badRequest("The form could not be read. Go back and try again.")
            }
        }
        return Form(String(buffer: try await collectLimitedBody(&request, context: context)))
    }

    /// The request body, refused with 413 when it is larger than the context allows.
    static func collectLimitedBody(_ request: inout Request, context: AppRequestContext) async throws -> ByteBuffer {
        try await collectLimitedBody(&request, limit: context.maxUploadSize)
    }

    static func collectLimitedBody(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw AppError.payloadTooLarge(limit: limit)
        }
    }

    subscript(_ name: String) -> String? { values[name]?.first }

    /// The first value of every field, for the module parsers that read named fields.
    var fields: [String: String] { values.compactMapValues(\.first) }

    /// The values to show again in a form that was refused, named as templates can name them ("incident.postcode"
    /// becomes "incident_postcode"); hidden fields such as the CSRF token are left out.
    var redisplay: [String: String] {
        Dictionary(uniqueKeysWithValues: fields.filter { $0.key != "_csrf" }.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) })
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    func int64(_ name: String) -> Int64? { self[name].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) } }

    func int64s(_ name: String) -> [Int64] { all(name).compactMap { Int64($0) } }

    func bool(_ name: String) -> Bool { ["on", "true", "yes", "1"].contains(self[name] ?? "") }

    /// Handles a form post that changes something: reads the form and runs `change`; on success answers See Other
    /// `success` (Post/Redirect/Get); when the input, a duplicate or a stale version is refused, `refused` shows
    /// the page again with the form as typed and each problem by field (a stale version under `staleField`).
    static func post(_ request: Request, _ context: AppRequestContext, success: String, staleField: String,
                     _ change: (Form) async throws -> Void,
                     refused: (Form, [FieldIssue]) async throws -> Response) async throws -> Response {
        var request = request
        let form = try await Form.read(&request, context: context)
        do {
            try await change(form)
            return .seeOther(success)
        } catch let error as ValidationError {
            return try await refused(form, error.issues)
        } catch let error as DuplicateRecordError {
            return try await refused(form, [FieldIssue(error.field, error.message)])
        } catch let error as StaleRecordError {
            return try await refused(form, [FieldIssue(staleField, error.description)])
        }
    }

    /// The submitted version of an editable record, for optimistic locking.
    func version(_ field: String = "version") throws -> Int {
        guard let text = self[field], let version = Int(text) else {
            throw AppError.badRequest("The form is missing the record's version: open the record again and resubmit.")
        }
        return version
    }
}
