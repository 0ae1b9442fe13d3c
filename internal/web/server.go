// Package web serves Netra's user interface and its JSON API: server-rendered
// HTML pages (Indonesian by default, English on request) that work on a
// phone, and /api/v1 for integrations, both from the one route table in
// routes.go. Every route names the permission it needs; the store checks
// the unit scope again on every call. Templates and static files are
// embedded, so the binary is the whole server.
package web

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store"
)

// Config is what the web server needs from main.
type Config struct {
	// MaxUpload bounds a roster upload in bytes; 0 means DefaultMaxUpload.
	MaxUpload int64
	Store     *store.Store
	Imports   *imports.Runner
	// BaseURL is the public URL of the server ("https://netra.palangkaraya.go.id"),
	// used in e-mailed links; an https URL makes cookies Secure and turns on HSTS.
	BaseURL string
	Logger  *slog.Logger
	// Registry receives the HTTP, database and job metrics; nil creates one
	// with the Go and process collectors.
	Registry *prometheus.Registry
	// MetricsToken, when set, lets a scraper that sends it as a bearer token
	// read /metrics on the main address; without it /metrics there answers
	// 404 and the metrics are only served by MetricsHandler (a separate
	// listener).
	MetricsToken string
}

// Server is the web server. Build it with New; it is safe for concurrent use.
type Server struct {
	store   *store.Store
	imports *imports.Runner
	baseURL string
	secure  bool // BaseURL is https
	log     *slog.Logger
	clock   netra.Clock // the store's: one clock for the whole program
	hasher  *auth.Hasher

	cat    catalog
	pages  map[string]*pageTemplate
	assets *assets

	registry     *prometheus.Registry
	metrics      *metrics
	metricsToken string

	signInLimit *ipLimiter // password and TOTP attempts per IP
	codeLimit   *ipLimiter // e-mailed code requests and code attempts per IP
	phantoms    *failures  // failed sign-ins for unknown usernames, so they lock like real ones
	dummyOnce   sync.Once
	dummyHash   string // a password hash to verify against when there is no account

	maxUpload int64

	routes  []route
	handler http.Handler
}

// New builds a server from cfg: it parses the templates, hashes the static
// files, registers the metrics and the routes. It fails when a route lacks a
// permission or a template does not parse.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	if cfg.Imports == nil {
		return nil, errors.New("web: Config.Imports is required")
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("web: BaseURL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	s := &Server{
		store:        cfg.Store,
		imports:      cfg.Imports,
		baseURL:      base,
		secure:       u.Scheme == "https",
		log:          cfg.Logger,
		clock:        cfg.Store.Clock(),
		hasher:       auth.DefaultHasher(),
		registry:     cfg.Registry,
		metricsToken: cfg.MetricsToken,
		// Per-address limits are generous because a whole office signs in
		// from behind one NAT address; accounts and codes have their own,
		// stricter limits (lockout, attempts per code, codes per employee).
		signInLimit: newIPLimiter(20, 3*time.Second),
		codeLimit:   newIPLimiter(30, 2*time.Second),
		phantoms:    newFailures(),
	}
	s.maxUpload = cmp.Or(cfg.MaxUpload, DefaultMaxUpload)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
		s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if s.cat, err = loadCatalog(); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.metrics, err = newMetrics(s.registry, s.store); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	mux, err := s.router(s.routes)
	if err != nil {
		return nil, err
	}
	s.handler = s.middleware(mux, u)
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// MetricsHandler serves the Prometheus metrics at /metrics with no
// credentials, for a listener of its own (--metrics-addr) that only the
// monitoring network reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler)
	return mux
}

// now returns the current time in UTC, truncated to the millisecond as the
// store keeps it.
func (s *Server) now() time.Time { return s.clock.Now() }

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files under names that carry a hash of
// their content ("app.3f2a9c1b.css"), so they can be cached for a year and
// still change with each release.
type assets struct {
	byName   map[string]string // "app.css" → "/static/app.3f2a9c1b.css"
	byHashed map[string]asset  // "app.3f2a9c1b.css" → content
}

type asset struct {
	body []byte
	ext  string
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, byHashed: map[string]asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.byName[name] = "/static/" + hashed
		a.byHashed[hashed] = asset{body: b, ext: ext}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of a static file; an unknown name is a bug and
// shows as a broken link rather than a crash.
func (a *assets) url(name string) string {
	if u, ok := a.byName[name]; ok {
		return u
	}
	return "/static/missing/" + name
}

var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
}

// static serves a hashed static file with a year-long cache.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets.byHashed[r.PathValue("file")]
	if !ok {
		return errNotFound
	}
	w.Header().Set("Content-Type", contentTypes[a.ext])
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err := w.Write(a.body)
	return err
}
