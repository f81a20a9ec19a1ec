// Package github keeps action items in step with GitHub issues (and
// GitHub Enterprise Server), through google/go-github.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v93/github"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/tracker"
)

// Label marks the issues Debrief opens, and finds them again.
const Label = "postmortem-action"

// GitHub is one repository's issues.
type GitHub struct {
	c           *gh.Client
	owner, repo string
	// web is the host of issue URLs: github.com, or the Enterprise host.
	web string
}

// Config names the repository and how to reach it.
type Config struct {
	// Repo is "owner/name".
	Repo string
	// Token is a token allowed to write the repository's issues.
	Token string
	// APIURL is GitHub Enterprise Server's API ("https://ghe.example.com/api/v3/");
	// empty for github.com.
	APIURL string
	// HTTPClient, when set, carries the requests (tests).
	HTTPClient *http.Client
}

// New checks the configuration and makes the client; it does not call
// GitHub.
func New(cfg Config) (*GitHub, error) {
	owner, repo, ok := strings.Cut(strings.Trim(cfg.Repo, "/ "), "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, debrief.Errorf(debrief.EINVALID, "GitHub repository %q: expected owner/name", cfg.Repo)
	}
	if cfg.Token == "" {
		return nil, debrief.Errorf(debrief.EINVALID, "GitHub repository %s: no token (set DEBRIEF_GITHUB_TOKEN)", cfg.Repo)
	}
	opts := []gh.ClientOptionsFunc{gh.WithAuthToken(cfg.Token), gh.WithTimeout(30 * time.Second), gh.WithUserAgent("debrief")}
	if cfg.HTTPClient != nil {
		opts = append(opts, gh.WithHTTPClient(cfg.HTTPClient))
	}
	web := "github.com"
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, debrief.Errorf(debrief.EINVALID, "GitHub API URL %q: expected https://HOST/api/v3/", cfg.APIURL)
		}
		opts = append(opts, gh.WithEnterpriseURLs(cfg.APIURL, cfg.APIURL))
		web = u.Host
	}
	c, err := gh.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("GitHub client: %w", err)
	}
	return &GitHub{c: c, owner: owner, repo: repo, web: web}, nil
}

func (g *GitHub) Name() string { return "GitHub" }

// ParseIssueURL reads an issue reference: https://HOST/OWNER/REPO/issues/N
// (also /pull/N, and OWNER/REPO#N).
func ParseIssueURL(ref string) (host, owner, repo string, number int, ok bool) {
	ref = strings.TrimSpace(ref)
	if o, rest, found := strings.Cut(ref, "/"); found && !strings.Contains(ref, "://") {
		if r, n, found := strings.Cut(rest, "#"); found {
			num, err := strconv.Atoi(n)
			if err == nil && num > 0 && o != "" && r != "" && !strings.ContainsAny(o+r, "/# ") {
				return "github.com", o, r, num, true
			}
		}
		return "", "", "", 0, false
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", "", 0, false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 4 || (parts[2] != "issues" && parts[2] != "pull") || parts[0] == "" || parts[1] == "" {
		return "", "", "", 0, false
	}
	num, err := strconv.Atoi(parts[3])
	if err != nil || num <= 0 {
		return "", "", "", 0, false
	}
	return u.Host, parts[0], parts[1], num, true
}

// Owns reports whether ref is an issue of the configured repository: only
// those are opened, closed and reopened by the sync (not pull requests,
// not another team's repository someone linked).
func (g *GitHub) Owns(ref string) bool {
	host, owner, repo, _, ok := ParseIssueURL(ref)
	return ok && strings.EqualFold(host, g.web) && strings.EqualFold(owner, g.owner) && strings.EqualFold(repo, g.repo) &&
		strings.Contains(ref, "/issues/")
}

// marker, in an issue's body, names the item it tracks.
func marker(itemID string) string { return "<!-- debrief-action:" + itemID + " -->" }

// Create opens the item's issue. retry says an earlier try may have
// opened it already (its answer lost): the issues Debrief opened are
// searched for the item's marker first.
func (g *GitHub) Create(ctx context.Context, item *debrief.ActionItem, inc *debrief.Incident, link string, retry bool) (string, error) {
	if retry {
		if ref, err := g.find(ctx, item.ID); err != nil || ref != "" {
			return ref, err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Action item from the retro of **%s** (%s).\n\n", inc.Title, inc.ID)
	fmt.Fprintf(&b, "- Owner: %s\n", or(item.Owner, "none yet (an item needs one person)"))
	if !item.Due.IsZero() {
		fmt.Fprintf(&b, "- Due: %s\n", item.Due.Format("2006-01-02"))
	}
	fmt.Fprintf(&b, "- Priority: %s\n", or(string(item.Priority), "not set"))
	if link != "" {
		fmt.Fprintf(&b, "- In Debrief: %s\n", link)
	}
	b.WriteString("\nClosing this issue marks the item done in Debrief (closed as not planned: dropped).\n\n" + marker(item.ID) + "\n")
	body := b.String()
	title := item.Text
	if len([]rune(title)) > 200 {
		title = string([]rune(title)[:199]) + "…"
	}
	is, _, err := g.c.Issues.Create(ctx, g.owner, g.repo, gh.CreateIssueRequest{Title: title, Body: &body, Labels: []string{Label}})
	if err != nil {
		return "", g.err("open an issue", err)
	}
	return is.GetHTMLURL(), nil
}

// find looks for the issue Debrief opened for the item before.
func (g *GitHub) find(ctx context.Context, itemID string) (string, error) {
	opt := &gh.IssueListByRepoOptions{State: "all", Labels: []string{Label}, ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 0; page < 20; page++ {
		iss, res, err := g.c.Issues.ListByRepo(ctx, g.owner, g.repo, opt)
		if err != nil {
			return "", g.err("list issues", err)
		}
		for _, is := range iss {
			if strings.Contains(is.GetBody(), marker(itemID)) {
				return is.GetHTMLURL(), nil
			}
		}
		if res == nil || res.NextPage == 0 {
			break
		}
		opt.ListOptions.Page = res.NextPage
	}
	return "", nil
}

func (g *GitHub) Issue(ctx context.Context, ref string) (tracker.Issue, error) {
	_, owner, repo, n, ok := ParseIssueURL(ref)
	if !ok {
		return tracker.Issue{}, debrief.Errorf(debrief.EINVALID, "%q is not a GitHub issue URL", ref)
	}
	is, _, err := g.c.Issues.Get(ctx, owner, repo, n)
	if err != nil {
		return tracker.Issue{}, g.err("read "+ref, err)
	}
	out := tracker.Issue{Ref: ref, Closed: is.GetState() == "closed", Completed: is.GetStateReason() != "not_planned"}
	out.At(is.ClosedAt.GetTime(), is.UpdatedAt.GetTime())
	return out, nil
}

func (g *GitHub) Close(ctx context.Context, ref, comment string, completed bool) error {
	reason := "completed"
	if !completed {
		reason = "not_planned"
	}
	return g.setState(ctx, ref, "closed", reason, comment)
}

func (g *GitHub) Reopen(ctx context.Context, ref, comment string) error {
	return g.setState(ctx, ref, "open", "reopened", comment)
}

// setState changes the issue's state first, then comments: a retry after
// a failed comment finds the state already set and does not comment twice.
func (g *GitHub) setState(ctx context.Context, ref, state, reason, comment string) error {
	_, owner, repo, n, ok := ParseIssueURL(ref)
	if !ok {
		return debrief.Errorf(debrief.EINVALID, "%q is not a GitHub issue URL", ref)
	}
	if _, _, err := g.c.Issues.Update(ctx, owner, repo, n, gh.UpdateIssueRequest{State: &state, StateReason: &reason}); err != nil {
		return g.err(state+" "+ref, err)
	}
	if comment != "" {
		if _, _, err := g.c.Issues.CreateComment(ctx, owner, repo, n, gh.IssueCommentRequest{Body: comment}); err != nil {
			return g.err("comment on "+ref, err)
		}
	}
	return nil
}

// err says what failed without the request's headers (the token).
func (g *GitHub) err(what string, err error) error {
	var ge *gh.ErrorResponse
	if errors.As(err, &ge) && ge.Response != nil {
		if code := ge.Response.StatusCode; code == http.StatusNotFound || code == http.StatusGone {
			return fmt.Errorf("GitHub: %s: %s %s: %w", what, ge.Response.Status, ge.Message, tracker.ErrGone)
		}
		return fmt.Errorf("GitHub: %s: %s %s", what, ge.Response.Status, ge.Message)
	}
	return fmt.Errorf("GitHub: %s: %w", what, err)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
