package debrief

import (
	"context"
	"slices"
	"time"
)

// Recurrence is a contributing factor of this incident that an earlier
// incident had too (they share a tag): the playbook's warning sign, "the
// same contributing factor causes a second incident because the fix was
// never shipped".
type Recurrence struct {
	// Factor is this incident's factor.
	Factor *Factor `json:"factor"`
	// Earlier is the earlier incident's factor, and Incident that
	// incident.
	Earlier  *Factor   `json:"earlier"`
	Incident *Incident `json:"incident"`
	// Tags are the tags the two share.
	Tags []string `json:"tags"`
	// Open are the earlier factor's action items not yet done (open or
	// blocked): the fix that was planned and has not landed. Done are
	// those that landed, yet the factor came back.
	Open []*ActionItem `json:"open"`
	Done []*ActionItem `json:"done"`
}

// Unfixed reports whether a fix of the earlier factor is still open, the
// case a review must hear about first.
func (r *Recurrence) Unfixed() bool { return len(r.Open) > 0 }

// FindRecurrences lists the factors of inc that earlier incidents (begun
// before it: StartedAt, else CreatedAt) share a tag with, each with the earlier factor's
// action items; those whose fix is still open come first. Incidents are
// looked up with the given function, so that a caller showing the result
// can leave out the ones its user may not see (it returns nil, nil).
func FindRecurrences(ctx context.Context, s Store, inc *Incident, visible func(ctx context.Context, id string) (*Incident, error)) ([]*Recurrence, error) {
	fs, err := s.Factors(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	return RecurrencesOf(ctx, s, inc, fs, visible)
}

// RecurrencesOf is FindRecurrences for the incident's factors fs, already
// read.
func RecurrencesOf(ctx context.Context, s Store, inc *Incident, fs []*Factor, visible func(ctx context.Context, id string) (*Incident, error)) ([]*Recurrence, error) {
	var tags []string
	for _, f := range fs {
		tags = append(tags, f.Tags...)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	// The store takes at most 20 tags a query: an incident's factors may
	// carry more between them.
	slices.Sort(tags)
	tags = slices.Compact(tags)
	var earlier []*Factor
	seen := map[string]bool{}
	for len(tags) > 0 {
		n := min(len(tags), 20)
		fs, err := s.FactorsTagged(ctx, tags[:n])
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if !seen[f.ID] {
				seen[f.ID] = true
				earlier = append(earlier, f)
			}
		}
		tags = tags[n:]
	}
	slices.SortStableFunc(earlier, func(a, b *Factor) int { return a.CreatedAt.Compare(b.CreatedAt) })
	incidents := map[string]*Incident{}
	actions := map[string][]*ActionItem{}
	var out []*Recurrence
	for _, e := range earlier {
		if e.IncidentID == inc.ID {
			continue
		}
		other, known := incidents[e.IncidentID]
		if !known {
			var err error
			if other, err = visible(ctx, e.IncidentID); err != nil {
				return nil, err
			}
			incidents[e.IncidentID] = other
			if other != nil {
				if actions[other.ID], err = s.Actions(ctx, ActionFilter{IncidentID: other.ID}); err != nil {
					return nil, err
				}
			}
		}
		// Earlier only: a later incident's factor is its recurrence, not ours.
		if other == nil || !other.Began().Before(inc.Began()) {
			continue
		}
		for _, f := range fs {
			shared := sharedTags(f.Tags, e.Tags)
			if len(shared) == 0 {
				continue
			}
			r := &Recurrence{Factor: f, Earlier: e, Incident: other, Tags: shared, Open: []*ActionItem{}, Done: []*ActionItem{}}
			for _, a := range actions[other.ID] {
				if !slices.Contains(a.Factors, e.ID) {
					continue
				}
				switch a.State {
				case ActionOpen, ActionBlocked:
					r.Open = append(r.Open, a)
				case ActionDone:
					r.Done = append(r.Done, a)
				}
			}
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *Recurrence) int {
		switch {
		case a.Unfixed() && !b.Unfixed():
			return -1
		case b.Unfixed() && !a.Unfixed():
			return 1
		}
		return 0
	})
	return out, nil
}

// Began is when the incident started, as far as Debrief knows: its start
// when set (an incident entered after the fact), else its creation.
func (inc *Incident) Began() time.Time {
	if !inc.StartedAt.IsZero() {
		return inc.StartedAt
	}
	return inc.CreatedAt
}

func sharedTags(a, b []string) []string {
	var out []string
	for _, t := range a {
		if slices.Contains(b, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
