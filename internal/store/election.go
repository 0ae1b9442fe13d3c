package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/wilayah"
)

// The election calendar (netra.Election, docs/elections.md). It is public:
// reading it needs no actor and is not audited. Writing it needs
// election.manage from a grant on the national tenant itself, or a super
// admin; every write is audited under the national tenant. The calendar
// shipped with Netra is loaded at every start by seedElections
// (election_seed.go).

const electionCols = `e.id, e.code, e.kind, e.name, e.name_en, e.voting_day, e.region_code, COALESCE(e.parent_id, 0), e.source,
	e.source_urls, e.note, e.unconfirmed, e.seed_revision, e.created_by, e.created_at, e.updated_at`

const stageCols = `st.id, st.election_id, st.kind, st.name, st.name_en, st.starts, st.ends, st.source, st.source_urls, st.note,
	st.unconfirmed, st.created_at, st.updated_at`

func scanElection(row interface{ Scan(...any) error }, e *netra.Election) error {
	var day, urls string
	var created, updated int64
	if err := row.Scan(&e.ID, &e.Code, &e.Kind, &e.Name, &e.NameEN, &day, &e.RegionCode, &e.ParentID, &e.Source, &urls,
		&e.Note, &e.Unconfirmed, &e.SeedRevision, &e.CreatedBy, &created, &updated); err != nil {
		return err
	}
	e.VotingDay, _ = time.Parse(time.DateOnly, day)
	e.SourceURLs = splitURLs(urls)
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	e.RegionName = RegionName(e.RegionCode)
	return nil
}

func scanStage(row interface{ Scan(...any) error }, st *netra.ElectionStage) error {
	var starts, ends, urls string
	var created, updated int64
	if err := row.Scan(&st.ID, &st.ElectionID, &st.Kind, &st.Name, &st.NameEN, &starts, &ends, &st.Source, &urls, &st.Note,
		&st.Unconfirmed, &created, &updated); err != nil {
		return err
	}
	st.Starts, _ = time.Parse(time.DateOnly, starts)
	st.Ends, _ = time.Parse(time.DateOnly, ends)
	st.SourceURLs = splitURLs(urls)
	st.CreatedAt, st.UpdatedAt = fromMS(created), fromMS(updated)
	return nil
}

// Source links are stored one per line.
func joinURLs(urls []string) string { return strings.Join(urls, "\n") }

func splitURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, "\n") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// wilayahArea finds an area of the embedded Kemendagri data by its code.
func wilayahArea(code string) (wilayah.Area, bool) {
	wilayahOnce.Do(func() { wilayahData, _ = wilayah.Load() })
	if wilayahData == nil {
		return wilayah.Area{}, false
	}
	return wilayahData.Lookup(code)
}

// RegionName returns how the pages name the area with Kemendagri code
// (any level): "Provinsi Kalimantan Utara", "Kota Tarakan", "Kecamatan
// Tarakan Tengah, Kota Tarakan", "Kelurahan … , Kecamatan …"; "" for "" or
// an unknown code.
func RegionName(code string) string {
	a, ok := wilayahArea(code)
	if !ok {
		return ""
	}
	switch netra.RegionLevel(code) {
	case "province":
		return "Provinsi " + a.Name
	case "district":
		if p, ok := wilayahArea(a.ParentCode); ok {
			return "Kecamatan " + a.Name + ", " + p.Name
		}
		return "Kecamatan " + a.Name
	case "village":
		if p, ok := wilayahArea(a.ParentCode); ok {
			return a.Name + ", Kecamatan " + p.Name
		}
	}
	return a.Name
}

// loadElections returns the elections matching where (over e), each with
// its stages in order, newest voting day first.
func (s *Store) loadElections(ctx context.Context, q queryer, where string, v ...any) ([]netra.Election, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+electionCols+` FROM elections e WHERE `+where+`
		ORDER BY e.voting_day DESC, e.id LIMIT 5000`, v...)
	if err != nil {
		return nil, fmt.Errorf("store: elections: %w", err)
	}
	var out []netra.Election
	byID := map[int64]int{}
	for rows.Next() {
		var e netra.Election
		if err := scanElection(rows, &e); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: elections: %w", err)
		}
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: elections: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT `+stageCols+` FROM election_stages st
		WHERE st.election_id IN (SELECT e.id FROM elections e WHERE `+where+`) ORDER BY st.election_id, st.starts, st.ends, st.id`, v...)
	if err != nil {
		return nil, fmt.Errorf("store: election stages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st netra.ElectionStage
		if err := scanStage(rows, &st); err != nil {
			return nil, fmt.Errorf("store: election stages: %w", err)
		}
		if i, ok := byID[st.ElectionID]; ok {
			out[i].Stages = append(out[i].Stages, st)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: election stages: %w", err)
	}
	for i := range out {
		out[i].SortStages()
	}
	return out, nil
}

// Elections lists the whole calendar, newest voting day first, each
// election with its stages. Anyone may read it.
func (s *Store) Elections(ctx context.Context) ([]netra.Election, error) {
	return s.loadElections(ctx, s.r, "TRUE")
}

// Election returns one election with its stages (ErrNotFound if there is none).
func (s *Store) Election(ctx context.Context, id int64) (*netra.Election, error) {
	return s.oneElection(ctx, s.r, "e.id = $1", id)
}

// ElectionByCode returns the election with code ("pemilu-2024") and its stages.
func (s *Store) ElectionByCode(ctx context.Context, code string) (*netra.Election, error) {
	return s.oneElection(ctx, s.r, "e.code = $1", strings.ToLower(strings.TrimSpace(code)))
}

func (s *Store) oneElection(ctx context.Context, q queryer, where string, v any) (*netra.Election, error) {
	es, err := s.loadElections(ctx, q, where, v)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("election: %w", netra.ErrNotFound)
	}
	return &es[0], nil
}

// ElectionStageOn answers which stages are in force on day (its calendar
// date is taken as it is: pass netra.Day(t) for a moment) in the area with
// Kemendagri code regionCode (a province, regency/city, kecamatan or
// village; "" for the nation as a whole): for every election that concerns
// the area and whose stages span the day, the stages in force and whether
// the day is before the determination of candidates (netra.CalendarOn). The
// result is empty on a day no election spans. An unknown region code is a
// validation error on the field "region". Anyone may ask.
func (s *Store) ElectionStageOn(ctx context.Context, day time.Time, regionCode string) ([]netra.ElectionOn, error) {
	regionCode = strings.TrimSpace(regionCode)
	if regionCode != "" {
		if _, ok := wilayahArea(regionCode); !ok {
			return nil, netra.Invalid("region", unknownRegion(regionCode))
		}
	}
	if day.IsZero() {
		return nil, netra.Invalid("date", netra.Msg("Tanggal wajib diisi.", "The date is required."))
	}
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	// The elections whose stages span the day, and the parents of the
	// re-votes among them (for the determination of their candidates).
	span := `SELECT st.election_id FROM election_stages st GROUP BY st.election_id HAVING MIN(st.starts) <= $1 AND MAX(st.ends) >= $1`
	es, err := s.loadElections(ctx, s.r, `e.id IN (`+span+`) OR e.id IN (SELECT p.parent_id FROM elections p WHERE p.id IN (`+span+`))`,
		d.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	return netra.CalendarOn(es, d, regionCode), nil
}

func unknownRegion(code string) netra.Message {
	return netra.Msg("Kode wilayah "+code+" tidak dikenal (data wilayah Kemendagri).",
		"The region code "+code+" is unknown (Kemendagri area data).")
}

// mayManageElections reports whether the actor may change the calendar: a
// super admin, or a holder of election.manage by a grant on the whole of
// the national tenant. An admin of a province or city holds the permission
// by role but not for the calendar, which is the same for every government.
func mayManageElections(a *netra.Actor) bool {
	if a == nil {
		return false
	}
	if a.IsSuperAdmin() {
		return true
	}
	national := netra.TenantPath(netra.NationalCode)
	for _, g := range a.GrantsFor(netra.PermElectionManage) {
		if g.UnitID == 0 && (g.TenantPath == national || g.TenantCode == netra.NationalCode) {
			return true
		}
	}
	return false
}

// MayManageElections reports whether the actor in ctx may change the
// calendar, for pages that offer the forms.
func MayManageElections(ctx context.Context) bool { return mayManageElections(netra.ActorFrom(ctx)) }

// mayWriteElections refuses an actor who may not change the calendar
// before anything else is looked at.
func mayWriteElections(ctx context.Context) error {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return netra.ErrUnauthenticated
	}
	if !mayManageElections(a) {
		return fmt.Errorf("election.manage on the national government: %w", netra.ErrForbidden)
	}
	return nil
}

// electionWriter checks, in a write, that the actor may change the calendar,
// and returns the national tenant's id for the audit entries (0 when the
// installation has none yet).
func (x *tx) electionWriter(ctx context.Context) (int64, error) {
	if !mayManageElections(x.actor) {
		return 0, fmt.Errorf("election.manage on the national government: %w", netra.ErrForbidden)
	}
	var id int64
	err := x.QueryRowContext(ctx, `SELECT id FROM tenants WHERE code = $1`, netra.NationalCode).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: national tenant: %w", err)
	}
	return id, nil
}

// lockedElection loads an election and its stages for writing, locking its
// row on PostgreSQL so that concurrent stage writes check the voting day
// one after the other.
func (x *tx) lockedElection(ctx context.Context, id int64) (*netra.Election, error) {
	if x.s.dialect == Postgres {
		if _, err := x.ExecContext(ctx, `SELECT id FROM elections WHERE id = $1 FOR UPDATE`, id); err != nil {
			return nil, fmt.Errorf("store: lock election: %w", err)
		}
	}
	e, err := x.s.oneElection(ctx, x, "e.id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("election %d: %w", id, netra.ErrNotFound)
	}
	return e, nil
}

// checkElection makes the checks Validate cannot: the region exists, the
// parent of a re-vote is a Pemilu or Pilkada whose area holds the
// re-vote's, an election with re-votes stays one that can have them, and
// the code is free.
func (x *tx) checkElection(ctx context.Context, e *netra.Election) error {
	var v netra.ValidationError
	if e.RegionCode != "" {
		if _, ok := wilayahArea(e.RegionCode); !ok {
			v.Add("region_code", unknownRegion(e.RegionCode))
		}
	}
	if e.ParentID != 0 {
		p, err := x.s.oneElection(ctx, x, "e.id = $1", e.ParentID)
		switch {
		case errors.Is(err, netra.ErrNotFound) || e.ParentID == e.ID:
			v.Add("parent_id", netra.Msg("Pemilihan induk tidak ditemukan.", "The parent election does not exist."))
		case err != nil:
			return err
		case p.Kind == netra.ElectionRevote:
			v.Add("parent_id", netra.Msg("Pemilihan induk harus Pemilu atau Pilkada, bukan PSU lain.", "The parent must be a general or regional election, not another re-vote."))
		case e.RegionCode != "" && !p.Applies(e.RegionCode):
			v.Add("region_code", netra.Msg("Wilayah PSU ("+e.RegionCode+") berada di luar wilayah pemilihan induknya ("+p.RegionCode+").",
				"The re-vote's region ("+e.RegionCode+") is outside its parent election's ("+p.RegionCode+")."))
		}
	}
	if e.ID != 0 {
		children, err := x.s.loadElections(ctx, x, "e.parent_id = $1", e.ID)
		if err != nil {
			return err
		}
		for _, c := range children {
			switch {
			case e.Kind == netra.ElectionRevote:
				v.Add("kind", netra.Msg("Pemilihan ini induk dari PSU lain, jadi tidak dapat menjadi PSU.", "This election is the parent of re-votes, so it cannot become one."))
			case !e.Applies(c.RegionCode):
				v.Add("region_code", netra.Msg("PSU "+c.Name+" ("+c.RegionCode+") akan berada di luar wilayah ini.",
					"The re-vote "+c.Label("en")+" ("+c.RegionCode+") would fall outside this region."))
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	var other int64
	err := x.QueryRowContext(ctx, `SELECT id FROM elections WHERE code = $1 AND id <> $2`, e.Code, e.ID).Scan(&other)
	if err == nil {
		return duplicateElection(e.Code)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: election code: %w", err)
	}
	return nil
}

func duplicateElection(code string) error {
	return netra.Userf(netra.ErrConflict, "Kode pemilihan "+code+" sudah dipakai pemilihan lain.", "The election code "+code+" is already taken.")
}

// insertElection writes a validated election and its stages.
func (x *tx) insertElection(ctx context.Context, e *netra.Election) error {
	e.CreatedAt, e.UpdatedAt = fromMS(x.now), fromMS(x.now)
	err := x.QueryRowContext(ctx, `INSERT INTO elections (code, kind, name, name_en, voting_day, region_code, parent_id, source,
		source_urls, note, unconfirmed, seed_revision, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		e.Code, e.Kind, e.Name, e.NameEN, e.VotingDay.Format(time.DateOnly), e.RegionCode, nullID(e.ParentID), e.Source,
		joinURLs(e.SourceURLs), e.Note, e.Unconfirmed, e.SeedRevision, e.CreatedBy, x.now).Scan(&e.ID)
	if isUniqueViolation(err) {
		return duplicateElection(e.Code)
	} else if err != nil {
		return fmt.Errorf("store: insert election: %w", err)
	}
	for i := range e.Stages {
		e.Stages[i].ElectionID = e.ID
		if err := x.insertStage(ctx, &e.Stages[i]); err != nil {
			return err
		}
	}
	e.RegionName = RegionName(e.RegionCode)
	return nil
}

func (x *tx) insertStage(ctx context.Context, st *netra.ElectionStage) error {
	st.CreatedAt, st.UpdatedAt = fromMS(x.now), fromMS(x.now)
	err := x.QueryRowContext(ctx, `INSERT INTO election_stages (election_id, kind, name, name_en, starts, ends, source, source_urls,
		note, unconfirmed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		st.ElectionID, st.Kind, st.Name, st.NameEN, st.Starts.Format(time.DateOnly), st.Ends.Format(time.DateOnly), st.Source,
		joinURLs(st.SourceURLs), st.Note, st.Unconfirmed, x.now).Scan(&st.ID)
	if err != nil {
		return fmt.Errorf("store: insert election stage: %w", err)
	}
	return nil
}

// updateElectionRow writes the election's own fields (not its stages).
func (x *tx) updateElectionRow(ctx context.Context, e *netra.Election) error {
	_, err := x.ExecContext(ctx, `UPDATE elections SET code = $1, kind = $2, name = $3, name_en = $4, voting_day = $5,
		region_code = $6, parent_id = $7, source = $8, source_urls = $9, note = $10, unconfirmed = $11, seed_revision = $12,
		updated_at = $13 WHERE id = $14`, e.Code, e.Kind, e.Name, e.NameEN, e.VotingDay.Format(time.DateOnly), e.RegionCode,
		nullID(e.ParentID), e.Source, joinURLs(e.SourceURLs), e.Note, e.Unconfirmed, e.SeedRevision, x.now, e.ID)
	if isUniqueViolation(err) {
		return duplicateElection(e.Code)
	} else if err != nil {
		return fmt.Errorf("store: update election: %w", err)
	}
	e.UpdatedAt = fromMS(x.now)
	return nil
}

// touchElection marks an election changed by hand after one of its stages
// changed: it no longer follows the shipped calendar.
func (x *tx) touchElection(ctx context.Context, id int64) error {
	if _, err := x.ExecContext(ctx, `UPDATE elections SET seed_revision = 0, updated_at = $1 WHERE id = $2`, x.now, id); err != nil {
		return fmt.Errorf("store: update election: %w", err)
	}
	return nil
}

func electionSummary(e *netra.Election) map[string]any {
	m := map[string]any{"code": e.Code, "kind": e.Kind, "name": e.Name, "voting_day": dateString(e.VotingDay), "stages": len(e.Stages)}
	if e.RegionCode != "" {
		m["region_code"] = e.RegionCode
	}
	if e.ParentID != 0 {
		m["parent_id"] = e.ParentID
	}
	return m
}

func stageSummary(e *netra.Election, st *netra.ElectionStage) map[string]any {
	return map[string]any{"election": e.Code, "stage_id": st.ID, "kind": st.Kind, "name": st.Name, "starts": dateString(st.Starts),
		"ends": dateString(st.Ends), "source": st.Source}
}

// CreateElection adds an election to the calendar, with the stages it
// carries (which may be none yet). The actor must be a super admin or hold
// election.manage on the national tenant itself (ErrForbidden otherwise).
// A taken code is ErrConflict; an unknown region, a bad parent, a stage
// ending before it starts or a voting day outside the voting stages is a
// ValidationError. Nothing is written on any error.
func (s *Store) CreateElection(ctx context.Context, e *netra.Election) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		e.ID, e.SeedRevision, e.CreatedBy = 0, 0, x.actor.Label
		if err := x.checkElection(ctx, e); err != nil {
			return err
		}
		if err := x.insertElection(ctx, e); err != nil {
			return err
		}
		return x.audit(ctx, nat, "election.create", "election", e.ID, electionSummary(e))
	})
}

// UpdateElection replaces the election's own fields (code, kind, names,
// voting day, region, parent, source, note, unconfirmed); its stages stay as
// stored, whatever e.Stages holds, and are checked against the new voting
// day. The same rules as CreateElection apply. The election no longer
// follows the shipped calendar.
func (s *Store) UpdateElection(ctx context.Context, e *netra.Election) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		old, err := x.lockedElection(ctx, e.ID)
		if err != nil {
			return err
		}
		e.Stages = old.Stages
		if err := e.Validate(); err != nil {
			return err
		}
		if err := x.checkElection(ctx, e); err != nil {
			return err
		}
		e.SeedRevision, e.CreatedBy, e.CreatedAt = 0, old.CreatedBy, old.CreatedAt
		if err := x.updateElectionRow(ctx, e); err != nil {
			return err
		}
		e.RegionName = RegionName(e.RegionCode)
		ch := map[string]change{}
		diff(ch, "code", old.Code, e.Code)
		diff(ch, "kind", old.Kind, e.Kind)
		diff(ch, "name", old.Name, e.Name)
		diff(ch, "name_en", old.NameEN, e.NameEN)
		diff(ch, "voting_day", dateString(old.VotingDay), dateString(e.VotingDay))
		diff(ch, "region_code", old.RegionCode, e.RegionCode)
		diff(ch, "parent_id", old.ParentID, e.ParentID)
		diff(ch, "source", old.Source, e.Source)
		diff(ch, "source_urls", joinURLs(old.SourceURLs), joinURLs(e.SourceURLs))
		diff(ch, "note", old.Note, e.Note)
		diff(ch, "unconfirmed", old.Unconfirmed, e.Unconfirmed)
		return x.audit(ctx, nat, "election.update", "election", e.ID, map[string]any{"code": e.Code, "changes": ch})
	})
}

// DeleteElection removes an election and its stages. An election that is
// the parent of re-votes, or that other records refer to, is ErrConflict.
func (s *Store) DeleteElection(ctx context.Context, id int64) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		e, err := x.lockedElection(ctx, id)
		if err != nil {
			return err
		}
		var n int
		if err := x.QueryRowContext(ctx, `SELECT COUNT(*) FROM elections WHERE parent_id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("store: election re-votes: %w", err)
		}
		if n > 0 {
			return netra.Userf(netra.ErrConflict, fmt.Sprintf("%s induk dari %d PSU: hapus PSU itu dulu.", e.Name, n),
				fmt.Sprintf("%s is the parent of %d re-vote(s): delete them first.", e.Label("en"), n))
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM election_stages WHERE election_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete election stages: %w", err)
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM elections WHERE id = $1`, id); isForeignKeyViolation(err) {
			return netra.Userf(netra.ErrConflict, e.Name+" masih dipakai data lain (misalnya kampanye ikrar), jadi tidak dapat dihapus.",
				e.Label("en")+" is still referred to by other records (such as a pledge campaign), so it cannot be deleted.")
		} else if err != nil {
			return fmt.Errorf("store: delete election: %w", err)
		}
		return x.audit(ctx, nat, "election.delete", "election", id, electionSummary(e))
	})
}

// CreateElectionStage adds a stage to the election st.ElectionID, with the
// rules of CreateElection: a stage ending before it starts, or a voting
// stage that leaves out the voting day, is a ValidationError.
func (s *Store) CreateElectionStage(ctx context.Context, st *netra.ElectionStage) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		e, err := x.lockedElection(ctx, st.ElectionID)
		if err != nil {
			return err
		}
		e.Stages = append(e.Stages, *st)
		if m := e.VotingDayProblem(); m != nil {
			return netra.Invalid("starts", *m)
		}
		if err := x.insertStage(ctx, st); err != nil {
			return err
		}
		if err := x.touchElection(ctx, e.ID); err != nil {
			return err
		}
		return x.audit(ctx, nat, "election.stage.create", "election_stage", st.ID, stageSummary(e, st))
	})
}

// UpdateElectionStage replaces a stage's fields (its election stays), with
// the rules of CreateElectionStage.
func (s *Store) UpdateElectionStage(ctx context.Context, st *netra.ElectionStage) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		e, old, err := x.stageForWrite(ctx, st.ID)
		if err != nil {
			return err
		}
		st.ElectionID, st.CreatedAt, st.UpdatedAt = old.ElectionID, old.CreatedAt, fromMS(x.now)
		for i := range e.Stages {
			if e.Stages[i].ID == st.ID {
				e.Stages[i] = *st
			}
		}
		if m := e.VotingDayProblem(); m != nil {
			return netra.Invalid("starts", *m)
		}
		if _, err := x.ExecContext(ctx, `UPDATE election_stages SET kind = $1, name = $2, name_en = $3, starts = $4, ends = $5,
			source = $6, source_urls = $7, note = $8, unconfirmed = $9, updated_at = $10 WHERE id = $11`, st.Kind, st.Name, st.NameEN,
			st.Starts.Format(time.DateOnly), st.Ends.Format(time.DateOnly), st.Source, joinURLs(st.SourceURLs), st.Note, st.Unconfirmed,
			x.now, st.ID); err != nil {
			return fmt.Errorf("store: update election stage: %w", err)
		}
		if err := x.touchElection(ctx, e.ID); err != nil {
			return err
		}
		ch := map[string]change{}
		diff(ch, "kind", old.Kind, st.Kind)
		diff(ch, "name", old.Name, st.Name)
		diff(ch, "name_en", old.NameEN, st.NameEN)
		diff(ch, "starts", dateString(old.Starts), dateString(st.Starts))
		diff(ch, "ends", dateString(old.Ends), dateString(st.Ends))
		diff(ch, "source", old.Source, st.Source)
		diff(ch, "source_urls", joinURLs(old.SourceURLs), joinURLs(st.SourceURLs))
		diff(ch, "note", old.Note, st.Note)
		diff(ch, "unconfirmed", old.Unconfirmed, st.Unconfirmed)
		return x.audit(ctx, nat, "election.stage.update", "election_stage", st.ID, map[string]any{"election": e.Code, "changes": ch})
	})
}

// DeleteElectionStage removes a stage of an election.
func (s *Store) DeleteElectionStage(ctx context.Context, id int64) error {
	if err := mayWriteElections(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		nat, err := x.electionWriter(ctx)
		if err != nil {
			return err
		}
		e, old, err := x.stageForWrite(ctx, id)
		if err != nil {
			return err
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM election_stages WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete election stage: %w", err)
		}
		if err := x.touchElection(ctx, e.ID); err != nil {
			return err
		}
		return x.audit(ctx, nat, "election.stage.delete", "election_stage", id, stageSummary(e, old))
	})
}

// ElectionStage returns one stage (ErrNotFound if there is none).
func (s *Store) ElectionStage(ctx context.Context, id int64) (*netra.ElectionStage, error) {
	var st netra.ElectionStage
	err := scanStage(s.r.QueryRowContext(ctx, `SELECT `+stageCols+` FROM election_stages st WHERE st.id = $1`, id), &st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("election stage %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: election stage: %w", err)
	}
	return &st, nil
}

// stageForWrite loads a stage and its locked election.
func (x *tx) stageForWrite(ctx context.Context, id int64) (*netra.Election, *netra.ElectionStage, error) {
	var electionID int64
	err := x.QueryRowContext(ctx, `SELECT election_id FROM election_stages WHERE id = $1`, id).Scan(&electionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("election stage %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, nil, fmt.Errorf("store: election stage: %w", err)
	}
	e, err := x.lockedElection(ctx, electionID)
	if err != nil {
		return nil, nil, err
	}
	for i := range e.Stages {
		if e.Stages[i].ID == id {
			old := e.Stages[i]
			return e, &old, nil
		}
	}
	return nil, nil, fmt.Errorf("election stage %d: %w", id, netra.ErrNotFound)
}
