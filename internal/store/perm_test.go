package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// TestSQLiteFilesOwnerOnly checks that the database, its WAL files and a
// folder the store creates are for the owner alone, whatever the umask, and
// that an old world-readable database is tightened at open.
func TestSQLiteFilesOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o002)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "netra.db")
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(netra.WithActor(ctx, netra.System("test")), 0, "test.write", "test", 0, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, m := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != m {
			t.Errorf("%s: mode %o, want %o", filepath.Base(p), got, m)
		}
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened world-readable database: mode %o, want 600", fi.Mode().Perm())
	}
}
