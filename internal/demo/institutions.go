package demo

// Institution is one demo organisational unit. Parent is the Code of the parent unit ("" for roots).
type Institution struct {
	Code        string // stable natural key, upper-case, letters/digits/hyphens, e.g. "PE-MRE-ASN-PIM"
	NameES      string
	NameEN      string
	Acronym     string
	Kind        string // one of: ministry, directorate_general, directorate, sub_directorate, department, agency, commission, working_group, regional_round_table, consular_mission, international_organization, other
	Parent      string
	Country     string // ISO 3166-1 alpha-2, upper-case ("PE"), "" only for international organisations without a seat country you can justify
	Tier        string // national, regional, local, international
	Status      string // active, proposed, dissolved
	Established string // "YYYY-MM-DD" or "" when the seeds do not say; use "YYYY-01-01" only if the seed gives just a year, and say so in a comment
	Description string // one short English sentence from what the seeds say about it
}

// Institutions lists parents before children.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru)
//   - 001_1ef0df5541c4ac36.txt: EUDiF news item on the action launch (November 2022)
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru profile 2019
//   - 003_11446be5581ffeeb.txt: note on migration towards Peru and the territorial approach
//   - 004_087ee23eaa0bf9f6.txt: MTIGM "successful experience" sheet (Spanish/English)
//
// Names: where a seed gives the Spanish name it is used verbatim; otherwise the
// Spanish (or English) name is a faithful translation of what the seed says.
var Institutions = []Institution{
	// Ministry of Foreign Affairs and its diaspora units.
	// Seeds: 000 (structure DGPCA > CON, ASN > SSN, PCN, PIM; PIM created 2015),
	// 001 (ASN as beneficiary), 002 (MRE role; DGPCA origin in 2005; OSE network).
	{
		Code:        "PE-MRE",
		NameES:      "Ministerio de Relaciones Exteriores",
		NameEN:      "Ministry of Foreign Affairs",
		Acronym:     "MRE",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Ministry responsible for implementing the National Migration Policy and for international migration policy, assisting and protecting Peruvians abroad through its consular network.",
	},
	{
		Code:    "PE-MRE-DGPCA",
		NameES:  "Dirección General de Comunidades Peruanas en el Exterior y Asuntos Consulares",
		NameEN:  "Directorate General for Peruvian Communities Abroad and Consular Affairs",
		Acronym: "DGPCA",
		Kind:    "directorate_general",
		Parent:  "PE-MRE",
		Country: "PE",
		Tier:    "national",
		Status:  "active",
		// Seed 002 gives only the year: the MRE created the Secretariat of Peruvian
		// Communities Abroad in 2005, later renamed the DGPCA.
		Established: "2005-01-01",
		Description: "Directorate general of the MRE responsible for migration issues, divided into the Consular Policy and the Protection and Assistance to Nationals directorates.",
	},
	{
		Code:        "PE-MRE-DGPCA-CON",
		NameES:      "Dirección de Política Consular",
		NameEN:      "Directorate for Consular Policy",
		Acronym:     "CON",
		Kind:        "directorate",
		Parent:      "PE-MRE-DGPCA",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the two directorates into which the DGPCA is divided.",
	},
	{
		Code:        "PE-MRE-DGPCA-ASN",
		NameES:      "Dirección de Protección y Asistencia al Nacional",
		NameEN:      "Directorate for Protection and Assistance to Nationals",
		Acronym:     "ASN",
		Kind:        "directorate",
		Parent:      "PE-MRE-DGPCA",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Directorate of the DGPCA dealing with issues related to the Peruvian diaspora and beneficiary of the EUDiF capacity development action.",
	},
	{
		Code:        "PE-MRE-DGPCA-ASN-SSN",
		NameES:      "Subdirección de Asistencia al Nacional",
		NameEN:      "Sub-directorate for Assistance to Nationals",
		Acronym:     "SSN",
		Kind:        "sub_directorate",
		Parent:      "PE-MRE-DGPCA-ASN",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the three units of the ASN, against which PIM's functions are to be delimited.",
	},
	{
		Code:        "PE-MRE-DGPCA-ASN-PCN",
		NameES:      "Subdirección de Protección a las Colectividades Nacionales",
		NameEN:      "Sub-directorate for Protection of National Collectivities",
		Acronym:     "PCN",
		Kind:        "sub_directorate",
		Parent:      "PE-MRE-DGPCA-ASN",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the three units of the ASN, against which PIM's functions are to be delimited.",
	},
	{
		Code:    "PE-MRE-DGPCA-ASN-PIM",
		NameES:  "Departamento de Política Migratoria",
		NameEN:  "Migration Policy Department",
		Acronym: "PIM",
		Kind:    "department",
		Parent:  "PE-MRE-DGPCA-ASN",
		Country: "PE",
		Tier:    "national",
		Status:  "active",
		// Seed 000 gives only the year: "In 2015, the Migration Policy Department (PIM) was created".
		Established: "2015-01-01",
		Description: "Unit of the ASN created in 2015 whose tasks still depend on daily contingency rather than an official distribution of functions.",
	},
	{
		Code:        "PE-MRE-OSE",
		NameES:      "Órganos del Servicio Exterior",
		NameEN:      "Foreign Service Missions",
		Acronym:     "OSE",
		Kind:        "other",
		Parent:      "PE-MRE",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Network of 64 embassies, 117 consulates and consular sections and 11 permanent representations through which the MRE registers and assists Peruvians abroad.",
	},

	// Intersectoral Working Table for Migration Management and its support commissions.
	// Seeds: 004 (creation decree 2011, six coordination bodies, MRE as entity in charge),
	// 001 (created in 2011 by the MFA), 002 (22 members and 3 observers, two coordination commissions).
	{
		Code:    "PE-MRE-MTIGM",
		NameES:  "Mesa de Trabajo Intersectorial para la Gestión Migratoria",
		NameEN:  "Intersectoral Working Table for Migration Management",
		Acronym: "MTIGM",
		Kind:    "working_group",
		Parent:  "PE-MRE",
		Country: "PE",
		Tier:    "national",
		Status:  "active",
		// Seeds 001, 002 and 004 give only the year of the creation decree (2011);
		// working meetings had started in 2009.
		Established: "2011-01-01",
		Description: "Permanent multisectoral commission presided by the MRE that coordinates, evaluates, proposes, prioritises and supervises policies on comprehensive migration management, with 22 member institutions and 3 observers.",
	},
	{
		// Name translated from seed 002 ("one inter-agency" Coordination Commission); no official name or acronym in the seeds.
		Code:        "PE-MRE-MTIGM-CC-INST",
		NameES:      "Comisión de Coordinación Interinstitucional de la MTIGM",
		NameEN:      "MTIGM Inter-agency Coordination Commission",
		Acronym:     "",
		Kind:        "commission",
		Parent:      "PE-MRE-MTIGM",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the two coordination commissions of the MTIGM, dealing with inter-agency coordination.",
	},
	{
		// Name translated from seed 002 (Coordination Commission "for coordinating with civil society organizations"); no official name or acronym in the seeds.
		Code:        "PE-MRE-MTIGM-CC-SC",
		NameES:      "Comisión de Coordinación con Organizaciones de la Sociedad Civil de la MTIGM",
		NameEN:      "MTIGM Coordination Commission with Civil Society Organisations",
		Acronym:     "",
		Kind:        "commission",
		Parent:      "PE-MRE-MTIGM",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the two coordination commissions of the MTIGM, through which Peru formally cooperates with civil society organisations on migration.",
	},

	// Ministry of the Interior and the migration authority.
	// Seed: 002 (MIGRACIONES as technical body of the Ministry of the Interior;
	// Migrant Integration Working Group; Interior among bodies of the anti-trafficking plan).
	{
		Code:        "PE-MININTER",
		NameES:      "Ministerio del Interior",
		NameEN:      "Ministry of the Interior",
		Acronym:     "MININTER",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Ministry to which MIGRACIONES belongs and one of the bodies responsible for the National Plan against Human Trafficking 2017–2021.",
	},
	{
		Code:        "PE-MININTER-MIGRACIONES",
		NameES:      "Superintendencia Nacional de Migraciones",
		NameEN:      "National Superintendence of Migration",
		Acronym:     "MIGRACIONES",
		Kind:        "agency",
		Parent:      "PE-MININTER",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Technical body of the Ministry of the Interior that is the authority on immigration matters and implements internal migration policy.",
	},
	{
		// Name translated from seed 002; the seed gives no Spanish name or acronym.
		Code:    "PE-MININTER-MIGRACIONES-GTIM",
		NameES:  "Grupo de Trabajo de Integración del Migrante",
		NameEN:  "Migrant Integration Working Group",
		Acronym: "",
		Kind:    "working_group",
		Parent:  "PE-MININTER-MIGRACIONES",
		Country: "PE",
		Tier:    "national",
		Status:  "active",
		// Seed 002 gives only the year it was established (2016, as the Migrant in
		// Vulnerable Situation Service Team); it was formalised in April 2018 by
		// Resolution 117-2018-Migraciones.
		Established: "2016-01-01",
		Description: "Working group of MIGRACIONES that promotes the integration of foreigners into Peruvian society and assists migrants in vulnerable situations.",
	},

	// Other Peruvian ministries named in the MGI profile.
	// Seed: 002 (the seed does not list the 22 MTIGM members, so membership is not asserted here).
	{
		Code:        "PE-MTPE",
		NameES:      "Ministerio de Trabajo y Promoción del Empleo",
		NameEN:      "Ministry of Labour and Promotion of Employment",
		Acronym:     "MTPE",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Ministry that runs the annual Employment Demand Survey and created the Andean Migrant Worker Virtual System (SIVITMA).",
	},
	{
		Code:        "PE-MIMP",
		NameES:      "Ministerio de la Mujer y Poblaciones Vulnerables",
		NameEN:      "Ministry of Women and Vulnerable Populations",
		Acronym:     "MIMP",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Governing body for the prevention of internal displacement and one of the bodies responsible for the National Plan against Human Trafficking.",
	},
	{
		Code:        "PE-MINJUSDH",
		NameES:      "Ministerio de Justicia y Derechos Humanos",
		NameEN:      "Ministry of Justice and Human Rights",
		Acronym:     "MINJUSDH",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the bodies responsible for the National Plan against Human Trafficking 2017–2021.",
	},
	{
		Code:        "PE-MINCETUR",
		NameES:      "Ministerio de Comercio Exterior y Turismo",
		NameEN:      "Ministry of Foreign Trade and Tourism",
		Acronym:     "MINCETUR",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "One of the bodies responsible for the National Plan against Human Trafficking 2017–2021.",
	},
	{
		Code:        "PE-MINEDU",
		NameES:      "Ministerio de Educación",
		NameEN:      "Ministry of Education",
		Acronym:     "MINEDU",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Ministry that began in 2019 a policy to include Venezuelan school-age children, opening school vacancies in Metropolitan Lima.",
	},

	{
		// Seed 002 cites it as a source (the 2015 National Strategy on Climate Change, ENCC).
		Code:        "PE-MINAM",
		NameES:      "Ministerio del Ambiente",
		NameEN:      "Ministry of Environment",
		Acronym:     "MINAM",
		Kind:        "ministry",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Ministry that published the 2015 National Strategy on Climate Change (ENCC) cited in the MGI profile.",
	},

	// Multisectoral commission against trafficking.
	// Seed: 002 (created by Supreme Decree 001-2016-IN, approved in 2016).
	{
		Code:    "PE-CMP-TPTIM",
		NameES:  "Comisión Multisectorial de naturaleza permanente contra la Trata de Personas y el Tráfico Ilícito de Migrantes",
		NameEN:  "Permanent Multisectoral Commission against Human Trafficking and the Illicit Trafficking of Migrants",
		Acronym: "",
		Kind:    "commission",
		Parent:  "",
		Country: "PE",
		Tier:    "national",
		Status:  "active",
		// Seed 002 gives only the year of Supreme Decree 001-2016-IN, which created it.
		Established: "2016-01-01",
		Description: "Permanent multisectoral commission against human trafficking and the illicit trafficking of migrants.",
	},

	// Peruvian agencies and other state bodies.
	// Seeds: 002 (RENIEC, INEI, CENEPRED, INDECI, ONPE and SBS cited in text or sources),
	// 003 (INEI 2022 figure), 000 and 001 (Congress diaspora constituency, 2020).
	{
		Code:        "PE-INEI",
		NameES:      "Instituto Nacional de Estadística e Informática",
		NameEN:      "National Institute of Statistics and Informatics",
		Acronym:     "INEI",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "National statistics office that estimated 3.3 million Peruvians living abroad in 2022 and publishes annual reports on reported trafficking cases.",
	},
	{
		Code:        "PE-RENIEC",
		NameES:      "Registro Nacional de Identificación y Estado Civil",
		NameEN:      "National Registry of Identification and Civil Status",
		Acronym:     "RENIEC",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Registry that manages the Electoral Register of Foreigners used by foreign residents to vote in local elections.",
	},
	{
		Code:        "PE-ONPE",
		NameES:      "Oficina Nacional de Procesos Electorales",
		NameEN:      "Office of National Electoral Processes",
		Acronym:     "ONPE",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Electoral body cited as a source on voting, including by Peruvians abroad.",
	},
	{
		Code:        "PE-SBS",
		NameES:      "Superintendencia de Banca, Seguros y AFP",
		NameEN:      "Superintendency of Banking, Insurance and Private Pension Funds",
		Acronym:     "SBS",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Financial supervisor cited as a source on agreements for the reintegration of returning migrants.",
	},
	{
		Code:        "PE-CENEPRED",
		NameES:      "Centro Nacional de Estimación, Prevención y Reducción del Riesgo de Desastres",
		NameEN:      "National Centre for Disaster Risk Assessment, Prevention and Reduction",
		Acronym:     "CENEPRED",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Agency in charge of disaster risk management whose plans do not specifically address migrants or displacement.",
	},
	{
		Code:        "PE-INDECI",
		NameES:      "Instituto Nacional de Defensa Civil",
		NameEN:      "National Civil Defence Institute",
		Acronym:     "INDECI",
		Kind:        "agency",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Government agency responsible for national civil defence.",
	},
	{
		Code:        "PE-CONGRESO",
		NameES:      "Congreso de la República",
		NameEN:      "Congress of the Republic",
		Acronym:     "",
		Kind:        "other",
		Parent:      "",
		Country:     "PE",
		Tier:        "national",
		Status:      "active",
		Established: "",
		Description: "Legislature in which Peruvians abroad have been represented through a diaspora constituency since 2020.",
	},

	// EU, ICMPD and EUDiF, which run the capacity development action.
	// Seeds: 000 (funded by the European Union, implemented by ICMPD; EUDiF Capacity
	// Development Laboratory), 001 (EUDiF action launch in Lima, October 2022).
	{
		// The EU's institutions sit in several countries; no single seat country is given.
		Code:        "INT-EU",
		NameES:      "Unión Europea",
		NameEN:      "European Union",
		Acronym:     "EU",
		Kind:        "international_organization",
		Parent:      "",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Funder of the EUDiF action supporting diaspora engagement in Peru.",
	},
	{
		// Seat country (Vienna, Austria) from general knowledge; the seeds do not state it.
		Code:        "INT-ICMPD",
		NameES:      "Centro Internacional para el Desarrollo de Políticas Migratorias",
		NameEN:      "International Centre for Migration Policy Development",
		Acronym:     "ICMPD",
		Kind:        "international_organization",
		Parent:      "",
		Country:     "AT",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Organisation that implements EUDiF.",
	},
	{
		// A facility funded by the EU and implemented by ICMPD, so kept as a root rather
		// than placed under either; the seeds give no seat country.
		Code:        "INT-EUDIF",
		NameES:      "Mecanismo Global de la UE para la Diáspora",
		NameEN:      "EU Global Diaspora Facility",
		Acronym:     "EUDiF",
		Kind:        "other",
		Parent:      "",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "EU-funded facility implemented by ICMPD that supports partner countries and diaspora organisations in diaspora engagement.",
	},
	{
		Code:        "INT-EUDIF-CDL",
		NameES:      "Laboratorio de Desarrollo de Capacidades",
		NameEN:      "Capacity Development Lab",
		Acronym:     "CDL",
		Kind:        "other",
		Parent:      "INT-EUDIF",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "EUDiF programme whose second call for proposals funded the 10-month action with the ASN launched in October 2022.",
	},

	// International Organization for Migration.
	// Seeds: 002 (publisher of the MGI profile, headquarters in Geneva), 004 (OIM, IOM Development Fund).
	{
		// Seat country from the publisher address in seed 002 (17 route des Morillons, Geneva).
		Code:        "INT-IOM",
		NameES:      "Organización Internacional para las Migraciones",
		NameEN:      "International Organization for Migration",
		Acronym:     "IOM",
		Kind:        "international_organization",
		Parent:      "",
		Country:     "CH",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Intergovernmental organisation that developed the Migration Governance Framework and published Peru's 2019 Migration Governance Indicators profile.",
	},
	{
		Code:        "INT-IOM-IDF",
		NameES:      "Fondo de Desarrollo de la OIM",
		NameEN:      "IOM Development Fund",
		Acronym:     "",
		Kind:        "other",
		Parent:      "INT-IOM",
		Country:     "CH",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "IOM fund that financed the project Strengthening Migration Management in Peru, approved through the MTIGM's partnership with IOM.",
	},

	// Regional integration bodies and migration dialogue processes in which Peru takes part.
	// Seed: 002 (section 3.1 and sources).
	{
		// Seed 002 gives only the year: created in 1999 at a South American meeting held in Lima.
		// No permanent seat country is given.
		Code:        "INT-CSM",
		NameES:      "Conferencia Suramericana sobre Migraciones",
		NameEN:      "South American Conference on Migration",
		Acronym:     "CSM",
		Kind:        "other",
		Parent:      "",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "1999-01-01",
		Description: "Regional consultative process on migration founded with Peru in 1999, whose pro tempore presidency Peru held in 2019.",
	},
	{
		Code:        "INT-RCM",
		NameES:      "Conferencia Regional sobre Migración (Proceso Puebla)",
		NameEN:      "Regional Conference on Migration (Puebla Process)",
		Acronym:     "RCM",
		Kind:        "other",
		Parent:      "",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Regional migration dialogue process in which Peru is an observer.",
	},
	{
		// Seat country (Montevideo, Uruguay) from general knowledge; the seeds do not state it.
		Code:        "INT-MERCOSUR",
		NameES:      "Mercado Común del Sur",
		NameEN:      "Southern Common Market",
		Acronym:     "MERCOSUR",
		Kind:        "international_organization",
		Parent:      "",
		Country:     "UY",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Regional integration process including human mobility, of which Peru is a partner state.",
	},
	{
		Code:        "INT-MERCOSUR-FEM",
		NameES:      "Foro Especializado Migratorio",
		NameEN:      "Specialized Migration Forum",
		Acronym:     "FEM",
		Kind:        "other",
		Parent:      "INT-MERCOSUR",
		Country:     "",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "MERCOSUR forum on migration in which Peru takes part.",
	},
	{
		// Seat country (General Secretariat in Lima) from general knowledge; the seeds do not state it.
		Code:        "INT-CAN",
		NameES:      "Comunidad Andina",
		NameEN:      "Andean Community",
		Acronym:     "CAN",
		Kind:        "international_organization",
		Parent:      "",
		Country:     "PE",
		Tier:        "international",
		Status:      "active",
		Established: "",
		Description: "Regional community of which Peru is a member, facilitating labour migration in the region through its Decision 545.",
	},
}
