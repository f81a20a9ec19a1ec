package shellhist

import (
	"os"
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief/ingest"
)

// corpusWant is what each real-world history (matched by the end of its
// name) must give. The refused ones have no timestamp at all and
// legitimately give no events, only the error that says how to record them.
var corpusWant = []struct {
	suffix  string
	format  string
	events  int
	bad     int  // bad records skipped
	refused bool // no timestamps at all: refused with advice
	noted   bool // partly timestamped: a note about the untimed commands
}{
	{suffix: "case_no_timestamps.bash_history", format: "bash", refused: true},
	// "git reset", then "#epoch", "git clean -dxf", "cd ../": one timed command.
	{suffix: "case_partial_timestamps.bash_history", format: "bash", events: 1, noted: true},
	{suffix: "parse_with_timestamps.bash_history", format: "bash", events: 3},
	// Two corrupt entries: an "ERROR" line and "- CORRUPTED: ENTRY".
	{suffix: "parse_complex.fish_history", format: "fish", events: 8, bad: 2},
	{suffix: "parse_out_of_range_timestamp.fish_history", format: "fish", events: 2, bad: 1},
	{suffix: "test_parse_file.zsh_history", format: "zsh", events: 3},
	{suffix: ".bash_history_CZ", format: "bash", refused: true},
	{suffix: ".bash_history_bug_176", format: "bash", events: 27},
	{suffix: ".bash_history_bug_228", format: "bash", refused: true},
	{suffix: ".bash_history_bug_66_GERMAN", format: "bash", refused: true},
	{suffix: "zsh_extended_history.txt", format: "zsh", events: 4},
}

func TestCorpus(t *testing.T) {
	files := corpus(t, "shell_history")
	if len(files) != len(corpusWant) {
		t.Errorf("%d corpus files, want %d: update corpusWant", len(files), len(corpusWant))
	}
	for _, file := range files {
		t.Run(path.Base(file), func(t *testing.T) {
			want := corpusWant[corpusIndex(t, file)]
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f := best(data, path.Base(file))
			if f.Name != want.format {
				t.Fatalf("sniffed as %q, want %q", f.Name, want.format)
			}
			res := parseWith(t, f, os.DirFS(path.Dir(file)), path.Base(file), true)
			checkCorpus(t, res, want.events, want.bad, want.refused, want.noted)
		})
	}
}

func checkCorpus(t *testing.T, res result, events, bad int, refused, noted bool) {
	t.Helper()
	if refused {
		ie := inputError(t, res.err)
		if !strings.Contains(ie.Msg, "HISTTIMEFORMAT") {
			t.Errorf("refusal %q does not say how to record timestamps", ie.Msg)
		}
		return
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.events) != events || len(res.bad) != bad || (len(res.notes) > 0) != noted {
		t.Errorf("%d events, %d bad, notes %q; want %d events, %d bad, noted %v",
			len(res.events), len(res.bad), res.notes, events, bad, noted)
	}
	for _, e := range res.events {
		if e.Time.IsZero() || !utf8.ValidString(e.Text) || e.Ref == "" {
			t.Errorf("bad event %+v", e)
		}
	}
}

func corpusIndex(t *testing.T, file string) int {
	for i, w := range corpusWant {
		if strings.HasSuffix(file, w.suffix) {
			return i
		}
	}
	t.Fatalf("no expectation for %s: add it to corpusWant", file)
	return 0
}

// best returns the package's format most sure of the file, as the registry
// picks it.
func best(head []byte, name string) ingest.Format {
	if len(head) > sniffSize {
		head = head[:sniffSize]
	}
	var top ingest.Format
	score := 0
	for _, f := range Formats() {
		if s := f.Sniff(head, name); s > score {
			top, score = f, s
		}
	}
	return top
}

// TestCorpusTexts checks commands of the real samples to the byte: zsh
// continuations, UTF-8 passed through, fish escapes.
func TestCorpusTexts(t *testing.T) {
	files := corpus(t, "shell_history")
	want := map[string][]string{
		"zsh_extended_history.txt": {"cd plaso", "ls", "echo dfgdfg \\\n& touch /tmp/afile",
			"PYTHONPATH=. ./runtests.py"},
		"test_parse_file.zsh_history": {"cargo install atuin", "cargo install atuin; \\\ncargo update",
			"cargo :b̷i̶t̴r̵o̴t̴ ̵i̷s̴ ̷r̶e̵a̸l̷"},
		"parse_complex.fish_history": {"history --help", "cat ~/.bash_history",
			"ls ~/.local/share/fish/fish_history", "cat ~/.local/share/fish/fish_history",
			"echo \"foo\" \\\n'bar' baz", "cat ~/.local/share/fish/fish_history",
			`echo "\"" \\ "\\"`, "cat ~/.local/share/fish/fish_history"},
	}
	for _, file := range files {
		texts, ok := wantFor(want, file)
		if !ok {
			continue
		}
		res := parseWith(t, best(mustRead(t, file), path.Base(file)), os.DirFS(path.Dir(file)), path.Base(file), true)
		var got []string
		for _, e := range res.events {
			got = append(got, e.Text)
		}
		if strings.Join(got, "\x00") != strings.Join(texts, "\x00") {
			t.Errorf("%s: texts\n%q\nwant\n%q", path.Base(file), got, texts)
		}
	}
}

func wantFor(want map[string][]string, file string) ([]string, bool) {
	for suffix, texts := range want {
		if strings.HasSuffix(file, suffix) {
			return texts, true
		}
	}
	return nil, false
}

func mustRead(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
