package lint

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newLinter(t testing.TB) *Linter {
	t.Helper()
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// brief is a finding reduced to what these tests pin.
type brief struct {
	Line, Col int
	Rule      string
}

func briefs(fs []Finding, families ...string) []brief {
	var out []brief
	for _, f := range fs {
		if len(families) > 0 && !contains(families, family(f.Rule)) {
			continue
		}
		out = append(out, brief{f.Line, f.Column, f.Rule})
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

var lang = []string{"blame", "counterfactual", "hindsight", "rootcause"}

// TestMarkdownScope: prose is judged, evidence (code, quotes, inline code,
// HTML) is not, and positions point at the words in the file.
func TestMarkdownScope(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want []brief
	}{
		{"paragraph", "# Retro\n\nAt 14:02 the on-call should have paged the database team.\n",
			[]brief{{3, 22, "counterfactual.should-have"}}},
		{"position after unicode", "Ünïcødé — Sam forgot to renew the certificate.\n",
			[]brief{{1, 11, "blame.agent"}}},
		{"fenced code is evidence", "Text.\n\n```\n# the engineer should have known better\nrm -rf / # obviously\n```\n", nil},
		{"indented code is evidence", "Text.\n\n    obviously this should have been caught\n", nil},
		{"quoted chat is evidence", "> Sam: obviously the cache, should have checked it\n\nWe restarted the cache.\n", nil},
		{"inline code is evidence", "We ran `kubectl rollout undo # obviously` at 14:10.\n", nil},
		{"html comment is not prose", "<!-- obviously a note -->\n\nRestarted.\n", nil},
		{"list item", "- 14:02 Kim restarted the primary\n- 14:05 Kim simply had to wait\n",
			[]brief{{2, 13, "hindsight.simply"}}},
		{"table cell", "| Time | What |\n| --- | --- |\n| 14:02 | This was caused by human error |\n",
			[]brief{{3, 30, "blame.human-error"}}},
		{"soft-wrapped sentence", "The alert fired, and\nobviously the disk was full.\n",
			[]brief{{2, 1, "hindsight.obviously"}}},
		{"heading root cause left to doc rule", "## Root cause\n\nA disk filled up.\n", nil},
		{"emphasis kept", "It was *obviously* the cache.\n", []brief{{1, 9, "hindsight.obviously"}}},
		{"front matter skipped", "---\ntitle: obviously\ndate: 2026-03-10\n---\n\nObviously it was DNS.\n",
			[]brief{{6, 1, "hindsight.obviously"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := briefs(newLinter(t).Lint("d.md", []byte(tc.doc), DefaultConfig()), lang...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDescriptiveStaysClean: describing what people did, in the past or in
// future action items, is not judging them.
func TestDescriptiveStaysClean(t *testing.T) {
	cfg := DefaultConfig()
	cfg.People = []string{"Sam", "Kim Lee"}
	for _, s := range []string{
		"Sam restarted the primary at 14:02.",
		"Kim paged the database team at 14:05, and they joined at 14:09.",
		"We should add a canary stage to the payments deploy.",
		"Every service should have a documented rollback path.",
		"The failover could have a 30 second gap by design.",
		"The error rate rose to 12% and the error budget was spent.",
		"Sam's rollback restored service within four minutes.",
		"Lazy loading of the catalog hid the slow query.",
		"Nothing obviously wrong showed in the logs.",
		"Root-cause analysis is a separate document; this one lists the factors.",
		"There was no single root cause.",
		"If only one replica remains, the balancer sheds load.",
		"What made it hard to see the queue depth?",
		"The on-call engineer acknowledged the page in two minutes.",
	} {
		if fs := briefs(newLinter(t).Lint("d.md", []byte(s+"\n"), cfg), lang...); len(fs) > 0 {
			t.Errorf("%q: %v", s, fs)
		}
	}
}

func TestSuggestionAsksAboutTheSystem(t *testing.T) {
	fs := newLinter(t).Lint("retro.md", []byte("the on-call should have paged the database team\n"), DefaultConfig())
	if len(fs) != 1 {
		t.Fatalf("findings: %+v", fs)
	}
	var b strings.Builder
	if err := WriteText(&b, fs); err != nil {
		t.Fatal(err)
	}
	want := `retro.md:1:13: counterfactual.should-have: "should have paged" judges with hindsight: it describes a past that did not happen. Try: "What made it hard to know the database team was needed?"` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}

func TestDirectives(t *testing.T) {
	doc := `Obviously one.
<!-- debrief-disable-next-line hindsight -->
Obviously two.
Obviously three. <!-- debrief-disable-line -->
<!-- debrief-disable hindsight.obviously -- quoted from the chat -->
Obviously four. Sam's mistake.
<!-- debrief-enable hindsight.obviously -->
Obviously five.
`
	cfg := DefaultConfig()
	cfg.People = []string{"Sam"}
	got := briefs(newLinter(t).Lint("d.md", []byte(doc), cfg))
	want := []brief{{1, 1, "hindsight.obviously"}, {6, 17, "blame.agent"}, {8, 1, "hindsight.obviously"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestConfigLevelsAndAllow(t *testing.T) {
	src := "lint:\n  rules:\n    hindsight: off\n    rootcause.root-cause: error\n  allow:\n    - \"the root cause\"\n"
	cfg, err := ParseConfig(".debrief.yaml", []byte(src), KnownRule)
	if err != nil {
		t.Fatal(err)
	}
	doc := "Obviously, the root cause was DNS. The real cause was DNS.\n"
	got := newLinter(t).Lint("d.md", []byte(doc), cfg)
	if len(got) != 1 || got[0].Rule != "rootcause.root-cause" || got[0].Severity != SeverityError || got[0].Match != "The real cause" {
		t.Errorf("got %+v", got)
	}
}

func TestConfigErrorsPointAtTheLine(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"lint:\n  rules:\n    blame.nope: off\n", ".debrief.yaml:3:5: unknown rule \"blame.nope\""},
		{"lint:\n  rules:\n    blame: loud\n", ".debrief.yaml:3:12: blame: unknown level \"loud\""},
		{"lint:\n  horizon: soon\n", ".debrief.yaml:2:12: horizon: expected days"},
		{"lint:\n  colour: red\n", ".debrief.yaml:2:3: unknown setting \"colour\""},
		{"lint:\n  teams: {a: b}\n", ".debrief.yaml:2:10: teams: expected a list"},
		{"lint:\n  rules: [\n", ".debrief.yaml:2:1:"},
		{"- a\n- b\n", ".debrief.yaml:1:1: expected a mapping"},
	} {
		_, err := ParseConfig(".debrief.yaml", []byte(tc.src), KnownRule)
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestExplain(t *testing.T) {
	s, err := Explain("counterfactual.should-have")
	if err != nil || !strings.Contains(s, "Why:") || !strings.Contains(s, "flagged:") {
		t.Errorf("got %q, %v", s, err)
	}
	if _, err := Explain("nope"); err == nil {
		t.Error("unknown rule explained")
	}
	for _, r := range Rules() {
		if r.Summary == "" || r.Why == "" || r.Suggestion == "" {
			t.Errorf("%s lacks documentation", r.ID)
		}
	}
}

// TestAnchoredFindMatchesFullScan: trying starts only near anchor words
// finds exactly what trying every start finds.
func TestAnchoredFindMatchesFullScan(t *testing.T) {
	set := loadLabelled(t)
	l := newLinter(t)
	c := &matchCtx{people: map[string]bool{}, teams: map[string]bool{}}
	addPeople(c.people, set.People)
	for _, s := range set.Sentences {
		for _, sent := range sentences(s.Text, nil) {
			for _, r := range l.lang {
				for _, p := range r.pats {
					a1, b1, ok1 := p.find(c, sent.toks, 0)
					a2, b2, ok2 := p.findAll(c, sent.toks, 0)
					if a1 != a2 || b1 != b2 || ok1 != ok2 {
						t.Errorf("%q on %q: anchored %d,%d,%v; full %d,%d,%v", p.src, s.Text, a1, b1, ok1, a2, b2, ok2)
					}
				}
			}
		}
	}
}

var time0 = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

func TestParseDue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when not a date
	}{
		{"2026-04-15", "2026-04-15"}, {"2026/04/15", "2026-04-15"}, {"15 Apr 2026", "2026-04-15"},
		{"15th of April, 2026", "2026-04-15"}, {"April 15, 2026", "2026-04-15"}, {"Apr 15 2026", "2026-04-15"},
		{"04/15/2026", "2026-04-15"}, {"15/04/2026", "2026-04-15"}, {"Q2 2026", "2026-06-30"},
		{"2026-Q1", "2026-03-31"}, {"end of April 2026", "2026-04-30"}, {"April 15", "2026-04-15"},
		{"Jan 5", "2027-01-05"}, {"**2026-04-15**", "2026-04-15"},
		{"soon", ""}, {"next sprint", ""}, {"ASAP", ""}, {"TBD", ""}, {"31 April 2026", ""}, {"2026-13-01", ""},
	} {
		got, ok := parseDue(tc.in, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
		if tc.in == "April 15" || tc.in == "2026-Q1" {
			got, ok = parseDue(tc.in, time0)
		}
		s := ""
		if ok {
			s = got.Format("2006-01-02")
		}
		if s != tc.want {
			t.Errorf("parseDue(%q) = %q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestActionItemsFromLists(t *testing.T) {
	doc := `# Retro

Date: 2026-03-10

## Follow-ups

- [ ] Add an alert on replica lag > 30s for 5 minutes — owner: @priya, due 2026-04-01, P1, OPS-12
- [ ] Improve monitoring
- Add a runbook link to the DiskFull alert (@sam, @kim) due: next sprint P2 https://example.com/x/1
`
	got := briefs(newLinter(t).Lint("d.md", []byte(doc), DefaultConfig()), "action")
	want := []brief{
		{8, 3, "action.vague"}, {8, 3, "action.owner"}, {8, 3, "action.due"}, {8, 3, "action.priority"}, {8, 3, "action.tracking"},
		{9, 3, "action.owner"}, {9, 3, "action.due"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestActionCount(t *testing.T) {
	var b strings.Builder
	b.WriteString("Date: 2026-03-10\n\n## Action items\n\n| Action | Owner | Due | Priority | Ticket |\n|---|---|---|---|---|\n")
	for i := range 5 {
		fmt.Fprintf(&b, "| Add alert %d on queue depth > 1000 | @sam | 2026-04-01 | P1 | OPS-%d |\n", i, i)
	}
	got := briefs(newLinter(t).Lint("d.md", []byte(b.String()), DefaultConfig()), "action")
	if diff := cmp.Diff([]brief{{10, 59, "action.count"}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDocRules(t *testing.T) {
	got := briefs(newLinter(t).Lint("d.md", []byte("# Outage\n\n## Summary\n\nDisk full.\n\n## Root cause\n\nA log rotated badly.\n"), DefaultConfig()), "doc")
	want := []brief{{1, 1, "doc.went-well"}, {1, 1, "doc.timeline"}, {1, 1, "doc.actions"}, {7, 1, "doc.root-cause"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
