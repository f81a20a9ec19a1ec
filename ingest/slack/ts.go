package slack

import "time"

// maxUnix is 2200-01-01T00:00:00Z in seconds: a ts past it is garbage, not a
// chat message.
const maxUnix = 7258118400

// tsExample is how messages about a bad ts say what was expected.
const tsExample = `"1700000000.000100"`

// parseTS reads a Slack ts, "<seconds>.<microseconds>", digit by digit so
// that no precision is lost to float64: the ts is also the message's id, and
// two messages in one second differ only in the last digits. Up to nine
// fraction digits are read as a decimal fraction of a second.
func parseTS(b []byte) (time.Time, bool) {
	var sec int64
	i := 0
	for ; i < len(b) && b[i] != '.'; i++ {
		c := b[i]
		if c < '0' || c > '9' || i >= 11 {
			return time.Time{}, false
		}
		sec = sec*10 + int64(c-'0')
	}
	if i == 0 || sec >= maxUnix {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(b) {
		frac := b[i+1:]
		if len(frac) == 0 || len(frac) > 9 {
			return time.Time{}, false
		}
		for _, c := range frac {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			nsec = nsec*10 + int64(c-'0')
		}
		for range 9 - len(frac) {
			nsec *= 10
		}
	}
	return time.Unix(sec, nsec).UTC(), true
}
