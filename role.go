package netra

// Role is a set of permissions a user holds on a tenant, optionally limited
// to one unit subtree.
type Role string

// The roles. A grant of any role but RoleSuperAdmin names a tenant; it
// reaches the tenants below that tenant too (a province sees its regencies).
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
)

// Permissions lists every permission a role can hold, for documentation and tests.
var Permissions = []Permission{PermTenantRead, PermTenantManage, PermUnitRead, PermUnitManage,
	PermEmployeeRead, PermEmployeeWrite, PermImport, PermUserManage, PermAuditRead, PermSelf}

// rolePermissions is the permission table: what each role may do within the
// scope of its grant.
var rolePermissions = map[Role][]Permission{
	RoleSuperAdmin: {PermTenantRead, PermTenantManage, PermUnitRead, PermUnitManage, PermEmployeeRead,
		PermEmployeeWrite, PermImport, PermUserManage, PermAuditRead},
	RoleTenantAdmin: {PermTenantRead, PermUnitRead, PermUnitManage, PermEmployeeRead, PermEmployeeWrite,
		PermImport, PermUserManage, PermAuditRead},
	RoleVerifier: {PermTenantRead, PermUnitRead, PermEmployeeRead},
	RoleLeader:   {PermTenantRead, PermUnitRead, PermEmployeeRead},
	RoleAuditor:  {PermTenantRead, PermUnitRead, PermEmployeeRead, PermAuditRead},
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
