package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// batchWorld is the pledge world with thirty teachers, a retired employee
// and a second campaign of the city.
type batchWorld struct {
	*pledgeWorld
	teachers []*netra.Employee
	retired  *netra.Employee
	camp2    *netra.PledgeCampaign
}

func mustBatchWorld(t *testing.T, s *store.Store) *batchWorld {
	t.Helper()
	w := &batchWorld{pledgeWorld: mustPledgeWorld(t, s)}
	for i := range 30 {
		w.teachers = append(w.teachers, mustEmployee(t, s, w.bidSD.ID, fmt.Sprintf("19900113201903%d%03d", 1+i%2, 100+i), fmt.Sprintf("Guru %d", i)))
	}
	w.retired = mustEmployee(t, s, w.setda.ID, "197001012000031001", "Pensiunan")
	st := netra.StatusRetired
	if _, err := s.UpdateEmployee(sys(), w.retired.ID, store.EmployeeUpdate{Status: &st}); err != nil {
		t.Fatal(err)
	}
	w.camp2 = mustCampaign(t, s, w.city, w.tpl)
	return w
}

// signCall is one SignPledge call: who signs, as an employee of which
// government, which campaign, typing which name.
type signCall struct {
	who    *netra.Employee
	tenant *netra.Tenant
	campID int64
	name   string
}

type signOutcome struct {
	sig     *netra.PledgeSignature
	created bool
	err     error
}

// calls is the mix the batch tests sign: every teacher, then the same
// teacher again (with a wrong name, which does not matter once signed), a
// wrong name followed by the right one, another city's employee, a retired
// one, a campaign that does not exist, and one employee signing both
// campaigns.
func (w *batchWorld) calls() []signCall {
	var cs []signCall
	for _, e := range w.teachers {
		cs = append(cs, signCall{e, w.city, w.camp.ID, strings.ToUpper(e.Name)})
	}
	return append(cs,
		signCall{w.teachers[0], w.city, w.camp.ID, "Bukan Namanya"},
		signCall{w.budi, w.city, w.camp.ID, "Budi Santosa"},
		signCall{w.budi, w.city, w.camp.ID, "Budi Santoso"},
		signCall{w.rina, w.other, w.camp.ID, "Rina Wati"},
		signCall{w.retired, w.city, w.camp.ID, "Pensiunan"},
		signCall{w.siti, w.city, 999999, "Siti Aminah"},
		signCall{w.siti, w.city, w.camp.ID, "Siti Aminah"},
		signCall{w.siti, w.city, w.camp2.ID, "Siti Aminah"},
	)
}

// signHeld queues every call behind a held writer, in order, then lets
// the writer go, and checks that one transaction answered them all.
func signHeld(t *testing.T, s *store.Store, calls []signCall) []signOutcome {
	t.Helper()
	release := store.HoldSignaturesForTest(s)
	batches, _ := s.SignBatchStats()
	out := make([]signOutcome, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Go(func() {
			sig, created, err := s.SignPledgeCreated(employeeCtx(c.who, c.tenant), c.campID, c.name)
			out[i] = signOutcome{sig, created, err}
		})
		// Wait until it queued, so that the queue's order is the calls'.
		for deadline := time.Now().Add(10 * time.Second); store.QueuedSignaturesForTest(s) < i+1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("call %d did not queue", i)
			}
		}
	}
	release()
	wg.Wait()
	if after, _ := s.SignBatchStats(); after != batches+1 {
		t.Errorf("%d calls took %d transactions, want 1", len(calls), after-batches)
	}
	return out
}

// signInTurn makes the calls one after another.
func signInTurn(s *store.Store, calls []signCall) []signOutcome {
	out := make([]signOutcome, len(calls))
	for i, c := range calls {
		sig, created, err := s.SignPledgeCreated(employeeCtx(c.who, c.tenant), c.campID, c.name)
		out[i] = signOutcome{sig, created, err}
	}
	return out
}

// checkPledgeLog checks that sigs are all the records of the city's log,
// at leaf indexes 0…n-1, that the tree stored in the database is the tree
// of their hashes, and that each code verifies as valid.
func checkPledgeLog(t *testing.T, s *store.Store, sigs []*netra.PledgeSignature) {
	t.Helper()
	ctx := context.Background()
	sigs = slices.Clone(sigs)
	slices.SortFunc(sigs, func(a, b *netra.PledgeSignature) int { return int(a.LeafIndex - b.LeafIndex) })
	var tree signlog.Builder
	for i, sig := range sigs {
		if sig.LeafIndex != int64(i) {
			t.Fatalf("leaf indexes %d, want 0…%d without gaps or repeats", sig.LeafIndex, len(sigs)-1)
		}
		h, err := tlog.ParseHash(sig.RecordHash)
		if err != nil || h != signlog.RecordHash(sig.Record) {
			t.Fatalf("signature %d: record hash %s does not match its record (%v)", sig.ID, sig.RecordHash, err)
		}
		tree.Add(h)
		if v, err := s.VerifyPledgeCode(ctx, sig.Code); err != nil || v.Status != netra.PledgeValid {
			t.Fatalf("code %s of signature %d: %+v %v", sig.Code, sig.ID, v, err)
		}
	}
	n, err := s.LogSize(ctx, "pledge/62.71")
	if err != nil || n != int64(len(sigs)) {
		t.Fatalf("log size %d, want %d: %v", n, len(sigs), err)
	}
	root, err := s.LogRoot(ctx, "pledge/62.71", n)
	if err != nil || root != tree.Root() {
		t.Fatalf("the stored tree's root is not the root of the signatures' hashes: %v", err)
	}
	if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
		t.Fatalf("audit chain: %+v %v", p, err)
	}
}

// TestSignBatch: calls queued together are written in one transaction;
// each gets its own signature or its own error, a wrong name fails alone,
// the same employee twice gets one signature, and the results — errors,
// records, codes, leaf indexes — are exactly those of the same calls made
// one after another on a store of its own.
func TestSignBatch(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			batched, inTurn := e.Open(t), e.Open(t)
			w := mustBatchWorld(t, batched)
			calls := w.calls()
			got := signHeld(t, batched, calls)
			want := signInTurn(inTurn, mustBatchWorld(t, inTurn).calls())

			nt := len(w.teachers)
			ids := map[int64]bool{}
			var made []*netra.PledgeSignature
			for i, o := range got {
				if (o.err == nil) != (want[i].err == nil) || (o.err != nil && o.err.Error() != want[i].err.Error()) {
					t.Errorf("call %d: batched %v, one after another %v", i, o.err, want[i].err)
					continue
				}
				if o.err != nil {
					continue
				}
				ws := want[i].sig
				if string(o.sig.Record) != string(ws.Record) || o.sig.Code != ws.Code || o.sig.LeafIndex != ws.LeafIndex ||
					o.sig.EmployeeID != ws.EmployeeID || o.sig.UnitID != ws.UnitID || o.sig.Method != netra.PledgeOnline {
					t.Errorf("call %d: batched %+v\none after another %+v", i, o.sig, ws)
				}
				if o.created != want[i].created || o.created == ids[o.sig.ID] {
					t.Errorf("call %d: created %v, one after another %v, and the signature was made before: %v", i, o.created, want[i].created, ids[o.sig.ID])
				}
				if !ids[o.sig.ID] {
					ids[o.sig.ID] = true
					made = append(made, o.sig)
				}
				// What the caller got is what is stored.
				stored, err := batched.PledgeSignature(sys(), o.sig.ID)
				if err != nil || string(stored.Record) != string(o.sig.Record) || string(stored.Signature) != string(o.sig.Signature) ||
					stored.KeyID != o.sig.KeyID || stored.LeafIndex != o.sig.LeafIndex || !stored.SignedAt.Equal(o.sig.SignedAt) {
					t.Errorf("call %d: stored %+v %v\nreturned %+v", i, stored, err, o.sig)
				}
			}
			if len(made) != nt+3 {
				t.Fatalf("%d signatures made, want %d", len(made), nt+3)
			}
			if got[nt].sig == nil || got[nt].sig.ID != got[0].sig.ID || got[nt].sig == got[0].sig {
				t.Errorf("the same teacher twice: %+v and %+v (want one signature, each caller its own copy)", got[0].sig, got[nt].sig)
			}
			if ve, ok := netra.AsValidation(got[nt+1].err); !ok || ve.Fields["name"].ID == "" {
				t.Errorf("a wrong name: %v", got[nt+1].err)
			}
			if got[nt+2].sig == nil || got[nt+2].sig.EmployeeID != w.budi.ID {
				t.Errorf("the right name after a wrong one: %+v %v", got[nt+2].sig, got[nt+2].err)
			}
			for i, kind := range map[int]error{nt + 3: netra.ErrNotFound, nt + 4: netra.ErrConflict, nt + 5: netra.ErrNotFound} {
				if !errors.Is(got[i].err, kind) {
					t.Errorf("call %d: %v, want %v", i, got[i].err, kind)
				}
			}
			if a, b := got[nt+6].sig, got[nt+7].sig; a == nil || b == nil || a.CampaignID != w.camp.ID || b.CampaignID != w.camp2.ID {
				t.Errorf("one employee, two campaigns: %+v %+v", a, b)
			}
			checkPledgeLog(t, batched, made)
			// One audit entry per signature, each naming its own signer.
			es, err := batched.AuditEntries(sys(), netra.AuditFilter{Action: "pledge.sign", Limit: 500})
			if err != nil || len(es) != len(made) {
				t.Fatalf("%d pledge.sign audit entries, want %d: %v", len(es), len(made), err)
			}
			signer := map[string]string{}
			for _, sig := range made {
				rec, _ := netra.ParsePledgeRecord(sig.Record)
				signer[fmt.Sprint(sig.ID)] = "user:" + rec.NIP
			}
			for _, en := range es {
				if en.ActorLabel != signer[en.ObjectID] || en.ActorID == 0 {
					t.Errorf("audit entry of signature %s names %q (%d), want %q", en.ObjectID, en.ActorLabel, en.ActorID, signer[en.ObjectID])
				}
			}
			// Signing again afterwards returns the signatures made.
			again := signInTurn(batched, calls[:nt])
			for i, o := range again {
				if o.err != nil || o.sig.ID != got[i].sig.ID || o.created {
					t.Errorf("signing again %d: %+v %v", i, o.sig, o.err)
				}
			}
		})
	}
}

// TestSignBatchWriteFails: when the database refuses one row of a batch,
// the batch is written again request by request, so that only the refused
// request fails; nothing of the failed attempt remains.
func TestSignBatchWriteFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustBatchWorld(t, s)
		bad := w.teachers[3]
		refuse := fmt.Sprintf(`CREATE TRIGGER refuse_one BEFORE INSERT ON pledge_signatures FOR EACH ROW WHEN (NEW.employee_id = %d)
			BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`, bad.ID)
		if s.Dialect() == store.Postgres {
			if err := store.ExecForTest(s, `CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'refused by the test'; END $$`); err != nil {
				t.Fatal(err)
			}
			refuse = fmt.Sprintf(`CREATE TRIGGER refuse_one BEFORE INSERT ON pledge_signatures FOR EACH ROW
				WHEN (NEW.employee_id = %d) EXECUTE FUNCTION refuse_one()`, bad.ID)
		}
		if err := store.ExecForTest(s, refuse); err != nil {
			t.Fatal(err)
		}
		var calls []signCall
		for _, e := range w.teachers[:8] {
			calls = append(calls, signCall{e, w.city, w.camp.ID, e.Name})
		}
		got := signHeld(t, s, calls)
		var made []*netra.PledgeSignature
		for i, o := range got {
			switch {
			case i == 3 && (o.err == nil || !strings.Contains(o.err.Error(), "refused by the test")):
				t.Errorf("the refused row: %+v %v", o.sig, o.err)
			case i != 3 && o.err != nil:
				t.Errorf("call %d failed with the refused one: %v", i, o.err)
			case i != 3:
				made = append(made, o.sig)
			}
		}
		checkPledgeLog(t, s, made)
		if n := auditCount(t, s, "pledge.sign"); n != len(made) {
			t.Errorf("%d pledge.sign audit entries, want %d", n, len(made))
		}
	})
}

// TestSignStorm: many employees signing at once, some of them twice, share
// transactions (fewer than calls) and each gets one signature, all in the
// log.
func TestSignStorm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustBatchWorld(t, s)
		b0, r0 := s.SignBatchStats()
		var wg sync.WaitGroup
		out := make([]signOutcome, 3*len(w.teachers))
		for i := range out {
			e := w.teachers[i%len(w.teachers)]
			wg.Go(func() {
				sig, err := s.SignPledge(employeeCtx(e, w.city), w.camp.ID, e.Name)
				out[i] = signOutcome{sig: sig, err: err}
			})
		}
		wg.Wait()
		byEmployee := map[int64]*netra.PledgeSignature{}
		for i, o := range out {
			if o.err != nil {
				t.Fatalf("call %d: %v", i, o.err)
			}
			if first := byEmployee[o.sig.EmployeeID]; first == nil {
				byEmployee[o.sig.EmployeeID] = o.sig
			} else if first.ID != o.sig.ID {
				t.Errorf("employee %d has signatures %d and %d", o.sig.EmployeeID, first.ID, o.sig.ID)
			}
		}
		var made []*netra.PledgeSignature
		for _, sig := range byEmployee {
			made = append(made, sig)
		}
		checkPledgeLog(t, s, made)
		b1, r1 := s.SignBatchStats()
		t.Logf("%d calls, %d queued, in %d transactions", len(out), r1-r0, b1-b0)
	})
}

// BenchmarkSignBatch measures what one batch of 64 signatures costs the
// writer (no HTTP), on each engine: ns/op is per batch; it also reports µs
// per signature.
func BenchmarkSignBatch(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) { benchSignBatch(b, e.Open(b)) })
	}
}

func benchSignBatch(b *testing.B, s *store.Store) {
	s.SetClock(netra.NewManualClock(pledgeStart))
	var city *netra.Tenant
	for _, code := range []string{"00", "62", "62.71"} {
		city = &netra.Tenant{Code: code, Name: "Pemerintah " + code}
		if err := s.CreateTenant(sys(), city); err != nil {
			b.Fatal(err)
		}
	}
	unit := &netra.OrgUnit{TenantID: city.ID, Type: netra.UnitDinas, Code: "DISDIK", Name: "Dinas Pendidikan"}
	if err := s.CreateUnit(sys(), unit); err != nil {
		b.Fatal(err)
	}
	tpls, err := s.InstallShippedPledges(sys(), city.ID)
	if err != nil {
		b.Fatal(err)
	}
	var emps []*netra.Employee
	for i := range 64 {
		em := &netra.Employee{NIP: fmt.Sprintf("19900113201903%d%03d", 1+i%2, 100+i), Name: fmt.Sprintf("Guru %d", i), Type: netra.PNS,
			Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: unit.ID}
		if err := s.CreateEmployee(sys(), em); err != nil {
			b.Fatal(err)
		}
		emps = append(emps, em)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[0].ID, TemplateVersion: 1, ElectionID: 2,
			Title: "Ikrar", Opens: pledgeOpens, Closes: pledgeCloses}
		if err := s.CreatePledgeCampaign(sys(), c); err != nil {
			b.Fatal(err)
		}
		if _, err := s.LaunchPledgeCampaign(sys(), c.ID); err != nil {
			b.Fatal(err)
		}
		release := store.HoldSignaturesForTest(s)
		var wg sync.WaitGroup
		for _, em := range emps {
			wg.Go(func() {
				if _, err := s.SignPledge(employeeCtx(em, city), c.ID, em.Name); err != nil {
					b.Error(err)
				}
			})
		}
		for store.QueuedSignaturesForTest(s) < len(emps) {
			time.Sleep(100 * time.Microsecond)
		}
		b.StartTimer()
		release()
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(emps)), "µs/signature")
}
