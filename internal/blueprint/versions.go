package blueprint

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/scope"
)

// Version is a frozen version of a blueprint: its text as it stood when frozen, numbered 1, 2, …
// per blueprint. Nothing changes it once stored; Text is filled only when it is read whole.
type Version struct {
	ID          uuid.UUID
	BlueprintID uuid.UUID
	Number      int
	Name        string
	Note        *string
	FrozenBy    string
	FrozenAt    time.Time
	Articles    int // how many articles Text holds
	Text        Text
}

// Text is a blueprint's text, the current one or a frozen one: its title and its chapters with
// their articles, in order.
type Text struct {
	TitleES, TitleEN *string
	Chapters         []Chapter
}

// articles counts the articles of t.
func (t Text) articles() int {
	n := 0
	for _, c := range t.Chapters {
		n += len(c.Articles)
	}
	return n
}

// textOf is the current text in an outline.
func textOf(o Outline) Text {
	return Text{TitleES: o.Blueprint.TitleES, TitleEN: o.Blueprint.TitleEN, Chapters: o.Chapters}
}

// versionRow maps blueprint_versions; lists leave out Content, the text.
type versionRow struct {
	ID          uuid.UUID
	BlueprintID uuid.UUID
	Number      int
	Name        string
	Note        *string
	FrozenBy    string
	FrozenAt    time.Time `gorm:"default:now()"`
	Articles    int
	Content     json.RawMessage `gorm:"type:jsonb"`
}

func (versionRow) TableName() string { return "blueprint_versions" }

// header is r without its text.
func (r versionRow) header() Version {
	return Version{ID: r.ID, BlueprintID: r.BlueprintID, Number: r.Number, Name: r.Name, Note: r.Note,
		FrozenBy: r.FrozenBy, FrozenAt: r.FrozenAt, Articles: r.Articles}
}

// version decodes the stored text of r.
func (r versionRow) version() (Version, error) {
	v := r.header()
	var f frozenText
	if err := json.Unmarshal(r.Content, &f); err != nil {
		return Version{}, fmt.Errorf("decode blueprint version %s: %w", r.ID, err)
	}
	v.Text = f.text(r.BlueprintID)
	return v, nil
}

// frozenText is the JSON document blueprint_versions.content holds. Its member names are a
// storage format, independent of the Go types and of the API: renaming one would make the
// versions already frozen unreadable.
type frozenText struct {
	TitleES  *string         `json:"title_es,omitempty"`
	TitleEN  *string         `json:"title_en,omitempty"`
	Chapters []frozenChapter `json:"chapters"`
}

type frozenChapter struct {
	ID        uuid.UUID       `json:"id"`
	Number    string          `json:"number"`
	HeadingES *string         `json:"heading_es,omitempty"`
	HeadingEN *string         `json:"heading_en,omitempty"`
	Position  int             `json:"position"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Articles  []frozenArticle `json:"articles"`
}

type frozenArticle struct {
	ID          uuid.UUID   `json:"id"`
	Number      string      `json:"number"`
	HeadingES   *string     `json:"heading_es,omitempty"`
	HeadingEN   *string     `json:"heading_en,omitempty"`
	TextES      *string     `json:"text_es,omitempty"`
	TextEN      *string     `json:"text_en,omitempty"`
	Position    int         `json:"position"`
	FunctionIDs []uuid.UUID `json:"function_ids"`
	UnitIDs     []uuid.UUID `json:"unit_ids"`
	Version     int64       `json:"version"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

func frozenOf(t Text) frozenText {
	out := frozenText{TitleES: t.TitleES, TitleEN: t.TitleEN, Chapters: make([]frozenChapter, len(t.Chapters))}
	for i, c := range t.Chapters {
		fc := frozenChapter{ID: c.ID, Number: c.Number, HeadingES: c.HeadingES, HeadingEN: c.HeadingEN,
			Position: c.Position, Version: c.Version, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
			Articles: make([]frozenArticle, len(c.Articles))}
		for j, a := range c.Articles {
			fc.Articles[j] = frozenArticle{ID: a.ID, Number: a.Number, HeadingES: a.HeadingES, HeadingEN: a.HeadingEN,
				TextES: a.TextES, TextEN: a.TextEN, Position: a.Position, FunctionIDs: nonNilIDs(a.FunctionIDs),
				UnitIDs: nonNilIDs(a.UnitIDs), Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
		}
		out.Chapters[i] = fc
	}
	return out
}

// text is f as the chapters and articles of blueprint id.
func (f frozenText) text(blueprint uuid.UUID) Text {
	out := Text{TitleES: f.TitleES, TitleEN: f.TitleEN, Chapters: make([]Chapter, len(f.Chapters))}
	for i, fc := range f.Chapters {
		c := Chapter{ID: fc.ID, BlueprintID: blueprint, Number: fc.Number, HeadingES: fc.HeadingES, HeadingEN: fc.HeadingEN,
			Position: fc.Position, Version: fc.Version, CreatedAt: fc.CreatedAt, UpdatedAt: fc.UpdatedAt,
			Articles: make([]Article, len(fc.Articles))}
		for j, a := range fc.Articles {
			c.Articles[j] = Article{ID: a.ID, BlueprintID: blueprint, ChapterID: fc.ID, Number: a.Number,
				HeadingES: a.HeadingES, HeadingEN: a.HeadingEN, TextES: a.TextES, TextEN: a.TextEN, Position: a.Position,
				FunctionIDs: nonNilIDs(a.FunctionIDs), UnitIDs: nonNilIDs(a.UnitIDs), Version: a.Version,
				CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
		}
		out.Chapters[i] = c
	}
	return out
}

func nonNilIDs(ids []uuid.UUID) []uuid.UUID { return append([]uuid.UUID{}, ids...) }

// VersionService freezes the text of blueprints as versions and reads it back: the versions
// themselves, the comparison of two texts, the export of one, and what informed each article.
//
// Who freezes: whoever may write the blueprint's text (see TextService); everyone who reads
// deliverables reads versions.
type VersionService struct {
	db   *database.DB
	text *TextService
}

// NewVersionService returns a VersionService over db; tree decides editors' subtrees.
func NewVersionService(db *database.DB, tree scope.Tree) *VersionService {
	return &VersionService{db: db, text: NewTextService(db, tree)}
}

// VersionFields are what the caller says of a version it freezes.
type VersionFields struct {
	Name string
	Note *string
}

// Validate checks what the contract's schema cannot: a name of more than spaces.
//
// Errors: Unprocessable.
func (f VersionFields) Validate() error {
	e := apperr.New(apperr.Unprocessable, "the version is not valid")
	if strings.TrimSpace(f.Name) == "" {
		e.WithField("name", "must not be only spaces")
	}
	return fieldErrors(e)
}

// Freeze stores the current text of blueprint id as its next version, attributed to the caller.
// The blueprint row stays locked until the version commits, so that concurrent freezes (and
// changes of structure) wait for each other and numbers never clash.
//
// Errors: Unprocessable (blank name), NotFound, Conflict (archived blueprint), Forbidden (an
// editor outside the owner unit of the blueprint's deliverable).
func (s *VersionService) Freeze(ctx context.Context, id uuid.UUID, f VersionFields) (Version, error) {
	if err := f.Validate(); err != nil {
		return Version{}, err
	}
	var out Version
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if _, err := s.text.lockStructure(ctx, tx, id); err != nil {
			return err
		}
		outline, err := LoadOutline(ctx, tx, id)
		if err != nil {
			return err
		}
		text := textOf(outline)
		content, err := json.Marshal(frozenOf(text))
		if err != nil {
			return fmt.Errorf("encode blueprint %s: %w", id, err)
		}
		var last int
		if err := tx.Raw(`SELECT coalesce(max(number), 0) FROM blueprint_versions WHERE blueprint_id = ?`, id).
			Scan(&last).Error; err != nil {
			return fmt.Errorf("number version of blueprint %s: %w", id, err)
		}
		r := versionRow{ID: uuid.Must(uuid.NewV7()), BlueprintID: id, Number: last + 1, Name: f.Name, Note: f.Note,
			FrozenBy: actorLabel(actor.From(ctx)), Articles: text.articles(), Content: content}
		if err := tx.Omit("FrozenAt").Create(&r).Error; err != nil {
			return fmt.Errorf("write version of blueprint %s: %w", id, err)
		}
		stored, err := database.Take[versionRow](tx.Omit("Content"), database.NoLock, "blueprint version", "id = ?", r.ID)
		if err != nil {
			return err
		}
		out = stored.header()
		out.Text = text
		return audit.Record(ctx, tx, audit.Change{Action: "blueprint_version.freeze", ResourceType: "blueprint_version",
			ResourceID: out.ID.String(), After: versionSnapshot(out)})
	})
	return out, err
}

// actorLabel is how a version names who froze it: what a person reading it recognises.
func actorLabel(a actor.Actor) string {
	switch {
	case a.Label != "":
		return a.Label
	case a.ID != "":
		return a.ID
	}
	return string(a.Kind)
}

// Versions lists the versions of blueprint id, newest first, without their texts.
//
// Errors: NotFound.
func (s *VersionService) Versions(ctx context.Context, id uuid.UUID) ([]Version, error) {
	db := s.db.Conn(ctx)
	if _, err := findBlueprint(db, id, database.NoLock); err != nil {
		return nil, err
	}
	var rows []versionRow
	if err := db.Omit("Content").Where("blueprint_id = ?", id).Order("number DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list versions of blueprint %s: %w", id, err)
	}
	out := make([]Version, len(rows))
	for i, r := range rows {
		out[i] = r.header()
	}
	return out, nil
}

// Version returns version id with its text.
//
// Errors: NotFound.
func (s *VersionService) Version(ctx context.Context, id uuid.UUID) (Version, error) {
	r, err := database.Take[versionRow](s.db.Conn(ctx), database.NoLock, "blueprint version "+id.String(), "id = ?", id)
	if err != nil {
		return Version{}, err
	}
	return r.version()
}
