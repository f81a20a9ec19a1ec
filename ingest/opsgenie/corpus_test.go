package opsgenie

import (
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus parses every real Opsgenie sample with no Bad hook: each must
// parse without error and give one event, except the escalation callback
// (escalate.json), which legitimately gives none: it carries no time, and is
// left out with a note saying so.
func TestCorpus(t *testing.T) {
	ingesttest.ParseCorpus(t, Parse, "opsgenie", func(t *testing.T, path string, res ingesttest.Result) {
		if strings.HasSuffix(path, "__escalate.json") {
			if len(res.Events) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no time") {
				t.Fatalf("escalation callback: %d events, notes %q; want none and a note", len(res.Events), res.Notes)
			}
			return
		}
		if len(res.Events) != 1 {
			t.Fatalf("got %d events, want 1", len(res.Events))
		}
		ev := res.Events[0]
		if ev.Actor == "" || ev.Text == "" || ev.Ref == "" || ev.Thread == "" || ev.Bot {
			t.Errorf("event lacks actor, text, ref or thread, or is a bot's: %+v", ev)
		}
	})
}
