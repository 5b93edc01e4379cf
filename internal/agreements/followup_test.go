package agreements_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actor"
	"github.com/puente-mre/puente/internal/agreements"
	"github.com/puente-mre/puente/internal/apitest"
)

// agrFollow reads the follow-up with query, expecting 200.
func agrFollow(t *testing.T, env *apitest.Env, token, query string) agrFollowUp {
	t.Helper()
	res := env.Send(t, http.MethodGet, token, "/v1/agreements/follow-up?"+query, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("follow-up %s: %d %s", query, res.Status, res.Body)
	}
	var out agrFollowUp
	res.Decode(t, &out)
	return out
}

// agrGroups summarises a follow-up: per group "CODE open/overdue/done since: item:status:days …".
func agrGroups(fu agrFollowUp) []string {
	var out []string
	for _, g := range fu.Groups {
		s := fmt.Sprintf("%s %d/%d/%d %s:", g.InstitutionCode, g.Open, g.Overdue, g.Done, agrDeref(g.OldestOpenSince))
		for _, it := range g.Items {
			s += fmt.Sprintf(" %s:%s:%d", it.Code, it.Status, agrDeref(it.OverdueDays))
		}
		out = append(out, s)
	}
	return out
}

func TestAgreementFollowUp(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mig, mre, mtpe := agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-MRE", nil), agrUnit(t, env, "PE-MTPE", nil)
	inei := agrUnit(t, env, "PE-INEI", nil)
	mtigm := agrBody(t, env, "PE-MTIGM", nil)
	plenary, st := agrBody(t, env, "PE-MTIGM-PLENO", &mtigm), agrBody(t, env, "PE-MTIGM-ST", &mtigm)
	sub := agrBody(t, env, "PE-MTIGM-ST-SG1", &st)
	other, empty := agrBody(t, env, "PE-OTRA-MESA", nil), agrBody(t, env, "PE-VACIA", nil)
	s3, s7 := agrSession(t, env, plenary, 3, "2013-05-01"), agrSession(t, env, plenary, 7, "2014-02-01")
	mk := func(code string, body uuid.UUID, session *uuid.UUID, due string, who ...uuid.UUID) string {
		b := agrBodyOf(code, body, who...)
		if session != nil {
			b["session_id"] = *session
		}
		if due != "" {
			b["due_on"] = due
		}
		return agrCreate(t, env, admin, b).ID
	}
	mk("P1", plenary, &s3, agrDay(-30), mig, mre)
	p2 := mk("P2", plenary, &s7, agrDay(-3), mig)
	mk("P3", plenary, &s7, agrDay(20), mig)
	p4 := mk("P4", plenary, &s3, agrDay(-100), mig)
	mk("S1", sub, nil, "", mtpe)
	mk("O1", other, nil, agrDay(-50), mig)
	d1 := mk("D1", st, nil, agrDay(-5), mre)
	agrMove(t, env, admin, d1, "done", nil, nil, http.StatusCreated)
	x1 := mk("X1", plenary, &s3, agrDay(-60), mig)
	agrMove(t, env, admin, p2, "in_progress", nil, nil, http.StatusCreated)
	agrMove(t, env, admin, p4, "done", nil, nil, http.StatusCreated)
	if res := env.Send(t, http.MethodDelete, admin, "/v1/agreements/"+x1, nil, nil); res.Status != http.StatusNoContent {
		t.Fatalf("archive: %d", res.Status)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	// A partner ministry reads what it owes.
	partner := agrToken(t, env, actor.Partner, &mig)

	for _, c := range []struct {
		query string
		want  []string
	}{
		// What MIGRACIONES owes, and since when: everywhere, most overdue first; done ones on request.
		{"institution_id=" + mig.String(), []string{"PE-MIGRACIONES 4/3/1 2013-05-01: O1:overdue:50 P1:overdue:30 P2:overdue:3 P3:pending:0"}},
		{"include_done=true&institution_id=" + mig.String(),
			[]string{"PE-MIGRACIONES 4/3/1 2013-05-01: O1:overdue:50 P1:overdue:30 P2:overdue:3 P3:pending:0 P4:done:0"}},
		// What everyone owes the MTIGM: its bodies and those below them, the most overdue first.
		{"body_id=" + mtigm.String(), []string{
			"PE-MIGRACIONES 3/2/1 2013-05-01: P1:overdue:30 P2:overdue:3 P3:pending:0",
			"PE-MRE 1/1/1 2013-05-01: P1:overdue:30",
			"PE-MTPE 1/0/0 " + today + ": S1:pending:0"}},
		// MRE has only done what it owed the secretariat: its group counts it, and shows it on request.
		{"body_id=" + st.String(), []string{"PE-MTPE 1/0/0 " + today + ": S1:pending:0", "PE-MRE 0/0/1 :"}},
		{"include_done=true&body_id=" + st.String(), []string{"PE-MTPE 1/0/0 " + today + ": S1:pending:0", "PE-MRE 0/0/1 : D1:done:0"}},
		{"body_id=" + plenary.String() + "&institution_id=" + mig.String(),
			[]string{"PE-MIGRACIONES 3/2/1 2013-05-01: P1:overdue:30 P2:overdue:3 P3:pending:0"}},
		// Owing nothing there: an empty group says so.
		{"body_id=" + plenary.String() + "&institution_id=" + mtpe.String(), []string{"PE-MTPE 0/0/0 :"}},
		{"institution_id=" + inei.String(), []string{"PE-INEI 0/0/0 :"}},
		{"body_id=" + empty.String(), nil},
		// items_per_group caps the items, most overdue first, never the counts.
		{"items_per_group=2&institution_id=" + mig.String(), []string{"PE-MIGRACIONES 4/3/1 2013-05-01: O1:overdue:50 P1:overdue:30"}},
		{"items_per_group=1&body_id=" + mtigm.String(), []string{
			"PE-MIGRACIONES 3/2/1 2013-05-01: P1:overdue:30",
			"PE-MRE 1/1/1 2013-05-01: P1:overdue:30",
			"PE-MTPE 1/0/0 " + today + ": S1:pending:0"}},
		// Done ones come after the open ones, so the cap leaves them out first.
		{"include_done=true&items_per_group=4&institution_id=" + mig.String(),
			[]string{"PE-MIGRACIONES 4/3/1 2013-05-01: O1:overdue:50 P1:overdue:30 P2:overdue:3 P3:pending:0"}},
		{"include_done=true&items_per_group=1000&institution_id=" + mig.String(),
			[]string{"PE-MIGRACIONES 4/3/1 2013-05-01: O1:overdue:50 P1:overdue:30 P2:overdue:3 P3:pending:0 P4:done:0"}},
		{"include_done=true&items_per_group=1&body_id=" + st.String(), []string{"PE-MTPE 1/0/0 " + today + ": S1:pending:0", "PE-MRE 0/0/1 : D1:done:0"}},
	} {
		fu := agrFollow(t, env, partner, c.query)
		if got := agrGroups(fu); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.query, got, c.want)
		}
		if fu.Today != today {
			t.Errorf("today %s", fu.Today)
		}
	}
	// The items carry what a reader needs: the body's code, the text, since, the due date.
	fu := agrFollow(t, env, admin, "institution_id="+mig.String())
	g := fu.Groups[0]
	if g.InstitutionID != mig.String() || agrDeref(g.InstitutionName.Es) != "Unidad PE-MIGRACIONES" {
		t.Errorf("group: %+v", g)
	}
	o1, p1 := g.Items[0], g.Items[1]
	if o1.BodyCode != "PE-OTRA-MESA" || o1.BodyID != other.String() || o1.Since != today || agrDeref(o1.DueOn) != agrDay(-50) ||
		agrDeref(o1.Text.Es) != "Acuerdo O1" || p1.BodyCode != "PE-MTIGM-PLENO" || p1.Since != "2013-05-01" {
		t.Errorf("items: %+v %+v", o1, p1)
	}

	before := env.Fingerprint(t)
	for q, status := range map[string]int{
		"":                                   400,
		"include_done=true":                  400,
		"institution_id=" + uuid.NewString(): 404,
		"body_id=" + uuid.NewString():        404,
		"body_id=" + mtigm.String() + "&institution_id=" + uuid.NewString(): 404,
		"institution_id=nope":                                 400,
		"items_per_group=0&institution_id=" + mig.String():    400,
		"items_per_group=1001&institution_id=" + mig.String(): 400,
		"items_per_group=many&institution_id=" + mig.String(): 400,
	} {
		apitest.Problem(t, env.Send(t, http.MethodGet, admin, "/v1/agreements/follow-up?"+q, nil, nil), status)
	}
	env.Unchanged(t, before)
}

// The follow-up costs two statements whatever the number of agreements: as many for a body with
// three as for one with two hundred, and the HTTP request no more either.
func TestAgreementFollowUpStatements(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	admin := env.AdminToken(t)
	mig, mre := agrUnit(t, env, "PE-MIGRACIONES", nil), agrUnit(t, env, "PE-MRE", nil)
	root := agrBody(t, env, "PE-MTIGM", nil)
	plenary := agrBody(t, env, "PE-MTIGM-PLENO", &root)
	svc := agreements.NewService(env.DB, env.App.Institutions)
	insert := func(from, to int) {
		t.Helper()
		for n := from; n <= to; n++ {
			s := agrSession(t, env, plenary, n, fmt.Sprintf("2014-01-%02d", 1+n%28))
			if err := env.DB.Conn(context.Background()).Exec(`INSERT INTO agreements (id, code, body_id, session_id, text_es,
				responsible_institution_ids, due_on, status, done_on) VALUES (?, ?, ?, ?, 'Acuerdo', ARRAY[?::uuid, ?::uuid],
				current_date + ?::int, ?, CASE WHEN ? = 'done' THEN current_date END)`,
				uuid.New(), fmt.Sprintf("AC-%03d", n), plenary, s, mig, mre, n%40-20, []string{"pending", "in_progress", "done"}[n%3],
				[]string{"pending", "in_progress", "done"}[n%3]).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func() (service, request int64) {
		t.Helper()
		for _, args := range []struct {
			inst, body *uuid.UUID
			items      int
		}{{&mig, nil, 1000}, {nil, &root, agreements.DefaultItemsPerGroup}, {&mre, &plenary, 3}} {
			n := env.DB.Queries()
			if _, err := svc.FollowUp(context.Background(), args.inst, args.body, true, args.items); err != nil {
				t.Fatal(err)
			}
			if d := env.DB.Queries() - n; d > service {
				service = d
			}
		}
		n := env.DB.Queries()
		agrFollow(t, env, admin, "include_done=true&body_id="+root.String())
		return service, env.DB.Queries() - n
	}
	insert(1, 3)
	small, smallReq := count()
	insert(4, 200)
	large, largeReq := count()
	if small > 2 || large != small || largeReq != smallReq {
		t.Errorf("statements: service %d with 3 agreements, %d with 200; request %d then %d", small, large, smallReq, largeReq)
	}
	all := agrFollow(t, env, admin, "include_done=true&items_per_group=1000&body_id="+root.String())
	if len(all.Groups) != 2 || all.Groups[0].Open+all.Groups[0].Done != 200 || len(all.Groups[0].Items) != 200 {
		t.Fatalf("large follow-up: %d groups", len(all.Groups))
	}
	// The default shows each group's first 20 and a cap its first n, in the same order, with the
	// same counts; overdue ones lead, open ones come before done ones.
	for _, c := range []struct {
		query string
		items int
	}{{"", agreements.DefaultItemsPerGroup}, {"&items_per_group=7", 7}, {"&items_per_group=200", 200}} {
		fu := agrFollow(t, env, admin, "include_done=true&body_id="+root.String()+c.query)
		for k, g := range fu.Groups {
			want := all.Groups[k]
			if g.InstitutionCode != want.InstitutionCode || g.Open != want.Open || g.Overdue != want.Overdue || g.Done != want.Done ||
				agrDeref(g.OldestOpenSince) != agrDeref(want.OldestOpenSince) {
				t.Errorf("%s: group %d is %s %d/%d/%d, want %s %d/%d/%d", c.query, k, g.InstitutionCode, g.Open, g.Overdue, g.Done,
					want.InstitutionCode, want.Open, want.Overdue, want.Done)
			}
			if !slices.EqualFunc(g.Items, want.Items[:c.items], func(a, b agrItem) bool { return a.AgreementID == b.AgreementID }) {
				t.Errorf("%s: group %s shows %d items, not the first %d in order", c.query, g.InstitutionCode, len(g.Items), c.items)
			}
		}
	}
	items := all.Groups[0].Items
	for i := 1; i < len(items); i++ {
		a, b := items[i-1], items[i]
		if (a.Status == "done" && b.Status != "done") || agrDeref(a.OverdueDays) < agrDeref(b.OverdueDays) && b.Status != "done" {
			t.Fatalf("order: %s (%s, %d days) before %s (%s, %d days)", a.Code, a.Status, agrDeref(a.OverdueDays), b.Code, b.Status,
				agrDeref(b.OverdueDays))
		}
	}
	if g := all.Groups[0]; g.Overdue == 0 || items[0].Status != "overdue" || items[g.Open-1].Status == "done" || items[g.Open].Status != "done" {
		t.Errorf("order: %d open, %d overdue, first %s, last open %s", g.Open, g.Overdue, items[0].Status, items[g.Open-1].Status)
	}
}
