"""Numbers and names as the rules and explanations write them: for people, and for SQL.

Examples
--------
>>> format_number(1187.0), format_number(0.125, percent=True), quote_identifier('Annual Income (k$)')
('1,187', '12.5%', '"Annual Income (k$)"')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from segkit.features.preprocess import numeric_values
from segkit.report.style import PERCENT_NAMES

__all__ = ["format_number", "is_percent", "literal", "one_line", "quote_identifier", "quote_text"]


def is_percent(name: object, values) -> bool:
    """Whether a feature reads as a percentage: its name says share or rate and nearly all of
    its values lie in [-1, 1] (a return rate, a channel's revenue share).

    Examples
    --------
    >>> is_percent("share_channel_web", [0.0, 0.25, 1.0]), is_percent("monetary", [0.5]), is_percent("rate", [3, 5])
    (True, False, False)
    """
    if not (PERCENT_NAMES.search(str(name)) or str(name).startswith("share_")):
        return False  # the name first: the values' quantile is the costly part (a million customers)
    values = np.asarray(numeric_values(pd.Series(values)) if not isinstance(values, np.ndarray) else values,
                        dtype=float)
    values = values[~np.isnan(values)]
    return values.size > 0 and float(np.quantile(np.abs(values), 0.99)) <= 1.0


def format_number(value: float, *, percent: bool = False, digits: int = 6) -> str:
    """A number for reading: thousands separators, no needless decimals, or a percentage;
    at most ``digits`` significant digits.

    Examples
    --------
    >>> format_number(1200.0), format_number(0.4, percent=True), format_number(12.5), format_number(-3.0)
    ('1,200', '40%', '12.5', '-3')
    >>> format_number(49.3225, digits=3), format_number(0.763523, percent=True, digits=3)
    ('49.3', '76.4%')
    """
    if percent:
        return f"{float(format(value * 100, f'.{digits}g')):g}%"
    text = format(float(value), f".{digits}g")
    if "e" in text:
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{float(text):,.{decimals}f}"


def quote_identifier(name: str) -> str:
    """A column name as a SQL identifier (double quotes, quotes inside doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_text(value: Any) -> str:
    """A value as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def literal(value: float) -> str:
    """The shortest SQL number that reads back as ``value``."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def one_line(text: str) -> str:
    """``text`` on one line (for a SQL comment)."""
    return " ".join(str(text).split())

