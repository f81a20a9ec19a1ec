// Package postgres is Debrief's store for teams: PostgreSQL through pgx,
// migrations embedded and applied on open, full-text search with tsvector.
// Several `debrief serve` instances share one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/debriefhq/debrief/store/sqlstore"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

var dialect = sqlstore.Dialect{
	Goose:     goose.DialectPostgres,
	Numbered:  true,
	Notify:    `SELECT pg_notify('` + channel + `', ?)`,
	ForUpdate: " FOR UPDATE",
	SearchIncidents: `SELECT i.id, '', i.title, i.title, NULL::bigint, ts_rank(i.search, q)::float8
		FROM incidents i, to_tsquery('simple', ?) q WHERE i.search @@ q ORDER BY 6 DESC LIMIT ?`,
	SearchEvents: `SELECT e.incident_id, e.id, i.title,
			ts_headline('simple', e.text, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8'), e.time + inp.clock_offset, ts_rank(e.search, q)::float8
		FROM events e JOIN incidents i ON i.id = e.incident_id JOIN inputs inp ON inp.id = e.input_id, to_tsquery('simple', ?) q
		WHERE e.search @@ q AND NOT e.hidden ORDER BY 6 DESC LIMIT ?`,
	TitleMatch: `i.search @@ to_tsquery('simple', ?)`,
	// Each word a prefix-matching lexeme; Words left only letters and
	// digits, so nothing of the user's text is tsquery syntax.
	Query: func(words []string) string {
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = w + ":*"
		}
		return strings.Join(q, " & ")
	},
}

// channel is the LISTEN/NOTIFY channel changes go through.
const channel = "debrief_changes"

// Store is the PostgreSQL store: the SQL store, and changes heard from
// every instance through LISTEN.
type Store struct {
	*sqlstore.DB
	dsn string
}

// Watch listens on a connection of its own for the changes any instance
// commits; the channel closes when ctx ends or the connection is lost (the
// caller watches again).
func (s *Store) Watch(ctx context.Context) (<-chan string, error) {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		defer conn.Close(context.Background())
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				return
			}
			select {
			case ch <- n.Payload:
			default:
			}
		}
	}()
	return ch, nil
}

// Open connects to the database at dsn (postgres://...) and brings its
// schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	s, err := sqlstore.Open(ctx, db, dialect, sub)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{DB: s, dsn: dsn}, nil
}
