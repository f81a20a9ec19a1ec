package shellhist

import (
	"os"
	"path"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to every history format and its sniffer:
// none may panic, and every event must have a time and valid UTF-8 text.
func FuzzParse(f *testing.F) {
	for _, file := range []string{"alice.zsh_history", "bob.bash_history", "carol.fish_history",
		"plain/erin.bash_history", "plain/.zsh_history"} {
		f.Add(mustRead(f, path.Join("testdata", file)))
	}
	if files, err := os.ReadDir(path.Join(corpusDir, "shell_history")); err == nil {
		for _, d := range files {
			sub := path.Join(corpusDir, "shell_history", d.Name())
			entries, _ := os.ReadDir(sub)
			for _, e := range entries {
				f.Add(mustRead(f, path.Join(sub, e.Name())))
			}
		}
	}
	f.Add([]byte(": 1710251830:0;echo \x83"))
	f.Add([]byte("#1710252100\n#\n#9\n- cmd: x\n  when: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range Formats() {
			format.Sniff(data, "sam.history")
			res := parseText(t, format, "sam.history", string(data), true)
			for _, e := range res.events {
				if e.Time.IsZero() || e.Time.Unix() <= 0 || e.Time.Unix() > maxEpoch {
					t.Fatalf("%s: event time %v", format.Name, e.Time)
				}
				if !utf8.ValidString(e.Text) {
					t.Fatalf("%s: invalid UTF-8 text %q", format.Name, e.Text)
				}
			}
		}
	})
}
