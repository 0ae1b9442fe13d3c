package store_test

import (
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestImportedMovesClosePositions: an import that moves a stored employee,
// and a confirmed transfer, keep the position left behind as an edit does,
// so the chain of superiors stays right for the past; a new row writes no
// position.
func TestImportedMovesClosePositions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		at(s, "2024-01-15")
		kabid := mustEmployee(t, s, w.bidSD.ID, "198003032005011001", "Budi Kabid")
		guru := mustEmployee(t, s, w.bidSD.ID, "199004042015032001", "Siti Guru")
		mustPlace(t, s, kabid, true, "2021-01-01")

		at(s, "2024-10-15")
		row := *kabid
		row.ID, row.UnitID, row.Head, row.PositionDate = 0, w.setda.ID, false, day("2024-10-01")
		fresh := netra.Employee{NIP: "199105052019031001", Name: "Andi Baru", Type: netra.PNS, Golongan: "III/a",
			PositionType: netra.Pelaksana, UnitID: w.setda.ID}
		for _, r := range []*netra.Employee{&row, &fresh} {
			if err := r.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		importRows(t, s, w.city, store.ImportRow{Employee: row, UnitCode: "SETDA"}, store.ImportRow{Employee: fresh, UnitCode: "SETDA"})
		as, err := s.Assignments(sys(), kabid.ID)
		if err != nil || len(as) != 1 {
			t.Fatalf("assignments after the imported move: %+v %v", as, err)
		}
		if a := as[0]; a.UnitID != w.bidSD.ID || !a.Head || dateString(a.Start) != "2021-01-01" || dateString(a.End) != "2024-09-30" {
			t.Errorf("closed assignment: %+v", a)
		}
		if got, want := chain(t, s, guru, "2024-06-01"), "Budi Kabid(definitive)"; len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("guru's chain before the move: %s", got)
		}
		nf := findOne(t, s, fresh.NIP)
		if as, err := s.Assignments(sys(), nf.ID); err != nil || len(as) != 0 {
			t.Errorf("a new row wrote positions: %+v %v", as, err)
		}

		// Tarakan asks for the Kabid; Palangka Raya confirms: his Setda
		// post is kept with the day before the transfer as its end.
		at(s, "2025-03-10")
		mv := row
		mv.UnitID, mv.PositionDate = w.otherUnit.ID, time.Time{}
		importRows(t, s, w.other, store.ImportRow{Employee: mv, UnitCode: "SETDA"})
		out, err := s.Transfers(sys(), w.city.ID, false, store.TransferPending)
		if err != nil || len(out) != 1 {
			t.Fatalf("pending transfers: %+v %v", out, err)
		}
		if err := s.ConfirmTransfer(sys(), out[0].ID); err != nil {
			t.Fatal(err)
		}
		as, err = s.Assignments(sys(), kabid.ID)
		if err != nil || len(as) != 2 {
			t.Fatalf("assignments after the transfer: %+v %v", as, err)
		}
		var setda *netra.Assignment
		for i := range as {
			if as[i].UnitID == w.setda.ID {
				setda = &as[i]
			}
		}
		if setda == nil || setda.TenantID != w.city.ID || dateString(setda.Start) != "2024-10-01" || dateString(setda.End) != "2025-03-09" {
			t.Errorf("the Setda post was not kept: %+v", as)
		}
	})
}
