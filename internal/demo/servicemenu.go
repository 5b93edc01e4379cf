package demo

// The menu of services of interest to the diaspora (the action's sixth deliverable, seed 000).
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru): the "menu of
//     services that are of interest to the diaspora" as a deliverable; remittances go to household
//     needs rather than developmental investment.
//   - 001_1ef0df5541c4ac36.txt: action launch: cultural promotion stressed by several actors.
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru 2019: consulates offer
//     legal and humanitarian assistance and counter trafficking; Peruvians abroad register at
//     consular missions and request assistance in crises; assistance to migrants in a homeless or
//     destitute situation abroad; Law 30001 (amended by Law 30525) on the reintegration of
//     returning migrants; the BIM mobile wallet and the National Financial Inclusion Strategy
//     (ENIF, 2015).
//   - 004_087ee23eaa0bf9f6.txt: MTIGM "successful experience": the "Perú Contigo" service and
//     communities fair (about 3,000 attendees, first Migrant's Week) and the web portal
//     www.perucontigo.gob.pe.
//
// What each service is comes from the seed cited beside it; its provider unit, channels, target
// groups and languages are the demo's reading of what the seeds say (no seed states them), so
// every service is marked demo and its description ends with ServiceDemoNoteEN (ES) saying so.
// No seed states a fee, so none is given. Functions are codes of the demo mandate functions
// (mandates.go), instruments codes of the demo legal instruments. Two services have no function
// behind them, honestly: the BIM wallet is not a service of the Ministry at all, and the proposed
// consular advice on remittance channels is something no unit is mandated to do yet (the demo
// catalogue has no remittance function). Answers are consultation inputs of the events demo data
// (events.go), named by event code and theme because inputs have no natural key.

// ServiceDemoNoteEN and ServiceDemoNoteES end the description of every demo service.
const (
	ServiceDemoNoteEN = "Demo: provider, channels, target groups and languages are assumptions of the demo data, not stated by the sources."
	ServiceDemoNoteES = "Datos de demostración: la unidad proveedora, los canales, los grupos destinatarios y los idiomas son supuestos, no constan en las fuentes."
)

// MenuService is a demo service. Provider is an institution Code ("" when no institution of the
// demo data provides it). Status: existing or proposed.
type MenuService struct {
	Code                         string
	NameES, NameEN               string
	DescriptionES, DescriptionEN string
	TargetGroups                 []string // nationals_abroad, returning_migrants, students, entrepreneurs, workers, associations, nationals_in_distress, families_in_peru, investors, descendants
	Provider                     string
	Channels                     []string // consulate, online, in_person_peru, phone
	Instruments                  []string // legal instrument codes
	LegalBasisES, LegalBasisEN   string
	Status                       string
	Languages                    []string // ISO 639-1
	Functions                    []string // mandate function codes
	Answers                      []MenuAnswer
}

// MenuAnswer names the consultation inputs a service answers: those of Event with Theme.
type MenuAnswer struct{ Event, Theme string }

// MenuServices is the demo menu: what the MRE offers Peruvians abroad and returnees today
// (existing), what the consultations suggest it could offer (proposed), and one partner service.
var MenuServices = []MenuService{
	// Assistance and protection abroad. Seed 002 (sections 4.1 and 5.1).
	{
		Code:          "SRV-ASSIST-DISTRESS",
		NameES:        "Asistencia a connacionales en situación de vulnerabilidad o indigencia en el exterior",
		NameEN:        "Assistance to nationals in distress or destitute abroad",
		DescriptionES: "Asistencia humanitaria a peruanos en el exterior en situación de vulnerabilidad, sin hogar o en indigencia, a través de la red consular.",
		DescriptionEN: "Humanitarian assistance to Peruvians abroad who are in distress, homeless or destitute, through the consular network.",
		TargetGroups:  []string{"nationals_in_distress"},
		Provider:      "PE-MRE-DGPCA-ASN-SSN",
		Channels:      []string{"consulate", "phone"},
		Instruments:   []string{"PE-ROF-MRE", "PE-DS-015-2017-RE"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-05", "F-ASN-06"},
	},
	{
		Code:          "SRV-CONSULAR-REGISTER-CRISIS",
		NameES:        "Registro consular y asistencia en situaciones de crisis",
		NameEN:        "Consular registration and assistance in crises",
		DescriptionES: "Los peruanos en el exterior pueden inscribirse en las oficinas consulares y pedir asistencia en situaciones de crisis.",
		DescriptionEN: "Peruvians abroad can register at the consular missions and request assistance in times of crisis.",
		TargetGroups:  []string{"nationals_abroad", "nationals_in_distress"},
		Provider:      "PE-MRE-OSE",
		Channels:      []string{"consulate"},
		Instruments:   []string{"PE-ROF-MRE", "PE-DS-015-2017-RE"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-08"},
	},
	{
		Code:          "SRV-LEGAL-ASSIST",
		NameES:        "Asistencia legal consular a connacionales detenidos o procesados",
		NameEN:        "Consular legal assistance to nationals detained or prosecuted",
		DescriptionES: "Las oficinas consulares brindan asistencia legal a peruanos detenidos o procesados en el exterior.",
		DescriptionEN: "Consular missions give legal assistance to Peruvians detained or facing proceedings abroad.",
		TargetGroups:  []string{"nationals_in_distress"},
		Provider:      "PE-MRE-OSE",
		Channels:      []string{"consulate"},
		Instruments:   []string{"PE-ROF-MRE"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-07"},
	},
	{
		Code:          "SRV-TRAFFICKING-VICTIMS",
		NameES:        "Prevención de la trata y asistencia a víctimas peruanas en el exterior",
		NameEN:        "Trafficking prevention and assistance to Peruvian victims abroad",
		DescriptionES: "Las oficinas consulares participan en la prevención de la trata de personas y el tráfico ilícito de migrantes y asisten a las víctimas peruanas.",
		DescriptionEN: "Consular missions take part in countering human trafficking and migrant smuggling and assist Peruvian victims.",
		TargetGroups:  []string{"nationals_in_distress", "workers"},
		Provider:      "PE-MRE-OSE",
		Channels:      []string{"consulate", "phone"},
		Instruments:   []string{"PE-LEY-28950", "PE-DS-001-2016-IN", "PE-DS-017-2017-IN"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-11"},
	},
	// Proposed in answer to the consultation in the Americas (events demo data).
	{
		Code:          "SRV-EMERGENCY-LINE",
		NameES:        "Línea consular de emergencia fuera del horario de oficina",
		NameEN:        "Out-of-hours consular emergency line",
		DescriptionES: "Propuesta: una línea telefónica para emergencias consulares fuera del horario de atención, pedida en la consulta con la diáspora en las Américas.",
		DescriptionEN: "Proposal: a telephone line for consular emergencies outside office hours, asked for at the consultation with the diaspora in the Americas.",
		TargetGroups:  []string{"nationals_abroad", "nationals_in_distress"},
		Provider:      "PE-MRE-DGPCA-ASN-SSN",
		Channels:      []string{"phone"},
		Status:        "proposed",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-08"},
		Answers:       []MenuAnswer{{"PE-CONSULTA-2023-02", "consular-assistance"}},
	},

	// Return and reintegration. Seed 002 (section 6.1 and sources): Law 30001, Law 30525.
	{
		Code:          "SRV-RETURN-REINTEGRATION",
		NameES:        "Orientación y trámite de los beneficios de la Ley de Reinserción del Migrante Retornado",
		NameEN:        "Guidance on and requests for the benefits of the Returning Migrant Reintegration Law",
		DescriptionES: "Orienta a los peruanos que retornan y a sus familias sobre el apoyo que pueden pedir a las instituciones del Estado en los ámbitos legal, educativo, de salud, de desarrollo económico y tributario, y tramita sus solicitudes.",
		DescriptionEN: "Guides returning Peruvians and their families on the support they may request from State institutions in the legal, educational, health, economic development and tax fields, and handles their requests.",
		TargetGroups:  []string{"returning_migrants", "families_in_peru"},
		Provider:      "PE-MRE-DGPCA-ASN-SSN",
		Channels:      []string{"consulate", "in_person_peru"},
		Instruments:   []string{"PE-LEY-30001", "PE-LEY-30525"},
		LegalBasisES:  "Ley N° 30001, Ley de Reinserción Económica y Social para el Migrante Retornado (2013), modificada por la Ley N° 30525.",
		LegalBasisEN:  "Law No. 30001 on the Economic and Social Reintegration of the Returning Migrant (2013), amended by Law No. 30525.",
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-24"},
		Answers:       []MenuAnswer{{"PE-CONSULTA-2023-01", "return"}},
	},
	{
		Code:          "SRV-SAFE-MIGRATION-INFO",
		NameES:        "Orientación para una migración segura y regular antes de emigrar",
		NameEN:        "Pre-departure guidance on safe and regular migration",
		DescriptionES: "Información y orientación a los peruanos que planean emigrar, antes de salir del país.",
		DescriptionEN: "Information and guidance for Peruvians planning to emigrate, before they leave the country.",
		TargetGroups:  []string{"workers", "students"},
		Provider:      "PE-MRE-DGPCA-ASN-PCN",
		Channels:      []string{"in_person_peru", "online"},
		Instruments:   []string{"PE-DS-015-2017-RE"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-25"},
	},

	// The MTIGM's services. Seed 004.
	{
		Code:          "SRV-PERU-CONTIGO-FAIR",
		NameES:        "Feria de Servicios y Colectividades «Perú Contigo»",
		NameEN:        "“Perú Contigo” (Peru With You) services and communities fair",
		DescriptionES: "Feria de servicios del Estado para migrantes y colectividades, realizada en la primera Semana del Migrante con unas tres mil personas asistentes; las fuentes no dicen si se repite.",
		DescriptionEN: "A fair of State services for migrants and communities, held during the first Migrant's Week with about three thousand attendees; the sources do not say whether it recurs.",
		TargetGroups:  []string{"returning_migrants", "families_in_peru", "associations"},
		Provider:      "PE-MRE-MTIGM",
		Channels:      []string{"in_person_peru"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-26"},
	},
	{
		Code:          "SRV-PERU-CONTIGO-PORTAL",
		NameES:        "Portal web Perú Contigo",
		NameEN:        "Perú Contigo web portal",
		DescriptionES: "Portal web de la MTIGM (www.perucontigo.gob.pe) con información para los migrantes.",
		DescriptionEN: "The MTIGM's web portal (www.perucontigo.gob.pe) with information for migrants.",
		TargetGroups:  []string{"nationals_abroad", "returning_migrants"},
		Provider:      "PE-MRE-MTIGM",
		Channels:      []string{"online"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-29"},
	},

	// Diaspora associations and culture. Seeds 001 (cultural promotion), 002 (work with the
	// diaspora through the consular network).
	{
		Code:          "SRV-ASSOCIATIONS-REGISTER",
		NameES:        "Registro y apoyo a las asociaciones de peruanos en el exterior",
		NameEN:        "Registration of and support for Peruvian associations abroad",
		DescriptionES: "Inscripción de las asociaciones de peruanos en el exterior y apoyo a su organización.",
		DescriptionEN: "Registration of Peruvian associations abroad and support for their organisation.",
		TargetGroups:  []string{"associations"},
		Provider:      "PE-MRE-DGPCA-ASN-PCN",
		Channels:      []string{"consulate", "online"},
		Instruments:   []string{"PE-ROF-MRE"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-13"},
	},
	{
		Code:          "SRV-CULTURAL-PROMOTION",
		NameES:        "Apoyo a las actividades culturales de las comunidades peruanas en el exterior",
		NameEN:        "Support for cultural activities of Peruvian communities abroad",
		DescriptionES: "Apoyo a las actividades con que las comunidades y asociaciones peruanas promueven la cultura del Perú en el exterior.",
		DescriptionEN: "Support for the activities through which Peruvian communities and associations promote Peru's culture abroad.",
		TargetGroups:  []string{"associations", "descendants"},
		Provider:      "PE-MRE-DGPCA-ASN-PCN",
		Channels:      []string{"consulate"},
		Status:        "existing",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-28"},
		Answers:       []MenuAnswer{{"PE-CONSULTA-2023-02", "culture"}},
	},

	// Remittances and investment. Seeds 002 (section 4.1: BIM, ENIF), 000 (remittances go to
	// household needs rather than developmental investment).
	{
		Code:          "SRV-BIM-WALLET",
		NameES:        "Billetera móvil BIM para recibir remesas",
		NameEN:        "BIM mobile wallet for receiving remittances",
		DescriptionES: "Billetera electrónica en el teléfono móvil, creada entre el Estado y el sector privado, que permite depósitos, transferencias, retiros y recargas. No es un servicio del Ministerio: figura en el menú por su interés para las familias que reciben remesas, y ninguna función del Ministerio lo presta.",
		DescriptionEN: "An electronic wallet on a mobile phone, created by the government with the private sector, for deposits, money transfers, withdrawals and top-ups. Not a service of the Ministry: it is on the menu for families receiving remittances, and no function of the Ministry delivers it.",
		TargetGroups:  []string{"families_in_peru", "nationals_abroad"},
		Provider:      "",
		Channels:      []string{"phone"},
		LegalBasisES:  "Estrategia Nacional de Inclusión Financiera (ENIF, 2015).",
		LegalBasisEN:  "National Financial Inclusion Strategy (ENIF, 2015).",
		Status:        "existing",
		Languages:     []string{"es"},
		Answers:       []MenuAnswer{{"PE-CONSULTA-2023-01", "remittances"}},
	},
	{
		Code:          "SRV-REMITTANCE-ADVICE",
		NameES:        "Orientación consular sobre canales de envío de remesas de menor costo",
		NameEN:        "Consular advice on lower-cost remittance channels",
		DescriptionES: "Propuesta: informar en los consulados sobre los canales formales y de menor costo para enviar remesas, incluidas las billeteras móviles. Ninguna unidad tiene hoy esta función.",
		DescriptionEN: "Proposal: consulates inform on formal, lower-cost channels for sending remittances, mobile wallets included. No unit has this function today.",
		TargetGroups:  []string{"nationals_abroad", "workers"},
		Provider:      "PE-MRE-OSE",
		Channels:      []string{"consulate", "online"},
		Status:        "proposed",
		Languages:     []string{"es"},
		Answers:       []MenuAnswer{{"PE-CONSULTA-2023-01", "remittances"}},
	},
	{
		Code:          "SRV-DIASPORA-INVESTMENT-DESK",
		NameES:        "Ventanilla de información para la inversión de la diáspora",
		NameEN:        "Diaspora investment information desk",
		DescriptionES: "Propuesta: orientar a peruanos en el exterior y retornados que quieran invertir o emprender en el Perú, más allá de las remesas para el consumo del hogar.",
		DescriptionEN: "Proposal: guide Peruvians abroad and returnees who want to invest or start a business in Peru, beyond remittances for household needs.",
		TargetGroups:  []string{"investors", "entrepreneurs", "returning_migrants"},
		Provider:      "PE-MRE-DGPCA-ASN-PIM",
		Channels:      []string{"online", "in_person_peru"},
		Instruments:   []string{"PE-DS-015-2017-RE"},
		Status:        "proposed",
		Languages:     []string{"es"},
		Functions:     []string{"F-ASN-15"},
	},
}
