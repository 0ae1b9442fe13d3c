package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/synth"
)

// siasnExtras are the columns beyond bareColumns that a SIASN export
// fills, by the employee column that would hold each (the registry's names)
// and the export column it comes from. The bare load inserts those the
// employees table has, so that it writes what Netra writes.
var siasnExtras = []struct{ column, from string }{
	{"nik", "NIK"}, {"pns_id", "PNS_ID"}, {"nip_lama", "NIP_LAMA"}, {"birth_place", "TEMPAT_LAHIR_NAMA"},
	{"other_email", "EMAIL"}, {"eselon", "ESELON"}, {"education", "TINGKAT_PENDIDIKAN_NAMA"},
	{"rank_date", "TMT_GOLONGAN"}, {"position_date", "TMT_JABATAN"},
}

// employeeColumns lists the columns of the employees table.
func employeeColumns(ctx context.Context, dbURL string) (map[string]bool, error) {
	db, err := openBare(dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT * FROM employees LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, c := range cols {
		out[c] = true
	}
	return out, nil
}

// bareLoadSIASN is bareLoad for the SIASN shape: the same columns Netra
// reads (governments and units looked up by name in maps, the labels
// turned into stored values by a switch, dd-mm-yyyy dates turned around),
// and the same columns Netra stores.
func bareLoadSIASN(ctx context.Context, s *store.Store, dbURL string, f io.Reader, sep rune, gu *govUnits) (int64, error) {
	r, col, err := bareCSV(f, sep, synth.SIASNColumns)
	if err != nil {
		return 0, err
	}
	have, err := employeeColumns(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	cols := append([]string(nil), bareColumns...)
	var extraFrom []int
	for _, x := range siasnExtras {
		if have[x.column] {
			cols = append(cols, x.column)
			extraFrom = append(extraFrom, col[x.from])
		}
	}
	c := func(name string) int { return col[name] }
	iNIP, iName, iFront, iBack, iKind, iCPNS := c("NIP_BARU"), c("NAMA"), c("GELAR_DEPAN"), c("GELAR_BELAKANG"), c("JENIS_PEGAWAI_NAMA"), c("STATUS_CPNS_PNS")
	iGol, iPos, iPosKind, iEselon, iUnit, iParent := c("GOL_AKHIR_NAMA"), c("JABATAN_NAMA"), c("JENIS_JABATAN_NAMA"), c("ESELON"), c("UNOR_NAMA"), c("UNOR_INDUK_NAMA")
	iGov, iEmail, iPhone, iStatus, iBirth, iSex := c("INSTANSI_KERJA_NAMA"), c("EMAIL_GOV"), c("NOMOR_HP"), c("KEDUDUKAN_HUKUM_NAMA"), c("TANGGAL_LAHIR"), c("JENIS_KELAMIN")
	now := time.Now().UnixMilli()
	vals := make([]any, len(cols))
	var readErr error
	next := func() ([]any, bool) {
		rec, err := r.Read()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			return nil, false
		}
		gov := rec[iGov]
		tid, ok := gu.tenantOf[gov]
		if !ok {
			readErr = fmt.Errorf("unknown government %q", gov)
			return nil, false
		}
		unit, ok := gu.byName[gov][rec[iUnit]+"|"+rec[iParent]]
		if !ok {
			readErr = fmt.Errorf("%s: unknown unit %q under %q", gov, rec[iUnit], rec[iParent])
			return nil, false
		}
		name := rec[iName]
		sex := "L"
		if rec[iSex] == "F" {
			sex = "P"
		}
		vals = append(vals[:0], tid, rec[iNIP], name, strings.ToLower(name), rec[iFront], rec[iBack],
			siasnType(rec[iKind], rec[iCPNS]), rec[iGol], rec[iPos], siasnPositionType(rec[iPosKind], rec[iEselon]),
			unit, rec[iEmail], rec[iPhone], siasnStatus(rec[iStatus]), isoDate(rec[iBirth]),
			sex, nil, now, now)
		for k, i := range extraFrom {
			var v any = rec[i]
			if x := cols[len(bareColumns)+k]; (x == "rank_date" || x == "position_date") && rec[i] != "" {
				v = isoDate(rec[i]) // no TMT stays empty text: the columns are NOT NULL DEFAULT ''
			}
			vals = append(vals, v)
		}
		return vals, true
	}
	n, err := bareInsert(ctx, dbURL, cols, next)
	if readErr != nil {
		return n, readErr
	}
	return n, err
}

// siasnType, siasnPositionType and siasnStatus map the labels the
// generator writes; a bare load need not know other spellings.
func siasnType(kind, cpns string) string {
	switch {
	case strings.HasPrefix(kind, "PNS") && cpns == "C":
		return "cpns"
	case strings.HasPrefix(kind, "PNS"):
		return "pns"
	case kind == "PPPK Paruh Waktu":
		return "pppk_paruh_waktu"
	}
	return "pppk"
}

func siasnPositionType(kind, eselon string) string {
	switch {
	case kind == "Jabatan Fungsional Tertentu":
		return "fungsional"
	case kind != "Struktural":
		return "pelaksana"
	case strings.HasPrefix(eselon, "I."):
		return "jpt_madya"
	case strings.HasPrefix(eselon, "II."):
		return "jpt_pratama"
	case strings.HasPrefix(eselon, "III."):
		return "administrator"
	}
	return "pengawas"
}

func siasnStatus(s string) string {
	switch s {
	case "CLTN":
		return "cltn"
	case "Tugas Belajar":
		return "study_leave"
	case "Masa Persiapan Pensiun":
		return "pre_retirement"
	case "Pemberhentian Sementara":
		return "suspended"
	}
	return "active"
}

// isoDate turns dd-mm-yyyy into yyyy-mm-dd; "" stays "".
func isoDate(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[6:] + "-" + s[3:5] + "-" + s[:2]
}
