package blueprint

import (
	"context"
	"net/http"
	"strconv"

	"github.com/puente-mre/puente/api"
)

// ExportBlueprint sends a text of a blueprint as a Markdown, HTML or Word attachment.
func (h *Handlers) ExportBlueprint(ctx context.Context, req api.ExportBlueprintRequestObject) (api.ExportBlueprintResponseObject, error) {
	lang := "es"
	if req.Params.Lang != nil {
		lang = string(*req.Params.Lang)
	}
	doc, err := h.versions().Export(ctx, req.Id, req.Params.VersionId, string(req.Params.Format), lang)
	if err != nil {
		return nil, err
	}
	return exportResponse(doc), nil
}

// exportResponse is an export on the wire. The generated responses send a bare text media type
// and no security policy; this one says UTF-8, names the attachment, and lets an HTML page
// apply its own stylesheet and nothing else.
type exportResponse Document

func (d exportResponse) VisitExportBlueprintResponse(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(d.Body)))
	h.Set("Content-Disposition", `attachment; filename="`+d.Filename+`"`)
	h.Set("Content-Language", d.Language)
	if d.CSP != "" {
		h.Set("Content-Security-Policy", d.CSP)
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(d.Body)
	return err
}
