package timeline

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
)

// referenceID is how event ids were first computed. Ids are stored in
// databases and linked to, so the faster eventID must give the same ones.
func referenceID(ev *debrief.Event) string {
	h := fnv.New64a()
	h.Write([]byte(ev.Source))
	h.Write([]byte{0})
	if ev.Ref != "" {
		h.Write([]byte(ev.Ref))
	} else {
		fmt.Fprintf(h, "%d\x00%s\x00%s", ev.Time.UnixNano(), ev.Actor, ev.Text)
	}
	var sum [8]byte
	v := h.Sum64()
	for i := range sum {
		sum[i] = byte(v >> (8 * i))
	}
	return "e" + idEncoding.EncodeToString(sum[:])[:10]
}

func TestEventIDIsStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	}
	for i := range 5000 {
		ev := &debrief.Event{Source: debrief.Source(word()), Actor: word(), Text: word(),
			Time: time.Unix(0, rng.Int64N(1<<62)-1<<61)}
		if i%2 == 0 {
			ev.Ref = word()
		}
		if got, want := eventID(ev), referenceID(ev); got != want {
			t.Fatalf("eventID(%+v) = %s, want %s", ev, got, want)
		}
	}
	// One fixed value, so a change to both is caught too.
	if got := eventID(&debrief.Event{Source: debrief.SourceSlack, Ref: "C0123/1717340587.000100"}); got != "ekfjvkcwd9j" {
		t.Errorf("id %q, want ekfjvkcwd9j", got)
	}
}
