package csvjsonl

import (
	"bytes"
	"context"
	"sort"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// SniffJSONL claims a file whose first line is a JSON object with a time and
// a text key, unless it is a record of a format another parser owns
// (journald, Alertmanager, Mattermost, PagerDuty, Opsgenie, Kubernetes),
// which gets 10 so that the specific format wins.
func SniffJSONL(head []byte, name string) int {
	body := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	first, rest, _ := bytes.Cut(body, []byte("\n"))
	var p fastjson.Parser
	v, err := p.ParseBytes(first)
	if err != nil || v.Type() != fastjson.TypeObject {
		return 0
	}
	o := v.GetObject()
	if _, ok := pickKeys(o); !ok {
		return 0
	}
	if owned(o) {
		return 10
	}
	score := 45
	if second, _, _ := bytes.Cut(rest, []byte("\n")); len(second) > 0 {
		if v, err := p.ParseBytes(second); err == nil && v.Type() == fastjson.TypeObject {
			score += 5
		}
	}
	if lower := strings.ToLower(name); strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson") {
		score += 10
	}
	return score
}

// owned reports whether o is a record of a format with its own parser.
func owned(o *fastjson.Object) bool {
	for _, key := range []string{"__REALTIME_TIMESTAMP", "__CURSOR", "alerts", "log_entries", "involvedObject"} {
		if o.Get(key) != nil {
			return true
		}
	}
	if o.Get("action") != nil && o.Get("alert") != nil {
		return true // Opsgenie
	}
	if ev := o.Get("event"); ev != nil && ev.Type() == fastjson.TypeObject {
		return true // PagerDuty webhook v3
	}
	t := o.Get("type")
	if t == nil || t.Type() != fastjson.TypeString {
		return false
	}
	typ := string(t.GetStringBytes())
	// PagerDuty REST log entries, one a line: {"type":"trigger_log_entry",...}.
	// Mattermost: {"type":"post","post":{...}}, {"type":"version","version":1}.
	return strings.HasSuffix(typ, "_log_entry") || o.Get(typ) != nil
}

// ParseJSONL reads one JSON object a line and emits one event an object.
func ParseJSONL(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "read", Err: err}
	}
	defer f.Close()
	b := newBuilder(in, debrief.SourceJSONL)
	var p fastjson.Parser
	seen := false
	err = ingest.Lines(in, f, func(line []byte, n int) error {
		line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\ufeff")))
		if len(line) == 0 {
			return nil
		}
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		first := !seen
		seen = true
		if first && len(line) == 1 && line[0] == '{' {
			return in.Errorf(n, "expected one JSON object a line; this looks like a JSON document spread over lines")
		}
		return jsonLine(b, &p, line, n, first, emit)
	})
	if err != nil {
		return err
	}
	return b.finish(emit)
}

// jsonLine reads one line. The first object decides whether the input is
// usable at all: without a time and a text key it is a whole-input error.
func jsonLine(b *builder, p *fastjson.Parser, line []byte, n int, first bool, emit ingest.Emit) error {
	v, err := p.ParseBytes(line)
	if err != nil {
		return b.in.BadRecord(b.in.Errorf(n, "expected a JSON object a line: %v", err))
	}
	o, err := v.Object()
	if err != nil {
		return b.in.BadRecord(b.in.Errorf(n, "expected a JSON object a line, found %s", v.Type()))
	}
	k, ok := pickKeys(o)
	if !ok {
		err := b.in.Errorf(n, "expected an object with %s; found keys %s", expected(), keyList(o))
		if first {
			return err
		}
		return b.in.BadRecord(err)
	}
	r := k.row(n, hashLine(line))
	return emitRow(b, &r, "key", string(k[roleTime].key), emit)
}

// keyList names the keys of o, sorted, for messages.
func keyList(o *fastjson.Object) string {
	var keys []string
	o.Visit(func(k []byte, _ *fastjson.Value) { keys = append(keys, string(k)) })
	sort.Strings(keys)
	return quoted(keys)
}
