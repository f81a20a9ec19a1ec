package slack

import (
	"bytes"
	"fmt"

	"github.com/valyala/fastjson"
)

// render makes the readable text of m: its decoded text, then for bots (or
// when the text is empty) the content of its attachments, then blocks when
// nothing else said anything, then the names of shared files.
func (w *worker) render(m *message, bot bool) string {
	d := w.dir
	buf := w.strBuf()
	buf = d.appendMrkdwn(buf, m.text)
	if len(m.text) == 0 && m.comment != nil {
		buf = d.appendMrkdwn(buf, m.comment.GetStringBytes("comment"))
	}
	if bot || len(bytes.TrimSpace(buf)) == 0 {
		buf = d.appendAttachments(buf, m.attachments)
	}
	if len(bytes.TrimSpace(buf)) == 0 {
		buf = d.appendBlocks(buf, w.blocksOf(m))
	}
	buf = appendFiles(buf, m)
	return w.keepStr(buf)
}

// blocksOf is the message's blocks: parsed with it, or cut out of it before
// (see trimmer) and parsed now.
func (w *worker) blocksOf(m *message) *fastjson.Value {
	return w.uncut(m.blocks, 0)
}

// uncut is v, or else the value trimmed[i] cut out of the message, parsed
// (valid until the next message).
func (w *worker) uncut(v *fastjson.Value, i int) *fastjson.Value {
	if v != nil || w.cut[i] == nil {
		return v
	}
	v, err := w.pb[i].ParseBytes(w.cut[i])
	if err != nil {
		return nil
	}
	return v
}

// appendAttachments appends what legacy attachments say (alerts and CI
// integrations put everything there): pretext, title, text and fields, or
// the fallback summary when an attachment has none of those.
func (d *directory) appendAttachments(dst []byte, v *fastjson.Value) []byte {
	for _, a := range v.GetArray() {
		start := len(dst)
		for _, key := range [...]string{"pretext", "title", "text"} {
			dst = d.appendPart(dst, a.GetStringBytes(key))
		}
		for _, f := range a.GetArray("fields") {
			dst = d.appendField(dst, f)
		}
		if len(dst) == start {
			dst = d.appendBlocks(dst, a.Get("blocks"))
		}
		if len(dst) == start {
			dst = d.appendPart(dst, a.GetStringBytes("fallback"))
		}
	}
	return dst
}

// appendField appends an attachment field as "title: value".
func (d *directory) appendField(dst []byte, f *fastjson.Value) []byte {
	title, value := f.GetStringBytes("title"), f.GetStringBytes("value")
	if len(title) == 0 {
		return d.appendPart(dst, value)
	}
	dst = d.appendPart(dst, title)
	if len(value) > 0 {
		dst = d.appendMrkdwn(append(dst, ": "...), value)
	}
	return dst
}

// appendPart appends a piece of mrkdwn on a line of its own.
func (d *directory) appendPart(dst, s []byte) []byte {
	if len(bytes.TrimSpace(s)) == 0 {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, '\n')
	}
	return d.appendMrkdwn(dst, s)
}

// maxFiles is how many shared files a message's text names; a message that
// shares more says how many more there are.
const maxFiles = 20

// appendFiles appends "[file: name]" for each shared file whose name the text
// does not already show.
func appendFiles(dst []byte, m *message) []byte {
	text := len(dst)
	files := m.files.GetArray()
	if m.file != nil {
		files = append([]*fastjson.Value{m.file}, files...)
	}
	for i, f := range files {
		if i == maxFiles {
			return fmt.Appendf(dst, " [and %d more files]", len(files)-maxFiles)
		}
		dst = appendFile(dst, text, f)
	}
	return dst
}

// appendFile appends the name of f unless the first text bytes of dst show it.
func appendFile(dst []byte, text int, f *fastjson.Value) []byte {
	name := f.GetStringBytes("name")
	if len(name) == 0 {
		name = f.GetStringBytes("title")
	}
	if len(name) == 0 || bytes.Contains(dst[:text], name) {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, ' ')
	}
	dst = append(dst, "[file: "...)
	dst = append(dst, name...)
	return append(dst, ']')
}
