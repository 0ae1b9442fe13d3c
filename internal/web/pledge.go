package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The employee's pledge pages (docs/pledges.md): /ikrar lists the campaigns
// that ask the signed-in employee to sign, with their status; /ikrar/{id}
// shows a campaign's full text and signs it (a tick that they read and agree,
// and their name typed), then shows the signature with its certificate,
// /ikrar/{id}/sertifikat.pdf. Only the employee signs their own pledge
// (the store checks it again). The public verification pages are in
// pledge_verify.go, the operators' in pledge_admin.go, the certificate in
// pledge_certificate.go.

// pledgeNavHref and pledgeNavPerm give the pledge entry of the navigation:
// the employee's own pledges, or the operators' pages for staff.
func pledgeNavHref(a *netra.Actor) string {
	if a.Can(netra.PermSelf) && !isStaff(a) {
		return "/ikrar"
	}
	return "/ikrar/kelola"
}

func pledgeNavPerm(a *netra.Actor) netra.Permission {
	if a.Can(netra.PermSelf) && !isStaff(a) {
		return netra.PermSelf
	}
	return netra.PermDutyManage
}

type pledgeListPage struct {
	*page
	Campaigns []store.MyPledgeCampaign
}

// pledgeList lists the campaigns that ask the signed-in employee to sign.
func (s *Server) pledgeList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.store.PledgeCampaignsForMe(r.Context())
	if err != nil {
		return err
	}
	p := s.newPage(r, "pledge.list.title")
	return s.render(w, r, http.StatusOK, "pledge_list", &pledgeListPage{page: p, Campaigns: cs})
}

type pledgeSignPage struct {
	*page
	Campaign   *netra.PledgeCampaign
	Text       *netra.PledgeText
	Paragraphs []string
	Employee   *netra.Employee
	Open       bool
	// Signature is the employee's newest signature (nil: not signed);
	// Revocation is set when it was revoked, and the form shows again.
	Signature  *netra.PledgeSignature
	Revocation *netra.PledgeRevocation
	Code       string // grouped
	VerifyURL  string
	Fields     []field // the agreement (a checkbox) and the name
}

// Signed reports whether the page shows a live signature.
func (d *pledgeSignPage) Signed() bool { return d.Signature != nil && !d.Signature.Revoked() }

// paragraphs splits a pledge text at its blank lines, for the page.
func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// pledgeSignData builds the signing page of campaign id for the signed-in
// employee, with the name typed so far.
func (s *Server) pledgeSignData(r *http.Request, id int64, typed string, agreed bool) (*pledgeSignPage, error) {
	ctx := r.Context()
	a := info(r).actor
	if a.EmployeeID == 0 {
		return nil, errNotFound
	}
	c, err := s.store.PledgeCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != netra.PledgeCampaignLaunched {
		return nil, errNotFound // a draft is the operators' business
	}
	text, err := s.store.PledgeTemplateText(ctx, c.TemplateID, c.TemplateVersion)
	if err != nil {
		return nil, err
	}
	e, err := s.store.Employee(ctx, a.EmployeeID)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "")
	p.Title = c.Title
	d := &pledgeSignPage{page: p, Campaign: c, Text: text, Paragraphs: paragraphs(text.Body), Employee: e,
		Open: c.OpenAt(s.now())}
	sig, err := s.store.MyLatestPledge(ctx, id)
	switch {
	case err == nil:
		d.Signature, d.Code, d.VerifyURL = sig, netra.FormatPledgeCode(sig.Code), netra.PledgeVerifyURL(s.baseURL, sig.Code)
		if sig.Revoked() {
			if d.Revocation, err = s.store.PledgeRevocationOf(ctx, sig.ID); err != nil {
				return nil, err
			}
		}
	case !errors.Is(err, netra.ErrNotFound):
		return nil, err
	}
	d.Fields = []field{
		{Name: "agree", Label: p.T("pledge.sign.agree"), Type: "checkbox", Value: checkValue(agreed), Required: true},
		{Name: "name", Label: p.T("pledge.sign.name"), Hint: p.T("pledge.sign.name.hint", e.Name), Type: "text",
			Value: typed, Required: true, MaxLength: 200, Autocomplete: "name"},
	}
	return d, nil
}

// pledgeSignPage shows a campaign's text and the signing form, or the
// employee's signature once made.
func (s *Server) pledgeSignPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.pledgeSignData(r, id, "", false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pledge_sign", d)
}

var msgPledgeAgree = netra.Msg("Centang pernyataan bahwa Anda telah membaca dan menyetujui ikrar ini.",
	"Tick the statement that you have read and agree to this pledge.")

// pledgeSign signs a campaign's pledge for the signed-in employee: the
// agreement ticked and their name typed. Signing again shows the signature
// already made. A wrong name, a closed campaign and the like come back on
// the form with the store's message; nothing is stored.
func (s *Server) pledgeSign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	agreed, name := f.checked("agree"), f.get("name")
	if !agreed {
		f.invalid("agree", msgPledgeAgree)
	}
	if strings.TrimSpace(name) == "" {
		f.invalid("name", netra.Msg("Ketik nama Anda untuk menandatangani.", "Type your name to sign."))
	}
	err = f.err()
	if err == nil {
		_, err = s.store.SignPledge(r.Context(), id, name)
	} else if sig, lerr := s.store.MyLatestPledge(r.Context(), id); lerr == nil && !sig.Revoked() {
		err = nil // signed already (another tab): show that signature
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "pledge_sign", func() (formPage, []field, error) {
			d, err := s.pledgeSignData(r, id, name, agreed)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/ikrar/"+strconv.FormatInt(id, 10)+"#tanda-tangan", "pledge_signed")
}

// pledgeMyCertificate sends the certificate of the signed-in employee's
// signature of a campaign (their newest: a revoked one says so).
func (s *Server) pledgeMyCertificate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.MyPledgeCertificate(r.Context(), id)
	if err != nil {
		return err
	}
	return s.sendCertificate(w, c)
}

// pledgeCertificate sends the certificate of any signature the operator
// may read (duty.read or duty.manage covering the signer's unit); the
// read is audited by the store.
func (s *Server) pledgeCertificate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.PledgeCertificate(r.Context(), id)
	if err != nil {
		return err
	}
	return s.sendCertificate(w, c)
}

// sendCertificate writes a certificate as a PDF download. It is made in
// memory (a page or two) so that a failure is a clean error page.
func (s *Server) sendCertificate(w http.ResponseWriter, c *store.PledgeCertificate) error {
	var buf bytes.Buffer
	if err := WritePledgeCertificate(&buf, c, s.baseURL, s.now()); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="sertifikat-ikrar-`+netra.FormatPledgeCode(c.Signature.Code)+`.pdf"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "private, no-store")
	_, err := w.Write(buf.Bytes())
	return err
}
