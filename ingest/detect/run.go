package detect

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/debriefhq/debrief/ingest"
)

// RunOptions apply to every job of a run.
type RunOptions struct {
	// Zone for times without one (default UTC); Zones overrides it per
	// argument or per input name.
	Zone  *time.Location
	Zones map[string]*time.Location
	// Actors sets the owner of an input (a shell history) by argument or name.
	Actors map[string]string
	// DateOrder reads dates written with numbers alone (03/01/2024) day or
	// month first; empty: each input's own dates tell.
	DateOrder ingest.DateOrder
	// Channels narrows chat exports.
	Channels []string
	// SkipBad skips bad records instead of stopping at the first.
	SkipBad bool
	// Note receives remarks from parsers; called from several goroutines
	// one at a time.
	Note func(input, msg string)
}

// Result sums up a run.
type Result struct {
	Skipped int64 // bad records skipped with SkipBad
}

// Run parses every job, several at a time, into emit. The first error stops
// the run; nothing is half-reported because the caller writes output only
// after Run returns.
func Run(ctx context.Context, jobs []Job, opt RunOptions, emit ingest.Emit) (Result, error) {
	var skipped atomic.Int64
	var noteMu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range jobs {
		in := jobs[i].Input
		in.Zone = pickZone(opt.Zones, opt.Zone, jobs[i].Arg, in.Name)
		if in.Zone == nil {
			in.Zone = time.UTC
		}
		in.Actor = pickString(opt.Actors, jobs[i].Arg, in.Name)
		in.Channels = opt.Channels
		in.DateOrder = opt.DateOrder
		in.Bad = func(err error) error {
			if !opt.SkipBad {
				return err
			}
			skipped.Add(1)
			return nil
		}
		in.Note = func(msg string) {
			if opt.Note != nil {
				noteMu.Lock()
				opt.Note(in.Name, msg)
				noteMu.Unlock()
			}
		}
		parser := jobs[i].Format.Parser
		g.Go(func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%s: internal error while parsing (please report it): %v", in.Name, r)
				}
			}()
			return parser.Parse(ctx, &in, emit)
		})
	}
	err := g.Wait()
	return Result{Skipped: skipped.Load()}, err
}

func pickZone(m map[string]*time.Location, def *time.Location, keys ...string) *time.Location {
	for _, k := range keys {
		if z, ok := m[k]; ok {
			return z
		}
	}
	return def
}

func pickString(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return ""
}
