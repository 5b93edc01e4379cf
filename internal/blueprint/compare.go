package blueprint

import (
	"context"

	"github.com/google/uuid"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// CurrentText names the current text where a version id could stand.
const CurrentText = "current"

// Kinds of article change, in a Comparison.
const (
	ChangeAdded     = "added"
	ChangeRemoved   = "removed"
	ChangeMoved     = "moved"
	ChangeChanged   = "changed"
	ChangeUnchanged = "unchanged"
)

// ArticleChange is what happened to one article, known by its stable id, between two texts.
// From* are absent for an added article, To* for a removed one. Moved is true for a moved
// article and for a changed one that also moved. The diffs hold the languages whose heading or
// text differ (an added or removed language diffs against the empty text).
type ArticleChange struct {
	ArticleID                  uuid.UUID
	Change                     string
	Number                     string // in the newer text; in the older one for a removed article
	FromChapterID, ToChapterID *uuid.UUID
	FromPosition, ToPosition   *int
	Moved                      bool
	HeadingDiff, TextDiff      map[string][]WordOp // by language: es, en
}

// ComparisonSummary counts the articles by change; each article counts once.
type ComparisonSummary struct {
	Added, Removed, Moved, Changed, Unchanged int
}

// Comparison is two texts of a blueprint compared article by article.
type Comparison struct {
	From, To string // as asked: a version id or "current"
	Summary  ComparisonSummary
	Articles []ArticleChange
}

// Compare compares two texts of blueprint id, each named by a version id or CurrentText. The
// articles come in the order of the newer text, each removed one right after the article it
// followed in the older text. Unchanged articles are counted, and listed only when
// includeUnchanged.
//
// A text reads in at most two statements whatever its size (a version: one; the current text:
// two), after one for the blueprint.
//
// Errors: Invalid (from or to neither a version id nor "current"), NotFound (blueprint or
// version), Unprocessable (a version of another blueprint).
func (s *VersionService) Compare(ctx context.Context, id uuid.UUID, from, to string, includeUnchanged bool) (Comparison, error) {
	fromID, err := parseTextRef("from", from)
	if err != nil {
		return Comparison{}, err
	}
	toID, err := parseTextRef("to", to)
	if err != nil {
		return Comparison{}, err
	}
	db := s.db.Conn(ctx)
	if _, err := findBlueprint(db, id, database.NoLock); err != nil {
		return Comparison{}, err
	}
	older, err := s.readText(ctx, id, fromID, "from")
	if err != nil {
		return Comparison{}, err
	}
	newer := older
	if !sameRef(fromID, toID) {
		if newer, err = s.readText(ctx, id, toID, "to"); err != nil {
			return Comparison{}, err
		}
	}
	out := compareTexts(older.Text, newer.Text, includeUnchanged)
	out.From, out.To = from, to
	return out, nil
}

// parseTextRef reads a version id or CurrentText (nil) given as field.
//
// Errors: Invalid.
func parseTextRef(field, ref string) (*uuid.UUID, error) {
	if ref == CurrentText {
		return nil, nil
	}
	id, err := uuid.Parse(ref)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "%s must be a version id or %q", field, CurrentText).
			WithField(field, "not a version id nor "+CurrentText)
	}
	return &id, nil
}

func sameRef(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// readText reads a text of blueprint id: version (asked for as field), or the current text when
// version is nil. The Version it returns has no id then.
//
// Errors: NotFound (version, or the blueprint of the current text), Unprocessable (a version of
// another blueprint).
func (s *VersionService) readText(ctx context.Context, id uuid.UUID, version *uuid.UUID, field string) (Version, error) {
	if version == nil {
		outline, err := LoadOutline(ctx, s.db.Conn(ctx), id)
		if err != nil {
			return Version{}, err
		}
		t := textOf(outline)
		return Version{BlueprintID: id, Articles: t.articles(), Text: t}, nil
	}
	v, err := s.Version(ctx, *version)
	if err != nil {
		return Version{}, err
	}
	if v.BlueprintID != id {
		return Version{}, apperr.New(apperr.Unprocessable, "version %s is a version of another blueprint", *version).
			WithField(field, "a version of another blueprint")
	}
	return v, nil
}

// placed is an article where a text has it.
type placed struct {
	article  Article
	chapter  uuid.UUID
	position int // 1-based within its chapter, as the text orders it
}

// places indexes the articles of t by id, and lists their ids in reading order.
func places(t Text) (map[uuid.UUID]placed, []uuid.UUID) {
	at := map[uuid.UUID]placed{}
	var order []uuid.UUID
	for _, c := range t.Chapters {
		for i, a := range c.Articles {
			at[a.ID] = placed{article: a, chapter: c.ID, position: i + 1}
			order = append(order, a.ID)
		}
	}
	return at, order
}

// compareTexts compares older with newer (see Compare).
func compareTexts(older, newer Text, includeUnchanged bool) Comparison {
	before, beforeOrder := places(older)
	after, afterOrder := places(newer)
	moved := movedArticles(older, newer, before, after)

	var out Comparison
	// Each removed article goes right after the nearest article before it (in the older text)
	// that the newer text still has; uuid.Nil anchors those before any.
	removedAfter := map[uuid.UUID][]uuid.UUID{}
	anchor := uuid.Nil
	for _, id := range beforeOrder {
		if _, kept := after[id]; kept {
			anchor = id
			continue
		}
		removedAfter[anchor] = append(removedAfter[anchor], id)
	}
	emitRemoved := func(anchor uuid.UUID) {
		for _, id := range removedAfter[anchor] {
			p := before[id]
			out.Summary.Removed++
			out.Articles = append(out.Articles, ArticleChange{ArticleID: id, Change: ChangeRemoved, Number: p.article.Number,
				FromChapterID: &p.chapter, FromPosition: &p.position})
		}
	}
	emitRemoved(uuid.Nil)
	for _, id := range afterOrder {
		to := after[id]
		from, existed := before[id]
		if !existed {
			out.Summary.Added++
			out.Articles = append(out.Articles, ArticleChange{ArticleID: id, Change: ChangeAdded, Number: to.article.Number,
				ToChapterID: &to.chapter, ToPosition: &to.position})
			continue
		}
		c := ArticleChange{ArticleID: id, Number: to.article.Number, FromChapterID: &from.chapter, ToChapterID: &to.chapter,
			FromPosition: &from.position, ToPosition: &to.position, Moved: moved[id]}
		c.HeadingDiff = languageDiffs(from.article.HeadingES, to.article.HeadingES, from.article.HeadingEN, to.article.HeadingEN)
		c.TextDiff = languageDiffs(from.article.TextES, to.article.TextES, from.article.TextEN, to.article.TextEN)
		switch {
		case c.HeadingDiff != nil || c.TextDiff != nil:
			c.Change = ChangeChanged
			out.Summary.Changed++
		case c.Moved:
			c.Change = ChangeMoved
			out.Summary.Moved++
		default:
			c.Change = ChangeUnchanged
			out.Summary.Unchanged++
		}
		if c.Change != ChangeUnchanged || includeUnchanged {
			out.Articles = append(out.Articles, c)
		}
		emitRemoved(id)
	}
	if out.Articles == nil {
		out.Articles = []ArticleChange{}
	}
	return out
}

// languageDiffs diffs the Spanish and the English of a heading or text, keeping the languages
// that differ; nil when neither does.
func languageDiffs(oldES, newES, oldEN, newEN *string) map[string][]WordOp {
	var out map[string][]WordOp
	for _, l := range []struct {
		lang     string
		old, new string
	}{{"es", deref(oldES), deref(newES)}, {"en", deref(oldEN), deref(newEN)}} {
		if l.old == l.new {
			continue
		}
		if out == nil {
			out = map[string][]WordOp{}
		}
		out[l.lang] = WordDiff(l.old, l.new)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// movedArticles finds the articles both texts have that moved: to another chapter, or to
// another place among the articles that stayed in their chapter. Within a chapter the fewest
// articles that explain the new order count as moved (those outside a longest common
// subsequence of the two orders), so that an article added, removed or moved before others does
// not make them all "moved" merely because their positions shift.
func movedArticles(older, newer Text, before, after map[uuid.UUID]placed) map[uuid.UUID]bool {
	moved := map[uuid.UUID]bool{}
	// Each chapter's articles that stayed in it, in the older and in the newer order.
	stayed := func(t Text, other map[uuid.UUID]placed) map[uuid.UUID][]uuid.UUID {
		out := map[uuid.UUID][]uuid.UUID{}
		for _, c := range t.Chapters {
			for _, a := range c.Articles {
				if p, ok := other[a.ID]; ok && p.chapter == c.ID {
					out[c.ID] = append(out[c.ID], a.ID)
				}
			}
		}
		return out
	}
	for id, p := range after {
		if q, ok := before[id]; ok && q.chapter != p.chapter {
			moved[id] = true
		}
	}
	olderStayed, newerStayed := stayed(older, after), stayed(newer, before)
	for chapter, was := range olderStayed {
		for _, id := range reordered(was, newerStayed[chapter]) {
			moved[id] = true
		}
	}
	return moved
}

// reordered returns the ids that must move to turn order a into order b (the same ids): those
// outside a longest common subsequence, found by go-diff over the ids mapped to runes.
func reordered(a, b []uuid.UUID) []uuid.UUID {
	index := map[uuid.UUID]rune{}
	ids := make([]uuid.UUID, 0, len(a))
	enc := func(list []uuid.UUID) []rune {
		out := make([]rune, len(list))
		for i, id := range list {
			r, ok := index[id]
			if !ok {
				r = idRune(len(ids))
				index[id] = r
				ids = append(ids, id)
			}
			out[i] = r
		}
		return out
	}
	ra, rb := enc(a), enc(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact: a chapter holds at most a few hundred articles
	var out []uuid.UUID
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		if d.Type != diffmatchpatch.DiffInsert {
			continue
		}
		for _, r := range d.Text {
			out = append(out, ids[runeIndex(r)])
		}
	}
	return out
}
