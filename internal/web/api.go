package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// The JSON API: snake_case fields, times in RFC 3339 UTC, keyset cursors,
// RFC 9457 problem bodies for errors (see errors.go). openapi.json
// describes every route; a test keeps the two in step.

//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the OpenAPI document.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc)
	return err
}

// maxJSONBytes bounds an API request body.
const maxJSONBytes = 1 << 20

// decodeJSON reads a request body into v, refusing unknown fields so that
// a misspelt field is an error rather than silently ignored.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return errBadRequest("Badan permintaan bukan JSON yang sah: "+err.Error(), "The request body is not valid JSON: "+err.Error())
	}
	if dec.More() {
		return errBadRequest("Badan permintaan memuat lebih dari satu nilai JSON.", "The request body holds more than one JSON value.")
	}
	return nil
}

// ts formats a time as RFC 3339 in UTC.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// optTS formats an optional time; the zero time is null.
func optTS(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ts(t)
	return &s
}

// optID is null for 0.
func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func created(w http.ResponseWriter, location string, v any) error {
	w.Header().Set("Location", location)
	return writeJSON(w, http.StatusCreated, v)
}

type list[T any] struct {
	Items []T `json:"items"`
}
