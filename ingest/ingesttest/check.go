package ingesttest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
)

// AddSeeds adds files to f's seed corpus, so that fuzzing starts from real
// input: those matching patterns (globs such as "testdata/*"), then those of
// category in the shared corpus, when it is there (none for ""). Folders are
// passed over.
func AddSeeds(f *testing.F, category string, patterns ...string) {
	f.Helper()
	if category != "" {
		patterns = append(patterns, CorpusPath(category, "*", "*"))
	}
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range paths {
			if info, err := os.Stat(path); err == nil && info.IsDir() {
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// CheckEvent checks what every event of every parser must have, whatever the
// input: a time, in UTC; a Ref, by which the timeline recognises it when it
// is read twice; and valid UTF-8 in every text a user reads.
func CheckEvent(t testing.TB, ev *debrief.Event) {
	t.Helper()
	if ev.Time.IsZero() || ev.Time.Location() != time.UTC {
		t.Errorf("event %q has time %v, want a UTC time", ev.Ref, ev.Time)
	}
	if ev.Ref == "" {
		t.Errorf("event without a Ref: %+v", ev)
	}
	for _, s := range []string{ev.Text, ev.Actor, ev.Channel, ev.Ref, ev.Thread} {
		if !utf8.ValidString(s) {
			t.Errorf("event %q has invalid UTF-8: %q", ev.Ref, s)
		}
	}
}

// CheckError checks that err, what a parser returned, is nil or an
// *debrief.InputError: input is the user's to fix, and an input error says
// where; anything else would be reported as Debrief's own fault.
func CheckError(t testing.TB, err error) {
	t.Helper()
	var ie *debrief.InputError
	if err != nil && !errors.As(err, &ie) {
		t.Errorf("error %v (%T) is not an input error", err, err)
	}
}

// AsInputError returns err as an *debrief.InputError, failing the test now if
// it is not one.
func AsInputError(t testing.TB, err error) *debrief.InputError {
	t.Helper()
	var ie *debrief.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T), want a *debrief.InputError", err, err)
	}
	return ie
}

// WantInputError checks that err is an *debrief.InputError at line whose
// message contains contains, failing the test now if it is no input error,
// and returns it for further checks.
func WantInputError(t testing.TB, err error, line int, contains string) *debrief.InputError {
	t.Helper()
	ie := AsInputError(t, err)
	if ie.Line != line || !strings.Contains(ie.Msg, contains) {
		t.Errorf("error %q at line %d, want %q at line %d", ie.Msg, ie.Line, contains, line)
	}
	return ie
}

// WantInputErrorAt is WantInputError that also checks that the error names
// file, as users see it in the message.
func WantInputErrorAt(t testing.TB, err error, file string, line int, contains string) *debrief.InputError {
	t.Helper()
	ie := AsInputError(t, err)
	if ie.File != file || ie.Line != line || !strings.Contains(ie.Msg, contains) {
		t.Errorf("error %q at %s:%d, want %q at %s:%d", ie.Msg, ie.File, ie.Line, contains, file, line)
	}
	return ie
}

// BadLines returns the line of each of bad, the records a parse skipped,
// failing the test now unless each is an *debrief.InputError.
func BadLines(t testing.TB, bad []error) []int {
	t.Helper()
	var lines []int
	for _, err := range bad {
		lines = append(lines, AsInputError(t, err).Line)
	}
	return lines
}

// SharedIdentities checks that the events of each actor share one Identity,
// so that the timeline joins people by pointer, and returns a copy of each
// actor's (a zero one for an event without).
func SharedIdentities(t testing.TB, events []*debrief.Event) map[string]debrief.Identity {
	t.Helper()
	byActor := map[string]*debrief.Identity{}
	out := map[string]debrief.Identity{}
	for _, ev := range events {
		if have, ok := byActor[ev.Actor]; ok && have != ev.Identity {
			t.Errorf("%s: events of one actor carry different identity pointers", ev.Actor)
		}
		byActor[ev.Actor] = ev.Identity
		out[ev.Actor] = debrief.Identity{}
		if ev.Identity != nil {
			out[ev.Actor] = *ev.Identity
		}
	}
	return out
}

// Time parses s, an RFC 3339 time as fixtures write it, for an expectation,
// and returns it in UTC as parsers give times.
func Time(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// MustTime is Time for tables of expectations built where no test is at
// hand; it panics on a malformed time, a mistake in the test itself.
func MustTime(s string) time.Time {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return tm.UTC()
}
