package lint

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLint: any bytes are a document; linting never panics, and every
// finding points inside the document.
func FuzzLint(f *testing.F) {
	for _, s := range []string{
		"# Retro\n\nObviously Sam should have paged the DB team.\n",
		"| Action | Owner | Due |\n|---|---|---|\n| Improve monitoring | SRE team | soon |\n",
		"---\ndate: 2026-03-10\n---\n## Action items\n- [ ] Add alert @sam due 2026-04-01 P1 OPS-1\n",
		"> quoted\n\n```\ncode\n```\n\n<!-- debrief-disable -->\n* a\n  * b\n\n1. c\n",
		"Why did it fail? Because Kim forgot.\n\n|a|\n|-|\n||\n",
		"\xff\xfe\x00 `unterminated\n\n[link](http://x 'y') **bold _mixed*",
	} {
		f.Add([]byte(s))
	}
	l, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		lines := strings.Count(string(doc), "\n") + 1
		for _, fd := range l.Lint("f.md", doc, DefaultConfig()) {
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 {
				t.Fatalf("finding outside the document: %+v", fd)
			}
			if !utf8.ValidString(fd.Rule) || fd.Message == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}

// FuzzConfig: any bytes are a config or a ConfigError, never a panic.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		"lint:\n  rules:\n    blame: error\n    hindsight.simply: off\n  horizon: 60d\n  teams: [SRE team]\n",
		"rules: {action: warning}\nallow: [\"root cause analysis\"]\nmax_top_priority: 2\n",
		"lint: [\n", "- a\n", "lint:\n  rules:\n    blame: {level: info}\n", "horizon: 12w\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := ParseConfig(".debrief.yaml", src, KnownRule)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
	})
}

// FuzzDue: any due-date text parses to a date or to nothing.
func FuzzDue(f *testing.F) {
	for _, s := range []string{"2026-04-15", "15 Apr 2026", "April 15, 2026", "04/15/2026", "Q2 2026", "soon", "31 Feb 2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseDue(s, time0)
	})
}
