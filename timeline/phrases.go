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
	next    []uint16  // state*classes+class -> state, failure links folded in
	out     [][]int32 // phrase indexes ending at each state
	phrases []string
	maxLen  int // the longest phrase
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
	ps.next = make([]uint16, states*k)
	fail := make([]int32, states)
	var queue []int32
	for c := 0; c < k; c++ {
		if s := goto_[c]; s != 0 {
			ps.next[c] = uint16(s)
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
				ps.next[int(r)*k+c] = ps.next[int(fail[r])*k+c]
				continue
			}
			ps.next[int(r)*k+c] = uint16(s)
			fail[s] = int32(ps.next[int(fail[r])*k+c])
			queue = append(queue, s)
		}
	}
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
// Long texts are scanned as two halves at once, the second starting maxLen
// bytes early: after that many bytes its automaton state is the one a single
// scan would have (a state is at most maxLen bytes of suffix), so the hits of
// both halves are exact. Two independent chains of table loads run about
// twice as fast as one; hits are rare and reported afterwards, in order.
func (ps *phraseSet) each(text string, fn func(phrase, end int) bool) {
	k := ps.classes
	o := ps.maxLen
	if len(text) < 4*o {
		ps.eachOnce(text, fn)
		return
	}
	type hit struct{ i, s int }
	var buf [16]hit
	hits := buf[:0]
	mid := len(text) / 2
	a, b := text[:mid], text[mid-o:]
	var hb [16]hit // the second half's hits, reported after the first's
	bh := hb[:0]
	sa, sb := 0, 0
	for i := 0; i < len(a); i++ {
		sa = int(ps.next[sa*k+int(ps.class[a[i]])])
		sb = int(ps.next[sb*k+int(ps.class[b[i]])])
		if len(ps.out[sa]) > 0 {
			hits = append(hits, hit{i, sa})
		}
		if len(ps.out[sb]) > 0 && i >= o {
			bh = append(bh, hit{mid - o + i, sb})
		}
	}
	for i := len(a); i < len(b); i++ {
		sb = int(ps.next[sb*k+int(ps.class[b[i]])])
		if len(ps.out[sb]) > 0 {
			bh = append(bh, hit{mid - o + i, sb})
		}
	}
	hits = append(hits, bh...)
	for _, h := range hits {
		if !ps.report(text, h.i, h.s, fn) {
			return
		}
	}
}

// eachOnce is each in one pass.
func (ps *phraseSet) eachOnce(text string, fn func(phrase, end int) bool) {
	k, s := ps.classes, 0
	for i := 0; i < len(text); i++ {
		s = int(ps.next[s*k+int(ps.class[text[i]])])
		if len(ps.out[s]) > 0 && !ps.report(text, i, s, fn) {
			return
		}
	}
}

// report calls fn for the phrases ending at text[i] in state s; false when
// fn said stop.
func (ps *phraseSet) report(text string, i, s int, fn func(phrase, end int) bool) bool {
	for _, p := range ps.out[s] {
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
