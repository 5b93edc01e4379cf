package blueprint

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
)

// SuggestionFields are what a suggester writes: a new heading or text for an article (in one
// language or both; a language left out keeps the article's), and why.
type SuggestionFields struct {
	HeadingES, HeadingEN *string
	TextES, TextEN       *string
	Rationale            *string
}

// Suggestion is a stored suggestion. BaseVersion is the article's version when it was made.
type Suggestion struct {
	ID        uuid.UUID
	ArticleID uuid.UUID
	AuthorID  string
	Author    string
	SuggestionFields
	Status          string // pending, accepted, rejected
	BaseVersion     int64
	DecidedBy       *string
	DecidedAt       *time.Time
	DecisionComment *string
	CreatedAt       time.Time
}

// Decision is an editor's verdict on a suggestion. Force accepts a suggestion although the
// article changed since it was made.
type Decision struct {
	Accept  bool
	Comment *string
	Force   bool
}

type suggestionRow struct {
	ID              uuid.UUID
	ArticleID       uuid.UUID
	AuthorID        string
	Author          string
	HeadingES       *string `gorm:"column:heading_es"`
	HeadingEN       *string `gorm:"column:heading_en"`
	TextES          *string `gorm:"column:text_es"`
	TextEN          *string `gorm:"column:text_en"`
	Rationale       *string
	Status          string
	BaseVersion     int64
	DecidedBy       *string
	DecidedAt       *time.Time
	DecisionComment *string
	CreatedAt       time.Time `gorm:"default:now()"`
}

func (suggestionRow) TableName() string { return "blueprint_suggestions" }

func (r suggestionRow) suggestion() Suggestion {
	return Suggestion{ID: r.ID, ArticleID: r.ArticleID, AuthorID: r.AuthorID, Author: r.Author,
		SuggestionFields: SuggestionFields{HeadingES: r.HeadingES, HeadingEN: r.HeadingEN, TextES: r.TextES,
			TextEN: r.TextEN, Rationale: r.Rationale},
		Status: r.Status, BaseVersion: r.BaseVersion, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt,
		DecisionComment: r.DecisionComment, CreatedAt: r.CreatedAt}
}

func findSuggestion(tx *gorm.DB, id uuid.UUID, lock database.Lock) (suggestionRow, error) {
	return database.Take[suggestionRow](tx, lock, "suggestion "+id.String(), "id = ?", id)
}

// Suggest stores the caller's suggestion for active article articleID, made against its current
// version.
//
// Errors: NotFound (no such article, or archived), Unprocessable (neither heading nor text).
func (s *TextService) Suggest(ctx context.Context, articleID uuid.UUID, f SuggestionFields) (Suggestion, error) {
	if blank(f.HeadingES) && blank(f.HeadingEN) && blank(f.TextES) && blank(f.TextEN) {
		return Suggestion{}, apperr.New(apperr.Unprocessable, "the suggestion is not valid").
			WithField("text", "suggest a new heading or a new text")
	}
	a := actor.From(ctx)
	var out Suggestion
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		article, err := findActiveArticle(tx, articleID, database.ForShare)
		if err != nil {
			return err
		}
		r := suggestionRow{ID: uuid.Must(uuid.NewV7()), ArticleID: articleID, AuthorID: a.ID, Author: a.Label,
			HeadingES: f.HeadingES, HeadingEN: f.HeadingEN, TextES: f.TextES, TextEN: f.TextEN, Rationale: f.Rationale,
			Status: "pending", BaseVersion: article.Version}
		if err := tx.Omit("CreatedAt").Create(&r).Error; err != nil {
			return fmt.Errorf("write suggestion: %w", err)
		}
		stored, err := findSuggestion(tx, r.ID, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.suggestion()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_suggestion.create", ResourceType: "blueprint_suggestion",
			ResourceID: out.ID.String(), After: suggestionSnapshot(out)})
	})
	return out, err
}

// Suggestions returns the suggestions for article articleID (archived or not), newest first,
// only those in status when it is not "".
//
// Errors: NotFound.
func (s *TextService) Suggestions(ctx context.Context, articleID uuid.UUID, status string) ([]Suggestion, error) {
	tx := s.db.Conn(ctx)
	if _, err := findArticle(tx, articleID, database.NoLock); err != nil {
		return nil, err
	}
	q := tx.Where("article_id = ?", articleID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []suggestionRow
	if err := q.Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load suggestions of article %s: %w", articleID, err)
	}
	out := make([]Suggestion, len(rows))
	for i, r := range rows {
		out[i] = r.suggestion()
	}
	return out, nil
}

// Decide accepts or rejects pending suggestion id. Accepting applies its heading and text to the
// article, in the same transaction, as an audited edit that gives the article a new version; if
// the article changed since the suggestion was made, that needs d.Force (else a 409 carrying the
// article as it is now in "current").
//
// Errors: NotFound, Forbidden (not an editor of the blueprint), Conflict (decided already;
// accepting for an archived article or blueprint, or a changed article without force),
// Unprocessable (the text it leads to is not valid).
func (s *TextService) Decide(ctx context.Context, id uuid.UUID, d Decision) (Suggestion, error) {
	a := actor.From(ctx)
	if !editor(a) {
		return Suggestion{}, apperr.New(apperr.Forbidden, "only editors accept or reject suggestions")
	}
	var out Suggestion
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findSuggestion(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		article, err := findArticle(tx, r.ArticleID, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := s.authorizeBlueprint(ctx, tx, article.BlueprintID); err != nil {
			return err
		}
		if r.Status != "pending" {
			return apperr.New(apperr.Conflict, "suggestion %s was %s already", id, r.Status)
		}
		if d.Accept {
			if err := s.apply(ctx, tx, r, article, d.Force); err != nil {
				return err
			}
		}
		before := r.suggestion()
		status := "rejected"
		if d.Accept {
			status = "accepted"
		}
		err = tx.Model(&suggestionRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": status, "decided_by": a.Label, "decided_at": gorm.Expr("now()"), "decision_comment": d.Comment,
		}).Error
		if err != nil {
			return fmt.Errorf("write suggestion %s: %w", id, err)
		}
		stored, err := findSuggestion(tx, id, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.suggestion()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_suggestion.decide", ResourceType: "blueprint_suggestion",
			ResourceID: id.String(), Before: suggestionSnapshot(before), After: suggestionSnapshot(out)})
	})
	return out, err
}

// apply writes suggestion r's heading and text over article (locked for update).
//
// Errors: Conflict, Unprocessable.
func (s *TextService) apply(ctx context.Context, tx *gorm.DB, r suggestionRow, article articleRow, force bool) error {
	if article.ArchivedAt != nil {
		return apperr.New(apperr.Conflict, "article %s is archived: reject the suggestion instead", article.ID)
	}
	if err := s.writable(ctx, tx, article.BlueprintID); err != nil {
		return err
	}
	if article.Version != r.BaseVersion && !force {
		return stale(apperr.New(apperr.Conflict, "article %s changed since the suggestion was made (version %d, now %d): "+
			"compare it with the current text, then accept with force to apply it anyway", article.ID, r.BaseVersion, article.Version),
			article)
	}
	f := article.article().Fields()
	for _, p := range []struct{ to, from **string }{
		{&f.HeadingES, &r.HeadingES}, {&f.HeadingEN, &r.HeadingEN}, {&f.TextES, &r.TextES}, {&f.TextEN, &r.TextEN},
	} {
		if *p.from != nil {
			*p.to = *p.from
		}
	}
	_, err := storeArticle(ctx, tx, article, f)
	return err
}
