package demo

// Knowledge events and what the diaspora asked for at them.
//
// Seed files (in /work/shared/seeds/):
//   - 000_f7eefd2509ec1ebd.txt: EUDiF Capacity Development Lab action sheet (Peru): the action's
//     activities — a "peer learning workshop with government representatives from the region with
//     relevant institutional structures", "diaspora consultations to receive first-hand input from
//     diaspora and understand their needs", co-drafting sessions and a presentation — and its
//     deliverables, among them the "event report of the peer-learning workshop"; the diaspora
//     lives mainly in the United States, Chile, Argentina, Spain and Italy.
//   - 001_1ef0df5541c4ac36.txt: action launch (October 2022): "listen to the diaspora through
//     regional diaspora consultations", "organise a peer learning exchange with neighbouring
//     countries"; actors stressed cultural promotion.
//   - 002_17ab39c93cec1f09.txt: IOM Migration Governance Indicators, Peru 2019: voting abroad
//     with the DNI, the BIM mobile wallet for remittances, Law 30001 on the reintegration of
//     returning migrants, consular assistance to Peruvians abroad.
//
// The seeds state that a peer-learning workshop and regional diaspora consultations take place,
// nothing more: every date, place, agenda, participant count and input below is invented for the
// demo, marked demo, and each event's note says so. The inputs are about needs the seeds name
// (documents, remittances, return, consular assistance, voting abroad, cultural promotion), in
// wording of our own.

// EventDemoNote begins the note of every demo event.
const EventDemoNote = "Demo data: "

// Event is a demo event. Organiser is an institution Code. Start and End are "YYYY-MM-DD" (End ""
// for a one-day event). Practices are practice codes, linked only when the practices demo data
// has them.
type Event struct {
	Code, Type           string // Type: peer_learning_workshop, diaspora_consultation, co_drafting_session, presentation, training, coordination_session
	TitleES, TitleEN     string
	Start, End           string
	Place, Country       string // Country: ISO 3166-1 alpha-2, "" for an online event
	Online               bool
	Organiser            string
	Agenda               []EventAgendaItem
	Participants         EventParticipants
	Practices            []string
	OutputsES, OutputsEN string
	NotesES, NotesEN     string // NotesEN must begin with EventDemoNote, NotesES with "Datos de demostración: "
}

// EventAgendaItem is one point of a demo agenda.
type EventAgendaItem struct{ Time, TitleES, TitleEN string }

// EventParticipants are demo aggregate counts; Key is an ISO country code or an institution kind.
type EventParticipants struct {
	Total, Female, Male int
	ByInstitutionKind   []EventCount
	ByCountry           []EventCount
}

// EventCount is one line of a breakdown.
type EventCount struct {
	Key   string
	Count int
}

// EventInput is a demo consultation input. Event is an event Code; Theme a Tag; Priority high,
// medium or low.
type EventInput struct {
	Event                    string
	Countries                []string
	Theme                    string
	StatementES, StatementEN string
	TimesRaised              int
	Priority                 string
}

// Events: the peer-learning workshop (seeds 000, 001) and two regional diaspora consultations
// (seeds 000, 001), one for the diaspora in Europe and one, online, for the Americas.
var Events = []Event{
	{
		Code: "PE-CONSULTA-2023-01", Type: "diaspora_consultation",
		TitleES: "Consulta con la diáspora peruana en Europa", TitleEN: "Consultation with the Peruvian diaspora in Europe",
		Start: "2023-03-18", Place: "Consulado General del Perú en Madrid", Country: "ES",
		Organiser: "PE-MRE-DGPCA-ASN",
		Agenda: []EventAgendaItem{
			{"10:00", "Bienvenida y objetivos de la consulta", "Welcome and aims of the consultation"},
			{"10:30", "Mesas de diálogo: servicios consulares, remesas y retorno", "Dialogue tables: consular services, remittances and return"},
			{"12:30", "Puesta en común y priorización", "Plenary and prioritisation"},
		},
		Participants: EventParticipants{Total: 42, Female: 23, Male: 19,
			ByCountry: []EventCount{{"ES", 30}, {"IT", 12}}},
		OutputsES: "Lista priorizada de necesidades de la diáspora en Europa.",
		OutputsEN: "A prioritised list of the needs of the diaspora in Europe.",
		NotesES:   "Datos de demostración: fecha, lugar, agenda y cifras de participantes inventados; las semillas 000 y 001 solo indican que habrá consultas regionales con la diáspora.",
		NotesEN:   "Demo data: date, place, agenda and participant counts are invented; seeds 000 and 001 only say that regional diaspora consultations take place.",
	},
	{
		Code: "PE-CONSULTA-2023-02", Type: "diaspora_consultation",
		TitleES: "Consulta virtual con la diáspora peruana en las Américas", TitleEN: "Online consultation with the Peruvian diaspora in the Americas",
		Start: "2023-04-15", Online: true,
		Organiser: "PE-MRE-DGPCA-ASN",
		Agenda: []EventAgendaItem{
			{"18:00", "Presentación de la acción", "Presentation of the action"},
			{"18:20", "Grupos de trabajo por país de residencia", "Working groups by country of residence"},
			{"19:30", "Conclusiones", "Conclusions"},
		},
		Participants: EventParticipants{Total: 57, Female: 31, Male: 24,
			ByCountry: []EventCount{{"US", 25}, {"AR", 16}, {"CL", 14}}},
		OutputsES: "Lista priorizada de necesidades de la diáspora en las Américas.",
		OutputsEN: "A prioritised list of the needs of the diaspora in the Americas.",
		NotesES:   "Datos de demostración: fecha, agenda y cifras de participantes inventados (dos participantes no indicaron país); las semillas 000 y 001 solo indican que habrá consultas regionales con la diáspora.",
		NotesEN:   "Demo data: date, agenda and participant counts are invented (two participants gave no country); seeds 000 and 001 only say that regional diaspora consultations take place.",
	},
	{
		Code: "PE-TALLER-PARES-2023", Type: "peer_learning_workshop",
		TitleES: "Taller de aprendizaje entre pares sobre la institucionalidad para la vinculación con la diáspora",
		TitleEN: "Peer-learning workshop on institutional frameworks for diaspora engagement",
		Start:   "2023-05-16", End: "2023-05-17", Place: "Ministerio de Relaciones Exteriores, Lima", Country: "PE",
		Organiser: "PE-MRE-DGPCA-ASN",
		Agenda: []EventAgendaItem{
			{"09:00", "Apertura", "Opening"},
			{"09:30", "La experiencia de la MTIGM", "The MTIGM's experience"},
			{"11:00", "Instituciones pares de la región presentan sus unidades para la diáspora", "Peer institutions from the region present their diaspora units"},
			{"15:00", "Opciones para institucionalizar la vinculación con la diáspora en la ASN", "Options for institutionalising diaspora engagement at ASN"},
		},
		Participants: EventParticipants{Total: 28, Female: 16, Male: 12,
			ByInstitutionKind: []EventCount{{"directorate", 9}, {"sub_directorate", 7}, {"ministry", 8}, {"international_organization", 4}},
			ByCountry:         []EventCount{{"PE", 16}, {"CL", 3}, {"CO", 3}, {"EC", 3}, {"BE", 3}}},
		Practices: []string{"PE-MTIGM", "PE-BIM", "PE-LEY-30001"},
		OutputsES: "Informe del taller de aprendizaje entre pares (entregable de la acción).",
		OutputsEN: "Event report of the peer-learning workshop (a deliverable of the action).",
		NotesES:   "Datos de demostración: fechas, lugar, agenda y cifras de participantes inventados; las semillas 000 y 001 solo indican que habrá un taller con representantes de gobiernos de la región.",
		NotesEN:   "Demo data: dates, place, agenda and participant counts are invented; seeds 000 and 001 only say that a workshop with government representatives from the region takes place.",
	},
}

// EventInputs: needs the seeds name (002: documents and voting with the DNI, BIM and remittances,
// Law 30001 on return, consular assistance; 001: cultural promotion), worded for the demo.
var EventInputs = []EventInput{
	{"PE-CONSULTA-2023-01", []string{"ES", "IT"}, "documents",
		"Renovar el pasaporte y el DNI sin tener que viajar al consulado",
		"Renew passports and national ID cards (DNI) without travelling to the consulate", 7, "high"},
	{"PE-CONSULTA-2023-01", []string{"ES", "IT"}, "remittances",
		"Enviar remesas a menor costo, también a billeteras móviles como BIM",
		"Send remittances at a lower cost, including to mobile wallets such as BIM", 5, "medium"},
	{"PE-CONSULTA-2023-01", []string{"ES"}, "return",
		"Conocer antes de regresar los beneficios de la Ley 30001 de reinserción del migrante retornado",
		"Know before returning what Law 30001 on the reintegration of returning migrants offers", 4, "high"},
	{"PE-CONSULTA-2023-01", []string{"IT"}, "qualifications",
		"Reconocimiento ágil de los títulos obtenidos en el extranjero al volver al Perú",
		"Quick recognition of qualifications earned abroad on returning to Peru", 3, "medium"},
	{"PE-CONSULTA-2023-02", []string{"US", "CL"}, "consular-assistance",
		"Atención consular de emergencia por teléfono fuera del horario de oficina",
		"Emergency consular assistance by phone outside office hours", 6, "high"},
	{"PE-CONSULTA-2023-02", []string{"AR", "CL"}, "documents",
		"Reservar citas consulares en línea para trámites de identidad",
		"Book consular appointments for identity documents online", 5, "medium"},
	{"PE-CONSULTA-2023-02", []string{"US"}, "voting",
		"Información clara sobre cómo votar desde el extranjero con el DNI",
		"Clear information on how to vote from abroad with the DNI", 2, "low"},
	{"PE-CONSULTA-2023-02", []string{"AR", "US"}, "culture",
		"Apoyo a las asociaciones peruanas que promueven la cultura del Perú",
		"Support for Peruvian associations that promote Peru's culture", 2, "low"},
}
