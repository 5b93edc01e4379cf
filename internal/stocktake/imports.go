package stocktake

import (
	"errors"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/imports"
)

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{IndicatorImport(), SourceImport(), ObservationImport(), GapImport()}
}

// importField is the first field error of err, a service's translation of a database error, as
// the importer reports it on a row; ok is false when the translation names no field (an
// unforeseen constraint), so that the importer's generic message is used instead.
func importField(err error) (field, message string, ok bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return "", "", false
	}
	return e.Fields[0].Field, e.Fields[0].Message, true
}
