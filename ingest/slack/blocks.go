package slack

import (
	"github.com/valyala/fastjson"
)

// appendBlocks appends the text of Block Kit blocks, for messages that carry
// no text of their own (apps, workflows). Only the fixed levels of the block
// layout are walked, so nesting in the input cannot drive recursion.
func (d *directory) appendBlocks(dst []byte, v *fastjson.Value) []byte {
	for _, b := range v.GetArray() {
		switch string(b.GetStringBytes("type")) {
		case "section", "header":
			dst = d.appendTextObject(dst, b.Get("text"))
			for _, f := range b.GetArray("fields") {
				dst = d.appendTextObject(dst, f)
			}
		case "context":
			for _, e := range b.GetArray("elements") {
				dst = d.appendTextObject(dst, e)
			}
		case "rich_text":
			for _, e := range b.GetArray("elements") {
				dst = d.appendRichBlock(dst, e)
			}
		}
	}
	return dst
}

// appendTextObject appends a composition text object: mrkdwn is decoded,
// plain_text kept as it is.
func (d *directory) appendTextObject(dst []byte, t *fastjson.Value) []byte {
	s := t.GetStringBytes("text")
	if len(s) == 0 {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, '\n')
	}
	if string(t.GetStringBytes("type")) == "mrkdwn" {
		return d.appendMrkdwn(dst, s)
	}
	return append(dst, s...)
}

// appendRichBlock appends one section, list, quote or preformatted part of a
// rich_text block on lines of its own.
func (d *directory) appendRichBlock(dst []byte, e *fastjson.Value) []byte {
	if string(e.GetStringBytes("type")) != "rich_text_list" {
		if len(dst) > 0 {
			dst = append(dst, '\n')
		}
		return d.appendRichInline(dst, e.GetArray("elements"))
	}
	for _, item := range e.GetArray("elements") {
		if len(dst) > 0 {
			dst = append(dst, '\n')
		}
		dst = d.appendRichInline(append(dst, "- "...), item.GetArray("elements"))
	}
	return dst
}

// appendRichInline appends the inline elements of a rich text section.
func (d *directory) appendRichInline(dst []byte, elements []*fastjson.Value) []byte {
	for _, e := range elements {
		switch string(e.GetStringBytes("type")) {
		case "text":
			dst = append(dst, e.GetStringBytes("text")...)
		case "link":
			dst = appendLink(dst, e.GetStringBytes("url"), e.GetStringBytes("text"))
		case "user":
			dst = append(append(dst, '@'), d.userName(e.GetStringBytes("user_id"))...)
		case "channel":
			dst = append(append(dst, '#'), d.channelName(e.GetStringBytes("channel_id"))...)
		case "usergroup":
			dst = append(append(dst, '@'), e.GetStringBytes("usergroup_id")...)
		case "broadcast":
			dst = append(append(dst, '@'), e.GetStringBytes("range")...)
		case "emoji":
			dst = append(append(append(dst, ':'), e.GetStringBytes("name")...), ':')
		case "date":
			dst = append(dst, e.GetStringBytes("fallback")...)
		}
	}
	return dst
}
