package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/netra-id/netra"
)

// The dry run. An import uploaded through the pages first runs as a dry run
// (netra.Import.DryRun): the same resolution and the same rules (decide) as
// a real run, but it only reads employees, never writes them. It stores
// what it counts on the import (inserted, updated… as "would be") and the
// refused cells (so the operator reads them before confirming), and ends
// with the status netra.ImportPreviewed and the counts per government.
// ConfirmImport then forgets the refused cells and counts and queues the
// real run; CancelImport ends it.
//
// Memory stays bounded whatever the file: besides one batch at a time and
// the counts per government (at most maxCodes), the dry run remembers the
// NIPs it has seen, to count a repeated NIP as a real run does, up to
// maxSeen of them (some 40 MB at most); beyond that a repeated NIP is counted as
// the row it repeats would be.
type dryRun struct {
	on   bool
	seen map[uint64]int64 // NIP → the line that would be kept
	govs map[string]*netra.ImportGovernment
	byID map[int64]*importTenant
}

const maxSeen = 2_000_000

// nipKey packs a NIP (18 digits) into a number; other identifiers hash.
func nipKey(nip string) uint64 {
	if n, err := strconv.ParseUint(nip, 10, 64); err == nil {
		return n
	}
	var h uint64 = 14695981039346656037 // FNV-1a, with the top bit set so it never meets a number
	for i := 0; i < len(nip); i++ {
		h ^= uint64(nip[i])
		h *= 1099511628211
	}
	return h | 1<<63
}

// tally counts one row's outcome for its government (t nil: the import's own).
func (d *dryRun) tally(t *importTenant, out int) {
	if !d.on {
		return
	}
	if d.govs == nil {
		d.govs = map[string]*netra.ImportGovernment{}
	}
	code, name, other := "", "", false
	if t != nil {
		code, name, other = t.code, t.name, t.other
	}
	g := d.govs[code]
	if g == nil {
		if len(d.govs) >= maxCodes {
			code, name, other = "…", "", false
			if g = d.govs[code]; g == nil {
				g = &netra.ImportGovernment{Code: code}
				d.govs[code] = g
			}
		} else {
			g = &netra.ImportGovernment{Code: code, Name: name, Other: other}
			d.govs[code] = g
		}
	}
	switch out {
	case outInserted:
		g.Inserted++
	case outUpdated:
		g.Updated++
	case outUnchanged:
		g.Unchanged++
	case outRejected:
		g.Rejected++
	case outPending:
		g.Pending++
	}
}

// parseRejected counts the rows the parser refused (their government is
// unknown: they count for the import's own).
func (d *dryRun) parseRejected(imp *Importer, ps []netra.ImportProblem) {
	if !d.on {
		return
	}
	var last int64 = -1
	for _, p := range ps {
		if !p.Warning && p.Line != last {
			d.tally(imp.home, outRejected)
			last = p.Line
		}
	}
}

// Preview returns a dry run's counts per government: the import's own
// first, then the largest.
func (imp *Importer) Preview() []netra.ImportGovernment {
	var out []netra.ImportGovernment
	for _, g := range imp.dry.govs {
		if g.Code == "" {
			g.Code, g.Name = imp.home.code, imp.home.name
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Code == imp.home.code) != (out[j].Code == imp.home.code) {
			return out[i].Code == imp.home.code
		}
		if out[i].Rows() != out[j].Rows() {
			return out[i].Rows() > out[j].Rows()
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// dryWrite counts what a batch would do and stores its refused cells and
// the counts; it writes no employee.
func (imp *Importer) dryWrite(ctx context.Context, rows []ImportRow, problems []netra.ImportProblem, readBytes, rowsRead, first, last int64) error {
	d := &imp.dry
	if d.seen == nil {
		d.seen = map[uint64]int64{}
	}
	nips := make([]string, len(rows))
	for i := range rows {
		nips[i] = rows[i].Employee.NIP
	}
	r := &tx{queryer: imp.s.r, s: imp.s, actor: imp.actor, now: imp.s.now().UnixMilli()}
	old, err := imp.loadExisting(ctx, r, nips)
	if err != nil {
		return err
	}
	var res batchResult
	for i := range rows {
		row := &rows[i]
		t := imp.tenantByID(row.Employee.TenantID)
		key := nipKey(row.Employee.NIP)
		if line, dup := d.seen[key]; dup {
			problems = append(problems, dupProblem(row, line))
			d.tally(t, outRejected)
			continue
		}
		out := outInserted
		if o, ok := old[row.Employee.NIP]; ok {
			e := row.Employee
			e.ID, e.CreatedAt = o.e.ID, o.e.CreatedAt
			var p netra.ImportProblem
			out, p = imp.decide(row, &o, employeeChanges(&o.e, &e))
			if out == outRejected {
				problems = append(problems, p)
			}
		}
		d.tally(t, out)
		switch out {
		case outInserted:
			res.inserted++
		case outUpdated:
			res.updated++
		case outUnchanged:
			res.unchanged++
		case outPending:
			res.pending++
		}
		if out != outRejected && out != outPending && len(d.seen) < maxSeen {
			d.seen[key] = row.Line
		}
	}
	rejected, warned := countLines(problems), countWarnings(problems)
	err = imp.s.write(netra.WithActor(ctx, imp.actor), func(x *tx) error {
		for _, p := range problems {
			if err := x.importProblem(ctx, imp.im.ID, p); err != nil {
				return err
			}
		}
		if _, err := x.ExecContext(ctx, `UPDATE imports SET read_bytes = $1, rows_read = rows_read + $2, inserted = inserted + $3,
			updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6, pending = pending + $7,
			warnings = warnings + $8 WHERE id = $9`,
			readBytes, rowsRead, res.inserted, res.updated, res.unchanged, rejected, res.pending, warned, imp.im.ID); err != nil {
			return fmt.Errorf("store: preview progress: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	im := imp.im
	im.ReadBytes = readBytes
	im.RowsRead += rowsRead
	im.Inserted += res.inserted
	im.Updated += res.updated
	im.Unchanged += res.unchanged
	im.Rejected += rejected
	im.Pending += res.pending
	im.Warnings += warned
	return nil
}

// tenantByID finds a government the import has resolved rows to.
func (imp *Importer) tenantByID(id int64) *importTenant {
	if id == imp.home.id {
		return imp.home
	}
	if t, ok := imp.dry.byID[id]; ok {
		return t
	}
	for _, t := range imp.tenants {
		if t.id == id {
			if imp.dry.byID == nil {
				imp.dry.byID = map[int64]*importTenant{}
			}
			imp.dry.byID[id] = t
			return t
		}
	}
	return imp.home
}

// importProblem stores one refused cell or warning.
func (x *tx) importProblem(ctx context.Context, importID int64, p netra.ImportProblem) error {
	w := 0
	if p.Warning {
		w = 1
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO import_errors (import_id, line, col, value, reason_id, reason_en, unit_id, warning)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, importID, p.Line, netra.Truncate(p.Column, 200), netra.Truncate(p.Value, 200),
		p.Reason.ID, p.Reason.EN, p.UnitID, w); err != nil {
		return fmt.Errorf("store: import problem: %w", err)
	}
	return nil
}

// countWarnings counts the distinct lines with a warning.
func countWarnings(ps []netra.ImportProblem) int64 {
	seen := map[int64]bool{}
	for _, p := range ps {
		if p.Warning {
			seen[p.Line] = true
		}
	}
	return int64(len(seen))
}

// ConfirmImport turns a previewed import into a real one: the dry run's
// refused cells and counts are forgotten (the real run finds them again)
// and the import is queued with job. Only a previewed import can be
// confirmed; whoever may see it whole, or started it, may confirm it.
func (s *Store) ConfirmImport(ctx context.Context, id int64, job *Job) (*netra.Import, error) {
	ac, err := s.importFor(ctx, id)
	if err != nil {
		return nil, err
	}
	im := ac.im
	if im.Status != netra.ImportPreviewed {
		return nil, netra.Invalid("status", netra.Msg("Impor ini tidak sedang menunggu konfirmasi.", "This import is not waiting for confirmation."))
	}
	err = s.write(ctx, func(x *tx) error {
		res, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, dry_run = 0, read_bytes = 0, rows_read = 0, inserted = 0,
			updated = 0, unchanged = 0, rejected = 0, pending = 0, warnings = 0, started_at = 0, finished_at = 0
			WHERE id = $2 AND status = $3`, netra.ImportQueued, id, netra.ImportPreviewed)
		if err != nil {
			return fmt.Errorf("store: confirm import: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return netra.Invalid("status", netra.Msg("Impor ini tidak sedang menunggu konfirmasi.", "This import is not waiting for confirmation."))
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM import_errors WHERE import_id = $1`, id); err != nil {
			return fmt.Errorf("store: confirm import: %w", err)
		}
		if job != nil {
			job.Payload = fmt.Sprintf(`{"import_id":%d}`, id)
			if err := x.enqueue(ctx, job); err != nil {
				return err
			}
		}
		return x.audit(ctx, im.TenantID, "import.confirm", "import", id, map[string]any{
			"would_insert": im.Inserted, "would_update": im.Updated, "would_reject": im.Rejected, "pending": im.Pending})
	})
	if err != nil {
		return nil, err
	}
	return s.Import(ctx, id)
}

// CancelImport ends a previewed import without writing anything; the
// caller deletes its upload.
func (s *Store) CancelImport(ctx context.Context, id int64) (*netra.Import, error) {
	ac, err := s.importFor(ctx, id)
	if err != nil {
		return nil, err
	}
	if ac.im.Status != netra.ImportPreviewed {
		return nil, netra.Invalid("status", netra.Msg("Impor ini tidak sedang menunggu konfirmasi.", "This import is not waiting for confirmation."))
	}
	err = s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, finished_at = $2 WHERE id = $3`, netra.ImportCancelled, x.now, id); err != nil {
			return fmt.Errorf("store: cancel import: %w", err)
		}
		return x.audit(ctx, ac.im.TenantID, "import.cancel", "import", id, nil)
	})
	if err != nil {
		return nil, err
	}
	ac.im.Status = netra.ImportCancelled
	return ac.im, nil
}

func marshalPreview(p []netra.ImportGovernment) string {
	if len(p) == 0 {
		return ""
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// ExpirePreviews cancels, with msg, the previewed imports whose dry run
// ended before before, and returns them so that their uploads (every
// employee's personal data) can be deleted: a preview nobody decides on
// does not keep its file for ever. It runs as the system.
func (s *Store) ExpirePreviews(ctx context.Context, before time.Time, msg netra.Message) ([]netra.Import, error) {
	ctx = netra.WithActor(ctx, netra.System("import"))
	var out []netra.Import
	err := s.write(ctx, func(x *tx) error {
		rows, err := x.QueryContext(ctx, `SELECT `+importCols+` FROM imports WHERE status = $1 AND finished_at < $2 ORDER BY id`,
			netra.ImportPreviewed, ms(before))
		if err != nil {
			return fmt.Errorf("store: stale previews: %w", err)
		}
		for rows.Next() {
			var im netra.Import
			if err := scanImport(rows, &im); err != nil {
				rows.Close()
				return err
			}
			out = append(out, im)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			im := &out[i]
			if _, err := x.ExecContext(ctx, `UPDATE imports SET status = $1, error_id = $2, error_en = $3 WHERE id = $4`,
				netra.ImportCancelled, msg.ID, msg.EN, im.ID); err != nil {
				return fmt.Errorf("store: expire preview: %w", err)
			}
			im.Status, im.Error = netra.ImportCancelled, msg
			if err := x.audit(ctx, im.TenantID, "import.expire", "import", im.ID, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
