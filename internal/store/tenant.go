package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/netra-id/netra"
)

const tenantCols = `t.id, t.code, t.name, t.level, COALESCE(t.parent_id, 0), t.path, t.created_at`

// CreateTenant adds a government below its parent (found by code: "62" for
// "62.71", the national tenant "00" for a province). The national tenant
// has no parent. A duplicate code is a conflict.
func (s *Store) CreateTenant(ctx context.Context, t *netra.Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if _, err := scopeOf(ctx, netra.PermTenantManage); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		path := "/" + t.Code + "/"
		if pc := netra.ParentCode(t.Code); pc != "" {
			var parentPath string
			err := x.QueryRowContext(ctx, `SELECT id, path FROM tenants WHERE code = $1`, pc).Scan(&t.ParentID, &parentPath)
			if errors.Is(err, sql.ErrNoRows) {
				return netra.Invalid("code", netra.Msg("Instansi induk "+pc+" belum terdaftar.", "The parent government "+pc+" does not exist yet."))
			} else if err != nil {
				return fmt.Errorf("store: parent tenant: %w", err)
			}
			path = parentPath + t.Code + "/"
		}
		t.CreatedAt = fromMS(x.now)
		err := x.QueryRowContext(ctx, `INSERT INTO tenants (code, name, level, parent_id, path, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.Code, t.Name, t.Level, nullID(t.ParentID), path, x.now).Scan(&t.ID)
		if isUniqueViolation(err) {
			return netra.Userf(netra.ErrConflict, "Kode "+t.Code+" sudah dipakai instansi lain.", "The code "+t.Code+" is already taken.")
		} else if err != nil {
			return fmt.Errorf("store: insert tenant: %w", err)
		}
		return x.audit(ctx, t.ID, "tenant.create", "tenant", t.ID, map[string]any{"code": t.Code, "name": t.Name})
	})
}

// Tenant returns the tenant with the given id if the actor may read it.
func (s *Store) Tenant(ctx context.Context, id int64) (*netra.Tenant, error) {
	return s.tenantWhere(ctx, "t.id = $1", id)
}

// TenantByCode returns the tenant with the given Kemendagri code if the
// actor may read it.
func (s *Store) TenantByCode(ctx context.Context, code string) (*netra.Tenant, error) {
	return s.tenantWhere(ctx, "t.code = $1", code)
}

func (s *Store) tenantWhere(ctx context.Context, cond string, v any) (*netra.Tenant, error) {
	sc, err := scopeOf(ctx, netra.PermTenantRead)
	if err != nil {
		sc, err = scopeOf(ctx, netra.PermSelf)
		if err != nil {
			return nil, err
		}
	}
	var t netra.Tenant
	var path string
	err = s.r.QueryRowContext(ctx, `SELECT `+tenantCols+` FROM tenants t WHERE `+cond, v).Scan(
		&t.ID, &t.Code, &t.Name, &t.Level, &t.ParentID, &path, new(int64))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("tenant: %w", netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: tenant: %w", err)
	}
	if !sc.ReachesTenant(t.ID, path) {
		return nil, fmt.Errorf("tenant: %w", netra.ErrNotFound)
	}
	return &t, nil
}

// TenantPath returns the materialised path of a tenant ("/00/62/62.71/")
// without any scope check; callers use it to check scope.
func (s *Store) tenantPath(ctx context.Context, q queryer, id int64) (string, error) {
	var p string
	err := q.QueryRowContext(ctx, `SELECT path FROM tenants WHERE id = $1`, id).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("tenant: %w", netra.ErrNotFound)
	}
	return p, err
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// TenantSummary is a tenant with its head counts, for the tenant list.
type TenantSummary struct {
	netra.Tenant
	Units     int
	Employees int
}

// Tenants lists the tenants the actor may read, in code order, with their
// open unit counts, for menus and choices. Employees stays 0: counting them
// reads every employee of every tenant listed (6 s for the nation at 5.6 M
// employees); TenantsCounted and TenantFamily count them.
func (s *Store) Tenants(ctx context.Context) ([]TenantSummary, error) {
	return s.tenantSummaries(ctx, false, 0, nil)
}

// TenantsCounted is Tenants with each tenant's active employees counted,
// limited to the tenants ids when any are given.
func (s *Store) TenantsCounted(ctx context.Context, ids ...int64) ([]TenantSummary, error) {
	return s.tenantSummaries(ctx, true, 0, ids)
}

// TenantFamily returns, with their counts, the tenant id (if the actor may
// read it), its parent and its children, as far as the actor may read them.
func (s *Store) TenantFamily(ctx context.Context, id int64) ([]TenantSummary, error) {
	return s.tenantSummaries(ctx, true, id, nil)
}

func (s *Store) tenantSummaries(ctx context.Context, employees bool, near int64, ids []int64) ([]TenantSummary, error) {
	sc, err := scopeOf(ctx, netra.PermTenantRead)
	if err != nil {
		return nil, err
	}
	var a args
	cond := scopeSQL(sc, &a, "t.path", "t.id", "")
	// Unit-limited grants reach their tenant too.
	for _, ar := range sc.Areas {
		if ar.UnitPath != "" {
			cond += " OR t.id = " + a.add(ar.TenantID)
		}
	}
	if near != 0 {
		n := a.add(near)
		cond = "(" + cond + ") AND (t.id = " + n + " OR t.parent_id = " + n + " OR t.id = (SELECT parent_id FROM tenants WHERE id = " + n + "))"
	}
	if len(ids) > 0 {
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = a.add(id)
		}
		cond = "(" + cond + ") AND t.id IN (" + strings.Join(ph, ", ") + ")"
	}
	count := "0"
	if employees {
		count = "(SELECT COUNT(*) FROM employees e WHERE e.tenant_id = t.id AND e.status = 'active')"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+tenantCols+`,
		(SELECT COUNT(*) FROM org_units u WHERE u.tenant_id = t.id AND u.closed_at IS NULL),
		`+count+`
		FROM tenants t WHERE `+cond+` ORDER BY t.path`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: tenants: %w", err)
	}
	defer rows.Close()
	var out []TenantSummary
	for rows.Next() {
		var ts TenantSummary
		var path string
		var created int64
		if err := rows.Scan(&ts.ID, &ts.Code, &ts.Name, &ts.Level, &ts.ParentID, &path, &created, &ts.Units, &ts.Employees); err != nil {
			return nil, fmt.Errorf("store: tenants: %w", err)
		}
		ts.CreatedAt = fromMS(created)
		out = append(out, ts)
	}
	return out, rows.Err()
}
