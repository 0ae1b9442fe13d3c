// Package blob stores files (uploaded rosters, later evidence) by key, on
// local disk or, later, in S3-compatible object storage. Keys are generated
// by the caller and never come from user input.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// ErrNotFound is returned for a key that holds nothing.
var ErrNotFound = errors.New("blob: not found")

// Store keeps blobs.
type Store interface {
	// Put stores r under key, replacing any earlier blob, and returns the
	// number of bytes written. The blob is durable when Put returns.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Get opens the blob under key; the caller closes it.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// Open returns the store a URL names: "file:path/to/folder" (created if
// needed). "s3://bucket/prefix" is planned and refused for now with a clear
// message.
func Open(rawURL string) (Store, error) {
	switch {
	case strings.HasPrefix(rawURL, "file:"):
		return OpenDisk(strings.TrimPrefix(strings.TrimPrefix(rawURL, "file:"), "//"))
	case strings.HasPrefix(rawURL, "s3:"):
		return nil, fmt.Errorf("blob: S3 storage (%s) is not available in this version yet; use file:PATH", rawURL)
	}
	return nil, fmt.Errorf("blob: unsupported blob URL %q: want file:PATH", rawURL)
}

// Disk stores blobs as files in one folder, through os.Root so that no key
// can reach outside it.
type Disk struct {
	root *os.Root
}

// OpenDisk opens (creating if needed) a folder of blobs.
func OpenDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("blob: disk store needs a folder")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Disk{root: r}, nil
}

func checkKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || path.Clean(key) != key || strings.Contains(key, "..") {
		return fmt.Errorf("blob: invalid key %q", key)
	}
	return nil
}

// Put writes to a temporary file, syncs it and renames it into place, so a
// crash leaves either the old blob or the whole new one.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	if dir := path.Dir(key); dir != "." {
		if err := d.root.MkdirAll(dir, 0o700); err != nil {
			return 0, fmt.Errorf("blob: %w", err)
		}
	}
	tmp := key + ".tmp"
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("blob: %w", err)
	}
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.Rename(tmp, key)
	}
	if err != nil {
		_ = d.root.Remove(tmp)
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	return n, nil
}

// Get opens a blob.
func (d *Disk) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := d.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return f, nil
}

// Delete removes a blob.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := d.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
