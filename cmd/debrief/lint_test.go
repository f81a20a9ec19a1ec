package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const blameful = `# Checkout outage

Date: 2026-03-10

## Timeline

- 14:02 the on-call should have paged the database team

## Contributing factors

- The pool was sized for last year's traffic.

## What went well

- The rollback worked.

## Action items

| Action | Owner | Due | Priority | Ticket |
| --- | --- | --- | --- | --- |
| Add an alert on pool saturation > 80% for 10m | @priya | 2026-04-01 | P1 | OPS-1 |
`

const clean = `# Checkout outage

Date: 2026-03-10

## Timeline

- 14:02 Kim paged the database team.

## Contributing factors

- The pool was sized for last year's traffic.

## What went well

- The rollback worked.

## Action items

| Action | Owner | Due | Priority | Ticket |
| --- | --- | --- | --- | --- |
| Add an alert on pool saturation > 80% for 10m | @priya | 2026-04-01 | P1 | OPS-1 |
`

func writeDoc(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeDoc(t, dir, "retro.md", blameful)
	good := writeDoc(t, dir, "ok.md", clean)

	code, out, _ := run(t, "lint", bad)
	want := bad + `:7:21: counterfactual.should-have: "should have paged" judges with hindsight: it describes a past that did not happen. Try: "What made it hard to know the database team was needed?"` + "\n"
	if code != 1 || out != want {
		t.Errorf("blameful: exit %d, output\n%s\nwant exit 1 and\n%s", code, out, want)
	}
	if code, out, errOut := run(t, "lint", good); code != 0 || out != "" {
		t.Errorf("clean: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "lint", filepath.Join(dir, "missing.md")); code != 2 || !strings.Contains(errOut, "missing.md") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	// The directory holds both: walked in name order.
	if code, out, _ := run(t, "lint", dir); code != 1 || strings.Count(out, "\n") != 1 {
		t.Errorf("directory: exit %d, %q", code, out)
	}
}

func TestLintConfigErrorStopsTheRun(t *testing.T) {
	dir := t.TempDir()
	doc := writeDoc(t, dir, "retro.md", blameful)
	writeDoc(t, dir, ".debrief.yaml", "lint:\n  rules:\n    blame.typo: off\n")
	code, out, errOut := run(t, "lint", doc)
	if code != 2 || out != "" || !strings.Contains(errOut, ".debrief.yaml:3:5: unknown rule \"blame.typo\"") {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	// A valid config found walking up turns the rule down to a warning: exit 0.
	writeDoc(t, dir, ".debrief.yaml", "lint:\n  rules:\n    counterfactual: warning\n")
	if code, out, _ := run(t, "lint", doc); code != 0 || !strings.Contains(out, "counterfactual.should-have") {
		t.Errorf("warning level: exit %d, %q", code, out)
	}
}

func TestLintFormats(t *testing.T) {
	doc := writeDoc(t, t.TempDir(), "retro.md", blameful)

	_, out, _ := run(t, "lint", "--format", "json", doc)
	var js struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js.Findings) != 1 {
		t.Fatalf("json: %v %s", err, out)
	}
	for _, k := range []string{"file", "line", "column", "rule", "severity", "message", "suggestion"} {
		if _, ok := js.Findings[0][k]; !ok {
			t.Errorf("json finding lacks %q: %v", k, js.Findings[0])
		}
	}

	_, out, _ = run(t, "lint", "--format", "sarif", doc)
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string           `json:"name"`
					Rules []map[string]any `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					Physical struct {
						Region struct {
							StartLine, StartColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil {
		t.Fatal(err)
	}
	r := sarif.Runs[0]
	if sarif.Version != "2.1.0" || r.Tool.Driver.Name != "debrief" || len(r.Tool.Driver.Rules) < 20 ||
		len(r.Results) != 1 || r.Results[0].RuleID != "counterfactual.should-have" || r.Results[0].Level != "error" ||
		r.Results[0].Locations[0].Physical.Region.StartLine != 7 || r.Results[0].Locations[0].Physical.Region.StartColumn != 21 {
		t.Errorf("sarif: %s", out)
	}

	_, out, _ = run(t, "lint", "--format", "github", doc)
	if !strings.HasPrefix(out, "::error file="+doc+",line=7,col=21,endLine=7,endColumn=38,title=counterfactual.should-have::\"should have paged\"") {
		t.Errorf("github: %s", out)
	}
}

func TestLintExplainAndList(t *testing.T) {
	code, out, _ := run(t, "lint", "--explain", "blame.agent")
	if code != 0 || !strings.Contains(out, "Why:") || !strings.Contains(out, "reframed:") {
		t.Errorf("explain: %d %s", code, out)
	}
	if code, _, errOut := run(t, "lint", "--explain", "blame.nope"); code != 2 || !strings.Contains(errOut, "no rule") {
		t.Errorf("explain unknown: %d %s", code, errOut)
	}
	if code, out, _ := run(t, "lint", "--list"); code != 0 || !strings.Contains(out, "action.tracking") {
		t.Errorf("list: %d %s", code, out)
	}
}
