package practices

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/countries"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/refs"
)

// Vocabularies of a practice (the contract's enums; the schema's checks repeat them).
var (
	Scopes = []string{"national", "regional", "global"}
	Types  = []string{"institutional_framework", "consultation_mechanism", "diaspora_mapping", "service_offer",
		"engagement_programme", "legal_framework", "data_system", "remittance_investment_channel",
		"return_reintegration", "cultural_promotion"}
	MigofDimensions = []string{"migrant_rights", "whole_of_government", "partnerships", "wellbeing_of_migrants",
		"mobility_dimensions_of_crises", "safe_orderly_dignified_migration"}
	Levels = []string{"high", "medium", "low"}
	// Statuses are the editorial statuses in the order the workflow moves a practice forward.
	Statuses = []string{"draft", "submitted", "validated", "published"}
)

// Global Compact for Migration objectives run from 1 to 23.
const (
	firstObjective = 1
	lastObjective  = 23
)

var (
	tagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	sdgPattern = regexp.MustCompile(`^([1-9]|1[0-7])\.([1-9][0-9]?|[a-d])$`)
)

// Text is a text in Spanish and English, either or both absent.
type Text struct{ ES, EN *string }

func (t Text) empty() bool { return blank(t.ES) && blank(t.EN) }

func blank(s *string) bool { return s == nil || *s == "" }

// Transferability says how well a practice would carry over to Peru, and why.
type Transferability struct {
	Level     string
	Rationale Text
}

// Citation is a source of what a practice record says.
type Citation struct {
	Citation string  `json:"citation"`
	URL      *string `json:"url,omitempty"`
}

// Fields are the parts of a practice its users write. The editorial status is not among them: it
// changes only through transitions. Demo marks demo data; only Create reads it (the HTTP layer
// never sets it, and updates keep what is stored).
type Fields struct {
	Code             string
	Title            Text
	Summary          Text
	Description      Text
	Scope            string
	Country          *string    // ISO 3166-1 alpha-2; national practices only
	InstitutionID    *uuid.UUID // the implementing institution
	PartnerIDs       []uuid.UUID
	Type             string
	Themes           []string
	Migof            []string
	GcmObjectives    []int
	SdgTargets       []string
	PeriodStart      *time.Time
	PeriodEnd        *time.Time
	TargetPopulation Text
	Outcomes         Text
	LessonsLearned   Text
	Recommendations  Text
	Transferability  *Transferability
	Sources          []Citation
	Demo             bool
}

// Practice is a stored practice. Rank and Highlights are set on search results only.
type Practice struct {
	ID uuid.UUID
	Fields
	Status        string
	ReviewComment *string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
	Rank          *float64
	Highlights    *Highlights
}

// Highlights are snippets of the fields that matched a search: HTML-escaped text with the
// matches between <mark> and </mark>. A field is nil when it did not match.
type Highlights struct {
	Title, Summary, Description, LessonsLearned *string
}

// Validate checks the rules every practice obeys, whoever writes it, except that its
// institutions exist (the service checks those against the database).
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *Fields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the practice is not valid")
	naturalkey.Check(e, "code", f.Code)
	if f.Title.empty() {
		e.WithField("title", "needs a Spanish or an English title")
	}
	switch {
	case !slices.Contains(Scopes, f.Scope):
		e.WithField("scope", "unknown scope")
	case f.Scope == "national" && f.Country == nil:
		e.WithField("country", "a national practice needs its country")
	case f.Scope != "national" && f.Country != nil:
		e.WithField("country", "a "+f.Scope+" practice has no single country; leave it out")
	}
	if f.Country != nil {
		if _, ok := countries.Lookup(*f.Country); !ok {
			e.WithField("country", "not an ISO 3166-1 country")
		}
	}
	if !slices.Contains(Types, f.Type) {
		e.WithField("type", "unknown practice type")
	}
	for i, id := range f.PartnerIDs {
		if f.InstitutionID != nil && id == *f.InstitutionID {
			e.WithField("partner_ids."+strconv.Itoa(i), "is the implementing institution")
		}
		if slices.Index(f.PartnerIDs, id) < i {
			e.WithField("partner_ids."+strconv.Itoa(i), "listed twice")
		}
	}
	listRule(e, "themes", f.Themes, func(s string) bool { return tagPattern.MatchString(s) }, "not a tag")
	listRule(e, "migof", f.Migof, func(s string) bool { return slices.Contains(MigofDimensions, s) }, "unknown MiGOF dimension")
	listRule(e, "gcm_objectives", f.GcmObjectives, func(n int) bool { return n >= firstObjective && n <= lastObjective },
		"the Global Compact has objectives 1 to 23")
	listRule(e, "sdg_targets", f.SdgTargets, func(s string) bool { return sdgPattern.MatchString(s) }, "not an SDG target")
	if f.PeriodStart != nil && f.PeriodEnd != nil && f.PeriodEnd.Before(*f.PeriodStart) {
		e.WithField("period_end", "is before period_start")
	}
	if t := f.Transferability; t != nil && !slices.Contains(Levels, t.Level) {
		e.WithField("transferability.level", "must be high, medium or low")
	}
	for i, c := range f.Sources {
		if c.Citation == "" {
			e.WithField("sources."+strconv.Itoa(i)+".citation", "is empty")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// listRule adds a field error for each value of a list that is not ok or repeats an earlier one.
func listRule[T comparable](e *apperr.Error, field string, values []T, ok func(T) bool, message string) {
	for i, v := range values {
		switch {
		case !ok(v):
			e.WithField(field+"."+strconv.Itoa(i), message)
		case slices.Index(values, v) < i:
			e.WithField(field+"."+strconv.Itoa(i), "listed twice")
		}
	}
}

// row maps Practice to the practices table (the generated search column is never written).
type row struct {
	ID                         uuid.UUID
	Code                       string
	TitleES                    *string `gorm:"column:title_es"`
	TitleEN                    *string `gorm:"column:title_en"`
	SummaryES                  *string `gorm:"column:summary_es"`
	SummaryEN                  *string `gorm:"column:summary_en"`
	DescriptionES              *string `gorm:"column:description_es"`
	DescriptionEN              *string `gorm:"column:description_en"`
	Scope                      string
	Country                    *string
	InstitutionID              *uuid.UUID
	PartnerIDs                 pq.StringArray `gorm:"column:partner_ids;type:uuid[]"`
	Type                       string
	Themes                     pq.StringArray `gorm:"type:text[]"`
	Migof                      pq.StringArray `gorm:"type:text[]"`
	GcmObjectives              pq.Int64Array  `gorm:"column:gcm_objectives;type:smallint[]"`
	SdgTargets                 pq.StringArray `gorm:"column:sdg_targets;type:text[]"`
	PeriodStart                *time.Time
	PeriodEnd                  *time.Time
	TargetPopulationES         *string `gorm:"column:target_population_es"`
	TargetPopulationEN         *string `gorm:"column:target_population_en"`
	OutcomesES                 *string `gorm:"column:outcomes_es"`
	OutcomesEN                 *string `gorm:"column:outcomes_en"`
	LessonsLearnedES           *string `gorm:"column:lessons_learned_es"`
	LessonsLearnedEN           *string `gorm:"column:lessons_learned_en"`
	RecommendationsES          *string `gorm:"column:recommendations_es"`
	RecommendationsEN          *string `gorm:"column:recommendations_en"`
	Transferability            *string
	TransferabilityRationaleES *string         `gorm:"column:transferability_rationale_es"`
	TransferabilityRationaleEN *string         `gorm:"column:transferability_rationale_en"`
	Sources                    json.RawMessage `gorm:"type:jsonb"`
	Status                     string
	ReviewComment              *string
	Demo                       bool
	Version                    int64
	CreatedAt                  time.Time `gorm:"default:now()"`
	UpdatedAt                  time.Time `gorm:"default:now()"`
	ArchivedAt                 *time.Time
}

func (row) TableName() string { return "practices" }

func (r row) practice() (Practice, error) {
	f := Fields{
		Code: r.Code, Title: Text{r.TitleES, r.TitleEN}, Summary: Text{r.SummaryES, r.SummaryEN},
		Description: Text{r.DescriptionES, r.DescriptionEN}, Scope: r.Scope, Country: r.Country,
		InstitutionID: r.InstitutionID, PartnerIDs: refs.Parse(r.PartnerIDs), Type: r.Type,
		Themes: append([]string{}, r.Themes...), Migof: append([]string{}, r.Migof...),
		GcmObjectives: make([]int, len(r.GcmObjectives)), SdgTargets: append([]string{}, r.SdgTargets...),
		PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		TargetPopulation: Text{r.TargetPopulationES, r.TargetPopulationEN}, Outcomes: Text{r.OutcomesES, r.OutcomesEN},
		LessonsLearned:  Text{r.LessonsLearnedES, r.LessonsLearnedEN},
		Recommendations: Text{r.RecommendationsES, r.RecommendationsEN}, Demo: r.Demo,
	}
	for i, n := range r.GcmObjectives {
		f.GcmObjectives[i] = int(n)
	}
	if r.Transferability != nil {
		f.Transferability = &Transferability{Level: *r.Transferability,
			Rationale: Text{r.TransferabilityRationaleES, r.TransferabilityRationaleEN}}
	}
	if err := json.Unmarshal(r.Sources, &f.Sources); err != nil {
		return Practice{}, fmt.Errorf("decode sources of practice %s: %w", r.ID, err)
	}
	if f.Sources == nil {
		f.Sources = []Citation{}
	}
	return Practice{ID: r.ID, Fields: f, Status: r.Status, ReviewComment: r.ReviewComment, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}, nil
}

func (r *row) set(f Fields) error {
	r.Code, r.Scope, r.Country, r.InstitutionID, r.Type = f.Code, f.Scope, f.Country, f.InstitutionID, f.Type
	r.TitleES, r.TitleEN = f.Title.ES, f.Title.EN
	r.SummaryES, r.SummaryEN = f.Summary.ES, f.Summary.EN
	r.DescriptionES, r.DescriptionEN = f.Description.ES, f.Description.EN
	r.PartnerIDs = refs.Array(f.PartnerIDs)
	r.Themes, r.Migof = strs(f.Themes), strs(f.Migof)
	r.SdgTargets = strs(f.SdgTargets)
	r.GcmObjectives = make(pq.Int64Array, len(f.GcmObjectives))
	for i, n := range f.GcmObjectives {
		r.GcmObjectives[i] = int64(n)
	}
	r.PeriodStart, r.PeriodEnd = f.PeriodStart, f.PeriodEnd
	r.TargetPopulationES, r.TargetPopulationEN = f.TargetPopulation.ES, f.TargetPopulation.EN
	r.OutcomesES, r.OutcomesEN = f.Outcomes.ES, f.Outcomes.EN
	r.LessonsLearnedES, r.LessonsLearnedEN = f.LessonsLearned.ES, f.LessonsLearned.EN
	r.RecommendationsES, r.RecommendationsEN = f.Recommendations.ES, f.Recommendations.EN
	r.Transferability, r.TransferabilityRationaleES, r.TransferabilityRationaleEN = nil, nil, nil
	if t := f.Transferability; t != nil {
		r.Transferability = &t.Level
		r.TransferabilityRationaleES, r.TransferabilityRationaleEN = t.Rationale.ES, t.Rationale.EN
	}
	sources := f.Sources
	if sources == nil {
		sources = []Citation{}
	}
	b, err := json.Marshal(sources)
	if err != nil {
		return fmt.Errorf("encode sources: %w", err)
	}
	r.Sources = b
	return nil
}

// strs is a text[] value, never nil (the array columns are NOT NULL).
func strs(s []string) pq.StringArray { return append(pq.StringArray{}, s...) }

// columns are the writable columns of r (its status included), for updates.
func (r *row) columns() map[string]any {
	return map[string]any{
		"code": r.Code, "title_es": r.TitleES, "title_en": r.TitleEN, "summary_es": r.SummaryES,
		"summary_en": r.SummaryEN, "description_es": r.DescriptionES, "description_en": r.DescriptionEN,
		"scope": r.Scope, "country": r.Country, "institution_id": r.InstitutionID, "partner_ids": r.PartnerIDs,
		"type": r.Type, "themes": r.Themes, "migof": r.Migof, "gcm_objectives": r.GcmObjectives,
		"sdg_targets": r.SdgTargets, "period_start": r.PeriodStart, "period_end": r.PeriodEnd,
		"target_population_es": r.TargetPopulationES, "target_population_en": r.TargetPopulationEN,
		"outcomes_es": r.OutcomesES, "outcomes_en": r.OutcomesEN, "lessons_learned_es": r.LessonsLearnedES,
		"lessons_learned_en": r.LessonsLearnedEN, "recommendations_es": r.RecommendationsES,
		"recommendations_en": r.RecommendationsEN, "transferability": r.Transferability,
		"transferability_rationale_es": r.TransferabilityRationaleES,
		"transferability_rationale_en": r.TransferabilityRationaleEN, "sources": r.Sources,
		"status": r.Status, "review_comment": r.ReviewComment, "version": r.Version, "updated_at": gorm.Expr("now()"),
	}
}
