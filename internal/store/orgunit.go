package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

const unitCols = `u.id, u.tenant_id, COALESCE(u.parent_id, 0), u.path, u.type, u.code, u.name, u.region_code,
	u.head_position, COALESCE(u.closed_at, 0), u.created_at, u.updated_at`

func scanUnit(row interface{ Scan(...any) error }, u *netra.OrgUnit, extra ...any) error {
	var closed, created, updated int64
	dst := append([]any{&u.ID, &u.TenantID, &u.ParentID, &u.Path, &u.Type, &u.Code, &u.Name, &u.RegionCode,
		&u.HeadPosition, &closed, &created, &updated}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	u.ClosedAt, u.CreatedAt, u.UpdatedAt = fromMS(closed), fromMS(created), fromMS(updated)
	u.Depth = strings.Count(u.Path, "/") - 2
	return nil
}

// unitForWrite loads a unit inside a write transaction and checks that the
// actor may manage it.
func (x *tx) unitForWrite(ctx context.Context, id int64) (*netra.OrgUnit, string, error) {
	var u netra.OrgUnit
	var tpath string
	err := scanUnit(x.QueryRowContext(ctx, `SELECT `+unitCols+`, t.path FROM org_units u JOIN tenants t ON t.id = u.tenant_id
		WHERE u.id = $1`, id), &u, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("unit %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, "", fmt.Errorf("store: unit: %w", err)
	}
	if err := forWrite("unit", id, x.actor.ScopeFor(netra.PermUnitManage).CoversUnit(u.TenantID, tpath, u.Path),
		x.actor.ScopeFor(netra.PermUnitRead).CoversUnit(u.TenantID, tpath, u.Path)); err != nil {
		return nil, "", err
	}
	return &u, tpath, nil
}

// CreateUnit adds a unit to a tenant's tree, under u.ParentID or as a root.
// A code already used in the tenant is a conflict; a closed parent is refused.
func (s *Store) CreateUnit(ctx context.Context, u *netra.OrgUnit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	sc, err := scopeOf(ctx, netra.PermUnitManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		tpath, err := s.tenantPath(ctx, x, u.TenantID)
		if err != nil {
			return err
		}
		parentPath := "/"
		if u.ParentID != 0 {
			p, _, err := x.unitForWrite(ctx, u.ParentID)
			if err != nil {
				return err
			}
			if p.TenantID != u.TenantID {
				return netra.Invalid("parent", netra.Msg("Unit induk milik instansi lain.", "The parent unit belongs to another government."))
			}
			if p.Closed() {
				return netra.Invalid("parent", netra.Msg("Unit induk sudah ditutup.", "The parent unit is closed."))
			}
			parentPath = p.Path
		} else if !sc.CoversTenant(tpath) {
			return fmt.Errorf("root unit: %w", netra.ErrForbidden)
		}
		u.CreatedAt, u.UpdatedAt = fromMS(x.now), fromMS(x.now)
		err = x.QueryRowContext(ctx, `INSERT INTO org_units (tenant_id, parent_id, path, type, code, name, region_code,
			head_position, created_at, updated_at) VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			u.TenantID, nullID(u.ParentID), u.Type, u.Code, u.Name, u.RegionCode, u.HeadPosition, x.now).Scan(&u.ID)
		if isUniqueViolation(err) {
			return netra.Invalid("code", netra.Msg("Kode unit "+u.Code+" sudah dipakai di instansi ini.", "The unit code "+u.Code+" is already used in this government."))
		} else if err != nil {
			return fmt.Errorf("store: insert unit: %w", err)
		}
		u.Path = parentPath + strconv.FormatInt(u.ID, 10) + "/"
		if _, err := x.ExecContext(ctx, `UPDATE org_units SET path = $1 WHERE id = $2`, u.Path, u.ID); err != nil {
			return fmt.Errorf("store: unit path: %w", err)
		}
		return x.audit(ctx, u.TenantID, "unit.create", "unit", u.ID, map[string]any{
			"code": u.Code, "name": u.Name, "type": u.Type, "parent_id": u.ParentID})
	})
}

// UnitUpdate changes a unit; nil fields stay as they are.
type UnitUpdate struct {
	Name         *string
	Code         *string
	Type         *netra.UnitType
	RegionCode   *string
	HeadPosition *string
}

// UpdateUnit renames or re-codes a unit and records what changed.
func (s *Store) UpdateUnit(ctx context.Context, id int64, up UnitUpdate) (*netra.OrgUnit, error) {
	var out *netra.OrgUnit
	err := s.write(ctx, func(x *tx) error {
		u, _, err := x.unitForWrite(ctx, id)
		if err != nil {
			return err
		}
		before := *u
		if up.Name != nil {
			u.Name = *up.Name
		}
		if up.Code != nil {
			u.Code = *up.Code
		}
		if up.Type != nil {
			u.Type = *up.Type
		}
		if up.RegionCode != nil {
			u.RegionCode = *up.RegionCode
		}
		if up.HeadPosition != nil {
			u.HeadPosition = *up.HeadPosition
		}
		if err := u.Validate(); err != nil {
			return err
		}
		ch := map[string]change{}
		diff(ch, "name", before.Name, u.Name)
		diff(ch, "code", before.Code, u.Code)
		diff(ch, "type", before.Type, u.Type)
		diff(ch, "region_code", before.RegionCode, u.RegionCode)
		diff(ch, "head_position", before.HeadPosition, u.HeadPosition)
		out = u
		if len(ch) == 0 {
			return nil
		}
		u.UpdatedAt = fromMS(x.now)
		_, err = x.ExecContext(ctx, `UPDATE org_units SET name = $1, code = $2, type = $3, region_code = $4,
			head_position = $5, updated_at = $6 WHERE id = $7`, u.Name, u.Code, u.Type, u.RegionCode, u.HeadPosition, x.now, u.ID)
		if isUniqueViolation(err) {
			return netra.Invalid("code", netra.Msg("Kode unit "+u.Code+" sudah dipakai di instansi ini.", "The unit code "+u.Code+" is already used in this government."))
		} else if err != nil {
			return fmt.Errorf("store: update unit: %w", err)
		}
		return x.audit(ctx, u.TenantID, "unit.update", "unit", u.ID, ch)
	})
	return out, err
}

// MoveUnit moves a unit and its subtree under a new parent in the same
// tenant (0: make it a root). Moving a unit into its own subtree is refused.
func (s *Store) MoveUnit(ctx context.Context, id, newParentID int64) error {
	return s.write(ctx, func(x *tx) error {
		u, tpath, err := x.unitForWrite(ctx, id)
		if err != nil {
			return err
		}
		if u.ParentID == newParentID {
			return nil
		}
		newParentPath := "/"
		if newParentID != 0 {
			p, _, err := x.unitForWrite(ctx, newParentID)
			if err != nil {
				return err
			}
			switch {
			case p.TenantID != u.TenantID:
				return netra.Invalid("parent", netra.Msg("Unit tidak dapat dipindah ke instansi lain.", "A unit cannot move to another government."))
			case strings.HasPrefix(p.Path, u.Path):
				return netra.Invalid("parent", netra.Msg("Unit tidak dapat dipindah ke bawah dirinya sendiri.", "A unit cannot move below itself."))
			case p.Closed():
				return netra.Invalid("parent", netra.Msg("Unit tujuan sudah ditutup.", "The target unit is closed."))
			}
			newParentPath = p.Path
		} else if !x.actor.ScopeFor(netra.PermUnitManage).CoversTenant(tpath) {
			return fmt.Errorf("root unit: %w", netra.ErrForbidden)
		}
		newPath := newParentPath + strconv.FormatInt(u.ID, 10) + "/"
		lo, hi := subtree(u.Path)
		if _, err := x.ExecContext(ctx, `UPDATE org_units SET path = $1 || substr(path, $2), updated_at = $3
			WHERE tenant_id = $4 AND path >= $5 AND path < $6`,
			newPath, len(u.Path)+1, x.now, u.TenantID, lo, hi); err != nil {
			return fmt.Errorf("store: move subtree: %w", err)
		}
		if _, err := x.ExecContext(ctx, `UPDATE org_units SET parent_id = $1 WHERE id = $2`, nullID(newParentID), u.ID); err != nil {
			return fmt.Errorf("store: move unit: %w", err)
		}
		if err := x.dutyUnitMoved(ctx, u.TenantID, u.ID, u.Path, newPath); err != nil { // duty_follow.go
			return err
		}
		return x.audit(ctx, u.TenantID, "unit.move", "unit", u.ID, map[string]change{
			"parent_id": {u.ParentID, newParentID}, "path": {u.Path, newPath}})
	})
}

// CloseUnit closes a unit. It is refused while the unit or any unit below it
// still has active employees, or while it has open child units.
func (s *Store) CloseUnit(ctx context.Context, id int64) error {
	return s.write(ctx, func(x *tx) error {
		u, _, err := x.unitForWrite(ctx, id)
		if err != nil {
			return err
		}
		if u.Closed() {
			return nil
		}
		lo, hi := subtree(u.Path)
		var active int
		if err := x.QueryRowContext(ctx, `SELECT COUNT(*) FROM employees e WHERE e.status = 'active' AND e.unit_id IN
			(SELECT id FROM org_units WHERE tenant_id = $1 AND path >= $2 AND path < $3)`, u.TenantID, lo, hi).Scan(&active); err != nil {
			return fmt.Errorf("store: count employees: %w", err)
		}
		if active > 0 {
			n := strconv.Itoa(active)
			return netra.Userf(netra.ErrConflict,
				"Unit "+u.Name+" tidak dapat ditutup karena masih ada "+n+" pegawai aktif di unit ini atau di bawahnya. Pindahkan mereka lebih dulu.",
				"The unit "+u.Name+" cannot be closed: "+n+" active employees are still in it or below it. Move them first.")
		}
		var open int
		if err := x.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units WHERE parent_id = $1 AND closed_at IS NULL`, u.ID).Scan(&open); err != nil {
			return fmt.Errorf("store: count children: %w", err)
		}
		if open > 0 {
			n := strconv.Itoa(open)
			return netra.Userf(netra.ErrConflict,
				"Unit "+u.Name+" tidak dapat ditutup karena masih mempunyai "+n+" sub-unit yang terbuka.",
				"The unit "+u.Name+" cannot be closed: it still has "+n+" open sub-units.")
		}
		if _, err := x.ExecContext(ctx, `UPDATE org_units SET closed_at = $1, updated_at = $1 WHERE id = $2`, x.now, u.ID); err != nil {
			return fmt.Errorf("store: close unit: %w", err)
		}
		return x.audit(ctx, u.TenantID, "unit.close", "unit", u.ID, map[string]any{"code": u.Code, "name": u.Name})
	})
}

// Unit returns a unit the actor may read.
func (s *Store) Unit(ctx context.Context, id int64) (*netra.OrgUnit, error) {
	sc, err := scopeOf(ctx, netra.PermUnitRead)
	if err != nil {
		return nil, err
	}
	var u netra.OrgUnit
	var tpath string
	err = scanUnit(s.r.QueryRowContext(ctx, `SELECT `+unitCols+`, t.path,
		(SELECT COUNT(*) FROM org_units c WHERE c.parent_id = u.id AND c.closed_at IS NULL),
		(SELECT COUNT(*) FROM employees e WHERE e.unit_id = u.id AND e.status = 'active')
		FROM org_units u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1`, id), &u, &tpath, &u.ChildCount, &u.EmployeeCount)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CoversUnit(u.TenantID, tpath, u.Path)) {
		return nil, fmt.Errorf("unit %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: unit: %w", err)
	}
	return &u, nil
}

// Units lists the units of a tenant the actor may read, ordered by path so
// that a subtree reads top-down, with child and active employee counts.
func (s *Store) Units(ctx context.Context, f netra.UnitFilter) ([]netra.OrgUnit, error) {
	sc, err := scopeOf(ctx, netra.PermUnitRead)
	if err != nil {
		return nil, err
	}
	var a args
	where := []string{"u.tenant_id = " + a.add(f.TenantID), scopeSQL(sc, &a, "t.path", "u.tenant_id", "u.path")}
	if f.ParentID != 0 {
		where = append(where, "u.parent_id = "+a.add(f.ParentID))
	}
	if f.Roots {
		where = append(where, "u.parent_id IS NULL")
	}
	if f.Under != 0 {
		var p string
		if err := s.r.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = $1`, f.Under).Scan(&p); err != nil {
			return nil, fmt.Errorf("unit %d: %w", f.Under, netra.ErrNotFound)
		}
		lo, hi := subtree(p)
		where = append(where, "u.path >= "+a.add(lo), "u.path < "+a.add(hi))
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		pat := "%" + strings.ToLower(q) + "%"
		where = append(where, "(LOWER(u.name) LIKE "+a.add(pat)+" OR LOWER(u.code) LIKE "+a.add(pat)+")")
	}
	if !f.IncludeClosed {
		where = append(where, "u.closed_at IS NULL")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 5000
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+unitCols+`,
		(SELECT COUNT(*) FROM org_units c WHERE c.parent_id = u.id AND c.closed_at IS NULL),
		(SELECT COUNT(*) FROM employees e WHERE e.unit_id = u.id AND e.status = 'active')
		FROM org_units u JOIN tenants t ON t.id = u.tenant_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY u.path LIMIT `+strconv.Itoa(limit), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []netra.OrgUnit
	for rows.Next() {
		var u netra.OrgUnit
		if err := scanUnit(rows, &u, &u.ChildCount, &u.EmployeeCount); err != nil {
			return nil, fmt.Errorf("store: units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UnitByCode returns the open unit with the given code in a tenant, if the
// actor may read it.
func (s *Store) UnitByCode(ctx context.Context, tenantID int64, code string) (*netra.OrgUnit, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM org_units WHERE tenant_id = $1 AND code = $2`, tenantID, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("unit %s: %w", code, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: unit by code: %w", err)
	}
	return s.Unit(ctx, id)
}

// UnitAncestors returns the units from the root down to (and including) u,
// for breadcrumbs and for naming a unit by its path. u must be a unit the
// actor may read (ErrNotFound otherwise); the units above it come with it
// even where they lie outside a unit-scoped actor's subtree, since a unit's
// place is named by them (they hold no personal data).
func (s *Store) UnitAncestors(ctx context.Context, u *netra.OrgUnit) ([]netra.OrgUnit, error) {
	sc, err := scopeOf(ctx, netra.PermUnitRead)
	if err != nil {
		return nil, err
	}
	var tpath, upath string
	err = s.r.QueryRowContext(ctx, `SELECT t.path, u.path FROM org_units u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1`,
		u.ID).Scan(&tpath, &upath)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CoversUnit(u.TenantID, tpath, upath)) {
		return nil, fmt.Errorf("unit %d: %w", u.ID, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: unit: %w", err)
	}
	var a args
	var ids []string
	for _, p := range strings.Split(strings.Trim(upath, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, a.add(id))
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+unitCols+` FROM org_units u WHERE u.id IN (`+strings.Join(ids, ", ")+`) ORDER BY u.path`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: unit ancestors: %w", err)
	}
	defer rows.Close()
	var out []netra.OrgUnit
	for rows.Next() {
		var x netra.OrgUnit
		if err := scanUnit(rows, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// UnitSeed is a unit to create together with the code of its parent.
type UnitSeed struct {
	Unit       netra.OrgUnit
	ParentCode string // "" for a root unit
}

// CreateUnitTree creates, in one transaction, the units of a tenant's tree
// that do not exist yet (matched by code), parents before children: the
// way a new government's organisation tree is set up. Each created unit is
// audited. It returns how many units were created.
func (s *Store) CreateUnitTree(ctx context.Context, tenantID int64, seeds []UnitSeed) (int, error) {
	sc, err := scopeOf(ctx, netra.PermUnitManage)
	if err != nil {
		return 0, err
	}
	created := 0
	err = s.write(ctx, func(x *tx) error {
		tpath, err := s.tenantPath(ctx, x, tenantID)
		if err != nil {
			return err
		}
		if !sc.CoversTenant(tpath) {
			return fmt.Errorf("unit tree: %w", netra.ErrForbidden)
		}
		type ref struct {
			id   int64
			path string
		}
		known := map[string]ref{}
		rows, err := x.QueryContext(ctx, `SELECT id, code, path FROM org_units WHERE tenant_id = $1`, tenantID)
		if err != nil {
			return fmt.Errorf("store: units: %w", err)
		}
		for rows.Next() {
			var r ref
			var code string
			if err := rows.Scan(&r.id, &code, &r.path); err != nil {
				rows.Close()
				return err
			}
			known[code] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range seeds {
			u := seeds[i].Unit
			if _, ok := known[u.Code]; ok {
				continue
			}
			if err := u.Validate(); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			parentPath := "/"
			if pc := seeds[i].ParentCode; pc != "" {
				p, ok := known[pc]
				if !ok {
					return netra.Invalid("parent", netra.Msg("Unit induk "+pc+" dari "+u.Code+" tidak ada.", "The parent unit "+pc+" of "+u.Code+" does not exist."))
				}
				u.ParentID, parentPath = p.id, p.path
			}
			if err := x.QueryRowContext(ctx, `INSERT INTO org_units (tenant_id, parent_id, path, type, code, name, region_code,
				head_position, created_at, updated_at) VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
				tenantID, nullID(u.ParentID), u.Type, u.Code, u.Name, u.RegionCode, u.HeadPosition, x.now).Scan(&u.ID); err != nil {
				return fmt.Errorf("store: insert unit %s: %w", u.Code, err)
			}
			u.Path = parentPath + strconv.FormatInt(u.ID, 10) + "/"
			if _, err := x.ExecContext(ctx, `UPDATE org_units SET path = $1 WHERE id = $2`, u.Path, u.ID); err != nil {
				return fmt.Errorf("store: unit path: %w", err)
			}
			known[u.Code] = ref{u.ID, u.Path}
			if err := x.audit(ctx, tenantID, "unit.create", "unit", u.ID, map[string]any{
				"code": u.Code, "name": u.Name, "type": u.Type, "parent_id": u.ParentID}); err != nil {
				return err
			}
			created++
		}
		return nil
	})
	return created, err
}
