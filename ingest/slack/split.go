package slack

import "bytes"

// splitArray calls fn with the byte range of each element of data, a JSON
// array already known to be valid JSON. Parsing a day file one message at a
// time keeps the parser's memory at the size of a message: a busy incident
// channel writes day files of tens of megabytes, whose whole value tree
// would take ten times that. It reports false when data is not an array.
func splitArray(data []byte, fn func(start, end int) error) (bool, error) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '[' {
		return false, nil
	}
	i++
	for {
		i = skipWS(data, i)
		if i >= len(data) {
			return false, nil
		}
		switch data[i] {
		case ']':
			return true, nil
		case ',':
			i++
			continue
		}
		end := valueEnd(data, i)
		if err := fn(i, end); err != nil {
			return true, err
		}
		i = end
	}
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the valid JSON value starting at i.
func valueEnd(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			i = stringEnd(data, i)
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 {
				return i
			}
		case ',', ' ', '\n', '\t', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// stringEnd returns the index of the quote closing the string that opens at
// i, jumping from quote to quote rather than stepping through the text.
func stringEnd(data []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data)
		}
		j += k
		n := 0
		for b := j - 1; b > i && data[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		j++
	}
}
