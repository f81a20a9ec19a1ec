#!/bin/sh
# Load benchmark of the web app (scripts/loadtest): 50 concurrent readers of
# an incident page with a 10,000-event timeline, 50 participants refreshing a
# retro room, then 20 concurrent writers;
# every acknowledged write is checked afterwards. SQLite, then PostgreSQL
# (DEBRIEF_TEST_POSTGRES, else the local server; a database of its own is
# created and dropped).
#
#   scripts/bench-web.sh            # 10 s per phase
#   D=30s scripts/bench-web.sh
set -eu
cd "$(dirname "$0")/.."
D=${D:-10s}
go build -o bin/loadtest ./scripts/loadtest
status=0
bin/loadtest -d "$D" || status=1
PG=${DEBRIEF_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
# PostgreSQL: the no-lost-write target (the p99 target is SQLite's).
bin/loadtest -d "$D" -db "$PG" || status=1
exit $status
