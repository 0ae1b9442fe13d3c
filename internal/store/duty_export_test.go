package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/netra-id/netra"
)

// DutyDoneForTest runs dutyDone in a transaction of its own, as the actor in ctx.
func DutyDoneForTest(ctx context.Context, s *Store, dutyID int64, ids ...int64) ([]int64, error) {
	var out []int64
	err := s.write(ctx, func(x *tx) error {
		var err error
		out, err = x.dutyDone(ctx, dutyID, ids)
		return err
	})
	return out, err
}

// DutyUndoneForTest runs dutyUndone in a transaction of its own.
func DutyUndoneForTest(ctx context.Context, s *Store, dutyID, employeeID int64) error {
	return s.write(ctx, func(x *tx) error { return x.dutyUndone(ctx, dutyID, employeeID) })
}

// DutyRowForTest returns an employee's duty_assignees row: its status,
// whether it is counted, and the unit it is counted at (ok false: no row).
func DutyRowForTest(s *Store, dutyID, employeeID int64) (status string, counted bool, unitID int64, ok bool) {
	var c int64
	err := s.r.QueryRow(`SELECT status, counted, unit_id FROM duty_assignees WHERE duty_id = $1 AND employee_id = $2`,
		dutyID, employeeID).Scan(&status, &c, &unitID)
	return status, c != 0, unitID, err == nil
}

// DutyCheckForTest is the property every change must keep: it recounts a
// duty from scratch, with code of its own, and returns what differs ("" when
// nothing does):
//   - for an open duty, the counted assignees are exactly the in-service
//     employees its target reaches now, each counted at their current
//     government, unit and types;
//   - duty_coverage holds, for every unit and government at or above a
//     counted assignee, the totals of its subtree in each dimension.
func DutyCheckForTest(s *Store, dutyID int64) (string, error) {
	ctx := context.Background()
	q := s.r
	var dutyTenant int64
	var status, types, positions string
	if err := q.QueryRowContext(ctx, `SELECT tenant_id, status, employment_types, position_types FROM duties WHERE id = $1`,
		dutyID).Scan(&dutyTenant, &status, &types, &positions); err != nil {
		return "", err
	}
	type tenant struct {
		path   string
		parent int64
	}
	tenants := map[int64]tenant{}
	rows, err := q.QueryContext(ctx, `SELECT id, path, COALESCE(parent_id, 0) FROM tenants`)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id int64
		var t tenant
		if err := rows.Scan(&id, &t.path, &t.parent); err != nil {
			return "", err
		}
		tenants[id] = t
	}
	rows.Close()
	type unit struct {
		tenant, parent int64
		path           string
	}
	units := map[int64]unit{}
	rows, err = q.QueryContext(ctx, `SELECT id, tenant_id, COALESCE(parent_id, 0), path FROM org_units`)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id int64
		var u unit
		if err := rows.Scan(&id, &u.tenant, &u.parent, &u.path); err != nil {
			return "", err
		}
		units[id] = u
	}
	rows.Close()
	type place struct {
		tenant, unit int64
		typ, pos     string
	}
	type arow struct {
		place
		status  string
		counted bool
	}
	assignees := map[int64]arow{}
	rows, err = q.QueryContext(ctx, `SELECT employee_id, tenant_id, unit_id, emp_type, pos_type, status, counted FROM duty_assignees WHERE duty_id = $1`, dutyID)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id, c int64
		var r arow
		if err := rows.Scan(&id, &r.tenant, &r.unit, &r.typ, &r.pos, &r.status, &c); err != nil {
			return "", err
		}
		r.counted = c != 0
		assignees[id] = r
	}
	rows.Close()
	var problems []string

	if status == string(netra.DutyOpen) {
		type target struct {
			tenant, unit int64
			subtree      bool
		}
		var targets []target
		rows, err = q.QueryContext(ctx, `SELECT tenant_id, unit_id, subtree FROM duty_targets WHERE duty_id = $1`, dutyID)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var t target
			var sub int64
			if err := rows.Scan(&t.tenant, &t.unit, &sub); err != nil {
				return "", err
			}
			t.subtree = sub != 0
			targets = append(targets, t)
		}
		rows.Close()
		// Is unit a at or below unit b? Walk up the parents.
		under := func(a, b int64) bool {
			for ; a != 0; a = units[a].parent {
				if a == b {
					return true
				}
			}
			return false
		}
		govUnder := func(a, b int64) bool {
			for ; a != 0; a = tenants[a].parent {
				if a == b {
					return true
				}
			}
			return false
		}
		rows, err = q.QueryContext(ctx, `SELECT id, tenant_id, unit_id, type, position_type, status FROM employees`)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var id int64
			var p place
			var st string
			if err := rows.Scan(&id, &p.tenant, &p.unit, &p.typ, &p.pos, &st); err != nil {
				return "", err
			}
			in := netra.EmployeeStatus(st).InService() && (types == "" || slices.Contains(strings.Split(types, ","), p.typ)) &&
				(positions == "" || slices.Contains(strings.Split(positions, ","), p.pos))
			hit := false
			for _, t := range targets {
				switch {
				case t.unit != 0 && t.subtree:
					hit = hit || under(p.unit, t.unit)
				case t.unit != 0:
					hit = hit || p.unit == t.unit
				case t.subtree:
					hit = hit || govUnder(p.tenant, t.tenant)
				default:
					hit = hit || p.tenant == t.tenant
				}
			}
			in = in && hit
			a, ok := assignees[id]
			switch {
			case in && (!ok || !a.counted):
				problems = append(problems, fmt.Sprintf("employee %d is in the target but not counted", id))
			case !in && ok && a.counted:
				problems = append(problems, fmt.Sprintf("employee %d is counted but not in the target", id))
			case in && a.place != p:
				problems = append(problems, fmt.Sprintf("employee %d counted at %+v, is at %+v", id, a.place, p))
			}
		}
		rows.Close()
	}

	type key struct {
		tenant, unit int64
		dim          string
	}
	want := map[key][3]int64{}
	for _, a := range assignees {
		if !a.counted {
			continue
		}
		v := [3]int64{1, 0, 0}
		switch a.status {
		case "done":
			v[1] = 1
		case "excused":
			v[2] = 1
		}
		add := func(t, u int64) {
			for _, dim := range []string{"", "type:" + a.typ, "pos:" + a.pos} {
				k := key{t, u, dim}
				w := want[k]
				for i := range v {
					w[i] += v[i]
				}
				want[k] = w
			}
		}
		for u := a.unit; u != 0; u = units[u].parent {
			add(a.tenant, u)
		}
		for t := a.tenant; t != 0; t = tenants[t].parent {
			add(t, 0)
			if t == dutyTenant {
				break
			}
		}
	}
	got := map[key][3]int64{}
	rows, err = q.QueryContext(ctx, `SELECT tenant_id, unit_id, dim, targeted, done, excused FROM duty_coverage WHERE duty_id = $1`, dutyID)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var k key
		var v [3]int64
		if err := rows.Scan(&k.tenant, &k.unit, &k.dim, &v[0], &v[1], &v[2]); err != nil {
			return "", err
		}
		if v != [3]int64{} {
			got[k] = v
		}
	}
	rows.Close()
	for k, v := range want {
		if got[k] != v {
			problems = append(problems, fmt.Sprintf("coverage %+v is %v, recount %v", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			problems = append(problems, fmt.Sprintf("coverage %+v is %v, recount nothing", k, v))
		}
	}
	sort.Strings(problems)
	return strings.Join(problems, "\n"), nil
}
