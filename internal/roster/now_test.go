package roster

import "time"

// DefaultNow is the reference date of the parsing tests: the date the
// synthetic generator (internal/synth) uses by default, so that the fixtures
// keep their ages and appointment dates. It lives here because synth imports
// this package and its tests cannot import synth.
func DefaultNow() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
