"""segkit's vocabulary, defined once: column roles, role groups, segmentation bases, the basis
of each role and of each purchase-log feature, the kinds of column values, the fixed feature
names, the clustering algorithms, yes/no answers and the ordered answer scales.

Every other module imports these names from here; nothing here imports from the rest of
segkit, so any stage may use it.

Examples
--------
>>> from segkit import schema
>>> schema.ROLE_BASES["behaviour"], schema.basis_name("Behaviour")
('behavioural', 'behavioural')
>>> schema.scale_order(["Agree", "Strongly disagree", "Neutral"])
['Strongly disagree', 'Neutral', 'Agree']
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata

from segkit.exceptions import ConfigError

__all__ = [
    "ALGORITHMS", "ALL_ROLES", "ATTITUDE_SCALES", "BASES", "BASIS_ALIASES", "CALL_ROLES", "CONFIG_ROLE_KEYS",
    "FEATURE_COLUMNS", "FLAG_VALUES", "GROUP_ROLES", "KINDS", "KIND_WORDS", "LOG_ROLES", "LOG_ROLE_BASES",
    "MIN_SCALE_LEVELS", "NO_ANSWER_LEVELS", "NUMBER_KINDS", "ORDERED_SCALES", "PREFIX_SCALES", "OUTCOME_BASIS", "ROLE_BASES", "SHARED_ROLES", "SINGLE_ROLES",
    "TRANSACTION_BASES", "TRANSACTION_KINDS", "TRANSACTION_ROLES", "UNKNOWN_LEVELS", "basis_name", "call_basis", "is_unknown_level",
    "log_basis", "scale_key", "scale_kind", "scale_order",
]

# --------------------------------------------------------------------------------- column roles

#: Roles held by one column each, in :class:`segkit.io.ColumnRoles` order.
SINGLE_ROLES = ("customer_id", "date", "amount", "quantity", "price", "invoice", "channel", "category", "country")
#: Roles held by a list of columns: the segmentation bases of a customer table, its campaign
#: responses and its other outcomes (churn, a segment label, a default: profiled per segment,
#: never clustered unless asked), and identifiers (personal data).
GROUP_ROLES = ("demographics", "geography", "behaviour", "psychographics", "technographics", "campaigns",
               "outcomes", "identifiers")
#: Roles only a purchase log has beyond the single roles: a return-marking column (``type``),
#: a time-of-day column beside a date, a refunded amount beside the paid one.
LOG_ROLES = ("returns", "time", "refunded")
#: Every one-column role a config may name under ``columns:``.
CONFIG_ROLE_KEYS = (*SINGLE_ROLES, *LOG_ROLES)
#: Roles both a customer table and a purchase log may have.
SHARED_ROLES = ("customer_id", "country")
#: The config's roles that describe a purchase log.
TRANSACTION_ROLES = tuple(r for r in CONFIG_ROLE_KEYS if r not in SHARED_ROLES)
#: Every role a table's column roles hold, in order: the roles above, and ``order_fields`` (a
#: purchase log's columns written on each order's first line only), which only detection sets.
ALL_ROLES = (*SINGLE_ROLES, *GROUP_ROLES, *LOG_ROLES, "order_fields")

# --------------------------------------------------------------------------------- column calls

#: What a column's values are: every column of a table gets one kind (:mod:`segkit.io.judge`).
#: ``money``, ``count``, ``quantity`` and ``share`` are numbers; a ``code`` labels things (a
#: category, whether written as text or as numbers such as channel 1/2); a ``flag`` is a yes/no
#: answer; an ``ordinal`` an ordered scale (agreement, bands, ratings, months, days of the
#: month); an ``outcome`` an answer to predict or a result of the past; ``options`` the answers to
#: a multi-select question (``Price;Quality`` in one cell, or one column per option holding the
#: option's name when chosen), one yes/no feature per option.
KINDS = ("money", "count", "quantity", "share", "code", "flag", "ordinal", "date", "identifier", "text", "outcome",
         "options")
#: The kinds that are numbers to compute with.
NUMBER_KINDS = ("money", "count", "quantity", "share")
#: Each kind in words, for evidence and tables.
KIND_WORDS = {"money": "money", "count": "count", "quantity": "quantity", "share": "share", "code": "code/category",
              "flag": "yes/no flag", "ordinal": "ordered scale", "date": "date", "identifier": "identifier",
              "text": "free text", "outcome": "outcome", "options": "multi-select options"}

#: The role a column call gives a column, per kind of table: a customer table's role groups
#: (``outcome`` for campaign responses and other outcomes alike), its id and dates, a column
#: with one value, or none; a purchase log's single roles, personal data, or none.
CALL_ROLES = {
    "customers": ("customer_id", "date", "demographics", "geography", "behaviour", "psychographics",
                  "technographics", "outcome", "identifiers", "constant", "weight", "none"),
    "transactions": (*SINGLE_ROLES, *LOG_ROLES, "identifiers", "none"),
}

#: The basis of the features a purchase-log column feeds (see :func:`log_basis`): amounts make
#: ``monetary`` and ``avg_order_value``, dates and orders recency, frequency and tenure, channel
#: and category shares are behavioural, country shares geographic.
LOG_ROLE_BASES = {
    "amount": "value", "price": "value", "quantity": "value", "refunded": "value", "returns": "value",
    "date": "behavioural", "time": "behavioural", "invoice": "behavioural",
    "channel": "behavioural", "category": "behavioural", "country": "geographic",
}

#: The tag of an outcome's features in a feature table: profiled, never a segmentation basis.
OUTCOME_BASIS = "outcome"


def call_basis(table_kind: str, role: str) -> str:
    """The segmentation basis a column with ``role`` feeds, or ``"none"`` (ids, dates, outcomes, ...).

    Examples
    --------
    >>> call_basis("customers", "demographics"), call_basis("customers", "outcome")
    ('demographic', 'none')
    >>> call_basis("transactions", "amount")
    'value'
    """
    bases = ROLE_BASES if table_kind == "customers" else LOG_ROLE_BASES
    return bases.get(role, "none") if role != "campaigns" else "none"


# --------------------------------------------------------------------------------- bases

#: The seven segmentation bases, in report order.
BASES = ("demographic", "geographic", "behavioural", "psychographic", "technographic", "value", "campaign")

#: Role group -> basis of its columns.
ROLE_BASES = {
    "demographics": "demographic",
    "geography": "geographic",
    "behaviour": "behavioural",
    "psychographics": "psychographic",
    "technographics": "technographic",
    "value": "value",
    "campaigns": "campaign",
}

#: Names the config and analysts use for the bases ("behaviour", "demographics", ...).
BASIS_ALIASES = {
    "demographics": "demographic",
    "geography": "geographic",
    "geo": "geographic",
    "behaviour": "behavioural",
    "behavior": "behavioural",
    "behavioral": "behavioural",
    "psychographics": "psychographic",
    "technographics": "technographic",
    "campaigns": "campaign",
    "campaign_history": "campaign",
    "rfm": "value",
}


def basis_name(name: str) -> str:
    """The basis ``name`` stands for (an alias or any case), or a :class:`ConfigError`.

    Examples
    --------
    >>> basis_name("Demographics"), basis_name("rfm")
    ('demographic', 'value')
    """
    key = str(name).strip().lower()
    key = BASIS_ALIASES.get(key, key)
    if key not in BASES:
        close = difflib.get_close_matches(str(name), [*BASES, *BASIS_ALIASES], n=3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"basis {name!r} is unknown{hint} Expected one of {list(BASES)}")
    return key


# --------------------------------------------------------------------------------- features

#: Fixed names of the purchase-log features, in output order (revenue shares follow).
FEATURE_COLUMNS: tuple[str, ...] = (
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "avg_order_value",
    "avg_days_between_orders",
    "return_rate",
    "first_purchase",
    "last_purchase",
)

#: Basis of each purchase-log feature; ``share_country_*`` revenue shares are geographic,
#: the other ``share_*`` columns (channel, category) behavioural.
TRANSACTION_BASES = {
    "recency_days": "behavioural",
    "frequency": "behavioural",
    "monetary": "value",
    "tenure_days": "behavioural",
    "avg_order_value": "value",
    "avg_days_between_orders": "behavioural",
    "return_rate": "behavioural",
    "first_purchase": "behavioural",
    "last_purchase": "behavioural",
}


#: Kind of each purchase-log feature; ``share_*`` revenue shares are shares.
TRANSACTION_KINDS = {
    "recency_days": "count",
    "frequency": "count",
    "monetary": "money",
    "tenure_days": "count",
    "avg_order_value": "money",
    "avg_days_between_orders": "quantity",
    "return_rate": "share",
    "first_purchase": "date",
    "last_purchase": "date",
}


def log_basis(column: str) -> str:
    """The basis of a purchase-log feature.

    Examples
    --------
    >>> log_basis("monetary"), log_basis("share_country_france"), log_basis("share_channel_web")
    ('value', 'geographic', 'behavioural')
    """
    if column in TRANSACTION_BASES:
        return TRANSACTION_BASES[column]
    return "geographic" if column.startswith("share_country_") else "behavioural"


#: Values accepted by ``Segmenter(algorithm=...)`` and ``segmentation.algorithm``.
ALGORITHMS = ("auto", "kmeans", "gmm", "agglomerative", "hdbscan", "kprototypes", "latent_class")

# --------------------------------------------------------------------------------- answers

#: Yes/no answers (lower case) and the 0/1 they stand for, in English and the six other
#: languages segkit reads.
FLAG_VALUES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1, "false": 0, "true": 1, "f": 0, "t": 1, "no": 0, "yes": 1,
               "n": 0, "y": 1, "non": 0, "oui": 1, "nein": 0, "ja": 1, "si": 1, "sí": 1, "sì": 1, "sim": 1,
               "não": 0, "nao": 0, "nee": 0, "vrai": 1, "faux": 0, "wahr": 1, "falsch": 0, "verdadero": 1,
               "vero": 1, "verdadeiro": 1, "falso": 0, "waar": 1, "onwaar": 0}

#: Levels that say the answer is not known ("None/Unknown", "Unknown", "inconnu"): not a point
#: of an ordered scale, and never a word of a segment name.
UNKNOWN_LEVELS = frozenset({"unknown", "none/unknown", "unknown/none", "not known", "n/k", "not stated", "other/unknown",
                            "prefer not to say", "inconnu", "unbekannt", "desconocido", "sconosciuto", "desconhecido",
                            "onbekend", "none / unknown"})


#: Survey answers that are no answer: not applicable, don't know, prefer not to say. Missing
#: values (with a note), never a point of a scale (:func:`segkit.io.answers.answer_codes`).
NO_ANSWER_LEVELS = frozenset({
    "not applicable", "n/a", "n.a.", "na", "does not apply", "doesn't apply", "not relevant", "prefer not to say",
    "prefer not to answer", "rather not say", "i'd rather not say", "don't know", "dont know", "do not know",
    "don't know / not sure", "not sure", "dk", "no answer", "refused", "declined", "declined to answer",
    "no response", "ne sait pas", "ne se prononce pas", "sans objet", "weiss nicht", "keine angabe", "no sabe",
    "no contesta", "no aplica", "non so", "nao sei", "weet niet", "geen antwoord", "niet van toepassing"})


#: Unknown levels that also say "none" ("None/Unknown" kids): the bottom of a scale, below its first point.
_NONE_LEVELS = frozenset({"none/unknown", "unknown/none", "none / unknown"})


def is_unknown_level(level) -> bool:
    """Whether a level says the answer is not known.

    Examples
    --------
    >>> is_unknown_level("None/Unknown"), is_unknown_level(" Unbekannt"), is_unknown_level("Renter")
    (True, True, False)
    """
    return scale_key(level) in _UNKNOWN_KEYS

# --------------------------------------------------------------------------------- ordered scales

#: Ordered answer scales, lowest rank first; the spellings in one tuple share a rank, in English
#: and the six other languages segkit reads. Levels are compared as :func:`scale_key` writes
#: them (case-folded, without accents or a trailing dot, runs of spaces, hyphens and
#: underscores one space: ``"Tout à fait d'accord"`` is ``"tout a fait d'accord"``). The first
#: scale holding every level of a column gives its order (see :func:`scale_order`); add a scale
#: or a spelling here.
ORDERED_SCALES: dict[str, tuple[tuple[str, ...], ...]] = {
    "agreement": (
        ("strongly disagree", "completely disagree", "totally disagree", "pas du tout d'accord",
         "stimme gar nicht zu", "muy en desacuerdo", "per niente d'accordo", "discordo totalmente", "helemaal oneens"),
        ("disagree", "pas d'accord", "stimme nicht zu", "en desacuerdo", "in disaccordo", "discordo", "oneens"),
        ("somewhat disagree", "slightly disagree", "tend to disagree", "mostly disagree", "plutot pas d'accord",
         "stimme eher nicht zu"),
        ("neither agree nor disagree", "neither agree or disagree", "neutral", "neutre", "neutro", "neutrale",
         "neutraal"),
        ("somewhat agree", "slightly agree", "tend to agree", "mostly agree", "plutot d'accord", "stimme eher zu"),
        ("agree", "d'accord", "stimme zu", "de acuerdo", "d'accordo", "concordo", "eens"),
        ("strongly agree", "completely agree", "totally agree", "tout a fait d'accord", "stimme voll zu",
         "muy de acuerdo", "completamente d'accordo", "concordo totalmente", "helemaal eens"),
    ),
    "satisfaction": (
        ("very dissatisfied", "extremely dissatisfied", "very unsatisfied", "completely dissatisfied",
         "tres insatisfait", "sehr unzufrieden", "muy insatisfecho", "molto insoddisfatto", "muito insatisfeito",
         "zeer ontevreden"),
        ("dissatisfied", "unsatisfied", "insatisfait", "unzufrieden", "insatisfecho", "insoddisfatto",
         "insatisfeito", "ontevreden"),
        ("somewhat dissatisfied", "slightly dissatisfied", "fairly dissatisfied"),
        ("neither satisfied nor dissatisfied", "neither satisfied or dissatisfied", "neutral", "neutre", "neutro",
         "neutrale", "neutraal"),
        ("somewhat satisfied", "slightly satisfied", "fairly satisfied"),
        ("satisfied", "satisfait", "zufrieden", "satisfecho", "soddisfatto", "satisfeito", "tevreden"),
        ("very satisfied", "extremely satisfied", "completely satisfied", "tres satisfait", "sehr zufrieden",
         "muy satisfecho", "molto soddisfatto", "muito satisfeito", "zeer tevreden"),
    ),
    "likelihood": (
        ("very unlikely", "extremely unlikely", "not at all likely"),
        ("unlikely", "not likely"),
        ("somewhat unlikely", "slightly unlikely"),
        ("neither likely nor unlikely", "neither likely or unlikely", "neutral"),
        ("somewhat likely", "slightly likely"),
        ("likely",),
        ("very likely", "extremely likely"),
    ),
    "importance": (
        ("not at all important", "not important", "unimportant", "pas du tout important", "uberhaupt nicht wichtig",
         "gar nicht wichtig", "nada importante", "per niente importante", "helemaal niet belangrijk"),
        ("slightly important", "not very important", "peu important", "wenig wichtig", "poco importante",
         "pouco importante", "weinig belangrijk"),
        ("moderately important", "somewhat important", "fairly important", "moyennement important",
         "mittelmassig wichtig", "moderadamente importante", "abbastanza importante", "redelijk belangrijk"),
        ("important", "wichtig", "importante", "belangrijk"),
        ("very important", "tres important", "sehr wichtig", "muy importante", "molto importante", "muito importante",
         "zeer belangrijk"),
        ("extremely important", "extremement important", "ausserst wichtig", "extremadamente importante",
         "estremamente importante", "extremamente importante", "uiterst belangrijk"),
    ),
    "frequency": (
        ("never", "jamais", "nie", "niemals", "nunca", "mai", "nooit"),
        ("rarely", "seldom", "almost never", "hardly ever", "rarement", "selten", "rara vez", "raramente", "zelden"),
        ("sometimes", "occasionally", "parfois", "manchmal", "a veces", "a volte", "as vezes", "soms"),
        ("often", "frequently", "regularly", "souvent", "oft", "haufig", "a menudo", "spesso", "frequentemente",
         "vaak"),
        ("usually", "very often", "almost always", "most of the time", "meistens"),
        ("always", "toujours", "immer", "siempre", "sempre", "altijd"),
    ),
    "period": (  # how often, as calendar periods: 'Rarely < Monthly < Weekly < Daily'
        ("never", "not at all", "jamais", "nie", "nunca", "nooit"),
        ("rarely", "less than once a year", "less often", "hardly ever"),
        ("yearly", "once a year", "annually", "a few times a year", "several times a year", "every few months"),
        ("quarterly", "every three months", "every 3 months"),
        ("less than once a month", "less than monthly"),
        ("monthly", "once a month", "every month", "about once a month", "1 3 times a month", "a few times a month",
         "several times a month", "mensuel", "monatlich", "mensual"),
        ("every two weeks", "fortnightly", "biweekly", "every other week", "twice a month"),
        ("weekly", "once a week", "every week", "about once a week", "1 2 times a week", "hebdomadaire",
         "wochentlich", "semanal"),
        ("a few times a week", "several times a week", "2 3 times a week", "3 4 times a week",
         "most days", "4 6 times a week"),
        ("daily", "every day", "once a day", "almost every day", "quotidien", "taglich", "diario"),
        ("several times a day", "many times a day", "multiple times a day", "hourly", "constantly"),
    ),
    "concern": (
        ("not at all concerned", "not concerned at all", "unconcerned", "not at all worried"),
        ("not very concerned", "not concerned", "slightly concerned", "a little concerned", "not very worried",
         "a little worried"),
        ("somewhat concerned", "moderately concerned", "fairly concerned", "somewhat worried"),
        ("concerned", "worried"),
        ("very concerned", "very worried"),
        ("extremely concerned", "extremely worried"),
    ),
    "stage": (  # stages of a habit, matched by their first word ('never smoked', 'former smoker')
        ("never", "non", "nonsmoker", "non smoker", "abstainer"),
        ("tried", "experimented", "experimenting", "tried it"),
        ("former", "ex", "quit", "stopped", "past", "previously"),
        ("occasional", "occasionally", "social"),
        ("current", "currently", "regular", "daily"),
    ),
    "education": (
        ("no formal education", "none", "no schooling", "less than high school", "primary", "primary school",
         "elementary", "elementary school", "grade school", "basic education"),
        ("lower secondary", "middle school", "some high school", "junior high"),
        ("high school", "highschool", "high school graduate", "secondary", "secondary school", "secondary education",
         "ged", "a levels", "gcse", "upper secondary", "lycee", "abitur", "bachillerato"),
        ("some college", "vocational", "vocational training", "trade school", "technical school", "apprenticeship",
         "associate", "associate degree", "associate's degree", "diploma", "college diploma", "post secondary"),
        ("bachelor", "bachelors", "bachelor's", "bachelor's degree", "bachelors degree", "undergraduate",
         "undergraduate degree", "college degree", "college graduate", "university degree", "licence", "ba", "bsc"),
        ("master", "masters", "master's", "master's degree", "masters degree", "postgraduate", "graduate degree",
         "mba", "ma", "msc"),
        ("doctorate", "doctoral degree", "phd", "ph d", "ph.d", "doctorat", "promotion", "professional degree"),
    ),
    "quality": (
        ("very poor", "very bad", "terrible"),
        ("poor", "bad"),
        ("fair", "average", "ok", "okay"),
        ("good",),
        ("very good",),
        ("excellent",),
    ),
    "relative": (
        ("far below average", "well below average"),
        ("below average",),
        ("average",),
        ("above average",),
        ("far above average", "well above average"),
    ),
    "amount": (
        ("very low", "tres faible", "sehr niedrig", "muy bajo", "molto basso", "muito baixo", "zeer laag"),
        ("low", "faible", "bas", "niedrig", "gering", "bajo", "basso", "baixo", "laag"),
        ("medium", "moderate", "mid", "middle", "average", "moyen", "mittel", "durchschnittlich", "medio",
         "promedio", "nella media", "mediano", "gemiddeld", "middel"),
        ("high", "eleve", "haut", "hoch", "alto", "hoog"),
        ("very high", "tres eleve", "sehr hoch", "muy alto", "molto alto", "muito alto", "zeer hoog"),
    ),
    "size": (
        ("xxs", "2xs"),
        ("xs", "extra small"),
        ("s", "small"),
        ("m", "medium"),
        ("l", "large"),
        ("xl", "extra large"),
        ("xxl", "2xl"),
        ("xxxl", "3xl"),
    ),
    "tier": (
        ("bronze", "bronce", "bronzo", "brons"),
        ("silver", "argent", "silber", "plata", "argento", "prata", "zilver"),
        ("gold", "or", "oro", "ouro", "goud"),
        ("platinum", "platine", "platin", "platino", "platina"),
        ("diamond", "diamant", "diamante"),
    ),
    "month": (
        ("jan", "january", "janvier", "janv", "januar", "janner", "enero", "ene", "gennaio", "gen", "janeiro",
         "januari"),
        ("feb", "february", "fevrier", "fevr", "februar", "febrero", "febbraio", "fevereiro", "fev", "februari"),
        ("mar", "march", "mars", "marz", "marzo", "marco", "maart", "mrt"),
        ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
        ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
        ("jun", "june", "juin", "juni", "junio", "giugno", "giu", "junho"),
        ("jul", "july", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho"),
        ("aug", "august", "aout", "agosto", "ago", "augustus"),
        ("sep", "sept", "september", "septembre", "septiembre", "settembre", "set", "setembro"),
        ("oct", "october", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out"),
        ("nov", "november", "novembre", "noviembre", "novembro"),
        ("dec", "december", "decembre", "dez", "dezember", "diciembre", "dic", "dicembre", "dezembro"),
    ),
}

#: Scales whose levels are matched by their first word when the whole level is not a spelling
#: of the scale: stages of a habit are written 'never smoked', 'former drinker', 'current user'.
PREFIX_SCALES = frozenset({"stage"})

#: An ordered scale needs at least this many distinct levels in a column (two are a flag).
MIN_SCALE_LEVELS = 3

# Numeric bands: "18-24", "25 to 34", "$20,000 - $39,999", "20-40k", "65+", "100k or more",
# "<20k", "under 18", "over 65". A number may carry a currency sign, thousands separators and a
# k/m multiplier; a trailing "years" ("ans", "Jahre", "años", "anni", "anos", "jaar") is allowed.
_NUMBER = r"[$£€]?\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?"
_UNIT = r"(?:\s*(?:years?|yrs?|ans|jahre|anos|años|anni|jaar))?"
_BAND_FORMS = (  # (pattern, which bound the first and second numbers are)
    (rf"{_NUMBER}\s*(?:-|–|—|to|à|a|bis|al)\s*{_NUMBER}", ("low", "high")),
    (rf"{_NUMBER}\s*(?:\+|(?:and|or)\s+(?:over|above|more|older|higher))", ("low",)),
    (rf"(?:>|>=|≥|over|above|more than|at least)\s*{_NUMBER}", ("low",)),
    (rf"(?:<|<=|≤|under|below|less than|up to)\s*{_NUMBER}", ("high",)),
    (_NUMBER, ("low", "high")),  # a bare number: a one-value band ("0" children)
)
_BAND_PATTERNS = tuple((re.compile(rf"^\s*{form}{_UNIT}\s*$", re.I), bounds) for form, bounds in _BAND_FORMS)
_MULTIPLIERS = {None: 1.0, "": 1.0, "k": 1e3, "m": 1e6}


def scale_key(level: str) -> str:
    """A scale level as scales compare it: case-folded, without accents or a trailing dot, runs of
    spaces, hyphens and underscores one space, curly apostrophes straight.

    Examples
    --------
    >>> scale_key("Strongly-Agree "), scale_key("neither_agree  nor disagree"), scale_key("Tout à fait d’accord")
    ('strongly agree', 'neither agree nor disagree', "tout a fait d'accord")
    >>> scale_key("févr."), scale_key("Mär")
    ('fevr', 'mar')
    """
    text = unicodedata.normalize("NFKD", str(level).replace("’", "'").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_\-]+", " ", text).strip().rstrip(".").strip()


_SCALE_RANKS = {name: {scale_key(word): rank for rank, words in enumerate(ranks) for word in words}
                for name, ranks in ORDERED_SCALES.items()}
_UNKNOWN_KEYS = frozenset(scale_key(level) for level in (*UNKNOWN_LEVELS, *NO_ANSWER_LEVELS))


def _band(level: str) -> tuple[float, float, bool] | None:
    """(lower bound, upper bound, is a bare number) of a numeric band, or None.

    Examples
    --------
    >>> _band("20-40k"), _band("65+"), _band("<20k"), _band("$20,000 - $39,999")
    ((20000.0, 40000.0, False), (65.0, inf, False), (-inf, 20000.0, False), (20000.0, 39999.0, False))
    >>> _band("18-24 ans"), _band("55 and over")
    ((18.0, 24.0, False), (55.0, inf, False))
    """
    for pattern, bounds in _BAND_PATTERNS:
        match = pattern.match(str(level))
        if match is None:
            continue
        numbers = [(float(match.group(i).replace(",", "")), (match.group(i + 1) or "").lower())
                   for i in range(1, pattern.groups + 1, 2)]
        if len(numbers) == 2 and numbers[1][1] and not numbers[0][1]:
            numbers[0] = (numbers[0][0], numbers[1][1])  # "20-40k": the k belongs to both ends
        values = [number * _MULTIPLIERS[unit] for number, unit in numbers]
        if len(bounds) == 2 and len(values) == 1:
            return values[0], values[0], True
        found = dict(zip(bounds, values))
        return found.get("low", -math.inf), found.get("high", math.inf), False
    return None


def _band_order(levels: list[str]) -> list[str] | None:
    """Levels that are all numeric bands, sorted by lower bound; None unless every level is a
    band, at least one is a range or open-ended, and the bands do not overlap."""
    bands = {level: _band(level) for level in levels}
    if any(b is None for b in bands.values()) or all(b[2] for b in bands.values()):
        return None
    ordered = sorted(levels, key=lambda level: bands[level][:2])
    for lower, upper in zip(ordered, ordered[1:]):
        low_a, high_a, _ = bands[lower]
        low_b, _, _ = bands[upper]
        if high_a < low_a or low_a == low_b or high_a > low_b:
            return None
    last_low, last_high, _ = bands[ordered[-1]]
    return ordered if last_high >= last_low else None


#: Scales whose answers are attitudes or opinions: a customer table's column of them is
#: psychographic (segkit.io.detect_roles), not behaviour.
ATTITUDE_SCALES = ("agreement", "satisfaction", "likelihood", "importance", "quality", "concern")


def _known_levels(levels) -> list[str]:
    """The distinct levels as text, without the levels that say the answer is not known."""
    return [level for level in dict.fromkeys(str(v) for v in levels) if scale_key(level) not in _UNKNOWN_KEYS]


def scale_kind(levels) -> str | None:
    """The name of the :data:`ORDERED_SCALES` scale that ``levels`` form, or None.

    Same rules as :func:`scale_order` (numeric bands are not a named scale: None).

    Examples
    --------
    >>> scale_kind(["Agree", "Neutral", "Strongly disagree"]), scale_kind(["Never", "Often", "Always"])
    ('agreement', 'frequency')
    >>> scale_kind(["Stimme zu", "Neutral", "Stimme nicht zu"]), scale_kind(["jan", "févr.", "mars"])
    ('agreement', 'month')
    >>> scale_kind(["18-24", "25-34", "65+"]) is None
    True
    """
    levels = _known_levels(levels)
    if len(levels) < MIN_SCALE_LEVELS:
        return None
    keys = [scale_key(level) for level in levels]
    for kind in _SCALE_RANKS:
        positions = _positions(kind, keys)
        if None not in positions and len(set(positions)) == len(positions):
            return kind
    return None


def _positions(kind: str, keys: list[str]) -> list:
    """The rank of each level key on scale ``kind`` (None where it is no level of it); the levels of
    a :data:`PREFIX_SCALES` scale by their first word when not whole."""
    ranks = _SCALE_RANKS[kind]
    positions = [ranks.get(k) for k in keys]
    if kind in PREFIX_SCALES and None in positions:
        positions = [ranks.get(k, ranks.get(k.split(" ")[0]) if k else None) for k in keys]
    return positions


def scale_order(levels) -> list[str] | None:
    """``levels`` in the order of the known scale they form, or None when they form none.

    Every level must belong to one scale of :data:`ORDERED_SCALES` (compared as
    :func:`scale_key` writes them; no two levels at the same rank), or every level must be a
    numeric band (``18-24``, ``65+``, ``<20k``, ``20k-40k``; ordered by lower bound, not
    overlapping); and there must be at least :data:`MIN_SCALE_LEVELS` distinct levels. Levels
    that say the answer is not known (:data:`UNKNOWN_LEVELS`) are not points of the scale and
    are left out, except ``None/Unknown``, which also says "none": it goes first. Levels keep
    their spelling.

    Examples
    --------
    >>> scale_order(["Agree", "Strongly disagree", "strongly agree"])
    ['Strongly disagree', 'Agree', 'strongly agree']
    >>> scale_order(["65+", "18-24", "25-34"]), scale_order(["3+", "None/Unknown", "1", "2"])
    (['18-24', '25-34', '65+'], ['None/Unknown', '1', '2', '3+'])
    >>> scale_order(["Unknown", "Low", "Medium", "High"])
    ['Low', 'Medium', 'High']
    >>> scale_order(["High", "Low", "Average"]), scale_order(["Hoog", "Laag", "Middel"])
    (['Low', 'Average', 'High'], ['Laag', 'Middel', 'Hoog'])
    >>> scale_order(["Gold", "Apple", "Silver"]) is None, scale_order(["Low", "High"]) is None
    (True, True)
    """
    bottom = [level for level in dict.fromkeys(map(str, levels)) if scale_key(level) in _NONE_LEVELS][:1]
    levels = _known_levels(levels)
    if len(levels) < MIN_SCALE_LEVELS:
        return None
    keys = [scale_key(level) for level in levels]
    for kind in _SCALE_RANKS:
        positions = _positions(kind, keys)
        if None not in positions and len(set(positions)) == len(positions):
            return bottom + [level for _, level in sorted(zip(positions, levels))]
    bands = _band_order(levels)
    return bottom + bands if bands is not None else None
