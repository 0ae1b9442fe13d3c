package signlog

import (
	"encoding/base64"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
)

// PledgeCheck is what a verified pledge bundle says.
type PledgeCheck struct {
	Record     *netra.PledgeRecord
	Code       string // the record's code, 10 characters
	KeyID      string
	Checkpoint Checkpoint
}

// VerifyPledgeBundle checks a pledge certificate's bundle offline, with
// only the government's verifier keys (as /log/ikrar/{tenant}/key
// publishes them, current and rotated) and a signed checkpoint of its log
// (nil: the checkpoint inside the bundle, which is checked against the
// keys like any other). It says valid — returning the record — or exactly
// why not, as a *Problem: malformed, altered, unknown-key,
// forged-signature, checkpoint-signature, not-in-log or replayed (a
// genuine record presented for another government, campaign, signer or
// code than claim names). The bundle's inclusion proof is for the tree of
// its own checkpoint: a checkpoint of another size does not match it.
func VerifyPledgeBundle(b *netra.PledgeBundle, vkeys []string, checkpoint []byte, claim netra.PledgeClaim) (*PledgeCheck, error) {
	if b == nil || b.Format != netra.PledgeBundleFormat {
		return nil, problem(Malformed, "not a pledge bundle (format %q, want %q)", formatOf(b), netra.PledgeBundleFormat)
	}
	data := []byte(b.Record)
	claimed, err1 := tlog.ParseHash(b.RecordHash)
	sig, err2 := base64.StdEncoding.DecodeString(b.Signature)
	if err1 != nil || err2 != nil || b.KeyID == "" {
		return nil, problem(Malformed, "the bundle's record hash, signature or key id cannot be read")
	}
	if got := RecordHash(data); got != claimed {
		return nil, problem(Altered, "the record hashes to %s, not to its logged hash %s: it was changed", got, claimed)
	}
	rec, err := netra.ParsePledgeRecord(data)
	if err != nil {
		return nil, problem(Malformed, "%v", err)
	}
	origin := netra.PledgeLogOrigin(rec.TenantCode)
	if b.Log != origin {
		return nil, problem(Malformed, "the bundle names log %s, but the record is of %s", b.Log, origin)
	}
	code := netra.PledgeCode(claimed)
	if c, ok := netra.ParsePledgeCode(b.Code); !ok || c != code {
		return nil, problem(Altered, "the bundle's code %s is not the record's code %s", b.Code, netra.FormatPledgeCode(code))
	}
	proof := make(tlog.RecordProof, len(b.Proof))
	for i, s := range b.Proof {
		if proof[i], err = tlog.ParseHash(s); err != nil {
			return nil, problem(Malformed, "hash %d of the inclusion proof cannot be read", i+1)
		}
	}
	if checkpoint == nil {
		checkpoint = []byte(b.Checkpoint)
	}
	c, err := VerifyEntry(Entry{Data: data, Hash: claimed, Signature: sig, KeyID: b.KeyID, Index: b.LeafIndex, Proof: proof},
		origin, vkeys, checkpoint)
	if err != nil {
		return nil, err
	}
	switch {
	case claim.TenantCode != "" && claim.TenantCode != rec.TenantCode:
		return nil, problem(Replayed, "the record is of government %s, not %s", rec.TenantCode, claim.TenantCode)
	case claim.CampaignID != 0 && claim.CampaignID != rec.CampaignID:
		return nil, problem(Replayed, "the record is of campaign %d, not %d", rec.CampaignID, claim.CampaignID)
	case claim.NIP != "" && claim.NIP != rec.NIP:
		return nil, problem(Replayed, "the record is signed by NIP %s, not %s", netra.MaskNIP(rec.NIP), netra.MaskNIP(claim.NIP))
	case claim.Code != "" && !sameCode(claim.Code, code):
		return nil, problem(Replayed, "the record's code is %s, not %s", netra.FormatPledgeCode(code), claim.Code)
	}
	return &PledgeCheck{Record: rec, Code: code, KeyID: b.KeyID, Checkpoint: c}, nil
}

func sameCode(typed, code string) bool {
	c, ok := netra.ParsePledgeCode(typed)
	return ok && c == code
}

func formatOf(b *netra.PledgeBundle) string {
	if b == nil {
		return ""
	}
	return strings.TrimSpace(b.Format)
}
