package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"

	"github.com/netra-id/netra"
)

// What the pledge pages read beyond pledge.go and pledge_verify.go: the
// campaigns an employee is asked to sign with their status, an employee's
// newest signature of a campaign (live, or the revoked one before it), a
// signature's revocation, and everything a certificate prints in one read.

// MyPledgeCampaign is a campaign as the signed-in employee sees it.
type MyPledgeCampaign struct {
	Campaign netra.PledgeCampaign
	// Signature is the employee's newest signature of the campaign: the
	// live one, else the newest revoked one (Revoked()), or nil when they
	// have not signed it.
	Signature *netra.PledgeSignature
	Open      bool // the campaign takes signatures now (store clock)
}

// Signed reports whether the employee holds a live signature of the campaign.
func (m *MyPledgeCampaign) Signed() bool { return m.Signature != nil && !m.Signature.Revoked() }

// myEmployee returns the signed-in employee (self) and their government.
func (s *Store) myEmployee(ctx context.Context) (*netra.Employee, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return nil, netra.ErrUnauthenticated
	}
	if a.EmployeeID == 0 || !a.Can(netra.PermSelf) {
		return nil, fmt.Errorf("pledge: not an employee: %w", netra.ErrNotFound)
	}
	e, _, err := pledgeEmployee(ctx, s.r, a.EmployeeID)
	return e, err
}

// PledgeCampaignsForMe lists the campaigns that ask the signed-in employee
// (self) to sign: the launched campaigns of their government that are open
// now and whose duty targets them (duty_assignees: the one targeting, kept
// in step as people move; an excused employee still sees it and may sign),
// open ones first, closing soonest first; then those that have closed, or
// no longer target them, but that they signed, so that their certificates
// stay at hand. Each comes with the employee's newest signature of it.
//
// A campaign of another government is not listed even when its duty
// reaches the employee (a province's campaign naming its regencies):
// SignPledge takes signatures only from the campaign's own government.
//
// The read of the employee's own signatures is audited as one list entry.
func (s *Store) PledgeCampaignsForMe(ctx context.Context) ([]MyPledgeCampaign, error) {
	e, err := s.myEmployee(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows, err := s.r.QueryContext(ctx, `SELECT `+pledgeCampaignCols+` FROM pledge_campaigns c
		WHERE c.tenant_id = $1 AND c.status = $2
		AND ((c.opens_at <= $3 AND c.closes_at > $3
				AND EXISTS (SELECT 1 FROM duty_assignees a WHERE a.duty_id = c.duty_id AND a.employee_id = $4 AND a.counted = 1))
			OR EXISTS (SELECT 1 FROM pledge_signatures p WHERE p.employee_id = $4 AND p.campaign_id = c.id))
		ORDER BY c.closes_at, c.id`, e.TenantID, netra.PledgeCampaignLaunched, ms(now), e.ID)
	if err != nil {
		return nil, fmt.Errorf("store: my pledge campaigns: %w", err)
	}
	defer rows.Close()
	var out []MyPledgeCampaign
	for rows.Next() {
		var m MyPledgeCampaign
		if err := scanPledgeCampaign(rows, &m.Campaign); err != nil {
			return nil, fmt.Errorf("store: my pledge campaigns: %w", err)
		}
		m.Open = m.Campaign.OpenAt(now)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: my pledge campaigns: %w", err)
	}
	rows.Close()
	sigs, err := employeePledges(ctx, s.r, e.ID)
	if err != nil {
		return nil, err
	}
	signed := 0
	for i := range out {
		if p, ok := sigs[out[i].Campaign.ID]; ok {
			out[i].Signature = p
			signed++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Open && !out[j].Open })
	if err := s.auditList(ctx, e.TenantID, "pledge_signature", map[string]any{"employee_id": e.ID, "campaigns": len(out),
		"signatures": signed}); err != nil {
		return nil, err
	}
	return out, nil
}

// employeePledges returns an employee's newest signature of each campaign
// they signed, a live one before any revoked one.
func employeePledges(ctx context.Context, q queryer, employeeID int64) (map[int64]*netra.PledgeSignature, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+pledgeSignatureCols+` FROM pledge_signatures p WHERE p.employee_id = $1
		ORDER BY p.id`, employeeID)
	if err != nil {
		return nil, fmt.Errorf("store: employee pledges: %w", err)
	}
	defer rows.Close()
	out := map[int64]*netra.PledgeSignature{}
	for rows.Next() {
		var p netra.PledgeSignature
		if err := scanPledgeSignature(rows, &p); err != nil {
			return nil, fmt.Errorf("store: employee pledges: %w", err)
		}
		if old, ok := out[p.CampaignID]; ok && !old.Revoked() {
			continue // the live one stays
		}
		out[p.CampaignID] = &p
	}
	return out, rows.Err()
}

// latestPledge reads an employee's newest signature of a campaign — the
// live one, else the newest revoked one — with no scope check.
func latestPledge(ctx context.Context, q queryer, campaignID, employeeID int64) (*netra.PledgeSignature, error) {
	return onePledgeSignature(ctx, q, fmt.Sprintf("of employee %d for campaign %d", employeeID, campaignID),
		`p.campaign_id = $1 AND p.employee_id = $2 ORDER BY (CASE WHEN p.revoked_at = 0 THEN 0 ELSE 1 END), p.id DESC LIMIT 1`,
		campaignID, employeeID)
}

// MyLatestPledge returns the signed-in employee's newest signature of a
// campaign: the live one, else the newest revoked one (so that the page
// can say it was revoked), or ErrNotFound when they never signed it. The
// read is audited.
func (s *Store) MyLatestPledge(ctx context.Context, campaignID int64) (*netra.PledgeSignature, error) {
	e, err := s.myEmployee(ctx)
	if err != nil {
		return nil, err
	}
	p, err := latestPledge(ctx, s.r, campaignID, e.ID)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, p.TenantID, "pledge_signature", p.ID, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// PledgeSignatureOf returns an employee's newest signature of a campaign
// (live, else the newest revoked one) for an operator looking them up: the
// actor must be able to read it (duty.read or duty.manage covering the
// employee's unit, or the employee themself). ErrNotFound when there is
// none. The read is audited.
func (s *Store) PledgeSignatureOf(ctx context.Context, campaignID, employeeID int64) (*netra.PledgeSignature, error) {
	if netra.ActorFrom(ctx) == nil {
		return nil, netra.ErrUnauthenticated
	}
	p, err := latestPledge(ctx, s.r, campaignID, employeeID)
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

// pledgeRevocation reads the revocation of a signature with no scope check.
func pledgeRevocation(ctx context.Context, q queryer, signatureID int64) (*netra.PledgeRevocation, error) {
	var r netra.PledgeRevocation
	var record, sig string
	var at int64
	err := q.QueryRowContext(ctx, `SELECT id, signature_id, tenant_id, reason, record, record_hash, signature, key_id, leaf_index,
		revoked_at, revoked_by FROM pledge_revocations WHERE signature_id = $1`, signatureID).Scan(&r.ID, &r.SignatureID, &r.TenantID,
		&r.Reason, &record, &r.RecordHash, &sig, &r.KeyID, &r.LeafIndex, &at, &r.RevokedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("revocation of pledge signature %d: %w", signatureID, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: pledge revocation: %w", err)
	}
	r.Record, r.RevokedAt = []byte(record), fromMS(at)
	r.Signature, _ = base64.StdEncoding.DecodeString(sig)
	return &r, nil
}

// PledgeRevocationOf returns the revocation of a signature (its reason,
// when and by whom, its own signed record) to whoever may read the
// signature; ErrNotFound when it was not revoked. The read is audited.
func (s *Store) PledgeRevocationOf(ctx context.Context, signatureID int64) (*netra.PledgeRevocation, error) {
	p, err := pledgeSignature(ctx, s.r, signatureID)
	if err != nil {
		return nil, err
	}
	if err := s.mayReadPledgeSignature(ctx, p); err != nil {
		return nil, err
	}
	r, err := pledgeRevocation(ctx, s.r, signatureID)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, p.TenantID, "pledge_revocation", r.ID, map[string]any{"signature_id": p.ID}); err != nil {
		return nil, err
	}
	return r, nil
}

// PledgeCertificate is everything a pledge certificate prints and embeds.
type PledgeCertificate struct {
	Signature *netra.PledgeSignature
	Record    *netra.PledgeRecord // the signed record, parsed
	Text      *netra.PledgeText   // the text signed (its hash is the record's)
	Bundle    *netra.PledgeBundle // for offline checks; VerifyURL left to the caller
	// Revocation is set when the signature was revoked.
	Revocation *netra.PledgeRevocation
	// RevokedBy names who revoked it ("user:admin.kota"), from the
	// revocation's signed record.
	RevokedBy string
}

// PledgeCertificate returns what the certificate of a signature shows, for
// whoever may read the signature (PledgeSignature): the record, the text it
// signed, its bundle (PledgeBundle: the newest checkpoint is made now if
// the log grew), and the revocation if there is one. One audited read.
// A stored text whose hash is not the one the record signed is an error:
// no certificate is printed over a text that was not signed.
func (s *Store) PledgeCertificate(ctx context.Context, signatureID int64) (*PledgeCertificate, error) {
	b, err := s.PledgeBundle(ctx, signatureID) // checks access, audits the read
	if err != nil {
		return nil, err
	}
	p, err := pledgeSignature(ctx, s.r, signatureID)
	if err != nil {
		return nil, err
	}
	rec, err := netra.ParsePledgeRecord(p.Record)
	if err != nil {
		return nil, fmt.Errorf("store: pledge signature %d: its record does not parse: %w", p.ID, err)
	}
	text, err := pledgeText(ctx, s.r, rec.TemplateID, rec.TemplateVersion)
	if err != nil {
		return nil, err
	}
	if text.SHA256 != rec.TextSHA256 {
		return nil, fmt.Errorf("store: pledge signature %d: the stored text of template %d version %d hashes to %s, the record signed %s",
			p.ID, rec.TemplateID, rec.TemplateVersion, text.SHA256, rec.TextSHA256)
	}
	c := &PledgeCertificate{Signature: p, Record: rec, Text: text, Bundle: b}
	if p.Revoked() {
		if c.Revocation, err = pledgeRevocation(ctx, s.r, p.ID); err != nil {
			return nil, err
		}
		if rr, err := netra.ParsePledgeRevocation(c.Revocation.Record); err == nil {
			c.RevokedBy = rr.RevokedByLabel
		}
	}
	return c, nil
}

// MyPledgeCertificate returns the certificate of the signed-in employee's
// newest signature of a campaign (MyLatestPledge: a revoked one shows as
// revoked), or ErrNotFound when they never signed it.
func (s *Store) MyPledgeCertificate(ctx context.Context, campaignID int64) (*PledgeCertificate, error) {
	e, err := s.myEmployee(ctx)
	if err != nil {
		return nil, err
	}
	p, err := latestPledge(ctx, s.r, campaignID, e.ID)
	if err != nil {
		return nil, err
	}
	return s.PledgeCertificate(ctx, p.ID)
}
