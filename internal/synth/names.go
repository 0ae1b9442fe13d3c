package synth

import "strings"

// nameGroup is a naming tradition: given names by sex, and the second names
// or family names (marga, fam) that follow them. Traditions without family
// names use second given names, which are also sex-specific.
type nameGroup struct {
	male, female         []string
	maleLast, femaleLast []string
	lastShare            int // percent of people with a second name
	malePrefix           []string
	femalePrefix         []string
	prefixShare          int // percent of people with a prefix (Andi, Lalu, Baiq, Teuku, Cut)
	balinese             bool
}

// words splits a space-separated list; the tables below read better as text.
func words(s string) []string { return strings.Fields(s) }

// nameGroups returns the naming traditions, keyed by a short name. It builds
// them anew on each call so that no package-level table can be modified.
func nameGroups() map[string]*nameGroup {
	javaFamily := words("Santoso Wibowo Prasetyo Nugroho Setiawan Hidayat Kurniawan Susilo Purnomo Widodo Hartono Saputro Wijaya Utomo Gunawan Pratama Firmansyah Hermawan Sutrisno Suryadi Handoko Cahyono Raharjo Sulistyo Darmawan Haryanto Wicaksono Suharto Mulyono Supriyadi Riyanto Budiman")
	javaFemale := words("Wahyuni Lestari Rahayu Handayani Suryani Kusumawati Purwaningsih Setyowati Wulandari Puspitasari Susanti Rahmawati Anggraini Sulistyowati Ningsih Hartini Fitriani Yuliani Kurniasih Maryati Sundari Wijayanti Pratiwi Astuti Safitri Nurhayati Utami Permatasari")
	return map[string]*nameGroup{
		"jawa": {
			male:       words("Budi Agus Bambang Joko Slamet Sugeng Wahyu Eko Dwi Tri Hadi Teguh Yudi Adi Ari Bagus Dimas Hendro Heru Rudi Sigit Yoga Anton Arif Bayu Fajar Galih Hari Imam Rahmat Rizky Muhammad Ahmad Aris Danang Gatot Kukuh Nanang Priyo Sapto"),
			female:     words("Sri Siti Endang Dewi Rina Yuni Dwi Tri Ani Wati Nur Lina Rini Sari Ratna Tutik Indah Wahyu Eka Retno Ayu Dyah Kartika Febri Nining Puji Umi Yeni Anik Diah"),
			maleLast:   javaFamily,
			femaleLast: javaFemale,
			lastShare:  85,
		},
		"sunda": {
			male:       words("Asep Ujang Dede Cecep Dadang Yayan Deden Iwan Ade Agus Dodi Endang Entis Hendra Jajang Kurnia Nandang Rudi Tatang Ucu Wawan Yusuf Dadan Aceng Cucu Engkus Mamat"),
			female:     words("Euis Neneng Iis Yeti Lilis Cucu Enok Imas Nenden Rina Siti Tati Yuyun Dewi Elis Ai Neni Nia Rosita Santi Titin Wiwin Yani Dini Rani"),
			maleLast:   words("Sunarya Suhendar Permana Hidayat Kusnadi Saepudin Supriatna Gunawan Rusmana Sopandi Sumpena Hermawan Setiadi Nugraha Ramdani Kurniawan Firmansyah Mulyana Somantri Rukmana Suryana Wiguna"),
			femaleLast: words("Nurhasanah Rahayu Sumiati Kurniasih Nurjanah Rohaeti Hermawati Komalasari Maryani Sumarni Wulandari Yulianti Handayani Sulastri Nuraeni Mulyani Rosmiati"),
			lastShare:  75,
		},
		"batak": {
			male:      words("Togar Parlindungan Maruli Binsar Hotman Sahat Tigor Martua Hendra Roy Jhonson Poltak Bonar Darwin Edison Freddy Hasudungan Juniardi Marihot Ramot Robert Sondang Tumpal Wilson Jonatan Horas"),
			female:    words("Rosmawati Tiurma Nurmala Lamria Rotua Dameria Masniari Rosdiana Hotnida Ruth Mariani Erlina Juliana Lenny Tiominar Rumondang Sahara Sondang Debora Elfrida Yohana"),
			maleLast:  words("Siregar Simanjuntak Nasution Harahap Lubis Sitompul Situmorang Pasaribu Sinaga Hutapea Simatupang Manurung Panjaitan Silalahi Tambunan Sihombing Gultom Napitupulu Siahaan Hutagalung Simbolon Sitorus Pardede Sembiring Ginting Tarigan Purba Damanik Saragih Marpaung"),
			lastShare: 100,
		},
		"minang": {
			male:       words("Afrizal Syafrizal Zulkifli Yusrizal Hendri Rizal Fauzan Irwan Mahyeldi Andri Yulnadi Syahrial Defriadi Nofrizal Elfianto Erizal Masrul Yosmeri Zulhendri Firdaus Yondra Rafki Ilham"),
			female:     words("Yusnidar Nurhayati Rosmaniar Yeni Desmawati Fitri Elvira Yusmaniar Nelmawati Afrida Rahmi Syafrida Yelli Nofiarti Elfi Yulia Mardiah Desi Ernita Reni Lisnawati Zuraida"),
			maleLast:   words("Tanjung Piliang Chaniago Koto Sikumbang Jambak Syamsuddin Amir Rasyid Putra Syahputra Hakim Darmansyah Effendi Datuak"),
			femaleLast: words("Tanjung Piliang Chaniago Koto Sikumbang Jambak Yanti Susanti Rahmawati Fitriani Marlina"),
			lastShare:  60,
		},
		"melayu": {
			male:       words("Syahrul Azhar Zulkarnain Fadli Hendra Rizky Ikhsan Amran Firdaus Zainal Syamsul Rahmat Faisal Ridwan Zulfahmi Azwar Hasan Junaidi Mukhtar Rusli Saiful Tengku Usman"),
			female:     words("Zuraida Nurhasanah Rosnah Azizah Herawati Juliana Maimunah Fatimah Rosmini Nurlela Hasnah Rahmah Salmah Zubaidah Erni Fitri Jamilah Rosidah Sarifah Wan"),
			maleLast:   words("Syahputra Effendi Ismail Yusuf Abdullah Hamzah Harun Saleh Hasan Mahmud Rahman Husin Ibrahim Idris Zakaria Arsyad"),
			femaleLast: words("Sari Wati Ningsih Yanti Hasanah Fitriani Rahmawati Susanti Marlina"),
			lastShare:  65,
		},
		"banjar": {
			male:       words("Muhammad Ahmad Rusdi Aspihani Fahrurrazi Syahrani Anang Iwan Hairul Rahmadi Norhadi Mahdi Rizali Akhmad Gusti Fauzi Hamdani Jumberi Khairil Mursyid Rahmani Saberi Supiani Zainudin"),
			female:     words("Norhayati Masriah Halimah Rusmilawati Noorjannah Mahmudah Fitriani Aina Hamidah Jumiati Khairunnisa Mariatul Nurlaila Rabiatul Rusmini Salamah Siti Zaleha Hasanah Rahmah"),
			maleLast:   words("Hidayatullah Rahman Fadillah Arsyad Noor Syahrani Hasan Ansyari Ramadhani Rahmatullah Saputra Hidayat Rizani Wahyudi"),
			femaleLast: words("Noor Hidayah Rahmawati Fitriani Hasanah Maulida Mardiana Sa'adah Zahra"),
			lastShare:  70,
		},
		"dayak": {
			male:      words("Yansen Kristian Lukas Natalis Yohanes Marcos Rinaldi Agustinus Frans Elkana Riban Bayu Hardy Kardinal Fairid Agustiar Sugianto Teras Dwi Edy Renson Sepmiwawalma Yusuf Hendra"),
			female:    words("Yuliana Marlina Natalia Debora Yunita Rosalina Eprilia Herlina Sintha Elisabeth Mega Rika Febriyanti Ester Novita Tresia Vivi Yesi Desi Lusiana"),
			maleLast:  words("Sabran Narang Riwut Tarung Naparin Usop Dohong Nahan Mihing Tingang Lambung Anom Bahen Penyang Ngabut Sahay Lantang Bungai Jaya Rangkap Tuah Djaban"),
			lastShare: 90,
		},
		"bugis": {
			male:         words("Muhammad Syamsul Haerul Irfan Rahmat Arifuddin Amiruddin Baharuddin Syahrir Ilham Akbar Zainal Nurdin Hasanuddin Jamaluddin Kamaruddin Mustari Rusdi Sudirman Syarifuddin Taufik Yusran Asri Idris"),
			female:       words("Sitti Nurhaeda Hasnawati Rismawati Suriani Hasmiati Nurlina Hasriani Hartati Jumriah Marwah Nurhayati Rosdiana Salmiah Sunarti Wahyuni Hasnah Haslinda Nurjannah Sukmawati"),
			maleLast:     words("Amiruddin Baharuddin Syamsuddin Tahir Latif Hamid Rasyid Mappiasse Mallarangeng Sulaiman Pawelloi Patunru Mattalitti Lamappa Rauf Mansyur Hafid"),
			femaleLast:   words("Tahir Latif Hamid Rasyid Sulaiman Rauf Mansyur Hafid Syam Ramli"),
			lastShare:    60,
			malePrefix:   words("Andi"),
			femalePrefix: words("Andi"),
			prefixShare:  15,
		},
		"bali": {
			male:     words("Gede Agus Bagus Suarjana Sudarma Artawan Wirawan Sukadana Mertayasa Sudiarta Arsana Budiasa Dharma Eka Putra Suastika Widiana Yasa Adnyana Astawa Sutama Suardana"),
			female:   words("Ayu Sri Sukmawati Ariani Suastini Wulandari Puspitasari Kartini Dewi Sumiarsih Trisna Wahyuni Purnami Suwitri Rusmini Artini Sudarmi Yuliantari Sutarini Indrawati"),
			balinese: true,
		},
		"manado": {
			male:      words("Johny Frangky Stevanus Rendy Meky Jefry Ronald Olly Jimmy Vicky Hanny Arie Denny Hendrik Maikel Nixon Reiner Steven Welly Yopie Alfrits Billy"),
			female:    words("Meiske Jeane Vivi Grace Sandra Deysi Vonny Christy Femmy Lenny Marlyn Nova Olivia Rita Sisca Stella Tineke Yoane Maya Agnes"),
			maleLast:  words("Lumentut Rumengan Sondakh Walangitan Pangemanan Tumbelaka Runtuwene Kaunang Mandagi Wenas Lontoh Supit Tangkilisan Worang Paruntu Kalalo Mamahit Rompas Sumual Tambuwun Dumais Karamoy Lengkong Pontoh"),
			lastShare: 100,
		},
		"papua": {
			male:      words("Yohanes Markus Yosias Yakob Nikolaus Elieser Paulus Petrus Yulianus Obed Daniel Lukas Matius Otto Wellem Simon Zakeus Nataniel Herman Yustus Agus"),
			female:    words("Maria Yuliana Ester Martha Selvina Agustina Marice Sarlota Fransina Yohana Dorkas Rahel Naomi Lea Yuliance Elsye Ivone Margaretha Ribka Nelly"),
			maleLast:  words("Wenda Kogoya Wonda Murib Tabuni Wanimbo Yikwa Enembe Mote Pigai Gobai Degei Rumbiak Mandacan Wanggai Kambu Ayomi Rumkorem Mansoben Sawaki Karubaba Wamafma Kareth Numberi Yoku"),
			lastShare: 100,
		},
		"ntt": {
			male:      words("Yosef Fransiskus Aloysius Kornelis Gregorius Marianus Lambertus Yohanes Petrus Stefanus Dominikus Emanuel Vinsensius Benediktus Yakobus Hendrikus Silvester Fredrik"),
			female:    words("Maria Theresia Yasinta Agnes Veronika Katarina Bernadeta Oktaviana Yuliana Margaretha Fransiska Elisabeth Anastasia Regina Maria Imelda Sisilia Florentina"),
			maleLast:  words("Fernandez Seran Manek Nahak Tefa Bria Amalo Ndun Tallo Nitbani Mbete Lelo Wadu Djawa Bell Rihi Lay Kase Lake Dacosta Lewar Laka Goa"),
			lastShare: 100,
		},
		"ambon": {
			male:      words("Johanes Abraham Hendrik Semuel Jacob Ahmad Abdul Marthen Julius Frets Izaak Ronny Boy Said Hasan Ismail Yance"),
			female:    words("Mariana Ribka Sara Maria Yohana Paulina Fransina Hadijah Salma Nona Elsina Christina Juliana Mince Costavina"),
			maleLast:  words("Latuconsina Tuasikal Pattiasina Sahetapy Wattimena Tanamal Latupeirissa Pattinama Lekatompessy Ohoiwutun Rumagesan Tuhumury Leiwakabessy Sopacua Matulessy Pelupessy Ralahalu Wakano Marasabessy Tuanaya"),
			lastShare: 100,
		},
		"aceh": {
			male:         words("Muhammad Zulfikar Fakhrurrazi Munawar Azwar Khairul Mukhlis Safrizal Nurdin Iskandar Marzuki Bustami Mahdi Amiruddin Nasruddin Rusli Sayuti Taufiq Zulkifli Ridwan Yusri"),
			female:       words("Nurul Rahmah Khairunnisa Fitriani Zahara Rosmawati Ainal Cut Darmawati Husna Mardhiah Nurjannah Raihan Safrina Syarifah Ulfa Wirda Yusnidar Zuhra Aida"),
			maleLast:     words("Abdullah Ibrahim Ismail Daud Husen Usman Hasballah Yusuf Ali Hanafiah Gade Sulaiman Jalil Puteh Syah"),
			femaleLast:   words("Abdullah Ibrahim Ismail Daud Usman Yusuf Ali Hanum Fitri Sari"),
			lastShare:    55,
			malePrefix:   words("Teuku"),
			femalePrefix: words("Cut"),
			prefixShare:  8,
		},
		"sasak": {
			male:         words("Muhammad Ahmad Zainul Sahnan Amrullah Hirsan Mujiburrahman Fathurrahman Hamdan Khairul Lukman Mashur Najamuddin Rusdi Sahdan Suhaili Zulkifli Ihsan"),
			female:       words("Nurul Siti Hajrah Rohani Suhartini Mariam Hulaifah Baiq Nurhidayati Rabiatul Sahnun Sumiati Zohriah Wahidah Halimatussakdiah"),
			maleLast:     words("Hidayat Azhar Mulyadi Hamdi Suhaimi Fauzan Sahrul Irwan Hakim Jayadi Ramli Hasbi"),
			femaleLast:   words("Hidayati Wahyuni Fitriani Rahmawati Nurlaili Mulyani Hasanah"),
			lastShare:    60,
			malePrefix:   words("Lalu"),
			femalePrefix: words("Baiq"),
			prefixShare:  18,
		},
	}
}

// regionNames says which traditions the employees of a province's
// governments come from, with weights, keyed by province code. Provinces not
// listed (none today) fall back to "jawa".
func regionNames() map[string][]weighted {
	w := func(pairs ...any) []weighted {
		out := make([]weighted, 0, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, weighted{pairs[i].(string), pairs[i+1].(int)})
		}
		return out
	}
	papua := w("papua", 60, "jawa", 15, "bugis", 10, "ambon", 10, "manado", 5)
	return map[string][]weighted{
		"11": w("aceh", 85, "jawa", 10, "batak", 5),
		"12": w("batak", 55, "melayu", 20, "jawa", 20, "minang", 5),
		"13": w("minang", 90, "jawa", 5, "batak", 5),
		"14": w("melayu", 50, "minang", 20, "jawa", 20, "batak", 10),
		"15": w("melayu", 55, "jawa", 30, "minang", 15),
		"16": w("melayu", 70, "jawa", 30),
		"17": w("melayu", 60, "jawa", 25, "minang", 15),
		"18": w("jawa", 55, "melayu", 30, "sunda", 15),
		"19": w("melayu", 80, "jawa", 20),
		"21": w("melayu", 60, "jawa", 15, "batak", 15, "minang", 10),
		"31": w("jawa", 45, "sunda", 20, "batak", 15, "minang", 10, "manado", 5, "melayu", 5),
		"32": w("sunda", 85, "jawa", 15),
		"33": w("jawa", 100),
		"34": w("jawa", 100),
		"35": w("jawa", 100),
		"36": w("sunda", 60, "jawa", 40),
		"51": w("bali", 90, "jawa", 10),
		"52": w("sasak", 70, "bugis", 20, "jawa", 10),
		"53": w("ntt", 90, "jawa", 5, "bugis", 5),
		"61": w("melayu", 45, "dayak", 35, "jawa", 15, "bugis", 5),
		"62": w("dayak", 45, "banjar", 30, "jawa", 25),
		"63": w("banjar", 80, "jawa", 20),
		"64": w("banjar", 30, "jawa", 30, "bugis", 25, "dayak", 15),
		"65": w("bugis", 30, "dayak", 30, "jawa", 25, "banjar", 15),
		"71": w("manado", 85, "bugis", 10, "jawa", 5),
		"72": w("bugis", 50, "jawa", 20, "manado", 20, "melayu", 10),
		"73": w("bugis", 95, "jawa", 5),
		"74": w("bugis", 70, "jawa", 20, "melayu", 10),
		"75": w("melayu", 60, "bugis", 30, "manado", 10),
		"76": w("bugis", 90, "jawa", 10),
		"81": w("ambon", 80, "bugis", 10, "jawa", 10),
		"82": w("ambon", 60, "bugis", 25, "jawa", 15),
		"91": papua, "92": papua, "93": papua, "94": papua, "95": papua, "96": papua,
		// The national government draws from everywhere.
		"00": w("jawa", 35, "sunda", 15, "batak", 8, "minang", 7, "melayu", 8, "bugis", 8, "banjar", 4, "manado", 4, "bali", 3, "ntt", 3, "ambon", 2, "papua", 2, "aceh", 3, "sasak", 2, "dayak", 2),
	}
}

// weighted is a choice and its weight.
type weighted struct {
	key string
	w   int
}

// balineseOrder holds the birth-order names; both sexes use them.
var balineseOrder = [...]string{"Wayan", "Putu", "Gede", "Made", "Kadek", "Nengah", "Nyoman", "Komang", "Ketut"}
