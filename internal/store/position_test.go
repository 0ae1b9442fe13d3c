package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// at sets the store's clock to noon WIB of a day.
func at(s *store.Store, d string) { s.SetClock(netra.NewManualClock(day(d).Add(5 * time.Hour))) }

func mustPlace(t *testing.T, s *store.Store, e *netra.Employee, head bool, date string) {
	t.Helper()
	if err := store.SetPlacementForTest(s, e.ID, head, date); err != nil {
		t.Fatal(err)
	}
}

func mustHolder(t *testing.T, s *store.Store, h *netra.OfficeHolder) {
	t.Helper()
	if err := s.CreateOfficeHolder(sys(), h); err != nil {
		t.Fatalf("office holder %s: %v", h.Name, err)
	}
}

// chain renders a chain of superiors as "name(kind)" steps, "-" for a vacant post.
func chain(t *testing.T, s *store.Store, e *netra.Employee, d string) string {
	t.Helper()
	sups, err := s.Superiors(sys(), e.ID, day(d).Add(5*time.Hour))
	if err != nil {
		t.Fatalf("superiors of %s on %s: %v", e.Name, d, err)
	}
	var parts []string
	for i, x := range sups {
		if x.Level != i+1 {
			t.Errorf("level %d at position %d", x.Level, i)
		}
		switch {
		case x.Vacant && x.Office != "":
			parts = append(parts, "-"+string(x.Office))
		case x.Vacant:
			parts = append(parts, "-"+x.UnitName)
		default:
			parts = append(parts, x.Name+"("+x.Kind+")")
		}
	}
	return strings.Join(parts, " > ")
}

// TestSuperiorsOverTime follows one city through a year: heads with their
// TMT, a head who moves away (the post falls vacant), a Plt who fills it, a
// Plh standing in for a head on leave, an employee who moves, a Pjs for a
// mayor on campaign leave and a Pj after the term. The chain of superiors
// at each date is what it was on that date, not what it is now.
func TestSuperiorsOverTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		at(s, "2024-01-15")
		sekda := mustEmployee(t, s, w.setda.ID, "197001012000031001", "Ahmad Sekda")
		kadis := mustEmployee(t, s, w.disdik.ID, "197502022000032001", "Rina Kadis")
		kabid := mustEmployee(t, s, w.bidSD.ID, "198003032005011001", "Budi Kabid")
		guru := mustEmployee(t, s, w.bidSD.ID, "199004042015032001", "Siti Guru")
		staf := mustEmployee(t, s, w.disdik.ID, "198505052010011001", "Joko Sekdis")
		mustPlace(t, s, sekda, true, "2019-05-01")
		mustPlace(t, s, kadis, true, "2020-01-01")
		mustPlace(t, s, kabid, true, "2021-01-01")
		mustHolder(t, s, &netra.OfficeHolder{TenantID: w.city.ID, Office: netra.OfficeSekda, Kind: netra.OfficeDefinitive,
			Name: "Ahmad Sekda", EmployeeID: sekda.ID, From: day("2019-05-01")})
		mustHolder(t, s, &netra.OfficeHolder{TenantID: w.city.ID, Office: netra.OfficePPK, Kind: netra.OfficeDefinitive,
			Name: "Fairid Wali Kota", Title: "Wali Kota Palangka Raya", From: day("2019-01-01"), To: day("2024-12-31")})
		mustHolder(t, s, &netra.OfficeHolder{TenantID: w.city.ID, Office: netra.OfficePPK, Kind: netra.OfficePjs,
			Name: "Hera Pjs", NIP: "197106061995032001", From: day("2024-09-25"), To: day("2024-11-23"), DecreeNumber: "100.2.1.3-4204"})
		mustHolder(t, s, &netra.OfficeHolder{TenantID: w.city.ID, Office: netra.OfficePPK, Kind: netra.OfficePj,
			Name: "Akhmad Pj", From: day("2025-01-01")})

		// The Sekda heads the Setda and is not listed twice; the guru's
		// chain runs through both units of Disdik.
		want := "Budi Kabid(definitive) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"
		if got := chain(t, s, guru, "2024-09-01"); got != want {
			t.Errorf("guru on 2024-09-01:\n got %s\nwant %s", got, want)
		}
		// A head's chain starts above their own post.
		if got, want := chain(t, s, kabid, "2024-09-01"), "Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("kabid on 2024-09-01:\n got %s\nwant %s", got, want)
		}
		// Before the head's TMT the post had no recorded holder.
		if got, want := chain(t, s, guru, "2020-06-01"), "-Bidang SD > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("guru on 2020-06-01:\n got %s\nwant %s", got, want)
		}

		// 15 October: the Kabid moves to the Setda; the record's move
		// closes his head position on the 14th.
		at(s, "2024-10-15")
		setda := w.setda.ID
		if _, err := s.UpdateEmployee(sys(), kabid.ID, store.EmployeeUpdate{UnitID: &setda}); err != nil {
			t.Fatal(err)
		}
		mustPlace(t, s, kabid, false, "2024-10-15") // TODO(merge): through UpdateEmployee once it writes Head
		as, err := s.Assignments(sys(), kabid.ID)
		if err != nil || len(as) != 1 {
			t.Fatalf("assignments after the move: %v %v", as, err)
		}
		if a := as[0]; a.UnitID != w.bidSD.ID || !a.Head || a.Kind != netra.Definitive || a.Source != netra.SourceSystem ||
			dateString(a.Start) != "2021-01-01" || dateString(a.End) != "2024-10-14" {
			t.Errorf("closed assignment: %+v", a)
		}
		// Two dates, two chains: the past is unchanged, the post is now
		// vacant (the next superior up is Kadis), and the Pjs stands in.
		if got := chain(t, s, guru, "2024-09-01"); got != want {
			t.Errorf("guru on 2024-09-01 after the move:\n got %s\nwant %s", got, want)
		}
		if got, want := chain(t, s, guru, "2024-11-01"), "-Bidang SD > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Hera Pjs(pjs)"; got != want {
			t.Errorf("guru on 2024-11-01:\n got %s\nwant %s", got, want)
		}
		// The Kabid's own chain on 2024-09-01 is still that of a head in Disdik.
		if got, want := chain(t, s, kabid, "2024-09-01"), "Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("kabid on 2024-09-01 after the move:\n got %s\nwant %s", got, want)
		}
		if got, want := chain(t, s, kabid, "2024-11-01"), "Ahmad Sekda(definitive) > Hera Pjs(pjs)"; got != want {
			t.Errorf("kabid on 2024-11-01:\n got %s\nwant %s", got, want)
		}

		// A Plt fills the vacancy from 10 November.
		at(s, "2024-11-08")
		plt := &netra.Assignment{EmployeeID: staf.ID, UnitID: w.bidSD.ID, Kind: netra.Plt, Start: day("2024-11-10"),
			DecreeNumber: "800/123/BKPSDM/2024", DecreeDate: day("2024-11-08")}
		if err := s.CreateAssignment(sys(), plt); err != nil {
			t.Fatal(err)
		}
		if got, want := chain(t, s, guru, "2024-11-15"), "Joko Sekdis(plt) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Hera Pjs(pjs)"; got != want {
			t.Errorf("guru on 2024-11-15:\n got %s\nwant %s", got, want)
		}
		// A Plh stands in for the Kadis on leave: he, not she, is the superior then.
		plh := &netra.Assignment{EmployeeID: sekda.ID, UnitID: w.disdik.ID, Kind: netra.Plh, Start: day("2024-12-01"), End: day("2024-12-10")}
		if err := s.CreateAssignment(sys(), plh); err != nil {
			t.Fatal(err)
		}
		if got, want := chain(t, s, guru, "2024-12-05"), "Joko Sekdis(plt) > Ahmad Sekda(plh) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("guru on 2024-12-05:\n got %s\nwant %s", got, want)
		}
		if got, want := chain(t, s, guru, "2024-12-11"), "Joko Sekdis(plt) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("guru on 2024-12-11:\n got %s\nwant %s", got, want)
		}
		// The Plt's own chain skips the post he holds.
		if got, want := chain(t, s, staf, "2024-11-15"), "Rina Kadis(definitive) > Ahmad Sekda(definitive) > Hera Pjs(pjs)"; got != want {
			t.Errorf("plt on 2024-11-15:\n got %s\nwant %s", got, want)
		}

		// The guru moves to the Setda on 10 January; a new Kabid is appointed from 1 March.
		at(s, "2025-01-10")
		if _, err := s.UpdateEmployee(sys(), guru.ID, store.EmployeeUpdate{UnitID: &setda}); err != nil {
			t.Fatal(err)
		}
		mustPlace(t, s, guru, false, "2025-01-10")
		baru := mustEmployee(t, s, w.bidSD.ID, "198807072012012001", "Dewi Kabid")
		mustPlace(t, s, baru, true, "2025-03-01")
		if got, want := chain(t, s, guru, "2024-12-11"), "Joko Sekdis(plt) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Fairid Wali Kota(definitive)"; got != want {
			t.Errorf("guru on 2024-12-11 after her move:\n got %s\nwant %s", got, want)
		}
		if got, want := chain(t, s, guru, "2025-02-01"), "Ahmad Sekda(definitive) > Akhmad Pj(pj)"; got != want {
			t.Errorf("guru on 2025-02-01:\n got %s\nwant %s", got, want)
		}
		// Dewi's TMT is 1 March: before it the Plt still holds the post.
		staff := mustEmployee(t, s, w.bidSD.ID, "199508082020121001", "Staf Baru")
		if got, want := chain(t, s, staff, "2025-02-01"), "Joko Sekdis(plt) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Akhmad Pj(pj)"; got != want {
			t.Errorf("new staff on 2025-02-01:\n got %s\nwant %s", got, want)
		}
		// From her TMT the definitive Kabid holds the post, though the
		// Plt's period was left open: the later appointment wins.
		if got, want := chain(t, s, staff, "2025-03-05"), "Dewi Kabid(definitive) > Rina Kadis(definitive) > Ahmad Sekda(definitive) > Akhmad Pj(pj)"; got != want {
			t.Errorf("new staff on 2025-03-05:\n got %s\nwant %s", got, want)
		}
	})
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// TestSuperiorsEmployeeLeavesService: a head who retires no longer heads
// the unit from the change on, but still did before it.
func TestSuperiorsEmployeeLeavesService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		at(s, "2024-01-15")
		kadis := mustEmployee(t, s, w.disdik.ID, "197502022000032001", "Rina Kadis")
		staf := mustEmployee(t, s, w.disdik.ID, "198505052010011001", "Joko Staf")
		mustPlace(t, s, kadis, true, "2020-01-01")
		at(s, "2024-07-01")
		retired := netra.StatusRetired
		if _, err := s.UpdateEmployee(sys(), kadis.ID, store.EmployeeUpdate{Status: &retired}); err != nil {
			t.Fatal(err)
		}
		if got := chain(t, s, staf, "2024-06-30"); !strings.HasPrefix(got, "Rina Kadis(definitive) > ") {
			t.Errorf("before retirement: %s", got)
		}
		if got := chain(t, s, staf, "2024-07-01"); !strings.HasPrefix(got, "-Dinas Pendidikan > -sekda > -ppk") {
			t.Errorf("after retirement: %s", got)
		}
	})
}

// TestAssignmentRules: what an assignment needs, and who may record one.
func TestAssignmentRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		at(s, "2024-11-01")
		a := mustEmployee(t, s, w.bidSD.ID, "198003032005011001", "Budi")
		b := mustEmployee(t, s, w.disdik.ID, "198505052010011001", "Joko")
		mustPlace(t, s, a, false, "2022-01-01")
		other := mustEmployee(t, s, w.otherUnit.ID, "199004042015032001", "Tarakan")
		field := func(err error) string {
			if ve, ok := netra.AsValidation(err); ok {
				for f := range ve.Fields {
					return f
				}
			}
			return ""
		}
		// A Plt needs its start; a past definitive position its end, before the current TMT.
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.bidSD.ID, Kind: netra.Plt}); field(err) != "start" {
			t.Errorf("Plt without a start: %v", err)
		}
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.disdik.ID, Kind: netra.Definitive,
			Start: day("2019-01-01")}); field(err) != "end" {
			t.Errorf("past definitive without an end: %v", err)
		}
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.disdik.ID, Kind: netra.Definitive,
			Start: day("2019-01-01"), End: day("2022-03-01")}); field(err) != "end" {
			t.Errorf("past definitive reaching into the current position: %v", err)
		}
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.disdik.ID, Kind: netra.Plt,
			Start: day("2024-01-02"), End: day("2024-01-01")}); field(err) != "end" {
			t.Errorf("end before start: %v", err)
		}
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.otherUnit.ID, Kind: netra.Plt,
			Start: day("2024-01-02")}); field(err) != "unit" {
			t.Errorf("a unit of another government: %v", err)
		}
		// One acting holder of a post at a time.
		if err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: a.ID, UnitID: w.disdik.ID, Kind: netra.Plt,
			Start: day("2024-10-01")}); err != nil {
			t.Fatal(err)
		}
		err := s.CreateAssignment(sys(), &netra.Assignment{EmployeeID: b.ID, UnitID: w.disdik.ID, Kind: netra.Plh,
			Start: day("2024-11-01"), End: day("2024-11-05")})
		if !errors.Is(err, netra.ErrConflict) || !strings.Contains(err.Error(), "Budi") {
			t.Errorf("a second acting holder: %v", err)
		}
		list, err := s.Assignments(sys(), a.ID)
		if err != nil || len(list) != 1 || list[0].PositionName != "Kepala Dinas Pendidikan" || !list[0].Head {
			t.Fatalf("assignments: %+v %v", list, err)
		}
		// Only writers of the employee record it; readers of another government do not even see it.
		verifier := as(s, t, netra.RoleVerifier, w.city, nil)
		if err := s.CreateAssignment(verifier, &netra.Assignment{EmployeeID: b.ID, UnitID: w.bidSD.ID, Kind: netra.Plt,
			Start: day("2024-10-01")}); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a verifier records an assignment: %v", err)
		}
		tarakan := as(s, t, netra.RoleTenantAdmin, w.other, nil)
		if _, err := s.Superiors(tarakan, a.ID, day("2024-11-01")); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another government's admin reads the superiors: %v", err)
		}
		if err := s.DeleteAssignment(tarakan, a.ID, list[0].ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another government's admin deletes: %v", err)
		}
		if _, err := s.Superiors(tarakan, other.ID, day("2024-11-01")); err != nil {
			t.Errorf("own employee's superiors: %v", err)
		}
		// The read of the chain is audited.
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "employee.read", ObjectType: "employee", ObjectID: fmtInt(other.ID)})
		if err != nil || len(es) != 1 || !strings.Contains(es[0].Summary, "2024-11-01") {
			t.Errorf("audit of the superiors read: %+v %v", es, err)
		}
		if err := s.DeleteAssignment(sys(), a.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Assignments(sys(), a.ID); len(list) != 0 {
			t.Errorf("after delete: %+v", list)
		}
	})
}

// TestOfficeHolders: periods, the kinds each office allows, overlaps, the
// holder on a date, and who may write.
func TestOfficeHolders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		at(s, "2025-01-15")
		city := w.city.ID
		field := func(err error) string {
			if ve, ok := netra.AsValidation(err); ok {
				for f := range ve.Fields {
					return f
				}
			}
			return ""
		}
		for name, tc := range map[string]struct {
			h    netra.OfficeHolder
			want string
		}{
			"pjs without end": {netra.OfficeHolder{Office: netra.OfficePPK, Kind: netra.OfficePjs, Name: "X", From: day("2024-09-25")}, "to"},
			"pjs sekda":       {netra.OfficeHolder{Office: netra.OfficeSekda, Kind: netra.OfficePjs, Name: "X", From: day("2024-09-25"), To: day("2024-11-23")}, "kind"},
			"plh ppk":         {netra.OfficeHolder{Office: netra.OfficePPK, Kind: netra.OfficePlh, Name: "X", From: day("2024-09-25")}, "kind"},
			"no from":         {netra.OfficeHolder{Office: netra.OfficePPK, Kind: netra.OfficeDefinitive, Name: "X"}, "from"},
			"to before from":  {netra.OfficeHolder{Office: netra.OfficeInspektur, Kind: netra.OfficePlt, Name: "X", From: day("2024-09-25"), To: day("2024-09-01")}, "to"},
			"bad nip":         {netra.OfficeHolder{Office: netra.OfficeInspektur, Kind: netra.OfficeDefinitive, Name: "X", NIP: "123", From: day("2024-09-25")}, "nip"},
			"no name":         {netra.OfficeHolder{Office: netra.OfficeSekda, Kind: netra.OfficeDefinitive, From: day("2024-09-25")}, "name"},
			"bad office":      {netra.OfficeHolder{Office: "camat", Kind: netra.OfficeDefinitive, Name: "X", From: day("2024-09-25")}, "office"},
		} {
			h := tc.h
			h.TenantID = city
			if err := s.CreateOfficeHolder(sys(), &h); field(err) != tc.want {
				t.Errorf("%s: %v, want a problem with %s", name, err, tc.want)
			}
		}
		def := &netra.OfficeHolder{TenantID: city, Office: netra.OfficePPK, Kind: netra.OfficeDefinitive, Name: "Fairid",
			From: day("2019-01-01")}
		mustHolder(t, s, def)
		// An open-ended definitive mayor and a successor: refused until the first term ends.
		next := &netra.OfficeHolder{TenantID: city, Office: netra.OfficePPK, Kind: netra.OfficeDefinitive, Name: "Baru", From: day("2025-02-20")}
		if err := s.CreateOfficeHolder(sys(), next); !errors.Is(err, netra.ErrConflict) || !strings.Contains(err.Error(), "Fairid") {
			t.Errorf("overlapping definitive holders: %v", err)
		}
		def.To = day("2024-12-31")
		if err := s.UpdateOfficeHolder(sys(), def); err != nil {
			t.Fatal(err)
		}
		pj := &netra.OfficeHolder{TenantID: city, Office: netra.OfficePPK, Kind: netra.OfficePj, Name: "Akhmad Pj", From: day("2025-01-01"), To: day("2025-02-19")}
		mustHolder(t, s, pj)
		mustHolder(t, s, next)
		mustHolder(t, s, &netra.OfficeHolder{TenantID: city, Office: netra.OfficePPK, Kind: netra.OfficePjs, Name: "Hera Pjs",
			From: day("2024-09-25"), To: day("2024-11-23")})
		// Two standing in at once are refused.
		if err := s.CreateOfficeHolder(sys(), &netra.OfficeHolder{TenantID: city, Office: netra.OfficePPK, Kind: netra.OfficePlt, Name: "Wakil",
			From: day("2024-11-20"), To: day("2024-11-30")}); !errors.Is(err, netra.ErrConflict) || !strings.Contains(err.Error(), "Hera Pjs") {
			t.Errorf("overlapping acting holders: %v", err)
		}
		on := func(d string) string {
			hs, err := s.OfficeHolders(sys(), city, store.OfficeHolderFilter{Office: netra.OfficePPK, At: day(d)})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, h := range hs {
				names = append(names, h.Name)
			}
			return strings.Join(names, ",")
		}
		for d, want := range map[string]string{"2024-09-24": "Fairid", "2024-10-01": "Hera Pjs,Fairid", "2024-12-31": "Fairid",
			"2025-01-01": "Akhmad Pj", "2025-02-19": "Akhmad Pj", "2025-02-20": "Baru"} {
			if got := on(d); got != want {
				t.Errorf("PPK on %s: %q, want %q", d, got, want)
			}
		}
		// Writes: the city's own admin yes; the province's admin and a verifier no; another city's admin does not see it.
		if err := s.CreateOfficeHolder(as(s, t, netra.RoleTenantAdmin, w.city, nil), &netra.OfficeHolder{TenantID: city,
			Office: netra.OfficeInspektur, Kind: netra.OfficeDefinitive, Name: "Inspektur", From: day("2023-01-02")}); err != nil {
			t.Errorf("the city's admin: %v", err)
		}
		h := netra.OfficeHolder{TenantID: city, Office: netra.OfficeSekda, Kind: netra.OfficeDefinitive, Name: "Sekda", From: day("2023-01-02")}
		if err := s.CreateOfficeHolder(as(s, t, netra.RoleTenantAdmin, w.prov, nil), &h); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("the province's admin: %v", err)
		}
		if err := s.CreateOfficeHolder(as(s, t, netra.RoleVerifier, w.city, nil), &h); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a verifier: %v", err)
		}
		if err := s.CreateOfficeHolder(as(s, t, netra.RoleTenantAdmin, w.city, w.disdik), &h); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a unit admin: %v", err)
		}
		if err := s.CreateOfficeHolder(as(s, t, netra.RoleTenantAdmin, w.other, nil), &h); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's admin: %v", err)
		}
		if _, err := s.OfficeHolders(as(s, t, netra.RoleTenantAdmin, w.other, nil), city, store.OfficeHolderFilter{}); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's admin lists: %v", err)
		}
		if hs, err := s.OfficeHolders(as(s, t, netra.RoleVerifier, w.prov, nil), city, store.OfficeHolderFilter{}); err != nil || len(hs) != 5 {
			t.Errorf("the province reads the city's office holders: %d %v", len(hs), err)
		}
		if err := s.DeleteOfficeHolder(as(s, t, netra.RoleTenantAdmin, w.prov, nil), pj.ID); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("the province deletes: %v", err)
		}
		if err := s.DeleteOfficeHolder(sys(), pj.ID); err != nil {
			t.Fatal(err)
		}
		if got := on("2025-01-10"); got != "" {
			t.Errorf("after delete: %q", got)
		}
	})
}
