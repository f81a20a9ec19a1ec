package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteText prints findings as file:line:col: rule: message, with the
// suggestion after "Try:" when the message does not carry one.
func WriteText(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		msg := f.Message
		if f.Suggestion != "" {
			s := f.Suggestion
			if !strings.HasPrefix(s, "Try:") {
				s = "Try: " + s
			}
			msg += " " + s
		}
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", f.File, f.Line, f.Column, f.Rule, oneLine(msg)); err != nil {
			return err
		}
	}
	return nil
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r < 0x20 && r != '\t' {
			return ' '
		}
		return r
	}, s)
}

// WriteJSON prints {"findings": [...]} as DESIGN.md specifies.
func WriteJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Findings []Finding `json:"findings"`
	}{fs})
}

// WriteGitHub prints GitHub Actions workflow commands, so findings show as
// annotations on the pull request's files.
func WriteGitHub(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		level := "warning"
		switch f.Severity {
		case SeverityError:
			level = "error"
		case SeverityInfo:
			level = "notice"
		}
		msg := f.Message
		if f.Suggestion != "" {
			msg += "\n" + f.Suggestion
		}
		props := fmt.Sprintf("file=%s,line=%d,col=%d", ghProp(f.File), f.Line, f.Column)
		if f.EndLine > 0 {
			props += fmt.Sprintf(",endLine=%d,endColumn=%d", f.EndLine, f.EndColumn)
		}
		props += ",title=" + ghProp(f.Rule)
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, props, ghData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// ghData and ghProp escape workflow-command values as the Actions runner
// expects.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteSARIF prints a SARIF 2.1.0 log, for code-scanning tools.
func WriteSARIF(w io.Writer, fs []Finding, version string) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription msg    `json:"shortDescription"`
		FullDescription  msg    `json:"fullDescription"`
		Help             msg    `json:"help"`
		Default          struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	var rules []rule
	index := map[string]int{}
	for _, r := range Rules() {
		index[r.ID] = len(rules)
		x := rule{ID: r.ID, ShortDescription: msg{r.Summary}, FullDescription: msg{r.Why}, Help: msg{r.Suggestion}}
		x.Default.Level = sarifLevel(r.Severity)
		rules = append(rules, x)
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	type location struct {
		Physical struct {
			Artifact struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
	}
	type fix struct {
		Description msg `json:"description"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		RuleIndex int        `json:"ruleIndex"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
		Fixes     []fix      `json:"fixes,omitempty"`
	}
	results := []result{}
	for _, f := range fs {
		var loc location
		loc.Physical.Artifact.URI = filepath.ToSlash(f.File)
		loc.Physical.Region = region{f.Line, f.Column, f.EndLine, f.EndColumn}
		res := result{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: msg{f.Message}, Locations: []location{loc}}
		if f.Suggestion != "" {
			res.Message.Text += " " + f.Suggestion
		}
		results = append(results, res)
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "debrief", "informationUri": "https://github.com/debriefhq/debrief",
				"version": version, "rules": rules,
			}},
			"columnKind": "unicodeCodePoints",
			"results":    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func sarifLevel(s Severity) string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityInfo:
		return "note"
	}
	return "warning"
}
