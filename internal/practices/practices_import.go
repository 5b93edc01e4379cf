package practices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
)

// practiceColumns are the columns an import writes: what a create sets. The editorial status
// and the review comment are not among them: an imported practice starts as a draft (the
// table's default, as Create), and an update leaves its status as it is, as Update does.
var practiceColumns = []imports.Column{
	{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
	{Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
	{Name: "summary_es", Type: "text"}, {Name: "summary_en", Type: "text"},
	{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
	{Name: "scope", Type: "text"}, {Name: "country", Type: "text"}, {Name: "institution_id", Type: "uuid"},
	{Name: "partner_ids", Type: "uuid[]"}, {Name: "type", Type: "text"}, {Name: "themes", Type: "text[]"},
	{Name: "migof", Type: "text[]"}, {Name: "gcm_objectives", Type: "smallint[]"}, {Name: "sdg_targets", Type: "text[]"},
	{Name: "period_start", Type: "date"}, {Name: "period_end", Type: "date"},
	{Name: "target_population_es", Type: "text"}, {Name: "target_population_en", Type: "text"},
	{Name: "outcomes_es", Type: "text"}, {Name: "outcomes_en", Type: "text"},
	{Name: "lessons_learned_es", Type: "text"}, {Name: "lessons_learned_en", Type: "text"},
	{Name: "recommendations_es", Type: "text"}, {Name: "recommendations_en", Type: "text"},
	{Name: "transferability", Type: "text"},
	{Name: "transferability_rationale_es", Type: "text"}, {Name: "transferability_rationale_en", Type: "text"},
	{Name: "sources", Type: "jsonb"}, {Name: "demo", Type: "boolean", Keep: true},
}

// PracticeImport describes practices to the importer: matched on their code (or id), checked
// with Fields.Validate, their implementing institution and partners checked set-based (archived
// institutions are still referable, as in Create), owned by their implementing institution. New
// practices are drafts; writers who cannot review change only drafts (see practiceWrite).
func PracticeImport() *imports.Resource {
	return &imports.Resource{
		Name: "practices", Create: "PracticeCreate", Represent: "Practice",
		WriteScope: auth.ScopePracticesWrite, Table: "practices",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns:    practiceColumns,
		Prepare:    preparePractice,
		Checks: []imports.Check{
			{Field: "institution_id", SQL: `
SELECT s.line, 'no such institution'
FROM %[1]s s LEFT JOIN institutions i ON i.id = s.institution_id
WHERE s.institution_id IS NOT NULL AND i.id IS NULL`},
			{Field: "partner_ids", SQL: `
SELECT s.line, 'no such institution: ' || u.ref
FROM %[1]s s CROSS JOIN LATERAL unnest(s.partner_ids) AS u(ref) LEFT JOIN institutions i ON i.id = u.ref
WHERE i.id IS NULL`},
		},
		Owner: `%[1]s.institution_id`,
		Write: practiceWrite,
		Translate: func(err error) (string, string, bool) {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.ConstraintName == underReview {
				return "status", pe.Message, true
			}
			return importField(translate(err, Fields{}))
		},
	}
}

// preparePractice decodes one row as CreatePractice decodes its body, checks it with Validate
// and returns its columns as Create stores them.
func preparePractice(_ context.Context, doc []byte) ([]any, error) {
	var in api.PracticeCreate
	if err := json.Unmarshal(doc, &in); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	f := fromAPI(in)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var r row
	if err := r.set(f); err != nil {
		return nil, err
	}
	gcm := make([]int16, len(r.GcmObjectives))
	for i, n := range r.GcmObjectives {
		gcm[i] = int16(n)
	}
	partners := append([]uuid.UUID{}, f.PartnerIDs...)
	return []any{uuid.Must(uuid.NewV7()), r.Code, r.TitleES, r.TitleEN, r.SummaryES, r.SummaryEN,
		r.DescriptionES, r.DescriptionEN, r.Scope, r.Country, r.InstitutionID, partners, r.Type,
		[]string(r.Themes), []string(r.Migof), gcm, []string(r.SdgTargets), r.PeriodStart, r.PeriodEnd,
		r.TargetPopulationES, r.TargetPopulationEN, r.OutcomesES, r.OutcomesEN, r.LessonsLearnedES,
		r.LessonsLearnedEN, r.RecommendationsES, r.RecommendationsEN, r.Transferability,
		r.TransferabilityRationaleES, r.TransferabilityRationaleEN, string(r.Sources), f.Demo}, nil
}

// underReview names the refusal of a change to a practice that is no longer a draft, by a
// caller who cannot review: the importer pins it on its row like a constraint the row breaks.
const underReview = "practices_changed_by_reviewers_only"

// practiceWrite is the generic write, after refusing what Update refuses a writer who cannot
// review: changing (or restoring) a practice that is submitted, validated or published. A row
// that leaves such a practice as it is passes, so an export imports back unchanged.
func practiceWrite(ctx context.Context, tx pgx.Tx, b *imports.Batch) (imports.Counts, error) {
	if b.Strategy != "create" && !reviewer(actor.From(ctx)) {
		var line int64
		var status string
		err := tx.QueryRow(ctx, lockedSQL(b), b.Lo, b.Hi).Scan(&line, &status)
		switch {
		case err == nil:
			return imports.Counts{}, &pgconn.PgError{Severity: "ERROR", Code: "23514", ConstraintName: underReview,
				TableName: "practices", Message: fmt.Sprintf(
					"the practice is %s: only reviewers change it now; ask one to send it back to draft", status)}
		case !errors.Is(err, pgx.ErrNoRows):
			return imports.Counts{}, fmt.Errorf("check practices under review: %w", err)
		}
	}
	return imports.Write(ctx, tx, b)
}

// lockedSQL finds the first row of a batch's lines $1..$2 that would change a practice which is
// no longer a draft: one whose written columns differ from the stored ones, or whose practice
// is archived (an import restores it).
func lockedSQL(b *imports.Batch) string {
	var on, stored, staged []string
	for _, k := range b.Key {
		on = append(on, fmt.Sprintf("t.%[1]s = s.%[1]s", k))
	}
	for _, c := range b.Resource.Columns {
		if !c.Keep && !slices.Contains(b.Key, c.Name) {
			stored, staged = append(stored, "t."+c.Name), append(staged, "s."+c.Name)
		}
	}
	return fmt.Sprintf(`SELECT s.line, t.status FROM %s s JOIN practices t ON %s
WHERE s.line BETWEEN $1 AND $2 AND t.status <> 'draft'
  AND (ROW(%s) IS DISTINCT FROM ROW(%s) OR t.archived_at IS NOT NULL)
ORDER BY s.line LIMIT 1`, b.Stage, strings.Join(on, " AND "), strings.Join(stored, ", "), strings.Join(staged, ", "))
}

// importField is the first field error of err, the service's translation of a database error,
// as the importer reports it on a row; ok is false when the translation names no field.
func importField(err error) (field, message string, ok bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return "", "", false
	}
	return e.Fields[0].Field, e.Fields[0].Message, true
}
