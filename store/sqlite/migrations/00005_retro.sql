-- +goose Up
-- What a retro produces: contributing factors, action items (followed
-- across incidents until they land) and the meetings themselves. Lists
-- (events, invitees, went-well notes) are JSON text; tags, which
-- recurrence warnings search, have a table of their own.
CREATE TABLE factors (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    text        TEXT NOT NULL,
    events      TEXT NOT NULL DEFAULT '[]',
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX factors_by_incident ON factors (incident_id, seq);
CREATE TABLE factor_tags (
    factor_id TEXT NOT NULL REFERENCES factors(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (factor_id, tag)
);
CREATE INDEX factor_tags_by_tag ON factor_tags (tag);
CREATE TABLE action_items (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    text        TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    due         BIGINT,
    priority    TEXT NOT NULL,
    state       TEXT NOT NULL,
    tracking    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    factors     TEXT NOT NULL DEFAULT '[]',
    done_at     BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX action_items_by_incident ON action_items (incident_id, seq);
CREATE INDEX action_items_by_state ON action_items (state, due);
CREATE INDEX action_items_by_owner ON action_items (owner, state);
CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    facilitator TEXT NOT NULL DEFAULT '',
    starts_at   BIGINT,
    phase       TEXT NOT NULL DEFAULT '',
    invitees    TEXT NOT NULL DEFAULT '[]',
    went_well   TEXT NOT NULL DEFAULT '[]',
    ended_at    BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX meetings_by_incident ON meetings (incident_id, created_at);

-- +goose Down
DROP TABLE meetings;
DROP TABLE action_items;
DROP TABLE factor_tags;
DROP TABLE factors;
