package mgi

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/puente-mre/puente/api"
	"github.com/puente-mre/puente/internal/apperr"
	"github.com/puente-mre/puente/internal/database"
)

// frameworkFile is the framework Puente ships: NDJSON in the import row format of resource
// mgi-indicators (one MgiIndicatorCreate per line). It holds the six domains' topics that IOM's
// Peru 2019 profile names (seed 002), not IOM's roughly 90 indicators in their official wording,
// which the seeds do not give: every text says so. An admin loads or replaces the framework with
// `puentectl import mgi-indicators.ndjson --resource mgi-indicators`.
//
//go:embed data/mgi-indicators.ndjson
var frameworkFile []byte

// FrameworkFile returns the framework file Puente ships.
func FrameworkFile() []byte { return bytes.Clone(frameworkFile) }

// LoadFramework creates the indicators of the shipped framework file through the indicator
// service, each line decoded into the create body and converted as the import adapter's Prepare
// does (the same converter and Validate), marked demo when demo is set, and returns how many it
// created. A line that is not a create body (an unknown member, a wrong type) is refused as the
// importer's schema check would refuse it.
//
// Errors: Invalid (a line does not decode), and whatever the service's Create returns.
func LoadFramework(ctx context.Context, db *database.DB, demo bool) (int, error) {
	svc := NewIndicatorService(db)
	sc := bufio.NewScanner(bytes.NewReader(frameworkFile))
	n := 0
	for line := 1; sc.Scan(); line++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var in api.MgiIndicatorCreate
		if err := dec.Decode(&in); err != nil {
			return n, apperr.Wrap(err, apperr.Invalid, "MGI framework line %d does not decode", line)
		}
		f := indicatorFromAPI(in)
		f.Demo = demo
		if _, err := svc.Create(ctx, f); err != nil {
			return n, fmt.Errorf("MGI framework line %d (%s): %w", line, in.Code, err)
		}
		n++
	}
	return n, sc.Err()
}
