package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// benchList times the employee list queries behind the employee page on a
// database that already holds a national roster (import -keep), next to the
// bare baseline of reading one page of the table by its primary key. Each
// query runs once cold (reported as "first": what the first user after a
// restart or a bulk load waits), then n times.
func benchList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := fs.String("db", "", "database holding a national roster (from import -keep)")
	n := fs.Int("n", 30, "runs of each query")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := store.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer s.Close()
	sys := netra.WithActor(ctx, netra.System("bench"))
	city, err := s.TenantByCode(sys, "32.73") // Kota Bandung: one of the largest rosters
	if err != nil {
		return err
	}
	units, err := s.Units(sys, netra.UnitFilter{TenantID: city.ID, Search: "Dinas Pendidikan"})
	if err != nil || len(units) == 0 {
		return fmt.Errorf("no Dinas Pendidikan in %s: %v", city.Code, err)
	}
	admin := netra.WithActor(ctx, &netra.Actor{UserID: 1, Label: "bench", Grants: []netra.Grant{{Role: netra.RoleTenantAdmin,
		TenantID: city.ID, TenantPath: "/00/32/32.73/"}}})
	prov, err := s.TenantByCode(sys, "32") // Jawa Barat: the largest province
	if err != nil {
		return err
	}
	provAdmin := netra.WithActor(ctx, &netra.Actor{UserID: 2, Label: "bench", Grants: []netra.Grant{{Role: netra.RoleTenantAdmin,
		TenantID: prov.ID, TenantPath: "/00/32/"}}})
	nat, err := s.TenantByCode(sys, netra.NationalCode)
	if err != nil {
		return err
	}
	national := netra.WithActor(ctx, &netra.Actor{UserID: 3, Label: "bench", Grants: []netra.Grant{{Role: netra.RoleLeader,
		TenantID: nat.ID, TenantPath: "/00/"}}})
	first, err := s.Employees(sys, netra.EmployeeFilter{Limit: 50})
	if err != nil {
		return err
	}
	deep, err := s.Employees(sys, netra.EmployeeFilter{TenantID: city.ID, Limit: 500})
	if err != nil {
		return err
	}
	cases := []listCase{
		{"national, first page (super admin)", sys, netra.EmployeeFilter{}},
		{"national, name search \"siti\"", sys, netra.EmployeeFilter{Search: "siti"}},
		{"national, NIP prefix", sys, netra.EmployeeFilter{Search: first.Employees[0].NIP[:10]}},
		{"national leader, first page", national, netra.EmployeeFilter{}},
		{"one province (admin), first page", provAdmin, netra.EmployeeFilter{}},
		{"one province, name search \"siti\"", provAdmin, netra.EmployeeFilter{Search: "siti"}},
		{"one city (tenant admin), first page", admin, netra.EmployeeFilter{TenantID: city.ID}},
		{"one city, name search \"budi\"", admin, netra.EmployeeFilter{TenantID: city.ID, Search: "budi"}},
		{"one city, unit subtree (Dinas Pendidikan)", admin, netra.EmployeeFilter{TenantID: city.ID, UnitID: units[0].ID}},
		{"one city, PPPK fungsional", admin, netra.EmployeeFilter{TenantID: city.ID, Type: netra.PPPK, PositionType: netra.Fungsional}},
		{"one city, page after 500", admin, netra.EmployeeFilter{TenantID: city.ID, After: deep.Next}},
		{"one province, active (the page's default)", provAdmin, netra.EmployeeFilter{Status: netra.StatusActive}},
		{"one city, active (the page's default)", admin, netra.EmployeeFilter{TenantID: city.ID, Status: netra.StatusActive}},
		{"one city, status CLTN", admin, netra.EmployeeFilter{TenantID: city.ID, Status: netra.StatusCLTN}},
		{"one province, status pre-retirement", provAdmin, netra.EmployeeFilter{Status: netra.StatusPreRetirement}},
	}
	// A search by NIK (what a report often knows) finds the person through
	// the identifier indexes, nationwide and within the city.
	if nik := firstNIK(deep.Employees); nik != "" {
		cases = append(cases, listCase{"national, NIK search", national, netra.EmployeeFilter{Search: nik}},
			listCase{"one city, NIK search", admin, netra.EmployeeFilter{TenantID: city.ID, Search: nik}})
	} else {
		fmt.Fprintln(stderr, "list: the roster has no NIK (import -format siasn): the NIK searches are left out")
	}
	fmt.Fprintf(stdout, "employee list on %s (%s), %d runs each, 50 rows a page with the capped count\n", s.URL(), s.Dialect(), *n)
	for _, c := range cases {
		var total int
		first, p50, p95, err := timeIt(*n, func() error {
			p, err := s.Employees(c.ctx, c.f)
			if err == nil {
				total = p.Total
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		fmt.Fprintf(stdout, "  %-45s first %6.1f ms  p50 %6.1f ms  p95 %6.1f ms  (matches: %d)\n", c.name, first, p50, p95, total)
	}
	// Bulk work: "select all matching" resolves the filter to ids before
	// the confirmation shows the count (a unit subtree of thousands).
	sel := store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: city.ID, UnitID: units[0].ID}}
	var selected int
	sf, s50, s95, err := timeIt(*n, func() error {
		var err error
		selected, err = s.SelectionSize(admin, sel)
		return err
	})
	if err != nil {
		return fmt.Errorf("bulk selection: %w", err)
	}
	fmt.Fprintf(stdout, "  %-45s first %6.1f ms  p50 %6.1f ms  p95 %6.1f ms  (selected: %d)\n", "one city, bulk: select all of Dinas Pendidikan", sf, s50, s95, selected)
	bare, err := openBare(*dbURL)
	if err != nil {
		return err
	}
	defer bare.Close()
	bf, b50, b95, err := timeIt(*n, func() error { return barePage(ctx, bare) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  %-45s first %6.1f ms  p50 %6.1f ms  p95 %6.1f ms\n", "baseline: 50 rows by primary key", bf, b50, b95)
	return nil
}

// timeIt runs f once cold, then n times; it returns the cold run's time and
// the median and 95th percentile of the others, in milliseconds.
func timeIt(n int, f func() error) (first, p50, p95 float64, err error) {
	d := make([]float64, 0, n+1)
	for range n + 1 {
		start := time.Now()
		if err := f(); err != nil {
			return 0, 0, 0, err
		}
		d = append(d, float64(time.Since(start).Microseconds())/1000)
	}
	first, d = d[0], d[1:]
	slices.Sort(d)
	return first, d[len(d)/2], d[(len(d)*95)/100], nil
}

// listCase is one query of the list benchmark: who asks, and the filter.
type listCase struct {
	name string
	ctx  context.Context
	f    netra.EmployeeFilter
}

// firstNIK returns the first NIK among es, or "".
func firstNIK(es []netra.Employee) string {
	for _, e := range es {
		if e.NIK != "" {
			return e.NIK
		}
	}
	return ""
}
