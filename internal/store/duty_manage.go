package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/netra-id/netra"
)

// Managing open duties: closing, reminders, excuses.

// dutyForManage loads a duty for a write by the actor in ctx: ErrNotFound
// when the actor may not even read it, ErrForbidden when duty.manage does
// not cover its government.
func (x *tx) dutyForManage(ctx context.Context, id int64) (*netra.Duty, string, error) {
	d, tpath, err := x.dutyRow(ctx, id, true)
	if err != nil {
		return nil, "", err
	}
	if err := forWrite("duty", id, x.actor.ScopeFor(netra.PermDutyManage).CoversTenant(tpath),
		mayReadDuty(x.actor.ScopeFor(netra.PermDutyRead), d, tpath)); err != nil {
		return nil, "", err
	}
	return d, tpath, nil
}

// mayReadDuty reports whether a duty.read scope sees a duty of the
// government with path tpath: any part of that government, or, for a duty
// that reaches the governments below, any part of one of them.
func mayReadDuty(sc netra.Scope, d *netra.Duty, tpath string) bool {
	if sc.ReachesTenant(d.TenantID, tpath) {
		return true
	}
	below := false
	for _, g := range d.Target.Governments {
		below = below || g.Below
	}
	if !below {
		return false
	}
	for _, ar := range sc.Areas {
		if strings.HasPrefix(ar.TenantPath, tpath) {
			return true
		}
	}
	return false
}

// CloseDuty closes a draft or open duty of a government whose duty.manage
// the actor holds: from then on nothing changes its counts (they are
// frozen as they stand), no hook follows it and no reminder goes out.
// Closing a closed duty changes nothing. Audited as "duty.close".
func (s *Store) CloseDuty(ctx context.Context, id int64) error {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		d, _, err := x.dutyForManage(ctx, id)
		if err != nil || d.Status == netra.DutyClosed {
			return err
		}
		if _, err := x.ExecContext(ctx, `UPDATE duties SET status = $1, closed_at = $2, updated_at = $2 WHERE id = $3`,
			netra.DutyClosed, x.now, id); err != nil {
			return fmt.Errorf("store: close duty: %w", err)
		}
		return x.audit(ctx, d.TenantID, "duty.close", "duty", id, map[string]any{"from": d.Status})
	})
}

// SetDutyReminders replaces a duty's reminder days (see Duty.Reminders);
// for an open duty the new days still ahead are queued, and a day dropped
// from the schedule is skipped when its job runs (RemindDuty). Audited.
func (s *Store) SetDutyReminders(ctx context.Context, id int64, days []int) error {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return err
	}
	for _, r := range days {
		if r < 1 || r > netra.MaxReminderDays {
			return netra.Invalid("reminders", netra.Msg("Pengingat harus 1 sampai 90 hari sebelum batas waktu.", "Reminders must be 1 to 90 days before the due date."))
		}
	}
	days = netra.NormalizeReminders(days)
	return s.write(ctx, func(x *tx) error {
		d, _, err := x.dutyForManage(ctx, id)
		if err != nil {
			return err
		}
		if d.Status == netra.DutyClosed {
			return netra.Userf(netra.ErrConflict, "Tugas ini sudah ditutup.", "This duty is closed.")
		}
		before := joinInts(d.Reminders)
		d.Reminders = days
		if _, err := x.ExecContext(ctx, `UPDATE duties SET reminders = $1, updated_at = $2 WHERE id = $3`, joinInts(days), x.now, id); err != nil {
			return fmt.Errorf("store: duty reminders: %w", err)
		}
		if d.Status == netra.DutyOpen {
			if err := x.scheduleReminders(ctx, d); err != nil {
				return err
			}
		}
		return x.audit(ctx, d.TenantID, "duty.reminders", "duty", id, change{before, joinInts(days)})
	})
}

// ExcuseDuty excuses one targeted employee from an open duty with a
// reason (on leave for the whole period, a paper record to follow…): they
// count as excused, neither done nor expected. The actor needs duty.manage
// over the employee's unit (each government excuses its own staff, also
// from a duty of a government above). An employee who already did it
// cannot be excused; excusing again only replaces the reason. Audited as
// "duty.excuse" with the reason.
func (s *Store) ExcuseDuty(ctx context.Context, dutyID, employeeID int64, reason string) error {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return err
	}
	var v netra.ValidationError
	v.Text("reason", reason, 2000, true)
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" {
		v.Add("reason", netra.Msg("Alasan wajib diisi.", "The reason is required."))
	} else if len([]rune(reason)) > 500 {
		v.Add("reason", netra.Msg("Alasan paling panjang 500 karakter.", "The reason has at most 500 characters."))
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		if err := x.lockCounts(ctx); err != nil {
			return err
		}
		d, dpath, err := x.dutyRow(ctx, dutyID, false)
		if err != nil {
			return err
		}
		var st netra.AssigneeStatus
		var tid int64
		var upath, tpath, was string
		err = x.QueryRowContext(ctx, `SELECT a.status, a.tenant_id, a.reason, u.path, t.path FROM duty_assignees a
			JOIN org_units u ON u.id = a.unit_id JOIN tenants t ON t.id = a.tenant_id
			WHERE a.duty_id = $1 AND a.employee_id = $2`, dutyID, employeeID).Scan(&st, &tid, &was, &upath, &tpath)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("duty %d employee %d: %w", dutyID, employeeID, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: duty assignee: %w", err)
		}
		if err := forWrite("duty assignee", employeeID, x.actor.ScopeFor(netra.PermDutyManage).CoversUnit(tid, tpath, upath),
			x.actor.ScopeFor(netra.PermDutyRead).CoversUnit(tid, tpath, upath)); err != nil {
			return err
		}
		switch {
		case d.Status != netra.DutyOpen:
			return netra.Userf(netra.ErrConflict, "Tugas ini tidak sedang berjalan.", "This duty is not open.")
		case st == netra.AssigneeDone:
			return netra.Invalid("status", netra.Msg("Pegawai ini sudah melaksanakannya; tidak dapat dikecualikan.", "This employee has already done it and cannot be excused."))
		case st == netra.AssigneeExcused && was == reason:
			return nil
		}
		var a args
		set := "status = 'excused', reason = " + a.add(reason) + ", updated_at = " + a.add(x.now)
		rows, err := x.setAssignees(ctx, &a, dutyID, []int64{employeeID}, set, "status IN ('pending', 'excused')")
		if err != nil {
			return err
		}
		if st == netra.AssigneePending {
			r := newNodeResolver(x)
			r.duty(d.ID, d.TenantID, dpath)
			deltas := covDeltas{}
			before := rows[:0:0]
			for _, row := range rows {
				row.status = netra.AssigneePending
				before = append(before, row)
			}
			if err := r.count(ctx, deltas, before, -1); err != nil {
				return err
			}
			if err := r.count(ctx, deltas, rows, 1); err != nil {
				return err
			}
			if err := x.applyCoverage(ctx, deltas); err != nil {
				return err
			}
		}
		return x.audit(ctx, tid, "duty.excuse", "duty", dutyID, map[string]any{"employee_id": employeeID, "reason": reason, "was": st})
	})
}
