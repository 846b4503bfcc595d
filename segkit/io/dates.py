"""Dates and times of day: every way a customer table or purchase log writes them.

A column is read with the one format that fits all its values (ISO 8601 first; day-first
with '-' and '.', month-first with '/'; a :class:`~segkit.exceptions.SegkitWarning` when a
later format reads them differently), or as numbers: yyyymmdd, Excel serial days, Unix
seconds or milliseconds. ``?``, ``none`` and ``(blank)`` are missing dates, not bad ones, and a
date outside what pandas holds (``9999-12-31`` for "no end date", ``0001-01-01`` for "unknown")
is an open end: missing, and counted (:func:`read_dates`), never an error.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["04.09.2012", "21.08.2013", "?"])
>>> parse_dates(s, label="people.csv", column="Dt_Customer", frame=s.to_frame()).tolist()
[Timestamp('2012-09-04 00:00:00'), Timestamp('2013-08-21 00:00:00'), NaT]
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from segkit.exceptions import DataError, SegkitWarning, user_stacklevel
from segkit.io.messages import first_bad, plural, show
from segkit.io.parse import MISSING_WORDS, is_number, is_text, without_missing_words

__all__ = ["TIME_OF_DAY_RE", "lenient_dates", "log_timestamps", "looks_like_dates", "parse_dates", "quiet_date_strings", "quiet_dates",
           "read_dates", "times_of_day"]

#: Date formats tried in order; for ambiguous values the earlier format wins (day-first with
#: '-' and '.', month-first with '/').
_DATE_PARTS = ("%Y-%m-%d", "%d-%m-%Y", "%m-%d-%Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d",
               "%Y%m%d", "%d-%m-%y", "%m/%d/%y", "%d/%m/%y", "%d.%m.%y", "%d %b %Y", "%d %B %Y", "%b %d %Y",
               "%B %d %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y")
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", "T%H:%M", "T%H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
_DATE_FORMATS = tuple(d + t for d in _DATE_PARTS for t in _TIME_PARTS)
_EXAMPLE_DATE = "2011-12-09"


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "ISO8601":
            parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
            return parsed.dt.tz_convert(None)
        return pd.to_datetime(values, format=fmt, errors="coerce")


def _date_part(text: str) -> str:
    """The date part of a date-time value or format: '12/1/2010 8:26' -> '12/1/2010'."""
    return re.split(r"[ T](?=%[HI]|\d{1,2}:)", text, maxsplit=1)[0]


def _date_shape(text: str) -> tuple:
    """What a date value or format looks like: month names, clock, am/pm, date separators."""
    is_format = "%" in text
    date = _date_part(text)
    return (
        bool(re.search(r"%[bB]", date)) if is_format else bool(re.search(r"[A-Za-z]", date)),
        bool(re.search(r"%[HI]", text)) if is_format else ":" in text,
        "%p" in text if is_format else bool(re.search(r"[AaPp][Mm]$", text)),
        frozenset(re.findall(r"[-/.]", date)),
    )


#: The shape of every format, so a column is only tried with formats that can fit it.
_FORMAT_SHAPES = {fmt: _date_shape(fmt) for fmt in _DATE_FORMATS}


def _date_formats(sample: pd.Series) -> list[str]:
    """Candidate formats for a sample of date strings: ISO 8601, then those of the same shape."""
    shapes = {_date_shape(v) for v in sample.head(20)}
    return ["ISO8601"] + [fmt for fmt, shape in _FORMAT_SHAPES.items() if shape in shapes]


#: A time zone written after a time, as survey tools export it: Google Forms' 'GMT+5:30', 'UTC', 'GMT-03:00'.
_ZONE_RE = re.compile(r"\s*\(?(?:GMT|UTC)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?\)?\s*$", re.I)


def _without_zones(values: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Date strings without a trailing 'GMT+5:30' / 'UTC', and each one's offset from UTC (None when
    no value has a zone).

    Examples
    --------
    >>> text, offsets = _without_zones(pd.Series(["2024/04/07 8:54:18 PM GMT+5:30", "2024/04/08 9:00:00 AM GMT"]))
    >>> text.tolist(), offsets.tolist()
    (['2024/04/07 8:54:18 PM', '2024/04/08 9:00:00 AM'], [Timedelta('0 days 05:30:00'), Timedelta('0 days 00:00:00')])
    """
    text = values.astype(str)
    if not text.str.contains("GMT|UTC", case=False, regex=True).any():
        return values, None
    zones = text.str.extract(_ZONE_RE)
    found = text.map(lambda v: bool(_ZONE_RE.search(v))) & text.str.contains(r"\d:\d", regex=True)
    if not found.any():
        return values, None
    sign = zones[0].map({"+": 1, "-": -1}).fillna(0)
    minutes = sign * (pd.to_numeric(zones[1], errors="coerce").fillna(0) * 60
                      + pd.to_numeric(zones[2], errors="coerce").fillna(0))
    stripped = text.where(~found, text.str.replace(_ZONE_RE, "", regex=True))
    return stripped.where(values.notna()), pd.to_timedelta(minutes.where(found, 0), unit="min")


def _parse_date_strings(values: pd.Series, *, column=None, label: str = "", warn: bool = True):
    """Parse unique date strings with the one format that fits them best (a time zone after the
    time, 'GMT+5:30', is read and the time given in UTC).

    ISO 8601 is taken when it fits everything. Otherwise formats are screened on a sample,
    then tried on every value in order; the first that parses everything wins. When a
    later format also parses everything but reads the dates differently (04-09-2012:
    April or September?), a :class:`SegkitWarning` says so. Returns the parsed values
    (NaT where a value does not fit) and the format used.
    """
    values, offsets = _without_zones(values)
    if offsets is not None:
        parsed, fmt = _parse_date_strings(values, column=column, label=label, warn=warn)
        return parsed - offsets, fmt
    picks = np.unique(np.linspace(0, len(values) - 1, min(len(values), 200)).astype(int))
    sample = values.iloc[picks]
    if _to_datetime(sample, "ISO8601").notna().all():
        parsed = _to_datetime(values, "ISO8601")
        if parsed.notna().all():
            return parsed, "ISO8601"
    formats = _date_formats(sample)
    scores = {fmt: int(_to_datetime(sample, fmt).notna().sum()) for fmt in formats}
    top = max(scores.values(), default=0)
    if top == 0:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]"), None
    candidates = [fmt for fmt in formats if scores[fmt] == top]
    best_fmt, best = None, None
    for i, fmt in enumerate(candidates):
        parsed = _to_datetime(values, fmt)
        if best is None or parsed.notna().sum() > best.notna().sum():
            best_fmt, best = fmt, parsed
        if parsed.notna().all():
            if warn:
                _warn_if_ambiguous(values, parsed, fmt, candidates[i + 1:], column=column, label=label)
            break
    return best, best_fmt


def _warn_if_ambiguous(values, parsed, fmt, others, *, column, label) -> None:
    for other in others:
        alt = _to_datetime(values, other)
        if alt.notna().all() and not alt.equals(parsed):
            warnings.warn(
                f"{label}: column {column!r} has dates that fit both {fmt!r} and {other!r}; read them as "
                f"{fmt!r} (write dates as yyyy-mm-dd to avoid this)",
                SegkitWarning, stacklevel=user_stacklevel(),
            )
            return


#: The dates pandas holds (nanoseconds since 1970 in 64 bits); a date beyond them is an open end.
_FIRST_DAY, _LAST_DAY = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")


def _open_ends(parsed: pd.Series) -> pd.Series:
    """Which parsed dates lie outside what pandas holds: '9999-12-31' for no end, '0001-01-01' for unknown."""
    return parsed.notna() & ((parsed < _FIRST_DAY) | (parsed > _LAST_DAY))


def quiet_date_strings(values: pd.Series) -> pd.Series:
    """Distinct date strings parsed with the format that fits them best, without warnings (NaT where
    a value does not fit); open ends count as dates."""
    return _parse_date_strings(values.reset_index(drop=True), warn=False)[0]


def lenient_dates(s: pd.Series) -> pd.Series:
    """A column of mostly dates as ``datetime64[ns]``, values that are not dates (and open ends) missing.

    Examples
    --------
    >>> lenient_dates(pd.Series(["2024-03-05", "soon", "2024-03-07"])).tolist()
    [Timestamp('2024-03-05 00:00:00'), NaT, Timestamp('2024-03-07 00:00:00')]
    """
    codes, uniques = pd.factorize(without_missing_words(s))
    parsed = quiet_date_strings(pd.Series(np.asarray(uniques, dtype=object)).astype(str))
    parsed = parsed.mask(_open_ends(parsed)).astype("datetime64[ns]").to_numpy()
    values = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    values[codes >= 0] = parsed[codes[codes >= 0]]
    return pd.Series(values, index=s.index)


def quiet_dates(s: pd.Series) -> pd.Series | None:
    """Dates of a column while detecting roles: no warning, and None when they cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return parse_dates(s, label="", column=s.name, frame=s.to_frame())
        except DataError:
            return None


def parse_dates(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> pd.Series:
    """Parse a column of dates to ``datetime64[ns]``; DataError naming the bad values. Open ends
    (dates beyond what pandas holds, such as ``9999-12-31``) are missing (see :func:`read_dates`).

    Examples
    --------
    >>> s = pd.Series(["2024-01-31", "9999-12-31", None])
    >>> parse_dates(s, label="contracts.csv", column="end", frame=s.to_frame()).tolist()
    [Timestamp('2024-01-31 00:00:00'), NaT, NaT]
    """
    return read_dates(s, label=label, column=column, frame=frame)[0]


def read_dates(s: pd.Series, *, label: str, column, frame: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """A column of dates as ``datetime64[ns]``, and which of its values are open ends.

    An open end is a date beyond what pandas holds (``9999-12-31``, ``2999-12-31`` for "no end
    date", ``0001-01-01`` for "unknown"): it is missing in the dates and ``True`` in the mask,
    which the data-quality table counts. A value that is not a date is a DataError.

    Examples
    --------
    >>> s = pd.Series(["31.12.9999", "01.02.2024"])
    >>> dates, open_ends = read_dates(s, label="x.csv", column="valid to", frame=s.to_frame())
    >>> dates.tolist(), open_ends.tolist()
    ([NaT, Timestamp('2024-02-01 00:00:00')], [True, False])
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(s):
        beyond = _open_ends(s).to_numpy()
        return s.mask(beyond).astype("datetime64[ns]"), beyond
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        parsed = _parse_date_numbers(s)
        beyond = _open_ends(parsed).to_numpy()
        parsed = parsed.mask(beyond)
        bad = (s.notna() & parsed.isna()).to_numpy() & ~beyond
        example = _EXAMPLE_DATE
    else:
        codes, uniques = pd.factorize(s)  # parse each distinct value once
        uniques = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip()
        absent = uniques.str.lower().isin(MISSING_WORDS).to_numpy()
        if absent.any():  # '-', 'none', '(blank)'... are missing dates, not bad ones
            codes = np.where(np.isin(codes, np.flatnonzero(absent)), -1, codes)
        parsed_u = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
        beyond_u = np.zeros(len(uniques), dtype=bool)
        if (~absent).any():
            parsed, _ = _parse_date_strings(uniques[~absent], column=column, label=label)
            beyond = _open_ends(parsed)
            beyond_u[~absent] = beyond.to_numpy()
            parsed_u[~absent] = parsed.mask(beyond).astype("datetime64[ns]").to_numpy()
        ok_u = ~np.isnat(parsed_u) | beyond_u
        values = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
        present = codes >= 0
        values[present] = parsed_u[codes[present]]
        parsed = pd.Series(values, index=s.index)
        beyond = present & np.isin(codes, np.flatnonzero(beyond_u))
        bad = present & ~np.isin(codes, np.flatnonzero(ok_u))
        seen = ~np.isnat(parsed_u)
        example = uniques[int(np.flatnonzero(seen)[0])] if seen.any() else _EXAMPLE_DATE
    if bad.any():
        value, row = first_bad(frame, bad, s)
        n = int(bad.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} {plural(n, 'value that is not a date', 'values that are not dates')}"
            f" (e.g. {show(value)} at {row}); expected dates like {example}"
        )
    return parsed.astype("datetime64[ns]"), np.asarray(beyond, dtype=bool)


#: Excel's day 0 (as Excel counts, with its 1900 leap-year bug) and the serial numbers read as days.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (10_000, 80_000)


def _parse_date_numbers(s: pd.Series) -> pd.Series:
    """Dates written as numbers: yyyymmdd (19970101), Excel serial days (45000 is 2023-03-15,
    with the time of day as a fraction), Unix seconds or milliseconds.

    The reading that fits most values wins, so one stray number is reported rather than
    making the whole column unreadable. Only a column known to hold dates is read this way.

    Examples
    --------
    >>> _parse_date_numbers(pd.Series([45000, 45000.5, 19970101])).tolist()
    [Timestamp('2023-03-15 00:00:00'), Timestamp('2023-03-15 12:00:00'), NaT]
    >>> _parse_date_numbers(pd.Series([1700000000])).tolist()
    [Timestamp('2023-11-14 22:13:20')]
    """
    values = s.astype("float64")
    readings = {
        "yyyymmdd": values.between(10000101, 99991231) & (values % 1 == 0),
        "excel": values.between(_EXCEL_SERIALS[0], _EXCEL_SERIALS[1]),  # 1927 to 2119
        "s": values.between(1e8, 1e10),
        "ms": values.between(1e11, 1e13),
    }
    best = max(readings, key=lambda k: int(readings[k].sum()))
    fits = readings[best]
    if not fits.any():
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if best == "yyyymmdd":
        text = values.where(fits).astype("Int64").astype("string")
        parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        return parsed  # its unit holds 99991231, an open end the caller finds
    if best == "excel":
        parsed = pd.to_datetime(values.where(fits), unit="D", origin=_EXCEL_EPOCH, errors="coerce").dt.round("s")
    else:
        parsed = pd.to_datetime(values.where(fits), unit=best, errors="coerce")
    return parsed.astype("datetime64[ns]")


def looks_like_dates(s: pd.Series) -> bool:
    """Whether a column's content is dates (for columns whose name does not say so)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return True
    values = s.head(10_000).dropna()
    if values.empty:
        return False
    if pd.api.types.is_integer_dtype(s):
        return bool(values.between(19000101, 21001231).all() and _parse_date_numbers(values).notna().all())
    if not is_text(s):
        return False
    values = without_missing_words(values).dropna()  # '?' or '(blank)' for an unknown date
    if values.empty:
        return False
    sample = pd.Series(values.astype(str).unique()[:50], dtype=object)
    if not sample.str.fullmatch(r"[\w\s:./,+-]{6,35}").all() or not sample.str.contains(r"\d").all():
        return False
    parsed, _ = _parse_date_strings(sample, warn=False)
    return bool(parsed.notna().all())


#: A clock time as exports write it: '14:02', '14:02:11.5', '2:05 PM'.
TIME_OF_DAY_RE = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[AaPp][Mm])?"
#: Formats of a time of day, tried in order.
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%I:%M:%S%p")
_ONE_DAY = pd.Timedelta(days=1)


def times_of_day(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Times of day as time since midnight (NaT where a value is not a time), and which values are there.

    Examples
    --------
    >>> times, present = times_of_day(pd.Series(["14:02:11", "2:05 PM", None, "25:00"]))
    >>> times.tolist(), present.tolist()
    ([Timedelta('0 days 14:02:11'), Timedelta('0 days 14:05:00'), NaT, NaT], [True, True, False, True])
    >>> times_of_day(pd.Series([0, 23, 24]))[0].tolist()
    [Timedelta('0 days 00:00:00'), Timedelta('0 days 23:00:00'), NaT]
    """
    if pd.api.types.is_timedelta64_dtype(s):
        times = s.astype("timedelta64[ns]")
        return times.where((times >= pd.Timedelta(0)) & (times < _ONE_DAY)), s.notna()
    if pd.api.types.is_datetime64_any_dtype(s):  # a time typed as a timestamp on some day
        return (s - s.dt.normalize()).astype("timedelta64[ns]"), s.notna()
    if is_number(s):  # whole hours
        hours = s.astype("float64")
        whole = hours.between(0, 23) & (hours % 1 == 0)
        return pd.to_timedelta(hours.where(whole), unit="h"), hours.notna()
    text = without_missing_words(s)  # datetime.time values (from Parquet) become '14:02:11'
    codes, uniques = pd.factorize(text)
    uniques = pd.Series(np.asarray(uniques, dtype=object), dtype=object).str.upper()
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    for fmt in _TIME_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    since_midnight = (parsed - parsed.dt.normalize()).to_numpy()
    values = np.full(len(s), np.timedelta64("NaT"), dtype="timedelta64[ns]")
    values[codes >= 0] = since_midnight[codes[codes >= 0]]
    return pd.Series(values, index=s.index), pd.Series(codes >= 0, index=s.index)


def log_timestamps(df: pd.DataFrame, date, time=None, *, label: str) -> pd.Series:
    """A purchase log's timestamps: its ``date`` column, with the day's time from its ``time`` column when it
    has one (``ColumnRoles.time``).

    A line without a time keeps its day (at midnight); a value that is not a time of day is
    a DataError naming it.

    Examples
    --------
    >>> log = pd.DataFrame({"Date": ["2024-03-05", "2024-03-06"], "Time": ["14:02", None]})
    >>> log_timestamps(log, "Date", "Time", label="till.csv").tolist()
    [Timestamp('2024-03-05 14:02:00'), Timestamp('2024-03-06 00:00:00')]
    """
    dates = parse_dates(df[date], label=label, column=date, frame=df)
    if time is None:
        return dates
    s = df[time]
    times, present = times_of_day(s)
    bad = (present & times.isna()).to_numpy()
    if bad.any():
        value, row = first_bad(df, bad, s)
        n = int(bad.sum())
        hours = " or whole hours 0-23" if is_number(s) else ""
        raise DataError(
            f"{label}: column {time!r} has {n} {plural(n, 'value that is', 'values that are')} not a time "
            f"of day (e.g. {show(value)} at {row}); expected times like 14:02:11 or 2:02 PM{hours}"
        )
    return (dates.dt.normalize() + times.fillna(pd.Timedelta(0))).astype("datetime64[ns]")
