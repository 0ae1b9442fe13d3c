package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// Pending transfers (mutasi antar instansi). An import never moves an
// employee of another government: a row whose NIP belongs to an employee of
// another government is kept as a pending transfer, with the row's values
// as the importer sent them. The sending government's admin (employee.write
// over the whole sending government), an admin of a government above both
// (a common ancestor), or a super admin confirms it (the employee then
// takes the row's values and moves, with a history entry and an audit
// entry) or refuses it. The receiving side sees only what it sent.

// Transfer statuses.
const (
	TransferPending   = "pending"
	TransferConfirmed = "confirmed"
	TransferRefused   = "refused"
)

// Transfer is one pending (or decided) transfer of an employee between
// governments.
type Transfer struct {
	ID           int64
	ImportID     int64
	Line         int64
	EmployeeID   int64
	NIP          string
	FromTenantID int64
	FromTenant   string // the sending government's name; "" when listed for the receiving side
	ToTenantID   int64
	ToTenant     string
	ToUnitID     int64
	ToUnit       string
	Sent         netra.Employee // the row as the importer sent it
	Status       string
	DecidedBy    string
	DecidedAt    time.Time
	CreatedAt    time.Time
	CanDecide    bool // the actor may confirm or refuse it
}

// pendingTransfer records that row r names o, an employee of another
// government. A transfer of the same employee to the same government still
// pending takes the row's values instead of being repeated.
func (x *tx) pendingTransfer(ctx context.Context, importID int64, r *ImportRow, o *existing) error {
	b, err := json.Marshal(r.Employee)
	if err != nil {
		return err
	}
	res, err := x.ExecContext(ctx, `UPDATE employee_transfers SET import_id = $1, line = $2, to_unit_id = $3, row_values = $4,
		created_at = $5 WHERE employee_id = $6 AND to_tenant_id = $7 AND status = $8`, importID, r.Line, r.Employee.UnitID,
		string(b), x.now, o.e.ID, r.Employee.TenantID, TransferPending)
	if err != nil {
		return fmt.Errorf("store: pending transfer: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO employee_transfers (import_id, line, employee_id, nip, from_tenant_id, to_tenant_id,
		to_unit_id, row_values, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, importID, r.Line, o.e.ID,
		o.e.NIP, o.e.TenantID, r.Employee.TenantID, r.Employee.UnitID, string(b), TransferPending, x.now); err != nil {
		return fmt.Errorf("store: pending transfer: %w", err)
	}
	return nil
}

// mayDecideTransfer reports whether a may confirm or refuse a transfer from
// the government with path from to the one with path to.
func mayDecideTransfer(a *netra.Actor, from, to string) bool {
	if a == nil {
		return false
	}
	if a.ScopeFor(netra.PermEmployeeWrite).CoversTenant(from) {
		return true
	}
	for _, g := range a.Grants {
		if g.UnitPath == "" && g.TenantPath != "" && g.Role.Has(netra.PermEmployeeWrite) &&
			strings.HasPrefix(from, g.TenantPath) && strings.HasPrefix(to, g.TenantPath) {
			return true
		}
	}
	return false
}

const transferCols = `m.id, m.import_id, m.line, m.employee_id, m.nip, m.from_tenant_id, ft.name, ft.path, m.to_tenant_id, tt.name,
	tt.path, m.to_unit_id, u.name, m.row_values, m.status, m.decided_by, m.decided_at, m.created_at`

const transferFrom = ` FROM employee_transfers m JOIN tenants ft ON ft.id = m.from_tenant_id
	JOIN tenants tt ON tt.id = m.to_tenant_id JOIN org_units u ON u.id = m.to_unit_id`

func scanTransfer(row interface{ Scan(...any) error }, m *Transfer, fromPath, toPath *string) error {
	var vals string
	var decided, created int64
	if err := row.Scan(&m.ID, &m.ImportID, &m.Line, &m.EmployeeID, &m.NIP, &m.FromTenantID, &m.FromTenant, fromPath,
		&m.ToTenantID, &m.ToTenant, toPath, &m.ToUnitID, &m.ToUnit, &vals, &m.Status, &m.DecidedBy, &decided, &created); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(vals), &m.Sent); err != nil {
		return fmt.Errorf("store: transfer %d values: %w", m.ID, err)
	}
	m.DecidedAt, m.CreatedAt = fromMS(decided), fromMS(created)
	return nil
}

// TransferLimit bounds how many transfers one list returns.
const TransferLimit = 200

// Transfers lists a government's transfers with the given status ("" for
// any), newest first: outgoing (its employees that imports elsewhere name),
// for whoever reads the whole government's employees; or incoming (rows of
// its imports naming employees of other governments), for whoever imports
// into it, showing only what the import sent (not the sending government).
// The read is audited.
func (s *Store) Transfers(ctx context.Context, tenantID int64, incoming bool, status string) ([]Transfer, error) {
	p := netra.PermEmployeeRead
	if incoming {
		p = netra.PermImport
	}
	sc, err := scopeOf(ctx, p)
	if err != nil {
		return nil, err
	}
	tpath, err := s.tenantPath(ctx, s.r, tenantID)
	if err != nil {
		return nil, err
	}
	if (!incoming && !sc.CoversTenant(tpath)) || (incoming && !sc.ReachesTenant(tenantID, tpath)) {
		return nil, fmt.Errorf("transfers: %w", netra.ErrForbidden)
	}
	var a args
	col := "m.from_tenant_id"
	if incoming {
		col = "m.to_tenant_id"
	}
	q := `SELECT ` + transferCols + transferFrom + ` WHERE ` + col + ` = ` + a.add(tenantID)
	if status != "" {
		q += ` AND m.status = ` + a.add(status)
	}
	if incoming && !sc.CoversTenant(tpath) {
		// A unit admin sees the transfers of the imports they started.
		act := netra.ActorFrom(ctx)
		q += ` AND m.import_id IN (SELECT id FROM imports WHERE (created_by <> 0 AND created_by = ` + a.add(act.UserID) +
			`) OR (created_token <> 0 AND created_token = ` + a.add(act.TokenID) + `))`
	}
	q += ` ORDER BY m.id DESC LIMIT ` + strconv.Itoa(TransferLimit)
	out, err := s.transfers(ctx, q, a.v, !incoming)
	if err != nil {
		return nil, err
	}
	dir := "outgoing"
	if incoming {
		dir = "incoming"
	}
	if err := s.auditList(ctx, tenantID, "employee_transfer", map[string]any{"direction": dir, "status": status, "count": len(out)}); err != nil {
		return nil, err
	}
	return out, nil
}

// ImportTransfers lists the transfers an import's rows asked for, as the
// import sent them, for whoever may see the import (see importAccess).
func (s *Store) ImportTransfers(ctx context.Context, importID int64) ([]Transfer, error) {
	ac, err := s.importFor(ctx, importID)
	if err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + transferCols + transferFrom + ` WHERE m.import_id = ` + a.add(importID)
	if !ac.all {
		q += ` AND m.to_unit_id IN (SELECT u.id FROM org_units u WHERE ` + scopeSQL(ac.scope, &a, "", "u.tenant_id", "u.path") + `)`
	}
	q += ` ORDER BY m.line LIMIT ` + strconv.Itoa(TransferLimit)
	out, err := s.transfers(ctx, q, a.v, false)
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		if err := s.AuditRead(ctx, ac.im.TenantID, "import", importID, map[string]any{"read": "transfers", "count": len(out)}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// transfers runs a transfer query; sending says the reader is the sending
// side (who may know where the employee goes and who they are now).
func (s *Store) transfers(ctx context.Context, q string, v []any, sending bool) ([]Transfer, error) {
	rows, err := s.r.QueryContext(ctx, q, v...)
	if err != nil {
		return nil, fmt.Errorf("store: transfers: %w", err)
	}
	defer rows.Close()
	a := netra.ActorFrom(ctx)
	var out []Transfer
	for rows.Next() {
		var m Transfer
		var from, to string
		if err := scanTransfer(rows, &m, &from, &to); err != nil {
			return nil, err
		}
		m.CanDecide = m.Status == TransferPending && mayDecideTransfer(a, from, to)
		if !sending && !m.CanDecide {
			m.FromTenant, m.FromTenantID = "", 0
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ConfirmTransfer moves the employee of a pending transfer to the receiving
// government with the values the import sent, keeping their history; see
// mayDecideTransfer for who may. A transfer already decided, or an employee
// no longer in the sending government, is a validation error.
func (s *Store) ConfirmTransfer(ctx context.Context, id int64) error {
	return s.decideTransfer(ctx, id, true)
}

// RefuseTransfer refuses a pending transfer: nothing moves.
func (s *Store) RefuseTransfer(ctx context.Context, id int64) error {
	return s.decideTransfer(ctx, id, false)
}

func (s *Store) decideTransfer(ctx context.Context, id int64, confirm bool) error {
	if netra.ActorFrom(ctx) == nil {
		return netra.ErrUnauthenticated
	}
	return s.write(ctx, func(x *tx) error {
		var m Transfer
		var from, to string
		err := scanTransfer(x.QueryRowContext(ctx, `SELECT `+transferCols+transferFrom+` WHERE m.id = $1`, id), &m, &from, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("transfer %d: %w", id, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: transfer: %w", err)
		}
		if !mayDecideTransfer(x.actor, from, to) {
			// Whoever may read either side learns only that they may not decide.
			if x.actor.ScopeFor(netra.PermEmployeeRead).CoversTenant(from) || x.actor.ScopeFor(netra.PermImport).ReachesTenant(m.ToTenantID, to) {
				return fmt.Errorf("transfer %d: %w", id, netra.ErrForbidden)
			}
			return fmt.Errorf("transfer %d: %w", id, netra.ErrNotFound)
		}
		if m.Status != TransferPending {
			return netra.Invalid("status", netra.Msg("Mutasi ini sudah diputuskan.", "This transfer has already been decided."))
		}
		status, action := TransferRefused, "employee.transfer.refuse"
		summary := map[string]any{"employee_id": m.EmployeeID, "from_tenant": m.FromTenantID, "to_tenant": m.ToTenantID, "import_id": m.ImportID}
		if confirm {
			status, action = TransferConfirmed, "employee.transfer.confirm"
			ch, err := x.moveEmployee(ctx, &m)
			if err != nil {
				return err
			}
			summary["changes"] = ch
		}
		if _, err := x.ExecContext(ctx, `UPDATE employee_transfers SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4`,
			status, x.actor.Label, x.now, id); err != nil {
			return fmt.Errorf("store: decide transfer: %w", err)
		}
		if err := x.audit(ctx, m.FromTenantID, action, "employee_transfer", id, summary); err != nil {
			return err
		}
		return x.audit(ctx, m.ToTenantID, action, "employee_transfer", id, summary)
	})
}

// moveEmployee applies a confirmed transfer's values to its employee.
func (x *tx) moveEmployee(ctx context.Context, m *Transfer) (map[string]change, error) {
	var o netra.Employee
	err := scanEmployee(x.QueryRowContext(ctx, `SELECT `+employeeCols+` FROM employees e JOIN org_units u ON u.id = e.unit_id
		WHERE e.id = $1`, m.EmployeeID), &o)
	if err != nil {
		return nil, fmt.Errorf("store: transfer employee: %w", err)
	}
	if o.TenantID != m.FromTenantID {
		return nil, netra.Invalid("status", netra.Msg("Pegawai ini sudah tidak di instansi asal; mutasi tidak dapat dikonfirmasi.",
			"The employee is no longer with the sending government; the transfer cannot be confirmed."))
	}
	var closed int64
	if err := x.QueryRowContext(ctx, `SELECT COALESCE(closed_at, 0) FROM org_units WHERE id = $1`, m.ToUnitID).Scan(&closed); err != nil {
		return nil, fmt.Errorf("store: transfer unit: %w", err)
	}
	if closed != 0 {
		return nil, netra.Invalid("unit", netra.Msg("Unit kerja "+m.ToUnit+" sudah ditutup.", "The work unit "+m.ToUnit+" is closed."))
	}
	e := m.Sent
	e.ID, e.NIP, e.CreatedAt = o.ID, o.NIP, o.CreatedAt
	e.TenantID, e.UnitID = m.ToTenantID, m.ToUnitID
	// The same record moves, so it stays the same person; the person the
	// import batch may have made for the row was never written. As in an
	// import, a row without the identifier columns keeps the stored ones.
	e.PersonID = o.PersonID
	e.NIK, e.PNSID, e.OldNIP = cmpOr(e.NIK, o.NIK), cmpOr(e.PNSID, o.PNSID), cmpOr(e.OldNIP, o.OldNIP)
	e.BirthPlace = cmpOr(e.BirthPlace, o.BirthPlace)
	// The position held in the sending government is kept (position.go).
	if err := x.closeAssignment(ctx, &o, &e); err != nil {
		return nil, err
	}
	ch := employeeChanges(&o, &e)
	if err := x.saveEmployee(ctx, &e, m.ImportID); err != nil {
		return nil, err
	}
	if err := x.dutiesFollow(ctx, []int64{e.ID}); err != nil { // duty_follow.go
		return nil, err
	}
	if err := x.history(ctx, e.ID, "transfer:"+strconv.FormatInt(m.ID, 10), ch); err != nil {
		return nil, err
	}
	return ch, nil
}

// TransfersToDecide counts, by sending government, the pending transfers
// the actor may confirm or refuse (see mayDecideTransfer), for the staff
// home page. It lists no employee, so it is not audited.
func (s *Store) TransfersToDecide(ctx context.Context) ([]TransferCount, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return nil, netra.ErrUnauthenticated
	}
	if !a.Can(netra.PermEmployeeWrite) {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT m.from_tenant_id, ft.name, ft.path, tt.path FROM employee_transfers m
		JOIN tenants ft ON ft.id = m.from_tenant_id JOIN tenants tt ON tt.id = m.to_tenant_id
		WHERE m.status = $1 ORDER BY ft.path, m.from_tenant_id`, TransferPending)
	if err != nil {
		return nil, fmt.Errorf("store: transfers to decide: %w", err)
	}
	defer rows.Close()
	var out []TransferCount
	for rows.Next() {
		var c TransferCount
		var from, to string
		if err := rows.Scan(&c.TenantID, &c.Tenant, &from, &to); err != nil {
			return nil, err
		}
		if !mayDecideTransfer(a, from, to) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].TenantID == c.TenantID {
			out[n-1].Count++
			continue
		}
		c.Count = 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// TransferCount is how many pending transfers of one sending government
// wait for the actor.
type TransferCount struct {
	TenantID int64
	Tenant   string
	Count    int
}
