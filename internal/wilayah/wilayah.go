// Package wilayah provides Indonesia's administrative areas — provinces,
// regencies and cities, districts (kecamatan) and villages (kelurahan and
// desa) — with their Kemendagri codes, embedded in the binary.
//
// The data is idn-area-data 4.0.1 by fityannugroho under the Open Database
// License; data/README.md carries the attribution that must travel with it.
// Load parses it once (a few tens of milliseconds); callers keep the *Data
// and pass it down rather than loading it again.
package wilayah

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// files holds the CSV files. It is the package's only package-level value
// and is immutable.
//
//go:embed data/provinces.csv data/regencies.csv data/districts.csv data/villages.csv
var files embed.FS

// Area is one administrative area: a province ("62"), a regency or city
// ("62.71"), a district ("62.71.01") or a village ("62.71.01.1003").
// ParentCode is the code of the area above it, "" for a province.
type Area struct {
	Code       string
	Name       string
	ParentCode string
}

// IsKelurahan reports whether a is a kelurahan: an urban village whose office
// is part of the regional government and staffed by ASN. Villages whose
// serial starts with 2 are desa, self-governing villages whose heads and staff
// are not ASN. It is false for anything that is not a village.
func (a Area) IsKelurahan() bool {
	return len(a.Code) == len("62.71.01.1001") && a.Code[9] == '1'
}

// Data is the whole set of areas, each level sorted by code. It is read-only
// after Load and safe for concurrent use.
type Data struct {
	provinces []Area
	regencies []Area
	districts []Area
	villages  []Area
}

// The shape of a code at each level; Load checks every row against them so
// that a damaged file fails loudly instead of producing odd trees later.
var levelCode = [4]*regexp.Regexp{
	regexp.MustCompile(`^[1-9][0-9]$`),
	regexp.MustCompile(`^[1-9][0-9]\.[0-9]{2}$`),
	regexp.MustCompile(`^[1-9][0-9]\.[0-9]{2}\.[0-9]{2}$`),
	regexp.MustCompile(`^[1-9][0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$`),
}

// Load parses the embedded files. It fails only if they are damaged, which
// would be a build defect.
func Load() (*Data, error) {
	var d Data
	var err error
	if d.provinces, err = load("data/provinces.csv", 0, nil); err != nil {
		return nil, err
	}
	if d.regencies, err = load("data/regencies.csv", 1, d.provinces); err != nil {
		return nil, err
	}
	if d.districts, err = load("data/districts.csv", 2, d.regencies); err != nil {
		return nil, err
	}
	if d.villages, err = load("data/villages.csv", 3, d.districts); err != nil {
		return nil, err
	}
	return &d, nil
}

// load reads one level's file, checks each code and its parent, and returns
// the areas sorted by code.
func load(name string, level int, parents []Area) ([]Area, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("wilayah: %w", err)
	}
	// Counting lines first sizes the slice exactly: villages are 83k rows.
	out := make([]Area, 0, bytes.Count(b, []byte{'\n'}))
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = true
	want := 3
	if level == 0 {
		want = 2
	}
	r.FieldsPerRecord = want
	if _, err := r.Read(); err != nil { // header
		return nil, fmt.Errorf("wilayah: %s: header: %w", name, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wilayah: %s: %w", name, err)
		}
		a := Area{Code: rec[0], Name: strings.TrimSpace(rec[want-1])}
		if level > 0 {
			a.ParentCode = rec[1]
		}
		line, _ := r.FieldPos(0)
		if !levelCode[level].MatchString(a.Code) || a.Name == "" {
			return nil, fmt.Errorf("wilayah: %s:%d: bad row %q", name, line, a.Code)
		}
		if level > 0 && a.ParentCode != a.Code[:strings.LastIndexByte(a.Code, '.')] {
			return nil, fmt.Errorf("wilayah: %s:%d: %s has parent %s", name, line, a.Code, a.ParentCode)
		}
		// The parent code is the prefix of the code; sharing its bytes saves
		// an allocation per row.
		if level > 0 {
			a.ParentCode = a.Code[:len(a.ParentCode)]
		}
		out = append(out, a)
	}
	if !slices.IsSortedFunc(out, cmpCode) {
		slices.SortFunc(out, cmpCode)
	}
	for i := 1; i < len(out); i++ {
		if out[i].Code == out[i-1].Code {
			return nil, fmt.Errorf("wilayah: %s: duplicate code %s", name, out[i].Code)
		}
	}
	if parents != nil {
		for _, a := range out {
			if _, ok := find(parents, a.ParentCode); !ok {
				return nil, fmt.Errorf("wilayah: %s: %s has unknown parent %s", name, a.Code, a.ParentCode)
			}
		}
	}
	return out, nil
}

func cmpCode(a, b Area) int { return strings.Compare(a.Code, b.Code) }

// find binary-searches a level for code.
func find(level []Area, code string) (Area, bool) {
	i := sort.Search(len(level), func(i int) bool { return level[i].Code >= code })
	if i < len(level) && level[i].Code == code {
		return level[i], true
	}
	return Area{}, false
}

// children returns a copy of the areas of level under parent. Children share
// their parent's code as a prefix, so in a level sorted by code they form one
// run that two binary searches find.
func children(level []Area, parent string) []Area {
	prefix := parent + "."
	lo := sort.Search(len(level), func(i int) bool { return level[i].Code >= prefix })
	hi := lo
	for hi < len(level) && strings.HasPrefix(level[hi].Code, prefix) {
		hi++
	}
	return slices.Clone(level[lo:hi])
}

// Provinces returns the 38 provinces in code order, as a new slice.
func (d *Data) Provinces() []Area { return slices.Clone(d.provinces) }

// Regencies returns the regencies and cities of a province in code order, as
// a new slice; it is empty for an unknown code.
func (d *Data) Regencies(provinceCode string) []Area { return children(d.regencies, provinceCode) }

// Districts returns the districts (kecamatan) of a regency or city in code
// order, as a new slice; it is empty for an unknown code.
func (d *Data) Districts(regencyCode string) []Area { return children(d.districts, regencyCode) }

// Villages returns the villages (kelurahan and desa) of a district in code
// order, as a new slice; it is empty for an unknown code.
func (d *Data) Villages(districtCode string) []Area { return children(d.villages, districtCode) }

// Lookup finds an area of any level by its code ("62", "62.71", "62.71.01",
// "62.71.01.1003"). ok is false for an unknown code.
func (d *Data) Lookup(code string) (Area, bool) {
	switch strings.Count(code, ".") {
	case 0:
		return find(d.provinces, code)
	case 1:
		return find(d.regencies, code)
	case 2:
		return find(d.districts, code)
	case 3:
		return find(d.villages, code)
	}
	return Area{}, false
}

// Governments returns the 552 local governments — 38 provinces and 514
// regencies and cities — in code order, so each province comes just before
// its regencies and cities ("62", "62.01", …, "62.71", "63"). The national
// government is not an area and is not included.
func (d *Data) Governments() []Area {
	out := make([]Area, 0, len(d.provinces)+len(d.regencies))
	out = append(out, d.provinces...)
	out = append(out, d.regencies...)
	slices.SortFunc(out, cmpCode)
	return out
}
