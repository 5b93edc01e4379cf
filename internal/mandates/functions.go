package mandates

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/archive"
	"github.com/puente-mre/puente/internal/audit"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/naturalkey"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/refs"
	"github.com/puente-mre/puente/internal/scope"
	"github.com/puente-mre/puente/internal/search"
)

// Categories and statuses a function may have, and the limits on its lists.
var (
	FunctionCategories = []string{"policy", "assistance", "protection", "engagement", "data_research",
		"coordination", "services", "communication_culture"}
	FunctionStatuses = []string{"current", "proposed", "retired"}
)

const (
	maxFunctionTags       = 20
	maxFunctionLegalBases = 20
	maxArticleLength      = 64
)

var functionTagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// LegalBasis is what grounds a function: an instrument and, optionally, its article.
type LegalBasis struct {
	InstrumentID uuid.UUID
	Article      *string
}

// FunctionFields are the parts of a function its users write. LegalBases keep their order. Demo
// marks demo data; only Create reads it (the HTTP layer never sets it, and updates keep what is
// stored).
type FunctionFields struct {
	Code               string
	TitleES            *string
	TitleEN            *string
	DescriptionES      *string
	DescriptionEN      *string
	Category           string
	Status             string // current when empty
	OwnerInstitutionID *uuid.UUID
	LegalBases         []LegalBasis
	Tags               []string
	Demo               bool
}

// Function is a stored function (a competence).
type Function struct {
	ID uuid.UUID
	FunctionFields
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Validate checks the rules every function obeys, whoever writes it.
//
// Errors: Unprocessable, with one field error per broken rule.
func (f *FunctionFields) Validate() error {
	if f.Status == "" {
		f.Status = "current"
	}
	e := apperr.New(apperr.Unprocessable, "the function is not valid")
	naturalkey.Check(e, "code", f.Code)
	if catalogEmpty(f.TitleES) && catalogEmpty(f.TitleEN) {
		e.WithField("title", "needs a Spanish or an English title")
	}
	if !slices.Contains(FunctionCategories, f.Category) {
		e.WithField("category", "unknown category")
	}
	if !slices.Contains(FunctionStatuses, f.Status) {
		e.WithField("status", "unknown status")
	}
	if len(f.Tags) > maxFunctionTags {
		e.WithField("tags", fmt.Sprintf("at most %d tags", maxFunctionTags))
	}
	for i, t := range f.Tags {
		field := "tags." + strconv.Itoa(i)
		switch {
		case !functionTagPattern.MatchString(t):
			e.WithField(field, "must be 1–32 lower-case letters, digits or hyphens, starting with a letter or digit")
		case slices.Index(f.Tags, t) < i:
			e.WithField(field, "repeats an earlier tag")
		}
	}
	if len(f.LegalBases) > maxFunctionLegalBases {
		e.WithField("legal_bases", fmt.Sprintf("at most %d legal bases", maxFunctionLegalBases))
	}
	for i, b := range f.LegalBases {
		field := "legal_bases." + strconv.Itoa(i)
		if b.Article != nil && (*b.Article == "" || len([]rune(*b.Article)) > maxArticleLength) {
			e.WithField(field+".article", fmt.Sprintf("must be 1–%d characters", maxArticleLength))
		}
		if slices.IndexFunc(f.LegalBases, func(o LegalBasis) bool { return sameFunctionBasis(o, b) }) < i {
			e.WithField(field, "repeats an earlier legal basis")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func sameFunctionBasis(a, b LegalBasis) bool {
	if a.InstrumentID != b.InstrumentID || (a.Article == nil) != (b.Article == nil) {
		return false
	}
	return a.Article == nil || *a.Article == *b.Article
}

// functionRow maps Function, without its legal bases, to its table.
type functionRow struct {
	ID                 uuid.UUID
	Code               string
	TitleES            *string `gorm:"column:title_es"`
	TitleEN            *string `gorm:"column:title_en"`
	DescriptionES      *string `gorm:"column:description_es"`
	DescriptionEN      *string `gorm:"column:description_en"`
	Category           string
	Status             string
	Tags               pq.StringArray `gorm:"type:text[]"`
	OwnerInstitutionID *uuid.UUID
	Demo               bool
	Version            int64
	CreatedAt          time.Time `gorm:"default:now()"`
	UpdatedAt          time.Time `gorm:"default:now()"`
	ArchivedAt         *time.Time
}

func (functionRow) TableName() string { return "functions" }

func (r functionRow) function(bases []LegalBasis) Function {
	tags := []string(r.Tags)
	if tags == nil {
		tags = []string{}
	}
	if bases == nil {
		bases = []LegalBasis{}
	}
	return Function{ID: r.ID, FunctionFields: FunctionFields{Code: r.Code, TitleES: r.TitleES, TitleEN: r.TitleEN,
		DescriptionES: r.DescriptionES, DescriptionEN: r.DescriptionEN, Category: r.Category, Status: r.Status,
		OwnerInstitutionID: r.OwnerInstitutionID, LegalBases: bases, Tags: tags, Demo: r.Demo},
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
}

func (r *functionRow) set(f FunctionFields) {
	r.Code, r.TitleES, r.TitleEN, r.DescriptionES, r.DescriptionEN = f.Code, f.TitleES, f.TitleEN, f.DescriptionES, f.DescriptionEN
	r.Category, r.Status, r.OwnerInstitutionID = f.Category, f.Status, f.OwnerInstitutionID
	r.Tags = pq.StringArray(append([]string{}, f.Tags...)) // never NULL: the column is NOT NULL
}

// legalBasisRow maps one LegalBasis of a function to function_legal_bases.
type legalBasisRow struct {
	FunctionID   uuid.UUID
	Position     int
	InstrumentID uuid.UUID
	Article      *string
}

func (legalBasisRow) TableName() string { return "function_legal_bases" }

// FunctionService keeps the functions. Scoped callers (editors) write only functions owned by
// a unit of their institution's subtree.
type FunctionService struct {
	db        *database.DB
	authorize func(ctx context.Context, unit *uuid.UUID) error
	snapshot  func(Function) any
}

// NewFunctionService returns a FunctionService over db; tree decides which units an editor may
// write for. The audit trail records functions in their API representation.
func NewFunctionService(db *database.DB, tree scope.Tree) *FunctionService {
	h := &Handlers{db: db, tree: tree}
	return &FunctionService{db: db, authorize: h.authorizeUnit, snapshot: functionSnapshot}
}

// Get returns one function, archived or not, with its legal bases.
//
// Errors: NotFound.
func (s *FunctionService) Get(ctx context.Context, id uuid.UUID) (Function, error) {
	return s.load(s.db.Conn(ctx), id)
}

func (s *FunctionService) find(tx *gorm.DB, id uuid.UUID, forUpdate bool) (functionRow, error) {
	return database.Take[functionRow](tx, database.LockIf(forUpdate), "function "+id.String(), "id = ?", id)
}

// load reads function id and its legal bases.
func (s *FunctionService) load(tx *gorm.DB, id uuid.UUID) (Function, error) {
	r, err := s.find(tx, id, false)
	if err != nil {
		return Function{}, err
	}
	bases, err := loadFunctionLegalBases(tx, []uuid.UUID{id})
	if err != nil {
		return Function{}, err
	}
	return r.function(bases[id]), nil
}

// loadFunctionLegalBases reads the legal bases of functions ids in one query, each function's in order.
func loadFunctionLegalBases(tx *gorm.DB, ids []uuid.UUID) (map[uuid.UUID][]LegalBasis, error) {
	out := make(map[uuid.UUID][]LegalBasis, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []legalBasisRow
	if err := tx.Where("function_id IN ?", ids).Order("function_id, position").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load legal bases: %w", err)
	}
	for _, r := range rows {
		out[r.FunctionID] = append(out[r.FunctionID], LegalBasis{InstrumentID: r.InstrumentID, Article: r.Article})
	}
	return out, nil
}

// Create stores a new function with its legal bases (marked as demo data when f.Demo).
//
// Errors: Unprocessable (invalid fields, unknown or archived owner or instrument), Forbidden
// (owner outside the caller's institution), Conflict (code taken).
func (s *FunctionService) Create(ctx context.Context, f FunctionFields) (Function, error) {
	if err := f.Validate(); err != nil {
		return Function{}, err
	}
	var out Function
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		if f.OwnerInstitutionID != nil {
			if err := catalogCheckInstitution(tx, *f.OwnerInstitutionID, "owner_institution_id"); err != nil {
				return err
			}
		}
		if err := s.authorize(ctx, f.OwnerInstitutionID); err != nil {
			return err
		}
		if err := checkFunctionInstruments(tx, f.LegalBases, nil); err != nil {
			return err
		}
		r := functionRow{ID: uuid.Must(uuid.NewV7()), Demo: f.Demo, Version: 1}
		r.set(f)
		if err := tx.Omit("CreatedAt", "UpdatedAt").Create(&r).Error; err != nil {
			return s.translate(err, f)
		}
		if err := writeFunctionLegalBases(tx, r.ID, f); err != nil {
			return s.translate(err, f)
		}
		stored, err := s.load(tx, r.ID)
		if err != nil {
			return err
		}
		out = stored
		return audit.Record(ctx, tx, audit.Change{Action: "function.create", ResourceType: "function",
			ResourceID: out.ID.String(), After: s.snapshot(out)})
	})
	return out, err
}

// Update applies change to the current fields of function id, if its version satisfies pre.
// change runs inside the transaction, on the row locked for update; the legal bases and tags it
// returns replace the stored ones, and the Demo mark it returns is ignored.
//
// Errors: NotFound, PreconditionFailed, Conflict (archived, code taken), Forbidden (current or
// new owner outside the caller's institution), Unprocessable (invalid result, unknown or
// archived owner or instrument), and whatever change returns.
func (s *FunctionService) Update(ctx context.Context, id uuid.UUID, pre etag.Precondition, change func(Function) (FunctionFields, error)) (Function, error) {
	var out Function
	err := s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return apperr.New(apperr.Conflict, "function %s is archived", id)
		}
		if err := s.authorize(ctx, r.OwnerInstitutionID); err != nil {
			return err
		}
		bases, err := loadFunctionLegalBases(tx, []uuid.UUID{id})
		if err != nil {
			return err
		}
		before := r.function(bases[id])
		f, err := change(before)
		if err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if !refs.Same(before.OwnerInstitutionID, f.OwnerInstitutionID) {
			if f.OwnerInstitutionID != nil {
				if err := catalogCheckInstitution(tx, *f.OwnerInstitutionID, "owner_institution_id"); err != nil {
					return err
				}
			}
			if err := s.authorize(ctx, f.OwnerInstitutionID); err != nil {
				return err
			}
		}
		if err := checkFunctionInstruments(tx, f.LegalBases, before.LegalBases); err != nil {
			return err
		}
		r.set(f)
		r.Version++
		res := tx.Model(&functionRow{}).Where("id = ?", id).Updates(map[string]any{
			"code": r.Code, "title_es": r.TitleES, "title_en": r.TitleEN, "description_es": r.DescriptionES,
			"description_en": r.DescriptionEN, "category": r.Category, "status": r.Status, "tags": r.Tags,
			"owner_institution_id": r.OwnerInstitutionID, "version": r.Version, "updated_at": gorm.Expr("now()"),
		})
		if res.Error != nil {
			return s.translate(res.Error, f)
		}
		if err := tx.Where("function_id = ?", id).Delete(&legalBasisRow{}).Error; err != nil {
			return fmt.Errorf("replace legal bases of %s: %w", id, err)
		}
		if err := writeFunctionLegalBases(tx, id, f); err != nil {
			return s.translate(err, f)
		}
		stored, err := s.load(tx, id)
		if err != nil {
			return err
		}
		out = stored
		return audit.Record(ctx, tx, audit.Change{Action: "function.update", ResourceType: "function",
			ResourceID: id.String(), Before: s.snapshot(before), After: s.snapshot(out)})
	})
	return out, err
}

// Archive soft-deletes function id. Archiving an archived function changes nothing.
//
// Errors: NotFound, PreconditionFailed, Forbidden (owner outside the caller's institution).
func (s *FunctionService) Archive(ctx context.Context, id uuid.UUID, pre etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx *gorm.DB) error {
		r, err := s.find(tx, id, true)
		if err != nil {
			return err
		}
		if err := pre.Check(r.Version); err != nil {
			return err
		}
		if err := s.authorize(ctx, r.OwnerInstitutionID); err != nil {
			return err
		}
		if r.ArchivedAt != nil {
			return nil
		}
		bases, err := loadFunctionLegalBases(tx, []uuid.UUID{id})
		if err != nil {
			return err
		}
		before := r.function(bases[id])
		return archive.Row[functionRow](ctx, tx, "function", id, r.Version, s.snapshot(before), func() (any, error) {
			after, err := s.find(tx, id, false)
			return s.snapshot(after.function(before.LegalBases)), err
		})
	})
}

// writeFunctionLegalBases inserts f's legal bases of function id, positions following their order.
func writeFunctionLegalBases(tx *gorm.DB, id uuid.UUID, f FunctionFields) error {
	if len(f.LegalBases) == 0 {
		return nil
	}
	rows := make([]legalBasisRow, len(f.LegalBases))
	for i, b := range f.LegalBases {
		rows[i] = legalBasisRow{FunctionID: id, Position: i, InstrumentID: b.InstrumentID, Article: b.Article}
	}
	return tx.Create(&rows).Error
}

// checkFunctionInstruments refuses legal bases citing instruments that do not exist, and archived
// instruments unless the function already cited them (kept, the bases being replaced whole).
func checkFunctionInstruments(tx *gorm.DB, bases, kept []LegalBasis) error {
	if len(bases) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, 0, len(bases))
	for _, b := range bases {
		if !slices.Contains(ids, b.InstrumentID) {
			ids = append(ids, b.InstrumentID)
		}
	}
	var found []struct {
		ID         uuid.UUID
		ArchivedAt *time.Time
	}
	if err := tx.Model(&instrumentRow{}).Select("id, archived_at").Where("id IN ?", ids).Scan(&found).Error; err != nil {
		return fmt.Errorf("load cited instruments: %w", err)
	}
	archived := make(map[uuid.UUID]bool, len(found))
	for _, f := range found {
		archived[f.ID] = f.ArchivedAt != nil
	}
	e := apperr.New(apperr.Unprocessable, "a legal basis cites an unknown or archived legal instrument")
	for i, b := range bases {
		field := "legal_bases." + strconv.Itoa(i) + ".instrument_id"
		isArchived, exists := archived[b.InstrumentID]
		switch {
		case !exists:
			e.WithField(field, "no such legal instrument")
		case isArchived && !slices.ContainsFunc(kept, func(o LegalBasis) bool { return o.InstrumentID == b.InstrumentID }):
			e.WithField(field, "is archived")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func (s *FunctionService) translate(err error, f FunctionFields) error {
	if c, ok := database.UniqueViolation(err); ok && c == "functions_code_key" {
		return apperr.New(apperr.Conflict, "a function with code %s already exists", f.Code).WithField("code", "already in use")
	}
	if c, ok := database.ForeignKeyViolation(err); ok {
		if c == "function_legal_bases_instrument_id_fkey" {
			return apperr.New(apperr.Unprocessable, "a legal basis cites an unknown legal instrument").WithField("legal_bases", "no such legal instrument")
		}
		return apperr.New(apperr.Unprocessable, "the owner does not exist").WithField("owner_institution_id", "no such institution")
	}
	if c, ok := database.CheckViolation(err); ok {
		return apperr.New(apperr.Unprocessable, "the function breaks rule %s", c)
	}
	return fmt.Errorf("write function %s: %w", f.Code, err)
}

// FunctionFilter narrows FunctionService.List. Empty values mean "any".
type FunctionFilter struct {
	Q                    string
	Categories, Statuses []string
	Tag                  string
	OwnerInstitutionID   *uuid.UUID
	InstrumentID         *uuid.UUID // functions whose legal bases cite it
	IncludeArchived      bool
	OrderBy              string // code, created_at or updated_at, "-" prefixed for descending
	PageSize             int
	PageToken            string
}

var functionOrders = paging.Orders{
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
	"updated_at": {Field: "updated_at", Column: "updated_at", Type: "timestamptz"},
}

// List returns a page of functions with their legal bases and the next page's token ("" on the
// last page), keyset-paged on (order column, id). The page's legal bases are read in one query,
// whatever the page size.
//
// Errors: Invalid (bad page token).
func (s *FunctionService) List(ctx context.Context, f FunctionFilter) ([]Function, string, error) {
	conn := s.db.Conn(ctx)
	q := conn.Model(&functionRow{})
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if len(f.Categories) > 0 {
		q = q.Where("category IN ?", f.Categories)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.Tag != "" {
		q = q.Where("tags @> ARRAY[?]::text[]", f.Tag)
	}
	if f.OwnerInstitutionID != nil {
		q = q.Where("owner_institution_id = ?", *f.OwnerInstitutionID)
	}
	if f.InstrumentID != nil {
		q = q.Where("EXISTS (SELECT 1 FROM function_legal_bases b WHERE b.function_id = functions.id AND b.instrument_id = ?)", *f.InstrumentID)
	}
	if cond, args, ok := search.Condition("search", f.Q); ok {
		q = q.Where(cond, args...)
	}
	o := functionOrders.Parse(f.OrderBy, "code")
	rows, next, err := paging.Page(q, o, "functions", f.PageToken, f.PageSize, func(r functionRow) any {
		switch o.Field {
		case "created_at":
			return r.CreatedAt
		case "updated_at":
			return r.UpdatedAt
		}
		return r.Code
	}, func(r functionRow) uuid.UUID { return r.ID })
	if err != nil {
		return nil, "", err
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	bases, err := loadFunctionLegalBases(conn, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]Function, len(rows))
	for i, r := range rows {
		out[i] = r.function(bases[r.ID])
	}
	return out, next, nil
}
