package netra

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// User is someone who signs in: staff with a password and a TOTP second
// factor, or an employee who signs in with their NIP and a code sent by
// e-mail (EmployeeID set, no password).
type User struct {
	ID           int64
	Username     string
	Name         string
	Email        string
	EmployeeID   int64
	PasswordHash string
	TOTPSecret   string
	TOTPEnabled  bool
	TOTPLastStep int64
	DisabledAt   time.Time
	FailedLogins int
	LockedUntil  time.Time
	// MustChangePassword is set when an administrator chose the password:
	// the user changes it at the next sign-in before doing anything else.
	MustChangePassword bool
	CreatedAt          time.Time
	Grants             []Grant
}

// Disabled reports whether the account has been disabled.
func (u *User) Disabled() bool { return !u.DisabledAt.IsZero() }

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// Validate checks the user's name, username and e-mail.
func (u *User) Validate() error {
	var v ValidationError
	// Every way in (page, API, import) comes through here: no NUL, control
	// characters or invalid UTF-8; line breaks in names become spaces below.
	v.Text("username", u.Username, 256, false)
	v.Text("name", u.Name, 600, true)
	v.Text("email", u.Email, 254, false)
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if !usernameRe.MatchString(u.Username) {
		v.Add("username", Msg("Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah atau strip.", "The username has 3–64 characters: lower-case letters, digits, dots, underscores or dashes."))
	}
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 150 {
		v.Add("name", Msg("Nama wajib diisi (paling panjang 150 karakter).", "The name is required (at most 150 characters)."))
	}
	if u.Email != "" && (!strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " <>")) {
		v.Add("email", Msg("Alamat e-mail tidak sah.", "Invalid e-mail address."))
	}
	return v.Err()
}

// ValidatePassword checks a new password: at least 12 characters, and not
// the username.
func ValidatePassword(pw, username string) error {
	switch {
	case utf8.RuneCountInString(pw) < 12:
		return Invalid("password", Msg("Kata sandi paling sedikit 12 karakter.", "The password needs at least 12 characters."))
	case len(pw) > 1024:
		return Invalid("password", Msg("Kata sandi terlalu panjang.", "The password is too long."))
	case strings.EqualFold(pw, username):
		return Invalid("password", Msg("Kata sandi tidak boleh sama dengan nama pengguna.", "The password cannot be the username."))
	}
	return nil
}
