package roster_test

// The reading benchmarks run on a generated roster; they are an external
// test because the generator (internal/synth) imports this package.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/synth"
)

// benchRows is the size of the benchmark rosters: large enough to cross
// many governments, small enough to run often.
const benchRows = 200_000

func benchRoster(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.GenOptions{Employees: benchRows, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadCSV measures Reader alone on a generated roster.
func BenchmarkReadCSV(b *testing.B) {
	data := benchRoster(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r, err := roster.NewReader(bytes.NewReader(data), "bench.csv")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadCSVBaseline reads the same bytes with a bare encoding/csv
// reader, the floor under BenchmarkReadCSV.
func BenchmarkReadCSVBaseline(b *testing.B) {
	data := benchRoster(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		c := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), 1<<20)) // the Reader's buffer
		c.ReuseRecord = true
		c.FieldsPerRecord = -1
		for {
			if _, err := c.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((benchRows+1)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParseRow measures ParseRow, which includes
// netra.Employee.Validate.
func BenchmarkParseRow(b *testing.B) {
	r, err := roster.NewReader(bytes.NewReader(benchRoster(b)), "bench.csv")
	if err != nil {
		b.Fatal(err)
	}
	var rows []roster.Row
	for range 10_000 {
		row, err := r.Next()
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row)
	}
	now := synth.DefaultNow()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, errs := roster.ParseRow(rows[i%len(rows)], now); errs != nil {
			b.Fatal(errs)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
