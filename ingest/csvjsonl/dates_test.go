package csvjsonl

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// TestNumericDates reads dates written with numbers as spreadsheets and
// tools of several locales export them, in either order of day and month.
func TestNumericDates(t *testing.T) {
	tests := []struct {
		in       string
		order    dateOrder
		want     string // UTC; "" for an error
		ambiguos bool
	}{
		{"3/1/2024 2:05 PM", orderMonthFirst, "2024-03-01T14:05:00Z", true},
		{"3/1/2024 2:05 PM", orderDayFirst, "2024-01-03T14:05:00Z", true},
		{"3/1/2024 2:05 pm", orderMonthFirst, "2024-03-01T14:05:00Z", true},
		{"03/01/2024 12:10 AM", orderMonthFirst, "2024-03-01T00:10:00Z", true},
		{"03/01/2024 12:10 PM", orderMonthFirst, "2024-03-01T12:10:00Z", true},
		{"01/03/2024 14:05:07", orderDayFirst, "2024-03-01T14:05:07Z", true},
		{"01/03/2024 14:05:07.25", orderDayFirst, "2024-03-01T14:05:07.25Z", true},
		{"01/03/2024 14:05:07,250123", orderDayFirst, "2024-03-01T14:05:07.250123Z", true},
		{"25/03/2024 09:00", orderUnknown, "", false}, // month 25 read month first
		{"25/03/2024 09:00", orderDayFirst, "2024-03-25T09:00:00Z", false},
		{"03/25/2024 09:00", orderMonthFirst, "2024-03-25T09:00:00Z", false},
		{"03/03/2024", orderDayFirst, "2024-03-03T00:00:00Z", false},
		{"3/1/24 14:13", orderMonthFirst, "2024-03-01T14:13:00Z", true},
		{"1.3.2024 14:05", orderMonthFirst, "2024-03-01T14:05:00Z", false}, // dots: day first always
		{"01.03.2024 14:05:07", orderUnknown, "2024-03-01T14:05:07Z", false},
		{"2024/3/1 14:05", orderDayFirst, "2024-03-01T14:05:00Z", false}, // year first: month, day
		{"2024/03/01 14:05:07.250", orderUnknown, "2024-03-01T14:05:07.25Z", false},
		{"03-01-2024 14:05", orderDayFirst, "2024-01-03T14:05:00Z", true},
		{"3/1/2024, 2:05:09 PM", orderMonthFirst, "2024-03-01T14:05:09Z", true}, // a browser's toLocaleString
		{"3/1/2024T14:05", orderMonthFirst, "2024-03-01T14:05:00Z", true},
		{"29/02/2024", orderDayFirst, "2024-02-29T00:00:00Z", false},
		{"29/02/2023", orderDayFirst, "", false},
		{"31/04/2024", orderDayFirst, "", false},
		{"13/13/2024", orderDayFirst, "", false},
		{"0/1/2024", orderMonthFirst, "", false},
		{"3/1/2024 24:00", orderMonthFirst, "", false}, // no such time either way
		{"3/1/2024 13:00 PM", orderMonthFirst, "", false},
		{"3/1/2024 0:00 AM", orderMonthFirst, "", false},
		{"3/1/2024 2:05 p.m.", orderMonthFirst, "2024-03-01T14:05:00Z", true},
		{"3/1/2024 14:05 ...", orderMonthFirst, "", false},
		{"12/31/99 23:59", orderMonthFirst, "1999-12-31T23:59:00Z", false}, // 69 to 99: the 1900s
		{"1/2/68", orderMonthFirst, "2068-01-02T00:00:00Z", true},
		{"01.03.2024", orderMonthFirst, "2024-03-01T00:00:00Z", false}, // dots, no time: not an epoch
		{"1.3.24", orderMonthFirst, "2024-03-01T00:00:00Z", false},
		{"3/1/2024 9:5", orderMonthFirst, "", true},
		{"3/1/2024 9:05 XM", orderMonthFirst, "", true},
		{"3/1/2024 9:05:07.", orderMonthFirst, "", true},
		{"3/1/2024 9:05:07.1234567890", orderMonthFirst, "", true},
		{"3/1/202", orderMonthFirst, "", false},
		{"3/1", orderMonthFirst, "", false},
		{"3/1/2024x", orderMonthFirst, "", false},
		{"3-1/2024", orderMonthFirst, "", false},
		{"2024-3-1", orderMonthFirst, "", false},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in, time.UTC, tt.order)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseTime(%q, %v) = %v; want an error", tt.in, tt.order, got)
			}
		} else if err != nil || !got.Equal(ingesttest.Time(t, tt.want)) {
			t.Errorf("parseTime(%q, %v) = %v, %v; want %s", tt.in, tt.order, got, err, tt.want)
		}
		if d, ok := readNumericDate(tt.in); ok && d.ambiguous() != tt.ambiguos {
			t.Errorf("%q: ambiguous %v, want %v", tt.in, d.ambiguous(), tt.ambiguos)
		}
	}
}

// TestNamedDates reads dates with the month's name.
func TestNamedDates(t *testing.T) {
	for _, in := range []string{
		"Mar 1, 2024 2:05 PM", "Mar 1, 2024 2:05 pm", "March 1, 2024 14:05", "1 Mar 2024 14:05", "01-Mar-2024 14:05:00",
		"Fri, 01 Mar 2024 14:05:00 GMT", "Fri, 01 Mar 2024 15:05:00 +0100", "Fri Mar  1 14:05:00 2024",
		"Friday, March 1, 2024 2:05 PM", "Mar 1, 2024 14:05 UTC", "Mar 1, 2024 2:05pm", "01-Mar-24 02:05 PM", "1-Mar-2024 2:05 PM",
	} {
		got, err := parseTime(in, time.UTC, orderUnknown)
		if err != nil || !got.Equal(ingesttest.Time(t, "2024-03-01T14:05:00Z")) {
			t.Errorf("parseTime(%q) = %v, %v; want 2024-03-01T14:05:00Z", in, got, err)
		}
	}
	for _, in := range []string{"01-Mar-2024", "1 Mar 2024", "Mar 1, 2024"} {
		if got, err := parseTime(in, time.UTC, orderUnknown); err != nil || !got.Equal(ingesttest.Time(t, "2024-03-01T00:00:00Z")) {
			t.Errorf("parseTime(%q) = %v, %v; want 2024-03-01T00:00:00Z", in, got, err)
		}
	}
	// A zone's abbreviation other than GMT or UTC says nothing Go can read
	// exactly: refused, not taken as UTC.
	if got, err := parseTime("Fri, 01 Mar 2024 14:05:00 PST", time.UTC, orderUnknown); err == nil {
		t.Errorf("a PST time read as %v; want an error", got)
	}
}

// TestDateOrderLearned: a file's rows whose dates read both ways wait for
// a row that tells the order; without one they are read month first, with
// a note; a row that contradicts the order is a bad record naming it.
func TestDateOrderLearned(t *testing.T) {
	times := func(res ingesttest.Result) string {
		var s []string
		for _, ev := range res.Events {
			s = append(s, ev.Time.UTC().Format("01-02T15:04"))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name  string
		parse ingest.ParserFunc
		order ingest.DateOrder
		data  string
		want  string
		note  *regexp.Regexp // nil: no note
		err   *regexp.Regexp // nil: no error
	}{
		{"day first, told by a later row", ParseCSV, "",
			"Time,Who,What\n01/03/2024 10:00,a,x\n02/03/2024 10:05,b,y\n25/03/2024 09:00,c,z\n",
			"03-01T10:00 03-02T10:05 03-25T09:00", nil, nil},
		{"month first, told by a later row", ParseCSV, "",
			"Time,Who,What\n01/03/2024 10:00,a,x\n03/25/2024 09:00,c,z\n01/04/2024 11:00,d,w\n",
			"01-03T10:00 03-25T09:00 01-04T11:00", nil, nil},
		{"nothing tells: month first, and a note", ParseCSV, "",
			"Time,Who,What\n01/03/2024 10:00,a,x\n2024-03-01 10:05,b,y\n",
			"03-01T10:05 01-03T10:00", regexp.MustCompile(`dates such as "01/03/2024 10:00" read month first \(no date in the file reads only one way\); if they are day first, give --date-order dmy`), nil},
		{"the user says day first", ParseCSV, ingest.DayFirst,
			"Time,Who,What\n01/03/2024 10:00,a,x\n",
			"03-01T10:00", nil, nil},
		{"the user says month first", ParseCSV, ingest.MonthFirst,
			"Time,Who,What\n01/03/2024 10:00,a,x\n",
			"01-03T10:00", nil, nil},
		{"the user's order against the file", ParseCSV, ingest.MonthFirst,
			"Time,Who,What\n25/03/2024 10:00,a,x\n",
			"", nil, regexp.MustCompile(`^f:2: column "Time": no month 25: --date-order mdy reads dates month/day, found "25/03/2024 10:00"`)},
		{"a row against the order its file showed", ParseCSV, "",
			"Time,Who,What\n03/25/2024 10:00,a,x\n25/03/2024 10:00,b,y\n",
			"", nil, regexp.MustCompile(`^f:3: column "Time": no month 25: this file writes dates month/day, as line 2 shows \("03/25/2024 10:00"\)`)},
		{"GMT after the time", ParseCSV, "",
			"Time,Who,What\n01/03/2024 10:00 GMT,a,x\n25/03/2024 09:00 GMT,b,y\n",
			"03-01T10:00 03-25T09:00", nil, nil},
		{"a date that does not exist tells nothing", ParseCSV, "",
			"Time,Who,What\n01/03/2024 10:00,a,x\n0/13/2024 09:00,b,y\n25/03/2024 09:00,c,z\n",
			"", nil, regexp.MustCompile(`^f:3: column "Time": expected a date and time that exist`)},
		{"a bad time is reported at its line, not held", ParseCSV, "",
			"Time,Who,What\n01/03/2024 25:00,a,x\n02/03/2024 10:00,b,y\nbad,c,z\n",
			"", nil, regexp.MustCompile(`^f:2: column "Time": expected a date and time that exist`)},
		{"a separate date column", ParseCSV, "",
			"Date,Time,Who,What\n01/03/2024,10:00,a,x\n13/03/2024,11:00,b,y\n",
			"03-01T10:00 03-13T11:00", nil, nil},
		{"JSON lines", ParseJSONL, "",
			`{"time":"01/03/2024 10:00","user":"a","text":"x"}` + "\n" + `{"time":"13/03/2024 11:00","user":"b","text":"y"}` + "\n",
			"03-01T10:00 03-13T11:00", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ingesttest.DataInput("f", []byte(tt.data))
			in.Zone, in.DateOrder = time.UTC, tt.order
			res := ingesttest.Parse(t, tt.parse, in)
			if tt.err != nil {
				if res.Err == nil || !tt.err.MatchString(res.Err.Error()) {
					t.Fatalf("error %v; want one matching %s", res.Err, tt.err)
				}
				return
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if got := times(res); got != tt.want {
				t.Errorf("times %s; want %s", got, tt.want)
			}
			switch {
			case tt.note == nil && len(res.Notes) > 0:
				t.Errorf("notes %q; want none", res.Notes)
			case tt.note != nil && (len(res.Notes) != 1 || !tt.note.MatchString(res.Notes[0])):
				t.Errorf("notes %q; want one matching %s", res.Notes, tt.note)
			}
		})
	}
}

// TestDateOrderBoundedWait: rows that wait are bounded; past the bound,
// dates are read month first, and a row that then tells otherwise is
// refused with the reason.
func TestDateOrderBoundedWait(t *testing.T) {
	var b strings.Builder
	b.WriteString("Time,Who,What\n")
	for i := range maxPending + 10 {
		fmt.Fprintf(&b, "01/03/2024 10:%02d,a,row %d\n", i%60, i)
	}
	in := ingesttest.DataInput("f", []byte(b.String()))
	in.Zone = time.UTC
	res := ingesttest.Parse(t, ParseCSV, in)
	if res.Err != nil || len(res.Events) != maxPending+10 {
		t.Fatalf("%d events, %v; want %d", len(res.Events), res.Err, maxPending+10)
	}
	if m := res.Events[0].Time.Month(); m != time.January {
		t.Errorf("month %v; want January (month first)", m)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "none of the first 65536 rows reads only one way") {
		t.Errorf("notes %q; want one saying the rows were too many to wait", res.Notes)
	}
}

// TestDateOrderAfterGuess: a row that tells day first, after dates were
// read month first for want of one, says why they were.
func TestDateOrderAfterGuess(t *testing.T) {
	var b strings.Builder
	b.WriteString("Time,Who,What\n")
	for i := range maxPending + 1 {
		fmt.Fprintf(&b, "01/03/2024 10:%02d,a,row %d\n", i%60, i)
	}
	b.WriteString("25/03/2024 10:00,b,late\n")
	in := ingesttest.DataInput("f", []byte(b.String()))
	in.Zone = time.UTC
	res := ingesttest.Parse(t, ParseCSV, in)
	want := regexp.MustCompile(`no month 25: dates are read month/day \(none of the first 65536 rows reads only one way\); give --date-order dmy`)
	if res.Err == nil || !want.MatchString(res.Err.Error()) {
		t.Errorf("error %v; want one matching %s", res.Err, want)
	}
}

// TestHoldBoundedInBytes: long rows are held up to a size, not only a count.
func TestHoldBoundedInBytes(t *testing.T) {
	b := newBuilder(&ingest.Input{Name: "f"}, "csv")
	r := row{time: "01/03/2024 10:00", text: strings.Repeat("x", 1<<20)}
	n := 0
	for b.hold(&r, "column", "Time") {
		n++
	}
	if n == 0 || n > maxHeld>>20 {
		t.Errorf("held %d rows of 1 MiB; want at most %d", n, maxHeld>>20)
	}
}

// FuzzNumericDate: any text, read either way, without a panic; a date that
// reads only one way reads the same in both orders.
func FuzzNumericDate(f *testing.F) {
	for _, s := range []string{"3/1/2024 2:05 PM", "25/03/2024 09:00", "1.3.2024 14:05", "2024/3/1 14:05:07.250", "3/1/24, 12:00 am"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := readNumericDate(s)
		if !ok {
			return
		}
		a, errA := d.time(orderMonthFirst, time.UTC)
		b, errB := d.time(orderDayFirst, time.UTC)
		if !d.ambiguous() && d.a == d.b || d.yearFirst || d.dayFirst {
			if (errA == nil) != (errB == nil) || !a.Equal(b) {
				t.Errorf("%q reads %v (%v) month first and %v (%v) day first", s, a, errA, b, errB)
			}
		}
	})
}

// TestOtherToolsColumns: tables other tools write, read by their column
// names: Discord's data package (messages.csv), an OpenTelemetry log
// record, a chat export with a sender.
func TestOtherToolsColumns(t *testing.T) {
	tests := []struct {
		name  string
		parse ingest.ParserFunc
		data  string
		want  string // time actor text, of the first event
	}{
		{"discord package", ParseCSV,
			"ID,Timestamp,Contents,Attachments\n1133557799,2024-03-01 14:05:07.123000+00:00,db is down again,\n",
			"2024-03-01T14:05:07.123Z  db is down again"},
		{"otel log record", ParseJSONL,
			`{"timestamp":"2024-03-01T14:05:07Z","severity_text":"ERROR","body":"pool exhausted","resource":{"service.name":"api"}}` + "\n",
			"2024-03-01T14:05:07Z  pool exhausted"},
		{"DiscordChatExporter csv", ParseCSV,
			"\"AuthorID\",\"Author\",\"Date\",\"Content\",\"Attachments\",\"Reactions\"\n\"1234\",\"sam\",\"01-Mar-24 02:05 PM\",\"db is down\",\"\",\"\"\n",
			"2024-03-01T14:05:00Z sam db is down"},
		{"sender and sent_at", ParseCSV,
			"sent_at,sender,content\n2024-03-01T14:05:07Z,priya,rolling back\n",
			"2024-03-01T14:05:07Z priya rolling back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ingesttest.DataInput("f", []byte(tt.data))
			in.Zone = time.UTC
			res := ingesttest.Parse(t, tt.parse, in)
			if res.Err != nil || len(res.Events) != 1 {
				t.Fatalf("%d events, %v; want 1", len(res.Events), res.Err)
			}
			ev := res.Events[0]
			if got := ev.Time.Format(time.RFC3339Nano) + " " + ev.Actor + " " + ev.Text; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if SniffCSV([]byte(tt.data), "f") == 0 && SniffJSONL([]byte(tt.data), "f") == 0 {
				t.Error("neither sniffer claims it")
			}
		})
	}
}
