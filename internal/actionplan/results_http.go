package actionplan

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) results() *ResultService { return NewResultService(h.db) }

// resultSnapshot is an expected result as the audit trail records it: its API representation.
func resultSnapshot(r Result) any { return resultToAPI(r) }

func indicatorToAPI(i Indicator) api.ResultIndicator {
	return api.ResultIndicator{Code: i.Code, Name: api.LocalizedText{Es: i.Name.ES, En: i.Name.EN}, Unit: i.Unit,
		Baseline: i.Baseline, Target: i.Target, Actual: i.Actual, MeasuredOn: apiconv.Date(i.MeasuredOn)}
}

func resultToAPI(r Result) api.Result {
	inds := make([]api.ResultIndicatorProgress, len(r.Indicators))
	for i, ind := range r.Indicators {
		a := indicatorToAPI(ind)
		inds[i] = api.ResultIndicatorProgress{Code: a.Code, Name: a.Name, Unit: a.Unit, Baseline: a.Baseline,
			Target: a.Target, Actual: a.Actual, MeasuredOn: a.MeasuredOn, Progress: ind.Progress()}
	}
	return api.Result{
		Id: r.ID, ActionId: r.ActionID, Code: r.Code, Statement: api.LongLocalizedText{Es: r.Statement.ES, En: r.Statement.EN},
		Indicators: inds, Progress: r.Progress(), Demo: r.Demo, Version: r.Version, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(r.ArchivedAt),
	}
}

// resultWritable is the document a merge patch of a result applies to: its indicators are always
// present, so a patch replaces them whole, and null clears them.
func resultWritable(r Result) api.ResultCreate {
	inds := make([]api.ResultIndicator, len(r.Indicators))
	for i, ind := range r.Indicators {
		inds[i] = indicatorToAPI(ind)
	}
	return api.ResultCreate{ActionId: r.ActionID, Code: r.Code,
		Statement: api.LongLocalizedText{Es: r.Statement.ES, En: r.Statement.EN}, Indicators: &inds}
}

func resultFromAPI(in api.ResultCreate) ResultFields {
	f := ResultFields{ActionID: in.ActionId, Code: in.Code, Statement: Text{ES: in.Statement.Es, EN: in.Statement.En}}
	if in.Indicators != nil {
		for _, i := range *in.Indicators {
			f.Indicators = append(f.Indicators, Indicator{Code: i.Code, Name: Text{ES: i.Name.Es, EN: i.Name.En},
				Unit: i.Unit, Baseline: i.Baseline, Target: i.Target, Actual: i.Actual, MeasuredOn: apiconv.Day(i.MeasuredOn)})
		}
	}
	return f
}

// ListResults lists expected results.
func (h *Handlers) ListResults(ctx context.Context, req api.ListResultsRequestObject) (api.ListResultsResponseObject, error) {
	p := req.Params
	f := ResultFilter{Page: aplPage(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), ActionID: p.ActionId}
	items, next, err := h.results().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ResultPage{Items: make([]api.Result, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = resultToAPI(it)
	}
	return api.ListResults200JSONResponse(out), nil
}

// CreateResult records an expected result.
func (h *Handlers) CreateResult(ctx context.Context, req api.CreateResultRequestObject) (api.CreateResultResponseObject, error) {
	r, err := h.results().Create(ctx, resultFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateResult201JSONResponse{Body: resultToAPI(r), Headers: api.CreateResult201ResponseHeaders{
		Location: new("/v1/results/" + r.ID.String()), ETag: new(etag.Of(r.Version)),
	}}, nil
}

// GetResult returns one expected result.
func (h *Handlers) GetResult(ctx context.Context, req api.GetResultRequestObject) (api.GetResultResponseObject, error) {
	r, err := h.results().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetResult200JSONResponse{Body: resultToAPI(r),
		Headers: api.GetResult200ResponseHeaders{ETag: new(etag.Of(r.Version))}}, nil
}

// UpdateResult applies a JSON Merge Patch (RFC 7396) to the result's writable representation and
// stores the result.
func (h *Handlers) UpdateResult(ctx context.Context, req api.UpdateResultRequestObject) (api.UpdateResultResponseObject, error) {
	r, err := h.results().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Result) (ResultFields, error) {
		var next api.ResultCreate
		if err := mergepatch.Apply(resultWritable(current), *req.Body, &next); err != nil {
			return ResultFields{}, err
		}
		return resultFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateResult200JSONResponse{Body: resultToAPI(r),
		Headers: api.UpdateResult200ResponseHeaders{ETag: new(etag.Of(r.Version))}}, nil
}

// ArchiveResult archives an expected result.
func (h *Handlers) ArchiveResult(ctx context.Context, req api.ArchiveResultRequestObject) (api.ArchiveResultResponseObject, error) {
	if err := h.results().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveResult204Response{}, nil
}
