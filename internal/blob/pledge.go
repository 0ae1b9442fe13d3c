package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path"
	"strings"
	"time"
)

// PledgeScanKey returns a new key for the scan of a signed paper pledge or
// the photo of a signing ceremony: "pledges/2024/07/04/<random>.pdf", the
// extension taken from the uploaded file's name (lower case, letters and
// digits only) and never anything else of it.
func PledgeScanKey(at time.Time, filename string) string {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	ext := strings.ToLower(path.Ext(path.Base(strings.ReplaceAll(filename, `\`, "/"))))
	if len(ext) > 6 || strings.Trim(ext[min(1, len(ext)):], "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		ext = ""
	}
	return "pledges/" + at.UTC().Format("2006/01/02") + "/" + hex.EncodeToString(rnd[:]) + ext
}

// PutHashed stores r under key, as Put does, and returns the number of
// bytes stored and their SHA-256 (hex): the hash a pledge's signed record
// states of its scan (store.RecordPaperPledge, store.RecordCeremony).
func PutHashed(ctx context.Context, s Store, key string, r io.Reader) (int64, string, error) {
	h := sha256.New()
	n, err := s.Put(ctx, key, io.TeeReader(r, h))
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
