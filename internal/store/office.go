package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
)

// The holders of each government's offices (netra.OfficeHolder): who was
// the PPK, the Sekda and the Inspector on any date, with their decree.

const officeCols = `h.id, h.tenant_id, h.office, h.kind, h.name, h.title, h.nip, COALESCE(h.employee_id, 0), h.from_date, h.to_date,
	h.decree_number, h.decree_date, h.note, h.created_by, h.created_at, h.updated_at`

func scanOfficeHolder(row interface{ Scan(...any) error }, h *netra.OfficeHolder) error {
	var from string
	var to, decree sql.NullString
	var created, updated int64
	if err := row.Scan(&h.ID, &h.TenantID, &h.Office, &h.Kind, &h.Name, &h.Title, &h.NIP, &h.EmployeeID, &from, &to,
		&h.DecreeNumber, &decree, &h.Note, &h.CreatedBy, &created, &updated); err != nil {
		return err
	}
	h.From, _ = time.Parse(time.DateOnly, from)
	h.To, h.DecreeDate = parseDay(to), parseDay(decree)
	h.CreatedAt, h.UpdatedAt = fromMS(created), fromMS(updated)
	return nil
}

// mayManageOffices reports whether the actor may record the office holders
// of the government with id tenantID and path tp: a super admin, or a
// holder of unit.manage on that government itself, for its whole tree. A
// province's admin does not record the mayors below it: the governments
// below a province are only overseen from it.
func mayManageOffices(a *netra.Actor, tenantID int64) bool {
	if a == nil {
		return false
	}
	if a.IsSuperAdmin() {
		return true
	}
	for _, g := range a.GrantsFor(netra.PermUnitManage) {
		if g.TenantID == tenantID && g.UnitID == 0 {
			return true
		}
	}
	return false
}

// MayManageOffices reports whether the actor in ctx may record the office
// holders of tenant t, for pages that offer the form.
func MayManageOffices(ctx context.Context, t *netra.Tenant) bool {
	return mayManageOffices(netra.ActorFrom(ctx), t.ID)
}

// OfficeHolderFilter narrows OfficeHolders; zero values are ignored.
type OfficeHolderFilter struct {
	Office netra.Office
	At     time.Time // only the holders on this day
}

// OfficeHolders lists the office holders of a government the actor may read
// (tenant.read; ErrNotFound otherwise), by office and newest first. It
// holds no personal data beyond public appointments and is not audited.
func (s *Store) OfficeHolders(ctx context.Context, tenantID int64, f OfficeHolderFilter) ([]netra.OfficeHolder, error) {
	if _, err := s.Tenant(ctx, tenantID); err != nil {
		return nil, err
	}
	var a args
	where := "h.tenant_id = " + a.add(tenantID)
	if f.Office != "" {
		where += " AND h.office = " + a.add(string(f.Office))
	}
	if !f.At.IsZero() {
		d := a.add(netra.Day(f.At).Format(time.DateOnly))
		where += " AND h.from_date <= " + d + " AND (h.to_date IS NULL OR h.to_date >= " + d + ")"
	}
	return s.officeHolders(ctx, s.r, where, a.v...)
}

func (s *Store) officeHolders(ctx context.Context, q queryer, where string, v ...any) ([]netra.OfficeHolder, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+officeCols+` FROM office_holders h WHERE `+where+`
		ORDER BY CASE h.office WHEN 'ppk' THEN 0 WHEN 'sekda' THEN 1 ELSE 2 END, h.from_date DESC, h.id DESC LIMIT 1000`, v...)
	if err != nil {
		return nil, fmt.Errorf("store: office holders: %w", err)
	}
	defer rows.Close()
	var out []netra.OfficeHolder
	for rows.Next() {
		var h netra.OfficeHolder
		if err := scanOfficeHolder(rows, &h); err != nil {
			return nil, fmt.Errorf("store: office holders: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// OfficeHolder returns one office holder of a government the actor may read.
func (s *Store) OfficeHolder(ctx context.Context, id int64) (*netra.OfficeHolder, error) {
	var h netra.OfficeHolder
	err := scanOfficeHolder(s.r.QueryRowContext(ctx, `SELECT `+officeCols+` FROM office_holders h WHERE h.id = $1`, id), &h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("office holder %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: office holder: %w", err)
	}
	if _, err := s.Tenant(ctx, h.TenantID); err != nil {
		return nil, fmt.Errorf("office holder %d: %w", id, netra.ErrNotFound)
	}
	return &h, nil
}

// officeHoldersOn returns who held each office of a government on day d:
// of those whose period covers it, the one who took office last (a Pjs
// acts for the mayor on campaign leave), on the same day the one acting.
// No scope check: for callers that made one.
func (s *Store) officeHoldersOn(ctx context.Context, tenantID int64, d time.Time) (map[netra.Office]netra.OfficeHolder, error) {
	day := d.Format(time.DateOnly)
	hs, err := s.officeHolders(ctx, s.r, "h.tenant_id = $1 AND h.from_date <= $2 AND (h.to_date IS NULL OR h.to_date >= $2)", tenantID, day)
	if err != nil {
		return nil, err
	}
	out := map[netra.Office]netra.OfficeHolder{}
	for _, h := range hs {
		cur, ok := out[h.Office]
		if !ok || h.From.After(cur.From) || (h.From.Equal(cur.From) && h.Kind.Acting() && !cur.Kind.Acting()) {
			out[h.Office] = h
		}
	}
	return out, nil
}

// officeTenant checks, in a write, that the government exists, that the
// actor may record its office holders, and returns its path.
func (x *tx) officeTenant(ctx context.Context, tenantID int64) error {
	tp, err := x.s.tenantPath(ctx, x, tenantID)
	if err != nil {
		return err
	}
	return forWrite("tenant", tenantID, mayManageOffices(x.actor, tenantID), x.actor.ScopeFor(netra.PermTenantRead).ReachesTenant(tenantID, tp))
}

// checkOfficeHolder refuses an office holder whose period overlaps another
// one of the same office held the same way (two definitive holders, or two
// standing in, at once), and a roster record the actor may not read.
func (x *tx) checkOfficeHolder(ctx context.Context, h *netra.OfficeHolder) error {
	if h.EmployeeID != 0 {
		var tid int64
		var up, tp string
		err := x.QueryRowContext(ctx, `SELECT e.tenant_id, u.path, t.path FROM employees e JOIN org_units u ON u.id = e.unit_id
			JOIN tenants t ON t.id = e.tenant_id WHERE e.id = $1`, h.EmployeeID).Scan(&tid, &up, &tp)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !x.actor.ScopeFor(netra.PermEmployeeRead).CoversUnit(tid, tp, up)) {
			return netra.Invalid("employee_id", netra.Msg("Pegawai tidak ditemukan atau di luar wewenang Anda.", "The employee does not exist or is outside your scope."))
		} else if err != nil {
			return fmt.Errorf("store: office holder's employee: %w", err)
		}
	}
	var a args
	where := "h.tenant_id = " + a.add(h.TenantID) + " AND h.office = " + a.add(string(h.Office)) + " AND h.id <> " + a.add(h.ID)
	if h.Kind == netra.OfficeDefinitive {
		where += " AND h.kind = 'definitive'"
	} else {
		where += " AND h.kind <> 'definitive'"
	}
	where += " AND (h.to_date IS NULL OR h.to_date >= " + a.add(h.From.Format(time.DateOnly)) + ")"
	if !h.To.IsZero() {
		where += " AND h.from_date <= " + a.add(h.To.Format(time.DateOnly))
	}
	others, err := x.s.officeHolders(ctx, x, where, a.v...)
	if err != nil || len(others) == 0 {
		return err
	}
	o := others[len(others)-1]
	period := dateString(o.From) + " – " + orDash(o.To)
	if h.Kind == netra.OfficeDefinitive {
		return netra.Userf(netra.ErrConflict,
			fmt.Sprintf("%s definitif pada masa itu sudah tercatat: %s (%s). Isi dulu tanggal akhir masa jabatannya.", h.Office.Label("id"), o.Name, period),
			fmt.Sprintf("A definitive %s is already recorded for that period: %s (%s). Enter the end of their term first.", h.Office.Label("en"), o.Name, period))
	}
	return netra.Userf(netra.ErrConflict,
		fmt.Sprintf("Pada masa itu %s sudah dijabat %s %s (%s); satu orang saja yang dapat menjabat sementara.", h.Office.Label("id"), o.Kind.Label("id"), o.Name, period),
		fmt.Sprintf("In that period the %s is already held by %s %s (%s); only one person stands in at a time.", h.Office.Label("en"), o.Kind.Label("en"), o.Name, period))
}

// CreateOfficeHolder records who held an office of a government. The actor
// must be a super admin or hold unit.manage on that government itself.
func (s *Store) CreateOfficeHolder(ctx context.Context, h *netra.OfficeHolder) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		if err := x.officeTenant(ctx, h.TenantID); err != nil {
			return err
		}
		h.ID = 0
		if err := x.checkOfficeHolder(ctx, h); err != nil {
			return err
		}
		h.CreatedBy, h.CreatedAt, h.UpdatedAt = x.actor.Label, fromMS(x.now), fromMS(x.now)
		err := x.QueryRowContext(ctx, `INSERT INTO office_holders (tenant_id, office, kind, name, title, nip, employee_id, from_date,
			to_date, decree_number, decree_date, note, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
			h.TenantID, h.Office, h.Kind, h.Name, h.Title, h.NIP, nullID(h.EmployeeID), h.From.Format(time.DateOnly), dateOrNil(h.To),
			h.DecreeNumber, dateOrNil(h.DecreeDate), h.Note, h.CreatedBy, x.now).Scan(&h.ID)
		if err != nil {
			return fmt.Errorf("store: insert office holder: %w", err)
		}
		return x.audit(ctx, h.TenantID, "tenant.office.create", "office_holder", h.ID, officeSummary(h))
	})
}

func officeSummary(h *netra.OfficeHolder) map[string]any {
	return map[string]any{"office": h.Office, "kind": h.Kind, "name": h.Name, "from": dateString(h.From), "to": dateString(h.To),
		"decree_number": h.DecreeNumber}
}

// UpdateOfficeHolder replaces the recorded fields of an office holder (the
// government stays), with the same checks as CreateOfficeHolder.
func (s *Store) UpdateOfficeHolder(ctx context.Context, h *netra.OfficeHolder) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		var old netra.OfficeHolder
		err := scanOfficeHolder(x.QueryRowContext(ctx, `SELECT `+officeCols+` FROM office_holders h WHERE h.id = $1`, h.ID), &old)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("office holder %d: %w", h.ID, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: office holder: %w", err)
		}
		if err := x.officeTenant(ctx, old.TenantID); err != nil {
			if errors.Is(err, netra.ErrNotFound) {
				return fmt.Errorf("office holder %d: %w", h.ID, netra.ErrNotFound)
			}
			return err
		}
		h.TenantID, h.CreatedBy, h.CreatedAt, h.UpdatedAt = old.TenantID, old.CreatedBy, old.CreatedAt, fromMS(x.now)
		if err := x.checkOfficeHolder(ctx, h); err != nil {
			return err
		}
		if _, err := x.ExecContext(ctx, `UPDATE office_holders SET office = $1, kind = $2, name = $3, title = $4, nip = $5,
			employee_id = $6, from_date = $7, to_date = $8, decree_number = $9, decree_date = $10, note = $11, updated_at = $12
			WHERE id = $13`, h.Office, h.Kind, h.Name, h.Title, h.NIP, nullID(h.EmployeeID), h.From.Format(time.DateOnly), dateOrNil(h.To),
			h.DecreeNumber, dateOrNil(h.DecreeDate), h.Note, x.now, h.ID); err != nil {
			return fmt.Errorf("store: update office holder: %w", err)
		}
		ch := map[string]change{}
		diff(ch, "office", old.Office, h.Office)
		diff(ch, "kind", old.Kind, h.Kind)
		diff(ch, "name", old.Name, h.Name)
		diff(ch, "title", old.Title, h.Title)
		diff(ch, "nip", old.NIP, h.NIP)
		diff(ch, "employee_id", old.EmployeeID, h.EmployeeID)
		diff(ch, "from", dateString(old.From), dateString(h.From))
		diff(ch, "to", dateString(old.To), dateString(h.To))
		diff(ch, "decree_number", old.DecreeNumber, h.DecreeNumber)
		diff(ch, "decree_date", dateString(old.DecreeDate), dateString(h.DecreeDate))
		diff(ch, "note", old.Note, h.Note)
		return x.audit(ctx, h.TenantID, "tenant.office.update", "office_holder", h.ID, ch)
	})
}

// DeleteOfficeHolder removes a mistaken record of an office holder.
func (s *Store) DeleteOfficeHolder(ctx context.Context, id int64) error {
	return s.write(ctx, func(x *tx) error {
		var h netra.OfficeHolder
		err := scanOfficeHolder(x.QueryRowContext(ctx, `SELECT `+officeCols+` FROM office_holders h WHERE h.id = $1`, id), &h)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("office holder %d: %w", id, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: office holder: %w", err)
		}
		if err := x.officeTenant(ctx, h.TenantID); err != nil {
			if errors.Is(err, netra.ErrNotFound) {
				return fmt.Errorf("office holder %d: %w", id, netra.ErrNotFound)
			}
			return err
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM office_holders WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete office holder: %w", err)
		}
		return x.audit(ctx, h.TenantID, "tenant.office.delete", "office_holder", h.ID, officeSummary(&h))
	})
}
