package synth

import (
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// intn returns a number in [0, n); n must be positive.
func (g *Generator) intn(n int) int { return g.rng.IntN(n) }

// chance reports true with probability pct percent.
func (g *Generator) chance(pct int) bool { return g.rng.IntN(100) < pct }

// pick returns one of s at random.
func (g *Generator) pick(s []string) string { return s[g.intn(len(s))] }

func (g *Generator) pickRole(p *pool) *role {
	x := g.intn(p.total)
	for i := range p.roles {
		if x < p.roles[i].w {
			return &p.roles[i]
		}
		x -= p.roles[i].w
	}
	return &p.roles[len(p.roles)-1]
}

func (g *Generator) pickDegree(ds []degree) *degree {
	total := 0
	for i := range ds {
		total += ds[i].w
	}
	x := g.intn(total)
	for i := range ds {
		if x < ds[i].w {
			return &ds[i]
		}
		x -= ds[i].w
	}
	return &ds[len(ds)-1]
}

// minRank is the lowest rank (index into netra.GolonganPNS) a managerial
// post takes: IV/c for JPT madya, IV/b pratama, III/d administrator, III/b
// pengawas, III/c for a school principal.
func minRank(p netra.PositionType) int {
	switch p {
	case netra.JPTUtama, netra.JPTMadya:
		return 14
	case netra.JPTPratama:
		return 13
	case netra.Administrator:
		return 11
	case netra.Pengawas:
		return 9
	case netra.Fungsional:
		return 10
	}
	return 0
}

// makeHead fills the head of a unit: a PNS in the unit's head position.
func (g *Generator) makeHead(c *govCtx, u *genUnit, row *genRow) {
	pt := u.spec.HeadType
	if !pt.Valid() {
		pt = netra.Pelaksana
	}
	degs := g.roles.heads[pt]
	// Women hold fewer of the senior posts than of the junior ones.
	female := 45
	switch pt {
	case netra.JPTUtama, netra.JPTMadya:
		female = 25
	case netra.JPTPratama:
		female = 30
	case netra.Administrator:
		female = 38
	case netra.Fungsional:
		female = 60
	}
	switch u.kind {
	case kSD, kSMP, kSMA, kSMK:
		degs = g.roles.heads[netra.Fungsional]
	case kPuskesmas, kRSUD:
		degs = []degree{dg(eS1, "", "S.K.M.", 3), dg(eProf, "dr.", "", 2), dg(eS2, "dr.", "", 2, "M.Kes.", "MARS")}
		female = 55
	}
	if len(degs) == 0 {
		degs = officeDegrees()
	}
	r := role{name: u.spec.HeadPosition, ptype: pt, degs: degs, female: female}
	if r.name == "" {
		r.name = "Kepala " + u.spec.Name
	}
	g.fill(c, row, &r, netra.PNS, minRank(pt), 60)
	e := &row.Employee
	e.Head, e.Eselon = true, eselon(c.lvl, u, pt, true)
	row.status, e.Status = "Aktif", netra.StatusActive // a post held, not on leave
}

// makeManager fills a managerial post below the head.
func (g *Generator) makeManager(c *govCtx, u *genUnit, name string, pt netra.PositionType, row *genRow) {
	r := role{name: name, ptype: pt, degs: g.roles.heads[pt], female: 45}
	g.fill(c, row, &r, netra.PNS, minRank(pt), 58)
	row.Employee.Eselon = eselon(c.lvl, u, pt, false)
	row.status, row.Employee.Status = "Aktif", netra.StatusActive
}

// makeStaff fills an ordinary post: the employment type by the unit's
// category, then a role that fits both.
func (g *Generator) makeStaff(c *govCtx, u *genUnit, row *genRow) {
	t := g.employmentType(c.lvl, u.cat)
	rs := g.roles
	var p *pool
	switch t {
	case netra.NonASN:
		switch u.cat {
		case catSchool:
			p = rs.schoolNon
		case catHealth:
			p = rs.healthNon
		default:
			p = rs.officeNon
		}
	case netra.PPPKParuhWaktu:
		p = rs.officePW
		if u.cat == catSchool {
			p = rs.schoolPW
		}
	default:
		switch u.cat {
		case catSchool:
			p = rs.teacher
			if g.chance(12) {
				p = rs.schoolStaff
			}
		case catHealth:
			p = rs.puskesmas
			if u.kind == kRSUD {
				p = rs.hospital
			}
		case catTerritorial:
			p = rs.territorial
		default:
			p = rs.office
			if g.chance(35) {
				p = rs.generic
				if u.specific != nil && g.chance(70) {
					p = u.specific
				}
			}
		}
	}
	r := g.pickRole(p)
	bup := 58
	if r.ptype == netra.Fungsional {
		bup = 60
	}
	g.fill(c, row, r, t, 0, bup)
}

// employmentType draws PNS (about 60% of staff), CPNS, PPPK (about 27%),
// part-time PPPK (about 9%) and non-ASN (2%), with more PPPK among teachers
// and health workers, who were most of the PPPK intakes; after the honorer
// were made PPPK in 2024–2025 (UU 20/2023), few non-ASN remain.
func (g *Generator) employmentType(lvl netra.TenantLevel, cat int) netra.EmploymentType {
	// Per mille: PNS, CPNS, PPPK, PPPK paruh waktu; the rest non-ASN.
	var p [4]int
	switch {
	case lvl == netra.LevelNational:
		p = [4]int{900, 50, 30, 0}
	case cat == catSchool:
		p = [4]int{560, 20, 330, 70}
	case cat == catHealth:
		p = [4]int{580, 25, 300, 75}
	default:
		p = [4]int{640, 20, 200, 120}
	}
	x := g.intn(1000)
	for i, t := range [4]netra.EmploymentType{netra.PNS, netra.CPNS, netra.PPPK, netra.PPPKParuhWaktu} {
		if x < p[i] {
			return t
		}
		x -= p[i]
	}
	if g.asnOnly {
		return netra.PPPKParuhWaktu
	}
	return netra.NonASN
}

// fill completes row for someone of type t in role r: education and
// titles, birth date and appointment consistent with them and with the
// minimum rank minIdx, the identifier, the rank, the position's name, the
// person's name and contacts. bup is the retirement age of the position.
func (g *Generator) fill(c *govCtx, row *genRow, r *role, t netra.EmploymentType, minIdx, bup int) {
	e := &row.Employee
	e.Type, e.PositionType, e.Status = t, r.ptype, netra.StatusActive
	female := g.chance(r.female)
	e.Sex = netra.Male
	if female {
		e.Sex = netra.Female
	}
	deg := g.pickDegree(r.degs)
	rule := eduRules[deg.edu]
	bLo := max(g.birthLo, g.now.Year()-bup)

	var birthYear, apptYear, apptMonth, rank int
	switch t {
	case netra.PNS:
		steps := max(0, minIdx-rule.start)
		maxSvc := g.lastYear - (bLo + rule.minAge)
		minSvc := min(max(1, steps*4-1), maxSvc)
		svc := minSvc + g.intn(maxSvc-minSvc+1)
		apptYear = g.lastYear - svc
		birthYear = g.birthYearFor(apptYear, rule, bLo)
		// A regular promotion every four years, slower in practice for
		// most (a missed round, a late assessment): IV stays the smaller
		// group, as in the national statistics.
		rank = rule.start + svc/5
		if r.ptype == netra.Fungsional && g.chance(30) {
			rank++ // credit points promote functional staff faster
		}
		rank = min(rank, max(rankCeiling(rule.ceiling, r.ptype), minIdx))
		rank = max(rank, minIdx)
		apptMonth = 1 + g.intn(12)
		if apptYear == g.lastYear {
			apptMonth = 1 + g.intn(g.lastMonth)
		}
	case netra.CPNS:
		apptYear = g.lastYear
		apptMonth = 1 + g.intn(g.lastMonth)
		birthYear = g.birthYearFor(apptYear, eduRule{minAge: rule.minAge, maxAge: min(rule.maxAge, 35)}, bLo)
		rank = rule.start
	case netra.PPPK, netra.PPPKParuhWaktu:
		apptYear = g.lastYear
		if t == netra.PPPK {
			apptYear -= g.intn(5) // intakes from 2021 on
		}
		birthYear = g.birthYearFor(apptYear, eduRule{minAge: rule.minAge, maxAge: 55}, bLo)
		e.Golongan = rule.pppk
	default:
		birthYear = bLo + g.intn(g.birthHi-bLo+1)
	}
	if t == netra.PNS || t == netra.CPNS {
		e.Golongan = netra.GolonganPNS[min(rank, len(netra.GolonganPNS)-1)]
	}

	// Position name: functional positions take their level from the rank.
	e.PositionName = r.name
	if r.ptype == netra.Fungsional && r.levels[0] != "" {
		lvl := 0
		switch t {
		case netra.PNS, netra.CPNS:
			lvl = fungsionalLevel(r.skill, rank)
		default:
			if r.skill {
				lvl = 1 // PPPK with a diploma start as Terampil
			}
		}
		e.PositionName = r.levels[lvl]
	}

	// Titles, with the older styles for those who studied before the 1990s.
	e.FrontTitle, e.BackTitle = deg.front, g.pick(deg.back)
	if deg.edu >= eS2 && len(deg.post) > 0 {
		if e.BackTitle != "" {
			e.BackTitle += ", "
		}
		e.BackTitle += g.pick(deg.post)
	}
	if birthYear <= 1969 && (deg.edu == eS1 || deg.edu == eS2) && deg.front == "" && g.chance(50) {
		first, rest, _ := strings.Cut(e.BackTitle, ", ")
		switch first {
		case "S.Sos.", "S.E.", "S.IP.", "S.Pd.", "S.H.":
			e.FrontTitle, e.BackTitle = "Drs.", rest
			if female {
				e.FrontTitle = "Dra."
			}
		case "S.T.":
			e.FrontTitle, e.BackTitle = "Ir.", rest
		}
	}

	g.identify(c, row, t, birthYear, apptYear, apptMonth, female)
	var first, last string
	e.Name, first, last = g.personName(c, female)
	if g.chance(85) {
		g.emailSeq[c.gov.Code]++
		e.Email = emailLocal(first, last) + strconv.Itoa(g.emailSeq[c.gov.Code]) + "@" + c.domain
	}
	if g.chance(90) {
		e.Phone = g.phone()
	}
	row.status, e.Status = "Aktif", netra.StatusActive
	switch x := g.intn(1000); {
	case x < 5:
		row.status, e.Status = "Tugas Belajar", netra.StatusStudyLeave
	case x < 7:
		row.status, e.Status = "CLTN", netra.StatusCLTN
	case x < 8 && t != netra.NonASN:
		row.status, e.Status = "Pemberhentian Sementara", netra.StatusSuspended
	}

	// What SIASN holds besides: birth place, education, a personal e-mail,
	// and for ASN the TMT dates, the PNS_ID and (for PNS appointed before
	// the 18-digit NIP of 2007) the old 9-digit NIP.
	e.BirthPlace = c.places[g.intn(len(c.places))]
	e.Education = educationLabel(deg.edu)
	if g.chance(70) {
		g.otherSeq++
		e.OtherEmail = emailLocal(first, last) + strconv.Itoa(g.otherSeq) + "@" + personalDomains[g.intn(len(personalDomains))]
	}
	if t == netra.NonASN {
		return
	}
	var appt time.Time
	if t == netra.PNS || t == netra.CPNS {
		appt = monthStart(apptYear, apptMonth)
	} else {
		m := 1 + g.intn(12)
		if apptYear == g.lastYear {
			m = 1 + g.intn(g.lastMonth)
		}
		appt = monthStart(apptYear, m)
	}
	e.RankDate = appt
	if t == netra.PNS && rank > rule.start {
		e.RankDate = g.promotion(appt, rank-rule.start)
	}
	e.PositionDate = g.positionDate(appt, e.RankDate, r.ptype)
	e.PNSID = g.pnsID()
	if t == netra.PNS && apptYear < 2007 {
		g.oldNIPSeq++
		e.OldNIP = strconv.Itoa(500_000_000 + g.oldNIPSeq%500_000_000)
	}
	// Masa persiapan pensiun: in the last year before the retirement age,
	// on the employee's request.
	if t == netra.PNS && e.Status == netra.StatusActive && g.now.Year()-birthYear >= bup-1 && g.chance(5) {
		row.status, e.Status = "Masa Persiapan Pensiun", netra.StatusPreRetirement
	}
}

// rankCeiling lowers an education's ceiling for positions that stop
// earlier: staff (pelaksana) at III/d, supervisors at IV/a, administrators
// at IV/b.
func rankCeiling(eduCeiling int, p netra.PositionType) int {
	switch p {
	case netra.Pelaksana:
		return min(eduCeiling, 11)
	case netra.Pengawas:
		return min(eduCeiling, 12)
	case netra.Administrator:
		return min(eduCeiling, 13)
	}
	return eduCeiling
}

// fungsionalLevel maps a PNS rank to the level of a functional position:
// Ahli Pertama III/a–III/b, Muda III/c–III/d, Madya IV/a–IV/c, Utama above;
// Pemula II/a, Terampil II/b–II/d, Mahir III/a–III/b, Penyelia above.
func fungsionalLevel(skill bool, rank int) int {
	if skill {
		switch {
		case rank <= 4:
			return 0
		case rank <= 7:
			return 1
		case rank <= 9:
			return 2
		}
		return 3
	}
	switch {
	case rank <= 9:
		return 0
	case rank <= 11:
		return 1
	case rank <= 14:
		return 2
	}
	return 3
}

// birthYearFor picks a birth year for someone first appointed in apptYear
// at an age the education allows, within the generator's birth years and
// after bLo (so that they have not yet retired).
func (g *Generator) birthYearFor(apptYear int, rule eduRule, bLo int) int {
	ageLo := max(rule.minAge, apptYear-g.birthHi)
	ageHi := min(rule.maxAge, apptYear-bLo)
	if ageHi < ageLo {
		ageHi = ageLo
	}
	y := apptYear - (ageLo + g.intn(ageHi-ageLo+1))
	return min(max(y, bLo), g.birthHi)
}

// identify sets the identifier and birth date. Serials come from counters
// per (birth day, appointment, sex), so identifiers are unique by
// construction; when a counter is full (255 people sharing all three, which
// does not happen in practice) another birth day of the same year is drawn.
func (g *Generator) identify(c *govCtx, row *genRow, t netra.EmploymentType, birthYear, apptYear, apptMonth int, female bool) {
	e := &row.Employee
	yi := birthYear - g.birthLo
	day := g.yearStart[yi] + g.intn(g.yearStart[yi+1]-g.yearStart[yi])
	sex := 0
	if female {
		sex = 1
	}
	var buf [18]byte
	switch t {
	case netra.PNS, netra.CPNS:
		if g.nip == nil {
			g.nip = make([]uint8, len(g.days)*(g.lastYear-g.firstPNSYear+1)*12*2)
		}
		months := (g.lastYear - g.firstPNSYear + 1) * 12
		mi := (apptYear-g.firstPNSYear)*12 + apptMonth - 1
		for {
			k := (day*months+mi)*2 + sex
			if g.nip[k] < 255 {
				g.nip[k]++
				putDate(buf[:8], g.days[day])
				putInt(buf[8:12], apptYear)
				putInt(buf[12:14], apptMonth)
				buf[14] = byte('1' + sex)
				putInt(buf[15:18], int(g.nip[k]))
				break
			}
			day = g.yearStart[yi] + g.intn(g.yearStart[yi+1]-g.yearStart[yi])
		}
		e.NIP = string(buf[:18])
	case netra.PPPK, netra.PPPKParuhWaktu:
		const years = 8
		if g.pppk == nil {
			g.pppk = make([]uint8, len(g.days)*years*2)
		}
		yIdx := min(max(apptYear-(g.lastYear-years+1), 0), years-1)
		for {
			k := (day*years+yIdx)*2 + sex
			if g.pppk[k] < 255 {
				g.pppk[k]++
				putDate(buf[:8], g.days[day])
				putInt(buf[8:12], apptYear)
				// Two digits of the intake; they follow the year of the
				// formation (2024 for 2025 appointments), which keeps them
				// above 12 so they never read as a PNS appointment month.
				putInt(buf[12:14], (apptYear-1)%100)
				buf[14] = byte('1' + sex)
				putInt(buf[15:18], int(g.pppk[k]))
				break
			}
			day = g.yearStart[yi] + g.intn(g.yearStart[yi+1]-g.yearStart[yi])
		}
		e.NIP = string(buf[:18])
	default:
		region := c.nikReg[g.intn(len(c.nikReg))]
		for {
			dt := g.days[day]
			dd := int(dt.d)
			if female {
				dd += 40
			}
			key := uint64(region)*1_000_000 + uint64(dd)*10_000 + uint64(dt.m)*100 + uint64(dt.y%100)
			if n := g.nik[key]; n < nikASNBase-1 {
				g.nik[key] = n + 1
				putInt(buf[:6], region)
				putInt(buf[6:8], dd)
				putInt(buf[8:10], int(dt.m))
				putInt(buf[10:12], int(dt.y%100))
				putInt(buf[12:16], int(n+1))
				break
			}
			day = g.yearStart[yi] + g.intn(g.yearStart[yi+1]-g.yearStart[yi])
		}
		e.NIP = string(buf[:16])
		e.NIK = e.NIP
	}
	if t != netra.NonASN {
		// ASN are registered in a district of their government (Jakarta's
		// for the national one); serials from nikASNBase up, counted per
		// birth day, sex and province, never meet the non-ASN ones above.
		if g.nikASN == nil {
			g.nikASN = make([]uint16, len(g.days)*2*100)
		}
		region := c.nikReg[g.intn(len(c.nikReg))]
		k := (day*2+sex)*100 + region/10_000
		if g.nikASN[k] < 9999-nikASNBase {
			g.nikASN[k]++
		}
		dt := g.days[day]
		dd := int(dt.d) + 40*sex
		putInt(buf[:6], region)
		putInt(buf[6:8], dd)
		putInt(buf[8:10], int(dt.m))
		putInt(buf[10:12], int(dt.y%100))
		putInt(buf[12:16], nikASNBase+int(g.nikASN[k]))
		e.NIK = string(buf[:16])
	}
	dt := g.days[day]
	e.BirthDate = time.Date(int(dt.y), time.Month(dt.m), int(dt.d), 0, 0, 0, 0, time.UTC)
}

func putDate(b []byte, d civil) {
	putInt(b[:4], int(d.y))
	putInt(b[4:6], int(d.m))
	putInt(b[6:8], int(d.d))
}

// putInt writes v as decimal digits filling b, with leading zeros.
func putInt(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

// personName draws a name from the government's traditions and returns it
// with the two words an e-mail address is made of.
func (g *Generator) personName(c *govCtx, female bool) (name, first, last string) {
	x := g.intn(c.gTotal)
	key := c.groups[len(c.groups)-1].key
	for _, w := range c.groups {
		if x < w.w {
			key = w.key
			break
		}
		x -= w.w
	}
	grp := g.names[key]
	given, lasts, prefixes := grp.male, grp.maleLast, grp.malePrefix
	if female {
		given, lasts, prefixes = grp.female, grp.femaleLast, grp.femalePrefix
		if lasts == nil {
			lasts = grp.maleLast // family names serve both sexes
		}
	}
	if grp.balinese {
		pre := "I"
		if female {
			pre = "Ni"
		}
		order := balineseOrder[g.intn(len(balineseOrder))]
		first = g.pick(given)
		name = pre + " " + order + " " + first
		if g.chance(50) {
			second := g.pick(given)
			if second != first {
				name += " " + second
				first = second
			}
		}
		return name, order, first
	}
	first = g.pick(given)
	name = first
	if len(prefixes) > 0 && g.chance(grp.prefixShare) {
		name = g.pick(prefixes) + " " + name
	}
	if g.chance(15) {
		mid := g.pick(given)
		if mid != first {
			name += " " + mid
		}
	}
	if len(lasts) > 0 && g.chance(grp.lastShare) {
		last = g.pick(lasts)
		if !strings.HasSuffix(name, " "+last) && name != last {
			name += " " + last
		} else {
			last = ""
		}
	}
	return name, first, last
}

// emailLocal builds "first.last" from the letters of two name words.
func emailLocal(first, last string) string {
	b := make([]byte, 0, len(first)+len(last)+1)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'a' && c <= 'z':
				b = append(b, c)
			case c >= 'A' && c <= 'Z':
				b = append(b, c+'a'-'A')
			}
		}
	}
	add(first)
	if last != "" {
		b = append(b, '.')
		add(last)
	}
	return string(b)
}

// phonePrefixes are Indonesian mobile prefixes after the leading 08.
var phonePrefixes = [...]string{"11", "12", "13", "21", "22", "23", "51", "52", "53", "14", "15", "16", "55", "56", "57", "58", "17", "18", "19", "59", "77", "78", "31", "32", "33", "38", "95", "96", "97", "98", "99", "81", "82", "83"}

// phone returns a mobile number of 11 to 13 digits: 08, an operator prefix,
// then 7 to 9 digits.
func (g *Generator) phone() string {
	var b [13]byte
	b[0], b[1] = '0', '8'
	p := phonePrefixes[g.intn(len(phonePrefixes))]
	b[2], b[3] = p[0], p[1]
	n := 11 + g.intn(3)
	v := g.rng.Uint64()
	for i := 4; i < n; i++ {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[:n])
}
