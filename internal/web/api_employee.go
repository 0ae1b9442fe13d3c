package web

import (
	"net/http"
	"strconv"
	"time"

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
	NIK          string `json:"nik"`
	PNSID        string `json:"pns_id"`
	OldNIP       string `json:"nip_lama"`
	BirthPlace   string `json:"birth_place"`
	OtherEmail   string `json:"other_email"`
	Eselon       string `json:"eselon"`
	Education    string `json:"education"`
	RankDate     string `json:"rank_date"`
	PositionDate string `json:"position_date"`
	Head         bool   `json:"head"`
	PersonID     int64  `json:"person_id"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func employeeJSON(e *netra.Employee) apiEmployee {
	birth := dateValue(e.BirthDate)
	return apiEmployee{NIK: e.NIK, PNSID: e.PNSID, OldNIP: e.OldNIP, BirthPlace: e.BirthPlace, OtherEmail: e.OtherEmail,
		Eselon: e.Eselon, Education: e.Education, RankDate: dateValue(e.RankDate), PositionDate: dateValue(e.PositionDate),
		Head: e.Head, PersonID: e.PersonID,
		ID: e.ID, TenantID: e.TenantID, NIP: e.NIP, Name: e.Name, FrontTitle: e.FrontTitle, BackTitle: e.BackTitle,
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
	NIK          string               `json:"nik"`
	PNSID        string               `json:"pns_id"`
	OldNIP       string               `json:"nip_lama"`
	BirthPlace   string               `json:"birth_place"`
	OtherEmail   string               `json:"other_email"`
	Eselon       string               `json:"eselon"`
	Education    string               `json:"education"`
	RankDate     string               `json:"rank_date"`
	PositionDate string               `json:"position_date"`
	Head         bool                 `json:"head"`
}

// apiDate reads a TMT date of an input: "YYYY-MM-DD", "" for none (the
// zero time); nil when the input leaves it out. A malformed date is a field
// error in v.
func apiDate(v *netra.ValidationError, name string, in *string) *time.Time {
	if in == nil {
		return nil
	}
	var t time.Time
	if *in != "" {
		var err error
		if t, err = time.Parse(dateLayout, *in); err != nil {
			v.Add(name, msgNotDate)
		}
	}
	return &t
}

// apiEmployeeCreate adds an employee.
func (s *Server) apiEmployeeCreate(w http.ResponseWriter, r *http.Request) error {
	var in apiEmployeeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e := &netra.Employee{NIP: in.NIP, Name: in.Name, FrontTitle: in.FrontTitle, BackTitle: in.BackTitle, Type: in.Type,
		Golongan: in.Golongan, PositionName: in.PositionName, PositionType: in.PositionType, UnitID: in.UnitID,
		Email: in.Email, Phone: in.Phone, Status: in.Status, NIK: in.NIK, PNSID: in.PNSID, OldNIP: in.OldNIP,
		BirthPlace: in.BirthPlace, OtherEmail: in.OtherEmail, Eselon: in.Eselon, Education: in.Education, Head: in.Head}
	var v netra.ValidationError
	e.RankDate = *apiDate(&v, "rank_date", &in.RankDate)
	e.PositionDate = *apiDate(&v, "position_date", &in.PositionDate)
	if err := v.Err(); err != nil {
		return err
	}
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
	NIK          *string               `json:"nik"`
	PNSID        *string               `json:"pns_id"`
	OldNIP       *string               `json:"nip_lama"`
	BirthPlace   *string               `json:"birth_place"`
	OtherEmail   *string               `json:"other_email"`
	Eselon       *string               `json:"eselon"`
	Education    *string               `json:"education"`
	RankDate     *string               `json:"rank_date"`
	PositionDate *string               `json:"position_date"`
	Head         *bool                 `json:"head"`
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
	up := store.EmployeeUpdate{Name: in.Name, FrontTitle: in.FrontTitle,
		BackTitle: in.BackTitle, Type: in.Type, Golongan: in.Golongan, PositionName: in.PositionName,
		PositionType: in.PositionType, UnitID: in.UnitID, Email: in.Email, Phone: in.Phone, Status: in.Status,
		NIK: in.NIK, PNSID: in.PNSID, OldNIP: in.OldNIP, BirthPlace: in.BirthPlace, OtherEmail: in.OtherEmail,
		Eselon: in.Eselon, Education: in.Education, Head: in.Head}
	var v netra.ValidationError
	up.RankDate, up.PositionDate = apiDate(&v, "rank_date", in.RankDate), apiDate(&v, "position_date", in.PositionDate)
	if err := v.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.store.UpdateEmployee(ctx, id, up); err != nil {
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

type apiIdentifier struct {
	Kind       string  `json:"kind"`
	Value      string  `json:"value"`
	TenantID   int64   `json:"tenant_id"`
	TenantName string  `json:"tenant_name"`
	EmployeeID *int64  `json:"employee_id"`
	Since      string  `json:"since"`
	Until      *string `json:"until"`
	Current    bool    `json:"current"`
}

// apiEmployeeIdentifiers lists the identifiers of the person behind an
// employee, across their records; the store checks access and audits the
// read.
func (s *Server) apiEmployeeIdentifiers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	is, err := s.store.PersonIdentifiers(r.Context(), id)
	if err != nil {
		return err
	}
	out := list[apiIdentifier]{Items: []apiIdentifier{}}
	for _, i := range is {
		a := apiIdentifier{Kind: i.Kind, Value: i.Value, TenantID: i.TenantID, TenantName: i.TenantName,
			Since: ts(i.Since), Until: optTS(i.Until), Current: i.Current}
		if i.EmployeeID != 0 {
			a.EmployeeID = &i.EmployeeID
		}
		out.Items = append(out.Items, a)
	}
	return writeJSON(w, http.StatusOK, out)
}
