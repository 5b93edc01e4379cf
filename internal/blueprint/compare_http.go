package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

// CompareBlueprintVersions compares two texts of a blueprint article by article.
func (h *Handlers) CompareBlueprintVersions(ctx context.Context, req api.CompareBlueprintVersionsRequestObject) (api.CompareBlueprintVersionsResponseObject, error) {
	p := req.Params
	c, err := h.versions().Compare(ctx, req.Id, p.From, p.To, p.IncludeUnchanged != nil && *p.IncludeUnchanged)
	if err != nil {
		return nil, err
	}
	return api.CompareBlueprintVersions200JSONResponse(comparisonToAPI(c)), nil
}

func comparisonToAPI(c Comparison) api.BlueprintComparison {
	out := api.BlueprintComparison{From: c.From, To: c.To, Articles: make([]api.ArticleChange, len(c.Articles))}
	out.Summary.Added, out.Summary.Removed, out.Summary.Moved = c.Summary.Added, c.Summary.Removed, c.Summary.Moved
	out.Summary.Changed, out.Summary.Unchanged = c.Summary.Changed, c.Summary.Unchanged
	for i, a := range c.Articles {
		ch := api.ArticleChange{ArticleId: a.ArticleID, Change: api.ArticleChangeChange(a.Change), Number: &a.Number,
			FromChapterId: a.FromChapterID, ToChapterId: a.ToChapterID, FromPosition: a.FromPosition, ToPosition: a.ToPosition}
		if a.Change != ChangeAdded && a.Change != ChangeRemoved {
			ch.Moved = new(a.Moved)
		}
		if a.HeadingDiff != nil {
			es, en := diffsToAPI(a.HeadingDiff)
			ch.HeadingDiff = &struct {
				En *[]api.WordDiffOp `json:"en,omitempty"`
				Es *[]api.WordDiffOp `json:"es,omitempty"`
			}{En: en, Es: es}
		}
		if a.TextDiff != nil {
			es, en := diffsToAPI(a.TextDiff)
			ch.TextDiff = &struct {
				En *[]api.WordDiffOp `json:"en,omitempty"`
				Es *[]api.WordDiffOp `json:"es,omitempty"`
			}{En: en, Es: es}
		}
		out.Articles[i] = ch
	}
	return out
}

// diffsToAPI is the Spanish and English diffs of byLang, each absent when that language did
// not change.
func diffsToAPI(byLang map[string][]WordOp) (es, en *[]api.WordDiffOp) {
	conv := func(ops []WordOp, ok bool) *[]api.WordDiffOp {
		if !ok {
			return nil
		}
		out := make([]api.WordDiffOp, len(ops))
		for i, o := range ops {
			out[i] = api.WordDiffOp{Op: api.WordDiffOpOp(o.Op), Text: o.Text}
		}
		return &out
	}
	esOps, esOK := byLang["es"]
	enOps, enOK := byLang["en"]
	return conv(esOps, esOK), conv(enOps, enOK)
}
