// Package search builds full-text conditions over Puente's `search` tsvector columns: every word
// of a query must match, as a prefix of an unaccented word or as a Spanish or English stem, so
// "proteccion nacional" finds "Protección a las Colectividades Nacionales".
package search

import (
	"strings"
	"unicode"
)

// maxWords bounds the size of the generated tsquery.
const maxWords = 12

// Words splits q into lower-case words of letters and digits. Everything else separates words,
// which also keeps tsquery syntax (&, |, !, :, quotes) out of the query.
func Words(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	return words
}

// Condition returns a SQL condition matching column against q, with its arguments, or ok false
// when q has no words.
func Condition(column, q string) (sql string, args []any, ok bool) {
	words := Words(q)
	if len(words) == 0 {
		return "", nil, false
	}
	parts := make([]string, len(words))
	for i, w := range words {
		// The prefix term is quoted as a tsquery lexeme: unaccent turns some letters into
		// punctuation (ŉ → 'n, ː → :) that unquoted would be tsquery syntax and fail the query.
		parts[i] = "(to_tsquery('simple', quote_literal(puente_unaccent(?)) || ':*')" +
			" || plainto_tsquery('spanish', puente_unaccent(?))" +
			" || plainto_tsquery('english', puente_unaccent(?)))"
		args = append(args, w, w, w)
	}
	return column + " @@ (" + strings.Join(parts, " && ") + ")", args, true
}
