package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// Action-item rules.
var (
	ruleVague = &Rule{ID: "action.vague", Severity: SeverityWarning,
		Summary:    "an action item without a verifiable outcome",
		Why:        `"Improve monitoring" can never be finished, so it never is. An item is real when anyone can check whether it is done.`,
		Suggestion: `Name the change and how to check it: "Add an alert on payment-queue depth > 1000 for 5 minutes, paging the payments on-call."`,
		Examples:   []Example{{"Improve monitoring", "Add an alert on payment-queue depth > 1000 with a 5-minute window"}}}
	ruleOwner = &Rule{ID: "action.owner", Severity: SeverityWarning,
		Summary:    "an action item without exactly one person as owner",
		Why:        `Items owned by a team, by everyone or by two people are owned by no one. One person owns it; others can help.`,
		Suggestion: `Put one person's name or handle in the owner column.`,
		Examples:   []Example{{"| Add a canary stage | SRE team |", "| Add a canary stage | @priya |"}}}
	ruleDue = &Rule{ID: "action.due", Severity: SeverityWarning,
		Summary:    "an action item without a real due date within the horizon",
		Why:        `Items without a date, or dated far past the incident, slide. A date close to the incident keeps the follow-up alive while the lesson is fresh.`,
		Suggestion: `Give a date, like 2026-04-15, within the horizon (90 days after the incident unless configured).`,
		Examples:   []Example{{"| ... | due: next sprint |", "| ... | due: 2026-04-15 |"}}}
	rulePriority = &Rule{ID: "action.priority", Severity: SeverityWarning,
		Summary:    "an action item without a priority",
		Why:        `Without priorities every item competes with every other, and the cheap ones get done instead of the important ones.`,
		Suggestion: `Give each item a priority (P0–P3, or high/medium/low).`}
	ruleCount = &Rule{ID: "action.count", Severity: SeverityWarning,
		Summary:    "more top-priority action items than a team can finish (default: 3)",
		Why:        `Fewer, finished: a long list of urgent items is a list nobody finishes. Pick the few that matter most.`,
		Suggestion: `Keep at most three items at the top priority; lower the rest or drop them.`}
	ruleTracking = &Rule{ID: "action.tracking", Severity: SeverityWarning,
		Summary:    "an action item not tracked in an issue tracker",
		Why:        `Items that live only in the postmortem are forgotten when the document is closed. A ticket puts them where the team plans its work.`,
		Suggestion: `Add the ticket key (OPS-123, #42) or a link to the issue.`}
	actionRules = []*Rule{ruleVague, ruleOwner, ruleDue, rulePriority, ruleCount, ruleTracking}
)

// Document rules.
var (
	ruleFactors = &Rule{ID: "doc.factors", Severity: SeverityWarning,
		Summary:    "no contributing factors section",
		Why:        `A postmortem's learning is in its contributing factors: everything that had to be true for the incident to happen.`,
		Suggestion: `Add a "Contributing factors" section that lists what all had to be true.`}
	ruleSingleCause = &Rule{ID: "doc.root-cause", Severity: SeverityWarning,
		Summary:    "the causes are framed as one root cause",
		Why:        `A single "Root cause" section invites one answer. Complex systems fail through several conditions at once.`,
		Suggestion: `Rename the section "Contributing factors" and list every condition that had to hold.`}
	ruleWentWell = &Rule{ID: "doc.went-well", Severity: SeverityWarning,
		Summary:    `no "what went well" section`,
		Why:        `What went well is what to keep: the alert that fired, the rollback that worked. Without it, a retro only hears about failure.`,
		Suggestion: `Add a "What went well" section.`}
	ruleTimeline = &Rule{ID: "doc.timeline", Severity: SeverityWarning,
		Summary:    "no timeline",
		Why:        `The timeline is the shared ground a retro stands on; without it, the room argues from memory.`,
		Suggestion: `Add a "Timeline" section (debrief timeline builds one from the chat, alerts and shell history).`}
	ruleActions = &Rule{ID: "doc.actions", Severity: SeverityWarning,
		Summary:    "no action items section",
		Why:        `Without action items the lessons stay in the document.`,
		Suggestion: `Add an "Action items" table with the columns Action, Owner, Due, Priority, Tracking.`}
	docRuleList = []*Rule{ruleFactors, ruleSingleCause, ruleWentWell, ruleTimeline, ruleActions}
)

func (l *Linter) actions(d *Document, c *docCtx, fs []Finding) []Finding {
	items := actionItems(d)
	top := 0
	for _, it := range items {
		if vague(it.Action) {
			fs = l.itemFinding(d, fs, ruleVague, it, "action", fmt.Sprintf("%q has no verifiable outcome.", clip(it.Action)))
		}
		if p := ownerProblem(it.Owner, c.match.teams); p != "" {
			fs = l.itemFinding(d, fs, ruleOwner, it, "owner", fmt.Sprintf("%q %s.", clip(it.Action), p))
		}
		if p := dueProblem(it.Due, c.date, c.cfg.Horizon); p != "" {
			fs = l.itemFinding(d, fs, ruleDue, it, "due", fmt.Sprintf("%q %s.", clip(it.Action), p))
		}
		if p := priorityProblem(it.Priority); p != "" {
			fs = l.itemFinding(d, fs, rulePriority, it, "priority", fmt.Sprintf("%q %s.", clip(it.Action), p))
		}
		if p := trackingProblem(it.Tracking); p != "" {
			fs = l.itemFinding(d, fs, ruleTracking, it, "tracking", fmt.Sprintf("%q %s.", clip(it.Action), p))
		}
		if topPriority(it.Priority) {
			if top++; top == c.cfg.MaxTopPriority+1 {
				fs = l.itemFinding(d, fs, ruleCount, it, "priority", fmt.Sprintf(
					"more than %d action items at the top priority: fewer, finished.", c.cfg.MaxTopPriority))
			}
		}
	}
	return fs
}

func (l *Linter) itemFinding(d *Document, fs []Finding, r *Rule, it ActionItem, field, msg string) []Finding {
	off, ok := it.fields[field]
	if !ok {
		off = it.Off
	}
	f := Finding{File: d.Path, Rule: r.ID, Severity: r.Severity, Message: msg, Suggestion: r.Suggestion}
	f.Line, f.Column = d.Position(off)
	return append(fs, f)
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// Section titles are matched by the words in them, lower-cased.
var (
	factorTitles   = []string{"contributing", "factor", "causes", "causal", "what went wrong", "why it", "why this", "why did", "analysis", "trigger", "how it happened", "what happened and why", "investigation", "lessons"}
	wentWellTitles = []string{"went well", "went right", "what worked", "worked well", "successes", "positives", "good", "lucky", "strengths", "things that helped"}
	timelineTitles = []string{"timeline", "chronology", "sequence of events", "time line", "events", "detailed log", "what happened"}
)

func titleHas(title string, words []string) bool {
	t := strings.ToLower(title)
	for _, w := range words {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// rootHeading reports whether a title is just "Root cause" (or "Cause").
func rootHeading(title string) bool {
	t := strings.Trim(strings.ToLower(title), " :.*_#0123456789")
	t = strings.TrimPrefix(t, "the ")
	switch t {
	case "root cause", "root-cause", "rootcause", "cause", "root cause analysis", "rca":
		return true
	}
	return false
}

// docRules checks the document's shape. Documents without headings at all
// (notes, chat exports) are not judged for shape.
func (l *Linter) docRules(d *Document, c *docCtx, fs []Finding) []Finding {
	if len(d.Sections) < 2 {
		return fs
	}
	var factors, wentWell, timeline, actions bool
	var root *Section
	for i := range d.Sections {
		s := &d.Sections[i]
		switch {
		case rootHeading(s.Title):
			root = s
		case titleHas(s.Title, factorTitles):
			factors = true
		}
		if titleHas(s.Title, wentWellTitles) {
			wentWell = true
		}
		if titleHas(s.Title, timelineTitles) {
			timeline = true
		}
		if isActionSection(s.Title) {
			actions = true
		}
	}
	if !timeline && hasTimeTable(d) {
		timeline = true
	}
	doc := func(r *Rule, line int, msg string) {
		f := Finding{File: d.Path, Line: line, Column: 1, Rule: r.ID, Severity: r.Severity, Message: msg, Suggestion: r.Suggestion}
		fs = append(fs, f)
	}
	switch {
	case root != nil && !factors:
		doc(ruleSingleCause, root.Line, fmt.Sprintf("the causes sit under %q: one root cause, not the factors that had to combine.", root.Title))
	case !factors:
		doc(ruleFactors, 1, "no contributing factors section: what all had to be true for this to happen?")
	}
	if !wentWell {
		doc(ruleWentWell, 1, `no "what went well" section.`)
	}
	if !timeline {
		doc(ruleTimeline, 1, "no timeline section.")
	}
	if !actions {
		doc(ruleActions, 1, "no action items section.")
	}
	return fs
}

// startsWithClock reports whether s starts with a clock time ("14:02",
// "**9:15**").
func startsWithClock(s string) bool {
	s = strings.TrimLeft(s, " *_")
	i := 0
	for i < len(s) && i < 2 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && len(s) >= i+3 && s[i] == ':' && s[i+1] >= '0' && s[i+1] <= '9' && s[i+2] >= '0' && s[i+2] <= '9'
}

// hasTimeTable reports whether the document holds a timeline without a
// heading: a table or list whose entries start with clock times.
func hasTimeTable(d *Document) bool {
	n := 0
	for _, li := range d.Lists {
		if startsWithClock(li.Text) {
			n++
		}
	}
	for _, t := range d.Tables {
		for _, r := range t.Rows {
			if len(r) > 0 && startsWithClock(r[0].Text) {
				n++
			}
		}
	}
	return n >= 3
}

var reNameSep = regexp.MustCompile(`\s*(?:,|;|/|&|\band\b|\+)\s*`)

// participants are the people a document names where people go: authors,
// responders, owners, @mentions.
func participants(d *Document, front map[string]string) []string {
	var names []string
	split := func(s string) {
		for _, n := range reNameSep.Split(s, -1) {
			n = strings.Trim(strings.TrimSpace(n), "*_`()[]")
			if n != "" && len(n) < 40 {
				names = append(names, n)
			}
		}
	}
	for _, k := range []string{"author", "authors", "owner", "owners", "participants", "responders", "attendees"} {
		if v, ok := front[k]; ok {
			split(strings.Trim(v, "[]"))
		}
	}
	for _, tab := range d.Tables {
		for _, row := range tab.Rows {
			if len(row) >= 2 && peopleField(row[0].Text) {
				split(row[1].Text)
			}
		}
		for i, h := range tab.Header {
			if columns[strings.ToLower(strings.TrimSpace(h.Text))] == "owner" {
				for _, row := range tab.Rows {
					if i < len(row) {
						split(row[i].Text)
					}
				}
			}
		}
	}
	for i := range d.Blocks {
		b := &d.Blocks[i]
		if k, v, ok := strings.Cut(b.Text, ":"); ok && peopleField(k) && len(v) < 300 {
			split(v)
		}
		if strings.IndexByte(b.Text, '@') < 0 {
			continue
		}
		for _, m := range reMention.FindAllStringSubmatch(b.Text, -1) {
			names = append(names, m[1])
		}
	}
	for _, s := range d.Sections {
		if peopleField(s.Title) {
			for _, li := range d.Lists {
				if s.In(li.Off) {
					k, _, _ := strings.Cut(li.Text, ":")
					k, _, _ = strings.Cut(k, "(")
					k, _, _ = strings.Cut(k, " - ")
					split(k)
				}
			}
		}
	}
	return names
}

func peopleField(s string) bool {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "*_#: "))
	switch s {
	case "author", "authors", "owner", "owners", "participants", "responders", "attendees", "people",
		"incident commander", "ic", "lead", "incident lead", "facilitator", "on-call", "oncall", "scribe",
		"reviewers", "reviewer", "people involved", "responder", "present", "written by", "prepared by",
		"communications lead", "comms lead", "ops lead", "technical lead", "on call", "on-call engineer":
		return true
	}
	return false
}

// directives are the inline <!-- debrief-disable ... --> comments.
type directives struct {
	ranges []disableRange
}

type disableRange struct {
	rules    []string // empty: all
	from, to int      // lines, inclusive; to 0 = end of file
}

var reDirective = regexp.MustCompile(`<!--\s*debrief-(disable-next-line|disable-line|disable|enable)\b([^>]*?)-->`)

func parseDirectives(d *Document) *directives {
	ds := &directives{}
	if !strings.Contains(string(d.src), "debrief-") {
		return ds
	}
	for _, m := range reDirective.FindAllSubmatchIndex(d.src, -1) {
		kind := string(d.src[m[2]:m[3]])
		args, _, _ := strings.Cut(string(d.src[m[4]:m[5]]), " -- ") // a reason may follow " -- "
		if strings.HasPrefix(strings.TrimSpace(args), "--") {
			args = ""
		}
		rules := strings.FieldsFunc(args, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
		line := d.Line(m[0])
		switch kind {
		case "disable-next-line":
			ds.ranges = append(ds.ranges, disableRange{rules: rules, from: line + 1, to: line + 1})
		case "disable-line":
			ds.ranges = append(ds.ranges, disableRange{rules: rules, from: line, to: line})
		case "disable":
			ds.ranges = append(ds.ranges, disableRange{rules: rules, from: line})
		case "enable":
			for i := range ds.ranges {
				r := &ds.ranges[i]
				if r.to == 0 && (len(rules) == 0 || sameRules(r.rules, rules)) {
					r.to = line
				}
			}
		}
	}
	return ds
}

func sameRules(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

func (ds *directives) off(rule string, line int) bool {
	for _, r := range ds.ranges {
		if line < r.from || (r.to != 0 && line > r.to) {
			continue
		}
		if len(r.rules) == 0 {
			return true
		}
		for _, id := range r.rules {
			if id == rule || id == family(rule) {
				return true
			}
		}
	}
	return false
}

// suggest builds the reframe for a language finding: the rule's advice, and
// for "should have" a question made from the sentence's own words ("should
// have paged the database team" asks what made it hard to know the database
// team was needed).
func suggest(r *langRule, sent string, s sentence, m match) string {
	if r.ID != "counterfactual.should-have" || s.toks[m.end-1].lo == "been" || m.end >= 2 && s.toks[m.end-2].lo == "been" {
		return r.Suggestion // passive or "should have been ready": no object to ask about
	}
	var obj []string
	for _, t := range s.toks[m.end:] {
		if t.brk && len(obj) > 0 || objectStops[t.lo] {
			break
		}
		obj = append(obj, sent[t.start-s.start:t.end-s.start])
	}
	if len(obj) == 0 || len(obj) > 8 {
		return r.Suggestion
	}
	return fmt.Sprintf(`Try: "What made it hard to know %s was needed?"`, strings.Join(obj, " "))
}

var objectStops = wordSet([]string{"before", "after", "when", "while", "during", "in", "on", "at", "with",
	"for", "to", "because", "since", "instead", "until", "and", "or", "but", "so", "as", "by", "from",
	"immediately", "sooner", "earlier", "first", "right", "then", "which", "that", "if"})
