package mail_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/mail/mailtest"
)

// mustSender returns a Sender for the mail URL raw.
func mustSender(t *testing.T, raw string) mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(raw)
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", raw, err)
	}
	s, err := mail.NewSender(cfg, nil)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

// testCtx returns a context that ends well before the test binary's timeout,
// so a hung send fails the test with a reason.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func otpMessage(to ...string) mail.Message {
	return mail.Message{
		To:      to,
		Subject: "Kode masuk Netra – 123456",
		Text:    "Kode masuk Anda: 123456\nBerlaku 10 menit. Jangan berikan kode ini kepada siapa pun – termasuk petugas.\nSalam, tim Netra (café)",
		HTML:    "<p>Kode masuk Anda: <b>123456</b></p><p>Berlaku 10 menit – café.</p>",
	}
}

func TestSendUTF8RoundTrip(t *testing.T) {
	srv := mailtest.Start(t)
	s := mustSender(t, srv.URL())
	m := otpMessage("budi@example.go.id", "Siti Rahayu <siti@example.go.id>")
	if err := s.Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := srv.WaitFor(t, "siti@example.go.id", 5*time.Second)
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.Text != m.Text {
		t.Errorf("Text = %q, want %q", got.Text, m.Text)
	}
	if got.HTML != m.HTML {
		t.Errorf("HTML = %q, want %q", got.HTML, m.HTML)
	}
	if got.From != "noreply@netra.test" {
		t.Errorf("envelope From = %q", got.From)
	}
	if len(got.To) != 2 || got.To[0] != "budi@example.go.id" || got.To[1] != "siti@example.go.id" {
		t.Errorf("envelope To = %q", got.To)
	}

	// The subject must travel as RFC 2047 encoded words: raw UTF-8 in a
	// header is not 7-bit safe and older relays mangle it.
	rawSubject := got.Header.Get("Subject")
	if !strings.Contains(rawSubject, "=?UTF-8?") && !strings.Contains(rawSubject, "=?utf-8?") {
		t.Errorf("raw Subject %q is not RFC 2047 encoded", rawSubject)
	}
	for _, b := range got.Raw {
		if b >= 0x80 {
			t.Fatalf("message contains 8-bit byte %#x; want 7-bit transfer encoding", b)
		}
	}

	mediaType, _, err := mime.ParseMediaType(got.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Errorf("Content-Type = %q (%v), want multipart/alternative", got.Header.Get("Content-Type"), err)
	}
	if id := got.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@netra.test>") {
		t.Errorf("Message-ID = %q, want <...@netra.test>", id)
	}
	if d, err := got.Header.Date(); err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date = %q (%v), want about now", got.Header.Get("Date"), err)
	}
	if from, err := got.Header.AddressList("From"); err != nil || len(from) != 1 || from[0].Name != "Netra" || from[0].Address != "noreply@netra.test" {
		t.Errorf("From header = %q (%v)", got.Header.Get("From"), err)
	}
	if got.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got.Header.Get("Auto-Submitted"))
	}
}

func TestSendTextOnly(t *testing.T) {
	srv := mailtest.Start(t)
	s := mustSender(t, srv.URL())
	m := otpMessage("budi@example.go.id")
	m.HTML = ""
	if err := s.Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, "BUDI@example.go.id", 5*time.Second)
	if got.Text != m.Text || got.HTML != "" {
		t.Errorf("Text = %q, HTML = %q", got.Text, got.HTML)
	}
	if mt, _, _ := mime.ParseMediaType(got.Header.Get("Content-Type")); mt != "text/plain" {
		t.Errorf("Content-Type = %q, want text/plain", got.Header.Get("Content-Type"))
	}
}

func TestSendConcurrent(t *testing.T) {
	srv := mailtest.Start(t)
	s := mustSender(t, srv.URL())
	ctx := testCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for i := range 5 {
		wg.Go(func() {
			m := otpMessage(string(rune('a'+i)) + "@example.go.id")
			errs <- s.Send(ctx, m)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	if n := len(srv.Messages()); n != 5 {
		t.Errorf("server got %d messages, want 5", n)
	}
}

func TestSendAuth(t *testing.T) {
	srv := mailtest.Start(t)
	srv.RequireAuth("netra", "rahasia-pw")
	good := srv.URL()
	if !strings.Contains(good, "netra:rahasia-pw@") {
		t.Fatalf("URL %q lacks the credentials", good)
	}
	if err := mustSender(t, good).Send(testCtx(t), otpMessage("budi@example.go.id")); err != nil {
		t.Fatalf("Send with the right password: %v", err)
	}

	bad := strings.Replace(good, "rahasia-pw", "salah-pw", 1)
	err := mustSender(t, bad).Send(testCtx(t), otpMessage("budi@example.go.id"))
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), "salah-pw") {
		t.Errorf("error %q reveals the password", err)
	}
	if mail.IsTemporary(err) {
		t.Errorf("IsTemporary(auth failure %v) = true", err)
	}

	none := strings.Replace(good, "netra:rahasia-pw@", "", 1)
	if err := mustSender(t, none).Send(testCtx(t), otpMessage("budi@example.go.id")); err == nil {
		t.Fatal("Send without credentials to a server requiring them succeeded")
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server kept %d messages, want only the authenticated one", n)
	}
}

func TestSendFailNext(t *testing.T) {
	srv := mailtest.Start(t)
	s := mustSender(t, srv.URL())
	m := otpMessage("budi@example.go.id")
	srv.FailNext(2)
	for i := range 2 {
		err := s.Send(testCtx(t), m)
		if err == nil {
			t.Fatalf("attempt %d: Send succeeded despite FailNext", i+1)
		}
		if !mail.IsTemporary(err) {
			t.Errorf("attempt %d: IsTemporary(%v) = false for a 451", i+1, err)
		}
		if strings.Contains(err.Error(), "123456") {
			t.Errorf("error %q reveals the one-time code", err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("failed deliveries were kept: %d", n)
	}
	if err := s.Send(testCtx(t), m); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("server has %d messages after the retry, want 1", n)
	}
}

func TestSendStartTLSRequired(t *testing.T) {
	// mailtest offers no STARTTLS: a sender told to use it must refuse to
	// carry on in clear text rather than silently downgrade.
	srv := mailtest.Start(t)
	raw := strings.Replace(srv.URL(), "tls=none", "tls=starttls", 1)
	err := mustSender(t, raw).Send(testCtx(t), otpMessage("budi@example.go.id"))
	if err == nil {
		t.Fatal("Send with tls=starttls to a server without STARTTLS succeeded")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("message delivered in clear text: %d", n)
	}
}

func TestSendHonoursContext(t *testing.T) {
	// A server that accepts the connection and never says a word: only ctx
	// can end the wait, long before the 30 s command timeout.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	s := mustSender(t, "smtp://"+ln.Addr().String()+"?from=noreply@netra.test&tls=none")

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, otpMessage("budi@example.go.id"))
	if err == nil {
		t.Fatal("Send to a silent server succeeded")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Send took %v after a 300ms deadline", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
	}
	if !mail.IsTemporary(err) {
		t.Errorf("IsTemporary(%v) = false for a timeout", err)
	}

	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if err := s.Send(done, otpMessage("budi@example.go.id")); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled ctx = %v, want context.Canceled", err)
	}
}

func TestSendConnectionRefused(t *testing.T) {
	// Take a free port and close it again, so nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = mustSender(t, "smtp://"+addr+"?from=noreply@netra.test&tls=none").Send(testCtx(t), otpMessage("budi@example.go.id"))
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if !mail.IsTemporary(err) {
		t.Errorf("IsTemporary(%v) = false for a refused connection", err)
	}
}

func TestSendRejectsBadMessages(t *testing.T) {
	srv := mailtest.Start(t)
	smtpSender := mustSender(t, srv.URL())
	var logBuf bytes.Buffer
	logSender, err := mail.NewSender(mail.Config{Log: true}, &logBuf)
	if err != nil {
		t.Fatal(err)
	}
	ok := otpMessage("budi@example.go.id")
	tests := []struct {
		name   string
		change func(*mail.Message)
	}{
		{"no recipient", func(m *mail.Message) { m.To = nil }},
		{"bad recipient", func(m *mail.Message) { m.To = []string{"budi"} }},
		{"header injection in recipient", func(m *mail.Message) { m.To = []string{"budi@example.go.id\r\nBcc: x@evil.test"} }},
		{"no subject", func(m *mail.Message) { m.Subject = " " }},
		{"header injection in subject", func(m *mail.Message) { m.Subject = "Hi\r\nBcc: x@evil.test" }},
		{"no text", func(m *mail.Message) { m.Text = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			m.To = append([]string(nil), ok.To...)
			tt.change(&m)
			for name, s := range map[string]mail.Sender{"smtp": smtpSender, "log": logSender} {
				if err := s.Send(testCtx(t), m); err == nil {
					t.Errorf("%s sender accepted the message", name)
				}
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d bad messages", n)
	}
	if logBuf.Len() != 0 {
		t.Errorf("log sender wrote bad messages: %q", logBuf.String())
	}
}

func TestLogSender(t *testing.T) {
	cfg, err := mail.ParseURL("log:?from=Netra%20<noreply@example.go.id>")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	s, err := mail.NewSender(cfg, &buf)
	if err != nil {
		t.Fatal(err)
	}
	m := otpMessage("budi@example.go.id")
	if err := s.Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	out := buf.String()
	for _, want := range []string{"To: budi@example.go.id", "Subject: Kode masuk Netra – 123456", m.Text, "noreply@example.go.id"} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %q:\n%s", want, out)
		}
	}
	if _, err := mail.NewSender(mail.Config{Log: true}, nil); err == nil {
		t.Error("NewSender(log, nil writer) gave no error")
	}
}

func TestNewSenderRejectsIncompleteConfig(t *testing.T) {
	from := netmail.Address{Address: "noreply@example.go.id"}
	tests := []struct {
		name string
		cfg  mail.Config
	}{
		{"zero", mail.Config{}},
		{"no from", mail.Config{Host: "h", Port: 587, TLS: mail.TLSStartTLS}},
		{"no port", mail.Config{Host: "h", TLS: mail.TLSStartTLS, From: from}},
		{"bad tls", mail.Config{Host: "h", Port: 587, TLS: "ssl", From: from}},
	}
	for _, tt := range tests {
		if _, err := mail.NewSender(tt.cfg, nil); err == nil {
			t.Errorf("%s: NewSender gave no error", tt.name)
		}
	}
}

func TestIsTemporary(t *testing.T) {
	if mail.IsTemporary(nil) {
		t.Error("IsTemporary(nil) = true")
	}
	if mail.IsTemporary(errors.New("mail: message has no recipient")) {
		t.Error("IsTemporary(plain error) = true")
	}
}
