package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/netra-id/netra"
)

// handlerFunc is a handler that returns its error instead of writing it;
// Server.fail turns the error into the response.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry of the URL surface: a Go ServeMux pattern, the
// permission a caller needs, and the handler.
type route struct {
	Method  string
	Pattern string
	Perm    netra.Permission
	Handle  handlerFunc
}

// routeTable lists every URL Netra answers, with the permission it needs.
// The permission is checked here, before the handler runs; the store checks
// the caller's unit scope again on every call. Pages are under Indonesian
// paths, the JSON API under /api/v1.
func (s *Server) routeTable() []route {
	const (
		public   = netra.PermPublic
		signedIn = netra.PermSignedIn
		self     = netra.PermSelf
	)
	verifyLimit := newVerifyLimiter() // the public pledge verification (pledge_verify.go)
	return []route{
		// Infrastructure.
		{"GET", "/healthz", public, s.health},
		{"GET", "/metrics", public, s.metricsPage},
		{"GET", "/static/{file}", public, s.static},
		{"GET", "/bahasa/{lang}", public, s.setLang},
		{"GET", "/api/openapi.json", public, s.openAPI},
		// The signed audit log's checkpoints, key and proofs (checkpoint.go).
		{"GET", "/log/audit/checkpoint", public, s.logCheckpoint},
		{"GET", "/log/audit/key", public, s.logKey},
		{"GET", "/log/audit/proof", public, s.logProof},
		// Each government's pledge log: checkpoints, keys, proofs (pledge_log.go).
		{"GET", "/log/ikrar/{tenant}/checkpoint", public, s.pledgeLogCheckpoint},
		{"GET", "/log/ikrar/{tenant}/key", public, s.pledgeLogKey},
		{"GET", "/log/ikrar/{tenant}/proof", public, s.pledgeLogProof},

		// Staff sign-in: password, then TOTP (or its enrolment).
		{"GET", "/masuk", public, s.signInForm},
		{"POST", "/masuk", public, s.limited(s.signInLimit, s.signIn)},
		{"GET", "/masuk/totp", public, s.totpForm},
		{"POST", "/masuk/totp", public, s.limited(s.signInLimit, s.totpSubmit)},
		{"GET", "/masuk/totp/daftar", public, s.enrolForm},
		{"POST", "/masuk/totp/daftar", public, s.limited(s.signInLimit, s.enrolSubmit)},
		// Employee sign-in: NIP, then the e-mailed code or link.
		{"GET", "/masuk/lupa", public, s.forgotForm},
		{"POST", "/masuk/lupa", public, s.limited(s.codeLimit, s.forgotSubmit)},
		{"GET", "/masuk/sandi-baru/{token}", public, s.resetForm},
		{"POST", "/masuk/sandi-baru/{token}", public, s.limited(s.signInLimit, s.resetSubmit)},
		{"GET", "/masuk/pegawai", public, s.employeeSignInForm},
		{"POST", "/masuk/pegawai", public, s.limited(s.codeLimit, s.requestCode)},
		{"GET", "/masuk/pegawai/kode", public, s.codeForm},
		{"POST", "/masuk/pegawai/kode", public, s.limited(s.codeLimit, s.codeSubmit)},
		{"GET", "/masuk/tautan/{token}", public, s.linkForm},
		{"POST", "/masuk/tautan/{token}", public, s.limited(s.codeLimit, s.linkSubmit)},
		{"POST", "/keluar", public, s.signOut},

		// Home, the employee's own page, the account.
		{"GET", "/{$}", signedIn, s.home},
		{"GET", "/saya", self, s.me},
		{"GET", "/akun", signedIn, s.account},
		{"POST", "/akun/sandi", signedIn, s.changePassword},
		{"GET", "/akun/totp", signedIn, s.totpChangeForm},
		{"POST", "/akun/totp", signedIn, s.totpChange},
		{"POST", "/akun/kode-pemulihan", signedIn, s.regenerateRecovery},
		{"POST", "/akun/sesi/{ref}/akhiri", signedIn, s.endSession},
		{"POST", "/akun/keluar-semua", signedIn, s.signOutEverywhere},

		// Governments and their organisation trees.
		{"GET", "/instansi", netra.PermTenantRead, s.tenantList},
		{"GET", "/instansi/baru", netra.PermTenantManage, s.tenantNewForm},
		{"POST", "/instansi", netra.PermTenantManage, s.tenantCreate},
		{"GET", "/instansi/{id}", netra.PermTenantRead, s.tenantPage},
		{"GET", "/instansi/{id}/unit", netra.PermUnitRead, s.unitTree},
		{"GET", "/instansi/{id}/unit/baru", netra.PermUnitManage, s.unitNewForm},
		{"POST", "/instansi/{id}/unit", netra.PermUnitManage, s.unitCreate},
		{"GET", "/unit/{id}", netra.PermUnitRead, s.unitPage},
		{"GET", "/unit/{id}/ubah", netra.PermUnitManage, s.unitEditForm},
		{"POST", "/unit/{id}/ubah", netra.PermUnitManage, s.unitUpdate},
		{"POST", "/unit/{id}/pindah", netra.PermUnitManage, s.unitMove},
		{"POST", "/unit/{id}/tutup", netra.PermUnitManage, s.unitClose},
		// Office holders of a government (office.go): read in scope, written by
		// the government's own admin (the store checks unit.manage on it).
		{"GET", "/instansi/{id}/pejabat", netra.PermTenantRead, s.officeList},
		{"POST", "/instansi/{id}/pejabat", netra.PermUnitManage, s.officeSave},
		{"POST", "/instansi/{id}/pejabat/hapus", netra.PermUnitManage, s.officeDelete},

		// Employees.
		{"GET", "/pegawai", netra.PermEmployeeRead, s.employeeList},
		{"GET", "/pegawai/baru", netra.PermEmployeeWrite, s.employeeNewForm},
		{"POST", "/pegawai", netra.PermEmployeeWrite, s.employeeCreate},
		{"GET", "/pegawai/{id}", netra.PermEmployeeRead, s.employeePage},
		{"GET", "/pegawai/{id}/ubah", netra.PermEmployeeWrite, s.employeeEditForm},
		{"POST", "/pegawai/{id}/ubah", netra.PermEmployeeWrite, s.employeeUpdate},
		// Acting and past positions (position.go).
		{"GET", "/pegawai/{id}/penugasan", netra.PermEmployeeWrite, s.assignmentNewForm},
		{"POST", "/pegawai/{id}/penugasan", netra.PermEmployeeWrite, s.assignmentCreate},
		{"POST", "/pegawai/{id}/penugasan/hapus", netra.PermEmployeeWrite, s.assignmentDelete},
		// Bulk changes and exports of the list (employee_list.go).
		{"POST", "/pegawai/massal", netra.PermEmployeeWrite, s.employeeBulk},
		{"GET", "/pegawai/massal", netra.PermAuditRead, s.employeeBulkList},
		{"GET", "/pegawai/ekspor.csv", netra.PermEmployeeRead, s.employeeExport("csv")},
		{"GET", "/pegawai/ekspor.xlsx", netra.PermEmployeeRead, s.employeeExport("xlsx")},

		// Roster imports.
		{"GET", "/impor", netra.PermImport, s.importHome},
		{"POST", "/impor", netra.PermImport, s.importUpload},
		{"GET", "/impor/contoh.csv", netra.PermImport, s.importSample},
		{"GET", "/impor/{id}", netra.PermImport, s.importPage},
		{"GET", "/impor/{id}/ditolak.csv", netra.PermImport, s.importProblemsCSV},
		{"POST", "/impor/{id}/konfirmasi", netra.PermImport, s.importConfirm},
		{"POST", "/impor/{id}/batal", netra.PermImport, s.importCancel},
		// Pending transfers between governments: listed for either side
		// (the store checks which), decided with employee.write over the
		// sending government (or a common ancestor's admin).
		{"GET", "/mutasi", netra.PermEmployeeRead, s.transferList},
		{"POST", "/mutasi/{id}/konfirmasi", netra.PermEmployeeWrite, s.transferDecide(true)},
		{"POST", "/mutasi/{id}/tolak", netra.PermEmployeeWrite, s.transferDecide(false)},

		// Users, roles and API tokens.
		{"GET", "/pengguna", netra.PermUserManage, s.userList},
		{"GET", "/pengguna/baru", netra.PermUserManage, s.userNewForm},
		{"POST", "/pengguna", netra.PermUserManage, s.userCreate},
		{"GET", "/pengguna/{id}", netra.PermUserManage, s.userPage},
		{"POST", "/pengguna/{id}/peran", netra.PermUserManage, s.userGrant},
		{"POST", "/pengguna/{id}/peran/{grant}/hapus", netra.PermUserManage, s.userRevoke},
		{"POST", "/pengguna/{id}/sandi", netra.PermUserManage, s.userResetPassword},
		{"POST", "/pengguna/{id}/totp", netra.PermUserManage, s.userResetTOTP},
		{"POST", "/pengguna/{id}/status", netra.PermUserManage, s.userSetStatus},
		{"GET", "/token", netra.PermUserManage, s.tokenList},
		{"POST", "/token", netra.PermUserManage, s.tokenCreate},
		{"POST", "/token/{id}/cabut", netra.PermUserManage, s.tokenRevoke},

		// The audit log.
		{"GET", "/audit", netra.PermAuditRead, s.auditList},
		{"GET", "/audit/ekspor.csv", netra.PermAuditRead, s.auditExport("csv")},
		{"GET", "/audit/ekspor.xlsx", netra.PermAuditRead, s.auditExport("xlsx")},

		// The election calendar (election.go): public to read; written by the
		// national government's admin only (the store refuses a city's or a
		// province's admin, who holds election.manage by role).
		{"GET", "/pemilu", public, s.electionList},
		{"GET", "/pemilu/baru", netra.PermElectionManage, s.electionNewForm},
		{"POST", "/pemilu", netra.PermElectionManage, s.electionCreate},
		{"GET", "/pemilu/{id}", public, s.electionPage},
		{"GET", "/pemilu/{id}/ubah", netra.PermElectionManage, s.electionEditForm},
		{"POST", "/pemilu/{id}/ubah", netra.PermElectionManage, s.electionUpdate},
		{"POST", "/pemilu/{id}/hapus", netra.PermElectionManage, s.electionDelete},
		{"POST", "/pemilu/{id}/tahapan", netra.PermElectionManage, s.stageSave},
		{"POST", "/pemilu/{id}/tahapan/hapus", netra.PermElectionManage, s.stageDelete},
		{"GET", "/api/v1/elections", public, s.apiElections},
		{"POST", "/api/v1/elections", netra.PermElectionManage, s.apiElectionCreate},
		{"GET", "/api/v1/elections/{id}", public, s.apiElection},
		{"PATCH", "/api/v1/elections/{id}", netra.PermElectionManage, s.apiElectionUpdate},
		{"DELETE", "/api/v1/elections/{id}", netra.PermElectionManage, s.apiElectionDelete},
		{"POST", "/api/v1/elections/{id}/stages", netra.PermElectionManage, s.apiStageCreate},
		{"PATCH", "/api/v1/elections/{id}/stages/{stage}", netra.PermElectionManage, s.apiStageUpdate},
		{"DELETE", "/api/v1/elections/{id}/stages/{stage}", netra.PermElectionManage, s.apiStageDelete},
		{"GET", "/api/v1/election-stage", public, s.apiElectionStage},

		// Pledges (pledge*.go). The employee's own: the campaigns that ask
		// them to sign, signing, their certificate.
		{"GET", "/ikrar", self, s.pledgeList},
		{"GET", "/ikrar/{id}", self, s.pledgeSignPage},
		{"POST", "/ikrar/{id}", self, s.pledgeSign},
		{"GET", "/ikrar/{id}/sertifikat.pdf", self, s.pledgeMyCertificate},
		// Public verification of a certificate: by code, typed or uploaded.
		{"GET", "/v", public, s.limited(verifyLimit, s.pledgeVerifyForm)},
		{"GET", "/v/{code}", public, s.limited(verifyLimit, s.pledgeVerifyCode)},
		{"POST", "/v", public, s.limited(verifyLimit, s.pledgeVerifyUpload)},
		// The operators': texts, campaigns, paper and ceremony records,
		// signatures (read with duty.read, revoked with duty.manage).
		{"GET", "/ikrar/kelola", netra.PermDutyManage, s.pledgeManageHome},
		{"GET", "/instansi/{id}/ikrar", netra.PermDutyManage, s.pledgeAdmin},
		{"POST", "/instansi/{id}/ikrar/teks-bawaan", netra.PermDutyManage, s.pledgeInstallShipped},
		{"GET", "/instansi/{id}/ikrar/teks/baru", netra.PermDutyManage, s.pledgeTemplateNewForm},
		{"POST", "/instansi/{id}/ikrar/teks", netra.PermDutyManage, s.pledgeTemplateCreate},
		{"GET", "/instansi/{id}/ikrar/teks/{template}", netra.PermDutyManage, s.pledgeTemplatePage},
		{"POST", "/instansi/{id}/ikrar/teks/{template}", netra.PermDutyManage, s.pledgeTemplateVersion},
		{"GET", "/instansi/{id}/ikrar/kampanye/baru", netra.PermDutyManage, s.pledgeCampaignNewForm},
		{"POST", "/instansi/{id}/ikrar/kampanye", netra.PermDutyManage, s.pledgeCampaignCreate},
		{"GET", "/instansi/{id}/ikrar/kampanye/{campaign}", netra.PermDutyManage, s.pledgeCampaignPage},
		{"POST", "/instansi/{id}/ikrar/kampanye/{campaign}/luncurkan", netra.PermDutyManage, s.pledgeCampaignLaunch},
		{"POST", "/instansi/{id}/ikrar/kampanye/{campaign}/kertas", netra.PermDutyManage, s.pledgePaper},
		{"POST", "/instansi/{id}/ikrar/kampanye/{campaign}/upacara", netra.PermDutyManage, s.pledgeCeremony},
		{"GET", "/instansi/{id}/ikrar/tanda-tangan/{signature}", netra.PermDutyRead, s.pledgeSignaturePage},
		{"POST", "/instansi/{id}/ikrar/tanda-tangan/{signature}/cabut", netra.PermDutyManage, s.pledgeRevoke},
		{"GET", "/ikrar/tanda-tangan/{id}/sertifikat.pdf", netra.PermDutyRead, s.pledgeCertificate},
		// The coverage of duties (duty_coverage*.go), the same pages for every
		// kind (pledge, circular, session): read with duty.read (an oversight
		// permission: a province reads its regencies'), the store narrowing it
		// to the reader's units; excusing needs duty.manage over the employee.
		{"GET", "/tugas", netra.PermDutyRead, s.dutyList},
		{"GET", "/tugas/{id}", netra.PermDutyRead, s.dutyCoverage},
		{"GET", "/tugas/{id}/belum", netra.PermDutyRead, s.dutyPending},
		{"POST", "/tugas/{id}/kecualikan", netra.PermDutyManage, s.dutyExcuse},
		{"GET", "/tugas/{id}/ekspor.xlsx", netra.PermDutyRead, s.dutyExportXLSX},
		{"GET", "/tugas/{id}/ekspor.pdf", netra.PermDutyRead, s.dutyExportPDF},
		{"GET", "/tugas/{id}/belum.xlsx", netra.PermDutyRead, s.dutyPendingXLSX},

		// JSON API (session cookie or Authorization: Bearer).
		{"GET", "/api/v1/me", signedIn, s.apiMe},
		{"GET", "/api/v1/tenants", netra.PermTenantRead, s.apiTenants},
		{"GET", "/api/v1/tenants/{id}", netra.PermTenantRead, s.apiTenant},
		{"GET", "/api/v1/tenants/{id}/units", netra.PermUnitRead, s.apiUnits},
		{"POST", "/api/v1/tenants/{id}/units", netra.PermUnitManage, s.apiUnitCreate},
		{"GET", "/api/v1/units", netra.PermUnitRead, s.apiUnitSearch},
		{"GET", "/api/v1/units/{id}", netra.PermUnitRead, s.apiUnit},
		{"PATCH", "/api/v1/units/{id}", netra.PermUnitManage, s.apiUnitUpdate},
		{"POST", "/api/v1/units/{id}/move", netra.PermUnitManage, s.apiUnitMove},
		{"POST", "/api/v1/units/{id}/close", netra.PermUnitManage, s.apiUnitClose},
		{"GET", "/api/v1/employees", netra.PermEmployeeRead, s.apiEmployees},
		{"POST", "/api/v1/employees", netra.PermEmployeeWrite, s.apiEmployeeCreate},
		{"GET", "/api/v1/employees/{id}", netra.PermEmployeeRead, s.apiEmployee},
		{"PATCH", "/api/v1/employees/{id}", netra.PermEmployeeWrite, s.apiEmployeeUpdate},
		{"GET", "/api/v1/employees/{id}/history", netra.PermEmployeeRead, s.apiEmployeeHistory},
		{"GET", "/api/v1/employees/{id}/identifiers", netra.PermEmployeeRead, s.apiEmployeeIdentifiers},
		{"GET", "/api/v1/employees/{id}/superiors", netra.PermEmployeeRead, s.apiSuperiors},
		{"GET", "/api/v1/employees/{id}/assignments", netra.PermEmployeeRead, s.apiAssignments},
		{"POST", "/api/v1/employees/{id}/assignments", netra.PermEmployeeWrite, s.apiAssignmentCreate},
		{"DELETE", "/api/v1/employees/{id}/assignments/{assignment}", netra.PermEmployeeWrite, s.apiAssignmentDelete},
		{"GET", "/api/v1/tenants/{id}/office-holders", netra.PermTenantRead, s.apiOfficeHolders},
		{"POST", "/api/v1/tenants/{id}/office-holders", netra.PermUnitManage, s.apiOfficeHolderCreate},
		{"GET", "/api/v1/office-holders/{id}", netra.PermTenantRead, s.apiOfficeHolder},
		{"PATCH", "/api/v1/office-holders/{id}", netra.PermUnitManage, s.apiOfficeHolderUpdate},
		{"DELETE", "/api/v1/office-holders/{id}", netra.PermUnitManage, s.apiOfficeHolderDelete},
		{"GET", "/api/v1/imports", netra.PermImport, s.apiImports},
		{"POST", "/api/v1/imports", netra.PermImport, s.apiImportCreate},
		{"GET", "/api/v1/imports/{id}", netra.PermImport, s.apiImport},
		{"GET", "/api/v1/imports/{id}/problems", netra.PermImport, s.apiImportProblems},
		{"POST", "/api/v1/imports/{id}/confirm", netra.PermImport, s.apiImportConfirm},
		{"POST", "/api/v1/imports/{id}/cancel", netra.PermImport, s.apiImportCancel},
		{"GET", "/api/v1/transfers", netra.PermEmployeeRead, s.apiTransfers},
		{"POST", "/api/v1/transfers/{id}/confirm", netra.PermEmployeeWrite, s.apiTransferDecide(true)},
		{"POST", "/api/v1/transfers/{id}/refuse", netra.PermEmployeeWrite, s.apiTransferDecide(false)},
		{"GET", "/api/v1/users", netra.PermUserManage, s.apiUsers},
		{"POST", "/api/v1/users", netra.PermUserManage, s.apiUserCreate},
		{"GET", "/api/v1/users/{id}", netra.PermUserManage, s.apiUser},
		{"POST", "/api/v1/users/{id}/grants", netra.PermUserManage, s.apiGrantCreate},
		{"DELETE", "/api/v1/users/{id}/grants/{grant}", netra.PermUserManage, s.apiGrantDelete},
		{"GET", "/api/v1/tokens", netra.PermUserManage, s.apiTokens},
		{"POST", "/api/v1/tokens", netra.PermUserManage, s.apiTokenCreate},
		{"DELETE", "/api/v1/tokens/{id}", netra.PermUserManage, s.apiTokenRevoke},
		{"GET", "/api/v1/audit", netra.PermAuditRead, s.apiAudit},

		// The employee's inbox and duties (inbox.go): their own, on their
		// home page and in the API.
		{"POST", "/saya/pemberitahuan/dibaca", self, s.noticesRead},
		{"POST", "/saya/pemberitahuan/{id}", self, s.noticeOpen},
		{"GET", "/api/v1/me/notices", self, s.apiMyNotices},
		{"POST", "/api/v1/me/notices/{id}/read", self, s.apiNoticeRead},
		{"GET", "/api/v1/me/duties", self, s.apiMyDuties},
		// Signing a pledge: the employee alone, for themself (api_pledge.go).
		{"POST", "/api/v1/pledge-campaigns/{id}/sign", self, s.apiPledgeSign},
	}
}

// knownPerm reports whether p is a permission a route may name.
func knownPerm(p netra.Permission) bool {
	return p == netra.PermPublic || p == netra.PermSignedIn || slices.Contains(netra.Permissions, p)
}

// router registers the routes on a ServeMux. It refuses a route without a
// known permission or handler, and a pattern listed twice or in conflict.
func (s *Server) router(routes []route) (mux *http.ServeMux, err error) {
	mux = http.NewServeMux()
	defer func() {
		if v := recover(); v != nil { // ServeMux panics on conflicting patterns
			mux, err = nil, fmt.Errorf("web: route table: %v", v)
		}
	}()
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		switch {
		case rt.Perm == "":
			return nil, fmt.Errorf("web: route %s names no permission", key)
		case !knownPerm(rt.Perm):
			return nil, fmt.Errorf("web: route %s names unknown permission %q", key, rt.Perm)
		case rt.Handle == nil:
			return nil, fmt.Errorf("web: route %s has no handler", key)
		case seen[key]:
			return nil, fmt.Errorf("web: route %s listed twice", key)
		}
		seen[key] = true
		mux.Handle(key, s.handle(rt))
	}
	mux.Handle("/", s.notFound(mux))
	return mux, nil
}

// handle checks the route's permission and runs its handler.
func (s *Server) handle(rt route) http.Handler {
	key := rt.Method + " " + rt.Pattern
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := info(r)
		in.route, in.perm = key, rt.Perm
		if err := authorize(in.actor, rt.Perm); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.Handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authorize checks that actor holds p somewhere; the store narrows it to
// the actor's scope.
func authorize(a *netra.Actor, p netra.Permission) error {
	if p == netra.PermPublic {
		return nil
	}
	if a == nil {
		return netra.ErrUnauthenticated
	}
	if !a.Can(p) {
		return fmt.Errorf("route needs %s: %w", p, netra.ErrForbidden)
	}
	return nil
}
