package mail

import (
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes a mail URL can ask for with its tls parameter.
const (
	// TLSNone sends in clear text; only for a relay on the same host or in tests.
	TLSNone TLSMode = "none"
	// TLSStartTLS connects in clear text and upgrades with STARTTLS, failing
	// if the server does not offer it (the usual submission port 587).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (smtps, port 465).
	TLSImplicit TLSMode = "tls"
)

// Default ports: submission with STARTTLS, and submissions with implicit TLS
// (RFC 8314). Port 25 is for server-to-server relay, which Netra never does.
const (
	defaultPort    = 587
	defaultTLSPort = 465
)

// Config says where outgoing mail goes. Build it with ParseURL from the one
// mail setting; the zero value is not usable.
type Config struct {
	// Log means there is no SMTP server: messages are written to a log
	// writer instead, so that a demo or a development machine still shows
	// the one-time codes it would have sent. Not for production: the log
	// then holds live sign-in codes and links.
	Log bool

	Host     string
	Port     int
	TLS      TLSMode
	Username string // empty: no SMTP AUTH
	Password string

	// From is the sender of every message. Required for SMTP; optional in
	// log mode.
	From netmail.Address
}

// ParseURL parses the mail setting, one of:
//
//	smtp://user:pass@host:587?from=Netra%20<noreply@example.go.id>&tls=starttls
//	smtps://user:pass@host?from=noreply@example.go.id
//	log:   (or an empty string, or log:?from=...)
//
// tls is none, starttls or tls; smtp:// defaults to starttls and smtps://
// means tls. The port defaults to 587, or 465 with tls. The user and password
// must be given together, and are refused over tls=none except to a loopback
// host. Errors are in English for operators and never repeat the password.
func ParseURL(raw string) (Config, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "log:" || raw == "log" {
		return Config{Log: true}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, password included; keep only the reason.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return Config{}, fmt.Errorf("mail URL: %w", err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("mail URL: query: %w", err)
	}
	for k, v := range q {
		if k != "from" && k != "tls" {
			return Config{}, fmt.Errorf("mail URL: unknown parameter %q (want from, tls)", k)
		}
		if len(v) > 1 {
			return Config{}, fmt.Errorf("mail URL: parameter %q given %d times", k, len(v))
		}
	}

	var c Config
	if from := q.Get("from"); from != "" {
		a, err := netmail.ParseAddress(from)
		if err != nil {
			return Config{}, fmt.Errorf("mail URL: from %q: %w", from, err)
		}
		c.From = *a
	}

	switch u.Scheme {
	case "log":
		if u.Opaque != "" || u.Host != "" || u.User != nil || q.Has("tls") {
			return Config{}, errors.New("mail URL: log: takes no address, credentials or tls, only ?from=")
		}
		c.Log = true
		return c, nil
	case "smtp":
		c.TLS = TLSStartTLS
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return Config{}, fmt.Errorf("mail URL: scheme %q not supported (want smtp, smtps or log)", u.Scheme)
	}

	if u.Opaque != "" {
		return Config{}, fmt.Errorf("mail URL: want %s://host, not %s:host", u.Scheme, u.Scheme)
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, fmt.Errorf("mail URL: unexpected path %q", u.Path)
	}
	if c.Host = u.Hostname(); c.Host == "" {
		return Config{}, errors.New("mail URL: host required")
	}
	if c.From.Address == "" {
		return Config{}, errors.New("mail URL: from parameter required, e.g. ?from=Netra%20<noreply@example.go.id>")
	}

	if t := q.Get("tls"); t != "" {
		mode := TLSMode(strings.ToLower(t))
		switch mode {
		case TLSNone, TLSStartTLS, TLSImplicit:
		default:
			return Config{}, fmt.Errorf("mail URL: tls=%q not supported (want none, starttls or tls)", t)
		}
		if u.Scheme == "smtps" && mode != TLSImplicit {
			return Config{}, fmt.Errorf("mail URL: smtps:// always uses TLS, but tls=%s", t)
		}
		c.TLS = mode
	}

	c.Port = defaultPort
	if c.TLS == TLSImplicit {
		c.Port = defaultTLSPort
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("mail URL: port %q outside 1..65535", p)
		}
		c.Port = n
	}

	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" || c.Password == "" {
			return Config{}, errors.New("mail URL: give both user and password, or neither")
		}
		if c.TLS == TLSNone && !isLoopback(c.Host) {
			return Config{}, fmt.Errorf("mail URL: refusing to send the SMTP password to %s without TLS (use tls=starttls or tls)", c.Host)
		}
	}
	return c, nil
}

// String returns c as a mail URL with the password masked, so the
// configuration can be logged at start-up.
func (c Config) String() string {
	if c.Log {
		if c.From.Address == "" {
			return "log:"
		}
		return "log:?" + url.Values{"from": {c.From.String()}}.Encode()
	}
	u := url.URL{
		Scheme:   "smtp",
		Host:     net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		RawQuery: url.Values{"from": {c.From.String()}, "tls": {string(c.TLS)}}.Encode(),
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, c.Password)
	}
	return u.Redacted()
}

// isLoopback reports whether host is this machine, where a clear-text
// password does not cross a network.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
