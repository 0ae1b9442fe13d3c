package netra

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"time"
)

// AuditEntry is one row of the append-only audit log: a change, or a read of
// protected data. Entries are hash-chained, so altering, removing or
// reordering a row breaks the chain from that row on.
//
// Version 1 entries (written before keyed chaining) chain with plain
// SHA-256 (ComputeHash). Version 2 entries chain with HMAC-SHA256 under a
// key kept outside the database (KeyedHash), over keyed digests of the
// personal fields (AuditPersonalFields), so that someone who can write the
// database but lacks the key cannot recompute the chain, and a personal
// field can be redacted — blanked, its digest kept in Redacted — while the
// entry still verifies.
type AuditEntry struct {
	Seq        int64 // 1, 2, 3… without gaps
	At         time.Time
	ActorID    int64 // user id, 0 for the system or a token
	TokenID    int64
	ActorLabel string
	IP         string
	TenantID   int64
	Action     string // "employee.update", "unit.close", "employee.read"…
	ObjectType string
	ObjectID   string
	Summary    string // JSON: before/after of what changed, counts for bulk work
	PrevHash   string // hex
	Hash       string // hex
	Version    int    // 1: plain SHA-256 chain; 2: keyed chain over field digests
	// Redacted holds, for an entry whose personal fields were removed when
	// their retention ended, each removed field's keyed digest (hex) by
	// field name; for a version 1 entry, the key "v1" holds the keyed
	// attestation that the entry verified when it was redacted. Nil when
	// nothing was redacted.
	Redacted map[string]string
}

// The audit chain versions.
const (
	AuditV1 = 1
	AuditV2 = 2
)

// AuditPersonalFields are the fields that may identify a person and are
// removed when retention ends: the actor's label ("user:budi"), the client
// IP, and the summary (names, NIPs, before and after values). The actor and
// token ids stay: they are numbers whose meaning lives in the users table,
// with its own retention. No user agent is recorded at all.
var AuditPersonalFields = []string{"actor_label", "ip", "summary"}

// AuditKeys are the two keys of the keyed chain, derived from the master
// key outside the database: Field keys the digests of personal fields (so a
// redacted IP cannot be found by hashing every address), Chain the entry
// hash itself.
type AuditKeys struct {
	Field, Chain []byte
}

// personal returns the value of a personal field.
func (e *AuditEntry) personal(field string) string {
	switch field {
	case "actor_label":
		return e.ActorLabel
	case "ip":
		return e.IP
	case "summary":
		return e.Summary
	}
	panic("netra: not a personal audit field: " + field)
}

// FieldDigest returns the keyed digest (hex) of a personal field: the one
// kept in Redacted once the field is removed, else computed from its value.
func (e *AuditEntry) FieldDigest(k AuditKeys, field string) string {
	if d, ok := e.Redacted[field]; ok {
		return d
	}
	m := hmac.New(sha256.New, k.Field)
	writeStr(m, "netra-audit-field")
	writeStr(m, field)
	writeStr(m, e.personal(field))
	return hex.EncodeToString(m.Sum(nil))
}

// KeyedHash returns the version 2 hash (hex) of the entry chained onto
// PrevHash: HMAC-SHA256 under k.Chain over the entry's fields, the
// personal ones by their digests.
func (e *AuditEntry) KeyedHash(k AuditKeys) string {
	m := hmac.New(sha256.New, k.Chain)
	writeStr(m, "netra-audit-v2")
	writeStr(m, e.PrevHash)
	writeNum(m, e.Seq)
	writeNum(m, e.At.UnixMilli())
	writeNum(m, e.ActorID)
	writeNum(m, e.TokenID)
	writeStr(m, e.FieldDigest(k, "actor_label"))
	writeStr(m, e.FieldDigest(k, "ip"))
	writeNum(m, e.TenantID)
	writeStr(m, e.Action)
	writeStr(m, e.ObjectType)
	writeStr(m, e.ObjectID)
	writeStr(m, e.FieldDigest(k, "summary"))
	return hex.EncodeToString(m.Sum(nil))
}

// V1Attestation returns the keyed attestation a redaction stores for a
// version 1 entry, whose plain hash cannot be recomputed once a field is
// gone: it binds the entry's sequence number and hash under the field key.
func (e *AuditEntry) V1Attestation(k AuditKeys) string {
	m := hmac.New(sha256.New, k.Field)
	writeStr(m, "netra-audit-v1-redacted")
	writeNum(m, e.Seq)
	writeStr(m, e.Hash)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether the entry's hash is right by its version's rule
// (its link to the previous entry is the caller's to check).
func (e *AuditEntry) Verify(k AuditKeys) bool {
	switch {
	case e.Version == AuditV2:
		return hmac.Equal([]byte(e.KeyedHash(k)), []byte(e.Hash))
	case e.Version <= AuditV1 && e.Redacted != nil:
		return hmac.Equal([]byte(e.V1Attestation(k)), []byte(e.Redacted["v1"]))
	case e.Version <= AuditV1:
		return e.ComputeHash() == e.Hash
	}
	return false
}

func writeNum(h hash.Hash, n int64) {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(n))
	h.Write(buf[:])
}

func writeStr(h hash.Hash, s string) {
	writeNum(h, int64(len(s)))
	h.Write([]byte(s))
}

// ComputeHash returns the version 1 hash: the hex SHA-256 of the entry
// chained onto PrevHash, each field length-prefixed so no two entries encode
// alike. Anyone can recompute it, which is why new entries use KeyedHash.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	var buf [8]byte
	num := func(n int64) {
		binary.BigEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	str("netra-audit-v1")
	str(e.PrevHash)
	num(e.Seq)
	num(e.At.UnixMilli())
	num(e.ActorID)
	num(e.TokenID)
	str(e.ActorLabel)
	str(e.IP)
	num(e.TenantID)
	str(e.Action)
	str(e.ObjectType)
	str(e.ObjectID)
	str(e.Summary)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries; zero values are ignored.
type AuditFilter struct {
	TenantID   int64
	ActorID    int64
	Action     string // exact, or a prefix ending in "." ("employee.")
	ObjectType string
	ObjectID   string
	From, To   time.Time
	BeforeSeq  int64 // keyset pagination: entries with Seq < BeforeSeq
	Limit      int
}

// ChainProblem describes the first place where the audit chain breaks.
type ChainProblem struct {
	Seq int64 // the first entry that does not verify
	// Reason is "altered", "removed", "reordered" (the chain), "tree" (the
	// Merkle tree in the database does not match the entries), "truncated"
	// or "rewritten" (the log disagrees with a published checkpoint).
	Reason string
	Detail string
}
