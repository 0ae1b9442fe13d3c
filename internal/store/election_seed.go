package store

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
)

// The election calendar shipped with Netra: elections.json, embedded in the
// binary, is loaded into every installation by seedElections, which
// Migrate runs at every start. It is real data every installation needs
// (the demo loader has nothing to do with it), kept apart from the
// migrations so that a release can correct a date without a schema change.
//
// Each shipped election has a code and a revision. An installation takes
// each code once (election_seeds records it): the first time it inserts the
// election unless one with that code was entered by hand; later, a higher
// revision replaces the election and its stages only while nobody has
// changed it since it was loaded (elections.seed_revision still equals the
// revision taken), so an admin's corrections and deletions stand. The
// seeding writes no audit entries: like a migration's rows, the data comes
// with the program, and the rows carry the revision they hold.

//go:embed elections.json
var electionsFile []byte

type seedFile struct {
	About     string         `json:"about"`
	Elections []seedElection `json:"elections"`
}

type seedElection struct {
	Code        string      `json:"code"`
	Revision    int         `json:"revision"`
	Kind        string      `json:"kind"`
	Parent      string      `json:"parent"` // the code of the election a re-vote re-runs, listed before it
	RegionCode  string      `json:"region_code"`
	Name        string      `json:"name"`
	NameEN      string      `json:"name_en"`
	VotingDay   string      `json:"voting_day"`
	Source      string      `json:"source"`
	SourceURLs  []string    `json:"source_urls"`
	Note        string      `json:"note"`
	Unconfirmed bool        `json:"unconfirmed"`
	Stages      []seedStage `json:"stages"`
}

type seedStage struct {
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	NameEN      string   `json:"name_en"`
	Starts      string   `json:"starts"`
	Ends        string   `json:"ends"`
	Source      string   `json:"source"` // empty: the election's source and links
	SourceURLs  []string `json:"source_urls"`
	Note        string   `json:"note"`
	Unconfirmed bool     `json:"unconfirmed"`
}

// shippedElections reads a calendar file in the shape of elections.json
// into elections (ids and parent ids unset; SeedRevision holds each one's
// revision, and parent codes come back in the map), validated like any
// other. For the embedded file it fails only on a defect of the build.
func shippedElections(data []byte) ([]netra.Election, map[string]string, error) {
	var f seedFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("store: elections.json: %w", err)
	}
	seen := map[string]bool{}
	parents := map[string]string{}
	var out []netra.Election
	for _, se := range f.Elections {
		e, err := se.election()
		if err != nil {
			return nil, nil, fmt.Errorf("store: elections.json: %s: %w", se.Code, err)
		}
		switch {
		case seen[e.Code]:
			return nil, nil, fmt.Errorf("store: elections.json: %s is listed twice", e.Code)
		case se.Revision < 1:
			return nil, nil, fmt.Errorf("store: elections.json: %s: revision must be 1 or more", e.Code)
		case se.Parent != "" && !seen[se.Parent]:
			return nil, nil, fmt.Errorf("store: elections.json: %s: its parent %s must be listed before it", e.Code, se.Parent)
		case (se.Parent != "") != (e.Kind == netra.ElectionRevote):
			return nil, nil, fmt.Errorf("store: elections.json: %s: a re-vote, and only a re-vote, names a parent", e.Code)
		}
		if e.RegionCode != "" {
			if _, ok := wilayahArea(e.RegionCode); !ok {
				return nil, nil, fmt.Errorf("store: elections.json: %s: unknown region %s", e.Code, e.RegionCode)
			}
		}
		seen[e.Code] = true
		if se.Parent != "" {
			parents[e.Code] = se.Parent
		}
		out = append(out, *e)
	}
	return out, parents, nil
}

// election turns a file entry into a validated election.
func (se *seedElection) election() (*netra.Election, error) {
	day := func(s string) (time.Time, error) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return t, fmt.Errorf("date %q: want YYYY-MM-DD", s)
		}
		return t, nil
	}
	e := &netra.Election{Code: se.Code, Kind: netra.ElectionKind(se.Kind), Name: se.Name, NameEN: se.NameEN,
		RegionCode: se.RegionCode, Source: se.Source, SourceURLs: append([]string(nil), se.SourceURLs...), Note: se.Note,
		Unconfirmed: se.Unconfirmed, SeedRevision: se.Revision, CreatedBy: "calendar"}
	var err error
	if e.VotingDay, err = day(se.VotingDay); err != nil {
		return nil, err
	}
	for _, ss := range se.Stages {
		st := netra.ElectionStage{Kind: netra.StageKind(ss.Kind), Name: ss.Name, NameEN: ss.NameEN, Source: ss.Source,
			SourceURLs: append([]string(nil), ss.SourceURLs...), Note: ss.Note, Unconfirmed: ss.Unconfirmed}
		if st.Source == "" {
			st.Source, st.SourceURLs = se.Source, append([]string(nil), se.SourceURLs...)
		}
		if st.Starts, err = day(ss.Starts); err != nil {
			return nil, err
		}
		if st.Ends, err = day(ss.Ends); err != nil {
			return nil, err
		}
		e.Stages = append(e.Stages, st)
	}
	if se.Parent != "" {
		e.ParentID = 1 // Validate wants a parent; the seeding resolves the code to the real id
	}
	err = e.Validate()
	e.ParentID = 0
	if err != nil {
		return nil, err
	}
	return e, nil
}

// seedElections loads the shipped calendar (see the top of this file). It
// reads first and opens a write transaction only when the file holds an
// election or a revision the installation has not taken, so that a start
// with nothing to do writes nothing.
func (s *Store) seedElections(ctx context.Context) error {
	return s.seedElectionsFrom(ctx, electionsFile)
}

// seedElectionsFrom loads the calendar in data (tests load other revisions).
func (s *Store) seedElectionsFrom(ctx context.Context, data []byte) error {
	shipped, parents, err := shippedElections(data)
	if err != nil {
		return err
	}
	taken := map[string]int{}
	rows, err := s.r.QueryContext(ctx, `SELECT code, revision FROM election_seeds`)
	if err != nil {
		return fmt.Errorf("store: election seeds: %w", err)
	}
	for rows.Next() {
		var code string
		var rev int
		if err := rows.Scan(&code, &rev); err != nil {
			rows.Close()
			return fmt.Errorf("store: election seeds: %w", err)
		}
		taken[code] = rev
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: election seeds: %w", err)
	}
	var todo []netra.Election
	for _, e := range shipped {
		if taken[e.Code] < e.SeedRevision {
			todo = append(todo, e)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	ctx = netra.WithActor(ctx, netra.System("calendar"))
	return s.write(ctx, func(x *tx) error {
		for i := range todo {
			if err := x.seedElection(ctx, &todo[i], parents[todo[i].Code]); err != nil {
				return fmt.Errorf("store: load the shipped election %s: %w", todo[i].Code, err)
			}
		}
		return nil
	})
}

// seedElection takes one shipped election (revision e.SeedRevision) in a
// seeding transaction. Claiming the code in election_seeds first makes two
// nodes starting at once on one PostgreSQL take it once.
func (x *tx) seedElection(ctx context.Context, e *netra.Election, parent string) error {
	lock := ""
	if x.s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var stored int
	err := x.QueryRowContext(ctx, `SELECT revision FROM election_seeds WHERE code = $1`+lock, e.Code).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := x.ExecContext(ctx, `INSERT INTO election_seeds (code, revision, applied_at) VALUES ($1, $2, $3)
			ON CONFLICT (code) DO NOTHING`, e.Code, e.SeedRevision, x.now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // another node took it
		}
	case err != nil:
		return err
	case stored >= e.SeedRevision:
		return nil
	default:
		if _, err := x.ExecContext(ctx, `UPDATE election_seeds SET revision = $1, applied_at = $2 WHERE code = $3`,
			e.SeedRevision, x.now, e.Code); err != nil {
			return err
		}
	}
	var id int64
	var heldRevision int
	err = x.QueryRowContext(ctx, `SELECT id, seed_revision FROM elections WHERE code = $1`, e.Code).Scan(&id, &heldRevision)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch {
	case !exists && stored > 0:
		return nil // taken before and deleted by an admin since: it stays deleted
	case exists && (stored == 0 || heldRevision != stored):
		return nil // entered by hand, or changed since it was loaded: the admin's version stands
	}
	if parent != "" {
		if err := x.QueryRowContext(ctx, `SELECT id FROM elections WHERE code = $1`, parent).Scan(&e.ParentID); errors.Is(err, sql.ErrNoRows) {
			return nil // its parent was deleted: a re-vote of nothing
		} else if err != nil {
			return err
		}
	}
	e.CreatedBy = x.actor.Label
	if !exists {
		return x.insertElection(ctx, e)
	}
	// A newer revision of an election nobody changed: replace it.
	e.ID = id
	if err := x.updateElectionRow(ctx, e); err != nil {
		return err
	}
	if _, err := x.ExecContext(ctx, `DELETE FROM election_stages WHERE election_id = $1`, id); err != nil {
		return err
	}
	for i := range e.Stages {
		e.Stages[i].ElectionID = id
		if err := x.insertStage(ctx, &e.Stages[i]); err != nil {
			return err
		}
	}
	return nil
}
