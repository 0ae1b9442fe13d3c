package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/pdf/pdftest"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// pledgeFixture is a launched campaign of Palangka Raya's shipped Tarakan
// text, open from three days ago for a month, and (for the route test) a
// signature of it by the fixture employee (guru, user "pegawai").
type pledgeFixture struct {
	template, campaign, signature int64
	code                          string
}

var fixturePledge = map[*env]pledgeFixture{}

// pledgeCampaign launches a campaign of Palangka Raya open from opens to
// closes (relative to now) and returns it.
func (e *env) pledgeCampaign(t *testing.T, title string, opens, closes time.Duration) *netra.PledgeCampaign {
	t.Helper()
	tpls, err := e.st.InstallShippedPledges(sys, e.palangka.ID)
	must(t, err)
	es, err := e.st.Elections(sys)
	must(t, err)
	now := e.now()
	c := &netra.PledgeCampaign{TenantID: e.palangka.ID, TemplateID: tpls[0].ID, TemplateVersion: tpls[0].Latest.Version,
		ElectionID: es[0].ID, Title: title, Opens: now.Add(opens), Closes: now.Add(closes)}
	if closes-opens > 6*24*time.Hour {
		c.ReminderDays = []int{5}
	}
	must(t, e.st.CreatePledgeCampaign(sys, c))
	launched, err := e.st.LaunchPledgeCampaign(sys, c.ID)
	must(t, err)
	return launched
}

func (e *env) lazyPledge(t *testing.T) pledgeFixture {
	if f, ok := fixturePledge[e]; ok {
		return f
	}
	c := e.pledgeCampaign(t, "Ikrar Uji Rute", -72*time.Hour, 30*24*time.Hour)
	sig, err := e.st.SignPledge(netra.WithActor(context.Background(), actorFor(e.users["pegawai"], "127.0.0.1")), c.ID, "Siti Aminah")
	must(t, err)
	f := pledgeFixture{template: c.TemplateID, campaign: c.ID, signature: sig.ID, code: netra.FormatPledgeCode(sig.Code)}
	fixturePledge[e] = f
	return f
}

// employeeUser gives a fixture employee an employee account, as user key.
func (e *env) employeeUser(t *testing.T, key string) {
	t.Helper()
	u, _, err := e.st.EmployeeLogin(context.Background(), e.employees[key].NIP)
	must(t, err)
	e.users[key] = u
}

// multipartPost sends a multipart form from this origin: fields, then files.
func (c *client) multipartPost(target string, fields map[string]string, files map[string][]byte) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		must(c.e.t, mw.WriteField(k, v))
	}
	for k, b := range files {
		fw, err := mw.CreateFormFile(k, k+".bin")
		must(c.e.t, err)
		_, _ = fw.Write(b)
	}
	must(c.e.t, mw.Close())
	return c.do("POST", target, &buf, http.Header{"Content-Type": {mw.FormDataContentType()}, "Sec-Fetch-Site": {"same-origin"}})
}

var codeRe = regexp.MustCompile(`id="pledge-code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})<`)

// signedCode reads the verification code off the signing page.
func signedCode(t *testing.T, body string) string {
	t.Helper()
	m := codeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no verification code on the page:\n%s", body)
	}
	return m[1]
}

// TestPledgeSignFlow: the employee sees the open campaign, reads its text,
// is refused without the tick and with a wrong name (nothing stored), signs,
// sees the signature with its code and certificate, and signing again shows
// the same code; a campaign not yet open refuses with its period; an
// administrator has no pledge pages of their own.
func TestPledgeSignFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.pledgeCampaign(t, "Ikrar Netralitas Pilkada 2024", -time.Hour, 30*24*time.Hour)
		later := e.pledgeCampaign(t, "Ikrar Tahun Depan", 24*time.Hour, 60*24*time.Hour)
		g := e.as("pegawai")
		page := "/ikrar/" + id(c.ID)

		wantBody(t, g.get("/ikrar"), 200, "Ikrar Netralitas Pilkada 2024", "Belum ditandatangani", `href="/ikrar/`+id(c.ID)+`"`)
		wantBody(t, g.get(page), 200, "Menjaga dan menegakkan prinsip netralitas", "Saya telah membaca dan menyetujui ikrar ini",
			`name="agree"`, `name="name"`, "Siti Aminah")
		signs := func() int { return auditActions(t, st, "pledge.sign") }

		wantBody(t, g.post(page, url.Values{"name": {"Siti Aminah"}}), 422, "Centang pernyataan", `href="#f-agree"`)
		w := g.post(page, url.Values{"agree": {"1"}, "name": {"Siti Aminha"}})
		wantBody(t, w, 422, "tidak sama dengan nama Anda", `href="#f-name"`, `value="Siti Aminha"`, `checked`)
		if n := signs(); n != 0 {
			t.Fatalf("a refused signature left %d pledge.sign entries", n)
		}
		if _, err := st.MyLatestPledge(netra.WithActor(context.Background(), actorFor(e.users["pegawai"], "")), c.ID); err == nil {
			t.Fatal("a refused signature was stored")
		}

		wantRedirect(t, g.post(page, url.Values{"agree": {"on"}, "name": {"  siti   AMINAH "}}), page+"#tanda-tangan")
		body := g.get(page).Body.String()
		code := signedCode(t, body)
		for _, want := range []string{"Ikrar Anda telah ditandatangani", "Sudah ditandatangani", page + "/sertifikat.pdf",
			"http://netra.test/v/" + code} {
			if !strings.Contains(body, want) {
				t.Errorf("the signed page lacks %q", want)
			}
		}
		if strings.Contains(body, `name="agree"`) {
			t.Error("the signed page still offers the form")
		}
		// Again: the same signature.
		wantRedirect(t, g.post(page, url.Values{"agree": {"1"}, "name": {"Siti Aminah"}}), page)
		if again := signedCode(t, g.get(page).Body.String()); again != code {
			t.Errorf("signing again gave code %s, want %s", again, code)
		}
		// A second tab's form, sent without the tick: the signature made.
		wantRedirect(t, g.post(page, url.Values{"name": {""}}), page)
		if n := signs(); n != 1 {
			t.Errorf("%d signatures, want 1", n)
		}
		wantBody(t, g.get("/ikrar"), 200, "Sudah ditandatangani")

		// Not open yet: no form, and a forced POST is refused with the period.
		wantBody(t, g.get("/ikrar/"+id(later.ID)), 200, "tidak sedang menerima tanda tangan")
		wantBody(t, g.post("/ikrar/"+id(later.ID), url.Values{"agree": {"1"}, "name": {"Siti Aminah"}}), 409,
			"menerima tanda tangan dari")
		// English.
		g.lang = "en"
		wantBody(t, g.get("/ikrar/"+id(later.ID)), 200, "This pledge is not taking signatures", "Signing period")
		wantBody(t, g.get(page), 200, "Download the certificate (PDF)", "Your pledge")
		// A draft is not shown; another government's campaign is not found.
		draft := &netra.PledgeCampaign{TenantID: e.palangka.ID, TemplateID: c.TemplateID, TemplateVersion: 1, ElectionID: c.ElectionID,
			Title: "Draf", Opens: c.Opens, Closes: c.Closes}
		must(t, st.CreatePledgeCampaign(sys, draft))
		if w := g.get("/ikrar/" + id(draft.ID)); w.Code != 404 {
			t.Errorf("a draft campaign: %d", w.Code)
		}
		e.employeeUser(t, "tarakan")
		if w := e.as("tarakan").get(page); w.Code != 404 {
			t.Errorf("Tarakan's employee opens Palangka Raya's campaign: %d", w.Code)
		}
		if w := e.as("tarakan").post(page, url.Values{"agree": {"1"}, "name": {"Dewi Tarakan"}}); w.Code != 404 {
			t.Errorf("Tarakan's employee signs Palangka Raya's campaign: %d", w.Code)
		}
		// Staff have no pledge of their own to sign.
		if w := e.as("admin").get("/ikrar"); w.Code != 403 {
			t.Errorf("an administrator's /ikrar: %d", w.Code)
		}
	})
}

func auditActions(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	es, err := st.AuditEntries(sys, netra.AuditFilter{Action: action, Limit: 500})
	must(t, err)
	return len(es)
}

// certificate downloads a certificate and checks it is a PDF download.
func certificate(t *testing.T, c *client, path string) []byte {
	t.Helper()
	w := c.get(path)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="sertifikat-ikrar-`) {
		t.Fatalf("GET %s: %d %s %s\n%s", path, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"), w.Body.String())
	}
	return w.Body.Bytes()
}

// reprint writes a certificate of sigID whose bundle change altered.
func reprint(t *testing.T, e *env, sigID int64, change func(b *netra.PledgeBundle)) []byte {
	t.Helper()
	c, err := e.st.PledgeCertificate(sys, sigID)
	must(t, err)
	b := *c.Bundle
	change(&b)
	c.Bundle = &b
	var buf bytes.Buffer
	must(t, WritePledgeCertificate(&buf, c, "http://netra.test", e.now()))
	return buf.Bytes()
}

func uploadCertificate(c *client, doc []byte, code string) *httptest.ResponseRecorder {
	return c.multipartPost("/v", map[string]string{"printed_code": code}, map[string][]byte{"file": doc})
}

// TestPledgeCertificate: the certificate's text extracts with pdftotext
// (name, NIP, code, the text, SAH), its QR decodes to the verification URL,
// it embeds the bundle, which verifies offline; the public page says SAH
// with a masked identity only; an uploaded certificate verifies, one with a
// byte of its bundle changed is altered, a forged signature, a record of
// another certificate (replayed) and a damaged file are refused with their
// reasons; after revocation the certificate, the page and the old
// certificate uploaded say DICABUT; nobody fetches another's certificate.
func TestPledgeCertificate(t *testing.T) {
	pdftest.Need(t, "pdftotext", "pdftoppm", "zbarimg", "pdfdetach")
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.pledgeCampaign(t, "Ikrar Netralitas Pilkada 2024", -72*time.Hour, 30*24*time.Hour)
		guru := e.employees["guru"]
		g := e.as("pegawai")
		page := "/ikrar/" + id(c.ID)
		wantRedirect(t, g.post(page, url.Values{"agree": {"1"}, "name": {"Siti Aminah"}}), page)
		code := signedCode(t, g.get(page).Body.String())
		sig, err := st.MyLatestPledge(netra.WithActor(context.Background(), actorFor(e.users["pegawai"], "")), c.ID)
		must(t, err)

		doc := certificate(t, g, page+"/sertifikat.pdf")
		text := pdftest.Words(pdftest.Text(t, doc))
		for _, want := range []string{"PEMERINTAH KOTA PALANGKA RAYA", "SERTIFIKAT IKRAR NETRALITAS ASN", "Ikrar Netralitas Pilkada 2024",
			"STATUS: SAH", "Siti Aminah", netra.FormatNIP(guru.NIP), "Bidang Sekolah Dasar", "Analis", "Kode verifikasi: " + code,
			"Menjaga dan menegakkan prinsip netralitas", "masuk dengan NIP dan kode"} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate's text lacks %q:\n%s", want, text)
			}
		}
		verifyURL := "http://netra.test/v/" + code
		if qr := pdftest.QR(t, doc, 1); len(qr) != 1 || qr[0] != verifyURL {
			t.Errorf("the QR code holds %q, want %s", qr, verifyURL)
		}
		att := pdftest.Attachments(t, doc)[PledgeBundleAttachment]
		if raw, err := pdf.ReadAttachment(doc, PledgeBundleAttachment); err != nil || !bytes.Equal(raw, att) {
			t.Fatalf("ReadAttachment and pdfdetach disagree: %v", err)
		}
		var b netra.PledgeBundle
		must(t, json.Unmarshal(att, &b))
		keys, err := st.LogVerifierKeys(context.Background(), netra.PledgeLogName(e.palangka.Code))
		must(t, err)
		if _, err := signlog.VerifyPledgeBundle(&b, keys, nil, netra.PledgeClaim{NIP: guru.NIP, Code: code}); err != nil || b.VerifyURL != verifyURL {
			t.Fatalf("the embedded bundle does not verify offline: %v (%s)", err, b.VerifyURL)
		}

		// The public page, from the QR code's address, without signing in.
		anon := e.anon()
		u, _ := url.Parse(verifyURL)
		w := anon.get(u.Path)
		wantBody(t, w, 200, `<h2 class="status-word" id="verify-status">SAH</h2>`, "Siti Aminah", netra.MaskNIP(guru.NIP),
			"Ikrar Netralitas Pilkada 2024", "Daring")
		for _, secret := range []string{guru.NIP, netra.FormatNIP(guru.NIP), "Bidang Sekolah Dasar", "Analis", guru.Email} {
			if strings.Contains(w.Body.String(), secret) {
				t.Errorf("the public page shows %q", secret)
			}
		}
		if w.Header().Get("X-Robots-Tag") != "noindex" {
			t.Error("the verification page may be indexed")
		}
		// The certificate uploaded.
		wantBody(t, uploadCertificate(anon, doc, ""), 200, `id="verify-status">SAH<`, "diperiksa dengan kunci publik instansi")
		wantBody(t, uploadCertificate(anon, doc, code), 200, `id="verify-status">SAH<`)

		// Forged, altered, replayed, damaged.
		e.employeeUser(t, "andi")
		a := e.as("andi")
		wantRedirect(t, a.post(page, url.Values{"agree": {"1"}, "name": {"Andi Wijaya"}}), page)
		andiCode := signedCode(t, a.get(page).Body.String())
		altered := reprint(t, e, sig.ID, func(b *netra.PledgeBundle) {
			b.Record = strings.Replace(b.Record, guru.NIP, guru.NIP[:17]+string('0'+(guru.NIP[17]-'0'+1)%10), 1)
		})
		wantBody(t, uploadCertificate(anon, altered, ""), 200, `id="verify-status">TIDAK SAH<`, "telah diubah", "altered")
		forged := reprint(t, e, sig.ID, func(b *netra.PledgeBundle) {
			s, _ := base64.StdEncoding.DecodeString(b.Signature)
			s[10] ^= 1
			b.Signature = base64.StdEncoding.EncodeToString(s)
		})
		wantBody(t, uploadCertificate(anon, forged, ""), 200, `id="verify-status">TIDAK SAH<`, "sertifikat ini palsu", "forged-signature")
		wantBody(t, uploadCertificate(anon, doc, andiCode), 200, `id="verify-status">TIDAK SAH<`, "memakai ulang", "replayed")
		damaged := bytes.Clone(doc)
		at := bytes.Index(damaged, []byte("/Type /EmbeddedFile"))
		at += bytes.Index(damaged[at:], []byte("stream\n")) + 20
		damaged[at] ^= 0xff
		wantBody(t, uploadCertificate(anon, damaged, ""), 200, `id="verify-status">TIDAK SAH<`, "tidak memuat rekaman ikrar")
		for _, w := range []*httptest.ResponseRecorder{uploadCertificate(anon, altered, ""), uploadCertificate(anon, damaged, "")} {
			if strings.Contains(w.Body.String(), "Siti Aminah") {
				t.Error("an invalid certificate's page repeats its unverified contents")
			}
		}
		wantBody(t, uploadCertificate(anon, []byte("\x89PNG\r\n\x1a\nnot a pdf"), ""), 422, "bukan PDF")
		wantBody(t, anon.multipartPost("/v", nil, nil), 422, "Pilih berkas PDF sertifikat")

		// Nobody fetches another's certificate.
		if w := a.get("/ikrar/tanda-tangan/" + id(sig.ID) + "/sertifikat.pdf"); w.Code != 403 {
			t.Errorf("an employee fetches another's certificate by id: %d", w.Code)
		}
		if w := e.as("disdik").get("/ikrar/tanda-tangan/" + id(sig.ID+1) + "/sertifikat.pdf"); w.Code != 404 {
			t.Errorf("Dinas Pendidikan's admin fetches Andi's (Setda) certificate: %d", w.Code)
		}
		e.employeeUser(t, "smp")
		if w := e.as("smp").get(page + "/sertifikat.pdf"); w.Code != 404 {
			t.Errorf("an employee who did not sign fetches a certificate: %d", w.Code)
		}
		// Operators in scope do, audited.
		reads := auditActions(t, st, "pledge_signature.read")
		opDoc := certificate(t, e.as("disdik"), "/ikrar/tanda-tangan/"+id(sig.ID)+"/sertifikat.pdf")
		if !strings.Contains(pdftest.Words(pdftest.Text(t, opDoc)), "Kode verifikasi: "+code) {
			t.Error("the operator's certificate is not Siti's")
		}
		if auditActions(t, st, "pledge_signature.read") <= reads {
			t.Error("the operator's certificate read was not audited")
		}

		// Revoked.
		wantBody(t, e.as("admin").post(pledgeBase(e.palangka.ID)+"/tanda-tangan/"+id(sig.ID)+"/cabut", url.Values{"reason": {""}}), 422,
			"Alasan pembatalan wajib diisi")
		wantRedirect(t, e.as("admin").post(pledgeBase(e.palangka.ID)+"/tanda-tangan/"+id(sig.ID)+"/cabut",
			url.Values{"reason": {"Ditandatangani oleh orang lain"}}), pledgeBase(e.palangka.ID)+"/tanda-tangan/")
		wantBody(t, anon.get(u.Path), 200, `id="verify-status">DICABUT<`, "Dicabut pada")
		wantBody(t, uploadCertificate(anon, doc, ""), 200, `id="verify-status">DICABUT<`)
		revoked := pdftest.Words(pdftest.Text(t, certificate(t, g, page+"/sertifikat.pdf")))
		for _, want := range []string{"STATUS: DICABUT", "Ditandatangani oleh orang lain", "Kode verifikasi: " + code} {
			if !strings.Contains(revoked, want) {
				t.Errorf("the revoked certificate lacks %q:\n%s", want, revoked)
			}
		}
		wantBody(t, g.get(page), 200, "Tanda tangan ini dicabut", "Ditandatangani oleh orang lain", `name="agree"`)
		wantBody(t, g.get("/ikrar"), 200, "Dicabut", "Anda dapat menandatanganinya lagi")
	})
}

// TestPledgeVerifyPage: a typed code goes to its page, a malformed one is
// a field error, an unknown one says so; the pages are rate limited per
// address.
func TestPledgeVerifyPage(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	f := e.lazyPledge(t)
	anon := e.anon()
	wantBody(t, anon.get("/v"), 200, `name="kode"`, `enctype="multipart/form-data"`, `name="file"`)
	wantRedirect(t, anon.get("/v?kode="+url.QueryEscape(strings.ToLower(strings.ReplaceAll(f.code, "-", "")))), "/v/"+f.code)
	wantBody(t, anon.get("/v?kode=abc"), 422, "10 huruf dan angka")
	wantBody(t, anon.get("/v/ZZZZ-ZZZZ-ZZ"), 200, `id="verify-status">TIDAK DIKENAL<`)
	wantBody(t, anon.get("/v/"+f.code), 200, `id="verify-status">SAH<`)
	anon.lang = "en"
	wantBody(t, anon.get("/v/"+f.code), 200, `id="verify-status">VALID<`, "Online")
	other := e.anon()
	other.ip = "203.0.113.9"
	limited := 0
	for i := 0; i < 40; i++ {
		if other.get(fmt.Sprintf("/v/ZZZZ-ZZZZ-%02d", i%10)).Code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("40 look-ups from one address in a moment were not limited")
	}
}

var signatureLinkRe = regexp.MustCompile(`/ikrar/tanda-tangan/(\d+)"`)

// TestPledgeOperatorPages: an employee and a verifier are refused; the
// government's admin installs the shipped texts, writes one and a second
// version, creates a campaign (refused first with its field errors) and
// launches it, records a paper pledge (a scan that is not a PDF or image
// refused) and a ceremony (an unknown NIP refused, nothing stored), looks a
// signature up and revokes it; a unit admin cannot record outside the unit.
func TestPledgeOperatorPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		base := pledgeBase(e.palangka.ID)
		for _, who := range []string{"pegawai", "verifier"} {
			c := e.as(who)
			for _, path := range []string{"/ikrar/kelola", base, base + "/teks/baru", base + "/kampanye/baru"} {
				if w := c.get(path); w.Code != 403 {
					t.Errorf("%s GET %s: %d", who, path, w.Code)
				}
			}
			if w := c.post(base+"/teks-bawaan", nil); w.Code != 403 {
				t.Errorf("%s installs texts: %d", who, w.Code)
			}
		}
		a := e.as("admin")
		wantRedirect(t, a.get("/ikrar/kelola"), base)
		wantBody(t, e.as("super").get("/ikrar/kelola"), 200, "Kota Palangka Raya", "Kota Tarakan")
		wantBody(t, a.get(base), 200, "Belum ada teks ikrar", "Tambahkan 2 teks bawaan Netra")
		wantRedirect(t, a.post(base+"/teks-bawaan", nil), base)
		wantBody(t, a.get(base), 200, "Komitmen Bersama Menjaga Netralitas", "Ikrar Netralitas Pegawai Aparatur Sipil Negara", "Teks ikrar bawaan Netra ditambahkan")

		// A text of its own and its second version.
		wantBody(t, a.post(base+"/teks", url.Values{"title": {""}, "body": {"Saya berjanji."}}), 422, "Judul ikrar wajib diisi")
		w := a.post(base+"/teks", url.Values{"title": {"Ikrar Khusus"}, "body": {"Kami berjanji netral.\n\n1. Tidak berkampanye."}})
		wantRedirect(t, w, base+"/teks/")
		tpl := w.Header().Get("Location")
		wantBody(t, a.get(tpl), 200, "Ikrar Khusus", "Kami berjanji netral.", "versi 1")
		wantBody(t, a.post(tpl, url.Values{"title": {"Ikrar Khusus"}, "body": {"Kami berjanji netral.\n\n1. Tidak berkampanye."}}), 422, "tidak ada versi baru")
		wantRedirect(t, a.post(tpl, url.Values{"title": {"Ikrar Khusus"}, "body": {"Kami berjanji netral.\n\n1. Tidak berkampanye.\n2. Tidak memihak."}}), tpl)
		wantBody(t, a.get(tpl), 200, "versi 2", "2. Tidak memihak.", "Versi baru teks ikrar diterbitkan")
		tplID := strings.TrimPrefix(tpl, base+"/teks/")

		// A campaign: refused with its field errors, then made and launched.
		form := a.get(base + "/kampanye/baru").Body.String()
		if !strings.Contains(form, `value="`+tplID+`:2"`) || !strings.Contains(form, "Pemilu 2024") {
			t.Fatalf("the campaign form offers no version 2 or no Pemilu 2024:\n%s", form)
		}
		es, err := st.Elections(sys)
		must(t, err)
		var pemilu int64
		for _, el := range es {
			if el.Applies(e.palangka.Code) {
				pemilu = el.ID
			}
		}
		today := time.Now().UTC()
		day := func(d int) string { return today.AddDate(0, 0, d).Format(dateLayout) }
		w = a.post(base+"/kampanye", url.Values{"title": {"Ikrar Uji"}, "template": {tplID + ":2"}, "election": {""},
			"opens": {day(-3)}, "closes": {day(-5)}, "reminders": {"lima"}})
		wantBody(t, w, 422, "Pilih pemilihan yang menjadi dasar kampanye", "Waktu tutup harus sesudah waktu buka", "bilangan bulat dipisah koma", `href="#f-closes"`)
		w = a.post(base+"/kampanye", url.Values{"title": {"Ikrar Uji"}, "template": {tplID + ":2"}, "election": {id(pemilu)},
			"opens": {day(-3)}, "closes": {day(20)}, "reminders": {"5, 7"}})
		wantRedirect(t, w, base+"/kampanye/")
		camp := w.Header().Get("Location")
		wantBody(t, a.get(camp), 200, "Draf", "Luncurkan kampanye", "5, 7", "Ikrar Khusus")
		wantRedirect(t, a.post(camp+"/luncurkan", nil), camp)
		wantBody(t, a.get(camp), 200, "Diluncurkan", "Catat ikrar di atas kertas", "Catat upacara penandatanganan")
		wantBody(t, a.post(camp+"/luncurkan", nil), 409, "sudah diluncurkan")

		// A paper pledge.
		scan := certificatePDF(t)
		smp := e.employees["smp"]
		yesterday := day(-1)
		wantBody(t, a.multipartPost(camp+"/kertas", map[string]string{"paper_nip": smp.NIP, "signed_on": yesterday},
			map[string][]byte{"scan": []byte("just text, no PDF")}), 422, "PDF, JPEG atau PNG")
		wantBody(t, a.multipartPost(camp+"/kertas", map[string]string{"paper_nip": "199999999999999999", "signed_on": yesterday},
			map[string][]byte{"scan": scan}), 422, "Tidak ada pegawai dengan NIP ini")
		w = a.multipartPost(camp+"/kertas", map[string]string{"paper_nip": netra.FormatNIP(smp.NIP), "signed_on": yesterday},
			map[string][]byte{"scan": scan})
		wantRedirect(t, w, base+"/tanda-tangan/")
		sigPage := w.Header().Get("Location")
		wantBody(t, a.get(sigPage), 200, "Budi Santoso", "Kertas (dipindai)", "dicatat oleh user:admin", "Cabut tanda tangan")
		// The same scan again is the same signature.
		wantRedirect(t, a.multipartPost(camp+"/kertas", map[string]string{"paper_nip": smp.NIP, "signed_on": yesterday},
			map[string][]byte{"scan": scan}), sigPage)
		// A unit admin of Dinas Pendidikan cannot record Setda's Andi.
		wantBody(t, e.as("disdik").multipartPost(camp+"/kertas", map[string]string{"paper_nip": e.employees["andi"].NIP, "signed_on": yesterday},
			map[string][]byte{"scan": scan}), 422, "Tidak ada pegawai dengan NIP ini")

		// A ceremony: an unknown NIP refuses it all.
		png := pngBytes(t)
		sekda, kadis := e.employees["sekda"], e.employees["kadis"]
		wantBody(t, a.multipartPost(camp+"/upacara", map[string]string{"held_on": yesterday, "place": "Aula Balai Kota",
			"officials": sekda.NIP + "\n198001012000121999"}, map[string][]byte{"photo": png}), 422, "198001012000121999")
		if n := auditActions(t, st, "pledge.ceremony"); n != 0 {
			t.Fatalf("a refused ceremony was recorded (%d)", n)
		}
		wantRedirect(t, a.multipartPost(camp+"/upacara", map[string]string{"held_on": yesterday, "place": "Aula Balai Kota",
			"officials": sekda.NIP + ",\n" + netra.FormatNIP(kadis.NIP)}, map[string][]byte{"photo": png}), camp)
		look := a.get(camp + "?nip=" + url.QueryEscape(netra.FormatNIP(kadis.NIP)))
		wantBody(t, look, 200, "Rina Kadis", "Upacara penandatanganan", "Sudah ditandatangani")
		m := signatureLinkRe.FindStringSubmatch(look.Body.String())
		if m == nil {
			t.Fatalf("no signature link:\n%s", look.Body.String())
		}
		wantBody(t, a.get(base+"/tanda-tangan/"+m[1]), 200, "Aula Balai Kota", "Rina Kadis")
		wantBody(t, a.get(camp+"?nip="+e.employees["andi"].NIP), 200, "Belum ditandatangani")
		wantBody(t, a.get(camp+"?nip=123"), 200, "Tidak ada pegawai dengan NIP 123")

		// Revoked from its page.
		wantRedirect(t, a.post(sigPage+"/cabut", url.Values{"reason": {"Pegawai pindah instansi"}}), sigPage)
		wantBody(t, a.get(sigPage), 200, "Dicabut", "Pegawai pindah instansi")
		wantBody(t, a.post(sigPage+"/cabut", url.Values{"reason": {"lagi"}}), 409, "sudah dibatalkan")
		// A leader (duty.read) reads the signature but has no revoke form; an
		// employee does not read it.
		leader := e.as("leader").get(sigPage).Body.String()
		if !strings.Contains(leader, "Budi Santoso") || strings.Contains(leader, "/cabut") {
			t.Errorf("the leader's signature page:\n%s", leader)
		}
		if w := e.as("pegawai").get(sigPage); w.Code != 403 {
			t.Errorf("an employee reads a signature page: %d", w.Code)
		}
		// Tarakan's admin sees none of it.
		if w := e.as("tarakan").get(camp); w.Code != 404 && w.Code != 403 {
			t.Errorf("Tarakan's admin opens Palangka Raya's campaign: %d", w.Code)
		}
	})
}

// certificatePDF is a whole PDF to upload as a scan.
func certificatePDF(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, pdf.WriteCertificate(&buf, pdf.SampleCertificate()))
	return buf.Bytes()
}

// pngBytes is a small PNG photo.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	b := pdf.SampleLogo()
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatal("the sample logo is not a PNG")
	}
	return b
}
