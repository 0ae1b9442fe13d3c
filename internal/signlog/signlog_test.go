package signlog_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra/internal/signlog"
)

// memLog is a log kept in a slice, as the store keeps it in a table.
type memLog struct{ hashes []signlog.Hash }

func (m *memLog) ReadHashes(idx []int64) ([]signlog.Hash, error) {
	out := make([]signlog.Hash, len(idx))
	for i, x := range idx {
		if x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

func (m *memLog) add(t *testing.T, n int64, data string) {
	t.Helper()
	hs, err := signlog.Append(n, signlog.RecordHash([]byte(data)), m)
	if err != nil {
		t.Fatal(err)
	}
	if signlog.StoredIndex(n) != int64(len(m.hashes)) {
		t.Fatalf("record %d starts at %d, have %d hashes", n, signlog.StoredIndex(n), len(m.hashes))
	}
	m.hashes = append(m.hashes, hs...)
}

func TestBuilderMatchesStoredTree(t *testing.T) {
	m := &memLog{}
	var b signlog.Builder
	for n := int64(0); n < 100; n++ {
		m.add(t, n, fmt.Sprint("record ", n))
		b.Add(signlog.RecordHash([]byte(fmt.Sprint("record ", n))))
		want, err := signlog.TreeHash(n+1, m)
		if err != nil {
			t.Fatal(err)
		}
		if b.Root() != want {
			t.Fatalf("size %d: builder root %v, stored tree %v", n+1, b.Root(), want)
		}
	}
	// Consistency between two sizes verifies; against a rewritten old tree it fails.
	h10, _ := signlog.TreeHash(10, m)
	h100, _ := signlog.TreeHash(100, m)
	p, err := signlog.ProveConsistency(10, 100, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := signlog.CheckConsistency(p, 100, h100, 10, h10); err != nil {
		t.Fatalf("consistency: %v", err)
	}
	other := &memLog{}
	for n := int64(0); n < 10; n++ {
		other.add(t, n, fmt.Sprint("forged ", n))
	}
	f10, _ := signlog.TreeHash(10, other)
	if err := signlog.CheckConsistency(p, 100, h100, 10, f10); err == nil {
		t.Fatal("a rewritten tree passed the consistency proof")
	}
}

func TestCheckpointSignAndOpen(t *testing.T) {
	skey, vkey, err := signlog.GenerateKey("netra.example/audit")
	if err != nil {
		t.Fatal(err)
	}
	c := signlog.Checkpoint{Origin: "netra.example/audit", Size: 42, Hash: tlog.RecordHash([]byte("x")),
		Time: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	msg, err := signlog.Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	got, id, err := signlog.Open(msg, vkey)
	if err != nil || got != c || id != signlog.KeyID(vkey) {
		t.Fatalf("open: %+v %q %v (want key %q)", got, id, err, signlog.KeyID(vkey))
	}
	// A changed size, or another key, is refused.
	forged := []byte(string(msg[:len("netra.example/audit\n")]) + "43" + string(msg[len("netra.example/audit\n")+2:]))
	if _, _, err := signlog.Open(forged, vkey); err == nil {
		t.Fatal("a checkpoint with a changed size opened")
	}
	_, vkey2, _ := signlog.GenerateKey("netra.example/audit")
	if _, _, err := signlog.Open(msg, vkey2); !errors.Is(err, signlog.ErrSignature) {
		t.Fatalf("another key: %v", err)
	}
}
