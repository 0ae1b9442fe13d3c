package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"time"
)

// SampleTime is the fixed moment of the samples: 13 July 2024, 10.00 WIB.
var SampleTime = time.Date(2024, 7, 13, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// SampleLetterhead is the letterhead of the samples: a made-up agency of
// Palangka Raya with a drawn emblem.
func SampleLetterhead() Letterhead {
	return Letterhead{
		Government: "PEMERINTAH KOTA PALANGKA RAYA",
		Agency:     "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
		Address:    "Jalan Tjilik Riwut Km. 5,5, Palangka Raya, Kalimantan Tengah 73112",
		Contact:    "Telepon (0536) 322 0000 · Pos-el bkpsdm@palangkaraya.example",
		Logo:       SampleLogo(),
	}
}

// SampleText is a pledge text in the form Document.Body reads: the four
// commitments Tarakan's officials signed in July 2024, in our own words.
const SampleText = `Kami, Aparatur Sipil Negara di lingkungan Pemerintah Kota Palangka Raya, dengan penuh kesadaran dan tanggung jawab menyatakan komitmen bersama untuk menjaga netralitas dalam Pemilihan Gubernur, Bupati, dan Wali Kota Serentak Tahun 2024:

1. Menjaga dan menegakkan netralitas Aparatur Sipil Negara sebelum, selama, dan sesudah pemilihan, dalam pelayanan kepada masyarakat.
2. Menghindari konflik kepentingan dengan tidak terlibat politik praktis dan tidak berpihak kepada pasangan calon mana pun.
3. Tidak mengunggah, menanggapi, atau menyebarluaskan gambar maupun konten pasangan calon di media sosial.
4. Menolak politik uang dan segala bentuk pemberian — dalam bentuk apa pun.

Demikian ikrar ini kami buat untuk dilaksanakan, bukan hanya oleh pejabat yang menandatanganinya, tetapi juga oleh seluruh jajaran di bawahnya: “ASN netral, pemilihan berintegritas”.`

// SampleCertificate is a certificate with every part filled, a signer
// whose name has diacritics, for the sample command and the tests.
func SampleCertificate() Certificate {
	signed := time.Date(2024, 7, 4, 9, 12, 0, 0, SampleTime.Location())
	return Certificate{
		Letterhead: SampleLetterhead(),
		Title:      "SERTIFIKAT IKRAR NETRALITAS ASN",
		Subtitle:   "Pemilihan Kepala Daerah Serentak Tahun 2024",
		Intro:      "Yang bertanda tangan di bawah ini:",
		Signer: []Field{
			{"Nama", "Dra. Théresia Nuñez Siahaan, M.Si."},
			{"NIP", "19780314 200312 2 005"},
			{"Jabatan", "Kepala Subbagian Umum dan Kepegawaian"},
			{"Unit kerja", "Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Palangka Raya"},
			{"Waktu", DateTime(signed)},
			{"Cara", "Ditandatangani secara elektronik (masuk dengan kata sandi dan kode TOTP)"},
		},
		Text:       SampleText,
		Status:     "SAH",
		StatusNote: "Tercatat dalam log transparansi Netra, entri ke-1.204.",
		VerifyURL:  "https://netra.palangkaraya.example/v/7KQ2-M9XA-4TDE",
		Code:       "7KQ2-M9XA-4TDE",
		Created:    SampleTime,
		FooterNote: "Dokumen elektronik Netra · netra.palangkaraya.example",
	}
}

// SampleReport is a coverage report of n made-up units.
func SampleReport(n int) Report {
	var target, done int64
	for i := range n {
		t, s := sampleCounts(i)
		target += t
		done += s
	}
	return Report{
		Letterhead: SampleLetterhead(),
		Title:      "LAPORAN CAKUPAN IKRAR NETRALITAS ASN",
		Subtitle:   "Pemilihan Kepala Daerah Serentak Tahun 2024",
		Period:     "Keadaan per " + DateTime(SampleTime),
		Intro:      "Contoh laporan dengan data rekaan: unit kerja, jumlah pegawai sasaran, yang sudah dan yang belum menandatangani ikrar, serta cakupannya.",
		Columns: []Column{
			{Title: "No.", Width: 0.55, Align: AlignRight},
			{Title: "Unit kerja", Width: 4},
			{Title: "Sasaran", Width: 1.1, Align: AlignRight},
			{Title: "Sudah", Width: 1.1, Align: AlignRight},
			{Title: "Belum", Width: 1.1, Align: AlignRight},
			{Title: "Cakupan", Width: 1.1, Align: AlignRight},
		},
		Rows: func(yield func([]string, error) bool) {
			for i := range n {
				t, s := sampleCounts(i)
				if !yield([]string{Int(int64(i + 1)), sampleUnit(i), Int(t), Int(s), Int(t - s), Percent(s, t)}, nil) {
					return
				}
			}
		},
		Totals: []string{"", "Jumlah", Int(target), Int(done), Int(target - done), Percent(done, target)},
		Signature: &Signature{
			Place: "Palangka Raya", Date: SampleTime,
			Role: "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
			Name: "Ir. Hendra Gunawan Tjilik, M.T.", Rank: "Pembina Utama Muda (IV/c)", NIP: "19700512 199503 1 002",
			Note: "Ditandatangani secara elektronik",
		},
		Created:    SampleTime,
		FooterNote: "Dokumen elektronik Netra · netra.palangkaraya.example",
	}
}

var (
	sampleAgencies = []string{"Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Badan Perencanaan Pembangunan Daerah",
		"Badan Pengelolaan Keuangan dan Aset Daerah", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
		"Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Perhubungan",
		"Dinas Lingkungan Hidup", "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Sosial",
		"Dinas Komunikasi, Informatika, Statistik dan Persandian", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
		"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"}
	sampleDistricts = []string{"Pahandut", "Sabangau", "Jekan Raya", "Bukit Batu", "Rakumpit"}
	sampleVillages  = []string{"Pahandut", "Panarung", "Langkai", "Tumbang Rungan", "Tanjung Pinang", "Pahandut Seberang",
		"Kereng Bangkirai", "Sabaru", "Kalampangan", "Kameloh Baru", "Bereng Bengkel", "Danau Tundai", "Menteng",
		"Palangka", "Bukit Tunggal", "Petuk Katimpun", "Tangkiling", "Banturung", "Tumbang Tahai", "Marang",
		"Sei Gohong", "Kanarakan", "Habaring Hurung", "Petuk Bukit", "Pager", "Mungku Baru", "Bukit Sua", "Gaung Baru"}
)

// sampleUnit names the i-th unit of the sample report: the agencies, the
// districts (kecamatan), the villages (kelurahan) and their health centres,
// then schools.
func sampleUnit(i int) string {
	for _, part := range []struct {
		names  []string
		prefix string
	}{{sampleAgencies, ""}, {sampleDistricts, "Kecamatan "}, {sampleVillages, "Kelurahan "}, {sampleVillages, "UPT Puskesmas "}} {
		if i < len(part.names) {
			return part.prefix + part.names[i]
		}
		i -= len(part.names)
	}
	if i%3 == 2 {
		return fmt.Sprintf("SMP Negeri %d Palangka Raya", i/3+1)
	}
	return fmt.Sprintf("SD Negeri %d Palangka Raya", i-i/3)
}

func sampleCounts(i int) (target, done int64) {
	target = int64(12 + (i*37)%180)
	done = target * int64(40+(i*53)%61) / 100
	return target, done
}

// SampleLogo draws the emblem of the samples: a shield in green and gold,
// as PNG bytes (with a transparent background, to exercise the soft mask).
func SampleLogo() []byte {
	const n = 240
	img := image.NewNRGBA(image.Rect(0, 0, n, n*6/5))
	green := color.NRGBA{0, 105, 60, 255}
	gold := color.NRGBA{230, 180, 30, 255}
	b := img.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < n; x++ {
			fx, fy := (float64(x)-n/2)/(n/2), float64(y)/float64(b.Dy())
			// The shield: straight sides to 55% of its height, then a curve to a point.
			half := 0.92
			if fy > 0.55 {
				half = 0.92 * math.Sqrt(max(0, 1-math.Pow((fy-0.55)/0.45, 2)))
			}
			if fy < 0.04 || math.Abs(fx) > half {
				continue
			}
			c := green
			inner := half - 0.12
			if math.Abs(fx) < inner && fy > 0.11 && fy < 0.93-0.1*math.Abs(fx) {
				c = gold
				// A five-pointed star in the middle.
				sx, sy := fx, (fy-0.45)*2.1
				r := math.Hypot(sx, sy)
				a := math.Atan2(sy, sx) + math.Pi/2
				k := math.Mod(a+2*math.Pi, 2*math.Pi/5) - math.Pi/5
				if r < 0.45*(0.5+0.5*math.Cos(k*5)/(1+0.0)) || r < 0.2 {
					c = green
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var out bytes.Buffer
	png.Encode(&out, img)
	return out.Bytes()
}
