package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/coordination"
	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
)

// The codes of the MTIGM's coordination bodies in the demo data, for the steps and tests that
// look them up.
const (
	MTIGMCode              = "PE-MTIGM"
	MTIGMPlenaryCode       = "PE-MTIGM-PLENO"
	MTIGMPresidencyCode    = "PE-MTIGM-PRESIDENCIA"
	MTIGMSecretariatCode   = "PE-MTIGM-ST"
	MTIGMExtendedCode      = "PE-MTIGM-PLENO-AMPLIADO"
	MTIGMWorkPlanCode      = "PE-MTIGM-PT-2015"
	RoundTableCodePrefix   = "PE-MR-"
	mtigmDecreeInstrument  = "PE-DS-MTIGM-2011"
	coordinationDemoNoteES = "Dato de demostración: no consta en las fuentes."
	coordinationDemoNoteEN = "Demo data: not stated in the sources."
)

// The session counts seed 004 reports for the MTIGM (by mid-2015): 27 ordinary sessions, 2
// extraordinary and 2 extended. The counts are facts; the dates, places and attendance of the
// demo sessions are not.
const (
	MTIGMOrdinarySessions      = 27
	MTIGMExtraordinarySessions = 2
	MTIGMExtendedSessions      = 2
)

// MTIGMMemberCount and MTIGMObserverCount are the MTIGM's member institutions and observers as
// seed 002 reports them (2019).
const (
	MTIGMMemberCount   = 22
	MTIGMObserverCount = 3
)

// coordBody is one demo coordination body. Parent is the code of the body it belongs to.
type coordBody struct {
	Code, Parent, Kind   string
	NameES, NameEN       string
	MandateES, MandateEN string
	Region               string
	Demo                 bool
	LegalBasis           string
}

// mtigmBodies is the MTIGM as seed 004 describes it: a permanent multisectoral commission with six
// coordination instances (plenary, presidency, technical secretariat, working groups, working
// sub-groups, the plenary in extended session with support commissions), and the two
// coordination commissions of seed 002. The working groups and sub-groups are demo: the seeds
// name none.
var mtigmBodies = []coordBody{
	{Code: MTIGMCode, Kind: "commission", LegalBasis: mtigmDecreeInstrument,
		NameES: "Mesa de Trabajo Intersectorial para la Gestión Migratoria (MTIGM)",
		NameEN: "Migration Management Multisectoral Commission (MTIGM)",
		MandateES: "Comisión Multisectorial de carácter permanente con el objeto de coordinar, evaluar, proponer, priorizar y " +
			"supervisar políticas y acciones vinculadas a la gestión integral migratoria. Se instaló oficialmente tras la " +
			"publicación de su Decreto de creación en el 2011.",
		MandateEN: "A permanent Multisectoral Commission aimed at coordinating, evaluating, proposing, prioritizing, and " +
			"supervising policies and actions related to comprehensive migration management. It was officially implemented " +
			"after the publication of its Decree of creation in 2011."},
	{Code: MTIGMPlenaryCode, Parent: MTIGMCode, Kind: "plenary", NameES: "Pleno de la MTIGM", NameEN: "MTIGM Plenary Session"},
	{Code: MTIGMPresidencyCode, Parent: MTIGMCode, Kind: "presidency", NameES: "Presidencia de la MTIGM", NameEN: "MTIGM Presidency",
		MandateES: "La ejerce el Ministerio de Relaciones Exteriores.", MandateEN: "Held by the Ministry of Foreign Affairs."},
	{Code: MTIGMSecretariatCode, Parent: MTIGMCode, Kind: "technical_secretariat", NameES: "Secretaría Técnica de la MTIGM",
		NameEN: "MTIGM Technical Secretariat"},
	{Code: "PE-MTIGM-GT-1", Parent: MTIGMCode, Kind: "working_group", Demo: true,
		NameES: "Grupo de Trabajo 1: peruanos en el exterior", NameEN: "Working Group 1: Peruvians abroad"},
	{Code: "PE-MTIGM-GT-1-SG-1", Parent: "PE-MTIGM-GT-1", Kind: "sub_group", Demo: true,
		NameES: "Subgrupo de Trabajo 1.1: asistencia consular", NameEN: "Working Subgroup 1.1: consular assistance"},
	{Code: "PE-MTIGM-GT-1-SG-2", Parent: "PE-MTIGM-GT-1", Kind: "sub_group", Demo: true,
		NameES: "Subgrupo de Trabajo 1.2: vinculación con la diáspora", NameEN: "Working Subgroup 1.2: diaspora engagement"},
	{Code: "PE-MTIGM-GT-2", Parent: MTIGMCode, Kind: "working_group", Demo: true,
		NameES: "Grupo de Trabajo 2: extranjeros en el Perú", NameEN: "Working Group 2: foreigners in Peru"},
	{Code: "PE-MTIGM-GT-3", Parent: MTIGMCode, Kind: "working_group", Demo: true,
		NameES: "Grupo de Trabajo 3: retorno y reinserción", NameEN: "Working Group 3: return and reintegration"},
	{Code: MTIGMExtendedCode, Parent: MTIGMCode, Kind: "extended_plenary",
		NameES: "Pleno en sesión ampliada con Comisiones de Apoyo", NameEN: "Extended Plenary Session with Support Commissions"},
	{Code: "PE-MTIGM-CA-INST", Parent: MTIGMCode, Kind: "support_commission",
		NameES: "Comisión de Coordinación Interinstitucional", NameEN: "Inter-agency Coordination Commission"},
	{Code: "PE-MTIGM-CA-SC", Parent: MTIGMCode, Kind: "support_commission",
		NameES: "Comisión de Coordinación con Organizaciones de la Sociedad Civil",
		NameEN: "Coordination Commission with Civil Society Organisations"},
}

// roundTableRegions are the regions of the demo regional round tables. Seed 002 reports
// intersectoral round tables in 12 regions without naming them: these 12 are demo.
var roundTableRegions = []struct{ Code, Name string }{
	{"04", "Arequipa"}, {"07", "Callao"}, {"08", "Cusco"}, {"11", "Ica"}, {"12", "Junín"}, {"13", "La Libertad"},
	{"14", "Lambayeque"}, {"15", "Lima"}, {"20", "Piura"}, {"21", "Puno"}, {"23", "Tacna"}, {"24", "Tumbes"},
}

// coordMember is one institution sitting in the MTIGM.
type coordMember struct {
	Code string
	From string // demo unless Seed
	Seed bool   // the seeds state the membership
}

// mtigmMembers are the MTIGM's 22 member institutions (seed 002). The seeds name only the
// Ministry of Foreign Affairs among them (it presides); the other 21 are demo, drawn from the
// Peruvian public institutions the seeds name and, for the rest, demo institutions.
var mtigmMembers = []coordMember{
	{Code: "PE-MRE", From: "2011-01-01", Seed: true},
	{Code: "PE-MININTER", From: "2011-01-01"}, {Code: "PE-MININTER-MIGRACIONES", From: "2011-01-01"},
	{Code: "PE-MTPE", From: "2011-01-01"}, {Code: "PE-MIMP", From: "2011-01-01"}, {Code: "PE-MINJUSDH", From: "2011-01-01"},
	{Code: "PE-MINCETUR", From: "2011-01-01"}, {Code: "PE-MINEDU", From: "2011-01-01"}, {Code: "PE-INEI", From: "2011-01-01"},
	{Code: "PE-RENIEC", From: "2011-01-01"}, {Code: "PE-MINSA", From: "2011-01-01"}, {Code: "PE-MEF", From: "2011-01-01"},
	{Code: "PE-PRODUCE", From: "2012-03-01"}, {Code: "PE-MIDIS", From: "2012-03-01"}, {Code: "PE-SUNAT", From: "2012-03-01"},
	{Code: "PE-PCM", From: "2013-01-01"}, {Code: "PE-ONPE", From: "2013-01-01"}, {Code: "PE-SBS", From: "2013-06-01"},
	{Code: "PE-MINAM", From: "2014-01-01"}, {Code: "PE-CENEPRED", From: "2014-01-01"}, {Code: "PE-INDECI", From: "2014-01-01"},
	{Code: "PE-MINDEF", From: "2014-06-01"},
}

// mtigmObservers are its 3 observers (seed 002), all demo: the seeds name none.
var mtigmObservers = []coordMember{
	{Code: "PE-DEFENSORIA", From: "2012-01-01"}, {Code: "PE-CONGRESO", From: "2013-01-01"}, {Code: "INT-IOM", From: "2013-01-01"},
}

// demoInstitution is an institution the MTIGM demo needs that the seeds do not name.
type demoInstitution struct{ Code, NameES, NameEN, Acronym, Kind string }

var coordinationInstitutions = []demoInstitution{
	{"PE-MINSA", "Ministerio de Salud", "Ministry of Health", "MINSA", "ministry"},
	{"PE-MEF", "Ministerio de Economía y Finanzas", "Ministry of Economy and Finance", "MEF", "ministry"},
	{"PE-PRODUCE", "Ministerio de la Producción", "Ministry of Production", "PRODUCE", "ministry"},
	{"PE-MIDIS", "Ministerio de Desarrollo e Inclusión Social", "Ministry of Development and Social Inclusion", "MIDIS", "ministry"},
	{"PE-SUNAT", "Superintendencia Nacional de Aduanas y de Administración Tributaria", "National Customs and Tax Administration Superintendency", "SUNAT", "agency"},
	{"PE-PCM", "Presidencia del Consejo de Ministros", "Presidency of the Council of Ministers", "PCM", "ministry"},
	{"PE-MINDEF", "Ministerio de Defensa", "Ministry of Defence", "MINDEF", "ministry"},
	{"PE-DEFENSORIA", "Defensoría del Pueblo", "Ombudsman's Office", "", "agency"},
}

// loadCoordination creates the MTIGM as a tree of coordination bodies, its memberships, the
// sessions seed 004 counts, a demo work plan, and the regional round tables of seed 002, all
// through the coordination services (so audited). What the seeds state is not demo-marked;
// everything else is, and says so. It adds the institutions it creates to units.
func loadCoordination(ctx context.Context, db *database.DB, svc *institutions.Service, units map[string]uuid.UUID) error {
	for _, d := range coordinationInstitutions {
		if _, ok := units[d.Code]; ok {
			continue
		}
		inst, err := svc.CreateDemo(ctx, institutions.Fields{Code: d.Code, NameES: opt(d.NameES), NameEN: opt(d.NameEN),
			Acronym: opt(d.Acronym), Kind: d.Kind, Country: opt("PE"), Tier: "national", Status: "active",
			DescriptionEN: opt("Demo: not named in the sources; added as a demo member or observer of the MTIGM."),
			DescriptionES: opt("Demo: no consta en las fuentes; añadida como miembro u observador de demostración de la MTIGM.")})
		if err != nil {
			return fmt.Errorf("demo institution %s: %w", d.Code, err)
		}
		units[d.Code] = inst.ID
	}
	var basis []uuid.UUID
	if err := db.Conn(ctx).Raw(`SELECT id FROM legal_instruments WHERE code = ?`, mtigmDecreeInstrument).Scan(&basis).Error; err != nil {
		return fmt.Errorf("demo coordination: look up %s: %w", mtigmDecreeInstrument, err)
	}

	bodies := coordination.NewBodyService(db)
	ids := map[string]uuid.UUID{}
	create := func(d coordBody) error {
		f := coordination.BodyFields{Code: d.Code, Kind: d.Kind, Name: coordText(d.NameES, d.NameEN),
			Mandate: coordText(d.MandateES, d.MandateEN), Demo: d.Demo}
		if d.Demo {
			f.Mandate = coordText(coordJoin(d.MandateES, coordinationDemoNoteES), coordJoin(d.MandateEN, coordinationDemoNoteEN))
		}
		if d.Parent != "" {
			p, ok := ids[d.Parent]
			if !ok {
				return fmt.Errorf("demo coordination body %s: parent %s is not listed before it", d.Code, d.Parent)
			}
			f.ParentID = &p
		}
		if d.LegalBasis != "" && len(basis) == 1 {
			f.LegalBasisID = &basis[0]
		}
		if d.Region != "" {
			f.Region = &d.Region
		}
		b, err := bodies.Create(ctx, f)
		if err != nil {
			return fmt.Errorf("demo coordination body %s: %w", d.Code, err)
		}
		ids[d.Code] = b.ID
		return nil
	}
	for _, d := range mtigmBodies {
		if err := create(d); err != nil {
			return err
		}
	}
	for _, r := range roundTableRegions {
		if err := create(coordBody{Code: RoundTableCodePrefix + r.Code, Kind: coordination.KindRoundTable, Region: r.Code, Demo: true,
			NameES: "Mesa de Trabajo Intersectorial para la Gestión Migratoria de " + r.Name,
			NameEN: "Intersectoral Round Table for Migration Management of " + r.Name,
			MandateES: "Mesa regional establecida a través de las oficinas desconcentradas del Ministerio de Relaciones Exteriores " +
				"para descentralizar la Política Nacional Migratoria (el perfil MGI 2019 reporta mesas en 12 regiones; " +
				"cuáles, no lo dice: la región es de demostración).",
			MandateEN: "Regional round table established through the decentralized offices of the Ministry of Foreign Affairs " +
				"to decentralize the National Migration Policy (the 2019 MGI profile reports tables in 12 regions without " +
				"naming them: the region is demo)."}); err != nil {
			return err
		}
	}

	members, err := loadMTIGMMemberships(ctx, db, ids, units)
	if err != nil {
		return err
	}
	sessions, err := loadMTIGMSessions(ctx, db, ids, members)
	if err != nil {
		return err
	}
	return loadMTIGMWorkPlan(ctx, db, ids, units, sessions)
}

// loadMTIGMMemberships seats the members and observers in the commission, the MRE in the
// presidency (seed 002: the MRE presides), the DGPCA in the technical secretariat (demo: the
// seeds do not say who holds it) and the two coordination commissions in the extended plenary.
// It returns the members and observers with the date each joined.
func loadMTIGMMemberships(ctx context.Context, db *database.DB, bodies, units map[string]uuid.UUID) ([]seated, error) {
	svc := coordination.NewMembershipService(db)
	var out []seated
	add := func(body, code, role, from string, seed bool, notes string) error {
		inst, ok := units[code]
		if !ok {
			return fmt.Errorf("demo membership: unknown institution %s", code)
		}
		d, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return fmt.Errorf("demo membership of %s: %w", code, err)
		}
		if !seed {
			notes = coordJoin(notes, coordinationDemoNoteEN)
		}
		if _, err := svc.Create(ctx, coordination.MembershipFields{BodyID: bodies[body], InstitutionID: inst, Role: role,
			FromDate: d, Notes: opt(notes), Demo: !seed}); err != nil {
			return fmt.Errorf("demo membership of %s in %s: %w", code, body, err)
		}
		if body == MTIGMCode {
			out = append(out, seated{ID: inst, From: d, Observer: role == "observer"})
		}
		return nil
	}
	for _, m := range mtigmMembers {
		note := "The seeds report 22 member institutions without naming them; the date is demo."
		if m.Seed {
			note = "Presides the MTIGM (MGI profile 2019); member since the 2011 decree, whose date the seeds do not give (only the year)."
		}
		if err := add(MTIGMCode, m.Code, "member", m.From, m.Seed, note); err != nil {
			return nil, err
		}
	}
	for _, m := range mtigmObservers {
		if err := add(MTIGMCode, m.Code, "observer", m.From, false, "The seeds report 3 observers without naming them."); err != nil {
			return nil, err
		}
	}
	if err := add(MTIGMPresidencyCode, "PE-MRE", "president", "2011-01-01", true,
		"The MRE presides over the MTIGM (MGI profile 2019); the seeds give only the year of the 2011 decree."); err != nil {
		return nil, err
	}
	if err := add(MTIGMSecretariatCode, "PE-MRE-DGPCA", "technical_secretariat", "2011-01-01", false,
		"The seeds do not say which unit holds the technical secretariat."); err != nil {
		return nil, err
	}
	for _, code := range []string{"PE-MRE-MTIGM-CC-INST", "PE-MRE-MTIGM-CC-SC"} {
		if err := add(MTIGMExtendedCode, code, "support_commission", "2013-01-01", false,
			"One of the MTIGM's two coordination commissions (MGI profile 2019) as a support commission of the extended plenary; the date is demo."); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// seated is an institution sitting in the MTIGM since From.
type seated struct {
	ID       uuid.UUID
	From     time.Time
	Observer bool
}

// loadMTIGMSessions records the sessions seed 004 counts — 27 ordinary and 2 extraordinary
// sessions of the plenary, 2 extended ones — numbered, with demo dates (the ordinary ones every
// two months from February 2011 to June 2015), demo agendas and demo attendance of the
// institutions seated by then. It returns the ordinary sessions' ids by number.
func loadMTIGMSessions(ctx context.Context, db *database.DB, bodies map[string]uuid.UUID, seatedIn []seated) (map[int]uuid.UUID, error) {
	svc := coordination.NewSessionService(db)
	ordinary := map[int]uuid.UUID{}
	notes := coordText(
		"Fecha, lugar, agenda y asistencia de demostración. El número de sesiones (27 ordinarias, 2 extraordinarias y 2 ampliadas a mediados de 2015) es el que reporta la ficha de experiencia exitosa de la MTIGM.",
		"Demo date, place, agenda and attendance. The number of sessions (27 ordinary, 2 extraordinary and 2 extended by mid-2015) is the one the MTIGM's successful experience sheet reports.")
	add := func(body, kind string, number int, held time.Time, agenda []coordination.Text) (uuid.UUID, error) {
		var attendance []coordination.Attendance
		for i, s := range seatedIn {
			if s.From.After(held) {
				continue
			}
			present := (number*7+i*3)%9 != 0 // a demo pattern: most attend, a few miss each session
			a := coordination.Attendance{InstitutionID: s.ID, Present: present}
			if present {
				a.Delegates = new(1 + (number+i)%2)
			}
			attendance = append(attendance, a)
		}
		x, err := svc.Create(ctx, coordination.SessionFields{BodyID: bodies[body], Kind: kind, Number: number, HeldOn: held,
			Place: opt("Lima, Ministerio de Relaciones Exteriores"), Agenda: agenda, Attendance: attendance, Notes: notes, Demo: true})
		if err != nil {
			return uuid.Nil, fmt.Errorf("demo %s session %d of %s: %w", kind, number, body, err)
		}
		return x.ID, nil
	}
	first := time.Date(2011, time.February, 15, 0, 0, 0, 0, time.UTC)
	for n := 1; n <= MTIGMOrdinarySessions; n++ {
		agenda := []coordination.Text{
			coordText("Aprobación del acta de la sesión anterior", "Approval of the minutes of the previous session"),
			coordText("Informe de los grupos de trabajo", "Report of the working groups"),
		}
		if n == 25 {
			agenda = append(agenda, coordText("Aprobación del plan de trabajo 2015", "Approval of the 2015 work plan"))
		}
		id, err := add(MTIGMPlenaryCode, "ordinary", n, first.AddDate(0, 2*(n-1), 0), agenda)
		if err != nil {
			return nil, err
		}
		ordinary[n] = id
	}
	for n, held := range []time.Time{time.Date(2012, time.August, 22, 0, 0, 0, 0, time.UTC), time.Date(2014, time.May, 21, 0, 0, 0, 0, time.UTC)} {
		if _, err := add(MTIGMPlenaryCode, "extraordinary", n+1, held,
			[]coordination.Text{coordText("Asunto urgente de gestión migratoria", "Urgent matter of migration management")}); err != nil {
			return nil, err
		}
	}
	for n, held := range []time.Time{time.Date(2013, time.November, 27, 0, 0, 0, 0, time.UTC), time.Date(2015, time.April, 29, 0, 0, 0, 0, time.UTC)} {
		if _, err := add(MTIGMExtendedCode, "extended", n+1, held,
			[]coordination.Text{coordText("Diálogo con las comisiones de apoyo", "Dialogue with the support commissions")}); err != nil {
			return nil, err
		}
	}
	return ordinary, nil
}

// loadMTIGMWorkPlan records one demo work plan of the plenary for 2015, approved in its 25th
// ordinary session, whose activities echo what seed 004 reports of 2014–2015 (three training
// sessions, the first Migrant's Week with the "Perú Contigo" fair).
func loadMTIGMWorkPlan(ctx context.Context, db *database.DB, bodies, units map[string]uuid.UUID, ordinary map[int]uuid.UUID) error {
	date := func(s string) *time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return &t
	}
	resp := func(codes ...string) []uuid.UUID {
		out := make([]uuid.UUID, len(codes))
		for i, c := range codes {
			out[i] = units[c]
		}
		return out
	}
	session := ordinary[25]
	f := coordination.WorkPlanFields{Code: MTIGMWorkPlanCode, BodyID: bodies[MTIGMPlenaryCode], Demo: true,
		Title:       coordText("Plan de trabajo 2015 de la MTIGM (demostración)", "MTIGM work plan 2015 (demo)"),
		PeriodStart: *date("2015-01-01"), PeriodEnd: *date("2015-12-31"), Status: "approved",
		ApprovedOn: date("2015-02-15"), ApprovedInSessionID: &session,
		Objectives: []coordination.Text{
			coordText("Fortalecer la coordinación intersectorial de la gestión migratoria", "Strengthen multisectoral coordination of migration management"),
			coordText("Capacitar a actores públicos, académicos y de la sociedad civil", "Train public, academic and civil society actors"),
		},
		Activities: []coordination.PlanActivity{
			{Title: coordText("Espacios de capacitación en gestión migratoria", "Training sessions on migration management"),
				Responsible: resp("PE-MRE", "PE-MININTER-MIGRACIONES"), StartDate: date("2015-01-15"), EndDate: date("2015-06-30"), Status: "done"},
			{Title: coordText("Semana del Migrante y Feria de Servicios y Colectividades «Perú Contigo»", "Migrant's Week and the \"Peru With You\" Service and Communities Fair"),
				Responsible: resp("PE-MRE", "PE-MTPE", "PE-RENIEC"), StartDate: date("2015-09-01"), EndDate: date("2015-12-15"), Status: "planned"},
			{Title: coordText("Seguimiento de los acuerdos de los grupos de trabajo", "Follow-up of the working groups' agreements"),
				Responsible: resp("PE-MRE-DGPCA"), StartDate: date("2015-03-01"), EndDate: date("2015-12-31"), Status: "in_progress"},
		},
	}
	if _, err := coordination.NewWorkPlanService(db).Create(ctx, f); err != nil {
		return fmt.Errorf("demo work plan %s: %w", f.Code, err)
	}
	return nil
}

func coordText(es, en string) coordination.Text { return coordination.Text{ES: opt(es), EN: opt(en)} }

// coordJoin is a and b as one text, a space between when both are given.
func coordJoin(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
