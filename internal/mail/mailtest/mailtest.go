// Package mailtest runs a real SMTP server inside a test process, so that
// code which sends mail can be tested end to end: through a real SMTP
// conversation, with the message read back decoded as a mail client would
// show it. It listens on 127.0.0.1 only and keeps messages in memory.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// From is the sender address that URL puts in its from parameter.
const From = "Netra <noreply@netra.test>"

// Received is one message as the server got it.
type Received struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO), Bcc included

	Header  mail.Header // the top-level header, as sent (still encoded)
	Subject string      // decoded from RFC 2047 encoded words

	// Text and HTML are the text/plain and text/html parts (the first of
	// each, at any multipart depth), with transfer encoding undone and line
	// ends turned from CRLF into LF. A message that is not multipart loses
	// the final line end, which SMTP adds whether the sender wrote it or not.
	Text string
	HTML string

	Raw []byte // the message exactly as transmitted, after dot-unstuffing
}

// Server is an SMTP server for one test. Its methods are safe for concurrent use.
type Server struct {
	addr string
	log  *logger

	mu       sync.Mutex
	msgs     []Received
	failNext int
	user     string
	pass     string
}

// Start starts a Server on 127.0.0.1 with a free port; it stops when the test
// and its subtests end.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{addr: ln.Addr().String(), log: &logger{t: t}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	srv.Domain = "mailtest.localhost"
	srv.AllowInsecureAuth = true // the test server never speaks TLS
	srv.EnableSMTPUTF8 = true
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = s.log

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil {
			s.log.Printf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close only closes listeners Serve has registered; if the test ends
		// before the goroutine got that far, Serve would block in Accept.
		ln.Close()
		<-done
		s.log.stop()
	})
	return s
}

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string { return s.addr }

// URL returns a mail URL for this server, for mail.ParseURL: plain SMTP
// (tls=none), the From sender, and the credentials set by RequireAuth, if any.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := url.URL{
		Scheme:   "smtp",
		Host:     s.addr,
		RawQuery: url.Values{"from": {From}, "tls": {"none"}}.Encode(),
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	return u.String()
}

// RequireAuth makes the server offer AUTH PLAIN and refuse mail from a
// session that has not logged in as user with pass.
func (s *Server) RequireAuth(user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, pass
}

// FailNext makes the next n deliveries fail with a temporary error (451
// 4.3.0) after the message was transmitted, as a busy server would; the
// failed messages are not kept.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor returns the newest message with to among its envelope recipients
// (compared case-insensitively), waiting up to timeout for one to arrive; it
// fails the test if none does.
func (s *Server) WaitFor(t testing.TB, to string, timeout time.Duration) Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		for i := len(s.msgs) - 1; i >= 0; i-- {
			if slices.ContainsFunc(s.msgs[i].To, func(r string) bool { return strings.EqualFold(r, to) }) {
				m := s.msgs[i]
				s.mu.Unlock()
				return m
			}
		}
		n := len(s.msgs)
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: no message to %s within %v (%d other messages)", to, timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// deliver stores a transmitted message, unless a failure is due.
func (s *Server) deliver(from string, to []string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		return &smtp.SMTPError{
			Code:         451,
			EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message:      "mailtest: temporary failure (FailNext)",
		}
	}
	m, err := Decode(raw)
	if err != nil {
		// The sender wrote something a mail client could not read: fail the
		// delivery loudly rather than keep a half-decoded message.
		return &smtp.SMTPError{
			Code:         554,
			EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message:      "mailtest: cannot decode message: " + err.Error(),
		}
	}
	m.From, m.To = from, slices.Clone(to)
	s.msgs = append(s.msgs, m)
	return nil
}

// Decode parses a raw RFC 5322 message into a Received (without the envelope
// fields): the subject's encoded words, multipart structure and
// quoted-printable or base64 transfer encodings are undone. Only UTF-8 and
// US-ASCII text is supported, which is all Netra sends.
func Decode(raw []byte) (Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, fmt.Errorf("header: %w", err)
	}
	r := Received{Header: msg.Header, Raw: raw}
	var dec mime.WordDecoder
	if r.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Received{}, fmt.Errorf("subject: %w", err)
	}
	if err := decodePart(msg.Header, msg.Body, &r, 0); err != nil {
		return Received{}, err
	}
	return r, nil
}

// getter is what mail.Header and textproto.MIMEHeader have in common.
type getter interface{ Get(key string) string }

// decodePart decodes one MIME entity into r, descending into multiparts.
func decodePart(h getter, body io.Reader, r *Received, depth int) error {
	if depth > 10 {
		return errors.New("multipart nested too deeply")
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii" // RFC 2045 default
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// Raw, so that this function undoes the transfer encoding the
			// same way at every level (NextPart would undo only
			// quoted-printable, and hide the header saying so).
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := decodePart(p.Header, p, r, depth+1); err != nil {
				return err
			}
		}
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		_, err := io.Copy(io.Discard, body) // attachments and the like: not needed
		return err
	}
	switch cs := strings.ToLower(params["charset"]); cs {
	case "", "utf-8", "us-ascii":
	default:
		return fmt.Errorf("%s part in unsupported charset %q", mediaType, cs)
	}
	var dr io.Reader
	switch cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))); cte {
	case "", "7bit", "8bit", "binary":
		dr = body
	case "quoted-printable":
		dr = quotedprintable.NewReader(body)
	case "base64":
		dr = base64.NewDecoder(base64.StdEncoding, body) // skips the CRLF line breaks
	default:
		return fmt.Errorf("unknown transfer encoding %q", cte)
	}
	b, err := io.ReadAll(dr)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	if depth == 0 {
		// SMTP ends every message with a line end, so a body that is not
		// multipart always has one whether the sender wrote it or not.
		// Dropping it makes "abc" come back as "abc", as in a multipart.
		text = strings.TrimSuffix(text, "\n")
	}
	switch {
	case mediaType == "text/plain" && r.Text == "":
		r.Text = text
	case mediaType == "text/html" && r.HTML == "":
		r.HTML = text
	}
	return nil
}

// session is one SMTP connection.
type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (se *session) authRequired() (user, pass string, ok bool) {
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	return se.s.user, se.s.pass, se.s.user != ""
}

// AuthMechanisms offers PLAIN only when RequireAuth was called, so a client
// configured without credentials sees a server that needs none.
func (se *session) AuthMechanisms() []string {
	if _, _, ok := se.authRequired(); ok {
		return []string{sasl.Plain}
	}
	return nil
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	user, pass, ok := se.authRequired()
	if !ok || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != user || password != pass {
			return smtp.ErrAuthFailed
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if _, _, ok := se.authRequired(); ok && !se.authed {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return se.s.deliver(se.from, se.to, raw)
}

func (se *session) Reset() {
	se.from, se.to = "", nil
}

func (se *session) Logout() error { return nil }

// logger sends the SMTP server's error log to the test log until the test
// has finished, after which testing.TB must no longer be used.
type logger struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (l *logger) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Logf("mailtest: "+format, v...)
	}
}

func (l *logger) Println(v ...any) {
	l.Printf("%s", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

func (l *logger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
}
