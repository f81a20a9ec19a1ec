package slack

import (
	"bytes"
	"strings"
)

// appendMrkdwn appends s, Slack mrkdwn, to dst as plain text: mentions,
// channel links, special mentions and links between angle brackets become
// what Slack shows for them, and the entities Slack escapes (&amp; &lt; &gt;)
// are unescaped. Names come from the export's directory.
func (d *directory) appendMrkdwn(dst, s []byte) []byte {
	for len(s) > 0 {
		i := indexMarkup(s)
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		if s[0] == '&' {
			var n int
			dst, n = appendEntity(dst, s)
			s = s[n:]
			continue
		}
		end := bytes.IndexByte(s, '>')
		if end < 0 {
			return appendUnescaped(dst, s)
		}
		dst = d.appendControl(dst, s[1:end])
		s = s[end+1:]
	}
	return dst
}

// indexMarkup is bytes.IndexAny(s, "<&"), which looks at one byte at a
// time: two searches for a single byte each run many bytes at a time.
func indexMarkup(s []byte) int {
	i := bytes.IndexByte(s, '<')
	if i < 0 {
		i = len(s)
	}
	if j := bytes.IndexByte(s[:i], '&'); j >= 0 {
		return j
	}
	if i == len(s) {
		return -1
	}
	return i
}

// appendEntity decodes the entity at the start of s and reports how many
// bytes it used; an unknown one is kept as a plain '&'.
func appendEntity(dst, s []byte) ([]byte, int) {
	switch {
	case bytes.HasPrefix(s, []byte("&amp;")):
		return append(dst, '&'), 5
	case bytes.HasPrefix(s, []byte("&lt;")):
		return append(dst, '<'), 4
	case bytes.HasPrefix(s, []byte("&gt;")):
		return append(dst, '>'), 4
	}
	return append(dst, '&'), 1
}

// appendUnescaped appends s with its entities decoded and nothing else.
func appendUnescaped(dst, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '&')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		var n int
		dst, n = appendEntity(dst, s[i:])
		s = s[i+n:]
	}
	return dst
}

// appendControl renders the inside of one <...> sequence: <@U1>, <@U1|sam>,
// <#C1|name>, <!here>, <!subteam^S1|@team>, <https://x|label> and so on.
func (d *directory) appendControl(dst, inner []byte) []byte {
	target, label, _ := bytes.Cut(inner, []byte("|"))
	if len(target) == 0 {
		return appendUnescaped(dst, label)
	}
	switch target[0] {
	case '@':
		if len(label) == 0 {
			label = []byte(d.userName(target[1:]))
		}
		return appendUnescaped(append(dst, '@'), bytes.TrimPrefix(label, []byte("@")))
	case '#':
		if len(label) == 0 {
			label = []byte(d.channelName(target[1:]))
		}
		return appendUnescaped(append(dst, '#'), label)
	case '!':
		return appendSpecial(dst, target[1:], label)
	}
	return appendLink(dst, target, label)
}

// appendSpecial renders <!here>, <!channel>, <!everyone>, user group mentions
// and dates; whatever carries a label shows the label.
func appendSpecial(dst, cmd, label []byte) []byte {
	name, _, _ := bytes.Cut(cmd, []byte("^"))
	switch string(name) {
	case "here", "channel", "everyone", "group":
		return append(append(dst, '@'), name...)
	case "subteam":
		if len(label) == 0 {
			_, id, _ := bytes.Cut(cmd, []byte("^"))
			return append(append(dst, '@'), id...)
		}
		return appendUnescaped(append(dst, '@'), bytes.TrimPrefix(label, []byte("@")))
	}
	if len(label) > 0 {
		return appendUnescaped(dst, label)
	}
	return appendUnescaped(append(dst, '@'), name)
}

// appendLink renders <url|label> as "label (url)", or just the label when it
// says the same as the url (mailto:, tel:, a bare host).
func appendLink(dst, url, label []byte) []byte {
	if len(label) == 0 || sameLink(string(url), string(label)) {
		if len(label) == 0 {
			return appendUnescaped(dst, url)
		}
		return appendUnescaped(dst, label)
	}
	dst = appendUnescaped(dst, label)
	dst = append(dst, " ("...)
	dst = appendUnescaped(dst, url)
	return append(dst, ')')
}

func sameLink(url, label string) bool {
	if url == label {
		return true
	}
	_, rest, ok := strings.Cut(url, ":")
	if !ok {
		return false
	}
	return rest == label || strings.TrimPrefix(rest, "//") == label
}
