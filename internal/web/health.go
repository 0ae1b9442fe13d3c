package web

import (
	"context"
	"net/http"
	"time"

	"github.com/netra-id/netra"
)

// healthBody is the answer of /healthz.
type healthBody struct {
	Status        string `json:"status"` // "ok" or "unavailable"
	Version       string `json:"version"`
	Dialect       string `json:"dialect"`
	SchemaVersion int64  `json:"schema_version"`
	SchemaLatest  int64  `json:"schema_latest"`
	Error         string `json:"error,omitempty"`
}

// health answers load balancers and monitoring: 200 when the database
// answers within two seconds, 503 otherwise.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	b := healthBody{Status: "ok", Version: netra.Version, Dialect: string(s.store.Dialect())}
	err := s.store.Ping(ctx)
	if err == nil {
		b.SchemaVersion, b.SchemaLatest, err = s.store.SchemaVersion(ctx)
	}
	status := http.StatusOK
	if err != nil {
		s.log.Warn("health check failed", "err", err)
		b.Status, b.Error, status = "unavailable", "database not answering", http.StatusServiceUnavailable
	}
	return writeJSON(w, status, b)
}
