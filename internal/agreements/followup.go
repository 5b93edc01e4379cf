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
	Items           []Item     // open ones most overdue first, then (on request) the done ones
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

// followUpQuery reads every group and its items in one statement: the live agreements of the
// body and every body below it (%[1]s: a condition on a, or TRUE) owed by the institution (%[2]s,
// likewise), one row per (institution, agreement) — a group with no item to show (all done,
// without include_done) still has one row, with no agreement. The counts are per institution;
// "since" is the session's date, else the day the agreement was recorded. current_date is UTC's.
const followUpQuery = `
WITH RECURSIVE tree AS (
    SELECT id FROM coordination_bodies WHERE id = CAST(@body AS uuid)
    UNION
    SELECT c.id FROM coordination_bodies c JOIN tree t ON c.parent_id = t.id
),
a AS (
    SELECT a.id, a.code, a.body_id, a.text_es, a.text_en, a.status, a.due_on, u.inst,
           coalesce(s.held_on, (a.created_at AT TIME ZONE 'UTC')::date) AS since,
           CASE WHEN a.status <> 'done' AND a.due_on < current_date THEN current_date - a.due_on END AS overdue_days
    FROM agreements a
    CROSS JOIN LATERAL unnest(a.responsible_institution_ids) AS u(inst)
    LEFT JOIN coordination_sessions s ON s.id = a.session_id
    WHERE a.archived_at IS NULL AND %[1]s AND %[2]s
),
g AS (
    SELECT inst, count(*) FILTER (WHERE status <> 'done') AS open, count(*) FILTER (WHERE overdue_days IS NOT NULL) AS overdue,
           count(*) FILTER (WHERE status = 'done') AS done, min(since) FILTER (WHERE status <> 'done') AS oldest_open_since
    FROM a GROUP BY inst
)
SELECT g.inst AS institution_id, i.code AS institution_code, i.name_es, i.name_en, g.open, g.overdue, g.done,
       g.oldest_open_since, a.id AS agreement_id, a.code, a.body_id, b.code AS body_code, a.text_es, a.text_en,
       a.status, a.due_on, a.since, a.overdue_days
FROM g JOIN institutions i ON i.id = g.inst
LEFT JOIN a ON a.inst = g.inst AND (a.status <> 'done' OR CAST(@include_done AS boolean))
LEFT JOIN coordination_bodies b ON b.id = a.body_id
ORDER BY g.overdue DESC, g.open DESC, i.code, g.inst,
         a.status = 'done', a.overdue_days DESC NULLS LAST, a.due_on NULLS LAST, a.code, a.id`

// FollowUp returns what institution owes (institution set: "what does MIGRACIONES owe, and since
// when"), or what every institution owes the body and the bodies below it (body set), or both
// narrowed together: one group per responsible institution, the most overdue first, each with
// its open agreements most overdue first and, with includeDone, its done ones after. Archived
// agreements are left out. It costs two statements whatever the number of agreements.
//
// Errors: Invalid (neither institution nor body), NotFound (an unknown institution or body).
func (s *Service) FollowUp(ctx context.Context, institution, body *uuid.UUID, includeDone bool) (FollowUp, error) {
	if institution == nil && body == nil {
		return FollowUp{}, apperr.New(apperr.Invalid, "say whose follow-up: give institution_id or body_id").
			WithField("query.institution_id", "give institution_id or body_id")
	}
	tx := s.DB.Conn(ctx)
	args := map[string]any{"inst": institution, "body": body, "include_done": includeDone}
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
		byBody = "a.body_id IN (SELECT id FROM tree)"
	}
	if institution != nil {
		byInst = "a.responsible_institution_ids @> ARRAY[CAST(@inst AS uuid)] AND u.inst = CAST(@inst AS uuid)"
	}
	var rows []struct {
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
	if err := tx.Raw(fmt.Sprintf(followUpQuery, byBody, byInst), args).Scan(&rows).Error; err != nil {
		return FollowUp{}, fmt.Errorf("read the follow-up: %w", err)
	}
	out := FollowUp{Today: today(), Groups: []Group{}}
	for _, r := range rows {
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
