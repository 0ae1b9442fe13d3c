package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// One person is one person. An employee record is one appointment under one
// identifier (its NIP, NI PPPK, or a non-ASN's NIK); the honorer who becomes
// a PPPK and then a PNS, or the PPPK who takes a new NI PPPK at another
// government, has one record per step, and all of them point at one row of
// persons (employees.person_id).
//
// A record is linked to a person by the first of its identifiers that is
// already known, looked up in this order, each among the identifiers the
// stored records carry and those they carried before (person_identifiers):
//
//  1. its NIK — the population number, one per person for life: the strongest;
//  2. its PNS_ID — SIASN's own key for the person;
//  3. its NIP_LAMA — the pre-2007 NIP, which never changes;
//  4. its own identifier (nip), when a person had it before.
//
// A stored record born on another day than the new one is not the same
// person, whatever identifier they share (a mistyped NIK must not merge
// two people). A record that finds no person starts a new one. The rule is
// documented for users in docs/registry.md; keep the two in step.

// Identifier kinds, as person_identifiers.kind and Identifier.Kind hold them.
const (
	KindNIP    = "nip"      // 18-digit NIP of a PNS or CPNS
	KindNIPPPK = "ni_pppk"  // 18-digit NI PPPK
	KindNIK    = "nik"      // 16-digit population number
	KindPNSID  = "pns_id"   // SIASN's PNS_ID
	KindOldNIP = "nip_lama" // 9-digit NIP before 2007
	// KindElsewhere is a record of the person outside the actor's read
	// scope, listed with its government and dates but no identifier: each
	// government keeps its own staff's numbers. Never stored.
	KindElsewhere = "elsewhere"
)

// nipKind is the kind of identifier an employee's nip column holds.
func nipKind(t netra.EmploymentType) string {
	switch t {
	case netra.PPPK, netra.PPPKParuhWaktu:
		return KindNIPPPK
	case netra.NonASN:
		return KindNIK
	}
	return KindNIP
}

// personMatch holds, for the identifiers of a batch, the persons that
// already have them: by column ("nik", "pns_id", "nip_lama") and value, and
// in past[value] those recorded in person_identifiers.
type personMatch struct {
	current map[string]map[string][]candidate
	past    map[string][]candidate
}

// candidate is a person that has an identifier, with the birth date of the
// record that carries it ("" when unknown or a past identifier).
type candidate struct {
	id    int64
	birth string
}

// of returns the person e belongs to by the linking rule, or 0. A candidate
// whose record was born on another day than e is not the same person (a
// mistyped or reused NIK must not merge two people), so it is passed over.
// Among several, the oldest person wins, so the answer is stable.
func (m *personMatch) of(e *netra.Employee) int64 {
	birth := dateString(e.BirthDate)
	for _, k := range [...]struct{ col, v string }{{"nik", e.NIK}, {"pns_id", e.PNSID}, {"nip_lama", e.OldNIP}, {"nip", e.NIP}} {
		if k.v == "" {
			continue
		}
		var best int64
		for _, cs := range [...][]candidate{m.current[k.col][k.v], m.past[k.v]} {
			for _, c := range cs {
				if (c.birth == "" || birth == "" || c.birth == birth) && (best == 0 || c.id < best) {
					best = c.id
				}
			}
		}
		if best != 0 {
			return best
		}
	}
	return 0
}

// findPersons looks up, in one query, the persons that already have any of
// the identifiers of emps: each value is an index probe (employees_nik,
// employees_pns_id, employees_nip_lama, person_identifiers_value).
func (x *tx) findPersons(ctx context.Context, emps []*netra.Employee) (*personMatch, error) {
	m := &personMatch{current: map[string]map[string][]candidate{"nik": {}, "pns_id": {}, "nip_lama": {}}, past: map[string][]candidate{}}
	var niks, pnsIDs, oldNIPs, all []string
	for _, e := range emps {
		for _, p := range [...]struct {
			dst *[]string
			v   string
		}{{&niks, e.NIK}, {&pnsIDs, e.PNSID}, {&oldNIPs, e.OldNIP}, {nil, e.NIP}} {
			if p.v == "" {
				continue
			}
			if p.dst != nil {
				*p.dst = append(*p.dst, p.v)
			}
			all = append(all, p.v)
		}
	}
	if len(all) == 0 {
		return m, nil
	}
	var a args
	// On SQLite each list is walked as a table (json_each, sorted and
	// without repeats) whose values probe the index one by one, in the
	// index's order: "IN (SELECT value FROM json_each(…))" first copied
	// every list into a temporary index, which cost more than the probes.
	from := func(vs []string, table string) string {
		if x.s.dialect == Postgres {
			return table + " e WHERE e.%[1]s = ANY(" + a.add(vs) + ")"
		}
		slices.Sort(vs)
		b, _ := json.Marshal(slices.Compact(vs))
		return "json_each(" + a.add(string(b)) + ") j CROSS JOIN " + table + " e ON e.%[1]s = j.value WHERE 1"
	}
	var parts []string
	for _, c := range [...]struct {
		col string
		vs  []string
	}{{"nik", niks}, {"pns_id", pnsIDs}, {"nip_lama", oldNIPs}} {
		if len(c.vs) > 0 {
			// The "<> ''" lets the planner use the partial index.
			parts = append(parts, fmt.Sprintf(`SELECT '%[1]s', e.%[1]s, e.person_id, e.birth_date FROM `+from(c.vs, "employees")+
				` AND e.%[1]s <> '' AND e.person_id IS NOT NULL`, c.col))
		}
	}
	parts = append(parts, fmt.Sprintf(`SELECT 'past', e.value, e.person_id, '' FROM `+from(all, "person_identifiers"), "value"))
	rows, err := x.QueryContext(ctx, strings.Join(parts, " UNION ALL "), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: find persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src, v, birth string
		var id int64
		if err := rows.Scan(&src, &v, &id, &birth); err != nil {
			return nil, err
		}
		if src == "past" {
			m.past[v] = append(m.past[v], candidate{id, birth})
		} else {
			m.current[src][v] = append(m.current[src][v], candidate{id, birth})
		}
	}
	return m, rows.Err()
}

// newPersons adds n persons and returns their ids, in two statements
// whatever n is.
func (x *tx) newPersons(ctx context.Context, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if x.s.dialect == Postgres {
		rows, err := x.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('persons', 'id')) FROM generate_series(1, $1::int)`, n)
		if err != nil {
			return nil, fmt.Errorf("store: new persons: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO persons (id, created_at) SELECT unnest($1::bigint[]), $2::bigint`, ids, x.now); err != nil {
			return nil, fmt.Errorf("store: new persons: %w", err)
		}
		return ids, nil
	}
	// SQLite has one writer, so the ids after the largest are free.
	var last int64
	if err := x.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM persons`).Scan(&last); err != nil {
		return nil, fmt.Errorf("store: new persons: %w", err)
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, last+int64(i))
	}
	if _, err := x.ExecContext(ctx, `WITH RECURSIVE r(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM r WHERE i < $2)
		INSERT INTO persons (id, created_at) SELECT i, $3 FROM r`, last+1, last+int64(n), x.now); err != nil {
		return nil, fmt.Errorf("store: new persons: %w", err)
	}
	return ids, nil
}

// linkPersons sets the PersonID of every employee in emps that has none:
// to the person found by the linking rule, else to stored[i] (the person of
// the stored record the employee updates, when the caller knows it; stored
// may be nil), else to a new person; two of emps that share a NIK, PNS_ID
// or NIP_LAMA and find no person get the same new one. It returns the ids
// of the new persons. One lookup query and two writes, however many
// employees.
//
// probe, when not nil, is called once for each employee and picks those
// worth looking up (an import's first load knows the others share no
// identifier with a stored record).
func (x *tx) linkPersons(ctx context.Context, emps []*netra.Employee, stored []int64, probe func(*netra.Employee) bool) ([]int64, error) {
	look := emps
	if probe != nil {
		look = nil
		for _, e := range emps {
			if probe(e) {
				look = append(look, e)
			}
		}
	}
	m, err := x.findPersons(ctx, look)
	if err != nil {
		return nil, err
	}
	var need []*netra.Employee
	for i, e := range emps {
		if e.PersonID != 0 {
			continue
		}
		if e.PersonID = m.of(e); e.PersonID == 0 && stored != nil {
			e.PersonID = stored[i]
		}
		if e.PersonID == 0 {
			need = append(need, e)
		}
	}
	if len(need) == 0 {
		return nil, nil
	}
	// Within the batch: the first record of an unknown person claims its
	// identifiers for the rest (a national file may hold both of a
	// person's NI PPPKs).
	group := map[string]int{} // "col:value" → index into firsts
	var firsts []int
	slot := make([]int, len(need))
	for i, e := range need {
		slot[i] = -1
		for _, k := range [...]string{"nik:" + e.NIK, "pns_id:" + e.PNSID, "nip_lama:" + e.OldNIP} {
			if strings.HasSuffix(k, ":") {
				continue
			}
			if g, ok := group[k]; ok && slot[i] < 0 {
				slot[i] = g
			}
		}
		if slot[i] < 0 {
			slot[i] = len(firsts)
			firsts = append(firsts, i)
		}
		for _, k := range [...]string{"nik:" + e.NIK, "pns_id:" + e.PNSID, "nip_lama:" + e.OldNIP} {
			if !strings.HasSuffix(k, ":") {
				if _, ok := group[k]; !ok {
					group[k] = slot[i]
				}
			}
		}
	}
	ids, err := x.newPersons(ctx, len(firsts))
	if err != nil {
		return nil, err
	}
	for i, e := range need {
		e.PersonID = ids[slot[i]]
	}
	return ids, nil
}

// dropUnusedPersons deletes, in one statement, the persons among ids that
// no record points at (a batch allocated them for rows that turned out to
// be stored already).
func (x *tx) dropUnusedPersons(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in := "id = ANY($1)"
	var arg any = ids
	if x.s.dialect != Postgres {
		b, _ := json.Marshal(ids)
		in, arg = "id IN (SELECT value FROM json_each($1))", string(b)
	}
	if _, err := x.ExecContext(ctx, `DELETE FROM persons WHERE `+in+`
		AND NOT EXISTS (SELECT 1 FROM employees WHERE person_id = persons.id)
		AND NOT EXISTS (SELECT 1 FROM person_identifiers WHERE person_id = persons.id)`, arg); err != nil {
		return fmt.Errorf("store: unused persons: %w", err)
	}
	return nil
}

// relink links a stored record whose identifiers change to the person its
// new identifiers find (or keeps its person; a record with none gets a new
// one), then keeps the history (see keepPastIdentifiers). after.PersonID is
// set; the caller saves the record.
func (x *tx) relink(ctx context.Context, before, after *netra.Employee) error {
	after.PersonID = before.PersonID
	if before.NIK == after.NIK && before.PNSID == after.PNSID && before.OldNIP == after.OldNIP && before.PersonID != 0 {
		return nil
	}
	probe := *after
	m, err := x.findPersons(ctx, []*netra.Employee{&probe})
	if err != nil {
		return err
	}
	if found := m.of(&probe); found != 0 {
		after.PersonID = found
	} else if after.PersonID == 0 {
		ids, err := x.newPersons(ctx, 1)
		if err != nil {
			return err
		}
		after.PersonID = ids[0]
	}
	return x.keepPastIdentifiers(ctx, before, after)
}

// keepPastIdentifiers records the identifiers a stored record stops
// carrying (a corrected NIK, a replaced PNS_ID or NIP_LAMA) in
// person_identifiers, with the time they held, so that a search by them
// still finds the person; a record that moves to another person
// (after.PersonID, decided by the caller) takes its past identifiers along.
func (x *tx) keepPastIdentifiers(ctx context.Context, before, after *netra.Employee) error {
	if before.PersonID != 0 && after.PersonID != before.PersonID {
		if _, err := x.ExecContext(ctx, `UPDATE person_identifiers SET person_id = $1 WHERE employee_id = $2`, after.PersonID, before.ID); err != nil {
			return fmt.Errorf("store: relink identifiers: %w", err)
		}
	}
	since := before.CreatedAt.UnixMilli()
	for _, c := range [...]struct{ kind, old, new string }{{KindNIK, before.NIK, after.NIK},
		{KindPNSID, before.PNSID, after.PNSID}, {KindOldNIP, before.OldNIP, after.OldNIP}} {
		if c.old == "" || c.old == c.new {
			continue
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO person_identifiers (person_id, kind, value, tenant_id, employee_id, since, until)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, after.PersonID, c.kind, c.old, before.TenantID, before.ID, since, x.now); err != nil {
			return fmt.Errorf("store: past identifier: %w", err)
		}
	}
	return nil
}

// Identifier is one identifier a person has had: on one of their records
// (Current: the record still carries it) or recorded when a record stopped
// carrying it. Until is zero while it holds.
type Identifier struct {
	Kind       string // KindNIP, KindNIPPPK, KindNIK, KindPNSID, KindOldNIP
	Value      string
	TenantID   int64
	TenantName string
	EmployeeID int64 // the record; 0 when the actor may not read it
	Since      time.Time
	Until      time.Time
	Current    bool
}

// EmployeeRecord is an employee as its page shows it: the record, its
// recorded changes and the identifiers the person behind it has had.
type EmployeeRecord struct {
	Employee    *netra.Employee
	History     []HistoryEntry
	Identifiers []Identifier
}

// EmployeeRecord returns an employee the actor may read (ErrNotFound
// otherwise) with its history and the person's identifiers (see
// personIdentifiers): one audited read for all three.
func (s *Store) EmployeeRecord(ctx context.Context, id int64) (*EmployeeRecord, error) {
	e, err := s.employeeInScope(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"history": true, "identifiers": true}); err != nil {
		return nil, err
	}
	r := &EmployeeRecord{Employee: e}
	if r.History, err = s.history(ctx, id); err != nil {
		return nil, err
	}
	if r.Identifiers, err = s.personIdentifiers(ctx, e); err != nil {
		return nil, err
	}
	return r, nil
}

// PersonIdentifiers returns the identifiers the person behind employee id
// has had (see personIdentifiers), for an employee the actor may read
// (ErrNotFound otherwise). The read is audited: identifiers are personal
// data.
func (s *Store) PersonIdentifiers(ctx context.Context, id int64) ([]Identifier, error) {
	e, err := s.employeeInScope(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.AuditRead(ctx, e.TenantID, "employee", e.ID, map[string]any{"identifiers": true}); err != nil {
		return nil, err
	}
	return s.personIdentifiers(ctx, e)
}

// personIdentifiers returns every identifier the person behind e has had,
// across all their records, oldest first. A record of another government or
// unit outside the actor's read scope appears once, as KindElsewhere with
// its government and dates but without its identifiers or a link
// (EmployeeID 0): the actor reads this person already and may know they
// served elsewhere, but each government keeps its own staff's numbers.
func (s *Store) personIdentifiers(ctx context.Context, e *netra.Employee) ([]Identifier, error) {
	if e.PersonID == 0 {
		return nil, nil
	}
	sc, err := scopeOf(ctx, netra.PermEmployeeRead)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT e.id, e.tenant_id, t.name, t.path, u.path, e.type, e.nip, e.nik, e.pns_id, e.nip_lama,
		e.status, e.created_at, e.updated_at FROM employees e JOIN org_units u ON u.id = e.unit_id JOIN tenants t ON t.id = e.tenant_id
		WHERE e.person_id = $1 ORDER BY e.created_at, e.id LIMIT 100`, e.PersonID)
	if err != nil {
		return nil, fmt.Errorf("store: person records: %w", err)
	}
	var out []Identifier
	names := map[int64]string{}
	readable := map[int64]bool{}
	for rows.Next() {
		var rid, tid, created, updated int64
		var tname, tpath, upath, nip, nik, pnsID, oldNIP string
		var typ netra.EmploymentType
		var status netra.EmployeeStatus
		if err := rows.Scan(&rid, &tid, &tname, &tpath, &upath, &typ, &nip, &nik, &pnsID, &oldNIP, &status, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		names[tid] = tname
		var until time.Time
		if !status.InService() {
			until = fromMS(updated)
		}
		if rid != e.ID && !sc.CoversUnit(tid, tpath, upath) {
			out = append(out, Identifier{Kind: KindElsewhere, TenantID: tid, TenantName: tname, Since: fromMS(created), Until: until, Current: true})
			continue
		}
		link := rid
		readable[rid] = true
		for _, c := range [...]struct{ kind, v string }{{nipKind(typ), nip}, {KindNIK, nik}, {KindPNSID, pnsID}, {KindOldNIP, oldNIP}} {
			if c.v == "" {
				continue
			}
			out = append(out, Identifier{Kind: c.kind, Value: c.v, TenantID: tid, TenantName: tname, EmployeeID: link,
				Since: fromMS(created), Until: until, Current: true})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.r.QueryContext(ctx, `SELECT p.kind, p.value, p.tenant_id, t.name, t.path, COALESCE(p.employee_id, 0), p.since, p.until
		FROM person_identifiers p JOIN tenants t ON t.id = p.tenant_id WHERE p.person_id = $1 ORDER BY p.since, p.id LIMIT 100`, e.PersonID)
	if err != nil {
		return nil, fmt.Errorf("store: person identifiers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i Identifier
		var tpath string
		var since, until int64
		if err := rows.Scan(&i.Kind, &i.Value, &i.TenantID, &i.TenantName, &tpath, &i.EmployeeID, &since, &until); err != nil {
			return nil, err
		}
		if !readable[i.EmployeeID] {
			if i.EmployeeID != 0 || !sc.CoversTenant(tpath) {
				continue // a record outside the scope: listed once above, without numbers
			}
		}
		i.Since = fromMS(since)
		if until != 0 {
			i.Until = fromMS(until)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Since.Before(out[b].Since) })
	return dedupeIdentifiers(out), nil
}

// dedupeIdentifiers keeps one entry per kind, value and record: a non-ASN's
// NIK is both its nip and its nik.
func dedupeIdentifiers(in []Identifier) []Identifier {
	seen := map[string]bool{}
	out := in[:0]
	for _, i := range in {
		k := i.Kind + ":" + i.Value + ":" + strconv.FormatInt(i.EmployeeID, 10) + ":" + strconv.FormatBool(i.Current)
		if i.Kind == KindElsewhere { // one per record, which it does not name
			k += ":" + strconv.FormatInt(i.TenantID, 10) + ":" + strconv.FormatInt(i.Since.UnixNano(), 10)
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, i)
	}
	return out
}
