package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/synth"
	"github.com/netra-id/netra/internal/wilayah"
)

// phaseResult is what a child process reports.
type phaseResult struct {
	Rows        int64   `json:"rows"`
	Seconds     float64 `json:"seconds"`
	SetupSecs   float64 `json:"setup_seconds"`
	Rejected    int64   `json:"rejected"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	Governments int     `json:"governments"`
	Units       int     `json:"units"`
}

func benchImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "employees in the roster")
	engine := fs.String("engine", "sqlite", "sqlite or postgres")
	dbURL := fs.String("db", "", "PostgreSQL server URL (default: the PG* environment)")
	seed := fs.Int64("seed", 1, "roster seed")
	dir := fs.String("dir", "", "work folder (default: a temporary folder, removed afterwards)")
	keep := fs.Bool("keep", false, "keep the database Netra imported into (for the list benchmark) and print its URL")
	profDir := fs.String("profile", "", "write CPU profiles of both phases (netra.cpu, bare.cpu) to this folder")
	format := fs.String("format", synth.ShapeNetra, "roster columns: netra (unit codes) or siasn (the SIASN data-utama export, units and governments by name)")
	sepName := fs.String("sep", ",", "CSV separator: , ; tab or |")
	phases := fs.String("phases", "netra,bare", "the phases to run; the ratio needs both")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *engine != "sqlite" && *engine != "postgres" {
		return fmt.Errorf("-engine %q: want sqlite or postgres", *engine)
	}
	if *format != synth.ShapeNetra && *format != synth.ShapeSIASN {
		return fmt.Errorf("-format %q: want netra or siasn", *format)
	}
	sep, ok := map[string]rune{",": ',', ";": ';', "tab": '\t', "|": '|'}[*sepName]
	if !ok {
		return fmt.Errorf("-sep %q: want , ; tab or |", *sepName)
	}
	work := *dir
	if work != "" {
		if err := os.MkdirAll(work, 0o750); err != nil {
			return err
		}
	} else {
		d, err := os.MkdirTemp("", "netra-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	}
	file := filepath.Join(work, fmt.Sprintf("roster-%d-%s-%d-%x.csv", *n, *format, *seed, sep))
	if _, err := os.Stat(file); err != nil {
		start := time.Now()
		f, err := os.Create(file)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		if _, err := synth.Generate(bw, synth.GenOptions{Employees: *n, Seed: *seed, Shape: *format, Sep: sep}); err != nil {
			f.Close()
			return err
		}
		if err := errors.Join(bw.Flush(), f.Close()); err != nil {
			return err
		}
		st, _ := os.Stat(file)
		fmt.Fprintf(stderr, "generated %s (%d MB) in %.1fs\n", file, st.Size()>>20, time.Since(start).Seconds())
	}
	results := map[string]phaseResult{}
	for _, ph := range strings.Split(*phases, ",") {
		if ph != "netra" && ph != "bare" {
			return fmt.Errorf("-phases: unknown phase %q (want netra, bare or both)", ph)
		}
		url, drop, err := freshDB(ctx, *engine, *dbURL, work, ph)
		if err != nil {
			return err
		}
		res, err := runPhase(ctx, ph, url, file, work, *profDir, *format, sep, stderr)
		if *keep && ph == "netra" && err == nil {
			fmt.Fprintf(stderr, "kept the imported database: %s\n", url)
		} else {
			drop()
		}
		if err != nil {
			return fmt.Errorf("phase %s: %w", ph, err)
		}
		results[ph] = res
		fmt.Fprintf(stderr, "%-6s %d rows in %.1fs (%.0f rows/s), setup %.1fs, peak RSS %.0f MB, rejected %d\n",
			ph, res.Rows, res.Seconds, float64(res.Rows)/res.Seconds, res.SetupSecs, res.PeakRSSMB, res.Rejected)
	}
	nr, br := results["netra"], results["bare"]
	if nr.Seconds == 0 || br.Seconds == 0 {
		return nil // one phase only: its line above is the result
	}
	nps, bps := float64(nr.Rows)/nr.Seconds, float64(br.Rows)/br.Seconds
	fmt.Fprintf(stdout, "import of %d employees across %d governments (%d units), %s, %s shape, %d cores\n", *n, nr.Governments, nr.Units, *engine, *format, runtime.NumCPU())
	fmt.Fprintf(stdout, "  netra   : %9.0f rows/s  %6.1f s  peak RSS %4.0f MB  (parse, validate, upsert by NIP, batches, audit)\n", nps, nr.Seconds, nr.PeakRSSMB)
	fmt.Fprintf(stdout, "  baseline: %9.0f rows/s  %6.1f s  peak RSS %4.0f MB  (%s)\n", bps, br.Seconds, br.PeakRSSMB, baselineName(*engine))
	fmt.Fprintf(stdout, "RESULT bench=import engine=%s format=%s rows=%d netra_rows_per_s=%.0f baseline_rows_per_s=%.0f ratio=%.2f peak_rss_mb=%.0f netra_seconds=%.1f\n",
		*engine, *format, nr.Rows, nps, bps, nps/bps, nr.PeakRSSMB, nr.Seconds)
	return nil
}

func baselineName(engine string) string {
	if engine == "postgres" {
		return "one COPY into the same table and indexes"
	}
	return "one transaction of prepared inserts into the same table and indexes"
}

// freshDB returns the URL of an empty database for a phase and a function
// that removes it.
func freshDB(ctx context.Context, engine, admin, work, phase string) (string, func(), error) {
	if engine == "sqlite" {
		p := filepath.Join(work, phase+".db")
		for _, suf := range []string{"", "-wal", "-shm"} {
			os.Remove(p + suf)
		}
		return "sqlite:" + p, func() {
			for _, suf := range []string{"", "-wal", "-shm"} {
				os.Remove(p + suf)
			}
		}, nil
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	name := "netra_bench_" + phase + "_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create database (set PG* or -db): %w", err)
	}
	drop := func() {
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	}
	u := &url.URL{Scheme: "postgres", Path: "/" + name}
	if admin != "" {
		pu, err := url.Parse(admin)
		if err != nil {
			drop()
			return "", nil, err
		}
		pu.Path = "/" + name
		u = pu
	} else {
		q := url.Values{}
		for env, key := range map[string]string{"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"} {
			if v := os.Getenv(env); v != "" {
				q.Set(key, v)
			}
		}
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	return u.String(), drop, nil
}

// runPhase runs one phase in a child process and reads its peak memory.
func runPhase(ctx context.Context, ph, dbURL, file, work, profDir, format string, sep rune, stderr io.Writer) (phaseResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return phaseResult{}, err
	}
	args := []string{"_phase", "-phase", ph, "-db", dbURL, "-file", file, "-blobs", filepath.Join(work, "blobs-"+ph),
		"-format", format, "-sep", string(sep)}
	if profDir != "" {
		args = append(args, "-cpuprofile", filepath.Join(profDir, ph+".cpu"))
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return phaseResult{}, err
	}
	var res phaseResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return res, fmt.Errorf("child output %q: %w", out.String(), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.PeakRSSMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	os.RemoveAll(filepath.Join(work, "blobs-"+ph))
	return res, nil
}

// phase runs in the child: set up the 552 governments and their unit trees
// (not timed), then time the import or the baseline load.
func phase(ctx context.Context, args []string, stderr io.Writer) (phaseResult, error) {
	fs := flag.NewFlagSet("_phase", flag.ContinueOnError)
	ph := fs.String("phase", "netra", "netra or bare")
	dbURL := fs.String("db", "", "database URL")
	file := fs.String("file", "", "roster file")
	blobs := fs.String("blobs", "", "blob folder")
	prof := fs.String("cpuprofile", "", "write a CPU profile of the timed part to this file")
	format := fs.String("format", synth.ShapeNetra, "netra or siasn")
	sep := fs.String("sep", ",", "the CSV separator, one character")
	if err := fs.Parse(args); err != nil {
		return phaseResult{}, err
	}
	if len([]rune(*sep)) != 1 {
		return phaseResult{}, fmt.Errorf("-sep %q: one character", *sep)
	}
	var res phaseResult
	ctx = netra.WithActor(ctx, netra.System("bench"))
	s, err := store.Open(ctx, *dbURL)
	if err != nil {
		return res, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return res, err
	}
	start := time.Now()
	units, err := setup(ctx, s)
	if err != nil {
		return res, err
	}
	res.SetupSecs = time.Since(start).Seconds()
	res.Governments = len(units.byCode)
	for _, m := range units.byCode {
		res.Units += len(m)
	}
	if *ph == "netra" {
		units = nil // the import resolves units itself; do not count these maps against it
		runtime.GC()
	}
	national, err := s.TenantByCode(ctx, netra.NationalCode)
	if err != nil {
		return res, err
	}
	f, err := os.Open(*file)
	if err != nil {
		return res, err
	}
	defer f.Close()
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			return res, err
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return res, err
		}
		defer pprof.StopCPUProfile()
	}
	start = time.Now()
	switch *ph {
	case "netra":
		b, err := blob.OpenDisk(*blobs)
		if err != nil {
			return res, err
		}
		im, err := (&imports.Runner{Store: s, Blobs: b}).ImportFile(ctx, national.ID, filepath.Base(*file), f)
		if err != nil {
			return res, err
		}
		res.Rows, res.Rejected = im.Inserted, im.Rejected
	case "bare":
		load := bareLoad
		if *format == synth.ShapeSIASN {
			load = bareLoadSIASN
		}
		n, err := load(ctx, s, *dbURL, f, []rune(*sep)[0], units)
		if err != nil {
			return res, err
		}
		res.Rows = n
	default:
		return res, fmt.Errorf("unknown phase %q", *ph)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// govUnits is what the bare loads look units up in: by government code and
// unit code for Netra's columns; by the SIASN names (INSTANSI_KERJA_NAMA,
// then "UNOR_NAMA|UNOR_INDUK_NAMA") for the SIASN shape, with the tenant of
// each INSTANSI_KERJA_NAMA.
type govUnits struct {
	byCode   map[string]map[string]int64
	byName   map[string]map[string]int64
	tenantOf map[string]int64
}

// setup creates the national tenant, every province and regency/city, and
// their generated unit trees.
func setup(ctx context.Context, s *store.Store) (*govUnits, error) {
	w, err := wilayah.Load()
	if err != nil {
		return nil, err
	}
	if err := s.CreateTenant(ctx, &netra.Tenant{Code: netra.NationalCode, Name: "Pemerintah Pusat"}); err != nil {
		return nil, err
	}
	out := &govUnits{byCode: map[string]map[string]int64{}, byName: map[string]map[string]int64{}, tenantOf: map[string]int64{}}
	for _, g := range w.Governments() {
		t := &netra.Tenant{Code: g.Code, Name: synth.OfficialName(g)}
		if err := s.CreateTenant(ctx, t); err != nil {
			return nil, fmt.Errorf("tenant %s: %w", g.Code, err)
		}
		tree := synth.UnitTree(g, w)
		if _, err := s.CreateUnitTree(ctx, t.ID, demo.Seeds(tree)); err != nil {
			return nil, err
		}
		units, err := s.Units(ctx, netra.UnitFilter{TenantID: t.ID, IncludeClosed: true, Limit: 100000})
		if err != nil {
			return nil, err
		}
		m := make(map[string]int64, len(units))
		for _, u := range units {
			m[u.Code] = u.ID
		}
		out.byCode[g.Code] = m
		instansi, names := synth.SIASNNames(g, tree)
		bn := make(map[string]int64, len(names))
		for _, u := range names {
			bn[u.Name+"|"+u.Parent] = m[u.Code]
		}
		out.byName[instansi], out.tenantOf[instansi] = bn, t.ID
	}
	return out, nil
}

// bareLoad reads the CSV with the least work that still produces the same
// rows (columns by position, units by map lookup) and hands them to the
// store's bare loader.
func bareLoad(ctx context.Context, s *store.Store, dbURL string, f io.Reader, sep rune, gu *govUnits) (int64, error) {
	units := gu.byCode
	r, col, err := bareCSV(f, sep, []string{roster.ColNIP, roster.ColName, roster.ColFrontTitle, roster.ColBackTitle, roster.ColType,
		roster.ColGolongan, roster.ColPosition, roster.ColPositionType, roster.ColUnitCode, roster.ColEmail, roster.ColPhone,
		roster.ColStatus, roster.ColGovernment})
	if err != nil {
		return 0, err
	}
	tenantIDs := map[string]int64{}
	now := time.Now().UnixMilli()
	var readErr error
	next := func() ([]any, bool) {
		rec, err := r.Read()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			return nil, false
		}
		gov := rec[col[roster.ColGovernment]]
		tid, ok := tenantIDs[gov]
		if !ok {
			t, err := s.TenantByCode(ctx, gov)
			if err != nil {
				readErr = err
				return nil, false
			}
			tid = t.ID
			tenantIDs[gov] = tid
		}
		nip := rec[col[roster.ColNIP]]
		name := rec[col[roster.ColName]]
		sex := "L"
		if len(nip) == 18 && nip[14] == '2' {
			sex = "P"
		}
		birth := ""
		if len(nip) >= 8 {
			birth = nip[:4] + "-" + nip[4:6] + "-" + nip[6:8]
		}
		return []any{tid, nip, name, strings.ToLower(name), rec[col[roster.ColFrontTitle]], rec[col[roster.ColBackTitle]],
			strings.ToLower(rec[col[roster.ColType]]), rec[col[roster.ColGolongan]], rec[col[roster.ColPosition]],
			strings.ToLower(rec[col[roster.ColPositionType]]), units[gov][rec[col[roster.ColUnitCode]]],
			rec[col[roster.ColEmail]], rec[col[roster.ColPhone]], "active", birth, sex, nil, now, now}, true
	}
	n, err := bareInsert(ctx, dbURL, bareColumns, next)
	if readErr != nil {
		return n, readErr
	}
	return n, err
}

// bareCSV opens a roster for a bare loader: a reader reusing its records,
// and the position of each header, which must include every column in need.
func bareCSV(f io.Reader, sep rune, need []string) (*csv.Reader, map[string]int, error) {
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.Comma = sep
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, nil, fmt.Errorf("roster lacks column %s", c)
		}
	}
	return r, col, nil
}
