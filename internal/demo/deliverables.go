package demo

// The action's deliverables.
//
// Seed file (in /work/shared/seeds/): 000_f7eefd2509ec1ebd.txt, the EUDiF Capacity Development Lab
// action sheet (Peru). It lists the six deliverables (their titles below are its words) and the
// beneficiary (ASN, with its units SSN, PCN and PIM), and says the action lasts 10 months; the
// action plan sets them from October 2022 to July 2023.
//
// The seed states neither owner units, due dates, statuses nor reviews. Which unit owns each
// deliverable is an assumption (the ASN, the beneficiary, unless the work is plainly one unit's:
// data and practices are PIM's research functions F-ASN-16 and F-ASN-18); due dates fall within
// the action, at the end of the activity each deliverable comes from (actionplan.go) or after
// it; statuses, transitions, reviews and the stocktaking report's document are invented for the
// demo, and every deliverable is marked demo. "Today" is long after the action, so the three
// deliverables left short of approval are overdue, as a timeline should show.

// Codes of the deliverables: fixed natural keys other demo loaders find them by.
const (
	DeliverableBlueprint         = "DLV-BLUEPRINT"
	DeliverableNeedsAssessment   = "DLV-NEEDS-ASSESSMENT"
	DeliverableStocktakingReport = "DLV-STOCKTAKING-REPORT"
	DeliverablePracticesReport   = "DLV-PRACTICES-REPORT"
	DeliverableWorkshopReport    = "DLV-WORKSHOP-REPORT"
	DeliverableMenuOfServices    = "DLV-MENU-OF-SERVICES"
)

// DeliverableRecord is a demo deliverable. Owner is an institution Code, Due "YYYY-MM-DD";
// Functions, Practices, Events and Gaps are codes of other demo records. Steps are the
// transitions (and the reviews they act on) that bring it to its demo status, in order.
type DeliverableRecord struct {
	Code                         string
	Type                         string
	TitleES, TitleEN             string
	DescriptionES, DescriptionEN string
	Owner                        string
	Due                          string
	Functions, Practices         []string
	Events, Gaps                 []string
	Document                     *DeliverableDocument
	Steps                        []DeliverableStep
}

// DeliverableStep is one demo transition to To with Comment. A Review, when given, is recorded
// first and the transition cites it.
type DeliverableStep struct {
	To, Comment string
	Review      *DeliverableReview
}

// DeliverableReview is a demo review: its verdict and comments, on the deliverable's latest
// document version when it has one.
type DeliverableReview struct{ Verdict, Comments string }

// DeliverableDocument is a demo document version, uploaded before the steps: a small Markdown
// file.
type DeliverableDocument struct{ Filename, Note, Markdown string }

// dlvDemoStep is the comment of the demo transitions: they are invented.
const dlvDemoStep = "Demo transition: "

// Deliverables lists the action's six deliverables (seed 000, "Deliverables").
var Deliverables = []DeliverableRecord{
	{
		Code: DeliverableNeedsAssessment, Type: "needs_assessment_report",
		TitleES: "Informe de evaluación de necesidades sobre la situación organizativa actual de la DGPCA",
		TitleEN: "Needs assessment report on the current organisational state of the DGPCA",
		DescriptionES: "Evalúa la capacidad organizativa actual de los asuntos de la diáspora en la DGPCA (primera actividad de análisis " +
			"del plan de acción). Datos de demostración: unidad responsable, fecha límite y estado inventados.",
		DescriptionEN: "Assesses the current organisational capacity of diaspora affairs within the DGPCA (the action plan's first " +
			"analysis activity). Demo data: owner unit, due date and status are invented.",
		Owner: "PE-MRE-DGPCA-ASN", Due: "2022-12-16",
		Functions: []string{"F-ASN-01", "F-ASN-02", "F-ASN-03", "F-ASN-04"},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "interviews with the DGPCA, ASN, SSN, PCN and PIM begin."},
			{To: "in_review", Comment: dlvDemoStep + "full draft shared with the ASN."},
			{To: "approved", Comment: dlvDemoStep + "approved by the coordination."},
			{To: "published", Comment: dlvDemoStep + "circulated within the DGPCA."},
		},
	},
	{
		Code: DeliverableStocktakingReport, Type: "stocktaking_report",
		TitleES: "Informe de inventario que analiza los datos disponibles sobre la diáspora",
		TitleEN: "Stocktaking report analysing available relevant diaspora data",
		DescriptionES: "Compila la información existente sobre la diáspora peruana y señala los vacíos de datos. Datos de " +
			"demostración: unidad responsable (PIM, supuesto), fecha límite, estado y documento inventados.",
		DescriptionEN: "Compiles existing information on the Peruvian diaspora and points out the data gaps. Demo data: owner unit " +
			"(PIM, an assumption), due date, status and document are invented.",
		Owner: "PE-MRE-DGPCA-ASN-PIM", Due: "2023-01-31",
		Functions: []string{"F-ASN-16"},
		Gaps:      []string{"GAP-DIASPORA-DESCENDANTS", "GAP-REMITTANCES-UNIT", "GAP-REGION-OF-ORIGIN", "GAP-OTHER-COUNTRIES"},
		Document: &DeliverableDocument{Filename: "stocktaking-report.md", Note: "Demo document generated by Puente.",
			Markdown: "# Stocktaking report on diaspora data (demo)\n\n" +
				"*Demo document generated by Puente: not the action's report.*\n\n" +
				"## Headline figures\n\n" +
				"- More than 3 million Peruvians abroad, 10% of the population (action sheet); 3.3 million per INEI 2022.\n" +
				"- Remittances of \"almost 3 million USD in 2019\" (action sheet): the unit is very likely wrong.\n\n" +
				"## Data gaps\n\n" +
				"1. No source counts the descendants of Peruvians born abroad.\n" +
				"2. No annual series of remittances, and a doubtful unit.\n" +
				"3. No figures of Peruvians abroad by region of origin.\n" +
				"4. No figures beyond the five main countries of residence.\n"},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "data compilation begins."},
			{To: "in_review", Comment: dlvDemoStep + "draft with the data gaps submitted."},
			{To: "approved", Comment: dlvDemoStep + "approved after review.",
				Review: &DeliverableReview{Verdict: "approve", Comments: "Demo review: the gaps are well argued; approve."}},
		},
	},
	{
		Code: DeliverablePracticesReport, Type: "practices_report",
		TitleES: "Informe de prácticas relevantes en marcos institucionales para la vinculación con la diáspora",
		TitleEN: "Report of relevant practices in institutional frameworks for diaspora engagement",
		DescriptionES: "Revisa prácticas de vinculación con la diáspora de instituciones similares, en el Perú y en la región. Datos " +
			"de demostración: unidad responsable (PIM, supuesto), fecha límite, estado y revisión inventados.",
		DescriptionEN: "Reviews diaspora engagement practices of similar institutions, in Peru and in the region. Demo data: owner " +
			"unit (PIM, an assumption), due date, status and review are invented.",
		Owner: "PE-MRE-DGPCA-ASN-PIM", Due: "2023-02-28",
		Functions: []string{"F-ASN-18"},
		Practices: []string{PracticeMTIGM, PracticeBIM, PracticeReturnLaw, PracticeFair, PracticeGTIM, PracticeCongress,
			PracticeCSM, PracticeMercosurRA},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "practice review begins."},
			{To: "in_review", Comment: dlvDemoStep + "first draft submitted."},
			{To: "changes_requested", Comment: dlvDemoStep + "add the regional dialogues and what transfers to ASN.",
				Review: &DeliverableReview{Verdict: "changes_requested",
					Comments: "Demo review: add the South American Conference on Migration and say, for each practice, what ASN could take from it."}},
			{To: "in_review", Comment: dlvDemoStep + "revised draft submitted."},
			{To: "approved", Comment: dlvDemoStep + "approved by the coordination."},
			{To: "published", Comment: dlvDemoStep + "shared with the workshop's participants."},
		},
	},
	{
		Code: DeliverableWorkshopReport, Type: "event_report",
		TitleES: "Informe del taller de aprendizaje entre pares",
		TitleEN: "Event report of the peer-learning workshop",
		DescriptionES: "Relata el taller con representantes de gobiernos de la región y sus conclusiones para la ASN. Datos de " +
			"demostración: unidad responsable, fecha límite y estado inventados.",
		DescriptionEN: "Reports on the workshop with government representatives from the region and its conclusions for ASN. Demo " +
			"data: owner unit, due date and status are invented.",
		Owner: "PE-MRE-DGPCA-ASN", Due: "2023-06-09",
		Practices: []string{PracticeMTIGM, PracticeBIM, PracticeReturnLaw},
		Events:    []string{"PE-TALLER-PARES-2023"},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "drafting after the workshop."},
			{To: "in_review", Comment: dlvDemoStep + "draft sent to the participants for comments."},
		},
	},
	{
		Code: DeliverableMenuOfServices, Type: "menu_of_services",
		TitleES: "Menú de servicios de interés para la diáspora",
		TitleEN: "Menu of services that are of interest to the diaspora",
		DescriptionES: "Reúne los servicios del Estado que interesan a la diáspora, a partir de lo que dijo en las consultas. " +
			"Datos de demostración: unidad responsable, fecha límite y estado inventados.",
		DescriptionEN: "Gathers the State's services of interest to the diaspora, from what it said in the consultations. Demo " +
			"data: owner unit, due date and status are invented.",
		Owner: "PE-MRE-DGPCA-ASN", Due: "2023-06-30",
		Functions: []string{"F-ASN-27", "F-ASN-29"},
		Events:    []string{"PE-CONSULTA-2023-01", "PE-CONSULTA-2023-02"},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "services collected after the consultations."},
			{To: "in_review", Comment: dlvDemoStep + "first menu submitted."},
			{To: "changes_requested", Comment: dlvDemoStep + "say which consultation input each service answers.",
				Review: &DeliverableReview{Verdict: "changes_requested",
					Comments: "Demo review: link each service to the consultation inputs it answers and to its legal basis."}},
		},
	},
	{
		Code: DeliverableBlueprint, Type: "blueprint",
		TitleES: "Proyecto de normas y reglamentos internos sobre las funciones de vinculación con la diáspora de las unidades de la ASN",
		TitleEN: "Blueprint of internal rules and regulations focused on functions related to diaspora engagement matters for ASN agencies",
		DescriptionES: "El principal entregable: delimita el mandato de la PIM dentro de la ASN y sus funciones frente a la SSN y la " +
			"PCN, redactado artículo por artículo en sesiones de co-redacción. Datos de demostración: fecha límite y estado inventados.",
		DescriptionEN: "The main deliverable: delimits PIM's mandate within ASN and its functions vis-à-vis SSN and PCN, co-drafted " +
			"article by article. Demo data: due date and status are invented.",
		Owner: "PE-MRE-DGPCA-ASN", Due: "2023-07-14",
		Functions: []string{"F-ASN-01", "F-ASN-02", "F-ASN-03", "F-ASN-04", "F-ASN-13", "F-ASN-14", "F-ASN-15", "F-ASN-16",
			"F-ASN-17", "F-ASN-18"},
		Steps: []DeliverableStep{
			{To: "in_progress", Comment: dlvDemoStep + "co-drafting sessions begin."},
			{To: "in_review", Comment: dlvDemoStep + "draft presented to DGPCA staff for review."},
		},
	},
}
