package store_test

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// checkRegistry compares the SIASN fields of got with want.
func checkRegistry(t *testing.T, what string, got, want *netra.Employee) {
	t.Helper()
	type reg struct {
		NIK, PNSID, OldNIP, BirthPlace, OtherEmail, Eselon, Education, RankDate, PositionDate string
		Head                                                                                  bool
		Status                                                                                netra.EmployeeStatus
	}
	f := func(e *netra.Employee) reg {
		return reg{e.NIK, e.PNSID, e.OldNIP, e.BirthPlace, e.OtherEmail, e.Eselon, e.Education,
			e.RankDate.Format(time.DateOnly), e.PositionDate.Format(time.DateOnly), e.Head, e.Status}
	}
	if g, w := f(got), f(want); g != w {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, g, w)
	}
	if got.PersonID == 0 {
		t.Fatalf("%s: no person linked", what)
	}
}

func importRows(t *testing.T, s *store.Store, tenant *netra.Tenant, rows ...store.ImportRow) *netra.Import {
	t.Helper()
	ctx := sys()
	im := &netra.Import{TenantID: tenant.ID, Filename: "siasn.csv", BlobKey: "imports/siasn.csv", SHA256: "00"}
	if err := s.CreateImport(ctx, im, nil); err != nil {
		t.Fatal(err)
	}
	imp, err := s.NewImporter(ctx, im)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].Line = int64(i + 2)
	}
	if err := imp.Write(ctx, rows, nil, 1, int64(len(rows))); err != nil {
		t.Fatal(err)
	}
	if err := imp.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return im
}

func TestRegistryFieldsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		e := &netra.Employee{NIP: "198609262015051001", Name: "Budi Santoso", Type: netra.PNS, Golongan: "III/c",
			PositionType: netra.Administrator, PositionName: "Kepala Bagian Umum", UnitID: w.setda.ID,
			Email: "budi@palangkaraya.go.id", OtherEmail: "Budi.S@Gmail.com", NIK: "6271 0126 0986 0001",
			PNSID: "A8ACA7A3F1B73912E040640A040269BB", OldNIP: "", BirthPlace: "  Palangka   Raya ",
			Eselon: "III.a", Education: "S-1/Sarjana", RankDate: day("2019-04-01"), PositionDate: day("2021-01-04"),
			Head: true, Status: netra.StatusCLTN}
		if err := s.CreateEmployee(sys(), e); err != nil {
			t.Fatal(err)
		}
		want := *e
		want.NIK, want.OtherEmail, want.BirthPlace = "6271012609860001", "budi.s@gmail.com", "Palangka Raya"
		got, err := s.Employee(sys(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkRegistry(t, "created", got, &want)

		nik, pnsID, old, place, other := "6271012609860002", "B1", "130123456", "Sampit", "budi@yahoo.co.id"
		es, edu, head := "II.b", "S-2", false
		// Leaving the head post is a new position (position.go): with its TMT.
		rank, pos := day("2023-10-01"), day("2024-07-01")
		status := netra.StatusStudyLeave
		if _, err := s.UpdateEmployee(sys(), e.ID, store.EmployeeUpdate{NIK: &nik, PNSID: &pnsID, OldNIP: &old,
			BirthPlace: &place, OtherEmail: &other, Eselon: &es, Education: &edu, RankDate: &rank, PositionDate: &pos,
			Head: &head, Status: &status}); err != nil {
			t.Fatal(err)
		}
		want = netra.Employee{NIK: nik, PNSID: pnsID, OldNIP: old, BirthPlace: place, OtherEmail: other, Eselon: es,
			Education: edu, RankDate: rank, PositionDate: pos, Head: false, Status: status}
		got, err = s.Employee(sys(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkRegistry(t, "updated", got, &want)
		if page, err := s.Employees(sys(), netra.EmployeeFilter{Search: "130 123 456"}); err != nil || len(page.Employees) != 1 || page.Employees[0].ID != e.ID {
			t.Fatalf("search by NIP lama: %+v %v", page, err)
		}
		h, err := s.EmployeeHistory(sys(), e.ID)
		if err != nil || len(h) != 1 {
			t.Fatalf("history %v %v", h, err)
		}
		for _, f := range []string{"nik", "pns_id", "nip_lama", "birth_place", "other_email", "eselon", "education",
			"rank_date", "position_date", "head", "status"} {
			if _, ok := h[0].Changes[f]; !ok {
				t.Errorf("history lacks %s: %v", f, h[0].Changes)
			}
		}

		// Bad values are refused and change nothing.
		for name, up := range map[string]store.EmployeeUpdate{
			"short NIK":    {NIK: ptr("62710126098600")},
			"letters NIK":  {NIK: ptr("627101260986000A")},
			"old NIP":      {OldNIP: ptr("1301234")},
			"other e-mail": {OtherEmail: ptr("budi@")},
			"TMT":          {PositionDate: ptr(day("1901-01-01"))},
		} {
			if _, err := s.UpdateEmployee(sys(), e.ID, up); err == nil {
				t.Errorf("%s accepted", name)
			}
		}
		if got, _ := s.Employee(sys(), e.ID); got.NIK != nik || got.OldNIP != old {
			t.Fatalf("refused update changed the record: %+v", got)
		}

		// An import stores every field, and a second import of the same
		// rows changes nothing.
		row := netra.Employee{NIP: "198703152010011002", Name: "Siti Aminah", Type: netra.PNS, Golongan: "IV/a",
			PositionType: netra.JPTPratama, PositionName: "Kepala Dinas Pendidikan", Email: "siti@palangkaraya.go.id",
			OtherEmail: "siti@gmail.com", NIK: "6271015503870003", PNSID: "C3", OldNIP: "130999888",
			BirthPlace: "Banjarmasin", Eselon: "II.b", Education: "S-2/Magister", RankDate: day("2020-04-01"),
			PositionDate: day("2022-06-15"), Head: true, Status: netra.StatusPreRetirement}
		for i := 0; i < 2; i++ {
			r := row
			r.UnitID = w.disdik.ID // the importer resolves it again from the code
			if err := r.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
			im := importRows(t, s, w.city, store.ImportRow{Employee: r, UnitCode: "DISDIK"})
			got, err := s.Import(sys(), im.ID)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && got.Inserted != 1 || i == 1 && got.Unchanged != 1 {
				t.Fatalf("import %d: %+v", i, got)
			}
		}
		page, err := s.Employees(sys(), netra.EmployeeFilter{Search: "198703152010011002"})
		if err != nil || len(page.Employees) != 1 {
			t.Fatalf("imported employee: %+v %v", page, err)
		}
		checkRegistry(t, "imported", &page.Employees[0], &row)
		// An older layout without the SIASN columns keeps the identifiers;
		// a corrected NIK replaces the old one, which still finds her.
		bare := row
		bare.NIK, bare.PNSID, bare.OldNIP, bare.BirthPlace = "", "", "", ""
		importRows(t, s, w.city, store.ImportRow{Employee: bare, UnitCode: "DISDIK"})
		if got := findOne(t, s, row.NIP); got.NIK != row.NIK || got.PNSID != row.PNSID || got.OldNIP != row.OldNIP || got.BirthPlace != row.BirthPlace {
			t.Fatalf("a file without the SIASN columns erased them: %+v", got)
		}
		fixed := row
		fixed.NIK = "6271015503870009"
		importRows(t, s, w.city, store.ImportRow{Employee: fixed, UnitCode: "DISDIK"})
		for _, q := range []string{row.NIK, fixed.NIK} {
			if got := findOne(t, s, row.NIP); got.NIK != fixed.NIK {
				t.Fatalf("corrected NIK not stored: %+v", got)
			}
			page, err := s.Employees(sys(), netra.EmployeeFilter{Search: q})
			if err != nil || len(page.Employees) != 1 || page.Employees[0].NIP != row.NIP {
				t.Fatalf("search by NIK %s after the correction: %+v %v", q, page, err)
			}
		}
		persons, err := store.CountPersons(s)
		if err != nil {
			t.Fatal(err)
		}
		if persons != 2 {
			t.Fatalf("%d persons after a re-import, want 2 (no strays)", persons)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestOnePersonAcrossIdentifiers follows one person from honorer (NIK only)
// to PPPK to PNS in one city, with a second NI PPPK at another government,
// and checks that all records stay one person, that a search by any
// identifier finds them, and that the search keeps to the actor's scope.
func TestOnePersonAcrossIdentifiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		const nik = "6271012609860001"
		honorer := &netra.Employee{NIP: nik, Name: "Budi Santoso", Type: netra.NonASN, PositionType: netra.Pelaksana,
			UnitID: w.setda.ID, Status: netra.StatusMovedOut}
		if err := s.CreateEmployee(sys(), honorer); err != nil {
			t.Fatal(err)
		}
		if honorer.NIK != nik || honorer.PersonID == 0 {
			t.Fatalf("honorer: NIK %q person %d", honorer.NIK, honorer.PersonID)
		}
		pppk := &netra.Employee{NIP: "198609262019011001", NIK: nik, Name: "Budi Santoso", Type: netra.PPPK, Golongan: "IX",
			PositionType: netra.Fungsional, UnitID: w.disdik.ID, Status: netra.StatusMovedOut}
		if err := s.CreateEmployee(sys(), pppk); err != nil {
			t.Fatal(err)
		}
		// The PNS record arrives by import, with its NIK and a PNS_ID.
		pnsRow := netra.Employee{NIP: "198609262024051001", NIK: nik, PNSID: "8AE483A84D2A11E2B5BE0242AC110002", Name: "Budi Santoso",
			Type: netra.CPNS, Golongan: "III/a", PositionType: netra.Pelaksana, Status: netra.StatusActive}
		// Another government takes him on as PPPK under a new NI PPPK; the
		// row knows him only by his PNS_ID and NIK.
		tarakanRow := netra.Employee{NIP: "198609262025011002", NIK: nik, Name: "Budi Santoso", Type: netra.PPPK,
			Golongan: "IX", PositionType: netra.Fungsional}
		// An unrelated person in the same batch stays apart.
		otherRow := netra.Employee{NIP: "198703152010011002", NIK: "6271015503870003", Name: "Siti Aminah", Type: netra.PNS,
			Golongan: "IV/a", PositionType: netra.JPTPratama}
		for _, r := range []*netra.Employee{&pnsRow, &tarakanRow, &otherRow} {
			r.UnitID = w.setda.ID // the importer resolves it again from the code
			if err := r.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		importRows(t, s, w.city, store.ImportRow{Employee: pnsRow, UnitCode: "DISDIK.SD"}, store.ImportRow{Employee: otherRow, UnitCode: "SETDA"})
		importRows(t, s, w.other, store.ImportRow{Employee: tarakanRow, UnitCode: "SETDA"})

		person := map[string]int64{}
		for _, nip := range []string{nik, pppk.NIP, pnsRow.NIP, tarakanRow.NIP, otherRow.NIP} {
			page, err := s.Employees(sys(), netra.EmployeeFilter{Search: nip})
			if err != nil || len(page.Employees) == 0 {
				t.Fatalf("search %s: %+v %v", nip, page, err)
			}
			for _, e := range page.Employees {
				if e.NIP == nip {
					person[nip] = e.PersonID
				}
			}
		}
		if p := person[nik]; p == 0 || person[pppk.NIP] != p || person[pnsRow.NIP] != p || person[tarakanRow.NIP] != p {
			t.Fatalf("records not one person: %v", person)
		}
		if person[otherRow.NIP] == person[nik] {
			t.Fatal("an unrelated employee joined the person")
		}

		nips := func(c context.Context, q string) []string {
			t.Helper()
			page, err := s.Employees(c, netra.EmployeeFilter{Search: q})
			if err != nil {
				t.Fatalf("search %s: %v", q, err)
			}
			var out []string
			for _, e := range page.Employees {
				out = append(out, e.NIP)
			}
			sort.Strings(out)
			return out
		}
		city := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		cityRecords := []string{nik, pppk.NIP, pnsRow.NIP}
		sort.Strings(cityRecords)
		// By NIK, by the old NI PPPK and by the PNS_ID the city admin finds
		// every record of the person in the city — and not the Tarakan one.
		for _, q := range []string{nik, "6271 0126 0986 0001", pppk.NIP, "8AE483A84D2A11E2B5BE0242AC110002", "8ae483a84d2a11e2b5be0242ac110002", tarakanRow.NIP} {
			if got := nips(city, q); !equal(got, cityRecords) {
				t.Errorf("city admin search %s: %v, want %v", q, got, cityRecords)
			}
		}
		tarakan := as(s, t, netra.RoleTenantAdmin, w.other, nil)
		if got := nips(tarakan, nik); !equal(got, []string{tarakanRow.NIP}) {
			t.Errorf("Tarakan admin search by NIK: %v", got)
		}
		if got := nips(tarakan, otherRow.NIK); len(got) != 0 {
			t.Errorf("Tarakan admin finds another city's employee by NIK: %v", got)
		}
		if got := nips(tarakan, otherRow.NIP); len(got) != 0 {
			t.Errorf("Tarakan admin finds another city's employee by NIP: %v", got)
		}
		// The NIP-prefix search still works, and a name search too.
		if got := nips(city, "19860926"); len(got) != 2 {
			t.Errorf("prefix search: %v", got)
		}
		if got := nips(city, "siti"); !equal(got, []string{otherRow.NIP}) {
			t.Errorf("name search: %v", got)
		}

		// A corrected NIK: the record keeps the person, and the old NIK
		// still finds it.
		siti := findOne(t, s, otherRow.NIP)
		newNIK := "6271015503870004"
		if _, err := s.UpdateEmployee(sys(), siti.ID, store.EmployeeUpdate{NIK: &newNIK}); err != nil {
			t.Fatal(err)
		}
		if got := nips(city, otherRow.NIK); !equal(got, []string{otherRow.NIP}) {
			t.Errorf("search by the replaced NIK: %v", got)
		}
		if got := findOne(t, s, otherRow.NIP); got.PersonID != siti.PersonID {
			t.Errorf("NIK correction moved the person: %d → %d", siti.PersonID, got.PersonID)
		}

		// The page's identifier history: every identifier of the person's
		// records in the actor's read scope; a record elsewhere only as
		// "another government's record", with its government and dates.
		history := func(c context.Context, nip string) map[string]int64 {
			t.Helper()
			rec, err := s.EmployeeRecord(c, findOne(t, s, nip).ID)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int64{}
			for _, i := range rec.Identifiers {
				if i.Kind == store.KindElsewhere && (i.Value != "" || i.EmployeeID != 0 || i.Since.IsZero()) {
					t.Errorf("a record elsewhere shows more than its government and dates: %+v", i)
				}
				k := i.Kind + ":" + i.Value
				if i.Kind == store.KindElsewhere {
					k += i.TenantName
				}
				kinds[k] = i.EmployeeID
			}
			return kinds
		}
		cityOwn := []string{"nik:" + nik, "ni_pppk:" + pppk.NIP, "nip:" + pnsRow.NIP, "pns_id:8AE483A84D2A11E2B5BE0242AC110002"}
		kinds := history(city, pnsRow.NIP)
		for _, k := range append(cityOwn, "elsewhere:Kota Tarakan") {
			if _, ok := kinds[k]; !ok {
				t.Errorf("city admin: identifier history lacks %s: %v", k, kinds)
			}
		}
		if _, ok := kinds["ni_pppk:"+tarakanRow.NIP]; ok || len(kinds) != len(cityOwn)+1 {
			t.Errorf("city admin sees Tarakan's numbers: %v", kinds)
		}
		// Tarakan's admin, on the Tarakan record, sees the city's records
		// as elsewhere (once per record) and none of their numbers.
		kinds = history(tarakan, tarakanRow.NIP)
		if _, ok := kinds["elsewhere:Kota Palangka Raya"]; !ok || kinds["ni_pppk:"+tarakanRow.NIP] == 0 {
			t.Errorf("Tarakan admin: %v", kinds)
		}
		for _, k := range cityOwn[1:] {
			if _, ok := kinds[k]; ok {
				t.Errorf("Tarakan admin sees the city's %s", k)
			}
		}
		// A super admin sees every number, linked.
		kinds = history(sys(), pnsRow.NIP)
		for _, k := range append(cityOwn, "ni_pppk:"+tarakanRow.NIP) {
			if kinds[k] == 0 {
				t.Errorf("super admin: %s missing or unlinked: %v", k, kinds)
			}
		}
		if len(kinds) != len(cityOwn)+1 {
			t.Errorf("super admin sees records as elsewhere: %v", kinds)
		}
		rec, err := s.EmployeeRecord(sys(), siti.ID)
		if err != nil {
			t.Fatal(err)
		}
		var past bool
		for _, i := range rec.Identifiers {
			if i.Kind == store.KindNIK && i.Value == otherRow.NIK && !i.Current && !i.Until.IsZero() {
				past = true
			}
		}
		if !past {
			t.Errorf("the replaced NIK is not in the history: %+v", rec.Identifiers)
		}
		if _, err := s.EmployeeRecord(tarakan, siti.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("Tarakan admin reads a city record: %v", err)
		}

		// Someone born on another day who carries the same NIK (a typo in
		// a file) is not merged into the person.
		typo := &netra.Employee{NIP: "199001012015031004", NIK: nik, Name: "Andi Wijaya", Type: netra.PNS, Golongan: "III/b",
			PositionType: netra.Pelaksana, UnitID: w.setda.ID}
		if err := s.CreateEmployee(sys(), typo); err != nil {
			t.Fatal(err)
		}
		if typo.PersonID == person[nik] {
			t.Fatal("a record born on another day joined the person by NIK alone")
		}

		// A record that learns its NIK later joins the person.
		late := &netra.Employee{NIP: "198609262010011003", Name: "Budi S.", Type: netra.PNS, Golongan: "III/b",
			PositionType: netra.Pelaksana, UnitID: w.setda.ID, Status: netra.StatusRetired}
		if err := s.CreateEmployee(sys(), late); err != nil {
			t.Fatal(err)
		}
		if late.PersonID == person[nik] {
			t.Fatal("linked without a shared identifier")
		}
		n := nik
		got, err := s.UpdateEmployee(sys(), late.ID, store.EmployeeUpdate{NIK: &n})
		if err != nil {
			t.Fatal(err)
		}
		if got.PersonID != person[nik] {
			t.Fatalf("a record with the person's NIK stays apart: %d, want %d", got.PersonID, person[nik])
		}
	})
}

func findOne(t *testing.T, s *store.Store, nip string) netra.Employee {
	t.Helper()
	page, err := s.Employees(sys(), netra.EmployeeFilter{Search: nip})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Employees {
		if e.NIP == nip {
			return e
		}
	}
	t.Fatalf("no employee %s", nip)
	return netra.Employee{}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
