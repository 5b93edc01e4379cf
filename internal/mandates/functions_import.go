package mandates

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/auth"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/imports"
)

// functionColumns are a function's staged columns. legal_bases is staged only: the bases live
// in function_legal_bases, which writeFunctions replaces when they change. It is marked Keep so
// that the importer's own statements (the dry run's classification, the strategy checks) leave
// it out of what they compare; writeFunctions compares it itself.
var functionColumns = []imports.Column{
	{Name: "id", Type: "uuid", Keep: true}, {Name: "code", Type: "text"}, {Name: "title_es", Type: "text"},
	{Name: "title_en", Type: "text"}, {Name: "description_es", Type: "text"}, {Name: "description_en", Type: "text"},
	{Name: "category", Type: "text"}, {Name: "status", Type: "text"}, {Name: "tags", Type: "text[]"},
	{Name: "owner_institution_id", Type: "uuid"}, {Name: "demo", Type: "boolean", Keep: true},
	{Name: "legal_bases", Type: "jsonb", Keep: true},
}

var functionTable = tableWrite{table: "functions", skip: []string{"legal_bases"}}

// FunctionImport describes functions to the importer: matched on their code (or id), checked
// with FunctionFields.Validate, their owner and cited instruments checked set-based as
// FunctionService does (archived ones only when newly cited), written with their legal bases,
// and owned by their owner institution.
func FunctionImport() *imports.Resource {
	return &imports.Resource{
		Name: "functions", Create: "FunctionCreate", Represent: "Function",
		WriteScope: auth.ScopeMandatesWrite, Table: "functions",
		Keys:       map[string][]string{"code": {"code"}, "id": {"id"}},
		DefaultKey: "code",
		Columns:    functionColumns,
		Prepare: func(_ context.Context, doc []byte) ([]any, error) {
			var in api.FunctionCreate
			if err := json.Unmarshal(doc, &in); err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
			}
			f := functionFromAPI(in)
			if err := f.Validate(); err != nil {
				return nil, err
			}
			staged := make([]stagedLegalBasis, len(f.LegalBases))
			for i, b := range f.LegalBases {
				staged[i] = stagedLegalBasis(b)
			}
			bases, err := json.Marshal(staged)
			if err != nil {
				return nil, fmt.Errorf("encode legal bases: %w", err)
			}
			tags := append([]string{}, f.Tags...) // never NULL: the column is NOT NULL
			return []any{uuid.Must(uuid.NewV7()), f.Code, f.TitleES, f.TitleEN, f.DescriptionES, f.DescriptionEN, f.Category,
				f.Status, tags, f.OwnerInstitutionID, false, string(bases)}, nil
		},
		Checks: []imports.Check{
			refCheck("owner_institution_id", "owner_institution_id", "institutions", "institution", storedByCode("functions")),
			{Field: "legal_bases", SQL: `
SELECT s.line, CASE WHEN r.id IS NULL THEN 'no such legal instrument: ' ELSE 'the legal instrument is archived: ' END
    || (e.v->>'instrument_id') || ' (legal basis ' || (e.n - 1) || ')'
FROM %[1]s s CROSS JOIN LATERAL jsonb_array_elements(s.legal_bases) WITH ORDINALITY AS e(v, n)
LEFT JOIN legal_instruments r ON r.id = (e.v->>'instrument_id')::uuid
WHERE r.id IS NULL OR (r.archived_at IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM functions k JOIN function_legal_bases kb ON kb.function_id = k.id
    WHERE (k.id = s.id OR k.code = s.code) AND kb.instrument_id = r.id))`},
		},
		Owner:     `%[1]s.owner_institution_id`,
		Write:     writeFunctions,
		Translate: translateFunctionImport,
	}
}

// stagedLegalBasis is a legal basis as staged, and as storedLegalBases renders the stored ones,
// so that the two compare equal when they are.
type stagedLegalBasis struct {
	InstrumentID uuid.UUID `json:"instrument_id"`
	Article      *string   `json:"article"`
}

// storedLegalBases is the legal bases of function t as staged: a JSON array in their order.
const storedLegalBases = `(SELECT coalesce(jsonb_agg(jsonb_build_object('instrument_id', lb.instrument_id, 'article', lb.article)
    ORDER BY lb.position), '[]'::jsonb) FROM function_legal_bases lb WHERE lb.function_id = t.id)`

// writeFunctions writes the functions, then replaces the legal bases that differ from the staged
// ones. A function whose legal bases alone change is updated too (its version moves on, as a
// PATCH of its legal bases would move it).
func writeFunctions(ctx context.Context, tx pgx.Tx, b *imports.Batch) (imports.Counts, error) {
	match := keyMatch(b.Key)
	var basesOnly int64
	if b.Strategy != "create" {
		var cols []string
		for _, c := range functionColumns {
			if !c.Keep && !slices.Contains(b.Key, c.Name) {
				cols = append(cols, c.Name)
			}
		}
		same := make([]string, len(cols))
		for i, c := range cols {
			same[i] = fmt.Sprintf("t.%[1]s IS NOT DISTINCT FROM s.%[1]s", c)
		}
		err := tx.QueryRow(ctx, fmt.Sprintf(`WITH w AS (UPDATE functions t SET version = t.version + 1, updated_at = now()
FROM %[1]s s WHERE s.line BETWEEN $1 AND $2 AND %[2]s AND t.archived_at IS NULL AND %[3]s
    AND s.legal_bases IS DISTINCT FROM %[4]s RETURNING 1)
SELECT count(*) FROM w`, b.Stage, match, strings.Join(same, " AND "), storedLegalBases), b.Lo, b.Hi).Scan(&basesOnly)
		if err != nil {
			return imports.Counts{}, fmt.Errorf("write functions whose legal bases alone change: %w", err)
		}
	}
	c, err := functionTable.write(ctx, tx, b)
	if err != nil {
		return imports.Counts{}, err
	}
	c.Updated += basesOnly
	if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM function_legal_bases d USING %[1]s s JOIN functions t ON %[2]s
WHERE s.line BETWEEN $1 AND $2 AND d.function_id = t.id AND s.legal_bases IS DISTINCT FROM %[3]s`,
		b.Stage, match, storedLegalBases), b.Lo, b.Hi); err != nil {
		return imports.Counts{}, fmt.Errorf("remove replaced legal bases: %w", err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO function_legal_bases (function_id, position, instrument_id, article)
SELECT t.id, e.n - 1, (e.v->>'instrument_id')::uuid, e.v->>'article'
FROM %[1]s s JOIN functions t ON %[2]s CROSS JOIN LATERAL jsonb_array_elements(s.legal_bases) WITH ORDINALITY AS e(v, n)
WHERE s.line BETWEEN $1 AND $2 AND NOT EXISTS (SELECT 1 FROM function_legal_bases lb WHERE lb.function_id = t.id)
ORDER BY s.line, e.n`, b.Stage, match), b.Lo, b.Hi); err != nil {
		return imports.Counts{}, fmt.Errorf("write legal bases: %w", err)
	}
	return c, nil
}

// translateFunctionImport names the field a refused write trips on, as FunctionService.translate does.
func translateFunctionImport(err error) (string, string, bool) {
	if c, ok := database.UniqueViolation(err); ok && c == "functions_code_key" {
		return "code", "already in use", true
	}
	if c, ok := database.ForeignKeyViolation(err); ok {
		if c == "function_legal_bases_instrument_id_fkey" {
			return "legal_bases", "no such legal instrument", true
		}
		return "owner_institution_id", "no such institution", true
	}
	if c, ok := database.CheckViolation(err); ok && c == "functions_title_present" {
		return "title", "needs a Spanish or an English title", true
	}
	return "", "", false
}
