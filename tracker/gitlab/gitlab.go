// Package gitlab keeps action items in step with GitLab issues (gitlab.com
// or a self-managed instance), through GitLab's official Go client.
package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
)

// Label marks the issues Debrief opens, and finds them again.
const Label = "postmortem-action"

// GitLab is one project's issues.
type GitLab struct {
	c       *gl.Client
	project string // "group/subgroup/project"
	host    string // of issue URLs
}

// Config names the project and how to reach it.
type Config struct {
	// Project is the project's path, "group/project" (subgroups too).
	Project string
	// Token is a token allowed to write the project's issues (api scope).
	Token string
	// URL is the instance, "https://gitlab.example.com"; empty for
	// gitlab.com.
	URL string
	// HTTPClient, when set, carries the requests (tests).
	HTTPClient *http.Client
}

// New checks the configuration and makes the client; it does not call
// GitLab.
func New(cfg Config) (*GitLab, error) {
	project := strings.Trim(strings.TrimSpace(cfg.Project), "/")
	if !strings.Contains(project, "/") || strings.Contains(project, "//") || strings.ContainsAny(project, " ?#") {
		return nil, debrief.Errorf(debrief.EINVALID, "GitLab project %q: expected group/project", cfg.Project)
	}
	if cfg.Token == "" {
		return nil, debrief.Errorf(debrief.EINVALID, "GitLab project %s: no token (set DEBRIEF_GITLAB_TOKEN)", project)
	}
	base := strings.TrimRight(cfg.URL, "/")
	if base == "" {
		base = "https://gitlab.com"
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, debrief.Errorf(debrief.EINVALID, "GitLab URL %q: expected https://gitlab.example.com", cfg.URL)
	}
	// Retries are the job queue's (with its backoff), not the client's.
	opts := []gl.ClientOptionFunc{gl.WithBaseURL(base + "/api/v4"), gl.WithoutRetries(), gl.WithUserAgent("debrief")}
	if cfg.HTTPClient != nil {
		opts = append(opts, gl.WithHTTPClient(cfg.HTTPClient))
	} else {
		opts = append(opts, gl.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
	}
	c, err := gl.NewClient(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("GitLab client: %w", err)
	}
	return &GitLab{c: c, project: project, host: u.Host}, nil
}

func (g *GitLab) Name() string { return "GitLab" }

// ParseIssueURL reads an issue's address: https://HOST/GROUP/PROJECT/-/issues/N
// (subgroups too).
func ParseIssueURL(ref string) (host, project string, iid int64, ok bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", 0, false
	}
	path, num, found := strings.Cut(strings.Trim(u.Path, "/"), "/-/issues/")
	if !found || !strings.Contains(path, "/") || strings.Contains(path, "//") {
		return "", "", 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return "", "", 0, false
	}
	return u.Host, path, n, true
}

// Owns reports whether ref is an issue of the configured project.
func (g *GitLab) Owns(ref string) bool {
	host, project, _, ok := ParseIssueURL(ref)
	return ok && strings.EqualFold(host, g.host) && strings.EqualFold(project, g.project)
}

func marker(itemID string) string { return "debrief-action:" + itemID }

func (g *GitLab) Create(ctx context.Context, item *debrief.ActionItem, inc *debrief.Incident, link string, retry bool) (string, error) {
	if retry {
		// An issue an earlier try opened, its answer lost.
		iss, _, err := g.c.Issues.ListProjectIssues(g.project, &gl.ListProjectIssuesOptions{Labels: &gl.LabelOptions{Label},
			Search: gl.Ptr(marker(item.ID)), In: gl.Ptr("description")}, gl.WithContext(ctx))
		if err != nil {
			return "", g.err("search issues", err)
		}
		for _, is := range iss {
			if strings.Contains(is.Description, marker(item.ID)) {
				return is.WebURL, nil
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Action item from the retro of **%s** (%s).\n\n", inc.Title, inc.ID)
	fmt.Fprintf(&b, "- Owner: %s\n", or(item.Owner, "none yet (an item needs one person)"))
	fmt.Fprintf(&b, "- Priority: %s\n", or(string(item.Priority), "not set"))
	if link != "" {
		fmt.Fprintf(&b, "- In Debrief: %s\n", link)
	}
	b.WriteString("\nClosing this issue marks the item done in Debrief.\n\n<!-- " + marker(item.ID) + " -->\n")
	title := item.Text
	if len([]rune(title)) > 250 {
		title = string([]rune(title)[:249]) + "…"
	}
	opt := &gl.CreateIssueOptions{Title: &title, Description: gl.Ptr(b.String()), Labels: &gl.LabelOptions{Label}}
	if !item.Due.IsZero() {
		due := gl.ISOTime(item.Due)
		opt.DueDate = &due
	}
	is, _, err := g.c.Issues.CreateIssue(g.project, opt, gl.WithContext(ctx))
	if err != nil {
		return "", g.err("open an issue", err)
	}
	return is.WebURL, nil
}

func (g *GitLab) Issue(ctx context.Context, ref string) (tracker.Issue, error) {
	iid, err := g.iid(ref)
	if err != nil {
		return tracker.Issue{}, err
	}
	is, _, err := g.c.Issues.GetIssue(g.project, iid, gl.WithContext(ctx))
	if err != nil {
		return tracker.Issue{}, g.err("read "+ref, err)
	}
	// GitLab has no "closed as not planned": a closed issue is done.
	out := tracker.Issue{Ref: ref, Closed: is.State == "closed", Completed: true}
	out.At(is.ClosedAt, is.UpdatedAt)
	return out, nil
}

func (g *GitLab) Close(ctx context.Context, ref, comment string, completed bool) error {
	return g.setState(ctx, ref, "close", comment)
}

func (g *GitLab) Reopen(ctx context.Context, ref, comment string) error {
	return g.setState(ctx, ref, "reopen", comment)
}

// setState changes the state, then comments (a retry after a failed
// comment does not comment twice).
func (g *GitLab) setState(ctx context.Context, ref, event, comment string) error {
	iid, err := g.iid(ref)
	if err != nil {
		return err
	}
	if _, _, err := g.c.Issues.UpdateIssue(g.project, iid, &gl.UpdateIssueOptions{StateEvent: &event}, gl.WithContext(ctx)); err != nil {
		return g.err(event+" "+ref, err)
	}
	if comment != "" {
		if _, _, err := g.c.Notes.CreateIssueNote(g.project, iid, &gl.CreateIssueNoteOptions{Body: &comment}, gl.WithContext(ctx)); err != nil {
			return g.err("comment on "+ref, err)
		}
	}
	return nil
}

func (g *GitLab) iid(ref string) (int64, error) {
	if !g.Owns(ref) {
		return 0, debrief.Errorf(debrief.EINVALID, "%q is not an issue of GitLab project %s", ref, g.project)
	}
	_, _, iid, _ := ParseIssueURL(ref)
	return iid, nil
}

// err says what failed with GitLab's status, never the token.
func (g *GitLab) err(what string, err error) error {
	var ge *gl.ErrorResponse
	if errors.As(err, &ge) {
		// The client answers a 404 with a shared ErrNotFound (no response).
		if code := ge.StatusCode; code == http.StatusNotFound || code == http.StatusGone {
			return fmt.Errorf("GitLab: %s: %d not found: %w", what, code, tracker.ErrGone)
		}
		return fmt.Errorf("GitLab: %s: %d %s", what, ge.StatusCode, ge.Message)
	}
	return fmt.Errorf("GitLab: %s: %w", what, err)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
