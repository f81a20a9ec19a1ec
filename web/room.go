package web

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/draft"
	"github.com/debriefhq/debrief/lint"
)

// The live retro room: the 60-minute meeting of the playbook, in the
// browser. One meeting at a time per incident; everyone in the room sees
// the same phase, the same lists and the same clock, refreshed live (the
// incident's event stream) when anyone changes them.
//
// Who drives: the meeting's facilitator moves it through the agenda and
// ends it (admins can too, to rescue a room whose facilitator dropped
// out); with no facilitator named, any member can. Members add factors,
// went-well notes and action items in every phase; viewers follow.
//
// Blameless language is nudged, never refused: a factor, a note or an
// action item that reads as blame or hindsight is kept, and the room shows
// the reframing question beside it (lint's language rules, the same as
// `debrief lint`), as a facilitator would ask it.

// blameRules are the lint families the room nudges on (the language of a
// sentence, not a document's shape), each with the question a facilitator
// asks to reframe it (the playbook's "what made it easy to run that
// command without a safety check?" rather than "why did you run it?").
var blameRules = []struct{ prefix, question string }{
	{"blame.", "What made that easy to do, or hard to notice? Name the condition in the system, not the person."},
	{"counterfactual.", "What made it hard to know at the time?"},
	{"hindsight.", "What did the signals look like at the time, before the outcome was known?"},
	{"rootcause.", "What else had to be true? Add each condition as a factor of its own."},
}

// Statement is the blameless frame the facilitator says aloud.
const frameStatement = "We're here to understand the system that let this happen, not to find a person who caused it."

var roomLinter = sync.OnceValues(func() (*lint.Linter, error) { return lint.New(lint.Options{}) })

// nudge is the room's reframing prompt for a piece of text: the words,
// the facilitator's question, and lint's explanation and example.
type nudge struct {
	Rule, Match, Question, Message, Suggestion string
}

// nudgeCache keeps the nudges of texts seen lately: the room checks its
// lists on every change, for every participant, and they rarely change.
var nudgeCache struct {
	sync.Mutex
	m map[string][]nudge
}

// nudges checks text as the room shows it: blame, counterfactuals,
// hindsight and single-root-cause language, with people's names known.
func nudges(text string, people []string) []nudge {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	// The key: the text (NUL made U+FFFD, as the store does) and the
	// people, sorted and once each, NUL between.
	people = slices.Compact(slices.Sorted(slices.Values(people)))
	people = slices.DeleteFunc(people, func(p string) bool { return strings.TrimSpace(p) == "" })
	text = strings.ReplaceAll(text, "\x00", "\uFFFD")
	key := text + "\x00" + strings.Join(people, "\x00")
	nudgeCache.Lock()
	ns, ok := nudgeCache.m[key]
	nudgeCache.Unlock()
	if ok {
		return ns
	}
	ns = checkText(text, people)
	nudgeCache.Lock()
	if len(nudgeCache.m) >= 4096 || nudgeCache.m == nil {
		nudgeCache.m = map[string][]nudge{} // bounded: start again
	}
	nudgeCache.m[key] = ns
	nudgeCache.Unlock()
	return ns
}

func checkText(text string, people []string) []nudge {
	l, err := roomLinter()
	if err != nil {
		return nil
	}
	cfg := lint.DefaultConfig()
	cfg.People = people
	var out []nudge
	for _, f := range l.Lint("room", []byte(text), cfg) {
		for _, r := range blameRules {
			if strings.HasPrefix(f.Rule, r.prefix) {
				out = append(out, nudge{Rule: f.Rule, Match: f.Match, Question: r.question, Message: f.Message, Suggestion: f.Suggestion})
				break
			}
		}
	}
	return out
}

// canDrive reports whether u moves meeting m through its agenda.
func canDrive(u *debrief.User, m *debrief.Meeting) bool {
	if u == nil || !u.Role.CanEdit() {
		return false
	}
	f := strings.ToLower(strings.TrimPrefix(m.Facilitator, "@"))
	return u.Role == debrief.RoleAdmin || f == "" || f == u.Name
}

// currentMeeting is the incident's meeting in progress, the latest one not
// ended; nil if none.
func (s *Server) currentMeeting(ctx context.Context, incidentID string) (*debrief.Meeting, []*debrief.Meeting, error) {
	ms, err := s.store.Meetings(ctx, incidentID)
	if err != nil {
		return nil, nil, err
	}
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].EndedAt.IsZero() {
			return ms[i], ms, nil
		}
	}
	return nil, ms, nil
}

// roomEntry serves /incidents/{id}/room: the meeting in progress, or a page
// to start one (and the past meetings).
func (s *Server) roomEntry(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	m, ms, err := s.currentMeeting(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	if m != nil {
		http.Redirect(w, r, roomURL(m), http.StatusSeeOther)
		return nil
	}
	u := userOf(r.Context())
	facilitator := inc.Facilitator
	if facilitator == "" && u.Name != inc.Lead {
		facilitator = u.Name
	}
	slices.Reverse(ms)
	return s.render(w, r, "room-start.html", map[string]any{"Incident": inc, "Meetings": ms, "Facilitator": facilitator,
		"CanEdit": u.Role.CanEdit(), "Agenda": debrief.Agenda})
}

func roomURL(m *debrief.Meeting) string { return "/incidents/" + m.IncidentID + "/meetings/" + m.ID }

// startMeeting opens the room: a meeting in its first phase, now.
func (s *Server) startMeeting(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if m, _, err := s.currentMeeting(r.Context(), inc.ID); err != nil {
		return err
	} else if m != nil {
		http.Redirect(w, r, roomURL(m), http.StatusSeeOther) // someone was quicker: join theirs
		return nil
	}
	f := strings.TrimSpace(r.PostFormValue("facilitator"))
	m := &debrief.Meeting{IncidentID: inc.ID, Facilitator: f, StartsAt: time.Now().UTC(), Phase: debrief.PhaseFrame}
	if err := s.store.CreateMeeting(r.Context(), m); debrief.ErrorCode(err) == debrief.ECONFLICT {
		// Someone started it a moment ago: join theirs.
		if cur, _, err := s.currentMeeting(r.Context(), inc.ID); err == nil && cur != nil {
			http.Redirect(w, r, roomURL(cur), http.StatusSeeOther)
			return nil
		}
		return err
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, roomURL(m), http.StatusSeeOther)
	return nil
}

// meeting is the meeting of the request's path, in its incident.
func (s *Server) meeting(r *http.Request) (*debrief.Incident, *debrief.Meeting, error) {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	m, err := s.store.Meeting(r.Context(), r.PathValue("mid"))
	if err != nil {
		return nil, nil, err
	}
	if m.IncidentID != inc.ID {
		return nil, nil, debrief.Errorf(debrief.ENOTFOUND, "no meeting %q in incident %q", r.PathValue("mid"), inc.ID)
	}
	return inc, m, nil
}

// agendaRow is one phase in the room's agenda bar.
type agendaRow struct {
	Phase   debrief.MeetingPhase
	Title   string
	Minutes int
	Spent   time.Duration
	Current bool
	Over    bool
}

// roomItem is a factor, note or action item with the room's nudges.
type roomItem struct {
	Factor *debrief.Factor
	Action *debrief.ActionItem
	Text   string
	Nudges []nudge
	// Recurs are earlier incidents that had the factor too.
	Recurs []*debrief.Recurrence
}

// check is one line of the close's checklist.
type check struct {
	OK   bool
	Text string
}

// roomPage serves the room; ?fragment=live (htmx, on a change heard on the
// stream) returns its live part only, or asks for a reload when the phase
// moved on since the page was drawn (the forms differ by phase).
func (s *Server) roomPage(w http.ResponseWriter, r *http.Request) error {
	inc, m, err := s.meeting(r)
	if err != nil {
		return err
	}
	live := r.URL.Query().Get("fragment") == "live" && r.Header.Get("HX-Request") == "true"
	if live && (r.URL.Query().Get("phase") != string(m.Phase) || r.URL.Query().Get("ended") != boolWord(!m.EndedAt.IsZero())) {
		w.Header().Set("HX-Refresh", "true")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	data, err := s.roomData(r, inc, m)
	if err != nil {
		return err
	}
	if live {
		return s.render(w, r, "room-live", data)
	}
	return s.render(w, r, "room.html", data)
}

func boolWord(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (s *Server) roomData(r *http.Request, inc *debrief.Incident, m *debrief.Meeting) (map[string]any, error) {
	ctx := r.Context()
	u := userOf(ctx)
	now := time.Now().UTC()
	if !m.EndedAt.IsZero() {
		now = m.EndedAt
	}
	spent := m.Spent(now)
	var agenda []agendaRow
	total := 0
	for _, a := range debrief.Agenda {
		total += a.Minutes
		agenda = append(agenda, agendaRow{Phase: a.Phase, Title: a.Phase.Title(), Minutes: a.Minutes, Spent: spent[a.Phase],
			Current: a.Phase == m.Phase, Over: spent[a.Phase] > time.Duration(a.Minutes)*time.Minute})
	}
	people := roomPeople(inc, m)
	// The moments the timeline walk stops at, in time order.
	var moments []*debrief.StoredEvent
	if m.Phase == debrief.PhaseTimeline {
		var err error
		if moments, err = draft.Moments(ctx, s.store, inc.ID); err != nil {
			return nil, err
		}
		for _, ev := range moments {
			if !ev.Bot {
				people = append(people, ev.Actor)
			}
		}
	}
	fs, err := s.store.Factors(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Actions(ctx, debrief.ActionFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	rs, err := debrief.RecurrencesOf(ctx, s.store, inc, fs, s.visibleOrNil)
	if err != nil {
		return nil, err
	}
	recurs := recurrencesByFactor(rs)
	var factors, actions, wentWell []roomItem
	blaming := 0
	for _, f := range fs {
		it := roomItem{Factor: f, Text: f.Text, Nudges: nudges(f.Text, people), Recurs: recurs[f.ID]}
		blaming += min(len(it.Nudges), 1)
		factors = append(factors, it)
	}
	high, undated, unowned, untracked := 0, 0, 0, 0
	for _, a := range as {
		if a.State == debrief.ActionDropped {
			continue
		}
		it := roomItem{Action: a, Text: a.Text, Nudges: nudges(a.Text, people)}
		blaming += min(len(it.Nudges), 1)
		actions = append(actions, it)
		if a.Priority == debrief.PriorityHigh {
			high++
		}
		if a.Due.IsZero() {
			undated++
		}
		if a.Owner == "" {
			unowned++
		}
		if a.Tracking == "" {
			untracked++
		}
	}
	for _, w := range m.WentWell {
		wentWell = append(wentWell, roomItem{Text: w, Nudges: nudges(w, people)})
	}
	checklist := []check{
		{len(fs) >= 2, "Contributing factors explored: several conditions, not one root cause"},
		{blaming == 0, "Every factor and action item reads without blame or hindsight"},
		{!unfixedRecurrence(rs), "No factor came back while an earlier incident's fix for it is still open (or the room has heard about it)"},
		{len(m.WentWell) > 0, "What went well captured, not just failures"},
		{len(actions) > 0 && unowned == 0, "Every action item has one named owner"},
		{len(actions) > 0 && undated == 0, "Every action item has a due date"},
		{len(actions) > 0 && untracked == 0, "Every action item has a tracking home"},
		{high > 0 && high <= 3, "Two or three high-priority items; the rest nice-to-have"},
	}
	phaseStart, elapsed := m.PhaseStartedAt(), ""
	if !phaseStart.IsZero() {
		elapsed = minSec(now.Sub(phaseStart))
	}
	data := map[string]any{
		"Incident":   inc,
		"Meeting":    m,
		"Agenda":     agenda,
		"Total":      total,
		"Phase":      m.Phase,
		"PhaseTitle": m.Phase.Title(),
		"Budget":     m.Phase.Minutes(),
		"PhaseStart": phaseStart,
		"Elapsed":    elapsed,
		"Started":    m.StartedAt(),
		"Over":       !phaseStart.IsZero() && now.Sub(phaseStart) > time.Duration(m.Phase.Minutes())*time.Minute,
		"Now":        now,
		"Ended":      !m.EndedAt.IsZero(),
		"Next":       m.Phase.Next(),
		"Prev":       m.Phase.Prev(),
		"CanDrive":   canDrive(u, m),
		"CanEdit":    u.Role.CanEdit(),
		"Statement":  frameStatement,
		// The playbook's first rule: the lead is too close to facilitate.
		"LeadFacilitates": m.Facilitator != "" && strings.EqualFold(m.Facilitator, inc.Lead),
		"Moments":         moments,
		"Factors":         factors,
		"Actions":         actions,
		"WentWell":        wentWell,
		"High":            high,
		"Checklist":       checklist,
		// The live fragment's address names the phase the page was drawn
		// in: when the room has moved on, the page reloads.
		"Live": roomURL(m) + "?fragment=live&phase=" + string(m.Phase) + "&ended=" + boolWord(!m.EndedAt.IsZero()),
	}
	return data, nil
}

// minSec formats a duration as m:ss (or h:mm:ss).
func minSec(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Truncate(time.Second)
	h, mn, sec := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	if h > 0 {
		return itoa(h) + ":" + pad2(mn) + ":" + pad2(sec)
	}
	return itoa(mn) + ":" + pad2(sec)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// movePhase moves the meeting to the phase the form names (the driver
// only); "end" ends it.
func (s *Server) movePhase(w http.ResponseWriter, r *http.Request) error {
	_, m, err := s.meeting(r)
	if err != nil {
		return err
	}
	if !canDrive(userOf(r.Context()), m) {
		return debrief.Errorf(errForbidden, "%s facilitates this meeting: only they (or an admin) move it along", m.Facilitator)
	}
	var upd debrief.MeetingUpdate
	switch to := r.PostFormValue("phase"); to {
	case "end":
		ended, closing := true, debrief.PhaseClose
		upd.Ended, upd.Phase = &ended, &closing
	case "reopen":
		ended := false
		upd.Ended = &ended
	default:
		p := debrief.MeetingPhase(to)
		if !p.Valid() {
			return debrief.Errorf(debrief.EINVALID, "phase %q: frame, timeline, factors, went_well, actions, close or end", to)
		}
		if !m.EndedAt.IsZero() {
			return debrief.Errorf(debrief.ECONFLICT, "the meeting has ended; reopen it first")
		}
		upd.Phase = &p
	}
	if _, err := s.store.UpdateMeeting(r.Context(), m.ID, upd); err != nil {
		return err
	}
	http.Redirect(w, r, roomURL(m), http.StatusSeeOther)
	return nil
}

// addWentWell adds a note of what helped.
func (s *Server) addWentWell(w http.ResponseWriter, r *http.Request) error {
	_, m, err := s.meeting(r)
	if err != nil {
		return err
	}
	if !m.EndedAt.IsZero() {
		return debrief.Errorf(debrief.ECONFLICT, "the meeting has ended; reopen it to add to it")
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		return debrief.Errorf(debrief.EINVALID, "a went-well note needs text")
	}
	// Appended in the store's transaction: notes several people add at
	// once all stay.
	if _, err := s.store.UpdateMeeting(r.Context(), m.ID, debrief.MeetingUpdate{AddWentWell: []string{text}}); err != nil {
		return err
	}
	http.Redirect(w, r, roomURL(m)+"#went-well", http.StatusSeeOther)
	return nil
}

// roomCheck serves the as-you-type check of a text field: the nudges for
// the form's text, as HTML for htmx. A POST: typed text stays out of URLs
// (and so out of proxies' and servers' access logs).
func (s *Server) roomCheck(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	text := r.PostFormValue("text")
	if len(text) > 4000 {
		text = text[:4000]
	}
	m, _, err := s.currentMeeting(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, "nudges", map[string]any{"Nudges": nudges(text, roomPeople(inc, m))})
}

// roomPeople are the names the room's checks know as people: the
// incident's lead and facilitator, and the meeting's (nil: none)
// facilitator and invitees.
func roomPeople(inc *debrief.Incident, m *debrief.Meeting) []string {
	people := []string{inc.Lead, inc.Facilitator}
	if m != nil {
		people = append(people, m.Facilitator)
		for _, in := range m.Invitees {
			people = append(people, in.Person)
		}
	}
	return people
}

// backToRoom sends a form posted from the room back to it (the room sends
// its meeting's id), else to the retro page at anchor.
func backToRoom(w http.ResponseWriter, r *http.Request, inc *debrief.Incident, anchor string) {
	if mid := r.PostFormValue("room"); mid != "" && validID(mid) {
		http.Redirect(w, r, "/incidents/"+inc.ID+"/meetings/"+mid+"#"+anchor, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/incidents/"+inc.ID+"/retro#"+anchor, http.StatusSeeOther)
}

// validID accepts the ids the store makes (a prefix, letters, digits).
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func unfixedRecurrence(rs []*debrief.Recurrence) bool {
	return slices.ContainsFunc(rs, (*debrief.Recurrence).Unfixed)
}

// postmortem serves the retro's postmortem as markdown
// (/incidents/{id}/postmortem.md): the document to finalise and share.
func (s *Server) postmortem(w http.ResponseWriter, r *http.Request) error {
	inc, err := s.incident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rec, err := draft.Gather(r.Context(), s.store, inc, s.visibleOrNil)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := draft.Final(&buf, rec); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	if r.URL.Query().Get("view") == "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+inc.ID+`-postmortem.md"`)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
