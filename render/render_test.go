package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

var nasty = []string{
	"plain", `quotes " and \ backslash`, "tab\tnew\nline\r", "ctrl \x00\x07\x1b[31mred", "bad utf8 \xff\xfe",
	"line sep \u2028 para \u2029", "<script>alert(1)</script> & more", "emoji 🔥 and Zoë",
}

func build(t *testing.T) *timeline.Timeline {
	t.Helper()
	b := timeline.NewBuilder(timeline.Options{})
	at := time.Date(2025, 6, 2, 14, 0, 0, 123456000, time.UTC)
	for i, s := range nasty {
		err := b.Emit(&debrief.Event{Time: at.Add(time.Duration(i) * time.Minute), Source: debrief.SourceSlack,
			Kind: debrief.KindMessage, Actor: "sam", Channel: "inc", Text: s, Ref: s})
		if err != nil {
			t.Fatal(err)
		}
	}
	tl, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tl.Close() })
	return tl
}

// Every string survives JSON and JSON lines: valid documents whose texts
// decode to the input (invalid UTF-8 becomes U+FFFD).
func TestJSONRoundTrip(t *testing.T) {
	for name, fn := range map[string]Func{"json": JSON, "jsonl": JSONL} {
		var buf bytes.Buffer
		if err := fn(&buf, build(t), Options{}); err != nil {
			t.Fatal(err)
		}
		var texts []string
		if name == "json" {
			var doc struct{ Events []struct{ Text string } }
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("json: %v\n%s", err, buf.String())
			}
			for _, e := range doc.Events {
				texts = append(texts, e.Text)
			}
		} else {
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var e struct{ Text string }
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("jsonl line %q: %v", line, err)
				}
				texts = append(texts, e.Text)
			}
		}
		for i, want := range nasty {
			want = string([]rune(timeline.CleanText(want)))
			if texts[i] != want {
				t.Errorf("%s: text %d = %q, want %q", name, i, texts[i], want)
			}
		}
	}
}

// People-facing formats never pass terminal escapes or live markup through.
func TestHumanFormatsAreInert(t *testing.T) {
	for name, fn := range map[string]Func{"text": Text, "markdown": Markdown, "html": HTML, "svg": SVG} {
		var buf bytes.Buffer
		if err := fn(&buf, build(t), Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "\x1b[31m") || strings.Contains(out, "\x00") {
			t.Errorf("%s passes control characters through", name)
		}
		if name != "text" && strings.Contains(out, "<script>") {
			t.Errorf("%s passes a live <script> through", name)
		}
	}
}

func TestDuration(t *testing.T) {
	for secs, want := range map[int64]string{45: "45s", 540: "9m", 544: "9m04s", 3900: "1h05m", 200000: "2d07h"} {
		if got := duration(secs); got != want {
			t.Errorf("duration(%d) = %q, want %q", secs, got, want)
		}
	}
}

// JSON lines are encoded on several cores but come out in the timeline's
// order, whole, with every moment, from runs spilled to disk and reused
// buffers alike: the same bytes as encoding one event after the other.
// Shuffled, the events land in every run, so the merge takes turns among
// all of them and the encoders hold batches of every run at once.
func TestJSONLInOrderAcrossBatches(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		budget  int // runs of a few decoded batches each
		shuffle bool
	}{{"in order", 3*lineBatchEvents + 7, 64 << 10, false}, {"shuffled", 40 * lineBatchEvents, 512 << 10, true}} {
		t.Run(tc.name, func(t *testing.T) {
			b := timeline.NewBuilder(timeline.Options{MemoryBudget: tc.budget, TempDir: t.TempDir()})
			at := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
			order := make([]int, tc.n)
			for i := range order {
				order[i] = i
			}
			if tc.shuffle {
				rand.New(rand.NewPCG(1, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			}
			for _, i := range order {
				ev := &debrief.Event{Time: at.Add(time.Duration(i) * time.Second), Source: debrief.SourceSlack, Kind: debrief.KindMessage,
					Actor: "sam", Channel: "inc", Text: strings.Repeat("x", i%50) + nasty[i%len(nasty)], Ref: "r" + strings.Repeat("y", i%7) + time.Duration(i).String()}
				if i%100 == 0 {
					ev.Text = "let's roll back the pool change" // a decision and a mitigation
				}
				if err := b.Emit(ev); err != nil {
					t.Fatal(err)
				}
			}
			tl, err := b.Finish()
			if err != nil {
				t.Fatal(err)
			}
			defer tl.Close()
			var want []byte
			if err := tl.Each(func(ev *debrief.Event) error {
				want = append(appendEvent(want, ev), '\n')
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := JSONL(&got, tl, Options{}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("parallel JSON lines differ from sequential ones (%d and %d bytes)", got.Len(), len(want))
			}
			if lines := bytes.Count(got.Bytes(), []byte("\n")); lines != tc.n || !bytes.Contains(got.Bytes(), []byte(`"moments":["decision"`)) {
				t.Errorf("%d lines, want %d, with moments", lines, tc.n)
			}
		})
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n++; w.n > 1 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// A write that fails stops the walk and is reported.
func TestJSONLWriteError(t *testing.T) {
	b := timeline.NewBuilder(timeline.Options{})
	at := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	for i := range 10 * lineBatchEvents {
		b.Emit(&debrief.Event{Time: at.Add(time.Duration(i) * time.Second), Source: debrief.SourceZsh, Kind: debrief.KindCommand, Text: "ls", Ref: time.Duration(i).String()})
	}
	tl, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	if err := JSONL(&failingWriter{}, tl, Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want disk full", err)
	}
}
