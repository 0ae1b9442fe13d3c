package netra_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// TestShippedPledges: the two texts Netra ships parse, validate, hold
// their four numbered points and cite their sources.
func TestShippedPledges(t *testing.T) {
	ps, err := netra.ShippedPledges()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Key != "tarakan-2024" || ps[1].Key != "ikrar-empat-butir" {
		t.Fatalf("shipped pledges %+v", ps)
	}
	for _, p := range ps {
		text := p.Text()
		if err := text.Validate(); err != nil {
			t.Errorf("%s: %v", p.Key, err)
		}
		for _, n := range []string{"\n1. ", "\n2. ", "\n3. ", "\n4. "} {
			if !strings.Contains(text.Body, n) {
				t.Errorf("%s lacks point %q", p.Key, n)
			}
		}
		if strings.Contains(text.Body, "\n5. ") || !strings.Contains(p.Source, "https://") || !strings.Contains(p.Source, "domain.md §4.3") {
			t.Errorf("%s: a fifth point, or no source: %q", p.Key, p.Source)
		}
		if text.SHA256 != netra.PledgeTextHash(text.Body) || len(text.SHA256) != 64 {
			t.Errorf("%s: hash %q", p.Key, text.SHA256)
		}
	}
	// The Tarakan commitments as reported: neutrality, no practical politics
	// or siding, no posting of candidates, no money politics.
	for _, w := range []string{"netralitas", "politik praktis", "media sosial", "politik uang"} {
		if !strings.Contains(ps[0].Text().Body, w) {
			t.Errorf("Tarakan text lacks %q", w)
		}
	}
	for _, w := range []string{"sebelum, selama, dan sesudah", "konflik kepentingan", "ujaran kebencian", "segala jenis pemberian"} {
		if !strings.Contains(ps[1].Text().Body, w) {
			t.Errorf("the four-point ikrar lacks %q", w)
		}
	}
}

// TestPledgeTextNormalised: line endings and trailing blanks do not change
// the hash; a changed word does.
func TestPledgeTextNormalised(t *testing.T) {
	a := netra.PledgeText{Title: " Ikrar  ", Body: "\r\nKami berikrar:  \r\n1. Netral.\t\r\n\r\n"}
	b := netra.PledgeText{Title: "Ikrar", Body: "Kami berikrar:\n1. Netral."}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Body != b.Body || a.SHA256 != b.SHA256 || a.Title != "Ikrar" {
		t.Fatalf("%q %q / %s %s", a.Body, b.Body, a.SHA256, b.SHA256)
	}
	c := netra.PledgeText{Title: "Ikrar", Body: "Kami berikrar:\n1. Netral!"}
	_ = c.Validate()
	if c.SHA256 == a.SHA256 {
		t.Fatal("a changed text kept its hash")
	}
	empty := netra.PledgeText{Title: "", Body: " \n "}
	ve, ok := netra.AsValidation(empty.Validate())
	if !ok || ve.Fields["title"].ID == "" || ve.Fields["body"].ID == "" {
		t.Fatalf("empty text: %v", ve)
	}
}

var (
	signedAt = time.Date(2024, 7, 4, 2, 30, 15, 123e6, time.UTC)
	textHash = strings.Repeat("ab", 32)
	scanHash = strings.Repeat("cd", 32)
)

func onlineRecord() *netra.PledgeRecord {
	return &netra.PledgeRecord{TenantCode: "65.71", TenantName: "Kota Tarakan", CampaignID: 7, CampaignTitle: "Ikrar Pilkada 2024",
		TemplateID: 3, TemplateVersion: 2, TemplateTitle: "Komitmen Bersama", TextSHA256: textHash,
		NIP: "198609262015051001", Name: "Dr. Budi Santoso, M.Si.", UnitID: 12, UnitName: "Sekretariat Daerah",
		PositionName: "Kepala Bagian Umum", PositionType: netra.Administrator, SignedAt: signedAt,
		Method: netra.PledgeOnline, Auth: netra.AuthEmployeeCode}
}

// TestPledgeRecordGolden: the canonical bytes of an online, a paper and a
// ceremony record, byte for byte, as docs/pledges.md gives them. A change
// here breaks every certificate ever issued: do not update these strings,
// add a new format version instead.
func TestPledgeRecordGolden(t *testing.T) {
	paper := onlineRecord()
	paper.Method, paper.Auth, paper.OperatorID, paper.OperatorLabel = netra.PledgePaper, netra.AuthOperatorRecorded, 5, "user:admin.kota"
	paper.ScanSHA256, paper.SignedOn = scanHash, time.Date(2024, 7, 3, 0, 0, 0, 0, time.UTC)
	ceremony := *paper
	ceremony.Method, ceremony.CeremonyID, ceremony.CeremonyPlace = netra.PledgeAtCeremony, 9, "Gedung Serbaguna Kantor Wali Kota Tarakan"
	for _, tc := range []struct {
		rec  *netra.PledgeRecord
		want string
	}{
		{onlineRecord(), `{"auth":"employee-code","campaign":{"id":7,"title":"Ikrar Pilkada 2024"},"format":"netra-pledge/1",` +
			`"method":"online","position":{"name":"Kepala Bagian Umum","type":"administrator"},"signed_at":"2024-07-04T02:30:15.123Z",` +
			`"signer":{"name":"Dr. Budi Santoso, M.Si.","nip":"198609262015051001"},"template":{"id":3,"sha256":"` + textHash +
			`","title":"Komitmen Bersama","version":2},"tenant":{"code":"65.71","name":"Kota Tarakan"},"unit":{"id":12,"name":"Sekretariat Daerah"}}`},
		{paper, `{"auth":"operator-recorded","campaign":{"id":7,"title":"Ikrar Pilkada 2024"},"format":"netra-pledge/1",` +
			`"method":"paper","operator":{"id":5,"label":"user:admin.kota"},"position":{"name":"Kepala Bagian Umum","type":"administrator"},` +
			`"scan_sha256":"` + scanHash + `","signed_at":"2024-07-04T02:30:15.123Z","signed_on":"2024-07-03",` +
			`"signer":{"name":"Dr. Budi Santoso, M.Si.","nip":"198609262015051001"},"template":{"id":3,"sha256":"` + textHash +
			`","title":"Komitmen Bersama","version":2},"tenant":{"code":"65.71","name":"Kota Tarakan"},"unit":{"id":12,"name":"Sekretariat Daerah"}}`},
		{&ceremony, `{"auth":"operator-recorded","campaign":{"id":7,"title":"Ikrar Pilkada 2024"},` +
			`"ceremony":{"id":9,"place":"Gedung Serbaguna Kantor Wali Kota Tarakan"},"format":"netra-pledge/1",` +
			`"method":"ceremony","operator":{"id":5,"label":"user:admin.kota"},"position":{"name":"Kepala Bagian Umum","type":"administrator"},` +
			`"scan_sha256":"` + scanHash + `","signed_at":"2024-07-04T02:30:15.123Z","signed_on":"2024-07-03",` +
			`"signer":{"name":"Dr. Budi Santoso, M.Si.","nip":"198609262015051001"},"template":{"id":3,"sha256":"` + textHash +
			`","title":"Komitmen Bersama","version":2},"tenant":{"code":"65.71","name":"Kota Tarakan"},"unit":{"id":12,"name":"Sekretariat Daerah"}}`},
	} {
		got, err := tc.rec.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("%s record:\n got %s\nwant %s", tc.rec.Method, got, tc.want)
		}
		back, err := netra.ParsePledgeRecord(got)
		if err != nil {
			t.Fatalf("%s: %v", tc.rec.Method, err)
		}
		if *back != *tc.rec {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", tc.rec.Method, back, tc.rec)
		}
	}
	// The golden leaf hash and code of the online record.
	b, _ := onlineRecord().Canonical()
	if leaf := netra.PledgeLeafHash(b); leaf != signlog.RecordHash(b) {
		t.Fatal("PledgeLeafHash is not the log's record hash")
	}
}

// TestCanonicalStrings: strings are escaped only where JSON requires, as
// RFC 8785 writes them; invalid UTF-8 is refused.
func TestCanonicalStrings(t *testing.T) {
	r := onlineRecord()
	r.Name = "Ni Luh \"Ayu\" \\ Śrī\t\u0001</script>\u2028"
	b, err := r.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	want := `"name":"Ni Luh \"Ayu\" \\ Śrī\t\u0001</script>` + "\u2028" + `"`
	if !strings.Contains(string(b), want) {
		t.Fatalf("escaped as %s", b)
	}
	if back, err := netra.ParsePledgeRecord(b); err != nil || back.Name != r.Name {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	r.Name = "Budi\xff"
	if _, err := r.Canonical(); err == nil {
		t.Fatal("invalid UTF-8 was encoded")
	}
}

// TestNonCanonicalRefused: bytes that decode to a record but are not its
// one encoding are refused, so that a record cannot be re-encoded into a
// second valid form.
func TestNonCanonicalRefused(t *testing.T) {
	b, _ := onlineRecord().Canonical()
	s := string(b)
	for name, bad := range map[string]string{
		"space after colon":  strings.Replace(s, `"auth":`, `"auth": `, 1),
		"trailing newline":   s + "\n",
		"keys out of order":  `{"campaign":{"id":7,"title":"Ikrar Pilkada 2024"},"auth":"employee-code"` + s[len(`{"auth":"employee-code","campaign":{"id":7,"title":"Ikrar Pilkada 2024"}`):],
		"unknown field":      strings.Replace(s, `{"auth"`, `{"a":"x","auth"`, 1),
		"repeated key":       strings.Replace(s, `{"auth":"employee-code"`, `{"auth":"x","auth":"employee-code"`, 1),
		"escaped letter":     strings.Replace(s, `"Kota Tarakan"`, `"Kota Tar\u0061kan"`, 1),
		"float id":           strings.Replace(s, `"id":7,`, `"id":7.0,`, 1),
		"operator online":    strings.Replace(s, `"method":"online"`, `"method":"online","operator":{"id":5,"label":"x"}`, 1),
		"other format":       strings.Replace(s, `netra-pledge/1`, `netra-pledge/2`, 1),
		"time without ms":    strings.Replace(s, `02:30:15.123Z`, `02:30:15Z`, 1),
		"two records":        s + s,
		"revocation instead": `{"format":"netra-pledge-revocation/1"}`,
	} {
		if _, err := netra.ParsePledgeRecord([]byte(bad)); !errors.Is(err, netra.ErrNotCanonical) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRevocationRecordGolden: the revocation's canonical bytes.
func TestRevocationRecordGolden(t *testing.T) {
	r := &netra.PledgeRevocationRecord{TenantCode: "65.71", TenantName: "Kota Tarakan", SignatureID: 44, SignatureCode: "ABCDEFGHJK",
		SignatureHash: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Reason: "Salah orang", RevokedAt: signedAt,
		RevokedByID: 5, RevokedByLabel: "user:admin.kota"}
	b, err := r.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format":"netra-pledge-revocation/1","reason":"Salah orang","revoked_at":"2024-07-04T02:30:15.123Z",` +
		`"revoked_by":{"id":5,"label":"user:admin.kota"},"signature":{"code":"ABCDEFGHJK","id":44,` +
		`"record_hash":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},"tenant":{"code":"65.71","name":"Kota Tarakan"}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	back, err := netra.ParsePledgeRevocation(b)
	if err != nil || *back != *r {
		t.Fatalf("round trip %v %+v", err, back)
	}
	if _, err := netra.ParsePledgeRevocation([]byte(strings.Replace(want, `"reason"`, ` "reason"`, 1))); !errors.Is(err, netra.ErrNotCanonical) {
		t.Fatalf("non-canonical revocation: %v", err)
	}
}

// TestPledgeCode: 50 bits of the hash in Crockford's base 32, grouped for
// reading, typed back in any case with O, I and L read as digits.
func TestPledgeCode(t *testing.T) {
	var h [32]byte
	for i := range h {
		h[i] = byte(i * 37)
	}
	// 00 25 4a 6f 94 b9 de: 00000 00000 10010 10100 10100 11011 11100 10100 10111 00111 | 011110
	code := netra.PledgeCode(h)
	if code != "00JMMVWMQ7" || len(code) != netra.PledgeCodeLength {
		t.Fatalf("code %s", code)
	}
	if f := netra.FormatPledgeCode(code); f != "00JM-MVWM-Q7" {
		t.Fatalf("formatted %s", f)
	}
	for _, typed := range []string{"00JM-MVWM-Q7", "00jmmvwmq7", " oOJM MVWM q7 ", "O0JM-MVWM-Q7"} {
		if c, ok := netra.ParsePledgeCode(typed); !ok || c != code {
			t.Errorf("%q read as %q %v", typed, c, ok)
		}
	}
	if c, ok := netra.ParsePledgeCode("1ILl-0000-00"); !ok || c != "1111000000" {
		t.Errorf("I and L: %q %v", c, ok)
	}
	for _, bad := range []string{"", "00JM-MVWM-Q", "00JM-MVWM-Q77", "00JM-MVWM-QU", "00JM_MVWM_Q7", "00JM-MVWM-Qé"} {
		if _, ok := netra.ParsePledgeCode(bad); ok {
			t.Errorf("%q read as a code", bad)
		}
	}
	if u := netra.PledgeVerifyURL("https://netra.tarakankota.go.id/", code); u != "https://netra.tarakankota.go.id/v/00JM-MVWM-Q7" {
		t.Errorf("URL %s", u)
	}
}

// TestMaskNIP: the verification page never shows the middle of an
// identifier (birth date, appointment date).
func TestMaskNIP(t *testing.T) {
	for in, want := range map[string]string{
		"198609262015051001": "1986**********1001",
		"6271015709900001":   "6271********0001",
		"123456789":          "*******89",
		"12":                 "**",
		"":                   "",
	} {
		got := netra.MaskNIP(in)
		if got != want {
			t.Errorf("MaskNIP(%s) = %s, want %s", in, got, want)
		}
		if len(in) >= 12 && strings.Contains(got, in[4:len(in)-4]) {
			t.Errorf("%s shows its middle", got)
		}
	}
}

func TestPledgeNameMatches(t *testing.T) {
	e := &netra.Employee{Name: "Budi Santoso", FrontTitle: "Dr.", BackTitle: "M.Si."}
	for typed, ok := range map[string]bool{
		"Budi Santoso": true, "  budi   SANTOSO ": true, "Dr. Budi Santoso, M.Si.": true, "dr.  budi santoso,  m.si.": true,
		"Budi": false, "Budi Santosa": false, "": false, "   ": false, "BudiSantoso": false,
	} {
		if netra.PledgeNameMatches(typed, e) != ok {
			t.Errorf("%q: want %v", typed, ok)
		}
	}
}

func TestPledgeCampaignValidate(t *testing.T) {
	opens := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	good := func() netra.PledgeCampaign {
		return netra.PledgeCampaign{TenantID: 1, TemplateID: 1, TemplateVersion: 1, ElectionID: 2, Title: " Ikrar  Pilkada ",
			Opens: opens, Closes: opens.AddDate(0, 0, 30), ReminderDays: []int{5, 7, 9}}
	}
	c := good()
	if err := c.Validate(); err != nil || c.Title != "Ikrar Pilkada" || c.Status != netra.PledgeCampaignDraft {
		t.Fatalf("%v %+v", err, c)
	}
	if d := c.ReminderDates(); len(d) != 3 || !d[0].Equal(opens.AddDate(0, 0, 5)) {
		t.Fatalf("reminder dates %v", d)
	}
	for field, change := range map[string]func(*netra.PledgeCampaign){
		"title":     func(c *netra.PledgeCampaign) { c.Title = "" },
		"template":  func(c *netra.PledgeCampaign) { c.TemplateVersion = 0 },
		"election":  func(c *netra.PledgeCampaign) { c.ElectionID = 0 },
		"period":    func(c *netra.PledgeCampaign) { c.Closes = c.Opens },
		"reminders": func(c *netra.PledgeCampaign) { c.ReminderDays = []int{5, 5} },
	} {
		c := good()
		change(&c)
		ve, ok := netra.AsValidation(c.Validate())
		if !ok || ve.Fields[field].ID == "" {
			t.Errorf("%s: %v", field, ve)
		}
	}
	c = good()
	c.ReminderDays = []int{30}
	if _, ok := netra.AsValidation(c.Validate()); !ok {
		t.Error("a reminder on the closing day was accepted")
	}
	c = good()
	c.Status = netra.PledgeCampaignLaunched
	if !c.OpenAt(opens) || c.OpenAt(opens.Add(-time.Millisecond)) || c.OpenAt(c.Closes) {
		t.Error("OpenAt is not [opens, closes)")
	}
}

func TestSignerAuth(t *testing.T) {
	emp := &netra.Actor{UserID: 1, EmployeeID: 2, Grants: []netra.Grant{{Role: netra.RoleEmployee}}}
	staff := &netra.Actor{UserID: 1, Grants: []netra.Grant{{Role: netra.RoleTenantAdmin}}}
	tok := &netra.Actor{TokenID: 4, Grants: []netra.Grant{{Role: netra.RoleTenantAdmin}}}
	if netra.SignerAuth(emp) != netra.AuthEmployeeCode || netra.SignerAuth(staff) != netra.AuthStaffPassword || netra.SignerAuth(tok) != netra.AuthAPIToken {
		t.Fatal(netra.SignerAuth(emp), netra.SignerAuth(staff), netra.SignerAuth(tok))
	}
}
