package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/netra-id/netra"
)

const importCols = `id, tenant_id, filename, blob_key, size_bytes, sha256, status, read_bytes, rows_read, inserted, updated,
	unchanged, rejected, error_id, error_en, created_by, created_token, created_at, started_at, finished_at, pending, warnings,
	dry_run, preview`

func scanImport(row interface{ Scan(...any) error }, im *netra.Import) error {
	var created, started, finished, dry int64
	var preview string
	if err := row.Scan(&im.ID, &im.TenantID, &im.Filename, &im.BlobKey, &im.SizeBytes, &im.SHA256, &im.Status,
		&im.ReadBytes, &im.RowsRead, &im.Inserted, &im.Updated, &im.Unchanged, &im.Rejected, &im.Error.ID, &im.Error.EN,
		&im.CreatedBy, &im.CreatedToken, &created, &started, &finished, &im.Pending, &im.Warnings, &dry, &preview); err != nil {
		return err
	}
	im.DryRun, im.Preview = dry != 0, nil
	if preview != "" {
		_ = json.Unmarshal([]byte(preview), &im.Preview)
	}
	im.CreatedAt, im.StartedAt, im.FinishedAt = fromMS(created), fromMS(started), fromMS(finished)
	return nil
}

// CreateImport records a new import into a tenant the actor may import into
// (the whole tenant, or a unit subtree of it), optionally queuing the job
// that runs it in the same transaction.
func (s *Store) CreateImport(ctx context.Context, im *netra.Import, job *Job) error {
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
		im.Status, im.CreatedBy, im.CreatedToken, im.CreatedAt = netra.ImportQueued, x.actor.UserID, x.actor.TokenID, fromMS(x.now)
		dry := 0
		if im.DryRun {
			dry = 1
		}
		if err := x.QueryRowContext(ctx, `INSERT INTO imports (tenant_id, filename, blob_key, size_bytes, sha256, status, created_by,
			created_token, created_at, dry_run) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, im.TenantID, im.Filename, im.BlobKey,
			im.SizeBytes, im.SHA256, im.Status, im.CreatedBy, im.CreatedToken, x.now, dry).Scan(&im.ID); err != nil {
			return fmt.Errorf("store: create import: %w", err)
		}
		if job != nil {
			job.Payload = fmt.Sprintf(`{"import_id":%d}`, im.ID)
			if err := x.enqueue(ctx, job); err != nil {
				return err
			}
		}
		return x.audit(ctx, im.TenantID, "import.create", "import", im.ID, map[string]any{
			"filename": im.Filename, "size": im.SizeBytes, "sha256": im.SHA256, "dry_run": im.DryRun})
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
	im    *netra.Import
	all   bool        // every refused cell
	scope netra.Scope // otherwise: cells of rows in this scope, and unresolved rows
}

// startedBy reports whether the actor started the import.
func startedBy(a *netra.Actor, im *netra.Import) bool {
	return (a.UserID != 0 && im.CreatedBy == a.UserID) || (a.TokenID != 0 && im.CreatedToken == a.TokenID)
}

// importFor loads an import and decides what the actor in ctx may see of
// it: ErrNotFound when nothing.
func (s *Store) importFor(ctx context.Context, id int64) (*importAccess, error) {
	sc, err := scopeOf(ctx, netra.PermImport)
	if err != nil {
		return nil, err
	}
	var im netra.Import
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

// netra.Import returns an import the actor may see (see importAccess): one for a
// government its employee.import scope covers, or one it started.
func (s *Store) Import(ctx context.Context, id int64) (*netra.Import, error) {
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
func (s *Store) ImportActor(ctx context.Context, im *netra.Import) (*netra.Actor, error) {
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
func (s *Store) Imports(ctx context.Context, tenantID int64) ([]netra.Import, error) {
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
	var out []netra.Import
	for rows.Next() {
		var im netra.Import
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
func (s *Store) ImportProblems(ctx context.Context, importID int64, limit int) ([]netra.ImportProblem, error) {
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
func (s *Store) EachImportProblem(ctx context.Context, importID int64, via string, fn func(netra.ImportProblem) error) error {
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
func (s *Store) importProblems(ctx context.Context, ac *importAccess, afterLine int64, limit int) ([]netra.ImportProblem, error) {
	return s.importProblemsAt(ctx, ac, afterLine, limit, 0)
}

// importProblemsAt is importProblems skipping the first offset cells.
func (s *Store) importProblemsAt(ctx context.Context, ac *importAccess, afterLine int64, limit, offset int) ([]netra.ImportProblem, error) {
	var a args
	q := `SELECT line, col, value, reason_id, reason_en, unit_id, warning FROM import_errors WHERE import_id = ` + a.add(ac.im.ID) +
		` AND line > ` + a.add(afterLine)
	if !ac.all {
		q += ` AND (unit_id = 0 OR unit_id IN (SELECT u.id FROM org_units u WHERE ` +
			scopeSQL(ac.scope, &a, "", "u.tenant_id", "u.path") + `))`
	}
	q += ` ORDER BY line, col`
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	}
	if offset > 0 {
		q += " OFFSET " + strconv.Itoa(offset)
	}
	rows, err := s.r.QueryContext(ctx, q, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: import problems: %w", err)
	}
	defer rows.Close()
	var out []netra.ImportProblem
	for rows.Next() {
		var p netra.ImportProblem
		var w int64
		if err := rows.Scan(&p.Line, &p.Column, &p.Value, &p.Reason.ID, &p.Reason.EN, &p.UnitID, &w); err != nil {
			return nil, err
		}
		p.Warning = w != 0
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
func (s *Store) FinishImport(ctx context.Context, im *netra.Import, status string, msg netra.Message) error {
	err := s.finishImport(ctx, im, status, msg)
	if err == nil && s.dialect == Postgres && im.Inserted+im.Updated >= analyzeAfterRows {
		// Best effort: the import is recorded; stale statistics only slow reads.
		s.w.ExecContext(ctx, `ANALYZE employees`)
	}
	return err
}

func (s *Store) finishImport(ctx context.Context, im *netra.Import, status string, msg netra.Message) error {
	return s.write(ctx, func(x *tx) error {
		im.Status, im.Error, im.FinishedAt = status, msg, fromMS(x.now)
		if status == netra.ImportDone || status == netra.ImportPreviewed {
			im.ReadBytes = im.SizeBytes
		}
		if _, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, error_id = $2, error_en = $3, finished_at = $4,
			read_bytes = $5, preview = $6 WHERE id = $7`, status, msg.ID, msg.EN, x.now, im.ReadBytes, marshalPreview(im.Preview), im.ID); err != nil {
			return fmt.Errorf("store: finish import: %w", err)
		}
		return x.audit(ctx, im.TenantID, "import."+status, "import", im.ID, map[string]any{
			"rows": im.RowsRead, "inserted": im.Inserted, "updated": im.Updated, "unchanged": im.Unchanged,
			"rejected": im.Rejected, "pending": im.Pending, "warnings": im.Warnings, "dry_run": im.DryRun, "error": msg.EN})
	})
}

// ImportProblemPage returns one page of an import's refused cells and
// warnings that the actor may read (see importAccess), in line order: the
// cells from offset on, at most limit of them, and whether more follow. The
// read is audited.
func (s *Store) ImportProblemPage(ctx context.Context, importID int64, offset, limit int) ([]netra.ImportProblem, bool, error) {
	if limit <= 0 || limit > problemChunk {
		limit = problemChunk
	}
	offset = max(offset, 0)
	ac, err := s.importFor(ctx, importID)
	if err != nil {
		return nil, false, err
	}
	if err := s.AuditRead(ctx, ac.im.TenantID, "import", ac.im.ID, map[string]any{"read": "problems", "via": "page",
		"all_units": ac.all, "offset": offset, "limit": limit}); err != nil {
		return nil, false, err
	}
	ps, err := s.importProblemsAt(ctx, ac, 0, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	if len(ps) > limit {
		return ps[:limit], true, nil
	}
	return ps, false, nil
}
