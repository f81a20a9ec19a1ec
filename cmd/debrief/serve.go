package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/examples"
	"github.com/debriefhq/debrief/web"
)

func runServe(ctx context.Context, app *App, args []string) error {
	fset := flag.NewFlagSet("debrief serve", flag.ContinueOnError)
	fset.SetOutput(app.Stderr)
	db := dbFlag(fset)
	addr := fset.String("addr", "127.0.0.1:8080", "where to listen, HOST:PORT")
	demo := fset.Bool("demo", false, "start on a temporary SQLite file holding the sample incident, with a demo admin")
	secure := fset.Bool("secure-cookies", false, "mark cookies Secure (when served over HTTPS)")
	pdSecret := fset.String("pagerduty-secret", "", "secret of the PagerDuty webhook subscription (default $DEBRIEF_PAGERDUTY_SECRET); turns on POST /hooks/pagerduty")
	public := fset.String("url", "", "the address people reach this server at, as https://debrief.example.com (default http://ADDR)")
	var sso web.OIDC
	fset.StringVar(&sso.Issuer, "oidc-issuer", "", "OpenID Connect issuer URL; turns on single sign-on")
	fset.StringVar(&sso.ClientID, "oidc-client-id", "", "OIDC client id")
	fset.StringVar(&sso.ClientSecret, "oidc-client-secret", "", "OIDC client secret (default $DEBRIEF_OIDC_CLIENT_SECRET)")
	fset.StringVar(&sso.Label, "oidc-label", "single sign-on", "the provider's name on the sign-in button")
	ssoRole := fset.String("oidc-new-users", "none", "role of users created at their first single sign-on (viewer, member or admin), or none: only users an admin added, matched by verified email")
	ssoDomains := fset.String("oidc-domains", "", "comma-separated email domains new single sign-on users must have (verified), as example.com")
	ghRepo := fset.String("github-repo", "", "OWNER/NAME: open action items without a tracking home get an issue there, kept in step both ways (token in $DEBRIEF_GITHUB_TOKEN)")
	ghAPI := fset.String("github-api-url", "", "GitHub Enterprise Server's API, as https://ghe.example.com/api/v3/ (default github.com)")
	glProject := fset.String("gitlab-project", "", "GROUP/PROJECT on GitLab instead of GitHub: the same sync with its issues (token in $DEBRIEF_GITLAB_TOKEN)")
	glURL := fset.String("gitlab-url", "", "a self-managed GitLab, as https://gitlab.example.com (default gitlab.com)")
	ghPrivate := fset.Bool("github-private-items", false, "open issues for private incidents' items too, as stubs that name the item only (GitHub or GitLab)")
	slackHook := fset.String("slack-webhook", "", "Slack incoming webhook for action item reminders (prefer $DEBRIEF_SLACK_WEBHOOK: a flag shows in the process list)")
	syncEvery := fset.Duration("sync-every", 15*time.Minute, "how often every action item is synced with its issue")
	remindAt := fset.String("remind-at", "09:00", "time of day (UTC) the reminders go out, HH:MM")
	remindBefore := fset.Duration("remind-before", 72*time.Hour, "remind of items due within this time (and overdue or undated ones)")
	if _, err := parseInterspersed(fset, args); err != nil {
		return usageErr(err)
	}
	if os.Getenv("GOGC") == "" {
		// A server's heap is small and short-lived garbage is most of it:
		// collecting at four times the live heap halved p99 latency under
		// load (scripts/loadtest), within the soft memory limit main sets.
		debug.SetGCPercent(400)
	}
	var login string
	if *demo {
		dir, err := os.MkdirTemp("", "debrief-demo-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*db = filepath.Join(dir, "debrief.db")
		if login, err = seedDemo(ctx, app, dir, *db); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	store, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *pdSecret == "" {
		*pdSecret = app.Getenv("DEBRIEF_PAGERDUTY_SECRET")
	}
	base := strings.TrimRight(*public, "/")
	if base == "" {
		base = "http://" + *addr
	}
	opt := web.Options{Log: slog.New(slog.NewTextHandler(app.Stderr, nil)), Secure: *secure, PagerDutySecret: *pdSecret}
	if sso.Issuer != "" {
		if sso.ClientSecret == "" {
			sso.ClientSecret = app.Getenv("DEBRIEF_OIDC_CLIENT_SECRET")
		}
		if *ssoRole != "none" {
			sso.NewUserRole = debrief.Role(*ssoRole)
		}
		for _, d := range strings.Split(*ssoDomains, ",") {
			if d = strings.TrimSpace(d); d != "" {
				sso.Domains = append(sso.Domains, d)
			}
		}
		sso.RedirectURL = base + "/login/oidc/callback"
		opt.OIDC = &sso
	}
	// Links in issues and reminders only where people reach the server.
	links := strings.TrimRight(*public, "/")
	queue, err := openFollowup(ctx, app, store, followupFlags{repo: *ghRepo, api: *ghAPI, glProject: *glProject, glURL: *glURL, private: *ghPrivate, slack: *slackHook, base: links,
		syncEvery: *syncEvery, remindAt: *remindAt, remindBefore: *remindBefore, log: opt.Log})
	if err != nil {
		return err
	}
	if queue != nil {
		opt.Followup = queue
	}
	srv, err := web.New(store, opt)
	if err != nil {
		if debrief.ErrorCode(err) == debrief.EINVALID {
			return usageError("serve: %v", err)
		}
		return err
	}
	defer srv.Close()
	if queue != nil {
		// Started once the server is sure to run, stopped (running jobs
		// finish) before the store closes.
		if err := queue.Start(ctx); err != nil {
			return err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			queue.Stop(sctx)
		}()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError("serve: %v", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(app.Stdout, "Debrief is listening on http://%s/\n", ln.Addr())
	if opt.OIDC != nil {
		fmt.Fprintf(app.Stdout, "single sign-on with %s; register %s as the client's redirect URL\n", sso.Issuer, sso.RedirectURL)
	}
	if login != "" {
		fmt.Fprintf(app.Stdout, "demo login: %s\n", login)
	}
	go func() {
		<-ctx.Done()
		srv.Close() // end the event streams, which Shutdown would wait for
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// seedDemo writes the embedded sample incident to dir, ingests it into a
// new database and makes an admin with a random password; it returns the
// login to print.
func seedDemo(ctx context.Context, app *App, dir, db string) (string, error) {
	src, _ := fs.Sub(examples.FS, "search-latency")
	inc := filepath.Join(dir, "search-latency")
	if err := os.CopyFS(inc, src); err != nil {
		return "", err
	}
	var tf timelineFlags
	tf.register(flag.NewFlagSet("", flag.ContinueOnError))
	tf.quiet = true
	batch, err := ingestBatch(ctx, app, &tf, []string{inc})
	if err != nil {
		return "", err
	}
	for i := range batch {
		batch[i].Name = strings.TrimPrefix(batch[i].Name, dir+string(filepath.Separator))
	}
	store, err := openStore(ctx, app, db)
	if err != nil {
		return "", err
	}
	defer store.Close()
	if err := store.CreateIncident(ctx, &debrief.Incident{ID: "search-latency", Title: "Search latency", Severity: "SEV2",
		Services: []string{"search-api"}, Lead: "sam", Status: debrief.StatusResolved}); err != nil {
		return "", err
	}
	if _, err := store.Ingest(ctx, "search-latency", batch...); err != nil {
		return "", err
	}
	if err := seedRetro(ctx, store); err != nil {
		return "", err
	}
	password, _ := web.NewToken()
	password = password[:16]
	hash, err := web.HashPassword(password, web.DefaultArgon2)
	if err != nil {
		return "", err
	}
	if err := store.CreateUser(ctx, &debrief.User{Name: "demo", DisplayName: "Demo admin", Role: debrief.RoleAdmin, PasswordHash: hash}); err != nil {
		return "", err
	}
	return "demo / " + password, nil
}

// runUser manages users: `debrief user add NAME [--role R]` and
// `debrief user token NAME [--name LABEL]`.
func runUser(ctx context.Context, app *App, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "token") {
		return usageError("user: want 'add NAME' or 'token NAME'")
	}
	verb := args[0]
	fset := flag.NewFlagSet("debrief user "+verb, flag.ContinueOnError)
	fset.SetOutput(app.Stderr)
	db := dbFlag(fset)
	role := fset.String("role", "member", "admin, member or viewer")
	display := fset.String("display-name", "", "the name shown in pages")
	email := fset.String("email", "", "email, for calendar invites")
	stdin := fset.Bool("password-stdin", false, "read the password from the first line of standard input (else one is generated and printed)")
	label := fset.String("name", "cli", "label of the API token")
	rest, err := parseInterspersed(fset, args[1:])
	if err != nil {
		return usageErr(err)
	}
	if len(rest) != 1 {
		return usageError("user %s: want one NAME", verb)
	}
	store, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if verb == "token" {
		u, err := store.UserByName(ctx, rest[0])
		if err != nil {
			return err
		}
		token, hash := web.NewToken()
		if err := store.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: *label, TokenHash: hash}); err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "%s\n", token)
		return nil
	}
	password, shown := "", false
	if *stdin {
		line, _ := bufio.NewReader(app.Stdin).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, _ = web.NewToken()
		password, shown = password[:20], true
	}
	hash, err := web.HashPassword(password, web.DefaultArgon2)
	if err != nil {
		return err
	}
	u := &debrief.User{Name: rest[0], DisplayName: *display, Email: *email, Role: debrief.Role(*role), PasswordHash: hash}
	if err := store.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "created %s (%s)\n", u.Name, u.Role)
	if shown {
		fmt.Fprintf(app.Stdout, "password: %s\n", password)
	}
	return nil
}

// seedRetro gives the demo a retro in progress and a history: factors and
// action items of the sample incident, and an earlier incident whose
// config-review factor came back while its fix is still open (the
// recurrence warning on the retro, room and review pages).
func seedRetro(ctx context.Context, st debrief.Store) error {
	now := time.Now().UTC()
	day := func(d int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
	}
	// Sixty days before the sample incident began (its events date it).
	began := time.Date(2025, 4, 3, 10, 12, 0, 0, time.UTC)
	if sample, err := st.Incident(ctx, "search-latency"); err == nil && !sample.StartedAt.IsZero() {
		began = sample.StartedAt.AddDate(0, 0, -60)
	}
	if err := st.CreateIncident(ctx, &debrief.Incident{ID: "checkout-errors", Title: "Checkout errors after a config push", Severity: "SEV2",
		Services: []string{"checkout-api"}, Lead: "kim", Status: debrief.StatusReviewed, StartedAt: began, CreatedAt: began}); err != nil {
		return err
	}
	old := &debrief.Factor{IncidentID: "checkout-errors", Text: "Config changes to checkout-api needed no review", Tags: []string{"config-review"}}
	if err := st.AddFactor(ctx, old); err != nil {
		return err
	}
	items := []*debrief.ActionItem{
		{IncidentID: "checkout-errors", Text: "Require a second reviewer for checkout-api config changes", Owner: "sam", Due: day(-20),
			Priority: debrief.PriorityHigh, Factors: []string{old.ID}},
	}
	var fs []*debrief.Factor
	for _, f := range []*debrief.Factor{
		{IncidentID: "search-latency", Text: "The connection pool size change needed no review", Tags: []string{"config-review", "search-pool"}},
		{IncidentID: "search-latency", Text: "No alert watched connection pool saturation", Tags: []string{"alerting"}},
		{IncidentID: "search-latency", Text: "The runbook pointed at a dashboard that no longer exists", Tags: []string{"runbooks"}},
	} {
		if err := st.AddFactor(ctx, f); err != nil {
			return err
		}
		fs = append(fs, f)
	}
	items = append(items,
		&debrief.ActionItem{IncidentID: "search-latency", Text: "Alert when search-api pool waits exceed 100 ms for 5 minutes", Owner: "priya",
			Due: day(7), Priority: debrief.PriorityHigh, Factors: []string{fs[1].ID}},
		&debrief.ActionItem{IncidentID: "search-latency", Text: "Require review of connection pool settings in search-api", Owner: "sam",
			Due: day(14), Priority: debrief.PriorityHigh, Factors: []string{fs[0].ID}},
		&debrief.ActionItem{IncidentID: "search-latency", Text: "Fix the dashboard links in the search runbook", Owner: "kim",
			Priority: debrief.PriorityNiceToHave, Factors: []string{fs[2].ID}})
	for _, a := range items {
		if err := st.AddAction(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
