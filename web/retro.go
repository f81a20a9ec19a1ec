package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
)

// The retro's results through the API and the retro page: contributing
// factors, action items and meetings. Every handler goes through
// s.incident, so a private incident's retro is as invisible as its
// timeline to non-members.

// editable is the incident of the request's path, for a user who may
// change it.
func (s *Server) editable(r *http.Request) (*debrief.Incident, error) {
	if !userOf(r.Context()).Role.CanEdit() {
		return nil, debrief.Errorf(errForbidden, "viewers can read incidents but not change them")
	}
	return s.incident(r.Context(), r.PathValue("id"))
}

// incidentList serves GET /api/v1/incidents/{id}/KEY: one of the
// incident's lists, as {"KEY": [...]} ([] when empty).
func incidentList[T any](s *Server, key string, list func(ctx context.Context, incidentID string) ([]T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		inc, err := s.incident(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		items, err := list(r.Context(), inc.ID)
		if err != nil {
			return err
		}
		if items == nil {
			items = []T{}
		}
		return writeJSON(w, http.StatusOK, map[string]any{key: items})
	}
}

// parseDue reads a due date: 2026-12-01 (the end of that day is not
// implied: the date is the deadline) or an RFC 3339 time; "" clears it.
func parseDue(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := debrief.ParseDate(v)
	if err != nil {
		return time.Time{}, debrief.Errorf(debrief.EINVALID, "due date %q: expected 2026-12-01 or an RFC 3339 time", v)
	}
	return t, nil
}

func (s *Server) apiAddFactor(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body struct {
		Text   string   `json:"text"`
		Tags   []string `json:"tags"`
		Events []string `json:"events"`
	}
	if err := decodeJSON(r, &body, `{"text", "tags", "events"}`); err != nil {
		return err
	}
	f := &debrief.Factor{IncidentID: inc.ID, Text: body.Text, Tags: body.Tags, Events: body.Events, CreatedBy: userOf(r.Context()).Name}
	if err := s.store.AddFactor(r.Context(), f); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

func (s *Server) apiUpdateFactor(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body struct {
		Text   *string   `json:"text"`
		Tags   *[]string `json:"tags"`
		Events *[]string `json:"events"`
	}
	if err := decodeJSON(r, &body, `{"text", "tags", "events"}`); err != nil {
		return err
	}
	f, err := s.store.UpdateFactor(r.Context(), inc.ID, r.PathValue("fid"), debrief.FactorUpdate{Text: body.Text, Tags: body.Tags, Events: body.Events})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) apiDeleteFactor(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteFactor(r.Context(), inc.ID, r.PathValue("fid")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// actionBody is an action item as the API reads it: the due date as text.
type actionBody struct {
	Text     *string              `json:"text"`
	Owner    *string              `json:"owner"`
	Due      *string              `json:"due"`
	Priority *debrief.Priority    `json:"priority"`
	State    *debrief.ActionState `json:"state"`
	Tracking *string              `json:"tracking"`
	Note     *string              `json:"note"`
	Factors  *[]string            `json:"factors"`
}

const actionFields = `{"text", "owner", "due", "priority", "state", "tracking", "note", "factors"}`

func (b *actionBody) update() (debrief.ActionUpdate, error) {
	u := debrief.ActionUpdate{Text: b.Text, Owner: b.Owner, Priority: b.Priority, State: b.State, Tracking: b.Tracking, Note: b.Note, Factors: b.Factors}
	if b.Due != nil {
		d, err := parseDue(*b.Due)
		if err != nil {
			return u, err
		}
		u.Due = &d
	}
	return u, nil
}

func (s *Server) apiAddAction(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body actionBody
	if err := decodeJSON(r, &body, actionFields); err != nil {
		return err
	}
	u, err := body.update()
	if err != nil {
		return err
	}
	a := &debrief.ActionItem{IncidentID: inc.ID}
	u.ApplyTo(a)
	if err := s.store.AddAction(r.Context(), a); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiUpdateAction(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var body actionBody
	if err := decodeJSON(r, &body, actionFields); err != nil {
		return err
	}
	u, err := body.update()
	if err != nil {
		return err
	}
	a, err := s.store.UpdateAction(r.Context(), inc.ID, r.PathValue("aid"), u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

// reviewFilter reads the recurring review's query: ?owner=sam&state=open,blocked
// &priority=high&overdue=1 (due before now, or undated).
func reviewFilter(r *http.Request) (debrief.ActionFilter, error) {
	q := r.URL.Query()
	f := debrief.ActionFilter{Owner: q.Get("owner"), Priority: debrief.Priority(q.Get("priority"))}
	states := q.Get("state")
	if states == "" {
		states = "open,blocked"
	}
	if states != "all" {
		for _, st := range strings.Split(states, ",") {
			st := debrief.ActionState(strings.TrimSpace(st))
			if !st.Valid() {
				return f, debrief.Errorf(debrief.EINVALID, "state %q: open, done, dropped, blocked, unlinked or all", st)
			}
			f.States = append(f.States, st)
		}
	}
	if f.Priority != "" && !f.Priority.Valid() {
		return f, debrief.Errorf(debrief.EINVALID, "priority %q: high or nice-to-have", f.Priority)
	}
	if q.Get("overdue") == "1" || q.Get("overdue") == "true" {
		f.DueBefore = time.Now()
	}
	return f, nil
}

// visibleActions drops the items of incidents the user may not see.
func (s *Server) visibleActions(ctx context.Context, as []*debrief.ActionItem) ([]*debrief.ActionItem, error) {
	seen := map[string]bool{}
	out := []*debrief.ActionItem{}
	for _, a := range as {
		ok, known := seen[a.IncidentID]
		if !known {
			inc, err := s.store.Incident(ctx, a.IncidentID)
			if err != nil {
				return nil, err
			}
			if ok, err = s.visible(ctx, inc); err != nil {
				return nil, err
			}
			seen[a.IncidentID] = ok
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// apiReview lists action items across incidents: the weekly review of what
// is still open.
func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) error {
	as, _, err := s.review(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"actions": as})
}

// review reads the review's filter and lists the items the user may see.
func (s *Server) review(r *http.Request) ([]*debrief.ActionItem, debrief.ActionFilter, error) {
	f, err := reviewFilter(r)
	if err != nil {
		return nil, f, err
	}
	as, err := s.store.Actions(r.Context(), f)
	if err != nil {
		return nil, f, err
	}
	as, err = s.visibleActions(r.Context(), as)
	return as, f, err
}

type meetingBody struct {
	Facilitator *string               `json:"facilitator"`
	StartsAt    *time.Time            `json:"starts_at"`
	Phase       *debrief.MeetingPhase `json:"phase"`
	Invitees    *[]debrief.Invitee    `json:"invitees"`
	WentWell    *[]string             `json:"went_well"`
	AddWentWell []string              `json:"add_went_well"`
	Ended       *bool                 `json:"ended"`
}

func (b *meetingBody) update() debrief.MeetingUpdate {
	return debrief.MeetingUpdate{Facilitator: b.Facilitator, StartsAt: b.StartsAt, Phase: b.Phase,
		Invitees: b.Invitees, WentWell: b.WentWell, AddWentWell: b.AddWentWell, Ended: b.Ended}
}

// drives reports whether the update runs the meeting (its agenda, its
// facilitator, who is asked, the whole went-well list) rather than only
// adding to it.
func (b *meetingBody) drives() bool {
	return b.Facilitator != nil || b.StartsAt != nil || b.Phase != nil || b.Invitees != nil || b.WentWell != nil || b.Ended != nil
}

const meetingFields = `{"facilitator", "starts_at", "phase", "invitees", "went_well", "add_went_well", "ended"}`

func (s *Server) apiCreateMeeting(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var b meetingBody
	if err := decodeJSON(r, &b, meetingFields); err != nil {
		return err
	}
	m := &debrief.Meeting{IncidentID: inc.ID, Facilitator: inc.Facilitator}
	b.update().ApplyTo(m)
	if err := s.store.CreateMeeting(r.Context(), m); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiUpdateMeeting(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	m, err := s.store.Meeting(r.Context(), r.PathValue("mid"))
	if err != nil {
		return err
	}
	if m.IncidentID != inc.ID {
		return debrief.Errorf(debrief.ENOTFOUND, "no meeting %q in incident %q", r.PathValue("mid"), inc.ID)
	}
	var b meetingBody
	if err := decodeJSON(r, &b, meetingFields); err != nil {
		return err
	}
	// The room's rule, in the API too: its facilitator (or an admin, or
	// anyone when none is named) runs it; members add what went well.
	if b.drives() && !canDrive(userOf(r.Context()), m) {
		return debrief.Errorf(errForbidden, "%s facilitates this meeting: only they (or an admin) run it; others may add went-well notes (add_went_well)", m.Facilitator)
	}
	if len(b.AddWentWell) > 0 && !m.EndedAt.IsZero() && (b.Ended == nil || *b.Ended) {
		return debrief.Errorf(debrief.ECONFLICT, "the meeting has ended; reopen it to add to it")
	}
	m, err = s.store.UpdateMeeting(r.Context(), m.ID, b.update())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

// apiUpdateIncident changes an incident's fields:
// {"title", "severity", "status", "services", "lead", "facilitator", "private"}.
func (s *Server) apiUpdateIncident(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.editable(r)
	if err != nil {
		return err
	}
	var b struct {
		Title       *string                 `json:"title"`
		Severity    *debrief.Severity       `json:"severity"`
		Status      *debrief.IncidentStatus `json:"status"`
		Services    *[]string               `json:"services"`
		Lead        *string                 `json:"lead"`
		Facilitator *string                 `json:"facilitator"`
		Private     *bool                   `json:"private"`
	}
	if err := decodeJSON(r, &b, `{"title", "severity", "status", "services", "lead", "facilitator", "private"}`); err != nil {
		return err
	}
	upd := debrief.IncidentUpdate{Title: b.Title, Severity: b.Severity, Status: b.Status,
		Services: b.Services, Lead: b.Lead, Facilitator: b.Facilitator, Private: b.Private}
	if b.Private != nil && *b.Private && !inc.Private {
		upd.AddMembers = []string{userOf(r.Context()).ID} // whoever makes it private keeps seeing it
	}
	up, err := s.store.UpdateIncident(r.Context(), inc.ID, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, up)
}

var actionStates = []debrief.ActionState{debrief.ActionOpen, debrief.ActionBlocked, debrief.ActionDone, debrief.ActionDropped, debrief.ActionUnlinked}

// retroPage shows an incident's factors and action items, with forms to add
// them; the live room will grow from it.
func (s *Server) retroPage(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	fs, err := s.store.Factors(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	as, err := s.store.Actions(r.Context(), debrief.ActionFilter{IncidentID: inc.ID})
	if err != nil {
		return err
	}
	rs, err := debrief.RecurrencesOf(r.Context(), s.store, inc, fs, s.visibleOrNil)
	if err != nil {
		return err
	}
	data := map[string]any{"Incident": inc, "Factors": fs, "Actions": as, "Recurs": recurrencesByFactor(rs),
		"States": actionStates, "CanEdit": userOf(r.Context()).Role.CanEdit()}
	if r.URL.Query().Get("fragment") == "live" && r.Header.Get("HX-Request") == "true" {
		// A change heard on the stream (from this or another instance):
		// the lists again, not the page with its half-typed forms.
		return s.render(w, r, "retro-live", data)
	}
	return s.render(w, r, "retro.html", data)
}

func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) addFactorForm(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &debrief.Factor{IncidentID: inc.ID, Text: r.PostFormValue("text"), Tags: splitList(r.PostFormValue("tags")), CreatedBy: userOf(r.Context()).Name}
	if err := s.store.AddFactor(r.Context(), f); err != nil {
		return err
	}
	backToRoom(w, r, inc, f.ID)
	return nil
}

func (s *Server) addActionForm(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	due, err := parseDue(r.PostFormValue("due"))
	if err != nil {
		return err
	}
	a := &debrief.ActionItem{IncidentID: inc.ID, Text: r.PostFormValue("text"), Owner: r.PostFormValue("owner"), Due: due,
		Priority: debrief.Priority(r.PostFormValue("priority")), Tracking: r.PostFormValue("tracking")}
	if err := s.store.AddAction(r.Context(), a); err != nil {
		return err
	}
	backToRoom(w, r, inc, a.ID)
	return nil
}

func (s *Server) updateActionForm(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	state, note := debrief.ActionState(r.PostFormValue("state")), r.PostFormValue("note")
	if _, err := s.store.UpdateAction(r.Context(), inc.ID, r.PathValue("aid"), debrief.ActionUpdate{State: &state, Note: &note}); err != nil {
		return err
	}
	http.Redirect(w, r, "/incidents/"+inc.ID+"/retro#"+r.PathValue("aid"), http.StatusSeeOther)
	return nil
}

// actionsPage is the recurring review across incidents.
func (s *Server) actionsPage(w http.ResponseWriter, r *http.Request) error {
	as, f, err := s.review(r)
	if err != nil {
		return err
	}
	rs, err := s.openRecurrences(r.Context(), f.Owner)
	if err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	return s.render(w, r, "actions.html", map[string]any{"Actions": as, "States": actionStates, "Owner": f.Owner,
		"State": state, "Overdue": !f.DueBefore.IsZero(), "Recurrences": rs})
}

// recurrences lists the incident's factors that earlier incidents the user
// may see had too, unfixed ones first.
func (s *Server) recurrences(ctx context.Context, inc *debrief.Incident) ([]*debrief.Recurrence, error) {
	return debrief.FindRecurrences(ctx, s.store, inc, s.visibleOrNil)
}

// visibleOrNil is the incident if the user may see it, else nil.
func (s *Server) visibleOrNil(ctx context.Context, id string) (*debrief.Incident, error) {
	other, err := s.incident(ctx, id)
	if debrief.ErrorCode(err) == debrief.ENOTFOUND {
		return nil, nil
	}
	return other, err
}

// apiRecurrences serves GET /api/v1/incidents/{id}/recurrences.
func (s *Server) apiRecurrences(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rs, err := s.recurrences(r.Context(), inc)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []*debrief.Recurrence{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"recurrences": rs})
}

// recurrencesByFactor groups recurrences by this incident's factor.
func recurrencesByFactor(rs []*debrief.Recurrence) map[string][]*debrief.Recurrence {
	out := map[string][]*debrief.Recurrence{}
	for _, r := range rs {
		out[r.Factor.ID] = append(out[r.Factor.ID], r)
	}
	return out
}

// openRecurrences lists, across the incidents the user may see, the
// factors back while an earlier incident's fix is still open (only those
// whose open fix owner owns, when owner is set): the review hears them
// first.
func (s *Server) openRecurrences(ctx context.Context, owner string) ([]*debrief.Recurrence, error) {
	var out []*debrief.Recurrence
	for offset := 0; ; {
		incs, err := s.store.Incidents(ctx, debrief.IncidentFilter{Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, inc := range incs {
			if ok, err := s.visible(ctx, inc); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			rs, err := s.recurrences(ctx, inc)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				if r.Unfixed() && (owner == "" || slices.ContainsFunc(r.Open, func(a *debrief.ActionItem) bool { return a.Owner == owner })) {
					out = append(out, r)
				}
			}
		}
		if len(incs) < 1000 {
			return out, nil
		}
		offset += len(incs)
	}
}
