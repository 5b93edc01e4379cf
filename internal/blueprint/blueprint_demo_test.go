package blueprint_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// The demo blueprint: ASN-BLUEPRINT, a demo draft linked to DLV-BLUEPRINT, five chapters of bilingual articles that regulate demo functions and ASN's
// units, a co-drafting discussion with a resolved thread, and one pending suggestion.
func TestBlueprintDemo(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	if err := env.App.Bootstrap(t.Context(), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	viewer := env.Token(t, apitest.Caller{Roles: nil, Scopes: []string{"deliverables:read"}})
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/blueprints?code=" + demo.BlueprintDemoCode, Token: viewer})
	items := res.JSON(t)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("demo blueprints: %s", res.Body)
	}
	id := items[0].(map[string]any)["id"].(string)
	o := bptGetOutline(t, env, viewer, id)
	if !o.Blueprint.Demo || !strings.Contains(o.Blueprint.Title.En, "demo draft") || !strings.Contains(o.Blueprint.Title.Es, "demostración") {
		t.Errorf("blueprint: %+v", o.Blueprint)
	}
	var deliverable []string
	env.DB.Conn(t.Context()).Raw(`SELECT id::text FROM deliverables WHERE code = ?`, demo.BlueprintDemoDeliverable).Scan(&deliverable)
	if len(deliverable) != 1 || o.Blueprint.DeliverableID == nil || *o.Blueprint.DeliverableID != deliverable[0] {
		t.Errorf("not linked to %s: %v", demo.BlueprintDemoDeliverable, o.Blueprint.DeliverableID)
	}
	bptShape(t, o)
	articles, linked := 0, 0
	for i, c := range o.Chapters {
		if c.Number != demo.BlueprintChapters[i].Number {
			t.Errorf("chapter %d is %s", i, c.Number)
		}
		for _, a := range c.Articles {
			articles++
			if a.Text.Es == nil || a.Text.En == nil {
				t.Errorf("article %s is not bilingual", a.Number)
			}
			if len(a.FunctionIDs) > 0 {
				linked++
			}
		}
	}
	if len(o.Chapters) != 5 || articles < 12 || linked < 8 {
		t.Errorf("%d chapters, %d articles, %d linked to functions", len(o.Chapters), articles, linked)
	}
	var regulated struct{ F01, PIM int }
	err := env.DB.Conn(t.Context()).Raw(`SELECT
    count(*) FILTER (WHERE a.number = '8' AND (SELECT id FROM functions WHERE code = 'F-ASN-01') = ANY(a.function_ids)) AS f01,
    count(*) FILTER (WHERE (SELECT id FROM institutions WHERE code = 'PE-MRE-DGPCA-ASN-PIM') = ANY(a.unit_ids)) AS pim
FROM blueprint_articles a`).Scan(&regulated).Error
	if err != nil || regulated.F01 != 1 || regulated.PIM < 3 {
		t.Errorf("article 8 regulating F-ASN-01: %d; articles regulating PIM: %d (%v)", regulated.F01, regulated.PIM, err)
	}
	if n := env.Count(t, "blueprint_comments", "true"); n != int64(len(demo.BlueprintComments)) {
		t.Errorf("%d demo comments", n)
	}
	if n := env.Count(t, "blueprint_comments", "parent_id IS NULL AND resolved"); n != 1 {
		t.Errorf("%d resolved demo threads", n)
	}
	if n := env.Count(t, "blueprint_suggestions", "status = 'pending' AND base_version = 1"); n != 1 {
		t.Errorf("%d pending demo suggestions", n)
	}
}
