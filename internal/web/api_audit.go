package web

import (
	"encoding/json"
	"net/http"
)

type apiAuditEntry struct {
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	ActorID    *int64          `json:"actor_id"`
	TokenID    *int64          `json:"token_id"`
	ActorLabel string          `json:"actor_label"`
	IP         string          `json:"ip"`
	TenantID   *int64          `json:"tenant_id"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Summary    json.RawMessage `json:"summary"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

type auditList struct {
	Items      []apiAuditEntry `json:"items"`
	NextBefore *int64          `json:"next_before"`
}

// apiAudit lists audit entries, newest first; pass next_before as before
// for the next page.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	qp := newQuery(r)
	limit := qp.intIn("limit", 100, 1, 500)
	if err := qp.err(); err != nil {
		return err
	}
	q := qp.values
	f, err := auditFilter(q, limit)
	if err != nil {
		return err
	}
	es, err := s.store.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	out := auditList{Items: []apiAuditEntry{}}
	for _, e := range es {
		sum := json.RawMessage("null")
		if e.Summary != "" {
			if json.Valid([]byte(e.Summary)) {
				sum = json.RawMessage(e.Summary)
			} else {
				b, _ := json.Marshal(e.Summary)
				sum = b
			}
		}
		out.Items = append(out.Items, apiAuditEntry{Seq: e.Seq, At: ts(e.At), ActorID: optID(e.ActorID), TokenID: optID(e.TokenID),
			ActorLabel: e.ActorLabel, IP: e.IP, TenantID: optID(e.TenantID), Action: e.Action, ObjectType: e.ObjectType,
			ObjectID: e.ObjectID, Summary: sum, PrevHash: e.PrevHash, Hash: e.Hash})
	}
	if len(es) == limit {
		out.NextBefore = &es[len(es)-1].Seq
	}
	return writeJSON(w, http.StatusOK, out)
}
