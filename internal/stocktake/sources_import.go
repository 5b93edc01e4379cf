package stocktake

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
)

// SourceImport describes data sources to the importer: matched on their code or id, checked
// with SourceFields.Validate, their publisher checked set-based as the service checks it, owned
// by their publisher. A quality assessment is stored in the source's own row (all three scores or
// none), so the generic write serves.
func SourceImport() *imports.Resource {
	return &imports.Resource{
		Name: "data-sources", Create: "DataSourceCreate", Represent: "DataSource",
		WriteScope: auth.ScopeStocktakeWrite, Table: "data_sources",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"},
			{Name: "title_es", Type: "text"}, {Name: "title_en", Type: "text"},
			{Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
			{Name: "publisher_id", Type: "uuid"}, {Name: "type", Type: "text"},
			{Name: "coverage_start", Type: "date"}, {Name: "coverage_end", Type: "date"},
			{Name: "spatial_coverage", Type: "text[]"}, {Name: "periodicity", Type: "text"},
			{Name: "disaggregations", Type: "text[]"}, {Name: "access", Type: "text"},
			{Name: "licence", Type: "text"}, {Name: "format", Type: "text"}, {Name: "landing_url", Type: "text"},
			{Name: "last_updated", Type: "date"}, {Name: "contact_name", Type: "text"}, {Name: "contact_email", Type: "text"},
			{Name: "timeliness_score", Type: "smallint"}, {Name: "timeliness_note", Type: "text"},
			{Name: "completeness_score", Type: "smallint"}, {Name: "completeness_note", Type: "text"},
			{Name: "comparability_score", Type: "smallint"}, {Name: "comparability_note", Type: "text"},
			{Name: "assessed_by", Type: "text"}, {Name: "assessed_on", Type: "date"},
			{Name: "caveats", Type: "text[]"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.DataSourceCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := sourceFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			var r sourceRow
			r.set(f) // the service's own mapping: arrays never nil, quality spread over its columns
			return []any{uuid.Must(uuid.NewV7()), r.Code, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN,
				r.PublisherID, r.Type, r.CoverageStart, r.CoverageEnd, []string(r.SpatialCoverage), r.Periodicity,
				[]string(r.Disaggregations), r.Access, r.Licence, r.Format, r.LandingURL, r.LastUpdated, r.ContactName,
				r.ContactEmail, r.TimelinessScore, r.TimelinessNote, r.CompletenessScore, r.CompletenessNote,
				r.ComparabilityScore, r.ComparabilityNote, r.AssessedBy, r.AssessedOn, []string(r.Caveats), f.Demo}, nil
		},
		Checks: []imports.Check{{Field: "publisher_id", SQL: sourcePublisherCheck}},
		Owner:  `%[1]s.publisher_id`,
		Translate: func(err error) (string, string, bool) {
			return importField((&SourceService{}).translate(err, SourceFields{}))
		},
	}
}

// sourcePublisherCheck is sourceCheckPublisher set-based: the publisher must exist, be
// unarchived and active. Like the service, which checks a publisher when a source is created and
// when an update changes it, it does not check again a publisher the stored source (matched on
// its code, or on its id when the import's key is id) already has.
const sourcePublisherCheck = `
SELECT s.line, CASE WHEN i.id IS NULL THEN 'no such institution' WHEN i.archived_at IS NOT NULL THEN 'is archived'
    ELSE 'is not active (status ' || i.status || ')' END
FROM %[1]s s LEFT JOIN institutions i ON i.id = s.publisher_id
WHERE s.publisher_id IS NOT NULL AND (i.id IS NULL OR i.archived_at IS NOT NULL OR i.status <> 'active')
    AND NOT EXISTS (SELECT 1 FROM data_sources t WHERE t.code = s.code AND t.publisher_id = s.publisher_id)
    AND NOT EXISTS (SELECT 1 FROM data_sources t WHERE t.id = s.id AND t.publisher_id = s.publisher_id)`
