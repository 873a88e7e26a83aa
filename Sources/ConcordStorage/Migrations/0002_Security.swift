/// Sessions (stored here so they survive a restart and are shared by every instance), failed sign-ins for
/// throttling, and personal access tokens for the API. Secrets are stored only as SHA-256 digests.
let m0002Security = Migration(id: "0002", name: "sessions, sign-in throttling, API tokens") { d in
    [
        """
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            absolute_expires_at TEXT NOT NULL,
            client_address TEXT)
        """,
        "CREATE INDEX sessions_user ON sessions (user_id)",
        """
        CREATE TABLE login_failures (
            id \(d.id),
            throttle_key TEXT NOT NULL,
            occurred_at TEXT NOT NULL)
        """,
        "CREATE INDEX login_failures_key ON login_failures (throttle_key, occurred_at)",
        """
        CREATE TABLE api_tokens (
            id \(d.id),
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT)
        """,
        "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
    ]
}
