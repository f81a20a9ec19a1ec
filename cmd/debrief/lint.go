package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/debriefhq/debrief/lint"
)

// maxDocSize bounds one document: postmortems are kilobytes; a file past
// this is not one.
const maxDocSize = 16 << 20

func runLint(ctx context.Context, app *App, args []string) error {
	fset := flag.NewFlagSet("debrief lint", flag.ContinueOnError)
	fset.SetOutput(app.Stderr)
	format := fset.String("format", "text", "output: text, json, sarif, github")
	cfgPath := fset.String("config", "", "config file (default: the .debrief.yaml found walking up from each document)")
	explain := fset.String("explain", "", "print why a rule (or family) exists, with examples, and exit")
	list := fset.Bool("list", false, "list the rules and exit")
	date := fset.String("date", "", "incident date for every document (YYYY-MM-DD), instead of the one read from it")
	var people, teams listFlag
	fset.Var(&people, "people", "names that count as people, comma-separated (repeatable)")
	fset.Var(&teams, "team", "team names, comma-separated (repeatable)")
	fset.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief lint [flags] FILE|DIR...\n\nChecks postmortems for blaming language and action items that will not land.\nExit 0: clean; 1: findings at error level; 2: usage or unreadable input.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	paths, err := parseInterspersed(fset, args)
	if err != nil {
		return usageErr(err)
	}
	switch {
	case *explain != "":
		s, err := lint.Explain(*explain)
		if err != nil {
			return usageError("lint: %v", err)
		}
		_, err = fmt.Fprint(app.Stdout, s)
		return err
	case *list:
		for _, r := range lint.Rules() {
			fmt.Fprintf(app.Stdout, "%-28s %-8s %s\n", r.ID, r.Severity, r.Summary)
		}
		return nil
	}
	write, err := lintWriter(*format)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fset.Usage()
		return usageError("lint: no FILE given")
	}
	opt := lint.Options{People: people, Teams: teams}
	if *date != "" {
		if opt.Date, err = time.Parse("2006-01-02", *date); err != nil {
			return usageError("lint: --date %q: want YYYY-MM-DD", *date)
		}
	}
	if *cfgPath != "" {
		src, err := os.ReadFile(*cfgPath)
		if err != nil {
			return usageError("lint: %v", err)
		}
		if opt.Config, err = lint.ParseConfig(*cfgPath, src, lint.KnownRule); err != nil {
			return usageError("%v", err)
		}
	}
	l, err := lint.New(opt)
	if err != nil {
		return err
	}
	files, err := lintFiles(paths)
	if err != nil {
		return err
	}
	// Configs first: a broken one stops the run before any output.
	for _, f := range files {
		if _, err := l.ConfigFor(f); err != nil {
			return usageError("%v", err)
		}
	}
	out := bufio.NewWriterSize(app.Stdout, 64<<10)
	var all []lint.Finding
	stream := *format == "text" || *format == "github"
	errorsFound := false
	err = lintAll(ctx, l, files, func(fs []lint.Finding) error {
		for _, f := range fs {
			errorsFound = errorsFound || f.Severity == lint.SeverityError
		}
		if stream {
			return write(out, fs)
		}
		all = append(all, fs...)
		return nil
	})
	if err != nil {
		return err
	}
	if !stream {
		if err := write(out, all); err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if errorsFound {
		return errFindings
	}
	return nil
}

type lintWrite func(w *bufio.Writer, fs []lint.Finding) error

func lintWriter(format string) (lintWrite, error) {
	switch format {
	case "text":
		return func(w *bufio.Writer, fs []lint.Finding) error { return lint.WriteText(w, fs) }, nil
	case "json":
		return func(w *bufio.Writer, fs []lint.Finding) error { return lint.WriteJSON(w, fs) }, nil
	case "sarif":
		return func(w *bufio.Writer, fs []lint.Finding) error { return lint.WriteSARIF(w, fs, version()) }, nil
	case "github":
		return func(w *bufio.Writer, fs []lint.Finding) error { return lint.WriteGitHub(w, fs) }, nil
	}
	return nil, usageError("lint: unknown --format %q (text, json, sarif, github)", format)
}

// lintFiles expands the arguments: files as given, directories walked for
// markdown and text files, in a stable order. A path that cannot be read is
// a usage error before anything is checked.
func lintFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, usageError("lint: %v", err)
		}
		if !st.IsDir() {
			if st.Size() > maxDocSize {
				return nil, usageError("lint: %s: %d bytes is too large for a postmortem (limit %d)", p, st.Size(), maxDocSize)
			}
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".md", ".markdown", ".mdown", ".mkd", ".txt":
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, usageError("lint: %v", err)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// lintAll checks files on every core and hands each file's findings to emit
// in input order.
func lintAll(ctx context.Context, l *lint.Linter, files []string, emit func([]lint.Finding) error) error {
	type result struct {
		fs  []lint.Finding
		err error
	}
	results := make([]chan result, len(files))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fs, err := l.LintFile(files[i])
				results[i] <- result{fs, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	for i := range files {
		r := <-results[i]
		if r.err != nil {
			cancel()
			var pe *fs.PathError
			if errors.As(r.err, &pe) {
				return usageError("lint: %v", r.err)
			}
			return usageError("lint: %s: %v", files[i], r.err)
		}
		if err := emit(r.fs); err != nil {
			return err
		}
	}
	return nil
}
