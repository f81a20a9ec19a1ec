// Command loadtest drives `debrief serve`'s handler on loopback: concurrent
// readers of an incident page with a 10,000-event timeline, participants of
// a retro room refreshing its lists, then concurrent writers, and checks
// that every acknowledged write is found afterwards.
//
//	go run ./scripts/loadtest                       # SQLite in a temporary file
//	go run ./scripts/loadtest -db postgres://...    # PostgreSQL
//
// It prints requests per second and p50/p99 latency, and exits 1 when a
// target is missed (p99 under 50 ms for 50 readers; no lost write).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/followup"
	"github.com/debriefhq/debrief/store/postgres"
	"github.com/debriefhq/debrief/store/sqlite"
	"github.com/debriefhq/debrief/web"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	dsn := flag.String("db", "", "postgres://... (default: a temporary SQLite file)")
	readers := flag.Int("readers", 50, "concurrent readers")
	writers := flag.Int("writers", 20, "concurrent writers")
	events := flag.Int("events", 10000, "events in the incident")
	dur := flag.Duration("d", 10*time.Second, "how long each phase runs")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the run")
	queue := flag.Bool("followup", false, "run the follow-up job queue (reminders to a local sink) beside the server, as serve --slack-webhook does")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // as debrief serve runs
	}
	if *prof != "" {
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*dsn, *readers, *writers, *events, *dur, *queue); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(dsn string, readers, writers, nevents int, dur time.Duration, queue bool) error {
	ctx := context.Background()
	var st debrief.Store
	var err error
	backend := "postgres"
	if dsn == "" {
		dir, _ := os.MkdirTemp("", "debrief-load-*")
		defer os.RemoveAll(dir)
		st, err = sqlite.Open(ctx, filepath.Join(dir, "debrief.db"))
		backend = "sqlite"
	} else {
		// A database of its own on that server, dropped at the end.
		name := fmt.Sprintf("debrief_load_%d", time.Now().UnixNano()%1e9)
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			return err
		}
		defer admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		u, _ := url.Parse(dsn)
		u.Path = "/" + name
		st, err = postgres.Open(ctx, u.String())
		if err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	defer st.Close()
	incID := fmt.Sprintf("load-%d", time.Now().UnixNano()%1e9)
	if err := st.CreateIncident(ctx, &debrief.Incident{ID: incID, Title: "Load test"}); err != nil {
		return err
	}
	t0 := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	evs := make([]debrief.Event, nevents)
	for i := range evs {
		evs[i] = debrief.Event{ID: fmt.Sprintf("e%05d", i), Time: t0.Add(time.Duration(i) * time.Second), Source: debrief.SourceSlack,
			Kind: debrief.KindMessage, Actor: "sam", Channel: "inc", Text: fmt.Sprintf("message %d: p99 on search-api is %d ms", i, 100+i%900), Ref: fmt.Sprint(i)}
	}
	if _, err := st.Ingest(ctx, incID, debrief.IngestInput{Name: "load", Format: "slack", Digest: incID, Events: evs}); err != nil {
		return err
	}
	tokens := map[debrief.Role]string{}
	for _, role := range []debrief.Role{debrief.RoleViewer, debrief.RoleMember} {
		h, _ := web.HashPassword("load-test-password", web.Argon2{Memory: 1024, Time: 1, Threads: 1})
		u := &debrief.User{Name: fmt.Sprintf("%s-%s", role, incID), Role: role, PasswordHash: h}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
		tok, hash := web.NewToken()
		st.CreateToken(ctx, &debrief.APIToken{UserID: u.ID, Name: "load", TokenHash: hash})
		tokens[role] = tok
	}
	if queue {
		// The job queue shares the database: its polling must not slow
		// the server's readers and writers.
		sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
		defer sink.Close()
		n, err := followup.NewSlackWebhook(sink.URL + "/hook")
		if err != nil {
			return err
		}
		q, err := followup.Open(ctx, st, st.(followup.Database), followup.Config{Notifier: n, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			return err
		}
		if err := q.Start(ctx); err != nil {
			return err
		}
		defer q.Stop(ctx)
		fmt.Println("with the follow-up job queue running")
	}
	srv, err := web.New(st, web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers + writers}}

	fmt.Printf("backend %s, incident with %d events, %s per phase\n", backend, nevents, dur)
	// Readers.
	lat, n, fails := hammer(readers, dur, func() (int, error) {
		req, _ := http.NewRequest("GET", base+"/incidents/"+incID, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[debrief.RoleViewer])
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, nil
	})
	p50, p99 := pct(lat, 50), pct(lat, 99)
	fmt.Printf("readers %d: %d requests, %.0f req/s, p50 %s, p99 %s, %d failed\n", readers, n, float64(n)/dur.Seconds(), p50, p99, fails)
	if backend == "sqlite" {
		fmt.Printf("  target (SQLite): p99 under 50ms: %v\n", p99 < 50*time.Millisecond)
	}
	ok := fails == 0
	if backend == "sqlite" && p99 >= 50*time.Millisecond {
		fmt.Printf("  target missed: p99 %s is not under 50ms\n", p99)
		ok = false
	}
	// The live retro room: every participant's page refreshes its lists
	// when anything changes (the htmx fragment the event stream triggers),
	// a room of 12 factors and 8 action items, each checked for blaming
	// wording, in the factors phase.
	m := &debrief.Meeting{IncidentID: incID, Facilitator: "priya", Phase: debrief.PhaseFactors}
	if err := st.CreateMeeting(ctx, m); err != nil {
		return err
	}
	for i := range 12 {
		text := fmt.Sprintf("Condition %d: the pool size change needed no review", i)
		if i%4 == 0 {
			text = fmt.Sprintf("Sam forgot to check the pool size (%d)", i)
		}
		if err := st.AddFactor(ctx, &debrief.Factor{IncidentID: incID, Text: text, Tags: []string{fmt.Sprintf("tag-%d", i%3)}}); err != nil {
			return err
		}
	}
	for i := range 8 {
		if err := st.AddAction(ctx, &debrief.ActionItem{IncidentID: incID, Text: fmt.Sprintf("Alert when pool waits exceed %d ms", 100+i),
			Owner: "kim", Due: t0.AddDate(1, 0, i), Priority: debrief.PriorityNiceToHave}); err != nil {
			return err
		}
	}
	roomURL := base + "/incidents/" + incID + "/meetings/" + m.ID + "?fragment=live&ended=0&phase=factors"
	lat, n, fails = hammer(readers, dur, func() (int, error) {
		req, _ := http.NewRequest("GET", roomURL, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[debrief.RoleViewer])
		req.Header.Set("HX-Request", "true")
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, nil
	})
	p99 = pct(lat, 99)
	fmt.Printf("room %d participants refreshing: %d requests, %.0f req/s, p50 %s, p99 %s, %d failed\n", readers, n, float64(n)/dur.Seconds(), pct(lat, 50), p99, fails)
	if fails > 0 {
		ok = false
	}

	// Writers: each owns a slice of the events and annotates them in turn;
	// the last acknowledged value of every event must be what is stored.
	var mu sync.Mutex
	acked := map[string]string{}
	counter := make([]int, writers) // each writer's own count: no sharing
	lat, n, fails = hammerN(writers, dur, func(w int) (int, error) {
		counter[w]++
		ev := fmt.Sprintf("e%05d", (w+writers*(counter[w]%max(nevents/writers, 1)))%nevents)
		note := fmt.Sprintf("writer %d note %d", w, counter[w])
		body := strings.NewReader(`{"annotation": ` + quote(note) + `}`)
		req, _ := http.NewRequest("PATCH", base+"/api/v1/incidents/"+incID+"/events/"+ev, body)
		req.Header.Set("Authorization", "Bearer "+tokens[debrief.RoleMember])
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == 200 {
			mu.Lock()
			acked[ev] = note
			mu.Unlock()
		}
		return res.StatusCode, nil
	})
	fmt.Printf("writers %d: %d writes, %.0f writes/s, p50 %s, p99 %s, %d failed\n", writers, n, float64(n)/dur.Seconds(), pct(lat, 50), pct(lat, 99), fails)
	stored, err := st.Events(ctx, incID, debrief.EventFilter{})
	if err != nil {
		return err
	}
	lost := 0
	for _, e := range stored {
		if want, ok := acked[e.ID]; ok && e.Annotation != want {
			lost++
		}
	}
	fmt.Printf("acknowledged writes checked: %d events, %d lost\n", len(acked), lost)
	if lost > 0 || fails > 0 {
		ok = false
	}
	if !ok {
		return fmt.Errorf("a target was missed")
	}
	return nil
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// hammer runs fn on c goroutines for d and returns the latencies of the
// successful calls, how many there were and how many failed.
func hammer(c int, d time.Duration, fn func() (int, error)) ([]time.Duration, int, int) {
	return hammerN(c, d, func(int) (int, error) { return fn() })
}

func hammerN(c int, d time.Duration, fn func(w int) (int, error)) ([]time.Duration, int, int) {
	var mu sync.Mutex
	var all []time.Duration
	fails := 0
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(stop) {
				start := time.Now()
				code, err := fn(w)
				if err != nil || code >= 300 {
					bad++
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			all = append(all, mine...)
			fails += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, len(all), fails
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}
