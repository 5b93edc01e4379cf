package blueprint

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/refs"
)

// Outline is a blueprint's current text: its active chapters in order, each with its active
// articles in order. Versions freeze it; the outline operation serves it.
type Outline struct {
	Blueprint Blueprint
	Chapters  []Chapter
}

// LoadOutline reads the outline of blueprint blueprintID through tx, in two statements whatever
// its size: the blueprint, then its chapters joined with their articles. An archived blueprint
// still has its outline (its text did not go away).
//
// Errors: NotFound.
func LoadOutline(ctx context.Context, tx *gorm.DB, blueprintID uuid.UUID) (Outline, error) {
	b, err := findBlueprint(tx.WithContext(ctx), blueprintID, database.NoLock)
	if err != nil {
		return Outline{}, err
	}
	out := Outline{Blueprint: b.blueprint(), Chapters: []Chapter{}}
	var rows []outlineRow
	err = tx.WithContext(ctx).Raw(`
SELECT c.id AS c_id, c.blueprint_id AS c_blueprint_id, c.number AS c_number, c.heading_es AS c_heading_es,
       c.heading_en AS c_heading_en, c.position AS c_position, c.version AS c_version,
       c.created_at AS c_created_at, c.updated_at AS c_updated_at,
       a.id, a.blueprint_id, a.chapter_id, a.number, a.heading_es, a.heading_en, a.text_es, a.text_en,
       a.position, a.function_ids, a.unit_ids, a.version, a.created_at, a.updated_at, a.archived_at
FROM blueprint_chapters c
LEFT JOIN blueprint_articles a ON a.chapter_id = c.id AND a.archived_at IS NULL
WHERE c.blueprint_id = ? AND c.archived_at IS NULL
ORDER BY c.position, c.id, a.position, a.id`, blueprintID).Scan(&rows).Error
	if err != nil {
		return Outline{}, fmt.Errorf("load outline of blueprint %s: %w", blueprintID, err)
	}
	for _, r := range rows {
		if n := len(out.Chapters); n == 0 || out.Chapters[n-1].ID != r.CID {
			out.Chapters = append(out.Chapters, Chapter{
				ID: r.CID, BlueprintID: r.CBlueprintID, Number: r.CNumber, HeadingES: r.CHeadingES,
				HeadingEN: r.CHeadingEN, Position: r.CPosition, Version: r.CVersion, CreatedAt: r.CCreatedAt,
				UpdatedAt: r.CUpdatedAt, Articles: []Article{},
			})
		}
		if r.ID != nil {
			c := &out.Chapters[len(out.Chapters)-1]
			c.Articles = append(c.Articles, r.article())
		}
	}
	return out, nil
}

// outlineRow is one chapter joined with one of its articles (all article columns NULL for a
// chapter without articles).
type outlineRow struct {
	CID          uuid.UUID `gorm:"column:c_id"`
	CBlueprintID uuid.UUID `gorm:"column:c_blueprint_id"`
	CNumber      string    `gorm:"column:c_number"`
	CHeadingES   *string   `gorm:"column:c_heading_es"`
	CHeadingEN   *string   `gorm:"column:c_heading_en"`
	CPosition    int       `gorm:"column:c_position"`
	CVersion     int64     `gorm:"column:c_version"`
	CCreatedAt   time.Time `gorm:"column:c_created_at"`
	CUpdatedAt   time.Time `gorm:"column:c_updated_at"`

	ID          *uuid.UUID
	BlueprintID *uuid.UUID
	ChapterID   *uuid.UUID
	Number      *string
	HeadingES   *string `gorm:"column:heading_es"`
	HeadingEN   *string `gorm:"column:heading_en"`
	TextES      *string `gorm:"column:text_es"`
	TextEN      *string `gorm:"column:text_en"`
	Position    *int
	FunctionIDs pq.StringArray `gorm:"column:function_ids;type:uuid[]"`
	UnitIDs     pq.StringArray `gorm:"column:unit_ids;type:uuid[]"`
	Version     *int64
	CreatedAt   *time.Time
	UpdatedAt   *time.Time
	ArchivedAt  *time.Time
}

func (r outlineRow) article() Article {
	return Article{
		ID: *r.ID, BlueprintID: *r.BlueprintID, ChapterID: *r.ChapterID, Number: *r.Number,
		HeadingES: r.HeadingES, HeadingEN: r.HeadingEN, TextES: r.TextES, TextEN: r.TextEN, Position: *r.Position,
		FunctionIDs: refs.Parse(r.FunctionIDs), UnitIDs: refs.Parse(r.UnitIDs), Version: *r.Version,
		CreatedAt: *r.CreatedAt, UpdatedAt: *r.UpdatedAt, ArchivedAt: r.ArchivedAt,
	}
}
