package journald

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// maxMicros is 2200-01-01T00:00:00Z: later timestamps are corrupt.
const maxMicros = 7258118400_000000

// entry holds the fields of one journal entry that Debrief uses. The slices
// point into the reader's buffers and are valid until the next entry.
type entry struct {
	line           int // where the entry starts
	realtime       []byte
	sourceRealtime []byte
	cursor         []byte
	message        [][]byte
	messageNull    bool
	priority       []byte
	identifier     []byte
	comm           []byte
	hostname       []byte
	systemdUnit    []byte
	userUnit       []byte // _SYSTEMD_USER_UNIT
	aboutUnit      []byte // UNIT or USER_UNIT: what systemd's own messages are about
}

// set stores the value of a field the parser cares about and ignores others.
func (e *entry) set(name string, value []byte) {
	switch name {
	case "__REALTIME_TIMESTAMP":
		e.realtime = value
	case "_SOURCE_REALTIME_TIMESTAMP":
		e.sourceRealtime = value
	case "__CURSOR":
		e.cursor = value
	case "MESSAGE":
		e.message = append(e.message, value)
	case "PRIORITY":
		e.priority = value
	case "SYSLOG_IDENTIFIER":
		e.identifier = value
	case "_COMM":
		e.comm = value
	case "_HOSTNAME":
		e.hostname = value
	case "_SYSTEMD_UNIT":
		e.systemdUnit = value
	case "_SYSTEMD_USER_UNIT":
		e.userUnit = value
	case "UNIT", "USER_UNIT":
		e.aboutUnit = value
	}
}

// wanted reports whether set keeps the field, so that readers can skip the
// bytes of all others.
func wanted(name []byte) bool {
	switch string(name) {
	case "__REALTIME_TIMESTAMP", "_SOURCE_REALTIME_TIMESTAMP", "__CURSOR", "MESSAGE", "PRIORITY",
		"SYSLOG_IDENTIFIER", "_COMM", "_HOSTNAME", "_SYSTEMD_UNIT", "_SYSTEMD_USER_UNIT", "UNIT", "USER_UNIT":
		return true
	}
	return false
}

// parser turns entries into events; one per Parse call.
type parser struct {
	in     *ingest.Input
	emit   ingest.Emit
	actors map[string]*debrief.Identity
	hosts  map[string]string
	// tooLarge counts messages journalctl left out (null MESSAGE).
	tooLarge int
	// stray counts lines of an export that are not journal fields.
	stray      int
	strayFirst int
	strayText  string
}

func newParser(in *ingest.Input, emit ingest.Emit) *parser {
	return &parser{in: in, emit: emit, actors: make(map[string]*debrief.Identity), hosts: make(map[string]string)}
}

// entry emits the event of e, or reports e as a bad record.
func (p *parser) entry(e *entry) error {
	us, ok := micros(e.realtime)
	if !ok {
		us, ok = micros(e.sourceRealtime)
	}
	if !ok {
		return p.in.BadRecord(p.in.Errorf(e.line, "expected \"__REALTIME_TIMESTAMP\" as microseconds since 1970 like \"1758137056706827\", found %q", clip(e.realtime)))
	}
	id := p.identity(firstOf(e.identifier, e.systemdUnit, e.comm))
	ev := &debrief.Event{
		Time:     time.UnixMicro(us).UTC(),
		Source:   debrief.SourceJournald,
		Kind:     debrief.KindLog,
		Channel:  p.host(e.hostname),
		Text:     p.text(e, id),
		Ref:      ref(e, us),
		Bot:      true,
		Input:    p.in.Name,
		Identity: id,
	}
	if id != nil {
		ev.Actor = id.Handle
	} else {
		ev.Actor = p.in.Actor
	}
	return p.emit(ev)
}

// identity returns the one Identity of an actor, nil for none.
func (p *parser) identity(actor []byte) *debrief.Identity {
	if len(actor) == 0 {
		return nil
	}
	if id, ok := p.actors[string(actor)]; ok {
		return id
	}
	handle := strings.ToValidUTF8(string(actor), "\uFFFD")
	id := &debrief.Identity{Source: debrief.SourceJournald, Handle: handle, Bot: true}
	p.actors[string(actor)] = id
	return id
}

// host interns host names, which repeat on every line.
func (p *parser) host(name []byte) string {
	if h, ok := p.hosts[string(name)]; ok {
		return h
	}
	h := strings.ToValidUTF8(string(name), "\uFFFD")
	p.hosts[string(name)] = h
	return h
}

// text is the message, prefixed with the unit it is about when the message
// and actor do not already say it, and with the priority when it is an error:
// "checkout.service: [err] connect() to 10.8.3.17:5432 failed".
func (p *parser) text(e *entry, id *debrief.Identity) string {
	var b strings.Builder
	if unit := unitOf(e); len(unit) > 0 && !mentions(e.message, unit) && !sameName(unit, id) {
		b.Write(unit)
		b.WriteString(": ")
	}
	if name := errorPriority(e.priority); name != "" {
		b.WriteString("[" + name + "] ")
	}
	switch {
	case e.messageNull:
		p.tooLarge++
		b.WriteString("(message left out by journalctl: larger than its field size limit; export with --all to keep it)")
	case len(e.message) == 0:
		b.WriteString("(no message)")
	}
	for i, m := range e.message {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.Write(bytes.TrimRight(m, " \t\r\n"))
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// errorPriority names a syslog priority that is an error (0 to 3), and
// returns "" for the others.
func errorPriority(p []byte) string {
	if len(p) != 1 {
		return ""
	}
	switch p[0] {
	case '0':
		return "emerg"
	case '1':
		return "alert"
	case '2':
		return "crit"
	case '3':
		return "err"
	}
	return ""
}

// unitOf is the unit an entry is about: the one systemd names in UNIT= for
// its own messages, else the unit that logged it unless that is a scope or
// slice (init.scope, session-3.scope), which tells a reader nothing.
func unitOf(e *entry) []byte {
	if len(e.aboutUnit) > 0 {
		return e.aboutUnit
	}
	for _, u := range [][]byte{e.systemdUnit, e.userUnit} {
		if len(u) > 0 && !bytes.HasSuffix(u, []byte(".scope")) && !bytes.HasSuffix(u, []byte(".slice")) {
			return u
		}
	}
	return nil
}

func mentions(message [][]byte, unit []byte) bool {
	for _, m := range message {
		if bytes.Contains(m, unit) {
			return true
		}
	}
	return false
}

// sameName reports whether the unit is the actor's own ("nginx.service" for
// "nginx"), where the prefix would repeat the actor.
func sameName(unit []byte, id *debrief.Identity) bool {
	if id == nil {
		return false
	}
	name, _, _ := bytes.Cut(unit, []byte("."))
	return string(name) == id.Handle || string(unit) == id.Handle
}

// ref is the entry's stable id: its cursor without the seqnum parts (s=, i=),
// which belong to the journal file the entry sits in and change when entries
// are copied (systemd-journal-remote, journalctl --file exports); the boot id,
// monotonic and realtime clocks and the entry's hash (b=, m=, t=, x=) stay.
// An entry without a cursor gets its time and a hash of what it says.
func ref(e *entry, us int64) string {
	var kept [][]byte
	for part := range bytes.SplitSeq(e.cursor, []byte(";")) {
		if !bytes.HasPrefix(part, []byte("s=")) && !bytes.HasPrefix(part, []byte("i=")) {
			kept = append(kept, part)
		}
	}
	if len(kept) >= 3 {
		return strings.ToValidUTF8(string(bytes.Join(kept, []byte(";"))), "\uFFFD")
	}
	if len(e.cursor) > 0 {
		return strings.ToValidUTF8(string(e.cursor), "\uFFFD")
	}
	h := fnv.New64a()
	for _, f := range append([][]byte{e.hostname, e.identifier, e.systemdUnit, e.comm}, e.message...) {
		h.Write(f)
		h.Write([]byte{0})
	}
	return fmt.Sprintf("t=%x;h=%016x", us, h.Sum64())
}

// micros reads a decimal count of microseconds since 1970 up to 2200.
func micros(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, n < maxMicros
}

func firstOf(values ...[]byte) []byte {
	for _, v := range values {
		if len(v) > 0 {
			return v
		}
	}
	return nil
}

// clip shortens a value for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// notes reports what was left out or could not be kept.
func (p *parser) notes() {
	if p.tooLarge > 0 {
		p.in.Notef("%s: %d messages were null (journalctl leaves out fields over its size limit); export with journalctl --all to keep them", p.in.Name, p.tooLarge)
	}
	if p.stray > 0 {
		p.in.Notef("%s: left out %d lines that are not journal fields, such as syslog lines pasted in (first at line %d: %q)", p.in.Name, p.stray, p.strayFirst, p.strayText)
	}
}
