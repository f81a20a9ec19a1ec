package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/valyala/fastjson"
)

// envelope is what one alert needs of the body around it.
type envelope struct {
	receiver string
	status   []byte
	raw      []byte // the body's JSON, to locate errors in
	line     int    // the line the body starts on
	api      bool   // raw is an alert of the API's list, not a webhook body
	group    bool   // raw is a group of the API's alerts
	// suppressed says why the API's alert being read notified nobody
	// ("silenced", "inhibited"), empty when it did.
	suppressed string
}

// shape is what raw decodes into, to find where a value of the wrong type is.
func (env *envelope) shape() any {
	switch {
	case env.group:
		return &APIGroup{}
	case env.api:
		return &APIAlert{}
	}
	return &Body{}
}

// body reads one webhook body and emits the events of its alerts.
func (s *Stream) body(v *fastjson.Value, raw []byte, n int) error {
	if v.Type() != fastjson.TypeObject {
		return s.Bad(raw, n, nil, "expected a webhook body: a JSON object with \"alerts\", found JSON %s", v.Type())
	}
	alerts := v.Get("alerts")
	if alerts == nil && isAPIAlert(v) {
		// A list from the API is of alerts, each its own record.
		env := envelope{raw: raw, line: n, status: []byte("firing"), api: true}
		env.receiver = s.channel(v.GetStringBytes("receivers", "0", "name"))
		return s.alert(v, &env)
	}
	if alerts == nil || alerts.Type() == fastjson.TypeNull {
		if s.opt.Other != nil {
			return s.opt.Other(s, v, raw, n)
		}
		return s.Bad(raw, n, nil, "expected a webhook body with \"alerts\" (an array of alerts with \"labels\" and \"startsAt\")")
	}
	if alerts.Type() != fastjson.TypeArray {
		return s.Bad(raw, n, &Body{}, "expected \"alerts\" as an array of alerts, found JSON %s", alerts.Type())
	}
	if r := v.Get("receiver"); r != nil && r.Type() == fastjson.TypeObject {
		// A group from the API (GET /api/v2/alerts/groups): its alerts
		// are the API's, its receiver an object.
		env := envelope{raw: raw, line: n, status: []byte("firing"), api: true, group: true}
		env.receiver = s.channel(r.GetStringBytes("name"))
		for _, a := range alerts.GetArray() {
			if err := s.alert(a, &env); err != nil {
				return err
			}
		}
		return nil
	}
	env := envelope{raw: raw, line: n}
	receiver, ok := optString(v, "receiver")
	if !ok {
		return s.Bad(raw, n, &Body{}, "expected \"receiver\" as a string")
	}
	if env.status, ok = optString(v, "status"); !ok {
		return s.Bad(raw, n, &Body{}, "expected \"status\" as a string like \"firing\"")
	}
	env.receiver = s.channel(receiver)
	if t := v.Get("truncatedAlerts"); t != nil && t.Type() == fastjson.TypeNumber {
		s.truncated = max(s.truncated, t.GetInt64())
	}
	for _, a := range alerts.GetArray() {
		if err := s.alert(a, &env); err != nil {
			return err
		}
	}
	return nil
}

// channel returns the receiver as a channel name, cleaned once for the run
// of bodies sent to one receiver.
func (s *Stream) channel(receiver []byte) string {
	if string(receiver) != s.receiver[0] {
		s.receiver = [2]string{string(receiver), Clean(receiver)}
	}
	return s.receiver[1]
}

// optString returns the string at key of v: nil and true when it is absent
// or null, false when it is something else than a string.
func optString(v *fastjson.Value, key string) ([]byte, bool) {
	f := v.Get(key)
	if f == nil {
		return nil, true
	}
	switch f.Type() {
	case fastjson.TypeString:
		return f.GetStringBytes(), true
	case fastjson.TypeNull:
		return nil, true
	}
	return nil, false
}

// Bad reports a bad record of the body raw, which starts at line n. When
// shape points to the body's wire struct, encoding/json finds the line and
// column of the first value of a wrong type in raw.
func (s *Stream) Bad(raw []byte, n int, shape any, format string, args ...any) error {
	line, col := n, 0
	if shape != nil {
		line, col = locateType(raw, n, shape)
	}
	return s.report(line, col, fmt.Sprintf(format, args...))
}

// BadValue reports a bad record of the body raw (starting at line n) at the
// first place value, a string of the right type that cannot be read (a time
// that is no time), appears in it.
func (s *Stream) BadValue(raw []byte, n int, value string, format string, args ...any) error {
	line, col := locateText(raw, n, strconv.Quote(value))
	return s.report(line, col, fmt.Sprintf(format, args...))
}

func (s *Stream) report(line, col int, msg string) error {
	if col > 0 {
		msg = fmt.Sprintf("column %d: %s", col, msg)
	}
	return s.in.BadRecord(s.in.Errorf(line, "%s", msg))
}

// locateType decodes raw into shape to find where its first value of the
// wrong type is. It returns line n and column 0 when it finds none.
func locateType(raw []byte, n int, shape any) (int, int) {
	if len(raw) == 0 || raw[0] != '{' {
		return n, 0 // a body inside an array line: the offset would be the array's
	}
	err := json.Unmarshal(raw, shape)
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return position(raw, n, te.Offset)
	}
	return n, 0
}

// locateText finds quoted in raw, and gives the column of its first quote.
func locateText(raw []byte, n int, quoted string) (int, int) {
	i := bytes.Index(raw, []byte(quoted))
	if i < 0 {
		return n, 0
	}
	return position(raw, n, int64(i))
}

// position turns a byte offset into raw (which starts at line n) into a line
// and a 1-based column.
func position(raw []byte, n int, off int64) (int, int) {
	if off < 0 || off > int64(len(raw)) {
		return n, 0
	}
	before := raw[:off]
	return n + bytes.Count(before, []byte("\n")), len(before) - bytes.LastIndexByte(before, '\n')
}
