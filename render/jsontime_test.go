package render

import (
	"math/rand/v2"
	"testing"
	"time"
)

// appendTime writes what time.RFC3339Nano writes, in UTC, for any time.
func TestAppendTime(t *testing.T) {
	check := func(tm time.Time) {
		t.Helper()
		if got, want := string(appendTime(nil, tm)), tm.UTC().Format(time.RFC3339Nano); got != want {
			t.Fatalf("appendTime(%v) = %s, want %s", tm, got, want)
		}
	}
	for _, tm := range []time.Time{
		{},
		time.Date(2024, 1, 1, 0, 0, 31, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 1, 30, 679456000, time.UTC),
		time.Date(2025, 6, 2, 14, 3, 7, 120000000, time.FixedZone("", 2*3600)),
		time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(999, 2, 3, 4, 5, 6, 7, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(1<<40, 5),
	} {
		check(tm)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		check(time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)))          // around now
		check(time.Unix(r.Int64N(320e9)-63e9, r.Int64N(1e9)/1000*1000)) // years -20 to 10170
		check(time.Unix(r.Int64N(1e9)+1.7e9, 0).Add(time.Duration(r.IntN(3)) * 500 * time.Millisecond))
	}
}

func FuzzAppendTime(f *testing.F) {
	f.Add(int64(1704067231), int64(679456000))
	f.Add(int64(-62135596800), int64(0))
	f.Fuzz(func(t *testing.T, sec, ns int64) {
		tm := time.Unix(sec, ns)
		if got, want := string(appendTime(nil, tm)), tm.UTC().Format(time.RFC3339Nano); got != want {
			t.Fatalf("appendTime(%v) = %s, want %s", tm, got, want)
		}
	})
}
