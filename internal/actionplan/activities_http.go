package actionplan

import (
	"context"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) activities() *ActivityService { return NewActivityService(h.db) }

// activitySnapshot is an activity as the audit trail records it: its API representation.
func activitySnapshot(a Activity) any { return activityToAPI(a) }

func activityToAPI(a Activity) api.Activity {
	return api.Activity{
		Id: a.ID, ActionId: a.ActionID, Code: a.Code, Type: api.ActivityType(a.Type),
		Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN}, Description: aplText(a.Description),
		StartDate: openapi_types.Date{Time: a.StartDate}, EndDate: openapi_types.Date{Time: a.EndDate},
		Status: api.ActivityStatus(a.Status), Progress: a.Progress, EventIds: append([]uuid.UUID{}, a.EventIDs...),
		DeliverableIds: append([]uuid.UUID{}, a.DeliverableIDs...), Demo: a.Demo, Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// activityWritable is the document a merge patch of an activity applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func activityWritable(a Activity) api.ActivityCreate {
	events := append([]uuid.UUID{}, a.EventIDs...)
	deliverables := append([]uuid.UUID{}, a.DeliverableIDs...)
	status := api.ActivityStatus(a.Status)
	return api.ActivityCreate{
		ActionId: a.ActionID, Code: a.Code, Type: api.ActivityType(a.Type), Title: api.LocalizedText{Es: a.Title.ES, En: a.Title.EN},
		Description: aplText(a.Description), StartDate: openapi_types.Date{Time: a.StartDate},
		EndDate: openapi_types.Date{Time: a.EndDate}, Status: &status, Progress: new(a.Progress), EventIds: &events,
		DeliverableIds: &deliverables,
	}
}

func activityFromAPI(in api.ActivityCreate) ActivityFields {
	f := ActivityFields{
		ActionID: in.ActionId, Code: in.Code, Type: string(in.Type), Title: Text{ES: in.Title.Es, EN: in.Title.En},
		Description: aplTextFrom(in.Description), StartDate: in.StartDate.Time, EndDate: in.EndDate.Time,
	}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	if in.Progress != nil {
		f.Progress = *in.Progress
	}
	if in.EventIds != nil {
		f.EventIDs = append([]uuid.UUID{}, *in.EventIds...)
	}
	if in.DeliverableIds != nil {
		f.DeliverableIDs = append([]uuid.UUID{}, *in.DeliverableIds...)
	}
	return f
}

// ListActivities lists activities.
func (h *Handlers) ListActivities(ctx context.Context, req api.ListActivitiesRequestObject) (api.ListActivitiesResponseObject, error) {
	p := req.Params
	f := ActivityFilter{Page: aplPage(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.OrderBy), ActionID: p.ActionId,
		Types: apiconv.Strings(p.Type), Statuses: apiconv.Strings(p.Status), DateFrom: apiconv.Day(p.DateFrom),
		DateTo: apiconv.Day(p.DateTo)}
	items, next, err := h.activities().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ActivityPage{Items: make([]api.Activity, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = activityToAPI(it)
	}
	return api.ListActivities200JSONResponse(out), nil
}

// CreateActivity records an activity.
func (h *Handlers) CreateActivity(ctx context.Context, req api.CreateActivityRequestObject) (api.CreateActivityResponseObject, error) {
	a, err := h.activities().Create(ctx, activityFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateActivity201JSONResponse{Body: activityToAPI(a), Headers: api.CreateActivity201ResponseHeaders{
		Location: new("/v1/activities/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetActivity returns one activity.
func (h *Handlers) GetActivity(ctx context.Context, req api.GetActivityRequestObject) (api.GetActivityResponseObject, error) {
	a, err := h.activities().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetActivity200JSONResponse{Body: activityToAPI(a),
		Headers: api.GetActivity200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateActivity applies a JSON Merge Patch (RFC 7396) to the activity's writable representation
// and stores the result.
func (h *Handlers) UpdateActivity(ctx context.Context, req api.UpdateActivityRequestObject) (api.UpdateActivityResponseObject, error) {
	a, err := h.activities().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Activity) (ActivityFields, error) {
		var next api.ActivityCreate
		if err := mergepatch.Apply(activityWritable(current), *req.Body, &next); err != nil {
			return ActivityFields{}, err
		}
		return activityFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateActivity200JSONResponse{Body: activityToAPI(a),
		Headers: api.UpdateActivity200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveActivity archives an activity.
func (h *Handlers) ArchiveActivity(ctx context.Context, req api.ArchiveActivityRequestObject) (api.ArchiveActivityResponseObject, error) {
	if err := h.activities().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveActivity204Response{}, nil
}
