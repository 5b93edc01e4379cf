package mgi

import (
	"encoding/json"

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
		Prepare: records.ImportPrepare(s, indicatorFromAPI, func(r indicatorRow) []any {
			return []any{r.Base.ID, r.Code, r.Domain, r.TextES, r.TextEN, int32(r.Position), r.Base.Demo}
		}),
		Translate: records.ImportTranslate(s),
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
		Prepare: records.ImportPrepare(s, assessmentFromAPI, func(r assessmentRow) []any {
			return []any{r.Base.ID, r.Code, r.Country, int32(r.Year), r.TitleES, r.TitleEN, r.PublishedOn, r.SourceID,
				r.Conventions, r.NotesES, r.NotesEN, r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("source_id", "data_sources", "no such data source", "mgi_assessments", assessmentMatch),
		},
		Translate: records.ImportTranslate(s),
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
		Prepare: records.ImportPrepare(s, answerFromAPI, func(r answerRow) []any {
			return []any{r.Base.ID, r.AssessmentID, r.IndicatorID, r.Answer, r.NoteES, r.NoteEN, refs.Parse(r.InstrumentIDs),
				refs.Parse(r.InstitutionIDs), r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("assessment_id", "mgi_assessments", "no such MGI assessment", "mgi_answers", answerMatch),
			imports.KeptRefCheck("indicator_id", "mgi_indicators", "no such MGI indicator", "mgi_answers", answerMatch),
			imports.KeptLiveRefsCheck("instrument_ids", "instrument_ids", "legal_instruments", "no such legal instrument", "mgi_answers", answerMatch),
			imports.KeptLiveRefsCheck("institution_ids", "institution_ids", "institutions", "no such institution", "mgi_answers", answerMatch),
		},
		Translate: records.ImportTranslate(s),
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
		Prepare: records.ImportPrepare(s, findingFromAPI, func(r findingRow) []any {
			return []any{r.Base.ID, r.AssessmentID, r.Code, r.Domain, r.Kind, r.TextES, r.TextEN, refs.Parse(r.IndicatorIDs),
				refs.Parse(r.FunctionIDs), refs.Parse(r.ArticleIDs), r.Base.Demo}
		}),
		Checks: []imports.Check{
			imports.KeptRefCheck("assessment_id", "mgi_assessments", "no such MGI assessment", "mgi_findings", findingMatch),
			imports.KeptLiveRefsCheck("indicator_ids", "indicator_ids", "mgi_indicators", "no such MGI indicator", "mgi_findings", findingMatch),
			imports.KeptLiveRefsCheck("function_ids", "function_ids", "functions", "no such function", "mgi_findings", findingMatch),
			imports.KeptLiveRefsCheck("article_ids", "article_ids", "blueprint_articles", "no such blueprint article", "mgi_findings", findingMatch),
		},
		Translate: records.ImportTranslate(s),
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
