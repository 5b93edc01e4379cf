package agreements_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
	"github.com/puente-mre/puente/internal/demo"
)

// On an empty database Bootstrap records the demo agreements of the MTIGM plenary, reached in its
// demo ordinary sessions, all marked demo and saying so, with their histories — so the follow-up
// answers what MIGRACIONES owes the MTIGM, and since when — and they export and import back
// unchanged.
func TestAgreementDemoData(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	if err := env.App.Bootstrap(context.Background(), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	admin := env.AdminToken(t)
	id := func(table, code string) string {
		var out string
		if err := env.DB.Conn(context.Background()).Raw("SELECT id::text FROM "+table+" WHERE code = ?", code).Scan(&out).Error; err != nil || out == "" {
			t.Fatalf("%s %s: %v", table, code, err)
		}
		return out
	}
	plenary, mig := id("coordination_bodies", demo.MTIGMPlenaryCode), id("institutions", "PE-MININTER-MIGRACIONES")

	var page struct {
		Items []agrAgreement `json:"items"`
	}
	env.Send(t, http.MethodGet, admin, "/v1/agreements?order_by=code&page_size=100&body_id="+plenary, nil, nil).Decode(t, &page)
	if len(page.Items) != len(demo.Agreements) {
		t.Fatalf("%d demo agreements of the plenary, want %d", len(page.Items), len(demo.Agreements))
	}
	statuses := map[string]int{}
	for i, a := range page.Items {
		d := demo.Agreements[i]
		statuses[a.Status]++
		if a.Code != d.Code || !a.Demo || !strings.HasSuffix(agrDeref(a.Text.Es), demo.AgreementDemoNoteES) ||
			!strings.HasSuffix(agrDeref(a.Text.En), demo.AgreementDemoNoteEN) || len(a.ResponsibleInstitutionIDs) != len(d.Responsible) {
			t.Errorf("agreement %s: %+v", d.Code, a)
		}
		// Reached in its ordinary session of the plenary, since that session's date.
		if n := env.Count(t, "coordination_sessions", "id = ? AND body_id = ? AND kind = 'ordinary' AND number = ? AND held_on = ?",
			agrDeref(a.SessionID), plenary, d.Session, a.Since); n != 1 {
			t.Errorf("agreement %s: not reached in ordinary session %d (since %s)", d.Code, d.Session, a.Since)
		}
		var hist struct {
			Items []agrTransition `json:"items"`
		}
		env.Send(t, http.MethodGet, admin, "/v1/agreements/"+a.ID+"/transitions", nil, nil).Decode(t, &hist)
		if len(hist.Items) != len(d.Moves) {
			t.Errorf("agreement %s: %d moves, want %d", d.Code, len(hist.Items), len(d.Moves))
		}
		for j, h := range hist.Items {
			if h.To != d.Moves[j][0] || !strings.HasPrefix(agrDeref(h.Note), demo.AgreementMoveNote) {
				t.Errorf("agreement %s: move %d %+v", d.Code, j, h)
			}
		}
	}
	if statuses["done"] < 2 || statuses["overdue"] < 2 || statuses["in_progress"] < 1 {
		t.Errorf("demo statuses %v: want some done, some overdue, one standing", statuses)
	}

	// What MIGRACIONES owes the MTIGM, and since when, in one call.
	fu := agrFollow(t, env, admin, "institution_id="+mig)
	if len(fu.Groups) != 1 || fu.Groups[0].InstitutionCode != "PE-MININTER-MIGRACIONES" || fu.Groups[0].Overdue < 2 ||
		fu.Groups[0].Done < 1 || fu.Groups[0].OldestOpenSince == nil || len(fu.Groups[0].Items) != fu.Groups[0].Open {
		t.Fatalf("MIGRACIONES' follow-up: %+v", fu.Groups)
	}
	items := fu.Groups[0].Items
	if items[0].Status != "overdue" || !slices.IsSortedFunc(items, func(x, y agrItem) int {
		return agrDeref(y.OverdueDays) - agrDeref(x.OverdueDays)
	}) {
		t.Errorf("MIGRACIONES' items are not most overdue first: %+v", items)
	}
	// And what everyone owes the MTIGM, through its bodies: MIGRACIONES owes the most.
	fu = agrFollow(t, env, admin, "body_id="+id("coordination_bodies", demo.MTIGMCode))
	if len(fu.Groups) < 4 || fu.Groups[0].InstitutionCode != "PE-MININTER-MIGRACIONES" {
		t.Errorf("the MTIGM's follow-up: %v", agrGroups(fu))
	}

	// Through the service, by the system: audited.
	moves := 0
	for _, d := range demo.Agreements {
		moves += len(d.Moves)
	}
	for action, n := range map[string]int{"agreement.create": len(demo.Agreements), "agreement.transition": moves} {
		if got := env.Count(t, "audit_events", "action = ? AND actor_kind = 'system'", action); got != int64(n) {
			t.Errorf("%d %s audit events, want %d", got, action, n)
		}
	}
	env.RoundTrip(t, admin, "agreements", "", "agreements", int64(len(demo.Agreements)), "key=id")
}
