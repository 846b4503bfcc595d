"""Survey answers that are no answer: codes for "not applicable", "don't know" and "prefer not to
say", written as words (``Not applicable``, ``Don't know``) or as numbers beside a rating scale
(``99``, ``-9`` after 1-5 answers), and a ``0`` below a 1-5 scale that the data show to be
"not applicable" (rarer than every point of the scale). They are missing values, each with a
note, never the lowest rating nor a level of a category; ``survey.missing_codes`` names more.

:func:`answer_codes` finds them in one column (from what :mod:`segkit.io.content` read of it);
:func:`segkit.io.judge.customer_calls` judges a column without them and writes the note into
its evidence; :func:`segkit.io.standardise_customers` makes them missing.

Examples
--------
>>> import pandas as pd
>>> codes = answer_codes(pd.Series([1, 2, 3, 4, 5, 99] * 5 + [3] * 10))
>>> codes.values, codes.note
(('99',), '99 (5 answers) is a code for no answer -> missing')
>>> mask_codes(pd.Series([1, 99, 5]), codes.values).tolist()
[1.0, nan, 5.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from segkit.io.parse import MISSING_WORDS, without_missing_words
from segkit.schema import NO_ANSWER_LEVELS, scale_key, scale_order

__all__ = ["ANSWER_ROWS", "NUMBER_CODES", "AnswerCodes", "answer_codes", "mask_codes", "too_many_answers",
           "zeros_beside"]

#: Numbers questionnaires write for "no answer" beside a scale (SPSS and Stata habits): a code must
#: also stand apart from the scale's points (``9`` after 1-5 answers, never after 1-9).
NUMBER_CODES = frozenset({-999, -99, -98, -97, -9, -8, -7, -1, 9, 96, 97, 98, 99, 996, 997, 998, 999, 9999})
#: More different answers than this: a measurement or an id, not a column of answers.
_MAX_ANSWERS = 60
#: Rows of a column read to find its codes for no answer.
ANSWER_ROWS = 50_000
#: At most this share of a column's answers may be codes (more is data, not a code).
_MOST_CODES = 0.25
#: A 0 below a 1-5 (or 1-7) scale is "not applicable" when at most this share answered it...
_RARE_ZERO = 0.10
#: ... and fewer than this fraction of the least chosen point of the scale.
_ZERO_VS_POINTS = 1 / 2
_NO_ANSWER_KEYS = frozenset(scale_key(v) for v in NO_ANSWER_LEVELS)


@dataclass(frozen=True)
class AnswerCodes:
    """The values of a column that are no answer, as written in the data, and the note saying so."""

    values: tuple[str, ...]
    note: str
    answers: int = 0


def _text(value) -> str:
    if isinstance(value, float) and float(value).is_integer():
        return f"{value:g}"
    return str(value).strip()


def _given_keys(extra: Iterable) -> set[str]:
    return {scale_key(_text(v)) for v in extra}


def answer_codes(s: pd.Series, *, extra: Iterable = ()) -> AnswerCodes | None:
    """The no-answer codes of a column of answers, or None.

    Words that are no answer (:data:`segkit.schema.NO_ANSWER_LEVELS`) count when the other
    values are numbers or levels of an ordered scale; numbers of :data:`NUMBER_CODES` when the
    other values form a short rating scale and the code stands apart from it; a ``0`` below a
    1-5 or 1-7 scale when it is rare (at most 10% of answers, under half the least chosen
    point); ``extra`` (``survey.missing_codes``) in any such column.

    Examples
    --------
    >>> answer_codes(pd.Series(["Agree", "Disagree", "Neutral", "Don't know"] * 3)).values
    ("Don't know",)
    >>> ratings = pd.Series([0] + [1, 2, 3, 4, 5] * 20)
    >>> answer_codes(ratings).note
    '0 (1 answers, 1%) is below the 1-5 scale and under half as common as any point of it -> not applicable, missing'
    >>> answer_codes(pd.Series([0, 1, 2, 3, 4, 5] * 20)) is None
    True
    """
    head = s.head(ANSWER_ROWS)
    if _many_answers(head):
        return None
    text = without_missing_words(head)
    if text.isna().all():
        return None
    counts = text.dropna().map(_text).value_counts()
    if len(counts) > _MAX_ANSWERS:
        return None
    given = _given_keys(extra)
    keys = {v: scale_key(v) for v in counts.index}
    words = [v for v in counts.index if keys[v] in _NO_ANSWER_KEYS
             or (keys[v] in given and pd.isna(pd.to_numeric(v, errors="coerce")))]
    rest = counts.drop(words)
    numbers = pd.to_numeric(pd.Series(rest.index, dtype=object), errors="coerce")
    codes, notes = list(words), []
    if len(rest) and numbers.notna().all():
        found, why = _number_codes(rest, numbers.to_numpy(dtype=float), given)
        codes += found
        notes += why
    elif not (len(rest) >= 3 and scale_order(list(rest.index)) is not None):
        codes = [v for v in words if keys[v] in given]  # words of no answer beside categories are a category
    if not codes or counts[codes].sum() > _MOST_CODES * counts.sum():
        return None
    words = [v for v in codes if v in words]
    if words:
        shown = ", ".join(f"{v!r} ({counts[v]:,})" for v in words)
        notes.insert(0, f"{shown} {'is' if len(words) == 1 else 'are'} no answer -> missing")
    return AnswerCodes(tuple(codes), "; ".join(notes), int(counts[codes].sum()))


def too_many_answers(distinct: int) -> bool:
    """Whether a column with ``distinct`` different numbers in its first :data:`ANSWER_ROWS`
    rows has too many to hold codes for no answer (:func:`answer_codes` is then None).

    Examples
    --------
    >>> too_many_answers(500), too_many_answers(6)
    (True, False)
    """
    return distinct > _MAX_ANSWERS


def _many_answers(s: pd.Series) -> bool:
    """Whether a column holds more than :data:`_MAX_ANSWERS` different answers, judged on its
    first distinct raw values (a measurement or an id: no answer codes to look for).

    Exact, and cheap on wide tables of measurements: normalising distinct values never adds
    distinct answers, so once a few of them already give too many, all of them would.

    Examples
    --------
    >>> _many_answers(pd.Series([f"{x:.3f}" for x in range(500)]))
    True
    >>> _many_answers(pd.Series([" 3", "3 ", "3.0"] * 100))
    False
    """
    distinct = pd.unique(s.dropna())
    if len(distinct) <= _MAX_ANSWERS:
        return False
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return True  # distinct numbers are distinct answers: no missing words, one text per number
    answers = set()
    for value in distinct[: 4 * _MAX_ANSWERS]:  # as without_missing_words, then _text, on a few values
        text = str(value).strip()
        if text and text.lower() not in MISSING_WORDS:
            answers.add(_text(value) if isinstance(value, float) else text)
    return len(answers) > _MAX_ANSWERS


def _number_codes(counts: pd.Series, numbers: np.ndarray, given: set[str]) -> tuple[list[str], list[str]]:
    """Codes among whole-number answers: given ones, numbers apart from a rating scale, a rare 0 below 1-5."""
    labels = list(counts.index)
    if not np.all(np.isfinite(numbers)) or not np.all(numbers % 1 == 0):
        return [v for v in labels if scale_key(v) in given], []
    codes = [v for v in labels if scale_key(v) in given]
    kept = {v: n for v, n in zip(labels, numbers) if v not in codes}
    candidates = [v for v, n in kept.items() if n in NUMBER_CODES]
    core = [n for v, n in kept.items() if v not in candidates]
    notes = [f"{v} ({counts[v]:,} answers) is given as a code for no answer -> missing" for v in codes]
    if core and _scale_points(core):
        low, high = min(core), max(core)
        apart = [v for v in candidates if kept[v] > high + 1 or kept[v] < low - 1]
        if apart and len(set(core)) >= 4:
            codes += apart
            notes += [f"{v} ({counts[v]:,} answers) is a code for no answer -> missing" for v in apart]
            core = [n for v, n in kept.items() if v not in apart]
            kept = {v: n for v, n in kept.items() if v not in apart}
    zero = next((v for v, n in kept.items() if n == 0), None)
    if zero is not None and _zero_below_scale(counts, kept, zero):
        share = counts[zero] / counts.sum()
        high = int(max(kept.values()))
        codes.append(zero)
        notes.append(f"0 ({counts[zero]:,} answers, {share:.0%}) is below the 1-{high} scale and under half as "
                     "common as any point of it -> not applicable, missing")
    return codes, notes


def _scale_points(core: list[float]) -> bool:
    """Whole numbers from 0 to at most 10, at least four of them, nearly every point between used:
    the answers of a rating scale (its ends may be unused)."""
    low, high = min(core), max(core)
    points = high - low + 1
    return low >= 0 and high <= 10 and len(set(core)) >= max(4, points - 1)


def _zero_below_scale(counts: pd.Series, kept: dict, zero: str) -> bool:
    points = {n: counts[v] for v, n in kept.items() if n != 0}
    if set(points) not in ({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6, 7}):
        return False
    total = counts.sum()
    return counts[zero] <= _RARE_ZERO * total and counts[zero] < _ZERO_VS_POINTS * min(points.values())


def zeros_beside(frame: pd.DataFrame, codes: dict) -> dict:
    """``codes`` with a 0 below a 1-5 (1-7) scale read as "not applicable" in every item of the
    table on that scale once the data show it in one of them (:func:`answer_codes` found it
    there): an item whose 0 is at most 10% of its answers has it for the same reason, even when
    one of its points is rarely chosen.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [0] + [1, 2, 3, 4, 5] * 20, "b": [0] * 4 + [1] * 9 + [2, 3, 4, 5] * 22})
    >>> found = zeros_beside(frame, {"a": answer_codes(frame["a"])})
    >>> found["b"].values, found["b"].note
    (('0',), "0 (4 answers, 4%) is below the 1-5 scale, as in 'a' -> not applicable, missing")
    """
    shown = {}
    for column, found in codes.items():
        if found is not None and "0" in found.values:
            high = int(pd.to_numeric(mask_codes(frame[column], found.values), errors="coerce").max())
            shown.setdefault(high, repr(column))
    for high, (rarest, rare) in _rare_zeros(frame).items():
        if high not in shown and len(rare) >= 3 and 3 * len(rarest) >= len(rare):
            shown[high] = f"{len(rarest)} of the {len(rare)} items where it is the rarest answer"
    if not shown:
        return codes
    out = dict(codes)
    for column in frame.columns:
        if column in codes and "0" in codes[column].values:
            continue
        values = pd.to_numeric(mask_codes(frame[column], codes[column].values) if column in codes else frame[column],
                               errors="coerce") if pd.api.types.is_numeric_dtype(frame[column]) else None
        if values is None or values.isna().all():
            continue
        present = values.dropna()
        top = present.max()
        high = min((h for h in shown if h >= top), default=None)
        if high is None or top < high - 1 or not set(present.unique()) <= set(range(int(high) + 1)):
            continue
        zeros = int((present == 0).sum())
        if not 0 < zeros <= _RARE_ZERO * len(present):
            continue
        note = (f"0 ({zeros:,} answers, {zeros / len(present):.0%}) is below the 1-{int(high)} scale, as in "
                f"{shown[high]} -> not applicable, missing")
        before = codes.get(column)
        out[column] = AnswerCodes(((*before.values,) if before else ()) + ("0",),
                                  "; ".join(n for n in ((before.note if before else ""), note) if n),
                                  (before.answers if before else 0) + zeros)
    return out


def _rare_zeros(frame: pd.DataFrame) -> dict:
    """``{high: (items where 0 is the rarest answer, items where 0 is at most 10%)}`` over the
    number columns answered from 0 to 5 (or 7), for the scales where 0 is rare in every item."""
    out: dict = {}
    items: dict = {}  # every item answered from 0: the 0 must be rare in all of them
    for column in frame.columns:
        if not pd.api.types.is_integer_dtype(frame[column]):
            continue
        counts = frame[column].head(50_000).value_counts()
        high = counts.index.max() if len(counts) else None
        if high not in (5, 7) or counts.index.min() != 0 or not set(counts.index) <= set(range(high + 1)):
            continue
        items[high] = items.get(high, 0) + 1
        if counts[0] > _RARE_ZERO * counts.sum():
            continue
        rarest, rare = out.setdefault(int(high), ([], []))
        rare.append(column)
        if counts[0] < counts.drop(0).min():
            rarest.append(column)
    return {high: found for high, found in out.items() if len(found[1]) == items.get(high, 0)}


def mask_codes(s: pd.Series, codes: Iterable[str]) -> pd.Series:
    """``s`` with the values written as one of ``codes`` missing (numbers as numbers, text as text).

    Examples
    --------
    >>> mask_codes(pd.Series(["Agree", "N/A ", "Agree"]), ["N/A"]).tolist()
    ['Agree', nan, 'Agree']
    """
    codes = {scale_key(c) for c in codes}
    if not codes:
        return s
    hit = s.map(lambda v: scale_key(_text(v)) in codes, na_action="ignore").fillna(False).astype(bool)
    if not hit.any():
        return s
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64").mask(hit)
    return s.mask(hit)
