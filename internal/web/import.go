package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
)

// DefaultMaxUpload bounds a roster upload through the pages and the API
// unless Config.MaxUpload says otherwise: a government's roster of tens of
// thousands of employees is a few MB; the national roster (about a
// gigabyte as CSV) goes through `netra import employees` instead.
const DefaultMaxUpload = 256 << 20

type columnRow struct {
	Name     string
	Desc     string
	Required bool
	Aliases  string
}

type importHomePage struct {
	*page
	Tenant  *netra.Tenant
	Fields  []field
	Columns []columnRow
	Imports []netra.Import
}

// importTenants lists the governments the actor may import into.
func (s *Server) importTenants(r *http.Request) ([]store.TenantSummary, error) {
	ts, err := s.store.Tenants(r.Context())
	if err != nil {
		return nil, err
	}
	sc := info(r).actor.ScopeFor(netra.PermImport)
	var out []store.TenantSummary
	for _, t := range ts {
		if sc.ReachesTenant(t.ID, t.Path()) {
			out = append(out, t)
		}
	}
	return out, nil
}

// importHomeData prepares the upload form, the column documentation and the
// past imports of the chosen government.
func (s *Server) importHomeData(r *http.Request, tenantID int64) (*importHomePage, error) {
	p := s.newPage(r, "import.title")
	ts, err := s.importTenants(r)
	if err != nil {
		return nil, err
	}
	if tenantID == 0 && len(ts) > 0 {
		tenantID = ts[0].ID
	}
	d := &importHomePage{page: p}
	for _, t := range ts {
		if t.ID == tenantID {
			tt := t.Tenant
			d.Tenant = &tt
		}
	}
	if d.Tenant == nil {
		return nil, errNotFound
	}
	d.Fields = []field{
		{Name: "instansi", Label: p.T("import.tenant"), Type: "select", Options: tenantOptions(ts, strconv.FormatInt(tenantID, 10), "", false), Required: true},
		{Name: "file", Label: p.T("import.file"), Hint: p.T("import.file.hint"), Type: "file", Accept: ".csv,.xlsx,text/csv", Required: true},
	}
	for _, c := range roster.Columns {
		d.Columns = append(d.Columns, columnRow{Name: c.Name, Desc: c.Desc.In(p.Lang), Required: c.Required,
			Aliases: strings.Join(c.Aliases[:min(3, len(c.Aliases))], ", ")})
	}
	if d.Imports, err = s.store.Imports(r.Context(), tenantID); err != nil {
		return nil, err
	}
	return d, nil
}

// importHome shows the upload form and the past imports.
func (s *Server) importHome(w http.ResponseWriter, r *http.Request) error {
	d, err := s.importHomeData(r, formID(r.URL.Query().Get("instansi")))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "import", d)
}

// readUpload streams a multipart upload: small fields first, then the file,
// which goes to submit without ever being held in memory. The form puts the
// government before the file, so its id is known when the file arrives.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, tenantField string,
	submit func(tenantID int64, name string, body io.Reader) error) (tenantID int64, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return 0, errBadRequest("Unggahan harus berupa formulir multipart.", "The upload must be a multipart form.")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return tenantID, netra.Invalid("file", netra.Msg("Pilih berkas roster (CSV atau XLSX).", "Choose a roster file (CSV or XLSX)."))
		} else if err != nil {
			return tenantID, err
		}
		switch part.FormName() {
		case tenantField:
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			tenantID = formID(string(b))
		case "file":
			return tenantID, submitPart(part, tenantID, submit)
		}
		part.Close()
	}
}

func submitPart(part *multipart.Part, tenantID int64, submit func(int64, string, io.Reader) error) error {
	defer part.Close()
	if tenantID == 0 {
		return netra.Invalid("instansi", netra.Msg("Pilih instansi tujuan sebelum berkas.", "Choose the government before the file."))
	}
	if part.FileName() == "" {
		return netra.Invalid("file", netra.Msg("Pilih berkas roster (CSV atau XLSX).", "Choose a roster file (CSV or XLSX)."))
	}
	return submit(tenantID, part.FileName(), part)
}

// fileProblem turns a file the roster reader cannot read at all into a
// validation error on the file field; nothing was created.
func fileProblem(err error) error {
	var fe *roster.FileError
	if errors.As(err, &fe) {
		return netra.Invalid("file", fe.Msg)
	}
	return err
}

// importUpload stores an uploaded roster and queues its import.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	var im *netra.Import
	tid, err := s.readUpload(w, r, "instansi", func(tenantID int64, name string, body io.Reader) error {
		var err error
		im, err = s.imports.SubmitPreview(r.Context(), tenantID, name, body)
		return fileProblem(err)
	})
	if err != nil {
		return s.renderInvalid(w, r, err, "import", func() (formPage, []field, error) {
			d, err := s.importHomeData(r, tid)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/impor/"+strconv.FormatInt(im.ID, 10), "")
}

type importPage struct {
	*page
	Import   *netra.Import
	Tenant   *netra.Tenant
	Running  bool
	Percent  int
	Elapsed  string
	Problems []netra.ImportProblem
	Shown    int
	PollURL  string
	ErrorMsg string
	Partial  bool // the actor is limited to a unit subtree: refused rows of other units are not shown

	Previewed   bool   // a dry run waiting for the operator to confirm or cancel
	Others      string // how many rows belong to other governments (see otherSummary)
	HasWarnings bool
	PageNo      int
	PrevURL     string
	NextURL     string
	Transfers   []store.Transfer
}

// importPage shows a running import's progress, or a finished one's result
// with its rejected rows.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	im, err := s.store.Import(ctx, id)
	if err != nil {
		return err
	}
	t, err := s.store.Tenant(ctx, im.TenantID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	d := &importPage{page: p, Import: im, Tenant: t, Percent: int(im.Progress()*100 + 0.5),
		PollURL: "/api/v1/imports/" + strconv.FormatInt(id, 10), ErrorMsg: im.Error.In(p.Lang),
		Partial: !info(r).actor.ScopeFor(netra.PermImport).CoversTenant(t.Path())}
	switch im.Status {
	case netra.ImportQueued, netra.ImportRunning:
		d.Running, p.Refresh = true, 2
		p.Title = p.T("import.progress.title", im.Filename)
		if !im.StartedAt.IsZero() {
			d.Elapsed = s.now().Sub(im.StartedAt).Round(time.Second).String()
		}
	default:
		p.Title = p.T("import.result.title", im.Filename)
		if im.Status == netra.ImportPreviewed {
			d.Previewed, p.Title = true, p.T("import.preview.title", im.Filename)
			d.Others = otherSummary(p, im.Preview)
		}
		if err := s.importPaging(r, d); err != nil {
			return err
		}
		if !im.StartedAt.IsZero() && !im.FinishedAt.IsZero() {
			d.Elapsed = im.FinishedAt.Sub(im.StartedAt).Round(time.Millisecond).String()
		}
	}
	return s.render(w, r, http.StatusOK, "import_status", d)
}

// importAccess reads the import {id} and checks that the actor may see it,
// before a download sets its headers (the store checks again, and filters
// the refused cells by the actor's unit scope, when they are read).
func (s *Server) importAccess(r *http.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	_, err = s.store.Import(r.Context(), id)
	return id, err
}

// importProblemsCSV downloads every rejected cell of an import as CSV, with
// the reasons in the user's language.
func (s *Server) importProblemsCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := s.importAccess(r)
	if err != nil {
		return err
	}
	lang := info(r).lang
	name := fmt.Sprintf("impor-%d-ditolak.csv", id)
	if lang == langEN {
		name = fmt.Sprintf("import-%d-rejected.csv", id)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return imports.WriteProblemsCSV(r.Context(), w, s.store, id, lang)
}

// sampleRoster is a small roster in the documented columns: one row naming
// its unit by path, one by code.
const sampleRoster = "\ufeffNIP,NAMA,GELAR_DEPAN,GELAR_BELAKANG,JENIS_PEGAWAI,GOLONGAN,JABATAN,JENIS_JABATAN,KODE_UNIT,UNIT_KERJA,EMAIL,NO_HP,STATUS\r\n" +
	"198609262015051001,Budi Santoso,,S.Kom.,PNS,III/b,Pranata Komputer Ahli Pertama,Fungsional,,Dinas Pendidikan > Bidang Sekolah Dasar,budi.santoso@example.go.id,081234567890,Aktif\r\n" +
	"199203142022212001,Siti Aminah,,S.Pd.,PPPK,IX,Guru Ahli Pertama,Fungsional,DISDIK,,siti.aminah@example.go.id,,Aktif\r\n"

// importSample downloads the sample roster.
func (s *Server) importSample(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="contoh-roster-netra.csv"`)
	_, err := io.WriteString(w, sampleRoster)
	return err
}
