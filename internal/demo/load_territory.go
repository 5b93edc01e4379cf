package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/territory"
)

// The territorial approach: where services of the demo menu are delivered in Peru's regions.
//
// Seed files (in /work/shared/seeds/):
//   - 002_17ab39c93cec1f09.txt: "Through the decentralized offices of the MRE, intersectoral round
//     tables have been established in 12 regions of the country."
//   - 003_11446be5581ffeeb.txt: regional and local governments are the "front line" of access to
//     public programmes and services and can respond with a territorial approach.
//
// No seed names an office, a regional government delivering a service, or a place: which
// offices and governments exist here, which services they deliver and where are assumptions of
// the demo data. Every institution created here and every service point is marked demo, and each
// point's notes say so (TerritoryDemoNote).

// TerritoryDemoNote is the notes of every demo service point.
const TerritoryDemoNote = "Datos de demostración: punto de atención supuesto, no consta en las fuentes. " +
	"Demo: an assumed service point, not stated by the sources."

// TerritoryInstitution is a demo provider of service points: an office of the MRE in a region
// (below PE-MRE) or a regional government. It is created (marked demo) unless an institution
// with its code exists already.
type TerritoryInstitution struct {
	Code, NameES, NameEN, Acronym, Parent string
	Region                                string // the INEI UBIGEO code of its region
}

// TerritoryInstitutions are the demo providers.
var TerritoryInstitutions = []TerritoryInstitution{
	{Code: "PE-MRE-ODE-AREQUIPA", NameES: "Oficina Desconcentrada del MRE en Arequipa", NameEN: "MFA Decentralized Office in Arequipa", Acronym: "ODE Arequipa", Parent: "PE-MRE", Region: "04"},
	{Code: "PE-MRE-ODE-CUSCO", NameES: "Oficina Desconcentrada del MRE en Cusco", NameEN: "MFA Decentralized Office in Cusco", Acronym: "ODE Cusco", Parent: "PE-MRE", Region: "08"},
	{Code: "PE-MRE-ODE-PIURA", NameES: "Oficina Desconcentrada del MRE en Piura", NameEN: "MFA Decentralized Office in Piura", Acronym: "ODE Piura", Parent: "PE-MRE", Region: "20"},
	{Code: "PE-MRE-ODE-PUNO", NameES: "Oficina Desconcentrada del MRE en Puno", NameEN: "MFA Decentralized Office in Puno", Acronym: "ODE Puno", Parent: "PE-MRE", Region: "21"},
	{Code: "PE-MRE-ODE-TACNA", NameES: "Oficina Desconcentrada del MRE en Tacna", NameEN: "MFA Decentralized Office in Tacna", Acronym: "ODE Tacna", Parent: "PE-MRE", Region: "23"},
	{Code: "PE-GORE-JUNIN", NameES: "Gobierno Regional de Junín", NameEN: "Regional Government of Junín", Region: "12"},
	{Code: "PE-GORE-LA-LIBERTAD", NameES: "Gobierno Regional de La Libertad", NameEN: "Regional Government of La Libertad", Region: "13"},
	{Code: "PE-GORE-LAMBAYEQUE", NameES: "Gobierno Regional de Lambayeque", NameEN: "Regional Government of Lambayeque", Region: "14"},
}

// TerritoryPoint is a demo service point: a service of the demo menu (by code) delivered in a
// region by a provider (an institution code) through a channel.
type TerritoryPoint struct {
	Service, Region, Provider, Channel string
}

// TerritoryPoints are the demo service points: returnee reintegration guidance and safe
// migration guidance in several regions, and one Perú Contigo fair.
var TerritoryPoints = []TerritoryPoint{
	{"SRV-RETURN-REINTEGRATION", "04", "PE-MRE-ODE-AREQUIPA", "in_person_peru"},
	{"SRV-RETURN-REINTEGRATION", "08", "PE-MRE-ODE-CUSCO", "in_person_peru"},
	{"SRV-RETURN-REINTEGRATION", "20", "PE-MRE-ODE-PIURA", "in_person_peru"},
	{"SRV-RETURN-REINTEGRATION", "23", "PE-MRE-ODE-TACNA", "in_person_peru"},
	{"SRV-RETURN-REINTEGRATION", "12", "PE-GORE-JUNIN", "in_person_peru"},
	{"SRV-RETURN-REINTEGRATION", "13", "PE-GORE-LA-LIBERTAD", "in_person_peru"},
	{"SRV-SAFE-MIGRATION-INFO", "21", "PE-MRE-ODE-PUNO", "in_person_peru"},
	{"SRV-SAFE-MIGRATION-INFO", "23", "PE-MRE-ODE-TACNA", "in_person_peru"},
	{"SRV-SAFE-MIGRATION-INFO", "12", "PE-GORE-JUNIN", "in_person_peru"},
	{"SRV-SAFE-MIGRATION-INFO", "14", "PE-GORE-LAMBAYEQUE", "in_person_peru"},
	{"SRV-PERU-CONTIGO-FAIR", "08", "PE-MRE-ODE-CUSCO", "in_person_peru"},
}

// loadTerritory creates the demo providers that do not exist yet and the demo service points,
// through the institutions service and the service points' own service (as the system, so rules
// and audit apply). The services come from the demo menu, loaded before, by code.
func loadTerritory(ctx context.Context, db *database.DB, svc *institutions.Service, units map[string]uuid.UUID) error {
	providers := map[string]uuid.UUID{}
	for _, d := range TerritoryInstitutions {
		id, err := territoryInstitution(ctx, svc, units, d)
		if err != nil {
			return fmt.Errorf("demo institution %s: %w", d.Code, err)
		}
		providers[d.Code] = id
	}
	var codes []string
	for _, p := range TerritoryPoints {
		codes = append(codes, p.Service)
	}
	services, err := menuCodeIDs(ctx, db, "services", codes)
	if err != nil {
		return err
	}
	points := territory.NewPoints(db, svc)
	for _, p := range TerritoryPoints {
		service, ok := services[p.Service]
		if !ok {
			return fmt.Errorf("demo service point: unknown service %s", p.Service)
		}
		provider, ok := providers[p.Provider]
		if !ok {
			return fmt.Errorf("demo service point: unknown provider %s", p.Provider)
		}
		if _, err := points.Create(ctx, territory.PointFields{ServiceID: service, Region: p.Region, ProviderID: provider,
			Channel: p.Channel, Notes: opt(TerritoryDemoNote), Demo: true}); err != nil {
			return fmt.Errorf("demo service point %s in %s by %s: %w", p.Service, p.Region, p.Provider, err)
		}
	}
	return nil
}

// territoryInstitution is the id of the institution with d's code: one the demo data has already
// (in units, or created by an earlier step), or a new one created from d, marked demo.
func territoryInstitution(ctx context.Context, svc *institutions.Service, units map[string]uuid.UUID, d TerritoryInstitution) (uuid.UUID, error) {
	if id, ok := units[d.Code]; ok {
		return id, nil
	}
	inst, err := svc.ByCode(ctx, d.Code)
	if err == nil {
		return inst.ID, nil
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.NotFound {
		return uuid.Nil, err
	}
	region := territory.RegionName(d.Region)
	f := institutions.Fields{Code: d.Code, NameES: opt(d.NameES), NameEN: opt(d.NameEN), Acronym: opt(d.Acronym),
		Kind: "other", Tier: "regional", Country: opt("PE"),
		DescriptionES: opt("Datos de demostración: proveedor de servicios en la región " + region + "; no consta en las fuentes."),
		DescriptionEN: opt("Demo: a provider of services in the region of " + region + ", not named by the sources.")}
	if d.Parent != "" {
		parent, ok := units[d.Parent]
		if !ok {
			return uuid.Nil, fmt.Errorf("unknown parent %s", d.Parent)
		}
		f.ParentID = &parent
	}
	inst, err = svc.CreateDemo(ctx, f)
	if err != nil {
		return uuid.Nil, err
	}
	return inst.ID, nil
}
