"""The kind of a column's values: money, count, quantity, share, code, flag, ordinal, date,
identifier or free text (:data:`segkit.schema.KINDS`), judged from its values first and its name
second, with the evidence in words.

The values decide what they can: dates that parse are dates, yes/no answers are a flag, levels
of a known scale are ordinal, e-mail addresses identify a person. A name says what values
cannot: whether a whole number counts things (``orders``), measures something (``Age``,
``minutes``) or labels it (``Channel`` 1/2, ``Region`` 1-3), and whether an amount is money.
A name never makes values what they are not: ``day`` holding 1-31 is a day of the month, not a
date, and ``App_Usage_Time_(min/day)`` holding minutes is a quantity.

Examples
--------
>>> import pandas as pd
>>> from segkit.io.content import read_content
>>> call = judge_kind("day", read_content(pd.Series([5, 17, 31, 1, 5])))
>>> call.kind, call.reason
('ordinal', 'name says day; 5 values from 1 to 31 do not parse as dates -> day of the month, ordinal')
>>> judge_kind("Channel", read_content(pd.Series([1, 2, 2, 1, 1]))).kind
'code'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from segkit.io.content import Content
from segkit.io.names import GROUP_NAME_RULES, HINTS, hints_of, is_age_name, is_birth_year_name, is_question, name_words
from segkit.schema import FLAG_VALUES, KINDS

__all__ = ["KindCall", "judge_kind", "rating_scale"]

#: Words that may stand beside a day or month word in the name of a day of the month or a month.
_DAY_COMPANIONS = frozenset({"contact", "last", "of", "the", "call", "du", "de", "des", "del", "van", "der", "die",
                             "number", "nr", "no", "num", "dom", "in", "month", "week"})


#: What a name says numbers are, strongest first: a unit or a measure makes a quantity
#: ('Spending Score', 'minutes'), then money, then a count of things or of days, months, years
#: ('Kontodauer (Tage)'), then a span of time (a quantity).
_NUMBER_ORDER = (("unit", "quantity"), ("quantity", "quantity"), ("money", "money"), ("count", "count"),
                 ("duration", "quantity"))
_NUMBER_HINTS = ("unit", "quantity", "money", "share", "count", "duration")


@dataclass(frozen=True)
class KindCall:
    """A column's kind and why: ``reason`` says what the name and the values said."""

    kind: str
    reason: str


def _call(kind: str, *reasons: str) -> KindCall:
    said = "; ".join(r for r in reasons[:-1] if r)
    return KindCall(kind, f"{said} -> {reasons[-1]}" if said else reasons[-1])


def rating_scale(content: Content) -> bool:
    """Whole numbers on a short rating scale starting at 0 or 1 (0-5, 1-7, 0-10), nearly every point used.

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.io.content import read_content
    >>> rating_scale(read_content(pd.Series([0, 1, 2, 3, 4, 5] * 3))), rating_scale(read_content(pd.Series([0, 40])))
    (True, False)
    """
    if content.type != "number" or not content.integers or content.low not in (0.0, 1.0) or content.high is None:
        return False
    points = content.high - content.low + 1
    return 4 <= points <= 11 and content.distinct >= points - 1 and content.distinct < content.present


def _only(name, hint: str) -> bool:
    """Whether the name is a day or month word and nothing else that says what it counts ('contact day')."""
    words = set(name_words(name)) - _DAY_COMPANIONS
    return bool(words) and words <= HINTS[hint].words


def judge_kind(name, content: Content, hints: Mapping[str, str] | None = None, *, given: str | None = None
               ) -> KindCall:
    """The kind of a column named ``name`` whose values are ``content`` (see the module).

    Parameters
    ----------
    name : str
        The column's name.
    content : Content
        Its values, read by :func:`segkit.io.content.read_content`.
    hints : mapping, optional
        What the name says (:func:`segkit.io.names.hints_of`), when already known.
    given : str, optional
        The kind the config gives (``columns.kinds``): it wins.
    """
    if given is not None:
        return KindCall(given, f"config says {given}")
    hints = dict(hints_of(name) if hints is None else hints)
    if content.type == "empty":
        return KindCall("text", "no values")
    if content.type == "datetime":
        return KindCall("date", "values are dates")
    if content.pattern in ("email", "phone", "ip"):
        word = {"email": "e-mail addresses", "phone": "phone numbers", "ip": "IP addresses"}[content.pattern]
        return KindCall("identifier", f"values are {word} -> identifier")
    if content.distinct == 1 and content.rows > 1:
        return _one_value(content, hints, name)
    if content.flag:
        return KindCall("flag", f"values are yes/no answers ({', '.join(content.levels[:2])}) -> flag")
    answers = GROUP_NAME_RULES["campaigns"].says(name)
    if answers and content.type == "text" and _mostly_answers(content):
        return KindCall("flag", f"name says {answers}; values are yes/no answers but for a few -> flag")
    if content.type == "text":
        return _text_kind(name, content, hints)
    return _number_kind(name, content, hints)


def _mostly_answers(content: Content) -> bool:
    """Yes/no answers with one or two stray levels (which standardising then reports)."""
    if not content.levels or len(content.levels) > 4:
        return False
    strays = [v for v in content.levels if str(v).strip().lower() not in FLAG_VALUES]
    answers = [v for v in content.levels if str(v).strip().lower() in FLAG_VALUES]
    return len(answers) >= 2 and len(strays) <= 2 and content.flag_share >= 0.9


def _one_value(content: Content, hints: Mapping[str, str], name=None) -> KindCall:
    value = content.levels[0] if content.levels else "?"
    if content.type == "text" and content.present < content.rows and name is not None \
            and str(value).strip().casefold() in str(name).casefold():
        return KindCall("options", f"one answer ({value!r}), named in the column's name, or blank -> an option of "
                                   "a multi-select question, yes/no")
    if content.type == "number":
        kind = "money" if "money" in hints else ("share" if "share" in hints else "quantity")
        if kind == "quantity" and "count" in hints and content.integers:
            kind = "count"
        return KindCall(kind, f"one value ({value}) -> {kind}")
    return KindCall("code", f"one value ({value!r}) -> code")


def _text_kind(name, content: Content, hints: Mapping[str, str]) -> KindCall:
    said = f"name says {hints['date']}; " if "date" in hints else ""
    if content.options and not content.scale and content.dates < 0.5:
        shown = ", ".join(content.options[:4]) + (", ..." if len(content.options) > 4 else "")
        return KindCall("options", f"answers list several of {len(content.options)} options separated by "
                                   f"{content.separator.strip()!r} ({shown}) -> multi-select, one yes/no per option")
    if content.scale:
        shown = " < ".join(content.scale[:4]) + (" < ..." if len(content.scale) > 4 else "")
        if "month" in hints or _all_months(content.scale):
            return KindCall("ordinal", f"levels are months ({shown}) -> ordinal")
        return KindCall("ordinal", f"{said}levels form an ordered scale ({shown}) -> ordinal")
    if content.dates >= 0.9 or (said and content.dates >= 0.5):
        return KindCall("date", f"{said}values read as dates -> date")
    if said and content.dates < 0.9:
        said = f"name says {hints['date']}; values do not read as dates; "
    if "product" in hints and not content.few_levels:
        return KindCall("identifier", f"{said}name says {hints['product']}; {content.distinct:,} distinct codes "
                                      "-> identifier")
    many = content.distinct > 50 or (content.distinct > 12 and content.distinct > 0.5 * content.present)
    if "text" in hints and (content.distinct >= 15 or content.unique) and content.pattern != "code":
        return KindCall("text", f"{said}name says {hints['text']}; {content.distinct:,} distinct values -> free text")
    if many and content.pattern in ("code", "uuid") and content.distinct > 0.5 * content.present:
        return KindCall("identifier", f"{said}{content.distinct:,} distinct codes -> identifier")
    if many and content.words >= 2.5:
        return KindCall("text", f"{said}{content.distinct:,} distinct values of {content.words:.0f} words -> free text")
    if many and content.distinct >= 0.9 * content.present:
        return KindCall("identifier", f"{said}{content.distinct:,} distinct values, one per row -> identifier")
    return KindCall("code", f"{said}{content.describe_range()} -> code")


def _all_months(scale) -> bool:
    from segkit.schema import scale_kind

    return scale_kind(scale) == "month"


def _number_kind(name, content: Content, hints: Mapping[str, str]) -> KindCall:
    """The kind of numbers: what the name says they count, measure or label, checked against them."""
    facts = content.describe_range()
    whole = content.integers
    said_date = ""
    if "date" in hints and not is_birth_year_name(name):
        if _date_numbers(content):
            return _call("date", f"name says {hints['date']}", f"{facts} read as dates", "date")
        said_date = f"name says {hints['date']}; {facts} do not parse as dates"
    if "day" in hints and _only(name, "day") and whole and content.low >= 1 and content.high <= 31:
        why = said_date or f"name says {hints['day']}; {facts} do not parse as dates"
        return _call("ordinal", why, "day of the month, ordinal")
    if "month" in hints and _only(name, "month") and whole and content.low >= 1 and content.high <= 12:
        why = said_date or f"name says {hints['month']}; {facts} do not parse as dates"
        return _call("ordinal", why, "month of the year, ordinal")
    base = said_date or ""
    if is_birth_year_name(name) and whole:
        return _call("quantity", base, f"name says birth year; {facts}", "quantity")
    if is_age_name(name):
        return _call("quantity", base, f"name says age; {facts}", "quantity")
    if "product" in hints and not content.few_levels:
        return _call("identifier", base, f"name says {hints['product']}; {content.distinct:,} distinct codes",
                     "identifier")
    if whole and is_question(name) and rating_scale(content):
        return _call("ordinal", base, f"name is a question; {facts}", "rating scale, ordinal")
    counted = next((h for h in _NUMBER_HINTS if h in hints), None)
    measured = next((h for h in ("unit", "quantity", "money", "share", "count") if h in hints
                     and not (h == "quantity" and hints[h] == "score")), None)  # an NPS score is a rating
    if measured is None and whole and "rating" in hints and rating_scale(content):
        return _call("ordinal", base, f"name says {hints['rating']}; {facts}", "rating scale, ordinal")
    labelled = next((h for h in ("code", "label", "class", "outcome", "group") if h in hints), None)
    words = name_words(name)
    head = bool(labelled and words and (HINTS[labelled].says(words[-1]) or len(words) == 1))
    if labelled and whole and (counted is None or head) and (content.few_levels or content.distinct <= 500):
        return _call("code", base, f"name says {hints[labelled]}; {facts} label things", "code")
    if "share" in hints or content.percent:
        bounded = content.low is not None and content.low >= 0 and content.high <= (1 if content.high <= 1 else 100)
        if bounded:
            why = f"name says {hints['share']}" if "share" in hints else "values are percentages"
            return _call("share", base, f"{why}; {facts}", "share")
    for hint, kind in _NUMBER_ORDER:
        if hint in hints and (kind != "count" or whole):
            return _call(kind, base, f"name says {hints[hint]}; {facts}", kind)
    if content.currency:
        return _call("money", base, f"values carry a currency sign; {facts}", "money")
    if whole:
        return _call("count", base, f"{facts}, whole numbers", "count")
    return _call("quantity", base, f"{facts}, with decimals", "quantity")


def _date_numbers(content: Content) -> bool:
    """Numbers that read as dates: yyyymmdd (19970101), Excel serial days, Unix seconds or milliseconds."""
    low, high = content.low, content.high
    if low is None or high is None:
        return False
    return ((content.integers and 19000101 <= low and high <= 99991231)
            or (10_000 <= low and high <= 80_000) or (1e8 <= low and high <= 1e10) or (1e11 <= low and high <= 1e13))


assert set(KINDS) >= {"money", "count", "quantity", "share", "code", "flag", "ordinal", "date", "identifier", "text"}
