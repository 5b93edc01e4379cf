package blueprint

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
)

// ChapterFields are the parts of a chapter its users write. Position (1-based among the
// blueprint's active chapters, 0 for last) is read on creation only: afterwards the blueprint's
// order moves chapters.
type ChapterFields struct {
	BlueprintID          uuid.UUID
	Number               string // as printed: "I", "1"
	HeadingES, HeadingEN *string
	Position             int
}

// Chapter is a stored chapter of a blueprint. Articles is filled in an Outline only.
type Chapter struct {
	ID                   uuid.UUID
	BlueprintID          uuid.UUID
	Number               string
	HeadingES, HeadingEN *string
	Position             int
	Version              int64
	CreatedAt            time.Time
	UpdatedAt            time.Time
	ArchivedAt           *time.Time
	Articles             []Article
}

// Validate checks the rules every chapter obeys except that its blueprint exists.
//
// Errors: Unprocessable.
func (f *ChapterFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the chapter is not valid")
	checkNumber(e, f.Number)
	if blank(f.HeadingES) && blank(f.HeadingEN) {
		e.WithField("heading", "needs a Spanish or an English heading")
	}
	if f.Position < 0 {
		e.WithField("position", "must be 1 or more")
	}
	return fieldErrors(e)
}

// checkNumber adds to e what is wrong with the printed number of a chapter or article.
func checkNumber(e *apperr.Error, number string) {
	if n := len([]rune(strings.TrimSpace(number))); n == 0 || n > 20 {
		e.WithField("number", "must be 1–20 characters, not only spaces")
	}
}

type chapterRow struct {
	ID          uuid.UUID
	BlueprintID uuid.UUID
	Number      string
	HeadingES   *string `gorm:"column:heading_es"`
	HeadingEN   *string `gorm:"column:heading_en"`
	Position    int
	Version     int64
	CreatedAt   time.Time `gorm:"default:now()"`
	UpdatedAt   time.Time `gorm:"default:now()"`
	ArchivedAt  *time.Time
}

func (chapterRow) TableName() string { return "blueprint_chapters" }

func (r chapterRow) chapter() Chapter {
	return Chapter{ID: r.ID, BlueprintID: r.BlueprintID, Number: r.Number, HeadingES: r.HeadingES,
		HeadingEN: r.HeadingEN, Position: r.Position, Version: r.Version, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func findChapter(tx *gorm.DB, id uuid.UUID, lock database.Lock) (chapterRow, error) {
	return database.Take[chapterRow](tx, lock, "chapter "+id.String(), "id = ?", id)
}

// Chapter returns one chapter, archived or not.
//
// Errors: NotFound.
func (s *TextService) Chapter(ctx context.Context, id uuid.UUID) (Chapter, error) {
	r, err := findChapter(s.db.Conn(ctx), id, database.NoLock)
	return r.chapter(), err
}

// lockStructure locks blueprint id for a change of its structure and checks that the caller may
// write it.
//
// Errors: NotFound, Conflict (archived), Forbidden.
func (s *TextService) lockStructure(ctx context.Context, tx *gorm.DB, id uuid.UUID) (blueprintRow, error) {
	b, err := findBlueprint(tx, id, database.ForUpdate)
	if err != nil {
		return b, err
	}
	if b.ArchivedAt != nil {
		return b, apperr.New(apperr.Conflict, "blueprint %s is archived: its text no longer changes", id)
	}
	return b, s.authorizeBlueprint(ctx, tx, id)
}

// lockForArchive reads the chapter or article id with find, locks its blueprint (named by
// blueprint) for a change of its structure, checks that the caller may write it, and reads the
// row again, locked for update. Unlike other changes, archiving goes on in an archived blueprint
// (the contract's archive operations know no conflict).
//
// Errors: NotFound, Forbidden.
func lockForArchive[R any](ctx context.Context, s *TextService, tx *gorm.DB, id uuid.UUID,
	find func(*gorm.DB, uuid.UUID, database.Lock) (R, error), blueprint func(R) uuid.UUID) (R, error) {
	r, err := find(tx, id, database.NoLock)
	if err != nil {
		return r, err
	}
	if _, err := findBlueprint(tx, blueprint(r), database.ForUpdate); err != nil {
		return r, err
	}
	if err := s.authorizeBlueprint(ctx, tx, blueprint(r)); err != nil {
		return r, err
	}
	return find(tx, id, database.ForUpdate)
}

// makeRoom is the position a new row takes among the active rows of table whose parent column
// equals id: want, or last when want is 0. It moves the rows at and after that position one down.
//
// Errors: Unprocessable (want beyond last).
func makeRoom(tx *gorm.DB, table, parent string, id uuid.UUID, want int) (int, error) {
	var n int64
	if err := tx.Table(table).Where(parent+" = ? AND archived_at IS NULL", id).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	pos := want
	switch {
	case want == 0:
		pos = int(n) + 1
	case want > int(n)+1:
		return 0, apperr.New(apperr.Unprocessable, "the position is beyond the end").
			WithField("position", fmt.Sprintf("must be between 1 and %d (last)", n+1))
	}
	return pos, shift(tx, table, parent, id, pos, 1)
}

// shift moves the active rows of table whose parent column equals parent, from position from on,
// by delta (1: to make room, -1: to close a gap), bumping their versions since their
// representation changes.
func shift(tx *gorm.DB, table, parent string, id uuid.UUID, from, delta int) error {
	err := tx.Exec(fmt.Sprintf(`UPDATE %s SET position = position + ?, version = version + 1, updated_at = now()
WHERE %s = ? AND archived_at IS NULL AND position >= ?`, table, parent), delta, id, from).Error
	if err != nil {
		return fmt.Errorf("shift %s: %w", table, err)
	}
	return nil
}

// CreateChapter stores a new chapter at f.Position (last when 0), moving the chapters at and
// after that position one down.
//
// Errors: Unprocessable (invalid fields, no such blueprint, position beyond last), Conflict
// (archived blueprint), Forbidden.
func (s *TextService) CreateChapter(ctx context.Context, f ChapterFields) (Chapter, error) {
	if err := f.Validate(); err != nil {
		return Chapter{}, err
	}
	var out Chapter
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		_, err := s.lockStructure(ctx, tx, f.BlueprintID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Unprocessable, "the chapter refers to what does not exist").
				WithField("blueprint_id", "no such blueprint")
		}
		if err != nil {
			return err
		}
		pos, err := makeRoom(tx, "blueprint_chapters", "blueprint_id", f.BlueprintID, f.Position)
		if err != nil {
			return err
		}
		r := chapterRow{ID: uuid.Must(uuid.NewV7()), BlueprintID: f.BlueprintID, Number: strings.TrimSpace(f.Number),
			HeadingES: f.HeadingES, HeadingEN: f.HeadingEN, Position: pos, Version: 1}
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return fmt.Errorf("write chapter: %w", err)
		}
		stored, err := findChapter(tx, r.ID, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.chapter()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_chapter.create", ResourceType: "blueprint_chapter",
			ResourceID: out.ID.String(), After: chapterSnapshot(out)})
	})
	return out, err
}

// UpdateChapter applies change to chapter id's number and heading if its version satisfies pre;
// its blueprint and position stay (the blueprint's order moves chapters).
//
// Errors: NotFound, PreconditionFailed, Conflict (archived chapter or blueprint), Forbidden,
// Unprocessable, and whatever change returns.
func (s *TextService) UpdateChapter(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Chapter) (ChapterFields, error)) (Chapter, error) {
	var out Chapter
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := findChapter(tx, id, database.ForUpdate)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "chapter %s is archived", id)
		}
		if err := s.writable(ctx, tx, r.BlueprintID); err != nil {
			return err
		}
		before := r.chapter()
		f, err := change(before)
		if err != nil {
			return err
		}
		f.BlueprintID, f.Position = r.BlueprintID, r.Position
		if err := f.Validate(); err != nil {
			return err
		}
		err = tx.Model(&chapterRow{}).Where("id = ?", id).Updates(map[string]any{
			"number": strings.TrimSpace(f.Number), "heading_es": f.HeadingES, "heading_en": f.HeadingEN,
			"version": r.Version + 1, "updated_at": gorm.Expr("now()"),
		}).Error
		if err != nil {
			return fmt.Errorf("write chapter %s: %w", id, err)
		}
		stored, err := findChapter(tx, id, database.NoLock)
		if err != nil {
			return err
		}
		out = stored.chapter()
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_chapter.update", ResourceType: "blueprint_chapter",
			ResourceID: id.String(), Before: chapterSnapshot(before), After: chapterSnapshot(out)})
	})
	return out, err
}

// writable checks that the text of blueprint id may change, and that the caller may change it,
// without locking the blueprint (a change within one chapter or article leaves its structure).
//
// Errors: Conflict (archived blueprint), Forbidden.
func (s *TextService) writable(ctx context.Context, tx *gorm.DB, id uuid.UUID) error {
	var b struct{ ArchivedAt *time.Time }
	if err := tx.Raw(`SELECT archived_at FROM blueprints WHERE id = ?`, id).Scan(&b).Error; err != nil {
		return fmt.Errorf("load blueprint %s: %w", id, err)
	}
	if b.ArchivedAt != nil {
		return apperr.New(apperr.Conflict, "blueprint %s is archived: its text no longer changes", id)
	}
	return s.authorizeBlueprint(ctx, tx, id)
}

// ArchiveChapter soft-deletes chapter id with its active articles (each archived and audited on
// its own) and closes the gap it leaves among the blueprint's chapters. Archiving an archived
// chapter changes nothing.
//
// Errors: NotFound, PreconditionFailed, Forbidden.
func (s *TextService) ArchiveChapter(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		c, err := lockForArchive(ctx, s, tx, id, findChapter, func(c chapterRow) uuid.UUID { return c.BlueprintID })
		if err != nil {
			return err
		}
		if err := pre.Check(c.Version); err != nil {
			return err
		}
		if c.ArchivedAt != nil {
			return nil
		}
		var articles []articleRow
		if err := tx.Where("chapter_id = ? AND archived_at IS NULL", id).Order("position, id").Find(&articles).Error; err != nil {
			return fmt.Errorf("load articles of chapter %s: %w", id, err)
		}
		for _, a := range articles {
			if err := archiveArticleRow(ctx, tx, a); err != nil {
				return err
			}
		}
		err = archive.Row[chapterRow](ctx, tx, "blueprint_chapter", id, c.Version, chapterSnapshot(c.chapter()), func() (any, error) {
			after, err := findChapter(tx, id, database.NoLock)
			return chapterSnapshot(after.chapter()), err
		})
		if err != nil {
			return err
		}
		return shift(tx, "blueprint_chapters", "blueprint_id", c.BlueprintID, c.Position+1, -1)
	})
}

// ChapterFilter narrows ListChapters.
type ChapterFilter struct {
	BlueprintID     *uuid.UUID
	IncludeArchived bool
	PageSize        int
	PageToken       string
}

// ListChapters returns a page of chapters in document order (by blueprint, then position) and
// the next page's token, in one statement.
//
// Errors: Invalid (bad page token).
func (s *TextService) ListChapters(ctx context.Context, f ChapterFilter) ([]Chapter, string, error) {
	q := s.db.Conn(ctx).Model(&chapterRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.BlueprintID != nil {
		q = q.Where("blueprint_id = ?", *f.BlueprintID)
	}
	rows, next, err := documentPage(q, "blueprint-chapters", documentKey{Blueprint: "blueprint_id",
		Positions: []string{"position"}, ID: "id"}, f.PageToken, f.PageSize, func(r chapterRow) documentPosition {
		return documentPosition{Blueprint: r.BlueprintID, Positions: []int{r.Position}, ID: r.ID}
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]Chapter, len(rows))
	for i, r := range rows {
		out[i] = r.chapter()
	}
	return out, next, nil
}
