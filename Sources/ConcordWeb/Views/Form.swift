import ConcordDomain
import Foundation
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body: each name with every value given for it, in order.
struct Form: Sendable {
    private var values: [String: [String]] = [:]

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

    /// Reads the body of a form post (already limited to 1 MiB by the context).
    static func read(_ request: inout Request, context: AppRequestContext) async throws -> Form {
        Form(String(buffer: try await collectLimitedBody(&request, context: context)))
    }

    /// The request body, refused with 413 when it is larger than the context allows.
    static func collectLimitedBody(_ request: inout Request, context: AppRequestContext) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: context.maxUploadSize)
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
