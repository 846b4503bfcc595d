"""Readable labels of column names and survey questions: words written out, long questions cut
to a short label. The trait vocabulary that turns labels into segment names is in
:mod:`segkit.profile.naming`."""

from __future__ import annotations

import re

__all__ = ["MAX_LABEL", "audience", "clean_label", "short_label"]

#: Words of column names that say how a column is stored, not what it holds ('HOUSEHOLD_SIZE_DESC').
_STORAGE_WORDS = frozenset({"desc", "descr", "description", "cd", "ind"})

#: Abbreviations in column names, written out in labels: 'amt' -> 'amount', 'qty' -> 'quantity'.
_ABBREVIATIONS = {"amt": "amount", "qty": "quantity", "qnty": "quantity", "txn": "transaction", "txns": "transactions",
                  "trx": "transaction", "cust": "customer", "cnt": "count", "pct": "percent", "perc": "percent",
                  "yr": "year", "yrs": "years", "mth": "month", "mths": "months"}

_ACRONYMS = {"id", "uk", "us", "usa", "eu", "ip", "phd", "clv", "rfm", "aov", "sms"}


def audience(*, purchases: bool, revenue: bool, response: bool, bases) -> str:
    """What the people of a table are called in names and text: ``"respondents"`` for a survey's
    answers (no purchase log, revenue or campaign response; attitudes or technology among the
    ``bases``), else ``"customers"``. The survey report (:func:`segkit.report.sections.is_survey`)
    is decided by the same rule.

    >>> audience(purchases=False, revenue=False, response=False, bases=["psychographic", "demographic"])
    'respondents'
    >>> audience(purchases=True, revenue=True, response=False, bases=["psychographic", "value"])
    'customers'
    """
    if purchases or revenue or response:
        return "customers"
    return "respondents" if any(b in ("psychographic", "technographic") for b in bases) else "customers"


#: Longest label a segment name is built from: a survey question is cut to its short form.
MAX_LABEL = 40
#: The openings of survey questions that say nothing of what is asked about.
_QUESTION_STEMS = re.compile(
    r"^(?:please |kindly )?(?:(?:rate|indicate|tell us)\b[^,:]*?(?:of|with|about|for|on)\s+|"
    r"how (?:often|much|many|satisfied|likely|important|concerned|interested) (?:do|did|are|is|would|were|have) "
    r"(?:you|your) (?:\w+ )?(?:with |about |to |in |that |by )?|"
    r"to what extent (?:do|did|are|would) you (?:\w+ )?(?:that |with )?|"
    r"(?:what|which) (?:is|are|was|were) (?:your |the )?|(?:which|what) \w+ (?:do|did) you |"
    r"why do you |do you |are you |have you |would you |did you |overall,? )", re.I)


def short_label(question: str, most: int = MAX_LABEL) -> str:
    """A short label for a long survey question: its opening stem ('How often do you', 'Please
    rate'), brackets and trailing punctuation dropped, cut at a word to at most ``most``
    characters (with '...'). A label that is short already is returned as it is.

    Examples
    --------
    >>> short_label("How satisfied are you with the cleanliness of our stores and their changing rooms?")
    'the cleanliness of our stores and…'
    >>> short_label("Why do you choose a shop? (select all that apply)"), short_label("seat comfort")
    ('choose a shop', 'seat comfort')
    """
    text = str(question).strip()
    if len(text) <= most:
        return text
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ?.:!-")
    shorter = _QUESTION_STEMS.sub("", text).strip(" ?.:!-")
    text = shorter if len(shorter) >= 3 else text
    if len(text) <= most:
        return text
    cut = text[: most - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def clean_label(name) -> str:
    """A column name or question as words: its short label, brackets, the 'Mnt' / 'Num'
    prefixes and storage words dropped, abbreviations written out, acronyms upper-case.

    Examples
    --------
    >>> clean_label("Annual_Txn_Amt (EUR)"), clean_label("HOUSEHOLD_SIZE_DESC"), clean_label("uk_cust_cnt")
    ('annual transaction amount', 'household size', 'UK customer count')
    """
    text = short_label(str(name))
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"^(Mnt|Num)(?=[A-Z])", "", text)
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    text = re.sub(r"[\W_]+", " ", text).strip().lower()  # letters of any alphabet stay: 'Dépenses vins'

    words = [_ABBREVIATIONS.get(w, w) for w in text.split()]
    if len([w for w in words if w not in _STORAGE_WORDS]) >= 1:
        words = [w for w in words if w not in _STORAGE_WORDS]
    words = [w.upper() if w in _ACRONYMS and w not in ("phd",) else ("PhD" if w == "phd" else w) for w in words]
    return " ".join(words) if words else str(name)
