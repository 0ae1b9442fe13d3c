package web

import (
	"net/http"

	"github.com/netra-id/netra/internal/store"
)

type apiTenant struct {
	ID              int64  `json:"id"`
	Code            string `json:"code"`
	Name            string `json:"name"`
	Level           string `json:"level"`
	ParentID        *int64 `json:"parent_id"`
	Units           int    `json:"units"`
	ActiveEmployees int    `json:"active_employees"`
	CreatedAt       string `json:"created_at"`
}

func tenantJSON(t store.TenantSummary) apiTenant {
	return apiTenant{ID: t.ID, Code: t.Code, Name: t.Name, Level: string(t.Level), ParentID: optID(t.ParentID),
		Units: t.Units, ActiveEmployees: t.Employees, CreatedAt: ts(t.CreatedAt)}
}

// apiTenants lists the governments in scope with their counts.
func (s *Server) apiTenants(w http.ResponseWriter, r *http.Request) error {
	tl, err := s.store.TenantsCounted(r.Context())
	if err != nil {
		return err
	}
	out := list[apiTenant]{Items: []apiTenant{}}
	for _, t := range tl {
		out.Items = append(out.Items, tenantJSON(t))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiTenant returns one government.
func (s *Server) apiTenant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return err
	}
	tl, err := s.store.TenantsCounted(ctx, id)
	if err != nil {
		return err
	}
	sum := store.TenantSummary{Tenant: *t}
	for _, x := range tl {
		if x.ID == id {
			sum = x
		}
	}
	return writeJSON(w, http.StatusOK, tenantJSON(sum))
}
