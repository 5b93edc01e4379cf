package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

// ListBlueprintArticles is not implemented yet.
func (h *Handlers) ListBlueprintArticles(ctx context.Context, req api.ListBlueprintArticlesRequestObject) (api.ListBlueprintArticlesResponseObject, error) {
	return nil, errNotImplemented
}

// CreateBlueprintArticle is not implemented yet.
func (h *Handlers) CreateBlueprintArticle(ctx context.Context, req api.CreateBlueprintArticleRequestObject) (api.CreateBlueprintArticleResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveBlueprintArticle is not implemented yet.
func (h *Handlers) ArchiveBlueprintArticle(ctx context.Context, req api.ArchiveBlueprintArticleRequestObject) (api.ArchiveBlueprintArticleResponseObject, error) {
	return nil, errNotImplemented
}

// GetBlueprintArticle is not implemented yet.
func (h *Handlers) GetBlueprintArticle(ctx context.Context, req api.GetBlueprintArticleRequestObject) (api.GetBlueprintArticleResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateBlueprintArticle is not implemented yet.
func (h *Handlers) UpdateBlueprintArticle(ctx context.Context, req api.UpdateBlueprintArticleRequestObject) (api.UpdateBlueprintArticleResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprintComments is not implemented yet.
func (h *Handlers) ListBlueprintComments(ctx context.Context, req api.ListBlueprintCommentsRequestObject) (api.ListBlueprintCommentsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateBlueprintComment is not implemented yet.
func (h *Handlers) CreateBlueprintComment(ctx context.Context, req api.CreateBlueprintCommentRequestObject) (api.CreateBlueprintCommentResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprintSuggestions is not implemented yet.
func (h *Handlers) ListBlueprintSuggestions(ctx context.Context, req api.ListBlueprintSuggestionsRequestObject) (api.ListBlueprintSuggestionsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateBlueprintSuggestion is not implemented yet.
func (h *Handlers) CreateBlueprintSuggestion(ctx context.Context, req api.CreateBlueprintSuggestionRequestObject) (api.CreateBlueprintSuggestionResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprintChapters is not implemented yet.
func (h *Handlers) ListBlueprintChapters(ctx context.Context, req api.ListBlueprintChaptersRequestObject) (api.ListBlueprintChaptersResponseObject, error) {
	return nil, errNotImplemented
}

// CreateBlueprintChapter is not implemented yet.
func (h *Handlers) CreateBlueprintChapter(ctx context.Context, req api.CreateBlueprintChapterRequestObject) (api.CreateBlueprintChapterResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveBlueprintChapter is not implemented yet.
func (h *Handlers) ArchiveBlueprintChapter(ctx context.Context, req api.ArchiveBlueprintChapterRequestObject) (api.ArchiveBlueprintChapterResponseObject, error) {
	return nil, errNotImplemented
}

// GetBlueprintChapter is not implemented yet.
func (h *Handlers) GetBlueprintChapter(ctx context.Context, req api.GetBlueprintChapterRequestObject) (api.GetBlueprintChapterResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateBlueprintChapter is not implemented yet.
func (h *Handlers) UpdateBlueprintChapter(ctx context.Context, req api.UpdateBlueprintChapterRequestObject) (api.UpdateBlueprintChapterResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateBlueprintComment is not implemented yet.
func (h *Handlers) UpdateBlueprintComment(ctx context.Context, req api.UpdateBlueprintCommentRequestObject) (api.UpdateBlueprintCommentResponseObject, error) {
	return nil, errNotImplemented
}

// DecideBlueprintSuggestion is not implemented yet.
func (h *Handlers) DecideBlueprintSuggestion(ctx context.Context, req api.DecideBlueprintSuggestionRequestObject) (api.DecideBlueprintSuggestionResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprints is not implemented yet.
func (h *Handlers) ListBlueprints(ctx context.Context, req api.ListBlueprintsRequestObject) (api.ListBlueprintsResponseObject, error) {
	return nil, errNotImplemented
}

// CreateBlueprint is not implemented yet.
func (h *Handlers) CreateBlueprint(ctx context.Context, req api.CreateBlueprintRequestObject) (api.CreateBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// ArchiveBlueprint is not implemented yet.
func (h *Handlers) ArchiveBlueprint(ctx context.Context, req api.ArchiveBlueprintRequestObject) (api.ArchiveBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// GetBlueprint is not implemented yet.
func (h *Handlers) GetBlueprint(ctx context.Context, req api.GetBlueprintRequestObject) (api.GetBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// UpdateBlueprint is not implemented yet.
func (h *Handlers) UpdateBlueprint(ctx context.Context, req api.UpdateBlueprintRequestObject) (api.UpdateBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// ReorderBlueprint is not implemented yet.
func (h *Handlers) ReorderBlueprint(ctx context.Context, req api.ReorderBlueprintRequestObject) (api.ReorderBlueprintResponseObject, error) {
	return nil, errNotImplemented
}

// GetBlueprintOutline is not implemented yet.
func (h *Handlers) GetBlueprintOutline(ctx context.Context, req api.GetBlueprintOutlineRequestObject) (api.GetBlueprintOutlineResponseObject, error) {
	return nil, errNotImplemented
}
