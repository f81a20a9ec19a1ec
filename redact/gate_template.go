package redact

import (
	"math"
	"regexp/syntax"
	"strings"
)

// templateMarker is the "key, then up to 20 word characters, then an
// assignment operator" part of gitleaks' semi-generic rule template, used by
// generic-api-key and about ninety provider rules.
const templateMarker = `(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)`

// templateLead is what precedes the keyword group in that template.
const templateLead = `[\w.-]{0,50}?`

// templateGate passes when an assignment operator follows the keyword hit
// closely enough for the template to match, and a long enough value follows
// the operator. The keyword lies inside the keyword group, at most groupMax
// bytes long, and the operator starts at most 23 bytes after the group
// (reach). The value, after up to 4 operator bytes and 5 quotes or blanks,
// must start like one of the alternatives of the rule's value group.
type templateGate struct {
	reach  int
	values []valueShape // nil: any value
	// minDistinct is how many distinct bytes the value needs to pass the
	// rule's entropy floor, when the value is the rule's secret: Shannon
	// entropy is at most log2 of the number of distinct bytes, so an entropy
	// above e needs more than 2^e of them. "client_credentials" (11) cannot
	// pass generic-api-key's 3.5 bits, whatever the regexp says.
	minDistinct int
	// between holds the bytes that may lie between a keyword hit and the
	// operator: the keyword group's own bytes, [ \t\w.-] and [\s'"]. When
	// it holds no operator byte, the operator must be the first byte after
	// the hit outside it, so only that one candidate is checked.
	between *byteSet
	// valueBytes, when set, holds every byte any value alternative (and
	// its "=" padding) may contain, none of them a terminator: the rule ends
	// in templateEnd, so a value must run up to a terminator. "auth,
	// instance=10.2.3.4:9187" fails there, at the colon.
	valueBytes *byteSet
}

// templateEnd is the terminator that closes the template.
const templateEnd = `(?:[\x60'"\s;]|\\[nr]|$)`

// terminators are the bytes templateEnd accepts after a value.
var terminators = newByteSet("`'\" \t\r\n\v\f;\\")

// valueShape is a necessary condition on one alternative of a value group:
// its first byte is in first (when not nil) and it starts with a run of at
// least min bytes of run, the union of the classes of its leading elements.
type valueShape struct {
	first, run *byteSet
	min        int
	// whole is true when run covers every element of the alternative, not
	// only its leading ones: then no byte outside run can be in the value.
	whole bool
}

// valueLead holds the bytes that may separate the operator's first byte
// from the value.
var valueLead = newByteSet("=>:|?`'\" \t\r\n\v\f")

func templateGateFor(src string, entropy float64, secretGroup int) gate {
	mi := strings.Index(src, templateMarker)
	if mi < 0 || strings.Count(src, templateMarker) != 1 {
		return nil
	}
	li := strings.LastIndex(src[:mi], templateLead)
	if li < 0 {
		return nil
	}
	whole, err := syntax.Parse(src, syntax.Perl)
	if err != nil || whole.Op == syntax.OpAlternate {
		return nil
	}
	group, err := syntax.Parse(src[li+len(templateLead):mi], syntax.Perl)
	if err != nil {
		return nil
	}
	n := maxLen(group)
	if n < 0 {
		return nil
	}
	g := templateGate{reach: n + 20 + 3}
	if v := valueGroup(whole); v != nil {
		g.values = valueShapes(v.Sub[0])
		if v.Cap == secretGroup || (secretGroup == 0 && v.Cap == 1) {
			g.minDistinct = minDistinct(entropy)
		}
		if strings.HasSuffix(src, templateEnd) {
			g.valueBytes = unionOf(g.values)
		}
	}
	if bs, ok := regexBytes(group); ok {
		between := *templateBetween
		for b, in := range bs {
			between[b] = between[b] || in
		}
		if !anyOperator(&between) {
			g.between = &between
		}
	}
	return g
}

var templateBetween = newByteSet("a-z", "A-Z", "0-9", "_.-", " \t\r\n\v\f'\"")

const operatorBytes = "=>:|?,"

func anyOperator(bs *byteSet) bool {
	for i := 0; i < len(operatorBytes); i++ {
		if bs[operatorBytes[i]] {
			return true
		}
	}
	return false
}

func (g templateGate) pass(s string, hs, he int) bool {
	end := min(len(s)-1, hs+g.reach)
	if g.between != nil {
		p := runEnd(s[:end+1], he, g.between)
		return p <= end && strings.IndexByte(operatorBytes, s[p]) >= 0 && g.valueFollows(s, p)
	}
	for p := he; p <= end; p++ {
		switch s[p] {
		case '=', '>', ':', '|', '?', ',':
			if g.valueFollows(s, p) {
				return true
			}
		}
	}
	return false
}

func (g templateGate) valueFollows(s string, p int) bool {
	if g.values == nil {
		return true
	}
	for q := p + 1; q <= len(s) && q <= p+10; q++ {
		for _, v := range g.values {
			if q+v.min > len(s) || (v.first != nil && !v.first[s[q]]) {
				continue
			}
			if e := runEnd(s, q, v.run); e-q >= v.min && distinctBytes(s[q:e], g.minDistinct) && g.terminated(s, q) {
				return true
			}
		}
		if q == len(s) || !valueLead[s[q]] {
			return false
		}
	}
	return false
}

// terminated reports whether the value starting at q can end where the
// template's terminator requires: at the end of its run of value bytes.
func (g templateGate) terminated(s string, q int) bool {
	if g.valueBytes == nil {
		return true
	}
	e := runEnd(s, q, g.valueBytes)
	return e == len(s) || terminators[s[e]]
}

// unionOf is the set of bytes the value shapes may hold, plus "=" padding;
// nil when that set would hold a terminator (the check would be unsound).
func unionOf(shapes []valueShape) *byteSet {
	if len(shapes) == 0 {
		return nil
	}
	var u byteSet
	u['='] = true
	for _, v := range shapes {
		if v.run == nil || !v.whole {
			return nil
		}
		for b, in := range v.run {
			u[b] = u[b] || in
		}
		if v.first != nil {
			for b, in := range v.first {
				u[b] = u[b] || in
			}
		}
	}
	for b, in := range terminators {
		if in && u[b] {
			return nil
		}
	}
	return &u
}

// minDistinct returns the fewest distinct bytes a string needs for a Shannon
// entropy above e (0 when e sets no floor).
func minDistinct(e float64) int {
	if e <= 0 {
		return 0
	}
	return int(math.Floor(math.Pow(2, e))) + 1
}

// distinctBytes reports whether v holds at least n distinct bytes.
func distinctBytes(v string, n int) bool {
	if n <= 1 {
		return true
	}
	var seen [4]uint64
	k := 0
	for i := 0; i < len(v); i++ {
		b := v[i]
		if seen[b>>6]&(1<<(b&63)) == 0 {
			seen[b>>6] |= 1 << (b & 63)
			if k++; k >= n {
				return true
			}
		}
	}
	return false
}

// valueGroup finds the template's value capture: the mandatory capture that
// directly follows the `[\x60'"\s=]{0,5}` repeat.
func valueGroup(re *syntax.Regexp) *syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture:
		return valueGroup(re.Sub[0])
	case syntax.OpConcat:
		for i, sub := range re.Sub {
			if sub.Op == syntax.OpCapture && i > 0 && re.Sub[i-1].Op == syntax.OpRepeat &&
				re.Sub[i-1].Min == 0 && re.Sub[i-1].Max == 5 {
				return sub
			}
			if v := valueGroup(sub); v != nil {
				return v
			}
		}
	}
	return nil
}

// valueShapes derives one valueShape per alternative of a value group, or nil
// when an alternative may start with nothing checkable.
func valueShapes(re *syntax.Regexp) []valueShape {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	alts := []*syntax.Regexp{re}
	if re.Op == syntax.OpAlternate {
		alts = re.Sub
	}
	var shapes []valueShape
	for _, alt := range alts {
		elems := []*syntax.Regexp{alt}
		if alt.Op == syntax.OpConcat {
			elems = alt.Sub
		}
		var sh valueShape
		var run byteSet
		sh.whole = true
		for i, e := range elems {
			class, n, ok := elementClass(e)
			if !ok {
				sh.whole = false
				break
			}
			if i == 0 && n > 0 {
				sh.first = class
			}
			for b := range run {
				run[b] = run[b] || class[b]
			}
			sh.min += n
		}
		if sh.min == 0 {
			return nil
		}
		sh.run = &run
		shapes = append(shapes, sh)
	}
	return shapes
}
