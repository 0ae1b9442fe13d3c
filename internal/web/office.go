package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The office holders of a government (netra.OfficeHolder): a page that
// shows who held each office on a chosen date and every recorded holder,
// with a form to record one, and the JSON API. Reading needs tenant.read on
// the government; writing unit.manage on the government itself (its own
// admin or a super admin; the store checks it).

// dayParam reads an optional YYYY-MM-DD query parameter; absent is def, a
// malformed one is a field error.
func dayParam(q *form, name string, def time.Time) time.Time {
	v := q.trim(name)
	if v == "" {
		return def
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		q.invalid(name, netra.Msg("Parameter "+name+" harus tanggal TTTT-BB-HH.", "Parameter "+name+" must be a date YYYY-MM-DD."))
		return def
	}
	return t
}

// today is the server's calendar date (WIB).
func (s *Server) today() time.Time { return netra.Day(s.store.Clock().Now()) }

type officeNow struct {
	Office netra.Office
	Holder *netra.OfficeHolder
}

type officePage struct {
	*page
	Tenant    *netra.Tenant
	Crumbs    []crumb
	At        string // the chosen date, YYYY-MM-DD
	AtLabel   string
	On        []officeNow
	Holders   []netra.OfficeHolder
	CanManage bool
	Editing   *netra.OfficeHolder // the holder the form edits, nil for a new one
	Fields    []field
}

func officeKindOptions(p *page, current string) []option {
	pairs := []string{"", p.T("office.kind.choose")}
	for _, o := range netra.Offices {
		for _, k := range o.Kinds() {
			pairs = append(pairs, string(o)+":"+string(k), o.Label(p.Lang)+" — "+k.Label(p.Lang))
		}
	}
	return options(current, pairs...)
}

func (s *Server) officeFields(p *page, h *netra.OfficeHolder) []field {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(dateLayout)
	}
	emp := ""
	if h.EmployeeID != 0 {
		emp = strconv.FormatInt(h.EmployeeID, 10)
	}
	cur := ""
	if h.Office != "" {
		cur = string(h.Office) + ":" + string(h.Kind)
	}
	return []field{
		{Name: "office", Label: p.T("office.office"), Type: "select", Required: true, Options: officeKindOptions(p, cur)},
		{Name: "name", Label: p.T("office.name"), Hint: p.T("office.name.hint"), Type: "text", Value: h.Name, Required: true, MaxLength: 200},
		{Name: "title", Label: p.T("office.title"), Hint: p.T("office.title.hint"), Type: "text", Value: h.Title, MaxLength: 200},
		{Name: "nip", Label: p.T("office.nip"), Hint: p.T("office.nip.hint"), Type: "text", Value: h.NIP, InputMode: "numeric", MaxLength: 24},
		{Name: "employee_id", Label: p.T("office.employee"), Hint: p.T("office.employee.hint"), Type: "text", Value: emp, InputMode: "numeric", MaxLength: 20},
		{Name: "from", Label: p.T("office.from"), Type: "date", Value: date(h.From), Required: true},
		{Name: "to", Label: p.T("office.to"), Hint: p.T("office.to.hint"), Type: "date", Value: date(h.To)},
		{Name: "decree_number", Label: p.T("office.decree_number"), Type: "text", Value: h.DecreeNumber, MaxLength: 100},
		{Name: "decree_date", Label: p.T("office.decree_date"), Type: "date", Value: date(h.DecreeDate)},
		{Name: "note", Label: p.T("office.note"), Hint: p.T("office.note.hint"), Type: "text", Value: h.Note, MaxLength: 500},
	}
}

// officeData builds the office holders page of tenant t on day at, with the
// form for h (nil: an empty form for a new holder).
func (s *Server) officeData(r *http.Request, t *netra.Tenant, at time.Time, h *netra.OfficeHolder) (*officePage, error) {
	ctx := r.Context()
	p := s.newPage(r, "")
	p.Title = p.T("office.title.page", t.Name)
	d := &officePage{page: p, Tenant: t, At: at.Format(dateLayout), AtLabel: p.Birth(at), CanManage: store.MayManageOffices(ctx, t)}
	var err error
	if d.Holders, err = s.store.OfficeHolders(ctx, t.ID, store.OfficeHolderFilter{}); err != nil {
		return nil, err
	}
	for _, o := range netra.Offices {
		n := officeNow{Office: o}
		for i := range d.Holders {
			x := &d.Holders[i]
			if x.Office == o && x.Covers(at) && (n.Holder == nil || x.From.After(n.Holder.From) ||
				(x.From.Equal(n.Holder.From) && x.Kind.Acting() && !n.Holder.Kind.Acting())) {
				n.Holder = x
			}
		}
		d.On = append(d.On, n)
	}
	d.Crumbs = []crumb{{Href: "/instansi/" + strconv.FormatInt(t.ID, 10), Label: t.Name}}
	if d.CanManage {
		if h == nil {
			h = &netra.OfficeHolder{}
		} else if h.ID != 0 {
			d.Editing = h
		}
		d.Fields = s.officeFields(p, h)
	}
	return d, nil
}

// officeList shows who held each office of a government on ?at= (default
// today) and every recorded holder; ?ubah=ID fills the form with one.
func (s *Server) officeList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return err
	}
	q := newQuery(r)
	at := dayParam(q, "at", s.today())
	edit := q.idParam("ubah")
	if err := q.err(); err != nil {
		return err
	}
	var h *netra.OfficeHolder
	if edit != 0 {
		if h, err = s.store.OfficeHolder(ctx, edit); err != nil {
			return err
		}
		if h.TenantID != t.ID {
			return errNotFound
		}
	}
	d, err := s.officeData(r, t, at, h)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "offices", d)
}

// officeFromForm reads an office holder from the form.
func officeFromForm(f *form, tenantID int64) *netra.OfficeHolder {
	office, kind, _ := strings.Cut(f.get("office"), ":")
	h := &netra.OfficeHolder{ID: f.id("holder"), TenantID: tenantID, Office: netra.Office(office), Kind: netra.OfficeKind(kind),
		Name: f.get("name"), Title: f.get("title"), NIP: f.get("nip"), From: f.date("from"), To: f.date("to"),
		DecreeNumber: f.get("decree_number"), DecreeDate: f.date("decree_date"), Note: f.get("note")}
	if v := f.trim("employee_id"); v != "" {
		if h.EmployeeID = formID(v); h.EmployeeID == 0 {
			f.invalid("employee_id", netra.Msg("Isi nomor id pegawai (bilangan bulat positif).", "Enter the employee's id (a positive whole number)."))
		}
	}
	return h
}

// officeSave records a new office holder, or changes the one named by the
// form's holder field.
func (s *Server) officeSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.store.Tenant(ctx, id)
	if err != nil {
		return err
	}
	h := officeFromForm(f, t.ID)
	err = f.err()
	if err == nil {
		if h.ID != 0 {
			var old *netra.OfficeHolder
			if old, err = s.store.OfficeHolder(ctx, h.ID); err == nil && old.TenantID != t.ID {
				err = errNotFound
			}
			if err == nil {
				err = s.store.UpdateOfficeHolder(ctx, h)
			}
		} else {
			err = s.store.CreateOfficeHolder(ctx, h)
		}
	} else {
		err = joinInvalid(err, h.Validate())
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "offices", func() (formPage, []field, error) {
			d, err := s.officeData(r, t, s.today(), h)
			if err != nil {
				return nil, nil, err
			}
			if !d.CanManage {
				return nil, nil, netra.ErrForbidden
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/instansi/"+strconv.FormatInt(t.ID, 10)+"/pejabat?at="+h.From.Format(dateLayout), "saved")
}

// officeDelete removes the office holder named by the form's holder field.
func (s *Server) officeDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	h, err := s.store.OfficeHolder(ctx, f.id("holder"))
	if err != nil {
		return err
	}
	if h.TenantID != id {
		return errNotFound
	}
	if err := s.store.DeleteOfficeHolder(ctx, h.ID); err != nil {
		return err
	}
	return s.redirect(w, r, "/instansi/"+strconv.FormatInt(id, 10)+"/pejabat", "office_deleted")
}

// The JSON API.

type apiOfficeHolder struct {
	ID           int64   `json:"id"`
	TenantID     int64   `json:"tenant_id"`
	Office       string  `json:"office"`
	Kind         string  `json:"kind"`
	Name         string  `json:"name"`
	Title        string  `json:"title"`
	NIP          string  `json:"nip"`
	EmployeeID   *int64  `json:"employee_id"`
	From         string  `json:"from"`
	To           *string `json:"to"`
	DecreeNumber string  `json:"decree_number"`
	DecreeDate   *string `json:"decree_date"`
	Note         string  `json:"note"`
	CreatedBy    string  `json:"created_by"`
	CreatedAt    string  `json:"created_at"`
	UpdatedAt    string  `json:"updated_at"`
}

// optDay formats an optional calendar date; the zero time is null.
func optDay(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(dateLayout)
	return &s
}

func officeJSON(h *netra.OfficeHolder) apiOfficeHolder {
	return apiOfficeHolder{ID: h.ID, TenantID: h.TenantID, Office: string(h.Office), Kind: string(h.Kind), Name: h.Name, Title: h.Title,
		NIP: h.NIP, EmployeeID: optID(h.EmployeeID), From: h.From.Format(dateLayout), To: optDay(h.To), DecreeNumber: h.DecreeNumber,
		DecreeDate: optDay(h.DecreeDate), Note: h.Note, CreatedBy: h.CreatedBy, CreatedAt: ts(h.CreatedAt), UpdatedAt: ts(h.UpdatedAt)}
}

// jsonDay reads an optional date sent as "YYYY-MM-DD" in a JSON body; a
// malformed one is a field error.
func jsonDay(v *netra.ValidationError, field string, s *string) time.Time {
	if s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, strings.TrimSpace(*s))
	if err != nil {
		v.Add(field, netra.Msg("Tanggal harus berbentuk TTTT-BB-HH.", "The date must be YYYY-MM-DD."))
	}
	return t
}

// apiOfficeHolders lists a government's office holders: all, one office
// (?office=), or those in office on a day (?at=).
func (s *Server) apiOfficeHolders(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := store.OfficeHolderFilter{Office: netra.Office(q.trim("office")), At: dayParam(q, "at", time.Time{})}
	if f.Office != "" && !f.Office.Valid() {
		q.invalid("office", netra.Msg("Parameter office harus ppk, sekda atau inspektur.", "Parameter office must be ppk, sekda or inspektur."))
	}
	if err := q.err(); err != nil {
		return err
	}
	hs, err := s.store.OfficeHolders(r.Context(), id, f)
	if err != nil {
		return err
	}
	out := list[apiOfficeHolder]{Items: []apiOfficeHolder{}}
	for i := range hs {
		out.Items = append(out.Items, officeJSON(&hs[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiOfficeInput struct {
	Office       *string `json:"office"`
	Kind         *string `json:"kind"`
	Name         *string `json:"name"`
	Title        *string `json:"title"`
	NIP          *string `json:"nip"`
	EmployeeID   *int64  `json:"employee_id"`
	From         *string `json:"from"`
	To           *string `json:"to"`
	DecreeNumber *string `json:"decree_number"`
	DecreeDate   *string `json:"decree_date"`
	Note         *string `json:"note"`
}

// apply sets the fields the input names on h (absent fields stay; null
// employee_id, to and decree_date clear them when raw says they were sent).
func (in *apiOfficeInput) apply(h *netra.OfficeHolder, sent map[string]bool) error {
	var v netra.ValidationError
	str := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if in.Office != nil {
		h.Office = netra.Office(*in.Office)
	}
	if in.Kind != nil {
		h.Kind = netra.OfficeKind(*in.Kind)
	}
	str(&h.Name, in.Name)
	str(&h.Title, in.Title)
	str(&h.NIP, in.NIP)
	str(&h.DecreeNumber, in.DecreeNumber)
	str(&h.Note, in.Note)
	if sent["employee_id"] {
		h.EmployeeID = 0
		if in.EmployeeID != nil {
			h.EmployeeID = *in.EmployeeID
		}
	}
	if sent["from"] {
		h.From = jsonDay(&v, "from", in.From)
	}
	if sent["to"] {
		h.To = jsonDay(&v, "to", in.To)
	}
	if sent["decree_date"] {
		h.DecreeDate = jsonDay(&v, "decree_date", in.DecreeDate)
	}
	return v.Err()
}

// decodeOffice reads an office holder input and which fields it sent.
func decodeOffice(w http.ResponseWriter, r *http.Request) (*apiOfficeInput, map[string]bool, error) {
	var raw map[string]any
	var in apiOfficeInput
	body, err := readJSONBody(w, r)
	if err != nil {
		return nil, nil, err
	}
	if err := decodeJSONBytes(body, &in); err != nil {
		return nil, nil, err
	}
	if err := decodeJSONBytes(body, &raw); err != nil {
		return nil, nil, err
	}
	sent := map[string]bool{}
	for k := range raw {
		sent[k] = true
	}
	return &in, sent, nil
}

// apiOfficeHolderCreate records an office holder of a government.
func (s *Server) apiOfficeHolderCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, sent, err := decodeOffice(w, r)
	if err != nil {
		return err
	}
	h := &netra.OfficeHolder{TenantID: id}
	if err := joinInvalid(in.apply(h, sent), h.Validate()); err != nil {
		return err
	}
	if err := s.store.CreateOfficeHolder(r.Context(), h); err != nil {
		return err
	}
	return created(w, "/api/v1/office-holders/"+strconv.FormatInt(h.ID, 10), officeJSON(h))
}

// apiOfficeHolder returns one office holder.
func (s *Server) apiOfficeHolder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.store.OfficeHolder(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, officeJSON(h))
}

// apiOfficeHolderUpdate changes the fields sent; absent fields stay.
func (s *Server) apiOfficeHolderUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, sent, err := decodeOffice(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	h, err := s.store.OfficeHolder(ctx, id)
	if err != nil {
		return err
	}
	if err := in.apply(h, sent); err != nil {
		return err
	}
	if err := s.store.UpdateOfficeHolder(ctx, h); err != nil {
		return err
	}
	if h, err = s.store.OfficeHolder(ctx, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, officeJSON(h))
}

// apiOfficeHolderDelete removes an office holder.
func (s *Server) apiOfficeHolderDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteOfficeHolder(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readJSONBody reads a request body of at most maxJSONBytes, for handlers
// that decode it more than once.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBytes))
}

// decodeJSONBytes decodes b like decodeJSON decodes a body: unknown fields
// refused, problems named in the caller's language.
func decodeJSONBytes(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return errBadRequest("Badan permintaan memuat lebih dari satu nilai JSON.", "The request body holds more than one JSON value.")
	}
	return nil
}
