package store

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra/internal/signlog"
)

// memHashes is a log's stored hashes in memory, counting the reads that
// reach it.
type memHashes struct {
	m     map[int64]tlog.Hash
	reads int
}

func (h *memHashes) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	h.reads++
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		v, ok := h.m[x]
		if !ok {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = v
	}
	return out, nil
}

// TestFrontierIsAllAppendsRead: once the frontier of a tree of n records is
// read, appending any number of records reads nothing more, and the tree
// is the one appending one at a time makes.
func TestFrontierIsAllAppendsRead(t *testing.T) {
	db := &memHashes{m: map[int64]tlog.Hash{}}
	leaf := func(i int64) tlog.Hash { return signlog.RecordHash([]byte(fmt.Sprint("record ", i))) }
	for n := int64(0); n < 300; n++ {
		hs, err := signlog.Append(n, leaf(n), db)
		if err != nil {
			t.Fatal(err)
		}
		for j, h := range hs {
			db.m[signlog.StoredIndex(n)+int64(j)] = h
		}
	}
	for _, n := range []int64{0, 1, 2, 3, 7, 8, 100, 127, 128, 200} {
		for _, k := range []int64{1, 2, 5, 64} {
			if n+k > 300 {
				continue
			}
			r := &overlayReader{db: db, pending: map[int64]tlog.Hash{}}
			db.reads = 0
			if f := frontier(n); len(f) > 0 {
				if _, err := r.ReadHashes(f); err != nil {
					t.Fatalf("frontier of %d: %v", n, err)
				}
			}
			before := db.reads
			for i := n; i < n+k; i++ {
				hs, err := signlog.Append(i, leaf(i), r)
				if err != nil {
					t.Fatal(err)
				}
				for j, h := range hs {
					if want := db.m[signlog.StoredIndex(i)+int64(j)]; h != want {
						t.Fatalf("n=%d k=%d: hash %d of record %d differs", n, k, j, i)
					}
					r.pending[signlog.StoredIndex(i)+int64(j)] = h
				}
			}
			if db.reads != before || before > 1 {
				t.Errorf("n=%d k=%d: %d reads for the frontier, %d more while appending", n, k, before, db.reads-before)
			}
		}
	}
}
