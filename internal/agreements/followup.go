package agreements

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/apperr"
)

// FollowUp is what institutions owe: one group per responsible institution, as it stands on
// Today.
type FollowUp struct {
	Today  time.Time
	Groups []Group
}

// Group is what one institution owes.
type Group struct {
	InstitutionID   uuid.UUID
	InstitutionCode string
	InstitutionName Text
	Open            int // not done, overdue included
	Overdue         int
	Done            int
	OldestOpenSince *time.Time // since when it owes its oldest open agreement
	Items           []Item     // open ones most overdue first, then (on request) the done ones; capped
}

// Item is one agreement in a group.
type Item struct {
	AgreementID uuid.UUID
	Code        string
	BodyID      uuid.UUID
	BodyCode    string
	Text        Text
	Status      string // as readers see it: overdue computed
	DueOn       *time.Time
	Since       time.Time
	OverdueDays *int
}

// followUpLookup finds the institution and the body a follow-up names, in one statement.
const followUpLookup = `
SELECT i.id AS institution_id, i.code AS institution_code, i.name_es, i.name_en,
       EXISTS (SELECT 1 FROM coordination_bodies WHERE id = CAST(@body AS uuid)) AS body_found
FROM (SELECT 1) AS one LEFT JOIN institutions i ON i.id = CAST(@inst AS uuid)`

// followUpQuery reads every group and its items in one statement. It reads the live agreements
// of the body and every body below it (%[1]s: a condition on a, or TRUE) owed by the institution
// (%[2]s, likewise) once, one row per (institution, agreement), and aggregates them per
// institution: the counts cover every agreement, and the items shown are the ids of the
// group's first @items_per_group agreements in the view's order, open before done and the most
// overdue first. For an open agreement "most overdue first, then the earliest due" is simply
// the earliest due date first (an overdue one is due before today, any other today or later, or
// never: last); done ones have no overdue days, so they too follow their due date; then code and
// id. The outer query reads each shown item by its id (its text, body and session), in that
// order; a group with no item to show (all done, without include_done) still has one row, with
// no agreement. "since" is the session's date, else the day the agreement was recorded.
// current_date is UTC's.
//
// What the benchmark (internal/bench, BenchmarkCoordination: 50,000 agreements) taught: the tree
// goes in an array (= ANY), which the planner estimates as a few bodies, not as half the table
// (a semi-join on a recursive CTE), so it reads the agreements through agreements_body_idx; and
// the items go through an array unnested per group rather than a row_number() window over every
// row, whose output the planner cannot estimate below "all of them" — which made it hash-join
// the whole agreements table for the texts and cost the plan high enough to compile it (JIT,
// 50–100 ms a request). This plan costs about 15,000, far below jit_above_cost, and reads the
// texts of the shown items only, by primary key.
const followUpQuery = `
WITH RECURSIVE tree AS (
    SELECT id FROM coordination_bodies WHERE id = CAST(@body AS uuid)
    UNION
    SELECT c.id FROM coordination_bodies c JOIN tree t ON c.parent_id = t.id
),
g AS (
    SELECT u.inst, count(*) FILTER (WHERE a.status <> 'done') AS open,
           count(*) FILTER (WHERE a.status <> 'done' AND a.due_on < current_date) AS overdue,
           count(*) FILTER (WHERE a.status = 'done') AS done,
           min(coalesce(s.held_on, (a.created_at AT TIME ZONE 'UTC')::date)) FILTER (WHERE a.status <> 'done') AS oldest_open_since,
           (array_agg(a.id ORDER BY a.status = 'done', a.due_on NULLS LAST, a.code, a.id)
                FILTER (WHERE a.status <> 'done' OR CAST(@include_done AS boolean)))[1:CAST(@items_per_group AS integer)] AS shown
    FROM agreements a
    CROSS JOIN LATERAL unnest(a.responsible_institution_ids) AS u(inst)
    LEFT JOIN coordination_sessions s ON s.id = a.session_id
    WHERE a.archived_at IS NULL AND %[1]s AND %[2]s
    GROUP BY u.inst
)
SELECT g.inst AS institution_id, i.code AS institution_code, i.name_es, i.name_en, g.open, g.overdue, g.done,
       g.oldest_open_since, x.id AS agreement_id, t.code, t.body_id, b.code AS body_code, t.text_es, t.text_en,
       t.status, t.due_on, coalesce(ts.held_on, (t.created_at AT TIME ZONE 'UTC')::date) AS since,
       CASE WHEN t.status <> 'done' AND t.due_on < current_date THEN current_date - t.due_on END AS overdue_days
FROM g JOIN institutions i ON i.id = g.inst
LEFT JOIN LATERAL unnest(g.shown) WITH ORDINALITY AS x(id, n) ON true
LEFT JOIN agreements t ON t.id = x.id
LEFT JOIN coordination_sessions ts ON ts.id = t.session_id
LEFT JOIN coordination_bodies b ON b.id = t.body_id
ORDER BY g.overdue DESC, g.open DESC, i.code, g.inst, x.n`

// DefaultItemsPerGroup and MaxItemsPerGroup bound the items a follow-up shows per institution.
const (
	DefaultItemsPerGroup = 20
	MaxItemsPerGroup     = 1000
)

// FollowUp returns what institution owes (institution set: "what does MIGRACIONES owe, and since
// when"), or what every institution owes the body and the bodies below it (body set), or both
// narrowed together: one group per responsible institution, the most overdue first, each with
// its open agreements most overdue first and, with includeDone, its done ones after — at most
// itemsPerGroup of them, while its counts cover every agreement. Archived agreements are left
// out. It costs two statements whatever the number of agreements.
//
// Errors: Invalid (neither institution nor body, itemsPerGroup outside 1–MaxItemsPerGroup),
// NotFound (an unknown institution or body).
func (s *Service) FollowUp(ctx context.Context, institution, body *uuid.UUID, includeDone bool, itemsPerGroup int) (FollowUp, error) {
	if institution == nil && body == nil {
		return FollowUp{}, apperr.New(apperr.Invalid, "say whose follow-up: give institution_id or body_id").
			WithField("query.institution_id", "give institution_id or body_id")
	}
	if itemsPerGroup < 1 || itemsPerGroup > MaxItemsPerGroup {
		return FollowUp{}, apperr.New(apperr.Invalid, "items_per_group must be 1 to %d", MaxItemsPerGroup).
			WithField("query.items_per_group", fmt.Sprintf("must be 1 to %d", MaxItemsPerGroup))
	}
	tx := s.DB.Conn(ctx)
	args := map[string]any{"inst": institution, "body": body, "include_done": includeDone, "items_per_group": itemsPerGroup}
	var found struct {
		InstitutionID   *uuid.UUID
		InstitutionCode *string
		NameES, NameEN  *string
		BodyFound       bool
	}
	if err := tx.Raw(followUpLookup, args).Scan(&found).Error; err != nil {
		return FollowUp{}, fmt.Errorf("find the follow-up's institution and body: %w", err)
	}
	if institution != nil && found.InstitutionID == nil {
		return FollowUp{}, apperr.New(apperr.NotFound, "institution %s not found", *institution)
	}
	if body != nil && !found.BodyFound {
		return FollowUp{}, apperr.New(apperr.NotFound, "coordination body %s not found", *body)
	}

	byBody, byInst := "TRUE", "TRUE"
	if body != nil {
		byBody = "a.body_id = ANY (ARRAY(SELECT id FROM tree))"
	}
	if institution != nil {
		byInst = "a.responsible_institution_ids @> ARRAY[CAST(@inst AS uuid)] AND u.inst = CAST(@inst AS uuid)"
	}
	// Rows are scanned one by one into plain variables: a large follow-up (thousands of items)
	// spends less on reflection that way than through GORM's Scan into structs.
	rows, err := tx.Raw(fmt.Sprintf(followUpQuery, byBody, byInst), args).Rows()
	if err != nil {
		return FollowUp{}, fmt.Errorf("read the follow-up: %w", err)
	}
	defer rows.Close()
	var r struct {
		InstitutionID   uuid.UUID
		InstitutionCode string
		NameES, NameEN  *string
		Open, Overdue   int
		Done            int
		OldestOpenSince *time.Time
		AgreementID     *uuid.UUID
		Code            *string
		BodyID          *uuid.UUID
		BodyCode        *string
		TextES, TextEN  *string
		Status          *string
		DueOn           *time.Time
		Since           *time.Time
		OverdueDays     *int
	}
	out := FollowUp{Today: today(), Groups: []Group{}}
	for rows.Next() {
		if err := rows.Scan(&r.InstitutionID, &r.InstitutionCode, &r.NameES, &r.NameEN, &r.Open, &r.Overdue, &r.Done,
			&r.OldestOpenSince, &r.AgreementID, &r.Code, &r.BodyID, &r.BodyCode, &r.TextES, &r.TextEN, &r.Status, &r.DueOn,
			&r.Since, &r.OverdueDays); err != nil {
			return FollowUp{}, fmt.Errorf("read the follow-up: %w", err)
		}
		if n := len(out.Groups); n == 0 || out.Groups[n-1].InstitutionID != r.InstitutionID {
			out.Groups = append(out.Groups, Group{InstitutionID: r.InstitutionID, InstitutionCode: r.InstitutionCode,
				InstitutionName: Text{ES: r.NameES, EN: r.NameEN}, Open: r.Open, Overdue: r.Overdue, Done: r.Done,
				OldestOpenSince: dayOf(r.OldestOpenSince), Items: []Item{}})
		}
		if r.AgreementID == nil {
			continue
		}
		status := *r.Status
		if r.OverdueDays != nil {
			status = Overdue
		}
		g := &out.Groups[len(out.Groups)-1]
		g.Items = append(g.Items, Item{AgreementID: *r.AgreementID, Code: *r.Code, BodyID: *r.BodyID,
			BodyCode: deref(r.BodyCode), Text: Text{ES: r.TextES, EN: r.TextEN}, Status: status, DueOn: dayOf(r.DueOn),
			Since: day(*r.Since), OverdueDays: r.OverdueDays})
	}
	if err := rows.Err(); err != nil {
		return FollowUp{}, fmt.Errorf("read the follow-up: %w", err)
	}
	if len(out.Groups) == 0 && institution != nil {
		// It owes nothing here: its group says so.
		out.Groups = append(out.Groups, Group{InstitutionID: *found.InstitutionID, InstitutionCode: deref(found.InstitutionCode),
			InstitutionName: Text{ES: found.NameES, EN: found.NameEN}, Items: []Item{}})
	}
	return out, nil
}

func dayOf(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := day(*t)
	return &d
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
