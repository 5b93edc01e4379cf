package practices

import (
	"context"
	"slices"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apiconv"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/mergepatch"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/scope"
)

// Handlers serve the operations of the contract this package owns.
type Handlers struct {
	db   *database.DB
	tree scope.Tree
}

// NewHandlers returns the handlers.
func NewHandlers(db *database.DB, tree scope.Tree) *Handlers { return &Handlers{db: db, tree: tree} }

func (h *Handlers) service() *Service { return NewService(h.db, h.tree) }

// snapshot is a practice as the audit trail records it: its API representation.
func snapshot(p Practice) any { return toAPI(p) }

// longText is the API form of an optional text: absent when neither language is given.
func longText(t Text) *api.LongLocalizedText {
	if t.ES == nil && t.EN == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: t.ES, En: t.EN}
}

func fromLongText(t *api.LongLocalizedText) Text {
	if t == nil {
		return Text{}
	}
	return Text{ES: t.Es, EN: t.En}
}

func enums[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func transferabilityToAPI(t *Transferability) *api.Transferability {
	if t == nil {
		return nil
	}
	return &api.Transferability{Level: api.Level(t.Level), Rationale: longText(t.Rationale)}
}

func citationsToAPI(cs []Citation) []api.Citation {
	out := make([]api.Citation, len(cs))
	for i, c := range cs {
		out[i] = api.Citation{Citation: c.Citation, Url: c.URL}
	}
	return out
}

func toAPI(p Practice) api.Practice {
	out := api.Practice{
		Id: p.ID, Code: p.Code, Title: api.LocalizedText{Es: p.Title.ES, En: p.Title.EN},
		Summary: longText(p.Summary), Description: longText(p.Description), Scope: api.PracticeScope(p.Scope),
		Country: p.Country, InstitutionId: p.InstitutionID, PartnerIds: slices.Clone(p.PartnerIDs),
		Type: api.PracticeType(p.Type), Themes: slices.Clone(p.Themes), Migof: enums[api.MigofDimension](p.Migof),
		GcmObjectives: slices.Clone(p.GcmObjectives), SdgTargets: slices.Clone(p.SdgTargets),
		PeriodStart: apiconv.Date(p.PeriodStart), PeriodEnd: apiconv.Date(p.PeriodEnd),
		TargetPopulation: longText(p.TargetPopulation), Outcomes: longText(p.Outcomes),
		LessonsLearned: longText(p.LessonsLearned), Recommendations: longText(p.Recommendations),
		Transferability: transferabilityToAPI(p.Transferability), Sources: citationsToAPI(p.Sources),
		Status: api.PracticeStatus(p.Status), ReviewComment: p.ReviewComment, Rank: p.Rank, Demo: p.Demo,
		Version: p.Version, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), ArchivedAt: apiconv.UTC(p.ArchivedAt),
	}
	if hl := p.Highlights; hl != nil {
		out.Highlights = &api.PracticeHighlights{Title: hl.Title, Summary: hl.Summary, Description: hl.Description,
			LessonsLearned: hl.LessonsLearned}
	}
	return out
}

// writable is the document a merge patch of a practice applies to: its lists are always
// present, so a patch replaces them whole, and null clears them.
func writable(p Practice) api.PracticeCreate {
	partners, themes, sdg := slices.Clone(p.PartnerIDs), slices.Clone(p.Themes), slices.Clone(p.SdgTargets)
	migof, gcm, sources := enums[api.MigofDimension](p.Migof), slices.Clone(p.GcmObjectives), citationsToAPI(p.Sources)
	return api.PracticeCreate{
		Code: p.Code, Title: api.LocalizedText{Es: p.Title.ES, En: p.Title.EN}, Summary: longText(p.Summary),
		Description: longText(p.Description), Scope: api.PracticeScope(p.Scope), Country: p.Country,
		InstitutionId: p.InstitutionID, PartnerIds: &partners, Type: api.PracticeType(p.Type), Themes: &themes,
		Migof: &migof, GcmObjectives: &gcm, SdgTargets: &sdg, PeriodStart: apiconv.Date(p.PeriodStart),
		PeriodEnd: apiconv.Date(p.PeriodEnd), TargetPopulation: longText(p.TargetPopulation),
		Outcomes: longText(p.Outcomes), LessonsLearned: longText(p.LessonsLearned),
		Recommendations: longText(p.Recommendations), Transferability: transferabilityToAPI(p.Transferability),
		Sources: &sources,
	}
}

func fromAPI(in api.PracticeCreate) Fields {
	f := Fields{
		Code: in.Code, Title: Text{ES: in.Title.Es, EN: in.Title.En}, Summary: fromLongText(in.Summary),
		Description: fromLongText(in.Description), Scope: string(in.Scope), Country: in.Country,
		InstitutionID: in.InstitutionId, Type: string(in.Type), PeriodStart: apiconv.Day(in.PeriodStart),
		PeriodEnd: apiconv.Day(in.PeriodEnd), TargetPopulation: fromLongText(in.TargetPopulation),
		Outcomes: fromLongText(in.Outcomes), LessonsLearned: fromLongText(in.LessonsLearned),
		Recommendations: fromLongText(in.Recommendations),
	}
	if in.PartnerIds != nil {
		f.PartnerIDs = slices.Clone(*in.PartnerIds)
	}
	if in.Themes != nil {
		f.Themes = slices.Clone(*in.Themes)
	}
	f.Migof = apiconv.Strings(in.Migof)
	if in.GcmObjectives != nil {
		f.GcmObjectives = slices.Clone(*in.GcmObjectives)
	}
	if in.SdgTargets != nil {
		f.SdgTargets = slices.Clone(*in.SdgTargets)
	}
	if t := in.Transferability; t != nil {
		f.Transferability = &Transferability{Level: string(t.Level), Rationale: fromLongText(t.Rationale)}
	}
	if in.Sources != nil {
		for _, c := range *in.Sources {
			f.Sources = append(f.Sources, Citation{Citation: c.Citation, URL: c.Url})
		}
	}
	return f
}

func facetsToAPI(m map[string][]FacetCount) *api.PracticeFacets {
	if m == nil {
		return nil
	}
	out := &api.PracticeFacets{}
	fields := map[string]**[]api.FacetCount{"country": &out.Country, "scope": &out.Scope, "type": &out.Type,
		"theme": &out.Theme, "migof": &out.Migof, "gcm_objective": &out.GcmObjective,
		"transferability": &out.Transferability, "status": &out.Status}
	for name, counts := range m {
		list := make([]api.FacetCount, len(counts))
		for i, c := range counts {
			list[i] = api.FacetCount{Value: c.Value, Count: c.Count}
		}
		if field, ok := fields[name]; ok {
			*field = &list
		}
	}
	return out
}

func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

// ListPractices lists, searches and counts practices.
func (h *Handlers) ListPractices(ctx context.Context, req api.ListPracticesRequestObject) (api.ListPracticesResponseObject, error) {
	p := req.Params
	f := Filter{
		Codes: deref(p.Code), Countries: deref(p.Country), Scopes: apiconv.Strings(p.Scope), Types: apiconv.Strings(p.Type),
		Themes: deref(p.Theme), Migof: apiconv.Strings(p.Migof), GcmObjectives: deref(p.GcmObjective),
		SdgTargets: deref(p.SdgTarget), Transferability: apiconv.Strings(p.Transferability),
		Statuses: apiconv.Strings(p.Status), InstitutionID: p.InstitutionId, Facets: deref(p.Facets),
		PageSize: paging.Size(p.PageSize),
	}
	if p.Q != nil {
		f.Q = *p.Q
	}
	if p.IncludeArchived != nil {
		f.IncludeArchived = *p.IncludeArchived
	}
	if p.OrderBy != nil {
		f.OrderBy = string(*p.OrderBy)
	}
	if p.PageToken != nil {
		f.PageToken = *p.PageToken
	}
	page, err := h.service().List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.PracticePage{Items: make([]api.Practice, len(page.Items)), NextPageToken: page.Next, Facets: facetsToAPI(page.Facets)}
	for i, it := range page.Items {
		out.Items[i] = toAPI(it)
	}
	return api.ListPractices200JSONResponse(out), nil
}

// CreatePractice records a practice, as a draft.
func (h *Handlers) CreatePractice(ctx context.Context, req api.CreatePracticeRequestObject) (api.CreatePracticeResponseObject, error) {
	p, err := h.service().Create(ctx, fromAPI(*req.Body))
	if err != nil {
		return nil, err
	}
	return api.CreatePractice201JSONResponse{Body: toAPI(p), Headers: api.CreatePractice201ResponseHeaders{
		Location: new("/v1/practices/" + p.ID.String()), ETag: new(etag.Of(p.Version)),
	}}, nil
}

// GetPractice returns one practice.
func (h *Handlers) GetPractice(ctx context.Context, req api.GetPracticeRequestObject) (api.GetPracticeResponseObject, error) {
	p, err := h.service().Get(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return api.GetPractice200JSONResponse{Body: toAPI(p), Headers: api.GetPractice200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// UpdatePractice applies a JSON Merge Patch (RFC 7396) to the practice's writable
// representation and stores the result.
func (h *Handlers) UpdatePractice(ctx context.Context, req api.UpdatePracticeRequestObject) (api.UpdatePracticeResponseObject, error) {
	p, err := h.service().Update(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), func(current Practice) (Fields, error) {
		var next api.PracticeCreate
		if err := mergepatch.Apply(writable(current), *req.Body, &next); err != nil {
			return Fields{}, err
		}
		return fromAPI(next), nil
	})
	if err != nil {
		return nil, err
	}
	return api.UpdatePractice200JSONResponse{Body: toAPI(p), Headers: api.UpdatePractice200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}

// ArchivePractice archives a practice.
func (h *Handlers) ArchivePractice(ctx context.Context, req api.ArchivePracticeRequestObject) (api.ArchivePracticeResponseObject, error) {
	if err := h.service().Archive(ctx, req.Id, etag.IfMatch(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return api.ArchivePractice204Response{}, nil
}

// ListPracticeTransitions returns a practice's editorial history, oldest first.
func (h *Handlers) ListPracticeTransitions(ctx context.Context, req api.ListPracticeTransitionsRequestObject) (api.ListPracticeTransitionsResponseObject, error) {
	ts, err := h.service().History(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	out := api.PracticeTransitionList{Items: make([]api.PracticeTransition, len(ts))}
	for i, t := range ts {
		out.Items[i] = api.PracticeTransition{From: api.PracticeStatus(t.From), To: api.PracticeStatus(t.To), Comment: t.Comment,
			Actor: t.Actor, OccurredAt: t.OccurredAt.UTC()}
	}
	return api.ListPracticeTransitions200JSONResponse(out), nil
}

// TransitionPractice moves a practice through its editorial workflow.
func (h *Handlers) TransitionPractice(ctx context.Context, req api.TransitionPracticeRequestObject) (api.TransitionPracticeResponseObject, error) {
	p, err := h.service().Transition(ctx, req.Id, etag.IfMatch(req.Params.IfMatch), string(req.Body.To), req.Body.Comment)
	if err != nil {
		return nil, err
	}
	return api.TransitionPractice200JSONResponse{Body: toAPI(p), Headers: api.TransitionPractice200ResponseHeaders{ETag: new(etag.Of(p.Version))}}, nil
}
