-- Sign-in hardening (sqlite). Keep in step with ../postgres/00003_signin.sql.
-- Failed sign-ins are counted per account (users.failed_logins, with the
-- time of the last one) and per account and source (an address, or a known
-- device): a stranger's failures slow down the stranger, not the owner.

-- +goose Up
ALTER TABLE users ADD COLUMN last_failed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

CREATE TABLE login_failures (
    user_id   BIGINT  NOT NULL REFERENCES users (id),
    source    TEXT    NOT NULL,
    failures  INTEGER NOT NULL,
    last_at   BIGINT  NOT NULL,
    PRIMARY KEY (user_id, source)
);

-- A browser that completed a full sign-in: only the SHA-256 of its cookie.
CREATE TABLE known_devices (
    token_hash    TEXT    PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);

-- E-mailed password reset links: only the SHA-256 of the token.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE known_devices;
DROP TABLE login_failures;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN last_failed_at;
