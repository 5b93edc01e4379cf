// Package actor carries who is calling, and from which request, through a context.Context.
// Auth puts the Actor in; audit and the domain services read it. It knows nothing of HTTP.
package actor

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

// Kind says what sort of principal an Actor is.
type Kind string

const (
	User      Kind = "user"     // a person with a Puente account
	Client    Kind = "client"   // a service account or partner system (client credentials)
	External  Kind = "external" // a person or system vouched for by the external identity provider
	System    Kind = "system"   // Puente itself: migrations, demo data, the CLI
	Anonymous Kind = "anonymous"
)

// Role is a bundle of permissions. Roles decide scopes; see auth.ScopesFor.
type Role string

const (
	Admin       Role = "admin"
	Coordinator Role = "coordinator"
	Editor      Role = "editor"
	Partner     Role = "partner"
	Viewer      Role = "viewer"
	Importer    Role = "importer"
)

// Roles lists every role, in the order the README documents them.
var Roles = []Role{Admin, Coordinator, Editor, Partner, Viewer, Importer}

// Actor is an authenticated principal.
type Actor struct {
	Kind          Kind
	ID            string // user or client UUID, or the external subject
	Label         string // email, client id: what a person reading the audit trail recognises
	Name          string
	Roles         []Role
	Scopes        []string
	InstitutionID *uuid.UUID
}

// HasScope reports whether the actor's token grants scope.
func (a Actor) HasScope(scope string) bool { return slices.Contains(a.Scopes, scope) }

// HasRole reports whether the actor holds role.
func (a Actor) HasRole(role Role) bool { return slices.Contains(a.Roles, role) }

// ScopedToInstitution reports whether the actor's writes are limited to its own institution's
// records: editors and partners are, unless another role they hold lifts the limit.
func (a Actor) ScopedToInstitution() bool {
	if a.Kind == System || a.HasRole(Admin) || a.HasRole(Coordinator) || a.HasRole(Importer) {
		return false
	}
	return true
}

// SystemActor is Puente acting on its own behalf.
var SystemActor = Actor{Kind: System, ID: "puente", Label: "puente"}

// Request describes the request a piece of work belongs to.
type Request struct {
	ID       string
	ClientIP string
	// Accept is the media types the caller accepts, for the few operations that can answer in
	// more than one (the strict handlers see no headers the contract does not declare).
	Accept string
}

type actorKey struct{}
type requestKey struct{}

// With returns ctx carrying a.
func With(ctx context.Context, a Actor) context.Context { return context.WithValue(ctx, actorKey{}, a) }

// From returns the actor in ctx, or an Anonymous one.
func From(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: Anonymous}
}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request in ctx (zero when there is none, e.g. in the CLI).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
