package webhook

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// shownLabels are the labels that say most about where an alert fires, in
// the order a responder reads them.
var shownLabels = []string{"severity", "service", "instance", "pod", "namespace", "cluster", "job"}

const (
	mostLabels  = 5 // labels shown at most
	fewLabels   = 2 // below this, other labels fill in
	otherLabels = 4 // labels shown at most when filling in
)

// summaryKeys are the annotations that say what is wrong, best first
// ("message" is what older kube-prometheus rules use).
var summaryKeys = []string{"summary", "description", "message"}

// view is an alert as fastjson parsed it, read in place: building the text
// of the few new alerts this way costs no map per alert.
type view struct {
	labels, annotations *fastjson.Object
	valueString         []byte
}

// label returns the value of label k, or nil.
func (v *view) label(k string) []byte {
	return getString(v.labels, k)
}

// getString returns the string at key k of o, or nil.
func getString(o *fastjson.Object, k string) []byte {
	if o == nil {
		return nil
	}
	return o.Get(k).GetStringBytes()
}

// text writes the line a responder reads for one state ("firing",
// "resolved") of an alert into buf: its name, its summary and the labels
// that say where, like "HighErrorRate firing: 5xx error ratio above 5% for
// checkout (severity=critical, service=checkout, instance=10.2.0.7:8080)".
// With values, Grafana's valueString follows.
func (v *view) text(buf []byte, state string, values bool) []byte {
	name := v.label("alertname")
	if len(name) == 0 {
		name = []byte("alert")
	}
	buf = appendClean(buf, name)
	buf = append(append(buf, ' '), state...)
	for _, k := range summaryKeys {
		if sum := getString(v.annotations, k); hasText(sum) {
			buf = appendClean(append(buf, ": "...), sum)
			break
		}
	}
	n := len(buf)
	if buf = v.appendLabels(append(buf, " ("...)); len(buf) == n+2 {
		buf = buf[:n]
	} else {
		buf = append(buf, ')')
	}
	if values && hasText(v.valueString) {
		buf = appendClean(append(buf, " values: "...), v.valueString)
	}
	return buf
}

// appendLabels writes the labels worth showing as "k=v, k=v": those of
// shownLabels present, skipping values already shown (namespace and job
// often repeat the service); when those are fewer than two, other labels
// (not alertname, not Prometheus' internal "__" ones) in name order.
func (v *view) appendLabels(buf []byte) []byte {
	shown := make([][]byte, 1, mostLabels+1)
	shown[0] = v.label("alertname")
	add := func(k string) {
		val := v.label(k)
		if !hasText(val) || slices.ContainsFunc(shown, func(s []byte) bool { return string(s) == string(val) }) {
			return
		}
		if len(shown) > 1 {
			buf = append(buf, ", "...)
		}
		shown = append(shown, val)
		buf = appendClean(append(appendClean(buf, []byte(k)), '='), val)
	}
	for _, k := range shownLabels {
		if len(shown) <= mostLabels {
			add(k)
		}
	}
	if len(shown) <= fewLabels {
		for _, k := range v.otherNames() {
			if len(shown) <= otherLabels {
				add(k)
			}
		}
	}
	return buf
}

// otherNames returns the names of labels not in shownLabels, sorted.
func (v *view) otherNames() []string {
	var names []string
	if v.labels == nil {
		return nil
	}
	v.labels.Visit(func(k []byte, _ *fastjson.Value) {
		name := string(k)
		if name != "alertname" && !strings.HasPrefix(name, "__") && !slices.Contains(shownLabels, name) {
			names = append(names, name)
		}
	})
	slices.Sort(names)
	return names
}

// Severe reports whether a firing alert of this severity means users are
// hurt. Only critical, page and error count: warnings and info (and the
// always-firing Watchdog, severity none) would put the first sign of impact
// long before the incident.
func Severe(severity string) bool {
	switch strings.ToLower(strings.TrimSpace(severity)) {
	case "critical", "page", "error":
		return true
	}
	return false
}

// Clean makes s readable on one line: valid UTF-8, runs of white space
// (newlines in descriptions) folded to one space, none at the ends.
func Clean(s []byte) string {
	return string(appendClean(nil, s))
}

// appendClean appends Clean(s) to buf.
func appendClean(buf []byte, s []byte) []byte {
	if cleanAlready(s) {
		return append(buf, s...) // most label values: a byte at a time was a tenth of reading alerts
	}
	return appendCleanSlow(buf, s)
}

// appendCleanSlow is appendClean a rune at a time, for any s.
func appendCleanSlow(buf []byte, s []byte) []byte {
	space := false
	start := len(buf)
	for len(s) > 0 {
		r, size := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(s)
		}
		switch {
		case r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r):
			space = true
		default:
			if space && len(buf) > start {
				buf = append(buf, ' ')
			}
			space = false
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, s[:size]...)
			}
		}
		s = s[size:]
	}
	return buf
}

// cleanAlready reports whether s is its own Clean: printable ASCII with no
// space at either end or two in a row.
func cleanAlready(s []byte) bool {
	if len(s) == 0 || s[0] == ' ' || s[len(s)-1] == ' ' {
		return len(s) == 0
	}
	prev := byte(0)
	for _, c := range s {
		if c < ' ' || c > '~' || c == ' ' && prev == ' ' {
			return false
		}
		prev = c
	}
	return true
}

// hasText reports whether s holds anything but white space.
func hasText(s []byte) bool {
	for len(s) > 0 {
		r, size := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(s)
		}
		if r < utf8.RuneSelf && !asciiSpace[r] || r >= utf8.RuneSelf && !unicode.IsSpace(r) {
			return true
		}
		s = s[size:]
	}
	return false
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
