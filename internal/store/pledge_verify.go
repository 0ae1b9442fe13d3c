package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

const pledgeSignatureCols = `p.id, p.tenant_id, p.campaign_id, p.employee_id, p.unit_id, p.method, p.code, p.record, p.record_hash,
	p.signature, p.key_id, p.leaf_index, p.signed_at, p.scan_key, p.scan_sha256, p.scan_size, COALESCE(p.ceremony_id, 0),
	p.created_by, p.revoked_at`

func scanPledgeSignature(row interface{ Scan(...any) error }, p *netra.PledgeSignature) error {
	var record, sig string
	var signed, revoked int64
	if err := row.Scan(&p.ID, &p.TenantID, &p.CampaignID, &p.EmployeeID, &p.UnitID, &p.Method, &p.Code, &record, &p.RecordHash,
		&sig, &p.KeyID, &p.LeafIndex, &signed, &p.Scan.Key, &p.Scan.SHA256, &p.Scan.Size, &p.CeremonyID, &p.CreatedBy, &revoked); err != nil {
		return err
	}
	p.Record = []byte(record)
	p.Signature, _ = base64.StdEncoding.DecodeString(sig) // one that does not decode fails verification
	p.SignedAt, p.RevokedAt = fromMS(signed), fromMS(revoked)
	return nil
}

func onePledgeSignature(ctx context.Context, q queryer, what, where string, args ...any) (*netra.PledgeSignature, error) {
	var p netra.PledgeSignature
	err := scanPledgeSignature(q.QueryRowContext(ctx, `SELECT `+pledgeSignatureCols+` FROM pledge_signatures p WHERE `+where, args...), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("pledge signature %s: %w", what, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: pledge signature: %w", err)
	}
	return &p, nil
}

// pledgeSignature reads a signature with no scope check.
func pledgeSignature(ctx context.Context, q queryer, id int64) (*netra.PledgeSignature, error) {
	return onePledgeSignature(ctx, q, fmt.Sprint(id), `p.id = $1`, id)
}

// livePledge reads an employee's unrevoked signature of a campaign, with no
// scope check.
func livePledge(ctx context.Context, q queryer, campaignID, employeeID int64) (*netra.PledgeSignature, error) {
	return onePledgeSignature(ctx, q, fmt.Sprintf("of employee %d for campaign %d", employeeID, campaignID),
		`p.campaign_id = $1 AND p.employee_id = $2 AND p.revoked_at = 0`, campaignID, employeeID)
}

// mayReadPledgeSignature checks that the actor may read a signature: it is
// their own, or duty.read or duty.manage covers the signer's current unit.
func (s *Store) mayReadPledgeSignature(ctx context.Context, p *netra.PledgeSignature) error {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return netra.ErrUnauthenticated
	}
	if a.EmployeeID != 0 && a.EmployeeID == p.EmployeeID && a.Can(netra.PermSelf) {
		return nil
	}
	e, tpath, err := pledgeEmployee(ctx, s.r, p.EmployeeID)
	if err != nil {
		return err
	}
	if a.ScopeFor(netra.PermDutyRead).CoversUnit(e.TenantID, tpath, e.UnitPath) || a.ScopeFor(netra.PermDutyManage).CoversUnit(e.TenantID, tpath, e.UnitPath) {
		return nil
	}
	return fmt.Errorf("pledge signature %d: %w", p.ID, netra.ErrNotFound)
}

// PledgeSignature returns a signature the actor may read (their own, or in
// the units their duty.read or duty.manage covers); the read is audited.
func (s *Store) PledgeSignature(ctx context.Context, id int64) (*netra.PledgeSignature, error) {
	p, err := pledgeSignature(ctx, s.r, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayReadPledgeSignature(ctx, p); err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, p.TenantID, "pledge_signature", p.ID, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// MyPledge returns the signed-in employee's live signature of a campaign,
// or ErrNotFound when they have not signed it; the read is audited.
func (s *Store) MyPledge(ctx context.Context, campaignID int64) (*netra.PledgeSignature, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return nil, netra.ErrUnauthenticated
	}
	if a.EmployeeID == 0 || !a.Can(netra.PermSelf) {
		return nil, fmt.Errorf("pledge: %w", netra.ErrNotFound)
	}
	p, err := livePledge(ctx, s.r, campaignID, a.EmployeeID)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, p.TenantID, "pledge_signature", p.ID, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// PledgeBundle returns what a certificate embeds to be checked offline
// (netra.PledgeBundle, docs/pledges.md): the signature's record,
// signature and key id, and its inclusion proof against the newest
// checkpoint of the government's log, made now if the log grew since the
// last one. VerifyURL is left for the caller, who knows the base URL. The
// actor needs to be able to read the signature (PledgeSignature).
func (s *Store) PledgeBundle(ctx context.Context, signatureID int64) (*netra.PledgeBundle, error) {
	p, err := s.PledgeSignature(ctx, signatureID)
	if err != nil {
		return nil, err
	}
	t, err := tenantInfo(ctx, s.r, p.TenantID)
	if err != nil {
		return nil, err
	}
	name := netra.PledgeLogName(t.code)
	cp, err := s.MakeCheckpoint(ctx, name)
	if err != nil {
		return nil, err
	}
	if cp.Size <= p.LeafIndex {
		return nil, fmt.Errorf("store: checkpoint of %q holds %d records, not record %d", name, cp.Size, p.LeafIndex)
	}
	proof, err := s.LogInclusionProof(ctx, name, p.LeafIndex, cp.Size)
	if err != nil {
		return nil, err
	}
	b := &netra.PledgeBundle{Format: netra.PledgeBundleFormat, Record: string(p.Record), RecordHash: p.RecordHash,
		Code: netra.FormatPledgeCode(p.Code), Signature: base64.StdEncoding.EncodeToString(p.Signature), KeyID: p.KeyID,
		Log: cp.Origin, LeafIndex: p.LeafIndex, TreeSize: cp.Size, Proof: make([]string, len(proof)), Checkpoint: string(cp.Note)}
	for i, h := range proof {
		b.Proof[i] = h.String()
	}
	return b, nil
}

// VerifyPledgeCode tells anyone — no actor is needed, and nothing is
// audited: it is the public face of a certificate — what a verification
// code stands for: valid, revoked or unknown, with the campaign, the time
// and a masked identity (the name and netra.MaskNIP of the NIP), as the
// signed record states them, and nothing else personal. The record on file
// is checked again — its hash, its signature by a published key of the
// government, and its leaf in the government's log — and reported invalid,
// with the reason, if the database was altered. A code that does not parse
// is unknown.
func (s *Store) VerifyPledgeCode(ctx context.Context, code string) (*netra.PledgeVerification, error) {
	c, ok := netra.ParsePledgeCode(code)
	v := &netra.PledgeVerification{Status: netra.PledgeUnknown, Code: netra.FormatPledgeCode(c)}
	if !ok {
		v.Code = netra.Truncate(strings.TrimSpace(code), 40)
		return v, nil
	}
	p, err := onePledgeSignature(ctx, s.r, c, `p.code = $1`, c)
	if errors.Is(err, netra.ErrNotFound) {
		return v, nil
	} else if err != nil {
		return nil, err
	}
	v.RecordHash, v.LeafIndex, v.KeyID = p.RecordHash, p.LeafIndex, p.KeyID
	rec, err := netra.ParsePledgeRecord(p.Record)
	if err != nil {
		v.Status, v.Reason = netra.PledgeInvalid, netra.Msg("Catatan tanda tangan ini tidak terbaca: data telah diubah.",
			"The signature's record cannot be read: the data was altered.")
		return v, nil
	}
	v.TenantCode, v.TenantName, v.CampaignTitle = rec.TenantCode, rec.TenantName, rec.CampaignTitle
	v.TemplateTitle, v.TemplateVersion, v.Method = rec.TemplateTitle, rec.TemplateVersion, rec.Method
	v.SignedAt, v.SignedOn, v.Name, v.MaskedNIP = rec.SignedAt, rec.SignedOn, rec.Name, netra.MaskNIP(rec.NIP)
	if reason, err := s.checkPledgeOnFile(ctx, p, rec); err != nil {
		return nil, err
	} else if reason != nil {
		v.Status, v.Reason = netra.PledgeInvalid, *reason
		return v, nil
	}
	v.Status = netra.PledgeValid
	if p.Revoked() {
		v.Status, v.RevokedAt = netra.PledgeRevoked, p.RevokedAt
	}
	return v, nil
}

// checkPledgeOnFile checks a stored signature as an outsider would: the
// record hashes to its stored hash, is signed by a published key of its
// government's log, and is the log's leaf at its index. It returns why not,
// or nil.
func (s *Store) checkPledgeOnFile(ctx context.Context, p *netra.PledgeSignature, rec *netra.PledgeRecord) (*netra.Message, error) {
	bad := func(id, en string) (*netra.Message, error) { m := netra.Msg(id, en); return &m, nil }
	leaf := signlog.RecordHash(p.Record)
	if leaf.String() != p.RecordHash {
		return bad("Catatan tanda tangan ini tidak sesuai dengan sidiknya: data telah diubah.", "The signature's record does not match its hash: the data was altered.")
	}
	name := netra.PledgeLogName(rec.TenantCode)
	vkeys, err := s.LogVerifierKeys(ctx, name)
	if errors.Is(err, netra.ErrNotFound) {
		return bad("Log ikrar instansi ini tidak ditemukan.", "This government's pledge log does not exist.")
	} else if err != nil {
		return nil, err
	}
	signed := false
	for _, k := range vkeys {
		if signlog.KeyID(k) == p.KeyID {
			signed, err = signlog.VerifyData(k, p.Record, p.Signature)
			if err != nil {
				return nil, err
			}
		}
	}
	if !signed {
		return bad("Tanda tangan server pada catatan ini tidak sah.", "The server's signature on this record is not valid.")
	}
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return nil, err
	}
	var stored []byte
	err = s.r.QueryRowContext(ctx, `SELECT hash FROM signlog_hashes WHERE log_id = $1 AND idx = $2`, l.id, signlog.StoredIndex(p.LeafIndex)).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) || p.LeafIndex >= l.size || (err == nil && string(stored) != string(leaf[:])) {
		return bad("Catatan ini tidak ada di log ikrar instansi pada tempatnya.", "This record is not in the government's pledge log where it should be.")
	} else if err != nil {
		return nil, fmt.Errorf("store: pledge log: %w", err)
	}
	return nil, nil
}

// PledgeLogs returns the names of the pledge logs ("pledge/<tenant
// code>"), for publishing their checkpoints.
func (s *Store) PledgeLogs(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM signlogs WHERE name >= 'pledge/' AND name < 'pledge0' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: pledge logs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
