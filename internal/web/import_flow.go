package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The import flow after the upload: a page upload first runs as a dry run
// (preview), which the operator confirms or cancels; rows naming employees
// of other governments wait as pending transfers (mutasi) that the sending
// government decides.

// problemsPerPage is how many refused cells and warnings one result page shows.
const problemsPerPage = 100

// otherSummary says plainly how many rows of a preview belong to other
// governments, and to which: "19.977 baris milik instansi lain: Kota X
// (12.000), Kota Y (7.977)". It is "" when none do.
func otherSummary(p *page, govs []netra.ImportGovernment) string {
	var n int64
	var parts []string
	for _, g := range govs {
		if !g.Other {
			continue
		}
		n += g.Rows()
		if len(parts) < 5 {
			parts = append(parts, g.Name+" ("+p.Num(g.Rows())+")")
		} else if len(parts) == 5 {
			parts = append(parts, "…")
		}
	}
	if n == 0 {
		return ""
	}
	return p.T("import.preview.others", p.Num(n), strings.Join(parts, ", "))
}

// importPaging fills the result page's problems for the page ?hal=N.
func (s *Server) importPaging(r *http.Request, d *importPage) error {
	n := int(max(formID(r.URL.Query().Get("hal")), 1))
	ps, more, err := s.store.ImportProblemPage(r.Context(), d.Import.ID, (n-1)*problemsPerPage, problemsPerPage)
	if err != nil {
		return err
	}
	d.Problems, d.Shown, d.PageNo = ps, len(ps), n
	base := "/impor/" + strconv.FormatInt(d.Import.ID, 10) + "?hal="
	if n > 1 {
		d.PrevURL = base + strconv.Itoa(n-1)
	}
	if more {
		d.NextURL = base + strconv.Itoa(n+1)
	}
	for _, p := range ps {
		if p.Warning {
			d.HasWarnings = true
		}
	}
	d.Transfers, err = s.store.ImportTransfers(r.Context(), d.Import.ID)
	return err
}

// importConfirm runs a previewed import for real.
func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.imports.Confirm(r.Context(), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/impor/"+strconv.FormatInt(id, 10), "import_confirmed")
}

// importCancel ends a previewed import; its upload is deleted.
func (s *Server) importCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	im, err := s.imports.Cancel(r.Context(), id)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/impor?instansi="+strconv.FormatInt(im.TenantID, 10), "import_cancelled")
}

type transfersPage struct {
	*page
	Tenant   *netra.Tenant
	Status   string
	Incoming []store.Transfer
	Outgoing []store.Transfer
	CanIn    bool
	CanOut   bool
}

// transferList shows a government's pending (or decided) transfers: those
// its imports asked for, and those of its employees that others asked for.
func (s *Server) transferList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := info(r).actor
	tid := formID(r.URL.Query().Get("instansi"))
	if tid == 0 {
		for _, g := range a.Grants {
			if g.TenantID != 0 {
				tid = g.TenantID
				break
			}
		}
	}
	if tid == 0 { // a super admin: the first government whose transfers wait for them
		if ts, err := s.store.TransfersToDecide(ctx); err == nil && len(ts) > 0 {
			tid = ts[0].TenantID
		}
	}
	if tid == 0 {
		return netra.Invalid("instansi", netra.Msg("Pilih instansi.", "Choose a government."))
	}
	t, err := s.store.Tenant(ctx, tid)
	if err != nil {
		return err
	}
	status := store.TransferPending // ?status= (empty) lists every status
	if r.URL.Query().Has("status") {
		status = r.URL.Query().Get("status")
	}
	if status != "" && status != store.TransferPending && status != store.TransferConfirmed && status != store.TransferRefused {
		return netra.Invalid("status", netra.Msg("Status mutasi tidak dikenal.", "Unknown transfer status."))
	}
	d := &transfersPage{page: s.newPage(r, "transfer.title"), Tenant: t, Status: status}
	d.Incoming, err = s.store.Transfers(ctx, tid, true, status)
	d.CanIn = err == nil
	if err != nil && !errors.Is(err, netra.ErrForbidden) {
		return err
	}
	d.Outgoing, err = s.store.Transfers(ctx, tid, false, status)
	d.CanOut = err == nil
	if err != nil && !errors.Is(err, netra.ErrForbidden) {
		return err
	}
	if !d.CanIn && !d.CanOut {
		return netra.ErrForbidden
	}
	return s.render(w, r, http.StatusOK, "transfers", d)
}

// transferDecide confirms or refuses a transfer and goes back to the list.
func (s *Server) transferDecide(confirm bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		flash := "transfer_refused"
		if confirm {
			err, flash = s.store.ConfirmTransfer(r.Context(), id), "transfer_confirmed"
		} else {
			err = s.store.RefuseTransfer(r.Context(), id)
		}
		if err != nil {
			return err
		}
		back := "/mutasi"
		if tid := formID(r.FormValue("instansi")); tid != 0 {
			back += "?instansi=" + strconv.FormatInt(tid, 10)
		}
		return s.redirect(w, r, back, flash)
	}
}

// The API of the flow.

func (s *Server) apiImportConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	im, err := s.imports.Confirm(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, importJSON(im, info(r).lang))
}

func (s *Server) apiImportCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	im, err := s.imports.Cancel(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, importJSON(im, info(r).lang))
}

type apiTransfer struct {
	ID           int64   `json:"id"`
	ImportID     int64   `json:"import_id"`
	Line         int64   `json:"line"`
	EmployeeID   int64   `json:"employee_id"`
	NIP          string  `json:"nip"`
	Name         string  `json:"name"`
	FromTenantID *int64  `json:"from_tenant_id"`
	ToTenantID   int64   `json:"to_tenant_id"`
	ToUnitID     int64   `json:"to_unit_id"`
	ToUnit       string  `json:"to_unit"`
	Status       string  `json:"status"`
	DecidedBy    *string `json:"decided_by"`
	DecidedAt    *string `json:"decided_at"`
	CreatedAt    string  `json:"created_at"`
	CanDecide    bool    `json:"can_decide"`
}

func transferJSON(m *store.Transfer) apiTransfer {
	out := apiTransfer{ID: m.ID, ImportID: m.ImportID, Line: m.Line, EmployeeID: m.EmployeeID, NIP: m.NIP, Name: m.Sent.Name,
		ToTenantID: m.ToTenantID, ToUnitID: m.ToUnitID, ToUnit: m.ToUnit, Status: m.Status, DecidedAt: optTS(m.DecidedAt),
		CreatedAt: ts(m.CreatedAt), CanDecide: m.CanDecide}
	if m.FromTenantID != 0 {
		out.FromTenantID = &m.FromTenantID
	}
	if m.DecidedBy != "" {
		out.DecidedBy = &m.DecidedBy
	}
	return out
}

// apiTransfers lists a government's transfers: direction=incoming (asked
// for by its imports) or outgoing (of its employees), status optional.
func (s *Server) apiTransfers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	tid := formID(q.Get("tenant_id"))
	if tid == 0 {
		return netra.Invalid("tenant_id", netra.Msg("tenant_id wajib diisi.", "tenant_id is required."))
	}
	dir := q.Get("direction")
	if dir != "incoming" && dir != "outgoing" {
		return netra.Invalid("direction", netra.Msg("direction harus incoming atau outgoing.", "direction must be incoming or outgoing."))
	}
	status := q.Get("status")
	if status != "" && status != store.TransferPending && status != store.TransferConfirmed && status != store.TransferRefused {
		return netra.Invalid("status", netra.Msg("status harus pending, confirmed atau refused.", "status must be pending, confirmed or refused."))
	}
	ms, err := s.store.Transfers(r.Context(), tid, dir == "incoming", status)
	if err != nil {
		return err
	}
	out := list[apiTransfer]{Items: []apiTransfer{}}
	for i := range ms {
		out.Items = append(out.Items, transferJSON(&ms[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiTransferDecide(confirm bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if confirm {
			err = s.store.ConfirmTransfer(r.Context(), id)
		} else {
			err = s.store.RefuseTransfer(r.Context(), id)
		}
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
