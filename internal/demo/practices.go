package demo

// The practice library: Peru's own practices and the regional peers the seeds name.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru)
//   - 001_1ef0df5541c4ac36.txt: EUDiF news item on the action launch (November 2022)
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru profile 2019
//   - 004_087ee23eaa0bf9f6.txt: MTIGM "successful experience" sheet (Spanish/English)
//
// What a record says about the practice — names, dates, bodies, figures, sources — is what the
// seeds state, quoted or closely paraphrased, and the comment above each record names the seed.
// The editorial assessment around it — the Global Compact objectives and SDG targets it is
// tagged with, the themes, the transferability to Peru and its rationale, and the editorial
// status — is invented for the demo: every record is therefore marked demo, and its
// transferability rationale begins with DemoAssessmentNote. A seed gives only a year for most
// dates: the period then starts on 1 January of that year, as the comments say.

// PracticeRecord is a demo practice. Institution and Partners are institution Codes ("" or none
// when no Puente institution fits). Dates are "YYYY-MM-DD" or "". Status is the editorial status
// the loader moves it to through the workflow (draft, submitted, validated, published).
type PracticeRecord struct {
	Code                                   string
	TitleES, TitleEN                       string
	SummaryES, SummaryEN                   string
	DescriptionES, DescriptionEN           string
	Scope, Country                         string // country "" unless scope is national
	Institution                            string
	Partners                               []string
	Type                                   string
	Themes, Migof                          []string
	GcmObjectives                          []int
	SdgTargets                             []string
	PeriodStart, PeriodEnd                 string
	TargetPopulationES, TargetPopulationEN string
	OutcomesES, OutcomesEN                 string
	LessonsES, LessonsEN                   string
	Transferability                        string // high, medium, low
	RationaleES, RationaleEN               string // each begins with DemoAssessmentNote (or its Spanish form)
	Sources                                []PracticeSource
	Status                                 string
}

// PracticeSource is a citation of a demo practice; URL "" when the seed gives none.
type PracticeSource struct{ Citation, URL string }

// DemoAssessmentNote begins every transferability rationale of the demo practices: the
// assessment is the demo's, not an expert's.
const (
	DemoAssessmentNote   = "Demo assessment:"
	DemoAssessmentNoteES = "Evaluación de demostración:"
)

// Codes of the demo practices, for the tables below, other demo data and tests.
const (
	PracticeMTIGM      = "PE-MTIGM"
	PracticeBIM        = "PE-BIM"
	PracticeReturnLaw  = "PE-LEY-30001"
	PracticeFair       = "PE-FERIA-PERU-CONTIGO"
	PracticeGTIM       = "PE-MIGRACIONES-GTIM"
	PracticeCongress   = "PE-CIRCUNSCRIPCION-EXTERIOR"
	PracticeCSM        = "INT-CSM"
	PracticeMercosurRA = "INT-MERCOSUR-RESIDENCIA"
)

// Citations of the seeds themselves.
var (
	seedMTIGMSheet = PracticeSource{Citation: "Gobierno del Perú, «Experiencia exitosa en Políticas y Gestión Migratoria: Mesa de Trabajo Intersectorial para la Gestión Migratoria (MTIGM)» / «Successful experience in migration policies and management»"}
	seedMGI        = PracticeSource{Citation: "IOM, Migration Governance Indicators: Peru, Profile 2019 (PUB/2019/115/R)"}
	seedEUDiFNews  = PracticeSource{Citation: "EUDiF, «Action launch: Enhancing institutional capacities for diaspora engagement in Peru», 3 November 2022"}
	seedEUDiFSheet = PracticeSource{Citation: "EUDiF Capacity Development Lab, «Strengthening regulatory foundations for diaspora institutional performance and coordination in Peru», action sheet, 2022",
		URL: "https://www.diasporafordevelopment.eu"}
)

// Practices lists the demo practices.
var Practices = []PracticeRecord{
	// Seed 004 throughout (summary, background, six coordination bodies, results achieved; its
	// related link is www.perucontigo.gob.pe); seed 002: 22 public institutions and 3 observers,
	// monthly sessions, round tables in 12 regions, MiGOF whole-of-government area; seed 001:
	// created in 2011 by the MFA. Period from the 2011 decree (the seed gives only the year).
	{
		Code:    PracticeMTIGM,
		TitleES: "Mesa de Trabajo Intersectorial para la Gestión Migratoria (MTIGM)",
		TitleEN: "Migration Management Multisectoral Commission (MTIGM)",
		SummaryES: "Comisión Multisectorial de carácter permanente, presidida por el Ministerio de Relaciones Exteriores, " +
			"que coordina, evalúa, propone, prioriza y supervisa políticas y acciones vinculadas a la gestión integral migratoria. " +
			"Las reuniones de trabajo se iniciaron en el 2009 y se instaló oficialmente tras la publicación de su Decreto de creación en el 2011.",
		SummaryEN: "A permanent Multisectoral Commission, presided over by the Ministry of Foreign Affairs, that coordinates, evaluates, " +
			"proposes, prioritizes and supervises policies and actions related to comprehensive migration management. Working meetings " +
			"started in 2009 and it was officially implemented after the publication of its Decree of creation in 2011.",
		DescriptionES: "En el 2009 el Estado peruano había realizado diversos esfuerzos sectoriales para dar soporte a los connacionales en el exterior " +
			"y a los extranjeros en el Perú; la dimensión de la migración peruana requería ir más allá y articular una política de Estado integral y multisectorial. " +
			"La MTIGM cuenta con 6 instancias de coordinación: Pleno; Presidencia; Secretaría Técnica; Grupos de Trabajo; Subgrupos de Trabajo; y " +
			"Pleno en sesión ampliada con Comisiones de Apoyo. Reúne a representantes de 22 instituciones públicas y 3 observadores, y sesiona " +
			"periódicamente (en general, cada mes) en sesiones ordinarias o extraordinarias. A través de las oficinas desconcentradas del Ministerio " +
			"se han establecido mesas intersectoriales en 12 regiones del país.",
		DescriptionEN: "In 2009 the Peruvian Government had made different sectoral efforts to support nationals living abroad and aliens living in Peru; " +
			"the scale of Peruvian migration made it necessary to go beyond them and articulate a comprehensive and multisectoral State policy. " +
			"The MTIGM has 6 coordination bodies: Plenary Session; Presidency; Technical Secretariat; Working Groups; Working Subgroups; and " +
			"Extended Plenary Session with Support Commissions. It includes representatives of 22 public institutions and 3 Observers and meets " +
			"periodically (generally monthly) in ordinary or extraordinary sessions. Through the decentralized offices of the Ministry, intersectoral " +
			"round tables have been established in 12 regions of the country.",
		Scope: "national", Country: "PE", Institution: "PE-MRE", Partners: []string{"INT-IOM"},
		Type:   "institutional_framework",
		Themes: []string{"coordination", "migration-governance", "whole-of-government"},
		Migof:  []string{"whole_of_government", "partnerships"}, GcmObjectives: []int{23}, SdgTargets: []string{"10.7"},
		PeriodStart:        "2011-01-01",
		TargetPopulationES: "Connacionales en el exterior y personas extranjeras en el Perú.",
		TargetPopulationEN: "Peruvian migrants abroad and foreign migrants living in the country.",
		OutcomesES: "Ha realizado veintisiete (27) sesiones ordinarias, dos (02) sesiones extraordinarias y dos (02) sesiones ampliadas. " +
			"Entre el último semestre del 2014 y el primer semestre del 2015 llevó a cabo tres espacios de capacitación, que beneficiaron a 143 personas " +
			"del sector público, de la academia, de la sociedad civil y de asociaciones de migrantes. Se estima que la Feria de Servicios y Colectividades " +
			"«Perú Contigo», en la primera edición de la Semana del Migrante, contó con la asistencia de tres mil personas. Con la OIM se logró la aprobación " +
			"del proyecto «Fortaleciendo la gestión migratoria en el Perú», financiado por el Fondo de Desarrollo de la OIM.",
		OutcomesEN: "It has held twenty-seven (27) ordinary sessions, two (02) extraordinary sessions and two (2) extended sessions. Between the last half " +
			"of 2014 and the first half of 2015 it held three training sessions benefiting 143 people from the public and academic sectors, the civil " +
			"society and migrant associations. Three thousand people are estimated to have attended the Service and Communities Fair «Perú Contigo» " +
			"held during the first Migrant's Week. With IOM, the IOM Development Fund-backed project «Strengthening Migration Management in Peru» was approved.",
		LessonsES: "Se fortaleció en tres planos: institucional (más Miembros y Observadores, Comisiones especiales de apoyo), normativo " +
			"(un reglamento y directivas internas) e instrumental (planes de trabajo diseñados y aprobados de manera intersectorial, un portal web " +
			"y una intranet). Dejó atrás la gestión únicamente sectorial por una gestión derivada del diálogo y la coordinación intersectorial, centrada en la persona migrante.",
		LessonsEN: "It was strengthened on three levels: institutional (more Members and Observers, special support Commissions), regulatory " +
			"(regulations and internal directives) and instrumental (work plans designed and approved in a multisectoral manner, a web portal and " +
			"an intranet). It left behind a solely sectoral management for a migrant-centred management derived from multisectoral dialogue and coordination.",
		Transferability: "high",
		RationaleES:     DemoAssessmentNoteES + " es un mecanismo del propio Perú que ya reúne a los sectores con los que la ASN tendría que coordinar la vinculación con la diáspora.",
		RationaleEN:     DemoAssessmentNote + " it is Peru's own mechanism and already brings together the sectors ASN would coordinate diaspora engagement with.",
		Sources: []PracticeSource{
			{Citation: seedMTIGMSheet.Citation, URL: "http://www.perucontigo.gob.pe"},
			seedMGI, seedEUDiFNews,
		},
		Status: "published",
	},
	// Seed 004: the fair, its estimated attendance and the Migrant's Week; nothing else is
	// known, so it stays a draft for an editor to complete.
	{
		Code:      PracticeFair,
		TitleES:   "Feria de Servicios y Colectividades «Perú Contigo»",
		TitleEN:   "Service and Communities Fair «Perú Contigo»",
		SummaryES: "Feria organizada en el marco de la primera edición de la Semana del Migrante, como parte de las actividades de la MTIGM.",
		SummaryEN: "A fair held as part of the activities of the first edition of the Migrant's Week, among the MTIGM's activities.",
		Scope:     "national", Country: "PE", Institution: "PE-MRE-MTIGM",
		Type: "service_offer", Themes: []string{"services", "outreach"}, Migof: []string{"wellbeing_of_migrants"}, GcmObjectives: []int{3},
		OutcomesES:      "Se estima que asistieron tres mil personas.",
		OutcomesEN:      "Three thousand people are estimated to have attended.",
		Transferability: "medium",
		RationaleES:     DemoAssessmentNoteES + " se conoce su asistencia pero no sus servicios; falta documentarla.",
		RationaleEN:     DemoAssessmentNote + " its attendance is known but not its services; it needs documenting.",
		Sources:         []PracticeSource{{Citation: seedMTIGMSheet.Citation, URL: "http://www.perucontigo.gob.pe"}},
		Status:          "draft",
	},
	// Seed 002, section 4.1 and footnote 7 (what BIM does; created by government and private
	// sector; ENIF since 2015) and its sources (the BBVA article of 2016).
	{
		Code:    PracticeBIM,
		TitleES: "Billetera móvil BIM",
		TitleEN: "BIM mobile wallet",
		SummaryES: "Billetera electrónica en el teléfono móvil que impulsa la inclusión financiera en el Perú y permite transferir giros y fondos " +
			"electrónicos, en particular a migrantes y sus familias que envían o reciben remesas.",
		SummaryEN: "An electronic wallet in a mobile telephone that boosts financial inclusiveness in Peru and enables the transfer of money orders " +
			"and electronic funds, notably for migrants and their families who send or receive remittances.",
		DescriptionES: "Permite a sus usuarios hacer depósitos, transferir dinero, retirar fondos y recargar el saldo del celular. La plataforma se creó en " +
			"colaboración entre el gobierno y el sector privado, en el marco de la Estrategia Nacional de Inclusión Financiera (ENIF), lanzada en 2015, " +
			"con la que el Gobierno busca reducir el costo de los pagos electrónicos.",
		DescriptionEN: "It allows its users to make deposits, perform money transfers, withdraw funds and recharge the account balance of the cell phone. " +
			"The platform was created in collaboration between the government and private sector, under the National Financial Inclusion Strategy " +
			"(ENIF) launched in 2015, through which the Government has worked towards reducing the cost of electronic payments.",
		Scope: "national", Country: "PE",
		Type:   "remittance_investment_channel",
		Themes: []string{"remittances", "financial-inclusion"}, Migof: []string{"wellbeing_of_migrants"},
		GcmObjectives: []int{20}, SdgTargets: []string{"10.c"},
		TargetPopulationES: "Migrantes y sus familias que envían o reciben remesas.",
		TargetPopulationEN: "Migrants and their families who send or receive remittances.",
		Transferability:    "high",
		RationaleES:        DemoAssessmentNoteES + " ya funciona en el Perú; la diáspora podría usarla para remesas si se la da a conocer en los consulados.",
		RationaleEN:        DemoAssessmentNote + " it already works in Peru; the diaspora could use it for remittances if consulates promoted it.",
		Sources: []PracticeSource{seedMGI,
			{Citation: "Banco Bilbao Vizcaya Argentaria (2016), «BIM: la billetera móvil impulsa la inclusión financiera en el Perú»",
				URL: "https://www.bbva.com/es/bim-la-billetera-movil-impulsa-la-inclusion-financiera-peru/"}},
		Status: "published",
	},
	// Seed 002, section 6.1 (Law No. 30001 of 2013 and its amendment Law No. 30525; the rights it
	// gives) and its sources (El Peruano, MRE, SBS). Period from 2013 (the seed gives the year).
	{
		Code:    PracticeReturnLaw,
		TitleES: "Ley de Reinserción Económica y Social para el Migrante Retornado (Ley N.º 30001)",
		TitleEN: "Law on the Economic and Social Reintegration of the Returning Migrant (Law No. 30001)",
		SummaryES: "Política específica para facilitar la reinserción de los peruanos que retornan al país: la Ley N.º 30001 de 2013 y su modificatoria, " +
			"la Ley N.º 30525, reconocen a los retornantes y sus familias el derecho a pedir apoyo y orientación a las instituciones del Estado.",
		SummaryEN: "A specific policy to facilitate the reintegration of Peruvians who return to the country: Law No. 30001 of 2013 and its Amendment, " +
			"Law No. 30525, give returning Peruvians and their families the right to request support and guidance from State institutions.",
		DescriptionES: "El apoyo y la orientación abarcan los ámbitos legal, educativo, de salud y de desarrollo económico. La ley también trata servicios tributarios y socioeconómicos.",
		DescriptionEN: "Support and guidance cover the legal, educational, health and economic development fields. The Law also addresses tax and socioeconomic services.",
		Scope:         "national", Country: "PE",
		Type:   "return_reintegration",
		Themes: []string{"returnees", "legal-framework"}, Migof: []string{"safe_orderly_dignified_migration"},
		GcmObjectives: []int{21}, SdgTargets: []string{"10.7"},
		PeriodStart:        "2013-01-01",
		TargetPopulationES: "Peruanos que retornan al país y sus familias.",
		TargetPopulationEN: "Returning Peruvians and their families.",
		Transferability:    "high",
		RationaleES:        DemoAssessmentNoteES + " es ley peruana vigente; la cuestión es cómo la ASN informa de ella a la diáspora antes del retorno.",
		RationaleEN:        DemoAssessmentNote + " it is Peruvian law in force; the question is how ASN tells the diaspora about it before they return.",
		Sources: []PracticeSource{seedMGI,
			{Citation: "Ley que modifica la Ley 30001, Ley de Reinserción Económica y Social para el Migrante Retornado (Ley N.º 30525), El Peruano",
				URL: "https://busquedas.elperuano.pe/normaslegales/ley-que-modifica-la-ley-30001-ley-de-reinsercion-economica-ley-n-30525-1463876-1/"},
			{Citation: "Ministerio de Relaciones Exteriores, Ley de Reinserción Económica y Social para el Migrante Retornado",
				URL: "http://www.rree.gob.pe/elministerio/Documents/Ley_Reinsercion_Economica_Social_Migrante_Retornado.pdf"},
			{Citation: "Superintendencia de Banca, Seguros y AFP (2018), Reinserción del migrante retornado: convenios suscritos",
				URL: "https://www.sbs.gob.pe/usuarios/informacion-de-pensiones/reinsercion-del-migrante-retornado/convenios-suscritos"}},
		Status: "published",
	},
	// Seed 000: the diaspora constituency in Congress, established in 2020; seed 001: a Congress
	// member representing the diaspora organised the Day of Peruvians Residing Abroad event,
	// where three members of the diaspora were awarded. Period from 2020 (the seed gives the year).
	{
		Code:      PracticeCongress,
		TitleES:   "Circunscripción electoral de peruanos en el exterior",
		TitleEN:   "Constituency of Peruvians abroad in Congress",
		SummaryES: "Desde 2020 el Perú tiene una circunscripción electoral para su diáspora, que le da representación en el Congreso.",
		SummaryEN: "Since 2020 Peru has a diaspora constituency that allows for the diaspora's representation in Congress.",
		DescriptionES: "Un congresista que representa a la diáspora peruana organizó el evento por el Día de los Peruanos Residentes en el Exterior, " +
			"en el que tres miembros destacados de la diáspora fueron premiados por su contribución al país.",
		DescriptionEN: "A Congress member representing the Peruvian diaspora organised the event celebrating the Day of Peruvians Residing Abroad, " +
			"where three notable members of the diaspora were awarded for their exceptional contribution to the country.",
		Scope: "national", Country: "PE", Institution: "PE-CONGRESO",
		Type:   "consultation_mechanism",
		Themes: []string{"political-participation", "diaspora-engagement"}, Migof: []string{"migrant_rights"},
		GcmObjectives: []int{19}, SdgTargets: []string{"16.7"},
		PeriodStart:     "2020-01-01",
		Transferability: "medium",
		RationaleES:     DemoAssessmentNoteES + " da voz a la diáspora en el Congreso, pero no es un canal con el Ejecutivo; la ASN puede apoyarse en él para las consultas.",
		RationaleEN:     DemoAssessmentNote + " it gives the diaspora a voice in Congress but is no channel to the Executive; ASN can build on it for consultations.",
		Sources:         []PracticeSource{seedEUDiFSheet, seedEUDiFNews},
		Status:          "published",
	},
	// Seed 002, section 4.1: MIGRACIONES' Migrant Integration Working Group (2016, formalized in
	// April 2018 by Authority Resolution No. 117-2018-Migraciones, three pillars). Period from 2016
	// (the seed gives the year).
	{
		Code:    PracticeGTIM,
		TitleES: "Grupo de Trabajo de Integración del Migrante de MIGRACIONES",
		TitleEN: "MIGRACIONES' Migrant Integration Working Group",
		SummaryES: "Creado en 2016 por la Superintendencia Nacional de Migraciones y formalizado en abril de 2018 (Resolución de Superintendencia " +
			"N.º 117-2018-Migraciones), promueve la integración de los extranjeros en la sociedad peruana.",
		SummaryEN: "Established in 2016 by the National Migration Authority and formalized in April 2018 (Authority Resolution No. 117-2018-Migraciones), " +
			"it promotes the integration of foreigners into Peruvian society.",
		DescriptionES: "Antes se llamaba Equipo de Atención al Migrante en Situación de Vulnerabilidad. Se apoya en tres pilares: prevenir toda forma de violencia " +
			"y respetar la expresión e identidad cultural; promover los derechos y deberes de los extranjeros; y asistir a los migrantes en situación de vulnerabilidad.",
		DescriptionEN: "It was formerly known as the Migrant in Vulnerable Situation Service Team. It rests on three pillars: preventing all kinds of violence and " +
			"respecting cultural expression and identity; promoting the rights and duties of foreign nationals; and assisting migrants in vulnerable situations.",
		Scope: "national", Country: "PE", Institution: "PE-MININTER-MIGRACIONES-GTIM",
		Type:   "service_offer",
		Themes: []string{"integration", "protection"}, Migof: []string{"migrant_rights", "wellbeing_of_migrants"},
		GcmObjectives: []int{16}, SdgTargets: []string{"10.2"},
		PeriodStart:        "2016-01-01",
		TargetPopulationES: "Personas extranjeras en el Perú, en particular en situación de vulnerabilidad.",
		TargetPopulationEN: "Foreigners in Peru, notably migrants in vulnerable situations.",
		Transferability:    "medium",
		RationaleES:        DemoAssessmentNoteES + " atiende a inmigrantes, no a la diáspora, pero su forma de atender casos vulnerables sirve a la asistencia consular.",
		RationaleEN:        DemoAssessmentNote + " it serves immigrants, not the diaspora, but its handling of vulnerable cases speaks to consular assistance.",
		Sources:            []PracticeSource{seedMGI},
		Status:             "submitted",
	},
	// Seed 002, section 3.1 and footnote 6: the South American Conference on Migration (1999,
	// Lima; Peru a founder and pro tempore president in 2019; its Declaration and Human
	// Development Plan). Period from 1999 (the seed gives the year).
	{
		Code:    PracticeCSM,
		TitleES: "Conferencia Suramericana sobre Migraciones (CSM)",
		TitleEN: "South American Conference on Migration (CSM)",
		SummaryES: "Proceso consultivo regional creado en 1999 en una reunión suramericana sobre migración celebrada en Lima, del que el Perú es fundador; " +
			"en 2019 celebró 20 años con el Perú en la presidencia pro tempore.",
		SummaryEN: "A regional consultative process created in 1999 at a South American meeting on migration held in Lima, of which Peru is a founder; " +
			"in 2019 it celebrated 20 years with Peru holding the presidency pro tempore.",
		DescriptionES: "En 2009 la CSM inició un proceso para mejorar la coherencia política, que se concretó con la aprobación de la Declaración de principios " +
			"y lineamientos que constituyen una política para los gobiernos suramericanos. Emitió además el Plan Suramericano de Desarrollo Humano de las " +
			"Migraciones (PSDHM), guía de acción a corto y mediano plazo para la gestión migratoria, la gestión de fronteras, los derechos de los migrantes y la información migratoria.",
		DescriptionEN: "In 2009 the CSM began a process to improve political coherence, realized with the approval of the Declaration of principles and guidelines " +
			"which constitute a policy for South American governments. It also issued the South American Migration Human Development Plan (PSDHM), an action " +
			"guide in the short and medium term for the management of migration, border management, rights of migrants and migration information.",
		Scope: "regional", Institution: "INT-CSM",
		Type:   "consultation_mechanism",
		Themes: []string{"regional-cooperation", "migration-governance"}, Migof: []string{"partnerships"},
		GcmObjectives: []int{23}, SdgTargets: []string{"10.7", "17.16"},
		PeriodStart:     "1999-01-01",
		Transferability: "medium",
		RationaleES:     DemoAssessmentNoteES + " el Perú ya participa; sirve de foro para el intercambio entre pares sobre instituciones para la diáspora.",
		RationaleEN:     DemoAssessmentNote + " Peru already takes part; it is a forum for peer exchange on diaspora institutions.",
		Sources:         []PracticeSource{seedMGI},
		Status:          "published",
	},
	// Seed 002, section 3.1: the Agreement on Residence for Nationals of States Party to
	// MERCOSUR, Bolivia and Chile (who may obtain temporary residence for two years, then
	// permanent residence). The seed gives no date.
	{
		Code:    PracticeMercosurRA,
		TitleES: "Acuerdo sobre Residencia para Nacionales de los Estados Partes del MERCOSUR, Bolivia y Chile",
		TitleEN: "Agreement on Residence for Nationals of States Party to MERCOSUR, Bolivia and Chile",
		SummaryES: "Los ciudadanos de Argentina, Bolivia, Brasil, Chile, Colombia, Ecuador, Paraguay y Uruguay pueden obtener una residencia temporal " +
			"de dos años, al cabo de los cuales pueden tramitar la residencia permanente.",
		SummaryEN: "Citizens of Argentina, the Plurinational State of Bolivia, Brazil, Chile, Colombia, Ecuador, Paraguay and Uruguay may obtain temporary " +
			"residence for a period of two years, at the end of which permanent residence may be processed.",
		Scope: "regional", Institution: "INT-MERCOSUR",
		Type:   "legal_framework",
		Themes: []string{"regular-pathways", "regional-cooperation"}, Migof: []string{"safe_orderly_dignified_migration", "partnerships"},
		GcmObjectives: []int{5}, SdgTargets: []string{"10.7"},
		Transferability: "low",
		RationaleES:     DemoAssessmentNoteES + " el Perú ya es Estado Asociado; el acuerdo regula la residencia, no la relación con la diáspora.",
		RationaleEN:     DemoAssessmentNote + " Peru is already a Partner State; the agreement governs residence, not the relationship with the diaspora.",
		Sources:         []PracticeSource{seedMGI},
		Status:          "validated",
	},
}
