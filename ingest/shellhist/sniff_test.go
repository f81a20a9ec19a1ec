package shellhist

import (
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"os"
	"path"
	"testing"
)

func TestSniffSamples(t *testing.T) {
	tests := []struct {
		file, format string
		score        int
	}{
		{"alice.zsh_history", "zsh", scoreFirst},
		{"bob.bash_history", "bash", scoreFirst - 5},
		{"carol.fish_history", "fish", scoreFirst},
		{"plain/erin.bash_history", "bash", scorePlain},
		{"plain/.zsh_history", "zsh", scorePlainZ},
	}
	for _, tt := range tests {
		head := mustRead(t, path.Join("testdata", tt.file))
		for _, f := range Formats() {
			got := f.Sniff(head, path.Base(tt.file))
			switch {
			case f.Name == tt.format && got != tt.score:
				t.Errorf("%s: %s scores %d, want %d", tt.file, f.Name, got, tt.score)
			case f.Name != tt.format && got >= tt.score:
				t.Errorf("%s: %s scores %d, at least the %d of %s", tt.file, f.Name, got, tt.score, tt.format)
			}
		}
	}
}

// TestSniffPlain checks the content rules for plain commands in a file whose
// name does not say history: commands are claimed (to be refused with
// advice), notes and prose are not.
func TestSniffPlain(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"cd ~/src/search\ngit pull\nmake test\nkubectl -n search get pods\n", scorePlain},
		{"Checkout was down from 14:02 to 14:40.\nAlice rolled back the deploy.\n", 0},
		{"# Notes\n\n- rolled back checkout\n- paged payments\n", 0},
		{"the checkout service ran out of database connections after the\n" +
			"deploy at two, and the team rolled it back within the hour\nso it was fine\n", 0},
		{"time,actor,text\n2024-03-12T14:00:00Z,alice,rolled back\n", 0},
		{"__CURSOR=s=f43\n__REALTIME_TIMESTAMP=1758137056706827\nMESSAGE=hello\n", 0},
		{"{\"receiver\": \"pager\"}\n", 0},
		{"alpha\nbeta\ngamma\ndelta\n", 0},
	}
	for _, tt := range tests {
		if got := sniffBash([]byte(tt.text), "notes.txt"); got != tt.want {
			t.Errorf("sniffBash(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// TestSniffOthers checks that no other format's real samples are claimed.
func TestSniffOthers(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		ingesttest.Absent(t, "corpus %s (%v)", corpusDir, err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "shell_history" {
			continue
		}
		for _, file := range corpus(t, e.Name()) {
			head := mustRead(t, file)
			if len(head) > sniffSize {
				head = head[:sniffSize]
			}
			for _, f := range Formats() {
				if got := f.Sniff(head, path.Base(file)); got != 0 {
					t.Errorf("%s claims %s with %d", f.Name, file, got)
				}
			}
		}
	}
}
