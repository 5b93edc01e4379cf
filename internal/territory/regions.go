package territory

import (
	"context"
	"fmt"
	"slices"

	"github.com/puente-mre/puente/api"
)

// Region is one of Peru's 25 regions (departments) by its INEI UBIGEO department code.
type Region struct {
	Code string
	Name string // its official name, in Spanish
}

// Regions are Peru's regions by their INEI UBIGEO department codes, 01 to 25, in code order:
// the code list every region of the API (service points, regional round tables, the
// observations' regions of origin) is one of. Callao (07) is the Constitutional Province, a
// region of its own; Lima (15) is the department, Lima Metropolitana included.
var Regions = []Region{
	{"01", "Amazonas"}, {"02", "Áncash"}, {"03", "Apurímac"}, {"04", "Arequipa"}, {"05", "Ayacucho"},
	{"06", "Cajamarca"}, {"07", "Callao"}, {"08", "Cusco"}, {"09", "Huancavelica"}, {"10", "Huánuco"},
	{"11", "Ica"}, {"12", "Junín"}, {"13", "La Libertad"}, {"14", "Lambayeque"}, {"15", "Lima"},
	{"16", "Loreto"}, {"17", "Madre de Dios"}, {"18", "Moquegua"}, {"19", "Pasco"}, {"20", "Piura"},
	{"21", "Puno"}, {"22", "San Martín"}, {"23", "Tacna"}, {"24", "Tumbes"}, {"25", "Ucayali"},
}

// IsRegion says whether code is a region's code.
func IsRegion(code string) bool {
	return slices.ContainsFunc(Regions, func(r Region) bool { return r.Code == code })
}

// RegionName is the official name of region code, or "" for no region.
func RegionName(code string) string {
	if i := slices.IndexFunc(Regions, func(r Region) bool { return r.Code == code }); i >= 0 {
		return Regions[i].Name
	}
	return ""
}

// RegionCount is what a region holds: its active regional round tables (coordination bodies of
// kind regional_round_table, status active, not archived) and its active (not archived) service
// points.
type RegionCount struct {
	Region        string
	RoundTables   int
	ServicePoints int
}

// regionCounts counts both per region in one statement (each side read through its region
// index); regions with neither are absent.
const regionCounts = `
SELECT region, count(*) FILTER (WHERE round_table) AS round_tables, count(*) FILTER (WHERE NOT round_table) AS service_points
FROM (
	SELECT region, true AS round_table FROM coordination_bodies
	WHERE kind = 'regional_round_table' AND status = 'active' AND archived_at IS NULL AND region IS NOT NULL
	UNION ALL
	SELECT region, false FROM service_points WHERE archived_at IS NULL
) x
GROUP BY region`

// CountRegions returns every region, in code order, with what it holds, in one statement.
func (h *Handlers) CountRegions(ctx context.Context) ([]RegionCount, error) {
	var rows []RegionCount
	if err := h.db.Conn(ctx).Raw(regionCounts).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count regions: %w", err)
	}
	out := make([]RegionCount, len(Regions))
	for i, r := range Regions {
		out[i].Region = r.Code
		if j := slices.IndexFunc(rows, func(c RegionCount) bool { return c.Region == r.Code }); j >= 0 {
			out[i] = rows[j]
		}
	}
	return out, nil
}

// ListRegions lists Peru's 25 regions by code, each with its active regional round tables and
// service points.
func (h *Handlers) ListRegions(ctx context.Context, _ api.ListRegionsRequestObject) (api.ListRegionsResponseObject, error) {
	counts, err := h.CountRegions(ctx)
	if err != nil {
		return nil, err
	}
	out := api.RegionList{Items: make([]api.Region, len(counts))}
	for i, c := range counts {
		out.Items[i] = api.Region{Code: c.Region, Name: RegionName(c.Region), RoundTables: c.RoundTables, ServicePoints: c.ServicePoints}
	}
	return api.ListRegions200JSONResponse(out), nil
}
