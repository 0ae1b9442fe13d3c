package netra

import (
	"testing"
	"time"
)

// TestValidateRegistryFields checks the SIASN fields' rules in Validate:
// the NIK has 16 digits and is a non-ASN's identifier, the old NIP has 9,
// the other e-mail is an address, TMT dates are plausible.
func TestValidateRegistryFields(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	base := func() Employee {
		return Employee{NIP: "198609262015051001", Name: "Budi", Type: PNS, Golongan: "III/a", PositionType: Pelaksana, UnitID: 1}
	}
	e := Employee{NIP: "6271012609860001", Name: "Budi", Type: NonASN, PositionType: Pelaksana, UnitID: 1}
	if err := e.Validate(now); err != nil || e.NIK != e.NIP {
		t.Fatalf("non-ASN: NIK %q, %v", e.NIK, err)
	}
	e = base()
	e.NIK, e.OldNIP, e.OtherEmail = " 6271.0126.0986.0001 ", "130 123 456", " Budi@Example.COM "
	if err := e.Validate(now); err != nil || e.NIK != "6271012609860001" || e.OldNIP != "130123456" || e.OtherEmail != "budi@example.com" {
		t.Fatalf("normalised: %+v %v", e, err)
	}
	for field, f := range map[string]func(*Employee){
		"nik":           func(e *Employee) { e.NIK = "627101260986000" },
		"nip_lama":      func(e *Employee) { e.OldNIP = "13012345X" },
		"other_email":   func(e *Employee) { e.OtherEmail = "budi@localhost" },
		"rank_date":     func(e *Employee) { e.RankDate = now.AddDate(2, 0, 0) },
		"position_date": func(e *Employee) { e.PositionDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) },
		"pns_id":        func(e *Employee) { e.PNSID = "A8ACA7A3F1B73912E040640A040269BBA8ACA7A3F1" },
	} {
		e := base()
		f(&e)
		ve, ok := AsValidation(e.Validate(now))
		if !ok || ve.Fields[field].ID == "" {
			t.Errorf("%s: want a field error, got %v", field, ve)
		}
	}
	e = Employee{NIP: "6271012609860001", NIK: "6271012609860002", Name: "Budi", Type: NonASN, PositionType: Pelaksana, UnitID: 1}
	if ve, ok := AsValidation(e.Validate(now)); !ok || ve.Fields["nik"].ID == "" {
		t.Errorf("non-ASN with another NIK accepted: %v", ve)
	}
}
