package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/actionplan"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadActionPlan creates the demo action and its expected results through the action plan
// services, so they obey the same rules and leave the same audit trail as anyone's writes; all
// are marked demo. units maps institution codes to ids.
func loadActionPlan(ctx context.Context, db *database.DB, _ *institutions.Service, units map[string]uuid.UUID) error {
	d := PlanAction
	f := actionplan.ActionFields{Code: d.Code, Title: planText(d.TitleEN, d.TitleES),
		GeneralObjective: planText(d.GeneralEN, d.GeneralES), Demo: true}
	ben, ok := units[d.Beneficiary]
	if !ok {
		return fmt.Errorf("demo action %s: unknown institution %s", d.Code, d.Beneficiary)
	}
	f.BeneficiaryID = &ben
	var err error
	if f.StartDate, err = planDate(d.Start); err != nil {
		return fmt.Errorf("demo action %s: %w", d.Code, err)
	}
	if f.EndDate, err = planDate(d.End); err != nil {
		return fmt.Errorf("demo action %s: %w", d.Code, err)
	}
	for _, o := range d.Specific {
		f.SpecificObjectives = append(f.SpecificObjectives, planText(o[0], o[1]))
	}
	action, err := actionplan.NewActionService(db).Create(ctx, f)
	if err != nil {
		return fmt.Errorf("demo action %s: %w", d.Code, err)
	}

	rsvc := actionplan.NewResultService(db)
	for _, r := range PlanResults {
		rf := actionplan.ResultFields{ActionID: action.ID, Code: r.Code, Statement: planText(r.StatementEN, r.StatementES), Demo: true}
		for _, i := range r.Indicators {
			ind := actionplan.Indicator{Code: i.Code, Name: planText(i.NameEN, i.NameES), Unit: opt(i.Unit),
				Baseline: i.Baseline, Target: i.Target, Actual: i.Actual}
			if i.MeasuredOn != "" {
				t, err := planDate(i.MeasuredOn)
				if err != nil {
					return fmt.Errorf("demo result %s: indicator %s: %w", r.Code, i.Code, err)
				}
				ind.MeasuredOn = &t
			}
			rf.Indicators = append(rf.Indicators, ind)
		}
		if _, err := rsvc.Create(ctx, rf); err != nil {
			return fmt.Errorf("demo result %s: %w", r.Code, err)
		}
	}
	return nil
}

// loadActivities creates the demo activities of the demo action through the activity service,
// all marked demo. It runs after the deliverables are loaded: it links the events and the
// deliverables it names by code, and leaves out a deliverable the deliverables demo data does not
// have (that data is another area's; an event missing from events.go is an error of ours).
func loadActivities(ctx context.Context, db *database.DB, _ *institutions.Service, _ map[string]uuid.UUID) error {
	actions, err := planIDs(ctx, db, "actions", []string{PlanActionCode})
	if err != nil {
		return err
	}
	action, ok := actions[PlanActionCode]
	if !ok {
		return fmt.Errorf("demo activities: no action %s", PlanActionCode)
	}
	var eventCodes, deliverableCodes []string
	for _, d := range PlanActivities {
		eventCodes = append(eventCodes, d.Events...)
		deliverableCodes = append(deliverableCodes, d.Deliverables...)
	}
	events, err := planIDs(ctx, db, "events", eventCodes)
	if err != nil {
		return err
	}
	deliverables, err := planIDs(ctx, db, "deliverables", deliverableCodes)
	if err != nil {
		return err
	}
	svc := actionplan.NewActivityService(db)
	for _, d := range PlanActivities {
		f := actionplan.ActivityFields{ActionID: action, Code: d.Code, Type: d.Type, Status: d.Status, Progress: d.Progress,
			Title:       planText(d.TitleEN, d.TitleES),
			Description: planText(d.DescriptionEN+". "+ActivityDemoNoteEN, d.DescriptionES+". "+ActivityDemoNoteES),
			Demo:        true}
		if f.StartDate, err = planDate(d.Start); err != nil {
			return fmt.Errorf("demo activity %s: %w", d.Code, err)
		}
		if f.EndDate, err = planDate(d.End); err != nil {
			return fmt.Errorf("demo activity %s: %w", d.Code, err)
		}
		for _, c := range d.Events {
			id, ok := events[c]
			if !ok {
				return fmt.Errorf("demo activity %s: unknown event %s", d.Code, c)
			}
			f.EventIDs = append(f.EventIDs, id)
		}
		for _, c := range d.Deliverables {
			if id, ok := deliverables[c]; ok {
				f.DeliverableIDs = append(f.DeliverableIDs, id)
			}
		}
		if _, err := svc.Create(ctx, f); err != nil {
			return fmt.Errorf("demo activity %s: %w", d.Code, err)
		}
	}
	return nil
}

func planText(en, es string) actionplan.Text { return actionplan.Text{EN: opt(en), ES: opt(es)} }

func planDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// planIDs maps those of codes that name a live row of table (a table with a code column) to
// their ids, in one statement. Reading the table rather than another area's package keeps the
// action plan demo data dependent on it only through the database.
func planIDs(ctx context.Context, db *database.DB, table string, codes []string) (map[string]uuid.UUID, error) {
	out := map[string]uuid.UUID{}
	if len(codes) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   uuid.UUID
		Code string
	}
	if err := db.Conn(ctx).Table(table).Select("id, code").Where("code IN ? AND archived_at IS NULL", codes).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load demo %s: %w", table, err)
	}
	for _, r := range rows {
		out[r.Code] = r.ID
	}
	return out, nil
}
