package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/netra-id/netra"
)

// An employee's positions over time: the chain of superiors on a chosen
// date and the recorded assignments (earlier positions, Plt and Plh) on the
// employee's page, a form to record an acting assignment, and the JSON API.

// positionsView is the employee page's positions section (the "positions"
// partial).
type positionsView struct {
	EmployeeID  int64
	At          string // YYYY-MM-DD
	AtLabel     string
	Superiors   []netra.Superior
	Assignments []netra.Assignment
	CanEdit     bool
	UnitByCode  bool
	Fields      []field // the form for an acting assignment
}

// positionsView loads the section for employee e of tenant t on the date in
// ?at= (default today): one audited read.
func (s *Server) positionsView(r *http.Request, p *page, e *netra.Employee, t *netra.Tenant, canEdit bool) (*positionsView, error) {
	q := newQuery(r)
	at := dayParam(q, "at", s.today())
	if err := q.err(); err != nil {
		return nil, err
	}
	ps, err := s.store.EmployeePositions(r.Context(), e.ID, at)
	if err != nil {
		return nil, err
	}
	v := &positionsView{EmployeeID: e.ID, At: ps.At.Format(dateLayout), AtLabel: p.Birth(ps.At), Superiors: ps.Superiors,
		Assignments: ps.Assignments, CanEdit: canEdit}
	if canEdit {
		if v.Fields, v.UnitByCode, err = s.assignmentFields(r, p, t, &netra.Assignment{Kind: netra.Plt}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func assignmentKindOptions(p *page, current string) []option {
	var pairs []string
	for _, k := range []netra.AssignmentKind{netra.Plt, netra.Plh, netra.Definitive} {
		label := k.Label(p.Lang)
		if k == netra.Definitive {
			label = p.T("position.kind.past")
		}
		pairs = append(pairs, string(k), label)
	}
	return options(current, pairs...)
}

// assignmentFields builds the form for an assignment in tenant t: the unit
// from a list, or by code in trees too large for one.
func (s *Server) assignmentFields(r *http.Request, p *page, t *netra.Tenant, a *netra.Assignment) ([]field, bool, error) {
	units, err := s.store.Units(r.Context(), netra.UnitFilter{TenantID: t.ID, Limit: maxUnitChoices + 1})
	if err != nil {
		return nil, false, err
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(dateLayout)
	}
	byCode := len(units) > maxUnitChoices
	unit := field{Name: "unit", Label: p.T("position.unit"), Hint: p.T("position.unit.hint"), Type: "select", Required: true,
		Options: unitOptions(units, a.UnitID, p.T("employee.unit.choose"))}
	if byCode {
		code := ""
		if a.UnitID != 0 {
			if u, err := s.store.Unit(r.Context(), a.UnitID); err == nil {
				code = u.Code
			}
		}
		unit = field{Name: "unit", Label: p.T("employee.unit.code"), Hint: p.T("position.unit.hint"), Type: "text", Value: code, Required: true}
	}
	return []field{
		{Name: "kind", Label: p.T("position.kind"), Type: "select", Required: true, Options: assignmentKindOptions(p, string(a.Kind))},
		unit,
		{Name: "position_name", Label: p.T("position.name"), Hint: p.T("position.name.hint"), Type: "text", Value: a.PositionName, MaxLength: 200},
		{Name: "start", Label: p.T("position.start"), Type: "date", Value: date(a.Start)},
		{Name: "end", Label: p.T("position.end"), Hint: p.T("position.end.hint"), Type: "date", Value: date(a.End)},
		{Name: "decree_number", Label: p.T("position.decree_number"), Type: "text", Value: a.DecreeNumber, MaxLength: 100},
		{Name: "decree_date", Label: p.T("position.decree_date"), Type: "date", Value: date(a.DecreeDate)},
	}, byCode, nil
}

type assignmentFormPage struct {
	*page
	Employee   *netra.Employee
	Crumbs     []crumb
	Fields     []field
	UnitByCode bool
}

// assignmentFormData builds the standalone assignment form for employee e.
func (s *Server) assignmentFormData(r *http.Request, e *netra.Employee, a *netra.Assignment) (*assignmentFormPage, error) {
	t, err := s.store.Tenant(r.Context(), e.TenantID)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "")
	p.Title = p.T("position.new.title", e.FullName())
	d := &assignmentFormPage{page: p, Employee: e, Crumbs: []crumb{{Href: "/pegawai/" + strconv.FormatInt(e.ID, 10), Label: e.FullName()}}}
	if d.Fields, d.UnitByCode, err = s.assignmentFields(r, p, t, a); err != nil {
		return nil, err
	}
	return d, nil
}

// employeeForAssignment loads the employee of the path and checks the actor
// may write their record.
func (s *Server) employeeForAssignment(r *http.Request) (*netra.Employee, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	e, err := s.store.Employee(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.store.Tenant(ctx, e.TenantID)
	if err != nil {
		return nil, err
	}
	if !covers(info(r).actor, netra.PermEmployeeWrite, t, e.UnitPath) {
		return nil, netra.ErrForbidden
	}
	return e, nil
}

// assignmentNewForm shows the form to record an assignment of an employee.
func (s *Server) assignmentNewForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.employeeForAssignment(r)
	if err != nil {
		return err
	}
	d, err := s.assignmentFormData(r, e, &netra.Assignment{Kind: netra.Plt})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "assignment_form", d)
}

// assignmentCreate records an assignment (Plt, Plh, or a past definitive
// position) of an employee.
func (s *Server) assignmentCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	e, err := s.employeeForAssignment(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := &netra.Assignment{EmployeeID: e.ID, Kind: netra.AssignmentKind(f.get("kind")), PositionName: f.get("position_name"),
		Start: f.date("start"), End: f.date("end"), DecreeNumber: f.get("decree_number"), DecreeDate: f.date("decree_date"),
		Source: netra.SourceForm}
	if f.get("unit_by_code") == "1" {
		if code := f.trim("unit"); code != "" {
			if u, err := s.store.UnitByCode(ctx, e.TenantID, code); err == nil {
				a.UnitID = u.ID
			} else {
				f.invalid("unit", netra.Msg("Tidak ada unit dengan kode "+code+".", "No unit has the code "+code+"."))
			}
		}
	} else {
		a.UnitID = f.id("unit")
	}
	err = f.err()
	if err == nil {
		err = s.store.CreateAssignment(ctx, a)
	} else {
		err = joinInvalid(err, a.Validate())
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "assignment_form", func() (formPage, []field, error) {
			d, err := s.assignmentFormData(r, e, a)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	back := "/pegawai/" + strconv.FormatInt(e.ID, 10)
	if !a.Start.IsZero() {
		back += "?at=" + a.Start.Format(dateLayout)
	}
	return s.redirect(w, r, back+"#jabatan", "assignment_saved")
}

// assignmentDelete removes the assignment named by the form's assignment field.
func (s *Server) assignmentDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAssignment(r.Context(), id, f.id("assignment")); err != nil {
		return err
	}
	return s.redirect(w, r, "/pegawai/"+strconv.FormatInt(id, 10)+"#jabatan", "assignment_deleted")
}

// The JSON API.

type apiAssignment struct {
	ID           int64   `json:"id"`
	TenantID     int64   `json:"tenant_id"`
	EmployeeID   int64   `json:"employee_id"`
	UnitID       int64   `json:"unit_id"`
	UnitName     string  `json:"unit_name"`
	PositionName string  `json:"position_name"`
	PositionType string  `json:"position_type"`
	Head         bool    `json:"head"`
	Kind         string  `json:"kind"`
	Start        *string `json:"start"`
	End          *string `json:"end"`
	DecreeNumber string  `json:"decree_number"`
	DecreeDate   *string `json:"decree_date"`
	Source       string  `json:"source"`
	CreatedBy    string  `json:"created_by"`
	CreatedAt    string  `json:"created_at"`
}

func assignmentJSON(a *netra.Assignment) apiAssignment {
	return apiAssignment{ID: a.ID, TenantID: a.TenantID, EmployeeID: a.EmployeeID, UnitID: a.UnitID, UnitName: a.UnitName,
		PositionName: a.PositionName, PositionType: string(a.PositionType), Head: a.Head, Kind: string(a.Kind), Start: optDay(a.Start),
		End: optDay(a.End), DecreeNumber: a.DecreeNumber, DecreeDate: optDay(a.DecreeDate), Source: a.Source, CreatedBy: a.CreatedBy,
		CreatedAt: ts(a.CreatedAt)}
}

type apiSuperior struct {
	Level        int     `json:"level"`
	UnitID       *int64  `json:"unit_id"`
	UnitName     string  `json:"unit_name"`
	Office       string  `json:"office"`
	Kind         string  `json:"kind"`
	Vacant       bool    `json:"vacant"`
	EmployeeID   *int64  `json:"employee_id"`
	Name         string  `json:"name"`
	NIP          string  `json:"nip"`
	PositionName string  `json:"position_name"`
	Start        *string `json:"start"`
	End          *string `json:"end"`
}

// apiSuperiors returns an employee's chain of superiors on ?at= (default today).
func (s *Server) apiSuperiors(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	at := dayParam(q, "at", s.today())
	if err := q.err(); err != nil {
		return err
	}
	sups, err := s.store.Superiors(r.Context(), id, at)
	if err != nil {
		return err
	}
	out := struct {
		At    string        `json:"at"`
		Items []apiSuperior `json:"items"`
	}{At: netra.Day(at).Format(dateLayout), Items: []apiSuperior{}}
	for _, x := range sups {
		out.Items = append(out.Items, apiSuperior{Level: x.Level, UnitID: optID(x.UnitID), UnitName: x.UnitName, Office: string(x.Office),
			Kind: x.Kind, Vacant: x.Vacant, EmployeeID: optID(x.EmployeeID), Name: x.Name, NIP: x.NIP, PositionName: x.PositionName,
			Start: optDay(x.Start), End: optDay(x.End)})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiAssignments lists an employee's recorded assignments, newest first.
func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	as, err := s.store.Assignments(r.Context(), id)
	if err != nil {
		return err
	}
	out := list[apiAssignment]{Items: []apiAssignment{}}
	for i := range as {
		out.Items = append(out.Items, assignmentJSON(&as[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiAssignmentCreate records an assignment of an employee.
func (s *Server) apiAssignmentCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		UnitID       int64   `json:"unit_id"`
		Kind         string  `json:"kind"`
		PositionName string  `json:"position_name"`
		PositionType string  `json:"position_type"`
		Start        *string `json:"start"`
		End          *string `json:"end"`
		DecreeNumber string  `json:"decree_number"`
		DecreeDate   *string `json:"decree_date"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var v netra.ValidationError
	a := &netra.Assignment{EmployeeID: id, UnitID: in.UnitID, Kind: netra.AssignmentKind(in.Kind), PositionName: in.PositionName,
		PositionType: netra.PositionType(in.PositionType), Start: jsonDay(&v, "start", in.Start), End: jsonDay(&v, "end", in.End),
		DecreeNumber: in.DecreeNumber, DecreeDate: jsonDay(&v, "decree_date", in.DecreeDate), Source: netra.SourceForm}
	if err := joinInvalid(v.Err(), a.Validate()); err != nil {
		return err
	}
	if err := s.store.CreateAssignment(r.Context(), a); err != nil {
		return err
	}
	return created(w, "/api/v1/employees/"+strconv.FormatInt(id, 10)+"/assignments", assignmentJSON(a))
}

// apiAssignmentDelete removes an assignment of an employee.
func (s *Server) apiAssignmentDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "assignment")
	if err != nil {
		return err
	}
	if err := s.store.DeleteAssignment(r.Context(), id, aid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
