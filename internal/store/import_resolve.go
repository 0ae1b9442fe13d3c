package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/wilayah"
)

// How an import resolves what SIASN exports name by name: the government
// (INSTANSI_KERJA_NAMA) and the unit (UNOR_NAMA, the leaf unit's own name,
// with UNOR_INDUK_NAMA, an ancestor's name, to tell apart units of the same
// name). Names compare case-insensitively, with runs of spaces as one, and
// a unit's name may carry the government's name as a suffix ("DINAS
// KESEHATAN KOTA PALANGKA RAYA" is the unit "Dinas Kesehatan" of Kota
// Palangka Raya). The name index of a government is built once per import,
// with one query, the first time a row names a unit of it.

// otherGovernment is why a row of a real government the import may not
// write to is refused: it belongs to another government.
func otherGovernment(t *importTenant) netra.Message {
	return netra.Msg("Baris milik instansi lain: "+t.name+" ("+t.code+").",
		"The row belongs to another government: "+t.name+" ("+t.code+").")
}

var (
	wilayahOnce sync.Once
	wilayahData *wilayah.Data
)

// realGovernment returns the name of the province, regency or city with a
// Kemendagri code, when there is one: a row naming a real government that
// is not a tenant of this installation belongs to another government; only
// a code no government has is unknown.
func realGovernment(code string) (string, bool) {
	if strings.Count(code, ".") > 1 {
		return "", false
	}
	wilayahOnce.Do(func() { wilayahData, _ = wilayah.Load() })
	if wilayahData == nil {
		return "", false
	}
	a, ok := wilayahData.Lookup(code)
	return a.Name, ok
}

// govName normalises a government's name: "Pemerintah Kab. Kapuas" and
// "KABUPATEN KAPUAS" are the same, and so are "Pemerintah Provinsi
// Kalimantan Tengah" and "Kalimantan Tengah" (a province's name is never a
// regency's or city's: those carry "kabupaten" or "kota").
func govName(s string) string {
	s = " " + abbrev(normName(s)) + " "
	for _, r := range [][2]string{{" pemerintah daerah ", " "}, {" pemerintah ", " "}, {" pemda ", " "},
		{" pemkot ", " kota "}, {" pemkab ", " kabupaten "}, {" pemprov ", " "}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return strings.TrimPrefix(strings.TrimSpace(s), "provinsi ")
}

// abbrev spells out the abbreviations of government kinds in a normalised name.
func abbrev(s string) string {
	s = " " + s + " "
	for _, r := range [][2]string{{" kab. ", " kabupaten "}, {" kab ", " kabupaten "}, {" prov. ", " provinsi "}, {" prov ", " provinsi "}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return strings.TrimSpace(s)
}

// normName is a name in lower case with single spaces.
func normName(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// governmentCode returns the code of the government a row names by name, or
// "" when no government has that name (the row then goes to the import's
// own government, where its unit must resolve). A name no tenant has but a
// real province, regency or city has gives that government's code, so the
// row is refused as another government's (see Importer.tenant) instead of
// landing in a same-named unit of the import's own government. The names of all
// governments are read once per import, when a row first names one that is
// not the import's own.
func (imp *Importer) governmentCode(ctx context.Context, name string) (string, error) {
	if code, ok := imp.govCodes[name]; ok { // every row of an export names its government
		return code, nil
	}
	code, err := imp.governmentCodeOf(ctx, name)
	if err == nil && len(imp.govCodes) < maxCodes {
		if imp.govCodes == nil {
			imp.govCodes = map[string]string{}
		}
		imp.govCodes[name] = code
	}
	return code, err
}

func (imp *Importer) governmentCodeOf(ctx context.Context, name string) (string, error) {
	n := govName(name)
	if n == "" || n == govName(imp.home.name) {
		return "", nil
	}
	if imp.byName == nil {
		imp.byName = map[string]string{}
		rows, err := imp.s.r.QueryContext(ctx, `SELECT code, name FROM tenants`)
		if err != nil {
			return "", fmt.Errorf("store: government names: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code, tn string
			if err := rows.Scan(&code, &tn); err != nil {
				return "", err
			}
			imp.byName[govName(tn)] = code
		}
		if err := rows.Err(); err != nil {
			return "", fmt.Errorf("store: government names: %w", err)
		}
	}
	if code, ok := imp.byName[n]; ok {
		return code, nil
	}
	return realGovernmentNamed(n), nil
}

var (
	realNamesOnce sync.Once
	realNames     map[string]string // govName → Kemendagri code
)

// realGovernmentNamed returns the code of the real local government whose
// normalised name (see govName) is n, or "".
func realGovernmentNamed(n string) string {
	realNamesOnce.Do(func() {
		wilayahOnce.Do(func() { wilayahData, _ = wilayah.Load() })
		realNames = map[string]string{}
		if wilayahData == nil {
			return
		}
		for _, a := range wilayahData.Governments() {
			realNames[govName(a.Name)] = a.Code
		}
	})
	return realNames[n]
}

// unitNames indexes one government's units by their normalised name.
type unitNames struct {
	suffix  string   // the government's normalised name
	strip   []string // government names a unit's name may end with: "kota palangka raya", "palangka raya"
	units   []namedUnit
	byID    map[int64]int
	byName  map[string][]int
	suggest map[string]string // closest names already computed for an unknown name
	// resolved remembers the answer for each (name, parent) pair a row gave:
	// an export repeats its units' names on every employee's row.
	resolved map[[2]string]resolvedUnit
}

type resolvedUnit struct {
	u   importUnit
	msg *netra.Message
}

// maxResolved bounds the (name, parent) pairs an import remembers per
// government: a file of made-up names cannot grow it without end.
const maxResolved = 20000

type namedUnit struct {
	u      importUnit
	parent int64
	norm   string
}

// maxSuggestCache bounds the suggestions an import remembers per government.
const maxSuggestCache = 1000

func (n *unitNames) key(s string) string {
	k := normName(s)
	k = abbrev(k)
	for _, suf := range n.strip {
		if t, ok := strings.CutSuffix(k, " "+suf); ok && t != "" {
			return strings.TrimSpace(t)
		}
	}
	return k
}

// loadNames builds t's name index with one query.
func (imp *Importer) loadNames(ctx context.Context, t *importTenant) (*unitNames, error) {
	if t.names != nil {
		return t.names, nil
	}
	n := &unitNames{suffix: govName(t.name), byID: map[int64]int{}, byName: map[string][]int{}, suggest: map[string]string{},
		resolved: map[[2]string]resolvedUnit{}}
	if n.suffix != "" {
		base := strings.TrimPrefix(strings.TrimPrefix(n.suffix, "kota "), "kabupaten ")
		n.strip = []string{n.suffix, "provinsi " + base, base}
	}
	rows, err := imp.s.r.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), name, path, COALESCE(closed_at, 0)
		FROM org_units WHERE tenant_id = $1 ORDER BY path`, t.id)
	if err != nil {
		return nil, fmt.Errorf("store: import unit names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var nu namedUnit
		var closed int64
		if err := rows.Scan(&nu.u.id, &nu.parent, &nu.u.name, &nu.u.path, &closed); err != nil {
			return nil, err
		}
		nu.u.closed = closed != 0
		nu.norm = n.key(nu.u.name)
		n.byID[nu.u.id] = len(n.units)
		n.byName[nu.norm] = append(n.byName[nu.norm], len(n.units))
		n.units = append(n.units, nu)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: import unit names: %w", err)
	}
	t.names = n
	return n, nil
}

// hasAncestor reports whether a unit has an ancestor whose key is k.
func (n *unitNames) hasAncestor(i int, k string) bool {
	for p := n.units[i].parent; p != 0; {
		j, ok := n.byID[p]
		if !ok {
			return false
		}
		if n.units[j].norm == k {
			return true
		}
		p = n.units[j].parent
	}
	return false
}

// label names a unit with its parent: "Dinas Kesehatan > Sekretariat".
func (n *unitNames) label(i int) string {
	l := n.units[i].u.name
	if j, ok := n.byID[n.units[i].parent]; ok {
		l = n.units[j].u.name + " > " + l
	}
	return l
}

// unitByName resolves a unit by its name (and an ancestor's name) in t's
// tree. A name that matches no unit or several is a message for the row,
// naming the government and the closest units.
func (imp *Importer) unitByName(ctx context.Context, t *importTenant, name, parent string) (importUnit, *netra.Message, error) {
	if strings.TrimSpace(name) == "" {
		m := netra.Msg("Unit kerja belum diisi: isi KODE_UNIT, UNIT_KERJA atau UNOR_NAMA.",
			"The work unit is missing: fill in KODE_UNIT, UNIT_KERJA or UNOR_NAMA.")
		return importUnit{}, &m, nil
	}
	n, err := imp.loadNames(ctx, t)
	if err != nil {
		return importUnit{}, nil, err
	}
	pair := [2]string{name, parent}
	if r, ok := n.resolved[pair]; ok {
		return r.u, r.msg, nil
	}
	u, m := n.resolve(name, parent, t.name+" ("+t.code+")")
	if len(n.resolved) < maxResolved {
		n.resolved[pair] = resolvedUnit{u, m}
	}
	return u, m, nil
}

// resolve is unitByName's answer, worked out.
func (n *unitNames) resolve(name, parent, gov string) (importUnit, *netra.Message) {
	k := n.key(name)
	cands := n.byName[k]
	if pk := n.key(parent); len(cands) > 1 && pk != "" && govName(parent) != n.suffix {
		var in []int
		for _, i := range cands {
			if n.hasAncestor(i, pk) {
				in = append(in, i)
			}
		}
		if len(in) > 0 {
			cands = in
		}
	}
	switch {
	case len(cands) == 1:
		u := n.units[cands[0]].u
		if u.closed {
			m := netra.Msg("Unit kerja "+u.name+" sudah ditutup.", "The work unit "+u.name+" is closed.")
			return importUnit{}, &m
		}
		return u, nil
	case len(cands) > 1:
		var ls []string
		for _, i := range cands[:min(3, len(cands))] {
			ls = append(ls, n.label(i))
		}
		more := ""
		if len(cands) > 3 {
			more = fmt.Sprintf(" (+%d)", len(cands)-3)
		}
		m := netra.Msg(fmt.Sprintf("Unit kerja \"%s\" ada %d di %s: %s%s. Isi UNOR_INDUK_NAMA dengan nama unit induknya.", name, len(cands), gov, strings.Join(ls, "; "), more),
			fmt.Sprintf("%d work units of %s are named \"%s\": %s%s. Fill in UNOR_INDUK_NAMA with the parent unit's name.", len(cands), gov, name, strings.Join(ls, "; "), more))
		return importUnit{}, &m
	}
	sug, ok := n.suggest[k]
	if !ok {
		sug = n.closest(k)
		if len(n.suggest) < maxSuggestCache {
			n.suggest[k] = sug
		}
	}
	id, en := "", ""
	if sug != "" {
		id, en = " Yang paling mirip: "+sug+".", " Closest: "+sug+"."
	}
	m := netra.Msg("Unit kerja \""+name+"\" tidak ada di pohon organisasi "+gov+"."+id,
		"No work unit \""+name+"\" in the organisation tree of "+gov+"."+en)
	return importUnit{}, &m
}

// closest lists up to three units whose names are closest to k: most words
// in common first, then the smallest edit distance.
func (n *unitNames) closest(k string) string {
	words := strings.Fields(k)
	type score struct {
		i, shared, dist int
	}
	seen := map[string]bool{}
	var best []score
	for i, u := range n.units {
		if seen[u.norm] {
			continue
		}
		seen[u.norm] = true
		sc := score{i: i, dist: editDistance(k, u.norm)}
		for _, w := range strings.Fields(u.norm) {
			for _, x := range words {
				if w == x {
					sc.shared++
					break
				}
			}
		}
		best = append(best, sc)
		sort.Slice(best, func(a, b int) bool {
			if best[a].shared != best[b].shared {
				return best[a].shared > best[b].shared
			}
			return best[a].dist < best[b].dist
		})
		if len(best) > 3 {
			best = best[:3]
		}
	}
	var ls []string
	for _, b := range best {
		ls = append(ls, n.label(b.i))
	}
	return strings.Join(ls, "; ")
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Outcomes of a row whose NIP is already stored.
const (
	outInserted = iota
	outUpdated
	outUnchanged
	outRejected
	outPending
)

// decide says what a row does to the stored employee o it names, given
// the changes ch it would make: the one rule a real run and a dry run
// share. An employee of another government is never moved by an import:
// the row becomes a pending transfer that the sending government confirms.
func (imp *Importer) decide(r *ImportRow, o *existing, ch map[string]change) (int, netra.ImportProblem) {
	switch {
	case o.e.TenantID != r.Employee.TenantID:
		return outPending, netra.ImportProblem{}
	case !imp.scope.CoversUnit(o.e.TenantID, o.tpath, o.e.UnitPath):
		return outRejected, netra.ImportProblem{Line: r.Line, Column: "NIP", Value: r.Employee.NIP, UnitID: r.Employee.UnitID,
			Reason: netra.Msg("NIP ini terdaftar di unit lain di luar wewenang Anda.", "This NIP is registered in another unit outside your scope.")}
	case len(ch) == 0:
		return outUnchanged, netra.ImportProblem{}
	}
	return outUpdated, netra.ImportProblem{}
}
