package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The statements of a batch of signatures, in a few fixed shapes.
//
// SQLite parses every statement it is handed as text, and the cost of $N
// parameters grows with the square of their number (each is looked up by
// name, in a list, when the statement is parsed and when it is bound). So a
// batch never builds a statement for its own size: rows are inserted by
// statements of 16, 4 or 1 rows and ids looked up by IN lists of 64, 16, 4
// or 1 values (padded with the last value), and on SQLite each of these
// shapes is prepared once, on the writer connection, for the life of the
// store. On PostgreSQL the texts are run as they are: pgx prepares and
// caches statements by their text on each connection, and bigger
// statements there mean fewer round trips.

// stmtRows are the row counts of the multi-row inserts on SQLite, largest
// first; on PostgreSQL, where a statement costs a round trip and
// parameters no parsing, pgStmtRows.
var (
	stmtRows   = []int{16, 4, 1}
	pgStmtRows = []int{64, 16, 4, 1}
)

// inSizes are the lengths of the IN lists, largest first.
var inSizes = []int{64, 16, 4, 1}

// rowChunks splits n rows into statements of the given sizes.
func rowChunks(n int, sizes []int) []int {
	var out []int
	for _, size := range sizes {
		for ; n >= size; n -= size {
			out = append(out, size)
		}
	}
	return out
}

// inLists splits values into lists of inSizes lengths, the last one padded
// with its last value up to the smallest length that holds it.
func inLists[T any](vals []T) [][]any {
	var out [][]any
	for part := range slices.Chunk(vals, inSizes[0]) {
		size := inSizes[0]
		for _, s := range inSizes {
			if s >= len(part) {
				size = s
			}
		}
		l := make([]any, 0, size)
		for _, v := range part {
			l = append(l, v)
		}
		for len(l) < size {
			l = append(l, part[len(part)-1])
		}
		out = append(out, l)
	}
	return out
}

// placeholders returns "$from, …, $(from+n-1)".
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// valuesSQL returns the VALUES rows of a multi-row insert.
func valuesSQL(rows, cols int) string {
	parts := make([]string, rows)
	for i := range rows {
		parts[i] = "(" + placeholders(1+i*cols, cols) + ")"
	}
	return strings.Join(parts, ", ")
}

const signatureInsertCols = 17

func signatureInsertSQL(rows int) string {
	return `INSERT INTO pledge_signatures (tenant_id, campaign_id, employee_id, unit_id, method, code, record, record_hash,
		signature, key_id, leaf_index, signed_at, scan_key, scan_sha256, scan_size, ceremony_id, created_by) VALUES ` +
		valuesSQL(rows, signatureInsertCols) + ` ON CONFLICT (campaign_id, employee_id) WHERE revoked_at = 0 DO NOTHING RETURNING id, employee_id`
}

const auditInsertCols = 14

func auditInsertSQL(rows int) string {
	return `INSERT INTO audit_log (seq, at, actor_id, token_id, actor_label, ip, tenant_id, action, object_type, object_id,
		summary, prev_hash, hash, version) VALUES ` + valuesSQL(rows, auditInsertCols)
}

func hashInsertSQL(rows int) string {
	return `INSERT INTO signlog_hashes (log_id, idx, hash) VALUES ` + valuesSQL(rows, 3)
}

func liveSignaturesSQL(n int) string {
	return `SELECT ` + pledgeSignatureCols + ` FROM pledge_signatures p WHERE p.campaign_id = $1 AND p.revoked_at = 0
		AND p.employee_id IN (` + placeholders(2, n) + `)`
}

// targetedSQL reads which of n employees a duty counts now (its target).
func targetedSQL(n int) string {
	return `SELECT employee_id FROM duty_assignees WHERE duty_id = $1 AND counted = 1 AND employee_id IN (` + placeholders(2, n) + `)`
}

func employeesByIDSQL(n int) string {
	return `SELECT ` + employeeCols + ` FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.id IN (` + placeholders(1, n) + `)`
}

func takenCodesSQL(n int) string {
	return `SELECT code FROM pledge_signatures WHERE code IN (` + placeholders(1, n) + `)`
}

// maxPrepared bounds the statements a cache holds: statements whose text
// varies without bound are run as text once it is full.
const maxPrepared = 128

// stmtCache holds statements prepared once on a handle, by their text.
type stmtCache struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool // texts met inside a transaction, prepared before the next
}

// get returns the statement for q, preparing it on db the first time; nil
// when the cache is full.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[q]; st != nil {
		return st, nil
	}
	if len(c.m) >= maxPrepared {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, nil
}

// lookup returns the statement prepared for q, or nil after noting q to be
// prepared (by prepareWanted) before the next transaction.
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[q]; st != nil {
		return st
	}
	if len(c.m)+len(c.wanted) < maxPrepared {
		if c.wanted == nil {
			c.wanted = map[string]bool{}
		}
		c.wanted[q] = true
	}
	return nil
}

// prepareWanted prepares on db the texts noted by lookup.
func (c *stmtCache) prepareWanted(ctx context.Context, db *sql.DB) error {
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for q := range wanted {
		if _, err := c.get(ctx, db, q); err != nil {
			return err
		}
	}
	return nil
}

// preparedReads is a queryer over the readers that prepares each
// statement once on SQLite, for the fixed reads every signed-in request
// makes (its session, its user and grants, the signature it may already
// have). Statements of varying text must not go through it.
type preparedReads struct{ s *Store }

func (p preparedReads) stmt(ctx context.Context, q string) *sql.Stmt {
	if p.s.dialect != SQLite {
		return nil
	}
	st, _ := p.s.reads.get(ctx, p.s.r, q)
	return st
}

func (p preparedReads) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.s.r.QueryRowContext(ctx, q, args...)
}

func (p preparedReads) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.s.r.QueryContext(ctx, q, args...)
}

func (p preparedReads) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.s.r.ExecContext(ctx, q, args...)
}

// readRow runs a one-row read on the readers through preparedReads.
func (s *Store) readRow(ctx context.Context, q string, args ...any) *sql.Row {
	return preparedReads{s}.QueryRowContext(ctx, q, args...)
}

// prepareBatch prepares on the writer the statements of a batch: the
// shapes above, and whatever a batch ran as text before (the reads and
// updates of the log, the campaign, the audit head…). SQLite only; it must
// not run inside a transaction on the writer (which has one connection).
func (s *Store) prepareBatch(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	c := &s.pledges.stmts
	c.mu.Lock()
	first := c.m == nil
	c.mu.Unlock()
	if first {
		for _, n := range stmtRows {
			for _, q := range []string{signatureInsertSQL(n), auditInsertSQL(n), hashInsertSQL(n)} {
				if _, err := c.get(ctx, s.w, q); err != nil {
					return err
				}
			}
		}
		for _, n := range inSizes {
			for _, q := range []string{liveSignaturesSQL(n), employeesByIDSQL(n), takenCodesSQL(n)} {
				if _, err := c.get(ctx, s.w, q); err != nil {
					return err
				}
			}
		}
	}
	return c.prepareWanted(ctx, s.w)
}

// bq is a batch's transaction: its statements run through those prepared
// on the writer where there are (SQLite), as text otherwise.
type bq struct {
	queryer
	tx   *sql.Tx    // the transaction itself; nil: nothing prepared is used
	c    *stmtCache // nil on PostgreSQL
	rows []int      // the row counts of its multi-row inserts
}

func (b bq) stmt(ctx context.Context, q string) *sql.Stmt {
	if b.tx == nil || b.c == nil {
		return nil
	}
	if st := b.c.lookup(q); st != nil {
		return b.tx.StmtContext(ctx, st)
	}
	return nil
}

func (b bq) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := b.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return b.queryer.QueryRowContext(ctx, q, args...)
}

func (b bq) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := b.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return b.queryer.QueryContext(ctx, q, args...)
}

func (b bq) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := b.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return b.queryer.ExecContext(ctx, q, args...)
}
