package followup

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// SlackWebhook posts reminders to a Slack channel through an incoming
// webhook (slack-go). The webhook's address is a secret: errors never
// repeat it.
type SlackWebhook struct {
	url    string
	client *http.Client
}

// NewSlackWebhook checks the address (https://hooks.slack.com/services/...,
// or any http(s) address that takes Slack's payload, as Mattermost's).
func NewSlackWebhook(addr string) (*SlackWebhook, error) {
	u, err := url.Parse(strings.TrimSpace(addr))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("Slack webhook: expected https://hooks.slack.com/services/...")
	}
	return &SlackWebhook{url: u.String(), client: &http.Client{Timeout: 30 * time.Second}}, nil
}

func (s *SlackWebhook) Notify(ctx context.Context, text string) error {
	err := slack.PostWebhookCustomHTTPContext(ctx, s.url, s.client, &slack.WebhookMessage{Text: text})
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), s.url, "[webhook]")
		if u, perr := url.Parse(s.url); perr == nil && len(u.Path) > 1 {
			msg = strings.ReplaceAll(msg, u.Path, "/[webhook]")
		}
		return fmt.Errorf("Slack webhook: %s", msg)
	}
	return nil
}
