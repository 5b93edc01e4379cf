// Package institutions keeps the tree of organisational units — Peruvian ministries, directorates
// and units, partner agencies, foreign peers and international organisations — that every other
// resource area refers to.
package institutions

import (
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
)

// Kinds, tiers and statuses an institution may have.
var (
	Kinds = []string{"ministry", "directorate_general", "directorate", "sub_directorate", "department", "agency",
		"commission", "working_group", "regional_round_table", "consular_mission", "international_organization", "other"}
	Tiers    = []string{"national", "regional", "local", "international"}
	Statuses = []string{"active", "proposed", "dissolved"}
)

var (
	codePattern    = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,63}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Fields are the parts of an institution its users write.
type Fields struct {
	Code          string
	NameES        *string
	NameEN        *string
	Acronym       *string
	Kind          string
	ParentID      *uuid.UUID
	Country       *string
	Tier          string
	Status        string
	EstablishedOn *time.Time
	DissolvedOn   *time.Time
	DescriptionES *string
	DescriptionEN *string
	Website       *string
}

// Institution is a stored institution.
type Institution struct {
	ID uuid.UUID
	Fields
	Demo       bool
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every institution obeys, whoever writes it (API, import, CLI).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *Fields) Validate() error {
	if f.Status == "" {
		f.Status = "active"
	}
	e := apperr.New(apperr.Unprocessable, "the institution is not valid")
	if !codePattern.MatchString(f.Code) {
		e.WithField("code", "must be 1–64 upper-case letters, digits or hyphens, starting with a letter or digit")
	}
	if empty(f.NameES) && empty(f.NameEN) {
		e.WithField("name", "needs a Spanish or an English name")
	}
	if !slices.Contains(Kinds, f.Kind) {
		e.WithField("kind", "unknown kind")
	}
	if !slices.Contains(Tiers, f.Tier) {
		e.WithField("tier", "unknown tier")
	}
	if !slices.Contains(Statuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	if f.Country != nil && !countryPattern.MatchString(*f.Country) {
		e.WithField("country", "must be an ISO 3166-1 alpha-2 code such as PE")
	}
	if f.EstablishedOn != nil && f.DissolvedOn != nil && f.DissolvedOn.Before(*f.EstablishedOn) {
		e.WithField("dissolved_on", "is before established_on")
	}
	if f.Website != nil {
		if u, err := url.Parse(*f.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			e.WithField("website", "must be an http or https URL")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func empty(s *string) bool { return s == nil || *s == "" }
