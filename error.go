package netra

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error kinds. Wrap them with fmt.Errorf("...: %w", ErrX) and test with
// errors.Is; the web layer maps each kind to one HTTP status.
var (
	// ErrNotFound means the object does not exist or is outside the caller's scope.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write collides with existing data (a duplicate code, a
	// unit that still has employees, a stale update).
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the caller is known but lacks the permission or the scope.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means no valid session or token was presented.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// Message is a user-facing message in both interface languages.
type Message struct {
	ID string // Indonesian, the default
	EN string // English
}

// In returns the message in lang ("id" or "en"); anything else gets Indonesian.
func (m Message) In(lang string) string {
	if lang == "en" && m.EN != "" {
		return m.EN
	}
	return m.ID
}

// Msg builds a Message from its Indonesian and English texts.
func Msg(id, en string) Message { return Message{ID: id, EN: en} }

// ValidationError reports what is wrong with user input, field by field, in
// both languages. The zero value has no problems; use Add and then Err.
type ValidationError struct {
	Fields map[string]Message
}

// Add records a problem with field; the first problem of a field wins.
func (v *ValidationError) Add(field string, m Message) {
	if v.Fields == nil {
		v.Fields = make(map[string]Message)
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = m
	}
}

// Text records a problem with field when its value is text that no way in
// accepts (see CheckText); it reports whether the text was fine.
func (v *ValidationError) Text(field, value string, max int, multiline bool) bool {
	if m := CheckText(value, max, multiline); m != nil {
		v.Add(field, *m)
		return false
	}
	return true
}

// Err returns v as an error when it holds any problem, and nil otherwise.
func (v *ValidationError) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Error lists the fields and their English messages in a stable order.
func (v *ValidationError) Error() string {
	keys := make([]string, 0, len(v.Fields))
	for k := range v.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %s", k, v.Fields[k].EN))
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Invalid returns a ValidationError with a single field problem.
func Invalid(field string, m Message) error {
	var v ValidationError
	v.Add(field, m)
	return &v
}

// AsValidation returns the ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// UserError is an error whose text is meant for the user, in both languages,
// with an underlying kind (ErrConflict, ErrForbidden…) for the status code.
type UserError struct {
	Kind error
	Msg  Message
}

func (e *UserError) Error() string { return e.Msg.EN }
func (e *UserError) Unwrap() error { return e.Kind }

// Userf returns a UserError of the given kind.
func Userf(kind error, id, en string) error { return &UserError{Kind: kind, Msg: Msg(id, en)} }
