// Command debrief prepares, runs and follows up blameless incident
// retrospectives. This file dispatches subcommands and maps errors to exit
// codes; each subcommand lives in its own file and is the only place that
// wires packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strings"

	"github.com/debriefhq/debrief"
)

// Exit codes, as documented in the README.
const (
	exitOK       = 0
	exitFindings = 1
	exitInvalid  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit keeps the heap small on huge inputs; the timeline
		// spills to disk rather than growing.
		debug.SetMemoryLimit(heapLimit)
	}
	prepareHeap(os.Args[1:]) // before anything is allocated
	if os.Getenv("GOGC") == "" {
		// The live heap is small and bounded (the builder's budget), so the
		// collector may let garbage reach twice it before running: a
		// tenth less CPU on large inputs, within the limit above.
		debug.SetGCPercent(200)
	}
	// For performance work: DEBRIEF_CPUPROFILE=cpu.prof debrief timeline ...
	// profiles the CPU; DEBRIEF_MEMPROFILE=mem.prof writes what was
	// allocated where (go tool pprof -sample_index=alloc_space);
	// DEBRIEF_TRACE=trace.out writes an execution trace (go tool trace),
	// which shows when the cores wait and on what.
	if p := os.Getenv("DEBRIEF_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if p := os.Getenv("DEBRIEF_TRACE"); p != "" {
		if f, err := os.Create(p); err == nil {
			trace.Start(f)
			defer f.Close()
			defer trace.Stop()
		}
	}
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	trace.Stop()
	if p := os.Getenv("DEBRIEF_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	pprof.StopCPUProfile()
	os.Exit(code)
}

// App is one invocation's environment, so tests run the real program in
// process.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (tests replace it).
	Getenv func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, app *App, args []string) error
}

func commands() []command {
	return []command{
		{"timeline", "merge inputs into one chronological, redacted timeline", runTimeline},
		{"draft", "write the retro doc and facilitator pack from the inputs", runDraft},
		{"lint", "check postmortems for blaming language and action items that will not land", runLint},
		{"ingest", "store inputs' events in an incident of the database", runIngest},
		{"postmortem", "write an incident's postmortem from its retro in the database", runPostmortem},
		{"review", "the recurring review of open action items across incidents, and recurrences", runReview},
		{"export", "write the whole database as JSON", runExport},
		{"import", "load a JSON export into an empty database", runImport},
		{"serve", "the web app (--demo: the sample incident on a temporary database)", runServe},
		{"user", "add a user (user add NAME --role admin) or make an API token (user token NAME)", runUser},
		{"formats", "list the input formats Debrief reads", runFormats},
		{"version", "print the version", runVersion},
	}
}

// Run runs the program with args and returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitInvalid
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(stderr, c.run(ctx, app, args[1:]))
		}
	}
	fmt.Fprintf(stderr, "debrief: unknown command %q\n", args[0])
	usage(stderr)
	return exitInvalid
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Debrief prepares and follows up blameless incident retrospectives.\n\nUsage:\n  debrief COMMAND [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'debrief COMMAND -h' for a command's flags.\n")
}

// errFindings is returned by commands that completed but found problems.
var errFindings = errors.New("findings")

func exitCode(stderr io.Writer, err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	}
	fmt.Fprintf(stderr, "debrief: %v\n", err)
	if debrief.ErrorCode(err) == debrief.EINTERNAL {
		return exitFindings
	}
	return exitInvalid
}

func notYet(_ context.Context, _ *App, _ []string) error {
	return debrief.Errorf(debrief.EINVALID, "this command is not built yet")
}

func runVersion(_ context.Context, app *App, _ []string) error {
	fmt.Fprintf(app.Stdout, "debrief %s\n", version())
	return nil
}

// version is the module version the binary was built from, or "devel".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "devel"
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments ("debrief timeline a.zip --format json b.txt").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError marks a command-line mistake (exit 2).
func usageError(format string, args ...any) error {
	return debrief.Errorf(debrief.EINVALID, format, args...)
}

// listFlag collects a repeatable, comma-separable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// mapFlag collects repeatable KEY=VALUE flags.
type mapFlag map[string]string

func (m mapFlag) String() string { return "" }
func (m mapFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("expected INPUT=VALUE, got %q", v)
	}
	m[k] = val
	return nil
}
