package shellhist

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/google/go-cmp/cmp"
)

func TestParseSamples(t *testing.T) {
	const (
		zsh  = debrief.SourceZsh
		bash = debrief.SourceBash
		fish = debrief.SourceFish
	)
	tests := []struct {
		format string
		file   string
		want   []*debrief.Event
		notes  []string
	}{
		{"zsh", "alice.zsh_history", []*debrief.Event{
			ev(zsh, "alice.zsh_history", "alice", 1, 1710251830, "cd ~/src/checkout"),
			ev(zsh, "alice.zsh_history", "alice", 2, 1710251845, "kubectl -n checkout get pods -o wide"),
			ev(zsh, "alice.zsh_history", "alice", 3, 1710251902,
				"kubectl -n checkout logs deploy/checkout --since=10m | grep -i 'timeout'"),
			ev(zsh, "alice.zsh_history", "alice", 4, 1710252010, "kubectl -n checkout rollout history deploy/checkout"),
			ev(zsh, "alice.zsh_history", "alice", 5, 1710252071,
				"kubectl -n checkout rollout undo deploy/checkout \\\n  --to-revision=41"),
			ev(zsh, "alice.zsh_history", "alice", 7, 1710252160, "while true; do\n"+
				"  curl -s -o /dev/null -w '%{http_code}\\n' https://checkout.acme.internal/healthz\n"+
				"  sleep 2\ndone"),
			ev(zsh, "alice.zsh_history", "alice", 11, 1710252300,
				"git commit -m 'revert: checkout pool 50 → 20 — incident 4312'"),
			ev(zsh, "alice.zsh_history", "alice", 12, 1710252366, "echo 'à bientôt, ça marche' > /tmp/status.txt"),
		}, nil},
		{"bash", "bob.bash_history", []*debrief.Event{
			ev(bash, "bob.bash_history", "bob", 1, 1710252100, "kubectl -n search get pods"),
			ev(bash, "bob.bash_history", "bob", 3, 1710252133, "kubectl -n search describe pod search-7f9c4d-x2p"),
			ev(bash, "bob.bash_history", "bob", 5, 1710252201,
				"curl -sS -X POST https://alertmanager.acme.internal/api/v2/silences \\\n"+
					"  -H 'Content-Type: application/json' \\\n  -d @silence-search.json"),
			ev(bash, "bob.bash_history", "bob", 10, 1710252290, "helm -n search rollback search 17"),
		}, nil},
		{"fish", "carol.fish_history", []*debrief.Event{
			ev(fish, "carol.fish_history", "carol", 1, 1710252050,
				"kubectl -n payments get events --sort-by=.lastTimestamp"),
			ev(fish, "carol.fish_history", "carol", 3, 1710252077, "cat ~/runbooks/payments.md"),
			ev(fish, "carol.fish_history", "carol", 7, 1710252140,
				"psql -h payments-db.acme.internal -c 'select count(*) from pg_stat_activity;'"),
			ev(fish, "carol.fish_history", "carol", 9, 1710252233, "for p in (kubectl -n payments get pods -o name)\n"+
				"    kubectl -n payments logs $p --since=5m | grep -c 'pool exhausted'\nend"),
			ev(fish, "carol.fish_history", "carol", 11, 1710252300,
				`printf 'pool\texhausted\n' | tee -a ~/incident-4312.log`),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := parseWith(t, format(t, tt.format), os.DirFS("testdata"), tt.file, false)
			if got.err != nil {
				t.Fatal(got.err)
			}
			if diff := cmp.Diff(tt.want, got.events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, got.notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShareIdentity checks that all events of one history share one
// Identity, so the timeline joins them as one person cheaply.
func TestShareIdentity(t *testing.T) {
	got := parseWith(t, format(t, "zsh"), os.DirFS("testdata"), "alice.zsh_history", false)
	if len(got.events) < 2 || got.events[0].Identity != got.events[1].Identity {
		t.Fatalf("events do not share one identity pointer")
	}
}

func TestActor(t *testing.T) {
	tests := []struct {
		name, actor, want string
		wantIdentity      bool
	}{
		{"alice.zsh_history", "", "alice", true},
		{"alice.zsh_history", "sam", "sam", true},
		{".zsh_history", "", "", false},
		{"zsh_history", "", "", false},
	}
	for _, tt := range tests {
		var got []*debrief.Event
		in := &ingest.Input{
			FS:   fstest.MapFS{tt.name: &fstest.MapFile{Data: []byte(": 1710251830:0;ls\n")}},
			Path: tt.name, Name: tt.name, Zone: time.UTC, Actor: tt.actor,
		}
		err := format(t, "zsh").Parser.Parse(context.Background(), in, func(e *debrief.Event) error {
			got = append(got, e)
			return nil
		})
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %v, %d events", tt.name, err, len(got))
		}
		e := got[0]
		if e.Actor != tt.want || (e.Identity != nil) != tt.wantIdentity {
			t.Errorf("%s (actor %q): Actor %q, Identity %v; want %q, identity %v",
				tt.name, tt.actor, e.Actor, e.Identity, tt.want, tt.wantIdentity)
		}
		if e.Identity != nil && (e.Identity.Handle != tt.want || e.Identity.Source != debrief.SourceZsh) {
			t.Errorf("%s: Identity %+v", tt.name, e.Identity)
		}
	}
}

func TestOwnerFromName(t *testing.T) {
	tests := map[string]string{
		"alice.zsh_history":          "alice",
		"bob.bash_history":           "bob",
		"sam.history.txt":            "sam",
		"home/dan/dan.fish_history":  "dan",
		".zsh_history":               "",
		".bash_history":              "",
		"zsh_history":                "",
		"fish_history":               "",
		"history.txt":                "",
		"bash_history.txt":           "",
		"zsh.txt":                    "",
		"export.zip:erin.bash_hist":  "erin",
		"/var/tmp/priya.zsh_history": "priya",
	}
	for name, want := range tests {
		if got := OwnerFromName(name); got != want {
			t.Errorf("OwnerFromName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestRefuseUntimed checks that histories without timestamps are refused
// with advice on how to record them.
func TestRefuseUntimed(t *testing.T) {
	tests := []struct {
		format, file string
		line         int
		advice       []string
	}{
		{"bash", "plain/erin.bash_history", 1, []string{"export HISTTIMEFORMAT='%F %T '", "stay untimed", "setopt EXTENDED_HISTORY"}},
		{"zsh", "plain/.zsh_history", 1, []string{"setopt EXTENDED_HISTORY"}},
	}
	for _, tt := range tests {
		got := parseWith(t, format(t, tt.format), os.DirFS("testdata"), tt.file, true)
		ie := inputError(t, got.err)
		if ie.Line != tt.line || ie.File != tt.file {
			t.Errorf("%s: error at %s:%d, want %s:%d", tt.file, ie.File, ie.Line, tt.file, tt.line)
		}
		for _, a := range tt.advice {
			if !strings.Contains(ie.Msg, a) {
				t.Errorf("%s: message %q lacks %q", tt.file, ie.Msg, a)
			}
		}
		if len(got.events) != 0 {
			t.Errorf("%s: %d events from an untimed history", tt.file, len(got.events))
		}
	}
}
