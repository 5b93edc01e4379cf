package demo

// The diaspora data stocktake: data sources, indicators, observations and data gaps.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru)
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru profile 2019
//   - 003_11446be5581ffeeb.txt: note on migration towards Peru and the territorial approach
//
// Only three figures are stated by the seeds: 3.3 million Peruvians living abroad (INEI 2022,
// seed 003), 1.71 million foreign people living in Peru (SNM, September 2022, seed 003) and
// remittances of "almost 3 million USD in 2019" (seed 000, unit very likely wrong). Every other
// figure — the split by country of residence, the consular register and UN estimates, the quality
// scores — is a plausible value invented for the demo and marked demo, as are the catalogue
// records (their quality assessments are invented). The three seed figures are facts and are not
// marked demo; an observation's Seed and Note say which seed states it.

// StocktakeSource is a demo data source. Publisher is an institution Code ("" when no Puente
// institution fits). Licence, Format and LandingURL are "" unless real and known.
type StocktakeSource struct {
	Code                         string // upper-case letters, digits, dots, hyphens
	TitleES, TitleEN             string
	DescriptionES, DescriptionEN string
	Publisher                    string
	Type                         string // census, household_survey, administrative_register, consular_register, international_estimate, study
	CoverageStart                string // "YYYY-MM-DD" or "" when not known
	SpatialCoverage              []string
	Periodicity                  string // one_off, continuous, monthly, quarterly, annual, biennial, irregular, or "" when not known
	Disaggregations              []string
	Access                       string // public, on_request, restricted
	Licence, Format, LandingURL  string
	Caveats                      []string          // proxy_definition, modelled, reference_year_mismatch, stock_vs_flow, registry_coverage
	Quality                      *StocktakeQuality // always a demo assessment, never an expert's
}

// StocktakeQuality is a demo quality assessment: scores 1 (poor) to 5 (excellent) with their reasons.
type StocktakeQuality struct {
	Timeliness, Completeness, Comparability             int
	TimelinessNote, CompletenessNote, ComparabilityNote string
}

// StocktakeIndicator is a demo indicator. Measure: stock, flow, money or count.
type StocktakeIndicator struct {
	Code, NameES, NameEN, Unit, Measure, DefinitionES, DefinitionEN string
}

// StocktakeObservation is one demo value. Indicator and Source are codes; Country is an ISO 3166-1
// alpha-2 code, or "" for a world-level total. Seed names the seed file that states the value
// ("000", "003"), "" for a plausible value invented for the demo, whose Note must then begin with
// DemoValueNote. Status: estimate, provisional, final. Flags: doubted_unit, doubted_value,
// break_in_series.
type StocktakeObservation struct {
	Indicator, Source, Period, Country string
	Value                              float64
	Status                             string
	Flags                              []string
	Seed                               string
	Note                               string
}

// DemoValueNote begins the note of every observation whose value no seed states.
const DemoValueNote = "demo value:"

// StocktakeGap is a demo data gap. Indicators and Sources are codes; Countries ISO alpha-2 codes.
// Priority: high, medium, low.
type StocktakeGap struct {
	Code                               string
	DescriptionES, DescriptionEN       string
	Indicators, Sources, Countries     []string
	Groups                             string
	RecommendationES, RecommendationEN string
	Priority                           string
}

// Codes of the demo data sources and indicators, for the tables below and their tests.
const (
	SourceINEI        = "PE-INEI-EMIGRATION"
	SourceMigraciones = "PE-MIGRACIONES-REGISTER"
	SourceConsular    = "PE-MRE-CONSULAR-REGISTER"
	SourceUNDESA      = "UN-DESA-IMS"
	SourceActionSheet = "EUDIF-CDL-ACTION-SHEET-PE"

	IndicatorPeruviansAbroad    = "PERUVIANS-ABROAD"
	IndicatorForeignResidents   = "FOREIGN-RESIDENTS-PE"
	IndicatorRemittances        = "REMITTANCES-RECEIVED"
	IndicatorConsularRegistered = "CONSULAR-REGISTRATIONS"
	IndicatorEmigrationFlow     = "EMIGRATION-FLOW"
)

// demoCatalogueNoteEN and ES end the descriptions of the sources whose catalogue details are not
// known from the seeds: they say what in the entry is a guess.
const (
	demoCatalogueNoteEN = " Periodicity, disaggregations, access and the quality assessment in this demo catalogue entry are plausible values to be confirmed, not verified facts."
	demoCatalogueNoteES = " La periodicidad, las desagregaciones, el acceso y la evaluación de calidad de esta ficha de demostración son valores plausibles por confirmar, no hechos verificados."
)

// StocktakeSources lists the sources the seeds cite or imply. Landing URLs: the INEI and MIGRACIONES
// home pages (domains cited in seed 002's sources), the UN DESA dataset page, and the EUDiF site
// the action sheet points to (seed 000) — no dataset page is invented.
var StocktakeSources = []StocktakeSource{
	// Seed 003: "3.3 million Peruvians living abroad (INEI 2022)". INEI derives emigration from
	// MIGRACIONES' movement records: Peruvians who left and did not register a return.
	{
		Code:    SourceINEI,
		TitleES: "Estadísticas de la emigración internacional de peruanos (INEI)",
		TitleEN: "Statistics on the international emigration of Peruvians (INEI)",
		DescriptionES: "Estimaciones del INEI de los peruanos que viven en el exterior, construidas a partir de los registros de movimiento migratorio de MIGRACIONES: peruanos que salieron del país y no registraron su retorno. " +
			"Cuenta emigrantes, no a sus descendientes nacidos en el exterior. El documento de la semilla 003 cita su cifra de 2022: 3,3 millones de peruanos en el exterior." + demoCatalogueNoteES,
		DescriptionEN: "INEI's estimates of Peruvians living abroad, built from the migration movement records of MIGRACIONES: Peruvians who left the country and did not register a return. " +
			"It counts emigrants, not their descendants born abroad. Seed 003 quotes its 2022 figure: 3.3 million Peruvians living abroad." + demoCatalogueNoteEN,
		Publisher:       "PE-INEI",
		Type:            "administrative_register",
		SpatialCoverage: []string{"US", "CL", "AR", "ES", "IT"},
		Periodicity:     "irregular",
		Disaggregations: []string{"sex", "age", "country_of_residence", "region_of_origin"},
		Access:          "public",
		LandingURL:      "https://www.inei.gob.pe/",
		Caveats:         []string{"proxy_definition"},
		Quality: &StocktakeQuality{
			Timeliness: 4, TimelinessNote: "Demo assessment: a 2022 figure quoted in 2022–2023 documents.",
			Completeness: 3, CompletenessNote: "Demo assessment: counts only recorded departures without a recorded return; misses descendants and anyone whose departure or return went unrecorded.",
			Comparability: 3, ComparabilityNote: "Demo assessment: a national definition (nationals who left and did not return) that differs from the foreign-born counts of host countries and the UN.",
		},
	},
	// Seed 003: "1.71 million foreign people living in Peru (SNM, September 2022)". SNM is the
	// Superintendencia Nacional de Migraciones (MIGRACIONES; seed 002: technical body of the
	// Ministry of the Interior, authority on immigration matters).
	{
		Code:    SourceMigraciones,
		TitleES: "Registros de extranjeros residentes y de movimiento migratorio (MIGRACIONES)",
		TitleEN: "Records of foreign residents and migration movements (MIGRACIONES)",
		DescriptionES: "Registros administrativos de la Superintendencia Nacional de Migraciones (SNM): extranjeros que residen en el Perú y entradas y salidas por los puestos de control, de las que el INEI deriva sus cifras de emigración. " +
			"El documento de la semilla 003 cita 1,71 millones de extranjeros viviendo en el Perú (SNM, septiembre de 2022). Solo cuenta a quienes constan en sus registros." + demoCatalogueNoteES,
		DescriptionEN: "Administrative records of the National Superintendence of Migration (SNM): foreign nationals residing in Peru, and the entries and exits at border posts from which INEI derives its emigration figures. " +
			"Seed 003 quotes 1.71 million foreign people living in Peru (SNM, September 2022). It counts only those its records hold." + demoCatalogueNoteEN,
		Publisher:       "PE-MININTER-MIGRACIONES",
		Type:            "administrative_register",
		SpatialCoverage: []string{"PE"},
		Periodicity:     "continuous",
		Disaggregations: []string{"sex", "age", "migration_status"},
		Access:          "on_request",
		LandingURL:      "https://www.migraciones.gob.pe/",
		Caveats:         []string{"registry_coverage"},
		Quality: &StocktakeQuality{
			Timeliness: 4, TimelinessNote: "Demo assessment: a register kept continuously; the seed quotes a monthly figure (September 2022).",
			Completeness: 3, CompletenessNote: "Demo assessment: people who entered or stay irregularly are not in the register.",
			Comparability: 3, ComparabilityNote: "Demo assessment: administrative categories of residence, not the statistical definition of an international migrant.",
		},
	},
	// Seed 002: "The MRE keeps a register of citizens abroad through the network of Foreign
	// Service Missions ... Peruvians abroad can register at the consular missions"; to vote abroad
	// they need not register at the consular office. Registration is voluntary.
	{
		Code:    SourceConsular,
		TitleES: "Registro consular de peruanos en el exterior (Ministerio de Relaciones Exteriores)",
		TitleEN: "Consular register of Peruvians abroad (Ministry of Foreign Affairs)",
		DescriptionES: "Registro de los ciudadanos en el exterior que el MRE lleva a través de los Órganos del Servicio Exterior (semilla 002). La inscripción es voluntaria —los peruanos en el exterior «pueden» inscribirse en los consulados y no necesitan hacerlo para votar—, así que solo cubre a quienes se inscriben. " +
			"Las cifras de este registro en los datos de demostración son valores de demostración." + demoCatalogueNoteES,
		DescriptionEN: "Register of citizens abroad that the MRE keeps through its Foreign Service Missions (seed 002). Registration is voluntary — Peruvians abroad \"can register\" at consular missions and need not register to vote — so it covers only those who register. " +
			"Its figures in the demo data are demo values." + demoCatalogueNoteEN,
		Publisher:       "PE-MRE",
		Type:            "consular_register",
		SpatialCoverage: []string{"US", "ES", "CL"},
		Periodicity:     "continuous",
		Disaggregations: []string{"sex", "age", "country_of_residence"},
		Access:          "on_request",
		Caveats:         []string{"registry_coverage"},
		Quality: &StocktakeQuality{
			Timeliness: 3, TimelinessNote: "Demo assessment: updated as people register, but departures and returns are rarely reported, so records age.",
			Completeness: 2, CompletenessNote: "Demo assessment: voluntary registration covers only part of the Peruvians in each country.",
			Comparability: 2, ComparabilityNote: "Demo assessment: coverage differs from consulate to consulate, so countries are not comparable.",
		},
	},
	// International estimate. UN DESA's Population Division is not a Puente institution, so no
	// publisher is set. Coverage from 1990 (the dataset's first reference year); format and landing
	// page as the Population Division publishes them.
	{
		Code:    SourceUNDESA,
		TitleES: "Stock de migrantes internacionales (División de Población, DAES de las Naciones Unidas)",
		TitleEN: "International Migrant Stock (UN DESA Population Division)",
		DescriptionES: "Estimaciones de las Naciones Unidas de los migrantes internacionales por país de destino y de origen, basadas sobre todo en los censos de población nacida en el extranjero e interpoladas o extrapoladas a fechas de referencia. " +
			"Cuenta a las personas nacidas en el Perú, no a los nacionales ni a sus descendientes. Ninguna institución de Puente corresponde al editor (DAES), por lo que no se indica. Las cifras de esta fuente en los datos de demostración son valores de demostración, no las estimaciones publicadas." + demoCatalogueNoteES,
		DescriptionEN: "United Nations estimates of international migrants by country of destination and origin, based mostly on census counts of the foreign-born population, interpolated or extrapolated to reference dates. " +
			"It counts people born in Peru, not nationals or their descendants. No Puente institution matches the publisher (UN DESA), so none is set. Its figures in the demo data are demo values, not the published estimates." + demoCatalogueNoteEN,
		Publisher:       "",
		Type:            "international_estimate",
		CoverageStart:   "1990-01-01",
		SpatialCoverage: []string{"US", "ES", "AR"},
		Periodicity:     "irregular",
		Disaggregations: []string{"sex", "age", "country_of_residence"},
		Access:          "public",
		Format:          "XLSX",
		LandingURL:      "https://www.un.org/development/desa/pd/content/international-migrant-stock",
		Caveats:         []string{"modelled", "proxy_definition"},
		Quality: &StocktakeQuality{
			Timeliness: 2, TimelinessNote: "Demo assessment: reference years five years apart, resting on census rounds.",
			Completeness: 4, CompletenessNote: "Demo assessment: every country of destination, by sex and age.",
			Comparability: 4, ComparabilityNote: "Demo assessment: one method across countries, but modelled and based on country of birth.",
		},
	},
	// Seed 000, the action sheet: "Government figures estimate that more than 3 million people are
	// part of the Peruvian diaspora ... Remittances ... sending almost 3 million USD in 2019";
	// "For more information, visit www.diasporafordevelopment.eu"; © 2022.
	{
		Code:    SourceActionSheet,
		TitleES: "Ficha de la acción del Laboratorio de Desarrollo de Capacidades de EUDiF con el Perú",
		TitleEN: "EUDiF Capacity Development Lab action sheet: Peru",
		DescriptionES: "Ficha de la acción de EUDiF con la ASN (semilla 000, © 2022). Indica que, según cifras del Gobierno, más de 3 millones de personas forman parte de la diáspora peruana (10 % de la población), nombra los principales países de residencia (Estados Unidos, Chile, Argentina, España, Italia) y cifra las remesas en «casi 3 millones de USD en 2019», una unidad muy probablemente errónea (miles de millones). " +
			"No es una fuente estadística: sus cifras son de segunda mano y sin fuente citada. La evaluación de calidad es de demostración.",
		DescriptionEN: "Action sheet of EUDiF's action with the ASN (seed 000, © 2022). It says government figures estimate more than 3 million people in the Peruvian diaspora (10% of the population), names the main countries of residence (United States, Chile, Argentina, Spain, Italy) and puts remittances at \"almost 3 million USD in 2019\" — a unit very likely wrong (billions). " +
			"Not a statistical source: its figures are second-hand and cite no source. The quality assessment is a demo assessment.",
		Publisher:       "INT-EUDIF",
		Type:            "study",
		SpatialCoverage: []string{"PE"},
		Periodicity:     "one_off",
		Disaggregations: []string{},
		Access:          "public",
		LandingURL:      "https://www.diasporafordevelopment.eu",
		Caveats:         []string{},
		Quality: &StocktakeQuality{
			Timeliness: 2, TimelinessNote: "Demo assessment: a 2019 remittance figure in a 2022 document.",
			Completeness: 1, CompletenessNote: "Demo assessment: one rounded total, no breakdown, no source cited.",
			Comparability: 1, ComparabilityNote: "Demo assessment: the unit is doubted (millions where billions are likely), so the figure cannot be compared as stated.",
		},
	},
}

// StocktakeIndicators lists what the stocktake measures (DOMAIN.md: diaspora stock, emigration flows,
// remittances, consular registrations). The emigration flow has no observation: no seed gives one.
var StocktakeIndicators = []StocktakeIndicator{
	{
		Code: IndicatorPeruviansAbroad, NameES: "Peruanos residentes en el exterior", NameEN: "Peruvians living abroad",
		Unit: "persons", Measure: "stock",
		DefinitionES: "Personas de nacionalidad peruana que residen fuera del Perú en una fecha dada. Cada fuente lo aproxima a su manera: emigrantes sin retorno registrado (INEI), inscritos en el registro consular, nacidos en el Perú (Naciones Unidas); ninguna cuenta a los descendientes.",
		DefinitionEN: "People of Peruvian nationality residing outside Peru at a given date. Each source approximates it in its own way: emigrants without a recorded return (INEI), people in the consular register, people born in Peru (United Nations); none counts descendants.",
	},
	{
		Code: IndicatorForeignResidents, NameES: "Extranjeros residentes en el Perú", NameEN: "Foreign residents in Peru",
		Unit: "persons", Measure: "stock",
		DefinitionES: "Personas de nacionalidad extranjera que viven en el Perú en una fecha dada, según los registros de MIGRACIONES.",
		DefinitionEN: "People of foreign nationality living in Peru at a given date, as MIGRACIONES' records hold them.",
	},
	{
		Code: IndicatorRemittances, NameES: "Remesas recibidas", NameEN: "Remittances received",
		Unit: "USD", Measure: "money",
		DefinitionES: "Transferencias de dinero enviadas por los peruanos en el exterior a hogares en el Perú durante el período, en dólares estadounidenses corrientes.",
		DefinitionEN: "Money sent by Peruvians abroad to households in Peru during the period, in current US dollars.",
	},
	{
		Code: IndicatorConsularRegistered, NameES: "Inscripciones en el registro consular", NameEN: "Consular registrations",
		Unit: "registrations", Measure: "count",
		DefinitionES: "Inscripciones de peruanos en el registro consular de una misión durante el período. La inscripción es voluntaria.",
		DefinitionEN: "Registrations of Peruvians in a mission's consular register during the period. Registration is voluntary.",
	},
	{
		Code: IndicatorEmigrationFlow, NameES: "Emigración de peruanos", NameEN: "Emigration of Peruvians",
		Unit: "persons", Measure: "flow",
		DefinitionES: "Peruanos que salieron del país durante el período y no registraron su retorno.",
		DefinitionEN: "Peruvians who left the country during the period and did not register a return.",
	},
}

// StocktakeObservations lists the demo values: first the three a seed states, then the plausible demo
// values. The five countries are those seed 000 names ("the United States, neighbouring South
// American countries (Chile and Argentina), and in Europe (Spain and Italy)"); their 2022 INEI
// values (2,580,000 in all) stay below the 3.3 million world total the seed states.
var StocktakeObservations = []StocktakeObservation{
	// Stated by seed 003.
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "", Value: 3_300_000,
		Status: "estimate", Seed: "003",
		Note: "Seed figure, stated in seed 003: \"3.3 million Peruvians living abroad (INEI 2022)\", rounded as the seed gives it. INEI counts Peruvians who left and did not register a return, not their descendants. Status estimate: the seed does not say the figure is final."},
	{Indicator: IndicatorForeignResidents, Source: SourceMigraciones, Period: "2022-09", Country: "PE", Value: 1_710_000,
		Status: "provisional", Seed: "003",
		Note: "Seed figure, stated in seed 003: \"1.71 million foreign people living in Peru (SNM, September 2022)\", rounded as the seed gives it. Status provisional: the seed does not say the figure is final."},
	// Stated by seed 000, kept as stated, its unit doubted.
	{Indicator: IndicatorRemittances, Source: SourceActionSheet, Period: "2019", Country: "", Value: 3_000_000,
		Status: "estimate", Flags: []string{"doubted_unit"}, Seed: "000",
		Note: "Seed figure, stated in seed 000 (the action sheet): remittances of \"almost 3 million USD in 2019\", kept as the source states it. The unit is very likely wrong — billions, not millions, of USD — hence the doubted_unit flag; check against an official balance-of-payments series before any use."},

	// Demo values: the seeds name the country but give no figure.
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "US", Value: 1_000_000, Status: "estimate",
		Note: DemoValueNote + " the seeds name the country but give no figure (seed 000: the United States is the main country of residence). Plausible value for the demo only."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "ES", Value: 480_000, Status: "estimate",
		Note: DemoValueNote + " the seeds name the country but give no figure (seed 000: Spain, in Europe). Plausible value for the demo only."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "AR", Value: 450_000, Status: "estimate",
		Note: DemoValueNote + " the seeds name the country but give no figure (seed 000: Argentina, a neighbouring South American country). Plausible value for the demo only."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "IT", Value: 330_000, Status: "estimate",
		Note: DemoValueNote + " the seeds name the country but give no figure (seed 000: Italy, in Europe). Plausible value for the demo only."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceINEI, Period: "2022", Country: "CL", Value: 320_000, Status: "estimate",
		Note: DemoValueNote + " the seeds name the country but give no figure (seed 000: Chile, a neighbouring South American country). Plausible value for the demo only."},

	// Demo values: the consular register, below INEI's counts since registration is voluntary, so
	// that some cells of the coverage matrix (indicator × country × year) have two sources.
	{Indicator: IndicatorPeruviansAbroad, Source: SourceConsular, Period: "2022", Country: "US", Value: 610_000, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: Peruvians registered at the consulates, fewer than live there."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceConsular, Period: "2022", Country: "ES", Value: 290_000, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: Peruvians registered at the consulates, fewer than live there."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceConsular, Period: "2022", Country: "CL", Value: 210_000, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: Peruvians registered at the consulates, fewer than live there."},
	{Indicator: IndicatorConsularRegistered, Source: SourceConsular, Period: "2022", Country: "US", Value: 14_000, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: registrations made during the year."},
	{Indicator: IndicatorConsularRegistered, Source: SourceConsular, Period: "2022", Country: "ES", Value: 7_500, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: registrations made during the year."},
	{Indicator: IndicatorConsularRegistered, Source: SourceConsular, Period: "2022", Country: "CL", Value: 6_000, Status: "provisional",
		Note: DemoValueNote + " no seed gives the consular register's figures. Plausible value for the demo only: registrations made during the year."},

	// Demo values: an international estimate for its 2020 reference year (people born in Peru).
	{Indicator: IndicatorPeruviansAbroad, Source: SourceUNDESA, Period: "2020", Country: "US", Value: 470_000, Status: "estimate",
		Note: DemoValueNote + " not the published UN estimate; no seed gives it. Plausible value for the demo only: people born in Peru, at mid-year 2020."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceUNDESA, Period: "2020", Country: "ES", Value: 230_000, Status: "estimate",
		Note: DemoValueNote + " not the published UN estimate; no seed gives it. Plausible value for the demo only: people born in Peru, at mid-year 2020."},
	{Indicator: IndicatorPeruviansAbroad, Source: SourceUNDESA, Period: "2020", Country: "AR", Value: 200_000, Status: "estimate",
		Note: DemoValueNote + " not the published UN estimate; no seed gives it. Plausible value for the demo only: people born in Peru, at mid-year 2020."},
}

// StocktakeGaps lists what the stocktake should know and does not, as the seeds show it.
var StocktakeGaps = []StocktakeGap{
	{
		// Seeds 000 ("more than 3 million people are part of the Peruvian diaspora") and 003
		// ("3.3 million Peruvians living abroad (INEI 2022)"): the diaspora figure is an emigrant count.
		Code:             "GAP-DIASPORA-DESCENDANTS",
		DescriptionES:    "Ninguna fuente cuenta a los descendientes de peruanos nacidos en el exterior: la cifra de la «diáspora» (más de 3 millones, 3,3 millones según el INEI) cuenta emigrantes que salieron y no volvieron.",
		DescriptionEN:    "No source counts the descendants of Peruvians born abroad: the \"diaspora\" figure (more than 3 million; 3.3 million per INEI) counts emigrants who left and did not return.",
		Indicators:       []string{IndicatorPeruviansAbroad},
		Sources:          []string{SourceINEI, SourceUNDESA, SourceConsular},
		Groups:           "Descendants of Peruvian emigrants (second and later generations)",
		RecommendationES: "Acordar una definición operativa de la diáspora peruana y explorar las preguntas sobre origen de los padres en los censos y encuestas de los principales países de residencia.",
		RecommendationEN: "Agree an operational definition of the Peruvian diaspora and explore the questions on parents' origin in the censuses and surveys of the main countries of residence.",
		Priority:         "high",
	},
	{
		// Seed 000: "almost 3 million USD in 2019"; DOMAIN.md: the unit is very likely billions.
		Code:             "GAP-REMITTANCES-UNIT",
		DescriptionES:    "La única cifra de remesas de las fuentes («casi 3 millones de USD en 2019», ficha de la acción) tiene una unidad muy probablemente errónea (miles de millones) y no cita fuente; no hay serie anual.",
		DescriptionEN:    "The only remittance figure in the sources (\"almost 3 million USD in 2019\", the action sheet) has a unit very likely wrong (billions) and cites no source; there is no annual series.",
		Indicators:       []string{IndicatorRemittances},
		Sources:          []string{SourceActionSheet},
		RecommendationES: "Sustituirla por la serie oficial de la balanza de pagos del banco central, por año y país de origen de las remesas.",
		RecommendationEN: "Replace it with the central bank's official balance-of-payments series, by year and country the remittances come from.",
		Priority:         "high",
	},
	{
		Code:             "GAP-REGION-OF-ORIGIN",
		DescriptionES:    "No hay cifras de peruanos en el exterior por región de origen en el Perú, aunque los gobiernos regionales son la primera línea de los servicios (semilla 003).",
		DescriptionEN:    "There are no figures of Peruvians abroad by region of origin in Peru, although regional governments are the front line of services (seed 003).",
		Indicators:       []string{IndicatorPeruviansAbroad, IndicatorEmigrationFlow},
		Sources:          []string{SourceINEI},
		RecommendationES: "Pedir al INEI la desagregación por región de origen de sus estadísticas de emigración.",
		RecommendationEN: "Ask INEI for the breakdown of its emigration statistics by region of origin.",
		Priority:         "medium",
	},
	{
		// Seed 000 names five countries; the rest of the 3.3 million (seed 003) has no country.
		Code:             "GAP-OTHER-COUNTRIES",
		DescriptionES:    "Fuera de los cinco principales países de residencia que nombran las fuentes (Estados Unidos, Chile, Argentina, España, Italia), ningún país tiene cifras de peruanos residentes.",
		DescriptionEN:    "Beyond the five main countries of residence the sources name (United States, Chile, Argentina, Spain, Italy), no country has figures of Peruvians residing there.",
		Indicators:       []string{IndicatorPeruviansAbroad},
		Sources:          []string{SourceINEI, SourceConsular},
		Groups:           "Peruvians residing outside the five main countries of residence",
		RecommendationES: "Compilar las cifras por país del INEI y del registro consular para todos los países de residencia.",
		RecommendationEN: "Compile INEI's and the consular register's figures by country for every country of residence.",
		Priority:         "medium",
	},
}
