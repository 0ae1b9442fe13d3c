package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// Positions over time (see netra.Assignment): the employee row is the
// current definitive position; position_assignments holds the earlier ones
// and the acting ones. A date d is "covered" by a period when
// start <= d <= end, a missing start or end being open.

// dateOrNil returns the date as 'YYYY-MM-DD', or NULL for the zero time.
func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// parseDay reads a stored date; ” and NULL are the zero time.
func parseDay(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.DateOnly, s.String)
	return t
}

// inServiceSQL is the list of statuses that still hold a position, for an
// IN (…) condition.
func inServiceSQL(a *args) string {
	var ph []string
	for _, st := range netra.EmployeeStatuses {
		if st.InService() {
			ph = append(ph, a.add(string(st)))
		}
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// closeAssignment keeps the position an employee leaves when their record
// changes: when the unit, the position type or the head flag changes (or the
// position's name together with a new TMT), or when they leave service, the
// position they held is written to position_assignments, ending the day
// before the new TMT (after.PositionDate when it was changed, otherwise the
// change's own date, which then becomes the new TMT). A change of the
// position's name alone is a correction and keeps the period. It reads the
// old position's head flag and TMT as stored.
func (x *tx) closeAssignment(ctx context.Context, before, after *netra.Employee) error {
	if !before.Status.InService() {
		return nil
	}
	newDate := !after.PositionDate.IsZero() && !after.PositionDate.Equal(before.PositionDate)
	moved := before.UnitID != after.UnitID || before.PositionType != after.PositionType || before.Head != after.Head ||
		(before.PositionName != after.PositionName && newDate)
	left := !after.Status.InService()
	if !moved && !left {
		return nil
	}
	var head bool
	var stored sql.NullString
	if err := x.QueryRowContext(ctx, `SELECT head, position_date FROM employees WHERE id = $1`, before.ID).Scan(&head, &stored); err != nil {
		return fmt.Errorf("store: position of employee %d: %w", before.ID, err)
	}
	today := netra.Day(fromMS(x.now))
	start := today
	if newDate && moved {
		start = after.PositionDate
	}
	if moved && !newDate {
		after.PositionDate = start
	}
	a := netra.Assignment{TenantID: before.TenantID, EmployeeID: before.ID, UnitID: before.UnitID, PositionName: before.PositionName,
		PositionType: before.PositionType, Head: head || before.Head, Kind: netra.Definitive, Start: parseDay(stored),
		End: start.AddDate(0, 0, -1), Source: netra.SourceSystem}
	if !a.Start.IsZero() && a.End.Before(a.Start) {
		return nil // the old position was never held a full day: nothing to keep
	}
	if err := x.insertAssignment(ctx, &a); err != nil {
		return err
	}
	return x.audit(ctx, a.TenantID, "employee.assignment.close", "employee", a.EmployeeID, map[string]any{
		"assignment_id": a.ID, "unit_id": a.UnitID, "head": a.Head, "start": dateString(a.Start), "end": dateString(a.End)})
}

func (x *tx) insertAssignment(ctx context.Context, a *netra.Assignment) error {
	a.CreatedBy, a.CreatedAt = x.actor.Label, fromMS(x.now)
	err := x.QueryRowContext(ctx, `INSERT INTO position_assignments (tenant_id, employee_id, unit_id, position_name, position_type,
		head, kind, start_date, end_date, decree_number, decree_date, source, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		a.TenantID, a.EmployeeID, a.UnitID, a.PositionName, a.PositionType, a.Head, a.Kind, dateOrNil(a.Start), dateOrNil(a.End),
		a.DecreeNumber, dateOrNil(a.DecreeDate), a.Source, a.CreatedBy, x.now).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: insert position assignment: %w", err)
	}
	return nil
}

const assignmentCols = `a.id, a.tenant_id, a.employee_id, a.unit_id, a.position_name, a.position_type, a.head, a.kind,
	a.start_date, a.end_date, a.decree_number, a.decree_date, a.source, a.created_by, a.created_at, u.name, e.name, e.front_title, e.back_title`

func scanAssignment(row interface{ Scan(...any) error }, a *netra.Assignment) error {
	var start, end, decree sql.NullString
	var created int64
	var name, front, back string
	if err := row.Scan(&a.ID, &a.TenantID, &a.EmployeeID, &a.UnitID, &a.PositionName, &a.PositionType, &a.Head, &a.Kind,
		&start, &end, &a.DecreeNumber, &decree, &a.Source, &a.CreatedBy, &created, &a.UnitName, &name, &front, &back); err != nil {
		return err
	}
	a.Start, a.End, a.DecreeDate, a.CreatedAt = parseDay(start), parseDay(end), parseDay(decree), fromMS(created)
	a.EmployeeName = (&netra.Employee{Name: name, FrontTitle: front, BackTitle: back}).FullName()
	return nil
}

// overlapSQL is the condition that a stored period (start_date, end_date)
// shares a day with [from, to] (to NULL: open).
func overlapSQL(a *args, from, to time.Time) string {
	cond := "(a.end_date IS NULL OR a.end_date >= " + a.add(dateOrNil(from)) + ")"
	if from.IsZero() {
		cond = "TRUE"
	}
	if !to.IsZero() {
		cond += " AND (a.start_date IS NULL OR a.start_date <= " + a.add(dateOrNil(to)) + ")"
	}
	return cond
}

// CreateAssignment records a position an employee held or holds beside
// their own: an acting one (Plt, Plh: the head post of a.UnitID, with its
// start and decree) or a past definitive one. The actor needs employee.write
// on the employee and on the unit, which must be of the employee's own
// government. Two acting holders of one post at a time, two definitive
// positions of one employee at a time, and a past position that reaches into
// the current one (its TMT) are refused.
func (s *Store) CreateAssignment(ctx context.Context, a *netra.Assignment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if _, err := scopeOf(ctx, netra.PermEmployeeWrite); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		e, err := x.employeeForWrite(ctx, a.EmployeeID)
		if err != nil {
			return err
		}
		var u netra.OrgUnit
		var tpath string
		err = scanUnit(x.QueryRowContext(ctx, `SELECT `+unitCols+`, t.path FROM org_units u JOIN tenants t ON t.id = u.tenant_id
			WHERE u.id = $1`, a.UnitID), &u, &tpath)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !x.actor.ScopeFor(netra.PermEmployeeWrite).CoversUnit(u.TenantID, tpath, u.Path)) {
			return netra.Invalid("unit", netra.Msg("Unit kerja tidak ditemukan atau di luar wewenang Anda.", "The work unit does not exist or is outside your scope."))
		} else if err != nil {
			return fmt.Errorf("store: unit: %w", err)
		}
		if u.TenantID != e.TenantID {
			return netra.Invalid("unit", netra.Msg("Unit "+u.Name+" milik instansi lain; penugasan dicatat di instansi pegawai.",
				"The unit "+u.Name+" belongs to another government; assignments are kept in the employee's own."))
		}
		if u.Closed() && (a.End.IsZero() || !a.End.Before(netra.Day(u.ClosedAt))) {
			return netra.Invalid("unit", netra.Msg("Unit "+u.Name+" sudah ditutup pada "+dateString(netra.Day(u.ClosedAt))+".",
				"The unit "+u.Name+" was closed on "+dateString(netra.Day(u.ClosedAt))+"."))
		}
		if a.PositionName == "" {
			a.PositionName = u.HeadPosition
			if !a.Head || a.PositionName == "" {
				a.PositionName = e.PositionName
				if a.Head {
					a.PositionName = "Kepala " + u.Name
				}
			}
		}
		a.TenantID, a.UnitName, a.EmployeeName = u.TenantID, u.Name, e.FullName()
		var q args
		if a.Kind.Acting() {
			cond := "a.unit_id = " + q.add(a.UnitID) + " AND a.head AND a.kind IN ('plt', 'plh') AND " + overlapSQL(&q, a.Start, a.End)
			if err := x.refuseOverlap(ctx, cond, q.v, netra.Msg("Jabatan kepala "+u.Name+" sudah dijabat Plt./Plh. lain pada masa itu: ",
				"The head post of "+u.Name+" already has an acting holder in that period: ")); err != nil {
				return err
			}
		} else {
			cond := "a.employee_id = " + q.add(a.EmployeeID) + " AND a.kind = 'definitive' AND " + overlapSQL(&q, a.Start, a.End)
			if err := x.refuseOverlap(ctx, cond, q.v, netra.Msg("Pegawai ini sudah tercatat memegang jabatan definitif lain pada masa itu: ",
				"This employee already has another definitive position recorded in that period: ")); err != nil {
				return err
			}
			var cur sql.NullString
			if err := x.QueryRowContext(ctx, `SELECT position_date FROM employees WHERE id = $1`, e.ID).Scan(&cur); err != nil {
				return fmt.Errorf("store: employee position date: %w", err)
			}
			if d := parseDay(cur); !d.IsZero() && !a.End.Before(d) {
				return netra.Invalid("end", netra.Msg("Jabatan yang lalu harus berakhir sebelum TMT jabatan sekarang ("+dateString(d)+").",
					"A past position must end before the current position's start ("+dateString(d)+")."))
			}
		}
		if err := x.insertAssignment(ctx, a); err != nil {
			return err
		}
		return x.audit(ctx, a.TenantID, "employee.assignment.create", "employee", a.EmployeeID, map[string]any{
			"assignment_id": a.ID, "kind": a.Kind, "unit_id": a.UnitID, "head": a.Head, "start": dateString(a.Start),
			"end": dateString(a.End), "decree_number": a.DecreeNumber})
	})
}

// refuseOverlap answers a conflict naming the first stored assignment that
// matches cond.
func (x *tx) refuseOverlap(ctx context.Context, cond string, v []any, prefix netra.Message) error {
	var o netra.Assignment
	err := scanAssignment(x.QueryRowContext(ctx, `SELECT `+assignmentCols+` FROM position_assignments a
		JOIN org_units u ON u.id = a.unit_id JOIN employees e ON e.id = a.employee_id WHERE `+cond+` ORDER BY a.start_date LIMIT 1`, v...), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("store: overlapping assignments: %w", err)
	}
	what := fmt.Sprintf("%s%s, %s (%s – %s).", o.Kind.Prefix(), o.PositionName, o.EmployeeName, orDash(o.Start), orDash(o.End))
	return netra.Userf(netra.ErrConflict, prefix.ID+what, prefix.EN+what)
}

func orDash(t time.Time) string {
	if t.IsZero() {
		return "…"
	}
	return dateString(t)
}

// DeleteAssignment removes a recorded assignment of an employee the actor
// may write (a mistaken entry, or a period closed by the store that should
// not have been).
func (s *Store) DeleteAssignment(ctx context.Context, employeeID, id int64) error {
	return s.write(ctx, func(x *tx) error {
		e, err := x.employeeForWrite(ctx, employeeID)
		if err != nil {
			return err
		}
		var a netra.Assignment
		err = scanAssignment(x.QueryRowContext(ctx, `SELECT `+assignmentCols+` FROM position_assignments a
			JOIN org_units u ON u.id = a.unit_id JOIN employees e ON e.id = a.employee_id WHERE a.id = $1 AND a.employee_id = $2`, id, e.ID), &a)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("assignment %d: %w", id, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: assignment: %w", err)
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM position_assignments WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete assignment: %w", err)
		}
		return x.audit(ctx, e.TenantID, "employee.assignment.delete", "employee", e.ID, map[string]any{
			"assignment_id": a.ID, "kind": a.Kind, "unit_id": a.UnitID, "start": dateString(a.Start), "end": dateString(a.End)})
	})
}

// assignments reads an employee's recorded assignments, newest first.
func (s *Store) assignments(ctx context.Context, employeeID int64) ([]netra.Assignment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+assignmentCols+` FROM position_assignments a
		JOIN org_units u ON u.id = a.unit_id JOIN employees e ON e.id = a.employee_id
		WHERE a.employee_id = $1 ORDER BY COALESCE(a.start_date, '') DESC, a.id DESC LIMIT 500`, employeeID)
	if err != nil {
		return nil, fmt.Errorf("store: assignments: %w", err)
	}
	defer rows.Close()
	var out []netra.Assignment
	for rows.Next() {
		var a netra.Assignment
		if err := scanAssignment(rows, &a); err != nil {
			return nil, fmt.Errorf("store: assignments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Positions is what an employee's page shows of their positions: the
// recorded assignments (newest first) and the chain of superiors on a date.
type Positions struct {
	At          time.Time
	Assignments []netra.Assignment
	Superiors   []netra.Superior
}

// EmployeePositions returns the assignments of an employee the actor may
// read and their chain of superiors on day at (see Superiors), with one
// audited read for both.
func (s *Store) EmployeePositions(ctx context.Context, employeeID int64, at time.Time) (*Positions, error) {
	e, err := s.employeeInScope(ctx, employeeID)
	if err != nil {
		return nil, err
	}
	p := &Positions{At: netra.Day(at)}
	if p.Superiors, err = s.superiors(ctx, e, p.At); err != nil {
		return nil, err
	}
	if p.Assignments, err = s.assignments(ctx, e.ID); err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"positions": true, "superiors_at": dateString(p.At)}); err != nil {
		return nil, err
	}
	return p, nil
}

// Assignments returns the recorded assignments of an employee the actor may
// read, newest first; the read is audited.
func (s *Store) Assignments(ctx context.Context, employeeID int64) ([]netra.Assignment, error) {
	e, err := s.employeeInScope(ctx, employeeID)
	if err != nil {
		return nil, err
	}
	as, err := s.assignments(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"assignments": true}); err != nil {
		return nil, err
	}
	return as, nil
}

// Superiors returns the chain of superiors of an employee the actor may
// read (ErrNotFound otherwise) on day at (its WIB calendar date): where the
// employee was that day (the definitive position covering it in their
// history, else their record), then the holder of the head post of that
// unit, of its parent, and so up to the root of the government's tree, and
// at the top the government's Sekda and PPK on that day. A post's holder on
// a day is, among those whose period covers it — the employee whose record
// heads the unit from its TMT on, a closed head position, a Plt or Plh — the
// one who took the post last (see better); a post with none is in the chain
// as vacant. The employee themself is never
// their own superior. The tree is taken as it stands today. The read is
// audited. It costs two queries whatever the depth.
func (s *Store) Superiors(ctx context.Context, employeeID int64, at time.Time) ([]netra.Superior, error) {
	e, err := s.employeeInScope(ctx, employeeID)
	if err != nil {
		return nil, err
	}
	d := netra.Day(at)
	out, err := s.superiors(ctx, e, d)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"superiors_at": dateString(d)}); err != nil {
		return nil, err
	}
	return out, nil
}

type headCandidate struct {
	netra.Superior
	depth   int
	self    bool   // the holder is the employee whose chain this is
	headPos string // the unit's head position title
}

func (s *Store) superiors(ctx context.Context, e *netra.Employee, d time.Time) ([]netra.Superior, error) {
	var a args
	emp, day := a.add(e.ID), a.add(d.Format(time.DateOnly))
	covers := func(p string) string {
		return "(" + p + ".start_date IS NULL OR " + p + ".start_date <= " + day + ") AND (" + p + ".end_date IS NULL OR " + p + ".end_date >= " + day + ")"
	}
	// chain: the unit the employee was in on the day and every unit above it.
	// heads: who held each chain unit's head post that day, from the history
	// (closed head positions, Plt, Plh) and from the employee records that
	// head a chain unit, unless their own history places them elsewhere.
	q := `WITH RECURSIVE chain (unit_id, parent_id, depth) AS (
		SELECT u.id, u.parent_id, 0 FROM org_units u
		WHERE u.id = COALESCE((SELECT a.unit_id FROM position_assignments a WHERE a.employee_id = ` + emp + `
			AND a.kind = 'definitive' AND ` + covers("a") + ` ORDER BY a.end_date DESC LIMIT 1),
			(SELECT e.unit_id FROM employees e WHERE e.id = ` + emp + `))
		UNION ALL
		SELECT u.id, u.parent_id, c.depth + 1 FROM org_units u JOIN chain c ON u.id = c.parent_id WHERE c.depth < 64
	)
	SELECT c.depth, c.unit_id, u.name, u.head_position, COALESCE(h.kind, ''), COALESCE(h.employee_id, 0),
		COALESCE(h.position_name, ''), h.start_date, h.end_date,
		COALESCE(x.name, ''), COALESCE(x.front_title, ''), COALESCE(x.back_title, ''), COALESCE(x.nip, '')
	FROM chain c JOIN org_units u ON u.id = c.unit_id
	LEFT JOIN (
		SELECT a.unit_id, a.kind, a.employee_id, a.position_name, a.start_date, a.end_date FROM position_assignments a
		WHERE a.head AND a.unit_id IN (SELECT unit_id FROM chain) AND ` + covers("a") + `
		UNION ALL
		SELECT e.unit_id, 'definitive', e.id, e.position_name, NULLIF(e.position_date, ''), NULL FROM employees e
		WHERE e.head AND e.unit_id IN (SELECT unit_id FROM chain) AND e.status IN ` + inServiceSQL(&a) + `
			AND (e.position_date IS NULL OR e.position_date = '' OR e.position_date <= ` + day + `)
			AND NOT EXISTS (SELECT 1 FROM position_assignments p WHERE p.employee_id = e.id AND p.kind = 'definitive' AND ` + covers("p") + `)
	) h ON h.unit_id = c.unit_id
	LEFT JOIN employees x ON x.id = h.employee_id
	ORDER BY c.depth`
	rows, err := s.r.QueryContext(ctx, q, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: superiors: %w", err)
	}
	defer rows.Close()
	var levels [][]headCandidate
	for rows.Next() {
		var c headCandidate
		var headPos, name, front, back string
		var start, end sql.NullString
		if err := rows.Scan(&c.depth, &c.UnitID, &c.UnitName, &headPos, &c.Kind, &c.EmployeeID, &c.PositionName, &start, &end,
			&name, &front, &back, &c.NIP); err != nil {
			return nil, fmt.Errorf("store: superiors: %w", err)
		}
		c.Start, c.End = parseDay(start), parseDay(end)
		c.Name = (&netra.Employee{Name: name, FrontTitle: front, BackTitle: back}).FullName()
		if c.PositionName == "" {
			c.PositionName = headPos
		}
		for len(levels) <= c.depth {
			levels = append(levels, nil)
		}
		c.self = c.EmployeeID == e.ID
		c.headPos = headPos
		levels[c.depth] = append(levels[c.depth], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []netra.Superior
	seen := map[int64]bool{e.ID: true}
	for _, cands := range levels {
		if len(cands) == 0 {
			continue
		}
		best, self := -1, false
		for i, c := range cands {
			switch {
			case c.self:
				self = true
			case c.Kind == "":
			case best < 0 || better(c.Superior, cands[best].Superior):
				best = i
			}
		}
		if self {
			continue // the employee holds this post: the next one up is their superior
		}
		if best < 0 {
			c := cands[0]
			out = append(out, netra.Superior{UnitID: c.UnitID, UnitName: c.UnitName, PositionName: c.headPos, Vacant: true})
			continue
		}
		h := cands[best].Superior
		seen[h.EmployeeID] = true
		out = append(out, h)
	}
	// The government's Sekda, then its PPK, on the day.
	hs, err := s.officeHoldersOn(ctx, e.TenantID, d)
	if err != nil {
		return nil, err
	}
	last := ""
	if len(out) > 0 {
		last = strings.ToLower(out[len(out)-1].Name)
	}
	for _, o := range []netra.Office{netra.OfficeSekda, netra.OfficePPK} {
		h, ok := hs[o]
		if !ok {
			out = append(out, netra.Superior{Office: o, Vacant: true})
			continue
		}
		if (h.EmployeeID != 0 && seen[h.EmployeeID]) || (last != "" && strings.ToLower(h.Name) == last) {
			continue // the Sekda heads the Setda, at the top of the tree already
		}
		out = append(out, netra.Superior{Office: o, Kind: string(h.Kind), EmployeeID: h.EmployeeID, Name: h.Name, NIP: h.NIP,
			PositionName: h.Title, Start: h.From, End: h.To})
	}
	for i := range out {
		out[i].Level = i + 1
	}
	return out, nil
}

// better reports whether holder a rather than b holds the post on a day
// both cover: the one who took it last (a Plh named while the head is on
// leave acts for them; a head appointed after a Plt whose period was left
// open ends it), and on the same day the one acting. An unknown start is
// the earliest.
func better(a, b netra.Superior) bool {
	if !a.Start.Equal(b.Start) {
		return a.Start.After(b.Start)
	}
	return a.Acting() && !b.Acting()
}
