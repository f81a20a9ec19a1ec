-- +goose Up
-- When a meeting entered each phase of the agenda, as JSON text
-- ([{"phase": "frame", "at": "2026-11-26T15:00:00Z"}, ...]): the live
-- room's timer and how the hour was spent.
ALTER TABLE meetings ADD COLUMN phases TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE meetings DROP COLUMN phases;
