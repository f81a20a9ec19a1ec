// Package k8sevents reads Kubernetes events as kubectl prints them
// (`kubectl get events -o json`, the events.k8s.io/v1 list, single Event
// objects, `kubectl get events -o json -w` streams of concatenated objects or
// watch envelopes) and the OpenShift Insights compacted event list.
//
// A repeated event (count > 1, or an events.k8s.io series) becomes one
// timeline event at its first occurrence whose text says how many times it
// happened and until when, because a timeline of 1,464 identical BackOff lines
// hides everything else. Every event is by a controller, so every event is
// Bot: Kubernetes noise never breaks a stall.
package k8sevents

import (
	"bytes"
	"context"
	"io/fs"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Format describes Kubernetes events for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   "k8s",
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Sniff recognises an event list or event object by the keys only the
// Kubernetes Event schema uses. Generic JSON formats never carry
// "involvedObject" or an "EventList" kind, so the score can be high.
func Sniff(head []byte, name string) int {
	body := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(body) == 0 {
		return 0
	}
	if body[0] != '{' && body[0] != '[' {
		return sniffYAML(body)
	}
	has := func(s string) bool { return bytes.Contains(body, []byte(s)) }
	switch {
	case hasKind(body, "EventList"):
		return 95
	case has(`"involvedObject"`) && has(`"reason"`):
		return 90
	case has(`"regarding"`) && has(`"reportingController"`):
		return 90
	case hasKind(body, "Event") && has(`"reason"`):
		return 85
	case has(`"items"`) && has(`"lastTimestamp"`) && has(`"reason"`):
		return 75 // the OpenShift Insights compacted list
	}
	return 0
}

// hasKind reports whether body holds "kind": "<kind>" with any spacing.
func hasKind(body []byte, kind string) bool {
	for rest := body; ; {
		i := bytes.Index(rest, []byte(`"kind"`))
		if i < 0 {
			return false
		}
		rest = bytes.TrimLeft(rest[i+len(`"kind"`):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			v := bytes.TrimLeft(rest[1:], " \t\r\n")
			if bytes.HasPrefix(v, []byte(`"`+kind+`"`)) {
				return true
			}
		}
	}
}

// Parse reads one input of Kubernetes events and emits them, one per
// distinct event, in the order they first appear.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	data, err := fs.ReadFile(in.FS, in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "read", Err: err}
	}
	var lines []yamlLine
	if isYAML(data) {
		if data, lines, err = toJSON(in, data); err != nil {
			return err
		}
	}
	d := newDocument(in, data)
	d.yaml = lines
	if err := d.walk(ctx); err != nil {
		return err
	}
	return d.emitAll(ctx, emit)
}
