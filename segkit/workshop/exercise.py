"""One exercise and the verdict on an answer.

An :class:`Exercise` says which inputs it needs, how segkit computes the expected answer
from them, how answers are compared (a number within a tolerance, a count, a label, a set of
labels) and which common mistakes earn which hint (:class:`Mistake`); checking an answer
gives a :class:`CheckResult`. The exercises themselves are in :mod:`segkit.workshop.lessons`.

Examples
--------
>>> ex = Exercise("00.count", "How many?", ("items",), lambda items: len(items), kind="count")
>>> ex.check(3, items="abc"), ex.check(..., items="abc"), ex.check(2.5, items="abc")
(00.count: correct, 00.count: not answered yet, 00.count: not quite. Expected a whole number (a count), but got 2.5.)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError

__all__ = ["CORRECT", "INCORRECT", "KINDS", "NOT_ANSWERED", "CheckResult", "Exercise", "Mistake"]

#: The statuses of a :class:`CheckResult`.
CORRECT, INCORRECT, NOT_ANSWERED = "correct", "incorrect", "not answered"
#: How an exercise compares answers (see :class:`Exercise`).
KINDS = ("number", "count", "label", "labels")


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: what :func:`segkit.workshop.check` returns.

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
        Names of the keyword arguments :func:`~segkit.workshop.check.check` needs to compute the expected answer.
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
    >>> ex = Exercise("00.mean", "What is the mean spend?", ("spend",), lambda spend: sum(spend) / len(spend),
    ...               mistakes=(Mistake(lambda spend: sum(spend), "That is the total; divide by the customers."),))
    >>> ex.expected(spend=[10.0, 30.0]), ex.check(20, spend=[10.0, 30.0]), ex.check(40, spend=[10.0, 30.0])
    (20.0, 00.mean: correct, 00.mean: not quite. That is the total; divide by the customers.)
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
        """Compare ``answer`` with the expected answer; see :func:`segkit.workshop.check`."""
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

