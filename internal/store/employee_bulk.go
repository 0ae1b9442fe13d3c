package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// BulkMax bounds the employees one bulk operation may change. A selection
// is held as ids only (8 bytes each, 1.6 MB at the bound) and written in
// chunks of bulkChunk rows, so neither memory nor a single statement grows
// with it; the whole operation is still one transaction, so that it is
// applied entirely or not at all.
const BulkMax = 200_000

// bulkChunk is how many employees one statement of a bulk operation reads,
// updates or records history for: 500 rows of 5 history parameters stay
// well inside both engines' parameter limits.
const bulkChunk = 500

// BulkAction is the audit action of every bulk change of employees; its
// entries are the record of bulk operations (see BulkOperations).
const BulkAction = "employee.bulk"

// EmployeeSelection names the employees a bulk operation acts on: the
// listed IDs (one ticked row, or a page), or, when Filter is set, every
// employee matching it that the actor may read ("all N matching"); the
// filter's After and Limit are ignored.
type EmployeeSelection struct {
	IDs    []int64
	Filter *netra.EmployeeFilter
}

// BulkResult says what a bulk operation did.
type BulkResult struct {
	Selected  int // employees in the selection
	Changed   int // employees changed (each with a history row)
	Unchanged int // already in the unit, or already of the status
}

// BulkMoveEmployees moves the selected employees to the unit unitID. The
// actor must be able to write every selected employee and the target unit,
// and every employee must belong to the target unit's government (a move to
// another government is a transfer, never a bulk edit); otherwise nothing
// changes and the error says how many employees are out of reach. The
// operation is one audit entry (action BulkAction) naming the selection and
// the count, plus one history row on each changed employee.
func (s *Store) BulkMoveEmployees(ctx context.Context, sel EmployeeSelection, unitID int64) (BulkResult, error) {
	return s.bulk(ctx, sel, bulkOp{kind: "move", unitID: unitID})
}

// BulkSetStatus sets the employment status of the selected employees, with
// the same rules, audit entry and history rows as BulkMoveEmployees.
func (s *Store) BulkSetStatus(ctx context.Context, sel EmployeeSelection, status netra.EmployeeStatus) (BulkResult, error) {
	if !status.Valid() {
		return BulkResult{}, netra.Invalid("status", netra.Msg("Status pegawai tidak dikenal.", "Unknown employee status."))
	}
	return s.bulk(ctx, sel, bulkOp{kind: "status", status: status})
}

type bulkOp struct {
	kind   string // "move" or "status"
	unitID int64
	status netra.EmployeeStatus
}

func (s *Store) bulk(ctx context.Context, sel EmployeeSelection, op bulkOp) (BulkResult, error) {
	if _, err := scopeOf(ctx, netra.PermEmployeeWrite); err != nil {
		return BulkResult{}, err
	}
	ids, err := s.selectionIDs(ctx, sel)
	if err != nil {
		return BulkResult{}, err
	}
	res := BulkResult{Selected: len(ids)}
	if len(ids) == 0 {
		return res, netra.Invalid("selection", netra.Msg("Tidak ada pegawai yang dipilih.", "No employee is selected."))
	}
	err = s.write(ctx, func(x *tx) error {
		var target *netra.OrgUnit
		if op.kind == "move" {
			u, err := x.unitInScope(ctx, op.unitID, netra.PermEmployeeWrite)
			if err != nil {
				return err
			}
			target = u
		}
		wsc := x.actor.ScopeFor(netra.PermEmployeeWrite)
		outside, otherGov := 0, 0
		tenant := int64(-1) // the one government of every row, 0 when several
		for c := range slices.Chunk(ids, bulkChunk) {
			rows, err := x.bulkRows(ctx, c)
			if err != nil {
				return err
			}
			outside += len(c) - len(rows) // gone, or not even readable
			var changed []bulkRow
			for _, r := range rows {
				switch {
				case !wsc.CoversUnit(r.tenantID, r.tenantPath, r.unitPath):
					outside++
					continue
				case target != nil && r.tenantID != target.TenantID:
					otherGov++
					continue
				}
				if tenant == -1 {
					tenant = r.tenantID
				} else if tenant != r.tenantID {
					tenant = 0
				}
				if (target != nil && r.unitID == target.ID) || (target == nil && r.status == op.status) {
					res.Unchanged++
					continue
				}
				changed = append(changed, r)
			}
			if outside > 0 || otherGov > 0 || len(changed) == 0 {
				continue // keep counting; nothing is written once a row is refused
			}
			if err := x.bulkApply(ctx, changed, op, target); err != nil {
				return err
			}
			if err := x.dutiesFollow(ctx, bulkIDs(changed)); err != nil { // duty_follow.go
				return err
			}
			res.Changed += len(changed)
		}
		if outside > 0 {
			return netra.Invalid("selection", netra.Msg(
				fmt.Sprintf("%d dari %d pegawai yang dipilih di luar wewenang Anda untuk diubah (instansi atau unit lain); tidak ada yang diubah. Persempit pilihan atau saringan.", outside, len(ids)),
				fmt.Sprintf("%d of the %d selected employees are outside what you may change (another government or unit); nothing was changed. Narrow the selection or the filter.", outside, len(ids))))
		}
		if otherGov > 0 {
			return netra.Invalid("unit", netra.Msg(
				fmt.Sprintf("%d dari %d pegawai yang dipilih bukan pegawai instansi unit tujuan; pindah antar instansi adalah mutasi, bukan perubahan massal. Tidak ada yang diubah.", otherGov, len(ids)),
				fmt.Sprintf("%d of the %d selected employees belong to another government than the target unit; a move between governments is a transfer, not a bulk edit. Nothing was changed.", otherGov, len(ids))))
		}
		if tenant < 0 {
			tenant = 0
		}
		sum := map[string]any{"op": op.kind, "count": res.Changed, "selected": res.Selected, "unchanged": res.Unchanged}
		if target != nil {
			sum["unit_id"], sum["unit"] = target.ID, target.Name
		} else {
			sum["status"] = string(op.status)
		}
		if sel.Filter != nil {
			sum["filter"] = filterSummary(*sel.Filter)
		} else {
			shown := ids
			if len(shown) > 100 {
				shown = shown[:100] // the history rows name every one
			}
			sum["ids"] = shown
		}
		return x.audit(ctx, tenant, BulkAction, "employee", 0, sum)
	})
	if err != nil {
		return BulkResult{Selected: res.Selected}, err
	}
	return res, nil
}

// selectionIDs resolves a selection to distinct employee ids, at most
// BulkMax. A filter is read through the same query as the employee list
// (in the actor's read scope), a page at a time, keeping only the ids.
func (s *Store) selectionIDs(ctx context.Context, sel EmployeeSelection) ([]int64, error) {
	tooMany := func(n string) error {
		return netra.Invalid("selection", netra.Msg(
			"Pilihan berisi "+n+" pegawai, lebih dari batas "+strconv.Itoa(BulkMax)+" untuk satu perubahan massal. Persempit saringan.",
			"The selection holds "+n+" employees, more than the limit of "+strconv.Itoa(BulkMax)+" for one bulk change. Narrow the filter."))
	}
	if sel.Filter == nil {
		if len(sel.IDs) > BulkMax {
			return nil, tooMany(strconv.Itoa(len(sel.IDs)))
		}
		ids := slices.Clone(sel.IDs)
		slices.Sort(ids)
		return slices.Compact(ids), nil
	}
	// One query for the ids alone, in no order: paging through the list
	// (a count and a page of full rows per 500) took 1.3 s for a unit
	// subtree of 10,000 in a national registry.
	eq, err := s.employeeQuery(ctx, *sel.Filter)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT e.id`+eq.countFrom+` LIMIT `+strconv.Itoa(BulkMax+1), eq.a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: selection: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: selection: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: selection: %w", err)
	}
	if len(ids) > BulkMax {
		return nil, tooMany(strconv.Itoa(BulkMax) + "+")
	}
	slices.Sort(ids)
	return ids, nil
}

type bulkRow struct {
	id, tenantID, unitID int64
	status               netra.EmployeeStatus
	unitPath, tenantPath string
}

// bulkRows loads, inside the transaction, what the scope check and the
// change need of each employee in ids (absent ids are left out).
func (x *tx) bulkRows(ctx context.Context, ids []int64) ([]bulkRow, error) {
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	// The paths come from subqueries so that the employees' primary key
	// drives the query, whatever a planner without statistics would make of
	// joins to the (few) tenants.
	rows, err := x.QueryContext(ctx, `SELECT e.id, e.tenant_id, e.unit_id, e.status,
		(SELECT u.path FROM org_units u WHERE u.id = e.unit_id), (SELECT t.path FROM tenants t WHERE t.id = e.tenant_id)
		FROM employees e WHERE e.id IN (`+strings.Join(ph, ", ")+`)`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: bulk employees: %w", err)
	}
	defer rows.Close()
	var out []bulkRow
	for rows.Next() {
		var r bulkRow
		if err := rows.Scan(&r.id, &r.tenantID, &r.unitID, &r.status, &r.unitPath, &r.tenantPath); err != nil {
			return nil, fmt.Errorf("store: bulk employees: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// bulkApply writes one chunk: one INSERT of the history rows, built in SQL
// from the rows' current values (a multi-row VALUES of 2,500 parameters
// made SQLite spend 50 ms parsing each chunk), then one UPDATE. The history
// rows hold the same JSON as UpdateEmployee's (the casts type the select
// list's parameters for PostgreSQL): {"status":{"from":"active",
// "to":"cltn"}} or {"unit_id":{"from":12,"to":34}}.
func (x *tx) bulkApply(ctx context.Context, rs []bulkRow, op bulkOp, target *netra.OrgUnit) error {
	var h args
	at, actor, src := h.add(x.now), h.add(x.actor.Label), h.add("bulk")
	var changes string
	if target != nil {
		changes = `'{"unit_id":{"from":' || CAST(e.unit_id AS TEXT) || ',"to":' || CAST(` + h.add(strconv.FormatInt(target.ID, 10)) + ` AS TEXT) || '}}'`
	} else {
		to, err := json.Marshal(op.status)
		if err != nil {
			return err
		}
		changes = `'{"status":{"from":"' || e.status || '","to":' || CAST(` + h.add(string(to)) + ` AS TEXT) || '}}'`
	}
	ph := make([]string, len(rs))
	for i, r := range rs {
		ph[i] = h.add(r.id)
	}
	in := strings.Join(ph, ", ")
	if _, err := x.ExecContext(ctx, `INSERT INTO employee_history (employee_id, at, actor, source, changes)
		SELECT e.id, CAST(`+at+` AS BIGINT), CAST(`+actor+` AS TEXT), CAST(`+src+` AS TEXT), `+changes+`
		FROM employees e WHERE e.id IN (`+in+`)`, h.v...); err != nil {
		return fmt.Errorf("store: bulk history: %w", err)
	}
	var a args
	var set string
	if target != nil {
		set = "unit_id = " + a.add(target.ID)
	} else {
		set = "status = " + a.add(op.status)
	}
	set += ", updated_at = " + a.add(x.now)
	for i, r := range rs {
		ph[i] = a.add(r.id)
	}
	if _, err := x.ExecContext(ctx, `UPDATE employees SET `+set+` WHERE id IN (`+strings.Join(ph, ", ")+`)`, a.v...); err != nil {
		return fmt.Errorf("store: bulk update: %w", err)
	}
	return nil
}

// filterSummary is a filter as the audit log records it: the set fields only.
func filterSummary(f netra.EmployeeFilter) map[string]any {
	sum := map[string]any{}
	for k, v := range map[string]any{"tenant_id": f.TenantID, "unit_id": f.UnitID, "type": string(f.Type),
		"position_type": string(f.PositionType), "status": string(f.Status), "q": strings.TrimSpace(f.Search)} {
		if v != int64(0) && v != "" {
			sum[k] = v
		}
	}
	return sum
}

// BulkOperations lists the bulk changes of employees the actor may see in
// the audit log (audit.read scope), newest first: who, when, what, how many.
func (s *Store) BulkOperations(ctx context.Context, f netra.AuditFilter) ([]netra.AuditEntry, error) {
	f.Action = BulkAction
	return s.AuditEntries(ctx, f)
}

// EachEmployee calls fn with every employee matching f that the actor may
// read, in the list's order, with the code of the employee's unit, reading
// a page of 500 at a time so that memory does not grow with the list. It is
// one audited list read (via names the channel, such as "csv"), recorded
// with the count that went out even when fn or the read fails midway.
func (s *Store) EachEmployee(ctx context.Context, f netra.EmployeeFilter, via string, fn func(e *netra.Employee, unitCode string) error) (n int, err error) {
	if _, err := scopeOf(ctx, netra.PermEmployeeRead); err != nil {
		return 0, err
	}
	defer func() {
		if n == 0 && err != nil {
			return
		}
		sum := filterSummary(f)
		sum["count"], sum["via"] = n, via
		if aerr := s.auditList(ctx, f.TenantID, "employee", sum); aerr != nil && err == nil {
			err = aerr
		}
	}()
	codes := map[int64]string{}
	f.After, f.Limit = "", bulkChunk
	for {
		pg, err := s.employees(ctx, f, true)
		if err != nil {
			return n, err
		}
		for i := range pg.Employees {
			e := &pg.Employees[i]
			code, ok := codes[e.UnitID]
			if !ok {
				if err := s.r.QueryRowContext(ctx, `SELECT code FROM org_units WHERE id = $1`, e.UnitID).Scan(&code); err != nil {
					return n, fmt.Errorf("store: unit code: %w", err)
				}
				codes[e.UnitID] = code
			}
			if err := fn(e, code); err != nil {
				return n, err
			}
			n++
		}
		if pg.Next == "" {
			return n, nil
		}
		f.After = pg.Next
	}
}

// SelectionSize returns how many employees a selection holds, for the
// confirmation step of a bulk change: exact up to BulkMax, an error past it.
// It reads ids only, hands out no one, and is not audited.
func (s *Store) SelectionSize(ctx context.Context, sel EmployeeSelection) (int, error) {
	if _, err := scopeOf(ctx, netra.PermEmployeeRead); err != nil {
		return 0, err
	}
	ids, err := s.selectionIDs(ctx, sel)
	return len(ids), err
}
