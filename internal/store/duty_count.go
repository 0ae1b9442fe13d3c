package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// The counters of duty_coverage. Every change of an assignee (done,
// undone, excused, moved, joined, left) is turned into deltas: -1 for what
// it counted before and +1 for what it counts now, at each node above it —
// every unit on its unit's path, and every government from its own up to
// the duty's — in each of three dimensions (the total, its employment type,
// its position type). The deltas of a whole batch are summed per (duty,
// node, dimension) and written by one upsert, so a batch of a thousand
// signatures costs a handful of statements whatever its size.

// assigneeRow is one duty_assignees row: where it is counted and its status.
type assigneeRow struct {
	dutyID, employeeID int64
	tenantID, unitID   int64
	typ, pos           string
	status             netra.AssigneeStatus
	counted            bool
}

// samePlace reports whether two rows are counted at the same node and dimensions.
func (a assigneeRow) samePlace(b assigneeRow) bool {
	return a.tenantID == b.tenantID && a.unitID == b.unitID && a.typ == b.typ && a.pos == b.pos
}

type covKey struct {
	duty, tenant, unit int64
	dim                string
}

// covDeltas sums targeted, done and excused changes per node and dimension.
type covDeltas map[covKey]*[3]int64

// nodeResolver finds the nodes above assignees (unit paths, the chain of
// governments up to each duty's), loading what it lacks in one query per
// kind and remembering it for the operation.
type nodeResolver struct {
	x      *tx
	duties map[int64]dutyHome // duty → its government
	units  map[int64]string   // unit → path
	govs   map[int64]string   // government → path
	codes  map[string]int64   // government code → id
}

type dutyHome struct {
	tenantID int64
	path     string
}

func newNodeResolver(x *tx) *nodeResolver {
	return &nodeResolver{x: x, duties: map[int64]dutyHome{}, units: map[int64]string{}, govs: map[int64]string{}, codes: map[string]int64{}}
}

// duty tells the resolver which government owns a duty.
func (r *nodeResolver) duty(id, tenantID int64, path string) {
	r.duties[id] = dutyHome{tenantID, path}
	r.govs[tenantID] = path
	r.codes[tenantCode(path)] = tenantID
}

// load fetches the paths of the units and governments of rows it does not
// know yet, and the ids of the governments between them and their duties'.
func (r *nodeResolver) load(ctx context.Context, rows []assigneeRow) error {
	var units, govs []int64
	for _, row := range rows {
		if _, ok := r.units[row.unitID]; !ok && !slices.Contains(units, row.unitID) {
			units = append(units, row.unitID)
		}
		if _, ok := r.govs[row.tenantID]; !ok && !slices.Contains(govs, row.tenantID) {
			govs = append(govs, row.tenantID)
		}
	}
	x := r.x
	if len(units) > 0 {
		slices.Sort(units)
		var a args
		q := `SELECT id, path FROM org_units WHERE ` + idIn(x.s.dialect, &a, "id", units)
		if err := scanPairs(ctx, x, q, a.v, func(id int64, p string) { r.units[id] = p }); err != nil {
			return fmt.Errorf("store: unit paths: %w", err)
		}
	}
	if len(govs) > 0 {
		var a args
		if err := scanPairs(ctx, x, `SELECT id, path FROM tenants WHERE `+idIn(x.s.dialect, &a, "id", govs), a.v,
			func(id int64, p string) { r.govs[id] = p; r.codes[tenantCode(p)] = id }); err != nil {
			return fmt.Errorf("store: government paths: %w", err)
		}
	}
	// The governments in between (a province, between the nation and a
	// regency) by their codes.
	var codes []string
	for _, row := range rows {
		home := r.duties[row.dutyID]
		for _, c := range govChain(r.govs[row.tenantID], home.path) {
			if _, ok := r.codes[c]; !ok && !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) > 0 {
		var a args
		if err := scanPairs(ctx, x, `SELECT id, code FROM tenants WHERE code IN (`+inList(&a, codes)+`)`, a.v,
			func(id int64, c string) { r.codes[c] = id }); err != nil {
			return fmt.Errorf("store: government codes: %w", err)
		}
	}
	return nil
}

func scanPairs(ctx context.Context, q queryer, query string, v []any, fn func(int64, string)) error {
	rows, err := q.QueryContext(ctx, query, v...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return err
		}
		fn(id, s)
	}
	return rows.Err()
}

// govChain returns the codes of the governments from the duty's (with
// path dutyPath) down to the one with path tpath, both included.
func govChain(tpath, dutyPath string) []string {
	if !strings.HasPrefix(tpath, dutyPath) {
		return nil // not below the duty: counted at its own node only (cannot happen)
	}
	all := strings.Split(strings.Trim(tpath, "/"), "/")
	depth := strings.Count(dutyPath, "/") - 1
	return all[depth-1:]
}

// pathIDs returns the unit ids on a unit path ("/1/5/9/" → 1, 5, 9).
func pathIDs(p string) []int64 {
	var out []int64
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// lockCounts orders, on PostgreSQL, every transaction that changes duty
// rows or counters, and every hook's look at which duties are open: each
// first takes the audit chain's head row (audit_head), which every audited
// write takes anyway when it audits and holds until it commits. The paths
// that count do not all audit at the same point (an edit that closes a
// position audits before it counts, a bulk change counts before it
// audits); with one lock taken first by all of them, none can hold what
// another waits for. It also makes them change counters one transaction at
// a time, so a count never lands on the ancestors a unit move has just left
// (whichever comes second reads the paths and totals the first committed),
// and a hook never misses a duty being launched (it sees the launch
// committed, or the launch's expansion sees its change). SQLite has one
// writer: nothing to order.
func (x *tx) lockCounts(ctx context.Context) error {
	if x.s.dialect != Postgres {
		return nil
	}
	var seq int64
	if err := x.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&seq); err != nil {
		return fmt.Errorf("store: lock counts: %w", err)
	}
	return nil
}

// count adds sign × each counted row to deltas, at every node above it.
func (r *nodeResolver) count(ctx context.Context, deltas covDeltas, rows []assigneeRow, sign int64) error {
	if err := r.load(ctx, rows); err != nil {
		return err
	}
	for _, row := range rows {
		if !row.counted {
			continue
		}
		home, ok := r.duties[row.dutyID]
		if !ok {
			return fmt.Errorf("store: duty %d unknown to the counter", row.dutyID)
		}
		v := [3]int64{sign, 0, 0}
		switch row.status {
		case netra.AssigneeDone:
			v[1] = sign
		case netra.AssigneeExcused:
			v[2] = sign
		}
		dims := [3]string{"", "type:" + row.typ, "pos:" + row.pos}
		at := func(tenant, unit int64) {
			for _, dim := range dims {
				k := covKey{row.dutyID, tenant, unit, dim}
				d := deltas[k]
				if d == nil {
					d = &[3]int64{}
					deltas[k] = d
				}
				for i := range v {
					d[i] += v[i]
				}
			}
		}
		for _, u := range pathIDs(r.units[row.unitID]) {
			at(row.tenantID, u)
		}
		chain := govChain(r.govs[row.tenantID], home.path)
		if len(chain) == 0 {
			chain = []string{tenantCode(r.govs[row.tenantID])}
		}
		for _, c := range chain {
			at(r.codes[c], 0)
		}
	}
	return nil
}

// applyCoverage writes deltas in one upsert, in key order (so that two
// transactions on PostgreSQL lock the counter rows in the same order and
// never deadlock on them).
func (x *tx) applyCoverage(ctx context.Context, deltas covDeltas) error {
	keys := make([]covKey, 0, len(deltas))
	for k, d := range deltas {
		if *d != [3]int64{} {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b covKey) int {
		return cmp.Or(cmp.Compare(a.duty, b.duty), cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.unit, b.unit), strings.Compare(a.dim, b.dim))
	})
	rows := make([][]any, len(keys))
	for i, k := range keys {
		d := deltas[k]
		rows[i] = []any{k.duty, k.tenant, k.unit, k.dim, d[0], d[1], d[2]}
	}
	var a args
	src := x.rowsFrom(&a, "iiisiii", rows)
	if _, err := x.ExecContext(ctx, `INSERT INTO duty_coverage (duty_id, tenant_id, unit_id, dim, targeted, done, excused)
		SELECT r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6 FROM `+src+` WHERE TRUE
		ON CONFLICT (duty_id, tenant_id, unit_id, dim) DO UPDATE SET targeted = duty_coverage.targeted + excluded.targeted,
			done = duty_coverage.done + excluded.done, excused = duty_coverage.excused + excluded.excused`, a.v...); err != nil {
		return fmt.Errorf("store: duty coverage: %w", err)
	}
	return nil
}

// rowsFrom returns a FROM item named r, with columns c0, c1…, holding rows:
// on PostgreSQL one array parameter per column (unnest), on SQLite one JSON
// parameter (json_each), so that a batch is one statement of a few
// parameters however many rows it has. kinds holds a letter per column:
// 'i' for a BIGINT (int64 in rows), 's' for TEXT (string).
func (x *tx) rowsFrom(a *args, kinds string, rows [][]any) string {
	names := make([]string, len(kinds))
	for c := range kinds {
		names[c] = "c" + strconv.Itoa(c)
	}
	if x.s.dialect == Postgres {
		cols := make([]string, len(kinds))
		for c, k := range kinds {
			switch k {
			case 'i':
				v := make([]int64, len(rows))
				for i, r := range rows {
					v[i] = r[c].(int64)
				}
				cols[c] = "CAST(" + a.add(v) + " AS BIGINT[])"
			default:
				v := make([]string, len(rows))
				for i, r := range rows {
					v[i] = r[c].(string)
				}
				cols[c] = "CAST(" + a.add(v) + " AS TEXT[])"
			}
		}
		return "unnest(" + strings.Join(cols, ", ") + ") AS r(" + strings.Join(names, ", ") + ")"
	}
	b, _ := json.Marshal(rows)
	cols := make([]string, len(kinds))
	for c := range kinds {
		cols[c] = "json_extract(j.value, '$[" + strconv.Itoa(c) + "]') AS " + names[c]
	}
	return "(SELECT " + strings.Join(cols, ", ") + " FROM json_each(" + a.add(string(b)) + ") j) r"
}

// idIn is the condition "col is one of ids", as one parameter.
func idIn(d Dialect, a *args, col string, ids []int64) string {
	if d == Postgres {
		return col + " = ANY(" + a.add(ids) + ")"
	}
	b, _ := json.Marshal(ids)
	return col + " IN (SELECT value FROM json_each(" + a.add(string(b)) + "))"
}

const assigneeReturning = ` RETURNING duty_id, employee_id, tenant_id, unit_id, emp_type, pos_type, status, counted`

func scanAssignees(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]assigneeRow, error) {
	var out []assigneeRow
	for rows.Next() {
		var r assigneeRow
		var counted int64
		if err := rows.Scan(&r.dutyID, &r.employeeID, &r.tenantID, &r.unitID, &r.typ, &r.pos, &r.status, &counted); err != nil {
			return nil, err
		}
		r.counted = counted != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// setAssignees applies set (SQL whose parameters are already in a) to the
// listed employees' rows of one duty that satisfy cond, in one statement,
// and returns the rows as they are now.
func (x *tx) setAssignees(ctx context.Context, a *args, dutyID int64, ids []int64, set, cond string) ([]assigneeRow, error) {
	rows, err := x.QueryContext(ctx, `UPDATE duty_assignees SET `+set+` WHERE duty_id = `+a.add(dutyID)+` AND `+
		idIn(x.s.dialect, a, "employee_id", ids)+` AND `+cond+assigneeReturning, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: duty assignees: %w", err)
	}
	defer rows.Close()
	return scanAssignees(rows)
}

// dutyDone records that the listed employees did duty dutyID (signed,
// acknowledged, attended), in a batch, inside the caller's transaction: the
// signing path calls it for thousands of employees a second, so it costs
// one statement for the statuses of the whole batch, one or two reads of
// unit and government paths, and one upsert of the counters. It is
// idempotent: an employee who already did it is left alone, as is one the
// duty does not target (the caller decides who may do it and audits the
// act). An excused employee who does it counts as done. It returns the ids
// whose status changed. The duty must be open (ErrConflict otherwise: a
// closed duty's counts are frozen).
func (x *tx) dutyDone(ctx context.Context, dutyID int64, employeeIDs []int64) ([]int64, error) {
	if len(employeeIDs) == 0 {
		return nil, nil
	}
	if err := x.lockCounts(ctx); err != nil {
		return nil, err
	}
	home, err := x.openDutyHome(ctx, dutyID)
	if err != nil {
		return nil, err
	}
	if home == nil {
		return nil, netra.Userf(netra.ErrConflict, "Tugas ini tidak sedang berjalan.", "This duty is not open.")
	}
	ids := slices.Clone(employeeIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var a args
	set := "status = 'done', reason = '', done_at = " + a.add(x.now) + ", updated_at = " + a.add(x.now)
	done, err := x.setAssignees(ctx, &a, dutyID, ids, set, "status = 'pending'")
	if err != nil {
		return nil, err
	}
	var excused []assigneeRow
	if len(done) < len(ids) {
		// Rare: some were excused (or already done, or not targeted).
		a = args{}
		set = "status = 'done', reason = '', done_at = " + a.add(x.now) + ", updated_at = " + a.add(x.now)
		if excused, err = x.setAssignees(ctx, &a, dutyID, ids, set, "status = 'excused'"); err != nil {
			return nil, err
		}
	}
	r := newNodeResolver(x)
	r.duty(dutyID, home.tenantID, home.path)
	deltas := covDeltas{}
	if err := r.count(ctx, deltas, withStatus(done, netra.AssigneePending), -1); err != nil {
		return nil, err
	}
	if err := r.count(ctx, deltas, withStatus(excused, netra.AssigneeExcused), -1); err != nil {
		return nil, err
	}
	all := append(done, excused...)
	if err := r.count(ctx, deltas, all, 1); err != nil {
		return nil, err
	}
	if err := x.applyCoverage(ctx, deltas); err != nil {
		return nil, err
	}
	out := make([]int64, len(all))
	for i, row := range all {
		out[i] = row.employeeID
	}
	slices.Sort(out)
	return out, nil
}

// withStatus returns copies of rows with their status replaced (what they
// counted as before a change).
func withStatus(rows []assigneeRow, st netra.AssigneeStatus) []assigneeRow {
	out := make([]assigneeRow, len(rows))
	for i, r := range rows {
		r.status = st
		out[i] = r
	}
	return out
}

// dutyUndone puts an employee who had done duty dutyID back to pending (a
// revoked signature), inside the caller's transaction, moving the counters
// back. Someone who had not done it is left alone. On a duty that is not
// open nothing changes: a closed duty's counts and record are frozen.
func (x *tx) dutyUndone(ctx context.Context, dutyID, employeeID int64) error {
	if err := x.lockCounts(ctx); err != nil {
		return err
	}
	home, err := x.openDutyHome(ctx, dutyID)
	if err != nil || home == nil {
		return err
	}
	var a args
	set := "status = 'pending', done_at = 0, updated_at = " + a.add(x.now)
	rows, err := x.setAssignees(ctx, &a, dutyID, []int64{employeeID}, set, "status = 'done'")
	if err != nil || len(rows) == 0 {
		return err
	}
	r := newNodeResolver(x)
	r.duty(dutyID, home.tenantID, home.path)
	deltas := covDeltas{}
	if err := r.count(ctx, deltas, withStatus(rows, netra.AssigneeDone), -1); err != nil {
		return err
	}
	if err := r.count(ctx, deltas, rows, 1); err != nil {
		return err
	}
	return x.applyCoverage(ctx, deltas)
}

// openDutyHome returns the government of a duty when it is open, nil when
// it is not, ErrNotFound when there is no such duty.
func (x *tx) openDutyHome(ctx context.Context, dutyID int64) (*dutyHome, error) {
	var h dutyHome
	var st netra.DutyStatus
	err := x.QueryRowContext(ctx, `SELECT d.status, d.tenant_id, t.path FROM duties d JOIN tenants t ON t.id = d.tenant_id
		WHERE d.id = $1`, dutyID).Scan(&st, &h.tenantID, &h.path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("duty %d: %w", dutyID, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: duty: %w", err)
	}
	if st != netra.DutyOpen {
		return nil, nil
	}
	return &h, nil
}

// rebuildCoverage recomputes a duty's subtree totals from its assignees
// with two aggregate statements (units, then governments): each counted
// assignee is grouped by unit and types first, then the groups are summed
// at every unit above them (a recursive walk up parent_id, as many steps as
// the tree is deep) and at every government from theirs up to the duty's.
// A launch runs it once; nothing else needs to.
func (x *tx) rebuildCoverage(ctx context.Context, dutyID, dutyTenant int64) error {
	if _, err := x.ExecContext(ctx, `DELETE FROM duty_coverage WHERE duty_id = $1`, dutyID); err != nil {
		return fmt.Errorf("store: clear coverage: %w", err)
	}
	// The three dimensions of every node, from the rolled-up groups.
	dims := func(node string) string {
		var parts []string
		for _, d := range []struct{ dim, group string }{{"''", ""}, {"'type:' || r.emp_type", ", r.emp_type"}, {"'pos:' || r.pos_type", ", r.pos_type"}} {
			parts = append(parts, `SELECT CAST($1 AS BIGINT), `+node+`, `+d.dim+`, SUM(r.n), SUM(r.nd), SUM(r.ne)
				FROM rolled r GROUP BY r.tenant_id, r.unit_id`+d.group)
		}
		return strings.Join(parts, " UNION ALL ")
	}
	direct := func(col string) string {
		return `direct AS (SELECT ` + col + `, emp_type, pos_type, COUNT(*) AS n,
				SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS nd, SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END) AS ne
			FROM duty_assignees WHERE duty_id = $1 AND counted = 1 GROUP BY ` + col + `, emp_type, pos_type)`
	}
	if _, err := x.ExecContext(ctx, `WITH RECURSIVE `+direct("unit_id")+`,
		anc (unit_id, anc_id) AS (
			SELECT DISTINCT unit_id, unit_id FROM direct
			UNION ALL
			SELECT anc.unit_id, p.parent_id FROM anc JOIN org_units p ON p.id = anc.anc_id WHERE p.parent_id IS NOT NULL),
		rolled AS (
			SELECT u.tenant_id, anc.anc_id AS unit_id, d.emp_type, d.pos_type, SUM(d.n) AS n, SUM(d.nd) AS nd, SUM(d.ne) AS ne
			FROM direct d JOIN anc ON anc.unit_id = d.unit_id JOIN org_units u ON u.id = anc.anc_id
			GROUP BY u.tenant_id, anc.anc_id, d.emp_type, d.pos_type)
		INSERT INTO duty_coverage (duty_id, tenant_id, unit_id, dim, targeted, done, excused) `+dims("r.tenant_id, r.unit_id"), dutyID); err != nil {
		return fmt.Errorf("store: unit coverage: %w", err)
	}
	if _, err := x.ExecContext(ctx, `WITH RECURSIVE `+direct("tenant_id")+`,
		anc (tenant_id, anc_id) AS (
			SELECT DISTINCT tenant_id, tenant_id FROM direct
			UNION ALL
			SELECT anc.tenant_id, t.parent_id FROM anc JOIN tenants t ON t.id = anc.anc_id
			WHERE anc.anc_id <> $2 AND t.parent_id IS NOT NULL),
		rolled AS (
			SELECT anc.anc_id AS tenant_id, 0 AS unit_id, d.emp_type, d.pos_type, SUM(d.n) AS n, SUM(d.nd) AS nd, SUM(d.ne) AS ne
			FROM direct d JOIN anc ON anc.tenant_id = d.tenant_id GROUP BY anc.anc_id, d.emp_type, d.pos_type)
		INSERT INTO duty_coverage (duty_id, tenant_id, unit_id, dim, targeted, done, excused) `+dims("r.tenant_id, CAST(0 AS BIGINT)"),
		dutyID, dutyTenant); err != nil {
		return fmt.Errorf("store: government coverage: %w", err)
	}
	return nil
}
