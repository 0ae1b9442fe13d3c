package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/store"
)

// PledgeBundleAttachment is the name of the file a pledge certificate
// embeds: the signature's bundle (netra.PledgeBundle, JSON), read back by
// the verification page and by netra pledge verify --pdf with
// pdf.ReadAttachment.
const PledgeBundleAttachment = "ikrar.json"

// WritePledgeCertificate writes the certificate of a signature as a PDF
// (A4, Indonesian): the government's letterhead, the status (SAH, or
// DICABUT with when, by whom and why), the signer as the signed record
// states them (name, NIP, position, unit, time, how it was signed), the
// full text signed, and the QR code of the public verification address
// (netra.PledgeVerifyURL under baseURL) with the short code; the bundle is
// embedded as PledgeBundleAttachment so that the certificate can be checked
// offline. now is when it is printed (the footer).
func WritePledgeCertificate(w io.Writer, c *store.PledgeCertificate, baseURL string, now time.Time) error {
	rec, sig := c.Record, c.Signature
	code := netra.FormatPledgeCode(sig.Code)
	verify := netra.PledgeVerifyURL(baseURL, sig.Code)
	b := *c.Bundle
	b.VerifyURL = verify
	bundle, err := json.MarshalIndent(&b, "", "  ")
	if err != nil {
		return fmt.Errorf("web: certificate bundle: %w", err)
	}
	at := func(t time.Time) string { return pdf.DateTime(t.In(wib)) }
	position := rec.PositionName
	if position == "" {
		position = rec.PositionType.Label(langID)
	}
	gov := strings.ToUpper(rec.TenantName)
	if !strings.HasPrefix(gov, "PEMERINTAH") {
		gov = "PEMERINTAH " + gov
	}
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	cert := pdf.Certificate{
		Letterhead: pdf.Letterhead{Government: gov, Address: "Kode wilayah Kemendagri " + rec.TenantCode, Contact: host},
		Title:      "SERTIFIKAT IKRAR NETRALITAS ASN",
		Subtitle:   rec.CampaignTitle,
		Intro:      "Yang bertanda tangan di bawah ini:",
		Signer: []pdf.Field{
			{Key: "Nama", Value: rec.Name},
			{Key: "NIP", Value: netra.FormatNIP(rec.NIP)},
			{Key: "Jabatan", Value: position},
			{Key: "Unit kerja", Value: rec.UnitName},
			{Key: "Instansi", Value: rec.TenantName},
			{Key: "Waktu", Value: at(rec.SignedAt)},
			{Key: "Cara", Value: pledgeMethodText(rec)},
			{Key: "Teks ikrar", Value: fmt.Sprintf("%s (versi %d)", rec.TemplateTitle, rec.TemplateVersion)},
		},
		Text:      c.Text.Body,
		Status:    "SAH",
		VerifyURL: verify,
		Code:      code,
		Created:   now.In(wib),
		StatusNote: fmt.Sprintf("Ditandatangani dengan kunci elektronik %s dan tercatat dalam log transparansi ikrar instansi, entri ke-%s.",
			sig.KeyID, pdf.Int(sig.LeafIndex+1)),
		FooterNote: "Dokumen elektronik Netra · " + host,
		Attachments: []pdf.Attachment{{Name: PledgeBundleAttachment, MIME: "application/json", Data: bundle,
			Description: "Rekaman ikrar bertanda tangan, untuk pemeriksaan luring (netra pledge verify --pdf)"}},
	}
	if sig.Revoked() {
		cert.Status, cert.Revoked = "DICABUT", true
		cert.StatusNote = "Dicabut pada " + at(sig.RevokedAt)
		if c.Revocation != nil {
			if c.RevokedBy != "" {
				cert.StatusNote += " oleh " + c.RevokedBy
			}
			cert.StatusNote += ". Alasan: " + c.Revocation.Reason
		}
	}
	return pdf.WriteCertificate(w, cert)
}

// pledgeMethodText says on a certificate how a pledge was signed.
func pledgeMethodText(rec *netra.PledgeRecord) string {
	switch rec.Method {
	case netra.PledgePaper:
		return "Ditandatangani di atas kertas pada " + pdf.Date(rec.SignedOn) + "; pindaiannya dicatat oleh " + rec.OperatorLabel
	case netra.PledgeAtCeremony:
		return "Ditandatangani dalam upacara penandatanganan di " + rec.CeremonyPlace + " pada " + pdf.Date(rec.SignedOn) +
			"; dicatat oleh " + rec.OperatorLabel
	}
	how := map[string]string{
		netra.AuthEmployeeCode:  " (masuk dengan NIP dan kode yang dikirim lewat pos-el)",
		netra.AuthStaffPassword: " (masuk dengan kata sandi dan kode TOTP)",
		netra.AuthAPIToken:      " (melalui token API)",
	}[rec.Auth]
	return "Ditandatangani secara elektronik oleh pegawai sendiri" + how
}
