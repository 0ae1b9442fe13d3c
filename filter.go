package netra

// The filters of the lists: zero values are ignored. AuditFilter is in
// audit.go beside the entries it selects.

// EmployeeFilter selects employees; zero values are ignored.
type EmployeeFilter struct {
	TenantID     int64
	UnitID       int64 // the unit and everything below it
	Type         EmploymentType
	PositionType PositionType
	Status       EmployeeStatus
	Search       string // a NIP prefix (digits); an identifier the person has or had (NIK, NIP, NI PPPK, NIP lama, PNS_ID: all their records in scope); or part of the name (its start for a nationwide scope with no tenant chosen)
	After        string // keyset cursor from the previous page
	Limit        int
}

// UnitFilter selects units; zero values are ignored.
type UnitFilter struct {
	TenantID      int64 // required
	ParentID      int64 // direct children of this unit
	Roots         bool  // units without a parent
	Under         int64 // the whole subtree below this unit
	Search        string
	IncludeClosed bool
	Limit         int
}
