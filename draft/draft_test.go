package draft

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief/ingest/detect"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/debriefhq/debrief/lint"
	"github.com/debriefhq/debrief/redact"
	"github.com/debriefhq/debrief/timeline"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const sample = "../examples/search-latency"

// build makes a timeline from inputs as `debrief timeline` does (people file
// found in the folder, secrets redacted).
func build(t testing.TB, inputs ...string) *timeline.Timeline {
	t.Helper()
	found, err := detect.New(detect.All()).Resolve(inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer found.Close()
	red, err := redact.New()
	if err != nil {
		t.Fatal(err)
	}
	opt := timeline.Options{Redactor: red, TempDir: t.TempDir()}
	if len(found.People) > 0 {
		f, err := found.People[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		opt.People, err = timeline.ParsePeople(found.People[0].Name, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	b := timeline.NewBuilder(opt)
	if _, err := detect.Run(context.Background(), found.Jobs, detect.RunOptions{SkipBad: true, Note: func(string, string) {}}, b.Emit); err != nil {
		t.Fatal(err)
	}
	tl, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tl.Close() })
	return tl
}

func sampleDoc(t testing.TB) *Doc {
	t.Helper()
	d, err := Build(build(t, sample), Options{
		Title: "Search latency", Facilitator: "kim", Lead: "sam", Severity: "SEV2",
		Meeting: time.Date(2025, 6, 5, 13, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func markdown(t testing.TB, name string, d *Doc) []byte {
	t.Helper()
	tp, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tp.Markdown(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGolden pins the built-in templates on the sample incident
// (go test ./draft -update rewrites them).
func TestGolden(t *testing.T) {
	d := sampleDoc(t)
	for _, name := range Builtins {
		t.Run(name, func(t *testing.T) {
			check(t, "testdata/sample."+name+".md", markdown(t, name, d))
		})
	}
	t.Run("html", func(t *testing.T) {
		var b bytes.Buffer
		if err := HTML(&b, d); err != nil {
			t.Fatal(err)
		}
		check(t, "testdata/sample.html", b.Bytes())
	})
}

func check(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

// TestUncitedSentenceCannotRender: the constructor needs a citation, and a
// sentence made without one (its zero value) stops rendering in every
// output.
func TestUncitedSentenceCannotRender(t *testing.T) {
	d := sampleDoc(t)
	d.Summary = append(d.Summary, Sentence{})
	for _, name := range Builtins {
		tp, _ := Builtin(name)
		if err := tp.Markdown(&bytes.Buffer{}, d); err == nil || !strings.Contains(err.Error(), "without a citation") {
			t.Errorf("%s: rendered an uncited sentence: %v", name, err)
		}
	}
	if err := HTML(&bytes.Buffer{}, d); err == nil || !strings.Contains(err.Error(), "without a citation") {
		t.Errorf("html: rendered an uncited sentence: %v", err)
	}
	s := cited("x", Cite{ID: "a"})
	if len(s.Cites()) != 1 {
		t.Error("cited lost its citation")
	}
}

var reCite = regexp.MustCompile(`\]\(#(e-[0-9a-z]+)\)`)

// checkDraft holds for every draft: every citation lands on an entry of the
// appendix, no sentence of the document's own fails lint, and no secret
// is left for the redactor to find.
func checkDraft(t *testing.T, d *Doc, md []byte) {
	t.Helper()
	anchors := map[string]bool{}
	for _, e := range d.Timeline {
		anchors[e.Anchor] = true
	}
	for _, m := range reCite.FindAllSubmatch(md, -1) {
		if !anchors[string(m[1])] {
			t.Errorf("citation #%s lands on no timeline entry", m[1])
		}
	}
	for _, s := range append(append(append([]Sentence{}, d.Summary...), d.Questions...), d.WentWell...) {
		if len(s.Cites()) == 0 {
			t.Errorf("uncited: %q", s.Text())
		}
	}
	l, err := lint.New(lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range l.Lint("retro.md", md, lint.DefaultConfig()) {
		switch strings.SplitN(f.Rule, ".", 2)[0] {
		case "blame", "counterfactual", "hindsight", "rootcause":
			t.Errorf("lint: retro.md:%d:%d: %s: %s", f.Line, f.Column, f.Rule, f.Message)
		}
	}
	red, _ := redact.New()
	if _, n := red.Redact(string(md)); n > 0 {
		out, _ := red.Redact(string(md))
		t.Errorf("%d secrets left in the draft: %s", n, firstRedaction(out))
	}
}

func firstRedaction(s string) string {
	i := strings.Index(s, "[REDACTED")
	if i < 0 {
		return ""
	}
	return s[max(i-60, 0):min(i+40, len(s))]
}

func TestSampleDraft(t *testing.T) {
	d := sampleDoc(t)
	for _, name := range Builtins {
		checkDraft(t, d, markdown(t, name, d))
	}
	if len(d.Summary) < 5 || len(d.Questions) < 5 || len(d.WentWell) == 0 {
		t.Errorf("thin draft: %d summary sentences, %d questions, %d went well", len(d.Summary), len(d.Questions), len(d.WentWell))
	}
	// kim facilitates but was among the most active responders.
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "most active responders") {
		t.Errorf("warnings: %q", d.Warnings)
	}
}

func TestFacilitatorIsLead(t *testing.T) {
	d, err := Build(build(t, sample), Options{Facilitator: "sam", Lead: "sam"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) == 0 || !strings.Contains(d.Warnings[0], "also the incident lead") || d.Checklist[1].Done {
		t.Errorf("warnings %q, checklist %+v", d.Warnings, d.Checklist[1])
	}
	d, _ = Build(build(t, sample), Options{Facilitator: "priya", Lead: "sam"})
	if len(d.Warnings) != 0 || !d.Checklist[1].Done {
		t.Errorf("neutral facilitator: warnings %q, checklist %+v", d.Warnings, d.Checklist[1])
	}
}

// TestCorpusDrafts drafts every chat or alert input of ../shared/corpus as
// an incident of its own.
func TestCorpusDrafts(t *testing.T) {
	n := 0
	for _, kind := range []string{"slack", "mattermost", "alertmanager", "pagerduty", "opsgenie", "grafana"} {
		root := ingesttest.CorpusDir(t, kind)
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		var inputs []string
		for _, e := range entries {
			inputs = append(inputs, filepath.Join(root, e.Name()))
			// Each file of a sample folder is an incident too (single webhooks).
			files, _ := os.ReadDir(filepath.Join(root, e.Name()))
			for _, f := range files {
				if !f.IsDir() && !strings.HasSuffix(f.Name(), ".md") {
					inputs = append(inputs, filepath.Join(root, e.Name(), f.Name()))
				}
			}
		}
		for _, p := range inputs {
			if !isInput(p) {
				continue // a README or other file no format reads
			}
			t.Run(kind+"/"+strings.TrimPrefix(p, root+"/"), func(t *testing.T) {
				d, err := Build(build(t, p), Options{Title: filepath.Base(p), Facilitator: "f", Lead: "l"})
				if err != nil {
					t.Fatal(err)
				}
				for _, name := range Builtins {
					checkDraft(t, d, markdown(t, name, d))
				}
				var h bytes.Buffer
				if err := HTML(&h, d); err != nil {
					t.Fatal(err)
				}
				n++
			})
		}
	}
	if n < 20 {
		t.Errorf("drafted %d corpus incidents; expected the corpus's chat and alert samples", n)
	}
}

// isInput reports whether some format reads p.
func isInput(p string) bool {
	found, err := detect.New(detect.All()).Resolve([]string{p})
	if err != nil {
		return false
	}
	defer found.Close()
	return len(found.Jobs) > 0
}
