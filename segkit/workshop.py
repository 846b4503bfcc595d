"""Checked exercises for the training workshops in ``notebooks/workshop/``.

Each workshop notebook ends its lessons with exercises. A learner computes an answer and
passes it to :func:`check` together with the data the exercise is about; the expected
answer is computed from those data by segkit itself (never a number typed into the
notebook), compared with a tolerance where one makes sense, and the result says
"correct", gives a specific hint ("you counted lines, not orders: ..."), or says the
exercise is not answered yet. :func:`check` never raises on a learner's answer, so a
notebook with open exercises still runs from top to bottom.

Exercises are registered in :data:`EXERCISES` (id -> :class:`Exercise`): which inputs they
need, how segkit computes the expected answer from them, and which common mistakes earn
which hint. :func:`exercises` lists them.

The notebooks are stored with their solutions, between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` lines in cells tagged ``solution`` (the scheme of nbgrader), so the
test suite proves that every check passes. :func:`strip_solutions` (or
``python -m segkit.workshop strip SRC DST``, ``make workshop``) writes the learner copies,
with each solution replaced by ``answer = ...  # your code here``.

Examples
--------
>>> from segkit import workshop
>>> workshop.check("06.sample_size", ...)
06.sample_size: not answered yet
>>> workshop.check("06.sample_size", 1372)
06.sample_size: not quite. That is both arms together; the question asks for customers per arm.
>>> workshop.check("06.sample_size", 686)
06.sample_size: correct
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError, InputNotFoundError, SegkitError

__all__ = [
    "EXERCISES",
    "CheckResult",
    "Exercise",
    "Mistake",
    "check",
    "exercises",
    "main",
    "shared_data",
    "strip_solutions",
]

#: Lines that open and close a solution in a cell tagged ``solution``.
BEGIN_SOLUTION = "# BEGIN SOLUTION"
END_SOLUTION = "# END SOLUTION"
#: What a learner copy holds instead of each solution.
PLACEHOLDER = "answer = ...  # your code here"
_SOLUTION_TAG = "solution"
_NBVAL_MARKER = re.compile(r"^\s*#\s*NBVAL_\w+\s*$")

CORRECT, INCORRECT, NOT_ANSWERED = "correct", "incorrect", "not answered"
_KINDS = ("number", "count", "label", "labels")


# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: what :func:`check` returns.

    Attributes
    ----------
    exercise : str
        Exercise id.
    status : {"correct", "incorrect", "not answered"}
    message : str
        ``"correct"``, ``"not answered yet"`` or ``"not quite. <hint>"``.

    Examples
    --------
    >>> r = CheckResult("02.rules", "incorrect", "not quite. Too high.")
    >>> r.correct, r
    (False, 02.rules: not quite. Too high.)
    """

    exercise: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.status == CORRECT

    @property
    def answered(self) -> bool:
        """Whether an answer was given at all."""
        return self.status != NOT_ANSWERED

    def __repr__(self) -> str:
        return f"{self.exercise}: {self.message}"

    def _repr_html_(self) -> str:
        colour, mark = {CORRECT: ("#2e7d32", "&#10004;"), INCORRECT: ("#c62828", "&#10008;")}.get(
            self.status, ("#9e9e9e", "&#8230;"))
        return (f'<div style="border-left: 4px solid {colour}; padding: 2px 8px">{mark} '
                f"<b>Exercise {html.escape(self.exercise)}</b>: {html.escape(self.message)}</div>")


# ------------------------------------------------------------------------ exercises


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer and the hint it earns.

    Attributes
    ----------
    answer : callable
        Computes the wrong answer from the exercise's inputs (keyword arguments).
    hint : str
        What to say when the learner's answer equals it.
    """

    answer: Callable[..., Any]
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One checked exercise.

    Attributes
    ----------
    id : str
        ``"<notebook number>.<name>"``, e.g. ``"02.rules"``.
    question : str
        The question, as the notebook asks it.
    inputs : tuple of str
        Names of the keyword arguments :func:`check` needs to compute the expected answer.
    solve : callable
        Computes the expected answer from the inputs, with segkit.
    kind : {"number", "count", "label", "labels"}
        A number compared within ``rtol``/``atol``; a whole number compared exactly; one
        label (a name or a segment id); a set of labels (order and repeats do not matter).
    rtol, atol : float
        Relative and absolute tolerance of a ``"number"``.
    mistakes : tuple of Mistake
        Common wrong answers, tried in order, each with its hint.

    Examples
    --------
    >>> ex = EXERCISES["06.sample_size"]
    >>> ex.kind, ex.inputs, ex.expected()
    ('count', (), 686)
    """

    id: str
    question: str
    inputs: tuple[str, ...]
    solve: Callable[..., Any]
    kind: str = "number"
    rtol: float = 1e-6
    atol: float = 0.0
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)

    def expected(self, **data: Any) -> Any:
        """The expected answer, computed by segkit from ``data`` (the exercise's inputs)."""
        return self.solve(**self._inputs(data))

    def check(self, answer: Any, **data: Any) -> CheckResult:
        """Compare ``answer`` with the expected answer; see :func:`check`."""
        data = self._inputs(data)
        if answer is None or answer is Ellipsis:
            return CheckResult(self.id, NOT_ANSWERED, "not answered yet")
        expected = self.solve(**data)
        problem, value = _coerce(answer, self.kind, expected)
        if problem is None and self._same(value, expected):
            return CheckResult(self.id, CORRECT, "correct")
        if problem is None:
            for mistake in self.mistakes:
                wrong = mistake.answer(**data)
                if not self._same(wrong, expected) and self._same(value, _coerce(wrong, self.kind, expected)[1]):
                    problem = mistake.hint
                    break
            else:
                problem = _generic_hint(value, expected, self.kind, self.rtol, self.atol)
        return CheckResult(self.id, INCORRECT, f"not quite. {problem}")

    def _inputs(self, data: Mapping[str, Any]) -> dict[str, Any]:
        missing = [name for name in self.inputs if name not in data]
        unknown = [name for name in data if name not in self.inputs]
        if missing or unknown:
            given = ", ".join(f"{n}=..." for n in self.inputs) or "no data"
            what = (f"misses {missing}" if missing else "") + (" and " if missing and unknown else "") + (
                f"got unexpected {unknown}" if unknown else "")
            raise ConfigError(f"exercise {self.id!r} {what}; expected check({self.id!r}, answer"
                              f"{', ' if self.inputs else ''}{given if self.inputs else ''})")
        return dict(data)

    def _same(self, value: Any, expected: Any) -> bool:
        if value is None:
            return False
        if self.kind == "number":
            return math.isclose(value, expected, rel_tol=self.rtol, abs_tol=self.atol)
        if self.kind == "labels":
            return _label_set(value) == _label_set(expected)
        return _label(value) == _label(expected)


EXERCISES: dict[str, Exercise] = {}


def _register(exercise: Exercise) -> None:
    if exercise.kind not in _KINDS:
        raise ConfigError(f"exercise {exercise.id!r}: kind must be one of {list(_KINDS)}, but {exercise.kind!r} was given")
    EXERCISES[exercise.id] = exercise


def check(exercise_id: str, answer: Any, **data: Any) -> CheckResult:
    """Check a learner's answer to a workshop exercise.

    Parameters
    ----------
    exercise_id : str
        An id of :data:`EXERCISES`, e.g. ``"02.rules"``.
    answer : object
        The learner's answer; ``...`` or None means not answered yet.
    **data
        The inputs the exercise names (:func:`exercises` lists them), from which segkit
        computes the expected answer.

    Returns
    -------
    CheckResult
        Shown in a notebook as "correct", a hint, or "not answered yet". A wrong answer,
        or one of the wrong type, never raises.

    Raises
    ------
    ConfigError
        An unknown exercise id, or inputs missing or unknown (the notebook's mistake, not
        the learner's).

    Examples
    --------
    >>> import pandas as pd
    >>> features = pd.DataFrame({"frequency": [1, 1, 3, 8], "monetary": [10.0, 20.0, 70.0, 900.0]})
    >>> check("07.one_time_share", 0.5, features=features)
    07.one_time_share: correct
    >>> check("07.one_time_share", 50, features=features)
    07.one_time_share: not quite. That looks like a percentage; give a share between 0 and 1 (0.25 for 25 %).
    >>> check("07.one_time_share", 2, features=features).status
    'incorrect'
    >>> check("7.one_time_share", 0.5, features=features)
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: unknown exercise '7.one_time_share'; did you mean '07.one_time_share'? ...
    """
    return _exercise(exercise_id).check(answer, **data)


def exercises(notebook: str | int | None = None) -> pd.DataFrame:
    """The registered exercises: id, kind, inputs and question.

    Parameters
    ----------
    notebook : str or int, optional
        Only the exercises of this notebook number (``2`` or ``"02"``).

    Examples
    --------
    >>> exercises(2).index.tolist()
    ['02.recency', '02.champions', '02.champions_revenue', '02.rules']
    """
    rows = [{"id": ex.id, "kind": ex.kind, "inputs": ", ".join(ex.inputs), "question": ex.question}
            for ex in EXERCISES.values()
            if notebook is None or ex.id.split(".")[0] == f"{int(notebook):02d}"]
    return pd.DataFrame(rows, columns=["id", "kind", "inputs", "question"]).set_index("id")


def _exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except (KeyError, TypeError):
        import difflib

        close = difflib.get_close_matches(str(exercise_id), list(EXERCISES), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown exercise {exercise_id!r}; {hint}expected one of {sorted(EXERCISES)}") from None


# ------------------------------------------------------------------------ comparing answers


def _coerce(answer: Any, kind: str, expected: Any) -> tuple[str | None, Any]:
    """``(problem, value)``: the answer as the kind's plain Python type, or why it is not one."""
    if kind == "labels":
        if isinstance(answer, (pd.DataFrame, Mapping)):
            return f"Expected a list of labels, but got a {type(answer).__name__}.", None
        return None, answer
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple)) and np.size(answer) == 1:
        return (f"Expected a single value, but got a {type(answer).__name__} holding one; "
                f"take the value itself (`.item()`)."), None
    if isinstance(answer, (pd.DataFrame, pd.Series, pd.Index, np.ndarray, list, tuple, set, dict)):
        return f"Expected a single value, but got a {type(answer).__name__} of {np.size(answer)} values.", None
    if kind == "label":
        return None, answer
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return f"Expected a number, but got {type(answer).__name__} {answer!r}.", None
    value = float(answer)
    if not math.isfinite(value):
        return f"Expected a finite number, but got {value}.", None
    if kind == "count" and not value.is_integer():
        return f"Expected a whole number (a count), but got {value:g}.", None
    return None, value


def _label(value: Any) -> Any:
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        return int(text) if text.lstrip("-").isdigit() else text
    return value


def _label_set(values: Any) -> frozenset:
    if isinstance(values, (str, int, float, np.integer, np.floating)):
        values = [values]
    return frozenset(_label(v) for v in values)


def _generic_hint(value: Any, expected: Any, kind: str, rtol: float, atol: float) -> str:
    if kind == "labels":
        got, want = _label_set(value), _label_set(expected)
        parts = []
        if want - got:
            parts.append(f"{len(want - got)} missing")
        if got - want:
            extra = sorted(got - want, key=str)
            parts.append(f"{len(extra)} that should not be there ({', '.join(map(str, extra[:3]))})")
        return "Your list has " + " and ".join(parts) + "."
    if kind == "label":
        return "That is not the one; look again at the table this lesson builds."
    expected = float(expected)
    if 0 < abs(expected) <= 1 and math.isclose(value, 100 * expected, rel_tol=max(rtol, 1e-3), abs_tol=100 * atol):
        return "That looks like a percentage; give a share between 0 and 1 (0.25 for 25 %)."
    if expected == 0:
        return "Expected zero."
    if math.copysign(1, value) != math.copysign(1, expected) and value != 0:
        return "The sign is wrong."
    gap = (value - expected) / abs(expected)
    direction = "high" if gap > 0 else "low"
    if kind == "count":
        off = int(round(abs(value - expected)))
        if abs(gap) <= 0.02:
            return f"Close: {off} too {'many' if gap > 0 else 'few'}."
        return f"Too {direction}."
    if abs(gap) <= 0.02:
        return f"Close, but outside the tolerance (relative {rtol:g}, absolute {atol:g}); check your rounding."
    return f"Too {direction}."


# ------------------------------------------------------------------------ the exercises
# Inputs are the data a notebook has at hand; each ``solve`` recomputes the answer with the
# package's own stage functions, so a check holds whatever the data (another seed, sample).


def _clean(log: pd.DataFrame) -> pd.DataFrame:
    from segkit.features import clean_transactions

    return clean_transactions(log)[0]


def _features(log: pd.DataFrame) -> pd.DataFrame:
    from segkit.features import build_features

    return build_features(transactions=log, rfm=False).frame


def _raw_quality(raw: pd.DataFrame, kind: str):
    from segkit.io import detect_roles, quality_report

    return quality_report(raw, detect_roles(raw, kind=kind), label=kind)


def _rfm(features: pd.DataFrame, segments: Any = None) -> pd.DataFrame:
    from segkit.features import rfm_scores

    return rfm_scores(features, segments=segments)


def _strict_champions() -> pd.DataFrame:
    from segkit.features import DEFAULT_RFM_SEGMENTS

    rules = DEFAULT_RFM_SEGMENTS.copy()
    rules.loc[rules["segment"] == "Champions", "m_min"] = 5
    return rules


def _gross(log: pd.DataFrame) -> float:
    clean = _clean(log)
    return float(clean.loc[clean["amount"] > 0, "amount"].sum())


def _returned(log: pd.DataFrame) -> float:
    clean = _clean(log)
    return -float(clean.loc[clean["amount"] < 0, "amount"].sum())


def _credit_note(invoices: pd.Series) -> pd.Series:
    return invoices.astype("string").str.upper().str.startswith("C").fillna(False)


def _recency_of(log: pd.DataFrame, customer: str) -> int:
    return int(_features(log).loc[customer, "recency_days"])


def _last_purchase_gap(log: pd.DataFrame, customer: str, *, purchases_only: bool = True,
                       to_snapshot: bool = False) -> int:
    """Days from a customer's last line to the log's last day (or to the snapshot date)."""
    clean = _clean(log)
    mine = clean[(clean["customer_id"] == customer) & ((clean["amount"] > 0) | (not purchases_only))]
    end = clean["date"].max().normalize() + pd.Timedelta(days=int(to_snapshot))
    return int((end - mine["date"].max().normalize()).days)


def _k_by(segmenter: Any, index: str, best: str) -> int:
    table = segmenter.k_selection_
    scores = table.loc[table["eligible"].astype(bool), index]
    return int(scores.idxmax() if best == "max" else scores.idxmin())


def _truth_names(truth: pd.Series, planted: pd.DataFrame, labels: pd.Series) -> pd.Series:
    return truth.reindex(labels.index).map(planted["name"])


def _planted_match(labels: pd.Series, truth: pd.Series, planted: pd.DataFrame, segment: int = 0) -> str:
    counts = pd.crosstab(labels, _truth_names(truth, planted, labels))
    return str(counts.loc[segment].idxmax())


def _lift(features: pd.DataFrame, labels: pd.Series, feature: str = "frequency", segment: int = 0) -> float:
    from segkit.profile import profile_segments

    return float(profile_segments(features[[feature]], labels, min_cell_size=1).lift.loc[segment, feature])


def _segment_mean(features: pd.DataFrame, labels: pd.Series, feature: str = "frequency", segment: int = 0) -> float:
    return float(features.loc[labels.index[labels == segment], feature].mean())


def _economics(customers: pd.DataFrame):
    from segkit.target import campaign_economics

    return campaign_economics(customers)


def _targeting(labels: pd.Series, customers: pd.DataFrame, response: str = "response") -> pd.DataFrame:
    from segkit.target import targeting_table

    econ = _economics(customers)
    answers = customers.set_index("customer_id")[response].reindex(labels.index)
    return targeting_table(labels, answers, cost_per_contact=econ.cost_per_contact,
                           revenue_per_response=econ.revenue_per_response, min_cell_size=1)


def _sample_size(**kwargs: Any) -> int:
    from segkit.target import ab_sample_size

    return int(ab_sample_size(0.10, 0.05, **kwargs))


def _clv_by_segment(clv: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    from segkit.value import segment_value

    return segment_value(clv[["clv"]], labels.reindex(clv.index).dropna().astype(int), min_cell_size=1)


def _top_share(features: pd.DataFrame, top: int) -> float:
    monetary = features["monetary"]
    return float(monetary.nlargest(top).sum() / monetary.sum())


def _top_decile(features: pd.DataFrame) -> float:
    return _top_share(features, math.ceil(0.1 * len(features)))



def _comparison(old: pd.Series, new: pd.Series):
    from segkit.monitor import compare

    return compare(old, new)


def _stayed_raw(old: pd.Series, new: pd.Series, segment: int = 0) -> float:
    """Share of old ``segment``'s returning customers with the same *raw* id in the new run."""
    returning = new.reindex(old.index).dropna()
    mine = returning[old.reindex(returning.index) == segment]
    return float((mine == segment).mean())


def _size_psi_without(old: pd.Series, new: pd.Series, *, align: bool = True, floor: bool = True) -> float:
    """The segment-mix PSI computed the wrong ways: on raw ids, or over the segments of both runs only."""
    from segkit.monitor import PSI_EMPTY_BIN, align_segments

    stable = new.map(align_segments(old, new)) if align else new
    counts = pd.DataFrame({"old": old.value_counts(), "new": stable.value_counts()})
    totals = counts.sum()
    # an empty segment counts as half a customer of its run, as monitor.psi counts it
    shares = (counts.fillna(0) / totals).clip(lower=PSI_EMPTY_BIN / totals, axis=1) if floor \
        else counts.dropna() / totals
    return float(((shares["new"] - shares["old"]) * np.log(shares["new"] / shares["old"])).sum())


def _drift(old_features: pd.DataFrame, new_features: pd.DataFrame) -> pd.DataFrame:
    from segkit.monitor import feature_reference, reference_drift

    return reference_drift(feature_reference(old_features), feature_reference(new_features))


def _largest_median_change(old_features: pd.DataFrame, new_features: pd.DataFrame) -> str:
    drift = _drift(old_features, new_features)
    return str((drift["new_median"] - drift["old_median"]).abs().idxmax())



def _identifiers(extract: pd.DataFrame, *, by_name_only: bool = False) -> list[str]:
    from segkit.privacy import find_identifier_columns

    # An empty frame has no contents to look at: only the column names are judged.
    return find_identifier_columns(extract.iloc[:0] if by_name_only else extract)


def _hidden(counts: pd.DataFrame) -> int:
    from segkit.privacy import suppress_count_table

    return int(suppress_count_table(counts).eq("hidden").to_numpy().sum())


def _small(counts: pd.DataFrame, *, empty_too: bool = False) -> int:
    from segkit.privacy import DEFAULT_MIN_CELL_SIZE

    return int(((counts < DEFAULT_MIN_CELL_SIZE) & ((counts > 0) | empty_too)).to_numpy().sum())


def _whose_pseudonym(customers: pd.DataFrame, key: str, pseudonym: str) -> Any:
    from segkit.privacy import pseudonymise

    ids = customers["customer_id"].astype(str).reset_index(drop=True)
    found = ids[(pseudonymise(ids, key=key) == pseudonym).fillna(False).to_numpy()]
    return found.iloc[0] if len(found) else None


_ORDERS_NOT_LINES = "You counted lines, not orders: an order (one invoice) has several lines; count distinct invoices."

for _exercise_def in (
    # 01 data and cleaning ------------------------------------------------------------
    Exercise(
        "01.orders",
        "How many orders did identified customers place, after cleaning? (An order is one invoice "
        "with something bought; a credit note 'C...' is a return, not an order.)",
        ("log",), lambda log: int(_features(log)["frequency"].sum()), kind="count",
        mistakes=(
            Mistake(lambda log: len(_clean(log)), _ORDERS_NOT_LINES),
            Mistake(lambda log: len(log), _ORDERS_NOT_LINES + " Also clean the log first."),
            Mistake(lambda log: _clean(log)["invoice"].nunique(),
                    "You counted the credit notes ('C...' invoices) as orders too: a return is not an order."),
            Mistake(lambda log: log.loc[~_credit_note(log["invoice"]), "invoice"].nunique(),
                    "That includes guest orders without a customer id and exact duplicates: count in the cleaned log."),
        ),
    ),
    Exercise(
        "01.returned_share",
        "What share of the gross revenue (the sum of all positive line amounts after cleaning) "
        "was given back by returns (the negative lines)?",
        ("log",), lambda log: _returned(log) / _gross(log), rtol=1e-3,
        mistakes=(
            Mistake(lambda log: float(_credit_note(_clean(log)["invoice"]).mean()),
                    "That is the share of lines that are returns; the question asks for a share of revenue."),
            Mistake(lambda log: _returned(log) / float(_clean(log)["amount"].sum()),
                    "You divided by net revenue (after returns); divide by gross revenue, the positive lines only."),
            Mistake(lambda log: -_returned(log) / _gross(log), "The sign is wrong: give the share as a positive number."),
        ),
    ),
    Exercise(
        "01.impossible_birth_years",
        "How many customers in the customer table have a birth year that cannot be right?",
        ("customers",),
        lambda customers: sum(p["count"] for p in _raw_quality(customers, "customers").impossible
                              if p["problem"].startswith("birth year")),
        kind="count",
        mistakes=(Mistake(lambda customers: int(customers["birth_year"].isna().sum()),
                          "That is the number of missing birth years; the question asks for impossible ones."),),
    ),
    # 02 RFM ----------------------------------------------------------------------------
    Exercise(
        "02.recency",
        "Customer C000001: how many days before the snapshot date was their last purchase "
        "(recency, in calendar days)?",
        ("log",), lambda log: _recency_of(log, "C000001"), kind="count",
        mistakes=(
            Mistake(lambda log: _last_purchase_gap(log, "C000001"),
                    "One day short: recency counts to the snapshot date, the day after the last day of the log "
                    "(and counts calendar days, so subtract dates, not timestamps)."),
            Mistake(lambda log: _last_purchase_gap(log, "C000001", purchases_only=False, to_snapshot=True),
                    "A return is not a purchase: the last purchase is the customer's last line with a positive amount."),
            Mistake(lambda log: int(_features(log).loc["C000001", "tenure_days"]),
                    "That is the tenure, days since the first purchase; recency counts from the last one."),
        ),
    ),
    Exercise(
        "02.champions",
        "How many customers are Champions under the default RFM rules?",
        ("features",), lambda features: int((_rfm(features)["rfm_segment"] == "Champions").sum()), kind="count",
        mistakes=(
            Mistake(lambda features: int((_rfm(features)["r_score"] == 5).sum()),
                    "You counted every customer with r_score 5; Champions also need an f_score of 4 or 5."),
            Mistake(lambda features: int(((_rfm(features)["r_score"] == 5) & (_rfm(features)["f_score"] == 5)).sum()),
                    "You asked for f_score 5 only; the rule takes f_score 4 or 5 (see DEFAULT_RFM_SEGMENTS)."),
        ),
    ),
    Exercise(
        "02.champions_revenue",
        "What share of all revenue (monetary) comes from the Champions?",
        ("features",),
        lambda features: float(features["monetary"].groupby(_rfm(features)["rfm_segment"]).sum()["Champions"]
                               / features["monetary"].sum()),
        rtol=1e-3,
        mistakes=(Mistake(lambda features: float((_rfm(features)["rfm_segment"] == "Champions").mean()),
                          "That is their share of customers; weight each customer by their revenue (monetary)."),),
    ),
    Exercise(
        "02.rules",
        "Make the Champions rule stricter: they must also have m_score 5 (set m_min to 5 in a copy of "
        "DEFAULT_RFM_SEGMENTS). How many Champions are there then?",
        ("features",),
        lambda features: int((_rfm(features, _strict_champions())["rfm_segment"] == "Champions").sum()),
        kind="count",
        mistakes=(
            Mistake(lambda features: int((_rfm(features)["rfm_segment"] == "Champions").sum()),
                    "That is the count under the default rules: pass your edited table as rfm_scores(..., segments=rules)."),
            Mistake(lambda features: int(((_rfm(features)["rfm_segment"] == "Champions")
                                          & (_rfm(features)["m_score"] < 5)).sum()),
                    "Upside down: those are the default Champions who would lose the title."),
        ),
    ),
    # 03 features and scaling -----------------------------------------------------------
    Exercise(
        "03.dominant_feature",
        "Before scaling, which clustering feature has the largest standard deviation, and so "
        "dominates the distances k-means works with?",
        ("X",), lambda X: str(X.select_dtypes("number").std().idxmax()), kind="label",
        mistakes=(Mistake(lambda X: str(X.select_dtypes("number").std().idxmin()),
                          "That one has the smallest spread; the question asks for the largest."),),
    ),
    Exercise(
        "03.skewed",
        "Which clustering features does segkit log-transform before clustering (non-negative, "
        "skewness above 1)?",
        ("X",),
        lambda X: _log_columns(X),
        kind="labels",
    ),
    Exercise(
        "03.prepared_columns",
        "The mixed table (numbers and categories) goes through make_preprocessor: how many columns "
        "does the prepared matrix have?",
        ("mixed",), lambda mixed: _prepared_width(mixed), kind="count",
        mistakes=(Mistake(lambda mixed: mixed.shape[1],
                          "That is the number of input columns: one-hot encoding gives each category level "
                          "its own column."),),
    ),
    # 04 clustering and choosing k ------------------------------------------------------
    Exercise(
        "04.calinski_k",
        "Which k would the Calinski-Harabasz index alone pick, among the eligible k the segmenter tried?",
        ("segmenter",), lambda segmenter: _k_by(segmenter, "calinski_harabasz", "max"), kind="count",
        mistakes=(
            Mistake(lambda segmenter: int(segmenter.n_segments_),
                    "That is the combined recommendation; look at the calinski_harabasz column alone."),
            Mistake(lambda segmenter: _k_by(segmenter, "calinski_harabasz", "min"),
                    "For Calinski-Harabasz, higher is better."),
        ),
    ),
    Exercise(
        "04.ari",
        "How well do the fitted segments recover the planted ones? Give the adjusted Rand index "
        "between the labels and the truth.",
        ("labels", "truth"),
        lambda labels, truth: _ari(truth.reindex(labels.index), labels), rtol=1e-6, atol=1e-9,
        mistakes=(Mistake(lambda labels, truth: _ari(truth.to_numpy(), labels.to_numpy()),
                          "The two Series list customers in a different order: align the truth to the "
                          "labels first (truth.reindex(labels.index))."),),
    ),
    Exercise(
        "04.planted_match",
        "Most customers of fitted segment 0 come from which planted segment? Answer with its name.",
        ("labels", "truth", "planted"), _planted_match, kind="label",
        mistakes=(Mistake(lambda labels, truth, planted: int(pd.crosstab(labels, truth.reindex(labels.index))
                                                             .loc[0].idxmax()),
                          "Give the planted segment's name (demo.segment_profiles['name']), not its number."),),
    ),
    # 05 profiles, names and stability ---------------------------------------------------
    Exercise(
        "05.revenue_leader",
        "Which segment (id) brings the most revenue?",
        ("profile",), lambda profile: int(profile.summary["revenue"].idxmax()), kind="label",
        mistakes=(Mistake(lambda profile: int(profile.summary["size"].idxmax()),
                          "That is the largest segment by customers; the question asks for revenue."),),
    ),
    Exercise(
        "05.lift",
        "What is the lift of frequency in segment 0: its mean frequency relative to the whole base?",
        ("features", "labels"), _lift, rtol=1e-4,
        mistakes=(
            Mistake(lambda features, labels: _segment_mean(features, labels) - float(features["frequency"].mean()),
                    "Lift is a ratio (segment mean / overall mean), not a difference."),
            Mistake(lambda features, labels: _segment_mean(features, labels),
                    "That is the segment's mean frequency; divide it by the mean of the whole base."),
            Mistake(lambda features, labels: _segment_mean(features, labels)
                    / float(features.loc[labels.index[labels != 0], "frequency"].mean()),
                    "You divided by the rest of the base; lift compares with the whole base, segment included."),
        ),
    ),
    Exercise(
        "05.unstable",
        "With a stricter stability threshold of 0.95, which segments (ids) would be flagged as unstable?",
        ("segmenter",),
        lambda segmenter: sorted(s for s, j in segmenter.stability_["per_segment"].items() if j < 0.95),
        kind="labels",
        mistakes=(Mistake(lambda segmenter: sorted(s for s, j in segmenter.stability_["per_segment"].items()
                                                   if j >= 0.95),
                          "Upside down: unstable segments are those whose Jaccard similarity is below 0.95."),),
    ),
    # 06 value and targeting --------------------------------------------------------------
    Exercise(
        "06.break_even",
        "At the demo's campaign economics (cost per contact, revenue per response), which response "
        "rate makes a contact break even?",
        ("customers",),
        lambda customers: _economics(customers).cost_per_contact / _economics(customers).revenue_per_response,
        rtol=1e-3,
        mistakes=(Mistake(lambda customers: _economics(customers).revenue_per_response
                          / _economics(customers).cost_per_contact,
                          "Upside down: break-even is cost per contact / revenue per response."),),
    ),
    Exercise(
        "06.profitable",
        "Which segments (ids) have a positive expected profit per contact?",
        ("labels", "customers"),
        lambda labels, customers: _profitable(_targeting(labels, customers)),
        kind="labels",
        mistakes=(Mistake(lambda labels, customers: _targeting(labels, customers).query("action == 'target'")[
                              "segment"].tolist(),
                          "You took the segments whose action is 'target'; a 'test first' segment can have a "
                          "positive expected profit too (its interval just reaches below break-even)."),),
    ),
    Exercise(
        "06.sample_size",
        "How many customers per arm does an A/B test need to detect a rise from a 10 % to a 15 % response "
        "rate (alpha 0.05 two-sided, power 0.8)?",
        (), _sample_size, kind="count",
        mistakes=(
            Mistake(lambda: 2 * _sample_size(), "That is both arms together; the question asks for customers per arm."),
            Mistake(lambda: _sample_size(relative=True),
                    "You read 0.05 as a relative lift (10 % to 10.5 %); the rise is 5 points."),
            Mistake(lambda: int(_sample_size_for(0.15)),
                    "The minimum detectable effect is the difference, 0.05, not the new rate."),
        ),
    ),
    Exercise(
        "06.clv_leader",
        "Which segment (id) has the highest predicted lifetime value per customer?",
        ("clv", "labels"), lambda clv, labels: int(_clv_by_segment(clv, labels)["clv_mean"].idxmax()), kind="label",
        mistakes=(Mistake(lambda clv, labels: int(_clv_by_segment(clv, labels)["clv_total"].idxmax()),
                          "That segment has the largest total; the question asks per customer (the mean)."),),
    ),
    # 07 real data --------------------------------------------------------------------------
    Exercise(
        "07.duplicates",
        "How many exact duplicate lines does the CDNOW log hold?",
        ("raw",), lambda raw: int(_raw_quality(raw, "transactions").duplicate_rows), kind="count",
        mistakes=(Mistake(lambda raw: int(raw.duplicated(keep=False).sum()),
                          "You counted every copy, first ones included; count the repeats only "
                          "(duplicated() with its default keep='first')."),),
    ),
    Exercise(
        "07.one_time_share",
        "What share of the customers bought only once?",
        ("features",), lambda features: float((features["frequency"] == 1).mean()), rtol=1e-4,
        mistakes=(Mistake(lambda features: float((features["frequency"] == 1).sum()),
                          "That is a number of customers; divide by all customers for a share."),),
    ),
    Exercise(
        "07.top_decile_share",
        "What share of all revenue comes from the top 10 % of customers by revenue (monetary)?",
        ("features",), _top_decile, rtol=0.01,
        mistakes=(Mistake(lambda features: _top_share(features, 10),
                          "That is the top 10 customers; the question asks for the top 10 % of them."),),
    ),
    # 08 monitoring -------------------------------------------------------------------------
    Exercise(
        "08.stayed",
        "Of the returning customers of the old run's segment 0, what share is in the new segment that "
        "continues it (stable id 0)?",
        ("old", "new"), lambda old, new: float(_comparison(old, new).sizes.at[0, "stayed"]), rtol=1e-6,
        mistakes=(
            Mistake(lambda old, new: _stayed_raw(old, new),
                    "You compared raw ids: the new fit's segment 0 is not the old segment 0. Align the ids first "
                    "(align_segments, or the migration matrix of the stable ids)."),
            Mistake(lambda old, new: float(_comparison(old, new).migration.at[0, 0]
                                           / _comparison(old, new).migration[0].sum()),
                    "You divided by the new segment (its column); the question asks for a share of the old "
                    "segment's returning customers (its row)."),
            Mistake(lambda old, new: float(_comparison(old, new).migration.at[0, 0]),
                    "That is a number of customers; divide by the old segment's returning customers for a share."),
        ),
    ),
    Exercise(
        "08.size_psi",
        "What is the PSI of the segment mix between the two runs, under the stable ids, with a segment "
        "missing from a run counted as half of one of that run's customers (share 0.5 / n)?",
        ("old", "new"), lambda old, new: float(_comparison(old, new).size_psi), rtol=1e-6,
        mistakes=(
            Mistake(lambda old, new: _size_psi_without(old, new, align=False),
                    "You compared the raw ids; compare the shares under the stable ids (align_segments first)."),
            Mistake(lambda old, new: _size_psi_without(old, new, floor=False),
                    "You left out the segments missing from one run; count them as half a customer of that "
                    "run (share 0.5 / n)."),
        ),
    ),
    Exercise(
        "08.top_drift",
        "Which feature shifted most between the two runs, by PSI (feature references of the two tables)?",
        ("old_features", "new_features"),
        lambda old_features, new_features: str(_drift(old_features, new_features)["psi"].idxmax()), kind="label",
        mistakes=(
            Mistake(_largest_median_change,
                    "That one's median moved the most in its own unit; PSI compares whole distributions, "
                    "without units. Take the largest psi."),
            Mistake(lambda old_features, new_features: str(_drift(old_features, new_features)["psi"].idxmin()),
                    "That one shifted least; the question asks for the largest PSI."),
        ),
    ),
    # 09 privacy and the report -------------------------------------------------------------
    Exercise(
        "09.identifiers",
        "Which columns of the extract would segkit keep out of the analysis as personal identifiers?",
        ("extract",), _identifiers, kind="labels",
        mistakes=(
            Mistake(lambda extract: _identifiers(extract, by_name_only=True),
                    "You judged the column names only; a column is an identifier by its contents too "
                    "(look at the values: emails, phone numbers, IP addresses)."),
            Mistake(lambda extract: ["customer_id", *_identifiers(extract)],
                    "The customer id is not dropped: it is the key that joins the tables, and is pseudonymised "
                    "on export instead."),
        ),
    ),
    Exercise(
        "09.hidden_cells",
        "How many cells of the count table must be hidden at min_cell_size 10, small cells and their "
        "complements together?",
        ("counts",), _hidden, kind="count",
        mistakes=(
            Mistake(_small,
                    "Those are the small cells only; each row and column with one hidden cell must hide a "
                    "second one, or the first is its total minus the cells shown (complementary_suppression)."),
            Mistake(lambda counts: _small(counts, empty_too=True),
                    "You counted the empty cells (0) as small; they describe nobody and are shown. Also count "
                    "the complementary cells."),
        ),
    ),
    Exercise(
        "09.pseudonym",
        "Which customer id is behind the pseudonym (you hold the key)?",
        ("customers", "key", "pseudonym"), _whose_pseudonym, kind="label",
        mistakes=(Mistake(lambda customers, key, pseudonym: pseudonym,
                          "That is the pseudonym itself; pseudonymise every customer id with the key and find "
                          "the one that gives it."),),
    ),
):
    _register(_exercise_def)
del _exercise_def


def _log_columns(X: pd.DataFrame) -> list[str]:
    from segkit.features import SkewedLog1p

    numeric = X.select_dtypes("number")
    return numeric.columns[SkewedLog1p().fit(numeric).log_columns_].tolist()


def _prepared_width(mixed: pd.DataFrame) -> int:
    from segkit.features import make_preprocessor

    return int(make_preprocessor(mixed).fit_transform(mixed).shape[1])


def _ari(truth: Any, labels: Any) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(np.asarray(truth), np.asarray(labels)))


def _profitable(targeting: pd.DataFrame) -> list[int]:
    return targeting.loc[targeting["expected_profit_per_contact"] > 0, "segment"].astype(int).tolist()


def _sample_size_for(mde: float) -> int:
    from segkit.target import ab_sample_size

    return int(ab_sample_size(0.10, mde))


# ------------------------------------------------------------------------ data and learner copies


def shared_data(data_dir: str | os.PathLike | None = None, *, needs: Sequence[str] = ()) -> Path:
    """The folder of the shared public data sets, checked to hold what a notebook needs.

    Parameters
    ----------
    data_dir : path, optional
        The folder (a notebook's ``data_dir`` parameter). Default: the environment
        variable ``SEGKIT_SHARED_DATA``, else ``../shared/data`` beside the segkit checkout
        (``../../../shared/data`` from ``notebooks/workshop/``), as the tests use.
    needs : sequence of str
        Paths inside the folder that must exist, e.g. ``["cdnow/CDNOW_master.txt"]``.

    Returns
    -------
    Path

    Raises
    ------
    InputNotFoundError
        The folder or a needed file is missing; the message says where it looked and how
        to point the notebook at the data.

    Examples
    --------
    >>> shared_data("/nowhere", needs=["cdnow/CDNOW_master.txt"])
    Traceback (most recent call last):
    ...
    segkit.exceptions.InputNotFoundError: shared data not found: /nowhere does not exist (folder from data_dir); ...
    """
    if data_dir is not None:
        folder, origin = Path(data_dir), "data_dir"
    elif os.environ.get("SEGKIT_SHARED_DATA"):
        folder, origin = Path(os.environ["SEGKIT_SHARED_DATA"]), "$SEGKIT_SHARED_DATA"
    else:
        folder, origin = Path(__file__).resolve().parents[2] / "shared" / "data", "the default beside the checkout"
    for path in [folder, *(folder / n for n in needs)]:
        if not path.exists():
            raise InputNotFoundError(
                f"shared data not found: {path} does not exist (folder from {origin}); expected the public data "
                f"sets there (cdnow/, online_retail/, marketing_campaign/): set data_dir in the parameters cell "
                f"(papermill -p data_dir PATH) or the environment variable SEGKIT_SHARED_DATA to their folder")
    return folder


def _strip_source(source: str, where: str) -> str:
    lines = source.splitlines()
    out: list[str] = []
    inside = False
    found = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION:
            if inside:
                raise ConfigError(f"{where}: line {number} opens a solution inside another one")
            inside = found = True
            out.append(line[: len(line) - len(line.lstrip())] + PLACEHOLDER)
        elif stripped == END_SOLUTION:
            if not inside:
                raise ConfigError(f"{where}: line {number} closes a solution that was not opened")
            inside = False
        elif not inside and not _NBVAL_MARKER.match(line):
            out.append(line)
    if inside:
        raise ConfigError(f"{where}: a solution is opened ({BEGIN_SOLUTION}) but never closed ({END_SOLUTION})")
    if not found:
        raise ConfigError(f"{where}: the cell is tagged {_SOLUTION_TAG!r} but has no {BEGIN_SOLUTION!r} line")
    return "\n".join(out)


def strip_solutions(src: str | os.PathLike, dst: str | os.PathLike, *, overwrite: bool = True) -> list[Path]:
    """Write learner copies of workshop notebooks: solutions replaced, outputs cleared.

    In every code cell tagged ``solution``, the lines from ``# BEGIN SOLUTION`` to
    ``# END SOLUTION`` become ``answer = ...  # your code here`` (indented as the first
    line). Outputs, execution counts, the ``solution`` tag and ``# NBVAL_*`` test markers
    are removed from every cell.

    Parameters
    ----------
    src : path
        A notebook, or a folder whose ``*.ipynb`` are all converted.
    dst : path
        The output folder (created), or a ``.ipynb`` path when ``src`` is one notebook.
    overwrite : bool, default True
        Replace existing learner copies; False keeps them (a learner's work survives a
        second ``make workshop``).

    Returns
    -------
    list of Path
        The notebooks written (not those kept).

    Raises
    ------
    InputNotFoundError
        ``src`` does not exist or holds no notebook.
    ConfigError
        A solution marker without its pair, a tagged cell without a solution, or markers
        in a cell that is not tagged ``solution``.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("# BEGIN SOLUTION\\nanswer = 686\\n# END SOLUTION\\ncheck('06.sample_size', answer)",
    ...                      metadata={"tags": ["solution"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nbformat.write(new_notebook(cells=[cell]), f"{tmp}/ex.ipynb")
    ...     (out,) = strip_solutions(f"{tmp}/ex.ipynb", f"{tmp}/learner")
    ...     print(nbformat.read(out, as_version=4).cells[0].source)
    answer = ...  # your code here
    check('06.sample_size', answer)
    """
    import nbformat

    src, dst = Path(src), Path(dst)
    if src.is_dir():
        notebooks = sorted(p for p in src.glob("*.ipynb") if not p.name.startswith("."))
    elif src.exists():
        notebooks = [src]
    else:
        raise InputNotFoundError(f"{src}: no such notebook or folder")
    if not notebooks:
        raise InputNotFoundError(f"{src}: the folder holds no notebook (*.ipynb)")
    single_file = src.is_file() and dst.suffix == ".ipynb"
    (dst.parent if single_file else dst).mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        out = dst if single_file else dst / path.name
        if out.exists() and not overwrite:
            continue
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            tags = list(cell.metadata.get("tags", []))
            where = f"{path.name}, cell {index}"
            if cell.cell_type == "code":
                if _SOLUTION_TAG in tags:
                    cell.source = _strip_source(cell.source, where)
                    tags.remove(_SOLUTION_TAG)
                elif BEGIN_SOLUTION in cell.source or END_SOLUTION in cell.source:
                    raise ConfigError(f"{where}: has solution markers but is not tagged {_SOLUTION_TAG!r}")
                else:
                    cell.source = "\n".join(ln for ln in cell.source.splitlines() if not _NBVAL_MARKER.match(ln))
                cell.outputs = []
                cell.execution_count = None
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
        nbformat.write(nb, out)
        written.append(out)
    return written


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m segkit.workshop strip [--keep] SRC DST`` (learner copies) or ``list`` (the exercises).

    Examples
    --------
    >>> main(["strip", "/nowhere", "/tmp/x"])  # prints "error: /nowhere: no such notebook or folder" on stderr
    2
    """
    parser = argparse.ArgumentParser(prog="python -m segkit.workshop", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    strip = sub.add_parser("strip", help="write learner copies of the workshop notebooks (solutions removed)")
    strip.add_argument("src", help="a notebook or a folder of notebooks (the solution versions)")
    strip.add_argument("dst", help="output folder")
    strip.add_argument("--keep", action="store_true", help="keep learner copies that already exist")
    sub.add_parser("list", help="list the exercises")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.command == "strip":
            for path in strip_solutions(args.src, args.dst, overwrite=not args.keep):
                print(path)
        else:
            with pd.option_context("display.max_colwidth", 90, "display.width", 140):
                print(exercises().to_string())
    except SegkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
