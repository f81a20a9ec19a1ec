package ingesttest

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// InputErrorCase is an input a parser must refuse, and where and why. It
// names a struct type rather than defining one so that tables may leave out
// the field names.
type InputErrorCase = struct {
	Name     string // of the subtest
	Data     string // the input
	Line     int    // where the error must point
	Contains string // what its message must say
}

// CheckInputErrors parses the Data of each case as the one file name, in a
// subtest of its own and with bad as the Bad hook (Skip, to show that the
// input as a whole is refused), and checks that the parse fails with an
// input error at name and Line whose message says Contains: one the CLI
// reports as the user's to fix (debrief.EINVALID).
func CheckInputErrors(t *testing.T, parse ingest.ParserFunc, name string, bad func(error) error, cases []InputErrorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			err := ParseData(t, parse, name, []byte(tc.Data), bad).Err
			WantInputErrorAt(t, err, name, tc.Line, tc.Contains)
			if code := debrief.ErrorCode(err); code != debrief.EINVALID {
				t.Errorf("code %s, want %s", code, debrief.EINVALID)
			}
		})
	}
}

// BadRecordCase is an input holding bad records among good ones. It names a
// struct type rather than defining one so that tables may leave out the
// field names.
type BadRecordCase = struct {
	Name     string // of the subtest
	Data     string // the input
	Lines    []int  // of the bad records, in order
	Contains string // what the message of each says
	Events   int    // what the good records give
}

// CheckBadRecords parses the Data of each case as the one file name, in a
// subtest of its own, twice: without a Bad hook the parse must stop at the
// first bad record with an input error at its line; with a hook that skips,
// it must go on, skip the records at Lines and no others, and give Events
// events. Each bad record's message must say Contains.
func CheckBadRecords(t *testing.T, parse ingest.ParserFunc, name string, cases []BadRecordCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			stopped := ParseData(t, parse, name, []byte(tc.Data), nil)
			WantInputError(t, stopped.Err, tc.Lines[0], tc.Contains)
			skipped := ParseData(t, parse, name, []byte(tc.Data), Skip)
			if skipped.Err != nil {
				t.Fatalf("parse with a skipping Bad hook: %v", skipped.Err)
			}
			lines := BadLines(t, skipped.Bad)
			if !slices.Equal(lines, tc.Lines) || len(skipped.Events) != tc.Events {
				t.Errorf("skipped lines %v and kept %d events; want lines %v and %d events", lines, len(skipped.Events), tc.Lines, tc.Events)
			}
			for _, err := range skipped.Bad {
				if ie := AsInputError(t, err); !strings.Contains(ie.Msg, tc.Contains) {
					t.Errorf("bad record at line %d says %q, want %q", ie.Line, ie.Msg, tc.Contains)
				}
			}
		})
	}
}

// Benchmark parses in with parse for as long as b asks, emitting into a
// counter, and reports allocations, and bytes per second when the caller has
// set the bytes of one parse with b.SetBytes. It returns the events of one
// parse, for the caller to check.
func Benchmark(b *testing.B, parse ingest.ParserFunc, in *ingest.Input) int {
	b.Helper()
	b.ReportAllocs()
	var n atomic.Int64
	for b.Loop() {
		n.Store(0)
		if err := parse(b.Context(), in, func(*debrief.Event) error { n.Add(1); return nil }); err != nil {
			b.Fatal(err)
		}
	}
	return int(n.Load())
}
