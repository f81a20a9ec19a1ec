package grafana

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/alertmanager/webhook"
	"github.com/valyala/fastjson"
)

// legacyBody is the body of Grafana's legacy (pre-8) alerting webhook. It
// is used to locate values of a wrong type; the body is read with fastjson.
type legacyBody struct {
	Title       string            `json:"title"`
	RuleID      int64             `json:"ruleId"`
	RuleName    string            `json:"ruleName"`
	RuleURL     string            `json:"ruleUrl"`
	State       string            `json:"state"` // alerting, ok, no_data, paused, pending
	Message     string            `json:"message"`
	EvalMatches []evalMatch       `json:"evalMatches"`
	ImageURL    string            `json:"imageUrl"`
	Tags        map[string]string `json:"tags"`
}

// evalMatch is one series that matched the rule; Value is null for no_data.
type evalMatch struct {
	Metric string            `json:"metric"`
	Value  *float64          `json:"value"`
	Tags   map[string]string `json:"tags"`
}

// mostMatches is how many evalMatches a text shows.
const mostMatches = 5

// legacy reads the legacy bodies of one input, which all get the file's
// modification time.
type legacy struct {
	in      *ingest.Input
	mtime   time.Time
	statted bool
	placed  int // bodies given the file's time
}

// body reads one body without "alerts": a legacy body, or a bad record.
func (l *legacy) body(s *webhook.Stream, v *fastjson.Value, raw []byte, n int) error {
	if isAnnotation(v) {
		return annotation(s, v, raw, n)
	}
	if !v.Exists("ruleName") && !v.Exists("evalMatches") && !(v.Exists("title") && v.Exists("state")) {
		return s.Bad(raw, n, nil, "expected a Grafana alerting webhook body: \"alerts\" (unified alerting), "+
			"or \"ruleName\", \"state\" and \"evalMatches\" (legacy alerting)")
	}
	b, ok := readLegacy(v)
	if !ok {
		return s.Bad(raw, n, &legacyBody{}, "expected a legacy Grafana alert body: strings ruleName, state, message, "+
			"title; number ruleId; evalMatches as an array of {metric, value}")
	}
	t := l.time()
	if t.IsZero() {
		return s.Bad(raw, n, nil, "legacy Grafana alert body %q carries no time, and the file has no modification time; "+
			"expected a unified alerting body with \"startsAt\", or give the alert as a CSV or JSONL note with its time", b.name)
	}
	kind, state := debrief.KindAlertFiring, b.stateWord()
	if b.state == "ok" {
		kind = debrief.KindAlertResolved
	}
	ev := s.Event(t, kind, "", b.text(state), b.ref(v, kind))
	ev.Impact = kind == debrief.KindAlertFiring && webhook.Severe(b.severity)
	l.placed++
	return s.Emit(ev)
}

// time returns the file's modification time, or zero when the file system
// has none (or an impossible one).
func (l *legacy) time() time.Time {
	if !l.statted {
		l.statted = true
		if info, err := fs.Stat(l.in.FS, l.in.Path); err == nil && webhook.InRange(info.ModTime()) {
			l.mtime = info.ModTime().UTC()
		}
	}
	return l.mtime
}

// note says that times of legacy bodies are the file's, not the alerts'.
func (l *legacy) note() {
	if l.placed > 0 {
		l.in.Notef("%s: legacy Grafana alert bodies carry no time; placed %d at the file's modification time, %s",
			l.in.Name, l.placed, l.mtime.Format(time.RFC3339))
	}
}

// ref is a stable id of a legacy body: its rule and a hash of its content,
// since there is neither a fingerprint nor a time to tell bodies apart.
func (b *legacyFields) ref(v *fastjson.Value, kind debrief.Kind) string {
	h := fnv.New64a()
	h.Write(v.MarshalTo(nil))
	suffix := "firing"
	if kind == debrief.KindAlertResolved {
		suffix = "resolved"
	}
	return fmt.Sprintf("legacy/%s/%016x/%s", b.ruleID, h.Sum64(), suffix)
}
