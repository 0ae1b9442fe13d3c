-- The election calendar (docs/elections.md): elections (Pemilu, Pilkada,
-- re-votes) and their stages, each with the source of its dates. Dates are
-- 'YYYY-MM-DD' text, both ends of a stage inclusive. region_code is a
-- Kemendagri area code, '' for none (a Pemilu, a Pilkada held everywhere).
-- seed_revision is the revision of the calendar shipped in the binary
-- (internal/store/elections.json) an election still holds unchanged, 0 once
-- an admin changed it or for one entered by hand; election_seeds records
-- which shipped elections, at which revision, an installation has taken, so
-- that the seeding at every start loads each once and never brings back
-- one an admin deleted. Keep in step with ../postgres/00009_elections.sql.

-- +goose Up
CREATE TABLE elections (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    name_en        TEXT    NOT NULL DEFAULT '',
    voting_day     TEXT    NOT NULL,
    region_code    TEXT    NOT NULL DEFAULT '',
    parent_id      BIGINT  REFERENCES elections (id),
    source         TEXT    NOT NULL,
    source_urls    TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    unconfirmed    INTEGER NOT NULL DEFAULT 0,
    seed_revision  INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX elections_parent ON elections (parent_id);

CREATE TABLE election_stages (
    id             INTEGER PRIMARY KEY,
    election_id    BIGINT  NOT NULL REFERENCES elections (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    name           TEXT    NOT NULL DEFAULT '',
    name_en        TEXT    NOT NULL DEFAULT '',
    starts         TEXT    NOT NULL,
    ends           TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    source_urls    TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    unconfirmed    INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX election_stages_election ON election_stages (election_id, starts);
CREATE INDEX election_stages_days ON election_stages (starts, ends);

CREATE TABLE election_seeds (
    code           TEXT    PRIMARY KEY,
    revision       INTEGER NOT NULL,
    applied_at     BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE election_seeds;
DROP TABLE election_stages;
DROP TABLE elections;
