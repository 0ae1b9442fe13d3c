package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestDutyMailAndReminders runs a launched duty's jobs on real workers with
// the store's clock moved by hand: the launch's e-mails go to every target
// with an address; when the reminder's day comes, those still pending get
// one reminder each (inbox and e-mail) — also when the job runs again after
// its worker was lost, and when two workers run at once.
func TestDutyMailAndReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clock := netra.NewManualClock(time.Date(2024, 11, 1, 3, 0, 0, 0, time.UTC))
		s.SetClock(clock)
		sys := netra.WithActor(context.Background(), netra.System("test"))
		for _, c := range [][2]string{{"00", "Pemerintah Pusat"}, {"62", "Provinsi Kalimantan Tengah"}, {"62.71", "Kota Palangka Raya"}} {
			if err := s.CreateTenant(sys, &netra.Tenant{Code: c[0], Name: c[1]}); err != nil {
				t.Fatal(err)
			}
		}
		city, err := s.TenantByCode(sys, "62.71")
		if err != nil {
			t.Fatal(err)
		}
		u := &netra.OrgUnit{TenantID: city.ID, Code: "DISDIK", Name: "Dinas Pendidikan", Type: netra.UnitDinas}
		if err := s.CreateUnit(sys, u); err != nil {
			t.Fatal(err)
		}
		var es []*netra.Employee
		for i := range 4 {
			e := &netra.Employee{NIP: fmt.Sprintf("19800110200501100%d", i+1), Name: fmt.Sprintf("Guru %d", i+1), Type: netra.PNS,
				Golongan: "III/a", PositionType: netra.Fungsional, UnitID: u.ID}
			if i < 3 {
				e.Email = fmt.Sprintf("guru%d@palangkaraya.go.id", i+1)
			}
			if err := s.CreateEmployee(sys, e); err != nil {
				t.Fatal(err)
			}
			es = append(es, e)
		}
		d := &netra.Duty{TenantID: city.ID, Kind: netra.DutyCircular, Title: "SE Netralitas ASN Nomor 800/123/BKPSDM", Link: "/surat-edaran/7",
			DueAt: time.Date(2024, 11, 20, 3, 0, 0, 0, time.UTC), Reminders: []int{3},
			Target: netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: city.ID}}}}
		if err := s.CreateDuty(sys, d); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LaunchDuty(sys, d.ID); err != nil {
			t.Fatal(err)
		}

		srv := mailtest.Start(t)
		cfg, err := mail.ParseURL(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		sender, err := mail.NewSender(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		handlers := jobs.DutyHandlers(s, "https://netra.palangkaraya.go.id/")
		handlers[jobs.KindMail] = jobs.MailHandler(sender)
		worker := func() *jobs.Worker {
			return jobs.NewWorker(s, handlers, slog.New(slog.NewTextHandler(io.Discard, nil)))
		}
		run := func() {
			t.Helper()
			if _, err := worker().RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		count := func(subject string) map[string]int {
			out := map[string]int{}
			for _, m := range srv.Messages() {
				if strings.Contains(m.Subject, subject) {
					out[m.To[0]]++
				}
			}
			return out
		}

		// The launch: one e-mail to each target with an address; the
		// reminder is not due yet.
		run()
		sent := count("SE Netralitas")
		if len(sent) != 3 || sent["guru1@palangkaraya.go.id"] != 1 || count("Pengingat")["guru1@palangkaraya.go.id"] != 0 {
			t.Fatalf("after the launch: %v", sent)
		}
		m := srv.WaitFor(t, "guru2@palangkaraya.go.id", time.Second)
		if !strings.Contains(m.Text, "https://netra.palangkaraya.go.id/surat-edaran/7") || !strings.Contains(m.Text, "20 November 2024 pukul 10.00 WIB") ||
			!strings.Contains(m.Text, "Halo Guru 2") {
			t.Errorf("launch e-mail:\n%s", m.Text)
		}
		// Guru 1 is excused before the reminder.
		if err := s.ExcuseDuty(sys, d.ID, es[0].ID, "Cuti besar"); err != nil {
			t.Fatal(err)
		}

		// Three days before the due date the reminder runs: on two workers
		// at once, and once more by hand as if its first worker had died
		// after doing the work.
		clock.Set(time.Date(2024, 11, 17, 3, 0, 1, 0, time.UTC))
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := worker().RunOnce(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		again := &store.Job{Kind: jobs.KindDutyRemind, Payload: fmt.Sprintf(`{"duty_id":%d,"days":3,"remind_on":"2024-11-17"}`, d.ID)}
		if err := jobs.DutyRemindHandler(s)(context.Background(), again); err != nil {
			t.Fatal(err)
		}
		run()
		reminded := count("Pengingat")
		if len(reminded) != 2 || reminded["guru2@palangkaraya.go.id"] != 1 || reminded["guru3@palangkaraya.go.id"] != 1 {
			t.Errorf("reminder e-mails %v, want one each to guru2 and guru3", reminded)
		}
		for i, e := range es {
			self := netra.WithActor(context.Background(), &netra.Actor{UserID: 100 + e.ID, EmployeeID: e.ID, Label: "user:guru",
				Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID}}})
			ns, _, err := s.Inbox(self, 0)
			if err != nil {
				t.Fatal(err)
			}
			reminders := 0
			for _, n := range ns {
				if n.Kind == "circular.remind" {
					reminders++
				}
			}
			if want := map[bool]int{true: 0, false: 1}[i == 0]; reminders != want {
				t.Errorf("Guru %d has %d reminders in the inbox, want %d", i+1, reminders, want)
			}
		}
		if queued, running, failed, err := s.JobCounts(context.Background()); err != nil || queued+running+failed != 0 {
			t.Errorf("jobs left: %d queued, %d running, %d failed (%v)", queued, running, failed, err)
		}
	})
}
