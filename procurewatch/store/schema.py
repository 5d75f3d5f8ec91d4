"""The store's schema as numbered migrations, applied in order by ``open_store``.

**Append only.** A released migration is never edited or removed: a store on disk records
the numbers it has applied in ``schema_version``, and only higher numbers run. To change the
schema, append ``Migration(<next number>, "what it adds", "<SQL>")`` to :data:`MIGRATIONS`.
Each migration runs in one transaction (several statements separated by ``;`` are fine).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step."""

    version: int
    description: str
    sql: str


SCHEMA_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""

MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "imported list versions and their entities",
        """
        CREATE TABLE list_versions (
            id VARCHAR PRIMARY KEY,            -- e.g. csl-2023-1a2b3c4d
            kind VARCHAR NOT NULL,             -- csl | ofac-sdn | ofac-nonsdn | fcc | dod1260h
            format VARCHAR NOT NULL,           -- the importer: csl | ofac | fcc | dod1260h
            source_path VARCHAR NOT NULL,      -- the main file as given on import
            files VARCHAR NOT NULL,            -- JSON list of every file read
            sha256 VARCHAR NOT NULL UNIQUE,
            imported_at TIMESTAMP NOT NULL,
            file_date DATE,                    -- newest date found in the file
            entity_count INTEGER NOT NULL,
            name_count INTEGER NOT NULL,
            row_count INTEGER NOT NULL,
            rejected_count INTEGER NOT NULL,
            skipped_count INTEGER NOT NULL,
            lists_json VARCHAR NOT NULL,       -- JSON list of list definitions (list_info_to_dict)
            source_json VARCHAR NOT NULL,      -- JSON of the version's Source
            issues_json VARCHAR NOT NULL       -- JSON {rejected, skipped, warnings}
        );
        CREATE TABLE list_entities (
            version_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            caption VARCHAR NOT NULL,
            data VARCHAR NOT NULL,             -- JSON of entity_to_dict
            PRIMARY KEY (version_id, entity_id)
        );
        """,
    ),
    Migration(
        2,
        "screening runs, their inputs and hits",
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            started_at VARCHAR NOT NULL,
            finished_at VARCHAR NOT NULL,
            engine VARCHAR NOT NULL,
            out_dir VARCHAR NOT NULL,
            records BIGINT NOT NULL,
            flagged_records BIGINT NOT NULL,
            rejected_rows BIGINT NOT NULL,
            hits BIGINT NOT NULL,
            lists_json VARCHAR NOT NULL,      -- JSON list of list versions screened against
            parameters_json VARCHAR NOT NULL, -- JSON of threshold, mapping, batch size ...
            summary VARCHAR NOT NULL          -- JSON of summary.json
        );
        CREATE TABLE run_inputs (
            run_id VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            fingerprint VARCHAR NOT NULL,     -- sha256 of size + first/middle/last MiB
            records BIGINT NOT NULL,
            rejected_rows BIGINT NOT NULL
        );
        CREATE TABLE hits (
            run_id VARCHAR NOT NULL,
            hit_id VARCHAR NOT NULL,          -- stable across re-screens of the same input
            source_file VARCHAR, "row" BIGINT, field VARCHAR, matched_text VARCHAR, rule VARCHAR,
            entity_id VARCHAR, entity_name VARCHAR, score DOUBLE, lists VARCHAR, in_force BOOLEAN,
            record_date VARCHAR, vendor VARCHAR, buyer VARCHAR, amount VARCHAR, currency VARCHAR,
            description VARCHAR, via VARCHAR, lead BOOLEAN, explanation VARCHAR,
            data VARCHAR,                     -- JSON of the full hit (designations, span)
            PRIMARY KEY (run_id, hit_id)
        );
        """,
    ),
    Migration(
        3,
        "review: analysts' decisions on hits, dismiss rules and the audit log",
        """
        CREATE SEQUENCE decision_seq START 1;
        CREATE SEQUENCE rule_seq START 1;
        CREATE SEQUENCE audit_seq START 1;
        CREATE TABLE decisions (
            decision_id BIGINT PRIMARY KEY DEFAULT nextval('decision_seq'),
            hit_id VARCHAR NOT NULL,          -- applies to this hit id in every run
            run_id VARCHAR NOT NULL,          -- the run the reviewer was looking at
            decision VARCHAR NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
            reason VARCHAR NOT NULL,
            reviewer VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL,    -- UTC; the latest decision on a hit id wins
            list_versions VARCHAR NOT NULL    -- JSON list of the run's list versions
        );
        CREATE TABLE dismiss_rules (
            rule_id BIGINT PRIMARY KEY DEFAULT nextval('rule_seq'),
            entity_id VARCHAR NOT NULL,
            matched_text VARCHAR NOT NULL,    -- normalized (procurewatch.review.keys)
            vendor VARCHAR,                   -- normalized; NULL: any vendor; '': no vendor
            field VARCHAR,                    -- NULL: any field
            reason VARCHAR NOT NULL,
            reviewer VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,    -- UTC
            active BOOLEAN NOT NULL,
            matched_text_raw VARCHAR NOT NULL, -- as seen in the hit the rule was made from
            vendor_raw VARCHAR,
            hit_id VARCHAR,                   -- the hit the rule was made from, if any
            run_id VARCHAR
        );
        CREATE TABLE audit_log (
            event_id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
            "at" TIMESTAMP NOT NULL,          -- UTC (quoted: a keyword)
            who VARCHAR NOT NULL,
            action VARCHAR NOT NULL,          -- confirm | dismiss | rule-add | rule-off
            hit_id VARCHAR,
            rule_id BIGINT,
            run_id VARCHAR,
            details VARCHAR NOT NULL,         -- JSON: decision, reason, previous state, rule ...
            list_versions VARCHAR NOT NULL    -- JSON list of list versions in force for the run
        );
        CREATE INDEX decisions_hit ON decisions (hit_id);
        """,
    ),
    Migration(
        4,
        "designation summaries shared by the hits of a run",
        """
        CREATE TABLE hit_designations (
            run_id VARCHAR NOT NULL,
            key VARCHAR NOT NULL,             -- sha1 of the JSON; hits.data names it
            designations VARCHAR NOT NULL,    -- JSON list of designation summaries
            PRIMARY KEY (run_id, key)
        );
        """,
    ),
    Migration(
        5,
        "mentions the context rules set aside (a reviewer can confirm one into a hit)",
        """
        CREATE TABLE set_aside (
            run_id VARCHAR NOT NULL,
            hit_id VARCHAR NOT NULL,          -- the id the mention would have as a hit
            source_file VARCHAR, "row" BIGINT, field VARCHAR, matched_text VARCHAR,
            entity_id VARCHAR, entity_name VARCHAR,
            reason VARCHAR NOT NULL,          -- the rule and the words that decided it
            text VARCHAR,                     -- the field's text
            data VARCHAR NOT NULL,            -- JSON of the full hit (Hit.json_dict)
            PRIMARY KEY (run_id, hit_id)
        );
        """,
    ),
    Migration(
        6,
        "the list version an analyst chose to use for a list kind",
        """
        CREATE TABLE list_in_use (
            kind VARCHAR PRIMARY KEY,         -- csl | ofac-sdn | fcc ...
            version_id VARCHAR NOT NULL,      -- the chosen list_versions.id
            chosen_at TIMESTAMP NOT NULL
        );
        """,
    ),
    Migration(
        7,
        "run attempts: a run is recorded as running before it screens, complete when saved",
        """
        CREATE TABLE run_attempts (
            run_id VARCHAR NOT NULL,          -- the run's id (in runs once complete)
            command VARCHAR NOT NULL,         -- screen | rescreen | service
            started_at VARCHAR NOT NULL,      -- UTC, ISO 8601
            out_dir VARCHAR NOT NULL,
            host VARCHAR NOT NULL,            -- where the process runs
            pid INTEGER NOT NULL,             -- a running attempt whose process is gone: killed
            status VARCHAR NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
            ended_at VARCHAR,
            error VARCHAR                     -- the one-line reason of a failed attempt
        );
        """,
    ),
]
"""Every migration, in order. Append new ones at the end; never edit a released one."""


def latest_version() -> int:
    """The schema version this code writes."""
    return max((m.version for m in MIGRATIONS), default=0)
