package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestSessionTouchThrottled: requests write their session's last_seen_at
// (and move its idle expiry) at most once a minute, so that a storm of
// requests from one browser does not queue a write each behind the single
// writer; the session still lives from its last touch.
func TestSessionTouchThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
		e.clock = t0
		u := e.users["pegawai"]
		tok := auth.RandomToken()
		hash := auth.HashToken(tok)
		must(t, st.CreateSession(ctx, &store.Session{TokenHash: hash, UserID: u.ID, Stage: store.StageFull,
			CreatedAt: t0.Add(-2 * time.Minute), ExpiresAt: t0.Add(time.Hour)}))
		c := e.anon()
		c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: tok}
		written := func() (seen, expires time.Time) {
			t.Helper()
			must(t, st.FlushSessionTouches(ctx))
			ss, err := st.UserSessions(ctx, u.ID, t0.Add(-time.Hour))
			must(t, err)
			for _, s := range ss {
				if s.TokenHash == hash {
					return s.LastSeenAt, s.ExpiresAt
				}
			}
			t.Fatal("the session is gone")
			return
		}
		get := func(at time.Duration) {
			t.Helper()
			e.clock = t0.Add(at)
			if w := c.get("/api/v1/me"); w.Code != http.StatusOK {
				t.Fatalf("at +%v: %d %s", at, w.Code, w.Body.String())
			}
		}
		get(0)
		if seen, exp := written(); !seen.Equal(t0) || !exp.Equal(t0.Add(employeeIdle)) {
			t.Fatalf("first request: last seen %v, expires %v", seen, exp)
		}
		for _, at := range []time.Duration{time.Second, 10 * time.Second, 30 * time.Second, 59 * time.Second} {
			get(at)
		}
		if seen, exp := written(); !seen.Equal(t0) || !exp.Equal(t0.Add(employeeIdle)) {
			t.Fatalf("within the minute the session was written again: last seen %v, expires %v", seen, exp)
		}
		get(61 * time.Second)
		if seen, exp := written(); !seen.Equal(t0.Add(61*time.Second)) || !exp.Equal(t0.Add(61*time.Second+employeeIdle)) {
			t.Fatalf("after a minute: last seen %v, expires %v", seen, exp)
		}
	})
}
