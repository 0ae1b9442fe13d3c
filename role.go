package netra

// Role is a set of permissions a user holds on a tenant, optionally limited
// to one unit subtree.
type Role string

// The roles. A grant of any role but RoleSuperAdmin names a tenant, and
// possibly a unit subtree of it. Each government keeps its own staff: the
// grant's write permissions act only within that tenant (or that unit
// subtree), while its oversight permissions (Permission.Oversight) reach the
// tenants below it too — a province, and the national government, oversee
// the regencies and cities below them but do not write their records. A
// super admin reaches everything.
const (
	RoleSuperAdmin  Role = "super_admin"  // runs the installation
	RoleTenantAdmin Role = "tenant_admin" // BKPSDM operator
	RoleVerifier    Role = "verifier"     // Inspektorat / Satgas examiner
	RoleLeader      Role = "leader"       // PPK, Sekda: reads everything of the tenant, decides
	RoleAuditor     Role = "auditor"      // read-only, sees the audit log
	RoleEmployee    Role = "employee"     // an ASN acting for themself
)

// Roles lists every role in display order.
var Roles = []Role{RoleSuperAdmin, RoleTenantAdmin, RoleVerifier, RoleLeader, RoleAuditor, RoleEmployee}

var roleLabels = map[Role]Message{
	RoleSuperAdmin:  Msg("Super admin", "Super admin"),
	RoleTenantAdmin: Msg("Admin instansi (BKPSDM)", "Government admin (BKPSDM)"),
	RoleVerifier:    Msg("Verifikator (Inspektorat/Satgas)", "Verifier (Inspectorate/task force)"),
	RoleLeader:      Msg("Pimpinan (PPK/Sekda)", "Leader (PPK/Sekda)"),
	RoleAuditor:     Msg("Auditor", "Auditor"),
	RoleEmployee:    Msg("Pegawai", "Employee"),
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Label returns the role's name in lang.
func (r Role) Label(lang string) string { return roleLabels[r].In(lang) }

// Staff reports whether the role signs in with a password and a second
// factor (every role but the employee's).
func (r Role) Staff() bool { return r != RoleEmployee }

// Permission names one thing a user may do. Every route names the
// permission it needs (internal/web/routes.go).
type Permission string

// The permissions.
const (
	PermPublic        Permission = "public"         // anyone, signed in or not
	PermSignedIn      Permission = "signed_in"      // any signed-in user
	PermTenantRead    Permission = "tenant.read"    // see tenants in scope
	PermTenantManage  Permission = "tenant.manage"  // create and edit tenants
	PermUnitRead      Permission = "unit.read"      // browse the organisation tree
	PermUnitManage    Permission = "unit.manage"    // create, rename, move, close units
	PermEmployeeRead  Permission = "employee.read"  // list and open employee records
	PermEmployeeWrite Permission = "employee.write" // create, edit and move employees
	PermImport        Permission = "employee.import"
	PermUserManage    Permission = "user.manage" // users, roles and API tokens
	PermAuditRead     Permission = "audit.read"  // browse the audit log
	PermSelf          Permission = "self"        // an employee's own record and tasks
	// Duties: what every employee of a set of units must do — pledges to
	// sign, circulars to acknowledge, socialisation sessions to attend
	// (duty.go). duty.read sees their coverage and who has not done them.
	PermDutyRead   Permission = "duty.read"
	PermDutyManage Permission = "duty.manage" // templates, campaigns, paper and ceremony records, excuses
	// election.manage maintains the election calendar; the store accepts it
	// only from a grant on the national tenant (or a super admin).
	PermElectionManage Permission = "election.manage"
)

// oversight holds the permissions that read: a grant of one of them on a
// tenant reaches the tenants below it (see Permission.Oversight). Dashboards
// and other read-only views over several governments belong here.
var oversight = map[Permission]bool{
	PermTenantRead:   true,
	PermUnitRead:     true,
	PermEmployeeRead: true,
	PermAuditRead:    true,
	PermDutyRead:     true,
}

// Oversight reports whether p is an oversight permission, one that reads: a
// grant of it on a tenant reaches that tenant and every tenant below it.
// Every other permission (unit.manage, employee.write, employee.import,
// user.manage, duty.manage, election.manage, self) acts only within the grant's own tenant, or the grant's
// unit subtree inside it; tenant.manage is held by super admins only, who
// reach everything.
func (p Permission) Oversight() bool { return oversight[p] }

// Permissions lists every permission a role can hold, for documentation and tests.
var Permissions = []Permission{PermTenantRead, PermTenantManage, PermUnitRead, PermUnitManage,
	PermEmployeeRead, PermEmployeeWrite, PermImport, PermUserManage, PermAuditRead, PermDutyRead, PermDutyManage,
	PermElectionManage, PermSelf}

// rolePermissions is the permission table: what each role may do within the
// scope of its grant. For a grant on tenant T (unit subtree U):
//
//	permission       reaches                         roles
//	tenant.read      T and the tenants below         all staff roles
//	unit.read        T and below (U inside T)        all staff roles
//	employee.read    T and below (U inside T)        all staff roles
//	audit.read       T and below                     super admin, tenant admin, auditor
//	duty.read        T and below (U inside T)        super admin, tenant admin, leader, auditor
//	duty.manage      T only (U inside T)             super admin, tenant admin
//	election.manage  the national tenant only        super admin, tenant admin (of the national tenant)
//	unit.manage      T only (U inside T)             super admin, tenant admin
//	employee.write   T only (U inside T)             super admin, tenant admin
//	employee.import  T only (U inside T)             super admin, tenant admin
//	user.manage      T only (U inside T)             super admin, tenant admin
//	tenant.manage    everything                      super admin only
//	self             the employee's own record       employee
//
// A super admin's grant names no tenant and reaches everything.
var rolePermissions = map[Role][]Permission{
	RoleSuperAdmin: {PermTenantRead, PermTenantManage, PermUnitRead, PermUnitManage, PermEmployeeRead,
		PermEmployeeWrite, PermImport, PermUserManage, PermAuditRead, PermDutyRead, PermDutyManage, PermElectionManage},
	RoleTenantAdmin: {PermTenantRead, PermUnitRead, PermUnitManage, PermEmployeeRead, PermEmployeeWrite,
		PermImport, PermUserManage, PermAuditRead, PermDutyRead, PermDutyManage, PermElectionManage},
	RoleVerifier: {PermTenantRead, PermUnitRead, PermEmployeeRead},
	RoleLeader:   {PermTenantRead, PermUnitRead, PermEmployeeRead, PermDutyRead},
	RoleAuditor:  {PermTenantRead, PermUnitRead, PermEmployeeRead, PermAuditRead, PermDutyRead},
	RoleEmployee: {PermSelf},
}

// Has reports whether role r carries permission p.
func (r Role) Has(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// RolePermissions returns the permissions of r.
func RolePermissions(r Role) []Permission { return append([]Permission(nil), rolePermissions[r]...) }
