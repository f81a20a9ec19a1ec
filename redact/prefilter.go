package redact

import "fmt"

// keywordScanner finds every occurrence of a fixed set of keywords in a text,
// ignoring ASCII case, in one pass over its bytes.
//
// It is an Aho–Corasick automaton compiled to a dense transition table. Bytes
// are first mapped to a small number of classes (each byte that occurs in some
// keyword gets its own class, upper- and lower-case letters share one, every
// other byte falls in class 0), so the table is states × 64 16-bit entries,
// under 200 KB for the gitleaks keyword set plus ours: small enough to stay in
// the L2 cache, and one dependent table load per input byte. The top bit of an
// entry says that the target state ends at least one keyword, so the scan loop
// only looks at the output lists when there is something to report.
type keywordScanner struct {
	class    [256]uint8
	nclass   int
	shift    uint     // rows are 1<<shift entries wide: a shift, not a multiply, in the loop
	next     []uint16 // next[state<<shift+class]; top bit set: the target state has outputs
	outStart []uint32 // outputs of state i are outList[outStart[i]:outStart[i+1]]
	outList  []uint16 // keyword ids
	kwLen    []int    // byte length of each keyword
	maxKw    int      // the longest keyword's length
}

const (
	outFlag    = 0x8000
	stateMask  = 0x7fff
	maxStates  = stateMask + 1
	lowerDelta = 'a' - 'A'
)

func fold(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + lowerDelta
	}
	return b
}

// newKeywordScanner compiles keywords (matched case-insensitively; each is an
// id, its index in the slice) into an automaton.
func newKeywordScanner(keywords []string) (*keywordScanner, error) {
	ks := &keywordScanner{}
	ks.buildClasses(keywords)
	trie, err := buildTrie(keywords, ks)
	if err != nil {
		return nil, err
	}
	ks.compile(trie)
	ks.kwLen = make([]int, len(keywords))
	for i, kw := range keywords {
		ks.kwLen[i] = len(kw)
		ks.maxKw = max(ks.maxKw, len(kw))
	}
	return ks, nil
}

// splitMin is the shortest text prefilter splits among chains: below it
// the chains' overlaps cost more than their parallelism gains.
func (ks *keywordScanner) splitMin() int { return 3 * ks.maxKw }

// anyHit reports whether some keyword occurs in s. It runs the automaton
// over two or four pieces of s at once (each piece but the first starting
// maxKw-1 bytes early, so a keyword across a boundary is found):
// independent chains of dependent table loads that the CPU overlaps.
func (ks *keywordScanner) anyHit(s string) bool {
	o := max(ks.maxKw-1, 0)
	if len(s) >= 8*ks.maxKw {
		return ks.anyHit4(s, o)
	}
	if len(s) < 2*ks.maxKw {
		return ks.anyHitFrom(s, 0)
	}
	next, class, shift := ks.next, &ks.class, ks.shift
	mid := len(s) / 2
	a, b := s[:mid], s[mid-o:]
	sa, sb := 0, 0
	for i := 0; i < len(a); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		if (ea|eb)&outFlag != 0 {
			return true
		}
		sa = int(ea&stateMask) << shift
		sb = int(eb&stateMask) << shift
	}
	return ks.anyHitFrom(b[len(a):], sb)
}

// anyHit4 is anyHit with four chains, for long texts.
func (ks *keywordScanner) anyHit4(s string, o int) bool {
	next, class, shift := ks.next, &ks.class, ks.shift
	q := len(s) / 4
	a, b, c, d := s[:q], s[q-o:2*q], s[2*q-o:3*q], s[3*q-o:]
	sa, sb, sc, sd := 0, 0, 0, 0
	for i := 0; i < len(a); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		ec := next[sc+int(class[c[i]])]
		ed := next[sd+int(class[d[i]])]
		if (ea|eb|ec|ed)&outFlag != 0 {
			return true
		}
		sa = int(ea&stateMask) << shift
		sb = int(eb&stateMask) << shift
		sc = int(ec&stateMask) << shift
		sd = int(ed&stateMask) << shift
	}
	return ks.anyHitFrom(b[q:], sb) || ks.anyHitFrom(c[q:], sc) || ks.anyHitFrom(d[q:], sd)
}

// anyHitFrom is anyHit with one chain, from state st (already shifted).
func (ks *keywordScanner) anyHitFrom(s string, st int) bool {
	next, class, shift := ks.next, &ks.class, ks.shift
	for i := 0; i < len(s); i++ {
		e := next[st+int(class[s[i]])]
		if e&outFlag != 0 {
			return true
		}
		st = int(e&stateMask) << shift
	}
	return false
}

func (ks *keywordScanner) buildClasses(keywords []string) {
	n := uint8(1)
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			b := fold(kw[i])
			if ks.class[b] == 0 {
				ks.class[b] = n
				n++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		ks.class[b] = ks.class[b+lowerDelta]
	}
	ks.nclass = int(n)
	for 1<<ks.shift < ks.nclass {
		ks.shift++
	}
}

// trieNode is a build-time state; the compiled table replaces it.
type trieNode struct {
	child []int32 // by class, -1 for none
	fail  int32
	out   []uint16
}

func buildTrie(keywords []string, ks *keywordScanner) ([]trieNode, error) {
	newNode := func() trieNode {
		c := make([]int32, ks.nclass)
		for i := range c {
			c[i] = -1
		}
		return trieNode{child: c}
	}
	nodes := []trieNode{newNode()}
	for id, kw := range keywords {
		if kw == "" {
			return nil, fmt.Errorf("keyword %d is empty", id)
		}
		st := int32(0)
		for i := 0; i < len(kw); i++ {
			c := ks.class[kw[i]]
			if nodes[st].child[c] < 0 {
				nodes[st].child[c] = int32(len(nodes))
				nodes = append(nodes, newNode())
			}
			st = nodes[st].child[c]
		}
		nodes[st].out = append(nodes[st].out, uint16(id))
	}
	if len(nodes) > maxStates {
		return nil, fmt.Errorf("keyword automaton has %d states, more than %d", len(nodes), maxStates)
	}
	linkFailures(nodes, ks.nclass)
	return nodes, nil
}

// linkFailures sets failure links breadth-first, turns missing children into
// transitions (so the compiled automaton never backtracks) and merges each
// state's outputs with those of its failure state.
func linkFailures(nodes []trieNode, nclass int) {
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < nclass; c++ {
		if ch := nodes[0].child[c]; ch >= 0 {
			nodes[ch].fail = 0
			queue = append(queue, ch)
		} else {
			nodes[0].child[c] = 0
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		f := nodes[st].fail
		nodes[st].out = append(nodes[st].out, nodes[f].out...)
		for c := 0; c < nclass; c++ {
			ch := nodes[st].child[c]
			if ch < 0 {
				nodes[st].child[c] = nodes[f].child[c]
				continue
			}
			nodes[ch].fail = nodes[f].child[c]
			queue = append(queue, ch)
		}
	}
}

func (ks *keywordScanner) compile(nodes []trieNode) {
	ks.next = make([]uint16, len(nodes)<<ks.shift)
	ks.outStart = make([]uint32, len(nodes)+1)
	for st, n := range nodes {
		for c, to := range n.child {
			e := uint16(to)
			if len(nodes[to].out) > 0 {
				e |= outFlag
			}
			ks.next[st<<ks.shift+c] = e
		}
		ks.outStart[st] = uint32(len(ks.outList))
		ks.outList = append(ks.outList, n.out...)
	}
	ks.outStart[len(nodes)] = uint32(len(ks.outList))
}

// outputs returns the keyword ids that end in the state of a transition entry.
func (ks *keywordScanner) outputs(entry uint16) []uint16 {
	st := entry & stateMask
	return ks.outList[ks.outStart[st]:ks.outStart[st+1]]
}
