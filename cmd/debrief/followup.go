package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/followup"
	"github.com/debriefhq/debrief/tracker/github"
	"github.com/debriefhq/debrief/tracker/gitlab"
)

type followupFlags struct {
	repo, api, slack, base, remindAt string
	glProject, glURL                 string
	private                          bool
	syncEvery, remindBefore          time.Duration
	log                              *slog.Logger
}

// openFollowup makes the background follow-up (tracker sync, reminders)
// when serve is told of a tracker or a channel; nil otherwise.
func openFollowup(ctx context.Context, app *App, store debrief.Store, f followupFlags) (*followup.Queue, error) {
	if f.slack == "" {
		f.slack = app.Getenv("DEBRIEF_SLACK_WEBHOOK")
	}
	if f.repo == "" && f.glProject == "" && f.slack == "" {
		return nil, nil
	}
	if f.repo != "" && f.glProject != "" {
		return nil, usageError("serve: --github-repo or --gitlab-project: one tracker at a time")
	}
	at, err := time.Parse("15:04", f.remindAt)
	if err != nil {
		return nil, usageError("serve: --remind-at %q: expected HH:MM (UTC)", f.remindAt)
	}
	cfg := followup.Config{BaseURL: f.base, SyncEvery: f.syncEvery, RemindBefore: f.remindBefore, TrackPrivate: f.private, Log: f.log,
		RemindAt: time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute}
	if f.repo != "" {
		gh, err := github.New(github.Config{Repo: f.repo, Token: app.Getenv("DEBRIEF_GITHUB_TOKEN"), APIURL: f.api})
		if err != nil {
			return nil, usageError("serve: %v", err)
		}
		cfg.Tracker = gh
	}
	if f.glProject != "" {
		g, err := gitlab.New(gitlab.Config{Project: f.glProject, Token: app.Getenv("DEBRIEF_GITLAB_TOKEN"), URL: f.glURL})
		if err != nil {
			return nil, usageError("serve: %v", err)
		}
		cfg.Tracker = g
	}
	if f.slack != "" {
		n, err := followup.NewSlackWebhook(f.slack)
		if err != nil {
			return nil, usageError("serve: %v", err)
		}
		cfg.Notifier = n
	}
	db, ok := store.(followup.Database)
	if !ok {
		return nil, fmt.Errorf("serve: this store cannot hold the follow-up job queue")
	}
	return followup.Open(ctx, store, db, cfg)
}
