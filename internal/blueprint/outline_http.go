package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

func outlineToAPI(o Outline) api.BlueprintOutline {
	out := api.BlueprintOutline{Blueprint: blueprintToAPI(o.Blueprint), Chapters: make([]api.BlueprintOutlineChapter, len(o.Chapters))}
	for i, c := range o.Chapters {
		ch := chapterToAPI(c)
		oc := api.BlueprintOutlineChapter{Id: ch.Id, BlueprintId: ch.BlueprintId, Number: ch.Number, Heading: ch.Heading,
			Position: ch.Position, Version: ch.Version, CreatedAt: ch.CreatedAt, UpdatedAt: ch.UpdatedAt,
			ArchivedAt: ch.ArchivedAt, Articles: make([]api.BlueprintArticle, len(c.Articles))}
		for j, a := range c.Articles {
			oc.Articles[j] = articleToAPI(a)
		}
		out.Chapters[i] = oc
	}
	return out
}

// orderSnapshot is the order of o as the audit trail records a reorder: the request's shape.
func orderSnapshot(o Outline) api.BlueprintOrder {
	var out api.BlueprintOrder
	for _, c := range orderOf(o) {
		out.Chapters = append(out.Chapters, struct {
			ArticleIds []api.ID `json:"article_ids"`
			Id         api.ID   `json:"id"`
		}{ArticleIds: c.ArticleIDs, Id: c.ID})
	}
	return out
}

// GetBlueprintOutline returns the current text in order, in two statements.
func (h *Handlers) GetBlueprintOutline(ctx context.Context, req api.GetBlueprintOutlineRequestObject) (api.GetBlueprintOutlineResponseObject, error) {
	o, err := LoadOutline(ctx, h.db.Conn(ctx), req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetBlueprintOutline200JSONResponse(outlineToAPI(o)), nil
}

// ReorderBlueprint sets the order of the chapters and of their articles.
func (h *Handlers) ReorderBlueprint(ctx context.Context, req api.ReorderBlueprintRequestObject) (api.ReorderBlueprintResponseObject, error) {
	order := make([]ChapterOrder, len(req.Body.Chapters))
	for i, c := range req.Body.Chapters {
		order[i] = ChapterOrder{ID: c.Id, ArticleIDs: c.ArticleIds}
	}
	o, err := h.text().Reorder(ctx, req.Id, order)
	if err != nil {
		return nil, err
	}
	return api.ReorderBlueprint200JSONResponse(outlineToAPI(o)), nil
}
