package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

type employeeFormPage struct {
	*page
	Tenant     *netra.Tenant
	Employee   *netra.Employee // nil for a new employee
	Choose     []field         // the government chooser, when the actor writes in several
	Fields     []field
	Action     string
	UnitByCode bool
	// Registry holds the fields of the national registry (SIASN): NIK,
	// PNS_ID, TMT dates, eselon, education, birth place, other e-mail.
	Registry []field
	Head     bool    // the head-post checkbox
	all      []field // Fields and Registry, one backing array
}

// writableTenants lists the governments where the actor may write employees.
func (s *Server) writableTenants(r *http.Request) ([]store.TenantSummary, error) {
	ts, err := s.store.Tenants(r.Context())
	if err != nil {
		return nil, err
	}
	sc := info(r).actor.ScopeFor(netra.PermEmployeeWrite)
	var out []store.TenantSummary
	for _, t := range ts {
		if sc.ReachesTenant(t.ID, t.Path()) {
			out = append(out, t)
		}
	}
	return out, nil
}

// employeeFormData builds the employee form for tenant t from the values in e.
func (s *Server) employeeFormData(r *http.Request, p *page, t *netra.Tenant, e *netra.Employee, isNew bool) (*employeeFormPage, error) {
	d := &employeeFormPage{page: p, Tenant: t, Action: "/pegawai"}
	if !isNew {
		d.Employee, d.Action = e, "/pegawai/"+strconv.FormatInt(e.ID, 10)+"/ubah"
	}
	units, err := s.store.Units(r.Context(), netra.UnitFilter{TenantID: t.ID, Limit: maxUnitChoices + 1})
	if err != nil {
		return nil, err
	}
	a := info(r).actor
	var unit field
	if len(units) > maxUnitChoices {
		d.UnitByCode = true
		code := ""
		if e.UnitID != 0 {
			if u, err := s.store.Unit(r.Context(), e.UnitID); err == nil {
				code = u.Code
			}
		}
		unit = field{Name: "unit", Label: p.T("employee.unit.code"), Hint: p.T("employee.unit.code.hint"), Type: "text", Value: code, Required: true}
	} else {
		writable := units[:0:0]
		for _, u := range units {
			if covers(a, netra.PermEmployeeWrite, t, u.Path) {
				writable = append(writable, u)
			}
		}
		unit = field{Name: "unit", Label: p.T("employee.unit"), Type: "select", Required: true,
			Options: unitOptions(writable, e.UnitID, p.T("employee.unit.choose"))}
	}
	nip := field{Name: "nip", Label: p.T("employee.nip"), Hint: p.T("employee.nip.hint"), Type: "text", Value: e.NIP,
		InputMode: "numeric", Required: true, MaxLength: 24}
	if !isNew {
		nip.Readonly, nip.Hint, nip.Value = true, p.T("employee.nip.fixed"), netra.FormatNIP(e.NIP)
	}
	d.Fields = []field{
		nip,
		{Name: "name", Label: p.T("employee.name"), Hint: p.T("employee.name.hint"), Type: "text", Value: e.Name, Required: true, MaxLength: 150},
		{Name: "front_title", Label: p.T("employee.front_title"), Type: "text", Value: e.FrontTitle, MaxLength: 50},
		{Name: "back_title", Label: p.T("employee.back_title"), Type: "text", Value: e.BackTitle, MaxLength: 100},
		{Name: "type", Label: p.T("employee.type"), Type: "select", Required: true, Options: typeOptions(p, string(e.Type), p.T("employee.choose"))},
		{Name: "golongan", Label: p.T("employee.golongan"), Type: "select", Options: golonganOptions(p, string(e.Golongan))},
		{Name: "position_name", Label: p.T("employee.position"), Type: "text", Value: e.PositionName, MaxLength: 200},
		{Name: "position_type", Label: p.T("employee.position_type"), Type: "select", Required: true,
			Options: positionOptions(p, string(e.PositionType), p.T("employee.choose"))},
		unit,
		{Name: "email", Label: p.T("employee.email"), Hint: p.T("employee.email.hint"), Type: "email", Value: e.Email, Autocomplete: "off", MaxLength: 200},
		{Name: "phone", Label: p.T("employee.phone"), Type: "tel", Value: e.Phone, InputMode: "tel", Autocomplete: "off", MaxLength: 20},
	}
	if !isNew {
		d.Fields = append(d.Fields, field{Name: "status", Label: p.T("employee.status"), Type: "select",
			Options: statusOptions(p, string(e.Status), "", "")})
	}
	d.Head = e.Head
	registry := []field{
		{Name: "nik", Label: p.T("registry.nik"), Hint: p.T("registry.nik.hint"), Type: "text", Value: e.NIK, InputMode: "numeric", Autocomplete: "off", MaxLength: 24},
		{Name: "pns_id", Label: p.T("registry.pns_id"), Hint: p.T("registry.pns_id.hint"), Type: "text", Value: e.PNSID, Autocomplete: "off", MaxLength: 40},
		{Name: "nip_lama", Label: p.T("registry.nip_lama"), Hint: p.T("registry.nip_lama.hint"), Type: "text", Value: e.OldNIP, InputMode: "numeric", Autocomplete: "off", MaxLength: 12},
		{Name: "rank_date", Label: p.T("registry.rank_date"), Type: "date", Value: dateValue(e.RankDate)},
		{Name: "position_date", Label: p.T("registry.position_date"), Type: "date", Value: dateValue(e.PositionDate)},
		{Name: "eselon", Label: p.T("registry.eselon"), Hint: p.T("registry.eselon.hint"), Type: "text", Value: e.Eselon, MaxLength: 10},
		{Name: "education", Label: p.T("registry.education"), Hint: p.T("registry.education.hint"), Type: "text", Value: e.Education, MaxLength: 100},
		{Name: "birth_place", Label: p.T("registry.birth_place"), Type: "text", Value: e.BirthPlace, MaxLength: 100},
		{Name: "other_email", Label: p.T("registry.other_email"), Hint: p.T("registry.other_email.hint"), Type: "email", Value: e.OtherEmail, Autocomplete: "off", MaxLength: 200},
	}
	// One backing array: the error summary marks fields in all, and both
	// halves show the marks.
	n := len(d.Fields)
	all := append(d.Fields[:n:n], registry...)
	d.Fields, d.Registry, d.all = all[:n:n], all[n:], all
	return d, nil
}

// dateValue is a date as an <input type="date"> holds it ("" for none).
func dateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// employeeFromForm reads the form's values; the unit comes by id, or by
// code in trees too large for a list.
func (s *Server) employeeFromForm(r *http.Request, f *form, tenantID int64) (*netra.Employee, error) {
	e := &netra.Employee{NIP: f.get("nip"), Name: f.get("name"), FrontTitle: f.get("front_title"), BackTitle: f.get("back_title"),
		Type: netra.EmploymentType(f.get("type")), Golongan: netra.Golongan(f.get("golongan")), PositionName: f.get("position_name"),
		PositionType: netra.PositionType(f.get("position_type")), Email: f.get("email"), Phone: f.get("phone"),
		Status: netra.EmployeeStatus(f.get("status")), NIK: f.get("nik"), PNSID: f.get("pns_id"), OldNIP: f.get("nip_lama"),
		RankDate: f.date("rank_date"), PositionDate: f.date("position_date"), Eselon: f.get("eselon"),
		Education: f.get("education"), BirthPlace: f.get("birth_place"), OtherEmail: f.get("other_email"), Head: f.checked("head")}
	if f.get("unit_by_code") == "1" {
		code := f.trim("unit")
		if code != "" {
			u, err := s.store.UnitByCode(r.Context(), tenantID, code)
			if err != nil {
				return e, netra.Invalid("unit", netra.Msg("Tidak ada unit dengan kode "+code+".", "No unit has the code "+code+"."))
			}
			e.UnitID = u.ID
		}
	} else {
		e.UnitID = f.id("unit")
	}
	if err := f.err(); err != nil {
		// A malformed date: say so together with what the record's own
		// checks find, so that one round trip shows every problem.
		cp := *e
		if ve, ok := netra.AsValidation(cp.Validate(s.now())); ok {
			for k, m := range ve.Fields {
				f.invalid(k, m)
			}
		}
		return e, f.err()
	}
	return e, nil
}

// employeeNewForm shows the form for a new employee, after choosing the
// government when the actor writes in several.
func (s *Server) employeeNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "employee.new.title")
	ts, err := s.writableTenants(r)
	if err != nil {
		return err
	}
	tid := formID(r.URL.Query().Get("instansi"))
	if len(ts) == 1 {
		tid = ts[0].ID
	}
	if tid == 0 {
		return s.render(w, r, http.StatusOK, "employee_form", &employeeFormPage{page: p,
			Choose: []field{{Name: "instansi", Label: p.T("employee.tenant"), Type: "select", Options: tenantOptions(ts, "", "", false), Required: true}}})
	}
	t, err := s.store.Tenant(r.Context(), tid)
	if err != nil {
		return err
	}
	d, err := s.employeeFormData(r, p, t, &netra.Employee{UnitID: formID(r.URL.Query().Get("unit")), Type: netra.PNS}, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "employee_form", d)
}

// employeeCreate adds an employee.
func (s *Server) employeeCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, f.id("instansi"))
	if err != nil {
		return err
	}
	e, err := s.employeeFromForm(r, f, t.ID)
	if err == nil {
		err = s.store.CreateEmployee(ctx, e)
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "employee_form", func() (formPage, []field, error) {
			d, err := s.employeeFormData(r, s.newPage(r, "employee.new.title"), t, e, true)
			if err != nil {
				return nil, nil, err
			}
			return d, d.all, nil
		})
	}
	return s.redirect(w, r, "/pegawai/"+strconv.FormatInt(e.ID, 10), "employee_created")
}

// employeeEditForm shows an employee's record for editing; moving them is
// choosing another unit.
func (s *Server) employeeEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Employee(ctx, id)
	if err != nil {
		return err
	}
	t, err := s.store.Tenant(ctx, e.TenantID)
	if err != nil {
		return err
	}
	if !covers(info(r).actor, netra.PermEmployeeWrite, t, e.UnitPath) {
		return netra.ErrForbidden
	}
	p := s.newPage(r, "")
	p.Title = p.T("employee.edit.title", e.FullName())
	d, err := s.employeeFormData(r, p, t, e, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "employee_form", d)
}

// employeeUpdate saves an employee's record.
func (s *Server) employeeUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	cur, err := s.store.Employee(ctx, id)
	if err != nil {
		return err
	}
	e, err := s.employeeFromForm(r, f, cur.TenantID)
	if err == nil {
		_, err = s.store.UpdateEmployee(ctx, id, store.EmployeeUpdate{Name: &e.Name, FrontTitle: &e.FrontTitle,
			BackTitle: &e.BackTitle, Type: &e.Type, Golongan: &e.Golongan, PositionName: &e.PositionName,
			PositionType: &e.PositionType, UnitID: &e.UnitID, Email: &e.Email, Phone: &e.Phone, Status: &e.Status,
			NIK: &e.NIK, PNSID: &e.PNSID, OldNIP: &e.OldNIP, BirthPlace: &e.BirthPlace, OtherEmail: &e.OtherEmail,
			Eselon: &e.Eselon, Education: &e.Education, RankDate: &e.RankDate, PositionDate: &e.PositionDate, Head: &e.Head})
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "employee_form", func() (formPage, []field, error) {
			t, err := s.store.Tenant(ctx, cur.TenantID)
			if err != nil {
				return nil, nil, err
			}
			e.ID, e.NIP = cur.ID, cur.NIP
			p := s.newPage(r, "")
			p.Title = p.T("employee.edit.title", cur.FullName())
			d, err := s.employeeFormData(r, p, t, e, false)
			if err != nil {
				return nil, nil, err
			}
			return d, d.all, nil
		})
	}
	return s.redirect(w, r, "/pegawai/"+strconv.FormatInt(id, 10), "saved")
}
