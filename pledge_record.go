package netra

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The canonical records. A signature and a revocation are each one JSON
// object in canonical form — the form of RFC 8785 (JSON Canonicalization
// Scheme) for the only values records hold, strings, integers and objects:
// keys sorted, no white space, strings escaped only where JSON requires
// (\" \\ \b \f \n \r \t, other control characters as \u00xx) and otherwise
// written as UTF-8. The same record has exactly one encoding, so the bytes
// signed are the bytes anyone re-derives (docs/pledges.md gives them byte
// by byte).

// Record formats.
const (
	PledgeRecordFormat     = "netra-pledge/1"
	PledgeRevocationFormat = "netra-pledge-revocation/1"
)

// recordTime is how records write instants: UTC, milliseconds, fixed width.
const recordTime = "2006-01-02T15:04:05.000Z"

// PledgeRecord is the content of a signed pledge: who signed which text of
// which campaign, in which unit and position, when and how.
type PledgeRecord struct {
	TenantCode      string
	TenantName      string
	CampaignID      int64
	CampaignTitle   string
	TemplateID      int64
	TemplateVersion int
	TemplateTitle   string
	TextSHA256      string // hex SHA-256 of the text signed
	NIP             string
	Name            string // the name with its titles, as on the registry
	UnitID          int64
	UnitName        string
	PositionName    string
	PositionType    PositionType
	SignedAt        time.Time // when the record was made and signed (UTC, milliseconds)
	Method          PledgeMethod
	Auth            string // how the signer authenticated (AuthEmployeeCode…)
	// Paper and ceremony only.
	OperatorID    int64  // the user who recorded it
	OperatorLabel string // their label ("user:admin.kota")
	ScanSHA256    string // hex SHA-256 of the scan or photo of the signed paper
	SignedOn      time.Time
	CeremonyID    int64
	CeremonyPlace string
}

// obj is a JSON object for the canonical encoder; values are string, int64
// or obj.
type obj map[string]any

func (r *PledgeRecord) object() obj {
	o := obj{
		"format":    PledgeRecordFormat,
		"tenant":    obj{"code": r.TenantCode, "name": r.TenantName},
		"campaign":  obj{"id": r.CampaignID, "title": r.CampaignTitle},
		"template":  obj{"id": r.TemplateID, "version": int64(r.TemplateVersion), "title": r.TemplateTitle, "sha256": r.TextSHA256},
		"signer":    obj{"nip": r.NIP, "name": r.Name},
		"unit":      obj{"id": r.UnitID, "name": r.UnitName},
		"position":  obj{"name": r.PositionName, "type": string(r.PositionType)},
		"signed_at": r.SignedAt.UTC().Format(recordTime),
		"method":    string(r.Method),
		"auth":      r.Auth,
	}
	if r.Method != PledgeOnline {
		o["operator"] = obj{"id": r.OperatorID, "label": r.OperatorLabel}
		o["scan_sha256"] = r.ScanSHA256
		o["signed_on"] = r.SignedOn.Format(time.DateOnly)
	}
	if r.Method == PledgeAtCeremony {
		o["ceremony"] = obj{"id": r.CeremonyID, "place": r.CeremonyPlace}
	}
	return o
}

// check reports what makes the record unfit to sign.
func (r *PledgeRecord) check() error {
	switch {
	case !r.Method.Valid():
		return fmt.Errorf("pledge record: unknown method %q", r.Method)
	case r.TenantCode == "" || r.CampaignID <= 0 || r.TemplateID <= 0 || r.TemplateVersion <= 0 || r.NIP == "" || r.Name == "":
		return errors.New("pledge record: tenant, campaign, template, NIP and name are required")
	case len(r.TextSHA256) != 64:
		return errors.New("pledge record: the text's SHA-256 is required")
	case r.SignedAt.IsZero():
		return errors.New("pledge record: the signing time is required")
	case r.Method != PledgeOnline && (r.OperatorID <= 0 && r.OperatorLabel == "" || len(r.ScanSHA256) != 64 || r.SignedOn.IsZero()):
		return errors.New("pledge record: a paper or ceremony record needs its operator, scan and date")
	case r.Method == PledgeAtCeremony && (r.CeremonyID <= 0 || r.CeremonyPlace == ""):
		return errors.New("pledge record: a ceremony record needs its ceremony")
	}
	return nil
}

// Canonical returns the record's canonical bytes, the bytes that are
// signed and whose hash is logged.
func (r *PledgeRecord) Canonical() ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	return canonicalJSON(r.object())
}

// pledgeRecordJSON is a record as decoded, before it is checked canonical.
type pledgeRecordJSON struct {
	Auth     string `json:"auth"`
	Campaign struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"campaign"`
	Ceremony *struct {
		ID    int64  `json:"id"`
		Place string `json:"place"`
	} `json:"ceremony"`
	Format   string `json:"format"`
	Method   string `json:"method"`
	Operator *struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	} `json:"operator"`
	Position struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"position"`
	ScanSHA256 string `json:"scan_sha256"`
	SignedAt   string `json:"signed_at"`
	SignedOn   string `json:"signed_on"`
	Signer     struct {
		Name string `json:"name"`
		NIP  string `json:"nip"`
	} `json:"signer"`
	Template struct {
		ID      int64  `json:"id"`
		SHA256  string `json:"sha256"`
		Title   string `json:"title"`
		Version int64  `json:"version"`
	} `json:"template"`
	Tenant struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"tenant"`
	Unit struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"unit"`
}

// ErrNotCanonical is returned for bytes that are not a record in canonical
// form: not the record format, a field missing, unknown or repeated, or
// written otherwise than Canonical writes it.
var ErrNotCanonical = errors.New("not a canonical pledge record")

// ParsePledgeRecord reads a record's canonical bytes. Bytes that decode
// but are not exactly what Canonical would write for the record are
// refused (ErrNotCanonical), so that one record has one encoding.
func ParsePledgeRecord(b []byte) (*PledgeRecord, error) {
	var j pledgeRecordJSON
	if err := decodeStrict(b, &j); err != nil {
		return nil, err
	}
	if j.Format != PledgeRecordFormat {
		return nil, fmt.Errorf("%w: format %q", ErrNotCanonical, j.Format)
	}
	at, err := time.Parse(recordTime, j.SignedAt)
	if err != nil {
		return nil, fmt.Errorf("%w: signed_at %q", ErrNotCanonical, j.SignedAt)
	}
	r := &PledgeRecord{TenantCode: j.Tenant.Code, TenantName: j.Tenant.Name, CampaignID: j.Campaign.ID,
		CampaignTitle: j.Campaign.Title, TemplateID: j.Template.ID, TemplateVersion: int(j.Template.Version),
		TemplateTitle: j.Template.Title, TextSHA256: j.Template.SHA256, NIP: j.Signer.NIP, Name: j.Signer.Name,
		UnitID: j.Unit.ID, UnitName: j.Unit.Name, PositionName: j.Position.Name, PositionType: PositionType(j.Position.Type),
		SignedAt: at, Method: PledgeMethod(j.Method), Auth: j.Auth, ScanSHA256: j.ScanSHA256}
	if j.Operator != nil {
		r.OperatorID, r.OperatorLabel = j.Operator.ID, j.Operator.Label
	}
	if j.SignedOn != "" {
		if r.SignedOn, err = time.Parse(time.DateOnly, j.SignedOn); err != nil {
			return nil, fmt.Errorf("%w: signed_on %q", ErrNotCanonical, j.SignedOn)
		}
	}
	if j.Ceremony != nil {
		r.CeremonyID, r.CeremonyPlace = j.Ceremony.ID, j.Ceremony.Place
	}
	again, err := r.Canonical()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	if !bytes.Equal(again, b) {
		return nil, fmt.Errorf("%w: the bytes differ from the record's canonical form", ErrNotCanonical)
	}
	return r, nil
}

// decodeStrict decodes one JSON value with no unknown fields and nothing
// after it.
func decodeStrict(b []byte, v any) error {
	if !utf8.Valid(b) {
		return fmt.Errorf("%w: not UTF-8", ErrNotCanonical)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	if d.More() {
		return fmt.Errorf("%w: data after the record", ErrNotCanonical)
	}
	return nil
}

// PledgeRevocationRecord is the content of a signed revocation.
type PledgeRevocationRecord struct {
	TenantCode     string
	TenantName     string
	SignatureID    int64
	SignatureCode  string // 10 characters
	SignatureHash  string // the revoked record's leaf hash, base64
	Reason         string
	RevokedAt      time.Time
	RevokedByID    int64
	RevokedByLabel string
}

func (r *PledgeRevocationRecord) object() obj {
	return obj{
		"format":     PledgeRevocationFormat,
		"tenant":     obj{"code": r.TenantCode, "name": r.TenantName},
		"signature":  obj{"id": r.SignatureID, "code": r.SignatureCode, "record_hash": r.SignatureHash},
		"reason":     r.Reason,
		"revoked_at": r.RevokedAt.UTC().Format(recordTime),
		"revoked_by": obj{"id": r.RevokedByID, "label": r.RevokedByLabel},
	}
}

// Canonical returns the revocation's canonical bytes.
func (r *PledgeRevocationRecord) Canonical() ([]byte, error) {
	if r.TenantCode == "" || r.SignatureID <= 0 || r.SignatureHash == "" || r.Reason == "" || r.RevokedAt.IsZero() {
		return nil, errors.New("revocation record: tenant, signature, reason and time are required")
	}
	return canonicalJSON(r.object())
}

type pledgeRevocationJSON struct {
	Format    string `json:"format"`
	Reason    string `json:"reason"`
	RevokedAt string `json:"revoked_at"`
	RevokedBy struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	} `json:"revoked_by"`
	Signature struct {
		Code       string `json:"code"`
		ID         int64  `json:"id"`
		RecordHash string `json:"record_hash"`
	} `json:"signature"`
	Tenant struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"tenant"`
}

// ParsePledgeRevocation reads a revocation's canonical bytes, refusing
// any other encoding (ErrNotCanonical).
func ParsePledgeRevocation(b []byte) (*PledgeRevocationRecord, error) {
	var j pledgeRevocationJSON
	if err := decodeStrict(b, &j); err != nil {
		return nil, err
	}
	if j.Format != PledgeRevocationFormat {
		return nil, fmt.Errorf("%w: format %q", ErrNotCanonical, j.Format)
	}
	at, err := time.Parse(recordTime, j.RevokedAt)
	if err != nil {
		return nil, fmt.Errorf("%w: revoked_at %q", ErrNotCanonical, j.RevokedAt)
	}
	r := &PledgeRevocationRecord{TenantCode: j.Tenant.Code, TenantName: j.Tenant.Name, SignatureID: j.Signature.ID,
		SignatureCode: j.Signature.Code, SignatureHash: j.Signature.RecordHash, Reason: j.Reason, RevokedAt: at,
		RevokedByID: j.RevokedBy.ID, RevokedByLabel: j.RevokedBy.Label}
	again, err := r.Canonical()
	if err != nil || !bytes.Equal(again, b) {
		return nil, fmt.Errorf("%w: the bytes differ from the revocation's canonical form", ErrNotCanonical)
	}
	return r, nil
}

// canonicalJSON encodes v (string, int64 or obj) in canonical form.
func canonicalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeCanonical(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case string:
		return writeCanonicalString(b, v)
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case obj:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys) // the keys are ASCII: byte order is RFC 8785's UTF-16 order
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonicalString(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeCanonical(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("canonical JSON: cannot encode %T", v)
	}
	return nil
}

func writeCanonicalString(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return errors.New("canonical JSON: text is not valid UTF-8")
	}
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			} else {
				b.WriteByte(c) // multi-byte characters go through byte by byte, unchanged
			}
		}
	}
	b.WriteByte('"')
	return nil
}

// PledgeLeafHash returns a record's leaf hash in its log: SHA-256 of a zero
// byte and the record, the leaf hash of RFC 6962 and of
// golang.org/x/mod/sumdb/tlog.RecordHash.
func PledgeLeafHash(record []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(record)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// EncodeHash writes a hash as the log writes hashes (standard base64).
func EncodeHash(h [32]byte) string { return base64.StdEncoding.EncodeToString(h[:]) }

// crockford is Douglas Crockford's base 32 alphabet: digits and capitals
// without I, L, O and U, so that a code read aloud or typed is not misread.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// PledgeCodeLength is the length of a verification code: 10 characters of
// base 32 are 50 bits of the record's hash.
const PledgeCodeLength = 10

// PledgeCode returns the verification code of a record: the first 50 bits
// of its leaf hash in Crockford's base 32 ("ABCDEFGHJK"). Codes are unique
// per installation (the store re-signs on the rare collision).
func PledgeCode(leaf [32]byte) string {
	var acc uint64
	for _, c := range leaf[:7] { // 56 bits, of which the first 50 are used
		acc = acc<<8 | uint64(c)
	}
	acc >>= 6
	b := make([]byte, PledgeCodeLength)
	for i := PledgeCodeLength - 1; i >= 0; i-- {
		b[i] = crockford[acc&31]
		acc >>= 5
	}
	return string(b)
}

// FormatPledgeCode groups a code for reading: "ABCD-EFGH-JK". Anything
// that is not a code is returned unchanged.
func FormatPledgeCode(code string) string {
	if len(code) != PledgeCodeLength {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

// ParsePledgeCode reads a code as people type it: in either case, with or
// without dashes and spaces, with O for 0 and I or L for 1. It returns the
// code's 10 characters, or false when s is no code.
func ParsePledgeCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(crockford, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != PledgeCodeLength {
		return "", false
	}
	return b.String(), true
}
