"""Words the generated values are written in, per language: yes/no, months, scales, places, ...

Each table is a mapping ``{language: words}`` for English (``en``) and the six other languages
segkit reads (``fr``, ``de``, ``es``, ``it``, ``pt``, ``nl``); :func:`words` falls back to
English. Ordered lists are lowest first. They are plain data so a new language or a new
spelling is one line.

Examples
--------
>>> words(YES_NO, "nl"), words(MONTHS, "xx")[:2]
(('Ja', 'Nee'), ('jan', 'feb'))
"""

from __future__ import annotations

__all__ = ["AGREEMENT", "ATTRITION", "CATEGORIES", "CHANNELS", "CITIES", "COMMENT_PARTS", "CONTRACTS", "COUNTRIES",
           "DEVICES", "EDUCATION", "FIRST_NAMES", "FREQUENCY", "GENDERS", "IMPORTANCE", "INTERESTS", "JOBS",
           "LANGUAGES", "LAST_NAMES", "LEVELS", "MARITAL", "MONTHS", "PAYMENT", "PRODUCT_WORDS", "REGIONS",
           "SALE_RETURN", "SATISFACTION", "STATUSES", "STREETS", "TIERS", "YES_NO", "words"]

#: The languages of names and values, English first.
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")


def words(table: dict, language: str) -> tuple:
    """``table``'s words in ``language``, or in English when it has none.

    Examples
    --------
    >>> words(GENDERS, "de")
    ('männlich', 'weiblich')
    """
    return table.get(language, table["en"])


YES_NO = {"en": ("Yes", "No"), "fr": ("Oui", "Non"), "de": ("Ja", "Nein"), "es": ("Sí", "No"),
          "it": ("Sì", "No"), "pt": ("Sim", "Não"), "nl": ("Ja", "Nee")}

MONTHS = {
    "en": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "pt": ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}

GENDERS = {"en": ("Male", "Female"), "fr": ("Homme", "Femme"), "de": ("männlich", "weiblich"),
           "es": ("Hombre", "Mujer"), "it": ("Maschio", "Femmina"), "pt": ("Masculino", "Feminino"),
           "nl": ("Man", "Vrouw")}

AGREEMENT = {
    "en": ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
    "fr": ("Pas du tout d'accord", "Pas d'accord", "Neutre", "D'accord", "Tout à fait d'accord"),
    "de": ("Stimme gar nicht zu", "Stimme nicht zu", "Neutral", "Stimme zu", "Stimme voll zu"),
    "es": ("Muy en desacuerdo", "En desacuerdo", "Neutral", "De acuerdo", "Muy de acuerdo"),
    "it": ("Per niente d'accordo", "In disaccordo", "Neutrale", "D'accordo", "Completamente d'accordo"),
    "pt": ("Discordo totalmente", "Discordo", "Neutro", "Concordo", "Concordo totalmente"),
    "nl": ("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"),
}

FREQUENCY = {
    "en": ("Never", "Rarely", "Sometimes", "Often", "Always"),
    "fr": ("Jamais", "Rarement", "Parfois", "Souvent", "Toujours"),
    "de": ("Nie", "Selten", "Manchmal", "Oft", "Immer"),
    "es": ("Nunca", "Rara vez", "A veces", "A menudo", "Siempre"),
    "it": ("Mai", "Raramente", "A volte", "Spesso", "Sempre"),
    "pt": ("Nunca", "Raramente", "Às vezes", "Frequentemente", "Sempre"),
    "nl": ("Nooit", "Zelden", "Soms", "Vaak", "Altijd"),
}

IMPORTANCE = {
    "en": ("Not at all important", "Slightly important", "Moderately important", "Very important",
           "Extremely important"),
    "fr": ("Pas du tout important", "Peu important", "Moyennement important", "Très important",
           "Extrêmement important"),
    "de": ("Überhaupt nicht wichtig", "Wenig wichtig", "Mittelmäßig wichtig", "Sehr wichtig", "Äußerst wichtig"),
    "es": ("Nada importante", "Poco importante", "Moderadamente importante", "Muy importante",
           "Extremadamente importante"),
    "it": ("Per niente importante", "Poco importante", "Abbastanza importante", "Molto importante",
           "Estremamente importante"),
    "pt": ("Nada importante", "Pouco importante", "Moderadamente importante", "Muito importante",
           "Extremamente importante"),
    "nl": ("Helemaal niet belangrijk", "Weinig belangrijk", "Redelijk belangrijk", "Zeer belangrijk",
           "Uiterst belangrijk"),
}

#: Three-level scales: the first holds ``Low/Medium/High``, the second ``Low/Average/High``.
LEVELS = {
    "en": (("Low", "Medium", "High"), ("Low", "Average", "High")),
    "fr": (("Faible", "Moyen", "Élevé"), ("Bas", "Moyen", "Haut")),
    "de": (("Niedrig", "Mittel", "Hoch"), ("Gering", "Durchschnittlich", "Hoch")),
    "es": (("Bajo", "Medio", "Alto"), ("Bajo", "Promedio", "Alto")),
    "it": (("Basso", "Medio", "Alto"), ("Basso", "Nella media", "Alto")),
    "pt": (("Baixo", "Médio", "Alto"), ("Baixo", "Mediano", "Alto")),
    "nl": (("Laag", "Gemiddeld", "Hoog"), ("Laag", "Middel", "Hoog")),
}

TIERS = {"en": ("Bronze", "Silver", "Gold", "Platinum"), "fr": ("Bronze", "Argent", "Or", "Platine"),
         "de": ("Bronze", "Silber", "Gold", "Platin"), "es": ("Bronce", "Plata", "Oro", "Platino"),
         "it": ("Bronzo", "Argento", "Oro", "Platino"), "pt": ("Bronze", "Prata", "Ouro", "Platina"),
         "nl": ("Brons", "Zilver", "Goud", "Platina")}

COUNTRIES = {
    "en": ("United Kingdom", "France", "Germany", "Spain", "Italy", "Portugal", "Netherlands", "Belgium", "USA",
           "Ireland"),
    "fr": ("France", "Belgique", "Suisse", "Allemagne", "Espagne", "Italie", "Royaume-Uni", "Luxembourg"),
    "de": ("Deutschland", "Österreich", "Schweiz", "Frankreich", "Niederlande", "Italien", "Polen"),
    "es": ("España", "México", "Argentina", "Francia", "Portugal", "Colombia", "Chile"),
    "it": ("Italia", "Francia", "Germania", "Spagna", "Svizzera", "Austria"),
    "pt": ("Portugal", "Brasil", "Espanha", "França", "Angola", "Moçambique"),
    "nl": ("Nederland", "België", "Duitsland", "Frankrijk", "Verenigd Koninkrijk"),
}

REGIONS = {"en": ("North", "South", "East", "West", "Central"), "fr": ("Nord", "Sud", "Est", "Ouest", "Centre"),
           "de": ("Nord", "Süd", "Ost", "West", "Mitte"), "es": ("Norte", "Sur", "Este", "Oeste", "Centro"),
           "it": ("Nord", "Sud", "Est", "Ovest", "Centro"), "pt": ("Norte", "Sul", "Este", "Oeste", "Centro"),
           "nl": ("Noord", "Zuid", "Oost", "West", "Midden")}

CITIES = {
    "en": ("London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff", "Liverpool", "Sheffield", "New York",
           "Chicago", "Boston", "Seattle", "Denver", "Austin", "Dublin", "Cork"),
    "fr": ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Strasbourg", "Rennes", "Nice",
           "Bruxelles", "Genève"),
    "de": ("Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Wien", "Zürich",
           "Bremen", "Dresden"),
    "es": ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga", "Zaragoza", "Murcia", "Palma",
           "Granada", "Ciudad de México", "Bogotá"),
    "it": ("Roma", "Milano", "Napoli", "Torino", "Palermo", "Genova", "Bologna", "Firenze", "Bari", "Venezia"),
    "pt": ("Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "São Paulo", "Rio de Janeiro", "Recife"),
    "nl": ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Antwerpen",
           "Gent"),
}

CHANNELS = {"en": ("Online", "Store", "Phone", "App"), "fr": ("Internet", "Magasin", "Téléphone", "Appli"),
            "de": ("Online", "Filiale", "Telefon", "App"), "es": ("Online", "Tienda", "Teléfono", "App"),
            "it": ("Online", "Negozio", "Telefono", "App"), "pt": ("Online", "Loja", "Telefone", "App"),
            "nl": ("Online", "Winkel", "Telefoon", "App")}

CATEGORIES = {
    "en": ("Wines", "Fruits", "Meat", "Fish", "Sweets", "Gold", "Books", "Toys", "Garden", "Electronics"),
    "fr": ("Vins", "Fruits", "Viande", "Poisson", "Confiserie", "Bijoux", "Livres", "Jouets", "Jardin",
           "Électronique"),
    "de": ("Wein", "Obst", "Fleisch", "Fisch", "Süßwaren", "Schmuck", "Bücher", "Spielzeug", "Garten", "Elektronik"),
    "es": ("Vinos", "Frutas", "Carne", "Pescado", "Dulces", "Joyas", "Libros", "Juguetes", "Jardín", "Electrónica"),
    "it": ("Vini", "Frutta", "Carne", "Pesce", "Dolci", "Gioielli", "Libri", "Giocattoli", "Giardino",
           "Elettronica"),
    "pt": ("Vinhos", "Fruta", "Carne", "Peixe", "Doces", "Joias", "Livros", "Brinquedos", "Jardim", "Eletrónica"),
    "nl": ("Wijn", "Fruit", "Vlees", "Vis", "Snoep", "Sieraden", "Boeken", "Speelgoed", "Tuin", "Elektronica"),
}

#: A purchase log's line types: (sale, return).
SALE_RETURN = {"en": ("sale", "refund"), "fr": ("vente", "retour"), "de": ("Verkauf", "Rückgabe"),
               "es": ("venta", "devolución"), "it": ("vendita", "reso"), "pt": ("venda", "devolução"),
               "nl": ("verkoop", "retour")}

PAYMENT = {"en": ("Credit card", "PayPal", "Bank transfer", "Cash", "Electronic check"),
           "fr": ("Carte bancaire", "PayPal", "Virement", "Espèces", "Chèque"),
           "de": ("Kreditkarte", "PayPal", "Überweisung", "Bar", "Lastschrift"),
           "es": ("Tarjeta", "PayPal", "Transferencia", "Efectivo", "Bizum"),
           "it": ("Carta di credito", "PayPal", "Bonifico", "Contanti", "Satispay"),
           "pt": ("Cartão", "PayPal", "Transferência", "Dinheiro", "MB Way"),
           "nl": ("Creditcard", "PayPal", "Overschrijving", "Contant", "iDEAL")}

CONTRACTS = {"en": ("Month-to-month", "One year", "Two year"), "fr": ("Mensuel", "Un an", "Deux ans"),
             "de": ("Monatlich", "Ein Jahr", "Zwei Jahre"), "es": ("Mensual", "Un año", "Dos años"),
             "it": ("Mensile", "Un anno", "Due anni"), "pt": ("Mensal", "Um ano", "Dois anos"),
             "nl": ("Maandelijks", "Eén jaar", "Twee jaar")}

INTERESTS = {"en": ("Sports", "Travel", "Cooking", "Music", "Gaming", "Fashion", "Reading", "Outdoors"),
             "fr": ("Sport", "Voyages", "Cuisine", "Musique", "Jeux vidéo", "Mode", "Lecture", "Nature"),
             "de": ("Sport", "Reisen", "Kochen", "Musik", "Gaming", "Mode", "Lesen", "Natur"),
             "es": ("Deporte", "Viajes", "Cocina", "Música", "Videojuegos", "Moda", "Lectura", "Naturaleza"),
             "it": ("Sport", "Viaggi", "Cucina", "Musica", "Videogiochi", "Moda", "Lettura", "Natura"),
             "pt": ("Desporto", "Viagens", "Culinária", "Música", "Jogos", "Moda", "Leitura", "Natureza"),
             "nl": ("Sport", "Reizen", "Koken", "Muziek", "Gamen", "Mode", "Lezen", "Natuur")}

JOBS = {"en": ("admin.", "blue-collar", "technician", "services", "management", "retired", "student",
               "entrepreneur", "self-employed", "unemployed", "Healthcare", "Engineer", "Lawyer", "Artist"),
        "fr": ("employé", "ouvrier", "technicien", "cadre", "retraité", "étudiant", "artisan", "sans emploi",
               "profession libérale"),
        "de": ("Angestellter", "Arbeiter", "Techniker", "Führungskraft", "Rentner", "Student", "Selbstständig",
               "Arbeitslos", "Beamter"),
        "es": ("administrativo", "obrero", "técnico", "directivo", "jubilado", "estudiante", "autónomo", "desempleado"),
        "it": ("impiegato", "operaio", "tecnico", "dirigente", "pensionato", "studente", "libero professionista",
               "disoccupato"),
        "pt": ("administrativo", "operário", "técnico", "gestor", "reformado", "estudante", "independente",
               "desempregado"),
        "nl": ("bediende", "arbeider", "technicus", "manager", "gepensioneerd", "student", "zelfstandige",
               "werkloos")}

EDUCATION = {"en": ("Basic", "2n Cycle", "Graduation", "Master", "PhD"),
             "fr": ("Primaire", "Secondaire", "Licence", "Master", "Doctorat"),
             "de": ("Hauptschule", "Realschule", "Abitur", "Bachelor", "Master", "Promotion"),
             "es": ("Primaria", "Secundaria", "Grado", "Máster", "Doctorado"),
             "it": ("Elementare", "Media", "Diploma", "Laurea", "Dottorato"),
             "pt": ("Básico", "Secundário", "Licenciatura", "Mestrado", "Doutoramento"),
             "nl": ("Basisonderwijs", "Middelbaar", "HBO", "WO", "Doctoraat")}

MARITAL = {"en": ("Single", "Married", "Divorced", "Together", "Widow"),
           "fr": ("Célibataire", "Marié", "Divorcé", "Pacsé", "Veuf"),
           "de": ("ledig", "verheiratet", "geschieden", "verwitwet"),
           "es": ("Soltero", "Casado", "Divorciado", "Viudo", "Pareja de hecho"),
           "it": ("Celibe", "Sposato", "Divorziato", "Vedovo"),
           "pt": ("Solteiro", "Casado", "Divorciado", "Viúvo", "União de facto"),
           "nl": ("Alleenstaand", "Gehuwd", "Gescheiden", "Weduwe", "Samenwonend")}

DEVICES = {
    "os": ("Android", "iOS"),
    "model": ("Google Pixel 5", "iPhone 12", "Samsung Galaxy S21", "OnePlus 9", "Xiaomi Mi 11", "iPhone 14"),
    "browser": ("Chrome", "Safari", "Firefox", "Edge", "Samsung Internet"),
    "type": ("mobile", "desktop", "tablet"),
    "internet": ("DSL", "Fiber optic", "No"),
}

SATISFACTION = {"en": ("satisfied", "neutral or dissatisfied"), "fr": ("satisfait", "neutre ou insatisfait"),
                "de": ("zufrieden", "neutral oder unzufrieden"), "es": ("satisfecho", "neutral o insatisfecho"),
                "it": ("soddisfatto", "neutrale o insoddisfatto"), "pt": ("satisfeito", "neutro ou insatisfeito"),
                "nl": ("tevreden", "neutraal of ontevreden")}

ATTRITION = {"en": ("Existing Customer", "Attrited Customer"), "fr": ("Client actif", "Client parti"),
             "de": ("Bestandskunde", "Abgewandert"), "es": ("Cliente activo", "Cliente perdido"),
             "it": ("Cliente attivo", "Cliente perso"), "pt": ("Cliente ativo", "Cliente perdido"),
             "nl": ("Bestaande klant", "Vertrokken klant")}

#: Order or payment statuses of a purchase log's lines.
STATUSES = {"en": ("paid", "paid", "paid", "pending", "refunded", "failed"),
            "fr": ("payé", "payé", "payé", "en attente", "remboursé", "échoué"),
            "de": ("bezahlt", "bezahlt", "bezahlt", "offen", "erstattet", "fehlgeschlagen"),
            "es": ("pagado", "pagado", "pagado", "pendiente", "reembolsado", "fallido"),
            "it": ("pagato", "pagato", "pagato", "in attesa", "rimborsato", "fallito"),
            "pt": ("pago", "pago", "pago", "pendente", "reembolsado", "falhado"),
            "nl": ("betaald", "betaald", "betaald", "open", "terugbetaald", "mislukt")}

FIRST_NAMES = ("James", "Mary", "Olivia", "Noah", "Emma", "Lucas", "Léa", "Hugo", "Chloé", "Lukas", "Mia", "Jonas",
               "Sofía", "Mateo", "Lucía", "Giulia", "Leonardo", "Francesca", "João", "Beatriz", "Tiago", "Daan",
               "Sanne", "Bram", "Amélie", "Felix", "Marta", "Pablo", "Chiara", "Inês")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Martin", "Bernard", "Dubois", "Müller", "Schmidt", "Schneider",
              "García", "Fernández", "López", "Rossi", "Russo", "Bianchi", "Silva", "Santos", "Ferreira", "de Jong",
              "Jansen", "de Vries", "Hargrave", "Onio", "Mitchell", "Chikwado", "Okafor", "Nguyen", "Kowalski",
              "Novak")
STREETS = {"en": ("Main Street", "High Street", "Station Road", "Church Lane", "Park Avenue"),
           "fr": ("rue de la Paix", "avenue Victor Hugo", "boulevard Voltaire", "rue des Lilas"),
           "de": ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße"),
           "es": ("Calle Mayor", "Avenida de la Constitución", "Calle del Sol"),
           "it": ("Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante"),
           "pt": ("Rua Augusta", "Avenida da Liberdade", "Rua do Comércio"),
           "nl": ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg")}

#: Pieces of free-text comments: openings, subjects and endings, joined at random.
COMMENT_PARTS = {
    "en": (("Called about", "Asked for", "Complained about", "Happy with", "Wants"),
           ("the delivery", "a refund", "the new app", "store opening hours", "a bigger size", "the invoice",
            "loyalty points", "the discount"),
           ("", "- follow up next week", "(urgent)", "again", "see previous note")),
    "fr": (("A appelé pour", "Demande", "Se plaint de", "Satisfait de", "Souhaite"),
           ("la livraison", "un remboursement", "la nouvelle appli", "les horaires", "la facture", "ses points"),
           ("", "- rappeler", "(urgent)", "encore", "voir note")),
    "de": (("Rief an wegen", "Fragt nach", "Beschwerde über", "Zufrieden mit", "Wünscht"),
           ("der Lieferung", "einer Erstattung", "der neuen App", "den Öffnungszeiten", "der Rechnung"),
           ("", "- Rückruf", "(dringend)", "erneut", "siehe Notiz")),
}

#: Words product descriptions are made of (an Online Retail style ``WHITE HANGING HEART ...``).
PRODUCT_WORDS = (("WHITE", "RED", "BLUE", "VINTAGE", "PINK", "GREEN", "SMALL", "JUMBO", "RETRO", "SET OF 3"),
                 ("HANGING", "PAPER", "CERAMIC", "WOODEN", "GLASS", "METAL", "KNITTED", "SPOTTY", "FLORAL"),
                 ("HEART", "LANTERN", "MUG", "BAG", "CANDLE", "CLOCK", "BOTTLE", "TIN", "CUSHION", "BUNTING"))
