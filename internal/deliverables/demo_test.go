package deliverables_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// The demo data holds the action's six deliverables of seed 000, each marked demo, owned by the
// ASN or one of its units, due within the action, brought to its status through the workflow,
// and linked to the demo records it draws on.
func TestDeliverableDemoData(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	if _, err := demo.Load(context.Background(), env.DB, env.App.Institutions); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	w := &dlvWorld{env: env, admin: env.AdminToken(t)}
	res := env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables?order_by=code", Token: w.admin})
	var page struct {
		Items []dlvDeliverable `json:"items"`
	}
	res.Decode(t, &page)
	byCode := map[string]dlvDeliverable{}
	for _, d := range page.Items {
		byCode[d.Code] = d
	}
	var asnUnits []string
	if err := env.DB.Conn(context.Background()).Raw(`SELECT id::text FROM institutions WHERE code LIKE 'PE-MRE-DGPCA-ASN%'`).
		Scan(&asnUnits).Error; err != nil {
		t.Fatal(err)
	}
	var action []string
	if err := env.DB.Conn(context.Background()).Raw(`SELECT id::text FROM actions WHERE code = ?`, demo.PlanActionCode).
		Scan(&action).Error; err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		code, typ, status string
		transitions       int
		links             func(d dlvDeliverable) int
	}{
		{demo.DeliverableNeedsAssessment, "needs_assessment_report", "published", 4, func(d dlvDeliverable) int { return len(d.FunctionIDs) }},
		{demo.DeliverableStocktakingReport, "stocktaking_report", "approved", 3, func(d dlvDeliverable) int { return len(d.GapIDs) }},
		{demo.DeliverablePracticesReport, "practices_report", "published", 6, func(d dlvDeliverable) int { return len(d.PracticeIDs) }},
		{demo.DeliverableWorkshopReport, "event_report", "in_review", 2, func(d dlvDeliverable) int { return len(d.EventIDs) }},
		{demo.DeliverableMenuOfServices, "menu_of_services", "changes_requested", 3, func(d dlvDeliverable) int { return len(d.EventIDs) }},
		{demo.DeliverableBlueprint, "blueprint", "in_review", 2, func(d dlvDeliverable) int { return len(d.FunctionIDs) }},
	} {
		d, ok := byCode[c.code]
		if !ok {
			t.Errorf("no demo deliverable %s", c.code)
			continue
		}
		if d.Type != c.typ || d.Status != c.status || !d.Demo || d.Title.Es == nil || d.Title.En == nil || d.Description == nil {
			t.Errorf("%s: %+v", c.code, d)
		}
		if d.OwnerUnitID == nil || !slices.Contains(asnUnits, *d.OwnerUnitID) {
			t.Errorf("%s: owner %v is not the ASN or one of its units", c.code, d.OwnerUnitID)
		}
		if d.DueDate == nil || *d.DueDate < "2022-10-01" || *d.DueDate > "2023-07-31" {
			t.Errorf("%s: due %v, outside the action", c.code, d.DueDate)
		}
		if len(action) != 1 || d.ActionID == nil || *d.ActionID != action[0] {
			t.Errorf("%s: not the action's (%v)", c.code, d.ActionID)
		}
		if c.links(d) == 0 {
			t.Errorf("%s: linked to nothing it draws on", c.code)
		}
		h := w.history(t, d.ID)
		if len(h) != c.transitions || h[len(h)-1].To != c.status || h[0].From != "planned" {
			t.Errorf("%s: history %+v", c.code, h)
		}
		for _, tr := range h {
			if tr.Comment == nil || !strings.HasPrefix(*tr.Comment, "Demo transition: ") {
				t.Errorf("%s: transition %+v not marked demo", c.code, tr)
			}
		}
		// Past its due date and not approved: overdue, as the timeline shows.
		if want := c.status != "approved" && c.status != "published"; d.Overdue != want {
			t.Errorf("%s: overdue %v", c.code, d.Overdue)
		}
	}
	if len(page.Items) != 6 {
		t.Errorf("%d demo deliverables", len(page.Items))
	}

	// The stocktaking report has its Markdown document, reviewed and approved citing the review.
	st := byCode[demo.DeliverableStocktakingReport]
	if st.LatestVersion == nil || st.LatestVersion.MediaType != "text/markdown" || st.LatestVersion.Number != 1 {
		t.Fatalf("stocktaking report document: %+v", st.LatestVersion)
	}
	res = w.download(t, st.ID, st.LatestVersion.ID, nil)
	if res.Status != http.StatusOK || !strings.HasPrefix(string(res.Body), "# Stocktaking report") {
		t.Errorf("document: %d %.80s", res.Status, res.Body)
	}
	h := w.history(t, st.ID)
	res = env.Do(t, apitest.Request{Method: http.MethodGet, Path: "/v1/deliverables/" + st.ID + "/reviews", Token: w.admin})
	var reviews struct {
		Items []dlvReview `json:"items"`
	}
	res.Decode(t, &reviews)
	if len(reviews.Items) != 1 || reviews.Items[0].Verdict != "approve" || reviews.Items[0].VersionID == nil ||
		*reviews.Items[0].VersionID != st.LatestVersion.ID || h[len(h)-1].ReviewID == nil || *h[len(h)-1].ReviewID != reviews.Items[0].ID {
		t.Errorf("stocktaking review %+v, last move %+v", reviews.Items, h[len(h)-1])
	}
}
