package mattermost

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// Parse reads a bulk export line by line and emits one event per post, reply
// and direct post. Teams, channels, emoji, schemes and roles carry nothing for
// a timeline and are passed over.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return fmt.Errorf("mattermost export %s: %w", in.Name, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if head, _ := br.Peek(64 << 10); sniffLine(firstLine(bytes.TrimPrefix(head, []byte(ingest.BOM)))) == 0 && sniffAPI(head) > 0 {
		return parseAPI(in, br, emit)
	}
	p := &parser{in: in, emit: emit, people: newPeople(), channels: newChannelFilter(in.Channels)}
	err = ingest.Lines(in, br, func(line []byte, n int) error {
		if n%1024 == 1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return p.line(line, n)
	})
	if err != nil {
		return err
	}
	return p.finish()
}

// parser holds what one export's lines share: the people described so far and
// the events waiting for their author's user line.
type parser struct {
	in       *ingest.Input
	emit     ingest.Emit
	json     fastjson.Parser
	people   *people
	channels channelFilter
}

// line dispatches one line of the export on its "type".
func (p *parser) line(line []byte, n int) error {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil
	}
	v, err := p.json.ParseBytes(line)
	if err != nil {
		return p.bad(lineError(p.in, line, n))
	}
	if v.Type() != fastjson.TypeObject {
		return p.bad(p.in.Errorf(n, `expected a JSON object like {"type":"post","post":{...}}, found %s`, v.Type()))
	}
	typ := v.Get("type")
	if typ == nil || typ.Type() != fastjson.TypeString {
		return p.bad(p.in.Errorf(n, `expected "type" as a string like "post"`))
	}
	switch t := string(typ.GetStringBytes()); t {
	case "user", "bot":
		return p.person(v.Get(t), t == "bot", n)
	case "post":
		return p.post(v.Get("post"), n)
	case "direct_post":
		return p.directPost(v.Get("direct_post"), n)
	}
	return nil
}

// bad reports a bad record through the input's hook.
func (p *parser) bad(err *debrief.InputError) error {
	return p.in.BadRecord(err)
}

// lineError explains why line n is not JSON, saying so plainly when the line
// was cut short (a truncated file ends in such a line).
func lineError(in *ingest.Input, line []byte, n int) *debrief.InputError {
	var raw json.RawMessage
	err := json.Unmarshal(line, &raw)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return in.Errorf(n, `expected one JSON object per line like {"type":"post","post":{...}}`)
	}
	if syn.Offset >= int64(len(line)) && strings.Contains(syn.Error(), "unexpected end") {
		return in.Errorf(n, "truncated JSON: the line ends before its object is complete; expected one Mattermost record per line")
	}
	return in.Errorf(n, `column %d: invalid JSON: %v; expected one JSON object per line like {"type":"post","post":{...}}`, syn.Offset, syn)
}

// person records a user or bot line and emits the events held for it.
func (p *parser) person(v *fastjson.Value, bot bool, n int) error {
	if v == nil || v.Type() != fastjson.TypeObject {
		return p.bad(p.in.Errorf(n, `expected "user" as an object with a "username"`))
	}
	id := identityOf(v, bot)
	if id == nil {
		return p.bad(p.in.Errorf(n, `expected "username" as a non-empty string`))
	}
	for _, ev := range p.people.describe(id) {
		if err := p.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// send emits ev now when its author is known, or holds it until the author's
// user line arrives.
func (p *parser) send(ev *debrief.Event) error {
	if !p.people.attach(ev) {
		return nil
	}
	return p.emit(ev)
}

// finish emits the events whose authors never got a user line, with the
// username alone, and says so.
func (p *parser) finish() error {
	events, users := p.people.undescribed()
	if len(events) == 0 {
		return nil
	}
	names := users
	if len(names) > 5 {
		names = append(names[:5:5], "...")
	}
	p.in.Notef("posts whose author has no user line in the export: %d, by %s; kept with the username only",
		len(events), strings.Join(names, ", "))
	for _, ev := range events {
		if err := p.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// channelFilter is the set of channels a user asked for, lower case and
// without a leading "#"; empty selects every channel.
type channelFilter map[string]bool

// newChannelFilter builds the filter from Input.Channels.
func newChannelFilter(names []string) channelFilter {
	if len(names) == 0 {
		return nil
	}
	f := make(channelFilter, len(names))
	for _, n := range names {
		f[normalChannel(n)] = true
	}
	return f
}

// selects reports whether a channel known by any of names is wanted: a
// channel may be asked for by name or as "team/name".
func (f channelFilter) selects(names ...string) bool {
	if len(f) == 0 {
		return true
	}
	for _, n := range names {
		if n != "" && f[normalChannel(n)] {
			return true
		}
	}
	return false
}

// normalChannel puts a channel name in the form the filter compares.
func normalChannel(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
}
