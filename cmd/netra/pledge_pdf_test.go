package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store/storetest"
	"github.com/netra-id/netra/internal/web"
)

// TestPledgeVerifyPDF: netra pledge verify --pdf reads the bundle out of
// a certificate as the web server prints it and checks it offline; a
// certificate whose bundle was altered, a PDF without a bundle and a file
// that is not a PDF are each refused with their reason.
func TestPledgeVerifyPDF(t *testing.T) {
	s := storetest.Engines(t)[0].Open(t)
	now := time.Date(2024, 9, 10, 3, 0, 0, 0, time.UTC)
	s.SetClock(netra.NewManualClock(now))
	sys := netra.WithActor(context.Background(), netra.System("test"))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	city := &netra.Tenant{Code: "65.71", Name: "Kota Tarakan"}
	must(s.CreateTenant(sys, &netra.Tenant{Code: "00", Name: "Pemerintah Pusat"}))
	must(s.CreateTenant(sys, &netra.Tenant{Code: "65", Name: "Provinsi Kalimantan Utara"}))
	must(s.CreateTenant(sys, city))
	unit := &netra.OrgUnit{TenantID: city.ID, Code: "SETDA", Name: "Sekretariat Daerah", Type: netra.UnitSekretariat}
	must(s.CreateUnit(sys, unit))
	tpls, err := s.InstallShippedPledges(sys, city.ID)
	must(err)
	c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[0].ID, TemplateVersion: 1, ElectionID: 1, Title: "Ikrar Pilkada 2024",
		Opens: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2024, 11, 27, 0, 0, 0, 0, time.UTC)}
	must(s.CreatePledgeCampaign(sys, c))
	_, err = s.LaunchPledgeCampaign(sys, c.ID)
	must(err)
	e := &netra.Employee{NIP: "198609262015051001", Name: "Budi Santoso", Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: unit.ID}
	must(s.CreateEmployee(sys, e))
	ctx := netra.WithActor(context.Background(), &netra.Actor{UserID: 100, EmployeeID: e.ID,
		Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID, TenantPath: city.Path()}}})
	sig, err := s.SignPledge(ctx, c.ID, "Budi Santoso")
	must(err)
	keys, err := s.LogVerifierKeys(context.Background(), netra.PledgeLogName("65.71"))
	must(err)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		must(os.WriteFile(p, b, 0o600))
		return p
	}
	keyFile := write("key.vkey", []byte(strings.Join(keys, "\n")+"\n"))
	printCert := func(change func(*netra.PledgeBundle)) []byte {
		cert, err := s.PledgeCertificate(sys, sig.ID)
		must(err)
		if change != nil {
			b := *cert.Bundle
			change(&b)
			cert.Bundle = &b
		}
		var buf bytes.Buffer
		must(web.WritePledgeCertificate(&buf, cert, "https://netra.tarakankota.go.id", now))
		return buf.Bytes()
	}
	code := netra.FormatPledgeCode(sig.Code)
	certFile := write("sertifikat.pdf", printCert(nil))

	out, _ := mustRun(t, "pledge", "verify", "--pdf", certFile, "--key", keyFile, "--nip", e.NIP, "--code", code)
	for _, want := range []string{"PLEDGE VALID", code, "Budi Santoso, NIP 198609262015051001", "https://netra.tarakankota.go.id/v/" + code} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var plain bytes.Buffer
	must(pdf.WriteCertificate(&plain, pdf.SampleCertificate()))
	for name, tc := range map[string]struct {
		file   string
		reason signlog.Reason
		detail string
	}{
		"altered": {write("altered.pdf", printCert(func(b *netra.PledgeBundle) {
			b.Record = strings.Replace(b.Record, "Budi Santoso", "Budi Santosa", 1)
		})), signlog.Altered, "it was changed"},
		"no bundle":    {write("plain.pdf", plain.Bytes()), signlog.Malformed, "holds no pledge bundle"},
		"not a PDF":    {write("photo.pdf", []byte("\x89PNG\r\n\x1a\n....")), signlog.Malformed, "not a PDF"},
		"another code": {certFile, signlog.Replayed, "code"},
	} {
		args := []string{"pledge", "verify", "--pdf", tc.file, "--key", keyFile}
		if name == "another code" {
			args = append(args, "--code", "ABCD-EFGH-JK")
		}
		out, _, err := cmdline{}.run(t, args...)
		if !errors.Is(err, errPledgeInvalid) || !strings.HasPrefix(out, "PLEDGE INVALID ("+string(tc.reason)+")") || !strings.Contains(out, tc.detail) {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
	}
	for _, args := range [][]string{{"pledge", "verify", "--pdf", certFile}, {"pledge", "verify", "--pdf", certFile, "--bundle", certFile, "--key", keyFile}} {
		if _, errOut, err := (cmdline{}).run(t, args...); !errors.Is(err, errUsage) || errOut == "" {
			t.Errorf("netra %s: %v", strings.Join(args, " "), err)
		}
	}
}
