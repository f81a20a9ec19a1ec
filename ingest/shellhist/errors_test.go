package shellhist

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/google/go-cmp/cmp"
)

// TestBadRecords checks that each bad record stops the parse with an input
// error at its line, and that with a Bad hook that skips, the good records
// around it still come out.
func TestBadRecords(t *testing.T) {
	tests := []struct {
		name, format, text string
		line               int
		msg                string
		skipped            []string // texts of the events when skipping
		bad                int      // bad records when skipping
	}{
		{"zsh malformed", "zsh",
			": 1710251830:0;kubectl -n checkout get pods\n: 17102x:0;pwd\n: 1710251900:0;git status\n",
			2, `expected an entry like ": 1700000000:0;command"`,
			[]string{"kubectl -n checkout get pods", "git status"}, 1},
		{"zsh after 2200", "zsh",
			": 1710251830:0;ls\n: 99999999999:0;pwd\n: 1710251900:0;git status\n",
			2, "after 2200", []string{"ls", "git status"}, 1},
		{"zsh time 0", "zsh",
			": 1710251830:0;ls\n: 0:0;pwd\n", 2, "time 0 means no time", []string{"ls"}, 1},
		{"zsh stray line", "zsh",
			": 1710251830:0;ls\nrm -rf /tmp/cache\n: 1710251900:0;git status\n",
			2, "or a line continuing a command", []string{"ls", "git status"}, 1},
		{"zsh bad entry with continuation", "zsh",
			": 17x:0;kubectl -n checkout rollout undo \\\\\n  deploy/checkout\n: 1710251900:0;git status\n",
			1, "expected an entry", []string{"git status"}, 1},
		{"bash after 2200", "bash",
			"#1710252100\nls\n#99999999999\npwd\n#1710252200\ngit status\n",
			3, "after 2200", []string{"ls", "git status"}, 1},
		{"bash malformed timestamp", "bash",
			"#1710252100\nls\n#17102x\npwd\n#1710252200\ngit status\n",
			3, `expected a timestamp line like "#1700000000"`, []string{"ls", "git status"}, 1},
		{"bash timestamp without command", "bash",
			"#1710252100\n#1710252101\nls\n", 1, "found another timestamp", []string{"ls"}, 1},
		{"bash truncated", "bash",
			"#1710252100\nls\n#1710252200\n", 3, "truncated", []string{"ls"}, 1},
		{"fish corrupt entry", "fish",
			"- cmd: ls\n  when: 1710252050\nERROR\n- CORRUPTED: ENTRY\n  CONTINUE:\n- cmd: pwd\n  when: 1710252060\n",
			3, `expected an entry starting with "- cmd: "`, []string{"ls", "pwd"}, 2},
		{"fish missing when", "fish",
			"- cmd: ls\n- cmd: pwd\n  when: 1710252060\n", 1, `expected "  when: <seconds since 1970>"`, []string{"pwd"}, 1},
		{"fish bad when", "fish",
			"- cmd: ls\n  when: soon\n- cmd: pwd\n  when: 1710252060\n", 2, `found "soon"`, []string{"pwd"}, 1},
		{"fish after 2200", "fish",
			"- cmd: echo before\n  when: 1639162832\n- cmd: echo corrupt\n  when: 999999999999999\n",
			4, "after 2200", []string{"echo before"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := format(t, tt.format)
			stopped := parseText(t, f, "sam.history", tt.text, false)
			ie := inputError(t, stopped.err)
			if ie.Line != tt.line || ie.File != "sam.history" || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("error %q at line %d, want line %d containing %q", ie.Error(), ie.Line, tt.line, tt.msg)
			}
			skipped := parseText(t, f, "sam.history", tt.text, true)
			if skipped.err != nil {
				t.Fatalf("with a skipping Bad hook: %v", skipped.err)
			}
			if want := tt.bad; len(skipped.bad) != want {
				t.Errorf("%d bad records, want %d: %v", len(skipped.bad), want, skipped.bad)
			}
			var texts []string
			for _, e := range skipped.events {
				texts = append(texts, e.Text)
			}
			if diff := cmp.Diff(tt.skipped, texts); diff != "" {
				t.Errorf("events when skipping (-want +got):\n%s", diff)
			}
		})
	}
}

// TestZshEdges checks zsh's own escapes: the space it adds after a final
// backslash, a file cut inside a continuation, and metafied bytes.
func TestZshEdges(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"final backslash", ": 1710251830:0;echo C:\\ \n", `echo C:\`},
		{"final backslash and spaces", ": 1710251830:0;echo C:\\   \n", `echo C:\  `},
		{"cut in a continuation", ": 1710251830:0;kubectl get pods \\\\\n", "kubectl get pods \\\\"},
		{"metafied arrow", ": 1710251830:0;echo 50 \xe2\x83\xa6\x83\xb2 20\n", "echo 50 → 20"},
		{"metafied NUL", ": 1710251830:0;printf 'a\x83\x20b'\n", "printf 'a\x00b'"},
		{"invalid UTF-8", ": 1710251830:0;echo \xff\n", "echo \uFFFD"},
		{"CRLF", ": 1710251830:0;ls\r\n", "ls"},
		{"semicolon and colon in command", ": 1710251830:5;a=1; echo \"$a: done\"\n", "a=1; echo \"$a: done\""},
		{"negative elapsed", ": 1710251830:-3;ls\n", "ls"},
	}
	for _, tt := range tests {
		res := parseText(t, format(t, "zsh"), "alice.zsh_history", tt.text, false)
		if res.err != nil || len(res.events) != 1 {
			t.Fatalf("%s: %v, %d events", tt.name, res.err, len(res.events))
		}
		if got := res.events[0].Text; got != tt.want {
			t.Errorf("%s: Text %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPartlyTimestamped checks that commands written before timestamps were
// turned on are left out with a note, in zsh as in bash.
func TestPartlyTimestamped(t *testing.T) {
	tests := []struct{ format, text, want, note string }{
		{"zsh", "ls\ncd ~/src/checkout \\\n  && make\n: 1710251830:0;git status\n", "git status",
			"left out 2 commands without a timestamp, the first at line 1 (written before EXTENDED_HISTORY was set)"},
		// A file that starts untimed has one command a line, as bash reads it.
		{"bash", "git reset\n#1710251830\ngit clean -dxf\ncd ../\n", "git clean -dxf",
			"left out 2 commands without a timestamp, the first at line 1 (written before HISTTIMEFORMAT was set)"},
	}
	for _, tt := range tests {
		res := parseText(t, format(t, tt.format), "alice.history", tt.text, false)
		if res.err != nil || len(res.events) != 1 {
			t.Fatalf("%s: %v, %d events", tt.format, res.err, len(res.events))
		}
		if res.events[0].Text != tt.want {
			t.Errorf("%s: Text %q, want %q", tt.format, res.events[0].Text, tt.want)
		}
		if diff := cmp.Diff([]string{"alice.history: " + tt.note}, res.notes); diff != "" {
			t.Errorf("%s: notes (-want +got):\n%s", tt.format, diff)
		}
	}
}

// TestEmptyHistory checks that an empty file is no error: a new shell's
// history has nothing in it yet.
func TestEmptyHistory(t *testing.T) {
	for _, f := range Formats() {
		res := parseText(t, f, "sam.history", "", false)
		if res.err != nil || len(res.events) != 0 {
			t.Errorf("%s: %v, %d events", f.Name, res.err, len(res.events))
		}
	}
}

// TestEmitError checks that an error from the receiver stops the parse and
// comes back unchanged, and that a cancelled context stops it too.
func TestEmitError(t *testing.T) {
	var text strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&text, ": %d:0;kubectl -n checkout get pods\n", 1710251830+i)
	}
	stop := errors.New("timeline full")
	f := format(t, "zsh")
	in := &ingest.Input{FS: fstest.MapFS{"a": {Data: []byte(text.String())}}, Path: "a", Name: "a", Zone: time.UTC}
	n := 0
	err := f.Parser.Parse(context.Background(), in, func(*debrief.Event) error {
		n++
		if n == 300 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 300 {
		t.Errorf("error %v after %d events, want %v after 300", err, n, stop)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = f.Parser.Parse(ctx, in, func(*debrief.Event) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}

// TestBashEdges checks bash histories' small variations.
func TestBashEdges(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"invalid UTF-8 in a multi-line command", "#1710252100\necho \xff \\\n  done\n", "echo \uFFFD \\\n  done"},
		{"CRLF", "#1710252100\r\nls -la\r\n", "ls -la"},
		{"spaces after the timestamp", "#1710252100  \nls\n", "ls"},
		{"blank lines", "\n#1710252100\n\nls\n\n", "ls"},
		{"comment command", "#1710252100\n# retry after the rollback\n", "# retry after the rollback"},
	}
	for _, tt := range tests {
		res := parseText(t, format(t, "bash"), "bob.bash_history", tt.text, false)
		if res.err != nil || len(res.events) != 1 {
			t.Fatalf("%s: %v, %d events", tt.name, res.err, len(res.events))
		}
		if got := res.events[0].Text; got != tt.want {
			t.Errorf("%s: Text %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFishEdges checks what fish itself tolerates: YAML framing, the
// doubled "- cmd:" and stray "when" entries fish 1.x wrote, unknown keys.
func TestFishEdges(t *testing.T) {
	text := "---\n- cmd: - cmd: kubectl -n payments get pods\n  when: 1710252050\n" +
		"- cmd:    when: 1710252051\n  when: 1710252051\n" +
		"- cmd: psql -c 'select 1'\n  when: 1710252060\n  paths:\n    - ~/q.sql\n  tty: /dev/pts/3\n...\n"
	res := parseText(t, format(t, "fish"), "carol.fish_history", text, false)
	if res.err != nil {
		t.Fatal(res.err)
	}
	var got []string
	for _, e := range res.events {
		got = append(got, e.Text)
	}
	want := []string{"kubectl -n payments get pods", "psql -c 'select 1'"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}
