package agreements

import (
	"context"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
)

// storedRecord is an agreement as the audit trail records it: its stored fields, without what
// is computed when it is read (overdue, since).
type storedRecord struct {
	ID                        string     `json:"id"`
	Code                      string     `json:"code"`
	BodyID                    string     `json:"body_id"`
	SessionID                 *string    `json:"session_id"`
	Text                      apiText    `json:"text"`
	ResponsibleInstitutionIDs []string   `json:"responsible_institution_ids"`
	DueOn                     *string    `json:"due_on"`
	Status                    string     `json:"status"`
	DoneOn                    *string    `json:"done_on"`
	Demo                      bool       `json:"demo"`
	Version                   int64      `json:"version"`
	ArchivedAt                *time.Time `json:"archived_at"`
}

type apiText struct {
	ES *string `json:"es,omitempty"`
	EN *string `json:"en,omitempty"`
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func snapshot(a Agreement) any {
	out := storedRecord{ID: a.ID.String(), Code: a.Code, BodyID: a.BodyID.String(), Text: apiText{ES: a.Text.ES, EN: a.Text.EN},
		ResponsibleInstitutionIDs: []string{}, DueOn: dateString(a.DueOn), Status: a.Status, DoneOn: dateString(a.DoneOn),
		Demo: a.Demo, Version: a.Version, ArchivedAt: apiconv.UTC(a.ArchivedAt)}
	if a.SessionID != nil {
		s := a.SessionID.String()
		out.SessionID = &s
	}
	for _, id := range a.ResponsibleIDs {
		out.ResponsibleInstitutionIDs = append(out.ResponsibleInstitutionIDs, id.String())
	}
	return out
}

// toAPI is the representation of a as it stands on day on: its status overdue when it is late.
func toAPI(a Agreement, on time.Time) api.Agreement {
	status := api.AgreementStatus(a.Shown(on))
	days := a.OverdueDays(on)
	return api.Agreement{
		Id: a.ID, Code: a.Code, BodyId: a.BodyID, SessionId: a.SessionID,
		Text:                      api.LongLocalizedText{Es: a.Text.ES, En: a.Text.EN},
		ResponsibleInstitutionIds: append([]openapi_types.UUID{}, a.ResponsibleIDs...),
		DueOn:                     apiconv.Date(a.DueOn), Status: &status, Overdue: days != nil, OverdueDays: days,
		DoneOn: apiconv.Date(a.DoneOn), Since: openapi_types.Date{Time: a.Since},
		Demo: a.Demo, Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
		ArchivedAt: apiconv.UTC(a.ArchivedAt),
	}
}

// writable is the document a merge patch of an agreement applies to.
func writable(a Agreement) api.AgreementCreate {
	return api.AgreementCreate{Code: a.Code, BodyId: a.BodyID, SessionId: a.SessionID,
		Text: api.LongLocalizedText{Es: a.Text.ES, En: a.Text.EN}, ResponsibleInstitutionIds: a.ResponsibleIDs,
		DueOn: apiconv.Date(a.DueOn)}
}

// fromAPI converts a create body (a request's or an import row's) to Fields.
func fromAPI(in api.AgreementCreate) Fields {
	f := Fields{Code: in.Code, BodyID: in.BodyId, SessionID: in.SessionId, Text: Text{ES: in.Text.Es, EN: in.Text.En},
		ResponsibleIDs: append([]openapi_types.UUID{}, in.ResponsibleInstitutionIds...), DueOn: apiconv.Day(in.DueOn)}
	if in.Status != nil {
		f.Status = string(*in.Status)
	}
	return f
}

// filter reads the list's query parameters.
func filter[O ~string](size *int, token *string, archived *bool, codes *[]string, q *string, body, session, inst *openapi_types.UUID,
	statuses *[]api.AgreementStatus, from, to *openapi_types.Date, order *O) Filter {
	f := Filter{Page: records.Page{PageSize: paging.Size(size)}, BodyID: body, SessionID: session, InstitutionID: inst,
		Statuses: apiconv.Strings(statuses), DueFrom: apiconv.Day(from), DueTo: apiconv.Day(to)}
	if token != nil {
		f.PageToken = *token
	}
	if archived != nil {
		f.IncludeArchived = *archived
	}
	if codes != nil {
		f.Codes = *codes
	}
	if q != nil {
		f.Q = *q
	}
	if order != nil {
		f.OrderBy = string(*order)
	}
	return f
}

// ListAgreements lists agreements.
func (h *Handlers) ListAgreements(ctx context.Context, req api.ListAgreementsRequestObject) (api.ListAgreementsResponseObject, error) {
	p := req.Params
	items, next, err := h.service().List(ctx, filter(p.PageSize, p.PageToken, p.IncludeArchived, p.Code, p.Q, p.BodyId,
		p.SessionId, p.InstitutionId, p.Status, p.DueFrom, p.DueTo, p.OrderBy))
	if err != nil {
		return nil, err
	}
	on := today()
	out := api.AgreementPage{Items: make([]api.Agreement, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = toAPI(it, on)
	}
	return api.ListAgreements200JSONResponse(out), nil
}

// CreateAgreement records an agreement.
func (h *Handlers) CreateAgreement(ctx context.Context, req api.CreateAgreementRequestObject) (api.CreateAgreementResponseObject, error) {
	a, err := h.service().Create(ctx, fromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateAgreement201JSONResponse{Body: toAPI(a, today()), Headers: api.CreateAgreement201ResponseHeaders{
		Location: new("/v1/agreements/" + a.ID.String()), ETag: new(etag.Of(a.Version)),
	}}, nil
}

// GetAgreement returns one agreement.
func (h *Handlers) GetAgreement(ctx context.Context, req api.GetAgreementRequestObject) (api.GetAgreementResponseObject, error) {
	a, err := h.service().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetAgreement200JSONResponse{Body: toAPI(a, today()),
		Headers: api.GetAgreement200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// UpdateAgreement applies a JSON Merge Patch (RFC 7396) to the agreement's writable
// representation (which has no status: transitions move it) and stores the result.
func (h *Handlers) UpdateAgreement(ctx context.Context, req api.UpdateAgreementRequestObject) (api.UpdateAgreementResponseObject, error) {
	a, err := h.service().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Agreement) (Fields, error) {
		var next api.AgreementCreate
		if err := mergepatch.Apply(writable(current), *req.Body, &next); err != nil {
			return Fields{}, err
		}
		return fromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateAgreement200JSONResponse{Body: toAPI(a, today()),
		Headers: api.UpdateAgreement200ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ArchiveAgreement archives an agreement.
func (h *Handlers) ArchiveAgreement(ctx context.Context, req api.ArchiveAgreementRequestObject) (api.ArchiveAgreementResponseObject, error) {
	if err := h.service().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveAgreement204Response{}, nil
}

// TransitionAgreement moves an agreement.
func (h *Handlers) TransitionAgreement(ctx context.Context, req api.TransitionAgreementRequestObject) (api.TransitionAgreementResponseObject, error) {
	a, err := h.service().Transition(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), string(req.Body.To), req.Body.Note)
	if err != nil {
		return nil, err
	}
	return api.TransitionAgreement201JSONResponse{Body: toAPI(a, today()),
		Headers: api.TransitionAgreement201ResponseHeaders{ETag: new(etag.Of(a.Version))}}, nil
}

// ListAgreementTransitions returns an agreement's history, oldest first.
func (h *Handlers) ListAgreementTransitions(ctx context.Context, req api.ListAgreementTransitionsRequestObject) (api.ListAgreementTransitionsResponseObject, error) {
	hist, err := h.service().History(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.AgreementTransitionList{Items: make([]api.AgreementTransition, len(hist))}
	for i, t := range hist {
		out.Items[i] = api.AgreementTransition{Id: t.ID, AgreementId: t.AgreementID, From: api.AgreementStoredStatus(t.From),
			To: api.AgreementStoredStatus(t.To), Note: t.Note, At: t.At.UTC(), By: t.Actor}
	}
	return api.ListAgreementTransitions200JSONResponse(out), nil
}

// GetAgreementFollowUp answers what an institution owes, or what every institution owes a body
// and the bodies below it.
func (h *Handlers) GetAgreementFollowUp(ctx context.Context, req api.GetAgreementFollowUpRequestObject) (api.GetAgreementFollowUpResponseObject, error) {
	p := req.Params
	items := DefaultItemsPerGroup
	if p.ItemsPerGroup != nil {
		items = *p.ItemsPerGroup
	}
	fu, err := h.service().FollowUp(ctx, p.InstitutionId, p.BodyId, p.IncludeDone != nil && *p.IncludeDone, items)
	if err != nil {
		return nil, err
	}
	out := api.AgreementFollowUp{Today: openapi_types.Date{Time: fu.Today}, Groups: make([]api.FollowUpGroup, len(fu.Groups))}
	for i, g := range fu.Groups {
		items := make([]api.FollowUpItem, len(g.Items))
		for j, it := range g.Items {
			items[j] = api.FollowUpItem{AgreementId: it.AgreementID, Code: it.Code, BodyId: it.BodyID, BodyCode: it.BodyCode,
				Text: api.LongLocalizedText{Es: it.Text.ES, En: it.Text.EN}, Status: api.AgreementStatus(it.Status),
				DueOn: apiconv.Date(it.DueOn), Since: openapi_types.Date{Time: it.Since}, OverdueDays: it.OverdueDays}
		}
		out.Groups[i] = api.FollowUpGroup{InstitutionId: g.InstitutionID, InstitutionCode: g.InstitutionCode,
			InstitutionName: api.LocalizedText{Es: g.InstitutionName.ES, En: g.InstitutionName.EN}, Open: g.Open,
			Overdue: g.Overdue, Done: g.Done, OldestOpenSince: apiconv.Date(g.OldestOpenSince), Items: items}
	}
	return api.GetAgreementFollowUp200JSONResponse(out), nil
}
