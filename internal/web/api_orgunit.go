package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

type apiUnit struct {
	ID              int64   `json:"id"`
	TenantID        int64   `json:"tenant_id"`
	ParentID        *int64  `json:"parent_id"`
	Path            string  `json:"path"`
	Depth           int     `json:"depth"`
	Type            string  `json:"type"`
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	RegionCode      string  `json:"region_code"`
	HeadPosition    string  `json:"head_position"`
	ClosedAt        *string `json:"closed_at"`
	Children        int     `json:"open_children"`
	ActiveEmployees int     `json:"active_employees"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

func unitJSON(u *netra.OrgUnit) apiUnit {
	return apiUnit{ID: u.ID, TenantID: u.TenantID, ParentID: optID(u.ParentID), Path: u.Path, Depth: u.Depth, Type: string(u.Type),
		Code: u.Code, Name: u.Name, RegionCode: u.RegionCode, HeadPosition: u.HeadPosition, ClosedAt: optTS(u.ClosedAt),
		Children: u.ChildCount, ActiveEmployees: u.EmployeeCount, CreatedAt: ts(u.CreatedAt), UpdatedAt: ts(u.UpdatedAt)}
}

// apiUnits lists a government's units: the roots, the children of
// parent_id, the subtree under a unit, or a search.
func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.store.Tenant(ctx, id); err != nil {
		return err
	}
	q := newQuery(r)
	f := netra.UnitFilter{TenantID: id, ParentID: q.idParam("parent_id"), Under: q.idParam("under"),
		Roots: q.get("roots") == "true", Search: q.text("q", maxSearch), IncludeClosed: q.get("include_closed") == "true", Limit: q.intIn("limit", 0, 0, 5000)}
	if err := q.err(); err != nil {
		return err
	}
	us, err := s.store.Units(ctx, f)
	if err != nil {
		return err
	}
	out := list[apiUnit]{Items: []apiUnit{}}
	for i := range us {
		out.Items = append(out.Items, unitJSON(&us[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiUnit returns one unit.
func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, unitJSON(u))
}

type apiUnitInput struct {
	ParentID     int64          `json:"parent_id"`
	Type         netra.UnitType `json:"type"`
	Code         string         `json:"code"`
	Name         string         `json:"name"`
	RegionCode   string         `json:"region_code"`
	HeadPosition string         `json:"head_position"`
}

// apiUnitCreate adds a unit to a government's tree.
func (s *Server) apiUnitCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in apiUnitInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u := &netra.OrgUnit{TenantID: id, ParentID: in.ParentID, Type: in.Type, Code: in.Code, Name: in.Name,
		RegionCode: in.RegionCode, HeadPosition: in.HeadPosition}
	ctx := r.Context()
	if err := s.store.CreateUnit(ctx, u); err != nil {
		return err
	}
	if u, err = s.store.Unit(ctx, u.ID); err != nil {
		return err
	}
	return created(w, "/api/v1/units/"+strconv.FormatInt(u.ID, 10), unitJSON(u))
}

type apiUnitPatch struct {
	Type         *netra.UnitType `json:"type"`
	Code         *string         `json:"code"`
	Name         *string         `json:"name"`
	RegionCode   *string         `json:"region_code"`
	HeadPosition *string         `json:"head_position"`
}

// apiUnitUpdate changes the fields given; absent fields stay.
func (s *Server) apiUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in apiUnitPatch
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.store.UpdateUnit(ctx, id, store.UnitUpdate{Name: in.Name, Code: in.Code, Type: in.Type,
		RegionCode: in.RegionCode, HeadPosition: in.HeadPosition}); err != nil {
		return err
	}
	return s.apiUnit(w, r)
}

// apiUnitMove moves a unit and its subtree under parent_id (null: a root).
func (s *Server) apiUnitMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		ParentID *int64 `json:"parent_id"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var parent int64
	if in.ParentID != nil {
		parent = *in.ParentID
	}
	if err := s.store.MoveUnit(r.Context(), id, parent); err != nil {
		return err
	}
	return s.apiUnit(w, r)
}

// apiUnitClose closes a unit; refused (409) while people still work in it.
func (s *Server) apiUnitClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if r.ContentLength > 0 {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxJSONBytes))
	}
	if err := s.store.CloseUnit(r.Context(), id); err != nil {
		return err
	}
	return s.apiUnit(w, r)
}
