package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/store"
)

// The duty jobs (internal/store/duty_remind.go): reminders on the schedule
// a duty's owner set, and the e-mails of a duty's notices, queued a bounded
// batch at a time.
const (
	KindDutyRemind = store.JobDutyRemind
	KindDutyMail   = store.JobDutyMail
)

// DutyHandlers returns the handlers of the duty jobs; the e-mails link to
// pages under baseURL ("https://netra.palangkaraya.go.id").
func DutyHandlers(s *store.Store, baseURL string) map[string]Handler {
	return map[string]Handler{KindDutyRemind: DutyRemindHandler(s), KindDutyMail: DutyMailHandler(s, baseURL)}
}

// DutyRemindHandler sends a duty's reminder when its job comes due: an
// inbox notice for everyone still pending, and their e-mails. Running it
// again, or on two workers at once, reminds nobody twice.
func DutyRemindHandler(s *store.Store) Handler {
	return func(ctx context.Context, j *store.Job) error {
		id, days, on, err := store.ParseDutyReminder(j.Payload)
		if err != nil {
			return Permanent{err}
		}
		_, err = s.RemindDuty(netra.WithActor(ctx, netra.System("jobs")), id, days, on)
		if errors.Is(err, netra.ErrNotFound) {
			return Permanent{err}
		}
		return err
	}
}

// DutyMailHandler queues one batch of a duty's e-mails: a mail job per
// target of the batch that has an address, and the job of the next batch,
// in one transaction. Every job has a unique key, so a batch run twice
// queues nothing twice.
func DutyMailHandler(s *store.Store, baseURL string) Handler {
	baseURL = strings.TrimRight(baseURL, "/")
	return func(ctx context.Context, j *store.Job) error {
		m, err := store.ParseDutyMail(j.Payload)
		if err != nil {
			return Permanent{err}
		}
		d, rs, next, err := s.DutyMailBatch(ctx, m)
		if errors.Is(err, netra.ErrNotFound) {
			return Permanent{err}
		} else if err != nil || d == nil {
			return err
		}
		js := make([]*store.Job, 0, len(rs)+1)
		for _, r := range rs {
			b, err := json.Marshal(dutyMessage(d, m.Event, r, baseURL))
			if err != nil {
				return err
			}
			js = append(js, &store.Job{Kind: KindMail, UniqueKey: m.MailKey(r.EmployeeID), Payload: string(b), MaxAttempts: 10})
		}
		if next != nil {
			nj, err := store.DutyMailJob(*next)
			if err != nil {
				return err
			}
			js = append(js, nj)
		}
		return s.EnqueueJobs(ctx, js)
	}
}

// wib is Western Indonesia Time, in which the e-mails give due dates.
var wib = time.FixedZone("WIB", 7*3600)

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// dutyMessage is the e-mail of a duty notice, in Indonesian with an English
// summary below: the recipients' language is not known.
func dutyMessage(d *netra.Duty, event string, r store.DutyRecipient, baseURL string) mail.Message {
	link := d.Link
	if link == "" {
		link = "/saya"
	}
	due := d.DueAt.In(wib)
	dueID := fmt.Sprintf("%d %s %d pukul %02d.%02d WIB", due.Day(), bulan[due.Month()-1], due.Year(), due.Hour(), due.Minute())
	dueEN := due.Format("2 January 2006 15:04") + " WIB"
	verbID := map[netra.DutyKind]string{netra.DutyPledge: "menandatangani", netra.DutyCircular: "membaca dan mengonfirmasi",
		netra.DutySession: "menghadiri"}[d.Kind]
	verbEN := map[netra.DutyKind]string{netra.DutyPledge: "sign", netra.DutyCircular: "read and acknowledge",
		netra.DutySession: "attend"}[d.Kind]
	subject := d.Kind.Label("id") + ": " + d.Title
	lead := "Anda diminta " + verbID + " " + strings.ToLower(d.Kind.Label("id")) + " berikut."
	leadEN := "You are asked to " + verbEN + " this " + strings.ToLower(d.Kind.Label("en")) + "."
	if event == netra.NoticeReminder {
		subject = "Pengingat — " + subject
		lead = "Pengingat: Anda belum " + verbID + " " + strings.ToLower(d.Kind.Label("id")) + " berikut."
		leadEN = "Reminder: you have not yet done what this " + strings.ToLower(d.Kind.Label("en")) + " asks (" + verbEN + ")."
	}
	text := fmt.Sprintf("Halo %s,\n\n%s\n\n%s\nBatas waktu: %s\n\nBuka: %s%s\n\n— Netra\n\n%s\n%s\nDue: %s. Open: %s%s\n",
		r.Name, lead, d.Title, dueID, baseURL, link, leadEN, d.Title, dueEN, baseURL, link)
	return mail.Message{To: []string{r.Email}, Subject: "[Netra] " + subject, Text: text}
}
