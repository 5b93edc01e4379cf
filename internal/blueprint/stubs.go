// Package blueprint is the structured document of internal rules co-drafted article by article:
// chapters, articles, comments, suggestions, frozen versions, comparison and export.
package blueprint

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/database"
)

// Tree answers whether a unit lies in another's subtree (institutions.Service implements it);
// it limits editors' and partners' writes to their own institution.
type Tree interface {
	Within(ctx context.Context, node, root uuid.UUID) (bool, error)
}

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree Tree) *Handlers { return &Handlers{db: db, tree: tree} }

var errNotImplemented = errors.New("not implemented")

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

// GetBlueprintVersion is not implemented yet.
func (h *Handlers) GetBlueprintVersion(ctx context.Context, req api.GetBlueprintVersionRequestObject) (api.GetBlueprintVersionResponseObject, error) {
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

// CompareBlueprintVersions is not implemented yet.
func (h *Handlers) CompareBlueprintVersions(ctx context.Context, req api.CompareBlueprintVersionsRequestObject) (api.CompareBlueprintVersionsResponseObject, error) {
	return nil, errNotImplemented
}

// ExportBlueprint is not implemented yet.
func (h *Handlers) ExportBlueprint(ctx context.Context, req api.ExportBlueprintRequestObject) (api.ExportBlueprintResponseObject, error) {
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

// GetBlueprintTraceability is not implemented yet.
func (h *Handlers) GetBlueprintTraceability(ctx context.Context, req api.GetBlueprintTraceabilityRequestObject) (api.GetBlueprintTraceabilityResponseObject, error) {
	return nil, errNotImplemented
}

// ListBlueprintVersions is not implemented yet.
func (h *Handlers) ListBlueprintVersions(ctx context.Context, req api.ListBlueprintVersionsRequestObject) (api.ListBlueprintVersionsResponseObject, error) {
	return nil, errNotImplemented
}

// FreezeBlueprintVersion is not implemented yet.
func (h *Handlers) FreezeBlueprintVersion(ctx context.Context, req api.FreezeBlueprintVersionRequestObject) (api.FreezeBlueprintVersionResponseObject, error) {
	return nil, errNotImplemented
}
