package synth

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
)

func mustGenerate(t testing.TB, opts GenOptions) ([]byte, GenStats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(&buf, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return buf.Bytes(), st
}

func TestGenerateDeterministic(t *testing.T) {
	d := mustData(t)
	opts := GenOptions{Employees: 3000, Seed: 42, Governments: []string{"62", "62.71", "31.71", "00"}, Data: d}
	a, st := mustGenerate(t, opts)
	b, _ := mustGenerate(t, opts)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	if st.Rows != 3000 || st.Governments != 4 || st.Bytes != int64(len(a)) {
		t.Errorf("stats = %+v, %d bytes", st, len(a))
	}
	opts.Seed = 43
	if c, _ := mustGenerate(t, opts); bytes.Equal(a, c) {
		t.Error("another seed gives the same roster")
	}
}

// TestGeneratedRowsParse reads a generated roster back: every row must pass
// ParseRow, sit in a unit of its government's tree, and each unit's head
// must be there.
func TestGeneratedRowsParse(t *testing.T) {
	d := mustData(t)
	govs := []string{"11.01", "12.71", "32.73", "51.71", "62", "62.71", "73.71", "94.01", "00"}
	out, st := mustGenerate(t, GenOptions{Employees: 20000, Seed: 1, Governments: govs, Data: d})
	units := map[string]map[string]UnitSpec{}
	for _, g := range govs {
		units[g] = map[string]UnitSpec{}
		for _, u := range UnitTree(mustGov(t, d, g), d) {
			units[g][u.Code] = u
		}
	}
	r, err := roster.NewReader(bytes.NewReader(out), "gen.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has(roster.ColGovernment) || strings.Join(r.Header(), ",") != strings.Join(columnNames(), ",") {
		t.Fatalf("header = %q", r.Header())
	}
	heads := map[string]bool{}
	count := map[netra.EmploymentType]int{}
	rows := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		p, errs := roster.ParseRow(row, DefaultNow())
		if len(errs) > 0 {
			t.Fatalf("line %d does not parse: %v\n%+v", row.Line, errs, row)
		}
		u, ok := units[p.Government][p.UnitCode]
		if !ok {
			t.Fatalf("line %d: unit %s is not in the tree of %s", row.Line, p.UnitCode, p.Government)
		}
		if got := strings.Join(p.UnitPath, " > "); !strings.HasSuffix(got, u.Name) {
			t.Errorf("line %d: path %q does not end with %q", row.Line, got, u.Name)
		}
		if p.Employee.PositionName == u.HeadPosition {
			heads[p.Government+"/"+u.Code] = true
			if p.Employee.Type != netra.PNS || p.Employee.PositionType != u.HeadType {
				t.Errorf("line %d: head %+v", row.Line, p.Employee)
			}
		}
		count[p.Employee.Type]++
	}
	if rows != st.Rows || rows != 20000 {
		t.Errorf("read %d rows, wrote %d", rows, st.Rows)
	}
	for g, us := range units {
		for code := range us {
			if !heads[g+"/"+code] {
				t.Errorf("%s: unit %s has no head", g, code)
			}
		}
	}
	pns := float64(count[netra.PNS]) / float64(rows)
	pppk := float64(count[netra.PPPK]) / float64(rows)
	if pns < 0.62 || pns > 0.80 || pppk < 0.12 || pppk > 0.26 || count[netra.NonASN] == 0 || count[netra.CPNS] == 0 || count[netra.PPPKParuhWaktu] == 0 {
		t.Errorf("type mix = %v (PNS %.2f, PPPK %.2f)", count, pns, pppk)
	}
}

func columnNames() []string { return NetraColumns }

// TestUniqueIdentifiers generates 200,000 employees over all 552
// governments, as the national benchmark does, and checks that no NIP, NIK
// or e-mail address repeats.
func TestUniqueIdentifiers(t *testing.T) {
	if testing.Short() {
		t.Skip("200k rows")
	}
	d := mustData(t)
	g := NewGenerator(5, DefaultNow(), d)
	govs := d.Governments()
	counts := apportion(200_000, govWeights(d, govs))
	nips := make(map[string]struct{}, 200_000)
	emails := make(map[string]struct{}, 200_000)
	n := 0
	for i, gov := range govs {
		err := g.Employees(gov, UnitTree(gov, d), counts[i], func(p roster.Parsed) error {
			n++
			e := p.Employee
			if _, dup := nips[e.NIP]; dup {
				return errors.New("duplicate identifier " + e.NIP)
			}
			nips[e.NIP] = struct{}{}
			if e.NIK != e.NIP {
				// An ASN's NIK is another identifier of the person: it
				// must be no one else's NIK or (non-ASN) identifier.
				if _, dup := nips[e.NIK]; dup || len(e.NIK) != 16 {
					return errors.New("duplicate or malformed NIK " + e.NIK)
				}
				nips[e.NIK] = struct{}{}
			}
			if e.Email != "" {
				if _, dup := emails[e.Email]; dup {
					return errors.New("duplicate e-mail " + e.Email)
				}
				emails[e.Email] = struct{}{}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", gov.Code, err)
		}
	}
	if n != 200_000 {
		t.Errorf("generated %d employees", n)
	}
}

// TestSerialCollisions forces many people with the same birth day,
// appointment month and sex: serials must count up rather than repeat.
func TestSerialCollisions(t *testing.T) {
	g := NewGenerator(1, DefaultNow(), nil)
	c := &govCtx{nikReg: []int{627101}}
	seen := map[string]bool{}
	for i := 0; i < 600; i++ {
		for _, typ := range []netra.EmploymentType{netra.PNS, netra.PPPK, netra.NonASN} {
			var row genRow
			g.identify(c, &row, typ, 1990, 2015, 5, i%2 == 0)
			if seen[row.Employee.NIP] {
				t.Fatalf("%s repeats after %d draws", row.Employee.NIP, i)
			}
			seen[row.Employee.NIP] = true
			// Every ASN has an NIK too; it must not be anyone's NIP or NIK.
			if nik := row.Employee.NIK; typ != netra.NonASN && (len(nik) != 16 || seen[nik]) {
				t.Fatalf("NIK %q of %s repeats or is malformed", nik, row.Employee.NIP)
			} else if typ != netra.NonASN {
				seen[nik] = true
			}
			if _, err := netra.ParseNIP(row.Employee.NIP, typ, DefaultNow()); err != nil && typ != netra.PPPK {
				t.Fatalf("%s: %v", row.Employee.NIP, err)
			}
		}
	}
}

func TestGenerateXLSX(t *testing.T) {
	d := mustData(t)
	opts := GenOptions{Employees: 400, Seed: 9, Governments: []string{"62.71"}, Data: d}
	csvOut, _ := mustGenerate(t, opts)
	opts.Format = "xlsx"
	xlsxOut, st := mustGenerate(t, opts)
	if !bytes.HasPrefix(xlsxOut, []byte("PK\x03\x04")) || st.Rows != 400 {
		t.Fatalf("not an xlsx: %d bytes, %+v", len(xlsxOut), st)
	}
	rowsOf := func(b []byte) []roster.Row {
		r, err := roster.NewReader(bytes.NewReader(b), "x")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var rows []roster.Row
		for {
			row, err := r.Next()
			if err == io.EOF {
				return rows
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
	}
	a, b := rowsOf(csvOut), rowsOf(xlsxOut)
	if len(a) != 400 || len(a) != len(b) {
		t.Fatalf("csv %d rows, xlsx %d rows", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d differs:\ncsv  %+v\nxlsx %+v", i, a[i], b[i])
		}
	}
}

func TestGenerateRefusals(t *testing.T) {
	d := mustData(t)
	tests := []struct {
		name string
		opts GenOptions
		want string
	}{
		{"too big for xlsx", GenOptions{Employees: MaxXLSXRows + 1, Format: "xlsx"}, "XLSX"},
		{"negative", GenOptions{Employees: -1}, "negative"},
		{"format", GenOptions{Employees: 1, Format: "ods"}, "format"},
		{"unknown government", GenOptions{Employees: 1, Governments: []string{"62.99"}}, "62.99"},
		{"district", GenOptions{Employees: 1, Governments: []string{"62.71.01"}}, "62.71.01"},
		{"twice", GenOptions{Employees: 1, Governments: []string{"62", "62"}}, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Data = d
			var buf bytes.Buffer
			_, err := Generate(&buf, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written before refusing", buf.Len())
			}
		})
	}
}

func TestEmployeesFewerThanUnits(t *testing.T) {
	d := mustData(t)
	gov := mustGov(t, d, "62.71")
	units := UnitTree(gov, d)
	g := NewGenerator(3, DefaultNow(), d)
	var got []roster.Parsed
	if err := g.Employees(gov, units, 10, func(p roster.Parsed) error { got = append(got, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("got %d", len(got))
	}
	for i, p := range got {
		if p.UnitCode != units[i].Code || p.Employee.PositionName != units[i].HeadPosition {
			t.Errorf("employee %d = %s in %s; want the head of %s", i, p.Employee.PositionName, p.UnitCode, units[i].Code)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := g.Employees(gov, units, 100, func(roster.Parsed) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err = %v after %d calls; want the callback's error at once", err, calls)
	}
	if err := g.Employees(gov, nil, 5, func(roster.Parsed) error { return nil }); err == nil {
		t.Error("no units accepted")
	}
	bad := []UnitSpec{{Code: "A.B", ParentCode: "A", Name: "x", Type: netra.UnitBidang}}
	if err := g.Employees(gov, bad, 5, func(roster.Parsed) error { return nil }); err == nil {
		t.Error("a unit before its parent accepted")
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		total   int
		weights []int64
		want    []int
	}{
		{10, []int64{1, 1, 1}, []int{4, 3, 3}},
		{7, []int64{0, 5, 2}, []int{0, 5, 2}},
		{0, []int64{1, 2}, []int{0, 0}},
		{5, []int64{0, 0}, []int{0, 0}},
		{1, []int64{1, 3}, []int{0, 1}},
	}
	for _, tt := range tests {
		got := apportion(tt.total, tt.weights)
		if !slices.Equal(got, tt.want) {
			t.Errorf("apportion(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
		}
	}
}

// benchRows is the size of the benchmark rosters: large enough to cross
// many governments, small enough to run often.
const benchRows = 200_000

// BenchmarkGenerate measures the national generator writing CSV; rows/s
// times 5.6 million tells how long the national roster takes.
func BenchmarkGenerate(b *testing.B) {
	d := mustData(b)
	for b.Loop() {
		if _, err := Generate(io.Discard, GenOptions{Employees: benchRows, Seed: 1, Data: d}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkGenerateBaseline writes the same number of constant records
// with encoding/csv alone: the floor under BenchmarkGenerate.
func BenchmarkGenerateBaseline(b *testing.B) {
	rec := []string{"198609262015051001", "Siti Aminah", "", "S.Pd., M.Pd.", "PNS", "III/c", "Guru Ahli Muda", "Fungsional",
		"DISDIK.SDN.62.71.01.1", "Dinas Pendidikan > SD Negeri 1 Pahandut", "siti.aminah1@palangkarayakota.go.id", "081234567890", "Aktif", "62.71"}
	for b.Loop() {
		s := newCSVSink(io.Discard, 0)
		for range benchRows {
			if err := s.write(rec); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
