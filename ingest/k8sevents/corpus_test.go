package k8sevents

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
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

func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "k8s_events") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseBytes(t, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no events; every corpus file holds some")
			}
			for _, ev := range got {
				if ev.Time.IsZero() || ev.Ref == "" || ev.Text == "" || !utf8.ValidString(ev.Text) {
					t.Errorf("incomplete event %+v", ev)
				}
			}
			t.Logf("%d events, first: %s %s", len(got), got[0].Time.Format("2006-01-02T15:04:05.999999Z"), got[0].Text)
		})
	}
}

func TestCorpusSupportBundleEventTime(t *testing.T) {
	var path string
	for _, p := range corpusFiles(t, "k8s_events") {
		if strings.Contains(p, "support-bundle") {
			path = p
		}
	}
	if path == "" {
		t.Skip("SKIPPING: the support bundle sample is not in the corpus")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first event has null firstTimestamp and lastTimestamp and only an eventTime.
	if want := at("2022-12-21T16:43:07.860897Z"); !got[0].Time.Equal(want) || got[0].Actor != "default-scheduler" {
		t.Errorf("first event at %s by %q; want %s by default-scheduler", got[0].Time, got[0].Actor, want)
	}
}

func TestSniff(t *testing.T) {
	mine := corpusFiles(t, "k8s_events")
	testdata, _ := filepath.Glob("testdata/*.json")
	least := 100
	for _, path := range append(mine, testdata...) {
		if strings.Contains(path, "bad-") {
			continue
		}
		if got := Sniff(head(t, path), filepath.Base(path)); got < 75 {
			t.Errorf("Sniff(%s) = %d; want at least 75", path, got)
		} else {
			least = min(least, got)
		}
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "k8s_events" {
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
	n, err := f.Read(buf)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return buf[:n]
}
