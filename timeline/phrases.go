package timeline

// phraseSet finds many phrases in one pass over a text, ASCII
// case-insensitively, with an Aho–Corasick automaton compiled to a dense
// table over byte classes. The text rules run on every event of
// million-event timelines, where searching for each phrase in turn cost more
// than parsing; classes (the few dozen bytes the phrases use, one class for
// every other byte) keep the table small enough to stay in cache.
type phraseSet struct {
	class   [256]uint8
	classes int
	// next[row+class] is the row of the next state (its index times
	// classes), failure links folded in: the scan's chain of dependent loads
	// is a load and an add a byte. States where phrases end are numbered
	// last, their rows from firstOut on, so that a hit is told by comparing
	// the row, off that chain (a flag bit in the entry cost a mask on it).
	next     []uint32
	firstOut uint32
	out      [][]int32 // phrase indexes ending at each state
	phrases  []string
	maxLen   int // the longest phrase
}

func newPhraseSet(phrases []string) *phraseSet {
	ps := &phraseSet{phrases: phrases}
	for _, p := range phrases {
		ps.maxLen = max(ps.maxLen, len(p))
	}
	ps.classes = 1 // class 0: bytes no phrase uses
	for _, p := range phrases {
		for j := 0; j < len(p); j++ {
			c := lower(p[j])
			if ps.class[c] == 0 {
				ps.class[c] = uint8(ps.classes)
				ps.classes++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		ps.class[c] = ps.class[c+'a'-'A']
	}
	k := ps.classes
	goto_ := make([]int32, k) // trie; 0 means no edge (the root is never a target)
	ps.out = [][]int32{nil}
	for i, p := range phrases {
		s := int32(0)
		for j := 0; j < len(p); j++ {
			c := int32(ps.class[lower(p[j])])
			if goto_[s*int32(k)+c] == 0 {
				goto_ = append(goto_, make([]int32, k)...)
				ps.out = append(ps.out, nil)
				goto_[s*int32(k)+c] = int32(len(ps.out) - 1)
			}
			s = goto_[s*int32(k)+c]
		}
		ps.out[s] = append(ps.out[s], int32(i))
	}
	states := len(ps.out)
	if states > 1<<16 {
		panic("timeline: too many phrase states for a uint16 table")
	}
	next := make([]uint16, states*k)
	fail := make([]int32, states)
	var queue []int32
	for c := 0; c < k; c++ {
		if s := goto_[c]; s != 0 {
			next[c] = uint16(s)
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		ps.out[r] = append(ps.out[r], ps.out[fail[r]]...)
		for c := 0; c < k; c++ {
			s := goto_[int(r)*k+c]
			if s == 0 {
				next[int(r)*k+c] = next[int(fail[r])*k+c]
				continue
			}
			next[int(r)*k+c] = uint16(s)
			fail[s] = int32(next[int(fail[r])*k+c])
			queue = append(queue, s)
		}
	}
	// Number the states without phrases first (the root, which has none,
	// stays 0), then those with.
	num := make([]uint32, states)
	order := make([]int, 0, states)
	for _, outs := range []bool{false, true} {
		for st := range states {
			if (len(ps.out[st]) > 0) == outs && (st != 0 || !outs) {
				num[st] = uint32(len(order))
				order = append(order, st)
			}
		}
		if !outs {
			ps.firstOut = uint32(len(order) * k)
		}
	}
	if len(order) < states { // an empty phrase ends at the root
		panic("timeline: an empty phrase")
	}
	out := make([][]int32, states)
	ps.next = make([]uint32, len(next))
	for i, st := range order {
		out[i] = ps.out[st]
		for c := range k {
			ps.next[i*k+c] = num[next[st*k+c]] * uint32(k)
		}
	}
	ps.out = out
	return ps
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// each calls fn with the index of every phrase found in text on word
// boundaries (not inside an emoji shortcode), and where it ends. fn returns
// false to stop.
//
// Long texts are scanned as two pieces at once, the second starting maxLen
// bytes before the first ends: after that many bytes its automaton state is
// the one a single scan would have (a state is at most maxLen bytes of
// suffix), so the hits of both are exact. The pieces are of one length, so
// neither chain runs on alone at the end. Two independent chains of table
// loads run about twice as fast as one (the scan's time is the chain's
// loads, one after the other), and texts of eight times maxLen or more are
// scanned as four pieces (see each4); hits are rare and reported
// afterwards, in order.
func (ps *phraseSet) each(text string, fn func(phrase, end int) bool) {
	o := ps.maxLen
	if len(text) < 4*o {
		ps.eachOnce(text, fn)
		return
	}
	if len(text) >= 8*o {
		ps.each4(text, fn)
		return
	}
	next, class, fo := ps.next, &ps.class, ps.firstOut
	type hit struct{ i, s int }
	var buf [16]hit
	hits := buf[:0]
	m := (len(text) + o + 1) / 2
	a, b := text[:m], text[m-o:]
	var hb [16]hit // the second piece's hits, reported after the first's
	bh := hb[:0]
	var ea, eb uint32
	for i := 0; i < len(b); i++ {
		ea = next[int(ea)+int(class[a[i]])]
		eb = next[int(eb)+int(class[b[i]])]
		if max(ea, eb) >= fo {
			if ea >= fo {
				hits = append(hits, hit{i, int(ea)})
			}
			if eb >= fo && i >= o {
				bh = append(bh, hit{m - o + i, int(eb)})
			}
		}
	}
	for i := len(b); i < len(a); i++ {
		ea = next[int(ea)+int(class[a[i]])]
		if ea >= fo {
			hits = append(hits, hit{i, int(ea)})
		}
	}
	hits = append(hits, bh...)
	for _, h := range hits {
		if !ps.report(text, h.i, h.s, fn) {
			return
		}
	}
}

// phraseHit is where a phrase set's chain met a state that ends phrases.
type phraseHit struct{ i, row int }

// each4 is each with four pieces, for long texts: each piece but the first
// starts maxLen bytes before the one before it ends, and reports its hits
// from there on, so the pieces' hits follow each other in order.
func (ps *phraseSet) each4(text string, fn func(phrase, end int) bool) {
	next, class, fo := ps.next, &ps.class, ps.firstOut
	o := ps.maxLen
	m := (len(text) + 3*o + 3) / 4
	ob, oc, od := m-o, 2*(m-o), 3*(m-o) // where the pieces start
	a, b, c, d := text[:m], text[ob:ob+m], text[oc:oc+m], text[od:]
	var bufs [4][8]phraseHit
	hits := [4][]phraseHit{bufs[0][:0], bufs[1][:0], bufs[2][:0], bufs[3][:0]}
	var ea, eb, ec, ed uint32
	for i := 0; i < len(d); i++ {
		ea = next[int(ea)+int(class[a[i]])]
		eb = next[int(eb)+int(class[b[i]])]
		ec = next[int(ec)+int(class[c[i]])]
		ed = next[int(ed)+int(class[d[i]])]
		if max(ea, eb, ec, ed) >= fo {
			if ea >= fo {
				hits[0] = append(hits[0], phraseHit{i, int(ea)})
			}
			if i >= o { // before o: the piece before's bytes and hits
				if eb >= fo {
					hits[1] = append(hits[1], phraseHit{ob + i, int(eb)})
				}
				if ec >= fo {
					hits[2] = append(hits[2], phraseHit{oc + i, int(ec)})
				}
				if ed >= fo {
					hits[3] = append(hits[3], phraseHit{od + i, int(ed)})
				}
			}
		}
	}
	// The first three pieces are longer than the last by a few bytes.
	for k, p := range [...]struct {
		s   string
		off int
		e   uint32
	}{{a, 0, ea}, {b, ob, eb}, {c, oc, ec}} {
		e := p.e
		for i := len(d); i < len(p.s); i++ {
			if e = next[int(e)+int(class[p.s[i]])]; e >= fo && (k == 0 || i >= o) {
				hits[k] = append(hits[k], phraseHit{p.off + i, int(e)})
			}
		}
	}
	for _, hs := range hits {
		for _, h := range hs {
			if !ps.report(text, h.i, h.row, fn) {
				return
			}
		}
	}
}

// eachOnce is each in one pass.
func (ps *phraseSet) eachOnce(text string, fn func(phrase, end int) bool) {
	next, class, fo := ps.next, &ps.class, ps.firstOut
	var e uint32
	for i := 0; i < len(text); i++ {
		e = next[int(e)+int(class[text[i]])]
		if e >= fo && !ps.report(text, i, int(e), fn) {
			return
		}
	}
}

// report calls fn for the phrases ending at text[i] in the state whose row
// is row; false when fn said stop.
func (ps *phraseSet) report(text string, i, row int, fn func(phrase, end int) bool) bool {
	for _, p := range ps.out[row/ps.classes] {
		phrase := ps.phrases[p]
		start, end := i+1-len(phrase), i+1
		if boundaryBefore(text, start) && boundaryAfter(text, end, phrase) && !emojiCode(text, start, end) {
			if !fn(int(p), end) {
				return false
			}
		}
	}
	return true
}
