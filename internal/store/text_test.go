package store_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestNonASCIIAtEveryLengthLimit feeds refused cells of multi-byte text
// across the 200-byte limit (every cut lands inside a character once),
// with invalid UTF-8 and NUL too: PostgreSQL refused a cut character and
// failed the whole import. Every cell must be stored, valid, cut at a
// character boundary.
func TestNonASCIIAtEveryLengthLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		ctx := sys()
		im := &netra.Import{TenantID: w.city.ID, Filename: "x.csv", BlobKey: "imports/x.csv", SHA256: "00"}
		if err := s.CreateImport(ctx, im, nil); err != nil {
			t.Fatal(err)
		}
		imp, err := s.NewImporter(ctx, im)
		if err != nil {
			t.Fatal(err)
		}
		var ps []netra.ImportProblem
		for n := 190; n <= 215; n++ {
			v := strings.Repeat("x", n%4) + strings.Repeat("é€𝔸", 1+n/9)
			ps = append(ps, netra.ImportProblem{Line: int64(len(ps) + 2), Column: "NAMA" + strings.Repeat("ü", n), Value: v, Reason: netra.Msg("salah", "wrong")})
		}
		ps = append(ps, netra.ImportProblem{Line: int64(len(ps) + 2), Column: "NAMA", Value: "bad\xff\x00cell", Reason: netra.Msg("salah", "wrong")})
		if err := imp.Write(ctx, nil, ps, 1, int64(len(ps))); err != nil {
			t.Fatal(err)
		}
		if err := imp.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		var got []netra.ImportProblem
		if err := s.EachImportProblem(ctx, im.ID, "test", func(p netra.ImportProblem) error {
			got = append(got, p)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ps) {
			t.Fatalf("%d cells stored, want %d", len(got), len(ps))
		}
		for i, p := range got {
			if len(p.Value) > 200 || len(p.Column) > 200 || !utf8.ValidString(p.Value) || !utf8.ValidString(p.Column) || strings.ContainsRune(p.Value, 0) {
				t.Fatalf("cell %d stored as %d bytes %q (column %d bytes)", i, len(p.Value), p.Value, len(p.Column))
			}
			if want := netra.Truncate(ps[i].Value, 200); p.Value != want {
				t.Fatalf("cell %d: %q, want %q", i, p.Value, want)
			}
		}
		// Input stored as given is refused instead, with a validation error
		// (a 422 on the page and the API), never a database error.
		e := &netra.Employee{TenantID: w.city.ID, UnitID: w.setda.ID, NIP: "198609262015051001", Name: "Budi\x00Santoso", Type: netra.PNS, Golongan: "III/a"}
		if _, ok := netra.AsValidation(s.CreateEmployee(ctx, e)); !ok {
			t.Fatal("an employee whose name holds NUL was not refused with a validation error")
		}
	})
}
