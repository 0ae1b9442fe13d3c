package netra

import (
	"slices"
	"testing"
	"time"
)

func validDuty() *Duty {
	return &Duty{Kind: DutyCircular, Title: "  Surat Edaran  Netralitas ASN ", DueAt: now.Add(14 * 24 * time.Hour),
		Target: DutyTarget{Units: []DutyTargetUnit{{UnitID: 4}}}}
}

func TestDutyValidate(t *testing.T) {
	d := validDuty()
	d.Reminders = []int{1, 7, 3, 7}
	d.Target.EmploymentTypes = []EmploymentType{PPPK, PNS, PNS}
	if err := d.Validate(now); err != nil {
		t.Fatalf("valid duty: %v", err)
	}
	if d.Title != "Surat Edaran Netralitas ASN" {
		t.Errorf("title not normalised: %q", d.Title)
	}
	if !slices.Equal(d.Reminders, []int{7, 3, 1}) {
		t.Errorf("reminders %v, want [7 3 1]", d.Reminders)
	}
	if !slices.Equal(d.Target.EmploymentTypes, []EmploymentType{PNS, PPPK}) {
		t.Errorf("types %v", d.Target.EmploymentTypes)
	}

	tests := []struct {
		name  string
		edit  func(d *Duty)
		field string
	}{
		{"no target (a circular with no target)", func(d *Duty) { d.Target.Units = nil }, "target"},
		{"unknown kind", func(d *Duty) { d.Kind = "survey" }, "kind"},
		{"no title", func(d *Duty) { d.Title = " \t " }, "title"},
		{"title with a NUL", func(d *Duty) { d.Title = "a\x00b" }, "title"},
		{"no due date", func(d *Duty) { d.DueAt = time.Time{} }, "due_at"},
		{"due date in the past", func(d *Duty) { d.DueAt = now.Add(-time.Hour) }, "due_at"},
		{"due before it opens", func(d *Duty) { d.OpensAt = d.DueAt.Add(time.Hour) }, "due_at"},
		{"unit named twice", func(d *Duty) { d.Target.Units = append(d.Target.Units, DutyTargetUnit{UnitID: 4, Exact: true}) }, "target"},
		{"bad unit id", func(d *Duty) { d.Target.Units = []DutyTargetUnit{{UnitID: 0}} }, "target"},
		{"government named twice", func(d *Duty) {
			d.Target.Governments = []DutyTargetGovernment{{TenantID: 2}, {TenantID: 2, Below: true}}
		}, "target"},
		{"unknown employment type", func(d *Duty) { d.Target.EmploymentTypes = []EmploymentType{"honorer"} }, "employment_types"},
		{"unknown position type", func(d *Duty) { d.Target.PositionTypes = []PositionType{"eselon"} }, "position_types"},
		{"reminder of 0 days", func(d *Duty) { d.Reminders = []int{0} }, "reminders"},
		{"reminder too early", func(d *Duty) { d.Reminders = []int{MaxReminderDays + 1} }, "reminders"},
		{"link elsewhere", func(d *Duty) { d.Link = "//evil.example/x" }, "link"},
		{"link not a path", func(d *Duty) { d.Link = "https://evil.example/" }, "link"},
	}
	for _, tt := range tests {
		d := validDuty()
		tt.edit(d)
		err := d.Validate(now)
		v, ok := AsValidation(err)
		if !ok {
			t.Errorf("%s: %v, want a validation error", tt.name, err)
			continue
		}
		m, ok := v.Fields[tt.field]
		if !ok || m.ID == "" || m.EN == "" {
			t.Errorf("%s: fields %v, want a bilingual message on %s", tt.name, v.Fields, tt.field)
		}
	}
	// A whole government alone is a target.
	d = validDuty()
	d.Target = DutyTarget{Governments: []DutyTargetGovernment{{TenantID: 3, Below: true}}}
	if err := d.Validate(now); err != nil {
		t.Errorf("government target: %v", err)
	}
}

func TestCoveragePercent(t *testing.T) {
	tests := []struct {
		c    Coverage
		want float64
	}{
		{Coverage{}, 0},
		{Coverage{Targeted: 4, Done: 1}, 25},
		{Coverage{Targeted: 4, Done: 1, Excused: 2}, 50},
		{Coverage{Targeted: 2, Excused: 2}, 100},
		{Coverage{Targeted: 3, Done: 3}, 100},
	}
	for _, tt := range tests {
		if got := tt.c.Percent(); got != tt.want {
			t.Errorf("%+v: Percent %v, want %v", tt.c, got, tt.want)
		}
	}
	if p := (Coverage{Targeted: 10, Done: 4, Excused: 1}).Pending(); p != 5 {
		t.Errorf("pending %d", p)
	}
}

func TestDutyLabels(t *testing.T) {
	for _, k := range DutyKinds {
		if !k.Valid() || k.Label("id") == "" || k.Label("en") == "" {
			t.Errorf("kind %q has no labels", k)
		}
	}
	for _, s := range []AssigneeStatus{AssigneePending, AssigneeDone, AssigneeExcused} {
		if !s.Valid() || s.Label("en") == "" {
			t.Errorf("status %q has no label", s)
		}
	}
	for _, s := range []DutyStatus{DutyDraft, DutyOpen, DutyClosed} {
		if !s.Valid() || s.Label("id") == "" {
			t.Errorf("duty status %q has no label", s)
		}
	}
	if DutyNoticeKind(DutyPledge, NoticeReminder) != "pledge.remind" || DimType(PNS) != "type:pns" || DimPosition(Pelaksana) != "pos:pelaksana" {
		t.Error("names")
	}
}
