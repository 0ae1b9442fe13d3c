package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// The public face of each government's pledge log, beside the audit log's
// (checkpoint.go): its newest signed checkpoint, its verifier keys (current
// and rotated: they sign the pledge records too) and consistency proofs, at
// /log/ikrar/{tenant}/… with the government's Kemendagri code. The log
// holds only each record's hash: nothing here is personal.

// pledgeLogName returns the log of the government named in the path, or
// errNotFound for anything that is not a government code.
func pledgeLogName(r *http.Request) (string, error) {
	code := r.PathValue("tenant")
	if _, ok := netra.LevelOfCode(code); !ok {
		return "", errNotFound
	}
	return netra.PledgeLogName(code), nil
}

// pledgeLogCheckpoint serves the newest signed checkpoint of a
// government's pledge log as a note (text/plain).
func (s *Server) pledgeLogCheckpoint(w http.ResponseWriter, r *http.Request) error {
	name, err := pledgeLogName(r)
	if err != nil {
		return err
	}
	c, err := s.store.LatestCheckpoint(r.Context(), name)
	if err != nil {
		return err
	}
	return writeText(w, c.Note)
}

// pledgeLogKey serves the verifier keys of a government's pledge log, one
// a line, oldest first: with them anyone checks a certificate offline
// (netra pledge verify --key).
func (s *Server) pledgeLogKey(w http.ResponseWriter, r *http.Request) error {
	name, err := pledgeLogName(r)
	if err != nil {
		return err
	}
	keys, err := s.store.LogVerifierKeys(r.Context(), name)
	if err != nil {
		return err
	}
	return writeText(w, []byte(strings.Join(keys, "\n")+"\n"))
}

// pledgeLogProof serves the consistency proof that a government's pledge
// log of size new extends its log of size old, one base64 hash a line.
func (s *Server) pledgeLogProof(w http.ResponseWriter, r *http.Request) error {
	name, err := pledgeLogName(r)
	if err != nil {
		return err
	}
	old, err1 := strconv.ParseInt(r.URL.Query().Get("old"), 10, 64)
	n, err2 := strconv.ParseInt(r.URL.Query().Get("new"), 10, 64)
	if err1 != nil || err2 != nil {
		var v netra.ValidationError
		v.Add("old", netra.Msg("signlog.proof.params", "want ?old=N&new=M, two sizes"))
		return v.Err()
	}
	p, err := s.store.LogConsistencyProof(r.Context(), name, old, n)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, h := range p {
		fmt.Fprintln(&b, h.String())
	}
	return writeText(w, []byte(b.String()))
}
