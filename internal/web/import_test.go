package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// smallRoster has two good rows and, on line 4, a NIP that is too short.
func smallRoster() string {
	return "NIP,NAMA,JENIS_PEGAWAI,GOLONGAN,JABATAN,JENIS_JABATAN,KODE_UNIT,EMAIL\n" +
		nipFor(301) + ",Rahmat Hidayat,PNS,III/b,Guru Ahli Pertama,Fungsional,DISDIK-SD,rahmat@palangkaraya.go.id\n" +
		nipFor(302) + ",Yuni Astuti,PNS,II/c,Pengadministrasi Perkantoran,Pelaksana,SETDA,\n" +
		"12345,Baris Salah,PNS,III/a,Analis,Pelaksana,SETDA,\n"
}

// TestImportPages uploads a roster with a bad row through the page, sees
// the progress page, runs the queued import and reads the result and the
// rejected-rows CSV.
func TestImportPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		wantBody(t, a.get("/impor"), 200, `enctype="multipart/form-data"`, "KODE_UNIT", "wajib", `href="/impor/contoh.csv"`)
		sample := a.get("/impor/contoh.csv")
		if sample.Header().Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(sample.Body.String(), "NIP,NAMA") {
			t.Errorf("sample: %s", sample.Body.String())
		}
		w := a.upload("/impor", "instansi", e.palangka.ID, "roster.csv", smallRoster(), false)
		wantRedirect(t, w, "/impor/")
		page := w.Header().Get("Location")
		wantBody(t, a.get(page), 200, `<progress max="100" value="0"`, `data-poll="/api/v1/imports/`,
			`<noscript><meta http-equiv="refresh" content="2"></noscript>`, `aria-live="polite"`)
		// The upload first runs as a dry run: the preview counts, writes
		// nothing, and waits for the operator.
		e.runJobs(nil)
		w = a.get(page)
		wantBody(t, w, 200, "Pratinjau: belum ada yang ditulis", "3 baris dibaca.", `action="`+page+`/konfirmasi"`,
			`action="`+page+`/batal"`, "Baris yang akan ditolak, dan peringatan", "Kota Palangka Raya (62.71)")
		if body := a.get("/pegawai?q=rahmat").Body.String(); strings.Contains(body, "Rahmat Hidayat") {
			t.Fatal("the preview wrote an employee")
		}
		wantRedirect(t, a.post(page+"/konfirmasi", nil), page)
		e.runJobs(nil)
		w = a.get(page)
		wantBody(t, w, 200, `<div class="notice" role="status">Impor selesai dengan catatan: 3 baris dibaca, 1 ditolak, 0 menunggu konfirmasi mutasi.`, "Baris yang ditolak", `<td class="num">4</td>`,
			`<td class="mono">NIP</td>`, "12345", "NIP harus 18 digit angka.", "ditolak.csv")
		if strings.Contains(w.Body.String(), "<progress") {
			t.Error("the result page still shows the progress bar")
		}
		csv := a.get(page + "/ditolak.csv")
		if !strings.HasPrefix(csv.Body.String(), "\ufeffBARIS;KOLOM;NILAI;ALASAN\n4;NIP;12345;NIP harus 18 digit angka.") {
			t.Errorf("rejected rows CSV:\n%q", csv.Body.String())
		}
		a.lang = "en"
		if body := a.get(page + "/ditolak.csv").Body.String(); !strings.Contains(body, "LINE;COLUMN;VALUE;REASON\n4;NIP;12345;The NIP must be 18 digits.") {
			t.Errorf("English CSV:\n%s", body)
		}
		a.lang = ""
		wantBody(t, a.get("/pegawai?q=rahmat"), 200, "Rahmat Hidayat")
		wantBody(t, a.get("/impor"), 200, "roster.csv", "Selesai")

		// A file that cannot be read at all is refused as a whole, and
		// nothing is created.
		before, err := st.Imports(netra.WithActor(context.Background(), actorFor(e.users["admin"], "")), e.palangka.ID)
		must(t, err)
		for name, content := range map[string]string{
			"kosong.csv": "",
			"biner.csv":  "PK\x00\x00\x00garbage\x00\x00",
			"kolom.csv":  "NAMA,GOLONGAN\nBudi,III/a\n",
			"lama.xls":   "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
		} {
			w := a.upload("/impor", "instansi", e.palangka.ID, name, content, false)
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `href="#f-file"`) {
				t.Errorf("%s: %d\n%s", name, w.Code, w.Body.String())
			}
		}
		after, err := st.Imports(netra.WithActor(context.Background(), actorFor(e.users["admin"], "")), e.palangka.ID)
		must(t, err)
		if len(after) != len(before) {
			t.Errorf("unreadable files created imports: %d → %d", len(before), len(after))
		}
		wantBody(t, a.upload("/impor", "instansi", e.palangka.ID, "kosong.csv", "", false), 422, "Berkas kosong.")
		// A verifier may not import; a unit-scoped admin only into its tenant.
		if w := e.as("verifier").upload("/impor", "instansi", e.palangka.ID, "r.csv", smallRoster(), false); w.Code != 403 {
			t.Errorf("verifier upload: %d", w.Code)
		}
		if w := e.as("tarakan").upload("/impor", "instansi", e.palangka.ID, "r.csv", smallRoster(), false); w.Code != 403 {
			t.Errorf("Tarakan admin uploads into Palangka Raya: %d", w.Code)
		}
	})
}
