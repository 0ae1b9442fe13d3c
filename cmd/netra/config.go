package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/store"
)

// storage holds the settings every command that touches data shares.
type storage struct {
	data   string
	db     string
	blobs  string
	getenv env
}

// storageFlags registers --data, --db and --blobs with their NETRA_*
// environment defaults.
func storageFlags(fs *flag.FlagSet, getenv env) *storage {
	s := &storage{getenv: getenv}
	fs.StringVar(&s.data, "data", or(getenv("NETRA_DATA"), "./netra-data"), "data folder (NETRA_DATA)")
	fs.StringVar(&s.db, "db", getenv("NETRA_DB"), "database URL: sqlite:PATH or postgres://… (NETRA_DB; default: sqlite in the data folder)")
	fs.StringVar(&s.blobs, "blobs", getenv("NETRA_BLOBS"), "blob storage URL: file:PATH (NETRA_BLOBS; default: a folder in the data folder)")
	return s
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// validate fills defaults and checks the URLs' shapes.
func (s *storage) validate() error {
	if s.data == "" {
		return errors.New("--data must not be empty")
	}
	if s.db == "" {
		s.db = "sqlite:" + filepath.Join(s.data, "netra.db")
	}
	if s.blobs == "" {
		s.blobs = "file:" + filepath.Join(s.data, "blobs")
	}
	if !strings.HasPrefix(s.db, "sqlite:") && !strings.HasPrefix(s.db, "postgres:") && !strings.HasPrefix(s.db, "postgresql:") {
		return fmt.Errorf("--db %q: want sqlite:PATH or postgres://…", s.db)
	}
	return nil
}

// open opens and migrates the database.
func (s *storage) open(ctx context.Context, log *slog.Logger) (*store.Store, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	// The data folder holds the database, the master key and the rosters:
	// for the server's account alone.
	if err := os.MkdirAll(s.data, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if err := os.Chmod(s.data, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	keys, src, err := s.keyring()
	if err != nil {
		return nil, err
	}
	if src == keyring.FromNewFile && log != nil {
		log.Warn("created a new master key: keep a copy of it apart from the database backups", "file", s.keyFile())
	}
	st, err := store.Open(ctx, s.db, store.WithKeyring(keys))
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 && log != nil {
		log.Info("database migrated", "applied", applied, "db", st.URL())
	}
	return st, nil
}

// keyFile is where the master key lives unless the environment gives it:
// in the data folder, beside (never inside) the database.
func (s *storage) keyFile() string { return filepath.Join(s.data, "netra.key") }

// keyring loads the master key (NETRA_MASTER_KEY, NETRA_MASTER_KEY_FILE, or
// the data folder's key file, created on first start).
func (s *storage) keyring() (*keyring.Keyring, keyring.Source, error) {
	return keyring.Load(s.getenv, s.keyFile())
}

// openBlobs opens the blob storage.
func (s *storage) openBlobs() (blob.Store, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	return blob.Open(s.blobs)
}

// newLogger returns the JSON logger commands write to stderr with.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
