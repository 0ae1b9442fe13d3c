package netra

import (
	"crypto/sha256"
	_ "embed" // the shipped pledge texts
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Pledges (ikrar netralitas, komitmen bersama, pakta integritas: domain
// §4.3). A government keeps pledge templates, each a series of versions; a
// version, once published, never changes, and a changed text is a new
// version. A campaign asks the employees of an election period to sign one
// version. Each signature is a signed record — a canonical document (see
// PledgeRecord) signed with the government's Ed25519 key — whose hash is
// appended to the government's pledge log, a signed Merkle log like the
// audit log (internal/signlog), so that anyone holding a certificate can
// check it with the public key and a published checkpoint alone
// (docs/pledges.md).

// PledgeText is one published version of a pledge template: its title and
// full text, and the SHA-256 of the text, which every signature records.
type PledgeText struct {
	TemplateID  int64
	Version     int // 1, 2, …
	Title       string
	Body        string // the full text, lines separated by "\n"
	SHA256      string // hex SHA-256 of Body's UTF-8 bytes
	Source      string // where the text comes from (the shipped texts cite their reports)
	PublishedAt time.Time
}

// MaxPledgeText is the longest pledge text accepted, in bytes.
const MaxPledgeText = 20000

// PledgeTextHash returns the hex SHA-256 of a pledge text's bytes.
func PledgeTextHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// normalizePledgeBody gives a text the one form it is hashed in: "\n" line
// breaks, no white space at the end of a line, no blank lines before or
// after the text.
func normalizePledgeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// Validate checks and normalises the text (see normalizePledgeBody) and
// sets SHA256 to the hash of the normalised text.
func (p *PledgeText) Validate() error {
	var v ValidationError
	v.Text("title", p.Title, 1000, false)
	v.Text("body", p.Body, MaxPledgeText, true)
	v.Text("source", p.Source, 4000, true)
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	p.Body = normalizePledgeBody(p.Body)
	p.Source = strings.TrimSpace(p.Source)
	if p.Title == "" {
		v.Add("title", Msg("Judul ikrar wajib diisi.", "The pledge's title is required."))
	} else if utf8.RuneCountInString(p.Title) > 200 {
		v.Add("title", Msg("Judul ikrar paling panjang 200 karakter.", "The pledge's title has at most 200 characters."))
	}
	if strings.TrimSpace(p.Body) == "" {
		v.Add("body", Msg("Teks ikrar wajib diisi.", "The pledge's text is required."))
	}
	p.SHA256 = PledgeTextHash(p.Body)
	return v.Err()
}

// PledgeTemplate is a government's pledge text over its versions. Shipped
// names the text Netra ships that it was made from ("" for a text the
// government wrote).
type PledgeTemplate struct {
	ID        int64
	TenantID  int64
	Shipped   string
	CreatedAt time.Time
	Latest    PledgeText // the newest version
}

// ShippedPledge is a pledge text Netra ships (pledge_texts.json), ready for
// any government to use.
type ShippedPledge struct {
	Key    string   `json:"key"`
	Title  string   `json:"title"`
	Lines  []string `json:"lines"`
	Source string   `json:"source"`
}

// Text returns the shipped text as the first version of a template.
func (p ShippedPledge) Text() PledgeText {
	t := PledgeText{Version: 1, Title: p.Title, Body: strings.Join(p.Lines, "\n"), Source: p.Source}
	_ = t.Validate() // normalises and hashes; TestShippedPledges checks they validate
	return t
}

//go:embed pledge_texts.json
var shippedPledgeJSON []byte

// ShippedPledges returns the pledge texts Netra ships, in Indonesian: the
// four commitments Tarakan's officials signed on 4 July 2024 and the common
// four-point ikrar read at many governments' assemblies (domain §4.3).
func ShippedPledges() ([]ShippedPledge, error) {
	var out []ShippedPledge
	if err := json.Unmarshal(shippedPledgeJSON, &out); err != nil {
		return nil, fmt.Errorf("pledge_texts.json: %w", err)
	}
	return out, nil
}

// PledgeCampaignStatus is where a campaign stands.
type PledgeCampaignStatus string

// Campaign statuses. A campaign is prepared as a draft, then launched (the
// moment its employees are told); signatures are taken only while it is
// launched and between its opening and closing times.
const (
	PledgeCampaignDraft     PledgeCampaignStatus = "draft"
	PledgeCampaignLaunched  PledgeCampaignStatus = "launched"
	PledgeCampaignCancelled PledgeCampaignStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s PledgeCampaignStatus) Valid() bool {
	return s == PledgeCampaignDraft || s == PledgeCampaignLaunched || s == PledgeCampaignCancelled
}

// PledgeCampaign asks a government's employees to sign one version of a
// pledge template for an election, between Opens and Closes.
type PledgeCampaign struct {
	ID              int64
	TenantID        int64
	TemplateID      int64
	TemplateVersion int
	// ElectionID is the election of the calendar the campaign is for (the
	// store checks that the calendar holds it).
	ElectionID int64
	Title      string
	Opens      time.Time // first moment signatures are taken
	Closes     time.Time // first moment they are no longer taken
	Status     PledgeCampaignStatus
	// DutyID is the duty (pending, done, excused per employee, coverage)
	// behind the campaign, made with it (see Duty).
	DutyID int64
	// Target is whom the campaign reaches (its duty's target); empty, the
	// whole government. Only creating a campaign reads it: afterwards it is
	// the duty's.
	Target DutyTarget
	// ReminderDays are the days after Opens on which those who have not
	// signed are reminded, ascending (Documenso's default is 5, then every 2).
	ReminderDays []int
	CreatedAt    time.Time
	LaunchedAt   time.Time
}

// Validate checks the campaign's fields.
func (c *PledgeCampaign) Validate() error {
	var v ValidationError
	v.Text("title", c.Title, 1000, false)
	c.Title = strings.Join(strings.Fields(c.Title), " ")
	if c.Title == "" {
		v.Add("title", Msg("Nama kampanye wajib diisi.", "The campaign's name is required."))
	} else if utf8.RuneCountInString(c.Title) > 200 {
		v.Add("title", Msg("Nama kampanye paling panjang 200 karakter.", "The campaign's name has at most 200 characters."))
	}
	if c.TemplateID <= 0 || c.TemplateVersion <= 0 {
		v.Add("template", Msg("Pilih teks ikrar dan versinya.", "Choose the pledge text and its version."))
	}
	if c.ElectionID <= 0 {
		v.Add("election", Msg("Pilih pemilihan yang menjadi dasar kampanye.", "Choose the election the campaign is for."))
	}
	switch {
	case c.Opens.IsZero() || c.Closes.IsZero():
		v.Add("period", Msg("Waktu buka dan tutup wajib diisi.", "The opening and closing times are required."))
	case !c.Closes.After(c.Opens):
		v.Add("period", Msg("Waktu tutup harus sesudah waktu buka.", "The closing time must come after the opening time."))
	case c.Closes.Sub(c.Opens) > 400*24*time.Hour:
		v.Add("period", Msg("Kampanye paling lama 400 hari.", "A campaign lasts at most 400 days."))
	}
	c.Opens, c.Closes = c.Opens.UTC().Truncate(time.Millisecond), c.Closes.UTC().Truncate(time.Millisecond)
	if len(c.ReminderDays) > 30 {
		v.Add("reminders", Msg("Paling banyak 30 pengingat.", "At most 30 reminders."))
	}
	for i, d := range c.ReminderDays {
		if d < 1 || (i > 0 && d <= c.ReminderDays[i-1]) || (!c.Closes.IsZero() && !c.Opens.AddDate(0, 0, d).Before(c.Closes)) {
			v.Add("reminders", Msg("Hari pengingat harus naik, mulai 1, dan jatuh sebelum kampanye ditutup.",
				"Reminder days must rise, start at 1 and fall before the campaign closes."))
			break
		}
	}
	if c.Status == "" {
		c.Status = PledgeCampaignDraft
	}
	if !c.Status.Valid() {
		v.Add("status", Msg("Status kampanye tidak dikenal.", "Unknown campaign status."))
	}
	return v.Err()
}

// OpenAt reports whether the campaign takes signatures at t.
func (c *PledgeCampaign) OpenAt(t time.Time) bool {
	return c.Status == PledgeCampaignLaunched && !t.Before(c.Opens) && t.Before(c.Closes)
}

// Duty is the duty behind the campaign: every employee of its target signs
// it between Opens and Closes. The campaign states its reminders as days
// after it opens; the duty's reminders count back from its due date, so
// each becomes the number of whole days from the reminder to Closes (those
// outside 1..MaxReminderDays are left out).
func (c *PledgeCampaign) Duty() *Duty {
	t := c.Target
	if t.Empty() {
		t.Governments = []DutyTargetGovernment{{TenantID: c.TenantID}}
	}
	d := &Duty{TenantID: c.TenantID, Kind: DutyPledge, RefID: c.ID, Title: c.Title,
		Link: "/ikrar/" + strconv.FormatInt(c.ID, 10), OpensAt: c.Opens, DueAt: c.Closes, Target: t}
	for _, r := range c.ReminderDates() {
		if before := int(c.Closes.Sub(r).Hours() / 24); before >= 1 && before <= MaxReminderDays && !slices.Contains(d.Reminders, before) {
			d.Reminders = append(d.Reminders, before)
		}
	}
	return d
}

// ReminderDates returns when the reminders are due.
func (c *PledgeCampaign) ReminderDates() []time.Time {
	out := make([]time.Time, len(c.ReminderDays))
	for i, d := range c.ReminderDays {
		out[i] = c.Opens.AddDate(0, 0, d)
	}
	return out
}

// PledgeMethod is how a pledge was signed.
type PledgeMethod string

// The ways of signing.
const (
	PledgeOnline     PledgeMethod = "online"   // the employee, signed in, confirmed it
	PledgePaper      PledgeMethod = "paper"    // signed on paper; an operator recorded the scan
	PledgeAtCeremony PledgeMethod = "ceremony" // signed at a ceremony; an operator recorded it
)

// Valid reports whether m is a known method.
func (m PledgeMethod) Valid() bool {
	return m == PledgeOnline || m == PledgePaper || m == PledgeAtCeremony
}

// Label returns the method in lang.
func (m PledgeMethod) Label(lang string) string {
	return map[PledgeMethod]Message{
		PledgeOnline:     Msg("Daring", "Online"),
		PledgePaper:      Msg("Kertas (dipindai)", "Paper (scanned)"),
		PledgeAtCeremony: Msg("Upacara penandatanganan", "Signing ceremony"),
	}[m].In(lang)
}

// How a signer authenticated, as a record states it.
const (
	AuthEmployeeCode     = "employee-code"       // NIP and a code sent by e-mail
	AuthStaffPassword    = "staff-password+totp" // password and a TOTP code
	AuthAPIToken         = "api-token"
	AuthOperatorRecorded = "operator-recorded" // an operator recorded a paper or ceremony signature
)

// SignerAuth returns how the actor authenticated: an API token, a staff
// account (password and TOTP), or an employee account (NIP and an
// e-mailed code).
func SignerAuth(a *Actor) string {
	switch {
	case a == nil:
		return ""
	case a.TokenID != 0:
		return AuthAPIToken
	}
	for _, g := range a.Grants {
		if g.Role.Staff() {
			return AuthStaffPassword
		}
	}
	return AuthEmployeeCode
}

// PledgeNameMatches reports whether the name an employee typed to sign is
// their name, with or without titles, ignoring case and spacing.
func PledgeNameMatches(typed string, e *Employee) bool {
	fold := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	t := fold(typed)
	return t != "" && (t == fold(e.Name) || t == fold(e.FullName()))
}

// PledgeScan is the stored scan or photo of a signed paper (internal/blob):
// its key, size and SHA-256, which the signed record carries.
type PledgeScan struct {
	Key    string
	SHA256 string // hex
	Size   int64
}

// Validate checks the scan reference.
func (p *PledgeScan) Validate() error {
	var v ValidationError
	if p.Key == "" || len(p.Key) > 500 || strings.Contains(p.Key, "..") || strings.HasPrefix(p.Key, "/") {
		v.Add("scan", Msg("Pindaian tanda tangan wajib diunggah.", "The scan of the signed paper is required."))
	}
	if len(p.SHA256) != 64 || strings.Trim(p.SHA256, "0123456789abcdef") != "" {
		v.Add("scan", Msg("Sidik SHA-256 pindaian tidak sah.", "The scan's SHA-256 is invalid."))
	}
	return v.Err()
}

// PledgeCeremony is a signing ceremony: where and when officials signed
// together, with a photo or scan of the signed paper.
type PledgeCeremony struct {
	ID         int64
	TenantID   int64
	CampaignID int64
	HeldOn     time.Time // the day, midnight UTC
	Place      string
	Scan       PledgeScan
	CreatedAt  time.Time
	CreatedBy  int64
}

// Validate checks the ceremony's fields.
func (c *PledgeCeremony) Validate() error {
	var v ValidationError
	v.Text("place", c.Place, 1000, false)
	c.Place = strings.Join(strings.Fields(c.Place), " ")
	if c.Place == "" {
		v.Add("place", Msg("Tempat upacara wajib diisi.", "The ceremony's place is required."))
	} else if utf8.RuneCountInString(c.Place) > 200 {
		v.Add("place", Msg("Tempat upacara paling panjang 200 karakter.", "The ceremony's place has at most 200 characters."))
	}
	if c.HeldOn.IsZero() {
		v.Add("held_on", Msg("Tanggal upacara wajib diisi.", "The ceremony's date is required."))
	}
	c.HeldOn = Day(c.HeldOn) // the one rule for a calendar day (position.go)
	if err := c.Scan.Validate(); err != nil {
		ve, _ := AsValidation(err)
		for f, m := range ve.Fields {
			v.Add(f, m)
		}
	}
	return v.Err()
}

// PledgeSignature is one signed pledge: the canonical record, its
// signature by the government's key, and where its hash sits in the
// government's pledge log.
type PledgeSignature struct {
	ID         int64
	TenantID   int64
	CampaignID int64
	EmployeeID int64
	UnitID     int64 // the unit at signing time
	Method     PledgeMethod
	Code       string // the verification code, 10 characters (FormatPledgeCode groups them)
	Record     []byte // the canonical record (PledgeRecord)
	RecordHash string // the record's leaf hash in the log, base64 (as tlog prints hashes)
	Signature  []byte // Ed25519 over Record
	KeyID      string // the signing key ("netra/pledge/65.71+1a2b3c4d")
	LeafIndex  int64  // the record's position in the log, from 0
	SignedAt   time.Time
	Scan       PledgeScan // paper and ceremony only
	CeremonyID int64
	CreatedBy  int64
	RevokedAt  time.Time
}

// Revoked reports whether the signature was revoked.
func (p *PledgeSignature) Revoked() bool { return !p.RevokedAt.IsZero() }

// PledgeRevocation withdraws a signature (signed by mistake, the person
// left), with a reason. It is itself a canonical record (PledgeRevocationRecord),
// signed and appended to the same log.
type PledgeRevocation struct {
	ID          int64
	SignatureID int64
	TenantID    int64
	Reason      string
	Record      []byte
	RecordHash  string
	Signature   []byte
	KeyID       string
	LeafIndex   int64
	RevokedAt   time.Time
	RevokedBy   int64
}

// CheckRevocationReason checks and normalises a revocation's reason.
func CheckRevocationReason(reason string) (string, error) {
	var v ValidationError
	v.Text("reason", reason, 4000, true)
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" {
		v.Add("reason", Msg("Alasan pembatalan wajib diisi.", "The reason for revoking is required."))
	} else if utf8.RuneCountInString(reason) > 500 {
		v.Add("reason", Msg("Alasan paling panjang 500 karakter.", "The reason has at most 500 characters."))
	}
	return reason, v.Err()
}

// PledgeStatus is what a verification finds.
type PledgeStatus string

// Verification results.
const (
	PledgeValid   PledgeStatus = "valid"
	PledgeRevoked PledgeStatus = "revoked"
	PledgeUnknown PledgeStatus = "unknown" // no signature has this code
	// PledgeInvalid: a signature with this code is on file but its record no
	// longer verifies (its signature, or its place in the log): the
	// database was altered.
	PledgeInvalid PledgeStatus = "invalid"
)

// PledgeVerification is what the public learns from a verification code:
// the status, the campaign, the time, and a masked identity — the name and
// a partially masked NIP (MaskNIP) — and nothing else personal.
type PledgeVerification struct {
	Status          PledgeStatus
	Reason          Message // why a signature on file is invalid
	Code            string  // grouped (FormatPledgeCode)
	TenantCode      string
	TenantName      string
	CampaignTitle   string
	TemplateTitle   string
	TemplateVersion int
	Method          PledgeMethod
	SignedAt        time.Time
	SignedOn        time.Time // paper and ceremony: the day on the paper
	Name            string
	MaskedNIP       string
	RevokedAt       time.Time
	RecordHash      string // base64, as the public log holds it
	LeafIndex       int64
	KeyID           string
}

// MaskNIP hides the middle of an identifier, keeping its first four and
// last four digits ("198609262015051001" → "1986**********1001"), so that
// a verification page confirms a person without publishing the number (and
// the birth date and appointment date it spells). Identifiers shorter than
// twelve characters keep only their last two.
func MaskNIP(nip string) string {
	n := len(nip)
	switch {
	case n == 0:
		return ""
	case n >= 12:
		return nip[:4] + strings.Repeat("*", n-8) + nip[n-4:]
	case n > 2:
		return strings.Repeat("*", n-2) + nip[n-2:]
	}
	return strings.Repeat("*", n)
}

// PledgeLogName returns the name of a government's pledge log in the store
// ("pledge/65.71").
func PledgeLogName(tenantCode string) string { return "pledge/" + tenantCode }

// PledgeLogOrigin returns the origin of a government's pledge log: the
// first line of its checkpoints and the name of its keys
// ("netra/pledge/65.71").
func PledgeLogOrigin(tenantCode string) string { return "netra/" + PledgeLogName(tenantCode) }

// PledgeVerifyURL returns the public verification address of a code under
// the installation's base URL ("https://netra.tarakankota.go.id" →
// "https://netra.tarakankota.go.id/v/ABCD-EFGH-JK").
func PledgeVerifyURL(baseURL, code string) string {
	return strings.TrimRight(baseURL, "/") + "/v/" + FormatPledgeCode(code)
}

// PledgeBundleFormat names the bundle layout below.
const PledgeBundleFormat = "netra-pledge-bundle/1"

// PledgeBundle is everything needed to check a signature offline, as a
// certificate embeds it (docs/pledges.md gives the format): the record and
// its signature, and the record's inclusion proof in the government's log
// against a signed checkpoint. The verifier supplies the government's
// public keys itself; the bundle carries none, since a forger would carry
// their own.
type PledgeBundle struct {
	Format     string   `json:"format"`
	Record     string   `json:"record"`      // the canonical record, as text
	RecordHash string   `json:"record_hash"` // its leaf hash, base64
	Code       string   `json:"code"`        // the verification code, grouped
	Signature  string   `json:"signature"`   // Ed25519 over the record, base64
	KeyID      string   `json:"key_id"`
	Log        string   `json:"log"` // the log's origin ("netra/pledge/65.71")
	LeafIndex  int64    `json:"leaf_index"`
	TreeSize   int64    `json:"tree_size"`       // the size of the checkpoint the proof is for
	Proof      []string `json:"inclusion_proof"` // base64 hashes, as tlog.CheckRecord takes them
	Checkpoint string   `json:"checkpoint"`      // the signed checkpoint (note)
	VerifyURL  string   `json:"verify_url,omitempty"`
}

// PledgeClaim is what a certificate claims about the signature it carries:
// its government, campaign, signer and code. A bundle whose record is
// valid but says otherwise was replayed from another certificate. Zero
// fields are not checked.
type PledgeClaim struct {
	TenantCode string
	CampaignID int64
	NIP        string
	Code       string
}
