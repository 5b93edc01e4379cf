package app_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/puente-mre/puente/internal/apitest"
)

// Every importable resource's export of the demo data imports back with every row unchanged, in
// NDJSON and in CSV, and a dry run and a commit of it leave the database as it was. This holds
// the adapters to the promise that one set of rules reads what the API writes.
func TestDemoDataExportsImportBackUnchanged(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config()
	cfg.DemoData = true
	env := apitest.NewWith(t, cfg)
	if err := env.App.Bootstrap(context.Background(), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	admin := env.AdminToken(t)
	var scenario string
	if err := env.DB.Conn(context.Background()).Raw(`SELECT id::text FROM mandate_scenarios ORDER BY code LIMIT 1`).Scan(&scenario).Error; err != nil || scenario == "" {
		t.Fatalf("no demo scenario: %v", err)
	}
	resources := []string{"institutions", "legal-instruments", "functions", "mandate-scenarios", "mandate-assignments",
		"data-sources", "indicators", "observations", "data-gaps", "practices", "events", "consultation-inputs", "services",
		"actions", "results", "activities", "deliverables", "blueprints", "blueprint-chapters", "blueprint-articles",
		"coordination-bodies", "coordination-memberships", "coordination-sessions", "work-plans", "agreements",
		"mgi-indicators", "mgi-assessments", "mgi-answers", "mgi-findings", "service-points"}
	before := env.Fingerprint(t)
	for _, r := range resources {
		for _, format := range []string{"ndjson", "csv"} {
			path := "/v1/exports/" + r + "?format=" + format
			if r == "mandate-assignments" {
				path += "&scenario_id=" + scenario
			}
			exp := env.Do(t, apitest.Request{Method: http.MethodGet, Path: path, Token: admin})
			if exp.Status != http.StatusOK || len(exp.Body) == 0 {
				t.Fatalf("%s %s: %d %s", r, format, exp.Status, exp.Body)
			}
			ct := map[string]string{"ndjson": "application/x-ndjson", "csv": "text/csv"}[format]
			key := ""
			if r == "consultation-inputs" { // demo inputs have no external id
				key = "&key=id"
			}
			for _, mode := range []string{"validate", "commit"} {
				res := env.Do(t, apitest.Request{Method: http.MethodPost, Path: "/v1/imports?resource=" + r + "&mode=" + mode + key,
					Token: admin, Body: exp.Body, ContentType: ct, Header: map[string]string{"Prefer": "wait=30"}})
				job := res.JSON(t)
				rep, _ := job["report"].(map[string]any)
				if res.Status != http.StatusCreated || job["status"] != "succeeded" || rep["unchanged"] == 0.0 ||
					rep["created"] != 0.0 || rep["updated"] != 0.0 || rep["failed"] != 0.0 {
					t.Errorf("%s as %s, %s: %d %v %v", r, format, mode, res.Status, job["status"], rep)
				}
			}
		}
	}
	// Nothing changed but the jobs and their audit events.
	after := env.Fingerprint(t)
	for table, fp := range before {
		if table == "import_jobs" || table == "audit_events" {
			continue
		}
		if after[table] != fp {
			t.Errorf("table %s changed", table)
		}
	}
}
