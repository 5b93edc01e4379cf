package imports

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
)

var spec = sync.OnceValues(api.GetSwagger)

// schema returns the contract's component schema name.
func schema(name string) (*openapi3.Schema, error) {
	doc, err := spec()
	if err != nil {
		return nil, fmt.Errorf("load embedded spec: %w", err)
	}
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return nil, fmt.Errorf("imports: no schema %q in the contract", name)
	}
	return ref.Value, nil
}

// resolve looks through the `allOf: [{$ref}]` wrappers the contract uses to describe or make
// nullable a referenced schema, to the schema that says what the value is.
func resolve(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil || ref.Value == nil {
		return &openapi3.Schema{}
	}
	s := ref.Value
	for s.Type == nil && len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
		s = s.AllOf[0].Value
	}
	return s
}

func isType(s *openapi3.Schema, t string) bool { return s.Type != nil && s.Type.Is(t) }

// isFixedObject reports an object with named properties (a localized text), which CSV spreads
// over dotted columns; an open map stays one JSON cell.
func isFixedObject(s *openapi3.Schema) bool { return isType(s, "object") && len(s.Properties) > 0 }

// rowSchema is what the importer knows of a resource's rows.
type rowSchema struct {
	create   *openapi3.Schema
	rep      *openapi3.Schema
	ignored  map[string]bool // representation members the create body has not
	required []string
}

func newRowSchema(r *Resource) (*rowSchema, error) {
	create, err := schema(r.Create)
	if err != nil {
		return nil, err
	}
	rep, err := schema(r.Represent)
	if err != nil {
		return nil, err
	}
	rs := &rowSchema{create: create, rep: rep, ignored: map[string]bool{}, required: create.Required}
	for name := range rep.Properties {
		if _, ok := create.Properties[name]; !ok {
			rs.ignored[name] = true
		}
	}
	return rs, nil
}

// columns checks a CSV header: every column must be a member of the create body (or a dotted
// member of one of its objects) or of the representation, and every required member present.
func (rs *rowSchema) columns(header []string) error {
	e := apperr.New(apperr.Invalid, "the CSV header does not fit this resource")
	have := map[string]bool{}
	for _, col := range header {
		top, sub, dotted := strings.Cut(col, ".")
		have[top] = true
		if rs.ignored[top] {
			continue
		}
		p, ok := rs.create.Properties[top]
		switch {
		case !ok:
			e.WithField(col, "unknown column; the columns are "+strings.Join(rs.names(), ", "))
		case dotted:
			if s := resolve(p); !isFixedObject(s) || s.Properties[sub] == nil {
				e.WithField(col, "unknown column")
			}
		}
	}
	for _, req := range rs.required {
		if !have[req] {
			e.WithField(req, "required column missing")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// names lists the create body's members, for messages.
func (rs *rowSchema) names() []string {
	out := make([]string, 0, len(rs.create.Properties))
	for k := range rs.create.Properties {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// document turns a row into the create body it stands for, checked against the create schema.
// CSV cells (strings) are typed by the schema: an empty cell is absent, dotted columns build
// objects, arrays are JSON or one bare value. Nulls are dropped (absent and null mean the same
// to a create), and representation-only members ignored.
func (rs *rowSchema) document(fields map[string]any, fromCSV bool) (map[string]any, []apperr.FieldError) {
	var errs []apperr.FieldError
	doc := make(map[string]any, len(fields))
	for name, v := range fields {
		top, sub, dotted := strings.Cut(name, ".")
		if !fromCSV {
			top, dotted = name, false
		}
		if rs.ignored[top] {
			continue
		}
		p, ok := rs.create.Properties[top]
		if !ok {
			errs = append(errs, apperr.FieldError{Field: name, Message: "unknown field"})
			continue
		}
		if fromCSV {
			s := resolve(p)
			if dotted {
				s = resolve(s.Properties[sub])
			}
			cv, err := fromCell(v.(string), s)
			if err != nil {
				errs = append(errs, apperr.FieldError{Field: name, Message: err.Error()})
				continue
			}
			if cv == nil {
				continue
			}
			if dotted {
				obj, _ := doc[top].(map[string]any)
				if obj == nil {
					obj = map[string]any{}
					doc[top] = obj
				}
				obj[sub] = cv
				continue
			}
			v = cv
		}
		if v = dropNulls(v); v != nil {
			doc[top] = pruneRepresented(v, resolve(p), resolve(rs.rep.Properties[top]))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := rs.create.VisitJSON(doc, openapi3.MultiErrors()); err != nil {
		return nil, schemaErrors(err)
	}
	return doc, nil
}

// pruneRepresented removes, inside a member, what only the representation has (a result
// indicator's computed progress), so nested computed members import back as the top-level
// ones do.
func pruneRepresented(v any, create, rep *openapi3.Schema) any {
	if rep == nil || rep.Type == nil {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			c, inCreate := create.Properties[k]
			r, inRep := rep.Properties[k]
			switch {
			case !inCreate && inRep:
				delete(v, k)
			case inCreate && inRep:
				v[k] = pruneRepresented(e, resolve(c), resolve(r))
			}
		}
	case []any:
		if create.Items == nil || rep.Items == nil {
			return v
		}
		for i, e := range v {
			v[i] = pruneRepresented(e, resolve(create.Items), resolve(rep.Items))
		}
	}
	return v
}

// dropNulls removes null members from objects, recursively; a null itself becomes nil.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e = dropNulls(e); e == nil {
				delete(v, k)
			} else {
				v[k] = e
			}
		}
	case []any:
		for i, e := range v {
			v[i] = dropNulls(e)
		}
	}
	return v
}

// fromCell types one CSV cell by its schema; "" is absent (nil).
func fromCell(c string, s *openapi3.Schema) (any, error) {
	if c == "" {
		return nil, nil
	}
	switch {
	case isType(s, "integer"), isType(s, "number"):
		t := strings.TrimSpace(c)
		if _, err := strconv.ParseFloat(t, 64); err != nil {
			return nil, errors.New("must be a number")
		}
		return json.Number(t), nil
	case isType(s, "boolean"):
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, errors.New(`must be "true" or "false"`)
	case isType(s, "array"):
		if strings.HasPrefix(strings.TrimSpace(c), "[") {
			return jsonCell(c, "a JSON array")
		}
		v, err := fromCell(c, resolve(s.Items))
		if err != nil {
			return nil, err
		}
		return []any{v}, nil
	case isType(s, "object"):
		return jsonCell(c, "a JSON object")
	}
	return c, nil
}

func jsonCell(c, what string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(c))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, errors.New("must be " + what)
	}
	return v, nil
}

// schemaErrors names the members a schema check refused, with its reasons.
func schemaErrors(err error) []apperr.FieldError {
	var all []error
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		all = multi
	} else {
		all = []error{err}
	}
	var out []apperr.FieldError
	for _, e := range all {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			out = append(out, apperr.FieldError{Message: e.Error()})
			continue
		}
		field := strings.Join(se.JSONPointer(), ".")
		msg := se.Reason
		if se.SchemaField == "required" {
			// kin-openapi names the missing member in the reason.
			if name, ok := strings.CutPrefix(msg, "property \""); ok {
				name, _, _ = strings.Cut(name, "\"")
				// Some kin-openapi versions point at the object, others (v0.152) at the member.
				if p := se.JSONPointer(); len(p) == 0 || p[len(p)-1] != name {
					field = strings.TrimPrefix(field+"."+name, ".")
				}
				msg = "is required"
			}
		}
		out = append(out, apperr.FieldError{Field: field, Message: msg})
	}
	return out
}
