package deliverables

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/etag"
)

// ListDeliverableTransitions returns a deliverable's workflow history, oldest first.
func (h *Handlers) ListDeliverableTransitions(ctx context.Context, req api.ListDeliverableTransitionsRequestObject) (api.ListDeliverableTransitionsResponseObject, error) {
	ts, err := h.service().History(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.DeliverableTransitionList{Items: make([]api.DeliverableTransition, len(ts))}
	for i, t := range ts {
		out.Items[i] = api.DeliverableTransition{Id: t.ID, From: api.DeliverableStatus(t.From), To: api.DeliverableStatus(t.To),
			Comment: t.Comment, ReviewId: t.ReviewID, Actor: t.Actor, OccurredAt: t.OccurredAt.UTC()}
	}
	return api.ListDeliverableTransitions200JSONResponse(out), nil
}

// TransitionDeliverable moves a deliverable through its workflow.
func (h *Handlers) TransitionDeliverable(ctx context.Context, req api.TransitionDeliverableRequestObject) (api.TransitionDeliverableResponseObject, error) {
	d, err := h.service().Transition(ctx, req.Id, etag.IfMatch(req.Params.IfMatch),
		Move{To: string(req.Body.To), Comment: req.Body.Comment, ReviewID: req.Body.ReviewId})
	if err != nil {
		return nil, err
	}
	return api.TransitionDeliverable200JSONResponse{Body: toAPI(d),
		Headers: api.TransitionDeliverable200ResponseHeaders{ETag: new(etag.Of(d.Version))}}, nil
}

// reviewSnapshot is a review as the audit trail records it: its API representation.
func reviewSnapshot(r Review) any { return reviewToAPI(r) }

func reviewToAPI(r Review) api.DeliverableReview {
	return api.DeliverableReview{Id: r.ID, DeliverableId: r.DeliverableID, Reviewer: r.Reviewer,
		Verdict: api.ReviewVerdict(r.Verdict), Comments: r.Comments, VersionId: r.VersionID, CreatedAt: r.CreatedAt.UTC()}
}

// ListDeliverableReviews returns a deliverable's reviews, oldest first.
func (h *Handlers) ListDeliverableReviews(ctx context.Context, req api.ListDeliverableReviewsRequestObject) (api.ListDeliverableReviewsResponseObject, error) {
	rs, err := h.service().Reviews(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.DeliverableReviewList{Items: make([]api.DeliverableReview, len(rs))}
	for i, r := range rs {
		out.Items[i] = reviewToAPI(r)
	}
	return api.ListDeliverableReviews200JSONResponse(out), nil
}

// CreateDeliverableReview records the caller's review of a deliverable.
func (h *Handlers) CreateDeliverableReview(ctx context.Context, req api.CreateDeliverableReviewRequestObject) (api.CreateDeliverableReviewResponseObject, error) {
	r, err := h.service().Review(ctx, req.Id, ReviewFields{Verdict: string(req.Body.Verdict), Comments: req.Body.Comments,
		VersionID: req.Body.VersionId})
	if err != nil {
		return nil, err
	}
	return api.CreateDeliverableReview201JSONResponse{Body: reviewToAPI(r), Headers: api.CreateDeliverableReview201ResponseHeaders{
		Location: new("/v1/deliverables/" + r.DeliverableID.String() + "/reviews"),
	}}, nil
}
