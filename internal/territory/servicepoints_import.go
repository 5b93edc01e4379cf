package territory

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/records"
)

// pointMatch is the stored point t a staged row s would update, matched on its id or its natural
// key (service, region, provider and channel). References such a point holds already are not
// checked again, as Points.Update does not check them.
const pointMatch = `(t.id = s.id OR (t.service_id = s.service_id AND t.region = s.region
	AND t.provider_id = s.provider_id AND t.channel = s.channel))`

// ServicePointImport describes service points to the importer: matched on their natural key
// (key "code", the default: service, region, provider and channel, the table's unique key) or id,
// checked and normalised with PointFields.Validate, their service and provider checked set-based
// as checkPointReferences checks them, owned by their provider (editors and partners import only
// their own institution's points, as they write them one by one).
func ServicePointImport() *imports.Resource {
	s := pointStore(nil)
	return &imports.Resource{
		Name: "service-points", Create: "ServicePointCreate", Represent: "ServicePoint",
		WriteScope: auth.ScopePracticesWrite, Table: "service_points",
		Keys:       map[string][]string{"code": {"service_id", "region", "provider_id", "channel"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "service_id", Type: "uuid"}, {Name: "region", Type: "text"},
			{Name: "provider_id", Type: "uuid"}, {Name: "channel", Type: "text"}, {Name: "address", Type: "text"},
			{Name: "notes", Type: "text"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.ServicePointCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := pointFromAPI(in)
			if err := s.Validate(&f); err != nil {
				return nil, err
			}
			r, err := s.Build(f, records.Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
			if err != nil {
				return nil, err
			}
			return []any{r.Base.ID, r.ServiceID, r.Region, r.ProviderID, r.Channel, r.Address, r.Notes, r.Base.Demo}, nil
		},
		Checks: []imports.Check{
			{Field: "service_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such service' ELSE 'is archived' END
FROM %[1]s s LEFT JOIN services r ON r.id = s.service_id
WHERE (r.id IS NULL OR r.archived_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM service_points t WHERE ` + pointMatch + ` AND t.service_id = s.service_id)`},
			{Field: "provider_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such institution' WHEN r.archived_at IS NOT NULL THEN 'is archived'
	WHEN r.status = 'dissolved' THEN 'is dissolved' ELSE 'is not active' END
FROM %[1]s s LEFT JOIN institutions r ON r.id = s.provider_id
WHERE (r.id IS NULL OR r.archived_at IS NOT NULL OR r.status <> 'active')
  AND NOT EXISTS (SELECT 1 FROM service_points t WHERE ` + pointMatch + ` AND t.provider_id = s.provider_id)`},
		},
		Owner: `%[1]s.provider_id`,
		Translate: func(err error) (string, string, bool) {
			var e *apperr.Error
			if !errors.As(s.Translate(err, PointFields{}), &e) {
				return "", "", false
			}
			if len(e.Fields) > 0 {
				return e.Fields[0].Field, e.Fields[0].Message, true
			}
			return "", e.Message, e.Code == apperr.Conflict
		},
	}
}
