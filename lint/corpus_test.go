package lint

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestCorpus lints every real postmortem in ../shared/corpus: none may
// break the linter, every finding must point inside its file, and the
// findings per 1,000 words are reported (the README quotes them; run with
// -v). DEBRIEF_LINT_DUMP=1 prints every language finding with its
// sentence, for reviewing by hand.
func TestCorpus(t *testing.T) {
	files := ingesttest.CorpusFiles(t, "postmortems")
	if len(files) < 100 {
		t.Fatalf("%d postmortems in the corpus, want the 116", len(files))
	}
	l := newLinter(t)
	words := 0
	perRule := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fs := l.Lint(path, src, DefaultConfig())
		lines := strings.Count(string(src), "\n") + 1
		for _, f := range fs {
			if f.Line < 1 || f.Line > lines || f.Column < 1 {
				t.Errorf("%s: finding outside the file: %+v", path, f)
			}
			perRule[f.Rule]++
			if os.Getenv("DEBRIEF_LINT_DUMP") != "" && contains(lang, family(f.Rule)) {
				fmt.Printf("%s:%d:%d %s %q\n", path, f.Line, f.Column, f.Rule, f.Match)
			}
		}
		md := newMarkdown()
		words += md.Parse(path, src).Words
	}
	var ids []string
	for id := range perRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var langTotal int
	for _, id := range ids {
		if contains(lang, family(id)) {
			langTotal += perRule[id]
		}
		t.Logf("%-28s %5d  %5.2f per 1,000 words", id, perRule[id], float64(perRule[id])*1000/float64(words))
	}
	t.Logf("%d documents, %d words; language findings %.2f per 1,000 words", len(files), words, float64(langTotal)*1000/float64(words))
}
