package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

// commentSnapshot is a comment as the audit trail records it: its API representation.
func commentSnapshot(c Comment) any { return commentToAPI(c) }

func commentToAPI(c Comment) api.BlueprintComment {
	out := api.BlueprintComment{Id: c.ID, ArticleId: c.ArticleID, ParentId: c.ParentID, EventId: c.EventID, Author: c.Author,
		Body: c.Body, Resolved: c.Resolved, ResolvedBy: c.ResolvedBy, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
		Replies: make([]api.BlueprintComment, len(c.Replies))}
	for i, r := range c.Replies {
		out.Replies[i] = commentToAPI(r)
	}
	return out
}

// ListBlueprintComments lists an article's comments as threads.
func (h *Handlers) ListBlueprintComments(ctx context.Context, req api.ListBlueprintCommentsRequestObject) (api.ListBlueprintCommentsResponseObject, error) {
	threads, err := h.text().Comments(ctx, req.Id, req.Params.Resolved)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintCommentList{Items: make([]api.BlueprintComment, len(threads))}
	for i, c := range threads {
		out.Items[i] = commentToAPI(c)
	}
	return api.ListBlueprintComments200JSONResponse(out), nil
}

// CreateBlueprintComment comments on an article or replies to a comment.
func (h *Handlers) CreateBlueprintComment(ctx context.Context, req api.CreateBlueprintCommentRequestObject) (api.CreateBlueprintCommentResponseObject, error) {
	b := req.Body
	c, err := h.text().AddComment(ctx, req.Id, CommentFields{Body: b.Body, ParentID: b.ParentId, EventID: b.EventId})
	if err != nil {
		return nil, err
	}
	return api.CreateBlueprintComment201JSONResponse(commentToAPI(c)), nil
}

// UpdateBlueprintComment resolves or reopens a thread, or corrects one's own comment.
func (h *Handlers) UpdateBlueprintComment(ctx context.Context, req api.UpdateBlueprintCommentRequestObject) (api.UpdateBlueprintCommentResponseObject, error) {
	c, err := h.text().UpdateComment(ctx, req.Id, CommentChange{Body: req.Body.Body, Resolved: req.Body.Resolved})
	if err != nil {
		return nil, err
	}
	return api.UpdateBlueprintComment200JSONResponse(commentToAPI(c)), nil
}
