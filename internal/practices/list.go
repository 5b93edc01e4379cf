package practices

import (
	"context"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/search"
)

// Lists are read through pgx, in the exec mode that plans each statement with its arguments
// (no cached generic plan), so the planner knows the search's tsquery and judges each request's
// filters on their own.
//
// A search first asks PostgreSQL for the lexemes of its words (one small statement), then sends
// the tsquery as one argument: deduplicated, since a word often gives the same lexeme as a
// prefix, a Spanish and an English stem, and the planner, taking those for independent terms,
// would estimate three times the matches and read the whole table instead of the index.
//
// A page is then one statement: the matching rows' sort keys (the rank, for relevance) and, when
// facets are asked for, the columns they count, read once into a materialized set; the page cut
// from it by keyset; highlights computed for the page's rows only; and the facet counts grouped
// from the same set. The rows themselves are then loaded by id. What the benchmark taught: ranking
// reads every matching row's search vector, so the statement must read the matches once, not
// once for the page and again for the facets.

// Filter narrows Service.List. Empty values mean "any"; list values match any of their
// elements.
type Filter struct {
	Q               string
	Codes           []string
	Countries       []string
	Scopes          []string
	Types           []string
	Themes          []string
	Migof           []string
	GcmObjectives   []int
	SdgTargets      []string
	Transferability []string
	Statuses        []string
	InstitutionID   *uuid.UUID // implementing institution or partner
	IncludeArchived bool
	Facets          []string // fields to count values of: country, scope, type, theme, migof, gcm_objective, transferability, status
	OrderBy         string   // relevance (the default with Q), code (the default without), created_at, updated_at; "-" for descending
	PageSize        int
	PageToken       string
}

// FacetCount is how many matching practices have a value.
type FacetCount struct {
	Value string
	Count int64
}

// Page is one page of practices, the next page's token ("" on the last) and, when asked for,
// the facet counts over every practice matching the filter (by facet name; values by count,
// most first, then by value).
type Page struct {
	Items  []Practice
	Next   string
	Facets map[string][]FacetCount
}

// order is a sort of the list: the SQL expression of its key (never NULL), the type a cursor's
// key is cast back to, and the direction.
type order struct {
	name, key, typ string
	desc           bool
}

// Markers ts_headline puts around matches; stripped from the text beforehand, so the only ones in
// a headline are its own.
const (
	markStart = "\x01"
	markStop  = "\x02"
)

// Headline options: whole titles; up to three fragments of the longer texts.
const (
	titleOptions = "StartSel=" + markStart + ", StopSel=" + markStop + ", HighlightAll=true"
	textOptions  = "StartSel=" + markStart + ", StopSel=" + markStop +
		`, MaxFragments=3, MaxWords=25, MinWords=8, FragmentDelimiter=" … "`
)

// highlighted are the fields with highlights, as (Spanish column, English column).
var highlighted = [][2]string{
	{"title_es", "title_en"}, {"summary_es", "summary_en"}, {"description_es", "description_en"},
	{"lessons_learned_es", "lessons_learned_en"},
}

// query is a statement being assembled: its positional arguments.
type query struct{ args []any }

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// compile returns the tsquery of a search (every word must match, as a prefix of an unaccented
// word or as a Spanish or English stem of it: search.Condition's semantics) and the tsquery of
// its highlights (any word, also as typed, accents kept: headlines parse the text as written), as
// text, with each word's alternatives deduplicated.
func (s *Service) compile(ctx context.Context, words []string) (match, highlight string, err error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT
	to_tsquery('simple', quote_literal(puente_unaccent(w)) || ':*')::text,
	plainto_tsquery('spanish', puente_unaccent(w))::text, plainto_tsquery('english', puente_unaccent(w))::text,
	to_tsquery('simple', quote_literal(w) || ':*')::text, plainto_tsquery('spanish', w)::text, plainto_tsquery('english', w)::text
FROM unnest($1::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`, pgx.QueryExecModeExec, words)
	if err != nil {
		return "", "", fmt.Errorf("compile search: %w", err)
	}
	defer rows.Close()
	var all, each []string
	for rows.Next() {
		var alts [6]string
		if err := rows.Scan(&alts[0], &alts[1], &alts[2], &alts[3], &alts[4], &alts[5]); err != nil {
			return "", "", fmt.Errorf("compile search: %w", err)
		}
		if w := alternatives(alts[:3]); w != "" {
			each = append(each, "("+w+")")
		}
		all = append(all, alts[:]...)
	}
	if err := rows.Err(); err != nil {
		return "", "", fmt.Errorf("compile search: %w", err)
	}
	return strings.Join(each, " & "), alternatives(all), nil
}

var (
	prefixLexeme = regexp.MustCompile(`^'((?:[^']|'')*)':\*$`)
	plainLexeme  = regexp.MustCompile(`^'((?:[^']|'')*)'$`)
)

// alternatives ORs tsqueries (as PostgreSQL prints them), leaving out empty ones (stop words),
// repeats, and single lexemes a prefix among them already matches.
func alternatives(qs []string) string {
	var prefixes []string
	for _, q := range qs {
		if m := prefixLexeme.FindStringSubmatch(q); m != nil {
			prefixes = append(prefixes, m[1])
		}
	}
	var out []string
	for _, q := range qs {
		if q == "" || slices.Contains(out, "("+q+")") {
			continue
		}
		if m := plainLexeme.FindStringSubmatch(q); m != nil &&
			slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(m[1], p) }) {
			continue
		}
		out = append(out, "("+q+")")
	}
	return strings.Join(out, " | ")
}

// where returns the conditions of f for the caller in ctx, with their arguments in q; tsq is
// the search's tsquery expression ("" without a search).
func (q *query) where(ctx context.Context, f Filter, tsq string) string {
	conds := []string{"true"}
	add := func(cond string) { conds = append(conds, cond) }
	anyOf := func(column string, values []string) {
		if len(values) > 0 {
			add(column + " = ANY(" + q.arg(values) + "::text[])")
		}
	}
	overlaps := func(column string, values []string) {
		if len(values) > 0 {
			add(column + " && " + q.arg(values) + "::text[]")
		}
	}
	if !f.IncludeArchived {
		add("archived_at IS NULL")
	}
	anyOf("code", f.Codes)
	anyOf("country", f.Countries)
	anyOf("scope", f.Scopes)
	anyOf("type", f.Types)
	anyOf("transferability", f.Transferability)
	anyOf("status", f.Statuses)
	overlaps("themes", f.Themes)
	overlaps("migof", f.Migof)
	overlaps("sdg_targets", f.SdgTargets)
	if len(f.GcmObjectives) > 0 {
		objectives := make([]int16, len(f.GcmObjectives))
		for i, n := range f.GcmObjectives {
			objectives[i] = int16(n)
		}
		add("gcm_objectives && " + q.arg(objectives) + "::smallint[]")
	}
	if f.InstitutionID != nil {
		p := q.arg(f.InstitutionID.String())
		add("(institution_id = " + p + "::uuid OR partner_ids @> ARRAY[" + p + "::uuid])")
	}
	if a := actor.From(ctx); !editorial(a) {
		if root := ownerPartner(a); root != nil {
			add(`(status = 'published' OR institution_id IN (WITH RECURSIVE sub AS (
				SELECT id FROM institutions WHERE id = ` + q.arg(root.String()) + `::uuid
				UNION ALL SELECT i.id FROM institutions i JOIN sub ON i.parent_id = sub.id) SELECT id FROM sub))`)
		} else {
			add("status = 'published'")
		}
	}
	if tsq != "" {
		add("search @@ " + tsq)
	}
	return strings.Join(conds, " AND ")
}

// pgTimestamp is how PostgreSQL prints a timestamptz in UTC, as cursors carry it.
const pgTimestamp = "2006-01-02 15:04:05.999999-07"

// position is where a page ends: the last row's sort key (its text, or a rank) and id.
type position struct {
	Key any       `json:"v"`
	ID  uuid.UUID `json:"i"`
}

// List returns a page of the practices the caller may see that match f, with facet counts when
// f asks for them. With a search, results carry their rank and highlights and are ordered by
// relevance unless f orders them otherwise.
//
// Errors: Invalid (bad page token, or a token of another search or order).
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	words := search.Words(f.Q)
	searched := len(words) > 0
	q := &query{}
	var tsq, hq string
	if searched {
		match, highlight, err := s.compile(ctx, words)
		if err != nil {
			return Page{}, err
		}
		tsq, hq = q.arg(match)+"::tsquery", q.arg(highlight)+"::tsquery"
	}
	conds := q.where(ctx, f, tsq)
	o := pickOrder(f.OrderBy, searched)
	kind := "practices:" + o.name
	if o.key == "rank" {
		h := fnv.New64a()
		h.Write([]byte(strings.Join(words, " ")))
		kind += ":" + strconv.FormatUint(h.Sum64(), 36) // a ranked position means nothing in another search
		o.key = "ts_rank_cd(search, " + tsq + ")::float8"
	}
	cmp, dir := ">", "ASC"
	if o.desc {
		cmp, dir = "<", "DESC"
	}
	after := "true"
	if f.PageToken != "" {
		var p position
		if err := paging.Decode(f.PageToken, kind, &p); err != nil {
			return Page{}, err
		}
		valid := false
		switch k := p.Key.(type) {
		case float64:
			valid = o.typ == "float8"
		case string:
			_, err := time.Parse(pgTimestamp, k)
			valid = o.typ == "text" || (o.typ == "timestamptz" && err == nil)
		}
		if !valid {
			return Page{}, apperr.New(apperr.Invalid, "page_token is not a token this list issued").
				WithField("query.page_token", "invalid or from another list or order")
		}
		after = fmt.Sprintf("(k, id) %s (%s::%s, %s::uuid)", cmp, q.arg(p.Key), o.typ, q.arg(p.ID.String()))
	}
	size := max(f.PageSize, 1)
	cols, from, ncols := "x.id::text, x.k::text", "x JOIN practices p ON p.id = x.id", 2
	if searched {
		ncols += 1 + len(highlighted)*2
		var lateral string
		cols, lateral = headlines(q, tsq, hq)
		cols = "x.id::text, x.k::text, " + cols
		from += lateral
	}
	order := fmt.Sprintf("x.k %s, x.id %s", dir, dir)
	var sql string
	facets := facetBranches(f.Facets)
	if len(facets) == 0 {
		// A rank is computed once per row behind the OFFSET 0 fence, not again for the keyset
		// condition; other keys stay visible to the planner, which pages them along an index.
		fence := ""
		if o.typ == "float8" {
			fence = " OFFSET 0"
		}
		sql = fmt.Sprintf(`SELECT 0, 0, %s FROM (
	SELECT * FROM (SELECT id, %s AS k FROM practices WHERE %s%s) m WHERE %s ORDER BY k %s, id %s LIMIT %d
) %s ORDER BY %s`, cols, o.key, conds, fence, after, dir, dir, size+1, from, order)
	} else {
		var fcols, parts []string
		for _, b := range facets {
			if !slices.Contains(fcols, b.column) {
				fcols = append(fcols, b.column)
			}
			parts = append(parts, fmt.Sprintf("SELECT '%s', * FROM (%s) f", b.name, b.sql))
		}
		nulls := strings.Repeat("NULL, ", ncols)
		sql = fmt.Sprintf(`WITH m AS MATERIALIZED (SELECT id, %s AS k, %s FROM practices WHERE %s),
x AS (SELECT id, k FROM m WHERE %s ORDER BY k %s, id %s LIMIT %d)
SELECT 0 AS part, row_number() OVER (ORDER BY %s) AS pos, %s, NULL::text AS facet, NULL::text AS value, NULL::bigint AS n, NULL::int AS ord FROM %s
UNION ALL
SELECT 1, 0, %sc.* FROM (%s) AS c(facet, value, n, ord)
ORDER BY part, pos, facet, n DESC, ord, value`, o.key, strings.Join(fcols, ", "), conds, after, dir, dir, size+1,
			order, cols, from, nulls, strings.Join(parts, "\nUNION ALL "))
	}
	hits, counts, err := s.page(ctx, sql, q.args, searched, facets)
	if err != nil {
		return Page{}, err
	}
	out := Page{Facets: counts}
	if len(hits) > size {
		hits = hits[:size]
		last := hits[len(hits)-1]
		var key any = last.key
		if o.typ == "float8" {
			key = *last.rank
		}
		out.Next = paging.Encode(kind, position{Key: key, ID: last.id})
	}
	if out.Items, err = s.load(ctx, hits); err != nil {
		return Page{}, err
	}
	return out, nil
}

// headlines are the rank and the highlight columns of a page's rows p, and the lateral joins
// they read from: each field's Spanish headline, and its English one only when the Spanish did
// not match (parsing the texts is most of a page's cost).
func headlines(q *query, tsq, hq string) (cols, lateral string) {
	strip, title, text := q.arg(markStart+markStop), q.arg(titleOptions), q.arg(textOptions)
	list := []string{"ts_rank_cd(p.search, " + tsq + ")::float8"}
	for i, pair := range highlighted {
		opts := text
		if i == 0 {
			opts = title
		}
		h := "h" + strconv.Itoa(i)
		lateral += fmt.Sprintf(", LATERAL (SELECT ts_headline('spanish', %s, %s, %s) AS es) %s", escaped("p."+pair[0], strip), hq, opts, h)
		list = append(list, h+".es", fmt.Sprintf("CASE WHEN strpos(%s.es, %s) > 0 THEN NULL ELSE ts_headline('english', %s, %s, %s) END",
			h, q.arg(markStart), escaped("p."+pair[1], strip), hq, opts))
	}
	return strings.Join(list, ", "), lateral
}

// pickOrder reads order_by: relevance needs a search (without one it means the default, code).
func pickOrder(orderBy string, searched bool) order {
	desc := strings.HasPrefix(orderBy, "-")
	name := strings.TrimPrefix(orderBy, "-")
	switch name {
	case "created_at", "updated_at":
		return order{name: orderBy, key: name, typ: "timestamptz", desc: desc}
	case "code":
		return order{name: orderBy, key: "code", typ: "text", desc: desc}
	}
	if searched && (name == "" || name == "relevance") {
		return order{name: "relevance", key: "rank", typ: "float8", desc: true} // best first
	}
	return order{name: "code", key: "code", typ: "text"}
}

// escaped is column HTML-escaped in SQL, without the highlight markers, ready for ts_headline:
// escaping before ts_headline rather than after keeps markup in the text from being taken for
// tags (which ts_headline drops); the entities it leaves are tokens no search word matches.
func escaped(column, strip string) string {
	return "replace(replace(replace(replace(replace(translate(" + column + ", " + strip + ", ''), " +
		"'&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&#34;'), '''', '&#39;')"
}

// hit is one row of a page: its id, sort key as text, and on searches its rank and headlines
// (per field of highlighted, the Spanish headline then the English one, nil when not computed).
type hit struct {
	id        uuid.UUID
	key       string
	rank      *float64
	headlines [8]*string
}

// page runs a page's statement: its rows (part 0), then its facet counts (part 1) when facets
// has branches, in the order each facet lists its values.
func (s *Service) page(ctx context.Context, sql string, args []any, searched bool, facets []facetBranch) ([]hit, map[string][]FacetCount, error) {
	rows, err := s.db.Pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("list practices: %w", err)
	}
	defer rows.Close()
	var counts map[string][]FacetCount
	if len(facets) > 0 {
		counts = map[string][]FacetCount{}
		for _, b := range facets {
			counts[b.name] = []FacetCount{}
		}
	}
	var out []hit
	for rows.Next() {
		var (
			part, pos int64
			h         hit
			id, key   *string
			facet     *string
			c         FacetCount
			value     *string
			n         *int64
			ord       *int32
		)
		dest := []any{&part, &pos, &id, &key}
		if searched {
			dest = append(dest, &h.rank)
			for i := range h.headlines {
				dest = append(dest, &h.headlines[i])
			}
		}
		if len(facets) > 0 {
			dest = append(dest, &facet, &value, &n, &ord)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("list practices: %w", err)
		}
		if part == 1 {
			c.Value, c.Count = *value, *n
			counts[*facet] = append(counts[*facet], c)
			continue
		}
		if h.id, err = uuid.Parse(*id); err != nil {
			return nil, nil, fmt.Errorf("list practices: %w", err)
		}
		h.key = *key
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list practices: %w", err)
	}
	return out, counts, nil
}

// load returns the practices of hits, in their order, with their ranks and highlights.
func (s *Service) load(ctx context.Context, hits []hit) ([]Practice, error) {
	out := make([]Practice, 0, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	var rows []row
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load practices: %w", err)
	}
	byID := make(map[uuid.UUID]row, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	for _, h := range hits {
		r, ok := byID[h.id]
		if !ok {
			continue // practices are never deleted, only archived: every hit is found
		}
		p, err := r.practice()
		if err != nil {
			return nil, err
		}
		if h.rank != nil {
			p.Rank = h.rank
			p.Highlights = &Highlights{}
			for i, field := range []**string{&p.Highlights.Title, &p.Highlights.Summary, &p.Highlights.Description,
				&p.Highlights.LessonsLearned} {
				*field = pickHeadline(h.headlines[2*i], h.headlines[2*i+1])
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// marks turns ts_headline's markers into <mark> elements.
var marks = strings.NewReplacer(markStart, "<mark>", markStop, "</mark>")

// pickHeadline returns the headline of the language in which the field matched (Spanish first),
// with ts_headline's markers turned into <mark> elements, or nil when neither matched.
func pickHeadline(es, en *string) *string {
	for _, h := range []*string{es, en} {
		if h != nil && strings.Contains(*h, markStart) {
			out := marks.Replace(*h)
			return &out
		}
	}
	return nil
}

// facetBranch counts the values of one facet over the matching rows m: value, count, and the
// key that orders equal counts (the number, for objectives; else the value). Arrays are unnested
// in the select list, which costs half what a lateral function scan per row does.
type facetBranch struct{ name, column, sql string }

var facetSQL = map[string]facetBranch{
	"country":         {"country", "country", `SELECT country, count(*), NULL::int FROM m WHERE country IS NOT NULL GROUP BY country`},
	"scope":           {"scope", "scope", `SELECT scope, count(*), NULL::int FROM m GROUP BY scope`},
	"type":            {"type", "type", `SELECT type, count(*), NULL::int FROM m GROUP BY type`},
	"theme":           {"theme", "themes", `SELECT v, count(*), NULL::int FROM (SELECT unnest(themes) AS v FROM m) u GROUP BY v`},
	"migof":           {"migof", "migof", `SELECT v, count(*), NULL::int FROM (SELECT unnest(migof) AS v FROM m) u GROUP BY v`},
	"gcm_objective":   {"gcm_objective", "gcm_objectives", `SELECT v::text, count(*), v::int FROM (SELECT unnest(gcm_objectives) AS v FROM m) u GROUP BY v`},
	"transferability": {"transferability", "transferability", `SELECT transferability, count(*), NULL::int FROM m WHERE transferability IS NOT NULL GROUP BY transferability`},
	"status":          {"status", "status", `SELECT status, count(*), NULL::int FROM m GROUP BY status`},
}

// facetBranches are the branches of the facets named, once each, in the order asked.
func facetBranches(names []string) []facetBranch {
	var out []facetBranch
	for _, n := range names {
		if b, ok := facetSQL[n]; ok && !slices.ContainsFunc(out, func(o facetBranch) bool { return o.name == n }) {
			out = append(out, b)
		}
	}
	return out
}
