package netra

import "testing"

func TestParsePositionTypeLaw(t *testing.T) {
	tests := []struct {
		in   string
		want PositionType
		ok   bool
	}{
		// UU 5/2014 Pasal 131: eselon I.a and I.b are JPT madya.
		{"Eselon I.a", JPTMadya, true},
		{"Eselon I.b", JPTMadya, true},
		{"Eselon I", JPTMadya, true},
		{"JPT Utama", JPTUtama, true}, // only when said outright
		{"Jabatan Pimpinan Tinggi Madya", JPTMadya, true},
		{"Eselon II.b", JPTPratama, true},
		{"eselon 2a", JPTPratama, true},
		{"Eselon III", Administrator, true},
		{"Eselon IV.b", Pengawas, true},
		{"Eselon V", Pelaksana, true},
		{"Jabatan Fungsional Tertentu", Fungsional, true},
		{"JFT", Fungsional, true},
		{"Fungsional", Fungsional, true},
		{"Fungsional Umum", Pelaksana, true},
		{"JFU", Pelaksana, true},
		{"Jabatan Pelaksana", Pelaksana, true},
		{"Pelaksana", Pelaksana, true},
		// Umbrellas and bare codes are not one type.
		{"Jabatan Administrasi", "", false},
		{"administrasi", "", false},
		{"Struktural", "", false},
		{"JPT", "", false},
		{"2", "", false},
		{"12", "", false},
		{"Kepala", "", false},
	}
	for _, tt := range tests {
		if got, ok := ParsePositionType(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParsePositionType(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, s := range []string{"Jabatan Administrasi", "ADMINISTRASI", "Struktural", "Jabatan Struktural", "JPT", "Pimpinan Tinggi"} {
		if !UmbrellaPositionType(s) {
			t.Errorf("UmbrellaPositionType(%q) = false", s)
		}
	}
	for _, s := range []string{"Administrator", "Pelaksana", "JPT Pratama", ""} {
		if UmbrellaPositionType(s) {
			t.Errorf("UmbrellaPositionType(%q) = true", s)
		}
	}
}

func TestParseEselon(t *testing.T) {
	tests := []struct {
		in, canonical string
		want          PositionType
	}{
		{"I.a", "I.a", JPTMadya}, {"I.b", "I.b", JPTMadya}, {"11", "I.a", JPTMadya}, {"12", "I.b", JPTMadya},
		{"II.a", "II.a", JPTPratama}, {"IIb", "II.b", JPTPratama}, {"21", "II.a", JPTPratama}, {"22", "II.b", JPTPratama},
		{"III.a", "III.a", Administrator}, {"III/b", "III.b", Administrator}, {"31", "III.a", Administrator}, {"32", "III.b", Administrator},
		{"IV.a", "IV.a", Pengawas}, {"Eselon IV.b", "IV.b", Pengawas}, {"41", "IV.a", Pengawas}, {"42", "IV.b", Pengawas}, {"4a", "IV.a", Pengawas},
		{"V.a", "V.a", Pelaksana}, {"51", "V.a", Pelaksana}, {"II", "II", JPTPratama},
		{"Non Eselon", "", ""}, {"", "", ""}, {"-", "", ""},
	}
	for _, tt := range tests {
		got, c, ok := ParseEselon(tt.in)
		if !ok || got != tt.want || c != tt.canonical {
			t.Errorf("ParseEselon(%q) = %q %q %v, want %q %q", tt.in, got, c, ok, tt.want, tt.canonical)
		}
	}
	for _, s := range []string{"VI", "V.b", "52", "13", "61", "IIc", "x", "Kepala"} {
		if got, c, ok := ParseEselon(s); ok {
			t.Errorf("ParseEselon(%q) = %q %q, want refusal", s, got, c)
		}
	}
}

func TestParseEmploymentTypeSIASN(t *testing.T) {
	tests := map[string]EmploymentType{
		"PNS DAERAH KAB/KOTA": PNS, "PNS DAERAH PROVINSI": PNS, "PNS PUSAT": PNS,
		"PNS DAERAH KAB/KOTA DIPERBANTUKAN DI PROVINSI": PNS, "PNS Pusat DPK": PNS,
		"CPNS DAERAH KAB/KOTA": CPNS, "CPNS": CPNS,
		"PPPK": PPPK, "PPPK Penuh Waktu": PPPK, "PPPK Paruh Waktu": PPPKParuhWaktu, "P3K": PPPK,
		"Non ASN": NonASN, "Tenaga Honorer": NonASN,
	}
	for in, want := range tests {
		if got, ok := ParseEmploymentType(in); !ok || got != want {
			t.Errorf("ParseEmploymentType(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, s := range []string{"TNI", "POLRI", "Pejabat Negara", "PNSX"} {
		if got, ok := ParseEmploymentType(s); ok {
			t.Errorf("ParseEmploymentType(%q) = %q, want refusal", s, got)
		}
	}
}

func TestParseEmployeeStatusSIASN(t *testing.T) {
	tests := map[string]EmployeeStatus{
		"Aktif": StatusActive, "": StatusActive, "CLTN": StatusCLTN, "Cuti Di Luar Tanggungan Negara": StatusCLTN,
		"Perpanjangan CLTN": StatusCLTN, "Tugas Belajar": StatusStudyLeave, "Pemberhentian Sementara": StatusSuspended,
		"Masa Persiapan Pensiun": StatusPreRetirement, "MPP": StatusPreRetirement, "Pindah Instansi": StatusMovedOut,
		"Pensiun": StatusRetired, "Meninggal": StatusDeceased, "Diberhentikan Tidak Dengan Hormat": StatusDismissed,
		"Berhenti Atas Permintaan Sendiri": StatusDismissed,
	}
	for in, want := range tests {
		if got, ok := ParseEmployeeStatus(in); !ok || got != want {
			t.Errorf("ParseEmployeeStatus(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	// Every label Netra writes reads back.
	for _, s := range EmployeeStatuses {
		for _, lang := range []string{"id", "en"} {
			if got, ok := ParseEmployeeStatus(s.Label(lang)); lang == "id" && (!ok || got != s) {
				t.Errorf("label %q reads as %q %v", s.Label(lang), got, ok)
			}
		}
	}
}

func TestHeadPost(t *testing.T) {
	tests := []struct {
		name string
		t    PositionType
		want bool
	}{
		{"Kepala Dinas Pendidikan", JPTPratama, true},
		{"KEPALA BIDANG SEKOLAH DASAR", Administrator, true},
		{"Kepala Seksi Kurikulum", Pengawas, true},
		{"Kepala UPT Puskesmas Pahandut", Pengawas, true},
		{"Camat Pahandut", Administrator, true},
		{"Lurah Langkai", Pengawas, true},
		{"Sekretaris Daerah", JPTMadya, true},
		{"Sekretaris Dinas Kesehatan", Administrator, true},
		{"Inspektur", JPTPratama, true},
		{"Inspektur Pembantu Wilayah I", Administrator, true},
		{"Direktur RSUD", JPTPratama, true},
		{"Asisten Pemerintahan dan Kesra", JPTPratama, true},
		{"Kabid Anggaran", Administrator, true},
		{"Kasubbag Umum", Pengawas, true},
		{"Kasi Pemerintahan", Pengawas, true},
		{"Ka. Subbag Keuangan", Pengawas, true},
		{"Kepala Sekolah", Fungsional, false}, // an additional duty of a teacher
		{"Plt. Kepala Dinas", JPTPratama, false},
		{"Staf Ahli Bupati", JPTPratama, false},
		{"Analis Kebijakan", Fungsional, false},
		{"Kasir", Pelaksana, false},
		{"Kasir", Pengawas, false},
		{"Pengadministrasi Umum", Pelaksana, false},
		{"Wakil Direktur Pelayanan", Administrator, false},
		{"", Pengawas, false},
	}
	for _, tt := range tests {
		if got := HeadPost(tt.name, tt.t); got != tt.want {
			t.Errorf("HeadPost(%q, %s) = %v, want %v", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestProvinceCode(t *testing.T) {
	for _, s := range []string{"11", "62", "6271014101900001", "96", "21"} {
		if !ProvinceCode(s) {
			t.Errorf("ProvinceCode(%q) = false", s)
		}
	}
	for _, s := range []string{"10", "20", "99", "00", "6", "", "x1", "54"} {
		if ProvinceCode(s) {
			t.Errorf("ProvinceCode(%q) = true", s)
		}
	}
}
