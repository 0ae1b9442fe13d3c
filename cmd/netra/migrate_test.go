package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// place is where a command keeps its data: the flags that name it and the
// database URL they come down to.
type place struct {
	data  string   // the data folder (blobs, and the SQLite file unless db says otherwise)
	db    string   // database URL
	flags []string // --data DIR, plus --db URL on PostgreSQL
}

// placeOn returns a fresh place on e: SQLite through --data alone (the
// default database in the data folder), PostgreSQL through --db.
func placeOn(t *testing.T, e storetest.Engine) place {
	t.Helper()
	data := t.TempDir()
	p := place{data: data, flags: []string{"--data", data}}
	if e.Name == "sqlite" {
		p.db = "sqlite:" + filepath.Join(data, "netra.db")
	} else {
		p.db = e.URL(t)
		p.flags = append(p.flags, "--db", p.db)
	}
	return p
}

// places returns a fresh place on every engine, by engine name.
func places(t *testing.T) map[string]place {
	t.Helper()
	out := map[string]place{}
	for _, e := range storetest.Engines(t) {
		out[e.Name] = placeOn(t, e)
	}
	return out
}

// args returns the command line with the place's flags after the command
// words (which end at the first flag).
func (p place) args(args ...string) []string {
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	out := append([]string(nil), args[:i]...)
	out = append(out, p.flags...)
	return append(out, args[i:]...)
}

// open opens the place's database directly, to check what commands did.
// with the data folder's master key, as the commands do.
func (p place) open(t *testing.T) *store.Store {
	t.Helper()
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(p.data, "netra.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), p.db, store.WithKeyring(keys))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var schemaLine = regexp.MustCompile(`^schema version (\d+) \(latest (\d+)\) on (\S+)\n$`)

// migrated checks migrate's output and returns the version it reports.
func migrated(t *testing.T, out string) (version int64, url string) {
	t.Helper()
	m := schemaLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("migrate printed %q, want %q", out, "schema version N (latest N) on URL")
	}
	if m[1] != m[2] {
		t.Errorf("schema version %s after migrate, latest is %s", m[1], m[2])
	}
	v, _ := strconv.ParseInt(m[1], 10, 64)
	if v < 1 {
		t.Errorf("schema version %d after migrate", v)
	}
	return v, m[3]
}

func TestMigrate(t *testing.T) {
	for name, p := range places(t) {
		t.Run(name, func(t *testing.T) {
			out, _ := mustRun(t, p.args("migrate")...)
			v, url := migrated(t, out)
			if name == "sqlite" && url != p.db {
				t.Errorf("migrate used %s, want %s in the data folder", url, p.db)
			}
			again, _ := mustRun(t, p.args("migrate")...)
			if again != out {
				t.Errorf("second migrate printed %q, first %q", again, out)
			}
			cur, latest, err := p.open(t).SchemaVersion(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cur != v || latest != v {
				t.Errorf("the database is at version %d (latest %d); migrate said %d", cur, latest, v)
			}
		})
	}
}

// envCase is one environment for TestEnvironmentDefaults.
type envCase struct {
	name   string
	env    map[string]string
	args   []string
	wantDB string // the database migrate must use
	absent string // a file that must not be created
}

// TestEnvironmentDefaults checks that NETRA_DATA and NETRA_DB supply the
// defaults of --data and --db, that the flags win over them, and that
// without either the data folder is ./netra-data.
func TestEnvironmentDefaults(t *testing.T) {
	envData, flagData, envDBDir := t.TempDir(), t.TempDir(), t.TempDir()
	envDB := "sqlite:" + filepath.Join(envDBDir, "from-env.db")
	unusedData, unusedDB := filepath.Join(t.TempDir(), "unused"), filepath.Join(envDBDir, "unused.db")
	tests := []envCase{
		{"NETRA_DATA", map[string]string{"NETRA_DATA": envData}, nil,
			"sqlite:" + filepath.Join(envData, "netra.db"), ""},
		{"--data beats NETRA_DATA", map[string]string{"NETRA_DATA": unusedData}, []string{"--data", flagData},
			"sqlite:" + filepath.Join(flagData, "netra.db"), unusedData},
		{"NETRA_DB", map[string]string{"NETRA_DATA": envData, "NETRA_DB": envDB}, nil, envDB, ""},
		{"--db beats NETRA_DB", map[string]string{"NETRA_DB": "sqlite:" + unusedDB},
			[]string{"--data", flagData, "--db", "sqlite:" + filepath.Join(flagData, "flag.db")},
			"sqlite:" + filepath.Join(flagData, "flag.db"), unusedDB},
	}
	for _, e := range storetest.Engines(t) {
		if e.Name == "postgres" {
			pg := e.URL(t)
			s, err := store.Open(context.Background(), pg)
			if err != nil {
				t.Fatal(err)
			}
			shown := s.URL() // as migrate prints it, password hidden
			s.Close()
			tests = append(tests, envCase{"NETRA_DB postgres", map[string]string{"NETRA_DATA": t.TempDir(), "NETRA_DB": pg}, nil, shown, ""})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := cmdline{env: tt.env}.must(t, append([]string{"migrate"}, tt.args...)...)
			if _, url := migrated(t, out); url != tt.wantDB {
				t.Errorf("migrate used %s, want %s", url, tt.wantDB)
			}
			if p, ok := strings.CutPrefix(tt.wantDB, "sqlite:"); ok {
				if _, err := os.Stat(p); err != nil {
					t.Errorf("database file: %v", err)
				}
			}
			if tt.absent != "" {
				if _, err := os.Stat(tt.absent); !os.IsNotExist(err) {
					t.Errorf("%s exists (err %v): the environment beat the flag", tt.absent, err)
				}
			}
		})
	}
	t.Run("no environment", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		out, _ := mustRun(t, "migrate")
		if _, url := migrated(t, out); url != "sqlite:netra-data/netra.db" {
			t.Errorf("migrate used %s, want sqlite:netra-data/netra.db", url)
		}
		if _, err := os.Stat(filepath.Join(dir, "netra-data", "netra.db")); err != nil {
			t.Errorf("default database file: %v", err)
		}
	})
}
