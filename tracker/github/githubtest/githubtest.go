// Package githubtest is an in-memory GitHub issues API for tests: the
// endpoints Debrief calls, with GitHub's shapes, on an httptest server
// (GitHub itself is not reachable from the test machines).
package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue is a stored issue.
type Issue struct {
	Number      int       `json:"number"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	State       string    `json:"state"`
	StateReason string    `json:"state_reason,omitempty"`
	Labels      []string  `json:"-"`
	Comments    []string  `json:"-"`
	ClosedAt    time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	deleted     bool
}

// Server serves one repository's issues.
type Server struct {
	*httptest.Server
	Owner, Repo, Token string

	mu     sync.Mutex
	issues []*Issue
	fail   int
	calls  int
}

// New starts a server for owner/repo that accepts token.
func New(t testing.TB, owner, repo, token string) *Server {
	s := &Server{Owner: owner, Repo: repo, Token: token}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// APIURL is the API's base for tracker/github's Config.APIURL.
func (s *Server) APIURL() string { return s.URL + "/api/v3/" }

// IssueURL is the web address of issue n.
func (s *Server) IssueURL(n int) string {
	return fmt.Sprintf("%s/%s/%s/issues/%d", s.URL, s.Owner, s.Repo, n)
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

// CloseIssue closes issue n as the team would in GitHub; reason is
// "completed" or "not_planned".
func (s *Server) CloseIssue(n int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issues[n-1]
	is.State, is.StateReason, is.ClosedAt = "closed", reason, time.Now().UTC()
	is.UpdatedAt = is.ClosedAt
}

// ReopenIssue reopens issue n as the team would in GitHub.
func (s *Server) ReopenIssue(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issues[n-1]
	is.State, is.StateReason, is.ClosedAt, is.UpdatedAt = "open", "reopened", time.Time{}, time.Now().UTC()
}

// DeleteIssue makes issue n answer 404, as a deleted or transferred one.
func (s *Server) DeleteIssue(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issues[n-1].deleted = true
}

// FailNext makes the next n requests fail with 502 Bad Gateway.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.fail = n
	s.mu.Unlock()
}

// Calls is the number of requests served.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) json(is *Issue) map[string]any {
	labels := []map[string]string{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]string{"name": l})
	}
	m := map[string]any{"number": is.Number, "title": is.Title, "body": is.Body, "state": is.State,
		"html_url": s.IssueURL(is.Number), "labels": labels}
	if is.StateReason != "" {
		m["state_reason"] = is.StateReason
	}
	if !is.ClosedAt.IsZero() {
		m["closed_at"] = is.ClosedAt.Format(time.RFC3339Nano)
	}
	m["updated_at"] = is.UpdatedAt.Format(time.RFC3339Nano)
	return m
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	w.Header().Set("Content-Type", "application/json")
	if s.fail > 0 {
		s.fail--
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte(`{"message": "Server Error"}`))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"message": "Bad credentials"}`))
		return
	}
	prefix := "/api/v3/repos/" + s.Owner + "/" + s.Repo + "/issues"
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message": "Not Found"}`))
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	var is *Issue
	if parts[0] != "" {
		n, err := strconv.Atoi(parts[0])
		if err != nil || n < 1 || n > len(s.issues) || s.issues[n-1].deleted {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message": "Not Found"}`))
			return
		}
		is = s.issues[n-1]
	}
	var body struct {
		Title, Body, State string
		StateReason        string `json:"state_reason"`
		Labels             []string
	}
	if r.Body != nil {
		json.NewDecoder(r.Body).Decode(&body)
	}
	switch {
	case is == nil && r.Method == "POST":
		is = &Issue{Number: len(s.issues) + 1, Title: body.Title, Body: body.Body, State: "open", Labels: body.Labels, UpdatedAt: time.Now().UTC()}
		s.issues = append(s.issues, is)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(s.json(is))
	case is == nil && r.Method == "GET":
		q := r.URL.Query()
		out := []map[string]any{}
		for _, is := range s.issues {
			if is.deleted {
				continue
			}
			if st := q.Get("state"); (st == "" || st == "open") && is.State != "open" || st == "closed" && is.State != "closed" {
				continue
			}
			if l := q.Get("labels"); l != "" && !slices.Contains(is.Labels, l) {
				continue
			}
			out = append(out, s.json(is))
		}
		json.NewEncoder(w).Encode(out)
	case len(parts) == 1 && r.Method == "GET":
		json.NewEncoder(w).Encode(s.json(is))
	case len(parts) == 1 && r.Method == "PATCH":
		switch {
		case body.State == "closed" && is.State != "closed":
			is.State, is.StateReason, is.ClosedAt = "closed", body.StateReason, time.Now().UTC()
			if is.StateReason == "" {
				is.StateReason = "completed"
			}
			is.UpdatedAt = is.ClosedAt
		case body.State == "open" && is.State != "open":
			is.State, is.StateReason, is.ClosedAt, is.UpdatedAt = "open", "reopened", time.Time{}, time.Now().UTC()
		}
		json.NewEncoder(w).Encode(s.json(is))
	case len(parts) == 2 && parts[1] == "comments" && r.Method == "POST":
		is.Comments = append(is.Comments, body.Body)
		is.UpdatedAt = time.Now().UTC()
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": len(is.Comments), "body": body.Body})
	default:
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message": "Not Found"}`))
	}
}
