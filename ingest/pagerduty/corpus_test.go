package pagerduty

import (
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus parses every real PagerDuty sample with no Bad hook: each must
// parse without error and give events. (Every sample here is a v3 webhook of
// an incident and gives exactly one event.)
func TestCorpus(t *testing.T) {
	ingesttest.ParseCorpus(t, Parse, "pagerduty", func(t *testing.T, _ string, res ingesttest.Result) {
		if len(res.Events) != 1 {
			t.Fatalf("got %d events, want 1", len(res.Events))
		}
		ev := res.Events[0]
		if ev.Actor == "" || ev.Text == "" || ev.Ref == "" || ev.Thread == "" {
			t.Errorf("event lacks actor, text, ref or thread: %+v", ev)
		}
	})
}
