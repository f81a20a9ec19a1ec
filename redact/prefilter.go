package redact

import "fmt"

// keywordScanner finds every occurrence of a fixed set of keywords in a text,
// ignoring ASCII case, in one pass over its bytes.
//
// It is an Aho–Corasick automaton compiled to a dense transition table. Bytes
// are first mapped to a small number of classes (each byte that occurs in some
// keyword gets its own class, upper- and lower-case letters share one, every
// other byte falls in class 0), so the table is states × 64 32-bit entries,
// under 400 KB for the gitleaks keyword set plus ours: it stays in the L2
// cache, and the rows text visits most in L1.
//
// Scanning is one dependent table load per input byte, and that chain of
// loads is what the scan's time is: so an entry holds the next state's row
// offset itself (state × 64), the next lookup is that plus the byte's class,
// and the states that end keywords are numbered last, so that a hit is told
// by comparing the entry with firstOut, off the chain. A flag bit in the
// entry cost a mask on the chain, a state number a shift, and a row width
// held in a variable a shift with Go's guard on it: together 233 MB/s for
// one chain, against 368 MB/s now.
type keywordScanner struct {
	class    [256]uint8
	nclass   int
	next     []uint32 // next[row+class]: the row of the next state (state<<rowShift)
	firstOut uint32   // rows from firstOut on are of states that end a keyword
	outStart []uint32 // outputs of state i are outList[outStart[i]:outStart[i+1]]
	outList  []uint16 // keyword ids
	kwLen    []int    // byte length of each keyword
	maxKw    int      // the longest keyword's length
}

const (
	rowShift   = 6 // rows of 64 classes
	maxStates  = 1 << 16
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
	if err := ks.buildClasses(keywords); err != nil {
		return nil, err
	}
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
	next, class, fo := ks.next, &ks.class, ks.firstOut
	mid := len(s) / 2
	a, b := s[:mid], s[mid-o:]
	sa, sb := 0, 0
	for i := 0; i < len(a); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		if max(ea, eb) >= fo {
			return true
		}
		sa = int(ea)
		sb = int(eb)
	}
	return ks.anyHitFrom(b[len(a):], sb)
}

// anyHit4 is anyHit with four chains, for long texts.
func (ks *keywordScanner) anyHit4(s string, o int) bool {
	next, class, fo := ks.next, &ks.class, ks.firstOut
	q := len(s) / 4
	a, b, c, d := s[:q], s[q-o:2*q], s[2*q-o:3*q], s[3*q-o:]
	sa, sb, sc, sd := 0, 0, 0, 0
	for i := 0; i < len(a); i++ {
		ea := next[sa+int(class[a[i]])]
		eb := next[sb+int(class[b[i]])]
		ec := next[sc+int(class[c[i]])]
		ed := next[sd+int(class[d[i]])]
		if max(ea, eb, ec, ed) >= fo {
			return true
		}
		sa = int(ea)
		sb = int(eb)
		sc = int(ec)
		sd = int(ed)
	}
	return ks.anyHitFrom(b[q:], sb) || ks.anyHitFrom(c[q:], sc) || ks.anyHitFrom(d[q:], sd)
}

// anyHitFrom is anyHit with one chain, from the row st of a state.
func (ks *keywordScanner) anyHitFrom(s string, st int) bool {
	next, class, fo := ks.next, &ks.class, ks.firstOut
	for i := 0; i < len(s); i++ {
		e := next[st+int(class[s[i]])]
		if e >= fo {
			return true
		}
		st = int(e)
	}
	return false
}

func (ks *keywordScanner) buildClasses(keywords []string) error {
	n := 1
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			b := fold(kw[i])
			if ks.class[b] == 0 {
				if n == 1<<rowShift {
					return fmt.Errorf("keywords use more than %d distinct bytes", 1<<rowShift-1)
				}
				ks.class[b] = uint8(n)
				n++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		ks.class[b] = ks.class[b+lowerDelta]
	}
	ks.nclass = n
	return nil
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

// compile numbers the states (those without outputs first, in trie order,
// so the root stays 0) and lays out the table.
func (ks *keywordScanner) compile(nodes []trieNode) {
	num := make([]uint32, len(nodes))
	order := make([]int, 0, len(nodes))
	for _, outs := range []bool{false, true} {
		for st, n := range nodes {
			if (len(n.out) > 0) == outs {
				num[st] = uint32(len(order)) << rowShift
				order = append(order, st)
			}
		}
		if !outs {
			ks.firstOut = uint32(len(order)) << rowShift
		}
	}
	ks.next = make([]uint32, len(nodes)<<rowShift)
	ks.outStart = make([]uint32, len(nodes)+1)
	for i, st := range order {
		for c, to := range nodes[st].child {
			ks.next[i<<rowShift+c] = num[to]
		}
		ks.outStart[i] = uint32(len(ks.outList))
		ks.outList = append(ks.outList, nodes[st].out...)
	}
	ks.outStart[len(nodes)] = uint32(len(ks.outList))
}

// outputs returns the keyword ids that end in the state of row e.
func (ks *keywordScanner) outputs(e uint32) []uint16 {
	st := e >> rowShift
	return ks.outList[ks.outStart[st]:ks.outStart[st+1]]
}
