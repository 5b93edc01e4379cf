package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/deliverables"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
)

// loadDeliverables creates the action's deliverables through the deliverables services, so they
// obey the same rules and leave the same audit trail as anyone's writes: each is planned, gets
// its document if it has one, and is moved through the workflow to its demo status. They belong
// to the action, which the action plan's loader has created before.
func loadDeliverables(ctx context.Context, db *database.DB, tree *institutions.Service, units map[string]uuid.UUID) error {
	svc := deliverables.NewService(db, tree)
	docs := deliverables.NewDocuments(db, tree, deliverables.NewPostgresStore(db), deliverables.DefaultMaxUploadBytes)
	action, err := dlvIDs(ctx, db, "actions", []string{PlanActionCode})
	if err != nil {
		return err
	}
	for _, d := range Deliverables {
		name := "demo deliverable " + d.Code
		f := deliverables.Fields{Code: d.Code, Type: d.Type, TitleES: opt(d.TitleES), TitleEN: opt(d.TitleEN),
			DescriptionES: opt(d.DescriptionES), DescriptionEN: opt(d.DescriptionEN), Demo: true}
		f.ActionID = new(action[PlanActionCode])
		owner, ok := units[d.Owner]
		if !ok {
			return fmt.Errorf("%s: unknown institution %s", name, d.Owner)
		}
		f.OwnerUnitID = &owner
		due, err := time.Parse(time.DateOnly, d.Due)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		f.DueDate = &due
		for _, l := range []struct {
			table string
			codes []string
			into  *[]uuid.UUID
		}{{"functions", d.Functions, &f.FunctionIDs}, {"practices", d.Practices, &f.PracticeIDs},
			{"events", d.Events, &f.EventIDs}, {"data_gaps", d.Gaps, &f.GapIDs}} {
			found, err := dlvIDs(ctx, db, l.table, l.codes)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for _, c := range l.codes {
				*l.into = append(*l.into, found[c])
			}
		}
		created, err := svc.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var version *uuid.UUID
		if doc := d.Document; doc != nil {
			if version, err = dlvUpload(ctx, docs, created.ID, *doc); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		for _, st := range d.Steps {
			m := deliverables.Move{To: st.To, Comment: opt(st.Comment)}
			if r := st.Review; r != nil {
				review, err := svc.Review(ctx, created.ID, deliverables.ReviewFields{Verdict: r.Verdict, Comments: r.Comments,
					VersionID: version})
				if err != nil {
					return fmt.Errorf("%s: review: %w", name, err)
				}
				m.ReviewID = &review.ID
			}
			if _, err := svc.Transition(ctx, created.ID, etag.Precondition{}, m); err != nil {
				return fmt.Errorf("%s: move to %s: %w", name, st.To, err)
			}
		}
	}
	return nil
}

// dlvUpload uploads doc as the first version of deliverable id and returns the version's id.
func dlvUpload(ctx context.Context, docs *deliverables.Documents, id uuid.UUID, doc DeliverableDocument) (*uuid.UUID, error) {
	file, err := docs.Receive(strings.NewReader(doc.Markdown), doc.Filename)
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", doc.Filename, err)
	}
	defer file.Close()
	v, err := docs.Upload(ctx, id, file, opt(doc.Note))
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", doc.Filename, err)
	}
	return &v.ID, nil
}

// dlvIDs finds the ids of the live records of table with codes, in one statement; every code
// must be found.
func dlvIDs(ctx context.Context, db *database.DB, table string, codes []string) (map[string]uuid.UUID, error) {
	out, err := planIDs(ctx, db, table, codes)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		if _, ok := out[c]; !ok {
			return nil, fmt.Errorf("no demo %s with code %s", strings.TrimSuffix(table, "s"), c)
		}
	}
	return out, nil
}
