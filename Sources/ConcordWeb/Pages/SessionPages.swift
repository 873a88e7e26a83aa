import ConcordDomain
import ConcordStorage
import Foundation
import Hummingbird

/// Sign in and sign out.
struct SessionPages {
    let services: Services

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: showLogin)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    struct LoginModel {
        let email: String
        let next: String
        let csrf: String
    }

    /// Only same-site paths: never redirect to another site after sign-in.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), !raw.contains("://") else { return "/" }
        return raw
    }

    func showLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return .seeOther("/") }
        return loginPage(request: request, context: context, email: "", next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)))
    }

    private func loginPage(request: Request, context: AppRequestContext, email: String, next: String,
                           errors: [FieldIssue] = [], status: HTTPResponse.Status = .ok) -> Response {
        let csrf = request.cookies[CSRFMiddleware.anonymousCookie]?.value ?? Secrets.randomToken()
        var layoutContext = context
        layoutContext.csrfToken = csrf
        let layout = PageLayout.make(services: services, context: layoutContext, title: "Sign in", agencyName: nil, errors: errors)
        var response = services.templates.render("login", layout: layout, page: LoginModel(email: email, next: next, csrf: csrf),
                                                 status: status)
        response.setCookie(Cookie(name: CSRFMiddleware.anonymousCookie, value: csrf, path: "/",
                                  secure: services.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await Form.read(&request, context: context)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        var issues: [FieldIssue] = []
        if email.isEmpty { issues.append(FieldIssue("email", "Enter your email address")) }
        if password.isEmpty { issues.append(FieldIssue("password", "Enter your password")) }
        if !issues.isEmpty {
            return loginPage(request: request, context: context, email: email, next: next, errors: issues, status: .unprocessableContent)
        }
        let values = try await services.settings.values()
        let throttle = LoginThrottle(values: values)
        let keys = ["account:" + email] + (context.clientAddress.map { ["address:" + $0] } ?? [])
        if let wait = try await throttle.pause(for: keys, store: services.sessions) {
            try await services.audit.record(AuditRecord(context: context.audit, action: .signInFailed, recordType: "user",
                                                        outcome: "throttled", note: email))
            throw AppError.tooManyRequests("Too many failed sign-in attempts. Wait \(wait.minutes) minute\(wait.minutes == 1 ? "" : "s") and try again, or ask your administrator to reset your password.",
                                           retryAfterSeconds: wait.seconds)
        }
        let credentials = try await services.users.credentials(email: email)
        let valid = try await PasswordHashing.verify(password, hash: credentials?.passwordHash ?? PasswordHashing.decoyHash)
        guard valid, let user = credentials?.user, user.isActive else {
            try await services.sessions.recordFailure(keys: keys)
            try await services.audit.record(AuditRecord(context: context.audit, action: .signInFailed, recordType: "user",
                                                        recordId: credentials.map { String($0.user.id) }, outcome: "denied",
                                                        note: credentials?.user.isActive == false ? "account disabled" : "wrong email or password"))
            return loginPage(request: request, context: context, email: email, next: next,
                             errors: [FieldIssue("email", "Enter a correct email address and password")], status: .unauthorized)
        }
        try await services.sessions.clearFailures(key: "account:" + email)
        // A new session id at every sign-in (no fixation); the old one, if any, is ended.
        if let old = context.sessionToken { try await services.sessions.delete(token: old) }
        let absolute = Duration.seconds(values.int(PartnershipSettings.sessionAbsoluteHours) * 3600)
        let session = try await services.sessions.create(userId: user.id, clientAddress: context.clientAddress, absoluteLifetime: absolute)
        try await services.audit.record(AuditRecord(context: AuditContext(userId: user.id, agencyId: user.agencyId, requestId: context.id,
                                                                          clientAddress: context.clientAddress),
                                                    action: .signIn, recordType: "user", recordId: String(user.id)))
        var response = Response.seeOther(next)
        response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: session.token, path: "/",
                                  secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: CSRFMiddleware.anonymousCookie, value: "", maxAge: 0, path: "/",
                                  secure: services.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = context.sessionToken {
            try await services.sessions.delete(token: token)
            try await services.audit.record(AuditRecord(context: context.audit, action: .signOut, recordType: "user",
                                                        recordId: context.user.map { String($0.id) }))
        }
        var response = Response.seeOther("/login")
        response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}

/// Sign-in throttling per account and per client address: after N failures within the lockout period, further
/// attempts wait until the period has passed since the latest failure (NCSC: throttle rather than lock out
/// permanently).
struct LoginThrottle {
    let values: SettingValues

    struct Wait {
        let seconds: Int
        var minutes: Int { max(1, (seconds + 59) / 60) }
    }

    func pause(for keys: [String], store: SessionStore, now: Date = Date()) async throws -> Wait? {
        let period = TimeInterval(values.int(PartnershipSettings.lockoutMinutes) * 60)
        for key in keys {
            let limit = key.hasPrefix("account:") ? values.int(PartnershipSettings.loginFailuresPerAccount)
                                                   : values.int(PartnershipSettings.loginFailuresPerAddress)
            let failures = try await store.failures(key: key, since: now.addingTimeInterval(-period))
            if failures.count >= limit, let latest = failures.latest {
                return Wait(seconds: max(1, Int(latest.addingTimeInterval(period).timeIntervalSince(now))))
            }
        }
        return nil
    }
}
