package journald

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCorpus parses every real journal, and checks that each export gives
// the same events as the JSON journalctl made of it: the Refs agree although
// the JSON's cursors carry another seqnum id.
func TestCorpus(t *testing.T) {
	for _, path := range ingesttest.CorpusFiles(t, "journald") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, notes, err := parseBytes(t, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no events; every corpus file holds some")
			}
			for _, ev := range got {
				if ev.Time.IsZero() || ev.Ref == "" || ev.Actor == "" || !utf8.ValidString(ev.Text) {
					t.Errorf("incomplete event %+v", ev)
				}
			}
			t.Logf("%d events, notes %q", len(got), notes)
			if !strings.HasSuffix(path, ".export") {
				return
			}
			jsonData, err := os.ReadFile(path + ".journalctl-o-json.jsonl")
			if err != nil {
				ingesttest.Absent(t, "the JSON twin of %s (%v)", path, err)
			}
			fromJSON, _, err := parseBytes(t, jsonData, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fromJSON, got, cmpopts.IgnoreFields(debrief.Event{}, "Identity")); diff != "" {
				t.Errorf("export and its JSON differ (-json +export):\n%s", diff)
			}
		})
	}
}

// TestCorpusStrayLines checks the decision on the two syslog lines pasted
// into a real export: left out with a note, not bad records.
func TestCorpusStrayLines(t *testing.T) {
	path := filepath.Join(ingesttest.CorpusDir(t, "journald"), "elastic__beats", "filebeat__input__journald__testdata__multiple-boots.export")
	data, err := os.ReadFile(path)
	if err != nil {
		ingesttest.Absent(t, "%v", err)
	}
	_, notes, err := parseBytes(t, data, func(err error) error {
		t.Errorf("bad record %v; want the stray lines tolerated", err)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "left out 2 lines") || !strings.Contains(notes[0], "line 29") {
		t.Errorf("notes %q; want one saying 2 lines were left out, first at line 29", notes)
	}
}

func TestSniff(t *testing.T) {
	testdata, _ := filepath.Glob("testdata/*")
	ingesttest.SniffAtLeast(t, Sniff, append(ingesttest.CorpusFiles(t, "journald"), testdata...), 90)
	ingesttest.SniffBelow(t, Sniff, ingesttest.CorpusFilesExcept(t, "journald"), 1)
}
