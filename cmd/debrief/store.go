package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/intake"
	"github.com/debriefhq/debrief/store/postgres"
	"github.com/debriefhq/debrief/store/sqlite"
)

// defaultDB is the SQLite file used when neither --db nor DEBRIEF_DB says
// otherwise: in the working directory, like the data of most self-hosted
// tools.
const defaultDB = "debrief.db"

// dbFlag registers --db on fs.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database: a SQLite file, or postgres://... (default $DEBRIEF_DB, else "+defaultDB+")")
}

// openStore opens the database named by --db, $DEBRIEF_DB or the default.
func openStore(ctx context.Context, app *App, db string) (debrief.Store, error) {
	if db == "" {
		db = app.Getenv("DEBRIEF_DB")
	}
	if db == "" {
		db = defaultDB
	}
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		s, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, debrief.Errorf(debrief.EINVALID, "%v", redactDSN(err.Error(), db))
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		return nil, debrief.Errorf(debrief.EINVALID, "%v", err)
	}
	return s, nil
}

// redactDSN keeps a connection string's password out of messages.
func redactDSN(msg, dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				msg = strings.ReplaceAll(msg, rest[colon+1:at], "[REDACTED]")
			}
		}
	}
	return msg
}

func runIngest(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief ingest", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	var tf timelineFlags
	tf.register(fs)
	db := dbFlag(fs)
	title := fs.String("title", "", "title of the incident when ingest creates it (default: its id)")
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Usage: debrief ingest [flags] INCIDENT INPUT...\n\nStores the inputs' timeline events in the incident (created if it does not exist), all of them or none; an input ingested before adds nothing.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	args, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(args) < 2 {
		fs.Usage()
		return usageError("ingest: want INCIDENT and at least one INPUT")
	}
	id, inputs := args[0], args[1:]
	// Parse everything before touching the database: bad input changes
	// nothing.
	batch, err := ingestBatch(ctx, app, &tf, inputs)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Incident(ctx, id); debrief.ErrorCode(err) == debrief.ENOTFOUND {
		t := *title
		if t == "" {
			t = id
		}
		if err := s.CreateIncident(ctx, &debrief.Incident{ID: id, Title: t}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	res, err := s.Ingest(ctx, id, batch...)
	if err != nil {
		return err
	}
	for i, r := range res {
		switch {
		case r.Repeated:
			fmt.Fprintf(app.Stdout, "%s: ingested before, nothing added\n", batch[i].Name)
		default:
			fmt.Fprintf(app.Stdout, "%s: %d events added", batch[i].Name, r.Added)
			if r.Duplicates > 0 {
				fmt.Fprintf(app.Stdout, ", %d already there", r.Duplicates)
			}
			fmt.Fprintln(app.Stdout)
		}
	}
	return nil
}

// ingestBatch parses the inputs into what an incident stores.
func ingestBatch(ctx context.Context, app *App, tf *timelineFlags, inputs []string) ([]debrief.IngestInput, error) {
	opt, runOpt, err := tf.options(app)
	if err != nil {
		return nil, err
	}
	return intake.Batch(ctx, inputs, intake.Options{Timeline: opt, Run: runOpt})
}

func runExport(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief export", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	db := dbFlag(fs)
	out := fs.String("o", "", "write to this file instead of stdout (written whole or not at all)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	s, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.Export(ctx)
	if err != nil {
		return err
	}
	return writeOutput(app, *out, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(d)
	})
}

func runImport(ctx context.Context, app *App, args []string) error {
	fs := flag.NewFlagSet("debrief import", flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	db := dbFlag(fs)
	args, err := parseInterspersed(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(args) != 1 {
		return usageError("import: want one FILE (from debrief export; - for stdin)")
	}
	var r io.Reader = app.Stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return usageError("import: %v", err)
		}
		defer f.Close()
		r = f
	}
	var d debrief.Dump
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return usageError("import: %s: %v", args[0], err)
	}
	s, err := openStore(ctx, app, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Import(ctx, &d); err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "imported %d incidents, %d inputs, %d events\n", len(d.Incidents), len(d.Inputs), len(d.Events))
	return nil
}
