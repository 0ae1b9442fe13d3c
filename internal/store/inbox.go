package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/netra-id/netra"
)

// The in-app inbox: notices per employee (netra.Notice). A duty's notices
// are written for all its targets at once, by one INSERT … SELECT over its
// assignees; each carries a dedup key unique per employee, so that a
// notice sent again (a job run twice, two workers) is stored once.

// dutyDedup is the dedup key of a duty notice.
func dutyDedup(dutyID int64, event, remindOn string) string {
	k := "duty:" + strconv.FormatInt(dutyID, 10) + ":" + event
	if remindOn != "" {
		k += ":" + remindOn
	}
	return k
}

// notifyDuty puts a notice of event about d (netra.NoticeOpened, or
// netra.NoticeReminder for remindOn) in the inbox of every target still
// pending, in one INSERT … SELECT, and queues the first batch of its
// e-mails (see DutyMailBatch: the e-mails go out in bounded batches, each a
// job of its own, never millions of rows in this transaction). A target
// who has this notice already is left alone. It returns how many notices
// it added.
func (x *tx) notifyDuty(ctx context.Context, d *netra.Duty, event, remindOn string) (int64, error) {
	res, err := x.ExecContext(ctx, `INSERT INTO notices (tenant_id, employee_id, kind, title, body, link, dedup, created_at)
		SELECT a.tenant_id, a.employee_id, CAST($1 AS TEXT), CAST($2 AS TEXT), '', CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS BIGINT)
		FROM duty_assignees a WHERE a.duty_id = $6 AND a.counted = 1 AND a.status = 'pending'
		ON CONFLICT (dedup, employee_id) DO NOTHING`,
		netra.DutyNoticeKind(d.Kind, event), d.Title, d.Link, dutyDedup(d.ID, event, remindOn), x.now, d.ID)
	if err != nil {
		return 0, fmt.Errorf("store: duty notices: %w", err)
	}
	n, _ := res.RowsAffected()
	j, err := DutyMailJob(DutyMail{DutyID: d.ID, Event: event, RemindOn: remindOn})
	if err != nil {
		return 0, err
	}
	return n, x.enqueue(ctx, j)
}

// noticeJoined puts the duty in the inbox of employees who joined its
// target while it is open, in one statement. They get no e-mail now: the
// duty's reminders reach them with everyone still pending.
func (x *tx) noticeJoined(ctx context.Context, open []*dutyReach, joined []assigneeRow) error {
	if len(joined) == 0 {
		return nil
	}
	byID := map[int64]*dutyReach{}
	for _, d := range open {
		byID[d.id] = d
	}
	rows := make([][]any, len(joined))
	for i, j := range joined {
		d := byID[j.dutyID]
		rows[i] = []any{j.tenantID, j.employeeID, netra.DutyNoticeKind(d.kind, netra.NoticeOpened), d.title, d.link,
			dutyDedup(d.id, netra.NoticeOpened, "")}
	}
	var a args
	src := x.rowsFrom(&a, "iissss", rows)
	if _, err := x.ExecContext(ctx, `INSERT INTO notices (tenant_id, employee_id, kind, title, body, link, dedup, created_at)
		SELECT r.c0, r.c1, r.c2, r.c3, '', r.c4, r.c5, `+a.add(x.now)+` FROM `+src+` WHERE TRUE
		ON CONFLICT (dedup, employee_id) DO NOTHING`, a.v...); err != nil {
		return fmt.Errorf("store: notices of joiners: %w", err)
	}
	return nil
}

// selfEmployee returns the employee record of the signed-in actor:
// ErrUnauthenticated without one, ErrForbidden for an actor who is not an
// employee acting for themself.
func selfEmployee(ctx context.Context) (int64, error) {
	a := netra.ActorFrom(ctx)
	switch {
	case a == nil:
		return 0, netra.ErrUnauthenticated
	case a.EmployeeID == 0 || !a.Can(netra.PermSelf):
		return 0, fmt.Errorf("%s: %w", netra.PermSelf, netra.ErrForbidden)
	}
	return a.EmployeeID, nil
}

// InboxLimit bounds how many notices one Inbox call returns.
const InboxLimit = 100

// Inbox returns the signed-in employee's newest notices (at most limit, 20
// when limit is 0, InboxLimit at most) and how many of all their notices
// are unread. It reads only the employee's own notices and is not audited.
func (s *Store) Inbox(ctx context.Context, limit int) ([]netra.Notice, int, error) {
	emp, err := selfEmployee(ctx)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, InboxLimit)
	rows, err := s.r.QueryContext(ctx, `SELECT id, tenant_id, employee_id, kind, title, body, link, created_at, read_at
		FROM notices WHERE employee_id = $1 ORDER BY id DESC LIMIT `+strconv.Itoa(limit), emp)
	if err != nil {
		return nil, 0, fmt.Errorf("store: inbox: %w", err)
	}
	defer rows.Close()
	var out []netra.Notice
	for rows.Next() {
		var n netra.Notice
		if err := scanNotice(rows, &n); err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var unread int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE employee_id = $1 AND read_at = 0`, emp).Scan(&unread); err != nil {
		return nil, 0, fmt.Errorf("store: unread notices: %w", err)
	}
	return out, unread, nil
}

func scanNotice(row interface{ Scan(...any) error }, n *netra.Notice) error {
	var created, read int64
	if err := row.Scan(&n.ID, &n.TenantID, &n.EmployeeID, &n.Kind, &n.Title, &n.Body, &n.Link, &created, &read); err != nil {
		return err
	}
	n.CreatedAt, n.ReadAt = fromMS(created), fromMS(read)
	return nil
}

// MarkNoticeRead marks one of the signed-in employee's notices read and
// returns it (the page then opens its link). Another's notice is
// ErrNotFound; marking a read notice again changes nothing. Audited as
// "notice.read" when it changes.
func (s *Store) MarkNoticeRead(ctx context.Context, id int64) (*netra.Notice, error) {
	emp, err := selfEmployee(ctx)
	if err != nil {
		return nil, err
	}
	var n netra.Notice
	err = s.write(ctx, func(x *tx) error {
		err := scanNotice(x.QueryRowContext(ctx, `SELECT id, tenant_id, employee_id, kind, title, body, link, created_at, read_at
			FROM notices WHERE id = $1 AND employee_id = $2`, id, emp), &n)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("notice %d: %w", id, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: notice: %w", err)
		}
		if n.Read() {
			return nil
		}
		n.ReadAt = fromMS(x.now)
		if _, err := x.ExecContext(ctx, `UPDATE notices SET read_at = $1 WHERE id = $2`, x.now, id); err != nil {
			return fmt.Errorf("store: mark notice read: %w", err)
		}
		return x.audit(ctx, n.TenantID, "notice.read", "notice", id, nil)
	})
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// MarkAllNoticesRead marks every unread notice of the signed-in employee
// read and returns how many it marked; audited as "notice.read_all" when
// there were any.
func (s *Store) MarkAllNoticesRead(ctx context.Context) (int64, error) {
	emp, err := selfEmployee(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.write(ctx, func(x *tx) error {
		var tenant int64
		if err := x.QueryRowContext(ctx, `SELECT tenant_id FROM employees WHERE id = $1`, emp).Scan(&tenant); err != nil {
			return fmt.Errorf("store: employee: %w", err)
		}
		res, err := x.ExecContext(ctx, `UPDATE notices SET read_at = $1 WHERE employee_id = $2 AND read_at = 0`, x.now, emp)
		if err != nil {
			return fmt.Errorf("store: mark notices read: %w", err)
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		return x.audit(ctx, tenant, "notice.read_all", "notice", 0, map[string]int64{"count": n})
	})
	return n, err
}
