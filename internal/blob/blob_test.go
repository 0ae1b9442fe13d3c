package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDiskRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open("file:" + t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("netra "), 100000)
	n, err := s.Put(ctx, "imports/1/roster.csv", bytes.NewReader(body))
	if err != nil || n != int64(len(body)) {
		t.Fatalf("put: %d %v", n, err)
	}
	rc, err := s.Get(ctx, "imports/1/roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, body) {
		t.Fatal("content differs")
	}
	if err := s.Delete(ctx, "imports/1/roster.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "imports/1/roster.csv"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Delete(ctx, "imports/1/roster.csv"); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
}

func TestDiskRefusesEscapingKeys(t *testing.T) {
	s, err := OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"../x", "/etc/passwd", "a/../../b", ""} {
		if _, err := s.Put(context.Background(), k, strings.NewReader("x")); err == nil {
			t.Errorf("key %q accepted", k)
		}
	}
}

func TestOpenRefusesUnknownURL(t *testing.T) {
	for _, u := range []string{"s3://bucket/x", "ftp://x", ""} {
		if _, err := Open(u); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

// TestDiskOwnerOnly checks that blobs (rosters, evidence) and their folders
// are for the owner alone, whatever the umask.
func TestDiskOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := OpenDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), "imports/1/roster.csv", strings.NewReader("nip")); err != nil {
		t.Fatal(err)
	}
	for p, m := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "imports/1"): 0o700,
		filepath.Join(dir, "imports/1/roster.csv"): 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != m {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), m)
		}
	}
}
