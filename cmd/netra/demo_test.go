package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/store/storetest"
)

func TestDemo(t *testing.T) {
	p := placeOn(t, storetest.Engines(t)[0])
	out, _ := mustRun(t, p.args("demo")...)
	for _, want := range []string{"Kota Palangka Raya: ", "pegawai diimpor (0 ditolak)", demo.Password, "go run ./cmd/netra demo code USERNAME", "Pegawai (masuk dengan NIP"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, a := range demo.Accounts {
		if !strings.Contains(out, "  "+a.Username+" ") {
			t.Errorf("demo output does not list %s:\n%s", a.Username, out)
		}
	}
	s := p.open(t)
	users := userCount(t, s)
	if users != len(demo.Accounts) {
		t.Errorf("%d users after the demo, want %d", users, len(demo.Accounts))
	}
	verified, _ := mustRun(t, p.args("audit", "verify")...)

	// Loading it again changes nothing, not even the audit log.
	out, _ = mustRun(t, p.args("demo")...)
	if strings.Contains(out, "diimpor") {
		t.Errorf("the second demo imported again:\n%s", out)
	}
	if n := userCount(t, s); n != users {
		t.Errorf("%d users after the second demo, want %d", n, users)
	}
	if again, _ := mustRun(t, p.args("audit", "verify")...); again != verified {
		t.Errorf("the audit log changed: %q, then %q", verified, again)
	}

	out, _ = mustRun(t, "demo", "code", "admin.palangkaraya")
	if !regexp.MustCompile(`^\d{6}\n$`).MatchString(out) {
		t.Fatalf("demo code printed %q", out)
	}
	if _, ok := auth.CheckTOTP(demo.TOTPSecret("admin.palangkaraya"), strings.TrimSpace(out), time.Now(), 0); !ok {
		t.Errorf("demo code %s does not sign admin.palangkaraya in", out)
	}
}
