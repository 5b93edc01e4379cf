package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
)

// chapterSnapshot is a chapter as the audit trail records it: its API representation.
func chapterSnapshot(c Chapter) any { return chapterToAPI(c) }

func chapterToAPI(c Chapter) api.BlueprintChapter {
	return api.BlueprintChapter{Id: c.ID, BlueprintId: c.BlueprintID, Number: c.Number,
		Heading: api.LocalizedText{Es: c.HeadingES, En: c.HeadingEN}, Position: c.Position, Version: c.Version,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(c.ArchivedAt)}
}

func chapterFromAPI(in api.BlueprintChapterCreate) ChapterFields {
	f := ChapterFields{BlueprintID: in.BlueprintId, Number: in.Number, HeadingES: in.Heading.Es, HeadingEN: in.Heading.En}
	if in.Position != nil {
		f.Position = *in.Position
	}
	return f
}

// ListBlueprintChapters lists chapters in document order.
func (h *Handlers) ListBlueprintChapters(ctx context.Context, req api.ListBlueprintChaptersRequestObject) (api.ListBlueprintChaptersResponseObject, error) {
	p := req.Params
	f := ChapterFilter{BlueprintID: p.BlueprintId, PageSize: paging.Size(p.PageSize)}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	items, next, err := h.text().ListChapters(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintChapterPage{Items: make([]api.BlueprintChapter, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = chapterToAPI(it)
	}
	return api.ListBlueprintChapters200JSONResponse(out), nil
}

// CreateBlueprintChapter creates a chapter.
func (h *Handlers) CreateBlueprintChapter(ctx context.Context, req api.CreateBlueprintChapterRequestObject) (api.CreateBlueprintChapterResponseObject, error) {
	c, err := h.text().CreateChapter(ctx, chapterFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateBlueprintChapter201JSONResponse{Body: chapterToAPI(c), Headers: api.CreateBlueprintChapter201ResponseHeaders{
		Location: new("/v1/blueprint-chapters/" + c.ID.String()), ETag: new(etag.Of(c.Version)),
	}}, nil
}

// GetBlueprintChapter returns one chapter.
func (h *Handlers) GetBlueprintChapter(ctx context.Context, req api.GetBlueprintChapterRequestObject) (api.GetBlueprintChapterResponseObject, error) {
	c, err := h.text().Chapter(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetBlueprintChapter200JSONResponse{Body: chapterToAPI(c),
		Headers: api.GetBlueprintChapter200ResponseHeaders{ETag: new(etag.Of(c.Version))}}, nil
}

// UpdateBlueprintChapter applies a JSON Merge Patch to a chapter's number and heading.
func (h *Handlers) UpdateBlueprintChapter(ctx context.Context, req api.UpdateBlueprintChapterRequestObject) (api.UpdateBlueprintChapterResponseObject, error) {
	c, err := h.text().UpdateChapter(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Chapter) (ChapterFields, error) {
		var next api.BlueprintChapterCreate
		writable := api.BlueprintChapterCreate{BlueprintId: current.BlueprintID, Number: current.Number,
			Heading: api.LocalizedText{Es: current.HeadingES, En: current.HeadingEN}}
		if err := mergepatch.Apply(writable, *req.Body, &next); err != nil {
			return ChapterFields{}, err
		}
		return chapterFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateBlueprintChapter200JSONResponse{Body: chapterToAPI(c),
		Headers: api.UpdateBlueprintChapter200ResponseHeaders{ETag: new(etag.Of(c.Version))}}, nil
}

// ArchiveBlueprintChapter archives a chapter with its articles.
func (h *Handlers) ArchiveBlueprintChapter(ctx context.Context, req api.ArchiveBlueprintChapterRequestObject) (api.ArchiveBlueprintChapterResponseObject, error) {
	if err := h.text().ArchiveChapter(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveBlueprintChapter204Response{}, nil
}
