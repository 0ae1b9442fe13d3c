package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// maxUnitChoices is the largest tree offered as a drop-down list; larger
// trees take a unit code instead.
const maxUnitChoices = 3000

// crumb is one step of a breadcrumb trail; Href is empty for a unit the
// actor may not open.
type crumb struct {
	Href, Label string
}

type unitRow struct {
	netra.OrgUnit
	Trail string // "Dinas Pendidikan › Bidang SD" for search results
}

type unitTreePage struct {
	*page
	Tenant  *netra.Tenant
	Query   string
	Units   []unitRow
	Search  bool
	CanEdit bool
}

// unitTree is the start of a tenant's organisation tree, or a search in it.
func (s *Server) unitTree(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	p.Title = p.T("units.title", t.Name)
	d := &unitTreePage{page: p, Tenant: t, Query: strings.TrimSpace(r.URL.Query().Get("q")),
		CanEdit: coversTenant(info(r).actor, netra.PermUnitManage, t)}
	if d.Query == "" {
		us, err := s.startUnits(r, t)
		if err != nil {
			return err
		}
		for _, u := range us {
			d.Units = append(d.Units, unitRow{OrgUnit: u})
		}
		return s.render(w, r, http.StatusOK, "units", d)
	}
	d.Search = true
	found, err := s.store.Units(ctx, netra.UnitFilter{TenantID: t.ID, Search: d.Query, IncludeClosed: true, Limit: 200})
	if err != nil {
		return err
	}
	all, err := s.store.Units(ctx, netra.UnitFilter{TenantID: t.ID, IncludeClosed: true, Limit: 10000})
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(all))
	for _, u := range all {
		names[u.ID] = u.Name
	}
	for _, u := range found {
		var trail []string
		for _, part := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			if pid, _ := strconv.ParseInt(part, 10, 64); pid != u.ID && names[pid] != "" {
				trail = append(trail, names[pid])
			}
		}
		d.Units = append(d.Units, unitRow{OrgUnit: u, Trail: strings.Join(trail, " › ")})
	}
	return s.render(w, r, http.StatusOK, "units", d)
}

type unitPage struct {
	*page
	Unit        *netra.OrgUnit
	Tenant      *netra.Tenant
	Crumbs      []crumb
	Children    []netra.OrgUnit
	Employees   int
	EmpMore     bool
	CanManage   bool
	CanEmployee bool
	ShowClosed  bool
}

// unitData loads a unit with its trail, children and head count.
func (s *Server) unitData(r *http.Request, p *page, id int64) (*unitPage, error) {
	ctx := r.Context()
	a := info(r).actor
	u, err := s.store.Unit(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.store.Tenant(ctx, u.TenantID)
	if err != nil {
		return nil, err
	}
	p.Title = u.Name
	d := &unitPage{page: p, Unit: u, Tenant: t, CanManage: covers(a, netra.PermUnitManage, t, u.Path),
		CanEmployee: covers(a, netra.PermEmployeeRead, t, u.Path), ShowClosed: r.URL.Query().Get("tutup") == "1"}
	if d.Crumbs, err = s.crumbs(r, t, u); err != nil {
		return nil, err
	}
	if d.Children, err = s.store.Units(ctx, netra.UnitFilter{TenantID: t.ID, ParentID: u.ID, IncludeClosed: d.ShowClosed}); err != nil {
		return nil, err
	}
	if d.CanEmployee {
		if d.Employees, d.EmpMore, err = s.store.CountEmployees(ctx, netra.EmployeeFilter{UnitID: u.ID, Status: netra.StatusActive}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// crumbs builds the trail from the tenant down to the unit's parent; units
// above the actor's scope show as plain text.
func (s *Server) crumbs(r *http.Request, t *netra.Tenant, u *netra.OrgUnit) ([]crumb, error) {
	a := info(r).actor
	out := []crumb{{Href: "/instansi/" + strconv.FormatInt(t.ID, 10) + "/unit", Label: t.Name}}
	if !a.Can(netra.PermTenantRead) {
		out[0].Href = ""
	}
	anc, err := s.store.UnitAncestors(r.Context(), u)
	if err != nil {
		return nil, err
	}
	for _, x := range anc {
		if x.ID == u.ID {
			continue
		}
		c := crumb{Label: x.Name}
		if covers(a, netra.PermUnitRead, t, x.Path) {
			c.Href = "/unit/" + strconv.FormatInt(x.ID, 10)
		}
		out = append(out, c)
	}
	return out, nil
}

// unitPage shows a unit, its children and what can be done with it.
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.unitData(r, s.newPage(r, ""), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "unit", d)
}

type unitFormPage struct {
	*page
	Tenant    *netra.Tenant
	Unit      *netra.OrgUnit // nil for a new unit
	Parent    *netra.OrgUnit
	Crumbs    []crumb
	Fields    []field
	Move      []field
	MoveError string
}

func (s *Server) unitFields(p *page, u *netra.OrgUnit) []field {
	return []field{
		{Name: "type", Label: p.T("unit.type"), Type: "select", Options: unitTypeOptions(p, string(u.Type)), Required: true},
		{Name: "code", Label: p.T("unit.code"), Hint: p.T("unit.code.hint"), Type: "text", Value: u.Code, Required: true, MaxLength: 64},
		{Name: "name", Label: p.T("unit.name"), Type: "text", Value: u.Name, Required: true, MaxLength: 200},
		{Name: "head_position", Label: p.T("unit.head"), Hint: p.T("unit.head.hint"), Type: "text", Value: u.HeadPosition, MaxLength: 200},
		{Name: "region_code", Label: p.T("unit.region"), Hint: p.T("unit.region.hint"), Type: "text", Value: u.RegionCode, MaxLength: 16, InputMode: "decimal"},
	}
}

func unitFromForm(f *form) netra.OrgUnit {
	return netra.OrgUnit{Type: netra.UnitType(f.get("type")), Code: f.get("code"), Name: f.get("name"),
		HeadPosition: f.get("head_position"), RegionCode: f.get("region_code")}
}

// unitNewForm shows the form for a unit under ?induk= (or a root unit).
func (s *Server) unitNewForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.newUnitData(r, formID(r.URL.Query().Get("induk")), &netra.OrgUnit{Type: netra.UnitBidang})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "unit_form", d)
}

func (s *Server) newUnitData(r *http.Request, parentID int64, u *netra.OrgUnit) (*unitFormPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "unit.new.title")
	d := &unitFormPage{page: p, Tenant: t, Fields: s.unitFields(p, u)}
	if parentID != 0 {
		if d.Parent, err = s.store.Unit(ctx, parentID); err != nil {
			return nil, err
		}
		if d.Parent.TenantID != t.ID {
			return nil, errNotFound
		}
		if d.Crumbs, err = s.crumbs(r, t, d.Parent); err != nil {
			return nil, err
		}
		d.Crumbs = append(d.Crumbs, crumb{Href: "/unit/" + strconv.FormatInt(parentID, 10), Label: d.Parent.Name})
	}
	return d, nil
}

// unitCreate adds a unit.
func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := unitFromForm(f)
	u.TenantID, u.ParentID = id, f.id("parent")
	if err := s.store.CreateUnit(r.Context(), &u); err != nil {
		return s.renderInvalid(w, r, err, "unit_form", func() (formPage, []field, error) {
			d, err := s.newUnitData(r, u.ParentID, &u)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/unit/"+strconv.FormatInt(u.ID, 10), "unit_created")
}

// editUnitData prepares the edit page: the unit's fields and the move form.
func (s *Server) editUnitData(r *http.Request, id int64, form *netra.OrgUnit) (*unitFormPage, error) {
	ctx := r.Context()
	u, err := s.store.Unit(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.store.Tenant(ctx, u.TenantID)
	if err != nil {
		return nil, err
	}
	a := info(r).actor
	if !covers(a, netra.PermUnitManage, t, u.Path) {
		return nil, netra.ErrForbidden
	}
	p := s.newPage(r, "")
	p.Title = p.T("unit.edit.title", u.Name)
	if form == nil {
		form = u
	}
	d := &unitFormPage{page: p, Tenant: t, Unit: u, Fields: s.unitFields(p, form)}
	if d.Crumbs, err = s.crumbs(r, t, u); err != nil {
		return nil, err
	}
	d.Crumbs = append(d.Crumbs, crumb{Href: "/unit/" + strconv.FormatInt(u.ID, 10), Label: u.Name})
	all, err := s.store.Units(ctx, netra.UnitFilter{TenantID: t.ID, Limit: maxUnitChoices + 1})
	if err != nil {
		return nil, err
	}
	current := strconv.FormatInt(u.ParentID, 10)
	if len(all) > maxUnitChoices {
		d.Move = []field{{Name: "parent_code", Label: p.T("unit.move.code"), Hint: p.T("unit.move.code.hint"), Type: "text", Required: true}}
		return d, nil
	}
	var opts []option
	if coversTenant(a, netra.PermUnitManage, t) {
		opts = append(opts, option{Value: "0", Label: p.T("unit.move.root"), Selected: u.ParentID == 0})
	}
	for _, x := range all {
		if strings.HasPrefix(x.Path, u.Path) || !covers(a, netra.PermUnitManage, t, x.Path) {
			continue // the unit's own subtree, and units the actor may not manage
		}
		v := strconv.FormatInt(x.ID, 10)
		opts = append(opts, option{Value: v, Label: strings.Repeat("— ", x.Depth) + x.Name, Selected: v == current})
	}
	d.Move = []field{{Name: "parent", Label: p.T("unit.move.parent"), Type: "select", Options: opts, Required: true}}
	return d, nil
}

// unitEditForm shows the unit's edit, move and close forms.
func (s *Server) unitEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.editUnitData(r, id, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "unit_form", d)
}

// unitUpdate renames or re-codes a unit.
func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := unitFromForm(f)
	_, err = s.store.UpdateUnit(r.Context(), id, store.UnitUpdate{Name: &u.Name, Code: &u.Code, Type: &u.Type,
		RegionCode: &u.RegionCode, HeadPosition: &u.HeadPosition})
	if err != nil {
		return s.renderInvalid(w, r, err, "unit_form", func() (formPage, []field, error) {
			d, err := s.editUnitData(r, id, &u)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/unit/"+strconv.FormatInt(id, 10), "saved")
}

// unitMove moves a unit and its subtree under another parent.
func (s *Server) unitMove(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	parent := f.id("parent")
	if code := f.trim("parent_code"); code != "" {
		u, err := s.store.Unit(ctx, id)
		if err != nil {
			return err
		}
		pu, err := s.store.UnitByCode(ctx, u.TenantID, code)
		if err != nil {
			err = netra.Invalid("parent", netra.Msg("Tidak ada unit dengan kode "+code+".", "No unit has the code "+code+"."))
		} else {
			parent = pu.ID
		}
		if err != nil {
			return s.moveFailed(w, r, id, err)
		}
	}
	if err := s.store.MoveUnit(ctx, id, parent); err != nil {
		return s.moveFailed(w, r, id, err)
	}
	return s.redirect(w, r, "/unit/"+strconv.FormatInt(id, 10), "unit_moved")
}

func (s *Server) moveFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	d, derr := s.editUnitData(r, id, nil)
	if derr != nil {
		return derr
	}
	msgs := fieldMessages(err, d.Lang)
	if m, ok := msgs["parent"]; ok {
		d.Move[0].Error = m
		d.Errors = append(d.Errors, summaryItem{Field: d.Move[0].ID(), Label: d.Move[0].Label, Message: m})
	} else {
		d.applyErrors(err, d.Move)
	}
	return s.render(w, r, status, "unit_form", d)
}

// unitClose closes a unit; the store refuses while people still work there,
// and its message says so on the unit's page.
func (s *Server) unitClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.CloseUnit(r.Context(), id); err != nil {
		return s.renderInvalid(w, r, err, "unit", func() (formPage, []field, error) {
			d, err := s.unitData(r, s.newPage(r, ""), id)
			return d, nil, err
		})
	}
	return s.redirect(w, r, "/unit/"+strconv.FormatInt(id, 10), "unit_closed")
}
