package lint

import (
	"fmt"
	"strconv"
	"strings"
)

// A pattern is a small sequence over a sentence's words, written as text so
// the rule catalog reads like the phrasing it catches:
//
//	should|shouldn't not? have|'ve <pp>
//
// Slots are separated by spaces: `a|b` is one word out of several, a `?`
// suffix makes a slot optional, `<name>` is a predicate that may take several
// words (a person, a past participle), `{name}` a named word list, and `~N`
// skips up to N words within the clause. Patterns are compiled once, when the
// linter is made.
type pattern struct {
	src   string
	slots []slot
	// anchored patterns (written with a leading ^) match only at the
	// start of a sentence.
	anchored bool
	// anchorWords is anchor(); span the most words a match can take.
	anchorWords map[string]bool
	span        int
}

type slot struct {
	words map[string]bool
	pred  predicate
	opt   bool
	gap   int // >0: a gap of up to gap words
}

// predicate reports how many tokens from i it takes (0: no match).
type predicate func(c *matchCtx, ts []token, i int) int

// matchCtx carries what predicates need to know about the document.
type matchCtx struct {
	people map[string]bool // lower-cased names and handles of the doc's people
	teams  map[string]bool
	text   string
}

func compilePattern(src string, preds map[string]predicate, sets map[string][]string) (pattern, error) {
	p := pattern{src: src}
	fields := strings.Fields(src)
	if len(fields) > 0 && fields[0] == "^" {
		p.anchored, fields = true, fields[1:]
	}
	for _, f := range fields {
		var s slot
		if strings.HasPrefix(f, "~") {
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 {
				return p, fmt.Errorf("pattern %q: bad gap %q", src, f)
			}
			p.slots = append(p.slots, slot{gap: n})
			continue
		}
		if strings.HasSuffix(f, "?") && len(f) > 1 {
			s.opt, f = true, f[:len(f)-1]
		}
		switch {
		case strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">"):
			s.pred = preds[f[1:len(f)-1]]
			if s.pred == nil {
				return p, fmt.Errorf("pattern %q: no predicate %s", src, f)
			}
		case strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}"):
			words, ok := sets[f[1:len(f)-1]]
			if !ok {
				return p, fmt.Errorf("pattern %q: no word list %s", src, f)
			}
			s.words = wordSet(words)
		default:
			// Alternatives may name word lists: {didnt}|forgot|failed.
			var words []string
			for _, alt := range strings.Split(f, "|") {
				if strings.HasPrefix(alt, "{") && strings.HasSuffix(alt, "}") {
					list, ok := sets[alt[1:len(alt)-1]]
					if !ok {
						return p, fmt.Errorf("pattern %q: no word list %s", src, alt)
					}
					words = append(words, list...)
					continue
				}
				if alt == "" || strings.ContainsAny(alt, "{}<>~") {
					return p, fmt.Errorf("pattern %q: bad alternative %q", src, alt)
				}
				words = append(words, alt)
			}
			s.words = wordSet(words)
		}
		p.slots = append(p.slots, s)
	}
	if len(p.slots) == 0 || p.slots[0].gap > 0 || p.slots[0].opt {
		return p, fmt.Errorf("pattern %q: must start with a required word", src)
	}
	if p.anchor() == nil {
		return p, fmt.Errorf("pattern %q: needs at least one required word slot", src)
	}
	p.anchorWords = p.anchor()
	for _, s := range p.slots {
		switch {
		case s.gap > 0:
			p.span += s.gap
		case s.pred != nil:
			p.span += maxPredicateWords
		default:
			p.span++
		}
	}
	return p, nil
}

// maxPredicateWords is the most words a predicate takes ("the new on-call
// engineer").
const maxPredicateWords = 5

// anchor is the pattern's rarest required word slot: every match contains
// one of its words, so a sentence without any of them is skipped unseen.
func (p *pattern) anchor() map[string]bool {
	var best map[string]bool
	bestCost := 0
	for _, s := range p.slots {
		if s.words == nil || s.opt {
			continue
		}
		cost := 0
		for w := range s.words {
			cost++
			if commonWords[w] {
				cost += 1000
			}
		}
		if best == nil || cost < bestCost {
			best, bestCost = s.words, cost
		}
	}
	return best
}

func wordSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// find returns the first match in ts at or after token from: the index of
// its first token and one past its last.
func (p *pattern) find(c *matchCtx, ts []token, from int) (int, int, bool) {
	// A match holds an anchor word, so it starts at most span words
	// before one: start positions are tried only there.
	next := from // the first start not yet tried
	for a := from; a < len(ts); a++ {
		if !p.anchorWords[ts[a].lo] {
			continue
		}
		for i := max(next, a-p.span); i <= a; i++ {
			if p.anchored && i > 0 {
				return 0, 0, false
			}
			if end, ok := p.matchAt(c, ts, i, 0); ok {
				return i, end, true
			}
		}
		next = a + 1
	}
	return 0, 0, false
}

// findAll is find without the anchor shortcut (tests compare the two).
func (p *pattern) findAll(c *matchCtx, ts []token, from int) (int, int, bool) {
	for i := from; i < len(ts); i++ {
		if p.anchored && i > 0 {
			break
		}
		if end, ok := p.matchAt(c, ts, i, 0); ok {
			return i, end, true
		}
	}
	return 0, 0, false
}

// matchAt matches slots[k:] from token i; it backtracks over optional
// slots and gaps.
func (p *pattern) matchAt(c *matchCtx, ts []token, i, k int) (int, bool) {
	if k == len(p.slots) {
		return i, true
	}
	s := &p.slots[k]
	if s.gap > 0 {
		// Skip up to gap words, never across a clause boundary: every
		// skipped word and the next matched one must follow without one.
		for g := 0; g <= s.gap && i+g < len(ts); g++ {
			if ts[i+g].brk {
				break
			}
			if end, ok := p.matchAt(c, ts, i+g, k+1); ok {
				return end, true
			}
		}
		return 0, false
	}
	if n := s.match(c, ts, i); n > 0 {
		if end, ok := p.matchAt(c, ts, i+n, k+1); ok {
			return end, true
		}
	}
	if s.opt {
		return p.matchAt(c, ts, i, k+1)
	}
	return 0, false
}

func (s *slot) match(c *matchCtx, ts []token, i int) int {
	if i >= len(ts) {
		return 0
	}
	if s.pred != nil {
		return s.pred(c, ts, i)
	}
	if s.words[ts[i].lo] {
		return 1
	}
	return 0
}
