package mandates

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// scenarioSnapshot is the API representation of a scenario; the audit trail records it.
func scenarioSnapshot(s Scenario) any { return scenarioAPI(s) }

func scenarioAPI(s Scenario) api.MandateScenario {
	out := api.MandateScenario{
		Id: s.ID, Code: s.Code, Name: api.LocalizedText{Es: s.NameES, En: s.NameEN}, Kind: api.ScenarioKind(s.Kind),
		Status: api.ScenarioStatus(s.Status), CopiedFromId: s.CopiedFromID, AdoptedAt: apiconv.UTC(s.AdoptedAt),
		AdoptedBy: s.AdoptedBy, Demo: s.Demo, Version: s.Version, CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(s.ArchivedAt),
	}
	if s.DescriptionES != nil || s.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: s.DescriptionES, En: s.DescriptionEN}
	}
	return out
}

// scenarioWritable is the document a merge patch applies to.
func scenarioWritable(s Scenario) api.MandateScenarioCreate {
	out := api.MandateScenarioCreate{Code: s.Code, Name: api.LocalizedText{Es: s.NameES, En: s.NameEN}, Kind: api.ScenarioKind(s.Kind)}
	if s.DescriptionES != nil || s.DescriptionEN != nil {
		out.Description = &api.LongLocalizedText{Es: s.DescriptionES, En: s.DescriptionEN}
	}
	return out
}

func scenarioFromAPI(in api.MandateScenarioCreate) ScenarioFields {
	f := ScenarioFields{Code: in.Code, NameES: in.Name.Es, NameEN: in.Name.En, Kind: string(in.Kind)}
	if in.Description != nil {
		f.DescriptionES, f.DescriptionEN = in.Description.Es, in.Description.En
	}
	return f
}

func scenarioETag(s Scenario) *string {
	tag := etag.Of(s.Version)
	return &tag
}

// ListMandateScenarios lists scenarios by code.
func (h *Handlers) ListMandateScenarios(ctx context.Context, req api.ListMandateScenariosRequestObject) (api.ListMandateScenariosResponseObject, error) {
	p := req.Params
	f := ScenarioFilter{PageSize: paging.Size(p.PageSize)}
	if p.Kind != nil {
		f.Kind = string(*p.Kind)
	}
	if p.Status != nil {
		f.Status = string(*p.Status)
	}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	items, next, err := NewScenarioService(h.db).List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.MandateScenarioPage{Items: make([]api.MandateScenario, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = scenarioAPI(it)
	}
	return api.ListMandateScenarios200JSONResponse(out), nil
}

// CreateMandateScenario creates a scenario, empty or as a copy of another.
func (h *Handlers) CreateMandateScenario(ctx context.Context, req api.CreateMandateScenarioRequestObject) (api.CreateMandateScenarioResponseObject, error) {
	s, err := NewScenarioService(h.db).Create(ctx, scenarioFromAPI(*req.Body), req.Body.CopyFromId)
	if err != nil {
		return nil, err
	}
	location := "/v1/mandate-scenarios/" + s.ID.String()
	return api.CreateMandateScenario201JSONResponse{Body: scenarioAPI(s), Headers: api.CreateMandateScenario201ResponseHeaders{
		Location: &location, ETag: scenarioETag(s),
	}}, nil
}

// GetMandateScenario returns one scenario.
func (h *Handlers) GetMandateScenario(ctx context.Context, req api.GetMandateScenarioRequestObject) (api.GetMandateScenarioResponseObject, error) {
	s, err := NewScenarioService(h.db).Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetMandateScenario200JSONResponse{Body: scenarioAPI(s), Headers: api.GetMandateScenario200ResponseHeaders{ETag: scenarioETag(s)}}, nil
}

// UpdateMandateScenario applies a JSON Merge Patch to a draft scenario.
func (h *Handlers) UpdateMandateScenario(ctx context.Context, req api.UpdateMandateScenarioRequestObject) (api.UpdateMandateScenarioResponseObject, error) {
	s, err := NewScenarioService(h.db).Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Scenario) (ScenarioFields, error) {
		var next api.MandateScenarioCreate
		if err := mergepatch.Apply(scenarioWritable(current), *req.Body, &next); err != nil {
			return ScenarioFields{}, err
		}
		return scenarioFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateMandateScenario200JSONResponse{Body: scenarioAPI(s), Headers: api.UpdateMandateScenario200ResponseHeaders{ETag: scenarioETag(s)}}, nil
}

// ArchiveMandateScenario archives a draft scenario.
func (h *Handlers) ArchiveMandateScenario(ctx context.Context, req api.ArchiveMandateScenarioRequestObject) (api.ArchiveMandateScenarioResponseObject, error) {
	if err := NewScenarioService(h.db).Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveMandateScenario204Response{}, nil
}

// AdoptMandateScenario adopts a draft scenario.
func (h *Handlers) AdoptMandateScenario(ctx context.Context, req api.AdoptMandateScenarioRequestObject) (api.AdoptMandateScenarioResponseObject, error) {
	s, err := NewScenarioService(h.db).Adopt(ctx, req.Id, etag.IfMatch(req.Params.IfMatch))
	if err != nil {
		return nil, err
	}
	return api.AdoptMandateScenario200JSONResponse{Body: scenarioAPI(s), Headers: api.AdoptMandateScenario200ResponseHeaders{ETag: scenarioETag(s)}}, nil
}
