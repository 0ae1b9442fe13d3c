package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/netra-id/netra"
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
		return jsonProblem(err)
	}
	if dec.More() {
		return errBadRequest("Badan permintaan memuat lebih dari satu nilai JSON.", "The request body holds more than one JSON value.")
	}
	return nil
}

// jsonProblem turns a decoding error into a message in the caller's
// language that names the field, never Go's own text: a value of the wrong
// type or an unknown field is a field error (422), broken JSON a 400.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return netra.Invalid(field, netra.Msg("Nilai "+field+" bertipe salah: seharusnya "+jsonKind(te.Type.Kind().String())+".",
			"The value of "+field+" has the wrong type: it should be "+jsonKind(te.Type.Kind().String())+"."))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return netra.Invalid(field, netra.Msg("Kolom "+field+" tidak dikenal.", "Unknown field "+field+"."))
	case errors.As(err, &se):
		return errBadRequest(fmt.Sprintf("Badan permintaan bukan JSON yang sah (rusak pada byte %d).", se.Offset),
			fmt.Sprintf("The request body is not valid JSON (broken at byte %d).", se.Offset))
	case errors.Is(err, io.EOF):
		return errBadRequest("Badan permintaan kosong: kirim objek JSON.", "The request body is empty: send a JSON object.")
	}
	return errBadRequest("Badan permintaan bukan JSON yang sah (terpotong).", "The request body is not valid JSON (cut short).")
}

// jsonKind names a Go kind as a JSON type.
func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "number"
	case k == "bool":
		return "true/false"
	case k == "slice", k == "array":
		return "array"
	case k == "struct", k == "map":
		return "object"
	}
	return "string"
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
