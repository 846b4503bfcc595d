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

When the roles carry a call per column (:func:`segkit.io.detect_roles`), a column becomes what
its kind says rather than what its type suggests: a code written as numbers (``Channel`` 1/2)
is a category, a rating or a day of the month (numbers) an ordered category of its points, a
yes/no flag a 0/1 number. Outcomes (``roles.outcomes``: churn, a segment label) are features
tagged ``outcome``, profiled but in no segmentation basis; :func:`feature_kinds` gives the kind
of every feature, derived ones included.

Columns in ``constants`` and columns without a role are left out.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError
from segkit.features.clean.customers import (
    birth_date_columns,
    birth_year_columns,
    clean_customers,
    with_customer_id_column,
)
from segkit.io.content import multi_select
from segkit.schema import (
    ATTITUDE_SCALES,
    BASES,
    ORDERED_SCALES,
    OUTCOME_BASIS,
    ROLE_BASES,
    TRANSACTION_KINDS,
    scale_kind,
    scale_order,
)

__all__ = ["ATTITUDE_SCALES", "BASES", "ORDERED_SCALES", "ROLE_BASES", "customer_features", "feature_kinds",
           "group_rare", "option_flags", "ordered_levels", "points_scale", "scale_kind", "scale_order", "tidy_levels"]


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
    _check_role_columns(customers, roles, source)
    if clean:
        customers, _ = clean_customers(customers, roles, reference_year=reference_year, source=source)
    index = pd.Index(customers["customer_id"].astype("string"), name="customer_id")
    data = customers.set_axis(index, axis=0)
    features = _Features(_kinds_of(roles))
    for role, basis in (*ROLE_BASES.items(), ("outcomes", OUTCOME_BASIS)):
        columns = list(getattr(roles, role, None) or [])
        _add_role_columns(features, data, columns, basis, demographic=role == "demographics",
                          reference_year=reference_year, ref_date=ref_date,
                          rare_share=0.0 if role == "outcomes" else rare_share, rare_count=rare_count)
        if role == "demographics":
            _add_household(features, data, columns, basis)
        if role == "campaigns" and columns:
            _add_campaign_totals(features, data, columns, basis)
    return pd.DataFrame(features.columns, index=index), features.bases


#: Kinds of the features derived from customer-table columns.
_DERIVED_KINDS = {"age": "quantity", "children": "count", "household_size": "count", "campaigns_accepted": "count",
                  "any_accepted": "flag", "total_spend": "money"}


def feature_kinds(frame: pd.DataFrame, roles: object = None) -> dict[str, str]:
    """The kind of every feature of a feature table: a customer-table column's from its call
    (what its values are: an outcome's ``flag`` or ``code``), a derived feature's by its
    definition, a purchase-log feature's from :data:`segkit.schema.TRANSACTION_KINDS`, and
    otherwise from its type (an ordered category is ``ordinal``, a category ``code``, a 0/1
    column ``flag``, a number ``quantity``).

    Examples
    --------
    >>> frame = pd.DataFrame({"recency_days": [3, 40], "share_channel_web": [0.5, 1.0], "age": [30.0, 41.0],
    ...                       "Member": [0, 1], "Plan": pd.Categorical(["a", "b"])})
    >>> feature_kinds(frame)
    {'recency_days': 'count', 'share_channel_web': 'share', 'age': 'quantity', 'Member': 'flag', 'Plan': 'code'}
    """
    calls = _kinds_of(roles) if roles is not None else {}
    out = {}
    for column in frame.columns:
        name = str(column)
        if column in calls:
            out[column] = calls[column]
        elif name in TRANSACTION_KINDS or name.startswith("share_"):
            out[column] = TRANSACTION_KINDS.get(name, "share")
        elif name in _DERIVED_KINDS:
            out[column] = _DERIVED_KINDS[name]
        elif name.endswith("_days") and name[:-5] in calls:
            out[column] = "count"
        else:
            out[column] = _type_kind(frame[column])
    return out


def _type_kind(series: pd.Series) -> str:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "ordinal" if series.dtype.ordered else "code"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_bool_dtype(series):
        return "flag"
    if pd.api.types.is_numeric_dtype(series):
        values = series.dropna()
        return "flag" if len(values) and values.isin([0, 1]).all() else "quantity"
    return "code"


def _kinds_of(roles: object) -> dict:
    """``{column: what its values are}`` from the roles' calls (empty for roles built by hand)."""
    calls = getattr(roles, "columns", None) or {}
    return {column: call.value_kind for column, call in calls.items()}


def points_scale(values: pd.Series) -> pd.Series:
    """Whole numbers on a scale (ratings 0-5, days of the month) as an ordered category of its points,
    every point from the lowest to the highest seen a level.

    Examples
    --------
    >>> points_scale(pd.Series([3, 1, None, 5])).cat.categories.tolist()
    ['1', '2', '3', '4', '5']
    """
    numbers = pd.to_numeric(values, errors="coerce")
    present = numbers.dropna()
    if present.empty:
        return pd.Series(pd.Categorical([np.nan] * len(values)), index=values.index, name=values.name)
    low, high = int(present.min()), int(present.max())
    points = range(low, high + 1) if high - low <= 30 else sorted(int(v) for v in present.unique())
    levels = [str(p) for p in points]
    text = numbers.map(lambda v: f"{v:.0f}", na_action="ignore")
    return pd.Series(pd.Categorical(text, categories=levels, ordered=True), index=values.index, name=values.name)


def option_flags(values: pd.Series, *, taken: set | frozenset = frozenset()) -> dict[str, pd.Series]:
    """The answers to a multi-select question as one 0/1 column per option, named after the option
    (``<question>: <option>`` when a column of that name is ``taken``), options in order of how
    often they were chosen. ``Price;Quality`` in one cell chooses two options (a respondent who
    left the question blank is missing); a column holding one option's name or blank (SurveyMonkey,
    one column per option) is that option, blank meaning not chosen.

    Examples
    --------
    >>> flags = option_flags(pd.Series(["Price;Quality", "Price", None, "Brand;Price", "Quality;Brand"], name="Why?"))
    >>> pd.DataFrame(flags)
       Price  Quality  Brand
    0      1        1      0
    1      1        0      0
    2   <NA>     <NA>   <NA>
    3      1        0      1
    4      0        1      1
    >>> option_flags(pd.Series(["TikTok", None], name="Apps - TikTok"))["TikTok"].tolist()
    [1, 0]
    """
    text = values.astype("string").str.strip()
    present = text.dropna()
    if present.nunique() == 1:
        option = str(present.iloc[0])
        name = _option_name(values.name, option, taken)
        return {name: text.notna().astype("int8").rename(name)}
    separator, options = multi_select(present)
    if separator is None:
        return {}
    chosen = text.str.split(separator, regex=False)
    out = {}
    for option in options:
        hit = chosen.map(lambda parts, o=option: o in [p.strip() for p in parts], na_action="ignore")
        name = _option_name(values.name, option, taken | set(out))
        out[name] = hit.astype("boolean").astype("Int8").rename(name)
    return out


def _option_name(question, option: str, taken) -> str:
    return option if option not in taken else f"{question}: {option}"


def _check_role_columns(customers: pd.DataFrame, roles: object, source: str) -> None:
    """A ColumnError naming the first column the roles name that the table lacks, with close matches."""
    for name in ROLE_BASES:
        for col in getattr(roles, name, None) or []:
            if col not in customers.columns:
                close = difflib.get_close_matches(str(col), [str(c) for c in customers.columns], n=3)
                raise ColumnError(
                    f"{source}: column {col!r} (role {name}) is missing; close matches: {close}"
                )


class _Features:
    """The features built so far, in order, each with its basis; ``kinds`` are the columns' kinds."""

    def __init__(self, kinds: dict | None = None) -> None:
        self.columns: dict[str, pd.Series] = {}
        self.bases: dict[str, str] = {}
        self.kinds: dict = dict(kinds or {})

    def put(self, name: str, series: pd.Series, basis: str) -> None:
        self.columns[name] = series.rename(name)
        self.bases[name] = basis

    def __contains__(self, name) -> bool:
        return name in self.columns


def _add_role_columns(features: _Features, data: pd.DataFrame, columns: list, basis: str, *, demographic: bool,
                      reference_year: int, ref_date: pd.Timestamp, rare_share: float, rare_count: int) -> None:
    """A role's columns as features: birth years and birth dates as ``age``, dates as days, text as categories."""
    birth = set(birth_year_columns(columns)) if demographic else set()
    born = set(birth_date_columns(data[columns])) if demographic else set()
    for col in columns:
        if col in features:
            continue
        series = data[col]
        kind = features.kinds.get(col)
        if col in birth and pd.api.types.is_numeric_dtype(series):
            features.put("age", (reference_year - pd.to_numeric(series)).astype("float64"), basis)
        elif col in born and "age" not in features:
            features.put("age", _age_at(series, ref_date), basis)
        elif pd.api.types.is_datetime64_any_dtype(series):
            features.put(f"{col}_days", (ref_date - series).dt.days.astype("float64"), basis)
        elif kind in ("code", "text", "identifier") and pd.api.types.is_numeric_dtype(series):
            codes = series.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v), na_action="ignore")
            features.put(col, group_rare(codes.astype("string"), rare_share=rare_share, rare_count=rare_count), basis)
        elif kind == "options":
            for name, chosen in option_flags(series, taken=set(features.columns) | set(data.columns)).items():
                features.put(name, chosen, basis)
        elif kind == "ordinal" and pd.api.types.is_numeric_dtype(series):
            features.put(col, points_scale(series), basis)
        elif pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            features.put(col, series, basis)
        elif isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered:
            features.put(col, series, basis)  # the table's own order
        elif _is_text(series):
            tidy = tidy_levels(series)
            ordered = ordered_levels(tidy) if kind in (None, "ordinal") else None
            if ordered is None:
                ordered = group_rare(tidy, rare_share=rare_share, rare_count=rare_count)
            features.put(col, ordered, basis)
        else:
            features.put(col, series, basis)


def _add_household(features: _Features, data: pd.DataFrame, columns: list, basis: str) -> None:
    """``children`` (the kid, teen and child counts together) and ``household_size`` (adults + children)."""
    # counts only: an 'Only child' flag or a 'Children' rating (1-5) is no number of children
    kids = [c for c in columns if _CHILDREN.search(str(c)) and pd.api.types.is_numeric_dtype(data[c])
            and features.kinds.get(c) in (None, "count", "quantity")]
    if not kids:
        return
    children = data[kids].sum(axis=1, min_count=1)
    if len(kids) > 1:  # a single count column already is `children`; a copy would be profiled twice
        features.put("children", children, basis)
    marital = [c for c in columns if _MARITAL.search(str(c))]
    if marital:
        status = data[marital[0]].astype("string").str.strip().str.lower()
        adults = status.isin(_PARTNERED).fillna(False).astype("int64") + 1
        features.put("household_size", adults + children, basis)


def _add_campaign_totals(features: _Features, data: pd.DataFrame, columns: list, basis: str) -> None:
    """``campaigns_accepted`` (the campaigns a customer accepted) and ``any_accepted`` (1 when any)."""
    accepted = data[columns].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
    unknown = accepted.isna().any()
    features.put("campaigns_accepted", accepted.astype("Int64") if unknown else accepted.astype("int64"), basis)
    features.put("any_accepted", (accepted > 0).astype("Int8") if unknown else (accepted > 0).astype("int8"), basis)
