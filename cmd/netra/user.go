package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

const userUsage = `Usage:
  netra user add --username U --name NAME [--email E] (--role R [--tenant CODE [--unit CODE]] | --no-role) [--password-stdin]
  netra user role --username U --role R [--tenant CODE] [--unit CODE] [--revoke]
  netra user password --username U [--password-stdin]
  netra user disable --username U
  netra user enable --username U
  netra user reset-totp --username U

Roles: super_admin, tenant_admin, verifier, leader, auditor. There is no
default role: add takes --role, or --no-role for an account that can do
nothing until a role is granted.
Without --password-stdin a random password is generated and printed once.
Every command also takes --data and --db.`

func cmdUser(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, userUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub := args[0]
	fs := newFlags("user "+sub, "user "+sub+" --username U …", stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, userUsage); fs.PrintDefaults() }
	st := storageFlags(fs, getenv)
	username := fs.String("username", "", "the user's sign-in name")
	name := fs.String("name", "", "full name (add)")
	email := fs.String("email", "", "e-mail address (add)")
	role := fs.String("role", "", "role to grant (add, role)")
	tenant := fs.String("tenant", "", "Kemendagri code of the government the role applies to")
	unit := fs.String("unit", "", "unit code limiting the role to a subtree")
	revoke := fs.Bool("revoke", false, "remove the role instead of granting it (role)")
	noRole := fs.Bool("no-role", false, "create the account without any role (add)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	switch sub {
	case "add", "role", "password", "disable", "enable", "reset-totp":
	default:
		fmt.Fprintf(stderr, "netra user: unknown subcommand %q\n%s\n", sub, userUsage)
		return errUsage
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" {
		fmt.Fprintln(stderr, "netra user: --username is required")
		return errUsage
	}
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx = netra.WithActor(ctx, netra.System("cli"))
	password := func() (string, bool, error) {
		if *pwStdin {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return "", false, err
			}
			return strings.TrimRight(line, "\r\n"), false, nil
		}
		return auth.RandomToken()[:20], true, nil
	}
	// target is the grant --role, --tenant and --unit name; resolve finds it
	// before anything is written, so that a mistyped role or code leaves no
	// half-made user behind.
	type target struct {
		role     netra.Role
		tid, uid int64
	}
	resolve := func() (target, error) {
		r := netra.Role(*role)
		if !r.Valid() || r == netra.RoleEmployee {
			return target{}, fmt.Errorf("unknown staff role %q", *role)
		}
		if r == netra.RoleSuperAdmin {
			return target{role: r}, nil // the whole installation
		}
		if *tenant == "" {
			return target{}, fmt.Errorf("role %s needs --tenant CODE", r)
		}
		t, err := s.TenantByCode(ctx, *tenant)
		if err != nil {
			return target{}, fmt.Errorf("tenant %s: %w", *tenant, err)
		}
		tg := target{role: r, tid: t.ID}
		if *unit != "" {
			un, err := s.UnitByCode(ctx, t.ID, *unit)
			if err != nil {
				return target{}, fmt.Errorf("unit %s: %w", *unit, err)
			}
			tg.uid = un.ID
		}
		return tg, nil
	}
	grant := func(u *netra.User, tg target) error {
		if *revoke {
			for _, g := range u.Grants {
				if g.Role == tg.role && g.TenantID == tg.tid && g.UnitID == tg.uid {
					return s.Revoke(ctx, g.ID)
				}
			}
			return fmt.Errorf("%s does not hold %s there", u.Username, tg.role)
		}
		return s.Grant(ctx, u.ID, tg.role, tg.tid, tg.uid)
	}
	if sub == "add" {
		// Least privilege, said outright: no role unless one is named.
		switch {
		case *role == "" && !*noRole:
			return errors.New("netra user add: choose a role with --role R --tenant CODE, or --no-role for an account without one")
		case *role != "" && *noRole:
			return errors.New("netra user add: --role and --no-role exclude each other")
		}
		var tg target
		if *role != "" {
			if tg, err = resolve(); err != nil {
				return err
			}
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := netra.ValidatePassword(pw, *username); err != nil {
			return err
		}
		hash, err := auth.DefaultHasher().Hash(ctx, pw)
		if err != nil {
			return err
		}
		// The operator chose or saw the password: the user replaces it first.
		u := &netra.User{Username: *username, Name: *name, Email: *email, PasswordHash: hash, MustChangePassword: true}
		if *role != "" {
			u.Grants = []netra.Grant{{Role: tg.role, TenantID: tg.tid, UnitID: tg.uid}}
		}
		if err := s.CreateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s created", u.Username)
		if generated {
			fmt.Fprintf(stdout, " with password %s (shown once; the user sets up TOTP at first sign-in)", pw)
		}
		fmt.Fprintln(stdout)
		return nil
	}
	u, err := s.LoginUser(ctx, *username)
	if err != nil {
		return fmt.Errorf("user %s: %w", *username, err)
	}
	switch sub {
	case "role":
		tg, err := resolve()
		if err != nil {
			return err
		}
		if err := grant(u, tg); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "roles of %s updated\n", u.Username)
	case "password":
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if err := netra.ValidatePassword(pw, u.Username); err != nil {
			return err
		}
		hash, err := auth.DefaultHasher().Hash(ctx, pw)
		if err != nil {
			return err
		}
		zero, must := 0, true
		var unlocked time.Time
		if err := s.UpdateUser(ctx, u.ID, store.UserUpdate{PasswordHash: &hash, FailedLogins: &zero, LockedUntil: &unlocked,
			MustChangePassword: &must}, "user.password_reset"); err != nil {
			return err
		}
		if _, err := s.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s reset", u.Username)
		if generated {
			fmt.Fprintf(stdout, " to %s (shown once)", pw)
		}
		fmt.Fprintln(stdout, "; all sessions ended")
		fmt.Fprintln(stderr, "The user must change it at the next sign-in.")
	case "disable", "enable":
		d := sub == "disable"
		if err := s.UpdateUser(ctx, u.ID, store.UserUpdate{Disabled: &d}, "user."+sub); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s %sd\n", u.Username, sub)
	case "reset-totp":
		empty, off := "", false
		if err := s.UpdateUser(ctx, u.ID, store.UserUpdate{TOTPSecret: &empty, TOTPEnabled: &off}, "user.totp_reset"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "TOTP of %s reset: the user enrols again at the next sign-in\n", u.Username)
	}
	return nil
}
