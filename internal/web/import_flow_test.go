package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

const flowHeader = "NIP,NAMA,JENIS_PEGAWAI,GOLONGAN,JABATAN,JENIS_JABATAN,KODE_UNIT,EMAIL\n"

// TestImportPreviewCancel cancels a previewed upload: nothing is written
// and the page says so; a cancelled import cannot be confirmed.
func TestImportPreviewCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		w := a.upload("/impor", "instansi", e.palangka.ID, "roster.csv", smallRoster(), false)
		wantRedirect(t, w, "/impor/")
		page := w.Header().Get("Location")
		e.runJobs(nil)
		wantRedirect(t, a.post(page+"/batal", nil), "/impor?instansi=")
		wantBody(t, a.get(page), 200, "Impor dibatalkan; berkas yang diunggah sudah dihapus")
		wantBody(t, a.get("/impor"), 200, "Dibatalkan")
		if body := a.get("/pegawai?q=rahmat").Body.String(); strings.Contains(body, "Rahmat Hidayat") {
			t.Fatal("a cancelled import wrote an employee")
		}
		if w := a.post(page+"/konfirmasi", nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("confirming a cancelled import: %d", w.Code)
		}
		// Another government's admin does not see the import at all.
		if w := e.as("tarakan").post(page+"/konfirmasi", nil); w.Code != http.StatusNotFound {
			t.Errorf("Tarakan admin confirms Palangka Raya's import: %d", w.Code)
		}
	})
}

// TestImportResultPages pages the rejected rows 100 at a time and does not
// show a run with rejected rows as a green success.
func TestImportResultPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		var b strings.Builder
		b.WriteString(flowHeader)
		for i := 0; i < 230; i++ {
			fmt.Fprintf(&b, "%d,Rusak %d,PNS,III/a,Staf,Pelaksana,SETDA,\n", 1000+i, i)
		}
		a := e.as("admin")
		w := a.upload("/impor", "instansi", e.palangka.ID, "rusak.csv", b.String(), false)
		page := w.Header().Get("Location")
		e.runJobs(nil)
		wantRedirect(t, a.post(page+"/konfirmasi", nil), page)
		e.runJobs(nil)
		w = a.get(page)
		wantBody(t, w, 200, `<div class="notice" role="status">Impor selesai dengan catatan: 230 baris dibaca, 230 ditolak`,
			`href="`+page+`?hal=2" rel="next"`, "Halaman 1")
		if strings.Contains(w.Body.String(), `class="flash" role="status">Impor selesai`) {
			t.Error("a run with rejected rows is shown as a success")
		}
		if n := strings.Count(w.Body.String(), "NIP harus 18 digit angka."); n != 100 {
			t.Errorf("page 1 shows %d rejected rows, want 100", n)
		}
		w = a.get(page + "?hal=3")
		wantBody(t, w, 200, `href="`+page+`?hal=2" rel="prev"`, "Halaman 3")
		if n := strings.Count(w.Body.String(), "NIP harus 18 digit angka."); n != 30 || strings.Contains(w.Body.String(), `rel="next"`) {
			t.Errorf("page 3 shows %d rejected rows, want 30 and no next page", n)
		}
	})
}

// TestTransferPages: Palangka Raya imports a row naming Tarakan's employee;
// it waits as a pending transfer that only Tarakan (or a super admin)
// decides, and Palangka Raya sees only what it sent.
func TestTransferPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.user("kalteng", netra.RoleTenantAdmin, e.kalteng, nil)
		dewi := e.employees["tarakan"]
		file := flowHeader + dewi.NIP + ",Dewi Pindahan,PNS,III/c,Analis Kebijakan,Fungsional,SETDA,\n"
		a := e.as("admin")
		w := a.upload("/impor", "instansi", e.palangka.ID, "mutasi.csv", file, false)
		page := w.Header().Get("Location")
		e.runJobs(nil)
		wantBody(t, a.get(page), 200, "Pratinjau", `<strong>1</strong><span>Menunggu mutasi</span>`)
		wantRedirect(t, a.post(page+"/konfirmasi", nil), page)
		e.runJobs(nil)
		w = a.get(page)
		wantBody(t, w, 200, "menunggu konfirmasi mutasi", "Dewi Pindahan", "Sekretariat Daerah", `href="/mutasi?instansi=`+id(e.palangka.ID)+`"`)
		if strings.Contains(w.Body.String(), "Kota Tarakan") || strings.Contains(w.Body.String(), "Dewi Tarakan") {
			t.Error("the importing government is shown the other government's data")
		}
		w = a.get("/mutasi?instansi=" + id(e.palangka.ID))
		wantBody(t, w, 200, "Permintaan dari impor kami", "Dewi Pindahan", dewi.NIP)
		if strings.Contains(w.Body.String(), "Kota Tarakan") || strings.Contains(w.Body.String(), "/konfirmasi") {
			t.Error("the receiving side sees the sending government or may decide")
		}
		ms, err := st.Transfers(sys, e.tarakan.ID, false, store.TransferPending)
		if err != nil || len(ms) != 1 {
			t.Fatalf("transfers %+v %v", ms, err)
		}
		decide := "/mutasi/" + id(ms[0].ID) + "/konfirmasi"
		for _, who := range []string{"admin", "kalteng"} {
			if w := e.as(who).post(decide, nil); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
				t.Errorf("%s confirms Tarakan's transfer: %d", who, w.Code)
			}
		}
		if got, _ := st.Employee(sys, dewi.ID); got.TenantID != e.tarakan.ID {
			t.Fatalf("moved before Tarakan decided: %+v", got)
		}
		tk := e.as("tarakan")
		// Tarakan's admin is pointed to it from every page and the home page;
		// Palangka Raya, which may not decide it, is not told to.
		wantBody(t, tk.get("/"), 200, `<a href="/mutasi">Mutasi</a>`,
			`<a href="/mutasi?instansi=`+id(e.tarakan.ID)+`">1 mutasi menunggu konfirmasi</a>`)
		wantBody(t, tk.get("/mutasi"), 200, "Pegawai kami yang diminta instansi lain", `action="`+decide+`"`)
		if w := a.get("/"); strings.Contains(w.Body.String(), "menunggu konfirmasi") {
			t.Error("the receiving side is asked to decide")
		}
		wantBody(t, tk.get("/mutasi?instansi="+id(e.tarakan.ID)), 200, "Pegawai kami yang diminta instansi lain",
			"Kota Palangka Raya", `action="`+decide+`"`)
		wantRedirect(t, tk.post(decide, map[string][]string{"instansi": {id(e.tarakan.ID)}}), "/mutasi?instansi="+id(e.tarakan.ID))
		got, err := st.Employee(sys, dewi.ID)
		if err != nil || got.TenantID != e.palangka.ID || got.UnitID != e.setda.ID || got.Name != "Dewi Pindahan" || got.Golongan != "III/c" {
			t.Fatalf("after confirming: %+v %v", got, err)
		}
		wantBody(t, tk.get("/mutasi?instansi="+id(e.tarakan.ID)+"&status=confirmed"), 200, "Dikonfirmasi", "user:tarakan")
		if w := tk.get("/"); strings.Contains(w.Body.String(), "menunggu konfirmasi") {
			t.Error("a decided transfer is still counted on the home page")
		}

		// The API: listed for the receiving side without the sender; a
		// decided transfer cannot be decided again.
		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		l := decode[list[apiTransfer]](t, c.get("/api/v1/transfers?tenant_id="+id(e.palangka.ID)+"&direction=incoming&status=confirmed"))
		if len(l.Items) != 1 || l.Items[0].FromTenantID != nil || l.Items[0].Name != "Dewi Pindahan" || l.Items[0].Status != "confirmed" {
			t.Errorf("API incoming: %+v", l.Items)
		}
		if w := c.get("/api/v1/transfers?tenant_id=" + id(e.palangka.ID) + "&direction=sideways"); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad direction: %d", w.Code)
		}
		st2 := e.apiClient(netra.RoleTenantAdmin, e.tarakan, nil)
		if w := st2.do("POST", "/api/v1/transfers/"+id(ms[0].ID)+"/refuse", nil, nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("refusing a confirmed transfer: %d %s", w.Code, w.Body.String())
		}
	})
}
