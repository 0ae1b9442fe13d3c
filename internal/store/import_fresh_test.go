package store_test

import (
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestFirstLoadLinksAcrossBatches imports into an empty registry, where the
// importer probes only the rows its filter of written identifiers may hold:
// a person's two records in different batches must still be one person, an
// unrelated row must stay apart, and once someone else writes a record the
// import probes every row again and links to it.
func TestFirstLoadLinksAcrossBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		ctx := sys()
		im := &netra.Import{TenantID: w.city.ID, Filename: "siasn.csv", BlobKey: "imports/siasn.csv", SHA256: "00"}
		if err := s.CreateImport(ctx, im, nil); err != nil {
			t.Fatal(err)
		}
		imp, err := s.NewImporter(ctx, im)
		if err != nil {
			t.Fatal(err)
		}
		if !imp.FirstLoadForTest() {
			t.Fatal("an import on an empty registry is not taken for a first load")
		}
		line := int64(1)
		row := func(nip, nik, pnsID, name string, typ netra.EmploymentType, gol netra.Golongan) store.ImportRow {
			e := netra.Employee{NIP: nip, NIK: nik, PNSID: pnsID, Name: name, Type: typ, Golongan: gol,
				PositionType: netra.Pelaksana, UnitID: w.setda.ID}
			if err := e.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
			line++
			return store.ImportRow{Line: line, Employee: e, UnitCode: "SETDA"}
		}
		write := func(rows ...store.ImportRow) {
			t.Helper()
			if err := imp.Write(ctx, rows, nil, line, int64(len(rows))); err != nil {
				t.Fatal(err)
			}
		}
		// A PPPK's two NI PPPKs in two batches, one linked by NIK and one by
		// PNS_ID; an unrelated PNS in between.
		write(row("198609262019011001", "6271012609860001", "", "Budi Santoso", netra.PPPK, "IX"))
		write(row("198703152010011002", "6271015503870003", "", "Siti Aminah", netra.PNS, "III/a"),
			row("198609262021011003", "6271012609860001", "8AE4", "Budi Santoso", netra.PPPK, "IX"))
		write(row("198609262022011004", "", "8AE4", "Budi Santoso", netra.PPPK, "IX"))
		if !imp.FirstLoadForTest() {
			t.Fatal("the import's own rows ended its first load")
		}
		if err := imp.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		// Someone else writes a record between two batches: the import must
		// probe again, and its next row must find that record's person.
		manual := &netra.Employee{NIP: "199001012015032005", NIK: "6271014101900002", Name: "Rina Wati", Type: netra.PNS,
			Golongan: "III/b", PositionType: netra.Pelaksana, UnitID: w.setda.ID}
		if err := s.CreateEmployee(sys(), manual); err != nil {
			t.Fatal(err)
		}
		write(row("199001012016032006", "6271014101900002", "", "Rina Wati", netra.PPPK, "IX"))
		if imp.FirstLoadForTest() {
			t.Fatal("a record written by another writer left the first load on")
		}
		if err := imp.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		budi := findOne(t, s, "198609262019011001").PersonID
		for _, nip := range []string{"198609262021011003", "198609262022011004"} {
			if p := findOne(t, s, nip).PersonID; p != budi || p == 0 {
				t.Fatalf("%s: person %d, want %d (the first record's)", nip, p, budi)
			}
		}
		if p := findOne(t, s, "198703152010011002").PersonID; p == budi || p == 0 {
			t.Fatalf("an unrelated record: person %d (Budi is %d)", p, budi)
		}
		if p := findOne(t, s, "199001012016032006").PersonID; p != manual.PersonID || p == 0 {
			t.Fatalf("after another writer: person %d, want the manual record's %d", p, manual.PersonID)
		}
	})
}

// TestImportCommitsForAWaitingWriter: on SQLite an import keeps one
// transaction open across batches, and must commit after the batch at hand
// as soon as another writer waits for the connection, not CommitEvery later.
func TestImportCommitsForAWaitingWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.SQLite {
			t.Skip("PostgreSQL commits every batch")
		}
		w := mustWorld(t, s)
		ctx := sys()
		im := &netra.Import{TenantID: w.city.ID, Filename: "a.csv", BlobKey: "imports/a.csv", SHA256: "00"}
		if err := s.CreateImport(ctx, im, nil); err != nil {
			t.Fatal(err)
		}
		imp, err := s.NewImporter(ctx, im)
		if err != nil {
			t.Fatal(err)
		}
		row := func(line int64, nip string) []store.ImportRow {
			e := netra.Employee{NIP: nip, Name: "Pegawai " + nip[14:], Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.setda.ID}
			if err := e.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
			return []store.ImportRow{{Line: line, Employee: e, UnitCode: "SETDA"}}
		}
		if err := imp.Write(ctx, row(2, "198001012005011001"), nil, 1, 1); err != nil {
			t.Fatal(err)
		}
		if !imp.OpenForTest() {
			t.Fatal("one small batch committed at once: the test shows nothing")
		}
		before := store.WriterWaitsForTest(s)
		done := make(chan error, 1)
		go func() {
			done <- s.CreateEmployee(sys(), &netra.Employee{NIP: "198001012005011009", Name: "Pegawai Lain", Type: netra.PNS,
				Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.setda.ID})
		}()
		for store.WriterWaitsForTest(s) == before {
			select {
			case err := <-done:
				t.Fatalf("the other writer did not wait for the import's transaction: %v", err)
			case <-time.After(time.Millisecond):
			}
		}
		if err := imp.Write(ctx, row(3, "198001012005011002"), nil, 2, 1); err != nil {
			t.Fatal(err)
		}
		if imp.OpenForTest() {
			t.Fatal("the import kept its transaction open while another writer waited")
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
