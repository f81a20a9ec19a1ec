package lint

import (
	"fmt"
	"slices"
	"strings"
)

// langRule is a language rule: patterns over a sentence's words, and
// exceptions that cancel a match starting at the same place.
type langRule struct {
	Rule
	patterns []string
	unless   []string
	pats     []pattern
	unl      []pattern
}

// wordSets are the named lists patterns refer to as {name}.
var wordSets = map[string][]string{
	"moral": {"reckless", "recklessly", "recklessness", "lazy", "laziness", "negligent", "negligently",
		"negligence", "careless", "carelessly", "carelessness", "inattentive", "inattentively", "inattention",
		"inattentiveness", "sloppy", "sloppily", "sloppiness", "incompetent", "incompetence", "incompetently",
		"irresponsible", "irresponsibly", "thoughtless", "thoughtlessly", "stupid", "stupidly", "foolish",
		"foolishly", "idiotic", "clumsy", "clumsily", "lax", "heedless", "heedlessly", "unprofessional"},
	"fail": {"forgot", "forgets", "forgotten", "neglected", "overlooked", "ignored", "ignores", "botched",
		"mistyped", "misconfigured", "misread", "fat-fingered", "fatfingered", "broke", "caused", "missed",
		"disregarded", "bungled", "blew", "flubbed", "messed", "screwed", "goofed", "fumbled", "mishandled",
		"mismanaged", "misjudged"},
	"failnoun": {"error", "errors", "mistake", "mistakes", "fault", "oversight", "blunder", "negligence",
		"screw-up", "screwup", "slip", "slip-up", "misstep", "lapse", "carelessness", "failure", "failures",
		"gaffe", "bad"},
	"didnt":  {"didn't", "didnt", "never", "hadn't"},
	"check":  {"check", "checked", "read", "follow", "followed", "test", "tested", "verify", "verified", "notice", "noticed", "look", "think", "consider", "pay", "bother", "bothered", "double-check", "confirm", "escalate", "review", "reviewed", "wait"},
	"should": {"should", "shouldn't", "shouldnt", "ought"},
	"could":  {"could", "couldn't", "might"},
	"would":  {"would", "wouldn't", "wouldnt"},
	"have":   {"have", "'ve", "of"},
	"prevent": {"prevented", "avoided", "averted", "caught", "stopped", "detected", "noticed", "mitigated",
		"spotted", "saved", "shortened"},
	"be": {"was", "were", "is", "are", "seemed", "seems", "looked", "looks", "became", "been", "be", "felt"},
	"see": {"see", "seen", "saw", "tell", "told", "notice", "noticed", "know", "known", "spot", "spotted",
		"predict", "predicted", "figure", "guess", "guessed"},
	"clearok": {"visible", "readable", "legible", "labelled", "labeled", "marked", "documented", "defined",
		"stated", "written", "explained", "communicated", "shown", "separated", "identified", "described",
		"delineated", "indicated", "distinguish", "distinguishable", "show", "shows", "states", "state", "see",
		"seen", "outlined", "set", "understood", "different", "wrong", "not", "needed", "audible", "visibly"},
	"lazyok": {"load", "loading", "loaded", "loads", "evaluation", "evaluated", "initialization",
		"initialisation", "init", "instantiation", "consumer", "fetch", "fetching", "allocation", "mode",
		"lookup", "lookups", "import", "imports", "binding", "bindings", "iterator", "iterators", "values",
		"creation", "deletion", "mount", "connect", "connection", "connections", "query", "queries", "list",
		"lists", "sequence", "sequences", "eval", "compilation", "parsing", "rendering", "pagination"},
	"cause":  {"cause", "causes"},
	"single": {"real", "true", "actual", "sole", "single", "only", "ultimate", "one", "underlying", "primary", "main"},
	"incident": {"incident", "outage", "failure", "problem", "issue", "downtime", "degradation", "disruption",
		"breakage", "event"},
}

// languageRules is the catalog of language rules. Order matters only for
// which of two overlapping findings is kept: the first.
var languageRules = []*langRule{
	{Rule: Rule{
		ID: "blame.human-error", Severity: SeverityError,
		Summary:    `"human error", "operator error": a person named as the failure`,
		Why:        `"Human error" is where an investigation stops, not where it should. People act sensibly given what they can see; calling the act an error hides the conditions that made it reasonable.`,
		Suggestion: `Describe the action and the conditions around it: what the person saw, what the tool allowed, what made the action look right.`,
		Examples:   []Example{{"This outage was caused by human error during the migration.", "The migration ran against production because the script defaulted to the production context."}},
	}, patterns: []string{
		"human|operator|pilot|engineer|engineering|manual|operational|personnel error|errors|mistake|mistakes|failure|failures|fault|slip",
	}, unless: []string{"human|operator error|mistake -prone|-proof|handling|rate|budget"}},
	{Rule: Rule{
		ID: "blame.moral", Severity: SeverityError,
		Summary:    `moral judgements of people: reckless, lazy, negligent, careless, sloppy, inattentive`,
		Why:        `Words that judge character make people defend themselves instead of explaining what happened; the room stops telling the truth.`,
		Suggestion: `Say what was done and what made it seem reasonable at the time, without judging the person.`,
		Examples:   []Example{{"Kim recklessly ran the migration against the primary.", "Kim ran the migration against the primary; nothing in the tool showed which database it targeted."}},
	}, patterns: []string{
		"{moral}",
		"not|wasn't|weren't paying attention",
		"asleep at the wheel|switch",
		"dropped the ball",
		"should|ought have|'ve known better",
		"should've known better",
		"lack of attention|care|diligence|discipline|ownership",
	}, unless: []string{
		"lazy ~1 {lazyok}", "lazy-loaded|lazy-loading|lazy-load", "not|never|wasn't|weren't {moral}",
		"lax mode|parsing|validation", "heedless of",
	}},
	{Rule: Rule{
		ID: "blame.why-you", Severity: SeverityError,
		Summary:    `"why did you ...": a question aimed at a person`,
		Why:        `A "why did you" question asks a person to justify themselves. Ask about the situation instead: it gets the same facts without the defence.`,
		Suggestion: `Ask about the situation: "What did you see at that point?" or "What made that the best option then?"`,
		Examples:   []Example{{"Why did you restart the primary without telling the channel?", "What made restarting the primary look like the best option, and how did the channel find out?"}},
	}, patterns: []string{
		"why did|didn't|would|wouldn't|were|weren't|was|wasn't|do|don't|didnt|could|couldn't <person>",
		"what were|was <person> thinking",
	}},
	{Rule: Rule{
		ID: "blame.agent", Severity: SeverityError,
		Summary:    `a person as the agent of a failure: "Sam forgot to", "the engineer failed to", "Kim's mistake"`,
		Why:        `Naming a person as the one who failed ends the inquiry at them. The same act, described with its context, leads to what the system can change.`,
		Suggestion: `Describe what happened and what made it likely: "The certificate renewal had no reminder and no owner after the team change."`,
		Examples: []Example{
			{"Sam forgot to update the certificate.", "The certificate was not renewed; renewal was a manual step with no reminder."},
			{"Kim's mistake in the Terraform plan destroyed the staging VPC.", "The Terraform plan destroyed the staging VPC; the plan output did not highlight the deletion."},
		},
	}, patterns: []string{
		"<person> ~2 {fail}",
		"<name> ~1 forgot|forgets|neglected|mistyped|fat-fingered|fatfingered",
		"<name> ~1 didn't|didnt|never|did bother|bothered",
		"<name> ~1 dropped the ball",
		"<name> ~1 messed|screwed|slipped up",
		"<person> ~2 failed|fails|neglected|neglects|forgot|forgets|omitted|refused to",
		"<person> ~1 {didnt} ~1 {check}",
		"<person> ~1 did|does not|never ~1 {check}",
		"<person> ~2 made|makes a|an|the ~1 mistake|error|blunder|mistakes|errors|misjudgment|misjudgement|slip",
		"<person> ~1 messed|screwed|slipped|fouled|goofed up",
		"<person> ~4 the|a wrong",
		"<person> is|was|were|are to blame",
		"<person> is|was|were|are at fault|responsible",
		"<poss> ~2 {failnoun}",
		"fault|negligence|mistake|error of <person>",
		"blame|blamed|blaming ~1 <person>",
		"caused|triggered|broken by <person>",
		"because|since <person> ~3 {didnt}|forgot|failed|neglected|ignored|missed|broke",
		"because|since <person> ~1 did not ~1 {check}",
		"fault|blame|responsibility|failure|mistake|error ~1 lies|lay|rests|rested|sits|sat ~1 with|on <person>",
		"couldn't|wouldn't be bothered",
		"{incident}|this|that|it's {be}? all? squarely|entirely|solely|firmly? on <person>",
		"could|would not be bothered",
	}, unless: []string{
		"<poss> ~2 error budget|budgets|rate|rates|handling|message|messages|page|code|codes|log|logs|path|paths|bars",
		"<poss> bad|failure ~2 alert|alerts|path|mode|domain|detector",
	}},
	{Rule: Rule{
		ID: "counterfactual.should-have", Severity: SeverityError,
		Summary:    `"should have", "shouldn't have": what someone ought to have done, seen after the fact`,
		Why:        `"Should have" compares what happened with a world nobody was in. It judges with knowledge the responders did not have, and says nothing about why the other path was not taken.`,
		Suggestion: `Ask what made the other path hard to see or take at the time: "What made it hard to know the database team was needed?"`,
		Examples:   []Example{{"The on-call should have paged the database team.", "What made it hard to know the database team was needed?"}},
	}, patterns: []string{
		"{should} not|never? to? {have} <pp>",
		"should've|shouldn't've|shouldnt've|oughtn't <pp>",
		"{should} not|never? to? {have} not|never <pp>",
	}},
	{Rule: Rule{
		ID: "counterfactual.could-have", Severity: SeverityError,
		Summary:    `"could have prevented", "would have been avoided", "would not have happened"`,
		Why:        `Counterfactuals describe an incident that did not happen. The useful question is what the people in this one knew and could do.`,
		Suggestion: `Describe what made the outcome possible, and what would make the safer path easier next time.`,
		Examples:   []Example{{"This could have been prevented with a simple check.", "Nothing in the deploy checked the flag; a pre-deploy check would make that visible."}},
	}, patterns: []string{
		"{could} not? {have} been? {prevent}",
		"could've|might've been? {prevent}",
		"{would} not? {have} been avoided|prevented|averted",
		"{would} {have} prevented|avoided|averted|stopped",
		"would've been avoided|prevented|averted",
		"{would} not|never {have} <pp>",
		"wouldn't|wouldnt {have} <pp>",
		"wouldn't've <pp>",
	}},
	{Rule: Rule{
		ID: "counterfactual.if-only", Severity: SeverityError,
		Summary:    `"if only", "had Sam checked ...", "if the engineer had ...": a different past wished for`,
		Why:        `"If only" rewrites the past around one choice. Incidents need many conditions at once; wishing one away hides the rest.`,
		Suggestion: `Name the conditions that made the outcome possible ("what all had to be true"), not the one choice that would have avoided it.`,
		Examples:   []Example{{"If only Sam had looked at the error budget, this could have been prevented.", "The error budget was not visible on the deploy page."}},
	}, unless: []string{
		"^ had to|already|just|been|no|nothing|several|many|some|two|three",
		"if only one|two|three|four|five|a|an|some|few|half|part|partially|partly|slightly|briefly|once|for|when|in|to",
	}, patterns: []string{
		"if only",
		"^ had ~4 <pp>",
		"had <person> only|just? <pp>",
		"if <person> had|'d only|just? <pp>",
		"ought to {have} <pp>",
		"{be} supposed to {have} <pp>",
		"needed to {have} <pp>",
	}},
	{Rule: Rule{
		ID: "hindsight.obviously", Severity: SeverityWarning,
		Summary:    `"obviously", "of course", "clearly", "it was obvious": certainty known only afterwards`,
		Why:        `What is obvious now was not obvious then; if it had been, people would have acted on it. Saying it was obvious tells the room that the responders missed something easy.`,
		Suggestion: `Describe what the signals looked like at the time, and what made the meaning hard to see.`,
		Examples:   []Example{{"Obviously, the migration should never have run during peak traffic.", "The migration ran during peak traffic; nothing in the schedule showed peak hours."}},
	}, patterns: []string{
		"obviously",
		"of course",
		"clearly",
		"{be} ~1 obvious",
		"the|an obvious",
		"^ it was|is|'s|seemed clear ~1 that|in|from",
		"^ it's clear that|in|from",
		"plainly",
		"in hindsight|retrospect ~2 {be} ~1 clear|obvious|evident",
	}, unless: []string{
		"clearly {clearok}", "clearly <pp>", "clearly ~1 {clearok}",
		"{be} not|n't|never|less|hardly|far|no ~1 obvious", "non-obvious|nonobvious", "not|never|no|nothing obvious",
		"not obviously", "not clearly",
		"obviously ~1 wrong|broken|amiss|bad|different|related|suspicious|off|faulty|abnormal|unusual|incorrect|visible|malicious|unrelated",
		"anything|nothing|something|everything obviously|clearly",
	}},
	{Rule: Rule{
		ID: "hindsight.simply", Severity: SeverityWarning,
		Summary:    `"simply", "all they had to do", "just had to": the fix made to sound easy`,
		Why:        `Calling a fix simple after the fact says the responders missed something easy. If it had been simple at the time, it would have been done.`,
		Suggestion: `Describe the fix and what made it hard to find or to choose during the incident.`,
		Examples:   []Example{{"All they had to do was roll back.", "Rolling back restored service; it took 40 minutes to see that the deploy was involved."}},
	}, patterns: []string{
		"simply ~1 needed|need|needs|had|has|have|required|requires|forgot|ignored|missed|didn't|failed|neglected",
		"{should}|could|would|should've|could've|must|just {have}? simply",
		"simply a|an matter|question|case of",
		"simply common sense|obvious|impossible|careless|negligent|sloppy|lazy|wrong|a mistake",
		"all|only ~3 had|needed|have|has to do",
		"all ~2 needed|had to do|was|were",
		"just|only|merely had|needed|have|has to",
		"it was|is|'s|would have been easy|trivial to",
		"it's|'s easy|trivial to",
		"common sense",
		"should be second nature",
		"impossible to miss",
		"hard|difficult to miss",
	}, unless: []string{
		"all|only ~3 had|needed|have|has to do is|was ~1 wait",
	}},
	{Rule: Rule{
		ID: "hindsight.anyone", Severity: SeverityWarning,
		Summary:    `"anyone could see", "should have known", "any engineer would have"`,
		Why:        `"Anyone could see" measures the responders against an imagined person who knew the ending.`,
		Suggestion: `Ask what the people involved could see at the time, and what hid the rest.`,
		Examples:   []Example{{"Anyone could have seen that the disk was filling up.", "The disk-usage graph was on a dashboard nobody had open during the incident."}},
	}, patterns: []string{
		"anyone|anybody|everyone|everybody ~3 could|would|should|can|must ~2 {see}",
		"any|a competent|reasonable|good|experienced ~1 engineer|operator|sre|developer|person ~2 would|could|should",
		"{should} {have} known",
		"should've known",
		"{should} {have} been obvious|clear|evident",
		"obvious|clear|evident to anyone|anybody|everyone|all",
		"in hindsight|retrospect ~3 it was|is a? mistake|wrong|error",
		"{be} a|an mistake|error ~1 in hindsight|retrospect",
		"{be} wrong ~1 in hindsight|retrospect",
		"it was|is a mistake to",
	}},
	{Rule: Rule{
		ID: "rootcause.root-cause", Severity: SeverityWarning,
		Summary:    `"the root cause", "the real cause": one cause for an incident that needed several`,
		Why:        `Incidents in complex systems need several conditions at once. Naming one root cause stops the search at the first one found, and the next incident comes through another.`,
		Suggestion: `List the contributing factors: "what all had to be true for this to happen?"`,
		Examples:   []Example{{"The root cause was a missing index on the orders table.", "Contributing factors: a missing index on the orders table; a query pattern that grew with catalog size; no alert on query latency."}},
	}, patterns: []string{
		"root|root-cause cause|causes|causing",
		"root-cause|rootcause|rca",
		"the|a|one {single} {cause}",
		"the {cause} of the|this|that {incident} {be}",
		"was|is ultimately|solely|entirely caused|due",
		"ultimately caused|due",
	}, unless: []string{
		"root|root-cause cause|causes analysis|analyses", "root-cause|rca analysis|analyses",
		"no|not|never|without|isn't|wasn't a|one? single? root|root-cause",
		"no|not|never|without|isn't|wasn't a|the {single}",
		"the|a|one {single} {cause} of concern",
	}},
}

// compiled returns the rules with patterns compiled; called once per Linter.
func compileLanguage(rules []*langRule) ([]*langRule, error) {
	out := make([]*langRule, 0, len(rules))
	for _, r := range rules {
		c := *r
		c.pats, c.unl = nil, nil
		for _, src := range r.patterns {
			p, err := compilePattern(src, predicates, wordSets)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
			c.pats = append(c.pats, p)
		}
		for _, src := range r.unless {
			p, err := compilePattern(src, predicates, wordSets)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
			c.unl = append(c.unl, p)
		}
		out = append(out, &c)
	}
	return out, nil
}

// triggers indexes the language rules' patterns by their anchor words.
type triggers struct {
	byWord map[string][]trigger
	n      int // patterns indexed
}

type trigger struct {
	rule int // index into the rules
	pat  int // index into the rule's patterns
}

func indexTriggers(rules []*langRule) *triggers {
	t := &triggers{byWord: map[string][]trigger{}}
	for ri, r := range rules {
		for pi := range r.pats {
			for w := range r.pats[pi].anchor() {
				t.byWord[w] = append(t.byWord[w], trigger{ri, pi})
			}
			t.n++
		}
	}
	return t
}

// candidates lists, in rule order, the patterns whose anchor occurs in
// ts, each with the positions of its anchor words (in order).
func (t *triggers) candidates(ts []token, out []trigger, pos []anchorHit) ([]trigger, []anchorHit) {
	out, pos = out[:0], pos[:0]
	for i, tok := range ts {
		for _, tr := range t.byWord[tok.lo] {
			pos = append(pos, anchorHit{tr, i})
		}
	}
	slices.SortFunc(pos, func(a, b anchorHit) int {
		if a.rule != b.rule {
			return a.rule - b.rule
		}
		if a.pat != b.pat {
			return a.pat - b.pat
		}
		return a.at - b.at
	})
	for i, h := range pos {
		if i == 0 || h.trigger != pos[i-1].trigger {
			out = append(out, h.trigger)
		}
	}
	return out, pos
}

// anchorHit is an anchor word of a pattern at a token position.
type anchorHit struct {
	trigger
	at int
}

// findPattern appends the matches of one of the rule's patterns, trying
// starts only within reach of the anchor words at positions at.
func (r *langRule) findPattern(c *matchCtx, ts []token, pi int, at []anchorHit, out []match) []match {
	p := &r.pats[pi]
	next := 0 // the first start not yet tried
	for _, h := range at {
		a := h.at
		if a < next {
			continue
		}
		for i := max(next, a-p.span); i <= a; i++ {
			if p.anchored && i > 0 {
				return out
			}
			if end, ok := p.matchAt(c, ts, i, 0); ok {
				if !r.excepted(c, ts, i) {
					out = append(out, match{rule: r, start: i, end: end})
				}
				next = end
				break
			}
			next = i + 1
		}
	}
	return out
}

// match is one language finding within a sentence: token range.
type match struct {
	rule       *langRule
	start, end int
}

// find returns every match of the rule in the sentence's tokens (one per
// start token), minus those an exception covers.
func (r *langRule) find(c *matchCtx, ts []token, out []match) []match {
	for _, p := range r.pats {
		for from := 0; from < len(ts); {
			s, e, ok := p.find(c, ts, from)
			if !ok {
				break
			}
			if !r.excepted(c, ts, s) {
				out = append(out, match{rule: r, start: s, end: e})
			}
			from = e
		}
	}
	return out
}

// excepted reports whether an exception matches over token s: starting at
// s or up to three words before it, and reaching past it.
func (r *langRule) excepted(c *matchCtx, ts []token, s int) bool {
	for _, u := range r.unl {
		for i := max(s-3, 0); i <= s; i++ {
			if e, ok := u.matchAt(c, ts, i, 0); ok && e > s {
				return true
			}
		}
	}
	return false
}

// message is the finding's text: the words quoted, then what the rule
// says about them.
func (r *langRule) message(words string) string {
	w := strings.TrimSpace(words)
	switch family(r.ID) {
	case "blame":
		return fmt.Sprintf("%q puts a person at the centre of the failure (%s).", w, r.Summary)
	case "counterfactual":
		return fmt.Sprintf("%q judges with hindsight: it describes a past that did not happen.", w)
	case "hindsight":
		return fmt.Sprintf("%q reads as hindsight: it was not that clear at the time.", w)
	case "rootcause":
		return fmt.Sprintf("%q frames the incident as having one cause.", w)
	}
	return fmt.Sprintf("%q: %s", w, r.Summary)
}

// isEmptyPattern is used by tests to find rules without patterns.
func (r *langRule) isEmptyPattern() bool { return len(r.patterns) == 0 }
