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

const employeeCols = `e.id, e.tenant_id, e.nip, e.name, e.front_title, e.back_title, e.type, e.golongan,
	e.position_name, e.position_type, e.unit_id, e.email, e.phone, e.status, e.birth_date, e.sex,
	e.nik, e.pns_id, e.nip_lama, e.birth_place, e.other_email, e.eselon, e.education, e.rank_date,
	e.position_date, e.head, COALESCE(e.person_id, 0), e.created_at, e.updated_at, u.name, u.path`

func scanEmployee(row interface{ Scan(...any) error }, e *netra.Employee, extra ...any) error {
	var birth, rankDate, positionDate string
	var created, updated int64
	dst := append([]any{&e.ID, &e.TenantID, &e.NIP, &e.Name, &e.FrontTitle, &e.BackTitle, &e.Type, &e.Golongan,
		&e.PositionName, &e.PositionType, &e.UnitID, &e.Email, &e.Phone, &e.Status, &birth, &e.Sex,
		&e.NIK, &e.PNSID, &e.OldNIP, &e.BirthPlace, &e.OtherEmail, &e.Eselon, &e.Education, &rankDate,
		&positionDate, &e.Head, &e.PersonID, &created, &updated, &e.UnitName, &e.UnitPath}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	e.BirthDate, _ = time.Parse(time.DateOnly, birth)
	e.RankDate, _ = time.Parse(time.DateOnly, rankDate)
	e.PositionDate, _ = time.Parse(time.DateOnly, positionDate)
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	return nil
}

// searchName is the lower-case form of a name that searches match against.
func searchName(name string) string { return strings.ToLower(name) }

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// employeeChanges lists the fields that differ between two versions of an
// employee, for the history and the audit log.
func employeeChanges(before, after *netra.Employee) map[string]change {
	ch := map[string]change{}
	diff(ch, "name", before.Name, after.Name)
	diff(ch, "front_title", before.FrontTitle, after.FrontTitle)
	diff(ch, "back_title", before.BackTitle, after.BackTitle)
	diff(ch, "type", before.Type, after.Type)
	diff(ch, "golongan", before.Golongan, after.Golongan)
	diff(ch, "position_name", before.PositionName, after.PositionName)
	diff(ch, "position_type", before.PositionType, after.PositionType)
	diff(ch, "unit_id", before.UnitID, after.UnitID)
	diff(ch, "email", before.Email, after.Email)
	diff(ch, "phone", before.Phone, after.Phone)
	diff(ch, "status", before.Status, after.Status)
	diff(ch, "tenant_id", before.TenantID, after.TenantID)
	diff(ch, "nik", before.NIK, after.NIK)
	diff(ch, "pns_id", before.PNSID, after.PNSID)
	diff(ch, "nip_lama", before.OldNIP, after.OldNIP)
	diff(ch, "birth_place", before.BirthPlace, after.BirthPlace)
	diff(ch, "other_email", before.OtherEmail, after.OtherEmail)
	diff(ch, "eselon", before.Eselon, after.Eselon)
	diff(ch, "education", before.Education, after.Education)
	diff(ch, "rank_date", dateString(before.RankDate), dateString(after.RankDate))
	diff(ch, "position_date", dateString(before.PositionDate), dateString(after.PositionDate))
	diff(ch, "head", before.Head, after.Head)
	if after.PersonID != 0 {
		diff(ch, "person_id", before.PersonID, after.PersonID)
	}
	return ch
}

// unitInScope loads the unit an employee is to be placed in and checks that
// it is open and that the actor may write employees there.
func (x *tx) unitInScope(ctx context.Context, unitID int64, p netra.Permission) (*netra.OrgUnit, error) {
	var u netra.OrgUnit
	var tpath string
	err := scanUnit(x.QueryRowContext(ctx, `SELECT `+unitCols+`, t.path FROM org_units u JOIN tenants t ON t.id = u.tenant_id
		WHERE u.id = $1`, unitID), &u, &tpath)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !x.actor.ScopeFor(p).CoversUnit(u.TenantID, tpath, u.Path)) {
		return nil, netra.Invalid("unit", netra.Msg("Unit kerja tidak ditemukan atau di luar wewenang Anda.", "The work unit does not exist or is outside your scope."))
	} else if err != nil {
		return nil, fmt.Errorf("store: unit: %w", err)
	}
	if u.Closed() {
		return nil, netra.Invalid("unit", netra.Msg("Unit kerja "+u.Name+" sudah ditutup.", "The work unit "+u.Name+" is closed."))
	}
	return &u, nil
}

// CreateEmployee adds an employee to a unit and links it to the person
// behind it (see person.go: by NIK, PNS_ID, NIP_LAMA or a past identifier;
// a new person when none matches). A NIP already registered anywhere is a
// conflict (a NIP is never reused).
func (s *Store) CreateEmployee(ctx context.Context, e *netra.Employee) error {
	if err := e.Validate(s.now()); err != nil {
		return err
	}
	if _, err := scopeOf(ctx, netra.PermEmployeeWrite); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		u, err := x.unitInScope(ctx, e.UnitID, netra.PermEmployeeWrite)
		if err != nil {
			return err
		}
		e.TenantID = u.TenantID
		e.CreatedAt, e.UpdatedAt = fromMS(x.now), fromMS(x.now)
		e.PersonID = 0
		if _, err := x.linkPersons(ctx, []*netra.Employee{e}, nil, nil); err != nil {
			return err
		}
		err = x.QueryRowContext(ctx, `INSERT INTO employees (tenant_id, nip, name, search_name, front_title, back_title,
			type, golongan, position_name, position_type, unit_id, email, phone, status, birth_date, sex,
			nik, pns_id, nip_lama, birth_place, other_email, eselon, education, rank_date, position_date, head, person_id,
			created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
			$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $28) RETURNING id`,
			e.TenantID, e.NIP, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, e.Type, e.Golongan, e.PositionName,
			e.PositionType, e.UnitID, e.Email, e.Phone, e.Status, dateString(e.BirthDate), e.Sex,
			e.NIK, e.PNSID, e.OldNIP, e.BirthPlace, e.OtherEmail, e.Eselon, e.Education, dateString(e.RankDate),
			dateString(e.PositionDate), e.Head, e.PersonID, x.now).Scan(&e.ID)
		if isUniqueViolation(err) {
			return netra.Invalid("nip", netra.Msg("NIP "+e.NIP+" sudah terdaftar.", "NIP "+e.NIP+" is already registered."))
		} else if err != nil {
			return fmt.Errorf("store: insert employee: %w", err)
		}
		if err := x.dutiesFollow(ctx, []int64{e.ID}); err != nil { // duty_follow.go
			return err
		}
		return x.audit(ctx, e.TenantID, "employee.create", "employee", e.ID, map[string]any{
			"nip": e.NIP, "name": e.Name, "unit_id": e.UnitID, "type": e.Type, "person_id": e.PersonID})
	})
}

// employeeForWrite loads an employee inside a write transaction and checks
// the actor may change it.
func (x *tx) employeeForWrite(ctx context.Context, id int64) (*netra.Employee, error) {
	var e netra.Employee
	var tpath string
	err := scanEmployee(x.QueryRowContext(ctx, `SELECT `+employeeCols+`, t.path FROM employees e
		JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE e.id = $1`, id), &e, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("employee %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: employee: %w", err)
	}
	if err := forWrite("employee", id, x.actor.ScopeFor(netra.PermEmployeeWrite).CoversUnit(e.TenantID, tpath, e.UnitPath),
		x.actor.ScopeFor(netra.PermEmployeeRead).CoversUnit(e.TenantID, tpath, e.UnitPath)); err != nil {
		return nil, err
	}
	return &e, nil
}

// EmployeeUpdate changes an employee; nil fields stay as they are. The NIP
// never changes.
type EmployeeUpdate struct {
	Name         *string
	FrontTitle   *string
	BackTitle    *string
	Type         *netra.EmploymentType
	Golongan     *netra.Golongan
	PositionName *string
	PositionType *netra.PositionType
	UnitID       *int64
	Email        *string
	Phone        *string
	Status       *netra.EmployeeStatus
	NIK          *string
	PNSID        *string
	OldNIP       *string
	BirthPlace   *string
	OtherEmail   *string
	Eselon       *string
	Education    *string
	RankDate     *time.Time // the zero time clears it
	PositionDate *time.Time
	Head         *bool
}

// UpdateEmployee changes an employee, keeps the change in the employee's
// history and audits it. Moving to another unit needs write access to both.
func (s *Store) UpdateEmployee(ctx context.Context, id int64, up EmployeeUpdate) (*netra.Employee, error) {
	var out *netra.Employee
	err := s.write(ctx, func(x *tx) error {
		before, err := x.employeeForWrite(ctx, id)
		if err != nil {
			return err
		}
		e := *before
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&e.Name, up.Name)
		set(&e.FrontTitle, up.FrontTitle)
		set(&e.BackTitle, up.BackTitle)
		set(&e.PositionName, up.PositionName)
		set(&e.Email, up.Email)
		set(&e.Phone, up.Phone)
		set(&e.NIK, up.NIK)
		set(&e.PNSID, up.PNSID)
		set(&e.OldNIP, up.OldNIP)
		set(&e.BirthPlace, up.BirthPlace)
		set(&e.OtherEmail, up.OtherEmail)
		set(&e.Eselon, up.Eselon)
		set(&e.Education, up.Education)
		if up.RankDate != nil {
			e.RankDate = *up.RankDate
		}
		if up.PositionDate != nil {
			e.PositionDate = *up.PositionDate
		}
		if up.Head != nil {
			e.Head = *up.Head
		}
		if up.Type != nil {
			e.Type = *up.Type
		}
		if up.Golongan != nil {
			e.Golongan = *up.Golongan
		}
		if up.PositionType != nil {
			e.PositionType = *up.PositionType
		}
		if up.Status != nil {
			e.Status = *up.Status
		}
		if up.UnitID != nil && *up.UnitID != e.UnitID {
			u, err := x.unitInScope(ctx, *up.UnitID, netra.PermEmployeeWrite)
			if err != nil {
				return err
			}
			e.UnitID, e.TenantID, e.UnitName = u.ID, u.TenantID, u.Name
		}
		if err := e.Validate(fromMS(x.now)); err != nil {
			return err
		}
		if err := x.closeAssignment(ctx, before, &e); err != nil { // position.go
			return err
		}
		out = &e
		if len(employeeChanges(before, &e)) == 0 {
			return nil
		}
		if err := x.relink(ctx, before, &e); err != nil {
			return err
		}
		ch := employeeChanges(before, &e)
		if err := x.saveEmployee(ctx, &e, 0); err != nil {
			return err
		}
		if err := x.dutiesFollow(ctx, []int64{e.ID}); err != nil { // duty_follow.go
			return err
		}
		if err := x.history(ctx, e.ID, "web", ch); err != nil {
			return err
		}
		return x.audit(ctx, e.TenantID, "employee.update", "employee", e.ID, ch)
	})
	return out, err
}

// saveEmployee writes every mutable column of e (a PersonID of 0 keeps the
// stored person).
func (x *tx) saveEmployee(ctx context.Context, e *netra.Employee, importID int64) error {
	e.UpdatedAt = fromMS(x.now)
	_, err := x.ExecContext(ctx, `UPDATE employees SET tenant_id = $1, name = $2, search_name = $3, front_title = $4,
		back_title = $5, type = $6, golongan = $7, position_name = $8, position_type = $9, unit_id = $10, email = $11,
		phone = $12, status = $13, updated_at = $14, import_id = COALESCE($15, import_id), nik = $16, pns_id = $17,
		nip_lama = $18, birth_place = $19, other_email = $20, eselon = $21, education = $22, rank_date = $23,
		position_date = $24, head = $25, person_id = COALESCE($26, person_id) WHERE id = $27`,
		e.TenantID, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, e.Type, e.Golongan, e.PositionName,
		e.PositionType, e.UnitID, e.Email, e.Phone, e.Status, x.now, nullID(importID), e.NIK, e.PNSID,
		e.OldNIP, e.BirthPlace, e.OtherEmail, e.Eselon, e.Education, dateString(e.RankDate),
		dateString(e.PositionDate), e.Head, nullID(e.PersonID), e.ID)
	if err != nil {
		return fmt.Errorf("store: update employee: %w", err)
	}
	return nil
}

// history records a change in the employee's own history.
func (x *tx) history(ctx context.Context, employeeID int64, source string, ch map[string]change) error {
	b, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO employee_history (employee_id, at, actor, source, changes)
		VALUES ($1, $2, $3, $4, $5)`, employeeID, x.now, x.actor.Label, source, string(b)); err != nil {
		return fmt.Errorf("store: employee history: %w", err)
	}
	return nil
}

// Employee returns an employee the actor may read (an employee user may read
// their own record) and records the read in the audit log, since the record
// holds personal data.
func (s *Store) Employee(ctx context.Context, id int64) (*netra.Employee, error) {
	e, err := s.employeeInScope(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// employeeInScope loads an employee the actor may read (see Employee),
// without auditing the read: for the callers that audit it themselves.
func (s *Store) employeeInScope(ctx context.Context, id int64) (*netra.Employee, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return nil, netra.ErrUnauthenticated
	}
	var e netra.Employee
	var tpath string
	err := scanEmployee(s.r.QueryRowContext(ctx, `SELECT `+employeeCols+`, t.path FROM employees e
		JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE e.id = $1`, id), &e, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("employee %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: employee: %w", err)
	}
	own := a.EmployeeID != 0 && a.EmployeeID == e.ID && a.Can(netra.PermSelf)
	if !own && !a.ScopeFor(netra.PermEmployeeRead).CoversUnit(e.TenantID, tpath, e.UnitPath) {
		return nil, fmt.Errorf("employee %d: %w", id, netra.ErrNotFound)
	}
	return &e, nil
}

// HistoryEntry is one recorded change of an employee.
type HistoryEntry struct {
	At      time.Time
	Actor   string
	Source  string
	Changes map[string]struct{ From, To any }
}

// EmployeeHistory returns the recorded changes of an employee the actor may
// read (ErrNotFound otherwise), newest first. The read is audited, as an
// employee's read: the changes hold personal data.
func (s *Store) EmployeeHistory(ctx context.Context, id int64) ([]HistoryEntry, error) {
	_, hs, err := s.EmployeeWithHistory(ctx, id)
	return hs, err
}

// EmployeeWithHistory returns an employee the actor may read together with
// its recorded changes, as an employee's page shows them: one load, and one
// audited read for both.
func (s *Store) EmployeeWithHistory(ctx context.Context, id int64) (*netra.Employee, []HistoryEntry, error) {
	e, err := s.employeeInScope(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"history": true}); err != nil {
		return nil, nil, err
	}
	hs, err := s.history(ctx, id)
	return e, hs, err
}

// history reads an employee's recorded changes, newest first.
func (s *Store) history(ctx context.Context, id int64) ([]HistoryEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT at, actor, source, changes FROM employee_history
		WHERE employee_id = $1 ORDER BY at DESC, id DESC LIMIT 200`, id)
	if err != nil {
		return nil, fmt.Errorf("store: employee history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var at int64
		var ch string
		if err := rows.Scan(&at, &h.Actor, &h.Source, &ch); err != nil {
			return nil, err
		}
		h.At = fromMS(at)
		if err := json.Unmarshal([]byte(ch), &h.Changes); err != nil {
			return nil, fmt.Errorf("store: employee history %d: %w", id, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// EmployeePage is one page of employees.
type EmployeePage struct {
	Employees []netra.Employee
	Next      string // cursor for the following page, "" on the last
	Total     int    // matching employees, counted up to CountCap
	More      bool   // more than CountCap match
}

// CountCap bounds the count of matching employees, so that a page over
// millions of employees does not wait for an exact total.
const CountCap = 10000

// Employees lists the employees the actor may read, ordered by name, a page
// at a time (keyset pagination: stays fast at any depth). A page that holds
// any employee is recorded in the audit log, one entry naming the filter and
// how many employees went out (never the employees themselves): the rows
// carry NIPs, e-mail addresses, phone numbers and birth dates.
func (s *Store) Employees(ctx context.Context, f netra.EmployeeFilter) (*EmployeePage, error) {
	page, err := s.employees(ctx, f, true)
	if err != nil || len(page.Employees) == 0 {
		return page, err
	}
	sum := map[string]any{"count": len(page.Employees), "total": page.Total}
	for k, v := range map[string]any{"tenant_id": f.TenantID, "unit_id": f.UnitID, "type": string(f.Type),
		"position_type": string(f.PositionType), "status": string(f.Status), "q": strings.TrimSpace(f.Search)} {
		if v != int64(0) && v != "" {
			sum[k] = v
		}
	}
	if f.After != "" {
		sum["next_page"] = true
	}
	tenant := f.TenantID
	if tenant == 0 {
		tenant = page.Employees[0].TenantID
		for _, e := range page.Employees {
			if e.TenantID != tenant {
				tenant = 0 // a page across governments: filed with none
				break
			}
		}
	}
	if err := s.auditList(ctx, tenant, "employee", sum); err != nil {
		return nil, err
	}
	return page, nil
}

// CountEmployees counts, up to CountCap, the employees matching f that the
// actor may read (more: there are more than CountCap), for the counters of
// the home and unit pages. It hands out no employee, so it is not audited.
func (s *Store) CountEmployees(ctx context.Context, f netra.EmployeeFilter) (total int, more bool, err error) {
	page, err := s.employees(ctx, f, false)
	if err != nil {
		return 0, false, err
	}
	return page.Total, page.More, nil
}

// employeeQuery is the SQL of the employees matching f that the actor may
// read: from and countFrom (the latter without the unit join when nothing
// filters on the unit), each starting with " FROM", and their arguments.
type employeeQuery struct {
	a               args
	from, countFrom string
}

func (s *Store) employeeQuery(ctx context.Context, f netra.EmployeeFilter) (*employeeQuery, error) {
	sc, err := scopeOf(ctx, netra.PermEmployeeRead)
	if err != nil {
		return nil, err
	}
	var a args
	// A search by identifier finds a handful of records through the
	// identifier indexes; said as a plain column, the government would lead
	// the planner to walk all its employees in name order instead.
	q := strings.TrimSpace(f.Search)
	byIdentifier := q != "" && identifierLike(netra.NormalizeNIP(q))
	tcol := "e.tenant_id"
	if byIdentifier {
		tcol = "+e.tenant_id"
	}
	scope := scopeSQL(sc, &a, "", tcol, "u.path")
	where := []string{scope}
	if f.TenantID != 0 {
		where = append(where, tcol+" = "+a.add(f.TenantID))
	} else if oneGovernment(sc) {
		// Said outright, the government leads the planner to its index.
		where = append(where, tcol+" = "+a.add(sc.Areas[0].TenantID))
	}
	if f.UnitID != 0 {
		var p string
		var tid int64
		if err := s.r.QueryRowContext(ctx, `SELECT path, tenant_id FROM org_units WHERE id = $1`, f.UnitID).Scan(&p, &tid); err != nil {
			return nil, fmt.Errorf("unit %d: %w", f.UnitID, netra.ErrNotFound)
		}
		lo, hi := subtree(p)
		where = append(where, tcol+" = "+a.add(tid), "u.path >= "+a.add(lo), "u.path < "+a.add(hi))
	}
	if f.Type != "" {
		where = append(where, "e.type = "+a.add(f.Type))
	}
	if f.PositionType != "" {
		where = append(where, "e.position_type = "+a.add(f.PositionType))
	}
	if f.Status != "" {
		// The status index (00008) serves a rare status across a province
		// or the nation: walking the name index found no CLTN among
		// hundreds of thousands. For the common status, and within one
		// government, SQLite (which keeps no statistics) would take it too
		// and walk every active employee of the nation; the unary plus keeps
		// it to the government and name indexes there. PostgreSQL plans by
		// its statistics (and has no unary plus on text).
		col := "e.status"
		oneGov := f.TenantID != 0 || f.UnitID != 0 || oneGovernment(sc)
		if s.dialect == SQLite && (f.Status == netra.StatusActive || oneGov || byIdentifier || q != "") {
			col = "+e.status"
		}
		where = append(where, col+" = "+a.add(f.Status))
	}
	if q != "" {
		if n := netra.NormalizeNIP(q); byIdentifier {
			where = append(where, personSearch(&a, n))
		} else if len(n) >= 4 && strings.Trim(n, "0123456789") == "" {
			where = append(where, "e.nip >= "+a.add(n), "e.nip < "+a.add(n+":"))
		} else if nameSearchMatchesStart(sc, f) {
			p := strings.ToLower(strings.Join(strings.Fields(q), " "))
			where = append(where, "e.search_name >= "+a.add(p), "e.search_name < "+a.add(p+"\U0010FFFF"))
		} else {
			for _, w := range strings.Fields(strings.ToLower(q)) {
				where = append(where, "e.search_name LIKE "+a.add("%"+escapeLike(w)+"%")+" ESCAPE '\\'")
			}
		}
	}
	cond := strings.Join(where, " AND ")
	// The count reads up to CountCap+1 rows; joining each to its unit when
	// nothing filters on the unit made a nationwide search 70 times slower.
	countFrom := ` FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE ` + cond
	if !strings.Contains(cond, "u.path") {
		countFrom = ` FROM employees e WHERE ` + cond
	}
	if s.dialect == SQLite && !byIdentifier && strings.Contains(scope, "e.tenant_id IN") {
		// The page of a province: SQLite (with no statistics) would read
		// every employee of its governments through the government index
		// and sort them, 640 ms for Jawa Barat; the unary plus keeps it off
		// that index, so it walks the name index and stops after a page.
		where[0] = strings.ReplaceAll(scope, "e.tenant_id IN", "+e.tenant_id IN")
	}
	from := ` FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE ` + strings.Join(where, " AND ")
	return &employeeQuery{a: a, from: from, countFrom: countFrom}, nil
}

func (s *Store) employees(ctx context.Context, f netra.EmployeeFilter, withRows bool) (*EmployeePage, error) {
	eq, err := s.employeeQuery(ctx, f)
	if err != nil {
		return nil, err
	}
	a, from := eq.a, eq.from
	page := &EmployeePage{}
	countArgs := append([]any(nil), a.v...)
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1`+eq.countFrom+` LIMIT `+strconv.Itoa(CountCap+1)+`) c`, countArgs...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("store: count employees: %w", err)
	}
	if page.Total > CountCap {
		page.Total, page.More = CountCap, true
	}
	if !withRows {
		return page, nil
	}
	if f.After != "" {
		name, id, ok := parseCursor(f.After)
		if !ok {
			return nil, netra.Invalid("after", netra.Msg("Penanda halaman tidak sah.", "Invalid page cursor."))
		}
		pn, pi := a.add(name), a.add(id)
		from += fmt.Sprintf(" AND (e.search_name > %s OR (e.search_name = %s AND e.id > %s))", pn, pn, pi)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+employeeCols+from+` ORDER BY e.search_name, e.id LIMIT `+strconv.Itoa(limit+1), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: employees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e netra.Employee
		if err := scanEmployee(rows, &e); err != nil {
			return nil, fmt.Errorf("store: employees: %w", err)
		}
		page.Employees = append(page.Employees, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(page.Employees) > limit {
		page.Employees = page.Employees[:limit]
		last := page.Employees[limit-1]
		page.Next = makeCursor(searchName(last.Name), last.ID)
	}
	return page, nil
}

// identifierLike reports whether a search is an identifier a person may
// have had: a NIP_LAMA (9 digits), a NIK (16), a NIP or NI PPPK (18), or a
// SIASN PNS_ID (20 to 40 letters and digits with at least 6 digits).
func identifierLike(s string) bool {
	digits, alnum := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			alnum++
		default:
			return false
		}
	}
	if alnum == 0 {
		return digits == 9 || digits == 16 || digits == 18
	}
	return digits >= 6 && digits+alnum >= 20 && digits+alnum <= 40
}

// personSearch is the condition for a search by identifier: the records
// whose nip starts with it (as before), and every record of each person who
// has or had it, by NIK, PNS_ID, NIP_LAMA, nip or a past identifier. Each
// branch is an index probe; the scope, ANDed outside, keeps out the records
// the actor may not read, so another government's records of the same
// person stay hidden. An IN over ids (not an OR of the branches) keeps
// PostgreSQL from turning the subqueries into a filter over every row.
func personSearch(a *args, n string) string {
	v := a.add(n)
	if strings.Trim(n, "0123456789") != "" {
		v2 := a.add(strings.ToUpper(n))
		return `e.id IN (SELECT p.id FROM employees p WHERE p.person_id IN (
			SELECT person_id FROM employees WHERE pns_id <> '' AND pns_id IN (` + v + `, ` + v2 + `)
			UNION SELECT person_id FROM person_identifiers WHERE value IN (` + v + `, ` + v2 + `)))`
	}
	return `e.id IN (SELECT id FROM employees WHERE nip >= ` + v + ` AND nip < ` + a.add(n+":") + `
		UNION SELECT p.id FROM employees p WHERE p.person_id IN (
			SELECT person_id FROM employees WHERE nip = ` + v + `
			UNION SELECT person_id FROM employees WHERE nik <> '' AND nik = ` + v + `
			UNION SELECT person_id FROM employees WHERE pns_id <> '' AND pns_id = ` + v + `
			UNION SELECT person_id FROM employees WHERE nip_lama <> '' AND nip_lama = ` + v + `
			UNION SELECT person_id FROM person_identifiers WHERE value = ` + v + `))`
}

// NameSearchMatchesStart reports whether a name search with f by the actor
// in ctx matches only the start of names (see nameSearchMatchesStart), for
// pages that explain the search.
func NameSearchMatchesStart(ctx context.Context, f netra.EmployeeFilter) bool {
	sc, err := scopeOf(ctx, netra.PermEmployeeRead)
	return err == nil && nameSearchMatchesStart(sc, f)
}

// nameSearchMatchesStart: across a province or the nation (hundreds of
// thousands to millions of employees) a substring match reads every row,
// 1.4 s for a province of 560,000; the start of a name is an index range.
// Within one regency or city a search matches any part of the name.
func nameSearchMatchesStart(sc netra.Scope, f netra.EmployeeFilter) bool {
	return f.TenantID == 0 && f.UnitID == 0 && !oneGovernment(sc)
}

// oneGovernment reports whether a scope stays within one regency or city
// (or part of it), where a search may match any part of a name.
func oneGovernment(sc netra.Scope) bool {
	if sc.All || len(sc.Areas) == 0 {
		return false
	}
	id := sc.Areas[0].TenantID
	for _, a := range sc.Areas {
		if a.TenantID != id {
			return false
		}
		// A whole province or the nation reaches the governments below it.
		if l, _ := netra.LevelOfCode(tenantCode(a.TenantPath)); a.UnitPath == "" && l != netra.LevelRegency && l != netra.LevelCity {
			return false
		}
	}
	return true
}

// tenantCode is the last code of a tenant path ("/00/62/62.71/" → "62.71").
func tenantCode(path string) string {
	p := strings.Split(strings.Trim(path, "/"), "/")
	return p[len(p)-1]
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// makeCursor encodes a keyset position as "id.name" in a URL-safe form.
func makeCursor(name string, id int64) string {
	return strconv.FormatInt(id, 10) + "." + name
}

func parseCursor(c string) (string, int64, bool) {
	i := strings.IndexByte(c, '.')
	if i < 0 {
		return "", 0, false
	}
	id, err := strconv.ParseInt(c[:i], 10, 64)
	return c[i+1:], id, err == nil
}
