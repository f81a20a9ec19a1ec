package sqlstore

import (
	"strings"
	"testing"
)

func TestInListBoundsQueryShapes(t *testing.T) {
	shapes := map[string]bool{}
	for n := 1; n <= 300; n++ {
		vals := make([]string, n)
		for i := range vals {
			vals[i] = string(rune('a' + i%40))
		}
		ph, args := inList(vals)
		shapes[ph] = true
		if strings.Count(ph, "?") != len(args) {
			t.Fatalf("%d values: %q with %d args", n, ph, len(args))
		}
	}
	if len(shapes) > 7 {
		t.Errorf("%d query shapes for lists of 1 to 300 values, want one per power of two (at most 7)", len(shapes))
	}
	ph, args := inList([]string{"open", "blocked", "open"})
	if ph != "?, ?" || args[0] != "blocked" || args[1] != "open" {
		t.Errorf("dedup and sort: %q %v", ph, args)
	}
}
