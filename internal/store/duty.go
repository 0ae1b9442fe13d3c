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

// Duties (docs/duties.md): what every employee of a target must do. A
// pledge campaign, a circular or a socialisation session creates its duty
// in its own write (createDuty) and launches it (launchDuty): the target
// expands to the in-service employees it reaches (duty_assignees), the
// subtree totals of every unit and government are built once
// (duty_coverage), and every target is notified. From then on the counters
// move with each change: dutyDone and dutyUndone from the signing path,
// ExcuseDuty, and the hooks of duty_follow.go on every path that moves an
// employee. Reading coverage is a few primary-key reads (duty_read.go).

// Job kinds the duty machinery queues; internal/jobs runs them.
const (
	JobDutyRemind = "duty.remind" // remind those still pending (RemindDuty)
	JobDutyMail   = "duty.mail"   // queue one batch of a duty's e-mails (DutyMailBatch)
)

const dutyCols = `d.id, d.tenant_id, d.kind, d.ref_id, d.title, d.link, d.opens_at, d.due_at, d.status,
	d.employment_types, d.position_types, d.reminders, d.launched_at, d.closed_at, d.created_at, d.updated_at`

func scanDuty(row interface{ Scan(...any) error }, d *netra.Duty, extra ...any) error {
	var opens, due, launched, closed, created, updated int64
	var types, positions, reminders string
	dst := append([]any{&d.ID, &d.TenantID, &d.Kind, &d.RefID, &d.Title, &d.Link, &opens, &due, &d.Status,
		&types, &positions, &reminders, &launched, &closed, &created, &updated}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	d.OpensAt, d.DueAt, d.LaunchedAt, d.ClosedAt = fromMS(opens), fromMS(due), fromMS(launched), fromMS(closed)
	d.CreatedAt, d.UpdatedAt = fromMS(created), fromMS(updated)
	d.Target.EmploymentTypes = splitList[netra.EmploymentType](types)
	d.Target.PositionTypes = splitList[netra.PositionType](positions)
	d.Reminders = nil
	for _, r := range splitList[string](reminders) {
		if n, err := strconv.Atoi(r); err == nil {
			d.Reminders = append(d.Reminders, n)
		}
	}
	return nil
}

func splitList[T ~string](s string) []T {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

func joinList[T ~string](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return strings.Join(parts, ",")
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}

// loadTargets fills d.Target's units and governments.
func loadTargets(ctx context.Context, q queryer, d *netra.Duty) error {
	rows, err := q.QueryContext(ctx, `SELECT tenant_id, unit_id, subtree FROM duty_targets WHERE duty_id = $1
		ORDER BY unit_id, tenant_id`, d.ID)
	if err != nil {
		return fmt.Errorf("store: duty targets: %w", err)
	}
	defer rows.Close()
	d.Target.Units, d.Target.Governments = nil, nil
	for rows.Next() {
		var tid, uid, sub int64
		if err := rows.Scan(&tid, &uid, &sub); err != nil {
			return err
		}
		if uid == 0 {
			d.Target.Governments = append(d.Target.Governments, netra.DutyTargetGovernment{TenantID: tid, Below: sub != 0})
		} else {
			d.Target.Units = append(d.Target.Units, netra.DutyTargetUnit{UnitID: uid, Exact: sub == 0})
		}
	}
	return rows.Err()
}

// dutyRow loads a duty (with its target) inside a transaction, locking its
// row on PostgreSQL so that launching, closing and counting queue behind
// one another; ErrNotFound when there is none.
func (x *tx) dutyRow(ctx context.Context, id int64, lock bool) (*netra.Duty, string, error) {
	var d netra.Duty
	var tpath string
	q := `SELECT ` + dutyCols + `, t.path FROM duties d JOIN tenants t ON t.id = d.tenant_id WHERE d.id = $1`
	if lock && x.s.dialect == Postgres {
		q += ` FOR UPDATE OF d`
	}
	err := scanDuty(x.QueryRowContext(ctx, q, id), &d, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("duty %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, "", fmt.Errorf("store: duty: %w", err)
	}
	if err := loadTargets(ctx, x, &d); err != nil {
		return nil, "", err
	}
	return &d, tpath, nil
}

// checkTarget checks that every unit and government of d's target exists,
// belongs to d's government (or, for a government, lies below it), and is
// within the actor's duty.manage scope: a unit admin targets units of
// their subtree; only an admin of the whole government may name
// governments.
func (x *tx) checkTarget(ctx context.Context, d *netra.Duty, tpath string) error {
	sc := x.actor.ScopeFor(netra.PermDutyManage)
	if sc.Empty() {
		return fmt.Errorf("%s: %w", netra.PermDutyManage, netra.ErrForbidden)
	}
	outside := func(what string) error {
		return netra.Invalid("target", netra.Msg(what+" sasaran tidak ditemukan atau di luar wewenang Anda.",
			"A target "+map[string]string{"Unit kerja": "work unit", "Instansi": "government"}[what]+" does not exist or is outside your scope."))
	}
	for _, tu := range d.Target.Units {
		var tid int64
		var upath string
		var closed sql.NullInt64
		err := x.QueryRowContext(ctx, `SELECT tenant_id, path, closed_at FROM org_units WHERE id = $1`, tu.UnitID).Scan(&tid, &upath, &closed)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (tid != d.TenantID || !sc.CoversUnit(tid, tpath, upath))) {
			return outside("Unit kerja")
		} else if err != nil {
			return fmt.Errorf("store: target unit: %w", err)
		}
		if closed.Valid && closed.Int64 != 0 {
			return netra.Invalid("target", netra.Msg("Unit kerja sasaran sudah ditutup.", "A target work unit is closed."))
		}
	}
	for _, g := range d.Target.Governments {
		gpath, err := x.s.tenantPath(ctx, x, g.TenantID)
		if errors.Is(err, netra.ErrNotFound) || (err == nil && (!strings.HasPrefix(gpath, tpath) || !sc.CoversTenant(tpath))) {
			return outside("Instansi")
		} else if err != nil {
			return fmt.Errorf("store: target government: %w", err)
		}
	}
	return nil
}

// createDuty stores d as a draft of government d.TenantID, inside the
// caller's transaction (a campaign, circular or session creates its duty
// in its own write), after validating it and checking its target against
// the actor's duty.manage scope (checkTarget). It fills d.ID, d.Status and
// the times, and audits "duty.create".
func (x *tx) createDuty(ctx context.Context, d *netra.Duty) error {
	if err := d.Validate(fromMS(x.now)); err != nil {
		return err
	}
	tpath, err := x.s.tenantPath(ctx, x, d.TenantID)
	if errors.Is(err, netra.ErrNotFound) {
		return netra.Invalid("tenant", netra.Msg("Instansi tidak ditemukan.", "The government does not exist."))
	} else if err != nil {
		return fmt.Errorf("store: duty government: %w", err)
	}
	if err := x.checkTarget(ctx, d, tpath); err != nil {
		return err
	}
	d.Status = netra.DutyDraft
	d.CreatedAt, d.UpdatedAt, d.LaunchedAt, d.ClosedAt = fromMS(x.now), fromMS(x.now), time.Time{}, time.Time{}
	if err := x.QueryRowContext(ctx, `INSERT INTO duties (tenant_id, kind, ref_id, title, link, opens_at, due_at, status,
		employment_types, position_types, reminders, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		d.TenantID, d.Kind, d.RefID, d.Title, d.Link, ms(d.OpensAt), ms(d.DueAt), d.Status,
		joinList(d.Target.EmploymentTypes), joinList(d.Target.PositionTypes), joinInts(d.Reminders), x.now).Scan(&d.ID); err != nil {
		return fmt.Errorf("store: insert duty: %w", err)
	}
	for _, u := range d.Target.Units {
		if _, err := x.ExecContext(ctx, `INSERT INTO duty_targets (duty_id, tenant_id, unit_id, subtree) VALUES ($1, $2, $3, $4)`,
			d.ID, d.TenantID, u.UnitID, boolInt(!u.Exact)); err != nil {
			return fmt.Errorf("store: duty target: %w", err)
		}
	}
	for _, g := range d.Target.Governments {
		if _, err := x.ExecContext(ctx, `INSERT INTO duty_targets (duty_id, tenant_id, unit_id, subtree) VALUES ($1, $2, 0, $3)`,
			d.ID, g.TenantID, boolInt(g.Below)); err != nil {
			return fmt.Errorf("store: duty target: %w", err)
		}
	}
	return x.audit(ctx, d.TenantID, "duty.create", "duty", d.ID, map[string]any{"kind": d.Kind, "ref_id": d.RefID,
		"title": d.Title, "due_at": ms(d.DueAt), "units": len(d.Target.Units), "governments": len(d.Target.Governments)})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateDuty stores a duty of its own (one no campaign, circular or
// session owns: RefID 0 is fine) as a draft; see createDuty.
func (s *Store) CreateDuty(ctx context.Context, d *netra.Duty) error {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error { return x.createDuty(ctx, d) })
}

// LaunchDuty launches a draft duty in a transaction of its own; see launchDuty.
func (s *Store) LaunchDuty(ctx context.Context, id int64) (targeted int64, err error) {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return 0, err
	}
	err = s.write(ctx, func(x *tx) error {
		targeted, err = x.launchDuty(ctx, id)
		return err
	})
	return targeted, err
}

// launchDuty opens a draft duty inside the caller's transaction: the target
// expands, in one INSERT … SELECT, to the in-service employees it reaches
// now (each pending, counted at their unit); the subtree totals of every
// unit and government are built by aggregate statements; the duty opens
// (OpensAt becomes now when unset); every target gets an inbox notice (one
// INSERT … SELECT) and an e-mail (queued in batches, see DutyMailBatch);
// and a reminder job is queued for each reminder day still ahead. The
// target is checked again against the actor's scope. A duty that is not a
// draft is a conflict. It returns how many employees the duty reached and
// audits "duty.launch".
//
// On PostgreSQL the launch first takes lockCounts, so that an employee who
// moves while it runs is followed by the move's hook once the launch has
// committed (SQLite has one writer: nothing moves meanwhile).
func (x *tx) launchDuty(ctx context.Context, id int64) (int64, error) {
	if err := x.lockCounts(ctx); err != nil {
		return 0, err
	}
	d, tpath, err := x.dutyRow(ctx, id, true)
	if err != nil {
		return 0, err
	}
	if d.Status != netra.DutyDraft {
		return 0, netra.Userf(netra.ErrConflict, "Tugas ini sudah diluncurkan atau ditutup.", "This duty has already been launched or closed.")
	}
	if !d.DueAt.After(fromMS(x.now)) {
		return 0, netra.Invalid("due_at", netra.Msg("Batas waktu sudah lewat; ubah dulu batas waktunya.", "The due date has passed; change it first."))
	}
	if err := x.checkTarget(ctx, d, tpath); err != nil {
		return 0, err
	}
	var a args
	pd, pnow := a.add(d.ID), a.add(x.now)
	var units []string
	for _, u := range d.Target.Units {
		if u.Exact {
			units = append(units, "u.id = "+a.add(u.UnitID))
			continue
		}
		var upath string
		if err := x.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = $1`, u.UnitID).Scan(&upath); err != nil {
			return 0, fmt.Errorf("store: target unit: %w", err)
		}
		lo, hi := subtree(upath)
		units = append(units, fmt.Sprintf("(u.tenant_id = %s AND u.path >= %s AND u.path < %s)", a.add(d.TenantID), a.add(lo), a.add(hi)))
	}
	for _, g := range d.Target.Governments {
		if !g.Below {
			units = append(units, "u.tenant_id = "+a.add(g.TenantID))
			continue
		}
		gpath, err := x.s.tenantPath(ctx, x, g.TenantID)
		if err != nil {
			return 0, fmt.Errorf("store: target government: %w", err)
		}
		lo, hi := subtree(gpath)
		units = append(units, fmt.Sprintf("u.tenant_id IN (SELECT t.id FROM tenants t WHERE t.path >= %s AND t.path < %s)", a.add(lo), a.add(hi)))
	}
	// The units first (a few thousand rows at most), then their employees
	// through the unit index. On SQLite, which keeps no statistics, the
	// unary plus keeps the status index out of it: walking every in-service
	// employee of the nation to find a city's would be the slow way round.
	status := "e.status"
	if x.s.dialect == SQLite {
		status = "+e.status"
	}
	where := []string{"e.unit_id IN (SELECT u.id FROM org_units u WHERE " + strings.Join(units, " OR ") + ")",
		status + " IN " + inServiceSQL(&a)}
	if ts := d.Target.EmploymentTypes; len(ts) > 0 {
		where = append(where, "e.type IN ("+inList(&a, ts)+")")
	}
	if ps := d.Target.PositionTypes; len(ps) > 0 {
		where = append(where, "e.position_type IN ("+inList(&a, ps)+")")
	}
	res, err := x.ExecContext(ctx, `INSERT INTO duty_assignees (duty_id, employee_id, tenant_id, unit_id, emp_type, pos_type,
		status, counted, updated_at)
		SELECT `+pd+`, e.id, e.tenant_id, e.unit_id, e.type, e.position_type, 'pending', 1, `+pnow+`
		FROM employees e WHERE `+strings.Join(where, " AND "), a.v...)
	if err != nil {
		return 0, fmt.Errorf("store: expand duty target: %w", err)
	}
	targeted, _ := res.RowsAffected()
	if err := x.rebuildCoverage(ctx, d.ID, d.TenantID); err != nil {
		return 0, err
	}
	if d.OpensAt.IsZero() {
		d.OpensAt = fromMS(x.now)
	}
	d.Status, d.LaunchedAt = netra.DutyOpen, fromMS(x.now)
	if _, err := x.ExecContext(ctx, `UPDATE duties SET status = $1, opens_at = $2, launched_at = $3, updated_at = $3 WHERE id = $4`,
		d.Status, ms(d.OpensAt), x.now, d.ID); err != nil {
		return 0, fmt.Errorf("store: open duty: %w", err)
	}
	notified, err := x.notifyDuty(ctx, d, netra.NoticeOpened, "")
	if err != nil {
		return 0, err
	}
	if err := x.scheduleReminders(ctx, d); err != nil {
		return 0, err
	}
	return targeted, x.audit(ctx, d.TenantID, "duty.launch", "duty", d.ID, map[string]any{"targeted": targeted, "notified": notified})
}

// inList adds the values as parameters and returns their placeholders.
func inList[T any](a *args, vs []T) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.add(v)
	}
	return strings.Join(ph, ", ")
}

// reminderDate is the date (UTC) a reminder days before d's due date goes
// out, and its moment.
func reminderDate(d *netra.Duty, days int) (string, time.Time) {
	at := d.DueAt.Add(-time.Duration(days) * 24 * time.Hour)
	return at.UTC().Format(time.DateOnly), at
}

// scheduleReminders queues a reminder job for each of d's reminder days
// still ahead. Each job's unique key (duty, date) keeps it single however
// often this runs.
func (x *tx) scheduleReminders(ctx context.Context, d *netra.Duty) error {
	for _, days := range d.Reminders {
		on, at := reminderDate(d, days)
		if !at.After(fromMS(x.now)) {
			continue
		}
		p, err := jsonString(dutyReminder{DutyID: d.ID, Days: days, RemindOn: on})
		if err != nil {
			return err
		}
		if err := x.enqueue(ctx, &Job{Kind: JobDutyRemind, UniqueKey: "duty.remind:" + strconv.FormatInt(d.ID, 10) + ":" + on,
			Payload: p, RunAt: at, MaxAttempts: 10}); err != nil {
			return err
		}
	}
	return nil
}
