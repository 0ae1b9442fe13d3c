package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestVerifyPledgeCode: anyone, with no account, learns from a code the
// status, campaign, time and a masked identity — never the full NIP, the
// unit or the position; a code nobody has is unknown.
func TestVerifyPledgeCode(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t)
			s := openURL(t, url)
			w := mustPledgeWorld(t, s)
			ctx := context.Background() // no actor: the public
			sig, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "Budi Santoso")
			if err != nil {
				t.Fatal(err)
			}
			before := auditCount(t, s, "")
			typed := strings.ToLower(netra.FormatPledgeCode(sig.Code))
			v, err := s.VerifyPledgeCode(ctx, typed)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != netra.PledgeValid || v.Name != "Budi Santoso" || v.MaskedNIP != "1986**********1001" ||
				v.CampaignTitle != w.camp.Title || !v.SignedAt.Equal(pledgeStart) || v.TenantName != "Kota Palangka Raya" ||
				v.Method != netra.PledgeOnline || v.Code != netra.FormatPledgeCode(sig.Code) || v.LeafIndex != 0 || v.RecordHash != sig.RecordHash {
				t.Fatalf("verification %+v", v)
			}
			shown := fmt.Sprintf("%+v", *v)
			for _, secret := range []string{w.budi.NIP, "Sekretariat Daerah", "Pelaksana", "pelaksana", "19860926"} {
				if strings.Contains(shown, secret) {
					t.Errorf("the public verification shows %q: %s", secret, shown)
				}
			}
			if after := auditCount(t, s, ""); after != before {
				t.Errorf("a public verification wrote %d audit entries", after-before)
			}
			for _, code := range []string{"0000-0000-00", "bukan kode", "", strings.Repeat("Z", 500)} {
				if v, err := s.VerifyPledgeCode(ctx, code); err != nil || v.Status != netra.PledgeUnknown || len(v.Code) > 40 {
					t.Errorf("%q: %+v %v", code, v, err)
				}
			}

			// Someone who can write the database but has no key changes the
			// stored record: the code now verifies as invalid.
			db := rawDB(t, url)
			if e.Name == "sqlite" {
				mustExec(t, db, `DROP TRIGGER pledge_signatures_no_update`)
			} else {
				mustExec(t, db, `ALTER TABLE pledge_signatures DISABLE TRIGGER USER`)
			}
			forged := strings.Replace(string(sig.Record), "Budi Santoso", "Budi Santosa", 1)
			mustExec(t, db, `UPDATE pledge_signatures SET record = '`+forged+`' WHERE id = `+itoa(sig.ID))
			if v, _ := s.VerifyPledgeCode(ctx, sig.Code); v.Status != netra.PledgeInvalid || v.Reason.ID == "" {
				t.Errorf("an altered record: %+v", v)
			}
			mustExec(t, db, `UPDATE pledge_signatures SET record_hash = '`+signlog.RecordHash([]byte(forged)).String()+`' WHERE id = `+itoa(sig.ID))
			if v, _ := s.VerifyPledgeCode(ctx, sig.Code); v.Status != netra.PledgeInvalid || !strings.Contains(v.Reason.EN, "signature") {
				t.Errorf("an altered record with its hash: %+v", v)
			}
			mustExec(t, db, `UPDATE pledge_signatures SET record = '`+string(sig.Record)+`', record_hash = '`+sig.RecordHash+`' WHERE id = `+itoa(sig.ID))
			if v, _ := s.VerifyPledgeCode(ctx, sig.Code); v.Status != netra.PledgeValid {
				t.Fatalf("restored: %+v", v)
			}
		})
	}
}

// TestPledgeLogTruncation: a log cut back to drop a signature makes its
// code invalid, and the certificate issued before no longer checks against
// the checkpoints the shortened log gets.
func TestPledgeLogTruncation(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t)
			s := openURL(t, url)
			w := mustPledgeWorld(t, s)
			ctx := context.Background()
			if _, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "Budi Santoso"); err != nil {
				t.Fatal(err)
			}
			sitiCtx := employeeCtx(w.siti, w.city)
			siti, err := s.SignPledge(sitiCtx, w.camp.ID, "Siti Aminah")
			if err != nil {
				t.Fatal(err)
			}
			bundle, err := s.PledgeBundle(sitiCtx, siti.ID)
			if err != nil || bundle.TreeSize != 2 || bundle.LeafIndex != 1 {
				t.Fatalf("bundle %+v %v", bundle, err)
			}
			db := rawDB(t, url)
			mustExec(t, db, `DELETE FROM signlog_hashes WHERE idx >= 1 AND log_id = (SELECT id FROM signlogs WHERE name = 'pledge/62.71')`,
				`UPDATE signlogs SET size = 1 WHERE name = 'pledge/62.71'`)
			if v, _ := s.VerifyPledgeCode(ctx, siti.Code); v.Status != netra.PledgeInvalid {
				t.Errorf("a signature cut from the log: %+v", v)
			}
			cp, err := s.MakeCheckpoint(ctx, "pledge/62.71")
			if err != nil || cp.Size != 1 {
				t.Fatalf("checkpoint of the cut log %+v %v", cp, err)
			}
			keys, _ := s.LogVerifierKeys(ctx, "pledge/62.71")
			_, err = signlog.VerifyPledgeBundle(bundle, keys, cp.Note, netra.PledgeClaim{})
			var p *signlog.Problem
			if !errors.As(err, &p) || p.Reason != signlog.NotInLog {
				t.Fatalf("the old certificate against the cut log: %v", err)
			}
			if _, err := s.PledgeBundle(sitiCtx, siti.ID); err == nil {
				t.Error("a bundle was made for a signature the log no longer holds")
			}
		})
	}
}

// TestPledgeKeyRotation: after the city's key is rotated, signatures made
// with the old key, and their certificates, still verify; new ones use the
// new key; both keys are published; only a super admin rotates.
func TestPledgeKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		ctx := context.Background()
		budiCtx := employeeCtx(w.budi, w.city)
		old, err := s.SignPledge(budiCtx, w.camp.ID, "Budi Santoso")
		if err != nil {
			t.Fatal(err)
		}
		oldBundle, err := s.PledgeBundle(budiCtx, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RotateLogKey(as(s, t, netra.RoleTenantAdmin, w.city, nil), "pledge/62.71"); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("a city admin rotated the key: %v", err)
		}
		vkey, err := s.RotateLogKey(sys(), "pledge/62.71")
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := s.SignPledge(employeeCtx(w.siti, w.city), w.camp.ID, "Siti Aminah")
		if err != nil {
			t.Fatal(err)
		}
		if fresh.KeyID != signlog.KeyID(vkey) || fresh.KeyID == old.KeyID {
			t.Fatalf("keys: old %s, new %s, rotated to %s", old.KeyID, fresh.KeyID, signlog.KeyID(vkey))
		}
		keys, err := s.LogVerifierKeys(ctx, "pledge/62.71")
		if err != nil || len(keys) != 2 {
			t.Fatalf("published keys %v %v", keys, err)
		}
		if _, err := signlog.VerifyPledgeBundle(oldBundle, keys, nil, netra.PledgeClaim{}); err != nil {
			t.Errorf("the certificate issued before the rotation: %v", err)
		}
		c := checkBundle(t, s, budiCtx, old) // a new bundle: the old record, a checkpoint by the new key
		if c.KeyID != old.KeyID || c.Checkpoint.Size != 2 {
			t.Errorf("renewed bundle %+v", c)
		}
		checkBundle(t, s, sys(), fresh)
		for _, code := range []string{old.Code, fresh.Code} {
			if v, err := s.VerifyPledgeCode(ctx, code); err != nil || v.Status != netra.PledgeValid {
				t.Errorf("%s after rotation: %+v %v", code, v, err)
			}
		}
	})
}
