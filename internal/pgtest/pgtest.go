// Package pgtest gives tests a fresh PostgreSQL database each: on the server
// named by DEBRIEF_TEST_POSTGRES, else the one this project's machines run
// (127.0.0.1:5432, user postgres, database test), else a throwaway cluster
// started from Debian's binaries. Where none can be had the tests skip
// loudly, unless CI=true: then they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once    sync.Once
	admin   string // DSN of a database to create test databases from
	skipErr error
)

// DSN returns the address of a new, empty database, dropped when the test
// ends.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(func() { admin, skipErr = find() })
	if skipErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required under CI: %v", skipErr)
		}
		t.Skipf("LOUD SKIP: no PostgreSQL (%v); set DEBRIEF_TEST_POSTGRES=postgres://... to run these tests", skipErr)
	}
	var r [6]byte
	rand.Read(r[:])
	name := "debrief_test_" + hex.EncodeToString(r[:])
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			db.Close()
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func ping(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

func find() (string, error) {
	if dsn := os.Getenv("DEBRIEF_TEST_POSTGRES"); dsn != "" {
		return dsn, ping(dsn)
	}
	local := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	if ping(local) == nil {
		return local, nil
	}
	return startCluster()
}

// startCluster starts a throwaway cluster (about 3 s) that lives as long
// as the test binary; its directory is removed by the OS's temp cleanup.
func startCluster() (string, error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return "", fmt.Errorf("no server at 127.0.0.1:5432 and no initdb to start one")
	}
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "debrief-pg-*")
	if err != nil {
		return "", err
	}
	port := "55432"
	run := func(args ...string) error {
		cmd := exec.Command(args[0], args[1:]...)
		if os.Geteuid() == 0 {
			exec.Command("chown", "postgres", dir).Run()
			cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", filepath.Base(args[0]), err, out)
		}
		return nil
	}
	if err := run(filepath.Join(bin, "initdb"), "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"); err != nil {
		return "", err
	}
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", dir, "-l", filepath.Join(dir, "server.log"), "-w",
		"-o", "-c listen_addresses=127.0.0.1 -p "+port+" -k "+dir+" -c fsync=off", "start"); err != nil {
		return "", err
	}
	dsn := "postgres://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable"
	return dsn, ping(dsn)
}
