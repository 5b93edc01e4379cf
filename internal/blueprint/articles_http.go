package blueprint

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// articleSnapshot is an article as the audit trail (and a 412's "current") records it: its API
// representation.
func articleSnapshot(a Article) any { return articleToAPI(a) }

func articleToAPI(a Article) api.BlueprintArticle {
	return api.BlueprintArticle{Id: a.ID, BlueprintId: a.BlueprintID, ChapterId: a.ChapterID, Number: a.Number,
		Heading: localized(a.HeadingES, a.HeadingEN), Text: api.LongLocalizedText{Es: a.TextES, En: a.TextEN},
		Position: a.Position, FunctionIds: append([]uuid.UUID{}, a.FunctionIDs...), UnitIds: append([]uuid.UUID{}, a.UnitIDs...),
		Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(a.ArchivedAt)}
}

func articleFromAPI(in api.BlueprintArticleCreate) ArticleFields {
	f := ArticleFields{ChapterID: in.ChapterId, Number: in.Number, TextES: in.Text.Es, TextEN: in.Text.En}
	f.HeadingES, f.HeadingEN = orEmpty(in.Heading)
	if in.Position != nil {
		f.Position = *in.Position
	}
	if in.FunctionIds != nil {
		f.FunctionIDs = append([]uuid.UUID{}, *in.FunctionIds...)
	}
	if in.UnitIds != nil {
		f.UnitIDs = append([]uuid.UUID{}, *in.UnitIds...)
	}
	return f
}

// articleWritable is the document a merge patch of an article applies to: its lists are always
// present, so a patch replaces them whole, and null clears them (as it clears the heading).
func articleWritable(a Article) api.BlueprintArticleCreate {
	functions := append([]uuid.UUID{}, a.FunctionIDs...)
	units := append([]uuid.UUID{}, a.UnitIDs...)
	return api.BlueprintArticleCreate{ChapterId: a.ChapterID, Number: a.Number, Heading: localized(a.HeadingES, a.HeadingEN),
		Text: api.LongLocalizedText{Es: a.TextES, En: a.TextEN}, FunctionIds: &functions, UnitIds: &units}
}

// ListBlueprintArticles lists articles in document order.
func (h *Handlers) ListBlueprintArticles(ctx context.Context, req api.ListBlueprintArticlesRequestObject) (api.ListBlueprintArticlesResponseObject, error) {
	p := req.Params
	f := ArticleFilter{BlueprintID: p.BlueprintId, ChapterID: p.ChapterId, FunctionID: p.FunctionId, UnitID: p.UnitId,
		PageSize: paging.Size(p.PageSize)}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	items, next, err := h.text().ListArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintArticlePage{Items: make([]api.BlueprintArticle, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = articleToAPI(it)
	}
	return api.ListBlueprintArticles200JSONResponse(out), nil
}

// CreateBlueprintArticle creates an article.
func (h *Handlers) CreateBlueprintArticle(ctx context.Context, req api.CreateBlueprintArticleRequestObject) (api.CreateBlueprintArticleResponseObject, error) {
	a, err := h.text().CreateArticle(ctx, articleFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateBlueprintArticle201JSONResponse{Body: articleToAPI(a), Headers: api.CreateBlueprintArticle201ResponseHeaders{
		Location: new("/v1/blueprint-articles/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetBlueprintArticle returns one article.
func (h *Handlers) GetBlueprintArticle(ctx context.Context, req api.GetBlueprintArticleRequestObject) (api.GetBlueprintArticleResponseObject, error) {
	a, err := h.text().Article(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetBlueprintArticle200JSONResponse{Body: articleToAPI(a),
		Headers: api.GetBlueprintArticle200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateBlueprintArticle applies a JSON Merge Patch to an article. Unlike other resources, an
// article changes only with If-Match: several people co-draft the same articles, and a PATCH
// without it would overwrite whatever another editor saved meanwhile.
func (h *Handlers) UpdateBlueprintArticle(ctx context.Context, req api.UpdateBlueprintArticleRequestObject) (api.UpdateBlueprintArticleResponseObject, error) {
	// The contract requires the header; an empty one says nothing either.
	if strings.TrimSpace(string(req.Params.IfMatch)) == "" {
		return nil, apperr.New(apperr.Invalid, "an article changes only with If-Match: send the ETag you read, so that no one's edit is overwritten").
			WithField("header.If-Match", "required")
	}
	ifMatch := string(req.Params.IfMatch)
	a, err := h.text().UpdateArticle(ctx, req.Id, etag.IfMatch(&ifMatch), func(current Article) (ArticleFields, error) {
		var next api.BlueprintArticleCreate
		if err := mergepatch.Apply(articleWritable(current), *req.Body, &next); err != nil {
			return ArticleFields{}, err
		}
		return articleFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateBlueprintArticle200JSONResponse{Body: articleToAPI(a),
		Headers: api.UpdateBlueprintArticle200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveBlueprintArticle archives an article.
func (h *Handlers) ArchiveBlueprintArticle(ctx context.Context, req api.ArchiveBlueprintArticleRequestObject) (api.ArchiveBlueprintArticleResponseObject, error) {
	if err := h.text().ArchiveArticle(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveBlueprintArticle204Response{}, nil
}
