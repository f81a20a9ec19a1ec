package mattermost

import (
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// parseString parses one in-memory file named "export.jsonl" with bad as the
// Bad hook, its events in timeline order.
func parseString(t testing.TB, data string, bad func(error) error) ingesttest.Result {
	return ingesttest.ParseData(t, Parse, "export.jsonl", []byte(data), bad).ByTime()
}
