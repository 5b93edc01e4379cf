package blueprint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/search"
)

// ArticleFields are the parts of an article its users write. ChapterID and Position (1-based
// within the chapter, 0 for last) are read on creation only: afterwards the blueprint's order
// moves articles, within or between chapters.
type ArticleFields struct {
	ChapterID            uuid.UUID
	Number               string // as printed: "5", "5-A"
	HeadingES, HeadingEN *string
	TextES, TextEN       *string
	Position             int
	FunctionIDs          []uuid.UUID // mandate functions it regulates; each must exist
	UnitIDs              []uuid.UUID // institutions (units) it regulates; each must exist
}

// Article is a stored article. Its id is stable across edits, moves and versions; Version
// counts its changes and is its ETag.
type Article struct {
	ID                   uuid.UUID
	BlueprintID          uuid.UUID
	ChapterID            uuid.UUID
	Number               string
	HeadingES, HeadingEN *string
	TextES, TextEN       *string
	Position             int
	FunctionIDs          []uuid.UUID
	UnitIDs              []uuid.UUID
	Version              int64
	CreatedAt            time.Time
	UpdatedAt            time.Time
	ArchivedAt           *time.Time
}

// Fields are the writable parts of a.
func (a Article) Fields() ArticleFields {
	return ArticleFields{ChapterID: a.ChapterID, Number: a.Number, HeadingES: a.HeadingES, HeadingEN: a.HeadingEN,
		TextES: a.TextES, TextEN: a.TextEN, Position: a.Position,
		FunctionIDs: append([]uuid.UUID{}, a.FunctionIDs...), UnitIDs: append([]uuid.UUID{}, a.UnitIDs...)}
}

// Validate checks the rules every article obeys except that its chapter, functions and units
// exist.
//
// Errors: Unprocessable.
func (f *ArticleFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the article is not valid")
	checkNumber(e, f.Number)
	if blank(f.TextES) && blank(f.TextEN) {
		e.WithField("text", "needs a Spanish or an English text")
	}
	if f.Position < 0 {
		e.WithField("position", "must be 1 or more")
	}
	return fieldErrors(e)
}

type articleRow struct {
	ID          uuid.UUID
	BlueprintID uuid.UUID
	ChapterID   uuid.UUID
	Number      string
	HeadingES   *string `gorm:"column:heading_es"`
	HeadingEN   *string `gorm:"column:heading_en"`
	TextES      *string `gorm:"column:text_es"`
	TextEN      *string `gorm:"column:text_en"`
	Position    int
	FunctionIDs pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	UnitIDs     pq.StringArray `gorm:"column:unit_ids;type:uuid[]"`
	Version     int64
	CreatedAt   time.Time `gorm:"default:now()"`
	UpdatedAt   time.Time `gorm:"default:now()"`
	ArchivedAt  *time.Time
}

func (articleRow) TableName() string { return "blueprint_articles" }

func (r articleRow) article() Article {
	return Article{ID: r.ID, BlueprintID: r.BlueprintID, ChapterID: r.ChapterID, Number: r.Number,
		HeadingES: r.HeadingES, HeadingEN: r.HeadingEN, TextES: r.TextES, TextEN: r.TextEN, Position: r.Position,
		FunctionIDs: refs.Parse(r.FunctionIDs), UnitIDs: refs.Parse(r.UnitIDs), Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func findArticle(tx *gorm.DB, id uuid.UUID, lock database.Lock) (articleRow, error) {
	return database.Take[articleRow](tx, lock, "article "+id.String(), "id = ?", id)
}

// findActiveArticle is article id for a comment or suggestion: an archived article is as good as
// gone for those.
//
// Errors: NotFound.
func findActiveArticle(tx *gorm.DB, id uuid.UUID, lock database.Lock) (articleRow, error) {
	r, err := findArticle(tx, id, lock)
	if err == nil && r.ArchivedAt != nil {
		return r, apperr.New(apperr.NotFound, "article %s not found (it is archived)", id)
	}
	return r, err
}

// stale is the 412 of a write made against an old version of article current: it carries the
// article as it is now, so the writer sees what changed instead of overwriting it.
func stale(err error, current articleRow) error {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.WithExtra("current", articleSnapshot(current.article()))
	}
	return err
}

// Article returns one article, archived or not.
//
// Errors: NotFound.
func (s *TextService) Article(ctx context.Context, id uuid.UUID) (Article, error) {
	r, err := findArticle(s.db.Conn(ctx), id, database.NoLock)
	return r.article(), err
}

// CreateArticle stores a new article in chapter f.ChapterID at f.Position (last when 0),
// moving the articles at and after that position one down.
//
// Errors: Unprocessable (invalid fields, unknown or archived chapter, unknown functions or units,
// position beyond last), Conflict (archived blueprint), Forbidden.
func (s *TextService) CreateArticle(ctx context.Context, f ArticleFields) (Article, error) {
	if err := f.Validate(); err != nil {
		return Article{}, err
	}
	var out Article
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		c, err := s.lockChapter(ctx, tx, f.ChapterID)
		if err != nil {
			return err
		}
		if err := articleCheckReferences(tx, f, Article{}); err != nil {
			return err
		}
		pos, err := makeRoom(tx, "blueprint_articles", "chapter_id", c.ID, f.Position)
		if err != nil {
			return err
		}
		r := articleRow{ID: uuid.Must(uuid.NewV7()), BlueprintID: c.BlueprintID, ChapterID: c.ID, Position: pos, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return fmt.Errorf("write article: %w", err)
		}
		stored, err := findArticle(tx, r.ID, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.article()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_article.create", ResourceType: "blueprint_article",
			ResourceID: out.ID.String(), After: articleSnapshot(out)})
	})
	return out, err
}

// lockChapter locks the blueprint of chapter id, named by a request's chapter_id, for a change
// of its structure, and returns the chapter as it is once locked.
//
// Errors: Unprocessable (no such chapter, archived chapter), Conflict (archived blueprint),
// Forbidden.
func (s *TextService) lockChapter(ctx context.Context, tx *gorm.DB, id uuid.UUID) (chapterRow, error) {
	refused := func(why string) error {
		return apperr.New(apperr.Unprocessable, "the article cannot go into chapter %s", id).WithField("chapter_id", why)
	}
	c, err := findChapter(tx, id, database.NoLock)
	if apperr.Is(err, apperr.NotFound) {
		return c, refused("no such chapter")
	}
	if err != nil {
		return c, err
	}
	if _, err := s.lockStructure(ctx, tx, c.BlueprintID); err != nil {
		return c, err
	}
	// Read again under the lock: the chapter may have been archived meanwhile.
	if c, err = findChapter(tx, id, database.NoLock); err != nil {
		return c, err
	}
	if c.ArchivedAt != nil {
		return c, refused("is archived")
	}
	return c, nil
}

func (r *articleRow) set(f ArticleFields) {
	r.Number = strings.TrimSpace(f.Number)
	r.HeadingES, r.HeadingEN, r.TextES, r.TextEN = f.HeadingES, f.HeadingEN, f.TextES, f.TextEN
	r.FunctionIDs, r.UnitIDs = refs.Array(f.FunctionIDs), refs.Array(f.UnitIDs)
}

// articleCheckReferences refuses functions and units that do not exist, naming each by its
// position; those the article (current) refers to already are not checked again.
//
// Errors: Unprocessable.
func articleCheckReferences(tx *gorm.DB, f ArticleFields, current Article) error {
	return refs.Check(tx, "the article refers to what does not exist",
		refs.List{Table: "functions", Field: "function_ids", Missing: "no such function", IDs: f.FunctionIDs,
			Kept: current.FunctionIDs},
		refs.List{Table: "institutions", Field: "unit_ids", Missing: "no such unit", IDs: f.UnitIDs, Kept: current.UnitIDs})
}

// UpdateArticle applies change to article id if its version satisfies pre; its chapter and
// position stay (the blueprint's order moves articles). A stale pre is a 412 carrying the article
// as it is now in its "current" member.
//
// Errors: NotFound, PreconditionFailed, Conflict (archived article or blueprint), Forbidden,
// Unprocessable, and whatever change returns.
func (s *TextService) UpdateArticle(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Article) (ArticleFields, error)) (Article, error) {
	var out Article
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findArticle(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return stale(err, r)
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "article %s is archived", id)
		}
		if err := s.writable(ctx, tx, r.BlueprintID); err != nil {
			return err
		}
		f, err := change(r.article())
		if err != nil {
			return err
		}
		out, err = storeArticle(ctx, tx, r, f)
		return err
	})
	return out, err
}

// storeArticle writes f's number, heading, text and links over article r (locked for update),
// bumps its version and audits the change. Its chapter and position stay.
//
// Errors: Unprocessable.
func storeArticle(ctx context.Context, tx *gorm.DB, r articleRow, f ArticleFields) (Article, error) {
	before := r.article()
	f.ChapterID, f.Position = r.ChapterID, r.Position
	if err := f.Validate(); err != nil {
		return Article{}, err
	}
	if err := articleCheckReferences(tx, f, before); err != nil {
		return Article{}, err
	}
	r.set(f)
	err := tx.Model(&articleRow{}).Where("id = ?", r.ID).Updates(map[string]any{
		"number": r.Number, "heading_es": r.HeadingES, "heading_en": r.HeadingEN, "text_es": r.TextES,
		"text_en": r.TextEN, "function_ids": r.FunctionIDs, "unit_ids": r.UnitIDs, "version": r.Version + 1,
		"updated_at": gorm.Expr("now()"),
	}).Error
	if err != nil {
		return Article{}, fmt.Errorf("write article %s: %w", r.ID, err)
	}
	stored, err := findArticle(tx, r.ID, database.NoLock)
	if err != nil {
		return Article{}, err
	}
	out := stored.article()
	return out, audit.Record(ctx, tx, audit.Change{Action: "blueprint_article.update", ResourceType: "blueprint_article",
		ResourceID: r.ID.String(), Before: articleSnapshot(before), After: articleSnapshot(out)})
}

// ArchiveArticle soft-deletes article id and closes the gap it leaves in its chapter. Archiving
// an archived article changes nothing; nor does the blueprint's being archived stop it.
//
// Errors: NotFound, PreconditionFailed (with "current"), Forbidden.
func (s *TextService) ArchiveArticle(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := lockForArchive(ctx, s, tx, id, findArticle, func(r articleRow) uuid.UUID { return r.BlueprintID })
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return stale(err, r)
		}
		if r.ArchivedAt != nil {
			return nil
		}
		if err := archiveArticleRow(ctx, tx, r); err != nil {
			return err
		}
		return shift(tx, "blueprint_articles", "chapter_id", r.ChapterID, r.Position+1, -1)
	})
}

// archiveArticleRow archives article r and audits it; closing the gap is the caller's.
func archiveArticleRow(ctx context.Context, tx *gorm.DB, r articleRow) error {
	return archive.Row[articleRow](ctx, tx, "blueprint_article", r.ID, r.Version, articleSnapshot(r.article()), func() (any, error) {
		after, err := findArticle(tx, r.ID, database.NoLock)
		return articleSnapshot(after.article()), err
	})
}

// ArticleFilter narrows ListArticles. Empty values mean "any".
type ArticleFilter struct {
	BlueprintID, ChapterID *uuid.UUID
	FunctionID             *uuid.UUID // articles regulating this function
	UnitID                 *uuid.UUID // articles regulating this unit
	Q                      string
	IncludeArchived        bool
	PageSize               int
	PageToken              string
}

// listedArticle is an article with the position of its chapter, which orders the list.
type listedArticle struct {
	Row             articleRow `gorm:"embedded"`
	ChapterPosition int
}

// ListArticles returns a page of articles in document order (by blueprint, chapter position,
// position) and the next page's token, in one statement.
//
// Errors: Invalid (bad page token).
func (s *TextService) ListArticles(ctx context.Context, f ArticleFilter) ([]Article, string, error) {
	q := s.db.Conn(ctx).Table("blueprint_articles a").
		Select("a.id, a.blueprint_id, a.chapter_id, a.number, a.heading_es, a.heading_en, a.text_es, a.text_en, " +
			"a.position, a.function_ids, a.unit_ids, a.version, a.created_at, a.updated_at, a.archived_at, " +
			"c.position AS chapter_position").
		Joins("JOIN blueprint_chapters c ON c.id = a.chapter_id")
	if !f.IncludeArchived {
		q = q.Where("a.archived_at IS NULL")
	}
	if f.BlueprintID != nil {
		q = q.Where("a.blueprint_id = ?", *f.BlueprintID)
	}
	if f.ChapterID != nil {
		q = q.Where("a.chapter_id = ?", *f.ChapterID)
	}
	if f.FunctionID != nil {
		q = q.Where("a.function_ids @> ARRAY[?]::uuid[]", f.FunctionID.String())
	}
	if f.UnitID != nil {
		q = q.Where("a.unit_ids @> ARRAY[?]::uuid[]", f.UnitID.String())
	}
	if cond, args, ok := search.Condition("a.search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	rows, next, err := documentPage(q, "blueprint-articles", documentKey{Blueprint: "a.blueprint_id",
		Positions: []string{"c.position", "a.position"}, ID: "a.id"}, f.PageToken, f.PageSize, func(r listedArticle) documentPosition {
		return documentPosition{Blueprint: r.Row.BlueprintID, Positions: []int{r.ChapterPosition, r.Row.Position}, ID: r.Row.ID}
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]Article, len(rows))
	for i, r := range rows {
		out[i] = r.Row.article()
	}
	return out, next, nil
}
