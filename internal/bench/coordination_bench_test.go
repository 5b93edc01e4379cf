package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/puente-mre/puente/internal/agreements"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/testdb"
)

// The coordination read paths — the follow-up of agreements (what each institution owes), the
// agreements, sessions and bodies lists, the regions — on a generated coordination mechanism the
// size of ten-odd years of the MTIGM and its regional round tables, measured from a single client.
//
// The load, generated deterministically and loaded with COPY into the migrated schema (every
// index in place, generated search columns computed on the way in), then vacuumed and analysed:
//   - bodies: an MTIGM-like commission with six bodies directly below it (plenary, presidency,
//     technical secretariat, extended plenary, two support commissions), eight working groups
//     under the secretariat, two sub-groups under each and sub-groups under some of those (35
//     bodies, five levels), and 20 regional round tables (roots, one region each) with two working
//     groups each;
//   - 300 institutions: 80 national ones (ministries and agencies) and 11 regional ones per round
//     table's region;
//   - memberships: the commission's 22 members and 3 observers, each body's members, each round
//     table's regional institutions and a few national ones;
//   - 2,000 sessions spread over the bodies (by the same weights as the agreements) and the years
//     2011 to today, numbered per body and kind, each with its attendance (present or not,
//     delegates);
//   - 50,000 agreements, 90% reached in a session (since = its date), 10% recorded without one;
//     about 60% in the commission's tree (the plenary first), 40% in the round tables; each owed
//     by 1–3 institutions — national ones for the commission, by a Zipf law, so a few owe
//     thousands; mostly the region's own for a round table, a national one in a quarter of the
//     picks; 85% with a due date 1–18 months after they were reached; the older past their due
//     date the likelier done, so that many open ones are overdue; 0.5% archived.
//
// Scenarios: the follow-up for the institution that owes most, for the commission (its whole
// tree, items_per_group at its default) and for one round table (p95 target 100 ms); the first
// page of that institution's overdue agreements, of the sessions it attended, the root bodies
// and the regions (p95 target 50 ms). Every answer is checked against SQL before anything is
// timed.
const (
	coordNational      = 80
	coordRoundTables   = 20
	coordRegionalPer   = 11 // regional institutions per round table's region
	coordSessions      = 2_000
	coordAgreements    = 50_000
	coordItemsPerGroup = agreements.DefaultItemsPerGroup
	coordPageSize      = 50 // the lists' default
	coordWarmup        = 10
	coordMeasured      = 200
	coordTimeLimit     = 40 * time.Second // per scenario: the commission's follow-up needs most of it
	coordFollowTarget  = 100 * time.Millisecond
	coordListTarget    = 50 * time.Millisecond
)

// coordBody is one generated coordination body; weight is its share of sessions and agreements.
type coordBenchBody struct {
	id             pgtype.UUID
	code, kind     string
	parent         int // index, -1 for a root
	region         string
	weight         int
	table          int // the round table it belongs to, -1 in the commission's tree
	members        []int
	membersFrom    time.Time
	sessionsByKind map[string]int
}

// coordData is what loadCoordination generated, and what the checks and scenarios use.
type coordData struct {
	root, table  uuid.UUID // the commission, and the round table measured
	owesMost     uuid.UUID // the institution with most open agreements
	owesMostCode string
	agreements   int // live ones
	pairs        int // live (agreement, responsible institution) pairs
	open         int // of owesMost
	overdue      int // of owesMost
	sessions     int
}

func BenchmarkCoordination(b *testing.B) {
	quietLogs(b)
	ctx := context.Background()
	start := time.Now()
	db := testdb.New(b)
	data := loadCoordination(ctx, b, db)
	setup := time.Since(start)
	puente, token := startPuente(ctx, b, db)

	followInst := "/v1/agreements/follow-up?institution_id=" + data.owesMost.String()
	followRoot := "/v1/agreements/follow-up?body_id=" + data.root.String()
	followTable := "/v1/agreements/follow-up?body_id=" + data.table.String()
	overdue := "/v1/agreements?status=overdue&institution_id=" + data.owesMost.String()
	sessions := "/v1/coordination-sessions?institution_id=" + data.owesMost.String()
	scenarios := []scenario{
		{name: "follow-up-inst", path: func(int) string { return followInst }},
		{name: "follow-up-root", path: func(int) string { return followRoot }},
		{name: "follow-up-table", path: func(int) string { return followTable }},
		{name: "agreements-overdue", path: func(int) string { return overdue }},
		{name: "sessions-inst", path: func(int) string { return sessions }},
		{name: "bodies-root", path: func(int) string { return "/v1/coordination-bodies?root=true" }},
		{name: "regions", path: func(int) string { return "/v1/regions" }},
	}
	targets := map[string]time.Duration{"follow-up-inst": coordFollowTarget, "follow-up-root": coordFollowTarget,
		"follow-up-table": coordFollowTarget, "agreements-overdue": coordListTarget, "sessions-inst": coordListTarget,
		"bodies-root": coordListTarget, "regions": coordListTarget}

	items := checkCoordination(ctx, b, db, puente.URL, token, data)

	results := singleClient(b, puente.URL, token, scenarios, coordWarmup, coordMeasured, coordTimeLimit)

	fmt.Printf("\nCoordination read paths — %d agreements (%d owed pairs), %d sessions, %d bodies, %d institutions (setup %.1fs); "+
		"the institution owing most (%s) has %d open, %d overdue; follow-up items shown: inst %d, root %d, table %d; "+
		"one client, %d requests after %d warm-up; GOMAXPROCS %d\n",
		data.agreements, data.pairs, data.sessions, 35+3*coordRoundTables, coordNational+coordRoundTables*coordRegionalPer,
		setup.Seconds(), data.owesMostCode, data.open, data.overdue, items[0], items[1], items[2], coordMeasured, coordWarmup,
		runtime.GOMAXPROCS(0))
	printCoordination(scenarios, results, targets)
	fmt.Println()
}

// printCoordination prints one row per measured scenario, as printLatencies does, each against
// its own p95 target.
func printCoordination(scenarios []scenario, results map[string]latency, targets map[string]time.Duration) {
	fmt.Printf("%-20s %8s %8s %8s %8s %10s  %s\n", "", "p50 ms", "p95 ms", "p99 ms", "req/s", "body KB", "p95 target")
	for _, sc := range scenarios {
		r, ok := results[sc.name]
		if !ok {
			continue
		}
		target := targets[sc.name]
		verdict := fmt.Sprintf("< %d ms: PASS", target.Milliseconds())
		if r.p95 >= target {
			verdict = fmt.Sprintf("< %d ms: over", target.Milliseconds())
		}
		fmt.Printf("%-20s %8.1f %8.1f %8.1f %8.1f %10.1f  %s\n", sc.name, ms(r.p50), ms(r.p95), ms(r.p99), r.rps(),
			float64(r.bytes)/1024, verdict)
	}
}

// coordTopics are what agreements are about, in Spanish and English.
var coordTopics = [][2]string{
	{"la atención a peruanos retornados", "assistance to returning Peruvians"},
	{"el registro consular de connacionales", "the consular registration of nationals"},
	{"la prevención de la trata de personas", "the prevention of human trafficking"},
	{"la inserción laboral de migrantes", "the labour integration of migrants"},
	{"la regularización migratoria", "migration regularisation"},
	{"la protección de niñas, niños y adolescentes migrantes", "the protection of migrant children and adolescents"},
	{"el acceso a la salud de la población migrante", "migrants' access to health care"},
	{"la matrícula escolar de estudiantes extranjeros", "the school enrolment of foreign students"},
	{"las estadísticas de flujos migratorios", "migration flow statistics"},
	{"la vinculación con la diáspora", "diaspora engagement"},
}

var coordActions = [][2]string{
	{"Remitir a la Secretaría Técnica el informe de avance sobre %s, con los datos de %d.",
		"Send the Technical Secretariat the progress report on %s, with the data for %d."},
	{"Elaborar la propuesta de protocolo intersectorial sobre %s y presentarla en la sesión de %d.",
		"Draft the intersectoral protocol on %s and present it at the %d session."},
	{"Designar un punto focal para %s y comunicarlo antes del cierre de %d.",
		"Appoint a focal point for %s and report it before the end of %d."},
	{"Actualizar la ruta de atención sobre %s según lo acordado en %d.",
		"Update the service pathway on %s as agreed in %d."},
}

// loadCoordination generates the load described above and loads it with COPY.
func loadCoordination(ctx context.Context, b *testing.B, db *database.DB) coordData {
	b.Helper()
	rng := rand.New(rand.NewPCG(2011, 2026))
	id := func() pgtype.UUID { return pgtype.UUID{Bytes: uuid.Must(uuid.NewV7()), Valid: true} }
	copyRows := func(table string, cols []string, rows [][]any) {
		b.Helper()
		n, err := db.Pool.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			b.Fatalf("copy %s: %v", table, err)
		}
		if int(n) != len(rows) {
			b.Fatalf("copied %d rows into %s, want %d", n, table, len(rows))
		}
	}
	now := time.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	first := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int(today.Sub(first).Hours()/24) - 1
	days := func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

	// Institutions: 80 national, then 11 per round table's region.
	var insts []pgtype.UUID
	var rows [][]any
	for k := range coordNational {
		insts = append(insts, id())
		kind := "agency"
		if k%3 == 0 {
			kind = "ministry"
		}
		rows = append(rows, []any{insts[k], fmt.Sprintf("CB-N-%03d", k), fmt.Sprintf("Entidad nacional %d", k),
			fmt.Sprintf("National body %d", k), kind, "PE", "national"})
	}
	regions := make([]string, coordRoundTables)
	for t := range coordRoundTables {
		regions[t] = fmt.Sprintf("%02d", t+1+t/4) // 20 of the 25 regions, 01 to 25
		for k := range coordRegionalPer {
			insts = append(insts, id())
			rows = append(rows, []any{insts[len(insts)-1], fmt.Sprintf("CB-R-%s-%02d", regions[t], k),
				fmt.Sprintf("Entidad regional %s-%d", regions[t], k), fmt.Sprintf("Regional body %s-%d", regions[t], k),
				"other", "PE", "regional"})
		}
	}
	copyRows("institutions", []string{"id", "code", "name_es", "name_en", "kind", "country", "tier"}, rows)
	regional := func(t, k int) int { return coordNational + t*coordRegionalPer + k }

	// national picks a national institution by a Zipf law: the first owes about a fifth.
	zipf := make([]float64, coordNational)
	total := 0.0
	for k := range zipf {
		total += 1 / float64(k+1)
		zipf[k] = total
	}
	national := func() int {
		x := rng.Float64() * total
		k, _ := slices.BinarySearch(zipf, x)
		return min(k, coordNational-1)
	}
	// local picks one of round table t's regional institutions, the regional government first.
	local := func(t int) int {
		k := rng.IntN(coordRegionalPer + 4)
		if k >= coordRegionalPer {
			k = 0
		}
		return regional(t, k)
	}
	distinct := func(n int, pick func() int) []int {
		var out []int
		for len(out) < n {
			if k := pick(); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		return out
	}

	// Bodies: the commission's tree (weights in tenths), then the round tables.
	var bodies []*coordBenchBody
	add := func(code, kind string, parent, weight, table int, region string) int {
		bodies = append(bodies, &coordBenchBody{id: id(), code: code, kind: kind, parent: parent, weight: weight, table: table,
			region: region, sessionsByKind: map[string]int{}})
		return len(bodies) - 1
	}
	root := add("CB-MTIGM", "commission", -1, 20, -1, "")
	add("CB-MTIGM-PLENO", "plenary", root, 300, -1, "")
	add("CB-MTIGM-PRESIDENCIA", "presidency", root, 30, -1, "")
	st := add("CB-MTIGM-ST", "technical_secretariat", root, 120, -1, "")
	add("CB-MTIGM-PLENO-AMPLIADO", "extended_plenary", root, 40, -1, "")
	add("CB-MTIGM-CA-INST", "support_commission", root, 40, -1, "")
	add("CB-MTIGM-CA-SC", "support_commission", root, 40, -1, "")
	for g := 1; g <= 8; g++ {
		gt := add(fmt.Sprintf("CB-MTIGM-GT-%d", g), "working_group", st, 30, -1, "")
		for s := 1; s <= 2; s++ {
			sg := add(fmt.Sprintf("CB-MTIGM-GT-%d-SG-%d", g, s), "sub_group", gt, 10, -1, "")
			if g <= 2 && s == 1 {
				for d := 1; d <= 2; d++ {
					add(fmt.Sprintf("CB-MTIGM-GT-%d-SG-%d-%d", g, s, d), "sub_group", sg, 10, -1, "")
				}
			}
		}
	}
	if len(bodies) != 35 {
		b.Fatalf("%d bodies in the commission's tree, want 35", len(bodies))
	}
	tables := make([]int, coordRoundTables)
	for t, r := range regions {
		tables[t] = add("CB-MR-"+r, "regional_round_table", -1, 20, t, r)
		for g := 1; g <= 2; g++ {
			add(fmt.Sprintf("CB-MR-%s-GT-%d", r, g), "working_group", tables[t], 7, t, r)
		}
	}
	var weights []int
	wsum := 0
	rows = rows[:0]
	for _, x := range bodies {
		wsum += x.weight
		weights = append(weights, wsum)
		var parent, region any
		if x.parent >= 0 {
			parent = bodies[x.parent].id
		}
		if x.region != "" {
			region = x.region
		}
		// Members: national ones in the commission's tree, the region's own and two national
		// ones in a round table's.
		x.membersFrom = first.AddDate(0, rng.IntN(24), 0)
		switch {
		case x.table >= 0:
			for k := range coordRegionalPer {
				x.members = append(x.members, regional(x.table, k))
			}
			x.members = append(x.members, distinct(2, national)...)
		case x.kind == "commission" || x.kind == "plenary" || x.kind == "extended_plenary":
			x.members = distinct(25, func() int { return rng.IntN(40) })
		case x.kind == "presidency" || x.kind == "technical_secretariat":
			x.members = distinct(2, national)
		default:
			x.members = distinct(5+rng.IntN(8), national)
		}
		rows = append(rows, []any{x.id, x.code, "Órgano " + x.code, "Body " + x.code, x.kind, parent, region,
			"Mandato de " + x.code + ": coordinar la gestión migratoria intersectorial.", x.membersFrom})
	}
	copyRows("coordination_bodies", []string{"id", "code", "name_es", "name_en", "kind", "parent_id", "region", "mandate_es",
		"established_on"}, rows)
	pickBody := func() int {
		k, _ := slices.BinarySearch(weights, rng.IntN(wsum)+1)
		return k
	}

	// Memberships: each body's members since it was set up; the commission's last three are
	// observers, one member in ten left after some years.
	rows = rows[:0]
	for _, x := range bodies {
		for n, inst := range x.members {
			role := "member"
			switch {
			case x.kind == "commission" && n >= len(x.members)-3:
				role = "observer"
			case x.kind == "presidency" && n == 0:
				role = "president"
			case x.kind == "technical_secretariat" && n == 0:
				role = "technical_secretariat"
			}
			var to any
			if rng.IntN(10) == 0 {
				to = x.membersFrom.AddDate(2+rng.IntN(8), 0, 0)
			}
			rows = append(rows, []any{id(), x.id, insts[inst], role, x.membersFrom, to})
		}
	}
	copyRows("coordination_memberships", []string{"id", "body_id", "institution_id", "role", "from_date", "to_date"}, rows)

	// Sessions: spread over the bodies by weight and over the years, numbered per body and kind
	// in date order, with attendance.
	type session struct {
		id   pgtype.UUID
		body int
		held time.Time
	}
	sessions := make([]session, coordSessions)
	for k := range sessions {
		sessions[k] = session{id: id(), body: pickBody(), held: first.Add(days(rng.IntN(span)))}
	}
	slices.SortFunc(sessions, func(x, y session) int { return x.held.Compare(y.held) })
	type attendance struct {
		InstitutionID uuid.UUID `json:"institution_id"`
		Present       bool      `json:"present"`
		Delegates     int       `json:"delegates,omitempty"`
	}
	rows = rows[:0]
	for _, s := range sessions {
		x := bodies[s.body]
		kind := "ordinary"
		if r := rng.IntN(100); r < 8 {
			kind = "extraordinary"
		} else if r < 12 {
			kind = "extended"
		}
		x.sessionsByKind[kind]++
		var att []attendance
		for _, inst := range x.members {
			a := attendance{InstitutionID: insts[inst].Bytes, Present: rng.IntN(100) < 85}
			if a.Present {
				a.Delegates = 1 + rng.IntN(3)
			}
			att = append(att, a)
		}
		attJSON, err := json.Marshal(att)
		if err != nil {
			b.Fatal(err)
		}
		topic := coordTopics[rng.IntN(len(coordTopics))]
		agenda, err := json.Marshal([]map[string]string{{"title_es": "Informe sobre " + topic[0], "title_en": "Report on " + topic[1]},
			{"title_es": "Seguimiento de acuerdos", "title_en": "Follow-up of agreements"}})
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, []any{s.id, x.id, kind, x.sessionsByKind[kind], s.held, "Sede de " + x.code,
			json.RawMessage(agenda), json.RawMessage(attJSON)})
	}
	copyRows("coordination_sessions", []string{"id", "body_id", "kind", "number", "held_on", "place", "agenda", "attendance"}, rows)

	// Agreements.
	rows = rows[:0]
	for n := range coordAgreements {
		var body int
		var session, due, doneOn, archived any
		var since time.Time
		if rng.IntN(10) != 0 {
			s := sessions[rng.IntN(len(sessions))]
			body, since, session = s.body, s.held, s.id
		} else {
			body, since = pickBody(), first.Add(days(rng.IntN(span)))
		}
		x := bodies[body]
		created := since.Add(days(rng.IntN(5)) + time.Duration(8+rng.IntN(10))*time.Hour)
		if created.After(now) {
			created = now
		}
		who := 1
		if r := rng.IntN(100); r >= 85 {
			who = 3
		} else if r >= 50 {
			who = 2
		}
		var owed []int
		if x.table < 0 {
			owed = distinct(who, national)
		} else {
			owed = distinct(who, func() int {
				if rng.IntN(4) == 0 {
					return national()
				}
				return local(x.table)
			})
		}
		resp := make([]pgtype.UUID, len(owed))
		for k, i := range owed {
			resp[k] = insts[i]
		}
		// Status: done the likelier the longer past due; open ones past due are overdue.
		status := "pending"
		var dueOn time.Time
		hasDue := rng.IntN(100) < 85
		if hasDue {
			dueOn = since.Add(days(30 + rng.IntN(510)))
			due = dueOn
		}
		pDone := 0.1
		switch {
		case hasDue && dueOn.Before(today):
			pDone = math.Min(0.92, 0.40+0.07*today.Sub(dueOn).Hours()/24/365)
		case !hasDue:
			pDone = math.Min(0.8, 0.1+0.05*today.Sub(since).Hours()/24/365)
		}
		if rng.Float64() < pDone {
			status = "done"
			d := since.Add(days(5 + rng.IntN(400)))
			if d.After(today) {
				d = today
			}
			doneOn = d
		} else if rng.IntN(100) < 45 {
			status = "in_progress"
		}
		if rng.IntN(200) == 0 {
			archived = now
		}
		topic, action := coordTopics[rng.IntN(len(coordTopics))], coordActions[rng.IntN(len(coordActions))]
		rows = append(rows, []any{id(), fmt.Sprintf("%s-ACU-%05d", x.code, n), x.id, session,
			fmt.Sprintf(action[0], topic[0], since.Year()), fmt.Sprintf(action[1], topic[1], since.Year()),
			resp, due, status, doneOn, created, created, archived})
	}
	copyRows("agreements", []string{"id", "code", "body_id", "session_id", "text_es", "text_en", "responsible_institution_ids",
		"due_on", "status", "done_on", "created_at", "updated_at", "archived_at"}, rows)

	// As autovacuum would after a bulk load: statistics, hint bits and the visibility map.
	if _, err := db.Pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatalf("vacuum analyze: %v", err)
	}

	data := coordData{root: bodies[root].id.Bytes, table: bodies[tables[0]].id.Bytes, sessions: coordSessions}
	err := db.Pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(cardinality(responsible_institution_ids)), 0)
		FROM agreements WHERE archived_at IS NULL`).Scan(&data.agreements, &data.pairs)
	if err != nil {
		b.Fatal(err)
	}
	err = db.Pool.QueryRow(ctx, `SELECT u.inst, i.code, count(*), count(*) FILTER (WHERE a.due_on < current_date)
		FROM agreements a CROSS JOIN unnest(a.responsible_institution_ids) AS u(inst) JOIN institutions i ON i.id = u.inst
		WHERE a.archived_at IS NULL AND a.status <> 'done'
		GROUP BY u.inst, i.code ORDER BY count(*) DESC, i.code LIMIT 1`).Scan(&data.owesMost, &data.owesMostCode, &data.open, &data.overdue)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// coordGroup is a follow-up group as the API renders it, and as checkCoordination computes it.
type coordGroup struct {
	InstitutionCode string  `json:"institution_code"`
	Open            int     `json:"open"`
	Overdue         int     `json:"overdue"`
	Done            int     `json:"done"`
	OldestOpenSince *string `json:"oldest_open_since"`
	Items           []struct {
		Code string `json:"code"`
	} `json:"items"`
}

// checkCoordination makes sure each endpoint answers what the data holds before anything is
// measured: the follow-ups group for group, count for count and item for item against SQL that
// computes them another way, the lists page for page. It returns how many items each follow-up
// (institution, commission, round table) shows.
func checkCoordination(ctx context.Context, b *testing.B, db *database.DB, url, token string, data coordData) [3]int {
	b.Helper()
	get := func(path string, v any) { getJSON(b, url+path, token, v) }

	// The follow-ups. For an open agreement, "most overdue first, then the earliest due" is
	// simply the earliest due date first (no due date last); the counts cover every live
	// (agreement, responsible institution) pair of the scope.
	const tree = `a.body_id IN (WITH RECURSIVE t AS (SELECT id FROM coordination_bodies WHERE id = $1
		UNION ALL SELECT c.id FROM coordination_bodies c JOIN t ON c.parent_id = t.id) SELECT id FROM t)`
	var shown [3]int
	for n, c := range []struct {
		path, where string
		arg         uuid.UUID
	}{
		{"/v1/agreements/follow-up?institution_id=" + data.owesMost.String(), "u.inst = $1", data.owesMost},
		{"/v1/agreements/follow-up?body_id=" + data.root.String(), tree, data.root},
		{"/v1/agreements/follow-up?body_id=" + data.table.String(), tree, data.table},
	} {
		rows, err := db.Pool.Query(ctx, `SELECT i.code, count(*) FILTER (WHERE a.status <> 'done'),
			count(*) FILTER (WHERE a.status <> 'done' AND a.due_on < current_date), count(*) FILTER (WHERE a.status = 'done'),
			to_char(min(coalesce(s.held_on, (a.created_at AT TIME ZONE 'UTC')::date)) FILTER (WHERE a.status <> 'done'), 'YYYY-MM-DD'),
			coalesce((array_agg(a.code ORDER BY a.due_on NULLS LAST, a.code) FILTER (WHERE a.status <> 'done'))[1:`+fmt.Sprint(coordItemsPerGroup)+`], '{}')
			FROM agreements a CROSS JOIN unnest(a.responsible_institution_ids) AS u(inst)
			JOIN institutions i ON i.id = u.inst LEFT JOIN coordination_sessions s ON s.id = a.session_id
			WHERE a.archived_at IS NULL AND `+c.where+`
			GROUP BY i.code ORDER BY 3 DESC, 2 DESC, i.code`, c.arg)
		if err != nil {
			b.Fatal(err)
		}
		var want []coordGroup
		var codes [][]string
		for rows.Next() {
			var g coordGroup
			var items []string
			if err := rows.Scan(&g.InstitutionCode, &g.Open, &g.Overdue, &g.Done, &g.OldestOpenSince, &items); err != nil {
				b.Fatal(err)
			}
			want, codes = append(want, g), append(codes, items)
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		var got struct {
			Groups []coordGroup `json:"groups"`
		}
		get(c.path, &got)
		if len(got.Groups) != len(want) || len(want) == 0 {
			b.Fatalf("%s: %d groups, SQL says %d", c.path, len(got.Groups), len(want))
		}
		capped := false
		for k, g := range got.Groups {
			w := want[k]
			if g.InstitutionCode != w.InstitutionCode || g.Open != w.Open || g.Overdue != w.Overdue || g.Done != w.Done ||
				(g.OldestOpenSince == nil) != (w.OldestOpenSince == nil) || g.OldestOpenSince != nil && *g.OldestOpenSince != *w.OldestOpenSince {
				b.Fatalf("%s: group %d is %s %d/%d/%d since %v, SQL says %s %d/%d/%d since %v", c.path, k, g.InstitutionCode,
					g.Open, g.Overdue, g.Done, g.OldestOpenSince, w.InstitutionCode, w.Open, w.Overdue, w.Done, w.OldestOpenSince)
			}
			items := make([]string, len(g.Items))
			for j, it := range g.Items {
				items[j] = it.Code
			}
			if !slices.Equal(items, codes[k]) {
				b.Fatalf("%s: group %s shows %d items, not SQL's first %d in order", c.path, g.InstitutionCode, len(items), len(codes[k]))
			}
			capped = capped || g.Open > coordItemsPerGroup
			shown[n] += len(items)
		}
		if n < 2 && !capped {
			b.Fatalf("%s: no group has more than %d open agreements; the cap is not exercised", c.path, coordItemsPerGroup)
		}
		if n == 0 && (got.Groups[0].Open != data.open || got.Groups[0].Overdue != data.overdue) {
			b.Fatalf("%s: %d open, %d overdue; SQL says %d, %d", c.path, got.Groups[0].Open, got.Groups[0].Overdue, data.open, data.overdue)
		}
	}

	// The lists' first pages, keyset-ordered on (due date, id) and (date held, id).
	ids := func(q string, args ...any) []string {
		var out []string
		rows, err := db.Pool.Query(ctx, q, args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var s uuid.UUID
			if err := rows.Scan(&s); err != nil {
				b.Fatal(err)
			}
			out = append(out, s.String())
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		return out
	}
	type item struct {
		ID       string `json:"id"`
		Status   string `json:"status"`   // agreements
		Children int    `json:"children"` // bodies
		Members  int    `json:"members"`
	}
	type page struct {
		Items         []item `json:"items"`
		NextPageToken string `json:"next_page_token"`
	}
	pageIDs := func(p page) []string {
		out := make([]string, len(p.Items))
		for k, it := range p.Items {
			out[k] = it.ID
		}
		return out
	}
	var overdue page
	get("/v1/agreements?status=overdue&institution_id="+data.owesMost.String(), &overdue)
	want := ids(`SELECT id FROM agreements WHERE archived_at IS NULL AND $1 = ANY(responsible_institution_ids)
		AND status <> 'done' AND due_on < current_date ORDER BY due_on, id LIMIT $2`, data.owesMost, coordPageSize)
	if !slices.Equal(pageIDs(overdue), want) || len(want) != coordPageSize || overdue.NextPageToken == "" ||
		slices.ContainsFunc(overdue.Items, func(it item) bool { return it.Status != "overdue" }) {
		b.Fatalf("overdue agreements: %d items, not SQL's first page of %d", len(overdue.Items), len(want))
	}
	var attended page
	get("/v1/coordination-sessions?institution_id="+data.owesMost.String(), &attended)
	want = ids(`SELECT id FROM coordination_sessions s WHERE archived_at IS NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements(s.attendance) e
		WHERE e->>'institution_id' = $1 AND (e->>'present')::boolean) ORDER BY held_on, id LIMIT $2`, data.owesMost.String(), coordPageSize)
	if !slices.Equal(pageIDs(attended), want) || len(want) != coordPageSize || attended.NextPageToken == "" {
		b.Fatalf("sessions attended: %d items, not SQL's first page of %d", len(attended.Items), len(want))
	}
	var roots page
	get("/v1/coordination-bodies?root=true", &roots)
	want = ids(`SELECT id FROM coordination_bodies WHERE parent_id IS NULL AND archived_at IS NULL ORDER BY code, id`)
	if !slices.Equal(pageIDs(roots), want) || len(want) != 1+coordRoundTables {
		b.Fatalf("root bodies: %d items, SQL says %d", len(roots.Items), len(want))
	}
	for _, it := range roots.Items {
		var children, members int
		if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM coordination_bodies WHERE parent_id = $1 AND archived_at IS NULL),
			(SELECT count(*) FROM coordination_memberships WHERE body_id = $1 AND archived_at IS NULL AND from_date <= current_date
			 AND (to_date IS NULL OR to_date >= current_date))`, it.ID).Scan(&children, &members); err != nil {
			b.Fatal(err)
		}
		if it.Children != children || it.Members != members {
			b.Fatalf("root body %s: %d children, %d members; SQL says %d, %d", it.ID, it.Children, it.Members, children, members)
		}
	}
	var regions struct {
		Items []struct {
			Code        string `json:"code"`
			RoundTables int    `json:"round_tables"`
		} `json:"items"`
	}
	get("/v1/regions", &regions)
	tables := 0
	var withTable []string
	for _, r := range regions.Items {
		tables += r.RoundTables
		if r.RoundTables > 0 {
			withTable = append(withTable, r.Code)
		}
	}
	rows, err := db.Pool.Query(ctx, `SELECT region FROM coordination_bodies WHERE kind = 'regional_round_table' AND archived_at IS NULL ORDER BY region`)
	if err != nil {
		b.Fatal(err)
	}
	sqlRegions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatal(err)
	}
	if len(regions.Items) != 25 || tables != coordRoundTables || strings.Join(withTable, ",") != strings.Join(sqlRegions, ",") {
		b.Fatalf("regions: %d, with round tables %v; SQL says %v", len(regions.Items), withTable, sqlRegions)
	}
	return shown
}
