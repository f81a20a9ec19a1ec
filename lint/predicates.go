package lint

import "strings"

// predicates are the <name> slots of patterns.
var predicates = map[string]predicate{
	"person": personAt,
	"name":   nameAt,
	"poss":   possessiveAt,
	"pp":     participleAt,
}

var pronouns = wordSet([]string{"he", "she", "they", "you", "someone", "somebody", "whoever", "nobody", "no-one", "noone"})

var roleDeterminers = wordSet([]string{"the", "a", "an", "our", "their", "that", "this", "one", "some", "your", "his", "her"})

var roleModifiers = wordSet([]string{"on-call", "oncall", "release", "new", "junior", "senior", "primary",
	"secondary", "responding", "deploying", "database", "support", "same", "other", "lead", "incident",
	"infrastructure", "platform", "backend", "frontend", "devops", "sre", "ops", "night", "weekend", "shift"})

var roleNouns = wordSet([]string{"engineer", "engineers", "operator", "operators", "developer", "developers",
	"dev", "devs", "sre", "sres", "responder", "responders", "admin", "administrator", "dba", "intern",
	"reviewer", "author", "deployer", "on-call", "oncall", "person", "employee", "staff", "technician",
	"contractor", "human", "commander", "manager", "team", "teammate", "colleague", "coworker", "newcomer",
	"hire", "user", "owner"})

// personAt matches a person at ts[i]: a name or handle of the document's
// people (one or two words), a pronoun, or a role ("the on-call engineer").
func personAt(c *matchCtx, ts []token, i int) int {
	t := ts[i].lo
	if strings.HasSuffix(t, "'s") {
		return 0
	}
	if i+1 < len(ts) && c.people[t+" "+ts[i+1].lo] && !ts[i+1].brk {
		return 2
	}
	if c.people[strings.TrimPrefix(t, "@")] || c.teams[t] {
		return 1
	}
	if pronouns[t] {
		return 1
	}
	// A team name of several words ("the SRE team").
	if len(c.teams) > 0 {
		for n := 2; n <= 3 && i+n <= len(ts); n++ {
			if c.teams[joinLo(ts[i:i+n])] {
				return n
			}
		}
	}
	if !roleDeterminers[t] {
		return 0
	}
	j := i + 1
	for j < len(ts) && j-i <= 3 && roleModifiers[ts[j].lo] && !ts[j].brk {
		if roleNouns[ts[j].lo] && (j+1 >= len(ts) || !roleNouns[ts[j+1].lo]) {
			return j - i + 1 // "the on-call" as a noun
		}
		j++
	}
	if j < len(ts) && roleNouns[ts[j].lo] && !ts[j].brk {
		return j - i + 1
	}
	return 0
}

func joinLo(ts []token) string {
	var b strings.Builder
	for k, t := range ts {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.lo)
	}
	return b.String()
}

// possessiveAt matches a person's possessive: "Sam's", "the engineer's",
// "his", "her", "their", "your".
func possessiveAt(c *matchCtx, ts []token, i int) int {
	t := ts[i].lo
	switch t {
	case "his", "her", "their", "your":
		return 1
	}
	base, ok := strings.CutSuffix(t, "'s")
	if !ok {
		base, ok = strings.CutSuffix(t, "s'")
		if !ok {
			return 0
		}
		base += "s"
	}
	if c.people[strings.TrimPrefix(base, "@")] {
		return 1
	}
	if i+1 < len(ts) && strings.HasSuffix(ts[i+1].lo, "'s") && c.people[t+" "+strings.TrimSuffix(ts[i+1].lo, "'s")] {
		return 2
	}
	if roleNouns[base] && i > 0 && roleDeterminers[ts[i-1].lo] {
		return 1
	}
	if i > 0 && c.people[ts[i-1].lo+" "+base] {
		return 1
	}
	return 0
}

// irregular past participles (and the -en/-wn forms that do not end in -ed).
var irregular = wordSet([]string{"been", "done", "known", "seen", "caught", "run", "gone", "taken", "made",
	"given", "written", "read", "thought", "told", "kept", "left", "got", "gotten", "sent", "spent", "built",
	"held", "brought", "found", "put", "set", "shut", "hit", "let", "cut", "understood", "chosen", "spoken",
	"broken", "frozen", "stolen", "woken", "ridden", "driven", "drawn", "shown", "thrown", "grown", "blown",
	"flown", "withdrawn", "begun", "rung", "sung", "swum", "won", "paid", "said", "sold", "stood", "taught",
	"felt", "meant", "lost", "led", "fed", "fled", "slept", "swept", "wept", "dealt", "rolled", "forgotten",
	"hidden", "bitten", "eaten", "fallen", "forgiven", "overseen", "undone", "redone", "rerun", "foreseen",
	"mistaken", "overtaken", "withheld", "upheld", "rebuilt", "reset", "spun", "struck", "stuck", "sought",
	"bought", "fought", "taught", "heard", "laid", "lit", "met", "quit", "spread", "split", "sat", "shot",
	"slid", "swung", "upset", "wound", "bound", "ground", "dug", "hung", "hurt", "burnt", "learnt", "dreamt",
	"rebooted", "restarted", "noticed", "been"})

var notParticiple = wordSet([]string{"need", "needed", "feed", "seed", "speed", "bed", "red", "shed", "bleed", "breed", "embed", "embedded", "hundred", "sacred", "wicked", "naked", "kindred", "indeed", "exceed", "proceed", "succeed", "shred", "sled", "wed", "bred", "fled"})

// participleAt matches a past participle: an irregular one, or a word in
// -ed (not "need", "speed", "embedded" and the like).
func participleAt(_ *matchCtx, ts []token, i int) int {
	t := ts[i].lo
	if irregular[t] {
		return 1
	}
	if len(t) >= 4 && strings.HasSuffix(t, "ed") && !notParticiple[t] {
		return 1
	}
	return 0
}

// nameAt matches a capitalised word that may be a person's name the
// document never listed: not the first word of the sentence unless it is
// not a common word, and not a pronoun or determiner. Only patterns whose
// verbs take human agents ("forgot to", "didn't bother") use it.
func nameAt(c *matchCtx, ts []token, i int) int {
	t := ts[i]
	if !t.cap || commonWords[t.lo] || roleDeterminers[t.lo] || pronouns[t.lo] || strings.HasSuffix(t.lo, "'s") {
		return 0
	}
	switch t.lo {
	case "it", "there", "then", "after", "before", "when", "while", "once", "at", "by", "our", "we", "i", "if", "so", "but", "because", "later", "finally", "eventually", "meanwhile":
		return 0
	}
	return 1
}
