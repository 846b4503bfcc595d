"""How report tables look: a DataFrame formatted for reading rather than debugging.

A DataFrame's plain repr is made for a programmer: row numbers 0..n, ``NaN`` in empty cells,
``1329670.90`` for revenue, ``0.385932`` for a share, long text cut at 50 characters.
:func:`show` turns a frame into a pandas ``Styler`` that a marketing reader can scan: column
names in words, counts with thousands separators, shares and rates as percentages, large
amounts without cents, empty cells empty, booleans as yes/no, text wrapped instead of cut,
numbers right-aligned. The data are untouched; only the display changes.

This module imports nothing else from segkit, so that any part of the package can display
a table with it (a :class:`~segkit.profile.SegmentProfile` in JupyterLab does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["COUNT_NAMES", "PERCENT_NAMES", "SHORT_TEXT", "TABLE_CLASS", "WHOLE_ABOVE", "is_fraction", "is_missing",
           "show"]

#: Column names read as a share, rate or probability: shown as percentages when every value
#: lies in [-1, 1].
PERCENT_NAMES = re.compile(r"(share|rate|mde|p_alive|probab|percent|_pct)", re.I)
#: Numbers at least this large are shown without decimals (cents on a million are noise).
WHOLE_ABOVE = 1_000
#: Column names read as counts: whole-number floats in them are shown without decimals (a
#: score that happens to be 1.0 keeps its "1.00").
COUNT_NAMES = re.compile(r"(^|[_ ])(size|customers|count|rows|n|responders|orders|lines|bytes|rank)($|[_ ])", re.I)
#: Text columns whose longest value has at most this many characters are not wrapped.
SHORT_TEXT = 32
#: CSS class of every table made here (the report's stylesheet wraps their headers).
TABLE_CLASS = "segkit-table"


def show(
    frame: pd.DataFrame,
    *,
    percent: Iterable[str] | None = None,
    hide_index: bool | None = None,
    caption: str | None = None,
) -> Styler:
    """A readable, styled view of ``frame`` for a report or a notebook.

    Parameters
    ----------
    frame : DataFrame
        The table. It is not modified.
    percent : iterable of str, optional
        Columns to show as percentages. Default: numeric columns whose name says share, rate,
        mde, probability or percent and whose values all lie in [-1, 1].
    hide_index : bool, optional
        Hide the row labels. Default: hidden when they are just row numbers (an unnamed
        RangeIndex); a named index such as ``segment`` is shown.
    caption : str, optional
        A caption above the table.

    Returns
    -------
    pandas.io.formats.style.Styler

    Examples
    --------
    >>> t = pd.DataFrame({"revenue_share": [0.386, 0.614], "customers": [400, 1077],
    ...                   "revenue": [1329670.9, 97291.44], "note": ["", None]})
    >>> html = show(t).to_html()
    >>> "38.6%" in html and "1,077" in html and "1,329,671" in html and "revenue share" in html
    True
    >>> "nan" in html.lower() or "None" in html
    False
    """
    percent = set(_percent_columns(frame) if percent is None else percent)
    if hide_index is None:
        hide_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    styler = frame.style
    numeric: list[object] = []
    text: list[object] = []
    for column in frame.columns:
        series = frame[column]
        fmt, is_number = _formatter(series, column in percent, column)
        styler = styler.format(fmt, subset=[column], na_rep="")
        (numeric if is_number else text).append(column)
    styler = styler.format_index(_label, axis=1)
    if hide_index:
        styler = styler.hide(axis="index")
    else:
        styler = styler.format_index(lambda v: "" if is_missing(v) else str(v), axis=0)
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    # Short text (names, actions) stays on one line; long text (descriptions) wraps.
    short = [c for c in text if _longest(frame[c]) <= SHORT_TEXT]
    long = [c for c in text if c not in short]
    if short:
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    if long:
        styler = styler.set_properties(subset=long, **{"white-space": "normal", "min-width": "16em"})
    styler = styler.set_table_attributes(f'class="{TABLE_CLASS}"')
    if caption:
        styler = styler.set_caption(caption)
    return styler


def _percent_columns(frame: pd.DataFrame) -> list[object]:
    return [c for c in frame.columns if PERCENT_NAMES.search(str(c)) and is_fraction(frame[c])]


def is_fraction(series: pd.Series) -> bool:
    """A real-valued column whose values all lie in [-1, 1] (and has at least one).

    Examples
    --------
    >>> is_fraction(pd.Series([0.2, -0.5, None])), is_fraction(pd.Series([2.0])), is_fraction(pd.Series([True]))
    (True, False, False)
    """
    if not _is_real(series):
        return False
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    finite = values[np.isfinite(values)]
    return bool(finite.size) and float(np.abs(finite).max()) <= 1.0


def _longest(series: pd.Series) -> int:
    return max((len(_text(v)) for v in series), default=0)


def _is_real(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _formatter(series: pd.Series, as_percent: bool, name: object = ""):
    """(format function, is it a number column) for one column."""
    if pd.api.types.is_bool_dtype(series):
        return (lambda v: "" if is_missing(v) else ("yes" if v else "no")), False
    if pd.api.types.is_integer_dtype(series):
        return (lambda v: "" if is_missing(v) else f"{int(v):,}"), True
    if _is_real(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        finite = values[np.isfinite(values)]
        if as_percent:
            return (lambda v: "" if is_missing(v) else f"{v:.1%}"), True
        counts = bool(COUNT_NAMES.search(str(name))) and bool(np.all(finite == np.round(finite)))
        whole = finite.size > 0 and (counts or np.abs(finite).max() >= WHOLE_ABOVE)
        spec = ",.0f" if whole else ",.2f"
        return (lambda v: "" if is_missing(v) else format(float(v), spec)), True
    return _text, False


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if is_missing(value):
        return ""
    return str(value)


def is_missing(value: object) -> bool:
    """A missing scalar (None, NaN, NA, NaT); a list or array is never missing.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing([]), is_missing("")
    (True, True, False, False)
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _label(name: object) -> str:
    """A column name in words: underscores become spaces, the first letter is kept as is."""
    return str(name).replace("_", " ")
