package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The election calendar's pages (netra.Election, docs/elections.md): a
// public list at /pemilu with the stages in force on a chosen day in a
// chosen area, a public page per election with its stages as a timeline and
// those in force today, and the forms with which the national government's
// admin maintains it (the store refuses anyone else, even a holder of
// election.manage by role). The JSON API is in election_api.go.

// sourceView is where a date comes from, with each link named by its site.
type sourceView struct {
	Text  string
	Links []sourceLink
}

type sourceLink struct{ Href, Host string }

func newSource(text string, urls []string) sourceView {
	v := sourceView{Text: text}
	for _, u := range urls {
		host := u
		if p, err := url.Parse(u); err == nil && p.Hostname() != "" {
			host = strings.TrimPrefix(p.Hostname(), "www.")
		}
		v.Links = append(v.Links, sourceLink{Href: u, Host: host})
	}
	return v
}

// stageView is one stage of the timeline.
type stageView struct {
	netra.ElectionStage
	Source    sourceView
	OwnSource bool // the stage's source differs from its election's (else the page names it once)
	Current   bool // in force today
	Past      bool // ended before today
}

// electionView is an election as the pages show it.
type electionView struct {
	netra.Election
	Source      sourceView
	Stages      []stageView
	Today       []netra.ElectionStage // the stages in force today
	Spans       bool                  // today is within the election's stages
	Candidacy   netra.Candidacy       // where today stands against the determination of candidates
	Determined  time.Time             // the determination day (the parent's for a re-vote), zero if unknown
	Parent      *netra.Election
	First, Last time.Time
}

func (s *Server) electionView(e *netra.Election, parent *netra.Election, today time.Time) electionView {
	v := electionView{Election: *e, Source: newSource(e.Source, e.SourceURLs), Parent: parent}
	v.First, v.Last = e.Span()
	v.Spans = !v.First.IsZero() && !today.Before(v.First) && !today.After(v.Last)
	for _, st := range e.Stages {
		own := st.Source != e.Source || strings.Join(st.SourceURLs, "\n") != strings.Join(e.SourceURLs, "\n")
		v.Stages = append(v.Stages, stageView{ElectionStage: st, Source: newSource(st.Source, st.SourceURLs), OwnSource: own,
			Current: st.Covers(today), Past: st.Ends.Before(today)})
	}
	v.Today = e.StagesOn(today)
	v.Candidacy = e.CandidacyOn(today, parent)
	v.Determined = e.DeterminationDay()
	if v.Determined.IsZero() && parent != nil {
		v.Determined = parent.DeterminationDay()
	}
	return v
}

// electionOnView is one election's answer to "what is in force on a day here".
type electionOnView struct {
	netra.ElectionOn
	Href string
}

type electionListPage struct {
	*page
	Elections []electionView
	CanManage bool
	TodayText string
	// The question "which stages are in force on a day in an area".
	Ask        []field
	Asked      bool
	AskedDay   string
	AskedWhere string
	Answer     []electionOnView
}

func (s *Server) askFields(p *page, day, region string) []field {
	return []field{
		{Name: "tanggal", Label: p.T("election.ask.date"), Type: "date", Value: day},
		{Name: "wilayah", Label: p.T("election.ask.region"), Hint: p.T("election.ask.region.hint"), Type: "text", Value: region,
			InputMode: "decimal", MaxLength: 13, Autocomplete: "off"},
	}
}

// electionList is the public calendar: every election with what is in
// force today, and the stages in force on ?tanggal= in ?wilayah=.
func (s *Server) electionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := s.newPage(r, "election.list.title")
	today := s.today()
	es, err := s.store.Elections(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]*netra.Election{}
	for i := range es {
		byID[es[i].ID] = &es[i]
	}
	d := &electionListPage{page: p, CanManage: store.MayManageElections(ctx), TodayText: p.Birth(today)}
	for i := range es {
		d.Elections = append(d.Elections, s.electionView(&es[i], byID[es[i].ParentID], today))
	}
	q := newQuery(r)
	day, region := q.trim("tanggal"), q.trim("wilayah")
	d.Ask = s.askFields(p, day, region)
	status := http.StatusOK
	if q.has("tanggal") || q.has("wilayah") {
		at := dayParam(q, "tanggal", today)
		region = q.text("wilayah", 64)
		err := q.err()
		var on []netra.ElectionOn
		if err == nil {
			on, err = s.store.ElectionStageOn(ctx, at, region)
		}
		if ve, ok := netra.AsValidation(err); ok {
			// The store names the area "region"; the form calls it wilayah.
			if m, ok := ve.Fields["region"]; ok {
				ve.Fields["wilayah"] = m
				delete(ve.Fields, "region")
			}
			p.applyErrors(ve, d.Ask)
			status = http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		} else {
			d.Asked, d.AskedDay = true, p.Birth(at)
			d.AskedWhere = p.T("election.everywhere")
			if region != "" {
				d.AskedWhere = store.RegionName(region) + " (" + region + ")"
			}
			for _, o := range on {
				d.Answer = append(d.Answer, electionOnView{ElectionOn: o, Href: "/pemilu/" + strconv.FormatInt(o.Election.ID, 10)})
			}
		}
	}
	return s.render(w, r, status, "elections", d)
}

type electionPage struct {
	*page
	E         electionView
	Crumbs    []crumb
	TodayText string
	CanManage bool
	Editing   *netra.ElectionStage // the stage the form edits, nil for a new one
	Fields    []field
}

func checkValue(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func stageKindOptions(p *page, current string) []option {
	pairs := []string{"", p.T("election.stage.kind.choose")}
	for _, k := range netra.StageKinds {
		pairs = append(pairs, string(k), k.Label(p.Lang))
	}
	return options(current, pairs...)
}

func (s *Server) stageFields(p *page, st *netra.ElectionStage) []field {
	return []field{
		{Name: "kind", Label: p.T("election.stage.kind"), Type: "select", Required: true, Options: stageKindOptions(p, string(st.Kind))},
		{Name: "name", Label: p.T("election.stage.name"), Hint: p.T("election.stage.name.hint"), Type: "text", Value: st.Name, MaxLength: 200},
		{Name: "name_en", Label: p.T("election.name_en"), Type: "text", Value: st.NameEN, MaxLength: 200},
		{Name: "starts", Label: p.T("election.stage.starts"), Type: "date", Value: dateValue(st.Starts), Required: true},
		{Name: "ends", Label: p.T("election.stage.ends"), Hint: p.T("election.stage.ends.hint"), Type: "date", Value: dateValue(st.Ends), Required: true},
		{Name: "source", Label: p.T("election.source"), Hint: p.T("election.source.hint"), Type: "text", Value: st.Source, Required: true, MaxLength: 1000},
		{Name: "source_urls", Label: p.T("election.source_urls"), Hint: p.T("election.source_urls.hint"), Type: "textarea",
			Value: strings.Join(st.SourceURLs, "\n"), MaxLength: 5500},
		{Name: "note", Label: p.T("election.note"), Hint: p.T("election.note.hint"), Type: "textarea", Value: st.Note, MaxLength: 2000},
		{Name: "unconfirmed", Label: p.T("election.unconfirmed.check"), Hint: p.T("election.unconfirmed.hint"), Type: "checkbox",
			Value: checkValue(st.Unconfirmed)},
	}
}

// electionData builds the page of election e, with the stage form for st
// (nil: an empty form for a new stage) when the actor may manage it.
func (s *Server) electionData(r *http.Request, e *netra.Election, st *netra.ElectionStage) (*electionPage, error) {
	ctx := r.Context()
	p := s.newPage(r, "")
	p.Title = e.Label(p.Lang)
	var parent *netra.Election
	if e.ParentID != 0 {
		var err error
		if parent, err = s.store.Election(ctx, e.ParentID); err != nil {
			return nil, err
		}
	}
	today := s.today()
	d := &electionPage{page: p, E: s.electionView(e, parent, today), TodayText: p.Birth(today), CanManage: store.MayManageElections(ctx),
		Crumbs: []crumb{{Href: "/pemilu", Label: p.T("election.list.title")}}}
	if d.CanManage {
		if st == nil {
			st = &netra.ElectionStage{}
		} else if st.ID != 0 {
			d.Editing = st
		}
		d.Fields = s.stageFields(p, st)
	}
	return d, nil
}

// electionPage shows one election with its stages; ?ubah=STAGE fills the
// stage form with one (for the national admin).
func (s *Server) electionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	q := newQuery(r)
	edit := q.idParam("ubah")
	if err := q.err(); err != nil {
		return err
	}
	var st *netra.ElectionStage
	if edit != 0 && store.MayManageElections(ctx) {
		if st = findStage(e, edit); st == nil {
			return errNotFound
		}
	}
	d, err := s.electionData(r, e, st)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "election", d)
}

func findStage(e *netra.Election, id int64) *netra.ElectionStage {
	for i := range e.Stages {
		if e.Stages[i].ID == id {
			st := e.Stages[i]
			return &st
		}
	}
	return nil
}

// splitLinks reads links typed one per line (or separated by spaces).
func splitLinks(v string) []string { return strings.Fields(v) }

// stageFromForm reads a stage from the form.
func stageFromForm(f *form, electionID int64) *netra.ElectionStage {
	return &netra.ElectionStage{ID: f.id("stage"), ElectionID: electionID, Kind: netra.StageKind(f.trim("kind")), Name: f.get("name"),
		NameEN: f.get("name_en"), Starts: f.date("starts"), Ends: f.date("ends"), Source: f.get("source"),
		SourceURLs: splitLinks(f.get("source_urls")), Note: f.get("note"), Unconfirmed: f.checked("unconfirmed")}
}

// stageSave adds a stage to an election, or changes the one named by the
// form's stage field.
func (s *Server) stageSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	st := stageFromForm(f, e.ID)
	if st.ID != 0 && findStage(e, st.ID) == nil {
		return errNotFound
	}
	err = f.err()
	if err == nil {
		if st.ID != 0 {
			err = s.store.UpdateElectionStage(ctx, st)
		} else {
			err = s.store.CreateElectionStage(ctx, st)
		}
	} else {
		err = joinInvalid(err, st.Validate())
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "election", func() (formPage, []field, error) {
			d, err := s.electionData(r, e, st)
			if err != nil {
				return nil, nil, err
			}
			if !d.CanManage {
				return nil, nil, netra.ErrForbidden
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/pemilu/"+strconv.FormatInt(e.ID, 10)+"#tahapan-"+strconv.FormatInt(st.ID, 10), "saved")
}

// stageDelete removes the stage named by the form's stage field.
func (s *Server) stageDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	st := findStage(e, f.id("stage"))
	if st == nil {
		return errNotFound
	}
	if err := s.store.DeleteElectionStage(ctx, st.ID); err != nil {
		return err
	}
	return s.redirect(w, r, "/pemilu/"+strconv.FormatInt(e.ID, 10), "stage_deleted")
}

type electionFormPage struct {
	*page
	Crumbs  []crumb
	Editing *netra.Election // nil for a new election
	Fields  []field
}

func electionKindOptions(p *page, current string) []option {
	pairs := []string{"", p.T("election.kind.choose")}
	for _, k := range netra.ElectionKinds {
		pairs = append(pairs, string(k), k.Label(p.Lang))
	}
	return options(current, pairs...)
}

// electionFields builds the election form; parents lists the elections a
// re-vote may re-run.
func (s *Server) electionFields(p *page, e *netra.Election, parents []netra.Election) []field {
	cur := ""
	if e.ParentID != 0 {
		cur = strconv.FormatInt(e.ParentID, 10)
	}
	pairs := []string{"", p.T("election.parent.none")}
	for _, x := range parents {
		if x.Kind != netra.ElectionRevote && x.ID != e.ID {
			pairs = append(pairs, strconv.FormatInt(x.ID, 10), x.Label(p.Lang))
		}
	}
	return []field{
		{Name: "code", Label: p.T("election.code"), Hint: p.T("election.code.hint"), Type: "text", Value: e.Code, Required: true, MaxLength: 100,
			Autocomplete: "off"},
		{Name: "kind", Label: p.T("election.kind"), Type: "select", Required: true, Options: electionKindOptions(p, string(e.Kind))},
		{Name: "name", Label: p.T("election.name"), Type: "text", Value: e.Name, Required: true, MaxLength: 200},
		{Name: "name_en", Label: p.T("election.name_en"), Type: "text", Value: e.NameEN, MaxLength: 200},
		{Name: "voting_day", Label: p.T("election.voting_day"), Type: "date", Value: dateValue(e.VotingDay), Required: true},
		{Name: "region_code", Label: p.T("election.region_code"), Hint: p.T("election.region_code.hint"), Type: "text", Value: e.RegionCode,
			InputMode: "decimal", MaxLength: 13, Autocomplete: "off"},
		{Name: "parent_id", Label: p.T("election.parent"), Hint: p.T("election.parent.hint"), Type: "select", Options: options(cur, pairs...)},
		{Name: "source", Label: p.T("election.source"), Hint: p.T("election.source.hint"), Type: "text", Value: e.Source, Required: true, MaxLength: 1000},
		{Name: "source_urls", Label: p.T("election.source_urls"), Hint: p.T("election.source_urls.hint"), Type: "textarea",
			Value: strings.Join(e.SourceURLs, "\n"), MaxLength: 5500},
		{Name: "note", Label: p.T("election.note"), Hint: p.T("election.note.hint"), Type: "textarea", Value: e.Note, MaxLength: 2000},
		{Name: "unconfirmed", Label: p.T("election.unconfirmed.check"), Hint: p.T("election.unconfirmed.hint"), Type: "checkbox",
			Value: checkValue(e.Unconfirmed)},
	}
}

// electionFormData builds the election form for e (ID 0: a new one).
func (s *Server) electionFormData(r *http.Request, e *netra.Election) (*electionFormPage, error) {
	ctx := r.Context()
	if !store.MayManageElections(ctx) {
		return nil, netra.ErrForbidden
	}
	all, err := s.store.Elections(ctx)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "election.new.title")
	d := &electionFormPage{page: p, Crumbs: []crumb{{Href: "/pemilu", Label: p.T("election.list.title")}}}
	if e.ID != 0 {
		p.Title = p.T("election.edit.title", e.Label(p.Lang))
		d.Editing = e
		d.Crumbs = append(d.Crumbs, crumb{Href: "/pemilu/" + strconv.FormatInt(e.ID, 10), Label: e.Label(p.Lang)})
	}
	d.Fields = s.electionFields(p, e, all)
	return d, nil
}

// electionNewForm shows the form for a new election.
func (s *Server) electionNewForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.electionFormData(r, &netra.Election{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "election_form", d)
}

// electionEditForm shows the form for an election's own fields.
func (s *Server) electionEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.Election(r.Context(), id)
	if err != nil {
		return err
	}
	d, err := s.electionFormData(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "election_form", d)
}

// electionFromForm reads an election's own fields from the form.
func electionFromForm(f *form) *netra.Election {
	return &netra.Election{Code: f.get("code"), Kind: netra.ElectionKind(f.trim("kind")), Name: f.get("name"), NameEN: f.get("name_en"),
		VotingDay: f.date("voting_day"), RegionCode: f.get("region_code"), ParentID: f.id("parent_id"), Source: f.get("source"),
		SourceURLs: splitLinks(f.get("source_urls")), Note: f.get("note"), Unconfirmed: f.checked("unconfirmed")}
}

// electionCreate adds an election (its stages follow on its page).
func (s *Server) electionCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	e := electionFromForm(f)
	if err = f.err(); err == nil {
		err = s.store.CreateElection(r.Context(), e)
	} else {
		err = joinInvalid(err, e.Validate())
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "election_form", func() (formPage, []field, error) {
			e.ID = 0
			d, err := s.electionFormData(r, e)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/pemilu/"+strconv.FormatInt(e.ID, 10), "saved")
}

// electionUpdate changes an election's own fields.
func (s *Server) electionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	old, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	e := electionFromForm(f)
	e.ID = old.ID
	if err = f.err(); err == nil {
		err = s.store.UpdateElection(ctx, e)
	} else {
		err = joinInvalid(err, e.Validate())
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "election_form", func() (formPage, []field, error) {
			d, err := s.electionFormData(r, e)
			if err != nil {
				return nil, nil, err
			}
			d.Editing = old
			return d, d.Fields, nil
		})
	}
	return s.redirect(w, r, "/pemilu/"+strconv.FormatInt(e.ID, 10), "saved")
}

// electionDelete removes an election and its stages.
func (s *Server) electionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	if err := s.store.DeleteElection(r.Context(), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/pemilu", "election_deleted")
}
