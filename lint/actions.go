package lint

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ActionItem is one follow-up read from a postmortem's action-items
// section, a table row or a list item.
type ActionItem struct {
	Action   string
	Owner    string
	Due      string
	Priority string
	Tracking string
	// Off is where the item starts in the source; fields holds where each
	// field starts (Off when the field is missing).
	Off    int
	fields map[string]int
	// fromList is true for list items, whose fields are read from the text.
	fromList bool
}

// columns maps header synonyms to fields.
var columns = map[string]string{
	"action": "action", "action item": "action", "action items": "action", "item": "action", "task": "action",
	"description": "action", "what": "action", "title": "action", "summary": "action", "remediation": "action",
	"fix": "action", "follow-up": "action", "follow up": "action", "followup": "action", "todo": "action",
	"to do": "action", "step": "action", "next step": "action", "corrective action": "action", "name": "action",
	"owner": "owner", "owners": "owner", "assignee": "owner", "assignees": "owner", "assigned to": "owner",
	"assigned": "owner", "who": "owner", "responsible": "owner", "dri": "owner", "owner(s)": "owner",
	"due": "due", "due date": "due", "deadline": "due", "target date": "due", "target": "due", "eta": "due",
	"by": "due", "when": "due", "date": "due", "by when": "due", "due by": "due", "completion date": "due",
	"priority": "priority", "prio": "priority", "p": "priority", "importance": "priority", "pri": "priority",
	"tracking": "tracking", "ticket": "tracking", "tickets": "tracking", "issue": "tracking", "issues": "tracking",
	"link": "tracking", "links": "tracking", "jira": "tracking", "bug": "tracking", "tracker": "tracking",
	"reference": "tracking", "ref": "tracking", "url": "tracking", "id": "tracking", "key": "tracking",
	"ticket #": "tracking", "issue #": "tracking", "ticket/issue": "tracking", "tracking issue": "tracking",
	"jira ticket": "tracking", "github issue": "tracking",
}

// isActionSection reports whether a heading introduces action items.
func isActionSection(title string) bool {
	t := strings.ToLower(title)
	for _, w := range []string{"action item", "actions", "action plan", "follow-up", "follow up", "followup",
		"next step", "remediation", "corrective", "preventive", "preventative", "todo", "to-do", "to do",
		"tasks", "action"} {
		if strings.Contains(t, w) {
			return !strings.Contains(t, "actions taken") && !strings.Contains(t, "transaction")
		}
	}
	return false
}

// actionItems reads the action items of a document: the rows of tables
// and the items of lists inside its action-items sections.
func actionItems(d *Document) []ActionItem {
	var items []ActionItem
	for si := range d.Sections {
		s := &d.Sections[si]
		if !isActionSection(s.Title) || insideActionSection(d, si) {
			continue
		}
		tabled := false
		for _, tab := range d.Tables {
			if !s.In(tab.Off) {
				continue
			}
			if its := tableItems(tab); its != nil {
				items = append(items, its...)
				tabled = true
			}
		}
		if tabled {
			continue
		}
		for _, li := range d.Lists {
			if s.In(li.Off) && li.Depth == 0 {
				items = append(items, listItem(li))
			}
		}
	}
	return items
}

// insideActionSection is true when a section is nested in another action
// section (its items are read by the outer one).
func insideActionSection(d *Document, si int) bool {
	s := d.Sections[si]
	for j := range si {
		o := d.Sections[j]
		if o.Level < s.Level && o.In(s.Off) && isActionSection(o.Title) {
			return true
		}
	}
	return false
}

func tableItems(tab Table) []ActionItem {
	col := map[string]int{}
	for i, h := range tab.Header {
		name := strings.ToLower(strings.Trim(strings.TrimSpace(h.Text), "*_:"))
		if f, ok := columns[name]; ok {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		}
	}
	if _, ok := col["action"]; !ok {
		if len(col) == 0 {
			return nil // not an action table (a field/value table)
		}
		col["action"] = firstFree(col, len(tab.Header))
	}
	items := []ActionItem{} // an action table, even with no rows filled in yet
	for _, row := range tab.Rows {
		it := ActionItem{fields: map[string]int{}}
		it.Off = -1
		for f, i := range col {
			if i >= len(row) {
				continue
			}
			c := row[i]
			v := strings.TrimSpace(c.Text)
			switch f {
			case "action":
				it.Action = v
			case "owner":
				it.Owner = v
			case "due":
				it.Due = v
			case "priority":
				it.Priority = v
			case "tracking":
				it.Tracking = v
			}
			if c.Off >= 0 {
				it.fields[f] = c.Off
			}
		}
		it.Off = rowOff(row)
		if it.Action == "" && it.Owner == "" && it.Due == "" {
			continue
		}
		items = append(items, it)
	}
	return items
}

func firstFree(col map[string]int, n int) int {
	used := map[int]bool{}
	for _, i := range col {
		used[i] = true
	}
	for i := range n {
		if !used[i] {
			return i
		}
	}
	return 0
}

func rowOff(row []Cell) int {
	for _, c := range row {
		if c.Off >= 0 {
			return c.Off
		}
	}
	return 0
}

var (
	reTicket    = regexp.MustCompile(`\b[A-Z][A-Z0-9]{1,15}-\d+\b|(?:^|[\s(\[])#\d+\b|\b[\w.-]+/[\w.-]+#\d+\b|\bb/\d{4,}\b|https?://\S+|\bLINK\b`)
	reOwnerKV   = regexp.MustCompile(`(?i)\b(?:owner|assignee|assigned to|dri|who)\s*[:=]\s*([^,;|)\]]+)`)
	reDueKV     = regexp.MustCompile(`(?i)\b(?:due(?: date)?|deadline|eta|target|by)\s*[:=]?\s*((?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2})|(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4})|(?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)|(?:\d{1,2}/\d{1,2}/\d{2,4})|(?:Q[1-4]\s*\d{4}))`)
	rePriorityK = regexp.MustCompile(`(?i)\b(?:P[0-4]|SEV[0-4]|priority\s*[:=]?\s*(?:P?[0-4]|high|medium|low|critical|urgent)|\((?:high|medium|low|critical)\))\b`)
	reMention   = regexp.MustCompile(`(?:^|[\s(\[])@([\w.-]+)`)
	reCheckbox  = regexp.MustCompile(`^\[[ xX]\]\s*`)
)

// listItem reads an action from a list item's text: fields written inline
// ("owner: @sam", "due 2026-04-15", "P1", "OPS-123", a link).
func listItem(li ListItem) ActionItem {
	txt := reCheckbox.ReplaceAllString(li.Text, "")
	it := ActionItem{Action: txt, Off: li.Off, fromList: true, fields: map[string]int{}}
	if m := reOwnerKV.FindStringSubmatch(txt); m != nil {
		it.Owner = strings.TrimSpace(m[1])
	} else if ms := reMention.FindAllStringSubmatch(txt, -1); ms != nil {
		var names []string
		for _, m := range ms {
			names = append(names, "@"+m[1])
		}
		it.Owner = strings.Join(names, ", ")
	}
	if m := reDueKV.FindStringSubmatch(txt); m != nil {
		it.Due = m[1]
	}
	if m := rePriorityK.FindString(txt); m != "" {
		it.Priority = m
	}
	if m := reTicket.FindString(txt); m != "" {
		it.Tracking = strings.TrimSpace(m)
	}
	return it
}

// Action-item checks.

var vagueStarts = []string{
	"improve", "investigate", "look into", "looking into", "review", "consider", "explore", "monitor",
	"be more", "be careful", "be vigilant", "be aware", "try to", "think about", "discuss", "evaluate",
	"research", "revisit", "better", "fix the root cause", "add more", "more ", "increase awareness",
	"communicate", "educate", "keep an eye", "make sure", "ensure", "pay attention", "understand",
	"figure out", "assess", "analyze", "analyse", "check", "study", "look at", "follow up", "follow-up",
	"work on", "enhance", "optimize", "optimise", "clean up", "cleanup", "sync", "talk to", "reach out",
	"remind", "raise awareness", "stay", "double-check", "double check", "maybe", "possibly", "we should",
	"need to", "should", "tbd", "todo", "make things", "get better", "do better",
	"audit", "re-evaluate", "reevaluate", "reconsider", "brainstorm", "determine", "identify",
}

var specificVerbs = wordSet([]string{"add", "create", "automate", "require", "page", "cap", "set", "enable",
	"disable", "remove", "migrate", "alert", "write", "implement", "block", "reject", "limit", "rotate",
	"configure", "deploy", "replace", "upgrade", "delete", "document", "publish", "schedule", "run", "move",
	"split", "rename", "pin", "backfill", "build", "ship", "introduce", "enforce", "increase", "decrease",
	"reduce", "raise", "lower", "route", "gate", "wire", "expose", "export", "instrument", "drop", "switch",
	"roll", "adopt", "install", "tag", "label", "record", "file", "open", "change", "update", "extend"})

var reMeasurable = regexp.MustCompile(`\d|[<>=%]|CODE|LINK|\b(?:before|after|when|whenever|within|every|each|per|above|below|under|over|at least|at most|instead of|rather than)\b`)

// vague reports whether an action has no verifiable outcome.
func vague(action string) bool {
	a := strings.ToLower(strings.TrimSpace(reCheckbox.ReplaceAllString(action, "")))
	a = strings.TrimLeft(a, "*_ ")
	if a == "" {
		return true
	}
	words := strings.Fields(a)
	for _, v := range vagueStarts {
		if strings.HasPrefix(a, v) && (len(a) == len(v) || !isWordByte(a[len(v)]) || strings.HasSuffix(v, " ")) {
			// "Investigate the lag and add an alert on ..." names an outcome.
			if i := strings.Index(a, " and "); i >= 0 {
				rest := strings.Fields(a[i+5:])
				if len(rest) > 0 && specificVerbs[rest[0]] && reMeasurable.MatchString(action) {
					return false
				}
			}
			return true
		}
	}
	if len(words) <= 3 && !reMeasurable.MatchString(action) {
		return true
	}
	// "Make the runbook better": a comparison with no measure.
	return reComparative.MatchString(a) && !reMeasurable.MatchString(action)
}

var reComparative = regexp.MustCompile(`\b(?:better|more (?:robust|reliable|resilient|careful|stable|visible|clear|efficient)|faster|easier|improved?)\b`)

var teamWords = wordSet([]string{"team", "teams", "squad", "group", "everyone", "everybody", "all", "engineering",
	"ops", "sre", "sres", "devops", "platform", "infra", "infrastructure", "oncall", "on-call", "guild",
	"department", "org", "crew", "staff", "us", "we", "eng", "dev", "devs", "developers", "engineers",
	"management", "leadership", "support", "security", "qa", "it"})

var noValue = wordSet([]string{"", "-", "—", "–", "tbd", "tba", "n/a", "na", "none", "?", "??", "unknown",
	"unassigned", "nobody", "todo", "pending", "x", "no", "null", "nil"})

// ownerProblem says what is wrong with an owner value, or "".
func ownerProblem(owner string, teams map[string]bool) string {
	o := strings.TrimSpace(strings.Trim(strings.TrimSpace(owner), "*_`"))
	lo := strings.ToLower(o)
	if noValue[lo] {
		return "has no owner"
	}
	if teams[lo] || teams[strings.TrimPrefix(lo, "@")] {
		return "is owned by a team (" + o + "); name one person who will see it through"
	}
	for _, sep := range []string{",", "/", "&", " and ", "+", ";", " or ", "|"} {
		if strings.Contains(lo, sep) {
			return "has more than one owner (" + o + "); one person owns it, others can help"
		}
	}
	for _, w := range strings.FieldsFunc(lo, func(r rune) bool { return r == ' ' || r == '@' || r == '-' || r == '_' }) {
		if teamWords[w] {
			return "is owned by a team (" + o + "); name one person who will see it through"
		}
	}
	return ""
}

var priorityWords = wordSet([]string{"p0", "p1", "p2", "p3", "p4", "p5", "sev0", "sev1", "sev2", "sev3",
	"sev4", "high", "medium", "med", "low", "critical", "urgent", "normal", "minor", "major", "blocker",
	"highest", "lowest", "must", "should", "could", "1", "2", "3", "4", "0", "top", "trivial", "important"})

// topPriority reports whether a priority value is at the top of its scale.
func topPriority(p string) bool {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "p0", "p1", "sev0", "sev1", "critical", "urgent", "blocker", "highest", "high", "0", "1", "top":
		return true
	}
	return false
}

// priorityProblem says what is wrong with a priority value, or "".
func priorityProblem(p string) string {
	v := strings.ToLower(strings.Trim(strings.TrimSpace(p), "*_`"))
	if noValue[v] {
		return "has no priority"
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == ':' || r == '-' }) {
		if priorityWords[w] {
			return ""
		}
	}
	if m := rePriorityK.FindString(p); m != "" {
		return ""
	}
	return "has a priority that is not on a scale (" + p + "); use P0–P3 or high/medium/low"
}

// trackingProblem says what is wrong with a tracking value, or "".
func trackingProblem(t string) string {
	v := strings.TrimSpace(t)
	if noValue[strings.ToLower(v)] {
		return "is not tracked: add a ticket key or a link to the tracker"
	}
	if !reTicket.MatchString(" " + v) {
		return "is not tracked (" + v + "): add a ticket key (OPS-123, #42) or a link"
	}
	return ""
}

// dueProblem says what is wrong with a due date, or "".
func dueProblem(due string, docDate time.Time, horizon time.Duration) string {
	v := strings.TrimSpace(due)
	if noValue[strings.ToLower(v)] {
		return "has no due date"
	}
	t, ok := parseDue(v, docDate)
	if !ok {
		return "has a due date that is not a date (" + v + "); write one, like 2026-04-15"
	}
	if docDate.IsZero() {
		return ""
	}
	if t.Before(docDate) {
		return "is due " + t.Format("2006-01-02") + ", before the incident (" + docDate.Format("2006-01-02") + ")"
	}
	if t.After(docDate.Add(horizon)) {
		days := int(horizon.Hours() / 24)
		return "is due " + t.Format("2006-01-02") + ", more than " + strconv.Itoa(days) + " days after the incident: items that far out rarely land; split it or bring it closer"
	}
	return ""
}
