package demo

// The action plan: the action, its expected results with their indicators, its activities.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru): the title,
//     the beneficiary (ASN), the duration ("10 months"), the general objective, the three specific
//     objectives, the activities of the action plan, the six deliverables and the four expected
//     results. Every English text below marked "seed 000" is quoted from it verbatim.
//   - 001_1ef0df5541c4ac36.txt: the action was launched with ASN in October 2022.
//
// What the seeds do not state is demo data, and says so:
//   - The dates: the action runs 10 months from October 2022 (2022-10-01 to 2023-07-31); the
//     dates of each activity within them are invented, placed so that the activities match the
//     dates of the demo events (events.go) they are linked to.
//   - The statuses and progress of the activities: "today" is long after the action, so all are
//     done but the presentation, left in progress so the timeline shows an overdue activity.
//   - Every indicator (name, unit, baseline, target, actual, measurement date): the seed lists
//     the expected results without indicators. One has no actual yet, so the demo shows a result
//     whose progress rests on its other indicator.
//   - The Spanish texts of what the seed says in English are our translations, each ending with
//     PlanTranslationMarkES; activity descriptions end with ActivityDemoNoteEN (ES).
//
// Activities link events by code (events.go) and deliverables by the fixed codes the deliverables
// demo data uses; the loader links a deliverable only when that data has it.

// PlanTranslationMarkES ends every Spanish text of the action plan demo data that translates an
// English text of the seed.
const PlanTranslationMarkES = "(traducción de demostración)"

// ActivityDemoNoteEN and ActivityDemoNoteES end the description of every demo activity.
const (
	ActivityDemoNoteEN = "Demo: dates, status, progress and links are assumptions of the demo data; the action sheet lists the activity, not its schedule."
	ActivityDemoNoteES = "Datos de demostración: las fechas, el estado, el avance y los vínculos son supuestos; la ficha de la acción enumera la actividad, no su calendario."
)

// PlanActionCode is the natural key of the demo action, which the other loaders look up.
const PlanActionCode = "EUDIF-CDL-PE-2022"

// PlanActionData is the demo action. Beneficiary is an institution Code; Start and End are
// "YYYY-MM-DD". Each objective is an English text of the seed and our Spanish translation.
type PlanActionData struct {
	Code                 string
	TitleEN, TitleES     string
	Beneficiary          string
	Start, End           string
	GeneralEN, GeneralES string
	Specific             [][2]string // {en, es}
}

// PlanAction is the action of seed 000.
var PlanAction = PlanActionData{
	Code: PlanActionCode,
	// Seed 000, the action's title.
	TitleEN: "Strengthening regulatory foundations for diaspora institutional performance and coordination in Peru",
	TitleES: "Fortalecimiento de las bases normativas para el desempeño institucional y la coordinación en materia de diáspora en el Perú " + PlanTranslationMarkES,
	// Seed 000, "Beneficiary": the Directorate for Protection and Assistance to Nationals (ASN).
	Beneficiary: "PE-MRE-DGPCA-ASN",
	// Seed 000 "Duration: 10 months"; seed 001, launched in October 2022.
	Start: "2022-10-01", End: "2023-07-31",
	// Seed 000, "General objective".
	GeneralEN: "Strengthen the regulatory foundations for improved institutional performance and coordination in the field of diaspora engagement in Peru.",
	GeneralES: "Fortalecer las bases normativas para mejorar el desempeño institucional y la coordinación en el ámbito de la vinculación con la diáspora en el Perú. " + PlanTranslationMarkES,
	// Seed 000, "Specific objectives".
	Specific: [][2]string{
		{"Facilitate peer learning in diaspora institutional development",
			"Facilitar el aprendizaje entre pares en el desarrollo institucional en materia de diáspora " + PlanTranslationMarkES},
		{"Ensure the participation of diaspora in the institutional development process",
			"Asegurar la participación de la diáspora en el proceso de desarrollo institucional " + PlanTranslationMarkES},
		{"Flesh out effective internal rules and regulations",
			"Desarrollar normas y reglamentos internos eficaces " + PlanTranslationMarkES},
	},
}

// PlanResult is a demo expected result: its statement is the seed's, its indicators the demo's.
type PlanResult struct {
	Code                     string
	StatementEN, StatementES string
	Indicators               []PlanIndicator
}

// PlanIndicator is a demo indicator; a nil figure is one not measured. MeasuredOn is
// "YYYY-MM-DD" or "".
type PlanIndicator struct {
	Code                     string
	NameEN, NameES           string
	Unit                     string
	Baseline, Target, Actual *float64
	MeasuredOn               string
}

func planFigure(v float64) *float64 { return &v }

// PlanResults are the four expected results of seed 000 ("Expected results"), in its order.
var PlanResults = []PlanResult{
	{
		Code:        "R1",
		StatementEN: "ASN enhance its institutional capacities through a clear definition and repartition of roles which will allow government institutions to better engage and serve their diaspora",
		StatementES: "La ASN mejora sus capacidades institucionales mediante una definición y un reparto claros de funciones que permitirán a las instituciones del Estado vincularse mejor con su diáspora y servirla mejor " + PlanTranslationMarkES,
		Indicators: []PlanIndicator{
			{Code: "R1.1", NameEN: "Diaspora-related functions assigned to one responsible unit",
				NameES: "Funciones relativas a la diáspora asignadas a una unidad responsable", Unit: "%",
				Baseline: planFigure(40), Target: planFigure(100), Actual: planFigure(85), MeasuredOn: "2023-07-31"},
			{Code: "R1.2", NameEN: "Functions claimed by more than one of PIM, SSN and PCN",
				NameES: "Funciones que reclama más de una unidad entre PIM, SSN y PCN", Unit: "functions",
				Baseline: planFigure(12), Target: planFigure(0), Actual: planFigure(3), MeasuredOn: "2023-07-31"},
		},
	},
	{
		Code:        "R2",
		StatementEN: "ASN is provided with better knowledge and experience at a regional level on relevant practices in terms of frameworks for diaspora governmental institutions and lessons learned of peers in other diaspora institutions",
		StatementES: "La ASN cuenta con mayor conocimiento y experiencia a nivel regional sobre prácticas pertinentes en materia de marcos para las instituciones gubernamentales de diáspora y sobre las lecciones aprendidas por sus pares en otras instituciones de diáspora " + PlanTranslationMarkES,
		Indicators: []PlanIndicator{
			{Code: "R2.1", NameEN: "Practices of peer institutions reviewed", NameES: "Prácticas de instituciones pares revisadas",
				Unit: "practices", Baseline: planFigure(0), Target: planFigure(8), Actual: planFigure(9), MeasuredOn: "2023-02-28"},
			{Code: "R2.2", NameEN: "Countries of the region represented at the peer-learning workshop",
				NameES: "Países de la región representados en el taller de aprendizaje entre pares", Unit: "countries",
				Baseline: planFigure(0), Target: planFigure(5), Actual: planFigure(4), MeasuredOn: "2023-05-17"},
		},
	},
	{
		Code:        "R3",
		StatementEN: "Government-diaspora relationship and trust is developed by including a participatory element to policymaking through diaspora consultations",
		StatementES: "Se desarrollan la relación y la confianza entre el Estado y la diáspora al incluir un componente participativo en la formulación de políticas mediante consultas con la diáspora " + PlanTranslationMarkES,
		Indicators: []PlanIndicator{
			{Code: "R3.1", NameEN: "Diaspora consultations held", NameES: "Consultas con la diáspora realizadas", Unit: "consultations",
				Baseline: planFigure(0), Target: planFigure(2), Actual: planFigure(2), MeasuredOn: "2023-04-15"},
			{Code: "R3.2", NameEN: "Consultation inputs answered by the menu of services",
				NameES: "Aportes de las consultas atendidos por el menú de servicios", Unit: "%",
				Baseline: planFigure(0), Target: planFigure(75)},
		},
	},
	{
		Code:        "R4",
		StatementEN: "ASN staff improves their individual capacities in co-drafting internal rules and regulations for future needs",
		StatementES: "El personal de la ASN mejora sus capacidades individuales para co-redactar normas y reglamentos internos ante necesidades futuras " + PlanTranslationMarkES,
		Indicators: []PlanIndicator{
			{Code: "R4.1", NameEN: "ASN staff taking part in the co-drafting sessions",
				NameES: "Personal de la ASN que participa en las sesiones de co-redacción", Unit: "persons",
				Baseline: planFigure(0), Target: planFigure(15), Actual: planFigure(12), MeasuredOn: "2023-07-14"},
		},
	},
}

// PlanActivity is a demo activity. DescriptionEN is the seed's wording of it (ActivityDemoNoteEN
// is added when loading); Events are event codes, Deliverables deliverable codes.
type PlanActivity struct {
	Code, Type                   string
	TitleEN, TitleES             string
	DescriptionEN, DescriptionES string
	Start, End                   string
	Status                       string
	Progress                     int
	Events                       []string
	Deliverables                 []string
}

// PlanActivities are the activities of the seed's action plan (seed 000, "ACTION PLAN"), in its
// order: analysis and research, knowledge transfer events, strategic documents, visibility.
var PlanActivities = []PlanActivity{
	{Code: "A1", Type: "needs_assessment", TitleEN: "Needs assessment", TitleES: "Diagnóstico de necesidades",
		DescriptionEN: "Needs assessment of the current organisational capacity of diaspora affairs within the DGPCA",
		DescriptionES: "Diagnóstico de necesidades de la capacidad organizativa actual en asuntos de diáspora en la DGPCA " + PlanTranslationMarkES,
		Start:         "2022-10-03", End: "2022-12-16", Status: "done", Deliverables: []string{"DLV-NEEDS-ASSESSMENT"}},
	{Code: "A2", Type: "data_compilation", TitleEN: "Data compilation", TitleES: "Recopilación de datos",
		DescriptionEN: "Data compilation of existing information on the Peruvian diaspora",
		DescriptionES: "Recopilación de la información existente sobre la diáspora peruana " + PlanTranslationMarkES,
		Start:         "2022-10-17", End: "2023-01-31", Status: "done", Deliverables: []string{"DLV-STOCKTAKING-REPORT"}},
	{Code: "A3", Type: "practice_review", TitleEN: "Review of practices", TitleES: "Revisión de prácticas",
		DescriptionEN: "Review of relevant diaspora engagement practices of similar institutions",
		DescriptionES: "Revisión de prácticas pertinentes de vinculación con la diáspora de instituciones similares " + PlanTranslationMarkES,
		Start:         "2022-11-14", End: "2023-02-28", Status: "done", Deliverables: []string{"DLV-PRACTICES-REPORT"}},
	{Code: "A4", Type: "peer_learning_workshop", TitleEN: "Peer-learning workshop", TitleES: "Taller de aprendizaje entre pares",
		DescriptionEN: "Peer learning workshop with government representatives from the region with relevant institutional structures",
		DescriptionES: "Taller de aprendizaje entre pares con representantes gubernamentales de la región con estructuras institucionales pertinentes " + PlanTranslationMarkES,
		Start:         "2023-04-03", End: "2023-06-09", Status: "done", Events: []string{"PE-TALLER-PARES-2023"},
		Deliverables: []string{"DLV-WORKSHOP-REPORT"}},
	{Code: "A5", Type: "diaspora_consultation", TitleEN: "Diaspora consultations", TitleES: "Consultas con la diáspora",
		DescriptionEN: "Diaspora consultations to receive first-hand input from diaspora and understand their needs",
		DescriptionES: "Consultas con la diáspora para recibir aportes de primera mano y comprender sus necesidades " + PlanTranslationMarkES,
		Start:         "2023-02-13", End: "2023-04-28", Status: "done", Events: []string{"PE-CONSULTA-2023-01", "PE-CONSULTA-2023-02"},
		Deliverables: []string{"DLV-MENU-OF-SERVICES"}},
	{Code: "A6", Type: "co_drafting", TitleEN: "Co-drafting sessions of the blueprint", TitleES: "Sesiones de co-redacción del proyecto de reglamento",
		DescriptionEN: "Co-drafting sessions of the blueprint for ASN's regulation of organisation and functions related to diaspora engagement",
		DescriptionES: "Sesiones de co-redacción del proyecto de reglamento de organización y funciones de la ASN relativo a la vinculación con la diáspora " + PlanTranslationMarkES,
		Start:         "2023-05-22", End: "2023-07-14", Status: "done", Deliverables: []string{"DLV-BLUEPRINT"}},
	{Code: "A7", Type: "presentation", TitleEN: "Presentation of the blueprint", TitleES: "Presentación del proyecto de reglamento",
		DescriptionEN: "Presentation of the blueprint among staff members from the DGPCA and other relevant government institutions",
		DescriptionES: "Presentación del proyecto de reglamento al personal de la DGPCA y de otras instituciones gubernamentales pertinentes " + PlanTranslationMarkES,
		Start:         "2023-07-17", End: "2023-07-28", Status: "in_progress", Progress: 50, Deliverables: []string{"DLV-BLUEPRINT"}},
}
