-- +goose Up
-- When an action item's state last changed (its creation counts): the
-- tracker sync tells which side changed last, the item or its issue.
ALTER TABLE action_items ADD COLUMN state_at BIGINT;
UPDATE action_items SET state_at = updated_at;

-- +goose Down
ALTER TABLE action_items DROP COLUMN state_at;
