package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debriefhq/debrief/tracker/github/githubtest"
)

// lockedBuffer is a buffer a running server writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSyncsActionItemsWithGitHub: serve with --github-repo; an action
// item added through the API gets its issue in the background.
func TestServeSyncsActionItemsWithGitHub(t *testing.T) {
	gh := githubtest.New(t, "acme", "search", "gh-token")
	t.Setenv("DEBRIEF_GITHUB_TOKEN", "gh-token")
	db := filepath.Join(t.TempDir(), "debrief.db")
	if code, _, errOut := run(t, "user", "add", "kim", "--role", "member", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	_, tok, _ := run(t, "user", "token", "kim", "--db", db)
	tok = strings.TrimSpace(tok)

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--url", "https://debrief.example.com",
			"--github-repo", "acme/search", "--github-api-url", gh.APIURL()}, strings.NewReader(""), &out, &errOut)
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	}()
	addr := regexp.MustCompile(`listening on (http://[^/\s]+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
	}
	call := func(method, path, body string) map[string]any {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		json.NewDecoder(res.Body).Decode(&v)
		return v
	}
	call("POST", "/api/v1/incidents", `{"id": "search-latency", "title": "Search latency"}`)
	item := call("POST", "/api/v1/incidents/search-latency/actions", `{"text": "Alert on pool waits over 100 ms", "owner": "kim", "due": "2026-12-10", "priority": "high"}`)
	if item["id"] == nil {
		t.Fatalf("add action: %v", item)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		as := call("GET", "/api/v1/incidents/search-latency/actions", "")["actions"].([]any)
		if as[0].(map[string]any)["tracking"] == gh.IssueURL(1) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the item has no issue after 30 s: %v\n%s", as, errOut.String())
		}
	}
	if is := gh.Issues(); len(is) != 1 || !strings.Contains(is[0].Body, "https://debrief.example.com/incidents/search-latency/retro#") {
		t.Errorf("issues: %+v", is)
	}
	if strings.Contains(errOut.String(), "gh-token") {
		t.Error("the token reached the log")
	}
}
