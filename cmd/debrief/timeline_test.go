package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = "../../examples/search-latency"

// secrets planted in the sample incident (see its README); none may reach
// any output.
var secrets = []string{
	"AKIA2BDZ6FN55TEQPOOC", "DB+HIbpBSc351cQ10kgUZxyq2C/M1i3udnbgl2Jc", "r0-Kq7vT9xWb2LmN",
	"ghp_EmCDRxE5Tk84mWJA1lq6AURBFTrWyQd1PTEE", "S3cr3tPass",
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

type timelineJSON struct {
	Window  struct{ From, To time.Time }
	Metrics struct {
		FirstSignalAt  time.Time `json:"first_signal_at"`
		DetectedAt     time.Time `json:"detected_at"`
		AcknowledgedAt time.Time `json:"acknowledged_at"`
		MitigatedAt    time.Time `json:"mitigated_at"`
		ResolvedAt     time.Time `json:"resolved_at"`
		TimeToDetect   int64     `json:"time_to_detect_s"`
	}
	Participants []struct {
		Name        string   `json:"name"`
		DisplayName string   `json:"display_name"`
		Sources     []string `json:"sources"`
	}
	Stalls []struct {
		From, To time.Time
		Seconds  int64
	}
	Redactions int
	Events     []struct {
		ID, Source, Kind, Actor, Channel, Text, Ref string
		Time                                        time.Time
		Moments                                     []string
		Why                                         map[string]string
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The bundled sample's README states what Debrief must find; this holds the
// whole pipeline (detection, every parser, people, window, moments, metrics,
// stalls, redaction) to it.
func TestSampleIncident(t *testing.T) {
	code, out, errOut := run(t, "timeline", "--format", "json", sample)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var tl timelineJSON
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	m := tl.Metrics
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{
		{"first_signal_at", m.FirstSignalAt, ts("2025-06-02T13:54:02.318274Z")},
		{"detected_at", m.DetectedAt, ts("2025-06-02T14:03:07.12Z")},
		{"acknowledged_at", m.AcknowledgedAt, ts("2025-06-02T14:06:41.207Z")},
		{"mitigated_at", m.MitigatedAt, ts("2025-06-02T14:26:40Z")},
		{"resolved_at", m.ResolvedAt, ts("2025-06-02T15:16:38.604Z")},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if m.TimeToDetect != 544 {
		t.Errorf("time_to_detect_s = %d, want 544", m.TimeToDetect)
	}
	if len(tl.Stalls) != 1 || !tl.Stalls[0].From.Equal(ts("2025-06-02T14:54:58.090417Z")) ||
		!tl.Stalls[0].To.Equal(ts("2025-06-02T15:13:10.337902Z")) {
		t.Errorf("stalls = %+v, want one from 14:54:58.090417 to 15:13:10.337902", tl.Stalls)
	}
	if tl.Redactions != 5 {
		t.Errorf("redactions = %d, want 5", tl.Redactions)
	}
	wantPeople := map[string][]string{"sam": {"slack", "zsh", "pagerduty"}, "alice": {"slack", "bash"},
		"kim": {"slack", "pagerduty"}, "zoe": {"slack"}, "marta": {"slack"}}
	if len(tl.Participants) != len(wantPeople) {
		t.Errorf("participants = %+v, want %v", tl.Participants, wantPeople)
	}
	for _, p := range tl.Participants {
		if want, ok := wantPeople[p.Name]; !ok || !sameSet(want, p.Sources) {
			t.Errorf("participant %s from %v, want %v", p.Name, p.Sources, want)
		}
	}
	flagged := map[string][]string{}
	for _, ev := range tl.Events {
		for _, mo := range ev.Moments {
			flagged[mo] = append(flagged[mo], ev.Time.Format("15:04:05"))
			if ev.Why[mo] == "" {
				t.Errorf("moment %s at %s has no why", mo, ev.Time)
			}
		}
	}
	for mo, times := range map[string][]string{
		"detection":      {"14:03:07"},
		"missing_signal": {"13:54:02"},
		"hypothesis":     {"14:11:05", "14:12:20"},
		"decision":       {"14:24:38", "14:25:10", "14:50:20"},
		"confusion":      {"14:14:25", "14:15:50"},
		"escalation":     {"14:19:12", "14:19:40", "14:23:05"},
		"mitigation":     {"14:26:40", "14:34:10", "14:40:12"},
		"resolution":     {"15:14:22", "15:16:07", "15:16:38"},
	} {
		for _, want := range times {
			if !contains(flagged[mo], want) {
				t.Errorf("%s not flagged at %s (flagged at %v)", mo, want, flagged[mo])
			}
		}
	}
	if contains(flagged["mitigation"], "14:24:38") || contains(flagged["hypothesis"], "15:21:45") {
		t.Errorf("talk about an action or a 'probably' flagged as the moment itself: %v", flagged)
	}
}

func TestSampleHasNoSecretInAnyFormat(t *testing.T) {
	for _, format := range []string{"text", "markdown", "json", "jsonl", "html", "svg"} {
		code, out, errOut := run(t, "timeline", "--format", format, "--from", "2025-05-01T00:00:00Z", "--to", "2025-07-01T00:00:00Z", sample)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) || strings.Contains(errOut, s) {
				t.Errorf("%s output contains the secret %q", format, s)
			}
		}
		if format != "svg" && !strings.Contains(out, "REDACTED") {
			t.Errorf("%s output shows no redaction marker", format)
		}
	}
}

func TestIdenticalOutputAcrossRuns(t *testing.T) {
	_, a, _ := run(t, "timeline", "--format", "jsonl", sample)
	_, b, _ := run(t, "timeline", "--format", "jsonl", sample)
	if a != b || a == "" {
		t.Errorf("two runs over the same inputs differ")
	}
}

func TestBadInputNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "alerts.jsonl")
	good := `{"receiver":"x","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A"},"annotations":{},"startsAt":"2025-06-02T14:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f1"}],"version":"4"}`
	os.WriteFile(bad, []byte(good+"\n"+good+"\n"+`{"receiver":"x","status":"firing","alerts":[{"status":`+"\n"), 0o644)
	out := filepath.Join(dir, "out.json")
	code, stdout, stderr := run(t, "timeline", "-o", out, bad)
	if code != 2 {
		t.Fatalf("exit %d, want 2 (stderr %q)", code, stderr)
	}
	if !strings.Contains(stderr, "alerts.jsonl:3") {
		t.Errorf("stderr %q does not name alerts.jsonl:3", stderr)
	}
	if stdout != "" {
		t.Errorf("partial output on stdout: %q", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output file written despite the error")
	}
	code, stdout, stderr = run(t, "timeline", "--skip-bad", "--format", "jsonl", bad)
	if code != 0 || strings.Count(stdout, "\n") != 1 || !strings.Contains(stderr, "skipped 1 bad record") {
		t.Errorf("--skip-bad: exit %d, %d events, stderr %q", code, strings.Count(stdout, "\n"), stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"timeline"},
		{"timeline", "--format", "pdf", sample},
		{"timeline", "--tz", "Mars/Olympus", sample},
		{"timeline", "--from", "yesterday", sample},
		{"timeline", "--date-order", "ymd", sample},
		{"timeline", "no-such-file.json"},
		{"nonsense"},
	} {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("debrief %v: exit %d, want 2", args, code)
		}
	}
}

// TestDateOrderFlag: --date-order reads a spreadsheet's 01/03/2024 as
// 1 March; without it, nothing in the file tells, so it is January 3 and a
// note names the flag.
func TestDateOrderFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scribe.csv")
	if err := os.WriteFile(path, []byte("Time,Who,What\n01/03/2024 10:00,priya,checkout is down\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		flags []string
		want  string
		note  bool
	}{
		{nil, "2024-01-03T10:00:00Z", true},
		{[]string{"--date-order", "dmy"}, "2024-03-01T10:00:00Z", false},
		{[]string{"--date-order", "mdy"}, "2024-01-03T10:00:00Z", false},
	} {
		args := append(append([]string{"timeline", "--format", "jsonl"}, tt.flags...), path)
		code, out, errOut := run(t, args...)
		if code != 0 || !strings.Contains(out, `"time":"`+tt.want+`"`) {
			t.Errorf("debrief %v: exit %d, %s; want the event at %s", tt.flags, code, out, tt.want)
		}
		if got := strings.Contains(errOut, "--date-order dmy"); got != tt.note {
			t.Errorf("debrief %v: stderr %q; want a note naming --date-order: %v", tt.flags, errOut, tt.note)
		}
	}
}

func TestHTMLEscapesInputs(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.csv")
	os.WriteFile(p, []byte("time,author,message\n2025-06-02T14:00:00Z,sam,\"<script>alert(1)</script> users are seeing errors\"\n"), 0o644)
	for _, format := range []string{"html", "svg", "markdown"} {
		code, out, errOut := run(t, "timeline", "--format", format, p)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		if strings.Contains(out, "<script>") {
			t.Errorf("%s output contains a live <script> from the input", format)
		}
		if !strings.Contains(out, "&lt;script&gt;") {
			t.Errorf("%s output lost the escaped text", format)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// An incident folder zipped whole (people file included) reads the same as
// the folder.
func TestZippedIncidentFolder(t *testing.T) {
	zipPath := filepath.Join(t.TempDir(), "incident.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(sample, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(sample), p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	f.Close()
	_, fromDir, _ := run(t, "timeline", "--format", "json", sample)
	code, fromZip, errOut := run(t, "timeline", "--format", "json", zipPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a, b timelineJSON
	json.Unmarshal([]byte(fromDir), &a)
	json.Unmarshal([]byte(fromZip), &b)
	if len(a.Events) != len(b.Events) || a.Metrics != b.Metrics || len(a.Participants) != len(b.Participants) {
		t.Errorf("zip gives %d events, metrics %+v, %d people; folder %d, %+v, %d",
			len(b.Events), b.Metrics, len(b.Participants), len(a.Events), a.Metrics, len(a.Participants))
	}
}

// Gzipped inputs read as what they hold, with the same events.
func TestGzippedInputs(t *testing.T) {
	dir := t.TempDir()
	var plain, gzipped []string
	for _, name := range []string{"alerts.jsonl", "sam.zsh_history", "pagerduty.jsonl"} {
		data, err := os.ReadFile(filepath.Join(sample, name))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		p := filepath.Join(dir, name+".gz")
		os.WriteFile(p, buf.Bytes(), 0o644)
		plain, gzipped = append(plain, filepath.Join(sample, name)), append(gzipped, p)
	}
	_, want, _ := run(t, append([]string{"timeline", "--format", "jsonl"}, plain...)...)
	code, got, errOut := run(t, append([]string{"timeline", "--format", "jsonl"}, gzipped...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got != want || want == "" {
		t.Errorf("gzipped inputs give other events:\n%s\nwant\n%s", got, want)
	}
}
