package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// The signing storm's bare baseline: the simplest Go HTTP handler that
// stores a signature — it reads the JSON body and inserts one row of the
// pledge signature's shape (the same columns, a record of the same size,
// the same unique indexes, no foreign keys) per request, committed before
// it answers, with the durability the store uses (SQLite: WAL,
// synchronous=FULL; PostgreSQL: its default synchronous_commit). No
// session, no check, no signature, no log, no audit.

func bareSignName(engine string) string {
	if engine == "postgres" {
		return "net/http handler, one INSERT per request, default synchronous_commit"
	}
	return "net/http handler, one INSERT per request, WAL, synchronous=FULL"
}

// bareSignTable is pledge_signatures without its foreign keys.
func bareSignTable(sqlite bool) string {
	id := "id INTEGER PRIMARY KEY"
	if !sqlite {
		id = "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	return `CREATE TABLE signatures (` + id + `, tenant_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL,
		employee_id BIGINT NOT NULL, unit_id BIGINT NOT NULL, method TEXT NOT NULL, code TEXT NOT NULL UNIQUE, record TEXT NOT NULL,
		record_hash TEXT NOT NULL, signature TEXT NOT NULL, key_id TEXT NOT NULL, leaf_index BIGINT NOT NULL, signed_at BIGINT NOT NULL,
		scan_key TEXT NOT NULL DEFAULT '', scan_sha256 TEXT NOT NULL DEFAULT '', scan_size BIGINT NOT NULL DEFAULT 0,
		ceremony_id BIGINT, created_by BIGINT NOT NULL DEFAULT 0, revoked_at BIGINT NOT NULL DEFAULT 0);
	CREATE UNIQUE INDEX signatures_once ON signatures (campaign_id, employee_id) WHERE revoked_at = 0;
	CREATE INDEX signatures_employee ON signatures (employee_id, campaign_id)`
}

// signBare is the baseline server child.
func signBare(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("_signbare", flag.ContinueOnError)
	dbURL := fs.String("db", "", "database URL")
	recordBytes := fs.Int("record-bytes", 600, "the size of a record")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openBare(*dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	sqlite := strings.HasPrefix(*dbURL, "sqlite:")
	for _, q := range strings.Split(bareSignTable(sqlite), ";") {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("baseline table: %w", err)
		}
	}
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var n atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/pledge-campaigns/{id}/sign", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name string `json:"name"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		i := n.Add(1)
		head := fmt.Sprintf(`{"n":%d,"name":%q,"pad":"`, i, in.Name)
		record := head + strings.Repeat("x", max(0, *recordBytes-len(head)-2)) + `"}`
		hash := sha256.Sum256([]byte(record))
		sig := make([]byte, 64)
		rand.Read(sig)
		code := make([]byte, 10)
		for j := range code {
			code[j] = alphabet[hash[j]%32]
		}
		if _, err := db.ExecContext(r.Context(), `INSERT INTO signatures (tenant_id, campaign_id, employee_id, unit_id, method, code,
			record, record_hash, signature, key_id, leaf_index, signed_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			1, 1, i, 1, "online", string(code), record, base64.StdEncoding.EncodeToString(hash[:]), base64.StdEncoding.EncodeToString(sig),
			"netra/pledge/62.71+1a2b3c4d", i-1, time.Now().UnixMilli(), i); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": i, "code": string(code)})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if err := serveUntilStdinCloses(ln, mux, stdin, stdout); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(childStats{Requests: n.Load(), Batches: n.Load(), PeakRSSMB: peakRSSMB()})
}
