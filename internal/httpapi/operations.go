package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/common/expfmt"

	puente "github.com/puente-mre/puente"
	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/docs"
)

// Operations serve health, metrics, the contract and its reference page.
type Operations struct {
	db       *database.DB
	migrator *database.Migrator
	metrics  *Metrics
	specJSON []byte
	docsPage docs.File
}

// NewOperations prepares the operational endpoints.
func NewOperations(db *database.DB, migrator *database.Migrator, metrics *Metrics) (*Operations, error) {
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, err
	}
	specJSON, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	return &Operations{db: db, migrator: migrator, metrics: metrics, specJSON: specJSON, docsPage: docs.Page("/openapi.yaml")}, nil
}

// GetHealth answers while the process runs.
func (o *Operations) GetHealth(context.Context, api.GetHealthRequestObject) (api.GetHealthResponseObject, error) {
	return api.GetHealth200JSONResponse{Status: api.Ok}, nil
}

// GetReadiness answers 200 only when the database answers and no migration is pending.
func (o *Operations) GetReadiness(ctx context.Context, _ api.GetReadinessRequestObject) (api.GetReadinessResponseObject, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "migrations": "ok"}
	ready := true
	if err := o.db.Pool.Ping(ctx); err != nil {
		checks["database"], ready = "unreachable", false
	}
	if pending, err := o.migrator.Pending(ctx); err != nil {
		checks["migrations"], ready = "unknown", false
	} else if pending {
		checks["migrations"], ready = "pending", false
	}
	if !ready {
		return api.GetReadiness503JSONResponse{Status: api.Unavailable, Checks: &checks}, nil
	}
	return api.GetReadiness200JSONResponse{Status: api.Ok, Checks: &checks}, nil
}

// GetMetrics renders the registry in the Prometheus text format.
func (o *Operations) GetMetrics(context.Context, api.GetMetricsRequestObject) (api.GetMetricsResponseObject, error) {
	families, err := o.metrics.Registry.Gather()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return nil, err
		}
	}
	return api.GetMetrics200TextResponse(buf.String()), nil
}

// GetOpenAPIYAML serves openapi.yaml as written.
func (o *Operations) GetOpenAPIYAML(context.Context, api.GetOpenAPIYAMLRequestObject) (api.GetOpenAPIYAMLResponseObject, error) {
	return api.GetOpenAPIYAML200ApplicationyamlResponse{Body: bytes.NewReader(puente.OpenAPIYAML), ContentLength: int64(len(puente.OpenAPIYAML))}, nil
}

// GetOpenAPIJSON serves the contract as JSON.
func (o *Operations) GetOpenAPIJSON(context.Context, api.GetOpenAPIJSONRequestObject) (api.GetOpenAPIJSONResponseObject, error) {
	return rawJSON(o.specJSON), nil
}

// GetDocs serves the reference page.
func (o *Operations) GetDocs(context.Context, api.GetDocsRequestObject) (api.GetDocsResponseObject, error) {
	return docsFile(o.docsPage), nil
}

// GetDocsAsset serves the page's scripts.
func (o *Operations) GetDocsAsset(_ context.Context, req api.GetDocsAssetRequestObject) (api.GetDocsAssetResponseObject, error) {
	f, ok := docs.Asset(req.Asset)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no asset %s", req.Asset)
	}
	return docsFile(f), nil
}

// docsFile lets an embedded docs file be a strict-server response.
type docsFile docs.File

func (f docsFile) VisitGetDocsResponse(w http.ResponseWriter) error { return docs.File(f).Write(w) }
func (f docsFile) VisitGetDocsAssetResponse(w http.ResponseWriter) error {
	return docs.File(f).Write(w)
}

// rawJSON is a pre-encoded JSON response.
type rawJSON []byte

func (b rawJSON) VisitGetOpenAPIJSONResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}
