-- +goose Up
-- Times are Unix nanoseconds (the timeline keeps nanoseconds); JSON lists
-- and maps are TEXT.
CREATE TABLE incidents (
    rowid       INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    services    TEXT NOT NULL DEFAULT '[]',
    started_at  INTEGER,
    ended_at    INTEGER,
    lead        TEXT NOT NULL DEFAULT '',
    facilitator TEXT NOT NULL DEFAULT '',
    private     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE inputs (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    format       TEXT NOT NULL,
    digest       TEXT NOT NULL,
    events       INTEGER NOT NULL,
    clock_offset INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (incident_id, digest)
);

CREATE TABLE events (
    rowid         INTEGER PRIMARY KEY,
    incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    input_id      TEXT NOT NULL REFERENCES inputs(id) ON DELETE CASCADE,
    time          INTEGER NOT NULL,
    edited        INTEGER,
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    original_text TEXT,
    ref           TEXT NOT NULL DEFAULT '',
    thread        TEXT NOT NULL DEFAULT '',
    bot           INTEGER NOT NULL DEFAULT 0,
    impact        INTEGER NOT NULL DEFAULT 0,
    moments       TEXT NOT NULL DEFAULT '[]',
    why           TEXT NOT NULL DEFAULT '{}',
    hidden        INTEGER NOT NULL DEFAULT 0,
    pinned        INTEGER NOT NULL DEFAULT 0,
    annotation    TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER,
    UNIQUE (incident_id, id)
);
CREATE INDEX events_by_time ON events (incident_id, time);

-- Full-text search: FTS5 tables kept in step by triggers.
CREATE VIRTUAL TABLE events_fts USING fts5(text, annotation, content='events', content_rowid='rowid');
CREATE VIRTUAL TABLE incidents_fts USING fts5(title, content='incidents', content_rowid='rowid');

-- +goose StatementBegin
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, text, annotation) VALUES (new.rowid, new.text, new.annotation);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, text, annotation) VALUES ('delete', old.rowid, old.text, old.annotation);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_fts_update AFTER UPDATE OF text, annotation ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, text, annotation) VALUES ('delete', old.rowid, old.text, old.annotation);
    INSERT INTO events_fts (rowid, text, annotation) VALUES (new.rowid, new.text, new.annotation);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_fts (rowid, title) VALUES (new.rowid, new.title);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF title ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
    INSERT INTO incidents_fts (rowid, title) VALUES (new.rowid, new.title);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE events_fts;
DROP TABLE incidents_fts;
DROP TABLE events;
DROP TABLE inputs;
DROP TABLE incidents;
