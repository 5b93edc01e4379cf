package scope_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/scope"
)

// tree is a subtree of one root holding the units in below; asked counts its questions.
type tree struct {
	root  uuid.UUID
	below []uuid.UUID
	err   error
	asked int
}

func (t *tree) Within(_ context.Context, node, root uuid.UUID) (bool, error) {
	t.asked++
	if t.err != nil {
		return false, t.err
	}
	if root != t.root {
		return false, nil
	}
	for _, b := range t.below {
		if b == node {
			return true, nil
		}
	}
	return node == root, nil
}

func TestAuthorize(t *testing.T) {
	root, unit, elsewhere := uuid.New(), uuid.New(), uuid.New()
	broken := errors.New("tree unavailable")
	editor := func(inst *uuid.UUID) actor.Actor {
		return actor.Actor{Kind: actor.User, Roles: []actor.Role{actor.Editor}, InstitutionID: inst}
	}
	const refusal = "you may only write things your own institution owns"
	for _, c := range []struct {
		name        string
		caller      actor.Actor
		institution *uuid.UUID
		treeErr     error
		want        error // nil, broken, or any Forbidden (refused)
		refused     bool
	}{
		{name: "the system writes anything", caller: actor.SystemActor, institution: &elsewhere},
		{name: "a coordinator writes anything, even nobody's", caller: actor.Actor{Kind: actor.User,
			Roles: []actor.Role{actor.Editor, actor.Coordinator}, InstitutionID: &root}},
		{name: "an editor writes its own institution's", caller: editor(&root), institution: &root},
		{name: "an editor writes a unit below its own", caller: editor(&root), institution: &unit},
		{name: "an editor may not write elsewhere", caller: editor(&root), institution: &elsewhere, refused: true},
		{name: "an editor may not write nobody's", caller: editor(&root), refused: true},
		{name: "an editor of no institution may write nothing", caller: editor(nil), institution: &root, refused: true},
		{name: "the tree's failure is the caller's", caller: editor(&root), institution: &unit, treeErr: broken, want: broken},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := &tree{root: root, below: []uuid.UUID{unit}, err: c.treeErr}
			err := scope.Authorize(actor.With(context.Background(), c.caller), tr, c.institution, refusal)
			switch {
			case c.refused:
				var e *apperr.Error
				if !errors.As(err, &e) || e.Code != apperr.Forbidden || e.Message != refusal {
					t.Errorf("want Forbidden %q, got %v", refusal, err)
				}
			case !errors.Is(err, c.want):
				t.Errorf("got %v, want %v", err, c.want)
			}
			if !c.caller.ScopedToInstitution() && tr.asked > 0 {
				t.Errorf("an unscoped caller cost %d questions to the tree", tr.asked)
			}
		})
	}
}

func TestRequireUnscoped(t *testing.T) {
	scoped := actor.With(context.Background(), actor.Actor{Kind: actor.User, Roles: []actor.Role{actor.Partner}})
	err := scope.RequireUnscoped(scoped, "indicators")
	if apperr.CodeOf(err) != apperr.Forbidden || err.(*apperr.Error).Message != "only coordinators, admins and importers may write indicators" {
		t.Errorf("a partner writing indicators: got %v", err)
	}
	admin := actor.With(context.Background(), actor.Actor{Kind: actor.User, Roles: []actor.Role{actor.Admin}})
	if err := scope.RequireUnscoped(admin, "indicators"); err != nil {
		t.Errorf("an admin writing indicators: got %v", err)
	}
}
