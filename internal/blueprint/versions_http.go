package blueprint

import (
	"context"

	"github.com/puente-mre/puente/api"
)

func (h *Handlers) versions() *VersionService { return NewVersionService(h.db, h.tree) }

// versionSnapshot is a version as the audit trail records it: the API representation of its
// header (the text it froze is the blueprint's, already in the trail).
func versionSnapshot(v Version) any { return versionToAPI(v) }

func versionToAPI(v Version) api.BlueprintVersion {
	return api.BlueprintVersion{Id: v.ID, BlueprintId: v.BlueprintID, Number: v.Number, Name: v.Name, Note: v.Note,
		FrozenBy: v.FrozenBy, FrozenAt: v.FrozenAt.UTC(), Articles: v.Articles}
}

func versionDetailToAPI(v Version) api.BlueprintVersionDetail {
	h := versionToAPI(v)
	return api.BlueprintVersionDetail{Id: h.Id, BlueprintId: h.BlueprintId, Number: h.Number, Name: h.Name, Note: h.Note,
		FrozenBy: h.FrozenBy, FrozenAt: h.FrozenAt, Articles: h.Articles,
		Chapters: outlineToAPI(Outline{Chapters: v.Text.Chapters}).Chapters}
}

// ListBlueprintVersions lists the frozen versions of a blueprint, newest first.
func (h *Handlers) ListBlueprintVersions(ctx context.Context, req api.ListBlueprintVersionsRequestObject) (api.ListBlueprintVersionsResponseObject, error) {
	vs, err := h.versions().Versions(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.BlueprintVersionList{Items: make([]api.BlueprintVersion, len(vs))}
	for i, v := range vs {
		out.Items[i] = versionToAPI(v)
	}
	return api.ListBlueprintVersions200JSONResponse(out), nil
}

// FreezeBlueprintVersion freezes the current text of a blueprint as its next version.
func (h *Handlers) FreezeBlueprintVersion(ctx context.Context, req api.FreezeBlueprintVersionRequestObject) (api.FreezeBlueprintVersionResponseObject, error) {
	v, err := h.versions().Freeze(ctx, req.Id, VersionFields{Name: req.Body.Name, Note: req.Body.Note})
	if err != nil {
		return nil, err
	}
	return api.FreezeBlueprintVersion201JSONResponse{Body: versionToAPI(v),
		Headers: api.FreezeBlueprintVersion201ResponseHeaders{Location: new("/v1/blueprint-versions/" + v.ID.String())}}, nil
}

// GetBlueprintVersion returns a frozen version with its text.
func (h *Handlers) GetBlueprintVersion(ctx context.Context, req api.GetBlueprintVersionRequestObject) (api.GetBlueprintVersionResponseObject, error) {
	v, err := h.versions().Version(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetBlueprintVersion200JSONResponse(versionDetailToAPI(v)), nil
}
