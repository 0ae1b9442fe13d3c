package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/store"
)

// The operators' pledge pages, under /instansi/{id}/ikrar (duty.manage;
// the store checks the scope again on every call): a government's pledge
// texts and their versions, its campaigns, a campaign's launch, a paper
// pledge and a ceremony recorded, an employee's signature looked up by NIP,
// and a signature's page (duty.read) with its certificate and revocation.
// Coverage (who signed, per unit) is the duties' pages.

// pledgeBase is the address of a government's pledge pages.
func pledgeBase(tenantID int64) string {
	return "/instansi/" + strconv.FormatInt(tenantID, 10) + "/ikrar"
}

// maxScanUpload bounds the scan or photo of a signed paper.
const maxScanUpload = 20 << 20

// pledgeBlobs is where scans of signed papers go: the server's blob store
// (the one the imports runner holds, the only one the server is given).
func (s *Server) pledgeBlobs() blob.Store { return s.imports.Blobs }

type pledgeTenantPage struct {
	*page
	Tenant    *netra.Tenant
	Crumbs    []crumb
	Base      string
	CanManage bool // duty.manage over the whole government: texts and campaigns
}

func (s *Server) pledgeTenantPage(r *http.Request, t *netra.Tenant, title string) *pledgeTenantPage {
	p := s.newPage(r, "")
	p.Title = title
	return &pledgeTenantPage{page: p, Tenant: t, Base: pledgeBase(t.ID),
		CanManage: info(r).actor.ScopeFor(netra.PermDutyManage).CoversTenant(t.Path()),
		Crumbs:    []crumb{{Href: "/instansi/" + strconv.FormatInt(t.ID, 10), Label: t.Name}, {Href: pledgeBase(t.ID), Label: p.T("pledge.admin.crumb")}}}
}

// pledgeTenant reads the government in the path.
func (s *Server) pledgeTenant(r *http.Request) (*netra.Tenant, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.Tenant(r.Context(), id)
}

type pledgePickPage struct {
	*page
	Tenants []store.TenantSummary
}

// pledgeManageHome sends an operator to their government's pledge pages,
// or lets one who manages several choose.
func (s *Server) pledgeManageHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc := info(r).actor.ScopeFor(netra.PermDutyManage)
	ids := map[int64]bool{}
	for _, a := range sc.Areas {
		ids[a.TenantID] = true
	}
	if !sc.All && len(ids) == 1 {
		for id := range ids {
			return s.redirect(w, r, pledgeBase(id), "")
		}
	}
	all, err := s.store.Tenants(ctx)
	if err != nil {
		return err
	}
	var ts []store.TenantSummary
	for _, t := range all {
		if sc.All || ids[t.ID] {
			ts = append(ts, t)
		}
	}
	return s.render(w, r, http.StatusOK, "pledge_pick", &pledgePickPage{page: s.newPage(r, "pledge.pick.title"), Tenants: ts})
}

type pledgeAdminPage struct {
	*pledgeTenantPage
	Templates []netra.PledgeTemplate
	Campaigns []netra.PledgeCampaign
	Missing   int // shipped texts the government does not have yet
}

// pledgeAdmin lists a government's pledge texts and campaigns.
func (s *Server) pledgeAdmin(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := &pledgeAdminPage{pledgeTenantPage: s.pledgeTenantPage(r, t, "")}
	d.Title = d.T("pledge.admin.title", t.Name)
	d.Crumbs = d.Crumbs[:1]
	if d.Templates, err = s.store.PledgeTemplates(ctx, t.ID); err != nil {
		return err
	}
	if d.Campaigns, err = s.store.PledgeCampaigns(ctx, t.ID); err != nil {
		return err
	}
	shipped, err := netra.ShippedPledges()
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, tp := range d.Templates {
		have[tp.Shipped] = true
	}
	for _, sp := range shipped {
		if !have[sp.Key] {
			d.Missing++
		}
	}
	return s.render(w, r, http.StatusOK, "pledge_admin", d)
}

// pledgeInstallShipped gives the government the texts Netra ships.
func (s *Server) pledgeInstallShipped(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	if _, err := s.store.InstallShippedPledges(r.Context(), t.ID); err != nil {
		return err
	}
	return s.redirect(w, r, pledgeBase(t.ID), "pledge_shipped")
}

type pledgeTextPage struct {
	*pledgeTenantPage
	Template *netra.PledgeTemplate // nil for a new template
	Versions []netra.PledgeText    // newest first
	Fields   []field
}

func pledgeTextFields(p *page, text *netra.PledgeText) []field {
	return []field{
		{Name: "title", Label: p.T("pledge.text.title"), Type: "text", Value: text.Title, Required: true, MaxLength: 200},
		{Name: "body", Label: p.T("pledge.text.body"), Hint: p.T("pledge.text.body.hint"), Type: "textarea", Value: text.Body,
			Required: true, MaxLength: netra.MaxPledgeText},
		{Name: "source", Label: p.T("pledge.text.source"), Hint: p.T("pledge.text.source.hint"), Type: "text", Value: text.Source, MaxLength: 4000},
	}
}

func pledgeTextFromForm(f *form) netra.PledgeText {
	return netra.PledgeText{Title: f.get("title"), Body: f.get("body"), Source: f.get("source")}
}

// pledgeTemplateNewForm shows the form of a new pledge text.
func (s *Server) pledgeTemplateNewForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pledge_text", s.pledgeNewTextData(r, t, &netra.PledgeText{}))
}

func (s *Server) pledgeNewTextData(r *http.Request, t *netra.Tenant, text *netra.PledgeText) *pledgeTextPage {
	d := &pledgeTextPage{pledgeTenantPage: s.pledgeTenantPage(r, t, "")}
	d.Title = d.T("pledge.text.new")
	d.Fields = pledgeTextFields(d.page, text)
	return d
}

// pledgeTemplateCreate adds a pledge text, as its version 1.
func (s *Server) pledgeTemplateCreate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	text := pledgeTextFromForm(f)
	tp, err := s.store.CreatePledgeTemplate(r.Context(), t.ID, text)
	if err != nil {
		return s.renderInvalid(w, r, err, "pledge_text", func() (formPage, []field, error) {
			d := s.pledgeNewTextData(r, t, &text)
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/teks/"+strconv.FormatInt(tp.ID, 10), "pledge_text_saved")
}

// pledgeTextData builds the page of a template of government t: its
// versions and the form of the next one (filled with text, or the newest).
func (s *Server) pledgeTextData(r *http.Request, t *netra.Tenant, templateID int64, text *netra.PledgeText) (*pledgeTextPage, error) {
	ctx := r.Context()
	tps, err := s.store.PledgeTemplates(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	d := &pledgeTextPage{pledgeTenantPage: s.pledgeTenantPage(r, t, "")}
	for i := range tps {
		if tps[i].ID == templateID {
			d.Template = &tps[i]
		}
	}
	if d.Template == nil {
		return nil, errNotFound
	}
	d.Title = d.Template.Latest.Title
	vs, err := s.store.PledgeTemplateVersions(ctx, templateID)
	if err != nil {
		return nil, err
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Version > vs[j].Version })
	d.Versions = vs
	if text == nil {
		latest := d.Template.Latest
		text = &latest
	}
	d.Fields = pledgeTextFields(d.page, text)
	return d, nil
}

// pledgeTemplatePage shows a template's versions and the form of a new one.
func (s *Server) pledgeTemplatePage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "template")
	if err != nil {
		return err
	}
	d, err := s.pledgeTextData(r, t, id, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pledge_text", d)
}

// pledgeTemplateVersion publishes the next version of a template.
func (s *Server) pledgeTemplateVersion(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "template")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	text := pledgeTextFromForm(f)
	if _, err := s.pledgeTextData(r, t, id, &text); err != nil { // the template is the government's
		return err
	}
	if _, err := s.store.AddPledgeTemplateVersion(r.Context(), id, text); err != nil {
		return s.renderInvalid(w, r, err, "pledge_text", func() (formPage, []field, error) {
			d, err := s.pledgeTextData(r, t, id, &text)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/teks/"+strconv.FormatInt(id, 10), "pledge_version_saved")
}

type pledgeCampaignFormPage struct {
	*pledgeTenantPage
	Fields []field
}

// campaignInput is the campaign form as typed.
type campaignInput struct {
	Title, Version, Election, Opens, Closes, Reminders string
}

func (s *Server) pledgeCampaignFormData(r *http.Request, t *netra.Tenant, in campaignInput) (*pledgeCampaignFormPage, error) {
	ctx := r.Context()
	d := &pledgeCampaignFormPage{pledgeTenantPage: s.pledgeTenantPage(r, t, "")}
	d.Title = d.T("pledge.campaign.new")
	versions, err := s.pledgeVersionOptions(ctx, d.page, t, in.Version)
	if err != nil {
		return nil, err
	}
	elections, err := s.pledgeElectionOptions(ctx, d.page, t, in.Election)
	if err != nil {
		return nil, err
	}
	d.Fields = []field{
		{Name: "title", Label: d.T("pledge.campaign.title"), Hint: d.T("pledge.campaign.title.hint"), Type: "text", Value: in.Title,
			Required: true, MaxLength: 200},
		{Name: "template", Label: d.T("pledge.campaign.template"), Type: "select", Options: versions, Required: true},
		{Name: "election", Label: d.T("pledge.campaign.election"), Hint: d.T("pledge.campaign.election.hint"), Type: "select",
			Options: elections, Required: true},
		{Name: "opens", Label: d.T("pledge.campaign.opens"), Hint: d.T("pledge.campaign.opens.hint"), Type: "date", Value: in.Opens, Required: true},
		{Name: "closes", Label: d.T("pledge.campaign.closes"), Hint: d.T("pledge.campaign.closes.hint"), Type: "date", Value: in.Closes, Required: true},
		{Name: "reminders", Label: d.T("pledge.campaign.reminders"), Hint: d.T("pledge.campaign.reminders.hint"), Type: "text",
			Value: in.Reminders, MaxLength: 200, InputMode: "numeric", Autocomplete: "off"},
	}
	return d, nil
}

// pledgeVersionOptions lists every published version of the government's
// texts as "template:version", newest first within each text.
func (s *Server) pledgeVersionOptions(ctx context.Context, pg *page, t *netra.Tenant, current string) ([]option, error) {
	tps, err := s.store.PledgeTemplates(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	pairs := []string{"", pg.T("pledge.campaign.template.choose")}
	for _, tp := range tps {
		vs, err := s.store.PledgeTemplateVersions(ctx, tp.ID)
		if err != nil {
			return nil, err
		}
		for i := len(vs) - 1; i >= 0; i-- {
			pairs = append(pairs, fmt.Sprintf("%d:%d", tp.ID, vs[i].Version), pg.T("pledge.campaign.template.option", vs[i].Title, vs[i].Version))
		}
	}
	return options(current, pairs...), nil
}

// pledgeElectionOptions lists the elections of the calendar that concern
// the government's area, newest voting day first.
func (s *Server) pledgeElectionOptions(ctx context.Context, pg *page, t *netra.Tenant, current string) ([]option, error) {
	es, err := s.store.Elections(ctx)
	if err != nil {
		return nil, err
	}
	pairs := []string{"", pg.T("pledge.campaign.election.choose")}
	for _, e := range es {
		if e.Applies(t.Code) {
			pairs = append(pairs, strconv.FormatInt(e.ID, 10), e.Label(pg.Lang)+" ("+pg.Birth(e.VotingDay)+")")
		}
	}
	return options(current, pairs...), nil
}

// pledgeCampaignNewForm shows the form of a new campaign.
func (s *Server) pledgeCampaignNewForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	d, err := s.pledgeCampaignFormData(r, t, campaignInput{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pledge_campaign_form", d)
}

// wibDay is the first moment of a calendar date (from a date input) in WIB.
func wibDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, wib).UTC()
}

// reminderDays reads "5, 7, 9" (days after opening).
func reminderDays(f *form, name string) []int {
	var out []int
	for _, part := range strings.FieldsFunc(f.get(name), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.Atoi(part)
		if err != nil {
			f.invalid(name, netra.Msg("Tulis hari pengingat sebagai bilangan bulat dipisah koma, misalnya 5, 7, 9.",
				"Write the reminder days as whole numbers separated by commas, e.g. 5, 7, 9."))
			return nil
		}
		out = append(out, n)
	}
	return out
}

// pledgeCampaignCreate adds a campaign as a draft: it opens at the start
// of its first day and closes at the end of its last (WIB).
func (s *Server) pledgeCampaignCreate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	in := campaignInput{Title: f.get("title"), Version: f.get("template"), Election: f.get("election"), Opens: f.get("opens"),
		Closes: f.get("closes"), Reminders: f.get("reminders")}
	build := func() (formPage, []field, error) {
		d, err := s.pledgeCampaignFormData(r, t, in)
		if err != nil {
			return nil, nil, err
		}
		return d, d.Fields, nil
	}
	d, err := s.pledgeCampaignFormData(r, t, in)
	if err != nil {
		return err
	}
	c := &netra.PledgeCampaign{TenantID: t.ID, Title: in.Title}
	if v := f.choice("template", d.Fields[1].Options); v != "" {
		tid, ver, _ := strings.Cut(v, ":")
		c.TemplateID = formID(tid)
		c.TemplateVersion, _ = strconv.Atoi(ver)
	}
	if v := f.choice("election", d.Fields[2].Options); v != "" {
		c.ElectionID = formID(v)
	}
	if opens := f.date("opens"); !opens.IsZero() {
		c.Opens = wibDay(opens)
	}
	if closes := f.date("closes"); !closes.IsZero() {
		c.Closes = wibDay(closes).AddDate(0, 0, 1)
	}
	c.ReminderDays = reminderDays(f, "reminders")
	err = f.err()
	if err == nil {
		err = s.store.CreatePledgeCampaign(r.Context(), c)
	} else {
		err = joinInvalid(err, c.Validate())
	}
	if err != nil {
		if ve, ok := netra.AsValidation(err); ok {
			// The domain names the pair of dates "period": show it on both.
			if m, ok := ve.Fields["period"]; ok {
				delete(ve.Fields, "period")
				ve.Add("closes", m)
			}
		}
		return s.renderInvalid(w, r, err, "pledge_campaign_form", build)
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/kampanye/"+strconv.FormatInt(c.ID, 10), "pledge_campaign_saved")
}

type pledgeCampaignPage struct {
	*pledgeTenantPage
	Campaign *netra.PledgeCampaign
	Text     *netra.PledgeText
	Election string
	Open     bool
	Addr     string // the campaign's address
	// The lookup of an employee's signature by NIP.
	Lookup   []field
	Found    *netra.Employee
	FoundSig *netra.PledgeSignature
	Looked   bool
	Paper    []field
	Ceremony []field
}

func (s *Server) pledgeCampaignData(r *http.Request, t *netra.Tenant, id int64) (*pledgeCampaignPage, error) {
	ctx := r.Context()
	c, err := s.store.PledgeCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.TenantID != t.ID {
		return nil, errNotFound
	}
	text, err := s.store.PledgeTemplateText(ctx, c.TemplateID, c.TemplateVersion)
	if err != nil {
		return nil, err
	}
	d := &pledgeCampaignPage{pledgeTenantPage: s.pledgeTenantPage(r, t, c.Title), Campaign: c, Text: text, Open: c.OpenAt(s.now()),
		Addr: pledgeBase(t.ID) + "/kampanye/" + strconv.FormatInt(c.ID, 10)}
	d.Election = "#" + strconv.FormatInt(c.ElectionID, 10)
	if e, err := s.store.Election(ctx, c.ElectionID); err == nil {
		d.Election = e.Label(d.Lang) + " (" + d.Birth(e.VotingDay) + ")"
	}
	today := dateValue(s.today())
	d.Lookup = []field{{Name: "nip", Label: d.T("pledge.lookup.nip"), Type: "text", InputMode: "numeric", MaxLength: 24, Autocomplete: "off"}}
	d.Paper = []field{
		{Name: "paper_nip", Label: d.T("pledge.paper.nip"), Type: "text", InputMode: "numeric", MaxLength: 24, Required: true, Autocomplete: "off"},
		{Name: "signed_on", Label: d.T("pledge.paper.signed_on"), Hint: d.T("pledge.paper.signed_on.hint"), Type: "date", Value: today, Required: true},
		{Name: "scan", Label: d.T("pledge.scan"), Hint: d.T("pledge.scan.hint"), Type: "file", Accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", Required: true},
	}
	d.Ceremony = []field{
		{Name: "held_on", Label: d.T("pledge.ceremony.held_on"), Type: "date", Value: today, Required: true},
		{Name: "place", Label: d.T("pledge.ceremony.place"), Hint: d.T("pledge.ceremony.place.hint"), Type: "text", MaxLength: 200, Required: true},
		{Name: "officials", Label: d.T("pledge.ceremony.officials"), Hint: d.T("pledge.ceremony.officials.hint"), Type: "textarea", MaxLength: 12000, Required: true},
		{Name: "photo", Label: d.T("pledge.ceremony.scan"), Hint: d.T("pledge.scan.hint"), Type: "file", Accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", Required: true},
	}
	return d, nil
}

// pledgeCampaignPath reads the government and the campaign of the path.
func (s *Server) pledgeCampaignPath(r *http.Request) (*netra.Tenant, int64, error) {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "campaign")
	return t, id, err
}

// pledgeCampaignPage shows a campaign: its details, its launch, the
// lookup of a signature by NIP (?nip=), and the paper and ceremony forms.
func (s *Server) pledgeCampaignPage(w http.ResponseWriter, r *http.Request) error {
	t, id, err := s.pledgeCampaignPath(r)
	if err != nil {
		return err
	}
	d, err := s.pledgeCampaignData(r, t, id)
	if err != nil {
		return err
	}
	if nip := strings.TrimSpace(r.URL.Query().Get("nip")); nip != "" {
		d.Looked = true
		d.Lookup[0].Value = nip
		e, err := s.pledgeEmployeeByNIP(r.Context(), t.ID, nip)
		switch {
		case err == nil:
			d.Found = e
			sig, err := s.store.PledgeSignatureOf(r.Context(), id, e.ID)
			if err == nil {
				d.FoundSig = sig
			} else if !errors.Is(err, netra.ErrNotFound) {
				return err
			}
		case errors.Is(err, netra.ErrNotFound):
			d.setErrors(map[string]string{"nip": d.T("pledge.lookup.none", nip)}, d.Lookup)
		default:
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "pledge_campaign", d)
}

// pledgeEmployeeByNIP finds the employee of a government with a NIP
// (spaces and dots allowed), among those the actor may read.
func (s *Server) pledgeEmployeeByNIP(ctx context.Context, tenantID int64, nip string) (*netra.Employee, error) {
	n := netra.NormalizeNIP(nip)
	if n == "" || len(n) > 24 || strings.Trim(n, "0123456789") != "" {
		return nil, fmt.Errorf("nip %q: %w", netra.Truncate(nip, 30), netra.ErrNotFound)
	}
	pg, err := s.store.Employees(ctx, netra.EmployeeFilter{TenantID: tenantID, Search: n, Limit: 20})
	if err != nil {
		return nil, err
	}
	for i := range pg.Employees {
		if pg.Employees[i].NIP == n {
			return &pg.Employees[i], nil
		}
	}
	return nil, fmt.Errorf("nip %s: %w", n, netra.ErrNotFound)
}

// pledgeCampaignLaunch launches a draft campaign.
func (s *Server) pledgeCampaignLaunch(w http.ResponseWriter, r *http.Request) error {
	t, id, err := s.pledgeCampaignPath(r)
	if err != nil {
		return err
	}
	if _, err := s.pledgeCampaignData(r, t, id); err != nil { // the campaign is the government's
		return err
	}
	if _, err := s.store.LaunchPledgeCampaign(r.Context(), id); err != nil {
		return s.renderInvalid(w, r, err, "pledge_campaign", func() (formPage, []field, error) {
			d, err := s.pledgeCampaignData(r, t, id)
			return d, nil, err
		})
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/kampanye/"+strconv.FormatInt(id, 10), "pledge_campaign_launched")
}

// readScanForm reads a multipart form with a scan (at most maxScanUpload)
// and returns the file, checked to be a whole PDF or a JPEG or PNG image,
// with the extension of what it is.
func readScanForm(w http.ResponseWriter, r *http.Request, name string) (multipart.File, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxScanUpload+64<<10)
	if err := r.ParseMultipartForm(2 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, "", err
		}
		return nil, "", errBadRequest("Unggahan harus berupa formulir multipart.", "The upload must be a multipart form.")
	}
	f, _, err := r.FormFile(name)
	if err != nil {
		return nil, "", netra.Invalid(name, netra.Msg("Unggah pindaian atau foto kertas yang ditandatangani (PDF, JPEG atau PNG).",
			"Upload the scan or photo of the signed paper (PDF, JPEG or PNG)."))
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, "", err
	}
	ext := ""
	switch {
	case strings.HasPrefix(string(head[:n]), "%PDF-") || !strings.HasPrefix(http.DetectContentType(head[:n]), "image/"):
		if err := pdf.Sniff(f); err != nil {
			f.Close()
			var ue *netra.UserError
			if errors.As(err, &ue) {
				return nil, "", netra.Invalid(name, netra.Msg(ue.Msg.ID+" Pindaian harus PDF, JPEG atau PNG.", ue.Msg.EN+" A scan must be a PDF, JPEG or PNG."))
			}
			return nil, "", err
		}
		ext = ".pdf"
	case http.DetectContentType(head[:n]) == "image/jpeg":
		ext = ".jpg"
	case http.DetectContentType(head[:n]) == "image/png":
		ext = ".png"
	default:
		f.Close()
		return nil, "", netra.Invalid(name, netra.Msg("Pindaian harus PDF, JPEG atau PNG.", "A scan must be a PDF, JPEG or PNG."))
	}
	return f, ext, nil
}

// putScan stores a checked scan and returns what the signed record states of it.
func (s *Server) putScan(ctx context.Context, f io.Reader, ext string) (netra.PledgeScan, error) {
	key := blob.PledgeScanKey(s.now(), "scan"+ext)
	n, sum, err := blob.PutHashed(ctx, s.pledgeBlobs(), key, f)
	if err != nil {
		_ = s.pledgeBlobs().Delete(ctx, key)
		return netra.PledgeScan{}, err
	}
	return netra.PledgeScan{Key: key, SHA256: sum, Size: n}, nil
}

// pledgeCampaignInvalid answers a refused paper or ceremony form on the
// campaign's page, with the values typed.
func (s *Server) pledgeCampaignInvalid(w http.ResponseWriter, r *http.Request, t *netra.Tenant, id int64, err error, which string) error {
	// The store names the fields of its own types; the forms have theirs.
	renames := map[string]string{"employee": "paper_nip", "nip": "paper_nip"}
	if which == "ceremony" {
		renames = map[string]string{"employees": "officials", "employee": "officials", "scan": "photo"}
	}
	if ve, ok := netra.AsValidation(err); ok {
		for from, to := range renames {
			if m, ok := ve.Fields[from]; ok {
				delete(ve.Fields, from)
				ve.Add(to, m)
			}
		}
	}
	return s.renderInvalid(w, r, err, "pledge_campaign", func() (formPage, []field, error) {
		d, err := s.pledgeCampaignData(r, t, id)
		if err != nil {
			return nil, nil, err
		}
		fields := d.Paper
		if which == "ceremony" {
			fields = d.Ceremony
		}
		for i := range fields {
			if fields[i].Type != "file" && r.MultipartForm != nil {
				fields[i].Value = r.FormValue(fields[i].Name)
			}
		}
		return d, fields, nil
	})
}

// pledgePaper records an employee's signed paper pledge: the NIP, the day
// on the paper and its scan.
func (s *Server) pledgePaper(w http.ResponseWriter, r *http.Request) error {
	t, id, err := s.pledgeCampaignPath(r)
	if err != nil {
		return err
	}
	if _, err := s.pledgeCampaignData(r, t, id); err != nil {
		return err
	}
	ctx := r.Context()
	file, ext, err := readScanForm(w, r, "scan")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		return s.pledgeCampaignInvalid(w, r, t, id, err, "paper")
	}
	defer file.Close()
	f := &form{values: r.MultipartForm.Value}
	signedOn := f.date("signed_on")
	if signedOn.IsZero() {
		f.invalid("signed_on", msgRequired)
	}
	e, err := s.pledgeEmployeeByNIP(ctx, t.ID, f.get("paper_nip"))
	if errors.Is(err, netra.ErrNotFound) {
		f.invalid("paper_nip", netra.Msg("Tidak ada pegawai dengan NIP ini di instansi ini (dalam wewenang Anda).",
			"No employee of this government (within your scope) has this NIP."))
	} else if err != nil {
		return err
	}
	if err := f.err(); err != nil {
		return s.pledgeCampaignInvalid(w, r, t, id, err, "paper")
	}
	scan, err := s.putScan(ctx, file, ext)
	if err != nil {
		return err
	}
	sig, err := s.store.RecordPaperPledge(ctx, id, e.ID, scan, signedOn)
	if err != nil || sig.Scan.Key != scan.Key {
		_ = s.pledgeBlobs().Delete(ctx, scan.Key) // refused, or the same scan recorded before
	}
	if err != nil {
		return s.pledgeCampaignInvalid(w, r, t, id, err, "paper")
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/tanda-tangan/"+strconv.FormatInt(sig.ID, 10), "pledge_paper_saved")
}

// pledgeCeremony records a signing ceremony and the officials who signed
// there, each picked by NIP.
func (s *Server) pledgeCeremony(w http.ResponseWriter, r *http.Request) error {
	t, id, err := s.pledgeCampaignPath(r)
	if err != nil {
		return err
	}
	if _, err := s.pledgeCampaignData(r, t, id); err != nil {
		return err
	}
	ctx := r.Context()
	file, ext, err := readScanForm(w, r, "photo")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		return s.pledgeCampaignInvalid(w, r, t, id, err, "ceremony")
	}
	defer file.Close()
	f := &form{values: r.MultipartForm.Value}
	cer := &netra.PledgeCeremony{CampaignID: id, HeldOn: f.date("held_on"), Place: f.get("place")}
	nips := strings.FieldsFunc(f.get("officials"), func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' })
	var ids []int64
	var unknown []string
	for _, n := range nips {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		e, err := s.pledgeEmployeeByNIP(ctx, t.ID, n)
		if errors.Is(err, netra.ErrNotFound) {
			unknown = append(unknown, n)
			continue
		} else if err != nil {
			return err
		}
		ids = append(ids, e.ID)
	}
	switch {
	case len(unknown) > 0:
		f.invalid("officials", netra.Msg("NIP ini tidak ditemukan di instansi ini (dalam wewenang Anda): "+strings.Join(unknown, ", ")+".",
			"These NIPs were not found in this government (within your scope): "+strings.Join(unknown, ", ")+"."))
	case len(ids) == 0:
		f.invalid("officials", netra.Msg("Tulis NIP pejabat yang menandatangani, satu per baris.", "Write the NIPs of the officials who signed, one a line."))
	}
	// The scan is not there yet: check the rest as the domain would.
	probe := *cer
	probe.Scan = netra.PledgeScan{Key: "pledges/probe.pdf", SHA256: strings.Repeat("0", 64)}
	if err := joinInvalid(f.err(), probe.Validate()); err != nil {
		return s.pledgeCampaignInvalid(w, r, t, id, err, "ceremony")
	}
	if cer.Scan, err = s.putScan(ctx, file, ext); err != nil {
		return err
	}
	if _, err := s.store.RecordCeremony(ctx, cer, ids); err != nil {
		_ = s.pledgeBlobs().Delete(ctx, cer.Scan.Key)
		return s.pledgeCampaignInvalid(w, r, t, id, err, "ceremony")
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/kampanye/"+strconv.FormatInt(id, 10), "pledge_ceremony_saved")
}

type pledgeSignaturePage struct {
	*pledgeTenantPage
	Signature  *netra.PledgeSignature
	Record     *netra.PledgeRecord
	Revocation *netra.PledgeRevocation
	Campaign   *netra.PledgeCampaign
	Code       string
	CanRevoke  bool
	Fields     []field
}

func (s *Server) pledgeSignatureData(r *http.Request, t *netra.Tenant, id int64, reason string) (*pledgeSignaturePage, error) {
	ctx := r.Context()
	sig, err := s.store.PledgeSignature(ctx, id)
	if err != nil {
		return nil, err
	}
	if sig.TenantID != t.ID {
		return nil, errNotFound
	}
	rec, err := netra.ParsePledgeRecord(sig.Record)
	if err != nil {
		return nil, fmt.Errorf("web: pledge signature %d: %w", id, err)
	}
	c, err := s.store.PledgeCampaign(ctx, sig.CampaignID)
	if err != nil {
		return nil, err
	}
	d := &pledgeSignaturePage{pledgeTenantPage: s.pledgeTenantPage(r, t, rec.Name), Signature: sig, Record: rec, Campaign: c,
		Code: netra.FormatPledgeCode(sig.Code), CanRevoke: !sig.Revoked() && info(r).actor.Can(netra.PermDutyManage)}
	d.Crumbs = append(d.Crumbs, crumb{Href: pledgeBase(t.ID) + "/kampanye/" + strconv.FormatInt(c.ID, 10), Label: c.Title})
	if sig.Revoked() {
		if d.Revocation, err = s.store.PledgeRevocationOf(ctx, id); err != nil {
			return nil, err
		}
	}
	d.Fields = []field{{Name: "reason", Label: d.T("pledge.revoke.reason"), Hint: d.T("pledge.revoke.reason.hint"), Type: "textarea",
		Value: reason, Required: true, MaxLength: 500}}
	return d, nil
}

// pledgeSignaturePage shows one signature to an operator: the record, its
// status, its certificate and the revocation form.
func (s *Server) pledgeSignaturePage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "signature")
	if err != nil {
		return err
	}
	d, err := s.pledgeSignatureData(r, t, id, "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pledge_signature", d)
}

// pledgeRevoke revokes a signature with a reason.
func (s *Server) pledgeRevoke(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pledgeTenant(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "signature")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	reason := f.get("reason")
	if _, err := s.pledgeSignatureData(r, t, id, reason); err != nil { // the signature is the government's
		return err
	}
	if _, err := s.store.RevokePledge(r.Context(), id, reason); err != nil {
		return s.renderInvalid(w, r, err, "pledge_signature", func() (formPage, []field, error) {
			d, err := s.pledgeSignatureData(r, t, id, reason)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, pledgeBase(t.ID)+"/tanda-tangan/"+strconv.FormatInt(id, 10), "pledge_revoked")
}
