package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// pledgeKey returns the government's pledge log signing key, making the
// log ("pledge/<code>") and its first key on first use. It runs outside the
// signing transaction: making a key is a write of its own.
func (s *Store) pledgeKey(ctx context.Context, t pledgeTenant) (signingKey, error) {
	l, err := s.ensureLog(ctx, netra.PledgeLogName(t.code), netra.PledgeLogOrigin(t.code))
	if err != nil {
		return signingKey{}, err
	}
	return s.currentKey(ctx, l)
}

// pledgeContext is what every signing path loads before its transaction
// (each batch of online signatures once per campaign): the campaign, its
// government and the government's current key.
func (s *Store) pledgeContext(ctx context.Context, campaignID int64) (*netra.PledgeCampaign, pledgeTenant, signingKey, error) {
	c, err := pledgeCampaign(ctx, preparedReads{s}, campaignID)
	if err != nil {
		return nil, pledgeTenant{}, signingKey{}, err
	}
	t, err := tenantInfo(ctx, preparedReads{s}, c.TenantID)
	if err != nil {
		return nil, t, signingKey{}, err
	}
	k, err := s.pledgeKey(ctx, t)
	return c, t, k, err
}

// logRecord signs record b with the key and appends its hash to the log
// (whose row the transaction locked), in the transaction. l.size moves on.
func (x *tx) logRecord(ctx context.Context, l *signLog, k signingKey, b []byte) (leaf signlog.Hash, sig []byte, keyID string, index int64, err error) {
	leaf = signlog.RecordHash(b)
	if sig, keyID, err = signlog.SignData(k.skey, b); err != nil {
		return leaf, nil, "", 0, err
	}
	index = l.size
	if err := appendLeaf(ctx, x.queryer, *l, index, leaf); err != nil {
		return leaf, nil, "", 0, err
	}
	l.size++
	return leaf, sig, keyID, index, nil
}

// signPledgeRecord encodes, signs and logs a pledge record and inserts the
// signature row. A code already taken (two records whose hashes share
// their first 50 bits) moves the signing time on by a millisecond, which
// gives the record another hash; a live signature of the same employee for
// the same campaign, written meanwhile, is ErrConflict.
func (x *tx) signPledgeRecord(ctx context.Context, l *signLog, k signingKey, rec *netra.PledgeRecord, sig *netra.PledgeSignature) error {
	var b []byte
	for try := 0; ; try++ {
		var err error
		if b, err = rec.Canonical(); err != nil {
			return err
		}
		code := netra.PledgeCode(signlog.RecordHash(b))
		var one int
		err = x.QueryRowContext(ctx, `SELECT 1 FROM pledge_signatures WHERE code = $1`, code).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			sig.Code = code
			break
		} else if err != nil {
			return fmt.Errorf("store: pledge code: %w", err)
		}
		if try == 10 {
			return errors.New("store: no free verification code after 10 tries")
		}
		rec.SignedAt = rec.SignedAt.Add(time.Millisecond)
	}
	leaf, s, keyID, index, err := x.logRecord(ctx, l, k, b)
	if err != nil {
		return err
	}
	sig.Method, sig.Record, sig.RecordHash, sig.Signature, sig.KeyID, sig.LeafIndex, sig.SignedAt =
		rec.Method, b, leaf.String(), s, keyID, index, rec.SignedAt
	sig.CreatedBy = x.actor.UserID
	err = x.QueryRowContext(ctx, `INSERT INTO pledge_signatures (tenant_id, campaign_id, employee_id, unit_id, method, code,
		record, record_hash, signature, key_id, leaf_index, signed_at, scan_key, scan_sha256, scan_size, ceremony_id, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (campaign_id, employee_id) WHERE revoked_at = 0 DO NOTHING RETURNING id`,
		sig.TenantID, sig.CampaignID, sig.EmployeeID, sig.UnitID, sig.Method, sig.Code, string(b), sig.RecordHash,
		base64.StdEncoding.EncodeToString(s), keyID, index, ms(sig.SignedAt), sig.Scan.Key, sig.Scan.SHA256, sig.Scan.Size,
		nullID(sig.CeremonyID), sig.CreatedBy).Scan(&sig.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return netra.Userf(netra.ErrConflict, "Pegawai ini baru saja menandatangani ikrar kampanye ini.", "This employee has just signed this campaign's pledge.")
	} else if err != nil {
		return fmt.Errorf("store: add pledge signature: %w", err)
	}
	return x.audit(ctx, sig.TenantID, "pledge.sign", "pledge_signature", sig.ID, map[string]any{
		"campaign_id": sig.CampaignID, "employee_id": sig.EmployeeID, "method": sig.Method, "code": sig.Code,
		"leaf_index": sig.LeafIndex, "key_id": sig.KeyID})
}

// pledgeRecordFor fills a record of employee e signing campaign c's text.
func pledgeRecordFor(t pledgeTenant, c *netra.PledgeCampaign, text *netra.PledgeText, e *netra.Employee, at time.Time) *netra.PledgeRecord {
	return &netra.PledgeRecord{TenantCode: t.code, TenantName: t.name, CampaignID: c.ID, CampaignTitle: c.Title,
		TemplateID: text.TemplateID, TemplateVersion: text.Version, TemplateTitle: text.Title, TextSHA256: text.SHA256,
		NIP: e.NIP, Name: e.FullName(), UnitID: e.UnitID, UnitName: e.UnitName, PositionName: e.PositionName,
		PositionType: e.PositionType, SignedAt: at}
}

// pledgeEmployee reads an employee, their unit and their government's path
// with no scope check.
func pledgeEmployee(ctx context.Context, q queryer, id int64) (*netra.Employee, string, error) {
	var e netra.Employee
	var tpath string
	err := scanEmployee(q.QueryRowContext(ctx, `SELECT `+employeeCols+`, t.path FROM employees e
		JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id WHERE e.id = $1`, id), &e, &tpath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("employee %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, "", fmt.Errorf("store: employee: %w", err)
	}
	return &e, tpath, nil
}

// errNotInService refuses a pledge for someone no longer on the staff.
func errNotInService(e *netra.Employee) error {
	return netra.Userf(netra.ErrConflict, e.FullName()+" tidak lagi berdinas ("+e.Status.Label("id")+"): ikrarnya tidak dapat dicatat.",
		e.FullName()+" is no longer in service ("+e.Status.Label("en")+"): no pledge can be recorded.")
}

func errCampaignClosed(c *netra.PledgeCampaign) error {
	const f = "02-01-2006 15:04 UTC"
	if c.Status != netra.PledgeCampaignLaunched {
		return netra.Userf(netra.ErrConflict, "Kampanye ikrar ini belum diluncurkan atau sudah dibatalkan.", "This pledge campaign is not launched, or was cancelled.")
	}
	return netra.Userf(netra.ErrConflict, "Kampanye ikrar ini menerima tanda tangan dari "+c.Opens.Format(f)+" sampai "+c.Closes.Format(f)+".",
		"This pledge campaign takes signatures from "+c.Opens.Format(f)+" until "+c.Closes.Format(f)+".")
}

// SignPledge signs campaign campaignID's pledge for the signed-in employee:
// the actor must be an employee (self) acting for their own record — no
// administrator signs for anyone. typedName must be their name, with or
// without titles, in any case and spacing. The campaign must be launched
// and open (by the store's clock) and of the employee's government, and
// the employee in service. Signing again returns the signature already
// made, whatever the time; there is one live signature per employee per
// campaign (a unique key, so concurrent calls on any engine make one).
//
// The record states the unit and position held at this moment; it is
// signed with the government's key and its hash appended to the
// government's pledge log in the same transaction as the signature row and
// its audit entry. Concurrent calls share that transaction (group commit,
// pledge_batch.go): SignPledge returns once the transaction holding its
// signature has committed, with the durability of any other write.
func (s *Store) SignPledge(ctx context.Context, campaignID int64, typedName string) (*netra.PledgeSignature, error) {
	sig, _, err := s.SignPledgeCreated(ctx, campaignID, typedName)
	return sig, err
}

// SignPledgeCreated is SignPledge that also reports whether this call made
// the signature (false: it had been made before, or by an earlier call of
// the same employee in the same batch), so that the API can answer 201 or
// 200.
func (s *Store) SignPledgeCreated(ctx context.Context, campaignID int64, typedName string) (sig *netra.PledgeSignature, created bool, err error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return nil, false, netra.ErrUnauthenticated
	}
	if a.EmployeeID == 0 || !a.Can(netra.PermSelf) {
		return nil, false, netra.Userf(netra.ErrForbidden, "Ikrar hanya ditandatangani oleh pegawai itu sendiri, masuk dengan akun pegawainya.",
			"A pledge is signed only by the employee themself, signed in with their employee account.")
	}
	var live netra.PledgeSignature
	err = scanPledgeSignature(s.readRow(ctx, `SELECT `+pledgeSignatureCols+` FROM pledge_signatures p
		WHERE p.campaign_id = $1 AND p.employee_id = $2 AND p.revoked_at = 0`, campaignID, a.EmployeeID), &live)
	if err == nil {
		return &live, false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("store: pledge signature: %w", err)
	}
	return s.submitSignature(ctx, &signRequest{actor: a, campaignID: campaignID, typedName: typedName})
}

// pledgeSignedOnInPeriod checks the day written on a paper: within the
// campaign's period, and not after today.
func pledgeSignedOnInPeriod(c *netra.PledgeCampaign, on time.Time, now time.Time, field string) error {
	// Calendar days by the one rule (netra.Day: the day in WIB), as the
	// forms give them: at 06:00 WIB, still the previous day in UTC, today
	// is today.
	first, last := netra.Day(c.Opens), netra.Day(c.Closes.Add(-time.Millisecond))
	if on.Before(first) || on.After(last) || on.After(netra.Day(now)) {
		return netra.Invalid(field, netra.Msg("Tanggal penandatanganan harus dalam periode kampanye ("+first.Format("02-01-2006")+" s.d. "+
			last.Format("02-01-2006")+") dan tidak sesudah hari ini.",
			"The signing date must fall within the campaign's period ("+first.Format("02-01-2006")+" to "+last.Format("02-01-2006")+
				") and not after today."))
	}
	return nil
}

// employeeToRecord loads an employee whose paper or ceremony pledge the
// actor records: duty.manage must cover the employee's unit; the employee
// must be of the campaign's government and in service.
func (x *tx) employeeToRecord(ctx context.Context, c *netra.PledgeCampaign, id int64) (*netra.Employee, error) {
	e, tpath, err := pledgeEmployee(ctx, x, id)
	if err != nil {
		return nil, err
	}
	if err := forWrite("employee", id, x.actor.ScopeFor(netra.PermDutyManage).CoversUnit(e.TenantID, tpath, e.UnitPath),
		x.actor.ScopeFor(netra.PermDutyRead).CoversUnit(e.TenantID, tpath, e.UnitPath)); err != nil {
		return nil, err
	}
	if e.TenantID != c.TenantID {
		return nil, netra.Invalid("employee", netra.Msg(e.FullName()+" bukan pegawai instansi kampanye ini.",
			e.FullName()+" is not an employee of this campaign's government."))
	}
	if !e.Status.InService() {
		return nil, errNotInService(e)
	}
	if c.DutyID != 0 && c.Status == netra.PledgeCampaignLaunched {
		// As online: the campaign is signed by those its duty reaches.
		var one int
		err := x.QueryRowContext(ctx, `SELECT 1 FROM duty_assignees WHERE duty_id = $1 AND employee_id = $2 AND counted = 1`, c.DutyID, e.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, netra.Invalid("employee", netra.Msg(e.FullName()+" bukan sasaran kampanye ikrar ini (unit kerja atau jenis kepegawaiannya tidak termasuk).",
				e.FullName()+" is not among this pledge campaign's targets (their work unit or employment type is not included)."))
		} else if err != nil {
			return nil, fmt.Errorf("store: pledge target: %w", err)
		}
	}
	return e, nil
}

// RecordPaperPledge records the signed paper pledge of an employee who
// could not sign online: the scan (already stored in blob storage; see
// blob.PutHashed) and the day written on the paper. The actor needs
// duty.manage covering the employee's unit; an employee cannot record one.
// The record is marked paper, names the operator and the scan's SHA-256,
// and is signed and logged like an online one. Recording the same scan
// again returns the signature made the first time; an employee who already
// signed the campaign otherwise is ErrConflict.
func (s *Store) RecordPaperPledge(ctx context.Context, campaignID, employeeID int64, scan netra.PledgeScan, signedOn time.Time) (*netra.PledgeSignature, error) {
	if err := scan.Validate(); err != nil {
		return nil, err
	}
	if signedOn.IsZero() {
		return nil, netra.Invalid("signed_on", netra.Msg("Tanggal penandatanganan wajib diisi.", "The signing date is required."))
	}
	signedOn = time.Date(signedOn.Year(), signedOn.Month(), signedOn.Day(), 0, 0, 0, 0, time.UTC)
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	c, t, key, err := s.pledgeContext(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	var out *netra.PledgeSignature
	err = s.write(ctx, func(x *tx) error {
		l, err := x.lockLog(ctx, netra.PledgeLogName(t.code))
		if err != nil {
			return err
		}
		if c, err = pledgeCampaign(ctx, x, campaignID); err != nil {
			return err
		}
		e, err := x.employeeToRecord(ctx, c, employeeID)
		if err != nil {
			return err
		}
		if sig, err := livePledge(ctx, x, campaignID, employeeID); err == nil {
			if sig.Method == netra.PledgePaper && sig.Scan.SHA256 == scan.SHA256 {
				out = sig
				return nil
			}
			return netra.Userf(netra.ErrConflict, e.FullName()+" sudah menandatangani ikrar kampanye ini ("+sig.Method.Label("id")+", "+
				sig.SignedAt.Format("02-01-2006")+", kode "+netra.FormatPledgeCode(sig.Code)+").",
				e.FullName()+" has already signed this campaign's pledge ("+sig.Method.Label("en")+", "+sig.SignedAt.Format("02-01-2006")+
					", code "+netra.FormatPledgeCode(sig.Code)+").")
		} else if !errors.Is(err, netra.ErrNotFound) {
			return err
		}
		if c.Status != netra.PledgeCampaignLaunched {
			return errCampaignClosed(c)
		}
		if err := pledgeSignedOnInPeriod(c, signedOn, fromMS(x.now), "signed_on"); err != nil {
			return err
		}
		text, err := pledgeText(ctx, x, c.TemplateID, c.TemplateVersion)
		if err != nil {
			return err
		}
		rec := pledgeRecordFor(t, c, text, e, fromMS(x.now))
		rec.Method, rec.Auth, rec.OperatorID, rec.OperatorLabel = netra.PledgePaper, netra.AuthOperatorRecorded, x.actor.UserID, x.actor.Label
		rec.ScanSHA256, rec.SignedOn = scan.SHA256, signedOn
		sig := &netra.PledgeSignature{TenantID: t.id, CampaignID: c.ID, EmployeeID: e.ID, UnitID: e.UnitID, Scan: scan}
		if err := x.signPledgeRecord(ctx, &l, key, rec, sig); err != nil {
			return err
		}
		out = sig
		return x.pledgeDutyDone(ctx, c, []int64{e.ID})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MaxCeremonySigners is the most officials one ceremony records.
const MaxCeremonySigners = 500

// RecordCeremony records a signing ceremony of campaign cer.CampaignID
// (its day, place and the photo or scan of the signed paper, stored in
// blob storage beforehand) and gives each official in employeeIDs an
// individual signed record marked ceremony. The actor needs duty.manage
// covering every one of them; one outside it, or not in service, refuses
// the whole ceremony. An official who already signed the campaign keeps
// that signature, which is returned in its place. It returns one signature
// per official, in the order given.
func (s *Store) RecordCeremony(ctx context.Context, cer *netra.PledgeCeremony, employeeIDs []int64) ([]netra.PledgeSignature, error) {
	if err := cer.Validate(); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, id := range employeeIDs {
		if seen[id] {
			return nil, netra.Invalid("employees", netra.Msg("Seorang pejabat tercantum dua kali.", "An official is listed twice."))
		}
		seen[id] = true
	}
	if len(employeeIDs) == 0 || len(employeeIDs) > MaxCeremonySigners {
		return nil, netra.Invalid("employees", netra.Msg(fmt.Sprintf("Pilih 1 sampai %d pejabat yang menandatangani.", MaxCeremonySigners),
			fmt.Sprintf("Choose 1 to %d officials who signed.", MaxCeremonySigners)))
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	c, t, key, err := s.pledgeContext(ctx, cer.CampaignID)
	if err != nil {
		return nil, err
	}
	var out []netra.PledgeSignature
	err = s.write(ctx, func(x *tx) error {
		out = out[:0]
		l, err := x.lockLog(ctx, netra.PledgeLogName(t.code))
		if err != nil {
			return err
		}
		if c, err = pledgeCampaign(ctx, x, cer.CampaignID); err != nil {
			return err
		}
		if c.Status != netra.PledgeCampaignLaunched {
			return errCampaignClosed(c)
		}
		if err := pledgeSignedOnInPeriod(c, cer.HeldOn, fromMS(x.now), "held_on"); err != nil {
			return err
		}
		es := make([]*netra.Employee, len(employeeIDs))
		for i, id := range employeeIDs {
			if es[i], err = x.employeeToRecord(ctx, c, id); err != nil {
				return err
			}
		}
		text, err := pledgeText(ctx, x, c.TemplateID, c.TemplateVersion)
		if err != nil {
			return err
		}
		cer.TenantID, cer.CreatedAt, cer.CreatedBy = t.id, fromMS(x.now), x.actor.UserID
		if err := x.QueryRowContext(ctx, `INSERT INTO pledge_ceremonies (tenant_id, campaign_id, held_on, place, scan_key,
			scan_sha256, scan_size, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			t.id, c.ID, cer.HeldOn.Format(time.DateOnly), cer.Place, cer.Scan.Key, cer.Scan.SHA256, cer.Scan.Size, x.now,
			cer.CreatedBy).Scan(&cer.ID); err != nil {
			return fmt.Errorf("store: add ceremony: %w", err)
		}
		var signed []int64
		for _, e := range es {
			if sig, err := livePledge(ctx, x, c.ID, e.ID); err == nil {
				out = append(out, *sig)
				continue
			} else if !errors.Is(err, netra.ErrNotFound) {
				return err
			}
			rec := pledgeRecordFor(t, c, text, e, fromMS(x.now))
			rec.Method, rec.Auth, rec.OperatorID, rec.OperatorLabel = netra.PledgeAtCeremony, netra.AuthOperatorRecorded, x.actor.UserID, x.actor.Label
			rec.ScanSHA256, rec.SignedOn, rec.CeremonyID, rec.CeremonyPlace = cer.Scan.SHA256, cer.HeldOn, cer.ID, cer.Place
			sig := &netra.PledgeSignature{TenantID: t.id, CampaignID: c.ID, EmployeeID: e.ID, UnitID: e.UnitID, Scan: cer.Scan, CeremonyID: cer.ID}
			if err := x.signPledgeRecord(ctx, &l, key, rec, sig); err != nil {
				return err
			}
			out = append(out, *sig)
			signed = append(signed, e.ID)
		}
		if err := x.audit(ctx, t.id, "pledge.ceremony", "pledge_ceremony", cer.ID, map[string]any{
			"campaign_id": c.ID, "held_on": cer.HeldOn.Format(time.DateOnly), "place": cer.Place, "scan_sha256": cer.Scan.SHA256,
			"officials": len(employeeIDs), "signed": len(signed)}); err != nil {
			return err
		}
		return x.pledgeDutyDone(ctx, c, signed)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokePledge revokes a signature (signed by mistake, the person left)
// with a reason, which is required. The revocation is itself a canonical
// record (netra.PledgeRevocationRecord), signed and appended to the same
// log; from then on VerifyPledgeCode says revoked, and the employee may
// sign the campaign again. The actor needs duty.manage covering the
// signer's current unit. A signature already revoked is ErrConflict.
func (s *Store) RevokePledge(ctx context.Context, signatureID int64, reason string) (*netra.PledgeRevocation, error) {
	reason, err := netra.CheckRevocationReason(reason)
	if err != nil {
		return nil, err
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	sig, err := pledgeSignature(ctx, s.r, signatureID)
	if err != nil {
		return nil, err
	}
	c, t, key, err := s.pledgeContext(ctx, sig.CampaignID)
	if err != nil {
		return nil, err
	}
	var out *netra.PledgeRevocation
	err = s.write(ctx, func(x *tx) error {
		l, err := x.lockLog(ctx, netra.PledgeLogName(t.code))
		if err != nil {
			return err
		}
		if sig, err = pledgeSignature(ctx, x, signatureID); err != nil {
			return err
		}
		e, tpath, err := pledgeEmployee(ctx, x, sig.EmployeeID)
		if err != nil {
			return err
		}
		if err := forWrite("pledge signature", signatureID, x.actor.ScopeFor(netra.PermDutyManage).CoversUnit(e.TenantID, tpath, e.UnitPath),
			x.actor.ScopeFor(netra.PermDutyRead).CoversUnit(e.TenantID, tpath, e.UnitPath)); err != nil {
			return err
		}
		if sig.Revoked() {
			return netra.Userf(netra.ErrConflict, "Tanda tangan ini sudah dibatalkan.", "This signature was already revoked.")
		}
		rr := &netra.PledgeRevocationRecord{TenantCode: t.code, TenantName: t.name, SignatureID: sig.ID, SignatureCode: sig.Code,
			SignatureHash: sig.RecordHash, Reason: reason, RevokedAt: fromMS(x.now), RevokedByID: x.actor.UserID, RevokedByLabel: x.actor.Label}
		b, err := rr.Canonical()
		if err != nil {
			return err
		}
		leaf, signature, keyID, index, err := x.logRecord(ctx, &l, key, b)
		if err != nil {
			return err
		}
		out = &netra.PledgeRevocation{SignatureID: sig.ID, TenantID: t.id, Reason: reason, Record: b, RecordHash: leaf.String(),
			Signature: signature, KeyID: keyID, LeafIndex: index, RevokedAt: rr.RevokedAt, RevokedBy: x.actor.UserID}
		if err := x.QueryRowContext(ctx, `INSERT INTO pledge_revocations (signature_id, tenant_id, reason, record, record_hash,
			signature, key_id, leaf_index, revoked_at, revoked_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			sig.ID, t.id, reason, string(b), out.RecordHash, base64.StdEncoding.EncodeToString(signature), keyID, index, x.now,
			x.actor.UserID).Scan(&out.ID); err != nil {
			return fmt.Errorf("store: revoke pledge: %w", err)
		}
		if _, err := x.ExecContext(ctx, `UPDATE pledge_signatures SET revoked_at = $1 WHERE id = $2`, x.now, sig.ID); err != nil {
			return fmt.Errorf("store: revoke pledge: %w", err)
		}
		if err := x.audit(ctx, t.id, "pledge.revoke", "pledge_signature", sig.ID, map[string]any{
			"reason": reason, "code": sig.Code, "employee_id": sig.EmployeeID, "leaf_index": index}); err != nil {
			return err
		}
		return x.pledgeDutyUndone(ctx, c, sig.EmployeeID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
