package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The JSON API: snake_case fields, times in RFC 3339 UTC, keyset cursors,
// RFC 9457 problem bodies for errors (see errors.go). openapi.json
// describes every route; a test keeps the two in step.

//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the OpenAPI document.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc)
	return err
}

// maxJSONBytes bounds an API request body.
const maxJSONBytes = 1 << 20

// decodeJSON reads a request body into v, refusing unknown fields so that
// a misspelt field is an error rather than silently ignored.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return jsonProblem(err)
	}
	if dec.More() {
		return errBadRequest("Badan permintaan memuat lebih dari satu nilai JSON.", "The request body holds more than one JSON value.")
	}
	return nil
}

// jsonProblem turns a decoding error into a message in the caller's
// language that names the field, never Go's own text: a value of the wrong
// type or an unknown field is a field error (422), broken JSON a 400.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return netra.Invalid(field, netra.Msg("Nilai "+field+" bertipe salah: seharusnya "+jsonKind(te.Type.Kind().String())+".",
			"The value of "+field+" has the wrong type: it should be "+jsonKind(te.Type.Kind().String())+"."))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return netra.Invalid(field, netra.Msg("Kolom "+field+" tidak dikenal.", "Unknown field "+field+"."))
	case errors.As(err, &se):
		return errBadRequest(fmt.Sprintf("Badan permintaan bukan JSON yang sah (rusak pada byte %d).", se.Offset),
			fmt.Sprintf("The request body is not valid JSON (broken at byte %d).", se.Offset))
	case errors.Is(err, io.EOF):
		return errBadRequest("Badan permintaan kosong: kirim objek JSON.", "The request body is empty: send a JSON object.")
	}
	return errBadRequest("Badan permintaan bukan JSON yang sah (terpotong).", "The request body is not valid JSON (cut short).")
}

// jsonKind names a Go kind as a JSON type.
func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "number"
	case k == "bool":
		return "true/false"
	case k == "slice", k == "array":
		return "array"
	case k == "struct", k == "map":
		return "object"
	}
	return "string"
}

// ts formats a time as RFC 3339 in UTC.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// optTS formats an optional time; the zero time is null.
func optTS(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ts(t)
	return &s
}

// optID is null for 0.
func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func created(w http.ResponseWriter, location string, v any) error {
	w.Header().Set("Location", location)
	return writeJSON(w, http.StatusCreated, v)
}

type list[T any] struct {
	Items []T `json:"items"`
}

type apiMeBody struct {
	UserID      *int64     `json:"user_id"`
	Username    string     `json:"username,omitempty"`
	Name        string     `json:"name,omitempty"`
	EmployeeID  *int64     `json:"employee_id"`
	TokenID     *int64     `json:"token_id"`
	Label       string     `json:"label"`
	Grants      []apiGrant `json:"grants"`
	Permissions []string   `json:"permissions"`
}

// apiMe says who the caller is and what they may do.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	a := in.actor
	b := apiMeBody{UserID: optID(a.UserID), EmployeeID: optID(a.EmployeeID), TokenID: optID(a.TokenID), Label: a.Label,
		Grants: []apiGrant{}, Permissions: []string{}}
	if in.user != nil {
		b.Username, b.Name = in.user.Username, in.user.Name
	}
	for _, g := range a.Grants {
		b.Grants = append(b.Grants, grantJSON(g))
	}
	for _, p := range netra.Permissions {
		if a.Can(p) {
			b.Permissions = append(b.Permissions, string(p))
		}
	}
	return writeJSON(w, http.StatusOK, b)
}

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
	f := store.UnitFilter{TenantID: id, ParentID: q.ID("parent_id"), Under: q.ID("under"),
		Roots: q.Get("roots") == "true", Search: q.Text("q", maxSearch), IncludeClosed: q.Get("include_closed") == "true", Limit: q.Int("limit", 0, 0, 5000)}
	if err := q.Err(); err != nil {
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
	limit := qp.Int("limit", 100, 1, 500)
	if err := qp.Err(); err != nil {
		return err
	}
	q := qp.v
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
