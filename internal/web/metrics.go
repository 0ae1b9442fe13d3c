package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/netra-id/netra/internal/store"
)

// metrics holds the HTTP metrics; the database pool and job queue gauges
// are read from the store when Prometheus scrapes.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(reg *prometheus.Registry, s *store.Store) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "netra_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "netra_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, &storeCollector{s: s}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m, nil
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// metricsPage serves the Prometheus text format on the main address, only
// to a scraper holding the metrics token: the figures are counts and
// timings, but they tell an outsider how busy sign-in is and which routes
// exist. Without a token configured the page does not exist here (404); the
// metrics listener (MetricsHandler) serves them instead.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	if s.metricsToken == "" {
		return errNotFound
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.metricsToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "401 unauthorized", http.StatusUnauthorized) // a scraper, not a person: no sign-in page
		return nil
	}
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

// storeCollector reads the database pool statistics and the job queue at
// scrape time.
type storeCollector struct{ s *store.Store }

var (
	dbOpen     = prometheus.NewDesc("netra_db_open_connections", "Open database connections.", []string{"pool"}, nil)
	dbInUse    = prometheus.NewDesc("netra_db_in_use_connections", "Database connections in use.", []string{"pool"}, nil)
	dbIdle     = prometheus.NewDesc("netra_db_idle_connections", "Idle database connections.", []string{"pool"}, nil)
	dbMax      = prometheus.NewDesc("netra_db_max_open_connections", "Maximum open database connections.", []string{"pool"}, nil)
	dbWaits    = prometheus.NewDesc("netra_db_wait_count_total", "Times a query waited for a free connection.", []string{"pool"}, nil)
	dbWaitSecs = prometheus.NewDesc("netra_db_wait_duration_seconds_total", "Time spent waiting for a free connection.", []string{"pool"}, nil)
	jobsDesc   = prometheus.NewDesc("netra_jobs", "Background jobs by state.", []string{"state"}, nil)
	jobsUp     = prometheus.NewDesc("netra_jobs_scrape_ok", "1 when the job queue could be read at this scrape.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpen, dbInUse, dbIdle, dbMax, dbWaits, dbWaitSecs, jobsDesc, jobsUp} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	w, r := c.s.DBStats()
	for _, p := range []struct {
		name                   string
		open, inUse, idle, max int
		waits                  int64
		wait                   time.Duration
	}{
		{"write", w.OpenConnections, w.InUse, w.Idle, w.MaxOpenConnections, w.WaitCount, w.WaitDuration},
		{"read", r.OpenConnections, r.InUse, r.Idle, r.MaxOpenConnections, r.WaitCount, r.WaitDuration},
	} {
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, float64(p.open), p.name)
		ch <- prometheus.MustNewConstMetric(dbInUse, prometheus.GaugeValue, float64(p.inUse), p.name)
		ch <- prometheus.MustNewConstMetric(dbIdle, prometheus.GaugeValue, float64(p.idle), p.name)
		ch <- prometheus.MustNewConstMetric(dbMax, prometheus.GaugeValue, float64(p.max), p.name)
		ch <- prometheus.MustNewConstMetric(dbWaits, prometheus.CounterValue, float64(p.waits), p.name)
		ch <- prometheus.MustNewConstMetric(dbWaitSecs, prometheus.CounterValue, p.wait.Seconds(), p.name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	queued, running, failed, err := c.s.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(jobsUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(jobsUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(queued), "queued")
	ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(running), "running")
	ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(failed), "failed")
}
