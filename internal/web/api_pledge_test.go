package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// employeeClient signs a fixture employee in with their own employee
// account (made as a first sign-in makes it), through a session made in
// the store.
func (e *env) employeeClient(key string) *client {
	e.t.Helper()
	u, _, err := e.st.EmployeeLogin(context.Background(), e.employees[key].NIP)
	must(e.t, err)
	tok := auth.RandomToken()
	now := e.now().Truncate(time.Millisecond)
	must(e.t, e.st.CreateSession(context.Background(), &store.Session{TokenHash: auth.HashToken(tok), UserID: u.ID,
		Stage: store.StageFull, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	c := e.anon()
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: tok}
	return c
}

var groupedCode = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$`)

// TestAPIPledgeSign: an employee signs through the API by typing their
// name: 201 with the code and its public address, 200 with the same
// signature again; errors are problem+json in the caller's language;
// no one signs for anyone, and a closed campaign takes no signature.
func TestAPIPledgeSign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		start := time.Now()
		camp := e.pledgeCampaign(t, "Ikrar Netralitas Pilkada 2024", -time.Hour, start.Add(10*time.Minute).Sub(e.now()))
		path := "/api/v1/pledge-campaigns/" + id(camp.ID) + "/sign"
		siti := e.as("pegawai") // Siti Aminah, Bidang Sekolah Dasar

		problem := func(w interface {
			Result() *http.Response
		}, status int, body string, parts ...string) {
			t.Helper()
			if r := w.Result(); r.StatusCode != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("status %d %s, want %d problem+json: %s", r.StatusCode, r.Header.Get("Content-Type"), status, body)
			}
			for _, p := range parts {
				if !strings.Contains(body, p) {
					t.Errorf("the problem lacks %q: %s", p, body)
				}
			}
		}
		w := siti.json("POST", path, map[string]string{"name": "Siti Aminah Binti"})
		problem(w, http.StatusUnprocessableEntity, w.Body.String(), `"name"`, "Nama yang diketik tidak sama")
		siti.lang = "en"
		w = siti.json("POST", path, map[string]string{"name": ""})
		problem(w, http.StatusUnprocessableEntity, w.Body.String(), "The name typed is not your name")
		siti.lang = ""
		w = siti.json("POST", path, map[string]string{"nama": "Siti Aminah"})
		problem(w, http.StatusUnprocessableEntity, w.Body.String(), "Kolom nama tidak dikenal")
		w = siti.do("POST", path, strings.NewReader(`{"name": "Siti`), http.Header{"Content-Type": {"application/json"}})
		problem(w, http.StatusBadRequest, w.Body.String(), "bukan JSON yang sah")

		w = siti.json("POST", path, map[string]string{"name": "  siti AMINAH "})
		if w.Code != http.StatusCreated {
			t.Fatalf("sign: %d %s", w.Code, w.Body.String())
		}
		sig := decode[apiPledgeSignature](t, w)
		at, err := time.Parse(time.RFC3339, sig.SignedAt)
		if !groupedCode.MatchString(sig.Code) || sig.VerifyURL != "http://netra.test/v/"+sig.Code || w.Header().Get("Location") != sig.VerifyURL ||
			sig.CampaignID != camp.ID || sig.Method != "online" || sig.LeafIndex != 0 || !strings.HasPrefix(sig.KeyID, "netra/pledge/62.71+") ||
			err != nil || at.Before(start.Add(-time.Second)) || at.After(time.Now()) || !strings.HasSuffix(sig.SignedAt, "Z") {
			t.Errorf("signature %+v (Location %s, %v)", sig, w.Header().Get("Location"), err)
		}
		if v, err := st.VerifyPledgeCode(context.Background(), sig.Code); err != nil || v.Status != netra.PledgeValid || v.Name != "Siti Aminah" {
			t.Errorf("the code verifies as %+v %v", v, err)
		}
		// Again, with any name: the same signature, 200.
		w = siti.json("POST", path, map[string]string{"name": "siapa saja"})
		if again := decode[apiPledgeSignature](t, w); w.Code != http.StatusOK || again != sig {
			t.Errorf("signing again: %d %+v, want 200 %+v", w.Code, again, sig)
		}

		// Not for anyone else, not on a campaign that does not exist.
		w = e.as("admin").json("POST", path, map[string]string{"name": "Siti Aminah"})
		problem(w, http.StatusForbidden, w.Body.String())
		w = siti.json("POST", "/api/v1/pledge-campaigns/999999/sign", map[string]string{"name": "Siti Aminah"})
		problem(w, http.StatusNotFound, w.Body.String())

		// Several employees at once each get their own signature.
		keys := []string{"sekda", "andi", "kadis", "smp"}
		names := []string{"Ahmad Sekda", "Andi Wijaya", "Rina Kadis", "Budi Santoso"}
		clients := make([]*client, len(keys))
		for i, k := range keys {
			clients[i] = e.employeeClient(k)
		}
		codes := make([]string, len(keys))
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() {
				w := clients[i].json("POST", path, map[string]string{"name": names[i]})
				if w.Code == http.StatusCreated {
					codes[i] = decode[apiPledgeSignature](t, w).Code
				} else {
					t.Errorf("%s signs: %d %s", keys[i], w.Code, w.Body.String())
				}
			})
		}
		wg.Wait()
		seen := map[string]bool{sig.Code: true}
		for _, c := range codes {
			if seen[c] {
				t.Errorf("code %q twice", c)
			}
			seen[c] = true
		}

		// After the closing time: no new signature; the one made stands.
		e.employee("baru", e.setda, "Nur Baru", "")
		late := e.employeeClient("baru")
		e.clock = camp.Closes.Add(time.Minute)
		w = late.json("POST", path, map[string]string{"name": "Nur Baru"})
		problem(w, http.StatusConflict, w.Body.String(), "menerima tanda tangan dari")
		w = siti.json("POST", path, map[string]string{"name": "Siti Aminah"})
		if again := decode[apiPledgeSignature](t, w); w.Code != http.StatusOK || again.Code != sig.Code {
			t.Errorf("the signature made, after closing: %d %s", w.Code, w.Body.String())
		}
		// Another government's employee finds no such campaign.
		w = e.employeeClient("tarakan").json("POST", path, map[string]string{"name": "Dewi Tarakan"})
		problem(w, http.StatusNotFound, w.Body.String())
	})
}
