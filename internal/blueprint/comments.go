package blueprint

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/refs"
)

// CommentFields are what a commenter writes. EventID names the co-drafting session the comment
// was made in: only events of type co_drafting_session qualify, since that is what the link
// means (a remark from a consultation belongs in the event's consultation inputs instead).
type CommentFields struct {
	Body     string
	ParentID *uuid.UUID // the comment this replies to, on the same article
	EventID  *uuid.UUID
}

// Comment is a stored comment. Replies is filled when comments are read as threads.
type Comment struct {
	ID         uuid.UUID
	ArticleID  uuid.UUID
	ParentID   *uuid.UUID
	EventID    *uuid.UUID
	AuthorID   string // the actor's id; only this author may change the body
	Author     string // the actor's label, as shown
	Body       string
	Resolved   bool
	ResolvedBy *string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Replies    []Comment
}

type commentRow struct {
	ID         uuid.UUID
	ArticleID  uuid.UUID
	ParentID   *uuid.UUID
	EventID    *uuid.UUID
	AuthorID   string
	Author     string
	Body       string
	Resolved   bool
	ResolvedBy *string
	CreatedAt  time.Time `gorm:"default:now()"`
	UpdatedAt  time.Time `gorm:"default:now()"`
}

func (commentRow) TableName() string { return "blueprint_comments" }

func (r commentRow) comment() Comment {
	return Comment{ID: r.ID, ArticleID: r.ArticleID, ParentID: r.ParentID, EventID: r.EventID, AuthorID: r.AuthorID,
		Author: r.Author, Body: r.Body, Resolved: r.Resolved, ResolvedBy: r.ResolvedBy, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Replies: []Comment{}}
}

// editor reports whether a may act as an editor of the text (resolve threads, decide
// suggestions): it holds deliverables:write, or is Puente itself.
func editor(a actor.Actor) bool {
	return a.Kind == actor.System || a.HasScope(auth.ScopeDeliverablesWrite)
}

// AddComment stores a comment by the caller on active article articleID, or a reply to one of
// its comments.
//
// Errors: NotFound (no such article, or archived), Unprocessable (empty body, parent not a
// comment on this article, unknown event or not a co-drafting session).
func (s *TextService) AddComment(ctx context.Context, articleID uuid.UUID, f CommentFields) (Comment, error) {
	if strings.TrimSpace(f.Body) == "" {
		return Comment{}, apperr.New(apperr.Unprocessable, "the comment is not valid").WithField("body", "must not be empty")
	}
	a := actor.From(ctx)
	var out Comment
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		// FOR SHARE: the article cannot be archived under a comment being made.
		if _, err := findActiveArticle(tx, articleID, database.ForShare); err != nil {
			return err
		}
		if f.ParentID != nil {
			var on []uuid.UUID
			if err := tx.Model(&commentRow{}).Where("id = ?", *f.ParentID).Pluck("article_id", &on).Error; err != nil {
				return fmt.Errorf("load comment %s: %w", *f.ParentID, err)
			}
			if len(on) == 0 || on[0] != articleID {
				return apperr.New(apperr.Unprocessable, "a reply answers a comment on the same article").
					WithField("parent_id", "not a comment on this article")
			}
		}
		err := refs.Check(tx, "the comment refers to what does not exist",
			refs.List{Table: "events", Field: "event_id", Missing: "no such event", ID: f.EventID,
				Refuse: []refs.Rule{{Where: "type <> 'co_drafting_session'", Says: "is not a co-drafting session"}}})
		if err != nil {
			return err
		}
		r := commentRow{ID: uuid.Must(uuid.NewV7()), ArticleID: articleID, ParentID: f.ParentID, EventID: f.EventID,
			AuthorID: a.ID, Author: a.Label, Body: f.Body}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return fmt.Errorf("write comment: %w", err)
		}
		stored, err := database.Take[commentRow](tx, database.NoLock, "comment", "id = ?", r.ID)
		if err != nil {
			return err
		}
		out = stored.comment()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_comment.create", ResourceType: "blueprint_comment",
			ResourceID: out.ID.String(), After: commentSnapshot(out)})
	})
	return out, err
}

// Comments returns the comments on article articleID (archived or not) as threads: top-level
// comments oldest first, each with its replies nested, oldest first. resolved, when given, keeps
// only the threads resolved (true) or open (false). One statement for the article, one for all
// its comments.
//
// Errors: NotFound.
func (s *TextService) Comments(ctx context.Context, articleID uuid.UUID, resolved *bool) ([]Comment, error) {
	tx := s.db.Conn(ctx)
	if _, err := findArticle(tx, articleID, database.NoLock); err != nil {
		return nil, err
	}
	threads, err := commentThreads(tx, articleID)
	if err != nil {
		return nil, err
	}
	out := []Comment{}
	for _, c := range threads {
		if resolved == nil || c.Resolved == *resolved {
			out = append(out, c)
		}
	}
	return out, nil
}

// commentThreads reads every comment on article articleID and nests the replies, in one
// statement.
func commentThreads(tx *gorm.DB, articleID uuid.UUID) ([]Comment, error) {
	var rows []commentRow
	if err := tx.Where("article_id = ?", articleID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load comments of article %s: %w", articleID, err)
	}
	children := map[uuid.UUID][]commentRow{}
	var top []commentRow
	for _, r := range rows {
		if r.ParentID == nil {
			top = append(top, r)
		} else {
			children[*r.ParentID] = append(children[*r.ParentID], r)
		}
	}
	var nest func(r commentRow) Comment
	nest = func(r commentRow) Comment {
		c := r.comment()
		for _, child := range children[r.ID] {
			c.Replies = append(c.Replies, nest(child))
		}
		return c
	}
	out := make([]Comment, len(top))
	for i, r := range top {
		out[i] = nest(r)
	}
	return out, nil
}

// findInThreads is comment id within threads, at any depth.
func findInThreads(threads []Comment, id uuid.UUID) (Comment, bool) {
	for _, c := range threads {
		if c.ID == id {
			return c, true
		}
		if found, ok := findInThreads(c.Replies, id); ok {
			return found, true
		}
	}
	return Comment{}, false
}

// CommentChange is a change to a comment: its body (the author's alone) and whether its thread
// is resolved (editors of the blueprint's text only, and on a thread's first comment only).
// Nil leaves a part as it is.
type CommentChange struct {
	Body     *string
	Resolved *bool
}

// UpdateComment applies ch to comment id and returns it with its replies.
//
// Errors: NotFound, Forbidden (body of another's comment; resolving without being an editor of
// the blueprint), Conflict (the article is archived), Unprocessable (empty body, resolving a
// reply).
func (s *TextService) UpdateComment(ctx context.Context, id uuid.UUID, ch CommentChange) (Comment, error) {
	a := actor.From(ctx)
	var out Comment
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := database.Take[commentRow](tx, database.ForUpdate, "comment "+id.String(), "id = ?", id)
		if err != nil {
			return err
		}
		article, err := findArticle(tx, r.ArticleID, database.NoLock)
		if err != nil {
			return err
		}
		if article.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "article %s is archived: its comments no longer change", article.ID)
		}
		before := r.comment()
		if ch.Body != nil {
			if r.AuthorID != a.ID {
				return apperr.New(apperr.Forbidden, "only its author may change a comment's text")
			}
			if strings.TrimSpace(*ch.Body) == "" {
				return apperr.New(apperr.Unprocessable, "the comment is not valid").WithField("body", "must not be empty")
			}
			r.Body = *ch.Body
		}
		if ch.Resolved != nil {
			if !editor(a) {
				return apperr.New(apperr.Forbidden, "only editors resolve or reopen threads")
			}
			if err := s.authorizeBlueprint(ctx, tx, article.BlueprintID); err != nil {
				return err
			}
			if r.ParentID != nil {
				return apperr.New(apperr.Unprocessable, "a reply is resolved with its thread").
					WithField("resolved", "resolve the thread's first comment instead")
			}
			r.Resolved, r.ResolvedBy = *ch.Resolved, nil
			if r.Resolved {
				r.ResolvedBy = &a.Label
			}
		}
		err = tx.Model(&commentRow{}).Where("id = ?", id).Updates(map[string]any{
			"body": r.Body, "resolved": r.Resolved, "resolved_by": r.ResolvedBy, "updated_at": gorm.Expr("now()"),
		}).Error
		if err != nil {
			return fmt.Errorf("write comment %s: %w", id, err)
		}
		threads, err := commentThreads(tx, r.ArticleID)
		if err != nil {
			return err
		}
		out, _ = findInThreads(threads, id)
		after := out
		after.Replies = []Comment{}
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_comment.update", ResourceType: "blueprint_comment",
			ResourceID: id.String(), Before: commentSnapshot(before), After: commentSnapshot(after)})
	})
	return out, err
}
