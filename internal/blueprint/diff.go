package blueprint

import (
	"strings"
	"time"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// WordOp is one step of a word-level diff: text kept (equal), added (insert) or taken out
// (delete).
type WordOp struct {
	Op   string // equal, insert or delete
	Text string
}

// Word-diff operations.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// diffTimeout bounds the time one text's diff may take. Past it go-diff returns a coarser diff,
// still exact (its texts still rebuild both sides), so a pathological pair of articles costs at
// most this, never the request's whole budget.
const diffTimeout = time.Second

// WordDiff compares two texts word by word: each word, each run of whitespace and each other
// character (punctuation, symbols) is one token, and the diff is go-diff's Myers diff over the
// tokens, each mapped to one rune the way its DiffLinesToRunes maps lines. The equal and insert
// texts, joined, give new exactly; the equal and delete texts give old. Adjacent edits are
// merged, deletions before insertions; two equal texts give one equal op (none when empty).
func WordDiff(old, new string) []WordOp {
	enc := wordEncoder{index: map[string]rune{}}
	a, b := enc.encode(old), enc.encode(new)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	diffs := dmp.DiffMainRunes(a, b, false)
	out := make([]WordOp, 0, len(diffs))
	for _, d := range diffs {
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		text := enc.decode(d.Text)
		if text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			continue
		}
		out = append(out, WordOp{Op: op, Text: text})
	}
	return out
}

// wordEncoder maps each distinct token of the texts it encodes to a rune of its own, skipping
// the surrogate range (not runes a Go string can carry), so that a diff over runes is a diff
// over tokens.
type wordEncoder struct {
	tokens []string
	index  map[string]rune
}

const (
	surrogateFirst = 0xD800
	surrogateLast  = 0xDFFF
)

// idRune is the rune that stands for the i-th distinct token (or id) of a diff: i itself, past
// the surrogate range, which no Go string carries.
func idRune(i int) rune {
	r := rune(i)
	if r >= surrogateFirst {
		r += surrogateLast - surrogateFirst + 1
	}
	return r
}

// runeIndex undoes idRune.
func runeIndex(r rune) int {
	if r > surrogateLast {
		r -= surrogateLast - surrogateFirst + 1
	}
	return int(r)
}

func (e *wordEncoder) encode(text string) []rune {
	toks := wordTokens(text)
	out := make([]rune, len(toks))
	for i, t := range toks {
		r, ok := e.index[t]
		if !ok {
			r = idRune(len(e.tokens))
			e.tokens = append(e.tokens, t)
			e.index[t] = r
		}
		out[i] = r
	}
	return out
}

func (e *wordEncoder) decode(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(e.tokens[runeIndex(r)])
	}
	return b.String()
}

// wordTokens splits text into words (letters, digits and combining marks, so that "artículo",
// a decomposed "artículo" and "2023" stay whole), runs of whitespace, and single other
// characters. The tokens, joined, are text.
func wordTokens(text string) []string {
	var out []string
	start, kind := 0, -1
	for i, r := range text {
		k := tokenKind(r)
		if i > start && (k != kind || k == tokenOther) {
			out = append(out, text[start:i])
			start = i
		}
		kind = k
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

const (
	tokenWord = iota
	tokenSpace
	tokenOther
)

func tokenKind(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return tokenWord
	case unicode.IsSpace(r):
		return tokenSpace
	}
	return tokenOther
}
