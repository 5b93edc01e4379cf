package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

// GetBlueprintTraceability returns what informed each article of a blueprint.
func (h *Handlers) GetBlueprintTraceability(ctx context.Context, req api.GetBlueprintTraceabilityRequestObject) (api.GetBlueprintTraceabilityResponseObject, error) {
	traces, err := h.versions().Traceability(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintTraceability{BlueprintId: req.Id, Articles: make([]api.ArticleTrace, len(traces))}
	for i, t := range traces {
		out.Articles[i] = api.ArticleTrace{ArticleId: t.ArticleID, Number: t.Number, Functions: traceRefsToAPI(t.Functions),
			Units: traceRefsToAPI(t.Units), Services: traceRefsToAPI(t.Services),
			ConsultationInputs: traceRefsToAPI(t.ConsultationInputs), Practices: traceRefsToAPI(t.Practices),
			Gaps: traceRefsToAPI(t.Gaps)}
	}
	return api.GetBlueprintTraceability200JSONResponse(out), nil
}

// traceRefsToAPI converts refs; a record with a title in neither language (only spaces) is
// titled by its code, as the contract wants a title.
func traceRefsToAPI(refs []TraceRef) []api.TraceRef {
	out := make([]api.TraceRef, len(refs))
	for i, r := range refs {
		title := api.LocalizedText{Es: r.TitleES, En: r.TitleEN}
		if title.Es == nil && title.En == nil {
			title.Es = new(r.Code)
		}
		out[i] = api.TraceRef{Id: r.ID, Code: r.Code, Title: title}
	}
	return out
}
