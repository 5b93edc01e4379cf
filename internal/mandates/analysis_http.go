package mandates

import (
	"bytes"
	"context"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/actor"
)

// GetMandateAnalysis returns a scenario's overlaps, gaps, contingency work and unit summary.
func (h *Handlers) GetMandateAnalysis(ctx context.Context, req api.GetMandateAnalysisRequestObject) (api.GetMandateAnalysisResponseObject, error) {
	a, err := NewAnalyst(h.db).Analyze(ctx, req.Id, anScope(req.Params.UnitId, req.Params.Category))
	if err != nil {
		return nil, err
	}
	return anAnalysisResponse{a}, nil
}

// GetMandateMatrix returns a scenario's function × unit matrix, as CSV when the caller accepts
// text/csv, else as JSON.
func (h *Handlers) GetMandateMatrix(ctx context.Context, req api.GetMandateMatrixRequestObject) (api.GetMandateMatrixResponseObject, error) {
	m, err := NewAnalyst(h.db).Matrix(ctx, req.Id, anScope(req.Params.UnitId, req.Params.Category))
	if err != nil {
		return nil, err
	}
	if strings.Contains(actor.RequestFrom(ctx).Accept, "text/csv") {
		// About 2 bytes per cell of the grid, plus the function titles.
		var buf bytes.Buffer
		buf.Grow(len(m.Functions) * (2*len(m.Units) + 120))
		if err := m.WriteCSV(&buf); err != nil {
			return nil, err
		}
		return api.GetMandateMatrix200TextcsvResponse{Body: &buf, ContentLength: int64(buf.Len())}, nil
	}
	return anMatrixResponse{m}, nil
}

// CompareMandateScenarios returns what changes from a scenario to another.
func (h *Handlers) CompareMandateScenarios(ctx context.Context, req api.CompareMandateScenariosRequestObject) (api.CompareMandateScenariosResponseObject, error) {
	c, err := NewAnalyst(h.db).Compare(ctx, req.Id, req.Params.With, anScope(req.Params.UnitId, req.Params.Category))
	if err != nil {
		return nil, err
	}
	return anComparisonResponse{c}, nil
}

func anScope(unit *api.UnitFilter, categories *api.CategoryFilter) AnalysisScope {
	s := AnalysisScope{UnitID: unit}
	if categories != nil && len(*categories) > 0 {
		s.Categories = make([]string, len(*categories))
		for i, c := range *categories {
			s.Categories[i] = string(c)
		}
	}
	return s
}

// The three read models are answered by hand-written JSON rather than encoding/json: an analysis
// or a matrix of a large scenario is several megabytes (thousands of contingent assignments, each
// with its function and unit; tens of thousands of cells), and encoding it by reflection was a
// fifth of the request's time. The writers below produce the bytes encoding/json writes for the
// contract's types (api.MandateAnalysis, api.MandateMatrix, api.MandateComparison): the same
// fields in the same order, the same escaping and number format, and json.Encoder's trailing
// newline. The tests decode every answer into the contract's type and check that encoding/json
// renders it to the same bytes, so that a change of those types shows up as a failing test.

type (
	anAnalysisResponse   struct{ a Analysis }
	anMatrixResponse     struct{ m Matrix }
	anComparisonResponse struct{ c Comparison }
)

func (r anAnalysisResponse) VisitGetMandateAnalysisResponse(w http.ResponseWriter) error {
	return anWriteJSON(w, anAnalysisJSON(r.a))
}

func (r anMatrixResponse) VisitGetMandateMatrixResponse(w http.ResponseWriter) error {
	return anWriteJSON(w, anMatrixJSON(r.m))
}

func (r anComparisonResponse) VisitCompareMandateScenariosResponse(w http.ResponseWriter) error {
	return anWriteJSON(w, anComparisonJSON(r.c))
}

func anWriteJSON(w http.ResponseWriter, body []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// anMatrixJSON renders m as api.MandateMatrix.
func anMatrixJSON(m Matrix) []byte {
	b := make([]byte, 0, 256+len(m.Cells)*56+len(m.Functions)*240+len(m.Units)*200)
	b = append(b, `{"cells":[`...)
	for i, c := range m.Cells {
		b = anComma(b, i)
		b = append(b, `{"basis":`...)
		b = anString(b, c.Basis)
		b = append(b, `,"f":`...)
		b = strconv.AppendInt(b, int64(c.F), 10)
		b = append(b, `,"role":`...)
		b = anString(b, c.Role)
		b = append(b, `,"u":`...)
		b = strconv.AppendInt(b, int64(c.U), 10)
		b = append(b, '}')
	}
	b = append(b, `],"functions":[`...)
	for i, f := range m.Functions {
		b = anComma(b, i)
		b = anFunctionJSON(b, f)
	}
	b = append(b, `],"scenario_id":`...)
	b = anUUID(b, m.ScenarioID)
	b = append(b, `,"units":[`...)
	for i, u := range m.Units {
		b = anComma(b, i)
		b = anUnitJSON(b, u)
	}
	return append(b, "]}\n"...)
}

// anComparisonJSON renders c as api.MandateComparison.
func anComparisonJSON(c Comparison) []byte {
	b := make([]byte, 0, 256+len(c.Functions)*600+len(c.Units)*240)
	b = append(b, `{"base_id":`...)
	b = anUUID(b, c.BaseID)
	b = append(b, `,"functions":[`...)
	for i, f := range c.Functions {
		b = anComma(b, i)
		b = append(b, `{"changes":[`...)
		for j, ch := range f.Changes {
			b = anComma(b, j)
			b = anChangeJSON(b, ch)
		}
		b = append(b, `],"function":`...)
		b = anFunctionJSON(b, f.Function)
		b = append(b, '}')
	}
	b = append(b, `],"other_id":`...)
	b = anUUID(b, c.OtherID)
	b = append(b, `,"units":[`...)
	for i, u := range c.Units {
		b = anComma(b, i)
		r := u.ByRole // indexed like anRoles: responsible, accountable, consulted, informed
		b = append(b, `{"by_role":{"accountable":`...)
		b = strconv.AppendInt(b, int64(r[1]), 10)
		b = append(b, `,"consulted":`...)
		b = strconv.AppendInt(b, int64(r[2]), 10)
		b = append(b, `,"informed":`...)
		b = strconv.AppendInt(b, int64(r[3]), 10)
		b = append(b, `,"responsible":`...)
		b = strconv.AppendInt(b, int64(r[0]), 10)
		b = append(b, `},"gained":`...)
		b = strconv.AppendInt(b, int64(u.Gained), 10)
		b = append(b, `,"lost":`...)
		b = strconv.AppendInt(b, int64(u.Lost), 10)
		b = append(b, `,"net":`...)
		b = strconv.AppendInt(b, int64(u.Net), 10)
		b = append(b, `,"unit":`...)
		b = anUnitJSON(b, u.Unit)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// anChangeJSON renders ch as api.ScenarioChange, whose members other than kind are optional.
func anChangeJSON(b []byte, ch ScenarioChange) []byte {
	b = append(b, '{')
	b = anOptString(b, `"from_basis":`, ch.FromBasis)
	b = anOptString(b, `"from_role":`, ch.FromRole)
	if ch.FromUnit != nil {
		b = append(b, `"from_unit":`...)
		b = append(anUnitJSON(b, *ch.FromUnit), ',')
	}
	b = append(b, `"kind":`...)
	b = anString(b, ch.Kind)
	b = anOptString(b, `,"role":`, ch.Role)
	b = anOptString(b, `,"to_basis":`, ch.ToBasis)
	b = anOptString(b, `,"to_role":`, ch.ToRole)
	if ch.ToUnit != nil {
		b = append(b, `,"to_unit":`...)
		b = anUnitJSON(b, *ch.ToUnit)
	}
	if ch.Unit != nil {
		b = append(b, `,"unit":`...)
		b = anUnitJSON(b, *ch.Unit)
	}
	return append(b, '}')
}

// anOptString renders member (its name and colon, with the comma it needs) and v, unless v is
// empty. Members before "kind" carry their comma after, those after it before.
func anOptString(b []byte, member, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, member...)
	b = anString(b, v)
	if member[0] != ',' {
		b = append(b, ',')
	}
	return b
}

// anAnalysisJSON renders a as api.MandateAnalysis.
func anAnalysisJSON(a Analysis) []byte {
	b := make([]byte, 0, 256+len(a.Contingency)*640+len(a.Gaps)*320+len(a.Overlaps)*480+len(a.Units)*320)
	b = append(b, `{"contingency":[`...)
	for i, c := range a.Contingency {
		b = anComma(b, i)
		b = append(b, `{"assignment_id":`...)
		b = anUUID(b, c.AssignmentID)
		if c.Evidence != nil {
			b = append(b, `,"evidence":`...)
			b = anString(b, *c.Evidence)
		}
		b = append(b, `,"function":`...)
		b = anFunctionJSON(b, c.Function)
		b = append(b, `,"role":`...)
		b = anString(b, c.Role)
		b = append(b, `,"unit":`...)
		b = anUnitJSON(b, c.Unit)
		b = append(b, '}')
	}
	b = append(b, `],"gaps":[`...)
	for i, g := range a.Gaps {
		b = anComma(b, i)
		b = append(b, `{"function":`...)
		b = anFunctionJSON(b, g.Function)
		b = append(b, `,"missing":[`...)
		for j, m := range g.Missing {
			b = anComma(b, j)
			b = anString(b, m)
		}
		b = append(b, "]}"...)
	}
	b = append(b, `],"overlaps":[`...)
	for i, o := range a.Overlaps {
		b = anComma(b, i)
		b = append(b, `{"function":`...)
		b = anFunctionJSON(b, o.Function)
		b = append(b, `,"units":[`...)
		for j, u := range o.Units {
			b = anComma(b, j)
			b = anUnitJSON(b, u)
		}
		b = append(b, "]}"...)
	}
	b = append(b, `],"scenario_id":`...)
	b = anUUID(b, a.ScenarioID)
	b = append(b, `,"totals":{"assignments":`...)
	b = strconv.AppendInt(b, int64(a.Totals.Assignments), 10)
	b = append(b, `,"contingency":`...)
	b = strconv.AppendInt(b, int64(a.Totals.Contingency), 10)
	b = append(b, `,"functions":`...)
	b = strconv.AppendInt(b, int64(a.Totals.Functions), 10)
	b = append(b, `,"gaps":`...)
	b = strconv.AppendInt(b, int64(a.Totals.Gaps), 10)
	b = append(b, `,"overlaps":`...)
	b = strconv.AppendInt(b, int64(a.Totals.Overlaps), 10)
	b = append(b, `},"units":[`...)
	for i, u := range a.Units {
		b = anComma(b, i)
		b = append(b, `{"by_role":{"accountable":`...)
		b = strconv.AppendInt(b, int64(u.Accountable), 10)
		b = append(b, `,"consulted":`...)
		b = strconv.AppendInt(b, int64(u.Consulted), 10)
		b = append(b, `,"informed":`...)
		b = strconv.AppendInt(b, int64(u.Informed), 10)
		b = append(b, `,"responsible":`...)
		b = strconv.AppendInt(b, int64(u.Responsible), 10)
		b = append(b, `},"de_facto":`...)
		b = strconv.AppendInt(b, int64(u.DeFacto), 10)
		b = append(b, `,"de_jure":`...)
		b = strconv.AppendInt(b, int64(u.DeJure), 10)
		b = append(b, `,"functions":`...)
		b = strconv.AppendInt(b, int64(u.Functions), 10)
		b = append(b, `,"legal_basis_share":`...)
		b = anFloat32(b, float32(u.LegalBasisShare))
		b = append(b, `,"unit":`...)
		b = anUnitJSON(b, u.Unit)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// anFunctionJSON renders f as api.FunctionRef.
func anFunctionJSON(b []byte, f FunctionRef) []byte {
	b = append(b, `{"category":`...)
	b = anString(b, f.Category)
	b = append(b, `,"code":`...)
	b = anString(b, f.Code)
	b = append(b, `,"has_legal_basis":`...)
	b = strconv.AppendBool(b, f.HasLegalBasis)
	b = append(b, `,"id":`...)
	b = anUUID(b, f.ID)
	b = append(b, `,"title":`...)
	b = anTextJSON(b, f.TitleES, f.TitleEN)
	return append(b, '}')
}

// anUnitJSON renders u as api.UnitRef.
func anUnitJSON(b []byte, u UnitRef) []byte {
	b = append(b, '{')
	if u.Acronym != nil {
		b = append(b, `"acronym":`...)
		b = anString(b, *u.Acronym)
		b = append(b, ',')
	}
	b = append(b, `"code":`...)
	b = anString(b, u.Code)
	b = append(b, `,"id":`...)
	b = anUUID(b, u.ID)
	b = append(b, `,"name":`...)
	b = anTextJSON(b, u.NameES, u.NameEN)
	return append(b, '}')
}

// anTextJSON renders api.LocalizedText.
func anTextJSON(b []byte, es, en *string) []byte {
	b = append(b, '{')
	if en != nil {
		b = append(b, `"en":`...)
		b = anString(b, *en)
	}
	if es != nil {
		if en != nil {
			b = append(b, ',')
		}
		b = append(b, `"es":`...)
		b = anString(b, *es)
	}
	return append(b, '}')
}

func anComma(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

// anUUID renders id as encoding/json does (its MarshalText, quoted), without allocating.
func anUUID(b []byte, id uuid.UUID) []byte {
	var s [38]byte
	s[0], s[37] = '"', '"'
	hex.Encode(s[1:9], id[0:4])
	s[9] = '-'
	hex.Encode(s[10:14], id[4:6])
	s[14] = '-'
	hex.Encode(s[15:19], id[6:8])
	s[19] = '-'
	hex.Encode(s[20:24], id[8:10])
	s[24] = '-'
	hex.Encode(s[25:37], id[10:16])
	return append(b, s[:]...)
}

// anFloat32 renders f as encoding/json renders a float32.
func anFloat32(b []byte, f float32) []byte {
	format := byte('f')
	if abs := math.Abs(float64(f)); abs != 0 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, float64(f), format, -1, 32)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-09 → e-9
		b = b[:n-1]
	}
	return b
}

const anHex = "0123456789abcdef"

// anString renders s as a JSON string exactly as encoding/json does by default: <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func anString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', anHex[c>>4], anHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', anHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
