-- +goose Up
-- One meeting at a time per incident: the live room is the incident's one
-- meeting not ended. Meetings left open side by side before (the API
-- allowed it) are ended at their creation, all but the latest.
UPDATE meetings SET ended_at = created_at
WHERE ended_at IS NULL AND EXISTS (
    SELECT 1 FROM meetings later
    WHERE later.incident_id = meetings.incident_id AND later.ended_at IS NULL
      AND (later.created_at > meetings.created_at OR (later.created_at = meetings.created_at AND later.id > meetings.id)));
CREATE UNIQUE INDEX meetings_one_open ON meetings (incident_id) WHERE ended_at IS NULL;

-- +goose Down
DROP INDEX meetings_one_open;
