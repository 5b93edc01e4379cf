package demo

// The blueprint of ASN's internal rules on diaspora engagement, co-drafted article by article.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru): the deliverable
//     ("Blueprint of internal rules and regulations focused on functions related to diaspora
//     engagement matters for ASN agencies"), the co-drafting sessions, ASN's three units (SSN, PCN,
//     PIM) and the need to delimit PIM's functions vis-à-vis SSN and PCN.
//
// The seeds state only that the blueprint exists and what it is for. Its structure, every
// article, comment and suggestion below are a plausible draft written for the demo: the blueprint
// is marked demo and its title says "demo draft". Articles regulate the demo mandate functions
// (mandates.go) by code and ASN's units by institution code. No demo event is a co-drafting
// session (events.go holds a workshop and two consultations), so the comments name no event.

// BlueprintDemoCode and BlueprintDemoDeliverable are the natural keys of the demo blueprint and
// of the deliverable it is the text of (loaded before it, by the deliverables loader).
const (
	BlueprintDemoCode        = "ASN-BLUEPRINT"
	BlueprintDemoDeliverable = "DLV-BLUEPRINT"
)

// BlueprintDemoTitleES and BlueprintDemoTitleEN are the demo blueprint's title.
const (
	BlueprintDemoTitleES = "Proyecto de normas internas de la ASN sobre vinculación con la diáspora (borrador de demostración)"
	BlueprintDemoTitleEN = "Blueprint of ASN's internal rules on diaspora engagement (demo draft)"
)

// BlueprintChapter is a demo chapter with its articles, in order.
type BlueprintChapter struct {
	Number               string
	HeadingES, HeadingEN string
	Articles             []BlueprintArticle
}

// BlueprintArticle is a demo article. Functions are function Codes (mandates.go), Units
// institution Codes.
type BlueprintArticle struct {
	Number               string
	HeadingES, HeadingEN string
	TextES, TextEN       string
	Functions, Units     []string
}

// BlueprintComment is a demo comment on article Article (a Number). Key names it for replies;
// ReplyTo is the Key of the comment it answers ("" for a new thread). Author is the label of a
// demo participant. Resolved threads were closed by an editor in the session.
type BlueprintComment struct {
	Article, Key, ReplyTo string
	Author, Body          string
	Resolved              bool
}

// BlueprintSuggestion is a demo suggestion of new text for article Article (a Number), pending.
type BlueprintSuggestion struct {
	Article, Author           string
	TextES, TextEN, Rationale string
}

// Unit codes the demo articles regulate.
const (
	unitASN = "PE-MRE-DGPCA-ASN"
	unitSSN = "PE-MRE-DGPCA-ASN-SSN"
	unitPCN = "PE-MRE-DGPCA-ASN-PCN"
	unitPIM = "PE-MRE-DGPCA-ASN-PIM"
)

// BlueprintChapters is the demo draft's text.
var BlueprintChapters = []BlueprintChapter{
	{
		Number: "I", HeadingES: "Disposiciones generales", HeadingEN: "General provisions",
		Articles: []BlueprintArticle{
			{
				Number: "1", HeadingES: "Objeto", HeadingEN: "Purpose",
				TextES: "Las presentes normas internas, en su versión de borrador de demostración, establecen la organización y " +
					"las funciones de la Dirección de Protección y Asistencia al Nacional (ASN) en materia de vinculación con " +
					"la diáspora peruana, y delimitan las funciones de sus unidades orgánicas.",
				TextEN: "These internal rules, in their demo draft version, set out the organisation and functions of the " +
					"Directorate for Protection and Assistance to Nationals (ASN) in matters of engagement with the Peruvian " +
					"diaspora, and delimit the functions of its units.",
				Units: []string{unitASN},
			},
			{
				Number: "2", HeadingES: "Ámbito de aplicación", HeadingEN: "Scope",
				TextES: "Estas normas se aplican a la ASN y a sus unidades: la Subdirección de Asistencia al Nacional (SSN), " +
					"la Subdirección de Protección a las Colectividades Nacionales (PCN) y el Departamento de Política " +
					"Migratoria (PIM).",
				TextEN: "These rules apply to ASN and its units: the Sub-directorate for Assistance to Nationals (SSN), the " +
					"Sub-directorate for Protection of National Collectivities (PCN) and the Migration Policy Department (PIM).",
				Units: []string{unitASN, unitSSN, unitPCN, unitPIM},
			},
			{
				Number: "3", HeadingES: "Definiciones", HeadingEN: "Definitions",
				TextES: "Para efectos de estas normas: a) diáspora peruana es el conjunto de peruanos que residen en el " +
					"exterior y sus descendientes que mantienen vínculos con el Perú; b) colectividad peruana es el grupo de " +
					"connacionales residentes en una misma circunscripción consular; c) vinculación es toda acción del Estado " +
					"que promueve la relación de la diáspora con el país y su contribución al desarrollo nacional.",
				TextEN: "For these rules: a) the Peruvian diaspora means Peruvians living abroad and their descendants who " +
					"keep ties with Peru; b) a Peruvian collectivity means the nationals living in the same consular " +
					"district; c) engagement means any action of the State that fosters the diaspora's relationship with the " +
					"country and its contribution to national development.",
			},
		},
	},
	{
		Number: "II", HeadingES: "Organización de la ASN", HeadingEN: "ASN's organisation",
		Articles: []BlueprintArticle{
			{
				Number: "4", HeadingES: "Estructura", HeadingEN: "Structure",
				TextES: "La ASN depende de la Dirección General de Comunidades Peruanas en el Exterior y Asuntos Consulares " +
					"(DGPCA) y está integrada por la SSN, la PCN y el PIM, cuyas funciones se establecen en el capítulo III.",
				TextEN: "ASN reports to the Directorate General for Peruvian Communities Abroad and Consular Affairs (DGPCA) " +
					"and consists of SSN, PCN and PIM, whose functions are set out in chapter III.",
				Units: []string{unitASN, unitSSN, unitPCN, unitPIM},
			},
			{
				Number: "5", HeadingES: "Funciones de la Dirección", HeadingEN: "Functions of the Directorate",
				TextES: "Corresponde a la Dirección: a) proponer normas y lineamientos internos en materia de protección y " +
					"asistencia al nacional; b) dirigir y supervisar a sus unidades; c) coordinar con la Superintendencia " +
					"Nacional de Migraciones y otros sectores los asuntos migratorios que conciernen a los nacionales.",
				TextEN: "The Directorate shall: a) propose internal rules and guidelines on protection and assistance to " +
					"nationals; b) direct and supervise its units; c) coordinate with the National Superintendency of " +
					"Migration and other sectors on migration matters concerning nationals.",
				Functions: []string{"F-ASN-04", "F-ASN-20"},
				Units:     []string{unitASN},
			},
		},
	},
	{
		Number: "III", HeadingES: "Funciones de la SSN, la PCN y el PIM", HeadingEN: "Functions of SSN, PCN and PIM",
		Articles: []BlueprintArticle{
			{
				Number: "6", HeadingES: "Funciones de la SSN", HeadingEN: "Functions of SSN",
				TextES: "Corresponde a la SSN: a) asistir a los nacionales en situación de vulnerabilidad en el exterior; " +
					"b) brindar asistencia humanitaria a nacionales indigentes; c) orientar la asistencia legal a nacionales " +
					"detenidos o procesados; d) asistir a los nacionales en crisis y emergencias; e) asistir a las víctimas " +
					"peruanas de trata de personas; f) orientar a los migrantes que retornan y tramitar sus solicitudes de " +
					"reintegración.",
				TextEN: "SSN shall: a) assist nationals in distress abroad; b) provide humanitarian assistance to destitute " +
					"nationals; c) guide legal assistance to nationals detained or prosecuted; d) assist nationals in crises " +
					"and emergencies; e) assist Peruvian victims of human trafficking; f) guide returning migrants and handle " +
					"their reintegration requests.",
				Functions: []string{"F-ASN-05", "F-ASN-06", "F-ASN-07", "F-ASN-08", "F-ASN-11", "F-ASN-24"},
				Units:     []string{unitSSN},
			},
			{
				Number: "7", HeadingES: "Funciones de la PCN", HeadingEN: "Functions of PCN",
				TextES: "Corresponde a la PCN: a) velar por los derechos de las colectividades peruanas en el exterior; " +
					"b) promover la protección de los trabajadores migrantes peruanos; c) promover acuerdos de cooperación " +
					"migratoria y consular; d) promover y registrar las asociaciones de la diáspora; e) informar a quienes " +
					"proyectan emigrar sobre la migración segura y regular; f) difundir entre los peruanos en el exterior " +
					"información sobre derechos, servicios y trámites.",
				TextEN: "PCN shall: a) uphold the rights of Peruvian collectivities abroad; b) promote the protection of " +
					"Peruvian migrant workers; c) promote migration and consular cooperation agreements; d) promote and " +
					"register diaspora associations; e) inform those planning to emigrate on safe and regular migration; " +
					"f) disseminate information to Peruvians abroad on rights, services and procedures.",
				Functions: []string{"F-ASN-09", "F-ASN-10", "F-ASN-12", "F-ASN-13", "F-ASN-25", "F-ASN-29"},
				Units:     []string{unitPCN},
			},
			{
				Number: "8", HeadingES: "Funciones del PIM", HeadingEN: "Functions of PIM",
				TextES: "Corresponde al PIM: a) formular propuestas de política migratoria sobre los peruanos en el exterior; " +
					"b) dar seguimiento a la Política Nacional Migratoria 2017-2025 en lo que concierne a los peruanos en el " +
					"exterior; c) mapear las organizaciones y liderazgos de la diáspora; d) analizar tendencias migratorias " +
					"y prácticas de pares para sustentar sus propuestas; e) promover la contribución de la diáspora al " +
					"desarrollo nacional.",
				TextEN: "PIM shall: a) formulate migration policy proposals on Peruvians abroad; b) monitor the National " +
					"Migration Policy 2017–2025 as regards Peruvians abroad; c) map diaspora organisations and leaders; " +
					"d) analyse migration trends and peer practices to inform its proposals; e) promote the diaspora's " +
					"contribution to national development.",
				Functions: []string{"F-ASN-01", "F-ASN-02", "F-ASN-17", "F-ASN-18", "F-ASN-15"},
				Units:     []string{unitPIM},
			},
		},
	},
	{
		Number: "IV", HeadingES: "Coordinación", HeadingEN: "Coordination",
		Articles: []BlueprintArticle{
			{
				Number: "9", HeadingES: "Coordinación interna", HeadingEN: "Internal coordination",
				TextES: "La SSN, la PCN y el PIM se reúnen al menos una vez al mes bajo la conducción de la Dirección para " +
					"coordinar los casos y temas que comparten. Las solicitudes ad hoc en materia migratoria se asignan a la " +
					"unidad competente según estas normas y no por contingencia.",
				TextEN: "SSN, PCN and PIM meet at least once a month, chaired by the Directorate, to coordinate the cases and " +
					"matters they share. Ad hoc requests on migration matters are assigned to the unit competent under these " +
					"rules, not by contingency.",
				Functions: []string{"F-ASN-23"},
				Units:     []string{unitASN, unitSSN, unitPCN, unitPIM},
			},
			{
				Number: "10", HeadingES: "Coordinación con otras entidades", HeadingEN: "Coordination with other bodies",
				TextES: "El PIM representa a la ASN en la Mesa de Trabajo Intersectorial para la Gestión Migratoria, coordina " +
					"con los gobiernos regionales y sus mesas sobre migrantes y retornantes, y participa en los diálogos " +
					"regionales y multilaterales sobre migración, informando a la Dirección.",
				TextEN: "PIM represents ASN in the Intersectoral Working Table for Migration Management, coordinates with " +
					"regional governments and their round tables on migrants and returnees, and takes part in regional and " +
					"multilateral migration dialogues, reporting to the Directorate.",
				Functions: []string{"F-ASN-19", "F-ASN-21", "F-ASN-22"},
				Units:     []string{unitPIM},
			},
			{
				Number: "11", HeadingES: "Participación de la diáspora", HeadingEN: "Diaspora participation",
				TextES: "El PIM organiza consultas con la diáspora sobre sus necesidades y propuestas, con el apoyo de la PCN " +
					"en la convocatoria de las asociaciones registradas.",
				TextEN: "PIM organises consultations with the diaspora on its needs and proposals, with PCN's support in " +
					"inviting the registered associations.",
				Functions: []string{"F-ASN-14", "F-ASN-03"},
				Units:     []string{unitPIM, unitPCN},
			},
		},
	},
	{
		Number: "V", HeadingES: "Disposiciones finales", HeadingEN: "Final provisions",
		Articles: []BlueprintArticle{
			{
				Number: "12", HeadingES: "Información sobre la diáspora", HeadingEN: "Information on the diaspora",
				TextES: "La ASN compila y analiza la información disponible sobre la diáspora peruana y mantiene actualizado " +
					"el menú de servicios de interés para la diáspora, en coordinación con las entidades que los prestan.",
				TextEN: "ASN compiles and analyses the information available on the Peruvian diaspora and keeps the menu of " +
					"services of interest to the diaspora up to date, in coordination with the bodies that provide them.",
				Functions: []string{"F-ASN-16", "F-ASN-27"},
				Units:     []string{unitASN},
			},
			{
				Number: "13", HeadingES: "Revisión", HeadingEN: "Review",
				TextES: "La Dirección revisa estas normas dentro de los dos años siguientes a su aprobación, con la " +
					"participación de sus unidades y de la diáspora.",
				TextEN: "The Directorate reviews these rules within two years of their approval, with the participation of " +
					"its units and of the diaspora.",
				Units: []string{unitASN},
			},
		},
	},
}

// BlueprintComments are remarks from a demo co-drafting session, oldest first.
var BlueprintComments = []BlueprintComment{
	{Article: "8", Key: "pim-migraciones", Author: "Especialista PIM (demo)",
		Body: "¿Debe el PIM coordinar también aquí con MIGRACIONES, o basta con el artículo 5, literal c)?"},
	{Article: "8", Key: "pim-migraciones-reply", ReplyTo: "pim-migraciones", Author: "Especialista SSN (demo)",
		Body: "Basta con el artículo 5: la coordinación con MIGRACIONES es de la Dirección. Propongo no repetirla."},
	{Article: "6", Key: "ssn-retorno", Author: "Especialista PCN (demo)", Resolved: true,
		Body: "El literal f) sobre retornantes, ¿no se superpone con la coordinación del PIM con las mesas regionales?"},
	{Article: "6", Key: "ssn-retorno-reply", ReplyTo: "ssn-retorno", Author: "Especialista SSN (demo)",
		Body: "No: la SSN atiende los casos; el PIM coordina la política con las regiones (artículo 10). Acordado en sesión."},
	{Article: "3", Key: "definiciones", Author: "Especialista PIM (demo)",
		Body: "Sugiero definir también 'asociación de la diáspora', que usan los artículos 7 y 11."},
}

// BlueprintSuggestions are the demo draft's pending suggestions.
var BlueprintSuggestions = []BlueprintSuggestion{
	{
		Article: "11", Author: "Especialista PCN (demo)",
		TextES: "El PIM organiza al menos una vez al año consultas con la diáspora sobre sus necesidades y propuestas, " +
			"con el apoyo de la PCN en la convocatoria de las asociaciones registradas, y da cuenta de sus resultados a la Dirección.",
		TextEN: "PIM organises consultations with the diaspora on its needs and proposals at least once a year, with PCN's " +
			"support in inviting the registered associations, and reports their results to the Directorate.",
		Rationale: "Demo: a yearly consultation, as proposed in the co-drafting session, so that participation does not depend on contingency.",
	},
}
