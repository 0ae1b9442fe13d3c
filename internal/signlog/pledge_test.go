package signlog_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

const origin = "netra/pledge/65.71"

// pledgeLog is a tenant's pledge log kept in memory: the records, their
// tree, and the key that signs both.
type pledgeLog struct {
	memLog
	records    [][]byte
	skey, vkey string
}

func newPledgeLog(t *testing.T, name string) *pledgeLog {
	t.Helper()
	skey, vkey, err := signlog.GenerateKey(name)
	if err != nil {
		t.Fatal(err)
	}
	return &pledgeLog{skey: skey, vkey: vkey}
}

func record(t *testing.T, tenant string, campaign int64, nip string) []byte {
	t.Helper()
	r := &netra.PledgeRecord{TenantCode: tenant, TenantName: "Kota Tarakan", CampaignID: campaign, CampaignTitle: "Ikrar Pilkada 2024",
		TemplateID: 1, TemplateVersion: 1, TemplateTitle: "Komitmen Bersama", TextSHA256: strings.Repeat("0", 64), NIP: nip,
		Name: "Pegawai " + nip[len(nip)-3:], UnitID: 2, UnitName: "Sekretariat Daerah", PositionName: "Analis", PositionType: netra.Fungsional,
		SignedAt: time.Date(2024, 7, 4, 2, 0, 0, 0, time.UTC), Method: netra.PledgeOnline, Auth: netra.AuthEmployeeCode}
	b, err := r.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (l *pledgeLog) add(t *testing.T, rec []byte) int64 {
	t.Helper()
	n := int64(len(l.records))
	hs, err := signlog.Append(n, signlog.RecordHash(rec), &l.memLog)
	if err != nil {
		t.Fatal(err)
	}
	l.hashes = append(l.hashes, hs...)
	l.records = append(l.records, rec)
	return n
}

func (l *pledgeLog) checkpoint(t *testing.T, n int64, skey string) []byte {
	t.Helper()
	root, err := signlog.TreeHash(n, &l.memLog)
	if err != nil {
		t.Fatal(err)
	}
	c := signlog.Checkpoint{Origin: origin, Size: n, Hash: root, Time: time.Date(2024, 7, 5, 0, 0, 0, 0, time.UTC)}
	msg, err := signlog.Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// bundle makes the bundle of record i, signed with skey, against the
// checkpoint of the log's current size.
func (l *pledgeLog) bundle(t *testing.T, i int64, skey string) *netra.PledgeBundle {
	t.Helper()
	rec := l.records[i]
	sig, keyID, err := signlog.SignData(skey, rec)
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(l.records))
	proof, err := signlog.ProveInclusion(n, i, &l.memLog)
	if err != nil {
		t.Fatal(err)
	}
	leaf := signlog.RecordHash(rec)
	b := &netra.PledgeBundle{Format: netra.PledgeBundleFormat, Record: string(rec), RecordHash: leaf.String(),
		Code: netra.FormatPledgeCode(netra.PledgeCode(leaf)), Signature: base64.StdEncoding.EncodeToString(sig), KeyID: keyID,
		Log: origin, LeafIndex: i, TreeSize: n, Checkpoint: string(l.checkpoint(t, n, l.skey))}
	for _, h := range proof {
		b.Proof = append(b.Proof, h.String())
	}
	return b
}

func wantReason(t *testing.T, what string, err error, r signlog.Reason) {
	t.Helper()
	var p *signlog.Problem
	if !errors.As(err, &p) || p.Reason != r {
		t.Errorf("%s: got %v, want %s", what, err, r)
	} else if p.Detail == "" {
		t.Errorf("%s: no detail", what)
	}
}

// TestPledgeBundleTampering: a genuine bundle verifies with the public key
// alone; every kind of tampering is caught, with its own reason.
func TestPledgeBundleTampering(t *testing.T) {
	l := newPledgeLog(t, origin)
	for i := range 9 {
		l.add(t, record(t, "65.71", 7, fmt.Sprintf("198609262015051%03d", i+1)))
	}
	other := record(t, "65.71", 8, "199001012019031001") // another campaign
	l.add(t, other)
	good := l.bundle(t, 4, l.skey)
	keys := []string{l.vkey}
	check, err := signlog.VerifyPledgeBundle(good, keys, nil, netra.PledgeClaim{TenantCode: "65.71", CampaignID: 7,
		NIP: "198609262015051005", Code: good.Code})
	if err != nil {
		t.Fatalf("genuine bundle: %v", err)
	}
	if check.Record.NIP != "198609262015051005" || check.Checkpoint.Size != 10 || check.KeyID != signlog.KeyID(l.vkey) {
		t.Fatalf("check %+v", check)
	}

	mutate := func(f func(b *netra.PledgeBundle)) *netra.PledgeBundle {
		b := *good
		b.Proof = append([]string(nil), good.Proof...)
		f(&b)
		return &b
	}
	verify := func(b *netra.PledgeBundle) error {
		_, err := signlog.VerifyPledgeBundle(b, keys, nil, netra.PledgeClaim{})
		return err
	}

	// One byte of the record changed.
	wantReason(t, "one byte", verify(mutate(func(b *netra.PledgeBundle) {
		b.Record = strings.Replace(b.Record, "051005", "051006", 1)
	})), signlog.Altered)
	// The record changed and its hash and code recomputed: the signature
	// no longer matches.
	wantReason(t, "rehashed", verify(mutate(func(b *netra.PledgeBundle) {
		b.Record = strings.Replace(b.Record, "051005", "051006", 1)
		h := signlog.RecordHash([]byte(b.Record))
		b.RecordHash, b.Code = h.String(), netra.FormatPledgeCode(netra.PledgeCode(h))
	})), signlog.Forged)
	// The code printed is not the record's.
	wantReason(t, "code", verify(mutate(func(b *netra.PledgeBundle) { b.Code = "0000-0000-00" })), signlog.Altered)
	// A forged signature under the government's key id.
	wantReason(t, "forged", verify(mutate(func(b *netra.PledgeBundle) {
		s, _ := base64.StdEncoding.DecodeString(b.Signature)
		s[0] ^= 1
		b.Signature = base64.StdEncoding.EncodeToString(s)
	})), signlog.Forged)
	// Signed by another key with the same name, not published.
	forger := newPledgeLog(t, origin)
	wantReason(t, "another key", verify(l.bundleSignedBy(t, good, forger.skey)), signlog.UnknownKey)
	// The forger's signature presented under the real key id.
	wantReason(t, "another key, real id", verify(mutate(func(b *netra.PledgeBundle) {
		s, _, _ := signlog.SignData(forger.skey, []byte(b.Record))
		b.Signature = base64.StdEncoding.EncodeToString(s)
	})), signlog.Forged)
	// Another government's published key signs a record of this one.
	other65 := newPledgeLog(t, "netra/pledge/65.72")
	if _, err := signlog.VerifyPledgeBundle(l.bundleSignedBy(t, good, other65.skey), []string{l.vkey, other65.vkey}, nil,
		netra.PledgeClaim{}); err == nil {
		t.Error("a record signed by another government's key verified")
	} else {
		wantReason(t, "another government's key", err, signlog.UnknownKey)
	}
	// Replayed: the genuine record of employee 5 of campaign 7 presented
	// as another employee's, campaign's, government's or code's.
	for name, claim := range map[string]netra.PledgeClaim{
		"another employee":   {NIP: "198609262015051001"},
		"another campaign":   {CampaignID: 8},
		"another government": {TenantCode: "62.71"},
		"another code":       {Code: l.bundle(t, 9, l.skey).Code},
	} {
		_, err := signlog.VerifyPledgeBundle(good, keys, nil, claim)
		wantReason(t, "replayed from "+name, err, signlog.Replayed)
	}
	// A checkpoint from before the record was logged.
	wantReason(t, "older checkpoint", verify(mutate(func(b *netra.PledgeBundle) { b.Checkpoint = string(l.checkpoint(t, 4, l.skey)) })), signlog.NotInLog)
	// A later checkpoint (another size) than the one the proof is for.
	l2 := *l
	l2.hashes = append([]signlog.Hash(nil), l.hashes...)
	l2.records = append([][]byte(nil), l.records...)
	l2.add(t, record(t, "65.71", 7, "198609262015051099"))
	_, err = signlog.VerifyPledgeBundle(good, keys, l2.checkpoint(t, 11, l.skey), netra.PledgeClaim{})
	wantReason(t, "another size", err, signlog.NotInLog)
	// A truncated proof.
	wantReason(t, "short proof", verify(mutate(func(b *netra.PledgeBundle) { b.Proof = b.Proof[:len(b.Proof)-1] })), signlog.NotInLog)
	// Another position in the log.
	wantReason(t, "other index", verify(mutate(func(b *netra.PledgeBundle) { b.LeafIndex = 3 })), signlog.NotInLog)
	// The log truncated and regrown without the record, signed with the
	// real key: the new checkpoint does not hold it.
	cut := newPledgeLog(t, origin)
	cut.skey, cut.vkey = l.skey, l.vkey
	for _, r := range l.records[:4] {
		cut.add(t, r)
	}
	_, err = signlog.VerifyPledgeBundle(good, keys, cut.checkpoint(t, 4, l.skey), netra.PledgeClaim{})
	wantReason(t, "truncated log", err, signlog.NotInLog)
	for _, r := range l.records[5:] {
		cut.add(t, r)
	}
	cut.add(t, record(t, "65.71", 7, "198609262015051098"))
	_, err = signlog.VerifyPledgeBundle(good, keys, cut.checkpoint(t, 10, l.skey), netra.PledgeClaim{})
	wantReason(t, "rewritten log of the same size", err, signlog.NotInLog)
	// A checkpoint not signed by the government's key, or changed.
	wantReason(t, "checkpoint by another key", verify(mutate(func(b *netra.PledgeBundle) {
		b.Checkpoint = string(l.checkpoint(t, 10, forger.skey))
	})), signlog.BadCheckpoint)
	wantReason(t, "checkpoint changed", verify(mutate(func(b *netra.PledgeBundle) {
		b.Checkpoint = strings.Replace(b.Checkpoint, "\n10\n", "\n11\n", 1)
	})), signlog.BadCheckpoint)
	// Not a bundle at all.
	wantReason(t, "format", verify(mutate(func(b *netra.PledgeBundle) { b.Format = "x" })), signlog.Malformed)
	wantReason(t, "nil", verify(nil), signlog.Malformed)
	wantReason(t, "log name", verify(mutate(func(b *netra.PledgeBundle) { b.Log = "netra/pledge/65.72" })), signlog.Malformed)
	// A checkpoint copied with CRLF line ends still opens.
	if _, err := signlog.VerifyPledgeBundle(good, keys, []byte(strings.ReplaceAll(good.Checkpoint, "\n", "\r\n")), netra.PledgeClaim{}); err != nil {
		t.Errorf("CRLF checkpoint: %v", err)
	}
}

// bundleSignedBy returns b with its record signed by skey (and that key's id).
func (l *pledgeLog) bundleSignedBy(t *testing.T, b *netra.PledgeBundle, skey string) *netra.PledgeBundle {
	t.Helper()
	out := *b
	sig, keyID, err := signlog.SignData(skey, []byte(b.Record))
	if err != nil {
		t.Fatal(err)
	}
	out.Signature, out.KeyID = base64.StdEncoding.EncodeToString(sig), keyID
	return &out
}

// TestPledgeBundleAfterRotation: records signed by a retired key, and
// checkpoints signed by the new one, verify with both published keys.
func TestPledgeBundleAfterRotation(t *testing.T) {
	l := newPledgeLog(t, origin)
	l.add(t, record(t, "65.71", 7, "198609262015051001"))
	old := l.bundle(t, 0, l.skey)
	oldSkey, oldVkey := l.skey, l.vkey
	l.skey, l.vkey, _ = signlog.GenerateKey(origin)
	l.add(t, record(t, "65.71", 7, "198609262015051002"))
	renewed := l.bundle(t, 0, oldSkey) // the old record, the new checkpoint
	fresh := l.bundle(t, 1, l.skey)
	both := []string{oldVkey, l.vkey}
	for name, b := range map[string]*netra.PledgeBundle{"old": old, "old record, new checkpoint": renewed, "new": fresh} {
		if _, err := signlog.VerifyPledgeBundle(b, both, nil, netra.PledgeClaim{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := signlog.VerifyPledgeBundle(renewed, []string{l.vkey}, nil, netra.PledgeClaim{})
	wantReason(t, "old record without the old key", err, signlog.UnknownKey)
}

// TestRecordSignatureIsPlainEd25519: what docs/pledges.md promises an
// outsider without Go — the verifier key's base64 part is one algorithm
// byte (1, Ed25519) and the 32-byte public key; the signature is a plain
// 64-byte Ed25519 signature over the record's bytes; the key id is the
// key's name and hash as they stand in the key.
func TestRecordSignatureIsPlainEd25519(t *testing.T) {
	skey, vkey, err := signlog.GenerateKey(origin)
	if err != nil {
		t.Fatal(err)
	}
	rec := record(t, "65.71", 7, "198609262015051001")
	sig, keyID, err := signlog.SignData(skey, rec)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(vkey, "+", 3) // name+hash+base64, and base64 may hold a '+'
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 1 || len(sig) != ed25519.SignatureSize {
		t.Fatalf("key %q, signature of %d bytes", vkey, len(sig))
	}
	if !ed25519.Verify(ed25519.PublicKey(raw[1:]), rec, sig) {
		t.Fatal("not an Ed25519 signature over the record's bytes")
	}
	if keyID != parts[0]+"+"+parts[1] || keyID != signlog.KeyID(vkey) {
		t.Fatalf("key id %s for key %s", keyID, vkey)
	}
}
