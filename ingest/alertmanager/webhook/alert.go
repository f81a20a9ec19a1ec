package webhook

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

const timeExample = `"2024-08-13T20:37:00.123Z"`

// alert emits the firing of one alert, and its resolution when the
// notification says when it ended, unless this stream emitted them already.
// Only alerts not seen before are decoded in full: notifications repeat.
func (s *Stream) alert(a *fastjson.Value, env *envelope) error {
	if a.Type() != fastjson.TypeObject {
		return s.Bad(env.raw, env.line, env.shape(), "expected each of \"alerts\" to be an object, found JSON %s", a.Type())
	}
	start, ok, err := s.timeField(a, env, "startsAt")
	if !ok {
		return err
	}
	if start.IsZero() {
		return s.Bad(env.raw, env.line, nil, "expected \"startsAt\" on every alert, as an RFC 3339 time like %s", timeExample)
	}
	end, ok, err := s.timeField(a, env, "endsAt")
	if !ok {
		return err
	}
	fp, fok := optString(a, "fingerprint")
	if env.api {
		if !fok {
			return s.Bad(env.raw, env.line, env.shape(), "expected \"fingerprint\" of an alert as a string")
		}
		// The API's alerts are the ones firing now ("active", or
		// "suppressed" by a silence or an inhibition), and their endsAt is
		// when they will time out unless Prometheus sends them again.
		env.suppressed = suppression(a.Get("status"))
		return s.emitAlert(a, env, fp, start, time.Time{}, false)
	}
	status, sok := optString(a, "status")
	if !sok || !fok {
		return s.Bad(env.raw, env.line, env.shape(), "expected \"status\" and \"fingerprint\" of an alert as strings")
	}
	if len(status) == 0 {
		status = env.status
	}
	resolved := string(status) == "resolved" || len(status) == 0 && !end.IsZero()
	return s.emitAlert(a, env, fp, start, end, resolved)
}

// emitAlert emits what is new of one alert: its firing, its resolution.
func (s *Stream) emitAlert(a *fastjson.Value, env *envelope, fp []byte, start, end time.Time, resolved bool) error {
	var al *view
	if len(fp) == 0 {
		if al = s.decode(a); al == nil {
			return s.Bad(env.raw, env.line, env.shape(), "expected \"labels\" and \"annotations\" of an alert as objects of strings")
		}
		fp = fingerprint(al.labels)
	}
	if !utf8.Valid(fp) {
		fp = []byte(strings.ToValidUTF8(string(fp), "\uFFFD"))
	}
	if ref, fresh := s.ref(fp, start, "/firing"); fresh {
		if err := s.alertEvent(a, env, &al, debrief.KindAlertFiring, start, ref); err != nil {
			return err
		}
	}
	if !resolved {
		return nil
	}
	if end.IsZero() {
		if _, fresh := s.ref(fp, start, "/unended"); fresh {
			s.seen[string(s.key)] = struct{}{}
			s.noEnd++
		}
		return nil
	}
	if ref, fresh := s.ref(fp, start, "/resolved"); fresh {
		return s.alertEvent(a, env, &al, debrief.KindAlertResolved, end, ref)
	}
	return nil
}

// alertEvent emits one event of alert a, reading it into *al first if that
// was not done yet.
func (s *Stream) alertEvent(a *fastjson.Value, env *envelope, al **view, kind debrief.Kind, t time.Time, ref string) error {
	if *al == nil {
		if *al = s.decode(a); *al == nil {
			return s.Bad(env.raw, env.line, env.shape(), "expected the labels, annotations and URLs of an alert as strings")
		}
	}
	state := "firing"
	if kind == debrief.KindAlertResolved {
		state = "resolved"
	}
	s.text = (*al).text(s.text[:0], state, s.opt.Values)
	if env.suppressed != "" {
		// It fired, but notified nobody: a note for the room (a silence
		// that hid an alert is worth asking about), not a detection.
		kind = debrief.KindNote
		s.text = append(s.text, " ("+env.suppressed+", nobody notified)"...)
	}
	ev := s.Event(t, kind, env.receiver, string(s.text), ref)
	ev.Impact = kind == debrief.KindAlertFiring && Severe(string((*al).label("severity")))
	return s.Emit(ev)
}

// suppression says why an API alert's status notified nobody: "silenced",
// "inhibited", or empty when it is active.
func suppression(st *fastjson.Value) string {
	if string(st.GetStringBytes("state")) != "suppressed" {
		return ""
	}
	var why []string
	if len(st.GetArray("silencedBy")) > 0 {
		why = append(why, "silenced")
	}
	if len(st.GetArray("inhibitedBy")) > 0 {
		why = append(why, "inhibited")
	}
	if len(why) == 0 {
		return "suppressed"
	}
	return strings.Join(why, " and ")
}

// ref returns the Ref of fp's firing that started at start, with suffix, and
// whether the stream has not emitted it yet.
func (s *Stream) ref(fp []byte, start time.Time, suffix string) (string, bool) {
	k := append(s.key[:0], fp...)
	k = append(k, '@')
	k = start.UTC().AppendFormat(k, time.RFC3339Nano)
	k = append(k, suffix...)
	s.key = k
	if _, ok := s.seen[string(k)]; ok {
		return "", false
	}
	return string(k), true
}

// decode checks that the fields of alert a read for its text have the
// types of the wire struct, and returns a view of them, or nil.
func (s *Stream) decode(a *fastjson.Value) *view {
	var v view
	var ok [6]bool
	v.labels, ok[0] = stringObject(a, "labels")
	v.annotations, ok[1] = stringObject(a, "annotations")
	v.valueString, ok[2] = optString(a, "valueString")
	_, ok[3] = optString(a, "status")
	if st := a.Get("status"); st != nil && st.Type() == fastjson.TypeObject {
		ok[3] = true // the API's {"state": "active", ...}
	}
	_, ok[4] = optString(a, "fingerprint")
	_, ok[5] = optString(a, "generatorURL")
	for _, good := range ok {
		if !good {
			return nil
		}
	}
	return &v
}

// stringObject returns the object at key of v, whose values must be strings
// (or null, which encoding/json skips too); nil when it is absent or null.
func stringObject(v *fastjson.Value, key string) (*fastjson.Object, bool) {
	f := v.Get(key)
	if f == nil || f.Type() == fastjson.TypeNull {
		return nil, true
	}
	o, err := f.Object()
	if err != nil {
		return nil, false
	}
	ok := true
	o.Visit(func(_ []byte, v *fastjson.Value) {
		ok = ok && (v.Type() == fastjson.TypeString || v.Type() == fastjson.TypeNull)
	})
	return o, ok
}
