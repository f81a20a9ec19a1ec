package redact

import (
	"regexp/syntax"
	"unicode/utf8"
)

// regexBytes returns every byte a match of re may contain, or false when
// that is not a short list (any-char, non-ASCII).
func regexBytes(re *syntax.Regexp) (byteSet, bool) {
	var bs byteSet
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass:
		class, _, ok := elementClass(re)
		if !ok {
			return bs, false
		}
		if re.Op == syntax.OpCharClass {
			for b := utf8.RuneSelf; b < 256; b++ {
				if class[b] {
					return bs, false
				}
			}
		}
		return *class, true
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return bs, true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat,
		syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			sb, ok := regexBytes(sub)
			if !ok {
				return bs, false
			}
			for b, in := range sb {
				bs[b] = bs[b] || in
			}
		}
		return bs, true
	}
	return bs, false
}

// elementClass is classRepeat extended to single literals and optional
// elements, for value groups.
func elementClass(re *syntax.Regexp) (*byteSet, int, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		var bs byteSet
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, 0, false
			}
			bs[r] = true
			if re.Flags&syntax.FoldCase != 0 {
				bs[fold(byte(r))] = true
				bs[unfold(byte(r))] = true
			}
		}
		return &bs, len(re.Rune), true
	case syntax.OpStar, syntax.OpQuest:
		class, _, ok := classRepeat(re.Sub[0])
		return class, 0, ok
	}
	return classRepeat(re)
}

func unfold(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - lowerDelta
	}
	return b
}

// maxLen returns the longest match of re in bytes, or -1 when unbounded.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 && r >= utf8.RuneSelf {
				n += utf8.UTFMax
			}
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		n := maxLen(re.Sub[0])
		if n < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return -1
}

func isEmptyWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
		return true
	}
	return false
}

// classRepeat recognizes [class]{n,…}: the byte set of the class (every
// non-ASCII byte counts as a member when the class has non-ASCII runes, which
// only makes the gate more permissive) and n.
func classRepeat(re *syntax.Regexp) (*byteSet, int, bool) {
	n := 1
	switch re.Op {
	case syntax.OpRepeat:
		n = re.Min
		re = re.Sub[0]
	case syntax.OpPlus:
		re = re.Sub[0]
	}
	if re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Rune[0] < utf8.RuneSelf {
		// A repeated single byte, like the "={0,3}" padding of base64.
		var bs byteSet
		b := byte(re.Rune[0])
		bs[b] = true
		if re.Flags&syntax.FoldCase != 0 {
			bs[fold(b)], bs[unfold(b)] = true, true
		}
		return &bs, n, true
	}
	if re.Op != syntax.OpCharClass {
		return nil, 0, false
	}
	var bs byteSet
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		for r := lo; r <= hi && r < 256; r++ {
			if r < utf8.RuneSelf {
				bs[r] = true
			}
		}
		if hi >= utf8.RuneSelf {
			for b := utf8.RuneSelf; b < 256; b++ {
				bs[b] = true
			}
		}
	}
	return &bs, n, true
}
