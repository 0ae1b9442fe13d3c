// Package store is the only package that speaks SQL. It keeps Netra's data
// in SQLite (the embedded default, one file in the data folder) or in
// PostgreSQL (for provinces and the national level), through one set of
// hand-written queries in the subset both engines share, with $1…$n
// placeholders numbered in order of first use. The dialect switch appears
// only where it pays: bulk loading and job claiming.
//
// Every write runs in a transaction that also appends to the hash-chained
// audit log, from the actor in the context; a write without an actor is
// refused.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/keyring"
)

// Dialect names the database engine behind a Store.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrations embed.FS

// Store holds the database handles. For SQLite there is one writer
// connection (SQLite allows one writer at a time; queuing in Go is cheaper
// than busy-waiting in SQLite) and a pool of readers; for PostgreSQL both
// are the same pool.
type Store struct {
	dialect Dialect
	w       *sql.DB // writes
	r       *sql.DB // reads
	url     string
	clock   netra.Clock
	keys    *keyring.Keyring

	pledges pledgeBatcher  // queued online signatures (pledge_batch.go)
	touches sessionTouches // sessions seen, not yet written (session.go)
	reads   stmtCache      // reads prepared once on SQLite's readers (pledge_batch_sql.go)
}

// Option configures a Store at Open.
type Option func(*Store)

// WithClock makes the store read the time from c (default: the system clock).
func WithClock(c netra.Clock) Option {
	return func(s *Store) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithKeyring gives the store the master key kept outside the database, with
// which it seals secrets (TOTP, signing keys, queued sign-in codes) and keys
// the audit chain. Without it the store makes a random one that lives as
// long as the process: fine for tests and benchmarks, never for a real
// installation (cmd/netra always passes the data folder's key).
func WithKeyring(k *keyring.Keyring) Option {
	return func(s *Store) {
		if k != nil {
			s.keys = k
		}
	}
}

// SetClock replaces the store's clock; call it before the store is shared
// (tests that build the store first and the clock after use it).
func (s *Store) SetClock(c netra.Clock) { WithClock(c)(s) }

// Clock returns the clock the store reads the time from, so that the parts
// built on the store share it.
func (s *Store) Clock() netra.Clock { return s.clock }

// now returns the store clock's time.
func (s *Store) now() time.Time { return s.clock.Now() }

// Open connects to the database named by rawURL: "sqlite:path/to/file.db"
// (the file and its folder are created) or "postgres://…" ("postgres:" alone
// takes every setting from the PG* environment variables). It does not
// migrate; call Migrate.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	var s *Store
	var err error
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		s, err = openSQLite(ctx, strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//"))
	case strings.HasPrefix(rawURL, "postgres:"), strings.HasPrefix(rawURL, "postgresql:"):
		s, err = openPostgres(ctx, rawURL)
	default:
		return nil, fmt.Errorf("store: unsupported database URL %q: want sqlite:PATH or postgres://…", redact(rawURL))
	}
	if err != nil {
		return nil, err
	}
	s.clock = netra.SystemClock()
	s.keys = keyring.Generate()
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: sqlite URL needs a file path (sqlite:data/netra.db)")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create database folder: %w", err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	// WAL lets readers run beside the writer; synchronous=FULL makes every
	// acknowledged commit survive a power cut, not just a process crash.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)",
		"foreign_keys(1)", "cache_size(-32000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	q.Set("_pragma", "query_only(1)")
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "cache_size(-8000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "deferred")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(max(2, runtime.GOMAXPROCS(0)))
	r.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{dialect: SQLite, w: w, r: r, url: "sqlite:" + path}
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// SQLite gives the -wal and -shm files the database file's mode; ones
	// left by an older version may still be readable by others.
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return s, nil
}

// ownerOnly creates the database file readable and writable by its owner
// alone, before SQLite does (SQLite would create it 0644 under the usual
// umask), and takes those rights back from others on an existing file.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create database file: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store: database file: %w", err)
	}
	return nil
}

func openPostgres(ctx context.Context, rawURL string) (*Store, error) {
	dsn := rawURL
	if dsn == "postgres:" || dsn == "postgresql:" {
		dsn = "" // pgx reads PGHOST, PGPORT, PGUSER, PGDATABASE…
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{dialect: Postgres, w: db, r: db, url: redact(rawURL)}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres %s: %w", redact(rawURL), err)
	}
	return s, nil
}

// redact hides the password in a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close writes the session touches still held and closes the database
// handles.
func (s *Store) Close() error {
	ferr := s.FlushSessionTouches(context.Background())
	err := errors.Join(ferr, s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Dialect returns the engine behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// URL returns the database URL with any password hidden.
func (s *Store) URL() string { return s.url }

// DBStats returns the connection pool statistics of the writer and reader pools.
func (s *Store) DBStats() (w, r sql.DBStats) { return s.w.Stats(), s.r.Stats() }

func (s *Store) provider() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	return goose.NewProvider(d, s.w, dir)
}

// Migrate brings the schema up to date, loads the election calendar shipped
// in the binary (election_seed.go), and returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	if err := s.upgradeAudit(ctx, res); err != nil {
		return nil, err
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	if err := s.sealClearSecrets(ctx); err != nil {
		return applied, err
	}
	// The election calendar shipped in the binary (election_seed.go).
	if err := s.seedElections(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// SchemaVersion returns the current schema version and the latest one this
// program knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// ms converts a time to the unix milliseconds stored in the database; the
// zero time is stored as 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored unix milliseconds back to UTC; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// nullID returns nil for 0, so optional references are stored as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign-key failure.
func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	return false
}

// subtree returns the bounds of the paths inside the subtree rooted at path
// ("/4/17/"): every descendant path p has lo <= p < hi. Paths hold digits,
// dots and slashes only, and '0' sorts right after '/', so replacing the
// final slash gives the upper bound; a plain index range scan serves it on
// both engines (PostgreSQL columns use the "C" collation for byte order).
func subtree(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}
