"""Plain-language segment names, descriptions and feature labels.

:func:`name_segments` turns the strongest effects of a profile into short names
("High-income wine buyers", "Lapsed big spenders") and a one-sentence description with
numbers. The words come from :data:`TRAIT_WORDS`, a table (data, not code) that maps column
names to readable labels and to the adjective or noun used when the feature is high or low;
:func:`humanise` gives any column a readable label.

Examples
--------
>>> import pandas as pd
>>> from segkit.profile.stats import profile_segments
>>> idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
>>> features = pd.DataFrame({"Income": [30_000.0] * 20 + [90_000.0] * 20,
...                          "MntWines": [50.0] * 20 + [600.0] * 20}, index=idx)
>>> labels = pd.Series([0] * 20 + [1] * 20, index=idx, name="segment")
>>> name_segments(profile_segments(features, labels))["name"].tolist()
['Low-income customers', 'High-income wine buyers']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError, quote
from segkit.profile.labels import MAX_LABEL, clean_label, short_label
from segkit.profile.stats import SegmentProfile
from segkit.schema import OUTCOME_BASIS, is_unknown_level

__all__ = ["LEVEL_WORDS", "MAX_LABEL", "SHARE_VALUE_WORDS", "TRAIT_WORDS", "humanise", "name_segments", "name_words",
           "short_label"]

#: Words for traits, matched in order on the column name lower-cased with ``_`` and spaces
#: removed. Each entry: regex, label (used in descriptions), the adjective and the noun
#: used when the segment is *high* on the feature, and those used when it is *low*
#: (``None``: this side does not name a segment), and whether a ratio to the average
#: reads well ("2.3x the average") or a comparison of values does ("1985 vs 1969").
TRAIT_WORDS: list[dict] = [
    {"pattern": r"^mntwines?$|wine", "label": "wine spend", "high": ("Wine-loving", "wine buyers"), "low": None},
    {"pattern": r"^mntfruits?$|fruit", "label": "fruit spend", "high": ("Fruit-loving", "fruit buyers"),
     "low": None},
    {"pattern": r"^mntmeat|meat", "label": "meat spend", "high": ("Meat-loving", "meat buyers"), "low": None},
    {"pattern": r"^mntfish|fish", "label": "fish spend", "high": ("Fish-loving", "fish buyers"), "low": None},
    {"pattern": r"^mntsweet|sweet", "label": "sweets spend", "high": ("Sweet-toothed", "sweets buyers"),
     "low": None},
    {"pattern": r"^mntgold|gold", "label": "gold spend", "high": ("Gold-buying", "gold buyers"), "low": None},
    {"pattern": r"deal", "label": "deal purchases", "high": ("Deal-seeking", "deal seekers"),
     "low": ("Full-price", None)},
    {"pattern": r"numwebpurchases|webpurchases", "label": "web purchases", "high": ("Online", "web shoppers"),
     "low": ("Offline", None)},
    {"pattern": r"catalog", "label": "catalogue purchases", "high": ("Catalogue", "catalogue shoppers"),
     "low": None},
    {"pattern": r"store", "label": "store purchases", "high": ("In-store", "store shoppers"), "low": None},
    {"pattern": r"webvisit|sitevisit|pageview", "label": "web visits", "high": ("Browsing", "web browsers"),
     "low": ("Rarely-browsing", None)},
    {"pattern": r"visit", "label": "visits", "high": ("Frequent-visiting", "frequent visitors"),
     "low": ("Rarely-visiting", None)},
    {"pattern": r"income|salary|revenu(?!e)|einkommen|ingreso|reddito|salaire|salario|gehalt", "label": "income",
     "high": ("High-income", None), "low": ("Low-income", None)},
    {"pattern": r"yearbirth|birthyear|^yob$", "label": "birth year", "high": ("Young", None),
     "low": ("Older", None), "ratio": False},
    {"pattern": r"^age$|^agegroup$|^customerage$|^alter$|^edad$|^eta$|^idade$|^leeftijd$", "label": "age",
     "high": ("Older", None), "low": ("Young", None), "ratio": False},
    # A derived total of children (kids + teens) must not read like the young-children count.
    {"pattern": r"^(num|n|total)?children$|^childrencount$", "label": "children (all ages)",
     "high": ("Family", "families"), "low": ("Child-free", None), "concept": "children"},
    {"pattern": r"kid|child", "label": "children at home", "high": ("Family", "families"),
     "low": ("Child-free", None), "concept": "children"},
    {"pattern": r"teen", "label": "teenagers at home", "high": ("Teen-parent", "parents of teens"),
     "low": None},
    {"pattern": r"recency", "label": "days since last purchase", "high": ("Lapsed", None),
     "low": ("Recent", None)},
    {"pattern": r"avgdaysbetween|interpurchase", "label": "days between orders", "high": ("Occasional", None),
     "low": ("Regular", None), "concept": "purchase frequency"},
    {"pattern": r"avgordervalue|aov|basket", "label": "average order value", "high": ("Big-basket", None),
     "low": ("Small-basket", None)},
    {"pattern": r"^frequency$|orders|^purchases$", "label": "orders",
     "high": ("Frequent", "regulars"), "low": ("Infrequent", None), "low_single": ("One-off", None),
     "concept": "purchase frequency"},
    {"pattern": r"clv|lifetimevalue", "label": "customer lifetime value", "high": ("High-value", "high-value customers"),
     "low": ("Low-value", None)},
    {"pattern": r"monetary|revenue|totalspend|^spend(?!ingscore)(?!(ing)?(on|for))|^spent(?!(on|for))|^sales$|^value$"
                r"|^(montant)?depenses$|^ausgaben$|^umsatz$|^gastos?$|^spesa$|^uitgaven$|^montant$|^betrag$",
     "label": "spend",
     "high": ("High-spend", "big spenders"), "low": ("Low-spend", "light spenders")},
    {"pattern": r"tenure|dtcustomer|customersince", "label": "tenure", "high": ("Long-standing", None),
     "low": ("New", None)},
    {"pattern": r"returnrate|returns", "label": "return rate", "high": ("Returning", "returners"), "low": None},
    {"pattern": r"response|acceptedcmp|accepted|campaign", "label": "campaign response",
     "high": ("Responsive", "campaign responders"), "low": ("Unresponsive", None)},
    {"pattern": r"complain", "label": "complaints", "high": ("Complaining", None), "low": None},
    {"pattern": r"^mnt", "label": None, "high": (None, "buyers"), "low": None},
    {"pattern": r"^num.*purchases$", "label": None, "high": (None, "shoppers"), "low": None},
]

#: Readable words for category levels (matched lower-case); others are used as written.
LEVEL_WORDS: dict[str, str] = {
    "graduation": "Graduate", "2n cycle": "Second-cycle", "basic": "Basic-education", "master": "Master's",
    "phd": "PhD", "together": "Cohabiting", "married": "Married", "single": "Single", "divorced": "Divorced",
    "widow": "Widowed", "alone": "Single", "absurd": "Other-status", "yolo": "Other-status",
}

#: Category levels that are answers rather than descriptions (Likert scales, yes/no, grades,
#: numbers): a segment is named by the question and the answer ("Recommend-strongly-agree").
_GENERIC_LEVEL = re.compile(
    r"(strongly |somewhat |completely |very |fairly |not (at all )?)?"
    r"(agree|disagree|neutral|neither( agree)? nor disagree|satisfied|dissatisfied|unsatisfied|likely|unlikely"
    r"|important|unimportant|yes|no|true|false|y|n|high|medium|low|none|some|many|always|often|sometimes"
    r"|rarely|never)"
    r"|[+-]?\d+([.,]\d+)?"
)

#: Category levels that are codes ('L2', 'A', 'C3', '07'): named with their question ("Plan-L2").
_CODE_LEVEL = re.compile(r"[a-z]{0,3}[-_ ]?\d+[a-z]?|[a-z]|[a-z]\d*[a-z]?\d+")
#: Levels that are raw codes, not words: single letters, numbers, short codes with digits ('A', '2', 'Cat_3').
_RAW_CODE = re.compile(r"[A-Za-z]|[+-]?\d+(?:[.,]\d+)?|[A-Za-z]{1,4}[_\-]?\d+")
#: Words for the values of ``share_<column>_<value>`` features, where the raw value misleads.
SHARE_VALUE_WORDS: dict[str, str] = {"home": "homeware", "app": "app", "web": "web", "store": "store"}

def humanise(column: str) -> str:
    """Readable label for a column name.

    ``MntWines`` -> ``wine spend``, ``NumWebPurchases`` -> ``web purchases``,
    ``share_channel_web`` -> ``web channel share``; unknown names are split on case
    changes, underscores and punctuation and lower-cased.

    Examples
    --------
    >>> [humanise(c) for c in ["MntWines", "NumWebPurchases", "recency_days", "Income",
    ...                        "share_channel_web", "Annual Income (k$)", "SpendingScore"]]
    ['wine spend', 'web purchases', 'days since last purchase', 'income', 'web channel share', 'income', 'spending score']
    """
    entry = _trait_entry(column) if len(str(column)) <= MAX_LABEL else None  # a question's words are no trait
    if entry is not None and entry.get("label"):
        return entry["label"]
    share = re.match(r"^share_(.+?)_(.+)$", str(column))
    if share:
        return f"{clean_label(share.group(2))} {clean_label(share.group(1))} share"
    return clean_label(column)


def _key(name) -> str:
    """Lower-case letters and digits without accents, for matching :data:`TRAIT_WORDS`: 'Âge' -> 'age'."""
    text = unicodedata.normalize("NFKD", str(name).lower())
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in text if not unicodedata.combining(ch)))


def _trait_entry(column) -> dict | None:
    key = _key(column)
    if key.startswith("share"):
        return None
    for entry in TRAIT_WORDS:
        if re.search(entry["pattern"], key):
            return entry
    return None


def _hyphenate(text: str) -> str:
    return "-".join(text.split())


def _trait_words(feature: str, level: str, high: bool, *, value: float | None = None,
                 yes_no: bool = False) -> tuple[str | None, str | None]:
    """(adjective, noun) naming a segment that is high (or low) on a feature or level.

    ``value`` is the segment's mean (a low order count near 1 reads "One-off", else
    "Infrequent"); ``yes_no`` marks a 0/1 feature, named by its label ("Paperless-billing",
    "Non-paperless-billing") since "high" and "low" mean little for an answer; a leading verb
    is dropped ("IsMember": "Member" / "Non-member"; "HasPet": "With-pet" / "Without-pet").
    """
    if yes_no and not level:
        label = humanise(feature)
        verb = re.match(r"^(is|was|are|has|have|had) (.+)$", label)
        if verb and verb.group(1).startswith("ha"):  # 'HasKids' -> 'With-kids' / 'Without-kids'
            word = _hyphenate(verb.group(2))
            return (f"With-{word}" if high else f"Without-{word}"), None
        word = _hyphenate(verb.group(2) if verb else label)  # 'IsMember' -> 'Member' / 'Non-member'
        return ((word[:1].upper() + word[1:]) if high else f"Non-{word}"), None
    if level:
        text = str(level)
        plain = text.strip().lower()
        if plain not in LEVEL_WORDS and (_GENERIC_LEVEL.fullmatch(plain) or _CODE_LEVEL.fullmatch(plain)):
            # 'Strongly disagree', 'Yes', '3' say nothing without their question
            text = f"{humanise(feature)} {text.lower()}"
        word = LEVEL_WORDS.get(text.lower(), _hyphenate(text))
        return (word[:1].upper() + word[1:], None) if high else (None, None)
    share = re.match(r"^share_(.+?)_(.+)$", str(feature))
    if share:
        if not high:
            return None, None
        value, group = clean_label(share.group(2)), clean_label(share.group(1))
        value = SHARE_VALUE_WORDS.get(value, value)
        if group in ("channel", "device", "platform"):
            return f"{_hyphenate(value)}-{group}", f"{value} shoppers"
        if group in ("category", "product", "department"):
            return _hyphenate(value).capitalize(), f"{value} buyers"
        if group in ("country", "region", "city", "state", "market") and value != "other":
            return " ".join(w if w.isupper() else w.capitalize() for w in value.split()), None
        return _hyphenate(f"{value} {group}").capitalize(), None
    entry = _trait_entry(feature)
    if entry is not None:
        forms = entry["high"] if high else entry["low"]
        if not high and entry.get("low_single") and value is not None and value <= 1.5:
            forms = entry["low_single"]
        if forms is None:
            return None, None
        adj, noun = forms
        if entry["pattern"] == r"^mnt" and noun:
            noun = f"{clean_label(feature)} {noun}"
            adj = f"{_hyphenate(clean_label(feature)).capitalize()}-buying"
        if entry["pattern"] == r"^num.*purchases$" and noun:
            stem = clean_label(feature).replace(" purchases", "")
            noun, adj = f"{stem} {noun}", _hyphenate(stem).capitalize()
        return adj, noun
    label = clean_label(feature)
    if label.split()[0] in ("high", "low", "more", "less"):
        # 'low_work_experience' high reads "Low-work-experience"; low, "Not-low-work-experience"
        return (_hyphenate(label).capitalize() if high else f"Not-{_hyphenate(label)}"), None
    return (("High-" if high else "Low-") + _hyphenate(label), None)


def _combine_nouns(first: str, second: str) -> str | None:
    """'wine buyers' + 'meat buyers' -> 'wine and meat buyers' (same head noun only)."""
    a, b = first.rsplit(" ", 1), second.rsplit(" ", 1)
    if len(a) == 2 and len(b) == 2 and a[1] == b[1]:
        return f"{a[0]} and {b[0]} {a[1]}"
    return None


#: Smallest standardised effect of a trait named after the first: a segment 0.97x the average
#: on orders is not "low-orders".
_NAME_MIN_EFFECT = 0.2


def _stem(word: str) -> str:
    """A word reduced for the no-repeat rule: 'Regulars' and 'regular', 'buyers' and 'buying',
    'families' and 'family' match.

    >>> [_stem(w) for w in ("Regulars", "buying", "families", "Family", "categories")]
    ['regular', 'buy', 'family', 'family', 'category']
    """
    word = word.lower()
    if word.endswith("ies") and len(word) >= 6:  # a plural of a word in -y
        return word[:-3] + "y"
    for suffix in ("ers", "ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def name_words(text: str) -> list[str]:
    """The words of a name, hyphenated ones split, as the no-repeat rule compares them.

    Examples
    --------
    >>> name_words("Low-income wine and meat buyers")
    ['low', 'income', 'wine', 'meat', 'buy']
    """
    words = [_stem(w) for w in re.split(r"[\s,\-]+", str(text)) if w and w.lower() not in _JOINING_WORDS]
    return [_SAME_AS.get(w, w) for w in words]


#: Words a name may repeat: they join, they do not describe.
_JOINING_WORDS = {"and", "with", "of", "the"}
#: Words that say the same thing in a name ("Regular frequent visitors", "Occasional infrequent
#: customers"): the no-repeat rule counts them as one word.
_SAME_AS = {"regular": "frequent", "occasional": "frequent", "infrequent": "frequent"}


def _compose(traits: list[dict], n_traits: int, max_words: int, people: str = "customers") -> str:
    """A name from the first ``n_traits`` usable traits; a trait that would say a word again
    ("Regular regulars", "High-x high-y") is passed over for the next one."""
    adjectives: list[str] = []
    noun: str | None = None
    said: set[str] = set()
    used = 0
    for trait in traits:
        if used >= n_traits:
            break
        if used and trait.get("strength", np.inf) < _NAME_MIN_EFFECT:
            continue
        adj, trait_noun = trait.get("words") or _trait_words(trait["feature"], trait["level"], trait["high"],
                                                             value=trait["segment_value"],
                                                             yes_no=trait.get("yes_no", False))
        if trait_noun and noun is None and not said & set(name_words(trait_noun)):
            noun = trait_noun
            said.update(name_words(trait_noun))
        elif (trait_noun and noun and not adjectives and _combine_nouns(noun, trait_noun)
              and not said & set(name_words(trait_noun.rsplit(" ", 1)[0]))):
            noun = _combine_nouns(noun, trait_noun)
            said.update(name_words(trait_noun))
        elif adj and not said & set(name_words(adj)) and len(set(name_words(adj))) == len(name_words(adj)):
            # Lower-case inside the name ("Low-income offline customers"), except levels
            # and acronyms, which keep their spelling ("PhD", "UK").
            if (not trait["level"] or trait.get("words")) and not adj[:2].isupper():
                adj = adj[:1].lower() + adj[1:]
            adjectives.append(adj)
            said.update(name_words(adj))
        else:
            continue
        used += 1
    if noun is None and ("customer" in said or _stem(people) in said):
        noun = "group"
    words = adjectives + [noun or people]
    name = " ".join(words)
    while len(name.split()) > max_words and adjectives:
        adjectives.pop()
        name = " ".join(adjectives + [noun or people])
    name = name[:1].upper() + name[1:]
    return name


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2g}"


def _describe(traits: list[dict], profile: SegmentProfile, n: int = 3) -> str:
    parts = []
    for trait in traits[:n]:
        feature, level = trait["feature"], trait["level"]
        if level:
            parts.append(f"{trait['segment_value']:.0%} {level} ({humanise(feature)}) vs {trait['overall_value']:.0%} "
                         "overall")
            continue
        label = humanise(feature)
        entry = _trait_entry(feature) or {}
        seg_value, overall = trait["segment_value"], trait["overall_value"]
        if trait.get("yes_no"):
            parts.append(f"{label}: {seg_value:.0%} vs {overall:.0%} overall")
            continue
        ratio_ok = entry.get("ratio", True) and overall and overall > 0 and seg_value >= 0
        if ratio_ok:
            ratio = seg_value / overall
            text = f"{ratio:.1f}x" if ratio >= 0.95 else f"{ratio:.2f}x"
            parts.append(f"{label} {text} the average" if not parts else f"{label} {text}")
        else:
            parts.append(f"{label} {_number(seg_value)} vs {_number(overall)} on average")
    if not parts:
        return "No feature stands out from the rest of the customer base."
    sentence = "; ".join(parts) + "."
    return sentence[:1].upper() + sentence[1:]


def _yes_no_features(profile: SegmentProfile) -> set:
    """Numeric features holding 0/1 answers, judged from the profile.

    Every segment mean lies in [0, 1] and every median (segments and overall) is 0, 1 or,
    for an even split, 0.5.
    Features with their own words in :data:`TRAIT_WORDS` (campaign responses, complaints)
    and ``share_*`` features keep those.
    """
    long = profile.long
    rows = long[long["metric"].isin(["mean", "median"]) & (long["level"] == "") & (long["feature"] != "")]
    overall = profile.overall
    found = set()
    for feature, part in rows.groupby("feature", sort=False):
        if str(feature).startswith("share_") or _trait_entry(feature) is not None or feature not in overall.index:
            continue
        means = part.loc[part["metric"] == "mean", "value"].dropna()
        medians = pd.concat([part.loc[part["metric"] == "median", "value"].dropna(),
                             pd.Series([overall.at[feature, "median"]])])
        if len(means) and means.between(0, 1).all() and medians.isin([0, 0.5, 1]).all():
            found.add(feature)
    return found


def _nameless(feature, level, kinds: Mapping) -> bool:
    """A level that must not name a segment: an unknown answer, or a raw code ('A', '2' of a code column)."""
    if not level:
        return False
    text = str(level).strip()
    if is_unknown_level(text):
        return True
    code = _RAW_CODE.fullmatch(text) is not None
    return code and (kinds.get(feature) == "code" or (len(text) == 1 and text.isalpha()))


def _rating_words(profile: SegmentProfile, feature, level) -> tuple[str, None] | None:
    """A point of a rating scale named by where it lies on it: 'High-seat-comfort' for 4 or 5 of
    1-5, 'Low-' for 1 or 2, 'Mid-' for 3 (a bare '5' says nothing); None for other levels."""
    text = str(level).strip() if level is not None else ""
    if not re.fullmatch(r"-?\d+", text):
        return None
    cells = profile.breakdowns
    rows = cells[(cells["feature"] == feature) & cells["ordered"].astype(bool)] if "ordered" in cells else cells[:0]
    points = sorted({int(v) for v in rows["level"].astype(str) if re.fullmatch(r"-?\d+", v)})
    if len(points) < 3 or int(text) not in points:
        return None
    where = (int(text) - points[0]) / (points[-1] - points[0])
    side = "High" if where >= 2 / 3 else ("Low" if where <= 1 / 3 else "Mid")
    return f"{side}-{_hyphenate(humanise(feature))}", None


def _ranked_traits(profile: SegmentProfile, segment, alpha: float, yes_no: set = frozenset(),
                   kinds: Mapping | None = None) -> list[dict]:
    effects = profile.effects
    kinds = kinds or {}
    # Outcomes are what happened to a segment, not who is in it: they never name one.
    outcome = effects["basis"] == OUTCOME_BASIS
    rows = effects[(effects["segment"] == segment) & ~effects["suppressed"] & ~outcome
                   & (effects["effect_measure"] != "cramers_v") & effects["standardised"].notna()]
    # A boolean array, not a list: an empty list would select no columns of a segment without traits.
    rows = rows[np.array([not _nameless(f, lv, kinds) for f, lv in zip(rows["feature"], rows["level"])], dtype=bool)]
    # Category levels name a segment only by what it has more of.
    rows = rows[(rows["kind"] == "numeric") | (rows["standardised"] > 0)]
    rows = rows.assign(_abs=rows["standardised"].astype(float).abs(),
                       _sig=(rows["p_adjusted"] < alpha).fillna(False).astype(int),
                       _order=np.arange(len(rows)))
    rows = rows.sort_values(["_sig", "_abs", "_order"], ascending=[False, False, True], kind="stable")
    traits, seen = [], set()
    for _, row in rows.iterrows():
        # One trait per feature, and per concept (kids_home and children read the same).
        entry = _trait_entry(row["feature"])
        concept = (entry or {}).get("concept") or humanise(row["feature"])
        if row["feature"] in seen or concept in seen or row["_abs"] < 0.05:
            continue
        flag = row["kind"] == "numeric" and row["feature"] in yes_no
        rating = _rating_words(profile, row["feature"], row["level"])
        adj, noun = rating or _trait_words(row["feature"], row["level"], bool(row["standardised"] > 0),
                                           value=row["segment_value"], yes_no=flag)
        if adj is None and noun is None:
            continue
        seen.update({row["feature"], concept})
        traits.append({"feature": row["feature"], "level": row["level"], "high": bool(row["standardised"] > 0),
                       "segment_value": row["segment_value"], "overall_value": row["overall_value"],
                       "yes_no": flag, "strength": float(row["_abs"]), **({"words": rating} if rating else {})})
    return traits


#: Level words for 2, 3, 4 and 5 segments sharing a name, lowest first ("Light spenders, lower income").
_LEVEL_WORDS_BY_COUNT = {2: ("lower", "higher"), 3: ("lower", "middle", "higher"),
                         4: ("lowest", "lower", "higher", "highest"), 5: ("lowest", "lower", "middle", "higher", "highest")}


def _tell_apart(names: dict, profile: SegmentProfile, fixed: Mapping, rounds: int = 3) -> dict:
    """Names made unique with level words, never with codes; only generated names change.

    Segments that came out with the same name -- or with the name a user gave another segment
    (``fixed``, config ``segment_names``) -- are told apart by the numeric feature that differs
    most between them (the largest range of their standardised effects) and whose words the
    name does not already say: "Light spenders, lower income" and "Light spenders, higher
    income". A user's name is compared but never changed. A group too large for the level
    words, or still tied, takes the next feature, up to ``rounds`` times; after that the segment
    id is the last resort, added to the generated names only.
    """
    names = dict(names)
    reserved = {str(name).lower(): s for s, name in fixed.items()}
    effects = profile.effects
    numeric = effects[(effects["kind"] == "numeric") & ~effects["suppressed"] & effects["standardised"].notna()]
    table = numeric.pivot_table(index="feature", columns="segment", values="standardised", aggfunc="first")
    for _ in range(rounds):
        groups: dict[str, list] = {}
        for s, name in names.items():
            if s not in fixed:
                groups.setdefault(name.lower(), []).append(s)
        clashes = [members + ([reserved[key]] if key in reserved else [])
                   for key, members in groups.items() if len(members) > 1 or key in reserved]
        if not clashes:
            break
        for members in clashes:
            base = names[members[0]]
            said = set(name_words(base))
            cols = [m for m in members if m in table.columns]
            usable = table[cols].dropna() if len(cols) == len(members) else table.iloc[:0]
            usable = usable[[not said & set(name_words(humanise(f))) for f in usable.index]]
            words = _LEVEL_WORDS_BY_COUNT.get(len(members), ())
            if usable.empty or not words or said & set(name_words(" ".join(words))):
                continue
            spread = usable.max(axis=1) - usable.min(axis=1)
            feature = spread.idxmax()
            order = usable.loc[feature].sort_values(kind="stable").index
            for word, s in zip(words, order):
                if s not in fixed:
                    names[s] = f"{base}, {word} {humanise(feature)}"
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return {s: (f"{name} (segment {s})" if counts[name.lower()] > 1 and s not in fixed else name)
            for s, name in names.items()}


def name_segments(
    profile: SegmentProfile,
    *,
    overrides: Mapping | None = None,
    max_words: int = 5,
    alpha: float = 0.05,
    kinds: Mapping | None = None,
    people: str = "customers",
) -> pd.DataFrame:
    """Short, unique, plain-language names and one-sentence descriptions for segments.

    Traits are ranked by their standardised effect (``profile.effects``: SMD for numbers,
    Cohen's h for category levels), significant ones (``p_adjusted < alpha``) first; the
    top two become an adjective and a noun from :data:`TRAIT_WORDS` ("Lapsed big
    spenders"), and the description quotes the top three with numbers. Duplicate names
    get the next trait added, then a level word on the feature that tells them apart ("Light
    spenders, lower income" and "Light spenders, higher income"), never a code; no name says
    a word twice ("Regular regulars" passes over to the next trait); suppressed
    segments are called "Small segment <id>".

    Parameters
    ----------
    profile : SegmentProfile
    overrides : mapping, optional
        ``{segment: name}`` replacing generated names (config ``segment_names``).
    max_words : int
        Longest name in words (hyphenated words count as one).
    alpha : float
        Significance level for preferring a trait.
    kinds : mapping, optional
        ``{feature: kind}`` (:attr:`segkit.features.FeatureTable.kinds`): a level of a ``code``
        column that is a raw code (``2``, ``A``) names no segment; unknown answers and
        outcomes never do.
    people : str
        What a name calls the members when no trait gives a noun, and what descriptions count:
        ``"customers"``, or ``"respondents"`` for a survey (:func:`segkit.profile.labels.audience`).

    Returns
    -------
    DataFrame
        Index ``segment``; columns ``name`` and ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.profile.stats import profile_segments
    >>> idx = pd.Index([str(i) for i in range(60)], name="customer_id")
    >>> f = pd.DataFrame({"recency_days": [300.0] * 30 + [10.0] * 30,
    ...                   "monetary": [900.0] * 30 + [50.0] * 30}, index=idx)
    >>> f.iloc[::7] *= 1.1  # some spread
    >>> labels = pd.Series([0] * 30 + [1] * 30, index=idx, name="segment")
    >>> names = name_segments(profile_segments(f, labels), overrides={1: "Fresh faces"})
    >>> names["name"].tolist()
    ['Lapsed big spenders', 'Fresh faces']
    >>> names.loc[0, "description"]
    'Days since last purchase 1.9x the average; spend 1.9x.'
    """
    if max_words < 1:
        raise ConfigError(f"max_words must be >= 1, got {quote(max_words)}")
    segments = list(profile.summary.index)
    fixed: dict = {}
    for key, value in dict(overrides or {}).items():
        match = [s for s in segments if s == key or str(s) == str(key)]
        if not match:
            raise ConfigError(f"segment_names: segment {key!r} does not exist; segments are {segments}")
        fixed[match[0]] = str(value)
    taken = {v.lower() for v in fixed.values()}
    if len(taken) < len(fixed):
        raise ConfigError(f"segment_names: names must be unique, got {list(fixed.values())}")
    names, descriptions = {}, {}
    yes_no = _yes_no_features(profile)
    for s in segments:
        if bool(profile.summary.at[s, "suppressed"]):
            names[s] = fixed.get(s, f"Small segment {s}")
            descriptions[s] = (f"Fewer than {profile.min_cell_size} {people}: figures suppressed for privacy.")
            taken.add(names[s].lower())
            continue
        traits = _ranked_traits(profile, s, alpha, yes_no, kinds)
        descriptions[s] = _describe(traits, profile)
        if s in fixed:
            names[s] = fixed[s]
            continue
        candidates = [_compose(traits, k, max_words, people) for k in (2, 3, 4)]
        name = next((c for c in candidates if c.lower() not in taken), candidates[0])
        names[s] = name
        taken.add(name.lower())
    names = _tell_apart(names, profile, fixed)
    out = pd.DataFrame({"name": pd.Series(names, dtype="string"),
                        "description": pd.Series(descriptions, dtype="string")})
    out.index.name = "segment"
    return out
