package lint

import (
	"fmt"
	"strings"
)

// Severity is how much a finding matters. Findings at SeverityError make
// `debrief lint` exit 1; SeverityOff turns a rule off.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
	SeverityOff     Severity = "off"
)

func parseSeverity(s string) (Severity, error) {
	switch v := Severity(strings.ToLower(strings.TrimSpace(s))); v {
	case SeverityError, SeverityWarning, SeverityInfo, SeverityOff:
		return v, nil
	case "warn":
		return SeverityWarning, nil
	case "suggestion", "note":
		return SeverityInfo, nil
	}
	return "", fmt.Errorf("unknown level %q (want error, warning, info or off)", s)
}

// Finding is one thing a rule noticed, with where it is and what to do.
type Finding struct {
	File       string   `json:"file"`
	Line       int      `json:"line"`
	Column     int      `json:"column"`
	EndLine    int      `json:"end_line,omitempty"`
	EndColumn  int      `json:"end_column,omitempty"`
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion,omitempty"`
	// Match is the words the finding is about.
	Match string `json:"match,omitempty"`
}

// Rule describes one check: what it finds, why that matters, and how to
// say it instead. `debrief lint --explain ID` prints it.
type Rule struct {
	ID       string
	Severity Severity
	// Summary is one line: what the rule looks for.
	Summary string
	// Why explains, to a writer, why the rule exists.
	Why string
	// Suggestion is the reframe offered with every finding.
	Suggestion string
	Examples   []Example
}

// Example pairs a flagged sentence with a reframe.
type Example struct{ Bad, Good string }

// Family is the part of an id before the first dot: blame, hindsight,
// counterfactual, rootcause, action, doc.
func (r *Rule) Family() string { return family(r.ID) }

func family(id string) string {
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}
