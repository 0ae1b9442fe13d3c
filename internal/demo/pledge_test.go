package demo_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/store"
)

// rawDB opens the test database itself, read-only, to recount what the
// store keeps counters of.
func rawDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ids runs a query of one id column and returns the ids as a set.
func ids(t *testing.T, db *sql.DB, q string, args ...any) map[int64]bool {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkPledges: Palangka Raya has the demo campaign for Pilkada 2024,
// launched and open now, signed by about 60% of its employees (online, on
// paper and at ceremonies), unevenly from agency to agency, all in its
// pledge log; the campaign's coverage — the government's totals and each
// agency's — equals a recount from the employees, the signatures and the
// excuses; the employee the visitor signs in as has not signed; and the
// launch's e-mails were not queued.
func checkPledges(t *testing.T, ctx context.Context, s *store.Store, db *sql.DB, city *netra.Tenant, res *demo.Result) {
	t.Helper()
	camps, err := s.PledgeCampaigns(ctx, city.ID)
	if err != nil || len(camps) != 1 {
		t.Fatalf("campaigns: %+v %v", camps, err)
	}
	c := camps[0]
	el, err := s.ElectionByCode(ctx, "pilkada-2024")
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != demo.CampaignTitle || c.ElectionID != el.ID || !c.OpenAt(s.Clock().Now()) || c.DutyID == 0 || c.DutyID != res.Pledges.DutyID {
		t.Fatalf("the demo campaign: %+v (open now: %v)", c, c.OpenAt(s.Clock().Now()))
	}
	v, err := s.DutyCoverage(ctx, c.DutyID, 0)
	if err != nil {
		t.Fatal(err)
	}

	// The recount: who is in service where, who signed, who is excused.
	type count struct{ targeted, done, excused int64 }
	signed := ids(t, db, `SELECT employee_id FROM pledge_signatures WHERE campaign_id = $1 AND revoked_at = 0`, c.ID)
	excused := ids(t, db, `SELECT employee_id FROM duty_assignees WHERE duty_id = $1 AND status = 'excused' AND counted = 1`, c.DutyID)
	agency := map[int64]int64{}
	rows, err := db.Query(`SELECT id, path FROM org_units WHERE tenant_id = $1`, city.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var path string
		if err := rows.Scan(&id, &path); err != nil {
			t.Fatal(err)
		}
		root, _, _ := strings.Cut(strings.Trim(path, "/"), "/")
		agency[id], _ = strconv.ParseInt(root, 10, 64)
	}
	rows.Close()
	total, by := count{}, map[int64]*count{}
	rows, err = db.Query(`SELECT id, unit_id, status, nip FROM employees WHERE tenant_id = $1`, city.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, unit int64
		var status, nip string
		if err := rows.Scan(&id, &unit, &status, &nip); err != nil {
			t.Fatal(err)
		}
		if !netra.EmployeeStatus(status).InService() {
			if signed[id] {
				t.Errorf("employee %d out of service signed", id)
			}
			continue
		}
		if nip == res.EmployeeNIP && (signed[id] || excused[id]) {
			t.Errorf("the visitor's employee %s has already signed or is excused", nip)
		}
		a := by[agency[unit]]
		if a == nil {
			a = &count{}
			by[agency[unit]] = a
		}
		for _, x := range []*count{a, &total} {
			x.targeted++
			if signed[id] {
				x.done++
			}
			if excused[id] {
				x.excused++
			}
		}
	}
	rows.Close()
	if n := v.Node; n.Targeted != total.targeted || n.Done != total.done || n.Excused != total.excused {
		t.Errorf("the government's coverage %+v, recounted %+v", n, total)
	}
	if int64(len(signed)) != total.done {
		t.Errorf("%d signatures, %d of them by employees in service", len(signed), total.done)
	}
	if share := float64(total.done) / float64(total.targeted); share < 0.55 || share > 0.65 {
		t.Errorf("signed %.1f%%, want about 60%%", 100*share)
	}
	if total.excused == 0 {
		t.Error("nobody is excused")
	}
	lo, hi := 100.0, 0.0
	for _, ch := range v.Children {
		r := by[ch.UnitID]
		if r == nil || ch.Targeted != r.targeted || ch.Done != r.done || ch.Excused != r.excused {
			t.Errorf("%s: coverage %+v, recounted %+v", ch.Name, ch, r)
			continue
		}
		lo, hi = min(lo, ch.Percent()), max(hi, ch.Percent())
		delete(by, ch.UnitID)
	}
	if len(by) != 0 {
		t.Errorf("agencies with employees but no coverage row: %d", len(by))
	}
	if hi-lo < 30 {
		t.Errorf("coverage from %.0f%% to %.0f%% by agency: want it uneven", lo, hi)
	}
	// Every way of signing, each signature in the government's log.
	methods := map[string]int{}
	rows, err = db.Query(`SELECT method, COUNT(*) FROM pledge_signatures WHERE campaign_id = $1 GROUP BY method`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			t.Fatal(err)
		}
		methods[m] = n
	}
	rows.Close()
	if methods["online"] == 0 || methods["paper"] == 0 || methods["ceremony"] == 0 {
		t.Errorf("signatures by method: %v", methods)
	}
	if n, err := s.LogSize(ctx, netra.PledgeLogName(city.Code)); err != nil || n != int64(len(signed)) {
		t.Errorf("the pledge log holds %d records (%v), want the %d signatures", n, err, len(signed))
	}
	var audited int
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'pledge.sign' AND tenant_id = $1`,
		city.ID).Scan(&audited); err != nil || audited != len(signed) {
		t.Errorf("%d signatures audited (%v), want %d", audited, err, len(signed))
	}
	// The launch's e-mails are not queued; its inbox notices are there.
	var mails, notices int
	if err := db.QueryRow(`SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send'`).Scan(&mails); err != nil || mails != 0 {
		t.Errorf("%d e-mails queued (%v)", mails, err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM notices WHERE link = $1`, "/ikrar/"+strconv.FormatInt(c.ID, 10)).Scan(&notices); err != nil ||
		int64(notices) != total.targeted {
		t.Errorf("%d inbox notices (%v), want one per target (%d)", notices, err, total.targeted)
	}
}
