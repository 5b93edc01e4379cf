package agreements

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/imports"
)

// ExportAgreements streams the agreements ListAgreements would page through, in its order,
// with one difference: `status` is the stored state (pending, in_progress or done), never the
// computed `overdue` — `overdue` and `overdue_days` still say which are late — so that the file
// imports back (the create body, which an import row must satisfy, takes only stored states, and
// an overdue agreement's stored state cannot be told from "overdue").
func (h *Handlers) ExportAgreements(ctx context.Context, req api.ExportAgreementsRequestObject) (api.ExportAgreementsResponseObject, error) {
	p := imports.ListParams[api.ListAgreementsParams](req.Params)
	size := imports.ExportPageSize
	p.PageSize = &size
	f := filter(p.PageSize, nil, p.IncludeArchived, p.Code, p.Q, p.BodyId, p.SessionId, p.InstitutionId, p.Status,
		p.DueFrom, p.DueTo, p.OrderBy)
	svc := h.service()
	on := today()
	out, err := imports.Stream(ctx, req.Params.Format, "Agreement", func(ctx context.Context, token *string) ([]api.Agreement, string, error) {
		f.PageToken = ""
		if token != nil {
			f.PageToken = *token
		}
		items, next, err := svc.List(ctx, f)
		if err != nil {
			return nil, "", err
		}
		page := make([]api.Agreement, len(items))
		for i, it := range items {
			page[i] = toAPI(it, on)
			status := api.AgreementStatus(it.Status)
			page[i].Status = &status
		}
		return page, next, nil
	})
	if err != nil {
		return nil, err
	}
	if out.CSV {
		return api.ExportAgreements200TextcsvResponse{Body: out.Body}, nil
	}
	return api.ExportAgreements200ApplicationxNdjsonResponse{Body: out.Body}, nil
}
