"""Segmentation bases from a customer table: demographic, geographic, behavioural, ...

Each column named in the roles keeps its original name (analysts select ``Income`` or
``MntWines`` by name) and is tagged with its basis; a few features are derived:

* ``age`` = reference year - birth year (the birth-year column is replaced by it), or whole years
  from a birth date (``DateOfBirth``, ``dob``) to the reference date;
* ``children`` = sum of the kid / teen / child count columns (when there are several), and ``household_size`` =
  adults (2 when the marital status says married / together / partner, else 1) + children;
* ``campaigns_accepted`` = sum of the campaign columns, ``any_accepted`` = 1 when above 0;
* text columns become categories: spaces around and inside a level are tidied, levels that
  differ only in case are one level (``"North"``, ``"north "``), gender written several ways
  in one column (``M``, ``male``, ``Male``) is one level per gender (:func:`tidy_levels`),
  and rare levels (share below ``rare_share``, or fewer than ``rare_count`` customers) are
  grouped into ``Other``;
* text columns whose levels form a known ordered scale (agreement, frequency, satisfaction,
  tiers, sizes, low/medium/high, numeric bands such as ``18-24`` or ``<20k``; see
  :data:`ORDERED_SCALES` and :func:`scale_order`) become *ordered* categories with the scale's
  order instead, every level kept (none grouped into ``Other``), so the segmenter uses them as
  ordinal features; an ordered Categorical given in the table keeps its own order;
* date columns become ``<column>_days``: days from the date to the reference date.

Columns in ``constants`` and columns without a role are left out.
"""

from __future__ import annotations

import math
import re
from datetime import date

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError
from segkit.features.clean import birth_date_columns, birth_year_columns, clean_customers, with_customer_id_column

__all__ = ["ATTITUDE_SCALES", "BASES", "ORDERED_SCALES", "ROLE_BASES", "customer_features", "group_rare",
           "ordered_levels", "scale_kind", "scale_order", "tidy_levels"]

#: The seven bases, in report order.
BASES = ("demographic", "geographic", "behavioural", "psychographic", "technographic", "value", "campaign")

#: Role attribute -> basis of its columns.
ROLE_BASES = {
    "demographics": "demographic",
    "geography": "geographic",
    "behaviour": "behavioural",
    "psychographics": "psychographic",
    "technographics": "technographic",
    "value": "value",
    "campaigns": "campaign",
}

_CHILDREN = re.compile(r"(kid|child|teen|infant|baby)", re.I)
_MARITAL = re.compile(r"(marital|relationship|civil.?status)", re.I)
_PARTNERED = {"married", "together", "partner", "partnered", "cohabiting", "living together", "domestic partnership"}


#: Spellings of a gender, case-folded, and the level they are merged into.
_GENDER_WORDS = {"m": "Male", "male": "Male", "man": "Male", "men": "Male", "f": "Female", "female": "Female",
                 "woman": "Female", "women": "Female", "w": "Female"}


def tidy_levels(values: pd.Series) -> pd.Series:
    """Return text ``values`` with one spelling per level.

    Spaces are stripped and runs of spaces made one; spellings that differ only in case
    become the most frequent spelling that is not all lower case (``"North"`` over
    ``"north"``, ``"iOS"`` over ``"IOS"`` when more common). A column whose levels are all
    gender words, written more than one way for a gender (``M``, ``male``, ``Male ``), takes
    ``Male`` / ``Female``. Missing values stay missing.

    Examples
    --------
    >>> s = pd.Series(["North", "north ", "South", None, "NORTH", "m"])
    >>> tidy_levels(s).tolist()
    ['North', 'North', 'South', <NA>, 'North', 'm']
    >>> tidy_levels(pd.Series(["M", "male", "Male ", "f", "Female"])).tolist()
    ['Male', 'Male', 'Male', 'Female', 'Female']
    """
    text = values.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    text = text.mask(text == "")
    counts = text.value_counts(dropna=True)
    if counts.empty:
        return text
    folded = pd.Series(counts.index.str.casefold(), index=counts.index)
    gender = folded.map(_GENDER_WORDS)
    if gender.notna().all() and gender.nunique() < folded.nunique():
        return text.map(dict(zip(counts.index, gender)), na_action="ignore").astype("string")
    spelling = {}
    for _, group in counts.groupby(folded.to_numpy(), sort=False):
        cased = group[[not v.islower() for v in group.index]]
        best = (cased if not cased.empty else group).idxmax()
        spelling.update(dict.fromkeys(group.index, best))
    return text.map(spelling, na_action="ignore").astype("string")


#: Ordered answer scales, lowest rank first; the spellings in one tuple share a rank. Levels are
#: compared case-folded, with runs of spaces, hyphens and underscores read as one space
#: (``"Strongly-Agree"`` is ``"strongly agree"``). The first scale holding every level of a
#: column gives its order (see :func:`scale_order`); add a scale or a spelling here.
ORDERED_SCALES: dict[str, tuple[tuple[str, ...], ...]] = {
    "agreement": (
        ("strongly disagree", "completely disagree", "totally disagree"),
        ("disagree",),
        ("somewhat disagree", "slightly disagree", "tend to disagree", "mostly disagree"),
        ("neither agree nor disagree", "neither agree or disagree", "neutral"),
        ("somewhat agree", "slightly agree", "tend to agree", "mostly agree"),
        ("agree",),
        ("strongly agree", "completely agree", "totally agree"),
    ),
    "satisfaction": (
        ("very dissatisfied", "extremely dissatisfied", "very unsatisfied", "completely dissatisfied"),
        ("dissatisfied", "unsatisfied"),
        ("somewhat dissatisfied", "slightly dissatisfied", "fairly dissatisfied"),
        ("neither satisfied nor dissatisfied", "neither satisfied or dissatisfied", "neutral"),
        ("somewhat satisfied", "slightly satisfied", "fairly satisfied"),
        ("satisfied",),
        ("very satisfied", "extremely satisfied", "completely satisfied"),
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
        ("not at all important", "not important", "unimportant"),
        ("slightly important", "not very important"),
        ("moderately important", "somewhat important", "fairly important"),
        ("important",),
        ("very important",),
        ("extremely important",),
    ),
    "frequency": (
        ("never",),
        ("rarely", "seldom", "almost never", "hardly ever"),
        ("sometimes", "occasionally"),
        ("often", "frequently", "regularly"),
        ("usually", "very often", "almost always", "most of the time"),
        ("always",),
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
        ("very low",),
        ("low",),
        ("medium", "moderate", "mid", "middle"),
        ("high",),
        ("very high",),
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
        ("bronze",),
        ("silver",),
        ("gold",),
        ("platinum",),
        ("diamond",),
    ),
}

#: An ordered scale needs at least this many distinct levels in a column (two are a flag).
MIN_SCALE_LEVELS = 3

# Numeric bands: "18-24", "25 to 34", "$20,000 - $39,999", "20-40k", "65+", "100k or more",
# "<20k", "under 18", "over 65". A number may carry a currency sign, thousands separators and a
# k/m multiplier; a trailing "years"/"yrs" is allowed.
_NUMBER = r"[$£€]?\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?"
_UNIT = r"(?:\s*(?:years?|yrs?))?"
_BAND_FORMS = (  # (pattern, which bound the first and second numbers are)
    (rf"{_NUMBER}\s*(?:-|–|—|to)\s*{_NUMBER}", ("low", "high")),
    (rf"{_NUMBER}\s*(?:\+|(?:and|or)\s+(?:over|above|more|older|higher))", ("low",)),
    (rf"(?:>|>=|≥|over|above|more than|at least)\s*{_NUMBER}", ("low",)),
    (rf"(?:<|<=|≤|under|below|less than|up to)\s*{_NUMBER}", ("high",)),
    (_NUMBER, ("low", "high")),  # a bare number: a one-value band ("0" children)
)
_BAND_PATTERNS = tuple((re.compile(rf"^\s*{form}{_UNIT}\s*$", re.I), bounds) for form, bounds in _BAND_FORMS)
_MULTIPLIERS = {None: 1.0, "": 1.0, "k": 1e3, "m": 1e6}


def _scale_key(level: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(level)).strip().casefold()


_SCALE_RANKS = {name: {_scale_key(word): rank for rank, words in enumerate(ranks) for word in words}
                for name, ranks in ORDERED_SCALES.items()}


def _band(level: str) -> tuple[float, float, bool] | None:
    """(lower bound, upper bound, is a bare number) of a numeric band, or None.

    Examples
    --------
    >>> _band("20-40k"), _band("65+"), _band("<20k"), _band("$20,000 - $39,999")
    ((20000.0, 40000.0, False), (65.0, inf, False), (-inf, 20000.0, False), (20000.0, 39999.0, False))
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
ATTITUDE_SCALES = ("agreement", "satisfaction", "likelihood", "importance", "quality")


def scale_kind(levels) -> str | None:
    """The name of the :data:`ORDERED_SCALES` scale that ``levels`` form, or None.

    Same rules as :func:`scale_order` (numeric bands are not a named scale: None).

    Examples
    --------
    >>> scale_kind(["Agree", "Neutral", "Strongly disagree"]), scale_kind(["Never", "Often", "Always"])
    ('agreement', 'frequency')
    >>> scale_kind(["18-24", "25-34", "65+"]) is None
    True
    """
    levels = list(dict.fromkeys(str(v) for v in levels))
    if len(levels) < MIN_SCALE_LEVELS:
        return None
    keys = [_scale_key(level) for level in levels]
    for kind, ranks in _SCALE_RANKS.items():
        positions = [ranks.get(k) for k in keys]
        if None not in positions and len(set(positions)) == len(positions):
            return kind
    return None


def scale_order(levels) -> list[str] | None:
    """``levels`` in the order of the known scale they form, or None when they form none.

    Every level must belong to one scale of :data:`ORDERED_SCALES` (case, spaces, hyphens
    and underscores ignored; no two levels at the same rank), or every level must be a numeric
    band (``18-24``, ``65+``, ``<20k``, ``20k-40k``; ordered by lower bound, not overlapping);
    and there must be at least :data:`MIN_SCALE_LEVELS` distinct levels. Levels keep their
    spelling.

    Examples
    --------
    >>> scale_order(["Agree", "Strongly disagree", "strongly agree"])
    ['Strongly disagree', 'Agree', 'strongly agree']
    >>> scale_order(["65+", "18-24", "25-34"])
    ['18-24', '25-34', '65+']
    >>> scale_order(["Gold", "Apple", "Silver"]) is None, scale_order(["Low", "High"]) is None
    (True, True)
    """
    levels = list(dict.fromkeys(str(v) for v in levels))
    if len(levels) < MIN_SCALE_LEVELS:
        return None
    keys = [_scale_key(level) for level in levels]
    for ranks in _SCALE_RANKS.values():
        if all(k in ranks for k in keys):
            positions = [ranks[k] for k in keys]
            if len(set(positions)) == len(positions):
                return [level for _, level in sorted(zip(positions, levels))]
    return _band_order(levels)


def ordered_levels(values: pd.Series) -> pd.Series | None:
    """Text ``values`` as an ordered category when their levels form a known scale, else None.

    Only the levels present are categories, in the scale's order, spelled as in the data;
    missing values stay missing.

    Examples
    --------
    >>> s = pd.Series(["Often", "never", "Sometimes", None, "Often"])
    >>> ordered_levels(s).cat.categories.tolist()
    ['never', 'Sometimes', 'Often']
    >>> ordered_levels(pd.Series(["Leeds", "York", "Bath"])) is None
    True
    """
    order = scale_order(values.dropna().unique())
    if order is None:
        return None
    present = values.astype(object).where(values.notna(), np.nan)
    return pd.Series(pd.Categorical(present.map(str, na_action="ignore"), categories=order, ordered=True),
                     index=values.index, name=values.name)


def group_rare(values: pd.Series, *, rare_share: float = 0.02, rare_count: int = 0, other: str = "Other") -> pd.Series:
    """Return ``values`` as a category with rare levels merged into ``other``.

    A level is rare when its share of the non-missing values is below ``rare_share`` or it
    has fewer than ``rare_count`` rows. Categories are ordered by frequency, ``other`` last.

    Examples
    --------
    >>> s = pd.Series(["Married"] * 60 + ["Single"] * 39 + ["YOLO"])
    >>> group_rare(s).value_counts().to_dict()
    {'Married': 60, 'Single': 39, 'Other': 1}
    """
    text = values.astype("string")
    counts = text.value_counts(dropna=True)
    total = counts.sum()
    rare = counts[(counts < rare_count) | (counts < rare_share * total)].index
    grouped = text.where(~text.isin(rare), other)
    keep = [v for v in counts.index if v not in set(rare) and v != other]
    categories = keep + ([other] if (grouped == other).any() else [])
    return pd.Series(pd.Categorical(grouped.astype(object).where(grouped.notna(), np.nan), categories=categories),
                     index=values.index, name=values.name)


def _age_at(birth: pd.Series, when: pd.Timestamp) -> pd.Series:
    """Age in whole years on ``when`` of people born on ``birth`` (float64, NaN when unknown).

    Examples
    --------
    >>> _age_at(pd.Series(pd.to_datetime(["1980-06-01", "1980-06-02", None])), pd.Timestamp("2020-06-01")).tolist()
    [40.0, 39.0, nan]
    """
    birthday_to_come = (birth.dt.month > when.month) | ((birth.dt.month == when.month) & (birth.dt.day > when.day))
    return (when.year - birth.dt.year - birthday_to_come.astype("int64")).astype("float64").where(birth.notna())


def _is_text(series: pd.Series) -> bool:
    return (
        pd.api.types.is_string_dtype(series)
        or isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(series)
    )


def customer_features(
    customers: pd.DataFrame,
    roles: object,
    *,
    reference_year: int | None = None,
    reference_date: date | str | pd.Timestamp | None = None,
    rare_share: float = 0.02,
    rare_count: int = 0,
    clean: bool = True,
    source: str = "customers",
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Build the customer-table features and tag each with its basis.

    Parameters
    ----------
    customers : DataFrame
        Standardised customer table (a ``customer_id`` column plus the original columns).
    roles : object
        Attributes ``customer_id``, ``demographics``, ``geography``, ``behaviour``,
        ``psychographics``, ``technographics``, ``campaigns``, ``constants`` (and
        optionally ``value``), each a list of column names; missing attributes count as
        empty (a :class:`types.SimpleNamespace` works).
    reference_year : int, optional
        Year ages are computed at. Default: the year of ``reference_date`` if given, else
        the current year. :func:`build_features` passes the snapshot year.
    reference_date : date-like, optional
        Date for ``<column>_days`` of date columns (default: today).
    rare_share, rare_count : float, int
        Categorical levels below this share (default 2%) or count are grouped as ``Other``.
    clean : bool
        Apply :func:`clean_customers` first (birth years, income outliers, negative values).
        :func:`build_features` cleans once itself and keeps the log.
    source : str
        Name of the input in messages.

    Returns
    -------
    (DataFrame, dict)
        Features indexed by ``customer_id`` (string) and ``{column: basis}``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> t = pd.DataFrame({"customer_id": ["1", "2"], "Year_Birth": [1970, 1990],
    ...                   "Kidhome": [1, 0], "Teenhome": [1, 0],
    ...                   "Marital_Status": ["Married", "Single"], "MntWines": [120, 15],
    ...                   "AcceptedCmp1": [1, 0], "Response": [1, 0]})
    >>> roles = SimpleNamespace(demographics=["Year_Birth", "Kidhome", "Teenhome", "Marital_Status"],
    ...                         behaviour=["MntWines"], campaigns=["AcceptedCmp1", "Response"])
    >>> X, bases = customer_features(t, roles, reference_year=2014)
    >>> X[["age", "children", "household_size", "campaigns_accepted"]]  # doctest: +NORMALIZE_WHITESPACE
                  age  children  household_size  campaigns_accepted
    customer_id
    1            44.0         2               4                   2
    2            24.0         0               1                   0
    >>> bases["MntWines"], bases["age"]
    ('behavioural', 'demographic')
    """
    customers = with_customer_id_column(customers, source)
    if reference_year is None:
        reference_year = pd.Timestamp(reference_date).year if reference_date is not None else date.today().year
    ref_date = pd.Timestamp(reference_date) if reference_date is not None else pd.Timestamp.today().normalize()
    for name in ROLE_BASES:
        for col in getattr(roles, name, None) or []:
            if col not in customers.columns:
                import difflib

                close = difflib.get_close_matches(str(col), [str(c) for c in customers.columns], n=3)
                raise ColumnError(
                    f"{source}: column {col!r} (role {name}) is missing; close matches: {close}"
                )
    if clean:
        customers, _ = clean_customers(customers, roles, reference_year=reference_year, source=source)
    index = pd.Index(customers["customer_id"].astype("string"), name="customer_id")
    data = customers.set_axis(index, axis=0)
    out: dict[str, pd.Series] = {}
    bases: dict[str, str] = {}

    def put(name: str, series: pd.Series, basis: str) -> None:
        out[name] = series.rename(name)
        bases[name] = basis

    for role, basis in ROLE_BASES.items():
        columns = list(getattr(roles, role, None) or [])
        birth = set(birth_year_columns(columns)) if role == "demographics" else set()
        born = set(birth_date_columns(data[columns])) if role == "demographics" else set()
        for col in columns:
            if col in out:
                continue
            series = data[col]
            if col in birth and pd.api.types.is_numeric_dtype(series):
                put("age", (reference_year - pd.to_numeric(series)).astype("float64"), basis)
            elif col in born and "age" not in out:
                put("age", _age_at(series, ref_date), basis)
            elif pd.api.types.is_datetime64_any_dtype(series):
                put(f"{col}_days", (ref_date - series).dt.days.astype("float64"), basis)
            elif pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
                put(col, series, basis)
            elif isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered:
                put(col, series, basis)  # the table's own order
            elif _is_text(series):
                tidy = tidy_levels(series)
                ordered = ordered_levels(tidy)
                if ordered is None:
                    ordered = group_rare(tidy, rare_share=rare_share, rare_count=rare_count)
                put(col, ordered, basis)
            else:
                put(col, series, basis)
        if role == "demographics":
            kids = [c for c in columns if _CHILDREN.search(str(c)) and pd.api.types.is_numeric_dtype(data[c])]
            if kids:
                children = data[kids].sum(axis=1, min_count=1)
                if len(kids) > 1:  # a single count column already is `children`; a copy would be profiled twice
                    put("children", children, basis)
                marital = [c for c in columns if _MARITAL.search(str(c))]
                if marital:
                    status = data[marital[0]].astype("string").str.strip().str.lower()
                    adults = status.isin(_PARTNERED).fillna(False).astype("int64") + 1
                    put("household_size", adults + children, basis)
        if role == "campaigns" and columns:
            accepted = data[columns].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
            put("campaigns_accepted", accepted.astype("Int64") if accepted.isna().any() else accepted.astype("int64"), basis)
            put("any_accepted", (accepted > 0).astype("Int8") if accepted.isna().any() else (accepted > 0).astype("int8"), basis)
    frame = pd.DataFrame(out, index=index)
    return frame, bases
