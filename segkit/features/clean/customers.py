"""Cleaning a customer table: the rules of :data:`CUSTOMER_RULES`, applied in order and logged.

Every rule is data: a name, a default action and a sentence saying what it does. The value
rules find the columns they check by name (``Year_Birth``, ``Age``, ``Income``) and role;
some take their limits from the table itself, and the log keeps those limits so a later
batch can be cleaned exactly as this table was.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError
from segkit.features.clean.log import ACTION_WORDS, CleaningLog, resolve_rules
from segkit.io.names import is_age_name, is_birth_name, is_birth_year_name, is_income_name

__all__ = ["CUSTOMER_RULES", "age_columns", "birth_date_columns", "birth_year_columns", "clean_customers",
           "income_columns", "signed_columns", "upper_log_fence", "with_customer_id_column"]

#: Customer-table rules in the order they are applied.
CUSTOMER_RULES: dict[str, tuple[str, str]] = {
    "missing_customer_id": ("drop", "rows without a customer id"),
    "duplicate_customers": ("drop", "repeated customer ids: the first row is kept"),
    "impossible_birth_years": (
        "missing",
        "birth years (or birth dates) before min_birth_year (1900) or after the reference year are set to missing",
    ),
    "impossible_ages": (
        "missing",
        "ages below 1 or above max_age (120) in an age column (Age, customer_age) are set to missing",
    ),
    "income_outliers": (
        "missing",
        "values above Q3 + 3 x IQR of log(1 + value) (e.g. Income 666666) are set to missing; "
        "'cap' caps them at that fence instead",
    ),
    "negative_values": (
        "missing",
        "negative values in count, spend and income columns are set to missing; columns that may be negative "
        "(a balance, profit, change or score, or one with at least 5% negative values) are left as they are",
    ),
}

#: The actions each rule may take.
_ACTIONS = {
    "missing_customer_id": ("drop",),
    "duplicate_customers": ("drop",),
    "impossible_birth_years": ("missing", "keep"),
    "impossible_ages": ("missing", "keep"),
    "income_outliers": ("missing", "cap", "keep"),
    "negative_values": ("missing", "keep"),
}

def birth_date_columns(frame: pd.DataFrame) -> list[str]:
    """Date columns whose name says they hold a birth date (``DateOfBirth``, ``dob``, ``Geburtsdatum``).

    Examples
    --------
    >>> t = pd.DataFrame({"DateOfBirth": pd.to_datetime(["1980-05-01"]), "Year_Birth": [1980],
    ...                   "signup": pd.to_datetime(["2020-01-01"])})
    >>> birth_date_columns(t)
    ['DateOfBirth']
    """
    return [c for c in frame.columns if is_birth_name(c) and pd.api.types.is_datetime64_any_dtype(frame[c])]


def birth_year_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold a birth year (``Year_Birth``, ``birth_year``, ``yob``).

    Examples
    --------
    >>> birth_year_columns(["ID", "Year_Birth", "Income", "Geburtsjahr"])
    ['Year_Birth', 'Geburtsjahr']
    """
    return [c for c in columns if is_birth_year_name(c)]


def age_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold a person's age in years (``Age``, ``customer_age``, ``Âge``).

    Examples
    --------
    >>> age_columns(["Age", "customer_age", "Age (years)", "account_age", "page_views", "Âge"])
    ['Age', 'customer_age', 'Age (years)', 'Âge']
    """
    return [c for c in columns if is_age_name(c)]


def income_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name says they hold income (``Income``, ``Annual Income (k$)``, ``salary``, ``Revenu annuel``).

    Examples
    --------
    >>> income_columns(["Income", "Annual Income (k$)", "Age", "Revenu annuel", "Z_Revenue"])
    ['Income', 'Annual Income (k$)', 'Revenu annuel']
    """
    return [c for c in columns if is_income_name(c)]


# Words of a column name that say its values may be below zero: an overdrawn balance, a loss.
_SIGNED_WORDS = frozenset({"balance", "balances", "profit", "margin", "net", "change", "delta", "diff", "difference",
                           "growth", "trend", "pnl", "gain", "loss", "score", "zscore", "saldo", "solde"})


def signed_columns(frame: pd.DataFrame, columns: Iterable[str], share: float = 0.05, count: int = 5) -> list[str]:
    """Columns whose negative values are part of their scale, not errors.

    A name that says so (``balance``, ``NetProfit``, ``score_change``), or at least ``share`` of
    the known values and at least ``count`` values below zero: a bank balance has many
    overdrafts, a spend column a stray typo.

    Examples
    --------
    >>> t = pd.DataFrame({"Balance": [10.0, 5] * 50, "spend": [-1.0] + [5.0] * 99,
    ...                   "delta_z": [-1.0, 1.0] * 50, "Income": [-5.0, 50_000, 61_000] + [1.0] * 97})
    >>> signed_columns(t, ["Balance", "spend", "delta_z", "Income"])
    ['Balance', 'delta_z']
    """
    columns = list(columns)
    named = {c for c in columns
             if set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", str(c)).lower())) & _SIGNED_WORDS}
    negative, known = _negatives(frame, [c for c in columns if c not in named])
    return [c for c in columns if c in named or (negative[c] >= count and negative[c] / known[c] >= share)]


def _negatives(frame: pd.DataFrame, columns: list) -> tuple[dict, dict]:
    """How many values of each column are below zero, and how many are numbers: the columns
    typed as floats in blocks (a wide table of measurements), the others one by one."""
    negative, known = {}, {}
    floats = [c for c in columns if pd.api.types.is_float_dtype(frame[c].dtype)]
    for start in range(0, len(floats), 1_000):  # blocks bound the memory of the copy
        block = floats[start:start + 1_000]
        values = frame[block].to_numpy(dtype="float64", na_value=np.nan)
        present = ~np.isnan(values)
        negative.update(zip(block, (values < 0).sum(axis=0).tolist(), strict=True))
        known.update(zip(block, present.sum(axis=0).tolist(), strict=True))
    for column in columns:
        if column not in negative:
            numbers = pd.to_numeric(frame[column], errors="coerce").dropna()
            negative[column], known[column] = int((numbers < 0).sum()), len(numbers)
    return negative, known


def upper_log_fence(values: pd.Series, factor: float = 3.0) -> float:
    """The income-outlier fence: ``expm1(Q3 + factor * IQR)`` of ``log1p(values)``.

    On the log scale income is roughly symmetric, so the fence sits far above ordinary high
    incomes (about 500,000 for marketing_campaign) while catching placeholder values such
    as 666666.

    Examples
    --------
    >>> round(upper_log_fence(pd.Series([10.0, 20, 30, 40, 50])), 1)
    304.1
    """
    logged = np.log1p(pd.to_numeric(values, errors="coerce").dropna().clip(lower=0).astype("float64"))
    if logged.empty:
        return float("inf")
    q1, q3 = np.quantile(logged, [0.25, 0.75])
    return float(np.expm1(q3 + factor * (q3 - q1)))


def _role_columns(roles: object, names: Iterable[str]) -> list[str]:
    out: dict = {}  # ordered and without repeats, in one pass however wide the table
    for name in names:
        out.update(dict.fromkeys(getattr(roles, name, None) or []))
    return list(out)


def with_customer_id_column(customers: pd.DataFrame, source: str) -> pd.DataFrame:
    """The customer table with ``customer_id`` as a column (moved out of the index if needed)."""
    if "customer_id" in customers.columns:
        return customers
    if customers.index.name == "customer_id":
        return customers.reset_index()
    raise ColumnError(
        f"{source}: column 'customer_id' is missing (columns: {list(customers.columns)}); "
        "expected a standardised customer table (see segkit.io.standardise_customers)"
    )


def clean_customers(
    customers: pd.DataFrame,
    roles: object = None,
    *,
    rules: Mapping[str, str] | None = None,
    birth_years: list[str] | None = None,
    incomes: list[str] | None = None,
    nonnegative: list[str] | None = None,
    min_birth_year: int = 1900,
    max_age: int = 120,
    reference_year: int | None = None,
    iqr_factor: float = 3.0,
    thresholds: Mapping | None = None,
    source: str = "customers",
) -> tuple[pd.DataFrame, CleaningLog]:
    """Apply the customer-table rules of :data:`CUSTOMER_RULES` and log what they did.

    Some rules take their limits from the table itself: the income fence (a quantile of the
    incomes), which columns may be negative (a share of negative values) and the latest
    possible birth year (the reference year). The log keeps what they were in
    :attr:`CleaningLog.thresholds`; pass that back as ``thresholds`` to clean another table
    (a batch of new customers, one customer alone) exactly as this one was cleaned.

    Parameters
    ----------
    customers : DataFrame
        A standardised customer table with a ``customer_id`` column (or index).
    roles : object, optional
        Column roles (attributes ``demographics``, ``behaviour``, ``value``, ... holding
        lists of column names). Columns to check are taken from the roles when the explicit
        lists are not given; without roles, from the column names.
    rules : mapping of str to str, optional
        Override actions, e.g. ``{"income_outliers": "cap"}``.
    birth_years, incomes, nonnegative : list of str, optional
        Columns holding birth years / incomes / values that cannot be negative. Default:
        recognised by name (``Year_Birth``, ``Income``); ``nonnegative`` defaults to the
        numeric demographic, behaviour and value columns (all numeric columns without
        roles) other than birth years.
    min_birth_year : int
        Birth years before this are impossible (default 1900).
    max_age : int
        Ages above this, or below 1, in an age column (:func:`age_columns`) are impossible
        (default 120); ages of 0 are usually a placeholder for "unknown".
    reference_year : int, optional
        Birth years after this are impossible (default: the current year).
    iqr_factor : float
        Fence factor of :func:`upper_log_fence` (default 3).
    thresholds : mapping, optional
        The :attr:`CleaningLog.thresholds` of an earlier run: ``{"reference_year": year,
        "income_outliers": {column: fence or None}, "negative_values": [columns]}``. Its
        fences, columns and year are used instead of those this table would give (columns
        the table lacks are skipped); explicit ``incomes`` / ``nonnegative`` lists still win.
    source : str
        Name of the input in messages.

    Returns
    -------
    (DataFrame, CleaningLog)

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": pd.array(["1", "2", "3"], dtype="string"),
    ...                   "Year_Birth": [1893, 1970, 1985], "Income": [50000.0, 61000.0, -5.0]})
    >>> clean, log = clean_customers(t, reference_year=2014)
    >>> clean["Year_Birth"].isna().tolist(), clean["Income"].isna().tolist()
    ([True, False, False], [False, False, True])
    >>> sorted(log.thresholds), log.thresholds["negative_values"]
    (['income_outliers', 'negative_values', 'reference_year'], ['Income'])

    New customers cleaned as the whole table was, whatever the batch's own incomes:

    >>> new = pd.DataFrame({"customer_id": ["4", "5"], "Year_Birth": [1980, 1990], "Income": [666666.0, 400000.0]})
    >>> clean_customers(new, thresholds={"income_outliers": {"Income": 500000.0}})[0]["Income"].isna().tolist()
    [True, False]
    """
    actions = resolve_rules(CUSTOMER_RULES, rules, _ACTIONS)
    # the rules only ever replace whole columns or keep rows (never write into one): a shallow
    # copy leaves the caller's table as it was, without copying a wide table's every value
    df = with_customer_id_column(customers, source).copy(deep=False)
    log = CleaningLog()
    given = dict(thresholds or {})
    year = int(given.get("reference_year") or reference_year or date.today().year)

    def drop(rule: str, mask: pd.Series, column: str | None) -> None:
        nonlocal df
        mask = mask.fillna(False).astype(bool)
        log.add(rule, "dropped", CUSTOMER_RULES[rule][1], rows=int(mask.sum()), column=column)
        df = df.loc[~mask]

    def set_missing(rule: str, column: str, mask: pd.Series, cap: float | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        action = actions[rule]
        log.add(rule, ACTION_WORDS[action], CUSTOMER_RULES[rule][1], rows=int(mask.sum()), column=column)
        if action == "keep" or not mask.any():
            return
        col = df[column]
        if not pd.api.types.is_float_dtype(col):
            extension = isinstance(col.dtype, pd.api.extensions.ExtensionDtype)
            col = col.astype("Float64") if extension else col.astype("float64")
        df[column] = col.where(~mask, cap if action == "cap" else np.nan)

    drop("missing_customer_id", df["customer_id"].isna(), "customer_id")
    drop("duplicate_customers", df["customer_id"].duplicated(keep="first"), "customer_id")
    checks = _checked_columns(df, roles, given, birth_years=birth_years, incomes=incomes, nonnegative=nonnegative,
                              source=source)
    for column in checks.birth_years:
        values = pd.to_numeric(df[column], errors="coerce")
        set_missing("impossible_birth_years", column, (values < min_birth_year) | (values > year))
    for column in birth_date_columns(df) if birth_years is None else []:
        years = df[column].dt.year
        bad = ((years < min_birth_year) | (years > year)).fillna(False).astype(bool)
        log.add("impossible_birth_years", ACTION_WORDS[actions["impossible_birth_years"]],
                CUSTOMER_RULES["impossible_birth_years"][1], rows=int(bad.sum()), column=column)
        if actions["impossible_birth_years"] != "keep" and bad.any():
            df[column] = df[column].mask(bad)
    for column in checks.ages:
        values = pd.to_numeric(df[column], errors="coerce")
        set_missing("impossible_ages", column, (values < 1) | (values > max_age))
    negative, _ = _negatives(df, checks.nonnegative)  # counted a block at a time: most columns have none
    for column in checks.nonnegative:
        if negative[column]:
            set_missing("negative_values", column, pd.to_numeric(df[column], errors="coerce") < 0)
        else:
            log.add("negative_values", ACTION_WORDS[actions["negative_values"]], CUSTOMER_RULES["negative_values"][1],
                    rows=0, column=column)
    fences = checks.fences
    for column in checks.incomes:
        values = pd.to_numeric(df[column], errors="coerce")
        fence = fences[column] if column in fences else upper_log_fence(values, iqr_factor)
        fences[column] = fence
        set_missing("income_outliers", column, values > fence, cap=fence)
    log.thresholds = {
        "reference_year": year,
        "income_outliers": {str(c): None if math.isinf(f) else f for c, f in fences.items()},
        "negative_values": [str(c) for c in checks.nonnegative],
    }
    return df, log


class _Checks(NamedTuple):
    """The columns the value rules check, and the income fences given by an earlier run."""

    birth_years: list
    ages: list
    nonnegative: list
    incomes: list
    fences: dict


def _checked_columns(df: pd.DataFrame, roles: object, given: Mapping, *, birth_years: list | None,
                     incomes: list | None, nonnegative: list | None, source: str) -> _Checks:
    """The columns each value rule checks: as given, from an earlier run's thresholds, or by name and role."""
    columns = [c for c in df.columns if c != "customer_id"]
    dtypes = df.dtypes
    numeric = {c: None for c in columns
               if pd.api.types.is_numeric_dtype(dtypes[c]) and not pd.api.types.is_bool_dtype(dtypes[c])}
    birth = birth_years if birth_years is not None else [c for c in birth_year_columns(columns) if c in numeric]
    by_name = {str(c): c for c in columns}
    fences: dict = {}
    if incomes is None and "income_outliers" in given:
        fences = {by_name[name]: math.inf if fence is None else float(fence)
                  for name, fence in given["income_outliers"].items() if name in by_name}
        income = list(fences)
    else:
        income = incomes if incomes is not None else [c for c in income_columns(columns) if c in numeric]
    if nonnegative is None and "negative_values" in given:
        nonnegative = [by_name[name] for name in given["negative_values"] if name in by_name]
    elif nonnegative is None:
        pool = _role_columns(roles, ("demographics", "behaviour", "value")) if roles is not None else columns
        births = set(birth)
        nonnegative = [c for c in pool if c in numeric and c not in births]
        signed = set(signed_columns(df, nonnegative))
        nonnegative = [c for c in nonnegative if c not in signed]
    for name in [*birth, *income, *nonnegative]:
        if name not in df.columns:
            close = difflib.get_close_matches(str(name), columns, n=3)
            raise ColumnError(f"{source}: column {name!r} is missing; close matches: {close}")
    births = set(birth)
    ages = age_columns(c for c in columns if c in numeric and c not in births)
    return _Checks(birth, ages, nonnegative, income, fences)
