package timeline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
)

// phraseText makes a text of the set's phrases, pieces of them and filler.
func phraseText(rng *rand.Rand, ps *phraseSet, maxLen int) string {
	var b []byte
	for n := rng.IntN(maxLen + 1); len(b) < n; {
		switch p := ps.phrases[rng.IntN(len(ps.phrases))]; rng.IntN(4) {
		case 0:
			b = append(b, strings.ToUpper(p)...)
		case 1:
			b = append(b, p[:len(p)/2]...)
		default:
			b = append(b, p...)
		}
		b = append(b, " .,:?\n_'"[rng.IntN(8)])
	}
	return string(b)
}

// lanes finds in each text what one pass over it finds, whatever the
// texts' lengths (empty ones too) and however many there are.
func TestLanesFindWhatOnePassFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, ps := range []*phraseSet{chatSet.set, commandSet.set} {
		for round := range 300 {
			texts := make([]string, rng.IntN(12))
			for i := range texts {
				texts[i] = phraseText(rng, ps, []int{0, 8, 60, 400}[rng.IntN(4)])
			}
			lanesAgree(t, ps, texts, round)
		}
	}
}

func lanesAgree(t *testing.T, ps *phraseSet, texts []string, round int) {
	t.Helper()
	type hit struct{ t, p, end int }
	var want, got []hit
	for i, text := range texts {
		ps.eachOnce(text, func(p, end int) bool { want = append(want, hit{i, p, end}); return true })
	}
	for _, h := range ps.lanes(texts, nil) {
		ps.report(texts[h.t], int(h.i), int(h.row), func(p, end int) bool { got = append(got, hit{int(h.t), p, end}); return true })
	}
	if !slices.Equal(got, want) {
		t.Fatalf("round %d, texts %q:\nlanes    %v\none pass %v", round, texts, got, want)
	}
}

// flagTexts flags a batch of events as flagText flags each alone: the same
// moments, in the same order, with the same reasons and impact.
func TestFlagTextsAsFlagText(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	kinds := []debrief.Kind{debrief.KindMessage, debrief.KindNote, debrief.KindCommand, debrief.KindJoin,
		debrief.KindAlertResolved, debrief.KindPageEscalated, debrief.KindPageResolved, debrief.KindAlertFiring}
	var sc flagScratch
	for range 300 {
		evs := make([]*debrief.Event, rng.IntN(40))
		want := make([]*debrief.Event, len(evs))
		for i := range evs {
			set := chatSet.set
			kind := kinds[rng.IntN(len(kinds))]
			if kind == debrief.KindCommand {
				set = commandSet.set
			}
			ev := &debrief.Event{Kind: kind, Bot: rng.IntN(5) == 0, Source: debrief.SourceSlack, Text: phraseText(rng, set, 200)}
			if rng.IntN(4) == 0 {
				ev.Flag(debrief.MomentDecision, "already flagged by its parser")
			}
			c := *ev
			c.Moments, c.Why = slices.Clone(ev.Moments), slices.Clone(ev.Why)
			evs[i], want[i] = ev, &c
			flagText(want[i])
		}
		flagTexts(evs, &sc)
		for i := range evs {
			if !slices.Equal(evs[i].Moments, want[i].Moments) || !slices.Equal(evs[i].Why, want[i].Why) || evs[i].Impact != want[i].Impact {
				t.Fatalf("%s %q: batch %v %v %v, alone %v %v %v", evs[i].Kind, evs[i].Text,
					evs[i].Moments, evs[i].Why, evs[i].Impact, want[i].Moments, want[i].Why, want[i].Impact)
			}
		}
	}
}

func FuzzLanes(f *testing.F) {
	f.Add("i think it's the dns\x00let's roll back\x00\x00rolled back, all clear???\x00ok")
	f.Add("kubectl rollout undo deploy/x\x00kill -9 1")
	f.Fuzz(func(t *testing.T, s string) {
		texts := strings.Split(s, "\x00")
		lanesAgree(t, chatSet.set, texts, 0)
		lanesAgree(t, commandSet.set, texts, 0)
	})
}
