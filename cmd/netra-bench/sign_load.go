package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The storm's client: the same code drives Netra and the bare baseline.
// Each signer is one employee with their session cookie; every request
// signs once for a signer who has not signed yet.

// signer is one employee of the storm.
type signer struct {
	Token string `json:"token"` // the session cookie's value
	Name  string `json:"name"`  // what they type
}

// stormClient POSTs signatures to a server.
type stormClient struct {
	url  string // the sign endpoint
	http *http.Client
}

func newStormClient(base string, campaignID int64, conns int) *stormClient {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute,
		DisableCompression: true}
	return &stormClient{url: fmt.Sprintf("%s/api/v1/pledge-campaigns/%d/sign", base, campaignID),
		http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// sign makes one request and returns its status.
func (c *stormClient) sign(ctx context.Context, s signer) (int, error) {
	body, _ := json.Marshal(map[string]string{"name": s.Name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "netra_session", Value: s.Token})
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

// runStats is what one run of the storm measured.
type runStats struct {
	label     string
	requests  int
	ok        int // 2xx answers: acknowledged signatures
	failed    int // other answers and transport errors
	firstErr  string
	seconds   float64
	latencies []time.Duration // of every request, sorted
}

func (r *runStats) perSecond() float64 {
	if r.seconds == 0 {
		return 0
	}
	return float64(r.ok) / r.seconds
}

func (r *runStats) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func (r *runStats) String() string {
	s := fmt.Sprintf("%-22s %6d requests %8.0f/s  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms", r.label, r.requests, r.perSecond(),
		millis(r.quantile(0.5)), millis(r.quantile(0.99)), millis(r.quantile(1)))
	if r.failed > 0 {
		s += fmt.Sprintf("  FAILED %d (%s)", r.failed, r.firstErr)
	}
	return s
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// recorder gathers the outcomes of concurrent requests.
type recorder struct {
	mu   sync.Mutex
	runs runStats
}

func (r *recorder) add(d time.Duration, status int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs.requests++
	r.runs.latencies = append(r.runs.latencies, d)
	switch {
	case err == nil && status >= 200 && status < 300:
		r.runs.ok++
	default:
		r.runs.failed++
		if r.runs.firstErr == "" {
			if err != nil {
				r.runs.firstErr = err.Error()
			} else {
				r.runs.firstErr = fmt.Sprintf("status %d", status)
			}
		}
	}
}

func (r *recorder) done(label string, elapsed time.Duration) *runStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.runs
	out.label, out.seconds = label, elapsed.Seconds()
	slices.Sort(out.latencies)
	return &out
}

// closedLoop signs every signer with conc clients, each sending its next
// request when the last one is answered: the throughput the server
// sustains at that concurrency.
func closedLoop(ctx context.Context, c *stormClient, signers []signer, conc int, label string) *runStats {
	var rec recorder
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(signers) || ctx.Err() != nil {
					return
				}
				t := time.Now()
				status, err := c.sign(ctx, signers[i])
				rec.add(time.Since(t), status, err)
			}
		})
	}
	wg.Wait()
	return rec.done(label, time.Since(start))
}

// openLoop sends requests at a fixed rate whatever the answers, each timed
// from the moment it was due (so that a stalled server shows in the
// latencies instead of slowing the client down), with at most maxOpen in
// flight.
func openLoop(ctx context.Context, c *stormClient, signers []signer, rate float64, maxOpen int, label string) *runStats {
	var rec recorder
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxOpen)
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	for i, s := range signers {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			status, err := c.sign(ctx, s)
			rec.add(time.Since(due), status, err)
		})
	}
	wg.Wait()
	return rec.done(label, time.Since(start))
}

// sweep runs closed loops at doubling concurrencies up to maxConc, each on
// its own share of signers, and returns them with the one of peak
// throughput.
func sweep(ctx context.Context, c *stormClient, signers []signer, maxConc int, name string, out io.Writer) (runs []*runStats, peak *runStats, peakConc int) {
	levels := concurrencies(maxConc)
	share := len(signers) / len(levels)
	for i, conc := range levels {
		part := signers[i*share : (i+1)*share]
		if i == len(levels)-1 {
			part = signers[i*share:]
		}
		r := closedLoop(ctx, c, part, conc, fmt.Sprintf("%s c=%d", name, conc))
		fmt.Fprintln(out, "  "+r.String())
		runs = append(runs, r)
		if peak == nil || r.perSecond() > peak.perSecond() {
			peak, peakConc = r, conc
		}
	}
	return runs, peak, peakConc
}

// concurrencies doubles from 4 (or max, if smaller) up to max.
func concurrencies(max int) []int {
	var out []int
	for c := 4; c < max; c *= 2 {
		out = append(out, c)
	}
	return append(out, max)
}

// timer times a read every period until stopped.
type timer struct {
	stop chan struct{}
	done chan struct{}
	got  []time.Duration
	errs int
	err  error
}

func startTimer(period time.Duration, read func() error) *timer {
	t := &timer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
				start := time.Now()
				if err := read(); err != nil {
					t.errs++
					t.err = err
					continue
				}
				t.got = append(t.got, time.Since(start))
			}
		}
	}()
	return t
}

// end stops the timer and returns its reads' p50, p99 and maximum.
func (t *timer) end() (n int, p50, p99, max time.Duration) {
	close(t.stop)
	<-t.done
	slices.Sort(t.got)
	if len(t.got) == 0 {
		return 0, 0, 0, 0
	}
	q := func(f float64) time.Duration { return t.got[min(len(t.got)-1, int(f*float64(len(t.got))))] }
	return len(t.got), q(0.5), q(0.99), t.got[len(t.got)-1]
}
