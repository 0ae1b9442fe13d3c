package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/wilayah"
)

// Generator makes synthetic employees. It remembers every identifier it has
// handed out, in counters sized by the possible birth dates and appointment
// months rather than by the number of employees, so identifiers stay unique
// across governments and calls in about 15 MB. It is not safe for
// concurrent use.
type Generator struct {
	rng     *rand.Rand
	roles   *roleSet
	names   map[string]*nameGroup
	regions map[string][]weighted
	data    *wilayah.Data

	now              time.Time
	lastYear         int // latest appointment year and month
	lastMonth        int
	birthLo, birthHi int // birth years
	days             []civil
	yearStart        []int // index into days of 1 January of each birth year
	firstPNSYear     int
	nip              []uint8 // serials used per birth day × appointment month × sex
	pppk             []uint8 // serials used per birth day × appointment year × sex
	nik              map[uint64]uint16
	nikASN           []uint16 // NIK serials of ASN per birth day × sex × province
	emailSeq         map[string]int
	otherSeq         int // personal e-mail addresses handed out
	oldNIPSeq        int // 9-digit NIP lama handed out
	nikRegionsByGov  map[string][]int
	placesByGov      map[string][]string

	// asnOnly draws no non-ASN staff (SIASN holds only ASN): their share
	// goes to part-time PPPK, which is what most honorer became in 2025.
	asnOnly bool
	// vacant is how many units, counted from the end of the tree, leave
	// their head post empty (never a perangkat daerah or a bidang).
	vacant int
}

// civil is a calendar date.
type civil struct {
	y    uint16
	m, d uint8
}

// NewGenerator returns a generator whose output depends only on seed and
// now (the reference date; see GenOptions.Now). d supplies the districts
// whose codes begin the NIKs of non-ASN staff; it may be nil, and then the
// government's code is used.
func NewGenerator(seed int64, now time.Time, d *wilayah.Data) *Generator {
	now = now.UTC()
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	g := &Generator{
		rng:             rand.New(rand.NewPCG(uint64(seed), 0x6e65747261)),
		roles:           newRoleSet(),
		names:           nameGroups(),
		regions:         regionNames(),
		data:            d,
		now:             now,
		lastYear:        last.Year(),
		lastMonth:       int(last.Month()),
		birthLo:         now.Year() - 61,
		birthHi:         now.Year() - 24,
		nik:             map[uint64]uint16{},
		emailSeq:        map[string]int{},
		nikRegionsByGov: map[string][]int{},
		placesByGov:     map[string][]string{},
	}
	g.firstPNSYear = g.birthLo + 19
	for t := time.Date(g.birthLo, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() <= g.birthHi; t = t.AddDate(0, 0, 1) {
		if t.Month() == 1 && t.Day() == 1 {
			g.yearStart = append(g.yearStart, len(g.days))
		}
		g.days = append(g.days, civil{uint16(t.Year()), uint8(t.Month()), uint8(t.Day())})
	}
	g.yearStart = append(g.yearStart, len(g.days))
	return g
}

// genRow is one generated employee with what the writer needs besides.
type genRow struct {
	roster.Parsed
	unitPath string
	status   string
	unit     *genUnit
	gov      *govCtx
}

// Employees generates n employees of gov spread over units (a UnitTree or
// any tree in parent-before-child order) and calls fn with each, unit by
// unit, the head of each unit first. Parsed.UnitPath is shared between the
// employees of a unit and must not be modified. It stops at the first error
// fn returns.
func (g *Generator) Employees(gov wilayah.Area, units []UnitSpec, n int, fn func(roster.Parsed) error) error {
	return g.run(gov, units, n, func(r *genRow) error { return fn(r.Parsed) })
}

// unitKind is what a unit is, as far as who works there goes.
type unitKind uint8

const (
	kOffice unitKind = iota
	kRoot
	kSekretariat
	kBidang
	kBagian
	kAsisten
	kStafAhli
	kUPT
	kSD
	kSMP
	kSMA
	kSMK
	kPuskesmas
	kRSUD
	kKecamatan
	kKelurahan
)

// Categories of units; each gets a share of a government's staff.
const (
	catOffice = iota
	catSchool
	catHealth
	catTerritorial
	numCats
)

func classify(u *UnitSpec) unitKind {
	c := u.Code
	switch {
	case u.Type == netra.UnitKecamatan:
		return kKecamatan
	case u.Type == netra.UnitKelurahan:
		return kKelurahan
	case strings.Contains(c, ".SDN."):
		return kSD
	case strings.Contains(c, ".SMPN."):
		return kSMP
	case strings.Contains(c, ".SMAN."):
		return kSMA
	case strings.Contains(c, ".SMKN."):
		return kSMK
	case strings.Contains(c, ".PKM."):
		return kPuskesmas
	case strings.HasSuffix(c, ".RSUD"):
		return kRSUD
	case u.Type == netra.UnitAsisten:
		return kAsisten
	case u.Type == netra.UnitStafAhli:
		return kStafAhli
	case u.Type == netra.UnitBagian:
		return kBagian
	case u.ParentCode == "":
		return kRoot
	case u.Type == netra.UnitSekretariat:
		return kSekretariat
	case u.Type == netra.UnitBidang:
		return kBidang
	case u.Type == netra.UnitUPT:
		return kUPT
	}
	return kOffice
}

func category(k unitKind) int {
	switch k {
	case kSD, kSMP, kSMA, kSMK:
		return catSchool
	case kPuskesmas, kRSUD:
		return catHealth
	case kKecamatan, kKelurahan:
		return catTerritorial
	}
	return catOffice
}

// unitWeight is a unit's relative size within its category. Each synthetic
// school stands for several real ones, hence the large category share.
func unitWeight(u *UnitSpec, k unitKind) int64 {
	switch k {
	case kSD:
		return 10
	case kSMP:
		return 22
	case kSMA:
		return 40
	case kSMK:
		return 45
	case kPuskesmas:
		return 10
	case kRSUD:
		return 60
	case kKecamatan:
		return 20
	case kKelurahan:
		return 9
	case kSekretariat:
		return 10
	case kBidang:
		return 7
	case kBagian:
		return 9
	case kAsisten:
		return 1
	case kStafAhli:
		return 0
	case kUPT:
		if strings.HasPrefix(u.Code, "KANREG") {
			return 40
		}
		return 10
	case kRoot:
		switch u.Code {
		case "SATPOLPP":
			return 40
		case "DAMKAR":
			return 30
		case "DLH":
			return 25
		case "DISHUB":
			return 15
		}
		return 5
	}
	return 6
}

// catShares are the per-mille shares of each category at each level:
// teachers and health workers are most of a regional workforce.
func catShares(lvl netra.TenantLevel) [numCats]int64 {
	switch lvl {
	case netra.LevelProvince:
		return [numCats]int64{catOffice: 430, catSchool: 450, catHealth: 120}
	case netra.LevelNational:
		return [numCats]int64{catOffice: 1000}
	}
	return [numCats]int64{catOffice: 320, catSchool: 400, catHealth: 200, catTerritorial: 80}
}

// genUnit is a unit with what generation needs to know about it.
type genUnit struct {
	spec     *UnitSpec
	kind     unitKind
	cat      int
	path     []string
	pathText string
	specific *pool
	head     bool
	staff    int

	// How SIASN exports name the unit: UNOR_NAMA and UNOR_INDUK_NAMA.
	unorName, indukName string
}

// govCtx holds what is fixed for one government.
type govCtx struct {
	gov    wilayah.Area
	lvl    netra.TenantLevel
	groups []weighted
	gTotal int
	domain string
	nikReg []int    // six-digit region codes for NIKs
	places []string // birth places, upper case as SIASN writes them
	// SIASN labels of the government: INSTANSI_KERJA_NAMA and the
	// JENIS_PEGAWAI_NAMA of its PNS.
	instansi, pnsKind string
}

// run generates n employees of gov over units and hands each to emit; the
// row is reused between calls.
func (g *Generator) run(gov wilayah.Area, units []UnitSpec, n int, emit func(*genRow) error) error {
	if n <= 0 {
		return nil
	}
	lvl, ok := netra.LevelOfCode(gov.Code)
	if !ok {
		return fmt.Errorf("roster: %q is not a government code", gov.Code)
	}
	if len(units) == 0 {
		return fmt.Errorf("roster: government %s has no units to place employees in", gov.Code)
	}
	gus, err := g.prepareUnits(gov, units, lvl, n)
	if err != nil {
		return err
	}
	c := g.govContext(gov, lvl, units)
	var row genRow
	for i := range gus {
		u := &gus[i]
		posts := structural(u.kind)
		total := u.staff
		if u.head {
			total++
		}
		for j := 0; j < total; j++ {
			row = genRow{unitPath: u.pathText, unit: u, gov: c}
			row.UnitCode, row.UnitPath, row.Government = u.spec.Code, u.path, gov.Code
			slot := j
			if !u.head {
				slot++ // no head: staff start at slot 1
			}
			switch {
			case slot == 0:
				g.makeHead(c, u, &row)
			case slot <= len(posts):
				p := posts[slot-1]
				g.makeManager(c, u, p.name, p.ptype, &row)
			default:
				g.makeStaff(c, u, &row)
			}
			if err := emit(&row); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepareUnits classifies the units, builds their name paths and spreads n
// employees over them: one head per unit first, in tree order, then the
// rest by category share and unit weight.
func (g *Generator) prepareUnits(gov wilayah.Area, units []UnitSpec, lvl netra.TenantLevel, n int) ([]genUnit, error) {
	gus := make([]genUnit, len(units))
	index := make(map[string]int, len(units))
	for i := range units {
		u := &units[i]
		if _, dup := index[u.Code]; dup {
			return nil, fmt.Errorf("roster: unit code %s appears twice", u.Code)
		}
		gu := &gus[i]
		gu.spec, gu.kind = u, classify(u)
		gu.cat = category(gu.kind)
		if u.ParentCode == "" {
			gu.path = []string{u.Name}
		} else {
			p, ok := index[u.ParentCode]
			if !ok {
				return nil, fmt.Errorf("roster: unit %s comes before its parent %s", u.Code, u.ParentCode)
			}
			gu.path = append(slices.Clip(gus[p].path), u.Name)
		}
		gu.pathText = strings.Join(gu.path, " "+netra.UnitPathSeparator+" ")
		index[u.Code] = i
		if u.ParentCode == "" {
			gu.unorName = strings.ToUpper(u.Name)
			if u.Type != netra.UnitKecamatan && lvl != netra.LevelNational {
				gu.unorName += " " + strings.ToUpper(officialName(gov))
			}
			gu.indukName = gu.unorName
		} else {
			gu.unorName = strings.ToUpper(u.Name)
			gu.indukName = gus[index[u.ParentCode]].indukName
		}
		root, _, _ := strings.Cut(u.Code, ".")
		switch {
		case lvl == netra.LevelNational:
			gu.specific = g.roles.specific["NATIONAL"]
		case gu.kind == kBagian && root == "SETDA":
			gu.specific = g.roles.specific[u.Code[strings.LastIndexByte(u.Code, '.')+1:]]
		default:
			gu.specific = g.roles.specific[root]
		}
	}
	heads := min(n, len(gus))
	for i := 0; i < heads; i++ {
		gus[i].head = true
	}
	// Vacancies: the last units of the tree that are neither a perangkat
	// daerah nor a bidang (kelurahan, UPT, schools) lose their head.
	for i, left := len(gus)-1, g.vacant; i >= 0 && left > 0; i-- {
		if k := gus[i].kind; gus[i].head && k != kRoot && k != kBidang && k != kKecamatan && k != kSekretariat {
			gus[i].head = false
			heads--
			left--
		}
	}
	rest := n - heads
	shares := catShares(lvl)
	var catW [numCats]int64
	weights := make([]int64, len(gus))
	for i := range gus {
		weights[i] = unitWeight(gus[i].spec, gus[i].kind)
		catW[gus[i].cat] += weights[i]
	}
	var present [numCats]int64
	for c := range present {
		if catW[c] > 0 {
			present[c] = shares[c]
		}
	}
	if present == [numCats]int64{} {
		// A tree of units that take no staff: spread evenly.
		for i := range weights {
			weights[i] = 1
		}
		present[catOffice], catW[catOffice] = 1, 1
		for i := range gus {
			gus[i].cat = catOffice
		}
	}
	perCat := apportion(rest, present[:])
	for c := range numCats {
		idx := []int{}
		ws := []int64{}
		for i := range gus {
			if gus[i].cat == c {
				idx = append(idx, i)
				ws = append(ws, weights[i])
			}
		}
		for k, v := range apportion(perCat[c], ws) {
			gus[idx[k]].staff = v
		}
	}
	return gus, nil
}

// govContext gathers the naming traditions, the e-mail domain and the NIK
// regions of a government.
func (g *Generator) govContext(gov wilayah.Area, lvl netra.TenantLevel, units []UnitSpec) *govCtx {
	c := &govCtx{gov: gov, lvl: lvl}
	prov := gov.Code
	if len(prov) > 2 {
		prov = prov[:2]
	}
	c.groups = g.regions[prov]
	if c.groups == nil {
		c.groups = []weighted{{"jawa", 1}}
	}
	for _, w := range c.groups {
		c.gTotal += w.w
	}
	c.domain = emailDomain(gov, lvl)
	c.nikReg = g.nikRegions(gov, lvl, units)
	c.places = g.birthPlaces(gov, lvl)
	c.instansi = instansiName(gov, lvl)
	c.pnsKind = "PNS DAERAH KAB/KOTA"
	switch lvl {
	case netra.LevelProvince:
		c.pnsKind = "PNS DAERAH PROVINSI"
	case netra.LevelNational:
		c.pnsKind = "PNS PUSAT"
	}
	return c
}

// emailDomain follows the pattern of government domains:
// palangkarayakota.go.id, kotawaringinbaratkab.go.id, kalimantantengahprov.go.id.
func emailDomain(gov wilayah.Area, lvl netra.TenantLevel) string {
	letters := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	switch lvl {
	case netra.LevelNational:
		return "bkn.go.id"
	case netra.LevelProvince:
		if d, ok := provinceDomains()[gov.Code]; ok {
			return d + ".go.id"
		}
		return letters(gov.Name) + "prov.go.id"
	case netra.LevelCity:
		return letters(shortName(gov)) + "kota.go.id"
	}
	return letters(shortName(gov)) + "kab.go.id"
}

// provinceDomains returns the domains provinces actually use, which are
// abbreviations rather than their full names.
func provinceDomains() map[string]string {
	return map[string]string{
		"11": "acehprov", "12": "sumutprov", "13": "sumbarprov", "14": "riau", "15": "jambiprov",
		"16": "sumselprov", "17": "bengkuluprov", "18": "lampungprov", "19": "babelprov", "21": "kepriprov",
		"31": "jakarta", "32": "jabarprov", "33": "jatengprov", "34": "jogjaprov", "35": "jatimprov",
		"36": "bantenprov", "51": "baliprov", "52": "ntbprov", "53": "nttprov", "61": "kalbarprov",
		"62": "kalteng", "63": "kalselprov", "64": "kaltimprov", "65": "kaltaraprov", "71": "sulutprov",
		"72": "sultengprov", "73": "sulselprov", "74": "sultraprov", "75": "gorontaloprov", "76": "sulbarprov",
		"81": "malukuprov", "82": "malutprov", "91": "papua", "92": "papuabaratprov",
	}
}

// nikRegions lists the district codes, as six-digit numbers, where a
// government's non-ASN staff may be registered: its own districts, those of
// a province's regencies, or Jakarta's for the national government.
func (g *Generator) nikRegions(gov wilayah.Area, lvl netra.TenantLevel, units []UnitSpec) []int {
	if r, ok := g.nikRegionsByGov[gov.Code]; ok {
		return r
	}
	var codes []string
	for _, u := range units {
		if u.Type == netra.UnitKecamatan && len(u.RegionCode) == len("62.71.01") {
			codes = append(codes, u.RegionCode)
		}
	}
	if len(codes) == 0 && g.data != nil {
		var regs []wilayah.Area
		switch lvl {
		case netra.LevelNational:
			regs = g.data.Regencies("31")
		case netra.LevelProvince:
			regs = g.data.Regencies(gov.Code)
		default:
			regs = []wilayah.Area{{Code: gov.Code}}
		}
		for _, r := range regs {
			for _, dist := range g.data.Districts(r.Code) {
				codes = append(codes, dist.Code)
			}
		}
	}
	var out []int
	for _, c := range codes {
		if v, err := strconv.Atoi(strings.ReplaceAll(c, ".", "")); err == nil {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		// No area data: the government's own code, padded to a district.
		digits := strings.ReplaceAll(gov.Code, ".", "")
		if digits == netra.NationalCode {
			digits = "3171"
		}
		for len(digits) < 6 {
			digits += "01"
		}
		v, _ := strconv.Atoi(digits[:6])
		out = []int{v}
	}
	g.nikRegionsByGov[gov.Code] = out
	return out
}
