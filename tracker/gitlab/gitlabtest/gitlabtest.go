// Package gitlabtest is an in-memory GitLab issues API for tests: the
// endpoints Debrief calls, with GitLab's shapes, on an httptest server.
package gitlabtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue is a stored issue.
type Issue struct {
	IID                 int64
	Title, Description  string
	State               string // opened, closed
	Labels, Notes       []string
	DueDate             string
	ClosedAt, UpdatedAt time.Time
	deleted             bool
}

// Server serves one project's issues.
type Server struct {
	*httptest.Server
	Project, Token string

	mu     sync.Mutex
	issues []*Issue
	fail   int
}

// New starts a server for project ("group/project") that accepts token.
func New(t testing.TB, project, token string) *Server {
	s := &Server{Project: project, Token: token}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// IssueURL is the web address of issue iid.
func (s *Server) IssueURL(iid int64) string {
	return fmt.Sprintf("%s/%s/-/issues/%d", s.URL, s.Project, iid)
}

// Issues returns a copy of the issues.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, len(s.issues))
	for i, is := range s.issues {
		out[i] = *is
	}
	return out
}

// SetState closes ("closed") or reopens ("opened") issue iid as the team
// would in GitLab.
func (s *Server) SetState(iid int64, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setState(s.issues[iid-1], state)
}

func (s *Server) setState(is *Issue, state string) {
	now := time.Now().UTC()
	is.State, is.UpdatedAt = state, now
	is.ClosedAt = time.Time{}
	if state == "closed" {
		is.ClosedAt = now
	}
}

// DeleteIssue makes issue iid answer 404.
func (s *Server) DeleteIssue(iid int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issues[iid-1].deleted = true
}

// FailNext makes the next n requests fail with 502 Bad Gateway.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.fail = n
	s.mu.Unlock()
}

func (s *Server) json(is *Issue) map[string]any {
	m := map[string]any{"id": 1000 + is.IID, "iid": is.IID, "title": is.Title, "description": is.Description, "state": is.State,
		"labels": is.Labels, "web_url": s.IssueURL(is.IID), "updated_at": is.UpdatedAt.Format(time.RFC3339Nano)}
	if !is.ClosedAt.IsZero() {
		m["closed_at"] = is.ClosedAt.Format(time.RFC3339Nano)
	}
	if is.DueDate != "" {
		m["due_date"] = is.DueDate
	}
	return m
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	if s.fail > 0 {
		s.fail--
		fail(http.StatusBadGateway, "502 Bad Gateway")
		return
	}
	if r.Header.Get("PRIVATE-TOKEN") != s.Token {
		fail(http.StatusUnauthorized, "401 Unauthorized")
		return
	}
	prefix := "/api/v4/projects/" + url.PathEscape(s.Project) + "/issues"
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !ok {
		fail(http.StatusNotFound, "404 Project Not Found")
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	var is *Issue
	if parts[0] != "" {
		n, err := strconv.ParseInt(parts[0], 10, 64)
		if err != nil || n < 1 || n > int64(len(s.issues)) || s.issues[n-1].deleted {
			fail(http.StatusNotFound, "404 Not found")
			return
		}
		is = s.issues[n-1]
	}
	var body struct {
		Title, Description, Body string
		StateEvent               string `json:"state_event"`
		DueDate                  string `json:"due_date"`
		Labels                   any
	}
	if r.Body != nil {
		json.NewDecoder(r.Body).Decode(&body)
	}
	switch {
	case is == nil && r.Method == "POST":
		is = &Issue{IID: int64(len(s.issues) + 1), Title: body.Title, Description: body.Description, State: "opened",
			DueDate: body.DueDate, UpdatedAt: time.Now().UTC()}
		switch l := body.Labels.(type) {
		case string:
			is.Labels = strings.Split(l, ",")
		case []any:
			for _, x := range l {
				is.Labels = append(is.Labels, fmt.Sprint(x))
			}
		}
		s.issues = append(s.issues, is)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(s.json(is))
	case is == nil && r.Method == "GET":
		q := r.URL.Query()
		out := []map[string]any{}
		for _, is := range s.issues {
			if is.deleted || (q.Get("labels") != "" && !slices.Contains(is.Labels, q.Get("labels"))) ||
				(q.Get("search") != "" && !strings.Contains(is.Description, q.Get("search"))) {
				continue
			}
			out = append(out, s.json(is))
		}
		json.NewEncoder(w).Encode(out)
	case len(parts) == 1 && r.Method == "GET":
		json.NewEncoder(w).Encode(s.json(is))
	case len(parts) == 1 && r.Method == "PUT":
		switch body.StateEvent {
		case "close":
			if is.State != "closed" {
				s.setState(is, "closed")
			}
		case "reopen":
			if is.State != "opened" {
				s.setState(is, "opened")
			}
		}
		json.NewEncoder(w).Encode(s.json(is))
	case len(parts) == 2 && parts[1] == "notes" && r.Method == "POST":
		is.Notes = append(is.Notes, body.Body)
		is.UpdatedAt = time.Now().UTC()
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": len(is.Notes), "body": body.Body})
	default:
		fail(http.StatusNotFound, "404 Not found")
	}
}
