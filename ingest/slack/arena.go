package slack

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"github.com/debriefhq/debrief"
)

// A worker makes a million events and their texts on a large export: one
// allocation each was a tenth of parsing. It hands them out from blocks
// instead (a block stays alive while one of its events or strings does;
// the timeline spills events, and with them their blocks, in about the
// order they were made).
const (
	eventBlock  = 64       // events per allocation
	stringBlock = 32 << 10 // bytes of strings per allocation
	maxArenaStr = 1 << 10  // longer strings get their own allocation
)

// newEvent returns a zeroed event.
func (w *worker) newEvent() *debrief.Event {
	if len(w.evs) == 0 {
		w.evs = make([]debrief.Event, eventBlock)
	}
	ev := &w.evs[0]
	w.evs = w.evs[1:]
	return ev
}

// str returns parts joined as a string. The bytes of a block are never
// written again once a string holds them.
func (w *worker) str(parts ...[]byte) string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	switch {
	case n == 0:
		return ""
	case n > maxArenaStr:
		return string(bytes.Join(parts, nil))
	case cap(w.strs)-len(w.strs) < n:
		w.strs = make([]byte, 0, stringBlock)
	}
	start := len(w.strs)
	for _, p := range parts {
		w.strs = append(w.strs, p...)
	}
	return unsafe.String(&w.strs[start], n)
}

// plainStr is plain, with the string from the worker's blocks.
func (w *worker) plainStr(b []byte) string {
	return w.keepStr(append(w.strBuf(), b...))
}

// strBuf returns an empty slice over the free part of the worker's block,
// to build a string in place (see keepStr).
func (w *worker) strBuf() []byte {
	if cap(w.strs)-len(w.strs) < maxArenaStr {
		w.strs = make([]byte, 0, stringBlock)
	}
	return w.strs[len(w.strs):len(w.strs)]
}

// keepStr returns b, built on strBuf's slice, trimmed and as a string:
// where b is still in the block, the block's used part grows to hold it
// and no byte is copied; where appends outgrew the block, b is an array of
// its own, which nothing writes again.
func (w *worker) keepStr(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if !utf8.Valid(b) {
		return plain(b)
	}
	block := uintptr(unsafe.Pointer(unsafe.SliceData(w.strs[:cap(w.strs)])))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if at >= block && at < block+uintptr(cap(w.strs)) {
		w.strs = w.strs[:int(at-block)+len(b)]
	}
	return unsafe.String(&b[0], len(b))
}
