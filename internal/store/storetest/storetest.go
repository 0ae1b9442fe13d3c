// Package storetest gives tests a fresh, migrated store on every engine
// available: always SQLite (a file in a temporary folder), and PostgreSQL
// when the PG* environment variables point at a server (pg_virtualenv sets
// them) or NETRA_TEST_POSTGRES holds a URL. Under CI (CI=true) a missing
// PostgreSQL fails the tests instead of skipping them.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/netra-id/netra/internal/store"
)

// Engine is a database engine tests can run on.
type Engine struct {
	Name string
	open func(t testing.TB) string // returns a database URL for a fresh database
}

// postgresURL returns the admin URL of the test server, or "".
func postgresURL() string {
	if u := os.Getenv("NETRA_TEST_POSTGRES"); u != "" {
		return u
	}
	if os.Getenv("PGHOST") != "" || os.Getenv("PGPORT") != "" {
		return "postgres:"
	}
	return ""
}

// Engines returns the engines to test on. Without PostgreSQL it logs why
// PostgreSQL is skipped, or fails the test under CI.
func Engines(t testing.TB) []Engine {
	t.Helper()
	out := []Engine{{Name: "sqlite", open: func(t testing.TB) string {
		return "sqlite:" + filepath.Join(t.TempDir(), "netra.db")
	}}}
	if admin := postgresURL(); admin != "" {
		out = append(out, Engine{Name: "postgres", open: func(t testing.TB) string { return freshPostgres(t, admin) }})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no PostgreSQL: set PGHOST (run under pg_virtualenv) or NETRA_TEST_POSTGRES")
	}
	return out
}

// freshPostgres creates an empty database on the test server and drops it
// when the test ends.
func freshPostgres(t testing.TB, admin string) string {
	t.Helper()
	dsn := admin
	if dsn == "postgres:" {
		dsn = ""
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "netra_test_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		db.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	})
	if admin == "postgres:" {
		u := url.URL{Scheme: "postgres", Path: "/" + name}
		q := url.Values{}
		if h := os.Getenv("PGHOST"); h != "" {
			q.Set("host", h)
		}
		if p := os.Getenv("PGPORT"); p != "" {
			q.Set("port", p)
		}
		if us := os.Getenv("PGUSER"); us != "" {
			q.Set("user", us)
		}
		if pw := os.Getenv("PGPASSWORD"); pw != "" {
			q.Set("password", pw)
		}
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
		return u.String()
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// URL returns the URL of a fresh, empty database on e.
func (e Engine) URL(t testing.TB) string { t.Helper(); return e.open(t) }

// Open returns a fresh, migrated store on e, closed when the test ends.
func (e Engine) Open(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, e.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// Each runs f as a subtest on every engine with a fresh store.
func Each(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { f(t, e.Open(t)) })
	}
}
