package paging

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Order is the sort of a keyset-paged list: a column (or expression) with its SQL type,
// ascending or descending, always broken by id.
type Order struct {
	Field  string // the order_by name, without "-"
	Column string // SQL column or expression, never NULL (coalesce nullable columns)
	Type   string // SQL type the cursor value is cast to: text, timestamptz, date
	Desc   bool
}

// Orders maps order_by names to their columns.
type Orders map[string]Order

// Parse reads an order_by value such as "-created_at"; unknown or empty values give def.
func (os Orders) Parse(orderBy, def string) Order {
	desc := strings.HasPrefix(orderBy, "-")
	o, ok := os[strings.TrimPrefix(orderBy, "-")]
	if !ok {
		return os[def]
	}
	o.Desc = desc
	return o
}

func (o Order) name() string {
	if o.Desc {
		return "-" + o.Field
	}
	return o.Field
}

type position struct {
	Value any       `json:"v"`
	ID    uuid.UUID `json:"i"`
}

// Page narrows q to the page after token, orders it and fetches up to size rows into T. It
// returns the rows and the next page's token ("" on the last page). value reads a row's sort
// value, id its id. Paging is keyset-based: rows inserted while a client pages neither repeat
// nor shift the pages it has not read.
//
// Errors: Invalid for a token from another list or order.
func Page[T any](q *gorm.DB, o Order, list, token string, size int, value func(T) any, id func(T) uuid.UUID) ([]T, string, error) {
	kind := list + ":" + o.name()
	cmp, dir := ">", "ASC"
	if o.Desc {
		cmp, dir = "<", "DESC"
	}
	if token != "" {
		var p position
		if err := Decode(token, kind, &p); err != nil {
			return nil, "", err
		}
		q = q.Where(fmt.Sprintf("(%s, id) %s (CAST(? AS %s), ?)", o.Column, cmp, o.Type), p.Value, p.ID)
	}
	var rows []T
	if err := q.Order(fmt.Sprintf("%s %s, id %s", o.Column, dir, dir)).Limit(size + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("list %s: %w", list, err)
	}
	if len(rows) <= size {
		return rows, "", nil
	}
	rows = rows[:size]
	last := rows[len(rows)-1]
	return rows, Encode(kind, position{Value: value(last), ID: id(last)}), nil
}
