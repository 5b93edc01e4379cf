package coordination_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// Memberships: who sits where, in which role, from when to when; current and active_on say
// whether one holds today or on a date, and the body counts those that hold today.
func TestCoordinationMembershipLifecycle(t *testing.T) {
	t.Parallel()
	e := crdNew(t)
	body := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-MESA", "kind": "commission", "name": crdName("Mesa", "Table")})["id"].(string)
	other := e.create(t, "/v1/coordination-bodies", map[string]any{"code": "T-OTRA", "kind": "commission", "name": crdName("Otra", "Other")})["id"].(string)
	mre, mig := e.institution(t, "T-MRE"), e.institution(t, "T-MIG")
	president := e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": body, "institution_id": mre, "role": "president",
		"from_date": "2011-01-01", "notes": "Preside"})
	if president["current"] != true || president["to_date"] != nil {
		t.Errorf("created: %v", president)
	}
	past := e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": body, "institution_id": mig, "role": "observer",
		"from_date": "2012-01-01", "to_date": "2013-12-31", "notes": "Observa la gestión migratoria"})
	if past["current"] != false {
		t.Errorf("a membership that ended is current: %v", past)
	}
	future := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": body, "institution_id": mig, "role": "member", "from_date": future})
	e.create(t, "/v1/coordination-memberships", map[string]any{"body_id": other, "institution_id": mig, "role": "member", "from_date": "2015-01-01",
		"notes": "Gestión Migratoria regional"})

	if got := e.do(t, http.MethodGet, "/v1/coordination-bodies/"+body, nil, nil).JSON(t)["members"]; got != 1.0 {
		t.Errorf("members today: %v", got)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"body_id=" + body, []string{"president", "observer", "member"}},
		{"body_id=" + body + "&active_on=2013-06-01", []string{"president", "observer"}},
		{"body_id=" + body + "&active_on=2014-01-01", []string{"president"}},
		{"institution_id=" + mig + "&order_by=-from_date", []string{"member", "member", "observer"}},
		{"role=observer&role=president", []string{"president", "observer"}},
		{"q=gestion", []string{"observer", "member"}},                                  // the notes, accents optional
		{"q=" + url.QueryEscape("MIGRATORIA gestión"), []string{"observer", "member"}}, // every word, any case
		{"q=gestion&body_id=" + other, []string{"member"}},                             // with another filter
		{"q=gestion&active_on=2013-06-01", []string{"observer"}},                       // with another filter
		{"q=presid&role=president", []string{"president"}},                             // words are prefixes
		{"q=presid&role=member", []string{}},                                           // both must hold
		{"q=" + url.QueryEscape("inexistente"), []string{}},                            // nothing matches
	} {
		if got := e.field(t, "/v1/coordination-memberships?"+c.query, "role"); !slices.Equal(got, c.want) {
			t.Errorf("?%s: %v, want %v", c.query, got, c.want)
		}
	}

	// A q that matches nothing is an empty page, not an error.
	if items, next := e.items(t, "/v1/coordination-memberships?q=inexistente"); items == nil || len(items) != 0 || next != "" {
		t.Errorf("no match: %v %q", items, next)
	}

	id := past["id"].(string)
	res := e.do(t, http.MethodPatch, "/v1/coordination-memberships/"+id, `{"to_date":null}`, map[string]string{"If-Match": `"1"`})
	if res.Status != http.StatusOK || res.JSON(t)["current"] != true || res.Header.Get("ETag") != `"2"` {
		t.Errorf("reopen: %d %s", res.Status, res.Body)
	}
	p := e.refused(t, http.MethodPatch, "/v1/coordination-memberships/"+id, `{"to_date":"2011-12-31"}`, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "to_date")
	e.refused(t, http.MethodPatch, "/v1/coordination-memberships/"+id, `{"notes":"x"}`, map[string]string{"If-Match": `"1"`}, http.StatusPreconditionFailed)
	p = e.refused(t, http.MethodPost, "/v1/coordination-memberships", map[string]any{"body_id": body, "institution_id": mre,
		"role": "president", "from_date": "2011-01-01"}, nil, http.StatusConflict)
	wantField(t, p, "from_date")
	p = e.refused(t, http.MethodPost, "/v1/coordination-memberships", map[string]any{"body_id": body,
		"institution_id": "01a23289-0000-7000-8000-000000000000", "role": "member", "from_date": "2011-01-01"}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "institution_id")
	p = e.refused(t, http.MethodPost, "/v1/coordination-memberships", map[string]any{"body_id": "01a23289-0000-7000-8000-000000000000",
		"institution_id": mre, "role": "member", "from_date": "2011-01-01"}, nil, http.StatusUnprocessableEntity)
	wantField(t, p, "body_id")
	e.refused(t, http.MethodPost, "/v1/coordination-memberships", map[string]any{"body_id": body, "institution_id": mre,
		"role": "chair", "from_date": "2011-01-01"}, nil, http.StatusBadRequest)
	e.refused(t, http.MethodGet, "/v1/coordination-memberships?active_on=yesterday", nil, nil, http.StatusBadRequest)

	if res := e.do(t, http.MethodDelete, "/v1/coordination-memberships/"+president["id"].(string), nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	if got := e.do(t, http.MethodGet, "/v1/coordination-bodies/"+body, nil, nil).JSON(t)["members"]; got != 1.0 {
		t.Errorf("members after archiving the president and reopening the observer: %v", got)
	}
	if got := e.field(t, "/v1/coordination-memberships?include_archived=true&role=president", "role"); len(got) != 1 {
		t.Errorf("archived membership on request: %v", got)
	}
}
