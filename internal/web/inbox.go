package web

import (
	"net/http"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The employee's inbox and duties, first on their home page (/saya): what
// they must still do (pledges to sign, circulars to acknowledge, sessions
// to attend; pending first) and the notices that came with them.

// inboxPanel is the part of the employee's home page that shows their
// duties and their inbox.
type inboxPanel struct {
	Duties  []dutyItem
	Pending int // duties still to do
	Notices []noticeItem
	Unread  int
}

type dutyItem struct {
	store.MyDuty
	Link string // where to do it
	Late bool   // due and still pending
}

type noticeItem struct {
	netra.Notice
	Heading string // what happened, in the page's language ("Ikrar baru untuk ditandatangani")
}

// noticeHeading frames a notice's kind in lang; an unknown kind gets a
// plain "Pemberitahuan".
func (s *Server) noticeHeading(lang, kind string) string {
	if _, ok := s.cat[langID]["notice."+kind]; ok {
		return s.cat.T(lang, "notice."+kind)
	}
	return s.cat.T(lang, "notice.other")
}

// dutyLink is where an employee does a duty: its own page, or their home page.
func dutyLink(d *netra.Duty) string {
	if d.Link == "" {
		return "/saya"
	}
	return safeReturn(d.Link)
}

// loadInbox reads the signed-in employee's duties and newest notices.
func (s *Server) loadInbox(r *http.Request, p *page) (*inboxPanel, error) {
	ctx := r.Context()
	ds, err := s.store.MyDuties(ctx)
	if err != nil {
		return nil, err
	}
	ns, unread, err := s.store.Inbox(ctx, 10)
	if err != nil {
		return nil, err
	}
	out := &inboxPanel{Unread: unread}
	now := s.now()
	for i := range ds {
		it := dutyItem{MyDuty: ds[i], Link: dutyLink(&ds[i].Duty)}
		if ds[i].Status == netra.AssigneePending {
			out.Pending++
			it.Late = !ds[i].Duty.DueAt.After(now)
		}
		out.Duties = append(out.Duties, it)
	}
	for _, n := range ns {
		out.Notices = append(out.Notices, noticeItem{Notice: n, Heading: s.noticeHeading(p.Lang, n.Kind)})
	}
	return out, nil
}

// noticeOpen marks a notice read and opens what it is about.
func (s *Server) noticeOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.store.MarkNoticeRead(r.Context(), id)
	if err != nil {
		return err
	}
	to := "/saya"
	if n.Link != "" {
		to = safeReturn(n.Link)
	}
	return s.redirect(w, r, to, "")
}

// noticesRead marks every notice of the employee read.
func (s *Server) noticesRead(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.MarkAllNoticesRead(r.Context()); err != nil {
		return err
	}
	return s.redirect(w, r, "/saya", "notices_read")
}

type apiNotice struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	Heading   string  `json:"heading"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Link      string  `json:"link"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at"`
}

type apiNoticeList struct {
	Items  []apiNotice `json:"items"`
	Unread int         `json:"unread"`
}

func (s *Server) noticeJSON(lang string, n *netra.Notice) apiNotice {
	return apiNotice{ID: n.ID, Kind: n.Kind, Heading: s.noticeHeading(lang, n.Kind), Title: n.Title, Body: n.Body,
		Link: n.Link, CreatedAt: ts(n.CreatedAt), ReadAt: optTS(n.ReadAt)}
}

// apiMyNotices lists the signed-in employee's newest notices (?limit=, at
// most 100) with the count of unread ones.
func (s *Server) apiMyNotices(w http.ResponseWriter, r *http.Request) error {
	limit := int(formID(r.URL.Query().Get("limit")))
	ns, unread, err := s.store.Inbox(r.Context(), limit)
	if err != nil {
		return err
	}
	out := apiNoticeList{Items: []apiNotice{}, Unread: unread}
	for i := range ns {
		out.Items = append(out.Items, s.noticeJSON(info(r).lang, &ns[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiNoticeRead marks one of the employee's notices read.
func (s *Server) apiNoticeRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.store.MarkNoticeRead(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.noticeJSON(info(r).lang, n))
}

type apiMyDuty struct {
	ID     int64   `json:"id"`
	Kind   string  `json:"kind"`
	RefID  int64   `json:"ref_id"`
	Title  string  `json:"title"`
	Link   string  `json:"link"`
	DueAt  string  `json:"due_at"`
	Status string  `json:"status"`
	Reason string  `json:"reason"`
	DoneAt *string `json:"done_at"`
}

// apiMyDuties lists the open duties that target the signed-in employee,
// pending first.
func (s *Server) apiMyDuties(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.MyDuties(r.Context())
	if err != nil {
		return err
	}
	out := list[apiMyDuty]{Items: []apiMyDuty{}}
	for _, d := range ds {
		out.Items = append(out.Items, apiMyDuty{ID: d.Duty.ID, Kind: string(d.Duty.Kind), RefID: d.Duty.RefID, Title: d.Duty.Title,
			Link: dutyLink(&d.Duty), DueAt: ts(d.Duty.DueAt), Status: string(d.Status), Reason: strings.TrimSpace(d.Reason),
			DoneAt: optTS(d.DoneAt)})
	}
	return writeJSON(w, http.StatusOK, out)
}
