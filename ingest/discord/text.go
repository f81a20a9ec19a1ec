package discord

import (
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fastjson"
)

// messageText is the readable text of a message: its content, the content of
// a forwarded message, the text of its embeds when it has no content of its
// own or comes from a bot (alert integrations post embeds), and the names of
// attachments and stickers.
func messageText(v *fastjson.Value, bot bool) string {
	var b strings.Builder
	mentions := v.GetArray("mentions")
	content := decodeMarkup(text(v, "content"), mentions)
	line(&b, content)
	if fwd := v.Get("forwardedMessage"); content == "" && fwd != nil {
		line(&b, prefixed("Forwarded: ", decodeMarkup(text(fwd, "content"), mentions)))
	}
	if strings.TrimSpace(content) == "" || bot {
		for _, e := range v.GetArray("embeds") {
			line(&b, embedText(e))
		}
	}
	for _, a := range v.GetArray("attachments") {
		line(&b, bracketed("attachment", text(a, "fileName")))
	}
	for _, s := range v.GetArray("stickers") {
		line(&b, bracketed("sticker", text(s, "name")))
	}
	return strings.TrimSpace(b.String())
}

// prefixed returns p+s, or "" when s is blank.
func prefixed(p, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return p + s
}

// bracketed returns "[what: name]", or "" when name is blank.
func bracketed(what, name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return ""
	}
	return "[" + what + ": " + name + "]"
}

// embedText joins the parts of an embed a reader would see.
func embedText(e *fastjson.Value) string {
	var b strings.Builder
	line(&b, text(e.Get("author"), "name"))
	line(&b, text(e, "title"))
	line(&b, text(e, "description"))
	for _, f := range e.GetArray("fields") {
		name, value := strings.TrimSpace(text(f, "name")), strings.TrimSpace(text(f, "value"))
		if name != "" && value != "" {
			line(&b, name+": "+value)
		} else {
			line(&b, name+value)
		}
	}
	return b.String()
}

// line appends s to b on a line of its own, skipping blank strings.
func line(b *strings.Builder, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(s)
}

// decodeMarkup renders Discord's raw markup, which the exporter leaves in
// place when run with --markdown false: <@id> mentions (named from the
// message's mentions), <#id> channels, <:name:id> custom emoji, <t:unix:R>
// timestamps and <https://...> links with their preview suppressed. Anything
// else between angle brackets is kept as written.
func decodeMarkup(s string, mentions []*fastjson.Value) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		if r, ok := renderTag(s[i+1:i+j], mentions); ok {
			b.WriteString(r)
			s = s[i+j+1:]
			continue
		}
		b.WriteByte('<')
		s = s[i+1:]
	}
	b.WriteString(s)
	return b.String()
}

// renderTag renders the inside of one <...> tag, or reports false when it is
// not Discord markup.
func renderTag(tag string, mentions []*fastjson.Value) (string, bool) {
	switch {
	case strings.HasPrefix(tag, "@&") && digits(tag[2:]):
		return "@role:" + tag[2:], true
	case strings.HasPrefix(tag, "@!") && digits(tag[2:]):
		return "@" + mentionName(tag[2:], mentions), true
	case strings.HasPrefix(tag, "@") && digits(tag[1:]):
		return "@" + mentionName(tag[1:], mentions), true
	case strings.HasPrefix(tag, "#") && digits(tag[1:]):
		return "#" + tag[1:], true
	case strings.HasPrefix(tag, "t:"):
		return timestampTag(tag[2:])
	case strings.HasPrefix(tag, "http://") || strings.HasPrefix(tag, "https://"):
		return tag, !strings.ContainsAny(tag, " \t\n")
	case strings.HasPrefix(tag, "/"):
		cmd, id, ok := strings.Cut(tag[1:], ":")
		return "/" + cmd, ok && cmd != "" && digits(id)
	}
	return emojiTag(tag)
}

// emojiTag renders <:name:id> and <a:name:id> as :name:.
func emojiTag(tag string) (string, bool) {
	tag = strings.TrimPrefix(tag, "a")
	rest, ok := strings.CutPrefix(tag, ":")
	if !ok {
		return "", false
	}
	name, id, ok := strings.Cut(rest, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t\n") || !digits(id) {
		return "", false
	}
	return ":" + name + ":", true
}

// timestampTag renders <t:unix> and <t:unix:style> as an RFC 3339 UTC time.
func timestampTag(s string) (string, bool) {
	num, style, _ := strings.Cut(s, ":")
	if len(style) > 1 || !digits(num) {
		return "", false
	}
	sec, err := strconv.ParseInt(num, 10, 64)
	if err != nil || sec >= 7258118400 {
		return "", false
	}
	return time.Unix(sec, 0).UTC().Format(time.RFC3339), true
}

// mentionName names the user id mentions, falling back to the id.
func mentionName(id string, mentions []*fastjson.Value) string {
	for _, m := range mentions {
		if text(m, "id") == id {
			if name := text(m, "name"); name != "" {
				return name
			}
		}
	}
	return id
}

// digits reports whether s is a non-empty run of ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
