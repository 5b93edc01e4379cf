package territory_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/institutions"
)

// terrPoint is a service point as the API renders it.
type terrPoint struct {
	ID         string  `json:"id"`
	ServiceID  string  `json:"service_id"`
	Region     string  `json:"region"`
	ProviderID string  `json:"provider_id"`
	Channel    string  `json:"channel"`
	Address    *string `json:"address"`
	Notes      *string `json:"notes"`
	Demo       bool    `json:"demo"`
	Version    int64   `json:"version"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
	ArchivedAt *string `json:"archived_at"`
}

func terrSys() context.Context { return actor.With(context.Background(), actor.SystemActor) }

func terrDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// terrFixture is a database with services and institutions to point at.
type terrFixture struct {
	env   *apitest.Env
	admin string
	// services by code: SRV-RETURN, SRV-SAFE, SRV-FAIR
	svc map[string]string
	// institutions: mre (a root) with ode (its regional office) below it; gore (another root)
	mre, ode, gore uuid.UUID
}

func terrSetup(t *testing.T) terrFixture {
	t.Helper()
	env := apitest.New(t)
	f := terrFixture{env: env, admin: env.AdminToken(t), svc: map[string]string{}}
	f.mre = terrUnit(t, env, "PE-MRE", nil)
	f.ode = terrUnit(t, env, "PE-MRE-ODE-CUSCO", &f.mre)
	f.gore = terrUnit(t, env, "PE-GORE-JUNIN", nil)
	for _, code := range []string{"SRV-RETURN", "SRV-SAFE", "SRV-FAIR"} {
		f.svc[code] = apitest.Create[struct {
			ID string `json:"id"`
		}](t, env, f.admin, "/v1/services", map[string]any{"code": code, "name": map[string]any{"es": "Servicio " + code},
			"status": "existing"}).ID
	}
	return f
}

// terrUnit creates an institution (below parent when given) and returns its id.
func terrUnit(t *testing.T, env *apitest.Env, code string, parent *uuid.UUID) uuid.UUID {
	t.Helper()
	inst, err := env.App.Institutions.Create(terrSys(), institutions.Fields{Code: code, NameES: new("Unidad " + code),
		Kind: "other", Tier: "regional", ParentID: parent})
	if err != nil {
		t.Fatalf("institution %s: %v", code, err)
	}
	return inst.ID
}

// terrBody is a valid service point body.
func terrBody(service string, region string, provider uuid.UUID, channel string) map[string]any {
	return map[string]any{"service_id": service, "region": region, "provider_id": provider.String(), "channel": channel}
}
