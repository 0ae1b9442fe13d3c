package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/netra-id/netra"
)

// RecoverImports ends the imports a stopped server left behind, so that
// none stays "queued" or "running" for ever. An import is failed with msg
// (for the import page) when no job will run it any more: it has no pending
// job of kind (a foreground import whose process died), or it was running
// under a job whose lease ran out or whose worker dead reports gone (the
// server was killed; the job is then closed too, so it does not run again).
// A queued import with a job, and one running under a live lease (on another
// node), are left alone. It returns the imports it failed, and runs as
// the system.
//
// Interrupted imports are failed rather than resumed: the rows already
// written are kept (a re-run upserts them by NIP as unchanged), but the
// counters and the list of refused rows would be counted twice.
func (s *Store) RecoverImports(ctx context.Context, kind string, msg netra.Message, dead func(worker string) bool) ([]netra.Import, error) {
	ctx = netra.WithActor(ctx, netra.System("import"))
	now := ms(s.now())
	type job struct {
		id     int64
		worker string
		live   bool
	}
	pending := map[int64]job{}
	rows, err := s.w.QueryContext(ctx, `SELECT id, payload, COALESCE(locked_by, ''), COALESCE(locked_until, 0) FROM jobs
		WHERE kind = $1 AND done_at IS NULL AND failed_at IS NULL`, kind)
	if err != nil {
		return nil, fmt.Errorf("store: pending imports: %w", err)
	}
	for rows.Next() {
		var j job
		var payload string
		var until int64
		if err := rows.Scan(&j.id, &payload, &j.worker, &until); err != nil {
			rows.Close()
			return nil, err
		}
		var p struct {
			ImportID int64 `json:"import_id"`
		}
		if plain, err := s.unseal(purposeOutbox, payload); err == nil && json.Unmarshal([]byte(plain), &p) == nil && p.ImportID != 0 {
			j.live = until >= now && !(j.worker != "" && dead(j.worker))
			pending[p.ImportID] = j
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var stuck []netra.Import
	rows, err = s.w.QueryContext(ctx, `SELECT `+importCols+` FROM imports WHERE status IN ($1, $2) ORDER BY id`, netra.ImportQueued, netra.ImportRunning)
	if err != nil {
		return nil, fmt.Errorf("store: stuck imports: %w", err)
	}
	for rows.Next() {
		var im netra.Import
		if err := scanImport(rows, &im); err != nil {
			rows.Close()
			return nil, err
		}
		stuck = append(stuck, im)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var failed []netra.Import
	for i := range stuck {
		im := &stuck[i]
		j, ok := pending[im.ID]
		switch {
		case !ok:
		case im.Status == netra.ImportRunning && !j.live:
			if _, err := s.w.ExecContext(ctx, `UPDATE jobs SET done_at = $1, locked_by = NULL, locked_until = NULL,
				last_error = 'interrupted' WHERE id = $2`, now, j.id); err != nil {
				return failed, fmt.Errorf("store: close interrupted import job: %w", err)
			}
		default:
			continue
		}
		if err := s.finishImport(ctx, im, netra.ImportFailed, msg); err != nil {
			return failed, err
		}
		failed = append(failed, *im)
	}
	return failed, nil
}
