package draft

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

// TestFinalEscapes: everything from people and inputs is inert markdown,
// tags and moment names included.
func TestFinalEscapes(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ev := &debrief.StoredEvent{Event: debrief.Event{ID: "e1", Time: now, Source: "slack", Actor: "sam",
		Text: "[click](https://evil.example) **bold**", Moments: []debrief.Moment{"<img src=x onerror=alert(1)>"}}}
	rec := Record{
		Incident: &debrief.Incident{ID: "inc", Title: "Search *latency*", Services: []string{"search|api"}},
		Moments:  []*debrief.StoredEvent{ev},
		Factors:  []*debrief.Factor{{ID: "f1", Text: "No alert <script>", Tags: []string{"**bold**", "[x](https://evil.example)"}}},
		Actions:  []*debrief.ActionItem{{ID: "a1", Text: "Alert | now", Owner: "kim", State: debrief.ActionOpen, Tracking: "https://x.example/_a_"}},
		Now:      now,
	}
	var b bytes.Buffer
	if err := Final(&b, rec); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	// Markup counts only where no backslash escapes it.
	for _, bad := range []string{`(^|[^\\])\*\*bold`, `(^|[^\\])\[click`, `(^|[^\\])<img`, `(^|[^\\])<script`, `[^\\]\]\(https`, `search[^\\]?\|api`, `Alert \| now`} {
		if regexp.MustCompile(bad).MatchString(md) {
			t.Errorf("the postmortem carries %s unescaped:\n%s", bad, md)
		}
	}
	for _, want := range []string{`# Search \*latency\*`, `\*\*bold\*\*`, `Alert \| now`} {
		if !strings.Contains(md, want) {
			t.Errorf("the postmortem lacks %q:\n%s", want, md)
		}
	}
}
