package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/store"
)

// The preventive measures at work in Kota Palangka Raya: the shipped
// pledge texts, a pledge campaign for Pilkada 2024 over the whole
// government, launched, and signed by about 60% of the employees, unevenly
// from one agency to the next — the officials at a ceremony, those with an
// e-mail address online, those without on paper — with the employees on
// study leave or unpaid leave excused. Every signature goes through the
// store's own SignPledge, RecordCeremony and RecordPaperPledge (signed
// records, the government's pledge log, the audit log, the duty's
// coverage), so what the coverage pages show is real.

// CampaignTitle is the demo campaign's name.
const CampaignTitle = "Ikrar Netralitas ASN Pilkada Serentak 2024"

// CampaignText is the shipped pledge text the demo campaign uses.
const CampaignText = "ikrar-empat-butir"

// signedShare is the part of the employees the demo signs overall; each
// agency's own share lies around it (signRate).
const signedShare = 0.60

// Of the employees who sign besides the officials, onlineShare of those
// with an e-mail address sign online and paperShare of those without sign
// on paper; the rest sign at their agency's assembly. Each online or paper
// signature is a transaction of its own (about 3 ms on SQLite with its
// fsync, more on a busy machine), an assembly one for up to 500 people, so
// these shares keep the demo's load within seconds.
const (
	onlineShare = 0.12
	paperShare  = 0.25
)

// The demo campaign opened two weeks before the demo was loaded and closes
// six weeks after, so that it takes signatures whenever the demo is tried.
const (
	campaignOpenedDays = 14
	campaignClosesDays = 45
)

var wib = time.FixedZone("WIB", 7*3600) // Kalimantan Tengah keeps Western Indonesia Time

// signRate is the share of an agency's employees (a top unit of the
// tree, by its code) who sign in the demo: spread from about a fifth to
// nearly all around signedShare, the same for the same code on every load.
func signRate(code string) float64 {
	f := fraction("rate:" + code)
	return min(0.97, max(0.15, signedShare-0.42+0.8*f))
}

// fraction is a stable number in [0, 1) for s.
func fraction(s string) float64 {
	h := fnv.New64a()
	_, _ = io.WriteString(h, s)
	return float64(h.Sum64()>>11) / float64(1<<53)
}

// PledgeResult says what ensurePledges did.
type PledgeResult struct {
	CampaignID, DutyID int64
	Online, Paper      int // signatures made this time
	Ceremony, Excused  int
}

// ensurePledges gives Palangka Raya its campaign once: when a campaign of
// that title exists, nothing happens (a draft left by an interrupted load
// is launched and signed). keep is a NIP to leave unsigned.
func ensurePledges(ctx context.Context, s *store.Store, blobs blob.Store, keep string, log io.Writer) (*PledgeResult, error) {
	city, err := s.TenantByCode(ctx, "62.71")
	if err != nil {
		return nil, err
	}
	camps, err := s.PledgeCampaigns(ctx, city.ID)
	if err != nil {
		return nil, err
	}
	var c *netra.PledgeCampaign
	for i := range camps {
		if camps[i].Title == CampaignTitle {
			if camps[i].Status != netra.PledgeCampaignDraft {
				return nil, nil
			}
			c = &camps[i]
		}
	}
	if c == nil {
		if c, err = newCampaign(ctx, s, city); err != nil {
			return nil, err
		}
	}
	if c, err = s.LaunchPledgeCampaign(ctx, c.ID); err != nil {
		return nil, fmt.Errorf("demo: launch the campaign: %w", err)
	}
	res := &PledgeResult{CampaignID: c.ID, DutyID: c.DutyID}
	if err := skipLaunchMail(ctx, s, c.DutyID); err != nil {
		return nil, err
	}
	if err := signCampaign(ctx, s, blobs, city, c, keep, res); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "demo: %s: kampanye %q diluncurkan; %d menandatangani dalam upacara dan apel, %d daring, %d di atas kertas; %d dikecualikan\n",
		city.Name, c.Title, res.Ceremony, res.Online, res.Paper, res.Excused)
	return res, nil
}

// newCampaign installs the shipped texts (once) and creates the draft
// campaign for Pilkada 2024 over the whole government. It has no
// reminders: each would e-mail every employee still pending, and the
// demo's addresses are made up (at the real government's domain).
func newCampaign(ctx context.Context, s *store.Store, city *netra.Tenant) (*netra.PledgeCampaign, error) {
	tpls, err := s.PledgeTemplates(ctx, city.ID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(tpls, func(t netra.PledgeTemplate) bool { return t.Shipped == CampaignText }) {
		if tpls, err = s.InstallShippedPledges(ctx, city.ID); err != nil {
			return nil, fmt.Errorf("demo: pledge texts: %w", err)
		}
	}
	i := slices.IndexFunc(tpls, func(t netra.PledgeTemplate) bool { return t.Shipped == CampaignText })
	if i < 0 {
		return nil, fmt.Errorf("demo: the shipped pledge text %s is missing", CampaignText)
	}
	el, err := s.ElectionByCode(ctx, "pilkada-2024")
	if err != nil {
		return nil, fmt.Errorf("demo: Pilkada 2024 in the election calendar: %w", err)
	}
	now := s.Clock().Now().In(wib)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, wib)
	c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[i].ID, TemplateVersion: tpls[i].Latest.Version, ElectionID: el.ID,
		Title: CampaignTitle, Opens: today.AddDate(0, 0, -campaignOpenedDays), Closes: today.AddDate(0, 0, campaignClosesDays)}
	if err := s.CreatePledgeCampaign(ctx, c); err != nil {
		return nil, fmt.Errorf("demo: create the campaign: %w", err)
	}
	return c, nil
}

// signCampaign signs campaign c for the demo's share of the city's
// employees, as a city's campaign goes: the officials (JPT and
// administrators) at a ceremony in the city hall on the third day; then,
// agency by agency (a top unit of the tree), the agency's share of the
// others — most of them at the agency's morning assembly (apel), where the
// ikrar is read and the attendance list signed (one ceremony record per
// agency: the store's batch), some online as they would after signing in,
// and some of those without an e-mail address on paper. Employees on study
// leave or unpaid leave who did not sign are excused with the reason. keep
// is a NIP left unsigned, for the visitor to sign as.
func signCampaign(ctx context.Context, s *store.Store, blobs blob.Store, city *netra.Tenant, c *netra.PledgeCampaign, keep string, res *PledgeResult) error {
	units, err := s.Units(ctx, netra.UnitFilter{TenantID: city.ID, IncludeClosed: true, Limit: 10000})
	if err != nil {
		return err
	}
	byID := map[int64]netra.OrgUnit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	agencyOf := func(unitID int64) netra.OrgUnit { // the top unit above unitID
		root, _, _ := strings.Cut(strings.Trim(byID[unitID].Path, "/"), "/")
		id, _ := strconv.ParseInt(root, 10, 64)
		return byID[id]
	}
	var officials, excusable []netra.Employee
	staff := map[int64][]netra.Employee{} // by agency
	var agencies []int64
	total := 0
	f := netra.EmployeeFilter{TenantID: city.ID, Limit: 500}
	for {
		page, err := s.Employees(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range page.Employees {
			if !e.Status.InService() || e.NIP == keep {
				continue
			}
			total++
			switch {
			case e.PositionType == netra.JPTPratama || e.PositionType == netra.JPTMadya || e.PositionType == netra.Administrator:
				officials = append(officials, e)
			case e.Status == netra.StatusActive:
				a := agencyOf(e.UnitID).ID
				if staff[a] == nil {
					agencies = append(agencies, a)
				}
				staff[a] = append(staff[a], e)
			case e.Status == netra.StatusStudyLeave || e.Status == netra.StatusCLTN:
				excusable = append(excusable, e)
			}
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	// Each agency's share is spread around the others', then all are scaled
	// so that the signatures (officials included) come to signedShare.
	want := signedShare*float64(total) - float64(len(officials))
	expect := 0.0
	for _, a := range agencies {
		expect += signRate(byID[a].Code) * float64(len(staff[a]))
	}
	scale := 1.0
	if expect > 0 {
		scale = max(0, want/expect)
	}
	now := s.Clock().Now()
	opened := c.Opens.In(wib)
	day := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }
	ceremony := func(place string, on time.Time, es []netra.Employee) error {
		for len(es) > 0 {
			n := min(len(es), store.MaxCeremonySigners)
			scan, err := demoScan(ctx, blobs, now, "DAFTAR HADIR PENANDATANGANAN IKRAR NETRALITAS ASN",
				fmt.Sprintf("%d pegawai, %s, %s", n, place, pdf.Date(on)))
			if err != nil {
				return err
			}
			ids := make([]int64, n)
			for i := range n {
				ids[i] = es[i].ID
			}
			if _, err := s.RecordCeremony(ctx, &netra.PledgeCeremony{CampaignID: c.ID, HeldOn: day(on), Place: place, Scan: scan}, ids); err != nil {
				return fmt.Errorf("demo: ceremony at %s: %w", place, err)
			}
			res.Ceremony += n
			es = es[n:]
		}
		return nil
	}
	if err := ceremony("Aula Kantor Wali Kota Palangka Raya", opened.AddDate(0, 0, 2), officials); err != nil {
		return err
	}
	days := max(1, int(now.Sub(c.Opens).Hours()/24))
	var online, paper []netra.Employee
	for i, a := range agencies {
		rate := min(0.97, signRate(byID[a].Code)*scale)
		var apel []netra.Employee
		for _, e := range staff[a] {
			how := fraction("how:" + e.NIP)
			switch {
			case fraction("sign:"+e.NIP) >= rate:
			case e.Email != "" && how < onlineShare:
				online = append(online, e)
			case e.Email == "" && how < paperShare:
				paper = append(paper, e)
			default:
				apel = append(apel, e)
			}
		}
		on := opened.AddDate(0, 0, 3+i%max(1, min(days-3, 10)))
		if err := ceremony("Apel pagi "+byID[a].Name, on, apel); err != nil {
			return err
		}
	}
	for _, e := range online {
		a := &netra.Actor{EmployeeID: e.ID, Label: "demo:nip." + e.NIP,
			Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID, TenantCode: city.Code, TenantPath: city.Path()}}}
		if _, err := s.SignPledge(netra.WithActor(ctx, a), c.ID, e.Name); err != nil {
			return fmt.Errorf("demo: %s signs: %w", e.NIP, err)
		}
		res.Online++
	}
	for _, e := range paper {
		on := day(opened.AddDate(0, 0, int(fraction("paper:"+e.NIP)*float64(days))))
		scan, err := demoScan(ctx, blobs, now, "IKRAR NETRALITAS PEGAWAI ASN", e.FullName()+" · NIP "+netra.FormatNIP(e.NIP)+" · "+pdf.Date(on))
		if err != nil {
			return err
		}
		if _, err := s.RecordPaperPledge(ctx, c.ID, e.ID, scan, on); err != nil {
			return fmt.Errorf("demo: %s on paper: %w", e.NIP, err)
		}
		res.Paper++
	}
	for _, e := range excusable {
		reason := "Sedang tugas belajar sepanjang periode kampanye."
		if e.Status == netra.StatusCLTN {
			reason = "Cuti di luar tanggungan negara sepanjang periode kampanye."
		}
		if err := s.ExcuseDuty(ctx, c.DutyID, e.ID, reason); err != nil {
			return fmt.Errorf("demo: excuse %s: %w", e.NIP, err)
		}
		res.Excused++
	}
	return nil
}

// skipLaunchMail takes the launch's e-mail job of duty dutyID off the
// queue unrun: the launch would e-mail the ~2,400 employees still pending,
// whose addresses are made up (at the real government's domain), and fill
// the server's log with them when mail goes to the log. Their inbox
// notices are there; only the e-mails are not sent. Another duty's job
// claimed with it is released at once (its lease is a millisecond).
func skipLaunchMail(ctx context.Context, s *store.Store, dutyID int64) error {
	js, err := s.ClaimJobs(ctx, "demo", []string{store.JobDutyMail}, 100, time.Millisecond)
	if err != nil {
		return err
	}
	for _, j := range js {
		if m, err := store.ParseDutyMail(j.Payload); err == nil && m.DutyID == dutyID {
			if err := s.CompleteJob(ctx, j.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoScan stores a one-page PDF standing in for the scan of a signed
// paper (it says it is one) and returns its reference.
func demoScan(ctx context.Context, blobs blob.Store, now time.Time, title, line string) (netra.PledgeScan, error) {
	var buf bytes.Buffer
	d, err := pdf.New(&buf, pdf.Options{Created: now, Title: title})
	if err != nil {
		return netra.PledgeScan{}, err
	}
	d.Title(title)
	d.Paragraph(line)
	d.Paragraph("Pindaian rekaan untuk demo Netra: berkas ini menggantikan pindaian kertas yang ditandatangani.")
	if err := d.Close(); err != nil {
		return netra.PledgeScan{}, err
	}
	key := blob.PledgeScanKey(now, "pindaian.pdf")
	n, sum, err := blob.PutHashed(ctx, blobs, key, &buf)
	if err != nil {
		return netra.PledgeScan{}, fmt.Errorf("demo: store a scan: %w", err)
	}
	return netra.PledgeScan{Key: key, SHA256: sum, Size: n}, nil
}
