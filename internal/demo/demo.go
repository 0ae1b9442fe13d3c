// Package demo loads a believable demonstration installation: the national
// tenant, Provinsi Kalimantan Tengah with Kota Palangka Raya, Provinsi
// Kalimantan Utara with Kota Tarakan, their organisation trees with real
// kecamatan and kelurahan, about 9,000 synthetic ASN (6,000 of them in
// Palangka Raya, none sharing an identifier with another government)
// imported through the ordinary roster import, one user for every role, and
// the preventive measures at work in Palangka Raya: a pledge campaign for
// Pilkada 2024, launched and signed by about 60% of its employees (see
// pledge.go). Loading it again changes nothing.
package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/synth"
	"github.com/netra-id/netra/internal/wilayah"
)

// Password is the password of every demo account. It is printed when the
// demo is loaded; the demo is for trying Netra out, never for production.
const Password = "netra-demo-2026"

// government is one demo tenant and the size of its synthetic roster.
type government struct {
	code, name string
	employees  int
}

// governments lists the demo tenants. Kota Palangka Raya has about the
// 6,000 ASN a city of its size employs; the others are kept smaller so that
// the demo loads quickly, and the provinces' children give the overseeing
// views something to show.
var governments = []government{
	{"00", "Pemerintah Pusat", 0},
	{"62", "Provinsi Kalimantan Tengah", 1200},
	{"62.71", "Kota Palangka Raya", 6000},
	{"65", "Provinsi Kalimantan Utara", 0},
	{"65.71", "Kota Tarakan", 1800},
}

// Seed is the seed of the demo's synthetic rosters.
const Seed = 2024

// vacancies is how many head posts each demo government leaves empty (the
// last kelurahan or UPT of its tree), so that vacant posts can be seen.
const vacancies = 2

// Account is a demo user.
type Account struct {
	Username string
	Name     string
	Role     netra.Role
	Tenant   string // tenant code; "" for the super admin
	Unit     string // unit code limiting the grant, or ""
	What     string // what the account is for, in Indonesian
}

// Accounts lists the demo users, one for every staff role and a unit-scoped
// operator.
var Accounts = []Account{
	{"superadmin", "Super Admin Netra", netra.RoleSuperAdmin, "", "", "mengelola seluruh instalasi"},
	{"admin.kalteng", "Operator BKD Provinsi Kalimantan Tengah", netra.RoleTenantAdmin, "62", "", "admin provinsi: melihat kota/kabupaten di bawahnya"},
	{"admin.palangkaraya", "Operator BKPSDM Kota Palangka Raya", netra.RoleTenantAdmin, "62.71", "", "admin BKPSDM kota"},
	{"admin.disdik", "Operator Dinas Pendidikan", netra.RoleTenantAdmin, "62.71", "DISDIK", "admin yang hanya mengelola Dinas Pendidikan"},
	{"verifikator.palangkaraya", "Verifikator Inspektorat", netra.RoleVerifier, "62.71", "", "verifikator Inspektorat/Satgas"},
	{"pimpinan.palangkaraya", "Sekretaris Daerah Kota Palangka Raya", netra.RoleLeader, "62.71", "", "pimpinan (PPK/Sekda)"},
	{"auditor.palangkaraya", "Auditor Internal", netra.RoleAuditor, "62.71", "", "auditor: membaca log audit"},
	{"admin.tarakan", "Operator BKPSDM Kota Tarakan", netra.RoleTenantAdmin, "65.71", "", "admin BKPSDM Kota Tarakan"},
}

// TOTPSecret returns the fixed TOTP secret of a demo account, so that the
// demo can be signed into without enrolling an authenticator first
// (go run ./cmd/netra demo code USERNAME prints the current code).
func TOTPSecret(username string) string {
	sum := sha256.Sum256([]byte("netra-demo-totp:" + username))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])
}

// IsAccount reports whether username is a demo account.
func IsAccount(username string) bool {
	for _, a := range Accounts {
		if a.Username == username {
			return true
		}
	}
	return false
}

// Result says what Load did and how to sign in.
type Result struct {
	Created     bool   // false when everything was already there
	EmployeeNIP string // an employee who can sign in with the e-mailed code
	Employees   int
	// Pledges is what the pledge campaign's loading did; nil when it was
	// already there.
	Pledges *PledgeResult
}

// Load creates what is missing of the demo installation.
func Load(ctx context.Context, s *store.Store, runner *imports.Runner, log io.Writer) (*Result, error) {
	ctx = netra.WithActor(ctx, netra.System("demo"))
	w, err := wilayah.Load()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	// One generator for every government, and every roster generated in
	// the same order whether or not it is imported, so that no two
	// governments share an NIP or NIK and a partial earlier load gets the
	// same people as a full one.
	gen := synth.NewGenerator(Seed, synth.DefaultNow(), w)
	for _, g := range governments {
		t, err := s.TenantByCode(ctx, g.code)
		if errors.Is(err, netra.ErrNotFound) {
			t = &netra.Tenant{Code: g.code, Name: g.name}
			if err := s.CreateTenant(ctx, t); err != nil {
				return nil, fmt.Errorf("demo: tenant %s: %w", g.code, err)
			}
			res.Created = true
		} else if err != nil {
			return nil, err
		}
		area, ok := w.Lookup(g.code)
		if !ok {
			area = wilayah.Area{Code: g.code, Name: g.name}
		}
		created, err := ensureUnits(ctx, s, t, synth.UnitTree(area, w))
		if err != nil {
			return nil, err
		}
		res.Created = res.Created || created
		if g.employees == 0 {
			continue
		}
		n, _, err := s.CountEmployees(ctx, netra.EmployeeFilter{TenantID: t.ID})
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		var out io.Writer = &buf
		if n > 0 {
			out = io.Discard // generated all the same, to keep the identifiers of the next ones
		}
		opts := synth.GenOptions{Employees: g.employees, Governments: []string{g.code}, Data: w, Generator: gen,
			ASNOnly: true, Vacant: vacancies, Extras: true}
		if _, err := synth.Generate(out, opts); err != nil {
			return nil, fmt.Errorf("demo: roster %s: %w", g.code, err)
		}
		if n > 0 {
			res.Employees += n
			continue
		}
		im, err := runner.ImportFile(ctx, t.ID, "demo-"+g.code+".csv", &buf)
		if err != nil {
			return nil, fmt.Errorf("demo: import %s: %w", g.code, err)
		}
		fmt.Fprintf(log, "demo: %s: %d pegawai diimpor (%d ditolak)\n", g.name, im.Inserted, im.Rejected)
		res.Employees += int(im.Inserted)
		res.Created = true
	}
	created, err := ensureAccounts(ctx, s)
	if err != nil {
		return nil, err
	}
	res.Created = res.Created || created
	city, err := s.TenantByCode(ctx, "62.71")
	if err != nil {
		return nil, err
	}
	page, err := s.Employees(ctx, netra.EmployeeFilter{TenantID: city.ID, Status: netra.StatusActive, Limit: 50})
	if err != nil {
		return nil, err
	}
	for _, e := range page.Employees {
		if e.Email != "" {
			res.EmployeeNIP = e.NIP
			break
		}
	}
	// The employee the visitor signs in as is left to sign the pledge.
	if res.Pledges, err = ensurePledges(ctx, s, runner.Blobs, res.EmployeeNIP, log); err != nil {
		return nil, err
	}
	res.Created = res.Created || res.Pledges != nil
	return res, nil
}

// ensureUnits creates the units of a tree that do not exist yet.
func ensureUnits(ctx context.Context, s *store.Store, t *netra.Tenant, specs []synth.UnitSpec) (bool, error) {
	n, err := s.CreateUnitTree(ctx, t.ID, Seeds(specs))
	if err != nil {
		return false, fmt.Errorf("demo: units of %s: %w", t.Code, err)
	}
	return n > 0, nil
}

// Seeds turns generated unit specifications into the store's unit seeds.
func Seeds(specs []synth.UnitSpec) []store.UnitSeed {
	seeds := make([]store.UnitSeed, len(specs))
	for i, sp := range specs {
		seeds[i] = store.UnitSeed{ParentCode: sp.ParentCode, Unit: netra.OrgUnit{Type: sp.Type, Code: sp.Code, Name: sp.Name,
			RegionCode: sp.RegionCode, HeadPosition: sp.HeadPosition}}
	}
	return seeds
}

func ensureAccounts(ctx context.Context, s *store.Store) (bool, error) {
	created := false
	var hash string
	for _, a := range Accounts {
		if _, err := s.LoginUser(ctx, a.Username); err == nil {
			continue
		} else if !errors.Is(err, netra.ErrNotFound) {
			return false, err
		}
		if hash == "" {
			var err error
			if hash, err = auth.DefaultHasher().Hash(ctx, Password); err != nil {
				return false, err
			}
		}
		var tenantID, unitID int64
		if a.Tenant != "" {
			t, err := s.TenantByCode(ctx, a.Tenant)
			if err != nil {
				return false, err
			}
			tenantID = t.ID
			if a.Unit != "" {
				un, err := s.UnitByCode(ctx, t.ID, a.Unit)
				if err != nil {
					return false, fmt.Errorf("demo: unit %s: %w", a.Unit, err)
				}
				unitID = un.ID
			}
		}
		u := &netra.User{Username: a.Username, Name: a.Name, Email: strings.ReplaceAll(a.Username, ".", "-") + "@demo.netra.go.id",
			PasswordHash: hash, Grants: []netra.Grant{{Role: a.Role, TenantID: tenantID, UnitID: unitID}}}
		if err := s.CreateUser(ctx, u); err != nil {
			return false, fmt.Errorf("demo: user %s: %w", a.Username, err)
		}
		secret, enabled := TOTPSecret(a.Username), true
		if err := s.UpdateUser(ctx, u.ID, store.UserUpdate{TOTPSecret: &secret, TOTPEnabled: &enabled}, "user.totp_enrol"); err != nil {
			return false, err
		}
		created = true
	}
	return created, nil
}
