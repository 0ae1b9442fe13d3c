package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/maphash"

	"github.com/netra-id/netra"
)

// The first load of a registry. Linking a row to its person (person.go)
// looks each of its identifiers up among the stored records: four index
// probes a row, 8% of a national import's time, all of which find nothing
// when the registry was empty before the import began — then only the
// import's own earlier rows can share an identifier with a row. So an import
// that starts on an empty registry remembers the identifiers it has written
// in a Bloom filter, and probes only the rows whose identifiers the filter
// may hold (those it wrote, and about 2% of the others). It goes back to
// probing every row, for good, as soon as anything but the import itself
// has written a record or an identifier (checked before each batch, with
// three constant-time reads): what others write the filter does not know.

// filterBlocks is the size of the filter: 16 MB, which keeps false
// positives near 2% for a national roster's 5.6 million rows of three
// identifiers.
const filterBlocks = 1 << 18 // a>>46 in testAndSet picks one

// idFilter is a blocked Bloom filter of identifiers (kind and value): each
// identifier sets filterHashes bits in one 64-byte block, so that a lookup
// touches one cache line rather than filterHashes of them.
type idFilter struct {
	blocks [][8]uint64
	seeds  [3]maphash.Seed // one per kind of identifier
}

func newIDFilter() *idFilter {
	return &idFilter{blocks: make([][8]uint64, filterBlocks),
		seeds: [3]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed(), maphash.MakeSeed()}}
}

// filterHashes is how many bits each identifier sets: 18 bits of its
// 64-bit hash pick the block, 5 × 9 of the others the bits.
const filterHashes = 5

// testAndSet sets the identifier's bits and reports whether they were all
// set already (the filter may hold it).
func (f *idFilter) testAndSet(kind int, v string) bool {
	a := maphash.String(f.seeds[kind], v)
	b := &f.blocks[a>>46]
	had := true
	for i := 0; i < filterHashes; i++ {
		bit := a & 511
		a >>= 9
		w, m := bit/64, uint64(1)<<(bit%64)
		had = had && b[w]&m != 0
		b[w] |= m
	}
	return had
}

// mayLink remembers a row's identifiers and reports whether the import may
// have written a row sharing one of them before (see personMatch.of; nip is
// not among them, since an import stores no past identifiers, and a row
// that meets a stored NIP of its own import is a repeat).
func (f *idFilter) mayLink(e *netra.Employee) bool {
	may := false
	for kind, v := range [...]string{e.NIK, e.PNSID, e.OldNIP} {
		if v != "" && f.testAndSet(kind, v) {
			may = true
		}
	}
	return may
}

// firstLoad is the state of an import on an empty registry (see above).
type firstLoad struct {
	filter  *idFilter
	lastID  int64 // SQLite: the largest employee id, as the import left it
	seq     int64 // PostgreSQL: the employee id sequence, as the import left it
	history int64 // the largest employee_history id (nothing of an import's first load writes one)
}

// startFirstLoad returns the first-load state when the registry holds no
// employee and no past identifier, or nil.
func (s *Store) startFirstLoad(ctx context.Context) (*firstLoad, error) {
	var any int
	err := s.w.QueryRowContext(ctx, `SELECT 1 FROM employees LIMIT 1`).Scan(&any)
	if err == nil {
		return nil, nil
	}
	if err != sql.ErrNoRows {
		return nil, fmt.Errorf("store: first load: %w", err)
	}
	fl := &firstLoad{}
	var seen bool
	if fl.lastID, fl.seq, fl.history, seen, err = s.writtenMarks(ctx, s.w); err != nil || seen {
		return nil, err
	}
	fl.filter = newIDFilter()
	return fl, nil
}

// writtenMarks reads the three marks that move when anyone writes a record
// or an identifier, and whether any past identifier is stored.
func (s *Store) writtenMarks(ctx context.Context, q queryer) (lastID, seq, history int64, past bool, err error) {
	seqQ := `0`
	if s.dialect == Postgres {
		seqQ = `COALESCE(pg_sequence_last_value(pg_get_serial_sequence('employees', 'id')::regclass), 0)`
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(id) FROM employees), 0), `+seqQ+`,
		COALESCE((SELECT MAX(id) FROM employee_history), 0), EXISTS (SELECT 1 FROM person_identifiers)`).Scan(&lastID, &seq, &history, &past)
	if err != nil {
		err = fmt.Errorf("store: first load marks: %w", err)
	}
	return
}

// stillFirst reports whether only the import has written records since it
// began (see above), given how many rows it inserted since the last check;
// once it has not, the import probes every row from then on.
func (imp *Importer) stillFirst(ctx context.Context, x *tx) (bool, error) {
	fl := imp.first
	if fl == nil {
		return false, nil
	}
	lastID, seq, history, past, err := imp.s.writtenMarks(ctx, x)
	if err != nil {
		return false, err
	}
	ours := history == fl.history && !past
	if imp.s.dialect == Postgres {
		ours = ours && seq == fl.seq
	} else {
		ours = ours && lastID == fl.lastID
	}
	if !ours {
		imp.first = nil
	}
	return ours, nil
}

// wrote moves the marks on by what the import itself wrote: n rows on
// PostgreSQL (each takes one value of the sequence), up to lastID on SQLite.
func (fl *firstLoad) wrote(n, lastID int64) {
	if fl == nil {
		return
	}
	fl.seq += n
	if lastID > fl.lastID {
		fl.lastID = lastID
	}
}
