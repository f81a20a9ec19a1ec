package shellhist

import (
	"bytes"
	"strings"
)

// Sniff scores. A history that starts with its format's first line is
// certain; one whose timestamps start further down (a partly timestamped
// file) is likely; a file of plain commands is claimed by bash (by zsh when
// its name says zsh) with a score every real format beats, only so that its
// parser can refuse it with advice on recording timestamps.
const (
	scoreFirst   = 95
	scorePartial = 60
	scorePlain   = 5
	scorePlainZ  = 6
)

// sniffSize is how much of a file the registry shows Sniff; a head that long
// may end in a cut line.
const sniffSize = 64 << 10

// sniffLines is how many non-empty lines sniffing looks at.
const sniffLines = 200

func sniffZsh(head []byte, name string) int {
	first, entries := false, 0
	eachLine(head, func(i int, line []byte) {
		if len(line) > 1 && line[0] == ':' && line[1] == ' ' {
			if _, _, ok := splitZsh(line); ok {
				first = first || i == 0
				entries++
			}
		}
	})
	switch {
	case first:
		return scoreFirst
	case entries > 0:
		return scorePartial
	case strings.Contains(strings.ToLower(name), "zsh") && plainHistory(head, name):
		return scorePlainZ
	}
	return 0
}

func sniffBash(head []byte, name string) int {
	first, stamped, prevStamp := false, 0, false
	eachLine(head, func(i int, line []byte) {
		isStamp := bashStamp(line)
		if prevStamp && !isStamp {
			stamped++
			first = first || i == 1
		}
		prevStamp = isStamp
	})
	switch {
	case first:
		return scoreFirst - 5 // a text file could start with a "#1700000000" comment
	case stamped > 0:
		return scorePartial
	case plainHistory(head, name):
		return scorePlain
	}
	return 0
}

func sniffFish(head []byte, _ string) int {
	first, entries, prevCmd := false, 0, false
	eachLine(head, func(i int, line []byte) {
		if prevCmd && line[0] == ' ' && hasPrefix(bytes.TrimLeft(line, " "), whenKey) {
			entries++
		}
		prevCmd = hasPrefix(line, cmdKey)
		first = first || (i == 0 && prevCmd)
	})
	switch {
	case first:
		return scoreFirst
	case entries > 0:
		return scorePartial
	}
	return 0
}

// bashStamp reports a "#<epoch>" line with an epoch of 9 to 11 digits
// (2001 to 5138), as bash writes them.
func bashStamp(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	if len(line) < 10 || len(line) > 12 || line[0] != '#' {
		return false
	}
	for _, c := range line[1:] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// eachLine calls fn with each non-empty line of head, numbered from 0, up to
// sniffLines of them; YAML framing lines are skipped. A head of sniffSize
// bytes may end in a cut line, which is left out.
func eachLine(head []byte, fn func(i int, line []byte)) {
	if len(head) >= sniffSize {
		if k := bytes.LastIndexByte(head, '\n'); k >= 0 {
			head = head[:k]
		}
	}
	i := 0
	for len(head) > 0 && i < sniffLines {
		line, rest, _ := bytes.Cut(head, []byte{'\n'})
		head = rest
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(bytes.TrimSpace(line)) == 0 || yamlFraming(line) {
			continue
		}
		fn(i, line)
		i++
	}
}
