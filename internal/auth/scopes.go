package auth

import (
	"slices"
	"strings"

	"github.com/puente-mre/puente/internal/actor"
)

// Scopes, as declared in openapi.yaml's oauth2 scheme. Each operation's security requirement
// names the scopes it needs; the validator enforces them in Authenticate.
const (
	ScopeInstitutionsRead    = "institutions:read"
	ScopeInstitutionsWrite   = "institutions:write"
	ScopeAuditRead           = "audit:read"
	ScopeAccountsManage      = "accounts:manage"
	ScopeMandatesRead        = "mandates:read"
	ScopeMandatesWrite       = "mandates:write"
	ScopeMandatesAdopt       = "mandates:adopt"
	ScopeStocktakeRead       = "stocktake:read"
	ScopeStocktakeWrite      = "stocktake:write"
	ScopePracticesRead       = "practices:read"
	ScopePracticesWrite      = "practices:write"
	ScopePracticesReview     = "practices:review"
	ScopeDeliverablesRead    = "deliverables:read"
	ScopeDeliverablesWrite   = "deliverables:write"
	ScopeDeliverablesApprove = "deliverables:approve"
	ScopeCoordinationRead    = "coordination:read"
	ScopeCoordinationWrite   = "coordination:write"
	ScopeImportsRead         = "imports:read"
	ScopeImportsWrite        = "imports:write"
)

var (
	readScopes  = []string{ScopeInstitutionsRead, ScopeMandatesRead, ScopeStocktakeRead, ScopePracticesRead, ScopeDeliverablesRead, ScopeCoordinationRead}
	writeScopes = []string{ScopeInstitutionsWrite, ScopeMandatesWrite, ScopeStocktakeWrite, ScopePracticesWrite, ScopeDeliverablesWrite, ScopeCoordinationWrite}
	// Whoever writes records may import them (editors and partners only their institution's,
	// as each row is checked); what they may import is further bounded by the write scopes.
	importScopes = []string{ScopeImportsRead, ScopeImportsWrite}
)

// roleScopes is the one table that says what each role may do. Which records a scoped role
// (editor, partner) may write is decided by each service; see actor.ScopedToInstitution.
var roleScopes = map[actor.Role][]string{
	actor.Admin:       concat(readScopes, writeScopes, importScopes, []string{ScopeAuditRead, ScopeAccountsManage, ScopeMandatesAdopt, ScopePracticesReview, ScopeDeliverablesApprove}),
	actor.Coordinator: concat(readScopes, writeScopes, importScopes, []string{ScopeAuditRead, ScopeMandatesAdopt, ScopePracticesReview, ScopeDeliverablesApprove}),
	actor.Editor:      concat(readScopes, writeScopes, importScopes),
	actor.Partner:     concat(readScopes, importScopes, []string{ScopeInstitutionsWrite, ScopeStocktakeWrite, ScopePracticesWrite, ScopeCoordinationWrite}),
	actor.Importer:    concat(readScopes, writeScopes, importScopes),
	actor.Viewer:      readScopes,
}

// ScopesFor returns the union of the scopes of roles, sorted.
func ScopesFor(roles []actor.Role) []string {
	var out []string
	for _, r := range roles {
		out = append(out, roleScopes[r]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ParseRoles keeps the known roles among names.
func ParseRoles(names []string) []actor.Role {
	var out []actor.Role
	for _, n := range names {
		if r := actor.Role(strings.ToLower(strings.TrimSpace(n))); slices.Contains(actor.Roles, r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// ValidRole reports whether name is a role.
func ValidRole(name string) bool { return slices.Contains(actor.Roles, actor.Role(name)) }

// narrow returns the requested scopes if all are within allowed, or all of allowed when nothing
// was requested. ok is false when a requested scope is not allowed.
func narrow(allowed []string, requested string) (scopes []string, ok bool) {
	req := strings.Fields(requested)
	if len(req) == 0 {
		return allowed, true
	}
	for _, s := range req {
		if !slices.Contains(allowed, s) {
			return nil, false
		}
	}
	slices.Sort(req)
	return slices.Compact(req), true
}

func concat(parts ...[]string) []string { return slices.Concat(parts...) }
