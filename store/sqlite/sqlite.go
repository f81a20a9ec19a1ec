// Package sqlite is Debrief's default store: one SQLite file (WAL, so pages
// read while a write goes on), opened with the pure-Go modernc.org/sqlite
// driver, migrations embedded and applied on open, full-text search with
// FTS5.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/debriefhq/debrief/store/sqlstore"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // the driver
)

//go:embed migrations/*.sql
var migrations embed.FS

var dialect = sqlstore.Dialect{
	Goose: goose.DialectSQLite3,
	SearchIncidents: `SELECT i.id, '', i.title, snippet(incidents_fts, 0, '[', ']', '…', 12), NULL, -bm25(incidents_fts)
		FROM incidents_fts JOIN incidents i ON i.rowid = incidents_fts.rowid
		WHERE incidents_fts MATCH ? ORDER BY bm25(incidents_fts) LIMIT ?`,
	SearchEvents: `SELECT e.incident_id, e.id, i.title, snippet(events_fts, 0, '[', ']', '…', 16), e.time + inp.clock_offset, -bm25(events_fts)
		FROM events_fts JOIN events e ON e.rowid = events_fts.rowid JOIN incidents i ON i.id = e.incident_id JOIN inputs inp ON inp.id = e.input_id
		WHERE events_fts MATCH ? AND e.hidden = 0 ORDER BY bm25(events_fts) LIMIT ?`,
	TitleMatch: `i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)`,
	// Each word a quoted FTS5 string with a prefix match: nothing of the
	// user's text is FTS5 syntax.
	Query: func(words []string) string {
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
		}
		return strings.Join(q, " ")
	},
}

// Open opens (creating it if needed) the database file at path and brings
// its schema up to date.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers take the lock when they begin: no upgrade deadlocks
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A few connections serve every core (readers never wait in WAL);
	// writers queue for a connection instead of spinning on the lock.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	sub, _ := fs.Sub(migrations, "migrations")
	s, err := sqlstore.Open(ctx, db, dialect, sub)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
