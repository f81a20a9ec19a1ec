-- +goose Up
-- at is the event's time with its input's clock offset applied, kept in
-- step by SetClockOffset, so timelines sort on an index.
ALTER TABLE events ADD COLUMN at INTEGER NOT NULL DEFAULT 0;
UPDATE events SET at = time + (SELECT clock_offset FROM inputs WHERE inputs.id = events.input_id);
CREATE INDEX events_by_at ON events (incident_id, at, source, channel, ref, id);
ALTER TABLE api_tokens ADD COLUMN touched INTEGER;

-- +goose Down
DROP INDEX events_by_at;
ALTER TABLE events DROP COLUMN at;
