package signlog

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Reason says why an entry of a log does not verify.
type Reason string

// The reasons, in the order VerifyEntry and VerifyPledgeBundle test them.
const (
	// Malformed: the bundle or its record cannot be read.
	Malformed Reason = "malformed"
	// Altered: the record does not hash to the hash it claims (a byte of it
	// was changed), or the code printed with it is not its code.
	Altered Reason = "altered"
	// UnknownKey: the record names a key that is not among the log's
	// published keys.
	UnknownKey Reason = "unknown-key"
	// Forged: the signature is not the named key's signature of the record.
	Forged Reason = "forged-signature"
	// BadCheckpoint: the checkpoint is not signed by one of the log's keys,
	// or is a checkpoint of another log.
	BadCheckpoint Reason = "checkpoint-signature"
	// NotInLog: the checkpoint's tree does not hold the record where the
	// proof says (the proof is for another tree, the log was truncated or
	// rewritten, or the record never was in it).
	NotInLog Reason = "not-in-log"
	// Replayed: the record is genuine and logged, but it is not the one
	// claimed (another government, campaign, signer or code).
	Replayed Reason = "replayed"
)

// Problem is why an entry does not verify: a Reason and a sentence.
type Problem struct {
	Reason Reason
	Detail string
}

func (p *Problem) Error() string { return string(p.Reason) + ": " + p.Detail }

func problem(r Reason, format string, a ...any) error {
	return &Problem{Reason: r, Detail: fmt.Sprintf(format, a...)}
}

// Entry is one signed record of a log as a verifier receives it: the
// record, the leaf hash it claims, its signature and key, and its proof of
// inclusion at Index.
type Entry struct {
	Data      []byte
	Hash      Hash
	Signature []byte
	KeyID     string
	Index     int64
	Proof     tlog.RecordProof
}

// VerifyEntry checks a signed record of the log named origin with nothing
// but the log's verifier keys and a signed checkpoint: the record hashes to
// its claimed hash, its key is one of the log's keys, the signature is that
// key's, the checkpoint is signed by one of the log's keys, and the proof
// places the record at its index in the checkpoint's tree. It returns the
// checkpoint, or a *Problem saying exactly what failed.
func VerifyEntry(e Entry, origin string, vkeys []string, checkpoint []byte) (Checkpoint, error) {
	if got := RecordHash(e.Data); got != e.Hash {
		return Checkpoint{}, problem(Altered, "the record hashes to %s, not to its logged hash %s: it was changed", got, e.Hash)
	}
	var own []string
	key := ""
	for _, k := range vkeys {
		k = strings.TrimSpace(k)
		name, _, _ := strings.Cut(k, "+")
		if name != origin {
			continue
		}
		own = append(own, k)
		if KeyID(k) == e.KeyID {
			key = k
		}
	}
	if key == "" {
		return Checkpoint{}, problem(UnknownKey, "the record is signed by key %s, which is not a published key of %s", e.KeyID, origin)
	}
	ok, err := VerifyData(key, e.Data, e.Signature)
	if err != nil {
		return Checkpoint{}, problem(UnknownKey, "%v", err)
	}
	if !ok {
		return Checkpoint{}, problem(Forged, "the signature is not the signature of key %s over this record", e.KeyID)
	}
	c, _, err := Open(noteBytes(checkpoint), own...)
	if err != nil {
		return Checkpoint{}, problem(BadCheckpoint, "the checkpoint is not signed by a published key of %s (%v)", origin, err)
	}
	if c.Origin != origin {
		return Checkpoint{}, problem(BadCheckpoint, "the checkpoint is of log %s, not %s", c.Origin, origin)
	}
	if e.Index < 0 || e.Index >= c.Size {
		return c, problem(NotInLog, "the checkpoint of %s holds %d records; this one would be record %d", c.Time.Format("2006-01-02 15:04 UTC"), c.Size, e.Index+1)
	}
	if err := CheckInclusion(e.Proof, c.Size, c.Hash, e.Index, e.Hash); err != nil {
		return c, problem(NotInLog, "the proof does not place the record at position %d of the %d records of the checkpoint of %s (%v)",
			e.Index+1, c.Size, c.Time.Format("2006-01-02 15:04 UTC"), err)
	}
	return c, nil
}

// noteBytes gives a note copied from a file or a page the form note.Open
// takes: "\n" line breaks and one final line break.
func noteBytes(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return append(bytes.TrimSpace(b), '\n')
}
