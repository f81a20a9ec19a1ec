package detect

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// wantFormat maps a corpus category to the formats its files may be detected
// as (shell_history holds all three shells).
var wantFormat = map[string][]string{
	"slack":         {"slack"},
	"mattermost":    {"mattermost"},
	"alertmanager":  {"alertmanager"},
	"grafana":       {"grafana"},
	"pagerduty":     {"pagerduty"},
	"opsgenie":      {"opsgenie"},
	"k8s_events":    {"k8s"},
	"journald":      {"journald"},
	"shell_history": {"zsh", "bash", "fish"},
}

// Every real sample is detected as its own format from content alone.
func TestCorpusDetectedByContent(t *testing.T) {
	dir := ingesttest.CorpusDir(t, "")
	reg := New(All())
	for cat, want := range wantFormat {
		files, _ := filepath.Glob(filepath.Join(dir, cat, "*", "*"))
		if len(files) == 0 {
			t.Errorf("%s: no corpus files", cat)
		}
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() {
				continue
			}
			if cat == "slack" {
				continue // day files alone are covered below with the whole export
			}
			found, err := reg.Resolve([]string{f})
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			got := found.Jobs[0].Format.Name
			if !contains(want, got) {
				t.Errorf("%s detected as %s, want %v", filepath.Base(f), got, want)
			}
			found.Close()
		}
	}
	for _, exp := range []string{"tests__testarchive.zip", "tests__testarchive.zip.unpacked"} {
		found, err := reg.Resolve([]string{filepath.Join(dir, "slack", "hfaran__slack-export-viewer", exp)})
		if err != nil {
			t.Fatalf("%s: %v", exp, err)
		}
		if len(found.Jobs) != 1 || found.Jobs[0].Format.Name != "slack" {
			t.Errorf("%s: jobs %v, want one slack export", exp, names(found.Jobs))
		}
		found.Close()
	}
}

// The whole corpus, given as one folder, parses with no error and gives
// events from every category.
func TestCorpusFolderParses(t *testing.T) {
	dir := ingesttest.CorpusDir(t, "")
	reg := New(All())
	for cat := range wantFormat {
		if cat == "shell_history" {
			continue // holds histories without timestamps, refused on purpose
		}
		found, err := reg.Resolve([]string{filepath.Join(dir, cat)})
		if err != nil {
			t.Fatalf("%s: %v", cat, err)
		}
		var mu sync.Mutex
		n := 0
		_, err = Run(context.Background(), found.Jobs, RunOptions{}, func(ev *debrief.Event) error {
			mu.Lock()
			n++
			mu.Unlock()
			return nil
		})
		found.Close()
		if err != nil {
			t.Errorf("%s: %v", cat, err)
		}
		if n == 0 {
			t.Errorf("%s: no events", cat)
		}
	}
}

func TestUndetectableFileIsAnInputError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	os.WriteFile(p, []byte("just some notes from the meeting\nnothing structured\n"), 0o644)
	_, err := New(All()).Resolve([]string{p})
	var ie *debrief.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "cannot tell what this file is") {
		t.Fatalf("err = %v, want an input error saying the format is unknown", err)
	}
	_, err = New(All()).Resolve([]string{filepath.Join(dir, "missing.json")})
	if !errors.As(err, &ie) {
		t.Fatalf("missing file: err = %v, want an input error", err)
	}
}

func TestForcedFormat(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "history.txt")
	os.WriteFile(p, []byte(": 1748872800:0;kubectl get pods\n"), 0o644)
	found, err := New(All()).Resolve([]string{"zsh:" + p})
	if err != nil {
		t.Fatal(err)
	}
	if got := found.Jobs[0].Format.Name; got != "zsh" {
		t.Errorf("format = %s, want zsh", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func names(jobs []Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.Format.Name+":"+j.Input.Name)
	}
	return out
}

// TestLongFirstRecord: a JSON lines file whose first record is longer than
// the sniffed head (an alert with a stack trace in its description) is
// still detected by its content, gzipped or not.
func TestLongFirstRecord(t *testing.T) {
	long := strings.Repeat("at com.acme.search.Query.run(Query.java:42) ", 3000) // ~130 KB
	alert := `{"receiver":"sre","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"SearchDown","severity":"critical"},` +
		`"annotations":{"description":"` + long + `"},"startsAt":"2025-06-02T14:03:07Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"a1"}],` +
		`"groupLabels":{},"commonLabels":{"alertname":"SearchDown"},"commonAnnotations":{},"externalURL":"http://am","version":"4","groupKey":"{}"}`
	generic := `{"time":"2025-06-02T14:03:07Z","actor":"sam","text":"` + long + `"}`
	journal := `{"__REALTIME_TIMESTAMP":"1748873000000000","__CURSOR":"s=1;i=1","_HOSTNAME":"search-1","SYSLOG_IDENTIFIER":"searchd","MESSAGE":"` + long + `"}`
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"alerts.jsonl", "alertmanager", []byte(alert + "\n" + alert + "\n")},
		{"one-record.jsonl", "alertmanager", []byte(alert)},
		{"alerts.jsonl.gz", "alertmanager", gzipped(t, []byte(alert+"\n"))},
		{"chat.jsonl", "jsonl", []byte(generic + "\n" + generic + "\n")},
		{"searchd.json", "journald", []byte(journal + "\n" + journal + "\n")},
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		found, err := New(All()).Resolve([]string{p})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := found.Jobs[0].Format.Name; got != c.want {
			t.Errorf("%s: format = %s, want %s", c.name, got, c.want)
		}
		found.Close()
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
