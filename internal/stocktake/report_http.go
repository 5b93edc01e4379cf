package stocktake

import (
	"context"
	"errors"

	"github.com/puente-mre/puente/api"
)

// GetStocktakeReport returns the stocktaking report.
func (h *Handlers) GetStocktakeReport(ctx context.Context, req api.GetStocktakeReportRequestObject) (api.GetStocktakeReportResponseObject, error) {
	return nil, errors.New("not implemented")
}
