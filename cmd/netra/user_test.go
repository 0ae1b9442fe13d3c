package main

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

// sys is a context acting as the system, for checks made straight on the store.
var sys = netra.WithActor(context.Background(), netra.System("test"))

// mustUser loads a user from the store.
func mustUser(t *testing.T, s *store.Store, username string) *netra.User {
	t.Helper()
	u, err := s.LoginUser(sys, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// userCount counts the staff users.
func userCount(t *testing.T, s *store.Store) int {
	t.Helper()
	us, err := s.Users(sys, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(us)
}

// roles lists a user's grants as "role@tenant" or "role@tenant/unitID".
func roles(u *netra.User) []string {
	var out []string
	for _, g := range u.Grants {
		r := string(g.Role) + "@" + g.TenantCode
		if g.UnitID != 0 {
			r += "/unit"
		}
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// checkPassword fails the test unless pw is (or, with want false, is not)
// the user's password.
func checkPassword(t *testing.T, u *netra.User, pw string, want bool) {
	t.Helper()
	ok, err := auth.DefaultHasher().Verify(context.Background(), u.PasswordHash, pw)
	if err != nil {
		t.Fatal(err)
	}
	if ok != want {
		t.Errorf("password %q of %s: verifies %v, want %v", pw, u.Username, ok, want)
	}
}

func TestUser(t *testing.T) {
	const pw1, pw2 = "a-long-password-123", "another-long-password-456"
	for name, p := range places(t) {
		t.Run(name, func(t *testing.T) {
			mustRun(t, p.args("demo")...)
			s := p.open(t)
			users := userCount(t, s)
			in := func(stdin string) cmdline { return cmdline{stdin: stdin} }

			out, _ := in(pw1+"\n").must(t, p.args("user", "add", "--username", "ops.x", "--name", "X", "--role", "tenant_admin", "--tenant", "62.71", "--password-stdin")...)
			if out != "user ops.x created\n" {
				t.Errorf("user add printed %q", out)
			}
			u := mustUser(t, s, "ops.x")
			if u.Name != "X" || u.DisabledAt != (time.Time{}) || u.TOTPEnabled {
				t.Errorf("user x = %+v", u)
			}
			if got := roles(u); !slices.Equal(got, []string{"tenant_admin@62.71"}) {
				t.Errorf("roles of x = %v", got)
			}
			checkPassword(t, u, pw1, true)
			if n := userCount(t, s); n != users+1 {
				t.Errorf("%d users after adding one to %d", n, users)
			}
			users++

			// Without --password-stdin a password is generated and shown once.
			out, _ = mustRun(t, p.args("user", "add", "--username", "ops.z", "--name", "Zed", "--role", "super_admin")...)
			m := regexp.MustCompile(`^user ops\.z created with password (\S+) \(shown once`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("user add without a password printed %q", out)
			}
			z := mustUser(t, s, "ops.z")
			checkPassword(t, z, m[1], true)
			if got := roles(z); !slices.Equal(got, []string{"super_admin@"}) {
				t.Errorf("roles of z = %v", got)
			}
			users++

			// --no-role, said outright, makes an account that can do nothing yet.
			mustRun(t, p.args("user", "add", "--username", "ops.n", "--name", "Nol", "--no-role")...)
			if got := roles(mustUser(t, s, "ops.n")); len(got) != 0 {
				t.Errorf("roles of n = %v", got)
			}
			users++

			mustRun(t, p.args("user", "role", "--username", "ops.x", "--role", "auditor", "--tenant", "62.71")...)
			mustRun(t, p.args("user", "role", "--username", "ops.x", "--role", "verifier", "--tenant", "62.71", "--unit", "DISDIK")...)
			mustRun(t, p.args("user", "role", "--username", "ops.x", "--role", "tenant_admin", "--tenant", "62.71", "--revoke")...)
			u = mustUser(t, s, "ops.x")
			if got := roles(u); !slices.Equal(got, []string{"auditor@62.71", "verifier@62.71/unit"}) {
				t.Errorf("roles of x after grant, grant and revoke = %v", got)
			}
			city, err := s.TenantByCode(sys, "62.71")
			if err != nil {
				t.Fatal(err)
			}
			disdik, err := s.UnitByCode(sys, city.ID, "DISDIK")
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range u.Grants {
				if g.Role == netra.RoleVerifier && g.UnitID != disdik.ID {
					t.Errorf("verifier grant on unit %d, want DISDIK (%d)", g.UnitID, disdik.ID)
				}
			}

			// A password reset clears the lock and ends every session.
			locked := time.Now().Add(time.Hour)
			three := 3
			if err := s.UpdateUser(sys, u.ID, store.UserUpdate{FailedLogins: &three, LockedUntil: &locked}, ""); err != nil {
				t.Fatal(err)
			}
			sess := &store.Session{TokenHash: auth.HashToken(auth.RandomToken()), UserID: u.ID, Stage: "full",
				CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
			if err := s.CreateSession(sys, sess); err != nil {
				t.Fatal(err)
			}
			out, _ = in(pw2+"\r\n").must(t, p.args("user", "password", "--username", "ops.x", "--password-stdin")...)
			if out != "password of ops.x reset; all sessions ended\n" {
				t.Errorf("user password printed %q", out)
			}
			u = mustUser(t, s, "ops.x")
			checkPassword(t, u, pw2, true)
			checkPassword(t, u, pw1, false)
			if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
				t.Errorf("after a reset: %d failed sign-ins, locked until %v", u.FailedLogins, u.LockedUntil)
			}
			if _, err := s.SessionByHash(sys, sess.TokenHash, time.Now()); !errors.Is(err, netra.ErrUnauthenticated) {
				t.Errorf("session after a password reset: %v, want it gone", err)
			}

			mustRun(t, p.args("user", "disable", "--username", "ops.x")...)
			if u = mustUser(t, s, "ops.x"); u.DisabledAt.IsZero() {
				t.Error("user x is not disabled")
			}
			mustRun(t, p.args("user", "enable", "--username", "ops.x")...)
			if u = mustUser(t, s, "ops.x"); !u.DisabledAt.IsZero() {
				t.Error("user x is still disabled")
			}

			secret, on := "JBSWY3DPEHPK3PXP", true
			if err := s.UpdateUser(sys, u.ID, store.UserUpdate{TOTPSecret: &secret, TOTPEnabled: &on}, ""); err != nil {
				t.Fatal(err)
			}
			mustRun(t, p.args("user", "reset-totp", "--username", "ops.x")...)
			if u = mustUser(t, s, "ops.x"); u.TOTPSecret != "" || u.TOTPEnabled {
				t.Errorf("after reset-totp: secret %q, enabled %v", u.TOTPSecret, u.TOTPEnabled)
			}

			// Mistakes change nothing.
			for _, tt := range []struct {
				stdin string
				args  []string
			}{
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "wizard", "--tenant", "62.71", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "employee", "--tenant", "62.71", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "tenant_admin", "--tenant", "99.99", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "tenant_admin", "--tenant", "62.71", "--unit", "NOPE", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "verifier", "--password-stdin"}},
				{"short", []string{"user", "add", "--username", "ops.y", "--name", "Y", "--no-role", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.x", "--name", "Another X", "--no-role", "--password-stdin"}},
				// No default role: a role, or --no-role said outright.
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--password-stdin"}},
				{pw1, []string{"user", "add", "--username", "ops.y", "--name", "Y", "--role", "auditor", "--tenant", "62.71", "--no-role", "--password-stdin"}},
				{"", []string{"user", "role", "--username", "ops.x", "--role", "wizard", "--tenant", "62.71"}},
				{"", []string{"user", "role", "--username", "ops.x", "--role", "leader", "--tenant", "99.99"}},
				{"", []string{"user", "role", "--username", "ops.x", "--role", "leader", "--tenant", "62.71", "--revoke"}},
				{"", []string{"user", "disable", "--username", "nobody"}},
				{"short", []string{"user", "password", "--username", "ops.x", "--password-stdin"}},
			} {
				before := mustUser(t, s, "ops.x")
				_, _, err := in(tt.stdin).run(t, p.args(tt.args...)...)
				if err == nil || errors.Is(err, errUsage) {
					t.Errorf("netra %s: err = %v, want an error", strings.Join(tt.args, " "), err)
				}
				if n := userCount(t, s); n != users {
					t.Errorf("netra %s: %d users, want %d", strings.Join(tt.args, " "), n, users)
				}
				if _, err := s.LoginUser(sys, "ops.y"); !errors.Is(err, netra.ErrNotFound) {
					t.Errorf("netra %s: user ops.y: %v, want not found", strings.Join(tt.args, " "), err)
				}
				after := mustUser(t, s, "ops.x")
				if after.Name != before.Name || after.PasswordHash != before.PasswordHash || !slices.Equal(roles(after), roles(before)) {
					t.Errorf("netra %s changed user x", strings.Join(tt.args, " "))
				}
			}

			entries, err := s.AuditEntries(sys, netra.AuditFilter{ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			for _, want := range []string{"user.create", "user.grant", "user.revoke", "user.password_reset", "user.disable", "user.enable", "user.totp_reset"} {
				if !slices.Contains(actions, want) {
					t.Errorf("no %s in the audit log of x (%v)", want, actions)
				}
			}
			out, _ = mustRun(t, p.args("audit", "verify")...)
			if !strings.HasPrefix(out, "audit log OK") {
				t.Errorf("audit verify after the user commands: %q", out)
			}
		})
	}
}
