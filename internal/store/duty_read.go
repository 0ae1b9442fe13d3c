package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// Reading coverage never counts employees: the totals of a node (a unit and
// everything below it, or a whole government) are rows of duty_coverage
// read by primary key, its children's totals one more key read each, and
// the breakdowns by employment and position type are the node's other
// rows. A national campaign's page costs what a city's does.

// DutyCoverageView is the coverage of one node of a duty's target: the
// node's totals, its children's (the units below it; for a government also
// the governments below it that the duty reaches), and the node's
// breakdowns by employment type and by position type, in display order.
// Children and breakdown rows with nobody targeted are left out.
type DutyCoverageView struct {
	Duty       *netra.Duty
	Node       netra.Coverage
	Children   []netra.Coverage
	ByType     []netra.Coverage
	ByPosition []netra.Coverage
}

// dutyNode is a node of a duty's target, resolved and checked.
type dutyNode struct {
	tenantID   int64
	tenantPath string
	unitID     int64 // 0: the whole government
	unitPath   string
	name       string
}

// dutyNodeFor resolves the node (a unit, or with unitID 0 the government
// tenantID) of duty d for an actor with duty.read scope sc: it must lie
// within the duty's government (or below it) and within the scope
// (ErrForbidden otherwise). unitID 0 with tenantID 0 is the duty's own
// government, or, for an actor who reads only a unit subtree of it, that
// unit.
func (s *Store) dutyNodeFor(ctx context.Context, sc netra.Scope, d *netra.Duty, dpath string, tenantID, unitID int64) (*dutyNode, error) {
	if unitID == 0 && tenantID == 0 {
		tenantID = d.TenantID
		if !sc.CoversTenant(dpath) {
			for _, ar := range sc.Areas {
				if ar.TenantID == d.TenantID && ar.UnitPath != "" {
					ids := pathIDs(ar.UnitPath)
					unitID = ids[len(ids)-1]
					break
				}
			}
		}
	}
	n := &dutyNode{tenantID: tenantID, unitID: unitID}
	var err error
	if unitID != 0 {
		err = s.r.QueryRowContext(ctx, `SELECT u.tenant_id, t.path, u.path, u.name FROM org_units u JOIN tenants t ON t.id = u.tenant_id
			WHERE u.id = $1`, unitID).Scan(&n.tenantID, &n.tenantPath, &n.unitPath, &n.name)
	} else {
		err = s.r.QueryRowContext(ctx, `SELECT path, name FROM tenants WHERE id = $1`, tenantID).Scan(&n.tenantPath, &n.name)
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(n.tenantPath, dpath)) {
		return nil, fmt.Errorf("duty %d node: %w", d.ID, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: duty node: %w", err)
	}
	if (unitID != 0 && !sc.CoversUnit(n.tenantID, n.tenantPath, n.unitPath)) || (unitID == 0 && !sc.CoversTenant(n.tenantPath)) {
		return nil, fmt.Errorf("duty %d node: %w", d.ID, netra.ErrForbidden)
	}
	return n, nil
}

// DutyCoverage returns the coverage of a unit of a duty's target (the
// unit and everything below it), or with unitID 0 of the duty's whole
// government (for an actor who reads only a unit subtree: that unit). The
// actor's duty.read scope must cover the node: a city's leader sees their
// city, a province's leader the province and the regencies below it
// (duty.read is an oversight permission), an employee nothing. A unit with
// nobody targeted has zero totals.
func (s *Store) DutyCoverage(ctx context.Context, dutyID, unitID int64) (*DutyCoverageView, error) {
	return s.dutyCoverage(ctx, dutyID, 0, unitID)
}

// DutyGovernmentCoverage is DutyCoverage for a whole government of the
// duty's target: the duty's own, or one below it that the duty reaches.
func (s *Store) DutyGovernmentCoverage(ctx context.Context, dutyID, tenantID int64) (*DutyCoverageView, error) {
	if tenantID == 0 {
		return nil, fmt.Errorf("duty %d government 0: %w", dutyID, netra.ErrNotFound)
	}
	return s.dutyCoverage(ctx, dutyID, tenantID, 0)
}

func (s *Store) dutyCoverage(ctx context.Context, dutyID, tenantID, unitID int64) (*DutyCoverageView, error) {
	sc, err := scopeOf(ctx, netra.PermDutyRead)
	if err != nil {
		return nil, err
	}
	d, dpath, err := s.dutyReadable(ctx, sc, dutyID)
	if err != nil {
		return nil, err
	}
	n, err := s.dutyNodeFor(ctx, sc, d, dpath, tenantID, unitID)
	if err != nil {
		return nil, err
	}
	v := &DutyCoverageView{Duty: d, Node: netra.Coverage{TenantID: n.tenantID, UnitID: n.unitID, Name: n.name}}
	rows, err := s.r.QueryContext(ctx, `SELECT dim, targeted, done, excused FROM duty_coverage
		WHERE duty_id = $1 AND tenant_id = $2 AND unit_id = $3`, d.ID, n.tenantID, n.unitID)
	if err != nil {
		return nil, fmt.Errorf("store: duty coverage: %w", err)
	}
	byDim := map[string]netra.Coverage{}
	for rows.Next() {
		c := netra.Coverage{TenantID: n.tenantID, UnitID: n.unitID}
		if err := rows.Scan(&c.Dim, &c.Targeted, &c.Done, &c.Excused); err != nil {
			rows.Close()
			return nil, err
		}
		byDim[c.Dim] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if t, ok := byDim[""]; ok {
		v.Node.Targeted, v.Node.Done, v.Node.Excused = t.Targeted, t.Done, t.Excused
	}
	for _, et := range netra.EmploymentTypes {
		if c, ok := byDim[netra.DimType(et)]; ok && c.Targeted > 0 {
			c.EmploymentType = et
			v.ByType = append(v.ByType, c)
		}
	}
	for _, pt := range netra.PositionTypes {
		if c, ok := byDim[netra.DimPosition(pt)]; ok && c.Targeted > 0 {
			c.PositionType = pt
			v.ByPosition = append(v.ByPosition, c)
		}
	}
	// The children: units below the node, then (for a government) the
	// governments below it, each one key read of duty_coverage.
	var qs []string
	var args [][]any
	if n.unitID != 0 {
		qs = append(qs, `SELECT u.tenant_id, u.id, u.name, c.targeted, c.done, c.excused FROM org_units u
			JOIN duty_coverage c ON c.duty_id = $1 AND c.tenant_id = u.tenant_id AND c.unit_id = u.id AND c.dim = ''
			WHERE u.parent_id = $2 AND c.targeted > 0 ORDER BY u.name, u.id`)
		args = append(args, []any{d.ID, n.unitID})
	} else {
		qs = append(qs, `SELECT u.tenant_id, u.id, u.name, c.targeted, c.done, c.excused FROM org_units u
			JOIN duty_coverage c ON c.duty_id = $1 AND c.tenant_id = u.tenant_id AND c.unit_id = u.id AND c.dim = ''
			WHERE u.tenant_id = $2 AND u.parent_id IS NULL AND c.targeted > 0 ORDER BY u.name, u.id`,
			`SELECT t.id, 0, t.name, c.targeted, c.done, c.excused FROM tenants t
			JOIN duty_coverage c ON c.duty_id = $1 AND c.tenant_id = t.id AND c.unit_id = 0 AND c.dim = ''
			WHERE t.parent_id = $2 AND c.targeted > 0 ORDER BY t.code`)
		args = append(args, []any{d.ID, n.tenantID}, []any{d.ID, n.tenantID})
	}
	for i, q := range qs {
		rows, err := s.r.QueryContext(ctx, q, args[i]...)
		if err != nil {
			return nil, fmt.Errorf("store: duty coverage children: %w", err)
		}
		for rows.Next() {
			var c netra.Coverage
			if err := rows.Scan(&c.TenantID, &c.UnitID, &c.Name, &c.Targeted, &c.Done, &c.Excused); err != nil {
				rows.Close()
				return nil, err
			}
			v.Children = append(v.Children, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// DutyAssignee is one targeted employee of a duty, as a unit head sees
// them in order to act: who, where, how to reach them, and where they stand.
type DutyAssignee struct {
	EmployeeID   int64
	NIP          string
	Name         string // with titles
	UnitID       int64
	UnitName     string
	PositionName string
	Email        string
	Phone        string
	Status       netra.AssigneeStatus
	Reason       string
	DoneAt       time.Time
}

// DutyPendingLimit bounds one page of DutyPending.
const DutyPendingLimit = 500

// DutyPending lists who in a unit of a duty's target (the unit and
// everything below it; unitID 0: the duty's government, as DutyCoverage)
// has not done it yet and is not excused, by employee id after after, at
// most limit (50 when 0, DutyPendingLimit at most) — keyset pages: pass the
// last id of a page to get the next. Within the actor's duty.read scope, as
// DutyCoverage. The rows hold personal data: a page that lists anyone is
// one audited read ("duty_assignee.list").
func (s *Store) DutyPending(ctx context.Context, dutyID, unitID int64, after int64, limit int) ([]DutyAssignee, error) {
	return s.dutyPending(ctx, dutyID, 0, unitID, after, limit)
}

// DutyGovernmentPending is DutyPending for a whole government of the
// duty's target (its own, or one below it that the duty reaches).
func (s *Store) DutyGovernmentPending(ctx context.Context, dutyID, tenantID int64, after int64, limit int) ([]DutyAssignee, error) {
	if tenantID == 0 {
		return nil, fmt.Errorf("duty %d government 0: %w", dutyID, netra.ErrNotFound)
	}
	return s.dutyPending(ctx, dutyID, tenantID, 0, after, limit)
}

func (s *Store) dutyPending(ctx context.Context, dutyID, tenantID, unitID int64, after int64, limit int) ([]DutyAssignee, error) {
	sc, err := scopeOf(ctx, netra.PermDutyRead)
	if err != nil {
		return nil, err
	}
	d, dpath, err := s.dutyReadable(ctx, sc, dutyID)
	if err != nil {
		return nil, err
	}
	n, err := s.dutyNodeFor(ctx, sc, d, dpath, tenantID, unitID)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, DutyPendingLimit)
	var a args
	pd, pafter := a.add(d.ID), a.add(after)
	var node string
	if n.unitID != 0 {
		lo, hi := subtree(n.unitPath)
		node = "a.unit_id IN (SELECT u2.id FROM org_units u2 WHERE u2.tenant_id = " + a.add(n.tenantID) +
			" AND u2.path >= " + a.add(lo) + " AND u2.path < " + a.add(hi) + ")"
	} else {
		lo, hi := subtree(n.tenantPath)
		node = "a.tenant_id IN (SELECT t.id FROM tenants t WHERE t.path >= " + a.add(lo) + " AND t.path < " + a.add(hi) + ")"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.employee_id, e.nip, e.name, e.front_title, e.back_title, a.unit_id, u.name,
		e.position_name, e.email, e.phone, a.status, a.reason, a.done_at
		FROM duty_assignees a JOIN employees e ON e.id = a.employee_id JOIN org_units u ON u.id = a.unit_id
		WHERE a.duty_id = `+pd+` AND a.status = 'pending' AND a.counted = 1 AND a.employee_id > `+pafter+` AND `+node+`
		ORDER BY a.employee_id LIMIT `+strconv.Itoa(limit), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: duty pending: %w", err)
	}
	defer rows.Close()
	var out []DutyAssignee
	for rows.Next() {
		var r DutyAssignee
		var e netra.Employee
		var done int64
		if err := rows.Scan(&r.EmployeeID, &r.NIP, &e.Name, &e.FrontTitle, &e.BackTitle, &r.UnitID, &r.UnitName,
			&r.PositionName, &r.Email, &r.Phone, &r.Status, &r.Reason, &done); err != nil {
			return nil, err
		}
		r.Name, r.DoneAt = e.FullName(), fromMS(done)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) > 0 {
		if err := s.auditList(ctx, n.tenantID, "duty_assignee", map[string]any{"duty_id": d.ID, "unit_id": n.unitID,
			"tenant_id": n.tenantID, "status": "pending", "after": after, "count": len(out)}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MyDuty is one open duty that targets the signed-in employee, with where
// they stand.
type MyDuty struct {
	Duty   netra.Duty // without its target
	Status netra.AssigneeStatus
	Reason string // why they are excused
	DoneAt time.Time
}

// MyDuties lists the open duties that target the signed-in employee now
// (PermSelf), the pending ones first, each group by due date. A duty they
// left (moved out of its target) is not listed. Their own data: not audited.
func (s *Store) MyDuties(ctx context.Context) ([]MyDuty, error) {
	emp, err := selfEmployee(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+dutyCols+`, a.status, a.reason, a.done_at
		FROM duty_assignees a JOIN duties d ON d.id = a.duty_id
		WHERE a.employee_id = $1 AND a.counted = 1 AND d.status = 'open'
		ORDER BY CASE WHEN a.status = 'pending' THEN 0 ELSE 1 END, d.due_at, d.id LIMIT 200`, emp)
	if err != nil {
		return nil, fmt.Errorf("store: my duties: %w", err)
	}
	defer rows.Close()
	var out []MyDuty
	for rows.Next() {
		var m MyDuty
		var done int64
		if err := scanDuty(rows, &m.Duty, &m.Status, &m.Reason, &done); err != nil {
			return nil, err
		}
		m.DoneAt = fromMS(done)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Duty returns a duty with its target, for an actor whose duty.read scope
// sees it (see mayReadDuty) or who manages its government.
func (s *Store) Duty(ctx context.Context, id int64) (*netra.Duty, error) {
	sc, err := scopeOf(ctx, netra.PermDutyRead)
	if err != nil {
		return nil, err
	}
	d, _, err := s.dutyReadable(ctx, sc, id)
	return d, err
}

func (s *Store) dutyReadable(ctx context.Context, sc netra.Scope, id int64) (*netra.Duty, string, error) {
	var d netra.Duty
	var tpath string
	err := scanDuty(s.r.QueryRowContext(ctx, `SELECT `+dutyCols+`, t.path FROM duties d JOIN tenants t ON t.id = d.tenant_id
		WHERE d.id = $1`, id), &d, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("duty %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, "", fmt.Errorf("store: duty: %w", err)
	}
	if err := loadTargets(ctx, s.r, &d); err != nil {
		return nil, "", err
	}
	if !mayReadDuty(sc, &d, tpath) {
		return nil, "", fmt.Errorf("duty %d: %w", id, netra.ErrNotFound)
	}
	return &d, tpath, nil
}

// DutyFilter selects duties; zero values are ignored but TenantID.
type DutyFilter struct {
	TenantID int64 // required: the government that owns them
	Kind     netra.DutyKind
	Status   netra.DutyStatus
	RefID    int64
}

// Duties lists the duties a government owns, newest first (at most 500),
// without their targets, for an actor whose duty.read scope reaches the
// government.
func (s *Store) Duties(ctx context.Context, f DutyFilter) ([]netra.Duty, error) {
	sc, err := scopeOf(ctx, netra.PermDutyRead)
	if err != nil {
		return nil, err
	}
	tpath, err := s.tenantPath(ctx, s.r, f.TenantID)
	if err != nil {
		return nil, err
	}
	if !sc.ReachesTenant(f.TenantID, tpath) {
		return nil, fmt.Errorf("duties: %w", netra.ErrForbidden)
	}
	var a args
	q := `SELECT ` + dutyCols + ` FROM duties d WHERE d.tenant_id = ` + a.add(f.TenantID)
	if f.Kind != "" {
		q += ` AND d.kind = ` + a.add(f.Kind)
	}
	if f.Status != "" {
		q += ` AND d.status = ` + a.add(f.Status)
	}
	if f.RefID != 0 {
		q += ` AND d.ref_id = ` + a.add(f.RefID)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY d.id DESC LIMIT 500`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: duties: %w", err)
	}
	defer rows.Close()
	var out []netra.Duty
	for rows.Next() {
		var d netra.Duty
		if err := scanDuty(rows, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
