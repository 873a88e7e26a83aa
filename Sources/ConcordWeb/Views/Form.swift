import ConcordDomain
import Foundation
import Hummingbird
import MultipartKit
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

    /// Parses a `multipart/form-data` body: text parts become fields, parts with a file name become files.
    init(multipart body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var data = ByteBuffer()
        var parts: [(headers: [(String, String)], body: ByteBuffer)] = []
        parser.onHeader = { headers.append(($0, $1)) }
        parser.onBody = { data.writeBuffer(&$0) }
        parser.onPartComplete = {
            parts.append((headers, data))
            headers = []
            data = ByteBuffer()
        }
        try parser.execute(body)
        for part in parts {
            guard let disposition = part.headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1,
                  let name = Self.parameter("name", in: disposition) else { continue }
            if let path = Self.parameter("filename", in: disposition) {
                let fileName = String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
                if !fileName.isEmpty { files[name] = UploadedFile(fileName: fileName, bytes: Data(buffer: part.body)) }
            } else {
                values[name, default: []].append(String(buffer: part.body))
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

    /// Reads the body of a form post: 1 MiB at most, or `maxMultipartBytes` for a multipart form with a file.
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
            throw AppError.payloadTooLarge
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
