package lint

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// labelled is testdata/labelled.yaml: sentences and action items written
// for this test, each with the findings a careful reviewer expects.
type labelled struct {
	People    []string `yaml:"people"`
	Teams     []string `yaml:"teams"`
	Sentences []struct {
		Text string `yaml:"text"`
		Want string `yaml:"want"`
	} `yaml:"sentences"`
	Actions []struct {
		DocDate  string   `yaml:"doc_date"`
		Action   string   `yaml:"action"`
		Owner    string   `yaml:"owner"`
		Due      string   `yaml:"due"`
		Priority string   `yaml:"priority"`
		Tracking string   `yaml:"tracking"`
		Want     []string `yaml:"want"`
	} `yaml:"actions"`
}

func loadLabelled(t *testing.T) *labelled {
	t.Helper()
	src, err := os.ReadFile("testdata/labelled.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var l labelled
	if err := yaml.Unmarshal(src, &l); err != nil {
		t.Fatal(err)
	}
	return &l
}

var languageFamilies = []string{"blame", "counterfactual", "hindsight", "rootcause"}

// TestLanguageQuality scores the language rules on the labelled sentences:
// a sentence labelled blame, counterfactual, hindsight or rootcause must get
// a finding, a clean one must not. Precision and recall must both reach
// 0.9; the family of the first finding is reported too.
func TestLanguageQuality(t *testing.T) {
	set := loadLabelled(t)
	p, r := scoreLanguage(t, set, true)
	t.Logf("language: %d sentences; precision %.3f, recall %.3f", len(set.Sentences), p, r)
	if p < 0.9 || r < 0.9 {
		t.Errorf("precision %.3f, recall %.3f: both must be at least 0.9", p, r)
	}
}

// scoreLanguage lints each sentence of set on its own and returns precision
// and recall of "has a language finding" against "labelled other than
// clean", logging every miss and false alarm (and, with families, a
// finding of the wrong family).
func scoreLanguage(t *testing.T, set *labelled, families bool) (precision, recall float64) {
	t.Helper()
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.People, cfg.Teams = set.People, set.Teams
	var tp, fp, fn int
	for _, s := range set.Sentences {
		fs := l.Lint("s.md", []byte(s.Text+"\n"), cfg)
		var fams []string
		for _, f := range fs {
			if slices.Contains(languageFamilies, family(f.Rule)) {
				fams = append(fams, family(f.Rule))
			}
		}
		flagged, want := len(fams) > 0, s.Want != "clean"
		switch {
		case flagged && want:
			tp++
			if families && !slices.Contains(fams, s.Want) {
				t.Logf("family: %q: want %s, got %v", s.Text, s.Want, fams)
			}
		case flagged:
			fp++
			t.Logf("false alarm: %q: %s", s.Text, describe(fs))
		case want:
			fn++
			t.Logf("missed %s: %q", s.Want, s.Text)
		}
	}
	return ratio(tp, tp+fp), ratio(tp, tp+fn)
}

// TestActionQuality scores the action-item rules on the labelled items,
// each in a document of its own with its date.
func TestActionQuality(t *testing.T) {
	set := loadLabelled(t)
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.People, cfg.Teams = set.People, set.Teams
	var tp, fp, fn int
	for _, a := range set.Actions {
		doc := fmt.Sprintf("# Postmortem\n\nDate: %s\n\n## Action items\n\n| Action | Owner | Due | Priority | Tracking |\n| --- | --- | --- | --- | --- |\n| %s | %s | %s | %s | %s |\n",
			a.DocDate, cell(a.Action), cell(a.Owner), cell(a.Due), cell(a.Priority), cell(a.Tracking))
		var got []string
		for _, f := range l.Lint("a.md", []byte(doc), cfg) {
			if family(f.Rule) == "action" {
				got = append(got, f.Rule)
			}
		}
		for _, w := range a.Want {
			if slices.Contains(got, w) {
				tp++
			} else {
				fn++
				t.Logf("missed %s: %+v", w, a)
			}
		}
		for _, g := range got {
			if !slices.Contains(a.Want, g) {
				fp++
				t.Logf("false alarm %s: %+v", g, a)
			}
		}
	}
	p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
	t.Logf("actions: %d items; precision %.3f, recall %.3f (tp %d, fp %d, fn %d)", len(set.Actions), p, r, tp, fp, fn)
	if p < 0.9 || r < 0.9 {
		t.Errorf("precision %.3f, recall %.3f: both must be at least 0.9", p, r)
	}
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func describe(fs []Finding) string {
	var b []string
	for _, f := range fs {
		b = append(b, f.Rule+" "+fmt.Sprintf("%q", f.Match))
	}
	return strings.Join(b, ", ")
}

// TestHeldOut scores the language rules on a second set, written by
// another author in another style after the rules were: a check that they
// generalise, reported rather than enforced at the 0.9 bar (its misses are
// the next rules to write).
func TestHeldOut(t *testing.T) {
	src, err := os.ReadFile("testdata/heldout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var set labelled
	if err := yaml.Unmarshal(src, &set); err != nil {
		t.Fatal(err)
	}
	p, r := scoreLanguage(t, &set, false)
	t.Logf("held out: %d sentences; precision %.3f, recall %.3f", len(set.Sentences), p, r)
	if p < 0.8 || r < 0.8 {
		t.Errorf("precision %.3f, recall %.3f on the held-out set: below 0.8", p, r)
	}
}
