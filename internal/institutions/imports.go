package institutions

import "github.com/puente-mre/puente/internal/imports"

// ImportResources describes this area's records to the importer.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{InstitutionImport()}
}
