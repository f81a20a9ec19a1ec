-- +goose Up
-- Times are Unix nanoseconds (timestamptz keeps only microseconds, and the
-- timeline keeps nanoseconds); lists and maps are JSON text, as in SQLite.
CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    services    TEXT NOT NULL DEFAULT '[]',
    started_at  BIGINT,
    ended_at    BIGINT,
    lead        TEXT NOT NULL DEFAULT '',
    facilitator TEXT NOT NULL DEFAULT '',
    private     BOOLEAN NOT NULL DEFAULT false,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    search      tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED
);
CREATE INDEX incidents_search ON incidents USING gin (search);

CREATE TABLE inputs (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    format       TEXT NOT NULL,
    digest       TEXT NOT NULL,
    events       INTEGER NOT NULL,
    clock_offset BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    UNIQUE (incident_id, digest)
);

CREATE TABLE events (
    incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    input_id      TEXT NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
    time          BIGINT NOT NULL,
    edited        BIGINT,
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    original_text TEXT,
    ref           TEXT NOT NULL DEFAULT '',
    thread        TEXT NOT NULL DEFAULT '',
    bot           BOOLEAN NOT NULL DEFAULT false,
    impact        BOOLEAN NOT NULL DEFAULT false,
    moments       TEXT NOT NULL DEFAULT '[]',
    why           TEXT NOT NULL DEFAULT '{}',
    hidden        BOOLEAN NOT NULL DEFAULT false,
    pinned        BOOLEAN NOT NULL DEFAULT false,
    annotation    TEXT NOT NULL DEFAULT '',
    updated_at    BIGINT,
    search        tsvector GENERATED ALWAYS AS (to_tsvector('simple', text || ' ' || annotation)) STORED,
    PRIMARY KEY (incident_id, id)
);
CREATE INDEX events_by_time ON events (incident_id, time);
CREATE INDEX events_search ON events USING gin (search);

-- +goose Down
DROP TABLE events;
DROP TABLE inputs;
DROP TABLE incidents;
