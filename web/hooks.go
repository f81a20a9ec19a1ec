package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/alertmanager"
	"github.com/debriefhq/debrief/ingest/pagerduty"
	"github.com/debriefhq/debrief/intake"
)

// Live intake: Alertmanager and PagerDuty post to Debrief while an incident
// is on, and their events land in the open incident they belong to (given
// with ?incident=, else the open incident whose services they name, else a
// new one). A body delivered twice (a retry) is stored once.

// alertmanagerHook takes an Alertmanager webhook body. Alertmanager sends
// the API token as its bearer credentials (http_config.authorization).
func (s *Server) alertmanagerHook(w http.ResponseWriter, r *http.Request) error {
	if !userOf(r.Context()).Role.CanEdit() {
		return debrief.Errorf(errForbidden, "the hook's token must belong to a member")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	return s.record(w, r, alertmanager.Format(), "alertmanager webhook", body)
}

// pagerdutyHook takes a PagerDuty webhook v3 body, signed with the
// subscription's secret (X-PagerDuty-Signature: v1=<hex HMAC-SHA256>,
// several when the secret is being rotated).
func (s *Server) pagerdutyHook(w http.ResponseWriter, r *http.Request) error {
	if s.opt.PagerDutySecret == "" {
		return debrief.Errorf(debrief.ENOTFOUND, "the PagerDuty hook is not configured (--pagerduty-secret)")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if !pagerdutySigned(body, r.Header.Get("X-PagerDuty-Signature"), s.opt.PagerDutySecret) {
		return debrief.Errorf(errUnauthorized, "the PagerDuty signature does not match")
	}
	return s.record(w, r, pagerduty.Format(), "pagerduty webhook", body)
}

func pagerdutySigned(body []byte, header, secret string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Split(header, ",") {
		sig = strings.TrimSpace(sig)
		hexsig, ok := strings.CutPrefix(sig, "v1=")
		if !ok {
			continue
		}
		got, err := hex.DecodeString(hexsig)
		if err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// record parses a hook's body and stores its events in their incident.
func (s *Server) record(w http.ResponseWriter, r *http.Request, format ingest.Format, name string, body []byte) error {
	ctx := r.Context()
	evs, err := intake.Body(ctx, format, name, body)
	if err != nil {
		return debrief.Errorf(debrief.EINVALID, "%v", err)
	}
	if len(evs) == 0 {
		return writeJSON(w, http.StatusOK, map[string]any{"added": 0})
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	if prev, err := s.store.InputByDigest(ctx, digest); err == nil {
		// A retry of a delivery already stored.
		return writeJSON(w, http.StatusOK, map[string]any{"incident_id": prev.IncidentID, "added": 0, "repeated": true})
	}
	inc, err := s.hookIncident(ctx, r.URL.Query().Get("incident"), evs)
	if err != nil {
		return err
	}
	res, err := s.store.Ingest(ctx, inc.ID, debrief.IngestInput{Name: name, Format: format.Name, Digest: digest, Events: evs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"incident_id": inc.ID, "added": res[0].Added, "repeated": res[0].Repeated})
}

// hookIncident is the incident a hook's events belong to.
func (s *Server) hookIncident(ctx context.Context, id string, evs []debrief.Event) (*debrief.Incident, error) {
	if id != "" {
		return s.store.Incident(ctx, id)
	}
	open, err := s.store.Incidents(ctx, debrief.IncidentFilter{Status: debrief.StatusOpen, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, inc := range open {
		for _, svc := range inc.Services {
			for _, e := range evs {
				if containsWord(e.Text, svc) {
					return inc, nil
				}
			}
		}
	}
	title := evs[0].Text
	if i := strings.IndexAny(title, "\n("); i > 0 {
		title = title[:i]
	}
	if r := []rune(strings.TrimSpace(title)); len(r) > 80 {
		title = string(r[:80])
	}
	inc := &debrief.Incident{Title: strings.TrimSpace(title), Status: debrief.StatusOpen}
	// The alert's service label names the service, so later alerts about
	// it join this incident.
	for _, e := range evs {
		if m := reService.FindStringSubmatch(e.Text); m != nil {
			inc.Services = []string{m[1]}
			break
		}
	}
	if inc.Title == "" {
		inc.Title = "Incident from " + string(evs[0].Source)
	}
	if err := s.store.CreateIncident(ctx, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

var reService = regexp.MustCompile(`\bservice=([A-Za-z0-9_.-]+)`)

func containsWord(text, word string) bool {
	for i := 0; word != ""; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || !nameByte(text[j-1])) && (j+len(word) >= len(text) || !nameByte(text[j+len(word)])) {
			return true
		}
		i = j + 1
	}
	return false
}

func nameByte(c byte) bool {
	return c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
