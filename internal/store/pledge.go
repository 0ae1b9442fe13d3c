package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// Pledges: templates and their versions, campaigns (this file); signing,
// paper and ceremony records, revocation (pledge_sign.go); reading,
// verifying and the offline bundle (pledge_verify.go). docs/pledges.md.
//
// Who may do what:
//   - duty.manage on the whole government writes its templates and
//     campaigns; duty.manage on a unit subtree records paper pledges and
//     ceremonies, and revokes, for the employees of that subtree only;
//   - only the employee, signed in with their own account (self), signs
//     their pledge online — no administrator signs for anyone;
//   - duty.read or duty.manage reaching the government, or being one of
//     its employees, reads its templates and campaigns; a signature is read
//     by its signer and by duty.read or duty.manage covering the signer's
//     unit;
//   - anyone verifies a code (VerifyPledgeCode).

// pledgeTenant is what pledges need of a government.
type pledgeTenant struct {
	id               int64
	code, name, path string
}

func tenantInfo(ctx context.Context, q queryer, id int64) (pledgeTenant, error) {
	t := pledgeTenant{id: id}
	err := q.QueryRowContext(ctx, `SELECT code, name, path FROM tenants WHERE id = $1`, id).Scan(&t.code, &t.name, &t.path)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("tenant %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return t, fmt.Errorf("store: tenant: %w", err)
	}
	return t, nil
}

// mayReadPledges reports whether the actor may read a government's pledge
// templates and campaigns: duty.read or duty.manage reaching it, or a grant
// of self (an employee) on it.
func mayReadPledges(a *netra.Actor, t pledgeTenant) bool {
	if a == nil {
		return false
	}
	if a.ScopeFor(netra.PermDutyRead).ReachesTenant(t.id, t.path) || a.ScopeFor(netra.PermDutyManage).ReachesTenant(t.id, t.path) {
		return true
	}
	for _, g := range a.GrantsFor(netra.PermSelf) {
		if g.TenantID == t.id {
			return true
		}
	}
	return false
}

// pledgeTenantToManage loads a government whose templates and campaigns the
// actor changes: duty.manage must cover all of it.
func (x *tx) pledgeTenantToManage(ctx context.Context, tenantID int64) (pledgeTenant, error) {
	t, err := tenantInfo(ctx, x, tenantID)
	if err != nil {
		return t, err
	}
	return t, forWrite("tenant", tenantID, x.actor.ScopeFor(netra.PermDutyManage).CoversTenant(t.path), mayReadPledges(x.actor, t))
}

// pledgeTenantToRead loads a government whose templates and campaigns the
// actor reads.
func (s *Store) pledgeTenantToRead(ctx context.Context, tenantID int64) (pledgeTenant, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return pledgeTenant{}, netra.ErrUnauthenticated
	}
	t, err := tenantInfo(ctx, s.r, tenantID)
	if err == nil && !mayReadPledges(a, t) {
		err = fmt.Errorf("tenant %d: %w", tenantID, netra.ErrNotFound)
	}
	return t, err
}

const pledgeTextCols = `v.template_id, v.version, v.title, v.body, v.sha256, v.source, v.published_at`

func scanPledgeText(row interface{ Scan(...any) error }, p *netra.PledgeText, extra ...any) error {
	var at int64
	if err := row.Scan(append([]any{&p.TemplateID, &p.Version, &p.Title, &p.Body, &p.SHA256, &p.Source, &at}, extra...)...); err != nil {
		return err
	}
	p.PublishedAt = fromMS(at)
	return nil
}

// insertTemplate adds a template with text as its version 1. With shipped
// set, a template already made from that shipped text is left alone and
// (nil, nil) returned.
func (x *tx) insertTemplate(ctx context.Context, t pledgeTenant, shipped string, text *netra.PledgeText) (*netra.PledgeTemplate, error) {
	tp := &netra.PledgeTemplate{TenantID: t.id, Shipped: shipped, CreatedAt: fromMS(x.now)}
	q := `INSERT INTO pledge_templates (tenant_id, shipped, created_at, created_by) VALUES ($1, $2, $3, $4)`
	if shipped != "" {
		q += ` ON CONFLICT (tenant_id, shipped) WHERE shipped <> '' DO NOTHING`
	}
	err := x.QueryRowContext(ctx, q+` RETURNING id`, t.id, shipped, x.now, x.actor.UserID).Scan(&tp.ID)
	if errors.Is(err, sql.ErrNoRows) && shipped != "" {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: create pledge template: %w", err)
	}
	text.TemplateID, text.Version, text.PublishedAt = tp.ID, 1, fromMS(x.now)
	if err := x.insertPledgeText(ctx, text); err != nil {
		return nil, err
	}
	tp.Latest = *text
	return tp, x.audit(ctx, t.id, "pledge.template.create", "pledge_template", tp.ID, map[string]any{
		"title": text.Title, "version": 1, "sha256": text.SHA256, "shipped": shipped})
}

func (x *tx) insertPledgeText(ctx context.Context, p *netra.PledgeText) error {
	_, err := x.ExecContext(ctx, `INSERT INTO pledge_template_versions (template_id, version, title, body, sha256, source,
		published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.TemplateID, p.Version, p.Title, p.Body, p.SHA256, p.Source, x.now, x.actor.UserID)
	if isUniqueViolation(err) {
		return netra.Userf(netra.ErrConflict, "Versi "+strconv.Itoa(p.Version)+" baru saja diterbitkan orang lain; muat ulang halaman.",
			"Version "+strconv.Itoa(p.Version)+" was just published by someone else; reload the page.")
	} else if err != nil {
		return fmt.Errorf("store: publish pledge text: %w", err)
	}
	return nil
}

// CreatePledgeTemplate adds a pledge template to a government with text as
// its published version 1. The actor needs duty.manage on the whole
// government.
func (s *Store) CreatePledgeTemplate(ctx context.Context, tenantID int64, text netra.PledgeText) (*netra.PledgeTemplate, error) {
	if err := text.Validate(); err != nil {
		return nil, err
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	var out *netra.PledgeTemplate
	err := s.write(ctx, func(x *tx) error {
		t, err := x.pledgeTenantToManage(ctx, tenantID)
		if err != nil {
			return err
		}
		out, err = x.insertTemplate(ctx, t, "", &text)
		return err
	})
	return out, err
}

// InstallShippedPledges gives a government a template for each text Netra
// ships (netra.ShippedPledges) that it does not have yet, and returns its
// templates. Running it again adds nothing.
func (s *Store) InstallShippedPledges(ctx context.Context, tenantID int64) ([]netra.PledgeTemplate, error) {
	shipped, err := netra.ShippedPledges()
	if err != nil {
		return nil, err
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(x *tx) error {
		t, err := x.pledgeTenantToManage(ctx, tenantID)
		if err != nil {
			return err
		}
		for _, sp := range shipped {
			text := sp.Text()
			if err := text.Validate(); err != nil {
				return fmt.Errorf("store: shipped pledge %s: %w", sp.Key, err)
			}
			if _, err := x.insertTemplate(ctx, t, sp.Key, &text); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.PledgeTemplates(ctx, tenantID)
}

// AddPledgeTemplateVersion publishes a new version of a template: the next
// version number, with its own text and hash. Earlier versions stay as they
// were, and campaigns keep the version they were made with. A text and
// title identical to the newest version is refused. The actor needs
// duty.manage on the whole government.
func (s *Store) AddPledgeTemplateVersion(ctx context.Context, templateID int64, text netra.PledgeText) (*netra.PledgeText, error) {
	if err := text.Validate(); err != nil {
		return nil, err
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(x *tx) error {
		var tenantID int64
		var latest netra.PledgeText
		err := scanPledgeText(x.QueryRowContext(ctx, `SELECT `+pledgeTextCols+`, t.tenant_id FROM pledge_templates t
			JOIN pledge_template_versions v ON v.template_id = t.id WHERE t.id = $1 ORDER BY v.version DESC LIMIT 1`, templateID),
			&latest, &tenantID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("pledge template %d: %w", templateID, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: pledge template: %w", err)
		}
		t, err := x.pledgeTenantToManage(ctx, tenantID)
		if err != nil {
			return err
		}
		if latest.SHA256 == text.SHA256 && latest.Title == text.Title {
			return netra.Invalid("body", netra.Msg("Teks dan judulnya sama dengan versi "+strconv.Itoa(latest.Version)+": tidak ada versi baru.",
				"The text and title are those of version "+strconv.Itoa(latest.Version)+": there is no new version."))
		}
		text.TemplateID, text.Version, text.PublishedAt = templateID, latest.Version+1, fromMS(x.now)
		if err := x.insertPledgeText(ctx, &text); err != nil {
			return err
		}
		return x.audit(ctx, t.id, "pledge.template.version", "pledge_template", templateID, map[string]any{
			"title": text.Title, "version": text.Version, "sha256": text.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return &text, nil
}

// PledgeTemplates lists a government's templates with their newest
// versions, oldest template first.
func (s *Store) PledgeTemplates(ctx context.Context, tenantID int64) ([]netra.PledgeTemplate, error) {
	if _, err := s.pledgeTenantToRead(ctx, tenantID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.id, t.tenant_id, t.shipped, t.created_at, `+pledgeTextCols+`
		FROM pledge_templates t JOIN pledge_template_versions v ON v.template_id = t.id
		WHERE t.tenant_id = $1 AND v.version = (SELECT MAX(w.version) FROM pledge_template_versions w WHERE w.template_id = t.id)
		ORDER BY t.id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("store: pledge templates: %w", err)
	}
	defer rows.Close()
	var out []netra.PledgeTemplate
	for rows.Next() {
		var tp netra.PledgeTemplate
		var created, at int64
		p := &tp.Latest
		if err := rows.Scan(&tp.ID, &tp.TenantID, &tp.Shipped, &created, &p.TemplateID, &p.Version, &p.Title, &p.Body,
			&p.SHA256, &p.Source, &at); err != nil {
			return nil, fmt.Errorf("store: pledge templates: %w", err)
		}
		tp.CreatedAt, p.PublishedAt = fromMS(created), fromMS(at)
		out = append(out, tp)
	}
	return out, rows.Err()
}

// templateTenant returns the government a template belongs to.
func (s *Store) templateTenant(ctx context.Context, templateID int64) (pledgeTenant, error) {
	var tenantID int64
	err := s.r.QueryRowContext(ctx, `SELECT tenant_id FROM pledge_templates WHERE id = $1`, templateID).Scan(&tenantID)
	if errors.Is(err, sql.ErrNoRows) {
		return pledgeTenant{}, fmt.Errorf("pledge template %d: %w", templateID, netra.ErrNotFound)
	} else if err != nil {
		return pledgeTenant{}, fmt.Errorf("store: pledge template: %w", err)
	}
	t, err := s.pledgeTenantToRead(ctx, tenantID)
	if errors.Is(err, netra.ErrNotFound) {
		err = fmt.Errorf("pledge template %d: %w", templateID, netra.ErrNotFound)
	}
	return t, err
}

// PledgeTemplateVersions returns every published version of a template,
// oldest first.
func (s *Store) PledgeTemplateVersions(ctx context.Context, templateID int64) ([]netra.PledgeText, error) {
	if _, err := s.templateTenant(ctx, templateID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+pledgeTextCols+` FROM pledge_template_versions v WHERE v.template_id = $1
		ORDER BY v.version`, templateID)
	if err != nil {
		return nil, fmt.Errorf("store: pledge texts: %w", err)
	}
	defer rows.Close()
	var out []netra.PledgeText
	for rows.Next() {
		var p netra.PledgeText
		if err := scanPledgeText(rows, &p); err != nil {
			return nil, fmt.Errorf("store: pledge texts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PledgeTemplateText returns one published version of a template: the
// text an employee reads before signing.
func (s *Store) PledgeTemplateText(ctx context.Context, templateID int64, version int) (*netra.PledgeText, error) {
	if _, err := s.templateTenant(ctx, templateID); err != nil {
		return nil, err
	}
	return pledgeText(ctx, s.r, templateID, version)
}

func pledgeText(ctx context.Context, q queryer, templateID int64, version int) (*netra.PledgeText, error) {
	var p netra.PledgeText
	err := scanPledgeText(q.QueryRowContext(ctx, `SELECT `+pledgeTextCols+` FROM pledge_template_versions v
		WHERE v.template_id = $1 AND v.version = $2`, templateID, version), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("pledge template %d version %d: %w", templateID, version, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: pledge text: %w", err)
	}
	return &p, nil
}

const pledgeCampaignCols = `c.id, c.tenant_id, c.template_id, c.template_version, COALESCE(c.election_id, 0), c.title,
	c.opens_at, c.closes_at, c.status, COALESCE(c.duty_id, 0), c.reminder_days, c.created_at, c.launched_at`

func scanPledgeCampaign(row interface{ Scan(...any) error }, c *netra.PledgeCampaign) error {
	var opens, closes, created, launched int64
	var reminders string
	if err := row.Scan(&c.ID, &c.TenantID, &c.TemplateID, &c.TemplateVersion, &c.ElectionID, &c.Title, &opens, &closes,
		&c.Status, &c.DutyID, &reminders, &created, &launched); err != nil {
		return err
	}
	c.Opens, c.Closes, c.CreatedAt, c.LaunchedAt = fromMS(opens), fromMS(closes), fromMS(created), fromMS(launched)
	c.ReminderDays = nil
	for _, f := range strings.Split(reminders, ",") {
		if d, err := strconv.Atoi(f); err == nil {
			c.ReminderDays = append(c.ReminderDays, d)
		}
	}
	return nil
}

func reminderText(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// pledgeCampaign reads a campaign with no scope check.
func pledgeCampaign(ctx context.Context, q queryer, id int64) (*netra.PledgeCampaign, error) {
	var c netra.PledgeCampaign
	err := scanPledgeCampaign(q.QueryRowContext(ctx, `SELECT `+pledgeCampaignCols+` FROM pledge_campaigns c WHERE c.id = $1`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("pledge campaign %d: %w", id, netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: pledge campaign: %w", err)
	}
	return &c, nil
}

// CreatePledgeCampaign adds a campaign, as a draft, for one published
// version of one of the government's templates. The actor needs duty.manage
// on the whole government. The election must be in the calendar. The
// campaign's duty (its target: c.Target, or the whole government) is made
// with it, as a draft, and c.DutyID set.
func (s *Store) CreatePledgeCampaign(ctx context.Context, c *netra.PledgeCampaign) error {
	c.Status = netra.PledgeCampaignDraft
	if err := c.Validate(); err != nil {
		return err
	}
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		t, err := x.pledgeTenantToManage(ctx, c.TenantID)
		if err != nil {
			return err
		}
		var owner int64
		err = x.QueryRowContext(ctx, `SELECT t.tenant_id FROM pledge_template_versions v JOIN pledge_templates t ON t.id = v.template_id
			WHERE v.template_id = $1 AND v.version = $2`, c.TemplateID, c.TemplateVersion).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != t.id) {
			return netra.Invalid("template", netra.Msg("Teks ikrar atau versinya tidak ditemukan di instansi ini.",
				"The pledge text or its version does not exist in this government."))
		} else if err != nil {
			return fmt.Errorf("store: pledge campaign: %w", err)
		}
		var one int
		if err := x.QueryRowContext(ctx, `SELECT 1 FROM elections WHERE id = $1`, c.ElectionID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return netra.Invalid("election", netra.Msg("Pemilihan tidak ada di kalender pemilihan.",
				"The election is not in the election calendar."))
		} else if err != nil {
			return fmt.Errorf("store: pledge campaign election: %w", err)
		}
		c.CreatedAt = fromMS(x.now)
		if err := x.QueryRowContext(ctx, `INSERT INTO pledge_campaigns (tenant_id, template_id, template_version, election_id,
			title, opens_at, closes_at, status, reminder_days, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, t.id, c.TemplateID, c.TemplateVersion,
			nullID(c.ElectionID), c.Title, ms(c.Opens), ms(c.Closes), c.Status, reminderText(c.ReminderDays), x.now,
			x.actor.UserID).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: create pledge campaign: %w", err)
		}
		// The duty behind the campaign: its target, each employee's status
		// and the coverage (duty.go). It is created here, with the campaign.
		d := c.Duty()
		if err := x.createDuty(ctx, d); err != nil {
			return err
		}
		if _, err := x.ExecContext(ctx, `UPDATE pledge_campaigns SET duty_id = $1 WHERE id = $2`, d.ID, c.ID); err != nil {
			return fmt.Errorf("store: pledge campaign duty: %w", err)
		}
		c.DutyID = d.ID
		return x.audit(ctx, t.id, "pledge.campaign.create", "pledge_campaign", c.ID, map[string]any{
			"title": c.Title, "template_id": c.TemplateID, "version": c.TemplateVersion, "election_id": c.ElectionID,
			"opens": c.Opens, "closes": c.Closes, "reminder_days": c.ReminderDays})
	})
}

// LaunchPledgeCampaign opens a draft campaign to its employees: from then
// on, between its opening and closing times, they sign. It makes the
// government's pledge log and signing key if they do not exist yet. A
// campaign that has already closed cannot be launched. The actor needs
// duty.manage on the whole government.
func (s *Store) LaunchPledgeCampaign(ctx context.Context, id int64) (*netra.PledgeCampaign, error) {
	if _, err := scopeOf(ctx, netra.PermDutyManage); err != nil {
		return nil, err
	}
	c, err := pledgeCampaign(ctx, s.r, id)
	if err != nil {
		return nil, err
	}
	t, err := tenantInfo(ctx, s.r, c.TenantID)
	if err != nil {
		return nil, err
	}
	if !netra.ActorFrom(ctx).ScopeFor(netra.PermDutyManage).CoversTenant(t.path) {
		return nil, forWrite("pledge campaign", id, false, mayReadPledges(netra.ActorFrom(ctx), t))
	}
	if _, err := s.pledgeKey(ctx, t); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(x *tx) error {
		if _, err := x.pledgeTenantToManage(ctx, c.TenantID); err != nil {
			return err
		}
		if c, err = pledgeCampaign(ctx, x, id); err != nil {
			return err
		}
		if c.Status != netra.PledgeCampaignDraft {
			return netra.Userf(netra.ErrConflict, "Kampanye ini sudah diluncurkan atau dibatalkan.", "This campaign was already launched or cancelled.")
		}
		if !fromMS(x.now).Before(c.Closes) {
			return netra.Invalid("period", netra.Msg("Kampanye ini sudah lewat waktu tutupnya; ubah periodenya dengan kampanye baru.",
				"This campaign's closing time has passed; make a new campaign with another period."))
		}
		res, err := x.ExecContext(ctx, `UPDATE pledge_campaigns SET status = $1, launched_at = $2 WHERE id = $3 AND status = $4`,
			netra.PledgeCampaignLaunched, x.now, id, netra.PledgeCampaignDraft)
		if err != nil {
			return fmt.Errorf("store: launch pledge campaign: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 { // launched meanwhile by another node
			return netra.Userf(netra.ErrConflict, "Kampanye ini sudah diluncurkan atau dibatalkan.", "This campaign was already launched or cancelled.")
		}
		c.Status, c.LaunchedAt = netra.PledgeCampaignLaunched, fromMS(x.now)
		// The duty reaches its employees now: each is pending and notified
		// (inbox and e-mail), and its reminders are scheduled.
		if c.DutyID == 0 {
			return fmt.Errorf("store: pledge campaign %d has no duty", id)
		}
		reached, err := x.launchDuty(ctx, c.DutyID)
		if err != nil {
			return err
		}
		return x.audit(ctx, c.TenantID, "pledge.campaign.launch", "pledge_campaign", id, map[string]any{"reached": reached})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// PledgeCampaign returns a campaign the actor may read.
func (s *Store) PledgeCampaign(ctx context.Context, id int64) (*netra.PledgeCampaign, error) {
	c, err := pledgeCampaign(ctx, s.r, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.pledgeTenantToRead(ctx, c.TenantID); err != nil {
		return nil, fmt.Errorf("pledge campaign %d: %w", id, netra.ErrNotFound)
	}
	return c, nil
}

// PledgeCampaigns lists a government's campaigns, newest opening first.
func (s *Store) PledgeCampaigns(ctx context.Context, tenantID int64) ([]netra.PledgeCampaign, error) {
	if _, err := s.pledgeTenantToRead(ctx, tenantID); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+pledgeCampaignCols+` FROM pledge_campaigns c WHERE c.tenant_id = $1
		ORDER BY c.opens_at DESC, c.id DESC`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("store: pledge campaigns: %w", err)
	}
	defer rows.Close()
	var out []netra.PledgeCampaign
	for rows.Next() {
		var c netra.PledgeCampaign
		if err := scanPledgeCampaign(rows, &c); err != nil {
			return nil, fmt.Errorf("store: pledge campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// The integration points with duties (targeting, per-employee status,
// coverage). They do nothing until duties exist; every path that adds or
// revokes a signature calls them inside its transaction, after the
// signature is written and logged.

// pledgeDutyDone marks the campaign's duty done for employeeIDs, who have
// signed it (online, on paper, or at a ceremony): one batch for them all
// (dutyDone). An employee the campaign does not target is left alone.
func (x *tx) pledgeDutyDone(ctx context.Context, c *netra.PledgeCampaign, employeeIDs []int64) error {
	if c.DutyID == 0 || len(employeeIDs) == 0 {
		return nil
	}
	_, err := x.dutyDone(ctx, c.DutyID, employeeIDs)
	return err
}

// pledgeDutyUndone puts an employee whose signature of campaign c was
// revoked back to pending (dutyUndone).
func (x *tx) pledgeDutyUndone(ctx context.Context, c *netra.PledgeCampaign, employeeID int64) error {
	if c.DutyID == 0 {
		return nil
	}
	return x.dutyUndone(ctx, c.DutyID, employeeID)
}
