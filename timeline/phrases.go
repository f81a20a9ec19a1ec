package timeline

// phraseSet finds many phrases in one pass over a text, ASCII
// case-insensitively, with an Aho–Corasick automaton compiled to a dense
// table. The text rules run on every event of million-event timelines, where
// searching for each phrase in turn cost more than parsing.
type phraseSet struct {
	next    [][256]int32 // state transitions, failure links folded in
	out     [][]int32    // phrase indexes ending at each state
	phrases []string
}

func newPhraseSet(phrases []string) *phraseSet {
	ps := &phraseSet{phrases: phrases}
	ps.next = append(ps.next, [256]int32{})
	ps.out = append(ps.out, nil)
	goto_ := [][256]int32{{}}
	for i, p := range phrases {
		s := int32(0)
		for j := 0; j < len(p); j++ {
			c := lower(p[j])
			if goto_[s][c] == 0 {
				goto_ = append(goto_, [256]int32{})
				ps.out = append(ps.out, nil)
				goto_[s][c] = int32(len(goto_) - 1)
			}
			s = goto_[s][c]
		}
		ps.out[s] = append(ps.out[s], int32(i))
	}
	ps.next = make([][256]int32, len(goto_))
	fail := make([]int32, len(goto_))
	queue := []int32{}
	for c := 0; c < 256; c++ {
		if s := goto_[0][c]; s != 0 {
			ps.next[0][c] = s
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		ps.out[r] = append(ps.out[r], ps.out[fail[r]]...)
		for c := 0; c < 256; c++ {
			s := goto_[r][c]
			if s == 0 {
				ps.next[r][c] = ps.next[fail[r]][c]
				continue
			}
			ps.next[r][c] = s
			fail[s] = ps.next[fail[r]][c]
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
func (ps *phraseSet) each(text string, fn func(phrase, end int) bool) {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = ps.next[s][lower(text[i])]
		for _, p := range ps.out[s] {
			phrase := ps.phrases[p]
			start, end := i+1-len(phrase), i+1
			if boundaryBefore(text, start) && boundaryAfter(text, end, phrase) && !emojiCode(text, start, end) {
				if !fn(int(p), end) {
					return
				}
			}
		}
	}
}
