package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// sessionSeen reads a session's last_seen_at and expires_at as the
// database holds them (UserSessions does not see touches held in memory).
func sessionSeen(t *testing.T, s *store.Store, userID int64, hash string) (seen, expires time.Time) {
	t.Helper()
	ss, err := s.UserSessions(context.Background(), userID, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ss {
		if x.TokenHash == hash {
			return x.LastSeenAt, x.ExpiresAt
		}
	}
	t.Fatalf("no session %s", hash)
	return
}

// TestSeenSession: a touch is held in memory, seen at once by
// SessionByHash (so a session it extends stays valid), written within a
// second with the others, written by Close, never moves a session
// backwards, and never brings back a deleted session.
func TestSeenSession(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			w := mustWorld(t, s)
			e1 := mustEmployee(t, s, w.setda.ID, "198609262015051001", "Budi Santoso")
			e2 := mustEmployee(t, s, w.setda.ID, "199001132019032014", "Siti Aminah")
			users, err := s.EmployeeAccounts(sys(), []int64{e1.ID, e2.ID, 999999})
			if err != nil || len(users) != 2 || users[e1.ID] == 0 {
				t.Fatalf("accounts %v %v", users, err)
			}
			again, err := s.EmployeeAccounts(sys(), []int64{e1.ID})
			if err != nil || again[e1.ID] != users[e1.ID] {
				t.Fatalf("accounts again %v %v", again, err)
			}
			if u, _, err := s.EmployeeLogin(ctx, e2.NIP); err != nil || u.ID != users[e2.ID] {
				t.Fatalf("the bulk account is the one sign-in finds: %+v %v", u, err)
			}
			t0 := time.Date(2024, 9, 10, 3, 0, 0, 0, time.UTC)
			var ss []store.Session
			for i := range 3 {
				ss = append(ss, store.Session{TokenHash: fmt.Sprintf("hash-%d", i), UserID: users[e1.ID], Stage: store.StageFull,
					CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
			}
			if err := s.CreateSessions(ctx, ss); err != nil {
				t.Fatal(err)
			}

			// Held: the database still has the old values, SessionByHash the new.
			s.SeenSession("hash-0", t0.Add(50*time.Minute), t0.Add(110*time.Minute))
			if seen, _ := sessionSeen(t, s, users[e1.ID], "hash-0"); !seen.Equal(t0) {
				t.Fatalf("the touch was written at once: %v", seen)
			}
			got, err := s.SessionByHash(ctx, "hash-0", t0.Add(70*time.Minute))
			if err != nil || !got.LastSeenAt.Equal(t0.Add(50*time.Minute)) || !got.ExpiresAt.Equal(t0.Add(110*time.Minute)) {
				t.Fatalf("past its written expiry, within the held one: %+v %v", got, err)
			}
			if _, err := s.SessionByHash(ctx, "hash-1", t0.Add(70*time.Minute)); err == nil {
				t.Fatal("an expired session is found")
			}
			// Written within a second, without being asked.
			for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if seen, exp := sessionSeen(t, s, users[e1.ID], "hash-0"); seen.Equal(t0.Add(50 * time.Minute)) {
					if !exp.Equal(t0.Add(110 * time.Minute)) {
						t.Fatalf("expiry %v", exp)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the held touch was not written within 3 s")
				}
			}
			// An older touch does not move a session back; a deleted session
			// stays deleted.
			s.SeenSession("hash-0", t0.Add(10*time.Minute), t0.Add(70*time.Minute))
			s.SeenSession("hash-2", t0.Add(20*time.Minute), t0.Add(80*time.Minute))
			if err := s.DeleteSession(ctx, "hash-2"); err != nil {
				t.Fatal(err)
			}
			if err := s.FlushSessionTouches(ctx); err != nil {
				t.Fatal(err)
			}
			if seen, _ := sessionSeen(t, s, users[e1.ID], "hash-0"); !seen.Equal(t0.Add(50 * time.Minute)) {
				t.Errorf("an older touch moved the session back to %v", seen)
			}
			if _, err := s.SessionByHash(ctx, "hash-2", t0); err == nil {
				t.Error("a deleted session came back")
			}
			// Close writes what is held.
			s.SeenSession("hash-1", t0.Add(30*time.Minute), t0.Add(90*time.Minute))
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if seen, _ := sessionSeen(t, s2, users[e1.ID], "hash-1"); !seen.Equal(t0.Add(30 * time.Minute)) {
				t.Errorf("the touch held at Close: %v", seen)
			}
		})
	}
}
