/* forumd-seed: fills a new forumd database with realistic data for the benchmarks.
 *
 *   forumd-seed --db PATH [--posts N] [--threads N] [--users N] [--seed S] [--now UNIX]
 *
 * DESIGN: everything is written through the storage interface and the forum's rules
 * (fd_store_user_create, fd_forum_thread_create, fd_forum_post_create), in transactions of BATCH
 * rows, so that the counters of threads and objectives are the ones the server itself keeps. Only
 * the final ANALYZE and the check of the counters talk to SQLite directly.
 *
 * The data: users of every stakeholder type (user N signs in as userN@bench.example with the
 * password BENCH_PASSWORD; user 1 is an admin, users 2..11 are moderators), threads over the five
 * objectives (most under a key action, a few consultations open for a year), Markdown bodies of
 * 200..2,000 characters in ten languages with their diacritics, replies that sometimes answer one
 * of the thread's recent posts, and created_at rising over the 180 days before --now. Which thread
 * gets the next post is simulated: a set of "active" threads, each with a length drawn beforehand
 * (mostly about posts/threads, some short ones, a few very long), so that the lengths add up to
 * exactly --posts and most threads fill a 20-post page. The same --seed and --now give the same
 * database; --now defaults to today 00:00 UTC. */
#include <errno.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "forumd/store.h"
#include "forumd/forum.h"
#include "forumd/markdown.h"
#include "forumd/auth.h"

#define BENCH_PASSWORD "bench-password-123"
#define BENCH_EMAIL_DOMAIN "bench.example"
#define BATCH 5000           /* rows per transaction */
#define SPAN (180LL * 86400) /* posts are spread over this many seconds before --now */
#define N_STAFF 11           /* user 1 admin, users 2..11 moderators */
#define RING 8               /* recent posts of a thread a reply may answer */
#define BODY_MIN 200
#define BODY_MAX 2000

/* ---- deterministic random numbers: xoshiro256** seeded by splitmix64 ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_init(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A number in 0..n-1 (0 when n is 0); the modulo bias is negligible for our n. */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

/* A number in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

#define PICK(r, arr) ((arr)[rng_below((r), FD_ARRAY_LEN(arr))])

/* ---- a growing string ---- */

struct buf {
    char *p;
    size_t len, cap;
    size_t chars; /* UTF-8 characters */
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = fd_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            b->chars++;
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_reset(struct buf *b)
{
    b->len = 0;
    b->chars = 0;
    if (b->p)
        b->p[0] = '\0';
}

/* Drops trailing white space. */
static void buf_rtrim(struct buf *b)
{
    while (b->len > 0 && (b->p[b->len - 1] == ' ' || b->p[b->len - 1] == '\n')) {
        b->p[--b->len] = '\0';
        b->chars--;
    }
}

/* Cuts the text to at most max characters, at a character boundary. */
static void buf_cut_chars(struct buf *b, size_t max)
{
    if (b->chars <= max)
        return;
    size_t chars = 0, i = 0;
    for (; i < b->len; i++) {
        if (((unsigned char)b->p[i] & 0xc0) != 0x80) {
            if (chars == max)
                break;
            chars++;
        }
    }
    b->len = i;
    b->p[i] = '\0';
    b->chars = chars;
    buf_rtrim(b);
}

/* ---- vocabulary ---- */

/* clang-format off */

static const char *const en_words[] = {
    "security", "border", "cooperation", "member", "states", "Europol", "Frontex", "data", "protection",
    "cybercrime", "networks", "criminal", "terrorism", "radicalisation", "prevention", "communities", "citizens",
    "information", "exchange", "agency", "police", "judicial", "resilience", "crisis", "disasters", "response",
    "risk", "assessment", "funding", "transport", "trafficking", "drugs", "fraud", "money", "laundering", "assets",
    "confiscation", "encryption", "privacy", "fundamental", "rights", "oversight", "transparency", "proposal",
    "regulation", "directive", "implementation", "capacity", "training", "evidence", "platforms", "online",
    "content", "victims", "reporting", "local", "authorities", "schools", "social", "workers", "researchers",
    "industry", "critical", "infrastructure", "attack", "incident", "ransomware", "phishing", "customs", "goods",
    "ports", "airports", "surveillance", "situational", "awareness", "solidarity", "clause", "emergency", "civil",
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "in", "for", "with", "on", "should", "must",
    "we", "our", "this", "that", "is", "are", "more", "better", "across", "between", "national", "European",
    "strategy", "approach", "evaluation", "experience", "practice", "needs", "clear", "cross-border",
};
static const char *const fr_words[] = {
    "sécurité", "frontières", "coopération", "États", "membres", "données", "protection", "cybercriminalité",
    "réseaux", "criminels", "terrorisme", "radicalisation", "prévention", "communautés", "citoyens", "échange",
    "informations", "agence", "police", "judiciaire", "résilience", "crise", "catastrophes", "réponse", "risques",
    "évaluation", "financement", "transports", "traite", "êtres", "humains", "drogues", "fraude", "blanchiment",
    "avoirs", "confiscation", "chiffrement", "vie", "privée", "droits", "fondamentaux", "contrôle",
    "transparence", "proposition", "règlement", "directive", "mise", "œuvre", "capacités", "formation",
    "preuves", "plateformes", "contenus", "victimes", "signalement", "autorités", "locales", "écoles",
    "travailleurs", "sociaux", "chercheurs", "industrie", "infrastructures", "critiques", "attaque", "incident",
    "rançongiciel", "hameçonnage", "douanes", "marchandises", "ports", "aéroports", "surveillance", "solidarité",
    "clause", "urgence", "civile", "le", "la", "la", "les", "les", "de", "de", "des", "du", "et", "et", "à",
    "pour", "avec", "dans", "sur", "nous", "notre", "cette", "est", "sont", "plus", "mieux", "entre",
    "nationales", "européenne", "stratégie", "approche", "expérience", "pratique", "besoins", "déjà", "très",
    "où", "être", "élevé", "intérêt", "façon", "reçu",
};
static const char *const de_words[] = {
    "Sicherheit", "Grenzen", "Zusammenarbeit", "Mitgliedstaaten", "Daten", "Datenschutz", "Cyberkriminalität",
    "Netzwerke", "kriminelle", "Terrorismus", "Radikalisierung", "Prävention", "Gemeinschaften", "Bürgerinnen",
    "Bürger", "Informationsaustausch", "Agentur", "Polizei", "Justiz", "Widerstandsfähigkeit", "Krise",
    "Katastrophen", "Reaktion", "Risiken", "Bewertung", "Finanzierung", "Verkehr", "Menschenhandel", "Drogen",
    "Betrug", "Geldwäsche", "Vermögenswerte", "Einziehung", "Verschlüsselung", "Privatsphäre", "Grundrechte",
    "Kontrolle", "Transparenz", "Vorschlag", "Verordnung", "Richtlinie", "Umsetzung", "Kapazitäten",
    "Ausbildung", "Beweise", "Plattformen", "Inhalte", "Opfer", "Meldung", "Behörden", "örtliche", "Schulen",
    "Sozialarbeiter", "Forscher", "Industrie", "kritische", "Infrastrukturen", "Angriff", "Vorfall",
    "Erpressungssoftware", "Zoll", "Waren", "Häfen", "Flughäfen", "Überwachung", "Lagebewusstsein",
    "Solidarität", "Notfall", "der", "der", "die", "die", "das", "und", "und", "für", "mit", "auf", "über",
    "zwischen", "wir", "unsere", "diese", "ist", "sind", "mehr", "besser", "nationale", "europäische",
    "Strategie", "Ansatz", "Erfahrung", "Praxis", "Bedürfnisse", "müssen", "sollten", "grenzüberschreitende",
    "größere", "Maßnahmen", "Lösungen", "schnell", "gemäß",
};
static const char *const it_words[] = {
    "sicurezza", "frontiere", "cooperazione", "Stati", "membri", "dati", "protezione", "criminalità",
    "informatica", "reti", "criminali", "terrorismo", "radicalizzazione", "prevenzione", "comunità", "cittadini",
    "scambio", "informazioni", "agenzia", "polizia", "giudiziaria", "resilienza", "crisi", "catastrofi",
    "risposta", "rischi", "valutazione", "finanziamento", "trasporti", "tratta", "esseri", "umani", "droghe",
    "frode", "riciclaggio", "beni", "confisca", "cifratura", "riservatezza", "diritti", "fondamentali",
    "controllo", "trasparenza", "proposta", "regolamento", "direttiva", "attuazione", "capacità", "formazione",
    "prove", "piattaforme", "contenuti", "vittime", "segnalazione", "autorità", "locali", "scuole", "operatori",
    "sociali", "ricercatori", "industria", "infrastrutture", "critiche", "attacco", "incidente", "dogane",
    "merci", "porti", "aeroporti", "sorveglianza", "solidarietà", "clausola", "emergenza", "il", "il", "la",
    "la", "le", "di", "di", "del", "della", "e", "e", "è", "per", "con", "nel", "sulla", "tra", "noi", "nostra",
    "questa", "sono", "più", "meglio", "nazionali", "europea", "strategia", "approccio", "esperienza",
    "pratica", "necessità", "perché", "già", "così", "città", "qualità",
};
static const char *const es_words[] = {
    "seguridad", "fronteras", "cooperación", "Estados", "miembros", "datos", "protección", "ciberdelincuencia",
    "redes", "criminales", "terrorismo", "radicalización", "prevención", "comunidades", "ciudadanos",
    "intercambio", "información", "agencia", "policía", "judicial", "resiliencia", "crisis", "catástrofes",
    "respuesta", "riesgos", "evaluación", "financiación", "transporte", "trata", "personas", "drogas", "fraude",
    "blanqueo", "capitales", "bienes", "decomiso", "cifrado", "privacidad", "derechos", "fundamentales",
    "supervisión", "transparencia", "propuesta", "reglamento", "directiva", "aplicación", "capacidades",
    "formación", "pruebas", "plataformas", "contenidos", "víctimas", "denuncia", "autoridades", "locales",
    "escuelas", "trabajadores", "sociales", "investigadores", "industria", "infraestructuras", "críticas",
    "ataque", "incidente", "aduanas", "mercancías", "puertos", "aeropuertos", "vigilancia", "solidaridad",
    "cláusula", "emergencia", "el", "el", "la", "la", "los", "las", "de", "de", "del", "y", "y", "en", "para",
    "con", "sobre", "entre", "nosotros", "nuestra", "esta", "es", "son", "más", "mejor", "nacionales",
    "europea", "estrategia", "enfoque", "experiencia", "práctica", "necesidades", "también", "además", "según",
    "año", "España",
};
static const char *const pl_words[] = {
    "bezpieczeństwo", "granice", "współpraca", "państwa", "członkowskie", "dane", "ochrona",
    "cyberprzestępczość", "sieci", "przestępcze", "terroryzm", "radykalizacja", "zapobieganie", "społeczności",
    "obywatele", "wymiana", "informacji", "agencja", "policja", "sądowa", "odporność", "kryzys", "katastrofy",
    "reagowanie", "ryzyko", "ocena", "finansowanie", "transport", "handel", "ludźmi", "narkotyki", "oszustwa",
    "pranie", "pieniędzy", "mienie", "konfiskata", "szyfrowanie", "prywatność", "prawa", "podstawowe",
    "nadzór", "przejrzystość", "wniosek", "rozporządzenie", "dyrektywa", "wdrażanie", "zdolności", "szkolenia",
    "dowody", "platformy", "treści", "ofiary", "zgłaszanie", "władze", "lokalne", "szkoły", "pracownicy",
    "socjalni", "badacze", "przemysł", "infrastruktura", "krytyczna", "atak", "incydent", "cło", "towary",
    "porty", "lotniska", "świadomość", "sytuacyjna", "solidarność", "klauzula", "sytuacji", "nadzwyczajnej",
    "i", "i", "w", "w", "na", "na", "dla", "z", "do", "że", "się", "nie", "jest", "są", "bardziej", "lepiej",
    "między", "krajowe", "europejska", "strategia", "podejście", "doświadczenie", "praktyka", "potrzeby",
    "również", "już", "służby", "źródło", "gdzie", "żeby", "więcej",
};
static const char *const pt_words[] = {
    "segurança", "fronteiras", "cooperação", "Estados-Membros", "dados", "proteção", "cibercriminalidade",
    "redes", "criminosas", "terrorismo", "radicalização", "prevenção", "comunidades", "cidadãos", "intercâmbio",
    "informações", "agência", "polícia", "judiciária", "resiliência", "crise", "catástrofes", "resposta",
    "riscos", "avaliação", "financiamento", "transportes", "tráfico", "seres", "humanos", "drogas", "fraude",
    "branqueamento", "capitais", "bens", "confisco", "cifragem", "privacidade", "direitos", "fundamentais",
    "supervisão", "transparência", "proposta", "regulamento", "diretiva", "execução", "capacidades",
    "formação", "provas", "plataformas", "conteúdos", "vítimas", "denúncia", "autoridades", "locais", "escolas",
    "investigadores", "indústria", "infraestruturas", "críticas", "ataque", "incidente", "alfândegas",
    "mercadorias", "portos", "aeroportos", "vigilância", "solidariedade", "cláusula", "emergência", "o", "o",
    "a", "a", "os", "as", "de", "de", "do", "da", "e", "e", "em", "para", "com", "sobre", "entre", "nós",
    "nossa", "esta", "é", "são", "mais", "melhor", "nacionais", "europeia", "estratégia", "abordagem",
    "experiência", "prática", "necessidades", "também", "já", "não", "até",
};
static const char *const nl_words[] = {
    "veiligheid", "grenzen", "samenwerking", "lidstaten", "gegevens", "bescherming", "cybercriminaliteit",
    "netwerken", "criminele", "terrorisme", "radicalisering", "preventie", "gemeenschappen", "burgers",
    "informatie-uitwisseling", "agentschap", "politie", "justitie", "weerbaarheid", "crisis", "rampen",
    "respons", "risico's", "beoordeling", "financiering", "vervoer", "mensenhandel", "drugs", "fraude",
    "witwassen", "vermogen", "confiscatie", "versleuteling", "privacy", "grondrechten", "toezicht",
    "transparantie", "voorstel", "verordening", "richtlijn", "uitvoering", "capaciteit", "opleiding", "bewijs",
    "platforms", "inhoud", "slachtoffers", "melding", "autoriteiten", "lokale", "scholen", "jongerenwerkers",
    "onderzoekers", "industrie", "kritieke", "infrastructuur", "aanval", "incident", "douane", "goederen",
    "havens", "luchthavens", "situationeel", "bewustzijn", "solidariteit", "noodhulp", "de", "de", "het",
    "het", "een", "en", "en", "van", "van", "voor", "met", "op", "in", "tussen", "wij", "onze", "deze", "is",
    "zijn", "meer", "beter", "nationale", "Europese", "strategie", "aanpak", "ervaring", "praktijk",
    "behoeften", "ook", "al", "één", "coördinatie", "geïntegreerde", "financiële", "ideeën",
};
static const char *const cs_words[] = {
    "bezpečnost", "hranice", "spolupráce", "členské", "státy", "údaje", "ochrana", "kyberkriminalita", "sítě",
    "zločinecké", "terorismus", "radikalizace", "prevence", "komunity", "občané", "výměna", "informací",
    "agentura", "policie", "justice", "odolnost", "krize", "katastrofy", "reakce", "rizika", "hodnocení",
    "financování", "doprava", "obchodování", "lidmi", "drogy", "podvody", "praní", "peněz", "majetek",
    "konfiskace", "šifrování", "soukromí", "základní", "práva", "dohled", "transparentnost", "návrh",
    "nařízení", "směrnice", "provádění", "kapacity", "školení", "důkazy", "platformy", "obsah", "oběti",
    "hlášení", "orgány", "místní", "školy", "sociální", "pracovníci", "výzkumníci", "průmysl", "kritická",
    "infrastruktura", "útok", "incident", "cla", "zboží", "přístavy", "letiště", "sledování", "solidarita",
    "doložka", "mimořádné", "události", "a", "a", "v", "v", "na", "na", "pro", "s", "z", "do", "že", "se", "je",
    "jsou", "více", "lépe", "mezi", "národní", "evropská", "strategie", "přístup", "zkušenosti", "praxe",
    "potřeby", "také", "už", "již", "když", "řešení", "účinné",
};
static const char *const el_words[] = {
    "ασφάλεια", "σύνορα", "συνεργασία", "κράτη", "μέλη", "δεδομένα", "προστασία", "κυβερνοέγκλημα", "δίκτυα",
    "εγκληματικά", "τρομοκρατία", "ριζοσπαστικοποίηση", "πρόληψη", "κοινότητες", "πολίτες", "ανταλλαγή",
    "πληροφοριών", "οργανισμός", "αστυνομία", "δικαστική", "ανθεκτικότητα", "κρίση", "καταστροφές",
    "αντιμετώπιση", "κίνδυνοι", "αξιολόγηση", "χρηματοδότηση", "μεταφορές", "εμπορία", "ανθρώπων", "ναρκωτικά",
    "απάτη", "ξέπλυμα", "χρήματος", "δήμευση", "κρυπτογράφηση", "ιδιωτικότητα", "θεμελιώδη", "δικαιώματα",
    "εποπτεία", "διαφάνεια", "πρόταση", "κανονισμός", "οδηγία", "εφαρμογή", "ικανότητες", "κατάρτιση",
    "αποδεικτικά", "πλατφόρμες", "περιεχόμενο", "θύματα", "αναφορά", "αρχές", "τοπικές", "σχολεία", "ερευνητές",
    "βιομηχανία", "υποδομές", "κρίσιμες", "επίθεση", "συμβάν", "τελωνεία", "εμπορεύματα", "λιμάνια",
    "αεροδρόμια", "επιτήρηση", "αλληλεγγύη", "ρήτρα", "έκτακτη", "ανάγκη", "και", "και", "της", "της", "του",
    "των", "για", "με", "σε", "στην", "στο", "από", "μεταξύ", "εμείς", "αυτή", "είναι", "περισσότερο",
    "καλύτερα", "εθνικές", "ευρωπαϊκή", "στρατηγική", "προσέγγιση", "εμπειρία", "πρακτική", "ανάγκες",
    "επίσης", "ήδη",
};

static const char *const en_first[] = { "Siobhán", "Aoife", "Oliver", "Emma", "Niamh", "Liam", "Åsa", "Jüri",
                                        "Zsófia", "Ștefan", "Ivana", "Mikkel", "Sørina", "Dragoș", "Kārlis",
                                        "Eglė", "Mateja", "Pál", "Henrik", "Grace" };
static const char *const en_last[] = { "O'Connor", "Murphy", "Walsh", "Byrne", "Kelly", "Lindqvist", "Tamm",
                                       "Kovács", "Popescu", "Horvat", "Virtanen", "Järvinen", "Nyström",
                                       "Ozoliņš", "Kazlauskaitė", "Dimitrova", "Novak", "Grønbech", "Borg",
                                       "Nagy" };
static const char *const fr_first[] = { "Amélie", "François", "Hélène", "Léa", "Benoît", "Jérôme", "Céline",
                                        "Noël", "Zoé", "Gaëlle", "Loïc", "Maëlle", "Thérèse", "Aurélien" };
static const char *const fr_last[] = { "Lefèvre", "Dubois", "Moreau", "Laurent", "Girard", "Rousseau",
                                       "Bélanger", "Mercier", "Lemaître", "Fontaine", "Duchêne", "Peeters" };
static const char *const de_first[] = { "Jürgen", "Jörg", "Käthe", "Björn", "Lena", "Sören", "Günter",
                                        "Anneliese", "Maximilian", "Sophie", "Lukas", "Jülide" };
static const char *const de_last[] = { "Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Bäcker", "Schröder",
                                       "Krüger", "Hoffmann", "Zimmermann", "Fischer", "Vogel" };
static const char *const it_first[] = { "Giulia", "Niccolò", "Lucia", "Matteo", "Francesca", "Alessandro",
                                        "Chiara", "Lorenzo", "Federica", "Elisa", "Andrea", "Davide" };
static const char *const it_last[] = { "Rossi", "Bianchi", "Esposito", "Ricci", "Mancini", "Galli", "Conti",
                                       "De Luca", "Fabbri", "Colombo", "Marchetti", "Lombardi" };
static const char *const es_first[] = { "José", "María", "Begoña", "Íñigo", "Lucía", "Andrés", "Martín",
                                        "Sofía", "Ramón", "Inés", "Jesús", "Ángela" };
static const char *const es_last[] = { "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
                                       "Gómez", "Muñoz", "Jiménez", "Álvarez", "Romero", "Núñez" };
static const char *const pl_first[] = { "Łukasz", "Agnieszka", "Małgorzata", "Paweł", "Krzysztof", "Zofia",
                                        "Michał", "Józef", "Ewa", "Wojciech", "Katarzyna", "Bożena" };
static const char *const pl_last[] = { "Wiśniewski", "Kowalczyk", "Wójcik", "Kamiński", "Lewandowska",
                                       "Zieliński", "Szymańska", "Woźniak", "Dąbrowski", "Kozłowska",
                                       "Jankowski", "Mazur" };
static const char *const pt_first[] = { "João", "Inês", "Conceição", "Gonçalo", "Sebastião", "Ana", "Tomás",
                                        "Beatriz", "Luís", "Matilde", "André", "Margarida" };
static const char *const pt_last[] = { "Gonçalves", "Magalhães", "Simões", "Antunes", "Fernandes", "Pereira",
                                       "Sousa", "Araújo", "Brandão", "Guimarães", "Monteiro", "Lourenço" };
static const char *const nl_first[] = { "Daan", "Sanne", "Joëlle", "Bram", "Eline", "Thijs", "Femke", "Sven",
                                        "Noor", "Ruben", "Anouk", "Maarten" };
static const char *const nl_last[] = { "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
                                       "de Boer", "Mulder", "de Groot", "Bos", "van den Berg" };
static const char *const cs_first[] = { "Jiří", "Petr", "Tereza", "Kateřina", "Tomáš", "Lucie", "Jan",
                                        "Zuzana", "Ondřej", "Markéta", "Vojtěch", "Barbora" };
static const char *const cs_last[] = { "Novák", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák",
                                       "Němec", "Pokorný", "Růžička", "Marek", "Svoboda" };
static const char *const el_first[] = { "Γιώργος", "Μαρία", "Δημήτρης", "Ελένη", "Νίκος", "Κατερίνα",
                                        "Κώστας", "Σοφία", "Γιάννης", "Αναστασία" };
static const char *const el_last[] = { "Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Καραγιάννης",
                                       "Βασιλείου", "Αθανασίου", "Ιωάννου", "Χριστοδούλου", "Αλεξίου" };

/* Member States (the first ones) and, for the stakeholders who may be elsewhere, other countries. */
static const char *const en_countries[] = { "IE", "SE", "FI", "DK", "EE", "LV", "LT", "HU", "RO",
                                            "BG", "HR", "SI", "SK", "MT" };
static const char *const fr_countries[] = { "FR", "BE", "LU" };
static const char *const de_countries[] = { "DE", "AT" };
static const char *const it_countries[] = { "IT" };
static const char *const es_countries[] = { "ES" };
static const char *const pl_countries[] = { "PL" };
static const char *const pt_countries[] = { "PT" };
static const char *const nl_countries[] = { "NL", "BE" };
static const char *const cs_countries[] = { "CZ" };
static const char *const el_countries[] = { "GR", "CY" };
static const char *const other_countries[] = { "GB", "NO", "CH", "UA", "US", "IS", "RS" };

struct lang {
    const char *tag;
    int weight; /* share of users, in percent */
    const char *const *words;
    size_t n_words;
    const char *const *first, *const *last;
    size_t n_first, n_last;
    const char *const *countries;
    size_t n_countries;
    const char *ministry;
};

#define LANG(tag, w, ministry)                                                                                \
    {                                                                                                         \
        #tag, w, tag##_words, FD_ARRAY_LEN(tag##_words), tag##_first, tag##_last, FD_ARRAY_LEN(tag##_first), \
            FD_ARRAY_LEN(tag##_last), tag##_countries, FD_ARRAY_LEN(tag##_countries), ministry                \
    }

static const struct lang langs[] = {
    LANG(en, 34, "Ministry of Justice"),
    LANG(fr, 13, "Ministère de l'Intérieur"),
    LANG(de, 13, "Bundesministerium des Innern und für Heimat"),
    LANG(it, 9, "Ministero dell'Interno"),
    LANG(es, 9, "Ministerio del Interior"),
    LANG(pl, 8, "Ministerstwo Spraw Wewnętrznych i Administracji"),
    LANG(pt, 4, "Ministério da Administração Interna"),
    LANG(nl, 4, "Ministerie van Justitie en Veiligheid"),
    LANG(cs, 3, "Ministerstvo vnitra"),
    LANG(el, 3, "Υπουργείο Προστασίας του Πολίτη"),
};
#define N_LANGS FD_ARRAY_LEN(langs)

static const struct {
    const char *type;
    int weight; /* share of members, in percent */
} stakeholders[] = {
    { "citizen", 30 },      { "civil_society", 20 }, { "academia", 15 },           { "private_sector", 15 },
    { "member_state", 8 },  { "eu_agency", 5 },      { "european_parliament", 4 }, { "commission", 3 },
};

static const char *const agencies[] = { "Europol", "Frontex", "ENISA", "eu-LISA", "CEPOL", "Eurojust",
                                        "European Union Drugs Agency (EUDA)", "EU Agency for Fundamental Rights" };
static const char *const universities[] = { "Université de Liège", "Universität Wien", "Uniwersytet Jagielloński",
                                            "Università di Bologna", "Universidad Complutense de Madrid",
                                            "KU Leuven", "Trinity College Dublin", "Univerzita Karlova",
                                            "Universidade de Coimbra", "Αριστοτέλειο Πανεπιστήμιο Θεσσαλονίκης",
                                            "Tallinna Tehnikaülikool", "Göteborgs universitet" };
static const char *const ngos[] = { "Association européenne pour les libertés numériques",
                                    "Verein für Bürgerrechte e.V.", "Fundación Ciudadanía Segura",
                                    "Stowarzyszenie Bezpieczna Sieć", "Rete italiana per la sicurezza urbana",
                                    "Victim Support Europe Network", "Stichting Veilige Havens",
                                    "Sdružení pro prevenci kriminality", "Observatório Cívico de Segurança" };
static const char *const companies[] = { "Nordic Port Logistics AB", "Sécurité Numérique SAS", "Cyberschutz GmbH",
                                         "Łódź Data Systems sp. z o.o.", "Iberia Aduanas S.L.",
                                         "Rotterdam Container Services B.V.", "Milano Fintech S.p.A.",
                                         "Baltic Cloud OÜ", "Αιγαίο Shipping Α.Ε." };
static const char *const ep_units[] = { "European Parliament, LIBE Committee", "European Parliament, Secretariat",
                                        "European Parliament, Policy Department" };
static const char *const commission_units[] = { "European Commission, DG HOME", "European Commission, DG CNECT",
                                                "European Commission, DG JUST", "European Commission, DG TAXUD",
                                                "European Commission, DG ECHO" };

static const char *const link_urls[] = {
    "https://home-affairs.ec.europa.eu/",
    "https://www.europol.europa.eu/publications-events",
    "https://www.enisa.europa.eu/topics",
    "https://frontex.europa.eu/what-we-do/",
    "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52020DC0605",
    "https://www.consilium.europa.eu/en/policies/",
    "/objectives/cyberspace",
    "mailto:secretariat@bench.example",
};
static const char *const code_terms[] = { "CVE-2024-3094", "SIS II", "ETIAS", "EES", "PNR", "ECRIS-TCN",
                                          "EUROSUR", "Prüm II", "SIENA", "art. 222 TFEU" };

/* clang-format on */

/* ---- text generation ---- */

static const struct lang *pick_lang(struct rng *r)
{
    int x = (int)rng_below(r, 100);
    for (size_t i = 0; i < N_LANGS; i++) {
        if (x < langs[i].weight)
            return &langs[i];
        x -= langs[i].weight;
    }
    return &langs[0];
}

/* The capital of lower-case letter c for the scripts of our word lists (ASCII, Latin-1,
 * Latin Extended-A, Greek); c itself otherwise. */
static uint32_t upper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
        return c - 32;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
        return (c % 2 == 0) ? c - 1 : c;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
        return (c % 2 == 1) ? c - 1 : c;
    if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
        return c - 32;
    switch (c) {
    case 0x3ac:
        return 0x386;
    case 0x3ad:
        return 0x388;
    case 0x3ae:
        return 0x389;
    case 0x3af:
        return 0x38a;
    case 0x3cc:
        return 0x38c;
    case 0x3cd:
        return 0x38e;
    case 0x3ce:
        return 0x38f;
    default:
        return c;
    }
}

/* Appends word w, with its first letter capitalised when capital is set. */
static void add_word(struct buf *b, const char *w, bool capital)
{
    const unsigned char *u = (const unsigned char *)w;
    if (!capital || !u[0]) {
        buf_str(b, w);
        return;
    }
    uint32_t c;
    size_t n;
    if (u[0] < 0x80) {
        c = u[0];
        n = 1;
    } else if ((u[0] & 0xe0) == 0xc0 && u[1]) {
        c = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
        n = 2;
    } else {
        buf_str(b, w); /* no capitals among our three-byte letters */
        return;
    }
    c = upper(c);
    char out[2];
    if (c < 0x80) {
        out[0] = (char)c;
        buf_add(b, out, 1);
    } else {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        buf_add(b, out, 2);
    }
    buf_str(b, w + n);
}

/* One sentence of n words; rich sentences carry inline Markdown (emphasis, links, code). */
static void gen_sentence(struct rng *r, const struct lang *l, struct buf *b, bool rich, int n, bool end)
{
    for (int i = 0; i < n; i++) {
        const char *w = l->words[rng_below(r, l->n_words)];
        if (i > 0)
            buf_add(b, " ", 1);
        double x = rich ? rng_unit(r) : 1.0;
        if (x < 0.03) {
            buf_add(b, "**", 2);
            add_word(b, w, i == 0);
            buf_add(b, "**", 2);
        } else if (x < 0.06) {
            buf_add(b, "*", 1);
            add_word(b, w, i == 0);
            buf_add(b, "*", 1);
        } else if (x < 0.075 && i + 1 < n) {
            buf_add(b, "[", 1);
            add_word(b, w, i == 0);
            buf_add(b, " ", 1);
            buf_str(b, l->words[rng_below(r, l->n_words)]);
            buf_add(b, "](", 2);
            buf_str(b, PICK(r, link_urls));
            buf_add(b, ")", 1);
            i++;
        } else if (x < 0.085) {
            buf_add(b, "`", 1);
            buf_str(b, PICK(r, code_terms));
            buf_add(b, "`", 1);
        } else {
            add_word(b, w, i == 0);
        }
        if (i + 1 < n && rng_chance(r, 0.07))
            buf_add(b, ",", 1);
    }
    if (end) {
        double x = rng_unit(r);
        buf_add(b, x < 0.88 ? "." : x < 0.96 ? "?" : "!", 1);
    }
}

/* A Markdown post body of BODY_MIN..BODY_MAX characters, mostly short, 40% with Markdown. */
static void gen_body(struct rng *r, const struct lang *l, struct buf *b)
{
    size_t target = BODY_MIN + (size_t)((BODY_MAX - BODY_MIN) * pow(rng_unit(r), 1.5));
    bool rich = rng_chance(r, 0.4);
    int in_par = 0, par_len = 2 + (int)rng_below(r, 4);
    buf_reset(b);
    while (b->chars < target) {
        if (rich && in_par == 0 && rng_chance(r, 0.25)) {
            double x = rng_unit(r);
            if (x < 0.45) { /* a list */
                int items = 2 + (int)rng_below(r, 4);
                bool numbered = rng_chance(r, 0.3);
                for (int i = 0; i < items; i++) {
                    if (numbered) {
                        char num[16];
                        snprintf(num, sizeof num, "%d. ", i + 1);
                        buf_str(b, num);
                    } else {
                        buf_add(b, "- ", 2);
                    }
                    gen_sentence(r, l, b, true, 3 + (int)rng_below(r, 6), false);
                    buf_add(b, "\n", 1);
                }
            } else if (x < 0.8) { /* a quote of someone else */
                buf_add(b, "> ", 2);
                gen_sentence(r, l, b, false, 8 + (int)rng_below(r, 12), true);
                buf_add(b, "\n", 1);
            } else { /* a heading */
                buf_add(b, "### ", 4);
                gen_sentence(r, l, b, false, 2 + (int)rng_below(r, 5), false);
                buf_add(b, "\n", 1);
            }
            buf_add(b, "\n", 1);
            continue;
        }
        gen_sentence(r, l, b, rich, 6 + (int)rng_below(r, 15), true);
        if (++in_par >= par_len) {
            buf_add(b, "\n\n", 2);
            in_par = 0;
            par_len = 1 + (int)rng_below(r, 5);
        } else {
            buf_add(b, " ", 1);
        }
    }
    buf_cut_chars(b, BODY_MAX);
    buf_rtrim(b);
    while (b->chars < BODY_MIN) { /* trimming can take us just below the minimum */
        buf_add(b, " ", 1);
        gen_sentence(r, l, b, false, 8, true);
    }
}

/* A thread title of 4..11 words, at most 200 characters. */
static void gen_title(struct rng *r, const struct lang *l, struct buf *b)
{
    buf_reset(b);
    gen_sentence(r, l, b, false, 4 + (int)rng_below(r, 8), rng_chance(r, 0.15));
    buf_cut_chars(b, 200);
}

/* ---- users ---- */

struct member {
    int64_t id;
    enum fd_role role;
    uint8_t lang;
};

static const char *pick_stakeholder(struct rng *r)
{
    int x = (int)rng_below(r, 100);
    for (size_t i = 0; i < FD_ARRAY_LEN(stakeholders); i++) {
        if (x < stakeholders[i].weight)
            return stakeholders[i].type;
        x -= stakeholders[i].weight;
    }
    return "citizen";
}

/* Creates user number n (1-based): staff first, then members of every stakeholder type. */
static int create_user(struct fd_store *s, struct rng *r, int64_t n, char *hash, int64_t created_at,
                       struct member *out)
{
    const struct lang *l = pick_lang(r);
    bool staff = n <= N_STAFF;
    const char *type = staff ? "commission" : pick_stakeholder(r);
    const char *country = l->countries[rng_below(r, l->n_countries)];
    const char *org = NULL;
    char tr_id[24];
    const char *tr = NULL;

    if (!strcmp(type, "commission")) {
        org = staff ? commission_units[0] : PICK(r, commission_units);
        country = "BE";
    } else if (!strcmp(type, "member_state")) {
        org = l->ministry;
    } else if (!strcmp(type, "european_parliament")) {
        org = PICK(r, ep_units);
    } else if (!strcmp(type, "eu_agency")) {
        org = PICK(r, agencies);
    } else if (!strcmp(type, "academia")) {
        org = PICK(r, universities);
    } else if (!strcmp(type, "civil_society") || !strcmp(type, "private_sector")) {
        org = !strcmp(type, "civil_society") ? PICK(r, ngos) : PICK(r, companies);
        if (rng_chance(r, 0.6)) {
            snprintf(tr_id, sizeof tr_id, "%012llu-%02u",
                     (unsigned long long)(rng_next(r) % 1000000000000ULL), (unsigned)rng_below(r, 100));
            tr = tr_id;
        }
    }
    /* Outside the Member States: some citizens, NGOs, researchers and companies; some give none. */
    if (!strcmp(type, "citizen") || !strcmp(type, "civil_society") || !strcmp(type, "academia") ||
        !strcmp(type, "private_sector")) {
        if (rng_chance(r, 0.08))
            country = PICK(r, other_countries);
        else if (!strcmp(type, "citizen") && rng_chance(r, 0.1))
            country = NULL;
    }

    char email[64];
    snprintf(email, sizeof email, "user%lld@%s", (long long)n, BENCH_EMAIL_DOMAIN);
    char *name =
        n == 1 ? fd_xstrdup("Forum chair")
               : fd_xasprintf("%s %s", l->first[rng_below(r, l->n_first)], l->last[rng_below(r, l->n_last)]);
    struct fd_new_user in = {
        .email = email,
        .password_hash = hash, /* borrowed: the store only reads it */
        .display_name = name,
        .stakeholder_type = type,
        .organisation = org,
        .country = country,
        .transparency_register_id = tr,
        .role = n == 1  ? "admin"
                : staff ? "moderator"
                        : "member",
    };
    struct fd_user u = {0};
    int rc = fd_store_user_create(s, &in, created_at, &u);
    if (rc == FD_OK) {
        out->id = u.id;
        out->role = u.role;
        out->lang = (uint8_t)(l - langs);
    }
    fd_user_clear(&u);
    free(name);
    return rc;
}

/* A member who is not staff; low numbers post more (density falls like 1/sqrt). */
static const struct member *pick_member(struct rng *r, const struct member *m, int64_t n_users)
{
    double u = rng_unit(r);
    int64_t span = n_users - N_STAFF;
    int64_t i = N_STAFF + (int64_t)((double)span * u * u);
    if (i >= n_users)
        i = n_users - 1;
    return &m[i];
}

static const struct member *pick_staff(struct rng *r, const struct member *m)
{
    return &m[1 + rng_below(r, N_STAFF - 1)];
}

/* ---- threads ---- */

struct tstate {
    int64_t id;
    int32_t left; /* posts still to write, the opening one included */
    int32_t objective;
    uint8_t lang;
    uint8_t n_ring;
    int64_t ring[RING]; /* the thread's latest posts */
};

/* How many posts each thread gets: mostly mu..1.1 mu, 15% short, 1% very long (5..11 mu);
 * then adjusted by single posts until they add up to exactly total. */
static void draw_lengths(struct rng *r, struct tstate *ts, int64_t n, int64_t total)
{
    double mu = (double)total / (double)n;
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        double u = rng_unit(r);
        int64_t len;
        if (u < 0.15)
            len = 1 + (int64_t)rng_below(r, (uint64_t)fmax(1.0, mu / 2));
        else if (u < 0.16)
            len = (int64_t)(5 * mu) + (int64_t)rng_below(r, (uint64_t)(6 * mu) + 1);
        else
            len = (int64_t)mu + (int64_t)rng_below(r, (uint64_t)(mu / 10) + 1);
        if (len < 1)
            len = 1;
        if (len > INT32_MAX / 2)
            len = INT32_MAX / 2;
        ts[i].left = (int32_t)len;
        sum += len;
    }
    while (sum > total) {
        int64_t i = (int64_t)rng_below(r, (uint64_t)n);
        if (ts[i].left > 1) {
            ts[i].left--;
            sum--;
        }
    }
    while (sum < total) {
        ts[rng_below(r, (uint64_t)n)].left++;
        sum++;
    }
}

static const int objective_weights[5] = {22, 18, 30, 18, 12};

static int pick_objective(struct rng *r)
{
    int x = (int)rng_below(r, 100);
    for (int i = 0; i < 5; i++) {
        if (x < objective_weights[i])
            return i;
        x -= objective_weights[i];
    }
    return 0;
}

static void ring_push(struct tstate *t, int64_t post_id)
{
    if (t->n_ring < RING) {
        t->ring[t->n_ring++] = post_id;
    } else {
        memmove(t->ring, t->ring + 1, (RING - 1) * sizeof t->ring[0]);
        t->ring[RING - 1] = post_id;
    }
}

/* ---- the run ---- */

struct opts {
    const char *db;
    int64_t posts, threads, users;
    uint64_t seed;
    int64_t now;
};

static void usage(FILE *f)
{
    fprintf(
        f, "usage: forumd-seed --db PATH [--posts N] [--threads N] [--users N] [--seed S] [--now UNIX]\n"
           "  Fills a NEW forumd database with realistic data (default 1,000,000 posts, threads = posts/20,\n"
           "  users = posts/200 clamped to 50..5000, seed 1, now = today 00:00 UTC).\n"
           "  Every seeded user N signs in as user<N>@" BENCH_EMAIL_DOMAIN " with the password "
           "\"" BENCH_PASSWORD "\";\n"
           "  user1 is an admin, user2..user11 are moderators.\n");
}

static int parse_num(const char *name, const char *v, int64_t lo, int64_t *out)
{
    char *end;
    errno = 0;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || n < lo) {
        fprintf(stderr, "forumd-seed: %s needs a whole number >= %lld\n", name, (long long)lo);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    int64_t seed = 1;
    o->posts = 1000000;
    o->threads = o->users = -1;
    o->now = fd_now() / 86400 * 86400;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--db") && v) {
            o->db = v;
            rc = 0;
        } else if (!strcmp(a, "--posts")) {
            rc = parse_num(a, v, 1, &o->posts);
        } else if (!strcmp(a, "--threads")) {
            rc = parse_num(a, v, 1, &o->threads);
        } else if (!strcmp(a, "--users")) {
            rc = parse_num(a, v, N_STAFF + 1, &o->users);
        } else if (!strcmp(a, "--seed")) {
            rc = parse_num(a, v, 0, &seed);
        } else if (!strcmp(a, "--now")) {
            rc = parse_num(a, v, SPAN, &o->now);
        } else {
            fprintf(stderr, "forumd-seed: unknown or incomplete option %s\n", a);
            rc = -1;
        }
        if (rc < 0)
            return -1;
        i++;
    }
    if (!o->db) {
        fprintf(stderr, "forumd-seed: --db is required\n");
        return -1;
    }
    if (o->threads < 0)
        o->threads = o->posts / 20 > 0 ? o->posts / 20 : 1;
    if (o->users < 0) {
        o->users = o->posts / 200;
        o->users = o->users < 50 ? 50 : o->users > 5000 ? 5000 : o->users;
    }
    if (o->threads > o->posts) {
        fprintf(stderr, "forumd-seed: --threads cannot exceed --posts (every thread has an opening post)\n");
        return -1;
    }
    o->seed = (uint64_t)seed;
    return 0;
}

static double elapsed(int64_t start_us)
{
    return (double)(fd_mono_us() - start_us) / 1e6;
}

/* Counts one more row in the running transaction; every BATCH rows, commits it and opens the next. */
static int row_done(struct fd_store *s, int *batch)
{
    if (++*batch < BATCH)
        return FD_OK;
    *batch = 0;
    int rc = fd_store_tx_commit(s);
    return rc == FD_OK ? fd_store_tx_begin(s) : rc;
}

/* The search index merged into one segment (what migrating an existing forum leaves: see
 * schema/0002_search.sql), ANALYZE for the query planner, a checkpoint so that the file alone is
 * the whole database, and a check that the counters the rules kept add up. */
static int finish_db(const char *path, const struct opts *o)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        goto out;
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, "INSERT INTO posts_fts(posts_fts) VALUES('optimize'); ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_prepare_v2(
            db,
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM threads),"
            " (SELECT count(*) FROM users), (SELECT sum(post_count) FROM threads),"
            " (SELECT sum(post_count) FROM objectives), (SELECT sum(thread_count) FROM objectives)",
            -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto out;
    int64_t posts = sqlite3_column_int64(st, 0), threads = sqlite3_column_int64(st, 1);
    int64_t users = sqlite3_column_int64(st, 2), tposts = sqlite3_column_int64(st, 3);
    int64_t oposts = sqlite3_column_int64(st, 4), othreads = sqlite3_column_int64(st, 5);
    printf("check: %lld posts, %lld threads, %lld users; counters: threads %lld posts, objectives %lld posts "
           "%lld threads\n",
           (long long)posts, (long long)threads, (long long)users, (long long)tposts, (long long)oposts,
           (long long)othreads);
    if (posts != o->posts || threads != o->threads || users != o->users || tposts != posts ||
        oposts != posts || othreads != threads) {
        fprintf(stderr, "forumd-seed: the counts do not add up\n");
        goto out;
    }
    ok = 0;
out:
    if (ok < 0 && db)
        fprintf(stderr, "forumd-seed: finishing %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    if (parse_args(argc, argv, &o) < 0) {
        usage(stderr);
        return 2;
    }
    if (access(o.db, F_OK) == 0) {
        fprintf(stderr, "forumd-seed: %s exists already; seeding needs a new database\n", o.db);
        return 1;
    }
    if (fd_auth_init() < 0) {
        fprintf(stderr, "forumd-seed: cannot initialise libsodium\n");
        return 1;
    }
    int64_t t0 = fd_mono_us();
    /* One Argon2id hash with the server's default limits, shared by every user: the password of any
     * seeded account is known, and logins cost what real ones do. */
    char *hash = fd_auth_hash_password(BENCH_PASSWORD, 2, 19u << 20);
    char err[512];
    struct fd_store *s = fd_store_sqlite_open(o.db, true, err, sizeof err);
    if (!hash || !s) {
        fprintf(stderr, "forumd-seed: %s\n", s ? "cannot hash the password" : err);
        return 1;
    }
    printf("seeding %s: %lld posts, %lld threads, %lld users, seed %llu, now %lld\n", o.db,
           (long long)o.posts, (long long)o.threads, (long long)o.users, (unsigned long long)o.seed,
           (long long)o.now);
    fflush(stdout);

    struct rng rng;
    rng_init(&rng, o.seed);
    struct member *members = fd_xcalloc((size_t)o.users + 1, sizeof *members);
    struct tstate *ts = fd_xcalloc((size_t)o.threads, sizeof *ts);
    int64_t *active = fd_xcalloc((size_t)o.threads, sizeof *active);
    struct buf body = {0}, title = {0};
    int rc = FD_OK, batch = 0;
    struct fd_problem pb = {0};
    int64_t start = o.now - SPAN;

    /* Key actions of each objective, as the schema seeded them. */
    struct fd_objective_list objs = {0};
    if ((rc = fd_store_objectives_list(s, &objs)) != FD_OK || objs.n < 5) {
        fprintf(stderr, "forumd-seed: cannot read the objectives\n");
        goto out;
    }

    /* Users, created in the month before the first post. */
    if ((rc = fd_store_tx_begin(s)) != FD_OK)
        goto out_fail;
    for (int64_t n = 1; n <= o.users; n++) {
        int64_t at = start - 30 * 86400 + (n - 1) * (30 * 86400) / o.users;
        if ((rc = create_user(s, &rng, n, hash, at, &members[n - 1])) != FD_OK)
            goto out_fail;
        if ((rc = row_done(s, &batch)) != FD_OK)
            goto out_fail;
    }
    printf("users: %lld in %.1f s\n", (long long)o.users, elapsed(t0));
    fflush(stdout);

    draw_lengths(&rng, ts, o.threads, o.posts);
    int64_t n_active_max = o.threads / 50 < 1 ? 1 : o.threads / 50 > 256 ? 256 : o.threads / 50;
    int64_t n_active = 0, created = 0, progress_every = o.posts / 20 > 0 ? o.posts / 20 : 1;
    int64_t t_posts = fd_mono_us();
    for (int64_t i = 0; i < o.posts; i++) {
        int64_t now = start + (int64_t)((double)i * (double)SPAN / (double)o.posts);
        int64_t post_id = 0;
        bool anonymous = rng_chance(&rng, 0.03);
        if (created < o.threads && (n_active < n_active_max || n_active == 0)) {
            /* A new thread, by a member (3% by staff, a third of those opening a consultation). */
            struct tstate *t = &ts[created];
            bool by_staff = rng_chance(&rng, 0.03);
            const struct member *m =
                by_staff ? pick_staff(&rng, members) : pick_member(&rng, members, o.users);
            const struct lang *l = &langs[rng_chance(&rng, 0.8) ? m->lang : 0];
            const struct fd_objective *obj = &objs.items[pick_objective(&rng)];
            gen_title(&rng, l, &title);
            gen_body(&rng, l, &body);
            struct fd_new_thread in = {
                .objective_id = obj->id,
                .title = title.p,
                .key_action_id = obj->n_key_actions && rng_chance(&rng, 0.7)
                                     ? obj->key_actions[rng_below(&rng, obj->n_key_actions)].id
                                     : 0,
                .post = {.body = body.p, .language = l->tag, .anonymous = anonymous && !by_staff},
            };
            if (by_staff && rng_chance(&rng, 0.33)) {
                /* Open from its first post until a year after --now, so that replies are accepted. */
                in.consultation.given = true;
                in.consultation.closes_at = o.now + 365 * 86400;
            }
            in.post.body_html = fd_markdown_render(body.p, body.len);
            struct fd_user author = {.id = m->id, .role = m->role};
            rc = fd_forum_thread_create(s, &author, &in, now, &t->id, &post_id, &pb);
            free(in.post.body_html);
            if (rc != FD_OK)
                goto out_fail;
            t->lang = (uint8_t)(l - langs);
            t->objective = (int32_t)obj->id;
            ring_push(t, post_id);
            if (--t->left > 0)
                active[n_active++] = created;
            created++;
        } else {
            /* A reply in an active thread, sometimes to one of its recent posts. */
            if (n_active == 0) { /* cannot happen: the lengths add up to --posts */
                rc = FD_EINTERNAL;
                goto out_fail;
            }
            int64_t ai = (int64_t)rng_below(&rng, (uint64_t)n_active);
            struct tstate *t = &ts[active[ai]];
            bool official = rng_chance(&rng, 0.003);
            const struct member *m =
                official ? pick_staff(&rng, members) : pick_member(&rng, members, o.users);
            const struct lang *l = &langs[rng_chance(&rng, 0.7) ? t->lang : m->lang];
            gen_body(&rng, l, &body);
            struct fd_new_post in = {
                .thread_id = t->id,
                .parent_id = rng_chance(&rng, 0.4) ? t->ring[rng_below(&rng, t->n_ring)] : 0,
                .body = body.p,
                .language = l->tag,
                .anonymous = anonymous && !official,
                .official = official,
            };
            in.body_html = fd_markdown_render(body.p, body.len);
            struct fd_user author = {.id = m->id, .role = m->role};
            rc = fd_forum_post_create(s, &author, &in, now, &post_id, &pb);
            free(in.body_html);
            if (rc != FD_OK)
                goto out_fail;
            ring_push(t, post_id);
            if (--t->left == 0)
                active[ai] = active[--n_active];
        }
        if ((rc = row_done(s, &batch)) != FD_OK)
            goto out_fail;
        if ((i + 1) % progress_every == 0 || i + 1 == o.posts) {
            double dt = elapsed(t_posts);
            printf("posts: %lld/%lld (%3lld%%), threads %lld, %.1f s, %.0f posts/s\n", (long long)(i + 1),
                   (long long)o.posts, (long long)((i + 1) * 100 / o.posts), (long long)created, elapsed(t0),
                   dt > 0 ? (double)(i + 1) / dt : 0.0);
            fflush(stdout);
        }
    }
    if ((rc = fd_store_tx_commit(s)) != FD_OK)
        goto out_fail;
    fd_store_close(s);
    s = NULL;
    printf("analyze and checkpoint...\n");
    fflush(stdout);
    if (finish_db(o.db, &o) < 0) {
        rc = FD_EINTERNAL;
        goto out;
    }
    struct stat sb;
    double mb = stat(o.db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    printf("done: %lld posts in %.1f s, %.0f MB\n", (long long)o.posts, elapsed(t0), mb);
    printf("sign in as user1..user%lld@%s with the password \"%s\" (user1 admin, user2..user%d moderators)\n",
           (long long)o.users, BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, N_STAFF);
    goto out;
out_fail:
    fprintf(stderr, "forumd-seed: write failed (error %d%s%s%s%s)\n", rc, pb.field ? ", field " : "",
            pb.field ? pb.field : "", pb.message ? ": " : "", pb.message ? pb.message : "");
out:
    if (s)
        fd_store_close(s);
    fd_objective_list_clear(&objs);
    free(body.p);
    free(title.p);
    free(active);
    free(ts);
    free(members);
    free(hash);
    return rc == FD_OK ? 0 : 1;
}
