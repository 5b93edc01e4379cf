package demo

// IOM's Migration Governance Indicators (MGI): the framework, Peru's 2019 assessment with its
// findings, conventions table and answers, and a second, fictitious Peru assessment to compare.
//
// Seed files (in /work/shared/seeds/):
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru profile 2019
//     (PUB/2019/115/R): the six domains, the conventions table (1.1), the well-developed areas
//     (1.2, 2.1, 3.1, 4.1, 5.1, 6.1) and the areas for development (1.3, 3.2, 4.2, 5.2, 6.2).
//
// What is a fact and what is demo:
//   - The framework is data (internal/mgi/data/mgi-indicators.ndjson, the import row format of
//     resource mgi-indicators), loaded through the indicator service by mgi.LoadFramework. The
//     seed gives the domains and the topics the profile covers, not IOM's indicators or their
//     wording, so every indicator is demo and its text says it is the profile's topic, not
//     IOM's wording.
//   - The 2019 assessment, its conventions table and its findings are the seed's, not demo. Each
//     finding's English text is the profile's paragraph (footnote marks dropped, footnote 9 kept
//     as the last sentence of 6.1.4, three typos corrected: "Similalrly", "to capture of
//     information", "Colombia Republic of Korea"); its code is the profile's section and the
//     paragraph's place in it. The Spanish texts are Puente's translation, not IOM's; quotations
//     of laws are paraphrased in Spanish rather than given as their (unknown) official wording.
//   - The answers of 2019 are demo: the profile publishes findings, not answers, so each answer
//     is Puente's reading of the finding its note names. Indicators the profile has no finding
//     for (family reunification, residency and citizenship, transparency, admission criteria)
//     are not answered.
//   - The links from findings to mandate functions and blueprint articles are demo — Puente's
//     suggestion of which demo functions (mandates.go) and demo blueprint articles
//     (blueprint.go) answer them — and the assessment's notes say so (a finding has no note).
//   - PE-MGI-2023-DEMO is fictitious, demo: IOM published no such assessment here. Its answers
//     are 2019's with invented moves, so the comparison has something to show.

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/puente-mre/puente/internal/database"
	"github.com/puente-mre/puente/internal/institutions"
	"github.com/puente-mre/puente/internal/mgi"
)

// Codes of the demo MGI assessments.
const (
	MGIAssessment2019 = "PE-MGI-2019"
	MGIAssessmentDemo = "PE-MGI-2023-DEMO"
)

// MGIConvention is a row of the 2019 profile's conventions table (Year 0: not ratified).
type MGIConvention struct {
	Name     string
	Ratified bool
	Year     int
}

// MGIConventions2019 is table 1 of the 2019 profile, in its order.
var MGIConventions2019 = []MGIConvention{
	{"International Labour Organization (ILO) Migration for Employment Convention (Revised), 1949 (No. 97)", false, 0},
	{"United Nations Convention relating to the Status of Refugees (so-called Geneva Convention), 1951", true, 1964},
	{"United Nations conventions on statelessness, 1954 and 1961", true, 2014},
	{"ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143)", false, 0},
	{"Convention on the Rights of the Child (CRC), 1989", true, 1990},
	{"International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families (ICRMW), 1990", true, 2005},
}

// MGIFinding is a finding of the 2019 profile. Code is its section and place ("1.2.1"); the
// section's first digit is its domain (mgi.Domains, in order), the kind is the section's.
// Indicators are indicator codes of the framework file; Functions (function codes) and Articles
// (article numbers of the demo blueprint) are the demo links.
type MGIFinding struct {
	Code                string
	WellDeveloped       bool
	TextEN, TextES      string
	Indicators          []string
	Functions, Articles []string
}

// MGIFindings2019 are the well-developed areas and the areas for development of the 2019
// profile, in its order.
var MGIFindings2019 = []MGIFinding{
	// 1. Adherence to international standards and fulfilment of migrants' rights.
	{Code: "1.2.1", WellDeveloped: true, Indicators: []string{"MR.HEALTH"},
		TextEN: "The Political Constitution of Peru guarantees access to healthcare to all people in the country. Furthermore, Legislative Decree No. 1350 of the Migration Act of 2017 (hereinafter, the Migration Act) guarantees the fundamental rights of migrants (such as access to healthcare, education and work) under equal conditions to citizens. Law No. 26842 (General Health Law) guarantees that every person has the right to the protection of their health in accordance with the terms and conditions established by law.",
		TextES: "La Constitución Política del Perú garantiza el acceso a la atención de salud a todas las personas en el país. Además, el Decreto Legislativo N° 1350, Ley de Migraciones de 2017 (en adelante, la Ley de Migraciones), garantiza los derechos fundamentales de los migrantes (como el acceso a la salud, la educación y el trabajo) en igualdad de condiciones con los nacionales. La Ley N° 26842 (Ley General de Salud) garantiza que toda persona tiene derecho a la protección de su salud en los términos y condiciones que establece la ley."},
	{Code: "1.2.2", WellDeveloped: true, Indicators: []string{"MR.EDUCATION"},
		TextEN: "The Political Constitution of Peru guarantees access to initial, primary and secondary education, which are compulsory. All immigrants in Peru have the same status as citizens in terms of access to compulsory education. There are no additional requirements for immigrants who wish to enter professional training.",
		TextES: "La Constitución Política del Perú garantiza el acceso a la educación inicial, primaria y secundaria, que son obligatorias. Todos los inmigrantes en el Perú tienen la misma condición que los nacionales en cuanto al acceso a la educación obligatoria. No hay requisitos adicionales para los inmigrantes que desean acceder a la formación profesional."},
	{Code: "1.2.3", WellDeveloped: true, Indicators: []string{"MR.SOCIAL-PROTECTION"},
		TextEN: "All categories of immigrants in Peru have equal access to social protection under equal conditions as citizens. The Constitution and the Migration Act form the legislative framework that guarantee access to social protection of immigrants in Peru.",
		TextES: "Todas las categorías de inmigrantes en el Perú tienen igual acceso a la protección social, en igualdad de condiciones con los nacionales. La Constitución y la Ley de Migraciones conforman el marco legislativo que garantiza el acceso de los inmigrantes a la protección social en el Perú."},
	{Code: "1.2.4", WellDeveloped: true, Indicators: []string{"MR.SOCIAL-SECURITY"},
		TextEN: "The government of Peru has bilateral agreements with eight countries on the portability of social security benefits: Argentina, Canada, Chile, Colombia, Ecuador, the Republic of Korea, Spain and Uruguay. Furthermore, Peru is party to the Ibero-American Multilateral Convention on Social Security (Convenio Multilateral Iberoamericano de Seguridad Social, CMISS).",
		TextES: "El Gobierno del Perú tiene acuerdos bilaterales con ocho países sobre la portabilidad de las prestaciones de seguridad social: Argentina, Canadá, Chile, Colombia, Ecuador, la República de Corea, España y Uruguay. Además, el Perú es parte del Convenio Multilateral Iberoamericano de Seguridad Social (CMISS)."},
	{Code: "1.2.5", WellDeveloped: true, Indicators: []string{"MR.WORK"},
		TextEN: "Permanent residents, residents with temporary permits obtained within a period of less than one year and residents with family reunion permits have the right to work. The Migration Act, which covers the right to work, promotes the elimination of discrimination and is based on the principles of equality and non-discrimination of migrants.",
		TextES: "Los residentes permanentes, los residentes con permisos temporales obtenidos por un período menor de un año y los residentes con permisos de reunificación familiar tienen derecho a trabajar. La Ley de Migraciones, que abarca el derecho al trabajo, promueve la eliminación de la discriminación y se basa en los principios de igualdad y no discriminación de los migrantes."},
	{Code: "1.2.6", WellDeveloped: true, Indicators: []string{"MR.VOTE-ABROAD"}, Functions: []string{"F-ASN-29"}, Articles: []string{"7"},
		TextEN: "All citizens of the country may vote in national elections if they live in another country. To vote abroad, it is enough that Peruvians confirm the address of the locality in which they live in with their National Identity Document (Documento Nacional de Identidad, DNI), without the need to previously register at the respective Consular Office.",
		TextES: "Todos los ciudadanos del país pueden votar en las elecciones nacionales si viven en otro país. Para votar en el exterior, basta con que los peruanos confirmen la dirección de la localidad en la que viven con su Documento Nacional de Identidad (DNI), sin necesidad de inscribirse previamente en la oficina consular respectiva."},
	{Code: "1.3.1", Indicators: []string{"MR.WORK"},
		TextEN: "There are certain limitations for immigrants to access employment. Legislative Decree 689 \"Law on Hiring of Foreign Workers\", which was issued in 1991, imposes limits on the number of foreign workers and their salaries, with some exceptions. According to the law, foreign employees are limited to 20% of the total number of workers and salaries are limited to 30% of the total payroll and salaries of each company. Employment contracts may not exceed a period of three years for foreigners. The foreign worker must renew his/her residence permit each year.",
		TextES: "Existen ciertas limitaciones para el acceso de los inmigrantes al empleo. El Decreto Legislativo 689, Ley para la Contratación de Trabajadores Extranjeros, emitido en 1991, impone límites al número de trabajadores extranjeros y a sus remuneraciones, con algunas excepciones. Según la ley, los trabajadores extranjeros no pueden superar el 20 % del total de trabajadores y sus remuneraciones no pueden superar el 30 % del total de la planilla de sueldos y salarios de cada empresa. Los contratos de trabajo de los extranjeros no pueden exceder un plazo de tres años. El trabajador extranjero debe renovar su permiso de residencia cada año."},
	{Code: "1.3.2", Indicators: []string{"MR.VOTE-LOCAL"},
		TextEN: "Only certain foreign residents in Peru may vote in local elections. They must have resided in the country for over two years and may not reside in border municipalities, in accordance with the Municipal Elections Act (N° 26864). To exercise this right, the foreign national shall be identified by his/her Foreign National Identity Card (Carné de Extranjería) as a resident, and must previously register with the Electoral Register of Foreigners which is managed by the National Register of Identification and Civil Status (Registro Nacional de Identificación y Estado Civil, RENIEC).",
		TextES: "Solo ciertos residentes extranjeros en el Perú pueden votar en las elecciones municipales. Deben haber residido en el país por más de dos años y no pueden residir en municipios fronterizos, de conformidad con la Ley de Elecciones Municipales (N° 26864). Para ejercer este derecho, el extranjero debe identificarse como residente con su Carné de Extranjería y debe inscribirse previamente en el Registro Electoral de Extranjeros, a cargo del Registro Nacional de Identificación y Estado Civil (RENIEC)."},

	// 2. Formulates policy using evidence and whole-of-government approach.
	{Code: "2.1.1", WellDeveloped: true, Indicators: []string{"WG.POLICY"}, Functions: []string{"F-ASN-01", "F-ASN-02"}, Articles: []string{"8"},
		TextEN: "Peru has a solid institutional and normative framework on migration, with competent institutions that promote comprehensive and intersectorial migration governance. In 2017, the Government of Peru issued Supreme Decree No. 015-2017-RE which approved the National Migration Policy (Política Nacional Migratoria, PNM) 2017 – 2025. The PNM is based on the main international human rights principles. Likewise, it recognizes IOM's Migration Governance Framework as a useful tool for designing migration initiatives. The policy establishes the main objectives and guidelines to respond to the entire migration cycle. The main thematic areas covered are human rights, social inclusion, integrity, intersectoral and intergovernmental engagement, migrant protection, assistance and guidance, intercultural acknowledgement, and gender.",
		TextES: "El Perú cuenta con un marco institucional y normativo sólido en materia migratoria, con instituciones competentes que promueven una gobernanza migratoria integral e intersectorial. En 2017, el Gobierno del Perú emitió el Decreto Supremo N° 015-2017-RE, que aprobó la Política Nacional Migratoria (PNM) 2017-2025. La PNM se basa en los principales principios internacionales de derechos humanos. Asimismo, reconoce el Marco de Gobernanza de la Migración de la OIM como una herramienta útil para diseñar iniciativas migratorias. La política establece los principales objetivos y lineamientos para responder a todo el ciclo migratorio. Los principales ejes temáticos que abarca son los derechos humanos, la inclusión social, la integridad, la articulación intersectorial e intergubernamental, la protección, asistencia y orientación al migrante, el reconocimiento intercultural y el género."},
	{Code: "2.1.2", WellDeveloped: true, Indicators: []string{"WG.INSTITUTIONS"}, Functions: []string{"F-ASN-20"}, Articles: []string{"5"},
		TextEN: "The Ministry of Foreign Affairs (Ministerio de Relaciones Exteriores, MRE) is the body responsible for the implementation of the National Migration Policy, which seeks to guarantee an efficient inter-institutional and intergovernmental coordination in migration management. The National Migration Authority (Superintendencia Nacional de Migraciones, MIGRACIONES), a technical body of the Ministry of the Interior, is the authority on immigration matters. The MIGRACIONES proposes sectoral policy in the areas of its competency and implements internal migration policy.",
		TextES: "El Ministerio de Relaciones Exteriores (MRE) es el órgano responsable de la implementación de la Política Nacional Migratoria, que busca garantizar una coordinación interinstitucional e intergubernamental eficiente en la gestión migratoria. La Superintendencia Nacional de Migraciones (MIGRACIONES), organismo técnico del Ministerio del Interior, es la autoridad en materia de inmigración. MIGRACIONES propone la política sectorial en los ámbitos de su competencia y ejecuta la política migratoria interna."},
	{Code: "2.1.3", WellDeveloped: true, Indicators: []string{"WG.COORDINATION"}, Functions: []string{"F-ASN-19"}, Articles: []string{"10"},
		TextEN: "The MRE presides over the Permanent Multi-Sectorial Commission named \"Inter-sectorial Round Table for Migration Management\" (Mesa de Trabajo Intersectorial para la Gestión Migratoria, MTIGM), created in 2011 with the aim of coordinating, assessing, proposing, prioritizing and supervising policies and actions linked to the comprehensive management of migration. The MTIGM includes representatives of 22 public institutions and 3 Observers, and meets periodically (generally on a monthly basis) in ordinary or extraordinary sessions. Public institutions which are part of the MTIGM participated in the development of Supreme Decree No. 015-2017-RE which approved the National Migration Policy 2017–2025.",
		TextES: "El MRE preside la Comisión Multisectorial de naturaleza permanente denominada «Mesa de Trabajo Intersectorial para la Gestión Migratoria» (MTIGM), creada en 2011 con el fin de coordinar, evaluar, proponer, priorizar y supervisar las políticas y acciones vinculadas a la gestión integral de la migración. La MTIGM reúne a representantes de 22 instituciones públicas y 3 observadores, y sesiona periódicamente (por lo general, cada mes) en sesiones ordinarias o extraordinarias. Las instituciones públicas que forman parte de la MTIGM participaron en la elaboración del Decreto Supremo N° 015-2017-RE, que aprobó la Política Nacional Migratoria 2017-2025."},
	{Code: "2.1.4", WellDeveloped: true, Indicators: []string{"WG.COORDINATION"}, Functions: []string{"F-ASN-22"}, Articles: []string{"10"},
		TextEN: "The Ministry of Foreign Affairs has been driving the decentralization of the National Migration Policy via the MTIGM. Through the decentralized offices of the MRE, intersectoral round tables have been established in 12 regions of the country. Additionally, the National Migration Authority has competency in matters of internal migration policy and coordinates migration control with diverse national institutions.",
		TextES: "El Ministerio de Relaciones Exteriores ha impulsado la descentralización de la Política Nacional Migratoria a través de la MTIGM. Mediante las oficinas desconcentradas del MRE se han establecido mesas intersectoriales en 12 regiones del país. Además, la Superintendencia Nacional de Migraciones es competente en materia de política migratoria interna y coordina el control migratorio con diversas instituciones nacionales."},
	{Code: "2.1.5", WellDeveloped: true, Indicators: []string{"WG.NATIONALS-ABROAD"}, Functions: []string{"F-ASN-03", "F-ASN-15"}, Articles: []string{"8", "11"},
		TextEN: "In accordance with the National Migration Policy 2017–2025 and the Migration Act, the Ministry of Foreign Affairs (Ministerio de Relaciones Exteriores, MRE) is the institution responsible for international migration policy. The MRE, through its consular network, provides assistance and protection to Peruvians abroad. Furthermore, it coordinates and engages with the Peruvian diaspora as part of its approach towards migration and development.",
		TextES: "De conformidad con la Política Nacional Migratoria 2017-2025 y la Ley de Migraciones, el Ministerio de Relaciones Exteriores (MRE) es la institución responsable de la política migratoria externa. El MRE, a través de su red consular, brinda asistencia y protección a los peruanos en el exterior. Además, coordina y se vincula con la diáspora peruana como parte de su enfoque de migración y desarrollo."},
	{Code: "2.1.6", WellDeveloped: true, Indicators: []string{"WG.LEGAL-FRAMEWORK"},
		TextEN: "The most extensive law on immigration and emigration is the Migration Act of 2017. The decree regulates the entry of people and classification of foreign nationals in the country. There are additional regulations, which are published on the MIGRACIONES website.",
		TextES: "La ley más amplia en materia de inmigración y emigración es la Ley de Migraciones de 2017. El decreto regula el ingreso de personas y la clasificación de los extranjeros en el país. Existen normas adicionales, publicadas en el sitio web de MIGRACIONES."},

	// 3. Engages with partners to address migration and related issues.
	{Code: "3.1.1", WellDeveloped: true, Indicators: []string{"PA.REGIONAL-PROCESSES"}, Functions: []string{"F-ASN-21"}, Articles: []string{"10"},
		TextEN: "Peru is one of the founders of the South American Conference on Migration (Conferencia Suramericana sobre Migraciones, CSM), which was created in 1999 in the setting of a South American meeting on migration held in Lima. In 2019, 20 years of this regional advisory process was celebrated, with Peru holding the presidency Pro Tempore. Peru is also an observer at the Regional Conference on Migration or Puebla Process. Likewise, Peru forms part of the Specialized Migration Forum (Foro Especializado Migratorio, FEM) of MERCOSUR, of the Ibero-American Forum on Migration and Development, as well as of diverse multilateral dialogue and cooperation processes on migration.",
		TextES: "El Perú es uno de los fundadores de la Conferencia Suramericana sobre Migraciones (CSM), creada en 1999 en el marco de un encuentro sudamericano sobre migración celebrado en Lima. En 2019 se celebraron los 20 años de este proceso consultivo regional, con el Perú en la Presidencia Pro Tempore. El Perú es también observador en la Conferencia Regional sobre Migración o Proceso Puebla. Asimismo, el Perú forma parte del Foro Especializado Migratorio (FEM) del MERCOSUR, del Foro Iberoamericano sobre Migración y Desarrollo y de diversos procesos multilaterales de diálogo y cooperación en materia migratoria."},
	{Code: "3.1.2", WellDeveloped: true, Indicators: []string{"PA.REGIONAL-MOBILITY"},
		TextEN: "Peru is a Partner State of MERCOSUR, a regional integration process which includes human mobility. Through the Agreement on Residence for Nationals of States Party to MERCOSUR, Plurinational State of Bolivia and Chile, citizens of Argentina, Plurinational State of Bolivia, Brazil, Chile, Colombia, Ecuador, Paraguay and Uruguay may obtain temporary residence for a period of two years, at the end of which permanent residence may be processed. Peru is also a member of the Andean Community (Comunidad Andina, CAN), which facilitates labour migration in the region (through its Decision 545). Furthermore, it is part of the Community of Latin American and Caribbean States (Comunidad de Estados Latinoamericanos y Caribeños, CELAC) which includes thirty-three countries of Latin America and the Caribbean and promotes regional integration and dialogue. Peru is also part of the Pacific Alliance, a mechanism which seeks to build, in a participative and voluntary manner, an area of enhanced collaboration to progressively advance towards the free movement of goods, services, capital and peoples between Chile, Colombia, Mexico and Peru.",
		TextES: "El Perú es Estado Asociado del MERCOSUR, proceso de integración regional que incluye la movilidad humana. En virtud del Acuerdo sobre Residencia para Nacionales de los Estados Partes del MERCOSUR, Bolivia y Chile, los ciudadanos de la Argentina, el Estado Plurinacional de Bolivia, el Brasil, Chile, Colombia, el Ecuador, el Paraguay y el Uruguay pueden obtener una residencia temporal por dos años, al término de los cuales pueden tramitar la residencia permanente. El Perú es también miembro de la Comunidad Andina (CAN), que facilita la migración laboral en la región (mediante su Decisión 545). Además, forma parte de la Comunidad de Estados Latinoamericanos y Caribeños (CELAC), que reúne a treinta y tres países de América Latina y el Caribe y promueve la integración y el diálogo regionales. El Perú es también parte de la Alianza del Pacífico, mecanismo que busca construir, de manera participativa y voluntaria, un área de colaboración reforzada para avanzar progresivamente hacia la libre circulación de bienes, servicios, capitales y personas entre Chile, Colombia, México y el Perú."},
	{Code: "3.1.3", WellDeveloped: true, Indicators: []string{"PA.CIVIL-SOCIETY"},
		TextEN: "Peru formally cooperates with civil society organizations in the development of programmes and activities to address migration issues. The MTIGM has two Coordination Commissions, one inter-agency and another for coordinating with civil society organizations.",
		TextES: "El Perú coopera formalmente con organizaciones de la sociedad civil en la elaboración de programas y actividades para abordar cuestiones migratorias. La MTIGM cuenta con dos Comisiones de Coordinación, una interinstitucional y otra para la coordinación con las organizaciones de la sociedad civil."},
	{Code: "3.1.4", WellDeveloped: true, Indicators: []string{"PA.DIASPORA"}, Functions: []string{"F-ASN-13", "F-ASN-14"}, Articles: []string{"7", "11"},
		TextEN: "Peru formally cooperates with members of its diaspora and expatriate communities in the preparation of programmes and in the implementation of development policy. Through its consular network, the government works with the diaspora to understand their needs and develop policies. Additionally, in 2005 the MRE created the Abroad Peruvian Communities Secretariat, currently named General Directorate of Abroad Peruvian Communities and Consular Affairs.",
		TextES: "El Perú coopera formalmente con miembros de su diáspora y de sus comunidades en el exterior en la preparación de programas y en la ejecución de la política de desarrollo. A través de su red consular, el Gobierno trabaja con la diáspora para conocer sus necesidades y elaborar políticas. Además, en 2005 el MRE creó la Secretaría de Comunidades Peruanas en el Exterior, actualmente denominada Dirección General de Comunidades Peruanas en el Exterior y Asuntos Consulares."},
	{Code: "3.1.5", WellDeveloped: true, Indicators: []string{"PA.BILATERAL"}, Functions: []string{"F-ASN-12"}, Articles: []string{"7"},
		TextEN: "Peru has bilateral agreements on migration matters such as social security (Argentina, Canada, Colombia, Chile, Ecuador, Republic of Korea, Spain, Uruguay), recognizing driving licenses (Plurinational State of Bolivia, Chile, Colombia, Republic of Korea and Spain), migration and consular cooperation (Argentina, Plurinational State of Bolivia, Colombia, Chile, Mexico, Uruguay), as well as agreements which allow migrants to reside in the other country (Argentina, Plurinational State of Bolivia, Ecuador).",
		TextES: "El Perú tiene acuerdos bilaterales en materia migratoria, por ejemplo sobre seguridad social (Argentina, Canadá, Colombia, Chile, Ecuador, República de Corea, España, Uruguay), reconocimiento de licencias de conducir (Estado Plurinacional de Bolivia, Chile, Colombia, República de Corea y España), cooperación migratoria y consular (Argentina, Estado Plurinacional de Bolivia, Colombia, Chile, México, Uruguay), así como acuerdos que permiten a los migrantes residir en el otro país (Argentina, Estado Plurinacional de Bolivia, Ecuador)."},
	{Code: "3.1.6", WellDeveloped: true, Indicators: []string{"PA.DIALOGUE"},
		TextEN: "Peru participates in bilateral negotiations, discussions and consultations with countries of origin and destination of its immigrants and emigrants. In 2019, Peru coordinated with its neighbours in order to address the Venezuelan migrant crisis in a comprehensive manner and to provide a regional response.",
		TextES: "El Perú participa en negociaciones, conversaciones y consultas bilaterales con los países de origen y de destino de sus inmigrantes y emigrantes. En 2019, el Perú se coordinó con sus vecinos para abordar de manera integral la crisis de los migrantes venezolanos y dar una respuesta regional."},
	{Code: "3.2.1", Indicators: []string{"PA.PRIVATE-SECTOR"},
		TextEN: "Peru could enhance the engagement of the private sector on the subject of migration. For example, the National Migration Policy 2017–2025 does not mention formal partnerships with the private sector.",
		TextES: "El Perú podría fortalecer la participación del sector privado en materia migratoria. Por ejemplo, la Política Nacional Migratoria 2017-2025 no menciona alianzas formales con el sector privado."},

	// 4. Advance the socioeconomic well-being of migrants and society.
	{Code: "4.1.1", WellDeveloped: true, Indicators: []string{"WB.STUDENTS", "WB.QUALIFICATIONS"},
		TextEN: "Peru provides equal access to education to foreign students (for example, regarding fees, access to specific courses, etc.) and has current bilateral agreements with 47 countries on the recognition of degrees and diplomas.",
		TextES: "El Perú brinda a los estudiantes extranjeros igual acceso a la educación (por ejemplo, en cuanto a tasas o acceso a determinados cursos) y tiene acuerdos bilaterales vigentes con 47 países sobre el reconocimiento de grados y títulos."},
	{Code: "4.1.2", WellDeveloped: true, Indicators: []string{"WB.INTEGRATION"},
		TextEN: "In the context of the policy of inclusion of the Venezuelan school-age population that the Ministry of Education began implementing in 2019, vacancies have been opened for initial and primary education for Venezuelans in Metropolitan Lima. The slogan disseminated through this campaign is: \"Lima Learns, No Child Out of School\" (\"Lima Aprende, Ni Un Niño Sin Estudiar\"). This campaign includes the expansion of vacancies for initial and primary education in 114 educational institutions of Metropolitan Lima with the aim of bridging the gap of boys and girls who were unable to enrol in 2019.",
		TextES: "En el marco de la política de inclusión de la población venezolana en edad escolar que el Ministerio de Educación empezó a aplicar en 2019, se abrieron vacantes de educación inicial y primaria para venezolanos en Lima Metropolitana. El lema difundido en esta campaña es «Lima Aprende, Ni Un Niño Sin Estudiar». La campaña incluye la ampliación de vacantes de educación inicial y primaria en 114 instituciones educativas de Lima Metropolitana, con el objetivo de cerrar la brecha de niños y niñas que no pudieron matricularse en 2019."},
	{Code: "4.1.3", WellDeveloped: true, Indicators: []string{"WB.INTEGRATION"},
		TextEN: "In 2016, the National Migration Authority established the Migrant Integration Working Group, formerly known as the Migrant in Vulnerable Situation Service Team. The Working Group was formalized in April of 2018 (Authority Resolution N° 117-2018-Migraciones) and its general objective is to promote the integration of foreigners into Peruvian society, ensuring the protection, attention to and defence of human rights and cultural identity, based on three pillars: 1) preventing all kinds of violence and the respect for cultural expression and identity, 2) promoting of rights and duties of foreign nationals, and 3) providing assistance to migrants in vulnerable situations.",
		TextES: "En 2016, la Superintendencia Nacional de Migraciones creó el Grupo de Trabajo de Integración del Migrante, antes denominado Equipo de Atención al Migrante en Situación de Vulnerabilidad. El Grupo de Trabajo se formalizó en abril de 2018 (Resolución de Superintendencia N° 117-2018-Migraciones) y su objetivo general es promover la integración de los extranjeros en la sociedad peruana, garantizando la protección, la atención y la defensa de los derechos humanos y de la identidad cultural, sobre la base de tres pilares: 1) la prevención de todo tipo de violencia y el respeto de la expresión y la identidad culturales, 2) la promoción de los derechos y deberes de los extranjeros y 3) la asistencia a los migrantes en situación de vulnerabilidad."},
	{Code: "4.1.4", WellDeveloped: true, Indicators: []string{"WB.WORKERS-ABROAD"}, Functions: []string{"F-ASN-10", "F-ASN-06"}, Articles: []string{"7", "6"},
		TextEN: "Peru has developed formal mechanisms to protect its workers abroad. The Ministry of Foreign Affairs (Ministerio de Relaciones Exteriores, MRE) defines its work in accordance with the 31 State Policies of the National Agreement. One of the objectives of the MRE is to provide assistance to migrants in a homeless or destitute situation abroad.",
		TextES: "El Perú ha desarrollado mecanismos formales para proteger a sus trabajadores en el exterior. El Ministerio de Relaciones Exteriores (MRE) define su labor de acuerdo con las 31 Políticas de Estado del Acuerdo Nacional. Uno de los objetivos del MRE es brindar asistencia a los migrantes en situación de indigencia o desamparo en el exterior."},
	{Code: "4.1.5", WellDeveloped: true, Indicators: []string{"WB.WORKERS-ABROAD"}, Functions: []string{"F-ASN-05", "F-ASN-07", "F-ASN-11"}, Articles: []string{"6"},
		TextEN: "Consulates offer legal and humanitarian assistance to Peruvians abroad and prevent human and migrant trafficking. The MRE manages a network of Foreign Service Missions (órganos del servicio exterior, OSE) made up of 64 embassies, 117 consulates and consular sections, and 11 permanent representations at international and regional organizations such as the United Nations and the Organization of American States.",
		TextES: "Los consulados ofrecen asistencia legal y humanitaria a los peruanos en el exterior y previenen la trata de personas y el tráfico ilícito de migrantes. El MRE administra una red de órganos del servicio exterior (OSE) integrada por 64 embajadas, 117 consulados y secciones consulares y 11 representaciones permanentes ante organismos internacionales y regionales, como las Naciones Unidas y la Organización de los Estados Americanos."},
	{Code: "4.1.6", WellDeveloped: true, Indicators: []string{"WB.LABOUR-AGREEMENTS"},
		TextEN: "Peru has active formal bilateral labour agreements. For example, Peru and Ecuador have an agreement on agricultural, construction and domestic service workers in the Border Integration Region. The country also has agreements with Argentina to protect the rights of migrants, with Bolivia on undertaking joint measures to control irregular migration, and with Ecuador to formalize the migration and labour situation of their nationals in both countries.",
		TextES: "El Perú tiene acuerdos laborales bilaterales formales vigentes. Por ejemplo, el Perú y el Ecuador tienen un acuerdo sobre trabajadores agrícolas, de la construcción y del servicio doméstico en la Zona de Integración Fronteriza. El país también tiene acuerdos con la Argentina para proteger los derechos de los migrantes, con Bolivia para adoptar medidas conjuntas de control de la migración irregular y con el Ecuador para regularizar la situación migratoria y laboral de sus nacionales en ambos países."},
	{Code: "4.1.7", WellDeveloped: true, Indicators: []string{"WB.REMITTANCES"},
		TextEN: "In recent years, the government of Peru has focused on the construction of financial infrastructure that will facilitate remittances. Since the launch in 2015 of the National Financial Inclusion Strategy (Estrategia Nacional de Inclusión Financiera, ENIF), the Government has worked towards reducing the cost of electronic payments by supporting electronic funds, electronic wallets, and fintech, among others.",
		TextES: "En los últimos años, el Gobierno del Perú se ha centrado en construir una infraestructura financiera que facilite las remesas. Desde el lanzamiento en 2015 de la Estrategia Nacional de Inclusión Financiera (ENIF), el Gobierno ha trabajado para reducir el costo de los pagos electrónicos, apoyando el dinero electrónico, las billeteras electrónicas y las fintech, entre otros."},
	{Code: "4.1.8", WellDeveloped: true, Indicators: []string{"WB.REMITTANCES"},
		TextEN: "In Peru there are programmes that aim to promote the financial inclusion of migrants and their families, particularly if they are senders and/or receivers of remittances. The BIM mobile wallet programme boosts financial inclusiveness in Peru and enables the transfer of money orders and electronic funds.",
		TextES: "En el Perú hay programas que buscan promover la inclusión financiera de los migrantes y sus familias, en particular si envían o reciben remesas. El programa de billetera móvil BIM impulsa la inclusión financiera en el Perú y permite la transferencia de giros y fondos electrónicos."},
	{Code: "4.2.1", Indicators: []string{"WB.LABOUR-DEMAND"},
		TextEN: "The Ministry of Labour and Promotion of Employment conducts annually the Employment Demand Survey (Encuesta de Demanda Ocupacional, EDO). The main objective of this survey is to capture information on: i) future employment needs for personnel of formal private companies of 20 or more employees, and ii) qualifications needed for the required employment. It does not include variables which could provide an insight on the future employment of foreign workers.",
		TextES: "El Ministerio de Trabajo y Promoción del Empleo realiza anualmente la Encuesta de Demanda Ocupacional (EDO). El objetivo principal de esta encuesta es recoger información sobre: i) las necesidades futuras de personal de las empresas privadas formales de 20 o más trabajadores y ii) las calificaciones necesarias para el empleo requerido. No incluye variables que permitan conocer el empleo futuro de trabajadores extranjeros."},
	{Code: "4.2.2", Indicators: []string{"WB.SKILLS-VISAS"},
		TextEN: "Peru has different types of visas, but these are not structured to attract specific work skills. The types of temporary visas are artist, temporary worker and designated worker. The types of residential visas are resident worker and investor.",
		TextES: "El Perú tiene distintos tipos de visas, pero no están estructuradas para atraer competencias laborales específicas. Los tipos de visas temporales son artista, trabajador temporal y trabajador designado. Los tipos de visas de residente son trabajador residente e inversionista."},
	{Code: "4.2.3", Indicators: []string{"WB.LABOUR-DATA"},
		TextEN: "Peru collects data on the labour market disaggregated by migration status, but not thoroughly. The Andean Migrant Worker Virtual System (Sistema Virtual del Trabajador Migrante Andino, SIVITMA) is a virtual register created by the Ministry of Labour and Promotion of Employment (Ministerio de Trabajo y Promoción del Empleo, MPTE); the register aims to enable the automatic issuance of the Andean Community Migrant Worker Certificate (la Constancia del Trabajador Migrante de la Comunidad Andina, CTMA). The Quarterly Statistic Report - III Quarter 2018, for example, did not disaggregate by migration status and sex. Regarding the registration of other foreign workers, Supreme Decree No. 08-2018-TR modified the Regulations of the Law on Hiring Foreign Workers and put into effect the right to labour migration and the legislation on administrative simplification. The approval of employment contracts is now done automatically.",
		TextES: "El Perú recopila datos sobre el mercado laboral desagregados por condición migratoria, pero no de manera exhaustiva. El Sistema Virtual del Trabajador Migrante Andino (SIVITMA) es un registro virtual creado por el Ministerio de Trabajo y Promoción del Empleo (MTPE); el registro busca permitir la emisión automática de la Constancia del Trabajador Migrante de la Comunidad Andina (CTMA). El Informe Estadístico Trimestral del III trimestre de 2018, por ejemplo, no desagregó por condición migratoria y sexo. En cuanto al registro de otros trabajadores extranjeros, el Decreto Supremo N° 08-2018-TR modificó el Reglamento de la Ley para la Contratación de Trabajadores Extranjeros y dio efecto al derecho a la migración laboral y a la normativa de simplificación administrativa. La aprobación de los contratos de trabajo se realiza ahora de forma automática."},
	{Code: "4.2.4", Indicators: []string{"WB.GENDER"},
		TextEN: "Peru has measures in place that promote gender equality in the country, but they do not specifically address immigrants in the work force. Law No. 28983, the Law on Equal Opportunities between Men and Women, of 2007, aims at establishing a standardized framework, for institutions and public policies at the national, regional and local level, to ensure that men and women exercise their rights to equality and dignity. In 2017, the government published Law No. 30709, which prohibits remunerative discrimination between women and men, through positions, functions and salaries that impede the implementation of the principle of equal pay for equal work.",
		TextES: "El Perú cuenta con medidas que promueven la igualdad de género en el país, pero no se dirigen específicamente a los inmigrantes en la fuerza laboral. La Ley N° 28983, Ley de Igualdad de Oportunidades entre Mujeres y Hombres, de 2007, busca establecer un marco normativo común, para las instituciones y las políticas públicas de nivel nacional, regional y local, que garantice a mujeres y hombres el ejercicio de sus derechos a la igualdad y la dignidad. En 2017, el Gobierno publicó la Ley N° 30709, que prohíbe la discriminación remunerativa entre mujeres y hombres, mediante cargos, funciones y remuneraciones que impidan aplicar el principio de igual remuneración por igual trabajo."},

	// 5. Effectively address the mobility dimensions of crises.
	{Code: "5.1.1", WellDeveloped: true, Indicators: []string{"CR.NATIONALS-ABROAD"}, Functions: []string{"F-ASN-08", "F-ASN-16"}, Articles: []string{"6", "12"},
		TextEN: "The Ministry of Foreign Affairs (Ministerio de Relaciones Exteriores, MRE) keeps a register of citizens abroad through the network of Foreign Service Missions (órganos del servicio exterior, OSE) of the MRE. Peruvians abroad can register at the consular missions and request assistance in times of crisis. Consular services include legal and humanitarian assistance and consular missions are also involved in efforts to counter human and migrant trafficking.",
		TextES: "El Ministerio de Relaciones Exteriores (MRE) lleva un registro de los ciudadanos en el exterior a través de su red de órganos del servicio exterior (OSE). Los peruanos en el exterior pueden inscribirse en las oficinas consulares y solicitar asistencia en situaciones de crisis. Los servicios consulares incluyen asistencia legal y humanitaria, y las oficinas consulares participan también en la lucha contra la trata de personas y el tráfico ilícito de migrantes."},
	{Code: "5.1.2", WellDeveloped: true, Indicators: []string{"CR.HUMANITARIAN-ADMISSION"},
		TextEN: "In accordance with the Migration Act, asylum seekers and refugees do not require a visa nor a migratory status for their admission into and residence in the country. The decree also created the Humanitarian Visa category for those in a vulnerable condition who have not applied for asylum through the customary process.",
		TextES: "De conformidad con la Ley de Migraciones, los solicitantes de asilo y los refugiados no requieren visa ni calidad migratoria para su admisión y residencia en el país. El decreto creó además la categoría de Visa Humanitaria para las personas en situación de vulnerabilidad que no han solicitado asilo por el procedimiento habitual."},
	{Code: "5.1.3", WellDeveloped: true, Indicators: []string{"CR.COMMUNICATION"},
		TextEN: "In Peru there are communication systems for the public to receive information during a crisis. For example, the Disaster Risk Management Information System (SIGRID) can be downloaded on a mobile phone; users can then receive or share information on disasters and disaster risk management. The National Estimation, Prevention and Disaster Risk Reduction Centre (Centro Nacional de Estimación, Prevención y Reducción del Riesgo de Desastres, CENEPRED) has also put in place the Ad Hoc Department and Risk Assessment Integrated Information System (Sistema Integrado de Información de Delegaturas Ad Hoc y Evaluaciones de Riesgo, SIIDE). A person can register to receive alerts in crisis situations. There are also emergency telephone numbers and communication systems for the public to report emergencies to the government.",
		TextES: "En el Perú existen sistemas de comunicación para que el público reciba información durante una crisis. Por ejemplo, el Sistema de Información para la Gestión del Riesgo de Desastres (SIGRID) puede descargarse en un teléfono móvil; los usuarios pueden entonces recibir o compartir información sobre desastres y gestión del riesgo de desastres. El Centro Nacional de Estimación, Prevención y Reducción del Riesgo de Desastres (CENEPRED) ha puesto en marcha también el Sistema Integrado de Información de Delegaturas Ad Hoc y Evaluaciones de Riesgo (SIIDE). Una persona puede inscribirse para recibir alertas en situaciones de crisis. Existen además números telefónicos de emergencia y sistemas de comunicación para que el público informe de emergencias al Gobierno."},
	{Code: "5.2.1", Indicators: []string{"CR.MIGRANTS-IN-DISASTERS"},
		TextEN: "The National Civil Defence Institute (Instituto Nacional de Defensa Civil, INDECI) is the government agency responsible for national civil defence, and the CENEPRED, is in charge of disaster risk management and response. The information available from INDECI and CENEPRED on their crisis prevention, preparation and resilience plans shows that these agencies do not specifically address the rights of migrants after a disaster.",
		TextES: "El Instituto Nacional de Defensa Civil (INDECI) es el organismo del Gobierno responsable de la defensa civil nacional, y el CENEPRED está a cargo de la gestión del riesgo de desastres y de la respuesta. La información disponible del INDECI y del CENEPRED sobre sus planes de prevención, preparación y resiliencia ante crisis muestra que estos organismos no abordan específicamente los derechos de los migrantes después de un desastre."},
	{Code: "5.2.2", Indicators: []string{"CR.DISPLACEMENT"},
		TextEN: "CENEPRED implements the management of and response to disaster risk. It published its latest plan, the National Plan for Disaster Risk (Plan nacional de riesgos de desastres, PLANAGERD 2014–2021), which does not address the issue of displacement. For the past few years, displacement has been an issue addressed by the Ministry of Women and Vulnerable People, which acts as the governing body for the prevention of displacement and protection and care of displaced populations (stipulated in Law No. 28223, the Law on Internal Displacement).",
		TextES: "El CENEPRED ejecuta la gestión del riesgo de desastres y la respuesta a este. Publicó su plan más reciente, el Plan Nacional de Gestión del Riesgo de Desastres (PLANAGERD 2014-2021), que no aborda la cuestión del desplazamiento. En los últimos años, el desplazamiento ha sido abordado por el Ministerio de la Mujer y Poblaciones Vulnerables, que actúa como ente rector de la prevención del desplazamiento y de la protección y atención de las poblaciones desplazadas (según la Ley N° 28223, Ley sobre los Desplazamientos Internos)."},
	{Code: "5.2.3", Indicators: []string{"CR.ENVIRONMENT"},
		TextEN: "The national strategy on climate change takes into account the fact that forced migration may be a result of environmental stressors and environmental degradation. However, there are no guidelines in place to address displacement due to this phenomenon. Similarly, main documents on disaster management also do not address this issue.",
		TextES: "La estrategia nacional ante el cambio climático tiene en cuenta que la migración forzada puede ser consecuencia de factores de estrés ambiental y de la degradación ambiental. Sin embargo, no existen lineamientos para abordar el desplazamiento debido a este fenómeno. Del mismo modo, los principales documentos sobre gestión de desastres tampoco abordan esta cuestión."},
	{Code: "5.2.4", Indicators: []string{"CR.CONTINGENCY"},
		TextEN: "CENEPRED does not currently publish a contingency plan to manage large-scale population movements in times of crisis.",
		TextES: "El CENEPRED no publica actualmente un plan de contingencia para gestionar movimientos de población a gran escala en situaciones de crisis."},

	// 6. Ensure that migration takes place in a safe, orderly and dignified manner.
	{Code: "6.1.1", WellDeveloped: true, Indicators: []string{"SO.RETURN"}, Functions: []string{"F-ASN-24"}, Articles: []string{"6"},
		TextEN: "In Peru there is a specific policy which focuses on facilitating the reintegration of Peruvians that return to the country. Law No. 30001, the Law on the Economic and Social Reintegration of the Returning Migrant, of 2013, and its Amendment, Law No. 30525, stipulate that returning Peruvians and their families have the right to request support and guidance from State institutions in the legal, educational, health and economic development fields. The Law also addresses tax and socioeconomic services.",
		TextES: "En el Perú existe una política específica centrada en facilitar la reintegración de los peruanos que retornan al país. La Ley N° 30001, Ley de Reinserción Económica y Social para el Migrante Retornado, de 2013, y su modificatoria, la Ley N° 30525, establecen que los peruanos que retornan y sus familias tienen derecho a solicitar apoyo y orientación de las instituciones del Estado en los ámbitos legal, educativo, de salud y de desarrollo económico. La Ley aborda también servicios tributarios y socioeconómicos."},
	{Code: "6.1.2", WellDeveloped: true, Indicators: []string{"SO.TRAFFICKING"}, Functions: []string{"F-ASN-11"}, Articles: []string{"6"},
		TextEN: "A legislative framework exists to fight human trafficking and labour exploitation with Law No. 28950, the 2007 Law against Human Trafficking and Illicit Trafficking of Migrants. In June 2017, the Government also approved, through Supreme Decree No. 017-2017-IN, the National Plan against human trafficking 2017–2021, which has as its main objective the prevention, control and reduction of this problem. The responsible bodies include the Ministry of the Interior, the Ministry of Women and Vulnerable People, the Ministry of Justice and Human Rights, the Ministry of Foreign Affairs and the Ministry of Foreign Trade and Tourism. There is also the permanent Multi-sectoral Commission against Human Trafficking and the Illicit Trafficking of Migrants. The National Institute of Statistics and Informatics (INEI) publishes annual reports on the number of cases reported to the police.",
		TextES: "Existe un marco legislativo para combatir la trata de personas y la explotación laboral: la Ley N° 28950, Ley contra la Trata de Personas y el Tráfico Ilícito de Migrantes, de 2007. En junio de 2017, el Gobierno aprobó además, mediante el Decreto Supremo N° 017-2017-IN, el Plan Nacional contra la Trata de Personas 2017-2021, cuyo objetivo principal es prevenir, controlar y reducir este problema. Entre los órganos responsables figuran el Ministerio del Interior, el Ministerio de la Mujer y Poblaciones Vulnerables, el Ministerio de Justicia y Derechos Humanos, el Ministerio de Relaciones Exteriores y el Ministerio de Comercio Exterior y Turismo. Existe también la Comisión Multisectorial de naturaleza permanente contra la Trata de Personas y el Tráfico Ilícito de Migrantes. El Instituto Nacional de Estadística e Informática (INEI) publica informes anuales sobre el número de casos denunciados ante la policía."},
	{Code: "6.1.3", WellDeveloped: true, Indicators: []string{"SO.BORDERS"},
		TextEN: "In Peru there are institutions dedicated to the integrated control and security of borders. More specifically, the Department of Migration Services is responsible for entry, residence and exit procedures for foreigners. The Office of Migration Movement monitors the entry into and exit from the country of Peruvians and foreigners. There is a formal framework for the training of its employees, by means of the personal development plan (plan de desarrollo personal, PDP) of the National Migration Authority. The plan presents strategic objectives, capacity-building, the methodological approach, and the evaluation and diagnostic results of training needs.",
		TextES: "En el Perú existen instituciones dedicadas al control integrado y la seguridad de las fronteras. En concreto, el Departamento de Servicios Migratorios es responsable de los trámites de ingreso, residencia y salida de los extranjeros. La Oficina de Movimiento Migratorio controla el ingreso y la salida del país de peruanos y extranjeros. Existe un marco formal para la capacitación de sus empleados, mediante el plan de desarrollo personal (PDP) de la Superintendencia Nacional de Migraciones. El plan presenta los objetivos estratégicos, el fortalecimiento de capacidades, el enfoque metodológico y los resultados de la evaluación y el diagnóstico de las necesidades de capacitación."},
	{Code: "6.1.4", WellDeveloped: true, Indicators: []string{"SO.TRANSIT"},
		TextEN: "Peru has procedures in place and policies to guarantee the mitigation of risk for all migrants in transit towards an international destination and/or at the national borders, independently of their legal status. Article 23 of the Migration Act, establishes that \"It is the legal authority of the Peruvian State to issue a safe-conduct to foreigners who are under a stateless, undocumented condition or for humanitarian reasons while in the country\". The issuance of this safe-conduct is the responsibility of MIGRACIONES.",
		TextES: "El Perú cuenta con procedimientos y políticas para garantizar la mitigación del riesgo de todos los migrantes en tránsito hacia un destino internacional o en las fronteras nacionales, independientemente de su situación jurídica. El artículo 23 de la Ley de Migraciones establece que corresponde al Estado peruano expedir un salvoconducto a los extranjeros en condición de apátridas o indocumentados, o por razones humanitarias, mientras se encuentren en el país. La expedición de este salvoconducto corresponde a MIGRACIONES."},
	{Code: "6.2.1", Indicators: []string{"SO.DETENTION"},
		TextEN: "Peruvian law on migration does not explicitly establish that the detention of migrants must be a last resort, but it does guarantee the exercise of individual freedoms both for immigrants and citizens.",
		TextES: "La legislación migratoria peruana no establece explícitamente que la detención de migrantes deba ser un último recurso, pero sí garantiza el ejercicio de las libertades individuales tanto a los inmigrantes como a los nacionales."},
	{Code: "6.2.2", Indicators: []string{"SO.TRAFFICKING"},
		TextEN: "Afterwards, in 2016, the Government approved No. 001-2016-IN a Supreme Decree which approves the regulations of Law No. 28950, the Law against Human Trafficking and Illicit Migrant Trafficking. There is also a National Policy against Human Trafficking and its Forms of Exploitation.",
		TextES: "Posteriormente, en 2016, el Gobierno aprobó el Decreto Supremo N° 001-2016-IN, que aprueba el Reglamento de la Ley N° 28950, Ley contra la Trata de Personas y el Tráfico Ilícito de Migrantes. Existe también una Política Nacional frente a la Trata de Personas y sus Formas de Explotación."},
}

// MGIAnswer is a demo answer of the 2019 assessment: Puente's reading of the finding Basis (a
// finding code, or "1.1" for the conventions table). Instruments are legal instrument codes,
// Institutions institution codes, each named by that finding.
type MGIAnswer struct {
	Indicator, Answer, Basis  string
	Instruments, Institutions []string
}

// MGIAnswers2019 are the demo answers of the 2019 assessment, by indicator.
var MGIAnswers2019 = []MGIAnswer{
	{Indicator: "MR.CONVENTIONS", Answer: "partial", Basis: "1.1"},
	{Indicator: "MR.HEALTH", Answer: "complete", Basis: "1.2.1", Instruments: []string{"PE-DLEG-1350"}},
	{Indicator: "MR.EDUCATION", Answer: "complete", Basis: "1.2.2"},
	{Indicator: "MR.SOCIAL-PROTECTION", Answer: "complete", Basis: "1.2.3", Instruments: []string{"PE-DLEG-1350"}},
	{Indicator: "MR.SOCIAL-SECURITY", Answer: "complete", Basis: "1.2.4"},
	{Indicator: "MR.WORK", Answer: "partial", Basis: "1.3.1", Instruments: []string{"PE-DLEG-1350"}},
	{Indicator: "MR.VOTE-ABROAD", Answer: "complete", Basis: "1.2.6"},
	{Indicator: "MR.VOTE-LOCAL", Answer: "partial", Basis: "1.3.2", Institutions: []string{"PE-RENIEC"}},
	{Indicator: "WG.POLICY", Answer: "complete", Basis: "2.1.1", Instruments: []string{"PE-DS-015-2017-RE"}, Institutions: []string{"PE-MRE"}},
	{Indicator: "WG.INSTITUTIONS", Answer: "complete", Basis: "2.1.2", Institutions: []string{"PE-MRE", "PE-MININTER-MIGRACIONES"}},
	{Indicator: "WG.COORDINATION", Answer: "complete", Basis: "2.1.3", Instruments: []string{"PE-DS-MTIGM-2011"}, Institutions: []string{"PE-MRE-MTIGM"}},
	{Indicator: "WG.NATIONALS-ABROAD", Answer: "complete", Basis: "2.1.5", Institutions: []string{"PE-MRE", "PE-MRE-OSE"}},
	{Indicator: "WG.LEGAL-FRAMEWORK", Answer: "complete", Basis: "2.1.6", Instruments: []string{"PE-DLEG-1350"}, Institutions: []string{"PE-MININTER-MIGRACIONES"}},
	{Indicator: "PA.REGIONAL-PROCESSES", Answer: "complete", Basis: "3.1.1", Institutions: []string{"INT-CSM", "INT-RCM", "INT-MERCOSUR-FEM"}},
	{Indicator: "PA.REGIONAL-MOBILITY", Answer: "complete", Basis: "3.1.2", Institutions: []string{"INT-MERCOSUR", "INT-CAN"}},
	{Indicator: "PA.CIVIL-SOCIETY", Answer: "complete", Basis: "3.1.3", Institutions: []string{"PE-MRE-MTIGM-CC-SC"}},
	{Indicator: "PA.DIASPORA", Answer: "complete", Basis: "3.1.4", Institutions: []string{"PE-MRE-DGPCA"}},
	{Indicator: "PA.BILATERAL", Answer: "complete", Basis: "3.1.5"},
	{Indicator: "PA.DIALOGUE", Answer: "complete", Basis: "3.1.6"},
	{Indicator: "PA.PRIVATE-SECTOR", Answer: "absent", Basis: "3.2.1", Instruments: []string{"PE-DS-015-2017-RE"}},
	{Indicator: "WB.STUDENTS", Answer: "complete", Basis: "4.1.1"},
	{Indicator: "WB.QUALIFICATIONS", Answer: "complete", Basis: "4.1.1"},
	{Indicator: "WB.INTEGRATION", Answer: "complete", Basis: "4.1.3", Institutions: []string{"PE-MININTER-MIGRACIONES-GTIM", "PE-MINEDU"}},
	{Indicator: "WB.WORKERS-ABROAD", Answer: "complete", Basis: "4.1.4", Institutions: []string{"PE-MRE", "PE-MRE-OSE"}},
	{Indicator: "WB.LABOUR-AGREEMENTS", Answer: "complete", Basis: "4.1.6"},
	{Indicator: "WB.REMITTANCES", Answer: "complete", Basis: "4.1.7"},
	{Indicator: "WB.LABOUR-DEMAND", Answer: "absent", Basis: "4.2.1", Institutions: []string{"PE-MTPE"}},
	{Indicator: "WB.SKILLS-VISAS", Answer: "absent", Basis: "4.2.2"},
	{Indicator: "WB.LABOUR-DATA", Answer: "partial", Basis: "4.2.3", Institutions: []string{"PE-MTPE"}},
	{Indicator: "WB.GENDER", Answer: "partial", Basis: "4.2.4"},
	{Indicator: "CR.NATIONALS-ABROAD", Answer: "complete", Basis: "5.1.1", Institutions: []string{"PE-MRE-OSE"}},
	{Indicator: "CR.HUMANITARIAN-ADMISSION", Answer: "complete", Basis: "5.1.2", Instruments: []string{"PE-DLEG-1350"}},
	{Indicator: "CR.COMMUNICATION", Answer: "complete", Basis: "5.1.3", Institutions: []string{"PE-CENEPRED"}},
	{Indicator: "CR.MIGRANTS-IN-DISASTERS", Answer: "absent", Basis: "5.2.1", Institutions: []string{"PE-INDECI", "PE-CENEPRED"}},
	{Indicator: "CR.DISPLACEMENT", Answer: "partial", Basis: "5.2.2", Institutions: []string{"PE-CENEPRED", "PE-MIMP"}},
	{Indicator: "CR.ENVIRONMENT", Answer: "partial", Basis: "5.2.3"},
	{Indicator: "CR.CONTINGENCY", Answer: "absent", Basis: "5.2.4", Institutions: []string{"PE-CENEPRED"}},
	{Indicator: "SO.RETURN", Answer: "complete", Basis: "6.1.1", Instruments: []string{"PE-LEY-30001", "PE-LEY-30525"}},
	{Indicator: "SO.TRAFFICKING", Answer: "complete", Basis: "6.1.2",
		Instruments:  []string{"PE-LEY-28950", "PE-DS-017-2017-IN", "PE-DS-001-2016-IN"},
		Institutions: []string{"PE-CMP-TPTIM", "PE-MININTER", "PE-MIMP", "PE-MINJUSDH", "PE-MRE", "PE-MINCETUR", "PE-INEI"}},
	{Indicator: "SO.BORDERS", Answer: "complete", Basis: "6.1.3", Institutions: []string{"PE-MININTER-MIGRACIONES"}},
	{Indicator: "SO.TRANSIT", Answer: "complete", Basis: "6.1.4", Instruments: []string{"PE-DLEG-1350"}, Institutions: []string{"PE-MININTER-MIGRACIONES"}},
	{Indicator: "SO.DETENTION", Answer: "absent", Basis: "6.2.1", Instruments: []string{"PE-DLEG-1350"}},
}

// MGIDemoMoves are the invented differences of the fictitious 2023 assessment from 2019's
// answers, by indicator: a new answer, or "" for an indicator it does not answer.
var MGIDemoMoves = map[string]string{
	"PA.PRIVATE-SECTOR":       "partial",  // improved
	"WB.LABOUR-DATA":          "complete", // improved
	"CR.CONTINGENCY":          "partial",  // improved
	"CR.COMMUNICATION":        "partial",  // regressed
	"MR.FAMILY-REUNIFICATION": "complete", // added
	"SO.DETENTION":            "",         // removed
}

const (
	mgiNotes2019EN = "IOM, Migration Governance Indicators: Peru, Profile 2019 (PUB/2019/115/R), with research and analysis by The Economist Intelligence Unit. " +
		"The conventions table and the findings are the profile's: each finding's English text is its paragraph (footnote marks dropped, three typos corrected) and its code the profile's section and the paragraph's place in it; the Spanish texts are Puente's translation, not IOM's. " +
		"Demo: the indicators are the topics the profile names, not IOM's indicators in their wording; the answers are Puente's reading of the findings (the profile publishes findings, not answers); the links from findings to mandate functions and blueprint articles are Puente's suggestion of which demo functions and articles answer them."
	mgiNotes2019ES = "OIM, Indicadores de Gobernanza de la Migración: Perú, Perfil 2019 (PUB/2019/115/R), con investigación y análisis de The Economist Intelligence Unit. " +
		"La tabla de convenciones y los hallazgos son los del perfil: el texto en inglés de cada hallazgo es su párrafo (sin llamadas a notas y con tres erratas corregidas) y su código, la sección del perfil y el lugar del párrafo en ella; los textos en español son traducción de Puente, no de la OIM. " +
		"Demo: los indicadores son los temas que nombra el perfil, no los indicadores de la OIM con su redacción; las respuestas son la lectura de Puente de los hallazgos (el perfil publica hallazgos, no respuestas); los vínculos de los hallazgos con funciones del mandato y artículos del proyecto de normas son una propuesta de Puente de qué funciones y artículos de demostración los atienden."
	mgiNotesDemoEN = "Demo: a fictitious assessment, so that the comparison with 2019 has something to show. IOM published no such assessment; its answers are 2019's demo answers with invented changes."
	mgiNotesDemoES = "Demo: evaluación ficticia, para que la comparación con 2019 tenga algo que mostrar. La OIM no publicó tal evaluación; sus respuestas son las respuestas de demostración de 2019 con cambios inventados."
)

// loadMGI loads the framework from its data file and the Peru assessments with their answers
// and findings through the mgi services, so they obey the same rules and leave the same audit
// trail as anyone's writes. units maps institution codes to ids.
func loadMGI(ctx context.Context, db *database.DB, _ *institutions.Service, units map[string]uuid.UUID) error {
	if _, err := mgi.LoadFramework(ctx, db, true); err != nil {
		return fmt.Errorf("demo MGI framework: %w", err)
	}
	tx := db.Conn(ctx)
	codes := func(what, sql string, args ...any) (map[string]uuid.UUID, error) {
		var rows []struct {
			Code string
			ID   uuid.UUID
		}
		if err := tx.Raw(sql, args...).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("demo MGI: load %s: %w", what, err)
		}
		out := make(map[string]uuid.UUID, len(rows))
		for _, r := range rows {
			out[r.Code] = r.ID
		}
		return out, nil
	}
	indicators, err := codes("indicators", `SELECT code, id FROM mgi_indicators`)
	if err != nil {
		return err
	}
	instruments, err := codes("legal instruments", `SELECT code, id FROM legal_instruments`)
	if err != nil {
		return err
	}
	functions, err := codes("functions", `SELECT code, id FROM functions`)
	if err != nil {
		return err
	}
	articles, err := codes("blueprint articles", `SELECT a.number AS code, a.id FROM blueprint_articles a
		JOIN blueprints b ON b.id = a.blueprint_id WHERE b.code = ?`, BlueprintDemoCode)
	if err != nil {
		return err
	}
	ids := func(what string, list []string, known map[string]uuid.UUID) ([]uuid.UUID, error) {
		out := make([]uuid.UUID, 0, len(list))
		for _, c := range list {
			id, ok := known[c]
			if !ok {
				return nil, fmt.Errorf("unknown %s %s", what, c)
			}
			out = append(out, id)
		}
		return out, nil
	}

	asvc := mgi.NewAssessmentService(db)
	conventions := make([]mgi.Convention, len(MGIConventions2019))
	for i, c := range MGIConventions2019 {
		conventions[i] = mgi.Convention{Name: c.Name, Ratified: c.Ratified}
		if c.Year != 0 {
			conventions[i].Year = new(c.Year)
		}
	}
	pe2019, err := asvc.Create(ctx, mgi.AssessmentFields{Code: MGIAssessment2019, Country: "PE", Year: 2019,
		Title: mgi.Text{ES: opt("Indicadores de Gobernanza de la Migración: Perú, Perfil 2019"),
			EN: opt("Migration Governance Indicators: Peru, Profile 2019")},
		Conventions: conventions, Notes: mgi.Text{ES: opt(mgiNotes2019ES), EN: opt(mgiNotes2019EN)}})
	if err != nil {
		return fmt.Errorf("demo MGI assessment %s: %w", MGIAssessment2019, err)
	}
	pe2023, err := asvc.Create(ctx, mgi.AssessmentFields{Code: MGIAssessmentDemo, Country: "PE", Year: 2023,
		Title: mgi.Text{ES: opt("Indicadores de Gobernanza de la Migración: Perú, 2023 (demo, ficticia)"),
			EN: opt("Migration Governance Indicators: Peru, 2023 (demo, fictitious)")},
		Conventions: conventions, Notes: mgi.Text{ES: opt(mgiNotesDemoES), EN: opt(mgiNotesDemoEN)}, Demo: true})
	if err != nil {
		return fmt.Errorf("demo MGI assessment %s: %w", MGIAssessmentDemo, err)
	}

	fsvc := mgi.NewFindingService(db)
	kinds := map[bool]string{true: "well_developed", false: "area_for_development"}
	for _, d := range MGIFindings2019 {
		f := mgi.FindingFields{AssessmentID: pe2019.ID, Code: d.Code, Domain: mgi.Domains[d.Code[0]-'1'], Kind: kinds[d.WellDeveloped],
			Text: mgi.Text{ES: opt(d.TextES), EN: opt(d.TextEN)}}
		if f.IndicatorIDs, err = ids("indicator", d.Indicators, indicators); err == nil {
			if f.FunctionIDs, err = ids("function", d.Functions, functions); err == nil {
				f.ArticleIDs, err = ids("blueprint article", d.Articles, articles)
			}
		}
		if err == nil {
			_, err = fsvc.Create(ctx, f)
		}
		if err != nil {
			return fmt.Errorf("demo MGI finding %s: %w", d.Code, err)
		}
	}

	nsvc := mgi.NewAnswerService(db)
	answer := func(assessment uuid.UUID, a MGIAnswer, value string, note mgi.Text) error {
		f := mgi.AnswerFields{AssessmentID: assessment, Answer: value, Note: note, Demo: true}
		var ok bool
		if f.IndicatorID, ok = indicators[a.Indicator]; !ok {
			return fmt.Errorf("unknown indicator %s", a.Indicator)
		}
		var err error
		if f.InstrumentIDs, err = ids("legal instrument", a.Instruments, instruments); err == nil {
			if f.InstitutionIDs, err = ids("institution", a.Institutions, units); err == nil {
				_, err = nsvc.Create(ctx, f)
			}
		}
		return err
	}
	for _, a := range MGIAnswers2019 {
		basisEN, basisES := "finding "+a.Basis, "del hallazgo "+a.Basis
		if a.Basis == "1.1" {
			basisEN, basisES = "the conventions table (1.1)", "de la tabla de convenciones (1.1)"
		}
		note := mgi.Text{
			EN: opt(fmt.Sprintf("Demo: Puente's reading of %s of the 2019 profile; the profile publishes findings, not answers.", basisEN)),
			ES: opt(fmt.Sprintf("Demo: lectura de Puente %s del perfil 2019; el perfil publica hallazgos, no respuestas.", basisES)),
		}
		if err := answer(pe2019.ID, a, a.Answer, note); err != nil {
			return fmt.Errorf("demo MGI answer %s %s: %w", MGIAssessment2019, a.Indicator, err)
		}
	}
	demoNote := mgi.Text{EN: opt("Demo: an invented answer of a fictitious assessment."),
		ES: opt("Demo: respuesta inventada de una evaluación ficticia.")}
	answered := map[string]bool{}
	for _, a := range MGIAnswers2019 {
		answered[a.Indicator] = true
		value, moved := MGIDemoMoves[a.Indicator]
		if !moved {
			value = a.Answer
		}
		if value == "" {
			continue
		}
		if err := answer(pe2023.ID, a, value, demoNote); err != nil {
			return fmt.Errorf("demo MGI answer %s %s: %w", MGIAssessmentDemo, a.Indicator, err)
		}
	}
	for indicator, value := range MGIDemoMoves {
		if answered[indicator] || value == "" {
			continue
		}
		if err := answer(pe2023.ID, MGIAnswer{Indicator: indicator}, value, demoNote); err != nil {
			return fmt.Errorf("demo MGI answer %s %s: %w", MGIAssessmentDemo, indicator, err)
		}
	}
	return nil
}
