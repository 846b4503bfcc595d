"""Column values of every kind, drawn from a seeded generator: money, counts, codes, flags,
scales, dates in many formats, identifiers and free text.

Every maker takes a :class:`Context` (the generator, the number of rows and the language the
words are written in) and returns a :class:`pandas.Series` of ``ctx.n`` values as a file would
hold them: numbers as numbers, everything else as text.

Examples
--------
>>> import numpy as np
>>> ctx = Context(np.random.default_rng(0), 4, "fr")
>>> flags(ctx, "words", p=0.5).tolist()
['Non', 'Oui', 'Oui', 'Oui']
>>> format_dates([dt.datetime(9999, 12, 31)], "dmy_dot")
['31.12.9999']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from benchmarks.rolebench.words import (COMMENT_PARTS, FIRST_NAMES, LAST_NAMES, PRODUCT_WORDS, STREETS, YES_NO,
                                        words)

__all__ = ["DATE_FORMATS", "OPEN_ENDS", "Context", "dates", "emails", "flags", "format_dates", "free_text", "ids",
           "ints", "measure", "money", "person_names", "phones", "pick", "product_names", "ratings", "shares",
           "street_addresses", "with_gaps"]


@dataclass
class Context:
    """What a maker needs: the seeded generator, the number of rows, the language of the words."""

    rng: np.random.Generator
    n: int
    language: str = "en"


def pick(ctx: Context, levels, weights=None) -> pd.Series:
    """Levels drawn with ``weights`` (default: unequal, so no two levels are equally common)."""
    levels = list(levels)
    if weights is None:
        weights = ctx.rng.dirichlet(np.full(len(levels), 3.0))
    weights = np.asarray(weights, dtype=float)
    return pd.Series(ctx.rng.choice(np.array(levels, dtype=object), size=ctx.n, p=weights / weights.sum()))


def ints(ctx: Context, low: int, high: int) -> pd.Series:
    """Whole numbers from ``low`` to ``high`` inclusive, middle values more common."""
    centre, spread = (low + high) / 2, max((high - low) / 4, 0.5)
    return pd.Series(np.clip(np.rint(ctx.rng.normal(centre, spread, ctx.n)), low, high).astype("int64"))


def money(ctx: Context, median: float, *, spread: float = 0.8, decimals: int = 2, zeros: float = 0.0,
          negative: float = 0.0) -> pd.Series:
    """Amounts of money around ``median`` (log-normal), a share ``zeros`` of them 0 and a share
    ``negative`` below 0 (refunds, overdrafts)."""
    values = median * np.exp(ctx.rng.normal(0.0, spread, ctx.n))
    values[ctx.rng.random(ctx.n) < zeros] = 0.0
    values[ctx.rng.random(ctx.n) < negative] *= -1
    values = np.round(values, decimals)
    return pd.Series(values.astype("int64") if decimals == 0 else values)


def measure(ctx: Context, low: float, high: float, *, decimals: int = 1) -> pd.Series:
    """Measurements between ``low`` and ``high`` (minutes, megabytes, kilometres), skewed to the low end."""
    values = low + (high - low) * ctx.rng.beta(2.0, 3.5, ctx.n)
    values = np.round(values, decimals)
    return pd.Series(values.astype("int64") if decimals == 0 else values)


def shares(ctx: Context, form: str = "fraction") -> pd.Series:
    """Shares: ``fraction`` (0-1), ``percent`` (0-100) or ``percent_text`` (``"12.5 %"``)."""
    values = ctx.rng.beta(1.5, 4.0, ctx.n)
    if form == "fraction":
        return pd.Series(np.round(values, 3))
    if form == "percent":
        return pd.Series(np.round(values * 100, 1))
    return pd.Series([f"{v * 100:.1f} %" for v in values], dtype=object)


def flags(ctx: Context, form: str, p: float | None = None) -> pd.Series:
    """Yes/no answers, a share ``p`` of them yes: ``words`` (in the context's language),
    ``yn`` (Y/N), ``01`` (1/0 numbers), ``truefalse`` (True/False)."""
    p = ctx.rng.uniform(0.1, 0.5) if p is None else p
    yes = ctx.rng.random(ctx.n) < p
    if form == "01":
        return pd.Series(yes.astype("int64"))
    pair = {"words": words(YES_NO, ctx.language), "yn": ("Y", "N"), "truefalse": ("True", "False"),
            "lower": ("yes", "no")}[form]
    return pd.Series(np.where(yes, pair[0], pair[1]).astype(object))


def ratings(ctx: Context, low: int, high: int) -> pd.Series:
    """Answers on a ``low``-``high`` rating scale, every point used."""
    points = np.arange(low, high + 1)
    weights = ctx.rng.dirichlet(np.full(len(points), 4.0))
    return pd.Series(ctx.rng.choice(points, size=ctx.n, p=weights).astype("int64"))


def ids(ctx: Context, form: str) -> pd.Series:
    """Unique identifiers: ``int`` (12345), ``prefixed`` (``C00123``), ``uuid``, ``long`` (16-22 digits,
    beyond what int64 holds from 19), ``stripe`` (``cus_8fK2...``)."""
    rng, n = ctx.rng, ctx.n
    if form == "int":
        start = int(rng.choice([1, 1000, 10000, 100000]))
        return pd.Series(start + np.sort(rng.choice(n * 3, size=n, replace=False)))
    if form == "prefixed":
        prefix = str(rng.choice(["C", "CUST-", "K", "CL", "M-", "ID"]))
        return pd.Series([f"{prefix}{i:06d}" for i in rng.choice(n * 5, size=n, replace=False)], dtype=object)
    if form == "uuid":
        return pd.Series([f"{a:08x}-{b:04x}-4{c:03x}-{d:04x}-{e:012x}"
                          for a, b, c, d, e in zip(*(rng.integers(0, m, n) for m in
                                                     (2**32, 2**16, 2**12, 2**16, 2**48)))], dtype=object)
    if form == "long":
        digits = int(rng.integers(16, 23))
        return pd.Series(["".join(map(str, [rng.integers(1, 10), *rng.integers(0, 10, digits - 1)]))
                          for _ in range(n)], dtype=object)
    if form == "stripe":
        alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"))
        return pd.Series(["cus_" + "".join(rng.choice(alphabet, 14)) for _ in range(n)], dtype=object)
    raise ValueError(f"id form {form!r} is unknown")


def emails(ctx: Context) -> pd.Series:
    """Unique e-mail addresses."""
    domains = ("gmail.com", "outlook.com", "yahoo.fr", "web.de", "libero.it", "sapo.pt", "ziggo.nl", "example.com")
    first = ctx.rng.choice(np.array(FIRST_NAMES, dtype=object), ctx.n)
    return pd.Series([f"{f.lower()}.{i}@{ctx.rng.choice(domains)}".replace("é", "e").replace("ã", "a")
                      for i, f in enumerate(first)], dtype=object)


def phones(ctx: Context) -> pd.Series:
    """Phone numbers in one national style per column (some read as plain numbers)."""
    style = int(ctx.rng.integers(0, 4))
    digits = ctx.rng.integers(0, 10, size=(ctx.n, 9))
    out = []
    for row in digits:
        d = "".join(map(str, row))
        out.append((f"+33 6 {d[1:3]} {d[3:5]} {d[5:7]} {d[7:9]}", f"({d[:3]}) {d[3:6]}-{d[6:9]}0",
                    f"0{d}", f"+49 {d[:3]} {d[3:]}")[style])
    return pd.Series(out, dtype=object)


def person_names(ctx: Context, part: str) -> pd.Series:
    """``first``, ``last`` or ``full`` names."""
    first = ctx.rng.choice(np.array(FIRST_NAMES, dtype=object), ctx.n)
    last = ctx.rng.choice(np.array(LAST_NAMES, dtype=object), ctx.n)
    if part == "first":
        return pd.Series(first)
    if part == "last":
        return pd.Series(last)
    return pd.Series([f"{f} {s}" for f, s in zip(first, last)], dtype=object)


def street_addresses(ctx: Context) -> pd.Series:
    """House numbers and streets in the context's language."""
    streets = words(STREETS, ctx.language)
    numbers = ctx.rng.integers(1, 250, ctx.n)
    return pd.Series([f"{k} {ctx.rng.choice(streets)}" if ctx.language in ("en", "fr") else
                      f"{ctx.rng.choice(streets)} {k}" for k in numbers], dtype=object)


def free_text(ctx: Context, missing: float = 0.3) -> pd.Series:
    """Notes written by hand: many distinct sentences, some rows blank."""
    opening, subject, ending = words(COMMENT_PARTS, ctx.language)
    rng = ctx.rng
    texts = [f"{rng.choice(opening)} {rng.choice(subject)} {rng.choice(ending)} {rng.integers(1, 30)}/"
             f"{rng.integers(1, 13)}".strip() for _ in range(ctx.n)]
    return with_gaps(ctx, pd.Series(texts, dtype=object), missing)


def product_names(ctx: Context, how_many: int = 120) -> np.ndarray:
    """``how_many`` distinct product descriptions (``VINTAGE GLASS LANTERN``)."""
    names = sorted({" ".join(ctx.rng.choice(part) for part in PRODUCT_WORDS) for _ in range(how_many * 3)})
    return np.array(names[:how_many], dtype=object)


def with_gaps(ctx: Context, values: pd.Series, share: float) -> pd.Series:
    """``values`` with a share ``share`` of them missing (whole-number columns become floats)."""
    if share <= 0:
        return values
    gaps = ctx.rng.random(len(values)) < share
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64").mask(gaps)
    return values.astype(object).mask(gaps, None)


# --------------------------------------------------------------------------------- dates

#: Ways of writing a date; ``excel``, ``unix`` and ``compact`` are written as numbers.
DATE_FORMATS = {
    "iso": "%Y-%m-%d", "iso_time": "%Y-%m-%d %H:%M:%S", "iso_t": "%Y-%m-%dT%H:%M:%S", "iso_z": "%Y-%m-%dT%H:%M:%SZ",
    "utc": "%Y-%m-%d %H:%M:%S +0000", "dmy_slash": "%d/%m/%Y", "dmy_slash_time": "%d/%m/%Y %H:%M",
    "mdy_slash": "%m/%d/%Y", "mdy_slash_time": "%m/%d/%Y %H:%M", "dmy_dot": "%d.%m.%Y", "dmy_dash": "%d-%m-%Y",
    "ymd_slash": "%Y/%m/%d", "d_mon_y": "%d %b %Y", "mon_d_y": "%b %d, %Y", "compact": "%Y%m%d",
    "excel": None, "unix": None,
}
#: Dates outside pandas' range that exports write for "no end" or "unknown".
OPEN_ENDS = (dt.datetime(9999, 12, 31), dt.datetime(1, 1, 1), dt.datetime(2999, 12, 31))
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_UNIX_EPOCH = dt.datetime(1970, 1, 1)


def _strftime(value: dt.datetime, fmt: str) -> str:
    """``fmt`` filled from ``value``, with four-digit years for any year (strftime writes year 1 as ``1``)."""
    parts = {"%Y": f"{value.year:04d}", "%m": f"{value.month:02d}", "%d": f"{value.day:02d}",
             "%H": f"{value.hour:02d}", "%M": f"{value.minute:02d}", "%S": f"{value.second:02d}",
             "%b": _MONTH_ABBR[value.month - 1]}
    for code, text in parts.items():
        fmt = fmt.replace(code, text)
    return fmt


def format_dates(values, fmt: str) -> list:
    """Datetimes (``None`` for missing) written the way ``fmt`` (a key of :data:`DATE_FORMATS`) says.

    Examples
    --------
    >>> format_dates([dt.datetime(2021, 3, 5, 14, 2), None], "mon_d_y"), format_dates([dt.datetime(2021, 3, 5)], "excel")
    (['Mar 05, 2021', None], [44260])
    """
    out = []
    for value in values:
        if value is None:
            out.append(None)
        elif fmt == "excel":
            out.append((value - _EXCEL_EPOCH).days)
        elif fmt == "unix":
            out.append(int((value - _UNIX_EPOCH).total_seconds()))
        elif fmt == "compact":
            out.append(int(_strftime(value, "%Y%m%d")))
        else:
            out.append(_strftime(value, DATE_FORMATS[fmt]))
    return out


def dates(ctx: Context, start: str, end: str, fmt: str, *, open_end: float = 0.0, with_time: bool = False,
          missing: float = 0.0) -> pd.Series:
    """Dates from ``start`` to ``end`` written in ``fmt``; a share ``open_end`` of them one of
    :data:`OPEN_ENDS` (the same one in a column)."""
    first, last = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    seconds = ctx.rng.uniform(0, (last - first).total_seconds(), ctx.n)
    stamps = [first + dt.timedelta(seconds=float(s) if with_time else float(s // 86400 * 86400)) for s in seconds]
    end_value = OPEN_ENDS[int(ctx.rng.integers(0, len(OPEN_ENDS)))]
    draws = ctx.rng.random(ctx.n)
    stamps = [end_value if d < open_end else (None if d > 1 - missing else s) for d, s in zip(draws, stamps)]
    out = pd.Series(format_dates(stamps, fmt), dtype=object)
    if fmt in ("excel", "unix", "compact") and not missing:
        return out.astype("int64")
    return out
