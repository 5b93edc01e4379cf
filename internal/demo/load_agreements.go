package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/agreements"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/etag"
	"github.com/puente-mre/puente/internal/institutions"
)

// What every demo agreement's text says, after the agreement itself: seed 004 reports the
// MTIGM's sessions, not what they agreed, so every agreement here is demo data.
const (
	AgreementDemoNoteES = "(Acuerdo de demostración: las fuentes no registran los acuerdos de la MTIGM.)"
	AgreementDemoNoteEN = "(Demo agreement: the sources do not record the MTIGM's agreements.)"
	// AgreementMoveNote prefixes the notes of the demo moves, recorded when the data is loaded.
	AgreementMoveNote = "Demo: "
)

// DemoAgreement is one demo agreement of the MTIGM plenary: reached in an ordinary session,
// owed by institutions (by code), due on a date (or none), and moved along Moves (each a state
// and a note) from pending.
type DemoAgreement struct {
	Code        string
	Session     int // the ordinary session of the plenary it was reached in
	Responsible []string
	Due         string
	TextES      string
	TextEN      string
	Moves       [][2]string
}

// Agreements are the demo agreements of the MTIGM plenary: some done, some late (so overdue),
// one standing (no due date). MIGRACIONES owes most of them.
var Agreements = []DemoAgreement{
	{Code: "PE-MTIGM-ACU-20-01", Session: 20, Responsible: []string{"PE-MININTER-MIGRACIONES", "PE-MRE"}, Due: "2014-09-30",
		TextES: "Intercambiar la información estadística de flujos migratorios para el informe anual de la MTIGM.",
		TextEN: "Exchange the statistics on migration flows for the MTIGM's annual report.",
		Moves:  [][2]string{{"in_progress", "primeras series enviadas"}, {"done", "informe anual publicado"}}},
	{Code: "PE-MTIGM-ACU-22-01", Session: 22, Responsible: []string{"PE-MININTER-MIGRACIONES"}, Due: "2015-03-31",
		TextES: "Presentar al Pleno una propuesta de procedimiento de regularización migratoria.",
		TextEN: "Present the Plenary with a proposed migration regularisation procedure.",
		Moves:  [][2]string{{"in_progress", "borrador en consulta con los sectores"}}},
	{Code: "PE-MTIGM-ACU-24-01", Session: 24, Responsible: []string{"PE-MRE"}, Due: "2015-06-30",
		TextES: "Organizar la primera Semana del Migrante con la Feria de Servicios y Colectividades «Perú Contigo».",
		TextEN: "Organise the first Migrant's Week with the “Peru With You” Service and Communities Fair.",
		Moves:  [][2]string{{"in_progress", "sede y expositores confirmados"}, {"done", "feria realizada"}}},
	{Code: "PE-MTIGM-ACU-25-01", Session: 25, Responsible: []string{"PE-MTPE", "PE-MININTER-MIGRACIONES"}, Due: "2015-10-31",
		TextES: "Elaborar una guía de orientación laboral para personas migrantes y retornadas.",
		TextEN: "Draft a labour orientation guide for migrants and returnees."},
	{Code: "PE-MTIGM-ACU-26-01", Session: 26, Responsible: []string{"PE-MININTER-MIGRACIONES", "PE-RENIEC"}, Due: "2016-06-30",
		TextES: "Interoperar los registros de identificación de personas extranjeras.",
		TextEN: "Make the identification registers of foreign nationals interoperable.",
		Moves:  [][2]string{{"in_progress", "convenio de intercambio en revisión"}}},
	{Code: "PE-MTIGM-ACU-27-01", Session: 27, Responsible: []string{"PE-MRE"}, Due: "2015-09-30",
		TextES: "Actualizar el portal web y el sistema de intranet de la MTIGM.",
		TextEN: "Update the MTIGM's web portal and intranet system.",
		Moves:  [][2]string{{"in_progress", "contenidos en revisión"}, {"done", "portal actualizado"}}},
	{Code: "PE-MTIGM-ACU-27-02", Session: 27, Responsible: []string{"PE-MININTER-MIGRACIONES", "PE-MRE", "PE-MIMP"},
		TextES: "Informar en cada sesión ordinaria del avance de los grupos de trabajo.",
		TextEN: "Report on the working groups' progress at every ordinary session.",
		Moves:  [][2]string{{"in_progress", "informe permanente"}}},
	{Code: "PE-MTIGM-ACU-27-03", Session: 27, Responsible: []string{"PE-INEI", "PE-MININTER-MIGRACIONES"}, Due: "2015-12-31",
		TextES: "Proponer indicadores para medir la migración internacional en las encuestas nacionales.",
		TextEN: "Propose indicators to measure international migration in national surveys."},
}

// loadAgreements records the demo agreements of the MTIGM plenary (created by loadCoordination,
// with its ordinary sessions) through the agreements service, and moves them through its
// workflow, so they obey the same rules and leave the same history and audit trail as anyone's;
// all are marked demo and say so. Their moves are recorded when the data is loaded (so those
// done are done on that day).
func loadAgreements(ctx context.Context, db *database.DB, svc *institutions.Service, units map[string]uuid.UUID) error {
	bodies, err := planIDs(ctx, db, "coordination_bodies", []string{MTIGMPlenaryCode})
	if err != nil {
		return err
	}
	plenary, ok := bodies[MTIGMPlenaryCode]
	if !ok {
		return fmt.Errorf("demo agreements: no coordination body %s", MTIGMPlenaryCode)
	}
	var sessions []struct {
		Number int
		ID     uuid.UUID
	}
	if err := db.Conn(ctx).Table("coordination_sessions").Select("number, id").
		Where("body_id = ? AND kind = 'ordinary' AND archived_at IS NULL", plenary).Scan(&sessions).Error; err != nil {
		return fmt.Errorf("demo agreements: sessions: %w", err)
	}
	session := map[int]uuid.UUID{}
	for _, s := range sessions {
		session[s.Number] = s.ID
	}
	as := agreements.NewService(db, svc)
	for _, d := range Agreements {
		f := agreements.Fields{Code: d.Code, BodyID: plenary, Demo: true,
			Text: agreements.Text{ES: opt(d.TextES + " " + AgreementDemoNoteES), EN: opt(d.TextEN + " " + AgreementDemoNoteEN)}}
		s, ok := session[d.Session]
		if !ok {
			return fmt.Errorf("demo agreement %s: no ordinary session %d of %s", d.Code, d.Session, MTIGMPlenaryCode)
		}
		f.SessionID = &s
		for _, c := range d.Responsible {
			id, ok := units[c]
			if !ok {
				return fmt.Errorf("demo agreement %s: unknown institution %s", d.Code, c)
			}
			f.ResponsibleIDs = append(f.ResponsibleIDs, id)
		}
		if d.Due != "" {
			due, err := time.Parse(time.DateOnly, d.Due)
			if err != nil {
				return fmt.Errorf("demo agreement %s: %w", d.Code, err)
			}
			f.DueOn = &due
		}
		a, err := as.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo agreement %s: %w", d.Code, err)
		}
		for _, m := range d.Moves {
			if a, err = as.Transition(ctx, a.ID, etag.IfMatch(new(etag.Of(a.Version))), m[0], opt(AgreementMoveNote+m[1])); err != nil {
				return fmt.Errorf("demo agreement %s: move to %s: %w", d.Code, m[0], err)
			}
		}
	}
	return nil
}
