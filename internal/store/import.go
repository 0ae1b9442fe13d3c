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

// Import statuses.
const (
	ImportQueued  = "queued"
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// Import is one roster file being (or having been) imported.
type Import struct {
	ID           int64
	TenantID     int64
	Filename     string
	BlobKey      string
	SizeBytes    int64
	SHA256       string
	Status       string
	ReadBytes    int64
	RowsRead     int64
	Inserted     int64
	Updated      int64
	Unchanged    int64
	Rejected     int64
	Error        netra.Message
	CreatedBy    int64 // the user who started it; 0 for a token or the system
	CreatedToken int64 // the API token that started it, or 0
	CreatedAt    time.Time
	StartedAt    time.Time
	FinishedAt   time.Time
}

// Progress returns how far the import has read, from 0 to 1.
func (im *Import) Progress() float64 {
	switch {
	case im.Status == ImportDone:
		return 1
	case im.SizeBytes <= 0:
		return 0
	}
	return min(1, float64(im.ReadBytes)/float64(im.SizeBytes))
}

// ImportProblem is why one cell of a roster row was refused. UnitID is the
// unit the row named, when it could be resolved (0 otherwise): it decides
// who may read the cell (see Store.ImportProblems).
type ImportProblem struct {
	Line   int64
	Column string
	Value  string
	Reason netra.Message
	UnitID int64
}

const importCols = `id, tenant_id, filename, blob_key, size_bytes, sha256, status, read_bytes, rows_read, inserted, updated,
	unchanged, rejected, error_id, error_en, created_by, created_token, created_at, started_at, finished_at`

func scanImport(row interface{ Scan(...any) error }, im *Import) error {
	var created, started, finished int64
	if err := row.Scan(&im.ID, &im.TenantID, &im.Filename, &im.BlobKey, &im.SizeBytes, &im.SHA256, &im.Status,
		&im.ReadBytes, &im.RowsRead, &im.Inserted, &im.Updated, &im.Unchanged, &im.Rejected, &im.Error.ID, &im.Error.EN,
		&im.CreatedBy, &im.CreatedToken, &created, &started, &finished); err != nil {
		return err
	}
	im.CreatedAt, im.StartedAt, im.FinishedAt = fromMS(created), fromMS(started), fromMS(finished)
	return nil
}

// CreateImport records a new import into a tenant the actor may import into
// (the whole tenant, or a unit subtree of it), optionally queuing the job
// that runs it in the same transaction.
func (s *Store) CreateImport(ctx context.Context, im *Import, job *Job) error {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		tpath, err := s.tenantPath(ctx, x, im.TenantID)
		if err != nil {
			return err
		}
		if !sc.ReachesTenant(im.TenantID, tpath) {
			return fmt.Errorf("import: %w", netra.ErrForbidden)
		}
		im.Status, im.CreatedBy, im.CreatedToken, im.CreatedAt = ImportQueued, x.actor.UserID, x.actor.TokenID, fromMS(x.now)
		if err := x.QueryRowContext(ctx, `INSERT INTO imports (tenant_id, filename, blob_key, size_bytes, sha256, status, created_by,
			created_token, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, im.TenantID, im.Filename, im.BlobKey,
			im.SizeBytes, im.SHA256, im.Status, im.CreatedBy, im.CreatedToken, x.now).Scan(&im.ID); err != nil {
			return fmt.Errorf("store: create import: %w", err)
		}
		if job != nil {
			job.Payload = fmt.Sprintf(`{"import_id":%d}`, im.ID)
			if err := x.enqueue(ctx, job); err != nil {
				return err
			}
		}
		return x.audit(ctx, im.TenantID, "import.create", "import", im.ID, map[string]any{
			"filename": im.Filename, "size": im.SizeBytes, "sha256": im.SHA256})
	})
}

// Who sees an import. Imports follow the unit scope like everything else:
//
//   - an actor whose employee.import scope covers the whole government the
//     import is for (a government-wide admin, an admin above it, a super
//     admin, the system) sees the import and every refused cell;
//   - an actor limited to a unit subtree of that government sees only the
//     imports they started (as that user or that API token), and of those
//     only the refused cells of rows whose unit lies in their subtree, plus
//     the rows whose unit could not be resolved (an unknown unit code, a row
//     that failed to parse), which only the importer and government-wide
//     admins see. A refused cell holds personal data (NIK, e-mail, birth
//     date) of whoever the row names, so a row naming another unit stays
//     hidden even from the unit admin who uploaded it;
//   - anyone else is told the import does not exist.

// importAccess is what the actor may see of one import.
type importAccess struct {
	im    *Import
	all   bool        // every refused cell
	scope netra.Scope // otherwise: cells of rows in this scope, and unresolved rows
}

// startedBy reports whether the actor started the import.
func startedBy(a *netra.Actor, im *Import) bool {
	return (a.UserID != 0 && im.CreatedBy == a.UserID) || (a.TokenID != 0 && im.CreatedToken == a.TokenID)
}

// importFor loads an import and decides what the actor in ctx may see of
// it: ErrNotFound when nothing.
func (s *Store) importFor(ctx context.Context, id int64) (*importAccess, error) {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return nil, err
	}
	var im Import
	err = scanImport(s.r.QueryRowContext(ctx, `SELECT `+importCols+` FROM imports WHERE id = $1`, id), &im)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("import %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: import: %w", err)
	}
	tpath, err := s.tenantPath(ctx, s.r, im.TenantID)
	if err != nil {
		return nil, err
	}
	switch {
	case sc.CoversTenant(tpath):
		return &importAccess{im: &im, all: true}, nil
	case sc.ReachesTenant(im.TenantID, tpath) && startedBy(netra.ActorFrom(ctx), &im):
		return &importAccess{im: &im, scope: sc}, nil
	}
	return nil, fmt.Errorf("import %d: %w", id, netra.ErrNotFound)
}

// Import returns an import the actor may see (see importAccess): one for a
// government its employee.import scope covers, or one it started.
func (s *Store) Import(ctx context.Context, id int64) (*Import, error) {
	ac, err := s.importFor(ctx, id)
	if err != nil {
		return nil, err
	}
	return ac.im, nil
}

// ImportActor returns the actor an import runs as: the user who started it
// with their roles of now, or the API token with its grant (a revoked token
// is ErrForbidden), or the system for an import started from the command
// line. It serves the background job, which asks as the system (anyone
// else is ErrForbidden).
func (s *Store) ImportActor(ctx context.Context, im *Import) (*netra.Actor, error) {
	if a := netra.ActorFrom(ctx); a == nil || !a.IsSuperAdmin() {
		return nil, fmt.Errorf("import actor: %w", netra.ErrForbidden) // the job runs as the system
	}
	switch {
	case im.CreatedBy != 0:
		u, err := s.UserByID(ctx, im.CreatedBy)
		if err != nil {
			return nil, err
		}
		return &netra.Actor{UserID: u.ID, Label: "user:" + u.Username, Grants: u.Grants}, nil
	case im.CreatedToken != 0:
		var t APIToken
		var revoked int64
		err := s.r.QueryRowContext(ctx, `SELECT k.id, k.name, k.role, k.tenant_id, t.code, t.path, COALESCE(k.unit_id, 0),
			COALESCE(u.path, ''), COALESCE(u.name, ''), COALESCE(k.revoked_at, 0)
			FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN org_units u ON u.id = k.unit_id
			WHERE k.id = $1`, im.CreatedToken).Scan(&t.ID, &t.Name, &t.Grant.Role, &t.Grant.TenantID, &t.Grant.TenantCode,
			&t.Grant.TenantPath, &t.Grant.UnitID, &t.Grant.UnitPath, &t.Grant.UnitName, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("import token %d: %w", im.CreatedToken, netra.ErrNotFound)
		} else if err != nil {
			return nil, fmt.Errorf("store: import token: %w", err)
		}
		if revoked != 0 {
			return nil, fmt.Errorf("import token %d revoked: %w", im.CreatedToken, netra.ErrForbidden)
		}
		return &netra.Actor{TokenID: t.ID, Label: "token:" + t.Name, Grants: []netra.Grant{t.Grant}}, nil
	}
	return netra.System("import"), nil
}

// Imports lists a tenant's imports the actor may see, newest first: all of
// them when its scope covers the whole tenant, only those it started when it
// is limited to a unit subtree. A tenant out of reach is ErrForbidden.
func (s *Store) Imports(ctx context.Context, tenantID int64) ([]Import, error) {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return nil, err
	}
	tpath, err := s.tenantPath(ctx, s.r, tenantID)
	if err != nil {
		return nil, err
	}
	if !sc.ReachesTenant(tenantID, tpath) {
		return nil, fmt.Errorf("imports: %w", netra.ErrForbidden)
	}
	var a args
	cond := "tenant_id = " + a.add(tenantID)
	if !sc.CoversTenant(tpath) {
		act := netra.ActorFrom(ctx)
		switch {
		case act.UserID != 0:
			cond += " AND created_by = " + a.add(act.UserID)
		case act.TokenID != 0:
			cond += " AND created_token = " + a.add(act.TokenID)
		default:
			return nil, nil
		}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+importCols+` FROM imports WHERE `+cond+` ORDER BY id DESC LIMIT 50`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: imports: %w", err)
	}
	defer rows.Close()
	var out []Import
	for rows.Next() {
		var im Import
		if err := scanImport(rows, &im); err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// ImportProblems returns the first limit refused cells of an import that the
// actor may read (see importAccess) in line order (limit <= 0: all of them),
// and records the read in the audit log: the cells hold personal data. An
// import the actor may not see is ErrNotFound. For a report of any size use
// EachImportProblem.
func (s *Store) ImportProblems(ctx context.Context, importID int64, limit int) ([]ImportProblem, error) {
	ac, err := s.importFor(ctx, importID)
	if err != nil {
		return nil, err
	}
	if err := s.auditProblems(ctx, ac, "page", limit); err != nil {
		return nil, err
	}
	return s.importProblems(ctx, ac, 0, limit)
}

func (s *Store) auditProblems(ctx context.Context, ac *importAccess, via string, limit int) error {
	sum := map[string]any{"read": "problems", "via": via, "all_units": ac.all}
	if limit > 0 {
		sum["limit"] = limit
	}
	return s.AuditRead(ctx, ac.im.TenantID, "import", ac.im.ID, sum)
}

// problemChunk is how many refused cells EachImportProblem reads at a time.
const problemChunk = 1000

// EachImportProblem calls fn for every refused cell of an import that the
// actor may read (see importAccess) in line order, after recording the read
// in the audit log (one entry; via names the channel, "csv" or "api"). An
// import the actor may not see is ErrNotFound, before fn is ever called. It
// reads the cells a chunk at a time with no query open while fn runs, so a
// report of millions of cells neither fills memory nor holds a database
// connection while it goes out to a slow client.
func (s *Store) EachImportProblem(ctx context.Context, importID int64, via string, fn func(ImportProblem) error) error {
	ac, err := s.importFor(ctx, importID)
	if err != nil {
		return err
	}
	if err := s.auditProblems(ctx, ac, via, 0); err != nil {
		return err
	}
	var after int64
	for {
		ps, err := s.importProblems(ctx, ac, after, problemChunk)
		if err != nil {
			return err
		}
		full := len(ps) == problemChunk
		if full {
			// The chunk may end inside a line; that line starts the next
			// chunk. (A line has at most a few dozen cells, far fewer than a
			// chunk, so cut is never 0 in practice.)
			cut := len(ps)
			for cut > 0 && ps[cut-1].Line == ps[len(ps)-1].Line {
				cut--
			}
			if cut > 0 {
				ps = ps[:cut]
			}
		}
		for _, p := range ps {
			if err := fn(p); err != nil {
				return err
			}
		}
		if !full {
			return nil
		}
		after = ps[len(ps)-1].Line
	}
}

// importProblems reads the refused cells of lines after afterLine that ac
// allows.
func (s *Store) importProblems(ctx context.Context, ac *importAccess, afterLine int64, limit int) ([]ImportProblem, error) {
	var a args
	q := `SELECT line, col, value, reason_id, reason_en, unit_id FROM import_errors WHERE import_id = ` + a.add(ac.im.ID) +
		` AND line > ` + a.add(afterLine)
	if !ac.all {
		q += ` AND (unit_id = 0 OR unit_id IN (SELECT u.id FROM org_units u WHERE ` +
			scopeSQL(ac.scope, &a, "", "u.tenant_id", "u.path") + `))`
	}
	q += ` ORDER BY line, col`
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.r.QueryContext(ctx, q, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: import problems: %w", err)
	}
	defer rows.Close()
	var out []ImportProblem
	for rows.Next() {
		var p ImportProblem
		if err := rows.Scan(&p.Line, &p.Column, &p.Value, &p.Reason.ID, &p.Reason.EN, &p.UnitID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// analyzeAfterRows is how many inserted or updated employees make an import
// refresh PostgreSQL's planner statistics when it ends. Right after a
// national load and before autovacuum gets to it, the planner guesses: the
// employee list's p95 went from about 20 ms to 870 ms.
const analyzeAfterRows = 10000

// FinishImport records the end of an import: done, or failed with a message
// for the user (a file that could not be read at all).
func (s *Store) FinishImport(ctx context.Context, im *Import, status string, msg netra.Message) error {
	err := s.finishImport(ctx, im, status, msg)
	if err == nil && s.dialect == Postgres && im.Inserted+im.Updated >= analyzeAfterRows {
		// Best effort: the import is recorded; stale statistics only slow reads.
		s.w.ExecContext(ctx, `ANALYZE employees`)
	}
	return err
}

func (s *Store) finishImport(ctx context.Context, im *Import, status string, msg netra.Message) error {
	return s.write(ctx, func(x *tx) error {
		im.Status, im.Error, im.FinishedAt = status, msg, fromMS(x.now)
		if status == ImportDone {
			im.ReadBytes = im.SizeBytes
		}
		if _, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, error_id = $2, error_en = $3, finished_at = $4,
			read_bytes = $5 WHERE id = $6`, status, msg.ID, msg.EN, x.now, im.ReadBytes, im.ID); err != nil {
			return fmt.Errorf("store: finish import: %w", err)
		}
		return x.audit(ctx, im.TenantID, "import."+status, "import", im.ID, map[string]any{
			"rows": im.RowsRead, "inserted": im.Inserted, "updated": im.Updated, "unchanged": im.Unchanged,
			"rejected": im.Rejected, "error": msg.EN})
	})
}

// ImportRow is one parsed roster row on its way into the database. The unit
// is named by code or by a path of names; TenantCode, when set, names the
// government the row belongs to (national rosters span many).
type ImportRow struct {
	Line       int64
	Employee   netra.Employee
	TenantCode string
	UnitCode   string
	UnitPath   []string
}

// Importer writes the rows of one import in batches, one transaction each,
// through the engine's fastest path: prepared statements in one transaction
// on SQLite, COPY on PostgreSQL. Rows are matched to existing employees by
// NIP: new ones are inserted, changed ones updated with a history entry,
// identical ones left alone, so importing a file twice changes nothing.
type Importer struct {
	s       *Store
	im      *Import
	actor   *netra.Actor
	scope   netra.Scope
	tenants map[string]*importTenant // by code
	home    *importTenant
	loaded  []*importTenant // tenants whose unit trees are in memory
	clock   int64           // counts unit-tree lookups, for evicting the least recently used
	keepAll bool            // an evicted tree was needed again: the file is not grouped by government

	// PostgreSQL: set once a batch collided with stored employees.
	pgMatch bool

	// SQLite: the transaction batches share (see writeSQLiteBatch).
	open     *tx
	openedAt time.Time
	pending  int
}

type importTenant struct {
	id      int64
	code    string
	path    string
	err     *netra.Message        // why rows cannot go to this tenant
	units   map[string]importUnit // by code; nil until loaded, and again once evicted
	byNames map[string]importUnit // by lower-case "a > b > c"
	used    int64                 // the importer's clock at the last lookup
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
func (s *Store) NewImporter(ctx context.Context, im *Import) (*Importer, error) {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return nil, err
	}
	imp := &Importer{s: s, im: im, actor: netra.ActorFrom(ctx), scope: sc, tenants: map[string]*importTenant{}}
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
	err = s.write(ctx, func(x *tx) error {
		im.Status, im.StartedAt = ImportRunning, fromMS(x.now)
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
	err := imp.s.r.QueryRowContext(ctx, `SELECT id, path FROM tenants WHERE code = $1`, code).Scan(&t.id, &t.path)
	if len(imp.tenants) < maxCodes || err == nil {
		imp.tenants[code] = t
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		m := netra.Msg("Kode instansi "+code+" tidak dikenal.", "Unknown government code "+code+".")
		t.err = &m
		return t, nil
	case err != nil:
		return nil, fmt.Errorf("store: import tenant: %w", err)
	}
	if imp.home != nil && !strings.HasPrefix(t.path, imp.home.path) {
		m := netra.Msg("Instansi "+code+" berada di luar instansi tujuan impor.", "Government "+code+" is outside the government this import is for.")
		t.err = &m
		return t, nil
	}
	if !imp.scope.ReachesTenant(t.id, t.path) {
		m := netra.Msg("Anda tidak berwenang mengimpor pegawai instansi "+code+".", "You may not import employees of government "+code+".")
		t.err = &m
	}
	return t, nil
}

// unitTree makes sure the unit tree of t is in memory, evicting the least
// recently used tree when too many are.
func (imp *Importer) unitTree(ctx context.Context, t *importTenant) error {
	imp.clock++
	t.used = imp.clock
	if t.units != nil {
		return nil
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
		imp.loaded[old].units, imp.loaded[old].byNames, imp.loaded[old].evicted = nil, nil, true
		imp.loaded = append(imp.loaded[:old], imp.loaded[old+1:]...)
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
	imp.loaded = append(imp.loaded, t)
	return nil
}

// existing is what the importer needs to know of an employee already stored.
type existing struct {
	e        netra.Employee
	importID int64
	tpath    string
}

// Write stores one batch of rows in one transaction together with the
// problems found while parsing them, the progress (bytes read so far) and an
// audit entry summing the batch up. It returns the problems of the batch's
// own rows (unknown unit, NIP registered elsewhere, repeated NIP).
func (imp *Importer) Write(ctx context.Context, rows []ImportRow, parseProblems []ImportProblem, readBytes, rowsRead int64) error {
	var problems = parseProblems
	reject := func(r *ImportRow, col, val string, m netra.Message, unitID int64) {
		problems = append(problems, ImportProblem{Line: r.Line, Column: col, Value: val, Reason: m, UnitID: unitID})
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
		t := imp.home
		if r.TenantCode != "" && r.TenantCode != imp.home.code {
			var err error
			if t, err = imp.tenant(ctx, r.TenantCode); err != nil {
				return err
			}
		}
		if t.err != nil {
			reject(r, "KODE_INSTANSI", r.TenantCode, *t.err, 0)
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
	var res batchResult
	var fresh [][]any
	if imp.s.dialect == Postgres && !imp.pgMatch && len(good) > 0 {
		// Built before the transaction: while the client builds them, the
		// server waits (8% of a national import's time was spent so).
		now := imp.s.now().UnixMilli()
		fresh = make([][]any, len(good))
		for i := range good {
			fresh[i] = copyValues(&good[i].Employee, imp.im.ID, now)
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
		problems = append(problems, res.problems...)
		for _, p := range problems {
			if _, err := x.ExecContext(ctx, `INSERT INTO import_errors (import_id, line, col, value, reason_id, reason_en, unit_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, imp.im.ID, p.Line, netra.Truncate(p.Column, 200), netra.Truncate(p.Value, 200), p.Reason.ID, p.Reason.EN, p.UnitID); err != nil {
				return fmt.Errorf("store: import problem: %w", err)
			}
		}
		rejected := countLines(problems)
		if _, err := x.ExecContext(ctx, `UPDATE imports SET read_bytes = $1, rows_read = rows_read + $2, inserted = inserted + $3,
			updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6 WHERE id = $7`,
			readBytes, rowsRead, res.inserted, res.updated, res.unchanged, rejected, imp.im.ID); err != nil {
			return fmt.Errorf("store: import progress: %w", err)
		}
		imp.im.ReadBytes = readBytes
		imp.im.RowsRead += rowsRead
		imp.im.Inserted += res.inserted
		imp.im.Updated += res.updated
		imp.im.Unchanged += res.unchanged
		imp.im.Rejected += rejected
		return x.audit(ctx, imp.im.TenantID, "employee.import", "import", imp.im.ID, map[string]any{
			"lines": [2]int64{first, last}, "inserted": res.inserted, "updated": res.updated,
			"unchanged": res.unchanged, "rejected": rejected})
	}
	if imp.s.dialect == Postgres {
		return imp.s.writeConn(ctx, imp.actor, apply)
	}
	return imp.writeSQLiteBatch(ctx, apply, len(rows))
}

// SQLite commits are expensive at national size: each one writes every
// dirty index page to the WAL and checkpoints it into the database, and the
// three indexes of a 5-million-row table do not fit in the page cache. So on
// SQLite batches share one transaction until it has run for CommitEvery or
// taken CommitRows rows. That bounds how long other writers wait for the
// single writer connection, and a crash loses at most the uncommitted
// batches, which the retried import writes again (it is idempotent).
const (
	CommitEvery = 2 * time.Second
	CommitRows  = 200000
)

func (imp *Importer) writeSQLiteBatch(ctx context.Context, apply func(x *tx) error, n int) error {
	if imp.open == nil {
		t, err := imp.s.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
		imp.open = &tx{queryer: t, s: imp.s, actor: imp.actor, now: imp.s.now().UnixMilli()}
		imp.openedAt, imp.pending = time.Now(), 0
	}
	if err := apply(imp.open); err != nil {
		imp.Abort()
		return err
	}
	imp.pending += n
	if time.Since(imp.openedAt) >= CommitEvery || imp.pending >= CommitRows {
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
// cells is one rejected row).
func countLines(ps []ImportProblem) int64 {
	seen := map[int64]bool{}
	for _, p := range ps {
		seen[p.Line] = true
	}
	return int64(len(seen))
}

type batchResult struct {
	inserted, updated, unchanged int64
	problems                     []ImportProblem
}

const insertEmployee = `INSERT INTO employees (tenant_id, nip, name, search_name, front_title, back_title, type, golongan,
	position_name, position_type, unit_id, email, phone, status, birth_date, sex, import_id, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`

func (imp *Importer) writeSQLite(ctx context.Context, x *tx, rows []ImportRow) (batchResult, error) {
	var res batchResult
	ins, err := x.queryer.(*sql.Tx).PrepareContext(ctx, insertEmployee+` ON CONFLICT (nip) DO NOTHING`)
	if err != nil {
		return res, fmt.Errorf("store: prepare import: %w", err)
	}
	defer ins.Close()
	for i := range rows {
		e := &rows[i].Employee
		r, err := ins.ExecContext(ctx, e.TenantID, e.NIP, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, e.Type,
			e.Golongan, e.PositionName, e.PositionType, e.UnitID, e.Email, e.Phone, e.Status, dateString(e.BirthDate),
			e.Sex, imp.im.ID, x.now)
		if err != nil {
			return res, fmt.Errorf("store: import line %d: %w", rows[i].Line, err)
		}
		if n, _ := r.RowsAffected(); n == 1 {
			res.inserted++
			continue
		}
		old, err := imp.loadExisting(ctx, x, []string{e.NIP})
		if err != nil {
			return res, err
		}
		if err := imp.merge(ctx, x, &rows[i], old[e.NIP], &res); err != nil {
			return res, err
		}
	}
	return res, nil
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
		n, err := imp.copyEmployees(ctx, x, fresh)
		switch {
		case err == nil:
			if _, err := x.ExecContext(ctx, "RELEASE SAVEPOINT batch"); err != nil {
				return res, fmt.Errorf("store: release savepoint: %w", err)
			}
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
			if err := imp.merge(ctx, x, r, o, &res); err != nil {
				return res, err
			}
			continue
		}
		unknown = append(unknown, copyValues(e, imp.im.ID, x.now))
	}
	n, err := imp.copyEmployees(ctx, x, unknown)
	res.inserted += n
	return res, err
}

// copyColumns are the employee columns an import fills, in copyValues' order.
var copyColumns = []string{"tenant_id", "nip", "name", "search_name", "front_title", "back_title", "type", "golongan",
	"position_name", "position_type", "unit_id", "email", "phone", "status", "birth_date", "sex", "import_id",
	"created_at", "updated_at"}

func copyValues(e *netra.Employee, importID, now int64) []any {
	return []any{e.TenantID, e.NIP, e.Name, searchName(e.Name), e.FrontTitle, e.BackTitle, string(e.Type),
		string(e.Golongan), e.PositionName, string(e.PositionType), e.UnitID, e.Email, e.Phone, string(e.Status),
		dateString(e.BirthDate), string(e.Sex), importID, now, now}
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

func dupProblem(r *ImportRow, firstLine int64) ImportProblem {
	l := strconv.FormatInt(firstLine, 10)
	return ImportProblem{Line: r.Line, Column: "NIP", Value: r.Employee.NIP, UnitID: r.Employee.UnitID,
		Reason: netra.Msg("NIP ini sudah muncul di baris "+l+" berkas yang sama.", "This NIP already appears on line "+l+" of the same file.")}
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
	rows, err := x.QueryContext(ctx, `SELECT `+employeeCols+`, COALESCE(e.import_id, 0), t.path FROM employees e
		JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE `+cond, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: existing employees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o existing
		if err := scanEmployee(rows, &o.e, &o.importID, &o.tpath); err != nil {
			return nil, err
		}
		out[o.e.NIP] = o
	}
	return out, rows.Err()
}

// merge applies a row to an employee that already exists.
func (imp *Importer) merge(ctx context.Context, x *tx, r *ImportRow, o existing, res *batchResult) error {
	if o.importID == imp.im.ID {
		res.problems = append(res.problems, ImportProblem{Line: r.Line, Column: "NIP", Value: r.Employee.NIP, UnitID: r.Employee.UnitID,
			Reason: netra.Msg("NIP ini muncul lebih dari sekali dalam berkas yang sama.", "This NIP appears more than once in the same file.")})
		return nil
	}
	if !imp.scope.CoversUnit(o.e.TenantID, o.tpath, o.e.UnitPath) {
		res.problems = append(res.problems, ImportProblem{Line: r.Line, Column: "NIP", Value: r.Employee.NIP, UnitID: r.Employee.UnitID,
			Reason: netra.Msg("NIP ini terdaftar di instansi atau unit lain di luar wewenang Anda; mutasi antarinstansi dicatat oleh instansi asal atau admin pusat.",
				"This NIP is registered with another government or unit outside your scope; transfers between governments are recorded by the sending government or a national admin.")})
		return nil
	}
	e := r.Employee
	e.ID, e.CreatedAt = o.e.ID, o.e.CreatedAt
	ch := employeeChanges(&o.e, &e)
	if len(ch) == 0 {
		res.unchanged++
		_, err := x.ExecContext(ctx, `UPDATE employees SET import_id = $1 WHERE id = $2`, imp.im.ID, e.ID)
		return err
	}
	if err := x.saveEmployee(ctx, &e, imp.im.ID); err != nil {
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
