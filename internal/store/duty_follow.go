package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/netra-id/netra"
)

// People move. The rule (docs/duties.md): an open duty's coverage counts the
// people in its target now, where they are now. Every path that changes an
// employee's unit, government, status, employment type or position type —
// CreateEmployee, UpdateEmployee, the bulk moves and status changes, the
// importer's inserts and merges, confirmed transfers, and moving a unit —
// ends by calling one of the hooks below inside its own transaction:
//
//   - a move within the target carries the person's status (pending, done,
//     excused) to where they are now: the counters move with them;
//   - leaving the target (moved out of its units, to another government,
//     out of service, to a type it does not target) takes them out of the
//     counts; their row stays, marked as left (counted = 0), so that what
//     they did stays on record;
//   - joining the target (created, imported, moved in, back in service)
//     while the duty is open adds them as pending — or, for one who had
//     left, counts them again with the status they had — and puts the duty
//     in their inbox.
//
// Each hook first asks whether any duty is open at all (one index probe,
// after lockCounts on PostgreSQL): with none, as during nearly every
// import, that is all it costs. The work
// is set-based: per chunk of employees, one read of their state, one of
// their duty rows, one upsert of the rows and one of the counters.

// followChunk is how many employees one round of a hook reads and writes.
const followChunk = 500

// dutyReach is what the hooks need of an open duty to tell whether an
// employee is in its target now.
type dutyReach struct {
	id    int64
	home  dutyHome
	kind  netra.DutyKind
	title string
	link  string
	types []netra.EmploymentType // empty: all
	pos   []netra.PositionType   // empty: all
	units []reachUnit
	govs  []reachGov
}

type reachUnit struct {
	tenantID int64
	unitID   int64
	path     string
	exact    bool
}

type reachGov struct {
	tenantID int64
	path     string
	below    bool
}

// employeeState is where an employee stands now, for the hooks.
type employeeState struct {
	id, tenantID, unitID int64
	tenantPath, unitPath string
	typ                  netra.EmploymentType
	pos                  netra.PositionType
	status               netra.EmployeeStatus
}

// reaches reports whether employees of the government with the given id
// and path can be in the duty's target at all.
func (d *dutyReach) reaches(tenantID int64, tpath string) bool {
	for _, u := range d.units {
		if u.tenantID == tenantID {
			return true
		}
	}
	for _, g := range d.govs {
		if g.tenantID == tenantID || (g.below && strings.HasPrefix(tpath, g.path)) {
			return true
		}
	}
	return false
}

// targets reports whether e is in the duty's target now. It must agree
// with the expansion of launchDuty.
func (d *dutyReach) targets(e *employeeState) bool {
	if !e.status.InService() || (len(d.types) > 0 && !slices.Contains(d.types, e.typ)) ||
		(len(d.pos) > 0 && !slices.Contains(d.pos, e.pos)) {
		return false
	}
	for _, u := range d.units {
		if u.tenantID == e.tenantID && (u.unitID == e.unitID || (!u.exact && strings.HasPrefix(e.unitPath, u.path))) {
			return true
		}
	}
	for _, g := range d.govs {
		if g.tenantID == e.tenantID || (g.below && strings.HasPrefix(e.tenantPath, g.path)) {
			return true
		}
	}
	return false
}

// openDutiesLocked is openDuties after lockCounts, as every hook starts: on
// PostgreSQL a duty being launched meanwhile is then either seen open (its
// launch committed first) or launched after this transaction commits (its
// expansion sees this change), never missed.
func (x *tx) openDutiesLocked(ctx context.Context) ([]*dutyReach, error) {
	if err := x.lockCounts(ctx); err != nil {
		return nil, err
	}
	return x.openDuties(ctx)
}

// openDuties returns every open duty with its target's current paths; nil,
// after one index probe, when none is open.
func (x *tx) openDuties(ctx context.Context) ([]*dutyReach, error) {
	rows, err := x.QueryContext(ctx, `SELECT d.id, d.tenant_id, t.path, d.kind, d.title, d.link, d.employment_types, d.position_types
		FROM duties d JOIN tenants t ON t.id = d.tenant_id WHERE d.status = 'open' ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("store: open duties: %w", err)
	}
	var out []*dutyReach
	byID := map[int64]*dutyReach{}
	for rows.Next() {
		d := &dutyReach{}
		var types, pos string
		if err := rows.Scan(&d.id, &d.home.tenantID, &d.home.path, &d.kind, &d.title, &d.link, &types, &pos); err != nil {
			rows.Close()
			return nil, err
		}
		d.types, d.pos = splitList[netra.EmploymentType](types), splitList[netra.PositionType](pos)
		out = append(out, d)
		byID[d.id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return nil, err
	}
	ids := make([]int64, len(out))
	for i, d := range out {
		ids[i] = d.id
	}
	var a args
	trows, err := x.QueryContext(ctx, `SELECT dt.duty_id, dt.tenant_id, dt.unit_id, dt.subtree, COALESCE(u.path, ''), t.path
		FROM duty_targets dt JOIN tenants t ON t.id = dt.tenant_id LEFT JOIN org_units u ON u.id = dt.unit_id
		WHERE `+idIn(x.s.dialect, &a, "dt.duty_id", ids), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: open duty targets: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id, tid, uid, sub int64
		var upath, tpath string
		if err := trows.Scan(&id, &tid, &uid, &sub, &upath, &tpath); err != nil {
			return nil, err
		}
		d := byID[id]
		if uid == 0 {
			d.govs = append(d.govs, reachGov{tenantID: tid, path: tpath, below: sub != 0})
		} else {
			d.units = append(d.units, reachUnit{tenantID: tid, unitID: uid, path: upath, exact: sub == 0})
		}
	}
	return out, trows.Err()
}

// dutiesFollow brings every open duty up to date with the employees ids,
// whose unit, government, status or types may just have changed, or who
// are new (see the rule above). It is cheap when no duty is open.
func (x *tx) dutiesFollow(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	open, err := x.openDutiesLocked(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	for c := range slices.Chunk(ids, followChunk) {
		if err := x.follow(ctx, open, "id", c, nil); err != nil {
			return err
		}
	}
	return nil
}

// dutiesFollowImport is dutiesFollow for a batch of imported rows, found by
// their NIPs after the batch is written (COPY gives no ids). Only rows of a
// government some open duty reaches are looked at: an import never moves
// anyone to another government (that is a pending transfer), so nobody
// else's counts can change.
func (x *tx) dutiesFollowImport(ctx context.Context, rows []ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	open, err := x.openDutiesLocked(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	reached := map[int64]bool{}
	var nips []string
	for i := range rows {
		tid := rows[i].Employee.TenantID
		ok, seen := reached[tid]
		if !seen {
			tpath, err := x.s.tenantPath(ctx, x, tid)
			if err != nil {
				return err
			}
			for _, d := range open {
				ok = ok || d.reaches(tid, tpath)
			}
			reached[tid] = ok
		}
		if ok {
			nips = append(nips, rows[i].Employee.NIP)
		}
	}
	for c := range slices.Chunk(nips, followChunk) {
		if err := x.follow(ctx, open, "nip", nil, c); err != nil {
			return err
		}
	}
	return nil
}

// employeeStates reads the current state of the employees with the given
// ids (by "id") or NIPs (by "nip").
func (x *tx) employeeStates(ctx context.Context, by string, ids []int64, nips []string) ([]employeeState, error) {
	var a args
	var cond string
	if by == "id" {
		cond = idIn(x.s.dialect, &a, "e.id", ids)
	} else if x.s.dialect == Postgres {
		cond = "e.nip = ANY(" + a.add(nips) + ")"
	} else {
		cond = "e.nip IN (" + inList(&a, nips) + ")"
	}
	rows, err := x.QueryContext(ctx, `SELECT e.id, e.tenant_id, e.unit_id, t.path, u.path, e.type, e.position_type, e.status
		FROM employees e JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE `+cond, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: employee states: %w", err)
	}
	defer rows.Close()
	var out []employeeState
	for rows.Next() {
		var e employeeState
		if err := rows.Scan(&e.id, &e.tenantID, &e.unitID, &e.tenantPath, &e.unitPath, &e.typ, &e.pos, &e.status); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// follow is one round of a hook over a chunk of employees.
func (x *tx) follow(ctx context.Context, open []*dutyReach, by string, ids []int64, nips []string) error {
	emps, err := x.employeeStates(ctx, by, ids, nips)
	if err != nil || len(emps) == 0 {
		return err
	}
	empIDs := make([]int64, len(emps))
	for i, e := range emps {
		empIDs[i] = e.id
	}
	dutyIDs := make([]int64, len(open))
	for i, d := range open {
		dutyIDs[i] = d.id
	}
	// Their rows in the open duties. On PostgreSQL they are locked, so that
	// a batch of signatures being counted for one of them finishes first
	// and the move carries the status it left (READ COMMITTED reads the
	// row again once the lock is granted).
	var a args
	q := `SELECT duty_id, employee_id, tenant_id, unit_id, emp_type, pos_type, status, counted FROM duty_assignees
		WHERE ` + idIn(x.s.dialect, &a, "employee_id", empIDs) + ` AND ` + idIn(x.s.dialect, &a, "duty_id", dutyIDs)
	if x.s.dialect == Postgres {
		q += ` ORDER BY duty_id, employee_id FOR UPDATE`
	}
	rows, err := x.QueryContext(ctx, q, a.v...)
	if err != nil {
		return fmt.Errorf("store: duty rows of employees: %w", err)
	}
	have, err := scanAssignees(rows)
	rows.Close()
	if err != nil {
		return err
	}
	type pair struct{ duty, emp int64 }
	byPair := make(map[pair]assigneeRow, len(have))
	for _, h := range have {
		byPair[pair{h.dutyID, h.employeeID}] = h
	}
	var gone, now, upsert, joined []assigneeRow
	r := newNodeResolver(x)
	for _, d := range open {
		r.duty(d.id, d.home.tenantID, d.home.path)
		for i := range emps {
			e := &emps[i]
			old, had := byPair[pair{d.id, e.id}]
			if !had && !d.reaches(e.tenantID, e.tenantPath) {
				continue
			}
			want := d.targets(e)
			cur := assigneeRow{dutyID: d.id, employeeID: e.id, tenantID: e.tenantID, unitID: e.unitID,
				typ: string(e.typ), pos: string(e.pos), status: netra.AssigneePending, counted: want}
			switch {
			case !had && want:
				upsert, now, joined = append(upsert, cur), append(now, cur), append(joined, cur)
			case !had, !old.counted && !want, old.counted && want && old.samePlace(cur):
				// Nothing changes.
			case old.counted && !want:
				// Left the target: the row stays where it was counted, marked as left.
				gone = append(gone, old)
				old.counted = false
				upsert = append(upsert, old)
			default:
				// Moved within the target, or back into it: counted where they are now, with their status.
				if old.counted {
					gone = append(gone, old)
				}
				cur.status = old.status
				upsert, now = append(upsert, cur), append(now, cur)
			}
		}
	}
	if len(upsert) == 0 {
		return nil
	}
	deltas := covDeltas{}
	if err := r.count(ctx, deltas, gone, -1); err != nil {
		return err
	}
	if err := r.count(ctx, deltas, now, 1); err != nil {
		return err
	}
	if err := x.upsertAssignees(ctx, upsert); err != nil {
		return err
	}
	if err := x.applyCoverage(ctx, deltas); err != nil {
		return err
	}
	return x.noticeJoined(ctx, open, joined)
}

// upsertAssignees writes rows in one statement: new ones as pending; for
// existing ones the place they are counted at and whether they are counted
// (never their status, which only the duty's own paths change).
func (x *tx) upsertAssignees(ctx context.Context, rows []assigneeRow) error {
	slices.SortFunc(rows, func(a, b assigneeRow) int {
		return cmp.Or(cmp.Compare(a.dutyID, b.dutyID), cmp.Compare(a.employeeID, b.employeeID))
	})
	vals := make([][]any, len(rows))
	for i, r := range rows {
		vals[i] = []any{r.dutyID, r.employeeID, r.tenantID, r.unitID, r.typ, r.pos, int64(boolInt(r.counted))}
	}
	var a args
	src := x.rowsFrom(&a, "iiiissi", vals)
	if _, err := x.ExecContext(ctx, `INSERT INTO duty_assignees (duty_id, employee_id, tenant_id, unit_id, emp_type, pos_type,
		status, counted, updated_at)
		SELECT r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, 'pending', r.c6, `+a.add(x.now)+` FROM `+src+` WHERE TRUE
		ON CONFLICT (duty_id, employee_id) DO UPDATE SET tenant_id = excluded.tenant_id, unit_id = excluded.unit_id,
			emp_type = excluded.emp_type, pos_type = excluded.pos_type, counted = excluded.counted, updated_at = excluded.updated_at`,
		a.v...); err != nil {
		return fmt.Errorf("store: duty assignees: %w", err)
	}
	return nil
}

// dutyUnitMoved follows a unit that moved (MoveUnit) from oldPath to
// newPath in its government. The totals of its subtree, kept in its own
// coverage rows, leave the units that were above it and join those above it
// now (a handful of rows per open duty, whatever the subtree holds); then,
// for a duty whose target names units, the employees of the subtree are
// followed like moved people, since they may have come into or gone out of
// a targeted subtree.
func (x *tx) dutyUnitMoved(ctx context.Context, tenantID, unitID int64, oldPath, newPath string) error {
	open, err := x.openDutiesLocked(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	tpath, err := x.s.tenantPath(ctx, x, tenantID)
	if err != nil {
		return err
	}
	strictAbove := func(p string) []int64 {
		ids := pathIDs(p)
		return ids[:len(ids)-1]
	}
	deltas := covDeltas{}
	membership := false
	for _, d := range open {
		if !d.reaches(tenantID, tpath) {
			continue
		}
		// Whole governments keep everyone of theirs whatever the units do.
		membership = membership || len(d.units) > 0
		rows, err := x.QueryContext(ctx, `SELECT dim, targeted, done, excused FROM duty_coverage
			WHERE duty_id = $1 AND tenant_id = $2 AND unit_id = $3`, d.id, tenantID, unitID)
		if err != nil {
			return fmt.Errorf("store: moved unit coverage: %w", err)
		}
		for rows.Next() {
			var dim string
			var v [3]int64
			if err := rows.Scan(&dim, &v[0], &v[1], &v[2]); err != nil {
				rows.Close()
				return err
			}
			for sign, ids := range map[int64][]int64{-1: strictAbove(oldPath), 1: strictAbove(newPath)} {
				for _, u := range ids {
					k := covKey{d.id, tenantID, u, dim}
					if deltas[k] == nil {
						deltas[k] = &[3]int64{}
					}
					for i := range v {
						deltas[k][i] += sign * v[i]
					}
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if err := x.applyCoverage(ctx, deltas); err != nil || !membership {
		return err
	}
	lo, hi := subtree(newPath)
	erows, err := x.QueryContext(ctx, `SELECT e.id FROM employees e WHERE e.unit_id IN
		(SELECT u.id FROM org_units u WHERE u.tenant_id = $1 AND u.path >= $2 AND u.path < $3) ORDER BY e.id`, tenantID, lo, hi)
	if err != nil {
		return fmt.Errorf("store: moved unit employees: %w", err)
	}
	var ids []int64
	for erows.Next() {
		var id int64
		if err := erows.Scan(&id); err != nil {
			erows.Close()
			return err
		}
		ids = append(ids, id)
	}
	erows.Close()
	if err := erows.Err(); err != nil {
		return err
	}
	for c := range slices.Chunk(ids, followChunk) {
		if err := x.follow(ctx, open, "id", c, nil); err != nil {
			return err
		}
	}
	return nil
}

// bulkIDs returns the employee ids of a chunk of a bulk change.
func bulkIDs(rs []bulkRow) []int64 {
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.id
	}
	return ids
}
