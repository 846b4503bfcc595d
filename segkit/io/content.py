"""What a column's values say about it: yes/no answers, categories, numbers, genders, attitude
scales, personal data, row numbers.

These tests read values only (a name rule may come with them, as for identifiers); role
detection combines them with what the names say (:mod:`segkit.io.names`). Most look at the
first rows first, so a column of free text or ids is ruled out without a scan.

Examples
--------
>>> import pandas as pd
>>> is_flag(pd.Series(["Yes", "no", None])), is_category(pd.Series(["web", "store"] * 5))
(True, True)
>>> is_gender(pd.Series(["M", "F", "f"])), is_attitude_scale(pd.Series(["Agree", "Neutral", "Disagree"]))
(True, True)
"""

from __future__ import annotations

import re

import pandas as pd

from segkit.io.dates import TIME_OF_DAY_RE, looks_like_dates
from segkit.io.names import GROUP_NAME_RULES, PERSON_WORDS, name_key, name_words
from segkit.io.parse import PLACEHOLDERS, clean_number_text, is_number, is_text, without_missing_words
from segkit.schema import ATTITUDE_SCALES, FLAG_VALUES, scale_kind

__all__ = ["EMAIL_RE", "holds_numbers", "is_attitude_scale", "is_category", "is_flag", "is_gender", "is_identifier",
           "is_row_number", "mostly_filled", "mostly_flags", "mostly_numbers", "not_times_of_day",
           "numbers_and_placeholders"]


def is_flag(s: pd.Series) -> bool:
    """Whether every non-missing value is a 0/1, yes/no, y/n or true/false answer."""
    if s.head(1000).nunique() > 4:  # most columns are ruled out without scanning them
        return False
    values = s.dropna().unique()
    if not 0 < len(values) <= 4:
        return False
    return all(str(v).strip().lower() in FLAG_VALUES for v in values)


def mostly_flags(s: pd.Series) -> bool:
    """Yes/no answers with at most a few stray values (which standardising then reports)."""
    if is_flag(s):
        return True
    values = s.dropna()
    if len(values) < 10:
        return False
    answers = values.astype(str).str.strip().str.lower().isin(list(FLAG_VALUES))
    return bool(answers.mean() >= 0.9)


def is_category(s: pd.Series) -> bool:
    """Text with few distinct values: yes/no answers, a plan, a payment method (not free text or dates)."""
    if not is_text(s):
        return False
    values = s.dropna()
    if values.empty:
        return False
    if is_flag(s):
        return True
    levels = values.nunique()
    return 2 <= levels <= min(50, max(2, len(values) // 5)) and not looks_like_dates(s)


def numbers_and_placeholders(s: pd.Series) -> bool:
    """Text that is numbers apart from placeholders such as '-' (which standardising then reports).

    Examples
    --------
    >>> numbers_and_placeholders(pd.Series(["12", "-", "7.5"])), numbers_and_placeholders(pd.Series(["a", "-"]))
    (True, False)
    """
    if not is_text(s):
        return False
    text = without_missing_words(s).dropna()
    placeholder = text.str.lower().isin(PLACEHOLDERS)
    if not placeholder.any() or placeholder.all():
        return False
    rest = text[~placeholder]
    numbers = pd.to_numeric(rest, errors="coerce")
    if numbers.isna().any():
        numbers = pd.to_numeric(clean_number_text(rest), errors="coerce")
    return bool(numbers.notna().all())


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
