package mgi

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// Convention is a row of an assessment's conventions table: an international convention and
// whether the country ratified it (and when). Its JSON form is the API's and the stored one.
type Convention struct {
	Name     string `json:"name"`
	Ratified bool   `json:"ratified"`
	Year     *int   `json:"year,omitempty"`
}

// AssessmentFields are the parts of an assessment its users write. Demo marks demo data; only
// Create reads it.
type AssessmentFields struct {
	Code        string
	Country     string // ISO 3166-1 alpha-2
	Year        int
	Title       Text
	PublishedOn *time.Time
	SourceID    *uuid.UUID // the data source (the published profile) it comes from
	Conventions []Convention
	Notes       Text
	Demo        bool
}

// Assessment is a stored assessment of one country in one year.
type Assessment struct {
	Meta
	AssessmentFields
}

// Validate checks the rules every assessment obeys, whoever writes it, except that its source
// exists (the service checks that against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *AssessmentFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the MGI assessment is not valid")
	naturalkey.Check(e, "code", f.Code)
	if _, ok := countries.Lookup(f.Country); !ok {
		e.WithField("country", "not an ISO 3166-1 country")
	}
	if f.Year < 2000 || f.Year > 2100 {
		e.WithField("year", "must be 2000–2100")
	}
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if len(f.Conventions) > maxConventions {
		e.WithField("conventions", fmt.Sprintf("at most %d conventions", maxConventions))
	}
	for i, c := range f.Conventions {
		at := "conventions." + strconv.Itoa(i)
		if c.Name == "" {
			e.WithField(at+".name", "is required")
		}
		for _, d := range f.Conventions[:i] {
			if d.Name == c.Name && c.Name != "" {
				e.WithField(at+".name", "listed twice")
				break
			}
		}
		switch {
		case c.Year != nil && !c.Ratified:
			e.WithField(at+".year", "a year of ratification needs ratified true")
		case c.Year != nil && (*c.Year < 1900 || *c.Year > 2100):
			e.WithField(at+".year", "must be 1900–2100")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// assessmentRow maps Assessment to the mgi_assessments table (the generated search column is
// never written).
type assessmentRow struct {
	Base        records.Base `gorm:"embedded"`
	Code        string
	Country     string
	Year        int
	TitleES     *string `gorm:"column:title_es"`
	TitleEN     *string `gorm:"column:title_en"`
	PublishedOn *time.Time
	SourceID    *uuid.UUID
	Conventions json.RawMessage `gorm:"type:jsonb"`
	NotesES     *string         `gorm:"column:notes_es"`
	NotesEN     *string         `gorm:"column:notes_en"`
}

func (assessmentRow) TableName() string { return "mgi_assessments" }

// assessment decodes the row. The conventions were written by newAssessmentRow (or an import
// that checked them against the same schema), so they always decode.
func (r assessmentRow) assessment() Assessment {
	f := AssessmentFields{Code: r.Code, Country: r.Country, Year: r.Year, Title: Text{ES: r.TitleES, EN: r.TitleEN},
		PublishedOn: r.PublishedOn, SourceID: r.SourceID, Conventions: []Convention{}, Notes: Text{ES: r.NotesES, EN: r.NotesEN},
		Demo: r.Base.Demo}
	_ = json.Unmarshal(r.Conventions, &f.Conventions)
	return Assessment{Meta: r.Base.Meta(), AssessmentFields: f}
}

func newAssessmentRow(f AssessmentFields, m records.Base) (assessmentRow, error) {
	conventions := f.Conventions
	if conventions == nil {
		conventions = []Convention{}
	}
	doc, err := json.Marshal(conventions)
	if err != nil {
		return assessmentRow{}, fmt.Errorf("encode conventions: %w", err)
	}
	var published *time.Time
	if f.PublishedOn != nil {
		d := day(*f.PublishedOn)
		published = &d
	}
	return assessmentRow{Base: m, Code: f.Code, Country: f.Country, Year: f.Year, TitleES: f.Title.ES, TitleEN: f.Title.EN,
		PublishedOn: published, SourceID: f.SourceID, Conventions: doc, NotesES: f.Notes.ES, NotesEN: f.Notes.EN}, nil
}

func (r assessmentRow) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "country": r.Country, "year": r.Year, "title_es": r.TitleES, "title_en": r.TitleEN,
		"published_on": r.PublishedOn, "source_id": r.SourceID, "conventions": r.Conventions, "notes_es": r.NotesES,
		"notes_en": r.NotesEN,
	}
}

// day is t's calendar date at midnight UTC, as a date column stores it.
func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// AssessmentService keeps the assessments. Its source, when set, must be a live data source.
// Archiving an assessment leaves its answers and findings as they are, but nothing new can be
// put under it.
type AssessmentService struct {
	records.Store[assessmentRow, Assessment, AssessmentFields]
}

// NewAssessmentService returns an AssessmentService over db. The audit trail records assessments
// in their writable representation.
func NewAssessmentService(db *database.DB) *AssessmentService {
	return &AssessmentService{records.Store[assessmentRow, Assessment, AssessmentFields]{
		DB: db, Table: "mgi_assessments", Resource: "mgi_assessment", What: "MGI assessment", Plural: "MGI assessments",
		Base: func(r assessmentRow) records.Base { return r.Base }, Decode: assessmentRow.assessment, Build: newAssessmentRow,
		Columns: assessmentRow.columns, Validate: (*AssessmentFields).Validate, Check: checkAssessmentReferences,
		Translate: func(err error, f AssessmentFields) error {
			return records.Refused(err, "MGI assessment", f.Code, "mgi_assessments_code_key", map[string][2]string{
				"mgi_assessments_title_present": {"title", "needs a Spanish or an English title"},
				"mgi_assessments_country_check": {"country", "not an ISO 3166-1 country"},
				"mgi_assessments_year_check":    {"year", "must be 2000–2100"},
			})
		},
		Demo: func(f AssessmentFields) bool { return f.Demo }, Snapshot: func(a Assessment) any { return assessmentWritable(a) },
	}}
}

// checkAssessmentReferences refuses a source that does not exist or is archived; one an update
// leaves as it was is not checked again.
//
// Errors: Unprocessable.
func checkAssessmentReferences(tx *gorm.DB, f AssessmentFields, before *Assessment) error {
	source := f.SourceID
	if before != nil && refs.Same(before.SourceID, source) {
		source = nil
	}
	return refs.Check(tx, "the MGI assessment refers to what does not exist",
		refs.List{Table: "data_sources", Field: "source_id", Missing: "no such data source", ID: source,
			Refuse: []refs.Rule{refs.Archived}})
}

// AssessmentFilter narrows AssessmentService.List. Empty values mean "any".
type AssessmentFilter struct {
	Page      // ordered by year (the default), code or created_at
	Q         string
	Countries []string
	Year      *int
}

// List returns a page of assessments and the next page's token ("" on the last page),
// keyset-paged on (order column, id), in one statement.
//
// Errors: Invalid (bad page token).
func (s *AssessmentService) List(ctx context.Context, f AssessmentFilter) ([]Assessment, string, error) {
	q := s.DB.Conn(ctx).Model(&assessmentRow{})
	if len(f.Countries) > 0 {
		q = q.Where("country IN ?", f.Countries)
	}
	if f.Year != nil {
		q = q.Where("year = ?", *f.Year)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	return s.Store.List(q, f.Page, assessmentOrders, "year", func(r assessmentRow) (string, time.Time) {
		return r.Code, time.Date(r.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	})
}

// Tally is how many live answers and findings an assessment has.
type Tally struct{ Answers, Findings int }

// Tallies counts the live answers and findings of each assessment of ids, in one statement.
func Tallies(tx *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]Tally, error) {
	out := make(map[uuid.UUID]Tally, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID                uuid.UUID
		Answers, Findings int
	}
	err := tx.Raw(`
SELECT a.id,
       (SELECT count(*) FROM mgi_answers x WHERE x.assessment_id = a.id AND x.archived_at IS NULL) AS answers,
       (SELECT count(*) FROM mgi_findings x WHERE x.assessment_id = a.id AND x.archived_at IS NULL) AS findings
FROM unnest(?::uuid[]) AS a(id)`, refs.Array(ids)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count answers and findings: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = Tally{Answers: r.Answers, Findings: r.Findings}
	}
	return out, nil
}
