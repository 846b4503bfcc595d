"""What a column's values say about it: yes/no answers, categories, numbers, dates, genders,
attitude scales, personal data, ids, row numbers; and :class:`Content`, all of it read once.

These tests read values only (a name rule may come with them, as for identifiers); role
detection combines them with what the names say (:mod:`segkit.io.names`). Most look at the
first rows first, so a column of free text or ids is ruled out without a scan.

Examples
--------
>>> import pandas as pd
>>> is_flag(pd.Series(["Yes", "no", None])), read_content(pd.Series(["web", "store"] * 5)).few_levels
(True, True)
>>> is_gender(pd.Series(["M", "F", "f"])), is_attitude_scale(pd.Series(["Agree", "Neutral", "Disagree"]))
(True, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from segkit.io.dates import TIME_OF_DAY_RE, quiet_date_strings
from segkit.io.names import GROUP_NAME_RULES, PERSON_WORDS, name_key, name_words
from segkit.io.parse import clean_number_text, is_number, is_text, without_missing_words
from segkit.schema import ATTITUDE_SCALES, FLAG_VALUES, scale_kind, scale_order

__all__ = ["EMAIL_RE", "Content", "holds_numbers", "id_pattern", "is_attitude_scale", "is_flag", "is_gender",
           "is_identifier", "is_row_number", "measured_contents", "mostly_filled", "mostly_numbers", "multi_select",
           "not_times_of_day", "read_content"]


def is_flag(s: pd.Series) -> bool:
    """Whether every non-missing value is a 0/1, yes/no, y/n or true/false answer."""
    if s.head(1000).nunique() > 4:  # most columns are ruled out without scanning them
        return False
    values = s.dropna().unique()
    if not 0 < len(values) <= 4:
        return False
    return all(str(v).strip().lower() in FLAG_VALUES for v in values)


def mostly_numbers(s: pd.Series) -> bool:
    """Whether at least half the values of a text column are numbers (the rest are then errors to report)."""
    text = without_missing_words(s).dropna()
    if text.empty:
        return True
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        numbers[bad] = pd.to_numeric(clean_number_text(text[bad]), errors="coerce")
    return bool(numbers.notna().mean() >= 0.5)


def holds_numbers(s: pd.Series) -> bool:
    """Numbers, or text that is mostly numbers (the rest are then reported when standardising)."""
    if is_number(s):
        return not pd.api.types.is_bool_dtype(s)
    return is_text(s) and mostly_numbers(s.head(10_000))


def not_times_of_day(s: pd.Series) -> bool:
    """Anything but a column of clock times ('14:02:11'), which is the time beside a date column."""
    if not is_text(s):
        return True
    sample = s.head(1000).dropna().astype(str).str.strip()
    return sample.empty or not sample.str.fullmatch(TIME_OF_DAY_RE).all()


def mostly_filled(s: pd.Series) -> bool:
    """A value on at least half the lines: a POS 'Receipt Number' left blank on web orders is not the order."""
    return bool(s.notna().mean() >= 0.5) if len(s) else False


def is_row_number(name, s: pd.Series) -> bool:
    """A column without a header name counting the rows: the index pandas (``to_csv``) or R
    (``write.csv``) write as the first column. It is not a trait of the customer.

    Examples
    --------
    >>> is_row_number("Unnamed: 0", pd.Series([0, 1, 2, 5])), is_row_number("Visits", pd.Series([0, 1, 2]))
    (True, False)
    """
    return (bool(re.fullmatch(r"Unnamed: \d+", str(name))) and pd.api.types.is_integer_dtype(s)
            and s.is_monotonic_increasing and s.is_unique)


#: Values of a gender column (lower case, stripped): ``Genre`` in the Mall Customers table holds these.
_GENDER_VALUES = frozenset({"m", "f", "male", "female", "man", "woman", "men", "women", "other", "unknown", "x",
                            "diverse", "non-binary", "nonbinary", "homme", "femme", "mann", "frau", "hombre", "mujer"})


def is_gender(s: pd.Series) -> bool:
    """Text whose values are all gender words, at least two of them (Male/Female, M/F, m/male/F...)."""
    if not is_text(s) or s.head(1000).nunique() > 12:
        return False
    values = {str(v).strip().lower() for v in s.dropna().unique()}
    return 2 <= len(values) <= 12 and values <= _GENDER_VALUES and bool(values - {"other", "unknown", "x"})


def is_attitude_scale(s: pd.Series) -> bool:
    """Survey answers on an attitude scale (Strongly disagree ... Strongly agree, Very
    dissatisfied ... Very satisfied, ...): psychographic whatever the question is called."""
    if s.head(1000).nunique() > 12 or not is_text(s):  # most columns are ruled out at once
        return False
    levels = s.dropna().astype(str).str.strip().unique()
    return len(levels) <= 12 and scale_kind(levels) in ATTITUDE_SCALES


#: Values that are personal data: e-mail addresses, IPv4 addresses, phone numbers.
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
_IPV4_RE = r"^\d{1,3}(\.\d{1,3}){3}$"
_PHONE_RE = r"^(\+|\()[\d\s().-]{6,}\d$|^\d{3}[-. ]\d{3,4}[-. ]\d{4}$"


def is_identifier(s: pd.Series, name, kind: str) -> bool:
    """Personal data: by name (unless the column holds yes/no flags) or by content."""
    if is_flag(s):
        return False
    rule = GROUP_NAME_RULES["identifiers"]
    tokens = set(name_words(name))
    if kind == "transactions" and not tokens & PERSON_WORDS:
        tokens -= {"name", "names", "nom"}  # a log's 'Product Name' is not personal
    if tokens & rule.words or any(stem in name_key(name) for stem in rule.stems):
        return True
    if not is_text(s):
        return False
    sample = s.head(5000).dropna().astype(str).head(200)
    if sample.empty:
        return False
    for pattern in (EMAIL_RE, _IPV4_RE, _PHONE_RE):
        if sample.str.match(pattern).mean() >= 0.5:
            return True
    return False


# --------------------------------------------------------------------------------- a column read once

#: Rows of a column read to judge it: the first rows of a long log tell what its values are.
CONTENT_ROWS = 50_000
#: Levels kept in :attr:`Content.levels` (a column with more has many levels, not few).
_LEVELS_KEPT = 60
_UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
#: A code written for machines: no spaces, at least one digit, letters, digits and - _ . / # : only.
_CODE_RE = r"[#]?[A-Za-z0-9][A-Za-z0-9_\-./:]*\d[A-Za-z0-9_\-./:]*|[A-Za-z_\-]*\d+[A-Za-z0-9_\-]*"
#: People's names: two or three capitalised words, maybe joined by 'de', 'van', 'da'... ('Lucía de Jong').
_PERSON_RE = (r"[A-ZÀ-Ý][a-zà-ÿ'\-]+(?: (?:de|da|di|do|du|van|von|der|den|le|la|del|dos|das) ?)?"
              r"(?: [A-ZÀ-Ý][a-zà-ÿ'\-]+){1,2}")


@dataclass(frozen=True)
class Content:
    """What a column's values are, read once (from its first :data:`CONTENT_ROWS` rows).

    ``type`` is ``"number"`` (typed numbers, or text that is mostly numbers: ``numbers`` is
    then the share that is), ``"text"``, ``"datetime"`` or ``"empty"``; ``present`` and
    ``distinct`` count the values read (blanks and words for "no value" are missing);
    ``levels`` are the distinct values as text, commonest first, when there are at most 60;
    ``low`` and ``high`` bound the numbers; ``dates`` is the share of text values that read as
    dates; ``scale`` the levels in the order of a known scale or numeric bands; ``pattern``
    what the values look like (``"email"``, ``"phone"``, ``"ip"``, ``"uuid"``, ``"code"`` for
    codes written for machines); ``words`` the mean number of words of a text value.

    Examples
    --------
    >>> c = read_content(pd.Series([1, 5, 31, 17, 5]))
    >>> c.type, c.integers, (c.low, c.high), c.distinct, c.levels[:2]
    ('number', True, (1.0, 31.0), 4, ('5', '1'))
    >>> read_content(pd.Series(["Low", "High", "Average", None])).scale
    ('Low', 'Average', 'High')
    """

    type: str
    rows: int
    present: int = 0
    distinct: int = 0
    levels: tuple[str, ...] = ()
    integers: bool = False
    low: float | None = None
    high: float | None = None
    numbers: float = 0.0
    percent: bool = False
    currency: bool = False
    dates: float = 0.0
    flag: bool = False
    scale: tuple[str, ...] | None = None
    pattern: str | None = None
    words: float = 0.0
    unique: bool = False
    consecutive: bool = False
    flag_share: float = 0.0
    options: tuple[str, ...] = ()
    separator: str | None = None

    @property
    def few_levels(self) -> bool:
        """At most 12 distinct values, and repeated: labels or answers rather than amounts."""
        return 0 < self.distinct <= 12 and self.distinct < self.present

    def describe_range(self) -> str:
        """'45,211 values from 1 to 31' for numbers, '3 levels (cellular, telephone, unknown)' for text
        ('... in the first 50,000 rows' when the column is longer than what was read)."""
        read = f" in the first {CONTENT_ROWS:,} rows" if self.rows > CONTENT_ROWS else ""
        if self.low is not None and self.high is not None:
            return f"{self.present:,} values from {_num(self.low)} to {_num(self.high)}{read}"
        if self.levels and self.distinct <= 6:
            return f"{self.distinct} levels ({', '.join(self.levels)}){read}"
        return f"{self.present:,} values, {self.distinct:,} distinct{read}"


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _levels(values: pd.Series) -> tuple[int, tuple[str, ...]]:
    """Distinct values and, when few, their text commonest first (whole floats written as ints)."""
    distinct = int(values.nunique(dropna=True))  # one pass; the counts only when they are shown
    if distinct > _LEVELS_KEPT:
        return distinct, ()
    counts = values.value_counts(dropna=True)
    shown = [(f"{v:g}" if isinstance(v, float) and float(v).is_integer() else str(v)) for v in counts.index]
    return len(counts), tuple(dict.fromkeys(shown))


def id_pattern(text: pd.Series) -> str | None:
    """What most of a column's text values are: ``"email"``, ``"phone"``, ``"ip"``, ``"uuid"``, or
    ``"code"`` (written for machines: no spaces and a digit, such as ``C000123``, ``cus_8fK2x9``,
    ``INV-000123``), ``"person"`` (people's names: ``Emma Smith``); None for other words.

    Examples
    --------
    >>> id_pattern(pd.Series(["a@x.com", "b@y.org"])), id_pattern(pd.Series(["C000123", "C000124"]))
    ('email', 'code')
    >>> id_pattern(pd.Series(["Paris", "Lyon"])) is None
    True
    """
    sample = text.dropna().astype(str).str.strip().head(200)
    if sample.empty:
        return None
    for name, pattern in (("email", EMAIL_RE), ("ip", _IPV4_RE), ("uuid", _UUID_RE), ("phone", _PHONE_RE),
                          ("code", _CODE_RE), ("person", _PERSON_RE)):
        if sample.str.fullmatch(pattern.strip("^$")).mean() >= 0.8:
            return name
    return None


def read_content(s: pd.Series) -> Content:
    """Read what a column's values are (see :class:`Content`); long columns by their first rows."""
    rows = len(s)
    s = s.head(CONTENT_ROWS)
    if pd.api.types.is_datetime64_any_dtype(s):
        present = int(s.notna().sum())
        return Content("datetime" if present else "empty", rows, present, int(s.nunique()), dates=1.0,
                       unique=bool(present and s.dropna().is_unique))
    if pd.api.types.is_bool_dtype(s) or (is_number(s) and not is_text(s)):
        measured = _many_numbers(s, rows)
        if measured is not None:
            return measured
        numbers = _finite(s.astype("float64"))
        return _number_content(numbers, rows, flag=is_flag(s[numbers.notna() | s.isna()]))
    text = without_missing_words(s)
    present = int(text.notna().sum())
    if not present:
        return Content("empty", rows)
    values = text.dropna()
    pattern = id_pattern(values)
    if pattern in ("phone", "email", "ip"):  # '+49 088 687647' reads as a number, and is not one
        distinct, levels = _levels(values)
        return Content("text", rows, present, distinct, levels, pattern=pattern, unique=distinct == present)
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any():
        numbers = numbers.fillna(pd.to_numeric(clean_number_text(values), errors="coerce"))
    share = float(numbers.notna().mean())
    distinct, levels = _levels(values)
    scale = scale_order(levels) if 3 <= distinct <= 30 and levels else None
    digits = values.head(5000)
    codes = bool(digits.str.fullmatch(r"\d+").all() and digits.str.match(r"0\d|\d{16}").any())
    if share >= 0.5 and scale is None and not codes:  # '00042' and 20-digit numbers are codes, kept as text
        numbers = _finite(numbers.astype("float64"))
        content = _number_content(numbers, rows, flag=is_flag(values[numbers.notna()]))
        return replace(content, present=present, numbers=share, percent=bool(values.str.endswith("%").any()),
                       currency=bool(values.str.contains(r"[$€£¥₹]", regex=True).any()))
    unique = distinct == present
    answers = float(values.str.lower().isin(list(FLAG_VALUES)).mean()) if distinct <= 4 else 0.0
    separator, options = multi_select(values)
    return Content(
        "text", rows, present, distinct, levels, numbers=share, dates=_date_share(values, distinct),
        flag=is_flag(s), scale=tuple(scale) if scale else None, pattern=pattern,
        words=float(values.head(2000).str.split().str.len().mean()), unique=unique, flag_share=answers,
        options=options, separator=separator,
    )


#: Separators of a multi-select answer: Google Forms' ', ' only with stricter checks (prose has commas).
_SEPARATORS = (";", "|", ", ")
#: At most this many options, each chosen by at least this many respondents.
_MOST_OPTIONS, _LEAST_CHOSEN = 30, 2


def multi_select(values: pd.Series) -> tuple[str | None, tuple[str, ...]]:
    """The separator and the options of a multi-select answer (``Price;Quality`` in one cell), or
    ``(None, ())``: at least a tenth of the answers hold several options, each option short and
    chosen by at least two respondents, fewer options than combinations of them.

    Examples
    --------
    >>> multi_select(pd.Series(["Price;Quality", "Price", "Brand;Price", "Quality", "Brand"]))
    (';', ('Price', 'Quality', 'Brand'))
    >>> multi_select(pd.Series(["Quality, then price", "Price, mostly", "Brand"]))
    (None, ())
    """
    text = values.dropna().astype(str).head(5000)
    for sep in _SEPARATORS:
        several = text.str.contains(sep, regex=False)
        if several.mean() < 0.1 or several.sum() < 2:
            continue
        tokens = text.str.split(sep, regex=False).explode().str.strip()
        tokens = tokens[tokens != ""]
        counts = tokens.value_counts()
        if not 2 <= len(counts) <= _MOST_OPTIONS or counts.min() < _LEAST_CHOSEN:
            continue
        if len(counts) >= text.nunique() or counts.index.str.split().str.len().max() > 8:
            continue
        if sep == ", " and (len(counts) > 15 or counts.min() < 3):
            continue
        return sep, tuple(counts.index)
    return None, ()


def _finite(numbers: pd.Series) -> pd.Series:
    """The numbers without infinities: an infinite value is an error, reported when the column is read
    as its kind, and says nothing about what kind it is (0/1 with one ``-inf`` is still a flag)."""
    return numbers.where(np.isfinite(numbers.to_numpy()) | numbers.isna())


def _many_numbers(s: pd.Series, rows: int) -> Content | None:
    """The content of a numeric column with more distinct values than :data:`_LEVELS_KEPT`
    (a measurement), read on its array; None for other columns (the general path).

    The same :class:`Content` as the general path, in a few array operations instead of a
    dozen pandas ones: with that many values it holds no levels to list and is no flag.
    """
    if pd.api.types.is_bool_dtype(s):
        return None
    array = s.to_numpy(dtype="float64", na_value=np.nan)
    values = array[np.isfinite(array)]
    distinct = len(pd.unique(values))
    if distinct <= _LEVELS_KEPT:
        return None
    return _numbers(values, rows, distinct, (), flag=False)


#: Columns read together by :func:`measured_contents` (bounds the memory of one block).
_BLOCK_COLUMNS = 1_000


def measured_contents(frame: pd.DataFrame) -> dict:
    """``{column: Content}`` of the float columns that hold more than :data:`_LEVELS_KEPT`
    distinct finite numbers in their first :data:`CONTENT_ROWS` rows (measurements), read a
    block of columns at a time; each is the :class:`Content` :func:`read_content` gives the column.

    A wide table of measurements is thousands of such columns: one sort of a block of them
    finds every column's distinct values, bounds and whether they are whole, instead of a
    dozen pandas calls per column. Other columns are not in the result (read them one by one).

    Examples
    --------
    >>> t = pd.DataFrame({"reading": np.arange(100) / 8, "code": [1.0, 2.0] * 50, "name": ["a"] * 100})
    >>> measured_contents(t) == {"reading": read_content(t["reading"])}
    True
    """
    head = frame.head(CONTENT_ROWS)
    floats = [i for i, dtype in enumerate(head.dtypes) if dtype == np.float64]
    out = {}
    for start in range(0, len(floats), _BLOCK_COLUMNS):
        block = floats[start:start + _BLOCK_COLUMNS]
        ordered = np.sort(head.iloc[:, block].to_numpy(dtype="float64").T, axis=1)  # -inf, numbers, inf, NaN
        finite = np.isfinite(ordered)
        present = finite.sum(axis=1)
        changes = (ordered[:, 1:] != ordered[:, :-1]) & finite[:, 1:] & finite[:, :-1]
        distinct = changes.sum(axis=1) + (present > 0)
        whole = ((ordered == np.floor(ordered)) | ~finite).all(axis=1)
        first = np.argmax(finite, axis=1)  # where the finite numbers start, after any -inf
        for j in np.flatnonzero(distinct > _LEVELS_KEPT):
            low, high, n, count = ordered[j, first[j]], ordered[j, first[j] + present[j] - 1], int(present[j]), \
                int(distinct[j])
            integers, unique = bool(whole[j]), count == n
            out[frame.columns[block[j]]] = Content(
                "number", len(frame), n, count, (), integers, float(low), float(high), numbers=1.0, flag=False,
                unique=unique, consecutive=integers and unique and float(high) - float(low) + 1 == n)
    return out


def _number_content(numbers: pd.Series, rows: int, *, flag: bool) -> Content:
    values = numbers.dropna()
    if values.empty:
        return Content("empty", rows)
    distinct, levels = _levels(values)
    return _numbers(values.to_numpy(dtype="float64"), rows, distinct, levels, flag=flag)


def _numbers(values: np.ndarray, rows: int, distinct: int, levels: tuple, *, flag: bool) -> Content:
    """The :class:`Content` of a column's finite numbers ``values`` (none missing)."""
    integers = bool((values == np.floor(values)).all())
    low, high = float(values.min()), float(values.max())
    unique = distinct == len(values)
    return Content("number", rows, len(values), distinct, levels, integers, low, high, numbers=1.0, flag=flag,
                   unique=unique, consecutive=integers and unique and high - low + 1 == len(values))


def _date_share(values: pd.Series, distinct: int) -> float:
    """The share of a text column's distinct values (a sample of them) that read as dates."""
    if not values.head(1000).str.contains(r"\d", regex=True).mean() >= 0.5:
        return 0.0
    sample = pd.Series(pd.unique(values)[:200], dtype=object).astype(str)
    if not sample.str.fullmatch(r"[\w\s:./,+-]{6,35}").mean() >= 0.5:
        return 0.0
    parsed = quiet_date_strings(sample)
    return float(parsed.notna().mean())
