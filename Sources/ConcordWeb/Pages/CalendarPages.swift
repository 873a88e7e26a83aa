import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// The working-day calendar for administrators: a year's bank holidays for the partnership's division
/// (provisional ones marked) and the local closure days, which they add and remove here.
struct CalendarPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin/calendar", use: show)
        router.post("/admin/calendar/closures", use: addClosure)
        router.post("/admin/calendar/closures/{date}/remove", use: removeClosure)
    }

    struct Model {
        struct Day {
            let date: String
            let weekday: String
            let title: String
            let provisional: Bool
        }

        let year: Int
        let previousYear: Int
        let nextYear: Int
        let division: String
        let holidays: [Day]
        let closures: [Day]
        let hasClosures: Bool
        let formDate: String
        let formReason: String
    }

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    private func model(year: Int, form: Form?) async throws -> Model {
        let calendar = try await services.calendar.calendar()
        let closures = calendar.closures.filter { $0.key.year == year }.sorted { $0.key < $1.key }.map {
            Model.Day(date: $0.key.iso, weekday: Self.weekdays[$0.key.weekday - 1], title: $0.value, provisional: false)
        }
        return Model(year: year, previousYear: year - 1, nextYear: year + 1, division: calendar.division.label,
                     holidays: calendar.holidays(in: year).map {
                         Model.Day(date: $0.date.long, weekday: Self.weekdays[$0.date.weekday - 1], title: $0.title,
                                   provisional: $0.isProvisional)
                     },
                     closures: closures, hasClosures: !closures.isEmpty,
                     formDate: form?["date"] ?? "", formReason: form?["reason"] ?? "")
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        let today = CalendarDate(Date())
        let year = request.uri.queryParameters["year"].flatMap { Int(String($0)) }
            .flatMap { WorkingDayCalendar.supportedYears.contains($0) ? $0 : nil } ?? today.year
        return try await services.page("admin/calendar", context, title: "Working-day calendar",
                                       page: try await model(year: year, form: nil),
                                       notice: request.uri.queryParameters["saved"] != nil ? "Calendar updated" : nil)
    }

    func addClosure(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        var request = request
        let form = try await Form.read(&request, context: context)
        var validator = Validator()
        let date = validator.date(form["date"], field: "date", label: "the date", required: true)
        let reason = validator.required(form["reason"], field: "reason", label: "why the offices are closed")
        if let date, date.isWeekend { validator.add("date", "\(date.long) is a weekend day, which is never a working day") }
        do {
            try validator.check()
            guard let date, let reason else { throw ValidationError(validator.issues) }
            try await services.calendar.addClosure(ClosureDay(date: date, reason: reason), audit: context.audit)
            return .seeOther("/admin/calendar?year=\(date.year)&saved=1")
        } catch let error as ValidationError {
            return try await services.page("admin/calendar", context, title: "Working-day calendar",
                                           page: try await model(year: date?.year ?? CalendarDate(Date()).year, form: form),
                                           errors: error.issues)
        } catch let error as DuplicateRecordError {
            return try await services.page("admin/calendar", context, title: "Working-day calendar",
                                           page: try await model(year: date?.year ?? CalendarDate(Date()).year, form: form),
                                           errors: [FieldIssue(error.field, error.message)])
        }
    }

    func removeClosure(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await services.require(.administerSettings, context)
        guard let date = context.parameters.get("date").flatMap(CalendarDate.init(iso:)) else { throw AppError.notFound }
        try await services.calendar.removeClosure(date, audit: context.audit)
        return .seeOther("/admin/calendar?year=\(date.year)&saved=1")
    }
}
