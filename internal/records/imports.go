package records

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
)

// ImportPrepare is the importer's Prepare for a store's records: the row decoded into the
// create body C, converted as the create endpoint converts it (from), validated and normalised
// by the store's Validate, and built into the row the store's Create would insert, whose column
// values values lists in the import resource's Columns order. One set of rules, not two.
func ImportPrepare[C, R, T, F any](s Store[R, T, F], from func(C) F, values func(R) []any) func(context.Context, []byte) ([]any, error) {
	return func(_ context.Context, doc []byte) ([]any, error) {
		var in C
		if err := json.Unmarshal(doc, &in); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the row does not decode")
		}
		f := from(in)
		if err := s.Validate(&f); err != nil {
			return nil, err
		}
		r, err := s.Build(f, Base{ID: uuid.Must(uuid.NewV7()), Demo: s.Demo(f), Version: 1})
		if err != nil {
			return nil, err
		}
		return values(r), nil
	}
}

// ImportTranslate is the importer's Translate for a store's records: the store's own
// translation of a refused write (a key taken, a broken check constraint), by its first field
// error.
func ImportTranslate[R, T, F any](s Store[R, T, F]) func(error) (string, string, bool) {
	return func(err error) (string, string, bool) {
		var zero F
		var e *apperr.Error
		if errors.As(s.Translate(err, zero), &e) && len(e.Fields) > 0 {
			return e.Fields[0].Field, e.Fields[0].Message, true
		}
		return "", "", false
	}
}
