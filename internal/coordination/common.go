package coordination

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
)

// Page is what every list of the area takes besides its own filters.
type Page = records.Page

// Meta is what every stored record of the area carries besides its fields.
type Meta = records.Meta

// Text is a text in Spanish and English, either of which may be missing. Its JSON form is the
// API's and the stored one (agenda items, objectives, activity titles).
type Text struct {
	ES *string `json:"es,omitempty"`
	EN *string `json:"en,omitempty"`
}

func (t Text) empty() bool { return blank(t.ES) && blank(t.EN) }

func blank(s *string) bool { return s == nil || *s == "" }

func textOf(t api.LocalizedText) Text { return Text{ES: t.Es, EN: t.En} }

func longTextOf(t *api.LongLocalizedText) Text {
	if t == nil {
		return Text{}
	}
	return Text{ES: t.Es, EN: t.En}
}

func (t Text) api() api.LocalizedText { return api.LocalizedText{Es: t.ES, En: t.EN} }

// long is the API form of an optional long text: absent when neither language is given.
func (t Text) long() *api.LongLocalizedText {
	if t.ES == nil && t.EN == nil {
		return nil
	}
	return &api.LongLocalizedText{Es: t.ES, En: t.EN}
}

func textsOf(in *[]api.LocalizedText) []Text {
	out := []Text{}
	if in != nil {
		for _, t := range *in {
			out = append(out, textOf(t))
		}
	}
	return out
}

func textsAPI(in []Text) *[]api.LocalizedText {
	out := make([]api.LocalizedText, len(in))
	for i, t := range in {
		out[i] = t.api()
	}
	return &out
}

// day is t's calendar date at midnight UTC, as a date column stores it.
func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

func dayPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	return new(day(*t))
}

func apiDate(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

func apiDatePtr(t *time.Time) *openapi_types.Date {
	if t == nil {
		return nil
	}
	return &openapi_types.Date{Time: *t}
}

func datePtr(d *openapi_types.Date) *time.Time {
	if d == nil {
		return nil
	}
	return new(day(d.Time))
}

// today is the current date in UTC, the database sessions' time zone.
func today() time.Time { return day(time.Now().UTC()) }

// invalid starts the error a Validate fills with one field error per broken rule.
func invalid(what string) *apperr.Error {
	return apperr.New(apperr.Unprocessable, "the %s is not valid", what)
}

// done returns e when it has field errors, else nil.
func done(e *apperr.Error) error {
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// pageOf reads the query parameters every list of the area has.
func pageOf[O ~string](size *int, token *string, archived *bool, codes *[]string, order *O) Page {
	p := Page{PageSize: paging.Size(size)}
	if token != nil {
		p.PageToken = *token
	}
	if archived != nil {
		p.IncludeArchived = *archived
	}
	if codes != nil {
		p.Codes = *codes
	}
	if order != nil {
		p.OrderBy = string(*order)
	}
	return p
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
