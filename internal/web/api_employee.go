package web

import (
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

type apiEmployee struct {
	ID           int64  `json:"id"`
	TenantID     int64  `json:"tenant_id"`
	NIP          string `json:"nip"`
	Name         string `json:"name"`
	FrontTitle   string `json:"front_title"`
	BackTitle    string `json:"back_title"`
	FullName     string `json:"full_name"`
	Type         string `json:"type"`
	Golongan     string `json:"golongan"`
	PositionName string `json:"position_name"`
	PositionType string `json:"position_type"`
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Status       string `json:"status"`
	BirthDate    string `json:"birth_date"`
	Sex          string `json:"sex"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func employeeJSON(e *netra.Employee) apiEmployee {
	birth := ""
	if !e.BirthDate.IsZero() {
		birth = e.BirthDate.Format("2006-01-02")
	}
	return apiEmployee{ID: e.ID, TenantID: e.TenantID, NIP: e.NIP, Name: e.Name, FrontTitle: e.FrontTitle, BackTitle: e.BackTitle,
		FullName: e.FullName(), Type: string(e.Type), Golongan: string(e.Golongan), PositionName: e.PositionName,
		PositionType: string(e.PositionType), UnitID: e.UnitID, UnitName: e.UnitName, Email: e.Email, Phone: e.Phone,
		Status: string(e.Status), BirthDate: birth, Sex: string(e.Sex), CreatedAt: ts(e.CreatedAt), UpdatedAt: ts(e.UpdatedAt)}
}

type employeeList struct {
	Items       []apiEmployee `json:"items"`
	Total       int           `json:"total"`
	TotalCapped bool          `json:"total_capped"`
	NextCursor  *string       `json:"next_cursor"`
}

// apiEmployees lists employees in scope, a keyset page at a time.
func (s *Server) apiEmployees(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	after, err := decodeCursor(q.Get("cursor"))
	if err != nil {
		return err
	}
	qp := newQuery(r)
	f := netra.EmployeeFilter{TenantID: qp.idParam("tenant_id"), UnitID: qp.idParam("unit_id"),
		Type: netra.EmploymentType(q.Get("type")), PositionType: netra.PositionType(q.Get("position_type")),
		Status: netra.EmployeeStatus(q.Get("status")), Search: qp.text("q", maxSearch), After: after, Limit: qp.intIn("limit", 0, 0, 500)}
	if err := qp.err(); err != nil {
		return err
	}
	pg, err := s.store.Employees(r.Context(), f)
	if err != nil {
		return err
	}
	out := employeeList{Items: []apiEmployee{}, Total: pg.Total, TotalCapped: pg.More}
	for i := range pg.Employees {
		out.Items = append(out.Items, employeeJSON(&pg.Employees[i]))
	}
	if pg.Next != "" {
		c := encodeCursor(pg.Next)
		out.NextCursor = &c
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiEmployee returns one employee; the read is audited.
func (s *Server) apiEmployee(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.Employee(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, employeeJSON(e))
}

type apiEmployeeInput struct {
	NIP          string               `json:"nip"`
	Name         string               `json:"name"`
	FrontTitle   string               `json:"front_title"`
	BackTitle    string               `json:"back_title"`
	Type         netra.EmploymentType `json:"type"`
	Golongan     netra.Golongan       `json:"golongan"`
	PositionName string               `json:"position_name"`
	PositionType netra.PositionType   `json:"position_type"`
	UnitID       int64                `json:"unit_id"`
	Email        string               `json:"email"`
	Phone        string               `json:"phone"`
	Status       netra.EmployeeStatus `json:"status"`
}

// apiEmployeeCreate adds an employee.
func (s *Server) apiEmployeeCreate(w http.ResponseWriter, r *http.Request) error {
	var in apiEmployeeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e := &netra.Employee{NIP: in.NIP, Name: in.Name, FrontTitle: in.FrontTitle, BackTitle: in.BackTitle, Type: in.Type,
		Golongan: in.Golongan, PositionName: in.PositionName, PositionType: in.PositionType, UnitID: in.UnitID,
		Email: in.Email, Phone: in.Phone, Status: in.Status}
	ctx := r.Context()
	if err := s.store.CreateEmployee(ctx, e); err != nil {
		return err
	}
	e, err := s.store.Employee(ctx, e.ID)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/employees/"+strconv.FormatInt(e.ID, 10), employeeJSON(e))
}

type apiEmployeePatch struct {
	Name         *string               `json:"name"`
	FrontTitle   *string               `json:"front_title"`
	BackTitle    *string               `json:"back_title"`
	Type         *netra.EmploymentType `json:"type"`
	Golongan     *netra.Golongan       `json:"golongan"`
	PositionName *string               `json:"position_name"`
	PositionType *netra.PositionType   `json:"position_type"`
	UnitID       *int64                `json:"unit_id"`
	Email        *string               `json:"email"`
	Phone        *string               `json:"phone"`
	Status       *netra.EmployeeStatus `json:"status"`
}

// apiEmployeeUpdate changes the fields given; a new unit_id moves the employee.
func (s *Server) apiEmployeeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in apiEmployeePatch
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.store.UpdateEmployee(ctx, id, store.EmployeeUpdate{Name: in.Name, FrontTitle: in.FrontTitle,
		BackTitle: in.BackTitle, Type: in.Type, Golongan: in.Golongan, PositionName: in.PositionName,
		PositionType: in.PositionType, UnitID: in.UnitID, Email: in.Email, Phone: in.Phone, Status: in.Status}); err != nil {
		return err
	}
	return s.apiEmployee(w, r)
}

type apiHistory struct {
	At      string                     `json:"at"`
	Actor   string                     `json:"actor"`
	Source  string                     `json:"source"`
	Changes map[string]apiHistoryValue `json:"changes"`
}

type apiHistoryValue struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// apiEmployeeHistory lists the recorded changes of an employee, newest
// first; the store checks access and audits the read.
func (s *Server) apiEmployeeHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	hs, err := s.store.EmployeeHistory(r.Context(), id)
	if err != nil {
		return err
	}
	out := list[apiHistory]{Items: []apiHistory{}}
	for _, h := range hs {
		ch := map[string]apiHistoryValue{}
		for k, v := range h.Changes {
			ch[k] = apiHistoryValue{From: v.From, To: v.To}
		}
		out.Items = append(out.Items, apiHistory{At: ts(h.At), Actor: h.Actor, Source: h.Source, Changes: ch})
	}
	return writeJSON(w, http.StatusOK, out)
}
