package journald

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// corpusDir holds real third-party samples shared by every parser's tests.
const corpusDir = "../../../shared/corpus"

// corpusFiles lists the files under corpusDir/category, skipping the test
// loudly when the corpus is not there.
func corpusFiles(t testing.TB, category string) []string {
	t.Helper()
	root := filepath.Join(corpusDir, category)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIPPING: corpus %s not found (%v); the real-world samples are not checked", root, err)
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCorpus parses every real journal, and checks that each export gives
// the same events as the JSON journalctl made of it: the Refs agree although
// the JSON's cursors carry another seqnum id.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "journald") {
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
				t.Skipf("no JSON twin: %v", err)
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
	path := filepath.Join(corpusDir, "journald", "elastic__beats", "filebeat__input__journald__testdata__multiple-boots.export")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("SKIPPING: %v", err)
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
	least := 100
	testdata, _ := filepath.Glob("testdata/*")
	for _, path := range append(corpusFiles(t, "journald"), testdata...) {
		got := Sniff(head(t, path), filepath.Base(path))
		if got < 90 {
			t.Errorf("Sniff(%s) = %d; want at least 90", path, got)
		}
		least = min(least, got)
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "journald" {
			continue
		}
		for _, path := range corpusFiles(t, e.Name()) {
			if got := Sniff(head(t, path), filepath.Base(path)); got >= least || got > 0 {
				t.Errorf("Sniff(%s) = %d; want 0 for another format", path, got)
			}
		}
	}
}

// head returns the first 64 KiB of a file, as the registry passes to Sniff.
func head(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return buf[:n]
}
