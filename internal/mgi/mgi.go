// Package mgi is IOM's Migration Governance Indicators in Puente: the framework (indicators in
// the six MiGOF-based domains, data loaded through the import path), assessments of a country in
// a year with their conventions table, each indicator's answer (absent, partial, complete) with
// its evidence, the findings of an assessment linked to the mandate functions and blueprint
// articles that answer them, and the comparison of two assessments of one country.
//
// The framework and the assessments belong to the whole action, not to one unit, so only
// unscoped callers (coordinators, admins, importers, the system) write any of it; editors and
// partners read it.
package mgi

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
)

// Vocabularies of the framework and its assessments, as the contract and the schema name them.
var (
	// Domains are the six MGI domains, after the Migration Governance Framework (MiGOF), in the
	// framework's order.
	Domains = []string{"migrant_rights", "whole_of_government", "partnerships", "well_being",
		"mobility_dimensions_of_crises", "safe_orderly_regular_migration"}
	// Answers are the values an indicator is answered with, from least to most developed.
	Answers = []string{"absent", "partial", "complete"}
	// FindingKinds are what a finding says of an area.
	FindingKinds = []string{"well_developed", "area_for_development"}
)

// Limits the contract states.
const (
	maxLinks       = 100   // ids in one list of references
	maxConventions = 100   // rows of an assessment's conventions table
	maxPosition    = 10000 // an indicator's position
)

// Page is what every list takes besides its own filters.
type Page = records.Page

// Meta is what every stored record carries besides its fields.
type Meta = records.Meta

// Text is a text in Spanish and English, either of which may be missing.
type Text struct {
	ES *string `json:"es,omitempty"`
	EN *string `json:"en,omitempty"`
}

func (t Text) empty() bool { return blank(t.ES) && blank(t.EN) }

func blank(s *string) bool { return s == nil || *s == "" }

// textAPI is the API form of an optional long text: absent when neither language is given.
func textAPI(t Text) *api.LongLocalizedText {
	if t.ES == nil && t.EN == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: t.ES, En: t.EN}
}

func textFrom(t *api.LongLocalizedText) Text {
	if t == nil {
		return Text{}
	}
	return Text{ES: t.Es, EN: t.En}
}

// orders of the lists. An assessment's year orders as the first day of that year, since the
// store's keyset positions are codes, times or dates.
var (
	codeOrders = paging.Orders{
		"code":       {Field: "code", Column: "code", Type: "text"},
		"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	}
	createdOrders = paging.Orders{
		"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	}
	assessmentOrders = paging.Orders{
		"year":       {Field: "year", Column: "make_date(year, 1, 1)", Type: "date"},
		"code":       {Field: "code", Column: "code", Type: "text"},
		"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	}
)

// links adds to e what is wrong with a list of ids: too many, or one listed twice.
func links(e *apperr.Error, field string, ids []uuid.UUID) {
	if len(ids) > maxLinks {
		e.WithField(field, fmt.Sprintf("at most %d", maxLinks))
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			e.WithField(field+"."+strconv.Itoa(i), "listed twice")
		}
	}
}

// ids is an optional API list of ids as a list (nil for none).
func ids(in *[]uuid.UUID) []uuid.UUID {
	if in == nil {
		return nil
	}
	return append([]uuid.UUID{}, *in...)
}

// idsAPI is a list of ids as the API writes it: always present, never null.
func idsAPI(in []uuid.UUID) *[]uuid.UUID {
	out := append([]uuid.UUID{}, in...)
	return &out
}

// page reads the query parameters every list has.
func page[O ~string](size *int, token *string, archived *bool, codes *[]string, order *O) Page {
	p := Page{PageSize: paging.Size(size)}
	if token != nil {
		p.PageToken = *token
	}
	if archived != nil {
		p.IncludeArchived = *archived
	}
	if codes != nil {
		p.Codes = *codes
	}
	if order != nil {
		p.OrderBy = string(*order)
	}
	return p
}
