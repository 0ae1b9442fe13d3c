package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// The election calendar's JSON API: the calendar and the stages in force on
// a day in an area are public; the writes are the national admin's (the
// store refuses anyone else with 403).

type apiStage struct {
	ID          int64    `json:"id"`
	ElectionID  int64    `json:"election_id"`
	Kind        string   `json:"kind"`
	Label       string   `json:"label"` // the stage's name in the caller's language
	Name        string   `json:"name"`
	NameEN      string   `json:"name_en"`
	Starts      string   `json:"starts"`
	Ends        string   `json:"ends"`
	Source      string   `json:"source"`
	SourceURLs  []string `json:"source_urls"`
	Note        string   `json:"note"`
	Unconfirmed bool     `json:"unconfirmed"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

type apiElection struct {
	ID           int64      `json:"id"`
	Code         string     `json:"code"`
	Kind         string     `json:"kind"`
	Name         string     `json:"name"`
	NameEN       string     `json:"name_en"`
	VotingDay    string     `json:"voting_day"`
	RegionCode   *string    `json:"region_code"`
	RegionName   *string    `json:"region_name"`
	ParentID     *int64     `json:"parent_id"`
	Source       string     `json:"source"`
	SourceURLs   []string   `json:"source_urls"`
	Note         string     `json:"note"`
	Unconfirmed  bool       `json:"unconfirmed"`
	SeedRevision int        `json:"seed_revision"`
	Stages       []apiStage `json:"stages"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    string     `json:"created_at"`
	UpdatedAt    string     `json:"updated_at"`
}

func optText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func stageJSON(st *netra.ElectionStage, lang string) apiStage {
	return apiStage{ID: st.ID, ElectionID: st.ElectionID, Kind: string(st.Kind), Label: st.Label(lang), Name: st.Name, NameEN: st.NameEN,
		Starts: st.Starts.Format(dateLayout), Ends: st.Ends.Format(dateLayout), Source: st.Source, SourceURLs: orEmpty(st.SourceURLs),
		Note: st.Note, Unconfirmed: st.Unconfirmed, CreatedAt: ts(st.CreatedAt), UpdatedAt: ts(st.UpdatedAt)}
}

func electionJSON(e *netra.Election, lang string) apiElection {
	out := apiElection{ID: e.ID, Code: e.Code, Kind: string(e.Kind), Name: e.Name, NameEN: e.NameEN, VotingDay: e.VotingDay.Format(dateLayout),
		RegionCode: optText(e.RegionCode), RegionName: optText(e.RegionName), ParentID: optID(e.ParentID), Source: e.Source,
		SourceURLs: orEmpty(e.SourceURLs), Note: e.Note, Unconfirmed: e.Unconfirmed, SeedRevision: e.SeedRevision, Stages: []apiStage{},
		CreatedBy: e.CreatedBy, CreatedAt: ts(e.CreatedAt), UpdatedAt: ts(e.UpdatedAt)}
	for i := range e.Stages {
		out.Stages = append(out.Stages, stageJSON(&e.Stages[i], lang))
	}
	return out
}

// apiElections lists the calendar, newest voting day first.
func (s *Server) apiElections(w http.ResponseWriter, r *http.Request) error {
	es, err := s.store.Elections(r.Context())
	if err != nil {
		return err
	}
	lang := info(r).lang
	out := list[apiElection]{Items: []apiElection{}}
	for i := range es {
		out.Items = append(out.Items, electionJSON(&es[i], lang))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiElection returns one election with its stages.
func (s *Server) apiElection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.Election(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, electionJSON(e, info(r).lang))
}

type apiElectionRef struct {
	ID         int64   `json:"id"`
	Code       string  `json:"code"`
	Kind       string  `json:"kind"`
	Name       string  `json:"name"`
	Label      string  `json:"label"`
	VotingDay  string  `json:"voting_day"`
	RegionCode *string `json:"region_code"`
	RegionName *string `json:"region_name"`
	ParentID   *int64  `json:"parent_id"`
}

type apiElectionOn struct {
	Election         apiElectionRef `json:"election"`
	Stages           []apiStage     `json:"stages"`
	Candidacy        string         `json:"candidacy"`
	DeterminationDay *string        `json:"determination_day"`
}

type apiElectionStageAnswer struct {
	Date   string          `json:"date"`
	Region *string         `json:"region"`
	Items  []apiElectionOn `json:"items"`
}

// apiElectionStage answers which stages are in force on ?date= (default
// today) in ?region= (a Kemendagri code; absent: the nation as a whole).
func (s *Server) apiElectionStage(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	day := dayParam(q, "date", s.today())
	region := q.text("region", 64)
	if err := q.err(); err != nil {
		return err
	}
	on, err := s.store.ElectionStageOn(r.Context(), day, region)
	if err != nil {
		return err
	}
	lang := info(r).lang
	out := apiElectionStageAnswer{Date: day.Format(dateLayout), Region: optText(region), Items: []apiElectionOn{}}
	for i := range on {
		o := &on[i]
		e := &o.Election
		item := apiElectionOn{Election: apiElectionRef{ID: e.ID, Code: e.Code, Kind: string(e.Kind), Name: e.Name, Label: e.Label(lang),
			VotingDay: e.VotingDay.Format(dateLayout), RegionCode: optText(e.RegionCode), RegionName: optText(e.RegionName), ParentID: optID(e.ParentID)},
			Stages: []apiStage{}, Candidacy: string(o.Candidacy), DeterminationDay: optDay(o.DeterminationDay)}
		for j := range o.Stages {
			item.Stages = append(item.Stages, stageJSON(&o.Stages[j], lang))
		}
		out.Items = append(out.Items, item)
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiElectionFields are an election's own fields in a request body; absent
// fields stay as they are (null parent_id clears it).
type apiElectionFields struct {
	Code        *string   `json:"code"`
	Kind        *string   `json:"kind"`
	Name        *string   `json:"name"`
	NameEN      *string   `json:"name_en"`
	VotingDay   *string   `json:"voting_day"`
	RegionCode  *string   `json:"region_code"`
	ParentID    *int64    `json:"parent_id"`
	Source      *string   `json:"source"`
	SourceURLs  *[]string `json:"source_urls"`
	Note        *string   `json:"note"`
	Unconfirmed *bool     `json:"unconfirmed"`
}

// apiElectionCreateInput is a new election, with its stages if any.
type apiElectionCreateInput struct {
	apiElectionFields
	Stages []apiStageInput `json:"stages"`
}

type apiStageInput struct {
	Kind        *string   `json:"kind"`
	Name        *string   `json:"name"`
	NameEN      *string   `json:"name_en"`
	Starts      *string   `json:"starts"`
	Ends        *string   `json:"ends"`
	Source      *string   `json:"source"`
	SourceURLs  *[]string `json:"source_urls"`
	Note        *string   `json:"note"`
	Unconfirmed *bool     `json:"unconfirmed"`
}

func setStr(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// apply sets the fields the input names on e; field names its problems
// (prefixed for the stages of a new election).
func (in *apiElectionFields) apply(e *netra.Election, sent map[string]bool) error {
	var v netra.ValidationError
	setStr(&e.Code, in.Code)
	if in.Kind != nil {
		e.Kind = netra.ElectionKind(strings.TrimSpace(*in.Kind))
	}
	setStr(&e.Name, in.Name)
	setStr(&e.NameEN, in.NameEN)
	if sent["voting_day"] {
		e.VotingDay = jsonDay(&v, "voting_day", in.VotingDay)
	}
	setStr(&e.RegionCode, in.RegionCode)
	if sent["parent_id"] {
		e.ParentID = 0
		if in.ParentID != nil {
			e.ParentID = *in.ParentID
		}
	}
	setStr(&e.Source, in.Source)
	if in.SourceURLs != nil {
		e.SourceURLs = *in.SourceURLs
	}
	setStr(&e.Note, in.Note)
	if in.Unconfirmed != nil {
		e.Unconfirmed = *in.Unconfirmed
	}
	return v.Err()
}

func (in *apiStageInput) apply(st *netra.ElectionStage, prefix string) error {
	var v netra.ValidationError
	if in.Kind != nil {
		st.Kind = netra.StageKind(strings.TrimSpace(*in.Kind))
	}
	setStr(&st.Name, in.Name)
	setStr(&st.NameEN, in.NameEN)
	if in.Starts != nil {
		st.Starts = jsonDay(&v, prefix+"starts", in.Starts)
	}
	if in.Ends != nil {
		st.Ends = jsonDay(&v, prefix+"ends", in.Ends)
	}
	setStr(&st.Source, in.Source)
	if in.SourceURLs != nil {
		st.SourceURLs = *in.SourceURLs
	}
	setStr(&st.Note, in.Note)
	if in.Unconfirmed != nil {
		st.Unconfirmed = *in.Unconfirmed
	}
	return v.Err()
}

// decodeSent decodes a JSON body into v and reports which top-level fields it sent.
func decodeSent(w http.ResponseWriter, r *http.Request, v any) (map[string]bool, error) {
	body, err := readJSONBody(w, r)
	if err != nil {
		return nil, err
	}
	if err := decodeJSONBytes(body, v); err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := decodeJSONBytes(body, &raw); err != nil {
		return nil, err
	}
	sent := map[string]bool{}
	for k := range raw {
		sent[k] = true
	}
	return sent, nil
}

// apiElectionCreate adds an election, with the stages the body carries.
func (s *Server) apiElectionCreate(w http.ResponseWriter, r *http.Request) error {
	if !store.MayManageElections(r.Context()) {
		return netra.ErrForbidden // before the body: the answer does not depend on it
	}
	var in apiElectionCreateInput
	sent, err := decodeSent(w, r, &in)
	if err != nil {
		return err
	}
	e := &netra.Election{}
	errs := []error{in.apply(e, sent)}
	for i := range in.Stages {
		var st netra.ElectionStage
		errs = append(errs, in.Stages[i].apply(&st, "stages."+strconv.Itoa(i)+"."))
		e.Stages = append(e.Stages, st)
	}
	if err := joinInvalid(append(errs, e.Validate())...); err != nil {
		return err
	}
	if err := s.store.CreateElection(r.Context(), e); err != nil {
		return err
	}
	return created(w, "/api/v1/elections/"+strconv.FormatInt(e.ID, 10), electionJSON(e, info(r).lang))
}

// apiElectionUpdate changes the election's own fields the body names;
// stages have their own calls.
func (s *Server) apiElectionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in apiElectionFields
	sent, err := decodeSent(w, r, &in)
	if err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	if err := in.apply(e, sent); err != nil {
		return err
	}
	if err := s.store.UpdateElection(ctx, e); err != nil {
		return err
	}
	if e, err = s.store.Election(ctx, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, electionJSON(e, info(r).lang))
}

// apiElectionDelete removes an election and its stages.
func (s *Server) apiElectionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteElection(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiStageCreate adds a stage to an election.
func (s *Server) apiStageCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if !store.MayManageElections(r.Context()) {
		return netra.ErrForbidden
	}
	var in apiStageInput
	if _, err := decodeSent(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	e, err := s.store.Election(ctx, id)
	if err != nil {
		return err
	}
	st := &netra.ElectionStage{ElectionID: e.ID}
	if err := joinInvalid(in.apply(st, ""), st.Validate()); err != nil {
		return err
	}
	if err := s.store.CreateElectionStage(ctx, st); err != nil {
		return err
	}
	return created(w, "/api/v1/elections/"+strconv.FormatInt(e.ID, 10), stageJSON(st, info(r).lang))
}

// stageOfPath finds the stage named by the path in the election named by it.
func (s *Server) stageOfPath(r *http.Request) (*netra.ElectionStage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	sid, err := pathID(r, "stage")
	if err != nil {
		return nil, err
	}
	st, err := s.store.ElectionStage(r.Context(), sid)
	if err != nil {
		return nil, err
	}
	if st.ElectionID != id {
		return nil, errNotFound
	}
	return st, nil
}

// apiStageUpdate changes the stage fields the body names.
func (s *Server) apiStageUpdate(w http.ResponseWriter, r *http.Request) error {
	var in apiStageInput
	if _, err := decodeSent(w, r, &in); err != nil {
		return err
	}
	st, err := s.stageOfPath(r)
	if err != nil {
		return err
	}
	if err := in.apply(st, ""); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.store.UpdateElectionStage(ctx, st); err != nil {
		return err
	}
	if st, err = s.store.ElectionStage(ctx, st.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, stageJSON(st, info(r).lang))
}

// apiStageDelete removes a stage.
func (s *Server) apiStageDelete(w http.ResponseWriter, r *http.Request) error {
	st, err := s.stageOfPath(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteElectionStage(r.Context(), st.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
