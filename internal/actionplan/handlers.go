// Package actionplan is the plan of an action: the action, its expected results with their
// indicators, its activities, and the timeline that merges them with the deliverables.
//
// The plan belongs to the whole action, not to one unit, so only unscoped callers (coordinators,
// admins, importers, the system) write any of it; editors and partners read it.
package actionplan

import (
	"time"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve the action plan operations of the contract.
type Handlers struct {
	db *database.DB
}

// NewHandlers returns the action plan handlers. They take the institution tree as every area's
// do, and need none: no write of the plan is scoped to an institution.
func NewHandlers(db *database.DB, _ scope.Tree) *Handlers { return &Handlers{db: db} }

// Text is a text in Spanish and English, either of which may be missing. Its JSON form is the
// API's and the stored one (objectives, indicator names).
type Text struct {
	ES *string `json:"es,omitempty"`
	EN *string `json:"en,omitempty"`
}

func (t Text) empty() bool { return aplBlank(t.ES) && aplBlank(t.EN) }

func aplBlank(s *string) bool { return s == nil || *s == "" }

// aplDay is t's calendar date at midnight UTC, as a date column stores it.
func aplDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// aplDates adds to e what is wrong with a start and an end date: both are needed, and the end
// may not come before the start.
func aplDates(e *apperr.Error, start, end time.Time) {
	if start.IsZero() {
		e.WithField("start_date", "is required")
	}
	if end.IsZero() {
		e.WithField("end_date", "is required")
	}
	if !start.IsZero() && !end.IsZero() && aplDay(end).Before(aplDay(start)) {
		e.WithField("end_date", "is before the start date")
	}
}
