package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestPledgeVerifyOffline: a bundle from the store checks with nothing but
// files — the bundle, the published key, a checkpoint — and every change
// to it is reported with its reason and a non-zero exit.
func TestPledgeVerifyOffline(t *testing.T) {
	s := storetest.Engines(t)[0].Open(t)
	s.SetClock(netra.NewManualClock(time.Date(2024, 9, 10, 3, 0, 0, 0, time.UTC)))
	sys := netra.WithActor(context.Background(), netra.System("test"))
	city := &netra.Tenant{Code: "65.71", Name: "Kota Tarakan"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateTenant(sys, &netra.Tenant{Code: "00", Name: "Pemerintah Pusat"}))
	must(s.CreateTenant(sys, &netra.Tenant{Code: "65", Name: "Provinsi Kalimantan Utara"}))
	must(s.CreateTenant(sys, city))
	unit := &netra.OrgUnit{TenantID: city.ID, Code: "SETDA", Name: "Sekretariat Daerah", Type: netra.UnitSekretariat}
	must(s.CreateUnit(sys, unit))
	var sigs []*netra.PledgeSignature
	tpls, err := s.InstallShippedPledges(sys, city.ID)
	must(err)
	c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[0].ID, TemplateVersion: 1, ElectionID: 2, Title: "Ikrar Pilkada 2024",
		Opens: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2024, 11, 27, 0, 0, 0, 0, time.UTC)}
	must(s.CreatePledgeCampaign(sys, c))
	_, err = s.LaunchPledgeCampaign(sys, c.ID)
	must(err)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		must(os.WriteFile(p, b, 0o600))
		return p
	}
	var early string
	for i, nip := range []string{"198609262015051001", "199001132019032014"} {
		e := &netra.Employee{NIP: nip, Name: "Pegawai Satu", Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: unit.ID}
		must(s.CreateEmployee(sys, e))
		ctx := netra.WithActor(context.Background(), &netra.Actor{UserID: 100 + e.ID, EmployeeID: e.ID,
			Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID, TenantPath: city.Path()}}})
		sig, err := s.SignPledge(ctx, c.ID, "Pegawai Satu")
		must(err)
		sigs = append(sigs, sig)
		if i == 0 {
			cp, err := s.MakeCheckpoint(ctx, netra.PledgeLogName("65.71"))
			must(err)
			early = write("early.note", cp.Note)
		}
	}
	// The server publishes each government's pledge log beside the audit
	// log, outside the database: the checkpoint verifies with the keys
	// published with it and holds both signatures.
	data := t.TempDir()
	must(newPublisher(s, data, "", newLogger(os.Stderr)).publishAll(sys))
	pub := checkpointDir(data, netra.PledgeLogName("65.71"))
	note, err := os.ReadFile(filepath.Join(pub, latestFile))
	must(err)
	pubKeys, err := readKeys(filepath.Join(pub, keyFile))
	must(err)
	if cp, _, err := signlog.Open(note, pubKeys...); err != nil || cp.Size != 2 {
		t.Fatalf("published pledge checkpoint: %+v %v", cp, err)
	}

	b, err := s.PledgeBundle(sys, sigs[1].ID)
	must(err)
	keys, err := s.LogVerifierKeys(context.Background(), netra.PledgeLogName("65.71"))
	must(err)
	keyFile := write("key.vkey", []byte(strings.Join(keys, "\n")+"\n"))
	bundleJSON, err := json.MarshalIndent(b, "", "  ")
	must(err)
	bundle := write("bundle.json", bundleJSON)

	out, _ := mustRun(t, "pledge", "verify", "--bundle", bundle, "--key", keyFile, "--nip", "199001132019032014",
		"--campaign", strconv.FormatInt(c.ID, 10), "--code", netra.FormatPledgeCode(sigs[1].Code))
	for _, want := range []string{"PLEDGE VALID", netra.FormatPledgeCode(sigs[1].Code), "Kota Tarakan (65.71)", "NIP 199001132019032014",
		"record 2 of 2 in netra/pledge/65.71", "online, employee-code"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The key given on the command line itself works too.
	if out, _ := mustRun(t, "pledge", "verify", "--bundle", bundle, "--key", keys[0]); !strings.HasPrefix(out, "PLEDGE VALID") {
		t.Errorf("key as an argument:\n%s", out)
	}

	_, otherKey, _ := signlog.GenerateKey("netra/pledge/65.71")
	tampered := strings.Replace(string(bundleJSON), "199001132019032014", "199001132019032015", 1)
	for name, tc := range map[string]struct {
		args   []string
		reason signlog.Reason
	}{
		"one byte":           {[]string{"--bundle", write("t1.json", []byte(tampered)), "--key", keyFile}, signlog.Altered},
		"another key":        {[]string{"--bundle", bundle, "--key", write("other.vkey", []byte(otherKey+"\n"))}, signlog.UnknownKey},
		"another employee":   {[]string{"--bundle", bundle, "--key", keyFile, "--nip", "198609262015051001"}, signlog.Replayed},
		"older checkpoint":   {[]string{"--bundle", bundle, "--key", keyFile, "--checkpoint", early}, signlog.NotInLog},
		"not a bundle":       {[]string{"--bundle", write("x.json", []byte(`{"format":"x"}`)), "--key", keyFile}, signlog.Malformed},
		"not even JSON":      {[]string{"--bundle", write("y.json", []byte(`%PDF-1.7`)), "--key", keyFile}, signlog.Malformed},
		"another code shown": {[]string{"--bundle", bundle, "--key", keyFile, "--code", netra.FormatPledgeCode(sigs[0].Code)}, signlog.Replayed},
	} {
		out, _, err := cmdline{}.run(t, append([]string{"pledge", "verify"}, tc.args...)...)
		if !errors.Is(err, errPledgeInvalid) || !strings.HasPrefix(out, "PLEDGE INVALID ("+string(tc.reason)+")") {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
	}
	for _, args := range [][]string{{"pledge"}, {"pledge", "verify"}, {"pledge", "verify", "--bundle", bundle}, {"pledge", "sign"}} {
		if _, errOut, err := (cmdline{}).run(t, args...); !errors.Is(err, errUsage) || errOut == "" {
			t.Errorf("netra %s: %v", strings.Join(args, " "), err)
		}
	}
}
