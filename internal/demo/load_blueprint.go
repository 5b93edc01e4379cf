package demo

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/blueprint"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadBlueprint creates the demo blueprint, its chapters and articles, the comments of a demo
// co-drafting session and a pending suggestion through the blueprint service, so they obey the
// same rules and leave the same audit trail as anyone's writes. It links the blueprint to the
// deliverable DLV-BLUEPRINT when the deliverables demo data (loaded before) has it. Comments and
// suggestions are attributed to their demo participants (as Puente acting for them).
func loadBlueprint(ctx context.Context, db *database.DB, insts *institutions.Service, units map[string]uuid.UUID) error {
	tx := db.Conn(ctx)
	var deliverable []uuid.UUID
	if err := tx.Raw(`SELECT id FROM deliverables WHERE code = ?`, BlueprintDemoDeliverable).Scan(&deliverable).Error; err != nil {
		return fmt.Errorf("demo blueprint: find deliverable: %w", err)
	}
	var fns []struct {
		Code string
		ID   uuid.UUID
	}
	if err := tx.Raw(`SELECT code, id FROM functions`).Scan(&fns).Error; err != nil {
		return fmt.Errorf("demo blueprint: load functions: %w", err)
	}
	functions := make(map[string]uuid.UUID, len(fns))
	for _, f := range fns {
		functions[f.Code] = f.ID
	}
	ids := func(what string, codes []string, known map[string]uuid.UUID) ([]uuid.UUID, error) {
		out := make([]uuid.UUID, 0, len(codes))
		for _, c := range codes {
			id, ok := known[c]
			if !ok {
				return nil, fmt.Errorf("unknown %s %s", what, c)
			}
			out = append(out, id)
		}
		return out, nil
	}

	svc := blueprint.NewTextService(db, insts)
	f := blueprint.BlueprintFields{Code: BlueprintDemoCode, TitleES: opt(BlueprintDemoTitleES),
		TitleEN: opt(BlueprintDemoTitleEN), Demo: true}
	if len(deliverable) > 0 {
		f.DeliverableID = &deliverable[0]
	}
	bp, err := svc.CreateBlueprint(ctx, f)
	if err != nil {
		return fmt.Errorf("demo blueprint: %w", err)
	}
	articles := map[string]uuid.UUID{}
	for _, c := range BlueprintChapters {
		ch, err := svc.CreateChapter(ctx, blueprint.ChapterFields{BlueprintID: bp.ID, Number: c.Number,
			HeadingES: opt(c.HeadingES), HeadingEN: opt(c.HeadingEN)})
		if err != nil {
			return fmt.Errorf("demo blueprint chapter %s: %w", c.Number, err)
		}
		for _, a := range c.Articles {
			af := blueprint.ArticleFields{ChapterID: ch.ID, Number: a.Number, HeadingES: opt(a.HeadingES),
				HeadingEN: opt(a.HeadingEN), TextES: opt(a.TextES), TextEN: opt(a.TextEN)}
			if af.FunctionIDs, err = ids("function", a.Functions, functions); err == nil {
				af.UnitIDs, err = ids("institution", a.Units, units)
			}
			if err != nil {
				return fmt.Errorf("demo blueprint article %s: %w", a.Number, err)
			}
			art, err := svc.CreateArticle(ctx, af)
			if err != nil {
				return fmt.Errorf("demo blueprint article %s: %w", a.Number, err)
			}
			articles[a.Number] = art.ID
		}
	}

	as := func(label string) context.Context {
		return actor.With(ctx, actor.Actor{Kind: actor.System, ID: "demo:" + label, Label: label})
	}
	comments := map[string]uuid.UUID{}
	for _, d := range BlueprintComments {
		article, ok := articles[d.Article]
		if !ok {
			return fmt.Errorf("demo blueprint comment %s: unknown article %s", d.Key, d.Article)
		}
		cf := blueprint.CommentFields{Body: d.Body}
		if d.ReplyTo != "" {
			parent, ok := comments[d.ReplyTo]
			if !ok {
				return fmt.Errorf("demo blueprint comment %s: comment %s is not listed before it", d.Key, d.ReplyTo)
			}
			cf.ParentID = &parent
		}
		c, err := svc.AddComment(as(d.Author), article, cf)
		if err != nil {
			return fmt.Errorf("demo blueprint comment %s: %w", d.Key, err)
		}
		comments[d.Key] = c.ID
		if d.Resolved {
			if _, err := svc.UpdateComment(ctx, c.ID, blueprint.CommentChange{Resolved: new(true)}); err != nil {
				return fmt.Errorf("demo blueprint comment %s: %w", d.Key, err)
			}
		}
	}
	for _, d := range BlueprintSuggestions {
		article, ok := articles[d.Article]
		if !ok {
			return fmt.Errorf("demo blueprint suggestion: unknown article %s", d.Article)
		}
		_, err := svc.Suggest(as(d.Author), article, blueprint.SuggestionFields{TextES: opt(d.TextES), TextEN: opt(d.TextEN),
			Rationale: opt(d.Rationale)})
		if err != nil {
			return fmt.Errorf("demo blueprint suggestion on article %s: %w", d.Article, err)
		}
	}
	return nil
}
