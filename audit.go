package netra

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// AuditEntry is one row of the append-only audit log: a change, or a read of
// protected data. Entries are hash-chained: Hash = SHA-256 over PrevHash and
// the entry's canonical encoding, so altering, removing or reordering a row
// breaks the chain from that row on.
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
}

// ComputeHash returns the hex SHA-256 of the entry chained onto PrevHash.
// Each field is length-prefixed so no two entries encode alike.
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
	Seq    int64  // the first entry that does not verify
	Reason string // "altered", "removed", "reordered"
	Detail string
}
