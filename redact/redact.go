// Package redact removes secrets (tokens, passwords, keys, connection-string
// passwords) from incident text before it reaches output, storage or logs.
//
// The rules are gitleaks' maintained default set plus our own for what it
// leaves out on purpose or by design: gitleaks hunts high-entropy secrets in
// source code and skips low-entropy values, documentation examples and
// placeholders, while incident text is full of "PGPASSWORD=hunter2",
// "mysql -phunter2" and pasted connection strings that must go all the same.
// Our rules are in the rules_*.go files, each saying what it matches and why.
//
// Redact runs on every event of a timeline, so it is built around a prefilter:
// one Aho–Corasick pass over the text finds every keyword of every rule
// (case-insensitively), and for each keyword hit the rule gets a cheap gate,
// a necessary condition checked at the hit (an operator near a "key" keyword,
// enough token characters after a "ghp_" prefix). Only rules whose gates pass
// run their regular expressions or scanners. Clean text costs the one pass and
// a few gates, and allocates nothing.
//
// Only the secret is replaced, never its context: "PGPASSWORD=[REDACTED:password]",
// "postgres://app:[REDACTED:connection-string]@db:5432/orders",
// "Authorization: Bearer [REDACTED:bearer-token]", so a reader of the timeline
// still sees what was done to which host. Where spans of several rules
// overlap, their union is replaced once, named by the most specific rule.
// Redact is idempotent: markers already in the text are never replaced again,
// and a replacement that exposes a new match (a boundary next to a token) is
// followed by another pass.
//
// When in doubt a value is redacted: a key that names a secret
// (…PASSWORD, …TOKEN, …SECRET, *_API_KEY, --password) redacts any value that
// is not a reference or placeholder, however weak. What stays is what reads
// like prose or points elsewhere: "password reset emails are failing",
// "--password-file=/etc/x", "PGPASSWORD=$DB_PASS", "the bearer token expired".
package redact

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Redactor finds and replaces secrets. Build it once with New; it is safe for
// concurrent use.
type Redactor struct {
	scanner   *keywordScanner
	rules     []rule
	once      []bool     // rules[i].wholeText()
	byKeyword [][]uint16 // keyword id → indexes of the rules that use it
	// keywordless rules have no keyword for the automaton to find; they run
	// when the text holds a run of at least minSecretRun token bytes, since a
	// secret without a known prefix is at least that long.
	keywordless []uint16
	scratch     sync.Pool
}

// minSecretRun is the shortest run of token bytes that wakes keywordless
// rules.
const minSecretRun = 16

var tokenRunBytes = newByteSet("a-z", "A-Z", "0-9", "+/=_-")

// hasTokenRun reports whether s holds n token bytes in a row. Such a run
// covers one of every n-th byte, so it looks at those and measures the run
// only around the ones that are token bytes: a third of the bytes of chat
// text, where a look at each was a fifth of redaction.
func hasTokenRun(s string, n int) bool {
	if n <= 0 {
		return true
	}
	for j := n - 1; j < len(s); {
		if !tokenRunBytes[s[j]] {
			j += n // s[j-n+1:j] is too short for a run
			continue
		}
		start := j
		for start > 0 && j-start < n-1 && tokenRunBytes[s[start-1]] {
			start--
		}
		end := j + 1
		for end < len(s) && end-start < n && tokenRunBytes[s[end]] {
			end++
		}
		if end-start >= n {
			return true
		}
		j = end + n // s[end] ends the run; s[end+1:end+n] is too short
	}
	return false
}

// rule is one kind of secret. Each is a necessary cheap gate plus a finder.
type rule interface {
	// keywords are the lower-case strings one of which occurs in every match.
	keywords() []string
	// gate reports whether a match may involve the keyword hit s[hs:he]. It
	// must never be false where find would report something for that hit,
	// and it runs for every hit in every text, so it must be cheap.
	gate(s string, hs, he int) bool
	// find appends what to redact in s, given the hits of its keywords.
	find(s string, hits []hit, out *spans)
	// wholeText reports whether gate ignores the hit: then it is asked once
	// per text.
	wholeText() bool
}

// hit is one occurrence of a rule keyword, s[start:end].
type hit struct{ start, end int }

// span is a byte range of the input to replace by "[REDACTED:id]".
type span struct {
	start, end int
	id         string
	prio       int // index of the rule that found it: lower wins the label
}

// spans collects what one rule finds.
type spans struct {
	list []span
	prio int
}

func (sp *spans) add(start, end int, id string) {
	if start < end {
		sp.list = append(sp.list, span{start: start, end: end, id: id, prio: sp.prio})
	}
}

// covers reports whether one span found so far holds s[start:end].
func (sp *spans) covers(start, end int) bool {
	for _, f := range sp.list {
		if f.start <= start && end <= f.end {
			return true
		}
	}
	return false
}

type scratch struct {
	hits  [][]hit
	found spans
}

// maxRules bounds the rule bitset kept on the stack during a scan.
const maxRules = 64 * 8

type ruleSet [maxRules / 64]uint64

func (rs *ruleSet) add(i uint16)      { rs[i>>6] |= 1 << (i & 63) }
func (rs *ruleSet) has(i uint16) bool { return rs[i>>6]&(1<<(i&63)) != 0 }

// Option configures New.
type Option func(*options)

type options struct {
	gitleaks bool
	disabled map[string]bool
}

// WithoutGitleaks leaves out the gitleaks rule set, keeping only this
// package's rules: New gets much cheaper, and the common secrets of incident
// text (passwords, cloud and chat tokens, keys, connection strings) are still
// covered.
func WithoutGitleaks() Option { return func(o *options) { o.gitleaks = false } }

// DisableRules leaves out rules by the id shown in their markers
// ("password", "jwt") or by their gitleaks rule id ("generic-api-key").
func DisableRules(ids ...string) Option {
	return func(o *options) {
		for _, id := range ids {
			o.disabled[id] = true
		}
	}
}

// New builds a Redactor. Compiling the gitleaks rules takes tens of
// milliseconds: build one per process and share it.
func New(opts ...Option) (*Redactor, error) {
	o := options{gitleaks: true, disabled: map[string]bool{}}
	for _, opt := range opts {
		opt(&o)
	}
	rules := ownRules(o.disabled)
	if o.gitleaks {
		gl, err := gitleaksRules(o.disabled)
		if err != nil {
			return nil, fmt.Errorf("redact: gitleaks rules: %w", err)
		}
		rules = append(rules, gl...)
	}
	if len(rules) > maxRules {
		return nil, fmt.Errorf("redact: %d rules, at most %d supported", len(rules), maxRules)
	}
	return build(rules)
}

func build(rules []rule) (*Redactor, error) {
	r := &Redactor{rules: rules, once: make([]bool, len(rules))}
	ids := map[string]int{}
	var keywords []string
	for ri, ru := range rules {
		r.once[ri] = ru.wholeText()
		if len(ru.keywords()) == 0 {
			r.keywordless = append(r.keywordless, uint16(ri))
		}
		for _, kw := range ru.keywords() {
			id, ok := ids[kw]
			if !ok {
				id = len(keywords)
				ids[kw] = id
				keywords = append(keywords, kw)
				r.byKeyword = append(r.byKeyword, nil)
			}
			if !slices.Contains(r.byKeyword[id], uint16(ri)) {
				r.byKeyword[id] = append(r.byKeyword[id], uint16(ri))
			}
		}
	}
	sc, err := newKeywordScanner(keywords)
	if err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	r.scanner = sc
	r.scratch.New = func() any { return &scratch{hits: make([][]hit, len(rules))} }
	return r, nil
}

// Rules returns how many rules the Redactor runs.
func (r *Redactor) Rules() int { return len(r.rules) }

// maxPasses bounds re-running the rules on their own output: a replacement can
// put a boundary next to text that a rule then recognizes, and Redact must be
// idempotent.
const maxPasses = 8

// Redact returns s with every secret found replaced by "[REDACTED:rule-id]",
// and how many it replaced. When it finds none it returns s itself.
func (r *Redactor) Redact(s string) (out string, n int) {
	out = s
	for pass := 0; pass < maxPasses; pass++ {
		var want ruleSet
		if !r.prefilter(out, &want) {
			return out, n
		}
		next, k := r.redactWanted(out, &want)
		if k == 0 {
			return out, n
		}
		out, n = next, n+k
	}
	return out, n
}

// maxGateFails bounds how often one rule's gate is asked in one text: past
// it the rule simply runs. A gate may read up to a value's length from its
// hit, so without a bound a text of many hits inside one long run (a
// megabyte of "xoxb-xoxb-…") would cost hits × length; each rule's find reads
// such a run once.
const maxGateFails = 64

// prefilter runs the keyword automaton over s and the gates of the rules
// whose keywords it meets, and reports whether any rule must run.
func (r *Redactor) prefilter(s string, want *ruleSet) bool {
	ks := r.scanner
	any := false
	if len(r.keywordless) > 0 && hasTokenRun(s, minSecretRun) {
		for _, ri := range r.keywordless {
			want.add(ri)
		}
		any = true
	}
	if len(s) >= ks.splitMin() {
		return r.prefilterChains(s, want) || any
	}
	next, class, fo := ks.next, &ks.class, ks.firstOut
	st := 0
	for i := 0; i < len(s); i++ {
		e := next[st+int(class[s[i]])]
		st = int(e)
		if e >= fo {
			// Most text meets no keyword at all; the bookkeeping for gates
			// is only set up (and zeroed) once one turns up.
			return r.prefilterFrom(s, i, e, want) || any
		}
	}
	return any
}

// prefilterFrom continues prefilter from the first keyword hit, the state
// entry e at byte i.
func (r *Redactor) prefilterFrom(s string, i int, e uint32, want *ruleSet) bool {
	ks := r.scanner
	next, class, fo := ks.next, &ks.class, ks.firstOut
	var g gates
	for {
		if e >= fo {
			r.gateHit(s, i, e, want, &g)
		}
		if i++; i >= len(s) {
			return g.any
		}
		st := int(e)
		e = next[st+int(class[s[i]])]
	}
}

// gates is the bookkeeping of one text's gate questions.
type gates struct {
	asked ruleSet // whole-text gates already asked
	fails [maxRules]uint8
	any   bool // some rule must run
}

// gateHit asks the gates of the rules whose keywords end at s[i], in the
// state entry e. The order in which a text's hits are asked does not change
// the outcome: a rule is wanted when one of its gates passes, or after
// maxGateFails that did not, and a whole-text gate gives the same answer
// at any hit.
func (r *Redactor) gateHit(s string, i int, e uint32, want *ruleSet, g *gates) {
	ks := r.scanner
	for _, kw := range ks.outputs(e) {
		hs := i + 1 - ks.kwLen[kw]
		for _, ri := range r.byKeyword[kw] {
			if want.has(ri) || g.asked.has(ri) {
				continue
			}
			if r.once[ri] {
				g.asked.add(ri)
			}
			if r.rules[ri].gate(s, hs, i+1) || g.fails[ri] == maxGateFails {
				want.add(ri)
				g.any = true
			}
			g.fails[ri]++
		}
	}
}

// prefilterChains is prefilter for a text long enough to split: the
// automaton runs over two or four pieces of s at once, independent chains
// of dependent table loads that the CPU overlaps. Each piece but the first
// starts maxKw-1 bytes before the end of the one before it, so that from
// there on its state is the one a single pass would be in; the pieces are
// of one length, so no chain is left to run on alone at the end. Every hit
// is asked about where its chain meets it, so a text with keywords (a
// URL's "://", "api", "auth": four chat lines in ten) is read once.
func (r *Redactor) prefilterChains(s string, want *ruleSet) bool {
	ks := r.scanner
	o := max(ks.maxKw-1, 0)
	if len(s) >= 8*ks.maxKw {
		return r.prefilter4(s, o, want)
	}
	next, class, fo := ks.next, &ks.class, ks.firstOut
	var g gates
	m := (len(s) + o + 1) / 2
	a, b := s[:m], s[m-o:]
	sa, sb := 0, 0
	for i := 0; i < len(b); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		if max(ea, eb) >= fo {
			if ea >= fo {
				r.gateHit(s, i, ea, want, &g)
			}
			if eb >= fo && i >= o { // before o: a's bytes, a's hits
				r.gateHit(s, m-o+i, eb, want, &g)
			}
		}
		sa = int(ea)
		sb = int(eb)
	}
	r.chainTail(s, a, 0, len(b), sa, want, &g)
	return g.any
}

// prefilter4 is prefilterChains with four chains, for long texts.
func (r *Redactor) prefilter4(s string, o int, want *ruleSet) bool {
	ks := r.scanner
	next, class, fo := ks.next, &ks.class, ks.firstOut
	var g gates
	m := (len(s) + 3*o + 3) / 4
	ob, oc, od := m-o, 2*(m-o), 3*(m-o) // where the pieces start
	a, b, c, d := s[:m], s[ob:ob+m], s[oc:oc+m], s[od:]
	sa, sb, sc, sd := 0, 0, 0, 0
	for i := 0; i < len(d); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		ec := next[sc+int(class[c[i]])]
		ed := next[sd+int(class[d[i]])]
		if max(ea, eb, ec, ed) >= fo {
			if ea >= fo {
				r.gateHit(s, i, ea, want, &g)
			}
			if i >= o { // before o: the previous piece's bytes and hits
				if eb >= fo {
					r.gateHit(s, ob+i, eb, want, &g)
				}
				if ec >= fo {
					r.gateHit(s, oc+i, ec, want, &g)
				}
				if ed >= fo {
					r.gateHit(s, od+i, ed, want, &g)
				}
			}
		}
		sa = int(ea)
		sb = int(eb)
		sc = int(ec)
		sd = int(ed)
	}
	r.chainTail(s, a, 0, len(d), sa, want, &g)
	r.chainTail(s, b, ob, len(d), sb, want, &g)
	r.chainTail(s, c, oc, len(d), sc, want, &g)
	return g.any
}

// chainTail runs one chain over the rest of its piece p (which starts at
// s[off]) from p[i] in the state of row st, asking about its hits:
// the last few bytes of a piece longer than the last one.
func (r *Redactor) chainTail(s, p string, off, i, st int, want *ruleSet, g *gates) {
	ks := r.scanner
	next, class, fo := ks.next, &ks.class, ks.firstOut
	for ; i < len(p); i++ {
		e := next[st+int(class[p[i]])]
		if e >= fo {
			r.gateHit(s, off+i, e, want, g)
		}
		st = int(e)
	}
}

// redactWanted runs the wanted rules over s and replaces what they find.
func (r *Redactor) redactWanted(s string, want *ruleSet) (string, int) {
	sc := r.scratch.Get().(*scratch)
	defer r.scratch.Put(sc)
	r.collectHits(s, want, sc)
	sc.found.list = sc.found.list[:0]
	for ri := range r.rules {
		if want.has(uint16(ri)) {
			sc.found.prio = ri
			r.rules[ri].find(s, sc.hits[ri], &sc.found)
			sc.hits[ri] = sc.hits[ri][:0]
		}
	}
	found := splitAroundMarkers(s, sc.found.list)
	if len(found) == 0 {
		return s, 0
	}
	return replace(s, found)
}

// collectHits repeats the automaton pass, this time keeping the hits of the
// wanted rules (clean text never gets here, so the first pass stays free of
// bookkeeping).
func (r *Redactor) collectHits(s string, want *ruleSet, sc *scratch) {
	ks := r.scanner
	st := 0
	for i := 0; i < len(s); i++ {
		e := ks.next[st+int(ks.class[s[i]])]
		st = int(e)
		if e < ks.firstOut {
			continue
		}
		for _, kw := range ks.outputs(e) {
			h := hit{start: i + 1 - ks.kwLen[kw], end: i + 1}
			for _, ri := range r.byKeyword[kw] {
				if want.has(ri) {
					sc.hits[ri] = append(sc.hits[ri], h)
				}
			}
		}
	}
}

// splitAroundMarkers cuts the markers already in s out of the spans found,
// so that redacting redacted text changes nothing, while text next to a
// marker inside a span (a cookie header running on past an earlier marker)
// is still redacted. Pieces without a letter or digit are dropped.
func splitAroundMarkers(s string, found []span) []span {
	if !strings.Contains(s, markerPrefix) {
		return found
	}
	markers := markerRegions(s)
	var out []span
	for _, sp := range found {
		for _, m := range markers {
			if m[1] <= sp.start || m[0] >= sp.end {
				continue
			}
			if m[0] > sp.start {
				out = appendPiece(s, out, sp, sp.start, m[0])
			}
			sp.start = max(sp.start, m[1])
		}
		out = appendPiece(s, out, sp, sp.start, sp.end)
	}
	return out
}

func appendPiece(s string, out []span, sp span, start, end int) []span {
	for start < end && space[s[start]] {
		start++
	}
	for end > start && space[s[end-1]] {
		end--
	}
	if start >= end || !hasAlnum(s[start:end]) {
		return out
	}
	sp.start, sp.end = start, end
	return append(out, sp)
}

// markerRegions returns the [start, end) of each marker in s, in order.
func markerRegions(s string) [][2]int {
	var regions [][2]int
	for from := 0; ; {
		i := strings.Index(s[from:], markerPrefix)
		if i < 0 {
			return regions
		}
		i += from
		if n := markerLen(s, i); n > 0 {
			regions = append(regions, [2]int{i, i + n})
			from = i + n
			continue
		}
		from = i + 1
	}
}

// replace merges overlapping spans (the lowest-priority-index rule names the
// union) and builds the output.
func replace(s string, found []span) (string, int) {
	slices.SortFunc(found, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.prio, b.prio))
	})
	var b strings.Builder
	b.Grow(len(s) + 32*len(found))
	n, last := 0, 0
	for i := 0; i < len(found); {
		cur := found[i]
		for i++; i < len(found) && found[i].start < cur.end; i++ {
			cur.end = max(cur.end, found[i].end)
			if found[i].prio < cur.prio {
				cur.id, cur.prio = found[i].id, found[i].prio
			}
		}
		b.WriteString(s[last:cur.start])
		b.WriteString(markerPrefix)
		b.WriteString(cur.id)
		b.WriteByte(']')
		last = cur.end
		n++
	}
	b.WriteString(s[last:])
	return b.String(), n
}
