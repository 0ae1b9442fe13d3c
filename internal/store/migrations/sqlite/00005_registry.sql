-- The registry as SIASN knows it, and one person across records (SQLite).
-- Keep in step with ../postgres/00005_registry.sql.
--
-- An employee record is one appointment under one identifier (its nip: the
-- NIP, the NI PPPK, or a non-ASN's NIK); a person who goes from honorer
-- to PPPK to PNS, or takes a new NI PPPK at another government, has one
-- record per step, all pointing at one row of persons. The identifiers a
-- record carries now (nip, nik, pns_id, nip_lama) are its own indexed
-- columns; person_identifiers keeps the ones a record stopped carrying (a
-- corrected NIK, a replaced PNS_ID), with the dates they held. A search
-- by any identifier the person ever had is then a few index probes: the
-- record columns and person_identifiers.value give the person, and
-- employees_person gives the person's records.
--
-- How a record is linked to a person (internal/store/person.go, and
-- docs/registry.md): by its NIK, else its PNS_ID, else its NIP_LAMA, else
-- its nip, each looked up in the stored records and in the identifiers
-- the person had before; the first that finds a person wins (the NIK is
-- the strongest: it is the population number, one per person for life),
-- passing over a record born on another day. A record that finds none
-- starts a new person.

-- +goose Up
CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    created_at  BIGINT  NOT NULL
);

ALTER TABLE employees ADD COLUMN nik           TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN pns_id        TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN nip_lama      TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN birth_place   TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN other_email   TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN eselon        TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN education     TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN rank_date     TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN position_date TEXT    NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN head          INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN person_id     BIGINT  REFERENCES persons (id);

-- Every stored record is its own person to begin with (none had a NIK).
INSERT INTO persons (id, created_at) SELECT id, created_at FROM employees;
UPDATE employees SET person_id = id;

-- Partial: most records have no NIP_LAMA, and the empty string is never looked up.
CREATE INDEX employees_person ON employees (person_id);
CREATE INDEX employees_nik ON employees (nik) WHERE nik <> '';
CREATE INDEX employees_pns_id ON employees (pns_id) WHERE pns_id <> '';
CREATE INDEX employees_nip_lama ON employees (nip_lama) WHERE nip_lama <> '';

-- kind: nip, ni_pppk, nik, pns_id or nip_lama. since and until are unix
-- milliseconds (until 0: the record still carried it when it was recorded).
CREATE TABLE person_identifiers (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT  NOT NULL REFERENCES persons (id),
    kind         TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    tenant_id    BIGINT  NOT NULL REFERENCES tenants (id),
    employee_id  BIGINT  REFERENCES employees (id),
    since        BIGINT  NOT NULL,
    until        BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX person_identifiers_value ON person_identifiers (value, person_id);
CREATE INDEX person_identifiers_person ON person_identifiers (person_id, since);

-- +goose Down
DROP TABLE person_identifiers;
DROP INDEX employees_nip_lama;
DROP INDEX employees_pns_id;
DROP INDEX employees_nik;
DROP INDEX employees_person;
ALTER TABLE employees DROP COLUMN person_id;
ALTER TABLE employees DROP COLUMN head;
ALTER TABLE employees DROP COLUMN position_date;
ALTER TABLE employees DROP COLUMN rank_date;
ALTER TABLE employees DROP COLUMN education;
ALTER TABLE employees DROP COLUMN eselon;
ALTER TABLE employees DROP COLUMN other_email;
ALTER TABLE employees DROP COLUMN birth_place;
ALTER TABLE employees DROP COLUMN nip_lama;
ALTER TABLE employees DROP COLUMN pns_id;
ALTER TABLE employees DROP COLUMN nik;
DROP TABLE persons;
