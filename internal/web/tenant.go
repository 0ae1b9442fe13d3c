package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// covers reports whether the actor may exercise p on a unit of tenant t.
func covers(a *netra.Actor, p netra.Permission, t *netra.Tenant, unitPath string) bool {
	if a == nil {
		return false
	}
	return a.ScopeFor(p).CoversUnit(t.ID, t.Path(), unitPath)
}

// coversTenant reports whether the actor may exercise p on the whole of t.
func coversTenant(a *netra.Actor, p netra.Permission, t *netra.Tenant) bool {
	return a != nil && a.ScopeFor(p).CoversTenant(t.Path())
}

type tenantListPage struct {
	*page
	Query   string
	Tenants []store.TenantSummary
	Total   int
}

// tenantList lists the governments in the actor's scope with their counts.
func (s *Server) tenantList(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.store.TenantsCounted(r.Context())
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &tenantListPage{page: s.newPage(r, "tenants.title"), Query: q, Total: len(ts)}
	for _, t := range ts {
		if q == "" || strings.Contains(strings.ToLower(t.Name), strings.ToLower(q)) || strings.HasPrefix(t.Code, q) {
			d.Tenants = append(d.Tenants, t)
		}
	}
	return s.render(w, r, http.StatusOK, "tenants", d)
}

type tenantPage struct {
	*page
	Tenant     *netra.Tenant
	Summary    store.TenantSummary
	Parent     *store.TenantSummary
	Children   []store.TenantSummary
	Units      []netra.OrgUnit
	CanManage  bool
	CanImport  bool
	CanUsers   bool
	CanReadEmp bool
}

// tenantPage shows one government: its counts, the governments below it and
// the top of its organisation tree.
func (s *Server) tenantPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return err
	}
	ts, err := s.store.TenantFamily(ctx, t.ID)
	if err != nil {
		return err
	}
	a := info(r).actor
	p := s.newPage(r, "")
	p.Title = t.Name
	d := &tenantPage{page: p, Tenant: t, CanManage: coversTenant(a, netra.PermUnitManage, t),
		CanImport:  a.ScopeFor(netra.PermImport).ReachesTenant(t.ID, t.Path()),
		CanUsers:   a.ScopeFor(netra.PermUserManage).ReachesTenant(t.ID, t.Path()),
		CanReadEmp: a.Can(netra.PermEmployeeRead)}
	for i := range ts {
		switch {
		case ts[i].ID == t.ID:
			d.Summary = ts[i]
		case ts[i].ID == t.ParentID:
			d.Parent = &ts[i]
		case ts[i].ParentID == t.ID:
			d.Children = append(d.Children, ts[i])
		}
	}
	if d.Units, err = s.startUnits(r, t); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tenant", d)
}

// startUnits returns where browsing a tenant's tree starts for the actor:
// the root units, or for an actor limited to unit subtrees, those units.
func (s *Server) startUnits(r *http.Request, t *netra.Tenant) ([]netra.OrgUnit, error) {
	ctx := r.Context()
	us, err := s.store.Units(ctx, netra.UnitFilter{TenantID: t.ID, Roots: true})
	if err != nil || len(us) > 0 {
		return us, err
	}
	for _, g := range info(r).actor.GrantsFor(netra.PermUnitRead) {
		if g.UnitID != 0 && g.TenantID == t.ID {
			u, err := s.store.Unit(ctx, g.UnitID)
			if err != nil {
				return nil, err
			}
			us = append(us, *u)
		}
	}
	return us, nil
}

type tenantFormPage struct {
	*page
	Fields []field
}

func (s *Server) tenantFields(p *page, r *http.Request) []field {
	return []field{
		{Name: "code", Label: p.T("tenant.code"), Hint: p.T("tenant.code.hint"), Type: "text", Value: r.FormValue("code"),
			Required: true, Autofocus: true, MaxLength: 8, InputMode: "decimal"},
		{Name: "name", Label: p.T("tenant.name"), Hint: p.T("tenant.name.hint"), Type: "text", Value: r.FormValue("name"),
			Required: true, MaxLength: 200},
	}
}

// tenantNewForm shows the form for a new government.
func (s *Server) tenantNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "tenant.new.title")
	return s.render(w, r, http.StatusOK, "tenant_form", &tenantFormPage{page: p, Fields: s.tenantFields(p, r)})
}

// tenantCreate adds a government below the one its code implies.
func (s *Server) tenantCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	t := &netra.Tenant{Code: f.get("code"), Name: f.get("name")}
	if err := s.store.CreateTenant(r.Context(), t); err != nil {
		return s.renderInvalid(w, r, err, "tenant_form", func() (formPage, []field, error) {
			p := s.newPage(r, "tenant.new.title")
			fields := s.tenantFields(p, r)
			return &tenantFormPage{page: p, Fields: fields}, fields, nil
		})
	}
	return s.redirect(w, r, "/instansi/"+strconv.FormatInt(t.ID, 10), "saved")
}
