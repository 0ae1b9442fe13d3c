package store

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// A batch's appends to the signed logs and to the audit chain: appendLeaf
// and appendAudit (signlog.go, tx.go) for many records at once.

// overlayReader reads a log's stored hashes from the database and from
// those a batch has computed but not yet written.
type overlayReader struct {
	db      tlog.HashReader
	pending map[int64]tlog.Hash
}

func (o *overlayReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var missing []int64
	for _, i := range indexes {
		if _, ok := o.pending[i]; !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		hs, err := o.db.ReadHashes(missing)
		if err != nil {
			return nil, err
		}
		for j, i := range missing {
			o.pending[i] = hs[j] // read once per batch
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for j, i := range indexes {
		out[j] = o.pending[i]
	}
	return out, nil
}

// appendLeaves adds leaves as the next records of the log (whose row the
// transaction locked), computing every new tree hash in memory and storing
// them with a few multi-row inserts and one update of the log's size. It is
// appendLeaf for many leaves.
func appendLeaves(ctx context.Context, b bq, l *signLog, leaves []signlog.Hash) error {
	if len(leaves) == 0 {
		return nil
	}
	r := &overlayReader{db: hashReader{ctx, b, l.id}, pending: map[int64]tlog.Hash{}}
	// Appending reads only the roots of the complete subtrees the tree of
	// l.size records is made of, and hashes the batch computes: read those
	// roots in one query rather than a few at every leaf.
	if f := frontier(l.size); len(f) > 0 {
		if _, err := r.ReadHashes(f); err != nil {
			return err
		}
	}
	var add []any // log_id, idx, hash of each new stored hash
	for i, leaf := range leaves {
		n := l.size + int64(i)
		hs, err := signlog.Append(n, leaf, r)
		if err != nil {
			return err
		}
		start := signlog.StoredIndex(n)
		for j, h := range hs {
			r.pending[start+int64(j)] = h
			add = append(add, l.id, start+int64(j), h[:])
		}
	}
	for _, n := range rowChunks(len(add)/3, b.rows) {
		if _, err := b.ExecContext(ctx, hashInsertSQL(n), add[:3*n]...); err != nil {
			return fmt.Errorf("store: add to log %q: %w", l.name, err)
		}
		add = add[3*n:]
	}
	size := l.size + int64(len(leaves))
	if _, err := b.ExecContext(ctx, `UPDATE signlogs SET size = $1 WHERE id = $2`, size, l.id); err != nil {
		return fmt.Errorf("store: add to log %q: %w", l.name, err)
	}
	l.size = size
	return nil
}

// frontier returns the stored indexes of the roots of the complete
// subtrees a tree of n records is made of, largest first: for each level
// L whose bit is set in n, the last node of level L.
func frontier(n int64) []int64 {
	var out []int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			out = append(out, tlog.StoredHashIndex(level, n>>level-1))
		}
	}
	return out
}

// auditItem is one audit entry of a batch, with the actor it names.
type auditItem struct {
	actor           *netra.Actor
	tenantID        int64
	action, objType string
	objID           string
	summary         any
}

// appendAudits appends entries to the audit chain in the transaction, each
// built (auditEntry) and chained onto the one before as x.audit does one (appendAudit),
// but with the chain's head read and written once, the entries inserted a
// few hundred at a time and their leaves appended to the audit log at once.
func (x *tx) appendAudits(ctx context.Context, b bq, items []auditItem) error {
	lock := ""
	if x.s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev string
	l := signLog{name: AuditLog}
	if err := x.QueryRowContext(ctx, `SELECT h.seq, h.hash, l.id, l.size FROM audit_head h, signlogs l
		WHERE h.id = 1 AND l.name = 'audit'`+lock).Scan(&seq, &prev, &l.id, &l.size); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	if l.size != seq {
		return fmt.Errorf("store: audit log holds %d records, the chain %d entries", l.size, seq)
	}
	keys := x.s.auditKeys()
	es := make([]netra.AuditEntry, len(items))
	leaves := make([]signlog.Hash, len(items))
	for i, it := range items {
		e, err := x.auditEntry(it.actor, it.tenantID, it.action, it.objType, it.objID, it.summary)
		if err != nil {
			return err
		}
		seq++
		e.Seq, e.PrevHash = seq, prev
		e.Hash = e.KeyedHash(keys)
		prev = e.Hash
		es[i], leaves[i] = e, auditLeaf(e.Hash)
	}
	for _, n := range rowChunks(len(es), b.rows) {
		vals := make([]any, 0, n*auditInsertCols)
		for _, e := range es[:n] {
			vals = append(vals, e.Seq, x.now, e.ActorID, e.TokenID, e.ActorLabel, e.IP, e.TenantID, e.Action, e.ObjectType,
				e.ObjectID, e.Summary, e.PrevHash, e.Hash, e.Version)
		}
		es = es[n:]
		if _, err := b.ExecContext(ctx, auditInsertSQL(n), vals...); err != nil {
			return fmt.Errorf("store: append audit: %w", err)
		}
	}
	if _, err := x.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev); err != nil {
		return fmt.Errorf("store: advance audit head: %w", err)
	}
	return appendLeaves(ctx, b, &l, leaves)
}
