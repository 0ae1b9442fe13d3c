package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/netra-id/netra"
)

// Reminders and e-mails. A launch queues one JobDutyRemind job per reminder
// day still ahead (unique per duty and date); when its time comes (the
// store's clock decides, through the job's run_at), RemindDuty puts a
// reminder in the inbox of everyone still pending — one INSERT … SELECT,
// one notice per person per date whatever happens to the workers (the
// notices' dedup key) — and queues the first batch of the e-mails.
//
// E-mails go out in bounded batches: a JobDutyMail job reads DutyMailLimit
// targets still pending after a cursor (DutyMailBatch), queues one mail
// job per target with an e-mail address and the job of the next batch, all
// in one transaction (EnqueueJobs). Every job has a unique key (duty,
// event, date, cursor or employee), so a batch run twice queues nothing
// twice, and a national duty of 5.6 million becomes some 11,000 small
// transactions instead of one that holds millions of rows.

// DutyMailLimit is how many targets one e-mail batch reads.
const DutyMailLimit = 500

type dutyReminder struct {
	DutyID   int64  `json:"duty_id"`
	Days     int    `json:"days"`
	RemindOn string `json:"remind_on"`
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// ParseDutyReminder reads the payload of a JobDutyRemind job.
func ParseDutyReminder(payload string) (dutyID int64, days int, remindOn string, err error) {
	var r dutyReminder
	if err := json.Unmarshal([]byte(payload), &r); err != nil || r.DutyID == 0 {
		return 0, 0, "", fmt.Errorf("store: duty reminder payload %q: %v", payload, err)
	}
	return r.DutyID, r.Days, r.RemindOn, nil
}

// RemindDuty sends the reminder due days before a duty's due date, dated
// remindOn (the job's payload): an inbox notice to every target still
// pending and their e-mails (queued in batches). It does nothing (and
// reports 0) when the duty is no longer open, is past due, or no longer has
// that reminder on that date (its schedule or due date changed). Running it
// again adds nobody: it returns how many notices it added. Audited as
// "duty.remind".
func (s *Store) RemindDuty(ctx context.Context, dutyID int64, days int, remindOn string) (int64, error) {
	var n int64
	err := s.write(ctx, func(x *tx) error {
		d, _, err := x.dutyRow(ctx, dutyID, true)
		if err != nil {
			return err
		}
		on, _ := reminderDate(d, days)
		if d.Status != netra.DutyOpen || !d.DueAt.After(fromMS(x.now)) || !slices.Contains(d.Reminders, days) || on != remindOn {
			return nil
		}
		if n, err = x.notifyDuty(ctx, d, netra.NoticeReminder, remindOn); err != nil {
			return err
		}
		return x.audit(ctx, d.TenantID, "duty.remind", "duty", d.ID, map[string]any{"days": days, "remind_on": remindOn, "notices": n})
	})
	return n, err
}

// DutyMail is one batch of a duty's e-mails: to its targets still pending
// whose employee id is after After, about the notice of Event (and, for a
// reminder, the date RemindOn).
type DutyMail struct {
	DutyID   int64  `json:"duty_id"`
	Event    string `json:"event"`
	RemindOn string `json:"remind_on,omitempty"`
	After    int64  `json:"after"`
}

func (m DutyMail) key() string {
	return "duty.mail:" + strconv.FormatInt(m.DutyID, 10) + ":" + m.Event + ":" + m.RemindOn + ":" + strconv.FormatInt(m.After, 10)
}

// MailKey is the unique key of the e-mail of batch m to one employee.
func (m DutyMail) MailKey(employeeID int64) string {
	return "duty.mail:" + strconv.FormatInt(m.DutyID, 10) + ":" + m.Event + ":" + m.RemindOn + ":to:" + strconv.FormatInt(employeeID, 10)
}

// DutyMailJob returns the job of batch m, with its unique key.
func DutyMailJob(m DutyMail) (*Job, error) {
	p, err := jsonString(m)
	if err != nil {
		return nil, err
	}
	return &Job{Kind: JobDutyMail, UniqueKey: m.key(), Payload: p, MaxAttempts: 10}, nil
}

// ParseDutyMail reads the payload of a JobDutyMail job.
func ParseDutyMail(payload string) (DutyMail, error) {
	var m DutyMail
	if err := json.Unmarshal([]byte(payload), &m); err != nil || m.DutyID == 0 {
		return m, fmt.Errorf("store: duty mail payload %q: %v", payload, err)
	}
	return m, nil
}

// DutyRecipient is one employee a duty e-mail goes to.
type DutyRecipient struct {
	EmployeeID int64
	Name       string // with titles
	Email      string
}

// DutyMailBatch reads batch m: the duty (nil when it is no longer open:
// nothing more goes out), the targets still pending after m.After that have
// an e-mail address, and the next batch (nil after the last). It reads at
// most DutyMailLimit targets, with or without an address, so each batch is
// bounded. It is for the job worker (the system) and is not audited.
func (s *Store) DutyMailBatch(ctx context.Context, m DutyMail) (*netra.Duty, []DutyRecipient, *DutyMail, error) {
	var d netra.Duty
	if err := scanDuty(s.r.QueryRowContext(ctx, `SELECT `+dutyCols+` FROM duties d WHERE d.id = $1`, m.DutyID), &d); err != nil {
		return nil, nil, nil, fmt.Errorf("duty %d: %w", m.DutyID, netra.ErrNotFound)
	}
	if d.Status != netra.DutyOpen {
		return nil, nil, nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT a.employee_id, e.name, e.front_title, e.back_title, e.email
		FROM duty_assignees a JOIN employees e ON e.id = a.employee_id
		WHERE a.duty_id = $1 AND a.employee_id > $2 AND a.counted = 1 AND a.status = 'pending'
		ORDER BY a.employee_id LIMIT `+strconv.Itoa(DutyMailLimit), m.DutyID, m.After)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: duty recipients: %w", err)
	}
	defer rows.Close()
	var out []DutyRecipient
	n, last := 0, m.After
	for rows.Next() {
		var e netra.Employee
		if err := rows.Scan(&e.ID, &e.Name, &e.FrontTitle, &e.BackTitle, &e.Email); err != nil {
			return nil, nil, nil, err
		}
		n, last = n+1, e.ID
		if e.Email != "" {
			out = append(out, DutyRecipient{EmployeeID: e.ID, Name: e.FullName(), Email: e.Email})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	var next *DutyMail
	if n == DutyMailLimit {
		nm := m
		nm.After = last
		next = &nm
	}
	return &d, out, next, nil
}

// EnqueueJobs queues jobs in one transaction: all of them or none. A job
// whose unique key is queued or done already is dropped, as in EnqueueJob.
func (s *Store) EnqueueJobs(ctx context.Context, js []*Job) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	now := s.now()
	for _, j := range js {
		if err := enqueue(ctx, t, j, s.seal(purposeOutbox, j.Payload), now); err != nil {
			_ = t.Rollback()
			return err
		}
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit jobs: %w", err)
	}
	return nil
}
