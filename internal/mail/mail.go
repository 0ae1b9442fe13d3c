// Package mail sends Netra's outgoing e-mail: one-time sign-in codes, magic
// links and notifications. It wraps github.com/wneessen/go-mail behind a
// one-method Sender, configured from a single URL setting (see ParseURL); with
// no SMTP server configured it writes messages to a log instead, so a demo
// still shows the codes it would have sent.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// defaultTimeout bounds each SMTP command when ctx carries no deadline, so a
// server that accepts the connection and then goes silent cannot hold a
// sender forever.
const defaultTimeout = 30 * time.Second

// Message is one e-mail. Text is required: it is what plain-text clients, the
// log sender and screen readers get. HTML, when set, is sent as the
// preferred alternative (multipart/alternative). All strings are UTF-8.
type Message struct {
	To      []string // addresses, "budi@example.go.id" or "Budi <budi@example.go.id>"
	Subject string
	Text    string
	HTML    string
}

// Sender sends messages. Send returns only after the server accepted the
// message (or, for the log sender, after it was written); it gives up when ctx
// ends. Errors never contain the password, the subject or the body, since the
// latter two often hold one-time codes.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// NewSender returns the Sender cfg describes: SMTP, or for cfg.Log a sender
// that writes each message to logw (which must then be non-nil). It does not
// connect: an SMTP server that is down at start-up shows up at the first Send.
func NewSender(cfg Config, logw io.Writer) (Sender, error) {
	if cfg.Log {
		if logw == nil {
			return nil, errors.New("mail: log sender needs a writer")
		}
		return &logSender{w: logw, from: cfg.From}, nil
	}
	if cfg.Host == "" || cfg.Port < 1 || cfg.Port > 65535 || cfg.From.Address == "" {
		return nil, errors.New("mail: SMTP config needs host, port and from (use ParseURL)")
	}
	switch cfg.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return nil, fmt.Errorf("mail: unknown TLS mode %q", cfg.TLS)
	}
	return &smtpSender{cfg: cfg}, nil
}

// IsTemporary reports whether err from Send is worth retrying later: a 4xx
// reply from the server, or a network failure such as a refused connection or
// a timeout. A 5xx reply, a bad message or a bad configuration is permanent.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	if se, ok := errors.AsType[*gomail.SendError](err); ok {
		return se.IsTemp()
	}
	if te, ok := errors.AsType[*textproto.Error](err); ok {
		return te.Code >= 400 && te.Code < 500
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	_, ok := errors.AsType[net.Error](err)
	return ok
}

// validate catches mistakes in our own code before they reach a server.
func (m Message) validate() error {
	if len(m.To) == 0 {
		return errors.New("message has no recipient")
	}
	for _, to := range m.To {
		if _, err := netmail.ParseAddress(to); err != nil {
			return fmt.Errorf("recipient %q: %w", to, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("message has no subject")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("message subject contains a line break")
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("message has no text part")
	}
	return nil
}

// smtpSender sends through an SMTP server, one connection per message:
// Netra sends a few messages a minute, not thousands, and a fresh connection
// needs no keep-alive or reconnect logic.
type smtpSender struct {
	cfg Config
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	if err := m.validate(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: send via %s: %w", addr, err)
	}
	msg, err := s.build(m)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}

	// go-mail uses ctx only while dialling. To make ctx bound the whole
	// exchange we dial ourselves and close the connection when ctx ends,
	// which fails whatever read or write is in progress.
	var stop func() bool
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	tlsConfig := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	dial := func(dctx context.Context, network, address string) (net.Conn, error) {
		var d net.Dialer
		var conn net.Conn
		var err error
		if s.cfg.TLS == TLSImplicit {
			// go-mail skips its own TLS dialer when given a dial function.
			td := tls.Dialer{NetDialer: &d, Config: tlsConfig}
			conn, err = td.DialContext(dctx, network, address)
		} else {
			conn, err = d.DialContext(dctx, network, address)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(defaultTimeout),
		gomail.WithTLSConfig(tlsConfig),
		gomail.WithDialContextFunc(dial),
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		// Mandatory, not opportunistic: an attacker who strips STARTTLS
		// from the greeting must cause a failure, not a clear-text login.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
		)
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client for %s: %w", addr, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("mail: send via %s: %w: %w", addr, ctxErr, err)
		}
		return fmt.Errorf("mail: send via %s: %w", addr, err)
	}
	return nil
}

// build turns m into a go-mail message with the headers every message needs.
func (s *smtpSender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := s.cfg.From
	msg.FromMailAddress(&from)
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	msg.Subject(m.Subject)
	// The Message-ID names the sender's domain rather than this machine's
	// host name, which would leak internal names and hurt deliverability.
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	msg.SetMessageIDWithValue(strings.ToLower(rand.Text()) + "@" + domain)
	msg.SetDateWithValue(time.Now())
	// RFC 3834: tells vacation responders not to answer a no-reply sender.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// logSender writes messages to a writer instead of sending them.
type logSender struct {
	mu   sync.Mutex // one message at a time, so concurrent sends do not interleave
	w    io.Writer
	from netmail.Address
}

func (s *logSender) Send(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: log: %w", err)
	}
	var b strings.Builder
	b.WriteString("----- mail not sent (mail URL is log:) -----\n")
	if s.from.Address != "" {
		fmt.Fprintf(&b, "From: %s\n", s.from.String())
	}
	fmt.Fprintf(&b, "To: %s\nSubject: %s\n\n%s\n", strings.Join(m.To, ", "), m.Subject, strings.TrimRight(m.Text, "\n"))
	if m.HTML != "" {
		fmt.Fprintf(&b, "(and an HTML part of %d bytes)\n", len(m.HTML))
	}
	b.WriteString("----- end of mail -----\n")

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.w, b.String()); err != nil {
		return fmt.Errorf("mail: log: %w", err)
	}
	return nil
}
