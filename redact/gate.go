package redact

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// gate is a cheap necessary condition for a gitleaks rule, checked at each hit
// of one of its keywords before the rule's regular expression may run.
//
// gitleaks' keyword prefilter alone is far too coarse for incident text: its
// generic rule wakes up on "key", "token", "auth", "access", its JWT rule on
// "ey" (every "they" and "key"), its Vault rule on "s." (every sentence that
// ends in a plural). Running Go's regexp engine on each costs 2–20 µs, so the
// gates below are derived from the structure of each expression and reject
// nearly all of those hits in a few nanoseconds.
type gate interface {
	pass(s string, hs, he int) bool
}

// wholeTextGate marks gates whose answer depends on the text only, not on
// the hit: Redact asks them once per text, not once per hit, so that a text
// with thousands of hits stays linear.
type wholeTextGate interface {
	gate
	wholeText()
}

func (literalGate) wholeText()    {}
func (foldGate) wholeText()       {}
func (curlUserGate) wholeText()   {}
func (curlHeaderGate) wholeText() {}

// deriveGate returns the gate for a gitleaks rule, or nil when none can be
// proven sound (the rule then runs whenever a keyword occurs).
func deriveGate(id, src string, keywords []string, entropy float64, secretGroup int) gate {
	if g := handGate(id, src); g != nil {
		return g
	}
	if g := templateGateFor(src, entropy, secretGroup); g != nil {
		return g
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	branches, ok := prefixBranches(re)
	if !ok || !coveredByKeywords(branches, keywords) {
		return nil
	}
	return prefixGate(branches)
}

// prefixBranch is one way a prefix-shaped rule can start: a literal (the
// token's fixed prefix, like "ghp_" or "xoxb-"), then at least min bytes of a
// character class.
type prefixBranch struct {
	lit   string // lower-cased when fold
	fold  bool
	class *byteSet
	min   int
}

// prefixGate passes when the text at the hit starts with one branch's literal
// followed by enough bytes of its class.
type prefixGate []prefixBranch

func (g prefixGate) pass(s string, hs, he int) bool {
	for _, b := range g {
		if !hasPrefixFold(b.lit, s[hs:he]) || len(s)-hs < len(b.lit) {
			continue
		}
		at := s[hs : hs+len(b.lit)]
		if b.fold && !strings.EqualFold(at, b.lit) || !b.fold && at != b.lit {
			continue
		}
		if b.class == nil || runEnd(s, hs+len(b.lit), b.class)-(hs+len(b.lit)) >= b.min {
			return true
		}
	}
	return false
}

// coveredByKeywords reports whether every branch's literal starts with a rule
// keyword: then every match begins at a keyword hit, where the gate is asked.
func coveredByKeywords(branches []prefixBranch, keywords []string) bool {
	for _, b := range branches {
		ok := false
		for _, kw := range keywords {
			if hasPrefixFold(b.lit, kw) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return len(branches) > 0
}

// prefixBranches derives the branches of an expression shaped like
// `\b(?:lit1|lit2)[class]{n,}…`, or reports that it is not so shaped.
func prefixBranches(re *syntax.Regexp) ([]prefixBranch, bool) {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	switch re.Op {
	case syntax.OpLiteral:
		return literalBranch(re)
	case syntax.OpAlternate:
		var all []prefixBranch
		for _, sub := range re.Sub {
			bs, ok := prefixBranches(sub)
			if !ok {
				return nil, false
			}
			all = append(all, bs...)
		}
		return all, true
	case syntax.OpConcat:
		return concatBranches(re.Sub)
	}
	return nil, false
}

func literalBranch(re *syntax.Regexp) ([]prefixBranch, bool) {
	lit := string(re.Rune)
	for i := 0; i < len(lit); i++ {
		if lit[i] >= utf8.RuneSelf {
			return nil, false
		}
	}
	fold := re.Flags&syntax.FoldCase != 0
	if fold {
		lit = strings.ToLower(lit)
	}
	return []prefixBranch{{lit: lit, fold: fold}}, true
}

func concatBranches(subs []*syntax.Regexp) ([]prefixBranch, bool) {
	for len(subs) > 0 && isEmptyWidth(subs[0]) {
		subs = subs[1:]
	}
	if len(subs) == 0 {
		return nil, false
	}
	branches, ok := prefixBranches(subs[0])
	if !ok || len(subs) < 2 {
		return branches, ok
	}
	class, n, ok := classRepeat(subs[1])
	if !ok {
		return branches, true
	}
	for i := range branches {
		if branches[i].class == nil {
			branches[i].class, branches[i].min = class, n
		}
	}
	return branches, true
}

// literalGate passes when the text contains one of a few case-sensitive
// literals that every match must contain.
type literalGate []string

func (g literalGate) pass(s string, _, _ int) bool {
	for _, lit := range g {
		if strings.Contains(s, lit) {
			return true
		}
	}
	return false
}

// foldGate is literalGate ignoring ASCII case, for lower-case literals.
type foldGate []string

func (g foldGate) pass(s string, _, _ int) bool {
	for _, lit := range g {
		if indexFold(s, lit) >= 0 {
			return true
		}
	}
	return false
}
