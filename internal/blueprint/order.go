package blueprint

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
)

// ChapterOrder is one chapter of a new order with its articles, in order.
type ChapterOrder struct {
	ID         uuid.UUID
	ArticleIDs []uuid.UUID
}

// Reorder sets the order of blueprint id's active chapters and of the articles in each, moving
// articles between chapters as order says. order must list every active chapter of the
// blueprint exactly once and every active article exactly once; anything missing, repeated or
// foreign refuses the whole order. The rows whose position or chapter changes get a new version;
// the reorder is audited once, on the blueprint, with the order before and after. It returns the
// outline in its new order.
//
// Errors: NotFound, Conflict (archived blueprint), Forbidden, Unprocessable.
func (s *TextService) Reorder(ctx context.Context, id uuid.UUID, order []ChapterOrder) (Outline, error) {
	var out Outline
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if _, err := s.lockStructure(ctx, tx, id); err != nil {
			return err
		}
		before, err := LoadOutline(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkOrder(before, order); err != nil {
			return err
		}
		if err := applyOrder(tx, before, order); err != nil {
			return err
		}
		if out, err = LoadOutline(ctx, tx, id); err != nil {
			return err
		}
		if equalOrders(before, out) {
			return nil
		}
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint.reorder", ResourceType: "blueprint",
			ResourceID: id.String(), Before: orderSnapshot(before), After: orderSnapshot(out)})
	})
	return out, err
}

// checkOrder refuses an order that does not list each chapter and article of current exactly
// once, naming every offending entry.
//
// Errors: Unprocessable.
func checkOrder(current Outline, order []ChapterOrder) error {
	chapters := map[uuid.UUID]bool{}
	articles := map[uuid.UUID]bool{}
	for _, c := range current.Chapters {
		chapters[c.ID] = false
		for _, a := range c.Articles {
			articles[a.ID] = false
		}
	}
	e := apperr.New(apperr.Unprocessable, "the order must list every chapter and every article of the blueprint exactly once")
	mark := func(seen map[uuid.UUID]bool, id uuid.UUID, field, what string) {
		listed, ok := seen[id]
		switch {
		case !ok:
			e.WithField(field, "not an active "+what+" of this blueprint")
		case listed:
			e.WithField(field, "listed more than once")
		default:
			seen[id] = true
		}
	}
	for i, c := range order {
		field := "chapters." + strconv.Itoa(i)
		mark(chapters, c.ID, field+".id", "chapter")
		for j, a := range c.ArticleIDs {
			mark(articles, a, field+".article_ids."+strconv.Itoa(j), "article")
		}
	}
	for _, c := range current.Chapters {
		if !chapters[c.ID] {
			e.WithField("chapters", "misses chapter "+c.ID.String())
		}
		for _, a := range c.Articles {
			if !articles[a.ID] {
				e.WithField("chapters", "misses article "+a.ID.String())
			}
		}
	}
	return fieldErrors(e)
}

// applyOrder writes the positions (and chapters) order gives the rows of current whose place
// changes, bumping their versions: one statement per table.
func applyOrder(tx *gorm.DB, current Outline, order []ChapterOrder) error {
	type place struct {
		chapter  uuid.UUID
		position int
	}
	was := map[uuid.UUID]place{}
	for _, c := range current.Chapters {
		was[c.ID] = place{position: c.Position}
		for _, a := range c.Articles {
			was[a.ID] = place{chapter: c.ID, position: a.Position}
		}
	}
	var chapterIDs, articleIDs, articleChapters []uuid.UUID
	var chapterPositions, articlePositions pq.Int64Array
	for i, c := range order {
		if was[c.ID].position != i+1 {
			chapterIDs, chapterPositions = append(chapterIDs, c.ID), append(chapterPositions, int64(i+1))
		}
		for j, a := range c.ArticleIDs {
			if was[a] != (place{chapter: c.ID, position: j + 1}) {
				articleIDs, articleChapters = append(articleIDs, a), append(articleChapters, c.ID)
				articlePositions = append(articlePositions, int64(j+1))
			}
		}
	}
	if len(chapterIDs) > 0 {
		err := tx.Exec(`UPDATE blueprint_chapters c SET position = v.position, version = c.version + 1, updated_at = now()
FROM unnest(?::uuid[], ?::int[]) AS v(id, position) WHERE c.id = v.id`, refs.Array(chapterIDs), chapterPositions).Error
		if err != nil {
			return fmt.Errorf("reorder chapters: %w", err)
		}
	}
	if len(articleIDs) > 0 {
		err := tx.Exec(`UPDATE blueprint_articles a SET chapter_id = v.chapter_id, position = v.position, version = a.version + 1,
    updated_at = now()
FROM unnest(?::uuid[], ?::uuid[], ?::int[]) AS v(id, chapter_id, position) WHERE a.id = v.id`,
			refs.Array(articleIDs), refs.Array(articleChapters), articlePositions).Error
		if err != nil {
			return fmt.Errorf("reorder articles: %w", err)
		}
	}
	return nil
}

// orderOf is the order of o's chapters and articles, in the reorder request's shape.
func orderOf(o Outline) []ChapterOrder {
	out := make([]ChapterOrder, len(o.Chapters))
	for i, c := range o.Chapters {
		out[i] = ChapterOrder{ID: c.ID, ArticleIDs: make([]uuid.UUID, len(c.Articles))}
		for j, a := range c.Articles {
			out[i].ArticleIDs[j] = a.ID
		}
	}
	return out
}

// equalOrders reports whether a and b hold the same chapters and articles in the same places.
func equalOrders(a, b Outline) bool {
	return slices.EqualFunc(orderOf(a), orderOf(b), func(x, y ChapterOrder) bool {
		return x.ID == y.ID && slices.Equal(x.ArticleIDs, y.ArticleIDs)
	})
}

// documentKey names the columns of a list kept in document order: its blueprint, the positions
// that order rows within it (a chapter's; a chapter's then an article's), then the row's id.
type documentKey struct {
	Blueprint string
	Positions []string
	ID        string
}

// documentPosition is where a page of such a list stopped.
type documentPosition struct {
	Blueprint uuid.UUID `json:"b"`
	Positions []int     `json:"p"`
	ID        uuid.UUID `json:"i"`
}

// documentPage narrows q to the page after token in document order and fetches up to size rows
// into T, keyset-paged on the columns of k; pos reads a row's key. It returns the rows and the
// next page's token ("" on the last page).
//
// Errors: Invalid for a token from another list.
func documentPage[T any](q *gorm.DB, list string, k documentKey, token string, size int, pos func(T) documentPosition) ([]T, string, error) {
	tuple := strings.Join(append(append([]string{k.Blueprint}, k.Positions...), k.ID), ", ")
	if token != "" {
		var p documentPosition
		if err := paging.Decode(token, list, &p); err != nil {
			return nil, "", err
		}
		if len(p.Positions) != len(k.Positions) {
			return nil, "", apperr.New(apperr.Invalid, "page_token is not a token this list issued").
				WithField("query.page_token", "invalid or from another list or order")
		}
		args := []any{p.Blueprint}
		for _, v := range p.Positions {
			args = append(args, v)
		}
		marks := "CAST(? AS uuid)" + strings.Repeat(", CAST(? AS int)", len(p.Positions)) + ", CAST(? AS uuid)"
		q = q.Where(fmt.Sprintf("(%s) > (%s)", tuple, marks), append(args, p.ID)...)
	}
	var rows []T
	if err := q.Order(tuple).Limit(size + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("list %s: %w", list, err)
	}
	if len(rows) <= size {
		return rows, "", nil
	}
	rows = rows[:size]
	return rows, paging.Encode(list, pos(rows[len(rows)-1])), nil
}
