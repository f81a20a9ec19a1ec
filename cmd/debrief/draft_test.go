package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDraftSample(t *testing.T) {
	code, out, errOut := run(t, "draft", "--quiet", "--title", "Search latency", "--facilitator", "priya", "--lead", "sam", sample)
	if code != 0 || !strings.HasPrefix(out, "# Search latency\n") || !strings.Contains(out, "## Questions for the room") {
		t.Fatalf("exit %d, stderr %q, out %.300s", code, errOut, out)
	}
	if strings.Contains(out, "AKIA") || strings.Contains(out, "ghp_") {
		t.Error("a secret reached the draft")
	}
}

func TestDraftPack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	code, out, errOut := run(t, "draft", "--quiet", "--title", "Search latency", "--facilitator", "priya", "--lead", "sam",
		"--meeting", "2025-06-05T15:00:00+02:00", "--pack", dir, sample)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	for _, name := range []string{"retro.md", "retro.html", "pre-read.txt", "invitees.txt", "invite.ics"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	ics, _ := os.ReadFile(filepath.Join(dir, "invite.ics"))
	if !strings.Contains(string(ics), "DTSTART:20250605T130000Z") {
		t.Errorf("meeting time not in UTC in the invite:\n%s", ics)
	}
	// The pack's draft passes lint (only the empty action table's own
	// guidance is left for the meeting).
	if code, out, _ := run(t, "lint", filepath.Join(dir, "retro.md")); code != 0 {
		t.Errorf("lint on the draft: exit %d\n%s", code, out)
	}
}

func TestDraftErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tmpl")
	os.WriteFile(bad, []byte("# {{.Title}}\n\n{{range .Summary}}{{cite .}\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--template", bad, sample}, "template " + bad + ":3:"},
		{[]string{"--template", "nope", sample}, "neither a built-in"},
		{[]string{"--meeting", "tomorrow", sample}, "--meeting \"tomorrow\""},
		{[]string{"--format", "pdf", sample}, "unknown --format"},
		{[]string{"--catalog", filepath.Join(dir, "missing.yaml"), sample}, "missing.yaml"},
		{[]string{}, "no INPUT"},
	} {
		code, out, errOut := run(t, append([]string{"draft", "--quiet"}, tc.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, out %q, err %q (want %q)", tc.args, code, out, errOut, tc.want)
		}
	}
}
