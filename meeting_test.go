package debrief

import (
	"testing"
	"time"
)

func TestMeetingSpent(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	m := &Meeting{Phase: PhaseFactors, Phases: []PhaseMark{
		{PhaseFrame, at(0)}, {PhaseTimeline, at(3)}, {PhaseFactors, at(20)}, {PhaseTimeline, at(30)}, {PhaseFactors, at(35)},
	}}
	got := m.Spent(at(50))
	want := map[MeetingPhase]time.Duration{PhaseFrame: 3 * time.Minute, PhaseTimeline: 22 * time.Minute, PhaseFactors: 25 * time.Minute}
	for p, d := range want {
		if got[p] != d {
			t.Errorf("spent in %s: %v, want %v", p, got[p], d)
		}
	}
	if !m.StartedAt().Equal(at(0)) || !m.PhaseStartedAt().Equal(at(35)) {
		t.Errorf("started %v, phase started %v", m.StartedAt(), m.PhaseStartedAt())
	}
	// An ended meeting stops the clock.
	m.EndedAt = at(40)
	if got := m.Spent(at(90))[PhaseFactors]; got != 15*time.Minute {
		t.Errorf("after the end: %v in factors, want 15m", got)
	}
	if (&Meeting{}).PhaseStartedAt() != (time.Time{}) {
		t.Error("a meeting with no phase has no phase start")
	}
}

func TestAgendaOrder(t *testing.T) {
	var seq []MeetingPhase
	total := 0
	for p := MeetingPhase("").Next(); p != ""; p = p.Next() {
		seq = append(seq, p)
		total += p.Minutes()
		if p.Title() == string(p) {
			t.Errorf("phase %s has no title", p)
		}
	}
	if len(seq) != 6 || seq[0] != PhaseFrame || seq[5] != PhaseClose || total != 60 {
		t.Errorf("agenda %v, %d minutes; want six phases from frame to close, 60 minutes", seq, total)
	}
}
