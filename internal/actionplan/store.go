package actionplan

import (
	"github.com/puente-mre/puente/internal/paging"
	"github.com/puente-mre/puente/internal/records"
)

// Page is what every list of the plan takes besides its own filters.
type Page = records.Page

// Meta is what every stored record of the plan carries besides its fields.
type Meta = records.Meta

// planOrders are the orders of the lists with a start date.
var planOrders = paging.Orders{
	"start_date": {Field: "start_date", Column: "start_date", Type: "date"},
	"code":       {Field: "code", Column: "code", Type: "text"},
	"created_at": {Field: "created_at", Column: "created_at", Type: "timestamptz"},
}
