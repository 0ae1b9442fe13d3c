package web

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// reqInfo is what the middleware learns about a request, shared by pointer
// through the context so that inner layers (the router, the session loader,
// the handler) can tell outer ones (the access log, the metrics) about it.
type reqInfo struct {
	id     string
	start  time.Time
	lang   string
	ip     string
	route  string           // "GET /pegawai/{id}", "" when no route matched
	perm   netra.Permission // of the matched route
	status int
	bytes  int64

	actor   *netra.Actor   // nil: not signed in
	user    *netra.User    // the signed-in user (full session)
	session *store.Session // the browser's session, full or pending
	pending bool           // session has passed the password only
}

type infoKey struct{}

// info returns the request's reqInfo; outside the middleware (in tests of a
// single function) it returns a fresh one.
func info(r *http.Request) *reqInfo {
	if in, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return in
	}
	return &reqInfo{lang: langID}
}

// middleware wraps the router in the layers every request passes, outermost
// first: request id, access log, metrics and panic recovery; security
// headers; cross-origin (CSRF) protection; the session or API token.
func (s *Server) middleware(mux http.Handler, base *url.URL) http.Handler {
	cop := http.NewCrossOriginProtection()
	// Behind a reverse proxy that rewrites Host, the public origin still counts as ours.
	_ = cop.AddTrustedOrigin(base.Scheme + "://" + base.Host)
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, netra.Userf(netra.ErrForbidden, "Permintaan lintas situs ditolak. Muat ulang halaman lalu coba lagi.",
			"Cross-site request refused. Reload the page and try again."))
	}))
	h := s.loadSession(mux)
	h = cop.Handler(h)
	h = s.securityHeaders(h)
	return s.observe(h)
}

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives the request an id (a well-formed X-Request-Id from a proxy
// is kept), recovers a panicking handler, and writes the access log line and
// the metrics. The log names the route pattern, never the raw path or query,
// which can hold NIPs and tokens.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := &reqInfo{start: time.Now(), lang: requestLang(r), ip: clientIP(r)}
		if id := r.Header.Get("X-Request-Id"); requestIDRe.MatchString(id) {
			in.id = id
		} else {
			in.id = newRequestID()
		}
		w.Header().Set("X-Request-Id", in.id)
		sw := &statusWriter{ResponseWriter: w, in: in}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, in))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", in.id, "route", in.route, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !sw.wrote {
					s.fail(sw, r, fmt.Errorf("panic: %v", v))
				} else {
					in.status = http.StatusInternalServerError
				}
			}
			s.finish(r, in)
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) finish(r *http.Request, in *reqInfo) {
	if in.status == 0 {
		in.status = http.StatusOK
	}
	dur := time.Since(in.start)
	route := in.route
	if route == "" {
		route = "unmatched"
	}
	s.metrics.observe(route, in.status, dur)
	attrs := []any{"method", r.Method, "route", route, "status", in.status, "ms", dur.Milliseconds(),
		"bytes", in.bytes, "request_id", in.id}
	if a := in.actor; a != nil {
		if a.UserID != 0 {
			attrs = append(attrs, "user_id", a.UserID)
		}
		if a.TokenID != 0 {
			attrs = append(attrs, "token_id", a.TokenID)
		}
	}
	s.log.Info("http", attrs...)
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	in    *reqInfo
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.in.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.in.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("web: hijack not supported")
}

// csp allows nothing inline: no inline script, no inline style, no frames.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the headers every response carries. Responses are not
// cached unless a handler says otherwise (static files do): pages hold
// personal data.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address the connection comes from. X-Forwarded-For is not
// trusted: behind a proxy every client would share the proxy's limit, which
// is safe, while trusting the header would let anyone pick their own address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ipLimiter is a token bucket per client address. Buckets unused for ttl are
// dropped, so memory stays bounded by the number of recent clients.
type ipLimiter struct {
	mu      sync.Mutex
	burst   int
	every   time.Duration
	ttl     time.Duration
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(burst int, every time.Duration) *ipLimiter {
	return &ipLimiter{burst: burst, every: every, ttl: 30 * time.Minute, buckets: map[string]*bucket{}}
}

// allow takes one token for ip; when none is left it says how long to wait.
func (l *ipLimiter) allow(ip string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.ttl {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if !res.OK() {
		return false, l.every
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limited wraps a handler in a per-IP rate limit.
func (s *Server) limited(l *ipLimiter, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if ok, wait := l.allow(info(r).ip, s.now()); !ok {
			return &tooMany{retry: wait}
		}
		return h(w, r)
	}
}

// failures counts failed sign-ins for usernames that do not exist, per
// name and source and per name, the way the store counts them for real
// accounts, so that they slow down alike and the answers reveal nothing.
type failures struct {
	mu sync.Mutex
	m  map[string]failure
}

type failure struct {
	n    int
	last time.Time
}

func newFailures() *failures { return &failures{m: map[string]failure{}} }

func (f *failures) read(key string, since time.Time) failure {
	e := f.m[key]
	if e.last.Before(since) {
		return failure{}
	}
	return e
}

// get returns the failures counted for name, from source and in all, since a time.
func (f *failures) get(name, source string, since time.Time) store.LoginFailures {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, b := f.read(name+"\x00"+source, since), f.read(name, since)
	return store.LoginFailures{Source: a.n, SourceLast: a.last, Account: b.n, AccountLast: b.last}
}

// fail counts one failure for name from source and returns the new counts.
func (f *failures) fail(name, source string, now, since time.Time) store.LoginFailures {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.m) > 100000 { // a flood of random names: start over rather than grow
		clear(f.m)
	}
	var out [2]failure
	for i, k := range []string{name + "\x00" + source, name} {
		e := f.read(k, since)
		e.n, e.last = e.n+1, now
		f.m[k], out[i] = e, e
	}
	return store.LoginFailures{Source: out[0].n, SourceLast: out[0].last, Account: out[1].n, AccountLast: out[1].last}
}
