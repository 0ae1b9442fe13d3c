package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// Group commit for online signatures.
//
// On the morning a campaign opens, thousands of employees sign within
// minutes. Each signature is a durable write (an acknowledged signature
// survives kill -9 and a power cut), and a durable commit costs an fsync;
// one transaction per signature would make SQLite's single writer, and the
// audit chain's head row on PostgreSQL, the bottleneck. So SignPledge calls
// queue, and one writer at a time takes whatever has queued (up to
// maxSignBatch) and writes it in ONE transaction: the checks of every
// request, the canonical records, their Ed25519 signatures (the key opened
// once), all their leaves appended to the government's log at once, the
// signature rows in a few multi-row inserts, one audit entry per signature
// (the chain needs each) chained and inserted together, one pledgeDutyDone
// call per campaign with all its signers; then one commit, and every caller
// gets its own result. On SQLite the batch's statements are prepared once
// (pledge_batch_sql.go).
//
// The batch adapts to the load without a timer: the writer starts at once
// when it finds one request queued; while it commits, the requests that
// arrive queue behind it and go together in the next transaction. A request
// that fails a check (a wrong name, a closed campaign, not in service) is
// answered with its error and left out of the write, so it fails alone;
// should the write itself fail (a database error, a verification code taken
// meanwhile by another node), the batch is rolled back and each of its
// requests is written again in a transaction of its own, so that one cannot
// fail the others. The results are those of running the calls one after
// another in the order they queued: a second call of the same employee in
// the same batch gets the signature the first made.

// maxSignBatch bounds the requests one transaction writes: enough to
// amortise the commit many times over, small enough that no one waits long
// behind a batch.
const maxSignBatch = 256

// signLinger is how long the writer waits for more requests when it finds
// more than one queued (none when it finds one: a lone signature is written
// at once).
var signLinger = time.Millisecond

// signRequest is one SignPledge call waiting for its batch.
type signRequest struct {
	ctx        context.Context
	actor      *netra.Actor
	campaignID int64
	typedName  string
	done       chan signResult // buffered: the writer never blocks on a caller
}

type signResult struct {
	sig     *netra.PledgeSignature
	created bool // this request made sig
	err     error
}

// pledgeBatcher queues signing requests for one writer at a time. Its zero
// value is ready; there is no goroutine while nothing is queued.
type pledgeBatcher struct {
	mu      sync.Mutex
	queue   []*signRequest
	writing bool // a drainSignatures goroutine is running

	batches, requests int64 // written so far, for SignBatchStats

	stmts   stmtCache              // prepared on the writer (pledge_batch_sql.go)
	signers map[string]note.Signer // opened signing keys, by key id
}

// SignBatchStats returns how many transactions have written online
// signatures since the store was opened, and how many SignPledge requests
// they answered (requests/batches is the mean batch size).
func (s *Store) SignBatchStats() (batches, requests int64) {
	b := &s.pledges
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.batches, b.requests
}

// submitSignature queues r and waits for its result. A caller whose
// context ends while its request is being written is answered ctx.Err(),
// but the signature may still be made: signing again returns it.
func (s *Store) submitSignature(ctx context.Context, r *signRequest) (*netra.PledgeSignature, bool, error) {
	r.ctx, r.done = ctx, make(chan signResult, 1)
	b := &s.pledges
	b.mu.Lock()
	b.queue = append(b.queue, r)
	if !b.writing {
		b.writing = true
		go s.drainSignatures()
	}
	b.mu.Unlock()
	select {
	case res := <-r.done:
		return res.sig, res.created, res.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// drainSignatures writes batches until the queue is empty.
func (s *Store) drainSignatures() {
	b := &s.pledges
	for {
		b.mu.Lock()
		if n := len(b.queue); n > 1 && n < maxSignBatch && signLinger > 0 {
			// Under load (more than one waiting), a moment more fills
			// the batch: its fixed costs are shared by more signatures.
			b.mu.Unlock()
			time.Sleep(signLinger)
			b.mu.Lock()
		}
		n := min(len(b.queue), maxSignBatch)
		if n == 0 {
			b.writing = false
			b.queue = nil // let a burst's backing array go
			b.mu.Unlock()
			return
		}
		batch := slices.Clone(b.queue[:n])
		b.queue = b.queue[n:]
		b.batches++
		b.requests += int64(n)
		b.mu.Unlock()
		live := batch[:0]
		for _, r := range batch {
			if err := r.ctx.Err(); err != nil { // the caller left before its turn: nothing is written for it
				r.done <- signResult{err: err}
				continue
			}
			live = append(live, r)
		}
		if len(live) > 0 {
			s.signBatch(live)
		}
	}
}

// signBatch writes reqs in one transaction and answers each; when the
// write fails, it writes each request alone.
func (s *Store) signBatch(reqs []*signRequest) {
	out, err := s.writeSignatures(context.Background(), reqs)
	if err != nil && len(reqs) > 1 {
		for _, r := range reqs {
			s.signBatch([]*signRequest{r})
		}
		return
	}
	for i, r := range reqs {
		if err != nil {
			r.done <- signResult{err: err}
			continue
		}
		res := out[i]
		if res.sig != nil {
			cp := *res.sig // each caller its own copy
			res.sig = &cp
		}
		r.done <- res
	}
}

// signGroup is the part of a batch that signs one campaign.
type signGroup struct {
	campaignID int64
	reqs       []int // indexes into the batch, in queue order
	c          *netra.PledgeCampaign
	t          pledgeTenant
	key        signingKey
	signed     []int64 // employees who signed in this batch, for the duty
}

// pendingSignature is a signature being made in a batch.
type pendingSignature struct {
	req   int // its request's index in the batch
	actor *netra.Actor
	rec   *netra.PledgeRecord
	sig   *netra.PledgeSignature
	b     []byte // the record's canonical bytes
	leaf  signlog.Hash
	also  []int // later requests of the same employee in the batch, answered with this signature
}

// batchActor is the transaction's actor in a batch of signatures. It holds
// no grant: every check was made for each request's own actor, and each
// audit entry names its own signer.
var batchActor = &netra.Actor{Label: "system:pledge-sign"}

// writeSignatures runs one transaction for the batch and returns each
// request's result. An error means nothing was written.
func (s *Store) writeSignatures(ctx context.Context, reqs []*signRequest) ([]signResult, error) {
	out := make([]signResult, len(reqs))
	byCampaign := map[int64]*signGroup{}
	var groups []*signGroup
	for i, r := range reqs {
		g := byCampaign[r.campaignID]
		if g == nil {
			g = &signGroup{campaignID: r.campaignID}
			byCampaign[r.campaignID] = g
			groups = append(groups, g)
		}
		g.reqs = append(g.reqs, i)
	}
	// The campaign, its government and the government's key are read (and
	// the log and its first key made) before the transaction, as for a
	// single signature; a campaign that does not exist fails its requests.
	ok := groups[:0]
	for _, g := range groups {
		var err error
		if g.c, g.t, g.key, err = s.pledgeContext(ctx, g.campaignID); err != nil {
			for _, i := range g.reqs {
				out[i].err = err
			}
			continue
		}
		ok = append(ok, g)
	}
	groups = ok
	if len(groups) == 0 {
		return out, nil
	}
	// Logs are locked in the order of their names, so that two batches on
	// PostgreSQL never wait for each other in a circle.
	slices.SortStableFunc(groups, func(a, b *signGroup) int { return strings.Compare(a.t.code, b.t.code) })
	if err := s.prepareBatch(ctx); err != nil {
		return nil, err
	}
	var made []*pendingSignature
	err := s.writeAs(ctx, batchActor, func(x *tx) error {
		made = made[:0]
		b := bq{queryer: x.queryer, rows: pgStmtRows}
		if b.tx, _ = x.queryer.(*sql.Tx); s.dialect == SQLite {
			b.c, b.rows = &s.pledges.stmts, stmtRows
		}
		// Everything the batch runs in the transaction, through b.
		x = &tx{queryer: b, s: x.s, actor: x.actor, now: x.now}
		for _, g := range groups {
			g.signed = g.signed[:0]
			ps, err := x.signGroup(ctx, b, g, reqs, out)
			if err != nil {
				return err
			}
			made = append(made, ps...)
		}
		if len(made) == 0 {
			return nil
		}
		items := make([]auditItem, len(made))
		for i, p := range made {
			items[i] = auditItem{actor: p.actor, tenantID: p.sig.TenantID, action: "pledge.sign", objType: "pledge_signature",
				objID: idString(p.sig.ID), summary: map[string]any{"campaign_id": p.sig.CampaignID, "employee_id": p.sig.EmployeeID,
					"method": p.sig.Method, "code": p.sig.Code, "leaf_index": p.sig.LeafIndex, "key_id": p.sig.KeyID}}
		}
		if err := x.appendAudits(ctx, b, items); err != nil {
			return err
		}
		for _, g := range groups {
			if len(g.signed) > 0 {
				if err := x.pledgeDutyDone(ctx, g.c, g.signed); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range made {
		out[p.req].sig, out[p.req].created = p.sig, true
		for _, i := range p.also {
			out[i].sig = p.sig
		}
	}
	return out, nil
}

// writeAs is write for an actor given rather than found in the context.
func (s *Store) writeAs(ctx context.Context, a *netra.Actor, fn func(x *tx) error) error {
	return s.write(netra.WithActor(ctx, a), fn)
}

// signGroup checks each request of one campaign in queue order, answers
// those that fail or that find a signature already made, and makes, signs,
// logs and inserts the others' signatures. It returns the signatures made.
func (x *tx) signGroup(ctx context.Context, b bq, g *signGroup, reqs []*signRequest, out []signResult) ([]*pendingSignature, error) {
	l, err := x.lockLog(ctx, netra.PledgeLogName(g.t.code))
	if err != nil {
		return nil, err
	}
	c, err := pledgeCampaign(ctx, x, g.campaignID)
	if err != nil {
		return nil, err
	}
	g.c = c
	ids := make([]int64, 0, len(g.reqs))
	for _, i := range g.reqs {
		ids = append(ids, reqs[i].actor.EmployeeID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	live, err := livePledges(ctx, b, c.ID, ids)
	if err != nil {
		return nil, err
	}
	emps, err := pledgeEmployees(ctx, b, ids)
	if err != nil {
		return nil, err
	}
	targeted, err := dutyTargeted(ctx, b, c.DutyID, ids)
	if err != nil {
		return nil, err
	}
	now := fromMS(x.now)
	var text *netra.PledgeText
	var ps []*pendingSignature
	byEmployee := map[int64]*pendingSignature{}
	for _, i := range g.reqs {
		r := reqs[i]
		id := r.actor.EmployeeID
		if sig := live[id]; sig != nil {
			out[i].sig = sig
			continue
		}
		if p := byEmployee[id]; p != nil {
			p.also = append(p.also, i)
			continue
		}
		e := emps[id]
		switch {
		case e == nil:
			out[i].err = fmt.Errorf("employee %d: %w", id, netra.ErrNotFound)
		case e.TenantID != c.TenantID:
			out[i].err = fmt.Errorf("pledge campaign %d: %w", c.ID, netra.ErrNotFound)
		case !e.Status.InService():
			out[i].err = errNotInService(e)
		case !c.OpenAt(now):
			out[i].err = errCampaignClosed(c)
		case !targeted[id]:
			out[i].err = netra.Userf(netra.ErrForbidden, "Ikrar ini tidak ditujukan kepada Anda: unit kerja atau jenis kepegawaian Anda tidak termasuk sasarannya.",
				"This pledge is not addressed to you: your work unit or employment type is not among those it reaches.")
		case !netra.PledgeNameMatches(r.typedName, e):
			out[i].err = netra.Invalid("name", netra.Msg("Nama yang diketik tidak sama dengan nama Anda di data kepegawaian ("+e.Name+"). Ketik nama Anda untuk menandatangani.",
				"The name typed is not your name in the personnel records ("+e.Name+"). Type your name to sign."))
		}
		if out[i].err != nil {
			continue
		}
		if text == nil {
			if text, err = pledgeText(ctx, x, c.TemplateID, c.TemplateVersion); err != nil {
				return nil, err
			}
		}
		rec := pledgeRecordFor(g.t, c, text, e, now)
		rec.Method, rec.Auth = netra.PledgeOnline, netra.SignerAuth(r.actor)
		p := &pendingSignature{req: i, actor: r.actor, rec: rec, sig: &netra.PledgeSignature{TenantID: g.t.id, CampaignID: c.ID,
			EmployeeID: e.ID, UnitID: e.UnitID, Method: rec.Method, CreatedBy: r.actor.UserID}}
		byEmployee[id] = p
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	if err := pledgeCodes(ctx, b, ps); err != nil {
		return nil, err
	}
	signer, err := x.s.pledges.signerFor(g.key)
	if err != nil {
		return nil, err
	}
	if err := signRecords(signer, ps); err != nil {
		return nil, err
	}
	leaves := make([]signlog.Hash, len(ps))
	for i, p := range ps {
		leaves[i] = p.leaf
		p.sig.LeafIndex = l.size + int64(i)
	}
	if err := appendLeaves(ctx, b, &l, leaves); err != nil {
		return nil, err
	}
	if err := insertSignatures(ctx, b, ps); err != nil {
		return nil, err
	}
	for _, p := range ps {
		g.signed = append(g.signed, p.sig.EmployeeID)
	}
	return ps, nil
}

// livePledges reads the unrevoked signatures of campaignID by the given
// employees, by employee.
func livePledges(ctx context.Context, b bq, campaignID int64, employeeIDs []int64) (map[int64]*netra.PledgeSignature, error) {
	out := map[int64]*netra.PledgeSignature{}
	for _, l := range inLists(employeeIDs) {
		rows, err := b.QueryContext(ctx, liveSignaturesSQL(len(l)), append([]any{campaignID}, l...)...)
		if err != nil {
			return nil, fmt.Errorf("store: pledge signatures: %w", err)
		}
		for rows.Next() {
			p := &netra.PledgeSignature{}
			if err := scanPledgeSignature(rows, p); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: pledge signatures: %w", err)
			}
			out[p.EmployeeID] = p
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("store: pledge signatures: %w", err)
		}
	}
	return out, nil
}

// dutyTargeted reads which of ids the duty counts now: the employees its
// target reaches (duty.go). A campaign signs only those.
func dutyTargeted(ctx context.Context, b bq, dutyID int64, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	for _, l := range inLists(ids) {
		rows, err := b.QueryContext(ctx, targetedSQL(len(l)), append([]any{dutyID}, l...)...)
		if err != nil {
			return nil, fmt.Errorf("store: pledge targets: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: pledge targets: %w", err)
			}
			out[id] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("store: pledge targets: %w", err)
		}
	}
	return out, nil
}

// pledgeEmployees reads employees, with their units, by id; an id that
// names no employee is left out.
func pledgeEmployees(ctx context.Context, b bq, ids []int64) (map[int64]*netra.Employee, error) {
	out := make(map[int64]*netra.Employee, len(ids))
	for _, l := range inLists(ids) {
		rows, err := b.QueryContext(ctx, employeesByIDSQL(len(l)), l...)
		if err != nil {
			return nil, fmt.Errorf("store: employees: %w", err)
		}
		for rows.Next() {
			e := &netra.Employee{}
			if err := scanEmployee(rows, e); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: employees: %w", err)
			}
			out[e.ID] = e
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("store: employees: %w", err)
		}
	}
	return out, nil
}

// list adds the values as placeholders and returns them comma-separated.
func (a *args) list(vs []int64) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.add(v)
	}
	return strings.Join(ph, ", ")
}

// pledgeCodes encodes each record and gives it a verification code no
// signature has, in the database or in the batch: a code taken moves that
// record's signing time on by a millisecond, which gives it another hash
// (as signPledgeRecord does for one record).
func pledgeCodes(ctx context.Context, b bq, ps []*pendingSignature) error {
	inBatch := map[string]bool{}
	todo := ps
	for try := 0; len(todo) > 0; try++ {
		if try > 10 {
			return errors.New("store: no free verification code after 10 tries")
		}
		codes := make([]string, len(todo))
		for i, p := range todo {
			if try > 0 {
				p.rec.SignedAt = p.rec.SignedAt.Add(1e6) // a millisecond
			}
			b, err := p.rec.Canonical()
			if err != nil {
				return err
			}
			p.b, p.leaf = b, signlog.RecordHash(b)
			p.sig.Code = netra.PledgeCode(p.leaf)
			codes[i] = p.sig.Code
		}
		taken, err := takenCodes(ctx, b, codes)
		if err != nil {
			return err
		}
		again := todo[:0:0]
		for _, p := range todo {
			if taken[p.sig.Code] || inBatch[p.sig.Code] {
				again = append(again, p)
				continue
			}
			inBatch[p.sig.Code] = true
		}
		todo = again
	}
	return nil
}

// takenCodes returns which of codes a signature already has.
func takenCodes(ctx context.Context, b bq, codes []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for _, l := range inLists(codes) {
		rows, err := b.QueryContext(ctx, takenCodesSQL(len(l)), l...)
		if err != nil {
			return nil, fmt.Errorf("store: pledge codes: %w", err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: pledge codes: %w", err)
			}
			taken[c] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("store: pledge codes: %w", err)
		}
	}
	return taken, nil
}

// parallelSignAt is the batch size from which records are signed on every
// core: below it, starting goroutines costs more than it saves.
const parallelSignAt = 32

// signerFor returns the opened signer of a key, opening it (which costs
// about what a signature does) once per key rather than once per batch.
func (b *pledgeBatcher) signerFor(k signingKey) (note.Signer, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if sg, ok := b.signers[k.keyID]; ok {
		return sg, nil
	}
	sg, err := note.NewSigner(k.skey)
	if err != nil {
		return nil, fmt.Errorf("store: signing key %s: %w", k.keyID, err)
	}
	if b.signers == nil || len(b.signers) > 1000 {
		b.signers = map[string]note.Signer{}
	}
	b.signers[k.keyID] = sg
	return sg, nil
}

// signRecords signs every record with the signer (Ed25519 over the
// canonical bytes, as signlog.SignData does).
func signRecords(signer note.Signer, ps []*pendingSignature) error {
	keyID := fmt.Sprintf("%s+%08x", signer.Name(), signer.KeyHash())
	sign := func(part []*pendingSignature) error {
		for _, p := range part {
			sig, err := signer.Sign(p.b)
			if err != nil {
				return fmt.Errorf("store: sign pledge record: %w", err)
			}
			p.sig.Signature, p.sig.KeyID = sig, keyID
			p.sig.Record, p.sig.RecordHash, p.sig.SignedAt = p.b, p.leaf.String(), p.rec.SignedAt
		}
		return nil
	}
	workers := runtime.GOMAXPROCS(0)
	if len(ps) < parallelSignAt || workers < 2 {
		return sign(ps)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	size := (len(ps) + workers - 1) / workers
	for w := range workers {
		part := ps[min(w*size, len(ps)):min((w+1)*size, len(ps))]
		wg.Go(func() { errs[w] = sign(part) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// insertSignatures inserts the signature rows and sets their ids. A live
// signature of one of the employees written meanwhile (by another node;
// the log lock makes it all but impossible) fails the whole write, which
// is then retried request by request.
func insertSignatures(ctx context.Context, b bq, ps []*pendingSignature) error {
	for _, n := range rowChunks(len(ps), b.rows) {
		part := ps[:n]
		ps = ps[n:]
		vals := make([]any, 0, n*signatureInsertCols)
		for _, p := range part {
			sig := p.sig
			vals = append(vals, sig.TenantID, sig.CampaignID, sig.EmployeeID, sig.UnitID, sig.Method, sig.Code, string(sig.Record),
				sig.RecordHash, base64.StdEncoding.EncodeToString(sig.Signature), sig.KeyID, sig.LeafIndex, ms(sig.SignedAt),
				sig.Scan.Key, sig.Scan.SHA256, sig.Scan.Size, nullID(sig.CeremonyID), sig.CreatedBy)
		}
		rows, err := b.QueryContext(ctx, signatureInsertSQL(n), vals...)
		if err != nil {
			return fmt.Errorf("store: add pledge signatures: %w", err)
		}
		ids := make(map[int64]int64, n)
		for rows.Next() {
			var id, emp int64
			if err := rows.Scan(&id, &emp); err != nil {
				rows.Close()
				return fmt.Errorf("store: add pledge signatures: %w", err)
			}
			ids[emp] = id
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("store: add pledge signatures: %w", err)
		}
		for _, p := range part {
			if p.sig.ID = ids[p.sig.EmployeeID]; p.sig.ID == 0 {
				return netra.Userf(netra.ErrConflict, "Pegawai ini baru saja menandatangani ikrar kampanye ini.", "This employee has just signed this campaign's pledge.")
			}
		}
	}
	return nil
}
