package slack

import "bytes"

// indexLine returns the index of the first occurrence of pat in b, for a
// pat that starts with "\n" and has at least two bytes: the start of a line
// of pretty-printed JSON, such as a closing brace at an indentation.
//
// Pretty-printed exports are mostly white space and nested values nobody
// reads; finding where such a value closes was a hop from brace to brace
// (an IndexByte call each). Here both ends of pat are compared at 32
// positions at once (AVX2): a newline with pat's last byte exactly
// len(pat)-1 bytes on is rare anywhere but where pat is, so nearly every
// candidate is a match.
func indexLine(b, pat []byte) int {
	d := len(pat) - 1
	last := pat[d]
	off := 0
	if usePairBlocks {
		for {
			i, found := pairBlocks(b[off:], '\n', last, d)
			off += i
			if !found {
				break
			}
			if bytes.Equal(b[off+1:off+d], pat[1:d]) {
				return off
			}
			off++
		}
	}
	// The tail (or a CPU without AVX2): from newline to newline.
	for off+d < len(b) {
		j := bytes.IndexByte(b[off:len(b)-d], '\n')
		if j < 0 {
			return -1
		}
		off += j
		if b[off+d] == last && bytes.Equal(b[off+1:off+d], pat[1:d]) {
			return off
		}
		off++
	}
	return -1
}
