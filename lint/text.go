package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a sentence: its lower-cased form (curly apostrophes
// made straight) and its byte range in the block's text.
type token struct {
	lo         string
	start, end int
	// brk is true when punctuation other than a hyphen or an apostrophe
	// separates the token from the one before: a clause boundary that
	// patterns do not cross with gaps.
	brk bool
	// cap is true when the word starts with an upper-case letter.
	cap bool
}

// sentence is a span of a block's text, with its tokens.
type sentence struct {
	start, end int
	toks       []token
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "vs": true, "mr": true, "mrs": true, "ms": true, "dr": true,
	"approx": true, "a.m": true, "p.m": true, "no": true, "fig": true, "cf": true, "inc": true, "st": true,
	"eg": true, "ie": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "est": true,
}

// sentences splits text at '.', '!' or '?' (and runs of them) followed by
// white space, unless the word before is an abbreviation or an initial.
func sentences(text string, out []sentence) []sentence {
	out, _ = sentencesBuf(text, out, nil)
	return out
}

// sentencesBuf is sentences with the tokens of all sentences appended to
// one buffer (reused across blocks by the caller).
func sentencesBuf(text string, out []sentence, toks []token) ([]sentence, []token) {
	buf := &toks
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i
		for j+1 < len(text) && (text[j+1] == '.' || text[j+1] == '!' || text[j+1] == '?' || text[j+1] == '"' || text[j+1] == ')' || text[j+1] == '*' || text[j+1] == '_') {
			j++
		}
		if j+1 < len(text) && text[j+1] != ' ' {
			i = j
			continue
		}
		if c == '.' && i == j && !endsSentence(text[start:i]) {
			continue
		}
		out = appendSentence(out, text, start, j+1, buf)
		start = j + 1
		i = j
	}
	return appendSentence(out, text, start, len(text), buf), *buf
}

func endsSentence(before string) bool {
	k := len(before)
	for k > 0 && (isWordByte(before[k-1]) || before[k-1] == '.') {
		k--
	}
	w := strings.ToLower(before[k:])
	if abbreviations[w] {
		return false
	}
	// A single capital (an initial, "J. Smith") or a version ("v1.") does not end one.
	return !(len(w) == 1 && before[k] >= 'A' && before[k] <= 'Z')
}

func appendSentence(out []sentence, text string, start, end int, buf *[]token) []sentence {
	for start < end && text[start] == ' ' {
		start++
	}
	if start >= end {
		return out
	}
	s := sentence{start: start, end: end}
	n := len(*buf)
	*buf = tokenize(text, start, end, *buf)
	s.toks = (*buf)[n:len(*buf):len(*buf)]
	if len(s.toks) == 0 {
		return out
	}
	return append(out, s)
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == '\'' || c == '@' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// tokenize splits text[start:end] into words. A word is letters, digits,
// apostrophes, '@' and '_', with inner hyphens and periods ("on-call",
// "e.g", "v1.2"); everything else separates words.
func tokenize(text string, start, end int, out []token) []token {
	brk := true
	i := start
	for i < end {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:end])
		}
		if !isWordRune(r) || r == '\'' {
			if r != ' ' && r != '-' && r != '\'' && r != '’' && r != '*' && r != '_' && r != '`' {
				brk = true
			}
			i += n
			continue
		}
		j := i
		for j < end {
			if c := text[j]; c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '@') {
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[j:end])
			if isWordRune(r) {
				j += n
				continue
			}
			// inner hyphen, period or apostrophe followed by a word rune
			if (r == '-' || r == '.' || r == '’' || r == '\'') && j+n < end {
				r2, _ := utf8.DecodeRuneInString(text[j+n : end])
				if isWordRune(r2) && (r != '.' || unicode.IsDigit(r2) || unicode.IsLetter(r2) && j+n+1 < end && text[j+n+1] == '.') {
					j += n
					continue
				}
			}
			break
		}
		for j > i && text[j-1] == '\'' {
			j-- // a closing quote, not part of the word
		}
		word := text[i:j]
		capital := word[0] >= 'A' && word[0] <= 'Z'
		if word[0] >= utf8.RuneSelf {
			first, _ := utf8.DecodeRuneInString(word)
			capital = unicode.IsUpper(first)
		}
		out = append(out, token{lo: lowerWord(word), start: i, end: j, brk: brk, cap: capital})
		brk = false
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '@' || c == '\''
	}
	return r == '_' || r == '@' || r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lowerWord lower-cases a word and straightens curly apostrophes.
func lowerWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	return strings.ReplaceAll(strings.ToLower(w), "’", "'")
}
