package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The public face of the signed audit log: anyone may fetch its newest
// signed checkpoint, its verifier keys and a consistency proof between two
// sizes, and check with the key alone that a later checkpoint extends an
// earlier one (docs/audit.md). None of it reveals an entry.

// logCheckpoint serves the newest signed checkpoint of the audit log as a
// note (text/plain).
func (s *Server) logCheckpoint(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.LatestCheckpoint(r.Context(), store.AuditLog)
	if err != nil {
		return err
	}
	return writeText(w, c.Note)
}

// logKey serves the verifier keys of the audit log, one a line, oldest
// first (a rotated key stays listed). Verifiers should pin the copy
// published outside the server (the key file, a mail) rather than trust
// this one.
func (s *Server) logKey(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.store.LogVerifierKeys(r.Context(), store.AuditLog)
	if err != nil {
		return err
	}
	return writeText(w, []byte(strings.Join(keys, "\n")+"\n"))
}

// logProof serves the consistency proof that the audit log's tree of size
// new extends its tree of size old: one base64 hash a line, as
// golang.org/x/mod/sumdb/tlog.CheckTree takes them.
func (s *Server) logProof(w http.ResponseWriter, r *http.Request) error {
	old, err1 := strconv.ParseInt(r.URL.Query().Get("old"), 10, 64)
	n, err2 := strconv.ParseInt(r.URL.Query().Get("new"), 10, 64)
	if err1 != nil || err2 != nil {
		var v netra.ValidationError
		v.Add("old", netra.Msg("signlog.proof.params", "want ?old=N&new=M, two sizes"))
		return v.Err()
	}
	p, err := s.store.LogConsistencyProof(r.Context(), store.AuditLog, old, n)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, h := range p {
		fmt.Fprintln(&b, h.String())
	}
	return writeText(w, []byte(b.String()))
}

func writeText(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(b)
	return err
}
