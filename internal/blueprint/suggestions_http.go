package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
)

// suggestionSnapshot is a suggestion as the audit trail records it: its API representation.
func suggestionSnapshot(s Suggestion) any { return suggestionToAPI(s) }

func suggestionToAPI(s Suggestion) api.BlueprintSuggestion {
	out := api.BlueprintSuggestion{Id: s.ID, ArticleId: s.ArticleID, Author: s.Author,
		Heading: localized(s.HeadingES, s.HeadingEN), Rationale: s.Rationale, Status: api.SuggestionStatus(s.Status),
		BaseVersion: s.BaseVersion, DecidedBy: s.DecidedBy, DecidedAt: apiconv.UTC(s.DecidedAt),
		DecisionComment: s.DecisionComment, CreatedAt: s.CreatedAt.UTC()}
	if s.TextES != nil || s.TextEN != nil {
		out.Text = &api.LongLocalizedText{Es: s.TextES, En: s.TextEN}
	}
	return out
}

// ListBlueprintSuggestions lists an article's suggestions, newest first.
func (h *Handlers) ListBlueprintSuggestions(ctx context.Context, req api.ListBlueprintSuggestionsRequestObject) (api.ListBlueprintSuggestionsResponseObject, error) {
	status := ""
	if req.Params.Status != nil {
		status = string(*req.Params.Status)
	}
	items, err := h.text().Suggestions(ctx, req.Id, status)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintSuggestionList{Items: make([]api.BlueprintSuggestion, len(items))}
	for i, it := range items {
		out.Items[i] = suggestionToAPI(it)
	}
	return api.ListBlueprintSuggestions200JSONResponse(out), nil
}

// CreateBlueprintSuggestion suggests a new heading or text for an article.
func (h *Handlers) CreateBlueprintSuggestion(ctx context.Context, req api.CreateBlueprintSuggestionRequestObject) (api.CreateBlueprintSuggestionResponseObject, error) {
	b := req.Body
	f := SuggestionFields{Rationale: b.Rationale}
	f.HeadingES, f.HeadingEN = orEmpty(b.Heading)
	if b.Text != nil {
		f.TextES, f.TextEN = b.Text.Es, b.Text.En
	}
	s, err := h.text().Suggest(ctx, req.Id, f)
	if err != nil {
		return nil, err
	}
	return api.CreateBlueprintSuggestion201JSONResponse(suggestionToAPI(s)), nil
}

// DecideBlueprintSuggestion accepts or rejects a suggestion.
func (h *Handlers) DecideBlueprintSuggestion(ctx context.Context, req api.DecideBlueprintSuggestionRequestObject) (api.DecideBlueprintSuggestionResponseObject, error) {
	d := Decision{Accept: req.Body.Accept, Comment: req.Body.Comment, Force: req.Body.Force != nil && *req.Body.Force}
	s, err := h.text().Decide(ctx, req.Id, d)
	if err != nil {
		return nil, err
	}
	return api.DecideBlueprintSuggestion200JSONResponse(suggestionToAPI(s)), nil
}
