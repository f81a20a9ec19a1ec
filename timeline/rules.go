package timeline

import (
	"strings"

	"github.com/debriefhq/debrief"
)

// A textRule flags a moment when any of its phrases occurs in an event's
// text as whole words. The rule name and the matched words become the
// moment's why, so a facilitator can see and dismiss a wrong flag.
type textRule struct {
	moment  debrief.Moment
	name    string
	phrases []string
	// kinds limits the rule to messages or commands.
	commands bool
}

// Chat rules apply to messages by people. Phrases are lower case; a phrase
// ending in a space matches a word prefix. Mitigation in chat is only an
// action being taken or taken ("rolling back", "restarted"): "let's roll
// back" is a decision, and mitigated_at is when the first action happened.
var chatRules = []textRule{
	{moment: debrief.MomentHypothesis, name: "hypothesis", phrases: []string{
		"i think", "i suspect", "could it be", "might be", "maybe it's", "maybe its", "my guess",
		"i bet", "theory", "suspect", "looks like it's", "looks like its", "what if it's",
		"seems like", "hypothesis", "wondering if", "is it the", "could be the"}},
	{moment: debrief.MomentDecision, name: "decision", phrases: []string{
		"let's", "lets ", "let us", "we'll", "we will", "agreed", "decision:", "decided", "go ahead",
		"going ahead", "ship it", "plan is", "the plan:", "i'll roll", "i'm going to", "i will",
		"approved", "do it", "go for it", "proceed"}},
	{moment: debrief.MomentConfusion, name: "confusion", phrases: []string{
		"anyone know", "does anyone", "anybody know", "not sure", "no idea", "???", "confused",
		"confusing", "unclear", "what's going on", "whats going on", "don't understand", "dont understand",
		"which dashboard", "where is the", "who owns", "no clue", "wtf", "makes no sense", "doesn't make sense",
		"can't tell", "cant tell", "i'm lost", "weird", "strange"}},
	{moment: debrief.MomentMitigation, name: "mitigation in chat", phrases: []string{
		"rolling back", "rolled back", "reverted", "reverting", "restarting",
		"restarted", "failing over", "failed over", "scaling up", "scaled up", "scaling out",
		"scaled out", "scaled to", "drained", "draining", "disabled the flag", "turned off", "flipped the flag",
		"killed the", "mitigated", "mitigation in place", "applied the fix", "hotfix deployed", "shed load",
		"rate limited", "blocked the"}},
	{moment: debrief.MomentResolution, name: "resolution in chat", phrases: []string{
		"back to normal", "all clear", "resolved", "recovered", "fully recovered", "is back up",
		"are back up", "error rate is back", "latency is back", "back to baseline",
		"incident closed", "closing the incident", "closing incident", "we're good", "green again"}},
	{moment: debrief.MomentEscalation, name: "escalation in chat", phrases: []string{
		"paging", "paged", "@here", "@channel", "escalating", "escalate", "pulling in", "can you join",
		"can you take a look", "calling in", "waking up", "loop in", "looping in", "bringing in", "@oncall",
		"@on-call"}},
}

// impactPhrases mark a person reporting user-visible impact: the earliest
// such report is the first signal when it precedes every alert.
var impactPhrases = []string{
	"users are seeing", "users seeing", "users report", "users are reporting", "customers are",
	"customers report", "customer report", "customers seeing", "customer complaints", "complaints",
	"reports of", "getting errors", "seeing errors", "getting 500", "seeing 500", "getting 502",
	"seeing 502", "getting 503", "seeing 503", "getting timeouts", "seeing timeouts", "timing out",
	"is down", "are down", "site down", "outage", "can't check out", "cannot check out", "can't log in",
	"cannot log in", "can't login", "is slow", "really slow", "very slow", "super slow", "not loading",
	"won't load", "broken for", "errors for users", "failing for", "tickets about",
	"support tickets", "is broken", "are broken", "isn't working", "not working", "is failing"}

// commandRules flag shell commands that change production to stop the bleeding.
var commandRules = []textRule{
	{moment: debrief.MomentMitigation, name: "mitigating command", commands: true, phrases: []string{
		"rollout undo", "rollout restart", "kubectl scale", "kubectl delete pod", "kubectl drain",
		"kubectl cordon", "helm rollback", "systemctl restart", "systemctl stop", "service restart",
		"git revert", "pg_ctl promote", "failover", "docker restart", "--replicas", "autoscale",
		"terraform apply", "argocd app rollback", "flyctl scale", "aws autoscaling set-desired-capacity",
		"kill -9", "pkill", "reboot", "feature-flag", "flagctl", "iptables -a", "nginx -s reload"}},
}

// compiledRules is a rule set with every phrase in one automaton; owner[i]
// is the rule of phrase i, -1 for an impact phrase.
type compiledRules struct {
	rules []textRule
	set   *phraseSet
	owner []int
	why   []string // per phrase: `rule: "phrase"`, built once
}

func compile(rules []textRule, impact []string) *compiledRules {
	c := &compiledRules{rules: rules}
	var all []string
	for i, r := range rules {
		for _, p := range r.phrases {
			all = append(all, p)
			c.owner = append(c.owner, i)
			c.why = append(c.why, r.name+`: "`+p+`"`)
		}
	}
	for _, p := range impact {
		all = append(all, p)
		c.owner = append(c.owner, -1)
		c.why = append(c.why, "")
	}
	c.set = newPhraseSet(all)
	return c
}

// Compiled once; read-only afterwards, so safe from every parser goroutine.
var (
	chatSet    = compile(chatRules, impactPhrases)
	commandSet = compile(commandRules, nil)
)

// apply flags ev with the first phrase of each rule found in text.
func (c *compiledRules) apply(ev *debrief.Event, text string) {
	var seen uint64
	c.set.each(text, func(phrase, _ int) bool {
		r := c.owner[phrase]
		if r < 0 {
			ev.Impact = true
			return true
		}
		if seen&(1<<r) == 0 {
			seen |= 1 << r
			ev.Flag(c.rules[r].moment, c.why[phrase])
		}
		return true
	})
}

// flagText applies the text rules to ev. It runs on parser goroutines, so it
// must only look at ev.
func flagText(ev *debrief.Event) {
	switch {
	case ev.Kind == debrief.KindCommand:
		commandSet.apply(ev, unquoted(ev.Text))
	case (ev.Kind == debrief.KindMessage || ev.Kind == debrief.KindNote) && !ev.Bot:
		chatSet.apply(ev, ev.Text)
	case ev.Kind == debrief.KindJoin && !ev.Bot:
		ev.Flag(debrief.MomentEscalation, "joined the channel")
	case ev.Kind == debrief.KindPageEscalated:
		ev.Flag(debrief.MomentEscalation, "page escalated")
	case ev.Kind == debrief.KindAlertResolved:
		ev.Flag(debrief.MomentResolution, "alert resolved")
	case ev.Kind == debrief.KindPageResolved:
		ev.Flag(debrief.MomentResolution, "incident resolved in "+string(ev.Source))
	}
}

func boundaryBefore(s string, i int) bool {
	return i == 0 || !isWord(s[i-1])
}

func boundaryAfter(s string, j int, p string) bool {
	if p[len(p)-1] == ' ' || !isWord(p[len(p)-1]) {
		return true
	}
	return j >= len(s) || !isWord(s[j])
}

func isWord(c byte) bool {
	return c == '_' || c == '\'' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// emojiCode reports whether the match is a chat emoji shortcode like
// ":confused:", which is not the word.
func emojiCode(s string, i, j int) bool {
	return i > 0 && s[i-1] == ':' && j < len(s) && s[j] == ':'
}

// unquoted drops quoted strings from a command: `echo "rollout undo done"`
// or a grep pattern mentions an action without taking it.
func unquoted(cmd string) string {
	if !strings.ContainsAny(cmd, `'"`) {
		return cmd
	}
	var b strings.Builder
	var q byte
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case q != 0 && c == q:
			q = 0
		case q != 0:
		case c == '\'' || c == '"':
			q = c
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
