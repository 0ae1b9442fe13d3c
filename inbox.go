package netra

import "time"

// Notice is one message in an employee's in-app inbox (kotak masuk) on
// their home page: a duty that reached them, a reminder that it is due.
// Kind says what happened and picks the words the page frames it with
// ("pledge.open": a new pledge to sign); Title is the text of what it is
// about as its operator wrote it; Link is where the employee acts on it.
type Notice struct {
	ID         int64
	TenantID   int64
	EmployeeID int64
	Kind       string
	Title      string
	Body       string
	Link       string
	CreatedAt  time.Time
	ReadAt     time.Time // zero: unread
}

// Read reports whether the employee has read the notice.
func (n *Notice) Read() bool { return !n.ReadAt.IsZero() }

// The events a duty notice is about; its Kind is the duty's kind, a dot
// and the event ("circular.remind").
const (
	NoticeOpened   = "open"   // the duty was launched, or the employee joined its target
	NoticeReminder = "remind" // the duty is due soon and the employee has not done it
)

// DutyNoticeKind returns the Kind of a duty notice: "pledge.open".
func DutyNoticeKind(k DutyKind, event string) string { return string(k) + "." + event }
