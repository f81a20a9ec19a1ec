package webhook

import (
	"github.com/debriefhq/debrief/ingest"
	"strings"
	"time"

	"github.com/valyala/fastjson"
)

// Times outside these bounds are typos or placeholders, not incident times.
var (
	earliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// InRange reports whether t can be the time of an incident event.
func InRange(t time.Time) bool {
	return !t.Before(earliest) && t.Before(latest)
}

// timeField reads the time at key of alert a. The time is zero when the key
// is absent, null or empty, or holds "0001-01-01T00:00:00Z", which is how
// Alertmanager writes "not ended yet". When ok is false the alert is bad and
// err is what reporting it returned.
func (s *Stream) timeField(a *fastjson.Value, env *envelope, key string) (t time.Time, ok bool, err error) {
	b, isString := optString(a, key)
	if !isString {
		return t, false, s.Bad(env.raw, env.line, env.shape(),
			"expected %q as a string: an RFC 3339 time like %s", key, timeExample)
	}
	if len(b) == 0 {
		return t, true, nil
	}
	t, perr := s.parseTime(b)
	if perr != nil {
		return t, false, s.BadValue(env.raw, env.line, string(b),
			"expected %q as an RFC 3339 time like %s, found %q", key, timeExample, clip(b))
	}
	if t.IsZero() {
		return t, true, nil
	}
	if !InRange(t) {
		return time.Time{}, false, s.BadValue(env.raw, env.line, string(b),
			"%q %s is out of range: expected a time between 1970 and 2200", key, clip(b))
	}
	return t, true, nil
}

// parseTime reads an RFC 3339 time with any offset and up to nanoseconds;
// a time without an offset is read in the input's zone.
func (s *Stream) parseTime(b []byte) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err == nil {
		return t, nil
	}
	zone := s.in.Zone
	if zone == nil {
		zone = time.UTC
	}
	if t, zerr := ingest.ParseLocal("2006-01-02T15:04:05.999999999", string(b), zone); zerr == nil {
		return t, nil
	}
	return t, err
}

// clip shortens a bad value for a message.
func clip(b []byte) string {
	const most = 64
	if len(b) > most {
		b = b[:most]
		return strings.ToValidUTF8(string(b), "\uFFFD") + "..."
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
