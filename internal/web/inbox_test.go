package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestEmployeeInbox: a launched duty shows first on the targeted employee's
// home page — the duty to do and its notice, unread — and in the API;
// opening the notice marks it read and goes to the duty's page; marking all
// read empties the unread count; an employee outside the target sees
// neither, and nobody opens another's notice.
func TestEmployeeInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin := netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1"))
		d := &netra.Duty{TenantID: e.palangka.ID, Kind: netra.DutyPledge, Title: "Ikrar Netralitas ASN Pilkada 2024", Link: "/ikrar/3",
			DueAt: e.now().Add(10 * 24 * time.Hour), Target: netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: e.disdik.ID}}}}
		must(t, st.CreateDuty(admin, d))
		if _, err := st.LaunchDuty(admin, d.ID); err != nil {
			t.Fatal(err)
		}
		c := e.as("pegawai") // Siti Aminah, Bidang SD: in the target
		home := c.get("/saya")
		wantBody(t, home, 200, "Tugas Anda", "Ikrar Netralitas ASN Pilkada 2024", `href="/ikrar/3"`, "1 belum dikerjakan",
			"Kotak masuk", "1 belum dibaca", "Ikrar netralitas untuk ditandatangani", "Kerjakan")
		body := home.Body.String()
		if facts := strings.Index(body, `class="facts"`); strings.Index(body, "Tugas Anda") > facts || strings.Index(body, "Kotak masuk") > facts {
			t.Error("the duties and the inbox do not come before the personal data")
		}
		c.lang = "en"
		wantBody(t, c.get("/saya"), 200, "Your tasks", "Inbox", "1 unread", "A neutrality pledge to sign")
		c.lang = ""

		// The API says the same.
		ns := decode[apiNoticeList](t, c.get("/api/v1/me/notices"))
		if ns.Unread != 1 || len(ns.Items) != 1 || ns.Items[0].Kind != "pledge.open" || ns.Items[0].ReadAt != nil || ns.Items[0].Link != "/ikrar/3" {
			t.Fatalf("API notices: %+v", ns)
		}
		ds := decode[list[apiMyDuty]](t, c.get("/api/v1/me/duties"))
		if len(ds.Items) != 1 || ds.Items[0].Status != "pending" || ds.Items[0].Title != d.Title || ds.Items[0].Link != "/ikrar/3" {
			t.Fatalf("API duties: %+v", ds)
		}

		// Someone else may not open it; its owner opens it and lands on the duty.
		u, _, err := st.EmployeeLogin(context.Background(), e.employees["andi"].NIP) // Setda: outside the target
		must(t, err)
		e.users["andi"] = u
		o := e.as("andi")
		wantBody(t, o.get("/saya"), 200, "Belum ada surat edaran, sosialisasi atau ikrar", "Belum ada pemberitahuan.")
		if w := o.post("/saya/pemberitahuan/"+id(ns.Items[0].ID), nil); w.Code != http.StatusNotFound {
			t.Errorf("another employee opened the notice: %d", w.Code)
		}
		if w := o.json("POST", "/api/v1/me/notices/"+id(ns.Items[0].ID)+"/read", nil); w.Code != http.StatusNotFound {
			t.Errorf("another employee read the notice through the API: %d", w.Code)
		}
		wantRedirect(t, c.post("/saya/pemberitahuan/"+id(ns.Items[0].ID), nil), "/ikrar/3")
		if got := decode[apiNoticeList](t, c.get("/api/v1/me/notices")); got.Unread != 0 || got.Items[0].ReadAt == nil {
			t.Errorf("after opening: %+v", got)
		}
		if body := c.get("/saya").Body.String(); strings.Contains(body, "belum dibaca") {
			t.Error("the home page still counts the notice unread")
		}

		// A reminder; then mark all read from the page.
		if _, err := st.RemindDuty(sys, d.ID, 3, d.DueAt.Add(-72*time.Hour).UTC().Format(time.DateOnly)); err != nil {
			t.Fatal(err)
		}
		must(t, st.SetDutyReminders(admin, d.ID, []int{3}))
		if _, err := st.RemindDuty(sys, d.ID, 3, d.DueAt.Add(-72*time.Hour).UTC().Format(time.DateOnly)); err != nil {
			t.Fatal(err)
		}
		wantBody(t, c.get("/saya"), 200, "Pengingat: ikrar netralitas belum ditandatangani", "1 belum dibaca")
		w := c.post("/saya/pemberitahuan/dibaca", nil)
		wantRedirect(t, w, "/saya")
		wantBody(t, c.get("/saya"), 200, "Semua pemberitahuan ditandai sudah dibaca.")
		if got := decode[apiNoticeList](t, c.get("/api/v1/me/notices")); got.Unread != 0 || len(got.Items) != 2 {
			t.Errorf("after marking all read: %+v", got)
		}
		if w := c.json("POST", "/api/v1/me/notices/"+id(ns.Items[0].ID)+"/read", nil); w.Code != http.StatusOK {
			t.Errorf("reading a read notice again: %d", w.Code)
		}
		// Staff without an employee record have no inbox.
		if w := e.as("admin").get("/api/v1/me/notices"); w.Code != http.StatusForbidden {
			t.Errorf("a staff user's inbox: %d", w.Code)
		}
	})
}
