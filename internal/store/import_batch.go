package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/netra-id/netra"
)

// ImportRow is one parsed roster row on its way into the database. The unit
// is named by code or by a path of names; TenantCode, when set, names the
// government the row belongs to (national rosters span many).
type ImportRow struct {
	Line       int64
	Employee   netra.Employee
	TenantCode string
	UnitCode   string
	UnitPath   []string

	// SIASN names (see roster.Parsed): used when neither UnitCode nor
	// UnitPath is given (UnitName) or TenantCode is empty (GovernmentName).
	UnitName       string
	ParentUnitName string
	GovernmentName string
}

// Importer writes the rows of one import in batches, one transaction each,
// through the engine's fastest path: prepared statements in one transaction
// on SQLite, COPY on PostgreSQL. Rows are matched to existing employees by
// NIP: new ones are inserted, changed ones updated with a history entry,
// identical ones left alone, so importing a file twice changes nothing.
type Importer struct {
	s       *Store
	im      *netra.Import
	actor   *netra.Actor
	scope   netra.Scope
	tenants map[string]*importTenant // by code
	home    *importTenant
	loaded  []*importTenant // tenants whose units (code maps, name index) may be in memory
	clock   int64           // counts unit-tree lookups, for evicting the least recently used
	keepAll bool            // an evicted tree was needed again: the file is not grouped by government

	// PostgreSQL: set once a batch collided with stored employees.
	pgMatch bool

	// SQLite: the transaction batches share (see writeSQLiteBatch).
	open     *tx
	openedAt time.Time
	pending  int
	waits    int64 // the writer pool's wait count when open began

	first    *firstLoad        // an import on an empty registry (see import_fresh.go); nil otherwise
	dry      dryRun            // counts of a dry run (see preview.go)
	byName   map[string]string // government name (normalised) → code, loaded once when a row names one
	govCodes map[string]string // government name as rows give it → code (see governmentCode)
}

type importTenant struct {
	id      int64
	code    string
	name    string
	path    string
	other   bool                  // a real government the import may not write to
	names   *unitNames            // the unit-name index (see import_resolve.go); nil until needed
	err     *netra.Message        // why rows cannot go to this tenant
	units   map[string]importUnit // by code; nil until loaded, and again once evicted
	byNames map[string]importUnit // by lower-case "a > b > c"
	used    int64                 // the importer's clock at the last lookup
	held    bool                  // in imp.loaded: its units or names may be in memory
	evicted bool
}

// maxLoadedTenants bounds how many governments' unit trees an import keeps
// in memory. A national roster names 552 governments and 134,000 units;
// holding them all costs about 60 MB, while a roster is usually grouped by
// government, so a few trees at a time serve it. When a file is not grouped
// (an evicted tree is needed again), the importer keeps every tree from then
// on rather than reload trees for every batch.
const maxLoadedTenants = 16

// maxCodes bounds how many government codes an import remembers (Indonesia
// has 552 governments), so that a file full of made-up codes cannot grow the
// importer's memory without end.
const maxCodes = 2000

type importUnit struct {
	id     int64
	path   string
	name   string
	closed bool
}

// NewImporter prepares to write the rows of im as the actor in ctx, and
// marks the import running.
func (s *Store) NewImporter(ctx context.Context, im *netra.Import) (*Importer, error) {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return nil, err
	}
	imp := &Importer{s: s, im: im, actor: netra.ActorFrom(ctx), scope: sc, tenants: map[string]*importTenant{}}
	imp.dry.on = im.DryRun
	var code string
	if err := s.r.QueryRowContext(ctx, `SELECT code FROM tenants WHERE id = $1`, im.TenantID).Scan(&code); err != nil {
		return nil, fmt.Errorf("import tenant: %w", netra.ErrNotFound)
	}
	if imp.home, err = imp.tenant(ctx, code); err != nil {
		return nil, err
	}
	if imp.home.err != nil {
		return nil, fmt.Errorf("import: %w", netra.ErrForbidden)
	}
	if !im.DryRun {
		if imp.first, err = s.startFirstLoad(ctx); err != nil {
			return nil, err
		}
	}
	err = s.write(ctx, func(x *tx) error {
		im.Status, im.StartedAt = netra.ImportRunning, fromMS(x.now)
		_, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, started_at = $2 WHERE id = $3`, im.Status, x.now, im.ID)
		return err
	})
	return imp, err
}

// tenant loads (once) a tenant and checks that rows may go to it.
func (imp *Importer) tenant(ctx context.Context, code string) (*importTenant, error) {
	if t, ok := imp.tenants[code]; ok {
		return t, nil
	}
	t := &importTenant{code: code}
	err := imp.s.r.QueryRowContext(ctx, `SELECT id, name, path FROM tenants WHERE code = $1`, code).Scan(&t.id, &t.name, &t.path)
	if len(imp.tenants) < maxCodes || err == nil {
		imp.tenants[code] = t
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		m := netra.Msg("Kode instansi "+code+" tidak dikenal.", "Unknown government code "+code+".")
		if name, ok := realGovernment(code); ok { // a real government this installation does not hold
			t.name, t.other = name, true
			m = otherGovernment(t)
		}
		t.err = &m
		return t, nil
	case err != nil:
		return nil, fmt.Errorf("store: import tenant: %w", err)
	}
	if (imp.home != nil && !strings.HasPrefix(t.path, imp.home.path)) || !imp.scope.ReachesTenant(t.id, t.path) {
		m := otherGovernment(t)
		t.err, t.other = &m, true
	}
	return t, nil
}

// touch notes that a row needs t's units (its code maps or its name index),
// evicting the least recently used government's when too many are held.
func (imp *Importer) touch(t *importTenant) {
	imp.clock++
	t.used = imp.clock
	if t.held {
		return
	}
	if t.evicted {
		imp.keepAll = true
	}
	if len(imp.loaded) >= maxLoadedTenants && !imp.keepAll {
		old := 0
		for i, l := range imp.loaded {
			if l.used < imp.loaded[old].used {
				old = i
			}
		}
		o := imp.loaded[old]
		o.units, o.byNames, o.names, o.held, o.evicted = nil, nil, nil, false, true
		imp.loaded = append(imp.loaded[:old], imp.loaded[old+1:]...)
	}
	t.held = true
	imp.loaded = append(imp.loaded, t)
}

// unitTree makes sure t's units by code and by path are in memory (rows
// that name their unit by code or path need them; SIASN rows, which name
// it by its own name, use the name index of import_resolve.go instead).
func (imp *Importer) unitTree(ctx context.Context, t *importTenant) error {
	imp.touch(t)
	if t.units != nil {
		return nil
	}
	units, byNames := map[string]importUnit{}, map[string]importUnit{}
	rows, err := imp.s.r.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), code, name, path, COALESCE(closed_at, 0)
		FROM org_units WHERE tenant_id = $1 ORDER BY path`, t.id)
	if err != nil {
		return fmt.Errorf("store: import units: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{} // unit id → its lower-case name path
	for rows.Next() {
		var u importUnit
		var parent, closed int64
		var ucode string
		if err := rows.Scan(&u.id, &parent, &ucode, &u.name, &u.path, &closed); err != nil {
			return err
		}
		u.closed = closed != 0
		units[ucode] = u
		key := strings.ToLower(u.name)
		if p, ok := names[parent]; ok {
			key = p + " > " + key
		}
		names[u.id] = key
		byNames[key] = u
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: import units: %w", err)
	}
	t.units, t.byNames = units, byNames
	return nil
}

// existing is what the importer needs to know of an employee already stored.
type existing struct {
	e        netra.Employee
	importID int64
	line     int64 // the line of import importID the employee was last taken from
	tpath    string
}

// Write stores one batch of rows in one transaction together with the
// problems found while parsing them, the progress (bytes read so far) and an
// audit entry summing the batch up. It returns the problems of the batch's
// own rows (unknown unit, NIP registered elsewhere, repeated NIP).
func (imp *Importer) Write(ctx context.Context, rows []ImportRow, parseProblems []netra.ImportProblem, readBytes, rowsRead int64) error {
	var problems = parseProblems
	imp.dry.parseRejected(imp, parseProblems)
	var t *importTenant
	reject := func(r *ImportRow, col, val string, m netra.Message, unitID int64) {
		problems = append(problems, netra.ImportProblem{Line: r.Line, Column: col, Value: val, Reason: m, UnitID: unitID})
		imp.dry.tally(t, outRejected)
	}
	// Resolve tenants and units before the transaction: it only reads. The
	// rows that pass are compacted in place: copying 20,000 large structs
	// into a growing slice cost 6% of a national import.
	var first, last int64
	if len(rows) > 0 {
		first, last = rows[0].Line, rows[len(rows)-1].Line
	}
	good := rows[:0]
	for i := range rows {
		r := &rows[i]
		t = imp.home
		govCol, govVal := "KODE_INSTANSI", r.TenantCode
		if r.TenantCode == "" && r.GovernmentName != "" {
			govCol, govVal = "INSTANSI_KERJA_NAMA", r.GovernmentName
			var err error
			if r.TenantCode, err = imp.governmentCode(ctx, r.GovernmentName); err != nil {
				return err
			}
		}
		if r.TenantCode != "" && r.TenantCode != imp.home.code {
			var err error
			if t, err = imp.tenant(ctx, r.TenantCode); err != nil {
				return err
			}
		}
		if t.err != nil {
			reject(r, govCol, govVal, *t.err, 0)
			continue
		}
		if r.UnitCode == "" && len(r.UnitPath) == 0 {
			imp.touch(t)
			u, m, err := imp.unitByName(ctx, t, r.UnitName, r.ParentUnitName)
			if err != nil {
				return err
			}
			if m != nil {
				col := "UNOR_NAMA"
				if r.UnitName == "" {
					col = "UNIT_KERJA"
				}
				reject(r, col, r.UnitName, *m, 0)
				continue
			}
			if !imp.scope.CoversUnit(t.id, t.path, u.path) {
				reject(r, "UNOR_NAMA", r.UnitName, netra.Msg("Unit kerja "+u.name+" di luar wewenang Anda.", "The work unit "+u.name+" is outside your scope."), u.id)
				continue
			}
			r.Employee.TenantID, r.Employee.UnitID = t.id, u.id
			r.Employee.Status = cmpOr(r.Employee.Status, netra.StatusActive)
			good = append(good, *r)
			continue
		}
		if err := imp.unitTree(ctx, t); err != nil {
			return err
		}
		u, ok := t.units[r.UnitCode]
		if r.UnitCode == "" || !ok {
			if len(r.UnitPath) > 0 {
				u, ok = t.byNames[strings.ToLower(strings.Join(r.UnitPath, " > "))]
			}
		}
		switch {
		case !ok && r.UnitCode != "":
			reject(r, "KODE_UNIT", r.UnitCode, netra.Msg("Kode unit "+r.UnitCode+" tidak ada di pohon organisasi "+t.code+".", "Unit code "+r.UnitCode+" is not in the organisation tree of "+t.code+"."), 0)
			continue
		case !ok:
			p := strings.Join(r.UnitPath, " > ")
			reject(r, "UNIT_KERJA", p, netra.Msg("Unit kerja \""+p+"\" tidak ada di pohon organisasi "+t.code+".", "Work unit \""+p+"\" is not in the organisation tree of "+t.code+"."), 0)
			continue
		case u.closed:
			reject(r, "KODE_UNIT", r.UnitCode, netra.Msg("Unit kerja "+u.name+" sudah ditutup.", "The work unit "+u.name+" is closed."), u.id)
			continue
		case !imp.scope.CoversUnit(t.id, t.path, u.path):
			reject(r, "KODE_UNIT", r.UnitCode, netra.Msg("Unit kerja "+u.name+" di luar wewenang Anda.", "The work unit "+u.name+" is outside your scope."), u.id)
			continue
		}
		r.Employee.TenantID, r.Employee.UnitID = t.id, u.id
		r.Employee.Status = cmpOr(r.Employee.Status, netra.StatusActive)
		good = append(good, *r) // index len(good) <= i: never overwrites an unread row
	}
	if imp.dry.on {
		return imp.dryWrite(ctx, good, problems, readBytes, rowsRead, first, last)
	}
	var res batchResult
	var fresh [][]any
	if imp.s.dialect == Postgres && !imp.pgMatch && len(good) > 0 {
		// Built before the transaction: while the client builds them, the
		// server waits (8% of a national import's time was spent so).
		now := imp.s.now().UnixMilli()
		fresh = make([][]any, len(good))
		for i := range good {
			fresh[i] = append(copyValues(&good[i].Employee, imp.im.ID, now), good[i].Line)
		}
	}
	apply := func(x *tx) error {
		var err error
		if imp.s.dialect == Postgres {
			res, err = imp.writePostgres(ctx, x, good, fresh)
		} else {
			res, err = imp.writeSQLite(ctx, x, good)
		}
		if err != nil {
			return err
		}
		if err := x.dutiesFollowImport(ctx, good); err != nil { // duty_follow.go
			return err
		}
		problems = append(problems, res.problems...)
		for _, p := range problems {
			if err := x.importProblem(ctx, imp.im.ID, p); err != nil {
				return err
			}
		}
		rejected, warned := countLines(problems), countWarnings(problems)
		if _, err := x.ExecContext(ctx, `UPDATE imports SET read_bytes = $1, rows_read = rows_read + $2, inserted = inserted + $3,
			updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6, pending = pending + $7,
			warnings = warnings + $8 WHERE id = $9`,
			readBytes, rowsRead, res.inserted, res.updated, res.unchanged, rejected, res.pending, warned, imp.im.ID); err != nil {
			return fmt.Errorf("store: import progress: %w", err)
		}
		imp.im.Pending += res.pending
		imp.im.Warnings += warned
		imp.im.ReadBytes = readBytes
		imp.im.RowsRead += rowsRead
		imp.im.Inserted += res.inserted
		imp.im.Updated += res.updated
		imp.im.Unchanged += res.unchanged
		imp.im.Rejected += rejected
		return x.audit(ctx, imp.im.TenantID, "employee.import", "import", imp.im.ID, map[string]any{
			"lines": [2]int64{first, last}, "inserted": res.inserted, "updated": res.updated,
			"unchanged": res.unchanged, "rejected": rejected, "pending": res.pending})
	}
	if imp.s.dialect == Postgres {
		return imp.s.writeConn(ctx, imp.actor, apply)
	}
	return imp.writeSQLiteBatch(ctx, apply, len(rows))
}

// SQLite commits are expensive at national size: each one writes every
// dirty index page to the WAL and checkpoints it into the database, and the
// indexes of a 5-million-row table do not fit in the page cache. So on
// SQLite batches share one transaction until it has run for CommitEvery or
// taken CommitRows rows, or until another writer waits for the single
// writer connection (the pool's wait count grows): then it commits after
// the batch at hand, so the others wait one batch at most, not CommitEvery.
// A crash loses at most the uncommitted batches, which the retried import
// writes again (it is idempotent). Committing every 2 s instead cost a
// national import 9% of its time.
const (
	CommitEvery = 10 * time.Second
	CommitRows  = 200000
)

func (imp *Importer) writeSQLiteBatch(ctx context.Context, apply func(x *tx) error, n int) error {
	if imp.open == nil {
		t, err := imp.s.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
		imp.open = &tx{queryer: t, s: imp.s, actor: imp.actor, now: imp.s.now().UnixMilli()}
		imp.openedAt, imp.pending, imp.waits = time.Now(), 0, imp.s.w.Stats().WaitCount
	}
	if err := apply(imp.open); err != nil {
		imp.Abort()
		return err
	}
	imp.pending += n
	if time.Since(imp.openedAt) >= CommitEvery || imp.pending >= CommitRows || imp.s.w.Stats().WaitCount > imp.waits {
		return imp.Flush(ctx)
	}
	return nil
}

// Flush commits the batches written so far. Call it before FinishImport.
func (imp *Importer) Flush(ctx context.Context) error {
	if imp.open == nil {
		return nil
	}
	t := imp.open.queryer.(*sql.Tx)
	imp.open = nil
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit import: %w", err)
	}
	return nil
}

// Abort rolls back the batches not yet committed.
func (imp *Importer) Abort() {
	if imp.open != nil {
		_ = imp.open.queryer.(*sql.Tx).Rollback()
		imp.open = nil
	}
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// countLines counts the distinct lines among problems (a row with three bad
// cells is one rejected row), warnings aside: their rows were imported.
func countLines(ps []netra.ImportProblem) int64 {
	seen := map[int64]bool{}
	for _, p := range ps {
		if !p.Warning {
			seen[p.Line] = true
		}
	}
	return int64(len(seen))
}

type batchResult struct {
	inserted, updated, unchanged int64
	pending                      int64
	problems                     []netra.ImportProblem
}

const insertEmployee = `INSERT INTO employees (tenant_id, nip, name, search_name, front_title, back_title, type, golongan,
	position_name, position_type, unit_id, email, phone, status, birth_date, sex, import_id,
	nik, pns_id, nip_lama, birth_place, other_email, eselon, education, rank_date, position_date, head, person_id,
	created_at, updated_at, import_line)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
	$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $29, $30)`

func (imp *Importer) writeSQLite(ctx context.Context, x *tx, rows []ImportRow) (batchResult, error) {
	var res batchResult
	ins, err := x.queryer.(*sql.Tx).PrepareContext(ctx, insertEmployee+` ON CONFLICT (nip) DO NOTHING`)
	if err != nil {
		return res, fmt.Errorf("store: prepare import: %w", err)
	}
	defer ins.Close()
	fresh, err := imp.linkBatch(ctx, x, rows, nil)
	if err != nil {
		return res, err
	}
	for i := range rows {
		e := &rows[i].Employee
		r, err := ins.ExecContext(ctx, e.TenantID, e.NIP, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, e.Type,
			e.Golongan, e.PositionName, e.PositionType, e.UnitID, e.Email, e.Phone, e.Status, dateString(e.BirthDate),
			e.Sex, imp.im.ID, e.NIK, e.PNSID, e.OldNIP, e.BirthPlace, e.OtherEmail, e.Eselon, e.Education,
			dateString(e.RankDate), dateString(e.PositionDate), e.Head, e.PersonID, x.now, rows[i].Line)
		if err != nil {
			return res, fmt.Errorf("store: import line %d: %w", rows[i].Line, err)
		}
		if n, _ := r.RowsAffected(); n == 1 {
			res.inserted++
			markUsed(fresh, e.PersonID)
			if id, err := r.LastInsertId(); err == nil {
				imp.first.wrote(0, id)
			}
			continue
		}
		old, err := imp.loadExisting(ctx, x, []string{e.NIP})
		if err != nil {
			return res, err
		}
		if err := imp.merge(ctx, x, &rows[i], old[e.NIP], fresh, &res); err != nil {
			return res, err
		}
	}
	return res, imp.dropFresh(ctx, x, fresh)
}

// markUsed notes that a stored row took the new person id, so that
// dropFresh leaves it alone (and spends no statement on it).
func markUsed(fresh map[int64]bool, id int64) {
	if _, ok := fresh[id]; ok {
		fresh[id] = true
	}
}

// linkBatch links every row of a batch to its person (see linkPersons: one
// lookup and two writes for the batch) and returns the persons it made new,
// for merge to tell a new person from a found one. old, when not nil, holds
// the stored records the batch updates: their rows keep the record's person
// unless their identifiers find another, and cost no new person.
func (imp *Importer) linkBatch(ctx context.Context, x *tx, rows []ImportRow, old map[string]existing) (map[int64]bool, error) {
	emps := make([]*netra.Employee, len(rows))
	var stored []int64
	if old != nil {
		stored = make([]int64, len(rows))
	}
	for i := range rows {
		rows[i].Employee.PersonID = 0
		emps[i] = &rows[i].Employee
		if o, ok := old[rows[i].Employee.NIP]; ok {
			stored[i] = o.e.PersonID
		}
	}
	var probe func(*netra.Employee) bool
	first, err := imp.stillFirst(ctx, x)
	if err != nil {
		return nil, err
	}
	if first {
		probe = imp.first.filter.mayLink
	}
	ids, err := x.linkPersons(ctx, emps, stored, probe)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	fresh := make(map[int64]bool, len(ids))
	for _, id := range ids {
		fresh[id] = false // true once a row takes it
	}
	return fresh, nil
}

// dropFresh deletes the new persons of a batch that merge did not use
// (made for rows that were stored already: a re-import).
func (imp *Importer) dropFresh(ctx context.Context, x *tx, fresh map[int64]bool) error {
	var unused []int64
	for id, used := range fresh {
		if !used {
			unused = append(unused, id)
		}
	}
	return x.dropUnusedPersons(ctx, unused)
}

// writePostgres writes a batch; fresh, when not nil, holds the COPY values of
// rows for the optimistic first attempt.
func (imp *Importer) writePostgres(ctx context.Context, x *tx, rows []ImportRow, fresh [][]any) (batchResult, error) {
	var res batchResult
	if len(rows) == 0 {
		return res, nil
	}
	// A national roster loaded into an empty database meets no known NIP:
	// try the batch as one plain COPY inside a savepoint, which spares a
	// lookup of every NIP. The first batch that collides (a re-import, a NIP
	// repeated in the file) rolls back to the savepoint, and from then on
	// the importer matches every batch against the stored employees.
	if !imp.pgMatch && fresh != nil {
		if _, err := x.ExecContext(ctx, "SAVEPOINT batch"); err != nil {
			return res, fmt.Errorf("store: savepoint: %w", err)
		}
		if _, err := imp.linkBatch(ctx, x, rows, nil); err != nil {
			return res, err
		}
		for i := range rows {
			fresh[i][copyPerson] = rows[i].Employee.PersonID
		}
		n, err := imp.copyEmployees(ctx, x, fresh)
		switch {
		case err == nil:
			if _, err := x.ExecContext(ctx, "RELEASE SAVEPOINT batch"); err != nil {
				return res, fmt.Errorf("store: release savepoint: %w", err)
			}
			imp.first.wrote(n, 0)
			res.inserted = n
			return res, nil
		case isUniqueViolation(err):
			if _, err := x.ExecContext(ctx, "ROLLBACK TO SAVEPOINT batch"); err != nil {
				return res, fmt.Errorf("store: rollback to savepoint: %w", err)
			}
			imp.pgMatch = true
		default:
			return res, err
		}
	}
	nips := make([]string, len(rows))
	for i := range rows {
		nips[i] = rows[i].Employee.NIP
	}
	old, err := imp.loadExisting(ctx, x, nips)
	if err != nil {
		return res, err
	}
	made, err := imp.linkBatch(ctx, x, rows, old)
	if err != nil {
		return res, err
	}
	var unknown [][]any
	inBatch := map[string]int64{}
	for i := range rows {
		r := &rows[i]
		e := &r.Employee
		if line, dup := inBatch[e.NIP]; dup {
			res.problems = append(res.problems, dupProblem(r, line))
			continue
		}
		inBatch[e.NIP] = r.Line
		if o, ok := old[e.NIP]; ok {
			if err := imp.merge(ctx, x, r, o, made, &res); err != nil {
				return res, err
			}
			continue
		}
		markUsed(made, e.PersonID)
		unknown = append(unknown, append(copyValues(e, imp.im.ID, x.now), r.Line))
	}
	n, err := imp.copyEmployees(ctx, x, unknown)
	imp.first.wrote(n, 0)
	res.inserted += n
	if err != nil {
		return res, err
	}
	return res, imp.dropFresh(ctx, x, made)
}

// copyColumns are the employee columns an import fills, in copyValues' order.
var copyColumns = []string{"tenant_id", "nip", "name", "search_name", "front_title", "back_title", "type", "golongan",
	"position_name", "position_type", "unit_id", "email", "phone", "status", "birth_date", "sex", "import_id",
	"nik", "pns_id", "nip_lama", "birth_place", "other_email", "eselon", "education", "rank_date", "position_date",
	"head", "person_id", "created_at", "updated_at", "import_line"}

// copyPerson is the index of person_id in copyValues (filled once the batch
// is linked).
const copyPerson = 27

func copyValues(e *netra.Employee, importID, now int64) []any {
	return []any{e.TenantID, e.NIP, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, string(e.Type),
		string(e.Golongan), e.PositionName, string(e.PositionType), e.UnitID, e.Email, e.Phone, string(e.Status),
		dateString(e.BirthDate), string(e.Sex), importID, e.NIK, e.PNSID, e.OldNIP, e.BirthPlace, e.OtherEmail,
		e.Eselon, e.Education, dateString(e.RankDate), dateString(e.PositionDate), e.Head, nullID(e.PersonID), now, now}
}

// copyEmployees loads rows with COPY on the transaction's connection.
func (imp *Importer) copyEmployees(ctx context.Context, x *tx, rows [][]any) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	var n int64
	err := x.queryer.(*sql.Conn).Raw(func(dc any) error {
		var err error
		n, err = dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"employees"}, copyColumns, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: copy employees: %w", err)
	}
	return n, nil
}

func dupProblem(r *ImportRow, firstLine int64) netra.ImportProblem {
	l := strconv.FormatInt(firstLine, 10)
	return netra.ImportProblem{Line: r.Line, Column: "NIP", Value: r.Employee.NIP, UnitID: r.Employee.UnitID,
		Reason: netra.Msg("NIP ganda; baris "+l+" yang dipakai.", "Repeated NIP; line "+l+" is the one imported.")}
}

// loadExisting fetches the stored employees with the given NIPs. On
// PostgreSQL the NIPs travel as one array parameter: a statement with
// thousands of placeholders is parsed and planned anew for every batch.
func (imp *Importer) loadExisting(ctx context.Context, x *tx, nips []string) (map[string]existing, error) {
	out := make(map[string]existing)
	if len(nips) == 0 {
		return out, nil
	}
	var a args
	var cond string
	if imp.s.dialect == Postgres {
		cond = "e.nip = ANY(" + a.add(nips) + ")"
	} else {
		ph := make([]string, len(nips))
		for i, n := range nips {
			ph[i] = a.add(n)
		}
		cond = "e.nip IN (" + strings.Join(ph, ", ") + ")"
	}
	rows, err := x.QueryContext(ctx, `SELECT `+employeeCols+`, COALESCE(e.import_id, 0), e.import_line, t.path FROM employees e
		JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE `+cond, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: existing employees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o existing
		if err := scanEmployee(rows, &o.e, &o.importID, &o.line, &o.tpath); err != nil {
			return nil, err
		}
		out[o.e.NIP] = o
	}
	return out, rows.Err()
}

// merge applies a row to an employee that already exists.
// fresh holds the persons the batch made new (merge marks the ones it
// uses): a row of a stored record that found no person by its identifiers
// keeps the record's person rather than take a new one.
func (imp *Importer) merge(ctx context.Context, x *tx, r *ImportRow, o existing, fresh map[int64]bool, res *batchResult) error {
	if o.importID == imp.im.ID {
		res.problems = append(res.problems, dupProblem(r, o.line))
		return nil
	}
	e := r.Employee
	e.ID, e.CreatedAt = o.e.ID, o.e.CreatedAt
	// A file without these columns (an older roster layout) does not make
	// the registry forget a person's identifiers or birthplace; a corrected
	// one replaces them (and the old one is kept, see keepPastIdentifiers).
	e.NIK, e.PNSID, e.OldNIP = cmpOr(e.NIK, o.e.NIK), cmpOr(e.PNSID, o.e.PNSID), cmpOr(e.OldNIP, o.e.OldNIP)
	e.BirthPlace = cmpOr(e.BirthPlace, o.e.BirthPlace)
	if _, isNew := fresh[e.PersonID]; isNew || e.PersonID == 0 {
		e.PersonID = o.e.PersonID
	}
	ch := employeeChanges(&o.e, &e)
	switch out, p := imp.decide(r, &o, ch); out {
	case outRejected:
		res.problems = append(res.problems, p)
		return nil
	case outPending:
		res.pending++
		return x.pendingTransfer(ctx, imp.im.ID, r, &o)
	case outUnchanged:
		res.unchanged++
		_, err := x.ExecContext(ctx, `UPDATE employees SET import_id = $1, import_line = $2 WHERE id = $3`, imp.im.ID, r.Line, e.ID)
		return err
	}
	_, nik := ch["nik"]
	_, pnsID := ch["pns_id"]
	_, oldNIP := ch["nip_lama"]
	if (nik && o.e.NIK != "") || (pnsID && o.e.PNSID != "") || (oldNIP && o.e.OldNIP != "") || e.PersonID != o.e.PersonID {
		if err := x.keepPastIdentifiers(ctx, &o.e, &e); err != nil {
			return err
		}
	}
	// A changed row that moves the employee keeps the position they leave,
	// as an edit does (position.go); only here, never for new rows.
	if err := x.closeAssignment(ctx, &o.e, &e); err != nil {
		return err
	}
	ch = employeeChanges(&o.e, &e)
	if err := x.saveEmployee(ctx, &e, imp.im.ID); err != nil {
		return err
	}
	if _, err := x.ExecContext(ctx, `UPDATE employees SET import_line = $1 WHERE id = $2`, r.Line, e.ID); err != nil {
		return err
	}
	res.updated++
	return x.history(ctx, e.ID, "import:"+strconv.FormatInt(imp.im.ID, 10), ch)
}

// writeConn runs fn in a transaction on one dedicated connection, for work
// that needs the driver underneath (COPY on PostgreSQL).
func (s *Store) writeConn(ctx context.Context, a *netra.Actor, fn func(x *tx) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	x := &tx{queryer: conn, s: s, actor: a, now: s.now().UnixMilli()}
	if err := fn(x); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
