package mgi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/records"
	"github.com/puente-mre/puente/internal/refs"
)

// ImportResources describes this area's records to the importer: the framework's indicators,
// assessments, their answers and findings. Each row goes through its store's own rules
// (validate, build, translate), as a create request does. The framework and assessments belong
// to the whole action, so — as the stores refuse scoped callers — no resource has an Owner:
// editors and partners cannot import any of it.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{IndicatorImport(), AssessmentImport(), AnswerImport(), FindingImport()}
}

// Match conditions between a stored record t and a staged row s: the record the row would
// update, whether the import matches on the natural key or on the id. References such a record
// holds already are not checked again, as the stores' checks do for an update.
const (
	assessmentMatch = `(t.id = s.id OR t.code = s.code)`
	answerMatch     = `(t.id = s.id OR (t.assessment_id = s.assessment_id AND t.indicator_id = s.indicator_id))`
	findingMatch    = `(t.id = s.id OR (t.assessment_id = s.assessment_id AND t.code = s.code))`
)

// IndicatorImport describes the framework's indicators: matched on their code (the default) or
// id, checked with the indicator store's rules. This is how an admin loads or replaces the
// framework (`puentectl import mgi-indicators.ndjson --resource mgi-indicators`).
func IndicatorImport() *imports.Resource {
	s := NewIndicatorService(nil).Store
	return &imports.Resource{
		Name: "mgi-indicators", Create: "MgiIndicatorCreate", Represent: "MgiIndicator",
		WriteScope: auth.ScopeMandatesWrite, Table: "mgi_indicators",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "domain", Type: "text"},
			{Name: "text_es", Type: "text"}, {Name: "text_en", Type: "text"}, {Name: "position", Type: "integer"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, indicatorFromAPI, func(r indicatorRow) []any {
			return []any{r.Base.ID, r.Code, r.Domain, r.TextES, r.TextEN, int32(r.Position), r.Base.Demo}
		}),
		Translate: translate(s),
	}
}

// AssessmentImport describes assessments: matched on their code (the default) or id, checked
// with the assessment store's rules, their source checked set-based.
func AssessmentImport() *imports.Resource {
	s := NewAssessmentService(nil).Store
	return &imports.Resource{
		Name: "mgi-assessments", Create: "MgiAssessmentCreate", Represent: "MgiAssessment",
		WriteScope: auth.ScopeMandatesWrite, Table: "mgi_assessments",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "country", Type: "text"},
			{Name: "year", Type: "integer"}, {Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "published_on", Type: "date"}, {Name: "source_id", Type: "uuid"}, {Name: "conventions", Type: "jsonb"},
			{Name: "notes_es", Type: "text"}, {Name: "notes_en", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, assessmentFromAPI, func(r assessmentRow) []any {
			return []any{r.Base.ID, r.Code, r.Country, int32(r.Year), r.TitleES, r.TitleEN, r.PublishedOn, r.SourceID,
				r.Conventions, r.NotesES, r.NotesEN, r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("source_id", "data_sources", "no such data source", "mgi_assessments", assessmentMatch),
		},
		Translate: translate(s),
	}
}

// AnswerImport describes answers: matched on their assessment and indicator (key "code", the
// default) or id, checked with the answer store's rules, their assessment, indicator and
// evidence checked set-based.
func AnswerImport() *imports.Resource {
	s := NewAnswerService(nil).Store
	return &imports.Resource{
		Name: "mgi-answers", Create: "MgiAnswerCreate", Represent: "MgiAnswer",
		WriteScope: auth.ScopeMandatesWrite, Table: "mgi_answers",
		Keys:       map[string][]string{"code": {"assessment_id", "indicator_id"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "assessment_id", Type: "uuid"}, {Name: "indicator_id", Type: "uuid"},
			{Name: "answer", Type: "text"}, {Name: "note_es", Type: "text"}, {Name: "note_en", Type: "text"},
			{Name: "instrument_ids", Type: "uuid[]"}, {Name: "institution_ids", Type: "uuid[]"},
			{Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, answerFromAPI, func(r answerRow) []any {
			return []any{r.Base.ID, r.AssessmentID, r.IndicatorID, r.Answer, r.NoteES, r.NoteEN, refs.Parse(r.InstrumentIDs),
				refs.Parse(r.InstitutionIDs), r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("assessment_id", "mgi_assessments", "no such MGI assessment", "mgi_answers", answerMatch),
			refCheck("indicator_id", "mgi_indicators", "no such MGI indicator", "mgi_answers", answerMatch),
			liveRefsCheck("instrument_ids", "legal_instruments", "no such legal instrument", "mgi_answers", answerMatch),
			liveRefsCheck("institution_ids", "institutions", "no such institution", "mgi_answers", answerMatch),
		},
		Translate: translate(s),
	}
}

// FindingImport describes findings: matched on their assessment and code (key "code", the
// default) or id, checked with the finding store's rules, their assessment, indicators,
// functions and articles checked set-based.
func FindingImport() *imports.Resource {
	s := NewFindingService(nil).Store
	return &imports.Resource{
		Name: "mgi-findings", Create: "MgiFindingCreate", Represent: "MgiFinding",
		WriteScope: auth.ScopeMandatesWrite, Table: "mgi_findings",
		Keys:       map[string][]string{"code": {"assessment_id", "code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "assessment_id", Type: "uuid"}, {Name: "code", Type: "text"},
			{Name: "domain", Type: "text"}, {Name: "kind", Type: "text"}, {Name: "text_es", Type: "text"},
			{Name: "text_en", Type: "text"}, {Name: "indicator_ids", Type: "uuid[]"}, {Name: "function_ids", Type: "uuid[]"},
			{Name: "article_ids", Type: "uuid[]"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: prepare(s, findingFromAPI, func(r findingRow) []any {
			return []any{r.Base.ID, r.AssessmentID, r.Code, r.Domain, r.Kind, r.TextES, r.TextEN, refs.Parse(r.IndicatorIDs),
				refs.Parse(r.FunctionIDs), refs.Parse(r.ArticleIDs), r.Base.Demo}
		}),
		Checks: []imports.Check{
			refCheck("assessment_id", "mgi_assessments", "no such MGI assessment", "mgi_findings", findingMatch),
			liveRefsCheck("indicator_ids", "mgi_indicators", "no such MGI indicator", "mgi_findings", findingMatch),
			liveRefsCheck("function_ids", "functions", "no such function", "mgi_findings", findingMatch),
			liveRefsCheck("article_ids", "blueprint_articles", "no such blueprint article", "mgi_findings", findingMatch),
		},
		Translate: translate(s),
	}
}

// decodeRow decodes one import row (or one line of the framework file) into the create body C,
// as the importer hands it to Prepare.
func decodeRow[C any](doc []byte) (C, error) {
	var in C
	if err := json.Unmarshal(doc, &in); err != nil {
		return in, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	return in, nil
}

// prepare is the Prepare of a store's records: the row decoded into the create body C,
// converted as the create endpoint converts it, validated (and normalised) by the store's
// validate, and built into the row the store's Create would insert, whose column values values
// lists in the resource's Columns order.
func prepare[C, R, T, F any](s records.Store[R, T, F], from func(C) F, values func(R) []any) func(context.Context, []byte) ([]any, error) {
	return func(_ context.Context, doc []byte) ([]any, error) {
		in, err := decodeRow[C](doc)
		if err != nil {
			return nil, err
		}
		f := from(in)
		if err := s.Validate(&f); err != nil {
			return nil, err
		}
		r, err := s.Build(f, records.Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
		if err != nil {
			return nil, err
		}
		return values(r), nil
	}
}

// translate is the Translate of a store's records: the store's own translation of a refused
// write (a key taken, a broken check constraint), by its first field error.
func translate[R, T, F any](s records.Store[R, T, F]) func(error) (string, string, bool) {
	return func(err error) (string, string, bool) {
		var zero F
		var e *apperr.Error
		if errors.As(s.Translate(err, zero), &e) && len(e.Fields) > 0 {
			return e.Fields[0].Field, e.Fields[0].Message, true
		}
		return "", "", false
	}
}

// refCheck refuses rows whose column names a row of table that does not exist (missing) or is
// archived, as refs.Check does with refs.Archived — except a reference the record the row
// updates (a row of own matched by match) holds already.
func refCheck(column, table, missing, own, match string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, CASE WHEN r.id IS NULL THEN '%[3]s' ELSE 'is archived' END
FROM %%[1]s s LEFT JOIN %[2]s r ON r.id = s.%[1]s
WHERE s.%[1]s IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND t.%[1]s = s.%[1]s)`, column, table, missing, own, match)}
}

// liveRefsCheck refuses rows whose uuid[] column lists an id with no live row of table (an
// archived one counts as missing, as refs.List.Active says), each named in the message — except
// ids the record the row updates lists already (refs.List.Kept).
func liveRefsCheck(column, table, missing, own, match string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, '%[3]s: ' || u.ref
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[1]s) AS u(ref) LEFT JOIN %[2]s r ON r.id = u.ref AND r.archived_at IS NULL
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM %[4]s t WHERE %[5]s AND u.ref = ANY(t.%[1]s))`, column, table, missing, own, match)}
}
