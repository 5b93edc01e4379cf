package blueprint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/imports"
	"github.com/puente-mre/puente/internal/refs"
)

// ImportResources describes this area's records to the importer: blueprints, their chapters and
// their articles. Import chapters before the articles that go into them.
func ImportResources() []*imports.Resource {
	return []*imports.Resource{BlueprintImport(), ChapterImport(), ArticleImport()}
}

// BlueprintImport describes blueprints: matched on their code (the default) or id, checked with
// BlueprintFields.Validate, their deliverable checked set-based as blueprintCheckDeliverable
// does, owned by their deliverable's owner unit (editors import only blueprints of deliverables
// their institution's units own, before and after; one without a deliverable is nobody's).
func BlueprintImport() *imports.Resource {
	return &imports.Resource{
		Name: "blueprints", Create: "BlueprintCreate", Represent: "Blueprint",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "blueprints",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns: []imports.Column{
			{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "title_es", Type: "text"},
			{Name: "title_en", Type: "text"}, {Name: "deliverable_id", Type: "uuid"}, {Name: "demo", Type: "boolean", Keep: true},
		},
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.BlueprintCreate
			if err := decodeRow(doc, &in); err != nil {
				return nil, err
			}
			f := blueprintFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			r := blueprintRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo}
			r.set(f)
			return []any{r.ID, r.Code, r.TitleES, r.TitleEN, r.DeliverableID, r.Demo}, nil
		},
		Checks: []imports.Check{{Field: "deliverable_id", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such deliverable' WHEN r.archived_at IS NOT NULL THEN 'is archived'
    ELSE 'is not a blueprint deliverable' END
FROM %[1]s s LEFT JOIN deliverables r ON r.id = s.deliverable_id
WHERE s.deliverable_id IS NOT NULL AND (r.id IS NULL OR r.archived_at IS NOT NULL OR r.type <> 'blueprint')
  AND NOT EXISTS (SELECT 1 FROM blueprints t WHERE (t.id = s.id OR t.code = s.code) AND t.deliverable_id = s.deliverable_id)`}},
		Owner: `(SELECT owner_unit_id FROM deliverables WHERE id = %[1]s.deliverable_id)`,
		Translate: func(err error) (string, string, bool) {
			var e *apperr.Error
			if errors.As(blueprintTranslate(err, BlueprintFields{}), &e) && len(e.Fields) > 0 {
				return e.Fields[0].Field, e.Fields[0].Message, true
			}
			return "", "", false
		},
	}
}

// Chapters and articles are matched on their id only: they have no natural key (their printed
// numbers may repeat and change). Their blueprint, chapter and position are what the service
// reads on creation only, so here too they are Keep columns, never changed by an update:
// chapters and articles move only through the blueprint's order (PUT /v1/blueprints/{id}/order).
// With key id every row carries its id, a new row too: the record created keeps it.
//
// Positions: the service inserts a new chapter or article at the position asked for, shifting
// the ones after it. An import instead appends the new rows of each blueprint (chapter) after its
// active chapters (articles), in the order of the file's lines, and ignores the position the row
// gives: a file of rows each shifting the others would depend on the order rows are written in,
// and an export imported back must leave every position as it is. An existing record keeps its
// position; an archived one the import revives goes to the end too (its old place was closed
// when it was archived). Positions thus stay dense, 1…n, among active rows; to place new rows
// elsewhere, reorder the blueprint after the import.

// ChapterImport describes blueprint chapters: matched on their id, checked with
// ChapterFields.Validate, refused in a blueprint that does not exist or (for rows that would
// change something) is archived, owned as their blueprint is.
func ChapterImport() *imports.Resource {
	cols := []imports.Column{
		{Name: "id", Type: "uuid", Keep: true}, {Name: "blueprint_id", Type: "uuid", Keep: true},
		{Name: "number", Type: "text"}, {Name: "heading_es", Type: "text"}, {Name: "heading_en", Type: "text"},
		{Name: "position", Type: "integer", Keep: true},
	}
	// A row with no live record, or whose record it would change: what an archived blueprint refuses.
	changes := writes("blueprint_chapters", cols)
	return &imports.Resource{
		Name: "blueprint-chapters", Create: "BlueprintChapterCreate", Represent: "BlueprintChapter",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "blueprint_chapters",
		Keys:       map[string][]string{"id": {"id"}},
		DefaultKey: "id",
		Columns:    cols,
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.BlueprintChapterCreate
			if err := decodeRow(doc, &in); err != nil {
				return nil, err
			}
			f := chapterFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			// The position is placed by the write (see above).
			return []any{uuid.Must(uuid.NewV7()), f.BlueprintID, strings.TrimSpace(f.Number), f.HeadingES, f.HeadingEN, nil}, nil
		},
		Checks: []imports.Check{
			{Field: "blueprint_id", SQL: `
SELECT s.line, 'no such blueprint' FROM %[1]s s
WHERE NOT EXISTS (SELECT 1 FROM blueprints b WHERE b.id = s.blueprint_id)
  AND NOT EXISTS (SELECT 1 FROM blueprint_chapters t WHERE t.id = s.id)`},
			{Field: "blueprint_id", SQL: `
SELECT s.line, 'the blueprint is archived: its text no longer changes'
FROM %[1]s s LEFT JOIN blueprint_chapters k ON k.id = s.id
JOIN blueprints b ON b.id = coalesce(k.blueprint_id, s.blueprint_id)
WHERE b.archived_at IS NOT NULL AND ` + changes},
		},
		Owner: `(SELECT d.owner_unit_id FROM blueprints b JOIN deliverables d ON d.id = b.deliverable_id
WHERE b.id = %[1]s.blueprint_id)`,
		Write: placedWrite("blueprint_chapters", "blueprint_id", []string{"blueprint_id", "position"}, ""),
	}
}

// ArticleImport describes blueprint articles: matched on their id, checked with
// ArticleFields.Validate, refused in a chapter that does not exist or (for rows that would change
// something) is archived or whose blueprint is, their functions and units checked set-based as
// articleCheckReferences does, owned as their blueprint is.
func ArticleImport() *imports.Resource {
	cols := []imports.Column{
		{Name: "id", Type: "uuid", Keep: true}, {Name: "blueprint_id", Type: "uuid", Keep: true},
		{Name: "chapter_id", Type: "uuid", Keep: true}, {Name: "number", Type: "text"},
		{Name: "heading_es", Type: "text"}, {Name: "heading_en", Type: "text"},
		{Name: "text_es", Type: "text"}, {Name: "text_en", Type: "text"},
		{Name: "position", Type: "integer", Keep: true},
		{Name: "function_ids", Type: "uuid[]"}, {Name: "unit_ids", Type: "uuid[]"},
	}
	changes := writes("blueprint_articles", cols)
	return &imports.Resource{
		Name: "blueprint-articles", Create: "BlueprintArticleCreate", Represent: "BlueprintArticle",
		WriteScope: auth.ScopeDeliverablesWrite, Table: "blueprint_articles",
		Keys:       map[string][]string{"id": {"id"}},
		DefaultKey: "id",
		Columns:    cols,
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.BlueprintArticleCreate
			if err := decodeRow(doc, &in); err != nil {
				return nil, err
			}
			f := articleFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			var r articleRow
			r.set(f)
			// The blueprint is the chapter's and the position is placed, both by the write.
			return []any{uuid.Must(uuid.NewV7()), nil, f.ChapterID, r.Number, r.HeadingES, r.HeadingEN, r.TextES,
				r.TextEN, nil, refs.Parse(r.FunctionIDs), refs.Parse(r.UnitIDs)}, nil
		},
		Checks: []imports.Check{
			{Field: "chapter_id", SQL: `
SELECT s.line, 'no such chapter' FROM %[1]s s
WHERE NOT EXISTS (SELECT 1 FROM blueprint_chapters c WHERE c.id = s.chapter_id)
  AND NOT EXISTS (SELECT 1 FROM blueprint_articles t WHERE t.id = s.id)`},
			{Field: "chapter_id", SQL: `
SELECT s.line, CASE WHEN b.archived_at IS NOT NULL THEN 'the blueprint is archived: its text no longer changes'
    ELSE 'is archived' END
FROM %[1]s s LEFT JOIN blueprint_articles k ON k.id = s.id
JOIN blueprint_chapters c ON c.id = coalesce(k.chapter_id, s.chapter_id) JOIN blueprints b ON b.id = c.blueprint_id
WHERE (b.archived_at IS NOT NULL OR c.archived_at IS NOT NULL) AND ` + changes},
			keptRefsCheck("function_ids", "functions", "no such function"),
			keptRefsCheck("unit_ids", "institutions", "no such unit"),
		},
		Owner: `(SELECT d.owner_unit_id FROM blueprint_chapters c JOIN blueprints b ON b.id = c.blueprint_id
JOIN deliverables d ON d.id = b.deliverable_id WHERE c.id = %[1]s.chapter_id)`,
		Write: placedWrite("blueprint_articles", "chapter_id", []string{"blueprint_id", "chapter_id", "position"},
			`UPDATE %[1]s s SET blueprint_id = c.blueprint_id FROM blueprint_chapters c
WHERE c.id = s.chapter_id AND s.blueprint_id IS NULL AND s.line BETWEEN $1 AND $2`),
	}
}

// decodeRow decodes a row, which already satisfies the create schema, into its create body.
func decodeRow(doc []byte, in any) error {
	if err := json.Unmarshal(doc, in); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the row does not decode")
	}
	return nil
}

// writes is the SQL condition that staged row s creates, revives or changes a record of table
// (matched on its id): no live record of that id has the same values in the columns an update
// writes (those of cols that are not Keep).
func writes(table string, cols []imports.Column) string {
	var t, s []string
	for _, c := range cols {
		if !c.Keep {
			t, s = append(t, "t."+c.Name), append(s, "s."+c.Name)
		}
	}
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = s.id AND t.archived_at IS NULL
  AND ROW(%s) IS NOT DISTINCT FROM ROW(%s))`, table, strings.Join(t, ", "), strings.Join(s, ", "))
}

// keptRefsCheck refuses rows whose uuid[] column lists an id with no row of table (archived
// rows qualify, as articleCheckReferences lets them), each named in the message; ids the article
// lists already are not checked again (refs.List.Kept).
func keptRefsCheck(column, table, missing string) imports.Check {
	return imports.Check{Field: column, SQL: fmt.Sprintf(`
SELECT s.line, '%[3]s: ' || u.ref
FROM %%[1]s s CROSS JOIN LATERAL unnest(s.%[1]s) AS u(ref) LEFT JOIN %[2]s r ON r.id = u.ref
WHERE r.id IS NULL AND NOT EXISTS (SELECT 1 FROM blueprint_articles t WHERE t.id = s.id AND u.ref = ANY(t.%[1]s))`,
		column, table, missing)}
}

// placedWrite is the write of chapters (articles) of table, whose parent column is their blueprint
// (chapter). Before the generic write stores the staged rows Lo..Hi:
//   - a row of a record that exists takes the record's Keep columns (position, parent…), which an
//     update never writes but the insert the upsert proposes must have (NOT NULL is checked before
//     the conflict is);
//   - fill, when given, completes the other rows (%[1]s is the staging table, $1 and $2 the
//     bounds);
//   - the blueprints of the rows are locked, as every change of structure locks its blueprint;
//   - each row with no live record — a new one, or an archived one it revives — is placed after
//     the live rows of its parent, in line order.
func placedWrite(table, parent string, keep []string, fill string) func(context.Context, pgx.Tx, *imports.Batch) (imports.Counts, error) {
	return func(ctx context.Context, tx pgx.Tx, b *imports.Batch) (imports.Counts, error) {
		on := make([]string, len(b.Key))
		for i, k := range b.Key {
			on[i] = fmt.Sprintf("t.%[1]s = s.%[1]s", k)
		}
		set := make([]string, len(keep))
		for i, c := range keep {
			set[i] = fmt.Sprintf("%[1]s = t.%[1]s", c)
		}
		match := strings.Join(on, " AND ")
		steps := []string{fmt.Sprintf(`UPDATE %[1]s s SET %[3]s FROM %[2]s t WHERE %[4]s AND s.line BETWEEN $1 AND $2`,
			b.Stage, table, strings.Join(set, ", "), match)}
		if fill != "" {
			steps = append(steps, fmt.Sprintf(fill, b.Stage))
		}
		// As the service does for a change of structure, lock the blueprints first, so that
		// concurrent writes keep positions dense.
		steps = append(steps, fmt.Sprintf(`SELECT 1 FROM blueprints WHERE id IN (
    SELECT s.blueprint_id FROM %[1]s s WHERE s.line BETWEEN $1 AND $2) ORDER BY id FOR UPDATE`, b.Stage))
		// The archived records revived get their new place here; the generic write then revives
		// them (Keep columns are not written on update).
		steps = append(steps, fmt.Sprintf(`WITH moving AS (
    SELECT s.line, t.id AS stored, s.%[3]s AS parent
    FROM %[1]s s LEFT JOIN %[2]s t ON %[4]s
    WHERE s.line BETWEEN $1 AND $2 AND (t.id IS NULL OR t.archived_at IS NOT NULL)
), numbered AS (
    SELECT p.line, p.stored,
        coalesce((SELECT max(x.position) FROM %[2]s x WHERE x.%[3]s = p.parent AND x.archived_at IS NULL), 0)
        + row_number() OVER (PARTITION BY p.parent ORDER BY p.line) AS position
    FROM moving p
), revived AS (
    UPDATE %[2]s t SET position = n.position FROM numbered n WHERE t.id = n.stored
)
UPDATE %[1]s s SET position = n.position FROM numbered n WHERE s.line = n.line`, b.Stage, table, parent, match))
		for _, sql := range steps {
			if _, err := tx.Exec(ctx, sql, b.Lo, b.Hi); err != nil {
				return imports.Counts{}, fmt.Errorf("place staged %s: %w", table, err)
			}
		}
		return imports.Write(ctx, tx, b)
	}
}
