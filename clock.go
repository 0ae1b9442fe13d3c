package netra

import (
	"sync"
	"time"
)

// Clock tells the time. Every part of Netra that reads the wall clock for a
// rule — legal deadlines, pledge periods, QR windows, session and code
// expiry, lockouts, the audit log's timestamps — takes the same Clock from
// main, so tests can move it. Durations measured for logs and metrics use
// the monotonic clock directly.
type Clock interface {
	// Now returns the current time in UTC, truncated to milliseconds, the
	// precision every timestamp is stored with.
	Now() time.Time
}

// SystemClock returns the real clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// ClockFunc adapts a function to a Clock; its result is normalised to UTC
// milliseconds like SystemClock's.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f().UTC().Truncate(time.Millisecond) }

// ManualClock is a Clock that moves only when told to, for tests. The zero
// value is not usable; build one with NewManualClock.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{t: t.UTC().Truncate(time.Millisecond)}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t.UTC().Truncate(time.Millisecond)
	c.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (c *ManualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d).Truncate(time.Millisecond)
	return c.t
}
