package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/signlog"
)

// The public verification of pledge certificates, without signing in:
// /v/{code} (the address a certificate's QR code holds) says valid,
// revoked, unknown or invalid with the campaign, the time and a masked
// identity, and nothing else personal (store.VerifyPledgeCode); /v takes a
// typed code or an uploaded certificate PDF, whose embedded bundle is
// checked as an outsider would (signlog.VerifyPledgeBundle) against the
// government's published keys and its newest checkpoint. Both are rate
// limited per address like the sign-in forms.

// maxCertificateUpload bounds an uploaded certificate: ours are tens of KB.
const maxCertificateUpload = 8 << 20

// newVerifyLimiter is the per-address limit of the verification pages.
func newVerifyLimiter() *ipLimiter { return newIPLimiter(30, 2*time.Second) }

type pledgeVerifyPage struct {
	*page
	Result   *netra.PledgeVerification // nil: the form alone
	Upload   bool                      // the result is of an uploaded certificate
	Detail   string                    // an uploaded certificate's problem, as the checker states it
	Offline  bool                      // the uploaded bundle checked offline
	LogURL   string                    // the government's published log
	Fields   []field
	FileForm []field
}

// Entry is the result's place in the log, counted from 1.
func (d *pledgeVerifyPage) Entry() int64 { return d.Result.LeafIndex + 1 }

// StatusWord is the result's status as the page prints it large.
func (d *pledgeVerifyPage) StatusWord() string {
	return d.T("pledge.status." + string(d.Result.Status))
}

func (s *Server) pledgeVerifyData(r *http.Request, code string) *pledgeVerifyPage {
	p := s.newPage(r, "pledge.verify.title")
	return &pledgeVerifyPage{page: p,
		Fields: []field{{Name: "kode", Label: p.T("pledge.verify.code"), Hint: p.T("pledge.verify.code.hint"), Type: "text",
			Value: code, MaxLength: 40, Autocomplete: "off"}},
		FileForm: []field{
			{Name: "file", Label: p.T("pledge.verify.file"), Hint: p.T("pledge.verify.file.hint"), Type: "file", Accept: ".pdf,application/pdf",
				Required: true},
			{Name: "printed_code", Label: p.T("pledge.verify.file.code"), Hint: p.T("pledge.verify.file.code.hint"), Type: "text", MaxLength: 40,
				Autocomplete: "off"},
		}}
}

// noIndex keeps verification answers out of search engines and caches:
// they name people, and a revocation changes them.
func noIndex(w http.ResponseWriter) {
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Header().Set("Cache-Control", "no-store")
}

// pledgeVerifyForm shows the form; a typed code (?kode=) goes to its page.
func (s *Server) pledgeVerifyForm(w http.ResponseWriter, r *http.Request) error {
	if code := strings.TrimSpace(r.URL.Query().Get("kode")); code != "" {
		if c, ok := netra.ParsePledgeCode(code); ok {
			return s.redirect(w, r, "/v/"+netra.FormatPledgeCode(c), "")
		}
		d := s.pledgeVerifyData(r, code)
		d.setErrors(map[string]string{"kode": netra.Msg("Kode verifikasi terdiri atas 10 huruf dan angka, seperti ABCD-EFGH-JK.",
			"A verification code has 10 letters and digits, like ABCD-EFGH-JK.").In(d.Lang)}, d.Fields)
		return s.render(w, r, http.StatusUnprocessableEntity, "pledge_verify", d)
	}
	return s.render(w, r, http.StatusOK, "pledge_verify", s.pledgeVerifyData(r, ""))
}

// pledgeVerifyCode answers what a verification code stands for.
func (s *Server) pledgeVerifyCode(w http.ResponseWriter, r *http.Request) error {
	v, err := s.store.VerifyPledgeCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	d := s.pledgeVerifyData(r, v.Code)
	d.Result = v
	d.Title = d.T("pledge.verify.result.title", v.Code)
	if v.TenantCode != "" {
		d.LogURL = "/log/ikrar/" + v.TenantCode + "/checkpoint"
	}
	noIndex(w)
	return s.render(w, r, http.StatusOK, "pledge_verify", d)
}

// pledgeVerifyUpload checks an uploaded certificate: its embedded bundle
// offline against the government's published keys, then against the log
// as it stands now, then the signature's current status.
func (s *Server) pledgeVerifyUpload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxCertificateUpload+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return s.verifyUploadInvalid(w, r, netra.Invalid("file", netra.Msg("Berkas terlalu besar: sertifikat Netra berukuran puluhan KB.",
				"The file is too large: a Netra certificate is tens of KB.")))
		}
		return errBadRequest("Unggahan harus berupa formulir multipart.", "The upload must be a multipart form.")
	}
	defer r.MultipartForm.RemoveAll()
	typed := strings.TrimSpace(r.FormValue("printed_code"))
	file, _, err := r.FormFile("file")
	if err != nil {
		return s.verifyUploadInvalid(w, r, netra.Invalid("file", netra.Msg("Pilih berkas PDF sertifikat.", "Choose the certificate's PDF file.")))
	}
	defer file.Close()
	if err := pdf.Sniff(file); err != nil {
		var ue *netra.UserError
		if errors.As(err, &ue) {
			return s.verifyUploadInvalid(w, r, netra.Invalid("file", ue.Msg))
		}
		return err
	}
	doc, err := io.ReadAll(io.LimitReader(file, maxCertificateUpload+1))
	if err != nil {
		return err
	}
	if len(doc) > maxCertificateUpload {
		return s.verifyUploadInvalid(w, r, netra.Invalid("file", netra.Msg("Berkas terlalu besar: sertifikat Netra berukuran puluhan KB.",
			"The file is too large: a Netra certificate is tens of KB.")))
	}
	if typed != "" {
		if _, ok := netra.ParsePledgeCode(typed); !ok {
			return s.verifyUploadInvalid(w, r, netra.Invalid("printed_code", netra.Msg("Kode verifikasi terdiri atas 10 huruf dan angka, seperti ABCD-EFGH-JK.",
				"A verification code has 10 letters and digits, like ABCD-EFGH-JK.")))
		}
	}
	v, detail, err := s.checkCertificate(r.Context(), doc, typed)
	if err != nil {
		return err
	}
	d := s.pledgeVerifyData(r, "")
	d.Result, d.Upload, d.Detail = v, true, detail
	d.Offline = v.Status == netra.PledgeValid || v.Status == netra.PledgeRevoked
	d.Title = d.T("pledge.verify.upload.title")
	if v.TenantCode != "" {
		d.LogURL = "/log/ikrar/" + v.TenantCode + "/checkpoint"
	}
	noIndex(w)
	return s.render(w, r, http.StatusOK, "pledge_verify", d)
}

func (s *Server) verifyUploadInvalid(w http.ResponseWriter, r *http.Request, err error) error {
	return s.renderInvalid(w, r, err, "pledge_verify", func() (formPage, []field, error) {
		d := s.pledgeVerifyData(r, "")
		return d, d.FileForm, nil
	})
}

// pledgeReasons says in both languages why a bundle does not verify.
var pledgeReasons = map[signlog.Reason]netra.Message{
	signlog.Malformed: netra.Msg("Berkas ini tidak memuat rekaman ikrar Netra yang terbaca: ini bukan sertifikat Netra, atau berkasnya telah diubah.",
		"This file holds no readable Netra pledge record: it is not a Netra certificate, or the file was changed."),
	signlog.Altered: netra.Msg("Rekaman ikrar dalam sertifikat ini telah diubah: isinya tidak sesuai dengan sidik yang ditandatangani.",
		"The pledge record in this certificate was altered: its content does not match the hash that was signed."),
	signlog.UnknownKey: netra.Msg("Rekaman ini ditandatangani dengan kunci yang tidak diterbitkan instansinya: sertifikat ini palsu.",
		"This record is signed with a key its government never published: the certificate is forged."),
	signlog.Forged: netra.Msg("Tanda tangan elektronik pada rekaman ini tidak sah: sertifikat ini palsu.",
		"The electronic signature on this record is not valid: the certificate is forged."),
	signlog.BadCheckpoint: netra.Msg("Titik periksa log dalam sertifikat ini tidak ditandatangani instansinya: sertifikat ini palsu.",
		"The log checkpoint in this certificate is not signed by its government: the certificate is forged."),
	signlog.NotInLog: netra.Msg("Rekaman ini tidak ada di log ikrar instansi pada tempat yang disebutkan sertifikat.",
		"This record is not in the government's pledge log where the certificate says it is."),
	signlog.Replayed: netra.Msg("Rekaman ini asli, tetapi bukan milik sertifikat ini (kodenya lain): sertifikat ini memakai ulang tanda tangan orang lain.",
		"This record is genuine but does not belong to this certificate (its code differs): the certificate reuses someone else's signature."),
}

var msgNoBundle = netra.Msg("Sertifikat ini tidak memuat rekaman ikrar yang dapat diperiksa: ini bukan sertifikat Netra, atau berkasnya diubah atau rusak.",
	"This certificate holds no pledge record that can be checked: it is not a Netra certificate, or the file was changed or damaged.")

// checkCertificate checks the bundle a certificate PDF embeds, as anyone
// can offline (signlog.VerifyPledgeBundle with the government's published
// keys and the bundle's own checkpoint); then against the log as the server
// holds it now: the record at its place in the newest checkpoint, and that
// checkpoint a consistent extension of the certificate's (the log was not
// rewritten since); then the signature's current status (revoked?). typed
// is the code printed on the certificate, when the visitor typed it. It
// returns the verification and, for an invalid one, the checker's detail.
func (s *Server) checkCertificate(ctx context.Context, doc []byte, typed string) (*netra.PledgeVerification, string, error) {
	invalid := func(m netra.Message, detail string) (*netra.PledgeVerification, string, error) {
		return &netra.PledgeVerification{Status: netra.PledgeInvalid, Reason: m}, detail, nil
	}
	raw, err := pdf.ReadAttachment(doc, PledgeBundleAttachment)
	if err != nil {
		return invalid(msgNoBundle, err.Error())
	}
	var b netra.PledgeBundle
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&b); err != nil {
		return invalid(pledgeReasons[signlog.Malformed], "the attachment is not JSON: "+err.Error())
	}
	tenant, ok := strings.CutPrefix(b.Log, "netra/pledge/")
	if _, known := netra.LevelOfCode(tenant); !ok || !known {
		return invalid(pledgeReasons[signlog.Malformed], "the bundle names no government's pledge log ("+netra.Truncate(b.Log, 60)+")")
	}
	name := netra.PledgeLogName(tenant)
	keys, err := s.store.LogVerifierKeys(ctx, name)
	if errors.Is(err, netra.ErrNotFound) {
		return invalid(pledgeReasons[signlog.UnknownKey], "this server keeps no pledge log "+netra.PledgeLogOrigin(tenant))
	} else if err != nil {
		return nil, "", err
	}
	claim := netra.PledgeClaim{TenantCode: tenant, Code: typed}
	bad := func(err error) (*netra.PledgeVerification, string, error) {
		var p *signlog.Problem
		if !errors.As(err, &p) {
			return nil, "", err
		}
		return invalid(pledgeReasons[p.Reason], string(p.Reason)+": "+p.Detail)
	}
	check, err := signlog.VerifyPledgeBundle(&b, keys, nil, claim)
	if err != nil {
		return bad(err)
	}
	// The log as it stands now: the newest checkpoint holds the record at
	// its place, and extends the certificate's checkpoint.
	latest, err := s.store.LatestCheckpoint(ctx, name)
	if err != nil {
		return nil, "", err
	}
	if latest.Size < check.Checkpoint.Size || b.LeafIndex >= latest.Size {
		return invalid(pledgeReasons[signlog.NotInLog], "the certificate's checkpoint is larger than the log's newest one: the log was truncated")
	}
	proof, err := s.store.LogInclusionProof(ctx, name, b.LeafIndex, latest.Size)
	if err != nil {
		return nil, "", err
	}
	now := b
	now.Proof, now.TreeSize = make([]string, len(proof)), latest.Size
	for i, h := range proof {
		now.Proof[i] = h.String()
	}
	if _, err := signlog.VerifyPledgeBundle(&now, keys, latest.Note, claim); err != nil {
		return bad(err)
	}
	tree, err := s.store.LogConsistencyProof(ctx, name, check.Checkpoint.Size, latest.Size)
	if err != nil {
		return nil, "", err
	}
	if err := signlog.CheckConsistency(tree, latest.Size, latest.Hash, check.Checkpoint.Size, check.Checkpoint.Hash); err != nil {
		return invalid(pledgeReasons[signlog.NotInLog], "the log's newest checkpoint does not extend the certificate's: the log was rewritten ("+err.Error()+")")
	}
	// Valid offline; what does the server say of it now?
	v, err := s.store.VerifyPledgeCode(ctx, check.Code)
	if err != nil {
		return nil, "", err
	}
	rec := check.Record
	switch v.Status {
	case netra.PledgeValid, netra.PledgeRevoked:
		return v, "", nil
	case netra.PledgeUnknown:
		// Logged and signed, but not on file: the database lost it.
		v = &netra.PledgeVerification{Status: netra.PledgeInvalid, Code: netra.FormatPledgeCode(check.Code),
			Reason: netra.Msg("Rekaman ini ada di log, tetapi tidak ada di data instansi: hubungi pengelola Netra instansi.",
				"This record is in the log but not in the government's data: contact the government's Netra administrators.")}
	}
	v.TenantCode, v.TenantName, v.CampaignTitle = rec.TenantCode, rec.TenantName, rec.CampaignTitle
	v.TemplateTitle, v.TemplateVersion, v.Method = rec.TemplateTitle, rec.TemplateVersion, rec.Method
	v.SignedAt, v.SignedOn, v.Name, v.MaskedNIP = rec.SignedAt, rec.SignedOn, rec.Name, netra.MaskNIP(rec.NIP)
	return v, "", nil
}
