package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// checkBundle fetches a signature's bundle and verifies it offline with
// the government's published keys only.
func checkBundle(t *testing.T, s *store.Store, ctx context.Context, sig *netra.PledgeSignature) *signlog.PledgeCheck {
	t.Helper()
	b, err := s.PledgeBundle(ctx, sig.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := netra.ParsePledgeRecord(sig.Record)
	keys, err := s.LogVerifierKeys(context.Background(), netra.PledgeLogName(rec.TenantCode))
	if err != nil {
		t.Fatal(err)
	}
	c, err := signlog.VerifyPledgeBundle(b, keys, nil, netra.PledgeClaim{Code: sig.Code, CampaignID: sig.CampaignID})
	if err != nil {
		t.Fatalf("bundle of signature %d does not verify: %v", sig.ID, err)
	}
	return c
}

// TestSignPledge: an employee signs once, with their name; the record
// snapshots their unit and position, is signed with the city's key, sits
// in the city's log, and verifies offline; signing again returns it.
func TestSignPledge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		ctx := context.Background()
		budi := employeeCtx(w.budi, w.city)
		_, err := s.SignPledge(budi, w.camp.ID, "Budi Santosa")
		if ve, ok := netra.AsValidation(err); !ok || !strings.Contains(ve.Fields["name"].ID, "Budi Santoso") {
			t.Fatalf("a wrong name: %v", err)
		}
		sig, err := s.SignPledge(budi, w.camp.ID, "  budi  SANTOSO ")
		if err != nil {
			t.Fatal(err)
		}
		if sig.Method != netra.PledgeOnline || sig.EmployeeID != w.budi.ID || sig.UnitID != w.setda.ID || sig.LeafIndex != 0 || len(sig.Code) != 10 {
			t.Fatalf("signature %+v", sig)
		}
		rec, err := netra.ParsePledgeRecord(sig.Record)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := s.PledgeTemplateText(sys(), w.tpl.ID, 1)
		if rec.NIP != w.budi.NIP || rec.Name != "Budi Santoso" || rec.UnitName != "Sekretariat Daerah" || rec.PositionType != netra.Pelaksana ||
			rec.TenantCode != "62.71" || rec.TenantName != "Kota Palangka Raya" || rec.TextSHA256 != text.SHA256 ||
			rec.Auth != netra.AuthEmployeeCode || !rec.SignedAt.Equal(pledgeStart) || rec.CampaignTitle != w.camp.Title {
			t.Fatalf("record %+v", rec)
		}
		if n, _ := s.LogSize(ctx, "pledge/62.71"); n != 1 {
			t.Fatalf("log size %d", n)
		}
		// Again, even by another spelling, even after the campaign closed.
		w.clock.Set(pledgeCloses.Add(time.Hour))
		again, err := s.SignPledge(budi, w.camp.ID, "Budi Santoso")
		if err != nil || again.ID != sig.ID || again.Code != sig.Code {
			t.Fatalf("signing again: %+v %v", again, err)
		}
		if n, _ := s.LogSize(ctx, "pledge/62.71"); n != 1 {
			t.Fatalf("signing again grew the log to %d", n)
		}
		if n := auditCount(t, s, "pledge.sign"); n != 1 {
			t.Fatalf("%d pledge.sign audit entries", n)
		}
		// The campaign is closed to whoever has not signed, and not yet open
		// before it opens.
		siti := employeeCtx(w.siti, w.city)
		if _, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah"); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("signed after closing: %v", err)
		}
		w.clock.Set(pledgeOpens.Add(-time.Millisecond))
		if _, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah"); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("signed before opening: %v", err)
		}
		w.clock.Set(pledgeOpens)
		sitiSig, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah")
		if err != nil || sitiSig.LeafIndex != 1 {
			t.Fatalf("signed at the opening moment: %+v %v", sitiSig, err)
		}

		// Moving after signing changes nothing signed.
		unit, pos := w.disdik.ID, "Kepala Bidang"
		if _, err := s.UpdateEmployee(sys(), w.budi.ID, store.EmployeeUpdate{UnitID: &unit, PositionName: &pos}); err != nil {
			t.Fatal(err)
		}
		stored, err := s.PledgeSignature(budi, sig.ID)
		if err != nil || stored.UnitID != w.setda.ID || !bytes.Equal(stored.Record, sig.Record) {
			t.Fatalf("stored after the move %+v %v", stored, err)
		}
		c := checkBundle(t, s, budi, sig)
		if c.Record.UnitName != "Sekretariat Daerah" || c.Checkpoint.Size != 2 {
			t.Fatalf("bundle %+v", c)
		}

		// Nobody signs for someone else: not an admin, not an admin who is
		// also someone's employee record, not another government's employee.
		for name, ctx := range map[string]context.Context{
			"city admin":  as(s, t, netra.RoleTenantAdmin, w.city, nil),
			"super admin": sys(),
			"admin holding an employee id": netra.WithActor(context.Background(), &netra.Actor{UserID: 5, EmployeeID: w.siti.ID,
				Grants: []netra.Grant{{Role: netra.RoleTenantAdmin, TenantID: w.city.ID, TenantPath: w.city.Path()}}}),
		} {
			if _, err := s.SignPledge(ctx, w.camp.ID, "Budi Santoso"); !errors.Is(err, netra.ErrForbidden) {
				t.Errorf("%s signed: %v", name, err)
			}
		}
		if _, err := s.SignPledge(employeeCtx(w.rina, w.other), w.camp.ID, "Rina Wati"); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's employee signed: %v", err)
		}
		// An employee no longer in service does not sign.
		w.clock.Set(pledgeStart)
		gone := mustEmployee(t, s, w.setda.ID, "197001012000031001", "Pensiunan")
		st := netra.StatusRetired
		if _, err := s.UpdateEmployee(sys(), gone.ID, store.EmployeeUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignPledge(employeeCtx(gone, w.city), w.camp.ID, "Pensiunan"); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("a retired employee signed: %v", err)
		}

		// Reading a signature: its signer and those whose duty.read or
		// duty.manage covers the signer's unit.
		for name, ctx := range map[string]context.Context{
			"leader":   as(s, t, netra.RoleLeader, w.city, nil),
			"province": as(s, t, netra.RoleAuditor, w.prov, nil),
			"admin":    as(s, t, netra.RoleTenantAdmin, w.city, nil),
		} {
			if _, err := s.PledgeSignature(ctx, sitiSig.ID); err != nil {
				t.Errorf("%s reads a signature: %v", name, err)
			}
		}
		for name, ctx := range map[string]context.Context{
			"another employee":        budi,
			"verifier":                as(s, t, netra.RoleVerifier, w.city, nil),
			"another unit's admin":    as(s, t, netra.RoleTenantAdmin, w.city, w.setda),
			"another city's admin":    as(s, t, netra.RoleTenantAdmin, w.other, nil),
			"another city's employee": employeeCtx(w.rina, w.other),
		} {
			if _, err := s.PledgeSignature(ctx, sitiSig.ID); !errors.Is(err, netra.ErrNotFound) {
				t.Errorf("%s reads Siti's signature: %v", name, err)
			}
			if _, err := s.PledgeBundle(ctx, sitiSig.ID); !errors.Is(err, netra.ErrNotFound) {
				t.Errorf("%s gets Siti's bundle: %v", name, err)
			}
		}
		if mine, err := s.MyPledge(siti, w.camp.ID); err != nil || mine.ID != sitiSig.ID {
			t.Errorf("MyPledge %+v %v", mine, err)
		}
	})
}

// TestSignPledgeConcurrently: many simultaneous signatures of one employee
// make one signature and one log record; of many employees, one each, all
// in the log.
func TestSignPledgeConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		var emps []*netra.Employee
		for i := range 6 {
			emps = append(emps, mustEmployee(t, s, w.bidSD.ID, fmt.Sprintf("19900113201903%d%03d", 1+i%2, 100+i), fmt.Sprintf("Guru %d", i)))
		}
		var wg sync.WaitGroup
		ids := make([]int64, 24)
		errs := make([]error, 24)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := w.budi
				if i%2 == 1 {
					e = emps[(i/2)%len(emps)]
				}
				sig, err := s.SignPledge(employeeCtx(e, w.city), w.camp.ID, e.Name)
				errs[i] = err
				if err == nil {
					ids[i] = sig.ID
				}
			}()
		}
		wg.Wait()
		budiIDs := map[int64]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			if i%2 == 0 {
				budiIDs[ids[i]] = true
			}
		}
		if len(budiIDs) != 1 {
			t.Fatalf("Budi has signatures %v", budiIDs)
		}
		n, err := s.LogSize(context.Background(), "pledge/62.71")
		if err != nil || n != 1+int64(len(emps)) {
			t.Fatalf("log size %d, want %d: %v", n, 1+len(emps), err)
		}
		for i, id := range ids {
			sig, err := s.PledgeSignature(sys(), id)
			if err != nil {
				t.Fatal(err)
			}
			if i < 2 {
				checkBundle(t, s, sys(), sig)
			}
		}
		if p, _, err := s.VerifyAudit(context.Background(), nil); err != nil || p != nil {
			t.Fatalf("audit chain after the storm: %+v %v", p, err)
		}
	})
}

// mustScan stores a scan in blob storage the way the pages will, and
// returns its reference.
func mustScan(t *testing.T, blobs blob.Store, content string) netra.PledgeScan {
	t.Helper()
	key := blob.PledgeScanKey(pledgeStart, "ikrar.PDF")
	if !strings.HasPrefix(key, "pledges/2024/09/10/") || !strings.HasSuffix(key, ".pdf") {
		t.Fatalf("key %s", key)
	}
	n, sum, err := blob.PutHashed(context.Background(), blobs, key, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return netra.PledgeScan{Key: key, SHA256: sum, Size: n}
}

// TestPaperAndCeremonyPledges: an operator records paper pledges and
// ceremonies for the employees of the units they manage, never for
// others; an employee records none; each official of a ceremony gets a
// record of their own.
func TestPaperAndCeremonyPledges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		blobs, err := blob.OpenDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		scan := mustScan(t, blobs, "%PDF-1.4 ikrar Siti")
		onPaper := time.Date(2024, 9, 9, 0, 0, 0, 0, time.UTC)
		disdikAdmin := as(s, t, netra.RoleTenantAdmin, w.city, w.disdik)
		for name, ctx := range map[string]context.Context{
			"employee":              employeeCtx(w.siti, w.city),
			"the signer themselves": employeeCtx(w.siti, w.city),
			"leader":                as(s, t, netra.RoleLeader, w.city, nil),
			"another unit's admin":  as(s, t, netra.RoleTenantAdmin, w.city, w.setda),
			"province admin":        as(s, t, netra.RoleTenantAdmin, w.prov, nil),
			"another city's admin":  as(s, t, netra.RoleTenantAdmin, w.other, nil),
		} {
			if _, err := s.RecordPaperPledge(ctx, w.camp.ID, w.siti.ID, scan, onPaper); !refused(err) {
				t.Errorf("%s recorded a paper pledge: %v", name, err)
			}
		}
		if _, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, scan, time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC)); err == nil {
			t.Error("a paper signed before the campaign opened was recorded")
		}
		if _, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, scan, pledgeStart.AddDate(0, 0, 1)); err == nil {
			t.Error("a paper dated tomorrow was recorded")
		}
		if _, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, netra.PledgeScan{Key: scan.Key, SHA256: "x"}, onPaper); err == nil {
			t.Error("a scan without its hash was recorded")
		}
		paper, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, scan, onPaper)
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := netra.ParsePledgeRecord(paper.Record)
		if paper.Method != netra.PledgePaper || rec.Method != netra.PledgePaper || rec.ScanSHA256 != scan.SHA256 || rec.OperatorID != 999 ||
			rec.Auth != netra.AuthOperatorRecorded || !rec.SignedOn.Equal(onPaper) || paper.Scan != scan {
			t.Fatalf("paper record %+v / %+v", rec, paper)
		}
		again, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, scan, onPaper)
		if err != nil || again.ID != paper.ID {
			t.Fatalf("the same scan again: %+v %v", again, err)
		}
		if _, err := s.RecordPaperPledge(disdikAdmin, w.camp.ID, w.siti.ID, mustScan(t, blobs, "another"), onPaper); !errors.Is(err, netra.ErrConflict) {
			t.Fatalf("another paper for a signer: %v", err)
		}
		// The employee who signed on paper finds it when they sign in.
		if got, err := s.SignPledge(employeeCtx(w.siti, w.city), w.camp.ID, "Siti Aminah"); err != nil || got.ID != paper.ID {
			t.Fatalf("online after paper: %+v %v", got, err)
		}
		checkBundle(t, s, disdikAdmin, paper)

		// A ceremony: Budi signed online before; the Kadis and the Sekda
		// sign at the ceremony.
		budiSig, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "Budi Santoso")
		if err != nil {
			t.Fatal(err)
		}
		kadis := mustEmployee(t, s, w.disdik.ID, "197505052000031002", "Kepala Dinas")
		sekda := mustEmployee(t, s, w.setda.ID, "197001012000031003", "Sekretaris Daerah")
		photo := mustScan(t, blobs, "JPEG foto upacara")
		cer := &netra.PledgeCeremony{CampaignID: w.camp.ID, HeldOn: time.Date(2024, 9, 4, 8, 0, 0, 0, time.UTC),
			Place: "Aula Kantor Wali Kota", Scan: photo}
		size := func() int64 { n, _ := s.LogSize(context.Background(), "pledge/62.71"); return n }
		before := size()
		// The Disdik admin does not cover the Sekda: nothing is recorded.
		if _, err := s.RecordCeremony(disdikAdmin, cer, []int64{kadis.ID, sekda.ID}); !refused(err) {
			t.Fatalf("a unit admin recorded a ceremony beyond the unit: %v", err)
		}
		if _, err := s.RecordCeremony(employeeCtx(w.budi, w.city), cer, []int64{kadis.ID}); !refused(err) {
			t.Fatalf("an employee recorded a ceremony: %v", err)
		}
		if size() != before || auditCount(t, s, "pledge.ceremony") != 0 {
			t.Fatal("a refused ceremony left records")
		}
		admin := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		if _, err := s.RecordCeremony(admin, cer, []int64{kadis.ID, kadis.ID}); err == nil {
			t.Fatal("an official listed twice")
		}
		sigs, err := s.RecordCeremony(admin, cer, []int64{kadis.ID, w.budi.ID, sekda.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(sigs) != 3 || sigs[1].ID != budiSig.ID || sigs[1].Method != netra.PledgeOnline || size() != before+2 {
			t.Fatalf("ceremony signatures %+v, log %d → %d", sigs, before, size())
		}
		for _, i := range []int{0, 2} {
			r, err := netra.ParsePledgeRecord(sigs[i].Record)
			if err != nil || r.Method != netra.PledgeAtCeremony || r.CeremonyID != cer.ID || r.CeremonyPlace != "Aula Kantor Wali Kota" ||
				r.ScanSHA256 != photo.SHA256 || !r.SignedOn.Equal(time.Date(2024, 9, 4, 0, 0, 0, 0, time.UTC)) || sigs[i].CeremonyID != cer.ID {
				t.Fatalf("ceremony record %d: %+v %v", i, r, err)
			}
			checkBundle(t, s, admin, &sigs[i])
		}
		if r, _ := netra.ParsePledgeRecord(sigs[0].Record); r.NIP != kadis.NIP {
			t.Fatal("records out of order")
		}
	})
}

// TestRevokePledge: a revocation needs a reason and duty.manage over the
// signer; it is a signed, logged record of its own; the code then verifies
// as revoked, and the employee may sign again.
func TestRevokePledge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		ctx := context.Background()
		siti := employeeCtx(w.siti, w.city)
		sig, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah")
		if err != nil {
			t.Fatal(err)
		}
		disdikAdmin := as(s, t, netra.RoleTenantAdmin, w.city, w.disdik)
		if _, err := s.RevokePledge(disdikAdmin, sig.ID, "   "); err == nil {
			t.Fatal("revoked without a reason")
		}
		for name, ctx := range map[string]context.Context{
			"the signer":           siti,
			"leader":               as(s, t, netra.RoleLeader, w.city, nil),
			"another unit's admin": as(s, t, netra.RoleTenantAdmin, w.city, w.setda),
			"another city's admin": as(s, t, netra.RoleTenantAdmin, w.other, nil),
		} {
			if _, err := s.RevokePledge(ctx, sig.ID, "salah"); !refused(err) {
				t.Errorf("%s revoked: %v", name, err)
			}
		}
		rv, err := s.RevokePledge(disdikAdmin, sig.ID, "Ditandatangani karena salah pilih akun")
		if err != nil {
			t.Fatal(err)
		}
		rr, err := netra.ParsePledgeRevocation(rv.Record)
		if err != nil || rr.SignatureID != sig.ID || rr.SignatureHash != sig.RecordHash || rr.SignatureCode != sig.Code ||
			rr.Reason != "Ditandatangani karena salah pilih akun" || rr.RevokedByID != 999 || rv.LeafIndex != 1 {
			t.Fatalf("revocation %+v %v", rr, err)
		}
		keys, _ := s.LogVerifierKeys(ctx, "pledge/62.71")
		ok := false
		for _, k := range keys {
			if signlog.KeyID(k) == rv.KeyID {
				ok, _ = signlog.VerifyData(k, rv.Record, rv.Signature)
			}
		}
		if !ok || rv.RecordHash != signlog.RecordHash(rv.Record).String() {
			t.Fatal("the revocation is not signed by the city's key")
		}
		if _, err := s.RevokePledge(disdikAdmin, sig.ID, "lagi"); !errors.Is(err, netra.ErrConflict) {
			t.Fatalf("revoked twice: %v", err)
		}
		v, err := s.VerifyPledgeCode(ctx, sig.Code)
		if err != nil || v.Status != netra.PledgeRevoked || !v.RevokedAt.Equal(pledgeStart) {
			t.Fatalf("verification after revoking %+v %v", v, err)
		}
		// The bundle still verifies (the record was signed and logged); the
		// revocation is the online status.
		checkBundle(t, s, siti, sig)
		again, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah")
		if err != nil || again.ID == sig.ID || again.Code == sig.Code || again.LeafIndex != 2 {
			t.Fatalf("signing after the revocation: %+v %v", again, err)
		}
		if v, _ := s.VerifyPledgeCode(ctx, again.Code); v.Status != netra.PledgeValid {
			t.Fatalf("the new signature: %+v", v)
		}
		if n := auditCount(t, s, "pledge.revoke"); n != 1 {
			t.Fatalf("%d revoke audit entries", n)
		}
	})
}
