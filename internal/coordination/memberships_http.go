package coordination

import (
	"context"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
)

func (h *Handlers) memberships() *MembershipService { return NewMembershipService(h.db) }

func membershipToAPI(m Membership) api.CoordinationMembership {
	return api.CoordinationMembership{
		Id: m.ID, BodyId: m.BodyID, InstitutionId: m.InstitutionID, Role: api.MembershipRole(m.Role),
		FromDate: apiDate(m.FromDate), ToDate: apiDatePtr(m.ToDate), Notes: m.Notes, Current: m.Current, Demo: m.Demo,
		Version: m.Version, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(m.ArchivedAt),
	}
}

// membershipWritable is the document a merge patch of a membership applies to, and what the
// audit trail records of it.
func membershipWritable(m Membership) api.CoordinationMembershipCreate {
	return api.CoordinationMembershipCreate{BodyId: m.BodyID, InstitutionId: m.InstitutionID, Role: api.MembershipRole(m.Role),
		FromDate: apiDate(m.FromDate), ToDate: apiDatePtr(m.ToDate), Notes: m.Notes}
}

func membershipFromAPI(in api.CoordinationMembershipCreate) MembershipFields {
	return MembershipFields{BodyID: in.BodyId, InstitutionID: in.InstitutionId, Role: string(in.Role),
		FromDate: in.FromDate.Time, ToDate: datePtr(in.ToDate), Notes: in.Notes}
}

// ListCoordinationMemberships lists memberships.
func (h *Handlers) ListCoordinationMemberships(ctx context.Context, req api.ListCoordinationMembershipsRequestObject) (api.ListCoordinationMembershipsResponseObject, error) {
	p := req.Params
	f := MembershipFilter{Page: pageOf(p.PageSize, p.PageToken, p.IncludeArchived, nil, p.OrderBy), Q: str(p.Q), BodyID: p.BodyId,
		InstitutionID: p.InstitutionId, Roles: apiconv.Strings(p.Role), ActiveOn: datePtr(p.ActiveOn)}
	items, next, err := h.memberships().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.CoordinationMembershipPage{Items: make([]api.CoordinationMembership, len(items)), NextPageToken: next}
	for i, it := range items {
		out.Items[i] = membershipToAPI(it)
	}
	return api.ListCoordinationMemberships200JSONResponse(out), nil
}

// CreateCoordinationMembership records a membership.
func (h *Handlers) CreateCoordinationMembership(ctx context.Context, req api.CreateCoordinationMembershipRequestObject) (api.CreateCoordinationMembershipResponseObject, error) {
	m, err := h.memberships().Create(ctx, membershipFromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateCoordinationMembership201JSONResponse{Body: membershipToAPI(m), Headers: api.CreateCoordinationMembership201ResponseHeaders{
		Location: new("/v1/coordination-memberships/" + m.ID.String()), ETag: new(etag.Of(m.Version)),
	}}, nil
}

// GetCoordinationMembership returns one membership.
func (h *Handlers) GetCoordinationMembership(ctx context.Context, req api.GetCoordinationMembershipRequestObject) (api.GetCoordinationMembershipResponseObject, error) {
	m, err := h.memberships().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetCoordinationMembership200JSONResponse{Body: membershipToAPI(m),
		Headers: api.GetCoordinationMembership200ResponseHeaders{ETag: new(etag.Of(m.Version))}}, nil
}

// UpdateCoordinationMembership applies a JSON Merge Patch to the membership.
func (h *Handlers) UpdateCoordinationMembership(ctx context.Context, req api.UpdateCoordinationMembershipRequestObject) (api.UpdateCoordinationMembershipResponseObject, error) {
	m, err := h.memberships().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Membership) (MembershipFields, error) {
		var next api.CoordinationMembershipCreate
		if err := mergepatch.Apply(membershipWritable(current), *req.Body, &next); err != nil {
			return MembershipFields{}, err
		}
		return membershipFromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdateCoordinationMembership200JSONResponse{Body: membershipToAPI(m),
		Headers: api.UpdateCoordinationMembership200ResponseHeaders{ETag: new(etag.Of(m.Version))}}, nil
}

// ArchiveCoordinationMembership archives a membership.
func (h *Handlers) ArchiveCoordinationMembership(ctx context.Context, req api.ArchiveCoordinationMembershipRequestObject) (api.ArchiveCoordinationMembershipResponseObject, error) {
	if err := h.memberships().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchiveCoordinationMembership204Response{}, nil
}
